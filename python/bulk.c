/*
 * bulk.c - the operations over every item: tobytes, hex, tolist, unpack_as,
 * astype, copy_from. Long ones drop the GIL and count themselves in View.busy, so
 * View.release() from another thread refuses (BufferError) while they run.
 */
#include "ndview_py.h"

#include <string.h>

/* ------------------------------------------------------------------------ */
/* tobytes, hex, unpack_as                                                   */
/* ------------------------------------------------------------------------ */

PyObject *ndvpy_tobytes(View *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"order", NULL};
    const char *order = "C";
    const ndv_view *v = ndvpy_live(self);
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
        return ndvpy_raise(s);
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

PyObject *ndvpy_hex(View *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"sep", "bytes_per_sep", NULL};
    PyObject *sep_obj = NULL;
    int bytes_per_sep = 1, sep;
    const ndv_view *v = ndvpy_live(self);
    if (v == NULL || !PyArg_ParseTupleAndKeywords(args, kwds, "|Oi:hex", kwlist, &sep_obj,
                                                  &bytes_per_sep) ||
        parse_sep(sep_obj, &sep) < 0)
        return NULL;
    ptrdiff_t n;
    int c_sep = sep < 0 ? 0 : sep == 0 ? ':' : sep;
    ndv_status s = ndv_hex(v, NULL, 0, c_sep, bytes_per_sep, &n);
    if (s != NDV_OK)
        return ndvpy_raise(s);
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
        return ndvpy_raise(s);
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
PyObject *ndvpy_unpack_as(View *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"dtype", "out", NULL};
    const char *name, *code;
    PyObject *out = Py_None;
    ndv_dtype to;
    const ndv_view *v = ndvpy_live(self);
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
        return ndvpy_raise(s);
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

/*
 * memoryview.tolist for every other format, from ndv_tolist's flat values,
 * a block of rows at a time: one ndv call fills a small tagged buffer (it stays in cache) at
 * kernel speed, then the objects are made here. A callback per value
 * (ndv_tolist_visit) would cost more than the objects themselves.
 */
enum { BLOCK_VALUES = 2048 };

/* The nested lists of dimensions dim.. of v for values at *next (k per item). */
static PyObject *build(const ndv_view *v, int dim, const ndv_value **next, ptrdiff_t k)
{
    if (dim == v->ndim) {
        *next += k;
        return ndvpy_item_object(*next - k, k);
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
        ndvpy_raise(s);
        return -1;
    }
    const ndv_value *next = buf;
    ptrdiff_t k = ndv_item_values(part);
    for (ptrdiff_t r = 0; r < part->shape[0]; r++) {
        PyObject *x = part->ndim == 1 && k == 1 ? ndvpy_value_object(next++) : build(part, 1, &next, k);
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
    ndvpy_raise(s);
fail:
    ndv_release(&part);
    Py_XDECREF(list);
    return NULL;
}

/*
 * Dimensions dim.. of v from p, for memoryview's own formats without
 * suboffsets: each item straight from the memory, as memoryview's
 * tolist_rec (the objects cost more than any decoding here).
 */
/*
 * One innermost row into items[0..n): the format's switch taken once per row
 * for the common codes (memoryview takes it per item), ndvpy_native_get for
 * the rest. -1 when an object cannot be made (items made so far are set).
 */
static int native_row(PyObject **items, char code, const char *p, ptrdiff_t n, ptrdiff_t step)
{
#define ROW(type, make)                                                  \
    for (ptrdiff_t i = 0; i < n; i++, p += step) {                       \
        type x;                                                          \
        memcpy(&x, p, sizeof x);                                         \
        if ((items[i] = make(x)) == NULL)                                \
            return -1;                                                   \
    }                                                                    \
    return 0;
    switch (code) {
    case 'b': ROW(signed char, PyLong_FromLong)
    case 'B': ROW(unsigned char, PyLong_FromLong)
    case 'h': ROW(short, PyLong_FromLong)
    case 'H': ROW(unsigned short, PyLong_FromLong)
    case 'i': ROW(int, PyLong_FromLong)
    case 'I': ROW(unsigned int, PyLong_FromUnsignedLong)
    case 'l': ROW(long, PyLong_FromLong)
    case 'L': ROW(unsigned long, PyLong_FromUnsignedLong)
    case 'q': ROW(long long, PyLong_FromLongLong)
    case 'Q': ROW(unsigned long long, PyLong_FromUnsignedLongLong)
    case 'f': ROW(float, PyFloat_FromDouble)
    case 'd': ROW(double, PyFloat_FromDouble)
    default:
        for (ptrdiff_t i = 0; i < n; i++, p += step)
            if ((items[i] = ndvpy_native_get(code, p)) == NULL)
                return -1;
        return 0;
    }
#undef ROW
}

static PyObject *native_list(const ndv_view *v, char code, int dim, const char *p)
{
    if (dim == v->ndim)
        return ndvpy_native_get(code, p);
    const ptrdiff_t n = v->shape[dim], step = v->strides[dim];
    PyObject *list = PyList_New(n);
    if (list == NULL)
        return NULL;
    PyObject **items = ((PyListObject *)list)->ob_item;
    int rc = 0;
    if (dim + 1 == v->ndim) {
        rc = native_row(items, code, p, n, step);
    } else {
        for (ptrdiff_t i = 0; rc == 0 && i < n; i++, p += step)
            rc = (items[i] = native_list(v, code, dim + 1, p)) == NULL ? -1 : 0;
    }
    if (rc < 0) { /* the list owns what was made; the rest is NULL */
        Py_DECREF(list);
        return NULL;
    }
    return list;
}

PyObject *ndvpy_tolist(View *self, PyObject *unused)
{
    (void)unused;
    const ndv_view *v = ndvpy_live(self);
    if (v == NULL)
        return NULL;
    if (self->code && !v->suboffsets)
        return native_list(v, self->code, 0, v->buf);
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
        out = s == NDV_OK ? build(v, 0, &next, k) : ndvpy_raise(s);
    }
    PyMem_Free(buf);
    return out;
}


