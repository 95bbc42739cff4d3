/* plugins/trainers/native/native.c: the "native" trainer plugin's descriptor: its parameter
 * schema, create/destroy, and the pack entry (build/plugins/trainers/native.so). */
#include "native.h"

#include <codebench/plugin.h>
#include <codebench/trainer.h>

#include <stdlib.h>
#include <string.h>

/* The schema row macro of plugin.h has no flags column, and lr and weight_decay are searched on
 * a log scale (CB_P_LOG): this list carries a ninth column, and NATIVE_ROW/NATIVE_CTYPE adapt it
 * to the cb_param array and to CB_CHECK_CREATE's signature proof. */
#define FORMATS CB_CHOICES("idx", "cifar10", "cifar100", "folder")
#define OPTIMIZERS CB_CHOICES("sgd", "adam", "adamw")
#define SCHEDULES CB_CHOICES("constant", "cosine", "exponential", "step")
#define NATIVE_PARAMS(P)                                                                          \
    P(ENUM, data_format, "idx", 0, 0, FORMATS, "",                                                \
      "idx (MNIST, Fashion-MNIST), cifar10, cifar100, or folder (train/ and test/ with class sub-folders)", 0) \
    P(STR, data_path, "/usr/share/datasets/fashion-mnist", 0, 0, NULL, "",                        \
      "folder holding the data set", CB_P_PATH)                                                           \
    P(INT, train_subset, "0", 0, 1e9, NULL, "images", "training images kept, before the validation split (0: all)", 0) \
    P(INT, test_subset, "0", 0, 1e9, NULL, "images", "test images kept (0: all)", 0)             \
    P(BOOL, subset_random, "false", 0, 0, NULL, "", "draw subsets at random (seeded) instead of taking the first images", 0) \
    P(REAL, val_fraction, "0.1", 0, 0.9, NULL, "", "share of the training images held out for validation", 0) \
    P(INT, epochs, "2", 1, 100000, NULL, "epochs", "passes over the training images", 0)          \
    P(INT, batch, "128", 1, 65536, NULL, "images", "images per optimizer step", 0)               \
    P(ENUM, optimizer, "adamw", 0, 0, OPTIMIZERS, "", "sgd (momentum), adam or adamw", 0)         \
    P(REAL, lr, "0.001", 1e-7, 10, NULL, "", "learning rate at the start of the schedule", CB_P_LOG) \
    P(REAL, momentum, "0.9", 0, 0.999, NULL, "", "SGD momentum", 0)                               \
    P(BOOL, nesterov, "false", 0, 0, NULL, "", "Nesterov momentum (SGD)", 0)                       \
    P(REAL, beta1, "0.9", 0, 0.9999, NULL, "", "Adam first-moment decay", 0)                       \
    P(REAL, beta2, "0.999", 0, 0.99999, NULL, "", "Adam second-moment decay", 0)                   \
    P(REAL, weight_decay, "0.0001", 0, 1, NULL, "", "L2 (sgd, adam) or decoupled (adamw) weight decay", CB_P_LOG) \
    P(ENUM, schedule, "cosine", 0, 0, SCHEDULES, "", "learning-rate schedule over the epochs", 0) \
    P(REAL, gamma, "0.9", 0.01, 1, NULL, "", "decay factor of the exponential and step schedules", 0) \
    P(INT, step_epochs, "30", 1, 100000, NULL, "epochs", "period of the step schedule", 0)        \
    P(BOOL, augment, "false", 0, 0, NULL, "", "random crops of zero-padded images (and flips) while training", 0) \
    P(INT, crop_pad, "4", 0, 64, NULL, "pixels", "padding around an image before a random crop", 0) \
    P(BOOL, flip, "true", 0, 0, NULL, "", "random horizontal flips when augmenting", 0)           \
    P(INT, early_stop_patience, "0", 0, 100000, NULL, "epochs",                                   \
      "stop after this many epochs without a better validation accuracy (0: never)", 0)          \
    P(INT, threads, "0", 0, 1024, NULL, "", "data-parallel shards per batch (0: the host's threads)", 0) \
    P(STR, checkpoint_dir, "", 0, 0, NULL, "",                                                    \
      "folder for per-graph checkpoints, resumed when present (empty: none)", CB_P_PATH)                  \
    P(INT, seed, "0", 0, 4294967295.0, NULL, "", "recipe seed, mixed with the run's seed", 0)    \
    P(INT, recipe_trials, "0", 0, 10000, NULL, "",                                                \
      "recipes to try per graph, scheduled by ASHA on the validation loss (0: no search)", 0)     \
    P(INT, recipe_min_epochs, "1", 1, 100000, NULL, "epochs",                                     \
      "ASHA's first rung: epochs every trial gets before the first cut", 0)                      \
    P(INT, recipe_eta, "2", 2, 16, NULL, "", "ASHA's reduction factor: 1/eta of a rung moves up", 0)

