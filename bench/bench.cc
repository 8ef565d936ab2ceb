// ndview-bench: Google Benchmark cases for ndview and its C peers.
//
// Every case reports bytes of output per second (SetBytesProcessed) and,
// where elements matter, items per second. Buffers are 64-byte aligned and
// written once before timing (pre-faulted), and kept across the repeated
// calls Google Benchmark makes while it sizes a run.
//
// Cases run at the active instruction-set level under their plain names
// (tobytes_contig/64 ...). With --isa=all every ndview case is registered
// once more per level the CPU supports, as <name>@<level>/<arg>.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ndview.h"

#if defined(NDV_BENCH_OPENBLAS)
#include <cblas.h>
#endif
#if defined(NDV_BENCH_LIBXSMM)
#include <libxsmm.h>
#endif

namespace {

// ---------------------------------------------------------------------------
// Buffers and views
// ---------------------------------------------------------------------------

struct Buffer {
    unsigned char *p = nullptr;
    size_t n = 0;
    ~Buffer() { std::free(p); }
};

// A pre-faulted, 64-byte aligned buffer; `slot` keeps several of one size apart.
unsigned char *buffer(size_t n, int slot, unsigned char fill)
{
    static std::map<std::pair<size_t, int>, std::unique_ptr<Buffer>> cache;
    auto &b = cache[{n, slot}];
    if (!b) {
        b.reset(new Buffer);
        b->n = n;
        b->p = static_cast<unsigned char *>(std::aligned_alloc(64, (n + 63) / 64 * 64 + 64));
        for (size_t i = 0; i < n; i++)
            b->p[i] = static_cast<unsigned char>(fill + i * 7);
    }
    return b->p;
}

struct View {
    ndv_view v = NDV_VIEW_INIT;
    ~View() { ndv_release(&v); }
};

bool make(View &out, void *mem, ptrdiff_t memlen, const char *fmt, std::vector<ptrdiff_t> shape,
          std::vector<ptrdiff_t> strides, ptrdiff_t offset = 0)
{
    return ndv_view_from_memory(&out.v, mem, memlen, false, fmt, static_cast<int>(shape.size()),
                                shape.data(), strides.empty() ? nullptr : strides.data(),
                                offset) == NDV_OK;
}

bool fail(benchmark::State &state, const char *what)
{
    state.SkipWithError(what);
    return false;
}

// The level active at start-up (NDVIEW_ISA applied): what plain case names run at.
ndv_isa g_active = NDV_ISA_SCALAR;

// Sets the level a case runs at; -1: the start-up level.
bool use_isa(benchmark::State &state, int isa)
{
    ndv_isa level = isa >= 0 ? static_cast<ndv_isa>(isa) : g_active;
    if (ndv_isa_set(level) != NDV_OK)
        return fail(state, "instruction set not available");
    return true;
}

void tobytes_loop(benchmark::State &state, const View &v, void *dst)
{
    for (auto _ : state) {
        ndv_tobytes(&v.v, dst, v.v.len, 'C');
        benchmark::DoNotOptimize(dst);
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * v.v.len);
}

// ---------------------------------------------------------------------------
// Baselines
// ---------------------------------------------------------------------------

void bm_memcpy(benchmark::State &state)
{
    size_t n = static_cast<size_t>(state.range(0));
    unsigned char *src = buffer(n, 0, 1), *dst = buffer(n, 1, 2);
    for (auto _ : state) {
        std::memcpy(dst, src, n);
        benchmark::DoNotOptimize(dst);
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * n));
}

void bm_memcmp(benchmark::State &state)
{
    size_t n = static_cast<size_t>(state.range(0));
    unsigned char *a = buffer(n, 0, 1), *b = buffer(n, 2, 1);
    for (auto _ : state)
        benchmark::DoNotOptimize(std::memcmp(a, b, n));
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * n));
}

// ---------------------------------------------------------------------------
// ndview copies
// ---------------------------------------------------------------------------

