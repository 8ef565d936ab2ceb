/*
 * avx2_convert.h - the conversions AVX2 (with F16C) does by hand, over the
 * loops convert_loops.h vectorises: the integer/float pairs numeric code
 * converts most, float16 both ways (float64 to float16 in one correct
 * rounding), floats to int32 with the range check fused into the
 * conversion, and byte swaps. Each comes twice, with plain stores
 * (convert, swap_bytes) and with streaming ones for outputs past the cache
 * (convert_stream, swap_stream). Included once, by avx2.c.
 */
#ifndef NDV_AVX2_CONVERT_H
#define NDV_AVX2_CONVERT_H

#include <immintrin.h>
#include <stdint.h>

#define LOWER_CONVERT(S, D) lower->convert[NDV__CT_##S][NDV__CT_##D]

/* Groups of two and of four vectors. */
typedef struct { __m256i a, b; } x2;
typedef struct { __m256i v[4]; } x4;

/*
 * One kernel: groups of G values, each LOADed, checked with RARE and
 * STOREd. A group RARE flags (a NaN whose payload F16C would change, a
 * float out of int32's range) goes to the level below, which gives NumPy's
 * bits or stops at the refused value; the kernel stops there too, so nothing
 * after a refused value is stored, as ndv_convert promises. The common case
 * is the inner loop's fall-through: with a taken branch per group the same
 * loop ran at half the speed (Zen 3).
 */
#define GROUP_KERNEL(NAME, S, D, SS, DS, G, LOAD, RARE, STORE)                               \
    static ptrdiff_t NAME(char *dst, const char *src, ptrdiff_t n)                          \
    {                                                                                       \
        ptrdiff_t i = 0;                                                                    \
        for (;;) {                                                                          \
            _Pragma("GCC unroll 4")                                                         \
            for (; i + (G) <= n; i += (G)) {                                                \
                __typeof__(LOAD(src)) v = LOAD(src + (SS) * i);                             \
                if (__builtin_expect(RARE(v), 0))                                           \
                    break;                                                                  \
                STORE(dst + (DS) * i, v);                                                   \
            }                                                                               \
            if (i + (G) > n)                                                                \
                break;                                                                      \
            ptrdiff_t m = LOWER_CONVERT(S, D)(dst + (DS) * i, src + (SS) * i, (G));         \
            if (m < (G))                                                                    \
                return i + m;                                                               \
            i += (G);                                                                       \
        }                                                                                   \
        return i == n ? n : i + LOWER_CONVERT(S, D)(dst + (DS) * i, src + (SS) * i, n - i); \
    }

/*
 * The kernel twice: with plain stores, and with streaming ones for outputs
 * past the cache (convert_stream). A group writes a multiple of 32 bytes, so
 * from a 32-byte boundary on every store is aligned and every line is written
 * whole by streaming stores; the items before it go through the plain
 * kernel. Storing while converting matters: converting 2 KiB into cache
 * and streaming it out after ran 1.1-2.6x slower than this (int8 ->
 * float32, 64 MiB out, Zen 3; prefetching the next chunk's source made
 * the two-pass way slower still).
 */
