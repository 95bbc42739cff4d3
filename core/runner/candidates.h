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

/* Growing the hierarchy (module spaces under boshcode; see candidates_modules.c): grows level
 * from parents and brings the study's cb_space up to date (n_cnn, embeddings, hashes, levels);
 * this is the space's grow callback, also used to replay a logged growth (resume, workers).
 * Returns how many CNNs were added (>= 0), or -CB_EINVAL / -CB_EFAIL with why filled. */
int cb_candidates_grow(cb_study *st, int32_t level, const int64_t *parents, int n_parents, char *why,
                       size_t why_len);
/* The growth log: how many growths happened, and the i-th (NULL out of range). */
size_t cb_candidates_growth_count(const cb_candidates *c);
const struct cb_growth *cb_candidates_growth_event(const cb_candidates *c, size_t i);
/* Candidates built at start, before any growth. */
size_t cb_candidates_initial(const cb_candidates *c);

/* A job as it travels to a worker: the cb_job, then the growth log (an int64 count, then per
 * growth an int32 level, an int32 count and the int64 parents), so that a worker grows its pool
 * as the coordinator did before it looks the pair's CNN up. Malloc'd; *len its size. */
void *cb_job_pack(const cb_study *st, const cb_job *job, size_t *len);
/* The worker's side: reads the job and replays the growths it has not seen yet. CB_OK, or
 * CB_EINVAL with why filled (malformed payload, a growth that fails). */
int cb_job_unpack(cb_study *st, const void *payload, size_t len, cb_job *job, char *why, size_t why_len);

/* Multiply-accumulates of candidate i for one image (0 when out of range). */
uint64_t cb_candidates_macs(cb_candidates *c, int64_t i);

#endif
