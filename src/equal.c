/*
 * equal.c - memoryview ==: value-based across formats, chosen once per call
 * among four strategies (bytewise, a float kernel, both sides converted by
 * the unpack kernels, value by value).
 */
#include <math.h>
#include <stdlib.h>

#include "plan.h"
#include "values.h"

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
    bool ai = ndv__value_as_integer(a, &an, &am), bi = ndv__value_as_integer(b, &bn, &bm);
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
    ndv__unpacker ua, ub;
    ptrdiff_t offa, offb;
    ndv__equal_fn cmp_f64; /* converted to double; NULL: to int64, compared bytewise */
    int64_t *bufa, *bufb;  /* EQ_CHUNK converted values of each side */
} eq_ctx;

static bool items_equal(const eq_ctx *c, const char *a, ptrdiff_t sa, const char *b,
                        ptrdiff_t sb, ptrdiff_t n)
{
    for (ptrdiff_t i = 0; i < n; i++) {
        ptrdiff_t k = ndv__decode_item(c->fa, a + i * sa, c->va);
        ndv__decode_item(c->fb, b + i * sb, c->vb);
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
        if (ndv__unpack_run(&c->ua, (char *)c->bufa, pa + c->offa, b->s1[0], m) != m ||
            ndv__unpack_run(&c->ub, (char *)c->bufb, pb + c->offb, b->s1[1], m) != m)
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
    ndv__single_value a, b;
    if (!ndv__as_single_value(fa, &a) || !ndv__as_single_value(fb, &b))
        return false;
    bool fla = is_float_src(a.src), flb = is_float_src(b.src);
    ndv_dtype to;
    if (!fla && !flb)
        to = NDV_I64;
    else if ((fla || exact_in_double(a.src)) && (flb || exact_in_double(b.src)))
        to = NDV_F64;
    else
        return false; /* a 64-bit integer against a float: value by value, exactly */
    c->ua = ndv__unpacker_of(&a, to);
    c->ub = ndv__unpacker_of(&b, to);
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
    /* CPython: a format struct cannot unpack compares unequal, even to itself. */
    if (!ndv__equiv_shape(a, b) || x->fmt->nvalues != y->fmt->nvalues || x->fmt->opaque ||
        y->fmt->opaque)
        return NDV_OK;
    const char *fa = x->format[0] == '@' ? x->format + 1 : x->format;
    const char *fb = y->format[0] == '@' ? y->format + 1 : y->format;
    bool same = strcmp(fa, fb) == 0 && a->itemsize == b->itemsize;
    bool bitwise = same && bitwise_comparable(x->fmt);
    eq_ctx c = {.fa = x->fmt, .fb = y->fmt, .itemsize = a->itemsize};
    ndv__single_value sv;
    ndv__block_fn fn = value_block;
    if (bitwise) {
        fn = memcmp_block;
    } else if (same && ndv__as_single_value(x->fmt, &sv) && !sv.swap &&
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
