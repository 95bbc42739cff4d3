/* tests/unit/train_std.c: the engine and the native trainer on graphs built from the std op
 * pack (build/plugins/ops/std.so; skipped until it is built): whole-engine gradients of a
 * network with convolutions, batch-norm, SiLU, a residual add and pooling against finite
 * differences; LeNet-5 learning Fashion-MNIST from a few hundred images; shards against one
 * replica; a checkpoint round trip of a batch-norm VGG reproducing logits bit for bit. */
#include "host/host.h"
#include "plugin/bind.h"
#include "plugin/param.h"
#include "plugin/registry.h"
#include "test_util.h"
#include "train_fixture.h"

#include <codebench/checkpoint.h>
#include <codebench/data.h>
#include <codebench/sdk.h>
#include <codebench/trainer.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static cb_engine *make(const tf_graph *t, int batch, int shards)
{
    cb_engine *en = NULL;
    cb_error e = {0};
    cb_engine_opts o = {batch, shards};
    cr_assert(eq(int, cb_engine_new(&t->g, tf_host(2), &o, &en, &e), CB_OK), "%s", e.msg);
    cr_assert(eq(int, cb_engine_init(en, 3, NULL, NULL, &e), CB_OK));
    return en;
}

static double loss_at(cb_engine *en, const float *x, const int32_t *y, int n)
{
    cb_engine_stats st;
    cb_error e = {0};
    cr_assert(eq(int, cb_engine_step(en, x, y, n, 1, &st, &e), CB_OK), "%s", e.msg);
    return st.loss / n;
}

/* x 2x8x8 -> conv 4 (bn, silu) -> conv 4 (bn, silu) -> add with the first -> avgpool 3/2 ->
 * flatten -> classifier 3: smooth everywhere, so finite differences are meaningful. */
Test(train_std, gradients_match_finite_differences)
{
    tf_graph t;
    tf_graph_init(&t, (cb_shape){1, 2, 1, 8, 8}, 3);
    int32_t x = CB_NET_INPUT;
    int32_t c0 = tf_std_node(&t, "conv2d", "channels=4 kernel=3 activation=silu bias=true", 1, &x);
    int32_t c1 = tf_std_node(&t, "conv2d", "channels=4 kernel=3 activation=silu", 1, &c0);
    int32_t a2 = tf_std_node(&t, "add", NULL, 2, (int32_t[]){c0, c1});
    int32_t p3 = tf_std_node(&t, "avgpool", "kernel=3 stride=2 padding=1", 1, &a2);
    int32_t f4 = tf_std_node(&t, "flatten", NULL, 1, &p3);
    tf_std_node(&t, "dense", "classes=3", 1, &f4);
    enum { N = 5 };
    cb_engine *en = make(&t, N, 1);
    float xs[N * 128];
    int32_t ys[N] = {0, 1, 2, 1, 0};
    tf_fill(xs, N * 128, 8);
    int checked = 0;
    for (int32_t i = 0; i < cb_engine_n_weights(en); i++) {
        if (!cb_engine_weight_spec(en, i, NULL)->trainable)
            continue;
        cb_tensor *w = cb_engine_weight(en, i);
        int64_t n = cb_shape_numel(w->shape), stride = n / 12 + 1;
        loss_at(en, xs, ys, N);
        float *g = malloc((size_t)n * sizeof *g);
        memcpy(g, cb_engine_grad(en, i)->data, (size_t)n * sizeof *g);
        for (int64_t k = 0; k < n; k += stride) {
            float keep = w->data[k], h = 1e-2f;
            w->data[k] = keep + h;
            double up = loss_at(en, xs, ys, N);
            w->data[k] = keep - h;
            double down = loss_at(en, xs, ys, N);
            w->data[k] = keep;
            double num = (up - down) / (2.0 * h);
            cr_assert(le(dbl, fabs(num - g[k]), 5e-4 + 3e-2 * fabs(num)),
                      "tensor %d (%s) [%lld]: analytic %g, numeric %g", i,
                      cb_engine_weight_spec(en, i, NULL)->name, (long long)k, g[k], num);
            checked++;
        }
        free(g);
    }
    cr_assert(gt(int, checked, 40));
    cb_engine_free(en);
}

