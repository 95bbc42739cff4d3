/* tests/unit/ops_forward.c: std op forward passes against plain reference loops written here
 * (convolutions of every path: folded images, one image, point-wise, grouped, depth-wise, 3-D,
 * transposed; dense; batch-norm in both modes) and against small hand-worked examples
 * (pooling, resampling, shuffle, add, concat, dropout). */
#include "ops_util.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SH(N, C, D, H, W) ((cb_shape){N, C, D, H, W})

/* ---- reference convolution: y[n][co][z][y][x] = sum w * x over the group's channels ------- */

typedef struct ref {
    int groups, k, kd, s, sd, p, pd;
} ref;

static float ref_at(const ref *r, const ops_call *c, int n, int co, int oz, int oy, int ox)
{
    cb_shape in = c->in[0].shape, out = c->out.shape;
    int cig = in.c / r->groups, cog = out.c / r->groups, g = co / cog;
    const float *w = c->w[0].data + (int64_t)co * cig * r->kd * r->k * r->k;
    double acc = 0;
    for (int ci = 0; ci < cig; ci++)
        for (int kz = 0; kz < r->kd; kz++)
            for (int ky = 0; ky < r->k; ky++)
                for (int kx = 0; kx < r->k; kx++) {
                    int iz = oz * r->sd - r->pd + kz, iy = oy * r->s - r->p + ky, ix = ox * r->s - r->p + kx;
                    if (iz < 0 || iz >= in.d || iy < 0 || iy >= in.h || ix < 0 || ix >= in.w)
                        continue;
                    int64_t at = ((((int64_t)n * in.c + g * cig + ci) * in.d + iz) * in.h + iy) * in.w + ix;
                    acc += (double)w[((ci * r->kd + kz) * r->k + ky) * r->k + kx] * c->in[0].data[at];
                }
    return (float)acc;
}

/* Checks every output against the reference plus the bias (attrs: bias=true, no tail). */
static void conv_case(const char *op, const char *attrs, cb_shape in, ref r)
{
    ops_call c;
    ops_call_init(&c, op, attrs, 1, &in, 5);
    ops_forward(&c, 1);
    cb_shape o = c.out.shape;
    int64_t i = 0;
    for (int n = 0; n < o.n; n++)
        for (int co = 0; co < o.c; co++)
            for (int z = 0; z < o.d; z++)
                for (int y = 0; y < o.h; y++)
                    for (int x = 0; x < o.w; x++, i++) {
                        float want = ref_at(&r, &c, n, co, z, y, x) + c.w[1].data[co];
                        cr_assert(isfinite(c.out.data[i]));
                        cr_assert(le(flt, fabsf(c.out.data[i] - want), 1e-4f + 1e-4f * fabsf(want)),
                                  "%s %s at %d,%d,%d,%d,%d: %g, want %g", op, attrs, n, co, z, y, x,
                                  c.out.data[i], want);
                    }
    ops_call_free(&c);
}

#define LINEAR "batchnorm=false bias=true activation=none "

Test(ops_forward, conv2d_folded_images)
{
    conv_case("conv2d", LINEAR "out_channels=8 kernel=3 stride=2", SH(3, 5, 1, 9, 9),
              (ref){1, 3, 1, 2, 1, 1, 0});
}

Test(ops_forward, conv2d_one_image_per_gemm)
{
    conv_case("conv2d", LINEAR "out_channels=4 kernel=3 padding=1", SH(2, 3, 1, 33, 33),
              (ref){1, 3, 1, 1, 1, 1, 0});
}

/* Winograd F(4x4, 3x3): maps that are not multiples of the 4x4 tile, a tile row wider than one
 * vector of tiles, and (128 output channels, 40 images) several GEMM blocks of images */
Test(ops_forward, conv2d_winograd_partial_tiles)
{
    conv_case("conv2d", LINEAR "out_channels=16 kernel=3 padding=1", SH(3, 16, 1, 13, 18),
              (ref){1, 3, 1, 1, 1, 1, 0});
}

