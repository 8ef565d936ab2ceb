"""View against memoryview and NumPy, with hypothesis drawing the cases.

Random exporters (NumPy arrays of every native struct type, 0-d to 4-d,
sliced with negative and zero-length steps, transposed), random subscripts
(integers in and out of range, slices, tuples of integers, slices, None and
...) and random assignments (items and slices, values in and out of range,
of the wrong type). For every key memoryview answers, View must give the same
answer or raise the same exception class; where memoryview refuses
(NotImplementedError, or TypeError for None and ...), View must give
NumPy's answer (docs/python.md), or both refuse. Assignments must leave the
same bytes behind. Prints TAP; the seed is printed and taken with --seed.

usage: hypothesis_test.py [--examples N] [--seed S]   (the built module on PYTHONPATH)
"""
import argparse
import random
import sys

import numpy as np
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

import ndview

CODES = list("bBhHiIlLqQfd?")


@st.composite
def arrays(draw):
    """A NumPy array, possibly a strided, reversed or transposed view of a bigger one."""
    code = draw(st.sampled_from(CODES))
    ndim = draw(st.integers(0, 4))
    base_shape = [draw(st.integers(0 if i else 1, 5)) for i in range(ndim)]
    rnd = random.Random(draw(st.integers(0, 2**32 - 1)))
    n = int(np.prod(base_shape)) if ndim else 1
    raw = bytes(rnd.getrandbits(8) for _ in range(n * np.dtype(code).itemsize))
    a = np.frombuffer(bytearray(raw), dtype=code).reshape(base_shape).copy()
    if code == '?':
        a = a.view(np.uint8) % 2 == 1
    if code in 'fd':
        a[np.isnan(a)] = 0.5  # NaN != NaN would hide real differences in ==
    steps = tuple(slice(None, None, draw(st.sampled_from([1, 2, -1, -2]))) for _ in range(ndim))
    a = a[steps] if ndim else a
    if ndim > 1 and draw(st.booleans()):
        a = a.transpose(draw(st.permutations(range(ndim))))
    return a


def subscripts(ndim):
    index = st.integers(-7, 7)
    part = st.one_of(index, st.builds(slice, st.none() | index, st.none() | index,
                                      st.none() | st.sampled_from([1, 2, -1, -3, 0])))
    extra = st.sampled_from([None, Ellipsis])
    member = st.one_of(part, part, part, extra)
    return st.one_of(part, extra, st.tuples(), st.lists(member, max_size=ndim + 1).map(tuple),
                     st.lists(index, min_size=ndim, max_size=ndim).map(tuple))


def outcome(fn):
    """('ok', value) or ('raised', exception class)."""
    try:
        return 'ok', fn()
    except Exception as e:  # noqa: BLE001 - the class is the result
        return 'raised', type(e)


def plain(x):
    """Comparable form of an answer: a view's shape, strides and values, or the value."""
    if isinstance(x, (memoryview, ndview.View)):
        return ('view', x.format, x.shape, x.strides, x.tolist())
    if isinstance(x, np.ndarray):
        return ('view', x.dtype.char if x.dtype.char != '?' else '?', x.shape, x.strides,
                x.tolist())
    if isinstance(x, np.generic):
        return x.item()
    return x


def numpy_says(a, key):
    got = outcome(lambda: a[key])
    if got[0] == 'ok' and isinstance(got[1], np.ndarray):
        return 'ok', plain(got[1])
    if got[0] == 'ok':  # a scalar: memoryview's unpack of the same item
        return 'ok', memoryview(np.ascontiguousarray(got[1]).reshape(1))[0]
    return got


class Failures:
    def __init__(self):
        self.cases = self.bad = 0
        self.first = None

    def check(self, ok, what):
        self.cases += 1
        if not ok:
            self.bad += 1
            self.first = self.first or what


def numpy_style(key):
    """None or ... in the key: memoryview's TypeError, View's NumPy answer."""
    return key is None or key is Ellipsis or (
        isinstance(key, tuple) and any(k is None or k is Ellipsis for k in key))


