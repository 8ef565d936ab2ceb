"""The view algebra (ndv_subscript, ndv_broadcast_to, ndv_reshape,
ndv_sliding_window) against NumPy, on random arrays: 0-6 dimensions,
extents 0-7, strides of any sign including zero, over one byte buffer.
Every result is compared by shape, strides, offset from the buffer's start,
read-only flag and tobytes(); every refusal by error class. Prints TAP.

An empty result keeps the source's buf in ndview (there is no item to point
at; NumPy still moves its data pointer), so offsets are compared only for
non-empty results (docs/guide.md lists this difference).

usage: algebra_diff.py LIBNDVIEW [--cases N] [--seed S]   (Debian's python3 with NumPy)"""
import argparse
import ctypes
import os
import random
import sys

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Report  # noqa: E402
from ndview_ctypes import NONE, STATUS, Lib, View  # noqa: E402

DTYPES = [("b", "i1"), ("B", "u1"), ("h", "<i2"), ("i", "<i4"), ("f", "<f4"), ("d", "<f8"),
          ("q", "<i8"), ("2h", "V4")]
ERRORS = {IndexError: "NDV_ERR_INDEX", ValueError: "NDV_ERR_VALUE", TypeError: "NDV_ERR_TYPE",
          AttributeError: "NDV_ERR_VALUE"}


class Sub(ctypes.Structure):
    _fields_ = [("kind", ctypes.c_int), ("start", ctypes.c_ssize_t), ("stop", ctypes.c_ssize_t),
                ("step", ctypes.c_ssize_t)]


def bind(lib):
    V = ctypes.POINTER(View)
    P = ctypes.POINTER(ctypes.c_ssize_t)
    sigs = {"ndv_subscript": [V, ctypes.POINTER(Sub), ctypes.c_int, V],
            "ndv_broadcast_to": [V, ctypes.c_int, P, V],
            "ndv_reshape": [V, ctypes.c_int, P, ctypes.c_char, V],
            "ndv_sliding_window": [V, ctypes.c_int, ctypes.c_ssize_t, V]}
    for name, args in sigs.items():
        f = getattr(lib.lib, name)
        f.restype = ctypes.c_int
        f.argtypes = args


def rand_array(rnd):
    """A random strided NumPy array over a fresh buffer, and how to describe it to ndview."""
    fmt, dt = rnd.choice(DTYPES)
    itemsize = np.dtype(dt).itemsize
    ndim = rnd.choice([0, 1, 1, 2, 2, 3, 3, 4, 5, 6])
    shape = [rnd.choice([0, 1, 1, 2, 3, 4, 5, 6, 7]) if rnd.random() < 0.9 else 1
             for _ in range(ndim)]
    strides = []
    for _ in range(ndim):
        r = rnd.random()
        k = 0 if r < 0.08 else rnd.randint(1, 9) * rnd.choice([1, 1, -1])
        strides.append(k * itemsize + (rnd.choice([0, 1]) if r > 0.95 else 0))
    if 0 in shape:
        lo = hi = 0
    else:
        lo = sum(s * (n - 1) for s, n in zip(strides, shape) if s < 0)
        hi = sum(s * (n - 1) for s, n in zip(strides, shape) if s > 0)
    offset = -lo + rnd.randint(0, 2) * itemsize
    memlen = offset + hi + itemsize + rnd.randint(0, 3)
    base = np.frombuffer(bytes(rnd.getrandbits(8) for _ in range(memlen)), np.uint8).copy()
    arr = np.ndarray(shape, dt, buffer=base, offset=offset, strides=strides)
    return fmt, base, arr, shape, strides, offset


def address(x):
    return x.__array_interface__["data"][0]


def describe(fmt, shape, strides, offset):
    return "fmt=%r shape=%r strides=%r offset=%d" % (fmt, shape, strides, offset)


