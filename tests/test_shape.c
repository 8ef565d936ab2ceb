/*
 * test_shape.c - slice, index, get_pointer, transpose, cast, toreadonly,
 * including PIL-style (suboffset) arrays.
 */
#include <stdint.h>

#include "testutil.h"

static int32_t grid[4][6]; /* grid[r][c] = 10*r + c */

static void make_grid(ndv_view *v)
{
    for (int r = 0; r < 4; r++)
        for (int c = 0; c < 6; c++)
            grid[r][c] = 10 * r + c;
    ptrdiff_t shape[2] = {4, 6};
    ck_ok(ndv_view_from_memory(v, grid, sizeof grid, false, "i", 2, shape, NULL, 0));
}

static int32_t at(const ndv_view *v, ptrdiff_t i, ptrdiff_t j)
{
    ptrdiff_t idx[2] = {i, j};
    void *p;
    ck_ok(ndv_get_pointer(v, idx, &p));
    return *(int32_t *)p;
}

START_TEST(slice_any_dimension)
{
    ndv_view v, a, b;
    make_grid(&v);
    ck_ok(ndv_slice(&v, 1, 1, NDV_NONE, 2, &a)); /* v[:, 1::2] */
    ck_assert_int_eq(a.shape[0], 4);
    ck_assert_int_eq(a.shape[1], 3);
    ck_assert_int_eq(a.strides[1], 8);
    ck_assert_int_eq(at(&a, 2, 1), 23);
    ck_assert_int_eq(at(&a, -1, -1), 35);
    ck_assert(!ndv_is_contiguous(&a, 'A'));
    ck_ok(ndv_slice(&a, 0, NDV_NONE, NDV_NONE, -1, &b)); /* reversed rows */
    ck_assert_int_eq(at(&b, 0, 0), 31);
    ck_assert_int_eq(b.strides[0], -24);
    ck_ok(ndv_release(&b));
    ck_ok(ndv_slice(&a, 1, -100, 100, 1, &b)); /* clamped */
    ck_assert_int_eq(b.shape[1], 3);
    ck_ok(ndv_release(&b));
    ck_ok(ndv_slice(&a, 1, 2, 1, 1, &b)); /* empty */
    ck_assert_int_eq(b.shape[1], 0);
    ck_assert_int_eq(b.len, 0);
    ck_assert(ndv_is_contiguous(&b, 'C')); /* zero extent in N-D */
    ck_ok(ndv_release(&b));
    ck_status(ndv_slice(&a, 1, 0, 1, 0, &b), NDV_ERR_VALUE);
    ck_assert_str_eq(ndv_errmsg(), "slice step cannot be zero");
    ck_status(ndv_slice(&a, 2, 0, 1, 1, &b), NDV_ERR_INDEX);
    ck_status(ndv_slice(&a, -1, 0, 1, 1, &b), NDV_ERR_INDEX);
    ck_status(ndv_slice(&a, 0, 0, 1, 1, NULL), NDV_ERR_VALUE);
    /* In place: out may be the source. */
    ck_ok(ndv_slice(&a, 0, 1, 3, 1, &a));
    ck_assert_int_eq(at(&a, 0, 0), 11);
    ck_ok(ndv_release(&a));
    ck_ok(ndv_release(&v));
}
END_TEST

START_TEST(slice_of_zero_dim_fails)
{
    ndv_view v, o;
    ck_ok(ndv_view_from_memory(&v, grid, 4, false, "i", 0, NULL, NULL, 0));
    ck_status(ndv_slice(&v, 0, 0, 1, 1, &o), NDV_ERR_TYPE);
    ck_assert_str_eq(ndv_errmsg(), "invalid indexing of 0-dim memory");
    ck_status(ndv_index(&v, 0, &o), NDV_ERR_TYPE);
    void *p;
    ck_ok(ndv_get_pointer(&v, NULL, &p));
    ck_assert_ptr_eq(p, grid);
    ck_ok(ndv_release(&v));
}
END_TEST

