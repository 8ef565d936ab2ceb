/*
 * simd_common.h - the loop skeletons the SIMD kernel files share.
 *
 * Each level keeps the table of the level below (lower) and falls back to
 * its entries for the cases its vector code does not cover and
 * for the edges of the cases it does, so every kernel agrees byte for byte
 * with the scalar table.
 */
#ifndef NDV_SIMD_COMMON_H
#define NDV_SIMD_COMMON_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "kernels.h"

/*
 * A streaming copy of a run, W bytes a store: the head up to W-byte
 * alignment and the tail through the level below, the rest with
 * non-temporal stores (STREAM(d, s) moves W bytes). The caller fences once
 * after its last call (a fence per call would drain the write-combining
 * buffers every few kilobytes).
 */
#define NDV__STREAM_KERNEL(NAME, W, STREAM)                                          \
    static void NAME(char *dst, const char *src, ptrdiff_t n)                                \
    {                                                                                       \
        ptrdiff_t head = (ptrdiff_t)((W) - (uintptr_t)dst % (W)) % (W);                     \
        if (n < 4 * (W)) {                                                                  \
            lower->copy_run(dst, src, n);                                                   \
            return;                                                                         \
        }                                                                                   \
        lower->copy_run(dst, src, head);                                                    \
        ptrdiff_t i = head;                                                                 \
        for (; i + (W) <= n; i += (W))                                                      \
            STREAM(dst + i, src + i);                                                       \
        lower->copy_run(dst + i, src + i, n - i);                                           \
    }

/*
 * The table of the level below, set first thing by the level's init
 * (NDV__KEEP_LOWER): every kernel here hands what its vector code does not
 * cover (edges, other strides, values out of range) to the same slot there,
 * so each level agrees byte for byte with the scalar table. These tables
 * are built once and never change afterwards.
 */
static const ndv__kernels *lower;
#define NDV__KEEP_LOWER(below) (lower = (below))

#define PREV_S1(...) lower->copy_strided[0](__VA_ARGS__)
#define PREV_S2(...) lower->copy_strided[1](__VA_ARGS__)
#define PREV_S4(...) lower->copy_strided[2](__VA_ARGS__)
#define PREV_S8(...) lower->copy_strided[3](__VA_ARGS__)
#define PREV_T1(...) lower->copy_tile[0](__VA_ARGS__)
#define PREV_T2(...) lower->copy_tile[1](__VA_ARGS__)
#define PREV_T4(...) lower->copy_tile[2](__VA_ARGS__)
#define PREV_T8(...) lower->copy_tile[3](__VA_ARGS__)

/*
 * Runs of a large copy (NDV__STREAM_BYTES or more), every run streamed in
 * one loop: when all of them start W-aligned and last whole stores;
 * otherwise the level below. Short runs far apart each start with a miss
 * to memory, so the speed is how many are in flight: a call per run into
 * copy_stream ran a 4-D swap of outer axes (256-byte runs) at 0.45x memcpy
 * against 1.17x for the loop written inline, and this loop without the
 * prefetch of the run 8 ahead (its first 512 bytes; the prefetcher follows
 * longer runs) 0.53-0.80x against 0.82-1.09x with it (same processes, AMD
 * EPYC AVX2). The caller fences once after its last call, as for
 * copy_stream.
 */
#define NDV__RUNS_STREAM_KERNEL(NAME, W, STREAM)                                               \
    static void NAME(char *dst, ptrdiff_t ds, const char *src, ptrdiff_t ss, ptrdiff_t n,       \
                     ptrdiff_t run)                                                             \
    {                                                                                           \
        if ((uintptr_t)dst % (W) || ds % (W) || run % (W) || run == 0) {                        \
            lower->copy_runs_stream(dst, ds, src, ss, n, run);                                  \
            return;                                                                             \
        }                                                                                       \
        for (ptrdiff_t r = 0; r < n; r++, dst += ds, src += ss) {                               \
            for (ptrdiff_t i = 0; r + 8 < n && i < run && i < 512; i += 64)                     \
                _mm_prefetch(src + 8 * ss + i, _MM_HINT_T0); /* see above */                    \
            for (ptrdiff_t i = 0; i < run; i += (W))                                            \
                STREAM(dst + i, src + i);                                                       \
        }                                                                                       \
    }

/*
 * The install macros, one per family: every level names its kernels of a
 * family the same way, so installing them reads the same everywhere.
 */
