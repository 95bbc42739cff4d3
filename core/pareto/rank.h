/* core/pareto/rank.h: an experiment's view of a Pareto front: the pairs that meet its
 * constraints, ranked by its reward (Codesign-NAS Eq. 3 and 4):
 *
 *   R = w_area N(-area) + w_lat N(-latency) + w_acc N(accuracy)
 *
 * where N maps a metric's range over the whole enumerated space linearly onto [0, 1]. The
 * best pairs for a reward with non-negative weights are Pareto-optimal, and a pair that meets
 * the constraints (bounds on the metrics themselves) can only be dominated by one that meets
 * them too, so ranking the front's feasible pairs finds the experiment's top pairs of the
 * whole space, as Fig. 5 of the paper plots them. */
#ifndef CB_CORE_PARETO_RANK_H
#define CB_CORE_PARETO_RANK_H

#include "pareto/enum.h"

typedef struct cb_reward {
    double w_area, w_lat, w_acc;
    double max_lat_s, max_area_mm2, min_acc; /* constraints, inclusive; INFINITY / 0: none */
} cb_reward;

/* A front point's metrics (accuracy NAN when the enumeration had none). */
typedef struct cb_pair_metrics {
    int64_t cnn, config;
    double accuracy, latency_s, area_mm2;
} cb_pair_metrics;

cb_pair_metrics cb_front_point(const cb_enum_result *r, size_t i, int64_t n_configs);

int cb_pair_feasible(const cb_reward *w, const cb_pair_metrics *m);
double cb_pair_reward(const cb_enum_result *r, const cb_reward *w, const cb_pair_metrics *m);

typedef struct cb_ranked {
    size_t index;             /* into r->front */
    double reward;
} cb_ranked;

/* The feasible front points by falling reward (ties: by index) into out (capacity
 * r->front.n); returns how many. */
size_t cb_rank_front(const cb_enum_result *r, const cb_reward *w, int64_t n_configs, cb_ranked *out);

#endif
