/*
 * buffer.c - the exporter protocol: both sides of a buffer request.
 *
 * Mirrors CPython's memoryobject.c: ndv_view_from_exporter asks the exporter
 * once and keeps its answer in an ndv__mbuf; derived views register with that
 * mbuf (view.c); ndv_get_buffer hands out exports counted on the exporting
 * view, which cannot be released while they live. Calls only down, into
 * view.c and format.c.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* The producer side                                                         */
/* ------------------------------------------------------------------------ */

ndv_status ndv_fill_info(ndv_buffer *view, void *obj, void *buf, ptrdiff_t len, bool readonly,
                         int flags)
{
    if (view == NULL)
        return ndv__error(NDV_ERR_BUFFER, "PyBuffer_FillInfo: view==NULL argument is obsolete");
    if ((flags & NDV_BUF_WRITABLE) && readonly)
        return ndv__error(NDV_ERR_BUFFER, "Object is not writable.");
    if (len < 0)
        return ndv__error(NDV_ERR_VALUE, "ndv_fill_info: len must not be negative");
    view->obj = obj;
    view->buf = buf;
    view->len = len;
    view->readonly = readonly;
    view->itemsize = 1;
    view->format = (flags & NDV_BUF_FORMAT) ? "B" : NULL;
    view->ndim = 1;
    view->shape = (flags & NDV_BUF_ND) == NDV_BUF_ND ? &view->len : NULL;
    view->strides = (flags & NDV_BUF_STRIDES) == NDV_BUF_STRIDES ? &view->itemsize : NULL;
    view->suboffsets = NULL;
    view->internal = NULL;
    return NDV_OK;
}

/* memory_getbuf's checks, in CPython's order and with its messages (f: contiguity flags). */
static ndv_status check_request(unsigned f, bool readonly, int flags)
{
    bool c = f & (NDV__FLAG_SCALAR | NDV__FLAG_C), fo = f & (NDV__FLAG_SCALAR | NDV__FLAG_F);
#define REQ(x) ((flags & (x)) == (x))
    if ((flags & NDV_BUF_WRITABLE) && readonly)
        return ndv__error(NDV_ERR_BUFFER, "memoryview: underlying buffer is not writable");
    if (REQ(NDV_BUF_C_CONTIGUOUS) && !c)
        return ndv__error(NDV_ERR_BUFFER, "memoryview: underlying buffer is not C-contiguous");
    if (REQ(NDV_BUF_F_CONTIGUOUS) && !fo)
        return ndv__error(NDV_ERR_BUFFER, "memoryview: underlying buffer is not Fortran contiguous");
    if (REQ(NDV_BUF_ANY_CONTIGUOUS) && !c && !fo)
        return ndv__error(NDV_ERR_BUFFER, "memoryview: underlying buffer is not contiguous");
    if (!REQ(NDV_BUF_INDIRECT) && (f & NDV__FLAG_PIL))
        return ndv__error(NDV_ERR_BUFFER, "memoryview: underlying buffer requires suboffsets");
    if (!REQ(NDV_BUF_STRIDES) && !c)
        return ndv__error(NDV_ERR_BUFFER, "memoryview: underlying buffer is not C-contiguous");
    if (!REQ(NDV_BUF_ND) && (flags & NDV_BUF_FORMAT))
        return ndv__error(NDV_ERR_BUFFER,
                          "memoryview: cannot cast to unsigned bytes if the format flag is present");
#undef REQ
    return NDV_OK;
}

