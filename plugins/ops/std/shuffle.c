/* shuffle.c: channel_shuffle (ShuffleNet; PyTorch nn.ChannelShuffle): channels viewed as
 * [groups][c / groups] are transposed to [c / groups][groups], so output channel
 * j * groups + i is input channel i * (c / groups) + j. */
#include "std_ops.h"

#include <stdio.h>
#include <string.h>

static int sh_infer(const cb_value *a, int n_in, const cb_shape *in, cb_shape *out, cb_error *e)
{
    int64_t g = a[0].i;
    if (g < 1 || in->c % g != 0) {
        char what[120];
        snprintf(what, sizeof what, "%d channels do not split into %lld groups", in->c, (long long)g);
        return sop_shape_error(e, "groups", "channel_shuffle", n_in, in, what);
    }
    *out = in[0];
    return CB_OK;
}

static void sh_count(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                     uint64_t *macs, uint64_t *params)
{
    *macs = 0; /* a permutation */
    *params = 0;
}

static int sh_workload(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                       cb_workload *w, cb_error *e)
{
    sop_wl_init(w, CB_WL_ELEMWISE, 1, in, out); /* one copy pass */
    w->n_of = in->c;
    return CB_OK;
}

/* Input channel feeding output channel oc. */
static int source(int oc, int c, int g)
{
    int per = c / g;
    return (oc % g) * per + oc / g;
}

static int sh_forward(const cb_op_ctx *ctx, const cb_value *a, int n_in, const cb_tensor *in,
                      const cb_tensor *w, int n_w, cb_tensor *out)
{
    cb_shape s = in[0].shape;
    int64_t px = (int64_t)s.d * s.h * s.w;
    for (int n = 0; n < s.n; n++)
        for (int oc = 0; oc < s.c; oc++)
            memcpy(out->data + ((int64_t)n * s.c + oc) * px,
                   in[0].data + ((int64_t)n * s.c + source(oc, s.c, (int)a[0].i)) * px,
                   (size_t)px * sizeof(float));
    return CB_OK;
}

static int sh_backward(const cb_op_ctx *ctx, const cb_value *a, int n_in, const cb_tensor *in,
                       const cb_tensor *out, const cb_tensor *w, int n_w, const cb_tensor *dout,
                       cb_tensor *din, cb_tensor *dw)
{
    if (!din[0].data)
        return CB_OK;
    cb_shape s = in[0].shape;
    int64_t px = (int64_t)s.d * s.h * s.w;
    for (int n = 0; n < s.n; n++)
        for (int oc = 0; oc < s.c; oc++) {
            const float *g = dout->data + ((int64_t)n * s.c + oc) * px;
            float *dx = din[0].data + ((int64_t)n * s.c + source(oc, s.c, (int)a[0].i)) * px;
            for (int64_t i = 0; i < px; i++)
                dx[i] += g[i];
        }
    return CB_OK;
}

static const cb_param sh_attrs[] = {
    {"groups", CB_T_INT, "8", SOP_NO_RANGE, CB_CHOICES("1", "2", "4", "8"), "",
     "channel groups to interleave", CB_P_SPACE},
    {0}};

static const cb_op_vt sh_vt = {
    .size = sizeof(cb_op_vt), .attrs = sh_attrs, .cost_rank = 4, .min_inputs = 1, .max_inputs = 1,
    .infer = sh_infer, .count = sh_count, .workload = sh_workload, .weights = sop_no_weights,
    .state_size = sop_no_bytes, .workspace_size = sop_no_bytes, .forward = sh_forward,
    .backward = sh_backward};

const cb_plugin sop_channel_shuffle = {
    .size = sizeof(cb_plugin), .kind = CB_KIND_OP, .name = "channel_shuffle", .version = "1.0.0",
    .summary = "interleaves channels across groups (ShuffleNet)", .vtable = &sh_vt};
