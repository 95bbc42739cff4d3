/* core/accel/sim.c: the AccelBench cycle model (see sim.h and docs/accelbench.md). */
#include "accel/sim.h"
#include "util/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DATA_BITS 20.0    /* fixed point IL = 4, FL = 16 */
#define TILE_B 4          /* batch elements per tile (the seeds' T_ib) */
#define TILE_XY 16        /* output columns and rows per tile */
#define PROBE_TILES 4     /* tiles whose loads go through the memory model one by one */
#define BLOCK 64.0        /* buffer access granularity, bytes (the CACTI reports' block) */

/* Per-instance module figures at 700 MHz: area um^2, dynamic mW, leakage mW
 * (codebench-reference section 2.3, from the seeds' 14 nm Design Compiler reports). */
typedef struct module { double area_um2, dyn_mw, leak_mw; } module;
static const module DATAFLOW = {75946.982008, 11.3711, 2.7312};     /* per PE */
static const module DMA = {144.636242, 0.0335287, 0.0063819};       /* per PE */
static const module FIFO = {484.379110, 0.0563909, 0.0140774};      /* per PE*lane*mult*2 */
static const module BATCHNORM = {14654.491357, 8.3914, 0.5323004};  /* per PE */
static const module IM2COL = {14307.182942, 423.0658, 0.3963450};   /* per PE*lane */
static const module POOLING = {3395.049675, 1.1430, 0.1281938};     /* per PE */
static const module GAP = {0.0, 1.2148, 0.0848479};                 /* per PE, area in Pooling */
static const module UPSAMPLING = {749.704715, 0.1503713, 0.0293699}; /* per PE */
static const module PRESPARSITY = {6216.896914, 0.2852968, 0.1507329};  /* per PE*lane */
static const module POSTSPARSITY = {1181.201447, 0.2613971, 0.0324301}; /* per PE*lane */

/* On-chip buffers, scaled from FinCACTI reports (section 2.4): nJ per 64 B access at size S MB
 * is e0 * sqrt(S / S0); leakage and area grow linearly with S. */
typedef struct buffer_model { double e0_nj, s0_mb, leak_mw_per_mb, area_mm2_per_mb; } buffer_model;
static const buffer_model ACT_BUF = {0.274617, 12, 247.91867, 0.30330583};
static const buffer_model WGT_BUF = {0.4186405, 24, 210.40467, 0.29410083};
static const buffer_model MASK_BUF = {0.1640135, 4, 238.196, 0.302565};

static double buf_nj(const buffer_model *b, double mb) { return b->e0_nj * sqrt(mb / b->s0_mb); }

static int64_t cdiv(int64_t a, int64_t b) { return b > 0 ? (a + b - 1) / b : 0; }

int cb_accel_cfg_check(const cb_accel_cfg *c, char *why, size_t n)
{
    struct { const char *name; int v, lo, hi; } r[] = {
        {"p_ib", c->p_ib, 1, 64}, {"p_if", c->p_if, 1, 64}, {"p_ix", c->p_ix, 1, 64},
        {"p_iy", c->p_iy, 1, 64}, {"p_of", c->p_of, 1, 64}, {"p_kx", c->p_kx, 1, 11},
        {"p_ky", c->p_ky, 1, 11}, {"batch", c->batch, 1, 4096},
    };
    for (size_t i = 0; i < sizeof r / sizeof r[0]; i++)
        if (r[i].v < r[i].lo || r[i].v > r[i].hi) {
            snprintf(why, n, "accelerator %s = %d is out of range %d..%d", r[i].name, r[i].v, r[i].lo, r[i].hi);
            return CB_EINVAL;
        }
    if (c->p_kx != c->p_ky) {
        snprintf(why, n, "accelerator P_kx = %d differs from P_ky = %d (the MAC lanes unroll a square kernel window)",
                 c->p_kx, c->p_ky);
        return CB_EINVAL;
    }
    if (c->act_mb <= 0 || c->wgt_mb <= 0 || c->mask_mb <= 0 || c->act_mb > 1024 || c->wgt_mb > 1024 ||
        c->mask_mb > 1024) {
        snprintf(why, n, "accelerator buffers must be 0..1024 MB (activation %g, weight %g, mask %g)",
                 c->act_mb, c->wgt_mb, c->mask_mb);
        return CB_EINVAL;
    }
    return CB_OK;
}

