/* core/runner/run.h: the active-learning loop of `codebench run`.
 *
 * Owns: search.ask -> (worker processes: train + simulate + score) -> store -> search.tell,
 * resume from the run database, the live progress line, and a clean stop on Ctrl-C (every
 * finished evaluation and the search state after it are already committed; in-flight ones are
 * asked again on resume).
 */
#ifndef CB_CORE_RUN_H
#define CB_CORE_RUN_H

#include "runner/study.h"

typedef struct cb_run_opts {
    const char *out_dir;   /* NULL: the manifest's output folder */
    int workers;           /* 0: the manifest's workers.count */
    int resume;            /* continue a stopped run in out_dir */
    int quiet;
    const char *exe;       /* the codebench executable workers run */
    int mpi_ranks;         /* > 1: this is rank 0 of an MPI job of that many ranks */
} cb_run_opts;

typedef struct cb_run_summary {
    int64_t ok, failed, pending;
    int64_t best_id;       /* row id of the best pair, 0 when none */
    double best_performance;
    int cancelled;
} cb_run_summary;

/* Runs the study in st (opened as coordinator). Returns CB_OK, CB_EINVAL (bad input, e.g. a
 * folder holding another study), CB_EFAIL, or CB_ECANCEL after Ctrl-C. err says why. */
int cb_run(cb_study *st, const cb_run_opts *o, cb_run_summary *sum, char *err, size_t err_len);

#endif
