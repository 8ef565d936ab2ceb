/*
 * convert_loops.h - the conversion kernels of every pair of the numeric
 * types, written once as plain C loops: NumPy's results bit for bit (its
 * casts are C casts, with npy_half's rules for float16). scalar_convert.c
 * compiles them at the baseline as the portable twins; each SIMD level's
 * file includes this header too, so the compiler vectorises the same loops
 * for that level's registers (the tests compare every level with scalar).
 * A level includes it after defining its own kernels for the pairs it
 * writes by hand, and installs those over these.
 *
 * Each pair is one instantiation of CONVERT below: load the source as its
 * natural C type (float16 widened exactly to float, complex as its real
 * part plus an imaginary part), then store it as the target does: bool as
 * "non-zero", integers and floats by C conversion (floats range-checked
 * first: NumPy leaves those undefined, ndview refuses them), float16 by
 * correct rounding from float or double, complex with its parts converted.
 */
#ifndef NDV_CONVERT_LOOPS_H
#define NDV_CONVERT_LOOPS_H

#include <stdint.h>
#include <string.h>

#include "../convert.h"
#include "kernels.h"

/* The class of each type: how it loads and how it stores. */
#define CLASS_NDV__CT_BOOL B
#define CLASS_NDV__CT_I8 I
#define CLASS_NDV__CT_U8 I
#define CLASS_NDV__CT_I16 I
#define CLASS_NDV__CT_U16 I
#define CLASS_NDV__CT_I32 I
#define CLASS_NDV__CT_U32 I
#define CLASS_NDV__CT_I64 I
#define CLASS_NDV__CT_U64 I
#define CLASS_NDV__CT_F16 H
#define CLASS_NDV__CT_F32 F
#define CLASS_NDV__CT_F64 F
#define CLASS_NDV__CT_C64 C
#define CLASS_NDV__CT_C128 C

/* Loading: the natural value (re) and the imaginary part (0 for reals). */
#define LOAD_B(s, T, re, im) int re = (s) != 0; int im = 0
#define LOAD_I(s, T, re, im) T re = (s); int im = 0
#define LOAD_F(s, T, re, im) T re = (s); int im = 0
#define LOAD_H(s, T, re, im) float re = ndv__f16_to_f32(s); int im = 0
#define LOAD_C(s, T, re, im) __typeof__((s).re) re = (s).re, im = (s).im
#define LOAD(CL, s, T, re, im) LOAD2(CL, s, T, re, im)
#define LOAD2(CL, s, T, re, im) LOAD_##CL(s, T, re, im)

/* Does a value of this class need a range check before becoming an integer? */
#define FLOATY_B 0
#define FLOATY_I 0
#define FLOATY_H 1
#define FLOATY_F 1
#define FLOATY_C 1
#define FLOATY(CL) FLOATY2(CL)
#define FLOATY2(CL) FLOATY_##CL

/*
 * Whether truncating x gives a value of the target integer type: NaN and
 * the infinities fail every comparison. The bounds are powers of two, exact
 * in double; 64-bit signed targets take -2^63 itself.
 */
#define IN_RANGE_NDV__CT_I8(x) (((x) > -129.0) & ((x) < 128.0))
#define IN_RANGE_NDV__CT_U8(x) (((x) > -1.0) & ((x) < 256.0))
#define IN_RANGE_NDV__CT_I16(x) (((x) > -32769.0) & ((x) < 32768.0))
#define IN_RANGE_NDV__CT_U16(x) (((x) > -1.0) & ((x) < 65536.0))
#define IN_RANGE_NDV__CT_I32(x) (((x) > -2147483649.0) & ((x) < 2147483648.0))
#define IN_RANGE_NDV__CT_U32(x) (((x) > -1.0) & ((x) < 4294967296.0))
#define IN_RANGE_NDV__CT_I64(x) (((x) >= -0x1p63) & ((x) < 0x1p63))
#define IN_RANGE_NDV__CT_U64(x) (((x) > -1.0) & ((x) < 0x1p64))
#define IN_RANGE_OF(D, x) IN_RANGE_##D((double)(x))

/* Storing re (+ im) as the target type D (storage type DT) at *out. */
#define STORE_B(D, DT, out, re, im) *(out) = (DT)((re) != 0 || (im) != 0)
#define STORE_I(D, DT, out, re, im) *(out) = (DT)(re)
#define STORE_F(D, DT, out, re, im) *(out) = (DT)(re)
#define STORE_H(D, DT, out, re, im)                                                         \
    *(out) = _Generic((re), double: ndv__f64_to_f16((double)(re)),                          \
                      default: ndv__f32_to_f16((float)(re)))
#define STORE_C(D, DT, out, re, im)                                                         \
    do {                                                                                    \
        (out)->re = (__typeof__((out)->re))(re);                                            \
        (out)->im = (__typeof__((out)->re))(im);                                            \
    } while (0)
