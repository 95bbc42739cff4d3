/* core/report/pareto.c: see pareto.h. */
#include "report/pareto.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

int cb_dominates(const double *a, const double *b, int dims)
{
    int better = 0;
    for (int d = 0; d < dims; d++) {
        if (a[d] > b[d])
            return 0;
        if (a[d] < b[d])
            better = 1;
    }
    return better;
}

static const double *sort_pts;
static int sort_dims;

static int by_objectives(const void *x, const void *y)
{
    const double *a = sort_pts + *(const size_t *)x * (size_t)sort_dims;
    const double *b = sort_pts + *(const size_t *)y * (size_t)sort_dims;
    for (int d = 0; d < sort_dims; d++)
        if (a[d] != b[d])
            return a[d] < b[d] ? -1 : 1;
    return 0;
}

/* Sort by the objectives lexicographically; a point can only be dominated by one before it,
 * so each point is checked against the front built so far. */
size_t cb_pareto_front(const double *pts, size_t n, int dims, size_t *out)
{
    size_t *order = cb_xmalloc(n * sizeof *order);
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    sort_pts = pts;
    sort_dims = dims;
    qsort(order, n, sizeof *order, by_objectives);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const double *p = pts + order[i] * (size_t)dims;
        int dominated = 0;
        for (size_t j = 0; j < k && !dominated; j++)
            dominated = cb_dominates(pts + out[j] * (size_t)dims, p, dims);
        if (!dominated)
            out[k++] = order[i];
    }
    free(order);
    return k;
}

void cb_front_init(cb_front *f, int dims)
{
    memset(f, 0, sizeof *f);
    f->dims = dims;
}

void cb_front_free(cb_front *f)
{
    free(f->pts);
    free(f->ids);
    memset(f, 0, sizeof *f);
}

int cb_front_add(cb_front *f, const double *pt, int64_t id)
{
    int dims = f->dims;
    for (size_t j = 0; j < f->n; j++)
        if (cb_dominates(f->pts + j * (size_t)dims, pt, dims))
            return 0;
    size_t k = 0;
    for (size_t j = 0; j < f->n; j++) {
        const double *q = f->pts + j * (size_t)dims;
        if (cb_dominates(pt, q, dims))
            continue;
        if (k != j) {
            memmove(f->pts + k * (size_t)dims, q, (size_t)dims * sizeof *q);
            f->ids[k] = f->ids[j];
        }
        k++;
    }
    f->n = k;
    size_t cap_ids = f->cap;
    cb_grow(&f->pts, (size_t)dims * sizeof *f->pts, f->n + 1, &f->cap);
    cb_grow(&f->ids, sizeof *f->ids, f->n + 1, &cap_ids);
    memcpy(f->pts + f->n * (size_t)dims, pt, (size_t)dims * sizeof *pt);
    f->ids[f->n++] = id;
    return 1;
}

void cb_front_merge(cb_front *f, const cb_front *other)
{
    for (size_t j = 0; j < other->n; j++)
        cb_front_add(f, other->pts + j * (size_t)other->dims, other->ids[j]);
}
