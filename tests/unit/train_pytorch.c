/* tests/unit/train_pytorch.c: the "pytorch" trainer plugin on the CPU, loaded and created as a
 * run does: LeNet-5 learning a few hundred Fashion-MNIST images (progress, weights handed
 * back), transferred weights reaching PyTorch and coming back unchanged when the learning rate
 * is negligible, a graph with every op of the std pack whose PyTorch forward pass must match
 * the C one on a probe image before it trains, and the errors a user meets: no interpreter,
 * no torch, no GPU, a cancelled run. Skipped, saying why, when no python3 can import torch. */
#include "test_util.h"
#include "train_fixture.h"
#include "trainer_util.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* An interpreter that imports torch and numpy: $CODEBENCH_PYTHON, python3, /usr/bin/python3. */
static const char *torch_python(void)
{
    static char found[512];
    static int tried;
    if (tried++)
        return found[0] ? found : NULL;
    const char *env = getenv("CODEBENCH_PYTHON");
    const char *cands[] = {env && env[0] ? env : "python3", "python3", "/usr/bin/python3"};
    for (int i = 0; i < 3; i++) {
        char cmd[700];
        snprintf(cmd, sizeof cmd, "'%s' -c 'import torch, numpy' >/dev/null 2>&1", cands[i]);
        if (system(cmd) == 0) {
            snprintf(found, sizeof found, "%s", cands[i]);
            return found;
        }
    }
    return NULL;
}

static const char *need_torch(void)
{
    const char *py = torch_python();
    if (!py)
        cr_skip_test("no python3 here imports torch and numpy (tried $CODEBENCH_PYTHON, python3, "
                     "/usr/bin/python3): install python3-torch to test the pytorch trainer");
    static char opt[600];
    snprintf(opt, sizeof opt, "python=%s", py);
    return opt;
}

static int cuda_available(const char *py)
{
    char cmd[700];
    snprintf(cmd, sizeof cmd, "'%s' -c 'import sys, torch; sys.exit(0 if torch.cuda.is_available() else 1)' "
                              ">/dev/null 2>&1", py);
    return system(cmd) == 0;
}

typedef struct curve {
    int calls, finals, last_epoch;
    double first, last;
} curve;

static void on_progress(void *ctx, const cb_train_progress *p)
{
    curve *c = ctx;
    if (c->calls++ == 0)
        c->first = p->loss;
    c->last = p->loss;
    c->last_epoch = p->epoch;
    c->finals += p->step == p->steps; /* one per epoch, after validation */
}

/* Room for LeNet-5's 10 tensors. */
typedef struct lenet_w {
    cb_tensor t[10];
    float data[10][48000];
} lenet_w;

static void lenet_room(lenet_w *w)
{
    cb_shape s[10] = {{6, 1, 1, 5, 5}, {6, 1, 1, 1, 1}, {16, 6, 1, 5, 5}, {16, 1, 1, 1, 1},
                      {120, 400, 1, 1, 1}, {120, 1, 1, 1, 1}, {84, 120, 1, 1, 1}, {84, 1, 1, 1, 1},
                      {10, 84, 1, 1, 1}, {10, 1, 1, 1, 1}};
    for (int i = 0; i < 10; i++) {
        w->t[i] = (cb_tensor){s[i], w->data[i]};
        for (int k = 0; k < 48000; k++)
            w->data[i][k] = NAN; /* so a tensor that is not written back shows */
    }
}

