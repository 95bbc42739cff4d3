/* tests/unit/train_fixture.c: see train_fixture.h. The ops here are deliberately naive loops
 * in double precision: they are the reference the engine is checked against, not fast code. */
#include "train_fixture.h"

#include "host/host.h"
#include "plugin/param.h"
#include "test_util.h"

#include <codebench/rng.h>
#include <codebench/sdk.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int64_t feat(cb_shape s)
{
    return (int64_t)s.c * s.d * s.h * s.w;
}

static cb_shape vec(int32_t n, int32_t c)
{
    return (cb_shape){n, c, 1, 1, 1};
}

/* ---- dense ---- */
static const cb_param dense_attrs[] = {
    {"units", CB_T_INT, "8", 1, 4096, NULL, "", "outputs", CB_P_SPACE},
    {NULL, 0, NULL, 0, 0, NULL, NULL, NULL, 0},
};

static int dense_infer(const cb_value *a, int n_in, const cb_shape *in, cb_shape *out, cb_error *e)
{
    *out = vec(in[0].n, (int32_t)a[0].i);
    return CB_OK;
}

static int dense_weights(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                         cb_weight *w, int max)
{
    int64_t f = feat(in[0]);
    w[0] = (cb_weight){"weight", vec((int32_t)a[0].i, (int32_t)f), CB_INIT_KAIMING_UNIFORM, 1, f};
    w[1] = (cb_weight){"bias", vec((int32_t)a[0].i, 1), CB_INIT_FANIN_UNIFORM, 1, f};
    return 2;
}

static int dense_forward(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in,
                         const cb_tensor *w, int n_w, cb_tensor *out)
{
    int64_t f = feat(in[0].shape), u = a[0].i;
    for (int32_t b = 0; b < in[0].shape.n; b++)
        for (int64_t o = 0; o < u; o++) {
            double s = w[1].data[o];
            for (int64_t k = 0; k < f; k++)
                s += (double)w[0].data[o * f + k] * in[0].data[b * f + k];
            out->data[b * u + o] = (float)s;
        }
    return CB_OK;
}

static int dense_backward(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in,
                          const cb_tensor *out, const cb_tensor *w, int n_w,
                          const cb_tensor *dout, cb_tensor *din, cb_tensor *dw)
{
    int64_t f = feat(in[0].shape), u = a[0].i;
    for (int32_t b = 0; b < in[0].shape.n; b++)
        for (int64_t o = 0; o < u; o++) {
            float g = dout->data[b * u + o];
            if (dw[1].data)
                dw[1].data[o] += g;
            for (int64_t k = 0; k < f; k++) {
                if (dw[0].data)
                    dw[0].data[o * f + k] += g * in[0].data[b * f + k];
                if (din[0].data)
                    din[0].data[b * f + k] += g * w[0].data[o * f + k];
            }
        }
    return CB_OK;
}

const cb_op_vt tf_dense = {sizeof(cb_op_vt), dense_attrs, 5, 1, 1, dense_infer, NULL, NULL,
                           dense_weights, NULL, NULL, dense_forward, dense_backward};

/* ---- tanh ---- */
static int same_infer(const cb_value *a, int n_in, const cb_shape *in, cb_shape *out, cb_error *e)
{
    for (int j = 1; j < n_in; j++)
        if (feat(in[j]) != feat(in[0]))
            return cb_error_set(e, CB_EINVAL, NULL, "inputs differ");
    *out = in[0];
    return CB_OK;
}

static int tanh_forward(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in,
                        const cb_tensor *w, int n_w, cb_tensor *out)
{
    for (int64_t k = 0; k < cb_shape_numel(in[0].shape); k++)
        out->data[k] = tanhf(in[0].data[k]);
    return CB_OK;
}

static int tanh_backward(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in,
                         const cb_tensor *out, const cb_tensor *w, int n_w, const cb_tensor *dout,
                         cb_tensor *din, cb_tensor *dw)
{
    for (int64_t k = 0; din[0].data && k < cb_shape_numel(in[0].shape); k++)
        din[0].data[k] += dout->data[k] * (1.0f - out->data[k] * out->data[k]);
    return CB_OK;
}

const cb_op_vt tf_tanh = {sizeof(cb_op_vt), NULL, 1, 1, 1, same_infer, NULL, NULL, NULL, NULL,
                          NULL, tanh_forward, tanh_backward};

/* ---- add ---- */
static int add_forward(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in,
                       const cb_tensor *w, int n_w, cb_tensor *out)
{
    for (int64_t k = 0; k < cb_shape_numel(in[0].shape); k++)
        out->data[k] = in[0].data[k] + in[1].data[k];
    return CB_OK;
}

