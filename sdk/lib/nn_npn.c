/* nn_npn.c: natural-parameter networks: creation, batch forward of means and variances,
 * backward to the parameters, the NPN loss, and their state. Weight variances are kept as
 * softplus(raw) so that they stay positive under any update. */
#include "nn_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static double softplus(double x)
{
    return cb_nn_act_f(CB_NN_SOFTPLUS, x);
}

static void init_params(cb_npn *m, cb_rng *r)
{
    const cb_nn_spec *s = &m->s;
    for (int l = 0; l < s->n_layers; l++) {
        int in = s->width[l], out = s->width[l + 1];
        double a = sqrt(6.0 / (in + out));
        cb_nn_xavier(s, l, m->p + m->off_wm[l], r);
        float *ws = m->p + m->off_ws[l];
        for (int k = 0; k < in * out; k++) {
            /* variances start small, uniform in (0, 0.01 a]: the reference's initialization */
            double v = 0.01 * a * (1.0 - cb_rng_unit(r));
            ws[k] = (float)log(expm1(v > 1e-12 ? v : 1e-12));
        }
        for (int j = 0; j < out; j++)
            m->p[m->off_bs[l] + (size_t)j] = -10.0f; /* bias variance softplus(-10) ~ 4.5e-5 */
    }
}

int cb_npn_create(cb_npn *m, const cb_nn_spec *s, cb_gemm_fn gemm, cb_rng *r)
{
    memset(m, 0, sizeof *m);
    if (cb_nn_check_spec(s))
        return CB_EINVAL;
    m->s = *s;
    m->gemm = gemm ? gemm : cb_nn_gemm_ref;
    size_t off = 0, w0 = (size_t)s->width[0], sumw = (size_t)cb_nn_sum_width(s);
    size_t wmax = (size_t)cb_nn_max_width(s);
    int bad = 0;
    for (int l = 0; l < s->n_layers; l++) {
        size_t in = (size_t)s->width[l], out = (size_t)s->width[l + 1];
        m->off_wm[l] = off, off += in * out;
        m->off_ws[l] = off, off += in * out;
        m->off_bm[l] = off, off += out;
        m->off_bs[l] = off, off += out;
        bad |= !(m->ws[l] = malloc(in * out * sizeof(float)));
        bad |= !(m->wsum[l] = malloc(in * out * sizeof(float)));
    }
    m->n_params = off;
    m->p = calloc(off, sizeof *m->p);
    m->g = calloc(off, sizeof *m->g);
    m->dw = calloc(2 * (w0 + sumw) + 4 * sumw + 16 * wmax, sizeof *m->dw);
    if (bad || !m->p || !m->g || !m->dw) {
        cb_npn_free(m);
        return CB_EFAIL;
    }
    init_params(m, r);
    return CB_OK;
}

static void free_work(cb_npn *m)
{
    for (int l = 0; l <= CB_NN_MAX_LAYERS; l++) {
        free(m->am[l]);
        free(m->as[l]);
        m->am[l] = m->as[l] = NULL;
    }
    for (int l = 0; l < CB_NN_MAX_LAYERS; l++) {
        free(m->zm[l]);
        free(m->zs[l]);
        free(m->jac[l]);
        m->zm[l] = m->zs[l] = m->jac[l] = NULL;
    }
    for (int k = 0; k < 8; k++) {
        free(m->tmp[k]);
        m->tmp[k] = NULL;
    }
}

void cb_npn_free(cb_npn *m)
{
    if (!m)
        return;
    free_work(m);
    for (int l = 0; l < CB_NN_MAX_LAYERS; l++) {
        free(m->ws[l]);
        free(m->wsum[l]);
    }
    free(m->p);
    free(m->g);
    free(m->dw);
    memset(m, 0, sizeof *m);
}

