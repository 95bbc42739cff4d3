/* core/report/report_metrics.c: the cost metrics the Pareto fronts set against accuracy (the
 * four panels of the CODEBench paper's Fig. 11), and the words for a row's status. */
#include "report/report.h"

#include <stddef.h>
#include <string.h>

const cb_report_metric cb_report_fronts[CB_REPORT_N_FRONTS] = {
    {"area", "Chip area", "mm²", 0, offsetof(cb_metrics, area_mm2)},
    {"dyn_energy", "Dynamic energy per batch", "J", 1, offsetof(cb_metrics, dyn_energy_j)},
    {"latency", "Latency per batch", "s", 1, offsetof(cb_metrics, latency_s)},
    /* the store's EDP already sums dynamic and leakage energy, as the paper's Fig. 11(d) does */
    {"edp", "Energy-delay product", "J·s", 1, offsetof(cb_metrics, edp)},
};

double cb_report_metric_of(const cb_report_metric *k, const cb_metrics *m)
{
    double v;
    memcpy(&v, (const char *)m + k->offset, sizeof v);
    return v;
}

const char *cb_report_status_name(int status)
{
    switch (status) {
    case CB_ROW_OK: return "ok";
    case CB_ROW_FAILED: return "failed";
    case CB_ROW_INFEASIBLE: return "infeasible";
    default: return "pending";
    }
}
