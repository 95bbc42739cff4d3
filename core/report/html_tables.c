/* core/report/html_tables.c: the report page's tables: the best pair, lists of pairs (a front,
 * the top pairs) and the failures. Metrics show with SI prefixes; hovering a cell shows the
 * stored value in full. */
#include "report/export.h"
#include "report/fmt.h"
#include "report/html.h"
#include "util/json.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

void cb_html_esc(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default: fputc(*s, out);
        }
    }
}

/* A metric cell: the readable value, the exact one in the tooltip. Units of area take no SI
 * prefix (a "kmm²" helps nobody). */
void cb_html_cell(FILE *out, double v, const char *unit)
{
    char shown[64];
    if (strcmp(unit, "mm²") == 0)
        cb_fmt_plain(v, unit, shown, sizeof shown);
    else
        cb_fmt_si(v, unit, shown, sizeof shown);
    fputs("<td class=\"num\" title=\"", out);
    cb_json_num(out, v);
    fputs("\">", out);
    cb_html_esc(out, shown);
    fputs("</td>", out);
}

void cb_html_accuracy(FILE *out, const cb_metrics *m)
{
    char s[64];
    if (!isfinite(m->accuracy))
        snprintf(s, sizeof s, "n/a");
    else if (isfinite(m->acc_std) && m->acc_std > 0)
        snprintf(s, sizeof s, "%.2f ± %.2f %%", m->accuracy * 100, m->acc_std * 100);
    else
        snprintf(s, sizeof s, "%.2f %%", m->accuracy * 100);
    fputs("<td class=\"num\" title=\"", out);
    cb_json_num(out, m->accuracy);
    fprintf(out, "\">%s</td>", s);
}

void cb_html_accel(FILE *out, const cb_pair *p)
{
    if (p->n_accel == 0) {
        fputs("(fixed)", out);
        return;
    }
    fputc('[', out);
    for (int a = 0; a < p->n_accel; a++) {
        if (a)
            fputs(", ", out);
        cb_json_num(out, p->accel[a]);
    }
    fputc(']', out);
}

static void metric_cells(FILE *out, const cb_metrics *m)
{
    cb_html_accuracy(out, m);
    cb_html_cell(out, m->latency_s, "s");
    cb_html_cell(out, m->area_mm2, "mm²");
    cb_html_cell(out, m->dyn_energy_j, "J");
    cb_html_cell(out, m->leak_energy_j, "J");
    cb_html_cell(out, m->throughput_fps, "");
    cb_html_cell(out, m->edp, "J·s");
    cb_html_cell(out, m->performance, "");
}

void cb_html_pairs(FILE *out, const cb_report *r, const size_t *idx, size_t n, const char *what)
{
    fprintf(out, "<table class=\"pairs\" data-list=\"%s\" data-ids=\"", what);
    for (size_t j = 0; j < n; j++)
        fprintf(out, "%s%" PRId64, j ? " " : "", r->rows[idx[j]].id);
    fprintf(out, "\">\n<thead><tr><th>#</th><th>id</th><th>CNN</th>"
                 "<th>accelerator</th><th>accuracy</th><th>latency</th><th>area</th>"
                 "<th>dyn. energy</th><th>leak. energy</th><th>frames/s</th><th>EDP</th>"
                 "<th>performance</th></tr></thead>\n<tbody>\n");
    for (size_t j = 0; j < n; j++) {
        const cb_eval_row *row = &r->rows[idx[j]];
        fprintf(out, "<tr%s data-id=\"%" PRId64 "\"><td>%zu</td><td>%" PRId64 "</td><td title=\"",
                (ptrdiff_t)idx[j] == r->best ? " class=\"best\"" : "", row->id, j + 1, row->id);
        cb_html_esc(out, row->cnn_hash);
        fprintf(out, "\" class=\"nw\">%" PRId64 " <code>%.8s</code></td><td><code>", row->pair.cnn, row->cnn_hash);
        cb_html_accel(out, &row->pair);
        fputs("</code></td>", out);
        metric_cells(out, &row->m);
        fputs("</tr>\n", out);
    }
    fputs("</tbody></table>\n", out);
}

static void kv_text(FILE *out, const char *k, const char *v)
{
    fprintf(out, "<tr><th>%s</th><td>", k);
    cb_html_esc(out, v);
    fputs("</td></tr>\n", out);
}

static void kv_num(FILE *out, const char *k, double v, const char *unit)
{
    fprintf(out, "<tr><th>%s</th>", k);
    cb_html_cell(out, v, unit);
    fputs("</tr>\n", out);
}

void cb_html_best(FILE *out, const cb_report *r)
{
    const cb_eval_row *b = &r->rows[r->best];
    char s[96];
    fprintf(out, "<table class=\"kv best\" data-id=\"%" PRId64 "\">\n", b->id);
    snprintf(s, sizeof s, "%" PRId64, b->id);
    kv_text(out, "evaluation id", s);
    snprintf(s, sizeof s, "%" PRId64 " (hierarchy level %d)", b->pair.cnn, b->pair.level);
    kv_text(out, "CNN", s);
    kv_text(out, "CNN graph hash", b->cnn_hash);
    fputs("<tr><th>accelerator vector</th><td><code>", out);
    cb_html_accel(out, &b->pair);
    fputs("</code></td></tr>\n<tr><th>accuracy</th>", out);
    cb_html_accuracy(out, &b->m);
    fputs("</tr>\n", out);
    kv_num(out, "latency per batch", b->m.latency_s, "s");
    kv_num(out, "chip area", b->m.area_mm2, "mm²");
    kv_num(out, "dynamic energy per batch", b->m.dyn_energy_j, "J");
    kv_num(out, "leakage energy per batch", b->m.leak_energy_j, "J");
    kv_num(out, "throughput (frames/s)", b->m.throughput_fps, "");
    kv_num(out, "energy-delay product", b->m.edp, "J·s");
    kv_num(out, "performance", b->m.performance, "");
    kv_num(out, "training time", b->train_s, "s");
    kv_num(out, "simulation time", b->sim_s, "s");
    fputs("</table>\n", out);
}

void cb_html_failures(FILE *out, const cb_report *r)
{
    fprintf(out, "<p>%zu failed, %zu infeasible (they break a constraint), %zu pending (asked, not "
                 "finished) of %zu evaluations.</p>\n",
            r->n_failed, r->n_infeasible, r->n_pending, r->n_rows);
    if (r->n_errors == 0) {
        fputs("<p>No evaluation failed or was infeasible.</p>\n", out);
        return;
    }
    fputs("<table class=\"failures\">\n<thead><tr><th>status</th><th>count</th><th>first id</th>"
          "<th>error</th></tr></thead>\n<tbody>\n",
          out);
    for (size_t i = 0; i < r->n_errors; i++) {
        const cb_report_error *e = &r->errors[i];
        fprintf(out, "<tr><td>%s</td><td class=\"num\">%zu</td><td class=\"num\">%" PRId64
                     "</td><td><code>",
                cb_report_status_name(e->status), e->count, e->first_id);
        cb_html_esc(out, e->text[0] ? e->text : "(no message)");
        fputs("</code></td></tr>\n", out);
    }
    fputs("</tbody></table>\n", out);
}
