/*
 * view.c - a view's whole life: made, derived, released.
 *
 * Every view, however it was made, goes through ndv__view_init: it copies the
 * geometry into the view's own state, computes len with overflow checks,
 * caches memoryview's contiguity flags so ndv_is_contiguous is O(1), and
 * takes one reference to its registration (ndv__mbuf). ndv_release gives it
 * back; the last reference releases the exporter. Birth and death sit
 * together here as in CPython's memoryobject.c (ManagedBuffer section), so
 * the reference counting can be read in one place. This file calls nothing
 * in buffer.c: the exporter protocol calls down into it.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static const char released_msg[] = "operation forbidden on released memoryview object";

ndv_status ndv__check_live(const ndv_view *v)
{
    if (v == NULL || v->internal_ == NULL)
        return ndv__error(NDV_ERR_RELEASED, released_msg);
    return NDV_OK;
}

ndv_status ndv__check_values(const ndv_view *v)
{
    ndv_status s = ndv__check_live(v);
    if (s == NDV_OK && v->internal_->fmt->opaque)
        s = ndv__error(NDV_ERR_NOTIMPL, "memoryview: format %s not supported",
                       v->internal_->format);
    return s;
}

void ndv__view_clear(ndv_view *v)
{
    *v = (ndv_view)NDV_VIEW_INIT;
}

/* ------------------------------------------------------------------------ */
/* Made: geometry, contiguity, registration                                 */
/* ------------------------------------------------------------------------ */

/* PyBuffer_IsContiguous for one order, on a view without suboffsets. */
static bool strided_is_contiguous(int ndim, const ptrdiff_t *shape, const ptrdiff_t *strides,
                                  ptrdiff_t itemsize, char order)
{
    for (int i = 0; i < ndim; i++)
        if (shape[i] == 0)
            return true; /* len == 0: contiguous in every order */
    ptrdiff_t sd = itemsize;
    for (int k = 0; k < ndim; k++) {
        int i = order == 'C' ? ndim - 1 - k : k;
        if (shape[i] > 1 && strides[i] != sd)
            return false;
        sd *= shape[i]; /* bounded by len, which was checked */
    }
    return true;
}

/* memoryview's init_flags: note the 1-D rule ignores zero extents, as CPython does. */
unsigned ndv__contiguity_flags(int ndim, const ptrdiff_t *shape, const ptrdiff_t *strides,
                               const ptrdiff_t *suboffsets, ptrdiff_t itemsize)
{
    if (suboffsets)
        return NDV__FLAG_PIL;
    if (ndim == 0)
        return NDV__FLAG_SCALAR | NDV__FLAG_C | NDV__FLAG_F;
    if (ndim == 1)
        return shape[0] == 1 || strides[0] == itemsize ? NDV__FLAG_C | NDV__FLAG_F : 0;
    unsigned f = 0;
    if (strided_is_contiguous(ndim, shape, strides, itemsize, 'C'))
        f |= NDV__FLAG_C;
    if (strided_is_contiguous(ndim, shape, strides, itemsize, 'F'))
        f |= NDV__FLAG_F;
    return f;
}

/* C-order strides; false if a stride overflows (possible when an extent is 0). */
static bool c_strides(int ndim, const ptrdiff_t *shape, ptrdiff_t itemsize, ptrdiff_t *strides)
{
    ptrdiff_t sd = itemsize;
    for (int i = ndim - 1; i >= 0; i--) {
        strides[i] = sd;
        if (i > 0 && !ndv__mul(sd, shape[i], &sd))
            return false;
    }
    return true;
}

static ndv_status checked_len(const ndv__geom *g, ptrdiff_t *len)
{
    ptrdiff_t n = g->itemsize;
    for (int i = 0; i < g->ndim; i++) {
        if (g->shape[i] < 0)
            return ndv__error(NDV_ERR_VALUE, "shape must not be negative (dimension %d is %td)",
                              i, g->shape[i]);
        if (!ndv__mul(n, g->shape[i], &n))
            return ndv__error(NDV_ERR_OVERFLOW, "product(shape) * itemsize does not fit ptrdiff_t");
    }
    *len = n;
    return NDV_OK;
}

