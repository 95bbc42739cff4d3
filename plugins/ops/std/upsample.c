/* upsample.c: upsample, resampling every plane to size x size (the seeds' upsample-s240 ..
 * upsample-s800, bilinear with aligned corners) or by a scale factor; mode nearest is offered
 * too. Planes split over host->parallel. */
#include "std_ops.h"

#include <stdio.h>

enum { A_SIZE, A_SCALE, A_MODE };
enum { MODE_BILINEAR, MODE_NEAREST };

static void out_hw(const cb_value *a, const cb_shape *in, int *oh, int *ow)
{
    if (a[A_SCALE].r > 0) {
        *oh = (int)floor(in->h * a[A_SCALE].r);
        *ow = (int)floor(in->w * a[A_SCALE].r);
    } else {
        *oh = *ow = (int)a[A_SIZE].i;
    }
}

static int up_infer(const cb_value *a, int n_in, const cb_shape *in, cb_shape *out, cb_error *e)
{
    int oh, ow;
    out_hw(a, in, &oh, &ow);
    if (oh < 1 || ow < 1) {
        char what[120];
        snprintf(what, sizeof what, "scale %g leaves no output", a[A_SCALE].r);
        return sop_shape_error(e, "scale", "upsample", n_in, in, what);
    }
    *out = (cb_shape){in->n, in->c, in->d, oh, ow};
    return CB_OK;
}

static void up_count(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                     uint64_t *macs, uint64_t *params)
{
    /* bilinear: four weighted taps per output; nearest: a copy */
    *macs = a[A_MODE].e == MODE_BILINEAR ? 4 * (uint64_t)cb_shape_numel(*out) : 0;
    *params = 0;
}

static int up_workload(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                       cb_workload *w, cb_error *e)
{
    sop_wl_init(w, CB_WL_RESAMPLE, 1, in, out);
    w->n_of = out->c;
    w->n_ix = out->w;
    w->n_iy = out->h;
    w->window = a[A_MODE].e == MODE_BILINEAR ? 4 : 1;
    return CB_OK;
}

typedef struct up_job {
    int mode, ih, iw, oh, ow;
    const float *src;
    float *dst;
} up_job;

static void fwd_task(void *ctx, size_t p0, size_t p1)
{
    const up_job *j = ctx;
    int64_t ip = (int64_t)j->ih * j->iw, op = (int64_t)j->oh * j->ow;
    for (size_t p = p0; p < p1; p++) {
        if (j->mode == MODE_BILINEAR)
            sop_bilinear(j->src + p * ip, j->ih, j->iw, j->dst + p * op, j->oh, j->ow);
        else
            sop_nearest(j->src + p * ip, j->ih, j->iw, j->dst + p * op, j->oh, j->ow, false);
    }
}

static void bwd_task(void *ctx, size_t p0, size_t p1)
{
    const up_job *j = ctx; /* src: d loss / d out, dst: d loss / d in */
    int64_t ip = (int64_t)j->ih * j->iw, op = (int64_t)j->oh * j->ow;
    for (size_t p = p0; p < p1; p++) {
        if (j->mode == MODE_BILINEAR)
            sop_bilinear_adj(j->src + p * op, j->oh, j->ow, j->dst + p * ip, j->ih, j->iw);
        else
            sop_nearest_adj(j->src + p * op, j->oh, j->ow, j->dst + p * ip, j->ih, j->iw);
    }
}

static up_job job(const cb_value *a, cb_shape in, const float *src, float *dst)
{
    up_job j = {a[A_MODE].e, in.h, in.w, 0, 0, src, dst};
    out_hw(a, &in, &j.oh, &j.ow);
    return j;
}

static int up_forward(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in,
                      const cb_tensor *w, int n_w, cb_tensor *out)
{
    cb_shape s = in[0].shape;
    up_job j = job(a, s, in[0].data, out->data);
    c->host->parallel(c->host, (size_t)s.n * s.c * s.d, fwd_task, &j);
    return CB_OK;
}

static int up_backward(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in,
                       const cb_tensor *out, const cb_tensor *w, int n_w, const cb_tensor *dout,
                       cb_tensor *din, cb_tensor *dw)
{
    if (!din[0].data)
        return CB_OK;
    cb_shape s = in[0].shape;
    up_job j = job(a, s, dout->data, din[0].data);
    c->host->parallel(c->host, (size_t)s.n * s.c * s.d, bwd_task, &j);
    return CB_OK;
}

static const cb_param up_attrs[] = {
    {"size", CB_T_INT, "240", SOP_NO_RANGE,
     CB_CHOICES("240", "260", "300", "380", "465", "528", "600", "800"), "px",
     "output height and width (the seeds' sizes)", CB_P_SPACE},
    {"scale", CB_T_REAL, "0", 0, 16, NULL, "",
     "when > 0: output = floor(input * scale) instead of size", 0},
    {"mode", CB_T_ENUM, "bilinear", 0, 0, CB_CHOICES("bilinear", "nearest"), "",
     "bilinear (aligned corners, as the seeds) or nearest", 0},
    {0}};

static const cb_op_vt up_vt = {
    .size = sizeof(cb_op_vt), .attrs = up_attrs, .cost_rank = 12, .min_inputs = 1,
    .max_inputs = 1, .infer = up_infer, .count = up_count, .workload = up_workload,
    .weights = sop_no_weights, .state_size = sop_no_bytes, .workspace_size = sop_no_bytes,
    .forward = up_forward, .backward = up_backward};

const cb_plugin sop_upsample = {
    .size = sizeof(cb_plugin), .kind = CB_KIND_OP, .name = "upsample", .version = "1.0.0",
    .summary = "resamples each plane to size x size (or by a scale), bilinear or nearest",
    .vtable = &up_vt};
