"""Converting copies (ndv_convert, ndv_can_cast, ndv_fill) against NumPy:
np.can_cast over every pair of numeric types x byte orders x casting
modes; np.copyto(dst, src, casting) over random pairs of types, layouts
(contiguous, strided, negative, zero-stride broadcast, transposed,
overlapping) and values (random bits, every special value), compared byte
for byte; every float16 bit pattern through float32/float64 and back.
A float NumPy cannot define in an integer (NaN, infinite, out of range)
must be refused with NDV_ERR_VALUE, dst converted before it in C order and
unchanged from it on. Prints TAP.

usage: convert_diff.py LIBNDVIEW [--cases N] [--seed S]   (Debian's python3 with NumPy)"""
import argparse
import ctypes
import os
import random
import sys
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Report  # noqa: E402
from ndview_ctypes import STATUS, Lib, Value, View  # noqa: E402

TYPES = "?bBhHiIlLqQefdFD"
CASTINGS = ["no", "equiv", "safe", "same_kind", "unsafe"]
ERRORS = {"TypeError": "NDV_ERR_TYPE", "ValueError": "NDV_ERR_VALUE"}


def bind(lib):
    V = ctypes.POINTER(View)
    for name, args in {"ndv_can_cast": [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int,
                                        ctypes.POINTER(ctypes.c_bool)],
                       "ndv_convert": [V, V, ctypes.c_int],
                       "ndv_fill": [V, ctypes.POINTER(Value)]}.items():
        f = getattr(lib.lib, name)
        f.restype = ctypes.c_int
        f.argtypes = args


def dtypes():
    out = []
    for t in TYPES:
        for order in "<>":
            dt = np.dtype(t).newbyteorder(order)
            out.append((dt, memoryview(np.zeros(1, dt)).format))  # NumPy's own spelling
    return out


def check_can_cast(lib, rep):
    for a, fa in dtypes():
        for b, fb in dtypes():
            for mode, name in enumerate(CASTINGS):
                ok = ctypes.c_bool()
                st = STATUS[lib.lib.ndv_can_cast(fa.encode(), fb.encode(), mode, ctypes.byref(ok))]
                want = np.can_cast(a, b, name)
                rep.check(st == "NDV_OK" and ok.value == want, "can_cast(%r, %r, %r): %s %s, "
                          "NumPy %s" % (fa, fb, name, st, ok.value, want))
    rep.close("can_cast: every pair of types x byte orders x casting modes")


SPECIAL_F = [0.0, -0.0, np.inf, -np.inf, np.nan, 1e-45, -1e-45, 5.96e-8, 6.1e-5, 65504.0,
             65520.0, 3.4e38, 1e308, 2.0 ** 63, -2.0 ** 63, 2.0 ** 64, 127.5, -128.5, 255.5,
             -0.5, 0.5, 1.5, 2.5, 4294967295.5, 2.0 ** 31, -2.0 ** 31 - 1]


def random_bytes(rnd, base):
    base[:] = np.frombuffer(bytes(rnd.getrandbits(8) for _ in range(base.size)), np.uint8)


def fill_values(rnd, arr):
    """Special values of arr's kind over some of its (random-bit) items."""
    kind = arr.dtype.kind
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for idx in np.ndindex(arr.shape):
            if kind in "fc" and rnd.random() < 0.3:
                arr[idx] = rnd.choice(SPECIAL_F) * (1 if kind == "f" else rnd.choice([1, 1j]))
            elif kind in "iu" and rnd.random() < 0.15:
                info = np.iinfo(arr.dtype)
                arr[idx] = rnd.choice([info.min, info.max, 0, 1])


def rand_layout(rnd, shape, itemsize):
    """Strides (any sign, maybe transposed) and the memory they need."""
    strides, acc = [0] * len(shape), itemsize
    order = list(range(len(shape)))
    if rnd.random() < 0.3:
        rnd.shuffle(order)  # transposed
    for i in reversed(order):
        step = rnd.choice([1, 1, 1, 2, 3])
        strides[i] = acc * step * rnd.choice([1, 1, -1])
        acc *= step * max(shape[i], 1)
    lo = sum(s * (n - 1) for s, n in zip(strides, shape) if s < 0 and n)
    return strides, -lo, acc + rnd.randint(0, 2) * itemsize


def strided(base, dt, shape, strides, offset):
    return np.ndarray(shape, dt, buffer=base, offset=offset, strides=strides)


