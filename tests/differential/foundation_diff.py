#!/usr/bin/env python3
"""Differential test of ndview's foundation against CPython.

Oracles: struct.calcsize for formats; memoryview over _testbuffer.ndarray for
construction validity, contiguity, slicing on any dimension, get_pointer,
cast (results, error classes and messages) and buffer requests.

usage: foundation_diff.py LIBNDVIEW.so [--seed N] [--cases N]
Prints TAP: one line per category; every mismatch is printed with the seed
and case number that reproduce it.
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
from ndview_ctypes import Lib

HAVE_E = sys.version_info >= (3, 12)
ERR_CLASS = {TypeError: "NDV_ERR_TYPE", ValueError: "NDV_ERR_VALUE",
             BufferError: "NDV_ERR_BUFFER", IndexError: "NDV_ERR_INDEX"}


# ---------------------------------------------------------------------------
# Formats
# ---------------------------------------------------------------------------

CODES = "xcbB?hHiIlLqQnNefdspP"


def rand_format(rnd):
    parts = [rnd.choice(["", "", "@", "=", "<", ">", "!"])]
    for _ in range(rnd.randint(0, 6)):
        if rnd.random() < 0.3:
            parts.append(str(rnd.choice([0, 1, 2, 3, 5, 8, 13, 100])))
        parts.append(rnd.choice(CODES))
        if rnd.random() < 0.1:
            parts.append(rnd.choice(" \t"))
    if rnd.random() < 0.05:  # something struct refuses
        pos = rnd.randint(0, len(parts))
        parts.insert(pos, rnd.choice(["y", "u", "O", "4", "9 ", "&", "{", "Zf"]))
    return "".join(parts)


def test_calcsize(lib, rnd, rep, n):
    for case in range(n):
        fmt = rand_format(rnd)
        try:
            want = ("NDV_OK", struct.calcsize(fmt))
        except struct.error:
            want = None
        got = lib.calcsize(fmt)
        if want is None:
            # struct refuses; ndview accepts only its PEP 3118 extensions.
            ok = got[0] in ("NDV_ERR_FORMAT", "NDV_ERR_OVERFLOW") or "Z" in fmt
        else:
            ok = got == want
        rep.check(ok, "case %d: calcsize(%r): ndview %r, struct %r" % (case, fmt, got, want))
    rep.close("calcsize vs struct.calcsize")


# ---------------------------------------------------------------------------
# Random structures, drawn as test_buffer.py draws them
# ---------------------------------------------------------------------------

ITEM_FORMATS = ["B", "b", "h", "i", "q", "d"]


def items_for(fmt, n):
    if fmt == "d":
        return [float(i) + 0.5 for i in range(n)]
    lo = {"B": 0, "b": -128, "h": -1000, "i": -100000, "q": -(2 ** 40)}[fmt]
    mod = {"B": 256, "b": 256}.get(fmt, 10 ** 9)
    return [lo + (i * 37) % mod for i in range(n)]


class Case:
    """One structure built twice: as a _testbuffer.ndarray and as an ndview view."""

    def __init__(self, lib, fmt, memlen, shape, strides, offset, writable):
        itemsize = struct.calcsize(fmt)
        self.lib, self.fmt, self.itemsize = lib, fmt, itemsize
        self.items = items_for(fmt, memlen // itemsize)
        flags = tb.ND_WRITABLE if writable else 0
        self.nd = ndarray(self.items, shape=shape, strides=strides, offset=offset,
                          format=fmt, flags=flags)
        flat = ndarray(self.items, shape=[len(self.items)], format=fmt)
        self.mem = ctypes.create_string_buffer(flat.tobytes(), memlen)
        self.status, self.view = lib.from_memory(self.mem, fmt, shape, strides, offset,
                                                 readonly=not writable)

    def value_at(self, view, index):
        st, p = self.lib.get_pointer(view, index)
        if st != "NDV_OK":
            return st
        return struct.unpack(self.fmt, ctypes.string_at(p, self.itemsize))[0]

    def release(self):
        self.lib.release(self.view)


def compare_values(case, view, nd, rep, what):
    """Every item through ndv_get_pointer against nd.tolist()."""
    shape = view.tup("shape") or ()
    lst = nd.tolist()
    for index in itertools.islice(itertools.product(*[range(n) for n in shape]), 400):
        got = case.value_at(view, index)
        rep.check(got == nested(lst, index), "%s: item %r: ndview %r, CPython %r"
                  % (what, index, got, nested(lst, index)))


def compare_flags(lib, view, m, rep, what):
    got = (lib.contiguous(view, "C"), lib.contiguous(view, "F"), lib.contiguous(view, "A"))
    want = (m.c_contiguous, m.f_contiguous, m.contiguous)
    rep.check(got == want, "%s: contiguity C/F/A ndview %r, memoryview %r" % (what, got, want))


def test_structures(lib, rnd, rep, n):
    for case_no in range(n):
        fmt = rnd.choice(ITEM_FORMATS)
        t = rand_structure(rnd, struct.calcsize(fmt))
        what = "case %d (%s)" % (case_no, describe(fmt, *t))
        c = Case(lib, fmt, *t, writable=rnd.random() < 0.5)
        if not rep.check(c.status == "NDV_OK", what + ": construction " + c.status):
            continue
        m = memoryview(c.nd)
        rep.check(c.view.tup("shape") == m.shape or c.view.ndim == 0 and m.shape == (),
                  what + ": shape")
        rep.check(c.view.len == m.nbytes and c.view.readonly == m.readonly, what + ": len/readonly")
        compare_flags(lib, c.view, m, rep, what)
        compare_values(c, c.view, c.nd, rep, what)
        c.release()
    rep.close("random structures: contiguity, get_pointer vs memoryview/_testbuffer")


def test_invalid_structures(lib, rnd, rep, n):
    """Structures pushed one item out of bounds must be refused by both."""
    for case_no in range(n):
        fmt = rnd.choice(ITEM_FORMATS)
        itemsize = struct.calcsize(fmt)
        memlen, shape, strides, offset = rand_structure(rnd, itemsize)
        if 0 in shape:
            continue
        if rnd.random() < 0.5:
            offset += rnd.choice([-1, 1]) * itemsize * rnd.randint(1, 3)
        else:
            memlen -= itemsize * rnd.randint(1, 2)
        memlen = max(memlen, itemsize)
        items = items_for(fmt, memlen // itemsize)
        try:
            ndarray(items, shape=shape, strides=strides, offset=offset, format=fmt)
            cpython_ok = True
        except (ValueError, TypeError):
            cpython_ok = False
        mem = ctypes.create_string_buffer(memlen)
        st, v = lib.from_memory(mem, fmt, shape, strides, offset)
        rep.check((st == "NDV_OK") == cpython_ok, "case %d (%s): ndview %s, CPython %s" % (
            case_no, describe(fmt, memlen, shape, strides, offset), st,
            "ok" if cpython_ok else "refused"))
        if st == "NDV_OK":
            lib.release(v)
    rep.close("invalid structures refused as _testbuffer refuses them")


# ---------------------------------------------------------------------------
# Slicing
# ---------------------------------------------------------------------------

def bounds(n):
    return [None] + list(range(-n - 2, n + 3))


def test_slicing_1d(lib, rep):
    for n in range(0, 7):
        data = bytes(range(10, 10 + n))
        mem = ctypes.create_string_buffer(data, max(n, 1))
        st, v = lib.from_memory(mem, "B", [n], None, 0)
        base = ctypes.addressof(mem)
        for start, stop in itertools.product(bounds(n), bounds(n)):
            for step in [None] + [s for s in range(-n - 2, n + 3) if s != 0]:
                m = memoryview(data)[start:stop:step]
                st, s = lib.slice(v, 0, start, stop, step)
                what = "len %d [%r:%r:%r]" % (n, start, stop, step)
                if not rep.check(st == "NDV_OK", what + ": " + st):
                    continue
                ok = s.tup("shape") == m.shape and s.tup("strides") == m.strides
                if m.shape[0] > 0:
                    ok = ok and ctypes.string_at(s.buf, 1)[0] == m[0]
                    ok = ok and s.buf - base == m[0] - 10
                rep.check(ok, what + ": shape/strides/first item differ")
                compare_flags(lib, s, m, rep, what)
                lib.release(s)
        lib.release(v)
    rep.close("1-D slicing vs memoryview (exhaustive, lengths 0-6)")


def rand_slice(rnd, n):
    def b():
        return None if rnd.random() < 0.2 else rnd.randint(-n - 2, n + 2)
    step = None if rnd.random() < 0.2 else rnd.choice([s for s in range(-n - 2, n + 3) if s])
    return slice(b(), b(), step)


def test_slicing_nd(lib, rnd, rep, n):
    for case_no in range(n):
        fmt = rnd.choice(ITEM_FORMATS)
        t = rand_structure(rnd, struct.calcsize(fmt))
        c = Case(lib, fmt, *t, writable=False)
        if c.status != "NDV_OK" or c.view.ndim == 0:
            continue
        view = c.view
        what = "case %d (%s)" % (case_no, describe(fmt, *t))
        for _ in range(rnd.randint(1, 3)):  # slices of slices
            dim = rnd.randrange(view.ndim)
            shape = view.tup("shape")
            sl = rand_slice(rnd, shape[dim])
            key = tuple(slice(None) for _ in range(dim)) + (sl,)
            nd = c.nd[key] if view is not c.view else c.nd[key]
            st, s = lib.slice(view, dim, sl.start, sl.stop, sl.step)
            what += " [dim %d %r]" % (dim, sl)
            if not rep.check(st == "NDV_OK", what + ": " + st):
                break
            rep.check(s.tup("shape") == nd.shape and s.tup("strides") == nd.strides,
                      what + ": ndview %r %r, _testbuffer %r %r" % (
                          s.tup("shape"), s.tup("strides"), nd.shape, nd.strides))
            compare_flags(lib, s, memoryview(nd), rep, what)
            compare_values(c, s, nd, rep, what)
            if view is not c.view:
                lib.release(view)
            view, c.nd = s, nd
        if view is not c.view:
            lib.release(view)
        c.release()
    rep.close("N-D slicing on any dimension, slices of slices, vs _testbuffer.ndarray")


# ---------------------------------------------------------------------------
# Cast
# ---------------------------------------------------------------------------

CAST_SOURCES = ["B", "b", "c", "i", "<i", "d", "2h", "@B", "?", "q"]
CAST_DESTS = ["B", "c", "b", "i", "@i", "d", "<i", "2i", "x", "s", "?", "q", "h", "@B",
              "P", "n", "N", "l", "L", "f", "H", "I", "Q"] + (["e"] if HAVE_E else [])


def src_items(fmt, n):
    if fmt == "c":
        return [bytes([65 + i % 26]) for i in range(n)]
    if fmt == "?":
        return [bool(i % 2) for i in range(n)]
    if fmt == "2h":
        return [(i, -i) for i in range(n)]
    if fmt == "d":
        return [i + 0.25 for i in range(n)]
    return [i % 100 for i in range(n)]


def rand_cast_shape(rnd, nbytes, itemsize):
    r = rnd.random()
    if r < 0.3:
        return None
    n = nbytes // itemsize if itemsize else 0
    if r < 0.4:
        return []
    if r < 0.6:
        return [n]
    if r < 0.8 and n:
        d = rnd.choice([x for x in range(1, n + 1) if n % x == 0])
        return [d, n // d]
    return [rnd.choice([0, -1, 1, 2, 3, n + 1]) for _ in range(rnd.randint(1, 3))]


def cpython_cast(m, fmt, shape):
    try:
        r = m.cast(fmt) if shape is None else m.cast(fmt, shape)
        return ("NDV_OK", None, r)
    except (TypeError, ValueError) as e:
        return (ERR_CLASS[type(e)], str(e), None)


def test_cast(lib, rnd, rep, n):
    for case_no in range(n):
        fmt = rnd.choice(CAST_SOURCES)
        itemsize = struct.calcsize(fmt)
        ndim = rnd.randint(0, 3)
        shape = [rnd.choice([0, 1, 2, 3, 4]) if rnd.random() < 0.15 else rnd.randint(1, 4)
                 for _ in range(ndim)]
        count = 1
        for x in shape:
            count *= x
        items = src_items(fmt, max(count, 1))
        nd = ndarray(items if ndim else items[0], shape=shape, format=fmt)
        mem = ctypes.create_string_buffer(ndarray(items, shape=[len(items)], format=fmt).tobytes(),
                                          max(count, 1) * itemsize)
        st, v = lib.from_memory(mem, fmt, shape, None, 0)
        m = memoryview(nd)
        step = rnd.random() < 0.2 and ndim > 0
        if step:  # a strided source
            m = m[::2]
            st, s = lib.slice(v, 0, None, None, 2)
            lib.release(v)
            v = s
        dest = rnd.choice(CAST_DESTS)
        cshape = rand_cast_shape(rnd, m.nbytes, struct.calcsize(dest.lstrip("<")) or 1)
        what = "case %d: memoryview(%s shape %r%s).cast(%r, %r)" % (
            case_no, fmt, shape, "[::2]" if step else "", dest, cshape)
        want_st, want_msg, r = cpython_cast(m, dest, cshape)
        got_st, out = lib.cast(v, dest, cshape)
        got_msg = None if got_st == "NDV_OK" else lib.errmsg()
        rep.check((got_st, got_msg) == (want_st, want_msg),
                  "%s: ndview %s %r, CPython %s %r" % (what, got_st, got_msg, want_st, want_msg))
        if got_st == want_st == "NDV_OK":
            got = (out.format.decode(), out.itemsize, out.ndim, out.tup("shape") or (),
                   out.tup("strides") or (), out.len, lib.contiguous(out, "C"))
            want = (r.format, r.itemsize, r.ndim, r.shape, r.strides, r.nbytes, r.c_contiguous)
            rep.check(got == want, "%s: result ndview %r, CPython %r" % (what, got, want))
            lib.release(out)
        lib.release(v)
    rep.close("cast results, error classes and messages vs memoryview.cast")


# ---------------------------------------------------------------------------
# Buffer requests
# ---------------------------------------------------------------------------

REQUESTS = [tb.PyBUF_SIMPLE, tb.PyBUF_WRITABLE, tb.PyBUF_FORMAT, tb.PyBUF_ND,
            tb.PyBUF_STRIDES, tb.PyBUF_C_CONTIGUOUS, tb.PyBUF_F_CONTIGUOUS,
            tb.PyBUF_ANY_CONTIGUOUS, tb.PyBUF_INDIRECT, tb.PyBUF_CONTIG, tb.PyBUF_CONTIG_RO,
            tb.PyBUF_STRIDED, tb.PyBUF_STRIDED_RO, tb.PyBUF_RECORDS, tb.PyBUF_RECORDS_RO,
            tb.PyBUF_FULL, tb.PyBUF_FULL_RO]
REQUESTS += [r | tb.PyBUF_FORMAT for r in REQUESTS] + [r | tb.PyBUF_WRITABLE for r in REQUESTS]


def test_get_buffer(lib, rnd, rep, n):
    for case_no in range(n):
        fmt = rnd.choice(ITEM_FORMATS)
        t = rand_structure(rnd, struct.calcsize(fmt))
        c = Case(lib, fmt, *t, writable=rnd.random() < 0.5)
        if c.status != "NDV_OK":
            continue
        m = memoryview(c.nd)
        for req in REQUESTS:
            what = "case %d (%s) request 0x%x" % (case_no, describe(fmt, *t), req)
            try:
                x = ndarray(m, getbuf=req)
                want = ("NDV_OK", None)
            except BufferError as e:
                want, x = ("NDV_ERR_BUFFER", str(e)), None
            st, out = lib.get_buffer(c.view, req)
            got = (st, None if st == "NDV_OK" else lib.errmsg())
            rep.check(got == want, "%s: ndview %r, CPython %r" % (what, got, want))
            if st == "NDV_OK" and x is not None:
                # ndarray shows () for a NULL shape/strides and '' for a NULL format.
                got_meta = (out.ndim, out.tup("shape") or (), out.tup("strides") or (),
                            out.len, out.itemsize, out.readonly,
                            out.format.decode() if req & tb.PyBUF_FORMAT else "")
                want_meta = (x.ndim, x.shape, x.strides, x.nbytes, x.itemsize, x.readonly,
                             x.format)
                rep.check(got_meta == want_meta, "%s: ndview %r, CPython %r"
                          % (what, got_meta, want_meta))
            if st == "NDV_OK":
                lib.release(out)
            if c.view.suboffsets:  # ndv_fill_buffer is for direct N-D memory
                continue
            st, b = lib.fill_buffer(c.view, req)
            got = (st, None if st == "NDV_OK" else lib.errmsg())
            rep.check(got == want, "%s: fill_buffer %r, CPython %r" % (what, got, want))
            if st == "NDV_OK" and x is not None:
                got_meta = (b.ndim, b.tup("shape") or (), b.tup("strides") or (), b.len,
                            b.itemsize, bool(b.readonly), (b.format or b"").decode())
                want_meta = (x.ndim, x.shape, x.strides, x.nbytes, x.itemsize, x.readonly,
                             x.format)
                rep.check(got_meta == want_meta, "%s: fill_buffer %r, CPython %r"
                          % (what, got_meta, want_meta))
        c.release()
    rep.close("buffer requests (memory_getbuf) vs _testbuffer.ndarray(getbuf=...), through "
              "ndv_get_buffer and ndv_fill_buffer")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("lib")
    ap.add_argument("--seed", type=int, default=20261125)
    ap.add_argument("--cases", type=int, default=3000,
                    help="random structures per category (calcsize gets 10x)")
    args = ap.parse_args()
    lib = Lib(args.lib)
    rnd = random.Random(args.seed)
    rep = Report(args.seed)
    print("# oracle: CPython %s, seed %d" % (sys.version.split()[0], args.seed))
    test_calcsize(lib, rnd, rep, 10 * args.cases)
    test_structures(lib, rnd, rep, args.cases)
    test_invalid_structures(lib, rnd, rep, args.cases)
    test_slicing_1d(lib, rep)
    test_slicing_nd(lib, rnd, rep, args.cases)
    test_cast(lib, rnd, rep, args.cases)
    test_get_buffer(lib, rnd, rep, args.cases // 3)
    print("1..%d" % rep.n)
    return 1 if rep.failed else 0


if __name__ == "__main__":
    sys.exit(main())
