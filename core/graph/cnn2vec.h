/* core/graph/cnn2vec.h: CNN2vec, dense embeddings whose Euclidean distances match graph edit
 * distance (CODEBench paper, Sec. 3.1.6).
 *
 * Owns: choosing the training pairs (every pair while there are at most max_pairs of them,
 * else `partners` random partners per graph, so n * partners pairs), computing their distances
 * on the core's thread pool, and fitting an n x dim table by Adam on the mean squared error
 * between embedding distance and distance, as the seeds do (jha-lab/cnn_design-space
 * embedding_util.generate_grad_embeddings: batch 1024, Adam lr 0.1, cosine annealing with warm
 * restarts T_0 = 10 epochs, T_mult = 2, stepped per batch). Distances are fitted in units of their
 * mean (so the learning rate means the same for every space) and the table is scaled back, so
 * embedding distances are in the distance's own units. Deterministic for a seed and thread
 * count. Also: Spearman's rank correlation between embedding distance and distance on random
 * pairs (drawn apart from the fitted ones, though with every pair fitted they are among them),
 * the fit's quality figure.
 */
#ifndef CB_GRAPH_CNN2VEC_H
#define CB_GRAPH_CNN2VEC_H

#include <stddef.h>
#include <stdint.h>

#define CB_CNN2VEC_DIM 16

/* The distance between items i and j (must be symmetric; called from several threads). */
typedef double (*cb_dist_fn)(void *ctx, size_t i, size_t j);

typedef struct cb_cnn2vec_opts {
    int dim;              /* 16 */
    int epochs;           /* 30: three warm-restart cycles of 10, 20 ... (the seeds ran 10) */
    int batch;            /* 1024 */
    double lr;            /* 0.1 */
    size_t max_pairs;     /* all pairs up to this many (2,000,000) */
    int partners;         /* partners per item beyond that (64) */
    uint64_t seed;
} cb_cnn2vec_opts;

typedef struct cb_cnn2vec_report {
    size_t pairs;         /* fitted pairs */
    int all_pairs;        /* 1: every pair was fitted */
    double mean_dist;     /* mean distance over them */
    double rmse;          /* root mean squared error after fitting, distance units */
} cb_cnn2vec_report;

void cb_cnn2vec_defaults(cb_cnn2vec_opts *o);

/* Fits embed (n x o->dim floats). */
int cb_cnn2vec_fit(size_t n, cb_dist_fn dist, void *ctx, const cb_cnn2vec_opts *o, float *embed,
                   cb_cnn2vec_report *rep);

/* Places new rows without moving old ones: rows [0, n_old) of embed (n x o->dim, in distance
 * units, e.g. a table cb_cnn2vec_fit made) are held fixed and rows [n_old, n) are fitted with the
 * same loss, optimizer and schedule, on the pairs of each new row with every row before it (old
 * and new), or `partners` random partners per new row beyond max_pairs. The report covers those
 * pairs. Deterministic for a seed and thread count. */
int cb_cnn2vec_extend(size_t n_old, size_t n, cb_dist_fn dist, void *ctx, const cb_cnn2vec_opts *o, float *embed,
                      cb_cnn2vec_report *rep);

/* Spearman's rho between embedding distance and dist over `pairs` random pairs. */
double cb_cnn2vec_spearman(size_t n, cb_dist_fn dist, void *ctx, const float *embed, int dim, size_t pairs,
                           uint64_t seed);

/* The default fit for a candidate set: a malloc'd n x CB_CNN2VEC_DIM table fitted with the
 * default options and seed, its report, and Spearman's rho on 20,000 pairs drawn with a seed of
 * its own; NULL when the fit fails. */
float *cb_cnn2vec_table(size_t n, cb_dist_fn dist, void *ctx, uint64_t seed, cb_cnn2vec_report *rep,
                        double *rho);

/* Euclidean distance between rows i and j. */
double cb_embed_dist(const float *embed, int dim, size_t i, size_t j);

#endif
