/*
 * scalar_values.c - the portable value kernels: unpack_as, tolist, float
 * equality and hex. The reference every SIMD level matches bit for bit.
 *
 * Each source type is instantiated once per byte order and target by the
 * macros below, so every loop is a tight, typed loop the compiler can unroll.
 */
#include <stdint.h>
#include <string.h>

#include "../convert.h"
#include "../kernels.h"

#define BSWAP(x)                                                                  \
    _Generic((x), uint8_t: (x), uint16_t: __builtin_bswap16(x),                   \
             uint32_t: __builtin_bswap32(x), uint64_t: __builtin_bswap64(x))

static inline double bits_f32(uint32_t r)
{
    float f;
    memcpy(&f, &r, 4);
    return f;
}

static inline double bits_f64(uint64_t r)
{
    double d;
    memcpy(&d, &r, 8);
    return d;
}

/* One loop: load RAW, swap when SW, VALUE(r) -> x of type T, CHECK(x), store x as OUT. */
#define UNPACK_LOOP(NAME, RAW, SW, T, VALUE, CHECK, OUT)                                   \
    static ptrdiff_t NAME(void *dst, const char *src, ptrdiff_t ss, ptrdiff_t n)           \
    {                                                                                      \
        char *d = dst;                                                                     \
        for (ptrdiff_t i = 0; i < n; i++, src += ss, d += 8) {                             \
            RAW r;                                                                         \
            memcpy(&r, src, sizeof r);                                                     \
            if (SW)                                                                        \
                r = BSWAP(r);                                                              \
            T x = VALUE(r);                                                                \
            if (!(CHECK))                                                                  \
                return i;                                                                  \
            OUT o = (OUT)x;                                                                \
            memcpy(d, &o, 8);                                                              \
        }                                                                                  \
        return n;                                                                          \
    }

#define TOLIST_LOOP(NAME, RAW, SW, T, VALUE, KIND, FIELD)                                  \
    static void NAME(ndv_value *out, const char *src, ptrdiff_t ss, ptrdiff_t n)           \
    {                                                                                      \
        for (ptrdiff_t i = 0; i < n; i++, src += ss) {                                     \
            RAW r;                                                                         \
            memcpy(&r, src, sizeof r);                                                     \
            if (SW)                                                                        \
                r = BSWAP(r);                                                              \
            out[i].kind = KIND;                                                            \
            memset(&out[i].v, 0, sizeof out[i].v); /* every byte defined, as SIMD's */  \
            out[i].v.FIELD = VALUE(r);                                                     \
        }                                                                                  \
    }

