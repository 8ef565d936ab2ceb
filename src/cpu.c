/*
 * cpu.c - feature detection, the ISA ladder and the dispatch tables.
 *
 * The ladder is one table (below): each level names its parent, the
 * function that fills its kernel table and the CPU features it needs. The
 * tables are built once (pthread_once), parents first: a level's table
 * starts as a copy of its parent's and its init overrides the slots it
 * speeds up, so a level inherits everything below it. The table in use is
 * one atomic pointer: ndv_isa_set swaps it, readers load it. This file is
 * compiled with baseline flags; only src/kernels/<isa>.c use wider ones.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "kernels/kernels.h"

#if defined(NDV_SIMD_X86)
#include <cpuid.h>
#endif

/* CPU features the levels need (detected below; named for ndv_cpu_features). */
enum {
    F_SSE2 = 1 << 0, F_SSSE3 = 1 << 1, F_SSE41 = 1 << 2, F_AVX = 1 << 3, F_AVX2 = 1 << 4,
    F_F16C = 1 << 5, F_FMA = 1 << 6, F_AVX512F = 1 << 7, F_AVX512BW = 1 << 8,
    F_AVX512VL = 1 << 9, F_OS_YMM = 1 << 10, F_OS_ZMM = 1 << 11, F_NEON = 1 << 12,
};

static const struct { unsigned bit; const char *name; } feature_names[] = {
    {F_SSE2, "sse2"}, {F_SSSE3, "ssse3"}, {F_SSE41, "sse4.1"}, {F_AVX, "avx"},
    {F_AVX2, "avx2"}, {F_F16C, "f16c"}, {F_FMA, "fma"}, {F_AVX512F, "avx512f"},
    {F_AVX512BW, "avx512bw"}, {F_AVX512VL, "avx512vl"}, {F_OS_YMM, "os-ymm"},
    {F_OS_ZMM, "os-zmm"}, {F_NEON, "neon"},
};

/* A level's kernels exist only in builds for its architecture. */
#if defined(NDV_SIMD_X86)
#define X86_INIT(fn) fn
#else
#define X86_INIT(fn) NULL
#endif
#if defined(NDV_SIMD_NEON)
#define NEON_INIT(fn) fn
#else
#define NEON_INIT(fn) NULL
#endif

typedef struct level {
    const char *name; /* NDVIEW_ISA's spelling */
    ndv_isa parent;   /* the level below on its ladder (scalar: itself) */
    void (*init)(ndv__kernels *k, const ndv__kernels *below); /* NULL: not in this build */
    unsigned needs;   /* F_* features, on top of the parent's */
} level;

/* The ISA ladder: scalar -> sse2 -> sse41 -> avx2 -> avx512, and scalar -> neon. */
static const level ladder[] = {
    [NDV_ISA_SCALAR] = {"scalar", NDV_ISA_SCALAR, ndv__kernels_init_scalar, 0},
    [NDV_ISA_SSE2] = {"sse2", NDV_ISA_SCALAR, X86_INIT(ndv__kernels_init_sse2), F_SSE2},
    [NDV_ISA_SSE41] = {"sse41", NDV_ISA_SSE2, X86_INIT(ndv__kernels_init_sse41),
                       F_SSSE3 | F_SSE41},
    [NDV_ISA_AVX2] = {"avx2", NDV_ISA_SSE41, X86_INIT(ndv__kernels_init_avx2),
                      F_AVX | F_AVX2 | F_F16C | F_FMA | F_OS_YMM},
    [NDV_ISA_AVX512] = {"avx512", NDV_ISA_AVX2, X86_INIT(ndv__kernels_init_avx512),
                        F_AVX512F | F_AVX512BW | F_AVX512VL | F_OS_ZMM},
    [NDV_ISA_NEON] = {"neon", NDV_ISA_SCALAR, NEON_INIT(ndv__kernels_init_neon), F_NEON},
};

enum { NLEVELS = sizeof ladder / sizeof ladder[0] };

