/*
 * test_kernels.c - every copy kernel at every instruction-set level this
 * host supports, against the scalar result, byte for byte.
 *
 * Each case builds its source in a buffer of exactly the size it needs
 * (so a sanitizer build catches any read past it) at every alignment
 * offset 0-63, runs the operation at the scalar level and at the level
 * under test, and compares the outputs, including guard bytes after them.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "testutil.h"
#include "../src/kernels/kernels.h" /* NDV__NSLOTS: the slot list's length */

enum { GUARD = 64 };

static const char *fmt_of(ptrdiff_t itemsize)
{
    switch (itemsize) {
    case 1: return "B";
    case 2: return "H";
    case 3: return "3s";
    case 4: return "I";
    case 8: return "Q";
    default: return "16s";
    }
}

typedef struct layout {
    ptrdiff_t itemsize;
    int ndim;
    ptrdiff_t shape[2];
    ptrdiff_t strides[2];
} layout;

/* Bytes from the lowest to the highest item, and the offset of item 0. */
static ptrdiff_t span(const layout *l, ptrdiff_t *offset)
{
    ptrdiff_t lo = 0, hi = 0;
    for (int i = 0; i < l->ndim; i++) {
        if (l->shape[i] == 0) {
            *offset = 0;
            return 0;
        }
        ptrdiff_t e = l->strides[i] * (l->shape[i] - 1);
        if (e < 0)
            lo += e;
        else
            hi += e;
    }
    *offset = -lo;
    return hi - lo + l->itemsize;
}

static unsigned char *filled(ptrdiff_t n, unsigned seed)
{
    unsigned char *p = malloc((size_t)n + 1);
    for (ptrdiff_t i = 0; i < n; i++)
        p[i] = (unsigned char)((i * 131 + seed * 17 + (i >> 8)) & 0xff);
    return p;
}

typedef enum { OP_TOBYTES_C, OP_TOBYTES_F, OP_FROMBYTES, OP_COPY_TO_C, OP_COPY_FROM_C } op_kind;

/*
 * Run one operation on a view of layout l placed at alignment `align` in a
 * buffer of its exact size; return the bytes it produced (with guards).
 */
static unsigned char *run_op(const layout *l, int align, op_kind op, ptrdiff_t *outlen)
{
    ptrdiff_t off, need = span(l, &off);
    unsigned char *block = filled(need + align, 1), *base = block + align;
    ndv_view v;
    ck_ok(ndv_view_from_memory(&v, base, need, false, fmt_of(l->itemsize), l->ndim, l->shape,
                               l->strides, off));
    ptrdiff_t len = v.len;
    unsigned char *out = filled(len + GUARD, 2), *res;
    if (op == OP_TOBYTES_C || op == OP_TOBYTES_F) {
        ck_ok(ndv_tobytes(&v, out, len, op == OP_TOBYTES_C ? 'C' : 'F'));
        res = out;
        *outlen = len + GUARD;
    } else {
        /* The view is written: from contiguous bytes or from a C-order view. */
        ndv_view c;
        ck_ok(ndv_view_from_memory(&c, out, len, false, fmt_of(l->itemsize), l->ndim, l->shape,
                                   NULL, 0));
        if (op == OP_FROMBYTES)
            ck_ok(ndv_frombytes(&v, out, len, 'C'));
        else if (op == OP_COPY_TO_C)
            ck_ok(ndv_copy(&c, &v));
        else
            ck_ok(ndv_copy(&v, &c));
        ck_ok(ndv_release(&c));
        res = malloc((size_t)(need + len + GUARD));
        memcpy(res, base, (size_t)need);
        memcpy(res + need, out, (size_t)(len + GUARD));
        free(out);
        *outlen = need + len + GUARD;
    }
    ck_ok(ndv_release(&v));
    free(block);
    return res;
}

/* Compare every supported level with scalar for one layout at every alignment. */
static void check_layout(const layout *l, op_kind op, int aligns)
{
    for (int align = 0; align < aligns; align++) {
        ck_ok(ndv_isa_set(NDV_ISA_SCALAR));
        ptrdiff_t n0, n1;
        unsigned char *want = run_op(l, align, op, &n0);
        for (int isa = NDV_ISA_SSE2; isa < ndv_isa_count(); isa++) {
            if (!ndv_isa_supported((ndv_isa)isa))
                continue;
            ck_ok(ndv_isa_set((ndv_isa)isa));
            unsigned char *got = run_op(l, align, op, &n1);
            ck_assert_int_eq(n0, n1);
            ck_assert_msg(memcmp(want, got, (size_t)n0) == 0,
                          "%s differs from scalar: op %d itemsize %td shape (%td, %td) strides "
                          "(%td, %td) align %d",
                          ndv_isa_name((ndv_isa)isa), (int)op, l->itemsize, l->shape[0],
                          l->shape[1], l->strides[0], l->strides[1], align);
            free(got);
        }
        free(want);
    }
    ck_ok(ndv_isa_set(ndv_isa_best()));
}

