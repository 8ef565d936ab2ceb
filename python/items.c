/*
 * items.c - [] and []= (memoryview's rules, then NumPy's basic indexing
 * where memoryview raises NotImplementedError), iteration, count, index.
 *
 * What memoryview answers, View answers the same way, with the same
 * exception classes. Where memoryview stops (an integer or a short tuple
 * of integers on an N-D view, slices on more than one dimension, None and
 * ... in subscripts, assignment to N-D sub-views, iterating N-D views)
 * View answers with sub-views, as NumPy does: docs/python.md lists each.
 */
#include "ndview_py.h"

#include <stdbool.h>

static PyObject *invalid_key(void)
{
    PyErr_SetString(PyExc_TypeError, "memoryview: invalid slice key");
    return NULL;
}

static PyObject *zero_dim(void)
{
    PyErr_SetString(PyExc_TypeError, "invalid indexing of 0-dim memory");
    return NULL;
}

/* One subscript of a tuple (or the key itself) as an ndv_sub; -1 with an exception. */
static int sub_of(PyObject *x, ndv_sub *sub)
{
    if (PyIndex_Check(x)) {
        Py_ssize_t i = PyNumber_AsSsize_t(x, PyExc_IndexError);
        if (i == -1 && PyErr_Occurred())
            return -1;
        *sub = NDV_INDEX(i);
    } else if (PySlice_Check(x)) {
        Py_ssize_t start, stop, step;
        if (PySlice_Unpack(x, &start, &stop, &step) < 0)
            return -1;
        *sub = NDV_SLICE(start, stop, step);
    } else if (x == Py_None) {
        *sub = NDV_NEWAXIS;
    } else if (x == Py_Ellipsis) {
        *sub = NDV_ELLIPSIS;
    } else {
        invalid_key();
        return -1;
    }
    return 0;
}

/*
 * More integers and slices than dimensions: neither View nor memoryview
 * answers; raise what memoryview raises for this key.
 */
static int too_many(const ndv_view *v, PyObject *key)
{
    Py_ssize_t n = PyTuple_GET_SIZE(key), slices = 0;
    for (Py_ssize_t i = 0; i < n; i++)
        slices += PySlice_Check(PyTuple_GET_ITEM(key, i));
    if (slices == n)
        PyErr_SetString(PyExc_NotImplementedError, "multi-dimensional slicing is not implemented");
    else if (slices == 0)
        PyErr_Format(PyExc_TypeError, "cannot index %d-dimension view with %zd-element tuple",
                     v->ndim, n);
    else
        invalid_key();
    return -1;
}

/* Members of the tuple that consume a dimension (integers and slices). */
static Py_ssize_t consumes(PyObject *tuple)
{
    Py_ssize_t n = 0;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(tuple); i++) {
        PyObject *x = PyTuple_GET_ITEM(tuple, i);
        n += PyIndex_Check(x) || PySlice_Check(x);
    }
    return n;
}

/* True if every member of the tuple is an integer (memoryview's is_multiindex). */
static int all_indices(PyObject *tuple)
{
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(tuple); i++)
        if (!PyIndex_Check(PyTuple_GET_ITEM(tuple, i)))
            return 0;
    return 1;
}

/* The tuple's integers as a full index of v; -1 with memoryview's exceptions. */
static int full_index(const ndv_view *v, PyObject *tuple, ptrdiff_t *index)
{
    Py_ssize_t n = PyTuple_GET_SIZE(tuple);
    if (n > v->ndim) {
        PyErr_Format(PyExc_TypeError, "cannot index %d-dimension view with %zd-element tuple",
                     v->ndim, n);
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        index[i] = PyNumber_AsSsize_t(PyTuple_GET_ITEM(tuple, i), PyExc_IndexError);
        if (index[i] == -1 && PyErr_Occurred())
            return -1;
    }
    return 0;
}

/*
 * What key selects: an item (returns 1, its index in index) or a view
 * (returns 0, in *out); -1 with an exception.
 */
