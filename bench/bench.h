/*
 * bench.h - what the C cases of ndview-bench share: pre-faulted buffers,
 * views over them, the level a case runs at, and the case tables.
 *
 * Every case reports bytes of output per second (cb_set_bytes) and, where
 * elements matter, items per second. Buffers are 64-byte aligned, written
 * once before timing and kept across the repeated calls Google Benchmark
 * makes while it sizes a run. Plain case names run at the level active at
 * start-up (NDVIEW_ISA applied); with --isa=all every ndview case is
 * registered once more per level the CPU supports, as <name>@<level>/<arg>.
 */
#ifndef NDV_BENCH_H
#define NDV_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cbench.h"
#include "ndview.h"

/* Where a buffer's pages come from: malloc's 4 KiB pages, or transparent huge pages. */
typedef enum { BENCH_PAGES_4K, BENCH_PAGES_HUGE } bench_pages;

/*
 * A pre-faulted, 64-byte aligned buffer of n bytes filled from `fill`; the
 * same (n, slot, pages) gives the same buffer for the whole run.
 */
unsigned char *bench_buffer(size_t n, int slot, unsigned char fill);
unsigned char *bench_buffer_pages(size_t n, int slot, unsigned char fill, bench_pages pages);

/* A writable view over mem (strides NULL: C order); false with the case skipped. */
bool bench_view(cb_state *s, ndv_view *out, void *mem, ptrdiff_t memlen, const char *fmt,
                int ndim, const ptrdiff_t *shape, const ptrdiff_t *strides);

/* What an ndview case is registered with: the level it runs at (-1: start-up's), its params. */
typedef struct {
    int isa;
    const void *params;
} bench_arg;

/* Switch to the case's level; false with the case skipped. */
bool bench_level(cb_state *s, const bench_arg *a);

/* One ndview case: registered at the start-up level and, with --isa=all, at each level. */
typedef struct {
    const char *name;
    cb_case fn; /* gets a const bench_arg * */
    const void *params;
    int64_t ranges[6];
    int nranges;
} bench_entry;

#define BENCH_RANGES(...) {__VA_ARGS__}, (int)(sizeof((int64_t[]){__VA_ARGS__}) / sizeof(int64_t))

/* The case tables (cases_copy.c, cases_values.c); peers register themselves (peers.c, bounds.c). */
extern const bench_entry bench_copy_cases[], bench_value_cases[];
extern const int bench_copy_count, bench_value_count;
void bench_register_peers(void);
void bench_register_bounds(void); /* bounds.c */

#endif
