/* core/report/report.h: the report of one run folder (`codebench report`).
 *
 * Owns: what the report computes from the store's rows (the best pair, the Pareto fronts of
 * accuracy against area, dynamic energy, latency and EDP, the best-so-far curve, the top pairs,
 * the reference pairs the manifest lists (refs.h), the failures grouped by error) and writing it as files: report.json, one SVG and one PNG per
 * figure, and a self-contained index.html. docs/reports.md says how each part is computed. */
#ifndef CB_CORE_REPORT_H
#define CB_CORE_REPORT_H

#include "report/refs.h"
#include "store/store.h"

#include <stddef.h>
#include <stdio.h>

/* cb_report_open's results besides 0: the CLI maps them to its exit statuses. */
enum { CB_REPORT_NO_DB = 2, CB_REPORT_FAILED = 1 };

/* One cost metric a Pareto front sets against accuracy. */
typedef struct cb_report_metric {
    const char *key;   /* file names and JSON keys: "area" */
    const char *label; /* axis and table label: "Chip area" */
    const char *unit;  /* base unit: "mm²", "s", "J" */
    int si;            /* 1: the unit takes SI prefixes (ms, µJ) */
    size_t offset;     /* of the double in cb_metrics */
} cb_report_metric;

#define CB_REPORT_N_FRONTS 4
#define CB_REPORT_TOP 10
extern const cb_report_metric cb_report_fronts[CB_REPORT_N_FRONTS];
double cb_report_metric_of(const cb_report_metric *k, const cb_metrics *m);

/* Failed and infeasible rows, grouped by (status, error text). */
typedef struct cb_report_error {
    int status;        /* CB_ROW_FAILED or CB_ROW_INFEASIBLE */
    const char *text;  /* points into the report's rows */
    size_t count;
    int64_t first_id;
} cb_report_error;

typedef struct cb_report {
    char *run_dir;
    cb_eval_row *rows; /* every row, ask order (owned) */
    size_t n_rows;
    size_t n_ok, n_infeasible, n_failed, n_pending;
    ptrdiff_t best;    /* index into rows of the highest performance among ok rows; -1: none */
    size_t *front[CB_REPORT_N_FRONTS]; /* indices into rows, ascending cost */
    size_t n_front[CB_REPORT_N_FRONTS];
    size_t top[CB_REPORT_TOP], n_top;  /* best ok rows by performance, best first */
    double *best_so_far; /* [q]: best performance among the first q+1 finished rows (NaN: none) */
    size_t *query_row;   /* [q]: the row of the (q+1)-th finished query */
    size_t n_queries;
    cb_report_error *errors;
    size_t n_errors;
    cb_report_refs refs; /* the manifest's reference pairs (refs.declared 0: none listed) */
} cb_report;

/* Computes everything from rows (in ask order); takes ownership of rows (malloc'd). */
void cb_report_build(cb_report *r, const char *run_dir, cb_eval_row *rows, size_t n);
void cb_report_free(cb_report *r);

/* Reads run_dir/codebench.db and builds the report, with the reference pairs when the
 * recorded manifest lists them (its file found near run_dir: cb_report_find_manifest).
 * Returns 0, CB_REPORT_NO_DB for a folder without a codebench database, or CB_REPORT_FAILED;
 * err says why. */
int cb_report_open(const char *run_dir, cb_report *r, char *err, size_t len);

/* Groups the failed and infeasible rows (called by cb_report_build). */
void cb_report_group_errors(cb_report *r);

/* Writes report.json, the figures and index.html into out_dir (created if needed). */
int cb_report_write(const cb_report *r, const char *out_dir, char *err, size_t len);

/* report.json alone (the machine-readable summary). */
int cb_report_write_json(const cb_report *r, const char *path, char *err, size_t len);

/* report.json's "references" value (report_json_refs.c). */
void cb_report_json_refs(FILE *out, const cb_report *r);

/* A row's status as a word: "ok", "failed", "infeasible", "pending". */
const char *cb_report_status_name(int status);

#endif
