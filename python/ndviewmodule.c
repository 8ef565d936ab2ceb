/*
 * ndviewmodule.c - the Py_buffer bridge: ndview's operations on any object
 * that speaks the buffer protocol, from Python.
 *
 *   import ndview
 *   v = ndview.View(numpy_array.T)       # no copy: describes the exporter's memory
 *   v.tobytes("C"), v.tolist(), v.hex(":", 2), v.unpack_as("f64"), v == other
 *
 * Ownership: a View holds one Py_buffer (PyObject_GetBuffer with
 * PyBUF_FULL_RO, or PyBUF_FULL when writable=True) for its whole life and
 * hands it to ndview as an exporter: ndv_buffer is Py_buffer field for field
 * and the request flags have CPython's values, so nothing is translated.
 * The Py_buffer is released (PyBuffer_Release) when the ndview registration
 * is, i.e. on View.release(), on leaving a with-block, or at deallocation.
 * A View is itself an exporter (memoryview(v), np.asarray(v)): each export
 * is an ndv_get_buffer() export, and View.release() raises BufferError
 * while any is alive, as memoryview.release() does.
 *
 * Threads: long operations (tobytes, hex, unpack_as, ==) drop the GIL. While
 * one is in flight its View counts it (busy, changed only with the GIL
 * held) and View.release() from another thread raises BufferError, as
 * releasing a memoryview with live exports does: the Py_buffer, and so the
 * exporter's memory and its resize lock, outlive every running call.
 * Another thread may still write the memory, exactly as with memoryview.
 *
 * Re-entrancy: ndv_release marks the view released before it calls
 * pybuf_releasebuffer, so an exporter whose release (or __del__) comes back
 * to the View finds it released (ValueError), never half-freed.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <string.h>

#include "ndview.h"

_Static_assert(sizeof(Py_ssize_t) == sizeof(ptrdiff_t), "Py_ssize_t is ptrdiff_t");
_Static_assert(PyBUF_FULL_RO == NDV_BUF_FULL_RO && PyBUF_FULL == NDV_BUF_FULL &&
                   PyBUF_C_CONTIGUOUS == NDV_BUF_C_CONTIGUOUS,
               "ndview's request flags are CPython's");

typedef struct {
    PyObject_HEAD
    Py_buffer pybuf; /* valid while has_pybuf (pybuf_releasebuffer clears it) */
    int has_pybuf;
    Py_ssize_t busy; /* operations running without the GIL (changed with the GIL held) */
    ndv_view view;
} View;

static PyTypeObject ViewType;

/* ------------------------------------------------------------------------ */
/* Errors                                                                    */
/* ------------------------------------------------------------------------ */

/* Raise the Python exception CPython would raise for an ndview status; return NULL. */
static PyObject *raise_status(ndv_status s)
{
    PyObject *type;
    switch (s) {
    case NDV_ERR_TYPE:
    case NDV_ERR_READONLY: type = PyExc_TypeError; break;
    case NDV_ERR_INDEX: type = PyExc_IndexError; break;
    case NDV_ERR_BUFFER: type = PyExc_BufferError; break;
    case NDV_ERR_NOMEM: type = PyExc_MemoryError; break;
    case NDV_ERR_OVERFLOW: type = PyExc_OverflowError; break;
    case NDV_ERR_NOTIMPL: type = PyExc_NotImplementedError; break;
    default: type = PyExc_ValueError; break; /* FORMAT, VALUE, RELEASED */
    }
    PyErr_SetString(type, ndv_errmsg());
    return NULL;
}

/* ------------------------------------------------------------------------ */
/* The Py_buffer as an ndview exporter                                       */
/* ------------------------------------------------------------------------ */

static ndv_status pybuf_getbuffer(void *obj, ndv_buffer *b, int flags)
{
    (void)flags; /* the Py_buffer was requested with the same flags */
    const Py_buffer *p = &((View *)obj)->pybuf;
    *b = (ndv_buffer){p->buf, obj, p->len, p->itemsize, p->readonly, p->ndim, p->format,
                      p->shape, p->strides, p->suboffsets, NULL};
    return NDV_OK;
}