static int add_backward(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in,
                        const cb_tensor *out, const cb_tensor *w, int n_w, const cb_tensor *dout,
                        cb_tensor *din, cb_tensor *dw)
{
    for (int j = 0; j < 2; j++)
        for (int64_t k = 0; din[j].data && k < cb_shape_numel(in[0].shape); k++)
            din[j].data[k] += dout->data[k];
    return CB_OK;
}

const cb_op_vt tf_add = {sizeof(cb_op_vt), NULL, 1, 2, 2, same_infer, NULL, NULL, NULL, NULL,
                         NULL, add_forward, add_backward};

/* ---- runmean: a buffer that training forward updates, like batch-norm statistics ---- */
static int rm_weights(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                      cb_weight *w, int max)
{
    w[0] = (cb_weight){"running_mean", vec((int32_t)feat(in[0]), 1), CB_INIT_ZERO, 0, 1};
    return 1;
}

static int rm_forward(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in,
                      const cb_tensor *w, int n_w, cb_tensor *out)
{
    int64_t f = feat(in[0].shape), n = in[0].shape.n;
    for (int64_t k = 0; k < f; k++) {
        double m = 0;
        for (int64_t b = 0; b < n; b++)
            m += in[0].data[b * f + k];
        if (c->training)
            w[0].data[k] = 0.9f * w[0].data[k] + 0.1f * (float)(m / (double)n);
        for (int64_t b = 0; b < n; b++)
            out->data[b * f + k] = in[0].data[b * f + k] - (c->training ? 0.0f : w[0].data[k]);
    }
    return CB_OK;
}

static int rm_backward(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in,
                       const cb_tensor *out, const cb_tensor *w, int n_w, const cb_tensor *dout,
                       cb_tensor *din, cb_tensor *dw)
{
    for (int64_t k = 0; din[0].data && k < cb_shape_numel(in[0].shape); k++)
        din[0].data[k] += dout->data[k];
    return CB_OK;
}

const cb_op_vt tf_runmean = {sizeof(cb_op_vt), NULL, 1, 1, 1, same_infer, NULL, NULL, rm_weights,
                             NULL, NULL, rm_forward, rm_backward};

/* ---- graphs ---- */
void tf_graph_init(tf_graph *t, cb_shape input, int32_t classes)
{
    memset(t, 0, sizeof *t);
    t->g.size = sizeof t->g;
    t->g.nodes = t->nodes;
    t->g.input = input;
    t->g.input.n = 1;
    t->g.classes = classes;
    snprintf(t->g.hash, sizeof t->g.hash, "test");
    t->g.name = "test";
}

int tf_add_node(tf_graph *t, const char *op, const cb_op_vt *vt, const cb_value *attrs,
                int n_attrs, int n_in, const int32_t *in)
{
    int i = t->g.n_nodes;
    cr_assert(i < 64 && n_in <= 4 && n_attrs <= 16);
    cb_node *nd = &t->nodes[i];
    memcpy(t->ins[i], in, (size_t)n_in * sizeof *in);
    if (n_attrs)
        memcpy(t->attrs[i], attrs, (size_t)n_attrs * sizeof *attrs);
    cb_shape shapes[4];
    for (int j = 0; j < n_in; j++)
        shapes[j] = in[j] == CB_NET_INPUT ? t->g.input : t->nodes[in[j]].out;
    *nd = (cb_node){op, vt, t->attrs[i], n_in, t->ins[i], {0}, -1};
    cb_error e = {0};
    cr_assert(eq(int, vt->infer(nd->attrs, n_in, shapes, &nd->out, &e), CB_OK),
              "%s does not infer: %s", op, e.msg);
    t->g.n_nodes++;
    return i;
}

void tf_small_net(tf_graph *t)
{
    tf_graph_init(t, (cb_shape){1, 1, 1, 4, 4}, 3);
    cb_value u8 = {.i = 8}, u3 = {.i = 3};
    int32_t x = CB_NET_INPUT;
    int32_t d0 = tf_add_node(t, "dense", &tf_dense, &u8, 1, 1, &x);
    int32_t t1 = tf_add_node(t, "tanh", &tf_tanh, NULL, 0, 1, &d0);
    int32_t d2 = tf_add_node(t, "dense", &tf_dense, &u8, 1, 1, &t1);
    int32_t t3 = tf_add_node(t, "tanh", &tf_tanh, NULL, 0, 1, &d2);
    int32_t a4 = tf_add_node(t, "add", &tf_add, NULL, 0, 2, (int32_t[]){t1, t3});
    int32_t r5 = tf_add_node(t, "runmean", &tf_runmean, NULL, 0, 1, &a4);
    tf_add_node(t, "dense", &tf_dense, &u3, 1, 1, &r5);
}

