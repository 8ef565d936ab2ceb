/*
 * algebra.c - the view algebra numeric libraries use every day, NumPy's
 * rules and messages: basic subscripts on any dimension in one call,
 * broadcast_to, reshape without copying, sliding windows.
 *
 * Each builds one new geometry and registers it once with the source's
 * registration (one allocation, the source's export lock), as shape.c's
 * operations do; NumPy (numpy/core/src/multiarray/mapping.c, shape.c,
 * lib/stride_tricks.py) is the reference for every answer.
 */
#include "plan.h"
#include "shape.h"

#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Subscripts (mapping.c: prepare_index, get_view_from_index)                */
/* ------------------------------------------------------------------------ */

/*
 * The source dimensions the subscripts consume (*used), the dimensions of
 * the result without the ellipsis' (*made), and where the ellipsis is (-1).
 */
static ndv_status count_subs(const ndv_sub *subs, int nsubs, int *used, int *made,
                             int *ellipsis)
{
    *used = *made = 0;
    *ellipsis = -1;
    for (int k = 0; k < nsubs; k++) {
        switch (subs[k].kind) {
        case NDV_SUB_INDEX: ++*used; break;
        case NDV_SUB_SLICE: ++*used; ++*made; break;
        case NDV_SUB_NEWAXIS: ++*made; break;
        case NDV_SUB_ELLIPSIS:
            if (*ellipsis >= 0)
                return ndv__error(NDV_ERR_INDEX,
                                  "an index can only have a single ellipsis ('...')");
            *ellipsis = k;
            break;
        default:
            return ndv__error(NDV_ERR_VALUE, "ndv_subscript: subscript %d has an unknown kind %d",
                              k, (int)subs[k].kind);
        }
    }
    return NDV_OK;
}

/* Append one dimension to the result under construction. */
static void push_dim(ndv__geom_buf *r, ptrdiff_t extent, ptrdiff_t stride, ptrdiff_t suboffset)
{
    int d = r->g.ndim++;
    r->shape[d] = extent;
    r->strides[d] = stride;
    r->suboffsets[d] = suboffset;
}

/*
 * An integer on source dimension d (the result so far has r->g.ndim
 * dimensions). A direct dimension moves element 0; an indirect one is
 * followed, which needs it to lead what is left (as ndv_index follows
 * dimension 0), since a pointer array cannot be read at a later dimension.
 */
static ndv_status take_index(ndv__geom_buf *r, const ndv__geom *src, int d, ptrdiff_t i,
                             bool empty)
{
    ptrdiff_t n = src->shape[d];
    if (i < -n || i >= n)
        return ndv__error(NDV_ERR_INDEX, "index %td is out of bounds for axis %d with size %td",
                          i, d, n);
    i = i < 0 ? i + n : i;
    bool indirect = src->suboffsets && src->suboffsets[d] >= 0;
    if (empty)
        return NDV_OK; /* no items to point at: buf stays (it may be NULL) */
    if (!indirect) { /* after r's dimensions so far, which keep src's order */
        if (!ndv__shift_dim(r, r->g.ndim, src->strides[d] * i))
            return ndv__error(NDV_ERR_NOTIMPL,
                              "this index needs a negative suboffset, which PEP 3118 cannot "
                              "express");
        return NDV_OK;
    }
    if (r->g.ndim > 0)
        return ndv__error(NDV_ERR_NOTIMPL,
                          "cannot index indirect (suboffset) dimension %d after a kept dimension",
                          d);
    r->g.buf = ndv__step(src->strides, src->suboffsets, d, r->g.buf, i);
    return NDV_OK;
}

static ndv_status take_slice(ndv__geom_buf *r, const ndv__geom *src, int d, const ndv_sub *sub,
                             bool empty)
{
    ptrdiff_t step = sub->step == NDV_NONE ? 1 : sub->step, start = sub->start, delta;
    if (step == 0)
        return ndv__error(NDV_ERR_VALUE, "slice step cannot be zero");
    ptrdiff_t n = ndv__slice_length(src->shape[d], &start, sub->stop, step), stride;
    if (n == 0) { /* NumPy's get_view_from_index: an empty slice is [0:0:1] */
        start = 0;
        step = 1;
    }
    if (!ndv__mul(src->strides[d], start, &delta) || !ndv__mul(src->strides[d], step, &stride))
        return ndv__error(NDV_ERR_OVERFLOW, "sliced stride does not fit ptrdiff_t");
    push_dim(r, n, stride, src->suboffsets ? src->suboffsets[d] : -1);
    if (!ndv__shift_dim(r, r->g.ndim - 1, empty || n == 0 ? 0 : delta))
        return ndv__error(NDV_ERR_NOTIMPL,
                          "this slice needs a negative suboffset, which PEP 3118 cannot express");
    return NDV_OK;
}

