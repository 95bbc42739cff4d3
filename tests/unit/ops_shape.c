/* tests/unit/ops_shape.c: std op shape inference on standard layers, and the one-line
 * errors that name the op, the reason and the input shapes when the inputs do not fit. */
#include "ops_util.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <string.h>

#define SH(C, D, H, W) ((cb_shape){1, C, D, H, W})

static int infer(const char *op, const char *attrs, int n_in, const cb_shape *in, cb_shape *out,
                 cb_error *e)
{
    const cb_op_vt *vt = ops_vt(op);
    cb_value a[OPS_MAX_W];
    ops_attrs(vt, attrs, a);
    memset(e, 0, sizeof *e);
    return vt->infer(a, n_in, in, out, e);
}

static void expect_shape(const char *op, const char *attrs, cb_shape in, cb_shape want)
{
    cb_shape out;
    cb_error e;
    cr_assert(eq(int, infer(op, attrs, 1, &in, &out, &e), CB_OK), "%s %s: %s", op, attrs, e.msg);
    cr_assert(eq(int, memcmp(&out, &want, sizeof want), 0),
              "%s %s: got %dx%dx%dx%dx%d, want %dx%dx%dx%dx%d", op, attrs ? attrs : "", out.n, out.c,
              out.d, out.h, out.w, want.n, want.c, want.d, want.h, want.w);
}

/* The error is CB_EINVAL, one line, and contains every fragment given. */
static void expect_error(const char *op, const char *attrs, int n_in, const cb_shape *in,
                         const char *param, const char *const *fragments)
{
    cb_shape out;
    cb_error e;
    cr_assert(eq(int, infer(op, attrs, n_in, in, &out, &e), CB_EINVAL), "%s %s accepted", op, attrs);
    cr_assert(eq(int, e.code, CB_EINVAL));
    cr_assert(eq(ptr, strchr(e.msg, '\n'), NULL));
    cr_assert(eq(str, e.param, (char *)param));
    for (int i = 0; fragments[i]; i++)
        cr_assert(ne(ptr, strstr(e.msg, fragments[i]), NULL), "'%s' lacks '%s'", e.msg, fragments[i]);
}

#define FRAGS(...) ((const char *const[]){__VA_ARGS__, NULL})

Test(ops_shape, convolutions_of_standard_networks)
{
    /* ResNet stem, a 3x3 block, a strided 3x3 with 'same' padding, AlexNet's first layer */
    expect_shape("conv2d", "channels=64 kernel=7 stride=2 padding=3", SH(3, 1, 224, 224), SH(64, 1, 112, 112));
    expect_shape("conv2d", "channels=64 kernel=3", SH(64, 1, 56, 56), SH(64, 1, 56, 56));
    expect_shape("conv2d", "channels=128 kernel=3 stride=2", SH(64, 1, 56, 56), SH(128, 1, 28, 28));
    expect_shape("conv2d", "channels=64 kernel=11 stride=4 padding=2", SH(3, 1, 224, 224), SH(64, 1, 55, 55));
    expect_shape("conv2d", "out_channels=3 kernel=1 padding=0", SH(8, 1, 5, 5), SH(3, 1, 5, 5));
    expect_shape("dwsconv2d", "channels=64 stride=2", SH(32, 1, 112, 112), SH(64, 1, 56, 56));
    expect_shape("conv3d", "channels=16 kernel=3 stride=2", SH(2, 8, 16, 16), SH(16, 4, 8, 8));
    expect_shape("conv_transpose2d", "channels=32 kernel=3 stride=2 padding=1 output_padding=1",
                 SH(64, 1, 7, 7), SH(32, 1, 14, 14));
    expect_shape("conv_transpose2d", NULL, SH(64, 1, 7, 7), SH(128, 1, 14, 14));
}

Test(ops_shape, pooling_resampling_and_heads)
{
    expect_shape("maxpool", "kernel=3 stride=2 padding=1", SH(64, 1, 112, 112), SH(64, 1, 56, 56));
    expect_shape("avgpool", "kernel=5", SH(8, 1, 9, 9), SH(8, 1, 5, 5));
    expect_shape("global_avgpool", NULL, SH(512, 1, 7, 7), SH(512, 1, 1, 1));
    expect_shape("upsample", "size=300", SH(16, 1, 28, 28), SH(16, 1, 300, 300));
    expect_shape("upsample", "scale=2 mode=nearest", SH(16, 1, 7, 9), SH(16, 1, 14, 18));
    expect_shape("flatten", NULL, SH(64, 1, 7, 7), SH(3136, 1, 1, 1));
    expect_shape("dense", "units=4096", SH(256, 1, 6, 6), SH(4096, 1, 1, 1));
    expect_shape("dense", "classes=10", SH(84, 1, 1, 1), SH(10, 1, 1, 1));
    expect_shape("dropout", "p=0.11", SH(84, 1, 1, 1), SH(84, 1, 1, 1));
    expect_shape("channel_shuffle", "groups=8", SH(64, 1, 7, 7), SH(64, 1, 7, 7));
    expect_shape("batchnorm", NULL, SH(64, 2, 7, 7), SH(64, 2, 7, 7));
    expect_shape("relu", NULL, SH(64, 1, 7, 7), SH(64, 1, 7, 7));
    expect_shape("silu", NULL, SH(64, 1, 7, 7), SH(64, 1, 7, 7));
}

