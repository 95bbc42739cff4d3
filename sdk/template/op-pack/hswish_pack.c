/* hswish_pack.c: an out-of-tree op pack for codebench, in one file.
 *
 * It adds one op, "hswish" (hard swish, MobileNet-V3: x * relu6(x + 3) / 6), with everything an
 * op plugin provides: attributes (none here), shape inference, MAC and parameter counts, the
 * simulator workload (an element-wise pass), weights (none), forward and backward for the
 * native trainer, and a cost rank for graph edit distance.
 * Build: make (uses only `pkg-config codebench`); list it: codebench plugins --plugin-path . */
#include <codebench/codebench.h>
#include <string.h>

static int hswish_infer(const cb_value *a, int n_in, const cb_shape *in, cb_shape *out, cb_error *e)
{
    (void)a;
    if (n_in != 1)
        return cb_error_set(e, CB_EINVAL, NULL, "hswish takes one input, got %d", n_in);
    *out = in[0];
    return CB_OK;
}

static void hswish_count(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                         uint64_t *macs, uint64_t *params)
{
    (void)a; (void)n_in; (void)in;
    *macs = (uint64_t)cb_shape_numel(*out); /* one multiply per element */
    *params = 0;
}

static int hswish_workload(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                           cb_workload *w, cb_error *e)
{
    (void)a; (void)n_in; (void)e;
    memset(w, 0, sizeof *w);
    w->size = sizeof *w;
    w->kind = CB_WL_ELEMWISE;
    w->elements = cb_shape_numel(*out);
    w->in_elems = cb_shape_numel(in[0]);
    w->out_elems = w->elements;
    w->window = 1;
    return CB_OK;
}

static int hswish_weights(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                          cb_weight *w, int max)
{
    (void)a; (void)n_in; (void)in; (void)out; (void)w; (void)max;
    return 0;
}

static size_t hswish_no_bytes(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out)
{
    (void)a; (void)n_in; (void)in; (void)out;
    return 0;
}

static float relu6(float x)
{
    return x < 0 ? 0 : x > 6 ? 6 : x;
}

static int hswish_forward(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in,
                          const cb_tensor *w, int n_w, cb_tensor *out)
{
    (void)c; (void)a; (void)n_in; (void)w; (void)n_w;
    int64_t n = cb_shape_numel(in[0].shape);
    for (int64_t i = 0; i < n; i++) {
        float x = in[0].data[i];
        out->data[i] = x * relu6(x + 3.0f) / 6.0f;
    }
    return CB_OK;
}

static int hswish_backward(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in,
                           const cb_tensor *out, const cb_tensor *w, int n_w, const cb_tensor *dout,
                           cb_tensor *din, cb_tensor *dw)
{
    (void)c; (void)a; (void)n_in; (void)out; (void)w; (void)n_w; (void)dw;
    if (!din[0].data)
        return CB_OK;
    int64_t n = cb_shape_numel(in[0].shape);
    for (int64_t i = 0; i < n; i++) {
        float x = in[0].data[i];
        float g = x <= -3.0f ? 0.0f : x >= 3.0f ? 1.0f : (2.0f * x + 3.0f) / 6.0f;
        din[0].data[i] += g * dout->data[i];
    }
    return CB_OK;
}

static const cb_op_vt hswish_vt = {
    .size = sizeof(cb_op_vt),
    .attrs = NULL,
    .cost_rank = 3, /* element-wise: cheaper than any convolution */
    .min_inputs = 1,
    .max_inputs = 1,
    .infer = hswish_infer,
    .count = hswish_count,
    .workload = hswish_workload,
    .weights = hswish_weights,
    .state_size = hswish_no_bytes,
    .workspace_size = hswish_no_bytes,
    .forward = hswish_forward,
    .backward = hswish_backward,
};

static const cb_plugin hswish = {
    .size = sizeof(cb_plugin),
    .kind = CB_KIND_OP,
    .name = "hswish",
    .version = "1.0.0",
    .summary = "hard swish activation, x * relu6(x + 3) / 6 (MobileNet-V3)",
    .vtable = &hswish_vt,
};

CB_PACK("hswish-pack", "1.0.0", "MIT", "codebench sdk/template", &hswish)