/* Are there items at all once every slice is applied? (No pointer moves otherwise.) */
static bool result_is_empty(const ndv__geom *src, const ndv_sub *subs, int nsubs, int ellipsis,
                            int used)
{
    for (int k = 0, d = 0; k < nsubs; k++) {
        if (k == ellipsis) {
            for (int e = 0; e < src->ndim - used; e++, d++)
                if (src->shape[d] == 0)
                    return true;
        } else if (subs[k].kind == NDV_SUB_INDEX) {
            d++;
        } else if (subs[k].kind == NDV_SUB_SLICE) {
            ptrdiff_t start = subs[k].start, step = subs[k].step == NDV_NONE ? 1 : subs[k].step;
            if (step != 0 && ndv__slice_length(src->shape[d], &start, subs[k].stop, step) == 0)
                return true;
            d++;
        }
    }
    for (int d = used + (ellipsis >= 0 ? src->ndim - used : 0); d < src->ndim; d++)
        if (src->shape[d] == 0)
            return true;
    return false;
}

/* Every subscript applied to src in order, into r. */
static ndv_status apply_subs(ndv__geom_buf *r, const ndv__geom *src, const ndv_sub *subs,
                             int nsubs, int ellipsis, int used)
{
    bool empty = result_is_empty(src, subs, nsubs, ellipsis, used);
    ndv_status s = NDV_OK;
    int d = 0;
    for (int k = 0; k < nsubs && s == NDV_OK; k++) {
        switch (subs[k].kind) {
        case NDV_SUB_INDEX: s = take_index(r, src, d, subs[k].start, empty); d++; break;
        case NDV_SUB_SLICE: s = take_slice(r, src, d, &subs[k], empty); d++; break;
        case NDV_SUB_NEWAXIS: push_dim(r, 1, 0, -1); break;
        default: /* the ellipsis: every dimension the others leave, as they are */
            for (int e = 0; e < src->ndim - used; e++, d++)
                push_dim(r, src->shape[d], src->strides[d],
                         src->suboffsets ? src->suboffsets[d] : -1);
        }
    }
    for (; d < src->ndim && s == NDV_OK; d++) /* an implicit trailing ellipsis */
        push_dim(r, src->shape[d], src->strides[d], src->suboffsets ? src->suboffsets[d] : -1);
    return s;
}

ndv_status ndv_subscript(const ndv_view *view, const ndv_sub *subs, int nsubs, ndv_view *out)
{
    ndv_status s = ndv__begin(view, out, "ndv_subscript");
    if (s != NDV_OK)
        return s;
    if (nsubs < 0 || (nsubs > 0 && subs == NULL))
        return ndv__error(NDV_ERR_VALUE, "ndv_subscript: %d subscripts at %p", nsubs,
                          (const void *)subs);
    ndv__geom src;
    ndv__geom_of(view, &src);
    int used, made, ellipsis;
    if ((s = count_subs(subs, nsubs, &used, &made, &ellipsis)) != NDV_OK)
        return s;
    if (used > src.ndim)
        return ndv__error(NDV_ERR_INDEX,
                          "too many indices for array: array is %d-dimensional, but %d were indexed",
                          src.ndim, used);
    if (made + src.ndim - used > NDV_MAXDIM)
        return ndv__error(NDV_ERR_INDEX, "number of dimensions must be within [0, %d]",
                          NDV_MAXDIM);
    ndv__geom_buf r;
    r.g = src;
    r.g.ndim = 0;
    r.g.shape = r.shape;
    r.g.strides = r.strides;
    r.g.suboffsets = src.suboffsets ? r.suboffsets : NULL;
    if ((s = apply_subs(&r, &src, subs, nsubs, ellipsis, used)) != NDV_OK)
        return s;
    if (r.g.suboffsets && ndv__last_indirect_before(&r.g, r.g.ndim) < 0)
        r.g.suboffsets = NULL; /* no dimension left dereferences */
    return ndv__derive(view, &r.g, out);
}

/* ------------------------------------------------------------------------ */
/* broadcast_to (np.broadcast_to)                                            */
/* ------------------------------------------------------------------------ */

