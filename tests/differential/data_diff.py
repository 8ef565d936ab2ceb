#!/usr/bin/env python3
"""Differential test of ndview's data operations against CPython.

For random structures (drawn as test_buffer.py draws them) over random
memory, in formats from the whole struct grammar (native, standard sizes,
both byte orders, multi-value items, strings, pads), the same view is built
in CPython (_testbuffer.ndarray, memoryview) and in ndview, and compared:
tobytes C/F/A, hex with separators, tolist values and repr text, ==
against itself and against other formats and layouts, unpack_as, copy
(including overlapping copies, against a model of memmove), frombytes,
item assignment (results, error classes and messages), and PIL-style
suboffset arrays and their slices.

usage: data_diff.py LIBNDVIEW.so [--seed N] [--cases N]
"""
import argparse
import ctypes
import itertools
import random
import struct
import sys

import _testbuffer as tb
from _testbuffer import ndarray

from common import Report, describe, nested, rand_structure
from ndview_ctypes import STATUS, Lib, Value, View

NATIVE = list("bBhHiIlLqQnNfd?cP") + (["e"] if sys.version_info >= (3, 12) else [])
COMPOUND = ["<i", ">h", "=q", "!d", "<e", ">f", "<Q", ">b", "2i", "3s", "5p", "1p", "xi", "x",
            "2h3d", "<hi?", ">Qb", "c2?", "@ic", "=ic", "<2e", "3c", "?", "0sB", "4x2H"]
ERR = {TypeError: "NDV_ERR_TYPE", ValueError: "NDV_ERR_VALUE", OverflowError: "NDV_ERR_VALUE"}


def unwrap(t):
    return t[0] if len(t) == 1 else t


class Case:
    """Random memory, unpacked to items and repacked, seen by both sides."""

    def __init__(self, lib, rnd, fmt, structure, writable=False):
        memlen, shape, strides, offset = structure
        self.lib, self.fmt, self.structure = lib, fmt, structure
        self.itemsize = struct.calcsize(fmt)
        nitems = memlen // self.itemsize
        raw = bytes(rnd.getrandbits(8) for _ in range(nitems * self.itemsize))
        self.items = [unwrap(t) for t in struct.iter_unpack(fmt, raw)]
        flags = tb.ND_WRITABLE if writable else 0
        init = self.items if shape else self.items[0]  # a 0-d array takes the item itself
        self.nd = ndarray(init, shape=shape, strides=strides, offset=offset, format=fmt,
                          flags=flags)
        flat = ndarray(self.items, shape=[nitems], format=fmt).tobytes()
        self.mem = ctypes.create_string_buffer(flat, max(memlen, 1))
        st, self.view = lib.from_memory(self.mem, fmt, shape, strides, offset, not writable)
        assert st == "NDV_OK", (st, lib.errmsg(), describe(fmt, *structure))
        self.what = describe(fmt, *structure)

    def release(self):
        self.lib.release(self.view)


def safe_repr(x):
    return repr(x)


def rand_format(rnd):
    return rnd.choice(NATIVE) if rnd.random() < 0.6 else rnd.choice(COMPOUND)


# ---------------------------------------------------------------------------
# tobytes, hex, tolist, repr
# ---------------------------------------------------------------------------

HEX_SEPS = [None, ":", "-", " ", "|"]
HEX_GROUPS = [1, 2, 3, 4, -1, -2, -3, 0, 7, -8, 1000]


def check_readers(lib, rnd, rep, c):
    m = memoryview(c.nd)
    for order in "CFA":
        st, got = lib.tobytes(c.view, order)
        rep.check(st == "NDV_OK" and got == m.tobytes(order),
                  "%s: tobytes(%r) ndview %s %r, CPython %r" % (c.what, order, st, got,
                                                                m.tobytes(order)))
    sep, group = rnd.choice(HEX_SEPS), rnd.choice(HEX_GROUPS)
    want = m.hex() if sep is None else m.hex(sep, group)
    st, got = lib.hex(c.view, 0 if sep is None else ord(sep), group)
    rep.check(got == want, "%s: hex(%r, %r) ndview %r, CPython %r" % (c.what, sep, group, got,
                                                                       want))
    want_list = repr(c.nd.tolist())
    st, got = lib.tolist(c.view)
    rep.check(st == "NDV_OK" and safe_repr(got) == want_list,
              "%s: tolist ndview %s %r, CPython %s" % (c.what, st, got, want_list))
    st, text = lib.repr(c.view)
    rep.check(st == "NDV_OK" and text == want_list,
              "%s: repr ndview %s %r, CPython %r" % (c.what, st, text, want_list))
    if c.fmt in NATIVE:  # formats memoryview itself unpacks
        rep.check(text == repr(m.tolist()), "%s: repr ndview %r, memoryview.tolist() %r"
                  % (c.what, text, repr(m.tolist())))