/*
 * The bytes [*lo, *hi) relative to element 0 that a strided view's items
 * cover; false when nothing is reachable (an extent of 0). Assumes
 * check_reach passed.
 */
static bool reach(int ndim, const ptrdiff_t *shape, const ptrdiff_t *strides, ptrdiff_t itemsize,
                  ptrdiff_t *lo, ptrdiff_t *hi)
{
    *lo = 0;
    *hi = itemsize;
    for (int i = 0; i < ndim; i++)
        if (shape[i] == 0)
            return false;
    for (int i = 0; i < ndim; i++) {
        ptrdiff_t ext = strides[i] * (shape[i] - 1);
        *(ext < 0 ? lo : hi) += ext;
    }
    return true;
}

/*
 * Every way a view is born goes through here: the farthest item, and its
 * last byte, must be addressable in ptrdiff_t, so that every index a
 * bounds-checked caller gives (ndv_get_pointer) computes without overflow.
 * Suboffset dimensions restart from a pointer, but their strides still walk
 * the pointer arrays, so the same rule holds.
 */
static ndv_status check_reach(int ndim, const ptrdiff_t *shape, const ptrdiff_t *strides,
                              ptrdiff_t itemsize)
{
    ptrdiff_t lo = 0, hi = 0, ext;
    for (int i = 0; i < ndim; i++)
        if (shape[i] == 0)
            return NDV_OK;
    for (int i = 0; i < ndim; i++) {
        if (!ndv__mul(strides[i], shape[i] - 1, &ext) ||
            !ndv__add(ext < 0 ? lo : hi, ext, ext < 0 ? &lo : &hi))
            return ndv__error(NDV_ERR_OVERFLOW, "strides reach past ptrdiff_t (dimension %d)", i);
    }
    if (!ndv__add(hi, itemsize, &hi))
        return ndv__error(NDV_ERR_OVERFLOW, "strides reach past ptrdiff_t");
    return NDV_OK;
}

static ndv_status new_state(const ndv__geom *g, ndv__state **out)
{
    size_t fmtlen = strlen(g->format) + 1;
    size_t n = (size_t)(g->suboffsets ? 3 : 2) * (size_t)g->ndim;
    ndv__state *st = malloc(sizeof *st + n * sizeof(ptrdiff_t) + fmtlen);
    if (!st)
        return ndv__error(NDV_ERR_NOMEM, "out of memory creating a view");
    st->ndim = g->ndim;
    st->shape = st->arrays;
    st->strides = st->arrays + g->ndim;
    st->suboffsets = g->suboffsets ? st->arrays + 2 * g->ndim : NULL;
    st->format = (char *)(st->arrays + n);
    memcpy(st->format, g->format, fmtlen);
    size_t nbytes = (size_t)g->ndim * sizeof(ptrdiff_t);
    if (g->ndim > 0) { /* 0-d views may come with NULL arrays */
        memcpy(st->shape, g->shape, nbytes);
        if (g->suboffsets)
            memcpy(st->suboffsets, g->suboffsets, nbytes);
        if (g->strides) {
            memcpy(st->strides, g->strides, nbytes);
        } else if (!c_strides(g->ndim, g->shape, g->itemsize, st->strides)) {
            free(st);
            return ndv__error(NDV_ERR_OVERFLOW, "C strides of this shape do not fit ptrdiff_t");
        }
    }
    *out = st;
    return NDV_OK;
}

