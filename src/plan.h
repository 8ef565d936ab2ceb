/*
 * plan.h - the normalised iteration every data operation walks.
 *
 * A plan describes one or two operands of equal shape (each a base address,
 * strides and optional suboffsets). Building it drops extent-1 dimensions
 * and merges dimensions that are contiguous with each other in every
 * operand; with NDV__ANY_ORDER it also flips dimensions whose strides are
 * negative in every operand and orders dimensions by operand 0's strides
 * (largest outside), so the innermost loop is the densest one. Running it
 * calls a block function for every innermost 1-D run (or 2-D block).
 *
 * Views with suboffsets keep their dimensions as they are: the walk descends
 * dimension by dimension and follows the pointers.
 */
#ifndef NDV_PLAN_H
#define NDV_PLAN_H

#include "internal.h"

enum { NDV__MAXOP = 2 };

typedef enum ndv__order {
    NDV__C_ORDER,  /* visit items in C order (tolist, hex, repr) */
    NDV__ANY_ORDER /* any order that pairs the same items (copy, equal) */
} ndv__order;

typedef struct ndv__operand {
    char *base;
    const ptrdiff_t *strides;
    const ptrdiff_t *suboffsets; /* NULL: none */
} ndv__operand;

/* One innermost block: n0 rows of n1 items (n0 == 1 for 1-D runs). */
typedef struct ndv__block {
    char *ptr[NDV__MAXOP];
    ptrdiff_t n0, n1;
    ptrdiff_t s0[NDV__MAXOP], s1[NDV__MAXOP];
} ndv__block;

/* Called per block; a non-zero return stops the walk and is returned by ndv__plan_run. */
typedef int (*ndv__block_fn)(void *ctx, const ndv__block *b);

typedef struct ndv__plan {
    int ndim;
    int nop;
    bool empty;
    bool indirect;
    ptrdiff_t itemsize;
    ptrdiff_t shape[NDV_MAXDIM];
    char *base[NDV__MAXOP];
    ptrdiff_t strides[NDV__MAXOP][NDV_MAXDIM];
    const ptrdiff_t *suboffsets[NDV__MAXOP];
} ndv__plan;

void ndv__plan_init(ndv__plan *p, int ndim, const ptrdiff_t *shape, ptrdiff_t itemsize,
                    int nop, const ndv__operand *ops, ndv__order order);

/*
 * HPTT's choice for permutations: make the 2-D block the pair of operand
 * 0's fastest dimension (already last) and operand k's fastest one, which
 * moves to the place just outside it; the other dimensions keep their order
 * outside. A copy then transposes tiles instead of gathering rows with a
 * large stride (a 3-D rotation, axes (2, 0, 1)). Only for walks in any
 * order (the items visited stay the same); no-op for indirect plans.
 */
void ndv__plan_pair_fastest(ndv__plan *p, int k);

/* Reverse the visiting order (every dimension walked from its end); not for indirect plans. */
void ndv__plan_reverse(ndv__plan *p);

/*
 * Walk the plan. inner_dims 2 asks for 2-D blocks over the last two
 * dimensions when the plan has them (1-D otherwise).
 */
int ndv__plan_run(const ndv__plan *p, int inner_dims, ndv__block_fn fn, void *ctx);

/*
 * The geometry every block of ndv__plan_run(p, inner_dims, ...) has (its
 * pointers aside), so a caller can choose its kernels once per plan, as
 * NumPy's PyArray_GetStridedCopyFn does. Returns the block's dimensions
 * (0, 1 or 2). Indirect plans walk 1-D runs of the last dimension (or
 * single items, where that dimension has suboffsets: any kernel chosen for
 * the runs also copies one item).
 */
int ndv__plan_block_shape(const ndv__plan *p, int inner_dims, ndv__block *b);

/* ndv__plan_run with the block geometry already computed (shape, inner: its results). */
int ndv__plan_run_shaped(const ndv__plan *p, const ndv__block *shape, int inner,
                         ndv__block_fn fn, void *ctx);

/* The operand of a view (its own geometry, base at element 0). */
ndv__operand ndv__operand_of(const ndv_view *v);

/* The byte range [*lo, *hi) a direct (suboffset-free) plan's operand k touches. */
void ndv__plan_extent(const ndv__plan *p, int k, char **lo, char **hi);

/*
 * The strides of a contiguous array in order 'C' or 'F' (NumPy's
 * _array_fill_strides: a zero extent counts as 1). The caller has checked
 * that the products fit (they are bounded by a view's len).
 */
void ndv__contiguous_strides(int ndim, const ptrdiff_t *shape, ptrdiff_t itemsize, char order,
                             ptrdiff_t *strides);

#endif
