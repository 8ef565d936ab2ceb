/*
 * test_algebra.c - the view algebra's calls as a numeric library makes
 * them (one call each), and every error path with its status and words.
 * Results over random shapes are compared with NumPy by
 * tests/differential/algebra_diff.py.
 */
#include <stdint.h>
#include <stdlib.h>

#include "testutil.h"

static float img[4][5][3]; /* an RGB image, 4 rows x 5 columns */

static ndv_view image(void)
{
    for (int r = 0; r < 4; r++)
        for (int c = 0; c < 5; c++)
            for (int k = 0; k < 3; k++)
                img[r][c][k] = (float)(100 * r + 10 * c + k);
    ptrdiff_t shape[3] = {4, 5, 3};
    return ck_view(img, sizeof img, "f", 3, shape, NULL, 0);
}

static float at(const ndv_view *v, ptrdiff_t i, ptrdiff_t j)
{
    ptrdiff_t idx[2] = {i, j};
    void *p;
    ck_ok(ndv_get_pointer(v, idx, &p));
    return *(float *)p;
}

START_TEST(one_call_subscripts)
{
    ndv_view v = image(), g, s;
    ndv_sub green[] = {NDV_ALL, NDV_ALL, NDV_INDEX(1)}; /* img[:, :, 1] */
    ck_ok(ndv_subscript(&v, green, 3, &g));
    ck_assert_int_eq(g.ndim, 2);
    ck_assert_float_eq(at(&g, 2, 3), 231.0f);
    ndv_sub every_other[] = {NDV_SLICE(NDV_NONE, NDV_NONE, 2), NDV_SLICE(NDV_NONE, NDV_NONE, 2)};
    ck_ok(ndv_subscript(&g, every_other, 2, &s)); /* [::2, ::2] */
    ck_assert_int_eq(s.shape[0], 2);
    ck_assert_int_eq(s.shape[1], 3);
    ck_assert_float_eq(at(&s, 1, 2), 241.0f);
    ck_ok(ndv_release(&s));
    ndv_sub last_col[] = {NDV_ELLIPSIS, NDV_INDEX(-1), NDV_NEWAXIS, NDV_INDEX(0)};
    ck_ok(ndv_subscript(&v, last_col, 4, &s)); /* img[..., -1, None, 0]: shape (4, 1) */
    ck_assert_int_eq(s.ndim, 2);
    ck_assert_int_eq(s.shape[1], 1);
    ck_assert_int_eq(s.strides[1], 0);
    ck_assert_float_eq(at(&s, 3, 0), 340.0f);
    ck_ok(ndv_release(&s));
    ck_ok(ndv_subscript(&v, NULL, 0, &s)); /* img[()] is img */
    ck_assert_int_eq(s.ndim, 3);
    ck_ok(ndv_release(&s));
    ck_ok(ndv_release(&g));
    ck_ok(ndv_release(&v));
}
END_TEST

START_TEST(subscript_errors)
{
    ndv_view v = image(), o;
    ndv_sub four[] = {NDV_INDEX(0), NDV_INDEX(0), NDV_INDEX(0), NDV_INDEX(0)};
    ck_status(ndv_subscript(&v, four, 4, &o), NDV_ERR_INDEX);
    ck_assert_str_eq(ndv_errmsg(),
                     "too many indices for array: array is 3-dimensional, but 4 were indexed");
    ndv_sub far[] = {NDV_ALL, NDV_INDEX(5)};
    ck_status(ndv_subscript(&v, far, 2, &o), NDV_ERR_INDEX);
    ck_assert_str_eq(ndv_errmsg(), "index 5 is out of bounds for axis 1 with size 5");
    ndv_sub neg[] = {NDV_INDEX(-5)};
    ck_status(ndv_subscript(&v, neg, 1, &o), NDV_ERR_INDEX);
    ck_assert_str_eq(ndv_errmsg(), "index -5 is out of bounds for axis 0 with size 4");
    ndv_sub two[] = {NDV_ELLIPSIS, NDV_ELLIPSIS};
    ck_status(ndv_subscript(&v, two, 2, &o), NDV_ERR_INDEX);
    ck_assert_str_eq(ndv_errmsg(), "an index can only have a single ellipsis ('...')");
    ndv_sub zero[] = {NDV_SLICE(0, 3, 0)};
    ck_status(ndv_subscript(&v, zero, 1, &o), NDV_ERR_VALUE);
    ck_assert_str_eq(ndv_errmsg(), "slice step cannot be zero");
    ndv_sub odd[] = {{(ndv_sub_kind)9, 0, 0, 0}};
    ck_status(ndv_subscript(&v, odd, 1, &o), NDV_ERR_VALUE);
    ck_status(ndv_subscript(&v, NULL, 1, &o), NDV_ERR_VALUE);
    ndv_sub many[NDV_MAXDIM];
    for (int i = 0; i < NDV_MAXDIM; i++)
        many[i] = NDV_NEWAXIS;
    ck_status(ndv_subscript(&v, many, NDV_MAXDIM, &o), NDV_ERR_INDEX); /* 64 + 3 dimensions */
    ck_assert(ndv_is_released(&o));
    ck_ok(ndv_release(&v));
    ck_status(ndv_subscript(&v, four, 1, &o), NDV_ERR_RELEASED);
}
END_TEST

