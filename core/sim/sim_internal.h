/* core/sim/sim_internal.h: what the simulator's files share and nothing outside core/sim sees:
 * the data format and tiling constants, the chip's derived figures (sim_chip.c), one
 * simulation's context, a unit of tiled work, the per-layer result the cache stores, and the
 * functions that pass them along. Every constant's source is in docs/accelbench.md. */
#ifndef CB_CORE_SIM_INTERNAL_H
#define CB_CORE_SIM_INTERNAL_H

#include "sim/sim.h"

#include <stdbool.h>

/* Data format (paper section 3.2.2, reference 2.2): stochastic-rounding fixed point with
 * IL = 4 integer and FL = 16 fraction bits; the binary-mask scheme adds one bit per element. */
#define CB_SIM_IL 4
#define CB_SIM_FL 16
#define CB_SIM_DATA_BITS (CB_SIM_IL + CB_SIM_FL)

/* Tiles (reference 2.2 and 2.6: Tib = 4, Tix = Tiy = Tif = 64). The seeds tiled output
 * channels by Tib (4); here they get their own 64 so that P_of = 8 lanes are not left idle. */
#define CB_TILE_B 4
#define CB_TILE_X 64
#define CB_TILE_Y 64
#define CB_TILE_IF 64
#define CB_TILE_OF 64

#define CB_BUF_BLOCK 64.0 /* bytes per buffer access: the FinCACTI reports' block (reference 2.4) */

/* The accelerator's figures derived once per simulation from the vector and the plugins. */
typedef struct sim_chip {
    double pe, lanes, mult;       /* #PEs, MAC lanes per PE, multipliers per lane */
    double clock_mhz, ps_per_cycle;
    int stages;                   /* MAC pipeline depth */
    /* dynamic power of the whole chip while a kind of work runs, mW */
    double conv_mw, matmul_mw, bn_mw, pool_mw, gap_mw, up_mw, elem_mw, dma_mw;
    double leak_mw;               /* modules, buffers and the main memory's background */
    double area_by[CB_AREA_PARTS];
    double act_cap, wgt_cap;      /* buffer capacities, bytes */
    double act_nj, wgt_nj, mask_nj; /* energy of one 64-byte buffer access */
} sim_chip;

/* One simulation: the inputs and the figures derived from them. */
typedef struct sim_ctx {
    const cb_accel_vec *v;
    const cb_sim_parts *parts;
    cb_sim_opts opts;
    cb_mac_model mac;
    cb_mem_model mem;
    unsigned act_mask;
    sim_chip chip;
} sim_ctx;

/* A class of identical units of tiled work: how many, their compute cycles, and the elements
 * each moves. Loads are split into first fetches and reloads (data fetched again because it
 * did not fit its buffer); `read` counts what the PEs read from the buffers. */
typedef struct sim_unit {
    double count, compute;
    double in_load, in_reload, w_load, w_reload, out_store; /* elements per unit */
    double in_read, w_read;                                 /* elements per unit */
} sim_unit;

/* What simulating one layer gives; the cache stores it. Cycles are from the layer's start. */
typedef struct sim_layer_res {
    double first_start;  /* when the first unit could start computing (its load exposed) */
    double last_compute; /* the last unit's compute: room to hide the next layer's first load */
    double cycles, compute, stall, reload, fill, pass;
    double compute_j, mem_j, buf_j, dma_j;
    double mem_bytes;
    uint64_t hits, misses;
    /* buf_j's inputs: 64-byte activation, weight and mask buffer accesses of each flow, so a
     * sweep can price the same traffic for other buffer sizes (cb_sim_layer_buf_j) */
    double buf_blocks[2][3];
    int n_flows;
} sim_layer_res;

/* How a layer's tensors sit in the activation buffer (sim_plan.c). */
typedef struct sim_place {
    bool in_resident;  /* every input is already on chip */
    bool out_resident; /* the output stays on chip (else it is written to main memory) */
} sim_place;

/* sim_chip.c: fills ctx->chip from the vector, the MAC model and the memory model. */
void cb_sim_chip(sim_ctx *ctx);

