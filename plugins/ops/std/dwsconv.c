/* dwsconv.c: dwsconv2d, the depth-wise separable convolution (MobileNet): a k x k depth-wise
 * convolution, batch-norm, activation, then a 1x1 point-wise convolution to `channels`,
 * batch-norm, activation. Two conv stages (conv_stage.c) in one vertex.
 *
 * Weights: dw_weight [c][1][1][k][k], dw_gamma, dw_beta, dw_running_mean, dw_running_var,
 * pw_weight [channels][c][1][1][1], pw_gamma, pw_beta, pw_running_mean, pw_running_var
 * (the batch-norm ones only when `batchnorm`).
 * State: [stage 1 state][stage 1 output, the point-wise input][stage 2 state].
 * Workspace: [d loss / d stage 1 output][the larger stage's scratch]. */
#include "std_ops.h"

#include <stdio.h>
#include <string.h>

enum { A_CHANNELS, A_KERNEL, A_STRIDE, A_PADDING, A_ACT, A_BN, A_OUT_CHANNELS };

typedef struct dws {
    sop_stage dw, pw;
    size_t mid; /* floats of the stage 1 output */
} dws;

static dws make(const cb_value *a, const cb_shape *in)
{
    int k = (int)a[A_KERNEL].i, s = (int)a[A_STRIDE].i, p = sop_pad(a[A_PADDING].e, k);
    int c = in->c, oh = sop_conv_out(in->h, k, s, p), ow = sop_conv_out(in->w, k, s, p);
    int act = sop_act(a[A_ACT].e), bn = a[A_BN].b;
    dws d;
    memset(&d, 0, sizeof d);
    d.dw.g = (sop_geom){in->n, c, c, c, 1, in->h, in->w, 1, oh, ow, 1, k, k, 1, s, s, 0, p, p};
    d.pw.g = (sop_geom){in->n, c, sop_channels(a[A_CHANNELS].i, a[A_OUT_CHANNELS].i), 1, 1, oh, ow, 1, oh, ow,
                        1, 1, 1, 1, 1, 1, 0, 0, 0};
    sop_stage_init_post(&d.dw, 0, bn, act);
    sop_stage_init_post(&d.pw, 0, bn, act);
    d.mid = (size_t)in->n * c * (size_t)(oh > 0 ? oh : 0) * (size_t)(ow > 0 ? ow : 0);
    return d;
}

static int dws_infer(const cb_value *a, int n_in, const cb_shape *in, cb_shape *out, cb_error *e)
{
    if (sop_need_2d(e, "dwsconv2d", in))
        return CB_EINVAL;
    dws d = make(a, in);
    if (d.dw.g.oh < 1 || d.dw.g.ow < 1) {
        char what[160];
        snprintf(what, sizeof what, "kernel %d with stride %d and padding %d does not fit the input",
                 d.dw.g.kh, d.dw.g.sh, d.dw.g.ph);
        return sop_shape_error(e, "kernel", "dwsconv2d", n_in, in, what);
    }
    *out = (cb_shape){in->n, d.pw.g.cout, 1, d.dw.g.oh, d.dw.g.ow};
    return CB_OK;
}

static void dws_count(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                      uint64_t *macs, uint64_t *params)
{
    dws d = make(a, in);
    int64_t c = d.dw.g.cin, co = d.pw.g.cout, kk = sop_geom_kvol(&d.dw.g), p = sop_geom_p(&d.dw.g);
    *macs = (uint64_t)((c * kk + co * c) * p);
    *params = (uint64_t)(c * kk + co * c + (a[A_BN].b ? 2 * (c + co) : 0));
}

static int dws_workload(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                        cb_workload *w, cb_error *e)
{
    dws d = make(a, in);
    int64_t c = d.dw.g.cin, co = d.pw.g.cout;
    sop_wl_init(w, CB_WL_CONV, 1, in, out);
    w->n_if = 1;
    w->n_of = 1;
    w->groups = c;
    w->n_ix = d.dw.g.ow;
    w->n_iy = d.dw.g.oh;
    w->n_kx = d.dw.g.kw;
    w->n_ky = d.dw.g.kh;
    w->stride = d.dw.g.sh;
    w->pad = d.dw.g.ph;
    w->activation = sop_act(a[A_ACT].e);
    w->batchnorm = a[A_BN].b;
    w->pw_of = co;
    w->weight_elems = c * sop_geom_kvol(&d.dw.g) + co * c + (a[A_BN].b ? 2 * (c + co) : 0);
    w->window = (int32_t)sop_geom_kvol(&d.dw.g);
    return CB_OK;
}

static int dws_weights(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                       cb_weight *w, int max)
{
    dws d = make(a, in);
    int c = d.dw.g.cin, co = d.pw.g.cout, k = d.dw.g.kh, at = 0;
    if (at < max)
        w[at++] = sop_weight("dw_weight", c, 1, 1, k, k, CB_INIT_FANIN_UNIFORM, 1, (int64_t)k * k);
    if (a[A_BN].b)
        at = sop_bn_weights(w, at, max, "dw_", c);
    if (at < max)
        w[at++] = sop_weight("pw_weight", co, c, 1, 1, 1, CB_INIT_FANIN_UNIFORM, 1, c);
    if (a[A_BN].b)
        at = sop_bn_weights(w, at, max, "pw_", co);
    return at;
}

