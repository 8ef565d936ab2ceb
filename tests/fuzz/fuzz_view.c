/*
 * fuzz_view.c - views built from fuzzed metadata over a real buffer, then
 * every operation on them, each run at the scalar level and at the best
 * level with the results compared byte for byte.
 *
 * The buffer is allocated at exactly the fuzzed length, so any read or
 * write outside the described memory is an ASan report.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ndview.h"

typedef struct reader {
    const uint8_t *p;
    size_t n;
} reader;

static unsigned take(reader *r)
{
    if (!r->n)
        return 0;
    r->n--;
    return *r->p++;
}

static int take16(reader *r)
{
    int lo = (int)take(r);
    return (int)(int16_t)(uint16_t)(lo | (int)take(r) << 8);
}

static const char *const formats[] = {
    "B", "b", "c", "?", "h", "H", "<i", ">I", "q", "Q", "e", ">e", "f", "<f", "d", ">d",
    "2h", "3s", "4p", "xi", "T{<h:a:>q:b:}", "Zd", "w", "i<h", "(2)f", "P", "n", "@ic",
};
enum { NFORMATS = sizeof formats / sizeof formats[0] };

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

/*
 * Lists tolist() builds: the product of the extents before the first zero.
 * An empty view with a huge outer extent is legal, but its repr is that huge
 * (as CPython's would be): keep the walks to views of sane output size.
 */
static bool small_walk(const ndv_view *v)
{
    double nodes = 1;
    for (int i = 0; i < v->ndim && v->shape[i]; i++)
        nodes *= (double)v->shape[i];
    return nodes <= 1e6;
}

/* Run fn at scalar and at the best level; both results must agree. */
typedef ndv_status (*op_fn)(ndv_view *v, void *ctx, unsigned char *out, size_t cap);

static void both_levels(ndv_view *v, op_fn fn, void *ctx, size_t cap)
{
    unsigned char *a = calloc(1, cap + 1), *b = calloc(1, cap + 1);
    ndv_isa_set(NDV_ISA_SCALAR);
    ndv_status sa = fn(v, ctx, a, cap);
    ndv_isa_set(ndv_isa_best());
    ndv_status sb = fn(v, ctx, b, cap);
    CHECK(sa == sb);
    CHECK(memcmp(a, b, cap) == 0);
    free(a);
    free(b);
}

static ndv_status op_tobytes(ndv_view *v, void *ctx, unsigned char *out, size_t cap)
{
    return ndv_tobytes(v, out, (ptrdiff_t)cap, *(char *)ctx);
}

static ndv_status op_tolist(ndv_view *v, void *ctx, unsigned char *out, size_t cap)
{
    (void)ctx;
    ptrdiff_t n;
    ndv_status s = ndv_tolist(v, NULL, 0, &n);
    if (s != NDV_OK || n > (ptrdiff_t)(cap / sizeof(ndv_value)))
        return s;
    ndv_value *vals = calloc((size_t)n + 1, sizeof *vals);
    s = ndv_tolist(v, vals, n, &n);
    for (ptrdiff_t i = 0; i < n; i++) { /* kind and payload, padding left out */
        memcpy(out + i * 20, &vals[i].kind, 4);
        memcpy(out + i * 20 + 4, &vals[i].v, 16);
    }
    free(vals);
    return s;
}

static ndv_status op_unpack(ndv_view *v, void *ctx, unsigned char *out, size_t cap)
{
    ptrdiff_t n;
    ndv_status s = ndv_tolist(v, NULL, 0, &n);
    if (s != NDV_OK || n > (ptrdiff_t)(cap / 8))
        return s;
    s = ndv_unpack_as(v, (ndv_dtype)(*(int *)ctx), out, n);
    if (s != NDV_OK)
        memset(out, 0, cap); /* after a range error only the status is defined */
    return s;
}

static ndv_status op_repr(ndv_view *v, void *ctx, unsigned char *out, size_t cap)
{
    (void)ctx;
    ptrdiff_t len;
    return ndv_repr(v, (char *)out, (ptrdiff_t)cap, &len);
}