static const ptrdiff_t sizes[] = {1, 2, 3, 4, 8, 16};

/* 1-D gathers and scatters: every item size, steps -3..3 (0 included), lengths 0-300. */
START_TEST(strided_runs)
{
    ptrdiff_t is = sizes[_i];
    for (int step = -3; step <= 3; step++) {
        for (ptrdiff_t n = 0; n <= 300; n += n < 70 ? 1 : 23) {
            layout l = {is, 1, {n, 0}, {step * is, 0}};
            int aligns = n % 16 == 3 ? 64 : 2;
            check_layout(&l, OP_TOBYTES_C, aligns);
            if (step != 0) /* a zero-stride destination has no defined result */
                check_layout(&l, OP_FROMBYTES, 1);
        }
    }
    layout big = {is, 1, {4099, 0}, {2 * is, 0}};
    check_layout(&big, OP_TOBYTES_C, 3);
    check_layout(&big, OP_COPY_FROM_C, 1);
}
END_TEST

/* Transposes and their inverse, odd shapes, every item size. */
START_TEST(transposes)
{
    ptrdiff_t is = sizes[_i];
    static const ptrdiff_t dims[] = {1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 33, 64, 65, 100};
    for (size_t a = 0; a < sizeof dims / sizeof dims[0]; a++) {
        for (size_t b = 0; b < sizeof dims / sizeof dims[0]; b += 3) {
            ptrdiff_t r = dims[a], c = dims[b];
            layout t = {is, 2, {c, r}, {is, c * is}}; /* the transpose of an r x c C array */
            check_layout(&t, OP_TOBYTES_C, a % 5 == 0 ? 64 : 1);
            check_layout(&t, OP_FROMBYTES, 1);
            check_layout(&t, OP_COPY_TO_C, 1);
            layout neg = {is, 2, {c, r}, {-is, c * is}};
            check_layout(&neg, OP_TOBYTES_C, 1);
        }
    }
    layout large = {is, 2, {300, 257}, {is, 300 * is}};
    check_layout(&large, OP_TOBYTES_C, 2);
    check_layout(&large, OP_TOBYTES_F, 1);
}
END_TEST

/* Short runs at a stride: (n, s) bytes viewed as [:, :r], every r < s <= 17. */
START_TEST(short_runs)
{
    for (ptrdiff_t s = 2; s <= 17; s++) {
        for (ptrdiff_t r = 1; r < s; r++) {
            for (ptrdiff_t n = 0; n <= 130; n += n < 40 ? 1 : 13) {
                layout l = {1, 2, {n, r}, {s, 1}};
                check_layout(&l, OP_TOBYTES_C, n == 37 ? 64 : 1);
                if (n % 7 == 0)
                    check_layout(&l, OP_FROMBYTES, 1);
            }
        }
    }
    layout rgb = {1, 2, {100000, 2}, {3, 1}};
    check_layout(&rgb, OP_TOBYTES_C, 2);
}
END_TEST

/* Overlapping copies at every level, both directions, same and different layouts. */
START_TEST(overlapping_copies)
{
    for (ptrdiff_t n = 1; n <= 200; n += 7) {
        for (ptrdiff_t shift = -9; shift <= 9; shift++) {
            unsigned char *want = NULL;
            for (int isa = NDV_ISA_SCALAR; isa < ndv_isa_count(); isa++) {
                if (!ndv_isa_supported((ndv_isa)isa))
                    continue;
                ck_ok(ndv_isa_set((ndv_isa)isa));
                ptrdiff_t len = 4 * n + 40;
                unsigned char *m = filled(len, 3);
                ndv_view src, dst;
                ptrdiff_t step = 1 + (n % 3), shape = n / step;
                ptrdiff_t st = 4 * step * (shift % 2 ? -1 : 1);
                ptrdiff_t base = 20 + (st < 0 ? -st * (shape - 1) : 0);
                ck_ok(ndv_view_from_memory(&src, m, len, false, "i", 1, &shape, &st, base));
                ck_ok(ndv_view_from_memory(&dst, m, len, false, "i", 1, &shape, &st,
                                           base + shift));
                ck_ok(ndv_copy(&dst, &src));
                if (!want) {
                    want = m;
                } else {
                    ck_assert_msg(memcmp(want, m, (size_t)len) == 0, "%s: overlap n %td shift %td",
                                  ndv_isa_name((ndv_isa)isa), n, shift);
                    free(m);
                }
                ck_ok(ndv_release(&src));
                ck_ok(ndv_release(&dst));
            }
            free(want);
        }
    }
    ck_ok(ndv_isa_set(ndv_isa_best()));
}
END_TEST