Test(ops_shape, batch_passes_through)
{
    cb_shape in = {8, 3, 1, 32, 32}, out;
    cb_error e;
    cr_assert(eq(int, infer("conv2d", "channels=16", 1, &in, &out, &e), CB_OK));
    cr_assert(eq(int, out.n, 8));
}

Test(ops_shape, add_and_concat_bring_inputs_to_the_largest_size)
{
    cb_shape in[3] = {SH(32, 1, 28, 28), SH(32, 1, 14, 14), SH(32, 1, 28, 28)}, out;
    cb_error e;
    cr_assert(eq(int, infer("add", NULL, 3, in, &out, &e), CB_OK), "%s", e.msg);
    cr_assert(eq(int, memcmp(&out, &SH(32, 1, 28, 28), sizeof out), 0));
    in[1].c = 64;
    cr_assert(eq(int, infer("concat", NULL, 3, in, &out, &e), CB_OK), "%s", e.msg);
    cr_assert(eq(int, memcmp(&out, &SH(128, 1, 28, 28), sizeof out), 0));
}

Test(ops_shape, errors_name_the_op_the_reason_and_the_shapes)
{
    cb_shape small = SH(3, 1, 4, 4);
    expect_error("conv2d", "channels=16 kernel=11 padding=0", 1, &small, "kernel",
                 FRAGS("conv2d:", "kernel 11", "does not fit", "3x4x4"));
    expect_error("maxpool", "kernel=5", 1, &small, "kernel", FRAGS("maxpool:", "kernel 5", "3x4x4"));
    cb_shape twelve = SH(12, 1, 8, 8);
    expect_error("channel_shuffle", "groups=8", 1, &twelve, "groups",
                 FRAGS("channel_shuffle:", "12 channels", "8 groups", "12x8x8"));
    cb_shape mixed[2] = {SH(16, 1, 8, 8), SH(32, 1, 8, 8)};
    expect_error("add", NULL, 2, mixed, "", FRAGS("add:", "differ in channels", "16x8x8, 32x8x8"));
    cb_shape deep[2] = {SH(16, 1, 8, 8), SH(16, 2, 8, 8)};
    expect_error("concat", NULL, 2, deep, "", FRAGS("concat:", "depth", "1x16x2x8x8"));
    cb_shape vol = SH(3, 4, 8, 8);
    expect_error("conv2d", NULL, 1, &vol, "", FRAGS("conv2d:", "2-D input", "1x3x4x8x8"));
    cb_shape seven = SH(64, 1, 7, 7);
    expect_error("conv_transpose2d", "stride=2 output_padding=2", 1, &seven, "output_padding",
                 FRAGS("conv_transpose2d:", "smaller than stride", "64x7x7"));
    expect_error("add", NULL, 1, &seven, "", FRAGS("add:", "2 to 8 inputs, got 1"));
}

Test(ops_shape, groups_follow_the_seeds_rule)
{
    /* 16 groups requested for 12 -> 8 channels: lowered to 4, so each filter sees 3 inputs */
    const cb_op_vt *vt = ops_vt("conv2d");
    cb_value a[OPS_MAX_W];
    ops_attrs(vt, "channels=8 groups=16", a);
    cb_shape in = SH(12, 1, 5, 5), out;
    cb_weight w[OPS_MAX_W];
    cb_error e;
    cr_assert(eq(int, vt->infer(a, 1, &in, &out, &e), CB_OK));
    cr_assert(ge(int, vt->weights(a, 1, &in, &out, w, OPS_MAX_W), 1));
    cr_assert(eq(int, w[0].shape.n, 8));
    cr_assert(eq(int, w[0].shape.c, 3));
    /* depth-wise: one group per input channel */
    ops_attrs(vt, "channels=64 groups=dw", a);
    in.c = 32;
    cr_assert(eq(int, vt->infer(a, 1, &in, &out, &e), CB_OK));
    vt->weights(a, 1, &in, &out, w, OPS_MAX_W);
    cr_assert(eq(int, w[0].shape.c, 1));
}
