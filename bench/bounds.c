/*
 * bounds.c - what any implementation can reach on a narrowing conversion
 * at DRAM sizes: the simplest loop for its access pattern (simplest.c:
 * load, convert, store 32 bytes), once with plain stores, as NumPy's cast loop stores, and
 * once with streaming stores, which save the destination's read for
 * ownership. Their ratio, same run, bounds what a store strategy can gain
 * over NumPy's loop; ndview's own case is beside them. And tolist's: read
 * 4 bytes, write one 24-byte ndv_value, with streaming stores, the least
 * time any tolist of int32 can take. x86-64 with AVX2 only (skipped
 * elsewhere, with the reason).
 */
#include <stdint.h>
#include <stdio.h>

#include "bench.h"
#include "simplest.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define TARGET __attribute__((target("avx2")))

typedef struct {
    const char *pair; /* simplest.c's name */
    int ratio;        /* source bytes per output byte */
    int stream;
} bound;

static void bm_bound(cb_state *s, const void *arg)
{
    const bound *b = arg;
    size_t n = (size_t)cb_range(s, 0);
    /* 64-byte aligned, like ndview's converting cases' buffers (bench_buffer) */
    const char *src = (const char *)bench_buffer(n * (size_t)b->ratio, 30, 1);
    char *dst = (char *)bench_buffer(n, 31, 2);
    if (ndvb_simplest_convert(b->pair, b->stream, dst, src, n) != 0) {
        cb_skip(s, "needs AVX2");
        return;
    }
    while (cb_keep_running(s)) {
        ndvb_simplest_convert(b->pair, b->stream, dst, src, n);
        cb_clobber();
    }
    cb_set_bytes(s, (int64_t)n);
}

/* 8 int32 read, 8 x 24 bytes written (six 32-byte streaming stores), as tolist's access pattern. */
TARGET static void bm_tolist_bound(cb_state *s, const void *arg)
{
    (void)arg;
    if (!ndv_isa_supported(NDV_ISA_AVX2)) {
        cb_skip(s, "needs AVX2");
        return;
    }
    size_t n = (size_t)cb_range(s, 0);
    const char *src = (const char *)bench_buffer(n * 4, 32, 1);
    char *dst = (char *)bench_buffer(n * sizeof(ndv_value), 33, 0);
    while (cb_keep_running(s)) {
        for (size_t i = 0; i < n; i += 8) {
            __m256i v = _mm256_loadu_si256((const __m256i *)(src + 4 * i));
            for (int k = 0; k < 6; k++)
                _mm256_stream_si256((__m256i *)(dst + 24 * i + 32 * k), v);
        }
        _mm_sfence();
        cb_clobber();
    }
    cb_set_bytes(s, (int64_t)(n * sizeof(ndv_value)));
    cb_set_items(s, (int64_t)n);
}

/*
 * A large transpose of 1- or 2-byte items, n x n, moved in chunks without shuffling: runs
 * of run_in bytes read from `rows` source rows into a buffer, then runs of rows x itemsize
 * bytes streamed to run_in / itemsize destination rows. Two shapes: 256 rows by 512 bytes,
 * the fastest of the simple loops tried ("runs"), and the chunks AVX2's kernels take
 * (NDV__CHUNK_TILE in src/kernels/chunk_tile.h: 256 by 256 bytes for u8, 128 rows by 256
 * bytes for u16; "chunks"), the simplest loop for ndview's own access pattern.
 */
typedef struct {
    unsigned is, rows, run_in;
} runs_shape;

TARGET static void bm_transpose_runs(cb_state *s, const void *arg)
{
    if (!ndv_isa_supported(NDV_ISA_AVX2)) {
        cb_skip(s, "needs AVX2");
        return;
    }
    const runs_shape *sh = (const runs_shape *)arg;
    size_t is = sh->is, rows = sh->rows, run_in = sh->run_in;
    size_t n = (size_t)cb_range(s, 0), row = n * is, run_out = rows * is, rows_out = run_in / is;
    const char *src = (const char *)bench_buffer(n * row, 34, 1);
    char *dst = (char *)bench_buffer(n * row, 35, 2);
    char *buf = (char *)bench_buffer(rows * run_in, 36, 0);
    while (cb_keep_running(s)) {
        for (size_t j = 0; j < n; j += rows)
            for (size_t i = 0; i < row; i += run_in) {
                const char *in = src + j * row + i;
                char *out = dst + i / is * row + j * is;
                for (size_t r = 0; r < rows; r++)
                    for (size_t q = 0; q < run_in; q += 32)
                        _mm256_store_si256((__m256i *)(buf + r * run_in + q),
                                           _mm256_loadu_si256((const __m256i *)(in + r * row + q)));
                for (size_t d = 0; d < rows_out; d++)
                    for (size_t q = 0; q < run_out; q += 32) {
                        __m256i v = _mm256_load_si256((const __m256i *)(buf + d * run_out + q));
                        _mm256_stream_si256((__m256i *)(out + d * row + q), v);
                    }
            }
        _mm_sfence();
        cb_clobber();
    }
    cb_set_bytes(s, (int64_t)(n * row));
}

void bench_register_bounds(void)
{
    cb_register("peer_loop_stream_tolist_i32", bm_tolist_bound, NULL, CB_ARGS(4194304));
    static const runs_shape runs_u8 = {1, 256, 512}, runs_u16 = {2, 256, 512};
    static const runs_shape chunks_u8 = {1, 256, 256}, chunks_u16 = {2, 128, 256};
    cb_register("peer_loop_runs_transpose_u8", bm_transpose_runs, &runs_u8, CB_ARGS(8192));
    cb_register("peer_loop_runs_transpose_u16", bm_transpose_runs, &runs_u16, CB_ARGS(4096));
    cb_register("peer_loop_chunks_transpose_u8", bm_transpose_runs, &chunks_u8, CB_ARGS(8192));
    cb_register("peer_loop_chunks_transpose_u16", bm_transpose_runs, &chunks_u16, CB_ARGS(4096));
    static const bound cases[][2] = {
        {{"i64_i32", 2, 0}, {"i64_i32", 2, 1}},
        {{"f64_f32", 2, 0}, {"f64_f32", 2, 1}},
        {{"i32_i8", 4, 0}, {"i32_i8", 4, 1}},
    };
    for (int i = 0; i < 3; i++) {
        char plain[64], stream[64];
        snprintf(plain, sizeof plain, "peer_loop_plain_%s", cases[i][0].pair);
        snprintf(stream, sizeof stream, "peer_loop_stream_%s", cases[i][0].pair);
        cb_register(plain, bm_bound, &cases[i][0], CB_ARGS(67108864));
        cb_register(stream, bm_bound, &cases[i][1], CB_ARGS(67108864));
    }
}
#else
void bench_register_bounds(void)
{
}
#endif
