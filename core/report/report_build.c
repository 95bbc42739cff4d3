/* core/report/report_build.c: what the report computes from the rows: status counts, the best
 * pair, the Pareto fronts, the top pairs and the best-so-far curve (see report.h). */
#include "report/pareto.h"
#include "report/report.h"
#include "util/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Ok rows only: infeasible rows have metrics but break a constraint, so they may be neither
 * the best pair nor on a front. */
static int usable(const cb_eval_row *row)
{
    return row->status == CB_ROW_OK;
}

static void count(cb_report *r)
{
    for (size_t i = 0; i < r->n_rows; i++) {
        switch (r->rows[i].status) {
        case CB_ROW_OK: r->n_ok++; break;
        case CB_ROW_FAILED: r->n_failed++; break;
        case CB_ROW_INFEASIBLE: r->n_infeasible++; break;
        default: r->n_pending++;
        }
    }
}

/* 1 when row a ranks before row b: higher performance, then the earlier ask. */
static int ranks_before(const cb_eval_row *a, const cb_eval_row *b)
{
    if (a->m.performance != b->m.performance)
        return a->m.performance > b->m.performance;
    return a->id < b->id;
}

/* The top CB_REPORT_TOP by insertion into a short sorted list; top[0] is the best pair. */
static void rank(cb_report *r)
{
    r->best = -1;
    r->n_top = 0;
    for (size_t i = 0; i < r->n_rows; i++) {
        const cb_eval_row *row = &r->rows[i];
        if (!usable(row) || !isfinite(row->m.performance))
            continue;
        size_t at = r->n_top;
        while (at > 0 && ranks_before(row, &r->rows[r->top[at - 1]]))
            at--;
        if (at >= CB_REPORT_TOP)
            continue;
        size_t last = r->n_top < CB_REPORT_TOP ? r->n_top++ : CB_REPORT_TOP - 1;
        memmove(r->top + at + 1, r->top + at, (last - at) * sizeof *r->top);
        r->top[at] = i;
    }
    if (r->n_top)
        r->best = (ptrdiff_t)r->top[0];
}

/* Minimize the metric, maximize accuracy: the points are (metric, -accuracy). */
static void front(cb_report *r, int k)
{
    const cb_report_metric *met = &cb_report_fronts[k];
    double *pts = cb_xmalloc((r->n_rows + 1) * 2 * sizeof *pts);
    size_t *rowof = cb_xmalloc((r->n_rows + 1) * sizeof *rowof);
    size_t n = 0;
    for (size_t i = 0; i < r->n_rows; i++) {
        const cb_eval_row *row = &r->rows[i];
        double x = cb_report_metric_of(met, &row->m);
        if (!usable(row) || !isfinite(x) || !isfinite(row->m.accuracy))
            continue;
        pts[2 * n] = x;
        pts[2 * n + 1] = -row->m.accuracy;
        rowof[n++] = i;
    }
    size_t *idx = cb_xmalloc((n + 1) * sizeof *idx);
    size_t m = cb_pareto_front(pts, n, 2, idx);
    for (size_t j = 0; j < m; j++)
        idx[j] = rowof[idx[j]];
    r->front[k] = idx;
    r->n_front[k] = m;
    free(pts);
    free(rowof);
}

/* Queries are the finished rows in ask order (pending ones have not been answered yet). */
static void best_so_far(cb_report *r)
{
    r->best_so_far = cb_xmalloc((r->n_rows + 1) * sizeof *r->best_so_far);
    r->query_row = cb_xmalloc((r->n_rows + 1) * sizeof *r->query_row);
    double best = NAN;
    size_t q = 0;
    for (size_t i = 0; i < r->n_rows; i++) {
        const cb_eval_row *row = &r->rows[i];
        if (row->status == CB_ROW_PENDING)
            continue;
        if (usable(row) && isfinite(row->m.performance) && !(row->m.performance <= best))
            best = row->m.performance;
        r->best_so_far[q] = best;
        r->query_row[q++] = i;
    }
    r->n_queries = q;
}

void cb_report_build(cb_report *r, const char *run_dir, cb_eval_row *rows, size_t n)
{
    memset(r, 0, sizeof *r);
    r->run_dir = cb_xstrdup(run_dir ? run_dir : "");
    r->rows = rows;
    r->n_rows = n;
    count(r);
    rank(r);
    for (int k = 0; k < CB_REPORT_N_FRONTS; k++)
        front(r, k);
    best_so_far(r);
    cb_report_group_errors(r);
}

void cb_report_free(cb_report *r)
{
    free(r->run_dir);
    free(r->rows);
    for (int k = 0; k < CB_REPORT_N_FRONTS; k++)
        free(r->front[k]);
    free(r->best_so_far);
    free(r->query_row);
    free(r->errors);
    cb_report_refs_free(&r->refs);
    memset(r, 0, sizeof *r);
}
