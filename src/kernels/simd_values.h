/*
 * simd_values.h - the value kernels (unpack_as, tolist, hex with
 * separators) of every SIMD level, written once over a small set of
 * per-level primitives.
 *
 * A level file (sse2.c, sse41.c, avx2.c, avx512.c, neon.c) defines, before
 * including this header:
 *
 *   vec                 a vector of 64-bit lanes; G values make two of them
 *   NDV__G              values per group: the 32-bit lanes of one vec
 *   v32 ld_i8(s), ld_u8(s), ld_bool(s), ld_i16(s, sw), ld_u16(s, sw),
 *       ld_32(s, sw)    G values widened to 32-bit lanes (sign- or zero-
 *                       extended; bool as 0/1; 32-bit ones as they are),
 *                       byte-swapped first when sw
 *   ext_s(x, v), ext_u(x, v)   32-bit lanes to 64-bit integers, two vecs
 *   cvt_s(x, v), cvt_u(x, v)   signed / unsigned 32-bit lanes to doubles
 *   f32_f64(x, v)       32-bit lanes holding floats to doubles
 *   ld_64(s, sw, v)     G 64-bit values, byte-swapped when sw
 *   any_neg(v)          a sign bit set in either vec (the range checks: a
 *                       negative value to uint64, a uint64 above INT64_MAX)
 *   store2 / stream2(d, v), FENCE   stores of the 8*G output bytes
 *   list2(out, v, kind, stream)     G tagged ndv_values from two vecs
 *   NDV__HAVE_F16 and ld_f16(s, sw, v) where the level converts halves
 *   NDV__HAVE_CVT64 and cvt64_s(v), cvt64_u(v) where the level converts
 *                       64-bit integers to double in place (rounding as C does)
 *   NDV__HAVE_SHUFFLE16 and shuffle16(out, in, mask, seps) where the level
 *                       has a 16-byte table lookup (pshufb, tbl): out[i] =
 *                       mask[i] < 16 ? in[mask[i]] : 0, or-ed with seps[i]
 *
 * Every kernel takes the contiguous case G values at a time and hands strided
 * sources, the tail and anything out of range to the level below, so the
 * results are the scalar table's bit for bit. Sources without a vector path
 * here (64-bit integers to double without NDV__HAVE_CVT64, halves without
 * NDV__HAVE_F16) stay the level below's.
 */
#ifndef NDV_SIMD_VALUES_H
#define NDV_SIMD_VALUES_H

/* unpack: make(s, v) builds two vecs of 8-byte results; CHECKED adds the range check. */
#define NDV__UNPACK_KERNEL_G(NAME, IS, SW, SRC, TO, MAKE, CHECKED)                            \
    static inline void NAME##_make(const char *s, vec v[2]) { MAKE; }                          \
    static ptrdiff_t NAME(void *dst, const char *src, ptrdiff_t ss, ptrdiff_t n)              \
    {                                                                                          \
        ndv__unpack_fn prev = lower->unpack[SW][SRC][TO];                                      \
        char *d = dst;                                                                         \
        ptrdiff_t i = 0;                                                                       \
        if (ss == (IS)) {                                                                      \
            bool stream = n * 8 >= NDV__STREAM_BYTES && (uintptr_t)d % 8 == 0;                 \
            if (stream) { /* aligned stores from here: a few values go first */                \
                i = (ptrdiff_t)((64 - (uintptr_t)d % 64) % 64) / 8;                            \
                ptrdiff_t done = i > 0 ? prev(d, src, ss, i) : 0;                              \
                if (done != i)                                                                 \
                    return done;                                                               \
            }                                                                                  \
            for (; i + NDV__G <= n; i += NDV__G) {                                             \
                vec v[2];                                                                      \
                NAME##_make(src + i * (IS), v);                                                \
                if ((CHECKED) && any_neg(v))                                                   \
                    break; /* the level below finds the exact count */                         \
                if (stream)                                                                    \
                    stream2(d + 8 * i, v);                                                     \
                else                                                                           \
                    store2(d + 8 * i, v);                                                      \
            }                                                                                  \
            if (stream)                                                                        \
                FENCE;                                                                         \
        }                                                                                      \
        return i < n ? i + prev(d + 8 * i, src + i * ss, ss, n - i) : n;                     \
    }