ndv_status ndv__view_init(ndv_view *out, const ndv__geom *g, ndv__mbuf *mbuf)
{
    if (g->ndim < 0 || g->ndim > NDV_MAXDIM)
        return ndv__error(NDV_ERR_VALUE, "memoryview: number of dimensions must not exceed %d",
                          NDV_MAXDIM);
    if (g->itemsize <= 0)
        return ndv__error(NDV_ERR_VALUE, "itemsize must be positive (got %td)", g->itemsize);
    ptrdiff_t len = 0;
    ndv_status s = checked_len(g, &len);
    if (s != NDV_OK)
        return s;
    ndv__format *fmt = g->fmt ? ndv__format_ref(g->fmt) : ndv__format_parse(g->format, &s);
    if (!fmt)
        return s;
    ndv__state *st = NULL;
    if ((s = new_state(g, &st)) != NDV_OK ||
        (s = check_reach(st->ndim, st->shape, st->strides, g->itemsize)) != NDV_OK) {
        free(st);
        ndv__format_unref(fmt);
        return s;
    }
    st->mbuf = mbuf;
    st->export_of = NULL;
    atomic_init(&st->exports, 0);
    st->fmt = fmt;
    st->flags = ndv__contiguity_flags(st->ndim, st->shape, st->strides, st->suboffsets,
                                      g->itemsize);
    atomic_fetch_add_explicit(&mbuf->views, 1, memory_order_relaxed);
    *out = (ndv_view){g->buf, len, g->itemsize, g->ndim, g->readonly, st->format,
                      st->shape, st->strides, st->suboffsets, st};
    return NDV_OK;
}

/* ------------------------------------------------------------------------ */
/* Derived: another view on the same registration                           */
/* ------------------------------------------------------------------------ */

ndv_status ndv__derive(const ndv_view *src, const ndv__geom *g, ndv_view *out)
{
    ndv_view made;
    ndv_status s = ndv__view_init(&made, g, src->internal_->mbuf);
    if (s != NDV_OK)
        return s;
    if (out == src && (s = ndv_release(out)) != NDV_OK) {
        ndv_release(&made); /* the source has exports: it must stay as it is */
        return s;
    }
    *out = made;
    return NDV_OK;
}

void ndv__geom_of(const ndv_view *src, ndv__geom *g)
{
    const ndv__state *st = src->internal_;
    *g = (ndv__geom){src->buf, src->itemsize, st->ndim, src->readonly, st->format, st->fmt,
                     st->shape, st->strides, st->suboffsets};
}

/* ------------------------------------------------------------------------ */
/* Made over caller-owned memory                                            */
/* ------------------------------------------------------------------------ */

/* Every byte of every item lies in [0, memlen) relative to mem (the reach was checked). */
static ndv_status check_bounds(const ndv__geom *g, ptrdiff_t memlen, ptrdiff_t offset)
{
    ptrdiff_t lo, hi, first, last;
    if (!reach(g->ndim, g->shape, g->strides, g->itemsize, &lo, &hi)) {
        if (offset < 0 || offset > memlen)
            return ndv__error(NDV_ERR_VALUE, "offset %td lies outside the memory (%td bytes)",
                              offset, memlen);
        return NDV_OK; /* nothing reachable */
    }
    if (!ndv__add(offset, lo, &first) || !ndv__add(offset, hi, &last))
        return ndv__error(NDV_ERR_OVERFLOW, "offset plus strides does not fit ptrdiff_t");
    if (first < 0 || last > memlen)
        return ndv__error(NDV_ERR_VALUE,
                          "view reaches bytes [%td, %td) outside the memory [0, %td)", first,
                          last, memlen);
    return NDV_OK;
}

static ndv_status check_memory_args(void *mem, ptrdiff_t memlen, const char *format, int ndim,
                                    const ptrdiff_t *shape)
{
    NDV__CHECK_ARG(format, "ndv_view_from_memory");
    if (memlen < 0)
        return ndv__error(NDV_ERR_VALUE, "memlen must not be negative");
    if (mem == NULL && memlen > 0)
        return ndv__error(NDV_ERR_VALUE, "ndv_view_from_memory: argument 'mem' is NULL");
    if (ndim < 0)
        return ndv__error(NDV_ERR_VALUE, "ndim must not be negative");
    if (ndim > NDV_MAXDIM)
        return ndv__error(NDV_ERR_VALUE, "memoryview: number of dimensions must not exceed %d",
                          NDV_MAXDIM);
    if (ndim > 0 && shape == NULL)
        return ndv__error(NDV_ERR_VALUE, "ndv_view_from_memory: argument 'shape' is NULL");
    return NDV_OK;
}

