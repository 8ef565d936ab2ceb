/*
 * ndview_py.h - what the files of the Python module share.
 *
 * Files, lowest first (each calls only files above it in this list):
 *   native.c  one item of a native single-character format to and from an
 *             object (the hot path of v[i], v[i] = x, iteration)
 *   core.c    errors, the managed buffer (Mbuf) and its exporter, wrapping
 *             an ndv_view into a View, item <-> object conversion
 *   items.c   [] and []= with integers, slices, tuples, None and ...;
 *             iteration, count, index
 *   bulk.c    tobytes, hex, tolist, unpack_as, astype
 *   dlpack.c  __dlpack__, __dlpack_device__, View.from_dlpack
 *   view.c    the View type: construction, attributes, release, ==, hash,
 *             cast, the buffer it exports, the module
 *
 * Ownership (CPython's memoryobject.c, with ndview's registration inside):
 *  - An Mbuf is one Py_buffer taken from an exporter (or memory astype
 *    allocated). It is the ctx of one ndview registration; the registration
 *    releases the Py_buffer when its last ndv_view goes (mbuf_release).
 *  - Every View holds one reference to its Mbuf and one ndv_view of the
 *    registration; View(view) shares both, as memoryview(m) shares m's
 *    managed buffer. A View releases its ndv_view before it drops its Mbuf,
 *    so the Mbuf outlives every callback of its registration, except for
 *    DLPack tensors, which hold a reference of their own (dlpack.c).
 *  - Exports (memoryview(v), np.asarray(v)) are ndv_get_buffer() exports
 *    held in Py_buffer.internal; each holds a reference to its View.
 *  - Everything here runs with the GIL held, except the calls into ndview
 *    that bulk.c brackets with busy (see View.busy).
 */
#ifndef NDVIEW_PY_H
#define NDVIEW_PY_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "ndview.h"

#include <string.h>

/* Keeps a rare path out of a hot caller, so the caller needs no stack frame. */
#if defined(__GNUC__)
#define NDVPY_NOINLINE __attribute__((noinline))
#else
#define NDVPY_NOINLINE
#endif

/* One Py_buffer (or block astype allocated) behind one ndview registration. */
typedef struct {
    PyObject_HEAD
    Py_buffer pybuf;    /* valid while has_pybuf */
    int has_pybuf;
    int owned;          /* pybuf describes memory this object allocated (astype) */
    PyObject *producer; /* View.from_dlpack's source (what .obj shows), or NULL */
} Mbuf;

typedef struct {
    PyObject_HEAD
    Mbuf *mbuf;         /* NULL after tp_clear */
    Py_ssize_t busy;    /* operations running without the GIL (changed with the GIL held) */
    Py_hash_t hash;     /* -1 until hash() computes it; kept after release, as memoryview's */
    char code;          /* the format's native single-character code, or 0 */
    char released;      /* view released (view.c sets it just before ndv_release) */
    PyObject *weakrefs;
    ndv_view view;
} View;

extern PyTypeObject ndvpy_ViewType, ndvpy_MbufType;

/* native.c -------------------------------------------------------------- */

/* memoryview's "invalid type/value for format 'X'" (type: TypeError or ValueError); -1. */
int ndvpy_invalid(PyObject *type, const char *format);

/*
 * memoryview's fix_error_int: the conversion error being raised (TypeError,
 * OverflowError, ValueError) said in those words; other errors kept; -1.
 */
int ndvpy_conversion_error(const char *format);

/* SystemError: code is not one of memoryview's native codes; NULL. */
PyObject *ndvpy_not_native(char code);

/*
 * The item at p of native single-character format code as a Python object
 * (memoryview's unpack_single). Inline: it is the whole of v[i] and of an
 * iteration step, as memoryview's own is.
 */
static inline PyObject *ndvpy_native_get(char code, const char *p)
{
    union { signed char b; unsigned char B; short h; unsigned short H; int i; unsigned I;
            long l; unsigned long L; long long q; unsigned long long Q; Py_ssize_t n;
            size_t N; float f; double d; _Bool t; void *P; } u;
    switch (code) {
    case 'b': memcpy(&u.b, p, 1); return PyLong_FromLong(u.b);
    case 'B': memcpy(&u.B, p, 1); return PyLong_FromLong(u.B);
    case 'c': return PyBytes_FromStringAndSize(p, 1);
    case 'h': memcpy(&u.h, p, sizeof u.h); return PyLong_FromLong(u.h);
    case 'H': memcpy(&u.H, p, sizeof u.H); return PyLong_FromLong(u.H);
    case 'i': memcpy(&u.i, p, sizeof u.i); return PyLong_FromLong(u.i);
    case 'I': memcpy(&u.I, p, sizeof u.I); return PyLong_FromUnsignedLong(u.I);
    case 'l': memcpy(&u.l, p, sizeof u.l); return PyLong_FromLong(u.l);
    case 'L': memcpy(&u.L, p, sizeof u.L); return PyLong_FromUnsignedLong(u.L);
    case 'q': memcpy(&u.q, p, sizeof u.q); return PyLong_FromLongLong(u.q);
    case 'Q': memcpy(&u.Q, p, sizeof u.Q); return PyLong_FromUnsignedLongLong(u.Q);
    case 'n': memcpy(&u.n, p, sizeof u.n); return PyLong_FromSsize_t(u.n);
    case 'N': memcpy(&u.N, p, sizeof u.N); return PyLong_FromSize_t(u.N);
    case 'f': memcpy(&u.f, p, sizeof u.f); return PyFloat_FromDouble(u.f);
    case 'd': memcpy(&u.d, p, sizeof u.d); return PyFloat_FromDouble(u.d);
    case '?': memcpy(&u.t, p, sizeof u.t); return PyBool_FromLong(u.t);
    case 'P': memcpy(&u.P, p, sizeof u.P); return PyLong_FromVoidPtr(u.P);
    case 'e': {
        double d = PyFloat_Unpack2(p, PY_LITTLE_ENDIAN);
        return d == -1.0 && PyErr_Occurred() ? NULL : PyFloat_FromDouble(d);
    }
    }
    return ndvpy_not_native(code);
}