void bm_tobytes_contig(benchmark::State &state, int isa)
{
    ptrdiff_t n = state.range(0);
    View v;
    if (!use_isa(state, isa) || !make(v, buffer(n, 0, 1), n, "B", {n}, {}))
        return;
    tobytes_loop(state, v, buffer(n, 1, 2));
}

// int32 [::2] into C order; range(0) is bytes of output.
void bm_tobytes_step2_i32(benchmark::State &state, int isa)
{
    ptrdiff_t out = state.range(0), n = out / 4;
    View v;
    if (!use_isa(state, isa) || !make(v, buffer(2 * out, 0, 1), 2 * out, "i", {n}, {8}))
        return;
    tobytes_loop(state, v, buffer(out, 1, 2));
}

// An n x m C array viewed transposed, into C order.
void transpose_case(benchmark::State &state, int isa, const char *fmt, ptrdiff_t is,
                    ptrdiff_t rows, ptrdiff_t cols)
{
    ptrdiff_t bytes = rows * cols * is;
    View v;
    if (!use_isa(state, isa) ||
        !make(v, buffer(bytes, 0, 1), bytes, fmt, {cols, rows}, {is, cols * is}))
        return;
    tobytes_loop(state, v, buffer(bytes, 1, 2));
}

void bm_tobytes_transpose_f32(benchmark::State &state, int isa)
{
    transpose_case(state, isa, "f", 4, state.range(0), state.range(0));
}

void bm_tobytes_transpose_f64(benchmark::State &state, int isa)
{
    transpose_case(state, isa, "d", 8, state.range(0), 2 * state.range(0));
}

// uint8 (N, 3)[:, :2] into C order.
void bm_tobytes_u8_2of3(benchmark::State &state, int isa)
{
    ptrdiff_t n = state.range(0);
    View v;
    if (!use_isa(state, isa) || !make(v, buffer(3 * n, 0, 1), 3 * n, "B", {n, 2}, {3, 1}))
        return;
    tobytes_loop(state, v, buffer(2 * n, 1, 2));
}

// A 4-D array with its two inner axes swapped, copied into a C-order view.
void bm_copy_4d_swap(benchmark::State &state, int isa)
{
    ptrdiff_t n = state.range(0), bytes = n * n * n * n * 4;
    View src, dst;
    if (!use_isa(state, isa) ||
        !make(src, buffer(bytes, 0, 1), bytes, "f", {n, n, n, n}, {n * n * n * 4, n * n * 4, 4, n * 4}) ||
        !make(dst, buffer(bytes, 1, 2), bytes, "f", {n, n, n, n}, {}))
        return;
    for (auto _ : state) {
        ndv_copy(&dst.v, &src.v);
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * bytes);
}

// ---------------------------------------------------------------------------
// ndview values
// ---------------------------------------------------------------------------

void unpack_case(benchmark::State &state, int isa, const char *fmt, ptrdiff_t is, ndv_dtype to)
{
    ptrdiff_t n = state.range(0);
    View v;
    if (!use_isa(state, isa) || !make(v, buffer(n * is, 0, 1), n * is, fmt, {n}, {}))
        return;
    void *dst = buffer(n * 8, 1, 2);
    for (auto _ : state) {
        ndv_unpack_as(&v.v, to, dst, n);
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * n * 8);
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * n);
}

// Converting copies: range(0) is bytes of output; both sides contiguous.
void convert_case(benchmark::State &state, int isa, const char *from, ptrdiff_t fs,
                  const char *to, ptrdiff_t ts)
{
    ptrdiff_t n = state.range(0) / ts;
    View src, dst;
    /* Slots of their own: the source is rewritten below, and other cases compare contents. */
    if (!use_isa(state, isa) || !make(src, buffer(n * fs, 20, 1), n * fs, from, {n}, {}) ||
        !make(dst, buffer(n * ts, 21, 2), n * ts, to, {n}, {}))
        return;
    for (ptrdiff_t i = 0; i < n; i++) { /* small, finite values */
        ndv_value v;
        v.kind = NDV_KIND_INT;
        v.v.i = i % 100;
        ptrdiff_t idx = i;
        ndv_pack_item(&src.v, &idx, &v, 1);
    }
    for (auto _ : state) {
        if (ndv_convert(&dst.v, &src.v, NDV_CASTING_UNSAFE) != NDV_OK) {
            fail(state, ndv_errmsg());
            return;
        }
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * n * ts);
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * n);
}

