/*
 * cbench.h - Google Benchmark from C: the benchmark suite's own interface.
 *
 * Every case of ndview-bench is a C function registered here; cbench.cc
 * implements this header over Google Benchmark (the one C++ file), so case
 * names, flags (--benchmark_filter, --benchmark_format=json ...) and the
 * JSON output are Google Benchmark's. A new case is one function and one
 * registration line:
 *
 *   static void bm_fill_u8(cb_state *s, const void *arg)
 *   {
 *       ptrdiff_t n = (ptrdiff_t)cb_range(s, 0);
 *       unsigned char *p = bench_buffer(n, 0, 1);
 *       while (cb_keep_running(s))
 *           memset(p, 7, (size_t)n), cb_clobber();
 *       cb_set_bytes(s, n);                       // bytes of output per iteration
 *   }
 *   ...
 *   cb_register("fill_u8", bm_fill_u8, NULL, CB_ARGS(4096, 1048576));
 *
 * Threads: registration and cb_run on the main thread; a case runs on the
 * thread Google Benchmark runs it on (one, unless asked otherwise).
 */
#ifndef NDV_CBENCH_H
#define NDV_CBENCH_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One running case (Google Benchmark's benchmark::State). */
typedef struct cb_state cb_state;

/* A case: the state, and the argument given at registration (not copied). */
typedef void (*cb_case)(cb_state *s, const void *arg);

/* Parse Google Benchmark's flags out of argv (removing them); call first. */
void cb_init(int *argc, char **argv);

/*
 * Register a case under name, once per value in ranges[0..n) (cb_range(s, 0)
 * gives it; n == 0: once, without an argument). The name is copied.
 */
void cb_register(const char *name, cb_case fn, const void *arg, const int64_t *ranges, int n);

/* The argument list for cb_register: CB_ARGS(64, 4096) -> ranges, count. */
#define CB_ARGS(...) (const int64_t[]){__VA_ARGS__}, \
    (int)(sizeof((const int64_t[]){__VA_ARGS__}) / sizeof(int64_t))
#define CB_NO_ARGS NULL, 0

/* Add a key/value to the report's context (Google Benchmark's AddCustomContext). */
void cb_context(const char *key, const char *value);

/* Run every registered case that the filter selects; returns 0. */
int cb_run(void);

/* The registered argument of the running case (state.range(i)). */
int64_t cb_range(cb_state *s, int i);

/* The timed loop: while (cb_keep_running(s)) { one call }. */
bool cb_keep_running(cb_state *s);

/* For calls of a few nanoseconds: n calls per check, while (cb_keep_running_batch(s, n)). */
bool cb_keep_running_batch(cb_state *s, int64_t n);

/* Bytes (items) one iteration produces; the report divides by time (bytes_per_second). */
void cb_set_bytes(cb_state *s, int64_t per_iteration);
void cb_set_items(cb_state *s, int64_t per_iteration);

/* A named value reported with the case (state.counters[name]). */
void cb_counter(cb_state *s, const char *name, double value);

/* Skip the case with a reason (state.SkipWithError); return from the case after it. */
void cb_skip(cb_state *s, const char *reason);

/* Keep the compiler from dropping stores (ClobberMemory), or a value (DoNotOptimize). */
static inline void cb_clobber(void)
{
    __asm__ __volatile__("" : : : "memory");
}

static inline void cb_keep(const void *p)
{
    __asm__ __volatile__("" : : "r"(p) : "memory");
}

#ifdef __cplusplus
}
#endif

#endif
