/*
 * avx2_convert.h - the conversions AVX2 (with F16C) does by hand, over the
 * loops convert_loops.h vectorises: float16 both ways, float64 to float16
 * in one correct rounding, and floats to int32 with the range check fused
 * into the conversion. Included once, by avx2.c.
 */
#ifndef NDV_AVX2_CONVERT_H
#define NDV_AVX2_CONVERT_H

#include <immintrin.h>
#include <stdint.h>

#define LOWER_CONVERT(S, D) lower->convert[NDV__CT_##S][NDV__CT_##D]

/*
 * One kernel: groups of G values, each LOADed, checked with RARE and
 * STOREd. A group RARE flags (a NaN whose payload F16C would change, a
 * float out of int32's range) goes to the level below, which gives NumPy's
 * bits or stops at the refused value; the kernel stops there too, so nothing
 * after a refused value is stored, as ndv_convert promises. The common case
 * is the inner loop's fall-through: with a taken branch per group the same
 * loop ran at half the speed (Zen 3).
 */
#define GROUP_KERNEL(NAME, S, D, SS, DS, G, LOAD, RARE, STORE)                               \
    static ptrdiff_t NAME(char *dst, const char *src, ptrdiff_t n)                          \
    {                                                                                       \
        ptrdiff_t i = 0;                                                                    \
        for (;;) {                                                                          \
            for (; i + (G) <= n; i += (G)) {                                                \
                __typeof__(LOAD(src)) v = LOAD(src + (SS) * i);                             \
                if (__builtin_expect(RARE(v), 0))                                           \
                    break;                                                                  \
                STORE(dst + (DS) * i, v);                                                   \
            }                                                                               \
            if (i + (G) > n)                                                                \
                break;                                                                      \
            ptrdiff_t m = LOWER_CONVERT(S, D)(dst + (DS) * i, src + (SS) * i, (G));         \
            if (m < (G))                                                                    \
                return i + m;                                                               \
            i += (G);                                                                       \
        }                                                                                   \
        return i == n ? n : i + LOWER_CONVERT(S, D)(dst + (DS) * i, src + (SS) * i, n - i); \
    }

static inline __m128i load_h8(const char *s)
{
    return _mm_loadu_si128((const __m128i *)s);
}
static inline __m256 load_f8(const char *s)
{
    return _mm256_loadu_ps((const float *)s);
}

/* ------------------------------------------------------------------------ */
/* float16 with F16C                                                         */
/* ------------------------------------------------------------------------ */

/*
 * F16C quiets signalling NaNs, and narrows a NaN whose top payload bits are
 * zero to the quiet NaN, where NumPy keeps the bits as they are: those go
 * to the level below, which does NumPy's bits.
 */