#define CONVERT_CASE(NAME, FROM, FS, TO, TS) \
    void bm_convert_##NAME(benchmark::State &s, int isa) { convert_case(s, isa, FROM, FS, TO, TS); }
CONVERT_CASE(i8_f32, "b", 1, "f", 4)
CONVERT_CASE(u8_f32, "B", 1, "f", 4)
CONVERT_CASE(i16_f32, "h", 2, "f", 4)
CONVERT_CASE(u16_f32, "H", 2, "f", 4)
CONVERT_CASE(i32_f64, "i", 4, "d", 8)
CONVERT_CASE(i32_f32, "i", 4, "f", 4)
CONVERT_CASE(i64_i32, "q", 8, "i", 4)
CONVERT_CASE(i32_i8, "i", 4, "b", 1)
CONVERT_CASE(u32_f64, "I", 4, "d", 8)
CONVERT_CASE(f32_f64, "f", 4, "d", 8)
CONVERT_CASE(f64_f32, "d", 8, "f", 4)
CONVERT_CASE(f32_i32, "f", 4, "i", 4)
CONVERT_CASE(f16_f32, "e", 2, "f", 4)
CONVERT_CASE(f32_f16, "f", 4, "e", 2)
CONVERT_CASE(f64_f16, "d", 8, "e", 2)
CONVERT_CASE(bei32_i32, ">i", 4, "i", 4)
CONVERT_CASE(bef64_f64, ">d", 8, "d", 8)

// f64 -> f32 of a transposed n x n matrix (the output is C order).
void bm_convert_transpose_f64_f32(benchmark::State &state, int isa)
{
    ptrdiff_t n = state.range(0);
    View src, dst;
    if (!use_isa(state, isa) ||
        !make(src, buffer(n * n * 8, 20, 1), n * n * 8, "d", {n, n}, {8, n * 8}) ||
        !make(dst, buffer(n * n * 4, 21, 2), n * n * 4, "f", {n, n}, {}))
        return;
    std::memset(src.v.buf, 0, static_cast<size_t>(n * n * 8));
    for (auto _ : state) {
        ndv_convert(&dst.v, &src.v, NDV_CASTING_UNSAFE);
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * n * n * 4);
}

void bm_unpack_i8_i64(benchmark::State &s, int isa) { unpack_case(s, isa, "b", 1, NDV_I64); }
void bm_unpack_i16_i64(benchmark::State &s, int isa) { unpack_case(s, isa, "h", 2, NDV_I64); }
void bm_unpack_i32_i64(benchmark::State &s, int isa) { unpack_case(s, isa, "i", 4, NDV_I64); }
void bm_unpack_f32_f64(benchmark::State &s, int isa) { unpack_case(s, isa, "f", 4, NDV_F64); }
void bm_unpack_f16_f64(benchmark::State &s, int isa) { unpack_case(s, isa, "e", 2, NDV_F64); }
void bm_unpack_bei32_i64(benchmark::State &s, int isa) { unpack_case(s, isa, ">i", 4, NDV_I64); }

void bm_tolist_i32(benchmark::State &state, int isa)
{
    ptrdiff_t n = state.range(0);
    View v;
    if (!use_isa(state, isa) || !make(v, buffer(n * 4, 0, 1), n * 4, "i", {n}, {}))
        return;
    auto *out = reinterpret_cast<ndv_value *>(buffer(n * sizeof(ndv_value), 1, 0));
    ptrdiff_t count;
    for (auto _ : state) {
        ndv_tolist(&v.v, out, n, &count);
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * n *
                            static_cast<int64_t>(sizeof(ndv_value)));
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * n);
}

