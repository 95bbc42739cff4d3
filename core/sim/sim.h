/* core/sim/sim.h: AccelBench, the simulator of a CNN on a systolic ASIC accelerator.
 *
 * Owns: the public interface of core/sim. A CNN arrives as a list of layers (each an op's
 * cb_workload at batch 1 plus its producers; cb_sim_net_from_graph builds it from a cb_graph),
 * an accelerator as a 13-element vector (accel_vec.h), and its MAC-lane and main-memory models
 * as plugin vtables with their instances (the simulator never names a plugin). cb_simulate
 * returns, per layer and in total, cycles (compute, memory stalls, buffer reloads, pipeline
 * fill), latency at the MAC plugin's clock, area by part, dynamic and leakage energy,
 * throughput and energy-delay product.
 *
 * The model (docs/accelbench.md): output-stationary dataflow with the seeds' tiling; each tile
 * of work computes in prod ceil(T_d / P_d) cycles scaled by the operand densities (binary-mask
 * sparsity); tile loads and output stores go through the memory plugin's access() on a
 * double-buffered timeline (the next tile loads while this one computes; the array stalls
 * when memory is slower); data are 20-bit fixed point (IL = 4, FL = 16) plus one mask bit per
 * element; module areas and powers are the seeds' 14 nm synthesis figures.
 *
 * A cb_simulator keeps a cache of per-layer results keyed by the layer's workload and every
 * accelerator and plugin parameter that can change it, so a search that evaluates many
 * accelerators (or many CNNs sharing layers) pays for each distinct layer once. One
 * cb_simulator serves one thread at a time.
 */
#ifndef CB_CORE_SIM_SIM_H
#define CB_CORE_SIM_SIM_H

#include "sim/accel_vec.h"

#include <codebench/codebench.h>

/* One layer as the simulator sees it. */
typedef struct cb_sim_layer_in {
    char name[48], op[32];
    cb_workload w;   /* the op's workload for one image */
    int32_t n_in;
    int32_t in[8];   /* producing layers (earlier indices) or CB_NET_INPUT */
    uint64_t macs;   /* per image, from the op's count() */
} cb_sim_layer_in;

typedef struct cb_sim_net {
    int32_t n;
    cb_sim_layer_in *layers;
} cb_sim_net;

/* Builds the layer list of g through its ops' workload() and count(). CB_EINVAL with why
 * naming the layer when an op refuses. Free with cb_sim_net_free. */
int cb_sim_net_from_graph(const cb_graph *g, cb_sim_net *out, char *why, size_t why_len);
void cb_sim_net_free(cb_sim_net *net);

/* The plugin instances an accelerator is built from. */
typedef struct cb_sim_parts {
    const cb_mac_vt *mac;    /* the MAC lane: must have P_if multipliers */
    void *mac_self;
    const cb_memory_vt *mem; /* main memory: one configuration, matching the vector's */
    void *mem_self;
} cb_sim_parts;

typedef struct cb_sim_opts {
    double act_density, wgt_density; /* fraction of non-zero operands; the seeds: 0.5 and 0.5 */
} cb_sim_opts;

#define CB_SIM_OPTS_DEFAULT ((cb_sim_opts){0.5, 0.5})

/* Area parts, in the order of cb_sim_report.area_by. */
enum {
    CB_AREA_LANES,     /* MAC lanes (the MAC plugin) */
    CB_AREA_PE,        /* per-PE dataflow control and DMA */
    CB_AREA_FIFO,      /* activation and weight FIFOs */
    CB_AREA_IM2COL,
    CB_AREA_SPARSITY,  /* pre- and post-process sparsity modules */
    CB_AREA_AUX,       /* batch-norm, pooling and upsampling modules */
    CB_AREA_BUFFERS,   /* activation, weight and mask buffers */
    CB_AREA_MEMORY,    /* main memory's share of the die (controller, PHY): the memory plugin */
    CB_AREA_PARTS
};
const char *cb_sim_area_part(int part);

typedef struct cb_sim_layer_out {
    double cycles;         /* this layer's share of the total (after overlap with the previous) */
    double compute_cycles; /* the array busy */
    double stall_cycles;   /* waiting for memory, including reloads */
    double reload_cycles;  /* the stalls' share (by bytes) spent re-fetching what did not fit a buffer */
    double fill_cycles;    /* MAC pipeline fill */
    double pass_cycles;    /* batch-norm, pooling, upsampling, element-wise modules */
    double latency_s;      /* cycles at the clock */
    double dyn_energy_j;
    double leak_energy_j;  /* the chip's leakage over this layer's latency */
    double mem_bytes;      /* main-memory traffic, reads and writes */
    uint64_t row_hits, row_misses;
} cb_sim_layer_out;

typedef struct cb_sim_report {
    double cycles, compute_cycles, stall_cycles, reload_cycles, fill_cycles, pass_cycles;
    double clock_mhz, latency_s;   /* one batch */
    double area_mm2, area_by[CB_AREA_PARTS];
    double dyn_energy_j, leak_energy_j;
    double dyn_compute_j, dyn_memory_j, dyn_buffer_j, dyn_dma_j; /* parts of dyn_energy_j */
    double throughput_fps;         /* images per second */
    double edp;                    /* (dynamic + leakage energy) x latency, J s */
    double mem_bytes;
    uint64_t row_hits, row_misses;
    uint64_t cache_hits, cache_misses; /* layers reused from / added to the cache */
    int32_t n_layers;
    cb_sim_layer_out *layers; /* n_layers, in the net's order; free with cb_sim_report_free */
} cb_sim_report;

typedef struct cb_simulator cb_simulator;

cb_simulator *cb_simulator_new(void);
void cb_simulator_free(cb_simulator *s);
void cb_simulator_clear(cb_simulator *s); /* forget cached layers (e.g. after freeing a plugin) */

/* Simulates one batch of net on accelerator v built from parts. opts NULL: the defaults.
 * CB_EINVAL with why for a bad vector or parts that do not match it (P_if multipliers, the
 * memory's [banks, ranks, channels]), CB_EFAIL when a plugin fails. */
int cb_simulate(cb_simulator *s, const cb_sim_net *net, const cb_accel_vec *v,
                const cb_sim_parts *parts, const cb_sim_opts *opts, cb_sim_report *r, char *why,
                size_t why_len);
void cb_sim_report_free(cb_sim_report *r);

#endif
