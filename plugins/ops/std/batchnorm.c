/* batchnorm.c: batchnorm, a batch normalization on its own (the convolution blocks fuse theirs;
 * this one is for graphs that place it elsewhere). Per channel over batch and positions:
 * training normalizes with the batch statistics and updates the running ones, eval uses the
 * running ones (post.c does the arithmetic).
 * Weights: gamma, beta (trainable), running_mean, running_var (buffers), [c] each.
 * State: [mean c][inv_std c][a copy of the input]. */
#include "std_ops.h"

#include <string.h>

enum { A_MOMENTUM, A_EPS };

static sop_post post(const cb_value *a, const cb_shape *in)
{
    sop_post p = {in->n, in->c, (int64_t)in->d * in->h * in->w, 0, 1, CB_ACT_NONE,
                  (float)a[A_EPS].r, (float)a[A_MOMENTUM].r};
    return p;
}

static int bn_infer(const cb_value *a, int n_in, const cb_shape *in, cb_shape *out, cb_error *e)
{
    *out = in[0];
    return CB_OK;
}

static void bn_count(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                     uint64_t *macs, uint64_t *params)
{
    *macs = (uint64_t)cb_shape_numel(in[0]); /* one scale-and-shift per element at inference */
    *params = 2 * (uint64_t)in[0].c;
}

static int bn_workload(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                       cb_workload *w, cb_error *e)
{
    sop_wl_init(w, CB_WL_NORM, 1, in, out);
    w->n_of = in[0].c;
    w->n_ix = in[0].w;
    w->n_iy = in[0].h;
    w->batchnorm = 1;
    w->weight_elems = 2 * (int64_t)in[0].c;
    return CB_OK;
}

static int bn_weights(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                      cb_weight *w, int max)
{
    return sop_bn_weights(w, 0, max, "", in[0].c);
}

static size_t bn_state(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out)
{
    sop_post p = post(a, &in[0]);
    return sop_post_state_floats(&p) * sizeof(float);
}

static size_t bn_work(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out)
{
    sop_post p = post(a, &in[0]);
    return sop_post_work_floats(&p) * sizeof(float);
}

static int bn_forward(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in,
                      const cb_tensor *w, int n_w, cb_tensor *out)
{
    sop_post p = post(a, &in[0].shape);
    sop_post_w pw;
    if (sop_post_w_at(w, 0, 0, 1, &pw) > n_w)
        return CB_EINVAL;
    /* the tail keeps its own copy of the input: backward needs it, and the core may reuse in */
    memcpy(sop_post_lin(&p, c->state, out->data), in[0].data,
           (size_t)cb_shape_numel(in[0].shape) * sizeof(float));
    sop_post_forward(c, &p, &pw, c->state, out->data);
    return CB_OK;
}

static int bn_backward(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in,
                       const cb_tensor *out, const cb_tensor *w, int n_w, const cb_tensor *dout,
                       cb_tensor *din, cb_tensor *dw)
{
    sop_post p = post(a, &in[0].shape);
    sop_post_w pw, pdw;
    if (sop_post_w_at(w, 0, 0, 1, &pw) > n_w)
        return CB_EINVAL;
    sop_post_w_at(dw, 0, 0, 1, &pdw);
    const float *g = sop_post_backward(c, &p, &pw, &pdw, c->state, out->data, dout->data,
                                       c->workspace);
    if (din[0].data) {
        float *dx = din[0].data;
        int64_t n = cb_shape_numel(in[0].shape);
        for (int64_t i = 0; i < n; i++)
            dx[i] += g[i];
    }
    return CB_OK;
}

static const cb_param bn_attrs[] = {
    {"momentum", CB_T_REAL, "0.1", 0, 1, NULL, "", "weight of the batch in the running statistics",
     0},
    {"eps", CB_T_REAL, "1e-5", 1e-12, 1, NULL, "", "added to the variance", 0},
    {0}};

static const cb_op_vt bn_vt = {
    .size = sizeof(cb_op_vt), .attrs = bn_attrs, .cost_rank = 11, .min_inputs = 1,
    .max_inputs = 1, .infer = bn_infer, .count = bn_count, .workload = bn_workload,
    .weights = bn_weights, .state_size = bn_state, .workspace_size = bn_work,
    .forward = bn_forward, .backward = bn_backward};

const cb_plugin sop_batchnorm = {
    .size = sizeof(cb_plugin), .kind = CB_KIND_OP, .name = "batchnorm", .version = "1.0.0",
    .summary = "batch normalization over batch and positions, per channel",
    .vtable = &bn_vt};
