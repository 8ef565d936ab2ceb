/*
 * peers.c - the baselines and C peers beside ndview's cases: memcpy and
 * memcmp of the same bytes, OpenBLAS (one thread) cblas_?omatcopy and
 * cblas_scopy, libxsmm_otrans, and the simplest loop for a transpose's
 * access pattern (what the hardware gives with no blocking at all).
 */
#include <string.h>

#include "bench.h"

#if defined(NDV_BENCH_OPENBLAS)
#include <cblas.h>
#endif
#if defined(NDV_BENCH_LIBXSMM)
#include <libxsmm.h>
#endif

static void bm_memcpy(cb_state *s, const void *arg)
{
    const bench_pages *pages = arg;
    size_t n = (size_t)cb_range(s, 0);
    unsigned char *src = bench_buffer_pages(n, 0, 1, *pages), *dst = bench_buffer_pages(n, 1, 2, *pages);
    int64_t batch = n <= 4096 ? 64 : 1;
    while (cb_keep_running_batch(s, batch))
        for (int64_t i = 0; i < batch; i++) {
            memcpy(dst, src, n);
            cb_keep(dst);
            cb_clobber();
        }
    cb_set_bytes(s, (int64_t)n);
}

static void bm_memcmp(cb_state *s, const void *arg)
{
    (void)arg;
    size_t n = (size_t)cb_range(s, 0);
    unsigned char *a = bench_buffer(n, 0, 1), *b = bench_buffer(n, 2, 1);
    while (cb_keep_running(s)) {
        int r = memcmp(a, b, n);
        cb_keep(&r);
    }
    cb_set_bytes(s, (int64_t)n);
}

/* out[j][i] = in[i][j] for an n x n float matrix, row by row of the output. */
static void bm_naive_transpose_f32(cb_state *s, const void *arg)
{
    const bench_pages *pages = arg;
    size_t n = (size_t)cb_range(s, 0);
    const float *in = (const float *)bench_buffer_pages(n * n * 4, 0, 1, *pages);
    float *out = (float *)bench_buffer_pages(n * n * 4, 1, 2, *pages);
    while (cb_keep_running(s)) {
        for (size_t j = 0; j < n; j++)
            for (size_t i = 0; i < n; i++)
                out[j * n + i] = in[i * n + j];
        cb_clobber();
    }
    cb_set_bytes(s, (int64_t)(n * n * 4));
}

#if defined(NDV_BENCH_OPENBLAS)
static void bm_openblas_somatcopy(cb_state *s, const void *arg)
{
    (void)arg;
    blasint n = (blasint)cb_range(s, 0);
    size_t bytes = (size_t)n * (size_t)n * 4;
    float *a = (float *)bench_buffer(bytes, 0, 1), *b = (float *)bench_buffer(bytes, 1, 2);
    while (cb_keep_running(s)) {
        cblas_somatcopy(CblasRowMajor, CblasTrans, n, n, 1.0f, a, n, b, n);
        cb_clobber();
    }
    cb_set_bytes(s, (int64_t)bytes);
}

static void bm_openblas_domatcopy(cb_state *s, const void *arg)
{
    (void)arg;
    blasint rows = (blasint)cb_range(s, 0), cols = 2 * rows;
    size_t bytes = (size_t)rows * (size_t)cols * 8;
    double *a = (double *)bench_buffer(bytes, 0, 1), *b = (double *)bench_buffer(bytes, 1, 2);
    while (cb_keep_running(s)) {
        cblas_domatcopy(CblasRowMajor, CblasTrans, rows, cols, 1.0, a, cols, b, rows);
        cb_clobber();
    }
    cb_set_bytes(s, (int64_t)bytes);
}

static void bm_openblas_scopy_step2(cb_state *s, const void *arg)
{
    (void)arg;
    int64_t out = cb_range(s, 0);
    float *a = (float *)bench_buffer((size_t)out * 2, 0, 1), *b = (float *)bench_buffer((size_t)out, 1, 2);
    while (cb_keep_running(s)) {
        cblas_scopy((blasint)(out / 4), a, 2, b, 1);
        cb_clobber();
    }
    cb_set_bytes(s, out);
}
#endif

#if defined(NDV_BENCH_LIBXSMM)
/* A rows x cols row-major matrix transposed; in column-major terms m = cols, n = rows. */
static void bm_libxsmm_otrans(cb_state *s, const void *arg)
{
    unsigned is = *(const unsigned *)arg;
    libxsmm_blasint rows = (libxsmm_blasint)cb_range(s, 0), cols = is == 8 ? 2 * rows : rows;
    size_t bytes = (size_t)rows * (size_t)cols * is;
    void *a = bench_buffer(bytes, 0, 1), *b = bench_buffer(bytes, 1, 2);
    while (cb_keep_running(s)) {
        libxsmm_otrans(b, a, is, cols, rows, cols, rows);
        cb_clobber();
    }
    cb_set_bytes(s, (int64_t)bytes);
}
#endif

void bench_register_peers(void)
{
    static const bench_pages small = BENCH_PAGES_4K, huge = BENCH_PAGES_HUGE;
    cb_register("memcpy", bm_memcpy, &small,
                CB_ARGS(64, 4096, 262144, 4194304, 33554432, 67108864, 268435456));
    /* the same bytes as the transposes and permutations, on huge pages */
    cb_register("memcpy_hugepages", bm_memcpy, &huge, CB_ARGS(33554432, 67108864));
    cb_register("memcmp", bm_memcmp, NULL, CB_ARGS(67108864));
    cb_register("peer_naive_transpose_f32", bm_naive_transpose_f32, &small, CB_ARGS(4096));
    cb_register("peer_naive_transpose_f32_hugepages", bm_naive_transpose_f32, &huge, CB_ARGS(4096));
#if defined(NDV_BENCH_OPENBLAS)
    openblas_set_num_threads(1);
    cb_register("peer_openblas_somatcopy", bm_openblas_somatcopy, NULL, CB_ARGS(4096));
    cb_register("peer_openblas_domatcopy", bm_openblas_domatcopy, NULL, CB_ARGS(2048));
    cb_register("peer_openblas_scopy_step2", bm_openblas_scopy_step2, NULL, CB_ARGS(262144, 33554432));
#endif
#if defined(NDV_BENCH_LIBXSMM)
    static const unsigned f32 = 4, f64 = 8;
    libxsmm_init();
    cb_register("peer_libxsmm_otrans_f32", bm_libxsmm_otrans, &f32, CB_ARGS(4096));
    cb_register("peer_libxsmm_otrans_f64", bm_libxsmm_otrans, &f64, CB_ARGS(2048));
#endif
}
