/* core/sim/sim_layer.c: one layer of a CNN on the accelerator (cb_sim_one_layer): its loop
 * nests or pass on the timeline, the serial module passes the seeds model, and its energy.
 *
 * Kinds of work (op.h's cb_workload):
 *  - CB_WL_CONV: one nest per group on the MAC lanes (sim_units.c); a dense layer is the seeds'
 *    MatMul; a fused point-wise stage (depth-wise separable convolution) is a second nest whose
 *    input is the first one's output; a fused batch-norm then runs on the batch-norm modules.
 *  - passes, on their per-PE modules with the seeds' cycle formulas (reference 2.7):
 *    batch-norm ceil(N H W / (P_if #PE)) x C; pooling ceil(outputs / #PE); global average
 *    pooling ceil(HW / 25) ceil(N C / #PE); upsampling ceil(outputs / #PE); element-wise add
 *    (not in the seeds) one addition per PE per cycle on the dataflow unit.
 *  - no work: a fused or stand-alone activation (the MAC lane's activation unit applies it),
 *    channel shuffle and concatenation (buffer addressing), dropout and flatten.
 * Every layer starts with the memory's banks reset and its tensors at fixed addresses, so its
 * result depends on nothing but the layer, the accelerator and the plugins (the cache's key). */
#include "sim/sim_internal.h"

#include <math.h>
#include <string.h>

static int64_t at_least1(int64_t v) { return v > 0 ? v : 1; }

static sim_nest nest_of(const cb_workload *w)
{
    sim_nest n = {w->n_ib, w->n_ix, w->n_iy, w->n_of, w->n_if, w->n_kx, w->n_ky,
                  at_least1(w->n_kz), at_least1(w->out_d), at_least1(w->groups),
                  (int)at_least1(w->stride), false, (double)w->weight_elems};
    n.matmul = n.x == 1 && n.y == 1 && n.kx == 1 && n.ky == 1 && n.kz == 1 && n.groups == 1;
    return n;
}

static double ceil_div(double a, double b) { return b > 0 ? ceil(a / b) : 0; }

/* The buffer traffic a flow caused, in 64-byte accesses: data into and out of the activation
 * and weight buffers, and the mask bits beside them. Kept as counts (not joules) so that the
 * energy can be priced for any buffer size (cb_sim_layer_buf_j). */
static void buffer_blocks(const sim_ctx *ctx, const sim_flow *f, double out_elems, double *b)
{
    double da = ctx->opts.act_density, dw = ctx->opts.wgt_density, bits = CB_SIM_DATA_BITS / 8.0;
    double act = (f->in_load + f->in_read + out_elems) * bits * da;
    double wgt = (f->w_load + f->w_read) * bits * dw;
    double mask = (da < 1 ? f->in_load + f->in_read + out_elems : 0) / 8 +
                  (dw < 1 ? f->w_load + f->w_read : 0) / 8;
    b[0] = ceil(act / CB_BUF_BLOCK);
    b[1] = ceil(wgt / CB_BUF_BLOCK);
    b[2] = ceil(mask / CB_BUF_BLOCK);
}

double cb_sim_layer_buf_j(const sim_chip *c, const sim_layer_res *r)
{
    double j = 0;
    for (int k = 0; k < r->n_flows; k++) {
        const double *b = r->buf_blocks[k];
        j += (b[0] * c->act_nj + b[1] * c->wgt_nj + b[2] * c->mask_nj) * 1e-9;
    }
    return j;
}

/* Adds one flow's cycles and costs to r; busy_mw is the power while its units compute. */
static void add_flow(const sim_ctx *ctx, const sim_flow *f, double busy_mw, double out_elems,
                     bool on_array, sim_layer_res *r)
{
    double s_per_cycle = 1e-6 / ctx->chip.clock_mhz;
    if (r->cycles == 0)
        r->first_start = f->first_start;
    r->last_compute = f->last_compute;
    r->cycles += f->end;
    double stall = fmax(0, f->end - f->compute);
    r->stall += stall;
    r->reload += f->mem_bytes > 0 ? stall * fmin(1, f->reload_bytes / f->mem_bytes) : 0;
    if (on_array)
        r->compute += f->compute;
    else
        r->pass += f->compute;
    r->compute_j += f->compute * s_per_cycle * busy_mw * 1e-3;
    r->mem_j += f->mem_pj * 1e-12;
    r->dma_j += f->mem_busy * s_per_cycle * ctx->chip.dma_mw * 1e-3;
    if (r->n_flows < 2) /* a layer has at most two flows (a fused point-wise stage) */
        buffer_blocks(ctx, f, out_elems, r->buf_blocks[r->n_flows++]);
    r->mem_bytes += f->mem_bytes;
    r->hits += f->hits;
    r->misses += f->misses;
}

/* A serial pass on modules that are not the array: cycles and power only. */
static void add_serial(const sim_ctx *ctx, double cycles, double mw, sim_layer_res *r)
{
    r->cycles += cycles;
    r->pass += cycles;
    r->compute_j += cycles * 1e-6 / ctx->chip.clock_mhz * mw * 1e-3;
}

static void run_nest(const sim_ctx *ctx, const sim_nest *n, sim_place pl, sim_layer_res *r)
{
    sim_unit u[CB_SIM_MAX_CLASSES];
    double prologue;
    int k = cb_sim_nest_units(ctx, n, pl, u, &prologue);
    sim_flow f;
    cb_sim_flow(ctx, u, k, prologue, &f);
    double out = (double)(n->b * n->x * n->y * n->of * n->od * n->groups);
    add_flow(ctx, &f, n->matmul ? ctx->chip.matmul_mw : ctx->chip.conv_mw, out, true, r);
    r->fill += ctx->chip.stages; /* the lanes' pipeline fills once per nest */
    r->cycles += ctx->chip.stages;
}

