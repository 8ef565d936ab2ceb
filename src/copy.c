/*
 * copy.c - tobytes, frombytes and copy on top of the planner.
 *
 * Every copy is a two-operand plan (destination first, so the innermost loop
 * writes densely) whose blocks go to the kernel table: a contiguous run, a
 * fixed-stride run per item size, or a 2-D tile when the last two
 * dimensions are a transpose. Overlapping copies pick a direction when both
 * sides have the same layout and fall back to a temporary otherwise.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/kernels.h"
#include "plan.h"

typedef struct copy_ctx copy_ctx;

/* One row of n items: dst[i*ds] = src[i*ss]. */
typedef void (*row_fn)(const copy_ctx *c, char *d, ptrdiff_t ds, const char *s, ptrdiff_t ss,
                       ptrdiff_t n);

/* The kernels of one plan, chosen before the walk. */
struct copy_ctx {
    const ndv__kernels *k;
    ptrdiff_t itemsize;
    ndv__strided_fn strided; /* the item size's strided kernel */
    ndv__tile_fn tile;       /* the item size's transpose kernel */
    ndv__run_fn run;         /* contiguous runs: the copy_run kernel, or memmove on overlap */
    ptrdiff_t bytes;         /* the whole copy's */
    row_fn row;
};

static void move_run(char *dst, const char *src, ptrdiff_t nbytes)
{
    memmove(dst, src, (size_t)nbytes);
}

/* A run contiguous on both sides (walked backwards when both strides are negative). */
static void row_run(const copy_ctx *c, char *d, ptrdiff_t ds, const char *s, ptrdiff_t ss,
                    ptrdiff_t n)
{
    (void)ss;
    if (ds < 0) { /* a reversed run is the same bytes, walked backwards */
        d -= (n - 1) * c->itemsize;
        s -= (n - 1) * c->itemsize;
    }
    c->run(d, s, n * c->itemsize);
}

static void row_strided(const copy_ctx *c, char *d, ptrdiff_t ds, const char *s, ptrdiff_t ss,
                        ptrdiff_t n)
{
    c->strided(d, ds, s, ss, n);
}

/* Items of any size, one memmove each (overlap-safe item by item). */
static void row_items(const copy_ctx *c, char *d, ptrdiff_t ds, const char *s, ptrdiff_t ss,
                      ptrdiff_t n)
{
    for (ptrdiff_t i = 0; i < n; i++, d += ds, s += ss)
        memmove(d, s, (size_t)c->itemsize);
}

static int block_rows(void *ctx, const ndv__block *b)
{
    const copy_ctx *c = ctx;
    for (ptrdiff_t r = 0; r < b->n0; r++)
        c->row(c, b->ptr[0] + r * b->s0[0], b->s1[0], b->ptr[1] + r * b->s0[1], b->s1[1], b->n1);
    return 0;
}

static int block_runs(void *ctx, const ndv__block *b)
{
    const copy_ctx *c = ctx;
    c->k->copy_runs(b->ptr[0], b->s0[0], b->ptr[1], b->s0[1], b->n0, b->n1 * c->itemsize);
    return 0;
}

/* The same, in a copy larger than the caches: streamed (whole lines, no read for ownership). */
static int block_runs_stream(void *ctx, const ndv__block *b)
{
    const copy_ctx *c = ctx;
    c->k->copy_runs_stream(b->ptr[0], b->s0[0], b->ptr[1], b->s0[1], b->n0, b->n1 * c->itemsize);
    return 0;
}

static int block_tile(void *ctx, const ndv__block *b)
{
    const copy_ctx *c = ctx;
    c->tile(b->ptr[0], b->s0[0], b->s1[0], b->ptr[1], b->s0[1], b->s1[1], b->n0, b->n1);
    return 0;
}

/* Runs of a large copy at least this long are streamed (shorter ones would leave lines part-written). */
enum { STREAM_RUN_BYTES = 64 };

static ptrdiff_t mag(ptrdiff_t s)
{
    return s < 0 ? -s : s;
}

/*
 * Choose the kernel for every block of the plan at once (the blocks differ
 * only in their pointers). A 2-D block is a set of short runs when its
 * inner dimension is contiguous on both sides, and a transpose when the
 * source walks its inner dimension with a larger stride than its outer
 * one; anything else goes row by row.
 */
