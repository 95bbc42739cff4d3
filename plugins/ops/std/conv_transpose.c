/* conv_transpose.c: conv_transpose2d, the transposed (fractionally strided) 2-D convolution,
 * followed like every convolution block by batch-norm and an activation.
 *
 * It is computed as the data gradient of the convolution G that maps its output back onto its
 * input (conv_stage.c), so it shares the im2col/GEMM kernels. Output size, as PyTorch:
 * (in - 1) * stride - 2 * padding + kernel + output_padding.
 * Weights: weight [cin][cout/groups][1][k][k] (PyTorch's layout), [bias], [batch-norm]. */
#include "std_ops.h"

#include <stdio.h>

enum {
    A_CHANNELS, A_KERNEL, A_STRIDE, A_PADDING, A_OUTPAD, A_GROUPS, A_ACT, A_BN, A_BIAS,
    A_OUT_CHANNELS
};

static int out_size(int in, const cb_value *a)
{
    return (in - 1) * (int)a[A_STRIDE].i - 2 * (int)a[A_PADDING].i + (int)a[A_KERNEL].i +
           (int)a[A_OUTPAD].i;
}

/* G: (channels, out_h, out_w) -> (in.c, in.h, in.w) */
static sop_geom geom(const cb_value *a, const cb_shape *in)
{
    int k = (int)a[A_KERNEL].i, s = (int)a[A_STRIDE].i, p = (int)a[A_PADDING].i;
    int cout = sop_channels(a[A_CHANNELS].i, a[A_OUT_CHANNELS].i);
    sop_geom g = {in->n, cout, in->c, sop_groups(a[A_GROUPS].e, in->c, cout),
                  1, out_size(in->h, a), out_size(in->w, a), 1, in->h, in->w,
                  1, k, k, 1, s, s, 0, p, p};
    return g;
}

static sop_stage stage(const cb_value *a, const cb_shape *in)
{
    sop_stage st = {geom(a, in), 1, {0}};
    sop_stage_init_post(&st, a[A_BIAS].b, a[A_BN].b, sop_act(a[A_ACT].e));
    return st;
}

static int ct_infer(const cb_value *a, int n_in, const cb_shape *in, cb_shape *out, cb_error *e)
{
    if (sop_need_2d(e, "conv_transpose2d", in))
        return CB_EINVAL;
    char what[160];
    if (a[A_OUTPAD].i >= a[A_STRIDE].i) {
        snprintf(what, sizeof what, "output_padding %lld must be smaller than stride %lld",
                 (long long)a[A_OUTPAD].i, (long long)a[A_STRIDE].i);
        return sop_shape_error(e, "output_padding", "conv_transpose2d", n_in, in, what);
    }
    sop_geom g = geom(a, in);
    if (g.h < 1 || g.w < 1) {
        snprintf(what, sizeof what, "padding %d leaves no output for kernel %d", g.ph, g.kh);
        return sop_shape_error(e, "padding", "conv_transpose2d", n_in, in, what);
    }
    *out = (cb_shape){in->n, g.cin, 1, g.h, g.w};
    return CB_OK;
}

static int64_t kernel_elems(const sop_geom *g)
{
    return (int64_t)g->cout * (g->cin / g->groups) * sop_geom_kvol(g);
}

static void ct_count(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                     uint64_t *macs, uint64_t *params)
{
    sop_geom g = geom(a, in);
    /* every input position scatters a k x k window into cout/groups channels */
    *macs = (uint64_t)(kernel_elems(&g) * sop_geom_p(&g));
    *params = (uint64_t)(kernel_elems(&g) + (a[A_BIAS].b ? g.cin : 0) + (a[A_BN].b ? 2 * g.cin : 0));
}

static int ct_workload(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                       cb_workload *w, cb_error *e)
{
    sop_geom g = geom(a, in);
    sop_wl_init(w, CB_WL_CONV, 1, in, out);
    /* the scatter form of the nest: loops over input positions, k x k taps per position */
    w->n_if = g.cout / g.groups;
    w->n_ix = g.ow;
    w->n_iy = g.oh;
    w->n_of = g.cin / g.groups;
    w->n_kx = g.kw;
    w->n_ky = g.kh;
    w->groups = g.groups;
    w->stride = g.sh;
    w->pad = g.ph;
    w->activation = sop_act(a[A_ACT].e);
    w->batchnorm = a[A_BN].b;
    w->weight_elems = kernel_elems(&g) + (a[A_BIAS].b ? g.cin : 0) + (a[A_BN].b ? 2 * g.cin : 0);
    w->window = g.kh * g.kw;
    return CB_OK;
}