void bm_hex(benchmark::State &state, int isa)
{
    ptrdiff_t n = state.range(0), len;
    View v;
    if (!use_isa(state, isa) || !make(v, buffer(n, 0, 1), n, "B", {n}, {}))
        return;
    char *dst = reinterpret_cast<char *>(buffer(2 * n + 1, 1, 0));
    for (auto _ : state) {
        ndv_hex(&v.v, dst, 2 * n + 1, 0, 0, &len);
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * 2 * n);
}

/* bytes.hex(':'): a separator after every byte, a third of the output. */
void bm_hex_sep1(benchmark::State &state, int isa)
{
    ptrdiff_t n = state.range(0), len;
    View v;
    if (!use_isa(state, isa) || !make(v, buffer(n, 0, 1), n, "B", {n}, {}))
        return;
    char *dst = reinterpret_cast<char *>(buffer(3 * n + 1, 1, 0));
    for (auto _ : state) {
        ndv_hex(&v.v, dst, 3 * n + 1, ':', 1, &len);
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * (3 * n - 1));
}

void bm_equal_i32(benchmark::State &state, int isa)
{
    ptrdiff_t n = state.range(0);
    View a, b;
    if (!use_isa(state, isa) || !make(a, buffer(n * 4, 0, 1), n * 4, "i", {n}, {}) ||
        !make(b, buffer(n * 4, 2, 1), n * 4, "i", {n}, {}))
        return;
    bool eq = false;
    for (auto _ : state) {
        ndv_equal(&a.v, &b.v, &eq);
        benchmark::DoNotOptimize(eq);
    }
    if (!eq)
        fail(state, "views differ");
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * n * 4);
}

/* Different formats, equal values: int32 against int64 through the conversion kernels. */
void bm_equal_i32_i64(benchmark::State &state, int isa)
{
    ptrdiff_t n = state.range(0);
    auto *x = reinterpret_cast<int32_t *>(buffer(n * 4, 4, 0));
    auto *y = reinterpret_cast<int64_t *>(buffer(n * 8, 5, 0));
    for (ptrdiff_t i = 0; i < n; i++)
        x[i] = static_cast<int32_t>(i * 7 - n), y[i] = x[i];
    View a, b;
    if (!use_isa(state, isa) || !make(a, x, n * 4, "i", {n}, {}) || !make(b, y, n * 8, "q", {n}, {}))
        return;
    bool eq = false;
    for (auto _ : state) {
        ndv_equal(&a.v, &b.v, &eq);
        benchmark::DoNotOptimize(eq);
    }
    if (!eq)
        fail(state, "views differ");
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * n * 12);
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * n);
}

void bm_repr_i32(benchmark::State &state, int isa)
{
    ptrdiff_t n = state.range(0), len;
    View v;
    if (!use_isa(state, isa) || !make(v, buffer(n * 4, 0, 1), n * 4, "i", {n}, {}))
        return;
    ndv_repr(&v.v, nullptr, 0, &len);
    char *dst = reinterpret_cast<char *>(buffer(len + 1, 1, 0));
    for (auto _ : state) {
        ndv_repr(&v.v, dst, len + 1, &len);
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * len);
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * n);
}

