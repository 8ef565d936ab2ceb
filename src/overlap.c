/*
 * overlap.c - ndv_shares_memory: do two views share a byte? NumPy's
 * shares_memory (numpy/core/src/common/mem_overlap.c) answers it exactly as
 * a bounded linear Diophantine problem; this is the same formulation, with
 * a depth-first search whose nodes count as work.
 *
 * a's byte a0 + sum(|sa_i| x_i) + p meets b's byte b0 + sum(|sb_j| y_j) + q
 * (0 <= x_i <= na_i - 1, 0 <= p < itemsize_a, the same for b; a0, b0 the
 * lowest addresses) exactly when, with y'_j = nb_j - 1 - y_j and
 * q' = itemsize_b - 1 - q,
 *     sum(|sa_i| x_i) + sum(|sb_j| y'_j) + p + q' = b0 - a0 + sum(|sb_j|(nb_j - 1)) + itemsize_b - 1
 * has a solution with every unknown within its bound.
 */
#include "internal.h"

#include <stdlib.h>

__extension__ typedef __int128 wide; /* sums of two views' reaches: past ptrdiff_t in the worst case */

typedef struct term {
    wide coef; /* > 0 */
    wide bound; /* the unknown runs 0 .. bound */
} term;

typedef struct search {
    term t[2 * NDV_MAXDIM + 2];
    wide rest[2 * NDV_MAXDIM + 3]; /* rest[k]: the most terms k.. can add */
    wide gcd[2 * NDV_MAXDIM + 3];  /* gcd[k]: of the coefficients of terms k.. */
    int n;
    ptrdiff_t work, max_work;
} search;

static wide gcd_of(wide a, wide b)
{
    while (b) {
        wide r = a % b;
        a = b;
        b = r;
    }
    return a;
}

static int by_coef_desc(const void *x, const void *y)
{
    wide a = ((const term *)x)->coef, b = ((const term *)y)->coef;
    return a < b ? 1 : a > b ? -1 : 0;
}

/* 1 if terms k.. reach r exactly, 0 if not, -1 when the work runs out. */
static int solve(search *s, int k, wide r)
{
    if (r == 0)
        return 1;
    if (k == s->n || r < 0 || r > s->rest[k] || r % s->gcd[k] != 0)
        return 0;
    const term *t = &s->t[k];
    wide hi = r / t->coef < t->bound ? r / t->coef : t->bound;
    wide need = r - s->rest[k + 1]; /* what this term must cover at least */
    wide lo = need > 0 ? (need + t->coef - 1) / t->coef : 0;
    for (wide z = hi; z >= lo; z--) { /* largest first: the remainders shrink fastest */
        if (++s->work > s->max_work)
            return -1;
        int found = solve(s, k + 1, r - z * t->coef);
        if (found != 0)
            return found;
    }
    return 0;
}

static void add_term(search *s, wide coef, wide bound)
{
    if (coef != 0 && bound > 0)
        s->t[s->n++] = (term){coef < 0 ? -coef : coef, bound};
}

/* The lowest address of v's bytes, and the bytes from it to the highest. */
static void extent(const ndv_view *v, wide *lo, wide *span)
{
    const ndv__state *st = v->internal_;
    wide a = (wide)(uintptr_t)v->buf, b = a;
    for (int i = 0; i < st->ndim; i++) {
        wide e = (wide)st->strides[i] * (st->shape[i] - 1);
        *(e < 0 ? &a : &b) += e;
    }
    *lo = a;
    *span = b - a + v->itemsize;
}

static ndv_status check_views(const ndv_view *a, const ndv_view *b, int *result)
{
    NDV__CHECK_ARG(result, "ndv_shares_memory");
    ndv_status s = ndv__check_live(a);
    if (s != NDV_OK || (s = ndv__check_live(b)) != NDV_OK)
        return s;
    if (a->internal_->suboffsets || b->internal_->suboffsets)
        return ndv__error(NDV_ERR_NOTIMPL, "shares_memory: views with suboffsets point elsewhere");
    return NDV_OK;
}

ndv_status ndv_shares_memory(const ndv_view *a, const ndv_view *b, ptrdiff_t max_work,
                             int *result)
{
    ndv_status s = check_views(a, b, result);
    if (s != NDV_OK)
        return s;
    if (max_work < 0)
        return ndv__error(NDV_ERR_VALUE, "max_work must not be negative");
    *result = 0;
    if (a->len == 0 || b->len == 0)
        return NDV_OK; /* no bytes at all */
    wide a0, as, b0, bs;
    extent(a, &a0, &as);
    extent(b, &b0, &bs);
    if (a0 + as <= b0 || b0 + bs <= a0)
        return NDV_OK; /* the bounds do not even meet */
    *result = 1;
    if (max_work == 0)
        return NDV_OK; /* bounds only (may_share_memory): they meet */
    search *sr = calloc(1, sizeof *sr);
    if (!sr)
        return ndv__error(NDV_ERR_NOMEM, "out of memory in shares_memory");
    const ndv__state *x = a->internal_, *y = b->internal_;
    wide rhs = b0 - a0 + b->itemsize - 1;
    for (int i = 0; i < x->ndim; i++)
        add_term(sr, x->strides[i], x->shape[i] - 1);
    for (int j = 0; j < y->ndim; j++) {
        add_term(sr, y->strides[j], y->shape[j] - 1);
        rhs += (wide)(y->strides[j] < 0 ? -y->strides[j] : y->strides[j]) * (y->shape[j] - 1);
    }
    add_term(sr, 1, a->itemsize - 1);
    add_term(sr, 1, b->itemsize - 1);
    qsort(sr->t, (size_t)sr->n, sizeof sr->t[0], by_coef_desc);
    sr->rest[sr->n] = 0;
    sr->gcd[sr->n] = 0;
    for (int k = sr->n - 1; k >= 0; k--) {
        sr->rest[k] = sr->rest[k + 1] + sr->t[k].coef * sr->t[k].bound;
        sr->gcd[k] = gcd_of(sr->gcd[k + 1], sr->t[k].coef);
    }
    sr->gcd[sr->n] = 1; /* r == 0 is handled before the test */
    sr->max_work = max_work;
    *result = solve(sr, 0, rhs);
    free(sr);
    return NDV_OK;
}
