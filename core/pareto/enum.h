/* core/pareto/enum.h: exhaustive enumeration of a CNN space x an accelerator family's
 * configurations, and the exact Pareto front of the pairs.
 *
 * Owns: the enumeration loop. CNNs come in chunks (graphs built by a source, prepared by the
 * accel plugin, then forgotten: memory never grows with the number of pairs); configurations
 * go in blocks of CB_ACCEL_BLOCK to the plugin's table, and the threads of the core's pool
 * take blocks as they free up. Each thread keeps its own streaming front (report/pareto.h)
 * and ranges; the fronts are merged at the end.
 *
 * Objectives, all minimized: (-accuracy, latency, area) when the source has accuracies, else
 * (latency, area). Exactness with little work per pair: within one configuration every pair
 * has the same area, so a pair can only be Pareto-optimal if no pair of that configuration
 * with at least its accuracy is faster. Each configuration's CNNs are swept in order of
 * falling accuracy keeping the running minimum latency, and only pairs at or below it are
 * offered to the front, which then decides dominance exactly (ties included: equal points
 * are all kept, as cb_pareto_front keeps them).
 *
 * A plugin without the fast path (cb_accel_vt.prepare) is enumerated through evaluate(), one
 * pair at a time on one thread. */
#ifndef CB_CORE_PARETO_ENUM_H
#define CB_CORE_PARETO_ENUM_H

#include "report/pareto.h"

#include <codebench/codebench.h>

/* The CNN side: n CNNs, the graph of each on demand, and optionally their accuracies. */
typedef struct cb_cnn_source {
    int64_t n;
    const double *accuracy;   /* n values in [0, 1], or NULL: latency only */
    /* CNN i's graph, valid until the next call; NULL with why filled on failure */
    const cb_graph *(*graph)(void *ctx, int64_t i, char *why, size_t why_len);
    void *ctx;
} cb_cnn_source;

/* The accelerator side: a live accel plugin instance and the configurations to pair. */
typedef struct cb_config_set {
    const cb_accel_vt *vt;
    void *self;
    int n_axes;
    int64_t n;                /* configurations */
    const double *values;     /* n x n_axes, row-major */
} cb_config_set;

typedef struct cb_enum_opts {
    int threads;              /* >= 1 */
    int64_t chunk;            /* CNNs prepared at a time (0: a default) */
    int progress;             /* 1: a progress line per chunk on stderr */
    int evaluate;             /* 1: evaluate() per pair even where the plugin has the fast path */
} cb_enum_opts;

enum { CB_OBJ_ACC, CB_OBJ_LAT, CB_OBJ_AREA, CB_N_OBJ };

typedef struct cb_enum_result {
    int dims;                 /* 3: (-accuracy, latency, area); 2: (latency, area) */
    cb_front front;           /* ids: cnn * configs.n + config */
    double min[CB_N_OBJ], max[CB_N_OBJ]; /* over every valid pair (accuracy as is) */
    uint64_t pairs;           /* CNN x configuration pairs evaluated */
    uint64_t invalid;         /* of which the configuration could not run the CNN */
    uint64_t offered;         /* pairs that reached the front's dominance test */
    double seconds;           /* wall time of the whole enumeration */
    double prepare_seconds;   /* of which building and preparing CNNs (one thread) */
    int fast;                 /* 1: the plugin's fast path was used */
} cb_enum_result;

/* Enumerates every pair; CB_OK, CB_EINVAL/CB_EFAIL with why, or CB_ECANCEL when the user asked
 * to stop. r->front is valid on CB_OK; free r with cb_enum_result_free. */
int cb_enumerate(const cb_cnn_source *src, const cb_config_set *cs, const cb_enum_opts *o,
                 cb_enum_result *r, char *why, size_t why_len);
void cb_enum_result_free(cb_enum_result *r);

/* Every configuration of the axes (values ascending), the first axis varying fastest: n x
 * n_axes values, malloc'd; *n gets the count. */
double *cb_configs_all(const cb_axis *axes, int n_axes, int64_t *n);

/* The offering rule on its own (for tests): the pairs of one configuration with the CNNs
 * first .. first + n - 1, whose accuracies (NULL: none) and latencies are acc[j] and
 * lat[j * stride] for local index j; order lists the local indices by falling accuracy (any
 * order without accuracies). Offers the candidates to f; returns how many it offered. NaN
 * latencies (invalid pairs) are skipped. */
uint64_t cb_offer_config(cb_front *f, const double *acc, const int64_t *order, const double *lat,
                         size_t stride, int64_t n, int64_t first, double area, int64_t config,
                         int64_t n_configs);

#endif
