/*
 * bytes.c - ndv_bytes, an owned growable block (bytearray's export rules).
 *
 * An ordinary exporter on the public protocol, like dlpack.c: it counts the
 * buffers it has handed out and refuses to resize or free while any is
 * live. It is the canonical subject of the export-locking tests.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

struct ndv_bytes {
    unsigned char *data;
    ptrdiff_t size;
    atomic_long exports;
};

ndv_status ndv_bytes_new(ndv_bytes **out, ptrdiff_t size)
{
    NDV__CHECK_ARG(out, "ndv_bytes_new");
    *out = NULL;
    if (size < 0)
        return ndv__error(NDV_ERR_VALUE, "ndv_bytes_new: size must not be negative");
    ndv_bytes *b = malloc(sizeof *b);
    /* calloc(0) may return NULL; one spare byte keeps data valid and distinct. */
    unsigned char *data = b ? calloc((size_t)size + 1, 1) : NULL;
    if (!data) {
        free(b);
        return ndv__error(NDV_ERR_NOMEM, "out of memory allocating %td bytes", size);
    }
    b->data = data;
    b->size = size;
    atomic_init(&b->exports, 0);
    *out = b;
    return NDV_OK;
}

/* bytearray's refusal; `what` is "re-sized" or "freed". */
static ndv_status check_unexported(const ndv_bytes *b, const char *what)
{
    if (atomic_load_explicit(&b->exports, memory_order_acquire) > 0)
        return ndv__error(NDV_ERR_BUFFER, "Existing exports of data: object cannot be %s", what);
    return NDV_OK;
}

ndv_status ndv_bytes_free(ndv_bytes *bytes)
{
    if (bytes == NULL)
        return NDV_OK;
    ndv_status s = check_unexported(bytes, "freed");
    if (s != NDV_OK)
        return s;
    free(bytes->data);
    free(bytes);
    return NDV_OK;
}

ndv_status ndv_bytes_resize(ndv_bytes *bytes, ptrdiff_t size)
{
    NDV__CHECK_ARG(bytes, "ndv_bytes_resize");
    ndv_status s = check_unexported(bytes, "re-sized");
    if (s != NDV_OK)
        return s;
    if (size < 0)
        return ndv__error(NDV_ERR_VALUE, "ndv_bytes_resize: size must not be negative");
    if ((size_t)size >= SIZE_MAX)
        return ndv__error(NDV_ERR_NOMEM, "out of memory allocating %td bytes", size);
    unsigned char *data = realloc(bytes->data, (size_t)size + 1);
    if (!data)
        return ndv__error(NDV_ERR_NOMEM, "out of memory allocating %td bytes", size);
    if (size > bytes->size)
        memset(data + bytes->size, 0, (size_t)(size - bytes->size));
    bytes->data = data;
    bytes->size = size;
    return NDV_OK;
}

void *ndv_bytes_data(const ndv_bytes *bytes)
{
    return bytes ? bytes->data : NULL;
}

ptrdiff_t ndv_bytes_size(const ndv_bytes *bytes)
{
    return bytes ? bytes->size : 0;
}

ptrdiff_t ndv_bytes_exports(const ndv_bytes *bytes)
{
    return bytes ? atomic_load_explicit(&bytes->exports, memory_order_acquire) : 0;
}

static ndv_status bytes_getbuffer(void *obj, ndv_buffer *view, int flags)
{
    ndv_bytes *b = obj;
    ndv_status s = ndv_fill_info(view, b, b->data, b->size, false, flags);
    if (s == NDV_OK)
        atomic_fetch_add_explicit(&b->exports, 1, memory_order_acq_rel);
    return s;
}

static void bytes_releasebuffer(void *obj, ndv_buffer *view)
{
    (void)view;
    ndv_bytes *b = obj;
    atomic_fetch_sub_explicit(&b->exports, 1, memory_order_acq_rel);
}

const ndv_exporter *ndv_bytes_exporter(void)
{
    static const ndv_exporter ops = {bytes_getbuffer, bytes_releasebuffer};
    return &ops;
}