Test(ops_forward, conv2d_winograd_several_blocks)
{
    conv_case("conv2d", LINEAR "out_channels=128 kernel=3 padding=1", SH(40, 16, 1, 7, 9),
              (ref){1, 3, 1, 1, 1, 1, 0});
}

Test(ops_forward, conv2d_pointwise_in_place)
{
    conv_case("conv2d", LINEAR "out_channels=4 kernel=1 padding=0", SH(2, 6, 1, 32, 32),
              (ref){1, 1, 1, 1, 1, 0, 0});
}

Test(ops_forward, conv2d_pointwise_grouped_folded)
{
    conv_case("conv2d", LINEAR "out_channels=8 kernel=1 padding=0 groups=4", SH(3, 8, 1, 5, 5),
              (ref){4, 1, 1, 1, 1, 0, 0});
}

Test(ops_forward, conv2d_depthwise)
{
    conv_case("conv2d", LINEAR "out_channels=8 kernel=5 stride=2 padding=2 groups=dw",
              SH(2, 4, 1, 11, 11), (ref){4, 5, 1, 2, 1, 2, 0});
}

Test(ops_forward, conv2d_alexnet_stem_kernel)
{
    conv_case("conv2d", LINEAR "out_channels=4 kernel=11 stride=4 padding=2", SH(2, 3, 1, 35, 35),
              (ref){1, 11, 1, 4, 1, 2, 0});
}

Test(ops_forward, conv2d_padding_wider_than_the_input)
{ /* whole kernel rows and columns fall into the padding */
    conv_case("conv2d", LINEAR "out_channels=4 kernel=7 padding=3", SH(2, 3, 1, 2, 2),
              (ref){1, 7, 1, 1, 1, 3, 0});
    conv_case("conv2d", LINEAR "out_channels=3 kernel=7 padding=3 groups=dw", SH(2, 3, 1, 1, 2),
              (ref){3, 7, 1, 1, 1, 3, 0});
}

Test(ops_forward, conv3d)
{
    conv_case("conv3d", LINEAR "out_channels=3 kernel=3 stride=2 padding=1", SH(2, 2, 5, 6, 7),
              (ref){1, 3, 3, 2, 2, 1, 1});
}

/* The definition of a transposed convolution: every input pixel scatters its k x k window,
 * weights in PyTorch's [cin][cout/groups][k][k] layout; attrs give bias and no tail. */
static void transpose_case(const char *attrs, cb_shape in, int cout, int k, int s, int p, int groups)
{
    ops_call c;
    ops_call_init(&c, "conv_transpose2d", attrs, 1, &in, 9);
    ops_forward(&c, 1);
    cb_shape o = c.out.shape;
    double *want = calloc((size_t)cb_shape_numel(o), sizeof *want);
    int cig = in.c / groups, cog = cout / groups;
    for (int n = 0; n < in.n; n++)
        for (int ci = 0; ci < in.c; ci++)
            for (int iy = 0; iy < in.h; iy++)
                for (int ix = 0; ix < in.w; ix++)
                    for (int cj = 0; cj < cog; cj++)
                        for (int ky = 0; ky < k; ky++)
                            for (int kx = 0; kx < k; kx++) {
                                int y = iy * s - p + ky, x = ix * s - p + kx, co = ci / cig * cog + cj;
                                if (y < 0 || y >= o.h || x < 0 || x >= o.w)
                                    continue;
                                float v = c.in[0].data[((n * in.c + ci) * in.h + iy) * in.w + ix];
                                float w = c.w[0].data[((ci * cog + cj) * k + ky) * k + kx];
                                want[((n * cout + co) * o.h + y) * o.w + x] += (double)v * w;
                            }
    for (int64_t i = 0; i < cb_shape_numel(o); i++) {
        double bias = c.w[1].data[(i / (o.h * o.w)) % cout];
        cr_assert(le(dbl, fabs(c.out.data[i] - (want[i] + bias)), 1e-4), "%s at %lld: %g, want %g",
                  attrs, (long long)i, c.out.data[i], want[i] + bias);
    }
    free(want);
    ops_call_free(&c);
}

