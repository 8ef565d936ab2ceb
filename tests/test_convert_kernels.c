/*
 * test_convert_kernels.c - every conversion kernel at every level the CPU
 * has against the scalar result, byte for byte: every pair of the 14
 * numeric types in both byte orders on each side, lengths 0-300 and large,
 * source and destination misaligned by 0-63 bytes, contiguous, strided,
 * reversed and zero-stride (broadcast) sources, values that are random
 * bits or special (+-0, +-inf, NaN payloads, subnormals, integer extremes,
 * values just inside and outside each integer range). A refused float must
 * be refused at the same index at every level.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "testutil.h"

static const char *const types[] = {"?", "b", "B", "h", "H", "i", "I", "q",
                                    "Q", "e", "f", "d", "Zf", "Zd"};
enum { NTYPES = sizeof types / sizeof types[0], MAXN = 4099, PAD = 64 };

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* Fill n items of a format with random bits and, often, special values. */
static void fill(unsigned char *p, ptrdiff_t n, const char *fmt, ptrdiff_t size)
{
    for (ptrdiff_t i = 0; i < n * size; i++)
        p[i] = (unsigned char)next();
    static const double specials[] = {0.0, -0.0, INFINITY, -INFINITY, NAN, 1e-310, -1e-40,
                                      6e-8, 65504.0, 65520.0, 127.9, -128.9, 255.5, 32767.9,
                                      -32768.9, 2147483647.5, -2147483648.9, 4294967295.9,
                                      0x1p63, -0x1p63, 0x1p64, 0.5, -0.5, 1.5, 2.5};
    const char *code = fmt + strspn(fmt, "<>=@!");
    bool cplx = code[0] == 'Z', floaty = cplx || strchr("fd", code[strlen(code) - 1]);
    ptrdiff_t w = cplx ? size / 2 : size; /* halves get random bits only */
    const uint16_t one = 1;
    bool swap = (fmt[0] == '>') == (*(const char *)&one == 1);
    for (ptrdiff_t i = 0; floaty && w >= 4 && i < n; i++) {
        if (next() % 3)
            continue;
        double x = specials[next() % (sizeof specials / sizeof specials[0])];
        unsigned char v[8], *q = p + i * size;
        float f = (float)x;
        memcpy(v, w == 8 ? (const void *)&x : (const void *)&f, (size_t)w);
        for (ptrdiff_t k = 0; k < w; k++)
            q[k] = v[swap ? w - 1 - k : k];
    }
}

/* The index ndv_convert's last refusal names ("... at index (N,)"). */
static ptrdiff_t refused_index(void)
{
    ptrdiff_t at = -1;
    sscanf(strstr(ndv_errmsg(), "index (") + 7, "%td", &at);
    return at;
}

typedef struct layout {
    ptrdiff_t n, step; /* step in items: 1, 2, -1, 0 */
    int sa, da;        /* misalignment of source and destination */
} layout;

/* dst (contiguous, format to) = convert(src items of format from); returns the status. */
static ndv_status run(const char *from, ptrdiff_t fs, const char *to, ptrdiff_t ts,
                      const layout *l, unsigned char *smem, unsigned char *dmem, ptrdiff_t *bad)
{
    ptrdiff_t reach = (l->n - 1) * (l->step < 0 ? -l->step : l->step);
    ptrdiff_t span = l->n == 0 || l->step == 0 ? 1 : reach + 1;
    ptrdiff_t stride = l->step * fs, off = l->step < 0 ? (span - 1) * fs : 0;
    ndv_view s, d;
    ck_ok(ndv_view_from_memory(&s, smem + l->sa, span * fs + fs, true, from, 1, &l->n, &stride,
                               off));
    ck_ok(ndv_view_from_memory(&d, dmem + l->da, l->n * ts, false, to, 1, &l->n, NULL, 0));
    ndv_status st = ndv_convert(&d, &s, NDV_CASTING_UNSAFE);
    *bad = st == NDV_ERR_VALUE ? refused_index() : -1;
    ndv_release(&s);
    ndv_release(&d);
    return st;
}

