/* plugins/trainers/native/native_train.c: the trainer's train(): sets up the engine for the
 * job's graph (recipe, data, weights with transfer, optimizer, checkpoint resume), runs the
 * epochs with validation and early stopping, restores the best validated weights, measures the
 * test accuracy and hands the trained weights back. With recipe_trials, a recipe search
 * (native_search.c) picks the recipe first and the winner's training is carried on here. */
#include "native.h"

#include <codebench/sdk.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int alloc_buffers(native_run *run, cb_error *e)
{
    const native_data *d = &run->nt->data;
    int64_t n = d->train.n > run->r.batch ? d->train.n : run->r.batch;
    int32_t nw = cb_engine_n_weights(run->en);
    run->perm = malloc((size_t)n * sizeof *run->perm);
    run->x = malloc((size_t)run->r.batch * (size_t)cb_engine_input_numel(run->en) * sizeof *run->x);
    run->y = malloc((size_t)run->r.batch * sizeof *run->y);
    run->best = calloc((size_t)nw + 1, sizeof *run->best);
    int ok = run->perm && run->x && run->y && run->best;
    for (int32_t i = 0; ok && i < nw; i++)
        ok = (run->best[i] = malloc((size_t)cb_shape_numel(cb_engine_weight(run->en, i)->shape) *
                                    sizeof(float))) != NULL;
    return ok ? CB_OK : run->nt->h->fail(run->nt->h, e, CB_EFAIL, NULL, "out of memory");
}

static int init_weights(native_run *run, uint64_t seed, cb_error *e)
{
    const cb_train_job *job = run->job;
    int32_t nw = cb_engine_n_weights(run->en);
    if (job->weights && job->n_weights != nw)
        return run->nt->h->fail(run->nt->h, e, CB_EINVAL, NULL,
                                "the job carries %d weight tensors, graph %s has %d", job->n_weights,
                                job->graph->hash, nw);
    return cb_engine_init(run->en, seed, job->weights, job->init_mask, e);
}

/* Seeds: the host's named streams (run seed, plugin name) mixed with the recipe's seed. */
static uint64_t seed_of(const native_run *run, const char *stream)
{
    const cb_host *h = run->nt->h;
    uint64_t x = h->seed(h, stream) ^ run->r.seed;
    return cb_splitmix64(&x);
}

int native_setup(native_run *run, cb_error *e)
{
    native *nt = run->nt;
    const cb_host *h = nt->h;
    int rc = run->preset ? CB_OK : native_recipe(nt, run->job->recipe, &run->r, e);
    if (rc == CB_OK)
        rc = native_data_ready(nt, e);
    if (rc)
        return rc;
    int64_t shards = nt->cfg.threads > 0 ? nt->cfg.threads : h->threads(h);
    cb_engine_opts o = {run->r.batch, (int32_t)shards};
    rc = cb_engine_new(run->job->graph, h, &o, &run->en, e);
    if (rc == CB_OK)
        rc = native_data_fits(nt, run->en, run->job->graph, e);
    if (rc == CB_OK)
        rc = init_weights(run, seed_of(run, "init"), e);
    if (rc == CB_OK)
        rc = cb_engine_optim_new(run->en, &run->r, nt->cfg.nesterov, &run->opt, e);
    if (rc == CB_OK)
        rc = alloc_buffers(run, e);
    if (rc)
        return rc;
    cb_rng_seed(&run->order, seed_of(run, "order"));
    run->step_seed = seed_of(run, "dropout");
    run->best_val = run->val_acc = -1;
    run->val_loss = NAN;
    if (!run->preset) /* a trial's caller chose its files */
        native_ckpt_paths(run, nt->cfg.ckpt_dir, run->job->graph->hash[0] ? run->job->graph->hash : "graph");
    return native_ckpt_resume(run, e);
}

