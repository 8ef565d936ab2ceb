/*
 * test_lifetime.c - exporters, shared registrations, exports, release,
 * ndv_bytes export locking, ndv_fill_info and the scope helper.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdint.h>

#include "testutil.h"

/* ------------------------------------------------------------------------ */
/* A configurable test exporter that counts its calls                        */
/* ------------------------------------------------------------------------ */

typedef struct {
    void *buf;
    ptrdiff_t len, itemsize;
    int ndim;
    bool readonly;
    const char *format;
    ptrdiff_t shape[4], strides[4], suboffsets[4];
    bool has_strides, has_suboffsets;
    ndv_status fail; /* returned by getbuffer when not NDV_OK */
    _Atomic int gets, releases;
} test_exporter;

static ndv_status te_get(void *obj, ndv_buffer *view, int flags)
{
    test_exporter *e = obj;
    if (e->fail != NDV_OK)
        return ndv_raise(e->fail, "test exporter refuses");
    if ((flags & NDV_BUF_WRITABLE) && e->readonly)
        return ndv_raise(NDV_ERR_BUFFER, "Object is not writable.");
    *view = (ndv_buffer){e->buf, obj, e->len, e->itemsize, e->readonly, e->ndim,
                         (flags & NDV_BUF_FORMAT) ? e->format : NULL, e->shape,
                         e->has_strides ? e->strides : NULL,
                         e->has_suboffsets ? e->suboffsets : NULL, NULL};
    e->gets++;
    return NDV_OK;
}

static void te_release(void *obj, ndv_buffer *view)
{
    test_exporter *e = obj;
    ck_assert_ptr_eq(view->obj, obj);
    e->releases++;
}

static const ndv_exporter te_ops = {te_get, te_release};

static int32_t ints[24];

/* A 4x6 int32 C array. */
static void te_init_c(test_exporter *e)
{
    *e = (test_exporter){0};
    for (int i = 0; i < 24; i++)
        ints[i] = i;
    e->buf = ints;
    e->len = sizeof ints;
    e->itemsize = 4;
    e->ndim = 2;
    e->format = "i";
    e->shape[0] = 4;
    e->shape[1] = 6;
}

/* ------------------------------------------------------------------------ */
/* Shared registration                                                       */
/* ------------------------------------------------------------------------ */

/*
 * Five views on one registration, released in every one of the 120 orders:
 * the exporter is asked once and released exactly when the last view goes.
 */
START_TEST(release_in_every_order)
{
    int perm[5] = {0, 1, 2, 3, 4};
    /* The _i-th permutation in lexicographic order (factorial number system). */
    int k = _i, pool[5] = {0, 1, 2, 3, 4}, n = 5;
    for (int i = 0; i < 5; i++) {
        int f = 1;
        for (int j = 2; j < n; j++)
            f *= j;
        int idx = k / f;
        k %= f;
        perm[i] = pool[idx];
        for (int j = idx; j < n - 1; j++)
            pool[j] = pool[j + 1];
        n--;
    }
    test_exporter e;
    te_init_c(&e);
    ndv_view v[5];
    ck_ok(ndv_view_from_exporter(&v[0], &e, &te_ops, NDV_BUF_FULL_RO));
    ck_ok(ndv_slice(&v[0], 1, 1, 5, 2, &v[1]));
    ck_ok(ndv_cast(&v[0], "B", -1, NULL, &v[2]));
    ck_ok(ndv_view_from_view(&v[1], &v[3]));
    ck_ok(ndv_toreadonly(&v[2], &v[4]));
    ck_assert_int_eq(e.gets, 1);
    for (int i = 0; i < 5; i++) {
        ck_assert_int_eq(e.releases, 0);
        ck_ok(ndv_release(&v[perm[i]]));
        ck_status(ndv_slice(&v[perm[i]], 0, 0, 1, 1, &v[perm[i]]), NDV_ERR_RELEASED);
    }
    ck_assert_int_eq(e.releases, 1);
    ck_assert_int_eq(e.gets, 1);
}
END_TEST