START_TEST(index_drops_dimension_zero)
{
    ndv_view v, r, e;
    make_grid(&v);
    ck_ok(ndv_index(&v, -2, &r));
    ck_assert_int_eq(r.ndim, 1);
    ck_assert_int_eq(r.shape[0], 6);
    ck_assert_ptr_eq(r.buf, &grid[2][0]);
    ck_assert(ndv_is_contiguous(&r, 'C'));
    ck_ok(ndv_index(&r, 5, &e));
    ck_assert_int_eq(e.ndim, 0);
    ck_assert_int_eq(*(int32_t *)e.buf, 25);
    ck_ok(ndv_release(&e));
    ck_status(ndv_index(&v, 4, &e), NDV_ERR_INDEX);
    ck_assert_str_eq(ndv_errmsg(), "index out of bounds on dimension 1");
    ck_status(ndv_index(&v, -5, &e), NDV_ERR_INDEX);
    ptrdiff_t bad[2] = {0, 6};
    void *p;
    ck_status(ndv_get_pointer(&v, bad, &p), NDV_ERR_INDEX);
    ck_assert_str_eq(ndv_errmsg(), "index out of bounds on dimension 2");
    ck_status(ndv_get_pointer(&v, NULL, &p), NDV_ERR_VALUE);
    ck_status(ndv_get_pointer(&v, bad, NULL), NDV_ERR_VALUE);
    ck_ok(ndv_release(&r));
    ck_ok(ndv_release(&v));
}
END_TEST

START_TEST(transpose_permutes)
{
    ndv_view v, t, u;
    make_grid(&v);
    ck_ok(ndv_transpose(&v, NULL, &t));
    ck_assert_int_eq(t.shape[0], 6);
    ck_assert_int_eq(t.strides[0], 4);
    ck_assert(ndv_is_contiguous(&t, 'F'));
    ck_assert(!ndv_is_contiguous(&t, 'C'));
    ck_assert_int_eq(at(&t, 5, 3), 35);
    int id[2] = {0, 1}, bad[2] = {1, 1}, out_of_range[2] = {0, 2};
    ck_ok(ndv_transpose(&t, id, &u));
    ck_assert_int_eq(at(&u, 5, 3), 35);
    ck_ok(ndv_release(&u));
    ck_status(ndv_transpose(&t, bad, &u), NDV_ERR_VALUE);
    ck_status(ndv_transpose(&t, out_of_range, &u), NDV_ERR_VALUE);
    ck_ok(ndv_release(&t));
    ck_ok(ndv_release(&v));
}
END_TEST

