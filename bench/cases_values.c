/*
 * cases_values.c - ndview's value operations: unpack_as, converting copies
 * (contiguous pairs, a transposed source, byte-swapped sources), tolist,
 * hex, equality and repr.
 */
#include <string.h>

#include "bench.h"

typedef struct {
    const char *from, *to;
    int from_size, to_size;
    ndv_dtype target; /* unpack_as */
} conversion;

static void bm_unpack(cb_state *s, const void *arg)
{
    const conversion *c = ((const bench_arg *)arg)->params;
    ptrdiff_t n = (ptrdiff_t)cb_range(s, 0);
    NDV_SCOPED ndv_view v = NDV_VIEW_INIT;
    if (!bench_level(s, arg) ||
        !bench_view(s, &v, bench_buffer((size_t)(n * c->from_size), 0, 1), n * c->from_size,
                    c->from, 1, &n, NULL))
        return;
    void *dst = bench_buffer((size_t)n * 8, 1, 2);
    while (cb_keep_running(s)) {
        ndv_unpack_as(&v, c->target, dst, n);
        cb_clobber();
    }
    cb_set_bytes(s, n * 8);
    cb_set_items(s, n);
}

/* Converting copies: range(0) is bytes of output; both sides contiguous. */
static void bm_convert(cb_state *s, const void *arg)
{
    const conversion *c = ((const bench_arg *)arg)->params;
    ptrdiff_t n = (ptrdiff_t)cb_range(s, 0) / c->to_size;
    NDV_SCOPED ndv_view src = NDV_VIEW_INIT;
    NDV_SCOPED ndv_view dst = NDV_VIEW_INIT;
    /* Slots of their own: the source is rewritten below, and other cases compare contents. */
    if (!bench_level(s, arg) ||
        !bench_view(s, &src, bench_buffer((size_t)(n * c->from_size), 20, 1), n * c->from_size,
                    c->from, 1, &n, NULL) ||
        !bench_view(s, &dst, bench_buffer((size_t)(n * c->to_size), 21, 2), n * c->to_size,
                    c->to, 1, &n, NULL))
        return;
    for (ptrdiff_t i = 0; i < n; i++) { /* small, finite values */
        ndv_value v = {.kind = NDV_KIND_INT, .v.i = i % 100};
        ndv_pack_item(&src, &i, &v, 1);
    }
    while (cb_keep_running(s)) {
        if (ndv_convert(&dst, &src, NDV_CASTING_UNSAFE) != NDV_OK) {
            cb_skip(s, ndv_errmsg());
            return;
        }
        cb_clobber();
    }
    cb_set_bytes(s, n * c->to_size);
    cb_set_items(s, n);
}

/* f64 -> f32 of a transposed n x n matrix (the output is C order). */
static void bm_convert_transpose_f64_f32(cb_state *s, const void *arg)
{
    ptrdiff_t n = (ptrdiff_t)cb_range(s, 0), shape[2] = {n, n}, strides[2] = {8, n * 8};
    NDV_SCOPED ndv_view src = NDV_VIEW_INIT;
    NDV_SCOPED ndv_view dst = NDV_VIEW_INIT;
    unsigned char *in = bench_buffer((size_t)(n * n * 8), 20, 1);
    if (!bench_level(s, arg) || !bench_view(s, &src, in, n * n * 8, "d", 2, shape, strides) ||
        !bench_view(s, &dst, bench_buffer((size_t)(n * n * 4), 21, 2), n * n * 4, "f", 2, shape,
                    NULL))
        return;
    memset(in, 0, (size_t)(n * n * 8));
    while (cb_keep_running(s)) {
        ndv_convert(&dst, &src, NDV_CASTING_UNSAFE);
        cb_clobber();
    }
    cb_set_bytes(s, n * n * 4);
}

static void bm_tolist_i32(cb_state *s, const void *arg)
{
    ptrdiff_t n = (ptrdiff_t)cb_range(s, 0), count;
    NDV_SCOPED ndv_view v = NDV_VIEW_INIT;
    if (!bench_level(s, arg) || !bench_view(s, &v, bench_buffer((size_t)n * 4, 0, 1), n * 4, "i", 1, &n, NULL))
        return;
    ndv_value *out = (ndv_value *)bench_buffer((size_t)n * sizeof(ndv_value), 1, 0);
    while (cb_keep_running(s)) {
        ndv_tolist(&v, out, n, &count);
        cb_clobber();
    }
    cb_set_bytes(s, n * (int64_t)sizeof(ndv_value));
    cb_set_items(s, n);
}

/* hex without separators, and bytes.hex(':') (a separator after every byte). */
static void bm_hex(cb_state *s, const void *arg)
{
    const int *sep = ((const bench_arg *)arg)->params;
    ptrdiff_t n = (ptrdiff_t)cb_range(s, 0), len, cap = (*sep ? 3 : 2) * n + 1;
    NDV_SCOPED ndv_view v = NDV_VIEW_INIT;
    if (!bench_level(s, arg) || !bench_view(s, &v, bench_buffer((size_t)n, 0, 1), n, "B", 1, &n, NULL))
        return;
    char *dst = (char *)bench_buffer((size_t)cap, 1, 0);
    while (cb_keep_running(s)) {
        ndv_hex(&v, dst, cap, *sep, *sep ? 1 : 0, &len);
        cb_clobber();
    }
    cb_set_bytes(s, cap - 1 - (*sep ? 1 : 0));
}

