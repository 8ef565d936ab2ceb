#!/usr/bin/python3
"""The benchmark cases of ndview-bench done the way a Python user would do
them: NumPy (np.copyto into preallocated arrays, single-threaded) and CPython
(memoryview.tobytes, memoryview.tolist, bytes.hex, memoryview ==); then the
Python module (ndview.View, when it is on PYTHONPATH) next to
NumPy's and memoryview's own calls.

Prints one JSON object per line: {"name", "peer", "bytes_per_second",
"ns_per_item"}; names match ndview-bench's. Run with Debian's python3 and
python3-numpy: /usr/bin/python3 bench/peers.py [--quick]
"""
import argparse
import ctypes
import json
import os
import sys
import time

import numpy as np


def measure(fn, min_time):
    """Mean time of one call over a run of at least min_time, as Google Benchmark reports."""
    fn()  # warm up: page faults, caches
    calls, batch, start = 0, 1, time.perf_counter()
    while True:
        for _ in range(batch):
            fn()
        calls += batch
        spent = time.perf_counter() - start
        if spent >= min_time and calls >= 3:
            return spent / calls
        batch *= 2


def emit(name, peer, out_bytes, items, seconds):
    """One JSON line: out_bytes made (or items visited) per call of `seconds`."""
    print(json.dumps({"name": name, "peer": peer, "bytes_per_second": out_bytes / seconds,
                      "ns_per_item": seconds * 1e9 / items if items else None}))
    sys.stdout.flush()


