/* core/runner/candidates_cells.h: the candidates of a NAS-Bench-101 cell space
 * (cnn.space: nb101), for `codebench run`.
 *
 * Owns: the cells of the benchmark table the manifest names (cnn.table; a table trainer answers
 * for exactly these), the skeleton their networks are built on (cnn.skeleton,
 * core/pareto/skeleton.h), each candidate's network built on demand (one at a time: a study
 * evaluates one candidate per job), its identity for trainers (the graph's hash is the cell's
 * NAS-Bench-101 key and its name "nb101:<key>", so the table trainer finds its row), its MACs,
 * and, for the coordinator, the cells' CNN2vec embedding fitted to graph edit distance with the
 * seeds' costs. */
#ifndef CB_CORE_CANDIDATES_CELLS_H
#define CB_CORE_CANDIDATES_CELLS_H

#include "manifest/manifest.h"
#include "pareto/cells.h"
#include "pareto/skeleton.h"

#include <stdbool.h>

typedef struct cb_candidates_cells {
    cb_skeleton sk;
    cb_cellset cs;
    bool have_sk, have_cs;
    cb_shape input;
    int32_t classes;
    cb_cellnet net;       /* the network built last */
    int64_t built;        /* the candidate it belongs to, -1: none */
    char (*names)[40];    /* "nb101:<key>" per cell */
    const char **hashes;  /* the keys, per cell */
    uint64_t *macs;       /* per cell, 0 until built once */
    float *embed;         /* n x dim, or NULL (workers) */
    int dim;
    double rho;           /* Spearman's rho of embedding distance vs GED */
    size_t pairs;
} cb_candidates_cells;

/* Loads the table's cells and the skeleton, and with embed fits CNN2vec. CB_EINVAL with d at
 * the manifest key on bad input. */
int cb_candidates_cells_build(const cb_manifest *m, cb_registry *reg, bool embed, cb_candidates_cells *cc,
                              cb_diag *d);
/* Candidate i's network (valid until the next call), or NULL with why. */
const cb_graph *cb_candidates_cells_graph(cb_candidates_cells *cc, int64_t i, char *why, size_t why_len);
uint64_t cb_candidates_cells_macs(cb_candidates_cells *cc, int64_t i);
void cb_candidates_cells_free(cb_candidates_cells *cc);

#endif