# ---------------------------------------------------------------------------
# Equality
# ---------------------------------------------------------------------------

def other_formats(fmt):
    if fmt in ("b", "B", "h", "H", "i", "I", "l", "L", "q", "Q", "n", "N", "P"):
        return [fmt, "d", "q", "<q", ">i", "Q", "b", "?", "c"]
    if fmt in ("f", "d", "e"):
        return [fmt, "d", "f", "<d", ">e", "q"]
    return [fmt, "@" + fmt if not fmt[0] in "@=<>!" else fmt, "B", "c"]


def c_order_items(nd):
    flat = nd.tolist()
    shape = nd.shape
    for _ in shape:
        flat = [x for sub in flat for x in (sub if isinstance(sub, list) else [sub])] \
            if flat and isinstance(flat[0], list) else flat
    return flat if shape else [flat]


def check_equal(lib, rnd, rep, c):
    m = memoryview(c.nd)
    st, eq = lib.equal(c.view, c.view)
    want = m == m
    rep.check(st == "NDV_OK" and eq == want, "%s: m == m ndview %r, CPython %r"
              % (c.what, eq, want))
    shape = list(c.nd.shape)
    items = c_order_items(c.nd) if 0 not in shape else []
    fmt2 = rnd.choice(other_formats(c.fmt))
    if items and rnd.random() < 0.3:  # change one item
        k = rnd.randrange(len(items))
        x = items[k]
        items[k] = (x + 1 if isinstance(x, (int, float)) and not isinstance(x, bool) else
                    (not x) if isinstance(x, bool) else
                    bytes(len(x)) if isinstance(x, bytes) and any(x) else x)
    try:
        nd2 = ndarray(items if items else [], shape=shape, format=fmt2) if items or not shape \
            else ndarray([], shape=shape, format=fmt2)
        flat = ndarray(items, shape=[len(items)], format=fmt2).tobytes() if items else b""
    except (struct.error, TypeError, ValueError, OverflowError):
        return
    m2 = memoryview(nd2)
    mem = ctypes.create_string_buffer(flat, max(len(flat), 1))
    st, v2 = lib.from_memory(mem, fmt2, shape, None, 0)
    if st != "NDV_OK":
        rep.check(False, "%s: building %r: %s" % (c.what, fmt2, lib.errmsg()))
        return
    for a, b, ma, mb in ((c.view, v2, m, m2), (v2, c.view, m2, m)):
        st, eq = lib.equal(a, b)
        want = ma == mb
        rep.check(eq == want, "%s: == C-order %r copy: ndview %r, CPython %r"
                  % (c.what, fmt2, eq, want))
    lib.release(v2)


# ---------------------------------------------------------------------------
# unpack_as
# ---------------------------------------------------------------------------

def expect_unpack(values, to):
    out = []
    for x in values:
        if isinstance(x, (bytes, complex, str)):
            return "NDV_ERR_TYPE", None
        if isinstance(x, float):
            if to != 2:
                return "NDV_ERR_TYPE", None
            out.append(x)
            continue
        x = int(x)
        if to == 2:
            out.append(float(x))
        elif (to == 0 and x >= 2 ** 63) or (to == 1 and x < 0):
            return "NDV_ERR_VALUE", None
        else:
            out.append(x)
    return "NDV_OK", out


def flatten_values(nd):
    items = c_order_items(nd) if 0 not in nd.shape else []
    out = []
    for x in items:
        out.extend(x if isinstance(x, tuple) else [x])
    return out


