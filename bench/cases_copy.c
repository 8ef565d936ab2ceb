/*
 * cases_copy.c - ndview's copies: contiguous, strided, 2-D transposes of
 * 1/2/4/8-byte items, 3-D and 4-D permutations, batched transposes (each on
 * malloc's 4 KiB pages and, as "<name>_hugepages", on transparent huge
 * pages), and the fixed cost of deriving a view.
 */
#include <string.h>

#include "bench.h"

static void tobytes_loop(cb_state *s, const ndv_view *v, void *dst)
{
    while (cb_keep_running(s)) {
        ndv_tobytes(v, dst, v->len, 'C');
        cb_clobber();
    }
    cb_set_bytes(s, v->len);
}

static void bm_tobytes_contig(cb_state *s, const void *arg)
{
    ptrdiff_t n = (ptrdiff_t)cb_range(s, 0);
    NDV_SCOPED ndv_view v = NDV_VIEW_INIT;
    if (!bench_level(s, arg) || !bench_view(s, &v, bench_buffer(n, 0, 1), n, "B", 1, &n, NULL))
        return;
    /* Tiny copies: a batch of calls per check keeps the loop's own cost out. */
    void *dst = bench_buffer(n, 1, 2);
    int64_t batch = n <= 4096 ? 64 : 1;
    while (cb_keep_running_batch(s, batch))
        for (int64_t i = 0; i < batch; i++) {
            ndv_tobytes(&v, dst, v.len, 'C');
            cb_clobber();
        }
    cb_set_bytes(s, v.len);
}

/* int32 [::2] into C order; range(0) is bytes of output. */
static void bm_tobytes_step2_i32(cb_state *s, const void *arg)
{
    ptrdiff_t out = (ptrdiff_t)cb_range(s, 0), n = out / 4, stride = 8;
    NDV_SCOPED ndv_view v = NDV_VIEW_INIT;
    if (!bench_level(s, arg) ||
        !bench_view(s, &v, bench_buffer(2 * out, 0, 1), 2 * out, "i", 1, &n, &stride))
        return;
    tobytes_loop(s, &v, bench_buffer(out, 1, 2));
}

/* uint16 [::3] into C order; range(0) is items. (docs/benchmarks.md shows this case.) */
static void bm_tobytes_step3_u16(cb_state *s, const void *arg)
{
    ptrdiff_t n = (ptrdiff_t)cb_range(s, 0), stride = 6;
    NDV_SCOPED ndv_view v = NDV_VIEW_INIT;
    if (!bench_level(s, arg) ||
        !bench_view(s, &v, bench_buffer(3 * 2 * n, 0, 1), 3 * 2 * n, "H", 1, &n, &stride))
        return;
    void *dst = bench_buffer(2 * n, 1, 2);
    while (cb_keep_running(s)) {
        ndv_tobytes(&v, dst, v.len, 'C');
        cb_clobber();
    }
    cb_set_bytes(s, v.len);
}

/* uint8 (N, 3)[:, :2] into C order. */
static void bm_tobytes_u8_2of3(cb_state *s, const void *arg)
{
    ptrdiff_t n = (ptrdiff_t)cb_range(s, 0), shape[2] = {n, 2}, strides[2] = {3, 1};
    NDV_SCOPED ndv_view v = NDV_VIEW_INIT;
    if (!bench_level(s, arg) ||
        !bench_view(s, &v, bench_buffer(3 * n, 0, 1), 3 * n, "B", 2, shape, strides))
        return;
    tobytes_loop(s, &v, bench_buffer(2 * n, 1, 2));
}

/*
 * A C array of `dims` (0: range(0); -k: k * range(0)) permuted by `perm`
 * (NumPy's a.transpose(perm)) into C order: with tobytes, or with ndv_copy
 * into a C-order view of the result (`copy`).
 */
typedef struct {
    const char *fmt;
    int itemsize, ndim;
    int64_t dims[4];
    int perm[4];
    bench_pages pages;
    bool copy;
} permutation;

static void bm_permute(cb_state *s, const void *arg)
{
    const permutation *p = ((const bench_arg *)arg)->params;
    ptrdiff_t shape[4], bytes = p->itemsize;
    for (int d = 0; d < p->ndim; d++) {
        int64_t k = p->dims[d];
        shape[d] = (ptrdiff_t)(k > 0 ? k : k == 0 ? cb_range(s, 0) : -k * cb_range(s, 0));
        bytes *= shape[d];
    }
    NDV_SCOPED ndv_view src = NDV_VIEW_INIT;
    NDV_SCOPED ndv_view view = NDV_VIEW_INIT;
    NDV_SCOPED ndv_view dst = NDV_VIEW_INIT;
    unsigned char *in = bench_buffer_pages((size_t)bytes, 0, 1, p->pages);
    unsigned char *out = bench_buffer_pages((size_t)bytes, 1, 2, p->pages);
    if (!bench_level(s, arg) || !bench_view(s, &src, in, bytes, p->fmt, p->ndim, shape, NULL))
        return;
    if (ndv_transpose(&src, p->perm, &view) != NDV_OK) {
        cb_skip(s, ndv_errmsg());
        return;
    }
    if (!p->copy) {
        tobytes_loop(s, &view, out);
        return;
    }
    if (!bench_view(s, &dst, out, bytes, p->fmt, p->ndim, view.shape, NULL))
        return;
    while (cb_keep_running(s)) {
        ndv_copy(&dst, &view);
        cb_clobber();
    }
    cb_set_bytes(s, bytes);
}

