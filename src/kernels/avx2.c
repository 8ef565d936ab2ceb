/*
 * avx2.c - AVX2 kernels: every-other-item gathers and 8x8 (32-bit) / 4x4
 * (64-bit) transposes in 256-bit registers.
 */
#include <immintrin.h>

#include "simd_common.h"

static ndv__strided_fn prev_strided[NDV__NSIZES];
static ndv__tile_fn prev_tile[NDV__NSIZES];

static inline __m256i load(const char *p)
{
    return _mm256_loadu_si256((const __m256i *)p);
}

/* The packs work per 128-bit lane; a 64-bit permute restores the order. */
static inline void step2_1(char *d, const char *s)
{
    __m256i m = _mm256_set1_epi16(0xff);
    __m256i p = _mm256_packus_epi16(_mm256_and_si256(load(s), m), _mm256_and_si256(load(s + 32), m));
    _mm256_storeu_si256((__m256i *)d, _mm256_permute4x64_epi64(p, 0xd8));
}

static inline void step2_2(char *d, const char *s)
{
    __m256i a = _mm256_srai_epi32(_mm256_slli_epi32(load(s), 16), 16);
    __m256i b = _mm256_srai_epi32(_mm256_slli_epi32(load(s + 32), 16), 16);
    _mm256_storeu_si256((__m256i *)d, _mm256_permute4x64_epi64(_mm256_packs_epi32(a, b), 0xd8));
}

static inline void step2_4(char *d, const char *s)
{
    __m256 a = _mm256_castsi256_ps(load(s)), b = _mm256_castsi256_ps(load(s + 32));
    __m256 e = _mm256_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0));
    _mm256_storeu_si256((__m256i *)d, _mm256_permute4x64_epi64(_mm256_castps_si256(e), 0xd8));
}

static inline void step2_8(char *d, const char *s)
{
    __m256i e = _mm256_unpacklo_epi64(load(s), load(s + 32));
    _mm256_storeu_si256((__m256i *)d, _mm256_permute4x64_epi64(e, 0xd8));
}

#define PREV_S1(...) prev_strided[0](__VA_ARGS__)
#define PREV_S2(...) prev_strided[1](__VA_ARGS__)
#define PREV_S4(...) prev_strided[2](__VA_ARGS__)
#define PREV_S8(...) prev_strided[3](__VA_ARGS__)
NDV__STEP2_KERNEL(strided1, 1, 32, step2_1, PREV_S1)
NDV__STEP2_KERNEL(strided2, 2, 16, step2_2, PREV_S2)
NDV__STEP2_KERNEL(strided4, 4, 8, step2_4, PREV_S4)
NDV__STEP2_KERNEL(strided8, 8, 4, step2_8, PREV_S8)

static inline void micro4(char *d, ptrdiff_t ds, const char *s, ptrdiff_t ss)
{
    __m256 r[8], t[8];
    for (int i = 0; i < 8; i++)
        r[i] = _mm256_loadu_ps((const float *)(s + i * ss));
    for (int i = 0; i < 4; i++) {
        t[2 * i] = _mm256_unpacklo_ps(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm256_unpackhi_ps(r[2 * i], r[2 * i + 1]);
    }
    for (int i = 0; i < 2; i++) {
        r[4 * i + 0] = _mm256_shuffle_ps(t[4 * i], t[4 * i + 2], _MM_SHUFFLE(1, 0, 1, 0));
        r[4 * i + 1] = _mm256_shuffle_ps(t[4 * i], t[4 * i + 2], _MM_SHUFFLE(3, 2, 3, 2));
        r[4 * i + 2] = _mm256_shuffle_ps(t[4 * i + 1], t[4 * i + 3], _MM_SHUFFLE(1, 0, 1, 0));
        r[4 * i + 3] = _mm256_shuffle_ps(t[4 * i + 1], t[4 * i + 3], _MM_SHUFFLE(3, 2, 3, 2));
    }
    for (int i = 0; i < 4; i++) {
        _mm256_storeu_ps((float *)(d + i * ds), _mm256_permute2f128_ps(r[i], r[i + 4], 0x20));
        _mm256_storeu_ps((float *)(d + (i + 4) * ds), _mm256_permute2f128_ps(r[i], r[i + 4], 0x31));
    }
}

static inline void micro8(char *d, ptrdiff_t ds, const char *s, ptrdiff_t ss)
{
    __m256d r0 = _mm256_loadu_pd((const double *)s), r1 = _mm256_loadu_pd((const double *)(s + ss));
    __m256d r2 = _mm256_loadu_pd((const double *)(s + 2 * ss));
    __m256d r3 = _mm256_loadu_pd((const double *)(s + 3 * ss));
    __m256d t0 = _mm256_unpacklo_pd(r0, r1), t1 = _mm256_unpackhi_pd(r0, r1);
    __m256d t2 = _mm256_unpacklo_pd(r2, r3), t3 = _mm256_unpackhi_pd(r2, r3);
    _mm256_storeu_pd((double *)d, _mm256_permute2f128_pd(t0, t2, 0x20));
    _mm256_storeu_pd((double *)(d + ds), _mm256_permute2f128_pd(t1, t3, 0x20));
    _mm256_storeu_pd((double *)(d + 2 * ds), _mm256_permute2f128_pd(t0, t2, 0x31));
    _mm256_storeu_pd((double *)(d + 3 * ds), _mm256_permute2f128_pd(t1, t3, 0x31));
}

#define PREV_T4(...) prev_tile[2](__VA_ARGS__)
#define PREV_T8(...) prev_tile[3](__VA_ARGS__)
NDV__TILE_KERNEL(tile4, 4, 8, 64, micro4, PREV_T4)
NDV__TILE_KERNEL(tile8, 8, 4, 32, micro8, PREV_T8)

void ndv__kernels_init_avx2(ndv__kernels *k)
{
    memcpy(prev_strided, k->copy_strided, sizeof prev_strided);
    memcpy(prev_tile, k->copy_tile, sizeof prev_tile);
    k->name = "avx2";
    k->copy_strided[0] = strided1;
    k->copy_strided[1] = strided2;
    k->copy_strided[2] = strided4;
    k->copy_strided[3] = strided8;
    k->copy_tile[2] = tile4;
    k->copy_tile[3] = tile8;
}