START_TEST(exporter_view_reconstructs_missing_info)
{
    test_exporter e;
    te_init_c(&e);
    ndv_view v;
    ck_ok(ndv_view_from_exporter(&v, &e, &te_ops, NDV_BUF_FULL_RO));
    ck_assert_int_eq(v.strides[0], 24);    /* C strides filled in */
    ck_assert_int_eq(v.strides[1], 4);
    ck_assert_str_eq(v.format, "i");
    ck_assert(ndv_is_contiguous(&v, 'C'));
    ck_ok(ndv_release(&v));
    /* Without FORMAT the exporter gives NULL: "B" with itemsize kept (CPython's quirk). */
    ck_ok(ndv_view_from_exporter(&v, &e, &te_ops, NDV_BUF_STRIDES));
    ck_assert_str_eq(v.format, "B");
    ck_assert_int_eq(v.itemsize, 4);
    ck_assert_int_eq(v.len, 96);
    ck_ok(ndv_release(&v));
    /* 1-D without shape: len / itemsize items. */
    ndv_bytes *b;
    ck_ok(ndv_bytes_new(&b, 10));
    ck_ok(ndv_view_from_exporter(&v, b, ndv_bytes_exporter(), NDV_BUF_SIMPLE));
    ck_assert_int_eq(v.ndim, 1);
    ck_assert_int_eq(v.shape[0], 10);
    ck_assert_int_eq(v.strides[0], 1);
    ck_ok(ndv_release(&v));
    ck_ok(ndv_bytes_free(b));
    ck_assert_int_eq(e.gets, e.releases);
}
END_TEST

START_TEST(exporter_failures)
{
    test_exporter e;
    te_init_c(&e);
    ndv_view v;
    e.fail = NDV_ERR_BUFFER;
    ck_status(ndv_view_from_exporter(&v, &e, &te_ops, NDV_BUF_FULL_RO), NDV_ERR_BUFFER);
    ck_msg_has("test exporter refuses");
    ck_assert(ndv_is_released(&v));
    e.fail = NDV_OK;
    e.readonly = true;
    ck_status(ndv_view_from_exporter(&v, &e, &te_ops, NDV_BUF_FULL), NDV_ERR_BUFFER);
    ck_assert_int_eq(e.gets, 0);
    ck_assert_int_eq(e.releases, 0);

    /* Bad metadata from the exporter: refused, and the exporter released once. */
    e.ndim = 65;
    ck_status(ndv_view_from_exporter(&v, &e, &te_ops, NDV_BUF_FULL_RO), NDV_ERR_VALUE);
    ck_msg_has("number of dimensions must not exceed 64");
    e.ndim = 2;
    e.format = "q";
    ck_status(ndv_view_from_exporter(&v, &e, &te_ops, NDV_BUF_FULL_RO), NDV_ERR_VALUE);
    ck_msg_has("has size 8, not itemsize 4");
    e.format = "i";
    e.len = 95;
    ck_status(ndv_view_from_exporter(&v, &e, &te_ops, NDV_BUF_FULL_RO), NDV_ERR_VALUE);
    e.len = 96;
    e.format = "i?";
    ck_status(ndv_view_from_exporter(&v, &e, &te_ops, NDV_BUF_FULL_RO), NDV_ERR_VALUE);
    ck_assert_int_eq(e.gets, 4);
    ck_assert_int_eq(e.releases, 4);

    ndv_exporter none = {NULL, NULL};
    ck_status(ndv_view_from_exporter(&v, &e, &none, NDV_BUF_FULL_RO), NDV_ERR_TYPE);
    ck_status(ndv_view_from_exporter(&v, &e, NULL, NDV_BUF_FULL_RO), NDV_ERR_VALUE);
    ck_status(ndv_view_from_exporter(NULL, &e, &te_ops, NDV_BUF_FULL_RO), NDV_ERR_VALUE);
}
END_TEST

