/*
 * avx512.c - AVX-512 (F+BW+VL) kernels: every-other-item gathers with the
 * truncating moves (vpmov*: the low half of each pair is the even item) and
 * two-source permutes; the value kernels 16 values at a time.
 */
#include <immintrin.h>

#include "simd_common.h"


static inline __m512i load(const char *p)
{
    return _mm512_loadu_si512((const void *)p);
}

static inline __m256i even1(const char *s)
{
    return _mm512_cvtepi16_epi8(load(s));
}

static inline __m256i even2(const char *s)
{
    return _mm512_cvtepi32_epi16(load(s));
}

static inline __m512i even4(const char *s)
{
    const __m512i idx = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    return _mm512_permutex2var_epi32(load(s), idx, load(s + 64));
}

static inline __m512i even8(const char *s)
{
    const __m512i idx = _mm512_setr_epi64(0, 2, 4, 6, 8, 10, 12, 14);
    return _mm512_permutex2var_epi64(load(s), idx, load(s + 64));
}

#define STEPS(N, BITS)                                                            \
    static inline void step2_##N(char *d, const char *s)                          \
    {                                                                             \
        _mm##BITS##_storeu_si##BITS((void *)d, even##N(s));                       \
    }                                                                             \
    static inline void step2_##N##_stream(char *d, const char *s)                 \
    {                                                                             \
        _mm##BITS##_stream_si##BITS((void *)d, even##N(s));                       \
    }
STEPS(1, 256)
STEPS(2, 256)
STEPS(4, 512)
STEPS(8, 512)

NDV__STEP2_KERNEL(strided1, 1, 32, step2_1, step2_1_stream, _mm_sfence(), PREV_S1)
NDV__STEP2_KERNEL(strided2, 2, 16, step2_2, step2_2_stream, _mm_sfence(), PREV_S2)
NDV__STEP2_KERNEL(strided4, 4, 16, step2_4, step2_4_stream, _mm_sfence(), PREV_S4)
NDV__STEP2_KERNEL(strided8, 8, 8, step2_8, step2_8_stream, _mm_sfence(), PREV_S8)

/* ------------------------------------------------------------------------ */
/* Value kernels: 16 values (two 512-bit stores) a step; see simd_values.h    */
/* ------------------------------------------------------------------------ */

typedef __m512i vec;
typedef __m512i v32;
#define NDV__G 16
#define NDV__HAVE_F16
#define FENCE _mm_sfence()


static inline __m256i load256(const char *p)
{
    return _mm256_loadu_si256((const __m256i *)p);
}

static inline __m256i bswap16x16(__m256i x)
{
    const __m256i m = _mm256_setr_epi8(1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14, 1, 0,
                                       3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14);
    return _mm256_shuffle_epi8(x, m);
}

/* Reverse the bytes of each w-byte word (4 or 8); pshufb works per 128-bit lane. */
static inline __m512i bswap(__m512i x, int w)
{
    const __m512i m32 = _mm512_broadcast_i32x4(
        _mm_setr_epi8(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12));
    const __m512i m64 = _mm512_broadcast_i32x4(
        _mm_setr_epi8(7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8));
    return _mm512_shuffle_epi8(x, w == 4 ? m32 : m64);
}

