#!/usr/bin/python3
"""Run ndview's benchmark suite and its peers, print the summary table.

    bench/report.py BUILD_DIR [--full] [--out DIR] [--write-docs]

Runs BUILD_DIR/bench/ndview-bench (JSON, every instruction-set level with
--isa=all) and bench/peers.py (NumPy, CPython), then prints one row per
headline case: ndview's throughput, the fastest peer's, their ratio, the goal
from the specification (section 3) and whether it is met. With matplotlib it
also draws PNG charts into --out (default BUILD_DIR/bench-report); with
--write-docs it rewrites docs/benchmarks.md with the table and the charts.
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys

import report_charts

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Which peers each headline case is measured against, by their case names.
C_PEERS = {
    "tobytes_transpose_f32/4096": ["peer_openblas_somatcopy/4096", "peer_libxsmm_otrans_f32/4096"],
    "tobytes_transpose_f64/2048": ["peer_openblas_domatcopy/2048", "peer_libxsmm_otrans_f64/2048"],
    "tobytes_step2_i32/262144": ["peer_openblas_scopy_step2/262144"],
    "tobytes_step2_i32/33554432": ["peer_openblas_scopy_step2/33554432"],
    "equal_i32/16777216": ["memcmp/67108864"],
}
for _n in [64, 4096, 262144, 4194304, 67108864, 268435456]:
    C_PEERS["tobytes_contig/%d" % _n] = ["memcpy/%d" % _n]

# Cases measured against memcpy of the same bytes too (SPEC 3: transposes and permutations),
# on the same kind of pages.
MEMCPY_OF = {}
for _case, _bytes in [("tobytes_transpose_f32/4096", 67108864), ("tobytes_transpose_f64/2048", 67108864),
                      ("tobytes_transpose_u8/8192", 67108864), ("tobytes_transpose_u16/4096", 33554432),
                      ("permute_4d_02_f32/64", 67108864), ("permute_3d_201_f32/256", 67108864),
                      ("batched_transpose_f32/512", 67108864), ("copy_4d_swap_f32/64", 67108864)]:
    MEMCPY_OF[_case] = "memcpy/%d" % _bytes
    _base, _arg = _case.split("/")
    MEMCPY_OF["%s_hugepages/%s" % (_base, _arg)] = "memcpy_hugepages/%d" % _bytes

# (case, goal text, check(ratio, ndview_row, memcpy_ratio) -> bool). Ratios are ndview /
# fastest peer; memcpy_ratio is ndview / memcpy of the same bytes (MEMCPY_OF), or None.
GOALS = [("tobytes_contig/64", "<= 2x memcpy(64) time", lambda r, row, m: r >= 0.5)]
GOALS += [("tobytes_contig/%d" % n, ">= 0.95x memcpy", lambda r, row, m: r >= 0.95)
          for n in [4096, 262144, 4194304, 67108864, 268435456]]
GOALS += [
    ("tobytes_step2_i32/262144", ">= 2x fastest peer (in cache)", lambda r, row, m: r >= 2.0),
    ("tobytes_step2_i32/33554432", ">= 1.2x fastest peer (DRAM)", lambda r, row, m: r >= 1.2),
]
for _case in ["tobytes_transpose_f32/4096", "tobytes_transpose_f64/2048", "tobytes_transpose_u8/8192",
              "tobytes_transpose_u16/4096"]:
    for _c in [_case, _case.replace("/", "_hugepages/")]:
        GOALS.append((_c, ">= 0.8x memcpy and >= 1.5x fastest peer",
                      lambda r, row, m: m is not None and m >= 0.8 and r >= 1.5))
for _case in ["permute_4d_02_f32/64", "permute_3d_201_f32/256", "batched_transpose_f32/512"]:
    for _c in [_case, _case.replace("/", "_hugepages/")]:
        GOALS.append((_c, ">= 0.7x memcpy and >= 3x NumPy",
                      lambda r, row, m: m is not None and m >= 0.7 and r >= 3.0))
GOALS += [("copy_4d_swap_f32/64", ">= 0.7x memcpy and >= 3x NumPy",
           lambda r, row, m: m is not None and m >= 0.7 and r >= 3.0),
          ("tobytes_u8_2of3/16777216", ">= 5x NumPy", lambda r, row, m: r >= 5.0)]
for _case in ["unpack_i8_i64", "unpack_i16_i64", "unpack_i32_i64", "unpack_f32_f64"]:
    GOALS.append(("%s/32768" % _case, ">= 1.3x NumPy (in cache)", lambda r, row, m: r >= 1.3))
    GOALS.append(("%s/8388608" % _case, ">= 1x NumPy (DRAM)", lambda r, row, m: r >= 1.0))
for _n in [32768, 8388608]:
    GOALS.append(("unpack_f16_f64/%d" % _n, ">= 3x NumPy", lambda r, row, m: r >= 3.0))
    GOALS.append(("unpack_bei32_i64/%d" % _n, ">= 1.2x NumPy", lambda r, row, m: r >= 1.2))
# Converting copies (SPEC 3): >= 1.3x NumPy in cache, >= 1.2x at 64 MiB; float16 on
# either side >= 3x; byte-swapped sources >= 1.5x; the transposed f64 -> f32 >= 3x.
for _name in ["i8_f32", "u8_f32", "i16_f32", "u16_f32", "i32_f64", "i32_f32", "i64_i32",
              "i32_i8", "u32_f64", "f32_f64", "f64_f32", "f32_i32"]:
    GOALS.append(("convert_%s/262144" % _name, ">= 1.3x NumPy (in cache)", lambda r, row, m: r >= 1.3))
    GOALS.append(("convert_%s/67108864" % _name, ">= 1.2x NumPy (DRAM)", lambda r, row, m: r >= 1.2))
for _name in ["f16_f32", "f32_f16", "f64_f16"]:
    for _n in [262144, 67108864]:
        GOALS.append(("convert_%s/%d" % (_name, _n), ">= 3x NumPy", lambda r, row, m: r >= 3.0))
for _name in ["bei32_i32", "bef64_f64"]:
    for _n in [262144, 67108864]:
        GOALS.append(("convert_%s/%d" % (_name, _n), ">= 1.5x NumPy", lambda r, row, m: r >= 1.5))
GOALS.append(("convert_transpose_f64_f32/4096", ">= 3x NumPy", lambda r, row, m: r >= 3.0))
# Conversions and unpacks: how close ndview's C call comes to copying its output's bytes (the
# goals over NumPy need more than that where NumPy is near it). Contiguous conversions' argument
# is their output's bytes; unpacks' is items of 8 bytes out.
for _case, _, _ in GOALS:
    _name, _arg = _case.split("/")
    if _name.startswith("convert_") and _name != "convert_transpose_f64_f32":
        MEMCPY_OF[_case] = "memcpy/" + _arg
    elif _name.startswith("unpack_"):
        MEMCPY_OF[_case] = "memcpy/%d" % (8 * int(_arg))
GOALS += [
    ("tolist_i32/4194304", "<= 1 ns per element", lambda r, row, m: row["ns_per_item"] <= 1.0),
    ("hex/16777216", ">= 5x CPython bytes.hex", lambda r, row, m: r >= 5.0),
    ("hex_sep1/16777216", "(no goal) vs bytes.hex(':')", None),
    ("equal_i32/16777216", ">= 0.9x memcmp", lambda r, row, m: r >= 0.9),
    ("equal_i32_i64/16777216", "(no goal) int32 == int64 vs NumPy", None),
]


ADDING_A_CASE = """## Adding a case

