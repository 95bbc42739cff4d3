/* engine_alloc.c: the engine's memory: master weights and gradients, element blocks for
 * parallel updates, and each replica's activations, gradients, op state and workspace, all
 * allocated once at creation so a training step never allocates. */
#include "engine_internal.h"

#include <codebench/sdk.h>

#include <stdlib.h>
#include <string.h>

#define BLOCK_ELEMS 65536 /* big enough to amortise a task, small enough to balance threads */

static float *zalloc_floats(int64_t n)
{
    return calloc((size_t)(n > 0 ? n : 1), sizeof(float));
}

static int alloc_master(cb_engine *en, cb_error *e)
{
    en->w = calloc((size_t)en->n_w + 1, sizeof *en->w);
    en->dw = calloc((size_t)en->n_w + 1, sizeof *en->dw);
    if (!en->w || !en->dw)
        return cb_error_set(e, CB_EFAIL, NULL, "out of memory");
    int64_t blocks = 0;
    for (int32_t i = 0; i < en->n_w; i++) {
        int64_t n = eng_numel(en->spec[i].shape);
        en->w[i] = (cb_tensor){en->spec[i].shape, zalloc_floats(n)};
        en->dw[i] = (cb_tensor){en->spec[i].shape, NULL};
        if (!en->w[i].data)
            return cb_error_set(e, CB_EFAIL, NULL, "out of memory for weights");
        if (en->spec[i].trainable) {
            if (!(en->dw[i].data = zalloc_floats(n)))
                return cb_error_set(e, CB_EFAIL, NULL, "out of memory for gradients");
            blocks += (n + BLOCK_ELEMS - 1) / BLOCK_ELEMS;
        }
    }
    en->blocks = calloc((size_t)blocks + 1, sizeof *en->blocks);
    if (!en->blocks)
        return cb_error_set(e, CB_EFAIL, NULL, "out of memory");
    for (int32_t i = 0; i < en->n_w; i++) {
        int64_t n = eng_numel(en->spec[i].shape);
        for (int64_t b = 0; en->spec[i].trainable && b < n; b += BLOCK_ELEMS)
            en->blocks[en->n_blocks++] = (eng_block){i, b, b + BLOCK_ELEMS < n ? b + BLOCK_ELEMS : n};
    }
    return CB_OK;
}

/* Weight views of replica s: trainable tensors are shared read-only; replica 0 writes its
 * gradients straight into the master gradients; with several shards, buffers (which ops
 * update in training forward) get private copies merged after the step. */
static int replica_weights(cb_engine *en, int32_t s, eng_replica *r)
{
    r->w = calloc((size_t)en->n_w + 1, sizeof *r->w);
    r->dw = calloc((size_t)en->n_w + 1, sizeof *r->dw);
    r->own = calloc((size_t)en->n_w + 1, sizeof *r->own);
    if (!r->w || !r->dw || !r->own)
        return CB_EFAIL;
    for (int32_t i = 0; i < en->n_w; i++) {
        int64_t n = eng_numel(en->spec[i].shape);
        r->w[i] = en->w[i];
        r->dw[i] = en->dw[i];
        if (en->spec[i].trainable && s > 0 && !(r->dw[i].data = zalloc_floats(n)))
            return CB_EFAIL;
        if (!en->spec[i].trainable && en->shards > 1) {
            if (!(r->own[i] = zalloc_floats(n)))
                return CB_EFAIL;
            r->w[i].data = r->own[i];
        }
    }
    return CB_OK;
}

static int replica_nodes(cb_engine *en, eng_replica *r)
{
    size_t n = (size_t)en->n_nodes, work = 0;
    r->act = calloc(n, sizeof *r->act);
    r->dact = calloc(n, sizeof *r->dact);
    r->state = calloc(n, sizeof *r->state);
    r->in = calloc((size_t)en->max_in + 1, sizeof *r->in);
    r->din = calloc((size_t)en->max_in + 1, sizeof *r->din);
    if (!r->act || !r->dact || !r->state || !r->in || !r->din)
        return CB_EFAIL;
    for (int32_t i = 0; i < en->n_nodes; i++) {
        const eng_node *nd = &en->nodes[i];
        if (!nd->live)
            continue;
        int64_t floats = nd->numel1 * en->shard_batch;
        r->act[i] = zalloc_floats(floats);
        /* the logits' gradient is always needed: the loss writes it */
        if ((nd->needs_grad || i == en->last) && !(r->dact[i] = zalloc_floats(floats)))
            return CB_EFAIL;
        r->state[i] = calloc(nd->state_bytes ? nd->state_bytes : 1, 1);
        if (!r->act[i] || !r->state[i])
            return CB_EFAIL;
        work = nd->work_bytes > work ? nd->work_bytes : work;
    }
    /* 64-byte aligned: ops may hand the workspace to vector code */
    r->work = aligned_alloc(64, (work + 63) / 64 * 64 + 64);
    return r->work ? CB_OK : CB_EFAIL;
}

int cb_eng_build_replicas(cb_engine *en, cb_error *e)
{
    int rc = alloc_master(en, e);
    if (rc)
        return rc;
    en->rep = calloc((size_t)en->shards, sizeof *en->rep);
    if (!en->rep)
        return cb_error_set(e, CB_EFAIL, NULL, "out of memory");
    for (int32_t s = 0; s < en->shards; s++)
        if (replica_weights(en, s, &en->rep[s]) || replica_nodes(en, &en->rep[s]))
            return cb_error_set(e, CB_EFAIL, NULL,
                                "out of memory for activations (batch %d, %d shard(s))", en->batch,
                                en->shards);
    return CB_OK;
}

static void free_replica(const cb_engine *en, int32_t s, eng_replica *r)
{
    for (int32_t i = 0; r->act && i < en->n_nodes; i++) {
        free(r->act[i]);
        free(r->dact[i]);
        free(r->state[i]);
    }
    for (int32_t i = 0; r->own && i < en->n_w; i++) {
        free(r->own[i]);
        if (s > 0 && r->dw && en->spec[i].trainable)
            free(r->dw[i].data);
    }
    free(r->act);
    free(r->dact);
    free(r->state);
    free(r->work);
    free(r->w);
    free(r->dw);
    free(r->own);
    free(r->in);
    free(r->din);
}

void cb_eng_free_replicas(cb_engine *en)
{
    for (int32_t s = 0; en->rep && s < en->shards; s++)
        free_replica(en, s, &en->rep[s]);
    free(en->rep);
    for (int32_t i = 0; i < en->n_w; i++) {
        if (en->w)
            free(en->w[i].data);
        if (en->dw)
            free(en->dw[i].data);
    }
    free(en->w);
    free(en->dw);
    free(en->blocks);
}
