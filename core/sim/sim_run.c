/* core/sim/sim_run.c: one simulation (cb_simulate): check the vector against its parts, derive
 * the chip, place the tensors, simulate (or recall) every layer, let each layer's first load
 * hide behind the previous layer's last tile, and add up latency, energy and area. */
#include "sim/sim_internal.h"
#include "util/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cb_simulator {
    sim_cache *cache;
};

cb_simulator *cb_simulator_new(void)
{
    cb_simulator *s = cb_xcalloc(1, sizeof *s);
    s->cache = cb_sim_cache_new();
    return s;
}

void cb_simulator_free(cb_simulator *s)
{
    if (!s)
        return;
    cb_sim_cache_free(s->cache);
    free(s);
}

void cb_simulator_clear(cb_simulator *s) { cb_sim_cache_clear(s->cache); }

static unsigned activation_mask(const cb_sim_net *net)
{
    unsigned m = 0;
    for (int v = 0; v < net->n; v++)
        if (net->layers[v].w.activation > 0 && net->layers[v].w.activation < 32)
            m |= 1u << net->layers[v].w.activation;
    return m;
}

static int describe_parts(sim_ctx *ctx, char *why, size_t n)
{
    const cb_sim_parts *p = ctx->parts;
    cb_error e;
    memset(&e, 0, sizeof e);
    ctx->mac.size = sizeof ctx->mac;
    if (p->mac->describe(p->mac_self, ctx->act_mask, &ctx->mac, &e) != CB_OK) {
        snprintf(why, n, "MAC plugin: %s", e.msg);
        return CB_EFAIL;
    }
    if (ctx->mac.multipliers != ctx->v->p_if) {
        snprintf(why, n, "p_if = %d but the MAC plugin's lane has %d multipliers", ctx->v->p_if,
                 ctx->mac.multipliers);
        return CB_EINVAL;
    }
    if (!(ctx->mac.clock_mhz > 0) || ctx->mac.stages < 0) {
        snprintf(why, n, "MAC plugin: clock %g MHz or %d pipeline stages is not usable",
                 ctx->mac.clock_mhz, ctx->mac.stages);
        return CB_EFAIL;
    }
    ctx->mem.size = sizeof ctx->mem;
    if (p->mem->describe(p->mem_self, &ctx->mem, &e) != CB_OK) {
        snprintf(why, n, "memory plugin: %s", e.msg);
        return CB_EFAIL;
    }
    return CB_OK;
}

/* The memory instance must be the configuration the vector names. */
static int check_memory(const sim_ctx *ctx, char *why, size_t n)
{
    int b, r, c;
    const cb_accel_vec *v = ctx->v;
    if (v->mem_type == 0)
        return CB_OK;
    cb_mem_geometry(v->mem_type, v->mem_config, &b, &r, &c);
    const cb_mem_model *m = &ctx->mem;
    if (m->banks == b && m->ranks == r && m->channels == c)
        return CB_OK;
    snprintf(why, n, "memory type %d configuration %d is [%d banks, %d ranks, %d channels] but the "
                     "memory plugin instance has [%d, %d, %d]",
             v->mem_type, v->mem_config, b, r, c, m->banks, m->ranks, m->channels);
    return CB_EINVAL;
}

int cb_sim_setup(sim_ctx *ctx, const cb_sim_net *net, const cb_accel_vec *v, const cb_sim_parts *p,
                 const cb_sim_opts *o, char *why, size_t n)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->v = v;
    ctx->parts = p;
    ctx->opts = o ? *o : CB_SIM_OPTS_DEFAULT;
    if (cb_accel_vec_check(v, why, n))
        return CB_EINVAL;
    if (!(ctx->opts.act_density > 0 && ctx->opts.act_density <= 1 && ctx->opts.wgt_density > 0 &&
          ctx->opts.wgt_density <= 1)) {
        snprintf(why, n, "operand densities must be in (0, 1] (activation %g, weight %g)",
                 ctx->opts.act_density, ctx->opts.wgt_density);
        return CB_EINVAL;
    }
    if (!p || !p->mac || !p->mem) {
        snprintf(why, n, "the simulator needs a MAC plugin and a memory plugin");
        return CB_EINVAL;
    }
    ctx->act_mask = activation_mask(net);
    int rc = describe_parts(ctx, why, n);
    if (rc == CB_OK)
        rc = check_memory(ctx, why, n);
    if (rc == CB_OK)
        cb_sim_chip(ctx);
    return rc;
}

cb_workload cb_sim_batched(const cb_workload *w, int batch)
{
    cb_workload b = *w;
    b.n_ib = batch;
    b.in_elems *= batch;
    b.out_elems *= batch;
    b.elements *= batch;
    return b;
}

