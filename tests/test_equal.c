/*
 * test_equal.c - ndv_equal: memoryview ==, across formats, NaN, shapes, released views;
 * every comparison strategy (bytewise, float kernels, converted, value by value).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "testutil.h"

/* ------------------------------------------------------------------------ */
/* equal                                                                     */
/* ------------------------------------------------------------------------ */

static bool eq_of(const ndv_view *a, const ndv_view *b)
{
    bool eq = !true;
    ck_ok(ndv_equal(a, b, &eq));
    return eq;
}

START_TEST(equality_semantics)
{
    double d[3] = {1.0, NAN, 0.0};
    double z[3] = {1.0, NAN, -0.0};
    int32_t i3[3] = {1, 0, 0};
    ptrdiff_t n = 3, one = 1;
    ndv_view vd = ck_view(d, sizeof d, "d", 1, &n, NULL, 0), vz = ck_view(z, sizeof z, "d", 1, &n, NULL, 0);
    ck_assert(!eq_of(&vd, &vd)); /* NaN != NaN, even for the same view */
    ndv_view a, b;
    ck_ok(ndv_slice(&vd, 0, 2, 3, 1, &a));
    ck_ok(ndv_slice(&vz, 0, 2, 3, 1, &b));
    ck_assert(eq_of(&a, &b)); /* 0.0 == -0.0 */
    ck_ok(ndv_release(&a));
    ck_ok(ndv_release(&b));
    ck_ok(ndv_slice(&vd, 0, 0, 1, 1, &a));
    ndv_view vi = ck_view(i3, sizeof i3, "i", 1, &one, NULL, 0);
    ck_assert(eq_of(&a, &vi)); /* 1.0 == 1 across formats */
    ck_ok(ndv_release(&a));
    ck_ok(ndv_release(&vi));
    /* 'c' vs 'B': b'a' != 97; '?' vs 'B': True == 1. */
    unsigned char ch[1] = {'a'}, one_b[1] = {1};
    ndv_view vc = ck_view(ch, 1, "c", 1, &one, NULL, 0), vB = ck_view(ch, 1, "B", 1, &one, NULL, 0);
    ck_assert(!eq_of(&vc, &vB));
    ck_assert(eq_of(&vc, &vc));
    ndv_view vq = ck_view(one_b, 1, "?", 1, &one, NULL, 0), v1 = ck_view(one_b, 1, "B", 1, &one, NULL, 0);
    ck_assert(eq_of(&vq, &v1));
    ck_ok(ndv_release(&vc));
    ck_ok(ndv_release(&vB));
    ck_ok(ndv_release(&vq));
    ck_ok(ndv_release(&v1));
    /* Byte orders compare by value. */
    unsigned char le[4] = {1, 2, 0, 0}, be[4] = {0, 0, 2, 1};
    ndv_view vl = ck_view(le, 4, "<i", 1, &one, NULL, 0), vb = ck_view(be, 4, ">i", 1, &one, NULL, 0);
    ck_assert(eq_of(&vl, &vb));
    ck_ok(ndv_release(&vb));
    vb = ck_view(be, 4, "<i", 1, &one, NULL, 0);
    ck_assert(!eq_of(&vl, &vb));
    ck_ok(ndv_release(&vb));
    ck_ok(ndv_release(&vl));
    /* Released views equal only themselves. */
    ck_ok(ndv_release(&vz));
    ck_assert(eq_of(&vz, &vz));
    ck_assert(!eq_of(&vz, &vd));
    ck_assert(!eq_of(&vd, &vz));
    ck_status(ndv_equal(&vd, &vd, NULL), NDV_ERR_VALUE);
    ck_ok(ndv_release(&vd));
}
END_TEST

/* Formats struct cannot unpack compare by value in ndview. */
/*
 * Different formats compared through the conversion kernels, in chunks,
 * at every level: equal arrays, one planted difference, and the values a
 * common type could get wrong (uint64 above INT64_MAX against -1, 2**53 + 1
 * against a double, NaN, -0.0, bool against int).
 */
enum { NMIX = 1000 };

static bool mixed_equal(const char *fa, void *a, const char *fb, void *b, ptrdiff_t n)
{
    ptrdiff_t sa, sb;
    ck_ok(ndv_calcsize(fa, &sa));
    ck_ok(ndv_calcsize(fb, &sb));
    ndv_view va, vb;
    ck_ok(ndv_view_from_memory(&va, a, n * sa, true, fa, 1, &n, NULL, 0));
    ck_ok(ndv_view_from_memory(&vb, b, n * sb, true, fb, 1, &n, NULL, 0));
    bool want = false, got;
    for (int isa = NDV_ISA_SCALAR; isa < ndv_isa_count(); isa++) {
        if (!ndv_isa_supported((ndv_isa)isa))
            continue;
        ck_ok(ndv_isa_set((ndv_isa)isa));
        ck_ok(ndv_equal(&va, &vb, &got));
        if (isa == NDV_ISA_SCALAR)
            want = got;
        ck_assert_msg(got == want, "%s vs %s: %s says %d, scalar %d", fa, fb,
                      ndv_isa_name((ndv_isa)isa), got, want);
    }
    ck_ok(ndv_isa_set(ndv_isa_best()));
    ck_ok(ndv_release(&va));
    ck_ok(ndv_release(&vb));
    return want;
}

