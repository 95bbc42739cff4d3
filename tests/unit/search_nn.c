/* tests/unit/search_nn.c: the SDK's neural-network helpers (codebench/nn.h) against finite
 * differences: MLP and NPN parameter gradients, their input gradients and exact Hessian-vector
 * products (forward-over-reverse), the NPN activations' Jacobians, the LSTM's backward, the
 * reference GEMM against the host's BLAS, two-branch masks, and state round trips. */
#include "host/host.h"

#include <codebench/nn.h>
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void fill(cb_rng *r, float *x, size_t n, double scale)
{
    for (size_t k = 0; k < n; k++)
        x[k] = (float)(scale * (2 * cb_rng_unit(r) - 1));
}

/* |a - b| <= tol * max(1, |b|) elementwise, with a message naming the index */
static void close_all(const double *a, const double *b, int n, double tol, const char *what)
{
    for (int k = 0; k < n; k++)
        cr_assert(fabs(a[k] - b[k]) <= tol * fmax(1.0, fabs(b[k])), "%s[%d]: %.9g vs %.9g", what,
                  k, a[k], b[k]);
}

static cb_nn_spec spec(int n, const int *w, const int *act, int branch_in, int branch_layers)
{
    cb_nn_spec s;
    memset(&s, 0, sizeof s);
    s.n_layers = n;
    for (int l = 0; l <= n; l++)
        s.width[l] = w[l];
    for (int l = 0; l < n; l++)
        s.act[l] = act[l];
    s.branch_in = branch_in;
    s.branch_layers = branch_layers;
    return s;
}

Test(search_nn, gemm_ref_matches_host_blas)
{
    cb_host *h = cb_host_new("nn-test");
    cb_rng r;
    cb_rng_seed(&r, 1);
    float a[5 * 7], b[7 * 3], c1[5 * 3], c2[5 * 3];
    fill(&r, a, 35, 1);
    fill(&r, b, 21, 1);
    for (int ta = 0; ta < 2; ta++)
        for (int tb = 0; tb < 2; tb++) {
            fill(&r, c1, 15, 1);
            memcpy(c2, c1, sizeof c1);
            /* A is 5x7 (or its transpose stored 7x5), B 7x3 (or 3x7) */
            h->sgemm(ta, tb, 5, 3, 7, 0.7f, a, ta ? 5 : 7, b, tb ? 7 : 3, 0.3f, c1, 3);
            cb_nn_gemm_ref(ta, tb, 5, 3, 7, 0.7f, a, ta ? 5 : 7, b, tb ? 7 : 3, 0.3f, c2, 3);
            for (int k = 0; k < 15; k++)
                cr_assert(fabsf(c1[k] - c2[k]) < 1e-5f, "ta %d tb %d [%d]", ta, tb, k);
        }
    cb_host_free(h);
}

Test(search_nn, activation_derivatives)
{
    const double xs[] = {-2.5, -0.3, 0.4, 1.7};
    for (int a = CB_NN_LINEAR; a <= CB_NN_SOFTPLUS; a++)
        for (int i = 0; i < 4; i++) {
            double x = xs[i], h = 1e-5;
            double d1 = (cb_nn_act_f(a, x + h) - cb_nn_act_f(a, x - h)) / (2 * h);
            double d2 = (cb_nn_act_df(a, x + h) - cb_nn_act_df(a, x - h)) / (2 * h);
            cr_assert(fabs(d1 - cb_nn_act_df(a, x)) < 1e-6, "act %d f' at %g", a, x);
            cr_assert(fabs(d2 - cb_nn_act_d2f(a, x)) < 1e-6, "act %d f'' at %g", a, x);
        }
}