static int ensure(cb_npn *m, int n)
{
    if (n <= m->cap)
        return CB_OK;
    int cap = n > 2 * m->cap ? n : 2 * m->cap;
    size_t wmax = (size_t)cb_nn_max_width(&m->s);
    int bad = 0;
    free_work(m);
    for (int l = 0; l <= m->s.n_layers; l++) {
        size_t sz = (size_t)cap * m->s.width[l] * sizeof(float);
        m->am[l] = malloc(sz);
        m->as[l] = malloc(sz);
        bad |= !m->am[l] || !m->as[l];
        if (l < m->s.n_layers) {
            size_t so = (size_t)cap * m->s.width[l + 1] * sizeof(float);
            m->zm[l] = malloc(so);
            m->zs[l] = malloc(so);
            m->jac[l] = malloc(4 * so);
            bad |= !m->zm[l] || !m->zs[l] || !m->jac[l];
        }
    }
    /* 0..5: per-sample buffers (squares, adjoints); 6, 7: weight-shaped products */
    for (int k = 0; k < 8; k++) {
        size_t sz = k < 6 ? (size_t)cap * wmax : wmax * wmax;
        bad |= !(m->tmp[k] = malloc(sz * sizeof(float)));
    }
    m->cap = bad ? 0 : cap;
    return bad ? CB_EFAIL : CB_OK;
}

/* Ws = softplus(raw) (zero across branches) and Ws + Wm^2 for layer l. */
static void refresh_variances(cb_npn *m, int l)
{
    const cb_nn_spec *s = &m->s;
    int in = s->width[l], out = s->width[l + 1];
    const float *wm = m->p + m->off_wm[l], *raw = m->p + m->off_ws[l];
    for (int i = 0; i < in; i++)
        for (int j = 0; j < out; j++) {
            int k = i * out + j;
            float v = cb_nn_joined(s, l, i, j) ? (float)softplus(raw[k]) : 0.0f;
            m->ws[l][k] = v;
            m->wsum[l][k] = v + wm[k] * wm[k];
        }
}

int cb_npn_forward(cb_npn *m, const float *x, int n, float *mean, float *var)
{
    if (n < 1 || ensure(m, n))
        return n < 1 ? CB_EINVAL : CB_EFAIL;
    const cb_nn_spec *s = &m->s;
    m->n = n;
    memcpy(m->am[0], x, (size_t)n * s->width[0] * sizeof *x);
    memset(m->as[0], 0, (size_t)n * s->width[0] * sizeof *x);
    for (int l = 0; l < s->n_layers; l++) {
        int in = s->width[l], out = s->width[l + 1];
        size_t cin = (size_t)n * in, cout = (size_t)n * out;
        refresh_variances(m, l);
        float *sq = m->tmp[0];
        for (size_t k = 0; k < cin; k++)
            sq[k] = m->am[l][k] * m->am[l][k];
        m->gemm(false, false, n, out, in, 1.0f, m->am[l], in, m->p + m->off_wm[l], out, 0.0f, m->zm[l], out);
        cb_nn_add_bias(m->zm[l], m->p + m->off_bm[l], n, out);
        m->gemm(false, false, n, out, in, 1.0f, sq, in, m->ws[l], out, 0.0f, m->zs[l], out);
        if (l > 0) /* the input is a point: its variance term vanishes */
            m->gemm(false, false, n, out, in, 1.0f, m->as[l], in, m->wsum[l], out, 1.0f, m->zs[l], out);
        const float *bs = m->p + m->off_bs[l];
        float *bvar = m->tmp[1]; /* the bias variances, once per layer */
        for (int j = 0; j < out; j++)
            bvar[j] = (float)softplus(bs[j]);
        for (size_t k = 0; k < cout; k++) {
            double om, os, J[4];
            m->zs[l][k] += bvar[k % (size_t)out];
            /* the Jacobian is kept for backward: one evaluation serves both passes */
            cb_npn_act_eval((cb_npn_act)s->act[l], m->zm[l][k], m->zs[l][k], 0, 0, &om, &os, J, NULL);
            m->am[l + 1][k] = (float)om;
            m->as[l + 1][k] = (float)os;
            for (int q = 0; q < 4; q++)
                m->jac[l][4 * k + (size_t)q] = (float)J[q];
        }
    }
    m->ws_current = 1;
    size_t cn = (size_t)n * s->width[s->n_layers];
    memcpy(mean, m->am[s->n_layers], cn * sizeof *mean);
    memcpy(var, m->as[s->n_layers], cn * sizeof *var);
    return CB_OK;
}
