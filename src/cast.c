/*
 * cast.c - converting copies: ndv_can_cast, ndv_convert, ndv_fill.
 *
 * NumPy's np.can_cast and np.copyto(dst, src, casting=...) over formats of
 * one numeric value. A conversion is a two-operand plan (destination first)
 * whose runs go a chunk at a time through the conversion kernel of the
 * (source, target) pair, chosen once per call: contiguous host-order runs
 * convert in place, other runs are gathered into a chunk with the copy
 * kernels (and byte-swapped there), converted, then swapped and scattered.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "convert.h"
#include "kernels/kernels.h"
#include "plan.h"

/* ------------------------------------------------------------------------ */
/* Numeric types of formats, and NumPy's casting rules                       */
/* ------------------------------------------------------------------------ */

enum { K_BOOL, K_UINT, K_INT, K_FLOAT, K_COMPLEX }; /* NumPy's kind order */

typedef struct ctype {
    ndv__ctype t;
    int kind;
    ptrdiff_t size; /* bytes of one value (complex: both parts) */
    bool swap;      /* stored in the other byte order */
    char order;     /* '<' or '>' */
} ctype;

/* The one numeric value a format's item holds; false (with the error) otherwise. */
static ndv_status ctype_of(const char *fmt, ctype *c)
{
    ndv_status s;
    ndv__format *f = ndv__format_parse(fmt, &s);
    if (!f)
        return s;
    const ndv__field *x = f->nfields == 1 ? &f->fields[0] : NULL;
    static const ndv__ctype sint[9] = {[1] = NDV__CT_I8, [2] = NDV__CT_I16, [4] = NDV__CT_I32,
                                       [8] = NDV__CT_I64};
    static const ndv__ctype uint[9] = {[1] = NDV__CT_U8, [2] = NDV__CT_U16, [4] = NDV__CT_U32,
                                       [8] = NDV__CT_U64};
    static const ndv__ctype flt[9] = {[2] = NDV__CT_F16, [4] = NDV__CT_F32, [8] = NDV__CT_F64};
    bool ok = x && x->count == 1 && x->offset == 0 && x->size == f->itemsize;
    bool pow2 = ok && (x->size == 1 || x->size == 2 || x->size == 4 || x->size == 8);
    if (ok) {
        *c = (ctype){NDV__CT_BOOL, K_BOOL, x->size, false, x->order};
        switch ((ndv__kind)x->kind) {
        case NDV__K_BOOL: ok = x->size == 1; break;
        case NDV__K_SINT: ok = pow2; c->kind = K_INT; c->t = ok ? sint[x->size] : c->t; break;
        case NDV__K_UINT: ok = pow2; c->kind = K_UINT; c->t = ok ? uint[x->size] : c->t; break;
        case NDV__K_FLOAT:
            ok = pow2 && x->size > 1;
            c->kind = K_FLOAT;
            c->t = ok ? flt[x->size] : c->t;
            break;
        case NDV__K_COMPLEX:
            ok = x->size == 8 || x->size == 16;
            c->kind = K_COMPLEX;
            c->t = x->size == 8 ? NDV__CT_C64 : NDV__CT_C128;
            break;
        default: ok = false;
        }
        c->swap = c->size > 1 && ndv__needs_swap(x->order);
    }
    ndv__format_unref(f);
    if (!ok)
        return ndv__error(NDV_ERR_TYPE,
                          "format '%s' is not one numeric value (b B h H i I l L q Q n N e f d "
                          "? Zf Zd)", fmt);
    return NDV_OK;
}

/* Bits of precision an integer or float carries (NumPy's safe-cast lattice). */
static int bits_of(const ctype *c)
{
    return (int)(c->kind == K_COMPLEX ? c->size / 2 : c->size) * 8;
}

