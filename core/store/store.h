/* core/store/store.h: the run database, one SQLite file per run folder (WAL mode).
 *
 * Owns: the schema and every read and write of it: the manifest used (text and SHA-256),
 * every pair asked and evaluated with all its metrics and timings, per-layer simulation rows,
 * training curves, the accuracy cache (by graph hash) and the simulation cache (by graph hash
 * and accelerator vector), search state snapshots, and failures with their error.
 *
 * Crash safety: a finished evaluation, the search's tell of it and the search state after that
 * tell are written in one transaction, so a run killed at any instant (SIGKILL included)
 * resumes from a consistent point and loses no finished evaluation. synchronous=FULL in WAL
 * mode makes each commit durable.
 */
#ifndef CB_CORE_STORE_H
#define CB_CORE_STORE_H

#include <codebench/space.h>
#include <stddef.h>
#include <stdint.h>

typedef struct cb_store cb_store;

enum { CB_ROW_PENDING = 0, CB_ROW_OK = 1, CB_ROW_FAILED = 2, CB_ROW_INFEASIBLE = 3 };

/* One asked pair as the store keeps it. */
typedef struct cb_eval_row {
    int64_t id;               /* row id; also the order in which pairs were asked */
    cb_pair pair;
    char cnn_hash[65];
    int status;               /* CB_ROW_* */
    int64_t state_id;         /* the search-state snapshot current when the pair was asked */
    cb_metrics m;
    double train_s, sim_s;
    char error[512];
} cb_eval_row;

/* One simulated layer, for the per-layer table. */
typedef struct cb_layer_row {
    char name[64], op[32];
    double cycles, compute_cycles, stall_cycles;
    double latency_s, dyn_energy_j, leak_energy_j;
} cb_layer_row;

/* Opens (creating if needed) dir/codebench.db. Returns NULL and fills err on failure (a
 * read-only or missing folder, a full disk, a file that is not a codebench database). */
cb_store *cb_store_open(const char *dir, char *err, size_t err_len);
void cb_store_close(cb_store *s);

/* Records the manifest text; on an existing store, checks that it is the same manifest
 * (SHA-256), else fails naming both hashes: resuming with another manifest would mix studies. */
int cb_store_manifest(cb_store *s, const char *text, char *err, size_t err_len);

/* Records key = value in the database's meta table (replacing an older value); 0 or -1. */
int cb_store_set_meta(cb_store *s, const char *key, const char *value);

/* "PATH: reason" of the last failed write (add_pending, finish): a full disk or a read-only
 * file is reported with the database it hit. */
const char *cb_store_last_error(const cb_store *s, char *buf, size_t len);

/* A new pending row for an asked pair; returns its id (> 0), or -1. */
int64_t cb_store_add_pending(cb_store *s, const cb_pair *p, const char *cnn_hash, int64_t state_id);

/* Finishes row id with its metrics (status from m->status) and saves the search state blob
 * taken after telling the search about it, in one transaction. Returns the new state id
 * (> 0), or -1. */
int64_t cb_store_finish(cb_store *s, int64_t id, const cb_metrics *m, double train_s, double sim_s,
                        const char *error, const cb_layer_row *layers, int n_layers,
                        const void *state, size_t state_len);

/* Saves a search-state snapshot outside a finish (e.g. before the first ask). */
int64_t cb_store_save_state(cb_store *s, const void *state, size_t len);

/* The latest state snapshot: *id = 0 when there is none. *blob is malloc'd (free it). */
int cb_store_latest_state(cb_store *s, int64_t *id, void **blob, size_t *len);

/* Every row, in ask order; *rows malloc'd. */
int cb_store_rows(cb_store *s, cb_eval_row **rows, size_t *n);

/* Calls fn for every per-layer row, ordered by evaluation id and layer index (streamed, so
 * exporting a long run never holds every layer at once); stops at fn's first non-zero return
 * and returns it. */
int cb_store_each_layer(cb_store *s, int (*fn)(void *ctx, int64_t eval_id, int layer,
                                               const cb_layer_row *row),
                        void *ctx);

/* Resume: deletes pending rows asked after snapshot state_id (the restored search will ask
 * them again) and returns how many it deleted. */
int cb_store_drop_pending_after(cb_store *s, int64_t state_id);

/* The growths of a module space's CNN hierarchy (boshcode): level grown from parents, in the
 * order they happened, each tagged with the snapshot that was latest when it happened. */
typedef struct cb_growth_row {
    int64_t id, state_id;
    int32_t level;
    int n;
    int64_t *parents; /* malloc'd */
} cb_growth_row;
/* Records one growth; returns its id (> 0), or -1. */
int64_t cb_store_add_growth(cb_store *s, int32_t level, const int64_t *parents, int n, int64_t state_id);
/* Every growth in order; *rows malloc'd, free them with cb_store_growth_free. */
int cb_store_growths(cb_store *s, cb_growth_row **rows, size_t *n);
void cb_store_growth_free(cb_growth_row *rows, size_t n);
/* Resume: deletes the growths made after snapshot state_id (the restored search, which does not
 * know them, will grow again) and returns how many it deleted. */
int cb_store_drop_growth_after(cb_store *s, int64_t state_id);

/* Caches. *hit = 1 when found. */
int cb_store_acc_get(cb_store *s, const char *cnn_hash, double *acc, double *acc_std, int *hit);
int cb_store_acc_put(cb_store *s, const char *cnn_hash, double acc, double acc_std, double seconds,
                     const char *checkpoint);
int cb_store_curve_add(cb_store *s, const char *cnn_hash, int epoch, double loss, double acc,
                       double val_acc);

/* Counts rows by status (any of them may be NULL). */
int cb_store_counts(cb_store *s, int64_t *ok, int64_t *failed, int64_t *pending);

/* SQLite's integrity_check: 0 when "ok". */
int cb_store_integrity(cb_store *s, char *err, size_t err_len);

#endif