START_TEST(every_pair_every_level)
{
    char from[4], to[4];
    int fi = _i / NTYPES / 4, ti = _i / 4 % NTYPES, orders = _i % 4;
    snprintf(from, sizeof from, "%c%s", orders & 1 ? '>' : '<', types[fi]);
    snprintf(to, sizeof to, "%c%s", orders & 2 ? '>' : '<', types[ti]);
    if (types[fi][0] == '?' || types[fi][0] == 'b' || types[fi][0] == 'B')
        snprintf(from, sizeof from, "%s", types[fi]); /* one byte: no byte order */
    ptrdiff_t fs, ts;
    ck_ok(ndv_calcsize(from, &fs));
    ck_ok(ndv_calcsize(to, &ts));
    unsigned char *smem = malloc((size_t)(2 * MAXN + 2) * (size_t)fs + PAD);
    unsigned char *want = calloc((size_t)MAXN * (size_t)ts + PAD, 1);
    unsigned char *got = calloc((size_t)MAXN * (size_t)ts + PAD, 1);
    static const ptrdiff_t lengths[] = {0, 1, 2, 3, 7, 8, 15, 16, 17, 31, 33, 63, 64, 65, 100,
                                        255, 256, 257, 300, MAXN};
    static const ptrdiff_t steps[] = {1, 2, -1, 0};
    for (size_t li = 0; li < sizeof lengths / sizeof lengths[0]; li++) {
        for (size_t si = 0; si < 4; si++) {
            layout l = {lengths[li], steps[si], (int)(next() % PAD), (int)(next() % PAD)};
            fill(smem, 2 * MAXN + 2, from, fs);
            ptrdiff_t want_bad, got_bad;
            ck_ok(ndv_isa_set(NDV_ISA_SCALAR));
            memset(want, 0xa5, (size_t)MAXN * (size_t)ts + PAD);
            ndv_status want_st = run(from, fs, to, ts, &l, smem, want, &want_bad);
            for (int isa = NDV_ISA_SCALAR + 1; isa < ndv_isa_count(); isa++) {
                if (!ndv_isa_supported((ndv_isa)isa))
                    continue;
                ck_ok(ndv_isa_set((ndv_isa)isa));
                memset(got, 0xa5, (size_t)MAXN * (size_t)ts + PAD);
                ndv_status st = run(from, fs, to, ts, &l, smem, got, &got_bad);
                ck_assert_msg(st == want_st && got_bad == want_bad &&
                                  memcmp(got, want, (size_t)MAXN * (size_t)ts + PAD) == 0,
                              "%s -> %s at %s, n %td step %td align %d/%d: %s (%td) vs scalar "
                              "%s (%td)", from, to, ndv_isa_name((ndv_isa)isa), l.n, l.step,
                              l.sa, l.da, ndv_status_name(st), got_bad,
                              ndv_status_name(want_st), want_bad);
            }
        }
    }
    ck_ok(ndv_isa_set(ndv_isa_best()));
    free(smem);
    free(want);
    free(got);
}
END_TEST

/*
 * src converted to `to` (shape of src's, C-contiguous) at every level, each
 * compared byte for byte with want; the first differing item is named. The
 * output starts one byte past an aligned start, one item past it, and on
 * it: the streaming kernels take items that are not, not yet or already
 * 32-byte aligned differently.
 */
static void every_level_matches(const ndv_view *src, const char *to, const unsigned char *want,
                                const char *what)
{
    ptrdiff_t ts, n = 1;
    ck_ok(ndv_calcsize(to, &ts));
    for (int i = 0; i < src->ndim; i++)
        n *= src->shape[i];
    unsigned char *mem = aligned_alloc(64, (size_t)(n * ts + 64) / 64 * 64 + 64);
    const ptrdiff_t offsets[] = {1, ts, 64};
    for (int isa = NDV_ISA_SCALAR; isa < ndv_isa_count(); isa++) {
        for (int o = 0; o < 3 && ndv_isa_supported((ndv_isa)isa); o++) {
            unsigned char *got = mem + offsets[o];
            ck_ok(ndv_isa_set((ndv_isa)isa));
            ndv_view d;
            ck_ok(ndv_view_from_memory(&d, got, n * ts, false, to, src->ndim, src->shape, NULL,
                                       0));
            ck_assert_int_eq(ndv_convert(&d, src, NDV_CASTING_UNSAFE), NDV_OK);
            ndv_release(&d);
            ptrdiff_t k = 0;
            while (k < n * ts && got[k] == want[k])
                k++;
            ck_assert_msg(k == n * ts, "%s -> %s (%s) at %s, output at +%td: item %td differs",
                          src->format, to, what, ndv_isa_name((ndv_isa)isa), offsets[o], k / ts);
        }
    }
    ck_ok(ndv_isa_set(ndv_isa_best()));
    free(mem);
}

