/* pool.c: maxpool and avgpool over k x k windows (PyTorch MaxPool2d / AvgPool2d semantics:
 * floor output size, padding never wins a max, an average divides by k*k padding included),
 * planes split over host->parallel. Max-pool's forward keeps each window's first maximum's
 * index in the vertex state (int32 per output), so its backward is one scatter. */
#include "std_ops.h"

#include <stdio.h>

enum { A_KERNEL, A_STRIDE, A_PADDING };
enum { POOL_MAX, POOL_AVG };

typedef struct pool {
    int kind, k, s, p;
    int64_t planes;
    int ih, iw, oh, ow;
} pool;

static pool make(int kind, const cb_value *a, const cb_shape *in)
{
    pool q = {kind, (int)a[A_KERNEL].i, (int)a[A_STRIDE].i, (int)a[A_PADDING].i,
              (int64_t)in->n * in->c * in->d, in->h, in->w, 0, 0};
    q.oh = sop_conv_out(q.ih, q.k, q.s, q.p);
    q.ow = sop_conv_out(q.iw, q.k, q.s, q.p);
    return q;
}

static const char *name_of(int kind)
{
    return kind == POOL_MAX ? "maxpool" : "avgpool";
}

static int infer(int kind, const cb_value *a, int n_in, const cb_shape *in, cb_shape *out,
                 cb_error *e)
{
    pool q = make(kind, a, in);
    if (q.oh < 1 || q.ow < 1) {
        char what[160];
        snprintf(what, sizeof what, "kernel %d with padding %d does not fit the input", q.k, q.p);
        return sop_shape_error(e, "kernel", name_of(kind), n_in, in, what);
    }
    *out = (cb_shape){in->n, in->c, in->d, q.oh, q.ow};
    return CB_OK;
}

static int max_infer(const cb_value *a, int n_in, const cb_shape *in, cb_shape *out, cb_error *e)
{
    return infer(POOL_MAX, a, n_in, in, out, e);
}

static int avg_infer(const cb_value *a, int n_in, const cb_shape *in, cb_shape *out, cb_error *e)
{
    return infer(POOL_AVG, a, n_in, in, out, e);
}

static void max_count(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                      uint64_t *macs, uint64_t *params)
{
    *macs = 0; /* comparisons only */
    *params = 0;
}

static void avg_count(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                      uint64_t *macs, uint64_t *params)
{
    int64_t k = a[A_KERNEL].i;
    *macs = (uint64_t)(cb_shape_numel(*out) * k * k);
    *params = 0;
}

static int workload(const cb_value *a, const cb_shape *in, const cb_shape *out, cb_workload *w)
{
    sop_wl_init(w, CB_WL_POOL, 1, in, out);
    int k = (int)a[A_KERNEL].i;
    w->n_of = out->c;
    w->n_ix = out->w;
    w->n_iy = out->h;
    w->n_kx = k;
    w->n_ky = k;
    w->stride = (int32_t)a[A_STRIDE].i;
    w->pad = (int32_t)a[A_PADDING].i;
    w->window = k * k;
    return CB_OK;
}

static int pool_workload(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                         cb_workload *w, cb_error *e)
{
    return workload(a, in, out, w);
}

typedef struct pool_job {
    const pool *q;
    const float *x, *g; /* input, and d loss / d out (backward) */
    float *y, *dx;
    int32_t *at;        /* max: the argmax of every output, within its plane */
} pool_job;

/* The window of output (oy, ox), clipped to the input: rows [y0, y1), columns [x0, x1). */
static void window(const pool *q, int oy, int ox, int *y0, int *y1, int *x0, int *x1)
{
    *y0 = oy * q->s - q->p, *x0 = ox * q->s - q->p;
    *y1 = *y0 + q->k < q->ih ? *y0 + q->k : q->ih;
    *x1 = *x0 + q->k < q->iw ? *x0 + q->k : q->iw;
    *y0 = *y0 < 0 ? 0 : *y0;
    *x0 = *x0 < 0 ? 0 : *x0;
}

/* Index of the first maximum of a window (PyTorch's choice on ties). Branches, not selects:
 * after a ReLU most candidates tie at zero and the branches predict well, while selects chain
 * every comparison into one dependency (measured 4x slower on VGG's pools). */
static int32_t argmax(const pool *q, const float *x, int y0, int y1, int x0, int x1)
{
    int32_t best = y0 * q->iw + x0;
    for (int iy = y0; iy < y1; iy++)
        for (int ix = x0; ix < x1; ix++)
            if (x[iy * q->iw + ix] > x[best])
                best = iy * q->iw + ix;
    return best;
}

static void plane_fwd(const pool *q, const float *x, float *y, int32_t *at)
{
    float inv = 1.0f / (float)(q->k * q->k);
    for (int oy = 0; oy < q->oh; oy++)
        for (int ox = 0; ox < q->ow; ox++) {
            int y0, y1, x0, x1;
            window(q, oy, ox, &y0, &y1, &x0, &x1);
            if (q->kind == POOL_MAX) {
                int32_t i = argmax(q, x, y0, y1, x0, x1);
                if (at) /* NULL: a caller without state, forward only */
                    at[oy * q->ow + ox] = i;
                y[oy * q->ow + ox] = x[i];
                continue;
            }
            float s = 0;
            for (int iy = y0; iy < y1; iy++)
                for (int ix = x0; ix < x1; ix++)
                    s += x[(int64_t)iy * q->iw + ix];
            y[oy * q->ow + ox] = s * inv;
        }
}

