/* core/graph/hash.h: isomorphism hashes of modules and graphs, byte for byte as the seeds
 * (jha-lab/cnn_design-space graph_util) and NAS-Bench-101 (google-research/nasbench
 * graph_util.hash_module) compute them.
 *
 * Owns: the module fingerprint. Every vertex starts as H(text of the tuple (out-degree,
 * in-degree, label)), e.g. "(3, 0, 'input')" or "(2, 0, -1)"; then, n times, every vertex
 * becomes H(sorted in-neighbour hashes, concatenated, "|", sorted out-neighbour hashes,
 * concatenated, "|", its own hash), all from the previous round; the fingerprint is H of the
 * text of the sorted list, "['<hex>', '<hex>', ...]". H is hex SHA-256 (the seeds) or hex MD5
 * (NAS-Bench-101). Label texts are given as Python writes them (repr): "'conv3x3-bn-relu'" for
 * the seeds' string labels, "-1" for NAS-Bench-101's integer ones (graph/vocab.h makes them).
 *
 * Graph hashes: the seeds' library hash (hash_graph_simple) is H of the module fingerprints,
 * in order and repeats included, joined with "|"; the hash of their hand-written models
 * (hash_graph) first merges consecutive modules whose output vertices each have one in-edge
 * (graph/merge.c). Isomorphic modules hash equal; the vertex order does not matter.
 */
#ifndef CB_GRAPH_HASH_H
#define CB_GRAPH_HASH_H

#include "graph/digest.h"
#include "graph/module.h"

#include <stdint.h>

/* Fingerprint of the DAG with n vertices, row-major 0/1 matrix adj (n x n) and label texts. */
void cb_fingerprint(cb_hasher *h, int n, const uint8_t *adj, const char *const *text, char *hex);

/* Fingerprint of a module whose labels index texts. */
void cb_module_fingerprint(cb_hasher *h, const cb_module *m, const char *const *texts, char *hex);

/* H(fp[0] "|" fp[1] "|" ... fp[n-1]). */
void cb_join_hash(cb_hasher *h, const char *const *fps, int n, char *hex);

/* The seeds' library hash of a graph given as its modules in order (head last). */
void cb_modules_hash(cb_hasher *h, const cb_module *mods, int n, const char *const *texts, char *hex);

/* The seeds' hash_graph: merge mergeable neighbours first (graph/merge.c), then as above. */
void cb_modules_hash_merged(cb_hasher *h, const cb_module *mods, int n, const char *const *texts,
                            char *hex);

/* Python's repr of a str (quotes chosen as Python does; \\, \n, \r, \t, \xNN escapes), malloc'd. */
char *cb_py_repr(const char *s);

#endif