Test(ops_forward, conv_transpose2d_scatter)
{
    transpose_case(LINEAR "out_channels=12 kernel=3 stride=2 padding=1 output_padding=1 groups=4",
                   SH(2, 8, 1, 3, 4), 12, 3, 2, 1, 4);
    /* stride 1, 'same' size: the data-gradient kernels take their flipped-kernel path */
    transpose_case(LINEAR "out_channels=6 kernel=3 stride=1 padding=1", SH(2, 4, 1, 5, 6), 6, 3, 1,
                   1, 1);
    transpose_case(LINEAR "out_channels=4 kernel=2 stride=2 groups=dw", SH(2, 4, 1, 3, 3), 4, 2, 2,
                   0, 4);
}

Test(ops_forward, dense)
{
    cb_shape in = SH(3, 2, 1, 2, 3);
    ops_call c;
    ops_call_init(&c, "dense", "units=84 activation=none", 1, &in, 3);
    ops_forward(&c, 1);
    for (int n = 0; n < 3; n++)
        for (int u = 0; u < 84; u++) {
            double acc = c.w[1].data[u];
            for (int f = 0; f < 12; f++)
                acc += (double)c.w[0].data[u * 12 + f] * c.in[0].data[n * 12 + f];
            cr_assert(le(dbl, fabs(c.out.data[n * 84 + u] - acc), 1e-4));
        }
    ops_call_free(&c);
}

/* ---- batch-norm ------------------------------------------------------------------------------ */

Test(ops_forward, batchnorm_train_statistics_and_running_update)
{
    cb_shape in = SH(4, 3, 1, 5, 5);
    ops_call c;
    ops_call_init(&c, "batchnorm", NULL, 1, &in, 11);
    float rm[3], rv[3];
    memcpy(rm, c.w[2].data, sizeof rm);
    memcpy(rv, c.w[3].data, sizeof rv);
    ops_forward(&c, 1);
    for (int ch = 0; ch < 3; ch++) {
        double s = 0, s2 = 0, xs = 0, xs2 = 0, m = 100;
        for (int n = 0; n < 4; n++)
            for (int k = 0; k < 25; k++) {
                int64_t at = (n * 3 + ch) * 25 + k;
                s += c.out.data[at], s2 += (double)c.out.data[at] * c.out.data[at];
                xs += c.in[0].data[at], xs2 += (double)c.in[0].data[at] * c.in[0].data[at];
            }
        double mean = s / m, var = s2 / m - mean * mean, xm = xs / m, xv = xs2 / m - xm * xm;
        double g = c.w[0].data[ch], b = c.w[1].data[ch];
        cr_assert(le(dbl, fabs(mean - b), 1e-4), "channel %d mean %g, beta %g", ch, mean, b);
        cr_assert(le(dbl, fabs(var - g * g * xv / (xv + 1e-5)), 1e-3), "channel %d var %g", ch, var);
        cr_assert(le(dbl, fabs(c.w[2].data[ch] - (0.9 * rm[ch] + 0.1 * xm)), 1e-5));
        cr_assert(le(dbl, fabs(c.w[3].data[ch] - (0.9 * rv[ch] + 0.1 * xv * m / (m - 1))), 1e-4));
    }
    ops_call_free(&c);
}

Test(ops_forward, conv2d_bn_eval_relu_uses_running_statistics)
{
    cb_shape in = SH(2, 3, 1, 6, 6);
    ops_call c;
    ops_call_init(&c, "conv2d", "channels=4 kernel=3 activation=relu", 1, &in, 13);
    float rm[4], rv[4];
    memcpy(rm, c.w[3].data, sizeof rm);
    memcpy(rv, c.w[4].data, sizeof rv);
    ops_forward(&c, 0);
    ref r = {1, 3, 1, 1, 1, 1, 0};
    int64_t i = 0;
    for (int n = 0; n < 2; n++)
        for (int co = 0; co < 4; co++)
            for (int y = 0; y < 6; y++)
                for (int x = 0; x < 6; x++, i++) {
                    float z = c.w[1].data[co] * (ref_at(&r, &c, n, co, 0, y, x) - rm[co]) /
                                  sqrtf(rv[co] + 1e-5f) + c.w[2].data[co];
                    cr_assert(le(flt, fabsf(c.out.data[i] - (z > 0 ? z : 0)), 1e-4f));
                }
    cr_assert(eq(int, memcmp(rm, c.w[3].data, sizeof rm), 0), "eval must not move running stats");
    ops_call_free(&c);
}