ndv_status ndv_broadcast_to(const ndv_view *view, int ndim, const ptrdiff_t *shape,
                            ndv_view *out)
{
    ndv_status s = ndv__begin(view, out, "ndv_broadcast_to");
    if (s != NDV_OK)
        return s;
    if (ndim > 0)
        NDV__CHECK_ARG(shape, "ndv_broadcast_to");
    if (ndim < 0 || ndim > NDV_MAXDIM)
        return ndv__error(NDV_ERR_VALUE, "ndim must be within [0, %d]", NDV_MAXDIM);
    for (int i = 0; i < ndim; i++)
        if (shape[i] < 0)
            return ndv__error(NDV_ERR_VALUE, "all elements of broadcast shape must be non-negative");
    ndv__geom_buf b;
    ndv__geom_copy(view, &b);
    int lead = ndim - b.g.ndim;
    if (lead < 0)
        return ndv__error(NDV_ERR_VALUE,
                          "input operand has more dimensions than allowed by the axis remapping");
    ndv__geom_buf r = b;
    r.g.shape = r.shape;
    r.g.strides = r.strides;
    r.g.suboffsets = b.g.suboffsets ? r.suboffsets : NULL;
    r.g.ndim = ndim;
    r.g.readonly = true; /* NumPy's broadcast views are read-only: items repeat */
    for (int i = 0; i < ndim; i++) {
        int j = i - lead;
        bool from = j >= 0, same = from && b.shape[j] == shape[i];
        if (from && !same && b.shape[j] != 1) {
            char a[NDV_MAXDIM * 24], c[NDV_MAXDIM * 24];
            return ndv__error(NDV_ERR_VALUE,
                              "operands could not be broadcast together with remapped shapes "
                              "[original->remapped]: %s  and requested shape %s",
                              ndv__shape_text(a, sizeof a, b.g.ndim, b.shape),
                              ndv__shape_text(c, sizeof c, ndim, shape));
        }
        r.shape[i] = shape[i];
        /* NumPy's nditer: an extent of 1 always repeats with stride 0 */
        r.strides[i] = same && b.shape[j] != 1 ? b.strides[j] : 0;
        r.suboffsets[i] = from && b.g.suboffsets ? b.suboffsets[j] : -1;
    }
    return ndv__derive(view, &r.g, out);
}

/* ------------------------------------------------------------------------ */
/* reshape (PyArray_Newshape, _attempt_nocopy_reshape)                       */
/* ------------------------------------------------------------------------ */

/* _fix_unknown_dimension: the -1 extent inferred; the product checked against size. */
static ndv_status fix_shape(int ndim, const ptrdiff_t *in, ptrdiff_t size, ptrdiff_t *shape)
{
    int unknown = -1;
    ptrdiff_t known = 1;
    for (int i = 0; i < ndim; i++) {
        shape[i] = in[i];
        if (in[i] == -1 && unknown >= 0)
            return ndv__error(NDV_ERR_VALUE, "can only specify one unknown dimension");
        if (in[i] == -1)
            unknown = i;
        else if (in[i] < 0)
            return ndv__error(NDV_ERR_VALUE, "negative dimensions not allowed");
        else if (!ndv__mul(known, in[i], &known))
            return ndv__error(NDV_ERR_VALUE, "array is too big; `arr.size * arr.dtype.itemsize` "
                                             "is larger than the maximum possible size.");
    }
    if (unknown >= 0 && known != 0 && size % known == 0)
        shape[unknown] = size / known;
    if ((unknown >= 0 && (known == 0 || size % known != 0)) || (unknown < 0 && known != size)) {
        char t[NDV_MAXDIM * 24];
        return ndv__error(NDV_ERR_VALUE, "cannot reshape array of size %td into shape %s", size,
                          ndv__shape_text(t, sizeof t, ndim, in));
    }
    return NDV_OK;
}

/* NumPy's contiguity (size-0 arrays and extent-1 dimensions are anything). */
static bool numpy_contiguous(const ndv__geom *g, char order)
{
    ptrdiff_t sd = g->itemsize;
    for (int i = 0; i < g->ndim; i++)
        if (g->shape[i] == 0)
            return true;
    for (int k = 0; k < g->ndim; k++) {
        int i = order == 'F' ? k : g->ndim - 1 - k;
        if (g->shape[i] != 1 && g->strides[i] != sd)
            return false;
        sd *= g->shape[i];
    }
    return true;
}

/*
 * _attempt_nocopy_reshape: group old and new axes whose products agree;
 * each old group must be contiguous in order for its new axes to get
 * strides without a copy.
 */