/* Everything the per-layer functions share. */
typedef struct sim {
    const cb_graph *g;
    const cb_accel_cfg *c;
    const cb_sim_hw *hw;
    cb_mac_model mac;
    double pe, lanes, mult;     /* PEs, MAC lanes per PE, multipliers per lane */
    double ps_per_cycle;
    uint64_t now_ps;            /* memory-model time */
    uint64_t next_addr;
    uint64_t *base;             /* per node: where its output lives in main memory */
    unsigned char *resident;    /* per node: output kept in the activation buffer */
    double mem_pj, mem_bytes, buf_nj;
    double conv_mw, pass_mw_bn, pass_mw_pool, pass_mw_gap, pass_mw_up, pass_mw_elem;
} sim;

static double bytes_of(double elems, double density)
{
    /* the data at its density, plus one mask bit per element for the sparsity modules */
    return elems * (DATA_BITS / 8.0) * density + (density < 1.0 ? elems / 8.0 : 0.0);
}

/* Moves `bytes` between main memory and a buffer through the memory plugin; returns cycles. */
static double transfer(sim *s, uint64_t addr, double bytes, cb_access kind, const buffer_model *buf,
                       double buf_mb)
{
    if (bytes <= 0)
        return 0;
    cb_mem_cost cost = {0};
    s->hw->mem->access(s->hw->mem_self, addr, (uint64_t)ceil(bytes), kind, s->now_ps, &cost);
    double cycles = ceil((double)(cost.done_ps - s->now_ps) / s->ps_per_cycle);
    s->now_ps = cost.done_ps;
    s->mem_pj += cost.energy_pj;
    s->mem_bytes += bytes;
    s->buf_nj += ceil(bytes / BLOCK) * buf_nj(buf, buf_mb) + buf_nj(&MASK_BUF, s->c->mask_mb);
    return cycles;
}

static bool inputs_resident(const sim *s, const cb_node *n)
{
    for (int i = 0; i < n->n_in; i++)
        if (n->in[i] == CB_NET_INPUT || !s->resident[n->in[i]])
            return false;
    return true;
}

static uint64_t input_addr(const sim *s, const cb_node *n)
{
    return n->n_in > 0 && n->in[0] >= 0 ? s->base[n->in[0]] : 0;
}

/* Compute cycles of one tile of a convolution nest: the loop bounds divided by the unrolling,
 * rounded up per dimension (partly filled lanes idle), scaled by the operand densities. */
static double tile_compute(const sim *s, const cb_workload *w, int64_t tb, int64_t tx, int64_t ty)
{
    const cb_accel_cfg *c = s->c;
    double n = (double)(cdiv(tb, c->p_ib) * cdiv(tx, c->p_ix) * cdiv(ty, c->p_iy)) *
               (double)(cdiv(w->n_if, c->p_if) * cdiv(w->n_of, c->p_of) * cdiv(w->n_kx, c->p_kx) *
                        cdiv(w->n_ky, c->p_ky)) *
               (double)(w->groups > 0 ? w->groups : 1) * (double)(w->n_kz > 0 ? w->n_kz : 1);
    if (w->size > offsetof(cb_workload, pw_of) && w->pw_of > 0) /* fused point-wise stage */
        n += (double)(cdiv(tb, c->p_ib) * cdiv(tx, c->p_ix) * cdiv(ty, c->p_iy)) *
             (double)(cdiv(w->n_of * (w->groups > 0 ? w->groups : 1), c->p_if) * cdiv(w->pw_of, c->p_of));
    return ceil(n * s->hw->act_density * s->hw->wgt_density) + s->mac.stages;
}

