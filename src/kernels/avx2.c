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
static inline __m256i even1(const char *s)
{
    __m256i m = _mm256_set1_epi16(0xff);
    __m256i p = _mm256_packus_epi16(_mm256_and_si256(load(s), m), _mm256_and_si256(load(s + 32), m));
    return _mm256_permute4x64_epi64(p, 0xd8);
}

static inline __m256i even2(const char *s)
{
    __m256i a = _mm256_srai_epi32(_mm256_slli_epi32(load(s), 16), 16);
    __m256i b = _mm256_srai_epi32(_mm256_slli_epi32(load(s + 32), 16), 16);
    return _mm256_permute4x64_epi64(_mm256_packs_epi32(a, b), 0xd8);
}

static inline __m256i even4(const char *s)
{
    __m256 a = _mm256_castsi256_ps(load(s)), b = _mm256_castsi256_ps(load(s + 32));
    __m256 e = _mm256_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0));
    return _mm256_permute4x64_epi64(_mm256_castps_si256(e), 0xd8);
}

static inline __m256i even8(const char *s)
{
    return _mm256_permute4x64_epi64(_mm256_unpacklo_epi64(load(s), load(s + 32)), 0xd8);
}

#define STEPS(N)                                                                  \
    static inline void step2_##N(char *d, const char *s)                          \
    {                                                                             \
        _mm256_storeu_si256((__m256i *)d, even##N(s));                            \
    }                                                                             \
    static inline void step2_##N##_stream(char *d, const char *s)                 \
    {                                                                             \
        _mm256_stream_si256((__m256i *)d, even##N(s));                            \
    }
STEPS(1)
STEPS(2)
STEPS(4)
STEPS(8)

#define PREV_S1(...) prev_strided[0](__VA_ARGS__)
#define PREV_S2(...) prev_strided[1](__VA_ARGS__)
#define PREV_S4(...) prev_strided[2](__VA_ARGS__)
#define PREV_S8(...) prev_strided[3](__VA_ARGS__)
NDV__STEP2_KERNEL(strided1, 1, 32, step2_1, step2_1_stream, _mm_sfence(), PREV_S1)
NDV__STEP2_KERNEL(strided2, 2, 16, step2_2, step2_2_stream, _mm_sfence(), PREV_S2)
NDV__STEP2_KERNEL(strided4, 4, 8, step2_4, step2_4_stream, _mm_sfence(), PREV_S4)
NDV__STEP2_KERNEL(strided8, 8, 4, step2_8, step2_8_stream, _mm_sfence(), PREV_S8)

/* stream: non-temporal stores (32-byte aligned destinations only). */
static inline void micro4_impl(char *d, ptrdiff_t ds, const char *s, ptrdiff_t ss, const bool stream)
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
        __m256 lo = _mm256_permute2f128_ps(r[i], r[i + 4], 0x20);
        __m256 hi = _mm256_permute2f128_ps(r[i], r[i + 4], 0x31);
        if (stream) {
            _mm256_stream_ps((float *)(d + i * ds), lo);
            _mm256_stream_ps((float *)(d + (i + 4) * ds), hi);
        } else {
            _mm256_storeu_ps((float *)(d + i * ds), lo);
            _mm256_storeu_ps((float *)(d + (i + 4) * ds), hi);
        }
    }
}

static inline void micro8_impl(char *d, ptrdiff_t ds, const char *s, ptrdiff_t ss, const bool stream)
{
    __m256d r0 = _mm256_loadu_pd((const double *)s), r1 = _mm256_loadu_pd((const double *)(s + ss));
    __m256d r2 = _mm256_loadu_pd((const double *)(s + 2 * ss));
    __m256d r3 = _mm256_loadu_pd((const double *)(s + 3 * ss));
    __m256d t0 = _mm256_unpacklo_pd(r0, r1), t1 = _mm256_unpackhi_pd(r0, r1);
    __m256d t2 = _mm256_unpacklo_pd(r2, r3), t3 = _mm256_unpackhi_pd(r2, r3);
    __m256d o[4] = {_mm256_permute2f128_pd(t0, t2, 0x20), _mm256_permute2f128_pd(t1, t3, 0x20),
                    _mm256_permute2f128_pd(t0, t2, 0x31), _mm256_permute2f128_pd(t1, t3, 0x31)};
    for (int i = 0; i < 4; i++) {
        if (stream)
            _mm256_stream_pd((double *)(d + i * ds), o[i]);
        else
            _mm256_storeu_pd((double *)(d + i * ds), o[i]);
    }
}