static ndv_status op_hex(ndv_view *v, void *ctx, unsigned char *out, size_t cap)
{
    int *arg = ctx;
    ptrdiff_t len;
    ndv_status s = ndv_hex(v, NULL, 0, arg[0], arg[1], &len);
    if (s != NDV_OK || len >= (ptrdiff_t)cap)
        return s;
    return ndv_hex(v, (char *)out, (ptrdiff_t)cap, arg[0], arg[1], &len);
}

static ndv_status op_equal(ndv_view *v, void *ctx, unsigned char *out, size_t cap)
{
    (void)cap;
    bool eq;
    ndv_status s = ndv_equal(v, ctx, &eq);
    out[0] = eq;
    return s;
}

/*
 * Do the view's items not overlap one another? (Sufficient test: extents
 * sorted by stride each skip the whole block inside.) Writes into a view
 * whose items overlap leave those bytes to whichever write lands last, which
 * is not defined, so only disjoint views are compared after writes.
 */
static bool items_disjoint(const ndv_view *v)
{
    ptrdiff_t s[64], n[64];
    int k = 0;
    for (int i = 0; i < v->ndim; i++) {
        if (v->shape[i] == 0)
            return true;
        if (v->shape[i] > 1) {
            s[k] = v->strides[i] < 0 ? -v->strides[i] : v->strides[i];
            n[k++] = v->shape[i];
        }
    }
    for (int i = 1; i < k; i++) /* insertion sort by stride */
        for (int j = i; j > 0 && s[j - 1] > s[j]; j--) {
            ptrdiff_t t = s[j]; s[j] = s[j - 1]; s[j - 1] = t;
            t = n[j]; n[j] = n[j - 1]; n[j - 1] = t;
        }
    ptrdiff_t need = v->itemsize;
    for (int i = 0; i < k; i++) {
        if (s[i] < need)
            return false;
        need = s[i] * n[i];
    }
    return true;
}

/* Writes (frombytes, copy in, pack) on two copies of the memory, one per level. */
static void writes_agree(const unsigned char *mem, size_t memlen, const char *fmt, int ndim,
                         const ptrdiff_t *shape, const ptrdiff_t *strides, ptrdiff_t offset,
                         reader *r)
{
    unsigned char *copy[2] = {malloc(memlen + 1), malloc(memlen + 1)};
    unsigned op = take(r) % 3;
    unsigned char src[4096];
    for (size_t i = 0; i < sizeof src; i++)
        src[i] = (unsigned char)(take(r) ^ i);
    ndv_value val = {(ndv_kind)(take(r) % 8), {.u = (uint64_t)take16(r) * 977u}};
    if (val.kind == NDV_KIND_BYTES)
        val.v.bytes.ptr = (const char *)src, val.v.bytes.len = take(r) % 8;
    ptrdiff_t idx[8] = {0};
    for (int i = 0; i < ndim && i < 8; i++)
        idx[i] = (ptrdiff_t)(take(r) % 5) - 2;
    ndv_status st[2];
    for (int l = 0; l < 2; l++) {
        memcpy(copy[l], mem, memlen);
        ndv_isa_set(l ? ndv_isa_best() : NDV_ISA_SCALAR);
        ndv_view v;
        st[l] = ndv_view_from_memory(&v, memlen ? copy[l] : NULL, (ptrdiff_t)memlen, false, fmt,
                                     ndim, shape, strides, offset);
        if (st[l] != NDV_OK)
            continue;
        if (!items_disjoint(&v)) {
            ndv_release(&v);
            continue;
        }
        if (op == 0) {
            st[l] = ndv_frombytes(&v, src, v.len <= (ptrdiff_t)sizeof src ? v.len : 0, 'F');
        } else if (op == 1) {
            ndv_view c;
            if (v.len <= (ptrdiff_t)sizeof src &&
                ndv_view_from_memory(&c, src, v.len, true, fmt, v.ndim, v.shape, NULL, 0) == NDV_OK) {
                st[l] = ndv_copy(&v, &c);
                ndv_release(&c);
            }
        } else if (ndim <= 8) {
            st[l] = ndv_pack_item(&v, idx, &val, (int)ndv_item_values(&v) == 1 ? 1 : 0);
        }
        ndv_release(&v);
    }
    CHECK(st[0] == st[1]);
    CHECK(memcmp(copy[0], copy[1], memlen) == 0);
    free(copy[0]);
    free(copy[1]);
}

