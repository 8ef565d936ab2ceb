/*
 * test_hostile.c - inputs and callbacks crafted against the library: an
 * exporter or a DLPack deleter that calls back into the view being
 * released, geometries whose reach overflows ptrdiff_t from every way a
 * view is born, items whose format was defaulted, 0-d exports. Each would
 * once crash, read out of bounds or answer wrongly; under ASan + UBSan
 * (run by tools/run-tests.sh) a regression shows as a sanitizer report.
 */
#include <stdint.h>
#include <stdlib.h>

#include "testutil.h"

#if defined(NDV_TEST_HAVE_DLPACK)
#include <dlpack/dlpack.h>
#endif

/* ------------------------------------------------------------------------ */
/* Re-entrant release                                                         */
/* ------------------------------------------------------------------------ */

/* An exporter whose releasebuffer comes back to the view being released. */
typedef struct reentrant {
    unsigned char data[16];
    ndv_view *target;       /* the view whose release triggers the callback */
    int releases;
    ndv_status release_again, tobytes, derive, export_, pointer;
} reentrant;

static ndv_status re_get(void *obj, ndv_buffer *b, int flags)
{
    reentrant *r = obj;
    return ndv_fill_info(b, r, r->data, sizeof r->data, false, flags);
}

static void re_release(void *obj, ndv_buffer *b)
{
    (void)b;
    reentrant *r = obj;
    unsigned char out[16];
    ndv_view d = NDV_VIEW_INIT, x = NDV_VIEW_INIT;
    void *p;
    ptrdiff_t i = 0;
    r->releases++;
    r->tobytes = ndv_tobytes(r->target, out, sizeof out, 'C');
    r->derive = ndv_view_from_view(r->target, &d);
    r->export_ = ndv_get_buffer(r->target, &x, NDV_BUF_FULL_RO);
    r->pointer = ndv_get_pointer(r->target, &i, &p);
    r->release_again = ndv_release(r->target);
    ndv_release(&d);
    ndv_release(&x);
}

static const ndv_exporter re_ops = {re_get, re_release};

START_TEST(release_callback_finds_the_view_released)
{
    reentrant r = {.target = NULL};
    ndv_view v, s;
    ck_ok(ndv_view_from_exporter(&v, &r, &re_ops, NDV_BUF_FULL));
    r.target = &v;
    ck_ok(ndv_release(&v));
    ck_assert_int_eq(r.releases, 1);
    ck_assert_int_eq(r.tobytes, NDV_ERR_RELEASED);
    ck_assert_int_eq(r.derive, NDV_ERR_RELEASED);
    ck_assert_int_eq(r.export_, NDV_ERR_RELEASED);
    ck_assert_int_eq(r.pointer, NDV_ERR_RELEASED);
    ck_assert_int_eq(r.release_again, NDV_OK); /* a second release is a no-op */
    ck_assert(ndv_is_released(&v));

    /* The last of several views: the callback targets that one. */
    r = (reentrant){.target = NULL};
    ck_ok(ndv_view_from_exporter(&v, &r, &re_ops, NDV_BUF_FULL));
    ck_ok(ndv_slice(&v, 0, 2, 10, 1, &s));
    r.target = &s;
    ck_ok(ndv_release(&v));
    ck_assert_int_eq(r.releases, 0);
    ck_ok(ndv_release(&s));
    ck_assert_int_eq(r.releases, 1);
    ck_assert_int_eq(r.tobytes, NDV_ERR_RELEASED);
    ck_assert_int_eq(r.release_again, NDV_OK);
}
END_TEST

/* Released in place by a derivation (ndv_slice(&v, ..., &v)): the same order. */
START_TEST(derive_in_place_releases_before_calling_out)
{
    reentrant r = {.target = NULL};
    ndv_view v;
    ck_ok(ndv_view_from_exporter(&v, &r, &re_ops, NDV_BUF_FULL));
    ndv_view w;
    ck_ok(ndv_view_from_view(&v, &w));
    r.target = &w;
    ck_ok(ndv_release(&v));
    ck_ok(ndv_slice(&w, 0, 1, 3, 1, &w)); /* w's old state goes; the registration stays */
    ck_assert_int_eq(r.releases, 0);
    ck_assert_int_eq(w.len, 2);
    ck_ok(ndv_release(&w));
    ck_assert_int_eq(r.releases, 1);
    ck_assert_int_eq(r.tobytes, NDV_ERR_RELEASED);
}
END_TEST

