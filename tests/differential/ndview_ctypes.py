"""ctypes bindings to the built ndview shared library, for differential tests.

Only what the tests need; the layouts mirror include/ndview.h.
"""
import ctypes
from ctypes import POINTER, c_bool, c_char, c_char_p, c_int, c_ssize_t, c_void_p

STATUS = ["NDV_OK", "NDV_ERR_FORMAT", "NDV_ERR_VALUE", "NDV_ERR_TYPE", "NDV_ERR_INDEX",
          "NDV_ERR_BUFFER", "NDV_ERR_RELEASED", "NDV_ERR_READONLY", "NDV_ERR_NOMEM",
          "NDV_ERR_OVERFLOW", "NDV_ERR_NOTIMPL"]
NONE = -(2 ** (8 * ctypes.sizeof(c_ssize_t) - 1))  # NDV_NONE == PTRDIFF_MIN


class View(ctypes.Structure):
    _fields_ = [("buf", c_void_p), ("len", c_ssize_t), ("itemsize", c_ssize_t),
                ("ndim", c_int), ("readonly", c_bool), ("format", c_char_p),
                ("shape", POINTER(c_ssize_t)), ("strides", POINTER(c_ssize_t)),
                ("suboffsets", POINTER(c_ssize_t)), ("internal_", c_void_p)]

    def tup(self, field):
        p = getattr(self, field)
        if not p:
            return None
        return tuple(p[i] for i in range(self.ndim))


class Buffer(ctypes.Structure):
    """ndv_buffer (Py_buffer's layout)."""
    _fields_ = [("buf", c_void_p), ("obj", c_void_p), ("len", c_ssize_t),
                ("itemsize", c_ssize_t), ("readonly", c_int), ("ndim", c_int),
                ("format", c_char_p), ("shape", POINTER(c_ssize_t)),
                ("strides", POINTER(c_ssize_t)), ("suboffsets", POINTER(c_ssize_t)),
                ("internal", c_void_p)]

    def tup(self, field):
        p = getattr(self, field)
        return tuple(p[i] for i in range(self.ndim)) if p else None


class _Bytes(ctypes.Structure):
    _fields_ = [("ptr", c_void_p), ("len", c_ssize_t)]


class _Complex(ctypes.Structure):
    _fields_ = [("re", ctypes.c_double), ("im", ctypes.c_double)]


class _Payload(ctypes.Union):
    _fields_ = [("i", ctypes.c_int64), ("u", ctypes.c_uint64), ("f", ctypes.c_double),
                ("b", c_bool), ("bytes", _Bytes), ("c", _Complex), ("p", ctypes.c_size_t),
                ("ucs4", ctypes.c_uint32)]


class Value(ctypes.Structure):
    _fields_ = [("kind", c_int), ("v", _Payload)]

    def py(self):
        """The Python object struct.unpack would give."""
        k = self.kind
        if k == 0:
            return self.v.i
        if k == 1:
            return self.v.u
        if k == 2:
            return self.v.f
        if k == 3:
            return bool(self.v.b)
        if k == 4:
            return ctypes.string_at(self.v.bytes.ptr, self.v.bytes.len) if self.v.bytes.len else b""
        if k == 5:
            return complex(self.v.c.re, self.v.c.im)
        if k == 6:
            return self.v.p
        return chr(self.v.ucs4)

    @staticmethod
    def of(x, kind=None):
        v = Value()
        if isinstance(x, bool):
            v.kind, v.v.b = 3, x
        elif isinstance(x, int):
            if x < 0 or (kind == "int" and x < 2 ** 63):
                v.kind, v.v.i = 0, x
            else:
                v.kind, v.v.u = 1, x
        elif isinstance(x, float):
            v.kind, v.v.f = 2, x
        elif isinstance(x, (bytes, bytearray)):
            v._keep = ctypes.create_string_buffer(bytes(x), max(len(x), 1))
            v.kind, v.v.bytes.ptr, v.v.bytes.len = 4, ctypes.addressof(v._keep), len(x)
        elif isinstance(x, complex):
            v.kind, v.v.c.re, v.v.c.im = 5, x.real, x.imag
        elif isinstance(x, str):
            v.kind, v.v.ucs4 = 7, ord(x)
        else:
            raise TypeError(type(x))
        return v


