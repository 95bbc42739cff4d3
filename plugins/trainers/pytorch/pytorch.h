/* plugins/trainers/pytorch/pytorch.h: the pytorch trainer's private declarations, shared by the
 * files of this pack only. The trainer hands a cb_graph to PyTorch: it writes the graph, the
 * recipe, the data set's location and the chosen images to a job file, runs the training
 * script (pytorch_train.py, beside the .so) in a python3 subprocess on the CPU or a GPU, turns
 * its progress lines into progress reports, and reads the trained weights back from a
 * safetensors file with the SDK's checkpoint reader. */
#ifndef CB_PYTORCH_H
#define CB_PYTORCH_H

#include <codebench/checkpoint.h>
#include <codebench/data.h>
#include <codebench/engine.h>

#include <stdio.h>
#include <sys/types.h>

enum { PT_DEVICE_CPU = 0, PT_DEVICE_CUDA, PT_DEVICE_AUTO };

/* The create() parameters that are not part of a cb_recipe. */
typedef struct pt_cfg {
    int format;            /* cb_data_format */
    char *path;
    int64_t train_subset, test_subset;
    int subset_random;
    double val_fraction;
    int nesterov, augment, flip;
    int64_t crop_pad, patience, threads;
    char *python, *script;
    int device;            /* PT_DEVICE_* */
    int verify;            /* compare PyTorch's forward pass with the op pack's before training */
    char *work_dir;        /* "": a private temporary folder, removed; else kept files go here */
} pt_cfg;

/* What the script needs to read the same images the native trainer would: counts, the chosen
 * images of each split (index files) and the normalization of the training images. Prepared on
 * the first train() and kept. */
typedef struct pt_data {
    int ready;
    int64_t train_images, test_images; /* in the data set's files */
    int64_t n_train, n_val, n_test;    /* chosen */
    int32_t c, h, w, classes;
    float mean[CB_DATA_MAX_CHANNELS], std[CB_DATA_MAX_CHANNELS];
    char train_idx[4200], val_idx[4200], test_idx[4200];
    char raw[4][4200];     /* folder format: train/test pixels and labels dumped for the script */
} pt_data;

typedef struct pt {
    const cb_host *h;
    pt_cfg cfg;
    cb_recipe recipe;      /* the parameters' recipe; a job's recipe replaces it */
    pt_data data;
    char work[4096];       /* the instance's private folder ("" until needed) */
    int64_t calls;         /* names each call's files */
} pt;

/* The messages of one script run. */
typedef struct pt_outcome {
    int have_result;
    cb_train_result result;
    char device[16];
    int err_code;          /* from an "@cb error" line; 0: none */
    char err_param[64], err_msg[512];
    char stderr_tail[512]; /* the last line the script wrote to stderr */
} pt_outcome;

/* pytorch_data.c */
int pt_work_dir(pt *p, cb_error *e);
int pt_data_ready(pt *p, cb_error *e);
void pt_data_cleanup(pt *p);
int pt_data_fits(const pt *p, const cb_engine *en, const cb_graph *g, cb_error *e);
/* pytorch_job.c: the job file for the script */
typedef struct pt_files {
    const char *init, *out;          /* initial and trained weights */
    const char *probe, *probe_logits; /* "" when not verifying */
} pt_files;
int pt_job_write(const pt *p, const char *path, const cb_graph *g, const cb_engine *en,
                 const cb_recipe *r, uint64_t seed, const pt_files *files, cb_error *e);
/* pytorch_proc.c: runs `python script job` and collects its messages */
int pt_run_script(pt *p, const char *script, const char *job_path, const cb_train_job *job,
                  pt_outcome *o, cb_error *e);
/* pytorch_script.c: where the script is, checked like a plugin file */
int pt_find_script(const pt *p, char *out, size_t len, cb_error *e);
/* pytorch_train.c */
int pt_train(void *self, const cb_train_job *job, cb_train_result *r, cb_error *e);

#endif