static int select_key(const ndv_view *v, PyObject *key, ptrdiff_t *index, ndv_view *out)
{
    ndv_status s;
    if (v->ndim == 0) { /* memoryview takes () and ... only; View also None */
        if (PyTuple_Check(key) && PyTuple_GET_SIZE(key) == 0)
            return 1;
        if (PyIndex_Check(key) || PySlice_Check(key) || (PyTuple_Check(key) && consumes(key))) {
            zero_dim();
            return -1;
        }
    }
    if (PyIndex_Check(key)) {
        index[0] = PyNumber_AsSsize_t(key, PyExc_IndexError);
        if (index[0] == -1 && PyErr_Occurred())
            return -1;
        if (v->ndim == 1)
            return 1;
        s = ndv_index(v, index[0], out);
    } else if (PySlice_Check(key)) {
        Py_ssize_t start, stop, step;
        if (PySlice_Unpack(key, &start, &stop, &step) < 0)
            return -1;
        s = ndv_slice(v, 0, start, stop, step, out);
    } else if (PyTuple_Check(key) && all_indices(key) && PyTuple_GET_SIZE(key) >= v->ndim) {
        return full_index(v, key, index) < 0 ? -1 : 1;
    } else {
        int tuple = PyTuple_Check(key);
        Py_ssize_t n = tuple ? PyTuple_GET_SIZE(key) : 1;
        if (tuple && consumes(key) > v->ndim) /* before any __index__ runs, as memoryview */
            return too_many(v, key);
        ndv_sub local[8], *subs = n <= 8 ? local : PyMem_Malloc((size_t)n * sizeof *subs);
        if (subs == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        int rc = 0;
        for (Py_ssize_t i = 0; rc == 0 && i < n; i++)
            rc = sub_of(tuple ? PyTuple_GET_ITEM(key, i) : key, &subs[i]);
        s = rc == 0 ? ndv_subscript(v, subs, (int)n, out) : NDV_OK;
        if (subs != local)
            PyMem_Free(subs);
        if (rc < 0)
            return -1;
    }
    if (s != NDV_OK) {
        ndvpy_raise(s);
        return -1;
    }
    return 0;
}

/* Step p to index i (an exact int) of dimension d; NULL if out of range or not one. */
static char *fast_step(const ndv_view *v, int d, char *p, PyObject *i_obj)
{
    if (!PyLong_CheckExact(i_obj))
        return NULL;
    Py_ssize_t i = PyLong_AsSsize_t(i_obj), n = v->shape[d];
    if (i < 0 && !PyErr_Occurred())
        i += n;
    if (i < 0 || i >= n) {
        PyErr_Clear();
        return NULL;
    }
    p += i * v->strides[d];
    return v->suboffsets && v->suboffsets[d] >= 0 ? *(char **)p + v->suboffsets[d] : p;
}

/*
 * v[i] or v[i, j, ...] (exact ints, one per dimension) of a live view of a
 * native format: the item's pointer, or NULL (then the general path
 * answers, errors included). No Python code runs here.
 */
static char *fast_item(View *self, PyObject *key)
{
    const ndv_view *v = &self->view;
    if (!self->code || self->released)
        return NULL;
    if (v->ndim == 1)
        return fast_step(v, 0, v->buf, key);
    if (!PyTuple_CheckExact(key) || PyTuple_GET_SIZE(key) != v->ndim || v->ndim == 0)
        return NULL;
    char *p = v->buf;
    for (int d = 0; p && d < v->ndim; d++)
        p = fast_step(v, d, p, PyTuple_GET_ITEM(key, d));
    return p;
}

/* A key whose conversion may run Python code (__index__): slices and non-int integers. */
static int runs_code(PyObject *key)
{
    if (PySlice_Check(key))
        return 1;
    if (!PyTuple_Check(key))
        return !PyLong_CheckExact(key) && PyIndex_Check(key);
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(key); i++)
        if (runs_code(PyTuple_GET_ITEM(key, i)))
            return 1;
    return 0;
}

static NDVPY_NOINLINE PyObject *subscript_general(View *self, PyObject *key);

/* v[i] of a native format stays light (no frame for the general path's buffers). */
PyObject *ndvpy_subscript(View *self, PyObject *key)
{
    char *p = fast_item(self, key);
    if (p != NULL)
        return ndvpy_native_get(self->code, p);
    return subscript_general(self, key);
}

