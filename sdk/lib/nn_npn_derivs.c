/* nn_npn_derivs.c: derivatives of the NPN's upper confidence value mean + k1 sqrt(var) with
 * respect to its input point, for GOBI: the gradient by a reverse pass through both moments,
 * and the exact Hessian-vector product by forward-over-reverse: the forward pass carries the
 * tangents of every mean and variance along v, the reverse pass the tangents of every adjoint
 * (the activations' Jacobian derivatives come from cb_npn_act_eval). One sample, double. */
#include "nn_internal.h"

#include <math.h>
#include <string.h>

typedef struct work {
    double *am, *tam;              /* per layer: input means and their tangents (offsets in_off) */
    double *zm, *zs, *tzm, *tzs;   /* per layer: pre-activation moments and tangents (out_off) */
    double *cm, *cs, *ctm, *cts;   /* current moments and tangents (forward) or adjoints (reverse) */
    double *nm, *ns, *ntm, *nts;   /* next ones */
    double *t1, *t2;
    int in_off[CB_NN_MAX_LAYERS], out_off[CB_NN_MAX_LAYERS];
} work;

static void carve(const cb_npn *m, work *w)
{
    const cb_nn_spec *s = &m->s;
    int sumw = cb_nn_sum_width(s), w0 = s->width[0], wmax = cb_nn_max_width(s);
    double *p = m->dw;
    w->am = p, p += w0 + sumw;
    w->tam = p, p += w0 + sumw;
    w->zm = p, p += sumw;
    w->zs = p, p += sumw;
    w->tzm = p, p += sumw;
    w->tzs = p, p += sumw;
    double **vec[] = {&w->cm, &w->cs, &w->ctm, &w->cts, &w->nm, &w->ns, &w->ntm, &w->nts, &w->t1, &w->t2};
    for (size_t k = 0; k < sizeof vec / sizeof *vec; k++)
        *vec[k] = p, p += wmax;
    for (int l = 0, io = 0, oo = 0; l < s->n_layers; l++) {
        w->in_off[l] = io, io += s->width[l];
        w->out_off[l] = oo, oo += s->width[l + 1];
    }
}

static void swap(double **a, double **b)
{
    double *t = *a;
    *a = *b;
    *b = t;
}

/* Forward through layer l: (cm, cs, ctm, cts) in, the same out. */
static void forward_layer(cb_npn *m, work *w, int l)
{
    const cb_nn_spec *s = &m->s;
    int in = s->width[l], out = s->width[l + 1];
    const float *wm = m->p + m->off_wm[l], *bm = m->p + m->off_bm[l], *bs = m->p + m->off_bs[l];
    double *zm = w->zm + w->out_off[l], *zs = w->zs + w->out_off[l];
    double *tzm = w->tzm + w->out_off[l], *tzs = w->tzs + w->out_off[l];
    memcpy(w->am + w->in_off[l], w->cm, (size_t)in * sizeof(double));
    memcpy(w->tam + w->in_off[l], w->ctm, (size_t)in * sizeof(double));
    for (int i = 0; i < in; i++) {
        w->t1[i] = w->cm[i] * w->cm[i];        /* am^2 */
        w->t2[i] = 2.0 * w->cm[i] * w->ctm[i]; /* its tangent */
    }
    cb_nn_vecmat(w->cm, wm, in, out, zm, 0);
    cb_nn_vecmat(w->ctm, wm, in, out, tzm, 0);
    cb_nn_vecmat(w->t1, m->ws[l], in, out, zs, 0);
    cb_nn_vecmat(w->cs, m->wsum[l], in, out, zs, 1);
    cb_nn_vecmat(w->t2, m->ws[l], in, out, tzs, 0);
    cb_nn_vecmat(w->cts, m->wsum[l], in, out, tzs, 1);
    for (int j = 0; j < out; j++) {
        double jac[4];
        zm[j] += bm[j];
        zs[j] += cb_nn_act_f(CB_NN_SOFTPLUS, bs[j]);
        cb_npn_act_eval((cb_npn_act)s->act[l], zm[j], zs[j], 0, 0, &w->nm[j], &w->ns[j], jac, NULL);
        w->ntm[j] = jac[0] * tzm[j] + jac[1] * tzs[j];
        w->nts[j] = jac[2] * tzm[j] + jac[3] * tzs[j];
    }
    swap(&w->cm, &w->nm);
    swap(&w->cs, &w->ns);
    swap(&w->ctm, &w->ntm);
    swap(&w->cts, &w->nts);
}

/* Reverse through layer l: adjoints (cm, cs) and their tangents (ctm, cts) of its outputs in,
 * those of its inputs out. */
