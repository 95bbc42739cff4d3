/* dropout.c: dropout (inverted, as PyTorch): in training each element is kept with probability
 * 1 - p and scaled by 1 / (1 - p); in eval it is the identity. The mask is drawn from
 * ctx->seed (codebench/rng.h), so a step is reproducible, and kept in the state (one byte per
 * element) for backward. The seeds' labels dropout-p1 .. dropout-p9 and dropout-p11 are
 * p = 0.1 .. 0.9 and 0.11. */
#include "std_ops.h"

#include <string.h>

static int dr_infer(const cb_value *a, int n_in, const cb_shape *in, cb_shape *out, cb_error *e)
{
    *out = in[0];
    return CB_OK;
}

static void dr_count(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                     uint64_t *macs, uint64_t *params)
{
    *macs = 0; /* the identity at inference */
    *params = 0;
}

static int dr_workload(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                       cb_workload *w, cb_error *e)
{
    sop_wl_init(w, CB_WL_NONE, 1, in, out);
    return CB_OK;
}

static size_t dr_state(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out)
{
    return (size_t)cb_shape_numel(in[0]); /* one keep flag per element */
}

static int dr_forward(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in,
                      const cb_tensor *w, int n_w, cb_tensor *out)
{
    int64_t n = cb_shape_numel(in[0].shape);
    const float *x = in[0].data;
    float *y = out->data;
    if (!c->training) {
        memcpy(y, x, (size_t)n * sizeof *y);
        return CB_OK;
    }
    uint8_t *keep = c->state;
    cb_rng r;
    cb_rng_seed(&r, c->seed);
    /* keep when a 53-bit uniform draw is at least p: P(keep) = 1 - p */
    uint64_t cut = (uint64_t)(a[0].r * 9007199254740992.0);
    float scale = 1.0f / (1.0f - (float)a[0].r);
    for (int64_t i = 0; i < n; i++) {
        keep[i] = (cb_rng_u64(&r) >> 11) >= cut;
        y[i] = keep[i] ? x[i] * scale : 0.0f;
    }
    return CB_OK;
}

static int dr_backward(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in,
                       const cb_tensor *out, const cb_tensor *w, int n_w, const cb_tensor *dout,
                       cb_tensor *din, cb_tensor *dw)
{
    if (!din[0].data)
        return CB_OK;
    int64_t n = cb_shape_numel(in[0].shape);
    const float *g = dout->data;
    float *dx = din[0].data;
    if (!c->training) {
        for (int64_t i = 0; i < n; i++)
            dx[i] += g[i];
        return CB_OK;
    }
    const uint8_t *keep = c->state;
    float scale = 1.0f / (1.0f - (float)a[0].r);
    for (int64_t i = 0; i < n; i++)
        dx[i] += g[i] * (scale * (float)keep[i]);
    return CB_OK;
}

static const cb_param dr_attrs[] = {
    {"p", CB_T_REAL, "0.5", 0, 0.9,
     CB_CHOICES("0.1", "0.11", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9"), "",
     "probability of zeroing an element in training", CB_P_SPACE},
    {0}};

static const cb_op_vt dr_vt = {
    .size = sizeof(cb_op_vt), .attrs = dr_attrs, .cost_rank = 2, .min_inputs = 1, .max_inputs = 1,
    .infer = dr_infer, .count = dr_count, .workload = dr_workload, .weights = sop_no_weights,
    .state_size = dr_state, .workspace_size = sop_no_bytes, .forward = dr_forward,
    .backward = dr_backward};

const cb_plugin sop_dropout = {
    .size = sizeof(cb_plugin), .kind = CB_KIND_OP, .name = "dropout", .version = "1.0.0",
    .summary = "inverted dropout with a seeded mask (identity at inference)", .vtable = &dr_vt};
