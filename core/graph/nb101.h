/* core/graph/nb101.h: the NAS-Bench-101 cell space (Ying et al. 2019).
 *
 * Owns: its labels as NAS-Bench-101 hashes them (integers: -1 input, -2 output, 0, 1, 2 for
 * its three operations in its own order; what they compute is data, examples/spaces/nb101.yaml),
 * its limits (7 vertices, 9 edges), and counting it: every full DAG of 2..7 vertices with at
 * most 9 edges and every labelling, as nasbench/scripts/generate_graphs.py walks them, reduced
 * to isomorphism classes and hashed with MD5 (graph/hash.h); 423,624 distinct hashes.
 */
#ifndef CB_GRAPH_NB101_H
#define CB_GRAPH_NB101_H

#include "graph/hexset.h"
#include "graph/modenum.h"
#include "graph/vocab.h"

#define CB_NB101_VERTICES 7
#define CB_NB101_EDGES 9
#define CB_NB101_OPS 3

/* Adds the five labels to voc (names and texts "-1", "-2", "0", "1", "2") and fills ls (ids
 * must hold CB_NB101_OPS entries and outlive ls). */
void cb_nb101_labels(cb_vocab *voc, cb_labelset *ls, int32_t *ids);

typedef struct cb_space_count {
    uint64_t full_dags;   /* unlabelled full DAGs, isomorphic ones included */
    uint64_t labelled;    /* labelled full DAGs: what the seeds' loops hash */
    size_t forms;         /* unlabelled isomorphism classes */
    uint64_t classes;     /* labelled isomorphism classes */
    uint64_t unique;      /* distinct hashes among them */
} cb_space_count;

/* Enumerates cells of at most max_vertices vertices and max_edges edges; fills c and, when
 * hashes is not NULL, adds every distinct hash to it (initialized by the caller for MD5: 32). */
int cb_nb101_enumerate(int max_vertices, int max_edges, cb_space_count *c, cb_hexset *hashes);

#endif
