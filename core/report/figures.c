/* core/report/figures.c: makes every figure of the report (see figures.h). */
#include "report/figures.h"

#include <stdio.h>

int cb_report_save_fig(const cb_plot *p, const char *out_dir, const cb_report_fig *fig, char *err,
                       size_t len)
{
    char svg[4096], png[4096];
    snprintf(svg, sizeof svg, "%s/%s.svg", out_dir, fig->key);
    snprintf(png, sizeof png, "%s/%s.png", out_dir, fig->key);
    return cb_plot_save(p, svg, png, err, len);
}

int cb_report_figures(const cb_report *r, const char *out_dir, cb_report_fig figs[CB_REPORT_N_FIGS],
                      char *err, size_t len)
{
    for (int k = 0; k < CB_REPORT_N_FRONTS; k++)
        if (cb_report_pareto_fig(r, k, out_dir, &figs[k], err, len))
            return -1;
    return cb_report_progress_fig(r, out_dir, &figs[CB_REPORT_N_FRONTS], err, len);
}
