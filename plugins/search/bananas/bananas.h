/* plugins/search/bananas/bananas.h: the state shared by the files of the BANANAS pack (White
 * et al.), as the naszilla baseline runs it: an ensemble of feed-forward predictors on a
 * feature encoding of the pair (the space's path encoding when it gives one), candidates made
 * by mutating the best pairs, independent Thompson sampling (or UCB) to pick a round of
 * queries. */
#ifndef BANANAS_PACK_H
#define BANANAS_PACK_H

#include <codebench/codebench.h>
#include <codebench/nn.h>
#include <codebench/searchkit.h>

#define BN_MAX_NETS 16

typedef struct bn_params {
    int64_t n_init, per_round, ensemble, layers, width, epochs, candidates, parents;
    double lr;
    int acq; /* 0: independent Thompson sampling, 1: UCB mean + 0.5 std */
} bn_params;

typedef struct bn {
    const cb_host *h;
    bn_params p;
    const cb_space *sp;
    cb_skit sk;
    int started;
    int cnn_kind;         /* what encodes the CNN: BN_FEAT, BN_DEC (one-hot decisions), BN_EMBED */
    int dim;              /* feature length */
    int n_dec;
    const int32_t *dec, *card;
    int64_t *lookup;      /* decision vector -> candidate + 1 (open addressing) */
    size_t n_lookup;
    cb_rng rng;
    cb_pairset asked;
    unsigned char *told;
    double *y;
    size_t cap, n_told;
    cb_pair *queue;       /* this round's picks not yet proposed */
    int n_queue;
    cb_mlp nets[BN_MAX_NETS];
    int n_nets;
} bn;

enum { BN_FEAT = 0, BN_DEC = 1, BN_EMBED = 2 };

/* features.c */
int bn_features_init(bn *b, char *why, size_t len);
void bn_features_free(bn *b);
void bn_features(const bn *b, const cb_pair *p, float *x);
int64_t bn_cnn_of(const bn *b, const int *choices); /* -1: no candidate has them */

/* ensemble.c: fresh nets trained on the told pairs; predictions' mean and spread */
int bn_fit(bn *b);
int bn_predict(bn *b, const float *x, int n, float *mean, float *sd);

/* mutate.c: up to max candidates mutated from the best told pairs (usable, distinct) */
int bn_candidates(bn *b, cb_pair *out, int max);

int bn_reserve(bn *b, size_t n);
int bn_save(void *self, cb_write w, void *ctx, cb_error *e);
int bn_load(void *self, const void *buf, size_t len, cb_error *e);

/* search.c: the vtable's calls */
int bn_start(void *self, const cb_space *sp, cb_error *e);
int bn_ask(void *self, int n, cb_pair *out, int *n_out, cb_error *e);
int bn_tell(void *self, const cb_pair *p, const cb_metrics *m, cb_error *e);

#endif
