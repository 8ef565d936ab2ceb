/*
 * ndview-layout - how ndview reads a format, and what a view of it with a
 * given shape and strides looks like: itemsize, alignment, each field's
 * offset, size and byte order, and the view's contiguity.
 */
/* mmap flags (MAP_ANONYMOUS, MAP_NORESERVE) are outside strict C11. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "ndview.h"

static const char usage[] =
    "Usage: ndview-layout FORMAT [--shape N,N,...] [--strides S,S,...] [--help]\n"
    "\n"
    "Describe a struct / PEP 3118 format as ndview parses it: itemsize,\n"
    "alignment, values per item, and each field's offset, size, count and byte\n"
    "order (nested T{...} and sub-arrays flattened, equal neighbours merged).\n"
    "\n"
    "With --shape, also describe a view of that shape: strides (C order unless\n"
    "--strides gives them in bytes, negative allowed), len, the bytes it spans,\n"
    "and its C/F/any contiguity by memoryview's rules. --shape '' is a 0-d view.\n"
    "\n"
    "Example: ndview-layout 'T{<i:x:>h:y:}' --shape 3,4 --strides -8,24\n";

/* "3,4,5" -> values; the number of values, or -1 on a malformed list. */
static int parse_list(const char *s, ptrdiff_t *out)
{
    int n = 0;
    while (*s) {
        char *end;
        errno = 0;
        long long v = strtoll(s, &end, 10);
        if (end == s || errno || n == NDV_MAXDIM || (*end != ',' && *end != '\0'))
            return -1;
        out[n++] = (ptrdiff_t)v;
        s = *end ? end + 1 : end;
    }
    return n;
}

static int print_format(const char *fmt)
{
    ndv_layout lay;
    if (ndv_format_layout(fmt, &lay, NULL, 0) != NDV_OK) {
        fprintf(stderr, "ndview-layout: %s: %s\n", fmt, ndv_errmsg());
        return 1;
    }
    ndv_field *fields = malloc((size_t)(lay.nfields ? lay.nfields : 1) * sizeof *fields);
    if (!fields || ndv_format_layout(fmt, &lay, fields, lay.nfields) != NDV_OK) {
        fprintf(stderr, "ndview-layout: %s\n", fields ? ndv_errmsg() : "out of memory");
        free(fields);
        return 1;
    }
    printf("format: %s\nitemsize: %td\nalignment: %td\nvalues per item: %td\nfields: %td\n", fmt,
           lay.itemsize, lay.alignment, lay.nvalues, lay.nfields);
    printf("  %8s %6s %6s  %-4s %-7s %s\n", "offset", "size", "count", "code", "order", "sizes");
    for (ptrdiff_t i = 0; i < lay.nfields; i++) {
        const ndv_field *f = &fields[i];
        bool pad = strcmp(f->code, "x") == 0;
        printf("  %8td %6td %6td  %-4s %-7s %s\n", f->offset, f->size, f->count, f->code,
               pad ? "-" : f->byteorder == '<' ? "little" : "big",
               pad ? "padding" : f->native_size ? "native" : "standard");
    }
    free(fields);
    return 0;
}

/* Bytes below and above element 0 that the view reaches; false on overflow. */
static bool view_span(int ndim, const ptrdiff_t *shape, const ptrdiff_t *strides,
                      ptrdiff_t itemsize, ptrdiff_t *below, ptrdiff_t *total)
{
    ptrdiff_t lo = 0, hi = itemsize;
    for (int d = 0; d < ndim; d++) {
        ptrdiff_t reach;
        if (shape[d] == 0)
            return *below = 0, *total = 0, true;
        if (__builtin_mul_overflow(strides[d], shape[d] - 1, &reach) ||
            __builtin_add_overflow(reach < 0 ? lo : hi, reach < 0 ? -reach : reach,
                                   reach < 0 ? &lo : &hi))
            return false;
    }
    *below = lo;
    return !__builtin_add_overflow(lo, hi, total);
}

