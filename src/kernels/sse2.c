/*
 * sse2.c - x86-64 baseline kernels: every-other-item gathers and 4x4 / 2x2
 * transposes in 128-bit registers, large transposes in chunks (chunk_tile.h);
 * the value kernels (sse_values.h) with SSE2's shifts and interleaves for
 * widening and byte swaps.
 */
#include <emmintrin.h>

#include "simd_common.h"
#include "sse_transpose.h"
#include "sse_values.h"


/* Bytes: keep the low byte of each 16-bit pair, then pack. */
static inline void step2_1(char *d, const char *s)
{
    __m128i m = _mm_set1_epi16(0xff);
    __m128i a = _mm_and_si128(_mm_loadu_si128((const __m128i *)s), m);
    __m128i b = _mm_and_si128(_mm_loadu_si128((const __m128i *)(s + 16)), m);
    _mm_storeu_si128((__m128i *)d, _mm_packus_epi16(a, b));
}

/* 16-bit: sign-extend the low half of each 32-bit pair so the signed pack is exact. */
static inline void step2_2(char *d, const char *s)
{
    __m128i a = _mm_loadu_si128((const __m128i *)s), b = _mm_loadu_si128((const __m128i *)(s + 16));
    a = _mm_srai_epi32(_mm_slli_epi32(a, 16), 16);
    b = _mm_srai_epi32(_mm_slli_epi32(b, 16), 16);
    _mm_storeu_si128((__m128i *)d, _mm_packs_epi32(a, b));
}

static inline void step2_4(char *d, const char *s)
{
    __m128 a = _mm_loadu_ps((const float *)s), b = _mm_loadu_ps((const float *)(s + 16));
    _mm_storeu_ps((float *)d, _mm_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0)));
}

static inline void step2_8(char *d, const char *s)
{
    __m128i a = _mm_loadu_si128((const __m128i *)s), b = _mm_loadu_si128((const __m128i *)(s + 16));
    _mm_storeu_si128((__m128i *)d, _mm_unpacklo_epi64(a, b));
}

NDV__STEP2_KERNEL(strided1, 1, 16, step2_1, step2_1, (void)0, PREV_S1)
NDV__STEP2_KERNEL(strided2, 2, 8, step2_2, step2_2, (void)0, PREV_S2)
NDV__STEP2_KERNEL(strided4, 4, 4, step2_4, step2_4, (void)0, PREV_S4)
NDV__STEP2_KERNEL(strided8, 8, 2, step2_8, step2_8, (void)0, PREV_S8)

static inline void micro4(char *d, ptrdiff_t ds, const char *s, ptrdiff_t ss)
{
    __m128 r0 = _mm_loadu_ps((const float *)s), r1 = _mm_loadu_ps((const float *)(s + ss));
    __m128 r2 = _mm_loadu_ps((const float *)(s + 2 * ss)),
           r3 = _mm_loadu_ps((const float *)(s + 3 * ss));
    _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
    _mm_storeu_ps((float *)d, r0);
    _mm_storeu_ps((float *)(d + ds), r1);
    _mm_storeu_ps((float *)(d + 2 * ds), r2);
    _mm_storeu_ps((float *)(d + 3 * ds), r3);
}

static inline void micro8(char *d, ptrdiff_t ds, const char *s, ptrdiff_t ss)
{
    __m128i r0 = _mm_loadu_si128((const __m128i *)s);
    __m128i r1 = _mm_loadu_si128((const __m128i *)(s + ss));
    _mm_storeu_si128((__m128i *)d, _mm_unpacklo_epi64(r0, r1));
    _mm_storeu_si128((__m128i *)(d + ds), _mm_unpackhi_epi64(r0, r1));
}

NDV__TILE_KERNEL(tile1, 1, 16, 64, micro1, PREV_T1)
NDV__TILE_KERNEL(tile2, 2, 8, 64, micro2, PREV_T2)
NDV__TILE_KERNEL(tile4, 4, 4, 64, micro4, PREV_T4)
NDV__TILE_KERNEL(tile8, 8, 2, 32, micro8, PREV_T8)

/*
 * Large transposes in chunks (chunk_tile.h): this level's tiles store
 * through the cache, 0.2-0.35x memcpy for transposes of 64 MiB (AMD EPYC,
 * report of a22c98d). 1- and 2-byte items in AVX2's shapes; 4- and 8-byte
 * items in 64 rows by 1024 bytes (AVX2's 128 by 512 ran the 3-D rotation
 * at 0.93x of this, 0 of 8 process pairs faster; batched transposes even).
 */
#define CHUNK_VEC_BYTES 16

static inline void chunk_in(char *d, const char *s)
{
    _mm_store_si128((__m128i *)d, _mm_loadu_si128((const __m128i *)s));
}

static inline void stream16(char *d, const char *s)
{
    _mm_stream_si128((__m128i *)d, _mm_loadu_si128((const __m128i *)s));
}
#define CHUNK_STREAM stream16

#include "chunk_tile.h"

NDV__CHUNK_TILE(tile1_chunks, 1, 256, 256, 32, micro1, 16, 16, 256 * 1024, PTRDIFF_MAX, tile1)
NDV__CHUNK_TILE(tile2_chunks, 2, 128, 256, 16, micro2, 8, 16, 256 * 1024, PTRDIFF_MAX, tile2)
NDV__CHUNK_TILE(tile4_chunks, 4, 64, 1024, 16, micro4, 4, 16, 256 * 1024, PTRDIFF_MAX, tile4)
NDV__CHUNK_TILE(tile8_chunks, 8, 64, 1024, 16, micro8, 2, 16, 256 * 1024, PTRDIFF_MAX, tile8)

NDV__STREAM_KERNEL(copy_stream, 16, stream16)
NDV__RUNS_STREAM_KERNEL(copy_runs_stream, 16, stream16)

void ndv__kernels_init_sse2(ndv__kernels *k, const ndv__kernels *below)
{
    NDV__KEEP_LOWER(below);
    ndv__sse_values_install(k);
    NDV__INSTALL_STRIDED(k);
    k->copy_tile[0] = tile1;
    k->copy_tile[1] = tile2;
    NDV__INSTALL_TILES_4_8(k);
    k->copy_tile_stream[0] = tile1_chunks;
    k->copy_tile_stream[1] = tile2_chunks;
    k->copy_tile_stream[2] = tile4_chunks;
    k->copy_tile_stream[3] = tile8_chunks;
    k->copy_stream = copy_stream;
    k->copy_runs_stream = copy_runs_stream;
}
