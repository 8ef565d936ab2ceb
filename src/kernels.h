/*
 * kernels.h - the inner loops the copy planner calls, as a table.
 *
 * One table per instruction set; src/kernels/scalar.c is the portable twin
 * every other table must match byte for byte. The planner never calls a
 * kernel with overlapping source and destination items except through
 * copy_run_overlap (memmove semantics).
 */
#ifndef NDV_KERNELS_H
#define NDV_KERNELS_H

#include <stdbool.h>
#include <stddef.h>

#include "ndview.h"

/* n items of a fixed size: dst[i*ds] = src[i*ss]. Strides may be negative or zero. */
typedef void (*ndv__strided_fn)(char *dst, ptrdiff_t ds, const char *src, ptrdiff_t ss,
                                ptrdiff_t n);

/*
 * A 2-D block of items (n0 x n1), typically a transpose: dst and src each
 * have an outer stride (*0) and an inner stride (*1).
 */
typedef void (*ndv__tile_fn)(char *dst, ptrdiff_t ds0, ptrdiff_t ds1, const char *src,
                             ptrdiff_t ss0, ptrdiff_t ss1, ptrdiff_t n0, ptrdiff_t n1);

/* Item sizes with their own kernels: 1, 2, 4, 8, 16 bytes (index = log2). */
enum { NDV__NSIZES = 5 };

/*
 * Source types of the value kernels: items holding one numeric value.
 * Multi-byte sources also come byte-swapped (the format's byte order is not
 * the host's).
 */
typedef enum ndv__src {
    NDV__SRC_I8, NDV__SRC_U8, NDV__SRC_BOOL, NDV__SRC_I16, NDV__SRC_U16, NDV__SRC_I32,
    NDV__SRC_U32, NDV__SRC_I64, NDV__SRC_U64, NDV__SRC_F16, NDV__SRC_F32, NDV__SRC_F64,
    NDV__NSRC
} ndv__src;

/*
 * n values from src (stride ss bytes) to 8-byte values at dst (contiguous),
 * of the target type (ndv_dtype). Returns how many were converted before
 * the first value out of the target's range (n when all were).
 */
typedef ptrdiff_t (*ndv__unpack_fn)(void *dst, const char *src, ptrdiff_t ss, ptrdiff_t n);

/* n values from src (stride ss bytes) to tagged values at out. */
typedef void (*ndv__tolist_fn)(ndv_value *out, const char *src, ptrdiff_t ss, ptrdiff_t n);

/* Do n floats at a and b (strides sa, sb) compare equal by value (NaN != NaN, -0 == 0)? */
typedef bool (*ndv__equal_fn)(const char *a, ptrdiff_t sa, const char *b, ptrdiff_t sb,
                              ptrdiff_t n);

typedef struct ndv__kernels {
    const char *name;
    /* One contiguous run of bytes; source and destination do not overlap. */
    void (*copy_run)(char *dst, const char *src, ptrdiff_t nbytes);
    ndv__strided_fn copy_strided[NDV__NSIZES];
    ndv__tile_fn copy_tile[NDV__NSIZES];
    /*
     * n runs of run bytes each (a short contiguous piece repeated at a
     * stride: RGB -> RG, a column block of a matrix).
     */
    void (*copy_runs)(char *dst, ptrdiff_t ds, const char *src, ptrdiff_t ss, ptrdiff_t n,
                      ptrdiff_t run);
    /* [swapped][source][target]; NULL where the target refuses the source (floats to ints). */
    ndv__unpack_fn unpack[2][NDV__NSRC][3];
    ndv__tolist_fn tolist[2][NDV__NSRC];
    /* Floats by value, native order: [0] f32, [1] f64. */
    ndv__equal_fn equal_float[2];
    /* n bytes as 2n lowercase hex digits, no separators. */
    void (*hex)(char *dst, const unsigned char *src, ptrdiff_t n);
    /*
     * ngroups groups of group bytes, each written as sep then 2*group hex
     * digits (the caller places the groups so that each starts on a
     * separator boundary).
     */
    void (*hex_sep)(char *dst, const unsigned char *src, ptrdiff_t ngroups, ptrdiff_t group,
                    char sep);
} ndv__kernels;

/* The portable table: src/kernels/scalar.c (copies) and scalar_values.c (values). */
void ndv__kernels_init_scalar(ndv__kernels *k);
void ndv__kernels_init_scalar_values(ndv__kernels *k);

/* Each level's file overrides the entries it speeds up (src/kernels/<isa>.c). */
void ndv__kernels_init_sse2(ndv__kernels *k);
void ndv__kernels_init_sse41(ndv__kernels *k);
void ndv__kernels_init_avx2(ndv__kernels *k);
void ndv__kernels_init_avx512(ndv__kernels *k);
void ndv__kernels_init_neon(ndv__kernels *k);

/* The table in use (src/cpu.c). */
const ndv__kernels *ndv__kernels_active(void);

/* Index into copy_strided / copy_tile for an item size, or -1. */
static inline int ndv__size_index(ptrdiff_t itemsize)
{
    switch (itemsize) {
    case 1: return 0;
    case 2: return 1;
    case 4: return 2;
    case 8: return 3;
    case 16: return 4;
    default: return -1;
    }
}

#endif
