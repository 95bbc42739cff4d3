/* plugins/accel/chaidnn/area.c: the area model. The accelerator is split into its components
 * (fixed control, memory interface, convolution engine(s), their buffers, pooling engine); each
 * is counted in CLBs, 36 Kbit block RAMs and DSP slices from its parameters, and the sum is
 * turned into mm^2 with Table I's tile areas (CLB 0.0044, BRAM 0.026, DSP 0.044 mm^2 by
 * default). The per-component coefficients are this model's own (docs/codesign-nas.md): sized
 * so that the largest engine without a pooling engine comes to about 130 mm^2, as the paper's
 * Table II points do, and so that all 8,640 configurations fit the ZU9EG. */
#include "chaidnn.h"

#include <string.h>

/* Xilinx Zynq UltraScale+ data sheet (DS891): LUTs / 8 per CLB, 36 Kbit block RAMs, DSP48E2. */
const ch_device ch_devices[] = {
    {"zu9eg", 34260, 912, 2520},
    {"zu7ev", 28800, 312, 1728},
    {"zu3eg", 8820, 216, 360},
};

/* Block RAM aspect ratios (width bits x depth) of one RAMB36E2. */
static const int modes[][2] = {{1, 32768}, {2, 16384}, {4, 8192}, {9, 4096},
                               {18, 2048}, {36, 1024}, {72, 512}};

int ch_bram_blocks(int depth, int width_bits)
{
    int best = -1;
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        int n = ((width_bits + modes[i][0] - 1) / modes[i][0]) *
                ((depth + modes[i][1] - 1) / modes[i][1]);
        if (best < 0 || n < best)
            best = n;
    }
    return best;
}

static void set(double *r, double clb, double bram, double dsp)
{
    r[CH_R_CLB] = clb;
    r[CH_R_BRAM] = bram;
    r[CH_R_DSP] = dsp;
}

/* A convolution engine: control, then per DSP the accumulators and the adder tree of the
 * four-plane dot products (13 LUTs), and per pixel lane the sliding window (3 rows of
 * registers and muxes for a 3x3-capable engine; a 1x1 engine only registers one pixel). */
static void conv_engine(const ch_engine *e, int window, double *r)
{
    if (!e->present) {
        set(r, 0, 0, 0);
        return;
    }
    double per_lane = window ? 24 : 4;
    set(r, 350 + 1.6 * e->dsp + per_lane * e->pc + 20 * e->fp, 0, e->dsp);
}

/* Three ping-pong buffer pairs: input (128-bit words: 16 activations), weights (4 planes x fp
 * filters x 8 bits a word) and output (fp 16-bit accumulators a word, one output pixel); with
 * two engines they are partitioned between them (each engine a port), so only the address
 * logic doubles. */
static void buffers(const ch_config *c, int engines, double *r)
{
    int per = 2 * (ch_bram_blocks(c->d_in, 128) + ch_bram_blocks(c->d_w, 32 * c->fp) +
                   ch_bram_blocks(c->d_out, 16 * c->fp));
    set(r, engines * 3 * 40.0, (double)per, 0);
}

void ch_area_of(const ch_family *f, const ch_config *c, ch_area *a)
{
    memset(a, 0, sizeof *a);
    ch_engine e[CH_N_ENGINES];
    ch_engines(c, e);
    set(a->part[CH_P_FIXED], 1500, 8, 0);
    /* input, weight and output data movers: a W-bit datapath and a 512-deep FIFO each */
    set(a->part[CH_P_MEMIF], 3 * (120 + c->mem_bits / 2.0), 3 * ch_bram_blocks(512, c->mem_bits), 0);
    conv_engine(&e[CH_E_CONV], 1, a->part[CH_P_CONV]);
    conv_engine(&e[CH_E_CONV1], 0, a->part[CH_P_CONV1]);
    buffers(c, 1 + e[CH_E_CONV1].present, a->part[CH_P_BUFFERS]);
    /* 16 channel lanes with 9-input comparator and adder trees, two line buffers, and the
     * multipliers that scale an average */
    if (c->pool)
        set(a->part[CH_P_POOL], 900, 16, 16);
    for (int p = 0; p < CH_N_PARTS; p++)
        for (int r = 0; r < CH_N_RES; r++)
            a->total[r] += a->part[p][r];
    for (int r = 0; r < CH_N_RES; r++)
        a->mm2 += a->total[r] * f->tile_mm2[r];
    a->fits = a->total[CH_R_CLB] <= f->dev->clb && a->total[CH_R_BRAM] <= f->dev->bram &&
              a->total[CH_R_DSP] <= f->dev->dsp;
}