START_TEST(broadcast_and_reshape)
{
    int32_t row[3] = {1, 2, 3};
    ptrdiff_t n3 = 3, shape[2] = {4, 3}, bad[2] = {2, 4}, neg[2] = {-1, 3};
    ndv_view r = ck_view(row, sizeof row, "i", 1, &n3, NULL, 0), b, o;
    ck_ok(ndv_broadcast_to(&r, 2, shape, &b));
    ck_assert(b.readonly);
    ck_assert_int_eq(b.strides[0], 0);
    ck_status(ndv_broadcast_to(&r, 2, bad, &o), NDV_ERR_VALUE);
    ck_assert_str_eq(ndv_errmsg(), "operands could not be broadcast together with remapped "
                                   "shapes [original->remapped]: (3,)  and requested shape (2,4)");
    ck_status(ndv_broadcast_to(&r, 2, neg, &o), NDV_ERR_VALUE);
    ck_msg_has("non-negative");
    ck_status(ndv_broadcast_to(&b, 1, &n3, &o), NDV_ERR_VALUE);
    ck_msg_has("more dimensions than allowed");
    /* reshape: views of the broadcast can only be made by copying */
    ptrdiff_t flat = 12, two[2] = {-1, 2}, twice[2] = {-1, -1}, five = 5;
    ck_status(ndv_reshape(&b, 1, &flat, 'C', &o), NDV_ERR_VALUE);
    ck_assert_str_eq(ndv_errmsg(), "cannot reshape this view without copying");
    ck_ok(ndv_reshape(&r, 1, &n3, 'F', &o));
    ck_ok(ndv_release(&o));
    ck_status(ndv_reshape(&r, 2, two, 'C', &o), NDV_ERR_VALUE);
    ck_assert_str_eq(ndv_errmsg(), "cannot reshape array of size 3 into shape (-1,2)");
    ck_status(ndv_reshape(&r, 2, twice, 'C', &o), NDV_ERR_VALUE);
    ck_assert_str_eq(ndv_errmsg(), "can only specify one unknown dimension");
    ck_status(ndv_reshape(&r, 1, &five, 'C', &o), NDV_ERR_VALUE);
    ck_status(ndv_reshape(&r, 1, &n3, 'A', &o), NDV_ERR_VALUE);
    ck_ok(ndv_release(&b));
    ck_ok(ndv_release(&r));
}
END_TEST

START_TEST(fields_and_windows)
{
    struct rec { int32_t id; double val; float m[2][3]; } recs[3] = {{7, 1.5, {{0}}}};
    recs[2].m[1][2] = 9.0f;
    ptrdiff_t n3 = 3;
    ndv_view a = ck_view(recs, sizeof recs, "T{i:id:d:val:(2,3)f:m:}", 1, &n3, NULL, 0), f, w;
    ck_ok(ndv_get_field(&a, "m", &f)); /* a['m']: shape (3, 2, 3) */
    ck_assert_int_eq(f.ndim, 3);
    ck_assert_str_eq(f.format, "@f");
    ptrdiff_t idx[3] = {2, 1, 2};
    void *p;
    ck_ok(ndv_get_pointer(&f, idx, &p));
    ck_assert_float_eq(*(float *)p, 9.0f);
    ck_ok(ndv_release(&f));
    ck_status(ndv_get_field(&a, "nope", &f), NDV_ERR_VALUE);
    ck_assert_str_eq(ndv_errmsg(), "no field of name nope");
    ck_status(ndv_get_field(&a, "id.x", &f), NDV_ERR_VALUE);
    ck_status(ndv_get_field(&a, NULL, &f), NDV_ERR_VALUE);
    ck_ok(ndv_sliding_window(&a, 0, 2, &w));
    ck_assert_int_eq(w.shape[0], 2);
    ck_assert_int_eq(w.shape[1], 2);
    ck_assert(w.readonly);
    ck_ok(ndv_release(&w));
    ck_status(ndv_sliding_window(&a, 0, 4, &w), NDV_ERR_VALUE);
    ck_assert_str_eq(ndv_errmsg(), "window shape cannot be larger than input array shape");
    ck_status(ndv_sliding_window(&a, 0, -1, &w), NDV_ERR_VALUE);
    ck_status(ndv_sliding_window(&a, 1, 1, &w), NDV_ERR_INDEX);
    ck_ok(ndv_release(&a));
    ck_status(ndv_get_field(&a, "id", &f), NDV_ERR_RELEASED);
}
END_TEST

