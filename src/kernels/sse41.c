/*
 * sse41.c - SSSE3/SSE4.1 kernels: short runs at a stride (RGB -> RG, a
 * column block of a matrix) packed with one byte shuffle per 16 bytes; the
 * value kernels (sse_values.h) with pshufb byte swaps and pmovsx/pmovzx.
 */
#include <tmmintrin.h>

#include "simd_common.h"
#include "convert_loops.h" /* compiled here with this level's flags */
#include "sse_values.h"


static inline void pack16(char *dst, const char *src, __m128i mask)
{
    _mm_storeu_si128((__m128i *)dst, _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)src), mask));
}

#define LOAD_MASK(m) _mm_loadu_si128((const __m128i *)(m))
NDV__RUNS_KERNEL(copy_runs, __m128i, LOAD_MASK, pack16, lower->copy_runs)

void ndv__kernels_init_sse41(ndv__kernels *k, const ndv__kernels *below)
{
    NDV__KEEP_LOWER(below);
    ndv__install_convert_loops(k);
    ndv__sse_values_install(k);
    k->copy_runs = copy_runs;
}
