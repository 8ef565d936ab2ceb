"""The view algebra (ndv_subscript, ndv_broadcast_to, ndv_reshape,
ndv_sliding_window, ndv_get_field) against NumPy, on random arrays: 0-6
dimensions, extents 0-7, strides of any sign including zero, over one byte
buffer; fields of random structured dtypes (NumPy's own buffer-export
formats); ndv_format_equivalent against dtype equality; NumPy's dtype.str
through ndv_format_from_numpy / ndv_format_to_numpy. Every result is
compared by shape, strides, offset from the buffer's start, read-only flag
and tobytes(); every refusal by error class. Prints TAP.

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
from numpy.core._internal import _dtype_from_pep3118
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
            "ndv_sliding_window": [V, ctypes.c_int, ctypes.c_ssize_t, V],
            "ndv_get_field": [V, ctypes.c_char_p, V],
            "ndv_shares_memory": [V, V, ctypes.c_ssize_t, ctypes.POINTER(ctypes.c_int)],
            "ndv_format_equivalent": [ctypes.c_char_p, ctypes.c_char_p,
                                      ctypes.POINTER(ctypes.c_bool)],
            "ndv_format_from_numpy": [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ssize_t],
            "ndv_format_to_numpy": [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ssize_t]}
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


def check_shares(case, rep, rnd):
    """A second random view over the same buffer; exact and bounds-only answers."""
    fmt, dt = rnd.choice(DTYPES)
    itemsize = np.dtype(dt).itemsize
    other = None
    for _ in range(20):  # a random geometry that fits the case's buffer
        ndim = rnd.randint(0, 3)
        shape = [rnd.randint(0, 5) for _ in range(ndim)]
        strides = [rnd.randint(-12, 12) * rnd.choice([1, itemsize]) for _ in range(ndim)]
        lo = sum(s * (n - 1) for s, n in zip(strides, shape) if s < 0 and n)
        hi = sum(s * (n - 1) for s, n in zip(strides, shape) if s > 0 and n)
        span = len(case.base) - (hi - lo) - itemsize
        if span >= 0:
            offset = -lo + rnd.randint(0, span)
            other = np.ndarray(shape, dt, buffer=case.base, offset=offset, strides=strides)
            break
    if other is None:
        return
    st, view = case.lib.from_memory(case.mem, fmt, shape, strides, offset)
    for max_work, want in ((1 << 40, np.shares_memory(case.arr, other, max_work=None)),
                           (0, np.may_share_memory(case.arr, other))):
        res = ctypes.c_int(7)
        st2 = STATUS[case.lib.lib.ndv_shares_memory(ctypes.byref(case.view), ctypes.byref(view),
                                                    max_work, ctypes.byref(res))]
        rep.check(st2 == "NDV_OK" and res.value == int(want),
                  "%s vs %s: max_work %d: ndview %s %d, NumPy %s" % (
                      case.what, describe(fmt, shape, strides, offset), max_work, st2, res.value,
                      want))
    case.lib.release(view)


NUMERIC = "?bBhHiIlLqQefdFD"


def rand_dtype(rnd, depth=0, names=None):
    """A random structured dtype: numeric fields in either byte order, sub-arrays, one nesting."""
    n = rnd.randint(1, 4)
    names = names or ["f%d" % i for i in range(n)]
    fields = []
    for name in names[:n]:
        r = rnd.random()
        if r < 0.15 and depth == 0:
            fields.append((name, rand_dtype(rnd, 1)))
            continue
        t = np.dtype(rnd.choice(NUMERIC)).newbyteorder(rnd.choice("<>="))
        if r < 0.35:
            fields.append((name, t, tuple(rnd.randint(1, 3) for _ in range(rnd.randint(1, 2)))))
        else:
            fields.append((name, t))
    return np.dtype(fields, align=rnd.random() < 0.5)


def field_paths(dt, prefix=""):
    for name in dt.names:
        yield prefix + name
        sub = dt.fields[name][0]
        if sub.names:
            yield from field_paths(sub, prefix + name + ".")


def numpy_reads(fmt):
    """The dtype NumPy's own parser makes of a format (the oracle for format semantics)."""
    return np.dtype(_dtype_from_pep3118(fmt))


