"""Shared pieces of the differential tests: the report, random structures
drawn as CPython's test_buffer.py draws them, and small list helpers."""


class Report:
    def __init__(self, seed):
        self.seed = seed
        self.n = 0
        self.failed = 0
        self.cases = 0
        self.mismatches = []

    def check(self, cond, what):
        self.cases += 1
        if not cond and len(self.mismatches) < 20:
            self.mismatches.append(what)
        return cond

    def close(self, name):
        self.n += 1
        ok = not self.mismatches
        print("%s %d - %s: %d checks" % ("ok" if ok else "not ok", self.n, name, self.cases))
        for m in self.mismatches:
            print("#   seed %d: %s" % (self.seed, m))
        if self.mismatches:
            print("#   reproduce: run again with --seed %d (same --cases)" % self.seed)
        self.failed += not ok
        self.cases = 0
        self.mismatches = []


def rand_structure(rnd, itemsize, maxdim=4, maxshape=5):
    ndim = rnd.randint(0, maxdim)
    r = rnd.random()
    minshape = 0 if r < 0.05 else 1 if r < 0.1 else 2
    shape = [rnd.randint(minshape, maxshape) for _ in range(ndim)]
    strides = []
    for _ in range(ndim):
        k = 0 if rnd.random() < 0.025 else rnd.randint(1, maxshape * 2) * rnd.choice([1, -1])
        strides.append(k * itemsize)
    if 0 in shape:
        imin = imax = 0
    else:
        imin = sum(s * (n - 1) for s, n in zip(strides, shape) if s < 0)
        imax = sum(s * (n - 1) for s, n in zip(strides, shape) if s > 0)
    if ndim == 0:  # _testbuffer packs a single item for 0-d arrays
        return itemsize, shape, strides, 0
    pad = rnd.randint(0, 3) * itemsize
    offset = -imin + rnd.randint(0, 2) * itemsize
    memlen = offset + imax + itemsize + pad
    return memlen, shape, strides, offset


def nested(lst, index):
    for i in index:
        lst = lst[i]
    return lst


def describe(fmt, memlen, shape, strides, offset):
    return "fmt=%r memlen=%d shape=%r strides=%r offset=%d" % (fmt, memlen, shape, strides, offset)