static inline void micro4(char *d, ptrdiff_t ds, const char *s, ptrdiff_t ss)
{
    micro4_impl(d, ds, s, ss, false);
}

static inline void micro4_stream(char *d, ptrdiff_t ds, const char *s, ptrdiff_t ss)
{
    micro4_impl(d, ds, s, ss, true);
}

static inline void micro8(char *d, ptrdiff_t ds, const char *s, ptrdiff_t ss)
{
    micro8_impl(d, ds, s, ss, false);
}

static inline void micro8_stream(char *d, ptrdiff_t ds, const char *s, ptrdiff_t ss)
{
    micro8_impl(d, ds, s, ss, true);
}

#define PREV_T4(...) prev_tile[2](__VA_ARGS__)
#define PREV_T8(...) prev_tile[3](__VA_ARGS__)
NDV__TILE_KERNEL(tile4_cached, 4, 8, 64, micro4, PREV_T4)
NDV__TILE_KERNEL(tile8_cached, 8, 4, 32, micro8, PREV_T8)

/*
 * Large transposes are memory-bound: move whole 64-byte lines. A block is
 * one line of each of L source rows (L items each), so every source line is
 * read once and every destination line written once, whole, with streaming
 * stores (no read for ownership). Blocks walk along the source rows, which
 * the prefetcher follows; software prefetch covers the row switches.
 */
#define STREAM_TILE(NAME, IS, L, B, MICRO, CACHED)                                               \
    static void NAME(char *dst, ptrdiff_t ds0, ptrdiff_t ds1, const char *src, ptrdiff_t ss0,  \
                     ptrdiff_t ss1, ptrdiff_t n0, ptrdiff_t n1)                                 \
    {                                                                                           \
        if (ds1 != (IS) || ss0 != (IS) || n0 * n1 * (IS) < NDV__STREAM_BYTES ||                \
            (uintptr_t)dst % 64 || ds0 % 64) {                                                  \
            CACHED(dst, ds0, ds1, src, ss0, ss1, n0, n1);                                       \
            return;                                                                             \
        }                                                                                       \
        ptrdiff_t m0 = n0 - n0 % (L), m1 = n1 - n1 % (L);                                       \
        for (ptrdiff_t j = 0; j < m1; j += (L)) {                                               \
            for (ptrdiff_t i = 0; i < m0; i += (L)) {                                           \
                for (int r = 0; r < (L); r++) /* the lines of the block after next */          \
                    _mm_prefetch(src + (j + r) * ss1 + (i + 2 * (L)) * (IS), _MM_HINT_T0);      \
                for (int a = 0; a < (L); a += (B))                                              \
                    for (int b = 0; b < (L); b += (B))                                          \
                        MICRO(dst + (i + a) * ds0 + (j + b) * (IS), ds0,                        \
                              src + (j + b) * ss1 + (i + a) * (IS), ss1);                       \
            }                                                                                   \
        }                                                                                       \
        _mm_sfence();                                                                           \
        if (m1 < n1)                                                                            \
            CACHED(dst + m1 * ds1, ds0, ds1, src + m1 * ss1, ss0, ss1, m0, n1 - m1);            \
        if (m0 < n0)                                                                            \
            CACHED(dst + m0 * ds0, ds0, ds1, src + m0 * ss0, ss0, ss1, n0 - m0, n1);            \
    }

STREAM_TILE(tile4, 4, 16, 8, micro4_stream, tile4_cached)
STREAM_TILE(tile8, 8, 8, 4, micro8_stream, tile8_cached)

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
