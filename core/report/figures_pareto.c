/* core/report/figures_pareto.c: one Pareto figure: accuracy (maximized, y) against one cost
 * metric (minimized, x), every ok pair as a dot, the front's pairs joined in order of cost,
 * infeasible pairs as crosses, the best pair by performance as a star, and the reference pairs
 * whose accuracy is known as diamonds. */
#include "report/figures.h"
#include "report/fmt.h"
#include "util/util.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct pts {
    double *x, *y;
    size_t n;
} pts;

static void pts_init(pts *p, size_t cap)
{
    p->x = cb_xmalloc((cap + 1) * sizeof *p->x);
    p->y = cb_xmalloc((cap + 1) * sizeof *p->y);
    p->n = 0;
}

static void pts_free(pts *p)
{
    free(p->x);
    free(p->y);
}

static void push(pts *p, const cb_eval_row *row, const cb_report_metric *met, double scale)
{
    p->x[p->n] = cb_report_metric_of(met, &row->m) * scale;
    p->y[p->n++] = row->m.accuracy * 100;
}

static int plottable(const cb_eval_row *row, const cb_report_metric *met)
{
    return isfinite(cb_report_metric_of(met, &row->m)) && isfinite(row->m.accuracy);
}

/* A reference goes on the plots when it has an accuracy on the study's task (its input is the
 * study's) and was simulated. */
static int ref_plottable(const cb_report_ref *p, const cb_report_metric *met)
{
    return p->simulated && p->input_matches && isfinite(p->m.accuracy) &&
           isfinite(cb_report_metric_of(met, &p->m));
}

/* The SI prefix that makes the largest value read in [1, 1000). */
static double axis_scale(const cb_report *r, const cb_report_metric *met, const char **prefix)
{
    double big = 0, f = 1;
    for (size_t i = 0; i < r->n_rows; i++)
        if (r->rows[i].status == CB_ROW_OK || r->rows[i].status == CB_ROW_INFEASIBLE)
            if (plottable(&r->rows[i], met))
                big = fmax(big, fabs(cb_report_metric_of(met, &r->rows[i].m)));
    for (size_t i = 0; i < r->refs.n; i++)
        if (ref_plottable(&r->refs.v[i], met))
            big = fmax(big, fabs(cb_report_metric_of(met, &r->refs.v[i].m)));
    *prefix = met->si ? cb_fmt_si_prefix(big, &f) : "";
    return f;
}

/* The ok pairs not on the front, thinned to at most CB_REPORT_MAX_POINTS by taking every
 * k-th in ask order (the front is drawn in full on top). Returns how many there were. */
static size_t others(const cb_report *r, int k, const char *on_front, double scale, pts *out)
{
    const cb_report_metric *met = &cb_report_fronts[k];
    size_t total = 0;
    for (size_t i = 0; i < r->n_rows; i++)
        total += r->rows[i].status == CB_ROW_OK && !on_front[i] && plottable(&r->rows[i], met);
    size_t every = (total + CB_REPORT_MAX_POINTS - 1) / CB_REPORT_MAX_POINTS, seen = 0;
    for (size_t i = 0; i < r->n_rows; i++) {
        const cb_eval_row *row = &r->rows[i];
        if (row->status != CB_ROW_OK || on_front[i] || !plottable(row, met))
            continue;
        if (seen++ % (every ? every : 1) == 0)
            push(out, row, met, scale);
    }
    return total;
}

static void series(cb_plot *p, const char *name, const pts *d, int draw, int mark, double size,
                   cb_rgb color, double alpha)
{
    if (d->n == 0)
        return;
    p->s[p->n_series++] = (cb_series){name, d->x, d->y, d->n, draw, mark, size, color, alpha};
}

static void lower_label(const cb_report_metric *met, char *buf, size_t len)
{
    snprintf(buf, len, "%s", met->label);
    buf[0] = (char)tolower((unsigned char)buf[0]);
}

static void caption(const cb_report *r, int k, size_t n_all, size_t shown, const pts *inf,
                    const pts *refs, cb_report_fig *fig)
{
    char what[64];
    lower_label(&cb_report_fronts[k], what, sizeof what);
    int at = snprintf(fig->caption, sizeof fig->caption,
                      "Accuracy against %s of every ok pair (%zu; blue dots%s). Red: the Pareto front, "
                      "the %zu pairs that no other pair beats on both (higher accuracy and lower %s), "
                      "joined in order of %s. Star: the best pair by performance.",
                      what, n_all + r->n_front[k], shown < n_all ? ", thinned for the plot" : "",
                      r->n_front[k], what, what);
    if (inf->n && at > 0 && (size_t)at < sizeof fig->caption)
        at += snprintf(fig->caption + at, sizeof fig->caption - (size_t)at,
                       " Grey crosses: %zu infeasible pairs (they break a constraint, so never join "
                       "the front).", inf->n);
    if (refs->n && at > 0 && (size_t)at < sizeof fig->caption)
        snprintf(fig->caption + at, sizeof fig->caption - (size_t)at,
                 " Green diamonds: %zu reference pairs with a known accuracy (see Reference pairs; "
                 "they never join the front).", refs->n);
}

