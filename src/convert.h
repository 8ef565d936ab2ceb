/*
 * convert.h - loading and storing one value of a field: byte order, half
 * floats, and the float rounding rules struct.pack applies.
 */
#ifndef NDV_CONVERT_H
#define NDV_CONVERT_H

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "internal.h"

static inline bool ndv__host_little(void)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return false;
#else
    return true;
#endif
}

/* Does a field stored in this order need its bytes reversed on this host? */
static inline bool ndv__needs_swap(char order)
{
    return (order == '<') != ndv__host_little();
}

static inline void ndv__reverse(unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n / 2; i++) {
        unsigned char t = p[i];
        p[i] = p[n - 1 - i];
        p[n - 1 - i] = t;
    }
}

/* Copy n (<= 16) bytes of a value to out, in host order. */
static inline void ndv__load(void *out, const char *p, size_t n, char order)
{
    memcpy(out, p, n);
    if (n > 1 && ndv__needs_swap(order))
        ndv__reverse(out, n);
}

static inline void ndv__store(char *p, const void *in, size_t n, char order)
{
    unsigned char tmp[16];
    memcpy(tmp, in, n);
    if (n > 1 && ndv__needs_swap(order))
        ndv__reverse(tmp, n);
    memcpy(p, tmp, n);
}

/*
 * IEEE binary16 -> double, exactly (subnormals, infinities). A NaN keeps its
 * payload and comes out quiet, as the F16C and NEON conversions make it.
 */
static inline double ndv__half_to_double(uint16_t h)
{
    int sign = h >> 15, exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
    double v;
    if (exp == 0) {
        v = ldexp(mant, -24);
    } else if (exp == 31) {
        if (mant == 0) {
            v = INFINITY;
        } else {
            uint64_t bits = (0x7ffULL << 52) | (1ULL << 51) | ((uint64_t)mant << 42);
            memcpy(&v, &bits, sizeof v);
        }
    } else {
        v = ldexp(mant + 1024, exp - 25);
    }
    return sign ? -v : v;
}

/*
 * double -> binary16 with round-half-even, as PyFloat_Pack2. false when a
 * finite value is too large (CPython: "float too large to pack with e
 * format").
 */
static inline bool ndv__double_to_half(double x, uint16_t *out)
{
    uint16_t sign = signbit(x) ? 0x8000 : 0;
    double a = fabs(x);
    if (isnan(x)) {
        *out = sign | 0x7e00;
        return true;
    }
    if (isinf(a)) {
        *out = sign | 0x7c00;
        return true;
    }
    if (a < 0x1p-14) { /* subnormal (or zero): multiples of 2^-24 */
        *out = sign | (uint16_t)nearbyint(a * 0x1p24);
        return true;
    }
    int e;
    double m = nearbyint(frexp(a, &e) * 2048.0); /* 11 significant bits */
    if (m == 2048.0) {
        m = 1024.0;
        e++;
    }
    int biased = e - 1 + 15;
    if (biased >= 31)
        return false;
    *out = sign | (uint16_t)(biased << 10) | (uint16_t)((int)m - 1024);
    return true;
}

/*
 * double -> float. A finite value beyond FLT_MAX rounds to FLT_MAX or to
 * infinity as IEEE rounding would; *overflowed tells the caller it became
 * infinite (standard-size 'f' refuses that, native 'f' keeps it).
 */
static inline float ndv__double_to_float(double x, bool *overflowed)
{
    *overflowed = false;
    if (isfinite(x) && fabs(x) > FLT_MAX) {
        /* Half an ulp above FLT_MAX rounds up (FLT_MAX's significand is odd). */
        if (fabs(x) >= (double)FLT_MAX + 0x1p103) {
            *overflowed = true;
            return x < 0 ? -INFINITY : INFINITY;
        }
        return x < 0 ? -FLT_MAX : FLT_MAX;
    }
    return (float)x;
}

/*
 * Half floats for converting copies, with NumPy's results bit for bit
 * (npy_half.c): exact widening that keeps a NaN's payload as it is (no
 * quieting), and round-to-nearest-even narrowing where overflow gives
 * infinity and a NaN keeps the top bits of its payload (never becoming
 * infinity). The struct-module conversions above keep CPython's rules.
 */
