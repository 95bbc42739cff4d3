/* core/cli/cmd_train.c: `codebench train --model CARD --data DATASET [...]`: one CNN trained by
 * one trainer plugin, outside any study: the model card becomes a graph (core/cnn), the
 * options become the trainer's parameters (train_opts.c), progress is shown as it comes
 * (train_view.c), and the test accuracy is printed; --save writes the trained weights. */
#include "cli/commands.h"
#include "cli/train.h"
#include "cnn/net.h"
#include "host/host.h"
#include "plugin/bind.h"

#include <codebench/checkpoint.h>
#include <codebench/engine.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct train_cmd {
    cb_train_opts o;
    cb_registry reg;
    cb_net net;
    bool have_net;
    const cb_plugin *trainer;
    cb_host *host;
    cb_instance inst;
    bool have_inst;
    cb_engine *en;          /* --save: holds the weights the trainer hands back */
    cb_tensor *weights;
} train_cmd;

static int exit_for(int code)
{
    return code == CB_EINVAL ? CB_EXIT_USAGE : CB_EXIT_FAIL;
}

static void print_error(const cb_error *e)
{
    fprintf(stderr, "codebench train: %s%s%s%s%s\n", e->plugin[0] ? e->plugin : "",
            e->plugin[0] ? ": " : "", e->param[0] ? e->param : "", e->param[0] ? ": " : "", e->msg);
}

/* A trainer with a data_path parameter reads a data set: without --data (or --set data_path=)
 * it is a usage error here, before the trainer says so in its own terms. */
static int needs_data(const train_cmd *c)
{
    if (c->o.data)
        return CB_EXIT_OK;
    for (const cb_param *p = c->trainer->params; p && p->name; p++)
        if (!strcmp(p->name, "data_path") && !cb_train_has_set(&c->o, "data_path")) {
            fprintf(stderr, "codebench train: trainer '%s' trains on a data set: pass --data DATASET\n",
                    c->trainer->name);
            return CB_EXIT_USAGE;
        }
    return CB_EXIT_OK;
}

static int load(train_cmd *c)
{
    cb_error e = {0};
    if (cb_registry_load_default(&c->reg, c->o.plugin_path, c->o.n_path, &e)) {
        fprintf(stderr, "codebench train: %s\n", e.msg);
        return CB_EXIT_USAGE;
    }
    cb_diag d;
    cb_diag_clear(&d);
    if (cb_net_load_card(c->o.model, &c->reg, &c->net, &d)) {
        cb_diag_print(&d, stderr);
        return CB_EXIT_USAGE;
    }
    c->have_net = true;
    const cb_entry *en = cb_train_pick_trainer(&c->reg, &c->o);
    if (!en)
        return CB_EXIT_USAGE;
    c->trainer = en->plugin;
    return needs_data(c);
}

static int create(train_cmd *c)
{
    int n = 0;
    while (c->trainer->params && c->trainer->params[n].name)
        n++;
    cb_value *vals = calloc((size_t)n + 1, sizeof *vals);
    int rc = vals ? cb_train_values(c->trainer, &c->o, vals) : CB_EXIT_FAIL;
    if (rc == CB_EXIT_OK) {
        cb_error e = {0};
        c->host = cb_host_new(c->trainer->name);
        if (cb_plugin_create(c->trainer, c->host, vals, &c->inst, &e)) {
            print_error(&e);
            rc = exit_for(e.code);
        } else {
            c->have_inst = true;
        }
    }
    free(vals);
    return rc;
}

/* --save: room for the trained weights, in an engine over the graph so the SDK's checkpoint
 * writer can save them. */