/* The figure's four layers of points, in display units. */
typedef struct layers {
    pts rest, front, inf, best, refs;
    size_t n_rest; /* ok pairs off the front before thinning */
} layers;

static void gather(const cb_report *r, int k, double scale, layers *l)
{
    const cb_report_metric *met = &cb_report_fronts[k];
    pts_init(&l->rest, r->n_rows);
    pts_init(&l->front, r->n_front[k]);
    pts_init(&l->inf, r->n_rows);
    pts_init(&l->best, 1);
    pts_init(&l->refs, r->refs.n);
    for (size_t i = 0; i < r->refs.n; i++) {
        const cb_report_ref *p = &r->refs.v[i];
        if (ref_plottable(p, met)) {
            l->refs.x[l->refs.n] = cb_report_metric_of(met, &p->m) * scale;
            l->refs.y[l->refs.n++] = p->m.accuracy * 100;
        }
    }
    char *on_front = cb_xcalloc(r->n_rows + 1, 1);
    for (size_t j = 0; j < r->n_front[k]; j++) {
        on_front[r->front[k][j]] = 1;
        push(&l->front, &r->rows[r->front[k][j]], met, scale);
    }
    l->n_rest = others(r, k, on_front, scale, &l->rest);
    free(on_front);
    for (size_t i = 0; i < r->n_rows; i++)
        if (r->rows[i].status == CB_ROW_INFEASIBLE && plottable(&r->rows[i], met))
            push(&l->inf, &r->rows[i], met, scale);
    if (r->best >= 0 && plottable(&r->rows[r->best], met))
        push(&l->best, &r->rows[r->best], met, scale);
}

static void layers_free(layers *l)
{
    pts_free(&l->rest);
    pts_free(&l->front);
    pts_free(&l->inf);
    pts_free(&l->best);
    pts_free(&l->refs);
}

static int draw(const cb_report *r, int k, const char *out_dir, cb_report_fig *fig, char *err,
                size_t len)
{
    const cb_report_metric *met = &cb_report_fronts[k];
    const char *prefix;
    double scale = axis_scale(r, met, &prefix);
    layers l;
    gather(r, k, scale, &l);
    char xlabel[128], note[96];
    snprintf(xlabel, sizeof xlabel, "%s (%s%s)", met->label, prefix, met->unit);
    snprintf(note, sizeof note, "%zu pairs, %zu on the front%s", l.n_rest + l.front.n, l.front.n,
             l.rest.n < l.n_rest ? " (others thinned)" : "");
    cb_plot p = {.title = fig->title, .note = note, .x = {xlabel, -1, 0}, .y = {"Accuracy (%)", 0, 0}};
    series(&p, "evaluated pairs", &l.rest, CB_DRAW_POINTS, CB_MARK_DOT, 3.2, (cb_rgb){0.27, 0.51, 0.71}, 0.45);
    series(&p, "infeasible", &l.inf, CB_DRAW_POINTS, CB_MARK_CROSS, 3, (cb_rgb){0.55, 0.55, 0.55}, 0.8);
    series(&p, "Pareto front", &l.front, CB_DRAW_POINTS | CB_DRAW_LINE, CB_MARK_DOT, 4.2,
           (cb_rgb){0.84, 0.15, 0.16}, 1);
    series(&p, "best performance", &l.best, CB_DRAW_POINTS, CB_MARK_STAR, 9, (cb_rgb){1.0, 0.8, 0.1}, 1);
    series(&p, "reference pairs", &l.refs, CB_DRAW_POINTS, CB_MARK_DIAMOND, 6, (cb_rgb){0.17, 0.63, 0.17}, 1);
    caption(r, k, l.n_rest, l.rest.n, &l.inf, &l.refs, fig);
    int rc = cb_report_save_fig(&p, out_dir, fig, err, len);
    layers_free(&l);
    return rc;
}

int cb_report_pareto_fig(const cb_report *r, int k, const char *out_dir, cb_report_fig *fig,
                         char *err, size_t len)
{
    const cb_report_metric *met = &cb_report_fronts[k];
    memset(fig, 0, sizeof *fig);
    snprintf(fig->key, sizeof fig->key, "pareto-%s", met->key);
    snprintf(fig->title, sizeof fig->title, "Accuracy vs. %s", met->label);
    if (r->n_front[k] == 0) {
        char what[64];
        lower_label(met, what, sizeof what);
        snprintf(fig->caption, sizeof fig->caption,
                 "Not drawn: no ok evaluation has both an accuracy and a %s.", what);
        return 0;
    }
    int rc = draw(r, k, out_dir, fig, err, len);
    fig->drawn = rc == 0;
    return rc;
}
