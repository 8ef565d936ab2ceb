/*
 * test_views.c - ndv_view_from_memory: validation, ownership, len and
 * contiguity (memoryview's rules, table-driven).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "testutil.h"

static unsigned char mem[4096];

START_TEST(simple_c_array)
{
    ndv_view v;
    ptrdiff_t shape[2] = {3, 4};
    ck_ok(ndv_view_from_memory(&v, mem, sizeof mem, false, "i", 2, shape, NULL, 16));
    ck_assert_ptr_eq(v.buf, mem + 16);
    ck_assert_int_eq(v.len, 48);
    ck_assert_int_eq(v.itemsize, 4);
    ck_assert_int_eq(v.ndim, 2);
    ck_assert(!v.readonly);
    ck_assert_str_eq(v.format, "i");
    ck_assert_int_eq(v.shape[0], 3);
    ck_assert_int_eq(v.shape[1], 4);
    ck_assert_int_eq(v.strides[0], 16);
    ck_assert_int_eq(v.strides[1], 4);
    ck_assert_ptr_null(v.suboffsets);
    ck_assert(ndv_is_contiguous(&v, 'C'));
    ck_assert(!ndv_is_contiguous(&v, 'F'));
    ck_assert(ndv_is_contiguous(&v, 'A'));
    ck_assert(!ndv_is_contiguous(&v, 'X'));
    ck_ok(ndv_release(&v));
    ck_assert(ndv_is_released(&v));
}
END_TEST

/* The view copies the format, shape and strides: the caller's may change. */
START_TEST(view_owns_its_metadata)
{
    char fmt[8] = "<q";
    ptrdiff_t shape[1] = {5}, strides[1] = {-8};
    ndv_view v;
    ck_ok(ndv_view_from_memory(&v, mem, 40, true, fmt, 1, shape, strides, 32));
    memset(fmt, 'x', sizeof fmt - 1);
    shape[0] = 99;
    strides[0] = 1;
    ck_assert_str_eq(v.format, "<q");
    ck_assert_int_eq(v.shape[0], 5);
    ck_assert_int_eq(v.strides[0], -8);
    ck_assert_int_eq(v.len, 40);
    ck_assert(v.readonly);
    ck_ok(ndv_release(&v));
}
END_TEST

START_TEST(zero_dim_view)
{
    ndv_view v;
    ck_ok(ndv_view_from_memory(&v, mem, 8, false, "d", 0, NULL, NULL, 0));
    ck_assert_int_eq(v.ndim, 0);
    ck_assert_int_eq(v.len, 8);
    ck_assert(ndv_is_contiguous(&v, 'C') && ndv_is_contiguous(&v, 'F'));
    ck_ok(ndv_release(&v));
    ck_status(ndv_view_from_memory(&v, mem, 7, false, "d", 0, NULL, NULL, 0), NDV_ERR_VALUE);
}
END_TEST

typedef struct {
    const char *what;
    ptrdiff_t memlen;
    const char *fmt;
    int ndim;
    ptrdiff_t shape[3];
    ptrdiff_t strides[3];  /* all 0 with use_strides=0 means C order */
    int use_strides;
    ptrdiff_t offset;
    ndv_status want;
} build_case;