static NDVPY_NOINLINE PyObject *subscript_general(View *self, PyObject *key)
{
    if (ndvpy_live(self) == NULL)
        return NULL;
    if (self->view.ndim == 0 && key == Py_Ellipsis)
        return Py_NewRef(self); /* memoryview returns itself */
    ptrdiff_t index[NDV_MAXDIM];
    ndv_view out = NDV_VIEW_INIT, pinned = NDV_VIEW_INIT;
    bool pin = !PyIndex_Check(key) && runs_code(key);
    if (pin) {
        /*
         * A slice's bounds may run Python code (__index__) that releases
         * self; as memoryview, the new view takes its share of the buffer
         * first, so the slice still succeeds then.
         */
        ndv_status s = ndv_view_from_view(&self->view, &pinned);
        if (s != NDV_OK)
            return ndvpy_raise(s);
    }
    int r = select_key(pin ? &pinned : &self->view, key, index, &out);
    ndv_release(&pinned);
    if (r < 0)
        return NULL;
    return r == 1 ? ndvpy_get_item(self, index) : ndvpy_wrap(self->mbuf, &out);
}

/* The ndv_view of a buffer-protocol object for a copy's source; *owner keeps it alive. */
static const ndv_view *source_view(PyObject *value, PyObject **owner, ndv_view *tmp)
{
    if (PyObject_TypeCheck(value, &ndvpy_ViewType)) {
        *owner = NULL;
        return ndvpy_live((View *)value);
    }
    Mbuf *m = ndvpy_mbuf_from_object(value, PyBUF_FULL_RO);
    if (m == NULL)
        return NULL;
    if (ndvpy_mbuf_register(m, PyBUF_FULL_RO, tmp) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    *owner = (PyObject *)m;
    return tmp;
}

/* dst[...] = value for a sub-view: a copy with memoryview's structure rule. */
static int assign_view(ndv_view *dst, PyObject *value)
{
    PyObject *owner;
    ndv_view tmp = NDV_VIEW_INIT;
    const ndv_view *src = source_view(value, &owner, &tmp);
    if (src == NULL)
        return -1;
    ndv_status s = ndv_copy(dst, src);
    ndv_release(&tmp);
    Py_XDECREF(owner);
    if (s == NDV_ERR_VALUE) {
        PyErr_SetString(PyExc_ValueError,
                        "memoryview assignment: lvalue and rvalue have different structures");
        return -1;
    }
    return s == NDV_OK ? 0 : (ndvpy_raise(s), -1);
}

static NDVPY_NOINLINE int ass_subscript_general(View *self, PyObject *key, PyObject *value);

/* v[i] = x of a native format stays light, as ndvpy_subscript. */
int ndvpy_ass_subscript(View *self, PyObject *key, PyObject *value)
{
    char *p = value != NULL && !self->view.readonly ? fast_item(self, key) : NULL;
    if (p != NULL)
        return ndvpy_store_native(self, p, value);
    return ass_subscript_general(self, key, value);
}

static NDVPY_NOINLINE int ass_subscript_general(View *self, PyObject *key, PyObject *value)
{
    const ndv_view *v = ndvpy_live(self);
    if (v == NULL)
        return -1;
    if (v->readonly) {
        PyErr_SetString(PyExc_TypeError, "cannot modify read-only memory");
        return -1;
    }
    if (value == NULL) {
        PyErr_SetString(PyExc_TypeError, "cannot delete memory");
        return -1;
    }
    if (v->ndim == 0 && key == Py_Ellipsis)
        return ndvpy_set_item(self, NULL, value);
    ptrdiff_t index[NDV_MAXDIM];
    ndv_view out = NDV_VIEW_INIT;
    if (PySlice_Check(key) && !PyObject_CheckBuffer(value)) { /* memoryview asks the value first */
        PyErr_Format(PyExc_TypeError, "a bytes-like object is required, not '%.100s'",
                     Py_TYPE(value)->tp_name);
        return -1;
    }
    int r = select_key(v, key, index, &out);
    if (r < 0)
        return -1;
    if (r == 1)
        return ndvpy_set_item(self, index, value);
    r = assign_view(&out, value);
    ndv_release(&out);
    return r;
}

/* ------------------------------------------------------------------------ */
/* Iteration, count, index                                                   */
/* ------------------------------------------------------------------------ */

typedef struct {
    PyObject_HEAD
    View *view; /* NULL when exhausted */
    Py_ssize_t next, length;
    char *item;       /* the next item, when direct */
    Py_ssize_t step;  /* bytes between items, when direct */
    char code;        /* a 1-D view of a native format without suboffsets: direct */
} Iter;

PyObject *ndvpy_iter(View *self)
{
    const ndv_view *v = ndvpy_live(self);
    if (v == NULL)
        return NULL;
    if (v->ndim == 0)
        return zero_dim();
    Iter *it = PyObject_GC_New(Iter, &ndvpy_IterType);
    if (it == NULL)
        return NULL;
    it->view = (View *)Py_NewRef(self);
    it->next = 0;
    it->length = v->shape[0];
    it->code = v->ndim == 1 && !v->suboffsets ? self->code : 0;
    it->item = v->buf;
    it->step = v->strides[0];
    PyObject_GC_Track(it);
    return (PyObject *)it;
}

/* Item i of any other view (struct formats, suboffsets, N-D: a sub-view). */
static NDVPY_NOINLINE PyObject *iter_general(View *self, ptrdiff_t i)
{
    if (self->view.ndim == 1)
        return ndvpy_get_item(self, &i);
    ndv_view row;
    ndv_status s = ndv_index(&self->view, i, &row);
    return s == NDV_OK ? ndvpy_wrap(self->mbuf, &row) : ndvpy_raise(s);
}

/* Released mid-way (memoryview's ValueError), or past the end (the View let go). */
static NDVPY_NOINLINE PyObject *iter_stop(Iter *it)
{
    View *self = it->view;
    if (self == NULL || ndvpy_live(self) == NULL)
        return NULL;
    it->view = NULL; /* and next >= length stays true, which iter_next tests first */
    Py_DECREF(self);
    return NULL;
}

/*
 * The common case stays a leaf: the rest is in functions of its own, so
 * this one ends in a tail call to the item's constructor (memoryview's
 * iteration is CPython's sequence iterator over memory_item).
 */
static PyObject *iter_next(Iter *it)
{
    View *self = it->view;
    ptrdiff_t i = it->next;
    if (i >= it->length || self->released) /* view is set while i < length */
        return iter_stop(it);
    it->next = i + 1;
    if (!it->code)
        return iter_general(self, i);
    char *p = it->item; /* straight from the memory */
    it->item += it->step;
    return ndvpy_native_get(it->code, p);
}

static void iter_dealloc(Iter *it)
{
    PyObject_GC_UnTrack(it);
    Py_XDECREF(it->view);
    PyObject_GC_Del(it);
}

static int iter_traverse(Iter *it, visitproc visit, void *arg)
{
    Py_VISIT(it->view);
    return 0;
}

PyTypeObject ndvpy_IterType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "ndview._ViewIterator",
    .tp_basicsize = sizeof(Iter),
    .tp_dealloc = (destructor)iter_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = (traverseproc)iter_traverse,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = (iternextfunc)iter_next,
};

