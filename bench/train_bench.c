/* bench/train_bench.c: trains LeNet-5 (Fashion-MNIST) or a small VGG with batch-norm
 * (CIFAR-10) through a trainer plugin (native unless trainer=NAME says otherwise), as a run
 * would (registry, libffi create), and prints training images per second, test accuracy and
 * peak RSS. bench/train.sh builds and runs it beside the PyTorch peer (bench/train_torch.py);
 * bench/train_agree.sh runs it with the native and the pytorch trainers at equal recipe.
 *
 *   train_bench BUILD lenet5|vgg [trainer=NAME] [param=value ...]   (the trainer's parameters)
 */
#include "host/host.h"
#include "plugin/bind.h"
#include "plugin/param.h"
#include "plugin/registry.h"

#include <codebench/codebench.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#define MAX_NODES 32

typedef struct net {
    cb_graph g;
    cb_node nodes[MAX_NODES];
    int32_t ins[MAX_NODES];
    cb_value attrs[MAX_NODES][16];
    cb_registry *reg;
} net;

static void die(const char *what, const char *msg)
{
    fprintf(stderr, "train_bench: %s: %s\n", what, msg);
    exit(1);
}

/* Sets attribute values from "name=value ..." over the op's defaults. */
static void set_attrs(const cb_op_vt *vt, cb_value *vals, const char *op, const char *spec)
{
    char why[256], copy[256], *save = NULL;
    if (cb_param_defaults(vt->attrs, vals, why, sizeof why))
        die(op, why);
    snprintf(copy, sizeof copy, "%s", spec ? spec : "");
    for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
        char *eq = strchr(t, '=');
        *eq = '\0';
        int k = cb_param_index(vt->attrs, t);
        if (k < 0 || cb_param_parse(&vt->attrs[k], eq + 1, false, &vals[k], why, sizeof why))
            die(op, k < 0 ? "unknown attribute" : why);
    }
}

/* Appends a vertex reading the previous one (or the input); a chain is all these nets need. */
static void add(net *n, const char *op, const char *spec)
{
    cb_error e = {0};
    const cb_entry *en = cb_registry_find(n->reg, CB_KIND_OP, op, &e);
    if (!en)
        die(op, e.msg);
    const cb_op_vt *vt = en->plugin->vtable;
    int i = n->g.n_nodes++;
    set_attrs(vt, n->attrs[i], op, spec);
    n->ins[i] = i - 1; /* i = 0 reads CB_NET_INPUT (-1) */
    cb_shape in = i ? n->nodes[i - 1].out : n->g.input;
    n->nodes[i] = (cb_node){op, vt, n->attrs[i], 1, &n->ins[i], {0}, -1};
    if (vt->infer(n->attrs[i], 1, &in, &n->nodes[i].out, &e))
        die(op, e.msg);
}

static void build(net *n, const char *model)
{
    n->g = (cb_graph){.size = sizeof n->g, .nodes = n->nodes, .classes = 10, .name = model};
    snprintf(n->g.hash, sizeof n->g.hash, "bench-%s", model);
    if (!strcmp(model, "lenet5")) {
        n->g.input = (cb_shape){1, 1, 1, 28, 28};
        add(n, "conv2d", "channels=6 kernel=5 padding=2 batchnorm=false bias=true");
        add(n, "maxpool", "kernel=3 stride=2 padding=1");
        add(n, "conv2d", "channels=16 kernel=5 padding=0 batchnorm=false bias=true");
        add(n, "maxpool", "kernel=3 stride=2 padding=1");
        add(n, "flatten", NULL);
        add(n, "dense", "units=120");
        add(n, "dense", "units=84");
        add(n, "dense", "classes=10");
    } else {
        /* VGG-style: 2 x (conv-bn-relu, conv-bn-relu, maxpool) at 32 and 64 channels, then
         * conv 128, global average pooling and the classifier */
        n->g.input = (cb_shape){1, 3, 1, 32, 32};
        add(n, "conv2d", "channels=32 kernel=3");
        add(n, "conv2d", "channels=32 kernel=3");
        add(n, "maxpool", "kernel=3 stride=2 padding=1");
        add(n, "conv2d", "channels=64 kernel=3");
        add(n, "conv2d", "channels=64 kernel=3");
        add(n, "maxpool", "kernel=3 stride=2 padding=1");
        add(n, "conv2d", "channels=128 kernel=3");
        add(n, "global_avgpool", NULL);
        add(n, "dense", "classes=10");
    }
}

