/*
 * test_value_kernels.c - the value kernels (unpack_as, tolist, float
 * equality, hex) at every instruction-set level this host supports, against
 * the scalar level, bit for bit: every numeric source type in both byte
 * orders, every target, lengths 0-300 and large, alignments 0-63, strided
 * and reversed inputs, special floats (every float16 value, +-0, +-inf,
 * NaN payloads, subnormals) and extreme integers.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "testutil.h"

static const char *const codes[] = {"b", "B", "?", "h", "H", "i", "I", "q", "Q", "e", "f", "d"};
static const ptrdiff_t code_sizes[] = {1, 1, 1, 2, 2, 4, 4, 8, 8, 2, 4, 8};
enum { NCODES = 12 };

/* Random bytes with special values planted: extremes, +-0, inf, NaNs, subnormals. */
static void fill_items(unsigned char *p, ptrdiff_t nbytes, ptrdiff_t is, unsigned seed)
{
    uint64_t x = 0x9e3779b97f4a7c15ULL * (seed + 1);
    for (ptrdiff_t i = 0; i < nbytes; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        p[i] = (unsigned char)x;
    }
    static const uint64_t special8[] = {0, 0x8000000000000000ULL, 0x7ff0000000000000ULL,
                                        0xfff0000000000000ULL, 0x7ff8000000000001ULL,
                                        0x7ff0000000000001ULL, 0x0000000000000001ULL,
                                        0x7fffffffffffffffULL, 0xffffffffffffffffULL};
    static const uint32_t special4[] = {0, 0x80000000u, 0x7f800000u, 0xff800000u, 0x7fc00001u,
                                        0x7f800001u, 0x00000001u, 0x7fffffffu, 0xffffffffu};
    for (ptrdiff_t i = 0; i + is <= nbytes; i += 5 * is) {
        size_t k = (size_t)(i / is) % 9;
        if (is == 8)
            memcpy(p + i, &special8[k], 8);
        else if (is == 4)
            memcpy(p + i, &special4[k], 4);
    }
}

static char *format_of(int code, int order)
{
    static char f[4];
    snprintf(f, sizeof f, "%s%s", order == 0 ? "=" : order == 1 ? "<" : ">", codes[code]);
    return f;
}

/* One view, every target and tolist, at every level; compare with scalar. */
static void check_view(const ndv_view *v, const char *what)
{
    ptrdiff_t n;
    ck_ok(ndv_tolist(v, NULL, 0, &n));
    size_t vbytes = (size_t)(n + 1) * sizeof(ndv_value);
    ndv_value *want_l = calloc(1, vbytes), *got_l = calloc(1, vbytes);
    uint64_t *want_u = calloc((size_t)n + 1, 8), *got_u = calloc((size_t)n + 1, 8);
    for (int to = NDV_I64; to <= NDV_F64; to++) {
        ck_ok(ndv_isa_set(NDV_ISA_SCALAR));
        memset(want_u, 0xa5, (size_t)(n + 1) * 8);
        ndv_status ws = ndv_unpack_as(v, (ndv_dtype)to, want_u, n);
        for (int isa = NDV_ISA_SSE2; isa < ndv_isa_count(); isa++) {
            if (!ndv_isa_supported((ndv_isa)isa))
                continue;
            ck_ok(ndv_isa_set((ndv_isa)isa));
            memset(got_u, 0xa5, (size_t)(n + 1) * 8);
            ndv_status gs = ndv_unpack_as(v, (ndv_dtype)to, got_u, n);
            ck_assert_msg(gs == ws, "%s: unpack_as(%d) status %s vs scalar %s (%s)",
                          ndv_isa_name((ndv_isa)isa), to, ndv_status_name(gs),
                          ndv_status_name(ws), what);
            if (ws == NDV_OK) /* after a range error only the status is defined */
                ck_assert_msg(memcmp(want_u, got_u, (size_t)(n + 1) * 8) == 0,
                              "%s: unpack_as(%d) differs (%s)", ndv_isa_name((ndv_isa)isa), to,
                              what);
        }
    }
    ck_ok(ndv_isa_set(NDV_ISA_SCALAR));
    ck_ok(ndv_tolist(v, want_l, n, &n));
    for (int isa = NDV_ISA_SSE2; isa < ndv_isa_count(); isa++) {
        if (!ndv_isa_supported((ndv_isa)isa))
            continue;
        ck_ok(ndv_isa_set((ndv_isa)isa));
        memset(got_l, 0, vbytes);
        ck_ok(ndv_tolist(v, got_l, n, &n));
        /* Find the first difference, then assert once (each Check assertion costs a write). */
        ptrdiff_t bad = -1;
        for (ptrdiff_t i = 0; i < n && bad < 0; i++)
            if (got_l[i].kind != want_l[i].kind || memcmp(&got_l[i].v, &want_l[i].v, 8) != 0)
                bad = i;
        ck_assert_msg(bad < 0, "%s: tolist value %td differs (%s)", ndv_isa_name((ndv_isa)isa), bad,
                      what);
    }
    ck_ok(ndv_isa_set(ndv_isa_best()));
    free(want_l);
    free(got_l);
    free(want_u);
    free(got_u);
}