class Case:
    def __init__(self, lib, rnd):
        self.lib = lib
        self.fmt, self.base, self.arr, shape, strides, self.offset = rand_array(rnd)
        self.what = describe(self.fmt, shape, strides, self.offset)
        self.mem = (ctypes.c_char * len(self.base)).from_buffer(self.base)
        st, self.view = lib.from_memory(self.mem, self.fmt, shape, strides, self.offset)
        assert st == "NDV_OK", (st, lib.errmsg(), self.what)

    def close(self):
        self.lib.release(self.view)

    def same(self, rep, label, st, out, expect):
        """Compare ndview's (st, out) with NumPy's result or exception."""
        if isinstance(expect, Exception):
            want = ERRORS.get(type(expect), type(expect).__name__)
            return rep.check(st == want, "%s %s: ndview %s (%s), NumPy %s: %s" % (
                self.what, label, st, self.lib.errmsg(), type(expect).__name__, expect))
        if not rep.check(st == "NDV_OK", "%s %s: ndview %s (%s), NumPy gives shape %r" % (
                self.what, label, st, self.lib.errmsg(), expect.shape)):
            return False
        got = (out.tup("shape") or (), out.tup("strides") or (), bool(out.readonly))
        want = (expect.shape, expect.strides, not expect.flags.writeable)
        ok = rep.check(got == want, "%s %s: ndview %r, NumPy %r" % (self.what, label, got, want))
        if ok and expect.size > 0:
            off = (out.buf or 0) - ctypes.addressof(self.mem)
            ok = rep.check(off == address(expect) - address(self.base),
                           "%s %s: offset %d, NumPy %d" % (self.what, label, off,
                                                          address(expect) - address(self.base)))
        if ok and expect.size * expect.itemsize < 1 << 16:
            st2, data = self.lib.tobytes(out, "C")
            ok = rep.check(st2 == "NDV_OK" and data == expect.tobytes(),
                           "%s %s: tobytes differs" % (self.what, label))
        self.lib.release(out)
        return ok


def numpy_result(f):
    try:
        return f()
    except (IndexError, ValueError, TypeError, AttributeError) as e:
        return e


def rand_subs(rnd, ndim):
    subs, py = [], []
    n = rnd.randint(0, ndim + 2)
    ellipsis = 0
    for _ in range(n):
        r = rnd.random()
        if r < 0.3:
            i = rnd.randint(-8, 8)
            subs.append(Sub(0, i, 0, 0))
            py.append(i)
        elif r < 0.75:
            a = rnd.choice([None, None, rnd.randint(-9, 9)])
            b = rnd.choice([None, None, rnd.randint(-9, 9)])
            c = rnd.choice([None, None, 1, -1, 2, -2, 3, -3, 0] if rnd.random() < 0.03 else
                           [None, None, 1, -1, 2, -2, 3, -3])
            subs.append(Sub(1, NONE if a is None else a, NONE if b is None else b,
                            NONE if c is None else c))
            py.append(slice(a, b, c))
        elif r < 0.9:
            subs.append(Sub(2, 0, 0, 0))
            py.append(None)
        elif ellipsis < 1 or rnd.random() < 0.2:
            ellipsis += 1
            subs.append(Sub(3, 0, 0, 0))
            py.append(Ellipsis)
    return subs, tuple(py)


def check_subscript(case, rep, rnd):
    subs, py = rand_subs(rnd, case.arr.ndim)
    arr = (Sub * max(len(subs), 1))(*subs)
    out = View()
    st = STATUS[case.lib.lib.ndv_subscript(ctypes.byref(case.view), arr, len(subs),
                                           ctypes.byref(out))]
    expect = numpy_result(lambda: case.arr[py])
    if not isinstance(expect, Exception) and not isinstance(expect, np.ndarray):
        expect = case.arr[py + (Ellipsis,)] if Ellipsis not in py else np.asarray(expect)
    case.same(rep, "[%r]" % (py,), st, out, expect)


