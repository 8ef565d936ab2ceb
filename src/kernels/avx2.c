/*
 * avx2.c - AVX2 kernels: every-other-item gathers and 8x8 (32-bit) / 4x4
 * (64-bit) transposes in 256-bit registers.
 */
#include <immintrin.h>

#include "simd_common.h"
#include "sse_transpose.h"
#include "convert_loops.h" /* compiled here with this level's flags */


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

NDV__STEP2_KERNEL(strided1, 1, 32, step2_1, step2_1_stream, _mm_sfence(), PREV_S1)
NDV__STEP2_KERNEL(strided2, 2, 16, step2_2, step2_2_stream, _mm_sfence(), PREV_S2)
NDV__STEP2_KERNEL(strided4, 4, 8, step2_4, step2_4_stream, _mm_sfence(), PREV_S4)
NDV__STEP2_KERNEL(strided8, 8, 4, step2_8, step2_8_stream, _mm_sfence(), PREV_S8)

/* out[r] = column r of the 8x8 floats at s (rows ss bytes apart). */
static inline void t8x8(const char *s, ptrdiff_t ss, __m256 out[8])
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
        out[i] = _mm256_permute2f128_ps(r[i], r[i + 4], 0x20);
        out[i + 4] = _mm256_permute2f128_ps(r[i], r[i + 4], 0x31);
    }
}

/* The 8x8 floats at s, transposed into d (cached stores: tiles that stay in cache). */
static inline void micro4(char *d, ptrdiff_t ds, const char *s, ptrdiff_t ss)
{
    __m256 o[8];
    t8x8(s, ss, o);
    for (int i = 0; i < 8; i++)
        _mm256_storeu_ps((float *)(d + i * ds), o[i]);
}

/*
 * 8 whole destination lines (16 floats each) from 16 source rows, with
 * streaming stores: both halves of a line are stored back to back, so each
 * line leaves its write-combining buffer whole (64-byte aligned lines only).
 * Storing the halves apart (7 other half lines between them) ran at half
 * the speed: f32 4096^2 0.40x against 0.76x memcpy, same run, AMD EPYC AVX2.
 */
static inline void micro4_lines(char *d, ptrdiff_t ds, const char *s, ptrdiff_t ss)
{
    __m256 lo[8], hi[8];
    t8x8(s, ss, lo);
    t8x8(s + 8 * ss, ss, hi);
    for (int i = 0; i < 8; i++) {
        _mm256_stream_ps((float *)(d + i * ds), lo[i]);
        _mm256_stream_ps((float *)(d + i * ds + 32), hi[i]);
    }
}

/* out[r] = column r of the 4x4 doubles at s (rows ss bytes apart). */
static inline void t4x4(const char *s, ptrdiff_t ss, __m256d out[4])
{
    __m256d r0 = _mm256_loadu_pd((const double *)s), r1 = _mm256_loadu_pd((const double *)(s + ss));
    __m256d r2 = _mm256_loadu_pd((const double *)(s + 2 * ss));
    __m256d r3 = _mm256_loadu_pd((const double *)(s + 3 * ss));
    __m256d t0 = _mm256_unpacklo_pd(r0, r1), t1 = _mm256_unpackhi_pd(r0, r1);
    __m256d t2 = _mm256_unpacklo_pd(r2, r3), t3 = _mm256_unpackhi_pd(r2, r3);
    out[0] = _mm256_permute2f128_pd(t0, t2, 0x20);
    out[1] = _mm256_permute2f128_pd(t1, t3, 0x20);
    out[2] = _mm256_permute2f128_pd(t0, t2, 0x31);
    out[3] = _mm256_permute2f128_pd(t1, t3, 0x31);
}

/* The 4x4 doubles at s, transposed into d (cached stores). */
static inline void micro8(char *d, ptrdiff_t ds, const char *s, ptrdiff_t ss)
{
    __m256d o[4];
    t4x4(s, ss, o);
    for (int i = 0; i < 4; i++)
        _mm256_storeu_pd((double *)(d + i * ds), o[i]);
}

/* 4 whole destination lines (8 doubles each) from 8 source rows; see micro4_lines. */
static inline void micro8_lines(char *d, ptrdiff_t ds, const char *s, ptrdiff_t ss)
{
    __m256d lo[4], hi[4];
    t4x4(s, ss, lo);
    t4x4(s + 4 * ss, ss, hi);
    for (int i = 0; i < 4; i++) {
        _mm256_stream_pd((double *)(d + i * ds), lo[i]);
        _mm256_stream_pd((double *)(d + i * ds + 32), hi[i]);
    }
}

