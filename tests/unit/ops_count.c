/* tests/unit/ops_count.c: MAC and parameter counts of standard layers against numbers worked
 * out by hand, the weight lists behind them, and the simulator workloads of convolutions,
 * dense layers and pooling (whose loop nest must multiply out to the MAC count). */
#include "ops_util.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <string.h>

#define SH(C, D, H, W) ((cb_shape){1, C, D, H, W})

typedef struct layer {
    const cb_op_vt *vt;
    cb_value a[OPS_MAX_W];
    cb_shape in, out;
} layer;

static layer make(const char *op, const char *attrs, cb_shape in)
{
    layer l;
    l.vt = ops_vt(op);
    l.in = in;
    ops_attrs(l.vt, attrs, l.a);
    cb_error e;
    cr_assert(eq(int, l.vt->infer(l.a, 1, &l.in, &l.out, &e), CB_OK), "%s: %s", op, e.msg);
    return l;
}

static void expect_counts(const char *op, const char *attrs, cb_shape in, uint64_t macs,
                          uint64_t params)
{
    layer l = make(op, attrs, in);
    uint64_t m = 0, p = 0;
    l.vt->count(l.a, 1, &l.in, &l.out, &m, &p);
    cr_assert(eq(u64, m, macs), "%s %s: MACs", op, attrs ? attrs : "");
    cr_assert(eq(u64, p, params), "%s %s: parameters", op, attrs ? attrs : "");
    /* the trainable weight tensors hold exactly the counted parameters */
    cb_weight w[OPS_MAX_W];
    int n = l.vt->weights(l.a, 1, &l.in, &l.out, w, OPS_MAX_W);
    uint64_t held = 0;
    for (int k = 0; k < n; k++)
        held += w[k].trainable ? (uint64_t)cb_shape_numel(w[k].shape) : 0;
    cr_assert(eq(u64, held, params), "%s %s: weights() holds %llu", op, attrs ? attrs : "",
              (unsigned long long)held);
}

static cb_workload workload(const layer *l)
{
    cb_workload w;
    cb_error e;
    memset(&w, 0xa5, sizeof w); /* every member must be written */
    cr_assert(eq(int, l->vt->workload(l->a, 1, &l->in, &l->out, &w, &e), CB_OK));
    cr_assert(eq(u32, w.size, (uint32_t)sizeof w));
    return w;
}

Test(ops_count, standard_layers_by_hand)
{
    /* 3x3, 64 -> 64 at 56x56: 64*64*9*56*56 MACs; 36,864 weights + gamma and beta */
    expect_counts("conv2d", "channels=64 kernel=3", SH(64, 1, 56, 56), 115605504, 36864 + 128);
    /* ResNet stem 7x7/2, 3 -> 64, 224 -> 112: 64*3*49*112*112 */
    expect_counts("conv2d", "channels=64 kernel=7 stride=2 padding=3", SH(3, 1, 224, 224),
                  118013952, 9408 + 128);
    /* MobileNet depth-wise 3x3 on 32 x 112 x 112: 32*9*112*112 */
    expect_counts("conv2d", "channels=32 kernel=3 groups=dw", SH(32, 1, 112, 112), 3612672, 288 + 64);
    /* grouped 3x3, 64 -> 128, 8 groups at 28x28: 128*8*9*28*28 */
    expect_counts("conv2d", "channels=128 kernel=3 groups=8", SH(64, 1, 28, 28), 7225344, 9216 + 256);
    /* a projection: 1x1 with bias, no batch-norm */
    expect_counts("conv2d", "channels=256 kernel=1 padding=0 batchnorm=false bias=true activation=none",
                  SH(64, 1, 56, 56), 51380224, 16384 + 256);
    /* MobileNet block as one op: 32*9*112*112 + 64*32*112*112 */
    expect_counts("dwsconv2d", "channels=64", SH(32, 1, 112, 112), 29302784, 288 + 2048 + 64 + 128);
    /* 3-D 3x3x3, 3 -> 8 at 8x16x16 ('same'): 8*3*27*8*16*16 */
    expect_counts("conv3d", "channels=8 kernel=3", SH(3, 8, 16, 16), 1327104, 648 + 16);
    /* transposed 2x2/2, 16 -> 8 from 7x7: each of 16*49 inputs scatters 8*4 */
    expect_counts("conv_transpose2d", "channels=8 kernel=2 stride=2", SH(16, 1, 7, 7), 25088, 512 + 16);
    /* AlexNet fc6: 9216 -> 4096 with bias */
    expect_counts("dense", "units=4096", SH(256, 1, 6, 6), 37748736, 37748736 + 4096);
    /* LeNet's classifier: 84 -> 10 */
    expect_counts("dense", "classes=10", SH(84, 1, 1, 1), 840, 850);
    expect_counts("batchnorm", NULL, SH(64, 1, 56, 56), 200704, 128);
    expect_counts("maxpool", "kernel=3 stride=2 padding=1", SH(64, 1, 112, 112), 0, 0);
    expect_counts("avgpool", "kernel=3 stride=1 padding=1", SH(8, 1, 4, 4), 8 * 16 * 9, 0);
    expect_counts("global_avgpool", NULL, SH(512, 1, 7, 7), 25088, 0);
    expect_counts("upsample", "size=240", SH(3, 1, 32, 32), 4 * 3 * 240 * 240, 0);
}

