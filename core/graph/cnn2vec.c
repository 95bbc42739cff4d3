/* core/graph/cnn2vec.c: fitting CNN2vec embeddings (see cnn2vec.h). */
#include "graph/cnn2vec.h"
#include "host/pool.h"
#include "util/util.h"

#include <codebench/plugin.h>
#include <codebench/rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct pair {
    uint32_t i, j;
    double d;
} pair;

void cb_cnn2vec_defaults(cb_cnn2vec_opts *o)
{
    *o = (cb_cnn2vec_opts){CB_CNN2VEC_DIM, 30, 1024, 0.1, 2000000, 64, 0};
}

double cb_embed_dist(const float *embed, int dim, size_t i, size_t j)
{
    double s = 0;
    for (int k = 0; k < dim; k++) {
        double e = (double)embed[i * (size_t)dim + (size_t)k] - embed[j * (size_t)dim + (size_t)k];
        s += e * e;
    }
    return sqrt(s);
}

/* Every pair, or `partners` random partners per item. */
static pair *choose_pairs(size_t n, const cb_cnn2vec_opts *o, cb_rng *rng, size_t *count, int *all)
{
    size_t total = n * (n - 1) / 2;
    *all = total <= o->max_pairs;
    *count = *all ? total : n * (size_t)o->partners;
    pair *p = cb_xmalloc((*count + 1) * sizeof *p);
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        if (*all) {
            for (size_t j = i + 1; j < n; j++)
                p[at++] = (pair){(uint32_t)i, (uint32_t)j, 0};
            continue;
        }
        for (int k = 0; k < o->partners; k++) {
            size_t j = cb_rng_below(rng, n - 1);
            p[at++] = (pair){(uint32_t)i, (uint32_t)(j >= i ? j + 1 : j), 0};
        }
    }
    return p;
}

typedef struct dist_job {
    pair *p;
    cb_dist_fn dist;
    void *ctx;
} dist_job;

static void dist_chunk(void *ctx, size_t b, size_t e)
{
    dist_job *j = ctx;
    for (size_t k = b; k < e; k++)
        j->p[k].d = j->dist(j->ctx, j->p[k].i, j->p[k].j);
}

/* Fills every pair's distance (on the pool's threads); returns their mean. */
static double measure(pair *p, size_t count, cb_dist_fn dist, void *ctx)
{
    dist_job job = {p, dist, ctx};
    cb_pool_run(count, dist_chunk, &job);
    double mean = 0;
    for (size_t k = 0; k < count; k++)
        mean += p[k].d / (double)count;
    return mean;
}

static void shuffle(pair *p, size_t n, cb_rng *rng)
{
    for (size_t k = n; k > 1; k--) {
        size_t r = cb_rng_below(rng, k);
        pair t = p[k - 1];
        p[k - 1] = p[r];
        p[r] = t;
    }
}

/* CosineAnnealingWarmRestarts(T_0 = 10, T_mult = 2) at fractional epoch t. */
static double lr_at(double base, double t)
{
    double period = 10;
    while (t >= period) {
        t -= period;
        period *= 2;
    }
    return 0.5 * base * (1 + cos(M_PI * t / period));
}

typedef struct adam {
    double *m, *v;
    long step;
} adam;

/* Gradient of (|e_i - e_j| - d)^2 / batch into g (rows i and j), returns the squared error. */
static double pair_grad(const float *e, int dim, const pair *q, double scale, double *gi, double *gj)
{
    double dist = cb_embed_dist(e, dim, q->i, q->j), err = dist - q->d / scale;
    double f = dist > 1e-12 ? 2 * err / dist : 0;
    for (int k = 0; k < dim; k++) {
        double diff = (double)e[(size_t)q->i * (size_t)dim + (size_t)k] - e[(size_t)q->j * (size_t)dim + (size_t)k];
        gi[k] = f * diff;
        gj[k] = -f * diff;
    }
    return err * err;
}

