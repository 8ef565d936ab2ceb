/*
 * values.c - reading items as values: decoding, tolist, the tolist visitor
 * and unpack_as. Writing them is pack.c, comparing them equal.c; what those
 * share with this file is in values.h.
 *
 * An item unpacks to its format's leaf values in order, as struct.unpack
 * returns them (a tuple when there are other than one). Decoding handles
 * every code in every byte order; the walks come from the planner (flat,
 * C order) or, for the nested visitor, from a descent over the dimensions.
 */
#include <stdlib.h>

#include "convert.h"
#include "plan.h"
#include "values.h"

/* ------------------------------------------------------------------------ */
/* Decoding                                                                  */
/* ------------------------------------------------------------------------ */

static uint64_t load_bits(const char *p, ptrdiff_t size, char order)
{
    switch (size) {
    case 1: { uint8_t v; ndv__load(&v, p, 1, order); return v; }
    case 2: { uint16_t v; ndv__load(&v, p, 2, order); return v; }
    case 4: { uint32_t v; ndv__load(&v, p, 4, order); return v; }
    default: { uint64_t v; ndv__load(&v, p, 8, order); return v; }
    }
}

static double load_float(const char *p, ptrdiff_t size, char order)
{
    if (size == 2)
        return ndv__half_to_double((uint16_t)load_bits(p, 2, order));
    if (size == 4) {
        float f;
        ndv__load(&f, p, 4, order);
        return f;
    }
    if (size == 8) {
        double d;
        ndv__load(&d, p, 8, order);
        return d;
    }
    long double g; /* 'g' is native only: no byte order to apply */
    memcpy(&g, p, sizeof g);
    return (double)g;
}

static void decode_value(const ndv__field *f, const char *p, ndv_value *v)
{
    switch ((ndv__kind)f->kind) {
    case NDV__K_SINT: {
        uint64_t u = load_bits(p, f->size, f->order);
        int shift = 64 - 8 * (int)f->size;
        v->kind = NDV_KIND_INT;
        v->v.i = shift ? (int64_t)(u << shift) >> shift : (int64_t)u;
        break;
    }
    case NDV__K_UINT:
        v->kind = NDV_KIND_UINT;
        v->v.u = load_bits(p, f->size, f->order);
        break;
    case NDV__K_BOOL:
        v->kind = NDV_KIND_BOOL;
        v->v.b = load_bits(p, f->size, f->order) != 0;
        break;
    case NDV__K_FLOAT:
        v->kind = NDV_KIND_FLOAT;
        v->v.f = load_float(p, f->size, f->order);
        break;
    case NDV__K_COMPLEX:
        v->kind = NDV_KIND_COMPLEX;
        v->v.c.re = load_float(p, f->size / 2, f->order);
        v->v.c.im = load_float(p + f->size / 2, f->size / 2, f->order);
        break;
    case NDV__K_CHAR:
    case NDV__K_STRING:
        v->kind = NDV_KIND_BYTES;
        v->v.bytes.ptr = p;
        v->v.bytes.len = f->size;
        break;
    case NDV__K_PASCAL: {
        /* struct's rule: a length byte, clamped to the field. */
        ptrdiff_t n = f->size ? (unsigned char)p[0] : 0;
        v->kind = NDV_KIND_BYTES;
        v->v.bytes.ptr = p + (f->size ? 1 : 0);
        v->v.bytes.len = n >= f->size ? (f->size ? f->size - 1 : 0) : n;
        break;
    }
    case NDV__K_POINTER:
        v->kind = NDV_KIND_POINTER;
        v->v.p = (uintptr_t)load_bits(p, f->size, f->order);
        break;
    case NDV__K_UCS4:
        v->kind = NDV_KIND_UCS4;
        v->v.ucs4 = (uint32_t)load_bits(p, 4, f->order);
        break;
    case NDV__K_PAD:
        break;
    }
}

/* All values of one item; returns how many were written (fmt->nvalues). */
ptrdiff_t ndv__decode_item(const ndv__format *fmt, const char *item, ndv_value *out)
{
    ptrdiff_t n = 0;
    for (ptrdiff_t i = 0; i < fmt->nfields; i++) {
        const ndv__field *f = &fmt->fields[i];
        if (f->kind == NDV__K_PAD)
            continue;
        for (ptrdiff_t j = 0; j < f->count; j++)
            decode_value(f, item + f->offset + j * f->size, &out[n++]);
    }
    return n;
}

