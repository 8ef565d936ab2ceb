/*
 * scalar_values.c - the portable value kernels: unpack_as, tolist, float
 * equality and hex. The reference every SIMD level matches bit for bit.
 *
 * Each kernel is one row of the lists below, instantiated as a tight, typed
 * loop the compiler can unroll.
 */
#include <stdint.h>
#include <string.h>

#include "../convert.h"
#include "kernels.h"

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

#define AS_I8(r) ((int64_t)(int8_t)(r))
#define AS_I16(r) ((int64_t)(int16_t)(r))
#define AS_I32(r) ((int64_t)(int32_t)(r))
#define AS_I64(r) ((int64_t)(r))
#define AS_U(r) ((uint64_t)(r))
#define AS_BOOL(r) ((uint64_t)((r) != 0))

/*
 * Every unpack kernel: U(name, raw type, swapped, value type, VALUE, range
 * check, output type, source, target). Integers go to every target with
 * ndv_unpack_as's range checks; floats only to double. One-byte sources
 * have no byte order, so no swapped kernels.
 */
#define SCALAR_UNPACKS(U)                                                                              \
    U(unpack_i8_i64, uint8_t, 0, int64_t, AS_I8, 1, int64_t, NDV__SRC_I8, NDV_I64)                     \
    U(unpack_i8_u64, uint8_t, 0, int64_t, AS_I8, x >= 0, uint64_t, NDV__SRC_I8, NDV_U64)               \
    U(unpack_i8_f64, uint8_t, 0, int64_t, AS_I8, 1, double, NDV__SRC_I8, NDV_F64)                      \
    U(unpack_u8_i64, uint8_t, 0, uint64_t, AS_U, x <= INT64_MAX, int64_t, NDV__SRC_U8, NDV_I64)        \
    U(unpack_u8_u64, uint8_t, 0, uint64_t, AS_U, 1, uint64_t, NDV__SRC_U8, NDV_U64)                    \
    U(unpack_u8_f64, uint8_t, 0, uint64_t, AS_U, 1, double, NDV__SRC_U8, NDV_F64)                      \
    U(unpack_bool_i64, uint8_t, 0, uint64_t, AS_BOOL, x <= INT64_MAX, int64_t, NDV__SRC_BOOL, NDV_I64) \
    U(unpack_bool_u64, uint8_t, 0, uint64_t, AS_BOOL, 1, uint64_t, NDV__SRC_BOOL, NDV_U64)             \
    U(unpack_bool_f64, uint8_t, 0, uint64_t, AS_BOOL, 1, double, NDV__SRC_BOOL, NDV_F64)               \
    U(unpack_i16_i64, uint16_t, 0, int64_t, AS_I16, 1, int64_t, NDV__SRC_I16, NDV_I64)                 \
    U(unpack_i16_u64, uint16_t, 0, int64_t, AS_I16, x >= 0, uint64_t, NDV__SRC_I16, NDV_U64)           \
    U(unpack_i16_f64, uint16_t, 0, int64_t, AS_I16, 1, double, NDV__SRC_I16, NDV_F64)                  \
    U(unpack_u16_i64, uint16_t, 0, uint64_t, AS_U, x <= INT64_MAX, int64_t, NDV__SRC_U16, NDV_I64)     \
    U(unpack_u16_u64, uint16_t, 0, uint64_t, AS_U, 1, uint64_t, NDV__SRC_U16, NDV_U64)                 \
    U(unpack_u16_f64, uint16_t, 0, uint64_t, AS_U, 1, double, NDV__SRC_U16, NDV_F64)                   \
    U(unpack_i32_i64, uint32_t, 0, int64_t, AS_I32, 1, int64_t, NDV__SRC_I32, NDV_I64)                 \
    U(unpack_i32_u64, uint32_t, 0, int64_t, AS_I32, x >= 0, uint64_t, NDV__SRC_I32, NDV_U64)           \
    U(unpack_i32_f64, uint32_t, 0, int64_t, AS_I32, 1, double, NDV__SRC_I32, NDV_F64)                  \
    U(unpack_u32_i64, uint32_t, 0, uint64_t, AS_U, x <= INT64_MAX, int64_t, NDV__SRC_U32, NDV_I64)     \
    U(unpack_u32_u64, uint32_t, 0, uint64_t, AS_U, 1, uint64_t, NDV__SRC_U32, NDV_U64)                 \
    U(unpack_u32_f64, uint32_t, 0, uint64_t, AS_U, 1, double, NDV__SRC_U32, NDV_F64)                   \
    U(unpack_i64_i64, uint64_t, 0, int64_t, AS_I64, 1, int64_t, NDV__SRC_I64, NDV_I64)                 \
    U(unpack_i64_u64, uint64_t, 0, int64_t, AS_I64, x >= 0, uint64_t, NDV__SRC_I64, NDV_U64)           \
    U(unpack_i64_f64, uint64_t, 0, int64_t, AS_I64, 1, double, NDV__SRC_I64, NDV_F64)                  \
    U(unpack_u64_i64, uint64_t, 0, uint64_t, AS_U, x <= INT64_MAX, int64_t, NDV__SRC_U64, NDV_I64)     \
    U(unpack_u64_u64, uint64_t, 0, uint64_t, AS_U, 1, uint64_t, NDV__SRC_U64, NDV_U64)                 \
    U(unpack_u64_f64, uint64_t, 0, uint64_t, AS_U, 1, double, NDV__SRC_U64, NDV_F64)                   \
    U(unpack_f16_f64, uint16_t, 0, double, ndv__half_to_double, 1, double, NDV__SRC_F16, NDV_F64)      \
    U(unpack_f32_f64, uint32_t, 0, double, bits_f32, 1, double, NDV__SRC_F32, NDV_F64)                 \
    U(unpack_f64_f64, uint64_t, 0, double, bits_f64, 1, double, NDV__SRC_F64, NDV_F64)                 \
    U(unpack_i16_i64_sw, uint16_t, 1, int64_t, AS_I16, 1, int64_t, NDV__SRC_I16, NDV_I64)              \
    U(unpack_i16_u64_sw, uint16_t, 1, int64_t, AS_I16, x >= 0, uint64_t, NDV__SRC_I16, NDV_U64)        \
    U(unpack_i16_f64_sw, uint16_t, 1, int64_t, AS_I16, 1, double, NDV__SRC_I16, NDV_F64)               \
    U(unpack_u16_i64_sw, uint16_t, 1, uint64_t, AS_U, x <= INT64_MAX, int64_t, NDV__SRC_U16, NDV_I64)  \
    U(unpack_u16_u64_sw, uint16_t, 1, uint64_t, AS_U, 1, uint64_t, NDV__SRC_U16, NDV_U64)              \
    U(unpack_u16_f64_sw, uint16_t, 1, uint64_t, AS_U, 1, double, NDV__SRC_U16, NDV_F64)                \
    U(unpack_i32_i64_sw, uint32_t, 1, int64_t, AS_I32, 1, int64_t, NDV__SRC_I32, NDV_I64)              \
    U(unpack_i32_u64_sw, uint32_t, 1, int64_t, AS_I32, x >= 0, uint64_t, NDV__SRC_I32, NDV_U64)        \
    U(unpack_i32_f64_sw, uint32_t, 1, int64_t, AS_I32, 1, double, NDV__SRC_I32, NDV_F64)               \
    U(unpack_u32_i64_sw, uint32_t, 1, uint64_t, AS_U, x <= INT64_MAX, int64_t, NDV__SRC_U32, NDV_I64)  \
    U(unpack_u32_u64_sw, uint32_t, 1, uint64_t, AS_U, 1, uint64_t, NDV__SRC_U32, NDV_U64)              \
    U(unpack_u32_f64_sw, uint32_t, 1, uint64_t, AS_U, 1, double, NDV__SRC_U32, NDV_F64)                \
    U(unpack_i64_i64_sw, uint64_t, 1, int64_t, AS_I64, 1, int64_t, NDV__SRC_I64, NDV_I64)              \
    U(unpack_i64_u64_sw, uint64_t, 1, int64_t, AS_I64, x >= 0, uint64_t, NDV__SRC_I64, NDV_U64)        \
    U(unpack_i64_f64_sw, uint64_t, 1, int64_t, AS_I64, 1, double, NDV__SRC_I64, NDV_F64)               \
    U(unpack_u64_i64_sw, uint64_t, 1, uint64_t, AS_U, x <= INT64_MAX, int64_t, NDV__SRC_U64, NDV_I64)  \
    U(unpack_u64_u64_sw, uint64_t, 1, uint64_t, AS_U, 1, uint64_t, NDV__SRC_U64, NDV_U64)              \
    U(unpack_u64_f64_sw, uint64_t, 1, uint64_t, AS_U, 1, double, NDV__SRC_U64, NDV_F64)                \
    U(unpack_f16_f64_sw, uint16_t, 1, double, ndv__half_to_double, 1, double, NDV__SRC_F16, NDV_F64)   \
    U(unpack_f32_f64_sw, uint32_t, 1, double, bits_f32, 1, double, NDV__SRC_F32, NDV_F64)              \
    U(unpack_f64_f64_sw, uint64_t, 1, double, bits_f64, 1, double, NDV__SRC_F64, NDV_F64)