/* Every-other-item gathers of 1, 2, 4, 8-byte items (NDV__STEP2_KERNEL). */
#define NDV__INSTALL_STRIDED(k)                                                  \
    ((k)->copy_strided[0] = strided1, (k)->copy_strided[1] = strided2,           \
     (k)->copy_strided[2] = strided4, (k)->copy_strided[3] = strided8)
/*
 * Transposes of 4 and 8-byte items (the levels with 1 and 2 set those too),
 * for copies of any size; a level with streaming-store tiles then sets
 * copy_tile_stream (copies whose whole output is NDV__STREAM_BYTES or more).
 */
#define NDV__INSTALL_TILES_4_8(k)                                                 \
    ((k)->copy_tile[2] = (k)->copy_tile_stream[2] = tile4,                        \
     (k)->copy_tile[3] = (k)->copy_tile_stream[3] = tile8)
/* Float equality (NDV__EQUAL_KERNEL). */
#define NDV__INSTALL_EQUAL(k) ((k)->equal_float[0] = equal_f32, (k)->equal_float[1] = equal_f64)

/*
 * A transpose tile: full BxB micro-tiles through MICRO, cache blocks of BLK
 * items a side, edges through the previous level. MICRO(d, dstride, s,
 * sstride) moves one BxB block whose source columns are contiguous.
 */
#define NDV__TILE_KERNEL(NAME, IS, B, BLK, MICRO, PREV)                                        \
    static void NAME(char *dst, ptrdiff_t ds0, ptrdiff_t ds1, const char *src, ptrdiff_t ss0, \
                     ptrdiff_t ss1, ptrdiff_t n0, ptrdiff_t n1)                                \
    {                                                                                          \
        if (ds1 != (IS) || ss0 != (IS)) {                                                      \
            PREV(dst, ds0, ds1, src, ss0, ss1, n0, n1);                                        \
            return;                                                                            \
        }                                                                                      \
        ptrdiff_t m0 = n0 - n0 % (B), m1 = n1 - n1 % (B);                                      \
        for (ptrdiff_t b0 = 0; b0 < m0; b0 += (BLK)) {                                         \
            ptrdiff_t e0 = b0 + (BLK) < m0 ? b0 + (BLK) : m0;                                  \
            for (ptrdiff_t b1 = 0; b1 < m1; b1 += (BLK)) {                                     \
                ptrdiff_t e1 = b1 + (BLK) < m1 ? b1 + (BLK) : m1;                              \
                for (ptrdiff_t i = b0; i < e0; i += (B))                                       \
                    for (ptrdiff_t j = b1; j < e1; j += (B))                                   \
                        MICRO(dst + i * ds0 + j * (IS), ds0, src + j * ss1 + i * (IS), ss1);  \
            }                                                                                  \
        }                                                                                      \
        if (m1 < n1)                                                                           \
            PREV(dst + m1 * ds1, ds0, ds1, src + m1 * ss1, ss0, ss1, m0, n1 - m1);             \
        if (m0 < n0)                                                                           \
            PREV(dst + m0 * ds0, ds0, ds1, src + m0 * ss0, ss0, ss1, n0 - m0, n1);             \
    }

/*
 * A gather of every other item into contiguous output, G items per step.
 * STEP(d, s) writes G items from the 2*G at s. A step reads up to the start
 * of item G after its group, so it runs only while that item exists.
 * Outputs of NDV__STREAM_BYTES or more go through STREAM(d, s), which needs
 * d aligned to G*IS bytes (reached by copying a few items first), then FENCE.
 */
#define NDV__STEP2_KERNEL(NAME, IS, G, STEP, STREAM, FENCE, PREV)                               \
    static void NAME(char *dst, ptrdiff_t ds, const char *src, ptrdiff_t ss, ptrdiff_t n)      \
    {                                                                                          \
        ptrdiff_t i = 0;                                                                       \
        if (ds == (IS) && ss == 2 * (IS)) {                                                    \
            if (n * (IS) >= NDV__STREAM_BYTES && (uintptr_t)dst % (IS) == 0) {                 \
                ptrdiff_t peel = (ptrdiff_t)(((G) * (IS) - (uintptr_t)dst % ((G) * (IS))) %    \
                                             ((G) * (IS))) / (IS);                              \
                PREV(dst, ds, src, ss, peel);                                                  \
                i = peel;                                                                      \
                dst += peel * (IS);                                                            \
                src += peel * 2 * (IS);                                                        \
                for (; i + (G) < n; i += (G), dst += (G) * (IS), src += 2 * (G) * (IS))       \
                    STREAM(dst, src);                                                          \
                FENCE;                                                                         \
            } else {                                                                           \
                for (; i + (G) < n; i += (G), dst += (G) * (IS), src += 2 * (G) * (IS))       \
                    STEP(dst, src);                                                            \
            }                                                                                  \
        }                                                                                      \
        PREV(dst, ds, src, ss, n - i);                                                         \
    }