def float_refusal(src, dst):
    """The first C-order index whose float NumPy cannot define in dst's integers, or None."""
    if dst.dtype.kind not in "iub" or src.dtype.kind not in "fc" or dst.dtype.kind == "b":
        return None
    if src.ndim > dst.ndim:  # NumPy drops the source's leading extents of 1
        src = src.reshape(src.shape[src.ndim - dst.ndim:])
    vals = np.broadcast_to(src, dst.shape).real.astype(np.float64).reshape(-1)
    info = np.iinfo(dst.dtype)
    with np.errstate(invalid="ignore"):
        t = np.trunc(vals)
        bad = ~np.isfinite(vals) | (t < info.min) | (t > float(info.max))
    if dst.dtype.itemsize == 8:  # float(2**63 - 1) is 2**63: not representable
        bad |= t >= 2.0 ** (63 if info.min < 0 else 64)
    idx = np.flatnonzero(bad)
    return int(idx[0]) if idx.size else None


def check_copyto(lib, rep, rnd, types):
    a, fa = rnd.choice(types)
    b, fb = rnd.choice(types) if rnd.random() < 0.8 else (a, fa)
    mode = rnd.randrange(5) if rnd.random() < 0.3 else 4
    dshape = [rnd.randint(0, 4) if rnd.random() < 0.1 else rnd.randint(1, 5)
              for _ in range(rnd.randint(0, 4))]
    sshape = list(dshape[rnd.randint(0, len(dshape)):]) if rnd.random() < 0.2 else list(dshape)
    sshape = [1 if rnd.random() < 0.15 else n for n in sshape]  # broadcast dimensions
    if rnd.random() < 0.03:
        sshape = sshape + [2]  # cannot broadcast
    ds, doff, dlen = rand_layout(rnd, dshape, b.itemsize)
    ss, soff, slen = rand_layout(rnd, sshape, a.itemsize)
    overlap = rnd.random() < 0.15
    dbase = np.zeros(dlen + (slen if overlap else 0), np.uint8)
    sbase = dbase if overlap else np.zeros(slen, np.uint8)
    if overlap:
        soff += rnd.randint(0, dlen)
    random_bytes(rnd, dbase)
    if not overlap:
        random_bytes(rnd, sbase)
    dst = strided(dbase, b, dshape, ds, doff)
    src = strided(sbase, a, sshape, ss, soff)
    fill_values(rnd, src)
    what = "%r%r strides %r -> %r%r strides %r%s, %s" % (
        fa, sshape, ss, fb, dshape, ds, " overlapping" if overlap else "", CASTINGS[mode])
    before = dbase.copy()
    expect, want = dbase.copy(), "NDV_OK"
    e_dst = strided(expect, b, dshape, ds, doff)
    e_src = strided(expect if overlap else sbase, a, sshape, ss, soff).copy()
    refusal = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # ndview's casting rule is the dtypes' (np.can_cast), also for a 0-d source,
            # where NumPy 1.24 still looks at the value (NEP 50 dropped that in NumPy 2).
            if not np.can_cast(a, b, CASTINGS[mode]):
                raise TypeError("Cannot cast array data")
            np.copyto(e_dst, e_src, casting="unsafe")
            refusal = float_refusal(e_src, e_dst) if e_dst.size else None
    except (TypeError, ValueError) as e:
        want = ERRORS[type(e).__name__]
    mem = (ctypes.c_char * len(dbase)).from_buffer(dbase)
    smem = mem if overlap else (ctypes.c_char * len(sbase)).from_buffer(sbase)
    st1, vd = lib.from_memory(mem, fb, dshape, ds, doff)
    st2, vs = lib.from_memory(smem, fa, sshape, ss, soff)
    assert st1 == st2 == "NDV_OK", (lib.errmsg(), what)
    st = STATUS[lib.lib.ndv_convert(ctypes.byref(vd), ctypes.byref(vs), mode)]
    if want == "NDV_OK" and refusal is not None:
        want = "NDV_ERR_VALUE"
        # NumPy's values before the refused item, the old ones from it on (C order).
        got_items = [dst[np.unravel_index(i, dshape)].tobytes() for i in range(dst.size)]
        old = strided(before, b, dshape, ds, doff)
        want_items = [(e_dst if i < refusal else old)[np.unravel_index(i, dshape)].tobytes()
                      for i in range(dst.size)]
        rep.check(st == want and got_items == want_items, "%s: ndview %s (%s), NumPy refuses "
                  "item %d; items %s" % (what, st, lib.errmsg(), refusal,
                                         "match" if got_items == want_items else "differ"))
    elif want != "NDV_OK":
        rep.check(st == want and bytes(dbase) == bytes(before),
                  "%s: ndview %s (%s), NumPy %s; dst %s" % (what, st, lib.errmsg(), want,
                                                          "kept" if bytes(dbase) == bytes(before)
                                                          else "written"))
    else:
        rep.check(st == "NDV_OK" and bytes(dbase) == bytes(expect),
                  "%s: ndview %s (%s)%s" % (what, st, lib.errmsg(),
                                            "" if st != "NDV_OK" else ", bytes differ"))
    lib.release(vd)
    lib.release(vs)


