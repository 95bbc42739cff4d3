/* plugins/search/bananas/ensemble.c: the predictor ensemble, retrained from scratch each round
 * as naszilla does: `ensemble` MLPs of `layers` ReLU layers of `width` units and a linear
 * output, on the told pairs' standardized performance, mean absolute error, Adam, mini-batches
 * of 32. Each net starts from its own random initialization and data order: their spread is the
 * uncertainty. */
#include "bananas.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BATCH 32

static int make_nets(bn *b)
{
    for (int k = 0; k < b->n_nets; k++)
        cb_mlp_free(&b->nets[k]);
    b->n_nets = 0;
    cb_nn_spec s;
    memset(&s, 0, sizeof s);
    s.n_layers = (int)b->p.layers + 1;
    s.width[0] = b->dim;
    for (int l = 0; l < s.n_layers; l++) {
        s.width[l + 1] = l + 1 < s.n_layers ? (int)b->p.width : 1;
        s.act[l] = l + 1 < s.n_layers ? CB_NN_RELU : CB_NN_LINEAR;
    }
    for (int k = 0; k < b->p.ensemble; k++) {
        if (cb_mlp_create(&b->nets[k], &s, b->h->sgemm, &b->rng))
            return CB_EFAIL;
        b->n_nets++;
    }
    return CB_OK;
}

static void shuffle(cb_rng *r, int *perm, int n)
{
    for (int i = 0; i < n; i++)
        perm[i] = i;
    for (int i = n - 1; i > 0; i--) {
        int j = (int)cb_rng_below(r, (uint64_t)i + 1), t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
}

/* One net, epochs of mini-batch Adam on the mean absolute error. */
static int train(bn *b, cb_mlp *m, const float *x, const float *y, int n, int *perm, float *bx)
{
    cb_adam opt;
    if (cb_adam_init(&opt, m->n_params, b->p.lr))
        return CB_EFAIL;
    opt.beta2 = 0.99; /* naszilla's betas (0.9, 0.99) */
    float out[BATCH], g[BATCH], by[BATCH];
    for (int64_t e = 0; e < b->p.epochs; e++) {
        shuffle(&b->rng, perm, n);
        for (int at = 0; at < n; at += BATCH) {
            int bs = n - at < BATCH ? n - at : BATCH;
            for (int i = 0; i < bs; i++) {
                memcpy(bx + (size_t)i * b->dim, x + (size_t)perm[at + i] * b->dim, (size_t)b->dim * sizeof *x);
                by[i] = y[perm[at + i]];
            }
            if (cb_mlp_forward(m, bx, bs, NULL, out)) {
                cb_adam_free(&opt);
                return CB_EFAIL;
            }
            for (int i = 0; i < bs; i++) /* d|e|/de, averaged */
                g[i] = (float)((out[i] > by[i]) - (out[i] < by[i])) / (float)bs;
            memset(m->g, 0, m->n_params * sizeof *m->g);
            cb_mlp_backward(m, g, NULL);
            cb_adam_step(&opt, m->p, m->g);
        }
    }
    cb_adam_free(&opt);
    return CB_OK;
}

int bn_fit(bn *b)
{
    int n = (int)b->n_told, rc = make_nets(b);
    float *x = malloc((size_t)n * b->dim * sizeof *x), *y = malloc((size_t)n * sizeof *y);
    float *bx = malloc((size_t)BATCH * b->dim * sizeof *bx);
    int *perm = malloc((size_t)n * sizeof *perm);
    if (rc || !x || !y || !bx || !perm) {
        free(x), free(y), free(bx), free(perm);
        return CB_EFAIL;
    }
    double mean = 0, var = 0;
    for (size_t i = 0, k = 0; i < b->asked.n; i++)
        if (b->told[i]) {
            bn_features(b, &b->asked.pairs[i], x + k * b->dim);
            y[k++] = (float)b->y[i];
            mean += b->y[i] / n;
        }
    for (int k = 0; k < n; k++)
        var += (y[k] - mean) * (y[k] - mean) / n;
    double sd = var > 1e-24 ? sqrt(var) : 1;
    for (int k = 0; k < n; k++) /* standardized: the same step size suits any metric's scale */
        y[k] = (float)((y[k] - mean) / sd);
    for (int k = 0; !rc && k < b->n_nets; k++)
        rc = train(b, &b->nets[k], x, y, n, perm, bx);
    free(x), free(y), free(bx), free(perm);
    return rc;
}

int bn_predict(bn *b, const float *x, int n, float *mean, float *sd)
{
    float *out = malloc((size_t)n * sizeof *out);
    double *s1 = calloc((size_t)n * 2, sizeof *s1), *s2 = s1 + n;
    int rc = !out || !s1 ? CB_EFAIL : CB_OK;
    for (int k = 0; !rc && k < b->n_nets; k++) {
        rc = cb_mlp_forward(&b->nets[k], x, n, NULL, out);
        for (int i = 0; !rc && i < n; i++) {
            s1[i] += out[i];
            s2[i] += (double)out[i] * out[i];
        }
    }
    for (int i = 0; !rc && i < n; i++) {
        double m = s1[i] / b->n_nets, v = s2[i] / b->n_nets - m * m;
        mean[i] = (float)m;
        sd[i] = (float)sqrt(v > 0 ? v : 0);
    }
    free(out);
    free(s1);
    return rc;
}