ptrdiff_t ndv_item_values(const ndv_view *view)
{
    return ndv_is_released(view) ? 0 : view->internal_->fmt->nvalues;
}

ndv_status ndv_unpack_item(const ndv_view *view, const ptrdiff_t *indices, ndv_value *values,
                           ptrdiff_t cap)
{
    ndv_status s = ndv__check_values(view);
    if (s != NDV_OK)
        return s;
    const ndv__format *fmt = view->internal_->fmt;
    if (cap < fmt->nvalues)
        return ndv__error(NDV_ERR_VALUE, "an item of format '%s' has %td values, room for %td",
                          view->format, fmt->nvalues, cap);
    if (fmt->nvalues > 0)
        NDV__CHECK_ARG(values, "ndv_unpack_item");
    void *ptr;
    if ((s = ndv_get_pointer(view, indices, &ptr)) == NDV_OK)
        ndv__decode_item(fmt, ptr, values);
    return s;
}


/* The value kernels' source type of one numeric field; false for other kinds. */
static bool field_source(const ndv__field *f, ndv__src *src, bool *swap)
{
    static const ndv__src sint[9] = {[1] = NDV__SRC_I8, [2] = NDV__SRC_I16, [4] = NDV__SRC_I32,
                                     [8] = NDV__SRC_I64};
    static const ndv__src uint[9] = {[1] = NDV__SRC_U8, [2] = NDV__SRC_U16, [4] = NDV__SRC_U32,
                                     [8] = NDV__SRC_U64};
    static const ndv__src flt[9] = {[2] = NDV__SRC_F16, [4] = NDV__SRC_F32, [8] = NDV__SRC_F64};
    if (f->size != 1 && f->size != 2 && f->size != 4 && f->size != 8)
        return false;
    switch ((ndv__kind)f->kind) {
    case NDV__K_SINT: *src = sint[f->size]; break;
    case NDV__K_UINT: case NDV__K_POINTER: *src = uint[f->size]; break;
    case NDV__K_BOOL: *src = NDV__SRC_BOOL; break;
    case NDV__K_FLOAT:
        if (f->size == 1)
            return false;
        *src = flt[f->size];
        break;
    default:
        return false;
    }
    *swap = f->size > 1 && ndv__needs_swap(f->order);
    return true;
}

bool ndv__as_single_value(const ndv__format *fmt, ndv__single_value *sv)
{
    const ndv__field *f = NULL;
    for (ptrdiff_t i = 0; i < fmt->nfields; i++) {
        if (fmt->fields[i].kind == NDV__K_PAD)
            continue;
        if (f || fmt->fields[i].count != 1)
            return false;
        f = &fmt->fields[i];
    }
    if (!f || !field_source(f, &sv->src, &sv->swap))
        return false;
    sv->offset = f->offset;
    sv->size = f->size;
    return true;
}

/*
 * A value kernel with what it needs for strided sources: the vector loops
 * take contiguous values, so a strided run is gathered a chunk at a time
 * into a buffer with the copy kernels (vector gathers for every other item
 * and the like) and converted from there.
 */
enum { GATHER_CHUNK = 256 };

typedef struct lister {
    ndv__tolist_fn fn; /* NULL: no kernel */
    ndv__strided_fn gather;
    ptrdiff_t size;
} lister;

ndv__unpacker ndv__unpacker_of(const ndv__single_value *sv, ndv_dtype to)
{
    const ndv__kernels *k = ndv__kernels_active();
    return (ndv__unpacker){k->unpack[sv->swap][sv->src][to],
                           k->copy_strided[ndv__size_index(sv->size)], sv->size};
}

static lister lister_of(ndv__src src, bool swap, ptrdiff_t size)
{
    const ndv__kernels *k = ndv__kernels_active();
    return (lister){k->tolist[swap][src], k->copy_strided[ndv__size_index(size)], size};
}

/* Convert n values at src (stride ss); returns how many converted (all, or up to a range error). */
ptrdiff_t ndv__unpack_run(const ndv__unpacker *u, char *dst, const char *src, ptrdiff_t ss,
                          ptrdiff_t n)
{
    if (ss == u->size || ss == 0 || n < 32)
        return u->fn(dst, src, ss, n);
    char buf[GATHER_CHUNK * 8];
    for (ptrdiff_t i = 0; i < n; i += GATHER_CHUNK) {
        ptrdiff_t m = n - i < GATHER_CHUNK ? n - i : GATHER_CHUNK;
        u->gather(buf, u->size, src + i * ss, ss, m);
        ptrdiff_t done = u->fn(dst + 8 * i, buf, u->size, m);
        if (done != m)
            return i + done;
    }
    return n;
}