Test(train_pytorch, lenet5_learns_fashion_mnist_on_cpu)
{
    const char *set[] = {need_torch(), "device=cpu", "threads=2", "train_subset=600",
                         "test_subset=500", "batch=16", "epochs=6", "optimizer=adam", "lr=0.002", NULL};
    tu_trainer t;
    cb_error e = {0};
    cr_assert(eq(int, tu_open(&t, "pytorch", set, &e), CB_OK), "%s", e.msg);
    tf_graph g;
    tf_lenet5(&g);
    static lenet_w w;
    lenet_room(&w);
    curve c = {0};
    cb_train_result r;
    cr_assert(eq(int, tu_train(&t, &g.g, w.t, 10, on_progress, &c, &r, &e), CB_OK), "%s", e.msg);
    cr_assert(gt(dbl, r.accuracy, 0.6), "test accuracy %g after 6 epochs of 540 images", r.accuracy);
    cr_assert(eq(int, r.epochs, 6));
    cr_assert(gt(dbl, r.val_accuracy, 0.5));
    cr_assert(gt(dbl, r.images_per_s, 0));
    cr_assert(eq(int, c.finals, 6), "one report per epoch after validation");
    cr_assert(eq(int, c.last_epoch, 6));
    cr_assert(lt(dbl, c.last, 0.6 * c.first), "loss %g -> %g", c.first, c.last);
    for (int i = 0; i < 10; i++)
        for (int64_t k = 0; k < cb_shape_numel(w.t[i].shape); k++)
            cr_assert(isfinite(w.data[i][k]), "tensor %d [%lld] was not handed back", i, (long long)k);
    tu_close(&t);
}

/* Weights in, the same weights out: with a learning rate of 1e-7 nothing moves by more than
 * 1e-5, so the test accuracy of the transferred weights is the first run's, and every tensor
 * comes back as it went in (a tensor mapped to the wrong module, or transposed, would not). */
Test(train_pytorch, transferred_weights_round_trip)
{
    const char *py = need_torch();
    const char *first[] = {py, "device=cpu", "train_subset=300", "test_subset=300", "batch=32",
                           "epochs=2", "optimizer=adam", "lr=0.003", NULL};
    tu_trainer t;
    cb_error e = {0};
    tf_graph g;
    tf_lenet5(&g);
    static lenet_w a, b;
    lenet_room(&a);
    lenet_room(&b);
    cb_train_result ra, rb;
    cr_assert(eq(int, tu_open(&t, "pytorch", first, &e), CB_OK), "%s", e.msg);
    cr_assert(eq(int, tu_train(&t, &g.g, a.t, 10, NULL, NULL, &ra, &e), CB_OK), "%s", e.msg);
    tu_close(&t);
    const char *again[] = {py, "device=cpu", "train_subset=300", "test_subset=300", "batch=32",
                           "epochs=1", "optimizer=sgd", "momentum=0", "weight_decay=0",
                           "schedule=constant", "lr=1e-7", "val_fraction=0", NULL};
    cr_assert(eq(int, tu_open(&t, "pytorch", again, &e), CB_OK), "%s", e.msg);
    memcpy(b.data, a.data, sizeof a.data);
    uint8_t all[10];
    memset(all, 1, sizeof all);
    cb_train_job job = {sizeof job, &g.g, NULL, 10, b.t, all, NULL, NULL};
    cr_assert(eq(int, t.vt->train(t.inst.self, &job, &rb, &e), CB_OK), "%s", e.msg);
    cr_assert(eq(dbl, rb.accuracy, ra.accuracy), "%g after transfer, %g before", rb.accuracy, ra.accuracy);
    for (int i = 0; i < 10; i++)
        for (int64_t k = 0; k < cb_shape_numel(a.t[i].shape); k++)
            cr_assert(le(dbl, fabs((double)a.data[i][k] - b.data[i][k]), 1e-5),
                      "tensor %d [%lld]: %g went in, %g came back", i, (long long)k, a.data[i][k], b.data[i][k]);
    tu_close(&t);
}

/* Every op of the std pack, with its less common paths: batch-norm and SiLU in a convolution,
 * grouped and strided convolutions, a depth-wise separable one, a transposed one with output
 * padding, adds and concats of inputs of different sizes, a 3-D convolution that grows depth
 * and 5-D pooling, bilinear and nearest upsampling, dropout. */
