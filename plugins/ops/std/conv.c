/* conv.c: the convolution family with one stage: conv2d and conv3d (the seeds' convolution
 * block: convolution without bias, batch-norm, activation), sharing one implementation that
 * differs only in whether the depth axis is convolved.
 *
 * Weights: weight [cout][cin/groups][kd][k][k], then bias [cout] when `bias`, then gamma, beta,
 * running_mean, running_var [cout] when `batchnorm` (the fused batch-norm belongs to the
 * conv vertex, as in the seeds). */
#include "std_ops.h"

#include <stdio.h>

enum { A_CHANNELS, A_KERNEL, A_STRIDE, A_PADDING, A_GROUPS, A_ACT, A_BN, A_BIAS, A_OUT_CHANNELS };

/* ---- shared implementation, dims = 2 or 3 ------------------------------------------------- */

static const char *op_name(int dims)
{
    return dims == 3 ? "conv3d" : "conv2d";
}

static sop_geom geom(int dims, const cb_value *a, const cb_shape *in)
{
    int k = (int)a[A_KERNEL].i, s = (int)a[A_STRIDE].i, p = sop_pad(a[A_PADDING].e, k);
    int cout = sop_channels(a[A_CHANNELS].i, a[A_OUT_CHANNELS].i);
    sop_geom g = {in->n, in->c, cout, sop_groups(a[A_GROUPS].e, in->c, cout),
                  in->d, in->h, in->w, 1, sop_conv_out(in->h, k, s, p), sop_conv_out(in->w, k, s, p),
                  1, k, k, 1, s, s, 0, p, p};
    if (dims == 3) {
        g.kd = k, g.sd = s, g.pd = p;
        g.od = sop_conv_out(in->d, k, s, p);
    }
    return g;
}

static sop_stage stage(int dims, const cb_value *a, const cb_shape *in)
{
    sop_stage st = {geom(dims, a, in), 0, {0}};
    sop_stage_init_post(&st, a[A_BIAS].b, a[A_BN].b, sop_act(a[A_ACT].e));
    return st;
}

static int infer(int dims, const cb_value *a, int n_in, const cb_shape *in, cb_shape *out,
                 cb_error *e)
{
    if (dims == 2 && sop_need_2d(e, op_name(dims), in))
        return CB_EINVAL;
    sop_geom g = geom(dims, a, in);
    if (g.od < 1 || g.oh < 1 || g.ow < 1) {
        char what[160];
        snprintf(what, sizeof what, "kernel %d with stride %d and padding %d does not fit the input",
                 g.kh, g.sh, g.ph);
        return sop_shape_error(e, "kernel", op_name(dims), n_in, in, what);
    }
    *out = (cb_shape){in->n, g.cout, g.od, g.oh, g.ow};
    return CB_OK;
}

static int64_t kernel_elems(const sop_geom *g)
{
    return (int64_t)g->cout * (g->cin / g->groups) * sop_geom_kvol(g);
}

static void count(int dims, const cb_value *a, const cb_shape *in, uint64_t *macs,
                  uint64_t *params)
{
    sop_geom g = geom(dims, a, in);
    *macs = (uint64_t)(kernel_elems(&g) * sop_geom_p(&g));
    *params = (uint64_t)(kernel_elems(&g) + (a[A_BIAS].b ? g.cout : 0) + (a[A_BN].b ? 2 * g.cout : 0));
}

static int workload(int dims, const cb_value *a, const cb_shape *in, const cb_shape *out,
                    cb_workload *w)
{
    sop_geom g = geom(dims, a, in);
    sop_wl_init(w, CB_WL_CONV, 1, in, out);
    w->n_if = g.cin / g.groups;
    w->n_ix = g.ow;
    w->n_iy = g.oh;
    w->n_of = g.cout / g.groups;
    w->n_kx = g.kw;
    w->n_ky = g.kh;
    w->n_kz = g.kd;
    w->out_d = g.od;
    w->groups = g.groups;
    w->stride = g.sh;
    w->pad = g.ph;
    w->activation = sop_act(a[A_ACT].e);
    w->batchnorm = a[A_BN].b;
    /* at inference a fused batch-norm is one scale and one shift per channel */
    w->weight_elems = kernel_elems(&g) + (a[A_BIAS].b ? g.cout : 0) + (a[A_BN].b ? 2 * g.cout : 0);
    w->window = (int32_t)sop_geom_kvol(&g);
    return CB_OK;
}