Test(search_nn, npn_activation_jacobians)
{
    const double pts[][2] = {{-0.8, 0.3}, {0.2, 0.05}, {1.5, 2.0}};
    for (int a = CB_NPN_RELU; a <= CB_NPN_SIGMOID; a++)
        for (int i = 0; i < 3; i++) {
            double m = pts[i][0], s = pts[i][1], dm = 0.7, ds = -0.4, h = 1e-6;
            double om, os, J[4], dJ[4], pm, ps, qm, qs, Jp[4], Jq[4];
            cb_npn_act_eval(a, m, s, dm, ds, &om, &os, J, dJ);
            cr_assert(os > 0, "variance stays positive");
            for (int j = 0; j < 2; j++) { /* column j by central differences */
                cb_npn_act_eval(a, m + (j == 0) * h, s + (j == 1) * h, 0, 0, &pm, &ps, NULL, NULL);
                cb_npn_act_eval(a, m - (j == 0) * h, s - (j == 1) * h, 0, 0, &qm, &qs, NULL, NULL);
                double fd[2] = {(pm - qm) / (2 * h), (ps - qs) / (2 * h)}, an[2] = {J[j], J[2 + j]};
                close_all(an, fd, 2, 1e-5, "npn jacobian");
            }
            cb_npn_act_eval(a, m + h * dm, s + h * ds, 0, 0, &pm, &ps, Jp, NULL);
            cb_npn_act_eval(a, m - h * dm, s - h * ds, 0, 0, &qm, &qs, Jq, NULL);
            double fd[4], an[4];
            for (int k = 0; k < 4; k++) {
                fd[k] = (Jp[k] - Jq[k]) / (2 * h);
                an[k] = dJ[k];
            }
            close_all(an, fd, 4, 1e-4, "npn jacobian derivative");
        }
}

/* loss = sum(c . y) of an MLP forward, in double from the float output */
static double mlp_loss(cb_mlp *m, const float *x, int n, const float *c)
{
    int out = m->s.width[m->s.n_layers];
    float y[64];
    cr_assert(cb_mlp_forward(m, x, n, NULL, y) == CB_OK);
    double s = 0;
    for (int k = 0; k < n * out; k++)
        s += (double)c[k] * y[k];
    return s;
}

Test(search_nn, mlp_parameter_and_input_gradients)
{
    cb_rng r;
    cb_rng_seed(&r, 2);
    cb_nn_spec s = spec(3, (int[]){4, 6, 5, 2}, (int[]){CB_NN_TANH, CB_NN_SOFTPLUS, CB_NN_SIGMOID}, 0, 0);
    cb_mlp m;
    cr_assert(cb_mlp_create(&m, &s, NULL, &r) == CB_OK);
    float x[3 * 4], c[3 * 2], gx[3 * 4];
    fill(&r, x, 12, 1);
    fill(&r, c, 6, 1);
    double base = mlp_loss(&m, x, 3, c);
    (void)base;
    memset(m.g, 0, m.n_params * sizeof *m.g);
    cb_mlp_backward(&m, c, gx);
    for (size_t k = 0; k < m.n_params; k += 3) {
        float keep = m.p[k], h = 1e-2f;
        m.p[k] = keep + h;
        double up = mlp_loss(&m, x, 3, c);
        m.p[k] = keep - h;
        double dn = mlp_loss(&m, x, 3, c);
        m.p[k] = keep;
        double fd = (up - dn) / (2 * h), an = m.g[k];
        cr_assert(fabs(fd - an) < 2e-3 + 2e-2 * fabs(fd), "param %zu: %g vs %g", k, an, fd);
    }
    for (int k = 0; k < 12; k++) {
        float keep = x[k], h = 1e-2f;
        x[k] = keep + h;
        double up = mlp_loss(&m, x, 3, c);
        x[k] = keep - h;
        double dn = mlp_loss(&m, x, 3, c);
        x[k] = keep;
        cr_assert(fabs((up - dn) / (2 * h) - gx[k]) < 2e-3, "input %d", k);
    }
    cb_mlp_free(&m);
}

/* gradient and H v of a scalar function against central differences */
typedef double (*scalar_fn)(void *ctx, const double *x, const double *v, double *g, double *hv);

static void check_input_derivs(scalar_fn f, void *ctx, int d, cb_rng *r)
{
    double x[32], v[32], g[32], hv[32], gp[32], gm[32], fd_g[32], fd_hv[32], xp[32];
    for (int k = 0; k < d; k++) {
        x[k] = 2 * cb_rng_unit(r) - 1;
        v[k] = 2 * cb_rng_unit(r) - 1;
    }
    double y = f(ctx, x, v, g, hv);
    double y2 = f(ctx, x, NULL, gp, NULL);
    cr_assert(y == y2, "the value does not depend on whether H v is asked for");
    const double h = 1e-5;
    for (int k = 0; k < d; k++) {
        memcpy(xp, x, sizeof(double) * d);
        xp[k] = x[k] + h;
        double up = f(ctx, xp, NULL, NULL, NULL);
        xp[k] = x[k] - h;
        fd_g[k] = (up - f(ctx, xp, NULL, NULL, NULL)) / (2 * h);
    }
    for (int k = 0; k < d; k++)
        xp[k] = x[k] + h * v[k];
    f(ctx, xp, NULL, gp, NULL);
    for (int k = 0; k < d; k++)
        xp[k] = x[k] - h * v[k];
    f(ctx, xp, NULL, gm, NULL);
    for (int k = 0; k < d; k++)
        fd_hv[k] = (gp[k] - gm[k]) / (2 * h);
    close_all(g, fd_g, d, 1e-6, "input gradient");
    close_all(hv, fd_hv, d, 1e-5, "Hessian-vector product");
    double norm = 0;
    for (int k = 0; k < d; k++)
        norm += fabs(hv[k]);
    cr_assert(norm > 1e-6, "a curved function has a nonzero H v");
}

