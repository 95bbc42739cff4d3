/* core/report/report_json.c: report.json, the report for programs: counts, the best pair with
 * every metric, the ids on each Pareto front (in ascending cost), the top pairs, the reference
 * pairs (report_json_refs.c), the best-so-far curve and the failures grouped by error. */
#include "report/export.h"
#include "report/report.h"
#include "util/json.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static void ids(FILE *out, const cb_report *r, const size_t *idx, size_t n)
{
    fputc('[', out);
    for (size_t j = 0; j < n; j++)
        fprintf(out, "%s%" PRId64, j ? "," : "", r->rows[idx[j]].id);
    fputc(']', out);
}

static void counts(FILE *out, const cb_report *r)
{
    fprintf(out, "\"counts\":{\"evaluations\":%zu,\"ok\":%zu,\"infeasible\":%zu,\"failed\":%zu,"
                 "\"pending\":%zu},\n",
            r->n_rows, r->n_ok, r->n_infeasible, r->n_failed, r->n_pending);
}

static void fronts(FILE *out, const cb_report *r)
{
    fputs("\"fronts\":{", out);
    for (int k = 0; k < CB_REPORT_N_FRONTS; k++) {
        fprintf(out, "%s\"%s\":", k ? "," : "", cb_report_fronts[k].key);
        ids(out, r, r->front[k], r->n_front[k]);
    }
    fputs("},\n", out);
}

static void failures(FILE *out, const cb_report *r)
{
    fputs("\"failures\":[", out);
    for (size_t i = 0; i < r->n_errors; i++) {
        const cb_report_error *e = &r->errors[i];
        fputs(i ? ",\n  {\"status\":" : "\n  {\"status\":", out);
        cb_json_str(out, cb_report_status_name(e->status));
        fputs(",\"error\":", out);
        cb_json_str(out, e->text);
        fprintf(out, ",\"count\":%zu,\"first_id\":%" PRId64 "}", e->count, e->first_id);
    }
    fputs("]\n", out);
}

static void body(FILE *out, const cb_report *r)
{
    fputs("{\"run_dir\":", out);
    cb_json_str(out, r->run_dir);
    fputs(",\n", out);
    counts(out, r);
    fputs("\"best\":", out);
    if (r->best >= 0) {
        cb_export_json_row(out, &r->rows[r->best]);
        fputc('}', out);
    } else {
        fputs("null", out);
    }
    fputs(",\n", out);
    fronts(out, r);
    fputs("\"top\":", out);
    ids(out, r, r->top, r->n_top);
    fputs(",\n\"references\":", out);
    cb_report_json_refs(out, r);
    fputs(",\n\"best_so_far\":[", out);
    for (size_t q = 0; q < r->n_queries; q++) {
        if (q)
            fputc(',', out);
        cb_json_num(out, r->best_so_far[q]);
    }
    fputs("],\n", out);
    failures(out, r);
    fputs("}\n", out);
}

int cb_report_write_json(const cb_report *r, const char *path, char *err, size_t len)
{
    FILE *out = fopen(path, "w");
    if (!out) {
        snprintf(err, len, "%s: %s", path, strerror(errno));
        return -1;
    }
    body(out, r);
    int bad = ferror(out);
    if (fclose(out) != 0 || bad) {
        snprintf(err, len, "%s: write failed (%s)", path, strerror(errno));
        return -1;
    }
    return 0;
}
