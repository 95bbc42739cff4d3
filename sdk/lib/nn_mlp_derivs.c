/* nn_mlp_derivs.c: derivatives of an MLP's output with respect to its input, for optimizing
 * the input (GOBI): the gradient by a reverse pass, and the exact Hessian-vector product by
 * forward-over-reverse (Pearlmutter's R-operator): a forward pass carries the tangent of every
 * activation along v, and the reverse pass carries the tangent of every adjoint, which needs
 * f'' of each activation. One sample, double precision, dropout off. */
#include "nn_internal.h"

#include <string.h>

double cb_mlp_input_derivs(cb_mlp *m, const double *x, const double *v, double *grad, double *hv)
{
    const cb_nn_spec *s = &m->s;
    int L = s->n_layers, wmax = cb_nn_max_width(s), sum = cb_nn_sum_width(s);
    double *z = m->dw, *tz = z + sum;               /* per layer: pre-activations and tangents */
    double *a = tz + sum, *t = a + wmax;            /* current activation and its tangent */
    double *g = t + wmax, *tg = g + wmax, *pg = tg + wmax, *ptg = pg + wmax;
    int off[CB_NN_MAX_LAYERS];
    memcpy(a, x, (size_t)s->width[0] * sizeof *a);
    if (v)
        memcpy(t, v, (size_t)s->width[0] * sizeof *t);
    else
        memset(t, 0, (size_t)s->width[0] * sizeof *t);
    for (int l = 0, o = 0; l < L; l++) {
        int in = s->width[l], out = s->width[l + 1];
        const float *w = m->p + m->off_w[l], *b = m->p + m->off_b[l];
        off[l] = o;
        o += out;
        double *zl = z + off[l], *tzl = tz + off[l];
        cb_nn_vecmat(a, w, in, out, zl, 0);
        cb_nn_vecmat(t, w, in, out, tzl, 0);
        for (int j = 0; j < out; j++) {
            zl[j] += b[j];
            a[j] = cb_nn_act_f((cb_nn_act)s->act[l], zl[j]);
            t[j] = cb_nn_act_df((cb_nn_act)s->act[l], zl[j]) * tzl[j];
        }
    }
    double y = a[0];
    int out_w = s->width[L];
    memset(g, 0, (size_t)out_w * sizeof *g);
    memset(tg, 0, (size_t)out_w * sizeof *tg);
    g[0] = 1;
    for (int l = L - 1; l >= 0; l--) {
        int in = s->width[l], out = s->width[l + 1];
        cb_nn_act act = (cb_nn_act)s->act[l];
        for (int j = 0; j < out; j++) {
            double zj = z[off[l] + j], d1 = cb_nn_act_df(act, zj);
            tg[j] = tg[j] * d1 + g[j] * cb_nn_act_d2f(act, zj) * tz[off[l] + j];
            g[j] *= d1;
        }
        const float *w = m->p + m->off_w[l];
        cb_nn_vecmat_t(g, w, in, out, pg);
        cb_nn_vecmat_t(tg, w, in, out, ptg);
        memcpy(g, pg, (size_t)in * sizeof *g);
        memcpy(tg, ptg, (size_t)in * sizeof *tg);
    }
    if (grad)
        memcpy(grad, g, (size_t)s->width[0] * sizeof *grad);
    if (hv && v)
        memcpy(hv, tg, (size_t)s->width[0] * sizeof *hv);
    return y;
}
