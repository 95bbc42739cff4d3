/* plugins/search/reinforce/policy.c: one controller: an LSTM cell whose input at each step is
 * the embedding of the previous choice (a learned start vector first) and whose hidden state
 * feeds a linear head per decision, a softmax over that decision's choices. Sampling runs it
 * forward; an update runs it forward on the given choices and back through time with the
 * REINFORCE gradient advantage * d log pi(choices), then takes an Adam step. */
#include "rl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int rl_ctrl_create(rl_ctrl *c, int n, const int *card, int hid, double lr, cb_rng *r)
{
    memset(c, 0, sizeof *c);
    c->n = n;
    c->hid = hid;
    c->card = malloc((size_t)n * sizeof *c->card);
    c->emb_off = malloc((size_t)n * sizeof *c->emb_off);
    c->head_off = malloc((size_t)n * sizeof *c->head_off);
    c->prob_off = malloc((size_t)(n + 1) * sizeof *c->prob_off);
    if (!c->card || !c->emb_off || !c->head_off || !c->prob_off || cb_lstm_create(&c->lstm, hid, hid, r))
        return CB_EFAIL;
    size_t off = (size_t)hid; /* the start vector */
    c->prob_off[0] = 0;
    for (int d = 0; d < n; d++) {
        c->card[d] = card[d];
        c->emb_off[d] = off;
        off += (size_t)card[d] * hid;
        c->head_off[d] = off;
        off += (size_t)(hid + 1) * card[d];
        c->prob_off[d + 1] = c->prob_off[d] + (size_t)card[d];
    }
    c->n_params = off;
    c->p = calloc(off, sizeof *c->p);
    c->g = calloc(off, sizeof *c->g);
    size_t cl = cb_lstm_cache_len(&c->lstm);
    c->cache = malloc((size_t)n * cl * sizeof *c->cache);
    c->h = calloc((size_t)(n + 1) * hid, sizeof *c->h);
    c->c = calloc((size_t)(n + 1) * hid, sizeof *c->c);
    c->dh = malloc((size_t)4 * hid * sizeof *c->dh);
    c->probs = malloc(c->prob_off[n] * sizeof *c->probs);
    if (!c->p || !c->g || !c->cache || !c->h || !c->c || !c->dh || !c->probs ||
        cb_adam_init(&c->opt_lstm, c->lstm.n_params, lr) || cb_adam_init(&c->opt_rest, off, lr))
        return CB_EFAIL;
    for (size_t k = 0; k < off; k++) /* small weights: the first policy is nearly uniform */
        c->p[k] = (float)(0.1 * (2 * cb_rng_unit(r) - 1));
    return CB_OK;
}

void rl_ctrl_free(rl_ctrl *c)
{
    cb_lstm_free(&c->lstm);
    cb_adam_free(&c->opt_lstm);
    cb_adam_free(&c->opt_rest);
    free(c->card), free(c->emb_off), free(c->head_off), free(c->prob_off);
    free(c->p), free(c->g), free(c->cache), free(c->h), free(c->c), free(c->dh), free(c->probs);
    memset(c, 0, sizeof *c);
}

static const float *input_of(const rl_ctrl *c, int d, const int *choices)
{
    return d == 0 ? c->p : c->p + c->emb_off[d - 1] + (size_t)choices[d - 1] * c->hid;
}

static void softmax(float *x, int n)
{
    float mx = x[0];
    for (int i = 1; i < n; i++)
        mx = x[i] > mx ? x[i] : mx;
    double s = 0;
    for (int i = 0; i < n; i++)
        s += x[i] = expf(x[i] - mx);
    for (int i = 0; i < n; i++)
        x[i] = (float)(x[i] / s);
}

/* Forward over all decisions: on the given choices, or sampling them into sampled when r is
 * not NULL. */