static void plane_bwd(const pool *q, const int32_t *at, const float *g, float *dx)
{
    if (q->kind == POOL_MAX) {
        for (int64_t o = 0; o < (int64_t)q->oh * q->ow; o++)
            dx[at[o]] += g[o];
        return;
    }
    float inv = 1.0f / (float)(q->k * q->k);
    for (int oy = 0; oy < q->oh; oy++)
        for (int ox = 0; ox < q->ow; ox++) {
            int y0, y1, x0, x1;
            window(q, oy, ox, &y0, &y1, &x0, &x1);
            float d = g[oy * q->ow + ox];
            for (int iy = y0; iy < y1; iy++)
                for (int ix = x0; ix < x1; ix++)
                    dx[(int64_t)iy * q->iw + ix] += d * inv;
        }
}

static void fwd_task(void *ctx, size_t p0, size_t p1)
{
    const pool_job *j = ctx;
    int64_t in_px = (int64_t)j->q->ih * j->q->iw, out_px = (int64_t)j->q->oh * j->q->ow;
    for (size_t p = p0; p < p1; p++)
        plane_fwd(j->q, j->x + p * in_px, j->y + p * out_px, j->at ? j->at + p * out_px : NULL);
}

static void bwd_task(void *ctx, size_t p0, size_t p1)
{
    const pool_job *j = ctx;
    int64_t in_px = (int64_t)j->q->ih * j->q->iw, out_px = (int64_t)j->q->oh * j->q->ow;
    for (size_t p = p0; p < p1; p++)
        plane_bwd(j->q, j->at ? j->at + p * out_px : NULL, j->g + p * out_px, j->dx + p * in_px);
}

static int forward(int kind, const cb_op_ctx *c, const cb_value *a, const cb_tensor *in,
                   cb_tensor *out)
{
    pool q = make(kind, a, &in[0].shape);
    pool_job j = {&q, in[0].data, NULL, out->data, NULL, kind == POOL_MAX ? c->state : NULL};
    c->host->parallel(c->host, (size_t)q.planes, fwd_task, &j);
    return CB_OK;
}

static int backward(int kind, const cb_op_ctx *c, const cb_value *a, const cb_tensor *in,
                    const cb_tensor *dout, cb_tensor *din)
{
    if (!din[0].data)
        return CB_OK;
    pool q = make(kind, a, &in[0].shape);
    pool_job j = {&q, in[0].data, dout->data, NULL, din[0].data, kind == POOL_MAX ? c->state : NULL};
    c->host->parallel(c->host, (size_t)q.planes, bwd_task, &j);
    return CB_OK;
}

static int max_forward(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in,
                       const cb_tensor *w, int n_w, cb_tensor *out)
{
    return forward(POOL_MAX, c, a, in, out);
}

static int avg_forward(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in,
                       const cb_tensor *w, int n_w, cb_tensor *out)
{
    return forward(POOL_AVG, c, a, in, out);
}

static int max_backward(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in,
                        const cb_tensor *out, const cb_tensor *w, int n_w, const cb_tensor *dout,
                        cb_tensor *din, cb_tensor *dw)
{
    return backward(POOL_MAX, c, a, in, dout, din);
}

static int avg_backward(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in,
                        const cb_tensor *out, const cb_tensor *w, int n_w, const cb_tensor *dout,
                        cb_tensor *din, cb_tensor *dw)
{
    return backward(POOL_AVG, c, a, in, dout, din);
}

static const cb_param pool_attrs[] = {
    {"kernel", CB_T_INT, "3", SOP_NO_RANGE, CB_CHOICES("3", "5"), "", "window size (k x k)",
     CB_P_SPACE},
    {"stride", CB_T_INT, "1", SOP_NO_RANGE, CB_CHOICES("1", "2"), "", "stride", CB_P_SPACE},
    {"padding", CB_T_INT, "0", SOP_NO_RANGE, CB_CHOICES("0", "1"), "", "padding", CB_P_SPACE},
    {0}};

/* the argmax of every output, kept from forward to backward */
static size_t max_state(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out)
{
    return (size_t)cb_shape_numel(*out) * sizeof(int32_t);
}

static const cb_op_vt max_vt = {
    .size = sizeof(cb_op_vt), .attrs = pool_attrs, .cost_rank = 8, .min_inputs = 1,
    .max_inputs = 1, .infer = max_infer, .count = max_count, .workload = pool_workload,
    .weights = sop_no_weights, .state_size = max_state, .workspace_size = sop_no_bytes,
    .forward = max_forward, .backward = max_backward};

static const cb_op_vt avg_vt = {
    .size = sizeof(cb_op_vt), .attrs = pool_attrs, .cost_rank = 9, .min_inputs = 1,
    .max_inputs = 1, .infer = avg_infer, .count = avg_count, .workload = pool_workload,
    .weights = sop_no_weights, .state_size = sop_no_bytes, .workspace_size = sop_no_bytes,
    .forward = avg_forward, .backward = avg_backward};

const cb_plugin sop_maxpool = {
    .size = sizeof(cb_plugin), .kind = CB_KIND_OP, .name = "maxpool", .version = "1.0.0",
    .summary = "max pooling over k x k windows", .vtable = &max_vt};

const cb_plugin sop_avgpool = {
    .size = sizeof(cb_plugin), .kind = CB_KIND_OP, .name = "avgpool", .version = "1.0.0",
    .summary = "average pooling over k x k windows (padding counted)", .vtable = &avg_vt};
