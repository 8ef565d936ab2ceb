/*
 * sse41.c - SSSE3/SSE4.1 kernels: short runs at a stride (RGB -> RG, a
 * column block of a matrix) packed with one byte shuffle per 16 bytes.
 */
#include <tmmintrin.h>

#include "simd_common.h"

static void (*prev_runs)(char *, ptrdiff_t, const char *, ptrdiff_t, ptrdiff_t, ptrdiff_t);

/*
 * k runs per 16-byte load, k*run bytes out per store. A load reads up to 16
 * bytes from a run's start and a store writes 16: both stay inside the
 * operands while another k + 1 runs follow (later stores overwrite the
 * spare bytes).
 */
static void copy_runs(char *dst, ptrdiff_t ds, const char *src, ptrdiff_t ss, ptrdiff_t n,
                      ptrdiff_t run)
{
    ptrdiff_t i = 0;
    if (ds == run && ss > run && ss <= 16 && run > 0) {
        uint8_t m[16];
        int k = ndv__runs_mask(m, run, ss);
        __m128i mask = _mm_loadu_si128((const __m128i *)m);
        ptrdiff_t out = k * run, need = (16 + out - 1) / out + 1; /* groups a store may touch */
        for (; i + (need + 1) * k < n; i += k, dst += out, src += k * ss)
            _mm_storeu_si128((__m128i *)dst,
                             _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)src), mask));
    }
    prev_runs(dst, ds, src, ss, n - i, run);
}

void ndv__kernels_init_sse41(ndv__kernels *k)
{
    prev_runs = k->copy_runs;
    k->name = "sse41";
    k->copy_runs = copy_runs;
}
