/* core/graph/cnngraph.h: a CNN as CNNBench describes it: modules in order, the head last.
 *
 * Owns: cb_cnngraph (a list of modules whose labels index a shared vocabulary; a stack of s
 * identical modules is s equal entries, as the seeds store it; the head is a chain module
 * flatten -> dense ... -> classes), its hash (graph/hash.h), and reading and writing the seeds'
 * library JSON (jha-lab/cnn_design-space GraphLib.save_dataset: config.hash_algo, matrices,
 * labels, hashes and, when present, embeddings), so that their released library and ours
 * interchange.
 */
#ifndef CB_GRAPH_CNNGRAPH_H
#define CB_GRAPH_CNNGRAPH_H

#include "graph/digest.h"
#include "graph/hexset.h"
#include "graph/module.h"
#include "graph/vocab.h"

#include <stdio.h>

#define CB_CNN_MAX_MODULES 91 /* 90 modules and the head */

typedef struct cb_cnngraph {
    int32_t n;                 /* modules, the head included (last) */
    cb_module *mods;
    char hash[CB_HEX_MAX];     /* the seeds' library hash (hash_graph_simple) */
} cb_cnngraph;

void cb_cnngraph_free(cb_cnngraph *g);
void cb_cnngraph_copy(cb_cnngraph *dst, const cb_cnngraph *src);

/* Sets g->hash: H of the module fingerprints joined with "|" (the seeds' HASH_SIMPLE). */
void cb_cnngraph_hash(cb_cnngraph *g, cb_vocab *voc, cb_hasher *h);

/* Number of leading modules two graphs share (equal matrices and labels), as the seeds'
 * weight transfer and "biased" neighbours count them. */
int cb_cnngraph_overlap(const cb_cnngraph *a, const cb_cnngraph *b);

typedef struct cb_cnnlib {
    cb_vocab *voc;             /* the labels: own, or a space's (see cb_cnnlib_init) */
    cb_vocab own;
    cb_hash_algo algo;
    cb_cnngraph *g;
    size_t n, cap;
    char **stored_hash;        /* the hashes the file gave (NULL entries when written by us) */
    float *embed;              /* n x dim, or NULL */
    int dim;
    cb_hexset seen;            /* hashes of g, in order */
} cb_cnnlib;

/* voc: the vocabulary the graphs' labels index (a space's), or NULL for one of its own. */
void cb_cnnlib_init(cb_cnnlib *lib, cb_hash_algo algo, cb_vocab *voc);
void cb_cnnlib_free(cb_cnnlib *lib);
/* Appends a copy of g (its hash computed) unless a graph with its hash is there; returns its index. */
size_t cb_cnnlib_add(cb_cnnlib *lib, const cb_cnngraph *g);

/* Reads a seeds' library JSON file; CB_EINVAL with why ("file: graph 3: ...") on bad input. */
int cb_cnnlib_load(const char *path, cb_cnnlib *lib, char *why, size_t why_len);
/* Writes lib in the same format (labels by name). */
int cb_cnnlib_save(const cb_cnnlib *lib, FILE *out);

#endif
