/* fuzz/checkpoint.c: libFuzzer harness for the checkpoint reader (sdk/lib/ckpt_*.c): every
 * input is a would-be safetensors file loaded into a small real engine (a convolution, global
 * pooling and a dense classifier from the fuzz build's op plugins) with an Adam optimizer, so
 * the header parser, the per-tensor checks and the reads all run.
 *
 * With $CB_FUZZ_CKPT_SEED set, the harness instead saves that engine's checkpoint to the path
 * it names and exits: `make fuzz` makes its seed so, since examples/ holds no checkpoints. */
#include "cnn/net.h"
#include "fuzz_util.h"
#include "host/host.h"

#include <codebench/checkpoint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char card[] =
    "name: fuzznet\n"
    "input: {channels: 1, height: 6, width: 6}\n"
    "classes: 3\n"
    "layers:\n"
    "  - {name: conv, op: conv2d, attrs: {out_channels: 2, kernel: 3, stride: 2}}\n"
    "  - {name: pool, op: global_avgpool}\n"
    "  - {name: out, op: dense, attrs: {classes: 3}}\n";

static cb_net net;
static cb_engine *en;
static cb_engine_optim *opt;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    cb_registry *reg = cb_fuzz_registry();
    const char *path = cb_fuzz_file("net.yaml", (const uint8_t *)card, sizeof card - 1);
    cb_diag d;
    cb_error e = {0};
    if (cb_net_load_card(path, reg, &net, &d) != CB_OK) {
        fprintf(stderr, "fuzz_checkpoint: %s (are the op plugins built?)\n", d.msg);
        exit(1);
    }
    cb_host_configure(7, 1, CB_LOG_WARN);
    cb_engine_opts eo = {4, 1};
    cb_recipe r = {sizeof r, CB_OPT_ADAM, 0.01, 0.9, 0.9, 0.999, 0, 0, 0, 1, 1, 4, 0};
    if (cb_engine_new(&net.g, cb_host_new("fuzz"), &eo, &en, &e) != CB_OK ||
        cb_engine_init(en, 1, NULL, NULL, &e) != CB_OK || cb_engine_optim_new(en, &r, 0, &opt, &e) != CB_OK) {
        fprintf(stderr, "fuzz_checkpoint: %s\n", e.msg);
        exit(1);
    }
    const char *seed = getenv("CB_FUZZ_CKPT_SEED");
    if (seed && *seed) {
        cb_ckpt_info info = {"0123abcd", 2, 17, {1, 2, 3, 4}, 0.5, 1};
        if (cb_ckpt_save(seed, en, opt, &info, &e) != CB_OK) {
            fprintf(stderr, "fuzz_checkpoint: %s\n", e.msg);
            exit(1);
        }
        exit(0);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = cb_fuzz_file("ck.safetensors", data, size);
    cb_ckpt_info info;
    cb_error e = {0};
    /* half the inputs without the optimizer: the weights-only path checks less */
    cb_ckpt_load(path, en, size & 1 ? NULL : opt, &info, &e);
    return 0;
}
