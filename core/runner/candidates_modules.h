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
} cb_candidates_modules;

/* Samples m's pool (cnn.candidates CNNs from cnn.space_file) and, with embed, fits CNN2vec.
 * Bad input: CB_EINVAL with d at the manifest key. */
int cb_candidates_modules_build(const cb_manifest *m, cb_registry *reg, bool embed, cb_candidates_modules *cm,
                                cb_diag *d);
void cb_candidates_modules_free(cb_candidates_modules *cm);

#endif
