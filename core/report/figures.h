/* core/report/figures.h: the report's figures: one Pareto front per cost metric (accuracy
 * against area, dynamic energy, latency, EDP, as in the CODEBench paper's Fig. 11) and the
 * best-so-far curve, each saved as <key>.svg and <key>.png in the report folder. */
#ifndef CB_CORE_REPORT_FIGURES_H
#define CB_CORE_REPORT_FIGURES_H

#include "report/plot.h"
#include "report/report.h"

#define CB_REPORT_N_FIGS (CB_REPORT_N_FRONTS + 1)
/* Scatter points drawn per figure (the rest thinned; front points always drawn): about 1 MB
 * of SVG each, and more would only hide one another. */
#define CB_REPORT_MAX_POINTS 2000

typedef struct cb_report_fig {
    char key[32];       /* file stem: "pareto-area", "best-so-far" */
    char title[128];
    char caption[896];  /* what is shown and how it is computed; why not, when not drawn */
    int drawn;          /* 0: nothing to plot, no files */
} cb_report_fig;

int cb_report_figures(const cb_report *r, const char *out_dir, cb_report_fig figs[CB_REPORT_N_FIGS],
                      char *err, size_t len);

/* The Pareto figure of metric k alone (figures_pareto.c). */
int cb_report_pareto_fig(const cb_report *r, int k, const char *out_dir, cb_report_fig *fig,
                         char *err, size_t len);
/* The best-so-far figure alone (figures_progress.c). */
int cb_report_progress_fig(const cb_report *r, const char *out_dir, cb_report_fig *fig, char *err,
                           size_t len);

/* Saves p as out_dir/<fig->key>.svg and .png. */
int cb_report_save_fig(const cb_plot *p, const char *out_dir, const cb_report_fig *fig, char *err,
                       size_t len);

#endif
