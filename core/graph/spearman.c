/* core/graph/spearman.c: Spearman's rank correlation of embedding distance against the
 * distance it was fitted to, on random pairs (see cnn2vec.h). Ties get their mean rank. */
#include "graph/cnn2vec.h"
#include "host/pool.h"
#include "util/util.h"

#include <codebench/rng.h>
#include <math.h>
#include <stdlib.h>

typedef struct item {
    double v;
    size_t at;
} item;

static int cmp_item(const void *a, const void *b)
{
    double x = ((const item *)a)->v, y = ((const item *)b)->v;
    return (x > y) - (x < y);
}

static void ranks(const double *v, size_t n, double *r)
{
    item *it = cb_xmalloc((n + 1) * sizeof *it);
    for (size_t k = 0; k < n; k++)
        it[k] = (item){v[k], k};
    qsort(it, n, sizeof *it, cmp_item);
    for (size_t k = 0; k < n;) {
        size_t e = k;
        while (e + 1 < n && it[e + 1].v == it[k].v)
            e++;
        for (size_t t = k; t <= e; t++)
            r[it[t].at] = 0.5 * (double)(k + e) + 1;
        k = e + 1;
    }
    free(it);
}

static double pearson(const double *a, const double *b, size_t n)
{
    double ma = 0, mb = 0, sab = 0, saa = 0, sbb = 0;
    for (size_t k = 0; k < n; k++) {
        ma += a[k] / (double)n;
        mb += b[k] / (double)n;
    }
    for (size_t k = 0; k < n; k++) {
        sab += (a[k] - ma) * (b[k] - mb);
        saa += (a[k] - ma) * (a[k] - ma);
        sbb += (b[k] - mb) * (b[k] - mb);
    }
    return saa > 0 && sbb > 0 ? sab / sqrt(saa * sbb) : 0;
}

typedef struct job {
    size_t *i, *j;
    double *d;
    cb_dist_fn dist;
    void *ctx;
} job;

static void chunk(void *ctx, size_t b, size_t e)
{
    job *J = ctx;
    for (size_t k = b; k < e; k++)
        J->d[k] = J->dist(J->ctx, J->i[k], J->j[k]);
}

double cb_cnn2vec_spearman(size_t n, cb_dist_fn dist, void *ctx, const float *embed, int dim, size_t pairs,
                           uint64_t seed)
{
    if (n < 2 || pairs < 2)
        return 0;
    cb_rng rng;
    cb_rng_seed(&rng, seed ^ 0x5bd1e995ull); /* other pairs than the fit drew */
    job J = {cb_xmalloc(pairs * sizeof(size_t)), cb_xmalloc(pairs * sizeof(size_t)),
             cb_xmalloc(pairs * sizeof(double)), dist, ctx};
    double *de = cb_xmalloc(pairs * sizeof *de), *ra = cb_xmalloc(pairs * sizeof *ra),
           *rb = cb_xmalloc(pairs * sizeof *rb);
    for (size_t k = 0; k < pairs; k++) {
        J.i[k] = cb_rng_below(&rng, n);
        size_t j = cb_rng_below(&rng, n - 1);
        J.j[k] = j >= J.i[k] ? j + 1 : j;
        de[k] = cb_embed_dist(embed, dim, J.i[k], J.j[k]);
    }
    cb_pool_run(pairs, chunk, &J);
    ranks(J.d, pairs, ra);
    ranks(de, pairs, rb);
    double rho = pearson(ra, rb, pairs);
    free(J.i);
    free(J.j);
    free(J.d);
    free(de);
    free(ra);
    free(rb);
    return rho;
}
