/*
 * test_threads.c - the first use of the library from many threads at once.
 *
 * Nothing touches ndview before the threads start, so they race to the
 * dispatch initialisation (pthread_once) and to the kernel table. Every
 * thread must see the same level and compute the same bytes. Built in every
 * configuration; the ThreadSanitizer build (tools/run-tests.sh) is where
 * a data race would be reported.
 */
#define _POSIX_C_SOURCE 200809L /* pthread barriers under -std=c11 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "testutil.h"

enum { THREADS = 16, N = 4096 };

static int32_t src[2 * N];
static pthread_barrier_t start;

typedef struct result {
    ndv_isa isa;
    int32_t out[N];
    ndv_status status;
} result;

static void *first_use(void *arg)
{
    result *r = arg;
    pthread_barrier_wait(&start);
    ptrdiff_t n = N, stride = 8;
    ndv_view v;
    r->status = ndv_view_from_memory(&v, src, sizeof src, true, "i", 1, &n, &stride, 0);
    if (r->status == NDV_OK)
        r->status = ndv_tobytes(&v, r->out, sizeof r->out, 'C'); /* the kernel table's first use */
    r->isa = ndv_isa_active();
    ndv_release(&v);
    return NULL;
}

START_TEST(dispatch_initialises_once)
{
    for (int i = 0; i < 2 * N; i++)
        src[i] = i * 7 - 3;
    static result res[THREADS];
    pthread_t t[THREADS];
    pthread_barrier_init(&start, NULL, THREADS);
    for (int i = 0; i < THREADS; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, first_use, &res[i]), 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    pthread_barrier_destroy(&start);
    for (int i = 0; i < THREADS; i++) {
        ck_assert_int_eq(res[i].status, NDV_OK);
        ck_assert_int_eq(res[i].isa, res[0].isa);
        bool same = true;
        for (int k = 0; k < N; k++)
            same = same && res[i].out[k] == src[2 * k];
        ck_assert_msg(same, "thread %d copied wrong values", i);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("threads");
    TCase *tc = tcase_create("threads");
    tcase_add_test(tc, dispatch_initialises_once);
    suite_add_tcase(s, tc);
    /* No fork: the race must happen in this fresh process, before anything else ran. */
    SRunner *sr = srunner_create(s);
    srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
