/* activation.c: relu and silu as stand-alone vertices (convolutions and dense layers fuse
 * theirs). Element-wise, no weights, no state: relu's backward reads its output, silu's its
 * input. */
#include "std_ops.h"

static int act_infer(const cb_value *a, int n_in, const cb_shape *in, cb_shape *out, cb_error *e)
{
    *out = in[0];
    return CB_OK;
}

static void relu_count(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                       uint64_t *macs, uint64_t *params)
{
    *macs = 0; /* a comparison, no arithmetic */
    *params = 0;
}

static void silu_count(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                       uint64_t *macs, uint64_t *params)
{
    *macs = (uint64_t)cb_shape_numel(in[0]); /* x * sigmoid(x) */
    *params = 0;
}

static int workload(int act, const cb_shape *in, const cb_shape *out, cb_workload *w)
{
    sop_wl_init(w, CB_WL_ELEMWISE, 1, in, out);
    w->activation = act;
    return CB_OK;
}

static int relu_workload(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                         cb_workload *w, cb_error *e)
{
    return workload(CB_ACT_RELU, in, out, w);
}

static int silu_workload(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                         cb_workload *w, cb_error *e)
{
    return workload(CB_ACT_SILU, in, out, w);
}

static int relu_forward(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in,
                        const cb_tensor *w, int n_w, cb_tensor *out)
{
    const float *x = in[0].data;
    float *y = out->data;
    int64_t n = cb_shape_numel(in[0].shape);
    for (int64_t i = 0; i < n; i++)
        y[i] = x[i] > 0 ? x[i] : 0;
    return CB_OK;
}

static int relu_backward(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in,
                         const cb_tensor *out, const cb_tensor *w, int n_w, const cb_tensor *dout,
                         cb_tensor *din, cb_tensor *dw)
{
    if (!din[0].data)
        return CB_OK;
    const float *y = out->data, *g = dout->data;
    float *dx = din[0].data;
    int64_t n = cb_shape_numel(in[0].shape);
    for (int64_t i = 0; i < n; i++) {
        float gi = g[i]; /* loaded unconditionally, so the select vectorizes */
        dx[i] += y[i] > 0 ? gi : 0.0f;
    }
    return CB_OK;
}

static int silu_forward(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in,
                        const cb_tensor *w, int n_w, cb_tensor *out)
{
    const float *x = in[0].data;
    float *y = out->data;
    int64_t n = cb_shape_numel(in[0].shape);
    for (int64_t i = 0; i < n; i++)
        y[i] = x[i] * sop_sigmoid(x[i]);
    return CB_OK;
}

static int silu_backward(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in,
                         const cb_tensor *out, const cb_tensor *w, int n_w, const cb_tensor *dout,
                         cb_tensor *din, cb_tensor *dw)
{
    if (!din[0].data)
        return CB_OK;
    const float *x = in[0].data, *g = dout->data;
    float *dx = din[0].data;
    int64_t n = cb_shape_numel(in[0].shape);
    for (int64_t i = 0; i < n; i++)
        dx[i] += g[i] * sop_dsilu(x[i]);
    return CB_OK;
}

static const cb_op_vt relu_vt = {
    .size = sizeof(cb_op_vt), .attrs = NULL, .cost_rank = 3, .min_inputs = 1, .max_inputs = 1,
    .infer = act_infer, .count = relu_count, .workload = relu_workload, .weights = sop_no_weights,
    .state_size = sop_no_bytes, .workspace_size = sop_no_bytes, .forward = relu_forward,
    .backward = relu_backward};

static const cb_op_vt silu_vt = {
    .size = sizeof(cb_op_vt), .attrs = NULL, .cost_rank = 5, .min_inputs = 1, .max_inputs = 1,
    .infer = act_infer, .count = silu_count, .workload = silu_workload, .weights = sop_no_weights,
    .state_size = sop_no_bytes, .workspace_size = sop_no_bytes, .forward = silu_forward,
    .backward = silu_backward};

const cb_plugin sop_relu = {
    .size = sizeof(cb_plugin), .kind = CB_KIND_OP, .name = "relu", .version = "1.0.0",
    .summary = "rectified linear unit, max(x, 0)", .vtable = &relu_vt};

const cb_plugin sop_silu = {
    .size = sizeof(cb_plugin), .kind = CB_KIND_OP, .name = "silu", .version = "1.0.0",
    .summary = "sigmoid linear unit (swish), x * sigmoid(x)", .vtable = &silu_vt};