static void print_list(const char *label, int n, const ptrdiff_t *v)
{
    printf("%s(", label);
    for (int d = 0; d < n; d++)
        printf(d ? ", %td" : "%td", v[d]);
    printf(n == 1 ? ",)\n" : ")\n");
}

static int print_view(const char *fmt, int ndim, const ptrdiff_t *shape, const ptrdiff_t *strides)
{
    ptrdiff_t itemsize, below, total;
    if (ndv_calcsize(fmt, &itemsize) != NDV_OK)
        return 1;
    ptrdiff_t c_strides[NDV_MAXDIM], acc = itemsize;
    bool overflow = false;
    for (int d = ndim - 1; d >= 0; d--) {
        c_strides[d] = acc;
        overflow |= __builtin_mul_overflow(acc, shape[d] > 0 ? shape[d] : 1, &acc);
    }
    const ptrdiff_t *st = strides ? strides : c_strides;
    if (overflow || !view_span(ndim, shape, st, itemsize, &below, &total)) {
        fprintf(stderr, "ndview-layout: the view's extent overflows\n");
        return 1;
    }
    /* Address space only (PROT_NONE, no backing): the view is described, never read. */
    size_t maplen = total > 0 ? (size_t)total : 1;
    void *mem = mmap(NULL, maplen, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mem == MAP_FAILED) {
        fprintf(stderr, "ndview-layout: cannot reserve %td bytes of address space\n", total);
        return 1;
    }
    ndv_view v = NDV_VIEW_INIT;
    int rc = 0;
    if (ndv_view_from_memory(&v, mem, total, true, fmt, ndim, shape, st, below) != NDV_OK) {
        fprintf(stderr, "ndview-layout: %s\n", ndv_errmsg());
        rc = 1;
    } else {
        printf("view: ndim %d\n", v.ndim);
        print_list("  shape: ", v.ndim, v.shape);
        print_list("  strides: ", v.ndim, v.strides);
        printf("  len: %td\n  spans: %td bytes (element 0 at byte %td)\n", v.len, total, below);
        printf("  contiguous: C %s, F %s, any %s\n", ndv_is_contiguous(&v, 'C') ? "yes" : "no",
               ndv_is_contiguous(&v, 'F') ? "yes" : "no",
               ndv_is_contiguous(&v, 'A') ? "yes" : "no");
        ndv_release(&v);
    }
    munmap(mem, maplen);
    return rc;
}

int main(int argc, char **argv)
{
    const char *fmt = NULL, *shape_arg = NULL, *strides_arg = NULL;
    for (int a = 1; a < argc; a++) {
        if (strcmp(argv[a], "--help") == 0 || strcmp(argv[a], "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        } else if (strcmp(argv[a], "--shape") == 0 && a + 1 < argc) {
            shape_arg = argv[++a];
        } else if (strcmp(argv[a], "--strides") == 0 && a + 1 < argc) {
            strides_arg = argv[++a];
        } else if (fmt == NULL && (argv[a][0] != '-' || argv[a][1] == '\0')) {
            fmt = argv[a];
        } else {
            fprintf(stderr, "ndview-layout: unexpected argument '%s'\n\n%s", argv[a], usage);
            return 2;
        }
    }
    if (fmt == NULL || (strides_arg && !shape_arg)) {
        fputs(usage, stderr);
        return 2;
    }
    ptrdiff_t shape[NDV_MAXDIM], strides[NDV_MAXDIM];
    int ndim = shape_arg ? parse_list(shape_arg, shape) : 0;
    int nstrides = strides_arg ? parse_list(strides_arg, strides) : ndim;
    if (ndim < 0 || nstrides != ndim) {
        fprintf(stderr, "ndview-layout: --shape and --strides need the same number of "
                        "comma-separated integers (at most %d)\n", NDV_MAXDIM);
        return 2;
    }
    if (print_format(fmt) != 0)
        return 1;
    return shape_arg ? print_view(fmt, ndim, shape, strides_arg ? strides : NULL) : 0;
}
