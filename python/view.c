/*
 * view.c - the View type (a drop-in memoryview: construction, attributes,
 * release, ==, hash, len, cast, toreadonly, repr, the buffer it exports,
 * GC and weak references) and the module.
 *
 *   import ndview
 *   v = ndview.View(numpy_array.T)       # no copy: describes the exporter's memory
 *   v[1:, ::2], v[0], v.tolist(), v.astype('f'), numpy.from_dlpack(v)
 *
 * Ownership and threads: see ndview_py.h.
 */
#include "ndview_py.h"

#include <string.h>

/* ------------------------------------------------------------------------ */
/* Life                                                                      */
/* ------------------------------------------------------------------------ */

static PyObject *view_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    (void)type;
    static char *kwlist[] = {"object", "writable", NULL};
    PyObject *obj;
    int writable = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|$p:View", kwlist, &obj, &writable))
        return NULL;
    ndv_view v = NDV_VIEW_INIT;
    if (PyObject_TypeCheck(obj, &ndvpy_ViewType)) { /* memoryview(m): m's managed buffer */
        View *src = (View *)obj;
        if (ndvpy_live(src) == NULL)
            return NULL;
        if (writable && src->view.readonly) {
            PyErr_SetString(PyExc_BufferError, "Object is not writable.");
            return NULL;
        }
        ndv_status s = ndv_view_from_view(&src->view, &v);
        return s == NDV_OK ? ndvpy_wrap(src->mbuf, &v) : ndvpy_raise(s);
    }
    int flags = writable ? PyBUF_FULL : PyBUF_FULL_RO;
    Mbuf *m = ndvpy_mbuf_from_object(obj, flags);
    if (m == NULL)
        return NULL;
    PyObject *out = ndvpy_mbuf_register(m, flags, &v) < 0 ? NULL : ndvpy_wrap(m, &v);
    Py_DECREF(m);
    return out;
}

/* Release the ndv_view (the last one gives the Py_buffer back); BufferError while in use. */
static int release_view(View *self)
{
    if (self->busy > 0) {
        PyErr_Format(PyExc_BufferError, "memoryview is in use by %zd operation%s on other threads",
                     self->busy, self->busy == 1 ? "" : "s");
        return -1;
    }
    /*
     * Released before ndv_release runs: the last release calls the exporter,
     * whose code (a __del__) may come back to this View and must find it
     * released. A refused release (exports) calls nothing and is undone.
     */
    self->released = 1;
    ndv_status s = ndv_release(&self->view);
    if (s != NDV_OK) {
        self->released = 0;
        ndvpy_raise(s);
        return -1;
    }
    return 0;
}

static void view_dealloc(View *self)
{
    PyObject_GC_UnTrack(self);
    if (self->weakrefs != NULL)
        PyObject_ClearWeakRefs((PyObject *)self);
    /* Exports hold a reference to self: none is left, so the release succeeds. */
    (void)ndv_release(&self->view);
    Py_CLEAR(self->mbuf);
    PyObject_GC_Del(self);
}

static int view_traverse(View *self, visitproc visit, void *arg)
{
    Py_VISIT(self->mbuf);
    return 0;
}

static int view_clear(View *self)
{
    if (ndv_exports(&self->view) == 0 && self->busy == 0) {
        self->released = 1; /* first, as in release_view */
        (void)ndv_release(&self->view);
        Py_CLEAR(self->mbuf);
    }
    return 0;
}

