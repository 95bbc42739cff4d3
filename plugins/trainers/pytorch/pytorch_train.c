/* plugins/trainers/pytorch/pytorch_train.c: the trainer's train(): the recipe (the SDK's
 * overlay rule, as the native trainer), the data, an engine for the graph that gives the
 * initial weights (the ops' init rules, seeded, with the job's transferred tensors) and later
 * receives the trained ones through the checkpoint reader, the job file, the script run, and
 * the result with the weights handed back. Each call's files are removed when it returns. */
#include "pytorch.h"

#include <codebench/recipe.h>
#include <codebench/rng.h>
#include <codebench/sdk.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct pt_call {
    pt *p;
    const cb_train_job *job;
    cb_recipe r;
    cb_engine *en;
    char script[4200], job_path[4200], init[4200], out[4200], probe[4200], probe_logits[4200];
    pt_outcome o;
} pt_call;

/* Seeds: the host's named streams (run seed, plugin name) mixed with the recipe's seed. */
static uint64_t seed_of(const pt_call *c, const char *stream)
{
    const cb_host *h = c->p->h;
    uint64_t x = h->seed(h, stream) ^ c->r.seed;
    return cb_splitmix64(&x);
}

static int init_weights(pt_call *c, cb_error *e)
{
    const cb_train_job *job = c->job;
    int32_t nw = cb_engine_n_weights(c->en);
    if (job->weights && job->n_weights != nw)
        return c->p->h->fail(c->p->h, e, CB_EINVAL, NULL, "the job carries %d weight tensors, graph %s has %d",
                             job->n_weights, job->graph->hash, nw);
    int rc = cb_engine_init(c->en, seed_of(c, "init"), job->weights, job->init_mask, e);
    if (rc)
        return rc;
    cb_ckpt_info info = {{0}, 0, 0, {0}, -1, 0};
    snprintf(info.graph_hash, sizeof info.graph_hash, "%s", job->graph->hash);
    return cb_ckpt_save(c->init, c->en, NULL, &info, e);
}

static int write_floats(const pt *p, const char *path, const float *x, size_t n, cb_error *e)
{
    FILE *f = fopen(path, "wb");
    int bad = !f || fwrite(x, sizeof *x, n, f) != n;
    if (f && fclose(f) != 0)
        bad = 1;
    return bad ? p->h->fail(p->h, e, CB_EFAIL, NULL, "%s: cannot write", path) : CB_OK;
}

/* A probe image (standard normal values) and the logits the op pack's forward pass gives for
 * it with the initial weights: the script checks that its modules agree before it trains, so
 * an op whose PyTorch version drifted from the C one fails loudly instead of training another
 * network. */
static int write_probe(pt_call *c, cb_error *e)
{
    int64_t n = cb_engine_input_numel(c->en);
    int32_t k = cb_engine_classes(c->en);
    float *x = malloc((size_t)n * sizeof *x), *logits = malloc((size_t)k * sizeof *logits);
    int rc = x && logits ? CB_OK : c->p->h->fail(c->p->h, e, CB_EFAIL, NULL, "out of memory");
    cb_rng rng;
    cb_rng_seed(&rng, seed_of(c, "probe"));
    for (int64_t i = 0; rc == CB_OK && i < n; i++)
        x[i] = (float)cb_rng_normal(&rng);
    if (rc == CB_OK)
        rc = cb_engine_eval(c->en, x, NULL, 1, logits, NULL, e);
    if (rc == CB_OK)
        rc = write_floats(c->p, c->probe, x, (size_t)n, e);
    if (rc == CB_OK)
        rc = write_floats(c->p, c->probe_logits, logits, (size_t)k, e);
    free(x);
    free(logits);
    return rc;
}

static int setup(pt_call *c, cb_error *e)
{
    pt *p = c->p;
    c->r = p->recipe;
    cb_recipe_overlay(&c->r, c->job->recipe);
    int rc = cb_recipe_check(&c->r, e);
    if (rc == CB_OK)
        rc = pt_find_script(p, c->script, sizeof c->script, e);
    if (rc == CB_OK)
        rc = pt_data_ready(p, e);
    if (rc)
        return rc;
    /* one image, one replica: the engine only holds weights here, PyTorch does the training */
    cb_engine_opts o = {1, 1};
    rc = cb_engine_new(c->job->graph, p->h, &o, &c->en, e);
    if (rc == CB_OK)
        rc = pt_data_fits(p, c->en, c->job->graph, e);
    if (rc)
        return rc;
    long long k = (long long)p->calls++;
    snprintf(c->job_path, sizeof c->job_path, "%s/job-%lld.json", p->work, k);
    snprintf(c->init, sizeof c->init, "%s/init-%lld.safetensors", p->work, k);
    snprintf(c->out, sizeof c->out, "%s/trained-%lld.safetensors", p->work, k);
    if (p->cfg.verify) {
        snprintf(c->probe, sizeof c->probe, "%s/probe-%lld.f32", p->work, k);
        snprintf(c->probe_logits, sizeof c->probe_logits, "%s/probe-%lld.logits.f32", p->work, k);
    }
    rc = init_weights(c, e);
    if (rc == CB_OK && p->cfg.verify)
        rc = write_probe(c, e);
    pt_files files = {c->init, c->out, c->probe, c->probe_logits};
    return rc ? rc : pt_job_write(p, c->job_path, c->job->graph, c->en, &c->r, seed_of(c, "order"),
                                  &files, e);
}

/* The trained weights go back where the job left room for them (data not NULL). */
static int hand_back(pt_call *c, cb_error *e)
{
    const cb_train_job *job = c->job;
    int rc = cb_ckpt_load(c->out, c->en, NULL, NULL, e);
    for (int32_t i = 0; rc == CB_OK && job->weights && i < job->n_weights; i++) {
        const cb_tensor *w = cb_engine_weight(c->en, i);
        if (job->weights[i].data)
            memcpy(job->weights[i].data, w->data, (size_t)cb_shape_numel(w->shape) * sizeof(float));
    }
    return rc;
}

static int train_call(pt_call *c, cb_train_result *r, cb_error *e)
{
    int rc = setup(c, e);
    if (rc == CB_OK)
        rc = pt_run_script(c->p, c->script, c->job_path, c->job, &c->o, e);
    if (rc == CB_OK)
        rc = hand_back(c, e);
    if (rc)
        return rc;
    *r = c->o.result;
    c->p->h->log(c->p->h, CB_LOG_INFO, "trained on %s: test accuracy %.4f after %d epochs, %.0f images/s",
                 c->o.device, r->accuracy, r->epochs, r->images_per_s);
    return CB_OK;
}

int pt_train(void *self, const cb_train_job *job, cb_train_result *r, cb_error *e)
{
    pt *p = self;
    pt_call c;
    memset(&c, 0, sizeof c);
    c.p = p;
    c.job = job;
    int rc = job && job->graph ? train_call(&c, r, e)
                               : p->h->fail(p->h, e, CB_EINVAL, NULL, "train: no graph");
    cb_engine_free(c.en);
    const char *files[] = {c.job_path, c.init, c.out, c.probe, c.probe_logits};
    for (int i = 0; i < 5 && !p->cfg.work_dir[0]; i++)
        if (files[i][0])
            unlink(files[i]);
    if (rc && e && !e->plugin[0]) /* SDK errors carry no plugin name */
        snprintf(e->plugin, sizeof e->plugin, "%s", p->h->plugin);
    return rc;
}
