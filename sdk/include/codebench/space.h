/* codebench/space.h: points of the joint CNN x accelerator space, and their metrics.
 *
 * Owns: cb_pair (one CNN-accelerator candidate), cb_metrics (what one evaluation measured),
 * cb_axis (one dimension of the accelerator vector) and cb_space (what a search plugin is told
 * about the space it searches). The core owns every array a cb_space points to.
 */
#ifndef CODEBENCH_SPACE_H
#define CODEBENCH_SPACE_H

#include "plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CB_ACCEL_MAX 16 /* room in a pair for the accelerator vector (AccelBench uses 13) */

typedef struct cb_pair { /* frozen for the major */
    int64_t cnn;              /* index of the CNN among the space's candidates; -1: none */
    int32_t n_accel;          /* entries used in accel; 0: no accelerator side */
    int32_t level;            /* hierarchy level of the CNN space (0: finest) */
    double accel[CB_ACCEL_MAX]; /* the accelerator vector, values (not indices) */
} cb_pair;

enum { CB_EVAL_OK = 0, CB_EVAL_FAILED = 1, CB_EVAL_INFEASIBLE = 2 };

typedef struct cb_metrics {
    uint32_t size;            /* sizeof(cb_metrics) when built */
    int32_t status;           /* CB_EVAL_* */
    double accuracy;          /* test accuracy in [0, 1] */
    double latency_s;         /* one batch */
    double area_mm2;
    double dyn_energy_j, leak_energy_j; /* one batch */
    double throughput_fps;
    double edp;               /* energy x delay, J s */
    double performance;       /* the objective (Eq. 4), higher is better */
    double acc_std;           /* aleatoric spread of the accuracy where the trainer knows it; 0 */
} cb_metrics;

typedef struct cb_axis {
    const char *name;         /* "p_ib", "batch", "memory" */
    int32_t n_values;
    const double *values;     /* allowed values, ascending */
} cb_axis;

typedef struct cb_space {
    uint32_t size;            /* sizeof(cb_space) when built */
    /* CNN side: n_cnn candidates with dim_cnn-dimensional embeddings (CNN2vec) */
    int64_t n_cnn;            /* 0: the CNN is fixed (accelerator-only search) */
    int32_t dim_cnn;
    const float *cnn_embed;   /* n_cnn x dim_cnn, row-major */
    const char *const *cnn_hash; /* n_cnn graph hashes */
    /* accelerator side: n_axes dimensions; 0: the accelerator is fixed (NAS only) */
    int32_t n_axes;
    const cb_axis *axes;
    /* evaluation: 1 if the pair meets the static constraints (valid vector, area bound);
     * searches snap their proposals to pairs for which this holds */
    void *ctx;
    int (*valid)(void *ctx, const cb_pair *p);
    /* the objective's weights, normalizers and thresholds, for searches that model them */
    double w_latency, w_area, w_dyn_energy, w_leak_energy, w_accuracy;

    /* ---- appended within 1.0: read only where CB_SPACE_HAS(sp, member) ---------------------
     * The CNN candidates as categorical decisions, for searches that sample or mutate a CNN
     * decision by decision (REINFORCE, BANANAS). Filled by whoever builds the CNN side (the
     * runner's candidates for a space made of decisions, a benchmark harness for a tabular
     * benchmark); n_dec = 0 when the CNNs are not made of decisions (model cards): a search
     * then treats the candidate index as one decision, or works on the embeddings. */
    int32_t n_dec;            /* decisions per CNN */
    const int32_t *dec_card;  /* n_dec cardinalities, each >= 1 */
    const int32_t *cnn_dec;   /* n_cnn x n_dec, row-major: candidate i's choice j in [0, dec_card[j]) */
    /* An optional fixed-length feature vector per CNN for predictors that prefer one to the
     * embedding (BANANAS's path encoding); filled like the decisions; dim_feat = 0: none. */
    int32_t dim_feat;
    const float *cnn_feat;    /* n_cnn x dim_feat, row-major */
    /* The hierarchy of the CNN space (CODEBench Sec. 3.1.3): candidate i's level, numbered as
     * cb_pair.level (0: the finest, e.g. 1 module per stack; the largest: the coarsest, e.g.
     * 10). A hierarchical search (BOSHCODE) proposes from the coarsest level until it
     * converges there, then from the next finer one. NULL: no hierarchy (one level). */
    const int32_t *cnn_level; /* n_cnn */
    /* Growing the hierarchy (CODEBench Sec. 3.1.3: each finer level is made by crossover of the
     * best graphs found at the level before). NULL: every level is there from the start. A
     * hierarchical search that leaves a level may call grow(grow_ctx, level, parents, n_parents,
     * e), from ask() only, to have the host add the finer `level`'s CNNs made by crossover of
     * parents[0..n_parents): distinct candidate indices, all of one level coarser than `level`
     * (e.g. the best ones found there, best first). The host crosses each parent with its
     * nearest other graph of the parents' level by graph edit distance and appends the children
     * that are new (by hash) and build, up to the level's share of the pool, at indices n_cnn,
     * n_cnn + 1, ... with cnn_level = level; what is added depends only on the space and the
     * call, so a host can replay it (resume, workers). Returns how many were added (>= 0), or
     * -CB_EINVAL / -CB_EFAIL with e filled (bad parents, a level that is not finer than theirs).
     * After a call returns >= 0, n_cnn and every per-CNN array (cnn_embed, cnn_hash, cnn_level,
     * cnn_dec, cnn_feat) may have grown and moved: re-read them from the space; the CNNs there
     * before keep their index, hash, level and embedding. */
    int (*grow)(void *grow_ctx, int32_t level, const int64_t *parents, int n_parents, cb_error *e);
    void *grow_ctx;
} cb_space;

/* 1 when the space was built with member m (sp->size covers it); a reader treats a member beyond
 * size as zero / NULL. */
#define CB_SPACE_HAS(sp, m) \
    ((sp)->size >= offsetof(cb_space, m) + sizeof(((const cb_space *)0)->m))

#ifdef __cplusplus
}
#endif
#endif /* CODEBENCH_SPACE_H */
