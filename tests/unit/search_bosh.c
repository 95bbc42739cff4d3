/* tests/unit/search_bosh.c: the boshnas and boshcode plugins (plugins/search/bosh.so) and the
 * surrogate and GOBI beneath them (codebench/bosh.h): the UCB's input gradient and
 * Hessian-vector product against finite differences, GOBI reaching a known maximum and holding
 * frozen dimensions, resume equality, distinct pending proposals, an area-like constraint never
 * broken, one-sided modes, convergence, and alpha_P + beta_P > 1 refused by create(). */
#include "host/host.h"
#include "search_util.h"

#include <codebench/bosh.h>
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef int (*nas_create_fn)(const cb_host *, cb_error *, void **, int64_t n_init, double k1, double k2,
                             double alpha_p, double beta_p, int64_t restarts, int64_t gobi_iters,
                             double gobi_lr, double tol, int64_t patience, int64_t epochs,
                             int64_t mc_samples, int64_t pool, int first_order_only, int no_heteroscedastic);
typedef int (*code_create_fn)(const cb_host *, cb_error *, void **, int64_t n_init, double k1, double k2,
                              double alpha_p, double beta_p, int64_t restarts, int64_t gobi_iters,
                              double gobi_lr, double tol, int64_t patience, int64_t epochs,
                              int64_t mc_samples, int64_t pool, int first_order_only,
                              int no_heteroscedastic, int mode, int64_t aleatoric_queries,
                              int64_t grow_parents);

/* small settings so that a test stays well under a second */
typedef struct opts {
    int code;            /* 1: boshcode */
    double alpha_p, beta_p;
    int64_t patience;
    int first_order, no_hetero, mode;
    int64_t aleatoric;
} opts;

static int create(su_inst *in, const opts *o, cb_error *e)
{
    in->pl = su_plugin("bosh", o->code ? "boshcode" : "boshnas");
    in->h = cb_host_new(o->code ? "boshcode" : "boshnas");
    if (o->code)
        return ((code_create_fn)in->pl->create)(in->h, e, &in->self, 6, 0.5, 0.5, o->alpha_p, o->beta_p, 2, 30,
                                                0.1, 1e-4, o->patience, 15, 5, 800, o->first_order,
                                                o->no_hetero, o->mode, o->aleatoric, 10);
    return ((nas_create_fn)in->pl->create)(in->h, e, &in->self, 6, 0.5, 0.5, o->alpha_p, o->beta_p, 2, 30, 0.1,
                                           1e-4, o->patience, 15, 5, 800, o->first_order, o->no_hetero);
}

static void make(su_inst *in, su_space *s, void *ctx)
{
    cb_error e;
    memset(&e, 0, sizeof e);
    memset(in, 0, sizeof *in);
    int rc = create(in, ctx, &e);
    su_started(in, rc, &e, &s->sp);
}

/* ---- the surrogate's derivatives ---- */
static double ucb(void *ctx, const double *x, const double *v, double *g, double *hv)
{
    return cb_bosh_ucb(ctx, x, v, g, hv);
}

static void fitted(cb_bosh *b, int branch_in, int hetero)
{
    su_space s;
    su_space_make(&s, 200, 2, 0, 3);
    cb_bosh_config c;
    cb_bosh_defaults(&c, 18);
    c.branch_in = branch_in;
    c.hetero = hetero;
    c.epochs = 10;
    cr_assert(cb_bosh_create(b, &c, NULL, 42) == CB_OK);
    float x[60 * 18], y[60];
    for (int i = 0; i < 60; i++) {
        cb_pair p = {.cnn = i * 3, .n_accel = 2, .accel = {s.values[0][i % 4], s.values[1][i % 5]}};
        memcpy(x + i * 18, s.embed + p.cnn * 16, 16 * sizeof *x);
        x[i * 18 + 16] = (float)(i % 4) / 3;
        x[i * 18 + 17] = (float)(i % 5) / 4;
        y[i] = (float)(0.1 + 0.8 * su_objective(&s, &p));
    }
    cr_assert(cb_bosh_fit(b, x, y, 60) == CB_OK);
    su_space_free(&s);
}