#define GROUP_KERNELS(NAME, S, D, SS, DS, G, LOAD, RARE, OUT)                                \
    _Static_assert((G) * (DS) % 32 == 0, "a group writes whole 32-byte stores");             \
    GROUP_KERNEL(NAME, S, D, SS, DS, G, LOAD, RARE, OUT##_u)                                 \
    GROUP_KERNEL(NAME##_nt, S, D, SS, DS, G, LOAD, RARE, OUT##_nt)                           \
    static ptrdiff_t NAME##_stream(char *dst, const char *src, ptrdiff_t n)                 \
    {                                                                                       \
        ptrdiff_t head = (ptrdiff_t)((32 - (uintptr_t)dst % 32) % 32) / (DS);               \
        if ((uintptr_t)dst % (DS) != 0 || head >= n)                                        \
            return NAME(dst, src, n);                                                       \
        ptrdiff_t m = NAME(dst, src, head);                                                 \
        if (m < head)                                                                       \
            return m;                                                                       \
        return head + NAME##_nt(dst + (DS) * head, src + (SS) * head, n - head);            \
    }

/*
 * OUT##_u and OUT##_nt: the K 32-byte vectors EXPR makes of a group v (the
 * k-th at d + 32k), stored plainly or streamed.
 */
#define OUTPUTS(OUT, V, K, EXPR)                                                             \
    static inline void OUT##_u(char *d, V v)                                                 \
    {                                                                                       \
        for (int k = 0; k < (K); k++)                                                       \
            _mm256_storeu_si256((__m256i *)(d + 32 * k), (EXPR));                           \
    }                                                                                       \
    static inline void OUT##_nt(char *d, V v)                                                \
    {                                                                                       \
        for (int k = 0; k < (K); k++)                                                       \
            _mm256_stream_si256((__m256i *)(d + 32 * k), (EXPR));                           \
    }

#define NEVER(v) ((void)(v), 0)

/* ------------------------------------------------------------------------ */
/* Integers and floats: exact or rounded as C converts, never refused        */
/* ------------------------------------------------------------------------ */

static inline __m256i ld_i8x8(const char *s)
{
    return _mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)s));
}
static inline __m256i ld_u8x8(const char *s)
{
    return _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)s));
}
static inline __m256i ld_i16x8(const char *s)
{
    return _mm256_cvtepi16_epi32(_mm_loadu_si128((const __m128i *)s));
}
static inline __m256i ld_u16x8(const char *s)
{
    return _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)s));
}
static inline __m256i ld_32x8(const char *s)
{
    return _mm256_loadu_si256((const __m256i *)s);
}
static inline __m128i ld_32x4(const char *s)
{
    return _mm_loadu_si128((const __m128i *)s);
}
static inline x4 ld_32x32(const char *s)
{
    x4 r;
    for (int k = 0; k < 4; k++)
        r.v[k] = ld_32x8(s + 32 * k);
    return r;
}
static inline x2 ld_64x8(const char *s)
{
    return (x2){ld_32x8(s), ld_32x8(s + 32)};
}

