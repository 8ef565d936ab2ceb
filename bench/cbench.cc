// cbench.cc - the C interface of bench/cbench.h over Google Benchmark.
// The only C++ in the suite: every case is C and registers through here.

#include "cbench.h"

#include <benchmark/benchmark.h>

struct cb_state {
    benchmark::State *state;
};

extern "C" {

void cb_init(int *argc, char **argv)
{
    benchmark::Initialize(argc, argv);
}

void cb_register(const char *name, cb_case fn, const void *arg, const int64_t *ranges, int n)
{
    auto *b = benchmark::RegisterBenchmark(name, [fn, arg](benchmark::State &state) {
        cb_state s{&state};
        fn(&s, arg);
    });
    for (int i = 0; i < n; i++)
        b->Arg(ranges[i]);
}

void cb_context(const char *key, const char *value)
{
    benchmark::AddCustomContext(key, value);
}

int cb_run(void)
{
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}

int64_t cb_range(cb_state *s, int i)
{
    return s->state->range(i);
}

bool cb_keep_running(cb_state *s)
{
    return s->state->KeepRunning();
}

bool cb_keep_running_batch(cb_state *s, int64_t n)
{
    return s->state->KeepRunningBatch(n);
}

void cb_set_bytes(cb_state *s, int64_t per_iteration)
{
    s->state->SetBytesProcessed(static_cast<int64_t>(s->state->iterations()) * per_iteration);
}

void cb_set_items(cb_state *s, int64_t per_iteration)
{
    s->state->SetItemsProcessed(static_cast<int64_t>(s->state->iterations()) * per_iteration);
}

void cb_counter(cb_state *s, const char *name, double value)
{
    s->state->counters[name] = benchmark::Counter(value);
}

void cb_skip(cb_state *s, const char *reason)
{
    s->state->SkipWithError(reason);
}

}  // extern "C"
