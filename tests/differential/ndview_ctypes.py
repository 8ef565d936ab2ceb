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
