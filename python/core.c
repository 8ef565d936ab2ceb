/*
 * core.c - errors, the managed buffer behind a family of Views, wrapping
 * ndv_views into Views, and one item to and from a Python object.
 */
#include "ndview_py.h"

#include <string.h>

_Static_assert(sizeof(Py_ssize_t) == sizeof(ptrdiff_t), "Py_ssize_t is ptrdiff_t");
_Static_assert(PyBUF_FULL_RO == NDV_BUF_FULL_RO && PyBUF_FULL == NDV_BUF_FULL &&
                   PyBUF_C_CONTIGUOUS == NDV_BUF_C_CONTIGUOUS,
               "ndview's request flags are CPython's");

PyObject *ndvpy_raise(ndv_status s)
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

PyObject *ndvpy_released_error(void)
{
    PyErr_SetString(PyExc_ValueError, "operation forbidden on released memoryview object");
    return NULL;
}

/* ------------------------------------------------------------------------ */
/* The managed buffer and the registration it is the exporter of            */
/* ------------------------------------------------------------------------ */

/* Give up the Py_buffer (or free astype's block); idempotent. */
static void mbuf_release(Mbuf *m)
{
    if (!m->has_pybuf)
        return;
    m->has_pybuf = 0;
    if (m->owned)
        PyMem_RawFree(m->pybuf.buf);
    else
        PyBuffer_Release(&m->pybuf);
}

static ndv_status mbuf_getbuffer(void *obj, ndv_buffer *b, int flags)
{
    (void)flags; /* the Py_buffer was requested with the same flags */
    const Py_buffer *p = &((Mbuf *)obj)->pybuf;
    *b = (ndv_buffer){p->buf, obj, p->len, p->itemsize, p->readonly, p->ndim, p->format,
                      p->shape, p->strides, p->suboffsets, NULL};
    return NDV_OK;
}

/*
 * The registration's last view is gone. Usually called with the GIL held
 * (a View's release or deallocation); a DLPack consumer may drop its tensor
 * without it, hence the GIL state.
 */
static void mbuf_releasebuffer(void *obj, ndv_buffer *b)
{
    (void)b;
    PyGILState_STATE g = PyGILState_Ensure();
    mbuf_release(obj);
    PyGILState_Release(g);
}

static const ndv_exporter mbuf_exporter = {mbuf_getbuffer, mbuf_releasebuffer};

static Mbuf *mbuf_new(void)
{
    Mbuf *m = PyObject_GC_New(Mbuf, &ndvpy_MbufType);
    if (m == NULL)
        return NULL;
    memset(&m->pybuf, 0, sizeof m->pybuf);
    m->has_pybuf = m->owned = 0;
    m->producer = NULL;
    PyObject_GC_Track(m);
    return m;
}

Mbuf *ndvpy_mbuf_of_producer(PyObject *producer)
{
    Mbuf *m = mbuf_new();
    if (m != NULL)
        m->producer = Py_NewRef(producer);
    return m;
}

Mbuf *ndvpy_mbuf_from_object(PyObject *obj, int flags)
{
    Mbuf *m = mbuf_new();
    if (m == NULL)
        return NULL;
    if (PyObject_GetBuffer(obj, &m->pybuf, flags) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    m->has_pybuf = 1;
    return m;
}

Mbuf *ndvpy_mbuf_owned(const char *format, ptrdiff_t itemsize, int ndim, const ptrdiff_t *shape)
{
    ptrdiff_t len = itemsize;
    for (int d = 0; d < ndim; d++)
        if (__builtin_mul_overflow(len, shape[d], &len)) {
            PyErr_SetString(PyExc_OverflowError, "astype: the result does not fit in memory");
            return NULL;
        }
    /* One block: the items, then the shape and the format (8-byte aligned tail). */
    size_t data = ((size_t)len + 7) & ~(size_t)7, fmtlen = strlen(format) + 1;
    size_t total = data + (size_t)ndim * sizeof(Py_ssize_t) + fmtlen;
    Mbuf *m = mbuf_new();
    char *block = m ? PyMem_RawCalloc(1, total) : NULL;
    if (block == NULL) {
        Py_XDECREF(m);
        return m ? (Mbuf *)PyErr_NoMemory() : NULL;
    }
    Py_ssize_t *dims = (Py_ssize_t *)(block + data);
    memcpy(dims, shape, (size_t)ndim * sizeof *dims);
    char *fmt = (char *)(dims + ndim);
    memcpy(fmt, format, fmtlen);
    m->pybuf = (Py_buffer){.buf = block, .len = len, .itemsize = itemsize, .ndim = ndim,
                           .format = fmt, .shape = dims};
    m->has_pybuf = m->owned = 1;
    return m;
}

int ndvpy_mbuf_register(Mbuf *mbuf, int flags, ndv_view *out)
{
    ndv_status s = ndv_view_from_exporter(out, mbuf, &mbuf_exporter, flags);
    if (s != NDV_OK) {
        ndvpy_raise(s);
        return -1;
    }
    return 0;
}

static void mbuf_dealloc(Mbuf *m)
{
    PyObject_GC_UnTrack(m);
    mbuf_release(m);
    Py_CLEAR(m->producer);
    PyObject_GC_Del(m);
}

static int mbuf_traverse(Mbuf *m, visitproc visit, void *arg)
{
    if (m->has_pybuf && !m->owned)
        Py_VISIT(m->pybuf.obj);
    Py_VISIT(m->producer);
    return 0;
}

/* A cycle through the exporter is garbage: give up its buffer now, as CPython's mbuf_clear. */
static int mbuf_clear(Mbuf *m)
{
    if (!m->owned)
        mbuf_release(m);
    Py_CLEAR(m->producer);
    return 0;
}

PyTypeObject ndvpy_MbufType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "ndview._ManagedBuffer",
    .tp_basicsize = sizeof(Mbuf),
    .tp_dealloc = (destructor)mbuf_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = (traverseproc)mbuf_traverse,
    .tp_clear = (inquiry)mbuf_clear,
};