/* np.can_cast(from, to, 'safe'): no value changes (booleans go anywhere). */
static bool safe(const ctype *a, const ctype *b)
{
    int n = bits_of(a), m = bits_of(b);
    switch (a->kind) {
    case K_BOOL: return true;
    case K_UINT:
    case K_INT:
        if (b->kind == K_UINT)
            return a->kind == K_UINT && n <= m;
        if (b->kind == K_INT)
            return a->kind == K_INT ? n <= m : n < m;
        if (b->kind == K_FLOAT || b->kind == K_COMPLEX) /* the mantissa holds the integer */
            return m == 64 || (m == 32 && n <= 16) || (m == 16 && n <= 8);
        return false;
    case K_FLOAT: return (b->kind == K_FLOAT || b->kind == K_COMPLEX) && n <= m;
    default: return b->kind == K_COMPLEX && n <= m;
    }
}

static bool castable(const ctype *a, const ctype *b, ndv_casting casting)
{
    bool same_type = a->t == b->t;
    switch (casting) {
    case NDV_CASTING_NO: return same_type && (a->size == 1 || a->order == b->order);
    case NDV_CASTING_EQUIV: return same_type;
    case NDV_CASTING_SAFE: return same_type || safe(a, b);
    case NDV_CASTING_SAME_KIND: return same_type || safe(a, b) || b->kind >= a->kind;
    default: return true;
    }
}

static ndv_status check_casting(ndv_casting casting)
{
    if ((unsigned)casting > NDV_CASTING_UNSAFE)
        return ndv__error(NDV_ERR_VALUE, "casting must be one of 'no', 'equiv', 'safe', "
                                         "'same_kind', or 'unsafe'");
    return NDV_OK;
}

ndv_status ndv_can_cast(const char *from, const char *to, ndv_casting casting, bool *ok)
{
    NDV__CHECK_ARG(from, "ndv_can_cast");
    NDV__CHECK_ARG(to, "ndv_can_cast");
    NDV__CHECK_ARG(ok, "ndv_can_cast");
    ctype a, b;
    ndv_status s = check_casting(casting);
    if (s != NDV_OK || (s = ctype_of(from, &a)) != NDV_OK || (s = ctype_of(to, &b)) != NDV_OK)
        return s;
    *ok = castable(&a, &b, casting);
    return NDV_OK;
}

/* NumPy's dtype('int32') for the host's order, dtype('>i4') for the other. */
static const char *dtype_name(const ctype *c, char *buf, size_t cap)
{
    static const char *const names[NDV__NCTYPES] = {
        "bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64",
        "float16", "float32", "float64", "complex64", "complex128"};
    static const char kinds[] = {[K_BOOL] = 'b', [K_UINT] = 'u', [K_INT] = 'i', [K_FLOAT] = 'f',
                                 [K_COMPLEX] = 'c'};
    if (c->swap)
        snprintf(buf, cap, "dtype('%c%c%td')", c->order, kinds[c->kind], c->size);
    else
        snprintf(buf, cap, "dtype('%s')", names[c->t]);
    return buf;
}

static ndv_status refuse_cast(const ctype *a, const ctype *b, ndv_casting casting)
{
    static const char *const rules[] = {"no", "equiv", "safe", "same_kind", "unsafe"};
    char x[32], y[32];
    return ndv__error(NDV_ERR_TYPE,
                      "Cannot cast array data from %s to %s according to the rule '%s'",
                      dtype_name(a, x, sizeof x), dtype_name(b, y, sizeof y), rules[casting]);
}

/* ------------------------------------------------------------------------ */
/* Converting copies                                                         */
/* ------------------------------------------------------------------------ */

enum { CHUNK = 1024, BAND_BYTES = 32768, STREAM_CHUNK_BYTES = 2048 };

typedef struct convert_ctx {
    const ndv__kernels *k;
    ndv__convert_fn fn;
    ndv__strided_fn gather, scatter; /* copy kernels of the source's and the target's size */
    ndv__run_fn stream;              /* copy_stream for large outputs, else NULL */
    ndv__convert_fn fused;           /* with stream: fn's streaming twin, if the level has one */
    bool reorder;                    /* the same type: only the byte order changes */
    bool unbuffered;                 /* contiguous runs need neither sbuf nor dbuf */
    ndv__tile_fn tile;               /* the transpose kernel of the target's size */
    ctype from, to;
    ptrdiff_t chunk;                 /* items per call of the kernel */
    ptrdiff_t done;                  /* items converted so far (C order when checked) */
    ptrdiff_t failed;                /* the first item a float could not become, or -1 */
    _Alignas(64) char sbuf[CHUNK * 16], dbuf[CHUNK * 16], tbuf[BAND_BYTES];
} convert_ctx;