Test(train_std, shards_agree_without_batchnorm)
{
    tf_graph t;
    tf_lenet5(&t);
    cb_engine *one = make(&t, 12, 1), *two = make(&t, 12, 2);
    float x[12 * 784];
    int32_t y[12];
    tf_fill(x, 12 * 784, 2);
    for (int i = 0; i < 12; i++)
        y[i] = i % 10;
    cb_engine_stats a, b;
    cb_error e = {0};
    cr_assert(eq(int, cb_engine_step(one, x, y, 12, 0, &a, &e), CB_OK));
    cr_assert(eq(int, cb_engine_step(two, x, y, 12, 0, &b, &e), CB_OK), "%s", e.msg);
    cr_assert(le(dbl, fabs(a.loss - b.loss), 1e-5 * a.loss));
    for (int32_t i = 0; i < cb_engine_n_weights(one); i++) {
        const cb_tensor *ga = cb_engine_grad(one, i), *gb = cb_engine_grad(two, i);
        for (int64_t k = 0; ga->data && k < cb_shape_numel(ga->shape); k++)
            cr_assert(le(dbl, fabs((double)ga->data[k] - gb->data[k]), 1e-6 + 1e-4 * fabs(ga->data[k])),
                      "tensor %d [%lld]", i, (long long)k);
    }
    cb_engine_free(one);
    cb_engine_free(two);
}