ndv_status ndv_fill_buffer(ndv_buffer *view, void *obj, void *buf, ptrdiff_t itemsize,
                           const char *format, int ndim, const ptrdiff_t *shape,
                           const ptrdiff_t *strides, bool readonly, int flags)
{
    NDV__CHECK_ARG(view, "ndv_fill_buffer");
    if (ndim < 0 || ndim > NDV_MAXDIM)
        return ndv__error(NDV_ERR_VALUE, "memoryview: number of dimensions must not exceed %d",
                          NDV_MAXDIM);
    if (ndim > 0)
        NDV__CHECK_ARG(shape, "ndv_fill_buffer");
    if (itemsize <= 0)
        return ndv__error(NDV_ERR_VALUE, "ndv_fill_buffer: itemsize must be positive");
    ptrdiff_t len = itemsize, cs[NDV_MAXDIM];
    for (int i = ndim - 1; i >= 0; i--) { /* C strides stand in for NULL ones */
        cs[i] = len;
        if (shape[i] < 0)
            return ndv__error(NDV_ERR_VALUE, "shape must not be negative (dimension %d is %td)",
                              i, shape[i]);
        if (!ndv__mul(len, shape[i], &len))
            return ndv__error(NDV_ERR_OVERFLOW, "product(shape) * itemsize does not fit ptrdiff_t");
    }
    if (buf == NULL && len > 0)
        return ndv__error(NDV_ERR_VALUE, "ndv_fill_buffer: argument 'buf' is NULL");
    unsigned f = ndv__contiguity_flags(ndim, shape, strides ? strides : cs, NULL, itemsize);
    ndv_status s = check_request(f, readonly, flags);
    if (s != NDV_OK)
        return s;
    bool nd = (flags & NDV_BUF_ND) == NDV_BUF_ND;
    *view = (ndv_buffer){buf, obj, len, itemsize, readonly, nd ? ndim : 1,
                         (flags & NDV_BUF_FORMAT) ? (format ? format : "B") : NULL,
                         nd && ndim > 0 ? shape : NULL,
                         (flags & NDV_BUF_STRIDES) == NDV_BUF_STRIDES && ndim > 0 ? strides : NULL,
                         NULL, NULL};
    return NDV_OK;
}

/* Check what an exporter filled in and turn it into a view description. */
static ndv_status geom_of_master(const ndv_buffer *m, ndv__geom *g, ptrdiff_t *shape1)
{
    if (m->ndim < 0 || m->ndim > NDV_MAXDIM)
        return ndv__error(NDV_ERR_VALUE, "memoryview: number of dimensions must not exceed %d",
                          NDV_MAXDIM);
    if (m->itemsize <= 0 || m->len < 0)
        return ndv__error(NDV_ERR_VALUE, "exporter gave itemsize %td and len %td", m->itemsize,
                          m->len);
    if (m->buf == NULL && m->len > 0)
        return ndv__error(NDV_ERR_VALUE, "exporter gave a NULL buffer of %td bytes", m->len);
    *g = (ndv__geom){m->buf, m->itemsize, m->ndim, m->readonly != 0,
                     m->format ? m->format : "B", NULL, m->shape, m->strides, m->suboffsets};
    if (m->shape == NULL && m->ndim == 1) {
        /* CPython's init_shape_strides: a flat buffer of len/itemsize items. */
        *shape1 = m->len / m->itemsize;
        g->shape = shape1;
    } else if (m->shape == NULL && m->ndim > 1) {
        return ndv__error(NDV_ERR_VALUE, "exporter gave ndim %d without a shape", m->ndim);
    }
    if (m->strides == NULL && m->suboffsets != NULL)
        return ndv__error(NDV_ERR_VALUE, "exporter gave suboffsets without strides");
    return NDV_OK;
}

/*
 * memoryview takes any format an exporter gives and parses it only when
 * values are asked for; ndview parses it now, and keeps one it cannot parse
 * opaque (bytes work, values are NDV_ERR_NOTIMPL) instead of refusing the
 * export.
 */
static ndv_status parse_master_format(ndv__geom *g)
{
    ndv_status s;
    ndv__format *fmt = ndv__format_parse(g->format, &s);
    if (!fmt && s == NDV_ERR_FORMAT)
        fmt = ndv__format_opaque(g->itemsize);
    g->fmt = fmt;
    return fmt ? NDV_OK : s == NDV_ERR_FORMAT ? NDV_ERR_NOMEM : s;
}

/* A format given by the exporter must describe its itemsize ("B" for NULL is CPython's quirk). */
static ndv_status check_master_format(const ndv_buffer *m, const ndv_view *v)
{
    if (m->format && v->internal_->fmt->itemsize != m->itemsize)
        return ndv__error(NDV_ERR_VALUE, "exporter's format '%s' has size %td, not itemsize %td",
                          m->format, v->internal_->fmt->itemsize, m->itemsize);
    if (v->len != m->len)
        return ndv__error(NDV_ERR_VALUE, "exporter's len %td is not product(shape) * itemsize %td",
                          m->len, v->len);
    return NDV_OK;
}

