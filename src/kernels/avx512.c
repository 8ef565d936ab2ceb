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

#define PREV_S1(...) prev_strided[0](__VA_ARGS__)
#define PREV_S2(...) prev_strided[1](__VA_ARGS__)
#define PREV_S4(...) prev_strided[2](__VA_ARGS__)
#define PREV_S8(...) prev_strided[3](__VA_ARGS__)
NDV__STEP2_KERNEL(strided1, 1, 32, step2_1, step2_1_stream, _mm_sfence(), PREV_S1)
NDV__STEP2_KERNEL(strided2, 2, 16, step2_2, step2_2_stream, _mm_sfence(), PREV_S2)
NDV__STEP2_KERNEL(strided4, 4, 16, step2_4, step2_4_stream, _mm_sfence(), PREV_S4)
NDV__STEP2_KERNEL(strided8, 8, 8, step2_8, step2_8_stream, _mm_sfence(), PREV_S8)

void ndv__kernels_init_avx512(ndv__kernels *k)
{
    memcpy(prev_strided, k->copy_strided, sizeof prev_strided);
    k->name = "avx512";
    k->copy_strided[0] = strided1;
    k->copy_strided[1] = strided2;
    k->copy_strided[2] = strided4;
    k->copy_strided[3] = strided8;
}