/* uint32 to double: flip the top bit, convert as signed, add 2^31 back (all exact). */
static inline __m256d u32_f64(__m128i v)
{
    __m256d x = _mm256_cvtepi32_pd(_mm_xor_si128(v, _mm_set1_epi32(INT32_MIN)));
    return _mm256_add_pd(x, _mm256_set1_pd(2147483648.0));
}
/* The low 32 bits of each int64 (C's wrapping conversion): even dwords, then lanes in order. */
static inline __m256i i64_i32(x2 x)
{
    __m256 e = _mm256_shuffle_ps(_mm256_castsi256_ps(x.a), _mm256_castsi256_ps(x.b),
                                 _MM_SHUFFLE(2, 0, 2, 0));
    return _mm256_permute4x64_epi64(_mm256_castps_si256(e), 0xd8);
}
/* The low byte of each int32 (wrapping); the packs work per lane, a permute restores order. */
static inline __m256i i32_i8(x4 x)
{
    const __m256i m = _mm256_set1_epi32(0xff);
    __m256i ab = _mm256_packus_epi32(_mm256_and_si256(x.v[0], m), _mm256_and_si256(x.v[1], m));
    __m256i cd = _mm256_packus_epi32(_mm256_and_si256(x.v[2], m), _mm256_and_si256(x.v[3], m));
    __m256i p = _mm256_packus_epi16(ab, cd);
    return _mm256_permutevar8x32_epi32(p, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
}
static inline __m256i f64x8_f32(x2 x)
{
    __m128 a = _mm256_cvtpd_ps(_mm256_castsi256_pd(x.a));
    __m128 b = _mm256_cvtpd_ps(_mm256_castsi256_pd(x.b));
    return _mm256_castps_si256(_mm256_set_m128(b, a));
}

OUTPUTS(out_i32_f32, __m256i, 1, _mm256_castps_si256(_mm256_cvtepi32_ps(v)))
OUTPUTS(out_i32_f64, __m128i, 1, _mm256_castpd_si256(_mm256_cvtepi32_pd(v)))
OUTPUTS(out_u32_f64, __m128i, 1, _mm256_castpd_si256(u32_f64(v)))
OUTPUTS(out_f32_f64, __m128i, 1, _mm256_castpd_si256(_mm256_cvtps_pd(_mm_castsi128_ps(v))))
OUTPUTS(out_f64_f32, x2, 1, f64x8_f32(v))
OUTPUTS(out_i64_i32, x2, 1, i64_i32(v))
OUTPUTS(out_i32_i8, x4, 1, i32_i8(v))

GROUP_KERNELS(cvt_i8_f32, I8, F32, 1, 4, 8, ld_i8x8, NEVER, out_i32_f32)
GROUP_KERNELS(cvt_u8_f32, U8, F32, 1, 4, 8, ld_u8x8, NEVER, out_i32_f32)
GROUP_KERNELS(cvt_i16_f32, I16, F32, 2, 4, 8, ld_i16x8, NEVER, out_i32_f32)
GROUP_KERNELS(cvt_u16_f32, U16, F32, 2, 4, 8, ld_u16x8, NEVER, out_i32_f32)
GROUP_KERNELS(cvt_i32_f32, I32, F32, 4, 4, 8, ld_32x8, NEVER, out_i32_f32)
GROUP_KERNELS(cvt_i32_f64, I32, F64, 4, 8, 4, ld_32x4, NEVER, out_i32_f64)
GROUP_KERNELS(cvt_u32_f64, U32, F64, 4, 8, 4, ld_32x4, NEVER, out_u32_f64)
GROUP_KERNELS(cvt_f32_f64, F32, F64, 4, 8, 4, ld_32x4, NEVER, out_f32_f64)
GROUP_KERNELS(cvt_f64_f32, F64, F32, 8, 4, 8, ld_64x8, NEVER, out_f64_f32)
GROUP_KERNELS(cvt_i64_i32, I64, I32, 8, 4, 8, ld_64x8, NEVER, out_i64_i32)
GROUP_KERNELS(cvt_u64_i32, U64, I32, 8, 4, 8, ld_64x8, NEVER, out_i64_i32)
GROUP_KERNELS(cvt_i64_u32, I64, U32, 8, 4, 8, ld_64x8, NEVER, out_i64_i32)
GROUP_KERNELS(cvt_i32_i8, I32, I8, 4, 1, 32, ld_32x32, NEVER, out_i32_i8)
GROUP_KERNELS(cvt_u32_u8, U32, U8, 4, 1, 32, ld_32x32, NEVER, out_i32_i8)

/* ------------------------------------------------------------------------ */
/* float16 with F16C                                                         */
/* ------------------------------------------------------------------------ */

/*
 * F16C quiets signalling NaNs, and narrows a NaN whose top payload bits are
 * zero to the quiet NaN, where NumPy keeps the bits as they are: those go
 * to the level below, which does NumPy's bits.
 */
static inline bool has_snan16(__m128i h)
{
    __m128i exp = _mm_cmpeq_epi16(_mm_and_si128(h, _mm_set1_epi16(0x7e00)), _mm_set1_epi16(0x7c00));
    __m128i sig = _mm_cmpeq_epi16(_mm_and_si128(h, _mm_set1_epi16(0x01ff)), _mm_setzero_si128());
    return _mm_movemask_epi8(_mm_andnot_si128(sig, exp)) != 0;
}
static inline __m256i nan32(__m256i f)
{
    __m256 x = _mm256_castsi256_ps(f);
    return _mm256_castps_si256(_mm256_cmp_ps(x, x, _CMP_UNORD_Q));
}
static inline __m256i nan64(__m256i f)
{
    __m256d x = _mm256_castsi256_pd(f);
    return _mm256_castpd_si256(_mm256_cmp_pd(x, x, _CMP_UNORD_Q));
}
static inline bool has_nan32x16(x2 x)
{
    return !_mm256_testz_si256(_mm256_or_si256(nan32(x.a), nan32(x.b)), _mm256_set1_epi32(-1));
}
static inline bool has_nan64x16(x4 x)
{
    __m256i m = _mm256_or_si256(_mm256_or_si256(nan64(x.v[0]), nan64(x.v[1])),
                                _mm256_or_si256(nan64(x.v[2]), nan64(x.v[3])));
    return !_mm256_testz_si256(m, _mm256_set1_epi32(-1));
}
static inline __m128i ld_16x4(const char *s)
{
    return _mm_loadl_epi64((const __m128i *)s); /* the upper halves zero: not NaNs */
}
static inline x2 ld_32x16(const char *s)
{
    return (x2){ld_32x8(s), ld_32x8(s + 32)};
}

/* Round to nearest even, overflow to infinity, subnormals: as NumPy. */
static inline __m128i f32_f16(__m256i f)
{
    return _mm256_cvtps_ph(_mm256_castsi256_ps(f), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
}

/*
 * float64 to float16 rounded once: narrowing to float32 rounded to odd (the
 * RZ result with its last bit set when inexact) keeps enough bits (24 >=
 * 11 + 2) for F16C's round to nearest even to give the correctly rounded
 * half, subnormal halves and overflow to infinity included. The RZ result
 * is the RNE one stepped one unit towards zero when that rounded away.
 */
static inline __m128 f64_to_f32_odd(__m256d x)
{
    const __m256d abs = _mm256_castsi256_pd(_mm256_set1_epi64x(INT64_MAX));
    __m128 y = _mm256_cvtpd_ps(x);
    __m256d back = _mm256_cvtps_pd(y);
    __m256d away = _mm256_cmp_pd(_mm256_and_pd(back, abs), _mm256_and_pd(x, abs), _CMP_GT_OQ);
    __m256d inexact = _mm256_cmp_pd(back, x, _CMP_NEQ_OQ);
    const __m256i low32 = _mm256_setr_epi32(0, 2, 4, 6, 0, 2, 4, 6);
    __m128i a = _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(_mm256_castpd_si256(away), low32));
    __m128i e = _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(_mm256_castpd_si256(inexact), low32));
    __m128i bits = _mm_add_epi32(_mm_castps_si128(y), a); /* a is -1 where it rounded away */
    return _mm_castsi128_ps(_mm_or_si128(bits, _mm_and_si128(e, _mm_set1_epi32(1))));
}
/* Four doubles to four halves, in the low 64 bits. */
static inline __m128i f64x4_f16(__m256i x)
{
    return _mm_cvtps_ph(f64_to_f32_odd(_mm256_castsi256_pd(x)),
                        _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
}
static inline __m256i f64x16_f16(x4 x)
{
    __m128i lo = _mm_unpacklo_epi64(f64x4_f16(x.v[0]), f64x4_f16(x.v[1]));
    __m128i hi = _mm_unpacklo_epi64(f64x4_f16(x.v[2]), f64x4_f16(x.v[3]));
    return _mm256_set_m128i(hi, lo);
}

OUTPUTS(out_f16_f32, __m128i, 1, _mm256_castps_si256(_mm256_cvtph_ps(v)))
OUTPUTS(out_f16_f64, __m128i, 1, _mm256_castpd_si256(_mm256_cvtps_pd(_mm_cvtph_ps(v))))
OUTPUTS(out_f32_f16, x2, 1, _mm256_set_m128i(f32_f16(v.b), f32_f16(v.a)))
OUTPUTS(out_f64_f16, x4, 1, f64x16_f16(v))

GROUP_KERNELS(f16c_f16_f32, F16, F32, 2, 4, 8, ld_32x4, has_snan16, out_f16_f32)
GROUP_KERNELS(f16c_f16_f64, F16, F64, 2, 8, 4, ld_16x4, has_snan16, out_f16_f64)
GROUP_KERNELS(f16c_f32_f16, F32, F16, 4, 2, 16, ld_32x16, has_nan32x16, out_f32_f16)
GROUP_KERNELS(f16c_f64_f16, F64, F16, 8, 2, 16, ld_32x32, has_nan64x16, out_f64_f16)

/* ------------------------------------------------------------------------ */
/* floats to int32, checked on the way                                       */
/* ------------------------------------------------------------------------ */

/*
 * cvtt gives INT32_MIN for NaN, the infinities and everything out of range,
 * and for -2^31 itself: a group holding that value is the rare one.
 */
static inline x4 cvt_f32x32_i32(const char *s)
{
    x4 r;
    for (int k = 0; k < 4; k++)
        r.v[k] = _mm256_cvttps_epi32(_mm256_loadu_ps((const float *)(s + 32 * k)));
    return r;
}
static inline x4 cvt_f64x32_i32(const char *s)
{
    x4 r;
    for (int k = 0; k < 4; k++) {
        __m128i a = _mm256_cvttpd_epi32(_mm256_loadu_pd((const double *)(s + 64 * k)));
        __m128i b = _mm256_cvttpd_epi32(_mm256_loadu_pd((const double *)(s + 64 * k + 32)));
        r.v[k] = _mm256_set_m128i(b, a);
    }
    return r;
}
/* One check for four vectors: the common case pays a compare per vector and one test. */
static inline bool has_min32(x4 x)
{
    const __m256i min = _mm256_set1_epi32(INT32_MIN);
    __m256i m = _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi32(x.v[0], min),
                                                _mm256_cmpeq_epi32(x.v[1], min)),
                                _mm256_or_si256(_mm256_cmpeq_epi32(x.v[2], min),
                                                _mm256_cmpeq_epi32(x.v[3], min)));
    return !_mm256_testz_si256(m, m);
}

