/*
 * shape.c - zero-copy shape operations: slice, index, get_pointer,
 * transpose, cast, toreadonly.
 *
 * Each builds a new geometry from the source's and registers it with the
 * source's mbuf, as CPython's mbuf_add_view does. Python's rules (slice
 * arithmetic, cast checks and their order) are followed to the letter; the
 * comments name the CPython function each piece mirrors.
 */
#include "shape.h"

#include <string.h>

void ndv__geom_copy(const ndv_view *src, ndv__geom_buf *b)
{
    ndv__geom_of(src, &b->g);
    size_t n = (size_t)b->g.ndim * sizeof(ptrdiff_t);
    memcpy(b->shape, b->g.shape, n);
    memcpy(b->strides, b->g.strides, n);
    if (b->g.suboffsets)
        memcpy(b->suboffsets, b->g.suboffsets, n);
    b->g.shape = b->shape;
    b->g.strides = b->strides;
    b->g.suboffsets = b->g.suboffsets ? b->suboffsets : NULL;
}

ndv_status ndv__begin(const ndv_view *src, ndv_view *out, const char *fn)
{
    if (out == NULL)
        return ndv__error(NDV_ERR_VALUE, "%s: argument 'out' is NULL", fn);
    if (out != src)
        ndv__view_clear(out);
    return ndv__check_live(src);
}

int ndv__last_indirect_before(const ndv__geom *g, int dim)
{
    if (g->suboffsets)
        for (int j = dim - 1; j >= 0; j--)
            if (g->suboffsets[j] >= 0)
                return j;
    return -1;
}

bool ndv__shift_dim(ndv__geom_buf *b, int dim, ptrdiff_t delta)
{
    if (delta == 0)
        return true; /* buf may be NULL (empty memory): no arithmetic on it */
    int j = ndv__last_indirect_before(&b->g, dim);
    if (j < 0) {
        b->g.buf = (char *)b->g.buf + delta;
        return true;
    }
    if (!ndv__add(b->suboffsets[j], delta, &b->suboffsets[j]) || b->suboffsets[j] < 0)
        return false;
    return true;
}

/* ------------------------------------------------------------------------ */
/* Slicing (PySlice_Unpack + PySlice_AdjustIndices)                          */
/* ------------------------------------------------------------------------ */

static ptrdiff_t adjust_bound(ptrdiff_t i, ptrdiff_t length, ptrdiff_t step)
{
    if (i < 0) {
        i += length;
        if (i < 0)
            i = step < 0 ? -1 : 0;
    } else if (i >= length) {
        i = step < 0 ? length - 1 : length;
    }
    return i;
}

ptrdiff_t ndv__slice_length(ptrdiff_t length, ptrdiff_t *start, ptrdiff_t stop, ptrdiff_t step)
{
    if (*start == NDV_NONE)
        *start = step < 0 ? PTRDIFF_MAX : 0;
    if (stop == NDV_NONE)
        stop = step < 0 ? PTRDIFF_MIN : PTRDIFF_MAX;
    *start = adjust_bound(*start, length, step);
    stop = adjust_bound(stop, length, step);
    if (step < 0)
        return stop < *start ? (*start - stop - 1) / (-step) + 1 : 0;
    return *start < stop ? (stop - *start - 1) / step + 1 : 0;
}

ndv_status ndv_slice(const ndv_view *view, int dim, ptrdiff_t start, ptrdiff_t stop,
                     ptrdiff_t step, ndv_view *out)
{
    ndv_status s = ndv__begin(view, out, "ndv_slice");
    if (s != NDV_OK)
        return s;
    ndv__geom_buf b;
    ndv__geom_copy(view, &b);
    if (b.g.ndim == 0)
        return ndv__error(NDV_ERR_TYPE, "invalid indexing of 0-dim memory");
    if (dim < 0 || dim >= b.g.ndim)
        return ndv__error(NDV_ERR_INDEX, "slice dimension %d out of range for a %d-dimensional view",
                          dim, b.g.ndim);
    if (step == NDV_NONE)
        step = 1;
    if (step == 0)
        return ndv__error(NDV_ERR_VALUE, "slice step cannot be zero");
    ptrdiff_t n = ndv__slice_length(b.shape[dim], &start, stop, step), delta;
    if (!ndv__mul(b.strides[dim], start, &delta) || !ndv__mul(b.strides[dim], step, &b.strides[dim]))
        return ndv__error(NDV_ERR_OVERFLOW, "sliced stride does not fit ptrdiff_t");
    b.shape[dim] = n;
    bool empty = false; /* an empty result has no first item to point at: buf stays */
    for (int i = 0; i < b.g.ndim; i++)
        empty = empty || b.shape[i] == 0;
    if (!ndv__shift_dim(&b, dim, empty ? 0 : delta))
        return ndv__error(NDV_ERR_NOTIMPL,
                          "this slice needs a negative suboffset, which PEP 3118 cannot express");
    return ndv__derive(view, &b.g, out);
}

