/* tests/unit/ops_grad.c: finite-difference checks of every std op's backward, for its inputs
 * and trainable weights, against the loss L = sum(out * r) with a fixed random r. Forward runs
 * in float, L is summed in double; central differences with eps = 1e-2 (the actual float step
 * is used as the divisor). Gradients are pre-filled with 0.25 so that an op which overwrites
 * instead of adding fails. Batch-norm is checked in training and eval mode, dropout with the
 * fixed mask of one seed. */
#include "ops_util.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PREFILL 0.25f
#define SAMPLES 40 /* checked elements per tensor at most */

/* PREP_KINKS: ReLU after a linear part may put a kink inside [x - eps, x + eps]; then one of
 * the one-sided differences is still exact on its smooth side, so either may match. */
enum { PREP_NONE, PREP_AWAY_FROM_ZERO, PREP_DISTINCT, PREP_KINKS };

static double loss(ops_call *c, int training, const float *r)
{
    ops_forward(c, training);
    double l = 0;
    int64_t n = cb_shape_numel(c->out.shape);
    for (int64_t i = 0; i < n; i++)
        l += (double)c->out.data[i] * r[i];
    return l;
}

/* Kinks (ReLU at 0, ties of a max) make differences meaningless: move inputs away from them. */
static void prepare(ops_call *c, int prep)
{
    for (int i = 0; i < c->n_in; i++) {
        float *x = c->in[i].data;
        int64_t n = cb_shape_numel(c->in[i].shape);
        for (int64_t k = 0; k < n; k++) {
            if (prep == PREP_AWAY_FROM_ZERO)
                x[k] += x[k] < 0 ? -0.1f : 0.1f;
            else if (prep == PREP_DISTINCT) /* a scrambled grid with steps of 0.05 */
                x[k] = 0.05f * (float)((k * 7919 + i * 131) % n) - 0.025f * (float)n;
        }
    }
}

/* Compares analytic gradients (minus the prefill) with central differences on up to SAMPLES
 * elements of x, spread over the tensor. */
static bool close(double num, double got)
{
    return fabs(num - got) <= 1e-2 + 2e-2 * fabs(num);
}

static void check(ops_call *c, int training, int prep, const float *r, float *x, int64_t n,
                  const float *ana, const char *what)
{
    const float eps = 1e-2f;
    int64_t step = n > SAMPLES ? n / SAMPLES : 1;
    for (int64_t i = step / 2; i < n; i += step) {
        float keep = x[i], up = keep + eps, down = keep - eps;
        x[i] = up;
        double lp = loss(c, training, r);
        x[i] = down;
        double lm = loss(c, training, r);
        x[i] = keep;
        double num = (lp - lm) / ((double)up - (double)down), got = (double)ana[i] - PREFILL;
        bool ok = close(num, got);
        if (!ok && prep == PREP_KINKS) {
            double l0 = loss(c, training, r);
            ok = close((lp - l0) / ((double)up - keep), got) ||
                 close((l0 - lm) / ((double)keep - down), got);
        }
        cr_assert(ok, "%s %s[%lld]: finite difference %.6g, backward %.6g", c->name, what,
                  (long long)i, num, got);
    }
}

static float *prefilled(int64_t n)
{
    float *p = malloc((size_t)(n > 0 ? n : 1) * sizeof *p);
    for (int64_t i = 0; i < n; i++)
        p[i] = PREFILL;
    return p;
}

static void grad(const char *op, const char *attrs, int n_in, const cb_shape *in, int training,
                 int prep)
{
    ops_call c;
    ops_call_init(&c, op, attrs, n_in, in, 42);
    prepare(&c, prep);
    int64_t no = cb_shape_numel(c.out.shape);
    float *r = malloc((size_t)no * sizeof *r), *din[OPS_MAX_IN] = {0}, *dw[OPS_MAX_W] = {0};
    ops_normal(r, no, 1234);
    ops_forward(&c, training);
    ops_backward(&c, r, NULL, NULL); /* no gradient wanted anywhere: must be accepted */
    for (int i = 0; i < n_in; i++)
        din[i] = prefilled(cb_shape_numel(c.in[i].shape));
    for (int k = 0; k < c.n_w; k++)
        dw[k] = c.spec[k].trainable ? prefilled(cb_shape_numel(c.w[k].shape)) : NULL;
    ops_forward(&c, training);
    ops_backward(&c, r, din, dw);
    for (int i = 0; i < n_in; i++) {
        char what[32];
        snprintf(what, sizeof what, "input %d", i);
        check(&c, training, prep, r, c.in[i].data, cb_shape_numel(c.in[i].shape), din[i], what);
        free(din[i]);
    }
    for (int k = 0; k < c.n_w; k++) {
        if (dw[k])
            check(&c, training, prep, r, c.w[k].data, cb_shape_numel(c.w[k].shape), dw[k], c.spec[k].name);
        free(dw[k]);
    }
    free(r);
    ops_call_free(&c);
}