/* Integers: every target, with the range checks of ndv_unpack_as. */
#define SIGNED(NAME, RAW, VALUE)                                                           \
    UNPACK_LOOP(NAME##_i64, RAW, 0, int64_t, VALUE, 1, int64_t)                            \
    UNPACK_LOOP(NAME##_u64, RAW, 0, int64_t, VALUE, x >= 0, uint64_t)                      \
    UNPACK_LOOP(NAME##_f64, RAW, 0, int64_t, VALUE, 1, double)                             \
    UNPACK_LOOP(NAME##_i64_sw, RAW, 1, int64_t, VALUE, 1, int64_t)                         \
    UNPACK_LOOP(NAME##_u64_sw, RAW, 1, int64_t, VALUE, x >= 0, uint64_t)                   \
    UNPACK_LOOP(NAME##_f64_sw, RAW, 1, int64_t, VALUE, 1, double)                          \
    TOLIST_LOOP(NAME##_list, RAW, 0, int64_t, VALUE, NDV_KIND_INT, i)                      \
    TOLIST_LOOP(NAME##_list_sw, RAW, 1, int64_t, VALUE, NDV_KIND_INT, i)

#define UNSIGNED(NAME, RAW, VALUE, KIND, FIELD)                                            \
    UNPACK_LOOP(NAME##_i64, RAW, 0, uint64_t, VALUE, x <= INT64_MAX, int64_t)              \
    UNPACK_LOOP(NAME##_u64, RAW, 0, uint64_t, VALUE, 1, uint64_t)                          \
    UNPACK_LOOP(NAME##_f64, RAW, 0, uint64_t, VALUE, 1, double)                            \
    UNPACK_LOOP(NAME##_i64_sw, RAW, 1, uint64_t, VALUE, x <= INT64_MAX, int64_t)           \
    UNPACK_LOOP(NAME##_u64_sw, RAW, 1, uint64_t, VALUE, 1, uint64_t)                       \
    UNPACK_LOOP(NAME##_f64_sw, RAW, 1, uint64_t, VALUE, 1, double)                         \
    TOLIST_LOOP(NAME##_list, RAW, 0, uint64_t, VALUE, KIND, FIELD)                         \
    TOLIST_LOOP(NAME##_list_sw, RAW, 1, uint64_t, VALUE, KIND, FIELD)

/* Floats: only to double. */
#define FLOATING(NAME, RAW, VALUE)                                                         \
    UNPACK_LOOP(NAME##_f64, RAW, 0, double, VALUE, 1, double)                              \
    UNPACK_LOOP(NAME##_f64_sw, RAW, 1, double, VALUE, 1, double)                           \
    TOLIST_LOOP(NAME##_list, RAW, 0, double, VALUE, NDV_KIND_FLOAT, f)                     \
    TOLIST_LOOP(NAME##_list_sw, RAW, 1, double, VALUE, NDV_KIND_FLOAT, f)

#define AS_I8(r) ((int64_t)(int8_t)(r))
#define AS_I16(r) ((int64_t)(int16_t)(r))
#define AS_I32(r) ((int64_t)(int32_t)(r))
#define AS_I64(r) ((int64_t)(r))
#define AS_U(r) ((uint64_t)(r))
#define AS_BOOL(r) ((uint64_t)((r) != 0))

SIGNED(i8, uint8_t, AS_I8)
SIGNED(i16, uint16_t, AS_I16)
SIGNED(i32, uint32_t, AS_I32)
SIGNED(i64, uint64_t, AS_I64)
UNSIGNED(u8, uint8_t, AS_U, NDV_KIND_UINT, u)
UNSIGNED(u16, uint16_t, AS_U, NDV_KIND_UINT, u)
UNSIGNED(u32, uint32_t, AS_U, NDV_KIND_UINT, u)
UNSIGNED(u64, uint64_t, AS_U, NDV_KIND_UINT, u)
UNSIGNED(bool, uint8_t, AS_BOOL, NDV_KIND_BOOL, b)
FLOATING(f16, uint16_t, ndv__half_to_double)
FLOATING(f32, uint32_t, bits_f32)
FLOATING(f64, uint64_t, bits_f64)

#define INTS(K, SRC, NAME)                                                               \
    do {                                                                                 \
        (K)->unpack[0][SRC][NDV_I64] = NAME##_i64;                                       \
        (K)->unpack[0][SRC][NDV_U64] = NAME##_u64;                                       \
        (K)->unpack[0][SRC][NDV_F64] = NAME##_f64;                                       \
        (K)->unpack[1][SRC][NDV_I64] = NAME##_i64_sw;                                    \
        (K)->unpack[1][SRC][NDV_U64] = NAME##_u64_sw;                                    \
        (K)->unpack[1][SRC][NDV_F64] = NAME##_f64_sw;                                    \
        (K)->tolist[0][SRC] = NAME##_list;                                               \
        (K)->tolist[1][SRC] = NAME##_list_sw;                                            \
    } while (0)

#define FLOATS(K, SRC, NAME)                                                             \
    do {                                                                                 \
        (K)->unpack[0][SRC][NDV_F64] = NAME##_f64;                                       \
        (K)->unpack[1][SRC][NDV_F64] = NAME##_f64_sw;                                    \
        (K)->tolist[0][SRC] = NAME##_list;                                               \
        (K)->tolist[1][SRC] = NAME##_list_sw;                                            \
    } while (0)

/* ------------------------------------------------------------------------ */
/* Float equality and hex                                                    */
/* ------------------------------------------------------------------------ */

#define EQUAL_LOOP(NAME, T)                                                                 \
    static bool NAME(const char *a, ptrdiff_t sa, const char *b, ptrdiff_t sb, ptrdiff_t n) \
    {                                                                                       \
        for (ptrdiff_t i = 0; i < n; i++, a += sa, b += sb) {                               \
            T x, y;                                                                         \
            memcpy(&x, a, sizeof x);                                                        \
            memcpy(&y, b, sizeof y);                                                        \
            if (!(x == y))                                                                  \
                return false;                                                               \
        }                                                                                   \
        return true;                                                                        \
    }

EQUAL_LOOP(equal_f32, float)
EQUAL_LOOP(equal_f64, double)

static void hex(char *dst, const unsigned char *src, ptrdiff_t n)
{
    static const char digits[] = "0123456789abcdef";
    for (ptrdiff_t i = 0; i < n; i++) {
        dst[2 * i] = digits[src[i] >> 4];
        dst[2 * i + 1] = digits[src[i] & 15];
    }
}

static void hex_sep(char *dst, const unsigned char *src, ptrdiff_t ngroups, ptrdiff_t group,
                    char sep)
{
    for (ptrdiff_t g = 0; g < ngroups; g++, src += group, dst += 2 * group + 1) {
        dst[0] = sep;
        hex(dst + 1, src, group);
    }
}

void ndv__kernels_init_scalar_values(ndv__kernels *k)
{
    memset(k->unpack, 0, sizeof k->unpack);
    INTS(k, NDV__SRC_I8, i8);
    INTS(k, NDV__SRC_U8, u8);
    INTS(k, NDV__SRC_BOOL, bool);
    INTS(k, NDV__SRC_I16, i16);
    INTS(k, NDV__SRC_U16, u16);
    INTS(k, NDV__SRC_I32, i32);
    INTS(k, NDV__SRC_U32, u32);
    INTS(k, NDV__SRC_I64, i64);
    INTS(k, NDV__SRC_U64, u64);
    FLOATS(k, NDV__SRC_F16, f16);
    FLOATS(k, NDV__SRC_F32, f32);
    FLOATS(k, NDV__SRC_F64, f64);
    k->equal_float[0] = equal_f32;
    k->equal_float[1] = equal_f64;
    k->hex = hex;
    k->hex_sep = hex_sep;
}
