/*
 * main.c - ndview-bench: registers every case (bench.h) and runs Google
 * Benchmark through the C shim. Flags: Google Benchmark's, plus --isa=all
 * (every ndview case at every level the CPU has); NDVIEW_ISA caps the level.
 */
#define _DEFAULT_SOURCE /* madvise */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "bench.h"

static ndv_isa g_active; /* the level at start-up: what plain case names run at */

/* ------------------------------------------------------------------------ */
/* Buffers                                                                   */
/* ------------------------------------------------------------------------ */

enum { MAX_BUFFERS = 64 };

static struct {
    size_t n;
    int slot;
    bench_pages pages;
    unsigned char *p;
} g_buffers[MAX_BUFFERS];

unsigned char *bench_buffer_pages(size_t n, int slot, unsigned char fill, bench_pages pages)
{
    int i;
    for (i = 0; i < MAX_BUFFERS && g_buffers[i].p; i++)
        if (g_buffers[i].n == n && g_buffers[i].slot == slot && g_buffers[i].pages == pages)
            return g_buffers[i].p;
    if (i == MAX_BUFFERS)
        abort(); /* a bench bug: more distinct buffers than the table holds */
    /* Huge pages: 2 MiB aligned, so the kernel can back the range with whole huge pages. */
    size_t align = pages == BENCH_PAGES_HUGE ? 2u << 20 : 64;
    unsigned char *p = aligned_alloc(align, (n + align - 1) / align * align + align);
    if (p == NULL)
        abort();
#ifdef MADV_HUGEPAGE /* Linux: what NumPy asks for its large arrays */
    if (pages == BENCH_PAGES_HUGE)
        madvise(p, (n + align - 1) / align * align, MADV_HUGEPAGE);
#endif
    for (size_t k = 0; k < n; k++)
        p[k] = (unsigned char)(fill + k * 7);
    g_buffers[i].n = n;
    g_buffers[i].slot = slot;
    g_buffers[i].pages = pages;
    g_buffers[i].p = p;
    return p;
}

unsigned char *bench_buffer(size_t n, int slot, unsigned char fill)
{
    return bench_buffer_pages(n, slot, fill, BENCH_PAGES_4K);
}

bool bench_view(cb_state *s, ndv_view *out, void *mem, ptrdiff_t memlen, const char *fmt,
                int ndim, const ptrdiff_t *shape, const ptrdiff_t *strides)
{
    if (ndv_view_from_memory(out, mem, memlen, false, fmt, ndim, shape, strides, 0) == NDV_OK)
        return true;
    cb_skip(s, ndv_errmsg());
    return false;
}

bool bench_level(cb_state *s, const bench_arg *a)
{
    if (ndv_isa_set(a->isa >= 0 ? (ndv_isa)a->isa : g_active) == NDV_OK)
        return true;
    cb_skip(s, "instruction set not available");
    return false;
}

/* ------------------------------------------------------------------------ */
/* Registration                                                              */
/* ------------------------------------------------------------------------ */

static void register_entry(const bench_entry *e, bool all_levels)
{
    for (int isa = -1; isa < (all_levels ? ndv_isa_count() : 0); isa++) {
        if (isa >= 0 && !ndv_isa_supported((ndv_isa)isa))
            continue;
        bench_arg *a = malloc(sizeof *a); /* lives as long as the registration: the run */
        if (a == NULL)
            abort();
        *a = (bench_arg){isa, e->params};
        char name[128];
        if (isa < 0)
            strncpy(name, e->name, sizeof name - 1), name[sizeof name - 1] = '\0';
        else
            snprintf(name, sizeof name, "%s@%s", e->name, ndv_isa_name((ndv_isa)isa));
        cb_register(name, e->fn, a, e->ranges, e->nranges);
    }
}

int main(int argc, char **argv)
{
    bool all_levels = false;
    int n = 0;
    for (int i = 0; i < argc; i++) { /* --isa=all is ours; the rest is Google Benchmark's */
        if (strcmp(argv[i], "--isa=all") == 0)
            all_levels = true;
        else
            argv[n++] = argv[i];
    }
    cb_init(&n, argv);
    g_active = ndv_isa_active();
    cb_context("ndview_isa", ndv_isa_name(g_active));
    cb_context("ndview_isa_best", ndv_isa_name(ndv_isa_best()));
    cb_context("ndview_version", ndv_version());
    bench_register_peers();
    bench_register_bounds();
    for (int i = 0; i < bench_copy_count; i++)
        register_entry(&bench_copy_cases[i], all_levels);
    for (int i = 0; i < bench_value_count; i++)
        register_entry(&bench_value_cases[i], all_levels);
    return cb_run();
}
