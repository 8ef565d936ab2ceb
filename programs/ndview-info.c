/*
 * ndview-info - what ndview finds on this machine: its version, the CPU
 * features it detected, the instruction-set levels it can run and the one
 * in use, and which level's kernel fills each slot of the dispatch table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ndview.h"

static const char usage[] =
    "Usage: ndview-info [--level NAME | --all] [--help] [--version]\n"
    "\n"
    "Print ndview's version, the CPU features it detected, the instruction-set\n"
    "levels available (best and active; NDVIEW_ISA caps the active one) and, for\n"
    "the active level, which level's kernel each dispatch slot uses.\n"
    "\n"
    "  --level NAME  show the kernel table of that level instead (scalar, sse2,\n"
    "                sse41, avx2, avx512, neon)\n"
    "  --all         show the kernel table of every available level, side by side\n"
    "  --version     print the version only\n"
    "  --help        this text\n";

static int level_of(const char *name, ndv_isa *out)
{
    for (int l = NDV_ISA_SCALAR; l < ndv_isa_count(); l++)
        if (strcmp(name, ndv_isa_name((ndv_isa)l)) == 0) {
            *out = (ndv_isa)l;
            return 0;
        }
    return -1;
}

/* One column per level in levels[0 .. n). */
static void print_table(const ndv_isa *levels, int n)
{
    printf("%-28s", "kernel slot");
    for (int c = 0; c < n; c++)
        printf(" %-8s", ndv_isa_name(levels[c]));
    printf("\n");
    for (int i = 0; i < ndv_kernel_slots(); i++) {
        const char *name;
        ndv_isa by;
        ndv_kernel_slot(levels[0], i, &name, &by);
        printf("%-28s", name);
        for (int c = 0; c < n; c++) {
            ndv_kernel_slot(levels[c], i, NULL, &by);
            printf(" %-8s", ndv_isa_name(by));
        }
        printf("\n");
    }
}

/* Which levels to show, from the arguments; returns an exit status, or -1 to go on. */
static int parse_args(int argc, char **argv, ndv_isa *levels, int *nlevels)
{
    *nlevels = 0;
    levels[(*nlevels)++] = ndv_isa_active();
    for (int a = 1; a < argc; a++) {
        if (strcmp(argv[a], "--help") == 0 || strcmp(argv[a], "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        } else if (strcmp(argv[a], "--version") == 0) {
            printf("ndview %s\n", ndv_version());
            return 0;
        } else if (strcmp(argv[a], "--all") == 0) {
            *nlevels = 0;
            for (int l = NDV_ISA_SCALAR; l < ndv_isa_count(); l++)
                if (ndv_isa_supported((ndv_isa)l))
                    levels[(*nlevels)++] = (ndv_isa)l;
        } else if (strcmp(argv[a], "--level") == 0 && a + 1 < argc) {
            if (level_of(argv[++a], &levels[0]) != 0 || !ndv_isa_supported(levels[0])) {
                fprintf(stderr, "ndview-info: level '%s' is not available here\n", argv[a]);
                return 2;
            }
            *nlevels = 1;
        } else {
            fprintf(stderr, "ndview-info: unknown argument '%s'\n\n%s", argv[a], usage);
            return 2;
        }
    }
    return -1;
}

int main(int argc, char **argv)
{
    ndv_isa *levels = calloc((size_t)ndv_isa_count(), sizeof *levels);
    if (!levels)
        return 1;
    int nlevels, status = parse_args(argc, argv, levels, &nlevels);
    if (status >= 0) {
        free(levels);
        return status;
    }
    printf("ndview %s\n", ndv_version());
    printf("cpu features: %s\n", ndv_cpu_features()[0] ? ndv_cpu_features() : "(none)");
    printf("levels:");
    for (int l = NDV_ISA_SCALAR; l < ndv_isa_count(); l++)
        if (ndv_isa_supported((ndv_isa)l))
            printf(" %s", ndv_isa_name((ndv_isa)l));
    printf("\nbest: %s\nactive: %s\n", ndv_isa_name(ndv_isa_best()),
           ndv_isa_name(ndv_isa_active()));
    if (ndv_isa_note()[0])
        printf("note: %s\n", ndv_isa_note());
    printf("\n");
    print_table(levels, nlevels);
    free(levels);
    return 0;
}