/* ------------------------------------------------------------------------ */
/* Indexing                                                                  */
/* ------------------------------------------------------------------------ */

static ndv_status check_index(const ndv__geom *g, int dim, ptrdiff_t *i)
{
    ptrdiff_t n = g->shape[dim];
    if (*i < 0)
        *i += n;
    if (*i < 0 || *i >= n)
        /* CPython's words, counting dimensions from 1 (test_buffer checks them) */
        return ndv__error(NDV_ERR_INDEX, "index out of bounds on dimension %d", dim + 1);
    return NDV_OK;
}

ndv_status ndv_index(const ndv_view *view, ptrdiff_t i, ndv_view *out)
{
    ndv_status s = ndv__begin(view, out, "ndv_index");
    if (s != NDV_OK)
        return s;
    ndv__geom g;
    ndv__geom_of(view, &g);
    if (g.ndim == 0)
        return ndv__error(NDV_ERR_TYPE, "invalid indexing of 0-dim memory");
    if ((s = check_index(&g, 0, &i)) != NDV_OK)
        return s;
    ndv__geom sub = g;
    /* An empty view has no items to point at (and its buf may be NULL): keep buf. */
    sub.buf = view->len ? ndv__step(g.strides, g.suboffsets, 0, g.buf, i) : g.buf;
    sub.ndim = g.ndim - 1;
    sub.shape = g.shape + 1;
    sub.strides = g.strides + 1;
    /* Keep suboffsets only while some remaining dimension still dereferences. */
    sub.suboffsets = ndv__last_indirect_before(&g, g.ndim) > 0 ? g.suboffsets + 1 : NULL;
    return ndv__derive(view, &sub, out);
}

ndv_status ndv_get_pointer(const ndv_view *view, const ptrdiff_t *indices, void **ptr)
{
    ndv_status s = ndv__check_live(view);
    if (s != NDV_OK)
        return s;
    NDV__CHECK_ARG(ptr, "ndv_get_pointer");
    ndv__geom g;
    ndv__geom_of(view, &g);
    if (g.ndim > 0)
        NDV__CHECK_ARG(indices, "ndv_get_pointer");
    ptrdiff_t idx[NDV_MAXDIM];
    for (int d = 0; d < g.ndim; d++) { /* all bounds first: no arithmetic past an empty extent */
        idx[d] = indices[d];
        if ((s = check_index(&g, d, &idx[d])) != NDV_OK)
            return s;
    }
    char *p = g.buf;
    for (int d = 0; d < g.ndim; d++)
        p = ndv__step(g.strides, g.suboffsets, d, p, idx[d]);
    *ptr = p;
    return NDV_OK;
}

/* ------------------------------------------------------------------------ */
/* Transpose and read-only                                                   */
/* ------------------------------------------------------------------------ */

ndv_status ndv_transpose(const ndv_view *view, const int *perm, ndv_view *out)
{
    ndv_status s = ndv__begin(view, out, "ndv_transpose");
    if (s != NDV_OK)
        return s;
    ndv__geom_buf b;
    ndv__geom_copy(view, &b);
    ndv__geom src;
    ndv__geom_of(view, &src);
    int n = b.g.ndim, last_indirect = ndv__last_indirect_before(&src, n);
    bool seen[NDV_MAXDIM] = {false};
    for (int k = 0; k < n; k++) {
        int d = perm ? perm[k] : n - 1 - k;
        if (d < 0 || d >= n || seen[d])
            return ndv__error(NDV_ERR_VALUE, "perm is not a permutation of 0..%d", n - 1);
        seen[d] = true;
        if ((k <= last_indirect || d <= last_indirect) && d != k)
            return ndv__error(NDV_ERR_NOTIMPL,
                              "cannot move dimension %d past an indirect (suboffset) dimension", d);
        b.shape[k] = src.shape[d];
        b.strides[k] = src.strides[d];
        if (src.suboffsets)
            b.suboffsets[k] = src.suboffsets[d];
    }
    return ndv__derive(view, &b.g, out);
}

