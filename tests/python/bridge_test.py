"""The Python module (python/) tested from Python: its
results against memoryview on random _testbuffer structures (PIL arrays
included) and against NumPy on transposed, strided, byte-swapped and
half-float arrays; its errors; and its hold on the exporter's buffer.
Prints TAP.

usage: bridge_test.py [--cases N] [--seed S]   (with the built module on PYTHONPATH)"""
import argparse
import os
import random
import struct
import sys
import warnings

import _testbuffer as tb
from _testbuffer import ndarray

import ndview

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "differential"))
from common import Report, describe, rand_structure  # noqa: E402

try:
    import numpy as np
except ImportError:  # NumPy is a peer, not a requirement: its cases are then skipped
    np = None

SINGLE = list("bBhHiIlLqQnNfd?cP") + ["<i", ">h", "=q", "!d", ">f", "<Q"]
MULTI = ["2i", "3s", "xi", "2h3d", "<hi?", ">Qb", "c2?", "4x2H"]
HEX = [(None, 1), (":", 1), ("-", 2), (b"|", -3), (" ", 5), (":", 0)]


def rand_case(rnd, fmt, pil=False):
    itemsize = struct.calcsize(fmt)
    if pil:
        shape = [rnd.randint(1, 4) for _ in range(rnd.randint(1, 3))]
        n = 1
        for k in shape:
            n *= k
        raw = bytes(rnd.getrandbits(8) for _ in range(n * itemsize))
        items = [t[0] if len(t) == 1 else t for t in struct.iter_unpack(fmt, raw)]
        return ndarray(items, shape=shape, format=fmt, flags=tb.ND_PIL), "PIL %r %r" % (fmt, shape)
    memlen, shape, strides, offset = rand_structure(rnd, itemsize)
    raw = bytes(rnd.getrandbits(8) for _ in range(memlen // itemsize * itemsize))
    items = [t[0] if len(t) == 1 else t for t in struct.iter_unpack(fmt, raw)]
    init = items if shape else items[0]
    nd = ndarray(init, shape=shape, strides=strides, offset=offset, format=fmt)
    return nd, describe(fmt, memlen, shape, strides, offset)


def same_floats(a, b):
    """== on nested values, with NaN equal to NaN (random bits make NaNs)."""
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same_floats(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (a != a and b != b)
    return type(a) is type(b) and a == b


def flatten(nested, ndim):
    """tolist() of an N-D view as one list of items (0-d: the one item in a list)."""
    if ndim == 0:
        return [nested]
    for _ in range(ndim - 1):
        nested = [x for row in nested for x in row]
    return nested


def check_against_memoryview(rep, rnd, cases):
    for i in range(cases):
        pil = i % 10 == 9
        fmt = rnd.choice(SINGLE if rnd.random() < 0.7 else MULTI)
        nd, what = rand_case(rnd, fmt, pil)
        m = memoryview(nd)
        v = ndview.View(nd)
        rep.check((v.format, v.itemsize, v.ndim, v.shape, v.strides, v.suboffsets, v.readonly,
                   v.nbytes, v.c_contiguous, v.f_contiguous, v.contiguous) ==
                  (m.format, m.itemsize, m.ndim, m.shape, m.strides, m.suboffsets, m.readonly,
                   m.nbytes, m.c_contiguous, m.f_contiguous, m.contiguous), "attributes " + what)
        for order in "CFA":
            rep.check(v.tobytes(order) == m.tobytes(order), "tobytes %s %s" % (order, what))
        sep, group = rnd.choice(HEX)
        want = m.hex(sep, group) if sep is not None else m.hex()
        rep.check(v.hex(sep, group) == want, "hex %r %r %s" % (sep, group, what))
        try:
            want = m.tolist()
        except NotImplementedError:  # memoryview lists native single codes only; struct is the oracle
            want = [t[0] if len(t) == 1 else t for t in struct.iter_unpack(fmt, m.tobytes())]
            got = flatten(v.tolist(), m.ndim)
        else:
            got = v.tolist()
        rep.check(same_floats(got, want), "tolist " + what)
        rep.check((v == m) == (m == m) and (v == nd) == (m == nd), "== " + what)
        v.release()
        m.release()
    rep.close("the bridge agrees with memoryview on %d random structures (every 10th PIL)" % cases)


def check_against_numpy(rep):
    if np is None:
        print("# NumPy missing: its comparisons are skipped")
        return
    rng = np.random.default_rng(7)
    base = rng.integers(-1000, 1000, size=(37, 29))
    arrays = {
        "i32.T": base.astype(np.int32).T,
        "i16[::3, ::-2]": base.astype(np.int16)[::3, ::-2],
        "u8[:, 1::3]": base.astype(np.uint8)[:, 1::3],
        ">i4": base.astype(">i4"),
        ">f8.T": (base / 7).astype(">f8").T,
        "f16": (base / 3).astype(np.float16),
        "f32[::-1]": (base / 9).astype(np.float32)[::-1],
        "c128": (base + 1j * base[::-1]).astype(np.complex128),
        "bool.T": (base > 0).T,
        "i64 3-D": np.arange(2 * 3 * 4, dtype=np.int64).reshape(2, 3, 4).transpose(2, 0, 1),
        "0-d": np.array(2.5),
        "empty": np.zeros((0, 5), dtype=np.int32),
    }
    for name, a in arrays.items():
        v = ndview.View(a)
        rep.check(v.tobytes() == a.tobytes("C") and v.tobytes("F") == a.tobytes("F"),
                  "tobytes " + name)
        rep.check(v.tolist() == a.tolist(), "tolist " + name)
        rep.check(v.hex() == a.tobytes().hex(), "hex " + name)
        if a.dtype.kind in "fc":
            if a.dtype.kind == "f":
                got = np.frombuffer(v.unpack_as("f64"), dtype=np.float64)
                rep.check(np.array_equal(got, a.astype(np.float64).ravel()), "unpack_as f64 " + name)
        else:
            got = np.frombuffer(v.unpack_as("i64"), dtype=np.int64)
            rep.check(np.array_equal(got, a.astype(np.int64).ravel()), "unpack_as i64 " + name)
            out = np.empty(a.size, dtype=np.float64)
            rep.check(v.unpack_as("f64", out=out) is out and
                      np.array_equal(out, a.astype(np.float64).ravel()), "unpack_as out= " + name)
        rep.check(v == a and v == a.copy(order="K") and (v != a) is False, "== " + name)
        v.release()
    # A structured dtype: memoryview cannot list it; NumPy's tuples are the oracle
    # (NumPy strips trailing NULs from S2 values; struct's 's' keeps them).
    rec = np.zeros(5, dtype=[("x", "<i4"), ("y", ">f8"), ("z", "S2")])
    rec["x"], rec["y"], rec["z"] = range(5), np.linspace(0, 1, 5), [b"ab", b"c", b"", b"de", b"f"]
    v = ndview.View(rec)
    want = [(x, y, z.ljust(2, b"\0")) for x, y, z in rec.tolist()]
    rep.check(v.format.startswith("T{") and v.tolist() == want, "tolist of a structured dtype")
    rep.close("the bridge agrees with NumPy on %d arrays and a structured dtype" % len(arrays))


def check_astype(rep):
    """View.astype against NumPy's astype: values, casting rules, layouts, refusals."""
    if np is None:
        return
    rng = np.random.default_rng(11)
    base = rng.integers(-300, 300, size=(9, 14)) / 4
    kinds = {"b": np.int8, "H": np.uint16, "i": np.int32, "q": np.int64, "e": np.float16,
             "f": np.float32, "d": np.float64, ">i": np.dtype(">i4"), "<d": np.dtype("<f8"),
             "?": np.bool_, "Zd": np.complex128}
    n = 0
    for src_code, src_t in kinds.items():
        a = base.astype(src_t)[::-2, 1::3].T
        for dst_code, dst_t in kinds.items():
            for casting in ("no", "equiv", "safe", "same_kind", "unsafe"):
                can = np.can_cast(a.dtype, dst_t, casting)
                try:
                    out = ndview.View(a).astype(dst_code, casting=casting)
                except TypeError:
                    rep.check(not can, "astype %s -> %s refused, NumPy casts (%s)"
                              % (src_code, dst_code, casting))
                    continue
                except ValueError:  # a float out of an integer's range: NumPy leaves it undefined
                    rep.check(a.dtype.kind in "fc" and np.dtype(dst_t).kind in "iu",
                              "astype %s -> %s: ValueError" % (src_code, dst_code))
                    continue
                with warnings.catch_warnings():  # NumPy's overflow and complex warnings
                    warnings.simplefilter("ignore")
                    want = a.astype(dst_t)
                rep.check(can and out.format == dst_code and out.c_contiguous and
                          out.shape == a.shape and out.tobytes() == want.tobytes() and
                          out.obj is None, "astype %s -> %s (%s)" % (src_code, dst_code, casting))
                n += 1
    v = ndview.View(base)
    rep.check(raises(ValueError, v.astype, "f", casting="sometimes"), "astype: an unknown casting")
    rep.check(raises(ValueError, v.astype, "y"), "astype: an unparseable format")
    rep.check(raises(TypeError, v.astype, "2i"), "astype: a format of two values")
    rep.close("astype agrees with NumPy on %d conversions" % n)


def check_copy_from(rep):
    """View.copy_from against np.copyto: broadcasting, layouts, casting, refusals, large outputs."""
    if np is None:
        return
    rng = np.random.default_rng(12)
    n = 0
    for src_t, dst_t in [("i1", "f4"), ("f8", "f2"), (">i4", "i8"), ("f4", "i4"), ("u2", "?"),
                         ("c16", "f8"), ("f8", "f8")]:
        src = (rng.integers(-100, 100, size=(6, 1, 7)) / 3).astype(src_t)[::-1, :, ::2]
        for casting in ("no", "safe", "same_kind", "unsafe"):
            want = np.full((6, 5, 4), 7, dtype=dst_t)[:, ::-1].transpose(1, 0, 2)
            got = want.copy()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    np.copyto(want, src.transpose(1, 0, 2), casting=casting)
                    wanted = None
                except TypeError as e:
                    wanted = str(e)
            try:
                ndview.View(got).copy_from(src.transpose(1, 0, 2), casting=casting)
                rep.check(wanted is None and np.array_equal(got, want, equal_nan=True),
                          "copy_from %s -> %s (%s)" % (src_t, dst_t, casting))
            except TypeError as e:
                rep.check(wanted is not None and str(e) == wanted,
                          "copy_from %s -> %s refused as NumPy refuses (%s): %s" %
                          (src_t, dst_t, casting, e))
            n += 1
    big_src = (np.arange(3 << 20) % 1000).astype(np.int16)  # 12 MiB out: streamed
    big = np.empty(big_src.size, np.float32)
    ndview.View(big).copy_from(big_src)
    rep.check(np.array_equal(big, big_src.astype(np.float32)), "copy_from: a streamed output")
    rep.check(raises(ValueError, ndview.View(np.zeros((2, 3))).copy_from, np.zeros(4)) ==
              "could not broadcast input array from shape (4,) into shape (2,3)",
              "copy_from: NumPy's broadcast refusal")
    rep.check(raises(TypeError, ndview.View(b"abc").copy_from, b"abc"),
              "copy_from: a read-only destination")
    rep.check(raises(ValueError, ndview.View(np.zeros(2, np.int32)).copy_from,
                     np.array([1.0, np.nan]), casting="unsafe") ==
              "cannot convert the value at index (1,): NaN, infinite or out of the target's range",
              "copy_from: NaN into an integer")
    rep.close("copy_from agrees with np.copyto on %d cases" % n)


def check_contains_count(rep, rnd):
    """`in` and count on integer formats (compared as C integers) against memoryview's answer:
    extremes of every type, values just outside them, bools and floats, strided views."""
    n = 0
    for code in "bBhHiIlLqQnN":
        bits = 8 * struct.calcsize(code)
        lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if code.islower() else (0, (1 << bits) - 1)
        items = [lo, hi, 0, 1, -1 if lo < 0 else 2, lo + 1, hi - 1] + \
                [rnd.randint(lo, hi) for _ in range(40)]
        buf = bytearray(struct.pack("%d%s" % (len(items), code), *items))
        probes = [lo, hi, lo - 1, hi + 1, 0, 1, -1, 2, True, False, 1.0, -1.5, 1 << 63,
                  (1 << 64) - 1, 1 << 64, -(1 << 63), -(1 << 63) - 1, items[9], items[20]]
        for sl in [slice(None), slice(None, None, -2), slice(3, 30, 3)]:
            m = memoryview(buf).cast(code)[sl]
            v = ndview.View(buf).cast(code)[sl]
            for x in probes:
                n += 1
                rep.check((x in v) == (x in m) and v.count(x) == list(m).count(x),
                          "%r in / count of %s%s" % (x, code, sl))
    rep.close("in and count agree with memoryview on %d probes" % n)


def check_opaque_formats(rep):
    """Formats ndview cannot parse, as memoryview keeps them (NumPy object arrays, ctypes)."""
    if np is None:
        return
    objs = np.array([1, "two", None, 4.0], dtype=object)
    v, m = ndview.View(objs), memoryview(objs)
    rep.check((v.format, v.itemsize, v.shape, v.strides) == (m.format, m.itemsize, m.shape,
                                                              m.strides), "'O': attributes")
    rep.check(v.tobytes() == m.tobytes() and v[::2].tobytes() == m[::2].tobytes() and
              v.hex() == m.hex(), "'O': tobytes, slicing and hex work")
    rep.check(raises(NotImplementedError, v.tolist) == "memoryview: format O not supported" and
              raises(NotImplementedError, v.__getitem__, 0) and (v == v) is False,
              "'O': values refused as memoryview refuses them; == is False")
    del v, m


def raises(exc, fn, *args, **kw):
    try:
        fn(*args, **kw)
    except exc as e:
        return str(e) or True
    except Exception:  # the wrong class
        return False
    return False


def check_export(rep, rnd, cases):
    """The other way: memoryview(View(x)) and NumPy over a View see what memoryview(x) sees."""
    for i in range(cases):
        fmt = rnd.choice(SINGLE + MULTI)
        nd, what = rand_case(rnd, fmt, pil=i % 10 == 9)
        v = ndview.View(nd)
        m, w = memoryview(nd), memoryview(v)
        rep.check((w.format, w.itemsize, w.shape, w.strides, w.suboffsets, w.readonly,
                   w.tobytes(), w.c_contiguous, w.f_contiguous) ==
                  (m.format, m.itemsize, m.shape, m.strides, m.suboffsets, m.readonly,
                   m.tobytes(), m.c_contiguous, m.f_contiguous), "memoryview(View) " + what)
        rep.check(raises(BufferError, v.release), "release refused while exported " + what)
        w.release()
        v.release()
    if np is not None:
        a = np.arange(24, dtype=np.float32).reshape(4, 6)[::-1, 1::2]
        v = ndview.View(a)
        b = np.asarray(v)
        rep.check(b.dtype == a.dtype and b.shape == a.shape and b.strides == a.strides and
                  np.array_equal(a, b) and b.ctypes.data == a.ctypes.data,
                  "np.asarray(View): the same memory, no copy")
        del b
        c = ndview.View(bytearray(8), writable=True)
        np.frombuffer(c, dtype=np.uint8)[:] = 7
        rep.check(c.tolist() == [7] * 8, "writes through NumPy reach the memory")
    try:
        memoryview(ndview.View(b"abc"))[0] = 1
        ro = False
    except TypeError:
        ro = True
    rep.check(ro, "a read-only View exports read-only")
    rep.close("the bridge exports: memoryview and NumPy over View on %d structures" % cases)


def check_errors_and_lifetime(rep):
    ba = bytearray(range(16))
    v = ndview.View(ba, writable=True)
    rep.check(not v.readonly, "writable=True gives a writable view")
    rep.check(raises(BufferError, ba.extend, b"x"), "the exporter cannot resize while viewed")
    v.release()
    ba.extend(b"x")
    rep.check(len(ba) == 17, "release gives the buffer back")
    rep.check(raises(ValueError, v.tobytes) == "operation forbidden on released memoryview object",
              "a released view refuses with memoryview's message")
    with ndview.View(ba) as w:
        rep.check(raises(BufferError, ba.extend, b"y"), "inside with: locked")
    ba.extend(b"y")
    rep.check(len(ba) == 18 and raises(ValueError, w.tolist), "leaving with releases")
    rep.check(raises(BufferError, ndview.View, b"abc", writable=True), "bytes are not writable")
    rep.check(raises(TypeError, ndview.View, 42), "non-buffers are refused")
    f = ndview.View(memoryview(struct.pack("3d", 1, 2, 3)).cast("d"))
    rep.check(raises(TypeError, f.unpack_as, "i64"), "floats do not unpack to i64")
    rep.check(raises(ValueError, f.unpack_as, "i32"), "an unknown dtype is refused")
    rep.check(raises(ValueError, f.unpack_as, "f64", out=bytearray(16)), "a short out is refused")
    rep.check(raises(BufferError, f.unpack_as, "f64", out=b"x" * 24), "a read-only out is refused")
    rep.check(list(f.unpack_as("d")) == [1.0, 2.0, 3.0], "unpack_as returns a memoryview")
    rep.check(raises(ValueError, f.hex, "\u00e9") == "sep must be ASCII.", "hex: non-ASCII sep")
    rep.check(raises(ValueError, f.hex, "::"), "hex: a long sep")
    rep.check(raises(ValueError, f.tobytes, "X"), "tobytes: a bad order")
    rep.check((f == 3) is False and (f != "x") is True, "== with a non-buffer is False")
    levels = ndview.isa()
    rep.check(ndview.isa("scalar") == "scalar" and f.tolist() == [1.0, 2.0, 3.0] and
              ndview.isa(levels) == levels, "isa() switches levels")
    rep.check(raises(ValueError, ndview.isa, "pentium"), "isa() refuses an unknown level")
    rep.close("errors and lifetime")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=2026)
    a = ap.parse_args()
    rep = Report(a.seed)
    check_against_memoryview(rep, random.Random(a.seed), a.cases)
    check_against_numpy(rep)
    check_export(rep, random.Random(a.seed + 1), a.cases // 3)
    check_astype(rep)
    check_copy_from(rep)
    check_contains_count(rep, random.Random(a.seed + 2))
    check_opaque_formats(rep)
    check_errors_and_lifetime(rep)
    print("1..%d" % rep.n)
    return 1 if rep.failed else 0


if __name__ == "__main__":
    sys.exit(main())