/*
 * A PIL-style exporter: dimension 0 is an array of pointers to separately
 * allocated rows (each exactly the size its fuzzed strides reach), with
 * suboffsets [0, -1, ...]. Read operations must follow the pointers and stay
 * inside each row.
 */
typedef struct pil {
    const char *format;
    ptrdiff_t itemsize, len;
    int ndim;
    ptrdiff_t shape[8], strides[8], suboffsets[8];
    char **ptrs;
} pil;

static ndv_status pil_get(void *obj, ndv_buffer *b, int flags)
{
    pil *x = obj;
    (void)flags;
    *b = (ndv_buffer){x->ptrs, obj, x->len, x->itemsize, 1, x->ndim, x->format, x->shape,
                      x->strides, x->suboffsets, NULL};
    return NDV_OK;
}

static void fuzz_pil(const char *fmt, ptrdiff_t itemsize, int ndim, const ptrdiff_t *shape,
                     const ptrdiff_t *strides, reader *r)
{
    if (ndim < 1 || ndim > 8 || shape[0] < 1 || shape[0] > 6)
        return;
    pil x = {fmt, itemsize, 0, ndim, {0}, {0}, {0}, NULL};
    ptrdiff_t lo = 0, hi = 0, items = 1;
    for (int d = 0; d < ndim; d++) {
        if (shape[d] > 6 || (d > 0 && (strides[d] > 4096 || strides[d] < -4096)))
            return;
        x.shape[d] = shape[d];
        x.strides[d] = d ? strides[d] : (ptrdiff_t)sizeof(char *);
        x.suboffsets[d] = -1;
        items *= shape[d];
        if (d > 0 && shape[d] > 0) {
            ptrdiff_t e = strides[d] * (shape[d] - 1);
            *(e < 0 ? &lo : &hi) += e;
        }
    }
    x.len = items * itemsize;
    ptrdiff_t rowlen = items ? hi - lo + itemsize : 0;
    char **rows = calloc((size_t)shape[0], sizeof *rows);
    x.ptrs = calloc((size_t)shape[0], sizeof *x.ptrs);
    for (ptrdiff_t i = 0; i < shape[0]; i++) {
        rows[i] = malloc((size_t)rowlen + 1);
        for (ptrdiff_t k = 0; k < rowlen; k++)
            rows[i][k] = (char)(take(r) + k);
        x.ptrs[i] = rows[i] - lo; /* element 0 of the row */
    }
    x.suboffsets[0] = 0;
    static const ndv_exporter ops = {pil_get, NULL};
    ndv_view v;
    if (ndv_view_from_exporter(&v, &x, &ops, NDV_BUF_FULL_RO) == NDV_OK) {
        size_t cap = (size_t)v.len * 64 + 256;
        for (const char *o = "CFA"; *o; o++) {
            char order = *o;
            both_levels(&v, op_tobytes, &order, (size_t)v.len);
        }
        both_levels(&v, op_tolist, NULL, cap);
        both_levels(&v, op_repr, NULL, cap);
        ndv_view d;
        int dim = (int)(take(r) % (unsigned)ndim);
        if (ndv_slice(&v, dim, take16(r) % 7, take16(r) % 7, take16(r) % 3 ? 1 : -2, &d) == NDV_OK) {
            both_levels(&d, op_tobytes, "C", (size_t)d.len);
            both_levels(&d, op_equal, &v, 1);
            ndv_view e;
            if (ndv_index(&d, take16(r) % 3, &e) == NDV_OK) {
                both_levels(&e, op_repr, NULL, cap);
                ndv_release(&e);
            }
            ndv_release(&d);
        }
        ndv_release(&v);
    }
    for (ptrdiff_t i = 0; i < shape[0]; i++)
        free(rows[i]);
    free(rows);
    free(x.ptrs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    reader r = {data, size};
    unsigned fi = take(&r);
    const char *fmt = formats[fi % NFORMATS];
    ptrdiff_t itemsize;
    if (ndv_calcsize(fmt, &itemsize) != NDV_OK)
        abort();
    unsigned nd = take(&r);
    int ndim = nd == 255 ? 65 : (int)(nd % 6);
    ptrdiff_t shape[65], strides[65];
    bool byte_strides = take(&r) & 1;
    for (int i = 0; i < ndim; i++) {
        unsigned s = take(&r);
        shape[i] = s == 255 ? PTRDIFF_MAX / 2 : (ptrdiff_t)(s % 7);
        int k = take16(&r);
        strides[i] = k == -32768 ? PTRDIFF_MIN + 1 : byte_strides ? k : (ptrdiff_t)(int8_t)k * itemsize;
    }
    size_t memlen = (size_t)(take16(&r) & 0x0fff);
    ptrdiff_t offset = take16(&r);
    bool c_order = take(&r) & 1;
    unsigned char *mem = malloc(memlen + 1);
    for (size_t i = 0; i < memlen; i++)
        mem[i] = (unsigned char)(take(&r) * 31 + i);
    if (take(&r) % 4 == 0)
        fuzz_pil(fmt, itemsize, ndim, shape, strides, &r);
    ndv_view v;
    if (ndv_view_from_memory(&v, memlen ? mem : NULL, (ptrdiff_t)memlen, false, fmt, ndim, shape,
                             c_order ? NULL : strides, offset) != NDV_OK) {
        free(mem);
        return 0;
    }
    if (v.len > (1 << 20)) { /* zero strides make huge logical sizes: no room to copy them out */
        ndv_release(&v);
        free(mem);
        return 0;
    }
    size_t cap = (size_t)v.len * 64 + 256;
    for (const char *o = "CFA"; *o; o++) {
        char order = *o;
        both_levels(&v, op_tobytes, &order, (size_t)v.len);
    }
    if (small_walk(&v)) {
        both_levels(&v, op_tolist, NULL, cap);
        for (int to = 0; to < 3; to++)
            both_levels(&v, op_unpack, &to, cap);
        both_levels(&v, op_repr, NULL, cap);
    }
    int hexarg[2] = {(int)(take(&r) % 3 ? 0 : ':'), take16(&r) % 9};
    both_levels(&v, op_hex, hexarg, cap);
    /* Derived views: a slice, a transpose, an index, a cast; the same operations on them. */
    ndv_view d;
    ptrdiff_t a = take16(&r) % 9, b = take16(&r) % 9, step = take16(&r) % 4;
    int dim = ndim ? (int)(take(&r) % (unsigned)ndim) : 0;
    ndv_status s = ndv_slice(&v, dim, a, b, step ? step : -1, &d);
    if (s == NDV_OK) {
        both_levels(&d, op_tobytes, "C", (size_t)d.len);
        both_levels(&v, op_equal, &d, 1);
        if (small_walk(&d))
            both_levels(&d, op_repr, NULL, cap);
        ndv_release(&d);
    }
    if (ndv_transpose(&v, NULL, &d) == NDV_OK) {
        both_levels(&d, op_tobytes, "C", (size_t)d.len);
        both_levels(&d, op_equal, &v, 1);
        ndv_release(&d);
    }
    if (ndv_index(&v, take16(&r) % 4, &d) == NDV_OK) {
        if (small_walk(&d))
            both_levels(&d, op_tolist, NULL, cap);
        ndv_release(&d);
    }
    ptrdiff_t cshape[2] = {take(&r) % 5 + 1, take(&r) % 5 + 1};
    if (ndv_cast(&v, take(&r) & 1 ? "B" : "h", (int)(take(&r) % 4) - 1, cshape, &d) == NDV_OK) {
        both_levels(&d, op_tobytes, "F", (size_t)d.len);
        ndv_release(&d);
    }
    CHECK(ndv_release(&v) == NDV_OK);
    CHECK(ndv_tobytes(&v, NULL, 0, 'C') == NDV_ERR_RELEASED);
    writes_agree(mem, memlen, fmt, ndim, shape, c_order ? NULL : strides, offset, &r);
    free(mem);
    return 0;
}
