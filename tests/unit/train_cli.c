/* tests/unit/train_cli.c: `codebench train` as a user meets it (build/codebench run in a
 * shell): a LeNet-5 model card trained for one epoch on a few hundred Fashion-MNIST images with
 * plain progress lines (stderr is not a terminal) and the result on stdout, the trainer taken
 * from $CODEBENCH_TRAINER, --save writing safetensors, and the exit status and first line of
 * the errors met first (no trainer chosen, a bad option value, a parameter the trainer lacks,
 * a missing data set, a broken card). */
#include "test_util.h"
#include "trainer_util.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *card_text =
    "name: lenet5\n"
    "input: {channels: 1, height: 28, width: 28}\n"
    "classes: 10\n"
    "layers:\n"
    "  - {name: c1, op: conv2d, attrs: {channels: 6, kernel: 5, padding: 2, batchnorm: false, bias: true}}\n"
    "  - {name: p1, op: maxpool, attrs: {kernel: 3, stride: 2, padding: 1}}\n"
    "  - {name: c2, op: conv2d, attrs: {channels: 16, kernel: 5, padding: 0, batchnorm: false, bias: true}}\n"
    "  - {name: p2, op: maxpool, attrs: {kernel: 3, stride: 2, padding: 1}}\n"
    "  - {name: f, op: flatten}\n"
    "  - {name: d1, op: dense, attrs: {units: 120}}\n"
    "  - {name: d2, op: dense, attrs: {units: 84}}\n"
    "  - {name: out, op: dense, attrs: {classes: 10}}\n";

typedef struct cli {
    char dir[64], card[96], out[96], err[96];
    int status;
    char stdout_text[4096], stderr_text[4096];
} cli;

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert(ne(ptr, f, NULL), "%s", path);
    fputs(text, f);
    fclose(f);
}

static void slurp(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, len - 1, f) : 0;
    buf[n] = '\0';
    if (f)
        fclose(f);
}

static void setup_cli(cli *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->dir, sizeof c->dir, "/tmp/cb_train_cli_%ld", (long)getpid());
    char cmd[128];
    snprintf(cmd, sizeof cmd, "mkdir -p %s", c->dir);
    cr_assert(eq(int, system(cmd), 0));
    snprintf(c->card, sizeof c->card, "%s/lenet5.yaml", c->dir);
    snprintf(c->out, sizeof c->out, "%s/out", c->dir);
    snprintf(c->err, sizeof c->err, "%s/err", c->dir);
    write_text(c->card, card_text);
}

static void teardown_cli(cli *c)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", c->dir);
    cr_assert(eq(int, system(cmd), 0));
}

/* Runs `env ENV codebench train ARGS`; the exit status and both outputs land in c. */
static void train(cli *c, const char *env, const char *args)
{
    char *exe = cb_test_path("codebench");
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "env -u CODEBENCH_PLUGIN_PATH -u CODEBENCH_TRAINER %s '%s' train %s >%s 2>%s </dev/null",
             env, exe, args, c->out, c->err);
    free(exe);
    int rc = system(cmd);
    c->status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
    slurp(c->out, c->stdout_text, sizeof c->stdout_text);
    slurp(c->err, c->stderr_text, sizeof c->stderr_text);
}

static void has(const char *text, const char *want)
{
    cr_assert(ne(ptr, strstr(text, want), NULL), "'%s' not in:\n%s", want, text);
}

Test(train_cli, trains_a_card_and_saves_the_weights)
{
    char *exe = cb_test_path("codebench");
    if (access(exe, X_OK) != 0)
        cr_skip_test("%s is not built", exe);
    free(exe);
    cli c;
    setup_cli(&c);
    char args[512];
    snprintf(args, sizeof args, "--model %s --data fashion-mnist --epochs 1 --subset 400 --test-subset 300 "
                                "--batch 32 --optimizer adam --lr 0.003 --save %s/w.safetensors",
             c.card, c.dir);
    train(&c, "CODEBENCH_TRAINER=native", args);
    cr_assert(eq(int, c.status, 0), "%s", c.stderr_text);
    has(c.stdout_text, "lenet5 on native: test accuracy 0.");
    has(c.stdout_text, "after 1 epoch,");
    has(c.stderr_text, "epoch 1/1: loss ");
    cr_assert(eq(ptr, strchr(c.stderr_text, '\r'), NULL), "no bar when stderr is not a terminal");
    char path[160];
    snprintf(path, sizeof path, "%s/w.safetensors", c.dir);
    cr_assert(eq(str, (char *)tu_st_meta(path, "graph_name"), "lenet5"));
    cr_assert(eq(int, (int)strlen(tu_st_meta(path, "graph_hash")), 64));
    teardown_cli(&c);
}

Test(train_cli, errors_met_first)
{
    char *exe = cb_test_path("codebench");
    if (access(exe, X_OK) != 0)
        cr_skip_test("%s is not built", exe);
    free(exe);
    cli c;
    setup_cli(&c);
    char args[512];
    snprintf(args, sizeof args, "--model %s --data fashion-mnist", c.card);
    train(&c, "", args); /* several trainers are built: which one? */
    cr_assert(eq(int, c.status, 2));
    has(c.stderr_text, "codebench train: which trainer? pass --trainer NAME or set CODEBENCH_TRAINER\n");
    has(c.stderr_text, "trainers found: native");

    snprintf(args, sizeof args, "--model %s --data fashion-mnist --trainer native --lr 20", c.card);
    train(&c, "", args);
    cr_assert(eq(int, c.status, 2));
    has(c.stderr_text, "codebench train: --lr: lr 20 is out of range");

    snprintf(args, sizeof args, "--model %s --data fashion-mnist --trainer native --set bogus=1", c.card);
    train(&c, "", args);
    cr_assert(eq(int, c.status, 2));
    has(c.stderr_text, "codebench train: --set: trainer native has no parameter 'bogus'");

    snprintf(args, sizeof args, "--model %s --data no-such-data --trainer native", c.card);
    train(&c, "", args);
    cr_assert(eq(int, c.status, 2));
    has(c.stderr_text, "codebench train: --data no-such-data: no such folder");

    snprintf(args, sizeof args, "--model %s --data fashion-mnist --trainer nativ", c.card);
    train(&c, "", args);
    cr_assert(eq(int, c.status, 2));
    has(c.stderr_text, "did you mean 'native'?");

    write_text(c.card, "name: broken\ninput: {channels: 1, height: 28, width: 28}\nclasses: 10\n"
                       "layers:\n  - {name: c1, op: conv9d}\n");
    snprintf(args, sizeof args, "--model %s --data fashion-mnist --trainer native", c.card);
    train(&c, "", args);
    cr_assert(eq(int, c.status, 2));
    has(c.stderr_text, "lenet5.yaml:5:");

    train(&c, "", "--data fashion-mnist");
    cr_assert(eq(int, c.status, 2));
    has(c.stderr_text, "--model is required");

    /* --data may be left out only for a trainer that reads no data set */
    char *card = cb_test_src("examples/models/lenet5.yaml");
    snprintf(args, sizeof args, "--model %s --trainer native", card);
    free(card);
    train(&c, "", args);
    cr_assert(eq(int, c.status, 2));
    has(c.stderr_text, "trainer 'native' trains on a data set: pass --data");
    teardown_cli(&c);
}
