/*
 * dlpack.c - DLPack both ways: View.__dlpack__ / __dlpack_device__ (so
 * numpy.from_dlpack(view) works) on ndv_to_dlpack, and View.from_dlpack on
 * ndv_from_dlpack. The capsule protocol is the DLPack Python
 * specification's: a capsule named "dltensor", renamed "used_dltensor" by
 * the consumer that takes the tensor; an unused capsule deletes its tensor.
 */
#include "ndview_py.h"

#ifdef NDVPY_HAVE_DLPACK
#include <dlpack/dlpack.h>

/*
 * The tensor handed out: ndv_to_dlpack's, plus a reference to the Mbuf,
 * whose registration callbacks the tensor's view may run after every View
 * is gone. The consumer may delete it without the GIL.
 */
typedef struct {
    DLManagedTensor outer;
    DLManagedTensor *inner;
    Mbuf *mbuf;
} Exported;

static void exported_delete(DLManagedTensor *t)
{
    Exported *e = t->manager_ctx;
    PyGILState_STATE g = PyGILState_Ensure();
    e->inner->deleter(e->inner);
    Py_DECREF(e->mbuf);
    PyGILState_Release(g);
    PyMem_RawFree(e);
}

static void capsule_delete(PyObject *capsule)
{
    if (PyCapsule_IsValid(capsule, "used_dltensor"))
        return; /* a consumer took the tensor */
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    DLManagedTensor *t = PyCapsule_GetPointer(capsule, "dltensor");
    if (t == NULL)
        PyErr_WriteUnraisable(capsule);
    else if (t->deleter)
        t->deleter(t);
    PyErr_Restore(type, value, tb);
}

PyObject *ndvpy_dlpack(View *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"stream", NULL};
    PyObject *stream = Py_None;
    const ndv_view *v = ndvpy_live(self);
    if (v == NULL || !PyArg_ParseTupleAndKeywords(args, kwds, "|$O:__dlpack__", kwlist, &stream))
        return NULL;
    if (stream != Py_None) {
        PyErr_SetString(PyExc_RuntimeError, "ndview only supports stream=None.");
        return NULL;
    }
    Exported *e = PyMem_RawMalloc(sizeof *e);
    if (e == NULL)
        return PyErr_NoMemory();
    ndv_status s = ndv_to_dlpack(v, &e->inner);
    if (s != NDV_OK) {
        PyMem_RawFree(e);
        return ndvpy_raise(s);
    }
    e->outer = (DLManagedTensor){e->inner->dl_tensor, e, exported_delete};
    e->mbuf = (Mbuf *)Py_NewRef(self->mbuf);
    PyObject *capsule = PyCapsule_New(&e->outer, "dltensor", capsule_delete);
    if (capsule == NULL)
        exported_delete(&e->outer);
    return capsule;
}

PyObject *ndvpy_from_dlpack(PyObject *cls, PyObject *obj)
{
    (void)cls;
    PyObject *capsule = PyCapsule_CheckExact(obj) ? Py_NewRef(obj)
                                                   : PyObject_CallMethod(obj, "__dlpack__", NULL);
    if (capsule == NULL)
        return NULL;
    DLManagedTensor *t = PyCapsule_GetPointer(capsule, "dltensor");
    if (t == NULL) {
        Py_DECREF(capsule);
        return NULL; /* ValueError: not a capsule, or one already used */
    }
    Mbuf *m = ndvpy_mbuf_of_producer(obj);
    ndv_view v = NDV_VIEW_INIT;
    ndv_status s = m ? ndv_from_dlpack(&v, t, false) : NDV_ERR_NOMEM;
    PyObject *out = NULL;
    if (s == NDV_OK) {
        PyCapsule_SetName(capsule, "used_dltensor"); /* the view owns the tensor now */
        out = ndvpy_wrap(m, &v);
    } else if (m != NULL) {
        ndvpy_raise(s);
    }
    Py_XDECREF(m);
    Py_DECREF(capsule);
    return out;
}

#else /* built without <dlpack/dlpack.h>: the same methods, refusing */

static PyObject *no_dlpack(void)
{
    PyErr_SetString(PyExc_NotImplementedError, "ndview was built without DLPack");
    return NULL;
}

PyObject *ndvpy_dlpack(View *self, PyObject *args, PyObject *kwds)
{
    (void)self, (void)args, (void)kwds;
    return no_dlpack();
}

PyObject *ndvpy_from_dlpack(PyObject *cls, PyObject *obj)
{
    (void)cls, (void)obj;
    return no_dlpack();
}

#endif

PyObject *ndvpy_dlpack_device(View *self, PyObject *unused)
{
    (void)unused;
    if (ndvpy_live(self) == NULL)
        return NULL;
    return Py_BuildValue("(ii)", 1, 0); /* (kDLCPU, device 0) */
}