ndv_status ndv_view_from_memory(ndv_view *out, void *mem, ptrdiff_t memlen, bool readonly,
                                const char *format, int ndim, const ptrdiff_t *shape,
                                const ptrdiff_t *strides, ptrdiff_t offset)
{
    NDV__CHECK_ARG(out, "ndv_view_from_memory");
    ndv__view_clear(out);
    ndv_status s = check_memory_args(mem, memlen, format, ndim, shape);
    if (s != NDV_OK)
        return s;
    ndv__format *fmt = ndv__format_parse(format, &s);
    if (!fmt)
        return s;
    ptrdiff_t cs[NDV_MAXDIM];
    ndv__geom g = {NULL, fmt->itemsize, ndim, readonly, format, fmt, shape, strides, NULL};
    if (fmt->itemsize == 0)
        s = ndv__error(NDV_ERR_VALUE, "format '%s' has itemsize 0", format);
    else if (!strides && !c_strides(ndim, shape, fmt->itemsize, cs))
        s = ndv__error(NDV_ERR_OVERFLOW, "C strides of this shape do not fit ptrdiff_t");
    if (s == NDV_OK) {
        ptrdiff_t len;
        g.strides = strides ? strides : cs;
        if ((s = checked_len(&g, &len)) == NDV_OK &&
            (s = check_reach(ndim, shape, g.strides, g.itemsize)) == NDV_OK)
            s = check_bounds(&g, memlen, offset);
    }
    ndv__mbuf *mbuf = NULL;
    if (s == NDV_OK && !(mbuf = calloc(1, sizeof *mbuf)))
        s = ndv__error(NDV_ERR_NOMEM, "out of memory creating a view");
    if (s == NDV_OK) {
        atomic_init(&mbuf->views, 0);
        mbuf->master = (ndv_buffer){mem, NULL, memlen, 1, readonly, 1, "B", NULL, NULL, NULL, NULL};
        g.buf = mem ? (char *)mem + offset : NULL;
        if ((s = ndv__view_init(out, &g, mbuf)) != NDV_OK)
            free(mbuf);
    }
    ndv__format_unref(fmt);
    return s;
}

bool ndv_is_contiguous(const ndv_view *view, char order)
{
    if (view == NULL || view->internal_ == NULL)
        return false;
    unsigned f = view->internal_->flags;
    switch (order) {
    case 'C': return f & NDV__FLAG_C;
    case 'F': return f & NDV__FLAG_F;
    case 'A': return f & (NDV__FLAG_C | NDV__FLAG_F);
    default: return false;
    }
}

bool ndv_is_released(const ndv_view *view)
{
    return view == NULL || view->internal_ == NULL;
}

/* ------------------------------------------------------------------------ */
/* Released                                                                  */
/* ------------------------------------------------------------------------ */

void ndv__mbuf_decref(ndv__mbuf *mbuf)
{
    if (atomic_fetch_sub_explicit(&mbuf->views, 1, memory_order_acq_rel) != 1)
        return;
    if (mbuf->ops && mbuf->ops->releasebuffer)
        mbuf->ops->releasebuffer(mbuf->obj, &mbuf->master);
    free(mbuf);
}

/*
 * The view is marked released and its state freed before anything outside
 * the library runs (CPython's _memory_release order): an exporter's
 * releasebuffer or a DLPack deleter that calls back into this view finds it
 * released (NDV_ERR_RELEASED, or NDV_OK for a second release), never a
 * half-freed state.
 */
ndv_status ndv_release(ndv_view *view)
{
    if (view == NULL || view->internal_ == NULL)
        return NDV_OK;
    ndv__state *st = view->internal_;
    long n = atomic_load_explicit(&st->exports, memory_order_acquire);
    if (n > 0)
        return ndv__error(NDV_ERR_BUFFER, "memoryview has %ld exported buffer%s", n,
                          n == 1 ? "" : "s");
    ndv__view_clear(view);
    ndv__mbuf *mbuf = st->mbuf;
    if (st->export_of)
        atomic_fetch_sub_explicit(&st->export_of->exports, 1, memory_order_acq_rel);
    ndv__format_unref(st->fmt);
    free(st);
    ndv__mbuf_decref(mbuf);
    return NDV_OK;
}

ptrdiff_t ndv_exports(const ndv_view *view)
{
    if (view == NULL || view->internal_ == NULL)
        return 0;
    return atomic_load_explicit(&view->internal_->exports, memory_order_acquire);
}