/* The last ndview view is gone (called with the GIL held: see view_release). */
static void pybuf_releasebuffer(void *obj, ndv_buffer *b)
{
    (void)b;
    View *self = obj;
    PyBuffer_Release(&self->pybuf);
    self->has_pybuf = 0;
}

static const ndv_exporter pybuf_exporter = {pybuf_getbuffer, pybuf_releasebuffer};

/* Describe obj's buffer in self->view. */
static int view_attach(View *self, PyObject *obj, int writable)
{
    int flags = writable ? PyBUF_FULL : PyBUF_FULL_RO;
    if (PyObject_GetBuffer(obj, &self->pybuf, flags) < 0)
        return -1;
    self->has_pybuf = 1;
    ndv_status s = ndv_view_from_exporter(&self->view, self, &pybuf_exporter, flags);
    if (s != NDV_OK) {
        if (self->has_pybuf) /* releasebuffer has not run (getbuffer itself failed) */
            PyBuffer_Release(&self->pybuf);
        self->has_pybuf = 0;
        raise_status(s);
        return -1;
    }
    return 0;
}

/* Release the ndview view (and so the Py_buffer); BufferError while exported or busy. */
static int view_release_all(View *self)
{
    if (self->busy > 0) {
        PyErr_Format(PyExc_BufferError, "memoryview is in use by %zd operation%s on other threads",
                     self->busy, self->busy == 1 ? "" : "s");
        return -1;
    }
    ndv_status s = ndv_release(&self->view); /* the last view runs pybuf_releasebuffer */
    if (s != NDV_OK) {
        raise_status(s);
        return -1;
    }
    return 0;
}

/* self as a live view, or NULL with ValueError (memoryview's wording). */
static const ndv_view *live(View *self)
{
    if (ndv_is_released(&self->view)) {
        PyErr_SetString(PyExc_ValueError,
                        "operation forbidden on released memoryview object");
        return NULL;
    }
    return &self->view;
}

/* ------------------------------------------------------------------------ */
/* Type slots                                                                */
/* ------------------------------------------------------------------------ */

static PyObject *view_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"obj", "writable", NULL};
    PyObject *obj;
    int writable = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|p:View", kwlist, &obj, &writable))
        return NULL;
    View *self = (View *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    self->view = (ndv_view)NDV_VIEW_INIT;
    if (view_attach(self, obj, writable) < 0) {
        Py_DECREF(self);
        return NULL;
    }
    return (PyObject *)self;
}

