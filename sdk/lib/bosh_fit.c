/* bosh_fit.c: training the surrogate's three networks on a corpus (the paper's Eq. 2): the
 * teacher on squared error with dropout on, the student on the teacher's MC-dropout spread,
 * the NPN on its Gaussian negative log-likelihood. Mini-batch Adam over a fresh shuffle each
 * epoch, with early stopping once the epoch loss has not improved for PATIENCE epochs. */
#include <codebench/bosh.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MIN_EPOCHS 20
#define PATIENCE 10

typedef struct batch {
    const float *x, *y; /* the gathered mini-batch */
    int n;
    float *out, *gout, *var, *gvar;
} batch;

/* One mini-batch: forward, loss, gradient into the network's g; returns the mean loss. */
typedef double (*step_fn)(cb_bosh *b, batch *bt);

static double mse_grad(const float *out, const float *y, int n, float *g)
{
    double loss = 0;
    for (int i = 0; i < n; i++) {
        double e = (double)out[i] - y[i];
        loss += e * e;
        g[i] = (float)(2 * e / n);
    }
    return loss / n;
}

static double teacher_step(cb_bosh *b, batch *bt)
{
    if (cb_mlp_forward(&b->teacher, bt->x, bt->n, &b->rng, bt->out))
        return NAN;
    double loss = mse_grad(bt->out, bt->y, bt->n, bt->gout);
    cb_mlp_backward(&b->teacher, bt->gout, NULL);
    return loss;
}

static double student_step(cb_bosh *b, batch *bt)
{
    if (cb_mlp_forward(&b->student, bt->x, bt->n, NULL, bt->out))
        return NAN;
    double loss = mse_grad(bt->out, bt->y, bt->n, bt->gout);
    cb_mlp_backward(&b->student, bt->gout, NULL);
    return loss;
}

static double npn_step(cb_bosh *b, batch *bt)
{
    if (cb_npn_forward(&b->npn, bt->x, bt->n, bt->out, bt->var))
        return NAN;
    double loss = cb_npn_loss(bt->out, bt->var, bt->y, bt->n, bt->gout, bt->gvar);
    cb_npn_backward(&b->npn, bt->gout, bt->gvar);
    return loss;
}

typedef struct net {
    float *p, *g;
    size_t n_params;
    cb_adam *opt;
    step_fn step;
} net;

static void shuffle(cb_rng *r, int *perm, int n)
{
    for (int i = 0; i < n; i++)
        perm[i] = i;
    for (int i = n - 1; i > 0; i--) {
        int j = (int)cb_rng_below(r, (uint64_t)i + 1), t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
}

/* Trains one network; the workspace w holds the batch's x and y and four outputs. */
static int train(cb_bosh *b, const net *nt, const float *x, const float *y, int n, int *perm, float *w)
{
    int dim = b->c.dim, bs = b->c.batch < n ? b->c.batch : n;
    float *bx = w, *by = bx + (size_t)bs * dim;
    batch bt = {bx, by, 0, by + bs, by + 2 * bs, by + 3 * bs, by + 4 * bs};
    double best = INFINITY;
    for (int epoch = 0, bad = 0; epoch < b->c.epochs; epoch++) {
        shuffle(&b->rng, perm, n);
        double sum = 0;
        for (int at = 0; at < n; at += bs) {
            bt.n = n - at < bs ? n - at : bs;
            for (int i = 0; i < bt.n; i++) {
                memcpy(bx + (size_t)i * dim, x + (size_t)perm[at + i] * dim, (size_t)dim * sizeof *x);
                by[i] = y[perm[at + i]];
            }
            memset(nt->g, 0, nt->n_params * sizeof *nt->g);
            double loss = nt->step(b, &bt);
            if (!isfinite(loss))
                return CB_EFAIL;
            cb_adam_step(nt->opt, nt->p, nt->g);
            if (nt->p == b->npn.p)
                cb_npn_touch(&b->npn); /* its cached weight variances are stale */
            sum += loss * bt.n;
        }
        if (!isfinite(best) || sum / n < best - 1e-6 * fabs(best)) {
            best = sum / n;
            bad = 0;
        } else if (++bad >= PATIENCE && epoch + 1 >= MIN_EPOCHS) {
            break;
        }
    }
    return CB_OK;
}

int cb_bosh_teacher_spread(cb_bosh *b, const float *x, int n, float *xi)
{
    int s = b->c.mc_samples;
    double *sum = calloc((size_t)n * 2, sizeof *sum), *sq = sum + n;
    float *out = malloc((size_t)n * sizeof *out);
    int rc = !sum || !out ? CB_EFAIL : CB_OK;
    for (int k = 0; !rc && k < s; k++) {
        rc = cb_mlp_forward(&b->teacher, x, n, &b->rng, out);
        for (int i = 0; !rc && i < n; i++) {
            sum[i] += out[i];
            sq[i] += (double)out[i] * out[i];
        }
    }
    for (int i = 0; !rc && i < n; i++) { /* sample standard deviation */
        double var = (sq[i] - sum[i] * sum[i] / s) / (s - 1);
        xi[i] = (float)sqrt(var > 0 ? var : 0);
    }
    free(sum);
    free(out);
    return rc;
}

int cb_bosh_fit(cb_bosh *b, const float *x, const float *y, int n)
{
    if (n < 1)
        return CB_OK;
    int bs = b->c.batch < n ? b->c.batch : n;
    size_t batch_len = (size_t)bs * ((size_t)b->c.dim + 5), need = batch_len + (size_t)n;
    if (need > b->buf_len) {
        float *nb = realloc(b->buf, need * sizeof *nb);
        if (!nb)
            return CB_EFAIL;
        b->buf = nb;
        b->buf_len = need;
    }
    int *perm = malloc((size_t)n * sizeof *perm);
    if (!perm)
        return CB_EFAIL;
    float *w = b->buf, *xi = b->buf + batch_len;
    net teacher = {b->teacher.p, b->teacher.g, b->teacher.n_params, &b->opt_teacher, teacher_step};
    net student = {b->student.p, b->student.g, b->student.n_params, &b->opt_student, student_step};
    net npn = {b->npn.p, b->npn.g, b->npn.n_params, &b->opt_npn, npn_step};
    int rc = train(b, &teacher, x, y, n, perm, w);
    rc = rc ? rc : cb_bosh_teacher_spread(b, x, n, xi);
    rc = rc ? rc : train(b, &student, x, xi, n, perm, w);
    if (!rc && b->c.hetero)
        rc = train(b, &npn, x, y, n, perm, w);
    free(perm);
    b->fits++;
    return rc;
}