/* Every tolist kernel: L(name, raw type, swapped, value type, VALUE, kind, field, source). */
#define SCALAR_TOLISTS(L)                                                                     \
    L(list_i8, uint8_t, 0, int64_t, AS_I8, NDV_KIND_INT, i, NDV__SRC_I8)                      \
    L(list_u8, uint8_t, 0, uint64_t, AS_U, NDV_KIND_UINT, u, NDV__SRC_U8)                     \
    L(list_bool, uint8_t, 0, uint64_t, AS_BOOL, NDV_KIND_BOOL, b, NDV__SRC_BOOL)              \
    L(list_i16, uint16_t, 0, int64_t, AS_I16, NDV_KIND_INT, i, NDV__SRC_I16)                  \
    L(list_u16, uint16_t, 0, uint64_t, AS_U, NDV_KIND_UINT, u, NDV__SRC_U16)                  \
    L(list_i32, uint32_t, 0, int64_t, AS_I32, NDV_KIND_INT, i, NDV__SRC_I32)                  \
    L(list_u32, uint32_t, 0, uint64_t, AS_U, NDV_KIND_UINT, u, NDV__SRC_U32)                  \
    L(list_i64, uint64_t, 0, int64_t, AS_I64, NDV_KIND_INT, i, NDV__SRC_I64)                  \
    L(list_u64, uint64_t, 0, uint64_t, AS_U, NDV_KIND_UINT, u, NDV__SRC_U64)                  \
    L(list_f16, uint16_t, 0, double, ndv__half_to_double, NDV_KIND_FLOAT, f, NDV__SRC_F16)    \
    L(list_f32, uint32_t, 0, double, bits_f32, NDV_KIND_FLOAT, f, NDV__SRC_F32)               \
    L(list_f64, uint64_t, 0, double, bits_f64, NDV_KIND_FLOAT, f, NDV__SRC_F64)               \
    L(list_i16_sw, uint16_t, 1, int64_t, AS_I16, NDV_KIND_INT, i, NDV__SRC_I16)               \
    L(list_u16_sw, uint16_t, 1, uint64_t, AS_U, NDV_KIND_UINT, u, NDV__SRC_U16)               \
    L(list_i32_sw, uint32_t, 1, int64_t, AS_I32, NDV_KIND_INT, i, NDV__SRC_I32)               \
    L(list_u32_sw, uint32_t, 1, uint64_t, AS_U, NDV_KIND_UINT, u, NDV__SRC_U32)               \
    L(list_i64_sw, uint64_t, 1, int64_t, AS_I64, NDV_KIND_INT, i, NDV__SRC_I64)               \
    L(list_u64_sw, uint64_t, 1, uint64_t, AS_U, NDV_KIND_UINT, u, NDV__SRC_U64)               \
    L(list_f16_sw, uint16_t, 1, double, ndv__half_to_double, NDV_KIND_FLOAT, f, NDV__SRC_F16) \
    L(list_f32_sw, uint32_t, 1, double, bits_f32, NDV_KIND_FLOAT, f, NDV__SRC_F32)            \
    L(list_f64_sw, uint64_t, 1, double, bits_f64, NDV_KIND_FLOAT, f, NDV__SRC_F64)

