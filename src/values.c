/*
 * values.c - items as values: tolist, the tolist visitor, unpack_as,
 * pack_item and equality.
 *
 * An item unpacks to its format's leaf values in order, as struct.unpack
 * returns them (a tuple when there are other than one). Decoding handles
 * every code in every byte order; the walks come from the planner (flat,
 * C order) or, for the nested visitor, from a descent over the dimensions.
 */
#include <stdlib.h>

#include "convert.h"
#include "kernels.h"
#include "plan.h"

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
static ptrdiff_t decode_item(const ndv__format *fmt, const char *item, ndv_value *out)
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

/*
 * Formats whose item is one numeric value (pads around it allowed) go to the
 * value kernels: which source type, where in the item, which byte order.
 */
typedef struct single_value {
    ndv__src src;
    ptrdiff_t offset;
    ptrdiff_t size;
    bool swap;
} single_value;

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

static bool as_single_value(const ndv__format *fmt, single_value *sv)
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

typedef struct unpacker {
    ndv__unpack_fn fn; /* NULL: no kernel */
    ndv__strided_fn gather;
    ptrdiff_t size;
} unpacker;

typedef struct lister {
    ndv__tolist_fn fn; /* NULL: no kernel */
    ndv__strided_fn gather;
    ptrdiff_t size;
} lister;

static unpacker unpacker_of(const single_value *sv, ndv_dtype to)
{
    const ndv__kernels *k = ndv__kernels_active();
    return (unpacker){k->unpack[sv->swap][sv->src][to], k->copy_strided[ndv__size_index(sv->size)],
                      sv->size};
}

static lister lister_of(ndv__src src, bool swap, ptrdiff_t size)
{
    const ndv__kernels *k = ndv__kernels_active();
    return (lister){k->tolist[swap][src], k->copy_strided[ndv__size_index(size)], size};
}

