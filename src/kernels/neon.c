/*
 * neon.c - AArch64 Advanced SIMD kernels: every-other-item gathers with
 * the de-interleaving loads (vld2), 4x4 / 2x2 transposes, and short runs
 * at a stride packed with one table lookup (tbl) per 16 bytes.
 */
#include <arm_neon.h>

#include "simd_common.h"

static ndv__strided_fn prev_strided[NDV__NSIZES];
static ndv__tile_fn prev_tile[NDV__NSIZES];
static void (*prev_runs)(char *, ptrdiff_t, const char *, ptrdiff_t, ptrdiff_t, ptrdiff_t);

/* vld2 reads exactly the 2*G items of a group: no read past it. */
static inline void step2_1(char *d, const char *s)
{
    vst1q_u8((uint8_t *)d, vld2q_u8((const uint8_t *)s).val[0]);
}

static inline void step2_2(char *d, const char *s)
{
    vst1q_u16((uint16_t *)d, vld2q_u16((const uint16_t *)s).val[0]);
}

static inline void step2_4(char *d, const char *s)
{
    vst1q_u32((uint32_t *)d, vld2q_u32((const uint32_t *)s).val[0]);
}

static inline void step2_8(char *d, const char *s)
{
    vst1q_u64((uint64_t *)d, vld2q_u64((const uint64_t *)s).val[0]);
}

NDV__STEP2_KERNEL(strided1, 1, 16, step2_1, step2_1, (void)0, PREV_S1)
NDV__STEP2_KERNEL(strided2, 2, 8, step2_2, step2_2, (void)0, PREV_S2)
NDV__STEP2_KERNEL(strided4, 4, 4, step2_4, step2_4, (void)0, PREV_S4)
NDV__STEP2_KERNEL(strided8, 8, 2, step2_8, step2_8, (void)0, PREV_S8)

static inline void micro4(char *d, ptrdiff_t ds, const char *s, ptrdiff_t ss)
{
    uint32x4_t r0 = vld1q_u32((const uint32_t *)s), r1 = vld1q_u32((const uint32_t *)(s + ss));
    uint32x4_t r2 = vld1q_u32((const uint32_t *)(s + 2 * ss));
    uint32x4_t r3 = vld1q_u32((const uint32_t *)(s + 3 * ss));
    uint32x4_t t0 = vtrn1q_u32(r0, r1), t1 = vtrn2q_u32(r0, r1);
    uint32x4_t t2 = vtrn1q_u32(r2, r3), t3 = vtrn2q_u32(r2, r3);
    uint64x2_t a0 = vreinterpretq_u64_u32(t0), a1 = vreinterpretq_u64_u32(t1);
    uint64x2_t a2 = vreinterpretq_u64_u32(t2), a3 = vreinterpretq_u64_u32(t3);
    vst1q_u64((uint64_t *)d, vtrn1q_u64(a0, a2));
    vst1q_u64((uint64_t *)(d + ds), vtrn1q_u64(a1, a3));
    vst1q_u64((uint64_t *)(d + 2 * ds), vtrn2q_u64(a0, a2));
    vst1q_u64((uint64_t *)(d + 3 * ds), vtrn2q_u64(a1, a3));
}

static inline void micro8(char *d, ptrdiff_t ds, const char *s, ptrdiff_t ss)
{
    uint64x2_t r0 = vld1q_u64((const uint64_t *)s), r1 = vld1q_u64((const uint64_t *)(s + ss));
    vst1q_u64((uint64_t *)d, vtrn1q_u64(r0, r1));
    vst1q_u64((uint64_t *)(d + ds), vtrn2q_u64(r0, r1));
}

NDV__TILE_KERNEL(tile4, 4, 4, 64, micro4, PREV_T4)
NDV__TILE_KERNEL(tile8, 8, 2, 32, micro8, PREV_T8)

/* tbl gives 0 for the mask's 0x80 entries. */
static inline void pack16(char *dst, const char *src, uint8x16_t mask)
{
    vst1q_u8((uint8_t *)dst, vqtbl1q_u8(vld1q_u8((const uint8_t *)src), mask));
}

NDV__RUNS_KERNEL(copy_runs, uint8x16_t, vld1q_u8, pack16, prev_runs)

/* ------------------------------------------------------------------------ */
/* Value kernels: widening moves (vmovl) and float conversions (fcvtl)       */
/* ------------------------------------------------------------------------ */

static ndv__unpack_fn prev_unpack[2][NDV__NSRC][3];
static ndv__equal_fn prev_equal[2];
static void (*prev_hex)(char *, const unsigned char *, ptrdiff_t);

/* 8 values a step: 4 stores of two 64-bit lanes. */
static inline void store8(char *d, int64x2_t a, int64x2_t b, int64x2_t c, int64x2_t e)
{
    vst1q_s64((int64_t *)d, a);
    vst1q_s64((int64_t *)(d + 16), b);
    vst1q_s64((int64_t *)(d + 32), c);
    vst1q_s64((int64_t *)(d + 48), e);
}

static inline void widen32(char *d, int32x4_t lo, int32x4_t hi)
{
    store8(d, vmovl_s32(vget_low_s32(lo)), vmovl_high_s32(lo), vmovl_s32(vget_low_s32(hi)),
           vmovl_high_s32(hi));
}

static inline void step_i8(char *d, const char *s)
{
    int16x8_t h = vmovl_s8(vld1_s8((const int8_t *)s));
    widen32(d, vmovl_s16(vget_low_s16(h)), vmovl_high_s16(h));
}

