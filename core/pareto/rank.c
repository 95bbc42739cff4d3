/* core/pareto/rank.c: constraints and reward over a front (see rank.h). */
#include "pareto/rank.h"

#include <math.h>
#include <stdlib.h>

cb_pair_metrics cb_front_point(const cb_enum_result *r, size_t i, int64_t n_configs)
{
    const double *p = r->front.pts + i * (size_t)r->dims;
    int64_t id = r->front.ids[i];
    cb_pair_metrics m = {id / n_configs, id % n_configs, NAN, 0, 0};
    int d = 0;
    if (r->dims == 3)
        m.accuracy = -p[d++];
    m.latency_s = p[d++];
    m.area_mm2 = p[d];
    return m;
}

int cb_pair_feasible(const cb_reward *w, const cb_pair_metrics *m)
{
    return m->latency_s <= w->max_lat_s && m->area_mm2 <= w->max_area_mm2 &&
           (isnan(m->accuracy) ? w->min_acc <= 0 : m->accuracy >= w->min_acc);
}

/* x's place in [lo, hi], 1 at `best` (lo or hi); 1 when the range is a single value */
static double norm(double x, double lo, double hi, int higher_is_better)
{
    if (!(hi > lo))
        return 1;
    return higher_is_better ? (x - lo) / (hi - lo) : (hi - x) / (hi - lo);
}

double cb_pair_reward(const cb_enum_result *r, const cb_reward *w, const cb_pair_metrics *m)
{
    double reward = w->w_lat * norm(m->latency_s, r->min[CB_OBJ_LAT], r->max[CB_OBJ_LAT], 0) +
                    w->w_area * norm(m->area_mm2, r->min[CB_OBJ_AREA], r->max[CB_OBJ_AREA], 0);
    if (!isnan(m->accuracy))
        reward += w->w_acc * norm(m->accuracy, r->min[CB_OBJ_ACC], r->max[CB_OBJ_ACC], 1);
    return reward;
}

static int by_reward(const void *a, const void *b)
{
    const cb_ranked *x = a, *y = b;
    if (x->reward != y->reward)
        return x->reward > y->reward ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

size_t cb_rank_front(const cb_enum_result *r, const cb_reward *w, int64_t n_configs, cb_ranked *out)
{
    size_t k = 0;
    for (size_t i = 0; i < r->front.n; i++) {
        cb_pair_metrics m = cb_front_point(r, i, n_configs);
        if (cb_pair_feasible(w, &m))
            out[k++] = (cb_ranked){i, cb_pair_reward(r, w, &m)};
    }
    qsort(out, k, sizeof *out, by_reward);
    return k;
}