static void reverse_layer(cb_npn *m, work *w, int l)
{
    const cb_nn_spec *s = &m->s;
    int in = s->width[l], out = s->width[l + 1];
    const double *zm = w->zm + w->out_off[l], *zs = w->zs + w->out_off[l];
    const double *tzm = w->tzm + w->out_off[l], *tzs = w->tzs + w->out_off[l];
    const double *am = w->am + w->in_off[l], *tam = w->tam + w->in_off[l];
    for (int j = 0; j < out; j++) { /* through the activation: g <- J^T g, tg <- dJ^T g + J^T tg */
        double om, os, J[4], dJ[4], gm = w->cm[j], gs = w->cs[j], tgm = w->ctm[j], tgs = w->cts[j];
        cb_npn_act_eval((cb_npn_act)s->act[l], zm[j], zs[j], tzm[j], tzs[j], &om, &os, J, dJ);
        w->cm[j] = J[0] * gm + J[2] * gs;
        w->cs[j] = J[1] * gm + J[3] * gs;
        w->ctm[j] = dJ[0] * gm + dJ[2] * gs + J[0] * tgm + J[2] * tgs;
        w->cts[j] = dJ[1] * gm + dJ[3] * gs + J[1] * tgm + J[3] * tgs;
    }
    const float *wm = m->p + m->off_wm[l];
    cb_nn_vecmat_t(w->cm, wm, in, out, w->nm);
    cb_nn_vecmat_t(w->ctm, wm, in, out, w->ntm);
    cb_nn_vecmat_t(w->cs, m->ws[l], in, out, w->t1);  /* gzs Ws^T */
    cb_nn_vecmat_t(w->cts, m->ws[l], in, out, w->t2); /* its tangent */
    for (int i = 0; i < in; i++) {
        w->nm[i] += 2.0 * am[i] * w->t1[i];
        w->ntm[i] += 2.0 * (tam[i] * w->t1[i] + am[i] * w->t2[i]);
    }
    cb_nn_vecmat_t(w->cs, m->wsum[l], in, out, w->ns);
    cb_nn_vecmat_t(w->cts, m->wsum[l], in, out, w->nts);
    swap(&w->cm, &w->nm);
    swap(&w->cs, &w->ns);
    swap(&w->ctm, &w->ntm);
    swap(&w->cts, &w->nts);
}

void cb_npn_touch(cb_npn *m)
{
    m->ws_current = 0;
}

/* Ws and Ws + Wm^2 of every layer, from the current parameters. */
static void refresh(cb_npn *m)
{
    const cb_nn_spec *s = &m->s;
    for (int l = 0; l < s->n_layers; l++) {
        int in = s->width[l], out = s->width[l + 1];
        const float *wm = m->p + m->off_wm[l], *raw = m->p + m->off_ws[l];
        for (int i = 0; i < in; i++)
            for (int j = 0; j < out; j++) {
                int k = i * out + j;
                float v = cb_nn_joined(s, l, i, j) ? (float)cb_nn_act_f(CB_NN_SOFTPLUS, raw[k]) : 0.0f;
                m->ws[l][k] = v;
                m->wsum[l][k] = v + wm[k] * wm[k];
            }
    }
}

double cb_npn_input_derivs(cb_npn *m, const double *x, double k1, const double *v, double *grad,
                           double *hv)
{
    const cb_nn_spec *s = &m->s;
    int L = s->n_layers, w0 = s->width[0], wL = s->width[L];
    work w;
    carve(m, &w);
    if (!m->ws_current)
        refresh(m);
    m->ws_current = 1;
    memcpy(w.cm, x, (size_t)w0 * sizeof *x);
    memset(w.cs, 0, (size_t)w0 * sizeof *x);
    memset(w.cts, 0, (size_t)w0 * sizeof *x);
    if (v)
        memcpy(w.ctm, v, (size_t)w0 * sizeof *x);
    else
        memset(w.ctm, 0, (size_t)w0 * sizeof *x);
    for (int l = 0; l < L; l++)
        forward_layer(m, &w, l);
    double mean = w.cm[0], var = w.cs[0], tvar = w.cts[0], sd = sqrt(var);
    /* seeds: d/d(mean) = 1, d/d(var) = k1 / (2 sd), whose tangent is -k1 tvar / (4 var sd) */
    for (int j = 0; j < wL; j++)
        w.cm[j] = w.cs[j] = w.ctm[j] = w.cts[j] = 0;
    w.cm[0] = 1;
    w.cs[0] = k1 / (2 * sd);
    w.cts[0] = -k1 * tvar / (4 * var * sd);
    for (int l = L - 1; l >= 0; l--)
        reverse_layer(m, &w, l);
    if (grad)
        memcpy(grad, w.cm, (size_t)w0 * sizeof *grad);
    if (hv && v)
        memcpy(hv, w.ctm, (size_t)w0 * sizeof *hv);
    return mean + k1 * sd;
}
