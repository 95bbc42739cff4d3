/* engine_run.c: one pass of the engine over the current batch: each replica runs forward
 * through the live vertices, the loss on the logits, and (training) backward in reverse
 * topological order; replicas run as tasks on host->parallel. */
#include "engine_internal.h"

#include <codebench/sdk.h>

#include <string.h>

static cb_op_ctx make_ctx(const cb_engine *en, int32_t s, int32_t i, eng_replica *r)
{
    cb_op_ctx c;
    memset(&c, 0, sizeof c);
    c.size = sizeof c;
    c.host = en->h;
    c.training = en->training;
    c.state = r->state[i];
    c.workspace = r->work;
    /* one stream per (step, vertex, shard): dropout masks never repeat across them */
    c.seed = eng_mix(eng_mix(en->seed, (uint64_t)i), (uint64_t)s);
    return c;
}

/* Fills r->in (and r->din when grads) with vertex i's inputs at this replica's batch. */
static void gather_inputs(const cb_engine *en, eng_replica *r, int32_t i, int grads)
{
    const cb_node *gn = en->nodes[i].gn;
    for (int32_t j = 0; j < gn->n_in; j++) {
        int32_t src = gn->in[j];
        cb_shape sh = en->nodes[i].in1[j];
        sh.n = r->rows;
        float *data = src == CB_NET_INPUT ? (float *)(en->x + (size_t)r->row0 * en->in_numel)
                                          : r->act[src];
        r->in[j] = (cb_tensor){sh, data};
        if (grads)
            r->din[j] = (cb_tensor){sh, src != CB_NET_INPUT && en->nodes[src].needs_grad ? r->dact[src] : NULL};
    }
}

static cb_tensor out_of(const cb_engine *en, const eng_replica *r, int32_t i, float **bufs)
{
    cb_shape sh = en->nodes[i].gn->out;
    sh.n = r->rows;
    return (cb_tensor){sh, bufs[i]};
}

/* Op calls return a bare status (they have no error record), so the engine names the vertex. */
static int fail_at(eng_replica *r, const cb_node *gn, int32_t i, const char *pass, int rc)
{
    return cb_error_set(&r->err, rc, NULL, "vertex %d (%s): %s failed with status %d", i, gn->op,
                        pass, rc);
}

static int forward(const cb_engine *en, int32_t s, eng_replica *r)
{
    for (int32_t i = 0; i < en->n_nodes; i++) {
        const eng_node *nd = &en->nodes[i];
        if (!nd->live)
            continue;
        gather_inputs(en, r, i, 0);
        cb_tensor out = out_of(en, r, i, r->act);
        cb_op_ctx c = make_ctx(en, s, i, r);
        int rc = nd->gn->vt->forward(&c, nd->gn->attrs, nd->gn->n_in, r->in, r->w + nd->w_first,
                                     nd->n_w, &out);
        if (rc)
            return fail_at(r, nd->gn, i, "forward", rc);
    }
    return CB_OK;
}

/* Zeroes every gradient this replica accumulates into: ops ADD into din and dw. */
static void zero_grads(const cb_engine *en, eng_replica *r)
{
    for (int32_t i = 0; i < en->n_nodes; i++)
        if (r->dact[i])
            memset(r->dact[i], 0, (size_t)(en->nodes[i].numel1 * r->rows) * sizeof(float));
    for (int32_t k = 0; k < en->n_w; k++)
        if (r->dw[k].data)
            memset(r->dw[k].data, 0, (size_t)eng_numel(r->dw[k].shape) * sizeof(float));
}

static int backward(const cb_engine *en, int32_t s, eng_replica *r)
{
    for (int32_t i = en->last; i >= 0; i--) {
        const eng_node *nd = &en->nodes[i];
        if (!nd->live || !nd->needs_grad)
            continue;
        gather_inputs(en, r, i, 1);
        cb_tensor out = out_of(en, r, i, r->act), dout = out_of(en, r, i, r->dact);
        cb_op_ctx c = make_ctx(en, s, i, r);
        int rc = nd->gn->vt->backward(&c, nd->gn->attrs, nd->gn->n_in, r->in, &out,
                                      r->w + nd->w_first, nd->n_w, &dout, r->din,
                                      r->dw + nd->w_first);
        if (rc)
            return fail_at(r, nd->gn, i, "backward", rc);
    }
    return CB_OK;
}

static int run_replica(cb_engine *en, int32_t s)
{
    eng_replica *r = &en->rep[s];
    memset(&r->st, 0, sizeof r->st);
    memset(&r->err, 0, sizeof r->err);
    if (r->rows == 0)
        return CB_OK;
    int rc = forward(en, s, r);
    if (rc)
        return rc;
    const float *logits = r->act[en->last];
    if (en->logits)
        memcpy(en->logits + (size_t)r->row0 * en->classes, logits,
               (size_t)r->rows * en->classes * sizeof(float));
    if (!en->y)
        return CB_OK;
    if (en->training)
        zero_grads(en, r);
    cb_eng_softmax_xent(logits, en->y + r->row0, r->rows, en->classes, en->n,
                     en->training ? r->dact[en->last] : NULL, &r->st);
    return en->training ? backward(en, s, r) : CB_OK;
}

static void replica_task(void *ctx, size_t begin, size_t end)
{
    cb_engine *en = ctx;
    for (size_t s = begin; s < end; s++)
        en->rep[s].rc = run_replica(en, (int32_t)s);
}

int cb_eng_run(cb_engine *en, cb_error *e)
{
    for (int32_t s = 0; s < en->shards; s++) {
        eng_replica *r = &en->rep[s];
        r->row0 = (int32_t)((int64_t)en->n * s / en->shards);
        r->rows = (int32_t)((int64_t)en->n * (s + 1) / en->shards) - r->row0;
    }
    if (en->shards > 1) {
        cb_eng_sync_buffers(en);
        en->h->parallel(en->h, (size_t)en->shards, replica_task, en);
    } else {
        replica_task(en, 0, 1);
    }
    for (int32_t s = 0; s < en->shards; s++) /* the first failing shard speaks */
        if (en->rep[s].rc) {
            if (e)
                *e = en->rep[s].err;
            return en->rep[s].rc;
        }
    if (en->shards > 1 && en->training)
        cb_eng_merge(en);
    return CB_OK;
}