/* Validation after an epoch: remember the best weights, count epochs without improvement. */
static int after_epoch(native_run *run, cb_error *e)
{
    native *nt = run->nt;
    int improved = 0;
    if (nt->data.val.n > 0) {
        int rc = native_evaluate(run, &nt->data.val, &run->val_acc, &run->val_loss, e);
        if (rc)
            return rc;
        improved = run->val_acc > run->best_val;
        if (improved) {
            run->best_val = run->val_acc;
            run->bad_epochs = 0;
            for (int32_t i = 0; i < cb_engine_n_weights(run->en); i++) {
                const cb_tensor *w = cb_engine_weight(run->en, i);
                memcpy(run->best[i], w->data, (size_t)cb_shape_numel(w->shape) * sizeof(float));
            }
        } else if (nt->cfg.patience > 0 && ++run->bad_epochs >= nt->cfg.patience) {
            nt->h->log(nt->h, CB_LOG_INFO, "early stop after epoch %d: validation accuracy %.4f, best %.4f",
                       run->epoch, run->val_acc, run->best_val);
            run->stop = 1;
        }
    }
    int64_t steps = (nt->data.train.n + run->r.batch - 1) / run->r.batch;
    native_report(run, steps, steps,
                  run->train_seconds > 0 ? (double)run->train_images / run->train_seconds : 0);
    return native_ckpt_save(run, improved, e);
}

static void restore_best(native_run *run)
{
    if (run->best_val < 0)
        return;
    for (int32_t i = 0; i < cb_engine_n_weights(run->en); i++) {
        cb_tensor *w = cb_engine_weight(run->en, i);
        memcpy(w->data, run->best[i], (size_t)cb_shape_numel(w->shape) * sizeof(float));
    }
}

/* The trained weights go back where the job left room for them (data not NULL). */
static void hand_back(const native_run *run)
{
    const cb_train_job *job = run->job;
    for (int32_t i = 0; job->weights && i < job->n_weights; i++) {
        const cb_tensor *w = cb_engine_weight(run->en, i);
        if (job->weights[i].data)
            memcpy(job->weights[i].data, w->data, (size_t)cb_shape_numel(w->shape) * sizeof(float));
    }
}

void native_teardown(native_run *run)
{
    for (int32_t i = 0; run->best && run->en && i < cb_engine_n_weights(run->en); i++)
        free(run->best[i]);
    free(run->best);
    free(run->perm);
    free(run->x);
    free(run->y);
    cb_engine_optim_free(run->opt);
    cb_engine_free(run->en);
}

int native_advance(native_run *run, cb_error *e)
{
    int32_t until = run->until > 0 && run->until < run->r.epochs ? run->until : run->r.epochs;
    int rc = CB_OK;
    while (rc == CB_OK && run->epoch < until && !run->stop) {
        rc = native_epoch(run, e);
        if (rc == CB_OK) {
            run->epoch++;
            rc = after_epoch(run, e);
        }
    }
    return rc;
}

/* Best validated weights, test accuracy, result, weights handed back. */
static int finish(native_run *run, const native_spent *spent, cb_train_result *r, cb_error *e)
{
    restore_best(run);
    double test_acc = 0;
    int rc = native_evaluate(run, &run->nt->data.test, &test_acc, NULL, e);
    if (rc)
        return rc;
    double seconds = run->train_seconds + spent->seconds;
    double images = (double)(run->train_images + spent->images);
    *r = (cb_train_result){sizeof *r, test_acc, run->best_val, run->loss, 0, run->epoch, seconds,
                           seconds > 0 ? images / seconds : 0};
    hand_back(run);
    return CB_OK;
}

static int train_job(native *nt, const cb_train_job *job, cb_train_result *r, cb_error *e)
{
    native_run run;
    memset(&run, 0, sizeof run);
    run.nt = nt;
    run.job = job;
    native_spent spent = {0, 0};
    char dir[4096] = "";
    int rc = CB_OK;
    if (nt->cfg.recipe_trials > 0) /* leaves the winner's recipe and files in run */
        rc = native_search(nt, job, &run, &spent, dir, sizeof dir, e);
    if (rc == CB_OK)
        rc = native_setup(&run, e);
    if (rc == CB_OK)
        rc = native_advance(&run, e);
    if (rc == CB_OK)
        rc = finish(&run, &spent, r, e);
    native_teardown(&run);
    native_search_cleanup(nt, dir);
    return rc;
}

int native_train(void *self, const cb_train_job *job, cb_train_result *r, cb_error *e)
{
    native *nt = self;
    int rc = job && job->graph ? train_job(nt, job, r, e)
                               : nt->h->fail(nt->h, e, CB_EINVAL, NULL, "train: no graph");
    if (rc && e && !e->plugin[0]) /* SDK errors carry no plugin name */
        snprintf(e->plugin, sizeof e->plugin, "%s", nt->h->plugin);
    return rc;
}