/* Input elements one tile reads: its output window grown by the kernel, all input channels. */
static double tile_input_elems(const cb_workload *w, int64_t tb, int64_t tx, int64_t ty)
{
    int64_t stride = w->stride > 0 ? w->stride : 1;
    double cin = (double)(w->n_if * (w->groups > 0 ? w->groups : 1));
    return (double)tb * cin * (double)((tx - 1) * stride + w->n_kx) * (double)((ty - 1) * stride + w->n_ky) *
           (double)(w->n_kz > 0 ? w->n_kz : 1);
}

/* Compute and memory cycles of a conv layer's tiles. Double buffering: the first tile's load is
 * exposed, then tile i computes while tile i+1 loads, so each step takes the longer of the two
 * and the array stalls when memory is slower. The memory model sees the first tiles one by one;
 * the remaining tiles (a layer may have thousands) are charged the cycles and energy per byte it
 * measured on them. */
typedef struct tiles_acc {
    double compute, steps, prev_compute, first_load;
    double probe_cycles, probe_bytes, probe_pj;
    int probed, started;
} tiles_acc;

static void tile_step(tiles_acc *t, double compute, double load)
{
    if (!t->started) {
        t->first_load = load;
        t->started = 1;
    } else {
        t->steps += fmax(t->prev_compute, load);
    }
    t->prev_compute = compute;
    t->compute += compute;
}

static double tile_load(sim *s, tiles_acc *t, uint64_t in_addr, double in_b, uint64_t w_addr,
                        double w_b, bool must_probe)
{
    double bytes = in_b + w_b;
    if (bytes <= 0)
        return 0;
    if (t->probed < PROBE_TILES || must_probe || t->probe_bytes <= 0) {
        double pj0 = s->mem_pj;
        double cyc = transfer(s, in_addr, in_b, CB_READ, &ACT_BUF, s->c->act_mb) +
                     transfer(s, w_addr, w_b, CB_READ, &WGT_BUF, s->c->wgt_mb);
        t->probe_cycles += cyc;
        t->probe_bytes += bytes;
        t->probe_pj += s->mem_pj - pj0;
        t->probed++;
        return cyc;
    }
    s->mem_bytes += bytes;
    s->mem_pj += bytes * t->probe_pj / t->probe_bytes;
    s->buf_nj += ceil(bytes / BLOCK) * buf_nj(in_b > 0 ? &ACT_BUF : &WGT_BUF, in_b > 0 ? s->c->act_mb : s->c->wgt_mb);
    return bytes * t->probe_cycles / t->probe_bytes;
}

static double conv_layer(sim *s, int v, const cb_workload *w, cb_sim_layer *L)
{
    const cb_node *n = &s->g->nodes[v];
    int64_t nb = cdiv(w->n_ib, TILE_B), nx = cdiv(w->n_ix, TILE_XY), ny = cdiv(w->n_iy, TILE_XY);
    double wbytes = bytes_of((double)w->weight_elems, s->hw->wgt_density);
    /* Weights that fit stay in the weight buffer after the first tile; otherwise every tile
     * streams them again (a buffer reload). */
    bool weights_fit = wbytes <= s->c->wgt_mb * 1048576.0;
    bool in_res = inputs_resident(s, n);
    uint64_t waddr = s->next_addr;
    s->next_addr += (uint64_t)wbytes + 4096;
    tiles_acc t;
    memset(&t, 0, sizeof t);
    for (int64_t ib = 0; ib < nb; ib++)
        for (int64_t ix = 0; ix < nx; ix++)
            for (int64_t iy = 0; iy < ny; iy++) {
                int64_t tb = ib + 1 < nb ? TILE_B : w->n_ib - ib * TILE_B;
                int64_t tx = ix + 1 < nx ? TILE_XY : w->n_ix - ix * TILE_XY;
                int64_t ty = iy + 1 < ny ? TILE_XY : w->n_iy - iy * TILE_XY;
                bool first = ib == 0 && ix == 0 && iy == 0;
                double in_b = in_res ? 0 : bytes_of(tile_input_elems(w, tb, tx, ty), s->hw->act_density);
                double w_b = (first || !weights_fit) ? wbytes : 0;
                uint64_t off = (uint64_t)((ib * nx + ix) * ny + iy) * (uint64_t)ceil(in_b);
                double load = tile_load(s, &t, input_addr(s, n) + off, in_b, waddr, w_b, first);
                tile_step(&t, tile_compute(s, w, tb, tx, ty), load);
            }
    double cycles = t.first_load + t.steps + t.prev_compute;
    L->compute_cycles = t.compute;
    L->stall_cycles = cycles - t.compute;
    L->dyn_j = t.compute / (s->mac.clock_mhz * 1e6) * s->conv_mw * 1e-3;
    return cycles;
}

