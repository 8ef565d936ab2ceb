/* simplest.h - the simplest conversion loops (simplest.c), the bound beside ndview's kernels. */
#ifndef NDV_BENCH_SIMPLEST_H
#define NDV_BENCH_SIMPLEST_H

#include <stddef.h>

/*
 * out_bytes / 32 vectors of the pair ("i64_i32", "f64_f32", "u16_f32", ...:
 * simplest.c's table) from src to dst, with plain stores or (stream, dst
 * 32-byte aligned) streaming ones. Returns 0, or -1 for a pair not in the
 * table, a CPU without AVX2, or an unaligned streamed dst.
 */
int ndvb_simplest_convert(const char *pair, int stream, void *dst, const void *src,
                          size_t out_bytes);

#endif