#if defined(NDV_TEST_HAVE_DLPACK)
typedef struct dl_reentrant {
    DLManagedTensor managed;
    int64_t shape[1];
    float data[4];
    ndv_view *target;
    int deletes;
    ndv_status tobytes, release_again;
} dl_reentrant;

static void dl_delete(DLManagedTensor *self)
{
    dl_reentrant *d = (dl_reentrant *)self;
    char out[16];
    d->deletes++;
    d->tobytes = ndv_tobytes(d->target, out, sizeof out, 'C');
    d->release_again = ndv_release(d->target);
}

static void dl_init(dl_reentrant *d, int64_t stride, int64_t *strides)
{
    *d = (dl_reentrant){.shape = {4}};
    d->managed.dl_tensor = (DLTensor){d->data, {kDLCPU, 0}, 1, {kDLFloat, 32, 1}, d->shape,
                                      NULL, 0};
    if (strides) {
        strides[0] = stride;
        d->managed.dl_tensor.strides = strides;
    }
    d->managed.deleter = dl_delete;
}

START_TEST(dlpack_deleter_finds_the_view_released)
{
    dl_reentrant d;
    dl_init(&d, 0, NULL);
    ndv_view v;
    ck_ok(ndv_from_dlpack(&v, &d.managed, false));
    d.target = &v;
    ck_ok(ndv_release(&v));
    ck_assert_int_eq(d.deletes, 1);
    ck_assert_int_eq(d.tobytes, NDV_ERR_RELEASED);
    ck_assert_int_eq(d.release_again, NDV_OK);
}
END_TEST
#endif

/* ------------------------------------------------------------------------ */
/* One validation path for every way a view is born                           */
/* ------------------------------------------------------------------------ */

typedef struct geometry {
    unsigned char data[64];
    ptrdiff_t itemsize, len;
    const char *format;
    int ndim;
    ptrdiff_t shape[2], strides[2];
    int releases;
} geometry;

static ndv_status geo_get(void *obj, ndv_buffer *b, int flags)
{
    (void)flags;
    geometry *g = obj;
    *b = (ndv_buffer){g->data, g, g->len, g->itemsize, 0, g->ndim, g->format, g->shape,
                      g->strides, NULL, NULL};
    return NDV_OK;
}

static void geo_release(void *obj, ndv_buffer *b)
{
    (void)b;
    ((geometry *)obj)->releases++;
}

static const ndv_exporter geo_ops = {geo_get, geo_release};

START_TEST(exporter_strides_past_ptrdiff_refused)
{
    const ptrdiff_t big = PTRDIFF_MAX / 2 + 1;
    geometry g = {.itemsize = 1, .len = 3, .format = "B", .ndim = 1, .shape = {3}, .strides = {big}};
    ndv_view v;
    ck_status(ndv_view_from_exporter(&v, &g, &geo_ops, NDV_BUF_FULL), NDV_ERR_OVERFLOW);
    ck_msg_has("strides reach past ptrdiff_t");
    ck_assert_int_eq(g.releases, 1); /* asked once, released once */
    ck_assert(ndv_is_released(&v));
    /* Negative, two dimensions adding up past the limit, and the item's own bytes. */
    g = (geometry){.itemsize = 1, .len = 4, .format = "B", .ndim = 2, .shape = {2, 2},
                   .strides = {-big - 1, -big}};
    ck_status(ndv_view_from_exporter(&v, &g, &geo_ops, NDV_BUF_FULL), NDV_ERR_OVERFLOW);
    g = (geometry){.itemsize = 8, .len = 16, .format = "q", .ndim = 1, .shape = {2},
                   .strides = {PTRDIFF_MAX - 4}};
    ck_status(ndv_view_from_exporter(&v, &g, &geo_ops, NDV_BUF_FULL), NDV_ERR_OVERFLOW);
    /* Huge strides over one element reach nothing: fine, as from memory. */
    g = (geometry){.itemsize = 1, .len = 1, .format = "B", .ndim = 2, .shape = {1, 1},
                   .strides = {PTRDIFF_MAX, -PTRDIFF_MAX}};
    ck_ok(ndv_view_from_exporter(&v, &g, &geo_ops, NDV_BUF_FULL));
    ck_ok(ndv_release(&v));
}
END_TEST