static int make_room(train_cmd *c, cb_train_job *job)
{
    cb_error e = {0};
    cb_engine_opts eo = {1, 1};
    if (cb_engine_new(&c->net.g, c->host, &eo, &c->en, &e)) {
        print_error(&e);
        return exit_for(e.code);
    }
    int32_t n = cb_engine_n_weights(c->en);
    c->weights = calloc((size_t)n + 1, sizeof *c->weights);
    uint8_t *mask = calloc((size_t)n + 1, 1); /* nothing transferred: the slots are for output */
    if (!c->weights || !mask) {
        free(mask);
        return CB_EXIT_FAIL;
    }
    for (int32_t i = 0; i < n; i++)
        c->weights[i] = *cb_engine_weight(c->en, i);
    job->n_weights = n;
    job->weights = c->weights;
    job->init_mask = mask;
    return CB_EXIT_OK;
}

static int save(train_cmd *c)
{
    cb_error e = {0};
    cb_ckpt_info info = {{0}, 0, 0, {0}, -1, 0};
    snprintf(info.graph_hash, sizeof info.graph_hash, "%s", c->net.g.hash);
    if (cb_ckpt_save(c->o.save, c->en, NULL, &info, &e)) {
        fprintf(stderr, "codebench train: --save %s: %s\n", c->o.save, e.msg);
        return CB_EXIT_FAIL;
    }
    printf("weights saved to %s\n", c->o.save);
    return CB_EXIT_OK;
}

static int train(train_cmd *c)
{
    cb_train_view view;
    cb_train_view_init(&view, c->o.quiet);
    cb_train_job job = {sizeof job, &c->net.g, NULL, 0, NULL, NULL, cb_train_view_progress, &view};
    int rc = c->o.save ? make_room(c, &job) : CB_EXIT_OK;
    if (rc)
        return rc;
    const cb_trainer_vt *vt = c->trainer->vtable;
    cb_train_result r;
    memset(&r, 0, sizeof r);
    cb_error e = {0};
    int status = vt->train(c->inst.self, &job, &r, &e);
    cb_train_view_end(&view);
    free((void *)job.init_mask);
    if (status == CB_ECANCEL) {
        fprintf(stderr, "codebench train: stopped\n");
        return CB_EXIT_FAIL;
    }
    if (status) {
        print_error(&e);
        return exit_for(status);
    }
    printf("%s on %s: test accuracy %.4f", c->net.g.name ? c->net.g.name : c->o.model, c->trainer->name, r.accuracy);
    if (r.val_accuracy >= 0)
        printf(" (validation %.4f)", r.val_accuracy);
    printf(" after %d epoch%s, loss %.4f, %.1f s, %.0f images/s\n", r.epochs, r.epochs == 1 ? "" : "s",
           r.loss, r.seconds, r.images_per_s);
    return c->o.save ? save(c) : CB_EXIT_OK;
}

static void cleanup(train_cmd *c)
{
    if (c->have_inst)
        cb_instance_destroy(&c->inst);
    cb_engine_free(c->en);
    free(c->weights);
    cb_host_free(c->host);
    if (c->have_net)
        cb_net_free(&c->net);
    cb_registry_free(&c->reg);
    free(c->o.plugin_path);
}

int cb_cmd_train(int argc, char **argv)
{
    if (cb_cli_wants_help(argc, argv)) {
        cb_train_usage(stdout);
        return CB_EXIT_OK;
    }
    static train_cmd c; /* large; one per process */
    memset(&c, 0, sizeof c);
    cb_registry_init(&c.reg);
    int rc = cb_train_parse(argc, argv, &c.o);
    if (rc == CB_EXIT_OK && c.o.data) /* a tabular trainer reads no data set */
        rc = cb_train_resolve_data(&c.o);
    if (rc == CB_EXIT_OK) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        cb_host_configure(c.o.seed, c.o.threads > 0 ? c.o.threads : cpus > 0 ? (int)cpus : 1,
                          c.o.verbose ? CB_LOG_INFO : CB_LOG_WARN);
        cb_host_install_signals();
        rc = load(&c);
    }
    if (rc == CB_EXIT_OK)
        rc = create(&c);
    if (rc == CB_EXIT_OK)
        rc = train(&c);
    cleanup(&c);
    return rc;
}