/* src converted at the scalar level, into a new buffer. */
static unsigned char *scalar_result(const ndv_view *src, const char *to)
{
    ptrdiff_t ts, n = 1;
    ck_ok(ndv_calcsize(to, &ts));
    for (int i = 0; i < src->ndim; i++)
        n *= src->shape[i];
    unsigned char *out = malloc((size_t)(n * ts));
    ndv_view d;
    ck_ok(ndv_view_from_memory(&d, out, n * ts, false, to, src->ndim, src->shape, NULL, 0));
    ck_ok(ndv_isa_set(NDV_ISA_SCALAR));
    ck_ok(ndv_convert(&d, src, NDV_CASTING_UNSAFE));
    ck_ok(ndv_isa_set(ndv_isa_best()));
    ndv_release(&d);
    return out;
}

/*
 * Outputs of 8 MiB and more are streamed past the cache, converted and
 * stored in one pass where a level has the pair's streaming kernel (every
 * pair below at AVX2, and the changes of byte order alone), else staged in
 * cache: every level, every byte.
 * Random bits: NaN payloads, infinities and float16's signalling NaNs make
 * the kernels hand groups down to the level below mid-stream.
 */
static const char *const streamed_pairs[][2] = {
    {"f", "d"}, {"h", "f"}, {">i", "q"}, {"d", ">e"}, {"b", "f"}, {"B", "f"}, {"H", "f"},
    {"i", "f"}, {"i", "d"}, {"I", "d"}, {"d", "f"}, {"q", "i"}, {"Q", "i"}, {"q", "I"},
    {"i", "b"}, {"I", "B"}, {"e", "f"}, {"e", "d"}, {"f", "e"}, {"d", "e"}, {">i", "d"},
    {"e", ">f"}, {">f", "e"}, {">i", "i"}, {"d", ">d"}, {">H", "H"}, {">Zf", "Zf"}};
enum { NSTREAMED = sizeof streamed_pairs / sizeof streamed_pairs[0] };

START_TEST(large_outputs_stream)
{
    ptrdiff_t n = (3 << 20) + 7, fs;
    const char *from = streamed_pairs[_i][0], *to = streamed_pairs[_i][1];
    ck_ok(ndv_calcsize(from, &fs));
    unsigned char *src = malloc((size_t)(n * fs));
    for (ptrdiff_t i = 0; i < n * fs; i++)
        src[i] = (unsigned char)(i * 7 + i / 251);
    ndv_view s;
    ck_ok(ndv_view_from_memory(&s, src, n * fs, true, from, 1, &n, NULL, 0));
    unsigned char *want = scalar_result(&s, to);
    every_level_matches(&s, to, want, "large output");
    ndv_release(&s);
    free(src);
    free(want);
}
END_TEST

/*
 * A float an int32 cannot hold, late in a streamed output: every level
 * refuses it at the same index and leaves dst as scalar leaves it (every
 * item before it converted, it and the rest untouched).
 */
START_TEST(large_refusal_streamed)
{
    static const char *const froms[] = {"f", "d"};
    ptrdiff_t n = (3 << 20) + 7, fs, at = n - 777 - _i;
    const char *from = froms[_i % 2];
    ck_ok(ndv_calcsize(from, &fs));
    unsigned char *src = malloc((size_t)(n * fs));
    for (ptrdiff_t i = 0; i < n; i++) {
        double x = i == at ? (_i < 2 ? NAN : 3e9) : (double)(i % 2001) - 1000.25;
        float f = (float)x;
        memcpy(src + i * fs, fs == 8 ? (const void *)&x : (const void *)&f, (size_t)fs);
    }
    ndv_view s;
    ck_ok(ndv_view_from_memory(&s, src, n * fs, true, from, 1, &n, NULL, 0));
    unsigned char *want = NULL, *mem = aligned_alloc(64, ((size_t)n * 4 + 127) / 64 * 64);
    for (int isa = NDV_ISA_SCALAR; isa < ndv_isa_count(); isa++) {
        if (!ndv_isa_supported((ndv_isa)isa))
            continue;
        ck_ok(ndv_isa_set((ndv_isa)isa));
        memset(mem, 0xa5, (size_t)n * 4 + 64);
        ndv_view d;
        ck_ok(ndv_view_from_memory(&d, mem + 64, n * 4, false, "i", 1, &n, NULL, 0));
        ck_status(ndv_convert(&d, &s, NDV_CASTING_UNSAFE), NDV_ERR_VALUE);
        ck_assert_int_eq(refused_index(), at);
        ndv_release(&d);
        if (!want) {
            want = malloc((size_t)n * 4 + 64);
            memcpy(want, mem, (size_t)n * 4 + 64);
        }
        ck_assert_msg(memcmp(mem, want, (size_t)n * 4 + 64) == 0, "%s -> i at %s differs",
                      from, ndv_isa_name((ndv_isa)isa));
    }
    ck_ok(ndv_isa_set(ndv_isa_best()));
    ndv_release(&s);
    free(src);
    free(mem);
    free(want);
}
END_TEST

