/*
 * test_format_work.c - parsing does work linear in the format's length.
 *
 * Built from src/format.c itself with NDV__COUNT_WORK, which counts every
 * field the parser writes. Repeat counts of 0 around large struct bodies
 * ("0T{100000T{bi}}") once made the parser build and discard up to its
 * field cap for every few bytes of input; counting work, not time, keeps
 * the test exact on any machine.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../src/internal.h"
#include "testutil.h"

extern long long ndv__format_work;

/* Work of parsing `unit` repeated n times (and the status). */
static long long work_of(const char *unit, int n, ndv_status *st)
{
    size_t len = strlen(unit);
    char *fmt = malloc(len * (size_t)n + 1);
    ck_assert_ptr_nonnull(fmt);
    for (int i = 0; i < n; i++)
        memcpy(fmt + len * (size_t)i, unit, len);
    fmt[len * (size_t)n] = '\0';
    ndv__format_work = 0;
    ndv__format *f = ndv__format_parse(fmt, st);
    ndv__format_unref(f);
    free(fmt);
    return ndv__format_work;
}

static const char *const units[] = {
    "0T{100000T{bi}}",           /* a zero count around a large body */
    "(0)T{100000T{bi}}",         /* the same through a sub-array extent */
    "0T{2T{500000T{bi}}}c",      /* zeroed two levels up */
    "T{0T{100000T{hb}}}",        /* inside a kept struct */
    "0T{100000T{bi:x:}:y:}i",    /* with names */
};

START_TEST(zeroed_bodies_cost_their_length)
{
    const char *unit = units[_i];
    ndv_status st;
    for (int n = 1; n <= 1000; n *= 10) {
        long long w = work_of(unit, n, &st);
        ck_assert_msg(st == NDV_OK, "'%s' x %d: %s (%s)", unit, n, ndv_status_name(st),
                      ndv_errmsg());
        ck_assert_msg(w <= 2 * (long long)(strlen(unit) * (size_t)n),
                      "'%s' x %d: %lld fields written for %zu bytes", unit, n, w,
                      strlen(unit) * (size_t)n);
    }
}
END_TEST

/* Kept structs still expand, so the count is a real measurement. */
START_TEST(kept_bodies_are_counted)
{
    ndv_status st;
    long long w = work_of("1000T{bi}", 1, &st);
    ck_assert_int_eq(st, NDV_OK);
    ck_assert_int_ge(w, 2000);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("format_work");
    TCase *tc = tcase_create("format_work");
    tcase_add_loop_test(tc, zeroed_bodies_cost_their_length, 0,
                        (int)(sizeof units / sizeof units[0]));
    tcase_add_test(tc, kept_bodies_are_counted);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