static void add_layer(cb_sim_report *r, const sim_layer_res *res, double overlap, cb_sim_layer_out *L)
{
    L->cycles = res->cycles - overlap;
    L->compute_cycles = res->compute;
    L->stall_cycles = res->stall - overlap;
    L->reload_cycles = fmin(res->reload, L->stall_cycles);
    L->fill_cycles = res->fill;
    L->pass_cycles = res->pass;
    L->dyn_energy_j = res->compute_j + res->mem_j + res->buf_j + res->dma_j;
    L->mem_bytes = res->mem_bytes;
    L->row_hits = res->hits;
    L->row_misses = res->misses;
    r->cycles += L->cycles;
    r->compute_cycles += L->compute_cycles;
    r->stall_cycles += L->stall_cycles;
    r->reload_cycles += L->reload_cycles;
    r->fill_cycles += L->fill_cycles;
    r->pass_cycles += L->pass_cycles;
    r->dyn_compute_j += res->compute_j;
    r->dyn_memory_j += res->mem_j;
    r->dyn_buffer_j += res->buf_j;
    r->dyn_dma_j += res->dma_j;
    r->mem_bytes += res->mem_bytes;
    r->row_hits += res->hits;
    r->row_misses += res->misses;
}

static void totals(const sim_ctx *ctx, cb_sim_report *r)
{
    const sim_chip *c = &ctx->chip;
    r->clock_mhz = c->clock_mhz;
    r->latency_s = r->cycles / (c->clock_mhz * 1e6);
    for (int i = 0; i < CB_AREA_PARTS; i++) {
        r->area_by[i] = c->area_by[i];
        r->area_mm2 += c->area_by[i];
    }
    r->dyn_energy_j = r->dyn_compute_j + r->dyn_memory_j + r->dyn_buffer_j + r->dyn_dma_j;
    r->leak_energy_j = r->latency_s * c->leak_mw * 1e-3;
    for (int i = 0; i < r->n_layers; i++) {
        r->layers[i].latency_s = r->layers[i].cycles / (c->clock_mhz * 1e6);
        r->layers[i].leak_energy_j = r->layers[i].latency_s * c->leak_mw * 1e-3;
    }
    r->throughput_fps = r->latency_s > 0 ? ctx->v->batch / r->latency_s : 0;
    r->edp = (r->dyn_energy_j + r->leak_energy_j) * r->latency_s;
}

void cb_sim_add_up(const sim_ctx *ctx, const sim_layer_res *const *res, int n, cb_sim_report *r)
{
    double prev_tail = 0; /* the previous layer's last tile: the next layer's first load hides in it */
    for (int i = 0; i < n; i++) {
        double overlap = fmin(fmin(res[i]->first_start, prev_tail), res[i]->stall);
        add_layer(r, res[i], overlap, &r->layers[i]);
        if (res[i]->cycles > 0)
            prev_tail = res[i]->last_compute;
    }
    totals(ctx, r);
}

int cb_simulate(cb_simulator *s, const cb_sim_net *net, const cb_accel_vec *v,
                const cb_sim_parts *parts, const cb_sim_opts *opts, cb_sim_report *r, char *why,
                size_t why_len)
{
    memset(r, 0, sizeof *r);
    sim_ctx ctx;
    int rc = cb_sim_setup(&ctx, net, v, parts, opts, why, why_len);
    if (rc)
        return rc;
    sim_place *place = cb_xcalloc((size_t)net->n + 1, sizeof *place);
    sim_layer_res *res = cb_xcalloc((size_t)net->n + 1, sizeof *res);
    const sim_layer_res **ptrs = cb_xcalloc((size_t)net->n + 1, sizeof *ptrs);
    cb_sim_plan(&ctx, net, place);
    uint64_t hits = 0, misses = 0;
    for (int i = 0; i < net->n; i++) {
        cb_workload w = cb_sim_batched(&net->layers[i].w, v->batch);
        if (cb_sim_cache_get(s->cache, &ctx, &w, place[i], &res[i])) {
            hits++;
        } else {
            cb_sim_one_layer(&ctx, &w, place[i], &res[i]);
            cb_sim_cache_put(s->cache, &ctx, &w, place[i], &res[i]);
            misses++;
        }
        ptrs[i] = &res[i];
    }
    r->layers = cb_xcalloc((size_t)net->n + 1, sizeof *r->layers);
    r->n_layers = net->n;
    cb_sim_add_up(&ctx, ptrs, net->n, r);
    r->cache_hits = hits;
    r->cache_misses = misses;
    free(ptrs);
    free(res);
    free(place);
    return CB_OK;
}

void cb_sim_report_free(cb_sim_report *r)
{
    free(r->layers);
    r->layers = NULL;
    r->n_layers = 0;
}
