/* core/cli/train_opts.c: the options of `codebench train`: parsing, where the data set is and
 * in which format, which trainer runs, and the trainer's parameter values. Recipe and data
 * options become trainer parameters of the same meaning (epochs, batch, lr, optimizer,
 * schedule, weight_decay, train_subset, test_subset, data_path, data_format), checked against
 * the chosen trainer's schema by the strict parser every manifest value goes through. */
#include "cli/commands.h"
#include "cli/train.h"
#include "plugin/param.h"
#include "util/util.h"

#include <codebench/sdk.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DATASETS "/usr/share/datasets"

void cb_train_usage(FILE *out)
{
    fprintf(out,
            "usage: codebench train --model CARD [--data DATASET] [options]\n\n"
            "Trains the CNN of a model card on a data set with a trainer plugin and prints its test\n"
            "accuracy. Progress goes to stderr: a bar on a terminal, one line per epoch otherwise.\n"
            "  --model CARD        the model card (YAML)\n"
            "  --data DATASET      a data set folder, or a name under " DATASETS " (fashion-mnist);\n"
            "                      every trainer with a data_path needs it (tabular does not)\n"
            "  --data-format F     idx, cifar10, cifar100 or folder (default: recognised from the files)\n"
            "  --trainer NAME      the trainer plugin (default: $CODEBENCH_TRAINER, else the only one\n"
            "                      installed; `codebench plugins --kind trainer` lists them)\n"
            "  --epochs N  --batch B  --lr X  --optimizer sgd|adam|adamw  --schedule S\n"
            "  --weight-decay W    the recipe (default: the trainer's)\n"
            "  --subset N          training images kept (0: all); --test-subset N likewise\n"
            "  --set NAME=VALUE    any other parameter of the trainer (repeatable)\n"
            "  --save FILE         write the trained weights (safetensors, docs/checkpoint.md)\n"
            "  --seed N            the run's seed (subsets, validation split, initial weights)\n"
            "  --threads N         worker threads (default: the processors)\n"
            "  --plugin-path DIR   search DIR for plugins first (repeatable)\n"
            "  --quiet, --verbose  no progress; the trainer's log lines too\n"
            "Ctrl-C stops training (exit 1). Exit status: 0 ok, 1 failure at run time, 2 bad input.\n");
}

/* The options that become a trainer parameter of the same meaning. */
static const struct {
    const char *option, *param;
} mapped[] = {{"--epochs", "epochs"},       {"--batch", "batch"},
              {"--lr", "lr"},               {"--optimizer", "optimizer"},
              {"--schedule", "schedule"},   {"--weight-decay", "weight_decay"},
              {"--subset", "train_subset"}, {"--test-subset", "test_subset"}};

bool cb_train_has_set(const cb_train_opts *o, const char *param)
{
    for (int k = 0; k < o->n_sets; k++)
        if (!strcmp(o->sets[k].param, param))
            return true;
    return false;
}

static int add_set(cb_train_opts *o, const char *param, const char *value, const char *option)
{
    if (o->n_sets == CB_TRAIN_MAX_SETS) {
        fprintf(stderr, "codebench train: more than %d parameters set\n", CB_TRAIN_MAX_SETS);
        return CB_EXIT_USAGE;
    }
    o->sets[o->n_sets++] = (cb_train_set){param, value, option};
    return CB_EXIT_OK;
}

static int parse_number(const char *opt, const char *text, long long max, long long *out)
{
    char *end;
    long long v = strtoll(text, &end, 10);
    if (*text && !*end && v >= 0 && v <= max) {
        *out = v;
        return CB_EXIT_OK;
    }
    fprintf(stderr, "codebench train: %s: expected a whole number from 0 to %lld, got '%s'\n", opt, max, text);
    return CB_EXIT_USAGE;
}

/* One option with a value; returns CB_EXIT_OK, CB_EXIT_USAGE, or -1 when a is not one. */
static int value_option(cb_train_opts *o, const char *a, char *v)
{
    long long n;
    for (size_t k = 0; k < sizeof mapped / sizeof mapped[0]; k++)
        if (!strcmp(a, mapped[k].option))
            return add_set(o, mapped[k].param, v, mapped[k].option);
    const char **strs[] = {&o->model, &o->data, &o->data_format, &o->trainer, &o->save};
    const char *names[] = {"--model", "--data", "--data-format", "--trainer", "--save"};
    for (int k = 0; k < 5; k++)
        if (!strcmp(a, names[k])) {
            *strs[k] = v;
            return CB_EXIT_OK;
        }
    if (!strcmp(a, "--plugin-path")) {
        o->plugin_path[o->n_path++] = v;
        return CB_EXIT_OK;
    }
    if (!strcmp(a, "--set")) {
        char *eq = strchr(v, '=');
        if (!eq || eq == v) {
            fprintf(stderr, "codebench train: --set takes NAME=VALUE, got '%s'\n", v);
            return CB_EXIT_USAGE;
        }
        *eq = '\0';
        return add_set(o, v, eq + 1, "--set");
    }
    if (!strcmp(a, "--seed")) {
        int rc = parse_number(a, v, 0x7fffffffffffffffLL, &n);
        o->seed = (uint64_t)n;
        return rc;
    }
    if (!strcmp(a, "--threads")) {
        int rc = parse_number(a, v, 1024, &n);
        o->threads = (int)n;
        return rc;
    }
    return -1;
}

