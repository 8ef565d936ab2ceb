"""DLPack both ways from Python: numpy.from_dlpack(View(a)) and View.from_dlpack(a)
round-trip every NumPy numeric dtype, 0-d to 4-d, with negative and zero-length
strides, without copying; the refusals have clear messages; a tensor outlives
its View and a View outlives the producer's array. Prints TAP.

usage: dlpack_test.py   (the built module on PYTHONPATH)
"""
import gc
import sys

import numpy as np

import ndview

DTYPES = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64,
          np.float16, np.float32, np.float64, np.complex64, np.complex128]


def arrays(dtype):
    """0-d to 4-d arrays of dtype: contiguous, reversed, strided, transposed, empty."""
    rng = np.random.default_rng(5)
    for shape in [(), (7,), (3, 5), (2, 3, 4), (2, 3, 2, 3), (0, 4)]:
        raw = rng.integers(0, 256, size=int(np.prod(shape)) * np.dtype(dtype).itemsize,
                           dtype=np.uint8)
        a = raw.view(dtype).reshape(shape) if shape else raw.view(dtype).reshape(())
        yield a
        if a.ndim:
            yield a[::-1]
            yield a[..., ::2]
            yield a.T
            yield a[::-2, ...].T


def same(x, y):
    return x.shape == y.shape and x.dtype == y.dtype and x.tobytes() == y.tobytes()


class Report:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def check(self, ok, what):
        self.n += 1
        if not ok:
            self.failed += 1
            print('not ok %d - %s' % (self.n, what))
        else:
            print('ok %d - %s' % (self.n, what))


def raises(exc, text, fn):
    try:
        fn()
    except exc as e:
        return text in str(e)
    return False


class Holder:
    """An object offering a stored capsule through __dlpack__ (as a tensor library would)."""

    def __init__(self, capsule):
        self.capsule = capsule

    def __dlpack__(self, stream=None):
        return self.capsule

    def __dlpack_device__(self):
        return (1, 0)


def main():
    rep = Report()
    for dtype in DTYPES:
        exported = imported = 0
        ok_out = ok_in = True
        for a in arrays(dtype):
            # View -> NumPy: the same memory, the same values.
            back = np.from_dlpack(ndview.View(a))
            ok_out &= same(back, a) and (a.size == 0 or np.shares_memory(back, a))
            exported += 1
            # NumPy -> View: the same values and geometry as memoryview's.
            v = ndview.View.from_dlpack(a)
            m = memoryview(a)
            # (NumPy's buffer export normalizes the strides of extent-1 dimensions, DLPack not)
            ok_in &= (v.shape == m.shape and all(x == y or n == 1 for x, y, n in zip(
                      v.strides, m.strides, m.shape)) and
                      v.tobytes() == m.tobytes() and v.obj is a)
            if a.size and np.dtype(dtype).kind in 'iu':
                ok_in &= v.tolist() == a.tolist()
            imported += 1
        rep.check(ok_out, 'numpy.from_dlpack(View(a)) for %d %s arrays (0-d to 4-d, negative '
                  'strides), no copy' % (exported, np.dtype(dtype).name))
        rep.check(ok_in, 'View.from_dlpack(a) for %d %s arrays' % (imported, np.dtype(dtype).name))

    # Refusals, each with its message. NumPy 1.24 has no DLPack bool (kDLBool is DLPack 0.8).
    flags = np.array([True, False])
    rep.check(raises(RuntimeError, 'Unsupported dtype', lambda: np.from_dlpack(
        ndview.View(flags))), "bool: NumPy refuses ndview's kDLBool tensor with its message")
    rep.check(raises(BufferError, 'DLPack only supports', lambda: ndview.View.from_dlpack(flags)),
              "bool: NumPy's __dlpack__ refuses, and View.from_dlpack passes its message on")
    ro = np.arange(4, dtype=np.int32)
    ro.flags.writeable = False
    rep.check(raises(BufferError, 'readonly', lambda: ndview.View(ro).__dlpack__()),
              'a read-only View is refused (DLPack 0.6 cannot say so)')
    rep.check(raises(TypeError, 'byte', lambda: ndview.View(np.arange(3, dtype='>i4')).__dlpack__()),
              'a byte-swapped format is refused')
    rep.check(raises(TypeError, "'c'", lambda: ndview.View(bytearray(8)).cast('c').__dlpack__()),
              "a format with no DLPack dtype ('c') is refused")
    rec = np.zeros(3, dtype=[('a', 'i4'), ('b', 'f8')])
    rep.check(raises(TypeError, '', lambda: ndview.View(rec).__dlpack__()),
              'a multi-field format is refused')
    odd = np.ndarray((3,), np.int32, bytearray(40), 0, (6,))
    rep.check(raises(ValueError, 'multiple', lambda: ndview.View(odd).__dlpack__()),
              'strides that are not a multiple of the itemsize are refused')
    rep.check(raises(RuntimeError, 'stream', lambda: ndview.View(bytearray(4)).__dlpack__(stream=1)),
              'a stream other than None is refused')
    released = ndview.View(bytearray(4))
    released.release()
    rep.check(raises(ValueError, 'released', released.__dlpack__), 'a released View is refused')
    cap = ndview.View(np.arange(3.0)).__dlpack__()
    ndview.View.from_dlpack(Holder(cap))
    rep.check(raises(ValueError, '', lambda: ndview.View.from_dlpack(Holder(cap))),
              'a capsule is taken once (the second use is refused)')
    rep.check(raises(AttributeError, '__dlpack__', lambda: ndview.View.from_dlpack(b'abc')),
              'an object without __dlpack__ is refused')
    rep.check(ndview.View(np.arange(2.0)).__dlpack_device__() == (1, 0), '__dlpack_device__')

    # Lifetimes: the tensor outlives its View, the View outlives the producer's array.
    base = np.arange(6, dtype=np.float64)
    before = sys.getrefcount(base)
    v = ndview.View(base)
    cap = v.__dlpack__()
    v.release()  # the tensor holds the memory, not an export: release succeeds
    del v
    gc.collect()
    out = np.from_dlpack(Holder(cap))
    ok = out.tolist() == list(range(6)) and np.shares_memory(out, base)
    del out, cap
    gc.collect()
    rep.check(ok and sys.getrefcount(base) == before,
              'a tensor outlives its View; the exporter is let go when the array is')
    a = np.arange(5, dtype=np.int16)
    w = ndview.View.from_dlpack(a)
    del a
    gc.collect()
    rep.check(w.tolist() == [0, 1, 2, 3, 4], "a View outlives the producer's name for the array")
    unused = ndview.View(np.arange(3.0)).__dlpack__()
    del unused  # an unused capsule deletes its tensor (no leak under ASan)
    print('1..%d' % rep.n)
    sys.exit(1 if rep.failed else 0)


if __name__ == '__main__':
    main()