/* Index of the first item in [start, stop) equal to value (-1: none, -2: error). */
static Py_ssize_t find(View *self, PyObject *value, Py_ssize_t start, Py_ssize_t stop,
                       Py_ssize_t *count)
{
    PyObject *it = ndvpy_iter(self);
    if (it == NULL)
        return -2;
    Py_ssize_t found = -1;
    for (Py_ssize_t i = 0; i < stop; i++) {
        PyObject *x = iter_next((Iter *)it);
        if (x == NULL) {
            if (PyErr_Occurred())
                found = -2;
            break;
        }
        int eq = i >= start ? PyObject_RichCompareBool(x, value, Py_EQ) : 0;
        Py_DECREF(x);
        if (eq < 0) {
            found = -2;
            break;
        }
        if (eq && count == NULL) {
            found = i;
            break;
        }
        if (eq)
            ++*count;
    }
    Py_DECREF(it);
    return found;
}

/*
 * An exact int against a 1-D view of an integer format: the items compared
 * as C integers, no object made and no Python code run, so the answer is
 * memoryview's (int == int is exact). With first: 1 at the first equal
 * item, else 0; without: how many are equal. -2 when this does not apply.
 */
#define SCAN(T, EQUAL)                                                                      \
    for (Py_ssize_t i = 0; i < n; i++, p += step) {                                       \
        T x;                                                                                \
        memcpy(&x, p, sizeof x);                                                            \
        if (EQUAL) {                                                                        \
            if (first)                                                                      \
                return 1;                                                                   \
            hits++;                                                                         \
        }                                                                                   \
    }                                                                                       \
    break;
