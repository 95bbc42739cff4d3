/* tests/unit/report_data.c: what the report computes from a run's rows, checked against brute
 * force: the best pair, each Pareto front (membership and order), the best-so-far curve, the
 * top pairs, the grouped failures; and the empty and missing databases. */
#include "report/report.h"
#include "report_fixture.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static report_fixture fx;
static void setup(void) { report_fixture_make(&fx); }
static void teardown(void) { report_fixture_remove(&fx); }
TestSuite(report_data, .init = setup, .fini = teardown);

/* i is on front k when no other ok row is at least as good on both and better on one. */
static int brute_on_front(const cb_report *r, int k, size_t i)
{
    const cb_report_metric *met = &cb_report_fronts[k];
    const cb_eval_row *a = &r->rows[i];
    if (a->status != CB_ROW_OK)
        return 0;
    double ax = cb_report_metric_of(met, &a->m);
    for (size_t j = 0; j < r->n_rows; j++) {
        const cb_eval_row *b = &r->rows[j];
        if (j == i || b->status != CB_ROW_OK)
            continue;
        double bx = cb_report_metric_of(met, &b->m);
        if (bx <= ax && b->m.accuracy >= a->m.accuracy && (bx < ax || b->m.accuracy > a->m.accuracy))
            return 0;
    }
    return 1;
}

static cb_report open_fixture(void)
{
    cb_report r;
    char err[512] = "";
    cr_assert(eq(int, cb_report_open(fx.dir, &r, err, sizeof err), 0), "%s", err);
    return r;
}

Test(report_data, best_pair_is_the_highest_performance_among_ok_rows)
{
    cb_report r = open_fixture();
    size_t best = 0;
    double top = -INFINITY;
    for (size_t i = 0; i < r.n_rows; i++)
        if (r.rows[i].status == CB_ROW_OK && r.rows[i].m.performance > top) {
            top = r.rows[i].m.performance;
            best = i;
        }
    cr_assert(eq(i64, (int64_t)r.best, (int64_t)best));
    cr_assert(eq(sz, r.n_rows, REPORT_FIXTURE_ROWS + 1));
    cr_assert(eq(sz, r.n_ok + r.n_failed + r.n_infeasible + r.n_pending, r.n_rows));
    cr_assert(eq(sz, r.n_pending, 1));
    cr_assert(gt(sz, r.n_failed, 0));
    cr_assert(gt(sz, r.n_infeasible, 0));
    /* the top list is sorted and starts at the best */
    cr_assert(eq(sz, r.n_top, CB_REPORT_TOP));
    cr_assert(eq(sz, r.top[0], best));
    for (size_t j = 1; j < r.n_top; j++)
        cr_assert(ge(dbl, r.rows[r.top[j - 1]].m.performance, r.rows[r.top[j]].m.performance));
    cb_report_free(&r);
}

Test(report_data, fronts_match_brute_force_in_ascending_cost)
{
    cb_report r = open_fixture();
    for (int k = 0; k < CB_REPORT_N_FRONTS; k++) {
        size_t expected = 0;
        for (size_t i = 0; i < r.n_rows; i++)
            expected += (size_t)brute_on_front(&r, k, i);
        cr_assert(eq(sz, r.n_front[k], expected), "front %s", cb_report_fronts[k].key);
        cr_assert(ge(sz, expected, 2), "the fixture gives every front several points");
        for (size_t j = 0; j < r.n_front[k]; j++) {
            cr_assert(brute_on_front(&r, k, r.front[k][j]));
            if (j) /* ascending cost, so accuracy ascends too along a front */
                cr_assert(lt(dbl, cb_report_metric_of(&cb_report_fronts[k], &r.rows[r.front[k][j - 1]].m),
                             cb_report_metric_of(&cb_report_fronts[k], &r.rows[r.front[k][j]].m)));
        }
    }
    cb_report_free(&r);
}

Test(report_data, best_so_far_is_the_running_maximum_over_finished_queries)
{
    cb_report r = open_fixture();
    cr_assert(eq(sz, r.n_queries, REPORT_FIXTURE_ROWS)); /* the pending row is no query yet */
    double best = NAN;
    for (size_t q = 0; q < r.n_queries; q++) {
        const cb_eval_row *row = &r.rows[r.query_row[q]];
        cr_assert(ne(int, row->status, CB_ROW_PENDING));
        if (row->status == CB_ROW_OK && (isnan(best) || row->m.performance > best))
            best = row->m.performance;
        if (isnan(best))
            cr_assert(isnan(r.best_so_far[q]));
        else
            cr_assert(eq(dbl, r.best_so_far[q], best));
    }
    cr_assert(eq(dbl, r.best_so_far[r.n_queries - 1], r.rows[r.best].m.performance));
    cb_report_free(&r);
}

Test(report_data, failures_group_by_status_and_error)
{
    cb_report r = open_fixture();
    size_t total = 0, odd = 0;
    for (size_t i = 0; i < r.n_errors; i++) {
        total += r.errors[i].count;
        if (i)
            cr_assert(ge(sz, r.errors[i - 1].count, r.errors[i].count));
        if (strcmp(r.errors[i].text, REPORT_FIXTURE_ODD_ERROR) == 0)
            odd = r.errors[i].count;
    }
    cr_assert(eq(sz, total, r.n_failed + r.n_infeasible));
    cr_assert(eq(sz, r.n_errors, 3));
    size_t brute = 0;
    for (size_t i = 0; i < r.n_rows; i++)
        brute += strcmp(r.rows[i].error, REPORT_FIXTURE_ODD_ERROR) == 0;
    cr_assert(eq(sz, odd, brute));
    cb_report_free(&r);
}

Test(report_data, a_folder_without_a_database_is_bad_input)
{
    cb_report r;
    char err[512] = "", sub[128];
    snprintf(sub, sizeof sub, "%s/empty", fx.dir);
    cr_assert(eq(int, cb_report_open("/nonexistent/cb-report", &r, err, sizeof err), CB_REPORT_NO_DB));
    cr_assert(ne(ptr, strstr(err, "No such file"), NULL), "%s", err);
    cr_assert(eq(int, mkdir(sub, 0755), 0));
    cr_assert(eq(int, cb_report_open(sub, &r, err, sizeof err), CB_REPORT_NO_DB));
    cr_assert(ne(ptr, strstr(err, "no codebench.db"), NULL), "%s", err);
    /* and the check did not create one */
    char db[160];
    snprintf(db, sizeof db, "%s/codebench.db", sub);
    cr_assert(ne(int, access(db, F_OK), 0));
}

Test(report_data, an_empty_database_has_no_best_pair)
{
    char sub[128], err[512] = "";
    snprintf(sub, sizeof sub, "%s/fresh", fx.dir);
    cb_store *s = cb_store_open(sub, err, sizeof err);
    cr_assert(ne(ptr, s, NULL), "%s", err);
    cb_store_close(s);
    cb_report r;
    cr_assert(eq(int, cb_report_open(sub, &r, err, sizeof err), 0), "%s", err);
    cr_assert(eq(i64, (int64_t)r.best, -1));
    cr_assert(eq(sz, r.n_rows, 0));
    for (int k = 0; k < CB_REPORT_N_FRONTS; k++)
        cr_assert(eq(sz, r.n_front[k], 0));
    cb_report_free(&r);
}