#define DEFINE_UNPACK(NAME, RAW, SW, T, VALUE, CHECK, OUT, SRC, TO) \
    UNPACK_LOOP(NAME, RAW, SW, T, VALUE, CHECK, OUT)
#define DEFINE_TOLIST(NAME, RAW, SW, T, VALUE, KIND, FIELD, SRC) \
    TOLIST_LOOP(NAME, RAW, SW, T, VALUE, KIND, FIELD)
SCALAR_UNPACKS(DEFINE_UNPACK)
SCALAR_TOLISTS(DEFINE_TOLIST)

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

#define INSTALL_UNPACK(NAME, RAW, SW, T, VALUE, CHECK, OUT, SRC, TO) k->unpack[SW][SRC][TO] = NAME;
#define INSTALL_TOLIST(NAME, RAW, SW, T, VALUE, KIND, FIELD, SRC) k->tolist[SW][SRC] = NAME;

void ndv__kernels_init_scalar_values(ndv__kernels *k)
{
    memset(k->unpack, 0, sizeof k->unpack); /* the cells no slot names stay NULL */
    memset(k->tolist, 0, sizeof k->tolist);
    SCALAR_UNPACKS(INSTALL_UNPACK)
    SCALAR_TOLISTS(INSTALL_TOLIST)
    k->equal_float[0] = equal_f32;
    k->equal_float[1] = equal_f64;
    k->hex = hex;
    k->hex_sep = hex_sep;
}