def rand_target(rnd, shape):
    target = [rnd.randint(0, 4) for _ in range(rnd.randint(0, 2))]
    for n in shape:
        r = rnd.random()
        target.append(rnd.randint(0, 4) if (n == 1 and r < 0.5) or r < 0.05 else n)
    if rnd.random() < 0.03:
        target = target[1:]
    if target and rnd.random() < 0.01:
        target[0] = -1
    return target


def check_broadcast(case, rep, rnd):
    target = rand_target(rnd, case.arr.shape)
    out = View()
    st = STATUS[case.lib.lib.ndv_broadcast_to(ctypes.byref(case.view), len(target),
                                              Lib.arr(target), ctypes.byref(out))]
    expect = numpy_result(lambda: np.broadcast_to(case.arr, target))
    case.same(rep, "broadcast_to %r" % (target,), st, out, expect)


def factor_shape(rnd, size):
    """A random shape of that size (a -1 sometimes, a wrong size rarely)."""
    dims = []
    n = size
    for _ in range(rnd.randint(0, 4)):
        d = rnd.choice([k for k in range(1, 8) if n % k == 0] if n else [0, 1, 2, 3])
        dims.append(d)
        n = n // d if d else 0
    if size == 0 and 0 not in dims:
        dims.append(0)
    elif n != 1 or rnd.random() < 0.3:
        dims.append(n)
    rnd.shuffle(dims)
    if dims and rnd.random() < 0.25:
        dims[rnd.randrange(len(dims))] = -1
    if rnd.random() < 0.03:
        dims.append(2)
    return dims


def numpy_reshape(arr, base, shape, order):
    """NumPy's no-copy reshape, or the exception: a copy counts as a refusal."""
    if order == "C":  # `arr.shape = ...` refuses exactly when a copy is needed
        r = arr.view()
        r.shape = shape
        return r
    r = arr.reshape(shape, order="F")
    if r.size and not (address(base) <= address(r) < address(base) + len(base)):
        return ValueError("needs a copy")
    return r


def check_reshape(case, rep, rnd):
    shape = factor_shape(rnd, case.arr.size)
    order = rnd.choice("CF")
    out = View()
    st = STATUS[case.lib.lib.ndv_reshape(ctypes.byref(case.view), len(shape), Lib.arr(shape),
                                         order.encode(), ctypes.byref(out))]
    expect = numpy_result(lambda: numpy_reshape(case.arr, case.base, shape, order))
    case.same(rep, "reshape %r order %s" % (shape, order), st, out, expect)


def check_window(case, rep, rnd):
    if case.arr.ndim == 0:
        return
    dim = rnd.randint(-case.arr.ndim, case.arr.ndim - 1)
    window = rnd.randint(-1 if rnd.random() < 0.05 else 0, case.arr.shape[dim] + 1)
    out = View()
    st = STATUS[case.lib.lib.ndv_sliding_window(ctypes.byref(case.view), dim, window,
                                                ctypes.byref(out))]
    expect = numpy_result(lambda: sliding_window_view(case.arr, window, axis=dim))
    case.same(rep, "sliding_window %d along %d" % (window, dim), st, out, expect)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("lib")
    ap.add_argument("--cases", type=int, default=50000)
    ap.add_argument("--seed", type=int, default=random.randrange(1 << 30))
    args = ap.parse_args()
    print("# seed %d, %d cases per check, NumPy %s" % (args.seed, args.cases, np.__version__))
    lib = Lib(args.lib)
    bind(lib)
    rep = Report(args.seed)
    checks = [("subscripts", check_subscript), ("broadcast_to", check_broadcast),
              ("reshape (no copy, C and F)", check_reshape),
              ("sliding windows", check_window)]
    for name, check in checks:
        rnd = random.Random("%d %s" % (args.seed, name))
        for _ in range(args.cases):
            case = Case(lib, rnd)
            check(case, rep, rnd)
            case.close()
        rep.close(name)
    print("1..%d" % rep.n)
    return 1 if rep.failed else 0


if __name__ == "__main__":
    sys.exit(main())
