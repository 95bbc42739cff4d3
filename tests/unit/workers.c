/* tests/unit/workers.c: worker processes: results come back by job, and a worker that
 * segfaults, aborts, exits or hangs costs exactly its own job, reported with the reason,
 * while the pool replaces it and goes on. */
#include "runner/workers.h"
#include "test_util.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static cb_workers *start(int n, double timeout)
{
    char *exe = cb_test_path("tests/echo_worker");
    char *args[] = {NULL};
    char err[256] = "";
    cb_workers *w = cb_workers_start(n, exe, args, timeout, err, sizeof err);
    cr_assert(ne(ptr, w, NULL), "%s", err);
    free(exe);
    return w;
}

static cb_job_result wait_one(cb_workers *w)
{
    cb_job_result r;
    int got = 0;
    for (int i = 0; i < 200 && got != 1; i++)
        got = cb_workers_wait(w, &r, 0.1);
    cr_assert(eq(int, got, 1), "no result arrived");
    return r;
}

Test(workers, results_by_job)
{
    cb_workers *w = start(2, 30);
    cr_assert(eq(int, cb_workers_idle(w), 2));
    cr_assert(eq(int, cb_workers_submit(w, 11, "abc", 3), 0));
    cr_assert(eq(int, cb_workers_submit(w, 12, "print", 5), 0));
    cr_assert(eq(int, cb_workers_submit(w, 13, "x", 1), -1)); /* none idle */
    int seen = 0;
    for (int k = 0; k < 2; k++) {
        cb_job_result r = wait_one(w);
        cr_assert(eq(int, r.status, CB_JOB_DONE), "%s", r.why);
        if (r.job == 11) {
            cr_assert(eq(int, memcmp(r.payload, "cba", 3), 0));
            seen |= 1;
        } else {
            cr_assert(eq(i64, r.job, 12));
            cr_assert(eq(int, memcmp(r.payload, "tnirp", 5), 0));
            seen |= 2;
        }
        free(r.payload);
    }
    cr_assert(eq(int, seen, 3));
    cb_workers_stop(w);
}

/* Timeouts stretch by $CB_TEST_TIME_SCALE (make check-valgrind sets it: a worker started under
 * valgrind needs seconds, not milliseconds, before it answers). */
static double time_scale(void)
{
    const char *s = getenv("CB_TEST_TIME_SCALE");
    double k = s ? atof(s) : 1;
    return k >= 1 ? k : 1;
}

static void expect_failure(const char *payload, int status, const char *why)
{
    cb_workers *w = start(1, status == CB_JOB_TIMEOUT ? 0.5 * time_scale() : 30);
    cr_assert(eq(int, cb_workers_submit(w, 7, payload, strlen(payload)), 0));
    cb_job_result r = wait_one(w);
    cr_assert(eq(i64, r.job, 7));
    cr_assert(eq(int, r.status, status), "%s: %s", payload, r.why);
    cr_assert(eq(str, r.why, (char *)why));
    /* the pool replaced the worker: the next job works */
    cr_assert(eq(int, cb_workers_idle(w), 1));
    cr_assert(eq(int, cb_workers_submit(w, 8, "ok", 2), 0));
    r = wait_one(w);
    cr_assert(eq(int, r.status, CB_JOB_DONE), "%s", r.why);
    cr_assert(eq(i64, r.job, 8));
    free(r.payload);
    cb_workers_stop(w);
}

Test(workers, segfault_costs_one_job)
{
    expect_failure("segv", CB_JOB_CRASHED, "worker killed by signal 11 (SIGSEGV)");
}

Test(workers, abort_costs_one_job)
{
    expect_failure("abort", CB_JOB_CRASHED, "worker killed by signal 6 (SIGABRT)");
}

Test(workers, exit_costs_one_job)
{
    expect_failure("exit", CB_JOB_CRASHED, "worker exited with status 3 during the job");
}

Test(workers, hang_times_out)
{
    char why[128];
    snprintf(why, sizeof why, "job timed out after %g s (workers.timeout_s)", 0.5 * time_scale());
    expect_failure("hang", CB_JOB_TIMEOUT, why);
}
