/* tests/unit/train_engine.c: the native training engine on the fixture net (ops written in
 * the test): whole-engine gradients against finite differences, gradient sums at a vertex with
 * two consumers, data-parallel shards against one replica, seeded initialisation and weight
 * transfer, determinism, and graph errors. */
#include "train_fixture.h"

#include <codebench/sdk.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BATCH 6

static cb_engine *make(const tf_graph *t, int batch, int shards)
{
    cb_engine *en = NULL;
    cb_error e = {0};
    cb_engine_opts o = {batch, shards};
    cr_assert(eq(int, cb_engine_new(&t->g, tf_host(2), &o, &en, &e), CB_OK), "%s", e.msg);
    return en;
}

static void batch_data(float *x, int32_t *y, int n, uint64_t seed)
{
    tf_fill(x, (int64_t)n * 16, seed);
    for (int i = 0; i < n; i++)
        y[i] = (int32_t)((seed + (uint64_t)i * 7) % 3);
}

static double mean_loss(cb_engine *en, const float *x, const int32_t *y, int n)
{
    cb_engine_stats st;
    cb_error e = {0};
    cr_assert(eq(int, cb_engine_step(en, x, y, n, 1, &st, &e), CB_OK), "%s", e.msg);
    return st.loss / n;
}

Test(train_engine, gradients_match_finite_differences)
{
    tf_graph t;
    tf_small_net(&t);
    cb_engine *en = make(&t, BATCH, 1);
    cb_error e = {0};
    cr_assert(eq(int, cb_engine_init(en, 11, NULL, NULL, &e), CB_OK));
    float x[BATCH * 16];
    int32_t y[BATCH];
    batch_data(x, y, BATCH, 3);
    int checked = 0;
    for (int32_t i = 0; i < cb_engine_n_weights(en); i++) {
        if (!cb_engine_weight_spec(en, i, NULL)->trainable)
            continue;
        cb_tensor *w = cb_engine_weight(en, i);
        int64_t n = cb_shape_numel(w->shape);
        float *g = malloc((size_t)n * sizeof *g);
        mean_loss(en, x, y, BATCH); /* gradients at the unperturbed point */
        memcpy(g, cb_engine_grad(en, i)->data, (size_t)n * sizeof *g);
        for (int64_t k = 0; k < n; k++) {
            /* every element: a missed gradient path anywhere would show */
            float keep = w->data[k], h = 5e-3f;
            w->data[k] = keep + h;
            double up = mean_loss(en, x, y, BATCH);
            w->data[k] = keep - h;
            double down = mean_loss(en, x, y, BATCH);
            w->data[k] = keep;
            double num = (up - down) / (2.0 * h);
            cr_assert(le(dbl, fabs(num - g[k]), 2e-4 + 2e-2 * fabs(num)),
                      "weight %d element %lld: analytic %g, numeric %g", i, (long long)k, g[k], num);
            checked++;
        }
        free(g);
    }
    cr_assert(gt(int, checked, 200));
    cb_engine_free(en);
}

/* The first tanh feeds the second dense and the add: its gradient is the sum of both paths.
 * Cutting one path (the add's second input made a constant) must change the first layer's
 * gradient, so the sum is really taken. */
Test(train_engine, two_consumers_receive_the_sum)
{
    tf_graph t;
    tf_small_net(&t);
    cb_engine *en = make(&t, BATCH, 1);
    cb_error e = {0};
    cb_engine_init(en, 5, NULL, NULL, &e);
    float x[BATCH * 16];
    int32_t y[BATCH];
    batch_data(x, y, BATCH, 9);
    mean_loss(en, x, y, BATCH);
    float g_full = cb_engine_grad(en, 0)->data[3];
    /* zero the second dense layer: its path then carries no gradient back */
    cb_tensor *w2 = cb_engine_weight(en, 2);
    memset(w2->data, 0, (size_t)cb_shape_numel(w2->shape) * sizeof(float));
    mean_loss(en, x, y, BATCH);
    float g_skip_only = cb_engine_grad(en, 0)->data[3];
    cr_assert(gt(dbl, fabs((double)g_full - g_skip_only), 1e-6), "the dense path added nothing");
    cb_engine_free(en);
}

static void copy_weights(cb_engine *dst, cb_engine *src)
{
    for (int32_t i = 0; i < cb_engine_n_weights(src); i++) {
        cb_tensor *a = cb_engine_weight(dst, i), *b = cb_engine_weight(src, i);
        memcpy(a->data, b->data, (size_t)cb_shape_numel(a->shape) * sizeof(float));
    }
}