static void grad1(const char *op, const char *attrs, cb_shape in, int training, int prep)
{
    grad(op, attrs, 1, &in, training, prep);
}

#define SH(N, C, D, H, W) ((cb_shape){N, C, D, H, W})

/* ---- convolutions ------------------------------------------------------------------------- */

Test(ops_grad, conv2d_bn_train_relu_folded)
{ /* 6 x 6 outputs: both images go through one GEMM */
    grad1("conv2d", "channels=6 kernel=3 activation=relu", SH(2, 4, 1, 6, 6), 1, PREP_KINKS);
}

Test(ops_grad, conv2d_winograd_bias)
{ /* 16 channels in and out, 3x3, stride 1: Winograd for the output, the data gradient (a
   * forward convolution of dy) and the weight gradient; 7 x 9 is not a multiple of the tile */
    grad1("conv2d", "channels=16 kernel=3 batchnorm=false bias=true activation=none",
          SH(2, 16, 1, 7, 9), 1, PREP_NONE);
}

Test(ops_grad, conv2d_winograd_bn_train_silu)
{ /* SiLU, not ReLU: with 144 inputs per output a step of the finite difference crosses kinks */
    grad1("conv2d", "channels=32 kernel=3 activation=silu", SH(2, 16, 1, 8, 8), 1, PREP_NONE);
}

Test(ops_grad, conv2d_grouped_stride_bn_eval_silu)
{
    grad1("conv2d", "channels=8 kernel=3 stride=2 padding=0 groups=4 activation=silu",
          SH(2, 8, 1, 7, 7), 0, PREP_NONE);
}

Test(ops_grad, conv2d_depthwise_multiplier_bn_train)
{ /* groups = cin = 4, 2 outputs per input channel: the direct depth-wise kernels */
    grad1("conv2d", "channels=8 kernel=3 stride=2 padding=1 groups=dw activation=silu",
          SH(2, 4, 1, 7, 7), 1, PREP_NONE);
}

Test(ops_grad, conv2d_pointwise_bias_one_image)
{ /* 32 x 32 positions, one image: the GEMM reads the input in place */
    grad1("conv2d", "channels=4 kernel=1 padding=0 batchnorm=false bias=true activation=none",
          SH(1, 3, 1, 32, 32), 1, PREP_NONE);
}

Test(ops_grad, conv2d_pointwise_folded_silu)
{
    grad1("conv2d", "channels=6 kernel=1 padding=0 batchnorm=false bias=true activation=silu",
          SH(3, 4, 1, 5, 5), 1, PREP_NONE);
}

Test(ops_grad, conv2d_large_kernel_one_image)
{ /* 5 x 5 kernel over 34 x 34 positions: im2col, one image per GEMM */
    grad1("conv2d", "out_channels=2 kernel=5 padding=2 activation=silu", SH(1, 2, 1, 34, 34), 1,
          PREP_NONE);
}

Test(ops_grad, conv2d_groups_lowered)
{ /* 16 groups requested for 12 -> 8 channels: the seeds' rule lowers them to 4 */
    grad1("conv2d", "channels=8 kernel=3 groups=16 activation=none bias=true", SH(2, 12, 1, 5, 5),
          1, PREP_NONE);
}

Test(ops_grad, conv3d_bn_train_silu)
{
    grad1("conv3d", "out_channels=3 kernel=3 activation=silu", SH(2, 2, 4, 5, 5), 1, PREP_NONE);
}

Test(ops_grad, conv3d_stride_bias_eval)
{
    grad1("conv3d", "channels=4 kernel=3 stride=2 padding=0 batchnorm=false bias=true "
                    "activation=silu",
          SH(2, 2, 5, 5, 5), 0, PREP_NONE);
}

Test(ops_grad, conv_transpose2d_bn_train)
{
    grad1("conv_transpose2d", "channels=4 kernel=3 stride=2 padding=1 output_padding=1 "
                              "activation=silu",
          SH(2, 3, 1, 4, 4), 1, PREP_NONE);
}

Test(ops_grad, conv_transpose2d_stride1_same)
{
    grad1("conv_transpose2d", "out_channels=5 kernel=3 stride=1 padding=1 activation=silu",
          SH(2, 3, 1, 5, 5), 1, PREP_NONE);
}