START_TEST(toreadonly_shares_and_protects)
{
    ndv_view v, r, x;
    make_grid(&v);
    ck_ok(ndv_toreadonly(&v, &r));
    ck_assert(r.readonly);
    ck_assert(!v.readonly);
    ck_status(ndv_get_buffer(&r, &x, NDV_BUF_WRITABLE), NDV_ERR_BUFFER);
    ck_ok(ndv_release(&r));
    ck_ok(ndv_get_buffer(&v, &x, NDV_BUF_WRITABLE)); /* the parent is untouched */
    ck_ok(ndv_release(&x));
    ck_ok(ndv_release(&v));
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Cast: every rule and error of the reference, in CPython's order           */
/* ------------------------------------------------------------------------ */

typedef struct {
    const char *what;
    const char *src_fmt;
    int src_ndim;
    ptrdiff_t src_shape[3];
    int slice_step;        /* >1: take src[::step] on dimension 0 first */
    bool transpose;
    const char *fmt;
    int ndim;              /* -1: no shape */
    ptrdiff_t shape[3];
    ndv_status want;
    const char *msg;
} cast_case;

static const cast_case cast_table[] = {
    {"i -> B", "i", 1, {6}, 0, false, "B", -1, {0}, NDV_OK, NULL},
    {"B -> i", "B", 1, {24}, 0, false, "i", -1, {0}, NDV_OK, NULL},
    {"B -> @d", "B", 1, {24}, 0, false, "@d", -1, {0}, NDV_OK, NULL},
    {"B -> e (3.12+)", "B", 1, {24}, 0, false, "e", -1, {0}, NDV_OK, NULL},
    {"B -> 2-D i", "B", 1, {24}, 0, false, "i", 2, {2, 3}, NDV_OK, NULL},
    {"2-D i -> 1-D B", "i", 2, {2, 3}, 0, false, "B", -1, {0}, NDV_OK, NULL},
    {"2-D i -> 1-D c with shape", "i", 2, {2, 3}, 0, false, "c", 1, {24}, NDV_OK, NULL},
    {"B -> 0-d i", "B", 1, {4}, 0, false, "i", 0, {0}, NDV_OK, NULL},
    {"0-d i -> B", "i", 0, {0}, 0, false, "B", -1, {0}, NDV_OK, NULL},
    {"0-d i -> B [4]", "i", 0, {0}, 0, false, "B", 1, {4}, NDV_OK, NULL},
    {"<i record -> B", "<i", 1, {6}, 0, false, "B", -1, {0}, NDV_OK, NULL},
    {"T{} -> B", "T{<i:x:<d:y:}", 1, {2}, 0, false, "B", -1, {0}, NDV_OK, NULL},
    {"empty 1-D cast", "B", 1, {0}, 0, false, "i", -1, {0}, NDV_OK, NULL},
    {"strided", "B", 1, {24}, 2, false, "B", -1, {0}, NDV_ERR_TYPE,
     "memoryview: casts are restricted to C-contiguous views"},
    {"F-only", "i", 2, {2, 3}, 0, true, "B", -1, {0}, NDV_ERR_TYPE,
     "memoryview: casts are restricted to C-contiguous views"},
    {"empty with shape", "B", 1, {0}, 0, false, "i", 1, {0}, NDV_ERR_TYPE,
     "memoryview: cannot cast view with zeros in shape or strides"},
    {"empty 2-D", "i", 2, {0, 3}, 0, false, "B", -1, {0}, NDV_ERR_TYPE,
     "memoryview: cannot cast view with zeros in shape or strides"},
    {"2-D -> 2-D", "B", 2, {4, 6}, 0, false, "B", 2, {6, 4}, NDV_ERR_TYPE,
     "memoryview: cast must be 1D -> ND or ND -> 1D"},
    {"0-d -> 0-d", "B", 0, {0}, 0, false, "B", 0, {0}, NDV_ERR_TYPE,
     "memoryview: cast must be 1D -> ND or ND -> 1D"},
    {"ndim 65", "B", 1, {24}, 0, false, "B", 65, {0}, NDV_ERR_VALUE,
     "memoryview: number of dimensions must not exceed 64"},
    {"dest <i", "B", 1, {24}, 0, false, "<i", -1, {0}, NDV_ERR_VALUE,
     "destination format must be a native single character"},
    {"dest 2i", "B", 1, {24}, 0, false, "2i", -1, {0}, NDV_ERR_VALUE, "native single character"},
    {"dest x", "B", 1, {24}, 0, false, "x", -1, {0}, NDV_ERR_VALUE, "native single character"},
    {"dest s", "B", 1, {24}, 0, false, "s", -1, {0}, NDV_ERR_VALUE, "native single character"},
    {"dest empty", "B", 1, {24}, 0, false, "", -1, {0}, NDV_ERR_VALUE, "native single character"},
    {"dest @@i", "B", 1, {24}, 0, false, "@@i", -1, {0}, NDV_ERR_VALUE, "native single character"},
    {"i -> h", "i", 1, {6}, 0, false, "h", -1, {0}, NDV_ERR_TYPE,
     "memoryview: cannot cast between two non-byte formats"},
    {"i -> i N-D", "i", 2, {2, 3}, 0, false, "i", -1, {0}, NDV_ERR_TYPE,
     "cannot cast between two non-byte formats"},
    {"<i -> i", "<i", 1, {6}, 0, false, "i", -1, {0}, NDV_ERR_TYPE,
     "cannot cast between two non-byte formats"},
    {"length not multiple", "B", 1, {6}, 0, false, "i", -1, {0}, NDV_ERR_TYPE,
     "memoryview: length is not a multiple of itemsize"},
    {"shape element 0", "B", 1, {24}, 0, false, "i", 2, {0, 6}, NDV_ERR_VALUE,
     "memoryview.cast(): elements of shape must be integers > 0"},
    {"shape element negative", "B", 1, {24}, 0, false, "i", 1, {-6}, NDV_ERR_VALUE,
     "elements of shape must be integers > 0"},
    {"shape overflow", "B", 1, {24}, 0, false, "B", 3, {PTRDIFF_MAX, 2, 2}, NDV_ERR_VALUE,
     "memoryview.cast(): product(shape) > SSIZE_MAX"},
    /* CPython's product starts from the itemsize: shape x itemsize overflowing is a ValueError. */
    {"shape x itemsize overflow", "B", 1, {24}, 0, false, "i", 1, {(ptrdiff_t)1 << 62},
     NDV_ERR_VALUE, "memoryview.cast(): product(shape) > SSIZE_MAX"},
    {"overflow before a zero extent", "B", 1, {24}, 0, false, "i", 2, {(ptrdiff_t)1 << 62, 0},
     NDV_ERR_VALUE, "memoryview.cast(): product(shape) > SSIZE_MAX"},
    {"wrong product", "B", 1, {24}, 0, false, "i", 2, {2, 2}, NDV_ERR_TYPE,
     "memoryview: product(shape) * itemsize != buffer size"},
    {"0-d wrong size", "B", 1, {8}, 0, false, "i", 0, {0}, NDV_ERR_TYPE,
     "product(shape) * itemsize != buffer size"},
    /* Order: contiguity is checked before the format. */
    {"strided and bad format", "B", 1, {24}, 2, false, "<i", -1, {0}, NDV_ERR_TYPE,
     "restricted to C-contiguous"},
    /* Order: the 1D/ND rule comes before the format. */
    {"2-D->2-D bad format", "B", 2, {4, 6}, 0, false, "<i", 2, {6, 4}, NDV_ERR_TYPE,
     "1D -> ND or ND -> 1D"},
};

START_TEST(cast_rules)
{
    const cast_case *c = &cast_table[_i];
    static unsigned char mem[64];
    ndv_view v, s, o;
    ck_ok(ndv_view_from_memory(&v, mem, sizeof mem, false, c->src_fmt, c->src_ndim, c->src_shape,
                               NULL, 0));
    if (c->slice_step) {
        ck_ok(ndv_slice(&v, 0, NDV_NONE, NDV_NONE, c->slice_step, &s));
        ck_ok(ndv_release(&v));
        v = s;
    }
    if (c->transpose) {
        ck_ok(ndv_transpose(&v, NULL, &s));
        ck_ok(ndv_release(&v));
        v = s;
    }
    ndv_status st = ndv_cast(&v, c->fmt, c->ndim, c->shape, &o);
    ck_assert_msg(st == c->want, "%s: got %s want %s (%s)", c->what, ndv_status_name(st),
                  ndv_status_name(c->want), ndv_errmsg());
    if (st == NDV_OK) {
        ptrdiff_t itemsize;
        ck_ok(ndv_calcsize(c->fmt, &itemsize));
        ck_assert_str_eq(o.format, c->fmt);
        ck_assert_int_eq(o.itemsize, itemsize);
        ck_assert_int_eq(o.len, v.len);
        ck_assert_ptr_eq(o.buf, v.buf);
        ck_assert_int_eq(o.ndim, c->ndim < 0 ? 1 : c->ndim);
        if (o.ndim == 1)
            ck_assert_int_eq(o.shape[0], v.len / itemsize);
        ck_assert(ndv_is_contiguous(&o, 'C'));
        ck_ok(ndv_release(&o));
    } else {
        ck_msg_has(c->msg);
        ck_assert(ndv_is_released(&o));
    }
    ck_ok(ndv_release(&v));
}
END_TEST

START_TEST(cast_to_64_dims)
{
    static unsigned char mem[8];
    ptrdiff_t shape[64], n = 8;
    for (int i = 0; i < 64; i++)
        shape[i] = 1;
    shape[63] = 8;
    ndv_view v, o;
    ck_ok(ndv_view_from_memory(&v, mem, 8, true, "B", 1, &n, NULL, 0));
    ck_ok(ndv_cast(&v, "B", 64, shape, &o));
    ck_assert_int_eq(o.ndim, 64);
    ck_assert(o.readonly);
    ck_ok(ndv_release(&o));
    ck_status(ndv_cast(&v, NULL, -1, NULL, &o), NDV_ERR_VALUE);
    ck_status(ndv_cast(&v, "B", 2, NULL, &o), NDV_ERR_VALUE);
    ck_status(ndv_cast(&v, "B", -2, shape, &o), NDV_ERR_VALUE);
    ck_ok(ndv_release(&v));
}
END_TEST

/* ------------------------------------------------------------------------ */
/* PIL-style arrays: dimension 0 is an array of row pointers                 */
/* ------------------------------------------------------------------------ */

typedef struct {
    int16_t rows[3][8];
    int16_t *ptrs[3];
    ptrdiff_t shape[2], strides[2], suboffsets[2];
} pil_array;

static ndv_status pil_get(void *obj, ndv_buffer *view, int flags)
{
    pil_array *a = obj;
    (void)flags;
    *view = (ndv_buffer){a->ptrs, obj, 3 * 8 * 2, 2, 0, 2, "h", a->shape, a->strides,
                         a->suboffsets, NULL};
    return NDV_OK;
}

static const ndv_exporter pil_ops = {pil_get, NULL};

static void make_pil(pil_array *a, ndv_view *v)
{
    /* Rows stored out of order, so following the pointers is observable. */
    for (int r = 0; r < 3; r++) {
        for (int c = 0; c < 8; c++)
            a->rows[r][c] = (int16_t)(100 * r + c);
    }
    a->ptrs[0] = a->rows[2];
    a->ptrs[1] = a->rows[0];
    a->ptrs[2] = a->rows[1];
    a->shape[0] = 3;
    a->shape[1] = 8;
    a->strides[0] = sizeof(int16_t *);
    a->strides[1] = 2;
    a->suboffsets[0] = 0;
    a->suboffsets[1] = -1;
    ck_ok(ndv_view_from_exporter(v, a, &pil_ops, NDV_BUF_FULL_RO));
}

static int16_t pil_at(const ndv_view *v, ptrdiff_t i, ptrdiff_t j)
{
    ptrdiff_t idx[2] = {i, j};
    void *p;
    ck_ok(ndv_get_pointer(v, idx, &p));
    return *(int16_t *)p;
}

START_TEST(pil_views)
{
    pil_array a;
    ndv_view v, s, r, x, t;
    make_pil(&a, &v);
    ck_assert_ptr_nonnull(v.suboffsets);
    ck_assert(!ndv_is_contiguous(&v, 'A'));
    ck_assert_int_eq(pil_at(&v, 0, 3), 203);
    ck_assert_int_eq(pil_at(&v, 1, 7), 7);
    ck_assert_int_eq(pil_at(&v, -1, 0), 100);
    /* Slicing dimension 1 goes into the suboffset of the indirect dimension 0. */
    ck_ok(ndv_slice(&v, 1, 2, 7, 2, &s));
    ck_assert_int_eq(s.suboffsets[0], 4);
    ck_assert_ptr_eq(s.buf, v.buf);
    ck_assert_int_eq(pil_at(&s, 0, 0), 202);
    ck_assert_int_eq(pil_at(&s, 2, 2), 106);
    /* Slicing dimension 0 moves buf. */
    ck_ok(ndv_slice(&s, 0, 1, NDV_NONE, 1, &r));
    ck_assert_int_eq(pil_at(&r, 0, 1), 4);
    ck_ok(ndv_release(&r));
    /* Index follows the pointer; the row has no indirection left. */
    ck_ok(ndv_index(&s, 2, &r));
    ck_assert_ptr_null(r.suboffsets);
    ck_assert_ptr_eq(r.buf, &a.rows[1][2]);
    ck_assert(!ndv_is_contiguous(&r, 'C'));
    ck_ok(ndv_release(&r));
    ck_status(ndv_get_buffer(&v, &x, NDV_BUF_STRIDES), NDV_ERR_BUFFER);
    ck_assert_str_eq(ndv_errmsg(), "memoryview: underlying buffer requires suboffsets");
    ck_ok(ndv_get_buffer(&v, &x, NDV_BUF_INDIRECT));
    ck_ok(ndv_release(&x));
    ck_status(ndv_cast(&v, "B", -1, NULL, &x), NDV_ERR_TYPE);
    ck_status(ndv_transpose(&v, NULL, &t), NDV_ERR_NOTIMPL);
    ck_ok(ndv_release(&s));
    ck_ok(ndv_release(&v));
}
END_TEST

/* Regression (found by fuzz_view): slicing a view of empty (NULL) memory. */
START_TEST(slice_of_empty_memory)
{
    ptrdiff_t zero = 0;
    ndv_view v, s;
    ck_ok(ndv_view_from_memory(&v, NULL, 0, false, "B", 1, &zero, NULL, 0));
    ck_ok(ndv_slice(&v, 0, 1, NDV_NONE, 1, &s));
    ck_assert_int_eq(s.len, 0);
    ck_ok(ndv_tobytes(&s, NULL, 0, 'C'));
    ck_ok(ndv_release(&s));
    ck_ok(ndv_slice(&v, 0, NDV_NONE, NDV_NONE, -3, &s));
    ck_ok(ndv_release(&s));
    ck_ok(ndv_release(&v));
}
END_TEST

/*
 * Regression (found by fuzz_view): rows reached through pointers to their
 * last element, walked backwards. Moving the start of dimension 1 forward
 * would need a negative suboffset, which reads as "no indirection": refused.
 */
START_TEST(pil_slice_needing_negative_suboffset)
{
    pil_array a;
    ndv_view v, s;
    make_pil(&a, &v);
    ck_ok(ndv_release(&v));
    for (int r = 0; r < 3; r++)
        a.ptrs[r] = &a.rows[(r + 2) % 3][7];
    a.strides[1] = -2;
    ck_ok(ndv_view_from_exporter(&v, &a, &pil_ops, NDV_BUF_FULL_RO));
    ck_assert_int_eq(pil_at(&v, 1, 0), 7);
    ck_assert_int_eq(pil_at(&v, 1, 7), 0);
    ck_status(ndv_slice(&v, 1, 2, NDV_NONE, 1, &s), NDV_ERR_NOTIMPL);
    ck_msg_has("negative suboffset");
    ck_ok(ndv_slice(&v, 1, 0, 4, 1, &s)); /* start 0: nothing moves */
    ck_assert_int_eq(pil_at(&s, 2, 3), 104);
    ck_ok(ndv_release(&s));
    ck_ok(ndv_slice(&v, 0, 1, NDV_NONE, 1, &s)); /* dimension 0 moves buf */
    ck_assert_int_eq(pil_at(&s, 0, 1), 6);
    ck_ok(ndv_release(&s));
    ck_ok(ndv_release(&v));
}
END_TEST

Suite *shape_suite(void)
{
    Suite *s = suite_create("shape");
    TCase *tc = tcase_create("shape");
    tcase_add_test(tc, slice_any_dimension);
    tcase_add_test(tc, slice_of_zero_dim_fails);
    tcase_add_test(tc, index_drops_dimension_zero);
    tcase_add_test(tc, transpose_permutes);
    tcase_add_test(tc, toreadonly_shares_and_protects);
    tcase_add_loop_test(tc, cast_rules, 0, (int)(sizeof cast_table / sizeof cast_table[0]));
    tcase_add_test(tc, cast_to_64_dims);
    tcase_add_test(tc, pil_views);
    tcase_add_test(tc, slice_of_empty_memory);
    tcase_add_test(tc, pil_slice_needing_negative_suboffset);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(shape_suite());
}