static void all_ops(tf_graph *t)
{
    tf_graph_init(t, (cb_shape){1, 1, 1, 28, 28}, 10);
    snprintf(t->g.hash, sizeof t->g.hash, "all-ops");
    t->g.name = "all_ops";
    int32_t x = CB_NET_INPUT;
    int32_t c0 = tf_std_node(t, "conv2d", "channels=4 kernel=3 activation=silu", 1, &x);
    int32_t d1 = tf_std_node(t, "dwsconv2d", "out_channels=8 kernel=3 stride=2", 1, &c0);
    int32_t t2 = tf_std_node(t, "conv_transpose2d", "channels=4 kernel=3 stride=2 padding=1 output_padding=1", 1, &d1);
    int32_t a3 = tf_std_node(t, "add", NULL, 2, (int32_t[]){c0, t2});
    int32_t b4 = tf_std_node(t, "batchnorm", NULL, 1, &a3);
    int32_t r5 = tf_std_node(t, "relu", NULL, 1, &b4);
    int32_t m6 = tf_std_node(t, "maxpool", "kernel=3 stride=2 padding=1", 1, &r5);
    int32_t p7 = tf_std_node(t, "avgpool", "kernel=5 stride=2 padding=1", 1, &r5);
    int32_t a8 = tf_std_node(t, "add", NULL, 2, (int32_t[]){p7, r5}); /* 13x13 resized to 28x28 */
    int32_t k9 = tf_std_node(t, "concat", NULL, 3, (int32_t[]){m6, p7, d1});
    int32_t g10 = tf_std_node(t, "conv2d", "out_channels=16 kernel=1 groups=4 bias=true batchnorm=false activation=none", 1, &k9);
    int32_t s11 = tf_std_node(t, "channel_shuffle", "groups=2", 1, &g10);
    int32_t u12 = tf_std_node(t, "silu", NULL, 1, &s11);
    int32_t v13 = tf_std_node(t, "conv3d", "channels=4 kernel=3 padding=2", 1, &u12); /* depth 3 */
    int32_t q14 = tf_std_node(t, "maxpool", "kernel=3 stride=2 padding=1", 1, &v13);
    int32_t v15 = tf_std_node(t, "conv3d", "channels=4 kernel=3 padding=0", 1, &q14); /* depth 1 */
    int32_t up16 = tf_std_node(t, "upsample", "scale=2", 1, &v15);
    int32_t up17 = tf_std_node(t, "upsample", "scale=1.5 mode=nearest", 1, &up16);
    int32_t dr18 = tf_std_node(t, "dropout", "p=0.2", 1, &up17);
    int32_t f19 = tf_std_node(t, "flatten", NULL, 1, &dr18);
    int32_t h20 = tf_std_node(t, "dense", "units=84 activation=silu", 1, &f19);
    int32_t gp21 = tf_std_node(t, "global_avgpool", NULL, 1, &a8);
    int32_t c22 = tf_std_node(t, "concat", NULL, 2, (int32_t[]){h20, gp21});
    int32_t c23 = tf_std_node(t, "conv2d", "channels=16 kernel=3 stride=4 padding=0", 1, &c0);
    int32_t f24 = tf_std_node(t, "flatten", NULL, 1, &c23);
    int32_t c25 = tf_std_node(t, "concat", NULL, 2, (int32_t[]){c22, f24});
    tf_std_node(t, "dense", "classes=10", 1, &c25);
}

Test(train_pytorch, every_std_op_matches_and_trains)
{
    const char *set[] = {need_torch(), "device=cpu", "train_subset=96", "test_subset=64",
                         "batch=16", "epochs=1", "verify=true", NULL};
    tu_trainer t;
    cb_error e = {0};
    cr_assert(eq(int, tu_open(&t, "pytorch", set, &e), CB_OK), "%s", e.msg);
    tf_graph g;
    all_ops(&g);
    cb_train_result r;
    /* the script refuses to train when a probe image's logits differ from the engine's */
    cr_assert(eq(int, tu_train(&t, &g.g, NULL, 0, NULL, NULL, &r, &e), CB_OK), "%s", e.msg);
    cr_assert(eq(int, r.epochs, 1));
    cr_assert(r.accuracy >= 0 && r.accuracy <= 1);
    tu_close(&t);
}

