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

#endif
