/* engine_merge.c: combines data-parallel replicas after a training pass: gradients are summed
 * in shard order (each shard already divided by the whole batch), and non-trainable buffers,
 * which ops update during training forward (batch-norm running statistics), are averaged
 * weighted by slice size; before each pass the master buffers are copied back out. */
#include "engine_internal.h"

#include <string.h>

static void merge_task(void *ctx, size_t begin, size_t end)
{
    cb_engine *en = ctx;
    for (size_t b = begin; b < end; b++) {
        const eng_block *blk = &en->blocks[b];
        float *dst = en->dw[blk->t].data;
        for (int32_t s = 1; s < en->shards; s++) {
            if (en->rep[s].rows == 0) /* an idle shard's gradients are stale */
                continue;
            const float *src = en->rep[s].dw[blk->t].data;
            for (int64_t k = blk->begin; k < blk->end; k++)
                dst[k] += src[k];
        }
    }
}

static void merge_buffers(cb_engine *en)
{
    for (int32_t i = 0; i < en->n_w; i++) {
        if (en->spec[i].trainable)
            continue;
        float *dst = en->w[i].data;
        int64_t n = eng_numel(en->spec[i].shape);
        memset(dst, 0, (size_t)n * sizeof *dst);
        for (int32_t s = 0; s < en->shards; s++) {
            const eng_replica *r = &en->rep[s];
            float f = (float)r->rows / (float)en->n;
            for (int64_t k = 0; r->rows && k < n; k++)
                dst[k] += f * r->own[i][k];
        }
    }
}

void cb_eng_merge(cb_engine *en)
{
    if (en->rep[0].rows == 0) /* the master gradients were not zeroed by replica 0 */
        for (int32_t i = 0; i < en->n_w; i++)
            if (en->dw[i].data)
                memset(en->dw[i].data, 0, (size_t)eng_numel(en->dw[i].shape) * sizeof(float));
    en->h->parallel(en->h, (size_t)en->n_blocks, merge_task, en);
    merge_buffers(en);
}

void cb_eng_sync_buffers(cb_engine *en)
{
    for (int32_t s = 0; s < en->shards; s++)
        for (int32_t i = 0; i < en->n_w; i++)
            if (en->rep[s].own[i])
                memcpy(en->rep[s].own[i], en->w[i].data,
                       (size_t)eng_numel(en->spec[i].shape) * sizeof(float));
}
