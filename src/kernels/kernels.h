/*
 * kernels.h - the kernel table: every inner loop the planner and the value
 * operations call, described once.
 *
 * NDV__KERNEL_FAMILIES lists the table's members (the struct below is
 * generated from it) and NDV__KERNEL_SLOTS every slot in them that holds a
 * kernel, with the name ndview-info and ndv_kernel_slot() report (cpu.c
 * generates its slot names and count from it). Every level's table has
 * every slot filled: src/kernels/scalar*.c fill all of them with the
 * portable twins, and each SIMD level starts from the level below and
 * overrides the slots it speeds up (src/kernels/<isa>.c).
 *
 * Kernels see raw pointers, counts and strides only, never views or
 * formats. The planner never calls one with overlapping source and
 * destination items (it uses memmove itself for those).
 */
#ifndef NDV_KERNELS_H
#define NDV_KERNELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ndview.h"

/* One contiguous run of bytes; source and destination do not overlap. */
typedef void (*ndv__run_fn)(char *dst, const char *src, ptrdiff_t nbytes);

/* n items of a fixed size: dst[i*ds] = src[i*ss]. Strides may be negative or zero. */
typedef void (*ndv__strided_fn)(char *dst, ptrdiff_t ds, const char *src, ptrdiff_t ss,
                                ptrdiff_t n);

/*
 * A 2-D block of items (n0 x n1), typically a transpose: dst and src each
 * have an outer stride (*0) and an inner stride (*1).
 */
typedef void (*ndv__tile_fn)(char *dst, ptrdiff_t ds0, ptrdiff_t ds1, const char *src,
                             ptrdiff_t ss0, ptrdiff_t ss1, ptrdiff_t n0, ptrdiff_t n1);

/* n runs of run bytes each (a short contiguous piece repeated at a stride: RGB -> RG). */
typedef void (*ndv__runs_fn)(char *dst, ptrdiff_t ds, const char *src, ptrdiff_t ss,
                             ptrdiff_t n, ptrdiff_t run);

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

/* n bytes as 2n lowercase hex digits, no separators. */
typedef void (*ndv__hex_fn)(char *dst, const unsigned char *src, ptrdiff_t n);

/*
 * ngroups groups of group bytes, each written as sep then 2*group hex
 * digits (the caller places the groups so that each starts on a separator
 * boundary).
 */
typedef void (*ndv__hex_sep_fn)(char *dst, const unsigned char *src, ptrdiff_t ngroups,
                                ptrdiff_t group, char sep);

/* n words of 2, 4 or 8 bytes (swap_bytes[0..2]) from src to dst, each reversed; dst may be src. */
typedef void (*ndv__swap_fn)(char *dst, const char *src, ptrdiff_t n);

/*
 * n values of one numeric type at src to another at dst, both contiguous
 * and in the host's byte order (ndv_convert swaps bytes in a separate pass).
 * Returns how many were converted before the first float a target integer
 * cannot hold (NaN, infinities, out of range after truncation): n when all.
 */
typedef ptrdiff_t (*ndv__convert_fn)(char *dst, const char *src, ptrdiff_t n);

/*
 * The numeric types of ndv_convert: X(enum name, slot name, C storage type).
 * Complex values are pairs of floats or doubles.
 */
#define NDV__CTYPES(X)                        \
    X(NDV__CT_BOOL, "bool", uint8_t)          \
    X(NDV__CT_I8, "i8", int8_t)               \
    X(NDV__CT_U8, "u8", uint8_t)              \
    X(NDV__CT_I16, "i16", int16_t)            \
    X(NDV__CT_U16, "u16", uint16_t)           \
    X(NDV__CT_I32, "i32", int32_t)            \
    X(NDV__CT_U32, "u32", uint32_t)           \
    X(NDV__CT_I64, "i64", int64_t)            \
    X(NDV__CT_U64, "u64", uint64_t)           \
    X(NDV__CT_F16, "f16", uint16_t)           \
    X(NDV__CT_F32, "f32", float)              \
    X(NDV__CT_F64, "f64", double)             \
    X(NDV__CT_C64, "c64", ndv__c64)           \
    X(NDV__CT_C128, "c128", ndv__c128)

typedef struct ndv__c64 { float re, im; } ndv__c64;
typedef struct ndv__c128 { double re, im; } ndv__c128;

#define NDV__CTYPE_ENUM(e, name, T) e,
typedef enum ndv__ctype { NDV__CTYPES(NDV__CTYPE_ENUM) NDV__NCTYPES } ndv__ctype;

/*
 * Outputs at least this large are written with non-temporal stores: they
 * outgrow the caches anyway, and streaming full lines skips the read for
 * ownership of every destination line (a third of the memory traffic).
 * copy_stream is the plain copy of a run that does so (any alignment); its
 * caller issues one full fence (atomic_thread_fence, seq_cst) after the
 * last call, which orders non-temporal stores too.
 */
#define NDV__STREAM_BYTES ((ptrdiff_t)8 << 20)