Test(ops_grad, conv_transpose2d_depthwise_bias)
{
    grad1("conv_transpose2d", "channels=4 kernel=2 stride=2 groups=dw batchnorm=false bias=true "
                              "activation=none",
          SH(2, 4, 1, 3, 3), 1, PREP_NONE);
}

Test(ops_grad, dwsconv2d_bn_train)
{
    grad1("dwsconv2d", "out_channels=5 kernel=3 activation=silu", SH(2, 3, 1, 6, 6), 1, PREP_NONE);
}

Test(ops_grad, dwsconv2d_bn_eval_stride)
{
    grad1("dwsconv2d", "channels=4 kernel=5 stride=2 activation=silu", SH(2, 3, 1, 7, 7), 0,
          PREP_NONE);
}

/* ---- normalization, activations, dense ---------------------------------------------------- */

Test(ops_grad, batchnorm_train)
{
    grad1("batchnorm", NULL, SH(3, 4, 1, 3, 3), 1, PREP_NONE);
}

Test(ops_grad, batchnorm_eval_3d)
{
    grad1("batchnorm", NULL, SH(2, 3, 2, 3, 3), 0, PREP_NONE);
}

Test(ops_grad, relu)
{
    grad1("relu", NULL, SH(2, 3, 1, 4, 4), 1, PREP_AWAY_FROM_ZERO);
}

Test(ops_grad, silu)
{
    grad1("silu", NULL, SH(2, 3, 1, 4, 4), 1, PREP_NONE);
}

Test(ops_grad, dense_relu)
{
    grad1("dense", "units=84 activation=relu", SH(3, 4, 1, 3, 3), 1, PREP_KINKS);
}

Test(ops_grad, dense_silu)
{
    grad1("dense", "units=120 activation=silu", SH(2, 10, 1, 1, 1), 1, PREP_NONE);
}

Test(ops_grad, dense_classifier)
{
    grad1("dense", "classes=5", SH(4, 12, 1, 1, 1), 1, PREP_NONE);
}

/* ---- pooling, resampling, data movement ---------------------------------------------------- */

Test(ops_grad, maxpool_stride_pad)
{
    grad1("maxpool", "kernel=3 stride=2 padding=1", SH(2, 2, 1, 7, 7), 1, PREP_DISTINCT);
}

Test(ops_grad, maxpool_5x5)
{
    grad1("maxpool", "kernel=5 stride=1 padding=0", SH(1, 2, 1, 7, 6), 1, PREP_DISTINCT);
}

Test(ops_grad, avgpool_pad)
{
    grad1("avgpool", "kernel=3 stride=1 padding=1", SH(2, 2, 1, 5, 5), 1, PREP_NONE);
}

Test(ops_grad, avgpool_5x5_stride)
{
    grad1("avgpool", "kernel=5 stride=2 padding=1", SH(2, 2, 1, 8, 8), 1, PREP_NONE);
}

Test(ops_grad, global_avgpool)
{
    grad1("global_avgpool", NULL, SH(2, 3, 2, 3, 4), 1, PREP_NONE);
}

Test(ops_grad, channel_shuffle)
{
    grad1("channel_shuffle", "groups=2", SH(2, 6, 1, 2, 3), 1, PREP_NONE);
}

Test(ops_grad, dropout_train_fixed_mask)
{
    grad1("dropout", "p=0.3", SH(2, 3, 1, 4, 4), 1, PREP_NONE);
}

Test(ops_grad, dropout_eval)
{
    grad1("dropout", "p=0.5", SH(2, 3, 1, 4, 4), 0, PREP_NONE);
}

Test(ops_grad, upsample_bilinear)
{
    grad1("upsample", "scale=2.5", SH(2, 2, 1, 4, 5), 1, PREP_NONE);
}

Test(ops_grad, upsample_bilinear_seed_size)
{
    grad1("upsample", "size=240", SH(1, 1, 1, 3, 3), 1, PREP_NONE);
}

Test(ops_grad, upsample_nearest)
{
    grad1("upsample", "scale=1.5 mode=nearest", SH(2, 2, 1, 4, 4), 1, PREP_NONE);
}

Test(ops_grad, flatten)
{
    grad1("flatten", NULL, SH(2, 3, 1, 2, 2), 1, PREP_NONE);
}

Test(ops_grad, add_three_inputs_resized)
{
    cb_shape in[3] = {SH(2, 3, 1, 4, 4), SH(2, 3, 1, 8, 8), SH(2, 3, 1, 3, 5)};
    grad("add", NULL, 3, in, 1, PREP_NONE);
}

Test(ops_grad, concat_resized)
{
    cb_shape in[2] = {SH(2, 2, 1, 6, 6), SH(2, 3, 1, 3, 3)};
    grad("concat", NULL, 2, in, 1, PREP_NONE);
}
