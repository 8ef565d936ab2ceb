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

#define PREV_S1(...) prev_strided[0](__VA_ARGS__)
#define PREV_S2(...) prev_strided[1](__VA_ARGS__)
#define PREV_S4(...) prev_strided[2](__VA_ARGS__)
#define PREV_S8(...) prev_strided[3](__VA_ARGS__)
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

#define PREV_T4(...) prev_tile[2](__VA_ARGS__)
#define PREV_T8(...) prev_tile[3](__VA_ARGS__)
NDV__TILE_KERNEL(tile4, 4, 4, 64, micro4, PREV_T4)
NDV__TILE_KERNEL(tile8, 8, 2, 32, micro8, PREV_T8)

/* Same bounds as the SSE4.1 version: a spare group after every load and store. */
static void copy_runs(char *dst, ptrdiff_t ds, const char *src, ptrdiff_t ss, ptrdiff_t n,
                      ptrdiff_t run)
{
    ptrdiff_t i = 0;
    if (ds == run && ss > run && ss <= 16 && run > 0) {
        uint8_t m[16];
        int k = ndv__runs_mask(m, run, ss);
        uint8x16_t mask = vld1q_u8(m); /* 0x80: out of range, tbl gives 0 */
        ptrdiff_t out = k * run, need = (16 + out - 1) / out + 1;
        for (; i + (need + 1) * k < n; i += k, dst += out, src += k * ss)
            vst1q_u8((uint8_t *)dst, vqtbl1q_u8(vld1q_u8((const uint8_t *)src), mask));
    }
    prev_runs(dst, ds, src, ss, n - i, run);
}

void ndv__kernels_init_neon(ndv__kernels *k)
{
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