/* Convert n values at src (stride ss); returns how many converted (all, or up to a range error). */
static ptrdiff_t unpack_run(const unpacker *u, char *dst, const char *src, ptrdiff_t ss,
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
        c->out += decode_item(c->fmt, b->ptr[0] + i * b->s1[0], c->out);
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
    ndv_status s = ndv__check_live(view);
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
    single_value sv;
    column cols[MAX_COLUMNS];
    if (as_single_value(c.fmt, &sv)) {
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
    ptrdiff_t n = decode_item(fmt, item, c->scratch);
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
    ndv_status s = ndv__check_live(view);
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
    unpacker unpack;       /* single numeric values (unpack.fn NULL otherwise) */
    ptrdiff_t offset;
} unpack_ctx;

static int unpack_block(void *ctx, const ndv__block *b)
{
    unpack_ctx *c = ctx;
    if (c->unpack.fn) {
        ptrdiff_t done = unpack_run(&c->unpack, c->dst, b->ptr[0] + c->offset, b->s1[0], b->n1);
        c->dst += 8 * done;
        return done != b->n1;
    }
    for (ptrdiff_t i = 0; i < b->n1; i++) {
        ptrdiff_t n = decode_item(c->fmt, b->ptr[0] + i * b->s1[0], c->scratch);
        for (ptrdiff_t j = 0; j < n; j++, c->dst += 8)
            if (!convert_value(&c->scratch[j], c->to, c->dst))
                return 1;
    }
    return 0;
}

ndv_status ndv_unpack_as(const ndv_view *view, ndv_dtype to, void *dst, ptrdiff_t n)
{
    ndv_status s = ndv__check_live(view);
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
    single_value sv;
    if (as_single_value(fmt, &sv)) {
        c.unpack = unpacker_of(&sv, to);
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

/* ------------------------------------------------------------------------ */
/* pack_item                                                                 */
/* ------------------------------------------------------------------------ */

static const char *code_name(const ndv__field *f)
{
    static const char *const complex_names[] = {"Zf", "Zd", "Zg"};
    static _Thread_local char one[2];
    switch (f->code) {
    case 'F': return complex_names[0];
    case 'D': return complex_names[1];
    case 'G': return complex_names[2];
    default: one[0] = f->code; one[1] = 0; return one;
    }
}

static ndv_status bad_type(const ndv__field *f)
{
    return ndv__error(NDV_ERR_TYPE, "memoryview: invalid type for format '%s'", code_name(f));
}

static ndv_status bad_value(const ndv__field *f)
{
    return ndv__error(NDV_ERR_VALUE, "memoryview: invalid value for format '%s'", code_name(f));
}

/* A Python int's value as sign + magnitude; false for non-integers. */
static bool as_integer(const ndv_value *v, bool *neg, uint64_t *mag)
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

/* PyFloat_AsDouble: floats and ints are numbers. */
static bool as_double(const ndv_value *v, double *d)
{
    bool neg;
    uint64_t mag;
    if (v->kind == NDV_KIND_FLOAT) {
        *d = v->v.f;
        return true;
    }
    if (!as_integer(v, &neg, &mag))
        return false;
    *d = neg ? -(double)mag : (double)mag;
    return true;
}

static bool truth(const ndv_value *v)
{
    switch (v->kind) {
    case NDV_KIND_INT: return v->v.i != 0;
    case NDV_KIND_UINT: return v->v.u != 0;
    case NDV_KIND_FLOAT: return v->v.f != 0; /* NaN is true */
    case NDV_KIND_BOOL: return v->v.b;
    case NDV_KIND_BYTES: return v->v.bytes.len > 0;
    case NDV_KIND_COMPLEX: return v->v.c.re != 0 || v->v.c.im != 0;
    case NDV_KIND_POINTER: return v->v.p != 0;
    case NDV_KIND_UCS4: return true; /* a one-character str */
    }
    return false;
}

static ndv_status pack_int(const ndv__field *f, const ndv_value *v, char *p)
{
    bool neg;
    uint64_t mag;
    if (!as_integer(v, &neg, &mag))
        return bad_type(f);
    int bits = 8 * (int)f->size;
    uint64_t u;
    if (f->kind == NDV__K_POINTER) { /* PyLong_AsVoidPtr: negatives wrap */
        u = neg ? 0 - mag : mag;
    } else if (f->kind == NDV__K_UINT) {
        if (neg || (bits < 64 && mag >> bits))
            return bad_value(f);
        u = mag;
    } else {
        uint64_t limit = (uint64_t)1 << (bits - 1); /* |min|; max is limit - 1 */
        if (neg ? mag > limit : mag >= limit)
            return bad_value(f);
        u = neg ? 0 - mag : mag;
    }
    switch (f->size) {
    case 1: { uint8_t x = (uint8_t)u; ndv__store(p, &x, 1, f->order); break; }
    case 2: { uint16_t x = (uint16_t)u; ndv__store(p, &x, 2, f->order); break; }
    case 4: { uint32_t x = (uint32_t)u; ndv__store(p, &x, 4, f->order); break; }
    default: ndv__store(p, &u, 8, f->order); break;
    }
    return NDV_OK;
}

/* One float component; native 'f' keeps an overflow to inf (a C cast), standard sizes refuse. */
static ndv_status pack_float(const ndv__field *f, ptrdiff_t size, double d, char *p)
{
    if (size == 2) {
        uint16_t h;
        if (!ndv__double_to_half(d, &h))
            return bad_value(f);
        ndv__store(p, &h, 2, f->order);
    } else if (size == 4) {
        bool overflowed;
        float x = ndv__double_to_float(d, &overflowed);
        if (overflowed && !f->native)
            return bad_value(f);
        ndv__store(p, &x, 4, f->order);
    } else if (size == 8) {
        ndv__store(p, &d, 8, f->order);
    } else {
        long double g = d;
        memcpy(p, &g, sizeof g);
    }
    return NDV_OK;
}

static ndv_status pack_bytes(const ndv__field *f, const ndv_value *v, char *p)
{
    if (v->kind != NDV_KIND_BYTES)
        return bad_type(f);
    ptrdiff_t len = v->v.bytes.len, size = f->size;
    if (f->kind == NDV__K_CHAR) {
        if (len != 1)
            return bad_value(f);
        p[0] = v->v.bytes.ptr[0];
        return NDV_OK;
    }
    if (f->kind == NDV__K_PASCAL) {
        if (size == 0)
            return NDV_OK;
        ptrdiff_t n = len < size - 1 ? len : size - 1;
        n = n > 255 ? 255 : n;
        memset(p, 0, (size_t)size);
        p[0] = (char)n;
        memcpy(p + 1, v->v.bytes.ptr, (size_t)n);
        return NDV_OK;
    }
    memset(p, 0, (size_t)size);
    memcpy(p, v->v.bytes.ptr, (size_t)(len < size ? len : size));
    return NDV_OK;
}

static ndv_status pack_value(const ndv__field *f, const ndv_value *v, char *p)
{
    double re, im = 0;
    switch ((ndv__kind)f->kind) {
    case NDV__K_SINT: case NDV__K_UINT: case NDV__K_POINTER:
        return pack_int(f, v, p);
    case NDV__K_BOOL:
        p[0] = truth(v);
        return NDV_OK;
    case NDV__K_FLOAT:
        if (!as_double(v, &re))
            return bad_type(f);
        return pack_float(f, f->size, re, p);
    case NDV__K_COMPLEX: {
        if (v->kind == NDV_KIND_COMPLEX) {
            re = v->v.c.re;
            im = v->v.c.im;
        } else if (!as_double(v, &re)) {
            return bad_type(f);
        }
        ndv_status s = pack_float(f, f->size / 2, re, p);
        return s != NDV_OK ? s : pack_float(f, f->size / 2, im, p + f->size / 2);
    }
    case NDV__K_CHAR: case NDV__K_STRING: case NDV__K_PASCAL:
        return pack_bytes(f, v, p);
    case NDV__K_UCS4: {
        if (v->kind != NDV_KIND_UCS4)
            return bad_type(f);
        if (v->v.ucs4 > 0x10ffff)
            return bad_value(f);
        ndv__store(p, &v->v.ucs4, 4, f->order);
        return NDV_OK;
    }
    case NDV__K_PAD:
        break;
    }
    return NDV_OK;
}

/* Pack every value into a copy of the item (pads and gaps keep their bytes). */
static ndv_status pack_into(const ndv__state *st, const ndv_value *vals, char *item)
{
    const ndv__format *fmt = st->fmt;
    ptrdiff_t k = 0;
    for (ptrdiff_t i = 0; i < fmt->nfields; i++) {
        const ndv__field *f = &fmt->fields[i];
        if (f->kind == NDV__K_PAD)
            continue;
        for (ptrdiff_t j = 0; j < f->count; j++) {
            ndv_status s = pack_value(f, &vals[k++], item + f->offset + j * f->size);
            if (s != NDV_OK)
                return s;
        }
    }
    return NDV_OK;
}

ndv_status ndv_pack_item(ndv_view *view, const ptrdiff_t *indices, const ndv_value *values, int n)
{
    ndv_status s = ndv__check_live(view);
    if (s != NDV_OK)
        return s;
    if (view->readonly)
        return ndv__error(NDV_ERR_READONLY, "cannot modify read-only memory");
    const ndv__state *st = view->internal_;
    if (n != st->fmt->nvalues)
        return ndv__error(NDV_ERR_TYPE, "format '%s' packs %td values, got %d", st->format,
                          st->fmt->nvalues, n);
    if (n > 0)
        NDV__CHECK_ARG(values, "ndv_pack_item");
    void *ptr;
    if ((s = ndv_get_pointer(view, indices, &ptr)) != NDV_OK)
        return s;
    char local[256], *item = view->itemsize <= 256 ? local : malloc((size_t)view->itemsize);
    if (!item)
        return ndv__error(NDV_ERR_NOMEM, "out of memory for a %td-byte item", view->itemsize);
    memcpy(item, ptr, (size_t)view->itemsize);
    if ((s = pack_into(st, values, item)) == NDV_OK)
        memcpy(ptr, item, (size_t)view->itemsize);
    if (item != local)
        free(item);
    return s;
}

/* ------------------------------------------------------------------------ */
/* Equality                                                                  */
/* ------------------------------------------------------------------------ */

/* Python's int == float: exact, so 2**53 + 1 != 2.0**53. */
static bool int_eq_float(bool neg, uint64_t mag, double f)
{
    if (!isfinite(f) || f != floor(f) || (f < 0) != (neg && mag != 0))
        return false;
    double a = fabs(f);
    if (a >= 0x1p64)
        return false;
    return (uint64_t)a == mag;
}

/* Real-number equality between two numeric, non-complex values. */
static bool real_eq(const ndv_value *a, const ndv_value *b)
{
    bool an, bn;
    uint64_t am, bm;
    bool ai = as_integer(a, &an, &am), bi = as_integer(b, &bn, &bm);
    if (ai && bi)
        return an == bn && am == bm;
    if (ai)
        return int_eq_float(an, am, b->v.f);
    if (bi)
        return int_eq_float(bn, bm, a->v.f);
    return a->v.f == b->v.f;
}

static bool is_number(const ndv_value *v)
{
    return v->kind != NDV_KIND_BYTES && v->kind != NDV_KIND_UCS4;
}

static bool value_eq(const ndv_value *a, const ndv_value *b)
{
    if (a->kind == NDV_KIND_BYTES || b->kind == NDV_KIND_BYTES)
        return a->kind == b->kind && a->v.bytes.len == b->v.bytes.len &&
               memcmp(a->v.bytes.ptr, b->v.bytes.ptr, (size_t)a->v.bytes.len) == 0;
    if (a->kind == NDV_KIND_UCS4 || b->kind == NDV_KIND_UCS4)
        return a->kind == b->kind && a->v.ucs4 == b->v.ucs4;
    if (!is_number(a) || !is_number(b))
        return false;
    if (a->kind == NDV_KIND_COMPLEX || b->kind == NDV_KIND_COMPLEX) {
        const ndv_value *c = a->kind == NDV_KIND_COMPLEX ? a : b, *o = c == a ? b : a;
        if (o->kind == NDV_KIND_COMPLEX)
            return c->v.c.re == o->v.c.re && c->v.c.im == o->v.c.im;
        ndv_value re = {NDV_KIND_FLOAT, {.f = c->v.c.re}};
        return c->v.c.im == 0 && real_eq(&re, o);
    }
    return real_eq(a, b);
}

/* Items compare bytewise when every byte is an integer's, a character's or a pointer's. */
static bool bitwise_comparable(const ndv__format *fmt)
{
    ptrdiff_t covered = 0;
    for (ptrdiff_t i = 0; i < fmt->nfields; i++) {
        const ndv__field *f = &fmt->fields[i];
        switch ((ndv__kind)f->kind) {
        case NDV__K_SINT: case NDV__K_UINT: case NDV__K_CHAR: case NDV__K_STRING:
        case NDV__K_POINTER: case NDV__K_UCS4:
            covered += f->size * f->count;
            break;
        default:
            return false;
        }
    }
    return covered == fmt->itemsize;
}

enum { EQ_CHUNK = 256 };

typedef struct eq_ctx {
    const ndv__format *fa, *fb;
    ptrdiff_t itemsize; /* a's (bytewise comparison: b's is the same) */
    ndv_value *va, *vb;
    ndv__equal_fn kernel; /* same native float format on both sides, or NULL */
    ptrdiff_t offset;
    /* Different single-value formats: both sides converted to one type, then compared. */
    unpacker ua, ub;
    ptrdiff_t offa, offb;
    ndv__equal_fn cmp_f64; /* converted to double; NULL: to int64, compared bytewise */
    int64_t *bufa, *bufb;  /* EQ_CHUNK converted values of each side */
} eq_ctx;

static bool items_equal(const eq_ctx *c, const char *a, ptrdiff_t sa, const char *b,
                        ptrdiff_t sb, ptrdiff_t n)
{
    for (ptrdiff_t i = 0; i < n; i++) {
        ptrdiff_t k = decode_item(c->fa, a + i * sa, c->va);
        decode_item(c->fb, b + i * sb, c->vb);
        for (ptrdiff_t j = 0; j < k; j++)
            if (!value_eq(&c->va[j], &c->vb[j]))
                return false;
    }
    return true;
}

static int value_block(void *ctx, const ndv__block *b)
{
    const eq_ctx *c = ctx;
    return !items_equal(c, b->ptr[0], b->s1[0], b->ptr[1], b->s1[1], b->n1);
}

/*
 * Mixed formats, a chunk at a time through the unpack kernels. A chunk
 * holding a value the common type cannot hold (a uint64 above INT64_MAX)
 * is compared value by value instead.
 */
static int converted_block(void *ctx, const ndv__block *b)
{
    eq_ctx *c = ctx;
    for (ptrdiff_t i = 0; i < b->n1; i += EQ_CHUNK) {
        ptrdiff_t m = b->n1 - i < EQ_CHUNK ? b->n1 - i : EQ_CHUNK;
        const char *pa = b->ptr[0] + i * b->s1[0], *pb = b->ptr[1] + i * b->s1[1];
        bool eq;
        if (unpack_run(&c->ua, (char *)c->bufa, pa + c->offa, b->s1[0], m) != m ||
            unpack_run(&c->ub, (char *)c->bufb, pb + c->offb, b->s1[1], m) != m)
            eq = items_equal(c, pa, b->s1[0], pb, b->s1[1], m);
        else if (c->cmp_f64)
            eq = c->cmp_f64((const char *)c->bufa, 8, (const char *)c->bufb, 8, m);
        else
            eq = memcmp(c->bufa, c->bufb, (size_t)m * 8) == 0;
        if (!eq)
            return 1;
    }
    return 0;
}

/* Integer sources up to 32 bits convert to double exactly. */
static bool exact_in_double(ndv__src s)
{
    return s != NDV__SRC_I64 && s != NDV__SRC_U64;
}

static bool is_float_src(ndv__src s)
{
    return s == NDV__SRC_F16 || s == NDV__SRC_F32 || s == NDV__SRC_F64;
}

/* Set up converted_block for two single-value formats, if a common type compares them exactly. */
static bool plan_converted(eq_ctx *c, const ndv__format *fa, const ndv__format *fb)
{
    single_value a, b;
    if (!as_single_value(fa, &a) || !as_single_value(fb, &b))
        return false;
    bool fla = is_float_src(a.src), flb = is_float_src(b.src);
    ndv_dtype to;
    if (!fla && !flb)
        to = NDV_I64;
    else if ((fla || exact_in_double(a.src)) && (flb || exact_in_double(b.src)))
        to = NDV_F64;
    else
        return false; /* a 64-bit integer against a float: value by value, exactly */
    c->ua = unpacker_of(&a, to);
    c->ub = unpacker_of(&b, to);
    c->offa = a.offset;
    c->offb = b.offset;
    c->cmp_f64 = to == NDV_F64 ? ndv__kernels_active()->equal_float[1] : NULL;
    return c->ua.fn && c->ub.fn;
}

static int float_block(void *ctx, const ndv__block *b)
{
    const eq_ctx *c = ctx;
    return !c->kernel(b->ptr[0] + c->offset, b->s1[0], b->ptr[1] + c->offset, b->s1[1], b->n1);
}

static int memcmp_block(void *ctx, const ndv__block *b)
{
    const eq_ctx *c = ctx;
    if (b->s1[0] == c->itemsize && b->s1[1] == c->itemsize)
        return memcmp(b->ptr[0], b->ptr[1], (size_t)(b->n1 * c->itemsize)) != 0;
    for (ptrdiff_t i = 0; i < b->n1; i++)
        if (memcmp(b->ptr[0] + i * b->s1[0], b->ptr[1] + i * b->s1[1], (size_t)c->itemsize))
            return 1;
    return 0;
}

ndv_status ndv_equal(const ndv_view *a, const ndv_view *b, bool *equal)
{
    NDV__CHECK_ARG(equal, "ndv_equal");
    if (ndv_is_released(a) || ndv_is_released(b)) {
        *equal = a == b; /* CPython: a released view equals only itself */
        return NDV_OK;
    }
    const ndv__state *x = a->internal_, *y = b->internal_;
    *equal = false;
    /* A 1-tuple is unwrapped, other tuples compare with tuples of their length. */
    if (!ndv__equiv_shape(a, b) || x->fmt->nvalues != y->fmt->nvalues)
        return NDV_OK;
    const char *fa = x->format[0] == '@' ? x->format + 1 : x->format;
    const char *fb = y->format[0] == '@' ? y->format + 1 : y->format;
    bool same = strcmp(fa, fb) == 0 && a->itemsize == b->itemsize;
    bool bitwise = same && bitwise_comparable(x->fmt);
    eq_ctx c = {.fa = x->fmt, .fb = y->fmt, .itemsize = a->itemsize};
    single_value sv;
    ndv__block_fn fn = value_block;
    if (bitwise) {
        fn = memcmp_block;
    } else if (same && as_single_value(x->fmt, &sv) && !sv.swap &&
               (sv.src == NDV__SRC_F32 || sv.src == NDV__SRC_F64)) {
        c.kernel = ndv__kernels_active()->equal_float[sv.src == NDV__SRC_F64];
        c.offset = sv.offset;
        fn = float_block;
    } else if (plan_converted(&c, x->fmt, y->fmt)) {
        fn = converted_block;
    }
    /* Item by item (the converted path's fallback too) needs room for one item's values. */
    bool decodes = fn == value_block || fn == converted_block;
    if (decodes) {
        size_t n = (size_t)x->fmt->nvalues + 1;
        c.va = malloc(n * sizeof(ndv_value));
        c.vb = malloc(n * sizeof(ndv_value));
    }
    if (fn == converted_block && (c.bufa = malloc(2 * EQ_CHUNK * sizeof(int64_t))))
        c.bufb = c.bufa + EQ_CHUNK;
    ndv_status s = NDV_OK;
    if ((decodes && (!c.va || !c.vb)) || (fn == converted_block && !c.bufa)) {
        s = ndv__error(NDV_ERR_NOMEM, "out of memory comparing views");
    } else {
        ndv__operand ops[2] = {ndv__operand_of(a), ndv__operand_of(b)};
        ndv__plan p;
        ndv__plan_init(&p, x->ndim, x->shape, a->itemsize, 2, ops, NDV__ANY_ORDER);
        *equal = ndv__plan_run(&p, 1, fn, &c) == 0;
    }
    free(c.va);
    free(c.vb);
    free(c.bufa);
    return s;
}