def copy_cases(min_time):
    for n in [64, 4096, 262144, 4194304, 67108864]:
        src = np.arange(n, dtype=np.uint8)
        dst = np.empty_like(src)
        emit("tobytes_contig/%d" % n, "numpy", n, n, measure(lambda: np.copyto(dst, src), min_time))
        m = memoryview(src)
        emit("tobytes_contig/%d" % n, "cpython", n, n, measure(m.tobytes, min_time))
    for out in [262144, 33554432]:
        a = np.arange(out // 2, dtype=np.int32)
        dst = np.empty(out // 4, dtype=np.int32)
        emit("tobytes_step2_i32/%d" % out, "numpy", out, out // 4,
             measure(lambda: np.copyto(dst, a[::2]), min_time))
        m = memoryview(a)[::2]
        emit("tobytes_step2_i32/%d" % out, "cpython", out, out // 4, measure(m.tobytes, min_time))
    for name, dtype, rows, cols in [("tobytes_transpose_f32/4096", np.float32, 4096, 4096),
                                    ("tobytes_transpose_f64/2048", np.float64, 2048, 4096),
                                    ("tobytes_transpose_u8/8192", np.uint8, 8192, 8192),
                                    ("tobytes_transpose_u16/4096", np.uint16, 4096, 4096)]:
        a = np.ones((rows, cols), dtype=dtype)
        dst = np.empty((cols, rows), dtype=dtype)
        emit(name, "numpy", a.nbytes, a.size, measure(lambda: np.copyto(dst, a.T), min_time))
    # N-D permutations: np.copyto(out, a.transpose(axes)) (NumPy asks for huge pages itself)
    for name, shape, axes in [("permute_4d_02_f32/64", (64, 64, 64, 64), (2, 1, 0, 3)),
                              ("permute_3d_201_f32/256", (256, 256, 256), (2, 0, 1)),
                              ("batched_transpose_f32/512", (64, 512, 512), (0, 2, 1))]:
        a = np.ones(shape, dtype=np.float32)
        dst = np.empty(a.transpose(axes).shape, dtype=np.float32)
        emit(name, "numpy", a.nbytes, a.size,
             measure(lambda: np.copyto(dst, a.transpose(axes)), min_time))
    n = 16777216
    a = np.ones((n, 3), dtype=np.uint8)
    dst = np.empty((n, 2), dtype=np.uint8)
    emit("tobytes_u8_2of3/%d" % n, "numpy", 2 * n, n, measure(lambda: np.copyto(dst, a[:, :2]), min_time))
    a = np.ones((64, 64, 64, 64), dtype=np.float32)
    dst = np.empty_like(a)
    emit("copy_4d_swap_f32/64", "numpy", a.nbytes, a.size,
         measure(lambda: np.copyto(dst, a.transpose(0, 1, 3, 2)), min_time))


CONVERTS = [("i8_f32", "i1", "f4"), ("u8_f32", "u1", "f4"), ("i16_f32", "i2", "f4"),
            ("u16_f32", "u2", "f4"), ("i32_f64", "i4", "f8"), ("i32_f32", "i4", "f4"),
            ("i64_i32", "i8", "i4"), ("i32_i8", "i4", "i1"), ("u32_f64", "u4", "f8"),
            ("f32_f64", "f4", "f8"), ("f64_f32", "f8", "f4"), ("f32_i32", "f4", "i4"),
            ("f16_f32", "f2", "f4"), ("f32_f16", "f4", "f2"), ("f64_f16", "f8", "f2"),
            ("bei32_i32", ">i4", "i4"), ("bef64_f64", ">f8", "f8")]


def conversion_arrays():
    """(case name, source, destination) of every converting case, one at a time: the
    contiguous pairs at 256 KiB and 64 MiB out (small, finite values), then the transposed
    f64 -> f32 4096^2."""
    for name, a, b in CONVERTS:
        for out_bytes in [262144, 67108864]:
            n = out_bytes // np.dtype(b).itemsize
            yield ("convert_%s/%d" % (name, out_bytes), (np.arange(n) % 100).astype(a),
                   np.empty(n, dtype=b))
    n = 4096
    yield ("convert_transpose_f64_f32/%d" % n, np.zeros((n, n), np.float64).T,
           np.empty((n, n), np.float32))


def convert_cases(min_time):
    for case, src, dst in conversion_arrays():
        emit(case, "numpy", dst.nbytes, dst.size,
             measure(lambda: np.copyto(dst, src, casting="unsafe"), min_time))


UNPACKS = [("unpack_i8_i64", np.int8, "i64", np.int64), ("unpack_i16_i64", np.int16, "i64", np.int64),
           ("unpack_i32_i64", np.int32, "i64", np.int64),
           ("unpack_f32_f64", np.float32, "f64", np.float64),
           ("unpack_f16_f64", np.float16, "f64", np.float64),
           ("unpack_bei32_i64", np.dtype(">i4"), "i64", np.int64)]


def value_cases(min_time):
    for name, dtype, _, to in UNPACKS:
        for n in [32768, 8388608]:
            src = np.ones(n, dtype=dtype)
            dst = np.empty(n, dtype=to)
            emit("%s/%d" % (name, n), "numpy", 8 * n, n,
                 measure(lambda: np.copyto(dst, src, casting="unsafe"), min_time))
    n = 4194304
    a = np.arange(n, dtype=np.int32)
    emit("tolist_i32/%d" % n, "cpython", 24 * n, n, measure(memoryview(a).tolist, min_time))
    n = 16777216
    b = bytes(range(256)) * (n // 256)
    emit("hex/%d" % n, "cpython", 2 * n, n, measure(b.hex, min_time))
    emit("hex_sep1/%d" % n, "cpython", 3 * n - 1, n, measure(lambda: b.hex(":"), min_time))
    n = 16777216
    x, y = np.arange(n, dtype=np.int32), np.arange(n, dtype=np.int32)
    mx, my = memoryview(x), memoryview(y)
    emit("equal_i32/%d" % n, "cpython", 4 * n, n, measure(lambda: mx == my, min_time))
    emit("equal_i32/%d" % n, "numpy", 4 * n, n, measure(lambda: np.array_equal(x, y), min_time))
    x32 = (np.arange(n, dtype=np.int64) * 7 - n).astype(np.int32)
    y64 = x32.astype(np.int64)
    mx, my = memoryview(x32), memoryview(y64)
    emit("equal_i32_i64/%d" % n, "numpy", 12 * n, n,
         measure(lambda: np.array_equal(x32, y64), min_time))
    emit("equal_i32_i64/%d" % n, "cpython", 12 * n, n, measure(lambda: mx == my, min_time))


def bridge_cases(min_time):
    """What a Python user gets from the module (python/): the same
    call on NumPy arrays through ndview.View, NumPy itself and memoryview. Names start
    with "bridge_"; peers are "ndview-py", "numpy" and "cpython"."""
    try:
        import ndview
    except ImportError:
        print("# the ndview module is not on PYTHONPATH: bridge cases skipped", file=sys.stderr)
        return

    def three(name, a, out_bytes, ours, numpy_call, cpython_call, items=None, bound=None):
        # The three take turns, five rounds, and each keeps its best round: the calls are
        # short and the machine's noise (another VM, the clock) hits whoever runs then.
        # bound: the simplest loop for the same work, a fourth turn ("simplest-loop").
        calls = [(peer, fn) for peer, fn in [("ndview-py", ours), ("numpy", numpy_call),
                                             ("cpython", cpython_call), ("simplest-loop", bound)]
                 if fn is not None]
        best = {}
        for _ in range(5):
            for peer, fn in calls:
                t = measure(fn, min_time / 5)
                best[peer] = min(best.get(peer, t), t)
        for peer, _ in calls:
            emit(name, peer, out_bytes, items or a.size, best[peer])

    f32 = np.ones((4096, 4096), dtype=np.float32)
    f64 = np.ones((2048, 4096), dtype=np.float64)
    i32 = np.arange(8388608 * 2, dtype=np.int32)
    rgb = np.ones((16777216, 3), dtype=np.uint8)
    cube = np.ones((64, 64, 64, 64), dtype=np.float32)
    for name, a in [("bridge_tobytes_transpose_f32", f32.T), ("bridge_tobytes_transpose_f64", f64.T),
                    ("bridge_tobytes_step2_i32", i32[::2]), ("bridge_tobytes_u8_2of3", rgb[:, :2]),
                    ("bridge_tobytes_4d_swap_f32", cube.transpose(0, 1, 3, 2))]:
        v, m = ndview.View(a), memoryview(a)
        three(name, a, a.nbytes, v.tobytes, a.tobytes, m.tobytes)
    h = np.frombuffer(bytes(range(256)) * 65536, dtype=np.uint8)
    v = ndview.View(h)
    three("bridge_hex", h, 2 * h.size, v.hex, None, h.tobytes().hex)
    half = np.ones(8388608, dtype=np.float16)
    v = ndview.View(half)
    out = np.empty(half.size, dtype=np.float64)
    three("bridge_unpack_f16_f64", half, 8 * half.size, lambda: v.unpack_as("f64", out=out),
          lambda: np.copyto(out, half, casting="unsafe"), None)
    ints = np.arange(1048576, dtype=np.int32)
    v, m = ndview.View(ints), memoryview(ints)
    three("bridge_tolist_i32", ints, 4 * ints.size, v.tolist, ints.tolist, m.tolist)
    # Per-item calls in a Python loop: what memoryview users write.
    small = np.arange(65536, dtype=np.int32)
    grid = np.arange(256 * 256, dtype=np.float64).reshape(256, 256)
    r, rows = range(small.size), [(i, j) for i in range(256) for j in range(0, 256, 4)]

    def getitem(x):
        return lambda: [x[i] for i in r]

    def setitem(x):
        def run():
            for i in r:
                x[i] = i
        return run

    def iterate(x):
        return lambda: [y for y in x]

    def getitem2(x):
        return lambda: [x[k] for k in rows]

    for name, make, a, n in [("bridge_getitem_loop_i32", getitem, small, small.size),
                             ("bridge_setitem_loop_i32", setitem, small, small.size),
                             ("bridge_iterate_i32", iterate, small, small.size),
                             ("bridge_getitem_2d_loop_f64", getitem2, grid, len(rows))]:
        v, m = ndview.View(a), memoryview(a)
        three(name, a, a.itemsize * n, make(v), make(a), make(m), items=n)
    v, m = ndview.View(small), memoryview(small)
    three("bridge_in_i32", small, small.nbytes, lambda: -1 in v, lambda: -1 in small,
          lambda: -1 in m)
    convert_same_buffers(ndview, three)


def simplest_loops():
    """A function (case, dst, src) -> the simplest loop for that conversion on those arrays
    as one call, or None: bench/simplest.c through ctypes, when report.py names its library
    (NDV_SIMPLEST_LIB) and it has the pair. Only the in-cache sizes: at DRAM sizes
    ndview-bench times the same loops with plain and streaming stores (bounds.c)."""
    path = os.environ.get("NDV_SIMPLEST_LIB")
    if not path or not os.path.exists(path):
        return lambda case, dst, src: None
    fn = ctypes.CDLL(path).ndvb_simplest_convert
    fn.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t]

    def make(case, dst, src):
        pair = case.split("/")[0].split("_", 1)[1]  # convert_i8_f32/262144, unpack_f32_f64/32768
        if dst.nbytes > 262144 or fn(pair.encode(), 0, dst.ctypes.data, src.ctypes.data, 0) != 0:
            return None
        args = (pair.encode(), 0, dst.ctypes.data, src.ctypes.data, dst.nbytes)
        return lambda: fn(*args)
    return make


def convert_same_buffers(ndview, three):
    """The conversions and unpacks again, ndview (View.copy_from, View.unpack_as into the
    array) and NumPy (np.copyto) taking turns on the same arrays in this one process, each
    through one Python call: where the pages of a 64 MiB array land changes a process's
    bandwidth by up to 1.8x (Zen 3 VM), and NumPy's in-cache copies measured 24 to 36 GB/s
    from one process to the next, which swamps ratios taken across processes. At the
    default level, and as "@level" at each level from AVX2 up the machine has."""
    best = ndview.isa()
    levels = []
    for lv in ["avx2", "avx512"]:
        try:
            ndview.isa(lv)
            levels.append(lv)
        except Exception:  # the CPU lacks it
            pass
    ndview.isa(best)

    def turns(name, dst, ours, numpy_call, bound=None):
        for lv in [None] + levels:
            ndview.isa(lv or best)
            case = name.replace("/", "@%s/" % lv) if lv else name
            three(case, dst, dst.nbytes, ours, numpy_call, None, bound=None if lv else bound)
        ndview.isa(best)

    simplest = simplest_loops()
    for case, src, dst in conversion_arrays():
        v, vs = ndview.View(dst), ndview.View(src)
        turns("bridge_" + case, dst, lambda: v.copy_from(vs, casting="unsafe"),
              lambda: np.copyto(dst, src, casting="unsafe"), simplest(case, dst, src))
    for name, dtype, target, to in UNPACKS:
        for n in [32768, 8388608]:
            src = np.ones(n, dtype=dtype)
            dst = np.empty(n, dtype=to)
            vs = ndview.View(src)
            turns("bridge_%s/%d" % (name, n), dst, lambda: vs.unpack_as(target, out=dst),
                  lambda: np.copyto(dst, src, casting="unsafe"), simplest(name, dst, src))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="shorter runs (about a minute)")
    args = ap.parse_args()
    min_time = 0.1 if args.quick else 0.5
    copy_cases(min_time)
    value_cases(min_time)
    convert_cases(min_time)
    bridge_cases(min_time)


if __name__ == "__main__":
    main()