/* sim_plan.c: which layer outputs stay in the activation buffer, by live ranges. */
void cb_sim_plan(const sim_ctx *ctx, const cb_sim_net *net, sim_place *place);

/* sim_layer.c: one layer, from scratch (the memory plugin is reset first). */
void cb_sim_one_layer(const sim_ctx *ctx, const cb_workload *w, sim_place pl, sim_layer_res *r);

/* sim_layer.c: a layer's buffer energy (J) from r->buf_blocks at c's per-access energies:
 * what cb_sim_one_layer stores in r->buf_j, bit for bit. */
double cb_sim_layer_buf_j(const sim_chip *c, const sim_layer_res *r);

/* sim_layer.c: every decision the buffer capacities make for this layer (its placement, each
 * nest's input-window and weight reuse, a fused stage's intermediate on chip) as a code. Two
 * accelerators that differ only in buffer sizes and give the same code get the same
 * sim_layer_res except buf_j (core/sim/sweep.c relies on it). */
unsigned cb_sim_layer_fits(const sim_ctx *ctx, const cb_workload *w, sim_place pl);

/* sim_units.c: the tiled work of a loop nest (CB_WL_CONV) or of a pass, as unit classes.
 * Returns how many classes it wrote (at most CB_SIM_MAX_CLASSES); *prologue gets the weight
 * elements that load once before the first unit (0 when they do not fit their buffer). */
#define CB_SIM_MAX_CLASSES 64
typedef struct sim_nest {
    int64_t b, x, y, of, in, kx, ky, kz, od, groups;
    int stride;
    bool matmul;        /* a dense layer: spread over every multiplier (the seeds' MatMul) */
    double weights;     /* elements of the whole nest's weights (all groups) */
} sim_nest;
int cb_sim_nest_units(const sim_ctx *ctx, const sim_nest *n, sim_place pl, sim_unit *u,
                      double *prologue);
/* The nest's capacity decisions: bit 0 the input window loads once, bit 1 the weights load
 * once (the prologue). */
unsigned cb_sim_nest_fits(const sim_ctx *ctx, const sim_nest *n);

/* sim_timeline.c: runs unit classes through the double-buffered timeline and the memory
 * plugin; `prologue` elements (weights that fit their buffer) load before the first unit. */
typedef struct sim_flow {
    double first_start, last_compute, end;
    double compute, mem_busy, mem_pj, mem_bytes, reload_bytes;
    double in_read, w_read, in_load, w_load, out_store; /* elements, for buffer energy */
    uint64_t hits, misses;
} sim_flow;
void cb_sim_flow(const sim_ctx *ctx, const sim_unit *u, int n_classes, double prologue,
                 sim_flow *f);

/* Bytes in main memory of `elems` activations or weights at a density (data + mask bits). */
double cb_sim_bytes(double elems, double density);

/* sim_run.c: one simulation's context (the vector checked, the plugins described, the chip
 * derived); CB_EINVAL or CB_EFAIL with why. */
int cb_sim_setup(sim_ctx *ctx, const cb_sim_net *net, const cb_accel_vec *v, const cb_sim_parts *p,
                 const cb_sim_opts *o, char *why, size_t why_len);
/* sim_run.c: a layer's workload for the whole batch (ops describe one image). */
cb_workload cb_sim_batched(const cb_workload *w, int batch);
/* sim_run.c: the report from every layer's result: each layer's first load hidden behind the
 * previous layer's last unit, the sums, latency, leakage, area. r must be zero but for
 * r->layers (n entries, all overwritten) and r->n_layers. */
void cb_sim_add_up(const sim_ctx *ctx, const sim_layer_res *const *res, int n, cb_sim_report *r);

/* sim_cache.c */
typedef struct sim_cache sim_cache;
sim_cache *cb_sim_cache_new(void);
void cb_sim_cache_free(sim_cache *c);
void cb_sim_cache_clear(sim_cache *c);
bool cb_sim_cache_get(sim_cache *c, const sim_ctx *ctx, const cb_workload *w, sim_place pl,
                      sim_layer_res *out);
void cb_sim_cache_put(sim_cache *c, const sim_ctx *ctx, const cb_workload *w, sim_place pl,
                      const sim_layer_res *r);

#endif