static void view_dealloc(View *self)
{
    /* Exports hold a reference to self: none is left here, so the release succeeds. */
    (void)ndv_release(&self->view);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *view_release(View *self, PyObject *unused)
{
    (void)unused;
    if (view_release_all(self) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *view_enter(View *self, PyObject *unused)
{
    (void)unused;
    if (live(self) == NULL)
        return NULL;
    Py_INCREF(self);
    return (PyObject *)self;
}

static PyObject *view_exit(View *self, PyObject *args)
{
    (void)args;
    return view_release(self, NULL);
}

/* ------------------------------------------------------------------------ */
/* tobytes, hex, unpack_as                                                   */
/* ------------------------------------------------------------------------ */

static PyObject *view_tobytes(View *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"order", NULL};
    const char *order = "C";
    const ndv_view *v = live(self);
    if (v == NULL || !PyArg_ParseTupleAndKeywords(args, kwds, "|z:tobytes", kwlist, &order))
        return NULL;
    if (order == NULL)
        order = "C";
    if (strlen(order) != 1) {
        PyErr_SetString(PyExc_ValueError, "order must be 'C', 'F' or 'A'");
        return NULL;
    }
    PyObject *out = PyBytes_FromStringAndSize(NULL, v->len);
    if (out == NULL)
        return NULL;
    ndv_status s;
    self->busy++;
    Py_BEGIN_ALLOW_THREADS
    s = ndv_tobytes(v, PyBytes_AS_STRING(out), v->len, order[0]);
    Py_END_ALLOW_THREADS
    self->busy--;
    if (s != NDV_OK) {
        Py_DECREF(out);
        return raise_status(s);
    }
    return out;
}

/*
 * memoryview.hex's sep: None (-1 here), or one ASCII character as str or
 * bytes, NUL included.
 */
static int parse_sep(PyObject *sep, int *out)
{
    *out = -1;
    if (sep == NULL || sep == Py_None)
        return 0;
    if (PyUnicode_Check(sep) && PyUnicode_GET_LENGTH(sep) == 1) {
        *out = (int)PyUnicode_READ_CHAR(sep, 0);
    } else if (PyBytes_Check(sep) && PyBytes_GET_SIZE(sep) == 1) {
        *out = (unsigned char)PyBytes_AS_STRING(sep)[0];
    } else {
        PyErr_SetString(PyExc_ValueError, "sep must be length 1.");
        return -1;
    }
    if (*out > 127) {
        PyErr_SetString(PyExc_ValueError, "sep must be ASCII.");
        return -1;
    }
    return 0;
}

/* ndv_hex's sep 0 means none: a NUL separator goes in as ':' (never a hex digit) and back. */
static void nul_separators(char *text, ptrdiff_t n)
{
    for (char *p = memchr(text, ':', (size_t)n); p; p = memchr(p, ':', (size_t)(text + n - p)))
        *p = '\0';
}

static PyObject *view_hex(View *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"sep", "bytes_per_sep", NULL};
    PyObject *sep_obj = NULL;
    int bytes_per_sep = 1, sep;
    const ndv_view *v = live(self);
    if (v == NULL || !PyArg_ParseTupleAndKeywords(args, kwds, "|Oi:hex", kwlist, &sep_obj,
                                                  &bytes_per_sep) ||
        parse_sep(sep_obj, &sep) < 0)
        return NULL;
    ptrdiff_t n;
    int c_sep = sep < 0 ? 0 : sep == 0 ? ':' : sep;
    ndv_status s = ndv_hex(v, NULL, 0, c_sep, bytes_per_sep, &n);
    if (s != NDV_OK)
        return raise_status(s);
    PyObject *out = PyUnicode_New(n, 127);
    if (out == NULL)
        return NULL;
    char *text = (char *)PyUnicode_DATA(out);
    self->busy++;
    Py_BEGIN_ALLOW_THREADS
    s = ndv_hex(v, text, n, c_sep, bytes_per_sep, &n);
    if (s == NDV_OK && sep == 0)
        nul_separators(text, n);
    Py_END_ALLOW_THREADS
    self->busy--;
    if (s != NDV_OK) {
        Py_DECREF(out);
        return raise_status(s);
    }
    return out;
}

/* "i64"/"q", "u64"/"Q", "f64"/"d" -> target type and its struct code. */
static int parse_dtype(const char *name, ndv_dtype *to, const char **code)
{
    static const struct { const char *a, *b, *code; ndv_dtype to; } names[] = {
        {"i64", "q", "q", NDV_I64}, {"u64", "Q", "Q", NDV_U64}, {"f64", "d", "d", NDV_F64}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i].a) == 0 || strcmp(name, names[i].b) == 0) {
            *to = names[i].to;
            *code = names[i].code;
            return 0;
        }
    PyErr_Format(PyExc_ValueError, "dtype must be 'i64', 'u64' or 'f64', not '%s'", name);
    return -1;
}

/* The values in v, and their bytes as 8-byte outputs; -1 with OverflowError past Py_ssize_t. */
static int value_count(const ndv_view *v, ptrdiff_t *n, ptrdiff_t *bytes)
{
    *n = ndv_item_values(v);
    for (int d = 0; d < v->ndim; d++)
        if (__builtin_mul_overflow(*n, v->shape[d], n))
            goto overflow;
    if (!__builtin_mul_overflow(*n, (ptrdiff_t)8, bytes))
        return 0;
overflow:
    PyErr_SetString(PyExc_OverflowError,
                     "unpack_as: the view's values do not fit in a Python buffer");
    return -1;
}

