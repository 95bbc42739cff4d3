/* bosh_surrogate.c: the BOSHNAS/BOSHCODE surrogate's networks (shapes after the reference
 * models), prediction of mu, sigma and xi, the UCB acquisition with its input derivatives, and
 * the surrogate's state. Training is in bosh_fit.c. */
#include <codebench/bosh.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

void cb_bosh_defaults(cb_bosh_config *c, int dim)
{
    memset(c, 0, sizeof *c);
    c->dim = dim;
    c->hetero = 1;
    c->k1 = c->k2 = 0.5;
    c->mc_samples = 10;
    c->dropout = 0.3f;
    c->epochs = 60;
    c->batch = 32;
    c->lr = 3e-3;
}

static void set_layers(cb_nn_spec *s, int n, const int *width, const int *act)
{
    s->n_layers = n;
    for (int l = 0; l <= n; l++)
        s->width[l] = width[l];
    for (int l = 0; l < n; l++)
        s->act[l] = act[l];
}

/* One branch: the reference's d-64-32-1 MLPs and d-32-32-1 NPN. Two branches: each input
 * group through two 32-wide layers, then a joint head over the 64 concatenated features.
 * The student's output is linear: a saturating output (sigmoid, softplus) is driven into
 * saturation by Adam while it learns spreads of a few hundredths, and then never recovers.
 * The NPN's output is its last Gaussian linear layer (the reference ends in an NPN sigmoid,
 * whose moment approximation cannot give a spread below about 0.11 at any mean: the NLL then
 * barely constrains the mean; measured: 2.5x the held-out error). */
static void shapes(const cb_bosh_config *c, cb_nn_spec *t, cb_nn_spec *st, cb_nn_spec *f)
{
    memset(t, 0, sizeof *t);
    memset(st, 0, sizeof *st);
    memset(f, 0, sizeof *f);
    const int sp = CB_NN_SOFTPLUS, sg = CB_NN_SIGMOID, ln = CB_NN_LINEAR, rl = CB_NPN_RELU;
    if (c->branch_in > 0) {
        set_layers(t, 5, (int[]){c->dim, 64, 64, 64, 32, 1}, (int[]){sp, sp, sp, sp, sg});
        set_layers(st, 4, (int[]){c->dim, 64, 64, 32, 1}, (int[]){sp, sp, sp, ln});
        set_layers(f, 4, (int[]){c->dim, 64, 64, 32, 1}, (int[]){rl, rl, rl, CB_NPN_NONE});
        t->branch_in = st->branch_in = f->branch_in = c->branch_in;
        t->branch_layers = st->branch_layers = f->branch_layers = 2;
    } else {
        set_layers(t, 3, (int[]){c->dim, 64, 32, 1}, (int[]){sp, sp, sg});
        set_layers(st, 3, (int[]){c->dim, 64, 32, 1}, (int[]){sp, sp, ln});
        set_layers(f, 3, (int[]){c->dim, 32, 32, 1}, (int[]){rl, rl, CB_NPN_NONE});
    }
    t->dropout = c->dropout;
}

int cb_bosh_create(cb_bosh *b, const cb_bosh_config *c, cb_gemm_fn gemm, uint64_t seed)
{
    memset(b, 0, sizeof *b);
    if (c->dim < 1 || c->branch_in < 0 || c->branch_in >= c->dim || c->mc_samples < 2 ||
        c->epochs < 1 || c->batch < 1 || !(c->lr > 0) || c->dropout <= 0 || c->dropout >= 1)
        return CB_EINVAL;
    b->c = *c;
    cb_rng_seed(&b->rng, seed);
    cb_nn_spec t, st, f;
    shapes(c, &t, &st, &f);
    int rc = cb_mlp_create(&b->teacher, &t, gemm, &b->rng);
    rc = rc ? rc : cb_mlp_create(&b->student, &st, gemm, &b->rng);
    rc = rc ? rc : cb_npn_create(&b->npn, &f, gemm, &b->rng);
    rc = rc ? rc : cb_adam_init(&b->opt_teacher, b->teacher.n_params, c->lr);
    rc = rc ? rc : cb_adam_init(&b->opt_student, b->student.n_params, c->lr);
    rc = rc ? rc : cb_adam_init(&b->opt_npn, b->npn.n_params, c->lr);
    if (rc)
        cb_bosh_free(b);
    return rc;
}