static inline uint32_t ndv__f16_to_f32_bits(uint16_t h)
{
    uint32_t sign = (uint32_t)(h & 0x8000) << 16, exp = (h >> 10) & 0x1f, sig = h & 0x3ff;
    if (exp == 0x1f)
        return sign | 0x7f800000u | (sig << 13);
    if (exp != 0)
        return sign | ((exp + 112) << 23) | (sig << 13);
    if (sig == 0)
        return sign;
    int shift = 0; /* subnormal: normalise; every half is exact in a float */
    while (!(sig & 0x400)) {
        sig <<= 1;
        shift++;
    }
    return sign | ((uint32_t)(113 - shift) << 23) | ((sig & 0x3ff) << 13);
}

static inline float ndv__f16_to_f32(uint16_t h)
{
    uint32_t bits = ndv__f16_to_f32_bits(h);
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

/*
 * A finite magnitude given as sig * 2^exp2 (sig < 2^63, not zero) rounded
 * to the nearest half, ties to even; 0x7c00 (infinity) past the largest.
 */
static inline uint16_t ndv__round_to_half(uint64_t sig, int exp2)
{
    int top = 63 - __builtin_clzll(sig);   /* the value is in [2^(top+exp2), 2^(top+exp2+1)) */
    int e = top + exp2;                     /* its unbiased exponent */
    int q = e < -14 ? -24 : e - 10;         /* the exponent of one unit in the last place */
    if (e > 15)
        return 0x7c00;
    int shift = q - exp2;                   /* bits of sig below that unit */
    uint64_t units;
    if (shift <= 0) {
        units = sig << -shift;              /* exact (fewer bits than a half holds) */
    } else if (shift >= 64) {
        units = 0;                          /* below half the smallest subnormal */
        if (shift == 64 && sig > (1ull << 63))
            units = 1;
    } else {
        units = sig >> shift;
        uint64_t rest = sig & ((1ull << shift) - 1), half = 1ull << (shift - 1);
        if (rest > half || (rest == half && (units & 1)))
            units++;
    }
    /* units * 2^q: a subnormal below 2^-14 (q = -24), else 1024..2048 units of 2^q */
    if (q == -24)
        return (uint16_t)units; /* 1024 units is the smallest normal: the bits agree */
    if (units == 2048) {
        units = 1024;
        q++;
    }
    int biased = q + 10 + 15;
    if (biased >= 31)
        return 0x7c00;
    return (uint16_t)((biased << 10) | (units - 1024));
}

static inline uint16_t ndv__f64_to_f16(double d)
{
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    uint16_t sign = (uint16_t)(bits >> 48) & 0x8000;
    uint64_t exp = (bits >> 52) & 0x7ff, sig = bits & 0xfffffffffffffull;
    if (exp == 0x7ff) {
        if (sig == 0)
            return sign | 0x7c00;
        uint16_t h = (uint16_t)(0x7c00 | (sig >> 42)); /* the payload's top bits */
        return sign | (h == 0x7c00 ? 0x7c01 : h);
    }
    if (exp == 0 && sig == 0)
        return sign;
    if (exp == 0) /* a double subnormal is far below half the smallest half subnormal */
        return sign;
    return sign | ndv__round_to_half(sig | (1ull << 52), (int)exp - 1075);
}

static inline uint16_t ndv__f32_to_f16(float f)
{
    uint32_t bits;
    memcpy(&bits, &f, sizeof bits);
    uint16_t sign = (uint16_t)(bits >> 16) & 0x8000;
    uint32_t exp = (bits >> 23) & 0xff, sig = bits & 0x7fffff;
    if (exp == 0xff) {
        if (sig == 0)
            return sign | 0x7c00;
        uint16_t h = (uint16_t)(0x7c00 | (sig >> 13));
        return sign | (h == 0x7c00 ? 0x7c01 : h);
    }
    if (exp == 0 && sig == 0)
        return sign;
    if (exp == 0)
        return sign | ndv__round_to_half(sig, -149);
    return sign | ndv__round_to_half(sig | (1u << 23), (int)exp - 150);
}

#endif