Every case of `ndview-bench` is C, written against `bench/cbench.h`, a small C interface
over Google Benchmark (`bench/cbench.cc` is the suite's only C++). A case is one function
and one line in a table: for an ndview case, in `bench/cases_copy.c` or
`bench/cases_values.c` (it then also runs at every level with `--isa=all`, as
`name@level/arg`):

```c
{example}
```

A peer or baseline registers itself in `bench/peers.c` with
`cb_register("peer_name", fn, arg, CB_ARGS(4096))`; a NumPy or CPython peer is a few lines
in `bench/peers.py` under the same case name; a goal is a line in `GOALS` of
`bench/report.py`.
"""


def case_example():
    """The case docs/benchmarks.md shows, as it is in bench/cases_copy.c: its function and its line."""
    with open(os.path.join(ROOT, "bench", "cases_copy.c")) as f:
        src = f.read()
    start = src.index("static void bm_tobytes_step3_u16")
    body = src[start:src.index("\n}\n", start) + 2]
    entry = next(l for l in src.splitlines() if '"tobytes_step3_u16"' in l)
    return body + "\n\n" + entry


# Each case runs three times, the repetitions of all cases shuffled together, and the
# report takes the median: this VM's memory bandwidth drifts by 15% over seconds, and a
# ratio to memcpy measured once each, minutes apart, moved with it.
REPETITIONS = 3


def bench_cmd(build, full, json_out, *flags):
    """ndview-bench writing JSON to json_out: every case the median of REPETITIONS, the
    repetitions of all cases interleaved at random."""
    return [os.path.join(build, "bench", "ndview-bench")] + list(flags) + [
        "--benchmark_out_format=json", "--benchmark_out=" + json_out,
        "--benchmark_min_time=%s" % ("0.2" if full else "0.04"),
        "--benchmark_repetitions=%d" % REPETITIONS, "--benchmark_enable_random_interleaving=true",
        "--benchmark_report_aggregates_only=true"]


def run_bench(build, full, out):
    json_out = os.path.join(out, "ndview-bench.json")
    cmd = bench_cmd(build, full, json_out, "--isa=all", "--benchmark_format=console")
    print("# running", " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(json_out) as f:
        data = json.load(f)
    rows = {}
    for b in data["benchmarks"]:
        if b.get("error_occurred") or b.get("aggregate_name") != "median":
            continue
        rows[b["run_name"]] = {"bytes_per_second": b.get("bytes_per_second"),
                               "ns_per_item": (1e9 / b["items_per_second"]) if b.get("items_per_second") else None,
                               "ns": b["real_time"] if b.get("time_unit") == "ns" else None}
    return data["context"], rows


# The large transposes and permutations again, in separate processes: where a process's
# 64 MiB of 4 KiB pages land moves their figures more than any kernel change does (the
# simplest loop moving a u8 transpose's bytes in runs measured 0.55x to 1.07x memcpy of the
# same bytes from one process to the next, AMD EPYC, AVX2). Beside the 1- and 2-byte
# transposes, bench/bounds.c's simplest loops moving their bytes in runs: the fastest shape
# tried, and ndview's own chunks.
SPREAD = [("tobytes_transpose_f32/4096", ()), ("tobytes_transpose_f64/2048", ()),
          ("tobytes_transpose_u8/8192", ("peer_loop_runs_transpose_u8/8192",
                                         "peer_loop_chunks_transpose_u8/8192")),
          ("tobytes_transpose_u16/4096", ("peer_loop_runs_transpose_u16/4096",
                                          "peer_loop_chunks_transpose_u16/4096")),
          ("permute_3d_201_f32/256", ()), ("batched_transpose_f32/512", ()),
          ("permute_4d_02_f32/64", ()), ("copy_4d_swap_f32/64", ())]


def run_spread(build, full, out, level):
    """Per process, {case: (ndview / memcpy, [each loop / memcpy])} for SPREAD at `level`."""
    names = [c for case, loops in SPREAD for c in (case,) + loops]
    names += sorted({MEMCPY_OF[c] for c, _ in SPREAD})
    runs = []
    for k in range(7 if full else 3):
        json_out = os.path.join(out, "spread-%s-%d.json" % (level, k))
        cmd = bench_cmd(build, full, json_out, "--benchmark_filter=^(%s)$" % "|".join(names))
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env=dict(os.environ, NDVIEW_ISA=level))
        with open(json_out) as f:
            got = {b["run_name"]: b["bytes_per_second"] for b in json.load(f)["benchmarks"]
                   if b.get("aggregate_name") == "median" and b.get("bytes_per_second")}
        runs.append({case: (got[case] / got[MEMCPY_OF[case]],
                            [got[loop] / got[MEMCPY_OF[case]] for loop in loops if loop in got])
                     for case, loops in SPREAD if case in got and MEMCPY_OF[case] in got})
    return runs


def median(values):
    """The middle of the sorted values (the upper one of an even count), as the table shows."""
    return sorted(values)[len(values) // 2]


def spread_medians(spreads):
    """{(case, level): (median of ndview / memcpy, processes)} from run_spread's runs."""
    out = {}
    for level, runs in spreads:
        for case, _ in SPREAD:
            got = [r[case][0] for r in runs if case in r]
            if got:
                out[(case, level)] = (median(got), len(got))
    return out


def spread_table(spreads):
    """Median (min-max) over the processes of each ratio, per level."""
    def cell(values):
        v = [x for x in values if x is not None]
        return "%.2fx (%.2f-%.2f)" % (median(v), min(v), max(v)) if v else "-"
    def loop(got, k):
        return [(m, loops[k] if len(loops) > k else None) for m, loops in got]
    lines = ["| case | level | processes | ndview / memcpy | fastest loop / memcpy "
             "| loop in ndview's chunks / memcpy | ndview / fastest loop "
             "| ndview / loop in its chunks |", "|---|---|---:|---:|---:|---:|---:|---:|"]
    for level, runs in spreads:
        for case, _ in SPREAD:
            got = [r[case] for r in runs if case in r]
            if got:
                lines.append("| %s | %s | %d | %s | %s | %s | %s | %s |" % (
                    case, level, len(got), cell(m for m, _ in got),
                    cell(l for _, l in loop(got, 0)), cell(l for _, l in loop(got, 1)),
                    cell(m / l if l else None for m, l in loop(got, 0)),
                    cell(m / l if l else None for m, l in loop(got, 1))))
    return "\n".join(lines) if len(lines) > 2 else ""


def run_peers(build, full, out):
    cmd = ["/usr/bin/python3", os.path.join(ROOT, "bench", "peers.py")] + ([] if full else ["--quick"])
    env = dict(os.environ)
    # Single-threaded peers; an OpenBLAS core type set for this machine slows NumPy.
    env["OPENBLAS_NUM_THREADS"] = "1"
    env["PYTHONPATH"] = os.path.abspath(build)  # the bridge module, ndview.View
    env["NDV_SIMPLEST_LIB"] = os.path.abspath(os.path.join(build, "bench", "libndview-simplest.so"))
    env.pop("OPENBLAS_CORETYPE", None)
    env.pop("OPENBLAS_L2_SIZE", None)
    print("# running", " ".join(cmd), file=sys.stderr)
    res = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)
    with open(os.path.join(out, "peers.jsonl"), "w") as f:
        f.write(res.stdout)
    peers = {}
    for line in res.stdout.splitlines():
        d = json.loads(line)
        peers.setdefault(d["name"], {})[d["peer"]] = d
    return peers


