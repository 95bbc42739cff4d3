/* nn_mlp.c: multilayer perceptrons: creation, batch forward with optional dropout (training
 * and MC-dropout sampling), batch backward to parameters and inputs, and their state. */
#include "nn_internal.h"

#include <stdlib.h>
#include <string.h>

int cb_mlp_create(cb_mlp *m, const cb_nn_spec *s, cb_gemm_fn gemm, cb_rng *r)
{
    memset(m, 0, sizeof *m);
    if (cb_nn_check_spec(s))
        return CB_EINVAL;
    m->s = *s;
    m->gemm = gemm ? gemm : cb_nn_gemm_ref;
    size_t off = 0;
    for (int l = 0; l < s->n_layers; l++) {
        m->off_w[l] = off;
        off += (size_t)s->width[l] * s->width[l + 1];
        m->off_b[l] = off;
        off += (size_t)s->width[l + 1];
    }
    m->n_params = off;
    m->p = calloc(off, sizeof *m->p);
    m->g = calloc(off, sizeof *m->g);
    m->dw = calloc(2 * (size_t)cb_nn_sum_width(s) + 6 * (size_t)cb_nn_max_width(s), sizeof *m->dw);
    if (!m->p || !m->g || !m->dw) {
        cb_mlp_free(m);
        return CB_EFAIL;
    }
    for (int l = 0; l < s->n_layers; l++)
        cb_nn_xavier(s, l, m->p + m->off_w[l], r);
    return CB_OK;
}

static void free_work(cb_mlp *m)
{
    for (int l = 0; l <= CB_NN_MAX_LAYERS; l++)
        free(m->a[l]);
    for (int l = 0; l < CB_NN_MAX_LAYERS; l++) {
        free(m->z[l]);
        free(m->mask[l]);
    }
    free(m->delta[0]);
    free(m->delta[1]);
}

void cb_mlp_free(cb_mlp *m)
{
    if (!m)
        return;
    free_work(m);
    free(m->p);
    free(m->g);
    free(m->dw);
    memset(m, 0, sizeof *m);
}

/* Batch buffers for at least n samples. */
static int ensure(cb_mlp *m, int n)
{
    if (n <= m->cap)
        return CB_OK;
    int cap = n > 2 * m->cap ? n : 2 * m->cap;
    size_t wmax = (size_t)cb_nn_max_width(&m->s);
    int bad = 0;
    for (int l = 0; l <= m->s.n_layers; l++) {
        free(m->a[l]);
        bad |= !(m->a[l] = malloc((size_t)cap * m->s.width[l] * sizeof(float)));
    }
    for (int l = 0; l < m->s.n_layers; l++) {
        size_t sz = (size_t)cap * m->s.width[l + 1] * sizeof(float);
        free(m->z[l]);
        free(m->mask[l]);
        m->z[l] = malloc(sz);
        m->mask[l] = malloc(sz);
        bad |= !m->z[l] || !m->mask[l];
    }
    for (int k = 0; k < 2; k++) {
        free(m->delta[k]);
        bad |= !(m->delta[k] = malloc((size_t)cap * wmax * sizeof(float)));
    }
    m->cap = bad ? 0 : cap;
    return bad ? CB_EFAIL : CB_OK;
}

int cb_mlp_forward(cb_mlp *m, const float *x, int n, cb_rng *drop, float *y)
{
    if (n < 1 || ensure(m, n))
        return n < 1 ? CB_EINVAL : CB_EFAIL;
    const cb_nn_spec *s = &m->s;
    m->n = n;
    m->dropped = drop && s->dropout > 0;
    memcpy(m->a[0], x, (size_t)n * s->width[0] * sizeof *x);
    for (int l = 0; l < s->n_layers; l++) {
        int in = s->width[l], out = s->width[l + 1];
        size_t cnt = (size_t)n * out;
        m->gemm(false, false, n, out, in, 1.0f, m->a[l], in, m->p + m->off_w[l], out, 0.0f, m->z[l], out);
        cb_nn_add_bias(m->z[l], m->p + m->off_b[l], n, out);
        int hidden = l < s->n_layers - 1;
        float keep = 1.0f - s->dropout;
        for (size_t k = 0; k < cnt; k++) {
            float v = (float)cb_nn_act_f((cb_nn_act)s->act[l], m->z[l][k]);
            if (m->dropped && hidden) {
                /* inverted dropout: survivors scaled so the expectation is unchanged */
                m->mask[l][k] = cb_rng_unit(drop) < s->dropout ? 0.0f : 1.0f / keep;
                v *= m->mask[l][k];
            }
            m->a[l + 1][k] = v;
        }
    }
    memcpy(y, m->a[s->n_layers], (size_t)n * s->width[s->n_layers] * sizeof *y);
    return CB_OK;
}

void cb_mlp_backward(cb_mlp *m, const float *gy, float *gx)
{
    const cb_nn_spec *s = &m->s;
    int n = m->n, L = s->n_layers;
    float *d = m->delta[0], *prev = m->delta[1];
    size_t cnt = (size_t)n * s->width[L];
    for (size_t k = 0; k < cnt; k++)
        d[k] = gy[k] * (float)cb_nn_act_df((cb_nn_act)s->act[L - 1], m->z[L - 1][k]);
    for (int l = L - 1; l >= 0; l--) {
        int in = s->width[l], out = s->width[l + 1];
        float *w = m->p + m->off_w[l], *gw = m->g + m->off_w[l];
        m->gemm(true, false, in, out, n, 1.0f, m->a[l], in, d, out, 1.0f, gw, out);
        cb_nn_mask_cross(s, l, gw);
        cb_nn_colsum_add(d, n, out, m->g + m->off_b[l]);
        if (l == 0 && !gx)
            break;
        m->gemm(false, true, n, in, out, 1.0f, d, out, w, out, 0.0f, prev, in);
        if (l == 0) {
            memcpy(gx, prev, (size_t)n * in * sizeof *gx);
            break;
        }
        size_t c = (size_t)n * in;
        for (size_t k = 0; k < c; k++) {
            float mk = m->dropped ? m->mask[l - 1][k] : 1.0f;
            prev[k] *= mk * (float)cb_nn_act_df((cb_nn_act)s->act[l - 1], m->z[l - 1][k]);
        }
        float *t = d;
        d = prev;
        prev = t;
    }
}

void cb_mlp_save(const cb_mlp *m, cb_state_writer *w)
{
    cb_sw_tag(w, "mlp");
    cb_nn_spec_save(&m->s, w);
    cb_sw_f32s(w, m->p, m->n_params);
}

void cb_mlp_load(cb_mlp *m, cb_state_reader *r)
{
    cb_sr_tag(r, "mlp");
    cb_nn_spec_expect(&m->s, r);
    cb_sr_f32s(r, m->p, m->n_params);
}