/* The chunked transposes' vector width and copies (chunk_tile.h). */
#define CHUNK_VEC_BYTES 32

static inline void chunk_in(char *d, const char *s)
{
    _mm256_store_si256((__m256i *)d, load(s));
}

static inline void stream32(char *d, const char *s)
{
    _mm256_stream_si256((__m256i *)d, _mm256_loadu_si256((const __m256i *)s));
}
#define CHUNK_STREAM stream32

#include "chunk_tile.h"

/*
 * 1- and 2-byte items: all L = 64 / IS lines of a block at once, transposed
 * with SSE2's pieces into a 4 KiB buffer that stays in L1, then streamed out
 * whole. The block's source lines are first copied, each read once, into a
 * buffer of its own: at a power-of-two row stride all L of them fall in one
 * L1 set (8 ways), so the micro-tiles, which read 16 bytes of each line per
 * pass, missed L1 on every pass (u8 8192^2: 0.37x -> 0.52-0.56x memcpy, u16
 * 4096^2: 0.50x -> 0.63-0.67x, same runs, AMD EPYC AVX2).
 */
#define STAGED_LINES(NAME, IS, MB, MICRO)                                                        \
    static inline void NAME(char *d, ptrdiff_t ds, const char *s, ptrdiff_t ss)                 \
    {                                                                                           \
        enum { L = 64 / (IS) };                                                                 \
        _Alignas(64) char in[L * 64], stage[L * 64];                                            \
        for (int r = 0; r < L; r++) { /* each source line read once, whole */                  \
            chunk_in(in + r * 64, s + r * ss);                                                  \
            chunk_in(in + r * 64 + 32, s + r * ss + 32);                                        \
        }                                                                                       \
        for (int a = 0; a < L; a += (MB))                                                       \
            for (int b = 0; b < L; b += (MB))                                                   \
                MICRO(stage + a * 64 + b * (IS), 64, in + b * 64 + a * (IS), 64);              \
        for (int r = 0; r < L; r++)                                                             \
            stream_stage_line(d, ds, 1, stage, r);                                              \
    }

STAGED_LINES(micro1_lines, 1, 16, micro1)
STAGED_LINES(micro2_lines, 2, 8, micro2)

NDV__TILE_KERNEL(tile4_cached, 4, 8, 64, micro4, PREV_T4)
NDV__TILE_KERNEL(tile8_cached, 8, 4, 32, micro8, PREV_T8)

/*
 * Large transposes are memory-bound: move whole 64-byte lines. A block is
 * one line of each of L source rows (L items each), so every source line is
 * read once and every destination line written once, whole, with streaming
 * stores (no read for ownership). Blocks walk along the source rows, which
 * the prefetcher follows; software prefetch covers the row switches.
 * MICRO(d, ds, s, ss) writes BA whole destination lines from the L source
 * rows at s.
 */
#define STREAM_TILE(NAME, IS, L, BA, MICRO, CACHED, MIN_BYTES)                                   \
    static void NAME(char *dst, ptrdiff_t ds0, ptrdiff_t ds1, const char *src, ptrdiff_t ss0,  \
                     ptrdiff_t ss1, ptrdiff_t n0, ptrdiff_t n1)                                 \
    {                                                                                           \
        if (ds1 != (IS) || ss0 != (IS) || n0 * n1 * (IS) < (MIN_BYTES) ||                      \
            (uintptr_t)dst % 64 || ds0 % 64) {                                                  \
            CACHED(dst, ds0, ds1, src, ss0, ss1, n0, n1);                                       \
            return;                                                                             \
        }                                                                                       \
        ptrdiff_t m0 = n0 - n0 % (L), m1 = n1 - n1 % (L);                                       \
        for (ptrdiff_t j = 0; j < m1; j += (L)) {                                               \
            for (ptrdiff_t i = 0; i < m0; i += (L)) {                                           \
                for (int r = 0; r < (L); r++) /* the lines of the block after next */          \
                    _mm_prefetch(src + (j + r) * ss1 + (i + 2 * (L)) * (IS), _MM_HINT_T0);      \
                for (int a = 0; a < (L); a += (BA))                                             \
                    MICRO(dst + (i + a) * ds0 + j * (IS), ds0, src + j * ss1 + (i + a) * (IS),  \
                          ss1);                                                                 \
            }                                                                                   \
        }                                                                                       \
        _mm_sfence();                                                                           \
        if (m1 < n1)                                                                            \
            CACHED(dst + m1 * ds1, ds0, ds1, src + m1 * ss1, ss0, ss1, m0, n1 - m1);            \
        if (m0 < n0)                                                                            \
            CACHED(dst + m0 * ds0, ds0, ds1, src + m0 * ss0, ss0, ss1, n0 - m0, n1);            \
    }