/* The fixed cost of deriving and releasing a view. */
static void bm_slice_release(cb_state *s, const void *arg)
{
    ptrdiff_t shape[2] = {32, 32};
    NDV_SCOPED ndv_view v = NDV_VIEW_INIT;
    if (!bench_level(s, arg) || !bench_view(s, &v, bench_buffer(4096, 0, 1), 4096, "i", 2, shape, NULL))
        return;
    while (cb_keep_running(s)) {
        ndv_view part;
        ndv_slice(&v, 1, 1, NDV_NONE, 2, &part);
        ndv_release(&part);
    }
    cb_set_items(s, 1);
}

#define T2(fmt, is, rows, cols, pages) \
    &(const permutation){fmt, is, 2, {rows, cols}, {1, 0}, pages, false}
#define PERMUTATION(fmt, n, dims, perm, pages) \
    &(const permutation){fmt, 4, n, dims, perm, pages, false}
#define DIMS(...) {__VA_ARGS__}
#define TWIN(name, params_4k, params_huge, ...) \
    {name, bm_permute, params_4k, BENCH_RANGES(__VA_ARGS__)}, \
    {name "_hugepages", bm_permute, params_huge, BENCH_RANGES(__VA_ARGS__)}

const bench_entry bench_copy_cases[] = {
    {"tobytes_contig", bm_tobytes_contig, NULL, BENCH_RANGES(64, 4096, 262144, 4194304, 67108864, 268435456)},
    {"tobytes_step2_i32", bm_tobytes_step2_i32, NULL, BENCH_RANGES(262144, 33554432)},
    {"tobytes_u8_2of3", bm_tobytes_u8_2of3, NULL, BENCH_RANGES(16777216)},
    {"tobytes_step3_u16", bm_tobytes_step3_u16, NULL, BENCH_RANGES(65536, 16777216)},
    /* 2-D transposes: f32 4096², f64 2048x4096, u8 8192², u16 4096² */
    TWIN("tobytes_transpose_f32", T2("f", 4, 0, 0, BENCH_PAGES_4K), T2("f", 4, 0, 0, BENCH_PAGES_HUGE), 4096),
    TWIN("tobytes_transpose_f64", T2("d", 8, 0, -2, BENCH_PAGES_4K), T2("d", 8, 0, -2, BENCH_PAGES_HUGE), 2048),
    TWIN("tobytes_transpose_u8", T2("B", 1, 0, 0, BENCH_PAGES_4K), T2("B", 1, 0, 0, BENCH_PAGES_HUGE), 8192),
    TWIN("tobytes_transpose_u16", T2("H", 2, 0, 0, BENCH_PAGES_4K), T2("H", 2, 0, 0, BENCH_PAGES_HUGE), 4096),
    /* N-D permutations: (64,64,64,64) f32 inner axes swapped (ndv_copy), axes 0<->2,
     * (256,256,256) f32 axes (2,0,1), batched [64,512,512] -> [64,512,512]^T */
    {"copy_4d_swap_f32", bm_permute,
     &(const permutation){"f", 4, 4, {0, 0, 0, 0}, {0, 1, 3, 2}, BENCH_PAGES_4K, true}, BENCH_RANGES(64)},
    TWIN("permute_4d_02_f32", PERMUTATION("f", 4, DIMS(0, 0, 0, 0), DIMS(2, 1, 0, 3), BENCH_PAGES_4K),
         PERMUTATION("f", 4, DIMS(0, 0, 0, 0), DIMS(2, 1, 0, 3), BENCH_PAGES_HUGE), 64),
    TWIN("permute_3d_201_f32", PERMUTATION("f", 3, DIMS(0, 0, 0), DIMS(2, 0, 1), BENCH_PAGES_4K),
         PERMUTATION("f", 3, DIMS(0, 0, 0), DIMS(2, 0, 1), BENCH_PAGES_HUGE), 256),
    TWIN("batched_transpose_f32", PERMUTATION("f", 3, DIMS(64, 0, 0), DIMS(0, 2, 1), BENCH_PAGES_4K),
         PERMUTATION("f", 3, DIMS(64, 0, 0), DIMS(0, 2, 1), BENCH_PAGES_HUGE), 512),
    {"slice_release", bm_slice_release, NULL, BENCH_RANGES(0)},
};
const int bench_copy_count = (int)(sizeof bench_copy_cases / sizeof bench_copy_cases[0]);