/*
 * Outputs of 8 MiB and more take the streaming-store paths, which need an
 * aligned destination: compare those with scalar too (odd shapes, so the
 * edges go through the cached path).
 */
static void check_large_at(const char *fmt, int ndim, const ptrdiff_t *shape,
                           const ptrdiff_t *strides, ptrdiff_t srclen, ptrdiff_t offset)
{
    unsigned char *src = filled(srclen, 5);
    ndv_view v;
    ck_ok(ndv_view_from_memory(&v, src, srclen, false, fmt, ndim, shape, strides, offset));
    size_t len = (size_t)v.len, alloc = (len + 64 + 63) / 64 * 64;
    unsigned char *want = aligned_alloc(64, alloc), *got = aligned_alloc(64, alloc);
    ck_ok(ndv_isa_set(NDV_ISA_SCALAR));
    ck_ok(ndv_tobytes(&v, want, v.len, 'C'));
    for (int isa = NDV_ISA_SSE2; isa < ndv_isa_count(); isa++) {
        if (!ndv_isa_supported((ndv_isa)isa))
            continue;
        ck_ok(ndv_isa_set((ndv_isa)isa));
        memset(got, 0, alloc);
        ck_ok(ndv_tobytes(&v, got, v.len, 'C'));
        ck_assert_msg(memcmp(want, got, len) == 0, "%s: large %s case differs",
                      ndv_isa_name((ndv_isa)isa), fmt);
    }
    ck_ok(ndv_isa_set(ndv_isa_best()));
    ck_ok(ndv_release(&v));
    free(want);
    free(got);
    free(src);
}

static void check_large(const char *fmt, int ndim, const ptrdiff_t *shape,
                        const ptrdiff_t *strides, ptrdiff_t srclen)
{
    check_large_at(fmt, ndim, shape, strides, srclen, 0);
}

START_TEST(large_streaming_paths)
{
    static const ptrdiff_t item[4] = {1, 2, 4, 8};
    static const char *const fmts[4] = {"B", "H", "f", "d"};
    ptrdiff_t is = item[_i];
    /* Every other item, 8 MiB + a bit of output. */
    ptrdiff_t n = ((ptrdiff_t)8 << 20) / is + 37, st = 2 * is;
    check_large(fmts[_i], 1, &n, &st, 2 * n * is);
    /* A transposed (rows x cols) C array, 8 MiB + a bit; output rows of whole lines. */
    ptrdiff_t cols = 1030, rows = (((ptrdiff_t)8 << 20) / (cols * is) / 64 + 2) * 64;
    ptrdiff_t shape[2] = {cols, rows}, strides[2] = {is, cols * is};
    check_large(fmts[_i], 2, shape, strides, rows * cols * is);
    /* The same with the source's rows walked backwards (a negative row stride). */
    ptrdiff_t flipped[2] = {is, -cols * is};
    check_large_at(fmts[_i], 2, shape, flipped, rows * cols * is, (rows - 1) * cols * is);
    /* A 4-D swap of the outer axes, (p, q, r, run) -> (r, q, p, run): runs of 256 bytes
     * (whole stores at every level) and of 72 (the level below's path), q walked both ways. */
    const ptrdiff_t runs[2] = {256 / is, 72 / is};
    for (int k = 0; k < 2; k++) {
        ptrdiff_t run = runs[k], p = 37, q = ((ptrdiff_t)8 << 20) / (37 * 37 * run * is) + 1, r = 37;
        ptrdiff_t sr = run * is, sq = r * sr, sp = q * sq, len = p * sp;
        ptrdiff_t s4[4] = {r, q, p, run}, st4[4] = {sr, sq, sp, is}, back[4] = {sr, -sq, sp, is};
        check_large(fmts[_i], 4, s4, st4, len);
        check_large_at(fmts[_i], 4, s4, back, len, (q - 1) * sq);
    }
    /* Batched transposes [b, 96, 67] -> [b, 67, 96]: small tiles of a large copy, odd
     * edges; and a 3-D rotation (axes (2, 0, 1)), tiled over the source's and the
     * destination's fastest dimensions. */
    ptrdiff_t b = ((ptrdiff_t)8 << 20) / (96 * 67 * is) + 3;
    ptrdiff_t bshape[3] = {b, 67, 96}, bstrides[3] = {96 * 67 * is, is, 67 * is};
    check_large(fmts[_i], 3, bshape, bstrides, b * 96 * 67 * is);
    /* Batched transposes of larger tiles (over 256 KiB of floats, rows of whole lines: the
     * chunked tiles, with edges). */
    ptrdiff_t rr = 304, cc = 288, bb = ((ptrdiff_t)8 << 20) / (rr * cc * is) + 1;
    ptrdiff_t lshape[3] = {bb, cc, rr}, lstrides[3] = {rr * cc * is, is, cc * is};
    check_large(fmts[_i], 3, lshape, lstrides, bb * rr * cc * is);
    ptrdiff_t d = 131 + (is == 1 ? 100 : 0), rshape[3] = {d + 2, d, d + 1};
    ptrdiff_t rstrides[3] = {is, (d + 1) * (d + 2) * is, (d + 2) * is}; /* a[j,k,i] of a C array (d, d+1, d+2) */
    check_large(fmts[_i], 3, rshape, rstrides, d * (d + 1) * (d + 2) * is);
}
END_TEST

