/* core/runner/objective.c: see objective.h. */
#include "runner/objective.h"

#include <stdio.h>

void cb_objective_default(cb_objective *o)
{
    *o = (cb_objective){
        .w_latency = 0.2, .w_area = 0.1, .w_dyn = 0.2, .w_leak = 0.2, .w_acc = 0.3,
        .norm_latency_s = 1, .norm_area_mm2 = 1, .norm_dyn_j = 1, .norm_leak_j = 1,
    };
}

static double saving(double cost, double norm)
{
    double r = norm > 0 ? cost / norm : 1.0;
    return r >= 1.0 ? 0.0 : r <= 0.0 ? 1.0 : 1.0 - r;
}

double cb_objective_performance(const cb_objective *o, const cb_metrics *m)
{
    return o->w_latency * saving(m->latency_s, o->norm_latency_s) +
           o->w_area * saving(m->area_mm2, o->norm_area_mm2) +
           o->w_dyn * saving(m->dyn_energy_j, o->norm_dyn_j) +
           o->w_leak * saving(m->leak_energy_j, o->norm_leak_j) + o->w_acc * m->accuracy;
}

int cb_objective_feasible(const cb_objective *o, const cb_metrics *m, char *why, size_t why_len)
{
    if (o->max_latency_s > 0 && m->latency_s > o->max_latency_s) {
        snprintf(why, why_len, "latency %.4g ms > %.4g ms", m->latency_s * 1e3, o->max_latency_s * 1e3);
        return 0;
    }
    if (o->max_area_mm2 > 0 && m->area_mm2 > o->max_area_mm2) {
        snprintf(why, why_len, "area %.4g mm^2 > %.4g mm^2", m->area_mm2, o->max_area_mm2);
        return 0;
    }
    if (o->max_dyn_j > 0 && m->dyn_energy_j > o->max_dyn_j) {
        snprintf(why, why_len, "dynamic energy %.4g mJ > %.4g mJ", m->dyn_energy_j * 1e3, o->max_dyn_j * 1e3);
        return 0;
    }
    if (o->max_leak_j > 0 && m->leak_energy_j > o->max_leak_j) {
        snprintf(why, why_len, "leakage energy %.4g mJ > %.4g mJ", m->leak_energy_j * 1e3, o->max_leak_j * 1e3);
        return 0;
    }
    if (o->min_accuracy > 0 && m->accuracy < o->min_accuracy) {
        snprintf(why, why_len, "accuracy %.4g < %.4g", m->accuracy, o->min_accuracy);
        return 0;
    }
    return 1;
}