/*
 * n contiguous values from src to dst with their bytes reversed (complex:
 * each part's), by one of the swap tables (swap_bytes, swap_stream).
 */
static void swap_values(ndv__swap_fn const table[3], char *dst, const char *src, ptrdiff_t n,
                        const ctype *c)
{
    ptrdiff_t w = c->kind == K_COMPLEX ? c->size / 2 : c->size;
    table[w == 2 ? 0 : w == 4 ? 1 : 2](dst, src, n * (c->size / w));
}

/*
 * One chunk of m items: source run (stride ss) to target run (stride ds),
 * a dense target through stream (NULL: plain stores) when given.
 */
static ptrdiff_t convert_chunk(convert_ctx *c, char *d, ptrdiff_t ds, const char *s,
                               ptrdiff_t ss, ptrdiff_t m, ndv__run_fn stream)
{
    const char *in = s;
    if (ss != c->from.size) {
        c->gather(c->sbuf, c->from.size, s, ss, m);
        in = c->sbuf;
    }
    bool dense = ds == c->to.size, direct = dense && !stream;
    /* swapped, or converted, and streamed out in one pass */
    if (dense && stream && c->reorder && c->k->swap_stream[0]) {
        swap_values(c->k->swap_stream, d, in, m, &c->from);
        return m;
    }
    if (dense && stream && c->fused) {
        if (c->from.swap) {
            swap_values(c->k->swap_bytes, c->sbuf, in, m, &c->from);
            in = c->sbuf;
        }
        return c->fused(d, in, m);
    }
    char *out = direct ? d : c->dbuf;
    ptrdiff_t k = m;
    if (c->reorder) { /* one pass */
        swap_values(c->k->swap_bytes, out, in, m, &c->from);
    } else {
        if (c->from.swap) { /* into the chunk, reversed on the way */
            swap_values(c->k->swap_bytes, c->sbuf, in, m, &c->from);
            in = c->sbuf;
        }
        k = c->fn(out, in, m);
        if (c->to.swap)
            swap_values(c->k->swap_bytes, out, out, k, &c->to);
    }
    if (!direct && dense) /* converted in cache, stored past it */
        stream(d, c->dbuf, k * c->to.size);
    else if (!direct)
        c->scatter(d, ds, c->dbuf, c->to.size, k);
    return k;
}

static int convert_block(void *ctx, const ndv__block *b)
{
    convert_ctx *c = ctx;
    /*
     * Chunks after the first start on the destination's cache lines, so the
     * kernels' vector stores never split a line (NumPy's arrays start 16
     * bytes into one: int32 -> float32 in cache ran 1.7x slower there), and
     * a streamed line is never written partly by plain stores (a chunk's
     * edge) and partly by streaming ones, which reads and flushes it twice
     * (large conversions into NumPy's arrays measured 0.8x).
     */
    ptrdiff_t skew = (ptrdiff_t)((uintptr_t)b->ptr[0] % 64);
    bool align = b->s1[0] == c->to.size && skew % c->to.size == 0;
    /* A run needing no buffer goes to the kernel whole after its first line:
       a call per 1024 items cost up to 8% in cache. */
    bool whole = c->unbuffered && b->s1[0] == c->to.size && b->s1[1] == c->from.size;
    ptrdiff_t next = whole ? b->n1 : c->chunk;
    ptrdiff_t first = !align ? next
                    : whole  ? (64 - skew) % 64 / c->to.size
                             : c->chunk - skew / c->to.size;
    for (ptrdiff_t i = 0, chunk = first; i < b->n1; i += chunk, chunk = next) {
        ptrdiff_t m = b->n1 - i < chunk ? b->n1 - i : chunk;
        ptrdiff_t k = convert_chunk(c, b->ptr[0] + i * b->s1[0], b->s1[0],
                                    b->ptr[1] + i * b->s1[1], b->s1[1], m, c->stream);
        c->done += k;
        if (k < m) {
            c->failed = c->done;
            return 1;
        }
    }
    return 0;
}