/* ------------------------------------------------------------------------ */
/* Views                                                                     */
/* ------------------------------------------------------------------------ */

/* memoryview's get_native_fmtchar: the code of '@'? + one native single character, or 0. */
static char native_code(const char *fmt)
{
    if (fmt[0] == '@')
        fmt++;
    if (fmt[0] == '\0' || fmt[1] != '\0')
        return 0;
    return strchr("cbBhHiIlLqQnNfd?Pe", fmt[0]) ? fmt[0] : 0;
}

PyObject *ndvpy_wrap(Mbuf *mbuf, ndv_view *v)
{
    View *self = (View *)ndvpy_ViewType.tp_alloc(&ndvpy_ViewType, 0);
    if (self == NULL) {
        ndv_release(v);
        return NULL;
    }
    self->mbuf = (Mbuf *)Py_NewRef(mbuf);
    self->busy = 0;
    self->hash = -1;
    self->code = native_code(v->format);
    self->released = 0;
    self->weakrefs = NULL;
    self->view = *v;
    *v = (ndv_view)NDV_VIEW_INIT;
    return (PyObject *)self;
}

/* ------------------------------------------------------------------------ */
/* One item to and from Python objects                                       */
/* ------------------------------------------------------------------------ */

PyObject *ndvpy_value_object(const ndv_value *v)
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

PyObject *ndvpy_item_object(const ndv_value *vals, ptrdiff_t k)
{
    if (k == 1)
        return ndvpy_value_object(vals);
    PyObject *t = PyTuple_New(k);
    for (ptrdiff_t i = 0; t && i < k; i++) {
        PyObject *x = ndvpy_value_object(&vals[i]);
        if (x == NULL) {
            Py_DECREF(t);
            return NULL;
        }
        PyTuple_SET_ITEM(t, i, x);
    }
    return t;
}

enum { LOCAL_VALUES = 16 };

PyObject *ndvpy_get_item(View *self, const ptrdiff_t *index)
{
    if (self->code) { /* memoryview's formats: straight from the memory */
        void *p;
        ndv_status s = ndv_get_pointer(&self->view, index, &p);
        return s == NDV_OK ? ndvpy_native_get(self->code, p) : ndvpy_raise(s);
    }
    ptrdiff_t k = ndv_item_values(&self->view);
    ndv_value local[LOCAL_VALUES];
    ndv_value *vals = k <= LOCAL_VALUES ? local : PyMem_Malloc((size_t)k * sizeof *vals);
    if (vals == NULL)
        return PyErr_NoMemory();
    ndv_status s = ndv_unpack_item(&self->view, index, vals, k > LOCAL_VALUES ? k : LOCAL_VALUES);
    PyObject *out = s == NDV_OK ? ndvpy_item_object(vals, k) : ndvpy_raise(s);
    if (vals != local)
        PyMem_Free(vals);
    return out;
}

/*
 * One Python object as an ndview value; ndv_pack_item then applies the
 * format's rules (range, kind) with memoryview's messages. Integers go in
 * as int64 when they fit, else uint64; '?' takes any object's truth, as
 * memoryview's pack_single does.
 */