OUTPUTS(out_i32x32, x4, 4, v.v[k])

GROUP_KERNELS(cvt_f32_i32, F32, I32, 4, 4, 32, cvt_f32x32_i32, has_min32, out_i32x32)
GROUP_KERNELS(cvt_f64_i32, F64, I32, 8, 4, 32, cvt_f64x32_i32, has_min32, out_i32x32)

/* ------------------------------------------------------------------------ */
/* Byte swaps (a change of byte order alone), plain and streamed             */
/* ------------------------------------------------------------------------ */

#define SWAP_KERNELS(W, IDX)                                                                 \
    static void swap##W(char *dst, const char *src, ptrdiff_t n)                            \
    {                                                                                       \
        ptrdiff_t i = 0, bytes = n * (W);                                                   \
        _Pragma("GCC unroll 4")                                                             \
        for (; i + 32 <= bytes; i += 32)                                                    \
            _mm256_storeu_si256((__m256i *)(dst + i), shuffle_lanes(ld_32x8(src + i), (W))); \
        lower->swap_bytes[IDX](dst + i, src + i, (bytes - i) / (W));                        \
    }                                                                                       \
    static void swap##W##_stream(char *dst, const char *src, ptrdiff_t n)                   \
    {                                                                                       \
        ptrdiff_t i = (ptrdiff_t)((32 - (uintptr_t)dst % 32) % 32), bytes = n * (W);        \
        if ((uintptr_t)dst % (W) != 0 || i >= bytes) {                                      \
            swap##W(dst, src, n);                                                           \
            return;                                                                         \
        }                                                                                   \
        swap##W(dst, src, i / (W));                                                         \
        _Pragma("GCC unroll 4")                                                             \
        for (; i + 32 <= bytes; i += 32)                                                    \
            _mm256_stream_si256((__m256i *)(dst + i), shuffle_lanes(ld_32x8(src + i), (W))); \
        lower->swap_bytes[IDX](dst + i, src + i, (bytes - i) / (W));                        \
    }
