/* plugins/search/bosh/save.c: the whole search state through save()/load(): the generator,
 * the phase, every proposed pair with its result, the best-so-far history and the surrogate
 * (networks and optimizer moments), so that a resumed search proposes exactly what an
 * uninterrupted one would. A refused state leaves the instance as it was. */
#include "bosh.h"

#include <stdlib.h>
#include <string.h>

#define STATE_VERSION 3

static void write_header(const bosh *b, cb_state_writer *w)
{
    cb_sw_tag(w, "boshst");
    cb_sw_i64(w, STATE_VERSION);
    cb_sw_i64(w, b->sk.dim);
    cb_sw_i64(w, b->p.two_branch);
    cb_sw_i64(w, b->p.mode);
}

int bosh_save(void *self, cb_write wr, void *ctx, cb_error *e)
{
    bosh *b = self;
    if (!b->started)
        return b->h->fail(b->h, e, CB_EFAIL, NULL, "save() before start()");
    cb_state_writer w;
    cb_sw_init(&w, wr, ctx);
    write_header(b, &w);
    cb_rng_save(&b->rng, &w);
    cb_sw_i64(&w, b->phase);
    cb_sw_i64(&w, b->aleatoric_left);
    cb_sw_i64(&w, b->hold);
    cb_sw_u64(&w, b->n_told);
    cb_sw_u64(&w, b->n_fit);
    cb_sw_f64(&w, b->best);
    cb_sw_i64(&w, b->still);
    cb_sw_i64(&w, b->level);
    cb_pairset_save(&b->asked, &w);
    cb_sw_bytes(&w, b->told, b->asked.n);
    cb_sw_bytes(&w, b->by, b->asked.n);
    cb_sw_f64s(&w, b->y, b->asked.n);
    cb_bosh_save(&b->net, &w);
    return w.bad ? b->h->fail(b->h, e, CB_EFAIL, NULL, "could not write the search state") : CB_OK;
}

/* Everything but the surrogate, into t (a copy of b with fresh arrays). */
static void read_search(bosh *b, bosh *t, cb_state_reader *r)
{
    cb_sr_tag(r, "boshst");
    if (cb_sr_i64(r) != STATE_VERSION || cb_sr_i64(r) != b->sk.dim || cb_sr_i64(r) != b->p.two_branch ||
        cb_sr_i64(r) != b->p.mode)
        cb_sr_fail(r, "the state was saved by another version, space or mode of this search");
    cb_rng_load(&t->rng, r);
    t->phase = (int)cb_sr_i64(r);
    t->aleatoric_left = cb_sr_i64(r);
    t->hold = cb_sr_i64(r);
    t->n_told = cb_sr_u64(r);
    t->n_fit = cb_sr_u64(r);
    t->best = cb_sr_f64(r);
    t->still = cb_sr_i64(r);
    t->level = (int32_t)cb_sr_i64(r);
    cb_pairset_load(&t->asked, r);
    if (r->bad || bosh_reserve(t, t->asked.n ? t->asked.n : 1)) {
        cb_sr_fail(r, "out of memory");
        return;
    }
    cb_sr_bytes(r, t->told, t->asked.n);
    cb_sr_bytes(r, t->by, t->asked.n);
    cb_sr_f64s(r, t->y, t->asked.n);
    size_t told = 0;
    for (size_t i = 0; i < t->asked.n; i++)
        told += t->told[i] != 0;
    if (!r->bad && (told != t->n_told || t->n_fit > t->n_told || t->hold >= (int64_t)t->asked.n ||
                    t->phase < BOSH_SEARCHING || t->phase > BOSH_DONE || t->still < 0 ||
                    t->level < -1 || t->level > bosh_top_level(b)))
        cb_sr_fail(r, "the saved search state is inconsistent");
}

int bosh_load(void *self, const void *buf, size_t len, cb_error *e)
{
    bosh *b = self;
    if (!b->started)
        return b->h->fail(b->h, e, CB_EFAIL, NULL, "load() before start()");
    bosh t = *b;
    t.told = NULL, t.by = NULL, t.y = NULL, t.cap = 0;
    cb_pairset_init(&t.asked);
    cb_state_reader r;
    cb_sr_init(&r, buf, len);
    read_search(b, &t, &r);
    cb_state_buf keep = {0};
    cb_state_writer kw;
    cb_sw_init(&kw, cb_state_buf_write, &keep);
    cb_bosh_save(&b->net, &kw); /* to undo a surrogate load that fails half-way */
    if (!r.bad && !kw.bad) {
        cb_bosh_load(&b->net, &r);
        cb_sr_done(&r);
    } else if (kw.bad) {
        cb_sr_fail(&r, "out of memory");
    }
    if (r.bad) {
        cb_state_reader kr;
        cb_sr_init(&kr, keep.p, keep.len);
        if (!kw.bad)
            cb_bosh_load(&b->net, &kr);
        free(keep.p);
        cb_pairset_free(&t.asked);
        free(t.told), free(t.by), free(t.y);
        return b->h->fail(b->h, e, CB_EFAIL, NULL, "cannot load the search state: %s", r.why);
    }
    free(keep.p);
    t.net = b->net; /* loaded in place */
    int32_t level = t.level;
    t.level = b->level;
    cb_pairset_free(&b->asked);
    free(b->told), free(b->by), free(b->y);
    *b = t;
    if (level != b->level && bosh_use_level(b, level)) /* only out of memory can fail here */
        return b->h->fail(b->h, e, CB_EFAIL, NULL, "out of memory");
    return CB_OK;
}
