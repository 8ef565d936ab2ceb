/*
 * native.c - one item of a native single-character format to and from a
 * Python object directly: the hot path of v[i], v[i] = x and iteration.
 *
 * memoryview serves exactly these formats with its unpack_single and
 * pack_single; doing the same here (instead of going through ndv_value)
 * is what keeps View's per-item calls at memoryview's speed. The rules are
 * pack_single's: integers through __index__ with a range check
 * (ValueError "invalid value"), wrong types TypeError "invalid type", 'f'
 * the C cast, 'e' IEEE half with OverflowError turned into ValueError,
 * '?' any object's truth, 'c' one byte. Converting runs Python code
 * (__index__, __float__, __bool__) that may release the view, so a value
 * is packed first and stored only after the caller has checked again, as
 * pack_single does. Every other format takes the
 * general path (ndv_unpack_item / ndv_pack_item); the hypothesis and
 * outside-suite tests hold both to memoryview's answers.
 */
#include "ndview_py.h"

#include <limits.h>
#include <stdbool.h>
#include <string.h>

PyObject *ndvpy_not_native(char code)
{
    PyErr_Format(PyExc_SystemError, "ndview: '%c' is not a native code", code);
    return NULL;
}

int ndvpy_invalid(PyObject *type, const char *format)
{
    PyErr_Format(type, "memoryview: invalid %s for format '%s'",
                 type == PyExc_TypeError ? "type" : "value", format + (format[0] == '@'));
    return -1;
}

int ndvpy_conversion_error(const char *format)
{
    bool type = PyErr_ExceptionMatches(PyExc_TypeError);
    if (!type && !PyErr_ExceptionMatches(PyExc_OverflowError) &&
        !PyErr_ExceptionMatches(PyExc_ValueError))
        return -1; /* MemoryError, KeyboardInterrupt...: as they are */
    PyErr_Clear();
    return ndvpy_invalid(type ? PyExc_TypeError : PyExc_ValueError, format);
}

/* The same for a native code. */
static int fail(char code)
{
    return ndvpy_conversion_error((const char[]){code, '\0'});
}

static int out_of_range(char code)
{
    return ndvpy_invalid(PyExc_ValueError, (const char[]){code, '\0'});
}

/* x as a signed integer in [lo, hi] (through __index__). */
static int as_signed(PyObject *x, char code, long long lo, long long hi, long long *out)
{
    PyObject *i = PyNumber_Index(x);
    if (i == NULL)
        return fail(code);
    *out = PyLong_AsLongLong(i);
    Py_DECREF(i);
    if (*out == -1 && PyErr_Occurred())
        return fail(code);
    return *out < lo || *out > hi ? out_of_range(code) : 0;
}

/* x as an unsigned integer up to hi (through __index__; negative values are out of range). */
static int as_unsigned(PyObject *x, char code, unsigned long long hi, unsigned long long *out)
{
    PyObject *i = PyNumber_Index(x);
    if (i == NULL)
        return fail(code);
    *out = PyLong_AsUnsignedLongLong(i);
    Py_DECREF(i);
    if (*out == (unsigned long long)-1 && PyErr_Occurred())
        return fail(code);
    return *out > hi ? out_of_range(code) : 0;
}

int ndvpy_native_pack(char code, PyObject *x, ndvpy_packed *out)
{
    union { signed char b; unsigned char B; short h; unsigned short H; int i; unsigned I;
            long l; unsigned long L; long long q; unsigned long long Q; Py_ssize_t n;
            size_t N; float f; double d; _Bool t; void *P; char e[2]; } u;
    _Static_assert(sizeof u <= sizeof out->bytes, "an item fits ndvpy_packed");
    long long s;
    unsigned long long w;
    double d;
    size_t size;
    switch (code) {
    case 'b': if (as_signed(x, code, SCHAR_MIN, SCHAR_MAX, &s)) return -1; u.b = (signed char)s; size = 1; break;
    case 'h': if (as_signed(x, code, SHRT_MIN, SHRT_MAX, &s)) return -1; u.h = (short)s; size = sizeof u.h; break;
    case 'i': if (as_signed(x, code, INT_MIN, INT_MAX, &s)) return -1; u.i = (int)s; size = sizeof u.i; break;
    case 'l': if (as_signed(x, code, LONG_MIN, LONG_MAX, &s)) return -1; u.l = (long)s; size = sizeof u.l; break;
    case 'q': if (as_signed(x, code, LLONG_MIN, LLONG_MAX, &s)) return -1; u.q = s; size = sizeof u.q; break;
    case 'n': if (as_signed(x, code, PY_SSIZE_T_MIN, PY_SSIZE_T_MAX, &s)) return -1; u.n = (Py_ssize_t)s; size = sizeof u.n; break;
    case 'B': if (as_unsigned(x, code, UCHAR_MAX, &w)) return -1; u.B = (unsigned char)w; size = 1; break;
    case 'H': if (as_unsigned(x, code, USHRT_MAX, &w)) return -1; u.H = (unsigned short)w; size = sizeof u.H; break;
    case 'I': if (as_unsigned(x, code, UINT_MAX, &w)) return -1; u.I = (unsigned)w; size = sizeof u.I; break;
    case 'L': if (as_unsigned(x, code, ULONG_MAX, &w)) return -1; u.L = (unsigned long)w; size = sizeof u.L; break;
    case 'Q': if (as_unsigned(x, code, ULLONG_MAX, &w)) return -1; u.Q = w; size = sizeof u.Q; break;
    case 'N': if (as_unsigned(x, code, SIZE_MAX, &w)) return -1; u.N = (size_t)w; size = sizeof u.N; break;
    case 'f': case 'd': case 'e':
        d = PyFloat_AsDouble(x);
        if (d == -1.0 && PyErr_Occurred())
            return fail(code);
        if (code == 'f') { u.f = (float)d; size = sizeof u.f; } /* the C cast, as memoryview */
        else if (code == 'd') { u.d = d; size = sizeof u.d; }
        else if (PyFloat_Pack2(d, u.e, PY_LITTLE_ENDIAN) < 0) return fail(code);
        else size = 2;
        break;
    case '?': {
        int t = PyObject_IsTrue(x);
        if (t < 0)
            return -1;
        u.t = t;
        size = sizeof u.t;
        break;
    }
    case 'c':
        if (!PyBytes_Check(x)) { PyErr_SetString(PyExc_TypeError, ""); return fail(code); }
        if (PyBytes_GET_SIZE(x) != 1) return out_of_range(code);
        u.B = (unsigned char)PyBytes_AS_STRING(x)[0];
        size = 1;
        break;
    case 'P':
        u.P = PyLong_AsVoidPtr(x);
        if (u.P == NULL && PyErr_Occurred())
            return fail(code);
        size = sizeof u.P;
        break;
    default:
        PyErr_Format(PyExc_SystemError, "ndview: '%c' is not a native code", code);
        return -1;
    }
    memcpy(out->bytes, &u, size);
    out->size = size;
    return 0;
}