/*
 * A 2-D block whose source walks the destination's rows with its larger
 * stride (a transposed source), for conversions that cannot refuse; the
 * order of the copy planner's streaming tiles. A band of destination
 * columns one cache line wide (L items) is a band of L source rows, read
 * along those rows BAND_BYTES of output at a time: the L runs are converted
 * into a buffer, then put in place by the transpose kernel of the target's
 * size, which writes whole lines (streaming for large outputs). Converting
 * whole runs and transposing the narrower items is what reaches the tuned
 * transpose's speed.
 */
static int convert_tiles(void *ctx, const ndv__block *b)
{
    convert_ctx *c = ctx;
    ptrdiff_t ts = c->to.size, l = 64 / ts, rows = BAND_BYTES / 64;
    for (ptrdiff_t j0 = 0; j0 < b->n1; j0 += l) {
        ptrdiff_t w = b->n1 - j0 < l ? b->n1 - j0 : l;
        for (ptrdiff_t i0 = 0; i0 < b->n0; i0 += rows) {
            ptrdiff_t r = b->n0 - i0 < rows ? b->n0 - i0 : rows;
            const char *s = b->ptr[1] + i0 * b->s0[1] + j0 * b->s1[1];
            for (ptrdiff_t j = 0; j < w; j++)
                convert_chunk(c, c->tbuf + j * r * ts, ts, s + j * b->s1[1], b->s0[1], r, NULL);
            c->tile(b->ptr[0] + i0 * b->s0[0] + j0 * b->s1[0], b->s0[0], b->s1[0], c->tbuf, ts,
                    r * ts, r, w);
        }
    }
    return 0;
}

static ptrdiff_t magnitude(ptrdiff_t s)
{
    return s < 0 ? -s : s;
}

/* src's strides (and suboffsets) as seen from dst's shape: NumPy's broadcasting. */
static ndv_status broadcast_src(const ndv_view *dst, const ndv_view *src, ptrdiff_t *strides,
                                ptrdiff_t *subs, bool *has_subs)
{
    const ndv__state *d = dst->internal_, *s = src->internal_;
    int lead = d->ndim - s->ndim;
    bool ok = true;
    for (int j = 0; j < -lead; j++) /* NumPy drops leading extents of 1 from the source */
        ok = ok && s->shape[j] == 1;
    for (int i = 0; ok && i < d->ndim; i++) {
        int j = i - lead;
        ok = j < 0 || s->shape[j] == d->shape[i] || s->shape[j] == 1;
        strides[i] = j < 0 || s->shape[j] != d->shape[i] ? 0 : s->strides[j];
        subs[i] = j >= 0 && s->suboffsets ? s->suboffsets[j] : -1;
    }
    *has_subs = s->suboffsets != NULL;
    if (!ok) {
        char a[NDV_MAXDIM * 24], b[NDV_MAXDIM * 24];
        return ndv__error(NDV_ERR_VALUE, "could not broadcast input array from shape %s into "
                                         "shape %s",
                          ndv__shape_text(a, sizeof a, s->ndim, s->shape),
                          ndv__shape_text(b, sizeof b, d->ndim, d->shape));
    }
    return NDV_OK;
}

/* Do the bytes of a and b meet? (Suboffsets: assume they may.) */
static bool may_overlap(const ndv_view *a, const ndv_view *b)
{
    if (a->len == 0 || b->len == 0)
        return false;
    if (a->internal_->suboffsets || b->internal_->suboffsets)
        return true;
    int r = 1;
    ndv_shares_memory(a, b, 0, &r);
    return r != 0;
}

