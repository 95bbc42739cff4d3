/* tests/unit/fpga_util.h: what the fpga_* and pareto_* tests share: the plugins of the build
 * tree, a live instance of the CHaiDNN-like accelerator plugin, the NAS-Bench-101 skeleton and
 * table, every configuration of the family, and tiny hand-made graphs. */
#ifndef FPGA_UTIL_H
#define FPGA_UTIL_H

#include "pareto/cells.h"
#include "plugin/registry.h"

#include <codebench/codebench.h>

cb_registry *fu_registry(void);

typedef struct fu_accel {
    const cb_accel_vt *vt;
    void *self;
    cb_host *host;
} fu_accel;

/* A chaidnn instance: its defaults, with `overrides` ("name=value" pairs, NULL-terminated or
 * NULL) parsed against its schema. */
fu_accel fu_accel_new(const char *const *overrides);
void fu_accel_free(fu_accel *a);

/* Every configuration of the family (first axis fastest); *n gets the count, *n_axes the axes. */
const double *fu_configs(int64_t *n, int *n_axes, const cb_axis **axes);
/* The index of the axis called name. */
int fu_axis(const char *name);

const cb_skeleton *fu_skeleton(void);
/* The table's cells, built on the skeleton (shared; graphs are handed out one at a time). */
cb_cellset *fu_cells(void);
const cb_graph *fu_cell_graph(int64_t i);

/* A small graph on a 3 x 32 x 32 input: node k is op ops[k] with attribute overrides attrs[k]
 * ("kernel=1,out_channels=64" or ""), inputs ins[k] (-1: the network input), up to 8 nodes. */
typedef struct fu_node {
    const char *op, *attrs;
    int n_in, in[4];
} fu_node;
const cb_graph *fu_graph(const fu_node *nodes, int n);

/* Latency (s) and area of g on configuration config through evaluate(). */
double fu_latency(fu_accel *a, const cb_graph *g, const double *config, double *area);

#endif
