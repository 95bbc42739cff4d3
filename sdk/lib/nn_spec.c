/* nn_spec.c: network geometry (checks, two-branch masks, initialization) and the small vector
 * kernels the MLP and NPN files share. */
#include "nn_internal.h"

#include <math.h>
#include <string.h>

int cb_nn_check_spec(const cb_nn_spec *s)
{
    if (s->n_layers < 1 || s->n_layers > CB_NN_MAX_LAYERS)
        return CB_EINVAL;
    for (int l = 0; l <= s->n_layers; l++)
        if (s->width[l] < 1)
            return CB_EINVAL;
    if (s->branch_in < 0 || s->branch_in >= s->width[0] || s->branch_layers < 0 ||
        (s->branch_in > 0 && s->branch_layers >= s->n_layers) || s->dropout < 0 || s->dropout >= 1)
        return CB_EINVAL;
    for (int l = 0; s->branch_in > 0 && l < s->branch_layers; l++)
        if (s->width[l + 1] < 2)
            return CB_EINVAL;
    return CB_OK;
}

int cb_nn_max_width(const cb_nn_spec *s)
{
    int w = 0;
    for (int l = 0; l <= s->n_layers; l++)
        w = s->width[l] > w ? s->width[l] : w;
    return w;
}

int cb_nn_sum_width(const cb_nn_spec *s)
{
    int w = 0;
    for (int l = 1; l <= s->n_layers; l++)
        w += s->width[l];
    return w;
}

int cb_nn_joined(const cb_nn_spec *s, int l, int i, int j)
{
    if (s->branch_in <= 0 || l >= s->branch_layers)
        return 1;
    int in_split = l == 0 ? s->branch_in : s->width[l] / 2, out_split = s->width[l + 1] / 2;
    return (i < in_split) == (j < out_split);
}

void cb_nn_xavier(const cb_nn_spec *s, int l, float *w, cb_rng *r)
{
    int in = s->width[l], out = s->width[l + 1];
    double a = sqrt(6.0 / (in + out));
    for (int i = 0; i < in; i++)
        for (int j = 0; j < out; j++)
            w[i * out + j] = (float)(a * (2 * cb_rng_unit(r) - 1));
    cb_nn_mask_cross(s, l, w);
}

void cb_nn_mask_cross(const cb_nn_spec *s, int l, float *w)
{
    if (s->branch_in <= 0 || l >= s->branch_layers)
        return;
    int in = s->width[l], out = s->width[l + 1];
    for (int i = 0; i < in; i++)
        for (int j = 0; j < out; j++)
            if (!cb_nn_joined(s, l, i, j))
                w[i * out + j] = 0;
}

void cb_nn_add_bias(float *y, const float *b, int n, int out)
{
    for (int i = 0; i < n; i++)
        for (int j = 0; j < out; j++)
            y[i * out + j] += b[j];
}

void cb_nn_colsum_add(const float *d, int n, int out, float *gb)
{
    for (int i = 0; i < n; i++)
        for (int j = 0; j < out; j++)
            gb[j] += d[i * out + j];
}

void cb_nn_vecmat(const double *x, const float *w, int in, int out, double *y, int acc)
{
    if (!acc)
        memset(y, 0, (size_t)out * sizeof *y);
    for (int i = 0; i < in; i++) {
        if (x[i] == 0)
            continue;
        const float *row = w + (size_t)i * out;
        for (int j = 0; j < out; j++)
            y[j] += x[i] * row[j];
    }
}

void cb_nn_vecmat_t(const double *x, const float *w, int in, int out, double *y)
{
    for (int i = 0; i < in; i++) {
        const float *row = w + (size_t)i * out;
        double s = 0;
        for (int j = 0; j < out; j++)
            s += x[j] * row[j];
        y[i] = s;
    }
}

void cb_nn_spec_save(const cb_nn_spec *s, cb_state_writer *w)
{
    cb_sw_i64(w, s->n_layers);
    for (int l = 0; l <= s->n_layers; l++)
        cb_sw_i64(w, s->width[l]);
    for (int l = 0; l < s->n_layers; l++)
        cb_sw_i64(w, s->act[l]);
    cb_sw_i64(w, s->branch_in);
    cb_sw_i64(w, s->branch_layers);
}

void cb_nn_spec_expect(const cb_nn_spec *s, cb_state_reader *r)
{
    int same = cb_sr_i64(r) == s->n_layers;
    for (int l = 0; same && l <= s->n_layers; l++)
        same = cb_sr_i64(r) == s->width[l];
    for (int l = 0; same && l < s->n_layers; l++)
        same = cb_sr_i64(r) == s->act[l];
    same = same && cb_sr_i64(r) == s->branch_in;
    same = same && cb_sr_i64(r) == s->branch_layers;
    if (!same)
        cb_sr_fail(r, "the saved network has another shape");
}