def check_fields(lib, rep, rnd):
    dt = rand_dtype(rnd)
    if numpy_reads(memoryview(np.zeros(1, dt)).format) != dt:
        # NumPy exports some packed dtypes with a format its own parser reads back
        # otherwise (padded to the alignment): not a case it defines.
        return False
    n0, n1 = rnd.randint(0, 4), rnd.randint(1, 3)
    whole = np.zeros((n0 + 1, n1 * 2), dt)
    raw = whole.view(np.uint8).reshape(-1)
    raw[:] = np.frombuffer(bytes(rnd.getrandbits(8) for _ in range(raw.size)), np.uint8)
    arr = whole[:n0, ::rnd.choice([1, 2, -1])]
    fmt = memoryview(arr).format
    base = whole.view(np.uint8)
    mem = (ctypes.c_char * base.nbytes).from_buffer(base)
    off = address(arr) - address(whole)
    st, view = lib.from_memory(mem, fmt, list(arr.shape), list(arr.strides), off)
    if not rep.check(st == "NDV_OK", "%r format %r: %s (%s)" % (dt, fmt, st, lib.errmsg())):
        return
    for path in list(field_paths(dt)) + ["nope"]:
        out = View()
        st = STATUS[lib.lib.ndv_get_field(ctypes.byref(view), path.encode(), ctypes.byref(out))]
        expect = arr
        try:
            for part in path.split("."):
                expect = expect[part]
        except ValueError as e:
            expect = e
        what = "%r fmt %r [%r]" % (dt, fmt, path)
        if isinstance(expect, Exception):
            rep.check(st == "NDV_ERR_VALUE", "%s: ndview %s, NumPy %s" % (what, st, expect))
            continue
        if not rep.check(st == "NDV_OK", "%s: ndview %s (%s)" % (what, st, lib.errmsg())):
            continue
        got = (out.tup("shape") or (), out.tup("strides") or ())
        ok = rep.check(got == (expect.shape, expect.strides),
                       "%s: ndview %r, NumPy %r" % (what, got, (expect.shape, expect.strides)))
        if ok and expect.size:
            rep.check(out.buf - ctypes.addressof(mem) == address(expect) - address(whole),
                      "%s: offset differs" % what)
            same = ctypes.c_bool()
            efmt = memoryview(np.ascontiguousarray(expect)).format if expect.ndim else \
                memoryview(expect.reshape(1)).format
            lib.lib.ndv_format_equivalent(out.format, efmt.encode(), ctypes.byref(same))
            rep.check(same.value, "%s: format %r vs NumPy's %r" % (what, out.format, efmt))
            st2, data = lib.tobytes(out, "C")
            rep.check(st2 == "NDV_OK" and data == expect.tobytes(), "%s: tobytes differs" % what)
        lib.release(out)
    lib.release(view)
    return True


def mutate(rnd, dt):
    """A dtype equal to dt or differing in one way, with the same names."""
    r = rnd.random()
    fields = [(name, dt.fields[name][0]) for name in dt.names]
    if r < 0.3:
        return dt
    i = rnd.randrange(len(fields))
    name, t = fields[i]
    if r < 0.5 and not t.names and t.itemsize > 1:
        t = t.newbyteorder("S")
    elif r < 0.8 and not t.names:
        t = np.dtype(rnd.choice(NUMERIC))
    else:
        return np.dtype(fields, align=not dt.isalignedstruct)
    fields[i] = (name, t)
    return np.dtype(fields, align=dt.isalignedstruct)


def check_equivalent(lib, rep, rnd):
    a = rand_dtype(rnd)
    b = mutate(rnd, a)
    fa = memoryview(np.zeros(1, a)).format
    fb = memoryview(np.zeros(1, b)).format
    same = ctypes.c_bool()
    st = STATUS[lib.lib.ndv_format_equivalent(fa.encode(), fb.encode(), ctypes.byref(same))]
    want = numpy_reads(fa) == numpy_reads(fb)  # dtype(a) == dtype(b) of the formats' dtypes
    da, db = numpy_reads(fa), numpy_reads(fb)
    if not want and (da.itemsize, layout(da)) == (db.itemsize, layout(db)):
        want = True  # only the nesting differs ('(1)i' vs 'i'): ndview compares layouts
        rep.nesting_only = getattr(rep, "nesting_only", 0) + 1
    rep.check(st == "NDV_OK" and same.value == want,
              "%r vs %r (%r, %r): ndview %s %s, NumPy %s" % (a, b, fa, fb, st, same.value, want))


