/*
 * test_convert.c - converting copies as a user calls them, and every
 * refusal with its status and words (nothing written). Values against
 * NumPy: tests/differential/convert_diff.py; every kernel at every level:
 * test_convert_kernels.c.
 */
#include <math.h>
#include <stdint.h>

#include "testutil.h"

START_TEST(converts_and_broadcasts)
{
    int16_t samples[2][3] = {{1, -2, 3}, {4, 5, -6}};
    float out[2][3];
    ptrdiff_t shape[2] = {2, 3}, n3 = 3;
    ndv_view s = ck_view(samples, sizeof samples, "h", 2, shape, NULL, 0);
    ndv_view d = ck_view(out, sizeof out, "f", 2, shape, NULL, 0);
    ck_ok(ndv_convert(&d, &s, NDV_CASTING_SAFE)); /* int16 -> float32 is safe */
    ck_assert_float_eq(out[1][2], -6.0f);
    double row[3] = {0.5, 1.5, 2.5};
    ndv_view r = ck_view(row, sizeof row, "d", 1, &n3, NULL, 0);
    ck_ok(ndv_convert(&d, &r, NDV_CASTING_SAME_KIND)); /* broadcast over both rows */
    ck_assert_float_eq(out[1][0], 0.5f);
    ck_ok(ndv_release(&r));
    ck_ok(ndv_release(&d));
    ck_ok(ndv_release(&s));
}
END_TEST

START_TEST(refusals_write_nothing)
{
    double src[4] = {1, 2, NAN, 4};
    int32_t dst[4] = {7, 7, 7, 7};
    ptrdiff_t n4 = 4, n2 = 2, shape[2] = {2, 2};
    ndv_view s = ck_view(src, sizeof src, "d", 1, &n4, NULL, 0), d, o;
    d = ck_view(dst, sizeof dst, "i", 1, &n4, NULL, 0);
    ck_status(ndv_convert(&d, &s, NDV_CASTING_SAFE), NDV_ERR_TYPE);
    ck_assert_str_eq(ndv_errmsg(), "Cannot cast array data from dtype('float64') to "
                                   "dtype('int32') according to the rule 'safe'");
    ck_assert_int_eq(dst[0], 7);
    /* NaN: refused at its index; the items before it are converted, the rest kept */
    ck_status(ndv_convert(&d, &s, NDV_CASTING_UNSAFE), NDV_ERR_VALUE);
    ck_msg_has("index (2,)");
    ck_assert_int_eq(dst[1], 2);
    ck_assert_int_eq(dst[2], 7);
    ck_assert_int_eq(dst[3], 7);
    o = ck_view(dst, sizeof dst, "i", 2, shape, NULL, 0);
    ndv_view s2 = ck_view(src, sizeof src, "d", 1, &n2, NULL, 0);
    ck_ok(ndv_convert(&o, &s2, NDV_CASTING_UNSAFE)); /* (2,) broadcasts into (2,2) */
    ck_status(ndv_convert(&o, &s, NDV_CASTING_UNSAFE), NDV_ERR_VALUE);
    ck_assert_str_eq(ndv_errmsg(), "could not broadcast input array from shape (4,) into shape "
                                   "(2,2)");
    ndv_view rec = ck_view(src, sizeof src, "2i", 1, &n4, NULL, 0);
    ck_status(ndv_convert(&d, &rec, NDV_CASTING_UNSAFE), NDV_ERR_TYPE);
    ck_msg_has("is not one numeric value");
    ndv_view ro;
    ck_ok(ndv_toreadonly(&d, &ro));
    ck_status(ndv_convert(&ro, &s2, NDV_CASTING_UNSAFE), NDV_ERR_READONLY);
    ck_status(ndv_convert(&d, &s, (ndv_casting)9), NDV_ERR_VALUE);
    bool ok = true;
    ck_ok(ndv_can_cast("i", "d", NDV_CASTING_SAFE, &ok));
    ck_assert(ok);
    ck_ok(ndv_can_cast("<i", ">i", NDV_CASTING_NO, &ok));
    ck_assert(!ok);
    ck_status(ndv_can_cast("s", "d", NDV_CASTING_SAFE, &ok), NDV_ERR_TYPE);
    ck_status(ndv_can_cast("i", "y", NDV_CASTING_SAFE, &ok), NDV_ERR_FORMAT);
    ck_status(ndv_can_cast(NULL, "i", NDV_CASTING_SAFE, &ok), NDV_ERR_VALUE);
    ndv_release(&ro);
    ndv_release(&rec);
    ndv_release(&s2);
    ndv_release(&o);
    ck_ok(ndv_release(&s));
    ck_status(ndv_convert(&d, &s, NDV_CASTING_UNSAFE), NDV_ERR_RELEASED);
    ck_ok(ndv_release(&d));
}
END_TEST

START_TEST(fill_packs_once)
{
    uint16_t m[3][4];
    ptrdiff_t shape[2] = {3, 4}, strides[2] = {8, -2};
    ndv_view v = ck_view(m, sizeof m, "H", 2, shape, strides, 6), t;
    ndv_value x = {NDV_KIND_INT, {.i = 513}}, big = {NDV_KIND_INT, {.i = 70000}};
    ck_ok(ndv_fill(&v, &x));
    ck_assert_int_eq(m[2][3], 513);
    ck_status(ndv_fill(&v, &big), NDV_ERR_VALUE); /* struct.pack's range: nothing written */
    ck_assert_int_eq(m[0][0], 513);
    ck_ok(ndv_transpose(&v, NULL, &t));
    x.v.i = 2;
    ck_ok(ndv_fill(&t, &x));
    ck_assert_int_eq(m[1][1], 2);
    ck_ok(ndv_release(&t));
    ck_ok(ndv_release(&v));
    ck_status(ndv_fill(&v, &x), NDV_ERR_RELEASED);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("convert");
    TCase *tc = tcase_create("convert");
    tcase_add_test(tc, converts_and_broadcasts);
    tcase_add_test(tc, refusals_write_nothing);
    tcase_add_test(tc, fill_packs_once);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
