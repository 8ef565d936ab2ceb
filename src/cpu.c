/*
 * cpu.c - feature detection and the dispatch table.
 *
 * The kernel table of each level is built once (pthread_once): the scalar
 * table, then each level's file overriding the entries it speeds up, level
 * by level, so a level inherits everything below it. The table in use is
 * one atomic pointer: ndv_isa_set swaps it, readers load it. This file is
 * compiled with baseline flags; only src/kernels/<isa>.c use wider ones.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "kernels.h"

#if defined(NDV_SIMD_X86)
#include <cpuid.h>
#endif

enum { NLEVELS = NDV_ISA_NEON + 1 };

static ndv__kernels tables[NLEVELS];
static bool supported[NLEVELS];
static ndv_isa best_level;
static char note[160];
static char features[160];
static _Atomic(const ndv__kernels *) active_table;
static atomic_int active_level;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static const char *const names[NLEVELS] = {"scalar", "sse2", "sse41", "avx2", "avx512", "neon"};

#if defined(NDV_SIMD_X86)
static uint64_t xgetbv0(void)
{
    uint32_t eax, edx;
    /* The instruction's bytes: older assemblers lack the mnemonic without -mxsave. */
    __asm__ volatile(".byte 0x0f, 0x01, 0xd0" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((uint64_t)edx << 32) | eax;
}

/* Which x86 levels the CPU and the OS (saved register state) support. */
static void detect_x86(void)
{
    unsigned a, b, c, d;
    supported[NDV_ISA_SSE2] = true; /* x86-64 baseline */
    if (!__get_cpuid(1, &a, &b, &c, &d))
        return;
    bool ssse3 = c & (1u << 9), sse41 = c & (1u << 19), osxsave = c & (1u << 27);
    bool avx = c & (1u << 28), f16c = c & (1u << 29);
    supported[NDV_ISA_SSE41] = ssse3 && sse41;
    uint64_t xcr0 = osxsave ? xgetbv0() : 0;
    bool ymm = (xcr0 & 0x6) == 0x6, zmm = (xcr0 & 0xe6) == 0xe6;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
        return;
    bool avx2 = b & (1u << 5), f = b & (1u << 16), bw = b & (1u << 30), vl = b & (1u << 31);
    supported[NDV_ISA_AVX2] = supported[NDV_ISA_SSE41] && avx && avx2 && f16c && ymm;
    supported[NDV_ISA_AVX512] = supported[NDV_ISA_AVX2] && f && bw && vl && zmm;
    const struct { bool have; const char *name; } list[] = {
        {ssse3, "ssse3"}, {sse41, "sse4.1"}, {avx, "avx"}, {avx2, "avx2"}, {f16c, "f16c"},
        {f, "avx512f"}, {bw, "avx512bw"}, {vl, "avx512vl"}, {ymm, "os-ymm"}, {zmm, "os-zmm"}};
    for (size_t i = 0; i < sizeof list / sizeof list[0]; i++)
        if (list[i].have)
            strcat(strcat(features, " "), list[i].name);
}
#endif

static void build_tables(void)
{
    supported[NDV_ISA_SCALAR] = true;
    ndv__kernels_init_scalar(&tables[NDV_ISA_SCALAR]);
    best_level = NDV_ISA_SCALAR;
#if defined(NDV_SIMD_X86)
    strcpy(features, "sse2");
    detect_x86();
    static void (*const init[])(ndv__kernels *) = {
        [NDV_ISA_SSE2] = ndv__kernels_init_sse2, [NDV_ISA_SSE41] = ndv__kernels_init_sse41,
        [NDV_ISA_AVX2] = ndv__kernels_init_avx2, [NDV_ISA_AVX512] = ndv__kernels_init_avx512};
    for (int l = NDV_ISA_SSE2; l <= NDV_ISA_AVX512 && supported[l]; l++) {
        tables[l] = tables[l - 1];
        init[l](&tables[l]);
        best_level = (ndv_isa)l;
    }
#elif defined(NDV_SIMD_NEON)
    supported[NDV_ISA_NEON] = true;
    strcpy(features, "neon");
    tables[NDV_ISA_NEON] = tables[NDV_ISA_SCALAR];
    ndv__kernels_init_neon(&tables[NDV_ISA_NEON]);
    best_level = NDV_ISA_NEON;
#endif
}

