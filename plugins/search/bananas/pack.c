/* plugins/search/bananas/pack.c: the bananas plugin's parameter schema (naszilla's defaults),
 * its typed create() and destroy(), and the pack's descriptor. */
#include "bananas.h"

#include <stdlib.h>

#define BN_PARAMS(P)                                                                              \
    P(INT, n_init, "10", 1, 1000000, NULL, "", "random pairs before the first round")             \
    P(INT, per_round, "10", 1, 100000, NULL, "", "queries picked per round (one fit)")            \
    P(INT, ensemble, "5", 1, BN_MAX_NETS, NULL, "", "predictors in the ensemble")                 \
    P(INT, layers, "10", 1, 11, NULL, "", "hidden layers per predictor")                          \
    P(INT, width, "20", 1, 4096, NULL, "", "units per hidden layer")                              \
    P(INT, epochs, "150", 1, 100000, NULL, "", "training epochs per predictor per round")         \
    P(REAL, lr, "0.01", 1e-8, 10, NULL, "", "Adam step of the predictors")                        \
    P(INT, candidates, "100", 1, 1000000, NULL, "", "mutated candidates scored per round")        \
    P(INT, parents, "5", 1, 64, NULL, "", "best pairs the candidates are mutated from")           \
    P(ENUM, acquisition, "its", 0, 0, CB_CHOICES("its", "ucb"), "",                              \
      "its: independent Thompson sampling; ucb: mean + 0.5 sd")
CB_PARAM_TABLE(bn_params_schema, BN_PARAMS);

static int bn_create(const cb_host *h, cb_error *e, void **self, int64_t n_init, int64_t per_round,
                     int64_t ensemble, int64_t layers, int64_t width, int64_t epochs, double lr,
                     int64_t candidates, int64_t parents, int acquisition)
{
    if (per_round > candidates)
        return h->fail(h, e, CB_EINVAL, "per_round", "per_round (%lld) exceeds candidates (%lld): a round picks among them",
                       (long long)per_round, (long long)candidates);
    bn *b = calloc(1, sizeof *b);
    if (!b)
        return h->fail(h, e, CB_EFAIL, NULL, "out of memory");
    b->h = h;
    b->p = (bn_params){n_init, per_round, ensemble, layers, width, epochs, candidates, parents, lr, acquisition};
    cb_rng_seed(&b->rng, h->seed(h, "proposals"));
    cb_pairset_init(&b->asked);
    *self = b;
    return CB_OK;
}
CB_CHECK_CREATE(bn_create, BN_PARAMS);

static void bn_destroy(void *self)
{
    bn *b = self;
    if (!b)
        return;
    for (int k = 0; k < b->n_nets; k++)
        cb_mlp_free(&b->nets[k]);
    bn_features_free(b);
    cb_skit_free(&b->sk);
    cb_pairset_free(&b->asked);
    free(b->told), free(b->y), free(b->queue);
    free(b);
}

static const cb_search_vt bn_vt = {sizeof(cb_search_vt), bn_start, bn_ask, bn_tell, bn_save, bn_load, 0};
static const cb_plugin bn_plugin = {
    sizeof(cb_plugin), CB_KIND_SEARCH, "bananas", "1.0.0",
    "BANANAS: ensemble of MLP predictors, mutation of the best pairs, Thompson sampling",
    bn_params_schema, (cb_fn)bn_create, bn_destroy, &bn_vt};

CB_PACK("std-search-bananas", "1.0.0", "BSD-3-Clause", "codebench", &bn_plugin)