static PyObject *view_release(View *self, PyObject *unused)
{
    (void)unused;
    if (release_view(self) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *view_enter(View *self, PyObject *unused)
{
    (void)unused;
    if (ndvpy_live(self) == NULL)
        return NULL;
    return Py_NewRef(self);
}

static PyObject *view_exit(View *self, PyObject *args)
{
    (void)args;
    return view_release(self, NULL);
}

/* ------------------------------------------------------------------------ */
/* Comparison, hash, len, repr                                               */
/* ------------------------------------------------------------------------ */

/* memoryview's ==: values compared as struct unpacks them; NotImplemented for non-buffers. */
static PyObject *view_richcompare(PyObject *a, PyObject *b, int op)
{
    if (op != Py_EQ && op != Py_NE)
        Py_RETURN_NOTIMPLEMENTED;
    View *self = (View *)a;
    PyObject *tmp = NULL;
    if (!PyObject_TypeCheck(b, &ndvpy_ViewType)) {
        if (!PyObject_CheckBuffer(b))
            Py_RETURN_NOTIMPLEMENTED;
        if (self->released)
            return PyBool_FromLong(op == Py_NE); /* a released view equals only itself */
        tmp = PyObject_CallOneArg((PyObject *)&ndvpy_ViewType, b);
        if (tmp == NULL) {
            PyErr_Clear();
            Py_RETURN_NOTIMPLEMENTED;
        }
        b = tmp;
    }
    bool eq;
    ndv_status s;
    View *other = (View *)b;
    self->busy++;
    other->busy++;
    Py_BEGIN_ALLOW_THREADS
    s = ndv_equal(&self->view, &other->view, &eq);
    Py_END_ALLOW_THREADS
    self->busy--;
    other->busy--;
    Py_XDECREF(tmp);
    if (s != NDV_OK)
        return ndvpy_raise(s);
    return PyBool_FromLong(op == Py_EQ ? eq : !eq);
}

/* The object whose memory this is (.obj): the exporter, DLPack's producer, or NULL (astype's). */
static PyObject *exporter_of(const Mbuf *m)
{
    return m->producer ? m->producer : m->owned ? NULL : m->pybuf.obj;
}

/* memoryview's hash: read-only byte formats, the exporter hashable, == bytes' hash. */
static Py_hash_t view_hash(View *self)
{
    if (self->hash != -1)
        return self->hash;
    const ndv_view *v = ndvpy_live(self);
    if (v == NULL)
        return -1;
    if (!v->readonly) {
        PyErr_SetString(PyExc_ValueError, "cannot hash writable memoryview object");
        return -1;
    }
    if (self->code != 'B' && self->code != 'b' && self->code != 'c') {
        PyErr_SetString(PyExc_ValueError,
                        "memoryview: hashing is restricted to formats 'B', 'b' or 'c'");
        return -1;
    }
    PyObject *exporter = exporter_of(self->mbuf);
    if (exporter != NULL && PyObject_Hash(exporter) == -1)
        return -1;
    PyObject *bytes = PyBytes_FromStringAndSize(NULL, v->len);
    if (bytes == NULL)
        return -1;
    ndv_status s = ndv_tobytes(v, PyBytes_AS_STRING(bytes), v->len, 'C');
    if (s == NDV_OK)
        self->hash = PyObject_Hash(bytes);
    else
        ndvpy_raise(s);
    Py_DECREF(bytes);
    return self->hash;
}

static Py_ssize_t view_length(View *self)
{
    const ndv_view *v = ndvpy_live(self);
    if (v == NULL)
        return -1;
    return v->ndim == 0 ? 1 : v->shape[0]; /* CPython 3.11's memory_length */
}

/* sq_item, for reversed() and the sequence protocol: view[i] on dimension 0. */
static PyObject *view_item(View *self, Py_ssize_t i)
{
    PyObject *key = PyLong_FromSsize_t(i);
    if (key == NULL)
        return NULL;
    PyObject *out = ndvpy_subscript(self, key);
    Py_DECREF(key);
    return out;
}

static PyObject *view_repr(View *self)
{
    return PyUnicode_FromFormat(self->released ? "<released memory at %p>"
                                                              : "<memory at %p>",
                                self);
}

/* ------------------------------------------------------------------------ */
/* cast, toreadonly                                                          */
/* ------------------------------------------------------------------------ */

/* cast's shape argument: a list or tuple of integers, as memoryview takes it. */
static int shape_arg(PyObject *shape, ptrdiff_t *dims, int *ndim)
{
    if (!PyList_Check(shape) && !PyTuple_Check(shape)) {
        PyErr_SetString(PyExc_TypeError, "shape must be a list or a tuple");
        return -1;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(shape);
    if (n > NDV_MAXDIM) {
        PyErr_Format(PyExc_ValueError, "memoryview: number of dimensions must not exceed %d",
                     NDV_MAXDIM);
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        dims[i] = PyLong_AsSsize_t(PySequence_Fast_GET_ITEM(shape, i));
        if (dims[i] == -1 && PyErr_Occurred())
            return -1;
    }
    *ndim = (int)n;
    return 0;
}

static PyObject *view_cast(View *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"format", "shape", NULL};
    PyObject *format, *shape = NULL;
    ptrdiff_t dims[NDV_MAXDIM];
    int ndim = -1;
    const ndv_view *v = ndvpy_live(self);
    if (v == NULL || !PyArg_ParseTupleAndKeywords(args, kwds, "O|O:cast", kwlist, &format, &shape))
        return NULL;
    if (!PyUnicode_Check(format)) {
        PyErr_SetString(PyExc_TypeError, "memoryview: format argument must be a string");
        return NULL;
    }
    const char *fmt = PyUnicode_AsUTF8(format);
    if (fmt == NULL || (shape != NULL && shape_arg(shape, dims, &ndim) < 0))
        return NULL;
    ndv_view out = NDV_VIEW_INIT;
    ndv_status s = ndv_cast(v, fmt, ndim, dims, &out);
    return s == NDV_OK ? ndvpy_wrap(self->mbuf, &out) : ndvpy_raise(s);
}

static PyObject *view_toreadonly(View *self, PyObject *unused)
{
    (void)unused;
    const ndv_view *v = ndvpy_live(self);
    if (v == NULL)
        return NULL;
    ndv_view out = NDV_VIEW_INIT;
    ndv_status s = ndv_toreadonly(v, &out);
    return s == NDV_OK ? ndvpy_wrap(self->mbuf, &out) : ndvpy_raise(s);
}

/* ------------------------------------------------------------------------ */
/* The buffer a View exports (memoryview(v), np.asarray(v))                  */
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
        ndvpy_raise(s);
        return -1;
    }
    *pb = (Py_buffer){.buf = exp->buf, .obj = Py_NewRef(self), .len = exp->len,
                      .itemsize = exp->itemsize, .readonly = exp->readonly, .ndim = exp->ndim,
                      .format = (flags & PyBUF_FORMAT) ? (char *)exp->format : NULL,
                      .shape = (Py_ssize_t *)exp->shape, .strides = (Py_ssize_t *)exp->strides,
                      .suboffsets = (Py_ssize_t *)exp->suboffsets, .internal = exp};
    return 0;
}