def check_unpack(lib, rnd, rep, c):
    to = rnd.choice([0, 1, 2])
    values = flatten_values(c.nd)
    # The format decides first: bytes fields refuse every target, float fields integer ones.
    if any(ch in c.fmt for ch in "csp") or (to != 2 and any(ch in c.fmt for ch in "efd")):
        want_st, want = "NDV_ERR_TYPE", None
    else:
        want_st, want = expect_unpack(values, to)
    st, got = lib.unpack_as(c.view, to)
    if st == "NDV_ERR_VALUE" and want_st == "NDV_ERR_VALUE":
        got = want = None
    ok = st == want_st and (want is None or repr(got) == repr(want))
    rep.check(ok, "%s: unpack_as(%d) ndview %s %r, expected %s %r"
              % (c.what, to, st, got, want_st, want))


# ---------------------------------------------------------------------------
# copy (with a memmove model), frombytes
# ---------------------------------------------------------------------------

def rand_layout(rnd, shape, itemsize):
    """Strides of a non-self-overlapping layout: a permuted C layout with random signs."""
    dims = list(range(len(shape)))
    rnd.shuffle(dims)
    strides = [0] * len(shape)
    sd = itemsize * rnd.choice([1, 1, 2])
    for d in reversed(dims):
        strides[d] = sd * rnd.choice([1, -1])
        sd *= max(shape[d], 1)
    lo = sum(s * (n - 1) for s, n in zip(strides, shape) if s < 0 and n > 0)
    hi = sum(s * (n - 1) for s, n in zip(strides, shape) if s > 0 and n > 0)
    return strides, -lo, hi - lo + itemsize


def item_offsets(shape, strides, offset):
    for idx in itertools.product(*[range(n) for n in shape]):
        yield offset + sum(i * s for i, s in zip(idx, strides))


def check_copy(lib, rnd, rep, c):
    shape = list(c.nd.shape)
    if 0 in shape:
        return
    isz = c.itemsize
    if rnd.random() < 0.5:
        # Separate memory: the result must read back as the source.
        strides, off, need = rand_layout(rnd, shape, isz)
        mem = ctypes.create_string_buffer(need + isz)
        st, d = lib.from_memory(mem, c.fmt, shape, strides, off)
        st = lib.copy(d, c.view)
        ok = st == "NDV_OK" and lib.tobytes(d, "C")[1] == memoryview(c.nd).tobytes()
        rep.check(ok, "%s: copy into strides %r: %s" % (c.what, strides, st))
        lib.release(d)
        return
    # Overlapping: two layouts over one buffer, checked against a memmove model.
    s_str, s_off, s_need = rand_layout(rnd, shape, isz)
    d_str, d_off, d_need = rand_layout(rnd, shape, isz)
    size = max(s_need, d_need) + 3 * isz
    shift_s, shift_d = rnd.randint(0, size - s_need), rnd.randint(0, size - d_need)
    data = bytes(rnd.getrandbits(8) for _ in range(size))
    mem = ctypes.create_string_buffer(data, size)
    st1, src = lib.from_memory(mem, c.fmt, shape, s_str, s_off + shift_s)
    st2, dst = lib.from_memory(mem, c.fmt, shape, d_str, d_off + shift_d)
    model = bytearray(data)
    src_items = [bytes(model[o:o + isz]) for o in item_offsets(shape, s_str, s_off + shift_s)]
    for o, item in zip(item_offsets(shape, d_str, d_off + shift_d), src_items):
        model[o:o + isz] = item
    st = lib.copy(dst, src)
    rep.check(st == "NDV_OK" and mem.raw == bytes(model),
              "%s: overlapping copy src %r+%d -> dst %r+%d: %s" % (
                  c.what, s_str, s_off + shift_s, d_str, d_off + shift_d, st))
    lib.release(src)
    lib.release(dst)


def check_frombytes(lib, rnd, rep, c):
    shape = list(c.nd.shape)
    strides, off, need = rand_layout(rnd, shape, c.itemsize)
    mem = ctypes.create_string_buffer(max(need, 1))
    st, v = lib.from_memory(mem, c.fmt, shape, strides, off)
    data = bytes(rnd.getrandbits(8) for _ in range(v.len))
    order = rnd.choice("CFA")
    st = lib.frombytes(v, data, order)
    st2, back = lib.tobytes(v, order)
    rep.check(st == "NDV_OK" and back == data,
              "%s: frombytes/tobytes(%r) round trip over strides %r: %s" % (c.what, order,
                                                                            strides, st))
    lib.release(v)


# ---------------------------------------------------------------------------
# Item assignment
# ---------------------------------------------------------------------------