def check_half_patterns(lib, rep):
    """All 65,536 float16 patterns to float32/float64 and back, as NumPy converts them."""
    halves = np.arange(65536, dtype=np.uint16).view(np.float16)
    for wide in (np.float32, np.float64):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            want = halves.astype(wide)
            back = want.astype(np.float16)
        for src, dst_dtype, expect in ((halves, wide, want), (want, np.float16, back)):
            out = np.zeros(65536, dst_dtype)
            smem = (ctypes.c_char * src.nbytes).from_buffer(src)
            dmem = (ctypes.c_char * out.nbytes).from_buffer(out)
            fs = memoryview(src).format
            fd = memoryview(out).format
            _, vs = lib.from_memory(smem, fs, [65536], None, 0)
            _, vd = lib.from_memory(dmem, fd, [65536], None, 0)
            st = STATUS[lib.lib.ndv_convert(ctypes.byref(vd), ctypes.byref(vs), 4)]
            w = out.itemsize
            got_b, want_b = out.tobytes(), expect.tobytes()
            diff = [i for i in range(65536) if got_b[i * w:(i + 1) * w] != want_b[i * w:(i + 1) * w]]
            rep.check(st == "NDV_OK" and not diff, "%s -> %s: %s, %d patterns differ (first %r)"
                      % (fs, fd, st, len(diff), diff[:3]))
            lib.release(vs)
            lib.release(vd)
    rep.close("every float16 pattern through float32/float64 and back")


def check_fill(lib, rep, rnd, types):
    for _ in range(200):
        b, fb = rnd.choice(types)
        shape = [rnd.randint(0, 4) for _ in range(rnd.randint(0, 3))]
        ds, doff, dlen = rand_layout(rnd, shape, b.itemsize)
        base = np.zeros(dlen, np.uint8)
        dst = strided(base, b, shape, ds, doff)
        x = rnd.choice([0, 1, -1, 7, 300, 2.5, True, 1e300, -(2 ** 63), 2 ** 64 - 1])
        v = Value.of(x)
        mem = (ctypes.c_char * len(base)).from_buffer(base)
        _, vd = lib.from_memory(mem, fb, shape, ds, doff)
        before = bytes(base)
        st = STATUS[lib.lib.ndv_fill(ctypes.byref(vd), ctypes.byref(v))]
        item = ctypes.create_string_buffer(b.itemsize)
        _, one = lib.from_memory(item, fb, [], None, 0)
        packed = STATUS[lib.lib.ndv_pack_item(ctypes.byref(one), None, ctypes.byref(v), 1)]
        lib.release(one)
        if packed != "NDV_OK":
            rep.check(st == packed and bytes(base) == before, "fill %r with %r: %s, pack %s" % (
                fb, x, st, packed))
        else:
            want = np.full(shape, np.frombuffer(item.raw, b)[0] if dst.size else 0, b)
            rep.check(st == "NDV_OK" and (dst.size == 0 or dst.tobytes() == want.tobytes()),
                      "fill %r%r with %r: %s" % (fb, shape, x, st))
        lib.release(vd)
    rep.close("fill: every item, pack_item's rules, nothing written on refusal")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("lib")
    ap.add_argument("--cases", type=int, default=100000)
    ap.add_argument("--seed", type=int, default=random.randrange(1 << 30))
    args = ap.parse_args()
    print("# seed %d, %d copyto cases, NumPy %s" % (args.seed, args.cases, np.__version__))
    lib = Lib(args.lib)
    bind(lib)
    rep = Report(args.seed)
    types = dtypes()
    check_can_cast(lib, rep)
    rnd = random.Random(args.seed)
    for _ in range(args.cases):
        check_copyto(lib, rep, rnd, types)
    rep.close("copyto: random types, layouts, overlaps, casting modes and values")
    check_half_patterns(lib, rep)
    check_fill(lib, rep, rnd, types)
    print("1..%d" % rep.n)
    return 1 if rep.failed else 0


if __name__ == "__main__":
    sys.exit(main())
