/*
 * sse_values.h - the 128-bit primitives of the x86 value kernels, for
 * sse2.c (baseline SSE2) and sse41.c (compiled with SSSE3 + SSE4.1, where
 * byte swaps are one pshufb and widening is one pmovsx/pmovzx). See
 * simd_values.h for what each primitive means.
 */
#ifndef NDV_SSE_VALUES_H
#define NDV_SSE_VALUES_H

#include <emmintrin.h>
#if defined(__SSE4_1__)
#include <smmintrin.h>
#endif

#include "simd_common.h"

typedef __m128i vec;
typedef __m128i v32;
#define NDV__G 4
#define FENCE _mm_sfence()


static inline __m128i loadu(const char *s)
{
    return _mm_loadu_si128((const __m128i *)s);
}

static inline __m128i load4(const char *s)
{
    int32_t r;
    memcpy(&r, s, 4);
    return _mm_cvtsi32_si128(r);
}

#if defined(__SSSE3__)
static inline __m128i bswap16(__m128i x)
{
    return _mm_shuffle_epi8(x, _mm_setr_epi8(1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14));
}
static inline __m128i bswap32(__m128i x)
{
    return _mm_shuffle_epi8(x, _mm_setr_epi8(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12));
}
static inline __m128i bswap64(__m128i x)
{
    return _mm_shuffle_epi8(x, _mm_setr_epi8(7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8));
}
#else
/* SSE2 has no byte shuffle: swap the bytes of each word, then the words. */
static inline __m128i bswap16(__m128i x)
{
    return _mm_or_si128(_mm_slli_epi16(x, 8), _mm_srli_epi16(x, 8));
}
static inline __m128i bswap32(__m128i x)
{
    return _mm_shufflehi_epi16(_mm_shufflelo_epi16(bswap16(x), 0xb1), 0xb1);
}
static inline __m128i bswap64(__m128i x)
{
    return _mm_shufflehi_epi16(_mm_shufflelo_epi16(bswap16(x), 0x1b), 0x1b);
}
#endif

#if defined(__SSE4_1__)
static inline v32 ld_i8(const char *s) { return _mm_cvtepi8_epi32(load4(s)); }
static inline v32 ld_u8(const char *s) { return _mm_cvtepu8_epi32(load4(s)); }
static inline v32 ld_bool(const char *s) { return _mm_min_epu32(ld_u8(s), _mm_set1_epi32(1)); }
static inline v32 ld_i16(const char *s, int sw)
{
    __m128i x = _mm_loadl_epi64((const __m128i *)s);
    return _mm_cvtepi16_epi32(sw ? bswap16(x) : x);
}
static inline v32 ld_u16(const char *s, int sw)
{
    __m128i x = _mm_loadl_epi64((const __m128i *)s);
    return _mm_cvtepu16_epi32(sw ? bswap16(x) : x);
}
static inline void ext_s(v32 x, vec v[2])
{
    v[0] = _mm_cvtepi32_epi64(x);
    v[1] = _mm_cvtepi32_epi64(_mm_srli_si128(x, 8));
}
#else
/* Widening by interleaving a value with itself, then an arithmetic shift. */
static inline v32 ld_i8(const char *s)
{
    __m128i x = load4(s);
    x = _mm_unpacklo_epi8(x, x);
    return _mm_srai_epi32(_mm_unpacklo_epi16(x, x), 24);
}
static inline v32 ld_u8(const char *s)
{
    __m128i z = _mm_setzero_si128();
    return _mm_unpacklo_epi16(_mm_unpacklo_epi8(load4(s), z), z);
}
static inline v32 ld_bool(const char *s)
{
    __m128i zero = _mm_cmpeq_epi32(ld_u8(s), _mm_setzero_si128());
    return _mm_andnot_si128(zero, _mm_set1_epi32(1));
}
static inline v32 ld_i16(const char *s, int sw)
{
    __m128i x = _mm_loadl_epi64((const __m128i *)s);
    x = sw ? bswap16(x) : x;
    return _mm_srai_epi32(_mm_unpacklo_epi16(x, x), 16);
}
static inline v32 ld_u16(const char *s, int sw)
{
    __m128i x = _mm_loadl_epi64((const __m128i *)s);
    return _mm_unpacklo_epi16(sw ? bswap16(x) : x, _mm_setzero_si128());
}
static inline void ext_s(v32 x, vec v[2])
{
    __m128i sign = _mm_srai_epi32(x, 31);
    v[0] = _mm_unpacklo_epi32(x, sign);
    v[1] = _mm_unpackhi_epi32(x, sign);
}
#endif

static inline v32 ld_32(const char *s, int sw)
{
    return sw ? bswap32(loadu(s)) : loadu(s);
}

static inline void ext_u(v32 x, vec v[2])
{
    v[0] = _mm_unpacklo_epi32(x, _mm_setzero_si128());
    v[1] = _mm_unpackhi_epi32(x, _mm_setzero_si128());
}

static inline void cvt_s(v32 x, vec v[2])
{
    v[0] = _mm_castpd_si128(_mm_cvtepi32_pd(x));
    v[1] = _mm_castpd_si128(_mm_cvtepi32_pd(_mm_srli_si128(x, 8)));
}

/* uint32 to double: flip the top bit, convert as signed, add 2^31 back (all exact). */
static inline void cvt_u(v32 x, vec v[2])
{
    __m128d bias = _mm_set1_pd(2147483648.0);
    x = _mm_xor_si128(x, _mm_set1_epi32(INT32_MIN));
    v[0] = _mm_castpd_si128(_mm_add_pd(_mm_cvtepi32_pd(x), bias));
    v[1] = _mm_castpd_si128(_mm_add_pd(_mm_cvtepi32_pd(_mm_srli_si128(x, 8)), bias));
}

