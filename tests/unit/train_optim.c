/* tests/unit/train_optim.c: the engine's optimizers against their formulas recomputed here in
 * double precision over two steps (so momentum and Adam's bias correction count), weight decay
 * in its L2 and decoupled forms, buffers left alone, and the learning-rate schedules. */
#include "train_fixture.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct ref {
    double *w, *m, *v;
} ref;

/* Reference optimizer state for every trainable element, in weight order. */
static void ref_step(const cb_recipe *r, int nesterov, int64_t t, double lr, ref *s,
                     const float *g, int64_t n)
{
    for (int64_t k = 0; k < n; k++) {
        double w = s->w[k], d = g[k];
        if (r->optimizer == CB_OPT_SGD) {
            d += r->weight_decay * w;
            s->m[k] = r->momentum * s->m[k] + d;
            s->w[k] = w - lr * (nesterov ? d + r->momentum * s->m[k] : s->m[k]);
            continue;
        }
        if (r->optimizer == CB_OPT_ADAM)
            d += r->weight_decay * w;
        else
            w *= 1.0 - lr * r->weight_decay;
        s->m[k] = r->beta1 * s->m[k] + (1 - r->beta1) * d;
        s->v[k] = r->beta2 * s->v[k] + (1 - r->beta2) * d * d;
        double mh = s->m[k] / (1 - pow(r->beta1, (double)t));
        double vh = s->v[k] / (1 - pow(r->beta2, (double)t));
        s->w[k] = w - lr * mh / (sqrt(vh) + 1e-8);
    }
}

static void check(int optimizer, int nesterov)
{
    tf_graph t;
    tf_small_net(&t);
    cb_engine *en = NULL;
    cb_engine_optim *o = NULL;
    cb_error e = {0};
    cb_engine_opts eo = {4, 1};
    cr_assert(eq(int, cb_engine_new(&t.g, tf_host(1), &eo, &en, &e), CB_OK));
    cb_engine_init(en, 17, NULL, NULL, &e);
    cb_recipe r = {sizeof r, optimizer, 0.05, 0.8, 0.85, 0.95, 0.01, 0, 0, 0, 1, 4, 0};
    cr_assert(eq(int, cb_engine_optim_new(en, &r, nesterov, &o, &e), CB_OK));
    int32_t nw = cb_engine_n_weights(en);
    ref s[16];
    float buffer0[8];
    memcpy(buffer0, cb_engine_weight(en, 4)->data, sizeof buffer0);
    for (int32_t i = 0; i < nw; i++) {
        int64_t n = cb_shape_numel(cb_engine_weight(en, i)->shape);
        s[i] = (ref){calloc((size_t)n, 8), calloc((size_t)n, 8), calloc((size_t)n, 8)};
        for (int64_t k = 0; k < n; k++)
            s[i].w[k] = cb_engine_weight(en, i)->data[k];
    }
    float x[4 * 16];
    int32_t y[4] = {0, 1, 2, 1};
    for (int step = 1; step <= 2; step++) {
        tf_fill(x, 64, (uint64_t)step);
        cr_assert(eq(int, cb_engine_step(en, x, y, 4, 0, NULL, &e), CB_OK));
        /* the runmean buffer moved in the training forward; the reference follows the engine */
        memcpy(buffer0, cb_engine_weight(en, 4)->data, sizeof buffer0);
        double lr = 0.05 / step;
        for (int32_t i = 0; i < nw; i++)
            if (cb_engine_weight_spec(en, i, NULL)->trainable)
                ref_step(&r, nesterov, step, lr, &s[i], cb_engine_grad(en, i)->data,
                         cb_shape_numel(cb_engine_weight(en, i)->shape));
        cb_engine_optim_step(o, lr);
        cr_assert(eq(int, memcmp(buffer0, cb_engine_weight(en, 4)->data, sizeof buffer0), 0),
                  "the optimizer touched a buffer");
    }
    cr_assert(eq(i64, cb_engine_optim_steps(o), 2));
    for (int32_t i = 0; i < nw; i++) {
        const float *w = cb_engine_weight(en, i)->data;
        for (int64_t k = 0; cb_engine_weight_spec(en, i, NULL)->trainable &&
                            k < cb_shape_numel(cb_engine_weight(en, i)->shape); k++)
            cr_assert(le(dbl, fabs(w[k] - s[i].w[k]), 1e-5 + 1e-5 * fabs(s[i].w[k])),
                      "optimizer %d weight %d [%lld]: %g, reference %g", optimizer, i,
                      (long long)k, w[k], s[i].w[k]);
        free(s[i].w);
        free(s[i].m);
        free(s[i].v);
    }
    cb_engine_optim_free(o);
    cb_engine_free(en);
}