static void list_run(const lister *l, ndv_value *out, const char *src, ptrdiff_t ss, ptrdiff_t n)
{
    if (ss == l->size || ss == 0 || n < 32) {
        l->fn(out, src, ss, n);
        return;
    }
    char buf[GATHER_CHUNK * 8];
    for (ptrdiff_t i = 0; i < n; i += GATHER_CHUNK) {
        ptrdiff_t m = n - i < GATHER_CHUNK ? n - i : GATHER_CHUNK;
        l->gather(buf, l->size, src + i * ss, ss, m);
        l->fn(out + i, buf, l->size, m);
    }
}

/* A Python int's value as sign + magnitude; false for non-integers. */
bool ndv__value_as_integer(const ndv_value *v, bool *neg, uint64_t *mag)
{
    *neg = false;
    switch (v->kind) {
    case NDV_KIND_INT:
        *neg = v->v.i < 0;
        *mag = *neg ? 0 - (uint64_t)v->v.i : (uint64_t)v->v.i;
        return true;
    case NDV_KIND_UINT: *mag = v->v.u; return true;
    case NDV_KIND_POINTER: *mag = v->v.p; return true;
    case NDV_KIND_BOOL: *mag = v->v.b; return true;
    default: return false;
    }
}

/* product(shape) * values per item, checked. */
static ndv_status count_values(const ndv_view *view, ptrdiff_t *count)
{
    const ndv__state *st = view->internal_;
    ptrdiff_t n = st->fmt->nvalues;
    for (int i = 0; i < st->ndim; i++)
        if (!ndv__mul(n, st->shape[i], &n))
            return ndv__error(NDV_ERR_OVERFLOW, "the number of values does not fit ptrdiff_t");
    *count = n;
    return NDV_OK;
}

/* ------------------------------------------------------------------------ */
/* tolist                                                                    */
/* ------------------------------------------------------------------------ */

/*
 * Items of several numeric values (structs of numbers, sub-arrays) go
 * through the kernels a column at a time: value j of every item in a chunk,
 * then spread to every k-th output slot.
 */
enum { MAX_COLUMNS = 64, LIST_CHUNK = 256 };

typedef struct column {
    lister list;
    ptrdiff_t offset;
} column;

typedef struct flat_ctx {
    const ndv__format *fmt;
    ndv_value *out;
    lister list;           /* single numeric values (list.fn NULL otherwise) */
    ptrdiff_t offset;
    column *cols;          /* numeric multi-value items, or NULL */
    ndv_value *chunk;      /* LIST_CHUNK values, for cols */
} flat_ctx;

/* One column per value when every value is numeric; false otherwise. */
static bool as_columns(const ndv__format *fmt, column *cols)
{
    if (fmt->nvalues < 2 || fmt->nvalues > MAX_COLUMNS)
        return false;
    ptrdiff_t c = 0;
    for (ptrdiff_t i = 0; i < fmt->nfields; i++) {
        const ndv__field *f = &fmt->fields[i];
        ndv__src src;
        bool swap;
        if (f->kind == NDV__K_PAD)
            continue;
        if (!field_source(f, &src, &swap))
            return false;
        for (ptrdiff_t j = 0; j < f->count; j++)
            cols[c++] = (column){lister_of(src, swap, f->size), f->offset + j * f->size};
    }
    return true;
}

static void columns_block(flat_ctx *c, const char *items, ptrdiff_t ss, ptrdiff_t n)
{
    ptrdiff_t k = c->fmt->nvalues;
    for (ptrdiff_t i = 0; i < n; i += LIST_CHUNK) {
        ptrdiff_t m = n - i < LIST_CHUNK ? n - i : LIST_CHUNK;
        for (ptrdiff_t col = 0; col < k; col++) {
            list_run(&c->cols[col].list, c->chunk, items + i * ss + c->cols[col].offset, ss, m);
            for (ptrdiff_t r = 0; r < m; r++)
                c->out[(i + r) * k + col] = c->chunk[r];
        }
    }
    c->out += n * k;
}

