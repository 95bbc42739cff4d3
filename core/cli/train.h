/* core/cli/train.h: the pieces of `codebench train` (cmd_train.c), private to the CLI.
 *
 * Owns: the command's options, the mapping of its recipe and data options onto the trainer's
 * parameters (train_opts.c), and the progress display (train_view.c). The trainer is chosen by
 * name at run time (--trainer, else $CODEBENCH_TRAINER, else the only trainer found): the core
 * never names one. */
#ifndef CB_CLI_TRAIN_H
#define CB_CLI_TRAIN_H

#include "plugin/registry.h"

#include <codebench/trainer.h>
#include <stdbool.h>
#include <stdio.h>

#define CB_TRAIN_MAX_SETS 64

/* One trainer parameter set from the command line: --epochs 5 is {"epochs", "5", "--epochs"}. */
typedef struct cb_train_set {
    const char *param, *value, *option;
} cb_train_set;

typedef struct cb_train_opts {
    const char *model, *data, *data_format, *trainer, *save;
    const char **plugin_path;
    size_t n_path;
    cb_train_set sets[CB_TRAIN_MAX_SETS];
    int n_sets;
    uint64_t seed;
    int threads;           /* 0: the machine's processors */
    bool quiet, verbose;
} cb_train_opts;

/* train_opts.c */
void cb_train_usage(FILE *out);
/* Parses argv (argv[0] is "train"); CB_EXIT_OK, or CB_EXIT_USAGE after printing why. */
int cb_train_parse(int argc, char **argv, cb_train_opts *o);
/* --data as a folder (a path, or a name under /usr/share/datasets) and its format (--data-format,
 * else recognised from the files); adds data_path and data_format to o->sets. CB_EXIT_OK or
 * CB_EXIT_USAGE after printing why. */
int cb_train_resolve_data(cb_train_opts *o);
/* 1 when some option (--data, --set NAME=...) sets parameter param. */
bool cb_train_has_set(const cb_train_opts *o, const char *param);
/* The trainer: --trainer, $CODEBENCH_TRAINER, or the only trainer in reg. NULL after printing
 * why (the trainers found, and how to choose). */
const cb_entry *cb_train_pick_trainer(const cb_registry *reg, const cb_train_opts *o);
/* The trainer's parameter values: its defaults with o->sets applied; CB_EXIT_OK or
 * CB_EXIT_USAGE after printing which option does not fit which parameter. */
int cb_train_values(const cb_plugin *p, const cb_train_opts *o, cb_value *vals);

/* train_view.c: progress on stderr, a bar redrawn in place on a terminal, one line per epoch
 * otherwise */
typedef struct cb_train_view {
    bool tty, quiet, open_line;
} cb_train_view;
void cb_train_view_init(cb_train_view *v, bool quiet);
void cb_train_view_progress(void *ctx, const cb_train_progress *p);
void cb_train_view_end(cb_train_view *v); /* ends a bar left open */

#endif
