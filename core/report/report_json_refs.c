/* core/report/report_json_refs.c: report.json's "references": the reference pairs the
 * manifest lists, each with its simulated metrics and, when its accuracy is given, its
 * performance under the run's objective; or, when the manifest lists none, the note that the
 * top pairs are shown instead (the key is never left out, so programs need not guess). */
#include "report/report.h"
#include "util/json.h"

#include <math.h>

static void num(FILE *out, const char *key, double v)
{
    fprintf(out, ",\"%s\":", key);
    cb_json_num(out, v);
}

static void pair(FILE *out, const cb_report_ref *p)
{
    fputs("{\"label\":", out);
    cb_json_str(out, p->label);
    fputs(",\"model\":", out);
    cb_json_str(out, p->model);
    fputs(",\"accelerator\":", out);
    cb_json_str(out, p->accel);
    fputs(",\"input\":", out);
    cb_json_str(out, p->input[0] ? p->input : NULL);
    fprintf(out, ",\"input_matches\":%s,\"simulated\":%s,\"trained\":%s", p->input_matches ? "true" : "false",
            p->simulated ? "true" : "false", isfinite(p->m.accuracy) ? "true" : "false");
    num(out, "accuracy", p->m.accuracy);
    const cb_metrics *m = &p->m;
    int sim = p->simulated;
    num(out, "latency_s", sim ? m->latency_s : NAN);
    num(out, "area_mm2", sim ? m->area_mm2 : NAN);
    num(out, "dyn_energy_j", sim ? m->dyn_energy_j : NAN);
    num(out, "leak_energy_j", sim ? m->leak_energy_j : NAN);
    num(out, "throughput_fps", sim ? m->throughput_fps : NAN);
    num(out, "edp", sim ? m->edp : NAN);
    num(out, "performance", m->performance);
    fprintf(out, ",\"feasible\":%s,\"note\":", isfinite(m->performance) ? (p->feasible ? "true" : "false") : "null");
    cb_json_str(out, p->note[0] ? p->note : NULL);
    fputc('}', out);
}

void cb_report_json_refs(FILE *out, const cb_report *r)
{
    const cb_report_refs *refs = &r->refs;
    if (!refs->declared) {
        fputs("{\"tagged\":false,\"shown_instead\":\"top\"}", out);
        return;
    }
    fputs("{\"tagged\":true,\"manifest\":", out);
    cb_json_str(out, refs->manifest[0] ? refs->manifest : NULL);
    fputs(",\"study_input\":", out);
    cb_json_str(out, refs->study_input[0] ? refs->study_input : NULL);
    fprintf(out, ",\"normalizers_checked\":%s,\"normalizers\":{\"latency_s\":", refs->norm_checked ? "true" : "false");
    /* none when the study could not be opened */
    int known = refs->manifest[0] && refs->norm_latency_s > 0;
    cb_json_num(out, known ? refs->norm_latency_s : NAN);
    num(out, "area_mm2", known ? refs->norm_area_mm2 : NAN);
    num(out, "dyn_energy_j", known ? refs->norm_dyn_j : NAN);
    num(out, "leak_energy_j", known ? refs->norm_leak_j : NAN);
    fputs("},\"note\":", out);
    cb_json_str(out, refs->note[0] ? refs->note : NULL);
    fputs(",\"pairs\":[", out);
    for (size_t i = 0; i < refs->n; i++) {
        fputs(i ? ",\n  " : "\n  ", out);
        pair(out, &refs->v[i]);
    }
    fputs("]}", out);
}
