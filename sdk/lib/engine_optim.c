/* engine_optim.c: SGD (momentum, Nesterov), Adam and AdamW over the engine's trainable tensors
 * (see codebench/engine.h). Updates are element-wise, run in blocks on host->parallel, and
 * follow PyTorch's definitions so recipes carry over. */
#include "engine_internal.h"

#include <codebench/sdk.h>

#include <math.h>
#include <stdlib.h>

struct cb_engine_optim {
    cb_engine *en;
    int kind, nesterov;
    float momentum, beta1, beta2, wd;
    int64_t t;
    float **m, **v; /* per weight; NULL for buffers (and v under SGD) */
    /* the current step, read by the tasks */
    float lr, c1, c2;
};

int cb_engine_optim_new(cb_engine *en, const cb_recipe *r, int nesterov, cb_engine_optim **out, cb_error *e)
{
    *out = NULL;
    if (r->optimizer < CB_OPT_SGD || r->optimizer > CB_OPT_ADAMW)
        return cb_error_set(e, CB_EINVAL, "optimizer", "unknown optimizer %d", r->optimizer);
    cb_engine_optim *o = calloc(1, sizeof *o);
    if (!o)
        return cb_error_set(e, CB_EFAIL, NULL, "out of memory");
    *o = (cb_engine_optim){.en = en, .kind = r->optimizer, .nesterov = nesterov != 0,
                    .momentum = (float)r->momentum, .beta1 = (float)r->beta1,
                    .beta2 = (float)r->beta2, .wd = (float)r->weight_decay};
    o->m = calloc((size_t)en->n_w + 1, sizeof *o->m);
    o->v = calloc((size_t)en->n_w + 1, sizeof *o->v);
    int ok = o->m && o->v;
    for (int32_t i = 0; ok && i < en->n_w; i++) {
        if (!en->spec[i].trainable)
            continue;
        size_t n = (size_t)eng_numel(en->spec[i].shape);
        ok = (o->m[i] = calloc(n, sizeof(float))) != NULL;
        if (ok && o->kind != CB_OPT_SGD)
            ok = (o->v[i] = calloc(n, sizeof(float))) != NULL;
    }
    if (!ok) {
        cb_engine_optim_free(o);
        return cb_error_set(e, CB_EFAIL, NULL, "out of memory for optimizer state");
    }
    *out = o;
    return CB_OK;
}

void cb_engine_optim_free(cb_engine_optim *o)
{
    if (!o)
        return;
    for (int32_t i = 0; i < o->en->n_w; i++) {
        free(o->m ? o->m[i] : NULL);
        free(o->v ? o->v[i] : NULL);
    }
    free(o->m);
    free(o->v);
    free(o);
}

static void sgd(const cb_engine_optim *o, float *w, const float *g, float *m, int64_t b, int64_t e)
{
    for (int64_t k = b; k < e; k++) {
        float d = g[k] + o->wd * w[k];
        m[k] = o->momentum * m[k] + d;
        w[k] -= o->lr * (o->nesterov ? d + o->momentum * m[k] : m[k]);
    }
}

static void adam(const cb_engine_optim *o, float *w, const float *g, float *m, float *v, int64_t b,
                 int64_t e)
{
    float l2 = o->kind == CB_OPT_ADAM ? o->wd : 0.0f;
    float decay = o->kind == CB_OPT_ADAMW ? 1.0f - o->lr * o->wd : 1.0f;
    for (int64_t k = b; k < e; k++) {
        float d = g[k] + l2 * w[k];
        m[k] = o->beta1 * m[k] + (1.0f - o->beta1) * d;
        v[k] = o->beta2 * v[k] + (1.0f - o->beta2) * d * d;
        float mh = m[k] / o->c1, vh = v[k] / o->c2;
        w[k] = w[k] * decay - o->lr * mh / (sqrtf(vh) + 1e-8f);
    }
}

static void update_task(void *ctx, size_t begin, size_t end)
{
    const cb_engine_optim *o = ctx;
    const cb_engine *en = o->en;
    for (size_t b = begin; b < end; b++) {
        const eng_block *blk = &en->blocks[b];
        float *w = en->w[blk->t].data, *g = en->dw[blk->t].data;
        if (o->kind == CB_OPT_SGD)
            sgd(o, w, g, o->m[blk->t], blk->begin, blk->end);
        else
            adam(o, w, g, o->m[blk->t], o->v[blk->t], blk->begin, blk->end);
    }
}

void cb_engine_optim_step(cb_engine_optim *o, double lr)
{
    o->t++;
    o->lr = (float)lr;
    o->c1 = (float)(1.0 - pow((double)o->beta1, (double)o->t)); /* Adam's bias corrections */
    o->c2 = (float)(1.0 - pow((double)o->beta2, (double)o->t));
    o->en->h->parallel(o->en->h, (size_t)o->en->n_blocks, update_task, o);
}

int64_t cb_engine_optim_steps(const cb_engine_optim *o)
{
    return o->t;
}

void cb_engine_optim_set_steps(cb_engine_optim *o, int64_t steps)
{
    o->t = steps;
}

float *cb_engine_optim_state(cb_engine_optim *o, int32_t i, int which)
{
    if (i < 0 || i >= o->en->n_w)
        return NULL;
    return which == 0 ? o->m[i] : which == 1 ? o->v[i] : NULL;
}
