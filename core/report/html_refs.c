/* core/report/html_refs.c: the page's "Reference pairs" table: the study's best pair first,
 * then each reference pair the manifest lists (a published CNN on a published accelerator,
 * simulated for the report), with its accuracy when given ("not trained" otherwise), its
 * hardware figures and its performance under the run's objective. A reference that could not
 * be simulated or scored keeps its row and says why. */
#include "report/html.h"

#include <inttypes.h>
#include <math.h>

static const char *head =
    "<thead><tr><th>pair</th><th>CNN</th><th>accelerator</th><th>input</th><th>accuracy</th>"
    "<th>latency</th><th>area</th><th>dyn. energy</th><th>leak. energy</th><th>frames/s</th>"
    "<th>EDP</th><th>performance</th><th>note</th></tr></thead>\n<tbody>\n";

static void text_cell(FILE *out, const char *s, int code)
{
    fputs(code ? "<td class=\"nw\"><code>" : "<td>", out);
    cb_html_esc(out, s);
    fputs(code ? "</code></td>" : "</td>", out);
}

static void best_row(FILE *out, const cb_report *r)
{
    const cb_eval_row *b = &r->rows[r->best];
    fprintf(out, "<tr class=\"best\" data-ref=\"best\" data-id=\"%" PRId64 "\"><td>best pair (id %" PRId64
                 ")</td><td class=\"nw\">%" PRId64 " <code>%.8s</code></td><td><code>",
            b->id, b->id, b->pair.cnn, b->cnn_hash);
    cb_html_accel(out, &b->pair);
    fputs("</code></td>", out);
    text_cell(out, r->refs.study_input, 1);
    cb_html_accuracy(out, &b->m);
    cb_html_cell(out, b->m.latency_s, "s");
    cb_html_cell(out, b->m.area_mm2, "mm²");
    cb_html_cell(out, b->m.dyn_energy_j, "J");
    cb_html_cell(out, b->m.leak_energy_j, "J");
    cb_html_cell(out, b->m.throughput_fps, "");
    cb_html_cell(out, b->m.edp, "J·s");
    cb_html_cell(out, b->m.performance, "");
    fputs("<td></td></tr>\n", out);
}

static void ref_row(FILE *out, const cb_report_ref *p, size_t i)
{
    fprintf(out, "<tr data-ref=\"%zu\">", i);
    text_cell(out, p->label, 0);
    text_cell(out, p->model, 1);
    text_cell(out, p->accel, 1);
    text_cell(out, p->input[0] ? p->input : "?", 1);
    if (isfinite(p->m.accuracy))
        cb_html_accuracy(out, &p->m);
    else
        fputs("<td>not trained</td>", out);
    const cb_metrics *m = &p->m;
    if (p->simulated) {
        cb_html_cell(out, m->latency_s, "s");
        cb_html_cell(out, m->area_mm2, "mm²");
        cb_html_cell(out, m->dyn_energy_j, "J");
        cb_html_cell(out, m->leak_energy_j, "J");
        cb_html_cell(out, m->throughput_fps, "");
        cb_html_cell(out, m->edp, "J·s");
    } else {
        fputs("<td colspan=\"6\">not simulated</td>", out);
    }
    if (isfinite(m->performance))
        cb_html_cell(out, m->performance, "");
    else
        fputs("<td>—</td>", out);
    text_cell(out, p->note, 0);
    fputs("</tr>\n", out);
}

void cb_html_refs(FILE *out, const cb_report *r)
{
    const cb_report_refs *refs = &r->refs;
    fputs("<h2>Reference pairs</h2>\n<p>Published CNNs on published accelerators, as the "
          "manifest lists them (<code>output.references</code>), simulated with AccelBench for "
          "this report and set beside the study's best pair. A reference with an accuracy is "
          "scored with the run's objective and normalizers; without one it is \"not trained\" "
          "and only its hardware compares.",
          out);
    if (refs->manifest[0]) {
        fputs(" Manifest: <code>", out);
        cb_html_esc(out, refs->manifest);
        fputs("</code>.", out);
    }
    fputs("</p>\n", out);
    if (refs->note[0]) {
        fputs("<p class=\"note\">", out);
        cb_html_esc(out, refs->note);
        fputs("</p>\n", out);
    }
    if (refs->n == 0)
        return;
    fprintf(out, "<table class=\"pairs refs\" data-list=\"references\">\n%s", head);
    if (r->best >= 0)
        best_row(out, r);
    for (size_t i = 0; i < refs->n; i++)
        ref_row(out, &refs->v[i], i);
    fputs("</tbody></table>\n", out);
}