ndv_status ndv_view_from_exporter(ndv_view *out, void *obj, const ndv_exporter *ops, int flags)
{
    NDV__CHECK_ARG(out, "ndv_view_from_exporter");
    ndv__view_clear(out);
    NDV__CHECK_ARG(ops, "ndv_view_from_exporter");
    if (ops->getbuffer == NULL)
        return ndv__error(NDV_ERR_TYPE, "memoryview: a bytes-like object is required");
    ndv__mbuf *mbuf = calloc(1, sizeof *mbuf);
    if (!mbuf)
        return ndv__error(NDV_ERR_NOMEM, "out of memory creating a view");
    /* The exporter may word its own message with ndv_raise; this is the fallback. */
    ndv__error(NDV_ERR_BUFFER, "the exporter's getbuffer failed");
    ndv_status s = ops->getbuffer(obj, &mbuf->master, flags);
    if (s != NDV_OK) {
        free(mbuf);
        return s;
    }
    atomic_init(&mbuf->views, 0);
    mbuf->obj = obj;
    mbuf->ops = ops;
    ndv__geom g;
    ptrdiff_t shape1;
    if ((s = geom_of_master(&mbuf->master, &g, &shape1)) == NDV_OK &&
        (s = parse_master_format(&g)) == NDV_OK) {
        s = ndv__view_init(out, &g, mbuf);
        ndv__format_unref(g.fmt);
    }
    if (s != NDV_OK) {
        if (ops->releasebuffer)
            ops->releasebuffer(obj, &mbuf->master);
        free(mbuf);
        return s;
    }
    if ((s = check_master_format(&mbuf->master, out)) != NDV_OK)
        ndv_release(out); /* drops the only reference: the exporter is released */
    return s;
}

ndv_status ndv_raise(ndv_status status, const char *message)
{
    return ndv__error(status, "%s", message ? message : "");
}

/* ------------------------------------------------------------------------ */
/* The consumer side: views of views and exports                             */
/* ------------------------------------------------------------------------ */

ndv_status ndv_view_from_view(const ndv_view *src, ndv_view *out)
{
    NDV__CHECK_ARG(out, "ndv_view_from_view");
    if (out != src)
        ndv__view_clear(out);
    ndv_status s = ndv__check_live(src);
    if (s != NDV_OK)
        return s;
    ndv__geom g;
    ndv__geom_of(src, &g);
    return ndv__derive(src, &g, out);
}

ndv_status ndv_get_buffer(const ndv_view *src, ndv_view *out, int flags)
{
    NDV__CHECK_ARG(out, "ndv_get_buffer");
    if (out == src)
        return ndv__error(NDV_ERR_VALUE, "ndv_get_buffer: out must not be the source view");
    ndv__view_clear(out);
    ndv_status s = ndv__check_live(src);
    if (s != NDV_OK ||
        (s = check_request(src->internal_->flags, src->readonly, flags)) != NDV_OK)
        return s;
    ndv__geom g;
    ndv__geom_of(src, &g);
    ptrdiff_t flat;
    bool nd = (flags & NDV_BUF_ND) == NDV_BUF_ND;
    if (!nd) {
        /* Without ND the consumer sees flat memory; it is C-contiguous (checked). */
        flat = src->len / src->itemsize;
        g.ndim = 1;
        g.shape = &flat;
        g.strides = &g.itemsize;
    }
    ndv__state *parent = src->internal_;
    ndv_view v;
    if ((s = ndv__view_init(&v, &g, parent->mbuf)) != NDV_OK)
        return s;
    v.internal_->export_of = parent;
    atomic_fetch_add_explicit(&parent->exports, 1, memory_order_acq_rel);
    if (!(flags & NDV_BUF_FORMAT))
        v.format = "B";
    if (!nd || g.ndim == 0) /* memory_getbuf: a 0-d view exports NULL shape and strides */
        v.shape = NULL;
    if ((flags & NDV_BUF_STRIDES) != NDV_BUF_STRIDES || g.ndim == 0)
        v.strides = NULL;
    *out = v;
    return NDV_OK;
}