/* Every code and byte order; lengths 0-300; contiguous, step 2 and reversed; alignments. */
START_TEST(unpack_and_tolist_every_source)
{
    int code = _i / 3, order = _i % 3;
    ptrdiff_t is = code_sizes[code];
    for (ptrdiff_t n = 0; n <= 300; n += n < 40 ? 1 : 17) {
        for (int layout = 0; layout < 3; layout++) {
            ptrdiff_t step = layout == 0 ? 1 : layout == 1 ? 2 : -1;
            ptrdiff_t memlen = (n ? (n - 1) * (step < 0 ? 1 : step) + 1 : 0) * is;
            int aligns = n % 16 == 5 ? 64 : 1;
            for (int align = 0; align < aligns; align++) {
                unsigned char *block = malloc((size_t)(memlen + align + 1));
                fill_items(block + align, memlen, is, (unsigned)(n + align));
                ptrdiff_t stride = step * is, offset = step < 0 && n ? (n - 1) * is : 0;
                ndv_view v;
                ck_ok(ndv_view_from_memory(&v, block + align, memlen, true, format_of(code, order),
                                           1, &n, &stride, offset));
                char what[96];
                snprintf(what, sizeof what, "'%s' n %td step %td align %d", format_of(code, order),
                         n, step, align);
                check_view(&v, what);
                ck_ok(ndv_release(&v));
                free(block);
            }
        }
    }
}
END_TEST

/* Large inputs take the streaming paths (outputs of 8 MiB and more). */
START_TEST(large_inputs)
{
    static const int large_codes[] = {0, 3, 5, 9, 10, 11};
    int code = large_codes[_i];
    ptrdiff_t is = code_sizes[code], n = ((ptrdiff_t)8 << 20) / 8 + 3;
    for (int order = 0; order < 2; order++) {
        unsigned char *p = malloc((size_t)(n * is));
        fill_items(p, n * is, is, 7);
        ndv_view v;
        ck_ok(ndv_view_from_memory(&v, p, n * is, true, format_of(code, order), 1, &n, NULL, 0));
        check_view(&v, format_of(code, order));
        ck_ok(ndv_release(&v));
        free(p);
    }
}
END_TEST

/* Every one of the 65,536 float16 values, in both byte orders. */
START_TEST(every_half_float)
{
    ptrdiff_t n = 65536;
    uint16_t *h = malloc((size_t)n * 2);
    for (ptrdiff_t i = 0; i < n; i++)
        h[i] = (uint16_t)i;
    for (int order = 0; order < 3; order++) {
        ndv_view v;
        ck_ok(ndv_view_from_memory(&v, h, n * 2, true, format_of(9, order), 1, &n, NULL, 0));
        check_view(&v, format_of(9, order));
        ck_ok(ndv_release(&v));
    }
    /* And the scalar conversion itself: exact, subnormals included. */
    double d[3];
    uint16_t some[3] = {0x0001, 0x03ff, 0x7bff};
    ptrdiff_t three = 3;
    ndv_view v;
    ck_ok(ndv_view_from_memory(&v, some, 6, true, "=e", 1, &three, NULL, 0));
    ck_ok(ndv_unpack_as(&v, NDV_F64, d, 3));
    ck_assert(d[0] == ldexp(1, -24) && d[1] == ldexp(1023, -24) && d[2] == 65504.0);
    ck_ok(ndv_release(&v));
    free(h);
}
END_TEST

