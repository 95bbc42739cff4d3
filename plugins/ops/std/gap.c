/* gap.c: global_avgpool, the average over all positions of each channel (the seeds'
 * "global-avg-pool" head op): n x c x d x h x w -> n x c x 1 x 1 x 1. */
#include "std_ops.h"

static int gap_infer(const cb_value *a, int n_in, const cb_shape *in, cb_shape *out, cb_error *e)
{
    *out = (cb_shape){in->n, in->c, 1, 1, 1};
    return CB_OK;
}

static void gap_count(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                      uint64_t *macs, uint64_t *params)
{
    *macs = (uint64_t)cb_shape_numel(in[0]); /* one accumulate per input element */
    *params = 0;
}

static int gap_workload(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                        cb_workload *w, cb_error *e)
{
    sop_wl_init(w, CB_WL_POOL, 1, in, out);
    /* AccelBench's GlobalAvgPool block: number = batch * channels, size = h * w */
    w->n_of = in->c;
    w->n_ix = 1;
    w->n_iy = 1;
    w->n_kx = in->w;
    w->n_ky = in->h;
    w->window = (int32_t)((int64_t)in->d * in->h * in->w);
    return CB_OK;
}

static int gap_forward(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in,
                       const cb_tensor *w, int n_w, cb_tensor *out)
{
    cb_shape s = in[0].shape;
    int64_t planes = (int64_t)s.n * s.c, px = (int64_t)s.d * s.h * s.w;
    for (int64_t p = 0; p < planes; p++) {
        const float *x = in[0].data + p * px;
        float acc = 0;
        for (int64_t i = 0; i < px; i++)
            acc += x[i];
        out->data[p] = acc / (float)px;
    }
    return CB_OK;
}

static int gap_backward(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in,
                        const cb_tensor *out, const cb_tensor *w, int n_w, const cb_tensor *dout,
                        cb_tensor *din, cb_tensor *dw)
{
    if (!din[0].data)
        return CB_OK;
    cb_shape s = in[0].shape;
    int64_t planes = (int64_t)s.n * s.c, px = (int64_t)s.d * s.h * s.w;
    for (int64_t p = 0; p < planes; p++) {
        float g = dout->data[p] / (float)px, *dx = din[0].data + p * px;
        for (int64_t i = 0; i < px; i++)
            dx[i] += g;
    }
    return CB_OK;
}

static const cb_op_vt gap_vt = {
    .size = sizeof(cb_op_vt), .attrs = NULL, .cost_rank = 10, .min_inputs = 1, .max_inputs = 1,
    .infer = gap_infer, .count = gap_count, .workload = gap_workload, .weights = sop_no_weights,
    .state_size = sop_no_bytes, .workspace_size = sop_no_bytes, .forward = gap_forward,
    .backward = gap_backward};

const cb_plugin sop_global_avgpool = {
    .size = sizeof(cb_plugin), .kind = CB_KIND_OP, .name = "global_avgpool", .version = "1.0.0",
    .summary = "global average pooling: one value per channel", .vtable = &gap_vt};
