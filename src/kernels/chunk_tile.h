/*
 * chunk_tile.h - large transposes in chunks: AVX2's for 1- and 2-byte items
 * and for 4-byte tiles under 8 MiB, SSE2's (which has no line tiles) for
 * every item size. x86-64 only. Included by a kernel file only, after it
 * defines CHUNK_VEC_BYTES (its vector width), chunk_in(d, s)
 * (CHUNK_VEC_BYTES from s to the aligned d) and CHUNK_STREAM, the name of
 * its streaming copy of CHUNK_VEC_BYTES (the one its copy_stream uses).
 *
 * A chunk is CH source rows by W bytes. It reads its rows GR at a time,
 * W bytes each (the prefetcher follows GR runs), into an L1 buffer,
 * transposes them MR rows a MICRO call (MICRO transposes MR rows of MW
 * bytes) into a stage that stays in L2 and, while it does, streams out the
 * previous chunk's stage: CH * IS bytes to a destination row, one line
 * written for each line read. A line tile instead reads one line from each
 * of 64 / IS source rows and writes as many destination lines in as many
 * rows: for 1- and 2-byte items too many streams at once for the memory of
 * an AMD EPYC (the bare access pattern, no shuffling, ran 0.58-0.78x
 * memcpy; u8 8192^2 at 0.35-0.45x). The stages and the buffer take
 * 2 * W * CH + GR * W bytes, allocated per call, for tiles of MIN_BYTES up
 * to MAX_BYTES with a 64-byte aligned destination; LINES does the rest of
 * the work, and all of it when the memory is not there.
 */
#ifndef NDV_CHUNK_TILE_H
#define NDV_CHUNK_TILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>    /* aligned_alloc: the stages */
#include <xmmintrin.h> /* _mm_prefetch, _mm_sfence */

/* Line k of a stage (rows of lines_per_row lines) streamed to its place under d. */
static inline void stream_stage_line(char *d, ptrdiff_t ds, int lines_per_row, const char *stage,
                                     int k)
{
    d += k / lines_per_row * ds + k % lines_per_row * 64;
    stage += k * 64;
    for (int o = 0; o < 64; o += CHUNK_VEC_BYTES)
        CHUNK_STREAM(d + o, stage + o);
}

#define NDV__CHUNK_TILE(NAME, IS, CH, W, GR, MICRO, MR, MW, MIN_BYTES, MAX_BYTES, LINES)        \
    static void NAME(char *dst, ptrdiff_t ds0, ptrdiff_t ds1, const char *src, ptrdiff_t ss0,  \
                     ptrdiff_t ss1, ptrdiff_t n0, ptrdiff_t n1)                                 \
    {                                                                                           \
        enum { RUN = (CH) * (IS), DROWS = (W) / (IS), STAGE = (W) * (CH) };                     \
        enum { PER = (GR) * (MW) / 64 }; /* lines prefetched and streamed per MICRO column */    \
        ptrdiff_t m0 = n0 - n0 % DROWS, m1 = n1 - n1 % (CH);                                    \
        char *stage = NULL;                                                                     \
        ptrdiff_t bytes = n0 * n1 * (IS);                                                       \
        if (ds1 == (IS) && ss0 == (IS) && bytes >= (MIN_BYTES) && bytes < (MAX_BYTES) && m0 &&  \
            m1 && (uintptr_t)dst % 64 == 0 && ds0 % 64 == 0)                                    \
            stage = aligned_alloc(64, 2 * STAGE + (GR) * (W));                                  \
        if (stage == NULL) {                                                                    \
            LINES(dst, ds0, ds1, src, ss0, ss1, n0, n1);                                        \
            return;                                                                             \
        }                                                                                       \
        char *in = stage + 2 * STAGE, *prev = NULL;                                             \
        int cur = 0;                                                                            \
        for (ptrdiff_t j = 0; j < m1; j += (CH))                                                \
            for (ptrdiff_t i = 0; i < m0; i += DROWS, cur ^= 1) {                               \
                const char *s = src + j * ss1 + i * (IS);                                       \
                char *st = stage + cur * STAGE;                                                 \
                const char *ps = stage + (cur ^ 1) * STAGE;                                     \
                int k = 0;                                                                      \
                for (int g = 0; g < (CH); g += (GR)) {                                          \
                    const char *next = g + (GR) < (CH) ? s + (g + (GR)) * ss1 : s + (W);        \
                    for (int r = 0; r < (GR); r++)                                              \
                        for (int q = 0; q < (W); q += CHUNK_VEC_BYTES)                          \
                            chunk_in(in + r * (W) + q, s + (g + r) * ss1 + q);                  \
                    for (int q = 0; q < (W); q += (MW)) {                                       \
                        for (int h = 0; h < (GR); h += (MR))                                    \
                            MICRO(st + q / (IS) * RUN + (g + h) * (IS), RUN, in + h * (W) + q, W); \
                        for (int e = 0; e < PER; e++) { /* the next group's lines */           \
                            int l = q / (MW) * PER + e;                                         \
                            _mm_prefetch(next + l / ((W) / 64) * ss1 + l % ((W) / 64) * 64,     \
                                         _MM_HINT_T0);                                          \
                        }                                                                       \
                        for (int e = 0; prev && e < PER; e++, k++)                              \
                            stream_stage_line(prev, ds0, RUN / 64, ps, k);                      \
                    }                                                                           \
                }                                                                               \
                prev = dst + i * ds0 + j * (IS);                                                \
            }                                                                                   \
        for (int k = 0; k < STAGE / 64; k++)                                                    \
            stream_stage_line(prev, ds0, RUN / 64, stage + (cur ^ 1) * STAGE, k);               \
        _mm_sfence();                                                                           \
        free(stage);                                                                            \
        if (m1 < n1)                                                                            \
            LINES(dst + m1 * ds1, ds0, ds1, src + m1 * ss1, ss0, ss1, m0, n1 - m1);             \
        if (m0 < n0)                                                                            \
            LINES(dst + m0 * ds0, ds0, ds1, src + m0 * ss0, ss0, ss1, n0 - m0, n1);             \
    }

#endif
