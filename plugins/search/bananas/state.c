/* plugins/search/bananas/state.c: the BANANAS state through save()/load(): the generator,
 * every proposed pair with its result, and the round's queue. The predictors are retrained
 * from scratch each round, so they are not state. A refused state leaves the instance as it
 * was. */
#include "bananas.h"

#include <stdlib.h>
#include <string.h>

#define STATE_VERSION 1

int bn_save(void *self, cb_write wr, void *ctx, cb_error *e)
{
    bn *b = self;
    if (!b->started)
        return b->h->fail(b->h, e, CB_EFAIL, NULL, "save() before start()");
    cb_state_writer w;
    cb_sw_init(&w, wr, ctx);
    cb_sw_tag(&w, "bnst");
    cb_sw_i64(&w, STATE_VERSION);
    cb_sw_i64(&w, b->dim);
    cb_rng_save(&b->rng, &w);
    cb_sw_u64(&w, b->n_told);
    cb_pairset_save(&b->asked, &w);
    cb_sw_bytes(&w, b->told, b->asked.n);
    cb_sw_f64s(&w, b->y, b->asked.n);
    cb_sw_i64(&w, b->n_queue);
    cb_sw_bytes(&w, b->queue, (size_t)b->n_queue * sizeof *b->queue);
    return w.bad ? b->h->fail(b->h, e, CB_EFAIL, NULL, "could not write the search state") : CB_OK;
}

int bn_load(void *self, const void *buf, size_t len, cb_error *e)
{
    bn *b = self;
    if (!b->started)
        return b->h->fail(b->h, e, CB_EFAIL, NULL, "load() before start()");
    bn t = *b;
    t.told = NULL, t.y = NULL, t.cap = 0;
    cb_pairset_init(&t.asked);
    cb_state_reader r;
    cb_sr_init(&r, buf, len);
    cb_sr_tag(&r, "bnst");
    if (cb_sr_i64(&r) != STATE_VERSION || cb_sr_i64(&r) != b->dim)
        cb_sr_fail(&r, "the state was saved by another version or space of this search");
    cb_rng_load(&t.rng, &r);
    t.n_told = cb_sr_u64(&r);
    cb_pairset_load(&t.asked, &r);
    if (!r.bad && bn_reserve(&t, t.asked.n ? t.asked.n : 1))
        cb_sr_fail(&r, "out of memory");
    cb_sr_bytes(&r, t.told, r.bad ? 0 : t.asked.n);
    cb_sr_f64s(&r, t.y, r.bad ? 0 : t.asked.n);
    int64_t nq = cb_sr_i64(&r);
    if (!r.bad && (nq < 0 || nq > b->p.per_round))
        cb_sr_fail(&r, "the saved round is damaged");
    cb_pair *queue = malloc((size_t)b->p.per_round * sizeof *queue);
    if (!queue)
        cb_sr_fail(&r, "out of memory");
    cb_sr_bytes(&r, queue, r.bad ? 0 : (size_t)nq * sizeof *queue);
    size_t told = 0;
    for (size_t i = 0; !r.bad && i < t.asked.n; i++)
        told += t.told[i] != 0;
    if (!r.bad && told != t.n_told)
        cb_sr_fail(&r, "the saved search state is inconsistent");
    cb_sr_done(&r);
    if (r.bad) {
        cb_pairset_free(&t.asked);
        free(t.told), free(t.y), free(queue);
        return b->h->fail(b->h, e, CB_EFAIL, NULL, "cannot load the search state: %s", r.why);
    }
    memcpy(b->queue, queue, (size_t)nq * sizeof *queue);
    free(queue);
    t.n_queue = (int)nq;
    cb_pairset_free(&b->asked);
    free(b->told), free(b->y);
    *b = t;
    return CB_OK;
}