static int flat_block(void *ctx, const ndv__block *b)
{
    flat_ctx *c = ctx;
    if (c->list.fn) {
        list_run(&c->list, c->out, b->ptr[0] + c->offset, b->s1[0], b->n1);
        c->out += b->n1;
        return 0;
    }
    if (c->cols) {
        columns_block(c, b->ptr[0], b->s1[0], b->n1);
        return 0;
    }
    for (ptrdiff_t i = 0; i < b->n1; i++)
        c->out += ndv__decode_item(c->fmt, b->ptr[0] + i * b->s1[0], c->out);
    return 0;
}

static void plan_single(const ndv_view *v, ndv__plan *p)
{
    const ndv__state *st = v->internal_;
    ndv__operand op = ndv__operand_of(v);
    ndv__plan_init(p, st->ndim, st->shape, v->itemsize, 1, &op, NDV__C_ORDER);
}

ndv_status ndv_tolist(const ndv_view *view, ndv_value *out, ptrdiff_t cap, ptrdiff_t *n)
{
    ndv_status s = ndv__check_values(view);
    if (s != NDV_OK)
        return s;
    NDV__CHECK_ARG(n, "ndv_tolist");
    ptrdiff_t count = 0;
    if ((s = count_values(view, &count)) != NDV_OK)
        return s;
    *n = count;
    if (out == NULL)
        return NDV_OK;
    if (cap < count)
        return ndv__error(NDV_ERR_VALUE, "room for %td values, the view has %td", cap, count);
    ndv__plan p;
    plan_single(view, &p);
    flat_ctx c = {view->internal_->fmt, out, {NULL, NULL, 0}, 0, NULL, NULL};
    ndv__single_value sv;
    column cols[MAX_COLUMNS];
    if (ndv__as_single_value(c.fmt, &sv)) {
        c.list = lister_of(sv.src, sv.swap, sv.size);
        c.offset = sv.offset;
    } else if (as_columns(c.fmt, cols) && (c.chunk = malloc(LIST_CHUNK * sizeof(ndv_value)))) {
        c.cols = cols; /* without the chunk buffer, item by item works as well */
    }
    ndv__plan_run(&p, 1, flat_block, &c);
    free(c.chunk);
    return NDV_OK;
}

typedef struct visit_ctx {
    const ndv__state *st;
    bool empty; /* a zero extent somewhere: no items, maybe no memory */
    const ndv_visitor *vis;
    void *user;
    ndv_value *scratch;
} visit_ctx;

#define CALL(fn, ...) ((fn) ? (fn)(__VA_ARGS__) : NDV_OK)

static ndv_status visit_item(const visit_ctx *c, const char *item)
{
    const ndv__format *fmt = c->st->fmt;
    ptrdiff_t n = ndv__decode_item(fmt, item, c->scratch);
    bool tuple = n != 1;
    ndv_status s = tuple ? CALL(c->vis->begin_tuple, c->user, n) : NDV_OK;
    for (ptrdiff_t i = 0; s == NDV_OK && i < n; i++)
        s = CALL(c->vis->value, c->user, &c->scratch[i]);
    if (s == NDV_OK && tuple)
        s = CALL(c->vis->end_tuple, c->user);
    return s;
}

static ndv_status visit_dim(const visit_ctx *c, int dim, char *p)
{
    const ndv__state *st = c->st;
    if (dim == st->ndim)
        return visit_item(c, p);
    ndv_status s = CALL(c->vis->begin_list, c->user, st->shape[dim]);
    for (ptrdiff_t i = 0; s == NDV_OK && i < st->shape[dim]; i++) /* empty: only the lists */
        s = visit_dim(c, dim + 1, c->empty ? p : ndv__step(st->strides, st->suboffsets, dim, p, i));
    return s == NDV_OK ? CALL(c->vis->end_list, c->user) : s;
}

ndv_status ndv_tolist_visit(const ndv_view *view, const ndv_visitor *visitor, void *ctx)
{
    ndv_status s = ndv__check_values(view);
    if (s != NDV_OK)
        return s;
    NDV__CHECK_ARG(visitor, "ndv_tolist_visit");
    const ndv__state *st = view->internal_;
    visit_ctx c = {st, view->len == 0, visitor, ctx,
                   malloc(sizeof(ndv_value) * (size_t)(st->fmt->nvalues + 1))};
    if (!c.scratch)
        return ndv__error(NDV_ERR_NOMEM, "out of memory for an item's values");
    s = visit_dim(&c, 0, view->buf);
    free(c.scratch);
    return s;
}

/* ------------------------------------------------------------------------ */
/* unpack_as                                                                 */
/* ------------------------------------------------------------------------ */