/* Where the first refused float sits, as an index of dst, for the message. */
static ndv_status refuse_value(const ndv_view *dst, ptrdiff_t flat)
{
    const ndv__state *d = dst->internal_;
    ptrdiff_t idx[NDV_MAXDIM];
    for (int i = d->ndim - 1; i >= 0; i--) {
        idx[i] = flat % d->shape[i];
        flat /= d->shape[i];
    }
    char t[NDV_MAXDIM * 24];
    return ndv__error(NDV_ERR_VALUE,
                      "cannot convert the value at index %s: NaN, infinite or out of the target's "
                      "range", ndv__shape_text(t, sizeof t, d->ndim, idx));
}

static ndv_status run_convert(ndv_view *dst, const ndv_view *src, const ctype *from,
                              const ctype *to)
{
    const ndv__state *d = dst->internal_;
    ptrdiff_t strides[NDV_MAXDIM], subs[NDV_MAXDIM];
    bool has_subs;
    ndv_status s = broadcast_src(dst, src, strides, subs, &has_subs);
    if (s != NDV_OK || dst->len == 0)
        return s;
    convert_ctx *c = malloc(sizeof *c);
    if (!c)
        return ndv__error(NDV_ERR_NOMEM, "out of memory converting");
    const ndv__kernels *k = ndv__kernels_active();
    /* Field by field: a compound literal would also clear the 48 KiB of buffers. */
    c->k = k;
    c->fn = k->convert[from->t][to->t];
    c->gather = k->copy_strided[ndv__size_index(from->size)];
    c->scatter = k->copy_strided[ndv__size_index(to->size)];
    c->stream = dst->len >= NDV__STREAM_BYTES ? k->copy_stream : NULL;
    c->fused = c->stream && !to->swap ? k->convert_stream[from->t][to->t] : NULL;
    c->reorder = from->t == to->t && from->swap != to->swap;
    c->unbuffered = c->reorder ? !c->stream || k->swap_stream[0]
                               : !from->swap && !to->swap && (!c->stream || c->fused);
    /* Streamed: 2 KiB out per chunk, so loads and streaming stores overlap
       (8 KiB chunks ran expanding conversions 1.3x slower, Zen 3). */
    c->chunk = c->stream ? STREAM_CHUNK_BYTES / to->size : CHUNK;
    c->from = *from;
    c->to = *to;
    c->done = 0;
    c->failed = -1;
    /* A conversion that can refuse walks in C order, so the first refusal is C's first. */
    bool checked = (to->kind == K_INT || to->kind == K_UINT) && from->kind >= K_FLOAT;
    ndv__operand ops[2] = {ndv__operand_of(dst), {src->buf, strides, has_subs ? subs : NULL}};
    ndv__plan p;
    ndv__plan_init(&p, d->ndim, d->shape, to->size, 2, ops,
                   checked ? NDV__C_ORDER : NDV__ANY_ORDER);
    ndv__block g;
    int inner = ndv__plan_block_shape(&p, 2, &g);
    c->tile = (c->stream ? k->copy_tile_stream : k->copy_tile)[ndv__size_index(to->size)];
    bool transposed = !checked && inner == 2 && g.n0 > 1 &&
                      magnitude(g.s1[1]) > magnitude(g.s0[1]);
    if (transposed)
        ndv__plan_run_shaped(&p, &g, inner, convert_tiles, c);
    else
        ndv__plan_run(&p, 1, convert_block, c);
    if (c->stream)
        atomic_thread_fence(memory_order_seq_cst); /* orders the non-temporal stores */
    s = c->failed >= 0 ? refuse_value(dst, c->failed) : NDV_OK;
    free(c);
    return s;
}

/* memmove's semantics: an overlapping source is copied aside first. */
static ndv_status convert_via_copy(ndv_view *dst, const ndv_view *src, const ctype *from,
                                   const ctype *to)
{
    char *tmp = malloc((size_t)src->len + 1);
    if (!tmp)
        return ndv__error(NDV_ERR_NOMEM, "out of memory for a %td-byte temporary", src->len);
    const ndv__state *s = src->internal_;
    ndv_view aside;
    ndv_status st = ndv_tobytes(src, tmp, src->len, 'C');
    if (st == NDV_OK)
        st = ndv_view_from_memory(&aside, tmp, src->len, true, s->format, s->ndim, s->shape,
                                  NULL, 0);
    if (st == NDV_OK) {
        st = run_convert(dst, &aside, from, to);
        ndv_release(&aside);
    }
    free(tmp);
    return st;
}

