/* std_ops.h: private to the std op pack (build/plugins/ops/std.so); never installed.
 *
 * Owns: the pieces the pack's op families share: attribute choice lists, activation helpers,
 * workload and error helpers (common.c), the convolution geometry with its im2col/GEMM,
 * Winograd and depth-wise kernels (conv_geom.c, conv_gemm.c, conv_wino.c, conv_dw.c), the
 * bias/batch-norm/activation tail every convolution and dense layer ends with (post.c), a
 * convolution "stage" that joins the two (conv_stage.c), and nearest/bilinear resampling
 * (resize.c).
 *
 * Everything here has hidden visibility (the pack is built with -fvisibility=hidden): the .so
 * exports codebench_plugins only. Names carry the sop_ ("std op pack") prefix.
 */
#ifndef SOP_STD_OPS_H
#define SOP_STD_OPS_H

#include <codebench/codebench.h>

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- attribute choices shared by several ops (common.c) --------------------------------- */

#define SOP_NO_RANGE 1, 0 /* min > max: no numeric range */

extern const char *const sop_channel_choices[]; /* the seeds' 100 output-channel values */
extern const char *const sop_act_choices[];     /* relu, silu, none (ENUM order) */
extern const char *const sop_pad_choices[];     /* same, 0, 1, 2, 3 (ENUM order) */
extern const char *const sop_group_choices[];   /* 1, 4, 8, 16, dw (ENUM order) */

/* Every convolution's last attribute: output channels outside the seeds' list. The design
 * space is `channels` (with its choices); a vertex that needs another count (a 1x1
 * projection to the sum of a module's branches, a test) sets out_channels instead. */
#define SOP_OUT_CHANNELS_ATTR                                                                    \
    {"out_channels", CB_T_INT, "0", 0, 1 << 20, NULL, "",                                     \
     "when > 0: the output channels, any count (overrides channels)", 0}
/* The output channels a convolution's attributes ask for. */
static inline int sop_channels(int64_t channels, int64_t out_channels)
{
    return (int)(out_channels > 0 ? out_channels : channels);
}

/* ENUM index of an activation attribute -> CB_ACT_*. */
int sop_act(int choice);
/* ENUM index of a padding attribute -> pixels for kernel k ("same" = (k - 1) / 2). */
int sop_pad(int choice, int k);
/* ENUM index of a groups attribute -> groups the seeds' builder uses: the request (or cin for
 * "dw"), lowered until it divides both cin and cout. */
int sop_groups(int choice, int cin, int cout);
/* (in + 2 pad - k) / stride + 1, or <= 0 when the window does not fit. */
int sop_conv_out(int in, int k, int stride, int pad);

/* ---- activations ------------------------------------------------------------------------ */

static inline float sop_sigmoid(float z)
{
    return 1.0f / (1.0f + expf(-z));
}

/* d silu(z) / dz = s (1 + z (1 - s)), s = sigmoid(z) */
static inline float sop_dsilu(float z)
{
    float s = sop_sigmoid(z);
    return s * (1.0f + z * (1.0f - s));
}

/* ---- small helpers shared by every op (common.c) ------------------------------------------ */

size_t sop_no_bytes(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out);
int sop_no_weights(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                   cb_weight *w, int max);
/* A zeroed workload of the given kind with in/out element counts (inputs summed). */
void sop_wl_init(cb_workload *w, int kind, int n_in, const cb_shape *in, const cb_shape *out);
/* A weight spec with shape {n, c, d, h, w}. */
cb_weight sop_weight(const char *name, int32_t n, int32_t c, int32_t d, int32_t h, int32_t w,
                     int init, int trainable, int64_t fan_in);
/* gamma, beta, running_mean, running_var for c channels, names prefixed (may be ""). */
int sop_bn_weights(cb_weight *w, int at, int max, const char *prefix, int32_t c);
/* Fails with "<op>: <what> (input AxBxC[, ...])": every shape error names the shapes. */
int sop_shape_error(cb_error *e, const char *param, const char *op, int n_in, const cb_shape *in,
                    const char *what);
/* The 2-D ops (d = 1) refuse a 3-D input with a message naming it. */
int sop_need_2d(cb_error *e, const char *op, const cb_shape *in);
/* Sum of dout into a bias gradient per channel: db[c] += sum over n and s of g. */
void sop_bias_grad(const float *g, int n, int c, int64_t s, float *db);

/* ---- convolution geometry and kernels (conv_geom.c, conv_gemm.c, conv_wino.c, conv_dw.c) -- */