START_TEST(shares_memory_answers)
{
    char mem[4096];
    ptrdiff_t n = 64, st2 = 2, big = 1000, st3 = 3;
    ndv_view even = ck_view(mem, sizeof mem, "B", 1, &n, &st2, 0);
    ndv_view odd = ck_view(mem, sizeof mem, "B", 1, &n, &st2, 1);
    ndv_view wide = ck_view(mem, sizeof mem, "B", 1, &big, &st3, 1);
    int r = 7;
    ck_ok(ndv_shares_memory(&even, &odd, 1000, &r));
    ck_assert_int_eq(r, 0); /* interleaved, never the same byte */
    ck_ok(ndv_shares_memory(&even, &odd, 0, &r));
    ck_assert_int_eq(r, 1); /* bounds only: they meet */
    ck_ok(ndv_shares_memory(&even, &wide, 1000000, &r));
    ck_assert_int_eq(r, 1);
    /* bytes 14, 23, ..., 59 and 7, 26, ..., 83: no byte shared, found by searching */
    ptrdiff_t n6 = 6, n5 = 5, st9 = 9, st19 = 19;
    ndv_view by9 = ck_view(mem, sizeof mem, "B", 1, &n6, &st9, 14);
    ndv_view by19 = ck_view(mem, sizeof mem, "B", 1, &n5, &st19, 7);
    ck_ok(ndv_shares_memory(&by9, &by19, 100, &r));
    ck_assert_int_eq(r, 0);
    ck_ok(ndv_shares_memory(&by9, &by19, 1, &r));
    ck_assert_int_eq(r, -1); /* not decided in one step */
    ck_ok(ndv_release(&by9));
    ck_ok(ndv_release(&by19));
    ck_status(ndv_shares_memory(&odd, &wide, -1, &r), NDV_ERR_VALUE);
    ck_status(ndv_shares_memory(&odd, &wide, 1, NULL), NDV_ERR_VALUE);
    ck_ok(ndv_release(&wide));
    ck_status(ndv_shares_memory(&odd, &wide, 1, &r), NDV_ERR_RELEASED);
    ck_ok(ndv_release(&odd));
    ck_ok(ndv_release(&even));
}
END_TEST

START_TEST(fill_buffer_rules)
{
    double m[2][3];
    ptrdiff_t shape[2] = {2, 3}, fstrides[2] = {8, 16};
    ndv_buffer b;
    ck_ok(ndv_fill_buffer(&b, NULL, m, 8, "d", 2, shape, NULL, false, NDV_BUF_FULL));
    ck_assert_int_eq(b.len, 48);
    ck_assert_ptr_eq(b.shape, shape);
    ck_assert_str_eq(b.format, "d");
    ck_ok(ndv_fill_buffer(&b, NULL, m, 8, "d", 2, shape, NULL, false, NDV_BUF_SIMPLE));
    ck_assert_ptr_null(b.format);
    ck_assert_ptr_null(b.shape);
    ck_assert_int_eq(b.ndim, 1);
    ck_status(ndv_fill_buffer(&b, NULL, m, 8, "d", 2, shape, NULL, true, NDV_BUF_WRITABLE),
              NDV_ERR_BUFFER);
    ck_assert_str_eq(ndv_errmsg(), "memoryview: underlying buffer is not writable");
    ck_status(ndv_fill_buffer(&b, NULL, m, 8, "d", 2, shape, fstrides, false, NDV_BUF_ND),
              NDV_ERR_BUFFER);
    ck_assert_str_eq(ndv_errmsg(), "memoryview: underlying buffer is not C-contiguous");
    ck_ok(ndv_fill_buffer(&b, NULL, m, 8, "d", 2, shape, fstrides, false, NDV_BUF_F_CONTIGUOUS));
    ck_status(ndv_fill_buffer(&b, NULL, m, 8, "d", 2, shape, NULL, false, NDV_BUF_FORMAT),
              NDV_ERR_BUFFER);
    ck_msg_has("format flag is present");
    ptrdiff_t huge[2] = {PTRDIFF_MAX / 2, 4};
    ck_status(ndv_fill_buffer(&b, NULL, m, 8, "d", 2, huge, NULL, false, NDV_BUF_FULL),
              NDV_ERR_OVERFLOW);
    ck_status(ndv_fill_buffer(&b, NULL, m, 0, "d", 2, shape, NULL, false, NDV_BUF_FULL),
              NDV_ERR_VALUE);
    ck_status(ndv_fill_buffer(&b, NULL, NULL, 8, "d", 2, shape, NULL, false, NDV_BUF_FULL),
              NDV_ERR_VALUE);
    ck_status(ndv_fill_buffer(NULL, NULL, m, 8, "d", 2, shape, NULL, false, NDV_BUF_FULL),
              NDV_ERR_VALUE);
}
END_TEST