Test(train_engine, shards_agree_with_one_replica)
{
    tf_graph t;
    tf_small_net(&t);
    cb_engine *one = make(&t, 10, 1), *three = make(&t, 10, 3);
    cb_error e = {0};
    cb_engine_init(one, 21, NULL, NULL, &e);
    copy_weights(three, one);
    float x[10 * 16];
    int32_t y[10];
    batch_data(x, y, 10, 4);
    for (int n = 10; n >= 2; n -= 8) { /* a full batch, then one smaller than the shard count */
        cb_engine_stats a, b;
        cr_assert(eq(int, cb_engine_step(one, x, y, n, 1, &a, &e), CB_OK));
        cr_assert(eq(int, cb_engine_step(three, x, y, n, 1, &b, &e), CB_OK), "%s", e.msg);
        cr_assert(le(dbl, fabs(a.loss - b.loss), 1e-5 * fabs(a.loss)));
        cr_assert(eq(i64, a.correct, b.correct));
        for (int32_t i = 0; i < cb_engine_n_weights(one); i++) {
            const cb_tensor *ga = cb_engine_grad(one, i), *gb = cb_engine_grad(three, i);
            const float *va = ga->data ? ga->data : cb_engine_weight(one, i)->data;
            const float *vb = gb->data ? gb->data : cb_engine_weight(three, i)->data;
            for (int64_t k = 0; k < cb_shape_numel(ga->shape); k++)
                cr_assert(le(dbl, fabs((double)va[k] - vb[k]), 1e-6 + 1e-4 * fabs(va[k])),
                          "n %d weight %d [%lld]: %g vs %g", n, i, (long long)k, va[k], vb[k]);
        }
    }
    cb_engine_free(one);
    cb_engine_free(three);
}

Test(train_engine, init_follows_rules_and_seed)
{
    tf_graph t;
    tf_small_net(&t);
    cb_engine *a = make(&t, 4, 1), *b = make(&t, 4, 1);
    cb_error e = {0};
    cb_engine_init(a, 1, NULL, NULL, &e);
    cb_engine_init(b, 1, NULL, NULL, &e);
    for (int32_t i = 0; i < cb_engine_n_weights(a); i++) {
        const cb_weight *s = cb_engine_weight_spec(a, i, NULL);
        cb_tensor *w = cb_engine_weight(a, i);
        int64_t n = cb_shape_numel(w->shape);
        double bound = s->init == CB_INIT_KAIMING_UNIFORM ? sqrt(6.0 / s->fan_in)
                       : s->init == CB_INIT_FANIN_UNIFORM ? 1.0 / sqrt(s->fan_in) : 0.0;
        double top = 0;
        for (int64_t k = 0; k < n; k++)
            top = fmax(top, fabs(w->data[k]));
        cr_assert(le(dbl, top, bound), "tensor %d exceeds its bound", i);
        if (bound > 0)
            cr_assert(gt(dbl, top, bound / 4), "tensor %d looks unset", i);
        cr_assert(eq(int, memcmp(w->data, cb_engine_weight(b, i)->data, (size_t)n * 4), 0));
    }
    cb_engine_init(b, 2, NULL, NULL, &e);
    cr_assert(ne(int, memcmp(cb_engine_weight(a, 0)->data, cb_engine_weight(b, 0)->data, 16), 0));
    cb_engine_free(a);
    cb_engine_free(b);
}

Test(train_engine, transfer_copies_marked_tensors_only)
{
    tf_graph t;
    tf_small_net(&t);
    cb_engine *en = make(&t, 4, 1), *fresh = make(&t, 4, 1);
    int32_t nw = cb_engine_n_weights(en);
    cb_tensor from[16];
    uint8_t mask[16] = {0};
    float donor[16 * 8];
    tf_fill(donor, 128, 99);
    for (int32_t i = 0; i < nw; i++) /* every slot holds data; only the mask says what counts */
        from[i] = (cb_tensor){cb_engine_weight(en, i)->shape, donor};
    mask[0] = 1;
    cb_error e = {0};
    cr_assert(eq(int, cb_engine_init(en, 8, from, mask, &e), CB_OK), "%s", e.msg);
    cb_engine_init(fresh, 8, NULL, NULL, &e);
    cr_assert(eq(int, memcmp(cb_engine_weight(en, 0)->data, donor, 128 * 4), 0));
    for (int32_t i = 1; i < nw; i++) /* the others are exactly the fresh initialisation */
        cr_assert(eq(int, memcmp(cb_engine_weight(en, i)->data, cb_engine_weight(fresh, i)->data,
                                 (size_t)cb_shape_numel(cb_engine_weight(en, i)->shape) * 4), 0));
    from[0].shape.c = 15; /* 8 x 15 is not the 8 x 16 the first dense layer needs */
    cr_assert(eq(int, cb_engine_init(en, 8, from, mask, &e), CB_EINVAL));
    cr_assert(ne(ptr, strstr(e.msg, "0.weight"), NULL), "%s", e.msg);
    cb_engine_free(en);
    cb_engine_free(fresh);
}