static void view_releasebuffer(View *self, Py_buffer *pb)
{
    (void)self;
    ndv_view *exp = pb->internal;
    ndv_release(exp);
    PyMem_Free(exp);
}

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

enum { A_OBJ, A_FORMAT, A_ITEMSIZE, A_NDIM, A_SHAPE, A_STRIDES, A_SUBOFFSETS, A_READONLY,
       A_NBYTES, A_C, A_F, A_ANY };

static PyObject *view_get(View *self, void *which)
{
    const ndv_view *v = ndvpy_live(self);
    if (v == NULL)
        return NULL;
    switch ((int)(intptr_t)which) {
    case A_OBJ: {
        PyObject *obj = exporter_of(self->mbuf);
        return Py_NewRef(obj ? obj : Py_None);
    }
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
    ATTR("obj", A_OBJ, "the object whose memory this is (None for astype's results)"),
    ATTR("format", A_FORMAT, "the struct / PEP 3118 format of one item"),
    ATTR("itemsize", A_ITEMSIZE, "bytes per item"),
    ATTR("ndim", A_NDIM, "number of dimensions"),
    ATTR("shape", A_SHAPE, "extents"),
    ATTR("strides", A_STRIDES, "byte strides"),
    ATTR("suboffsets", A_SUBOFFSETS, "PIL-style suboffsets (empty tuple if none)"),
    ATTR("readonly", A_READONLY, "whether the memory is read-only"),
    ATTR("nbytes", A_NBYTES, "product(shape) * itemsize"),
    ATTR("c_contiguous", A_C, "C-contiguous by memoryview's rules"),
    ATTR("f_contiguous", A_F, "Fortran-contiguous by memoryview's rules"),
    ATTR("contiguous", A_ANY, "C- or Fortran-contiguous"),
    {NULL, NULL, NULL, NULL, NULL},
};

#define KW METH_VARARGS | METH_KEYWORDS
#define FN(f) (PyCFunction)(void (*)(void))(f)
static PyMethodDef view_methods[] = {
    {"tobytes", FN(ndvpy_tobytes), KW, "tobytes(order='C') -> bytes, as memoryview.tobytes"},
    {"tolist", FN(ndvpy_tolist), METH_NOARGS,
     "tolist() -> nested lists, as memoryview.tolist (also for struct formats)"},
    {"hex", FN(ndvpy_hex), KW, "hex(sep=None, bytes_per_sep=1) -> str, as memoryview.hex"},
    {"cast", FN(view_cast), KW, "cast(format, shape=None) -> View, as memoryview.cast"},
    {"toreadonly", FN(view_toreadonly), METH_NOARGS, "a read-only View of the same memory"},
    {"count", FN(ndvpy_count), METH_O, "count(value) -> items equal to value"},
    {"index", FN(ndvpy_index), METH_VARARGS,
     "index(value, start=0, stop=sys.maxsize) -> first index of value"},
    {"unpack_as", FN(ndvpy_unpack_as), KW,
     "unpack_as(dtype, out=None): every value as 'i64', 'u64' or 'f64', into out (a writable\n"
     "C-contiguous buffer of at least 8 bytes per value) or a new memoryview"},
    {"astype", FN(ndvpy_astype), KW,
     "astype(format, casting='same_kind') -> a View of a new C-contiguous buffer holding the\n"
     "values converted to format, with NumPy's casting rules (ndv_convert)"},
    {"copy_from", FN(ndvpy_copy_from), KW,
     "copy_from(src, casting='same_kind'): np.copyto(self, src, casting) (ndv_convert)"},
    {"__dlpack__", FN(ndvpy_dlpack), KW, "a DLPack capsule of this memory (numpy.from_dlpack)"},
    {"__dlpack_device__", FN(ndvpy_dlpack_device), METH_NOARGS, "(1, 0): CPU memory"},
    {"from_dlpack", FN(ndvpy_from_dlpack), METH_O | METH_CLASS,
     "View.from_dlpack(obj): a View of obj's DLPack tensor (obj.__dlpack__() or a capsule)"},
    {"release", FN(view_release), METH_NOARGS, "release the underlying buffer"},
    {"__enter__", FN(view_enter), METH_NOARGS, NULL},
    {"__exit__", FN(view_exit), METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyMappingMethods view_as_mapping = {(lenfunc)view_length, (binaryfunc)ndvpy_subscript,
                                           (objobjargproc)ndvpy_ass_subscript};
static PySequenceMethods view_as_sequence = {.sq_length = (lenfunc)view_length,
                                             .sq_item = (ssizeargfunc)view_item,
                                             .sq_contains = (objobjproc)ndvpy_contains};
static PyBufferProcs view_as_buffer = {(getbufferproc)view_getbuffer,
                                       (releasebufferproc)view_releasebuffer};

PyTypeObject ndvpy_ViewType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "ndview.View",
    .tp_basicsize = sizeof(View),
    .tp_dealloc = (destructor)view_dealloc,
    .tp_repr = (reprfunc)view_repr,
    .tp_as_sequence = &view_as_sequence,
    .tp_as_mapping = &view_as_mapping,
    .tp_hash = (hashfunc)view_hash,
    .tp_as_buffer = &view_as_buffer,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_SEQUENCE,
    .tp_doc = "View(object, *, writable=False): memoryview's interface over any buffer, "
              "with NumPy's indexing where memoryview stops",
    .tp_traverse = (traverseproc)view_traverse,
    .tp_clear = (inquiry)view_clear,
    .tp_richcompare = view_richcompare,
    .tp_weaklistoffset = offsetof(View, weakrefs),
    .tp_iter = (getiterfunc)ndvpy_iter,
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
            return ndvpy_raise(s);
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
    if (PyType_Ready(&ndvpy_ViewType) < 0 || PyType_Ready(&ndvpy_MbufType) < 0 ||
        PyType_Ready(&ndvpy_IterType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    if (PyModule_AddObjectRef(m, "View", (PyObject *)&ndvpy_ViewType) < 0 ||
        PyModule_AddStringConstant(m, "version", ndv_version()) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