static int ct_weights(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                      cb_weight *w, int max)
{
    sop_geom g = geom(a, in);
    int64_t fan_in = (int64_t)(g.cin / g.groups) * g.kh * g.kw; /* PyTorch: weight.size(1) k k */
    int at = 0;
    if (at < max)
        w[at++] = sop_weight("weight", g.cout, g.cin / g.groups, 1, g.kh, g.kw,
                             CB_INIT_FANIN_UNIFORM, 1, fan_in);
    if (a[A_BIAS].b && at < max)
        w[at++] = sop_weight("bias", g.cin, 1, 1, 1, 1, CB_INIT_FANIN_UNIFORM, 1, fan_in);
    return a[A_BN].b ? sop_bn_weights(w, at, max, "", g.cin) : at;
}

static size_t ct_state(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out)
{
    sop_stage st = stage(a, in);
    return sop_stage_state_floats(&st) * sizeof(float);
}

static size_t ct_work(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out)
{
    sop_stage st = stage(a, in);
    return sop_stage_work_floats(&st) * sizeof(float);
}

static int ct_forward(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in,
                      const cb_tensor *w, int n_w, cb_tensor *out)
{
    sop_stage st = stage(a, &in[0].shape);
    sop_post_w pw;
    if (sop_post_w_at(w, 1, a[A_BIAS].b, a[A_BN].b, &pw) > n_w)
        return CB_EINVAL;
    sop_stage_forward(c, &st, in[0].data, w[0].data, &pw, c->state, out->data);
    return CB_OK;
}

static int ct_backward(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in,
                       const cb_tensor *out, const cb_tensor *w, int n_w, const cb_tensor *dout,
                       cb_tensor *din, cb_tensor *dw)
{
    sop_stage st = stage(a, &in[0].shape);
    sop_post_w pw, pdw;
    if (sop_post_w_at(w, 1, a[A_BIAS].b, a[A_BN].b, &pw) > n_w)
        return CB_EINVAL;
    sop_post_w_at(dw, 1, a[A_BIAS].b, a[A_BN].b, &pdw);
    sop_stage_backward(c, &st, in[0].data, w[0].data, &pw, c->state, out->data, dout->data,
                       din[0].data, dw ? dw[0].data : NULL, &pdw, c->workspace);
    return CB_OK;
}

static const cb_param ct_attrs[] = {
    {"channels", CB_T_INT, "128", SOP_NO_RANGE, sop_channel_choices, "", "output channels",
     CB_P_SPACE},
    {"kernel", CB_T_INT, "2", SOP_NO_RANGE, CB_CHOICES("1", "2", "3", "4", "5", "7", "11"), "",
     "kernel size (k x k)", CB_P_SPACE},
    {"stride", CB_T_INT, "2", SOP_NO_RANGE, CB_CHOICES("1", "2", "4"), "", "stride (upsampling factor)",
     CB_P_SPACE},
    {"padding", CB_T_INT, "0", SOP_NO_RANGE, CB_CHOICES("0", "1", "2", "3"), "",
     "padding removed from each border of the output", CB_P_SPACE},
    {"output_padding", CB_T_INT, "0", 0, 3, NULL, "", "extra rows/columns at the bottom/right; < stride",
     0},
    {"groups", CB_T_ENUM, "1", 0, 0, sop_group_choices, "",
     "groups, or dw (one per input channel); lowered until they divide both channel counts",
     CB_P_SPACE},
    {"activation", CB_T_ENUM, "relu", 0, 0, sop_act_choices, "", "activation after batch-norm",
     CB_P_SPACE},
    {"batchnorm", CB_T_BOOL, "true", 0, 0, NULL, "", "batch-norm fused after the convolution", 0},
    {"bias", CB_T_BOOL, "false", 0, 0, NULL, "", "a bias per output channel", 0},
    SOP_OUT_CHANNELS_ATTR,
    {0}};

static const cb_op_vt ct_vt = {
    .size = sizeof(cb_op_vt), .attrs = ct_attrs, .cost_rank = 16, .min_inputs = 1,
    .max_inputs = 1, .infer = ct_infer, .count = ct_count, .workload = ct_workload,
    .weights = ct_weights, .state_size = ct_state, .workspace_size = ct_work,
    .forward = ct_forward, .backward = ct_backward};

const cb_plugin sop_conv_transpose2d = {
    .size = sizeof(cb_plugin), .kind = CB_KIND_OP, .name = "conv_transpose2d", .version = "1.0.0",
    .summary = "transposed 2-D convolution (learned upsampling), batch-norm and activation",
    .vtable = &ct_vt};
