/*
 * pack.c - writing values into items: ndv_pack_item with struct.pack's
 * range checks and memoryview's messages. The item is packed into a copy
 * first, so a refusal leaves the view's memory untouched.
 */
#include <stdlib.h>

#include "convert.h"
#include "values.h"

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

/* PyFloat_AsDouble: floats and ints are numbers. */
static bool as_double(const ndv_value *v, double *d)
{
    bool neg;
    uint64_t mag;
    if (v->kind == NDV_KIND_FLOAT) {
        *d = v->v.f;
        return true;
    }
    if (!ndv__value_as_integer(v, &neg, &mag))
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
    if (!ndv__value_as_integer(v, &neg, &mag))
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
    ndv_status s = ndv__check_values(view);
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