PACK_VALUES = [0, 1, -1, 127, 128, 255, 256, -128, -129, 32767, 32768, -32769, 2 ** 31,
               -2 ** 31 - 1, 2 ** 32, 2 ** 63 - 1, 2 ** 63, -2 ** 63, 2 ** 64 - 1, 1.5, -0.0,
               1e300, -1e300, 3.5e38, 65504.0, 65520.0, 1e-8, float("inf"), float("nan"),
               True, False, b"a", b"ab", b"", b"\x00"]


def check_pack(lib, rnd, rep, c):
    shape = list(c.nd.shape)
    if 0 in shape or c.fmt not in NATIVE:
        return
    m = memoryview(c.nd)
    idx = tuple(rnd.randrange(n) for n in shape)
    x = rnd.choice(PACK_VALUES)
    try:
        m[idx] = x
        want = ("NDV_OK", None)
    except (TypeError, ValueError) as e:
        want = (ERR[type(e)], str(e))
    st = lib.pack_item(c.view, list(idx), [Value.of(x)])
    got = (st, None if st == "NDV_OK" else lib.errmsg())
    ok = got == want and lib.tobytes(c.view, "C")[1] == m.tobytes()
    rep.check(ok, "%s: m[%r] = %r: ndview %r, CPython %r" % (c.what, idx, x, got, want))


# ---------------------------------------------------------------------------
# PIL-style arrays through an exporter with suboffsets
# ---------------------------------------------------------------------------

class Buffer(ctypes.Structure):
    _fields_ = [("buf", ctypes.c_void_p), ("obj", ctypes.c_void_p), ("len", ctypes.c_ssize_t),
                ("itemsize", ctypes.c_ssize_t), ("readonly", ctypes.c_int),
                ("ndim", ctypes.c_int), ("format", ctypes.c_char_p),
                ("shape", ctypes.POINTER(ctypes.c_ssize_t)),
                ("strides", ctypes.POINTER(ctypes.c_ssize_t)),
                ("suboffsets", ctypes.POINTER(ctypes.c_ssize_t)),
                ("internal", ctypes.c_void_p)]


GETBUF = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.POINTER(Buffer), ctypes.c_int)
RELBUF = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.POINTER(Buffer))


class Exporter(ctypes.Structure):
    _fields_ = [("getbuffer", GETBUF), ("releasebuffer", RELBUF)]


class PilArray:
    """Dimension 0 is an array of row pointers, as _testbuffer's ND_PIL lays it out."""

    def __init__(self, lib, fmt, nd_c):
        self.lib = lib
        shape = list(nd_c.shape)
        isz = struct.calcsize(fmt)
        row_items = 1
        for n in shape[1:]:
            row_items *= n
        flat = memoryview(nd_c).tobytes()
        self.rows = [ctypes.create_string_buffer(flat[i * row_items * isz:(i + 1) * row_items * isz],
                                                 max(row_items * isz, 1)) for i in range(shape[0])]
        self.ptrs = (ctypes.c_void_p * max(shape[0], 1))(*[ctypes.addressof(r) for r in self.rows])
        strides, sd = [], isz
        for n in reversed(shape[1:]):
            strides.insert(0, sd)
            sd *= n
        strides.insert(0, ctypes.sizeof(ctypes.c_void_p))
        self.shape = Lib.arr(shape)
        self.strides = Lib.arr(strides)
        self.subs = Lib.arr([0] + [-1] * (len(shape) - 1))
        self.fmt = fmt.encode()
        self.ndim, self.len, self.isz = len(shape), isz * row_items * shape[0], isz

        def get(obj, view, flags):
            b = view.contents
            b.buf, b.obj, b.len, b.itemsize = ctypes.addressof(self.ptrs), obj, self.len, isz
            b.readonly, b.ndim, b.format = 1, self.ndim, self.fmt
            b.shape, b.strides, b.suboffsets = (ctypes.cast(self.shape, b.shape.__class__),
                                                ctypes.cast(self.strides, b.strides.__class__),
                                                ctypes.cast(self.subs, b.suboffsets.__class__))
            return 0

        self.ops = Exporter(GETBUF(get), RELBUF(lambda obj, view: None))
        self.view = View()
        fn = lib.lib.ndv_view_from_exporter
        fn.restype = ctypes.c_int
        fn.argtypes = [ctypes.POINTER(View), ctypes.c_void_p, ctypes.POINTER(Exporter), ctypes.c_int]
        st = fn(ctypes.byref(self.view), None, ctypes.byref(self.ops), 0x11c)
        assert st == 0, (STATUS[st], lib.errmsg())