// The fixed cost of deriving and releasing a view.
void bm_slice_release(benchmark::State &state, int isa)
{
    View v;
    if (!use_isa(state, isa) || !make(v, buffer(4096, 0, 1), 4096, "i", {32, 32}, {}))
        return;
    for (auto _ : state) {
        ndv_view s;
        ndv_slice(&v.v, 1, 1, NDV_NONE, 2, &s);
        ndv_release(&s);
    }
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

// ---------------------------------------------------------------------------
// C peers
// ---------------------------------------------------------------------------

#if defined(NDV_BENCH_OPENBLAS)
void bm_openblas_somatcopy(benchmark::State &state)
{
    blasint n = static_cast<blasint>(state.range(0));
    size_t bytes = static_cast<size_t>(n) * n * 4;
    auto *a = reinterpret_cast<float *>(buffer(bytes, 0, 1));
    auto *b = reinterpret_cast<float *>(buffer(bytes, 1, 2));
    for (auto _ : state) {
        cblas_somatcopy(CblasRowMajor, CblasTrans, n, n, 1.0f, a, n, b, n);
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}

void bm_openblas_domatcopy(benchmark::State &state)
{
    blasint rows = static_cast<blasint>(state.range(0)), cols = 2 * rows;
    size_t bytes = static_cast<size_t>(rows) * cols * 8;
    auto *a = reinterpret_cast<double *>(buffer(bytes, 0, 1));
    auto *b = reinterpret_cast<double *>(buffer(bytes, 1, 2));
    for (auto _ : state) {
        cblas_domatcopy(CblasRowMajor, CblasTrans, rows, cols, 1.0, a, cols, b, rows);
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}

void bm_openblas_scopy_step2(benchmark::State &state)
{
    blasint n = static_cast<blasint>(state.range(0) / 4);
    auto *a = reinterpret_cast<float *>(buffer(state.range(0) * 2, 0, 1));
    auto *b = reinterpret_cast<float *>(buffer(state.range(0), 1, 2));
    for (auto _ : state) {
        cblas_scopy(n, a, 2, b, 1);
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
#endif

#if defined(NDV_BENCH_LIBXSMM)
void xsmm_otrans(benchmark::State &state, unsigned is, libxsmm_blasint rows, libxsmm_blasint cols)
{
    size_t bytes = static_cast<size_t>(rows) * cols * is;
    void *a = buffer(bytes, 0, 1), *b = buffer(bytes, 1, 2);
    for (auto _ : state) {
        // in: rows x cols row-major is (m = cols, n = rows, ldi = cols) in column-major terms.
        libxsmm_otrans(b, a, is, cols, rows, cols, rows);
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}

void bm_libxsmm_otrans_f32(benchmark::State &s)
{
    xsmm_otrans(s, 4, static_cast<libxsmm_blasint>(s.range(0)), static_cast<libxsmm_blasint>(s.range(0)));
}

void bm_libxsmm_otrans_f64(benchmark::State &s)
{
    xsmm_otrans(s, 8, static_cast<libxsmm_blasint>(s.range(0)),
                static_cast<libxsmm_blasint>(2 * s.range(0)));
}
#endif

// ---------------------------------------------------------------------------
// Registration
// ---------------------------------------------------------------------------

using Case = void (*)(benchmark::State &, int);

struct Entry {
    const char *name;
    Case fn;
    std::vector<int64_t> args;
};

const std::vector<Entry> &entries()
{
    static const std::vector<Entry> list = {
        {"tobytes_contig", bm_tobytes_contig, {64, 4096, 262144, 4194304, 67108864, 268435456}},
        {"tobytes_step2_i32", bm_tobytes_step2_i32, {262144, 33554432}},
        {"tobytes_transpose_f32", bm_tobytes_transpose_f32, {4096}},
        {"tobytes_transpose_f64", bm_tobytes_transpose_f64, {2048}},
        {"tobytes_u8_2of3", bm_tobytes_u8_2of3, {16777216}},
        {"copy_4d_swap_f32", bm_copy_4d_swap, {64}},
        {"unpack_i8_i64", bm_unpack_i8_i64, {32768, 8388608}},
        {"unpack_i16_i64", bm_unpack_i16_i64, {32768, 8388608}},
        {"unpack_i32_i64", bm_unpack_i32_i64, {32768, 8388608}},
        {"unpack_f32_f64", bm_unpack_f32_f64, {32768, 8388608}},
        {"unpack_f16_f64", bm_unpack_f16_f64, {32768, 8388608}},
        {"unpack_bei32_i64", bm_unpack_bei32_i64, {32768, 8388608}},
#define CONVERT_ENTRY(NAME) {"convert_" #NAME, bm_convert_##NAME, {262144, 67108864}}
        CONVERT_ENTRY(i8_f32), CONVERT_ENTRY(u8_f32), CONVERT_ENTRY(i16_f32),
        CONVERT_ENTRY(u16_f32), CONVERT_ENTRY(i32_f64), CONVERT_ENTRY(i32_f32),
        CONVERT_ENTRY(i64_i32), CONVERT_ENTRY(i32_i8), CONVERT_ENTRY(u32_f64),
        CONVERT_ENTRY(f32_f64), CONVERT_ENTRY(f64_f32), CONVERT_ENTRY(f32_i32),
        CONVERT_ENTRY(f16_f32), CONVERT_ENTRY(f32_f16), CONVERT_ENTRY(f64_f16),
        CONVERT_ENTRY(bei32_i32), CONVERT_ENTRY(bef64_f64),
        {"convert_transpose_f64_f32", bm_convert_transpose_f64_f32, {4096}},
        {"tolist_i32", bm_tolist_i32, {4194304}},
        {"hex", bm_hex, {16777216}},
        {"hex_sep1", bm_hex_sep1, {16777216}},
        {"equal_i32", bm_equal_i32, {16777216}},
        {"equal_i32_i64", bm_equal_i32_i64, {16777216}},
        {"repr_i32", bm_repr_i32, {1048576}},
        {"slice_release", bm_slice_release, {0}},
    };
    return list;
}

void register_all(bool all_levels)
{
    for (int64_t n : {64, 4096, 262144, 4194304, 67108864, 268435456})
        benchmark::RegisterBenchmark("memcpy", bm_memcpy)->Arg(n);
    benchmark::RegisterBenchmark("memcmp", bm_memcmp)->Arg(67108864);
    for (const Entry &e : entries()) {
        auto *b = benchmark::RegisterBenchmark(e.name, e.fn, -1);
        for (int64_t a : e.args)
            b->Arg(a);
        for (int isa = NDV_ISA_SCALAR; all_levels && isa < ndv_isa_count(); isa++) {
            if (!ndv_isa_supported(static_cast<ndv_isa>(isa)))
                continue;
            std::string name = std::string(e.name) + "@" + ndv_isa_name(static_cast<ndv_isa>(isa));
            auto *l = benchmark::RegisterBenchmark(name.c_str(), e.fn, isa);
            for (int64_t a : e.args)
                l->Arg(a);
        }
    }
#if defined(NDV_BENCH_OPENBLAS)
    openblas_set_num_threads(1);
    benchmark::RegisterBenchmark("peer_openblas_somatcopy", bm_openblas_somatcopy)->Arg(4096);
    benchmark::RegisterBenchmark("peer_openblas_domatcopy", bm_openblas_domatcopy)->Arg(2048);
    benchmark::RegisterBenchmark("peer_openblas_scopy_step2", bm_openblas_scopy_step2)
        ->Arg(262144)->Arg(33554432);
#endif
#if defined(NDV_BENCH_LIBXSMM)
    libxsmm_init();
    benchmark::RegisterBenchmark("peer_libxsmm_otrans_f32", bm_libxsmm_otrans_f32)->Arg(4096);
    benchmark::RegisterBenchmark("peer_libxsmm_otrans_f64", bm_libxsmm_otrans_f64)->Arg(2048);
#endif
}

}  // namespace

int main(int argc, char **argv)
{
    bool all_levels = false;
    std::vector<char *> args;
    for (int i = 0; i < argc; i++) {
        if (std::strcmp(argv[i], "--isa=all") == 0)
            all_levels = true;
        else
            args.push_back(argv[i]);
    }
    int n = static_cast<int>(args.size());
    benchmark::Initialize(&n, args.data());
    g_active = ndv_isa_active();
    benchmark::AddCustomContext("ndview_isa", ndv_isa_name(g_active));
    benchmark::AddCustomContext("ndview_isa_best", ndv_isa_name(ndv_isa_best()));
    benchmark::AddCustomContext("ndview_version", ndv_version());
    register_all(all_levels);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