static ndv__block_fn choose_copy(const ndv__block *g, bool overlap, copy_ctx *c)
{
    ptrdiff_t is = c->itemsize;
    int idx = ndv__size_index(is);
    if (idx >= 0) {
        c->strided = c->k->copy_strided[idx];
        /* Every tile of a copy larger than the caches streams, however small the tiles. */
        c->tile = c->bytes >= NDV__STREAM_BYTES ? c->k->copy_tile_stream[idx]
                                                : c->k->copy_tile[idx];
    }
    if (g->n0 > 1 && !overlap) {
        if (g->s1[0] == is && g->s1[1] == is)
            return c->bytes >= NDV__STREAM_BYTES && g->n1 * is >= STREAM_RUN_BYTES
                       ? block_runs_stream
                       : block_runs;
        if (idx >= 0 && mag(g->s1[1]) > mag(g->s0[1]))
            return block_tile;
    }
    c->run = overlap ? move_run : c->k->copy_run;
    if (g->s1[0] == g->s1[1] && (g->s1[0] == is || g->s1[0] == -is))
        c->row = row_run;
    else
        c->row = idx >= 0 && !overlap ? row_strided : row_items;
    return block_rows;
}

static void run_copy(ndv__plan *p, bool overlap)
{
    copy_ctx c = {ndv__kernels_active(), p->itemsize, NULL, NULL, NULL, 0, NULL};
    c.bytes = p->itemsize;
    for (int d = 0; d < p->ndim; d++)
        c.bytes *= p->shape[d];
    if (!overlap)
        ndv__plan_pair_fastest(p, 1);
    ndv__block g;
    int inner = ndv__plan_block_shape(p, overlap ? 1 : 2, &g);
    ndv__block_fn fn = choose_copy(&g, overlap, &c);
    ndv__plan_run_shaped(p, &g, inner, fn, &c);
    if (fn == block_runs_stream)
        atomic_thread_fence(memory_order_seq_cst); /* orders the non-temporal stores */
}

static ndv_status check_order(char order)
{
    if (order != 'C' && order != 'F' && order != 'A')
        return ndv__error(NDV_ERR_VALUE, "order must be 'C', 'F' or 'A'");
    return NDV_OK;
}

/* copy_contiguous for a view that is not contiguous in that order: through the planner. */
static void copy_gathered(const ndv_view *v, char *mem, char order, bool to_view)
{
    const ndv__state *st = v->internal_;
    ptrdiff_t strides[NDV_MAXDIM];
    ndv__contiguous_strides(st->ndim, st->shape, v->itemsize, order == 'F' ? 'F' : 'C', strides);
    ndv__operand ops[2] = {ndv__operand_of(v), {mem, strides, NULL}};
    if (!to_view) {
        ndv__operand t = ops[0];
        ops[0] = ops[1];
        ops[1] = t;
    }
    ndv__plan p;
    ndv__plan_init(&p, st->ndim, st->shape, v->itemsize, 2, ops, NDV__ANY_ORDER);
    run_copy(&p, false);
}

/*
 * Copy between a view and contiguous memory in order ('A': the raw memory
 * when the view is C- or F-contiguous, C order otherwise), as
 * PyBuffer_ToContiguous / PyBuffer_FromContiguous do.
 */
static void copy_contiguous(const ndv_view *v, char *mem, char order, bool to_view)
{
    if (v->len == 0)
        return;
    if (!ndv_is_contiguous(v, order))
        copy_gathered(v, mem, order, to_view);
    else if (to_view)
        memmove(v->buf, mem, (size_t)v->len);
    else
        memmove(mem, v->buf, (size_t)v->len);
}

/*
 * The contiguity flags that make a copy in this order one memcpy (small views
 * are common). 'C' is tested first and alone: as one chain of tests GCC made
 * it a table lookup, a load more in a 64-byte tobytes.
 */
static inline unsigned order_flags(char order)
{
    if (__builtin_expect(order == 'C', 1))
        return NDV__FLAG_C;
    return order == 'F' ? NDV__FLAG_F : order == 'A' ? NDV__FLAG_C | NDV__FLAG_F : 0;
}

