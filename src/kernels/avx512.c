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

static inline void step2_1(char *d, const char *s)
{
    _mm256_storeu_si256((__m256i *)d, _mm512_cvtepi16_epi8(load(s)));
}

static inline void step2_2(char *d, const char *s)
{
    _mm256_storeu_si256((__m256i *)d, _mm512_cvtepi32_epi16(load(s)));
}

static inline void step2_4(char *d, const char *s)
{
    const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    _mm512_storeu_si512((void *)d, _mm512_permutex2var_epi32(load(s), even, load(s + 64)));
}

static inline void step2_8(char *d, const char *s)
{
    const __m512i even = _mm512_setr_epi64(0, 2, 4, 6, 8, 10, 12, 14);
    _mm512_storeu_si512((void *)d, _mm512_permutex2var_epi64(load(s), even, load(s + 64)));
}

#define PREV_S1(...) prev_strided[0](__VA_ARGS__)
#define PREV_S2(...) prev_strided[1](__VA_ARGS__)
#define PREV_S4(...) prev_strided[2](__VA_ARGS__)
#define PREV_S8(...) prev_strided[3](__VA_ARGS__)
NDV__STEP2_KERNEL(strided1, 1, 32, step2_1, PREV_S1)
NDV__STEP2_KERNEL(strided2, 2, 16, step2_2, PREV_S2)
NDV__STEP2_KERNEL(strided4, 4, 16, step2_4, PREV_S4)
NDV__STEP2_KERNEL(strided8, 8, 8, step2_8, PREV_S8)

void ndv__kernels_init_avx512(ndv__kernels *k)
{
    memcpy(prev_strided, k->copy_strided, sizeof prev_strided);
    k->name = "avx512";
    k->copy_strided[0] = strided1;
    k->copy_strided[1] = strided2;
    k->copy_strided[2] = strided4;
    k->copy_strided[3] = strided8;
}
