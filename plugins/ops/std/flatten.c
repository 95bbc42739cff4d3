/* flatten.c: flatten, n x c x d x h x w -> n x (c d h w) x 1 x 1 x 1 (the seeds' "flatten" head
 * op). A view at inference; the native trainer copies because the core owns each buffer. */
#include "std_ops.h"

#include <string.h>

static int fl_infer(const cb_value *a, int n_in, const cb_shape *in, cb_shape *out, cb_error *e)
{
    int64_t f = (int64_t)in->c * in->d * in->h * in->w;
    if (f > INT32_MAX)
        return sop_shape_error(e, NULL, "flatten", n_in, in, "more than 2^31 features per image");
    *out = (cb_shape){in->n, (int32_t)f, 1, 1, 1};
    return CB_OK;
}

static void fl_count(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                     uint64_t *macs, uint64_t *params)
{
    *macs = 0;
    *params = 0;
}

static int fl_workload(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                       cb_workload *w, cb_error *e)
{
    sop_wl_init(w, CB_WL_NONE, 1, in, out);
    return CB_OK;
}

static int fl_forward(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in,
                      const cb_tensor *w, int n_w, cb_tensor *out)
{
    memcpy(out->data, in[0].data, (size_t)cb_shape_numel(in[0].shape) * sizeof(float));
    return CB_OK;
}

static int fl_backward(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in,
                       const cb_tensor *out, const cb_tensor *w, int n_w, const cb_tensor *dout,
                       cb_tensor *din, cb_tensor *dw)
{
    if (!din[0].data)
        return CB_OK;
    int64_t n = cb_shape_numel(in[0].shape);
    for (int64_t i = 0; i < n; i++)
        din[0].data[i] += dout->data[i];
    return CB_OK;
}

static const cb_op_vt fl_vt = {
    .size = sizeof(cb_op_vt), .attrs = NULL, .cost_rank = 1, .min_inputs = 1, .max_inputs = 1,
    .infer = fl_infer, .count = fl_count, .workload = fl_workload, .weights = sop_no_weights,
    .state_size = sop_no_bytes, .workspace_size = sop_no_bytes, .forward = fl_forward,
    .backward = fl_backward};

const cb_plugin sop_flatten = {
    .size = sizeof(cb_plugin), .kind = CB_KIND_OP, .name = "flatten", .version = "1.0.0",
    .summary = "flattens each image to a vector of c*d*h*w features", .vtable = &fl_vt};