static inline bool has_snan16(__m128i h)
{
    __m128i exp = _mm_cmpeq_epi16(_mm_and_si128(h, _mm_set1_epi16(0x7e00)), _mm_set1_epi16(0x7c00));
    __m128i sig = _mm_cmpeq_epi16(_mm_and_si128(h, _mm_set1_epi16(0x01ff)), _mm_setzero_si128());
    return _mm_movemask_epi8(_mm_andnot_si128(sig, exp)) != 0;
}
static inline bool has_nan32(__m256 f)
{
    return _mm256_movemask_ps(_mm256_cmp_ps(f, f, _CMP_UNORD_Q)) != 0;
}
static inline void store_h8_f32(char *d, __m128i h)
{
    _mm256_storeu_ps((float *)d, _mm256_cvtph_ps(h));
}
static inline void store_h8_f64(char *d, __m128i h)
{
    __m256 f = _mm256_cvtph_ps(h);
    _mm256_storeu_pd((double *)d, _mm256_cvtps_pd(_mm256_castps256_ps128(f)));
    _mm256_storeu_pd((double *)(d + 32), _mm256_cvtps_pd(_mm256_extractf128_ps(f, 1)));
}
/* Round to nearest even, overflow to infinity, subnormals: as NumPy. */
static inline void store_f8_f16(char *d, __m256 f)
{
    _mm_storeu_si128((__m128i *)d, _mm256_cvtps_ph(f, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
}

/*
 * float64 to float16 rounded once: narrowing to float32 rounded to odd (the
 * RZ result with its last bit set when inexact) keeps enough bits (24 >=
 * 11 + 2) for F16C's round to nearest even to give the correctly rounded
 * half, subnormal halves and overflow to infinity included. The RZ result
 * is the RNE one stepped one unit towards zero when that rounded away.
 */
static inline __m128 f64_to_f32_odd(__m256d x)
{
    const __m256d abs = _mm256_castsi256_pd(_mm256_set1_epi64x(INT64_MAX));
    __m128 y = _mm256_cvtpd_ps(x);
    __m256d back = _mm256_cvtps_pd(y);
    __m256d away = _mm256_cmp_pd(_mm256_and_pd(back, abs), _mm256_and_pd(x, abs), _CMP_GT_OQ);
    __m256d inexact = _mm256_cmp_pd(back, x, _CMP_NEQ_OQ);
    const __m256i low32 = _mm256_setr_epi32(0, 2, 4, 6, 0, 2, 4, 6);
    __m128i a = _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(_mm256_castpd_si256(away), low32));
    __m128i e = _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(_mm256_castpd_si256(inexact), low32));
    __m128i bits = _mm_add_epi32(_mm_castps_si128(y), a); /* a is -1 where it rounded away */
    return _mm_castsi128_ps(_mm_or_si128(bits, _mm_and_si128(e, _mm_set1_epi32(1))));
}
static inline __m256d load_d4(const char *s)
{
    return _mm256_loadu_pd((const double *)s);
}
static inline bool has_nan64(__m256d x)
{
    return _mm256_movemask_pd(_mm256_cmp_pd(x, x, _CMP_UNORD_Q)) != 0;
}
static inline void store_d4_f16(char *d, __m256d x)
{
    __m128i h = _mm_cvtps_ph(f64_to_f32_odd(x), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    _mm_storel_epi64((__m128i *)d, h);
}

GROUP_KERNEL(f16c_f16_f32, F16, F32, 2, 4, 8, load_h8, has_snan16, store_h8_f32)
GROUP_KERNEL(f16c_f16_f64, F16, F64, 2, 8, 8, load_h8, has_snan16, store_h8_f64)
GROUP_KERNEL(f16c_f32_f16, F32, F16, 4, 2, 8, load_f8, has_nan32, store_f8_f16)
GROUP_KERNEL(f16c_f64_f16, F64, F16, 8, 2, 4, load_d4, has_nan64, store_d4_f16)

/* ------------------------------------------------------------------------ */
/* floats to int32, checked on the way                                       */
/* ------------------------------------------------------------------------ */

/*
 * cvtt gives INT32_MIN for NaN, the infinities and everything out of range,
 * and for -2^31 itself: a group holding that value is the rare one.
 */
static inline __m256i cvt_f8_i32(const char *s)
{
    return _mm256_cvttps_epi32(load_f8(s));
}
static inline __m128i cvt_d4_i32(const char *s)
{
    return _mm256_cvttpd_epi32(load_d4(s));
}
static inline bool has_min8(__m256i v)
{
    return !_mm256_testz_si256(_mm256_cmpeq_epi32(v, _mm256_set1_epi32(INT32_MIN)),
                               _mm256_set1_epi32(-1));
}
static inline bool has_min4(__m128i v)
{
    return !_mm_testz_si128(_mm_cmpeq_epi32(v, _mm_set1_epi32(INT32_MIN)), _mm_set1_epi32(-1));
}
static inline void store_i8(char *d, __m256i v)
{
    _mm256_storeu_si256((__m256i *)d, v);
}
static inline void store_i4(char *d, __m128i v)
{
    _mm_storeu_si128((__m128i *)d, v);
}

GROUP_KERNEL(cvt_f32_i32, F32, I32, 4, 4, 8, cvt_f8_i32, has_min8, store_i8)
GROUP_KERNEL(cvt_f64_i32, F64, I32, 8, 4, 4, cvt_d4_i32, has_min4, store_i4)

static void ndv__avx2_convert_install(ndv__kernels *k)
{
    k->convert[NDV__CT_F16][NDV__CT_F32] = f16c_f16_f32;
    k->convert[NDV__CT_F16][NDV__CT_F64] = f16c_f16_f64;
    k->convert[NDV__CT_F32][NDV__CT_F16] = f16c_f32_f16;
    k->convert[NDV__CT_F64][NDV__CT_F16] = f16c_f64_f16;
    k->convert[NDV__CT_F32][NDV__CT_I32] = cvt_f32_i32;
    k->convert[NDV__CT_F64][NDV__CT_I32] = cvt_f64_i32;
}

#endif