int cb_train_parse(int argc, char **argv, cb_train_opts *o)
{
    memset(o, 0, sizeof *o);
    o->plugin_path = cb_xcalloc((size_t)argc + 1, sizeof *o->plugin_path);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
            o->quiet = true;
            continue;
        }
        if (!strcmp(a, "--verbose") || !strcmp(a, "-v")) {
            o->verbose = true;
            continue;
        }
        int rc = i + 1 < argc ? value_option(o, a, argv[i + 1]) : -1;
        if (rc == -1) {
            fprintf(stderr, "codebench train: %s '%s'\n",
                    i + 1 < argc || strncmp(a, "--", 2) ? "unexpected argument" : "missing the value of", a);
            cb_train_usage(stderr);
            return CB_EXIT_USAGE;
        }
        if (rc)
            return rc;
        i++;
    }
    if (!o->model) {
        fprintf(stderr, "codebench train: --model is required\n");
        cb_train_usage(stderr);
        return CB_EXIT_USAGE;
    }
    return CB_EXIT_OK;
}

static bool exists(const char *dir, const char *name, bool want_dir)
{
    char path[4400];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return stat(path, &st) == 0 && (want_dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode));
}

/* The SDK loaders' layouts (docs/trainers.md, data sets). */
static const char *guess_format(const char *dir)
{
    if (exists(dir, "train-images-idx3-ubyte.gz", false) || exists(dir, "train-images-idx3-ubyte", false))
        return "idx";
    if (exists(dir, "cifar-10-batches-bin", true) || exists(dir, "data_batch_1.bin", false) ||
        exists(dir, "test_batch.bin", false))
        return "cifar10";
    if (exists(dir, "cifar-100-binary", true) ||
        (exists(dir, "train.bin", false) && exists(dir, "test.bin", false)))
        return "cifar100";
    if (exists(dir, "train", true) && exists(dir, "test", true))
        return "folder";
    return NULL;
}

static void list_datasets(void)
{
    DIR *d = opendir(DATASETS);
    struct dirent *de;
    int n = 0;
    while (d && (de = readdir(d)) != NULL)
        if (de->d_name[0] != '.')
            fprintf(stderr, "%s%s", n++ ? ", " : "  installed here: ", de->d_name);
    if (n)
        fputc('\n', stderr);
    if (d)
        closedir(d);
}

int cb_train_resolve_data(cb_train_opts *o)
{
    static char path[4200];
    struct stat st;
    if (stat(o->data, &st) == 0 && S_ISDIR(st.st_mode))
        snprintf(path, sizeof path, "%s", o->data);
    else if (!strchr(o->data, '/') && snprintf(path, sizeof path, DATASETS "/%s", o->data) > 0 &&
             stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        ;
    else {
        fprintf(stderr, "codebench train: --data %s: no such folder (nor %s/%s)\n", o->data, DATASETS, o->data);
        list_datasets();
        return CB_EXIT_USAGE;
    }
    const char *fmt = o->data_format ? o->data_format : guess_format(path);
    if (!fmt) {
        fprintf(stderr, "codebench train: --data %s: cannot tell its format (no IDX, CIFAR or train/ and "
                        "test/ folders): pass --data-format\n", path);
        return CB_EXIT_USAGE;
    }
    int rc = add_set(o, "data_path", path, "--data");
    return rc ? rc : add_set(o, "data_format", fmt, o->data_format ? "--data-format" : "--data");
}

static void list_trainers(const cb_registry *reg)
{
    int n = 0;
    for (size_t i = 0; i < reg->n_entries; i++)
        if (reg->entries[i].plugin->kind == CB_KIND_TRAINER)
            fprintf(stderr, "%s%s", n++ ? ", " : "  trainers found: ", reg->entries[i].plugin->name);
    fprintf(stderr, n ? "\n" : "  no trainer plugin was found on the plugin path\n");
}

const cb_entry *cb_train_pick_trainer(const cb_registry *reg, const cb_train_opts *o)
{
    const char *env = getenv("CODEBENCH_TRAINER");
    const char *name = o->trainer ? o->trainer : env && env[0] ? env : NULL;
    cb_error e = {0};
    if (name) {
        const cb_entry *en = cb_registry_find(reg, CB_KIND_TRAINER, name, &e);
        if (!en)
            fprintf(stderr, "codebench train: %s%s\n", e.msg, o->trainer ? "" : " (from $CODEBENCH_TRAINER)");
        return en;
    }
    const cb_entry *only = NULL;
    int n = 0;
    for (size_t i = 0; i < reg->n_entries; i++)
        if (reg->entries[i].plugin->kind == CB_KIND_TRAINER)
            only = &reg->entries[i], n++;
    if (n == 1)
        return only;
    fprintf(stderr, "codebench train: which trainer? pass --trainer NAME or set CODEBENCH_TRAINER\n");
    list_trainers(reg);
    return NULL;
}

int cb_train_values(const cb_plugin *p, const cb_train_opts *o, cb_value *vals)
{
    char why[256];
    if (cb_param_defaults(p->params, vals, why, sizeof why)) {
        fprintf(stderr, "codebench train: trainer %s: %s\n", p->name, why);
        return CB_EXIT_USAGE;
    }
    for (int k = 0; k < o->n_sets; k++) {
        const cb_train_set *s = &o->sets[k];
        int i = cb_param_index(p->params, s->param);
        if (i < 0) {
            fprintf(stderr, "codebench train: %s: trainer %s has no parameter '%s' (`codebench plugins show %s` lists them)\n",
                    s->option, p->name, s->param, p->name);
            return CB_EXIT_USAGE;
        }
        /* command-line text is never YAML-quoted: STR and ENUM take it as it is */
        bool quoted = p->params[i].type == CB_T_STR;
        if (cb_param_parse(&p->params[i], s->value, quoted, &vals[i], why, sizeof why)) {
            fprintf(stderr, "codebench train: %s: %s %s\n", s->option, s->param, why);
            return CB_EXIT_USAGE;
        }
    }
    return CB_EXIT_OK;
}