/* Convert into a writable C-contiguous buffer `out`, or a new array if out is None. */
static PyObject *view_unpack_as(View *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"dtype", "out", NULL};
    const char *name, *code;
    PyObject *out = Py_None;
    ndv_dtype to;
    const ndv_view *v = live(self);
    if (v == NULL ||
        !PyArg_ParseTupleAndKeywords(args, kwds, "s|O:unpack_as", kwlist, &name, &out) ||
        parse_dtype(name, &to, &code) < 0)
        return NULL;
    ptrdiff_t n, bytes;
    if (value_count(v, &n, &bytes) < 0)
        return NULL;
    PyObject *owner = out == Py_None ? PyByteArray_FromStringAndSize(NULL, bytes) : out;
    if (owner == NULL)
        return NULL;
    if (out != Py_None)
        Py_INCREF(owner);
    Py_buffer dst;
    if (PyObject_GetBuffer(owner, &dst, PyBUF_WRITABLE | PyBUF_C_CONTIGUOUS) < 0) {
        Py_DECREF(owner);
        return NULL;
    }
    ndv_status s;
    self->busy++;
    Py_BEGIN_ALLOW_THREADS
    s = ndv_unpack_as(v, to, dst.buf, dst.len / 8);
    Py_END_ALLOW_THREADS
    self->busy--;
    PyBuffer_Release(&dst);
    if (s != NDV_OK) {
        Py_DECREF(owner);
        return raise_status(s);
    }
    if (out != Py_None)
        return owner;
    PyObject *mv = PyMemoryView_FromObject(owner);
    Py_DECREF(owner);
    if (mv == NULL)
        return NULL;
    PyObject *cast = PyObject_CallMethod(mv, "cast", "s", code);
    Py_DECREF(mv);
    return cast;
}

/* ------------------------------------------------------------------------ */
/* tolist                                                                    */
/* ------------------------------------------------------------------------ */

static PyObject *value_object(const ndv_value *v)
{
    switch (v->kind) {
    case NDV_KIND_INT: return PyLong_FromLongLong(v->v.i);
    case NDV_KIND_UINT: return PyLong_FromUnsignedLongLong(v->v.u);
    case NDV_KIND_FLOAT: return PyFloat_FromDouble(v->v.f);
    case NDV_KIND_BOOL: return PyBool_FromLong(v->v.b);
    case NDV_KIND_BYTES: return PyBytes_FromStringAndSize(v->v.bytes.ptr, v->v.bytes.len);
    case NDV_KIND_COMPLEX: return PyComplex_FromDoubles(v->v.c.re, v->v.c.im);
    case NDV_KIND_POINTER: return PyLong_FromVoidPtr((void *)v->v.p);
    case NDV_KIND_UCS4: return PyUnicode_FromOrdinal((int)v->v.ucs4);
    }
    PyErr_SetString(PyExc_SystemError, "unknown ndview value kind");
    return NULL;
}

/*
 * memoryview.tolist from ndv_tolist's flat values, a block of rows at a
 * time: one ndv call fills a small tagged buffer (it stays in cache) at
 * kernel speed, then the objects are made here. A callback per value
 * (ndv_tolist_visit) would cost more than the objects themselves.
 */
enum { BLOCK_VALUES = 2048 };

/* The nested lists of dimensions dim.. of v for values at *next (k per item). */
static PyObject *build(const ndv_view *v, int dim, const ndv_value **next, ptrdiff_t k)
{
    if (dim == v->ndim) {
        if (k == 1)
            return value_object((*next)++);
        PyObject *t = PyTuple_New(k);
        for (ptrdiff_t i = 0; t && i < k; i++) {
            PyObject *x = value_object((*next)++);
            if (x == NULL) {
                Py_DECREF(t);
                return NULL;
            }
            PyTuple_SET_ITEM(t, i, x);
        }
        return t;
    }
    PyObject *list = PyList_New(v->shape[dim]);
    for (ptrdiff_t i = 0; list && i < v->shape[dim]; i++) {
        PyObject *x = build(v, dim + 1, next, k);
        if (x == NULL) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, i, x);
    }
    return list;
}

/* Values under one index of dimension 0 (v->ndim >= 1). */
static ptrdiff_t row_values(const ndv_view *v)
{
    ptrdiff_t n = ndv_item_values(v);
    for (int d = 1; d < v->ndim; d++)
        n *= v->shape[d];
    return n;
}

