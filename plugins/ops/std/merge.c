/* merge.c: the ops that join branches: add (element-wise sum, residual connections) and
 * concat (along channels, inception-style modules), each taking 2 to 8 inputs.
 *
 * As in the seeds' modules, inputs whose height or width differ are first brought to the
 * largest by nearest interpolation (F.interpolate's default); depth must match, and so must
 * the channel counts of an addition. */
#include "std_ops.h"

#include <stdio.h>

#define MERGE_MAX 8

/* Largest h and w; fails when depths (or, for add, channels) differ. */
static int fit(const char *op, bool same_c, int n_in, const cb_shape *in, int *h, int *w,
               cb_error *e)
{
    *h = *w = 0;
    for (int i = 0; i < n_in; i++) {
        if (in[i].d != in[0].d)
            return sop_shape_error(e, NULL, op, n_in, in, "inputs differ in depth");
        if (same_c && in[i].c != in[0].c)
            return sop_shape_error(e, NULL, op, n_in, in, "inputs differ in channels");
        *h = in[i].h > *h ? in[i].h : *h;
        *w = in[i].w > *w ? in[i].w : *w;
    }
    return CB_OK;
}

static int check_inputs(const char *op, int n_in, const cb_shape *in, cb_error *e)
{
    if (n_in >= 2 && n_in <= MERGE_MAX)
        return CB_OK;
    char what[80];
    snprintf(what, sizeof what, "takes 2 to %d inputs, got %d", MERGE_MAX, n_in);
    return sop_shape_error(e, NULL, op, n_in > 0 ? n_in : 0, in, what);
}

static int add_infer(const cb_value *a, int n_in, const cb_shape *in, cb_shape *out, cb_error *e)
{
    int h, w;
    if (check_inputs("add", n_in, in, e) || fit("add", true, n_in, in, &h, &w, e))
        return CB_EINVAL;
    *out = (cb_shape){in[0].n, in[0].c, in[0].d, h, w};
    return CB_OK;
}

static int cat_infer(const cb_value *a, int n_in, const cb_shape *in, cb_shape *out, cb_error *e)
{
    int h, w;
    if (check_inputs("concat", n_in, in, e) || fit("concat", false, n_in, in, &h, &w, e))
        return CB_EINVAL;
    int64_t c = 0;
    for (int i = 0; i < n_in; i++)
        c += in[i].c;
    *out = (cb_shape){in[0].n, (int32_t)c, in[0].d, h, w};
    return CB_OK;
}

static void add_count(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                      uint64_t *macs, uint64_t *params)
{
    *macs = (uint64_t)(n_in - 1) * (uint64_t)cb_shape_numel(*out);
    *params = 0;
}

static void cat_count(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                      uint64_t *macs, uint64_t *params)
{
    *macs = 0; /* data movement only */
    *params = 0;
}

static int add_workload(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                        cb_workload *w, cb_error *e)
{
    sop_wl_init(w, CB_WL_ELEMWISE, n_in, in, out);
    w->n_of = out->c;
    w->window = n_in;
    return CB_OK;
}

static int cat_workload(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                        cb_workload *w, cb_error *e)
{
    sop_wl_init(w, CB_WL_CONCAT, n_in, in, out);
    w->n_of = out->c;
    return CB_OK;
}

/* One plane move: out plane (+)= resized in plane, or its adjoint. */
static void move(const cb_shape *s, const float *src, float *dst, int oh, int ow, bool acc)
{
    sop_nearest(src, s->h, s->w, dst, oh, ow, acc);
}

static void move_back(const cb_shape *s, const float *g, float *dx, int oh, int ow)
{
    if (s->h == oh && s->w == ow) {
        for (int64_t i = 0; i < (int64_t)oh * ow; i++)
            dx[i] += g[i];
        return;
    }
    sop_nearest_adj(g, oh, ow, dx, s->h, s->w);
}

typedef struct merge_job {
    int n_in, cat;
    const cb_tensor *in;
    cb_tensor *din;
    const cb_tensor *out; /* the output, or d loss / d out in backward */
    bool back;
} merge_job;

