/* core/sim/sweep.h: AccelBench over a whole accelerator space for one CNN (`codebench sweep`).
 *
 * Owns: evaluating every point of an accelerator space (or a uniform sample of it) for one
 * network on several threads, streaming each point's row out as it is computed (memory stays
 * bounded: nothing per point is kept), and the exact Pareto front over (latency, area, dynamic
 * energy, leakage energy), kept incrementally per thread and merged at the end.
 *
 * The space is a cb_accel_space whose memory axis holds 1-based indices into the workers'
 * memory plugin instances (a manifest's accelerator.memory list), not Table 2's type codes:
 * each memory instance defines its technology and configuration (vector memory type 0, as
 * `codebench run` simulates). A point's `index` is its mixed-radix index in that space (axis
 * order of accel_space.h, memory last), the numbering `space` and `run` use.
 *
 * Speed: a layer's result depends on the unrolling (P_ib..P_k), the batch and the memory
 * through everything, but on the three buffer sizes only through (a) a few yes/no capacity
 * decisions (what stays on chip, what loads once; cb_sim_layer_fits) and (b) the buffers'
 * energy per access, which prices a traffic count linearly. So points are visited in "sweep
 * order" (P_ib, P_if, P_ix, P_iy, P_of, P_k, batch, memory, then activation, weight and mask
 * buffer, most significant first): the points of one group (same unrolling, batch and memory)
 * share each layer's simulation among all buffer sizes that make the same decisions, and
 * identical layers of the network share it too. The totals are then added up per point by the
 * same code as cb_simulate, so every point's figures equal cb_simulate's bit for bit.
 */
#ifndef CB_CORE_SIM_SWEEP_H
#define CB_CORE_SIM_SWEEP_H

#include "report/pareto.h"
#include "sim/accel_space.h"
#include "sim/sim.h"

#include <stdio.h>

#define CB_SWEEP_MAX_MACS 8
#define CB_SWEEP_MAX_MEMS CB_SPACE_MAX_VALUES
#define CB_SWEEP_DIMS 4 /* latency s, area mm^2, dynamic energy J, leakage energy J */

/* One worker's plugin instances (the memory model keeps state, so every worker has its own):
 * MAC plugins (each point takes the one whose lane has P_if multipliers) and the memories
 * (memory axis value k takes mem[k - 1]). */
typedef struct cb_sweep_parts {
    int n_mac, n_mem;
    const cb_mac_vt *mac[CB_SWEEP_MAX_MACS];
    void *mac_self[CB_SWEEP_MAX_MACS];
    const cb_memory_vt *mem[CB_SWEEP_MAX_MEMS];
    void *mem_self[CB_SWEEP_MAX_MEMS];
    void *owner; /* for the caller's free_parts */
} cb_sweep_parts;

typedef struct cb_sweep_point {
    uint64_t order; /* position in sweep order */
    uint64_t index; /* index in the space (memory last) */
    cb_accel_vec v; /* memory type 0: memory instance `mem` defines it */
    int mem;        /* 0-based memory instance */
    cb_sim_report r; /* totals; r.layers is NULL */
} cb_sweep_point;

typedef struct cb_sweep_progress {
    uint64_t done, total;
    uint64_t layer_sims; /* layers simulated so far (the rest were reused) */
    size_t front;        /* points on the workers' fronts (before merging) */
    double seconds;
} cb_sweep_progress;

typedef struct cb_sweep_opts {
    int threads;        /* >= 1 */
    uint64_t sample;    /* 0, or >= the point count: every point; else a uniform sample of this
                         * many distinct points (drawn in sweep order, Vitter's method A) */
    uint64_t seed;
    cb_sim_opts sim;
    int direct;         /* 1: cb_simulate per point (with its own layer cache) instead of the
                         * per-group reuse: the reference for tests and benchmarks */
    /* the workers' plugin instances: called once per worker (from the calling thread) */
    int (*make_parts)(void *ctx, cb_sweep_parts *p, char *why, size_t why_len);
    void (*free_parts)(void *ctx, cb_sweep_parts *p);
    void *parts_ctx;
    FILE *csv;          /* a row per point (cb_sweep_csv_header's columns), in sweep order; or NULL */
    /* every point, from the worker threads as they are computed (NULL: none) */
    void (*each)(void *ctx, const cb_sweep_point *p);
    void *each_ctx;
    /* from the calling thread every progress_s seconds while the workers run (NULL: none) */
    void (*progress)(void *ctx, const cb_sweep_progress *p);
    void *progress_ctx;
    double progress_s;
} cb_sweep_opts;

typedef struct cb_sweep_result {
    cb_front front;      /* CB_SWEEP_DIMS objectives; ids are sweep orders; every point that no
                          * other point dominates (equal points all kept) */
    uint64_t points;     /* evaluated */
    uint64_t layer_sims; /* layer simulations run (points x layers without any reuse) */
    double seconds;
} cb_sweep_result;

/* Points in the space. */
uint64_t cb_sweep_count(const cb_accel_space *s);

/* The point at position `order` of sweep order: its vector, memory instance and space index. */
void cb_sweep_at(const cb_accel_space *s, uint64_t order, cb_accel_vec *v, int *mem, uint64_t *index);

/* Sweeps net over s. CB_EINVAL with why for a space the parts cannot build (a P_if no MAC
 * plugin has, a memory index without an instance, a bad vector) or bad options; CB_EFAIL when
 * a plugin fails or the CSV cannot be written. Free r with cb_sweep_result_free (also after a
 * failure). */
int cb_sweep_run(const cb_sim_net *net, const cb_accel_space *s, const cb_sweep_opts *o,
                 cb_sweep_result *r, char *why, size_t why_len);
void cb_sweep_result_free(cb_sweep_result *r);

/* The CSV columns, and one point's row (both end with a newline). */
void cb_sweep_csv_header(FILE *f);
int cb_sweep_csv_row(const cb_sweep_point *p, char *buf, size_t len);

#endif
