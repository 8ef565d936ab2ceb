/*
 * shape.h - what the zero-copy shape operations share: shape.c (slice,
 * index, get_pointer, transpose, cast, toreadonly) defines it, algebra.c
 * (subscript, broadcast_to, reshape, sliding windows, fields) uses it.
 */
#ifndef NDV_SHAPE_H
#define NDV_SHAPE_H

#include "internal.h"

/* A mutable copy of a view's geometry to edit before registering it. */
typedef struct ndv__geom_buf {
    ndv__geom g;
    ptrdiff_t shape[NDV_MAXDIM];
    ptrdiff_t strides[NDV_MAXDIM];
    ptrdiff_t suboffsets[NDV_MAXDIM];
} ndv__geom_buf;

/* Copy src's geometry into b (g's arrays then point into b). */
void ndv__geom_copy(const ndv_view *src, ndv__geom_buf *b);

/* Clear *out unless it aliases the source, then check the source is alive. */
ndv_status ndv__begin(const ndv_view *src, ndv_view *out, const char *fn);

/* Index of the last dimension before dim that dereferences, or -1. */
int ndv__last_indirect_before(const ndv__geom *g, int dim);

/*
 * Move element 0 of dimension dim by delta bytes. With an indirect dimension
 * before dim the move belongs after that dereference, i.e. in its suboffset
 * (_testbuffer's rule); otherwise buf moves. A suboffset pushed below zero
 * would read as "no indirection" (PEP 3118's convention): false then.
 */
bool ndv__shift_dim(ndv__geom_buf *b, int dim, ptrdiff_t delta);

/*
 * Python's slice arithmetic (PySlice_Unpack + PySlice_AdjustIndices): the
 * length of start:stop:step over length items (step != 0, NDV_NONE for an
 * omitted bound); *start becomes the first index.
 */
ptrdiff_t ndv__slice_length(ptrdiff_t length, ptrdiff_t *start, ptrdiff_t stop, ptrdiff_t step);

#endif