/*
 * copy_tile streams only a tile that is a large copy on its own; a large copy
 * of small tiles (a batched transpose, a 3-D rotation, a 4-D axis swap)
 * takes copy_tile_stream, chosen once per plan: 0.87-0.89x memcpy against
 * 0.67-0.78x with cached stores for those three, same run, AMD EPYC AVX2.
 */
STREAM_TILE(tile1, 1, 64, 64, micro1_lines, PREV_T1, NDV__STREAM_BYTES)
STREAM_TILE(tile2, 2, 32, 32, micro2_lines, PREV_T2, NDV__STREAM_BYTES)
STREAM_TILE(tile4, 4, 16, 8, micro4_lines, tile4_cached, NDV__STREAM_BYTES)
STREAM_TILE(tile8, 8, 8, 4, micro8_lines, tile8_cached, NDV__STREAM_BYTES)
STREAM_TILE(tile1_stream, 1, 64, 64, micro1_lines, PREV_T1, 64 * 64)
STREAM_TILE(tile2_stream, 2, 32, 32, micro2_lines, PREV_T2, 32 * 32 * 2)
STREAM_TILE(tile4_stream, 4, 16, 8, micro4_lines, tile4_cached, 16 * 16 * 4)
STREAM_TILE(tile8_stream, 8, 8, 4, micro8_lines, tile8_cached, 8 * 8 * 8)


/*
 * The chunked transposes (chunk_tile.h). Smaller chunks than the L2 allows
 * ran faster (AMD EPYC AVX2, over memcpy in the same process, the previous
 * shape against the new, one process per pair): 1-byte items in 256 rows
 * by 256 bytes (a 64 KiB stage; 256 by 512 before: u8 8192^2 median 0.84x
 * -> 0.88x, faster in 28 of 35), 2-byte items in 128 rows by 256 bytes, 16
 * rows a group (a 32 KiB stage; 256 by 512 by 32 before: u16 4096^2 median
 * 0.72x -> 0.77x, faster in 10 of 10). 4-byte items: chunks for the tiles
 * of 256 KiB to 8 MiB that make up a large copy (a 3-D rotation, axes
 * (2, 0, 1) of 256^3: median 0.71-0.81x -> 0.78-1.03x memcpy over three
 * sets of alternating runs, against line tiles), 128 rows by 128 items
 * (64 by 256 before: batched [64, 512, 512] f32 median ratio 1.15-1.18,
 * faster in 22 of 22 pairs; the rotation even, 12 of 22; 256 rows by 64
 * items and 128 by 64 ran as 128 by 128); one tile of 8 MiB or more keeps
 * the line tiles, which ran faster there (f32 4096^2: 1.03x and 0.87x with
 * line tiles against 0.83x and 0.75x with chunks of 64 by 256; chunks of
 * 128 by 128, median ratio 0.99, 4 of 10).
 */
NDV__CHUNK_TILE(tile1_chunks, 1, 256, 256, 32, micro1, 16, 16, NDV__STREAM_BYTES, PTRDIFF_MAX,
                tile1_stream)
NDV__CHUNK_TILE(tile2_chunks, 2, 128, 256, 16, micro2, 8, 16, NDV__STREAM_BYTES, PTRDIFF_MAX,
                tile2_stream)
NDV__CHUNK_TILE(tile4_chunks, 4, 128, 512, 16, micro4, 8, 32, 256 * 1024, NDV__STREAM_BYTES,
                tile4_stream)

/* ------------------------------------------------------------------------ */
/* Value kernels: 8 values (64 output bytes) a step; see simd_values.h        */
/* ------------------------------------------------------------------------ */

typedef __m256i vec;
typedef __m256i v32;
#define NDV__G 8
#define NDV__HAVE_F16
#define FENCE _mm_sfence()


static inline __m128i load128(const char *p)
{
    return _mm_loadu_si128((const __m128i *)p);
}

static inline __m128i bswap16x8(__m128i x)
{
    return _mm_shuffle_epi8(x, _mm_setr_epi8(1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14));
}

