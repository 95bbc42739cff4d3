/* core/report/export_json.c: the evaluations as a JSON array, each layer nested in its
 * evaluation. The layers stream from the store in evaluation order and are merged with the
 * rows (also in id order) as they come, so a long run is never held in memory twice. */
#include "report/export.h"
#include "report/report.h"
#include "util/json.h"

#include <inttypes.h>

static void key(FILE *out, const char *k)
{
    cb_json_str(out, k);
    fputc(':', out);
}

void cb_export_json_row(FILE *out, const cb_eval_row *r)
{
    fprintf(out, "{\"id\":%" PRId64 ",\"status\":", r->id);
    cb_json_str(out, cb_report_status_name(r->status));
    fprintf(out, ",\"cnn\":%" PRId64 ",\"level\":%d,\"cnn_hash\":", r->pair.cnn, r->pair.level);
    cb_json_str(out, r->cnn_hash);
    fputs(",\"accel\":[", out);
    for (int a = 0; a < r->pair.n_accel; a++) {
        if (a)
            fputc(',', out);
        cb_json_num(out, r->pair.accel[a]);
    }
    fputc(']', out);
    for (size_t c = 0; c < cb_export_n_cols; c++) {
        fputc(',', out);
        key(out, cb_export_cols[c].name);
        cb_json_num(out, cb_export_value(&cb_export_cols[c], r));
    }
    fputs(",\"error\":", out);
    cb_json_str(out, r->error[0] ? r->error : NULL);
}

typedef struct merge {
    FILE *out;
    const cb_eval_row *rows;
    size_t n, next;   /* rows[0..next) are written and closed */
    int open_layers;  /* rows[next]'s object is open inside its "layers" array */
    int n_layers;     /* layers written into it */
} merge;

/* Writes rows[next]'s fields and opens its "layers" array. */
static void open_row(merge *m)
{
    fputs(m->next ? ",\n" : "\n", m->out);
    cb_export_json_row(m->out, &m->rows[m->next]);
    fputs(",\"layers\":[", m->out);
    m->open_layers = 1;
}

/* Closes rows[next] (opening it first when it has no layers) and moves on. */
static void close_row(merge *m)
{
    if (!m->open_layers)
        open_row(m);
    fputs("]}", m->out);
    m->next++;
    m->open_layers = 0;
    m->n_layers = 0;
}

static void layer_fields(FILE *out, int layer, const cb_layer_row *l)
{
    fprintf(out, "{\"layer\":%d,\"name\":", layer);
    cb_json_str(out, l->name);
    fputs(",\"op\":", out);
    cb_json_str(out, l->op);
    const char *names[] = {"cycles", "compute_cycles", "stall_cycles", "latency_s", "dyn_energy_j",
                           "leak_energy_j"};
    const double v[] = {l->cycles, l->compute_cycles, l->stall_cycles, l->latency_s,
                        l->dyn_energy_j, l->leak_energy_j};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        fputc(',', out);
        key(out, names[i]);
        cb_json_num(out, v[i]);
    }
    fputc('}', out);
}

static int on_layer(void *ctx, int64_t eval_id, int layer, const cb_layer_row *l)
{
    merge *m = ctx;
    while (m->next < m->n && m->rows[m->next].id < eval_id)
        close_row(m);
    if (m->next >= m->n || m->rows[m->next].id != eval_id)
        return 0; /* a layer of a row not exported: skip it */
    if (!m->open_layers)
        open_row(m);
    if (m->n_layers++)
        fputc(',', m->out);
    layer_fields(m->out, layer, l);
    return ferror(m->out) ? -1 : 0;
}

int cb_export_json(FILE *out, const cb_eval_row *rows, size_t n, cb_store *layers)
{
    fputc('[', out);
    if (!layers) {
        for (size_t i = 0; i < n; i++) {
            fputs(i ? ",\n" : "\n", out);
            cb_export_json_row(out, &rows[i]);
            fputc('}', out);
        }
    } else {
        merge m = {out, rows, n, 0, 0, 0};
        if (cb_store_each_layer(layers, on_layer, &m))
            return -1;
        while (m.next < m.n)
            close_row(&m);
    }
    fputs(n ? "\n]\n" : "]\n", out);
    return ferror(out) ? -1 : 0;
}