static inline v32 ld_i8(const char *s)
{
    return _mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)s));
}
static inline v32 ld_u8(const char *s)
{
    return _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)s));
}
static inline v32 ld_bool(const char *s)
{
    return _mm512_min_epu32(ld_u8(s), _mm512_set1_epi32(1));
}
static inline v32 ld_i16(const char *s, int sw)
{
    return _mm512_cvtepi16_epi32(sw ? bswap16x16(load256(s)) : load256(s));
}
static inline v32 ld_u16(const char *s, int sw)
{
    return _mm512_cvtepu16_epi32(sw ? bswap16x16(load256(s)) : load256(s));
}
static inline v32 ld_32(const char *s, int sw)
{
    return sw ? bswap(load(s), 4) : load(s);
}
static inline void ext_s(v32 x, vec v[2])
{
    v[0] = _mm512_cvtepi32_epi64(_mm512_castsi512_si256(x));
    v[1] = _mm512_cvtepi32_epi64(_mm512_extracti64x4_epi64(x, 1));
}
static inline void ext_u(v32 x, vec v[2])
{
    v[0] = _mm512_cvtepu32_epi64(_mm512_castsi512_si256(x));
    v[1] = _mm512_cvtepu32_epi64(_mm512_extracti64x4_epi64(x, 1));
}
static inline void cvt_s(v32 x, vec v[2])
{
    v[0] = _mm512_castpd_si512(_mm512_cvtepi32_pd(_mm512_castsi512_si256(x)));
    v[1] = _mm512_castpd_si512(_mm512_cvtepi32_pd(_mm512_extracti64x4_epi64(x, 1)));
}
static inline void cvt_u(v32 x, vec v[2])
{
    v[0] = _mm512_castpd_si512(_mm512_cvtepu32_pd(_mm512_castsi512_si256(x)));
    v[1] = _mm512_castpd_si512(_mm512_cvtepu32_pd(_mm512_extracti64x4_epi64(x, 1)));
}
static inline void f32_f64(v32 x, vec v[2])
{
    v[0] = _mm512_castpd_si512(_mm512_cvtps_pd(_mm256_castsi256_ps(_mm512_castsi512_si256(x))));
    v[1] = _mm512_castpd_si512(
        _mm512_cvtps_pd(_mm256_castsi256_ps(_mm512_extracti64x4_epi64(x, 1))));
}
static inline void ld_64(const char *s, int sw, vec v[2])
{
    v[0] = sw ? bswap(load(s), 8) : load(s);
    v[1] = sw ? bswap(load(s + 64), 8) : load(s + 64);
}
static inline void ld_f16(const char *s, int sw, vec v[2])
{
    __m512 f = _mm512_cvtph_ps(sw ? bswap16x16(load256(s)) : load256(s));
    f32_f64(_mm512_castps_si512(f), v);
}
static inline bool any_neg(const vec v[2])
{
    return _mm512_test_epi64_mask(_mm512_or_si512(v[0], v[1]), _mm512_set1_epi64(INT64_MIN)) != 0;
}
static inline void store2(char *d, const vec v[2])
{
    _mm512_storeu_si512((void *)d, v[0]);
    _mm512_storeu_si512((void *)(d + 64), v[1]);
}
static inline void stream2(char *d, const vec v[2])
{
    _mm512_stream_si512((void *)d, v[0]);
    _mm512_stream_si512((void *)(d + 64), v[1]);
}

/*
 * Eight values become eight 24-byte ndv_values: 24 words [kind, value, 0]
 * x 8, each 512-bit store one two-source permute of the values and (kind, 0).
 */
static inline void list8(ndv_value *out, __m512i v, int64_t kind, bool stream)
{
    const __m512i i0 = _mm512_setr_epi64(8, 0, 9, 8, 1, 9, 8, 2);
    const __m512i i1 = _mm512_setr_epi64(9, 8, 3, 9, 8, 4, 9, 8);
    const __m512i i2 = _mm512_setr_epi64(5, 9, 8, 6, 9, 8, 7, 9);
    __m512i kz = _mm512_setr_epi64(kind, 0, 0, 0, 0, 0, 0, 0);
    __m512i w[3] = {_mm512_permutex2var_epi64(v, i0, kz), _mm512_permutex2var_epi64(v, i1, kz),
                    _mm512_permutex2var_epi64(v, i2, kz)};
    for (int j = 0; j < 3; j++) {
        if (stream)
            _mm512_stream_si512((void *)((char *)out + 64 * j), w[j]);
        else
            _mm512_storeu_si512((void *)((char *)out + 64 * j), w[j]);
    }
}

static inline void list2(ndv_value *out, const vec v[2], int64_t kind, bool stream)
{
    list8(out, v[0], kind, stream);
    list8(out + 8, v[1], kind, stream);
}

#include "simd_values.h"

static inline void stream64(char *d, const char *s)
{
    _mm512_stream_si512((void *)d, _mm512_loadu_si512((const void *)s));
}
NDV__STREAM_KERNEL(copy_stream, 64, stream64)

void ndv__kernels_init_avx512(ndv__kernels *k, const ndv__kernels *below)
{
    NDV__KEEP_LOWER(below);
    ndv__simd_values_install(k);
    NDV__INSTALL_STRIDED(k);
    k->copy_stream = copy_stream;
}