ndv_status ndv_toreadonly(const ndv_view *view, ndv_view *out)
{
    ndv_status s = ndv__begin(view, out, "ndv_toreadonly");
    if (s != NDV_OK)
        return s;
    ndv__geom g;
    ndv__geom_of(view, &g);
    g.readonly = true;
    return ndv__derive(view, &g, out);
}

/* ------------------------------------------------------------------------ */
/* Cast (memoryview_cast_impl, cast_to_1D, cast_to_ND)                       */
/* ------------------------------------------------------------------------ */

static bool is_byte_format(char c)
{
    return c == 'b' || c == 'B' || c == 'c';
}

/* The checks of memoryview_cast_impl before any new view exists. */
static ndv_status cast_precheck(const ndv__geom *g, unsigned flags, int ndim)
{
    if (!(flags & (NDV__FLAG_SCALAR | NDV__FLAG_C)))
        return ndv__error(NDV_ERR_TYPE, "memoryview: casts are restricted to C-contiguous views");
    if (ndim >= 0 || g->ndim != 1)
        for (int i = 0; i < g->ndim; i++)
            if (g->shape[i] == 0)
                return ndv__error(NDV_ERR_TYPE,
                                  "memoryview: cannot cast view with zeros in shape or strides");
    if (ndim < -1)
        return ndv__error(NDV_ERR_VALUE, "ndim must be -1 (no shape) or 0..%d", NDV_MAXDIM);
    if (ndim > NDV_MAXDIM)
        return ndv__error(NDV_ERR_VALUE, "memoryview: number of dimensions must not exceed %d",
                          NDV_MAXDIM);
    if (ndim >= 0 && g->ndim != 1 && ndim != 1)
        return ndv__error(NDV_ERR_TYPE, "memoryview: cast must be 1D -> ND or ND -> 1D");
    return NDV_OK;
}

/* cast_to_1D's format checks; *itemsize is the destination's. */
static ndv_status cast_format(const char *src_format, const char *format, ptrdiff_t len,
                              ptrdiff_t *itemsize)
{
    char dest = ndv__native_single(format), src = ndv__native_single(src_format);
    if (!dest)
        return ndv__error(NDV_ERR_VALUE,
                          "memoryview: destination format must be a native single character "
                          "format prefixed with an optional '@'");
    if (!is_byte_format(src) && !is_byte_format(dest))
        return ndv__error(NDV_ERR_TYPE, "memoryview: cannot cast between two non-byte formats");
    ndv_status s = ndv_calcsize(format, itemsize);
    if (s != NDV_OK)
        return s;
    if (len % *itemsize)
        return ndv__error(NDV_ERR_TYPE, "memoryview: length is not a multiple of itemsize");
    return NDV_OK;
}

/* cast_to_ND's copy_shape and size check; the product starts from the itemsize, as CPython's. */
static ndv_status cast_shape(int ndim, const ptrdiff_t *shape, ptrdiff_t itemsize, ptrdiff_t len)
{
    ptrdiff_t n = itemsize;
    for (int i = 0; i < ndim; i++) {
        if (shape[i] <= 0)
            return ndv__error(NDV_ERR_VALUE,
                              "memoryview.cast(): elements of shape must be integers > 0");
        if (!ndv__mul(n, shape[i], &n))
            return ndv__error(NDV_ERR_VALUE, "memoryview.cast(): product(shape) > SSIZE_MAX");
    }
    if (n != len)
        return ndv__error(NDV_ERR_TYPE, "memoryview: product(shape) * itemsize != buffer size");
    return NDV_OK;
}

ndv_status ndv_cast(const ndv_view *view, const char *format, int ndim, const ptrdiff_t *shape,
                    ndv_view *out)
{
    ndv_status s = ndv__begin(view, out, "ndv_cast");
    if (s != NDV_OK)
        return s;
    NDV__CHECK_ARG(format, "ndv_cast");
    if (ndim > 0)
        NDV__CHECK_ARG(shape, "ndv_cast");
    ndv__geom g;
    ndv__geom_of(view, &g);
    ptrdiff_t itemsize, flat;
    if ((s = cast_precheck(&g, view->internal_->flags, ndim)) != NDV_OK ||
        (s = cast_format(g.format, format, view->len, &itemsize)) != NDV_OK)
        return s;
    ndv__geom c = {g.buf, itemsize, 1, g.readonly, format, NULL, &flat, NULL, NULL};
    flat = view->len / itemsize;
    if (ndim >= 0) {
        if ((s = cast_shape(ndim, shape, itemsize, view->len)) != NDV_OK)
            return s;
        c.ndim = ndim;
        c.shape = shape;
    }
    return ndv__derive(view, &c, out);
}