#define NATIVE_ROW(T, NAME, DEF, MIN, MAX, CHOICES, UNIT, HELP, FLAGS) \
    {#NAME, CB_T_##T, DEF, MIN, MAX, CHOICES, UNIT, HELP, FLAGS},
#define NATIVE_CTYPE(T, NAME, DEF, MIN, MAX, CHOICES, UNIT, HELP, FLAGS) , CB_CTYPE_##T
#define NATIVE_TYPES(P) NATIVE_PARAMS(NATIVE_CTYPE)

static const cb_param native_params[] = {
    NATIVE_PARAMS(NATIVE_ROW){NULL, (cb_type)0, NULL, 0, 0, NULL, NULL, NULL, 0}};

static int native_create(const cb_host *h, cb_error *e, void **self, int format, const char *path,
                         int64_t train_subset, int64_t test_subset, int subset_random,
                         double val_fraction, int64_t epochs, int64_t batch, int optimizer,
                         double lr, double momentum, int nesterov, double beta1, double beta2,
                         double weight_decay, int schedule, double gamma, int64_t step_epochs,
                         int augment, int64_t crop_pad, int flip, int64_t patience,
                         int64_t threads, const char *ckpt_dir, int64_t seed,
                         int64_t recipe_trials, int64_t recipe_min_epochs, int64_t recipe_eta);
CB_CHECK_CREATE(native_create, NATIVE_TYPES);

static void native_destroy(void *self)
{
    native *nt = self;
    if (!nt)
        return;
    cb_dataset_free(&nt->data.train);
    cb_dataset_free(&nt->data.val);
    cb_dataset_free(&nt->data.test);
    free(nt->cfg.path);
    free(nt->cfg.ckpt_dir);
    free(nt);
}

static int native_create(const cb_host *h, cb_error *e, void **self, int format, const char *path,
                         int64_t train_subset, int64_t test_subset, int subset_random,
                         double val_fraction, int64_t epochs, int64_t batch, int optimizer,
                         double lr, double momentum, int nesterov, double beta1, double beta2,
                         double weight_decay, int schedule, double gamma, int64_t step_epochs,
                         int augment, int64_t crop_pad, int flip, int64_t patience,
                         int64_t threads, const char *ckpt_dir, int64_t seed,
                         int64_t recipe_trials, int64_t recipe_min_epochs, int64_t recipe_eta)
{
    native *nt = calloc(1, sizeof *nt);
    if (!nt)
        return h->fail(h, e, CB_EFAIL, NULL, "out of memory");
    nt->h = h;
    /* STR parameters are borrowed for the call: keep copies */
    nt->cfg = (native_cfg){format, strdup(path ? path : ""), train_subset, test_subset,
                           subset_random, val_fraction, nesterov, augment, flip, crop_pad,
                           patience, threads, strdup(ckpt_dir ? ckpt_dir : ""),
                           recipe_trials, recipe_min_epochs, recipe_eta};
    nt->recipe = (cb_recipe){sizeof(cb_recipe), optimizer, lr, momentum, beta1, beta2,
                             weight_decay, schedule, gamma, (int32_t)step_epochs, (int32_t)epochs,
                             (int32_t)batch, (uint64_t)seed};
    if (!nt->cfg.path || !nt->cfg.ckpt_dir) {
        native_destroy(nt);
        return h->fail(h, e, CB_EFAIL, NULL, "out of memory");
    }
    *self = nt;
    return CB_OK;
}

static const cb_trainer_vt native_vt = {sizeof(cb_trainer_vt), native_train};

static const cb_plugin native_plugin = {
    sizeof(cb_plugin), CB_KIND_TRAINER, "native", "0.1.0",
    "trains the CNN on the CPU (OpenBLAS): SGD/Adam/AdamW, schedules, augmentation, early stopping, ASHA recipe search",
    native_params, (cb_fn)native_create, native_destroy, &native_vt};

CB_PACK("native", "0.1.0", "BSD-3-Clause", "codebench", &native_plugin)
