/*
 * dlpack.c - views to and from DLPack tensors (DLManagedTensor, DLPack 0.6+).
 *
 * Ownership, in both directions:
 *  - ndv_from_dlpack takes the tensor only on success. The tensor becomes
 *    the exporter of a registration; its deleter runs when the last view of
 *    that registration is released. On failure the caller still owns it.
 *  - ndv_to_dlpack makes a tensor that holds its own view of the source's
 *    registration (so the memory stays registered while the tensor lives);
 *    the tensor's deleter releases that view and frees the tensor.
 *
 * Built without <dlpack/dlpack.h> (meson option dlpack=disabled, or
 * Debian's libdlpack-dev absent) both functions exist and return
 * NDV_ERR_NOTIMPL, so the library's ABI does not depend on the option.
 */
#include "convert.h"
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>

#if !defined(NDV_HAVE_DLPACK)

ndv_status ndv_from_dlpack(ndv_view *out, struct DLManagedTensor *tensor, bool readonly)
{
    (void)tensor;
    (void)readonly;
    if (out)
        ndv__view_clear(out);
    return ndv__error(NDV_ERR_NOTIMPL, "ndview was built without DLPack support");
}

ndv_status ndv_to_dlpack(const ndv_view *view, struct DLManagedTensor **out)
{
    (void)view;
    if (out)
        *out = NULL;
    return ndv__error(NDV_ERR_NOTIMPL, "ndview was built without DLPack support");
}

#else

#include <dlpack/dlpack.h>

/* DLPack 0.8 added kDLBool; the 0.6 header Debian ships predates it. */
enum { NDV_DL_BOOL = 6 };

/* ------------------------------------------------------------------------ */
/* dtypes and formats                                                        */
/* ------------------------------------------------------------------------ */

/* The native struct code for a DLPack scalar type, or NULL if there is none. */
static const char *code_of_dtype(uint8_t code, uint8_t bits)
{
    static const char *const ints[] = {"b", "h", "i", "q"}, *const uints[] = {"B", "H", "I", "Q"};
    static const char *const floats[] = {NULL, "e", "f", "d"};
    int lg = bits == 8 ? 0 : bits == 16 ? 1 : bits == 32 ? 2 : bits == 64 ? 3 : -1;
    switch (code) {
    case kDLInt: return lg >= 0 ? ints[lg] : NULL;
    case kDLUInt: return lg >= 0 ? uints[lg] : NULL;
    case kDLFloat: return lg >= 0 ? floats[lg] : NULL;
    case kDLComplex: return bits == 64 ? "Zf" : bits == 128 ? "Zd" : NULL;
    case NDV_DL_BOOL: return bits == 8 ? "?" : NULL;
    default: return NULL;
    }
}

/* The DLPack type of one field of a parsed format; false if it has none. */
static bool dtype_of_field(const ndv__field *f, DLDataType *dt)
{
    uint8_t code;
    switch (f->kind) {
    case NDV__K_SINT: code = kDLInt; break;
    case NDV__K_UINT: code = kDLUInt; break;
    case NDV__K_FLOAT: code = kDLFloat; break;
    case NDV__K_COMPLEX: code = kDLComplex; break;
    case NDV__K_BOOL: code = NDV_DL_BOOL; break;
    default: return false;
    }
    if (f->size > 16 || f->count > UINT16_MAX)
        return false;
    *dt = (DLDataType){code, (uint8_t)(f->size * 8), (uint16_t)f->count};
    /* Only types that map back to the same layout: no x87 'g', no 'Zg'. */
    return code_of_dtype(code, dt->bits) != NULL;
}

/* ------------------------------------------------------------------------ */
/* A DLManagedTensor as an exporter                                          */
/* ------------------------------------------------------------------------ */

/*
 * The exporter object: the tensor plus what ndview is told about it. Owned
 * by the registration once ndv_from_dlpack succeeds (taken), by
 * ndv_from_dlpack until then.
 */
typedef struct import {
    DLManagedTensor *tensor;
    bool readonly, taken;
    char format[16];
    ptrdiff_t arrays[]; /* shape, then strides */
} import;