static double mlp_fn(void *ctx, const double *x, const double *v, double *g, double *hv)
{
    return cb_mlp_input_derivs(ctx, x, v, g, hv);
}

Test(search_nn, mlp_input_hessian_vector_product)
{
    cb_rng r;
    cb_rng_seed(&r, 3);
    const int acts[][3] = {{CB_NN_SOFTPLUS, CB_NN_SOFTPLUS, CB_NN_SIGMOID},
                           {CB_NN_TANH, CB_NN_SIGMOID, CB_NN_LINEAR}};
    for (int a = 0; a < 2; a++) {
        cb_nn_spec s = spec(3, (int[]){7, 12, 8, 1}, acts[a], 0, 0);
        cb_mlp m;
        cr_assert(cb_mlp_create(&m, &s, NULL, &r) == CB_OK);
        check_input_derivs(mlp_fn, &m, 7, &r);
        cb_mlp_free(&m);
    }
}

typedef struct npn_ctx {
    cb_npn *m;
    double k1;
} npn_ctx;

static double npn_fn(void *ctx, const double *x, const double *v, double *g, double *hv)
{
    npn_ctx *c = ctx;
    return cb_npn_input_derivs(c->m, x, c->k1, v, g, hv);
}

/* Makes the NPN's variances large enough that sigma matters in the derivatives. */
static void widen(cb_npn *m)
{
    for (int l = 0; l < m->s.n_layers; l++) {
        size_t n = (size_t)m->s.width[l] * m->s.width[l + 1];
        for (size_t k = 0; k < n; k++)
            m->p[m->off_ws[l] + k] = -2.5f + 0.001f * (float)(k % 7);
        for (int j = 0; j < m->s.width[l + 1]; j++)
            m->p[m->off_bs[l] + (size_t)j] = -3.0f;
    }
}

Test(search_nn, npn_input_gradient_and_hessian_vector_product)
{
    cb_rng r;
    cb_rng_seed(&r, 4);
    int acts[] = {CB_NPN_RELU, CB_NPN_RELU, CB_NPN_SIGMOID};
    cb_nn_spec one = spec(3, (int[]){6, 10, 8, 1}, acts, 0, 0);
    cb_nn_spec two = spec(3, (int[]){6, 10, 8, 1}, acts, 4, 1);
    const cb_nn_spec *specs[] = {&one, &two};
    for (int k = 0; k < 2; k++) {
        cb_npn m;
        cr_assert(cb_npn_create(&m, specs[k], NULL, &r) == CB_OK);
        widen(&m);
        cb_npn_touch(&m);
        npn_ctx c = {&m, 0.5};
        check_input_derivs(npn_fn, &c, 6, &r);
        c.k1 = 0;
        check_input_derivs(npn_fn, &c, 6, &r);
        cb_npn_free(&m);
    }
}

static double npn_batch_loss(cb_npn *m, const float *x, const float *y, int n, float *gm, float *gs)
{
    float mean[8], var[8];
    cr_assert(cb_npn_forward(m, x, n, mean, var) == CB_OK);
    return cb_npn_loss(mean, var, y, n, gm, gs);
}

/* 1 when parameter k is a weight mean or variance across the two branches */
static int crossing(const cb_npn *m, size_t k)
{
    for (int l = 0; l < m->s.n_layers; l++) {
        int out = m->s.width[l + 1];
        size_t n = (size_t)m->s.width[l] * out;
        size_t offs[2] = {m->off_wm[l], m->off_ws[l]};
        for (int t = 0; t < 2; t++)
            if (k >= offs[t] && k < offs[t] + n)
                return !cb_nn_joined(&m->s, l, (int)((k - offs[t]) / (size_t)out), (int)((k - offs[t]) % (size_t)out));
    }
    return 0;
}

