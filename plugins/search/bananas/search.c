/* plugins/search/bananas/search.c: BANANAS behind ask/tell. Random pairs until n_init are out
 * and two results are in; then rounds: retrain the ensemble on every result so far, mutate the
 * best pairs into candidates, score each by one independent Thompson draw N(mean, sd) of the
 * ensemble (or by mean + 0.5 sd), and queue the per_round best. ask() hands out the queue and
 * starts a new round when it runs dry, so pending pairs are never repeated. */
#include "bananas.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int bn_reserve(bn *b, size_t n)
{
    if (n <= b->cap)
        return CB_OK;
    size_t cap = n > 2 * b->cap ? n : 2 * b->cap;
    unsigned char *t = realloc(b->told, cap);
    if (t)
        b->told = t;
    double *y = realloc(b->y, cap * sizeof *y);
    if (y)
        b->y = y;
    if (!t || !y)
        return CB_EFAIL;
    memset(b->told + b->cap, 0, cap - b->cap);
    b->cap = cap;
    return CB_OK;
}

static int bn_start(void *self, const cb_space *sp, cb_error *e)
{
    bn *b = self;
    char why[256];
    if (b->started)
        return b->h->fail(b->h, e, CB_EFAIL, NULL, "start() called twice");
    if (cb_skit_init(&b->sk, sp, why, sizeof why))
        return b->h->fail(b->h, e, CB_EINVAL, NULL, "%s", why);
    b->sp = sp;
    int rc = bn_features_init(b, why, sizeof why);
    if (rc)
        return b->h->fail(b->h, e, rc, NULL, "%s", why);
    b->queue = malloc((size_t)b->p.per_round * sizeof *b->queue);
    if (!b->queue)
        return b->h->fail(b->h, e, CB_EFAIL, NULL, "out of memory");
    b->started = 1;
    return CB_OK;
}

typedef struct scored {
    double s;
    int i;
} scored;

static int by_score(const void *a, const void *c)
{
    const scored *x = a, *y = c;
    return x->s > y->s ? -1 : x->s < y->s ? 1 : (x->i > y->i) - (x->i < y->i);
}

/* A new round: fit, candidates, acquisition, the best per_round queued. */
static int new_round(bn *b)
{
    int max = (int)b->p.candidates, rc = bn_fit(b);
    cb_pair *cand = malloc((size_t)max * sizeof *cand);
    float *x = malloc((size_t)max * b->dim * sizeof *x), *mean = malloc((size_t)max * 2 * sizeof *mean);
    scored *sc = malloc((size_t)max * sizeof *sc);
    int n = rc || !cand || !x || !mean || !sc ? 0 : bn_candidates(b, cand, max);
    if (!rc && (!cand || !x || !mean || !sc))
        rc = CB_EFAIL;
    for (int i = 0; i < n; i++)
        bn_features(b, &cand[i], x + (size_t)i * b->dim);
    if (!rc && n)
        rc = bn_predict(b, x, n, mean, mean + max);
    for (int i = 0; !rc && i < n; i++) {
        double sd = mean[max + i];
        sc[i].s = mean[i] + (b->p.acq == 0 ? sd * cb_rng_normal(&b->rng) : 0.5 * sd);
        sc[i].i = i;
    }
    if (!rc) {
        qsort(sc, (size_t)n, sizeof *sc, by_score);
        for (b->n_queue = 0; b->n_queue < n && b->n_queue < b->p.per_round; b->n_queue++)
            b->queue[b->n_queue] = cand[sc[b->n_queue].i];
    }
    free(cand), free(x), free(mean), free(sc);
    return rc;
}

/* The next proposal: 1 and *out, 0 when nothing usable is left, -1 on failure. */
static int next(bn *b, cb_pair *out)
{
    if (b->n_queue == 0) {
        if (b->asked.n < (size_t)b->p.n_init || b->n_told < 2)
            return cb_skit_random(&b->sk, &b->asked, &b->rng, out);
        if (new_round(b))
            return -1;
        if (b->n_queue == 0)
            return 0;
    }
    *out = b->queue[0];
    memmove(b->queue, b->queue + 1, (size_t)--b->n_queue * sizeof *b->queue);
    return 1;
}

static int bn_ask(void *self, int n, cb_pair *out, int *n_out, cb_error *e)
{
    bn *b = self;
    *n_out = 0;
    if (!b->started)
        return b->h->fail(b->h, e, CB_EFAIL, NULL, "ask() before start()");
    while (*n_out < n) {
        if (b->h->cancelled(b->h))
            return CB_ECANCEL;
        int got = next(b, &out[*n_out]);
        if (got < 0)
            return b->h->fail(b->h, e, CB_EFAIL, NULL, "training the predictors failed (out of memory)");
        if (!got)
            break;
        if (cb_pairset_add(&b->asked, &out[*n_out]) < 0 || bn_reserve(b, b->asked.n))
            return b->h->fail(b->h, e, CB_EFAIL, NULL, "out of memory");
        (*n_out)++;
    }
    return CB_OK;
}

static int bn_tell(void *self, const cb_pair *p, const cb_metrics *m, cb_error *e)
{
    bn *b = self;
    long i = cb_pairset_find(&b->asked, p);
    if (i < 0)
        return b->h->fail(b->h, e, CB_EINVAL, NULL, "tell() of a pair this search never proposed");
    if (b->told[i] || m->status == CB_EVAL_FAILED)
        return CB_OK;
    b->told[i] = 1;
    /* a pair that breaks a constraint scores as the worst possible performance */
    b->y[i] = m->status == CB_EVAL_OK && isfinite(m->performance) ? m->performance : 0.0;
    b->n_told++;
    return CB_OK;
}

/* ---- create / destroy / descriptor ---- */
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

static const cb_search_vt bn_vt = {sizeof(cb_search_vt), bn_start, bn_ask, bn_tell, bn_save, bn_load};
static const cb_plugin bn_plugin = {
    sizeof(cb_plugin), CB_KIND_SEARCH, "bananas", "1.0.0",
    "BANANAS: ensemble of MLP predictors, mutation of the best pairs, Thompson sampling",
    bn_params_schema, (cb_fn)bn_create, bn_destroy, &bn_vt};

CB_PACK("std-search-bananas", "1.0.0", "BSD-3-Clause", "codebench", &bn_plugin)
