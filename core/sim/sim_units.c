/* core/sim/sim_units.c: a loop nest cut into tiles, as classes of identical units of work
 * (cb_sim_nest_units).
 *
 * Output-stationary order: for every output tile (batch x columns x rows x output channels)
 * the reduction runs over input-channel chunks, each a unit: load its input window and
 * weights, compute, and after the last chunk the outputs leave the PEs. A unit computes in
 *   ceil(Tb/Pib) ceil(Tx/Pix) ceil(Ty/Piy) ceil(Tif/Pif) ceil(Tof/Pof) ceil(Kx/Pkx) ceil(Ky/Pky)
 * cycles (reference 2.7, per group; a 3-D kernel's depth runs sequentially), scaled by the
 * activation and weight densities (the binary-mask modules skip pairs with a zero). A dense
 * layer is one matrix product spread over every multiplier, as the seeds' MatMul block.
 * Tiles at the edges are smaller; each dimension has at most a full and a partial tile size,
 * so a nest has at most 32 classes.
 *
 * Buffer reuse decides the traffic: weights that fit the weight buffer load once before the
 * first unit (the prologue), else every output tile fetches them again; an output tile's input
 * window loads once when it fits half the activation buffer (the other half is the double
 * buffer), else once per output-channel tile. */
#include "sim/sim_internal.h"

#include <math.h>

double cb_sim_bytes(double elems, double density)
{
    return elems * (CB_SIM_DATA_BITS / 8.0) * density + (density < 1.0 ? elems / 8.0 : 0.0);
}

static int64_t cdiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

/* The (up to) two tile sizes of a dimension and how many tiles have each. */
typedef struct split {
    int n;
    int64_t size[2], count[2];
} split;

static split split_dim(int64_t d, int64_t tile)
{
    split s = {0, {0, 0}, {0, 0}};
    if (d / tile > 0)
        s.size[s.n] = tile, s.count[s.n++] = d / tile;
    if (d % tile > 0)
        s.size[s.n] = d % tile, s.count[s.n++] = 1;
    return s;
}

enum { D_B, D_X, D_Y, D_OF, D_IF, N_DIMS };

/* Compute cycles of one dense unit of sizes t[]. */
static double unit_cycles(const sim_ctx *ctx, const sim_nest *n, const int64_t t[N_DIMS])
{
    const cb_accel_vec *v = ctx->v;
    if (n->matmul)
        return (double)cdiv(t[D_B] * t[D_IF] * t[D_OF],
                            (int64_t)cb_accel_pes(v) * cb_accel_lanes(v) * v->p_if);
    return (double)(cdiv(t[D_B], v->p_ib) * cdiv(t[D_X], v->p_ix) * cdiv(t[D_Y], v->p_iy)) *
           (double)(cdiv(t[D_IF], v->p_if) * cdiv(t[D_OF], v->p_of)) *
           (double)(cdiv(n->kx, v->p_kx) * cdiv(n->ky, v->p_ky) * n->kz);
}

typedef struct reuse {
    bool in_once, w_prologue;
    double n_of, n_if, n_out; /* output-channel tiles, input chunks, output (b, x, y) tiles */
} reuse;

static reuse decide(const sim_ctx *ctx, const sim_nest *n)
{
    reuse r;
    r.n_of = (double)cdiv(n->of, CB_TILE_OF);
    r.n_if = (double)cdiv(n->in, CB_TILE_IF);
    r.n_out = (double)(cdiv(n->b, CB_TILE_B) * cdiv(n->x, CB_TILE_X) * cdiv(n->y, CB_TILE_Y) * n->od);
    int64_t tb = n->b < CB_TILE_B ? n->b : CB_TILE_B, tx = n->x < CB_TILE_X ? n->x : CB_TILE_X;
    int64_t ty = n->y < CB_TILE_Y ? n->y : CB_TILE_Y;
    double window = (double)(tb * n->in * ((tx - 1) * n->stride + n->kx) *
                             ((ty - 1) * n->stride + n->ky) * n->kz);
    r.in_once = cb_sim_bytes(window, ctx->opts.act_density) <= ctx->chip.act_cap / 2;
    r.w_prologue = cb_sim_bytes(n->weights, ctx->opts.wgt_density) <= ctx->chip.wgt_cap;
    return r;
}

unsigned cb_sim_nest_fits(const sim_ctx *ctx, const sim_nest *n)
{
    reuse r = decide(ctx, n);
    return (unsigned)r.in_once | (unsigned)r.w_prologue << 1;
}

static void fill_unit(const sim_ctx *ctx, const sim_nest *n, sim_place pl, const reuse *r,
                      const int64_t t[N_DIMS], sim_unit *u)
{
    double dense = unit_cycles(ctx, n, t);
    u->compute = ceil(dense * ctx->opts.act_density * ctx->opts.wgt_density);
    int64_t wx = (t[D_X] - 1) * n->stride + n->kx, wy = (t[D_Y] - 1) * n->stride + n->ky;
    u->in_read = (double)(t[D_B] * t[D_IF] * wx * wy * n->kz);
    u->w_read = (double)(t[D_OF] * t[D_IF] * n->kx * n->ky * n->kz);
    /* first fetches spread over the units that share them; the rest are reloads */
    u->in_load = pl.in_resident ? 0 : u->in_read / r->n_of;
    u->in_reload = pl.in_resident || r->in_once ? 0 : u->in_read - u->in_load;
    u->w_load = r->w_prologue ? 0 : u->w_read / r->n_out;
    u->w_reload = r->w_prologue ? 0 : u->w_read - u->w_load;
    u->out_store = pl.out_resident ? 0 : (double)(t[D_B] * t[D_X] * t[D_Y] * t[D_OF]) / r->n_if;
}

int cb_sim_nest_units(const sim_ctx *ctx, const sim_nest *n, sim_place pl, sim_unit *u,
                      double *prologue)
{
    reuse r = decide(ctx, n);
    *prologue = r.w_prologue ? n->weights : 0;
    split s[N_DIMS] = {split_dim(n->b, CB_TILE_B), split_dim(n->x, CB_TILE_X),
                       split_dim(n->y, CB_TILE_Y), split_dim(n->of, CB_TILE_OF),
                       split_dim(n->in, CB_TILE_IF)};
    int k = 0;
    for (int ib = 0; ib < s[D_B].n; ib++)
        for (int ix = 0; ix < s[D_X].n; ix++)
            for (int iy = 0; iy < s[D_Y].n; iy++)
                for (int io = 0; io < s[D_OF].n; io++)
                    for (int ii = 0; ii < s[D_IF].n; ii++) {
                        const int64_t t[N_DIMS] = {s[D_B].size[ib], s[D_X].size[ix], s[D_Y].size[iy],
                                                   s[D_OF].size[io], s[D_IF].size[ii]};
                        fill_unit(ctx, n, pl, &r, t, &u[k]);
                        u[k++].count = (double)(s[D_B].count[ib] * s[D_X].count[ix] * s[D_Y].count[iy] *
                                                s[D_OF].count[io] * s[D_IF].count[ii] * n->od *
                                                n->groups);
                    }
    return k;
}