/* One packed item of a native format, ready to be stored. */
typedef struct {
    unsigned char bytes[16];
    size_t size;
} ndvpy_packed;

/*
 * x packed with memoryview's pack_single rules (-1 with its exception).
 * Store it only after checking the view is still live: converting x runs
 * Python code that may have released it.
 */
int ndvpy_native_pack(char code, PyObject *x, ndvpy_packed *out);

/* core.c ---------------------------------------------------------------- */

/* Raise the exception CPython raises for an ndview status (message from ndv_errmsg); NULL. */
PyObject *ndvpy_raise(ndv_status s);

/* memoryview's ValueError for a released view; NULL. */
PyObject *ndvpy_released_error(void);

/* The View's live ndv_view, or NULL with memoryview's ValueError when released. */
static inline const ndv_view *ndvpy_live(View *self)
{
    return self->released ? (const ndv_view *)ndvpy_released_error() : &self->view;
}

/* An Mbuf holding obj's buffer (PyObject_GetBuffer with flags). */
Mbuf *ndvpy_mbuf_from_object(PyObject *obj, int flags);

/* An Mbuf owning a new zeroed C-contiguous block of format and shape. */
Mbuf *ndvpy_mbuf_owned(const char *format, ptrdiff_t itemsize, int ndim, const ptrdiff_t *shape);

/* An Mbuf with no buffer of its own (the registration is ndv_from_dlpack's), for .obj. */
Mbuf *ndvpy_mbuf_of_producer(PyObject *producer);

/* The registration of an Mbuf: its first ndv_view (from ndv_view_from_exporter). */
int ndvpy_mbuf_register(Mbuf *mbuf, int flags, ndv_view *out);

/* A new View over *v (taken: released here on failure), holding a reference to mbuf. */
PyObject *ndvpy_wrap(Mbuf *mbuf, ndv_view *v);

/* The Python object for one value; for an item of k != 1 values, a tuple. */
PyObject *ndvpy_value_object(const ndv_value *v);
PyObject *ndvpy_item_object(const ndv_value *vals, ptrdiff_t k);

/* The item at a full index of self (memoryview's unpack_single); NULL with an exception. */
PyObject *ndvpy_get_item(View *self, const ptrdiff_t *index);

/* Store obj at p (an item of self's native format) once it is packed and self still live. */
int ndvpy_store_native(View *self, char *p, PyObject *obj);

/* Store obj into the item at a full index (memoryview's pack_single); -1 with an exception. */
int ndvpy_set_item(View *self, const ptrdiff_t *index, PyObject *obj);

/* items.c --------------------------------------------------------------- */

PyObject *ndvpy_subscript(View *self, PyObject *key);
int ndvpy_ass_subscript(View *self, PyObject *key, PyObject *value);
PyObject *ndvpy_iter(View *self);
int ndvpy_contains(View *self, PyObject *value);
PyObject *ndvpy_count(View *self, PyObject *value);
PyObject *ndvpy_index(View *self, PyObject *args);
extern PyTypeObject ndvpy_IterType;

/* bulk.c ---------------------------------------------------------------- */

PyObject *ndvpy_tobytes(View *self, PyObject *args, PyObject *kwds);
PyObject *ndvpy_hex(View *self, PyObject *args, PyObject *kwds);
PyObject *ndvpy_tolist(View *self, PyObject *unused);
PyObject *ndvpy_unpack_as(View *self, PyObject *args, PyObject *kwds);
PyObject *ndvpy_astype(View *self, PyObject *args, PyObject *kwds);
PyObject *ndvpy_copy_from(View *self, PyObject *args, PyObject *kwds);

/* dlpack.c -------------------------------------------------------------- */

PyObject *ndvpy_dlpack(View *self, PyObject *args, PyObject *kwds);
PyObject *ndvpy_dlpack_device(View *self, PyObject *unused);
PyObject *ndvpy_from_dlpack(PyObject *cls, PyObject *obj);

#endif
