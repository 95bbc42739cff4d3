/* engine_api.c: the public face of the training engine (see codebench/engine.h): creation,
 * accessors, and the training and inference passes. */
#include "engine_internal.h"

#include <codebench/sdk.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cb_engine_new(const cb_graph *g, const cb_host *h, const cb_engine_opts *o, cb_engine **out,
                  cb_error *e)
{
    *out = NULL;
    if (!g || !h || !o || o->batch < 1)
        return cb_error_set(e, CB_EINVAL, NULL, "engine: a graph, a host and a batch >= 1 are required");
    cb_engine *en = calloc(1, sizeof *en);
    if (!en)
        return cb_error_set(e, CB_EFAIL, NULL, "out of memory");
    en->g = g;
    en->h = h;
    en->batch = o->batch;
    en->shards = o->shards < 1 ? 1 : o->shards > o->batch ? o->batch : o->shards;
    en->shard_batch = (en->batch + en->shards - 1) / en->shards;
    int rc = cb_eng_build_nodes(en, e);
    if (rc == CB_OK)
        rc = cb_eng_build_replicas(en, e);
    if (rc) {
        cb_engine_free(en);
        return rc;
    }
    *out = en;
    return CB_OK;
}

void cb_engine_free(cb_engine *en)
{
    if (!en)
        return;
    cb_eng_free_replicas(en);
    for (int32_t i = 0; en->nodes && i < en->n_nodes; i++)
        free(en->nodes[i].in1);
    free(en->nodes);
    free(en->spec);
    free(en->w_node);
    free(en);
}

int32_t cb_engine_classes(const cb_engine *en)
{
    return en->classes;
}

int64_t cb_engine_input_numel(const cb_engine *en)
{
    return en->in_numel;
}

int32_t cb_engine_n_weights(const cb_engine *en)
{
    return en->n_w;
}

const cb_weight *cb_engine_weight_spec(const cb_engine *en, int32_t i, int32_t *node)
{
    if (node)
        *node = en->w_node[i];
    return &en->spec[i];
}

cb_tensor *cb_engine_weight(cb_engine *en, int32_t i)
{
    return &en->w[i];
}

const cb_tensor *cb_engine_grad(const cb_engine *en, int32_t i)
{
    return &en->dw[i];
}

void cb_engine_weight_name(const cb_engine *en, int32_t i, char *buf, size_t len)
{
    snprintf(buf, len, "%d.%.15s", en->w_node[i], en->spec[i].name);
}

static int check_batch(const cb_engine *en, int32_t n, cb_error *e)
{
    if (n < 1 || n > en->batch)
        return cb_error_set(e, CB_EINVAL, NULL, "engine: batch of %d images, the engine holds 1..%d",
                            n, en->batch);
    return CB_OK;
}

int cb_engine_step(cb_engine *en, const float *x, const int32_t *y, int32_t n, uint64_t seed,
                   cb_engine_stats *st, cb_error *e)
{
    int rc = check_batch(en, n, e);
    if (rc)
        return rc;
    en->x = x;
    en->y = y;
    en->n = n;
    en->logits = NULL;
    en->training = 1;
    en->seed = seed;
    rc = cb_eng_run(en, e);
    if (rc == CB_OK && st) {
        memset(st, 0, sizeof *st);
        for (int32_t s = 0; s < en->shards; s++) { /* shard order: a fixed summation order */
            st->loss += en->rep[s].st.loss;
            st->correct += en->rep[s].st.correct;
        }
    }
    return rc;
}

int cb_engine_eval(cb_engine *en, const float *x, const int32_t *y, int32_t n, float *logits,
                   cb_engine_stats *st, cb_error *e)
{
    int rc = check_batch(en, n, e);
    if (rc)
        return rc;
    en->x = x;
    en->y = y;
    en->n = n;
    en->logits = logits;
    en->training = 0;
    en->seed = 0;
    rc = cb_eng_run(en, e);
    if (rc == CB_OK && st) {
        memset(st, 0, sizeof *st);
        for (int32_t s = 0; s < en->shards; s++) {
            st->loss += en->rep[s].st.loss;
            st->correct += en->rep[s].st.correct;
        }
    }
    return rc;
}
