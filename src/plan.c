/*
 * plan.c - building and walking the normalised iteration (see plan.h).
 */
#include "plan.h"

#include <string.h>

ndv__operand ndv__operand_of(const ndv_view *v)
{
    const ndv__state *st = v->internal_;
    return (ndv__operand){v->buf, st->strides, st->suboffsets};
}

static bool any_indirect(int ndim, const ndv__operand *op)
{
    if (op->suboffsets)
        for (int i = 0; i < ndim; i++)
            if (op->suboffsets[i] >= 0)
                return true;
    return false;
}

static void swap_dims(ndv__plan *p, int a, int b)
{
    ptrdiff_t t = p->shape[a];
    p->shape[a] = p->shape[b];
    p->shape[b] = t;
    for (int k = 0; k < p->nop; k++) {
        t = p->strides[k][a];
        p->strides[k][a] = p->strides[k][b];
        p->strides[k][b] = t;
    }
}

static ptrdiff_t mag(ptrdiff_t s)
{
    return s < 0 ? -s : s;
}

/* Flip dimensions negative in every operand, then sort by |stride| (operand 0 first). */
static void reorder(ndv__plan *p)
{
    for (int i = 0; i < p->ndim; i++) {
        bool all_neg = true;
        for (int k = 0; k < p->nop; k++)
            all_neg = all_neg && p->strides[k][i] < 0;
        if (!all_neg)
            continue;
        for (int k = 0; k < p->nop; k++) {
            p->base[k] += p->strides[k][i] * (p->shape[i] - 1);
            p->strides[k][i] = -p->strides[k][i];
        }
    }
    for (int i = 1; i < p->ndim; i++) { /* insertion sort: ndim is small, order is stable */
        for (int j = i; j > 0; j--) {
            ptrdiff_t a0 = mag(p->strides[0][j - 1]), b0 = mag(p->strides[0][j]);
            ptrdiff_t a1 = p->nop > 1 ? mag(p->strides[1][j - 1]) : 0;
            ptrdiff_t b1 = p->nop > 1 ? mag(p->strides[1][j]) : 0;
            if (a0 > b0 || (a0 == b0 && a1 >= b1))
                break;
            swap_dims(p, j - 1, j);
        }
    }
}

/* Merge dimension j into the kept dimension before it where every operand allows. */
static void coalesce(ndv__plan *p)
{
    int out = 0;
    for (int j = 1; j < p->ndim; j++) {
        bool ok = true;
        for (int k = 0; k < p->nop; k++)
            ok = ok && p->strides[k][out] == p->strides[k][j] * p->shape[j];
        if (ok) {
            p->shape[out] *= p->shape[j];
            for (int k = 0; k < p->nop; k++)
                p->strides[k][out] = p->strides[k][j];
        } else {
            out++;
            p->shape[out] = p->shape[j];
            for (int k = 0; k < p->nop; k++)
                p->strides[k][out] = p->strides[k][j];
        }
    }
    if (p->ndim > 0)
        p->ndim = out + 1;
}

void ndv__plan_init(ndv__plan *p, int ndim, const ptrdiff_t *shape, ptrdiff_t itemsize,
                    int nop, const ndv__operand *ops, ndv__order order)
{
    p->ndim = 0;
    p->nop = nop;
    p->itemsize = itemsize;
    p->empty = false;
    p->indirect = false;
    for (int k = 0; k < nop; k++) {
        p->base[k] = ops[k].base;
        p->suboffsets[k] = ops[k].suboffsets;
        p->indirect = p->indirect || any_indirect(ndim, &ops[k]);
    }
    for (int i = 0; i < ndim; i++)
        p->empty = p->empty || shape[i] == 0;
    if (p->indirect) {
        /* Pointers are followed per dimension: keep the geometry as it is. */
        p->ndim = ndim;
        memcpy(p->shape, shape, (size_t)ndim * sizeof *shape);
        for (int k = 0; k < nop; k++)
            memcpy(p->strides[k], ops[k].strides, (size_t)ndim * sizeof *shape);
        return;
    }
    for (int i = 0; i < ndim; i++) {
        if (shape[i] == 1)
            continue;
        p->shape[p->ndim] = shape[i];
        for (int k = 0; k < nop; k++)
            p->strides[k][p->ndim] = ops[k].strides[i];
        p->ndim++;
    }
    if (p->empty)
        return; /* nothing to walk: no base arithmetic on possibly NULL memory */
    if (order == NDV__ANY_ORDER)
        reorder(p);
    coalesce(p);
}

void ndv__plan_pair_fastest(ndv__plan *p, int k)
{
    if (p->indirect || p->empty || p->ndim < 3 || k >= p->nop)
        return;
    int last = p->ndim - 1, best = last;
    for (int d = 0; d < last; d++)
        if (mag(p->strides[k][d]) < mag(p->strides[k][best]))
            best = d;
    /* Move it just inside the others, keeping their order (the outer walk stays as built). */
    for (int d = best; d < last - 1 && best != last; d++)
        swap_dims(p, d, d + 1);
}

void ndv__plan_reverse(ndv__plan *p)
{
    for (int i = 0; i < p->ndim; i++) {
        for (int k = 0; k < p->nop; k++) {
            p->base[k] += p->strides[k][i] * (p->shape[i] - 1);
            p->strides[k][i] = -p->strides[k][i];
        }
    }
}