/* Pooling, normalization, resampling and element-wise passes run on their own per-PE modules:
 * one output element per PE per cycle for each element of its window (the seeds' formulas). */
static double pass_layer(sim *s, int v, const cb_workload *w, cb_sim_layer *L)
{
    const cb_node *n = &s->g->nodes[v];
    double work = (double)w->elements * (double)(w->window > 0 ? w->window : 1);
    double compute = ceil(work / s->pe);
    double mw = s->pass_mw_elem;
    switch (w->kind) {
    case CB_WL_NORM: compute = ceil(work / (s->pe * s->mult)); mw = s->pass_mw_bn; break;
    case CB_WL_POOL: mw = n->out.h * n->out.w == 1 ? s->pass_mw_gap : s->pass_mw_pool; break;
    case CB_WL_RESAMPLE: mw = s->pass_mw_up; break;
    case CB_WL_CONCAT: compute = 0; break; /* the buffer's addressing does it */
    default: break;
    }
    double load = 0;
    if (!inputs_resident(s, n))
        load = transfer(s, input_addr(s, n), bytes_of((double)w->in_elems, s->hw->act_density), CB_READ,
                        &ACT_BUF, s->c->act_mb);
    L->compute_cycles = compute;
    L->stall_cycles = load;
    L->dyn_j = compute / (s->mac.clock_mhz * 1e6) * mw * 1e-3;
    return compute + load;
}

/* A layer's output stays in the activation buffer when it fits; otherwise it is written back
 * to main memory (and its consumers will load it). */
static double store_output(sim *s, int v, double elems)
{
    double bytes = bytes_of(elems, s->hw->act_density);
    s->base[v] = s->next_addr;
    s->next_addr += (uint64_t)bytes + 4096;
    s->resident[v] = bytes <= s->c->act_mb * 1048576.0;
    if (s->resident[v])
        return 0;
    return transfer(s, s->base[v], bytes, CB_WRITE, &ACT_BUF, s->c->act_mb);
}

static int layer_workload(const sim *s, int v, cb_workload *w, char *why, size_t n)
{
    const cb_node *node = &s->g->nodes[v];
    cb_shape in[8], out = node->out;
    for (int i = 0; i < node->n_in && i < 8; i++) {
        in[i] = node->in[i] == CB_NET_INPUT ? s->g->input : s->g->nodes[node->in[i]].out;
        in[i].n = s->c->batch;
    }
    out.n = s->c->batch;
    memset(w, 0, sizeof *w);
    cb_error e;
    memset(&e, 0, sizeof e);
    if (node->vt->workload(node->attrs, node->n_in, in, &out, w, &e) != CB_OK) {
        snprintf(why, n, "layer %d (%s): %s", v, node->op, e.msg);
        return CB_EINVAL;
    }
    if (w->kind == CB_WL_CONV && w->n_ib < s->c->batch)
        w->n_ib = s->c->batch; /* an op that left the batch at 1 still runs the whole batch */
    return CB_OK;
}