/* tolist: the same values, stored as tagged ndv_values. */
#define NDV__TOLIST_KERNEL_G(NAME, IS, SW, SRC, KIND, MAKE)                                   \
    static inline void NAME##_make(const char *s, vec v[2]) { MAKE; }                          \
    static void NAME(ndv_value *out, const char *src, ptrdiff_t ss, ptrdiff_t n)              \
    {                                                                                          \
        _Static_assert(sizeof(ndv_value) == 24, "ndv_value is three 64-bit words");            \
        ndv__tolist_fn prev = lower->tolist[SW][SRC];                                          \
        ptrdiff_t i = 0;                                                                       \
        if (ss == (IS) && (uintptr_t)out % 8 == 0) {                                           \
            bool stream = n * 24 >= NDV__STREAM_BYTES;                                         \
            while (stream && (uintptr_t)(out + i) % 64 && i < n)                               \
                i++;                                                                           \
            if (i > 0) /* no empty calls: each would chain down every level */                \
                prev(out, src, ss, i);                                                         \
            for (; i + NDV__G <= n; i += NDV__G) {                                             \
                vec v[2];                                                                      \
                NAME##_make(src + i * (IS), v);                                                \
                list2(out + i, v, (KIND), stream);                                             \
            }                                                                                  \
            if (stream)                                                                        \
                FENCE;                                                                         \
        }                                                                                      \
        if (i < n)                                                                             \
            prev(out + i, src + i * ss, ss, n - i);                                            \
    }

/*
 * The unpack kernels: (name, item size, swapped, source, target, make,
 * checked). Integers up to 32 bits go through 32-bit lanes; uint32 needs
 * the unsigned conversion to double, every other narrow source is exact
 * through the signed one.
 */
