/* tests/unit/train_native.c: the "native" trainer plugin, loaded from its .so and created
 * through the core's libffi binding as a manifest would, training a small MLP (ops from the
 * test fixture) on a few hundred Fashion-MNIST images: accuracy well above chance, progress
 * reports, determinism, exact checkpoint resume, early stopping, weights handed back, and the
 * errors a user meets first (wrong data path, a graph that does not fit the images). */
#include "host/host.h"
#include "plugin/bind.h"
#include "plugin/param.h"
#include "plugin/registry.h"
#include "test_util.h"
#include "train_fixture.h"

#include <codebench/sdk.h>
#include <codebench/trainer.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct trainer {
    cb_registry reg;
    cb_host *host;
    cb_instance inst;
    const cb_trainer_vt *vt;
} trainer;

/* Creates the trainer with its defaults, then "name=value" overrides (NULL-terminated). */
static void open_trainer(trainer *t, const char *const *set)
{
    cb_error e = {0};
    cb_registry_init(&t->reg);
    char *path = cb_test_path("plugins/trainers/native.so");
    cr_assert(eq(int, cb_registry_load_file(&t->reg, path, &e), CB_OK), "%s", e.msg);
    free(path);
    const cb_entry *en = cb_registry_find(&t->reg, CB_KIND_TRAINER, "native", &e);
    cr_assert(ne(ptr, (void *)en, NULL), "%s", e.msg);
    const cb_plugin *p = en->plugin;
    cb_value vals[64];
    char why[256];
    cr_assert(eq(int, cb_param_defaults(p->params, vals, why, sizeof why), CB_OK), "%s", why);
    for (int k = 0; set && set[k]; k++) {
        char name[64];
        const char *eqs = strchr(set[k], '=');
        snprintf(name, sizeof name, "%.*s", (int)(eqs - set[k]), set[k]);
        int i = cb_param_index(p->params, name);
        cr_assert(ge(int, i, 0), "no parameter %s", name);
        cr_assert(eq(int, cb_param_parse(&p->params[i], eqs + 1, p->params[i].type == CB_T_STR,
                                         &vals[i], why, sizeof why), CB_OK), "%s: %s", name, why);
    }
    static int configured; /* once per process: see tf_host */
    if (!configured++)
        cb_host_configure(5, 2, CB_LOG_WARN);
    t->host = cb_host_new(p->name);
    cr_assert(eq(int, cb_plugin_create(p, t->host, vals, &t->inst, &e), CB_OK), "%s", e.msg);
    t->vt = p->vtable;
}

static void close_trainer(trainer *t)
{
    cb_instance_destroy(&t->inst);
    cb_host_free(t->host);
    cb_registry_free(&t->reg);
}

/* 784 -> dense 32 -> tanh -> dense 10 */
static void mlp(tf_graph *g)
{
    tf_graph_init(g, (cb_shape){1, 1, 1, 28, 28}, 10);
    snprintf(g->g.hash, sizeof g->g.hash, "mlp-test");
    cb_value u32 = {.i = 32}, u10 = {.i = 10};
    int32_t x = CB_NET_INPUT;
    int32_t d0 = tf_add_node(g, "dense", &tf_dense, &u32, 1, 1, &x);
    int32_t t1 = tf_add_node(g, "tanh", &tf_tanh, NULL, 0, 1, &d0);
    tf_add_node(g, "dense", &tf_dense, &u10, 1, 1, &t1);
}

typedef struct seen {
    int calls;
    double first_loss, last_loss, last_val;
    int last_epoch;
} seen;

static void on_progress(void *ctx, const cb_train_progress *p)
{
    seen *s = ctx;
    if (s->calls++ == 0)
        s->first_loss = p->loss;
    s->last_loss = p->loss;
    s->last_val = p->val_accuracy;
    s->last_epoch = p->epoch;
}

#define SMALL "train_subset=600", "test_subset=500", "batch=32", "optimizer=adam", "lr=0.003"

/* Weights out: room for every tensor (805 x 32 + 32 + 32 x 10 + 10 floats). */
typedef struct weights {
    cb_tensor t[4];
    float data[4][784 * 32];
} weights;

static void room(weights *w, const tf_graph *g)
{
    cb_shape s[4] = {{32, 784, 1, 1, 1}, {32, 1, 1, 1, 1}, {10, 32, 1, 1, 1}, {10, 1, 1, 1, 1}};
    for (int i = 0; i < 4; i++)
        w->t[i] = (cb_tensor){s[i], w->data[i]};
    (void)g;
}

static int run(trainer *t, const tf_graph *g, weights *w, seen *s, cb_train_result *r, cb_error *e)
{
    static const uint8_t fresh[4] = {0}; /* the slots are for output only: nothing transferred */
    cb_train_job job = {sizeof job, &g->g, NULL, w ? 4 : 0, w ? w->t : NULL, fresh,
                        s ? on_progress : NULL, s};
    return t->vt->train(t->inst.self, &job, r, e);
}

Test(train_native, learns_fashion_mnist_subset)
{
    trainer t;
    open_trainer(&t, (const char *[]){SMALL, "epochs=3", NULL});
    tf_graph g;
    mlp(&g);
    weights w;
    room(&w, &g);
    memset(w.data, 0, sizeof w.data);
    seen s = {0};
    cb_train_result r;
    cb_error e = {0};
    cr_assert(eq(int, run(&t, &g, &w, &s, &r, &e), CB_OK), "%s", e.msg);
    cr_assert(gt(dbl, r.accuracy, 0.6), "test accuracy %g", r.accuracy); /* chance is 0.1 */
    cr_assert(gt(dbl, r.val_accuracy, 0.5));
    cr_assert(eq(int, r.epochs, 3));
    cr_assert(gt(dbl, r.images_per_s, 0));
    cr_assert(gt(int, s.calls, 3));
    cr_assert(lt(dbl, s.last_loss, 0.8 * s.first_loss), "loss %g -> %g", s.first_loss, s.last_loss);
    cr_assert(eq(int, s.last_epoch, 3));
    cr_assert(ge(dbl, s.last_val, 0));
    double sum = 0;
    for (int k = 0; k < 784 * 32; k++)
        sum += fabs(w.data[0][k]);
    cr_assert(gt(dbl, sum, 0), "no weights handed back");
    close_trainer(&t);
}