#define BIG PTRDIFF_MAX
static const build_case build_table[] = {
    {"fits exactly", 12, "i", 1, {3}, {0}, 0, 0, NDV_OK},
    {"one byte short", 11, "i", 1, {3}, {0}, 0, 0, NDV_ERR_VALUE},
    {"offset at the end, empty", 12, "i", 1, {0}, {0}, 0, 12, NDV_OK},
    {"offset past the end, empty", 12, "i", 1, {0}, {0}, 0, 13, NDV_ERR_VALUE},
    {"negative offset, empty", 12, "i", 1, {0}, {0}, 0, -1, NDV_ERR_VALUE},
    {"offset at the last item", 12, "i", 1, {1}, {0}, 0, 8, NDV_OK},
    {"offset one past the last item", 12, "i", 1, {1}, {0}, 0, 9, NDV_ERR_VALUE},
    {"negative stride from the end", 12, "i", 1, {3}, {-4}, 1, 8, NDV_OK},
    {"negative stride too far", 12, "i", 1, {3}, {-4}, 1, 7, NDV_ERR_VALUE},
    {"negative offset", 12, "i", 1, {1}, {0}, 0, -4, NDV_ERR_VALUE},
    {"zero stride", 4, "i", 1, {1000}, {0}, 1, 0, NDV_OK},
    {"mixed signs 2-D", 24, "i", 2, {2, 3}, {12, -4}, 1, 8, NDV_OK},
    {"mixed signs 2-D, one short", 23, "i", 2, {2, 3}, {12, -4}, 1, 8, NDV_ERR_VALUE},
    {"negative shape", 100, "i", 1, {-1}, {0}, 0, 0, NDV_ERR_VALUE},
    {"shape product overflows", 100, "B", 2, {BIG, 3}, {0}, 0, 0, NDV_ERR_OVERFLOW},
    {"len overflows with itemsize", 100, "q", 1, {BIG / 4}, {0}, 0, 0, NDV_ERR_OVERFLOW},
    {"stride times extent overflows", 100, "B", 1, {3}, {BIG}, 1, 0, NDV_ERR_OVERFLOW},
    {"stride -PTRDIFF_MAX", 100, "B", 1, {2}, {-BIG}, 1, 0, NDV_ERR_VALUE},
    {"offset overflows", 100, "B", 1, {2}, {2}, 1, BIG, NDV_ERR_OVERFLOW},
    {"huge strides, one element", 1, "B", 2, {1, 1}, {BIG, -BIG}, 1, 0, NDV_OK},
    /* found by fuzz_view: the reach was summed before the zero extent was seen */
    {"huge stride before a zero extent", 100, "B", 2, {3, 0}, {-BIG, 1}, 1, 0, NDV_OK},
    {"zero extent, huge C strides", 0, "q", 3, {0, BIG / 2, 4}, {0}, 0, 0, NDV_ERR_OVERFLOW},
    {"zero extent, huge strides", 0, "q", 2, {0, 5}, {BIG, BIG}, 1, 0, NDV_OK},
    {"bad format", 100, "i$", 1, {1}, {0}, 0, 0, NDV_ERR_FORMAT},
    {"itemsize zero", 100, "0i", 1, {1}, {0}, 0, 0, NDV_ERR_VALUE},
    {"record format", 32, "T{<i:x:<d:y:}", 1, {2}, {0}, 0, 0, NDV_OK},
    {"unaligned byte strides", 10, "i", 1, {2}, {5}, 1, 1, NDV_OK},
};

START_TEST(validation_table)
{
    const build_case *c = &build_table[_i];
    static unsigned char small[64];
    ndv_view v;
    ndv_status s = ndv_view_from_memory(&v, c->memlen ? small : NULL, c->memlen, false, c->fmt,
                                        c->ndim, c->shape, c->use_strides ? c->strides : NULL,
                                        c->offset);
    ck_assert_msg(s == c->want, "%s: got %s want %s (%s)", c->what, ndv_status_name(s),
                  ndv_status_name(c->want), ndv_errmsg());
    if (s == NDV_OK)
        ck_ok(ndv_release(&v));
    else
        ck_assert_msg(ndv_is_released(&v), "%s: failed call left a live view", c->what);
}
END_TEST

START_TEST(bad_arguments)
{
    ndv_view v;
    ptrdiff_t shape[65];
    for (int i = 0; i < 65; i++)
        shape[i] = 1;
    ck_status(ndv_view_from_memory(NULL, mem, 4, false, "B", 1, shape, NULL, 0), NDV_ERR_VALUE);
    ck_status(ndv_view_from_memory(&v, mem, 4, false, NULL, 1, shape, NULL, 0), NDV_ERR_VALUE);
    ck_status(ndv_view_from_memory(&v, NULL, 4, false, "B", 1, shape, NULL, 0), NDV_ERR_VALUE);
    ck_status(ndv_view_from_memory(&v, mem, -1, false, "B", 1, shape, NULL, 0), NDV_ERR_VALUE);
    ck_status(ndv_view_from_memory(&v, mem, 4, false, "B", 1, NULL, NULL, 0), NDV_ERR_VALUE);
    ck_status(ndv_view_from_memory(&v, mem, 4, false, "B", -1, shape, NULL, 0), NDV_ERR_VALUE);
    ck_status(ndv_view_from_memory(&v, mem, 4, false, "B", 65, shape, NULL, 0), NDV_ERR_VALUE);
    ck_msg_has("number of dimensions must not exceed 64");
    ck_ok(ndv_view_from_memory(&v, mem, 4, false, "B", 64, shape, NULL, 0));
    ck_assert_int_eq(v.ndim, 64);
    ck_assert(ndv_is_contiguous(&v, 'C') && ndv_is_contiguous(&v, 'F'));
    ck_ok(ndv_release(&v));
    /* Empty memory with an empty view. */
    ptrdiff_t zero = 0;
    ck_ok(ndv_view_from_memory(&v, NULL, 0, false, "i", 1, &zero, NULL, 0));
    ck_assert_int_eq(v.len, 0);
    ck_ok(ndv_release(&v));
}
END_TEST