#define NDV__SIMD_UNPACKS(U)                                                       \
    U(unpack_i8_i64, 1, 0, NDV__SRC_I8, NDV_I64, ext_s(ld_i8(s), v), 0)            \
    U(unpack_i8_u64, 1, 0, NDV__SRC_I8, NDV_U64, ext_s(ld_i8(s), v), 1)            \
    U(unpack_i8_f64, 1, 0, NDV__SRC_I8, NDV_F64, cvt_s(ld_i8(s), v), 0)            \
    U(unpack_u8_i64, 1, 0, NDV__SRC_U8, NDV_I64, ext_u(ld_u8(s), v), 0)            \
    U(unpack_u8_u64, 1, 0, NDV__SRC_U8, NDV_U64, ext_u(ld_u8(s), v), 0)            \
    U(unpack_u8_f64, 1, 0, NDV__SRC_U8, NDV_F64, cvt_s(ld_u8(s), v), 0)            \
    U(unpack_bool_i64, 1, 0, NDV__SRC_BOOL, NDV_I64, ext_u(ld_bool(s), v), 0)      \
    U(unpack_bool_u64, 1, 0, NDV__SRC_BOOL, NDV_U64, ext_u(ld_bool(s), v), 0)      \
    U(unpack_bool_f64, 1, 0, NDV__SRC_BOOL, NDV_F64, cvt_s(ld_bool(s), v), 0)      \
    U(unpack_i16_i64, 2, 0, NDV__SRC_I16, NDV_I64, ext_s(ld_i16(s, 0), v), 0)      \
    U(unpack_i16_u64, 2, 0, NDV__SRC_I16, NDV_U64, ext_s(ld_i16(s, 0), v), 1)      \
    U(unpack_i16_f64, 2, 0, NDV__SRC_I16, NDV_F64, cvt_s(ld_i16(s, 0), v), 0)      \
    U(unpack_u16_i64, 2, 0, NDV__SRC_U16, NDV_I64, ext_u(ld_u16(s, 0), v), 0)      \
    U(unpack_u16_u64, 2, 0, NDV__SRC_U16, NDV_U64, ext_u(ld_u16(s, 0), v), 0)      \
    U(unpack_u16_f64, 2, 0, NDV__SRC_U16, NDV_F64, cvt_s(ld_u16(s, 0), v), 0)      \
    U(unpack_i32_i64, 4, 0, NDV__SRC_I32, NDV_I64, ext_s(ld_32(s, 0), v), 0)       \
    U(unpack_i32_u64, 4, 0, NDV__SRC_I32, NDV_U64, ext_s(ld_32(s, 0), v), 1)       \
    U(unpack_i32_f64, 4, 0, NDV__SRC_I32, NDV_F64, cvt_s(ld_32(s, 0), v), 0)       \
    U(unpack_u32_i64, 4, 0, NDV__SRC_U32, NDV_I64, ext_u(ld_32(s, 0), v), 0)       \
    U(unpack_u32_u64, 4, 0, NDV__SRC_U32, NDV_U64, ext_u(ld_32(s, 0), v), 0)       \
    U(unpack_u32_f64, 4, 0, NDV__SRC_U32, NDV_F64, cvt_u(ld_32(s, 0), v), 0)       \
    U(unpack_i64_i64, 8, 0, NDV__SRC_I64, NDV_I64, ld_64(s, 0, v), 0)              \
    U(unpack_i64_u64, 8, 0, NDV__SRC_I64, NDV_U64, ld_64(s, 0, v), 1)              \
    U(unpack_u64_i64, 8, 0, NDV__SRC_U64, NDV_I64, ld_64(s, 0, v), 1)              \
    U(unpack_u64_u64, 8, 0, NDV__SRC_U64, NDV_U64, ld_64(s, 0, v), 0)              \
    U(unpack_f32_f64, 4, 0, NDV__SRC_F32, NDV_F64, f32_f64(ld_32(s, 0), v), 0)     \
    U(unpack_f64_f64, 8, 0, NDV__SRC_F64, NDV_F64, ld_64(s, 0, v), 0)              \
    U(unpack_i16_i64_sw, 2, 1, NDV__SRC_I16, NDV_I64, ext_s(ld_i16(s, 1), v), 0)   \
    U(unpack_i16_u64_sw, 2, 1, NDV__SRC_I16, NDV_U64, ext_s(ld_i16(s, 1), v), 1)   \
    U(unpack_i16_f64_sw, 2, 1, NDV__SRC_I16, NDV_F64, cvt_s(ld_i16(s, 1), v), 0)   \
    U(unpack_u16_i64_sw, 2, 1, NDV__SRC_U16, NDV_I64, ext_u(ld_u16(s, 1), v), 0)   \
    U(unpack_u16_u64_sw, 2, 1, NDV__SRC_U16, NDV_U64, ext_u(ld_u16(s, 1), v), 0)   \
    U(unpack_u16_f64_sw, 2, 1, NDV__SRC_U16, NDV_F64, cvt_s(ld_u16(s, 1), v), 0)   \
    U(unpack_i32_i64_sw, 4, 1, NDV__SRC_I32, NDV_I64, ext_s(ld_32(s, 1), v), 0)    \
    U(unpack_i32_u64_sw, 4, 1, NDV__SRC_I32, NDV_U64, ext_s(ld_32(s, 1), v), 1)    \
    U(unpack_i32_f64_sw, 4, 1, NDV__SRC_I32, NDV_F64, cvt_s(ld_32(s, 1), v), 0)    \
    U(unpack_u32_i64_sw, 4, 1, NDV__SRC_U32, NDV_I64, ext_u(ld_32(s, 1), v), 0)    \
    U(unpack_u32_u64_sw, 4, 1, NDV__SRC_U32, NDV_U64, ext_u(ld_32(s, 1), v), 0)    \
    U(unpack_u32_f64_sw, 4, 1, NDV__SRC_U32, NDV_F64, cvt_u(ld_32(s, 1), v), 0)    \
    U(unpack_i64_i64_sw, 8, 1, NDV__SRC_I64, NDV_I64, ld_64(s, 1, v), 0)           \
    U(unpack_i64_u64_sw, 8, 1, NDV__SRC_I64, NDV_U64, ld_64(s, 1, v), 1)           \
    U(unpack_u64_i64_sw, 8, 1, NDV__SRC_U64, NDV_I64, ld_64(s, 1, v), 1)           \
    U(unpack_u64_u64_sw, 8, 1, NDV__SRC_U64, NDV_U64, ld_64(s, 1, v), 0)           \
    U(unpack_f32_f64_sw, 4, 1, NDV__SRC_F32, NDV_F64, f32_f64(ld_32(s, 1), v), 0)  \
    U(unpack_f64_f64_sw, 8, 1, NDV__SRC_F64, NDV_F64, ld_64(s, 1, v), 0)

