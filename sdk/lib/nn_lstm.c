/* nn_lstm.c: an LSTM cell (the REINFORCE controller's), one step forward with a cache and one
 * step backward through it, and its state. Gate order i, f, g, o; weights 4H x (in + H). */
#include "nn_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static float sig(float x)
{
    return (float)cb_nn_act_f(CB_NN_SIGMOID, x);
}

int cb_lstm_create(cb_lstm *l, int in, int hid, cb_rng *r)
{
    memset(l, 0, sizeof *l);
    if (in < 1 || hid < 1)
        return CB_EINVAL;
    l->in = in;
    l->hid = hid;
    size_t nw = (size_t)4 * hid * (in + hid);
    l->n_params = nw + (size_t)4 * hid;
    l->p = calloc(l->n_params, sizeof *l->p);
    l->g = calloc(l->n_params, sizeof *l->g);
    if (!l->p || !l->g) {
        cb_lstm_free(l);
        return CB_EFAIL;
    }
    double a = 1.0 / sqrt((double)hid); /* PyTorch's LSTMCell range */
    for (size_t k = 0; k < nw; k++)
        l->p[k] = (float)(a * (2 * cb_rng_unit(r) - 1));
    for (int j = 0; j < hid; j++)
        l->p[nw + (size_t)hid + j] = 1.0f; /* forget gate open at first: gradients flow back */
    return CB_OK;
}

void cb_lstm_free(cb_lstm *l)
{
    if (!l)
        return;
    free(l->p);
    free(l->g);
    memset(l, 0, sizeof *l);
}

/* cache: x (in), h_prev (H), c_prev (H), gates i f g o after their nonlinearity (4H), c (H),
 * tanh(c) (H) */
size_t cb_lstm_cache_len(const cb_lstm *l)
{
    return (size_t)l->in + 8 * (size_t)l->hid;
}

void cb_lstm_forward(const cb_lstm *l, const float *x, const float *h_prev, const float *c_prev,
                     float *h, float *c, float *cache)
{
    int in = l->in, H = l->hid, cols = in + H;
    float *cx = cache, *ch = cx + in, *cc = ch + H, *gate = cc + H, *cnew = gate + 4 * H, *tc = cnew + H;
    memcpy(cx, x, (size_t)in * sizeof *x);
    memcpy(ch, h_prev, (size_t)H * sizeof *h);
    memcpy(cc, c_prev, (size_t)H * sizeof *c);
    const float *b = l->p + (size_t)4 * H * cols;
    for (int r = 0; r < 4 * H; r++) {
        const float *row = l->p + (size_t)r * cols;
        double s = b[r];
        for (int k = 0; k < in; k++)
            s += row[k] * cx[k];
        for (int k = 0; k < H; k++)
            s += row[in + k] * ch[k];
        gate[r] = r / H == 2 ? tanhf((float)s) : sig((float)s);
    }
    for (int j = 0; j < H; j++) {
        cnew[j] = gate[H + j] * cc[j] + gate[j] * gate[2 * H + j];
        tc[j] = tanhf(cnew[j]);
        c[j] = cnew[j];
        h[j] = gate[3 * H + j] * tc[j];
    }
}

void cb_lstm_backward(cb_lstm *l, const float *cache, const float *dh, const float *dc, float *dx,
                      float *dh_prev, float *dc_prev)
{
    int in = l->in, H = l->hid, cols = in + H;
    const float *cx = cache, *ch = cx + in, *cc = ch + H, *gate = cc + H, *tc = gate + 5 * H;
    float *dpre = malloc((size_t)4 * H * sizeof *dpre);
    if (!dpre)
        return; /* no gradient this step; the caller's update is then a no-op for it */
    for (int j = 0; j < H; j++) {
        float gi = gate[j], gf = gate[H + j], gg = gate[2 * H + j], go = gate[3 * H + j];
        float dct = dc[j] + dh[j] * go * (1 - tc[j] * tc[j]);
        dpre[j] = dct * gg * gi * (1 - gi);
        dpre[H + j] = dct * cc[j] * gf * (1 - gf);
        dpre[2 * H + j] = dct * gi * (1 - gg * gg);
        dpre[3 * H + j] = dh[j] * tc[j] * go * (1 - go);
        dc_prev[j] = dct * gf;
    }
    float *gb = l->g + (size_t)4 * H * cols;
    if (dx)
        memset(dx, 0, (size_t)in * sizeof *dx);
    memset(dh_prev, 0, (size_t)H * sizeof *dh_prev);
    for (int r = 0; r < 4 * H; r++) {
        const float *row = l->p + (size_t)r * cols;
        float *grow = l->g + (size_t)r * cols, d = dpre[r];
        gb[r] += d;
        for (int k = 0; k < in; k++) {
            grow[k] += d * cx[k];
            if (dx)
                dx[k] += d * row[k];
        }
        for (int k = 0; k < H; k++) {
            grow[in + k] += d * ch[k];
            dh_prev[k] += d * row[in + k];
        }
    }
    free(dpre);
}

void cb_lstm_save(const cb_lstm *l, cb_state_writer *w)
{
    cb_sw_tag(w, "lstm");
    cb_sw_i64(w, l->in);
    cb_sw_i64(w, l->hid);
    cb_sw_f32s(w, l->p, l->n_params);
}

void cb_lstm_load(cb_lstm *l, cb_state_reader *r)
{
    cb_sr_tag(r, "lstm");
    if (cb_sr_i64(r) != l->in || cb_sr_i64(r) != l->hid)
        cb_sr_fail(r, "the saved LSTM has another shape");
    cb_sr_f32s(r, l->p, l->n_params);
}