/* Every cell is a named slot (kernels.h) or a known hole (convert_stream's, swap_stream's). */
#define HOLES_INT 0
#define HOLES_FLOAT 2 /* floats have no int64/uint64 targets */
#define ORDERS_1 1
#define ORDERS_2 2
#define ORDERS_4 2
#define ORDERS_8 2
#define SWAP_HOLES_1 4 /* one-byte sources: no swapped unpack (3) or tolist (1) */
#define SWAP_HOLES_2 0
#define SWAP_HOLES_4 0
#define SWAP_HOLES_8 0
#define HOLES(S, e, name, cls, bytes) +HOLES_##cls *ORDERS_##bytes + SWAP_HOLES_##bytes
_Static_assert(NDV__NSLOTS + (0 NDV__SOURCES(HOLES, _)) + NDV__NCTYPES * NDV__NCTYPES + 3 ==
                   sizeof(ndv__kernels) / sizeof(ndv__run_fn),
               "every kernel-table cell is a slot in NDV__KERNEL_SLOTS or a known hole");

static ndv__kernels tables[NLEVELS];
static bool supported[NLEVELS];
static ndv_isa best_level;
static char note[160];
static char features[192];
static _Atomic(const ndv__kernels *) active_table;
static atomic_int active_level;
static pthread_once_t once = PTHREAD_ONCE_INIT;