/* Item sizes with their own copy kernels: 1, 2, 4, 8, 16 bytes (index = log2). */
enum { NDV__NSIZES = 5 };

/*
 * The value kernels' sources, items holding one numeric value:
 * X(S, enum name, slot name, INT or FLOAT, bytes). Multi-byte sources also
 * come byte-swapped (the format's byte order is not the host's); floats
 * convert only to double. S is passed through for the slot list.
 */
#define NDV__SOURCES(X, S)                      \
    X(S, NDV__SRC_I8, "i8", INT, 1)             \
    X(S, NDV__SRC_U8, "u8", INT, 1)             \
    X(S, NDV__SRC_BOOL, "bool", INT, 1)         \
    X(S, NDV__SRC_I16, "i16", INT, 2)           \
    X(S, NDV__SRC_U16, "u16", INT, 2)           \
    X(S, NDV__SRC_I32, "i32", INT, 4)           \
    X(S, NDV__SRC_U32, "u32", INT, 4)           \
    X(S, NDV__SRC_I64, "i64", INT, 8)           \
    X(S, NDV__SRC_U64, "u64", INT, 8)           \
    X(S, NDV__SRC_F16, "f16", FLOAT, 2)         \
    X(S, NDV__SRC_F32, "f32", FLOAT, 4)         \
    X(S, NDV__SRC_F64, "f64", FLOAT, 8)

#define NDV__SOURCE_ENUM(S, e, name, cls, bytes) e,
typedef enum ndv__src { NDV__SOURCES(NDV__SOURCE_ENUM, _) NDV__NSRC } ndv__src;

/* The table's members: F(member, function type, dimensions). */
#define NDV__KERNEL_FAMILIES(F)                        \
    F(copy_run, ndv__run_fn, )                         \
    F(copy_strided, ndv__strided_fn, [NDV__NSIZES])    \
    F(copy_tile, ndv__tile_fn, [NDV__NSIZES])          \
    F(copy_tile_stream, ndv__tile_fn, [NDV__NSIZES])   \
    F(copy_runs, ndv__runs_fn, )                       \
    F(copy_stream, ndv__run_fn, )                      \
    F(copy_runs_stream, ndv__runs_fn, )                \
    F(swap_bytes, ndv__swap_fn, [3])                   \
    F(swap_stream, ndv__swap_fn, [3])                  \
    F(unpack, ndv__unpack_fn, [2][NDV__NSRC][3])       \
    F(tolist, ndv__tolist_fn, [2][NDV__NSRC])          \
    F(equal_float, ndv__equal_fn, [2])                 \
    F(hex, ndv__hex_fn, )                              \
    F(hex_sep, ndv__hex_sep_fn, )                      \
    F(convert, ndv__convert_fn, [NDV__NCTYPES][NDV__NCTYPES])        \
    F(convert_stream, ndv__convert_fn, [NDV__NCTYPES][NDV__NCTYPES])

/*
 * unpack is [swapped][source][target], tolist [swapped][source], convert
 * [source][target]; convert_stream [source][target] the same conversions
 * with streaming stores (outputs past the cache), and swap_stream the byte
 * swaps so, NULL where a level has none: the tables with holes, so not
 * among the slots below;
 * equal_float [0] f32 / [1] f64, native order; the others as named.
 */
#define NDV__KERNEL_MEMBER(member, type, dims) type member dims;
typedef struct ndv__kernels {
    NDV__KERNEL_FAMILIES(NDV__KERNEL_MEMBER)
} ndv__kernels;

/* Every slot that holds a kernel: S(name, member designator). */
#define NDV__KERNEL_SLOTS(S)                                        \
    S("copy_run", copy_run)                                         \
    NDV__EACH_SIZE(S, "copy_strided/", copy_strided)                \
    NDV__EACH_SIZE(S, "copy_tile/", copy_tile)                      \
    NDV__EACH_SIZE(S, "copy_tile_stream/", copy_tile_stream)        \
    S("copy_runs", copy_runs)                                       \
    S("copy_stream", copy_stream)                                   \
    S("copy_runs_stream", copy_runs_stream)                         \
    S("swap_bytes/2", swap_bytes[0]) S("swap_bytes/4", swap_bytes[1]) \
    S("swap_bytes/8", swap_bytes[2])                                \
    NDV__SOURCES(NDV__UNPACK_SLOTS, S)                              \
    NDV__SOURCES(NDV__UNPACK_SLOTS_SWAPPED, S)                      \
    NDV__SOURCES(NDV__TOLIST_SLOTS, S)                              \
    NDV__SOURCES(NDV__TOLIST_SLOTS_SWAPPED, S)                      \
    S("equal/f32", equal_float[0])                                  \
    S("equal/f64", equal_float[1])                                  \
    S("hex", hex)                                                   \
    S("hex_sep", hex_sep)                                           \
    NDV__CTYPES_X(NDV__CONVERT_SLOTS_FROM, S)