/*
 * A contiguous unpack (ss == IS) of G values per step into 8-byte outputs;
 * STEP(d, s) reads exactly G*IS bytes. Large outputs stream (STREAM needs d
 * 64-byte aligned; a few values go through PREV first to get there).
 * Returns the count converted, as ndv__unpack_fn does.
 */
#define NDV__UNPACK_KERNEL(NAME, IS, G, STEP, STREAM, FENCE, PREV)                             \
    static ptrdiff_t NAME(void *dst, const char *src, ptrdiff_t ss, ptrdiff_t n)              \
    {                                                                                          \
        char *d = dst;                                                                         \
        ptrdiff_t i = 0;                                                                       \
        if (ss == (IS)) {                                                                      \
            if (n * 8 >= NDV__STREAM_BYTES && (uintptr_t)d % 8 == 0) {                         \
                ptrdiff_t peel = (ptrdiff_t)((64 - (uintptr_t)d % 64) % 64) / 8;               \
                ptrdiff_t done = PREV(d, src, ss, peel);                                       \
                if (done != peel)                                                              \
                    return done;                                                               \
                for (i = peel; i + (G) <= n; i += (G))                                         \
                    STREAM(d + 8 * i, src + i * (IS));                                         \
                FENCE;                                                                         \
            } else {                                                                           \
                for (; i + (G) <= n; i += (G))                                                 \
                    STEP(d + 8 * i, src + i * (IS));                                           \
            }                                                                                  \
        }                                                                                      \
        return i + PREV(d + 8 * i, src + i * ss, ss, n - i);                                   \
    }

/*
 * Float equality over contiguous runs, G values per step: SAME(a, b) is true
 * when the G floats at a and b are all equal (an ordered compare, so NaN is
 * never equal). Strided runs and the tail go to PREV.
 */
#define NDV__EQUAL_KERNEL(NAME, IS, G, SAME, PREV)                                               \
    static bool NAME(const char *a, ptrdiff_t sa, const char *b, ptrdiff_t sb, ptrdiff_t n)    \
    {                                                                                          \
        ptrdiff_t i = 0;                                                                       \
        if (sa == (IS) && sb == (IS)) {                                                        \
            for (; i + (G) <= n; i += (G))                                                     \
                if (!SAME(a + (IS) * i, b + (IS) * i))                                         \
                    return false;                                                              \
        }                                                                                      \
        return PREV(a + i * sa, sa, b + i * sb, sb, n - i);                                    \
    }


/*
 * Short runs at a stride packed 16 bytes at a time: k runs per load, k*run
 * bytes per store. A load reads up to 16 bytes from a run's start and a
 * store writes 16: both stay inside the operands while another k + 1 runs
 * follow (later stores overwrite the spare bytes). MASK_T mask = LOAD_MASK(m);
 * PACK(dst, src, mask) loads 16 source bytes, shuffles, stores 16.
 */
#define NDV__RUNS_KERNEL(NAME, MASK_T, LOAD_MASK, PACK, PREV)                                   \
    static void NAME(char *dst, ptrdiff_t ds, const char *src, ptrdiff_t ss, ptrdiff_t n,       \
                     ptrdiff_t run)                                                             \
    {                                                                                           \
        ptrdiff_t i = 0;                                                                        \
        if (ds == run && ss > run && ss <= 16 && run > 0) {                                     \
            uint8_t m[16];                                                                      \
            int k = ndv__runs_mask(m, run, ss);                                                 \
            MASK_T mask = LOAD_MASK(m);                                                         \
            ptrdiff_t out = k * run, need = (16 + out - 1) / out + 1;                           \
            for (; i + (need + 1) * k < n; i += k, dst += out, src += k * ss)                   \
                PACK(dst, src, mask);                                                           \
        }                                                                                       \
        PREV(dst, ds, src, ss, n - i, run);                                                     \
    }

/* The pshufb/tbl mask that packs k runs of `run` bytes, `stride` apart, into 16 bytes. */
static inline int ndv__runs_mask(uint8_t mask[16], ptrdiff_t run, ptrdiff_t stride)
{
    int k = (int)(16 / stride);
    memset(mask, 0x80, 16);
    for (int j = 0; j < k; j++)
        for (ptrdiff_t b = 0; b < run; b++)
            mask[j * run + b] = (uint8_t)(j * stride + b);
    return k;
}

#endif