/* Element strides (NULL: C order) to byte strides and the byte length; false on overflow. */
static bool byte_geometry(const DLTensor *t, ptrdiff_t itemsize, ptrdiff_t *shape,
                          ptrdiff_t *strides, ptrdiff_t *len)
{
    ptrdiff_t n = 1;
    for (int d = t->ndim - 1; d >= 0; d--) {
        shape[d] = (ptrdiff_t)t->shape[d];
        int64_t elems = t->strides ? t->strides[d] : n;
        if (t->shape[d] > PTRDIFF_MAX || elems > PTRDIFF_MAX || elems < -PTRDIFF_MAX ||
            !ndv__mul((ptrdiff_t)elems, itemsize, &strides[d]) || !ndv__mul(n, shape[d], &n))
            return false;
    }
    return ndv__mul(n, itemsize, len);
}

static ndv_status tensor_getbuffer(void *obj, ndv_buffer *b, int flags)
{
    import *im = obj;
    const DLTensor *t = &im->tensor->dl_tensor;
    if ((flags & NDV_BUF_WRITABLE) && im->readonly)
        return ndv_raise(NDV_ERR_BUFFER, "Object is not writable.");
    ndv_status s = ndv_calcsize(im->format, &b->itemsize);
    if (s != NDV_OK)
        return s;
    ptrdiff_t *shape = im->arrays, *strides = im->arrays + t->ndim;
    if (!byte_geometry(t, b->itemsize, shape, strides, &b->len))
        return ndv_raise(NDV_ERR_OVERFLOW, "DLPack tensor: shape or strides overflow");
    b->buf = (char *)t->data + t->byte_offset;
    b->obj = obj;
    b->readonly = im->readonly;
    b->ndim = t->ndim;
    b->format = im->format;
    b->shape = shape;
    b->strides = strides;
    b->suboffsets = NULL;
    return NDV_OK;
}

/* The last view is gone: hand the tensor back to its producer. */
static void tensor_releasebuffer(void *obj, ndv_buffer *b)
{
    (void)b;
    import *im = obj;
    if (!im->taken) /* ndv_from_dlpack is failing; the caller keeps the tensor */
        return;
    if (im->tensor->deleter)
        im->tensor->deleter(im->tensor);
    free(im);
}

static const ndv_exporter tensor_exporter = {tensor_getbuffer, tensor_releasebuffer};

/* Is the tensor's memory readable by the CPU? */
static bool host_device(DLDeviceType type)
{
    return type == kDLCPU || type == kDLCUDAHost || type == kDLROCMHost;
}

static ndv_status check_tensor(const DLTensor *t)
{
    if (!host_device(t->device.device_type))
        return ndv__error(NDV_ERR_VALUE, "DLPack tensor: device type %d is not CPU memory",
                          (int)t->device.device_type);
    if (t->ndim < 0 || t->ndim > NDV_MAXDIM)
        return ndv__error(NDV_ERR_VALUE, "DLPack tensor: ndim %d is outside 0..%d", t->ndim,
                          NDV_MAXDIM);
    if (t->ndim > 0 && t->shape == NULL)
        return ndv__error(NDV_ERR_VALUE, "DLPack tensor: shape is NULL");
    for (int d = 0; d < t->ndim; d++)
        if (t->shape[d] < 0)
            return ndv__error(NDV_ERR_VALUE, "DLPack tensor: negative extent on dimension %d", d);
    if (t->byte_offset > PTRDIFF_MAX)
        return ndv__error(NDV_ERR_OVERFLOW, "DLPack tensor: byte_offset overflows");
    if (t->data == NULL && t->byte_offset != 0)
        return ndv__error(NDV_ERR_VALUE, "DLPack tensor: byte_offset on a NULL data pointer");
    return NDV_OK;
}

ndv_status ndv_from_dlpack(ndv_view *out, struct DLManagedTensor *tensor, bool readonly)
{
    NDV__CHECK_ARG(out, "ndv_from_dlpack");
    ndv__view_clear(out);
    NDV__CHECK_ARG(tensor, "ndv_from_dlpack");
    const DLTensor *t = &tensor->dl_tensor;
    ndv_status s = check_tensor(t);
    if (s != NDV_OK)
        return s;
    const char *code = code_of_dtype(t->dtype.code, t->dtype.bits);
    if (code == NULL || t->dtype.lanes == 0)
        return ndv__error(NDV_ERR_TYPE, "DLPack dtype (code %u, bits %u, lanes %u) has no format",
                          t->dtype.code, t->dtype.bits, t->dtype.lanes);
    import *im = malloc(sizeof *im + 2 * (size_t)t->ndim * sizeof(ptrdiff_t));
    if (im == NULL)
        return ndv__error(NDV_ERR_NOMEM, "out of memory importing a DLPack tensor");
    *im = (import){tensor, readonly, false, {0}};
    if (t->dtype.lanes == 1)
        snprintf(im->format, sizeof im->format, "%s", code);
    else
        snprintf(im->format, sizeof im->format, "%u%s", t->dtype.lanes, code);
    s = ndv_view_from_exporter(out, im, &tensor_exporter,
                               readonly ? NDV_BUF_FULL_RO : NDV_BUF_FULL);
    if (s != NDV_OK) {
        free(im);
        return s;
    }
    im->taken = true;
    return NDV_OK;
}