/*
 * Everything but the one-memcpy case, kept out of line so that case stays
 * short. A valid call gets here only with an empty view or one that is not
 * contiguous in this order: the fast path took the rest.
 */
__attribute__((noinline)) static ndv_status tobytes_general(const ndv_view *view, void *dst,
                                                            ptrdiff_t dstlen, char order)
{
    ndv_status s = ndv__check_live(view);
    if (s != NDV_OK || (s = check_order(order)) != NDV_OK)
        return s;
    if (dstlen < view->len)
        return ndv__error(NDV_ERR_VALUE, "destination holds %td bytes, the view has %td",
                          dstlen, view->len);
    if (view->len > 0) {
        NDV__CHECK_ARG(dst, "ndv_tobytes");
        copy_gathered(view, dst, order, false);
    }
    return NDV_OK;
}

/*
 * n (1..64) bytes by two overlapping moves of a fixed size (four 16-byte ones
 * from 32 up), all loaded before any is stored, inline: for a small view (a
 * struct, a pixel, a short row) the call into libc's memcpy was a large part
 * of tobytes. The moves go through scalars and 16-byte vectors, which GCC and
 * Clang keep in registers; 32-byte arrays, and a struct of two 16-byte vectors,
 * were spilled to the stack, so from 32 up the four moves are written out.
 */
typedef unsigned char chunk16 __attribute__((vector_size(16), aligned(1), may_alias));
#define COPY_EDGES(T)                                                                          \
    do {                                                                                       \
        T head, tail;                                                                          \
        memcpy(&head, s, sizeof head);                                                         \
        memcpy(&tail, s + n - sizeof tail, sizeof tail);                                       \
        memcpy(d, &head, sizeof head);                                                         \
        memcpy(d + n - sizeof tail, &tail, sizeof tail);                                       \
    } while (0)
static inline void copy_small(unsigned char *d, const unsigned char *s, size_t n)
{
    if (n >= 32) {
        const chunk16 *in = (const chunk16 *)s, *in_end = (const chunk16 *)(s + n);
        chunk16 a = in[0], b = in[1], y = in_end[-2], z = in_end[-1];
        chunk16 *out = (chunk16 *)d, *out_end = (chunk16 *)(d + n);
        out[0] = a, out[1] = b, out_end[-2] = y, out_end[-1] = z;
    } else if (n >= 16)
        COPY_EDGES(chunk16);
    else if (n >= 8)
        COPY_EDGES(uint64_t);
    else if (n >= 4)
        COPY_EDGES(uint32_t);
    else
        for (size_t i = 0; i < n; i++)
            d[i] = s[i];
}

/*
 * A 64-byte tobytes is these checks as much as its copy: the valid call falls
 * through to its copy with no taken branch (measured: 0.55x -> 0.64x
 * memcpy(64)'s rate).
 */
ndv_status ndv_tobytes(const ndv_view *view, void *dst, ptrdiff_t dstlen, char order)
{
    unsigned want = order_flags(order);
    if (__builtin_expect(view && view->internal_ && dst && (view->internal_->flags & want) &&
                             view->len <= dstlen && view->len > 0,
                         1)) {
        if (__builtin_expect((size_t)view->len <= 64, 1))
            copy_small(dst, view->buf, (size_t)view->len);
        else
            memcpy(dst, view->buf, (size_t)view->len);
        return NDV_OK;
    }
    return tobytes_general(view, dst, dstlen, order);
}

ndv_status ndv_frombytes(ndv_view *dst, const void *src, ptrdiff_t len, char order)
{
    ndv_status s = ndv__check_live(dst);
    if (s != NDV_OK || (s = check_order(order)) != NDV_OK)
        return s;
    if (dst->readonly)
        return ndv__error(NDV_ERR_READONLY, "cannot modify read-only memory");
    if (len < dst->len)
        return ndv__error(NDV_ERR_VALUE, "source holds %td bytes, the view has %td", len,
                          dst->len);
    if (dst->len > 0)
        NDV__CHECK_ARG(src, "ndv_frombytes");
    copy_contiguous(dst, (char *)(uintptr_t)src, order, true);
    return NDV_OK;
}