static int weights(int dims, const cb_value *a, const cb_shape *in, cb_weight *w, int max)
{
    sop_geom g = geom(dims, a, in);
    int64_t fan_in = (int64_t)(g.cin / g.groups) * sop_geom_kvol(&g);
    int at = 0;
    /* PyTorch's default init (U(+-1/sqrt(fan_in))), which the seeds trained with */
    if (at < max)
        w[at++] = sop_weight("weight", g.cout, g.cin / g.groups, g.kd, g.kh, g.kw,
                             CB_INIT_FANIN_UNIFORM, 1, fan_in);
    if (a[A_BIAS].b && at < max)
        w[at++] = sop_weight("bias", g.cout, 1, 1, 1, 1, CB_INIT_FANIN_UNIFORM, 1, fan_in);
    return a[A_BN].b ? sop_bn_weights(w, at, max, "", g.cout) : at;
}

static int forward(int dims, const cb_op_ctx *c, const cb_value *a, const cb_tensor *in,
                   const cb_tensor *w, int n_w, cb_tensor *out)
{
    sop_stage st = stage(dims, a, &in[0].shape);
    sop_post_w pw;
    if (sop_post_w_at(w, 1, a[A_BIAS].b, a[A_BN].b, &pw) > n_w)
        return CB_EINVAL;
    sop_stage_forward(c, &st, in[0].data, w[0].data, &pw, c->state, out->data);
    return CB_OK;
}

static int backward(int dims, const cb_op_ctx *c, const cb_value *a, const cb_tensor *in,
                    const cb_tensor *out, const cb_tensor *w, int n_w, const cb_tensor *dout,
                    cb_tensor *din, cb_tensor *dw)
{
    sop_stage st = stage(dims, a, &in[0].shape);
    sop_post_w pw, pdw;
    if (sop_post_w_at(w, 1, a[A_BIAS].b, a[A_BN].b, &pw) > n_w)
        return CB_EINVAL;
    sop_post_w_at(dw, 1, a[A_BIAS].b, a[A_BN].b, &pdw);
    sop_stage_backward(c, &st, in[0].data, w[0].data, &pw, c->state, out->data, dout->data,
                       din[0].data, dw ? dw[0].data : NULL, &pdw, c->workspace);
    return CB_OK;
}

/* ---- the two plugins: thin wrappers that fix dims ------------------------------------------ */

#define CONV_WRAPPERS(P, DIMS)                                                                     \
    static int P##_infer(const cb_value *a, int n_in, const cb_shape *in, cb_shape *out,        \
                         cb_error *e)                                                            \
    {                                                                                            \
        return infer(DIMS, a, n_in, in, out, e);                                                 \
    }                                                                                            \
    static void P##_count(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out, \
                          uint64_t *macs, uint64_t *params)                                      \
    {                                                                                            \
        (void)n_in, (void)out;                                                                   \
        count(DIMS, a, in, macs, params);                                                        \
    }                                                                                            \
    static int P##_workload(const cb_value *a, int n_in, const cb_shape *in,                    \
                            const cb_shape *out, cb_workload *w, cb_error *e)                    \
    {                                                                                            \
        (void)n_in, (void)e;                                                                     \
        return workload(DIMS, a, in, out, w);                                                    \
    }                                                                                            \
    static int P##_weights(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out, \
                           cb_weight *w, int max)                                                \
    {                                                                                            \
        (void)n_in, (void)out;                                                                   \
        return weights(DIMS, a, in, w, max);                                                     \
    }                                                                                            \
    static size_t P##_state(const cb_value *a, int n_in, const cb_shape *in,                    \
                            const cb_shape *out)                                                 \
    {                                                                                            \
        (void)n_in, (void)out;                                                                   \
        sop_stage st = stage(DIMS, a, in);                                                       \
        return sop_stage_state_floats(&st) * sizeof(float);                                      \
    }                                                                                            \
    static size_t P##_work(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out) \
    {                                                                                            \
        (void)n_in, (void)out;                                                                   \
        sop_stage st = stage(DIMS, a, in);                                                       \
        return sop_stage_work_floats(&st) * sizeof(float);                                       \
    }                                                                                            \
    static int P##_forward(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in, \
                           const cb_tensor *w, int n_w, cb_tensor *out)                          \
    {                                                                                            \
        (void)n_in;                                                                              \
        return forward(DIMS, c, a, in, w, n_w, out);                                             \
    }                                                                                            \
    static int P##_backward(const cb_op_ctx *c, const cb_value *a, int n_in,                    \
                            const cb_tensor *in, const cb_tensor *out, const cb_tensor *w,       \
                            int n_w, const cb_tensor *dout, cb_tensor *din, cb_tensor *dw)       \
    {                                                                                            \
        (void)n_in;                                                                              \
        return backward(DIMS, c, a, in, out, w, n_w, dout, din, dw);                             \
    }

