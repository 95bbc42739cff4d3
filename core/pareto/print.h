/* core/pareto/print.h: what `codebench pareto` reports: the space and the enumeration's speed,
 * the front (its size, distinct CNNs and configurations, metric ranges), the experiment's top
 * pairs by reward; and the front and the top pairs as CSV files. */
#ifndef CB_CORE_PARETO_PRINT_H
#define CB_CORE_PARETO_PRINT_H

#include "pareto/cells.h"
#include "pareto/rank.h"

#include <stdio.h>

typedef struct cb_pareto_view {
    const cb_enum_result *r;
    const cb_reward *w;
    const cb_axis *axes;
    int n_axes;
    const double *configs;    /* n_configs x n_axes */
    int64_t n_configs;
    const cb_cellset *cells;
    const char *cnn_what;     /* "1000 cells of nb101-1k.json (108-epoch validation accuracy)" */
    const char *accel_name;
    int threads;
    size_t top;               /* rows of the top table */
} cb_pareto_view;

void cb_pareto_print(const cb_pareto_view *v, FILE *out);

/* Writes DIR/front.csv (every front pair, feasible or not, with its reward) and DIR/top.csv
 * (the feasible pairs by reward); creates DIR. CB_EFAIL with why. */
int cb_pareto_csv(const cb_pareto_view *v, const char *dir, char *why, size_t why_len);

#endif