static double bn_cycles(const sim_ctx *ctx, double positions, double channels)
{
    return ceil_div(positions, ctx->chip.mult * ctx->chip.pe) * channels;
}

/* A convolution's nests and where each one's tensors sit: one nest, or a depth-wise nest then
 * a point-wise one on its output (kept on chip when it fits). Returns how many. */
static int conv_nests(const sim_ctx *ctx, const cb_workload *w, sim_place pl, sim_nest *n,
                      sim_place *at)
{
    n[0] = nest_of(w);
    at[0] = pl;
    if (w->size <= offsetof(cb_workload, pw_of) || w->pw_of <= 0)
        return 1;
    sim_nest *pw = &n[1];
    *pw = n[0];
    pw->in = n[0].of * n[0].groups;
    pw->of = w->pw_of;
    pw->kx = pw->ky = pw->kz = 1;
    pw->stride = 1;
    pw->groups = 1;
    pw->weights = (double)(pw->in * pw->of);
    n[0].weights = fmax(0, n[0].weights - pw->weights);
    pw->matmul = false;
    double positions = (double)(n[0].b * n[0].x * n[0].y * n[0].od);
    double mid = cb_sim_bytes(positions * (double)pw->in, ctx->opts.act_density);
    at[0] = (sim_place){pl.in_resident, mid <= ctx->chip.act_cap};
    at[1] = (sim_place){at[0].out_resident, pl.out_resident};
    return 2;
}

static void conv_layer(const sim_ctx *ctx, const cb_workload *w, sim_place pl, sim_layer_res *r)
{
    sim_nest n[2];
    sim_place at[2];
    int k = conv_nests(ctx, w, pl, n, at);
    double positions = (double)(n[0].b * n[0].x * n[0].y * n[0].od);
    for (int i = 0; i < k; i++)
        run_nest(ctx, &n[i], at[i], r);
    /* a fused batch-norm normalizes the last nest's outputs (and the depth-wise stage's) */
    double channels = k == 1 ? (double)(n[0].of * n[0].groups) : (double)(n[1].in + n[1].of);
    if (w->batchnorm)
        add_serial(ctx, bn_cycles(ctx, positions, channels), ctx->chip.bn_mw, r);
}

static unsigned place_bits(sim_place p) { return (unsigned)p.in_resident | (unsigned)p.out_resident << 1; }

unsigned cb_sim_layer_fits(const sim_ctx *ctx, const cb_workload *w, sim_place pl)
{
    unsigned code = place_bits(pl);
    if (w->kind != CB_WL_CONV)
        return code; /* a pass's traffic depends on its placement only */
    sim_nest n[2];
    sim_place at[2];
    int k = conv_nests(ctx, w, pl, n, at);
    for (int i = 0; i < k; i++)
        code |= (place_bits(at[i]) | cb_sim_nest_fits(ctx, &n[i]) << 2) << (2 + 4 * i);
    return code;
}

/* A pass on per-PE modules: its loads and stores stream on the timeline in chunks. */
static void pass_layer(const sim_ctx *ctx, const cb_workload *w, sim_place pl, double cycles,
                       double mw, sim_layer_res *r)
{
    double units = ceil_div((double)w->out_elems, CB_TILE_B * CB_TILE_X * CB_TILE_Y * CB_TILE_OF);
    if (units < 1)
        units = 1;
    sim_unit u = {units, cycles / units, pl.in_resident ? 0 : (double)w->in_elems / units, 0, 0, 0,
                  pl.out_resident ? 0 : (double)w->out_elems / units, (double)w->in_elems / units, 0};
    sim_flow f;
    cb_sim_flow(ctx, &u, 1, 0, &f);
    add_flow(ctx, &f, mw, (double)w->out_elems, false, r);
}

static bool is_gap(const cb_workload *w) { return w->n_ix == 1 && w->n_iy == 1 && w->window > 1; }

void cb_sim_one_layer(const sim_ctx *ctx, const cb_workload *w, sim_place pl, sim_layer_res *r)
{
    memset(r, 0, sizeof *r);
    ctx->parts->mem->reset(ctx->parts->mem_self);
    const sim_chip *c = &ctx->chip;
    double out = (double)w->out_elems, pe = c->pe;
    switch (w->kind) {
    case CB_WL_CONV:
        conv_layer(ctx, w, pl, r);
        break;
    case CB_WL_NORM:
        pass_layer(ctx, w, pl, bn_cycles(ctx, (double)(w->n_ib * w->n_ix * w->n_iy), (double)w->n_of),
                   c->bn_mw, r);
        break;
    case CB_WL_POOL:
        if (is_gap(w))
            pass_layer(ctx, w, pl, ceil_div(w->window, 25) * ceil_div(out, pe), c->gap_mw, r);
        else
            pass_layer(ctx, w, pl, ceil_div(out, pe), c->pool_mw, r);
        break;
    case CB_WL_RESAMPLE:
        pass_layer(ctx, w, pl, ceil_div(out, pe), c->up_mw, r);
        break;
    case CB_WL_ELEMWISE:
        if (w->activation == CB_ACT_NONE && w->window >= 2) /* an add of `window` tensors */
            pass_layer(ctx, w, pl, ceil_div(out * (w->window - 1), pe), c->elem_mw, r);
        break;
    default: /* no hardware work */
        break;
    }
    r->buf_j = cb_sim_layer_buf_j(c, r);
}