/*
 * Formats ndview cannot parse stay opaque, with memoryview's rules: bytes
 * work (tobytes, hex, slicing, transposes, copies between identical
 * formats), values are NDV_ERR_NOTIMPL, == is false even against itself.
 */
START_TEST(exporter_formats_that_do_not_parse_stay_opaque)
{
    static const char *formats[] = {"O", "&<B", "i$", "T{O:a:}", "\x01"};
    const char *fmt = formats[_i];
    test_exporter e;
    te_init_c(&e);
    e.format = fmt;
    ndv_view v, w, part, t, out;
    ck_ok(ndv_view_from_exporter(&v, &e, &te_ops, NDV_BUF_FULL_RO));
    ck_assert_str_eq(v.format, fmt);
    ck_assert_int_eq(v.itemsize, 4);
    ck_assert_int_eq(ndv_item_values(&v), 0);
    unsigned char bytes[96];
    char hex[193];
    ck_ok(ndv_tobytes(&v, bytes, sizeof bytes, 'F'));
    ck_assert_int_eq(memcmp(bytes + 4, &ints[6], 4), 0); /* F order: (1,0) second */
    ptrdiff_t n;
    ck_ok(ndv_hex(&v, hex, sizeof hex, 0, 1, &n));
    ck_assert_int_eq(n, 192);
    char want[9]; /* the second item's bytes, in the host's order */
    const unsigned char *one = (const unsigned char *)&ints[1];
    snprintf(want, sizeof want, "%02x%02x%02x%02x", one[0], one[1], one[2], one[3]);
    ck_assert_int_eq(memcmp(hex + 8, want, 8), 0);
    ck_ok(ndv_slice(&v, 1, 1, NDV_NONE, 2, &part));
    ck_ok(ndv_transpose(&part, NULL, &t));
    ck_ok(ndv_tobytes(&t, bytes, sizeof bytes, 'C'));
    ck_assert_int_eq(memcmp(bytes + 4, &ints[7], 4), 0); /* t[0,1] is v[1,1] */
    /* Copies between identical (opaque) formats are byte copies. */
    int32_t other[24] = {0};
    ptrdiff_t shape[2] = {4, 6};
    ck_ok(ndv_view_from_memory(&w, other, sizeof other, false, "i", 2, shape, NULL, 0));
    ck_status(ndv_copy(&w, &v), NDV_ERR_VALUE); /* 'i' and the opaque format differ */
    /* What needs values refuses with CPython's words. */
    ndv_value val[4];
    ck_status(ndv_tolist(&v, val, 4, &n), NDV_ERR_NOTIMPL);
    ck_msg_has("not supported");
    int64_t i64[24];
    ck_status(ndv_unpack_as(&v, NDV_I64, i64, 24), NDV_ERR_NOTIMPL);
    ck_status(ndv_convert(&w, &v, NDV_CASTING_UNSAFE), NDV_ERR_NOTIMPL);
    bool eq = true;
    ck_ok(ndv_equal(&v, &v, &eq));
    ck_assert(!eq);
    ck_ok(ndv_index(&v, 1, &out));
    ck_ok(ndv_cast(&out, "B", -1, NULL, &out)); /* CPython casts any format to bytes */
    ck_assert_int_eq(out.shape[0], 24);
    ndv_release(&out);
    ndv_release(&t);
    ndv_release(&part);
    ndv_release(&w);
    ndv_release(&v);
    ck_assert_int_eq(e.releases, 1);
}
END_TEST

