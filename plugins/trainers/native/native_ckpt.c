/* plugins/trainers/native/native_ckpt.c: per-graph checkpoints in checkpoint_dir:
 * <hash>.safetensors holds the latest weights, optimizer state and training position (written
 * after every epoch, resumed by the next train() of the same graph); <hash>.best.safetensors
 * holds the weights of the best validation accuracy. Format: docs/checkpoint.md. A recipe
 * search keeps each trial's files the same way, under the trial's name. */
#include "native.h"

#include <codebench/sdk.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void native_ckpt_paths(native_run *run, const char *dir, const char *name)
{
    run->ckpt[0] = run->ckpt_best[0] = '\0';
    run->ckpt_dir = dir && dir[0] ? dir : NULL;
    if (!run->ckpt_dir)
        return;
    snprintf(run->ckpt, sizeof run->ckpt, "%s/%.80s.safetensors", dir, name);
    snprintf(run->ckpt_best, sizeof run->ckpt_best, "%s/%.80s.best.safetensors", dir, name);
}

static void copy_out(native_run *run)
{
    for (int32_t i = 0; i < cb_engine_n_weights(run->en); i++) {
        const cb_tensor *w = cb_engine_weight(run->en, i);
        memcpy(run->best[i], w->data, (size_t)cb_shape_numel(w->shape) * sizeof(float));
    }
}

int native_ckpt_resume(native_run *run, cb_error *e)
{
    const cb_host *h = run->nt->h;
    if (!run->ckpt[0] || access(run->ckpt, F_OK) != 0)
        return CB_OK;
    cb_ckpt_info info;
    int rc = CB_OK;
    if (access(run->ckpt_best, F_OK) == 0) { /* the best weights first, then the latest on top */
        rc = cb_ckpt_load(run->ckpt_best, run->en, NULL, NULL, e);
        if (rc == CB_OK)
            copy_out(run);
    }
    if (rc == CB_OK)
        rc = cb_ckpt_load(run->ckpt, run->en, run->opt, &info, e);
    if (rc)
        return rc;
    const char *hash = run->job->graph->hash;
    if (info.graph_hash[0] && hash[0] && strcmp(info.graph_hash, hash) != 0)
        return h->fail(h, e, CB_EINVAL, "checkpoint_dir", "%s belongs to graph %s, not %s",
                       run->ckpt, info.graph_hash, hash);
    run->epoch = info.epoch;
    memcpy(run->order.s, info.rng, sizeof info.rng);
    run->best_val = info.best_val;
    run->bad_epochs = info.bad_epochs;
    h->log(h, CB_LOG_INFO, "resuming %s after epoch %d", run->ckpt, info.epoch);
    return CB_OK;
}

int native_ckpt_save(native_run *run, int improved, cb_error *e)
{
    if (!run->ckpt[0])
        return CB_OK;
    const char *dir = run->ckpt_dir;
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return run->nt->h->fail(run->nt->h, e, CB_EFAIL, "checkpoint_dir", "%s: cannot create: %s",
                                dir, strerror(errno));
    cb_ckpt_info info = {{0}, run->epoch, cb_engine_optim_steps(run->opt), {0}, run->best_val,
                         run->bad_epochs};
    snprintf(info.graph_hash, sizeof info.graph_hash, "%s", run->job->graph->hash);
    memcpy(info.rng, run->order.s, sizeof info.rng);
    int rc = cb_ckpt_save(run->ckpt, run->en, run->opt, &info, e);
    if (rc == CB_OK && improved)
        rc = cb_ckpt_save(run->ckpt_best, run->en, NULL, &info, e);
    return rc;
}