static void train_steps(cb_engine *en, cb_engine_optim *o, int steps, float *final)
{
    float x[BATCH * 16];
    int32_t y[BATCH];
    cb_error e = {0};
    for (int s = 0; s < steps; s++) {
        batch_data(x, y, BATCH, (uint64_t)s);
        cr_assert(eq(int, cb_engine_step(en, x, y, BATCH, (uint64_t)s, NULL, &e), CB_OK));
        cb_engine_optim_step(o, 0.01);
    }
    memcpy(final, cb_engine_weight(en, 0)->data, 128 * sizeof(float));
}

Test(train_engine, deterministic_for_a_seed)
{
    tf_graph t;
    tf_small_net(&t);
    cb_recipe r = {sizeof r, CB_OPT_ADAM, 0.01, 0.9, 0.9, 0.999, 1e-4, 0, 0, 0, 1, BATCH, 0};
    float out[2][128];
    for (int run = 0; run < 2; run++) {
        cb_engine *en = make(&t, BATCH, 2);
        cb_engine_optim *o = NULL;
        cb_error e = {0};
        cb_engine_init(en, 42, NULL, NULL, &e);
        cr_assert(eq(int, cb_engine_optim_new(en, &r, 0, &o, &e), CB_OK));
        train_steps(en, o, 20, out[run]);
        cb_engine_optim_free(o);
        cb_engine_free(en);
    }
    cr_assert(eq(int, memcmp(out[0], out[1], sizeof out[0]), 0));
}

Test(train_engine, eval_gives_logits_and_counts)
{
    tf_graph t;
    tf_small_net(&t);
    cb_engine *en = make(&t, BATCH, 2);
    cb_error e = {0};
    cb_engine_init(en, 3, NULL, NULL, &e);
    float x[BATCH * 16], logits[BATCH * 3];
    int32_t y[BATCH];
    batch_data(x, y, BATCH, 5);
    cb_engine_stats st;
    cr_assert(eq(int, cb_engine_eval(en, x, y, BATCH, logits, &st, &e), CB_OK));
    int64_t correct = 0;
    double loss = 0;
    for (int i = 0; i < BATCH; i++) {
        const float *z = logits + 3 * i;
        int best = z[1] > z[0] ? 1 : 0;
        best = z[2] > z[best] ? 2 : best;
        correct += best == y[i];
        loss += log(exp(z[0]) + exp(z[1]) + exp(z[2])) - z[y[i]];
    }
    cr_assert(eq(i64, st.correct, correct));
    cr_assert(le(dbl, fabs(st.loss - loss), 1e-4));
    cr_assert(eq(int, cb_engine_eval(en, x, y, BATCH + 1, NULL, &st, &e), CB_EINVAL));
    cb_engine_free(en);
}

Test(train_engine, refuses_bad_graphs)
{
    tf_graph t;
    tf_small_net(&t);
    cb_engine *en = NULL;
    cb_error e = {0};
    cb_engine_opts o = {4, 1};
    t.g.classes = 10; /* the last dense layer gives 3 */
    cr_assert(eq(int, cb_engine_new(&t.g, tf_host(1), &o, &en, &e), CB_EINVAL));
    cr_assert(ne(ptr, strstr(e.msg, "10 classes"), NULL), "%s", e.msg);
    t.g.classes = 3;
    t.ins[2][0] = 5; /* vertex 2 reading a later vertex */
    cr_assert(eq(int, cb_engine_new(&t.g, tf_host(1), &o, &en, &e), CB_EINVAL));
    cr_assert(ne(ptr, strstr(e.msg, "vertex 2"), NULL), "%s", e.msg);
    t.ins[2][0] = 1;
    t.nodes[2].out.c = 9; /* a shape the op does not infer */
    cr_assert(eq(int, cb_engine_new(&t.g, tf_host(1), &o, &en, &e), CB_EINVAL));
    cr_assert(ne(ptr, strstr(e.msg, "infers"), NULL), "%s", e.msg);
    cr_assert(eq(ptr, en, NULL));
}