Test(ops_count, weight_lists)
{
    layer l = make("conv2d", "channels=64 kernel=3", SH(32, 1, 56, 56));
    cb_weight w[OPS_MAX_W];
    int n = l.vt->weights(l.a, 1, &l.in, &l.out, w, OPS_MAX_W);
    cr_assert(eq(int, n, 5));
    const char *names[] = {"weight", "gamma", "beta", "running_mean", "running_var"};
    int trainable[] = {1, 1, 1, 0, 0}, init[] = {CB_INIT_FANIN_UNIFORM, CB_INIT_ONE, CB_INIT_ZERO,
                                                 CB_INIT_ZERO, CB_INIT_ONE};
    for (int k = 0; k < 5; k++) {
        cr_assert(eq(str, w[k].name, (char *)names[k]));
        cr_assert(eq(int, w[k].trainable, trainable[k]));
        cr_assert(eq(int, w[k].init, init[k]));
    }
    cr_assert(eq(int, memcmp(&w[0].shape, &((cb_shape){64, 32, 1, 3, 3}), sizeof(cb_shape)), 0));
    cr_assert(eq(i64, w[0].fan_in, 288));
    /* a caller with room for fewer gets fewer, never an overrun */
    cr_assert(eq(int, l.vt->weights(l.a, 1, &l.in, &l.out, w, 2), 2));

    l = make("dwsconv2d", "channels=64", SH(32, 1, 56, 56));
    n = l.vt->weights(l.a, 1, &l.in, &l.out, w, OPS_MAX_W);
    cr_assert(eq(int, n, 10));
    cr_assert(eq(str, w[0].name, "dw_weight"));
    cr_assert(eq(str, w[4].name, "dw_running_var"));
    cr_assert(eq(str, w[5].name, "pw_weight"));
    cr_assert(eq(str, w[8].name, "pw_running_mean"));

    l = make("dense", "units=120", SH(16, 1, 5, 5));
    n = l.vt->weights(l.a, 1, &l.in, &l.out, w, OPS_MAX_W);
    cr_assert(eq(int, n, 2));
    cr_assert(eq(int, memcmp(&w[0].shape, &((cb_shape){120, 400, 1, 1, 1}), sizeof(cb_shape)), 0));
    cr_assert(eq(str, w[1].name, "bias"));
}

/* The nest's trip count over all groups is the MAC count. */
static void expect_nest_is_macs(const layer *l, const cb_workload *w)
{
    uint64_t macs, params;
    l->vt->count(l->a, 1, &l->in, &l->out, &macs, &params);
    int64_t nest = w->n_ib * w->n_if * w->n_ix * w->n_iy * w->n_of * w->n_kx * w->n_ky * w->groups *
                   w->n_kz * w->out_d;
    int64_t pw = w->pw_of * w->n_of * w->groups * w->n_ix * w->n_iy * w->n_ib;
    cr_assert(eq(i64, nest + pw, (int64_t)macs));
}

