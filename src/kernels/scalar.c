/*
 * scalar.c - the portable kernels: the reference every SIMD table matches.
 *
 * Items move through a local of their own size, so a kernel never reads an
 * item after writing part of it, and unaligned addresses are fine (memcpy
 * compiles to plain loads and stores).
 */
#include <stdint.h>
#include <string.h>

#include "kernels.h"

static void copy_run(char *dst, const char *src, ptrdiff_t nbytes)
{
    memcpy(dst, src, (size_t)nbytes);
}

typedef struct { uint64_t lo, hi; } u128;

#define STRIDED(NAME, T)                                                                  \
    static void NAME(char *dst, ptrdiff_t ds, const char *src, ptrdiff_t ss, ptrdiff_t n) \
    {                                                                                     \
        for (ptrdiff_t i = 0; i < n; i++, dst += ds, src += ss) {                         \
            T v;                                                                          \
            memcpy(&v, src, sizeof v);                                                    \
            memcpy(dst, &v, sizeof v);                                                    \
        }                                                                                 \
    }

STRIDED(strided1, uint8_t)
STRIDED(strided2, uint16_t)
STRIDED(strided4, uint32_t)
STRIDED(strided8, uint64_t)
STRIDED(strided16, u128)

/*
 * Tiles of TILE x TILE items keep both the rows read and the rows written in
 * L1 while a transpose walks across them.
 */
enum { TILE = 32 };

#define TILED(NAME, STRIDED_FN)                                                          \
    static void NAME(char *dst, ptrdiff_t ds0, ptrdiff_t ds1, const char *src,           \
                     ptrdiff_t ss0, ptrdiff_t ss1, ptrdiff_t n0, ptrdiff_t n1)           \
    {                                                                                    \
        for (ptrdiff_t b0 = 0; b0 < n0; b0 += TILE) {                                    \
            ptrdiff_t e0 = n0 - b0 < TILE ? n0 - b0 : TILE;                              \
            for (ptrdiff_t b1 = 0; b1 < n1; b1 += TILE) {                                \
                ptrdiff_t e1 = n1 - b1 < TILE ? n1 - b1 : TILE;                          \
                for (ptrdiff_t i = 0; i < e0; i++)                                       \
                    STRIDED_FN(dst + (b0 + i) * ds0 + b1 * ds1, ds1,                     \
                               src + (b0 + i) * ss0 + b1 * ss1, ss1, e1);                \
            }                                                                            \
        }                                                                                \
    }

TILED(tile1, strided1)
TILED(tile2, strided2)
TILED(tile4, strided4)
TILED(tile8, strided8)
TILED(tile16, strided16)

/* Short runs: a fixed-size copy per run lets the compiler use one move. */
#define RUNS(N)                                                                       \
    case N:                                                                           \
        for (ptrdiff_t i = 0; i < n; i++, dst += ds, src += ss)                       \
            memcpy(dst, src, N);                                                      \
        return;

static void copy_runs(char *dst, ptrdiff_t ds, const char *src, ptrdiff_t ss, ptrdiff_t n,
                      ptrdiff_t run)
{
    switch (run) {
    RUNS(1) RUNS(2) RUNS(3) RUNS(4) RUNS(5) RUNS(6) RUNS(7) RUNS(8) RUNS(12) RUNS(16)
    default:
        for (ptrdiff_t i = 0; i < n; i++, dst += ds, src += ss)
            memcpy(dst, src, (size_t)run);
    }
}

void ndv__kernels_init_scalar(ndv__kernels *k, const ndv__kernels *below)
{
    (void)below; /* the bottom of every ladder */
    static const ndv__strided_fn strided[NDV__NSIZES] = {strided1, strided2, strided4, strided8,
                                                         strided16};
    static const ndv__tile_fn tiles[NDV__NSIZES] = {tile1, tile2, tile4, tile8, tile16};
    k->copy_run = copy_run;
    k->copy_stream = copy_run; /* portable C has no non-temporal store */
    memcpy(k->copy_strided, strided, sizeof strided);
    memcpy(k->copy_tile, tiles, sizeof tiles);
    memcpy(k->copy_tile_stream, tiles, sizeof tiles);
    k->copy_runs = copy_runs;
    k->copy_runs_stream = copy_runs; /* portable C has no non-temporal store */
    ndv__kernels_init_scalar_values(k);
    ndv__kernels_init_scalar_convert(k);
}
