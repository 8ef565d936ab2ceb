"""A sample client of ndview, checked with `mypy --strict` against the stubs."""
import array

import ndview


def column_sum(data: bytes, rows: int, cols: int) -> float:
    v = ndview.View(data).cast("B").cast("d", [rows, cols])
    total = 0.0
    for i in range(rows):
        item = v[i, 0]
        assert isinstance(item, float)
        total += item
    return total


def halves(a: "array.array[int]") -> ndview.View:
    with ndview.View(a) as v:
        f = v.astype("e", casting="same_kind")
        print(v.format, v.shape, v.strides, v.nbytes, v.readonly, v.tobytes("F"), v.hex(":", 2))
        print(f.tolist(), v.count(3), v.index(3), len(v), v == f, v[::2].obj, v.ndim)
    return f


def device(v: ndview.View) -> int:
    kind, number = v.__dlpack_device__()
    return kind + number + len(ndview.isa()) + len(ndview.version)
