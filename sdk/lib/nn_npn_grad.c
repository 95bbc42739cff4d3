/* nn_npn_grad.c: the NPN's backward pass to its parameters, its loss (the paper's Eq. 2) and
 * its state. The chain rule runs through both moments: a layer's output variance depends on the
 * weight means (through Wm^2), the weight variances and the input's mean and variance. */
#include "nn_internal.h"

#include <math.h>
#include <string.h>

static double sigmoid(double x)
{
    return cb_nn_act_f(CB_NN_SIGMOID, x);
}

/* Adjoints through the activation of layer l: (gm, gs) <- J^T (gm, gs), in place, with the
 * Jacobian the forward pass kept. */
static void act_back(cb_npn *m, int l, float *gm, float *gs)
{
    size_t cnt = (size_t)m->n * m->s.width[l + 1];
    for (size_t k = 0; k < cnt; k++) {
        const float *j = m->jac[l] + 4 * k;
        double a = gm[k], b = gs[k];
        gm[k] = (float)(j[0] * a + j[2] * b);
        gs[k] = (float)(j[1] * a + j[3] * b);
    }
}

/* Parameter gradients of layer l from the adjoints (gzm, gzs) of its pre-activation moments. */
static void layer_params(cb_npn *m, int l, const float *gzm, const float *gzs)
{
    const cb_nn_spec *s = &m->s;
    int n = m->n, in = s->width[l], out = s->width[l + 1];
    float *sq = m->tmp[2], *t1 = m->tmp[6], *t2 = m->tmp[7];
    const float *wm = m->p + m->off_wm[l], *raw = m->p + m->off_ws[l];
    float *gwm = m->g + m->off_wm[l], *gws = m->g + m->off_ws[l];
    m->gemm(true, false, in, out, n, 1.0f, m->am[l], in, gzm, out, 1.0f, gwm, out);
    for (size_t k = 0; k < (size_t)n * in; k++)
        sq[k] = m->am[l][k] * m->am[l][k];
    m->gemm(true, false, in, out, n, 1.0f, sq, in, gzs, out, 0.0f, t2, out);
    if (l > 0)
        m->gemm(true, false, in, out, n, 1.0f, m->as[l], in, gzs, out, 0.0f, t1, out);
    for (int i = 0; i < in; i++)
        for (int j = 0; j < out; j++) {
            int k = i * out + j;
            if (!cb_nn_joined(s, l, i, j)) {
                gwm[k] = 0;
                continue;
            }
            double from_var = l > 0 ? t1[k] : 0; /* d(zs)/d(Ws) = as + am^2; d(zs)/d(Wm) = 2 Wm as */
            gwm[k] += (float)(2.0 * wm[k] * from_var);
            gws[k] += (float)((from_var + t2[k]) * sigmoid(raw[k]));
        }
    cb_nn_colsum_add(gzm, n, out, m->g + m->off_bm[l]);
    const float *bs = m->p + m->off_bs[l];
    float *gbs = m->g + m->off_bs[l];
    for (int j = 0; j < out; j++) { /* d softplus(raw) / d raw = sigmoid(raw) */
        double sum = 0;
        for (int i = 0; i < n; i++)
            sum += gzs[(size_t)i * out + j];
        gbs[j] += (float)(sum * sigmoid(bs[j]));
    }
}

/* Adjoints of layer l's input moments: gam = gzm Wm^T + 2 am . (gzs Ws^T), gas = gzs wsum^T. */
static void layer_inputs(cb_npn *m, int l, const float *gzm, const float *gzs, float *gam, float *gas)
{
    int n = m->n, in = m->s.width[l], out = m->s.width[l + 1];
    float *t = m->tmp[2];
    m->gemm(false, true, n, in, out, 1.0f, gzm, out, m->p + m->off_wm[l], out, 0.0f, gam, in);
    m->gemm(false, true, n, in, out, 1.0f, gzs, out, m->ws[l], out, 0.0f, t, in);
    for (size_t k = 0; k < (size_t)n * in; k++)
        gam[k] += 2.0f * m->am[l][k] * t[k];
    m->gemm(false, true, n, in, out, 1.0f, gzs, out, m->wsum[l], out, 0.0f, gas, in);
}

void cb_npn_backward(cb_npn *m, const float *gm, const float *gs)
{
    const cb_nn_spec *s = &m->s;
    int L = s->n_layers;
    float *cm = m->tmp[0], *cs = m->tmp[1], *nm = m->tmp[3], *ns = m->tmp[4];
    size_t cnt = (size_t)m->n * s->width[L];
    memcpy(cm, gm, cnt * sizeof *cm);
    memcpy(cs, gs, cnt * sizeof *cs);
    for (int l = L - 1; l >= 0; l--) {
        act_back(m, l, cm, cs);
        layer_params(m, l, cm, cs);
        if (l == 0)
            break;
        layer_inputs(m, l, cm, cs, nm, ns);
        float *t = cm;
        cm = nm, nm = t;
        t = cs;
        cs = ns, ns = t;
    }
}

double cb_npn_loss(const float *mean, const float *var, const float *y, int n, float *gm, float *gs)
{
    double loss = 0;
    for (int i = 0; i < n; i++) {
        double e = (double)mean[i] - y[i], v = var[i];
        loss += 0.5 * e * e / v + 0.5 * log(v);
        gm[i] = (float)(e / v / n);
        gs[i] = (float)((0.5 / v - 0.5 * e * e / (v * v)) / n);
    }
    return loss / n;
}

void cb_npn_save(const cb_npn *m, cb_state_writer *w)
{
    cb_sw_tag(w, "npn");
    cb_nn_spec_save(&m->s, w);
    cb_sw_f32s(w, m->p, m->n_params);
}

void cb_npn_load(cb_npn *m, cb_state_reader *r)
{
    cb_sr_tag(r, "npn");
    cb_nn_spec_expect(&m->s, r);
    cb_sr_f32s(r, m->p, m->n_params);
    cb_npn_touch(m);
}
