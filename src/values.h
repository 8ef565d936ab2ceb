/*
 * values.h - what reading (values.c), writing (pack.c) and comparing
 * (equal.c) items as values share. values.c defines all of it; the other
 * two only call it.
 */
#ifndef NDV_VALUES_H
#define NDV_VALUES_H

#include "internal.h"
#include "kernels/kernels.h"

/* All values of one item into out; returns how many were written (fmt->nvalues). */
ptrdiff_t ndv__decode_item(const ndv__format *fmt, const char *item, ndv_value *out);

/* A Python int's value as sign + magnitude; false for values that are not integers. */
bool ndv__value_as_integer(const ndv_value *v, bool *neg, uint64_t *mag);

/*
 * Formats whose item is one numeric value (pads around it allowed) go to the
 * value kernels: which source type, where in the item, which byte order.
 */
typedef struct ndv__single_value {
    ndv__src src;
    ptrdiff_t offset;
    ptrdiff_t size;
    bool swap;
} ndv__single_value;

/*
 * An unpack kernel with the copy kernel that gathers strided sources into a
 * contiguous chunk for it (the vector loops take contiguous values).
 */
typedef struct ndv__unpacker {
    ndv__unpack_fn fn; /* NULL: no kernel */
    ndv__strided_fn gather;
    ptrdiff_t size;
} ndv__unpacker;

/* Is fmt's item one numeric value (pads around it allowed)? Describes it in *sv. */
bool ndv__as_single_value(const ndv__format *fmt, ndv__single_value *sv);

/* The active level's kernels converting sv to the target type (fn NULL: none). */
ndv__unpacker ndv__unpacker_of(const ndv__single_value *sv, ndv_dtype to);

/* Convert n values at src (stride ss); returns how many converted (all, or up to a range error). */
ptrdiff_t ndv__unpack_run(const ndv__unpacker *u, char *dst, const char *src, ptrdiff_t ss,
                          ptrdiff_t n);

#endif