/* The tolist kernels: (name, item size, swapped, source, kind, make). */
#define NDV__SIMD_TOLISTS(L)                                                     \
    L(list_i8, 1, 0, NDV__SRC_I8, NDV_KIND_INT, ext_s(ld_i8(s), v))              \
    L(list_u8, 1, 0, NDV__SRC_U8, NDV_KIND_UINT, ext_u(ld_u8(s), v))             \
    L(list_bool, 1, 0, NDV__SRC_BOOL, NDV_KIND_BOOL, ext_u(ld_bool(s), v))       \
    L(list_i16, 2, 0, NDV__SRC_I16, NDV_KIND_INT, ext_s(ld_i16(s, 0), v))        \
    L(list_u16, 2, 0, NDV__SRC_U16, NDV_KIND_UINT, ext_u(ld_u16(s, 0), v))       \
    L(list_i32, 4, 0, NDV__SRC_I32, NDV_KIND_INT, ext_s(ld_32(s, 0), v))         \
    L(list_u32, 4, 0, NDV__SRC_U32, NDV_KIND_UINT, ext_u(ld_32(s, 0), v))        \
    L(list_i64, 8, 0, NDV__SRC_I64, NDV_KIND_INT, ld_64(s, 0, v))                \
    L(list_u64, 8, 0, NDV__SRC_U64, NDV_KIND_UINT, ld_64(s, 0, v))               \
    L(list_f32, 4, 0, NDV__SRC_F32, NDV_KIND_FLOAT, f32_f64(ld_32(s, 0), v))     \
    L(list_f64, 8, 0, NDV__SRC_F64, NDV_KIND_FLOAT, ld_64(s, 0, v))              \
    L(list_i16_sw, 2, 1, NDV__SRC_I16, NDV_KIND_INT, ext_s(ld_i16(s, 1), v))     \
    L(list_u16_sw, 2, 1, NDV__SRC_U16, NDV_KIND_UINT, ext_u(ld_u16(s, 1), v))    \
    L(list_i32_sw, 4, 1, NDV__SRC_I32, NDV_KIND_INT, ext_s(ld_32(s, 1), v))      \
    L(list_u32_sw, 4, 1, NDV__SRC_U32, NDV_KIND_UINT, ext_u(ld_32(s, 1), v))     \
    L(list_i64_sw, 8, 1, NDV__SRC_I64, NDV_KIND_INT, ld_64(s, 1, v))             \
    L(list_u64_sw, 8, 1, NDV__SRC_U64, NDV_KIND_UINT, ld_64(s, 1, v))            \
    L(list_f32_sw, 4, 1, NDV__SRC_F32, NDV_KIND_FLOAT, f32_f64(ld_32(s, 1), v))  \
    L(list_f64_sw, 8, 1, NDV__SRC_F64, NDV_KIND_FLOAT, ld_64(s, 1, v))

/* Half floats, for the levels with a conversion instruction (F16C). */
#define NDV__SIMD_F16(U, L)                                                                     \
    U(unpack_f16_f64, 2, 0, NDV__SRC_F16, NDV_F64, ld_f16(s, 0, v), 0)                         \
    U(unpack_f16_f64_sw, 2, 1, NDV__SRC_F16, NDV_F64, ld_f16(s, 1, v), 0)                      \
    L(list_f16, 2, 0, NDV__SRC_F16, NDV_KIND_FLOAT, ld_f16(s, 0, v))                           \
    L(list_f16_sw, 2, 1, NDV__SRC_F16, NDV_KIND_FLOAT, ld_f16(s, 1, v))

/* 64-bit integers to double, for the levels with that conversion. */
#define NDV__SIMD_CVT64(U)                                                                     \
    U(unpack_i64_f64, 8, 0, NDV__SRC_I64, NDV_F64, (ld_64(s, 0, v), cvt64_s(v)), 0)            \
    U(unpack_i64_f64_sw, 8, 1, NDV__SRC_I64, NDV_F64, (ld_64(s, 1, v), cvt64_s(v)), 0)         \
    U(unpack_u64_f64, 8, 0, NDV__SRC_U64, NDV_F64, (ld_64(s, 0, v), cvt64_u(v)), 0)            \
    U(unpack_u64_f64_sw, 8, 1, NDV__SRC_U64, NDV_F64, (ld_64(s, 1, v), cvt64_u(v)), 0)

#define NDV__INSTALL_UNPACK_G(NAME, IS, SW, SRC, TO, MAKE, CHECKED) k->unpack[SW][SRC][TO] = NAME;
#define NDV__INSTALL_TOLIST_G(NAME, IS, SW, SRC, KIND, MAKE) k->tolist[SW][SRC] = NAME;

/*
 * Define every kernel, and ndv__simd_values_install(k), the value
 * family's install macro's function form (the lists above say what goes
 * where).
 */