static void adam_row(float *row, double *m, double *v, const double *g, int dim, double lr, long step)
{
    const double b1 = 0.9, b2 = 0.999, eps = 1e-8;
    double c1 = 1 - pow(b1, (double)step), c2 = 1 - pow(b2, (double)step);
    for (int k = 0; k < dim; k++) {
        m[k] = b1 * m[k] + (1 - b1) * g[k];
        v[k] = b2 * v[k] + (1 - b2) * g[k] * g[k];
        row[k] -= (float)(lr * (m[k] / c1) / (sqrt(v[k] / c2) + eps));
    }
}

/* One mini-batch: accumulate per-row gradients, then one Adam step for the rows the batch
 * touched (a sparse update: rows without pairs in the batch keep their moments and values). */
typedef struct rows {
    uint32_t *list;
    size_t n;
    unsigned char *mark;
} rows;

static void touch(rows *R, uint32_t r)
{
    if (!R->mark[r]) {
        R->mark[r] = 1;
        R->list[R->n++] = r;
    }
}

static double batch_step(float *e, int dim, const pair *p, size_t count, double scale, adam *A, double *grad,
                         rows *R, double lr, size_t fixed)
{
    double sq = 0, gi[64], gj[64];
    for (size_t k = 0; k < count; k++) {
        sq += pair_grad(e, dim, &p[k], scale, gi, gj);
        for (int d = 0; d < dim; d++) {
            grad[(size_t)p[k].i * (size_t)dim + (size_t)d] += gi[d] / (double)count;
            grad[(size_t)p[k].j * (size_t)dim + (size_t)d] += gj[d] / (double)count;
        }
        touch(R, p[k].i);
        touch(R, p[k].j);
    }
    A->step++;
    for (size_t t = 0; t < R->n; t++) {
        size_t off = (size_t)R->list[t] * (size_t)dim;
        if (R->list[t] >= fixed) /* the rows below fixed are held where they are */
            adam_row(e + off, A->m + off, A->v + off, grad + off, dim, lr, A->step);
        memset(grad + off, 0, (size_t)dim * sizeof *grad);
        R->mark[R->list[t]] = 0;
    }
    R->n = 0;
    return sq;
}

static double fit(float *e, size_t n, size_t fixed, pair *p, size_t count, const cb_cnn2vec_opts *o, double scale,
                  cb_rng *rng)
{
    int dim = o->dim;
    adam A = {cb_xcalloc(n * (size_t)dim, sizeof(double)), cb_xcalloc(n * (size_t)dim, sizeof(double)), 0};
    double *grad = cb_xcalloc(n * (size_t)dim, sizeof *grad);
    rows R = {cb_xmalloc((2 * (size_t)o->batch + 1) * sizeof(uint32_t)), 0, cb_xcalloc(n, 1)};
    size_t batches = (count + (size_t)o->batch - 1) / (size_t)o->batch;
    double sq = 0;
    for (int ep = 0; ep < o->epochs; ep++) {
        shuffle(p, count, rng);
        sq = 0;
        for (size_t b = 0; b < batches; b++) {
            size_t lo = b * (size_t)o->batch, k = count - lo < (size_t)o->batch ? count - lo : (size_t)o->batch;
            double lr = lr_at(o->lr, ep + (double)b / (double)batches);
            sq += batch_step(e, dim, p + lo, k, scale, &A, grad, &R, lr, fixed);
        }
    }
    free(A.m);
    free(A.v);
    free(grad);
    free(R.list);
    free(R.mark);
    return sqrt(sq / (double)count) * scale;
}

/* N(0, 1/(2 dim)) entries: expected row distance about 1, the mean distance in fitted units. */
static void random_rows(float *x, size_t count, int dim, cb_rng *rng)
{
    double sd = 1 / sqrt(2.0 * dim);
    for (size_t k = 0; k < count; k++) {
        double u1 = cb_rng_unit(rng), u2 = cb_rng_unit(rng);
        x[k] = (float)(sd * sqrt(-2 * log(u1 > 0 ? u1 : 1e-300)) * cos(2 * M_PI * u2));
    }
}