#define STORE(CL, D, DT, out, re, im) STORE2(CL, D, DT, out, re, im)
#define STORE2(CL, D, DT, out, re, im) STORE_##CL(D, DT, out, re, im)

#define IS_INT_TARGET_B 0
#define IS_INT_TARGET_I 1
#define IS_INT_TARGET_H 0
#define IS_INT_TARGET_F 0
#define IS_INT_TARGET_C 0
#define IS_INT_TARGET(CL) IS_INT_TARGET2(CL)
#define IS_INT_TARGET2(CL) IS_INT_TARGET_##CL

/* A range check only float-like sources into integer targets compile. */
#define CHECKED_NDV__CT_BOOL(x) 1
#define CHECKED_NDV__CT_F16(x) 1
#define CHECKED_NDV__CT_F32(x) 1
#define CHECKED_NDV__CT_F64(x) 1
#define CHECKED_NDV__CT_C64(x) 1
#define CHECKED_NDV__CT_C128(x) 1
#define CHECKED_NDV__CT_I8(x) IN_RANGE_OF(NDV__CT_I8, x)
#define CHECKED_NDV__CT_U8(x) IN_RANGE_OF(NDV__CT_U8, x)
#define CHECKED_NDV__CT_I16(x) IN_RANGE_OF(NDV__CT_I16, x)
#define CHECKED_NDV__CT_U16(x) IN_RANGE_OF(NDV__CT_U16, x)
#define CHECKED_NDV__CT_I32(x) IN_RANGE_OF(NDV__CT_I32, x)
#define CHECKED_NDV__CT_U32(x) IN_RANGE_OF(NDV__CT_U32, x)
#define CHECKED_NDV__CT_I64(x) IN_RANGE_OF(NDV__CT_I64, x)
#define CHECKED_NDV__CT_U64(x) IN_RANGE_OF(NDV__CT_U64, x)

/*
 * One pair's loop. Float-to-integer pairs first check the whole run with a
 * branch-free reduction (so both loops vectorise) and look for the first
 * refused value only when there is one.
 */