static inline void f32_f64(v32 x, vec v[2])
{
    v[0] = _mm_castpd_si128(_mm_cvtps_pd(_mm_castsi128_ps(x)));
    v[1] = _mm_castpd_si128(_mm_cvtps_pd(_mm_castsi128_ps(_mm_srli_si128(x, 8))));
}

static inline void ld_64(const char *s, int sw, vec v[2])
{
    v[0] = sw ? bswap64(loadu(s)) : loadu(s);
    v[1] = sw ? bswap64(loadu(s + 16)) : loadu(s + 16);
}

static inline bool any_neg(const vec v[2])
{
    return _mm_movemask_pd(_mm_castsi128_pd(_mm_or_si128(v[0], v[1]))) != 0;
}

static inline void store2(char *d, const vec v[2])
{
    _mm_storeu_si128((__m128i *)d, v[0]);
    _mm_storeu_si128((__m128i *)(d + 16), v[1]);
}

static inline void stream2(char *d, const vec v[2])
{
    _mm_stream_si128((__m128i *)d, v[0]);
    _mm_stream_si128((__m128i *)(d + 16), v[1]);
}

/* Two values as [kind, a, 0] [kind, b, 0]: three 16-byte stores. */
static inline void list2(ndv_value *out, const vec v[2], int64_t kind, bool stream)
{
    __m128i k = _mm_set1_epi64x(kind), z = _mm_setzero_si128();
    for (int h = 0; h < 2; h++) {
        __m128i *o = (__m128i *)(out + 2 * h);
        __m128i w0 = _mm_unpacklo_epi64(k, v[h]), w1 = _mm_unpacklo_epi64(z, k),
                w2 = _mm_unpackhi_epi64(v[h], z);
        if (stream) {
            _mm_stream_si128(o, w0);
            _mm_stream_si128(o + 1, w1);
            _mm_stream_si128(o + 2, w2);
        } else {
            _mm_storeu_si128(o, w0);
            _mm_storeu_si128(o + 1, w1);
            _mm_storeu_si128(o + 2, w2);
        }
    }
}

#if defined(__SSSE3__)
#define NDV__HAVE_SHUFFLE16
static inline void shuffle16(char *out, const char *in, const uint8_t *mask, const uint8_t *seps)
{
    __m128i w = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)in),
                                 _mm_loadu_si128((const __m128i *)mask));
    _mm_storeu_si128((__m128i *)out, _mm_or_si128(w, _mm_loadu_si128((const __m128i *)seps)));
}
#endif

#include "simd_values.h"

/* ------------------------------------------------------------------------ */
/* Float equality and hex                                                    */
/* ------------------------------------------------------------------------ */

#if !defined(__SSE4_1__)
#endif

/* SSE4.1 adds nothing to float equality: that level keeps SSE2's. */
#if !defined(__SSE4_1__)
/* Ordered compares: NaN is never equal, -0.0 equals 0.0. */
static inline bool same_f64(const char *a, const char *b)
{
    __m128d x = _mm_loadu_pd((const double *)a), y = _mm_loadu_pd((const double *)b);
    return _mm_movemask_pd(_mm_cmpeq_pd(x, y)) == 0x3;
}

static inline bool same_f32(const char *a, const char *b)
{
    __m128 x = _mm_loadu_ps((const float *)a), y = _mm_loadu_ps((const float *)b);
    return _mm_movemask_ps(_mm_cmpeq_ps(x, y)) == 0xf;
}
#endif

#if !defined(__SSE4_1__)
NDV__EQUAL_KERNEL(equal_f64, 8, 2, same_f64, lower->equal_float[1])
NDV__EQUAL_KERNEL(equal_f32, 4, 4, same_f32, lower->equal_float[0])
#endif

/* Nibbles (0..15 per byte) to lowercase hex digits. */
static inline __m128i hex_digits(__m128i n)
{
#if defined(__SSSE3__)
    return _mm_shuffle_epi8(_mm_setr_epi8('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b',
                                          'c', 'd', 'e', 'f'), n);
#else
    /* '0' + n, and 'a' - '0' - 10 more above 9 */
    __m128i above9 = _mm_cmpgt_epi8(n, _mm_set1_epi8(9));
    return _mm_add_epi8(_mm_add_epi8(n, _mm_set1_epi8('0')),
                        _mm_and_si128(above9, _mm_set1_epi8('a' - '0' - 10)));
#endif
}

static void hex(char *dst, const unsigned char *src, ptrdiff_t n)
{
    const __m128i low = _mm_set1_epi8(0x0f);
    ptrdiff_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(src + i));
        __m128i hi = hex_digits(_mm_and_si128(_mm_srli_epi16(x, 4), low));
        __m128i lo = hex_digits(_mm_and_si128(x, low));
        _mm_storeu_si128((__m128i *)(dst + 2 * i), _mm_unpacklo_epi8(hi, lo));
        _mm_storeu_si128((__m128i *)(dst + 2 * i + 16), _mm_unpackhi_epi8(hi, lo));
    }
    lower->hex(dst + 2 * i, src + i, n - i);
}

#if defined(__SSSE3__)
NDV__HEX_SEP_KERNEL(hex)
#endif

/* Every value kernel of the 128-bit levels into k. */
static void ndv__sse_values_install(ndv__kernels *k)
{
    ndv__simd_values_install(k);
    k->hex = hex;
#if defined(__SSSE3__)
    k->hex_sep = hex_sep;
#endif
#if !defined(__SSE4_1__)
    NDV__INSTALL_EQUAL(k);
#endif
}

#endif
