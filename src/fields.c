/*
 * fields.c - NumPy's a['name'] on structured formats (PyArray_GetField's
 * job): a view of one field, its format that field's own, a sub-array
 * field adding its dimensions at the end; "a.b" reaches nested T{} fields.
 */
#include "shape.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The member of fmt named exactly name[0 .. len). */
static const ndv__member *find_member(const char *fmt, const ndv__member *m, int n,
                                      const char *name, size_t len)
{
    for (int i = 0; i < n; i++)
        if (m[i].name_at >= 0 && (size_t)m[i].name_len == len &&
            memcmp(fmt + m[i].name_at, name, len) == 0)
            return &m[i];
    return NULL;
}

/*
 * The field's own format ("<f", "@T{...}", "^10s") into text, and its
 * sub-array extents (then the repeat count, if any) into dims.
 */
static ndv_status member_layout(const char *fmt, const ndv__member *m, char *text, size_t cap,
                                ptrdiff_t *dims, int *ndims)
{
    const char *code = fmt + m->text_at;
    bool stringlike = m->text_len == 1 && (code[0] == 's' || code[0] == 'p');
    int w = stringlike ? snprintf(text, cap, "%c%td%.*s", m->mode, m->count, (int)m->text_len, code)
                       : snprintf(text, cap, "%c%.*s", m->mode, (int)m->text_len, code);
    if (w < 0 || (size_t)w >= cap)
        return ndv__error(NDV_ERR_NOMEM, "a field's format does not fit %zu bytes", cap);
    *ndims = 0;
    for (const char *p = m->dims_at >= 0 ? fmt + m->dims_at : NULL; p && *p != ')';) {
        p++; /* '(' or ',' */
        char *end;
        dims[(*ndims)++] = strtol(p, &end, 10); /* parsed once already: digits, bounded */
        p = end + strspn(end, " \t\n\r\v\f");
        if (*ndims == NDV_MAXDIM)
            break;
    }
    if (!stringlike && m->count != 1 && *ndims < NDV_MAXDIM)
        dims[(*ndims)++] = m->count;
    return NDV_OK;
}

/* One level of field access: the member named name[0 .. len) of view. */
static ndv_status get_member(const ndv_view *view, const char *name, size_t len, ndv_view *out)
{
    ndv__member *members;
    int n;
    const char *fmt = view->internal_->format;
    ndv_status s = ndv__format_members(fmt, &members, &n);
    if (s != NDV_OK)
        return s;
    const ndv__member *m = find_member(fmt, members, n, name, len);
    char text[4096];
    ptrdiff_t dims[NDV_MAXDIM], itemsize;
    int nd = 0;
    if (!m)
        s = ndv__error(NDV_ERR_VALUE, "no field of name %.*s", (int)len, name);
    else if ((s = member_layout(fmt, m, text, sizeof text, dims, &nd)) == NDV_OK)
        s = ndv_calcsize(text, &itemsize);
    ptrdiff_t offset = m ? m->offset : 0;
    free(members);
    if (s != NDV_OK)
        return s;
    ndv__geom_buf b;
    ndv__geom_copy(view, &b);
    if (b.g.ndim + nd > NDV_MAXDIM)
        return ndv__error(NDV_ERR_VALUE, "memoryview: number of dimensions must not exceed %d",
                          NDV_MAXDIM);
    ptrdiff_t sd = itemsize; /* the sub-array's own C-order strides */
    for (int k = nd - 1; k >= 0; k--) {
        int d = b.g.ndim + k;
        b.shape[d] = dims[k];
        b.strides[d] = sd;
        b.suboffsets[d] = -1;
        sd *= dims[k]; /* within the field, so within the item */
    }
    if (view->len > 0 && !ndv__shift_dim(&b, b.g.ndim, offset))
        return ndv__error(NDV_ERR_NOTIMPL, "this field needs a negative suboffset");
    b.g.ndim += nd;
    b.g.itemsize = itemsize;
    b.g.format = text;
    b.g.fmt = NULL;
    return ndv__derive(view, &b.g, out);
}

ndv_status ndv_get_field(const ndv_view *view, const char *name, ndv_view *out)
{
    ndv_status s = ndv__begin(view, out, "ndv_get_field");
    if (s != NDV_OK)
        return s;
    NDV__CHECK_ARG(name, "ndv_get_field");
    const char *dot = strchr(name, '.');
    if (!dot)
        return get_member(view, name, strlen(name), out);
    ndv_view outer = NDV_VIEW_INIT, inner = NDV_VIEW_INIT; /* "a.b": a, then its b */
    if ((s = get_member(view, name, (size_t)(dot - name), &outer)) == NDV_OK)
        s = ndv_get_field(&outer, dot + 1, &inner);
    ndv_release(&outer);
    if (s == NDV_OK && out == view && (s = ndv_release(out)) != NDV_OK)
        ndv_release(&inner); /* the source has exports: it stays as it is */
    if (s == NDV_OK)
        *out = inner;
    return s;
}
