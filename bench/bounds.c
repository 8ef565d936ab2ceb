/*
 * bounds.c - what any implementation can reach on a narrowing conversion
 * at DRAM sizes: the simplest loop for its access pattern (load, convert,
 * store 32 bytes), once with plain stores, as NumPy's cast loop stores, and
 * once with streaming stores, which save the destination's read for
 * ownership. Their ratio, same run, bounds what a store strategy can gain
 * over NumPy's loop; ndview's own case is beside them. And tolist's: read
 * 4 bytes, write one 24-byte ndv_value, with streaming stores, the least
 * time any tolist of int32 can take. x86-64 with AVX2 only (skipped
 * elsewhere, with the reason).
 */
#include <stdint.h>
#include <stdio.h>

#include "bench.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define TARGET __attribute__((target("avx2")))

/* 8 int64 -> 8 int32 (wrapping), 8 float64 -> 8 float32, 32 int32 -> 32 int8 (wrapping). */
TARGET static __m256i narrow_i64_i32(const char *s)
{
    const __m256i low = _mm256_setr_epi32(0, 2, 4, 6, 0, 2, 4, 6);
    __m256i a = _mm256_permutevar8x32_epi32(_mm256_loadu_si256((const __m256i *)s), low);
    __m256i b = _mm256_permutevar8x32_epi32(_mm256_loadu_si256((const __m256i *)(s + 32)), low);
    return _mm256_permute2x128_si256(a, b, 0x20);
}
TARGET static __m256i narrow_f64_f32(const char *s)
{
    __m128 a = _mm256_cvtpd_ps(_mm256_loadu_pd((const double *)s));
    __m128 b = _mm256_cvtpd_ps(_mm256_loadu_pd((const double *)(s + 32)));
    return _mm256_castps_si256(_mm256_set_m128(b, a));
}
TARGET static __m256i narrow_i32_i8(const char *s)
{
    const __m256i m = _mm256_set1_epi32(0xff);
    __m256i v[4];
    for (int k = 0; k < 4; k++)
        v[k] = _mm256_and_si256(_mm256_loadu_si256((const __m256i *)(s + 32 * k)), m);
    __m256i ab = _mm256_packus_epi32(v[0], v[1]), cd = _mm256_packus_epi32(v[2], v[3]);
    __m256i p = _mm256_packus_epi16(ab, cd); /* lanes: a0 b0 c0 d0 | a1 b1 c1 d1 (4 bytes each) */
    return _mm256_permutevar8x32_epi32(p, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
}

typedef struct {
    __m256i (*narrow)(const char *); /* 32 bytes out from 32 * ratio bytes in */
    int ratio;                       /* source bytes per output byte */
    int stream;
} bound;

TARGET static void bm_bound(cb_state *s, const void *arg)
{
    const bound *b = arg;
    if (!ndv_isa_supported(NDV_ISA_AVX2)) {
        cb_skip(s, "needs AVX2");
        return;
    }
    size_t n = (size_t)cb_range(s, 0);
    /* 64-byte aligned, like ndview's converting cases' buffers (bench_buffer) */
    const char *src = (const char *)bench_buffer(n * (size_t)b->ratio, 30, 1);
    char *dst = (char *)bench_buffer(n, 31, 2);
    while (cb_keep_running(s)) {
        if (b->stream)
            for (size_t i = 0; i < n; i += 32)
                _mm256_stream_si256((__m256i *)(dst + i), b->narrow(src + i * (size_t)b->ratio));
        else
            for (size_t i = 0; i < n; i += 32)
                _mm256_storeu_si256((__m256i *)(dst + i), b->narrow(src + i * (size_t)b->ratio));
        _mm_sfence();
        cb_clobber();
    }
    cb_set_bytes(s, (int64_t)n);
}

/* 8 int32 read, 8 x 24 bytes written (six 32-byte streaming stores), as tolist's access pattern. */
TARGET static void bm_tolist_bound(cb_state *s, const void *arg)
{
    (void)arg;
    if (!ndv_isa_supported(NDV_ISA_AVX2)) {
        cb_skip(s, "needs AVX2");
        return;
    }
    size_t n = (size_t)cb_range(s, 0);
    const char *src = (const char *)bench_buffer(n * 4, 32, 1);
    char *dst = (char *)bench_buffer(n * sizeof(ndv_value), 33, 0);
    while (cb_keep_running(s)) {
        for (size_t i = 0; i < n; i += 8) {
            __m256i v = _mm256_loadu_si256((const __m256i *)(src + 4 * i));
            for (int k = 0; k < 6; k++)
                _mm256_stream_si256((__m256i *)(dst + 24 * i + 32 * k), v);
        }
        _mm_sfence();
        cb_clobber();
    }
    cb_set_bytes(s, (int64_t)(n * sizeof(ndv_value)));
    cb_set_items(s, (int64_t)n);
}

void bench_register_bounds(void)
{
    cb_register("peer_loop_stream_tolist_i32", bm_tolist_bound, NULL, CB_ARGS(4194304));
    static const bound cases[][2] = {
        {{narrow_i64_i32, 2, 0}, {narrow_i64_i32, 2, 1}},
        {{narrow_f64_f32, 2, 0}, {narrow_f64_f32, 2, 1}},
        {{narrow_i32_i8, 4, 0}, {narrow_i32_i8, 4, 1}},
    };
    static const char *const names[] = {"i64_i32", "f64_f32", "i32_i8"};
    for (int i = 0; i < 3; i++) {
        char plain[64], stream[64];
        snprintf(plain, sizeof plain, "peer_loop_plain_%s", names[i]);
        snprintf(stream, sizeof stream, "peer_loop_stream_%s", names[i]);
        cb_register(plain, bm_bound, &cases[i][0], CB_ARGS(67108864));
        cb_register(stream, bm_bound, &cases[i][1], CB_ARGS(67108864));
    }
}
#else
void bench_register_bounds(void)
{
}
#endif