static void run(rl_ctrl *c, cb_rng *r, int *sampled, const int *given)
{
    const int *choices = r ? sampled : given;
    int H = c->hid;
    size_t cl = cb_lstm_cache_len(&c->lstm);
    memset(c->h, 0, (size_t)H * sizeof *c->h);
    memset(c->c, 0, (size_t)H * sizeof *c->c);
    for (int d = 0; d < c->n; d++) {
        float *h = c->h + (size_t)(d + 1) * H, *cc = c->c + (size_t)(d + 1) * H;
        cb_lstm_forward(&c->lstm, input_of(c, d, choices), c->h + (size_t)d * H, c->c + (size_t)d * H, h, cc,
                        c->cache + (size_t)d * cl);
        const float *w = c->p + c->head_off[d];
        float *pr = c->probs + c->prob_off[d];
        cb_dense_forward(w, w + (size_t)H * c->card[d], H, c->card[d], h, pr);
        softmax(pr, c->card[d]);
        if (!r)
            continue;
        double u = cb_rng_unit(r), acc = 0;
        int k = c->card[d] - 1;
        for (int i = 0; i < c->card[d]; i++)
            if ((acc += pr[i]) > u) {
                k = i;
                break;
            }
        sampled[d] = k;
    }
}

void rl_ctrl_sample(rl_ctrl *c, cb_rng *r, int *choices)
{
    run(c, r, choices, NULL);
}

/* Gradients of advantage * -log pi(choices) (descending it raises the probability of
 * choices with a positive advantage). */
static void backward(rl_ctrl *c, const int *choices, double adv)
{
    int H = c->hid;
    size_t cl = cb_lstm_cache_len(&c->lstm);
    float *dh_next = c->dh, *dc_next = c->dh + H, *dh = c->dh + 2 * H, *dx = c->dh + 3 * H;
    memset(c->g, 0, c->n_params * sizeof *c->g);
    memset(c->lstm.g, 0, c->lstm.n_params * sizeof *c->lstm.g);
    memset(dh_next, 0, (size_t)2 * H * sizeof *dh_next);
    for (int d = c->n - 1; d >= 0; d--) {
        float *pr = c->probs + c->prob_off[d];
        for (int i = 0; i < c->card[d]; i++) /* d(-log p_k)/d(logit_i) = p_i - [i = k] */
            pr[i] = (float)(adv * (pr[i] - (i == choices[d])));
        const float *w = c->p + c->head_off[d];
        float *gw = c->g + c->head_off[d];
        cb_dense_backward(w, H, c->card[d], c->h + (size_t)(d + 1) * H, pr, gw, gw + (size_t)H * c->card[d], dh);
        for (int j = 0; j < H; j++)
            dh[j] += dh_next[j];
        cb_lstm_backward(&c->lstm, c->cache + (size_t)d * cl, dh, dc_next, dx, dh_next, dc_next);
        float *gin = d == 0 ? c->g : c->g + c->emb_off[d - 1] + (size_t)choices[d - 1] * H;
        for (int j = 0; j < H; j++)
            gin[j] += dx[j];
    }
}

void rl_ctrl_update(rl_ctrl *c, const int *choices, double reward, double decay)
{
    if (!c->has_baseline) {
        c->baseline = reward;
        c->has_baseline = 1;
    }
    double adv = reward - c->baseline;
    c->baseline = decay * c->baseline + (1 - decay) * reward;
    if (adv == 0)
        return;
    run(c, NULL, NULL, choices);
    backward(c, choices, adv);
    cb_adam_step(&c->opt_lstm, c->lstm.p, c->lstm.g);
    cb_adam_step(&c->opt_rest, c->p, c->g);
}

void rl_ctrl_save(const rl_ctrl *c, cb_state_writer *w)
{
    cb_sw_tag(w, "ctrl");
    cb_sw_i64(w, c->n);
    cb_sw_i64(w, c->hid);
    cb_lstm_save(&c->lstm, w);
    cb_sw_f32s(w, c->p, c->n_params);
    cb_adam_save(&c->opt_lstm, w);
    cb_adam_save(&c->opt_rest, w);
    cb_sw_f64(w, c->baseline);
    cb_sw_i64(w, c->has_baseline);
}

void rl_ctrl_load(rl_ctrl *c, cb_state_reader *r)
{
    cb_sr_tag(r, "ctrl");
    if (cb_sr_i64(r) != c->n || cb_sr_i64(r) != c->hid)
        cb_sr_fail(r, "the saved controller has another shape");
    cb_lstm_load(&c->lstm, r);
    cb_sr_f32s(r, c->p, c->n_params);
    cb_adam_load(&c->opt_lstm, r);
    cb_adam_load(&c->opt_rest, r);
    c->baseline = cb_sr_f64(r);
    c->has_baseline = (int)cb_sr_i64(r);
}
