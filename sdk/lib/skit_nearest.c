/* skit_nearest.c: snapping a point of the encoding to the nearest pair that may be proposed.
 * CNNs are taken in order of embedding distance; for each, the accelerator grid is walked
 * best-first from the rounded point. Each axis's cost is unimodal around its rounded index, so
 * stepping only away from it reaches every grid point through cheaper ones and the walk pops
 * points in order of distance: the first usable one is the nearest. */
#include <codebench/searchkit.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct walk {
    const cb_skit *k;
    const double *x;       /* the accelerator part of the point */
    int n_axes;
    int *idx;              /* node pool: n_axes ints per node */
    double *cost;
    int *heap;             /* node numbers, a binary min-heap on cost */
    int n_nodes, n_heap, cap;
    uint64_t *seen;        /* visited keys + 1, open addressing */
    size_t n_seen;
} walk;

static double axis_cost(const walk *w, int a, int i)
{
    int n = w->k->sp->axes[a].n_values;
    double pos = n > 1 ? (double)i / (n - 1) : 0.0;
    return (pos - w->x[a]) * (pos - w->x[a]);
}

static uint64_t key_of(const walk *w, const int *idx)
{
    uint64_t h = 0x9e3779b97f4a7c15ull;
    for (int a = 0; a < w->n_axes; a++) {
        h ^= (uint64_t)idx[a] + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
        h *= 0xff51afd7ed558ccdull;
        h ^= h >> 33;
    }
    return h | 1; /* never 0: 0 marks an empty slot */
}

/* 1 when idx was seen before; marks it otherwise. */
static int seen_or_mark(walk *w, const int *idx)
{
    uint64_t key = key_of(w, idx);
    size_t mask = w->n_seen - 1, j = (size_t)(key >> 7) & mask;
    for (; w->seen[j]; j = (j + 1) & mask)
        if (w->seen[j] == key)
            return 1;
    w->seen[j] = key;
    return 0;
}

