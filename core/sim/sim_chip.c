/* core/sim/sim_chip.c: the accelerator's area, leakage and busy powers from its vector, the
 * MAC plugin's lane and the memory plugin's model (cb_sim_chip).
 *
 * Module figures: the seeds' 14 nm Design Compiler results at 700 MHz, per instance
 * (codebench-reference section 2.3, the run.py table). Buffers: the seeds' FinCACTI reports
 * scaled to S MB, access energy by sqrt(S / S0), leakage and area linearly (section 2.4).
 * docs/accelbench.md lists them with their sources. */
#include "sim/sim_internal.h"

#include <math.h>
#include <string.h>

typedef struct module {
    double area_um2, dyn_mw, leak_mw; /* one instance at 700 MHz */
} module;

#define SYNTH_MHZ 700.0 /* the synthesis clock (1429 ps), reference 2.3 */

static const module DATAFLOW = {75946.982008, 11.3711, 2.7312};       /* per PE */
static const module DMA = {144.636242, 0.0335287, 0.0063819};         /* per PE */
static const module FIFO = {484.379110, 0.0563909, 0.0140774};        /* per PE x lane x mult x 2 */
static const module BATCHNORM = {14654.491357, 8.3914, 0.5323004};    /* per PE */
static const module IM2COL = {14307.182942, 423.0658, 0.3963450};     /* per PE x lane */
static const module POOLING = {3395.049675, 1.1430, 0.1281938};       /* per PE */
static const module GAP = {0.0, 1.2148, 0.0848479};                   /* per PE; area in POOLING */
static const module UPSAMPLING = {749.704715, 0.1503713, 0.0293699};  /* per PE */
static const module PRESPARSITY = {6216.896914, 0.2852968, 0.1507329};  /* per PE x lane */
static const module POSTSPARSITY = {1181.201447, 0.2613971, 0.0324301}; /* per PE x lane */

/* FinCACTI base points (reference 2.4): nJ per 64 B access at S0 MB (mean of read and write),
 * leakage mW per MB, area mm^2 per MB. */
typedef struct buffer_model {
    double e0_nj, s0_mb, leak_mw_per_mb, area_mm2_per_mb;
} buffer_model;
static const buffer_model ACT_BUF = {0.274617, 12, 247.91867, 0.30330583};
static const buffer_model WGT_BUF = {0.4186405, 24, 210.40467, 0.29410083};
static const buffer_model MASK_BUF = {0.1640135, 4, 238.196, 0.302565};

static const char *const AREA_PARTS[CB_AREA_PARTS] = {
    "mac_lanes", "pe_control", "fifos", "im2col", "sparsity", "bn_pool_upsample", "buffers",
    "main_memory"};

const char *cb_sim_area_part(int part)
{
    return part >= 0 && part < CB_AREA_PARTS ? AREA_PARTS[part] : "?";
}

/* Adds count instances' area (mm^2, to part) and leakage; returns their busy power in mW.
 * Dynamic power scales with the clock (the seeds left Im2Col's unscaled; a slip, not physics). */
static double add(sim_chip *c, int part, const module *m, double count)
{
    c->area_by[part] += m->area_um2 * count * 1e-6;
    c->leak_mw += m->leak_mw * count;
    return m->dyn_mw * count * c->clock_mhz / SYNTH_MHZ;
}

static void buffers(sim_chip *c, const cb_accel_vec *v)
{
    const buffer_model *b[3] = {&ACT_BUF, &WGT_BUF, &MASK_BUF};
    const double mb[3] = {v->act_mb, v->wgt_mb, v->mask_mb};
    double nj[3];
    for (int i = 0; i < 3; i++) {
        c->area_by[CB_AREA_BUFFERS] += b[i]->area_mm2_per_mb * mb[i];
        c->leak_mw += b[i]->leak_mw_per_mb * mb[i];
        nj[i] = b[i]->e0_nj * sqrt(mb[i] / b[i]->s0_mb);
    }
    c->act_nj = nj[0];
    c->wgt_nj = nj[1];
    c->mask_nj = nj[2];
    c->act_cap = v->act_mb * 1048576.0;
    c->wgt_cap = v->wgt_mb * 1048576.0;
}

void cb_sim_chip(sim_ctx *ctx)
{
    sim_chip *c = &ctx->chip;
    const cb_accel_vec *v = ctx->v;
    memset(c, 0, sizeof *c);
    c->pe = cb_accel_pes(v);
    c->lanes = cb_accel_lanes(v);
    c->mult = v->p_if;
    c->clock_mhz = ctx->mac.clock_mhz;
    c->ps_per_cycle = 1e6 / c->clock_mhz;
    c->stages = ctx->mac.stages;
    double pl = c->pe * c->lanes;
    /* the MAC plugin's lane figures already hold at its clock */
    c->area_by[CB_AREA_LANES] = ctx->mac.area_um2 * pl * 1e-6;
    c->leak_mw = ctx->mac.leak_mw * pl;
    double lanes_mw = ctx->mac.dyn_mw * pl;
    double df = add(c, CB_AREA_PE, &DATAFLOW, c->pe);
    c->dma_mw = add(c, CB_AREA_PE, &DMA, c->pe);
    double fifo = add(c, CB_AREA_FIFO, &FIFO, pl * c->mult * 2);
    double im2col = add(c, CB_AREA_IM2COL, &IM2COL, pl);
    double sparse = add(c, CB_AREA_SPARSITY, &PRESPARSITY, pl) + add(c, CB_AREA_SPARSITY, &POSTSPARSITY, pl);
    c->bn_mw = add(c, CB_AREA_AUX, &BATCHNORM, c->pe);
    c->pool_mw = add(c, CB_AREA_AUX, &POOLING, c->pe);
    c->gap_mw = add(c, CB_AREA_AUX, &GAP, c->pe); /* its leakage counts, as in the seeds */
    c->up_mw = add(c, CB_AREA_AUX, &UPSAMPLING, c->pe);
    c->elem_mw = df;
    /* reference 2.9: a conv block keeps the lanes, DataFlow, FIFOs, two Im2Col units and both
     * sparsity modules busy; a MatMul block the same without Im2Col */
    c->matmul_mw = lanes_mw + df + fifo + sparse;
    c->conv_mw = c->matmul_mw + 2 * im2col;
    buffers(c, v);
    c->area_by[CB_AREA_MEMORY] = ctx->mem.area_mm2;
    c->leak_mw += ctx->mem.leak_mw;
}