/* One N-d convolution (2-D is d = kd = 1): x[n][cin][d][h][w] -> y[n][cout][od][oh][ow]. */
typedef struct sop_geom {
    int n, cin, cout, groups;
    int d, h, w, od, oh, ow;
    int kd, kh, kw, sd, sh, sw, pd, ph, pw;
} sop_geom;

static inline int64_t sop_geom_kvol(const sop_geom *g)
{
    return (int64_t)g->kd * g->kh * g->kw;
}
static inline int64_t sop_geom_p(const sop_geom *g) /* output positions per channel */
{
    return (int64_t)g->od * g->oh * g->ow;
}
static inline int64_t sop_geom_inpix(const sop_geom *g) /* input positions per channel */
{
    return (int64_t)g->d * g->h * g->w;
}
/* Depth-wise family (one input channel per group): direct loops instead of GEMM. */
static inline bool sop_geom_dw(const sop_geom *g)
{
    return g->cin == g->groups && g->groups > 1;
}
/* A 1x1x1, stride 1, pad 0 convolution reads its input as the GEMM operand directly. */
bool sop_geom_pointwise(const sop_geom *g);
/* Images folded into one GEMM: enough columns for an efficient GEMM, within a budget. */
int sop_geom_chunk(const sop_geom *g);
/* Stride 1 with 'same' output size (2 pad = k - 1): the data gradient is itself such a
 * convolution, of dy with the kernel flipped and its channel axes swapped. */
bool sop_geom_same_stride1(const sop_geom *g);
sop_geom sop_geom_swapped(const sop_geom *g); /* cin and cout exchanged */
/* Floats of one chunk's columns and (images folded) output buffer. */
int64_t sop_conv_chunk_floats(const sop_geom *g);
/* Scratch floats the convolution kernels below need (for g->n images). */
size_t sop_conv_work_floats(const sop_geom *g);
/* Scratch floats of the forward pass alone (im2col chunk or Winograd buffers). */
int64_t sop_conv_fwd_floats(const sop_geom *g);

/* Winograd F(4x4, 3x3) for 3x3, stride-1, 'same', ungrouped 2-D convolutions with at least 16
 * channels in and out (conv_wino.c); same contracts as sop_conv_fwd / sop_conv_bwd_weight. */
bool sop_wino_ok(const sop_geom *g);
size_t sop_wino_work_floats(const sop_geom *g);
void sop_wino_fwd(const cb_host *h, const sop_geom *g, const float *x, const float *w, float *y,
                  bool accumulate, float *work);
void sop_wino_bwd_weight(const cb_host *h, const sop_geom *g, const float *x, const float *dy,
                         float *dw, float *work);

/* Output positions o in [lo, hi) whose input index o*s - p + k lies inside [0, in): the
 * stretch of a row where a kernel tap needs no bounds checks. */
static inline void sop_span(int k, int pad, int stride, int in, int out, int *lo, int *hi)
{
    int first = pad - k, last = in - 1 + pad - k;
    *lo = first <= 0 ? 0 : (first + stride - 1) / stride;
    *hi = last < 0 ? 0 : last / stride + 1;
    if (*lo > out) /* a small input with wide padding: the whole row is padding */
        *lo = out;
    if (*hi > out)
        *hi = out;
    if (*hi < *lo)
        *hi = *lo;
}

/* im2col of images [0, nb) of x into cols[cin * kvol][nb * P]; col2im adds back. */
void sop_im2col(const cb_host *h, const sop_geom *g, const float *x, int nb, float *cols);
void sop_col2im(const cb_host *h, const sop_geom *g, const float *cols, int nb, float *dx);

/* y = conv(x; w) (accumulate: y += conv(x; w)); w is [cout][cin/groups][kd][kh][kw]. */
void sop_conv_fwd(const cb_host *h, const sop_geom *g, const float *x, const float *w, float *y,
                  bool accumulate, float *work);
/* dx += conv^T(dy; w) */
void sop_conv_bwd_data(const cb_host *h, const sop_geom *g, const float *dy, const float *w,
                       float *dx, float *work);
/* dw += d conv / dw, contracted with dy */
void sop_conv_bwd_weight(const cb_host *h, const sop_geom *g, const float *x, const float *dy,
                         float *dw, float *work);

/* The depth-wise family without GEMM (conv_dw.c); same contracts as above. */
void sop_dw_fwd(const cb_host *h, const sop_geom *g, const float *x, const float *w, float *y,
                bool accumulate);