#if defined(NDV__HAVE_F16)
#define NDV__SIMD_F16_DEFINE NDV__SIMD_F16(NDV__UNPACK_KERNEL_G, NDV__TOLIST_KERNEL_G)
#define NDV__SIMD_F16_INSTALL NDV__SIMD_F16(NDV__INSTALL_UNPACK_G, NDV__INSTALL_TOLIST_G)
#else
#define NDV__SIMD_F16_DEFINE
#define NDV__SIMD_F16_INSTALL
#endif
#if defined(NDV__HAVE_CVT64)
#define NDV__SIMD_CVT64_DEFINE NDV__SIMD_CVT64(NDV__UNPACK_KERNEL_G)
#define NDV__SIMD_CVT64_INSTALL NDV__SIMD_CVT64(NDV__INSTALL_UNPACK_G)
#else
#define NDV__SIMD_CVT64_DEFINE
#define NDV__SIMD_CVT64_INSTALL
#endif

NDV__SIMD_UNPACKS(NDV__UNPACK_KERNEL_G)
NDV__SIMD_TOLISTS(NDV__TOLIST_KERNEL_G)
NDV__SIMD_F16_DEFINE
NDV__SIMD_CVT64_DEFINE

static void ndv__simd_values_install(ndv__kernels *k)
{
    NDV__SIMD_UNPACKS(NDV__INSTALL_UNPACK_G)
    NDV__SIMD_TOLISTS(NDV__INSTALL_TOLIST_G)
    NDV__SIMD_F16_INSTALL
    NDV__SIMD_CVT64_INSTALL
}

#if defined(NDV__HAVE_SHUFFLE16)
/*
 * Hex with a separator before every group of g bytes (units of u = 2g + 1
 * characters). The digits of a stretch go to a buffer first (the level's
 * HEX); then every 16-byte output vector is one table lookup of 16 digits
 * from the buffer, with the separators or-ed in. The pattern repeats every
 * 16 groups (u output vectors), so u masks describe it. Groups above 8
 * bytes are long enough for HEX alone.
 */
enum { SEP_PERIODS = 32, SEP_MAX_GROUP = 8 };

typedef struct sep_pattern {
    uint8_t mask[2 * SEP_MAX_GROUP + 1][16], seps[2 * SEP_MAX_GROUP + 1][16];
    ptrdiff_t first[2 * SEP_MAX_GROUP + 1]; /* the digit each vector's window starts at */
} sep_pattern;

static void sep_pattern_init(sep_pattern *pt, ptrdiff_t g, char sep)
{
    ptrdiff_t u = 2 * g + 1;
    for (ptrdiff_t j = 0; j < u; j++) {
        ptrdiff_t o0 = 16 * j, first = -1;
        for (ptrdiff_t o = o0; o < o0 + 16; o++) {
            ptrdiff_t k = o / u, r = o % u, digit = 2 * g * k + r - 1;
            if (r != 0 && first < 0)
                first = digit;
            pt->mask[j][o - o0] = r == 0 ? 0x80 : (uint8_t)(digit - first);
            pt->seps[j][o - o0] = r == 0 ? (uint8_t)sep : 0;
        }
        pt->first[j] = first;
    }
}

#define NDV__HEX_SEP_KERNEL(HEX)                                                              \
    static void hex_sep(char *dst, const unsigned char *src, ptrdiff_t ngroups, ptrdiff_t g,  \
                        char sep)                                                             \
    {                                                                                         \
        ptrdiff_t u = 2 * g + 1, i = 0;                                                       \
        if (g <= SEP_MAX_GROUP && ngroups >= 64) {                                            \
            sep_pattern pt;                                                                   \
            sep_pattern_init(&pt, g, sep);                                                    \
            char digits[32 * SEP_MAX_GROUP * SEP_PERIODS + 16] = {0}; /* + a window's slack */ \
            while (i + 16 <= ngroups) {                                                       \
                ptrdiff_t periods = (ngroups - i) / 16;                                       \
                periods = periods < SEP_PERIODS ? periods : SEP_PERIODS;                      \
                HEX(digits, src + i * g, 16 * g * periods);                                   \
                for (ptrdiff_t p = 0; p < periods; p++, i += 16)                              \
                    for (ptrdiff_t j = 0; j < u; j++)                                         \
                        shuffle16(dst + i * u + 16 * j, digits + 32 * g * p + pt.first[j],    \
                                  pt.mask[j], pt.seps[j]);                                    \
            }                                                                                 \
        }                                                                                     \
        for (; i < ngroups; i++) {                                                            \
            dst[i * u] = sep;                                                                 \
            HEX(dst + i * u + 1, src + i * g, g);                                             \
        }                                                                                     \
    }
#endif

#endif
