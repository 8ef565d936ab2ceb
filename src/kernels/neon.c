/*
 * neon.c - AArch64 Advanced SIMD kernels: every-other-item gathers with
 * the de-interleaving loads (vld2), 4x4 / 2x2 transposes, and short runs
 * at a stride packed with one table lookup (tbl) per 16 bytes.
 */
#include <arm_neon.h>

#include "simd_common.h"


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

NDV__RUNS_KERNEL(copy_runs, uint8x16_t, vld1q_u8, pack16, lower->copy_runs)

/* ------------------------------------------------------------------------ */
/* Value kernels: widening moves (vmovl), conversions (fcvtl, scvtf), byte   */
/* reversal (vrev); 4 values a step, see simd_values.h                       */
/* ------------------------------------------------------------------------ */

typedef int64x2_t vec;
typedef int32x4_t v32;
#define NDV__G 4
#define NDV__HAVE_F16
#define FENCE ((void)0) /* NEON has no streaming stores in its intrinsics: plain stores */


static inline uint8x8_t load4_u8(const char *s)
{
    uint32_t r;
    memcpy(&r, s, 4);
    return vreinterpret_u8_u32(vdup_n_u32(r));
}

static inline uint16x4_t load4_u16(const char *s, int sw)
{
    uint8x8_t x = vld1_u8((const uint8_t *)s);
    return vreinterpret_u16_u8(sw ? vrev16_u8(x) : x);
}

static inline v32 ld_i8(const char *s)
{
    return vmovl_s16(vget_low_s16(vmovl_s8(vreinterpret_s8_u8(load4_u8(s)))));
}
static inline v32 ld_u8(const char *s)
{
    return vreinterpretq_s32_u32(vmovl_u16(vget_low_u16(vmovl_u8(load4_u8(s)))));
}
static inline v32 ld_bool(const char *s)
{
    return vreinterpretq_s32_u32(vminq_u32(vreinterpretq_u32_s32(ld_u8(s)), vdupq_n_u32(1)));
}
static inline v32 ld_i16(const char *s, int sw)
{
    return vmovl_s16(vreinterpret_s16_u16(load4_u16(s, sw)));
}
static inline v32 ld_u16(const char *s, int sw)
{
    return vreinterpretq_s32_u32(vmovl_u16(load4_u16(s, sw)));
}
static inline v32 ld_32(const char *s, int sw)
{
    uint8x16_t x = vld1q_u8((const uint8_t *)s);
    return vreinterpretq_s32_u8(sw ? vrev32q_u8(x) : x);
}
static inline void ext_s(v32 x, vec v[2])
{
    v[0] = vmovl_s32(vget_low_s32(x));
    v[1] = vmovl_high_s32(x);
}
static inline void ext_u(v32 x, vec v[2])
{
    uint32x4_t u = vreinterpretq_u32_s32(x);
    v[0] = vreinterpretq_s64_u64(vmovl_u32(vget_low_u32(u)));
    v[1] = vreinterpretq_s64_u64(vmovl_high_u32(u));
}
static inline void f32_f64(v32 x, vec v[2])
{
    float32x4_t f = vreinterpretq_f32_s32(x);
    v[0] = vreinterpretq_s64_f64(vcvt_f64_f32(vget_low_f32(f)));
    v[1] = vreinterpretq_s64_f64(vcvt_high_f64_f32(f));
}
static inline void ld_64(const char *s, int sw, vec v[2])
{
    uint8x16_t a = vld1q_u8((const uint8_t *)s), b = vld1q_u8((const uint8_t *)(s + 16));
    v[0] = vreinterpretq_s64_u8(sw ? vrev64q_u8(a) : a);
    v[1] = vreinterpretq_s64_u8(sw ? vrev64q_u8(b) : b);
}
/* fcvtl: every half is exact as a float. */
static inline void ld_f16(const char *s, int sw, vec v[2])
{
    float16x4_t h = vreinterpret_f16_u16(load4_u16(s, sw));
    f32_f64(vreinterpretq_s32_f32(vcvt_f32_f16(h)), v);
}
#define NDV__HAVE_CVT64
static inline void cvt64_s(vec v[2])
{
    v[0] = vreinterpretq_s64_f64(vcvtq_f64_s64(v[0]));
    v[1] = vreinterpretq_s64_f64(vcvtq_f64_s64(v[1]));
}
static inline void cvt64_u(vec v[2])
{
    v[0] = vreinterpretq_s64_f64(vcvtq_f64_u64(vreinterpretq_u64_s64(v[0])));
    v[1] = vreinterpretq_s64_f64(vcvtq_f64_u64(vreinterpretq_u64_s64(v[1])));
}
/* Through 64-bit integers: every 32-bit value is exact as a double. */
static inline void cvt_s(v32 x, vec v[2])
{
    ext_s(x, v);
    cvt64_s(v);
}
static inline void cvt_u(v32 x, vec v[2])
{
    ext_u(x, v);
    cvt64_u(v);
}