/* ------------------------------------------------------------------------ */
/* View to view                                                              */
/* ------------------------------------------------------------------------ */

static const char *strip_at(const char *f)
{
    return f[0] == '@' ? f + 1 : f;
}

/* CPython's equiv_shape: equal ndim, extents equal up to the first zero. */
bool ndv__equiv_shape(const ndv_view *a, const ndv_view *b)
{
    const ndv__state *x = a->internal_, *y = b->internal_;
    if (x->ndim != y->ndim)
        return false;
    for (int i = 0; i < x->ndim; i++) {
        if (x->shape[i] != y->shape[i])
            return false;
        if (x->shape[i] == 0)
            break;
    }
    return true;
}

/* CPython's words for a copy between different structures, then which part differs. */
static ndv_status check_same_structure(const ndv_view *dst, const ndv_view *src)
{
    const ndv__state *d = dst->internal_, *s = src->internal_;
    if (strcmp(strip_at(d->format), strip_at(s->format)) != 0 || dst->itemsize != src->itemsize)
        return ndv__error(NDV_ERR_VALUE,
                          "memoryview assignment: lvalue and rvalue have different structures: "
                          "formats '%s' (itemsize %td) and '%s' (itemsize %td) differ",
                          d->format, dst->itemsize, s->format, src->itemsize);
    if (!ndv__equiv_shape(dst, src)) {
        char a[NDV_MAXDIM * 24], b[NDV_MAXDIM * 24];
        return ndv__error(NDV_ERR_VALUE,
                          "memoryview assignment: lvalue and rvalue have different structures: "
                          "shapes %s and %s differ",
                          ndv__shape_text(a, sizeof a, d->ndim, d->shape),
                          ndv__shape_text(b, sizeof b, s->ndim, s->shape));
    }
    return NDV_OK;
}

/* Same layout in both operands, and no item of one operand overlapping another. */
static bool same_simple_layout(const ndv__plan *p)
{
    ptrdiff_t need = p->itemsize;
    for (int i = p->ndim - 1; i >= 0; i--) {
        if (p->strides[0][i] != p->strides[1][i] || p->strides[0][i] < need)
            return false;
        need = p->strides[0][i] * p->shape[i];
    }
    return true;
}

/* Through a C-order temporary: for overlaps no direction can resolve. */
static ndv_status copy_via_temporary(ndv_view *dst, const ndv_view *src)
{
    char *tmp = malloc((size_t)src->len);
    if (!tmp)
        return ndv__error(NDV_ERR_NOMEM, "out of memory for a %td-byte temporary", src->len);
    copy_contiguous(src, tmp, 'C', false);
    copy_contiguous(dst, tmp, 'C', true);
    free(tmp);
    return NDV_OK;
}

ndv_status ndv_copy(ndv_view *dst, const ndv_view *src)
{
    ndv_status s = ndv__check_live(dst);
    if (s != NDV_OK || (s = ndv__check_live(src)) != NDV_OK)
        return s;
    if (dst->readonly)
        return ndv__error(NDV_ERR_READONLY, "cannot modify read-only memory");
    const ndv__state *ds = dst->internal_;
    if ((s = check_same_structure(dst, src)) != NDV_OK)
        return s;
    if (dst->len == 0)
        return NDV_OK;
    ndv__operand ops[2] = {ndv__operand_of(dst), ndv__operand_of(src)};
    ndv__plan p;
    ndv__plan_init(&p, ds->ndim, ds->shape, dst->itemsize, 2, ops, NDV__ANY_ORDER);
    if (p.indirect)
        return copy_via_temporary(dst, src);
    char *dlo, *dhi, *slo, *shi;
    ndv__plan_extent(&p, 0, &dlo, &dhi);
    ndv__plan_extent(&p, 1, &slo, &shi);
    if (dhi <= slo || shi <= dlo) {
        run_copy(&p, false);
    } else if (same_simple_layout(&p)) {
        if (p.base[0] > p.base[1])
            ndv__plan_reverse(&p); /* memmove's rule: copy from the far end */
        run_copy(&p, true);
    } else {
        return copy_via_temporary(dst, src);
    }
    return NDV_OK;
}