const cb_host *tf_host(int threads)
{
    /* configured once per test process: resizing the core's pool under a live host is not
     * something a run does, so the tests do not either */
    static cb_host *h;
    if (!h) {
        cb_host_configure(7, threads, CB_LOG_WARN);
        h = cb_host_new("native");
    }
    return h;
}

static const cb_pack *std_pack(void)
{
    static const cb_pack *pack;
    static int tried;
    if (!tried) {
        tried = 1;
        char *path = cb_test_path("plugins/ops/std.so");
        void *dl = access(path, R_OK) == 0 ? dlopen(path, RTLD_NOW | RTLD_LOCAL) : NULL;
        cb_entry_fn entry = dl ? (cb_entry_fn)(uintptr_t)dlsym(dl, CB_ENTRY) : NULL;
        pack = entry ? entry() : NULL;
        free(path);
    }
    return pack;
}

static const cb_plugin *std_plugin(const char *name)
{
    const cb_pack *p = std_pack();
    if (!p)
        cr_skip_test("build/plugins/ops/std.so is not built yet");
    for (int i = 0; p->plugins[i]; i++)
        if (p->plugins[i]->kind == CB_KIND_OP && !strcmp(p->plugins[i]->name, name))
            return p->plugins[i];
    cr_fatal("the std op pack has no op '%s'", name);
    return NULL;
}

const cb_op_vt *tf_std_op(const char *name)
{
    return std_plugin(name)->vtable;
}

int tf_std_node(tf_graph *t, const char *op, const char *attrs, int n_in, const int32_t *in)
{
    const cb_op_vt *vt = tf_std_op(op);
    cb_value vals[16];
    char why[256], copy[512], *save = NULL;
    int n = cb_param_count(vt->attrs);
    cr_assert(le(int, n, 16));
    cr_assert(eq(int, cb_param_defaults(vt->attrs, vals, why, sizeof why), CB_OK), "%s", why);
    snprintf(copy, sizeof copy, "%s", attrs ? attrs : "");
    for (char *tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        char *eqs = strchr(tok, '=');
        cr_assert(ne(ptr, eqs, NULL), "%s: '%s' is not name=value", op, tok);
        *eqs = '\0';
        int k = cb_param_index(vt->attrs, tok);
        cr_assert(ge(int, k, 0), "%s has no attribute %s", op, tok);
        cr_assert(eq(int, cb_param_parse(&vt->attrs[k], eqs + 1, false, &vals[k], why, sizeof why), CB_OK),
                  "%s.%s: %s", op, tok, why);
    }
    return tf_add_node(t, op, vt, vals, n, n_in, in);
}

void tf_lenet5(tf_graph *t)
{
    tf_graph_init(t, (cb_shape){1, 1, 1, 28, 28}, 10);
    snprintf(t->g.hash, sizeof t->g.hash, "lenet5");
    t->g.name = "lenet5";
    int32_t x = CB_NET_INPUT;
    int32_t v = tf_std_node(t, "conv2d", "channels=6 kernel=5 padding=2 batchnorm=false bias=true", 1, &x);
    v = tf_std_node(t, "maxpool", "kernel=3 stride=2 padding=1", 1, &v);
    v = tf_std_node(t, "conv2d", "channels=16 kernel=5 padding=0 batchnorm=false bias=true", 1, &v);
    v = tf_std_node(t, "maxpool", "kernel=3 stride=2 padding=1", 1, &v);
    v = tf_std_node(t, "flatten", NULL, 1, &v);
    v = tf_std_node(t, "dense", "units=120", 1, &v);
    v = tf_std_node(t, "dense", "units=84", 1, &v);
    tf_std_node(t, "dense", "classes=10", 1, &v);
}

void tf_vgg_bn(tf_graph *t, int c, int s, int w)
{
    tf_graph_init(t, (cb_shape){1, c, 1, s, s}, 10);
    snprintf(t->g.hash, sizeof t->g.hash, "vgg-bn-%d", w);
    t->g.name = "vgg_bn";
    char a[96];
    int32_t v = CB_NET_INPUT;
    for (int block = 0; block < 2; block++) {
        snprintf(a, sizeof a, "channels=%d kernel=3", w << block);
        v = tf_std_node(t, "conv2d", a, 1, &v);
        v = tf_std_node(t, "conv2d", a, 1, &v);
        v = tf_std_node(t, "maxpool", "kernel=3 stride=2 padding=1", 1, &v);
    }
    v = tf_std_node(t, "global_avgpool", NULL, 1, &v);
    tf_std_node(t, "dense", "classes=10", 1, &v);
}

void tf_fill(float *x, int64_t n, uint64_t seed)
{
    cb_rng r;
    cb_rng_seed(&r, seed);
    for (int64_t k = 0; k < n; k++)
        x[k] = (float)(2.0 * cb_rng_unit(&r) - 1.0);
}