/* pshufb works per 128-bit lane; both lanes take the same pattern. */
static inline __m256i shuffle_lanes(__m256i x, int w)
{
    const __m256i m32 = _mm256_setr_epi8(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12, 3, 2,
                                         1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);
    const __m256i m64 = _mm256_setr_epi8(7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6,
                                         5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8);
    const __m256i m16 = _mm256_setr_epi8(1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14, 1, 0,
                                         3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14);
    return _mm256_shuffle_epi8(x, w == 2 ? m16 : w == 4 ? m32 : m64);
}

static inline v32 ld_i8(const char *s)
{
    return _mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)s));
}
static inline v32 ld_u8(const char *s)
{
    return _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)s));
}
static inline v32 ld_bool(const char *s)
{
    return _mm256_min_epu32(ld_u8(s), _mm256_set1_epi32(1));
}
static inline v32 ld_i16(const char *s, int sw)
{
    return _mm256_cvtepi16_epi32(sw ? bswap16x8(load128(s)) : load128(s));
}
static inline v32 ld_u16(const char *s, int sw)
{
    return _mm256_cvtepu16_epi32(sw ? bswap16x8(load128(s)) : load128(s));
}
static inline v32 ld_32(const char *s, int sw)
{
    return sw ? shuffle_lanes(load(s), 4) : load(s);
}
static inline void ext_s(v32 x, vec v[2])
{
    v[0] = _mm256_cvtepi32_epi64(_mm256_castsi256_si128(x));
    v[1] = _mm256_cvtepi32_epi64(_mm256_extracti128_si256(x, 1));
}
static inline void ext_u(v32 x, vec v[2])
{
    v[0] = _mm256_cvtepu32_epi64(_mm256_castsi256_si128(x));
    v[1] = _mm256_cvtepu32_epi64(_mm256_extracti128_si256(x, 1));
}
static inline void cvt_s(v32 x, vec v[2])
{
    v[0] = _mm256_castpd_si256(_mm256_cvtepi32_pd(_mm256_castsi256_si128(x)));
    v[1] = _mm256_castpd_si256(_mm256_cvtepi32_pd(_mm256_extracti128_si256(x, 1)));
}
/* uint32 to double: flip the top bit, convert as signed, add 2^31 back (all exact). */
static inline void cvt_u(v32 x, vec v[2])
{
    __m256d bias = _mm256_set1_pd(2147483648.0);
    cvt_s(_mm256_xor_si256(x, _mm256_set1_epi32(INT32_MIN)), v);
    v[0] = _mm256_castpd_si256(_mm256_add_pd(_mm256_castsi256_pd(v[0]), bias));
    v[1] = _mm256_castpd_si256(_mm256_add_pd(_mm256_castsi256_pd(v[1]), bias));
}
static inline void f32_f64(v32 x, vec v[2])
{
    v[0] = _mm256_castpd_si256(_mm256_cvtps_pd(_mm_castsi128_ps(_mm256_castsi256_si128(x))));
    v[1] = _mm256_castpd_si256(_mm256_cvtps_pd(_mm_castsi128_ps(_mm256_extracti128_si256(x, 1))));
}
static inline void ld_64(const char *s, int sw, vec v[2])
{
    v[0] = sw ? shuffle_lanes(load(s), 8) : load(s);
    v[1] = sw ? shuffle_lanes(load(s + 32), 8) : load(s + 32);
}
/* F16C: every half is exact as a float, and every float as a double. */
static inline void ld_f16(const char *s, int sw, vec v[2])
{
    __m256 f = _mm256_cvtph_ps(sw ? bswap16x8(load128(s)) : load128(s));
    f32_f64(_mm256_castps_si256(f), v);
}
static inline bool any_neg(const vec v[2])
{
    return _mm256_movemask_pd(_mm256_castsi256_pd(_mm256_or_si256(v[0], v[1]))) != 0;
}
static inline void store2(char *d, const vec v[2])
{
    _mm256_storeu_si256((__m256i *)d, v[0]);
    _mm256_storeu_si256((__m256i *)(d + 32), v[1]);
}
static inline void stream2(char *d, const vec v[2])
{
    _mm256_stream_si256((__m256i *)d, v[0]);
    _mm256_stream_si256((__m256i *)(d + 32), v[1]);
}

/*
 * Four values become four 24-byte ndv_values, i.e. twelve 64-bit words
 * [kind, value, 0] x 4, built with two permutes and blends per 32-byte store.
 */
