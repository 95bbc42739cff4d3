/* core/graph/ged.c: the distance itself (see ged.h): identical labels are matched to each
 * other (optimal for a metric cost), the rest is a transportation problem between label
 * groups, vertices are then paired group by group in index order, and the edges that pairing
 * fails to preserve are charged. */
#include "graph/ged.h"
#include "graph/transport.h"
#include "util/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double cb_ged_vertex_cost(const cb_vocab *voc, int32_t a, int32_t b)
{
    if (a == b)
        return 0;
    if (a < 0 || b < 0)
        return voc->v[a < 0 ? b : a].weight + CB_GED_EDGE_COST;
    double wa = voc->v[a].weight, wb = voc->v[b].weight;
    return fmin(1.1 * fabs(wa - wb), wa + wb) + CB_GED_EDGE_COST;
}

/* A fixed order of the pair, so that d(a, b) and d(b, a) run the same computation. */
static int order(const cb_flat *a, const cb_flat *b)
{
    if (a->hash[0] && b->hash[0])
        return strcmp(a->hash, b->hash);
    if (a->n != b->n)
        return a->n < b->n ? -1 : 1;
    return memcmp(a->label, b->label, (size_t)a->n * sizeof *a->label);
}

typedef struct groups {
    int32_t k;        /* distinct labels over both graphs */
    int32_t *id;      /* sorted */
    int32_t *ca, *cb; /* occurrences in a and b */
} groups;

static int cmp_i32(const void *x, const void *y)
{
    int32_t p = *(const int32_t *)x, q = *(const int32_t *)y;
    return (p > q) - (p < q);
}

static int32_t group_of(const groups *g, int32_t id)
{
    const int32_t *at = bsearch(&id, g->id, (size_t)g->k, sizeof *g->id, cmp_i32);
    return (int32_t)(at - g->id);
}

static void make_groups(const cb_flat *a, const cb_flat *b, groups *g)
{
    size_t n = (size_t)a->n + (size_t)b->n;
    g->id = cb_xmalloc((n + 1) * sizeof *g->id);
    memcpy(g->id, a->label, (size_t)a->n * sizeof *g->id);
    memcpy(g->id + a->n, b->label, (size_t)b->n * sizeof *g->id);
    qsort(g->id, n, sizeof *g->id, cmp_i32);
    g->k = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || g->id[i] != g->id[g->k - 1])
            g->id[g->k++] = g->id[i];
    g->ca = cb_xcalloc((size_t)g->k + 1, sizeof *g->ca);
    g->cb = cb_xcalloc((size_t)g->k + 1, sizeof *g->cb);
    for (int32_t v = 0; v < a->n; v++)
        g->ca[group_of(g, a->label[v])]++;
    for (int32_t v = 0; v < b->n; v++)
        g->cb[group_of(g, b->label[v])]++;
}

/* The residual groups (more in one graph than the other) and the flow between them. */
typedef struct residual {
    int p, q;
    int32_t *ga, *gb;  /* group of each residual row / column */
    int32_t *sa, *sb;  /* their surplus */
    int32_t *flow;     /* (p + 1) x (q + 1) */
    double cost;
} residual;

static void solve_residual(const cb_vocab *voc, const groups *g, residual *r)
{
    r->ga = cb_xmalloc(((size_t)g->k + 1) * sizeof *r->ga);
    r->gb = cb_xmalloc(((size_t)g->k + 1) * sizeof *r->gb);
    r->sa = cb_xmalloc(((size_t)g->k + 1) * sizeof *r->sa);
    r->sb = cb_xmalloc(((size_t)g->k + 1) * sizeof *r->sb);
    r->p = r->q = 0;
    for (int32_t i = 0; i < g->k; i++) {
        if (g->ca[i] > g->cb[i]) {
            r->ga[r->p] = i;
            r->sa[r->p++] = g->ca[i] - g->cb[i];
        } else if (g->cb[i] > g->ca[i]) {
            r->gb[r->q] = i;
            r->sb[r->q++] = g->cb[i] - g->ca[i];
        }
    }
    int cols = r->q + 1;
    double *cost = cb_xmalloc((size_t)(r->p + 1) * (size_t)cols * sizeof *cost);
    for (int i = 0; i <= r->p; i++)
        for (int j = 0; j <= r->q; j++) {
            int32_t la = i < r->p ? g->id[r->ga[i]] : -1, lb = j < r->q ? g->id[r->gb[j]] : -1;
            cost[i * cols + j] = la < 0 && lb < 0 ? 0 : cb_ged_vertex_cost(voc, la, lb);
        }
    r->flow = cb_xmalloc((size_t)(r->p + 1) * (size_t)cols * sizeof *r->flow);
    r->cost = cb_transport(r->p, r->sa, r->q, r->sb, cost, r->flow);
    free(cost);
}