static int object_value(View *self, PyObject *x, ndv_value *v)
{
    if (self->code == '?') {
        int t = PyObject_IsTrue(x);
        *v = (ndv_value){.kind = NDV_KIND_BOOL, .v.b = t > 0};
        return t < 0 ? -1 : 0;
    }
    if (self->code == 'e' || self->code == 'f' || self->code == 'd' || PyFloat_Check(x)) {
        double d = PyFloat_AsDouble(x); /* any number, as memoryview's pack_single */
        if (d == -1.0 && PyErr_Occurred())
            return ndvpy_conversion_error(self->view.format);
        *v = (ndv_value){.kind = NDV_KIND_FLOAT, .v.f = d};
    } else if (PyLong_Check(x) || PyIndex_Check(x)) {
        PyObject *i = PyNumber_Index(x);
        if (i == NULL)
            return -1;
        int overflow;
        long long ll = PyLong_AsLongLongAndOverflow(i, &overflow);
        *v = (ndv_value){.kind = NDV_KIND_INT, .v.i = ll};
        if (overflow > 0) {
            unsigned long long u = PyLong_AsUnsignedLongLong(i);
            *v = (ndv_value){.kind = NDV_KIND_UINT, .v.u = u};
            if (u == (unsigned long long)-1 && PyErr_Occurred())
                overflow = 2;
            else
                overflow = 0;
        }
        Py_DECREF(i);
        if (overflow) {
            PyErr_Clear();
            PyErr_SetString(PyExc_OverflowError, "");
        }
        if (overflow || (ll == -1 && PyErr_Occurred()))
            return ndvpy_conversion_error(self->view.format);
    } else if (PyComplex_Check(x)) {
        Py_complex c = PyComplex_AsCComplex(x);
        *v = (ndv_value){.kind = NDV_KIND_COMPLEX, .v.c = {c.real, c.imag}};
    } else if (PyBytes_Check(x)) {
        *v = (ndv_value){.kind = NDV_KIND_BYTES,
                         .v.bytes = {PyBytes_AS_STRING(x), PyBytes_GET_SIZE(x)}};
    } else if (PyUnicode_Check(x) && PyUnicode_GET_LENGTH(x) == 1) {
        *v = (ndv_value){.kind = NDV_KIND_UCS4, .v.ucs4 = PyUnicode_READ_CHAR(x, 0)};
    } else {
        return ndvpy_invalid(PyExc_TypeError, self->view.format);
    }
    return 0;
}

int ndvpy_store_native(View *self, char *p, PyObject *obj)
{
    ndvpy_packed item;
    if (ndvpy_native_pack(self->code, obj, &item) < 0)
        return -1;
    if (self->released) /* the conversion ran code that released the view */
        return ndvpy_released_error(), -1;
    memcpy(p, item.bytes, item.size);
    return 0;
}

int ndvpy_set_item(View *self, const ptrdiff_t *index, PyObject *obj)
{
    void *ptr; /* memoryview checks the index before it looks at the value */
    ndv_status s = ndv_get_pointer(&self->view, index, &ptr);
    if (s != NDV_OK) {
        ndvpy_raise(s);
        return -1;
    }
    if (self->code) /* memoryview's formats: straight into the memory */
        return ndvpy_store_native(self, ptr, obj);
    ptrdiff_t k = ndv_item_values(&self->view);
    ndv_value local[LOCAL_VALUES];
    ndv_value *vals = local;
    if (k > 1) { /* an item of k values takes a tuple of k, as struct.pack(*t) */
        if (!PyTuple_Check(obj) || PyTuple_GET_SIZE(obj) != k) {
            PyErr_Format(PyExc_TypeError,
                         "an item of format '%s' is a tuple of %zd values", self->view.format, k);
            return -1;
        }
        if (k > LOCAL_VALUES && (vals = PyMem_Malloc((size_t)k * sizeof *vals)) == NULL) {
            PyErr_NoMemory();
            return -1;
        }
    }
    int rc = 0;
    for (ptrdiff_t i = 0; rc == 0 && i < k; i++)
        rc = object_value(self, k == 1 ? obj : PyTuple_GET_ITEM(obj, i), &vals[i]);
    if (rc == 0) {
        s = ndv_pack_item(&self->view, index, vals, (int)k);
        rc = s == NDV_OK ? 0 : (ndvpy_raise(s), -1);
    }
    if (vals != local)
        PyMem_Free(vals);
    return rc;
}
