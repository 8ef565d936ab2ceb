/*
 * test_random_levels.c - fuzz-style comparison of every instruction-set
 * level with scalar, as a Check test (so it also runs under qemu for NEON
 * and on machines without a fuzzing toolchain).
 *
 * Random structures (formats, ndim 0-4, extents 0-7, strides of any sign
 * including zero, offsets) over exact-size buffers; every read operation at
 * scalar and at each level must produce the same bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "testutil.h"

static uint64_t rng = 0x243f6a8885a308d3ULL;

static unsigned next(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

static const char *const formats[] = {"B", "b", "?", "h", "<H", ">i", "I", "q", ">Q", "e", "<e",
                                      "f", ">f", "d", "2h", "3s", "xi", "<hd", "c", "Zd"};
enum { NFORMATS = sizeof formats / sizeof formats[0] };

/* Everything a read produces, concatenated: tobytes C/F/A, hex, repr, unpack x3, tolist. */
static unsigned char *read_all(const ndv_view *v, size_t *len)
{
    size_t cap = (size_t)v->len * 80 + 4096, n = 0;
    unsigned char *out = calloc(1, cap);
    for (const char *o = "CFA"; *o; o++) {
        ck_ok(ndv_tobytes(v, out + n, v->len, *o));
        n += (size_t)v->len;
    }
    ptrdiff_t l;
    ck_ok(ndv_hex(v, (char *)out + n, (ptrdiff_t)(cap - n), ':', -3, &l));
    n += (size_t)l;
    ck_ok(ndv_repr(v, (char *)out + n, (ptrdiff_t)(cap - n), &l));
    n += (size_t)l;
    ptrdiff_t count;
    ck_ok(ndv_tolist(v, NULL, 0, &count));
    for (int to = 0; to < 3; to++) {
        ndv_status s = ndv_unpack_as(v, (ndv_dtype)to, out + n + 1, count);
        out[n] = (unsigned char)s;
        n += 1 + (s == NDV_OK ? (size_t)count * 8 : 0);
    }
    ndv_value *vals = calloc((size_t)count + 1, sizeof *vals);
    ck_ok(ndv_tolist(v, vals, count, &count));
    for (ptrdiff_t i = 0; i < count; i++) {
        memcpy(out + n, &vals[i].kind, sizeof vals[i].kind);
        memcpy(out + n + 4, &vals[i].v, 16);
        n += 20;
    }
    free(vals);
    *len = n;
    return out;
}

START_TEST(random_structures_agree)
{
    rng += (uint64_t)_i * 0x9e3779b97f4a7c15ULL;
    for (int round = 0; round < 400; round++) {
        const char *fmt = formats[next(NFORMATS)];
        ptrdiff_t is, shape[4], strides[4], lo = 0, hi = 0;
        ck_ok(ndv_calcsize(fmt, &is));
        int ndim = (int)next(5);
        bool empty = false;
        for (int d = 0; d < ndim; d++) {
            shape[d] = next(8);
            strides[d] = ((ptrdiff_t)next(9) - 4) * is + (next(4) == 0 ? (ptrdiff_t)next(3) : 0);
            empty = empty || shape[d] == 0;
        }
        for (int d = 0; d < ndim && !empty; d++) {
            ptrdiff_t e = strides[d] * (shape[d] - 1);
            *(e < 0 ? &lo : &hi) += e;
        }
        ptrdiff_t memlen = empty ? 0 : hi - lo + is, offset = empty ? 0 : -lo;
        unsigned char *mem = malloc((size_t)memlen + 1);
        for (ptrdiff_t i = 0; i < memlen; i++)
            mem[i] = (unsigned char)next(256);
        ndv_view v;
        ck_ok(ndv_view_from_memory(&v, memlen ? mem : NULL, memlen, true, fmt, ndim, shape,
                                   strides, offset));
        ck_ok(ndv_isa_set(NDV_ISA_SCALAR));
        size_t wl, gl;
        unsigned char *want = read_all(&v, &wl);
        for (int isa = NDV_ISA_SSE2; isa < ndv_isa_count(); isa++) {
            if (!ndv_isa_supported((ndv_isa)isa))
                continue;
            ck_ok(ndv_isa_set((ndv_isa)isa));
            unsigned char *got = read_all(&v, &gl);
            ck_assert_msg(wl == gl && memcmp(want, got, wl) == 0,
                          "%s differs from scalar: '%s' ndim %d round %d",
                          ndv_isa_name((ndv_isa)isa), fmt, ndim, round);
            free(got);
        }
        free(want);
        ck_ok(ndv_release(&v));
        free(mem);
    }
    ck_ok(ndv_isa_set(ndv_isa_best()));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("random_levels");
    TCase *tc = tcase_create("random_levels");
    tcase_add_loop_test(tc, random_structures_agree, 0, 10);
    tcase_set_timeout(tc, 600);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
