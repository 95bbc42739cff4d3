/* plugins/ops/slice.c: the `slice` op pack: keep the first `out_channels` channels of a tensor.
 * NAS-Bench-101's cells truncate a vertex's output to the width of the vertex it feeds
 * (`inputs[:, :channels]` in its model builder); this is that truncation, so a NAS-Bench-101
 * cell is a codebench graph with the exact shapes, parameters and MACs of the benchmark's
 * networks. At inference it is a view (no hardware work); the trainer copies. */
#include <codebench/codebench.h>

#include <string.h>

enum { A_OUT_CHANNELS };

static const cb_param slice_attrs[] = {
    {"out_channels", CB_T_INT, NULL, 1, 1 << 20, NULL, "", "channels kept (the first ones)", 0},
    {NULL, (cb_type)0, NULL, 0, 0, NULL, NULL, NULL, 0},
};

static int sl_infer(const cb_value *a, int n_in, const cb_shape *in, cb_shape *out, cb_error *e)
{
    int64_t keep = a[A_OUT_CHANNELS].i;
    if (keep < 1 || keep > in->c) {
        char s[64];
        return cb_error_set(e, CB_EINVAL, "out_channels", "slice: out_channels %lld is not in "
                            "1..%d (input %s)", (long long)keep, in->c, cb_shape_str(*in, s, sizeof s));
    }
    *out = *in;
    out->c = (int32_t)keep;
    return CB_OK;
}

static void sl_count(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                     uint64_t *macs, uint64_t *params)
{
    *macs = 0;
    *params = 0;
}

static int sl_workload(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                       cb_workload *w, cb_error *e)
{
    memset(w, 0, sizeof *w);
    w->size = sizeof *w;
    w->kind = CB_WL_NONE;
    w->n_ib = out->n;
    w->groups = 1;
    w->n_kz = 1;
    w->out_d = out->d;
    w->in_elems = cb_shape_numel(*in);
    w->out_elems = w->elements = cb_shape_numel(*out);
    return CB_OK;
}

static int sl_weights(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                      cb_weight *w, int max)
{
    return 0;
}

static size_t sl_bytes(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out)
{
    return 0;
}

/* Per image, the kept channels are one contiguous block at the start of the image. */
static int sl_forward(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in,
                      const cb_tensor *w, int n_w, cb_tensor *out)
{
    cb_shape s = in[0].shape;
    size_t plane = (size_t)s.d * s.h * s.w, keep = (size_t)out->shape.c * plane;
    for (int32_t n = 0; n < s.n; n++)
        memcpy(out->data + n * keep, in[0].data + (size_t)n * s.c * plane, keep * sizeof(float));
    return CB_OK;
}

static int sl_backward(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in,
                       const cb_tensor *out, const cb_tensor *w, int n_w, const cb_tensor *dout,
                       cb_tensor *din, cb_tensor *dw)
{
    if (!din[0].data)
        return CB_OK;
    cb_shape s = in[0].shape;
    size_t plane = (size_t)s.d * s.h * s.w, keep = (size_t)out->shape.c * plane;
    for (int32_t n = 0; n < s.n; n++) {
        float *dst = din[0].data + (size_t)n * s.c * plane;
        const float *src = dout->data + n * keep;
        for (size_t i = 0; i < keep; i++)
            dst[i] += src[i];
    }
    return CB_OK;
}

static const cb_op_vt sl_vt = {
    .size = sizeof(cb_op_vt), .attrs = slice_attrs, .cost_rank = 1, .min_inputs = 1,
    .max_inputs = 1, .infer = sl_infer, .count = sl_count, .workload = sl_workload,
    .weights = sl_weights, .state_size = sl_bytes, .workspace_size = sl_bytes,
    .forward = sl_forward, .backward = sl_backward};

static const cb_plugin slice_plugin = {
    .size = sizeof(cb_plugin), .kind = CB_KIND_OP, .name = "slice", .version = "1.0.0",
    .summary = "keeps the first out_channels channels (NAS-Bench-101's truncation)",
    .vtable = &sl_vt};

CB_PACK("slice", "1.0.0", "BSD-3-Clause", "codebench plugins/ops/slice.c", &slice_plugin)
