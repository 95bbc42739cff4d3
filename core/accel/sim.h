/* core/accel/sim.h: AccelBench, the cycle-level simulator of a systolic ASIC accelerator.
 *
 * Owns: mapping a CNN (a cb_graph, each vertex's workload from its op plugin) onto an
 * accelerator configuration (the PE array P_ib x P_ix x P_iy, P_of x P_k x P_k MAC lanes per PE,
 * P_if multipliers per lane from the MAC plugin, batch, on-chip buffers, a main-memory plugin
 * instance) and returning per layer and in total: cycles (compute, memory stalls), latency,
 * area, dynamic and leakage energy, throughput and EDP.
 *
 * The model (docs/accelbench.md): output-stationary dataflow; each convolution or dense layer
 * is cut into tiles (batch 4 x output 16 x 16 x all output channels of a tile pass); every tile's
 * input and weight data are fetched through the memory plugin's access() unless resident in
 * the activation or weight buffer; loads are double-buffered, so a tile computes while the next
 * one loads, and the array stalls when memory is slower. Binary-mask sparsity skips zero
 * operands: compute scales by the activation and weight densities and so does traffic (plus
 * the masks). Data are 20-bit fixed point (IL = 4, FL = 16). Module areas and powers are the
 * seeds' 14 nm synthesis figures at 700 MHz (codebench-reference section 2.3-2.4).
 */
#ifndef CB_CORE_SIM_H
#define CB_CORE_SIM_H

#include <codebench/codebench.h>

typedef struct cb_accel_cfg {
    int p_ib, p_if, p_ix, p_iy, p_of, p_kx, p_ky;
    int batch;
    double act_mb, wgt_mb, mask_mb;
} cb_accel_cfg;

typedef struct cb_sim_hw {
    const cb_mac_vt *mac;
    void *mac_self;
    const cb_memory_vt *mem;
    void *mem_self;
    double act_density, wgt_density; /* fraction of non-zero operands (seeds: 0.5 and 0.5) */
} cb_sim_hw;

typedef struct cb_sim_layer {
    char name[64], op[32];
    double cycles, compute_cycles, stall_cycles;
    double dyn_j;
    uint64_t macs;
} cb_sim_layer;

typedef struct cb_sim_result {
    double cycles, compute_cycles, stall_cycles;
    double latency_s, area_mm2, dyn_energy_j, leak_energy_j, throughput_fps, edp;
    double clock_mhz;
    double mem_bytes;
    int n_layers;
    cb_sim_layer *layers; /* n_layers, malloc'd; free with cb_sim_result_free */
} cb_sim_result;

/* Checks cfg against the seeds' ranges (P_kx == P_ky among them); why says which value. */
int cb_accel_cfg_check(const cb_accel_cfg *c, char *why, size_t why_len);

/* Simulates one batch of g on cfg. Returns CB_OK, or CB_EINVAL/CB_EFAIL with why filled. */
int cb_sim_run(const cb_graph *g, const cb_accel_cfg *cfg, const cb_sim_hw *hw, cb_sim_result *r,
               char *why, size_t why_len);
void cb_sim_result_free(cb_sim_result *r);

#endif