/* The pieces NDV__KERNEL_SLOTS is built from. */
#define NDV__EACH_SIZE(S, name, m)                                  \
    S(name "1", m[0]) S(name "2", m[1]) S(name "4", m[2]) S(name "8", m[3]) S(name "16", m[4])
#define NDV__TARGETS_INT(S, sw, swname, e, name)                    \
    S("unpack/" swname name "->i64", unpack[sw][e][NDV_I64])        \
    S("unpack/" swname name "->u64", unpack[sw][e][NDV_U64])        \
    S("unpack/" swname name "->f64", unpack[sw][e][NDV_F64])
#define NDV__TARGETS_FLOAT(S, sw, swname, e, name)                  \
    S("unpack/" swname name "->f64", unpack[sw][e][NDV_F64])
/* One-byte sources have no byte order: no swapped slots. */
#define NDV__IF_SWAPPABLE_1(x)
#define NDV__IF_SWAPPABLE_2(x) x
#define NDV__IF_SWAPPABLE_4(x) x
#define NDV__IF_SWAPPABLE_8(x) x
#define NDV__UNPACK_SLOTS(S, e, name, cls, bytes) NDV__TARGETS_##cls(S, 0, "", e, name)
#define NDV__UNPACK_SLOTS_SWAPPED(S, e, name, cls, bytes) \
    NDV__IF_SWAPPABLE_##bytes(NDV__TARGETS_##cls(S, 1, "swapped/", e, name))
#define NDV__TOLIST_SLOTS(S, e, name, cls, bytes) S("tolist/" name, tolist[0][e])
#define NDV__TOLIST_SLOTS_SWAPPED(S, e, name, cls, bytes) \
    NDV__IF_SWAPPABLE_##bytes(S("tolist/swapped/" name, tolist[1][e]))

/* convert/<source>-><target> for every pair: the type list crossed with itself. */
#define NDV__CTYPES_X(X, S)                                                                   \
    X(S, NDV__CT_BOOL, "bool") X(S, NDV__CT_I8, "i8") X(S, NDV__CT_U8, "u8")                   \
    X(S, NDV__CT_I16, "i16") X(S, NDV__CT_U16, "u16") X(S, NDV__CT_I32, "i32")                 \
    X(S, NDV__CT_U32, "u32") X(S, NDV__CT_I64, "i64") X(S, NDV__CT_U64, "u64")                 \
    X(S, NDV__CT_F16, "f16") X(S, NDV__CT_F32, "f32") X(S, NDV__CT_F64, "f64")                 \
    X(S, NDV__CT_C64, "c64") X(S, NDV__CT_C128, "c128")
#define NDV__CONVERT_SLOTS_FROM(S, e, name) NDV__CONVERT_SLOTS_TO(S, e, name)
#define NDV__CONVERT_SLOTS_TO(S, e, name)                                                     \
    S("convert/" name "->bool", convert[e][NDV__CT_BOOL])                                      \
    S("convert/" name "->i8", convert[e][NDV__CT_I8]) S("convert/" name "->u8", convert[e][NDV__CT_U8]) \
    S("convert/" name "->i16", convert[e][NDV__CT_I16])                                        \
    S("convert/" name "->u16", convert[e][NDV__CT_U16])                                        \
    S("convert/" name "->i32", convert[e][NDV__CT_I32])                                        \
    S("convert/" name "->u32", convert[e][NDV__CT_U32])                                        \
    S("convert/" name "->i64", convert[e][NDV__CT_I64])                                        \
    S("convert/" name "->u64", convert[e][NDV__CT_U64])                                        \
    S("convert/" name "->f16", convert[e][NDV__CT_F16])                                        \
    S("convert/" name "->f32", convert[e][NDV__CT_F32])                                        \
    S("convert/" name "->f64", convert[e][NDV__CT_F64])                                        \
    S("convert/" name "->c64", convert[e][NDV__CT_C64])                                        \
    S("convert/" name "->c128", convert[e][NDV__CT_C128])

#define NDV__COUNT_SLOT(name, member) +1
enum { NDV__NSLOTS = 0 NDV__KERNEL_SLOTS(NDV__COUNT_SLOT) };

/*
 * Each level's table: ndv__kernels_init_<isa>(k, below) fills k, which
 * starts as a copy of below (the level under it on its ladder), keeping
 * below for the cases its own kernels hand down (edges, strides they do
 * not cover). The scalar level has no below. Defined in src/kernels/.
 */
void ndv__kernels_init_scalar(ndv__kernels *k, const ndv__kernels *below);
void ndv__kernels_init_scalar_values(ndv__kernels *k);
void ndv__kernels_init_scalar_convert(ndv__kernels *k);
void ndv__kernels_init_sse2(ndv__kernels *k, const ndv__kernels *below);
void ndv__kernels_init_sse41(ndv__kernels *k, const ndv__kernels *below);
void ndv__kernels_init_avx2(ndv__kernels *k, const ndv__kernels *below);
void ndv__kernels_init_avx512(ndv__kernels *k, const ndv__kernels *below);
void ndv__kernels_init_neon(ndv__kernels *k, const ndv__kernels *below);

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