/* ---- small worked examples -------------------------------------------------------------------- */

static void run_on(ops_call *c, const char *op, const char *attrs, cb_shape in, const float *x,
                   int training)
{
    ops_call_init(c, op, attrs, 1, &in, 1);
    memcpy(c->in[0].data, x, (size_t)cb_shape_numel(in) * sizeof *x);
    ops_forward(c, training);
}

static void expect(const ops_call *c, const float *want, int n)
{
    cr_assert(eq(int, (int)cb_shape_numel(c->out.shape), n));
    for (int i = 0; i < n; i++)
        cr_assert(le(flt, fabsf(c->out.data[i] - want[i]), 1e-5f), "%s[%d]: %g, want %g", c->name,
                  i, c->out.data[i], want[i]);
}

static const float ramp16[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

Test(ops_forward, maxpool_and_avgpool_4x4)
{
    ops_call c;
    run_on(&c, "maxpool", "kernel=3 stride=1 padding=0", SH(1, 1, 1, 4, 4), ramp16, 1);
    expect(&c, (float[]){10, 11, 14, 15}, 4);
    ops_call_free(&c);
    run_on(&c, "avgpool", "kernel=3 stride=1 padding=0", SH(1, 1, 1, 4, 4), ramp16, 1);
    expect(&c, (float[]){5, 6, 9, 10}, 4);
    ops_call_free(&c);
    /* padding counts in the divisor (count_include_pad), and never wins a max */
    run_on(&c, "avgpool", "kernel=3 stride=2 padding=1", SH(1, 1, 1, 4, 4), ramp16, 1);
    expect(&c, (float[]){10.0f / 9, 24.0f / 9, 51.0f / 9, 90.0f / 9}, 4);
    ops_call_free(&c);
    float neg[16];
    for (int i = 0; i < 16; i++)
        neg[i] = -1.0f - (float)i;
    run_on(&c, "maxpool", "kernel=3 stride=2 padding=1", SH(1, 1, 1, 4, 4), neg, 1);
    expect(&c, (float[]){-1, -2, -5, -6}, 4);
    ops_call_free(&c);
}

Test(ops_forward, global_avgpool)
{
    ops_call c;
    run_on(&c, "global_avgpool", NULL, SH(1, 2, 1, 2, 4), ramp16, 1);
    expect(&c, (float[]){3.5f, 11.5f}, 2);
    ops_call_free(&c);
}

Test(ops_forward, upsample_bilinear_aligned_corners_and_nearest)
{
    ops_call c;
    run_on(&c, "upsample", "scale=1.5", SH(1, 1, 1, 2, 2), (float[]){0, 1, 2, 3}, 1);
    expect(&c, (float[]){0, 0.5f, 1, 1, 1.5f, 2, 2, 2.5f, 3}, 9);
    ops_call_free(&c);
    run_on(&c, "upsample", "scale=2 mode=nearest", SH(1, 1, 1, 2, 2), (float[]){0, 1, 2, 3}, 1);
    expect(&c, (float[]){0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3}, 16);
    ops_call_free(&c);
    /* the seeds' fixed size: corners stay, the centre of a 2x2 ramp is its mean */
    run_on(&c, "upsample", "size=465", SH(1, 1, 1, 2, 2), (float[]){0, 1, 2, 3}, 1);
    cr_assert(eq(int, c.out.shape.h, 465));
    cr_assert(eq(flt, c.out.data[0], 0.0f));
    cr_assert(le(flt, fabsf(c.out.data[465 * 465 - 1] - 3.0f), 1e-5f));
    cr_assert(le(flt, fabsf(c.out.data[232 * 465 + 232] - 1.5f), 1e-5f));
    ops_call_free(&c);
}

Test(ops_forward, channel_shuffle_permutation)
{
    float x[6] = {0, 1, 2, 3, 4, 5};
    ops_call c;
    run_on(&c, "channel_shuffle", "groups=2", SH(1, 6, 1, 1, 1), x, 1);
    expect(&c, (float[]){0, 3, 1, 4, 2, 5}, 6);
    ops_call_free(&c);
    run_on(&c, "channel_shuffle", "groups=1", SH(1, 6, 1, 1, 1), x, 1);
    expect(&c, x, 6);
    ops_call_free(&c);
}

Test(ops_forward, add_resizes_nearest_and_concat_stacks_channels)
{
    cb_shape in[2] = {SH(1, 1, 1, 2, 2), SH(1, 1, 1, 4, 4)};
    ops_call c;
    ops_call_init(&c, "add", NULL, 2, in, 1);
    memcpy(c.in[0].data, (float[]){100, 200, 300, 400}, 4 * sizeof(float));
    memcpy(c.in[1].data, ramp16, sizeof ramp16);
    ops_forward(&c, 1);
    for (int y = 0; y < 4; y++)
        for (int x = 0; x < 4; x++)
            cr_assert(eq(flt, c.out.data[y * 4 + x], 100.0f * (float)(y / 2 * 2 + x / 2 + 1) + (float)(y * 4 + x)));
    ops_call_free(&c);
    cb_shape cat[2] = {SH(2, 1, 1, 2, 2), SH(2, 2, 1, 2, 2)};
    ops_call_init(&c, "concat", NULL, 2, cat, 1);
    ops_forward(&c, 1);
    cr_assert(eq(int, c.out.shape.c, 3));
    for (int n = 0; n < 2; n++)
        for (int k = 0; k < 4; k++) {
            cr_assert(eq(flt, c.out.data[(n * 3 + 0) * 4 + k], c.in[0].data[n * 4 + k]));
            cr_assert(eq(flt, c.out.data[(n * 3 + 1) * 4 + k], c.in[1].data[(n * 2 + 0) * 4 + k]));
            cr_assert(eq(flt, c.out.data[(n * 3 + 2) * 4 + k], c.in[1].data[(n * 2 + 1) * 4 + k]));
        }
    ops_call_free(&c);
}

Test(ops_forward, dropout_mask_rate_scale_and_seed)
{
    cb_shape in = SH(4, 10, 1, 25, 25); /* 25,000 elements */
    ops_call c;
    ops_call_init(&c, "dropout", "p=0.3", 1, &in, 99);
    for (int64_t i = 0; i < 25000; i++)
        c.in[0].data[i] = 1.0f;
    ops_forward(&c, 1);
    float *first = malloc(25000 * sizeof *first);
    memcpy(first, c.out.data, 25000 * sizeof *first);
    int64_t zeros = 0;
    for (int64_t i = 0; i < 25000; i++) {
        zeros += first[i] == 0.0f;
        cr_assert(first[i] == 0.0f || fabsf(first[i] - 1.0f / 0.7f) < 1e-6f);
    }
    cr_assert(le(dbl, fabs((double)zeros / 25000 - 0.3), 0.015), "dropped %lld of 25000", (long long)zeros);
    ops_forward(&c, 1); /* same seed: same mask */
    cr_assert(eq(int, memcmp(first, c.out.data, 25000 * sizeof *first), 0));
    c.ctx.seed = 100; /* another step: another mask */
    ops_forward(&c, 1);
    cr_assert(ne(int, memcmp(first, c.out.data, 25000 * sizeof *first), 0));
    ops_forward(&c, 0); /* eval: the identity */
    for (int64_t i = 0; i < 25000; i++)
        cr_assert(eq(flt, c.out.data[i], 1.0f));
    free(first);
    ops_call_free(&c);
}
