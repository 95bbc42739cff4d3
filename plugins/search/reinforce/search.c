/* plugins/search/reinforce/search.c: REINFORCE as a search plugin. Each proposal is sampled
 * decision by decision from a controller; under "combined" one controller chooses the whole
 * pair, under "phase" a CNN controller and an accelerator controller take turns (1000 CNN steps
 * with the accelerator held at the best pair's, then 200 accelerator steps with the CNN held),
 * under "separate" the CNN controller first searches for accuracy alone on a fixed accelerator
 * (8333 steps), then the accelerator controller tunes the most accurate CNN (1667 steps) and
 * the search ends. Reward: the pair's performance (the weighted normalized metrics, Eq. 4) when
 * it meets the constraints, -punishment otherwise. A sample that names no candidate or breaks
 * valid() is punished and drawn again; one already proposed is drawn again, and when the
 * policy keeps repeating itself its last sample is perturbed a little (then a random pair). */
#include "rl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int rl_reserve(rl *s, size_t n)
{
    if (n <= s->cap)
        return CB_OK;
    size_t cap = n > 2 * s->cap ? n : 2 * s->cap;
    unsigned char **bytes[] = {&s->told, &s->who};
    for (int i = 0; i < 2; i++) {
        unsigned char *t = realloc(*bytes[i], cap);
        if (!t)
            return CB_EFAIL;
        memset(t + s->cap, 0, cap - s->cap);
        *bytes[i] = t;
    }
    double **reals[] = {&s->reward, &s->accuracy};
    for (int i = 0; i < 2; i++) {
        double *t = realloc(*reals[i], cap * sizeof *t);
        if (!t)
            return CB_EFAIL;
        *reals[i] = t;
    }
    s->cap = cap;
    return CB_OK;
}

static int make_ctrl(rl *s, rl_ctrl *c, int with_cnn, int with_hw, cb_rng *r)
{
    int n = (with_cnn ? s->n_cnn_dec : 0) + (with_hw ? s->sk.n_axes : 0), k = 0;
    int *card = malloc((size_t)(n ? n : 1) * sizeof *card);
    if (!card)
        return CB_EFAIL;
    for (int j = 0; with_cnn && j < s->n_cnn_dec; j++)
        card[k++] = s->cnn_card[j];
    for (int a = 0; with_hw && a < s->sk.n_axes; a++)
        card[k++] = s->sk.sp->axes[a].n_values;
    int rc = rl_ctrl_create(c, n, card, (int)s->p.hidden, s->p.lr, r);
    free(card);
    return rc;
}

static int build_ctrls(rl *s)
{
    cb_rng r;
    cb_rng_seed(&r, s->h->seed(s->h, "policy"));
    int cnn = s->sk.n_cnn > 0, hw = s->sk.n_axes > 0;
    if (s->p.strategy == RL_COMBINED || !cnn || !hw) {
        s->has_all = 1;
        return make_ctrl(s, &s->all, cnn, hw, &r);
    }
    s->has_cnn = s->has_hw = 1;
    int rc = make_ctrl(s, &s->cnn, 1, 0, &r);
    return rc ? rc : make_ctrl(s, &s->hw, 0, 1, &r);
}

int rl_start(void *self, const cb_space *sp, cb_error *e)
{
    rl *s = self;
    char why[256];
    if (s->started)
        return s->h->fail(s->h, e, CB_EFAIL, NULL, "start() called twice");
    if (cb_skit_init(&s->sk, sp, why, sizeof why))
        return s->h->fail(s->h, e, CB_EINVAL, NULL, "%s", why);
    s->sp = sp;
    int rc = rl_decide_init(s, why, sizeof why);
    if (rc)
        return s->h->fail(s->h, e, rc, NULL, "%s", why);
    /* choices of a controller (and a copy behind), of the CNN side, of the accelerator side */
    s->scratch = malloc((size_t)(4 * s->n_cnn_dec + 4 * CB_ACCEL_MAX + 1) * sizeof *s->scratch);
    if (!s->scratch || build_ctrls(s))
        return s->h->fail(s->h, e, CB_EFAIL, NULL, "out of memory");
    for (int a = 0; a < s->sk.n_axes; a++)
        s->init_hw[a] = (int)cb_rng_below(&s->rng, (uint64_t)sp->axes[a].n_values);
    s->started = 1;
    return CB_OK;
}

