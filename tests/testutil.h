/*
 * testutil.h - helpers shared by the Check suites.
 */
#ifndef NDV_TESTUTIL_H
#define NDV_TESTUTIL_H

#include <check.h>
#include <string.h>

#include "ndview.h"

/* Assert a status, printing ndv_errmsg() when it differs. */
#define ck_status(expr, want)                                                          \
    do {                                                                               \
        ndv_status got_ = (expr);                                                      \
        ck_assert_msg(got_ == (want), "%s: got %s, want %s (%s)", #expr,              \
                      ndv_status_name(got_), ndv_status_name(want), ndv_errmsg());     \
    } while (0)

#define ck_ok(expr) ck_status(expr, NDV_OK)

/* Assert the last message contains a fragment. */
#define ck_msg_has(fragment)                                                           \
    ck_assert_msg(strstr(ndv_errmsg(), (fragment)) != NULL, "message '%s' lacks '%s'", \
                  ndv_errmsg(), (fragment))

/* A view of caller memory that must succeed. */
static inline ndv_view ck_view(void *mem, ptrdiff_t memlen, const char *fmt, int ndim,
                               const ptrdiff_t *shape, const ptrdiff_t *strides, ptrdiff_t offset)
{
    ndv_view v;
    ck_ok(ndv_view_from_memory(&v, mem, memlen, false, fmt, ndim, shape, strides, offset));
    return v;
}

/* Run a suite; the executable's exit status is its number of failures. */
static inline int run_suite(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}

#endif
