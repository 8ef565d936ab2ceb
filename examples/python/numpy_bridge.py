"""ndview from Python: the Py_buffer bridge on NumPy arrays (and any other
buffer-protocol object). Build ndview with python3-dev present, then:

    PYTHONPATH=build python3 examples/python/numpy_bridge.py
"""
import time

import ndview

try:
    import numpy as np
except ImportError:
    np = None


def best_of(fn, runs=5):
    best = float("inf")
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main():
    print("ndview", ndview.version, "kernels:", ndview.isa())
    with ndview.View(bytearray(b"ndview"), writable=True) as v:
        print("bytearray:", v.format, v.shape, v.hex(":"), v.tolist()[:3])
    if np is None:
        print("NumPy is not installed: the array part is skipped")
        return
    a = np.arange(2048 * 4096, dtype=np.float64).reshape(2048, 4096)
    v = ndview.View(a.T)  # a transposed view: no copy on either side
    assert v.tobytes() == a.T.tobytes()
    print("a.T: shape %s strides %s C-contiguous %s" % (v.shape, v.strides, v.c_contiguous))
    print("a.T.tobytes():            %.1f ms" % (1e3 * best_of(a.T.tobytes)))
    print("ndview.View(a.T).tobytes(): %.1f ms" % (1e3 * best_of(v.tobytes)))
    halves = np.linspace(-1, 1, 1 << 20).astype(np.float16)
    out = np.empty(halves.size)
    ndview.View(halves).unpack_as("f64", out=out)
    assert np.array_equal(out, halves.astype(np.float64))
    print("float16 -> float64 via unpack_as: equal to NumPy's astype")


if __name__ == "__main__":
    main()