static inline void step_i16(char *d, const char *s)
{
    int16x8_t h = vld1q_s16((const int16_t *)s);
    widen32(d, vmovl_s16(vget_low_s16(h)), vmovl_high_s16(h));
}

static inline void step_i32(char *d, const char *s)
{
    widen32(d, vld1q_s32((const int32_t *)s), vld1q_s32((const int32_t *)(s + 16)));
}

static inline void step_i32sw(char *d, const char *s)
{
    int32x4_t a = vreinterpretq_s32_u8(vrev32q_u8(vld1q_u8((const uint8_t *)s)));
    int32x4_t b = vreinterpretq_s32_u8(vrev32q_u8(vld1q_u8((const uint8_t *)(s + 16))));
    widen32(d, a, b);
}

static inline void store_f64(char *d, float32x4_t lo, float32x4_t hi)
{
    vst1q_f64((double *)d, vcvt_f64_f32(vget_low_f32(lo)));
    vst1q_f64((double *)(d + 16), vcvt_high_f64_f32(lo));
    vst1q_f64((double *)(d + 32), vcvt_f64_f32(vget_low_f32(hi)));
    vst1q_f64((double *)(d + 48), vcvt_high_f64_f32(hi));
}

static inline void step_f32(char *d, const char *s)
{
    store_f64(d, vld1q_f32((const float *)s), vld1q_f32((const float *)(s + 16)));
}

static inline void step_f16(char *d, const char *s)
{
    float16x8_t h = vreinterpretq_f16_u16(vld1q_u16((const uint16_t *)s));
    store_f64(d, vcvt_f32_f16(vget_low_f16(h)), vcvt_high_f32_f16(h));
}

#define UNPACK8(NAME, IS, STEP, SW, SRC, TO) \
    NDV__UNPACK_KERNEL(NAME, IS, 8, STEP, STEP, (void)0, prev_unpack[SW][SRC][TO])

UNPACK8(i8_i64, 1, step_i8, 0, NDV__SRC_I8, NDV_I64)
UNPACK8(i16_i64, 2, step_i16, 0, NDV__SRC_I16, NDV_I64)
UNPACK8(i32_i64, 4, step_i32, 0, NDV__SRC_I32, NDV_I64)
UNPACK8(i32sw_i64, 4, step_i32sw, 1, NDV__SRC_I32, NDV_I64)
UNPACK8(f32_f64, 4, step_f32, 0, NDV__SRC_F32, NDV_F64)
UNPACK8(f16_f64, 2, step_f16, 0, NDV__SRC_F16, NDV_F64)

static inline bool same_f64(const char *a, const char *b)
{
    uint64x2_t e = vceqq_f64(vld1q_f64((const double *)a), vld1q_f64((const double *)b));
    return vminvq_u32(vreinterpretq_u32_u64(e)) != 0;
}

static inline bool same_f32(const char *a, const char *b)
{
    return vminvq_u32(vceqq_f32(vld1q_f32((const float *)a), vld1q_f32((const float *)b))) != 0;
}

NDV__EQUAL_KERNEL(equal_f64, 8, 2, same_f64, prev_equal[1])
NDV__EQUAL_KERNEL(equal_f32, 4, 4, same_f32, prev_equal[0])

static void hex(char *dst, const unsigned char *src, ptrdiff_t n)
{
    const uint8x16_t lut = vld1q_u8((const uint8_t *)"0123456789abcdef");
    ptrdiff_t i = 0;
    for (; i + 16 <= n; i += 16) {
        uint8x16_t x = vld1q_u8(src + i);
        uint8x16x2_t out = {{vqtbl1q_u8(lut, vshrq_n_u8(x, 4)), vqtbl1q_u8(lut, vandq_u8(x, vdupq_n_u8(15)))}};
        vst2q_u8((uint8_t *)dst + 2 * i, out); /* interleaves high and low digits */
    }
    prev_hex(dst + 2 * i, src + i, n - i);
}

static void init_values(ndv__kernels *k)
{
    memcpy(prev_unpack, k->unpack, sizeof prev_unpack);
    memcpy(prev_equal, k->equal_float, sizeof prev_equal);
    prev_hex = k->hex;
    k->unpack[0][NDV__SRC_I8][NDV_I64] = i8_i64;
    k->unpack[0][NDV__SRC_I16][NDV_I64] = i16_i64;
    k->unpack[0][NDV__SRC_I32][NDV_I64] = i32_i64;
    k->unpack[1][NDV__SRC_I32][NDV_I64] = i32sw_i64;
    k->unpack[0][NDV__SRC_F32][NDV_F64] = f32_f64;
    k->unpack[0][NDV__SRC_F16][NDV_F64] = f16_f64;
    k->equal_float[0] = equal_f32;
    k->equal_float[1] = equal_f64;
    k->hex = hex;
}

void ndv__kernels_init_neon(ndv__kernels *k)
{
    init_values(k);
    memcpy(prev_strided, k->copy_strided, sizeof prev_strided);
    memcpy(prev_tile, k->copy_tile, sizeof prev_tile);
    prev_runs = k->copy_runs;
    k->name = "neon";
    k->copy_strided[0] = strided1;
    k->copy_strided[1] = strided2;
    k->copy_strided[2] = strided4;
    k->copy_strided[3] = strided8;
    k->copy_tile[2] = tile4;
    k->copy_tile[3] = tile8;
    k->copy_runs = copy_runs;
}
