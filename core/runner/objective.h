/* core/runner/objective.h: the performance of a CNN-accelerator pair (the seeds' Eq. 4) and the
 * constraints a pair must meet.
 *
 *   performance = a (1 - latency/L) + b (1 - area/A) + g (1 - dyn/D) + d (1 - leak/K) + e acc
 *
 * with weights summing to 1 (paper: a..e = 0.2, 0.1, 0.2, 0.2, 0.3) and each cost divided by a
 * normalizer, its maximum over the space. Costs above their normalizer clip at 0 so that the
 * performance stays in [0, 1]. */
#ifndef CB_CORE_OBJECTIVE_H
#define CB_CORE_OBJECTIVE_H

#include <codebench/space.h>
#include <stddef.h>

typedef struct cb_objective {
    double w_latency, w_area, w_dyn, w_leak, w_acc;
    double norm_latency_s, norm_area_mm2, norm_dyn_j, norm_leak_j; /* > 0 */
    /* constraints; a value <= 0 means "none" */
    double max_latency_s, max_area_mm2, max_dyn_j, max_leak_j, min_accuracy;
} cb_objective;

/* The paper's weights, no constraints, normalizers 1. */
void cb_objective_default(cb_objective *o);

double cb_objective_performance(const cb_objective *o, const cb_metrics *m);

/* 1 when m meets every constraint; else 0 and why names the first one broken. */
int cb_objective_feasible(const cb_objective *o, const cb_metrics *m, char *why, size_t why_len);

#endif