# Cases whose goal names its baseline: only that baseline counts as the peer.
BASELINE_ONLY = ("tobytes_contig/", "equal_i32/")


def fastest_peer(case, rows, peers):
    cands = []
    for p in C_PEERS.get(case, []):
        if p in rows and rows[p]["bytes_per_second"]:
            cands.append((rows[p]["bytes_per_second"], p.split("/")[0].replace("peer_", "")))
    if not case.startswith(BASELINE_ONLY):
        for peer, d in peers.get(case, {}).items():
            cands.append((d["bytes_per_second"], peer))
    return max(cands) if cands else (None, None)


def same_buffers(case, peers):
    """(ndview's, NumPy's GB/s) of a conversion or unpack measured on the same arrays in one
    process (peers.py, convert_same_buffers), or None: what its goal is judged on."""
    if not case.startswith(("convert_", "unpack_")):
        return None
    got = peers.get("bridge_" + case, {})
    if "ndview-py" not in got or "numpy" not in got:
        return None
    return got["ndview-py"]["bytes_per_second"], got["numpy"]["bytes_per_second"]


def judge(case, row, rows, peers, check, median=None):
    """(ndview's GB/s, fastest peer's GB/s, its name, ratio, memcpy ratio,
    "met"/"NOT met"/"-") of one row. `median`: the case's ratio to memcpy over separate
    processes (run_spread), which its memcpy goal is then judged on."""
    base = case.split("@")[0].split("/")[0] + "/" + case.split("/")[1]  # name@level/arg -> name/arg
    copy = rows.get(MEMCPY_OF.get(base, ""))  # ndview's C call against memcpy, one process
    mratio = row["bytes_per_second"] / copy["bytes_per_second"] if copy else None
    judged = median if median is not None else mratio
    same = same_buffers(case, peers)
    if same:
        row = dict(row, bytes_per_second=same[0])
        peer_bps, peer = same[1], "numpy (same buffers)"
    else:
        # A "_hugepages" case has its base case's peers (NumPy asks for huge pages on its own).
        peer_bps, peer = fastest_peer(base.replace("_hugepages/", "/"), rows, peers)
    ratio = row["bytes_per_second"] / peer_bps if peer_bps else None
    met = "-" if check is None or ratio is None else (
        "met" if check(ratio, row, judged) else "NOT met")
    return row["bytes_per_second"], peer_bps, peer, ratio, mratio, met


