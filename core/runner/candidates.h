/* core/runner/candidates.h: the CNNs a study may pick from.
 *
 * Owns: turning the manifest's cnn section into an indexed list of candidate CNNs (model
 * cards, points of a module space, or a benchmark's cells), each with its graph, its
 * isomorphism hash and its embedding (CNN2vec), and filling the CNN side of the study's
 * cb_space. Built identically, from the manifest and its seed alone, in the coordinator and in
 * every worker, so an index means the same CNN everywhere. */
#ifndef CB_CORE_CANDIDATES_H
#define CB_CORE_CANDIDATES_H

#include "runner/study.h"

#include <stdio.h>

int cb_candidates_build(cb_study *st, cb_diag *d);
void cb_candidates_free(cb_candidates *c);

/* The flattened graph of candidate i (built on first use), or NULL with why filled. */
const cb_graph *cb_candidates_graph(cb_candidates *c, int64_t i, char *why, size_t why_len);

/* The simulator's layer list of candidate i (built once), or NULL with why filled. */
struct cb_sim_net;
const struct cb_sim_net *cb_candidates_sim_net(cb_candidates *c, int64_t i, char *why, size_t why_len);

/* Prints what a validation should say of the pool (module spaces: size, CNN2vec quality). */
void cb_candidates_describe(const cb_candidates *c, FILE *out);

/* Multiply-accumulates of candidate i for one image (0 when out of range). */
uint64_t cb_candidates_macs(cb_candidates *c, int64_t i);

#endif
