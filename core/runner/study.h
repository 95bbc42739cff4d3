/* core/runner/study.h: a study: one manifest made live.
 *
 * Owns: loading the manifest and its plugins, creating the plugin instances a role needs (the
 * coordinator: the search; a worker: the trainer, MAC units and memories), the CNN candidates
 * and the accelerator axes as the search sees them (cb_space), the objective, and the
 * evaluation of one pair (train or look up the accuracy, simulate, score). A create() that
 * refuses a value is reported at the value's place in the manifest, like any other bad input.
 */
#ifndef CB_CORE_STUDY_H
#define CB_CORE_STUDY_H

#include "manifest/manifest.h"
#include "plugin/bind.h"
#include "runner/objective.h"
#include "store/store.h"

#include <codebench/codebench.h>

enum { CB_ROLE_COORDINATOR = 1, CB_ROLE_WORKER = 2, CB_ROLE_BOTH = 3 };

/* What a worker is asked to do: evaluate a pair; the coordinator passes the accuracy when its
 * cache already knows the CNN (then no training happens). */
typedef struct cb_job {
    cb_pair pair;
    int32_t has_accuracy;
    double accuracy, acc_std;
} cb_job;

#define CB_EVAL_MAX_LAYERS 512
#define CB_EVAL_MAX_EPOCHS 256

/* What a worker answers: fixed-size, so it travels as one frame. */
typedef struct cb_eval_result {
    cb_metrics m;
    double train_s, sim_s;
    int32_t trained;          /* 1: the accuracy comes from training here (cache it) */
    char error[512];          /* status FAILED: why */
    int32_t n_layers, n_epochs;
    cb_layer_row layers[CB_EVAL_MAX_LAYERS];
    struct { double loss, accuracy, val_accuracy; } curve[CB_EVAL_MAX_EPOCHS];
} cb_eval_result;

typedef struct cb_candidates cb_candidates; /* core/runner/candidates.h */

typedef struct cb_study {
    char *manifest_path;
    char *manifest_text;
    cb_registry reg;
    cb_manifest m;
    int role;
    cb_instance search;
    cb_instance trainer;
    cb_instance *macs, *memories;
    size_t n_macs, n_memories;
    cb_candidates *cands;
    struct cb_simulator *simulator; /* AccelBench with its layer cache; made on first use */
    cb_axis axes[CB_ACCEL_MAX];
    double *axis_values;
    cb_space space;
    cb_objective obj;
} cb_study;

/* Opens path for role. Bad input: CB_EINVAL with d at the place in the manifest (or the file);
 * a failure at run time: CB_EFAIL with d's message. */
int cb_study_open(const char *path, int role, cb_study *st, cb_diag *d);
void cb_study_close(cb_study *st);

/* The coordinator's search made again and started on the space as it is now (after a resume
 * replayed the growths of the CNN hierarchy, which the first start did not see). */
int cb_study_restart_search(cb_study *st, cb_diag *d);

/* The graph hash of candidate i (for the store and the accuracy cache). */
const char *cb_study_cnn_hash(const cb_study *st, int64_t i);

/* Evaluates one job; never fails as a call: a failure is r->m.status = CB_EVAL_FAILED with
 * r->error saying why. */
void cb_study_evaluate(cb_study *st, const cb_job *job, cb_eval_result *r);

/* Simulates the pair (its CNN on its accelerator: the MAC plugin with P_if multipliers, the
 * pair's configured memory); *out is freed with cb_sim_report_free. */
struct cb_sim_report;
int cb_study_simulate(cb_study *st, const cb_pair *p, struct cb_sim_report *out, char *why,
                      size_t why_len);

#endif