class Lib:
    def __init__(self, path):
        lib = ctypes.CDLL(path)
        self.lib = lib
        V = POINTER(View)
        sig = {
            "ndv_calcsize": (c_int, [c_char_p, POINTER(c_ssize_t)]),
            "ndv_errmsg": (c_char_p, []),
            "ndv_view_from_memory": (c_int, [V, c_void_p, c_ssize_t, c_bool, c_char_p, c_int,
                                             POINTER(c_ssize_t), POINTER(c_ssize_t), c_ssize_t]),
            "ndv_release": (c_int, [V]),
            "ndv_is_contiguous": (c_bool, [V, c_char]),
            "ndv_slice": (c_int, [V, c_int, c_ssize_t, c_ssize_t, c_ssize_t, V]),
            "ndv_index": (c_int, [V, c_ssize_t, V]),
            "ndv_get_pointer": (c_int, [V, POINTER(c_ssize_t), POINTER(c_void_p)]),
            "ndv_cast": (c_int, [V, c_char_p, c_int, POINTER(c_ssize_t), V]),
            "ndv_get_buffer": (c_int, [V, V, c_int]),
            "ndv_fill_buffer": (c_int, [POINTER(Buffer), c_void_p, c_void_p, c_ssize_t, c_char_p,
                                        c_int, POINTER(c_ssize_t), POINTER(c_ssize_t), c_bool,
                                        c_int]),
            "ndv_tobytes": (c_int, [V, c_void_p, c_ssize_t, c_char]),
            "ndv_frombytes": (c_int, [V, c_void_p, c_ssize_t, c_char]),
            "ndv_copy": (c_int, [V, V]),
            "ndv_hex": (c_int, [V, c_char_p, c_ssize_t, c_int, c_int, POINTER(c_ssize_t)]),
            "ndv_equal": (c_int, [V, V, POINTER(c_bool)]),
            "ndv_item_values": (c_ssize_t, [V]),
            "ndv_tolist": (c_int, [V, POINTER(Value), c_ssize_t, POINTER(c_ssize_t)]),
            "ndv_unpack_as": (c_int, [V, c_int, c_void_p, c_ssize_t]),
            "ndv_repr": (c_int, [V, c_char_p, c_ssize_t, POINTER(c_ssize_t)]),
            "ndv_pack_item": (c_int, [V, POINTER(c_ssize_t), POINTER(Value), c_int]),
        }
        for name, (res, args) in sig.items():
            f = getattr(lib, name)
            f.restype = res
            f.argtypes = args

    def errmsg(self):
        return self.lib.ndv_errmsg().decode()

    def calcsize(self, fmt):
        size = c_ssize_t()
        st = self.lib.ndv_calcsize(fmt.encode("latin-1"), ctypes.byref(size))
        return STATUS[st], size.value

    @staticmethod
    def arr(values):
        if values is None:
            return None
        return (c_ssize_t * max(len(values), 1))(*values)

    def from_memory(self, mem, fmt, shape, strides, offset, readonly=False):
        """mem: a ctypes buffer kept alive by the caller."""
        v = View()
        st = self.lib.ndv_view_from_memory(ctypes.byref(v), ctypes.addressof(mem),
                                           ctypes.sizeof(mem), readonly, fmt.encode(),
                                           len(shape), self.arr(shape), self.arr(strides),
                                           offset)
        return STATUS[st], v

    def release(self, v):
        return STATUS[self.lib.ndv_release(ctypes.byref(v))]

    def contiguous(self, v, order):
        return self.lib.ndv_is_contiguous(ctypes.byref(v), order.encode())

    def slice(self, v, dim, start, stop, step):
        out = View()
        st = self.lib.ndv_slice(ctypes.byref(v), dim, NONE if start is None else start,
                                NONE if stop is None else stop, NONE if step is None else step,
                                ctypes.byref(out))
        return STATUS[st], out

    def get_pointer(self, v, index):
        p = c_void_p()
        st = self.lib.ndv_get_pointer(ctypes.byref(v), self.arr(index), ctypes.byref(p))
        return STATUS[st], p.value

    def cast(self, v, fmt, shape):
        out = View()
        st = self.lib.ndv_cast(ctypes.byref(v), fmt.encode(), -1 if shape is None else len(shape),
                               self.arr(shape), ctypes.byref(out))
        return STATUS[st], out

    def get_buffer(self, v, flags):
        out = View()
        st = self.lib.ndv_get_buffer(ctypes.byref(v), ctypes.byref(out), flags)
        return STATUS[st], out

    def fill_buffer(self, v, flags):
        """ndv_fill_buffer over v's own geometry, as an N-D exporter would call it."""
        out = Buffer()
        st = self.lib.ndv_fill_buffer(ctypes.byref(out), None, v.buf, v.itemsize, v.format,
                                      v.ndim, v.shape, v.strides, v.readonly, flags)
        return STATUS[st], out

    def tobytes(self, v, order):
        buf = ctypes.create_string_buffer(max(v.len, 1))
        st = self.lib.ndv_tobytes(ctypes.byref(v), buf, v.len, order.encode())
        return STATUS[st], buf.raw[:v.len]

    def frombytes(self, v, data, order):
        buf = ctypes.create_string_buffer(data, max(len(data), 1))
        return STATUS[self.lib.ndv_frombytes(ctypes.byref(v), buf, len(data), order.encode())]

    def copy(self, dst, src):
        return STATUS[self.lib.ndv_copy(ctypes.byref(dst), ctypes.byref(src))]

    def hex(self, v, sep, bytes_per_sep):
        n = c_ssize_t()
        st = self.lib.ndv_hex(ctypes.byref(v), None, 0, sep, bytes_per_sep, ctypes.byref(n))
        if st:
            return STATUS[st], None
        buf = ctypes.create_string_buffer(n.value + 1)
        st = self.lib.ndv_hex(ctypes.byref(v), buf, n.value + 1, sep, bytes_per_sep,
                              ctypes.byref(n))
        return STATUS[st], buf.raw[:n.value].decode()

    def equal(self, a, b):
        eq = c_bool()
        st = self.lib.ndv_equal(ctypes.byref(a), ctypes.byref(b), ctypes.byref(eq))
        return STATUS[st], eq.value

    def tolist_flat(self, v):
        n = c_ssize_t()
        st = self.lib.ndv_tolist(ctypes.byref(v), None, 0, ctypes.byref(n))
        if st:
            return STATUS[st], None
        out = (Value * max(n.value, 1))()
        st = self.lib.ndv_tolist(ctypes.byref(v), out, n.value, ctypes.byref(n))
        return STATUS[st], [out[i].py() for i in range(n.value)]

    def item_values(self, v):
        return self.lib.ndv_item_values(ctypes.byref(v))

    def tolist(self, v):
        """The nested tolist() built from the flat values, shape and values per item."""
        st, flat = self.tolist_flat(v)
        if st != "NDV_OK":
            return st, None
        k = self.item_values(v)
        shape = v.tup("shape") or ()
        if k == 0:  # items without values are empty tuples
            count = 1
            for n in shape:
                count *= n
            items = [()] * count
        else:
            items = flat if k == 1 else [tuple(flat[i:i + k]) for i in range(0, len(flat), k)]

        def nest(lst, dims):
            if len(dims) == 1:
                return list(lst)
            step = len(lst) // dims[0] if dims[0] else 0
            return [nest(lst[i * step:(i + 1) * step], dims[1:]) for i in range(dims[0])]

        if len(shape) == 1:
            return "NDV_OK", list(items)
        if not shape:
            return "NDV_OK", items[0]
        if 0 in shape:  # tolist stops at the first zero extent
            return "NDV_OK", nested_empty(shape)
        return "NDV_OK", nest(items, list(shape))

    def repr(self, v):
        n = c_ssize_t()
        st = self.lib.ndv_repr(ctypes.byref(v), None, 0, ctypes.byref(n))
        if st:
            return STATUS[st], None
        buf = ctypes.create_string_buffer(n.value + 1)
        st = self.lib.ndv_repr(ctypes.byref(v), buf, n.value + 1, ctypes.byref(n))
        return STATUS[st], buf.raw[:n.value].decode("ascii")

    def unpack_as(self, v, to):
        n = c_ssize_t()
        self.lib.ndv_tolist(ctypes.byref(v), None, 0, ctypes.byref(n))
        T = {0: ctypes.c_int64, 1: ctypes.c_uint64, 2: ctypes.c_double}[to]
        out = (T * max(n.value, 1))()
        st = self.lib.ndv_unpack_as(ctypes.byref(v), to, out, n.value)
        return STATUS[st], list(out[:n.value])

    def pack_item(self, v, index, values):
        arr = (Value * max(len(values), 1))(*values)
        st = self.lib.ndv_pack_item(ctypes.byref(v), self.arr(index), arr, len(values))
        return STATUS[st]


def nested_empty(shape):
    """tolist() of a shape with a zero extent: lists down to the first zero."""
    if shape[0] == 0:
        return []
    return [nested_empty(shape[1:]) for _ in range(shape[0])]