/* Every contiguity rule of the reference (section 3.1), as (shape, strides) -> C, F. */
typedef struct {
    const char *what;
    ptrdiff_t itemsize;
    int ndim;
    ptrdiff_t shape[3];
    ptrdiff_t strides[3];
    bool c, f;
} contig_case;

static const contig_case contig_table[] = {
    {"1-D unit stride", 1, 1, {6}, {1}, true, true},
    {"1-D step 2", 1, 1, {3}, {2}, false, false},
    {"1-D empty with step 2 (no len==0 rule in 1-D)", 1, 1, {0}, {2}, false, false},
    {"1-D empty unit stride", 1, 1, {0}, {1}, true, true},
    {"1-D one item, any stride", 4, 1, {1}, {-4}, true, true},
    {"1-D one item, zero stride", 4, 1, {1}, {0}, true, true},
    {"1-D zero stride", 4, 1, {3}, {0}, false, false},
    {"1-D reversed", 4, 1, {3}, {-4}, false, false},
    {"2-D C", 4, 2, {3, 4}, {16, 4}, true, false},
    {"2-D F", 4, 2, {3, 4}, {4, 12}, false, true},
    {"[1,12] strides (48,4)", 4, 2, {1, 12}, {48, 4}, true, true},
    {"[12,1] strides (4,4)", 4, 2, {12, 1}, {4, 4}, true, true},
    {"[3,0] zero extent", 4, 2, {3, 0}, {0, 0}, true, true},
    {"[0,3] zero extent, odd strides", 4, 2, {0, 3}, {7, 9}, true, true},
    {"[3,4] zero strides", 4, 2, {3, 4}, {0, 0}, false, false},
    {"2-D reversed rows", 1, 2, {2, 3}, {-3, 1}, false, false},
    {"2-D transposed", 1, 2, {3, 2}, {1, 3}, false, true},
    {"3-D C", 2, 3, {2, 3, 4}, {24, 8, 2}, true, false},
    {"3-D F", 2, 3, {2, 3, 4}, {2, 4, 12}, false, true},
    {"3-D C with extent-1 odd stride", 2, 3, {2, 1, 4}, {8, 1000, 2}, true, false},
    {"3-D all extent 1", 8, 3, {1, 1, 1}, {5, -3, 0}, true, true},
    {"3-D sliced columns", 1, 3, {2, 2, 2}, {8, 4, 1}, false, false},
};

START_TEST(contiguity_table)
{
    const contig_case *c = &contig_table[_i];
    static unsigned char big[1 << 16];
    char fmt[2] = {c->itemsize == 1 ? 'B' : c->itemsize == 2 ? 'h' : c->itemsize == 4 ? 'i' : 'q', 0};
    ndv_view v;
    ck_ok(ndv_view_from_memory(&v, big, sizeof big, false, fmt, c->ndim, c->shape, c->strides,
                               sizeof big / 2));
    ck_assert_msg(ndv_is_contiguous(&v, 'C') == c->c, "%s: C", c->what);
    ck_assert_msg(ndv_is_contiguous(&v, 'F') == c->f, "%s: F", c->what);
    ck_assert_msg(ndv_is_contiguous(&v, 'A') == (c->c || c->f), "%s: A", c->what);
    ck_ok(ndv_release(&v));
}
END_TEST

START_TEST(version_and_status_names)
{
    char want[32];
    snprintf(want, sizeof want, "%d.%d.%d", NDV_VERSION_MAJOR, NDV_VERSION_MINOR,
             NDV_VERSION_PATCH);
    ck_assert_str_eq(ndv_version(), want);
    ck_assert_str_eq(ndv_status_name(NDV_OK), "NDV_OK");
    ck_assert_str_eq(ndv_status_name(NDV_ERR_RELEASED), "NDV_ERR_RELEASED");
    ck_assert_str_eq(ndv_status_name(NDV_ERR_NOTIMPL), "NDV_ERR_NOTIMPL");
    ck_assert_str_eq(ndv_status_name((ndv_status)999), "NDV_ERR_UNKNOWN");
    ck_assert_str_eq(ndv_status_name((ndv_status)-1), "NDV_ERR_UNKNOWN");
}
END_TEST

Suite *views_suite(void)
{
    Suite *s = suite_create("views");
    TCase *tc = tcase_create("from_memory");
    tcase_add_test(tc, simple_c_array);
    tcase_add_test(tc, view_owns_its_metadata);
    tcase_add_test(tc, zero_dim_view);
    tcase_add_loop_test(tc, validation_table, 0, (int)(sizeof build_table / sizeof build_table[0]));
    tcase_add_test(tc, bad_arguments);
    tcase_add_loop_test(tc, contiguity_table, 0,
                        (int)(sizeof contig_table / sizeof contig_table[0]));
    tcase_add_test(tc, version_and_status_names);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(views_suite());
}