static bool nocopy_strides(const ndv__geom *g, int newnd, const ptrdiff_t *newdims, char order,
                           ptrdiff_t *newstrides)
{
    ptrdiff_t olddims[NDV_MAXDIM], oldstrides[NDV_MAXDIM];
    int oldnd = 0;
    for (int i = 0; i < g->ndim; i++)
        if (g->shape[i] != 1) {
            olddims[oldnd] = g->shape[i];
            oldstrides[oldnd++] = g->strides[i];
        }
    bool f = order == 'F';
    int oi = 0, oj = 1, ni = 0, nj = 1;
    while (ni < newnd && oi < oldnd) {
        ptrdiff_t np = newdims[ni], op = olddims[oi];
        while (np != op) {
            if (np < op)
                np *= newdims[nj++]; /* products stay within the (equal) sizes */
            else
                op *= olddims[oj++];
        }
        for (int ok = oi; ok < oj - 1; ok++)
            if (f ? oldstrides[ok + 1] != olddims[ok] * oldstrides[ok]
                  : oldstrides[ok] != olddims[ok + 1] * oldstrides[ok + 1])
                return false;
        if (f) {
            newstrides[ni] = oldstrides[oi];
            for (int nk = ni + 1; nk < nj; nk++)
                newstrides[nk] = newstrides[nk - 1] * newdims[nk - 1];
        } else {
            newstrides[nj - 1] = oldstrides[oj - 1];
            for (int nk = nj - 1; nk > ni; nk--)
                newstrides[nk - 1] = newstrides[nk] * newdims[nk];
        }
        ni = nj++;
        oi = oj++;
    }
    ptrdiff_t last = ni >= 1 ? newstrides[ni - 1] : g->itemsize;
    if (f && ni >= 1)
        last *= newdims[ni - 1];
    for (int nk = ni; nk < newnd; nk++) /* trailing extent-1 axes */
        newstrides[nk] = last;
    return true;
}

ndv_status ndv_reshape(const ndv_view *view, int ndim, const ptrdiff_t *shape, char order,
                       ndv_view *out)
{
    ndv_status s = ndv__begin(view, out, "ndv_reshape");
    if (s != NDV_OK)
        return s;
    if (ndim > 0)
        NDV__CHECK_ARG(shape, "ndv_reshape");
    if (ndim < 0 || ndim > NDV_MAXDIM)
        return ndv__error(NDV_ERR_VALUE, "ndim must be within [0, %d]", NDV_MAXDIM);
    if (order != 'C' && order != 'F')
        return ndv__error(NDV_ERR_VALUE, "order must be 'C' or 'F'");
    ndv__geom g;
    ndv__geom_of(view, &g);
    if (g.suboffsets)
        return ndv__error(NDV_ERR_NOTIMPL, "cannot reshape a view with suboffsets");
    bool same = ndim == g.ndim; /* PyArray_Newshape: the same shape is the same view */
    for (int i = 0; same && i < ndim; i++)
        same = shape[i] == g.shape[i];
    if (same)
        return ndv__derive(view, &g, out);
    ndv__geom_buf r;
    r.g = g;
    r.g.ndim = ndim;
    r.g.shape = r.shape;
    r.g.strides = r.strides;
    if ((s = fix_shape(ndim, shape, view->len / view->itemsize, r.shape)) != NDV_OK)
        return s;
    if (numpy_contiguous(&g, order))
        ndv__contiguous_strides(ndim, r.shape, g.itemsize, order, r.strides);
    else if (!nocopy_strides(&g, ndim, r.shape, order, r.strides))
        return ndv__error(NDV_ERR_VALUE, "cannot reshape this view without copying");
    return ndv__derive(view, &r.g, out);
}

/* ------------------------------------------------------------------------ */
/* Sliding windows (numpy.lib.stride_tricks.sliding_window_view)             */
/* ------------------------------------------------------------------------ */

ndv_status ndv_sliding_window(const ndv_view *view, int dim, ptrdiff_t window, ndv_view *out)
{
    ndv_status s = ndv__begin(view, out, "ndv_sliding_window");
    if (s != NDV_OK)
        return s;
    ndv__geom_buf b;
    ndv__geom_copy(view, &b);
    if (dim < 0)
        dim += b.g.ndim;
    if (dim < 0 || dim >= b.g.ndim)
        return ndv__error(NDV_ERR_INDEX, "axis %d is out of bounds for array of dimension %d",
                          dim, b.g.ndim);
    if (window < 0)
        return ndv__error(NDV_ERR_VALUE, "`window_shape` cannot contain negative values");
    if (window > b.shape[dim])
        return ndv__error(NDV_ERR_VALUE, "window shape cannot be larger than input array shape");
    if (b.g.ndim == NDV_MAXDIM)
        return ndv__error(NDV_ERR_VALUE, "memoryview: number of dimensions must not exceed %d",
                          NDV_MAXDIM);
    if (b.g.suboffsets && b.suboffsets[dim] >= 0)
        return ndv__error(NDV_ERR_NOTIMPL,
                          "cannot slide a window along an indirect (suboffset) dimension");
    int n = b.g.ndim;
    b.shape[dim] -= window - 1;
    b.shape[n] = window;
    b.strides[n] = b.strides[dim];
    b.suboffsets[n] = -1;
    b.g.ndim = n + 1;
    b.g.readonly = true; /* windows overlap: NumPy makes them read-only */
    return ndv__derive(view, &b.g, out);
}
