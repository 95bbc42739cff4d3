/* nn_optim.c: Adam (with optional decoupled weight decay) on float parameters, AdaHessian on a
 * double vector (GOBI's input), Rademacher draws for Hutchinson's estimator, and the optimizer
 * and generator state. */
#include <codebench/nn.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

int cb_adam_init(cb_adam *a, size_t n, double lr)
{
    memset(a, 0, sizeof *a);
    a->n = n;
    a->lr = lr;
    a->beta1 = 0.9;
    a->beta2 = 0.999;
    a->eps = 1e-8;
    a->m = calloc(n ? n : 1, sizeof *a->m);
    a->v = calloc(n ? n : 1, sizeof *a->v);
    if (!a->m || !a->v) {
        cb_adam_free(a);
        return CB_EFAIL;
    }
    return CB_OK;
}

void cb_adam_free(cb_adam *a)
{
    if (!a)
        return;
    free(a->m);
    free(a->v);
    a->m = a->v = NULL;
}

void cb_adam_step(cb_adam *a, float *p, const float *g)
{
    a->t++;
    double c1 = 1 - pow(a->beta1, (double)a->t), c2 = 1 - pow(a->beta2, (double)a->t);
    for (size_t k = 0; k < a->n; k++) {
        a->m[k] = (float)(a->beta1 * a->m[k] + (1 - a->beta1) * g[k]);
        a->v[k] = (float)(a->beta2 * a->v[k] + (1 - a->beta2) * (double)g[k] * g[k]);
        double step = a->lr * (a->m[k] / c1) / (sqrt(a->v[k] / c2) + a->eps);
        p[k] = (float)(p[k] * (1 - a->lr * a->weight_decay) - step);
    }
}

int cb_adahessian_init(cb_adahessian *a, int n, double lr)
{
    memset(a, 0, sizeof *a);
    a->n = n;
    a->lr = lr;
    a->beta1 = 0.9;
    a->beta2 = 0.999;
    a->eps = 1e-4;
    a->hessian_power = 1;
    a->m = calloc(n > 0 ? (size_t)n : 1, sizeof *a->m);
    a->v = calloc(n > 0 ? (size_t)n : 1, sizeof *a->v);
    if (!a->m || !a->v) {
        cb_adahessian_free(a);
        return CB_EFAIL;
    }
    return CB_OK;
}

void cb_adahessian_free(cb_adahessian *a)
{
    if (!a)
        return;
    free(a->m);
    free(a->v);
    a->m = a->v = NULL;
}

void cb_adahessian_step(cb_adahessian *a, double *x, const double *g, const double *d, double sign)
{
    a->t++;
    double c1 = 1 - pow(a->beta1, (double)a->t), c2 = 1 - pow(a->beta2, (double)a->t);
    for (int k = 0; k < a->n; k++) {
        double dk = fabs(d[k]);
        a->m[k] = a->beta1 * a->m[k] + (1 - a->beta1) * g[k];
        a->v[k] = a->beta2 * a->v[k] + (1 - a->beta2) * dk * dk;
        double denom = pow(sqrt(a->v[k] / c2), a->hessian_power) + a->eps;
        x[k] += sign * a->lr * (a->m[k] / c1) / denom;
    }
}

void cb_rademacher(cb_rng *r, double *z, int n)
{
    for (int k = 0; k < n; k += 64) {
        uint64_t bits = cb_rng_u64(r);
        for (int j = 0; j < 64 && k + j < n; j++)
            z[k + j] = (bits >> j) & 1 ? 1.0 : -1.0;
    }
}

void cb_adam_save(const cb_adam *a, cb_state_writer *w)
{
    cb_sw_tag(w, "adam");
    cb_sw_i64(w, a->t);
    cb_sw_f32s(w, a->m, a->n);
    cb_sw_f32s(w, a->v, a->n);
}

void cb_adam_load(cb_adam *a, cb_state_reader *r)
{
    cb_sr_tag(r, "adam");
    a->t = cb_sr_i64(r);
    cb_sr_f32s(r, a->m, a->n);
    cb_sr_f32s(r, a->v, a->n);
}

void cb_rng_save(const cb_rng *g, cb_state_writer *w)
{
    for (int k = 0; k < 4; k++)
        cb_sw_u64(w, g->s[k]);
}

void cb_rng_load(cb_rng *g, cb_state_reader *r)
{
    for (int k = 0; k < 4; k++)
        g->s[k] = cb_sr_u64(r);
    if (!r->bad && !(g->s[0] | g->s[1] | g->s[2] | g->s[3]))
        cb_sr_fail(r, "the saved generator state is all zero");
}
