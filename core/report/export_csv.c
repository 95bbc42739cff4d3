/* core/report/export_csv.c: the evaluations and the layers tables as CSV (see export.h). */
#include "report/export.h"
#include "report/report.h"
#include "util/json.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

void cb_export_csv_text(FILE *out, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

void cb_export_csv_num(FILE *out, double v)
{
    if (isfinite(v))
        cb_json_num(out, v); /* the shortest form that reads back to v */
}

static int longest_accel(const cb_eval_row *rows, size_t n)
{
    int k = 0;
    for (size_t i = 0; i < n; i++)
        if (rows[i].pair.n_accel > k)
            k = rows[i].pair.n_accel;
    return k;
}

static void header(FILE *out, int n_accel)
{
    fputs("id,status,cnn,level,cnn_hash", out);
    for (int a = 0; a < n_accel; a++)
        fprintf(out, ",accel_%d", a);
    for (size_t c = 0; c < cb_export_n_cols; c++)
        fprintf(out, ",%s", cb_export_cols[c].name);
    fputs(",error\n", out);
}

static void row(FILE *out, const cb_eval_row *r, int n_accel)
{
    fprintf(out, "%" PRId64 ",%s,%" PRId64 ",%d,", r->id, cb_report_status_name(r->status),
            r->pair.cnn, r->pair.level);
    cb_export_csv_text(out, r->cnn_hash);
    for (int a = 0; a < n_accel; a++) {
        fputc(',', out);
        if (a < r->pair.n_accel)
            cb_export_csv_num(out, r->pair.accel[a]);
    }
    for (size_t c = 0; c < cb_export_n_cols; c++) {
        fputc(',', out);
        cb_export_csv_num(out, cb_export_value(&cb_export_cols[c], r));
    }
    fputc(',', out);
    cb_export_csv_text(out, r->error);
    fputs("\n", out);
}

int cb_export_csv(FILE *out, const cb_eval_row *rows, size_t n)
{
    int k = longest_accel(rows, n);
    header(out, k);
    for (size_t i = 0; i < n; i++)
        row(out, &rows[i], k);
    return ferror(out) ? -1 : 0;
}

static int layer_row(void *ctx, int64_t eval_id, int layer, const cb_layer_row *l)
{
    FILE *out = ctx;
    fprintf(out, "%" PRId64 ",%d,", eval_id, layer);
    cb_export_csv_text(out, l->name);
    fputc(',', out);
    cb_export_csv_text(out, l->op);
    const double v[] = {l->cycles, l->compute_cycles, l->stall_cycles, l->latency_s,
                        l->dyn_energy_j, l->leak_energy_j};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        fputc(',', out);
        cb_export_csv_num(out, v[i]);
    }
    fputs("\n", out);
    return ferror(out) ? -1 : 0;
}

int cb_export_layers_csv(FILE *out, cb_store *s)
{
    fputs("eval_id,layer,name,op,cycles,compute_cycles,stall_cycles,latency_s,dyn_energy_j,"
          "leak_energy_j\n",
          out);
    return cb_store_each_layer(s, layer_row, out) || ferror(out) ? -1 : 0;
}