Test(train_native, same_seed_same_weights)
{
    tf_graph g;
    mlp(&g);
    static weights w[2];
    double acc[2];
    for (int k = 0; k < 2; k++) {
        trainer t;
        open_trainer(&t, (const char *[]){SMALL, "epochs=1", "augment=true", "seed=9", NULL});
        room(&w[k], &g);
        cb_train_result r;
        cb_error e = {0};
        cr_assert(eq(int, run(&t, &g, &w[k], NULL, &r, &e), CB_OK), "%s", e.msg);
        acc[k] = r.accuracy;
        close_trainer(&t);
    }
    cr_assert(eq(int, memcmp(w[0].data, w[1].data, sizeof w[0].data), 0));
    cr_assert(eq(dbl, acc[0], acc[1]));
}

Test(train_native, checkpoint_resume_is_exact)
{
    char dir[64];
    snprintf(dir, sizeof dir, "checkpoint_dir=/tmp/cb_native_%ld", (long)getpid());
    tf_graph g;
    mlp(&g);
    static weights straight, resumed;
    cb_train_result r;
    cb_error e = {0};
    trainer t;
    open_trainer(&t, (const char *[]){SMALL, "schedule=constant", "epochs=3", NULL});
    room(&straight, &g);
    cr_assert(eq(int, run(&t, &g, &straight, NULL, &r, &e), CB_OK), "%s", e.msg);
    close_trainer(&t);
    open_trainer(&t, (const char *[]){SMALL, "schedule=constant", "epochs=2", dir, NULL});
    cr_assert(eq(int, run(&t, &g, NULL, NULL, &r, &e), CB_OK), "%s", e.msg);
    close_trainer(&t);
    open_trainer(&t, (const char *[]){SMALL, "schedule=constant", "epochs=3", dir, NULL});
    room(&resumed, &g);
    seen s = {0};
    cr_assert(eq(int, run(&t, &g, &resumed, &s, &r, &e), CB_OK), "%s", e.msg);
    close_trainer(&t);
    cr_assert(eq(int, r.epochs, 3));
    cr_assert(gt(int, s.calls, 0)); /* it trained the third epoch, not all three */
    cr_assert(eq(int, memcmp(straight.data, resumed.data, sizeof straight.data), 0),
              "resumed training differs from straight training");
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", strchr(dir, '=') + 1);
    cr_assert(eq(int, system(cmd), 0));
}

Test(train_native, early_stopping)
{
    trainer t;
    /* a learning rate too small to change any prediction: validation never improves */
    open_trainer(&t, (const char *[]){SMALL, "lr=1e-7", "epochs=20", "early_stop_patience=2", NULL});
    tf_graph g;
    mlp(&g);
    cb_train_result r;
    cb_error e = {0};
    cr_assert(eq(int, run(&t, &g, NULL, NULL, &r, &e), CB_OK), "%s", e.msg);
    cr_assert(eq(int, r.epochs, 3)); /* epoch 1 sets the best, 2 and 3 fail to beat it */
    close_trainer(&t);
}

Test(train_native, user_errors_are_named)
{
    trainer t;
    open_trainer(&t, (const char *[]){"data_path=/nonexistent/fmnist", NULL});
    tf_graph g;
    mlp(&g);
    cb_train_result r;
    cb_error e = {0};
    cr_assert(eq(int, run(&t, &g, NULL, NULL, &r, &e), CB_EINVAL));
    cr_assert(ne(ptr, strstr(e.msg, "/nonexistent/fmnist/train-images-idx3-ubyte"), NULL), "%s", e.msg);
    cr_assert(eq(str, e.plugin, "native"));
    close_trainer(&t);
    open_trainer(&t, (const char *[]){SMALL, NULL});
    tf_graph wrong;
    tf_graph_init(&wrong, (cb_shape){1, 3, 1, 32, 32}, 10);
    cb_value u10 = {.i = 10};
    int32_t x = CB_NET_INPUT;
    tf_add_node(&wrong, "dense", &tf_dense, &u10, 1, 1, &x);
    cr_assert(eq(int, run(&t, &wrong, NULL, NULL, &r, &e), CB_EINVAL));
    cr_assert(ne(ptr, strstr(e.msg, "takes 3x1x32x32"), NULL), "%s", e.msg);
    weights w;
    room(&w, &g);
    cb_train_job job = {sizeof job, &g.g, NULL, 3, w.t, NULL, NULL, NULL}; /* 3 of 4 tensors */
    cr_assert(eq(int, t.vt->train(t.inst.self, &job, &r, &e), CB_EINVAL));
    cr_assert(ne(ptr, strstr(e.msg, "3 weight tensors"), NULL), "%s", e.msg);
    close_trainer(&t);
}

Test(train_native, cancel_stops_between_steps)
{
    trainer t;
    open_trainer(&t, (const char *[]){SMALL, NULL});
    tf_graph g;
    mlp(&g);
    cb_train_result r;
    cb_error e = {0};
    cb_host_cancel();
    cr_assert(eq(int, run(&t, &g, NULL, NULL, &r, &e), CB_ECANCEL));
    close_trainer(&t);
}