/* Fill list[start ..] with the rows of part (a slice of dimension 0). */
static int fill_rows(PyObject *list, ptrdiff_t start, const ndv_view *part, ndv_value *buf,
                     ptrdiff_t cap)
{
    ptrdiff_t n;
    ndv_status s = ndv_tolist(part, buf, cap, &n);
    if (s != NDV_OK) {
        raise_status(s);
        return -1;
    }
    const ndv_value *next = buf;
    ptrdiff_t k = ndv_item_values(part);
    for (ptrdiff_t r = 0; r < part->shape[0]; r++) {
        PyObject *x = part->ndim == 1 && k == 1 ? value_object(next++) : build(part, 1, &next, k);
        if (x == NULL)
            return -1;
        PyList_SET_ITEM(list, start + r, x);
    }
    return 0;
}

/* tolist of v (ndim >= 1) with a scratch buffer of cap values. */
static PyObject *tolist_blocks(const ndv_view *v, ndv_value *buf, ptrdiff_t cap)
{
    ptrdiff_t rows = v->shape[0], per_row = row_values(v);
    PyObject *list = PyList_New(rows);
    ndv_view part = NDV_VIEW_INIT;
    ndv_status s = NDV_OK;
    for (ptrdiff_t i = 0; list && i < rows && s == NDV_OK;) {
        if (per_row > cap) { /* a big row: descend into it */
            PyObject *x = NULL;
            if ((s = ndv_index(v, i, &part)) == NDV_OK)
                x = tolist_blocks(&part, buf, cap);
            ndv_release(&part);
            if (x == NULL)
                goto fail;
            PyList_SET_ITEM(list, i++, x);
            continue;
        }
        ptrdiff_t take = per_row ? cap / per_row : rows;
        take = take < rows - i ? take : rows - i;
        if ((s = ndv_slice(v, 0, i, i + take, 1, &part)) == NDV_OK &&
            fill_rows(list, i, &part, buf, cap) < 0)
            goto fail;
        ndv_release(&part);
        i += take;
    }
    if (s == NDV_OK)
        return list;
    raise_status(s);
fail:
    ndv_release(&part);
    Py_XDECREF(list);
    return NULL;
}

static PyObject *view_tolist(View *self, PyObject *unused)
{
    (void)unused;
    const ndv_view *v = live(self);
    if (v == NULL)
        return NULL;
    /* Room for a block, and for at least one item however many values it has. */
    ptrdiff_t k = ndv_item_values(v), cap = k > BLOCK_VALUES ? k : BLOCK_VALUES;
    ndv_value *buf = PyMem_Malloc((size_t)cap * sizeof *buf);
    if (buf == NULL)
        return PyErr_NoMemory();
    PyObject *out = NULL;
    if (v->ndim > 0) {
        out = tolist_blocks(v, buf, cap);
    } else {
        ptrdiff_t n;
        ndv_status s = ndv_tolist(v, buf, cap, &n);
        const ndv_value *next = buf;
        out = s == NDV_OK ? build(v, 0, &next, k) : raise_status(s);
    }
    PyMem_Free(buf);
    return out;
}

/* ------------------------------------------------------------------------ */
/* ==                                                                        */
/* ------------------------------------------------------------------------ */

static PyObject *view_richcompare(PyObject *a, PyObject *b, int op)
{
    if (op != Py_EQ && op != Py_NE)
        Py_RETURN_NOTIMPLEMENTED;
    View *self = (View *)a;
    PyObject *tmp = NULL;
    if (!PyObject_TypeCheck(b, &ViewType)) {
        if (!PyObject_CheckBuffer(b))
            Py_RETURN_NOTIMPLEMENTED;
        tmp = PyObject_CallOneArg((PyObject *)&ViewType, b);
        if (tmp == NULL)
            return NULL;
        b = tmp;
    }
    bool eq;
    ndv_status s;
    View *other = (View *)b;
    const ndv_view *x = &self->view, *y = &other->view;
    self->busy++;
    other->busy++;
    Py_BEGIN_ALLOW_THREADS
    s = ndv_equal(x, y, &eq);
    Py_END_ALLOW_THREADS
    self->busy--;
    other->busy--;
    Py_XDECREF(tmp);
    if (s != NDV_OK)
        return raise_status(s);
    return PyBool_FromLong(op == Py_EQ ? eq : !eq);
}