void cb_bosh_free(cb_bosh *b)
{
    if (!b)
        return;
    cb_mlp_free(&b->teacher);
    cb_mlp_free(&b->student);
    cb_npn_free(&b->npn);
    cb_adam_free(&b->opt_teacher);
    cb_adam_free(&b->opt_student);
    cb_adam_free(&b->opt_npn);
    free(b->buf);
    memset(b, 0, sizeof *b);
}

int cb_bosh_predict(cb_bosh *b, const float *x, int n, float *mu, float *sigma, float *xi)
{
    if (n < 1)
        return CB_OK;
    float *tmp = malloc((size_t)n * 2 * sizeof *tmp);
    if (!tmp)
        return CB_EFAIL;
    int rc = CB_OK;
    if (b->c.hetero && (mu || sigma)) {
        rc = cb_npn_forward(&b->npn, x, n, tmp, tmp + n);
        for (int i = 0; !rc && i < n; i++) {
            if (mu)
                mu[i] = tmp[i];
            if (sigma)
                sigma[i] = sqrtf(tmp[n + i]);
        }
    } else if (mu || sigma) {
        rc = cb_mlp_forward(&b->teacher, x, n, NULL, tmp);
        for (int i = 0; !rc && i < n; i++) {
            if (mu)
                mu[i] = tmp[i];
            if (sigma)
                sigma[i] = 0;
        }
    }
    if (!rc && xi)
        rc = cb_mlp_forward(&b->student, x, n, NULL, xi);
    free(tmp);
    return rc;
}

double cb_bosh_ucb(cb_bosh *b, const double *x, const double *v, double *grad, double *hv)
{
    int d = b->c.dim;
    double *g2 = malloc((size_t)d * 2 * sizeof *g2), *h2 = g2 + d;
    if (!g2)
        return NAN;
    double u = b->c.hetero ? cb_npn_input_derivs(&b->npn, x, b->c.k1, v, grad, hv)
                           : cb_mlp_input_derivs(&b->teacher, x, v, grad, hv);
    u += b->c.k2 * cb_mlp_input_derivs(&b->student, x, v, g2, v ? h2 : NULL);
    for (int k = 0; k < d; k++) {
        if (grad)
            grad[k] += b->c.k2 * g2[k];
        if (hv && v)
            hv[k] += b->c.k2 * h2[k];
    }
    free(g2);
    return u;
}

void cb_bosh_save(const cb_bosh *b, cb_state_writer *w)
{
    cb_sw_tag(w, "bosh");
    cb_sw_i64(w, b->c.dim);
    cb_sw_i64(w, b->c.branch_in);
    cb_sw_i64(w, b->c.hetero);
    cb_sw_i64(w, b->fits);
    cb_rng_save(&b->rng, w);
    cb_mlp_save(&b->teacher, w);
    cb_mlp_save(&b->student, w);
    cb_npn_save(&b->npn, w);
    cb_adam_save(&b->opt_teacher, w);
    cb_adam_save(&b->opt_student, w);
    cb_adam_save(&b->opt_npn, w);
}

void cb_bosh_load(cb_bosh *b, cb_state_reader *r)
{
    cb_sr_tag(r, "bosh");
    if (cb_sr_i64(r) != b->c.dim || cb_sr_i64(r) != b->c.branch_in || cb_sr_i64(r) != b->c.hetero)
        cb_sr_fail(r, "the saved surrogate has another input or mode");
    b->fits = cb_sr_i64(r);
    cb_rng_load(&b->rng, r);
    cb_mlp_load(&b->teacher, r);
    cb_mlp_load(&b->student, r);
    cb_npn_load(&b->npn, r);
    cb_adam_load(&b->opt_teacher, r);
    cb_adam_load(&b->opt_student, r);
    cb_adam_load(&b->opt_npn, r);
}