void sop_dw_bwd_data(const cb_host *h, const sop_geom *g, const float *dy, const float *w,
                     float *dx);
void sop_dw_bwd_weight(const cb_host *h, const sop_geom *g, const float *x, const float *dy,
                       float *dw);

/* ---- the tail after a linear part: bias, batch-norm, activation (post.c) ------------------- */

#define SOP_BN_EPS 1e-5f      /* PyTorch's BatchNorm defaults, as the seeds train with */
#define SOP_BN_MOMENTUM 0.1f

typedef struct sop_post {
    int n, c;    /* images, channels */
    int64_t s;   /* elements per channel per image */
    int bias, bn, act;
    float eps, momentum;
} sop_post;

/* The tail's weights (NULL where absent); the same struct carries their gradients. */
typedef struct sop_post_w {
    float *bias, *gamma, *beta, *rmean, *rvar;
} sop_post_w;

/* The tail's weights from a vertex's tensors, starting at index at: [bias], [gamma, beta,
 * running_mean, running_var]; returns the index after them. */
int sop_post_w_at(const cb_tensor *t, int at, int bias, int bn, sop_post_w *out);

/* The linear part's output must be kept (state) when batch-norm or SiLU needs it later. */
bool sop_post_keeps_lin(const sop_post *p);
size_t sop_post_state_floats(const sop_post *p);
size_t sop_post_work_floats(const sop_post *p);
/* Where the linear part writes its output: the state (kept) or out itself. */
float *sop_post_lin(const sop_post *p, void *state, float *out);
/* out = act(bn(lin + bias)); training: batch statistics and running-stat update. */
void sop_post_forward(const cb_op_ctx *c, const sop_post *p, const sop_post_w *w, void *state,
                      float *out);
/* d(loss)/d(lin), from dout; adds bias/gamma/beta gradients into dw (members may be NULL).
 * Returns dout itself when the tail is the identity, else work (sop_post_work_floats). */
const float *sop_post_backward(const cb_op_ctx *c, const sop_post *p, const sop_post_w *w,
                               const sop_post_w *dw, void *state, const float *out,
                               const float *dout, float *work);

/* ---- a convolution stage: linear part + tail (conv_stage.c) -------------------------------- */

typedef struct sop_stage {
    sop_geom g;     /* transposed: the geometry of the conv whose data gradient this is */
    int transposed; /* x lives in g's output space, the stage's output in g's input space */
    sop_post post;
} sop_stage;

/* Fills st->post for the stage's output (channels and positions from g and transposed). */
void sop_stage_init_post(sop_stage *st, int bias, int bn, int act);
size_t sop_stage_state_floats(const sop_stage *st);
size_t sop_stage_work_floats(const sop_stage *st);
void sop_stage_forward(const cb_op_ctx *c, const sop_stage *st, const float *x, const float *w,
                       const sop_post_w *pw, void *state, float *out);
/* dx (may be NULL) += ..., dw/pdw members (may be NULL) += ... */
void sop_stage_backward(const cb_op_ctx *c, const sop_stage *st, const float *x, const float *w,
                        const sop_post_w *pw, void *state, const float *out, const float *dout,
                        float *dx, float *dw, const sop_post_w *pdw, float *work);

/* ---- resampling of one plane (resize.c) ---------------------------------------------------- */

/* Nearest (PyTorch F.interpolate 'nearest'): dst[y][x] (+)= src[floor(y sh/dh)][floor(x sw/dw)] */
void sop_nearest(const float *src, int sh, int sw, float *dst, int dh, int dw, bool accumulate);
/* its adjoint: dsrc += scatter of ddst */
void sop_nearest_adj(const float *ddst, int dh, int dw, float *dsrc, int sh, int sw);
/* Bilinear with align_corners = true (nn.UpsamplingBilinear2d, as the seeds use) */
void sop_bilinear(const float *src, int sh, int sw, float *dst, int dh, int dw);
void sop_bilinear_adj(const float *ddst, int dh, int dw, float *dsrc, int sh, int sw);

/* ---- the plugins (one file per family) ---------------------------------------------------- */

extern const cb_plugin sop_conv2d, sop_conv3d, sop_conv_transpose2d, sop_dwsconv2d;
extern const cb_plugin sop_batchnorm, sop_relu, sop_silu;
extern const cb_plugin sop_maxpool, sop_avgpool, sop_global_avgpool;
extern const cb_plugin sop_channel_shuffle, sop_dropout, sop_upsample, sop_flatten;
extern const cb_plugin sop_dense, sop_add, sop_concat;

#endif