static void check_derivs(cb_bosh *b)
{
    cb_rng r;
    cb_rng_seed(&r, 5);
    double x[18], v[18], g[18], hv[18], gp[18], gm[18], xp[18];
    for (int k = 0; k < 18; k++) {
        x[k] = cb_rng_normal(&r) * 0.5;
        v[k] = cb_rng_normal(&r);
    }
    ucb(b, x, v, g, hv);
    const double h = 1e-5;
    double hv_norm = 0;
    for (int k = 0; k < 18; k++) {
        memcpy(xp, x, sizeof xp);
        xp[k] += h;
        double up = ucb(b, xp, NULL, NULL, NULL);
        xp[k] -= 2 * h;
        double fd = (up - ucb(b, xp, NULL, NULL, NULL)) / (2 * h);
        cr_assert(fabs(fd - g[k]) < 1e-6 + 1e-5 * fabs(fd), "dUCB/dx[%d]: %.9g vs %.9g", k, g[k], fd);
        hv_norm += fabs(hv[k]);
    }
    for (int k = 0; k < 18; k++)
        xp[k] = x[k] + h * v[k];
    ucb(b, xp, NULL, gp, NULL);
    for (int k = 0; k < 18; k++)
        xp[k] = x[k] - h * v[k];
    ucb(b, xp, NULL, gm, NULL);
    for (int k = 0; k < 18; k++) {
        double fd = (gp[k] - gm[k]) / (2 * h);
        cr_assert(fabs(fd - hv[k]) < 1e-5 + 1e-4 * fabs(fd), "(H v)[%d]: %.9g vs %.9g", k, hv[k], fd);
    }
    cr_assert(hv_norm > 1e-8);
}

Test(search_bosh, ucb_input_gradient_and_hessian_vector_product_match_finite_differences)
{
    const int modes[][2] = {{0, 1}, {16, 1}, {0, 0}, {16, 0}}; /* branch_in, hetero */
    for (int m = 0; m < 4; m++) {
        cb_bosh b;
        fitted(&b, modes[m][0], modes[m][1]);
        check_derivs(&b);
        cb_bosh_free(&b);
    }
}

Test(search_bosh, surrogate_learns_a_smooth_function)
{
    /* y = 0.5 + 0.3 tanh(w . x) + 0.1 sin(x0) over 16-d normal points: 200 seen, 100 held out */
    enum { N = 300, D = 16 };
    cb_rng r;
    cb_rng_seed(&r, 8);
    static float x[N * D];
    float y[N], mu[N], sig[N], xi[N], w[D];
    for (int j = 0; j < D; j++)
        w[j] = (float)cb_rng_normal(&r) * 0.3f;
    for (int i = 0; i < N; i++) {
        double a = 0;
        for (int j = 0; j < D; j++) {
            x[i * D + j] = (float)cb_rng_normal(&r);
            a += w[j] * x[i * D + j];
        }
        y[i] = (float)(0.5 + 0.3 * tanh(a) + 0.1 * sin(x[i * D]));
    }
    cb_bosh_config c;
    cb_bosh_defaults(&c, D);
    c.epochs = 30;
    cb_bosh b;
    cr_assert(cb_bosh_create(&b, &c, NULL, 1) == CB_OK);
    cr_assert(cb_bosh_fit(&b, x, y, 200) == CB_OK);
    cr_assert(cb_bosh_predict(&b, x, N, mu, sig, xi) == CB_OK);
    double err = 0, base = 0, mean = 0;
    for (int i = 200; i < N; i++)
        mean += y[i] / 100.0;
    for (int i = 200; i < N; i++) {
        err += (mu[i] - y[i]) * (mu[i] - y[i]);
        base += (mean - y[i]) * (mean - y[i]);
        cr_assert(sig[i] > 0 && isfinite(xi[i]));
    }
    cr_assert(err < 0.3 * base, "held-out squared error %g, predicting the mean %g", err, base);
    cb_bosh_free(&b);
}

static double bowl(void *ctx, const double *x, const double *v, double *g, double *hv)
{
    /* concave: -(x0 - 1)^2 - 4 (x1 + 0.5)^2 - x2^2 */
    const double c[3] = {1, 4, 1}, o[3] = {1, -0.5, 0};
    double f = 0;
    for (int k = 0; k < 3; k++) {
        f -= c[k] * (x[k] - o[k]) * (x[k] - o[k]);
        if (g)
            g[k] = -2 * c[k] * (x[k] - o[k]);
        if (hv && v)
            hv[k] = -2 * c[k] * v[k];
    }
    return f;
}