def check_pil(lib, rnd, rep, n):
    for case_no in range(n):
        fmt = rand_format(rnd)
        isz = struct.calcsize(fmt)
        ndim = rnd.randint(1, 4)
        shape = [rnd.randint(1, 4) for _ in range(ndim)]
        count = 1
        for x in shape:
            count *= x
        raw = bytes(rnd.getrandbits(8) for _ in range(count * isz))
        items = [unwrap(t) for t in struct.iter_unpack(fmt, raw)]
        nd = ndarray(items, shape=shape, format=fmt, flags=tb.ND_PIL)
        pil = PilArray(lib, fmt, ndarray(items, shape=shape, format=fmt))
        view, what = pil.view, "PIL case %d fmt=%r shape=%r" % (case_no, fmt, shape)
        for step in range(3):
            m = memoryview(nd)
            for order in "CFA":
                rep.check(lib.tobytes(view, order)[1] == m.tobytes(order),
                          "%s: tobytes(%r)" % (what, order))
            rep.check(lib.hex(view, ord(":"), 3)[1] == m.hex(":", 3), what + ": hex")
            rep.check(lib.repr(view)[1] == repr(nd.tolist()), "%s: repr %r vs %r" % (
                what, lib.repr(view)[1], repr(nd.tolist())))
            st, eq = lib.equal(view, view)
            rep.check(eq == (m == m), what + ": m == m")
            for idx in itertools.islice(itertools.product(*[range(k) for k in nd.shape]), 50):
                st, p = lib.get_pointer(view, idx)
                got = unwrap(struct.unpack(fmt, ctypes.string_at(p, isz))) if st == "NDV_OK" \
                    else st
                want = nested(nd.tolist(), idx)
                rep.check(repr(got) == repr(want), "%s: item %r %r vs %r" % (what, idx, got,
                                                                              want))
            dim = rnd.randrange(len(nd.shape))
            k = nd.shape[dim]
            sl = slice(rnd.choice([None, rnd.randint(-k, k)]), rnd.choice([None, rnd.randint(-k, k)]),
                       rnd.choice([None, 1, 2, -1, -2]))
            st, sv = lib.slice(view, dim, sl.start, sl.stop, sl.step)
            if st != "NDV_OK":
                rep.check(False, "%s: slice %s" % (what, st))
                break
            nd = nd[tuple([slice(None)] * dim + [sl])]
            if view is not pil.view:
                lib.release(view)
            view = sv
            what += " [dim %d %r]" % (dim, sl)
        if view is not pil.view:
            lib.release(view)
        lib.release(pil.view)
    rep.close("PIL (suboffset) arrays and their slices: tobytes, hex, repr, ==, get_pointer")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("lib")
    ap.add_argument("--seed", type=int, default=3118)
    ap.add_argument("--cases", type=int, default=2000, help="random structures per category")
    args = ap.parse_args()
    lib = Lib(args.lib)
    rnd = random.Random(args.seed)
    rep = Report(args.seed)
    print("# oracle: CPython %s, seed %d" % (sys.version.split()[0], args.seed))
    checks = [("tobytes C/F/A, hex, tolist, repr", check_readers, False),
              ("== across formats and layouts", check_equal, False),
              ("unpack_as", check_unpack, False),
              ("copy, separate and overlapping (memmove model)", check_copy, False),
              ("frombytes round trips", check_frombytes, False),
              ("item assignment vs memoryview", check_pack, True)]
    for name, fn, writable in checks:
        for case_no in range(args.cases):
            fmt = rand_format(rnd)
            t = rand_structure(rnd, struct.calcsize(fmt), maxdim=5)
            c = Case(lib, rnd, fmt, t, writable)
            c.what = "case %d (%s)" % (case_no, c.what)
            fn(lib, rnd, rep, c)
            c.release()
        rep.close(name)
    check_pil(lib, rnd, rep, max(args.cases // 10, 10))
    print("1..%d" % rep.n)
    return 1 if rep.failed else 0


if __name__ == "__main__":
    sys.exit(main())