Test(search_nn, npn_parameter_gradients)
{
    cb_rng r;
    cb_rng_seed(&r, 5);
    cb_nn_spec s = spec(3, (int[]){5, 8, 6, 1}, (int[]){CB_NPN_RELU, CB_NPN_RELU, CB_NPN_SIGMOID}, 2, 1);
    cb_npn m;
    cr_assert(cb_npn_create(&m, &s, cb_nn_gemm_ref, &r) == CB_OK);
    widen(&m);
    float x[4 * 5], y[4] = {0.2f, 0.7f, 0.5f, 0.9f}, gm[4], gs[4];
    fill(&r, x, 20, 1);
    npn_batch_loss(&m, x, y, 4, gm, gs);
    memset(m.g, 0, m.n_params * sizeof *m.g);
    cb_npn_backward(&m, gm, gs);
    int checked = 0;
    for (size_t k = 0; k < m.n_params; k++) {
        if (crossing(&m, k))
            continue; /* held at zero by the branch mask, checked below */
        float keep = m.p[k], h = 5e-3f;
        m.p[k] = keep + h;
        double up = npn_batch_loss(&m, x, y, 4, gm, gs);
        m.p[k] = keep - h;
        double dn = npn_batch_loss(&m, x, y, 4, gm, gs);
        m.p[k] = keep;
        double fd = (up - dn) / (2 * h);
        cr_assert(fabs(fd - m.g[k]) < 5e-3 + 3e-2 * fabs(fd), "param %zu: %g vs %g", k, m.g[k], fd);
        checked += fabs(fd) > 1e-3;
    }
    cr_assert(checked > 20, "most parameters matter");
    /* weights across the two branches stay zero and get no gradient */
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 8; j++)
            if (!cb_nn_joined(&s, 0, i, j))
                cr_assert(m.p[m.off_wm[0] + (size_t)i * 8 + j] == 0 && m.g[m.off_wm[0] + (size_t)i * 8 + j] == 0);
    cb_npn_free(&m);
}

Test(search_nn, two_branch_mlp_keeps_branches_apart)
{
    cb_rng r;
    cb_rng_seed(&r, 6);
    cb_nn_spec s = spec(3, (int[]){5, 8, 6, 1}, (int[]){CB_NN_SOFTPLUS, CB_NN_SOFTPLUS, CB_NN_LINEAR}, 3, 2);
    cb_mlp m;
    cr_assert(cb_mlp_create(&m, &s, NULL, &r) == CB_OK);
    cb_adam a;
    cr_assert(cb_adam_init(&a, m.n_params, 0.05) == CB_OK);
    float x[4 * 5], y[4], gy[4];
    fill(&r, x, 20, 1);
    for (int it = 0; it < 5; it++) {
        cb_mlp_forward(&m, x, 4, NULL, y);
        for (int i = 0; i < 4; i++)
            gy[i] = y[i] - 1.0f;
        memset(m.g, 0, m.n_params * sizeof *m.g);
        cb_mlp_backward(&m, gy, NULL);
        cb_adam_step(&a, m.p, m.g);
    }
    for (int l = 0; l < 2; l++)
        for (int i = 0; i < s.width[l]; i++)
            for (int j = 0; j < s.width[l + 1]; j++)
                if (!cb_nn_joined(&s, l, i, j))
                    cr_assert(m.p[m.off_w[l] + (size_t)i * s.width[l + 1] + j] == 0, "layer %d %d->%d", l, i, j);
    /* a first-branch input reaches only first-branch units of layer 0 */
    cr_assert(cb_nn_joined(&s, 0, 0, 0) && !cb_nn_joined(&s, 0, 0, 4) && cb_nn_joined(&s, 0, 4, 4));
    cr_assert(cb_nn_joined(&s, 2, 0, 0), "the head joins everything");
    cb_adam_free(&a);
    cb_mlp_free(&m);
}

static double lstm_loss(cb_lstm *l, const float *xs, int T, const float *c)
{
    float h[8] = {0}, cs[8] = {0}, cache[64];
    double s = 0;
    for (int t = 0; t < T; t++) {
        cb_lstm_forward(l, xs + t * l->in, h, cs, h, cs, cache);
        for (int j = 0; j < l->hid; j++)
            s += (double)c[t * l->hid + j] * h[j];
    }
    return s;
}

