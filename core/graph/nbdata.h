/* core/graph/nbdata.h: reading the NAS benchmark tables in shared/data/nas (JSON, jansson).
 *
 * Owns: nb101-1k.json (per cell: 7x7 adjacency, operations with -3 padding, the benchmark's
 * own `key` hash, validation accuracies after 4/12/36/108 epochs, trainable parameters,
 * training time) as cb_modules with NAS-Bench-101's integer labels (graph/nb101.h), padding
 * rows and columns dropped; and nb201-cifar10.json (architecture strings and CIFAR-10 test
 * accuracies). Errors name the file and the entry.
 */
#ifndef CB_GRAPH_NBDATA_H
#define CB_GRAPH_NBDATA_H

#include "graph/module.h"
#include "graph/vocab.h"

#include <stddef.h>

typedef struct cb_nb101_cell {
    cb_module m;         /* labels index the vocabulary given to the loader */
    char key[33];        /* the benchmark's MD5 hash */
    double val_acc[4];   /* after 4, 12, 36, 108 epochs (fractions) */
    double params;       /* trainable parameters */
    double train_time;   /* seconds, final training time */
} cb_nb101_cell;

typedef struct cb_nb101_table {
    cb_nb101_cell *cells;
    size_t n;
} cb_nb101_table;

/* Loads path; labels are added to voc as cb_nb101_labels names them. CB_OK, or CB_EINVAL with
 * why filled ("nb101-1k.json: cell 12: ..."). */
int cb_nb101_load(const char *path, cb_vocab *voc, cb_nb101_table *t, char *why, size_t why_len);
void cb_nb101_table_free(cb_nb101_table *t);

typedef struct cb_nb201_table {
    char **arch;         /* "|nor_conv_3x3~0|+|...|" */
    double *test_acc;    /* percent */
    size_t n;
} cb_nb201_table;

int cb_nb201_load(const char *path, cb_nb201_table *t, char *why, size_t why_len);
void cb_nb201_table_free(cb_nb201_table *t);

#endif