Test(search_bosh, gobi_reaches_the_maximum_and_holds_frozen_dimensions)
{
    cb_rng r;
    cb_rng_seed(&r, 1);
    const double lo[3] = {-3, -3, -3}, hi[3] = {3, 3, 0.8};
    unsigned char frozen[3] = {0, 0, 1};
    for (int first = 0; first < 2; first++) {
        double x[3] = {-2, 2, 0.7}, v;
        cb_gobi_opts o = {3, 400, 400, 0, first ? 0.05 : 0.5, first, lo, hi, frozen};
        int steps = cb_gobi(&o, bowl, NULL, &r, x, &v);
        cr_assert(steps > 0);
        cr_assert(fabs(x[0] - 1) < 0.05 && fabs(x[1] + 0.5) < 0.05, "%s: (%g, %g)", first ? "adam" : "adahessian", x[0], x[1]);
        cr_assert(x[2] == 0.7, "a frozen dimension does not move");
    }
    double x[3] = {2.9, 2.9, -2.9}, v;
    cb_gobi_opts o = {3, 50, 50, 0, 0.5, 0, lo, (double[]){0, 3, 3}, NULL};
    cb_gobi(&o, bowl, NULL, &r, x, &v);
    cr_assert(x[0] <= 0 && fabs(x[0]) < 1e-9, "clamped to the box: %g", x[0]);
}

/* ---- the plugins ---- */
Test(search_bosh, alpha_plus_beta_above_one_is_refused_by_create)
{
    for (int code = 0; code < 2; code++) {
        opts o = {code, 0.6, 0.5, 5, 0, 0, 0, 3};
        su_inst in = {0};
        cb_error e;
        memset(&e, 0, sizeof e);
        cr_assert(create(&in, &o, &e) == CB_EINVAL);
        cr_assert(strcmp(e.param, "beta_p") == 0 && strstr(e.msg, "alpha_p + beta_p"), "%s: %s", e.param, e.msg);
        cb_host_free(in.h);
        opts ok = {code, 0.5, 0.5, 5, 0, 0, 0, 3};
        memset(&in, 0, sizeof in);
        cr_assert(create(&in, &ok, &e) == CB_OK, "alpha_p + beta_p = 1 is allowed");
        su_drop(&in);
    }
}

Test(search_bosh, boshnas_resumes_identically)
{
    su_space s;
    su_space_make(&s, 500, 0, 0, 11);
    opts o = {0, 0.1, 0.1, 0, 0, 0, 0, 0};
    su_check_resume(make, &o, &s, 10, 8, 3);
    su_space_free(&s);
}

Test(search_bosh, boshcode_resumes_identically)
{
    su_space s;
    su_space_make(&s, 500, 3, 0, 12);
    opts o = {1, 0.2, 0.2, 0, 0, 0, 0, 3};
    su_check_resume(make, &o, &s, 9, 8, 2);
    su_space_free(&s);
}

Test(search_bosh, boshcode_honours_an_area_constraint_and_finds_good_pairs)
{
    su_space s;
    su_space_make(&s, 500, 3, 0, 13);
    s.max_area = 20; /* p_x * p_k <= 20: about half the accelerators */
    opts o = {1, 0.1, 0.1, 0, 0, 0, 0, 3};
    su_inst in;
    make(&in, &s, &o);
    cb_pair log[40];
    cr_assert(su_run(&in, &s, 40, 4, log) == 40); /* su_run asserts validity and no repeats */
    double best = 0;
    for (int i = 0; i < 40; i++)
        best = fmax(best, su_objective(&s, &log[i]));
    double rank = su_rank(&s, best);
    cr_assert(rank > 0.97, "the best of 40 found ranks at %.3f of the valid pairs", rank);
    cr_assert(s.valid_calls > 0);
    su_drop(&in);
    su_space_free(&s);
}

Test(search_bosh, ablations_and_first_order_run)
{
    su_space s;
    su_space_make(&s, 300, 0, 0, 14);
    for (int v = 0; v < 2; v++) {
        opts o = {0, 0, 0, 0, v == 0, v == 1, 0, 0};
        su_inst in;
        make(&in, &s, &o);
        cb_pair log[20];
        cr_assert(su_run(&in, &s, 20, 5, log) == 20);
        su_drop(&in);
    }
    su_space_free(&s);
}

