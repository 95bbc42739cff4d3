/* core/report/export.h: every evaluation of a run as CSV (RFC 4180 quoting, LF line ends, a
 * header row) or JSON (an array of objects), optionally with the per-layer simulation rows
 * (`codebench export`).
 * Numbers are written in the shortest form that reads back to the same double; a metric the
 * store holds as NULL (a failed row) is an empty CSV field or a JSON null. */
#ifndef CB_CORE_REPORT_EXPORT_H
#define CB_CORE_REPORT_EXPORT_H

#include "store/store.h"

#include <stddef.h>
#include <stdio.h>

/* The numeric columns after the accelerator vector, in order (export_cols.c). */
typedef struct cb_export_col {
    const char *name;
    size_t offset; /* of the double in cb_eval_row */
} cb_export_col;
extern const cb_export_col cb_export_cols[];
extern const size_t cb_export_n_cols;
double cb_export_value(const cb_export_col *c, const cb_eval_row *r);

/* id,status,cnn,level,cnn_hash,accel_0..accel_K-1,<cb_export_cols>,error; K is the longest
 * accelerator vector among the rows (shorter vectors leave their tail empty). */
int cb_export_csv(FILE *out, const cb_eval_row *rows, size_t n);
/* eval_id,layer,name,op,cycles,compute_cycles,stall_cycles,latency_s,dyn_energy_j,leak_energy_j */
int cb_export_layers_csv(FILE *out, cb_store *s);

/* [{"id":..,"status":"ok",..,"accel":[..],..}, ...]; with layers non-NULL every object also
 * has "layers": [{"layer":0,"name":..}, ...] read from that store. */
int cb_export_json(FILE *out, const cb_eval_row *rows, size_t n, cb_store *layers);
/* One row's object without its closing brace, so a caller may add fields ("layers"); report.json
 * uses it too. */
void cb_export_json_row(FILE *out, const cb_eval_row *r);

/* A CSV field: quoted (quotes doubled) when it holds a comma, quote or line break. */
void cb_export_csv_text(FILE *out, const char *s);
/* A CSV number: shortest round-trip form; nothing for NaN or infinity. */
void cb_export_csv_num(FILE *out, double v);

#endif