SWAP_KERNELS(2, 0)
SWAP_KERNELS(4, 1)
SWAP_KERNELS(8, 2)

/* The pairs above, with plain stores (convert) and streaming ones (convert_stream). */
#define PAIRS(X)                                                                             \
    X(I8, F32, cvt_i8_f32) X(U8, F32, cvt_u8_f32) X(I16, F32, cvt_i16_f32)                   \
    X(U16, F32, cvt_u16_f32) X(I32, F32, cvt_i32_f32) X(I32, F64, cvt_i32_f64)               \
    X(U32, F64, cvt_u32_f64) X(F32, F64, cvt_f32_f64) X(F64, F32, cvt_f64_f32)               \
    X(I64, I32, cvt_i64_i32) X(U64, I32, cvt_u64_i32) X(I64, U32, cvt_i64_u32)               \
    X(I32, I8, cvt_i32_i8) X(U32, U8, cvt_u32_u8) X(F16, F32, f16c_f16_f32)                  \
    X(F16, F64, f16c_f16_f64) X(F32, F16, f16c_f32_f16) X(F64, F16, f16c_f64_f16)            \
    X(F32, I32, cvt_f32_i32) X(F64, I32, cvt_f64_i32)

#define INSTALL_PAIR(S, D, NAME)                                                             \
    k->convert[NDV__CT_##S][NDV__CT_##D] = NAME;                                             \
    k->convert_stream[NDV__CT_##S][NDV__CT_##D] = NAME##_stream;

static void ndv__avx2_convert_install(ndv__kernels *k)
{
    PAIRS(INSTALL_PAIR)
    k->swap_bytes[0] = swap2;
    k->swap_bytes[1] = swap4;
    k->swap_bytes[2] = swap8;
    k->swap_stream[0] = swap2_stream;
    k->swap_stream[1] = swap4_stream;
    k->swap_stream[2] = swap8_stream;
}

#endif
