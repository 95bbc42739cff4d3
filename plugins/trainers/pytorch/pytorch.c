/* plugins/trainers/pytorch/pytorch.c: the "pytorch" trainer plugin's descriptor: its parameter
 * schema (the native trainer's recipe and data parameters, plus the interpreter, the script
 * and the device), create/destroy, and the pack entry (build/plugins/trainers/pytorch.so). */
#include "pytorch.h"

#include <codebench/plugin.h>
#include <codebench/trainer.h>

#include <stdlib.h>
#include <string.h>

/* A ninth column carries flags (CB_P_LOG for lr and weight_decay), as in the native trainer. */
#define FORMATS CB_CHOICES("idx", "cifar10", "cifar100", "folder")
#define OPTIMIZERS CB_CHOICES("sgd", "adam", "adamw")
#define SCHEDULES CB_CHOICES("constant", "cosine", "exponential", "step")
#define DEVICES CB_CHOICES("cpu", "cuda", "auto")
#define PT_PARAMS(P)                                                                              \
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
    P(INT, threads, "0", 0, 1024, NULL, "", "CPU threads torch uses (0: the host's threads)", 0)  \
    P(INT, seed, "0", 0, 4294967295.0, NULL, "", "recipe seed, mixed with the run's seed", 0)    \
    P(STR, python, "python3", 0, 0, NULL, "", "the Python interpreter (with torch and numpy) to run, by name on PATH or by path", 0) \
    P(STR, script, "", 0, 0, NULL, "", "the training script (empty: pytorch_train.py beside pytorch.so)", 0) \
    P(ENUM, device, "auto", 0, 0, DEVICES, "", "cpu, cuda, or auto (cuda when torch sees a GPU)", 0) \
    P(BOOL, verify, "true", 0, 0, NULL, "",                                                       \
      "before training, check that PyTorch's forward pass gives the op pack's logits on a probe image", 0) \
    P(STR, work_dir, "", 0, 0, NULL, "",                                                           \
      "folder for the job, weight and index files, kept for inspection (empty: a temporary folder, removed)", 0)

#define PT_ROW(T, NAME, DEF, MIN, MAX, CHOICES, UNIT, HELP, FLAGS) \
    {#NAME, CB_T_##T, DEF, MIN, MAX, CHOICES, UNIT, HELP, FLAGS},
#define PT_CTYPE(T, NAME, DEF, MIN, MAX, CHOICES, UNIT, HELP, FLAGS) , CB_CTYPE_##T
#define PT_TYPES(P) PT_PARAMS(PT_CTYPE)

static const cb_param pt_params[] = {PT_PARAMS(PT_ROW){NULL, (cb_type)0, NULL, 0, 0, NULL, NULL, NULL, 0}};

static int pt_create(const cb_host *h, cb_error *e, void **self, int format, const char *path,
                     int64_t train_subset, int64_t test_subset, int subset_random,
                     double val_fraction, int64_t epochs, int64_t batch, int optimizer, double lr,
                     double momentum, int nesterov, double beta1, double beta2,
                     double weight_decay, int schedule, double gamma, int64_t step_epochs,
                     int augment, int64_t crop_pad, int flip, int64_t patience, int64_t threads,
                     int64_t seed, const char *python, const char *script, int device,
                     int verify, const char *work_dir);
CB_CHECK_CREATE(pt_create, PT_TYPES);

static void pt_destroy(void *self)
{
    pt *p = self;
    if (!p)
        return;
    pt_data_cleanup(p);
    free(p->cfg.path);
    free(p->cfg.python);
    free(p->cfg.script);
    free(p->cfg.work_dir);
    free(p);
}

static int pt_create(const cb_host *h, cb_error *e, void **self, int format, const char *path,
                     int64_t train_subset, int64_t test_subset, int subset_random,
                     double val_fraction, int64_t epochs, int64_t batch, int optimizer, double lr,
                     double momentum, int nesterov, double beta1, double beta2,
                     double weight_decay, int schedule, double gamma, int64_t step_epochs,
                     int augment, int64_t crop_pad, int flip, int64_t patience, int64_t threads,
                     int64_t seed, const char *python, const char *script, int device,
                     int verify, const char *work_dir)
{
    if (!python || !python[0])
        return h->fail(h, e, CB_EINVAL, "python", "the python interpreter is empty");
    pt *p = calloc(1, sizeof *p);
    if (!p)
        return h->fail(h, e, CB_EFAIL, NULL, "out of memory");
    p->h = h;
    /* STR parameters are borrowed for the call: keep copies */
    p->cfg = (pt_cfg){format, strdup(path ? path : ""), train_subset, test_subset, subset_random,
                      val_fraction, nesterov, augment, flip, crop_pad, patience, threads,
                      strdup(python), strdup(script ? script : ""), device, verify,
                      strdup(work_dir ? work_dir : "")};
    p->recipe = (cb_recipe){sizeof(cb_recipe), optimizer, lr, momentum, beta1, beta2, weight_decay,
                            schedule, gamma, (int32_t)step_epochs, (int32_t)epochs, (int32_t)batch,
                            (uint64_t)seed};
    if (!p->cfg.path || !p->cfg.python || !p->cfg.script || !p->cfg.work_dir) {
        pt_destroy(p);
        return h->fail(h, e, CB_EFAIL, NULL, "out of memory");
    }
    *self = p;
    return CB_OK;
}

static const cb_trainer_vt pt_vt = {sizeof(cb_trainer_vt), pt_train};

static const cb_plugin pt_plugin = {
    sizeof(cb_plugin), CB_KIND_TRAINER, "pytorch", "0.1.0",
    "trains the CNN in PyTorch (a python3 subprocess, CPU or GPU) with the native trainer's recipe and data",
    pt_params, (cb_fn)pt_create, pt_destroy, &pt_vt};

CB_PACK("pytorch", "0.1.0", "BSD-3-Clause", "codebench", &pt_plugin)
