/* core/report/export_cols.c: the numeric columns every export format shares, so CSV and JSON
 * name and order them alike. */
#include "report/export.h"

#include <stddef.h>
#include <string.h>

const cb_export_col cb_export_cols[] = {
    {"accuracy", offsetof(cb_eval_row, m.accuracy)},
    {"acc_std", offsetof(cb_eval_row, m.acc_std)},
    {"latency_s", offsetof(cb_eval_row, m.latency_s)},
    {"area_mm2", offsetof(cb_eval_row, m.area_mm2)},
    {"dyn_energy_j", offsetof(cb_eval_row, m.dyn_energy_j)},
    {"leak_energy_j", offsetof(cb_eval_row, m.leak_energy_j)},
    {"throughput_fps", offsetof(cb_eval_row, m.throughput_fps)},
    {"edp", offsetof(cb_eval_row, m.edp)},
    {"performance", offsetof(cb_eval_row, m.performance)},
    {"train_s", offsetof(cb_eval_row, train_s)},
    {"sim_s", offsetof(cb_eval_row, sim_s)},
};
const size_t cb_export_n_cols = sizeof cb_export_cols / sizeof cb_export_cols[0];

double cb_export_value(const cb_export_col *c, const cb_eval_row *r)
{
    double v;
    memcpy(&v, (const char *)r + c->offset, sizeof v);
    return v;
}
