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

int bn_start(void *self, const cb_space *sp, cb_error *e)
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

int bn_ask(void *self, int n, cb_pair *out, int *n_out, cb_error *e)
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

int bn_tell(void *self, const cb_pair *p, const cb_metrics *m, cb_error *e)
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