/* ------------------------------------------------------------------------ */
/* The other way: a View exports its buffer (memoryview(v), np.asarray(v))   */
/* ------------------------------------------------------------------------ */

/*
 * ndv_get_buffer applies memoryview's rules to the request (the flags are
 * CPython's); the export lives in Py_buffer.internal until bf_releasebuffer
 * and, like memoryview's exports, keeps View.release() from succeeding.
 */
static int view_getbuffer(View *self, Py_buffer *pb, int flags)
{
    ndv_view *exp = PyMem_Malloc(sizeof *exp);
    if (exp == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    *exp = (ndv_view)NDV_VIEW_INIT;
    ndv_status s = ndv_get_buffer(&self->view, exp, flags);
    if (s != NDV_OK) {
        PyMem_Free(exp);
        raise_status(s);
        return -1;
    }
    pb->buf = exp->buf;
    pb->obj = Py_NewRef(self);
    pb->len = exp->len;
    pb->itemsize = exp->itemsize;
    pb->readonly = exp->readonly;
    pb->ndim = exp->ndim;
    pb->format = (flags & PyBUF_FORMAT) ? (char *)exp->format : NULL;
    pb->shape = (Py_ssize_t *)exp->shape;
    pb->strides = (Py_ssize_t *)exp->strides;
    pb->suboffsets = (Py_ssize_t *)exp->suboffsets;
    pb->internal = exp;
    return 0;
}

static void view_releasebuffer(View *self, Py_buffer *pb)
{
    (void)self;
    ndv_view *exp = pb->internal;
    ndv_release(exp);
    PyMem_Free(exp);
}

static PyBufferProcs view_as_buffer = {(getbufferproc)view_getbuffer,
                                       (releasebufferproc)view_releasebuffer};

/* ------------------------------------------------------------------------ */
/* Attributes                                                                */
/* ------------------------------------------------------------------------ */

static PyObject *tuple_of(const ptrdiff_t *v, int n)
{
    if (v == NULL)
        return PyTuple_New(0);
    PyObject *t = PyTuple_New(n);
    for (int i = 0; t && i < n; i++) {
        PyObject *x = PyLong_FromSsize_t(v[i]);
        if (x == NULL) {
            Py_DECREF(t);
            return NULL;
        }
        PyTuple_SET_ITEM(t, i, x);
    }
    return t;
}

enum { A_FORMAT, A_ITEMSIZE, A_NDIM, A_SHAPE, A_STRIDES, A_SUBOFFSETS, A_READONLY, A_NBYTES,
       A_C, A_F, A_ANY };

static PyObject *view_get(View *self, void *which)
{
    const ndv_view *v = live(self);
    if (v == NULL)
        return NULL;
    switch ((int)(intptr_t)which) {
    case A_FORMAT: return PyUnicode_FromString(v->format);
    case A_ITEMSIZE: return PyLong_FromSsize_t(v->itemsize);
    case A_NDIM: return PyLong_FromLong(v->ndim);
    case A_SHAPE: return tuple_of(v->shape, v->ndim);
    case A_STRIDES: return tuple_of(v->strides, v->ndim);
    case A_SUBOFFSETS: return tuple_of(v->suboffsets, v->ndim);
    case A_READONLY: return PyBool_FromLong(v->readonly);
    case A_NBYTES: return PyLong_FromSsize_t(v->len);
    case A_C: return PyBool_FromLong(ndv_is_contiguous(v, 'C'));
    case A_F: return PyBool_FromLong(ndv_is_contiguous(v, 'F'));
    default: return PyBool_FromLong(ndv_is_contiguous(v, 'A'));
    }
}

#define ATTR(name, which, doc) {name, (getter)view_get, NULL, doc, (void *)(intptr_t)(which)}
static PyGetSetDef view_getset[] = {
    ATTR("format", A_FORMAT, "the struct / PEP 3118 format of one item"),
    ATTR("itemsize", A_ITEMSIZE, "bytes per item"),
    ATTR("ndim", A_NDIM, "number of dimensions"),
    ATTR("shape", A_SHAPE, "extents"),
    ATTR("strides", A_STRIDES, "byte strides"),
    ATTR("suboffsets", A_SUBOFFSETS, "PIL-style suboffsets (empty tuple if none)"),
    ATTR("readonly", A_READONLY, "True unless made with writable=True"),
    ATTR("nbytes", A_NBYTES, "product(shape) * itemsize"),
    ATTR("c_contiguous", A_C, "C-contiguous by memoryview's rules"),
    ATTR("f_contiguous", A_F, "Fortran-contiguous by memoryview's rules"),
    ATTR("contiguous", A_ANY, "C- or Fortran-contiguous"),
    {NULL, NULL, NULL, NULL, NULL},
};

static PyMethodDef view_methods[] = {
    {"tobytes", (PyCFunction)(void (*)(void))view_tobytes, METH_VARARGS | METH_KEYWORDS,
     "tobytes(order='C') -> bytes, as memoryview.tobytes"},
    {"tolist", (PyCFunction)view_tolist, METH_NOARGS,
     "tolist() -> nested lists, as memoryview.tolist (also for formats memoryview refuses)"},
    {"hex", (PyCFunction)(void (*)(void))view_hex, METH_VARARGS | METH_KEYWORDS,
     "hex(sep=None, bytes_per_sep=1) -> str, as memoryview.hex"},
    {"unpack_as", (PyCFunction)(void (*)(void))view_unpack_as, METH_VARARGS | METH_KEYWORDS,
     "unpack_as(dtype, out=None): every value as 'i64', 'u64' or 'f64', into out (a writable\n"
     "C-contiguous buffer of at least 8 bytes per value) or a new memoryview"},
    {"release", (PyCFunction)view_release, METH_NOARGS, "release the underlying buffer"},
    {"__enter__", (PyCFunction)view_enter, METH_NOARGS, NULL},
    {"__exit__", (PyCFunction)view_exit, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject ViewType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "ndview.View",
    .tp_basicsize = sizeof(View),
    .tp_dealloc = (destructor)view_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "View(obj, writable=False): ndview's view of any buffer-protocol object, no copy",
    .tp_richcompare = view_richcompare,
    .tp_as_buffer = &view_as_buffer,
    .tp_methods = view_methods,
    .tp_getset = view_getset,
    .tp_new = view_new,
};

/* ------------------------------------------------------------------------ */
/* Module                                                                    */
/* ------------------------------------------------------------------------ */

static PyObject *mod_isa(PyObject *m, PyObject *args)
{
    (void)m;
    const char *name = NULL;
    if (!PyArg_ParseTuple(args, "|z:isa", &name))
        return NULL;
    if (name != NULL) {
        int l;
        for (l = NDV_ISA_SCALAR; l < ndv_isa_count(); l++)
            if (strcmp(name, ndv_isa_name((ndv_isa)l)) == 0)
                break;
        ndv_status s = l >= ndv_isa_count() ? ndv_raise(NDV_ERR_VALUE, "unknown instruction set")
                                             : ndv_isa_set((ndv_isa)l);
        if (s != NDV_OK)
            return raise_status(s);
    }
    return PyUnicode_FromString(ndv_isa_name(ndv_isa_active()));
}

static PyMethodDef module_methods[] = {
    {"isa", mod_isa, METH_VARARGS,
     "isa(name=None) -> the active instruction-set level; with a name, switch to it first"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "ndview",
    "ndview's strided-view engine on Python buffers (see ndview.View)", -1, module_methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit_ndview(void)
{
    if (PyType_Ready(&ViewType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    Py_INCREF(&ViewType);
    if (PyModule_AddObject(m, "View", (PyObject *)&ViewType) < 0 ||
        PyModule_AddStringConstant(m, "version", ndv_version()) < 0) {
        Py_DECREF(&ViewType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