/* The kernel slots ndview-info prints: names, providers, errors. */
/* The slot list in src/kernels/kernels.h is the table's one description. */
START_TEST(kernel_slots)
{
    int n = ndv_kernel_slots();
    ck_assert_int_eq(n, NDV__NSLOTS);
    for (int isa = NDV_ISA_SCALAR; isa < ndv_isa_count(); isa++) /* every slot filled */
        for (int i = 0; ndv_isa_supported((ndv_isa)isa) && i < n; i++)
            ck_ok(ndv_kernel_slot((ndv_isa)isa, i, NULL, NULL));
    const char *name;
    ndv_isa by;
    bool seen_hex = false;
    for (int i = 0; i < n; i++) {
        ck_ok(ndv_kernel_slot(NDV_ISA_SCALAR, i, &name, &by));
        ck_assert_int_eq(by, NDV_ISA_SCALAR);
        seen_hex |= strcmp(name, "hex") == 0;
        ck_ok(ndv_kernel_slot(ndv_isa_best(), i, NULL, &by));
        ck_assert(ndv_isa_supported(by));
        ck_assert(by == NDV_ISA_SCALAR || by <= ndv_isa_best());
    }
    ck_assert(seen_hex);
    ck_status(ndv_kernel_slot(NDV_ISA_SCALAR, n, &name, &by), NDV_ERR_INDEX);
    ck_status(ndv_kernel_slot(NDV_ISA_SCALAR, -1, &name, &by), NDV_ERR_INDEX);
    ck_status(ndv_kernel_slot((ndv_isa)99, 0, &name, &by), NDV_ERR_VALUE);
    ck_assert(ndv_cpu_features() != NULL);
}
END_TEST

START_TEST(dispatch_api)
{
    ndv_isa best = ndv_isa_best();
    ck_assert(ndv_isa_supported(NDV_ISA_SCALAR));
    ck_assert(ndv_isa_supported(best));
    ck_ok(ndv_isa_set(NDV_ISA_SCALAR));
    ck_assert_int_eq(ndv_isa_active(), NDV_ISA_SCALAR);
    ck_ok(ndv_isa_set(best));
    ck_assert_int_eq(ndv_isa_active(), best);
    ck_status(ndv_isa_set((ndv_isa)99), NDV_ERR_VALUE);
    ck_status(ndv_isa_set((ndv_isa)-1), NDV_ERR_VALUE);
#if defined(__x86_64__)
    ck_assert(!ndv_isa_supported(NDV_ISA_NEON));
    ck_status(ndv_isa_set(NDV_ISA_NEON), NDV_ERR_VALUE);
#elif defined(__aarch64__)
    ck_assert(!ndv_isa_supported(NDV_ISA_AVX2));
#endif
    ck_assert_str_eq(ndv_isa_name(NDV_ISA_AVX512), "avx512");
    ck_assert_str_eq(ndv_isa_name((ndv_isa)42), "unknown");
    ck_assert_ptr_nonnull(ndv_isa_note());
}
END_TEST

Suite *kernels_suite(void)
{
    Suite *s = suite_create("kernels");
    TCase *tc = tcase_create("kernels");
    tcase_add_loop_test(tc, strided_runs, 0, 6);
    tcase_add_loop_test(tc, transposes, 0, 6);
    tcase_add_test(tc, short_runs);
    tcase_add_test(tc, overlapping_copies);
    tcase_add_loop_test(tc, large_streaming_paths, 0, 4);
    tcase_add_test(tc, dispatch_api);
    tcase_add_test(tc, kernel_slots);
    tcase_set_timeout(tc, 600);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    printf("# levels:");
    for (int isa = NDV_ISA_SCALAR; isa < ndv_isa_count(); isa++)
        if (ndv_isa_supported((ndv_isa)isa))
            printf(" %s", ndv_isa_name((ndv_isa)isa));
    printf("\n");
    return run_suite(kernels_suite());
}