def memcpy_cell(mratio, median, unit=""):
    """A ratio to memcpy, and its median over processes where the verdict is judged on it."""
    if median is None:
        return "%.2fx%s" % (mratio, unit)
    return "%.2fx%s; %.2fx median of %d processes" % (mratio, unit, median[0], median[1])


def table(rows, peers, level, medians):
    out = []
    for case, text, check in GOALS:
        me = rows.get(case)
        if not me or not me["bytes_per_second"]:
            out.append((case, None, None, None, None, None, text, "not run"))
            continue
        median = medians.get((case, level))
        mine, peer_bps, peer, ratio, mratio, met = judge(case, me, rows, peers, check,
                                                         median and median[0])
        cell = memcpy_cell(mratio, median) if mratio else None
        out.append((case, mine, peer, peer_bps, ratio, cell, text, met))
    return out


LEVELS = ["scalar", "sse2", "sse41", "avx2", "avx512", "neon"]
GOAL_LEVELS = ("avx2", "avx512")  # SPEC 3: every goal holds at every level from AVX2 up


def level_table(rows, peers, medians):
    """Every headline case at each level the run has: the ratio and, from AVX2 up, the verdict."""
    levels = [lv for lv in LEVELS if any("@%s/" % lv in k for k in rows)]
    lines = ["| case | goal | " + " | ".join(levels) + " |",
             "|---|---|" + "---:|" * len(levels)]
    verdicts = []
    for case, text, check in GOALS:
        name, arg = case.split("/")
        cells = []
        for lv in levels:
            row = rows.get("%s@%s/%s" % (name, lv, arg))
            if not row or not row["bytes_per_second"]:
                cells.append("-")
                continue
            median = medians.get((case, lv))
            _, _, _, ratio, mratio, met = judge("%s@%s/%s" % (name, lv, arg), row, rows, peers,
                                                check, median and median[0])
            cell = "-" if ratio is None else "%.2fx" % ratio
            if mratio is not None and ratio != mratio:
                cell += " (%s)" % memcpy_cell(mratio, median, " memcpy")
            if lv in GOAL_LEVELS and met in ("met", "NOT met"):
                cell += " " + ("met" if met == "met" else "**NOT met**")
                verdicts.append(met == "met")
            cells.append(cell)
        lines.append("| %s | %s | %s |" % (case, text, " | ".join(cells)))
    return "\n".join(lines), sum(verdicts), len(verdicts)