#define SIGNED(T) SCAN(T, !big && (long long)x == want)
#define UNSIGNED(T) SCAN(T, (big || want >= 0) && (unsigned long long)x == uwant)
static Py_ssize_t int_scan(View *self, PyObject *value, bool first)
{
    const ndv_view *v = &self->view;
    if (v->ndim != 1 || v->suboffsets || self->code == 0 || !PyLong_CheckExact(value) ||
        !strchr("bBhHiIlLqQnN", self->code))
        return -2;
    int overflow;
    long long want = PyLong_AsLongLongAndOverflow(value, &overflow);
    unsigned long long uwant = (unsigned long long)want;
    bool big = overflow > 0; /* above LLONG_MAX: only an unsigned 64-bit item can equal it */
    if (overflow < 0)
        return 0; /* below every item */
    if (big) {
        uwant = PyLong_AsUnsignedLongLong(value);
        if (uwant == (unsigned long long)-1 && PyErr_Occurred()) {
            PyErr_Clear(); /* above every item */
            return 0;
        }
    }
    const char *p = v->buf;
    Py_ssize_t n = v->shape[0], step = v->strides[0], hits = 0;
    switch (self->code) {
    case 'b': SIGNED(signed char)
    case 'B': UNSIGNED(unsigned char)
    case 'h': SIGNED(short)
    case 'H': UNSIGNED(unsigned short)
    case 'i': SIGNED(int)
    case 'I': UNSIGNED(unsigned int)
    case 'l': SIGNED(long)
    case 'L': UNSIGNED(unsigned long)
    case 'q': SIGNED(long long)
    case 'Q': UNSIGNED(unsigned long long)
    case 'n': SIGNED(Py_ssize_t)
    case 'N': UNSIGNED(size_t)
    }
    return first ? 0 : hits;
}
#undef SIGNED
#undef UNSIGNED
#undef SCAN

int ndvpy_contains(View *self, PyObject *value)
{
    const ndv_view *v = ndvpy_live(self);
    if (v == NULL)
        return -1;
    Py_ssize_t r = int_scan(self, value, true);
    if (r != -2)
        return (int)r;
    if (v->ndim == 1 && self->code && !v->suboffsets) { /* the common case, straight */
        const char *p = v->buf;
        for (Py_ssize_t i = 0; i < v->shape[0]; i++, p += v->strides[0]) {
            PyObject *x = ndvpy_native_get(self->code, p);
            int eq = x ? PyObject_RichCompareBool(x, value, Py_EQ) : -1;
            Py_XDECREF(x);
            if (eq != 0)
                return eq;
            if (self->released) /* __eq__ may run code that releases self */
                return ndvpy_released_error(), -1;
        }
        return 0;
    }
    Py_ssize_t i = find(self, value, 0, PY_SSIZE_T_MAX, NULL);
    return i >= 0 ? 1 : i == -1 ? 0 : -1;
}

PyObject *ndvpy_count(View *self, PyObject *value)
{
    if (ndvpy_live(self) == NULL)
        return NULL;
    Py_ssize_t n = int_scan(self, value, false);
    if (n != -2)
        return PyLong_FromSsize_t(n);
    n = 0;
    if (find(self, value, 0, PY_SSIZE_T_MAX, &n) == -2)
        return NULL;
    return PyLong_FromSsize_t(n);
}

PyObject *ndvpy_index(View *self, PyObject *args)
{
    Py_ssize_t start = 0, stop = PY_SSIZE_T_MAX;
    PyObject *value;
    if (!PyArg_ParseTuple(args, "O|nn:index", &value, &start, &stop))
        return NULL;
    const ndv_view *v = ndvpy_live(self);
    if (v == NULL)
        return NULL;
    if (v->ndim == 0) {
        PyErr_SetString(PyExc_TypeError, "invalid lookup on 0-dim memory");
        return NULL;
    }
    Py_ssize_t n = v->shape[0];
    start = start < 0 ? (start + n > 0 ? start + n : 0) : start;
    stop = stop < 0 ? (stop + n > 0 ? stop + n : 0) : stop < n ? stop : n;
    Py_ssize_t i = find(self, value, start, stop, NULL);
    if (i == -1)
        PyErr_SetString(PyExc_ValueError, "memoryview.index(x): x not found");
    return i < 0 ? NULL : PyLong_FromSsize_t(i);
}