/* Float equality and hex at every level against scalar. */
START_TEST(equal_and_hex)
{
    for (ptrdiff_t n = 0; n <= 300; n += n < 40 ? 1 : 23) {
        for (int is = 4; is <= 8; is += 4) {
            unsigned char *a = malloc((size_t)(n * is + 1)), *b = malloc((size_t)(n * is + 1));
            fill_items(a, n * is, is, (unsigned)n);
            memcpy(b, a, (size_t)(n * is));
            if (n > 3 && n % 3 == 0) /* a difference, or -0 vs 0 */
                b[(n / 2) * is + is - 1] ^= (unsigned char)(n % 2 ? 0x80 : 0x01);
            ndv_view va, vb;
            ck_ok(ndv_view_from_memory(&va, a, n * is, true, is == 4 ? "f" : "d", 1, &n, NULL, 0));
            ck_ok(ndv_view_from_memory(&vb, b, n * is, true, is == 4 ? "f" : "d", 1, &n, NULL, 0));
            bool want, got;
            ck_ok(ndv_isa_set(NDV_ISA_SCALAR));
            ck_ok(ndv_equal(&va, &vb, &want));
            char hw[8192], hg[8192];
            ptrdiff_t len;
            ck_ok(ndv_hex(&va, hw, sizeof hw, 0, 0, &len));
            for (int isa = NDV_ISA_SSE2; isa < ndv_isa_count(); isa++) {
                if (!ndv_isa_supported((ndv_isa)isa))
                    continue;
                ck_ok(ndv_isa_set((ndv_isa)isa));
                ck_ok(ndv_equal(&va, &vb, &got));
                ck_assert_msg(got == want, "%s: equal differs, n %td size %d",
                              ndv_isa_name((ndv_isa)isa), n, is);
                ck_ok(ndv_hex(&va, hg, sizeof hg, 0, 0, &len));
                ck_assert_str_eq(hg, hw);
            }
            ck_ok(ndv_release(&va));
            ck_ok(ndv_release(&vb));
            free(a);
            free(b);
        }
    }
    ck_ok(ndv_isa_set(ndv_isa_best()));
}
END_TEST

/* Hex with separators: every group size and direction, runs and strides, every level vs scalar. */
START_TEST(hex_separators)
{
    const ptrdiff_t lengths[] = {0, 1, 2, 15, 16, 17, 63, 64, 65, 255, 256, 257, 1000, 4099, 70001};
    const int groups[] = {1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 100, -1, -2, -3, -4, -8, -9, -100};
    unsigned char *mem = malloc(2 * 70001 + 8);
    char *want = malloc(3 * 2 * 70001 + 16), *got = malloc(3 * 2 * 70001 + 16);
    for (ptrdiff_t i = 0; i < 2 * 70001 + 8; i++)
        mem[i] = (unsigned char)(i * 131 + (i >> 8));
    ptrdiff_t len = lengths[_i];
    for (int layout = 0; layout < 3; layout++) {
        /* contiguous at an odd address; every other byte; 3-byte items reversed */
        ndv_view v;
        ptrdiff_t n = layout == 2 ? len / 3 : len, stride = layout == 0 ? 1 : layout == 1 ? 2 : -3;
        ck_ok(ndv_view_from_memory(&v, mem, 2 * 70001 + 8, true, layout == 2 ? "3B" : "B", 1, &n,
                                   &stride, layout == 2 && n > 0 ? 3 * (n - 1) : 1));
        for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
            ptrdiff_t lw, lg;
            ck_ok(ndv_isa_set(NDV_ISA_SCALAR));
            ck_ok(ndv_hex(&v, want, 3 * 2 * 70001 + 16, ':', groups[g], &lw));
            for (int isa = NDV_ISA_SSE2; isa < ndv_isa_count(); isa++) {
                if (!ndv_isa_supported((ndv_isa)isa))
                    continue;
                ck_ok(ndv_isa_set((ndv_isa)isa));
                memset(got, 'Z', (size_t)lw + 1);
                ck_ok(ndv_hex(&v, got, lw + 1, ':', groups[g], &lg));
                ck_assert_msg(lg == lw && memcmp(got, want, (size_t)lw + 1) == 0,
                              "%s: hex differs, length %td layout %d group %d",
                              ndv_isa_name((ndv_isa)isa), len, layout, groups[g]);
            }
        }
        ck_ok(ndv_release(&v));
    }
    ck_ok(ndv_isa_set(ndv_isa_best()));
    free(mem);
    free(want);
    free(got);
}
END_TEST