static inline bool any_neg(const vec v[2])
{
    uint64x2_t o = vreinterpretq_u64_s64(vorrq_s64(v[0], v[1]));
    return ((vgetq_lane_u64(o, 0) | vgetq_lane_u64(o, 1)) >> 63) != 0;
}
static inline void store2(char *d, const vec v[2])
{
    vst1q_s64((int64_t *)d, v[0]);
    vst1q_s64((int64_t *)(d + 16), v[1]);
}
#define stream2 store2

/* Two values as [kind, a, 0] [kind, b, 0]: three 16-byte stores. */
static inline void list2(ndv_value *out, const vec v[2], int64_t kind, bool stream)
{
    (void)stream;
    int64x1_t k = vdup_n_s64(kind), z = vdup_n_s64(0);
    for (int h = 0; h < 2; h++) {
        int64_t *o = (int64_t *)(out + 2 * h);
        vst1q_s64(o, vcombine_s64(k, vget_low_s64(v[h])));
        vst1q_s64(o + 2, vcombine_s64(z, k));
        vst1q_s64(o + 4, vcombine_s64(vget_high_s64(v[h]), z));
    }
}

#define NDV__HAVE_SHUFFLE16
static inline void shuffle16(char *out, const char *in, const uint8_t *mask, const uint8_t *seps)
{
    /* tbl gives 0 for an index past the table, as pshufb does for 0x80 */
    uint8x16_t w = vqtbl1q_u8(vld1q_u8((const uint8_t *)in), vld1q_u8(mask));
    vst1q_u8((uint8_t *)out, vorrq_u8(w, vld1q_u8(seps)));
}

#include "simd_values.h"

static inline bool same_f64(const char *a, const char *b)
{
    uint64x2_t e = vceqq_f64(vld1q_f64((const double *)a), vld1q_f64((const double *)b));
    return vminvq_u32(vreinterpretq_u32_u64(e)) != 0;
}

static inline bool same_f32(const char *a, const char *b)
{
    return vminvq_u32(vceqq_f32(vld1q_f32((const float *)a), vld1q_f32((const float *)b))) != 0;
}

NDV__EQUAL_KERNEL(equal_f64, 8, 2, same_f64, lower->equal_float[1])
NDV__EQUAL_KERNEL(equal_f32, 4, 4, same_f32, lower->equal_float[0])

static void hex(char *dst, const unsigned char *src, ptrdiff_t n)
{
    const uint8x16_t lut = vld1q_u8((const uint8_t *)"0123456789abcdef");
    ptrdiff_t i = 0;
    for (; i + 16 <= n; i += 16) {
        uint8x16_t x = vld1q_u8(src + i);
        uint8x16x2_t out = {{vqtbl1q_u8(lut, vshrq_n_u8(x, 4)), vqtbl1q_u8(lut, vandq_u8(x, vdupq_n_u8(15)))}};
        vst2q_u8((uint8_t *)dst + 2 * i, out); /* interleaves high and low digits */
    }
    lower->hex(dst + 2 * i, src + i, n - i);
}

NDV__HEX_SEP_KERNEL(hex)

void ndv__kernels_init_neon(ndv__kernels *k, const ndv__kernels *below)
{
    NDV__KEEP_LOWER(below);
    ndv__simd_values_install(k);
    NDV__INSTALL_EQUAL(k);
    k->hex = hex;
    k->hex_sep = hex_sep;
    NDV__INSTALL_STRIDED(k);
    NDV__INSTALL_TILES_4_8(k);
    k->copy_runs = copy_runs;
}