int cb_cnn2vec_fit(size_t n, cb_dist_fn dist, void *ctx, const cb_cnn2vec_opts *o, float *embed,
                   cb_cnn2vec_report *rep)
{
    memset(rep, 0, sizeof *rep);
    if (n < 2 || o->dim < 1 || o->dim > 64 || o->batch < 1 || o->epochs < 0 || n > UINT32_MAX)
        return CB_EINVAL;
    cb_rng rng;
    cb_rng_seed(&rng, o->seed);
    size_t count;
    pair *p = choose_pairs(n, o, &rng, &count, &rep->all_pairs);
    double mean = measure(p, count, dist, ctx);
    double scale = mean > 0 ? mean : 1;
    random_rows(embed, n * (size_t)o->dim, o->dim, &rng);
    rep->rmse = fit(embed, n, 0, p, count, o, scale, &rng);
    for (size_t k = 0; k < n * (size_t)o->dim; k++)
        embed[k] = (float)(embed[k] * scale);
    rep->pairs = count;
    rep->mean_dist = mean;
    free(p);
    return CB_OK;
}

float *cb_cnn2vec_table(size_t n, cb_dist_fn dist, void *ctx, uint64_t seed, cb_cnn2vec_report *rep,
                        double *rho)
{
    cb_cnn2vec_opts o;
    cb_cnn2vec_defaults(&o);
    o.seed = seed;
    float *embed = cb_xcalloc(n * (size_t)o.dim + 1, sizeof *embed);
    if (cb_cnn2vec_fit(n, dist, ctx, &o, embed, rep)) {
        free(embed);
        return NULL;
    }
    *rho = cb_cnn2vec_spearman(n, dist, ctx, embed, o.dim, 20000, seed ^ 0x5eedULL);
    return embed;
}

/* The pairs that place rows [n_old, n): each new row with every row before it while there are at
 * most max_pairs of them, else `partners` random partners per new row. */
static pair *extend_pairs(size_t n_old, size_t n, const cb_cnn2vec_opts *o, cb_rng *rng, size_t *count, int *all)
{
    size_t total = 0;
    for (size_t i = n_old; i < n; i++)
        total += i;
    *all = total <= o->max_pairs;
    *count = *all ? total : (n - n_old) * (size_t)o->partners;
    pair *p = cb_xmalloc((*count + 1) * sizeof *p);
    size_t at = 0;
    for (size_t i = n_old; i < n; i++) {
        if (*all) {
            for (size_t j = 0; j < i; j++)
                p[at++] = (pair){(uint32_t)j, (uint32_t)i, 0};
            continue;
        }
        for (int k = 0; k < o->partners; k++) {
            size_t j = cb_rng_below(rng, n - 1);
            p[at++] = (pair){(uint32_t)(j >= i ? j + 1 : j), (uint32_t)i, 0};
        }
    }
    return p;
}

int cb_cnn2vec_extend(size_t n_old, size_t n, cb_dist_fn dist, void *ctx, const cb_cnn2vec_opts *o, float *embed,
                      cb_cnn2vec_report *rep)
{
    memset(rep, 0, sizeof *rep);
    if (n_old < 1 || n <= n_old || o->dim < 1 || o->dim > 64 || o->batch < 1 || o->epochs < 0 || n > UINT32_MAX)
        return CB_EINVAL;
    cb_rng rng;
    cb_rng_seed(&rng, o->seed);
    size_t count;
    pair *p = extend_pairs(n_old, n, o, &rng, &count, &rep->all_pairs);
    double mean = measure(p, count, dist, ctx);
    double scale = mean > 0 ? mean : 1;
    /* fitted in units of the mean distance, on a copy: the fixed rows of embed stay bit for bit */
    size_t dim = (size_t)o->dim;
    float *e = cb_xmalloc(n * dim * sizeof *e);
    for (size_t k = 0; k < n_old * dim; k++)
        e[k] = (float)(embed[k] / scale);
    random_rows(e + n_old * dim, (n - n_old) * dim, o->dim, &rng);
    rep->rmse = fit(e, n, n_old, p, count, o, scale, &rng);
    for (size_t k = n_old * dim; k < n * dim; k++)
        embed[k] = (float)(e[k] * scale);
    rep->pairs = count;
    rep->mean_dist = mean;
    free(e);
    free(p);
    return CB_OK;
}