Test(train_optim, sgd_momentum)
{
    check(CB_OPT_SGD, 0);
}

Test(train_optim, sgd_nesterov)
{
    check(CB_OPT_SGD, 1);
}

Test(train_optim, adam_l2)
{
    check(CB_OPT_ADAM, 0);
}

Test(train_optim, adamw_decoupled)
{
    check(CB_OPT_ADAMW, 0);
}

Test(train_optim, schedules)
{
    cb_recipe r = {sizeof r, CB_OPT_SGD, 0.1, 0, 0, 0, 0, CB_SCHED_CONSTANT, 0.5, 3, 10, 8, 0};
    cr_assert(eq(dbl, cb_engine_lr(&r, 7.5), 0.1));
    r.schedule = CB_SCHED_COSINE;
    cr_assert(ieee_ulp_eq(dbl, cb_engine_lr(&r, 0), 0.1, 4));
    cr_assert(ieee_ulp_eq(dbl, cb_engine_lr(&r, 5), 0.05, 4));
    cr_assert(le(dbl, cb_engine_lr(&r, 10), 1e-12));
    cr_assert(lt(dbl, cb_engine_lr(&r, 0.5), 0.1)); /* anneals within the first epoch too */
    r.schedule = CB_SCHED_EXPONENTIAL;
    cr_assert(ieee_ulp_eq(dbl, cb_engine_lr(&r, 2.9), 0.025, 4));
    r.schedule = CB_SCHED_STEP;
    cr_assert(ieee_ulp_eq(dbl, cb_engine_lr(&r, 2.9), 0.1, 4));
    cr_assert(ieee_ulp_eq(dbl, cb_engine_lr(&r, 3.0), 0.05, 4));
    cr_assert(ieee_ulp_eq(dbl, cb_engine_lr(&r, 6.5), 0.025, 4));
}

Test(train_optim, training_lowers_the_loss)
{
    /* a learnable rule on the fixture net: the class is which third of the inputs sums largest */
    tf_graph t;
    tf_small_net(&t);
    for (int opt = CB_OPT_SGD; opt <= CB_OPT_ADAMW; opt++) {
        cb_engine *en = NULL;
        cb_engine_optim *o = NULL;
        cb_error e = {0};
        cb_engine_opts eo = {32, 2};
        cb_engine_new(&t.g, tf_host(2), &eo, &en, &e);
        cb_engine_init(en, 1, NULL, NULL, &e);
        cb_recipe r = {sizeof r, opt, opt == CB_OPT_SGD ? 0.1 : 0.01, 0.9, 0.9, 0.999, 1e-4, 0, 0, 0, 1, 32, 0};
        cb_engine_optim_new(en, &r, 0, &o, &e);
        float x[32 * 16];
        int32_t y[32];
        double first = 0, last = 0;
        for (int step = 0; step < 150; step++) {
            tf_fill(x, 32 * 16, (uint64_t)step % 10);
            for (int i = 0; i < 32; i++) {
                float a = 0, b = 0, c = 0;
                for (int k = 0; k < 5; k++)
                    a += x[16 * i + k], b += x[16 * i + 5 + k], c += x[16 * i + 10 + k];
                y[i] = a > b && a > c ? 0 : b > c ? 1 : 2;
            }
            cb_engine_stats st;
            cr_assert(eq(int, cb_engine_step(en, x, y, 32, (uint64_t)step, &st, &e), CB_OK));
            cb_engine_optim_step(o, r.lr);
            if (step < 10)
                first += st.loss;
            if (step >= 140)
                last += st.loss;
        }
        cr_assert(lt(dbl, last, 0.5 * first), "optimizer %d: loss %g -> %g", opt, first / 320, last / 320);
        cb_engine_optim_free(o);
        cb_engine_free(en);
    }
}