ndv_status ndv_convert(ndv_view *dst, const ndv_view *src, ndv_casting casting)
{
    ndv_status s = ndv__check_values(dst);
    if (s != NDV_OK || (s = ndv__check_values(src)) != NDV_OK || (s = check_casting(casting)))
        return s;
    if (dst->readonly)
        return ndv__error(NDV_ERR_READONLY, "cannot modify read-only memory");
    ctype from, to;
    if ((s = ctype_of(src->internal_->format, &from)) != NDV_OK ||
        (s = ctype_of(dst->internal_->format, &to)) != NDV_OK)
        return s;
    if (!castable(&from, &to, casting))
        return refuse_cast(&from, &to, casting);
    const char *a = dst->internal_->format, *b = src->internal_->format;
    bool same_format = strcmp(a + (a[0] == '@'), b + (b[0] == '@')) == 0;
    if (same_format && ndv__equiv_shape(dst, src))
        return ndv_copy(dst, src); /* equal formats, equal shapes: the plain copy, unchanged */
    if (may_overlap(dst, src))
        return convert_via_copy(dst, src, &from, &to);
    return run_convert(dst, src, &from, &to);
}

/* ------------------------------------------------------------------------ */
/* Fill                                                                      */
/* ------------------------------------------------------------------------ */

typedef struct fill_ctx {
    const char *item;
    ptrdiff_t itemsize;
} fill_ctx;

/* One run: contiguous runs double what is written (a memset-speed loop for any size). */
static int fill_block(void *ctx, const ndv__block *b)
{
    const fill_ctx *f = ctx;
    ptrdiff_t is = f->itemsize, n = b->n1;
    char *p = b->ptr[0];
    if (b->s1[0] == is || b->s1[0] == -is) {
        if (b->s1[0] < 0)
            p -= (n - 1) * is;
        if (is == 1) {
            memset(p, f->item[0], (size_t)n);
            return 0;
        }
        memcpy(p, f->item, (size_t)is);
        for (ptrdiff_t done = 1; done < n;) {
            ptrdiff_t k = done < n - done ? done : n - done;
            memcpy(p + done * is, p, (size_t)(k * is));
            done += k;
        }
        return 0;
    }
    for (ptrdiff_t i = 0; i < n; i++, p += b->s1[0])
        memcpy(p, f->item, (size_t)is);
    return 0;
}

ndv_status ndv_fill(ndv_view *dst, const ndv_value *value)
{
    ndv_status s = ndv__check_values(dst);
    if (s != NDV_OK)
        return s;
    NDV__CHECK_ARG(value, "ndv_fill");
    if (dst->readonly)
        return ndv__error(NDV_ERR_READONLY, "cannot modify read-only memory");
    char local[256], *item = dst->itemsize <= 256 ? local : malloc((size_t)dst->itemsize);
    if (!item)
        return ndv__error(NDV_ERR_NOMEM, "out of memory for a %td-byte item", dst->itemsize);
    memset(item, 0, (size_t)dst->itemsize); /* pads of the item are zero */
    ndv_view one;
    s = ndv_view_from_memory(&one, item, dst->itemsize, false, dst->internal_->format, 0, NULL,
                             NULL, 0);
    if (s == NDV_OK) {
        s = ndv_pack_item(&one, NULL, value, 1); /* pack_item's rules; nothing written on refusal */
        ndv_release(&one);
    }
    if (s == NDV_OK && dst->len > 0) {
        const ndv__state *d = dst->internal_;
        ndv__operand op = ndv__operand_of(dst);
        ndv__plan p;
        ndv__plan_init(&p, d->ndim, d->shape, dst->itemsize, 1, &op, NDV__ANY_ORDER);
        fill_ctx f = {item, dst->itemsize};
        ndv__plan_run(&p, 1, fill_block, &f);
    }
    if (item != local)
        free(item);
    return s;
}