/* The part the next proposal's controller chooses; -1 once "separate" has run its course. */
static int current_part(const rl *s)
{
    if (s->has_all)
        return RL_ALL;
    if (s->p.strategy == RL_PHASE) {
        int64_t cycle = s->p.phase_cnn_steps + s->p.phase_hw_steps;
        return s->steps % cycle < s->p.phase_cnn_steps ? RL_CNN : RL_HW;
    }
    if (s->steps < s->p.sep_cnn_steps)
        return RL_CNN;
    return s->steps < s->p.sep_cnn_steps + s->p.sep_hw_steps ? RL_HW : -1;
}

static rl_ctrl *ctrl_of(rl *s, int part)
{
    return part == RL_ALL ? &s->all : part == RL_CNN ? &s->cnn : &s->hw;
}

/* Fixes the side a new phase holds: the best pair's so far (by performance; by accuracy for
 * the CNN that separate's accelerator part tunes), or the initial accelerator / a random CNN
 * before any. It stays fixed for the whole phase. */
static void begin_part(rl *s, int part)
{
    if (part == s->part)
        return;
    s->part = part;
    if (part == RL_CNN) {
        if (s->p.strategy == RL_PHASE && s->best_perf >= 0)
            rl_hw_choices(s, &s->asked.pairs[s->best_perf], s->held_hw);
        else
            memcpy(s->held_hw, s->init_hw, sizeof s->held_hw);
    } else if (part == RL_HW) {
        long b = s->p.strategy == RL_SEPARATE ? s->best_acc : s->best_perf;
        s->held_cnn = b >= 0 ? s->asked.pairs[b].cnn : (int64_t)cb_rng_below(&s->rng, (uint64_t)s->sk.n_cnn);
    }
}

static void held_side(const rl *s, int part, int *cnn_ch, int *hw_ch)
{
    if (part == RL_CNN)
        memcpy(hw_ch, s->held_hw, (size_t)s->sk.n_axes * sizeof *hw_ch);
    else if (part == RL_HW)
        rl_cnn_choices(s, s->held_cnn, cnn_ch);
}

static int cnn_part(const rl *s, int part)
{
    return part == RL_HW || s->sk.n_cnn <= 0 ? 0 : s->n_cnn_dec;
}

/* The choices of part's controller (ch) spread over the pair's two sides. */
static void to_sides(const rl *s, int part, const int *ch, int *cnn_ch, int *hw_ch)
{
    int nc = cnn_part(s, part);
    memcpy(cnn_ch, ch, (size_t)nc * sizeof *ch);
    if (part != RL_CNN)
        memcpy(hw_ch, ch + nc, (size_t)s->sk.n_axes * sizeof *ch);
}

/* The choices part's controller would have made for a pair with these sides. */
static void from_sides(const rl *s, int part, const int *cnn_ch, const int *hw_ch, int *ch)
{
    int nc = cnn_part(s, part);
    memcpy(ch, cnn_ch, (size_t)nc * sizeof *ch);
    if (part != RL_CNN)
        memcpy(ch + nc, hw_ch, (size_t)s->sk.n_axes * sizeof *ch);
}

static double reward_for(const rl *s, int part, long k)
{
    return part == RL_CNN && s->p.strategy == RL_SEPARATE ? s->accuracy[k] : s->reward[k];
}

/* The pair for part's choices ch (the held side from cnn_ch / hw_ch); 0 when its CNN
 * decisions name no candidate or the space refuses it. */
static int pair_of(rl *s, int part, const int *ch, int *cnn_ch, int *hw_ch, cb_pair *out)
{
    to_sides(s, part, ch, cnn_ch, hw_ch);
    int64_t cnn = s->sk.n_cnn > 0 ? rl_cnn_of(s, cnn_ch) : -1;
    cb_skit_make(&s->sk, cnn, hw_ch, out);
    return (s->sk.n_cnn <= 0 || cnn >= 0) && cb_skit_usable(&s->sk, NULL, out);
}

/* A concentrated policy keeps drawing pairs already proposed: change a few of its last
 * choices at random (more the longer it fails) so that the proposal stays near its mode. */