#if defined(NDV_TEST_HAVE_DLPACK)
START_TEST(dlpack_strides_past_ptrdiff_refused)
{
    dl_reentrant d;
    int64_t strides[1];
    dl_init(&d, INT64_MAX / 8, strides); /* x 4 bytes x 3 steps: past PTRDIFF_MAX */
    ndv_view v;
    ck_status(ndv_from_dlpack(&v, &d.managed, false), NDV_ERR_OVERFLOW);
    ck_assert_int_eq(d.deletes, 0); /* the caller still owns a refused tensor */
    dl_init(&d, -(INT64_MAX / 8), strides);
    ck_status(ndv_from_dlpack(&v, &d.managed, false), NDV_ERR_OVERFLOW);
    ck_assert_int_eq(d.deletes, 0);
}
END_TEST

/* An exporter without a format: items of 4 bytes called "B" are not uint8 values. */
START_TEST(dlpack_refuses_defaulted_formats)
{
    geometry g = {.itemsize = 4, .len = 16, .format = NULL, .ndim = 1, .shape = {4},
                  .strides = {4}};
    ndv_view v;
    ck_ok(ndv_view_from_exporter(&v, &g, &geo_ops, NDV_BUF_FULL));
    ck_assert_str_eq(v.format, "B");
    ck_assert_int_eq(v.itemsize, 4);
    DLManagedTensor *t = NULL;
    ck_status(ndv_to_dlpack(&v, &t), NDV_ERR_TYPE);
    ck_msg_has("4 bytes");
    ck_assert_ptr_null(t);
    ck_ok(ndv_release(&v));
}
END_TEST
#endif

/* ------------------------------------------------------------------------ */
/* Answers CPython gives                                                     */
/* ------------------------------------------------------------------------ */

/* memory_getbuf: a 0-d view exports NULL shape and strides. */
START_TEST(zero_dim_exports_null_shape_and_strides)
{
    int x = 7;
    ndv_view v, e;
    ck_ok(ndv_view_from_memory(&v, &x, sizeof x, false, "i", 0, NULL, NULL, 0));
    ck_assert_ptr_nonnull(v.shape); /* the view itself keeps its (empty) arrays */
    int flags[] = {NDV_BUF_FULL, NDV_BUF_STRIDED, NDV_BUF_ND, NDV_BUF_RECORDS_RO};
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
        ck_ok(ndv_get_buffer(&v, &e, flags[i]));
        ck_assert_int_eq(e.ndim, 0);
        ck_assert_ptr_null(e.shape);
        ck_assert_ptr_null(e.strides);
        ck_assert_int_eq(e.len, 4);
        ck_ok(ndv_release(&e));
    }
    ck_ok(ndv_release(&v));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("hostile");
    TCase *tc = tcase_create("hostile");
    tcase_add_test(tc, release_callback_finds_the_view_released);
    tcase_add_test(tc, derive_in_place_releases_before_calling_out);
    tcase_add_test(tc, exporter_strides_past_ptrdiff_refused);
    tcase_add_test(tc, zero_dim_exports_null_shape_and_strides);
#if defined(NDV_TEST_HAVE_DLPACK)
    tcase_add_test(tc, dlpack_deleter_finds_the_view_released);
    tcase_add_test(tc, dlpack_strides_past_ptrdiff_refused);
    tcase_add_test(tc, dlpack_refuses_defaulted_formats);
#endif
    suite_add_tcase(s, tc);
    return run_suite(s);
}