/*
 * Transposed sources (converted a band of runs at a time, then put in place
 * by the transpose kernels): odd shapes crossing several bands, outputs
 * streamed (>= 8 MiB) and not, targets of 1 to 16 bytes and byte-swapped,
 * every level against the same items made contiguous and converted as one
 * run (another path of the planner).
 */
START_TEST(transposed_every_level)
{
    static const char *const pairs[][2] = {{"d", "f"}, {"f", ">d"}, {"h", "Zd"}, {"B", "e"},
                                           {">i", "q"}, {"Zf", "d"}};
    static const ptrdiff_t shapes[][2] = {{1100, 3001}, {37, 515}, {513, 9}};
    const char *from = pairs[_i / 3][0], *to = pairs[_i / 3][1];
    const ptrdiff_t *shape = shapes[_i % 3];
    ptrdiff_t fs, n = shape[0] * shape[1];
    ck_ok(ndv_calcsize(from, &fs));
    unsigned char *src = malloc((size_t)(n * fs)), *flat = malloc((size_t)(n * fs));
    for (ptrdiff_t i = 0; i < n * fs; i++)
        src[i] = (unsigned char)(i * 13 + i / 509);
    /* src seen as shape[1] x shape[0], transposed: strides (fs, shape[0] * fs) */
    ptrdiff_t strides[2] = {fs, shape[0] * fs};
    ndv_view s, c;
    ck_ok(ndv_view_from_memory(&s, src, n * fs, true, from, 2, shape, strides, 0));
    /* The oracle: the same items made C-contiguous first, then converted as one run. */
    ck_ok(ndv_tobytes(&s, flat, n * fs, 'C'));
    ck_ok(ndv_view_from_memory(&c, flat, n * fs, true, from, 1, &n, NULL, 0));
    unsigned char *want = scalar_result(&c, to);
    every_level_matches(&s, to, want, "transposed");
    ndv_release(&s);
    ndv_release(&c);
    free(src);
    free(flat);
    free(want);
}
END_TEST

/* The value of a finite float16 bit pattern below 0x7c00 (0x7c00 itself: 2^16, where overflow starts). */
static double half_value(unsigned h)
{
    unsigned e = h >> 10, m = h & 0x3ff;
    return e == 0 ? ldexp(m, -24) : ldexp(1024 + m, (int)e - 25);
}

/*
 * float64 -> float16 rounds once (levels may narrow through float32 with
 * round-to-odd): every half of either sign, the midpoints to the next one
 * and the doubles just either side of each midpoint, plus random doubles
 * in the halves' range, at every level against scalar.
 */
START_TEST(f64_to_f16_rounding_every_level)
{
    enum { PER = 5 };
    ptrdiff_t n = 2 * 0x7c00 * PER + 4096;
    double *src = malloc((size_t)n * sizeof *src);
    ptrdiff_t k = 0;
    for (unsigned h = 0; h < 0x7c00; h++) {
        double a = half_value(h), b = half_value(h + 1), mid = (a + b) / 2;
        double v[PER] = {a, mid, nextafter(mid, 0.0), nextafter(mid, INFINITY),
                         nextafter(a, INFINITY)};
        for (int j = 0; j < PER; j++) {
            src[k++] = v[j];
            src[k++] = -v[j];
        }
    }
    while (k < n) /* random significands between 2^-26 and 2^17 */
        src[k++] = ldexp((double)(next() >> 11) * 0x1p-53 + 1.0, (int)(next() % 44) - 26);
    ndv_view s;
    ck_ok(ndv_view_from_memory(&s, src, n * 8, true, "d", 1, &n, NULL, 0));
    unsigned char *want = scalar_result(&s, "e");
    every_level_matches(&s, "e", want, "halves, midpoints and their neighbours");
    ndv_release(&s);
    free(src);
    free(want);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("convert_kernels");
    TCase *tc = tcase_create("convert_kernels");
    tcase_add_loop_test(tc, every_pair_every_level, 0, NTYPES * NTYPES * 4);
    tcase_add_loop_test(tc, large_outputs_stream, 0, NSTREAMED);
    tcase_add_loop_test(tc, large_refusal_streamed, 0, 4);
    tcase_add_test(tc, f64_to_f16_rounding_every_level);
    tcase_add_loop_test(tc, transposed_every_level, 0, 18);
    tcase_set_timeout(tc, 600);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