static void on_progress(void *ctx, const cb_train_progress *p)
{
    (void)ctx;
    if (p->step == p->steps)
        fprintf(stderr, "  epoch %d/%d: loss %.4f, train accuracy %.4f, validation %.4f, %.0f images/s\n",
                p->epoch, p->epochs, p->loss, p->accuracy, p->val_accuracy, p->images_per_s);
}

int main(int argc, char **argv)
{
    if (argc < 3)
        die("usage", "train_bench BUILD lenet5|vgg [param=value ...]");
    static cb_registry reg;
    cb_registry_init(&reg);
    cb_error e = {0};
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/plugins", argv[1]);
    if (cb_registry_load_dir(&reg, dir, &e))
        die(dir, e.msg);
    static net n;
    n.reg = &reg;
    build(&n, argv[2]);
    const char *trainer = "native";
    for (int a = 3; a < argc; a++)
        if (!strncmp(argv[a], "trainer=", 8))
            trainer = argv[a] + 8;
    const cb_entry *tr = cb_registry_find(&reg, CB_KIND_TRAINER, trainer, &e);
    if (!tr)
        die(trainer, e.msg);
    const cb_plugin *p = tr->plugin;
    cb_value vals[64];
    char why[256];
    if (cb_param_defaults(p->params, vals, why, sizeof why))
        die(trainer, why);
    int threads = 2;
    for (int a = 3; a < argc; a++) {
        if (!strncmp(argv[a], "trainer=", 8))
            continue;
        char *eq = strchr(argv[a], '=');
        if (!eq)
            die(argv[a], "expected param=value");
        *eq = '\0';
        int k = cb_param_index(p->params, argv[a]);
        if (k < 0 || cb_param_parse(&p->params[k], eq + 1, false, &vals[k], why, sizeof why))
            die(argv[a], k < 0 ? "unknown parameter" : why);
        if (!strcmp(argv[a], "threads"))
            threads = atoi(eq + 1);
    }
    const char *pool = getenv("BENCH_POOL"); /* the core pool size, when it should differ */
    cb_host_configure(1, pool ? atoi(pool) : threads > 0 ? threads : 2, CB_LOG_INFO);
    cb_host *h = cb_host_new(trainer);
    cb_instance inst;
    if (cb_plugin_create(p, h, vals, &inst, &e))
        die(trainer, e.msg);
    cb_train_job job = {sizeof job, &n.g, NULL, 0, NULL, NULL, on_progress, NULL};
    cb_train_result r;
    if (((const cb_trainer_vt *)p->vtable)->train(inst.self, &job, &r, &e))
        die("train", e.msg);
    struct rusage ru, rc;
    getrusage(RUSAGE_SELF, &ru);
    getrusage(RUSAGE_CHILDREN, &rc); /* a trainer that runs a subprocess (pytorch) */
    printf("%s %-6s threads %d: %8.0f images/s training, test accuracy %.4f after %d epoch(s), %.1f s, peak RSS %.0f MB",
           trainer, argv[2], threads, r.images_per_s, r.accuracy, r.epochs, r.seconds, ru.ru_maxrss / 1024.0);
    if (rc.ru_maxrss > 0)
        printf(" (subprocess %.0f MB)", rc.ru_maxrss / 1024.0);
    printf("\n");
    cb_instance_destroy(&inst);
    cb_host_free(h);
    cb_host_shutdown();
    return 0;
}