/* NDVIEW_ISA caps the level; a name this build does not know is reported and ignored. */
static ndv_isa level_from_env(void)
{
    const char *env = getenv("NDVIEW_ISA");
    if (env == NULL || env[0] == '\0')
        return best_level;
    for (int l = 0; l < NLEVELS; l++) {
        if (strcmp(env, names[l]) != 0)
            continue;
        if (supported[l])
            return (ndv_isa)l;
        bool same_ladder = l != NDV_ISA_NEON && best_level != NDV_ISA_NEON;
        if (same_ladder) /* a cap above what the CPU has: the best there is */
            return best_level;
        snprintf(note, sizeof note, "NDVIEW_ISA=%s is not a level of this CPU; using %s", env,
                 names[best_level]);
        return best_level;
    }
    snprintf(note, sizeof note,
             "NDVIEW_ISA=%.40s is not one of scalar, sse2, sse41, avx2, avx512, neon; using %s",
             env, names[best_level]);
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
    return (unsigned)isa < NLEVELS ? names[isa] : "unknown";
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
/* Kernel slots, for ndview-info                                             */
/* ------------------------------------------------------------------------ */

enum {
    NSLOTS_MAX = 2 + 2 * NDV__NSIZES + 2 * NDV__NSRC * 3 + 2 * NDV__NSRC + 4,
};

typedef struct slot {
    char name[32];
    size_t offset; /* of the function pointer in ndv__kernels */
} slot;

static slot slots[NSLOTS_MAX];
static int nslots;
static pthread_once_t slots_once = PTHREAD_ONCE_INIT;

static void add_slot(size_t offset, const char *fmt, const char *a, const char *b)
{
    void (*fn)(void);
    memcpy(&fn, (const char *)&tables[NDV_ISA_SCALAR] + offset, sizeof fn);
    if (fn == NULL) /* a conversion the target refuses: no kernel anywhere */
        return;
    snprintf(slots[nslots].name, sizeof slots[nslots].name, fmt, a, b);
    slots[nslots++].offset = offset;
}

/* One-byte sources have no byte order to swap: no "swapped" slots for them. */
static bool one_byte(int src)
{
    return src <= NDV__SRC_BOOL;
}

static void build_slots(void)
{
    static const char *const sizes[NDV__NSIZES] = {"1", "2", "4", "8", "16"};
    static const char *const srcs[NDV__NSRC] = {"i8", "u8", "bool", "i16", "u16", "i32",
                                                "u32", "i64", "u64", "f16", "f32", "f64"};
    static const char *const dsts[3] = {"i64", "u64", "f64"};
    static const char *const swapped[2] = {"", "swapped/"};
    const size_t fp = sizeof(void (*)(void));
    ensure_init();
    add_slot(offsetof(ndv__kernels, copy_run), "copy_run%s%s", "", "");
    for (int i = 0; i < NDV__NSIZES; i++)
        add_slot(offsetof(ndv__kernels, copy_strided) + i * fp, "copy_strided/%s%s", sizes[i], "");
    for (int i = 0; i < NDV__NSIZES; i++)
        add_slot(offsetof(ndv__kernels, copy_tile) + i * fp, "copy_tile/%s%s", sizes[i], "");
    add_slot(offsetof(ndv__kernels, copy_runs), "copy_runs%s%s", "", "");
    for (int sw = 0; sw < 2; sw++)
        for (int src = 0; src < NDV__NSRC; src++)
            for (int to = 0; to < 3; to++) {
                char pair[16];
                snprintf(pair, sizeof pair, "%s->%s", srcs[src], dsts[to]);
                if (!(sw && one_byte(src)))
                    add_slot(offsetof(ndv__kernels, unpack) +
                                 (size_t)((sw * NDV__NSRC + src) * 3 + to) * fp,
                             "unpack/%s%s", swapped[sw], pair);
            }
    for (int sw = 0; sw < 2; sw++)
        for (int src = 0; src < NDV__NSRC; src++)
            if (!(sw && one_byte(src)))
                add_slot(offsetof(ndv__kernels, tolist) + (size_t)(sw * NDV__NSRC + src) * fp,
                         "tolist/%s%s", swapped[sw], srcs[src]);
    add_slot(offsetof(ndv__kernels, equal_float), "equal/f32%s%s", "", "");
    add_slot(offsetof(ndv__kernels, equal_float) + fp, "equal/f64%s%s", "", "");
    add_slot(offsetof(ndv__kernels, hex), "hex%s%s", "", "");
    add_slot(offsetof(ndv__kernels, hex_sep), "hex_sep%s%s", "", "");
}

int ndv_kernel_slots(void)
{
    pthread_once(&slots_once, build_slots);
    return nslots;
}

/* The level below l on its ladder (scalar -> sse2 -> ... -> avx512, scalar -> neon). */
static int level_below(int l)
{
    return l == NDV_ISA_NEON ? NDV_ISA_SCALAR : l - 1;
}

ndv_status ndv_kernel_slot(ndv_isa isa, int i, const char **name, ndv_isa *provider)
{
    if (i < 0 || i >= ndv_kernel_slots())
        return ndv__error(NDV_ERR_INDEX, "kernel slot %d is not in 0..%d", i, nslots - 1);
    if (!ndv_isa_supported(isa))
        return unsupported(isa);
    size_t off = slots[i].offset;
    int l = (int)isa;
    while (l != NDV_ISA_SCALAR &&
           memcmp((const char *)&tables[l] + off, (const char *)&tables[level_below(l)] + off,
                  sizeof(void (*)(void))) == 0)
        l = level_below(l);
    if (name)
        *name = slots[i].name;
    if (provider)
        *provider = (ndv_isa)l;
    return NDV_OK;
}