static size_t dws_state(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out)
{
    dws d = make(a, in);
    return (sop_stage_state_floats(&d.dw) + d.mid + sop_stage_state_floats(&d.pw)) * sizeof(float);
}

static size_t dws_work(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out)
{
    dws d = make(a, in);
    size_t w1 = sop_stage_work_floats(&d.dw), w2 = sop_stage_work_floats(&d.pw);
    return (d.mid + (w1 > w2 ? w1 : w2)) * sizeof(float);
}

/* Weight tensors of both stages: [dw weight][dw tail][pw weight][pw tail]. */
static int split(const cb_tensor *t, int bn, const float **w1, sop_post_w *p1, const float **w2,
                 sop_post_w *p2)
{
    *w1 = t ? t[0].data : NULL;
    int at = sop_post_w_at(t, 1, 0, bn, p1);
    *w2 = t ? t[at].data : NULL;
    return sop_post_w_at(t, at + 1, 0, bn, p2);
}

static int dws_forward(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in,
                       const cb_tensor *w, int n_w, cb_tensor *out)
{
    dws d = make(a, &in[0].shape);
    const float *w1, *w2;
    sop_post_w p1, p2;
    if (split(w, a[A_BN].b, &w1, &p1, &w2, &p2) > n_w)
        return CB_EINVAL;
    float *s1 = c->state, *mid = s1 + sop_stage_state_floats(&d.dw), *s2 = mid + d.mid;
    sop_stage_forward(c, &d.dw, in[0].data, w1, &p1, s1, mid);
    sop_stage_forward(c, &d.pw, mid, w2, &p2, s2, out->data);
    return CB_OK;
}

static int dws_backward(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in,
                        const cb_tensor *out, const cb_tensor *w, int n_w, const cb_tensor *dout,
                        cb_tensor *din, cb_tensor *dw)
{
    dws d = make(a, &in[0].shape);
    const float *w1, *w2, *g1 = NULL, *g2 = NULL;
    sop_post_w p1, p2, q1, q2;
    if (split(w, a[A_BN].b, &w1, &p1, &w2, &p2) > n_w)
        return CB_EINVAL;
    if (dw)
        split(dw, a[A_BN].b, &g1, &q1, &g2, &q2);
    else
        memset(&q1, 0, sizeof q1), memset(&q2, 0, sizeof q2);
    float *s1 = c->state, *mid = s1 + sop_stage_state_floats(&d.dw), *s2 = mid + d.mid;
    float *dmid = c->workspace, *work = dmid + d.mid;
    memset(dmid, 0, d.mid * sizeof *dmid);
    sop_stage_backward(c, &d.pw, mid, w2, &p2, s2, out->data, dout->data, dmid, (float *)g2, &q2,
                       work);
    sop_stage_backward(c, &d.dw, in[0].data, w1, &p1, s1, mid, dmid, din[0].data, (float *)g1, &q1,
                       work);
    return CB_OK;
}

static const cb_param dws_attrs[] = {
    {"channels", CB_T_INT, "128", SOP_NO_RANGE, sop_channel_choices, "",
     "output channels of the point-wise stage", CB_P_SPACE},
    {"kernel", CB_T_INT, "3", SOP_NO_RANGE, CB_CHOICES("1", "3", "5", "7", "11"), "",
     "depth-wise kernel size (k x k)", CB_P_SPACE},
    {"stride", CB_T_INT, "1", SOP_NO_RANGE, CB_CHOICES("1", "2", "4"), "", "depth-wise stride",
     CB_P_SPACE},
    {"padding", CB_T_ENUM, "same", 0, 0, sop_pad_choices, "", "depth-wise zero padding",
     CB_P_SPACE},
    {"activation", CB_T_ENUM, "relu", 0, 0, sop_act_choices, "", "activation after each stage",
     CB_P_SPACE},
    {"batchnorm", CB_T_BOOL, "true", 0, 0, NULL, "", "batch-norm after each stage", 0},
    SOP_OUT_CHANNELS_ATTR,
    {0}};

static const cb_op_vt dws_vt = {
    .size = sizeof(cb_op_vt), .attrs = dws_attrs, .cost_rank = 14, .min_inputs = 1,
    .max_inputs = 1, .infer = dws_infer, .count = dws_count, .workload = dws_workload,
    .weights = dws_weights, .state_size = dws_state, .workspace_size = dws_work,
    .forward = dws_forward, .backward = dws_backward};

const cb_plugin sop_dwsconv2d = {
    .size = sizeof(cb_plugin), .kind = CB_KIND_OP, .name = "dwsconv2d", .version = "1.0.0",
    .summary = "depth-wise separable convolution: k x k depth-wise then 1x1 point-wise, each "
               "with batch-norm and activation",
    .vtable = &dws_vt};