def layout(dt, offset=0):
    """The item's scalars as (kind, size, byte order, offset), sub-arrays and structs flattened."""
    if dt.names:
        return [x for n in dt.names for x in layout(dt.fields[n][0], offset + dt.fields[n][1])]
    if dt.subdtype:
        base, shape = dt.subdtype
        return [x for i in range(int(np.prod(shape))) for x in layout(base, offset + i * base.itemsize)]
    return [(dt.kind, dt.itemsize, dt.byteorder if dt.itemsize > 1 else "|", offset)]


def check_dialects(lib, rep):
    for code in NUMERIC + "gG":
        for order in "<>=|":
            t = np.dtype(code).newbyteorder(order if order != "|" else "=")
            s = t.str
            buf = ctypes.create_string_buffer(32)
            st = STATUS[lib.lib.ndv_format_from_numpy(s.encode(), buf, 32)]
            native_only = code in "gG" and s[0] not in "<|"
            if native_only:
                rep.check(st == "NDV_ERR_FORMAT", "%r: %s, want a refusal" % (s, st))
                continue
            if not rep.check(st == "NDV_OK", "%r: %s (%s)" % (s, st, lib.errmsg())):
                continue
            back = ctypes.create_string_buffer(32)
            st = STATUS[lib.lib.ndv_format_to_numpy(buf.value, back, 32)]
            rep.check(st == "NDV_OK" and back.value.decode() == s,
                      "%r -> %r -> %r (%s)" % (s, buf.value, back.value, st))
            if code in "gG":  # NumPy exports long doubles only as '=': compare sizes
                st, size = lib.calcsize(buf.value.decode())
                rep.check(size == t.itemsize, "%r -> %r: %d bytes" % (s, buf.value, size))
                continue
            same = ctypes.c_bool()
            mv = memoryview(np.zeros(1, t)).format
            lib.lib.ndv_format_equivalent(buf.value, mv.encode(), ctypes.byref(same))
            rep.check(same.value, "%r -> %r, NumPy exports %r" % (s, buf.value, mv))
    for bad in ["<M8[ns]", "|S5", "|V4", "<U3", "O", "", "<f3", "<i", "xi4"]:
        buf = ctypes.create_string_buffer(32)
        st = STATUS[lib.lib.ndv_format_from_numpy(bad.encode(), buf, 32)]
        rep.check(st == "NDV_ERR_FORMAT", "%r: %s, want NDV_ERR_FORMAT" % (bad, st))


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
              ("sliding windows", check_window),
              ("shares_memory (exact and bounds only)", check_shares)]
    for name, check in checks:
        rnd = random.Random("%d %s" % (args.seed, name))
        for _ in range(args.cases):
            case = Case(lib, rnd)
            check(case, rep, rnd)
            case.close()
        rep.close(name)
    rnd = random.Random("%d fields" % args.seed)
    skipped = sum(not check_fields(lib, rep, rnd) for _ in range(max(args.cases // 10, 1)))
    rep.close("fields of random structured dtypes (get_field; %d dtypes NumPy itself "
              "round-trips inconsistently skipped)" % skipped)
    rnd = random.Random("%d equivalent" % args.seed)
    for _ in range(max(args.cases // 5, 1)):
        check_equivalent(lib, rep, rnd)
    rep.close("format_equivalent vs dtype equality (%d pairs differ only in NumPy's nesting)"
              % getattr(rep, "nesting_only", 0))
    check_dialects(lib, rep)
    rep.close("dtype.str through from_numpy / to_numpy")
    print("1..%d" % rep.n)
    return 1 if rep.failed else 0


if __name__ == "__main__":
    sys.exit(main())
