/*
 * avx512.c - AVX-512 (F+BW+VL) kernels: every-other-item gathers with the
 * truncating moves (vpmov*: the low half of each pair is the even item) and
 * two-source permutes.
 */
#include <immintrin.h>

#include "simd_common.h"

static ndv__strided_fn prev_strided[NDV__NSIZES];

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
/* Value kernels: 8 values (one 512-bit store) a step                       */
/* ------------------------------------------------------------------------ */

static ndv__unpack_fn prev_unpack[2][NDV__NSRC][3];

static inline __m256i bswap32x8(__m256i x)
{
    const __m256i m = _mm256_setr_epi8(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12, 3, 2,
                                       1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);
    return _mm256_shuffle_epi8(x, m);
}

static inline __m256i load256(const char *p)
{
    return _mm256_loadu_si256((const __m256i *)p);
}

#define MK_I8(s) _mm512_cvtepi8_epi64(_mm_loadl_epi64((const __m128i *)(s)))
#define MK_U8(s) _mm512_cvtepu8_epi64(_mm_loadl_epi64((const __m128i *)(s)))
#define MK_I16(s) _mm512_cvtepi16_epi64(_mm_loadu_si128((const __m128i *)(s)))
#define MK_U16(s) _mm512_cvtepu16_epi64(_mm_loadu_si128((const __m128i *)(s)))
#define MK_I32(s) _mm512_cvtepi32_epi64(load256(s))
#define MK_U32(s) _mm512_cvtepu32_epi64(load256(s))
#define MK_I32SW(s) _mm512_cvtepi32_epi64(bswap32x8(load256(s)))
#define MK_I32F(s) _mm512_castpd_si512(_mm512_cvtepi32_pd(load256(s)))
#define MK_F32(s) _mm512_castpd_si512(_mm512_cvtps_pd(_mm256_loadu_ps((const float *)(s))))
#define MK_F32SW(s) _mm512_castpd_si512(_mm512_cvtps_pd(_mm256_castsi256_ps(bswap32x8(load256(s)))))
#define MK_F16(s) \
    _mm512_castpd_si512(_mm512_cvtps_pd(_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(s)))))

#define UNPACK8(NAME, IS, MAKE, SW, SRC, TO)                                            \
    static inline void NAME##_step(char *d, const char *s)                              \
    {                                                                                   \
        _mm512_storeu_si512((void *)d, MAKE(s));                                        \
    }                                                                                   \
    static inline void NAME##_stream(char *d, const char *s)                            \
    {                                                                                   \
        _mm512_stream_si512((void *)d, MAKE(s));                                        \
    }                                                                                   \
    NDV__UNPACK_KERNEL(NAME, IS, 8, NAME##_step, NAME##_stream, _mm_sfence(),           \
                       prev_unpack[SW][SRC][TO])

NDV__X86_UNPACKS(UNPACK8)

static void init_values(ndv__kernels *k)
{
    memcpy(prev_unpack, k->unpack, sizeof prev_unpack);
    NDV__X86_UNPACKS(NDV__INSTALL_UNPACK)
}

void ndv__kernels_init_avx512(ndv__kernels *k)
{
    init_values(k);
    memcpy(prev_strided, k->copy_strided, sizeof prev_strided);
    k->name = "avx512";
    k->copy_strided[0] = strided1;
    k->copy_strided[1] = strided2;
    k->copy_strided[2] = strided4;
    k->copy_strided[3] = strided8;
}