/* ------------------------------------------------------------------------ */
/* A view as a DLManagedTensor                                               */
/* ------------------------------------------------------------------------ */

/* The tensor ndv_to_dlpack makes, with everything it points to. */
typedef struct export {
    DLManagedTensor tensor; /* first: the deleter casts back */
    ndv_view view;          /* keeps the registration alive */
    int64_t arrays[];       /* shape, then strides */
} export;

static void export_deleter(DLManagedTensor *self)
{
    export *ex = (export *)self;
    ndv_release(&ex->view);
    free(ex);
}

/* The tensor's dtype, or a status saying why the view's format has none. */
static ndv_status dtype_of_view(const ndv_view *v, DLDataType *dt)
{
    const ndv__format *f = v->internal_->fmt;
    const ndv__field *field = &f->fields[0];
    /* An exporter that gave no format has items of its own itemsize called "B"
     * (CPython's rule): they are not uint8 values, and no dtype describes them. */
    if (f->itemsize != v->itemsize)
        return ndv__error(NDV_ERR_TYPE,
                          "format '%s' describes %td-byte items, the view's items have %td bytes",
                          v->format, f->itemsize, v->itemsize);
    if (f->nfields != 1 || field->offset != 0 || field->size * field->count != f->itemsize ||
        !dtype_of_field(field, dt))
        return ndv__error(NDV_ERR_TYPE, "format '%s' has no DLPack dtype", v->format);
    if (field->size > 1 && ndv__needs_swap(field->order))
        return ndv__error(NDV_ERR_TYPE,
                          "format '%s' is not in the host's byte order, which DLPack assumes",
                          v->format);
    return NDV_OK;
}

static ndv_status check_exportable(const ndv_view *v)
{
    const ndv__state *st = v->internal_;
    if (v->readonly) /* DLPack 0.6 cannot say "read-only"; NumPy refuses the same way */
        return ndv__error(NDV_ERR_BUFFER,
                          "Cannot export readonly view since signalling readonly is unsupported "
                          "by DLPack");
    if (st->suboffsets)
        return ndv__error(NDV_ERR_NOTIMPL, "DLPack cannot describe a view with suboffsets");
    for (int d = 0; d < st->ndim; d++)
        if (st->strides[d] % v->itemsize != 0)
            return ndv__error(NDV_ERR_VALUE,
                              "stride %td of dimension %d is not a multiple of the itemsize %td",
                              st->strides[d], d, v->itemsize);
    return NDV_OK;
}

ndv_status ndv_to_dlpack(const ndv_view *view, struct DLManagedTensor **out)
{
    NDV__CHECK_ARG(out, "ndv_to_dlpack");
    *out = NULL;
    ndv_status s = ndv__check_live(view);
    DLDataType dt;
    if (s != NDV_OK || (s = dtype_of_view(view, &dt)) != NDV_OK ||
        (s = check_exportable(view)) != NDV_OK)
        return s;
    const ndv__state *st = view->internal_;
    export *ex = calloc(1, sizeof *ex + 2 * (size_t)(st->ndim ? st->ndim : 1) * sizeof(int64_t));
    if (ex == NULL)
        return ndv__error(NDV_ERR_NOMEM, "out of memory exporting a DLPack tensor");
    if ((s = ndv_view_from_view(view, &ex->view)) != NDV_OK) {
        free(ex);
        return s;
    }
    int64_t *shape = ex->arrays, *strides = ex->arrays + st->ndim;
    for (int d = 0; d < st->ndim; d++) {
        shape[d] = st->shape[d];
        strides[d] = st->strides[d] / view->itemsize;
    }
    ex->tensor.dl_tensor = (DLTensor){
        .data = view->buf,
        .device = {kDLCPU, 0},
        .ndim = st->ndim,
        .dtype = dt,
        .shape = shape,
        .strides = strides,
        .byte_offset = 0,
    };
    ex->tensor.manager_ctx = NULL;
    ex->tensor.deleter = export_deleter;
    *out = &ex->tensor;
    return NDV_OK;
}

#endif /* NDV_HAVE_DLPACK */