/* ------------------------------------------------------------------------ */
/* astype                                                                    */
/* ------------------------------------------------------------------------ */

static int parse_casting(const char *name, ndv_casting *out)
{
    static const char *const names[] = {"no", "equiv", "safe", "same_kind", "unsafe"};
    for (int i = 0; i < 5; i++)
        if (strcmp(name, names[i]) == 0) {
            *out = (ndv_casting)i;
            return 0;
        }
    PyErr_SetString(PyExc_ValueError,
                    "casting must be one of 'no', 'equiv', 'safe', 'same_kind', or 'unsafe'");
    return -1;
}

/* NumPy's astype: the values converted into a new C-contiguous buffer of format. */
PyObject *ndvpy_astype(View *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"format", "casting", NULL};
    const char *format, *casting_name = "same_kind";
    ndv_casting casting;
    const ndv_view *v = ndvpy_live(self);
    if (v == NULL ||
        !PyArg_ParseTupleAndKeywords(args, kwds, "s|s:astype", kwlist, &format, &casting_name) ||
        parse_casting(casting_name, &casting) < 0)
        return NULL;
    ptrdiff_t itemsize;
    ndv_status s = ndv_calcsize(format, &itemsize);
    if (s != NDV_OK)
        return ndvpy_raise(s);
    Mbuf *m = ndvpy_mbuf_owned(format, itemsize, v->ndim, v->shape);
    ndv_view out = NDV_VIEW_INIT;
    if (m == NULL || ndvpy_mbuf_register(m, PyBUF_FULL, &out) < 0) {
        Py_XDECREF(m);
        return NULL;
    }
    self->busy++;
    Py_BEGIN_ALLOW_THREADS
    s = ndv_convert(&out, v, casting);
    Py_END_ALLOW_THREADS
    self->busy--;
    PyObject *result = s == NDV_OK ? ndvpy_wrap(m, &out) : ndvpy_raise(s);
    if (result == NULL)
        ndv_release(&out);
    Py_DECREF(m);
    return result;
}

/* np.copyto(self, src, casting): src's values broadcast and converted into this View (ndv_convert). */
PyObject *ndvpy_copy_from(View *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"src", "casting", NULL};
    PyObject *obj;
    const char *casting_name = "same_kind";
    ndv_casting casting;
    if (ndvpy_live(self) == NULL ||
        !PyArg_ParseTupleAndKeywords(args, kwds, "O|s:copy_from", kwlist, &obj, &casting_name) ||
        parse_casting(casting_name, &casting) < 0)
        return NULL;
    PyObject *src = PyObject_TypeCheck(obj, &ndvpy_ViewType)
                        ? Py_NewRef(obj)
                        : PyObject_CallOneArg((PyObject *)&ndvpy_ViewType, obj);
    if (src == NULL)
        return NULL;
    View *other = (View *)src;
    if (ndvpy_live(other) == NULL) {
        Py_DECREF(src);
        return NULL;
    }
    ndv_status s;
    self->busy++;
    other->busy++;
    Py_BEGIN_ALLOW_THREADS
    s = ndv_convert(&self->view, &other->view, casting);
    Py_END_ALLOW_THREADS
    self->busy--;
    other->busy--;
    Py_DECREF(src);
    if (s != NDV_OK)
        return ndvpy_raise(s);
    Py_RETURN_NONE;
}