/* Input plane q of input i (image n, its channel c, depth z) and its output plane. */
static void plane(const merge_job *j, int i, int n, int c, int z, int c0)
{
    const cb_shape *s = &j->in[i].shape, *o = &j->out->shape;
    int64_t ip = (int64_t)s->h * s->w, op = (int64_t)o->h * o->w;
    int64_t src = (((int64_t)n * s->c + c) * s->d + z) * ip;
    int64_t dst = (((int64_t)n * o->c + c0 + c) * o->d + z) * op;
    if (!j->back)
        move(s, j->in[i].data + src, j->out->data + dst, o->h, o->w, !j->cat && i > 0);
    else if (j->din[i].data)
        move_back(s, j->out->data + dst, j->din[i].data + src, o->h, o->w);
}

/* Tasks own whole images: no two write the same output or input gradient plane. */
static void merge_task(void *ctx, size_t n0, size_t n1)
{
    const merge_job *j = ctx;
    for (size_t n = n0; n < n1; n++) {
        int c0 = 0;
        for (int i = 0; i < j->n_in; i++) {
            const cb_shape *s = &j->in[i].shape;
            for (int c = 0; c < s->c; c++)
                for (int z = 0; z < s->d; z++)
                    plane(j, i, (int)n, c, z, j->cat ? c0 : 0);
            c0 += s->c;
        }
    }
}

static int run(const cb_op_ctx *c, int cat, int n_in, const cb_tensor *in, cb_tensor *din,
               const cb_tensor *out, bool back)
{
    merge_job j = {n_in, cat, in, din, out, back};
    c->host->parallel(c->host, (size_t)in[0].shape.n, merge_task, &j);
    return CB_OK;
}

static int add_forward(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in,
                       const cb_tensor *w, int n_w, cb_tensor *out)
{
    return run(c, 0, n_in, in, NULL, out, false);
}

static int cat_forward(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in,
                       const cb_tensor *w, int n_w, cb_tensor *out)
{
    return run(c, 1, n_in, in, NULL, out, false);
}

static int add_backward(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in,
                        const cb_tensor *out, const cb_tensor *w, int n_w, const cb_tensor *dout,
                        cb_tensor *din, cb_tensor *dw)
{
    return run(c, 0, n_in, in, din, dout, true);
}

static int cat_backward(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in,
                        const cb_tensor *out, const cb_tensor *w, int n_w, const cb_tensor *dout,
                        cb_tensor *din, cb_tensor *dw)
{
    return run(c, 1, n_in, in, din, dout, true);
}

static const cb_op_vt add_vt = {
    .size = sizeof(cb_op_vt), .attrs = NULL, .cost_rank = 6, .min_inputs = 2,
    .max_inputs = MERGE_MAX, .infer = add_infer, .count = add_count, .workload = add_workload,
    .weights = sop_no_weights, .state_size = sop_no_bytes, .workspace_size = sop_no_bytes,
    .forward = add_forward, .backward = add_backward};

static const cb_op_vt cat_vt = {
    .size = sizeof(cb_op_vt), .attrs = NULL, .cost_rank = 7, .min_inputs = 2,
    .max_inputs = MERGE_MAX, .infer = cat_infer, .count = cat_count, .workload = cat_workload,
    .weights = sop_no_weights, .state_size = sop_no_bytes, .workspace_size = sop_no_bytes,
    .forward = cat_forward, .backward = cat_backward};

const cb_plugin sop_add = {
    .size = sizeof(cb_plugin), .kind = CB_KIND_OP, .name = "add", .version = "1.0.0",
    .summary = "element-wise sum of 2 to 8 inputs (residual connections)", .vtable = &add_vt};

const cb_plugin sop_concat = {
    .size = sizeof(cb_plugin), .kind = CB_KIND_OP, .name = "concat", .version = "1.0.0",
    .summary = "concatenation of 2 to 8 inputs along channels", .vtable = &cat_vt};