CONV_WRAPPERS(conv2d, 2)
CONV_WRAPPERS(conv3d, 3)

#define CONV_ATTRS(KERNELS, KDEF, STRIDES, HELP_K)                                                 \
    {"channels", CB_T_INT, "128", SOP_NO_RANGE, sop_channel_choices, "",                         \
     "output channels (the seeds' values; 128 is their default)", CB_P_SPACE},                  \
    {"kernel", CB_T_INT, KDEF, SOP_NO_RANGE, KERNELS, "", HELP_K, CB_P_SPACE},                   \
    {"stride", CB_T_INT, "1", SOP_NO_RANGE, STRIDES, "", "stride", CB_P_SPACE},                  \
    {"padding", CB_T_ENUM, "same", 0, 0, sop_pad_choices, "",                                    \
     "zero padding; same = (kernel - 1) / 2", CB_P_SPACE},                                       \
    {"groups", CB_T_ENUM, "1", 0, 0, sop_group_choices, "",                                      \
     "groups, or dw (depth-wise: one per input channel); lowered until they divide both "        \
     "channel counts, as the seeds do",                                                          \
     CB_P_SPACE},                                                                                \
    {"activation", CB_T_ENUM, "relu", 0, 0, sop_act_choices, "", "activation after batch-norm",  \
     CB_P_SPACE},                                                                                \
    {"batchnorm", CB_T_BOOL, "true", 0, 0, NULL, "", "batch-norm fused after the convolution",   \
     0},                                                                                         \
    {"bias", CB_T_BOOL, "false", 0, 0, NULL, "", "a bias per output channel (the seeds' 1x1 "    \
     "projections have one)", 0},                                                                \
    SOP_OUT_CHANNELS_ATTR,                                                                       \
    {0}

static const cb_param conv2d_attrs[] = {
    CONV_ATTRS(CB_CHOICES("1", "3", "5", "7", "11"), "3", CB_CHOICES("1", "2", "4"),
               "kernel size (k x k)")};
static const cb_param conv3d_attrs[] = {
    CONV_ATTRS(CB_CHOICES("1", "3", "5", "7"), "3", CB_CHOICES("1", "2"),
               "kernel size (k x k x k)")};

#define CONV_VT(P, RANK)                                                                           \
    static const cb_op_vt P##_vt = {                                                             \
        .size = sizeof(cb_op_vt), .attrs = P##_attrs, .cost_rank = RANK, .min_inputs = 1,        \
        .max_inputs = 1, .infer = P##_infer, .count = P##_count, .workload = P##_workload,        \
        .weights = P##_weights, .state_size = P##_state, .workspace_size = P##_work,            \
        .forward = P##_forward, .backward = P##_backward}

CONV_VT(conv2d, 15);
CONV_VT(conv3d, 17);

const cb_plugin sop_conv2d = {
    .size = sizeof(cb_plugin), .kind = CB_KIND_OP, .name = "conv2d", .version = "1.0.0",
    .summary = "2-D convolution, batch-norm and ReLU/SiLU (im2col + SGEMM; direct depth-wise)",
    .vtable = &conv2d_vt};

const cb_plugin sop_conv3d = {
    .size = sizeof(cb_plugin), .kind = CB_KIND_OP, .name = "conv3d", .version = "1.0.0",
    .summary = "3-D convolution over depth, height and width, batch-norm and activation",
    .vtable = &conv3d_vt};