Test(train_pytorch, missing_interpreter_or_torch)
{
    const char *py = need_torch();
    tu_trainer t;
    cb_error e = {0};
    tf_graph g;
    tf_lenet5(&g);
    cb_train_result r;
    const char *none[] = {"python=/nonexistent/python3", "train_subset=64", "test_subset=64", NULL};
    cr_assert(eq(int, tu_open(&t, "pytorch", none, &e), CB_OK), "%s", e.msg);
    cr_assert(eq(int, tu_train(&t, &g.g, NULL, 0, NULL, NULL, &r, &e), CB_EINVAL));
    cr_assert(eq(str, e.plugin, "pytorch"));
    cr_assert(eq(str, e.param, "python"));
    cr_assert(ne(ptr, strstr(e.msg, "python3-torch"), NULL), "%s", e.msg);
    tu_close(&t);

    /* an interpreter whose `import torch` fails: a package of that name that raises */
    char dir[64], pkg[96], init[128];
    snprintf(dir, sizeof dir, "/tmp/cb_notorch_%ld", (long)getpid());
    snprintf(pkg, sizeof pkg, "%s/torch", dir);
    snprintf(init, sizeof init, "%s/__init__.py", pkg);
    mkdir(dir, 0755);
    mkdir(pkg, 0755);
    FILE *f = fopen(init, "w");
    fputs("raise ImportError('no torch in this test')\n", f);
    fclose(f);
    setenv("PYTHONPATH", dir, 1);
    const char *set[] = {py, "train_subset=64", "test_subset=64", NULL};
    cr_assert(eq(int, tu_open(&t, "pytorch", set, &e), CB_OK), "%s", e.msg);
    int rc = tu_train(&t, &g.g, NULL, 0, NULL, NULL, &r, &e);
    unsetenv("PYTHONPATH");
    unlink(init);
    rmdir(pkg);
    rmdir(dir);
    cr_assert(eq(int, rc, CB_EFAIL));
    cr_assert(eq(str, e.plugin, "pytorch"));
    cr_assert(ne(ptr, strstr(e.msg, "cannot import torch"), NULL), "%s", e.msg);
    cr_assert(ne(ptr, strstr(e.msg, "install python3-torch"), NULL), "%s", e.msg);
    tu_close(&t);
}

Test(train_pytorch, cuda_without_a_gpu_and_cancel)
{
    const char *py = need_torch();
    tu_trainer t;
    cb_error e = {0};
    tf_graph g;
    tf_lenet5(&g);
    cb_train_result r;
    if (!cuda_available(py + strlen("python="))) {
        const char *set[] = {py, "device=cuda", "train_subset=64", "test_subset=64", NULL};
        cr_assert(eq(int, tu_open(&t, "pytorch", set, &e), CB_OK), "%s", e.msg);
        cr_assert(eq(int, tu_train(&t, &g.g, NULL, 0, NULL, NULL, &r, &e), CB_EINVAL));
        cr_assert(eq(str, e.param, "device"));
        cr_assert(ne(ptr, strstr(e.msg, "no CUDA device"), NULL), "%s", e.msg);
        tu_close(&t);
    }
    const char *set[] = {py, "train_subset=64", "test_subset=64", NULL};
    cr_assert(eq(int, tu_open(&t, "pytorch", set, &e), CB_OK), "%s", e.msg);
    cb_host_cancel();
    cr_assert(eq(int, tu_train(&t, &g.g, NULL, 0, NULL, NULL, &r, &e), CB_ECANCEL));
    tu_close(&t);
}

Test(train_pytorch, graph_that_does_not_fit_the_data)
{
    const char *set[] = {need_torch(), "train_subset=64", "test_subset=64", NULL};
    tu_trainer t;
    cb_error e = {0};
    cr_assert(eq(int, tu_open(&t, "pytorch", set, &e), CB_OK), "%s", e.msg);
    tf_graph g;
    tf_vgg_bn(&g, 3, 32, 8); /* CIFAR-sized input, Fashion-MNIST data */
    cb_train_result r;
    cr_assert(eq(int, tu_train(&t, &g.g, NULL, 0, NULL, NULL, &r, &e), CB_EINVAL));
    cr_assert(ne(ptr, strstr(e.msg, "takes 3x1x32x32"), NULL), "%s", e.msg);
    cr_assert(eq(str, e.plugin, "pytorch"));
    tu_close(&t);
}
