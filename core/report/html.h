/* core/report/html.h: index.html, one self-contained page (inline CSS, figures as data: URIs,
 * no scripts, nothing fetched from elsewhere) and the tables it is made of. */
#ifndef CB_CORE_REPORT_HTML_H
#define CB_CORE_REPORT_HTML_H

#include "report/figures.h"
#include "report/report.h"

#include <stdio.h>

/* Writes out_dir/index.html; the figures' SVG files must already be in out_dir. */
int cb_report_write_html(const cb_report *r, const cb_report_fig *figs, int n_figs,
                         const char *out_dir, char *err, size_t len);

/* s with &, <, >, " and ' escaped. */
void cb_html_esc(FILE *out, const char *s);

/* Table cells (html_tables.c): a metric with an SI prefix on unit (the stored value as its
 * tooltip), an accuracy in percent (± its spread), and an accelerator vector's text. */
void cb_html_cell(FILE *out, double v, const char *unit);
void cb_html_accuracy(FILE *out, const cb_metrics *m);
void cb_html_accel(FILE *out, const cb_pair *p);

/* The reference pairs beside the best pair (html_refs.c); only when the manifest lists some. */
void cb_html_refs(FILE *out, const cb_report *r);

/* The best pair, one metric a line (html_tables.c). */
void cb_html_best(FILE *out, const cb_report *r);
/* Pairs rows[idx[0..n)] as a table, one a line. The table's data-list is what ("area", "top")
 * and its data-ids the rows' ids in order, for tests and scrapers. */
void cb_html_pairs(FILE *out, const cb_report *r, const size_t *idx, size_t n, const char *what);
/* The failures: counts and one line per distinct error. */
void cb_html_failures(FILE *out, const cb_report *r);

#endif
