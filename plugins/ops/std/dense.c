/* dense.c: dense, a fully connected layer on the flattened image (c*d*h*w features) with a bias
 * and an activation (the seeds' dense-84/120/1024/4096-relu), or the classifier (the seeds'
 * dense_classes) when `classes` > 0: then `classes` outputs and no activation.
 * GEMMs: out[n][u] = x[n][f] W[u][f]^T; backward dW += g^T x, dx += g W (host->sgemm).
 * Weights: weight [units][features], bias [units]. */
#include "std_ops.h"

enum { A_UNITS, A_CLASSES, A_ACT };

static int units(const cb_value *a)
{
    return (int)(a[A_CLASSES].i > 0 ? a[A_CLASSES].i : a[A_UNITS].i);
}

static int act(const cb_value *a)
{
    return a[A_CLASSES].i > 0 ? CB_ACT_NONE : sop_act(a[A_ACT].e);
}

static int64_t features(const cb_shape *in)
{
    return (int64_t)in->c * in->d * in->h * in->w;
}

static sop_post post(const cb_value *a, const cb_shape *in)
{
    sop_post p = {in->n, units(a), 1, 1, 0, act(a), SOP_BN_EPS, SOP_BN_MOMENTUM};
    return p;
}

static int de_infer(const cb_value *a, int n_in, const cb_shape *in, cb_shape *out, cb_error *e)
{
    if (features(in) > INT32_MAX)
        return sop_shape_error(e, NULL, "dense", n_in, in, "more than 2^31 features per image");
    *out = (cb_shape){in->n, units(a), 1, 1, 1};
    return CB_OK;
}

static void de_count(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                     uint64_t *macs, uint64_t *params)
{
    uint64_t f = (uint64_t)features(in), u = (uint64_t)units(a);
    *macs = f * u;
    *params = f * u + u;
}

static int de_workload(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                       cb_workload *w, cb_error *e)
{
    sop_wl_init(w, CB_WL_CONV, 1, in, out); /* a 1x1 nest over one position */
    w->n_if = features(in);
    w->n_of = units(a);
    w->n_ix = w->n_iy = w->n_kx = w->n_ky = 1;
    w->activation = act(a);
    w->weight_elems = features(in) * units(a) + units(a);
    w->window = 1;
    return CB_OK;
}

static int de_weights(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                      cb_weight *w, int max)
{
    int64_t f = features(in);
    int at = 0;
    /* PyTorch nn.Linear's default init, as the seeds trained */
    if (at < max)
        w[at++] = sop_weight("weight", units(a), (int32_t)f, 1, 1, 1, CB_INIT_FANIN_UNIFORM, 1, f);
    if (at < max)
        w[at++] = sop_weight("bias", units(a), 1, 1, 1, 1, CB_INIT_FANIN_UNIFORM, 1, f);
    return at;
}

static size_t de_state(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out)
{
    sop_post p = post(a, in);
    return sop_post_state_floats(&p) * sizeof(float);
}

static size_t de_work(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out)
{
    sop_post p = post(a, in);
    return sop_post_work_floats(&p) * sizeof(float);
}

static int de_forward(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in,
                      const cb_tensor *w, int n_w, cb_tensor *out)
{
    if (n_w < 2)
        return CB_EINVAL;
    sop_post p = post(a, &in[0].shape);
    sop_post_w pw;
    sop_post_w_at(w, 1, 1, 0, &pw);
    int f = (int)features(&in[0].shape);
    float *lin = sop_post_lin(&p, c->state, out->data);
    c->host->sgemm(false, true, p.n, p.c, f, 1.0f, in[0].data, f, w[0].data, f, 0.0f, lin, p.c);
    sop_post_forward(c, &p, &pw, c->state, out->data);
    return CB_OK;
}

static int de_backward(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in,
                       const cb_tensor *out, const cb_tensor *w, int n_w, const cb_tensor *dout,
                       cb_tensor *din, cb_tensor *dw)
{
    if (n_w < 2)
        return CB_EINVAL;
    sop_post p = post(a, &in[0].shape);
    sop_post_w pw, pdw;
    sop_post_w_at(w, 1, 1, 0, &pw);
    sop_post_w_at(dw, 1, 1, 0, &pdw);
    int f = (int)features(&in[0].shape);
    const float *g = sop_post_backward(c, &p, &pw, &pdw, c->state, out->data, dout->data,
                                       c->workspace);
    if (dw && dw[0].data)
        c->host->sgemm(true, false, p.c, f, p.n, 1.0f, g, p.c, in[0].data, f, 1.0f, dw[0].data, f);
    if (din[0].data)
        c->host->sgemm(false, false, p.n, f, p.c, 1.0f, g, p.c, w[0].data, f, 1.0f, din[0].data, f);
    return CB_OK;
}

static const cb_param de_attrs[] = {
    {"units", CB_T_INT, "1024", SOP_NO_RANGE, CB_CHOICES("84", "120", "1024", "4096"), "",
     "output features of a hidden dense layer (the seeds' values)", CB_P_SPACE},
    {"classes", CB_T_INT, "0", 0, 1000000, NULL, "",
     "when > 0 this is the classifier: this many outputs and no activation (units ignored)", 0},
    {"activation", CB_T_ENUM, "relu", 0, 0, sop_act_choices, "", "activation of a hidden layer",
     CB_P_SPACE},
    {0}};

static const cb_op_vt de_vt = {
    .size = sizeof(cb_op_vt), .attrs = de_attrs, .cost_rank = 13, .min_inputs = 1,
    .max_inputs = 1, .infer = de_infer, .count = de_count, .workload = de_workload,
    .weights = de_weights, .state_size = de_state, .workspace_size = de_work,
    .forward = de_forward, .backward = de_backward};

const cb_plugin sop_dense = {
    .size = sizeof(cb_plugin), .kind = CB_KIND_OP, .name = "dense", .version = "1.0.0",
    .summary = "fully connected layer with bias and activation, or the classifier",
    .vtable = &de_vt};