/* Equal views: int32 against int32 (memcmp-like), or int32 against int64 (converted). */
static void bm_equal(cb_state *s, const void *arg)
{
    const char *other = ((const bench_arg *)arg)->params;
    int wide = strcmp(other, "q") == 0;
    ptrdiff_t n = (ptrdiff_t)cb_range(s, 0);
    int32_t *x = (int32_t *)bench_buffer((size_t)n * 4, wide ? 4 : 0, wide ? 0 : 1);
    void *y = bench_buffer((size_t)n * (wide ? 8 : 4), wide ? 5 : 2, wide ? 0 : 1);
    for (ptrdiff_t i = 0; wide && i < n; i++)
        x[i] = (int32_t)(i * 7 - n), ((int64_t *)y)[i] = x[i];
    NDV_SCOPED ndv_view a = NDV_VIEW_INIT;
    NDV_SCOPED ndv_view b = NDV_VIEW_INIT;
    if (!bench_level(s, arg) || !bench_view(s, &a, x, n * 4, "i", 1, &n, NULL) ||
        !bench_view(s, &b, y, n * (wide ? 8 : 4), other, 1, &n, NULL))
        return;
    bool eq = false;
    while (cb_keep_running(s)) {
        ndv_equal(&a, &b, &eq);
        cb_keep(&eq);
    }
    if (!eq)
        cb_skip(s, "views differ");
    cb_set_bytes(s, n * (wide ? 12 : 4));
    if (wide)
        cb_set_items(s, n);
}

static void bm_repr_i32(cb_state *s, const void *arg)
{
    ptrdiff_t n = (ptrdiff_t)cb_range(s, 0), len;
    NDV_SCOPED ndv_view v = NDV_VIEW_INIT;
    if (!bench_level(s, arg) || !bench_view(s, &v, bench_buffer((size_t)n * 4, 0, 1), n * 4, "i", 1, &n, NULL))
        return;
    ndv_repr(&v, NULL, 0, &len);
    char *dst = (char *)bench_buffer((size_t)len + 1, 1, 0);
    while (cb_keep_running(s)) {
        ndv_repr(&v, dst, len + 1, &len);
        cb_clobber();
    }
    cb_set_bytes(s, len);
    cb_set_items(s, n);
}

#define UNPACK(name, fmt, size, target) \
    {"unpack_" name, bm_unpack, &(const conversion){fmt, NULL, size, 8, target}, \
     BENCH_RANGES(32768, 8388608)}
#define CONVERT(name, from, fs, to, ts) \
    {"convert_" name, bm_convert, &(const conversion){from, to, fs, ts, NDV_F64}, \
     BENCH_RANGES(262144, 67108864)}

const bench_entry bench_value_cases[] = {
    UNPACK("i8_i64", "b", 1, NDV_I64), UNPACK("i16_i64", "h", 2, NDV_I64),
    UNPACK("i32_i64", "i", 4, NDV_I64), UNPACK("f32_f64", "f", 4, NDV_F64),
    UNPACK("f16_f64", "e", 2, NDV_F64), UNPACK("bei32_i64", ">i", 4, NDV_I64),
    CONVERT("i8_f32", "b", 1, "f", 4), CONVERT("u8_f32", "B", 1, "f", 4),
    CONVERT("i16_f32", "h", 2, "f", 4), CONVERT("u16_f32", "H", 2, "f", 4),
    CONVERT("i32_f64", "i", 4, "d", 8), CONVERT("i32_f32", "i", 4, "f", 4),
    CONVERT("i64_i32", "q", 8, "i", 4), CONVERT("i32_i8", "i", 4, "b", 1),
    CONVERT("u32_f64", "I", 4, "d", 8), CONVERT("f32_f64", "f", 4, "d", 8),
    CONVERT("f64_f32", "d", 8, "f", 4), CONVERT("f32_i32", "f", 4, "i", 4),
    CONVERT("f16_f32", "e", 2, "f", 4), CONVERT("f32_f16", "f", 4, "e", 2),
    CONVERT("f64_f16", "d", 8, "e", 2), CONVERT("bei32_i32", ">i", 4, "i", 4),
    CONVERT("bef64_f64", ">d", 8, "d", 8),
    {"convert_transpose_f64_f32", bm_convert_transpose_f64_f32, NULL, BENCH_RANGES(4096)},
    {"tolist_i32", bm_tolist_i32, NULL, BENCH_RANGES(4194304)},
    {"hex", bm_hex, &(const int){0}, BENCH_RANGES(16777216)},
    {"hex_sep1", bm_hex, &(const int){':'}, BENCH_RANGES(16777216)},
    {"equal_i32", bm_equal, "i", BENCH_RANGES(16777216)},
    {"equal_i32_i64", bm_equal, "q", BENCH_RANGES(16777216)},
    {"repr_i32", bm_repr_i32, NULL, BENCH_RANGES(1048576)},
};
const int bench_value_count = (int)(sizeof bench_value_cases / sizeof bench_value_cases[0]);
