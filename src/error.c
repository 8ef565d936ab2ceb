/*
 * error.c - status names, the thread-local error message, the version.
 */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>

#define NDV__STR2(x) #x
#define NDV__STR(x) NDV__STR2(x)

const char *ndv_version(void)
{
    return NDV__STR(NDV_VERSION_MAJOR) "." NDV__STR(NDV_VERSION_MINOR) "." NDV__STR(NDV_VERSION_PATCH);
}

const char *ndv_status_name(ndv_status status)
{
    static const char *const names[] = {
        [NDV_OK] = "NDV_OK",
        [NDV_ERR_FORMAT] = "NDV_ERR_FORMAT",
        [NDV_ERR_VALUE] = "NDV_ERR_VALUE",
        [NDV_ERR_TYPE] = "NDV_ERR_TYPE",
        [NDV_ERR_INDEX] = "NDV_ERR_INDEX",
        [NDV_ERR_BUFFER] = "NDV_ERR_BUFFER",
        [NDV_ERR_RELEASED] = "NDV_ERR_RELEASED",
        [NDV_ERR_READONLY] = "NDV_ERR_READONLY",
        [NDV_ERR_NOMEM] = "NDV_ERR_NOMEM",
        [NDV_ERR_OVERFLOW] = "NDV_ERR_OVERFLOW",
        [NDV_ERR_NOTIMPL] = "NDV_ERR_NOTIMPL",
    };
    if ((unsigned)status >= sizeof names / sizeof names[0])
        return "NDV_ERR_UNKNOWN";
    return names[status];
}

/* One message per thread, so concurrent failures never mix their texts. */
static _Thread_local char errmsg[256];

const char *ndv_errmsg(void)
{
    return errmsg;
}

ndv_status ndv__error(ndv_status status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(errmsg, sizeof errmsg, fmt, ap);
    va_end(ap);
    return status;
}

const char *ndv__shape_text(char *buf, size_t cap, int ndim, const ptrdiff_t *shape)
{
    size_t n = (size_t)snprintf(buf, cap, "(");
    for (int i = 0; i < ndim && n < cap; i++)
        n += (size_t)snprintf(buf + n, cap - n, i ? ",%td" : "%td", shape[i]);
    if (n < cap)
        snprintf(buf + n, cap - n, ndim == 1 ? ",)" : ")");
    return buf;
}
