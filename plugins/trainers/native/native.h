/* plugins/trainers/native/native.h: the native trainer's private declarations, shared by the
 * files of this pack only. The trainer trains a cb_graph on the CPU with the SDK's engine
 * (codebench/engine.h) and data loaders (codebench/data.h). */
#ifndef CB_NATIVE_H
#define CB_NATIVE_H

#include <codebench/checkpoint.h>
#include <codebench/data.h>
#include <codebench/engine.h>
#include <codebench/rng.h>

/* The create() parameters that are not part of a cb_recipe. */
typedef struct native_cfg {
    int format;            /* cb_data_format */
    char *path;
    int64_t train_subset, test_subset;
    int subset_random;
    double val_fraction;
    int nesterov, augment, flip;
    int64_t crop_pad, patience, threads;
    char *ckpt_dir;
    int64_t recipe_trials, recipe_min_epochs, recipe_eta; /* recipe search (0 trials: off) */
} native_cfg;

/* The data, loaded on the first train() and kept: every graph of a run sees the same images. */
typedef struct native_data {
    int ready;
    cb_dataset train, val, test;
    float mean[CB_DATA_MAX_CHANNELS], std[CB_DATA_MAX_CHANNELS];
} native_data;

typedef struct native {
    const cb_host *h;
    native_cfg cfg;
    cb_recipe recipe; /* the parameters' recipe; a job's recipe replaces it */
    native_data data;
} native;

/* One train() call. */
typedef struct native_run {
    native *nt;
    const cb_train_job *job;
    cb_recipe r;
    int preset;            /* r was chosen by the caller (a recipe trial): do not overlay it */
    int32_t until;         /* train until this many epochs in all (0: r.epochs) */
    cb_engine *en;
    cb_engine_optim *opt;
    cb_rng order;          /* shuffling and augmentation; saved in checkpoints */
    uint64_t step_seed;    /* mixed with the step count for stochastic ops (dropout) */
    int64_t *perm;
    float *x;
    int32_t *y;
    float **best;          /* weights at the best validation accuracy */
    double best_val;       /* < 0: none yet */
    double val_acc;        /* the last epoch's validation accuracy (< 0: none) */
    double val_loss;       /* and its mean loss (NaN: none) */
    int32_t bad_epochs, epoch; /* epochs without improvement; epochs completed */
    double loss, accuracy; /* last epoch's training mean loss and accuracy */
    double train_seconds;
    int64_t train_images;
    int stop;              /* early stopping or divergence ended training */
    const char *ckpt_dir;  /* where ckpt and ckpt_best live (NULL: checkpointing is off) */
    char ckpt[4096], ckpt_best[4200]; /* "" when checkpointing is off */
} native_run;

/* What a recipe search spent, added to the result of the final training. */
typedef struct native_spent {
    double seconds;
    int64_t images;
} native_spent;

/* native_data.c */
int native_data_ready(native *nt, cb_error *e);
int native_data_fits(const native *nt, const cb_engine *en, const cb_graph *g, cb_error *e);
/* native_recipe.c */
int native_recipe(const native *nt, const cb_recipe *job, cb_recipe *out, cb_error *e);
/* native_epoch.c */
int native_epoch(native_run *run, cb_error *e);
int native_evaluate(native_run *run, const cb_dataset *d, double *accuracy, double *loss,
                    cb_error *e);
void native_report(native_run *run, int64_t step, int64_t steps, double ips);
/* native_ckpt.c: dir NULL or "": checkpointing off; name: the file's stem (the graph hash) */
void native_ckpt_paths(native_run *run, const char *dir, const char *name);
int native_ckpt_resume(native_run *run, cb_error *e);
int native_ckpt_save(native_run *run, int improved, cb_error *e);
/* native_train.c: a run is set up, advanced by native_advance to run->until epochs, then
 * finished (best weights, test accuracy, weights handed back) or torn down */
int native_setup(native_run *run, cb_error *e);
int native_advance(native_run *run, cb_error *e);
void native_teardown(native_run *run);
int native_train(void *self, const cb_train_job *job, cb_train_result *r, cb_error *e);
/* native_search.c: ASHA over recipe_trials recipes from the seeds' space; on success the
 * winner's recipe and checkpoint paths are in `best` (ready for native_setup), with what the
 * search spent */
int native_search(native *nt, const cb_train_job *job, native_run *best, native_spent *spent,
                  char *dir, size_t dir_len, cb_error *e);
void native_search_cleanup(const native *nt, const char *dir);

#endif