def fmt_table(rows_out, rows):
    lines = ["| case | ndview GB/s | fastest peer | peer GB/s | ratio | vs memcpy | goal | |",
             "|---|---:|---|---:|---:|---:|---|---|"]
    for case, mine, peer, peer_bps, ratio, mratio, text, met in rows_out:
        extra = ""
        if case == "tolist_i32/4194304" and rows.get(case):
            extra = " (%.2f ns/elem)" % rows[case]["ns_per_item"]
        lines.append("| %s | %s%s | %s | %s | %s | %s | %s | %s |" % (
            case, "%.2f" % (mine / 1e9) if mine else "-", extra, peer or "-",
            "%.2f" % (peer_bps / 1e9) if peer_bps else "-",
            "%.2fx" % ratio if ratio else "-", mratio or "-", text, met))
    return "\n".join(lines)


def machine(context):
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return "%s, %d cores, %s; ndview %s at %s (best %s); %s" % (
        cpu, os.cpu_count() or 0, platform.platform(), context.get("ndview_version"),
        context.get("ndview_isa"), context.get("ndview_isa_best"),
        datetime.date.today().isoformat())


def bridge_table(peers):
    """Python users' view: the bridge's call next to NumPy's and memoryview's own."""
    cases = sorted(c for c in peers
                   if c.startswith("bridge_") and "ndview-py" in peers[c] and "/" not in c)
    if not cases:
        return ""
    lines = ["| Python call on a NumPy array | ndview.View GB/s | ns/item | NumPy GB/s "
             "| memoryview GB/s | vs NumPy | vs memoryview (goal >= 1.0x) |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for c in cases:
        got = {p: peers[c][p]["bytes_per_second"] / 1e9 for p in peers[c]}
        mine = got["ndview-py"]
        ns = peers[c]["ndview-py"].get("ns_per_item")
        cell = lambda p: "%.2f" % got[p] if p in got else "-"
        ratio = lambda p: "%.2fx" % (mine / got[p]) if p in got else "-"
        lines.append("| %s | %.2f | %s | %s | %s | %s | %s |" % (
            c[len("bridge_"):], mine, "%.1f" % ns if ns else "-", cell("numpy"), cell("cpython"),
            ratio("numpy"), ratio("cpython")))
    return "\n".join(lines)


def bound_table(rows):
    """The narrowing conversions at 64 MiB beside the simplest loops for their access pattern
    (bench/bounds.c): plain stores, as NumPy's cast loop, and streaming stores."""
    lines = ["| conversion (64 MiB out) | simplest loop, plain stores GB/s | simplest loop, "
             "streaming stores GB/s | streaming / plain | ndview GB/s | ndview / plain |",
             "|---|---:|---:|---:|---:|---:|"]
    for pair in ["i64_i32", "f64_f32", "i32_i8"]:
        plain = rows.get("peer_loop_plain_%s/67108864" % pair)
        stream = rows.get("peer_loop_stream_%s/67108864" % pair)
        mine = rows.get("convert_%s/67108864" % pair)
        if not (plain and stream and mine and plain["bytes_per_second"]):
            continue
        p, st, m = (r["bytes_per_second"] / 1e9 for r in (plain, stream, mine))
        lines.append("| %s | %.2f | %.2f | %.2fx | %.2f | %.2fx |" % (pair, p, st, st / p, m, m / p))
    out = "\n".join(lines) if len(lines) > 2 else ""
    loop, mine = rows.get("peer_loop_stream_tolist_i32/4194304"), rows.get("tolist_i32/4194304")
    if loop and mine and loop["ns_per_item"]:
        out += ("\n\ntolist of 4M int32 (24-byte ndv_values out): ndview %.2f ns/elem; the "
                "simplest loop for its access pattern (read 4 bytes, stream 24) %.2f ns/elem, "
                "same run" % (mine["ns_per_item"], loop["ns_per_item"]))
    lines = []
    for case, loops in SPREAD:
        for loop_name in loops:
            got = [rows.get(c) for c in (case, loop_name, MEMCPY_OF[case])]
            if all(g and g["bytes_per_second"] for g in got):
                m, loop, mc = (g["bytes_per_second"] / 1e9 for g in got)
                lines.append("| %s | %s | %.2f | %.2f | %.2f | %.2fx | %.2fx | %.2fx |" % (
                    case, loop_name.split("_")[2], m, loop, mc, m / mc, loop / mc, m / loop))
    if lines:
        out += ("\n\nLarge transposes of 1- and 2-byte items beside the simplest loops moving the "
                "same bytes in runs, no shuffling (bench/bounds.c): source rows read in runs into a "
                "buffer, streamed out as destination rows. \"runs\": 256 rows of 512 bytes, the "
                "fastest such loop tried; \"chunks\": ndview's own chunk shape (256 rows of 256 "
                "bytes for u8, 128 rows of 256 bytes for u16):\n\n"
                "| transpose | loop | ndview GB/s | loop GB/s | memcpy GB/s | ndview / memcpy "
                "| loop / memcpy | ndview / loop |\n|---|---|---:|---:|---:|---:|---:|---:|\n"
                + "\n".join(lines))
    return out.lstrip("\n")


def cache_bound_table(peers):
    """The conversions and unpacks in cache (256 KiB out) beside the simplest loop for the same work,
    the three taking turns on the same arrays in one process (peers.py, simplest_loops)."""
    lines = ["| conversion (256 KiB out; unpack_as into a NumPy array) | ndview GB/s | NumPy GB/s | simplest loop GB/s "
             "| simplest loop / NumPy | ndview / NumPy | ndview / simplest loop |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for case in sorted(peers):
        got = peers[case]
        if "simplest-loop" not in got:
            continue
        me, np_, loop = (got[p]["bytes_per_second"] / 1e9
                         for p in ("ndview-py", "numpy", "simplest-loop"))
        lines.append("| %s | %.2f | %.2f | %.2f | %.2fx | %.2fx | %.2fx |" % (
            case[len("bridge_"):].replace("convert_", "").split("/")[0], me, np_, loop,
            loop / np_, me / np_, me / loop))
    return "\n".join(lines) if len(lines) > 2 else ""


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("build", help="a release build directory with bench/ndview-bench")
    ap.add_argument("--full", action="store_true", help="longer runs (quick mode by default)")
    ap.add_argument("--out", help="where JSON and charts go (default BUILD/bench-report)")
    ap.add_argument("--write-docs", action="store_true", help="rewrite docs/benchmarks.md")
    args = ap.parse_args()
    out = args.out or os.path.join(args.build, "bench-report")
    os.makedirs(out, exist_ok=True)
    context, rows = run_bench(args.build, args.full, out)
    peers = run_peers(args.build, args.full, out)
    levels = [context.get("ndview_isa")] + (["avx2"] if context.get("ndview_isa") != "avx2" and
                                              any("@avx2/" in k for k in rows) else [])
    spreads = [(lv, run_spread(args.build, args.full, out, lv)) for lv in levels if lv]
    medians = spread_medians(spreads)
    rows_out = table(rows, peers, context.get("ndview_isa"), medians)
    text = fmt_table(rows_out, rows)
    print("ndview benchmark summary — " + machine(context))
    print(text)
    met = sum(1 for r in rows_out if r[7] == "met")
    goals = sum(1 for r in rows_out if r[7] in ("met", "NOT met"))
    print("%d of %d goals met" % (met, goals))
    per_level, lmet, lgoals = level_table(rows, peers, medians)
    print("\nEvery headline case at each instruction-set level (ratio to the fastest peer; "
          "goals judged from AVX2 up):\n" + per_level)
    print("%d of %d goals met at the levels from AVX2 up" % (lmet, lgoals))
    spread = spread_table(spreads)
    if spread:
        print("\nThe large transposes and permutations over memcpy in separate processes "
              "(median, range):\n"
              + spread)
    bound = bound_table(rows)
    if bound:
        print("\nNarrowing conversions, tolist and small-item transposes beside the simplest "
              "loops for their access pattern:\n" + bound)
    cache_bound = cache_bound_table(peers)
    if cache_bound:
        print("\nConversions in cache beside the simplest loop, same arrays:\n" + cache_bound)
    bridge = bridge_table(peers)
    if bridge:
        print("\nThe Python module (ndview.View) next to NumPy and memoryview:\n" + bridge)
    files = report_charts.charts(rows, peers, out, LEVELS)
    if files:
        print("charts: " + ", ".join(os.path.join(out, f) for f in files))
    if args.write_docs:
        img = os.path.join(ROOT, "docs", "img")
        os.makedirs(img, exist_ok=True)
        for f in files:
            shutil.copy(os.path.join(out, f), os.path.join(img, f))
        with open(os.path.join(ROOT, "docs", "benchmarks.md"), "w") as f:
            f.write("# Benchmarks\n\n")
            f.write("Produced by `bench/report.py%s` (the README's main job). Machine: %s.\n\n"
                    % (" --full" if args.full else "", machine(context)))
            f.write("Ratios are ndview's throughput (bytes of output per second) over the fastest "
                    "peer's, measured in the same run (each the median of %d repetitions, the repetitions "
                    "of all cases interleaved at random): memcpy/memcmp, OpenBLAS (one thread) and "
                    "libxsmm inside ndview-bench; NumPy and CPython from bench/peers.py. Goals are "
                    "the specification's (section 3). The conversions and unpacks are the "
                    "exception: where a large array's pages land changes one process's bandwidth by up to "
                    "1.8x on a VM, and NumPy's in-cache copies measured 24 to 36 GB/s from one "
                    "process to the next, so their rows (peer \"numpy (same buffers)\") come "
                    "from ndview's Python calls (`View.copy_from`, `View.unpack_as(out=)`) and "
                    "`np.copyto` taking turns on the same arrays in one process, best of five "
                    "rounds each, at each level from AVX2 up; each side pays one Python "
                    "call. The large transposes' and permutations' goals over memcpy are judged on "
                    "the median over separate processes (\"The large transposes and "
                    "permutations, process by process\" "
                    "below): one process's figure moves with where its pages land.\n\n"
                    % REPETITIONS)
            f.write(text + "\n\n%d of %d goals met.\n\n" % (met, goals))
            f.write("## Per instruction-set level\n\nEach headline case with the kernels of each "
                    "level the machine has (`--isa=all`), as the ratio to the fastest peer of "
                    "the same run (and to memcpy of the same bytes where the goal names it); "
                    "SPEC 3's goals hold at every level from AVX2 up.\n\n" + per_level +
                    "\n\n%d of %d goals met at the levels from AVX2 up.\n\n" % (lmet, lgoals))
            if bound:
                f.write("## Narrowing conversions, tolist and small-item transposes at DRAM sizes: the bound\n\nA narrowing "
                        "conversion reads two or four bytes per byte it writes, so streaming "
                        "stores (no read for ownership of the destination) save at most a "
                        "fifth to a third of the traffic of NumPy's plain-store cast loop. The "
                        "simplest loop for each access pattern (bench/bounds.c: load, convert, "
                        "store 32 bytes) with plain and with streaming stores, same run, shows "
                        "what any store strategy gains on this machine. Below it, tolist beside "
                        "the least time its output's bytes take to write, and the large 1- and 2-byte "
                        "transposes beside their bytes copied plainly in runs:\n\n" + bound + "\n\n")
            if spread:
                f.write("## The large transposes and permutations, process by process\n\n"
                        "Where a process's "
                        "pages land moves a large transpose's bandwidth, and the simplest loop "
                        "moving its bytes in runs (bench/bounds.c), by more than any kernel change: "
                        "each row is the median and range over separate runs of `ndview-bench` "
                        "(each case the median of %d interleaved repetitions, memcpy of the same "
                        "bytes in the same process); the main table judges these cases' "
                        "memcpy goals on the median.\n\n%s\n\n" % (REPETITIONS, spread))
            if cache_bound:
                f.write("## Conversions in cache: the bound\n\nThe simplest loop for each "
                        "pair (bench/simplest.c: load, convert with AVX2's shortest sequence, "
                        "store 32 bytes; no checks, no edges), called through ctypes, takes "
                        "turns with ndview's and NumPy's calls on the same arrays in one "
                        "process. Its ratio to NumPy is the most any kernel can gain over NumPy "
                        "for that pair on this machine, whatever its instructions:\n\n"
                        + cache_bound + "\n\n")
            if bridge:
                f.write("## From Python: the module\n\n`ndview.View(x)` calls on NumPy arrays "
                        "next to NumPy's own call (`x.tobytes()`, `np.copyto`, `x.tolist()`, "
                        "`x[i]`) and memoryview's, same run. Throughput is output bytes per "
                        "second; the per-item loops (`v[i]`, `v[i] = x`, `v[i, j]`, iteration, "
                        "`in`) also give ns per item, and their goal is >= 1.0x memoryview. "
                        "Calls that return a new object (tobytes, hex, tolist) pay for "
                        "allocating it and faulting its pages in, which bounds every column "
                        "near 1-2 GB/s; unpack_as into a preallocated array shows the kernels' "
                        "own speed.\n\n" + bridge + "\n\n")
            for name in files:
                f.write("![%s](img/%s)\n\n" % (name[:-4], name))
            f.write(ADDING_A_CASE.format(example=case_example()))


if __name__ == "__main__":
    main()