static unsigned activation_mask(const sim *s)
{
    unsigned m = 0;
    for (int v = 0; v < s->g->n_nodes; v++) {
        cb_workload w;
        char why[8];
        if (layer_workload(s, v, &w, why, sizeof why) == CB_OK && w.activation)
            m |= 1u << w.activation;
    }
    return m;
}

static double module_total(const module *m, double count, double clock_mhz, double *area, double *leak)
{
    *area += m->area_um2 * count;
    *leak += m->leak_mw * count;
    return m->dyn_mw * clock_mhz / 700.0 * count;
}

/* Powers of the modules each kind of layer keeps busy, area and leakage of the whole chip. */
static void chip_budget(sim *s, double *area_um2, double *leak_mw)
{
    double pe = s->pe, pl = s->pe * s->lanes, clk = s->mac.clock_mhz;
    double area = 0, leak = 0;
    double lanes_mw = s->mac.dyn_mw * pl;
    area += s->mac.area_um2 * pl;
    leak += s->mac.leak_mw * pl;
    double df = module_total(&DATAFLOW, pe, clk, &area, &leak);
    double fifo = module_total(&FIFO, pl * s->mult * 2, clk, &area, &leak);
    double im2col = IM2COL.dyn_mw * pl; /* the seeds do not scale Im2Col's power by clock */
    area += IM2COL.area_um2 * pl;
    leak += IM2COL.leak_mw * pl;
    double pre = module_total(&PRESPARSITY, pl, clk, &area, &leak);
    double post = module_total(&POSTSPARSITY, pl, clk, &area, &leak);
    module_total(&DMA, pe, clk, &area, &leak);
    s->pass_mw_bn = module_total(&BATCHNORM, pe, clk, &area, &leak);
    s->pass_mw_pool = module_total(&POOLING, pe, clk, &area, &leak);
    s->pass_mw_gap = module_total(&GAP, pe, clk, &area, &leak);
    s->pass_mw_up = module_total(&UPSAMPLING, pe, clk, &area, &leak);
    s->pass_mw_elem = df;
    s->conv_mw = lanes_mw + df + fifo + 2 * im2col + pre + post;
    *area_um2 = area;
    *leak_mw = leak;
}

static int setup(sim *s, const cb_graph *g, const cb_accel_cfg *c, const cb_sim_hw *hw, char *why, size_t n)
{
    memset(s, 0, sizeof *s);
    s->g = g;
    s->c = c;
    s->hw = hw;
    if (cb_accel_cfg_check(c, why, n))
        return CB_EINVAL;
    cb_error e;
    memset(&e, 0, sizeof e);
    if (hw->mac->describe(hw->mac_self, activation_mask(s), &s->mac, &e) != CB_OK) {
        snprintf(why, n, "MAC unit: %s", e.msg);
        return CB_EFAIL;
    }
    if (s->mac.multipliers != c->p_if) {
        snprintf(why, n, "P_if = %d but the MAC unit has %d multipliers per lane", c->p_if, s->mac.multipliers);
        return CB_EINVAL;
    }
    s->pe = (double)c->p_ib * c->p_ix * c->p_iy;
    s->lanes = (double)c->p_of * c->p_kx * c->p_ky;
    s->mult = c->p_if;
    s->ps_per_cycle = 1e6 / s->mac.clock_mhz;
    s->base = cb_xcalloc((size_t)g->n_nodes + 1, sizeof *s->base);
    s->resident = cb_xcalloc((size_t)g->n_nodes + 1, 1);
    s->next_addr = 1u << 20;
    hw->mem->reset(hw->mem_self);
    return CB_OK;
}