def mixed(key):
    """A tuple of integers and slices together: memoryview's "invalid slice key"."""
    return isinstance(key, tuple) and any(isinstance(k, slice) for k in key) and any(
        isinstance(k, int) for k in key)


def stops(want, key):
    """memoryview refuses where View answers as NumPy does."""
    return want[0] == 'raised' and (want[1] is NotImplementedError or
                                    (want[1] is TypeError and (numpy_style(key) or mixed(key))))


def run_getitem(fail, a, key):
    m, v = memoryview(a), ndview.View(a)
    want = outcome(lambda: plain(m[key]))
    got = outcome(lambda: plain(v[key]))
    if stops(want, key):
        # NumPy over the buffer as exported (NumPy normalizes strides of extent-1 dimensions)
        want = numpy_says(np.asarray(m), key)
        if want[0] == 'raised':
            fail.check(got[0] == 'raised', 'getitem %r %r %r: View %r, NumPy raised %r'
                       % (a.dtype, a.shape, key, got, want[1]))
            return
    fail.check(got == want, 'getitem %s %r strides %r key %r: View %r, want %r'
               % (a.dtype, a.shape, a.strides, key, got, want))


def run_setitem(fail, a, key, value):
    x, y = a.copy(), a.copy()
    m, v = memoryview(x), ndview.View(y)
    want = outcome(lambda: m.__setitem__(key, value))
    got = outcome(lambda: v.__setitem__(key, value))
    if stops(want, key):
        if not isinstance(value, np.ndarray):
            return  # NumPy broadcasts and casts scalars into sub-views; View takes buffers
        z = np.asarray(memoryview(a.copy()))
        want = outcome(lambda: copy_like_view(z, key, value))
        x = z
    fail.check(got == want and x.tobytes() == y.tobytes(),
               'setitem %s %r key %r value %r: View %r, memoryview %r'
               % (a.dtype, a.shape, key, value, got, want))


def copy_like_view(z, key, value):
    """z[key] = value with View's rule for sub-views: same format and shape, else ValueError."""
    target = z[key]
    if not isinstance(target, np.ndarray) or target.dtype != value.dtype or \
            target.shape != value.shape:
        raise ValueError('different structures')
    z[key] = value


VALUES = st.one_of(st.integers(-2**70, 2**70), st.floats(allow_nan=False), st.booleans(),
                   st.binary(max_size=2), st.text(max_size=1), st.none())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--examples', type=int, default=3000)
    ap.add_argument('--seed', type=int, default=random.randrange(2**32))
    args = ap.parse_args()
    print('1..2')
    print('# seed %d (rerun with --seed %d)' % (args.seed, args.seed))
    quiet = settings(max_examples=args.examples, database=None, deadline=None,
                     suppress_health_check=list(HealthCheck), print_blob=False)
    reads, writes = Failures(), Failures()

    @seed(args.seed)
    @quiet
    @given(st.data())
    def reading(data):
        a = data.draw(arrays())
        for _ in range(4):
            run_getitem(reads, a, data.draw(subscripts(a.ndim)))

    @seed(args.seed + 1)
    @quiet
    @given(st.data())
    def writing(data):
        a = data.draw(arrays())
        key = data.draw(subscripts(a.ndim))
        if data.draw(st.booleans()) and isinstance(key, slice) and a.ndim == 1 and key.step != 0:
            target = a[key]
            value = data.draw(st.sampled_from([target.copy(), target[::-1].copy(),
                                               np.zeros(target.shape[0] + 1, a.dtype),
                                               target.astype(np.float64)]))
        else:
            value = data.draw(VALUES)
        run_setitem(writes, a, key, value)

    reading()
    writing()
    for n, (name, f) in enumerate((('subscripts', reads), ('assignments', writes)), 1):
        status = 'ok' if f.bad == 0 else 'not ok'
        print('%s %d - %s: %d cases against memoryview and NumPy, %d mismatches'
              % (status, n, name, f.cases, f.bad))
        if f.first:
            print('#   first: ' + f.first)
    sys.exit(1 if reads.bad or writes.bad else 0)


if __name__ == '__main__':
    main()