static const cb_pair *best_of(su_space *s, const cb_pair *log, int n)
{
    const cb_pair *b = &log[0];
    for (int i = 1; i < n; i++)
        if (su_objective(s, &log[i]) > su_objective(s, b))
            b = &log[i];
    return b;
}

Test(search_bosh, one_sided_modes_hold_the_best_pairs_side)
{
    su_space s;
    su_space_make(&s, 200, 3, 0, 15);
    for (int mode = 1; mode <= 2; mode++) { /* cnn_only, accel_only */
        opts o = {1, 0, 0, 0, 0, 0, mode, 0};
        su_inst in;
        make(&in, &s, &o);
        cb_pair log[16];
        cr_assert(su_run(&in, &s, 6, 6, log) == 6); /* the random start */
        for (int i = 6; i < 16; i++) {
            const cb_pair *held = best_of(&s, log, i);
            cr_assert(su_ask(&in, &s, 1, &log[i]) == 1);
            if (mode == 1)
                cr_assert(!memcmp(log[i].accel, held->accel, sizeof held->accel), "cnn_only moved the accelerator");
            else
                cr_assert(log[i].cnn == held->cnn, "accel_only moved the CNN");
            su_tell(&in, &s, &log[i]);
        }
        su_drop(&in);
    }
    su_space noc;
    su_space_make(&noc, 0, 3, 0, 16);
    opts o = {1, 0.1, 0.1, 0, 0, 0, 1, 0};
    su_inst in = {0};
    cb_error e;
    memset(&e, 0, sizeof e);
    cr_assert(create(&in, &o, &e) == CB_OK);
    cr_assert(su_plugin("bosh", "boshcode")->vtable == in.pl->vtable);
    in.vt = in.pl->vtable;
    cr_assert(in.vt->start(in.self, &noc.sp, &e) == CB_EINVAL);
    cr_assert(strcmp(e.param, "mode") == 0, "%s", e.msg);
    su_drop(&in);
    su_space_free(&noc);
    su_space_free(&s);
}

static void flat_tell(su_inst *in, const cb_pair *p)
{
    cb_metrics m = {.size = sizeof m, .status = CB_EVAL_OK, .performance = 0.5};
    cb_error e;
    cr_assert(in->vt->tell(in->self, p, &m, &e) == CB_OK);
}

Test(search_bosh, convergence_stops_boshnas_and_boshcode_requeries_first)
{
    su_space s;
    su_space_make(&s, 100, 2, 0, 17);
    for (int code = 0; code < 2; code++) {
        opts o = {code, 0, 0, 5, 0, 0, 0, 4}; /* every step after the start is GOBI's */
        su_inst in;
        make(&in, &s, &o);
        int total = 0;
        cb_pair p, first;
        while (su_ask(&in, &s, 1, &p) == 1) {
            if (total == 0)
                first = p;
            flat_tell(&in, &p);
            cr_assert(++total < 50, "a flat objective converges");
        }
        /* 6 random, 5 GOBI results without progress; boshcode then 4 around the best pair */
        cr_assert(total == (code ? 6 + 5 + 4 : 6 + 5), "%s stopped after %d", code ? "boshcode" : "boshnas", total);
        (void)first;
        su_drop(&in);
    }
    su_space_free(&s);
}

/* Several busy workers: one pair per ask() with up to 6 pending, GOBI only (alpha_P = beta_P =
 * 0), so that asks with no result in between see the same surrogate and would reach the same
 * optimum again were the pending pairs not excluded. */
Test(search_bosh, several_busy_workers_get_distinct_pairs)
{
    su_space s;
    su_space_make(&s, 200, 2, 0, 15);
    for (int code = 0; code < 2; code++) {
        opts o = {code, 0, 0, 0, 0, 0, 0, 0};
        su_inst in;
        make(&in, &s, &o);
        cb_pair log[30];
        cr_assert(su_run_async(&in, &s, 30, 6, log) == 30); /* asserts no repeats */
        su_drop(&in);
    }
    su_space_free(&s);
}
