/* bosh_gobi.c: GOBI, gradient-based optimization of an input (Tuli et al.), maximizing a
 * differentiable function such as the surrogate's UCB. Each step takes the gradient and, for
 * the second-order variant, one Hutchinson probe z . (H z) of the Hessian diagonal (H z exact,
 * from the callback), then an AdaHessian step; the first-order ablation takes Adam's step
 * (AdaHessian with |g| in place of the diagonal). Frozen dimensions never move; every step is
 * clamped to the box. The best point seen is returned, so a noisy step cannot lose it. */
#include <codebench/bosh.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void clamp(const cb_gobi_opts *o, double *x)
{
    for (int k = 0; k < o->dim; k++) {
        if (o->lo && x[k] < o->lo[k])
            x[k] = o->lo[k];
        if (o->hi && x[k] > o->hi[k])
            x[k] = o->hi[k];
    }
}

int cb_gobi(const cb_gobi_opts *o, cb_gobi_fn f, void *ctx, cb_rng *r, double *x, double *value)
{
    int d = o->dim;
    cb_adahessian opt;
    double *buf = malloc((size_t)d * 4 * sizeof *buf);
    if (!buf || cb_adahessian_init(&opt, d, o->lr)) {
        free(buf);
        return -1;
    }
    double *g = buf, *z = g + d, *hz = z + d, *best = hz + d;
    clamp(o, x);
    double best_v = -INFINITY, prev = NAN;
    int steps = 0;
    for (int still = 0; steps < o->max_iter && still < o->patience; steps++) {
        if (!o->first_order)
            cb_rademacher(r, z, d);
        double v = f(ctx, x, o->first_order ? NULL : z, g, o->first_order ? NULL : hz);
        if (!isfinite(v))
            break;
        if (v > best_v) {
            best_v = v;
            memcpy(best, x, (size_t)d * sizeof *x);
        }
        still = fabs(v - prev) < o->tol ? still + 1 : 0;
        prev = v;
        for (int k = 0; k < d; k++) {
            if (o->frozen && o->frozen[k])
                g[k] = hz[k] = 0;
            else
                hz[k] = o->first_order ? g[k] : z[k] * hz[k];
        }
        cb_adahessian_step(&opt, x, g, hz, +1.0);
        clamp(o, x);
    }
    if (isfinite(best_v))
        memcpy(x, best, (size_t)d * sizeof *x);
    *value = best_v;
    cb_adahessian_free(&opt);
    free(buf);
    return steps;
}
