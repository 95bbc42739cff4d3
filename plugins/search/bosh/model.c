/* plugins/search/bosh/model.c: the model-based proposals: fitting the surrogate on the corpus
 * (targets rescaled to [0.1, 0.9] over the corpus so that the sigmoid outputs can reach them),
 * GOBI from random cold restarts with each end point snapped to the nearest usable pair and the
 * snapped pair with the highest UCB kept, uncertainty sampling over a pool of pairs, and the
 * pairs nearest the converged one. One-sided modes hold the frozen side at the best pair's. */
#include "bosh.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SNAP_CNNS 8     /* CNNs tried per snap, nearest first */
#define SNAP_VISITS 2048 /* accelerator grid points visited per CNN */

int bosh_refit(bosh *b)
{
    if (b->n_told < 2 || b->n_told == b->n_fit)
        return CB_OK;
    size_t n = b->n_told, dim = (size_t)b->sk.dim;
    float *x = malloc(n * dim * sizeof *x), *y = malloc(n * sizeof *y);
    if (!x || !y) {
        free(x);
        free(y);
        return CB_EFAIL;
    }
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0, k = 0; i < b->asked.n; i++)
        if (b->told[i]) {
            cb_skit_encode_f(&b->sk, &b->asked.pairs[i], x + k * dim);
            y[k++] = (float)b->y[i];
            lo = fmin(lo, b->y[i]);
            hi = fmax(hi, b->y[i]);
        }
    for (size_t k = 0; k < n; k++)
        y[k] = hi - lo > 1e-12 ? (float)(0.1 + 0.8 * (y[k] - lo) / (hi - lo)) : 0.5f;
    int rc = cb_bosh_fit(&b->net, x, y, (int)n);
    free(x);
    free(y);
    if (!rc)
        b->n_fit = b->n_told;
    return rc;
}

static double ucb_fn(void *ctx, const double *x, const double *v, double *grad, double *hv)
{
    return cb_bosh_ucb(ctx, x, v, grad, hv);
}

/* The pair whose frozen side a one-sided search keeps: the best told pair. */
static const cb_pair *held(const bosh *b)
{
    return b->hold >= 0 ? &b->asked.pairs[b->hold] : NULL;
}

/* p with its frozen side replaced by the held pair's. */
static void apply_hold(const bosh *b, cb_pair *p)
{
    const cb_pair *h = held(b);
    if (!h || b->p.mode == CB_SNAP_BOTH)
        return;
    if (b->p.mode == CB_SNAP_ACCEL)
        p->cnn = h->cnn;
    else
        memcpy(p->accel, h->accel, sizeof p->accel);
}

static double ucb_at(bosh *b, const cb_pair *p, double *x)
{
    cb_skit_encode(&b->sk, p, x);
    return cb_bosh_ucb(&b->net, x, NULL, NULL, NULL);
}

/* A random usable start with the frozen side held; 0 when none is left. */
static int start_pair(bosh *b, cb_pair *p)
{
    for (int t = 0; t < 64; t++) {
        if (!cb_skit_random(&b->sk, &b->asked, &b->rng, p))
            return 0;
        apply_hold(b, p);
        if (b->p.mode == CB_SNAP_BOTH || cb_skit_usable(&b->sk, &b->asked, p))
            return 1;
    }
    return 0;
}

int bosh_gobi_pair(bosh *b, cb_pair *out)
{
    int d = b->sk.dim, found = 0;
    double *x = malloc((size_t)d * 2 * sizeof *x), *y = x + d, best = -INFINITY, v;
    unsigned char *frozen = calloc((size_t)d, 1);
    if (!x || !frozen) {
        free(x);
        free(frozen);
        return 0;
    }
    for (int k = 0; k < d; k++) /* cnn_only holds the accelerator, accel_only the CNN */
        frozen[k] = (b->p.mode == CB_SNAP_CNN && k >= b->sk.dim_cnn) || (b->p.mode == CB_SNAP_ACCEL && k < b->sk.dim_cnn);
    cb_gobi_opts o = {d, (int)b->p.gobi_iters, 5, 1e-5, b->p.gobi_lr, b->p.first_order_only,
                      b->sk.lo, b->sk.hi, frozen};
    for (int64_t r = 0; r < b->p.restarts; r++) {
        cb_pair start, snapped;
        if (!start_pair(b, &start))
            break;
        cb_skit_encode(&b->sk, &start, x);
        if (cb_gobi(&o, ucb_fn, &b->net, &b->rng, x, &v) < 0)
            break;
        if (!cb_skit_nearest(&b->sk, x, b->p.mode, &start, &b->asked, SNAP_CNNS, SNAP_VISITS, &snapped))
            continue;
        double u = ucb_at(b, &snapped, y);
        if (!found || u > best) {
            best = u;
            *out = snapped;
            found = 1;
        }
    }
    free(x);
    free(frozen);
    return found;
}

/* The pool scored by uncertainty sampling: every usable grid point when there are at most
 * pool of them, otherwise pool random usable pairs. */
static size_t fill_pool(bosh *b, cb_pair *pool, size_t max)
{
    size_t n = 0;
    if (b->sk.total <= (double)max) {
        for (uint64_t i = 0; i < (uint64_t)b->sk.total; i++) {
            cb_skit_pair_at(&b->sk, i, &pool[n]);
            cb_pair check = pool[n];
            apply_hold(b, &check);
            if (!memcmp(&check, &pool[n], sizeof check) && cb_skit_usable(&b->sk, &b->asked, &pool[n]))
                n++;
        }
        return n;
    }
    while (n < max && start_pair(b, &pool[n]))
        n++;
    return n;
}

int bosh_uncertain_pair(bosh *b, cb_pair *out)
{
    size_t max = (size_t)b->p.pool, dim = (size_t)b->sk.dim;
    cb_pair *pool = malloc(max * sizeof *pool);
    float *x = malloc(max * dim * sizeof *x), *sigma = malloc(max * sizeof *sigma), *xi = malloc(max * sizeof *xi);
    size_t n = pool && x && sigma && xi ? fill_pool(b, pool, max) : 0;
    for (size_t i = 0; i < n; i++)
        cb_skit_encode_f(&b->sk, &pool[i], x + i * dim);
    int found = 0;
    if (n && cb_bosh_predict(&b->net, x, (int)n, NULL, sigma, xi) == CB_OK) {
        double best = -INFINITY;
        for (size_t i = 0; i < n; i++) {
            double s = b->p.k1 * sigma[i] + b->p.k2 * xi[i];
            if (s > best) {
                best = s;
                *out = pool[i];
                found = 1;
            }
        }
    }
    free(pool);
    free(x);
    free(sigma);
    free(xi);
    return found;
}

int bosh_near_best(bosh *b, cb_pair *out)
{
    const cb_pair *h = held(b);
    if (!h)
        return 0;
    double *x = malloc((size_t)b->sk.dim * sizeof *x);
    if (!x)
        return 0;
    cb_skit_encode(&b->sk, h, x);
    int found = cb_skit_nearest(&b->sk, x, b->p.mode, h, &b->asked, SNAP_CNNS, SNAP_VISITS, out);
    free(x);
    return found;
}
