/* core/graph/neighbors.c: k nearest neighbours, plain or biased by leading-module overlap, and
 * the weight-transfer source (see neighbors.h). Rows are independent and split over the core's
 * thread pool; each keeps its k best in a bounded heap. */
#include "graph/neighbors.h"
#include "graph/cnn2vec.h"
#include "host/pool.h"
#include "util/util.h"

#include <stdlib.h>

typedef struct cand {
    int overlap;
    double dist;
    int32_t j;
} cand;

/* a ranks before b: more overlap, then nearer, then lower index (for a stable order) */
static int before(const cand *a, const cand *b)
{
    if (a->overlap != b->overlap)
        return a->overlap > b->overlap;
    if (a->dist != b->dist)
        return a->dist < b->dist;
    return a->j < b->j;
}

/* Max-heap by rank: the root is the worst kept candidate. */
static void sift_down(cand *h, int n, int i)
{
    for (;;) {
        int l = 2 * i + 1, r = l + 1, w = i;
        if (l < n && before(&h[w], &h[l]))
            w = l;
        if (r < n && before(&h[w], &h[r]))
            w = r;
        if (w == i)
            return;
        cand t = h[i];
        h[i] = h[w];
        h[w] = t;
        i = w;
    }
}

static void sift_up(cand *h, int i)
{
    while (i > 0 && before(&h[(i - 1) / 2], &h[i])) {
        cand t = h[i];
        h[i] = h[(i - 1) / 2];
        h[(i - 1) / 2] = t;
        i = (i - 1) / 2;
    }
}

static int cmp_cand(const void *a, const void *b)
{
    return before(a, b) ? -1 : before(b, a) ? 1 : 0;
}

typedef struct job {
    const float *e;
    size_t n;
    int dim, k;
    const cb_cnngraph *g;
    int32_t *out;
} job;

static void row(const job *J, size_t i, cand *h)
{
    int kept = 0;
    for (size_t j = 0; j < J->n; j++) {
        if (j == i)
            continue;
        cand c = {J->g ? cb_cnngraph_overlap(&J->g[i], &J->g[j]) : 0, cb_embed_dist(J->e, J->dim, i, j), (int32_t)j};
        if (kept < J->k) {
            h[kept] = c;
            sift_up(h, kept++);
        } else if (before(&c, &h[0])) {
            h[0] = c;
            sift_down(h, kept, 0);
        }
    }
    qsort(h, (size_t)kept, sizeof *h, cmp_cand);
    for (int t = 0; t < J->k; t++)
        J->out[i * (size_t)J->k + (size_t)t] = t < kept ? h[t].j : -1;
}

static void chunk(void *ctx, size_t b, size_t e)
{
    job *J = ctx;
    cand *h = cb_xmalloc(((size_t)J->k + 1) * sizeof *h);
    for (size_t i = b; i < e; i++)
        row(J, i, h);
    free(h);
}

void cb_neighbors(const float *embed, size_t n, int dim, const cb_cnngraph *g, int k, int32_t *out)
{
    job J = {embed, n, dim, k, g, out};
    cb_pool_run(n, chunk, &J);
}

double cb_overlap_fraction(const cb_cnngraph *q, const cb_cnngraph *nb)
{
    return q->n > 0 ? (double)cb_cnngraph_overlap(q, nb) / q->n : 0;
}

int64_t cb_transfer_source(const cb_cnngraph *g, size_t q, const int32_t *nbrs, int k,
                           const unsigned char *trained, double tau)
{
    for (int t = 0; t < k; t++) {
        int32_t j = nbrs[t];
        if (j >= 0 && trained[j] && cb_overlap_fraction(&g[q], &g[j]) >= tau)
            return j;
    }
    return -1;
}