static bool kind_converts(ndv__kind k, ndv_dtype to)
{
    switch (k) {
    case NDV__K_SINT: case NDV__K_UINT: case NDV__K_BOOL: case NDV__K_POINTER:
    case NDV__K_PAD:
        return true;
    case NDV__K_FLOAT:
        return to == NDV_F64;
    default:
        return false;
    }
}

static bool convert_value(const ndv_value *v, ndv_dtype to, char *dst)
{
    uint64_t u = 0;
    bool neg = false;
    switch (v->kind) {
    case NDV_KIND_INT: neg = v->v.i < 0; u = (uint64_t)v->v.i; break;
    case NDV_KIND_UINT: u = v->v.u; break;
    case NDV_KIND_POINTER: u = v->v.p; break;
    case NDV_KIND_BOOL: u = v->v.b; break;
    case NDV_KIND_FLOAT: memcpy(dst, &v->v.f, 8); return true; /* only to NDV_F64 */
    default: return false;
    }
    if (to == NDV_F64) {
        double d = neg ? (double)(int64_t)u : (double)u;
        memcpy(dst, &d, 8);
        return true;
    }
    if ((to == NDV_U64 && neg) || (to == NDV_I64 && !neg && u > INT64_MAX))
        return false;
    memcpy(dst, &u, 8);
    return true;
}

typedef struct unpack_ctx {
    const ndv__format *fmt;
    ndv_dtype to;
    char *dst;
    ndv_value *scratch;
    ndv__unpacker unpack;       /* single numeric values (unpack.fn NULL otherwise) */
    ptrdiff_t offset;
} unpack_ctx;

static int unpack_block(void *ctx, const ndv__block *b)
{
    unpack_ctx *c = ctx;
    if (c->unpack.fn) {
        ptrdiff_t done = ndv__unpack_run(&c->unpack, c->dst, b->ptr[0] + c->offset, b->s1[0], b->n1);
        c->dst += 8 * done;
        return done != b->n1;
    }
    for (ptrdiff_t i = 0; i < b->n1; i++) {
        ptrdiff_t n = ndv__decode_item(c->fmt, b->ptr[0] + i * b->s1[0], c->scratch);
        for (ptrdiff_t j = 0; j < n; j++, c->dst += 8)
            if (!convert_value(&c->scratch[j], c->to, c->dst))
                return 1;
    }
    return 0;
}

ndv_status ndv_unpack_as(const ndv_view *view, ndv_dtype to, void *dst, ptrdiff_t n)
{
    ndv_status s = ndv__check_values(view);
    if (s != NDV_OK)
        return s;
    if (to != NDV_I64 && to != NDV_U64 && to != NDV_F64)
        return ndv__error(NDV_ERR_VALUE, "unknown target type %d", (int)to);
    const ndv__format *fmt = view->internal_->fmt;
    for (ptrdiff_t i = 0; i < fmt->nfields; i++)
        if (!kind_converts((ndv__kind)fmt->fields[i].kind, to))
            return ndv__error(NDV_ERR_TYPE, "cannot unpack format '%s' as %s",
                              view->internal_->format,
                              to == NDV_I64 ? "int64" : to == NDV_U64 ? "uint64" : "double");
    ptrdiff_t count = 0;
    if ((s = count_values(view, &count)) != NDV_OK)
        return s;
    if (n < count)
        return ndv__error(NDV_ERR_VALUE, "room for %td values, the view has %td", n, count);
    if (count > 0)
        NDV__CHECK_ARG(dst, "ndv_unpack_as");
    unpack_ctx c = {fmt, to, dst, NULL, {NULL, NULL, 0}, 0};
    ndv__single_value sv;
    if (ndv__as_single_value(fmt, &sv)) {
        c.unpack = ndv__unpacker_of(&sv, to);
        c.offset = sv.offset;
    }
    if (!c.unpack.fn && !(c.scratch = malloc(sizeof(ndv_value) * (size_t)(fmt->nvalues + 1))))
        return ndv__error(NDV_ERR_NOMEM, "out of memory for an item's values");
    ndv__plan p;
    plan_single(view, &p);
    int r = ndv__plan_run(&p, 1, unpack_block, &c);
    free(c.scratch);
    if (r)
        return ndv__error(NDV_ERR_VALUE, "a value of format '%s' is out of range for %s",
                          view->internal_->format, to == NDV_I64 ? "int64" : "uint64");
    return NDV_OK;
}