START_TEST(mixed_format_equality)
{
    int32_t i32[NMIX];
    int64_t i64[NMIX];
    double f64[NMIX];
    float f32[NMIX], f32_swapped[NMIX];
    int16_t i16[NMIX];
    uint8_t bools[NMIX];
    for (int i = 0; i < NMIX; i++) {
        i32[i] = i - 500;
        i64[i] = i - 500;
        f64[i] = i - 500;
        f32[i] = (float)(i - 500);
        uint32_t bits;
        memcpy(&bits, &f32[i], 4);
        bits = __builtin_bswap32(bits);
        memcpy(&f32_swapped[i], &bits, 4);
        i16[i] = (int16_t)(i % 2);
        bools[i] = (uint8_t)(i % 2 ? 7 : 0); /* any nonzero byte is True */
    }
    const char *swapped_f = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? ">f" : "<f";
    ck_assert(mixed_equal("i", i32, "q", i64, NMIX));
    ck_assert(mixed_equal("i", i32, "d", f64, NMIX));
    ck_assert(mixed_equal("f", f32, "d", f64, NMIX));
    ck_assert(mixed_equal(swapped_f, f32_swapped, "d", f64, NMIX));
    ck_assert(mixed_equal(swapped_f, f32_swapped, "i", i32, NMIX));
    ck_assert(mixed_equal("?", bools, "h", i16, NMIX));
    ck_assert(mixed_equal("q", i64, "d", f64, NMIX)); /* value by value */
    f64[777] += 0.5;
    ck_assert(!mixed_equal("i", i32, "d", f64, NMIX));
    ck_assert(!mixed_equal("f", f32, "d", f64, NMIX));
    f64[777] -= 0.5;
    i64[999] = 1;
    ck_assert(!mixed_equal("i", i32, "q", i64, NMIX));
    i16[3] = 2; /* 2 != True */
    ck_assert(!mixed_equal("?", bools, "h", i16, NMIX));
    f64[0] = -0.0;
    f32[0] = 0.0f;
    i32[0] = 0;
    ck_assert(mixed_equal("f", f32, "d", f64, 10));
    ck_assert(mixed_equal("i", i32, "d", f64, 10));
    f64[1] = NAN;
    f32[1] = NAN;
    ck_assert(!mixed_equal("f", f32, "d", f64, 10));

    uint64_t big[NMIX];
    for (int i = 0; i < NMIX; i++)
        big[i] = (uint64_t)i64[i];
    ck_assert(!mixed_equal("Q", big, "q", i64, NMIX)); /* 2**64 - 500 is not -500 */
    for (int i = 0; i < NMIX; i++)
        big[i] = (uint64_t)i, i64[i] = i;
    ck_assert(mixed_equal("Q", big, "q", i64, NMIX));
    i64[5] = (int64_t)1 << 53;
    i64[5] += 1;
    f64[5] = 0x1p53;
    ck_assert(!mixed_equal("q", i64, "d", f64, 6)); /* 2**53 + 1 != 2.0**53 */

    /* A strided side (every other int32, gathered before converting) against doubles. */
    for (int i = 0; i < NMIX; i++)
        i32[i] = i * 3, f64[i] = (i % 2) ? -1 : (double)(i * 3);
    ptrdiff_t half = NMIX / 2, stride = 8;
    double evens[NMIX / 2];
    for (int i = 0; i < NMIX / 2; i++)
        evens[i] = f64[2 * i];
    ndv_view va, vb;
    ck_ok(ndv_view_from_memory(&va, i32, sizeof i32, true, "i", 1, &half, &stride, 0));
    ck_ok(ndv_view_from_memory(&vb, evens, sizeof evens, true, "d", 1, &half, NULL, 0));
    bool eq;
    ck_ok(ndv_equal(&va, &vb, &eq));
    ck_assert(eq);
    evens[301] = 1.5;
    ck_ok(ndv_equal(&va, &vb, &eq));
    ck_assert(!eq);
    ck_ok(ndv_release(&va));
    ck_ok(ndv_release(&vb));
}
END_TEST

START_TEST(equality_beyond_struct)
{
    struct { int32_t x; double y; } __attribute__((packed)) r1 = {7, 2.0};
    unsigned char r2[12];
    int32_t x = 7;
    double y = 2.0;
    memcpy(r2, &x, 4);
    memcpy(r2 + 4, &y, 8);
    ptrdiff_t one = 1;
    ndv_view a = ck_view(&r1, sizeof r1, "T{=i:x:=d:y:}", 1, &one, NULL, 0);
    ndv_view b = ck_view(r2, 12, "=id", 1, &one, NULL, 0);
    ck_assert(eq_of(&a, &b));
    ck_assert(eq_of(&a, &a));
    ck_ok(ndv_release(&b));
    uint32_t w[2] = {'h', 'i'};
    ptrdiff_t two = 2;
    b = ck_view(w, sizeof w, "w", 1, &two, NULL, 0);
    ck_assert(eq_of(&b, &b));
    ck_assert(!eq_of(&a, &b));
    ck_ok(ndv_release(&b));
    ck_ok(ndv_release(&a));
}
END_TEST

Suite *equal_suite(void)
{
    Suite *s = suite_create("equal");
    TCase *tc = tcase_create("equal");
    tcase_add_test(tc, equality_semantics);
    tcase_add_test(tc, equality_beyond_struct);
    tcase_add_test(tc, mixed_format_equality);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(equal_suite());
}