Test(search_nn, lstm_backward_through_time)
{
    cb_rng r;
    cb_rng_seed(&r, 7);
    cb_lstm l;
    cr_assert(cb_lstm_create(&l, 3, 4, &r) == CB_OK);
    cr_assert(cb_lstm_cache_len(&l) <= 64);
    enum { T = 3 };
    float xs[T * 3], c[T * 4], cache[T][64], h[T + 1][4] = {{0}}, cc[T + 1][4] = {{0}};
    fill(&r, xs, sizeof xs / sizeof *xs, 1);
    fill(&r, c, sizeof c / sizeof *c, 1);
    for (int t = 0; t < T; t++)
        cb_lstm_forward(&l, xs + t * 3, h[t], cc[t], h[t + 1], cc[t + 1], cache[t]);
    memset(l.g, 0, l.n_params * sizeof *l.g);
    float dh[4] = {0}, dc[4] = {0}, dhp[4], dcp[4], dx[T][3];
    for (int t = T - 1; t >= 0; t--) {
        for (int j = 0; j < 4; j++)
            dh[j] += c[t * 4 + j];
        cb_lstm_backward(&l, cache[t], dh, dc, dx[t], dhp, dcp);
        memcpy(dh, dhp, sizeof dh);
        memcpy(dc, dcp, sizeof dc);
    }
    for (size_t k = 0; k < l.n_params; k++) {
        float keep = l.p[k], hh = 1e-2f;
        l.p[k] = keep + hh;
        double up = lstm_loss(&l, xs, T, c);
        l.p[k] = keep - hh;
        double dn = lstm_loss(&l, xs, T, c);
        l.p[k] = keep;
        double fd = (up - dn) / (2 * hh);
        cr_assert(fabs(fd - l.g[k]) < 2e-3 + 2e-2 * fabs(fd), "param %zu: %g vs %g", k, l.g[k], fd);
    }
    for (int k = 0; k < T * 3; k++) {
        float keep = xs[k], hh = 1e-2f;
        xs[k] = keep + hh;
        double up = lstm_loss(&l, xs, T, c);
        xs[k] = keep - hh;
        double dn = lstm_loss(&l, xs, T, c);
        xs[k] = keep;
        cr_assert(fabs((up - dn) / (2 * hh) - dx[k / 3][k % 3]) < 2e-3, "input %d", k);
    }
    cb_lstm_free(&l);
}

Test(search_nn, dense_layer_on_one_vector)
{
    float w[3 * 2] = {1, 2, 3, 4, 5, 6}, b[2] = {0.5f, -1}, x[3] = {1, -1, 2}, y[2];
    cb_dense_forward(w, b, 3, 2, x, y);
    cr_assert(y[0] == 1 - 3 + 10 + 0.5f && y[1] == 2 - 4 + 12 - 1);
    float gw[6] = {0}, gb[2] = {0}, gx[3], gy[2] = {1, -2};
    cb_dense_backward(w, 3, 2, x, gy, gw, gb, gx);
    cr_assert(gw[0] == 1 && gw[1] == -2 && gw[4] == 2 && gw[5] == -4 && gb[1] == -2);
    cr_assert(gx[0] == 1 - 4 && gx[1] == 3 - 8 && gx[2] == 5 - 12);
}

Test(search_nn, adahessian_and_adam_steps)
{
    /* AdaHessian's first step moves each coordinate by lr in the gradient's direction (bias
     * corrections cancel); Adam's first step likewise; a frozen coordinate (g = d = 0) stays. */
    cb_adahessian a;
    cr_assert(cb_adahessian_init(&a, 3, 0.1) == CB_OK);
    double x[3] = {0, 0, 0}, g[3] = {2, -3, 0}, d[3] = {-4, 0.5, 0};
    cb_adahessian_step(&a, x, g, d, +1);
    cr_assert(fabs(x[0] - 0.1 * 2 / (4 + 1e-4)) < 1e-12);
    cr_assert(fabs(x[1] + 0.1 * 3 / (0.5 + 1e-4)) < 1e-12);
    cr_assert(x[2] == 0);
    cb_adahessian_free(&a);
    cb_adam ad;
    cr_assert(cb_adam_init(&ad, 2, 0.01) == CB_OK);
    float p[2] = {1, 1}, gp[2] = {5, -0.1f};
    cb_adam_step(&ad, p, gp);
    cr_assert(fabsf(p[0] - 0.99f) < 1e-6f && fabsf(p[1] - 1.01f) < 1e-6f);
    cb_adam_free(&ad);
    cb_rng r;
    cb_rng_seed(&r, 9);
    double z[100];
    cb_rademacher(&r, z, 100);
    int plus = 0;
    for (int k = 0; k < 100; k++) {
        cr_assert(z[k] == 1 || z[k] == -1);
        plus += z[k] > 0;
    }
    cr_assert(plus > 25 && plus < 75);
}