void ndv__plan_extent(const ndv__plan *p, int k, char **lo, char **hi)
{
    ptrdiff_t a = 0, b = 0;
    if (!p->empty) {
        for (int i = 0; i < p->ndim; i++) {
            ptrdiff_t e = p->strides[k][i] * (p->shape[i] - 1);
            if (e < 0)
                a += e;
            else
                b += e;
        }
        b += p->itemsize;
    }
    *lo = p->base[k] + a;
    *hi = p->base[k] + b;
}

/* ------------------------------------------------------------------------ */
/* Walking                                                                   */
/* ------------------------------------------------------------------------ */

int ndv__plan_block_shape(const ndv__plan *p, int inner_dims, ndv__block *b)
{
    b->n0 = b->n1 = 1;
    for (int k = 0; k < NDV__MAXOP; k++) {
        b->ptr[k] = NULL;
        b->s0[k] = 0;
        b->s1[k] = p->itemsize;
    }
    int inner = p->ndim < inner_dims ? p->ndim : inner_dims;
    if (p->indirect && inner > 1)
        inner = 1;
    for (int k = 0; k < p->nop; k++) {
        if (inner >= 1)
            b->s1[k] = p->strides[k][p->ndim - 1];
        if (inner == 2)
            b->s0[k] = p->strides[k][p->ndim - 2];
    }
    if (inner >= 1)
        b->n1 = p->shape[p->ndim - 1];
    if (inner == 2)
        b->n0 = p->shape[p->ndim - 2];
    return inner;
}

/* Direct plans: an odometer over the outer dimensions; shape is ndv__plan_block_shape's. */
static int run_direct(const ndv__plan *p, const ndv__block *shape, int inner, ndv__block_fn fn,
                      void *ctx)
{
    ndv__block b;
    memcpy(&b, shape, sizeof b); /* a fixed-size copy the compiler inlines */
    int outer = p->ndim - inner;
    ptrdiff_t idx[NDV_MAXDIM];
    for (int d = 0; d < outer; d++) /* only the odometer's digits */
        idx[d] = 0;
    char *ptr[NDV__MAXOP];
    for (int k = 0; k < p->nop; k++)
        ptr[k] = p->base[k];
    for (;;) {
        for (int k = 0; k < p->nop; k++)
            b.ptr[k] = ptr[k];
        int r = fn(ctx, &b);
        if (r)
            return r;
        int d = outer - 1;
        for (; d >= 0; d--) {
            for (int k = 0; k < p->nop; k++)
                ptr[k] += p->strides[k][d];
            if (++idx[d] < p->shape[d])
                break;
            for (int k = 0; k < p->nop; k++)
                ptr[k] -= p->strides[k][d] * p->shape[d];
            idx[d] = 0;
        }
        if (d < 0)
            return 0;
    }
}

static char *follow(const ndv__plan *p, int k, int dim, char *ptr)
{
    if (p->suboffsets[k] && p->suboffsets[k][dim] >= 0) {
        char *q;
        memcpy(&q, ptr, sizeof q);
        ptr = q + p->suboffsets[k][dim];
    }
    return ptr;
}

/* Indirect plans: descend dimension by dimension, following suboffsets. */
static int run_indirect(const ndv__plan *p, int dim, char **ptr, ndv__block_fn fn, void *ctx)
{
    int last = p->ndim - 1;
    bool last_direct = true;
    for (int k = 0; k < p->nop; k++)
        last_direct = last_direct && !(p->suboffsets[k] && p->suboffsets[k][last] >= 0);
    if (dim >= last && (dim > last || last_direct)) {
        ndv__block b = {{NULL, NULL}, 1, dim > last ? 1 : p->shape[last], {0, 0},
                        {p->itemsize, p->itemsize}};
        for (int k = 0; k < p->nop; k++) {
            b.ptr[k] = ptr[k];
            if (dim == last)
                b.s1[k] = p->strides[k][last];
        }
        return fn(ctx, &b);
    }
    for (ptrdiff_t i = 0; i < p->shape[dim]; i++) {
        char *next[NDV__MAXOP];
        for (int k = 0; k < p->nop; k++)
            next[k] = follow(p, k, dim, ptr[k] + p->strides[k][dim] * i);
        int r = run_indirect(p, dim + 1, next, fn, ctx);
        if (r)
            return r;
    }
    return 0;
}

int ndv__plan_run_shaped(const ndv__plan *p, const ndv__block *shape, int inner,
                         ndv__block_fn fn, void *ctx)
{
    if (p->empty)
        return 0;
    if (p->indirect) {
        char *ptr[NDV__MAXOP] = {p->base[0], p->nop > 1 ? p->base[1] : NULL};
        return run_indirect(p, 0, ptr, fn, ctx);
    }
    return run_direct(p, shape, inner, fn, ctx);
}

int ndv__plan_run(const ndv__plan *p, int inner_dims, ndv__block_fn fn, void *ctx)
{
    ndv__block shape;
    int inner = ndv__plan_block_shape(p, inner_dims, &shape);
    return ndv__plan_run_shaped(p, &shape, inner, fn, ctx);
}

void ndv__contiguous_strides(int ndim, const ptrdiff_t *shape, ptrdiff_t itemsize, char order,
                             ptrdiff_t *strides)
{
    ptrdiff_t sd = itemsize;
    for (int k = 0; k < ndim; k++) {
        int i = order == 'F' ? k : ndim - 1 - k;
        strides[i] = sd;
        sd *= shape[i] ? shape[i] : 1;
    }
}