static int perturbed(rl *s, int part, int *ch, int *cnn_ch, int *hw_ch, cb_pair *out)
{
    rl_ctrl *c = ctrl_of(s, part);
    int *keep = ch + c->n; /* the scratch has room behind the choices */
    memcpy(keep, ch, (size_t)c->n * sizeof *ch);
    for (int64_t t = 0; t < s->p.max_resample; t++) {
        memcpy(ch, keep, (size_t)c->n * sizeof *ch);
        for (int64_t k = 0; k <= t / 8 && k < c->n; k++) {
            int d = (int)cb_rng_below(&s->rng, (uint64_t)c->n);
            ch[d] = (int)cb_rng_below(&s->rng, (uint64_t)c->card[d]);
        }
        if (pair_of(s, part, ch, cnn_ch, hw_ch, out) && cb_pairset_find(&s->asked, out) < 0)
            return 1;
    }
    return 0;
}

/* Samples until a pair that may be proposed; 1 and *out, 0 when none is left. */
static int sample_pair(rl *s, int part, int *ch, int *cnn_ch, int *hw_ch, cb_pair *out)
{
    rl_ctrl *c = ctrl_of(s, part);
    for (int64_t t = 0; t < s->p.max_resample; t++) {
        held_side(s, part, cnn_ch, hw_ch);
        rl_ctrl_sample(c, &s->rng, ch);
        if (!pair_of(s, part, ch, cnn_ch, hw_ch, out)) {
            rl_ctrl_update(c, ch, -s->p.punishment, s->p.baseline_decay);
            continue;
        }
        if (cb_pairset_find(&s->asked, out) < 0)
            return 1;
        /* a pair already proposed is drawn again; learning from its known reward once more
         * would concentrate the policy on pairs it may not propose (measured: worse) */
    }
    held_side(s, part, cnn_ch, hw_ch);
    return perturbed(s, part, ch, cnn_ch, hw_ch, out) || cb_skit_random(&s->sk, &s->asked, &s->rng, out);
}

int rl_ask(void *self, int n, cb_pair *out, int *n_out, cb_error *e)
{
    rl *s = self;
    *n_out = 0;
    if (!s->started)
        return s->h->fail(s->h, e, CB_EFAIL, NULL, "ask() before start()");
    int *ch = s->scratch, *cnn_ch = ch + 2 * (s->n_cnn_dec + CB_ACCEL_MAX), *hw_ch = cnn_ch + s->n_cnn_dec + 1;
    int rc = CB_OK;
    while (*n_out < n) {
        int part = current_part(s);
        if (part < 0)
            break;
        begin_part(s, part);
        if (!sample_pair(s, part, ch, cnn_ch, hw_ch, &out[*n_out]))
            break;
        long k = cb_pairset_add(&s->asked, &out[*n_out]);
        if (k < 0 || rl_reserve(s, s->asked.n)) {
            rc = s->h->fail(s->h, e, CB_EFAIL, NULL, "out of memory");
            break;
        }
        s->who[k] = (unsigned char)part;
        s->steps++;
        (*n_out)++;
    }
    return rc;
}

static void remember_best(rl *s, long k, int ok)
{
    if (ok && (s->best_perf < 0 || s->reward[k] > s->reward[s->best_perf]))
        s->best_perf = k;
    if (s->accuracy[k] > -s->p.punishment && (s->best_acc < 0 || s->accuracy[k] > s->accuracy[s->best_acc]))
        s->best_acc = k;
}

int rl_tell(void *self, const cb_pair *p, const cb_metrics *m, cb_error *e)
{
    rl *s = self;
    long k = cb_pairset_find(&s->asked, p);
    if (k < 0)
        return s->h->fail(s->h, e, CB_EINVAL, NULL, "tell() of a pair this search never proposed");
    if (s->told[k])
        return CB_OK;
    int ok = m->status == CB_EVAL_OK && isfinite(m->performance);
    s->told[k] = 1;
    s->reward[k] = ok ? m->performance : -s->p.punishment;
    s->accuracy[k] = m->status != CB_EVAL_FAILED && isfinite(m->accuracy) ? m->accuracy : -s->p.punishment;
    remember_best(s, k, ok);
    int part = s->who[k], *ch = s->scratch, *cnn_ch = ch + 2 * (s->n_cnn_dec + CB_ACCEL_MAX);
    int *hw_ch = cnn_ch + s->n_cnn_dec + 1;
    if (s->sk.n_cnn > 0)
        rl_cnn_choices(s, p->cnn, cnn_ch);
    rl_hw_choices(s, p, hw_ch);
    from_sides(s, part, cnn_ch, hw_ch, ch);
    rl_ctrl_update(ctrl_of(s, part), ch, reward_for(s, part, k), s->p.baseline_decay);
    return CB_OK;
}
