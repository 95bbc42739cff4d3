/* core/sim/accel_nearest.c: the valid point of an accelerator space nearest to a target
 * (cb_accel_space_nearest, see accel_space.h).
 *
 * The distance is a sum of per-axis costs, so points can be visited in increasing distance
 * without scanning the space: sort each axis's values by cost, and walk the combinations of
 * per-axis ranks best-first with a heap. A combination's successors raise one rank at or after
 * its last raised axis, which reaches every combination exactly once and never goes down in
 * cost; so the first point the constraint accepts is the nearest one. */
#include "sim/accel_space.h"
#include "util/util.h"

#include <codebench/plugin.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct cand {
    double cost;
    unsigned char rank[CB_SPACE_AXES];
    unsigned char pivot; /* the last axis whose rank was raised */
} cand;

typedef struct heap {
    cand *a;
    size_t n, cap;
} heap;

static void heap_push(heap *h, cand c)
{
    cb_grow(&h->a, sizeof *h->a, h->n + 1, &h->cap);
    size_t i = h->n++;
    while (i > 0 && h->a[(i - 1) / 2].cost > c.cost) {
        h->a[i] = h->a[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h->a[i] = c;
}

static cand heap_pop(heap *h)
{
    cand top = h->a[0], last = h->a[--h->n];
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, m = l + 1, best = i;
        double bc = last.cost;
        if (l < h->n && h->a[l].cost < bc)
            best = l, bc = h->a[l].cost;
        if (m < h->n && h->a[m].cost < bc)
            best = m;
        if (best == i)
            break;
        h->a[i] = h->a[best];
        i = best;
    }
    if (h->n)
        h->a[i] = last;
    return top;
}

/* Per axis: value positions sorted by cost, and those costs. */
typedef struct order {
    int pos[CB_SPACE_AXES][CB_SPACE_MAX_VALUES];
    double cost[CB_SPACE_AXES][CB_SPACE_MAX_VALUES];
} order;

static double axis_cost(const cb_accel_space *s, int a, double value, const double *t)
{
    if (a == CB_AX_MEM) {
        int type = (int)value / 100, config = (int)value % 100;
        if (type != (int)lround(t[11]))
            return 1.0;
        return config == (int)lround(t[12]) ? 0.0 : 0.5;
    }
    static const int FROM[CB_SPACE_AXES] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 11};
    double target = a == CB_AX_K ? (t[5] + t[6]) / 2 : t[FROM[a]];
    double span = s->v[a][s->n[a] - 1] - s->v[a][0];
    return span > 0 ? fabs(value - target) / span : 0.0;
}

static void sort_axes(const cb_accel_space *s, const double *t, order *o)
{
    for (int a = 0; a < CB_SPACE_AXES; a++) {
        int n = s->n[a];
        for (int i = 0; i < n; i++) { /* insertion sort: at most 16 values */
            double c = axis_cost(s, a, s->v[a][i], t);
            int j = i;
            for (; j > 0 && o->cost[a][j - 1] > c; j--) {
                o->cost[a][j] = o->cost[a][j - 1];
                o->pos[a][j] = o->pos[a][j - 1];
            }
            o->cost[a][j] = c;
            o->pos[a][j] = i;
        }
    }
}

static void vec_at(const cb_accel_space *s, const order *o, const cand *c, cb_accel_vec *v)
{
    uint64_t index = 0;
    for (int a = 0; a < CB_SPACE_AXES; a++)
        index = index * (uint64_t)s->n[a] + (uint64_t)o->pos[a][c->rank[a]];
    cb_accel_space_at(s, index, v);
}

static void push_successors(heap *h, const cb_accel_space *s, const order *o, const cand *c)
{
    for (int a = c->pivot; a < CB_SPACE_AXES; a++) {
        if (c->rank[a] + 1 >= s->n[a])
            continue;
        cand next = *c;
        next.rank[a]++;
        next.pivot = (unsigned char)a;
        next.cost += o->cost[a][next.rank[a]] - o->cost[a][c->rank[a]];
        heap_push(h, next);
    }
}

int cb_accel_space_nearest(const cb_accel_space *s, const double target[CB_ACCEL_DIM],
                           cb_space_ok ok, void *ctx, long max_tries, cb_accel_vec *out,
                           char *why, size_t why_len)
{
    order o;
    sort_axes(s, target, &o);
    heap h = {0};
    cand start = {0};
    for (int a = 0; a < CB_SPACE_AXES; a++)
        start.cost += o.cost[a][0];
    heap_push(&h, start);
    int rc = CB_EFAIL;
    long tries = 0;
    for (; h.n > 0 && tries < max_tries; tries++) {
        cand c = heap_pop(&h);
        vec_at(s, &o, &c, out);
        if (!ok || ok(ctx, out)) {
            rc = CB_OK;
            break;
        }
        push_successors(&h, s, &o, &c);
    }
    free(h.a);
    if (rc != CB_OK && tries < max_tries)
        snprintf(why, why_len, "none of the space's %ld points meets the constraint", tries);
    else if (rc != CB_OK)
        snprintf(why, why_len, "none of the %ld points nearest to the target meets the constraint",
                 max_tries);
    return rc;
}
