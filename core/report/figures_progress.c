/* core/report/figures_progress.c: the search's progress: the performance of each query and the
 * best performance found so far against the number of queries (finished evaluations in the
 * order they were asked), the curve the CODEBench paper's regret plots are made of. */
#include "report/figures.h"
#include "util/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct curve {
    double *qx, *each;  /* every k-th query and its performance */
    size_t n_each;
    double *sx, *sy;    /* the best-so-far steps: only where it changes, and the last query */
    size_t n_steps;
    double bx, by;      /* the best pair */
} curve;

static void curve_build(const cb_report *r, curve *c)
{
    size_t n = r->n_queries, every = (n + CB_REPORT_MAX_POINTS - 1) / CB_REPORT_MAX_POINTS;
    c->qx = cb_xmalloc((n + 1) * sizeof *c->qx);
    c->each = cb_xmalloc((n + 1) * sizeof *c->each);
    c->sx = cb_xmalloc((n + 1) * sizeof *c->sx);
    c->sy = cb_xmalloc((n + 1) * sizeof *c->sy);
    c->n_each = c->n_steps = 0;
    c->bx = c->by = NAN;
    for (size_t i = 0; i < n; i++) {
        const cb_eval_row *row = &r->rows[r->query_row[i]];
        double perf = row->status == CB_ROW_OK ? row->m.performance : NAN;
        if (i % (every ? every : 1) == 0) {
            c->qx[c->n_each] = (double)(i + 1);
            c->each[c->n_each++] = perf;
        }
        double b = r->best_so_far[i];
        int changed = !isnan(b) && (c->n_steps == 0 || b != c->sy[c->n_steps - 1]);
        if (changed || (i + 1 == n && c->n_steps)) {
            c->sx[c->n_steps] = (double)(i + 1);
            c->sy[c->n_steps++] = b;
        }
        if ((ptrdiff_t)r->query_row[i] == r->best) {
            c->bx = (double)(i + 1);
            c->by = perf;
        }
    }
}

static void curve_free(curve *c)
{
    free(c->qx);
    free(c->each);
    free(c->sx);
    free(c->sy);
}

int cb_report_progress_fig(const cb_report *r, const char *out_dir, cb_report_fig *fig, char *err,
                           size_t len)
{
    memset(fig, 0, sizeof *fig);
    snprintf(fig->key, sizeof fig->key, "best-so-far");
    snprintf(fig->title, sizeof fig->title, "Best performance vs. queries");
    if (r->best < 0) {
        snprintf(fig->caption, sizeof fig->caption, "Not drawn: no ok evaluation has a performance.");
        return 0;
    }
    curve c;
    curve_build(r, &c);
    char note[96];
    snprintf(note, sizeof note, "%zu queries, best at query %.0f", r->n_queries, c.bx);
    cb_plot p = {.title = fig->title, .note = note,
                 .x = {"Queries (finished evaluations, in ask order)", 0, 1},
                 .y = {"Performance (higher is better)", 0, 0}};
    p.s[p.n_series++] = (cb_series){"each query", c.qx, c.each, c.n_each, CB_DRAW_POINTS,
                                    CB_MARK_DOT, 2.8, {0.5, 0.5, 0.5}, 0.45};
    p.s[p.n_series++] = (cb_series){"best so far", c.sx, c.sy, c.n_steps, CB_DRAW_STEPS,
                                    CB_MARK_NONE, 0, {0.12, 0.38, 0.72}, 1};
    p.s[p.n_series++] = (cb_series){"best pair", &c.bx, &c.by, 1, CB_DRAW_POINTS, CB_MARK_STAR, 9,
                                    {1.0, 0.8, 0.1}, 1};
    snprintf(fig->caption, sizeof fig->caption,
             "Grey: the performance of each of the %zu queries%s (failed and infeasible ones have "
             "none). Blue: the best performance among the first q queries; its gap to the final "
             "best is the simple regret measured against the best pair found. Star: the best pair.",
             r->n_queries, c.n_each < r->n_queries ? ", thinned for the plot" : "");
    int rc = cb_report_save_fig(&p, out_dir, fig, err, len);
    fig->drawn = rc == 0;
    curve_free(&c);
    return rc;
}
