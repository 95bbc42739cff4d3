/* plugins/search/reinforce/state.c: the whole REINFORCE state through save()/load(): the
 * generator, the step count and the phase's starting accelerator, every proposed pair with its
 * controller and rewards, and each controller's parameters, Adam moments and baseline. A
 * refused state leaves the instance as it was (controllers are restored from a copy). */
#include "rl.h"

#include <stdlib.h>
#include <string.h>

#define STATE_VERSION 1

static void put_ctrls(const rl *s, cb_state_writer *w)
{
    if (s->has_all)
        rl_ctrl_save(&s->all, w);
    if (s->has_cnn)
        rl_ctrl_save(&s->cnn, w);
    if (s->has_hw)
        rl_ctrl_save(&s->hw, w);
}

static void get_ctrls(rl *s, cb_state_reader *r)
{
    if (s->has_all)
        rl_ctrl_load(&s->all, r);
    if (s->has_cnn)
        rl_ctrl_load(&s->cnn, r);
    if (s->has_hw)
        rl_ctrl_load(&s->hw, r);
}

int rl_save(void *self, cb_write wr, void *ctx, cb_error *e)
{
    rl *s = self;
    if (!s->started)
        return s->h->fail(s->h, e, CB_EFAIL, NULL, "save() before start()");
    cb_state_writer w;
    cb_sw_init(&w, wr, ctx);
    cb_sw_tag(&w, "rlst");
    cb_sw_i64(&w, STATE_VERSION);
    cb_sw_i64(&w, s->p.strategy);
    cb_sw_i64(&w, s->n_cnn_dec);
    cb_sw_i64(&w, s->sk.n_axes);
    cb_rng_save(&s->rng, &w);
    cb_sw_i64(&w, s->steps);
    for (int a = 0; a < CB_ACCEL_MAX; a++)
        cb_sw_i64(&w, s->init_hw[a]);
    cb_sw_i64(&w, s->best_perf);
    cb_sw_i64(&w, s->best_acc);
    cb_sw_i64(&w, s->part);
    cb_sw_i64(&w, s->held_cnn);
    for (int a = 0; a < CB_ACCEL_MAX; a++)
        cb_sw_i64(&w, s->held_hw[a]);
    cb_pairset_save(&s->asked, &w);
    cb_sw_bytes(&w, s->told, s->asked.n);
    cb_sw_bytes(&w, s->who, s->asked.n);
    cb_sw_f64s(&w, s->reward, s->asked.n);
    cb_sw_f64s(&w, s->accuracy, s->asked.n);
    put_ctrls(s, &w);
    return w.bad ? s->h->fail(s->h, e, CB_EFAIL, NULL, "could not write the search state") : CB_OK;
}

/* Everything but the controllers, into t. */
static void read_search(const rl *s, rl *t, cb_state_reader *r)
{
    cb_sr_tag(r, "rlst");
    if (cb_sr_i64(r) != STATE_VERSION || cb_sr_i64(r) != s->p.strategy || cb_sr_i64(r) != s->n_cnn_dec ||
        cb_sr_i64(r) != s->sk.n_axes)
        cb_sr_fail(r, "the state was saved by another version, strategy or space of this search");
    cb_rng_load(&t->rng, r);
    t->steps = cb_sr_i64(r);
    for (int a = 0; a < CB_ACCEL_MAX; a++) {
        t->init_hw[a] = (int)cb_sr_i64(r);
        if (a < s->sk.n_axes && (t->init_hw[a] < 0 || t->init_hw[a] >= s->sp->axes[a].n_values))
            cb_sr_fail(r, "the saved accelerator is off its axes");
    }
    t->best_perf = (long)cb_sr_i64(r);
    t->best_acc = (long)cb_sr_i64(r);
    t->part = (int)cb_sr_i64(r);
    t->held_cnn = cb_sr_i64(r);
    for (int a = 0; a < CB_ACCEL_MAX; a++) {
        t->held_hw[a] = (int)cb_sr_i64(r);
        if (a < s->sk.n_axes && t->part == RL_CNN && (t->held_hw[a] < 0 || t->held_hw[a] >= s->sp->axes[a].n_values))
            cb_sr_fail(r, "the saved accelerator is off its axes");
    }
    if (t->part < -1 || t->part > RL_ALL || (t->part == RL_HW && (t->held_cnn < 0 || t->held_cnn >= s->sk.n_cnn)))
        cb_sr_fail(r, "the saved phase is damaged");
    cb_pairset_load(&t->asked, r);
    if (r->bad || rl_reserve(t, t->asked.n ? t->asked.n : 1)) {
        cb_sr_fail(r, "out of memory");
        return;
    }
    cb_sr_bytes(r, t->told, t->asked.n);
    cb_sr_bytes(r, t->who, t->asked.n);
    cb_sr_f64s(r, t->reward, t->asked.n);
    cb_sr_f64s(r, t->accuracy, t->asked.n);
    for (size_t i = 0; i < t->asked.n && !r->bad; i++)
        if (t->who[i] > RL_ALL)
            cb_sr_fail(r, "the saved search state is damaged");
    if (t->best_perf >= (long)t->asked.n || t->best_acc >= (long)t->asked.n || t->steps < 0)
        cb_sr_fail(r, "the saved search state is inconsistent");
}

int rl_load(void *self, const void *buf, size_t len, cb_error *e)
{
    rl *s = self;
    if (!s->started)
        return s->h->fail(s->h, e, CB_EFAIL, NULL, "load() before start()");
    rl t = *s;
    t.told = t.who = NULL, t.reward = t.accuracy = NULL, t.cap = 0;
    cb_pairset_init(&t.asked);
    cb_state_reader r;
    cb_sr_init(&r, buf, len);
    read_search(s, &t, &r);
    cb_state_buf keep = {0};
    cb_state_writer kw;
    cb_sw_init(&kw, cb_state_buf_write, &keep);
    put_ctrls(s, &kw); /* to undo a controller load that fails half-way */
    if (kw.bad)
        cb_sr_fail(&r, "out of memory");
    if (!r.bad) {
        get_ctrls(s, &r);
        cb_sr_done(&r);
    }
    if (r.bad) {
        cb_state_reader kr;
        cb_sr_init(&kr, keep.p, keep.len);
        if (!kw.bad)
            get_ctrls(s, &kr);
        free(keep.p);
        cb_pairset_free(&t.asked);
        free(t.told), free(t.who), free(t.reward), free(t.accuracy);
        return s->h->fail(s->h, e, CB_EFAIL, NULL, "cannot load the search state: %s", r.why);
    }
    free(keep.p);
    t.all = s->all, t.cnn = s->cnn, t.hw = s->hw; /* loaded in place */
    cb_pairset_free(&s->asked);
    free(s->told), free(s->who), free(s->reward), free(s->accuracy);
    *s = t;
    return CB_OK;
}