/*
 * Long strided runs (gathered a chunk at a time before the kernels) and
 * multi-value items (converted a column at a time), against values computed
 * here in C: the planner-level paths every level shares.
 */
START_TEST(long_strided_runs)
{
    enum { N = 3001 };
    static int32_t mem[3 * N];
    for (int i = 0; i < 3 * N; i++)
        mem[i] = i * 7 - 9000;
    static int64_t got[3 * N];
    static ndv_value vals[3 * N];
    const ptrdiff_t steps[] = {3, 2, -1, -3};
    for (int isa = NDV_ISA_SCALAR; isa < ndv_isa_count(); isa++) {
        if (!ndv_isa_supported((ndv_isa)isa))
            continue;
        ck_ok(ndv_isa_set((ndv_isa)isa));
        for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++) {
            ptrdiff_t step = steps[k], n = 3 * N / (step < 0 ? -step : step) - 1;
            ptrdiff_t stride = step * 4, start = step < 0 ? 3 * N - 1 : 0, cnt;
            ndv_view v;
            ck_ok(ndv_view_from_memory(&v, mem, sizeof mem, true, "i", 1, &n, &stride, start * 4));
            ck_ok(ndv_unpack_as(&v, NDV_I64, got, n));
            ck_ok(ndv_tolist(&v, vals, n, &cnt));
            for (ptrdiff_t i = 0; i < n; i++) {
                int64_t want = mem[start + i * step];
                if (got[i] != want || vals[i].kind != NDV_KIND_INT || vals[i].v.i != want)
                    ck_abort_msg("%s: step %td value %td: %lld / %lld, want %lld",
                                 ndv_isa_name((ndv_isa)isa), step, i, (long long)got[i],
                                 (long long)vals[i].v.i, (long long)want);
            }
            ck_ok(ndv_release(&v));
        }
        /* Items of two values: "ih" (6 bytes: struct adds no trailing padding). */
        ptrdiff_t n = N;
        ndv_view v;
        ck_ok(ndv_view_from_memory(&v, mem, sizeof mem, true, "ih", 1, &n, NULL, 0));
        ptrdiff_t cnt;
        ck_ok(ndv_tolist(&v, vals, 2 * N, &cnt));
        ck_assert_int_eq(cnt, 2 * N);
        for (ptrdiff_t i = 0; i < N; i++) {
            int32_t w;
            int16_t h;
            memcpy(&w, (const char *)mem + 6 * i, 4);
            memcpy(&h, (const char *)mem + 6 * i + 4, 2);
            if (vals[2 * i].v.i != w || vals[2 * i + 1].v.i != h ||
                vals[2 * i + 1].kind != NDV_KIND_INT)
                ck_abort_msg("%s: item %td of 'ih' differs", ndv_isa_name((ndv_isa)isa), i);
        }
        ck_ok(ndv_release(&v));
    }
    ck_ok(ndv_isa_set(ndv_isa_best()));
}
END_TEST

Suite *value_kernels_suite(void)
{
    Suite *s = suite_create("value_kernels");
    TCase *tc = tcase_create("value_kernels");
    tcase_add_loop_test(tc, unpack_and_tolist_every_source, 0, NCODES * 3);
    tcase_add_loop_test(tc, large_inputs, 0, 6);
    tcase_add_test(tc, every_half_float);
    tcase_add_test(tc, equal_and_hex);
    tcase_add_loop_test(tc, hex_separators, 0, 15);
    tcase_add_test(tc, long_strided_runs);
    tcase_set_timeout(tc, 600);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(value_kernels_suite());
}