/* Two opaque views of identical formats copy their bytes; released views refuse. */
START_TEST(opaque_formats_copy_bytes)
{
    test_exporter a, b;
    te_init_c(&a);
    a.format = "O";
    int32_t other[24] = {0};
    te_init_c(&b);
    b.buf = other;
    b.format = "O";
    ndv_view va, vb;
    ck_ok(ndv_view_from_exporter(&va, &a, &te_ops, NDV_BUF_FULL_RO));
    ck_ok(ndv_view_from_exporter(&vb, &b, &te_ops, NDV_BUF_FULL));
    ck_ok(ndv_copy(&vb, &va));
    ck_assert_int_eq(memcmp(other, ints, sizeof ints), 0);
    ndv_value one = {.kind = NDV_KIND_INT, .v.i = 1};
    ptrdiff_t idx[2] = {0, 0};
    ck_status(ndv_pack_item(&vb, idx, &one, 1), NDV_ERR_NOTIMPL);
    ck_status(ndv_fill(&vb, &one), NDV_ERR_NOTIMPL);
    ck_assert_int_eq(memcmp(other, ints, sizeof ints), 0);
    ndv_release(&va);
    ndv_release(&vb);
    ptrdiff_t n;
    ck_status(ndv_tolist(&va, NULL, 0, &n), NDV_ERR_RELEASED);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Exports (ndv_get_buffer)                                                  */
/* ------------------------------------------------------------------------ */

START_TEST(exports_block_release)
{
    test_exporter e;
    te_init_c(&e);
    ndv_view v, x1, x2, s;
    ck_ok(ndv_view_from_exporter(&v, &e, &te_ops, NDV_BUF_FULL));
    ck_ok(ndv_get_buffer(&v, &x1, NDV_BUF_FULL_RO));
    ck_assert_int_eq(ndv_exports(&v), 1);
    ck_status(ndv_release(&v), NDV_ERR_BUFFER);
    ck_assert_str_eq(ndv_errmsg(), "memoryview has 1 exported buffer");
    ck_ok(ndv_get_buffer(&v, &x2, NDV_BUF_SIMPLE));
    ck_status(ndv_release(&v), NDV_ERR_BUFFER);
    ck_assert_str_eq(ndv_errmsg(), "memoryview has 2 exported buffers");
    /* The view is still fully usable after a refused release. */
    ck_ok(ndv_slice(&v, 0, 1, 2, 1, &s));
    ck_ok(ndv_release(&x1));
    ck_ok(ndv_release(&x2));
    ck_ok(ndv_release(&v));
    ck_ok(ndv_release(&v)); /* idempotent */
    /* A slice is not an export of v: the registration stays until it goes. */
    ck_assert_int_eq(e.releases, 0);
    ck_ok(ndv_release(&s));
    ck_assert_int_eq(e.releases, 1);
}
END_TEST

START_TEST(get_buffer_hides_what_was_not_requested)
{
    test_exporter e;
    te_init_c(&e);
    ndv_view v, x;
    ck_ok(ndv_view_from_exporter(&v, &e, &te_ops, NDV_BUF_FULL_RO));

    ck_ok(ndv_get_buffer(&v, &x, NDV_BUF_SIMPLE));
    ck_assert_str_eq(x.format, "B");
    ck_assert_int_eq(x.itemsize, 4);
    ck_assert_int_eq(x.ndim, 1);
    ck_assert_ptr_null(x.shape);
    ck_assert_ptr_null(x.strides);
    ck_assert_int_eq(x.len, 96);
    ck_assert(ndv_is_contiguous(&x, 'C'));
    ck_ok(ndv_release(&x));

    ck_ok(ndv_get_buffer(&v, &x, NDV_BUF_ND | NDV_BUF_FORMAT));
    ck_assert_str_eq(x.format, "i");
    ck_assert_int_eq(x.ndim, 2);
    ck_assert_int_eq(x.shape[1], 6);
    ck_assert_ptr_null(x.strides);
    ck_ok(ndv_release(&x));

    ck_ok(ndv_get_buffer(&v, &x, NDV_BUF_RECORDS_RO));
    ck_assert_int_eq(x.strides[0], 24);
    ck_ok(ndv_release(&x));

    /* memory_getbuf's refusals, in its order, with its messages. */
    ndv_view ro;
    ck_ok(ndv_toreadonly(&v, &ro));
    ck_status(ndv_get_buffer(&ro, &x, NDV_BUF_WRITABLE | NDV_BUF_F_CONTIGUOUS), NDV_ERR_BUFFER);
    ck_assert_str_eq(ndv_errmsg(), "memoryview: underlying buffer is not writable");
    ck_ok(ndv_release(&ro));
    ck_status(ndv_get_buffer(&v, &x, NDV_BUF_F_CONTIGUOUS), NDV_ERR_BUFFER);
    ck_assert_str_eq(ndv_errmsg(), "memoryview: underlying buffer is not Fortran contiguous");
    ck_status(ndv_get_buffer(&v, &x, NDV_BUF_FORMAT), NDV_ERR_BUFFER);
    ck_assert_str_eq(ndv_errmsg(),
                     "memoryview: cannot cast to unsigned bytes if the format flag is present");
    ck_assert(ndv_is_released(&x));

    ndv_view t;
    ck_ok(ndv_transpose(&v, NULL, &t));
    ck_status(ndv_get_buffer(&t, &x, NDV_BUF_C_CONTIGUOUS), NDV_ERR_BUFFER);
    ck_assert_str_eq(ndv_errmsg(), "memoryview: underlying buffer is not C-contiguous");
    ck_status(ndv_get_buffer(&t, &x, NDV_BUF_ND), NDV_ERR_BUFFER);
    ck_assert_str_eq(ndv_errmsg(), "memoryview: underlying buffer is not C-contiguous");
    ck_ok(ndv_get_buffer(&t, &x, NDV_BUF_F_CONTIGUOUS));
    ck_ok(ndv_release(&x));
    ndv_view st;
    ck_ok(ndv_slice(&t, 1, NDV_NONE, NDV_NONE, 2, &st));
    ck_status(ndv_get_buffer(&st, &x, NDV_BUF_ANY_CONTIGUOUS), NDV_ERR_BUFFER);
    ck_assert_str_eq(ndv_errmsg(), "memoryview: underlying buffer is not contiguous");
    ck_ok(ndv_get_buffer(&st, &x, NDV_BUF_STRIDES));
    /* An export can be derived from and exported again. */
    ndv_view xx, xs;
    ck_ok(ndv_get_buffer(&x, &xx, NDV_BUF_FULL_RO));
    ck_ok(ndv_slice(&x, 0, 0, 1, 1, &xs));
    ck_status(ndv_release(&x), NDV_ERR_BUFFER);
    ck_ok(ndv_release(&xx));
    ck_ok(ndv_release(&x));
    ck_ok(ndv_release(&xs));
    ck_ok(ndv_release(&st));
    ck_ok(ndv_release(&t));
    ck_ok(ndv_release(&v));
    ck_assert_int_eq(e.releases, 1);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* After release                                                             */
/* ------------------------------------------------------------------------ */

START_TEST(everything_fails_after_release)
{
    ndv_view v, o;
    ptrdiff_t shape[2] = {2, 2}, idx[2] = {0, 0};
    void *p;
    ck_ok(ndv_view_from_memory(&v, ints, sizeof ints, false, "i", 2, shape, NULL, 0));
    ck_ok(ndv_release(&v));
    ck_assert_ptr_null(v.buf);
    ck_assert_int_eq(v.ndim, 0);
    ck_assert_ptr_nonnull(v.format);
    ck_status(ndv_slice(&v, 0, 0, 1, 1, &o), NDV_ERR_RELEASED);
    ck_assert_str_eq(ndv_errmsg(), "operation forbidden on released memoryview object");
    ck_status(ndv_index(&v, 0, &o), NDV_ERR_RELEASED);
    ck_status(ndv_get_pointer(&v, idx, &p), NDV_ERR_RELEASED);
    ck_status(ndv_transpose(&v, NULL, &o), NDV_ERR_RELEASED);
    ck_status(ndv_cast(&v, "B", -1, NULL, &o), NDV_ERR_RELEASED);
    ck_status(ndv_toreadonly(&v, &o), NDV_ERR_RELEASED);
    ck_status(ndv_view_from_view(&v, &o), NDV_ERR_RELEASED);
    ck_status(ndv_get_buffer(&v, &o, NDV_BUF_SIMPLE), NDV_ERR_RELEASED);
    ck_assert(!ndv_is_contiguous(&v, 'C'));
    ck_assert_int_eq(ndv_exports(&v), 0);
    ck_ok(ndv_release(&v));
    ck_ok(ndv_release(NULL));
    /* A zero-initialised view behaves as released. */
    ndv_view z = NDV_VIEW_INIT;
    ck_status(ndv_slice(&z, 0, 0, 1, 1, &o), NDV_ERR_RELEASED);
    ck_status(ndv_get_pointer(NULL, idx, &p), NDV_ERR_RELEASED);
    ck_ok(ndv_release(&z));
}
END_TEST

/* ------------------------------------------------------------------------ */
/* ndv_bytes                                                                 */
/* ------------------------------------------------------------------------ */

START_TEST(bytes_resize_locked_while_exported)
{
    ndv_bytes *b;
    ck_ok(ndv_bytes_new(&b, 16));
    ck_assert_int_eq(ndv_bytes_size(b), 16);
    ck_ok(ndv_bytes_resize(b, 32));
    unsigned char *d = ndv_bytes_data(b);
    for (int i = 0; i < 32; i++)
        ck_assert_int_eq(d[i], 0);
    ndv_view v, s;
    ck_ok(ndv_view_from_exporter(&v, b, ndv_bytes_exporter(), NDV_BUF_FULL));
    ck_assert_int_eq(ndv_bytes_exports(b), 1);
    ck_assert(!v.readonly);
    ck_assert_int_eq(v.len, 32);
    ck_status(ndv_bytes_resize(b, 8), NDV_ERR_BUFFER);
    ck_assert_str_eq(ndv_errmsg(), "Existing exports of data: object cannot be re-sized");
    ck_status(ndv_bytes_free(b), NDV_ERR_BUFFER);
    ck_ok(ndv_slice(&v, 0, 2, NDV_NONE, 3, &s));
    ck_ok(ndv_release(&v));
    ck_status(ndv_bytes_resize(b, 8), NDV_ERR_BUFFER); /* the slice keeps it locked */
    ck_ok(ndv_release(&s));
    ck_assert_int_eq(ndv_bytes_exports(b), 0);
    ck_ok(ndv_bytes_resize(b, 8));
    ck_ok(ndv_bytes_resize(b, 0));
    ck_status(ndv_bytes_resize(b, -1), NDV_ERR_VALUE);
    ck_ok(ndv_view_from_exporter(&v, b, ndv_bytes_exporter(), NDV_BUF_FULL_RO));
    ck_assert_int_eq(v.len, 0);
    ck_ok(ndv_release(&v));
    ck_ok(ndv_bytes_free(b));
    ck_ok(ndv_bytes_free(NULL));
    ck_status(ndv_bytes_new(&b, -5), NDV_ERR_VALUE);
    ck_assert_ptr_null(b);
    ck_status(ndv_bytes_new(NULL, 5), NDV_ERR_VALUE);
    ck_status(ndv_bytes_resize(NULL, 5), NDV_ERR_VALUE);
}
END_TEST

START_TEST(fill_info_rules)
{
    char mem[5];
    ndv_buffer b;
    ck_status(ndv_fill_info(NULL, NULL, mem, 5, false, 0), NDV_ERR_BUFFER);
    ck_assert_str_eq(ndv_errmsg(), "PyBuffer_FillInfo: view==NULL argument is obsolete");
    ck_status(ndv_fill_info(&b, NULL, mem, 5, true, NDV_BUF_WRITABLE), NDV_ERR_BUFFER);
    ck_assert_str_eq(ndv_errmsg(), "Object is not writable.");
    ck_status(ndv_fill_info(&b, NULL, mem, -1, true, 0), NDV_ERR_VALUE);
    ck_ok(ndv_fill_info(&b, mem, mem, 5, true, NDV_BUF_SIMPLE));
    ck_assert_ptr_null(b.format);
    ck_assert_ptr_null(b.shape);
    ck_assert_ptr_null(b.strides);
    ck_assert_int_eq(b.ndim, 1);
    ck_assert_int_eq(b.itemsize, 1);
    ck_ok(ndv_fill_info(&b, mem, mem, 5, false, NDV_BUF_FULL));
    ck_assert_str_eq(b.format, "B");
    ck_assert_int_eq(*b.shape, 5);
    ck_assert_int_eq(*b.strides, 1);
    ck_assert_ptr_null(b.suboffsets);
    ck_ok(ndv_fill_info(&b, mem, mem, 5, false, NDV_BUF_ND));
    ck_assert_ptr_nonnull(b.shape);
    ck_assert_ptr_null(b.strides);
}
END_TEST

#if defined(__GNUC__)
START_TEST(scoped_views_release_at_block_end)
{
    test_exporter e;
    te_init_c(&e);
    {
        NDV_SCOPED ndv_view v = NDV_VIEW_INIT;
        NDV_SCOPED ndv_view s = NDV_VIEW_INIT;
        NDV_SCOPED ndv_view never = NDV_VIEW_INIT;
        ck_ok(ndv_view_from_exporter(&v, &e, &te_ops, NDV_BUF_FULL_RO));
        ck_ok(ndv_slice(&v, 0, 1, 3, 1, &s));
        ck_assert_int_eq(e.releases, 0);
        (void)never;
    }
    ck_assert_int_eq(e.releases, 1);
}
END_TEST
#endif

/* ------------------------------------------------------------------------ */
/* Concurrency: derive and release from many threads                         */
/* ------------------------------------------------------------------------ */

static void *derive_and_release(void *arg)
{
    const ndv_view *v = arg;
    for (int i = 0; i < 2000; i++) {
        ndv_view s, x;
        if (ndv_slice(v, 1, i % 6, NDV_NONE, 1, &s) != NDV_OK)
            return (void *)1;
        if (ndv_get_buffer(v, &x, NDV_BUF_FULL_RO) != NDV_OK)
            return (void *)1;
        if (ndv_release(&s) != NDV_OK || ndv_release(&x) != NDV_OK)
            return (void *)1;
    }
    return NULL;
}

START_TEST(threads_share_a_registration)
{
    test_exporter e;
    te_init_c(&e);
    ndv_view v;
    ck_ok(ndv_view_from_exporter(&v, &e, &te_ops, NDV_BUF_FULL_RO));
    pthread_t t[8];
    for (int i = 0; i < 8; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, derive_and_release, &v), 0);
    for (int i = 0; i < 8; i++) {
        void *r;
        pthread_join(t[i], &r);
        ck_assert_ptr_null(r);
    }
    ck_assert_int_eq(ndv_exports(&v), 0);
    ck_assert_int_eq(e.releases, 0);
    ck_ok(ndv_release(&v));
    ck_assert_int_eq(e.releases, 1);
}
END_TEST

/* Every public function given NULL where it needs a pointer: a status, no crash. */
START_TEST(null_arguments_everywhere)
{
    ndv_view v, o;
    ptrdiff_t n = 4, idx = 0;
    void *p;
    ck_ok(ndv_view_from_memory(&v, ints, sizeof ints, false, "i", 1, &n, NULL, 0));
    ck_status(ndv_view_from_view(NULL, &o), NDV_ERR_RELEASED);
    ck_status(ndv_view_from_view(&v, NULL), NDV_ERR_VALUE);
    ck_status(ndv_get_buffer(NULL, &o, NDV_BUF_SIMPLE), NDV_ERR_RELEASED);
    ck_status(ndv_get_buffer(&v, NULL, NDV_BUF_SIMPLE), NDV_ERR_VALUE);
    ck_status(ndv_get_buffer(&v, &v, NDV_BUF_SIMPLE), NDV_ERR_VALUE);
    ck_status(ndv_slice(NULL, 0, 0, 1, 1, &o), NDV_ERR_RELEASED);
    ck_status(ndv_slice(&v, 0, 0, 1, 1, NULL), NDV_ERR_VALUE);
    ck_status(ndv_index(NULL, 0, &o), NDV_ERR_RELEASED);
    ck_status(ndv_index(&v, 0, NULL), NDV_ERR_VALUE);
    ck_status(ndv_get_pointer(NULL, &idx, &p), NDV_ERR_RELEASED);
    ck_status(ndv_get_pointer(&v, NULL, &p), NDV_ERR_VALUE);
    ck_status(ndv_get_pointer(&v, &idx, NULL), NDV_ERR_VALUE);
    ck_status(ndv_transpose(NULL, NULL, &o), NDV_ERR_RELEASED);
    ck_status(ndv_transpose(&v, NULL, NULL), NDV_ERR_VALUE);
    ck_status(ndv_cast(NULL, "B", -1, NULL, &o), NDV_ERR_RELEASED);
    ck_status(ndv_cast(&v, NULL, -1, NULL, &o), NDV_ERR_VALUE);
    ck_status(ndv_cast(&v, "B", -1, NULL, NULL), NDV_ERR_VALUE);
    ck_status(ndv_toreadonly(NULL, &o), NDV_ERR_RELEASED);
    ck_status(ndv_toreadonly(&v, NULL), NDV_ERR_VALUE);
    ck_assert(!ndv_is_contiguous(NULL, 'C'));
    ck_assert(ndv_is_released(NULL));
    ck_assert_int_eq(ndv_exports(NULL), 0);
    ck_assert_ptr_null(ndv_bytes_data(NULL));
    ck_assert_int_eq(ndv_bytes_size(NULL), 0);
    ck_assert_int_eq(ndv_bytes_exports(NULL), 0);
    ck_status(ndv_raise(NDV_ERR_TYPE, NULL), NDV_ERR_TYPE);
    ck_assert_str_eq(ndv_errmsg(), "");
    ck_status(ndv_raise(NDV_ERR_INDEX, "custom"), NDV_ERR_INDEX);
    ck_assert_str_eq(ndv_errmsg(), "custom");
    ck_ok(ndv_release(&v));
}
END_TEST

Suite *lifetime_suite(void)
{
    Suite *s = suite_create("lifetime");
    TCase *tc = tcase_create("lifetime");
    tcase_add_loop_test(tc, release_in_every_order, 0, 120);
    tcase_add_test(tc, exporter_view_reconstructs_missing_info);
    tcase_add_test(tc, exporter_failures);
    tcase_add_loop_test(tc, exporter_formats_that_do_not_parse_stay_opaque, 0, 5);
    tcase_add_test(tc, opaque_formats_copy_bytes);
    tcase_add_test(tc, exports_block_release);
    tcase_add_test(tc, get_buffer_hides_what_was_not_requested);
    tcase_add_test(tc, everything_fails_after_release);
    tcase_add_test(tc, bytes_resize_locked_while_exported);
    tcase_add_test(tc, fill_info_rules);
#if defined(__GNUC__)
    tcase_add_test(tc, scoped_views_release_at_block_end);
#endif
    tcase_add_test(tc, threads_share_a_registration);
    tcase_add_test(tc, null_arguments_everywhere);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(lifetime_suite());
}