/* map[v] for v in a: its partner in b, or -1 when deleted. Vertices of one label are taken in
 * index order: first the ones matched to the same label, then the residual ones by flow. */
static void pair_vertices(const cb_flat *a, const cb_flat *b, const groups *g, const residual *r, int32_t *map)
{
    int32_t k = g->k;
    int32_t *next_a = cb_xcalloc((size_t)k + 1, sizeof *next_a), *next_b = cb_xcalloc((size_t)k + 1, sizeof *next_b);
    int32_t **vb = cb_xcalloc((size_t)k + 1, sizeof *vb); /* b's vertices per group */
    for (int32_t i = 0; i < k; i++)
        vb[i] = cb_xmalloc(((size_t)g->cb[i] + 1) * sizeof **vb);
    for (int32_t v = 0; v < b->n; v++) {
        int32_t i = group_of(g, b->label[v]);
        vb[i][next_b[i]++] = v;
    }
    memset(next_b, 0, ((size_t)k + 1) * sizeof *next_b);
    int32_t *left = cb_xmalloc((size_t)(r->p + 1) * (size_t)(r->q + 1) * sizeof *left); /* flow not yet used */
    memcpy(left, r->flow, (size_t)(r->p + 1) * (size_t)(r->q + 1) * sizeof *left);
    int32_t *row_of = cb_xcalloc((size_t)k + 1, sizeof *row_of);
    for (int i = 0; i < r->p; i++)
        row_of[r->ga[i]] = i;
    for (int32_t v = 0; v < a->n; v++) {
        int32_t i = group_of(g, a->label[v]), common = g->ca[i] < g->cb[i] ? g->ca[i] : g->cb[i];
        if (next_a[i] < common) {
            map[v] = vb[i][next_a[i]++];
            continue;
        }
        int row = row_of[i], j = 0;
        while (j < r->q && left[row * (r->q + 1) + j] == 0)
            j++;
        left[row * (r->q + 1) + j]--;
        if (j == r->q) {
            map[v] = -1; /* deleted */
        } else {
            int32_t gb = r->gb[j];
            map[v] = vb[gb][g->ca[gb] + next_b[gb]++]; /* past the ones matched to a's own */
        }
    }
    for (int32_t i = 0; i < k; i++)
        free(vb[i]);
    free(vb);
    free(next_a);
    free(next_b);
    free(left);
    free(row_of);
}

static bool has_edge(const cb_flat *f, int32_t u, int32_t v)
{
    int32_t lo = f->out_start[u], hi = f->out_start[u + 1];
    while (lo < hi) {
        int32_t mid = (lo + hi) / 2;
        if (f->out[mid] == v)
            return true;
        if (f->out[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

static int32_t kept_edges(const cb_flat *a, const cb_flat *b, const int32_t *map)
{
    int32_t kept = 0;
    for (int32_t u = 0; u < a->n; u++)
        for (int32_t e = a->out_start[u]; e < a->out_start[u + 1]; e++) {
            int32_t v = a->out[e];
            kept += map[u] >= 0 && map[v] >= 0 && has_edge(b, map[u], map[v]);
        }
    return kept;
}

double cb_ged(const cb_vocab *voc, const cb_flat *a, const cb_flat *b)
{
    if (a->hash[0] && strcmp(a->hash, b->hash) == 0)
        return 0;
    if (order(a, b) > 0) {
        const cb_flat *t = a;
        a = b;
        b = t;
    }
    groups g;
    make_groups(a, b, &g);
    residual r;
    solve_residual(voc, &g, &r);
    int32_t *map = cb_xmalloc(((size_t)a->n + 1) * sizeof *map);
    pair_vertices(a, b, &g, &r, map);
    int32_t kept = kept_edges(a, b, map);
    double d = r.cost + CB_GED_EDGE_COST * (double)(a->n_edges + b->n_edges - 2 * kept);
    free(map);
    free(r.ga);
    free(r.gb);
    free(r.sa);
    free(r.sb);
    free(r.flow);
    free(g.id);
    free(g.ca);
    free(g.cb);
    return d;
}
