/* core/runner/candidates_modules.h: the candidate pool of a module space (see the .c file).
 *
 * Owns: the space file's cb_modspace (the nets' attribute strings point into its vocabulary, so
 * it lives as long as they do), the pool's graphs, nets and, for the coordinator, their
 * CNN2vec embedding with its quality figures. */
#ifndef CB_CORE_CANDIDATES_MODULES_H
#define CB_CORE_CANDIDATES_MODULES_H

#include "cnn/net.h"
#include "graph/ged.h"
#include "graph/modspace.h"
#include "manifest/manifest.h"

#include <stdbool.h>

/* One growth of the hierarchy: level grown from parents[0..n), in the order given. */
typedef struct cb_growth {
    int32_t level;
    int n;
    int64_t *parents;
} cb_growth;

typedef struct cb_candidates_modules {
    cb_modspace *sp;
    size_t n;             /* candidates */
    cb_net *nets;         /* n built networks */
    cb_cnngraph *graphs;  /* n graphs (modules and head) */
    int32_t *level;       /* n hierarchy levels, numbered as cb_pair.level (0: the finest) */
    size_t invalid;       /* sampled graphs that did not build (shapes that do not fit) */
    cb_flat *flats;       /* n flattened graphs for GED (with the embedding only) */
    float *embed;         /* n x dim CNN2vec, or NULL when not fitted */
    int dim;
    double rho, rmse;     /* Spearman's rho of embedding distance vs GED; fit error */
    size_t pairs;         /* pairs the fit used */
    /* growth (boshcode): only the coarsest level is built at start, the others by
     * cb_candidates_modules_grow */
    bool lazy;            /* the finer levels are grown, not built up front */
    size_t want;          /* cnn.candidates: the levels' shares are split from it */
    size_t n_initial;     /* candidates built at start, before any growth */
    cb_growth *events;    /* every growth so far, in order */
    size_t n_events;
    double grow_rmse;     /* fit error of the last growth's new rows (distance units) */
    struct cb_modpool *pool; /* private: every graph seen (de-duplication), capacities */
} cb_candidates_modules;

/* Samples m's pool (cnn.candidates CNNs from cnn.space_file; under boshcode with more than one
 * level, only the coarsest level's share) and, with embed, fits CNN2vec. Bad input: CB_EINVAL
 * with d at the manifest key. */
int cb_candidates_modules_build(const cb_manifest *m, cb_registry *reg, bool embed, cb_candidates_modules *cm,
                                cb_diag *d);
/* Grows level (numbered as cb_pair.level) from parents (candidate indices, all at one coarser
 * level): each parent, in order, is crossed with its GED-nearest other graph of the parents'
 * level, round after round, and the children that are new by hash and build are appended at
 * the level, up to its share of cnn.candidates; with an embedding, the new rows are fitted
 * against the fixed old ones. The event is logged in cm->events. A pure function of the pool,
 * the arguments and the study's seed. Returns how many were added, or -CB_EINVAL with why filled
 * and nothing changed (bad level or parents), or -CB_EFAIL with why filled (no pool). */
int cb_candidates_modules_grow(cb_candidates_modules *cm, int32_t level, const int64_t *parents, int n_parents,
                               char *why, size_t len);
void cb_candidates_modules_free(cb_candidates_modules *cm);

#endif
