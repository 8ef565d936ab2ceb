/*
 * simplest.c - the simplest loop for each contiguous conversion's access
 * pattern: load, convert with AVX2's shortest instruction sequence, store
 * 32 bytes; no checks, no byte order, nothing past the last whole vector.
 * No kernel can do the same work in much less time, so it bounds what any
 * conversion can gain over NumPy on a machine: bench/peers.py times it
 * (libndview-simplest.so, through ctypes, one call like np.copyto's) on the
 * same arrays, taking turns with ndview and NumPy, and bench/bounds.c inside
 * ndview-bench. x86-64 with AVX2 only; elsewhere every pair is refused.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "simplest.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define TARGET __attribute__((target("avx2")))

/* 32 bytes of output from the source at s. */
TARGET static __m256i i8_f32(const char *s)
{
    __m256i v = _mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)s));
    return _mm256_castps_si256(_mm256_cvtepi32_ps(v));
}
TARGET static __m256i u8_f32(const char *s)
{
    __m256i v = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)s));
    return _mm256_castps_si256(_mm256_cvtepi32_ps(v));
}
TARGET static __m256i i16_f32(const char *s)
{
    __m256i v = _mm256_cvtepi16_epi32(_mm_loadu_si128((const __m128i *)s));
    return _mm256_castps_si256(_mm256_cvtepi32_ps(v));
}
TARGET static __m256i u16_f32(const char *s)
{
    __m256i v = _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)s));
    return _mm256_castps_si256(_mm256_cvtepi32_ps(v));
}
TARGET static __m256i i32_f32(const char *s)
{
    return _mm256_castps_si256(_mm256_cvtepi32_ps(_mm256_loadu_si256((const __m256i *)s)));
}
TARGET static __m256i f32_i32(const char *s)
{
    return _mm256_cvttps_epi32(_mm256_loadu_ps((const float *)s));
}
TARGET static __m256i i32_f64(const char *s)
{
    return _mm256_castpd_si256(_mm256_cvtepi32_pd(_mm_loadu_si128((const __m128i *)s)));
}
TARGET static __m256i u32_f64(const char *s)
{
    __m128i v = _mm_xor_si128(_mm_loadu_si128((const __m128i *)s), _mm_set1_epi32(INT32_MIN));
    return _mm256_castpd_si256(_mm256_add_pd(_mm256_cvtepi32_pd(v), _mm256_set1_pd(2147483648.0)));
}
TARGET static __m256i i32_i64(const char *s)
{
    return _mm256_cvtepi32_epi64(_mm_loadu_si128((const __m128i *)s));
}
TARGET static __m256i i16_i64(const char *s)
{
    return _mm256_cvtepi16_epi64(_mm_loadl_epi64((const __m128i *)s));
}
TARGET static __m256i i8_i64(const char *s)
{
    return _mm256_cvtepi8_epi64(_mm_cvtsi32_si128(*(const int *)s));
}
TARGET static __m256i f32_f64(const char *s)
{
    return _mm256_castpd_si256(_mm256_cvtps_pd(_mm_loadu_ps((const float *)s)));
}
TARGET static __m256i f64_f32(const char *s)
{
    __m128 a = _mm256_cvtpd_ps(_mm256_loadu_pd((const double *)s));
    __m128 b = _mm256_cvtpd_ps(_mm256_loadu_pd((const double *)(s + 32)));
    return _mm256_castps_si256(_mm256_set_m128(b, a));
}
TARGET static __m256i i64_i32(const char *s)
{
    __m256 e = _mm256_shuffle_ps(_mm256_loadu_ps((const float *)s),
                                 _mm256_loadu_ps((const float *)(s + 32)), _MM_SHUFFLE(2, 0, 2, 0));
    return _mm256_permute4x64_epi64(_mm256_castps_si256(e), 0xd8);
}
TARGET static __m256i i32_i8(const char *s)
{
    const __m256i m = _mm256_set1_epi32(0xff);
    __m256i v[4];
    for (int k = 0; k < 4; k++)
        v[k] = _mm256_and_si256(_mm256_loadu_si256((const __m256i *)(s + 32 * k)), m);
    __m256i ab = _mm256_packus_epi32(v[0], v[1]), cd = _mm256_packus_epi32(v[2], v[3]);
    __m256i p = _mm256_packus_epi16(ab, cd);
    return _mm256_permutevar8x32_epi32(p, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
}

/* One loop per pair, the conversion inlined into it (a call per vector would be the bound). */
#define LOOP(P, STEP)                                                                        \
    TARGET static void run_##P(char *d, const char *s, size_t n, int stream)                 \
    {                                                                                       \
        if (stream) {                                                                       \
            for (size_t i = 0; i + 32 <= n; i += 32, s += (STEP))                           \
                _mm256_stream_si256((__m256i *)(d + i), P(s));                              \
            _mm_sfence();                                                                   \
        } else {                                                                            \
            for (size_t i = 0; i + 32 <= n; i += 32, s += (STEP))                           \
                _mm256_storeu_si256((__m256i *)(d + i), P(s));                              \
        }                                                                                   \
    }
/* Each pair and its source bytes per 32 bytes out. */
#define PAIRS(X)                                                                             \
    X(i8_f32, 8) X(u8_f32, 8) X(i16_f32, 16) X(u16_f32, 16) X(i32_f32, 32) X(f32_i32, 32)    \
    X(i32_f64, 16) X(u32_f64, 16) X(f32_f64, 16) X(f64_f32, 64) X(i64_i32, 64) X(i32_i8, 128)  \
    X(i8_i64, 4) X(i16_i64, 8) X(i32_i64, 16)
PAIRS(LOOP)

#define ROW(P, STEP) {#P, run_##P},
static const struct {
    const char *name;
    void (*run)(char *d, const char *s, size_t n, int stream);
} pairs[] = {PAIRS(ROW)};

int ndvb_simplest_convert(const char *pair, int stream, void *dst, const void *src,
                          size_t out_bytes)
{
    if (!__builtin_cpu_supports("avx2") || (stream && (uintptr_t)dst % 32 != 0))
        return -1;
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        if (strcmp(pairs[i].name, pair) == 0) {
            pairs[i].run(dst, src, out_bytes, stream);
            return 0;
        }
    }
    return -1;
}
#else
int ndvb_simplest_convert(const char *pair, int stream, void *dst, const void *src,
                          size_t out_bytes)
{
    (void)pair, (void)stream, (void)dst, (void)src, (void)out_bytes;
    return -1;
}
#endif
