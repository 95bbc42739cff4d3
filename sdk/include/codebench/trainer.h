/* codebench/trainer.h: the trainer plugin kind, one way to get a CNN's accuracy.
 *
 * A trainer gets a cb_graph, a training recipe and (optionally) initial weights transferred
 * from a trained neighbour, and returns the accuracy it measured (native, pytorch) or looked
 * up (table). Weights are laid out per vertex in the order the op's weights() lists them.
 */
#ifndef CODEBENCH_TRAINER_H
#define CODEBENCH_TRAINER_H

#include "graph.h"

#ifdef __cplusplus
extern "C" {
#endif

enum { CB_OPT_SGD = 0, CB_OPT_ADAM, CB_OPT_ADAMW };
enum { CB_SCHED_CONSTANT = 0, CB_SCHED_COSINE, CB_SCHED_EXPONENTIAL, CB_SCHED_STEP };

typedef struct cb_recipe {
    uint32_t size;                  /* sizeof(cb_recipe) when built */
    int32_t optimizer;              /* CB_OPT_* */
    double lr, momentum, beta1, beta2, weight_decay;
    int32_t schedule;               /* CB_SCHED_* */
    double gamma;                   /* exponential/step decay factor */
    int32_t step_epochs;            /* step schedule period */
    int32_t epochs, batch;
    uint64_t seed;
} cb_recipe;

typedef struct cb_train_progress {
    uint32_t size;
    int32_t epoch, epochs;
    int64_t step, steps;            /* within the epoch */
    double loss, accuracy;          /* running training figures */
    double val_accuracy;            /* after each epoch; < 0 when not yet known */
    double images_per_s;
} cb_train_progress;

typedef struct cb_train_job {
    uint32_t size;                  /* sizeof(cb_train_job) when built */
    const cb_graph *graph;
    const cb_recipe *recipe;        /* NULL: the trainer's own defaults */
    int32_t n_weights;              /* total weight tensors over all vertices */
    cb_tensor *weights;             /* in: initial values (data NULL: fresh init); out: trained */
    const uint8_t *init_mask;       /* n_weights flags: 1 where `weights` holds transferred values */
    void (*progress)(void *ctx, const cb_train_progress *p); /* may be NULL */
    void *progress_ctx;
} cb_train_job;

typedef struct cb_train_result {
    uint32_t size;
    double accuracy;                /* test accuracy in [0, 1] */
    double val_accuracy, loss;
    double acc_std;                 /* spread across seeds where known (table), else 0 */
    int32_t epochs;
    double seconds, images_per_s;
} cb_train_result;

typedef struct cb_trainer_vt {
    uint32_t size;
    /* evaluation: polls host->cancelled between steps */
    int (*train)(void *self, const cb_train_job *job, cb_train_result *r, cb_error *e);
} cb_trainer_vt;

#ifdef __cplusplus
}
#endif
#endif /* CODEBENCH_TRAINER_H */