int cb_sim_run(const cb_graph *g, const cb_accel_cfg *c, const cb_sim_hw *hw, cb_sim_result *r,
               char *why, size_t why_len)
{
    memset(r, 0, sizeof *r);
    sim s;
    int rc = setup(&s, g, c, hw, why, why_len);
    if (rc)
        return rc;
    double area_um2, leak_mw;
    chip_budget(&s, &area_um2, &leak_mw);
    r->layers = cb_xcalloc((size_t)g->n_nodes + 1, sizeof *r->layers);
    /* the network input arrives from main memory */
    double cycles = transfer(&s, 0, bytes_of((double)cb_shape_numel(g->input) * c->batch, 1.0), CB_READ,
                             &ACT_BUF, c->act_mb);
    for (int v = 0; v < g->n_nodes && rc == CB_OK; v++) {
        cb_workload w;
        rc = layer_workload(&s, v, &w, why, why_len);
        if (rc)
            break;
        cb_sim_layer *L = &r->layers[r->n_layers++];
        snprintf(L->name, sizeof L->name, "%d", v);
        snprintf(L->op, sizeof L->op, "%s", g->nodes[v].op);
        uint64_t params = 0;
        cb_shape in[8];
        for (int i = 0; i < g->nodes[v].n_in && i < 8; i++)
            in[i] = g->nodes[v].in[i] == CB_NET_INPUT ? g->input : g->nodes[g->nodes[v].in[i]].out;
        g->nodes[v].vt->count(g->nodes[v].attrs, g->nodes[v].n_in, in, &g->nodes[v].out, &L->macs, &params);
        double lc = w.kind == CB_WL_CONV ? conv_layer(&s, v, &w, L)
                    : w.kind == CB_WL_NONE ? 0 : pass_layer(&s, v, &w, L);
        if (w.kind == CB_WL_NONE) { /* a view: the output is the input */
            s.base[v] = input_addr(&s, &g->nodes[v]);
            s.resident[v] = inputs_resident(&s, &g->nodes[v]);
        } else {
            double st = store_output(&s, v, (double)cb_shape_numel(g->nodes[v].out) * c->batch);
            L->stall_cycles += st;
            lc += st;
        }
        L->cycles = lc;
        cycles += lc;
        r->compute_cycles += L->compute_cycles;
        r->stall_cycles += L->stall_cycles;
        r->dyn_energy_j += L->dyn_j;
    }
    if (rc == CB_OK) {
        cb_mem_model mm;
        memset(&mm, 0, sizeof mm);
        cb_error e;
        memset(&e, 0, sizeof e);
        hw->mem->describe(hw->mem_self, &mm, &e);
        double buf_leak = ACT_BUF.leak_mw_per_mb * c->act_mb + WGT_BUF.leak_mw_per_mb * c->wgt_mb +
                          MASK_BUF.leak_mw_per_mb * c->mask_mb;
        double buf_area = ACT_BUF.area_mm2_per_mb * c->act_mb + WGT_BUF.area_mm2_per_mb * c->wgt_mb +
                          MASK_BUF.area_mm2_per_mb * c->mask_mb;
        double dma_mw = DMA.dyn_mw * s.pe;
        r->cycles = cycles;
        r->clock_mhz = s.mac.clock_mhz;
        r->latency_s = cycles / (s.mac.clock_mhz * 1e6);
        r->area_mm2 = area_um2 * 1e-6 + buf_area + mm.area_mm2;
        r->dyn_energy_j += s.mem_pj * 1e-12 + s.buf_nj * 1e-9 + r->stall_cycles / (s.mac.clock_mhz * 1e6) * dma_mw * 1e-3;
        r->leak_energy_j = r->latency_s * (leak_mw + buf_leak + mm.leak_mw) * 1e-3;
        r->throughput_fps = r->latency_s > 0 ? c->batch / r->latency_s : 0;
        r->edp = (r->dyn_energy_j + r->leak_energy_j) * r->latency_s;
        r->mem_bytes = s.mem_bytes;
    }
    free(s.base);
    free(s.resident);
    if (rc)
        cb_sim_result_free(r);
    return rc;
}

void cb_sim_result_free(cb_sim_result *r)
{
    free(r->layers);
    r->layers = NULL;
    r->n_layers = 0;
}