static void heap_push(walk *w, int node)
{
    int i = w->n_heap++;
    while (i > 0 && w->cost[w->heap[(i - 1) / 2]] > w->cost[node]) {
        w->heap[i] = w->heap[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    w->heap[i] = node;
}

static int heap_pop(walk *w)
{
    int top = w->heap[0], last = w->heap[--w->n_heap], i = 0;
    for (;;) {
        int c = 2 * i + 1;
        if (c >= w->n_heap)
            break;
        if (c + 1 < w->n_heap && w->cost[w->heap[c + 1]] < w->cost[w->heap[c]])
            c++;
        if (w->cost[w->heap[c]] >= w->cost[last])
            break;
        w->heap[i] = w->heap[c];
        i = c;
    }
    w->heap[i] = last;
    return top;
}

static void add_node(walk *w, const int *idx)
{
    if (w->n_nodes >= w->cap || seen_or_mark(w, idx))
        return;
    int node = w->n_nodes++;
    memcpy(w->idx + (size_t)node * w->n_axes, idx, (size_t)w->n_axes * sizeof *idx);
    double c = 0;
    for (int a = 0; a < w->n_axes; a++)
        c += axis_cost(w, a, idx[a]);
    w->cost[node] = c;
    heap_push(w, node);
}

static int walk_init(walk *w, const cb_skit *k, const double *xa, int max_visit)
{
    memset(w, 0, sizeof *w);
    w->k = k;
    w->x = xa;
    w->n_axes = k->n_axes;
    w->cap = max_visit * (2 * k->n_axes + 1) + 1;
    w->n_seen = 1;
    while (w->n_seen < (size_t)w->cap * 2)
        w->n_seen *= 2;
    w->idx = malloc((size_t)w->cap * k->n_axes * sizeof *w->idx);
    w->cost = malloc((size_t)w->cap * sizeof *w->cost);
    w->heap = malloc((size_t)w->cap * sizeof *w->heap);
    w->seen = calloc(w->n_seen, sizeof *w->seen);
    return w->idx && w->cost && w->heap && w->seen ? CB_OK : CB_EFAIL;
}

static void walk_free(walk *w)
{
    free(w->idx);
    free(w->cost);
    free(w->heap);
    free(w->seen);
}

/* The nearest usable accelerator for CNN cnn: 1 and *out, *dist; 0 when the walk found none. */
static int nearest_accel(const cb_skit *k, const double *xa, int64_t cnn, const cb_pairset *asked,
                         int max_visit, cb_pair *out, double *dist)
{
    walk w;
    int found = 0, start[CB_ACCEL_MAX], nb[CB_ACCEL_MAX];
    if (walk_init(&w, k, xa, max_visit)) {
        walk_free(&w);
        return 0;
    }
    for (int a = 0; a < k->n_axes; a++) {
        int n = k->sp->axes[a].n_values;
        double t = xa[a] * (n - 1);
        start[a] = t <= 0 ? 0 : t >= n - 1 ? n - 1 : (int)lround(t);
    }
    add_node(&w, start);
    for (int visits = 0; w.n_heap > 0 && visits < max_visit && !found; visits++) {
        int node = heap_pop(&w);
        const int *idx = w.idx + (size_t)node * k->n_axes;
        cb_skit_make(k, cnn, idx, out);
        if (cb_skit_usable(k, asked, out)) {
            *dist = w.cost[node];
            found = 1;
            break;
        }
        for (int a = 0; a < k->n_axes; a++)
            for (int step = -1; step <= 1; step += 2) {
                int i = idx[a] + step;
                /* away from the start only: every point is still reached, through cheaper ones */
                if (i < 0 || i >= k->sp->axes[a].n_values || abs(i - start[a]) < abs(idx[a] - start[a]))
                    continue;
                memcpy(nb, idx, (size_t)k->n_axes * sizeof *nb);
                nb[a] = i;
                add_node(&w, nb);
            }
    }
    walk_free(&w);
    return found;
}

typedef struct cand {
    double d;
    int64_t i;
} cand;

static int by_distance(const void *a, const void *b)
{
    const cand *p = a, *q = b;
    return p->d < q->d ? -1 : p->d > q->d ? 1 : (p->i > q->i) - (p->i < q->i);
}

/* The CNNs to try, nearest first: all of them, or only hold's (or none, without a CNN side). */
static cand *cnn_order(const cb_skit *k, const double *x, int mode, const cb_pair *hold, int64_t *n)
{
    int64_t count = k->n_cnn > 0 && mode != CB_SNAP_ACCEL ? (k->n_only ? k->n_only : k->n_cnn) : 1;
    cand *c = malloc((size_t)count * sizeof *c);
    if (!c)
        return NULL;
    if (k->n_cnn == 0 || mode == CB_SNAP_ACCEL) {
        c[0].i = k->n_cnn > 0 ? hold->cnn : -1;
        c[0].d = 0;
    } else {
        for (int64_t t = 0; t < count; t++) { /* the allowed CNNs only (a hierarchy level) */
            int64_t i = k->n_only ? k->only[t] : t;
            const float *e = k->sp->cnn_embed + i * k->dim_cnn;
            double d = 0;
            for (int j = 0; j < k->dim_cnn; j++)
                d += (e[j] - x[j]) * (e[j] - x[j]);
            c[t] = (cand){d, i};
        }
        qsort(c, (size_t)count, sizeof *c, by_distance);
    }
    *n = count;
    return c;
}

int cb_skit_nearest(const cb_skit *k, const double *x, int mode, const cb_pair *hold,
                    const cb_pairset *asked, int n_near, int max_visit, cb_pair *out)
{
    int64_t n;
    cand *c = cnn_order(k, x, mode, hold, &n);
    if (!c)
        return 0;
    double best = INFINITY;
    int tried = 0;
    for (int64_t t = 0; t < n && (tried < n_near || !isfinite(best)); t++) {
        if (c[t].d >= best)
            break; /* the accelerator part only adds: nothing further can win */
        cb_pair p;
        double da = 0;
        int ok;
        if (k->n_axes == 0 || mode == CB_SNAP_CNN) {
            cb_skit_make(k, c[t].i, (int[CB_ACCEL_MAX]){0}, &p);
            if (k->n_axes)
                memcpy(p.accel, hold->accel, sizeof p.accel);
            ok = cb_skit_usable(k, asked, &p);
        } else {
            ok = nearest_accel(k, x + k->dim_cnn, c[t].i, asked, max_visit, &p, &da);
        }
        tried++;
        if (ok && c[t].d + da < best) {
            best = c[t].d + da;
            *out = p;
        }
    }
    free(c);
    return isfinite(best);
}