Test(ops_count, conv_workload)
{
    layer l = make("conv2d", "channels=128 kernel=3 stride=2 groups=4 activation=silu",
                   SH(64, 1, 56, 56));
    cb_workload w = workload(&l);
    cr_assert(eq(int, w.kind, CB_WL_CONV));
    cr_assert(eq(i64, w.n_ib, 1));
    cr_assert(eq(i64, w.n_if, 16));
    cr_assert(eq(i64, w.n_of, 32));
    cr_assert(eq(i64, w.n_ix, 28));
    cr_assert(eq(i64, w.n_iy, 28));
    cr_assert(eq(i64, w.n_kx, 3));
    cr_assert(eq(i64, w.n_ky, 3));
    cr_assert(eq(i64, w.groups, 4));
    cr_assert(eq(i64, w.n_kz, 1));
    cr_assert(eq(i64, w.out_d, 1));
    cr_assert(eq(i32, w.stride, 2));
    cr_assert(eq(i32, w.pad, 1));
    cr_assert(eq(i32, w.activation, CB_ACT_SILU));
    cr_assert(eq(i32, w.batchnorm, 1));
    cr_assert(eq(i64, w.in_elems, 64 * 56 * 56));
    cr_assert(eq(i64, w.out_elems, 128 * 28 * 28));
    cr_assert(eq(i64, w.weight_elems, 128 * 16 * 9 + 2 * 128));
    cr_assert(eq(i64, w.pw_of, 0));
    expect_nest_is_macs(&l, &w);

    l = make("conv3d", "channels=16 kernel=3 stride=2", SH(4, 8, 16, 16));
    w = workload(&l);
    cr_assert(eq(i64, w.n_kz, 3));
    cr_assert(eq(i64, w.out_d, 4));
    expect_nest_is_macs(&l, &w);

    l = make("dwsconv2d", "channels=64 stride=2", SH(32, 1, 112, 112));
    w = workload(&l);
    cr_assert(eq(i64, w.groups, 32));
    cr_assert(eq(i64, w.n_if, 1));
    cr_assert(eq(i64, w.pw_of, 64));
    expect_nest_is_macs(&l, &w);

    l = make("conv_transpose2d", "channels=8 kernel=2 stride=2", SH(16, 1, 7, 7));
    w = workload(&l);
    cr_assert(eq(i64, w.n_ix, 7));
    cr_assert(eq(i64, w.n_of, 8));
    expect_nest_is_macs(&l, &w);
}

Test(ops_count, dense_workload)
{
    layer l = make("dense", "units=1024", SH(64, 1, 4, 4));
    cb_workload w = workload(&l);
    cr_assert(eq(int, w.kind, CB_WL_CONV));
    cr_assert(eq(i64, w.n_if, 1024));
    cr_assert(eq(i64, w.n_of, 1024));
    cr_assert(eq(i64, w.n_ix * w.n_iy * w.n_kx * w.n_ky * w.groups, 1));
    cr_assert(eq(i32, w.activation, CB_ACT_RELU));
    cr_assert(eq(i32, w.batchnorm, 0));
    cr_assert(eq(i64, w.weight_elems, 1024 * 1024 + 1024));
    expect_nest_is_macs(&l, &w);
    l = make("dense", "classes=10", SH(84, 1, 1, 1));
    cr_assert(eq(i32, workload(&l).activation, CB_ACT_NONE));
}

Test(ops_count, pool_and_pass_workloads)
{
    layer l = make("maxpool", "kernel=3 stride=2 padding=1", SH(64, 1, 112, 112));
    cb_workload w = workload(&l);
    cr_assert(eq(int, w.kind, CB_WL_POOL));
    cr_assert(eq(i32, w.window, 9));
    cr_assert(eq(i32, w.stride, 2));
    cr_assert(eq(i32, w.pad, 1));
    cr_assert(eq(i64, w.elements, 64 * 56 * 56));
    cr_assert(eq(i64, w.n_of, 64));
    cr_assert(eq(i64, w.in_elems, 64 * 112 * 112));
    cr_assert(eq(i64, w.weight_elems, 0));

    l = make("global_avgpool", NULL, SH(512, 1, 7, 7));
    w = workload(&l);
    cr_assert(eq(int, w.kind, CB_WL_POOL));
    cr_assert(eq(i32, w.window, 49));
    cr_assert(eq(i64, w.elements, 512));

    struct { const char *op, *attrs; int kind, window; } passes[] = {
        {"upsample", "size=240", CB_WL_RESAMPLE, 4}, {"upsample", "scale=2 mode=nearest", CB_WL_RESAMPLE, 1},
        {"batchnorm", NULL, CB_WL_NORM, 1},          {"relu", NULL, CB_WL_ELEMWISE, 1},
        {"silu", NULL, CB_WL_ELEMWISE, 1},           {"channel_shuffle", "groups=4", CB_WL_ELEMWISE, 1},
        {"dropout", NULL, CB_WL_NONE, 1},            {"flatten", NULL, CB_WL_NONE, 1}};
    for (size_t i = 0; i < sizeof passes / sizeof passes[0]; i++) {
        l = make(passes[i].op, passes[i].attrs, SH(16, 1, 8, 8));
        w = workload(&l);
        cr_assert(eq(int, w.kind, passes[i].kind), "%s", passes[i].op);
        cr_assert(eq(i32, w.window, passes[i].window), "%s", passes[i].op);
        cr_assert(eq(i64, w.out_elems, cb_shape_numel(l.out)), "%s", passes[i].op);
    }
}