START_TEST(dialects)
{
    bool same = false;
    ck_ok(ndv_format_equivalent("l", "=q", &same)); /* LP64: long is 8 bytes, host order */
    ck_assert(same);
    ck_ok(ndv_format_equivalent("T{i:a:i:b:}", "2i", &same));
    ck_assert(same);
    ck_ok(ndv_format_equivalent("<i", ">i", &same));
    ck_assert(!same);
    ck_ok(ndv_format_equivalent("i", "I", &same));
    ck_assert(!same);
    ck_status(ndv_format_equivalent("i", "y", &same), NDV_ERR_FORMAT);
    char out[16];
    ck_ok(ndv_format_from_numpy(">c16", out, sizeof out));
    ck_assert_str_eq(out, ">Zd");
    ck_ok(ndv_format_from_numpy("|b1", out, sizeof out));
    ck_assert_str_eq(out, "?");
    ck_status(ndv_format_from_numpy("<f4", out, 2), NDV_ERR_VALUE); /* "<f" needs 3 bytes */
    ck_status(ndv_format_from_numpy("<M8[ns]", out, sizeof out), NDV_ERR_FORMAT);
    ck_ok(ndv_format_to_numpy("=H", out, sizeof out)); /* '=' is the host's order */
    const uint16_t one = 1;
    ck_assert_str_eq(out, *(const char *)&one ? "<u2" : ">u2");
    ck_status(ndv_format_to_numpy("2i", out, sizeof out), NDV_ERR_FORMAT);
    ck_status(ndv_format_to_numpy("c", out, sizeof out), NDV_ERR_FORMAT);
    ndv_layout layout;
    ndv_field fields[4];
    const char *fmt = "T{<i:id:<d:val:}";
    ck_ok(ndv_format_layout(fmt, &layout, fields, 4));
    ck_assert_int_eq(layout.nfields, 2);
    ck_assert_int_eq(fields[1].name_len, 3);
    ck_assert(fields[1].name == fmt + 11);
    ck_assert(strncmp(fields[1].name, "val", 3) == 0);
}
END_TEST

START_TEST(messages_for_people)
{
    ndv_bytes *b;
    ndv_view v;
    ck_ok(ndv_bytes_new(&b, 8));
    ck_ok(ndv_view_from_exporter(&v, b, ndv_bytes_exporter(), NDV_BUF_FULL));
    ck_status(ndv_bytes_free(b), NDV_ERR_BUFFER);
    ck_assert_str_eq(ndv_errmsg(), "Existing exports of data: object cannot be freed");
    ck_status(ndv_bytes_resize(b, 4), NDV_ERR_BUFFER);
    ck_assert_str_eq(ndv_errmsg(), "Existing exports of data: object cannot be re-sized");
    ptrdiff_t idx = 8;
    void *p;
    ck_status(ndv_get_pointer(&v, &idx, &p), NDV_ERR_INDEX);
    ck_assert_str_eq(ndv_errmsg(), "index out of bounds on dimension 1"); /* from 1, as CPython */
    ck_ok(ndv_release(&v));
    ck_ok(ndv_bytes_free(b));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("algebra");
    TCase *tc = tcase_create("algebra");
    tcase_add_test(tc, one_call_subscripts);
    tcase_add_test(tc, subscript_errors);
    tcase_add_test(tc, broadcast_and_reshape);
    tcase_add_test(tc, fields_and_windows);
    tcase_add_test(tc, shares_memory_answers);
    tcase_add_test(tc, fill_buffer_rules);
    tcase_add_test(tc, dialects);
    tcase_add_test(tc, messages_for_people);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