typedef struct membuf {
    char p[1 << 16];
    size_t len;
} membuf;

static int mem_write(void *ctx, const void *data, size_t len)
{
    membuf *b = ctx;
    if (b->len + len > sizeof b->p)
        return CB_EFAIL;
    memcpy(b->p + b->len, data, len);
    b->len += len;
    return CB_OK;
}

Test(search_nn, state_round_trip_and_refusals)
{
    cb_rng r;
    cb_rng_seed(&r, 10);
    cb_nn_spec s = spec(2, (int[]){3, 4, 1}, (int[]){CB_NN_RELU, CB_NN_LINEAR}, 0, 0);
    cb_mlp a, b;
    cb_lstm la, lb;
    cr_assert(cb_mlp_create(&a, &s, NULL, &r) == CB_OK && cb_mlp_create(&b, &s, NULL, &r) == CB_OK);
    cr_assert(cb_lstm_create(&la, 2, 3, &r) == CB_OK && cb_lstm_create(&lb, 2, 3, &r) == CB_OK);
    static membuf buf;
    buf.len = 0;
    cb_state_writer w;
    cb_sw_init(&w, mem_write, &buf);
    cb_mlp_save(&a, &w);
    cb_lstm_save(&la, &w);
    cb_rng_save(&r, &w);
    cr_assert(!w.bad);
    cb_state_reader rd;
    cb_rng r2;
    cb_sr_init(&rd, buf.p, buf.len);
    cb_mlp_load(&b, &rd);
    cb_lstm_load(&lb, &rd);
    cb_rng_load(&r2, &rd);
    cr_assert(cb_sr_done(&rd), "%s", rd.why);
    cr_assert(memcmp(a.p, b.p, a.n_params * sizeof *a.p) == 0);
    cr_assert(memcmp(la.p, lb.p, la.n_params * sizeof *la.p) == 0);
    cr_assert(cb_rng_u64(&r) == cb_rng_u64(&r2));
    /* another shape is refused, and so is a truncated state */
    cb_nn_spec s2 = spec(2, (int[]){3, 5, 1}, (int[]){CB_NN_RELU, CB_NN_LINEAR}, 0, 0);
    cb_mlp c;
    cr_assert(cb_mlp_create(&c, &s2, NULL, &r) == CB_OK);
    cb_sr_init(&rd, buf.p, buf.len);
    cb_mlp_load(&c, &rd);
    cr_assert(rd.bad && strstr(rd.why, "another shape"), "%s", rd.why);
    cb_sr_init(&rd, buf.p, 20);
    cb_mlp_load(&b, &rd);
    cr_assert(rd.bad);
    cb_sr_init(&rd, buf.p, buf.len);
    cb_lstm_load(&lb, &rd);
    cr_assert(rd.bad && strstr(rd.why, "lstm"), "a section tag is checked: %s", rd.why);
    cb_mlp_free(&a);
    cb_mlp_free(&b);
    cb_mlp_free(&c);
    cb_lstm_free(&la);
    cb_lstm_free(&lb);
}

Test(search_nn, mc_dropout_samples_differ_deterministic_does_not)
{
    cb_rng r;
    cb_rng_seed(&r, 11);
    cb_nn_spec s = spec(2, (int[]){4, 16, 1}, (int[]){CB_NN_SOFTPLUS, CB_NN_LINEAR}, 0, 0);
    s.dropout = 0.3f;
    cb_mlp m;
    cr_assert(cb_mlp_create(&m, &s, NULL, &r) == CB_OK);
    float x[4] = {0.5f, -1, 0.2f, 0.9f}, y1, y2, y3, y4;
    cb_mlp_forward(&m, x, 1, NULL, &y1);
    cb_mlp_forward(&m, x, 1, NULL, &y2);
    cb_mlp_forward(&m, x, 1, &r, &y3);
    cb_mlp_forward(&m, x, 1, &r, &y4);
    cr_assert(y1 == y2 && y3 != y4);
    cb_mlp_free(&m);
}