static inline void tolist4(ndv_value *out, __m256i v, int64_t kind, const bool stream)
{
    __m256i k = _mm256_set1_epi64x(kind), z = _mm256_setzero_si256();
    /* words 0-3: kind v0 0 kind, 4-7: v1 0 kind v2, 8-11: 0 kind v3 0 */
    __m256i w0 = _mm256_blend_epi32(_mm256_blend_epi32(k, z, 0x30), _mm256_permute4x64_epi64(v, 0x00), 0x0c);
    __m256i w1 = _mm256_blend_epi32(_mm256_blend_epi32(k, z, 0x0c), _mm256_permute4x64_epi64(v, 0x81), 0xc3);
    __m256i w2 = _mm256_blend_epi32(_mm256_blend_epi32(k, z, 0xc3), _mm256_permute4x64_epi64(v, 0x30), 0x30);
    __m256i *o = (__m256i *)out;
    if (stream) {
        _mm256_stream_si256(o, w0);
        _mm256_stream_si256(o + 1, w1);
        _mm256_stream_si256(o + 2, w2);
    } else {
        _mm256_storeu_si256(o, w0);
        _mm256_storeu_si256(o + 1, w1);
        _mm256_storeu_si256(o + 2, w2);
    }
}

static inline void list2(ndv_value *out, const vec v[2], int64_t kind, bool stream)
{
    tolist4(out, v[0], kind, stream);
    tolist4(out + 4, v[1], kind, stream);
}

#include "simd_values.h"

static inline bool same_f64(const char *a, const char *b)
{
    __m256d x = _mm256_loadu_pd((const double *)a), y = _mm256_loadu_pd((const double *)b);
    return _mm256_movemask_pd(_mm256_cmp_pd(x, y, _CMP_EQ_OQ)) == 0xf;
}

static inline bool same_f32(const char *a, const char *b)
{
    __m256 x = _mm256_loadu_ps((const float *)a), y = _mm256_loadu_ps((const float *)b);
    return _mm256_movemask_ps(_mm256_cmp_ps(x, y, _CMP_EQ_OQ)) == 0xff;
}

NDV__EQUAL_KERNEL(equal_f64, 8, 4, same_f64, lower->equal_float[1])
NDV__EQUAL_KERNEL(equal_f32, 4, 8, same_f32, lower->equal_float[0])

/* Hex: each nibble looked up with a byte shuffle, then interleaved hi/lo. */
static void hex(char *dst, const unsigned char *src, ptrdiff_t n)
{
    const __m256i lut = _mm256_setr_epi8('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b',
                                         'c', 'd', 'e', 'f', '0', '1', '2', '3', '4', '5', '6', '7',
                                         '8', '9', 'a', 'b', 'c', 'd', 'e', 'f');
    const __m256i low = _mm256_set1_epi8(0x0f);
    ptrdiff_t i = 0;
    for (; i + 32 <= n; i += 32) {
        __m256i x = _mm256_loadu_si256((const __m256i *)(src + i));
        __m256i hi = _mm256_shuffle_epi8(lut, _mm256_and_si256(_mm256_srli_epi16(x, 4), low));
        __m256i lo = _mm256_shuffle_epi8(lut, _mm256_and_si256(x, low));
        __m256i a = _mm256_unpacklo_epi8(hi, lo), b = _mm256_unpackhi_epi8(hi, lo);
        /* unpack works per 128-bit lane: put the lanes back in order. */
        _mm256_storeu_si256((__m256i *)(dst + 2 * i), _mm256_permute2x128_si256(a, b, 0x20));
        _mm256_storeu_si256((__m256i *)(dst + 2 * i + 32), _mm256_permute2x128_si256(a, b, 0x31));
    }
    lower->hex(dst + 2 * i, src + i, n - i);
}

#include "avx2_convert.h"

NDV__STREAM_KERNEL(copy_stream, 32, stream32)
NDV__RUNS_STREAM_KERNEL(copy_runs_stream, 32, stream32)

void ndv__kernels_init_avx2(ndv__kernels *k, const ndv__kernels *below)
{
    NDV__KEEP_LOWER(below);
    ndv__install_convert_loops(k);
    ndv__simd_values_install(k);
    NDV__INSTALL_EQUAL(k);
    k->hex = hex;
    NDV__INSTALL_STRIDED(k);
    NDV__INSTALL_TILES_4_8(k);
    k->copy_tile[0] = tile1;
    k->copy_tile[1] = tile2;
    k->copy_tile_stream[0] = tile1_chunks;
    k->copy_tile_stream[1] = tile2_chunks;
    k->copy_tile_stream[2] = tile4_chunks;
    k->copy_tile_stream[3] = tile8_stream;
    k->copy_runs_stream = copy_runs_stream;
    k->copy_stream = copy_stream;
    ndv__avx2_convert_install(k);
}