#if defined(NDV_SIMD_X86)
static uint64_t xgetbv0(void)
{
    uint32_t eax, edx;
    /* The instruction's bytes: older assemblers lack the mnemonic without -mxsave. */
    __asm__ volatile(".byte 0x0f, 0x01, 0xd0" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((uint64_t)edx << 32) | eax;
}

/* cpuid leaves 1 and 7, and which register state the OS saves (xgetbv). */
static unsigned detect_features(void)
{
    unsigned a, b, c, d, f = F_SSE2; /* x86-64 baseline */
    if (!__get_cpuid(1, &a, &b, &c, &d))
        return f;
    f |= (c & (1u << 9) ? F_SSSE3 : 0) | (c & (1u << 19) ? F_SSE41 : 0) |
         (c & (1u << 28) ? F_AVX : 0) | (c & (1u << 29) ? F_F16C : 0) |
         (c & (1u << 12) ? F_FMA : 0);
    uint64_t xcr0 = c & (1u << 27) ? xgetbv0() : 0; /* OSXSAVE */
    f |= ((xcr0 & 0x6) == 0x6 ? F_OS_YMM : 0) | ((xcr0 & 0xe6) == 0xe6 ? F_OS_ZMM : 0);
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
        return f;
    f |= (b & (1u << 5) ? F_AVX2 : 0) | (b & (1u << 16) ? F_AVX512F : 0) |
         (b & (1u << 30) ? F_AVX512BW : 0) | (b & (1u << 31) ? F_AVX512VL : 0);
    return f;
}
#elif defined(NDV_SIMD_NEON)
static unsigned detect_features(void)
{
    return F_NEON; /* baseline on AArch64 */
}
#else
static unsigned detect_features(void)
{
    return 0;
}
#endif

static void build_tables(void)
{
    unsigned have = detect_features();
    for (size_t i = 0; i < sizeof feature_names / sizeof feature_names[0]; i++)
        if (have & feature_names[i].bit)
            strcat(strcat(features, features[0] ? " " : ""), feature_names[i].name);
    for (int l = 0; l < NLEVELS; l++) { /* parents come first in the enum */
        const level *v = &ladder[l];
        int up = l == NDV_ISA_SCALAR ? l : (int)v->parent;
        supported[l] = v->init && (have & v->needs) == v->needs && (l == up || supported[up]);
        if (!supported[l])
            continue;
        tables[l] = tables[up];
        v->init(&tables[l], l == up ? NULL : &tables[up]);
        best_level = (ndv_isa)l; /* ladders are exclusive: the last one found is the best */
    }
}

/* Is level l above `than` on the same ladder (a cap the CPU does not reach)? */
static bool above_on_ladder(int l, int than)
{
    while (l != NDV_ISA_SCALAR && l != than)
        l = ladder[l].parent;
    return l == than;
}

/* NDVIEW_ISA caps the level; a name this build does not know is reported and ignored. */
static ndv_isa level_from_env(void)
{
    const char *env = getenv("NDVIEW_ISA");
    if (env == NULL || env[0] == '\0')
        return best_level;
    for (int l = 0; l < NLEVELS; l++) {
        if (strcmp(env, ladder[l].name) != 0)
            continue;
        if (supported[l])
            return (ndv_isa)l;
        if (!above_on_ladder(l, best_level))
            snprintf(note, sizeof note, "NDVIEW_ISA=%s is not a level of this CPU; using %s",
                     env, ladder[best_level].name);
        return best_level;
    }
    int n = snprintf(note, sizeof note, "NDVIEW_ISA=%.40s is not one of", env);
    for (int l = 0; l < NLEVELS && n > 0 && (size_t)n < sizeof note; l++)
        n += snprintf(note + n, sizeof note - (size_t)n, " %s", ladder[l].name);
    if (n > 0 && (size_t)n < sizeof note)
        snprintf(note + n, sizeof note - (size_t)n, "; using %s", ladder[best_level].name);
    return best_level;
}

static void init_once(void)
{
    build_tables();
    ndv_isa l = level_from_env();
    atomic_store(&active_level, (int)l);
    atomic_store(&active_table, &tables[l]);
}

static void ensure_init(void)
{
    pthread_once(&once, init_once);
}

const ndv__kernels *ndv__kernels_active(void)
{
    ensure_init();
    return atomic_load_explicit(&active_table, memory_order_acquire);
}

int ndv_isa_count(void)
{
    return NLEVELS;
}

ndv_isa ndv_isa_best(void)
{
    ensure_init();
    return best_level;
}

ndv_isa ndv_isa_active(void)
{
    ensure_init();
    return (ndv_isa)atomic_load(&active_level);
}

bool ndv_isa_supported(ndv_isa isa)
{
    ensure_init();
    return (unsigned)isa < NLEVELS && supported[isa];
}

static ndv_status unsupported(ndv_isa isa)
{
    return ndv__error(NDV_ERR_VALUE, "instruction set %s is not available on this CPU or build",
                      ndv_isa_name(isa));
}

ndv_status ndv_isa_set(ndv_isa isa)
{
    if (!ndv_isa_supported(isa))
        return unsupported(isa);
    atomic_store(&active_level, (int)isa);
    atomic_store_explicit(&active_table, &tables[isa], memory_order_release);
    return NDV_OK;
}

const char *ndv_isa_name(ndv_isa isa)
{
    return (unsigned)isa < NLEVELS ? ladder[isa].name : "unknown";
}

const char *ndv_isa_note(void)
{
    ensure_init();
    return note;
}

const char *ndv_cpu_features(void)
{
    ensure_init();
    return features;
}

/* ------------------------------------------------------------------------ */
/* Kernel slots, for ndview-info and the tests                               */
/* ------------------------------------------------------------------------ */

#define SLOT_ROW(name, member) {name, offsetof(ndv__kernels, member)},
static const struct {
    const char *name;
    size_t offset; /* of the function pointer in ndv__kernels */
} slots[] = {NDV__KERNEL_SLOTS(SLOT_ROW)};

int ndv_kernel_slots(void)
{
    return NDV__NSLOTS;
}

static ndv__run_fn slot_fn(int isa, int i)
{
    ndv__run_fn fn;
    memcpy(&fn, (const char *)&tables[isa] + slots[i].offset, sizeof fn);
    return fn;
}

ndv_status ndv_kernel_slot(ndv_isa isa, int i, const char **name, ndv_isa *provider)
{
    if (i < 0 || i >= NDV__NSLOTS)
        return ndv__error(NDV_ERR_INDEX, "kernel slot %d is not in 0..%d", i, NDV__NSLOTS - 1);
    if (!ndv_isa_supported(isa))
        return unsupported(isa);
    if (slot_fn(isa, i) == NULL)
        return ndv__error(NDV_ERR_NOTIMPL, "kernel slot %s of level %s is empty", slots[i].name,
                          ladder[isa].name);
    int l = (int)isa;
    while (l != NDV_ISA_SCALAR && slot_fn(l, i) == slot_fn(ladder[l].parent, i))
        l = ladder[l].parent;
    if (name)
        *name = slots[i].name;
    if (provider)
        *provider = (ndv_isa)l;
    return NDV_OK;
}