#define CONVERT(S, ST, D, DT)                                                               \
    static inline int ok_##S##_##D(const char *src, ptrdiff_t i)                            \
    {                                                                                       \
        ST s;                                                                               \
        memcpy(&s, src + i * (ptrdiff_t)sizeof s, sizeof s);                                \
        LOAD(CLASS_##S, s, ST, re, im);                                                     \
        (void)re;                                                                           \
        (void)im;                                                                           \
        return CHECKED_##D(re);                                                             \
    }                                                                                       \
    static ptrdiff_t convert_##S##_##D(char *dst, const char *src, ptrdiff_t n)             \
    {                                                                                       \
        ptrdiff_t m = n;                                                                    \
        if (FLOATY(CLASS_##S) && IS_INT_TARGET(CLASS_##D)) {                                \
            int bad = 0; /* an int: GCC 12 vectorises no reduction into a bool */           \
            for (ptrdiff_t i = 0; i < n; i++)                                               \
                bad |= !ok_##S##_##D(src, i);                                               \
            if (bad)                                                                        \
                for (m = 0; m < n && ok_##S##_##D(src, m); m++)                             \
                    ;                                                                       \
        }                                                                                   \
        for (ptrdiff_t i = 0; i < m; i++) {                                                 \
            ST s;                                                                           \
            DT d;                                                                           \
            memcpy(&s, src + i * (ptrdiff_t)sizeof s, sizeof s);                            \
            LOAD(CLASS_##S, s, ST, re, im);                                                 \
            (void)im;                                                                       \
            STORE(CLASS_##D, D, DT, &d, re, im);                                            \
            memcpy(dst + i * (ptrdiff_t)sizeof d, &d, sizeof d);                            \
        }                                                                                   \
        return m;                                                                           \
    }

/* Every target for one source, then every source. */
#define FROM(S, name, ST)                                                                   \
    CONVERT(S, ST, NDV__CT_BOOL, uint8_t)                                                   \
    CONVERT(S, ST, NDV__CT_I8, int8_t)                                                      \
    CONVERT(S, ST, NDV__CT_U8, uint8_t)                                                     \
    CONVERT(S, ST, NDV__CT_I16, int16_t)                                                    \
    CONVERT(S, ST, NDV__CT_U16, uint16_t)                                                   \
    CONVERT(S, ST, NDV__CT_I32, int32_t)                                                    \
    CONVERT(S, ST, NDV__CT_U32, uint32_t)                                                   \
    CONVERT(S, ST, NDV__CT_I64, int64_t)                                                    \
    CONVERT(S, ST, NDV__CT_U64, uint64_t)                                                   \
    CONVERT(S, ST, NDV__CT_F16, uint16_t)                                                   \
    CONVERT(S, ST, NDV__CT_F32, float)                                                      \
    CONVERT(S, ST, NDV__CT_F64, double)                                                     \
    CONVERT(S, ST, NDV__CT_C64, ndv__c64)                                                   \
    CONVERT(S, ST, NDV__CT_C128, ndv__c128)

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic" /* __typeof__ picks a complex part's type */
NDV__CTYPES(FROM)
#pragma GCC diagnostic pop

/* Byte swaps of whole runs (the converting copy's load and store passes). */
#define SWAP_LOOP(NAME, T, BSWAP)                                                           \
    static void NAME(char *dst, const char *src, ptrdiff_t n)                               \
    {                                                                                       \
        for (ptrdiff_t i = 0; i < n; i++) {                                                 \
            T x;                                                                            \
            memcpy(&x, src + i * (ptrdiff_t)sizeof x, sizeof x);                            \
            x = BSWAP(x);                                                                   \
            memcpy(dst + i * (ptrdiff_t)sizeof x, &x, sizeof x);                            \
        }                                                                                   \
    }
SWAP_LOOP(swap_bytes2, uint16_t, __builtin_bswap16)
SWAP_LOOP(swap_bytes4, uint32_t, __builtin_bswap32)
SWAP_LOOP(swap_bytes8, uint64_t, __builtin_bswap64)

/*
 * float16 to float64 bit by bit, as NumPy's npy_halfbits_to_doublebits: a
 * signalling NaN stays signalling (a float16 -> float -> double path would
 * quiet it in the second conversion).
 */
static double f16_to_f64(uint16_t h)
{
    uint32_t f = ndv__f16_to_f32_bits(h);
    uint64_t sign = (uint64_t)(f >> 31) << 63, exp = (f >> 23) & 0xff, sig = f & 0x7fffff;
    uint64_t bits = exp == 0xff ? sign | 0x7ff0000000000000ull | (sig << 29)
                  : exp == 0    ? sign /* halves are never float subnormals */
                                : sign | ((exp + 896) << 52) | (sig << 29);
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

static ptrdiff_t convert_f16_f64(char *dst, const char *src, ptrdiff_t n)
{
    for (ptrdiff_t i = 0; i < n; i++) {
        uint16_t h;
        memcpy(&h, src + 2 * i, 2);
        double d = f16_to_f64(h);
        memcpy(dst + 8 * i, &d, 8);
    }
    return n;
}

static ptrdiff_t convert_f16_c128(char *dst, const char *src, ptrdiff_t n)
{
    for (ptrdiff_t i = 0; i < n; i++) {
        uint16_t h;
        memcpy(&h, src + 2 * i, 2);
        ndv__c128 c = {f16_to_f64(h), 0.0};
        memcpy(dst + 16 * i, &c, 16);
    }
    return n;
}

/* The same type on both sides: the bytes as they are, as NumPy copies them. */
#define SAME(S, ST)                                                                         \
    static ptrdiff_t same_##S(char *dst, const char *src, ptrdiff_t n)                      \
    {                                                                                       \
        memcpy(dst, src, (size_t)n * sizeof(ST));                                           \
        return n;                                                                           \
    }
#define SAME_FOR(S, name, ST) SAME(S, ST)
NDV__CTYPES(SAME_FOR)

#define INSTALL_TO(S, D) k->convert[S][D] = convert_##S##_##D;
#define INSTALL_FROM(S, name, ST)                                                           \
    INSTALL_TO(S, NDV__CT_BOOL) INSTALL_TO(S, NDV__CT_I8) INSTALL_TO(S, NDV__CT_U8)         \
    INSTALL_TO(S, NDV__CT_I16) INSTALL_TO(S, NDV__CT_U16) INSTALL_TO(S, NDV__CT_I32)        \
    INSTALL_TO(S, NDV__CT_U32) INSTALL_TO(S, NDV__CT_I64) INSTALL_TO(S, NDV__CT_U64)        \
    INSTALL_TO(S, NDV__CT_F16) INSTALL_TO(S, NDV__CT_F32) INSTALL_TO(S, NDV__CT_F64)        \
    INSTALL_TO(S, NDV__CT_C64) INSTALL_TO(S, NDV__CT_C128)

#define INSTALL_SAME(S, name, ST) k->convert[S][S] = same_##S;

static void ndv__install_convert_loops(ndv__kernels *k)
{
    NDV__CTYPES(INSTALL_FROM)
    NDV__CTYPES(INSTALL_SAME)
    k->swap_bytes[0] = swap_bytes2;
    k->swap_bytes[1] = swap_bytes4;
    k->swap_bytes[2] = swap_bytes8;
    k->convert[NDV__CT_F16][NDV__CT_F64] = convert_f16_f64;
    k->convert[NDV__CT_F16][NDV__CT_C128] = convert_f16_c128;
}

#endif