Test(train_std, vgg_bn_checkpoint_round_trip_is_bit_exact)
{
    tf_graph t;
    tf_vgg_bn(&t, 3, 16, 8);
    cb_engine *a = make(&t, 8, 2), *b = make(&t, 8, 2);
    cb_engine_optim *oa = NULL, *ob = NULL;
    cb_error e = {0};
    cb_recipe r = {sizeof r, CB_OPT_SGD, 0.05, 0.9, 0.9, 0.999, 5e-4, 0, 0, 0, 1, 8, 0};
    cb_engine_optim_new(a, &r, 1, &oa, &e);
    cb_engine_optim_new(b, &r, 1, &ob, &e);
    float x[8 * 768], la[80], lb[80];
    int32_t y[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    for (int s = 0; s < 3; s++) { /* batch-norm running statistics move away from 0 and 1 */
        tf_fill(x, 8 * 768, (uint64_t)s);
        cr_assert(eq(int, cb_engine_step(a, x, y, 8, (uint64_t)s, NULL, &e), CB_OK), "%s", e.msg);
        cb_engine_optim_step(oa, 0.05);
    }
    char path[64];
    snprintf(path, sizeof path, "/tmp/cb_vgg_%ld.safetensors", (long)getpid());
    cr_assert(eq(int, cb_ckpt_save(path, a, oa, NULL, &e), CB_OK), "%s", e.msg);
    cr_assert(eq(int, cb_ckpt_load(path, b, ob, NULL, &e), CB_OK), "%s", e.msg);
    unlink(path);
    tf_fill(x, 8 * 768, 77);
    cr_assert(eq(int, cb_engine_eval(a, x, NULL, 8, la, NULL, &e), CB_OK));
    cr_assert(eq(int, cb_engine_eval(b, x, NULL, 8, lb, NULL, &e), CB_OK));
    cr_assert(eq(int, memcmp(la, lb, sizeof la), 0), "logits differ after the round trip");
    int buffers = 0;
    for (int32_t i = 0; i < cb_engine_n_weights(a); i++)
        buffers += !cb_engine_weight_spec(a, i, NULL)->trainable;
    cr_assert(gt(int, buffers, 0), "the VGG has batch-norm running statistics");
    cb_engine_optim_free(oa);
    cb_engine_optim_free(ob);
    cb_engine_free(a);
    cb_engine_free(b);
}

/* ---- LeNet-5 through the trainer plugin ---- */

typedef struct curve {
    int calls;
    double first, last;
} curve;

static void on_progress(void *ctx, const cb_train_progress *p)
{
    curve *c = ctx;
    if (c->calls++ == 0)
        c->first = p->loss;
    c->last = p->loss;
}

static int train_lenet(const char *const *set, cb_train_result *r, curve *c, float *w0, cb_error *e)
{
    cb_registry reg;
    cb_registry_init(&reg);
    char *path = cb_test_path("plugins/trainers/native.so");
    cr_assert(eq(int, cb_registry_load_file(&reg, path, e), CB_OK), "%s", e->msg);
    free(path);
    const cb_plugin *p = cb_registry_find(&reg, CB_KIND_TRAINER, "native", e)->plugin;
    cb_value vals[64];
    char why[256];
    cr_assert(eq(int, cb_param_defaults(p->params, vals, why, sizeof why), CB_OK));
    for (int k = 0; set[k]; k++) {
        char name[64];
        const char *eqs = strchr(set[k], '=');
        snprintf(name, sizeof name, "%.*s", (int)(eqs - set[k]), set[k]);
        int i = cb_param_index(p->params, name);
        cr_assert(eq(int, cb_param_parse(&p->params[i], eqs + 1, false, &vals[i], why, sizeof why), CB_OK),
                  "%s: %s", name, why);
    }
    tf_host(2); /* configures the core's pool once */
    cb_host *h = cb_host_new("native");
    cb_instance inst;
    cr_assert(eq(int, cb_plugin_create(p, h, vals, &inst, e), CB_OK), "%s", e->msg);
    tf_graph g;
    tf_lenet5(&g);
    cb_tensor out[10];
    static float room[10][48000];
    uint8_t fresh[10] = {0};
    cb_train_job job = {sizeof job, &g.g, NULL, 10, out, fresh, on_progress, c};
    cb_shape s[10] = {{6, 1, 1, 5, 5}, {6, 1, 1, 1, 1}, {16, 6, 1, 5, 5}, {16, 1, 1, 1, 1},
                      {120, 400, 1, 1, 1}, {120, 1, 1, 1, 1}, {84, 120, 1, 1, 1}, {84, 1, 1, 1, 1},
                      {10, 84, 1, 1, 1}, {10, 1, 1, 1, 1}};
    for (int i = 0; i < 10; i++)
        out[i] = (cb_tensor){s[i], room[i]};
    int rc = ((const cb_trainer_vt *)p->vtable)->train(inst.self, &job, r, e);
    if (w0)
        memcpy(w0, room[0], 150 * sizeof(float));
    cb_instance_destroy(&inst);
    cb_host_free(h);
    cb_registry_free(&reg);
    return rc;
}

Test(train_std, lenet5_learns_fashion_mnist)
{
    cb_train_result r;
    curve c = {0};
    cb_error e = {0};
    /* 540 training images, batch 16: 34 steps an epoch, 272 steps in all */
    const char *set[] = {"train_subset=600", "test_subset=500", "batch=16", "epochs=8",
                         "optimizer=adam", "lr=0.002", NULL};
    cr_assert(eq(int, train_lenet(set, &r, &c, NULL, &e), CB_OK), "%s", e.msg);
    cr_assert(gt(dbl, r.accuracy, 0.6), "test accuracy %g after 272 steps", r.accuracy);
    cr_assert(lt(dbl, c.last, 0.5 * c.first), "loss %g -> %g", c.first, c.last);
    cr_assert(eq(int, r.epochs, 8));
}

Test(train_std, lenet5_is_deterministic)
{
    float w[2][150];
    cb_train_result r[2];
    for (int k = 0; k < 2; k++) {
        curve c = {0};
        cb_error e = {0};
        const char *set[] = {"train_subset=300", "test_subset=100", "batch=32", "epochs=1",
                             "threads=2", "augment=true", "crop_pad=2", "seed=5", NULL};
        cr_assert(eq(int, train_lenet(set, &r[k], &c, w[k], &e), CB_OK), "%s", e.msg);
    }
    cr_assert(eq(int, memcmp(w[0], w[1], sizeof w[0]), 0));
    cr_assert(eq(dbl, r[0].accuracy, r[1].accuracy));
}
