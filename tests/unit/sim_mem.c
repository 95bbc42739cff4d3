/* tests/unit/sim_mem.c: the memory plugins rram, dram and hbm (the .so files in
 * <build>/plugins/memory), created through their C create() with Table 2's configurations: a
 * row hit is faster than a miss, a miss on an open row pays the precharge where the technology has one, the technology
 * changes bandwidth, latency and energy, a stream runs near the peak bandwidth; and the SDK's
 * segment-level timing model (codebench/memtiming.h) gives exactly what stepping burst by
 * burst gives. */
#include "sim_util.h"

#include <codebench/memtiming.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct mem {
    const cb_memory_vt *vt;
    void *self;
    cb_mem_model m;
    double row_bytes;
} mem;

static double schema_default(const cb_plugin *p, const char *name)
{
    for (int i = 0; p->params[i].name; i++)
        if (strcmp(p->params[i].name, name) == 0)
            return strtod(p->params[i].def, NULL);
    cr_fatal("%s has no parameter %s", p->name, name);
    return 0;
}

static mem open_mem(int type, int config)
{
    int b, r, c;
    cr_assert(cb_mem_geometry(type, config, &b, &r, &c));
    const cb_plugin *p = sim_plugin(CB_KIND_MEMORY, sim_mem_name(type));
    mem x = {p->vtable, sim_memory(p->name, b, r, c), {.size = sizeof x.m}, schema_default(p, "row_bytes")};
    cb_error e;
    cr_assert(eq(int, x.vt->describe(x.self, &x.m, &e), CB_OK));
    cr_assert(x.m.banks == b && x.m.ranks == r && x.m.channels == c);
    return x;
}

static void close_mem(mem *x)
{
    sim_plugin(CB_KIND_MEMORY, sim_mem_name(1))->destroy(x->self);
}

static uint64_t latency(mem *x, uint64_t addr, uint64_t now, cb_mem_cost *c)
{
    x->vt->access(x->self, addr, (uint64_t)x->m.burst_bytes, CB_READ, now, c);
    return c->done_ps - now;
}

/* For every technology and configuration: hit < miss; a second row of the same bank costs a
 * precharge on DRAM and HBM, not on RRAM (cells read in place). */
Test(sim_mem, row_hits_are_faster_than_misses)
{
    for (int t = 1; t <= CB_MEM_TYPES; t++)
        for (int k = 1; k <= cb_mem_configs(t); k++) {
            mem x = open_mem(t, k);
            x.vt->reset(x.self);
            cb_mem_cost miss, hit, conflict;
            uint64_t l_miss = latency(&x, 0, 0, &miss);
            uint64_t l_hit = latency(&x, (uint64_t)x.m.burst_bytes * (uint64_t)x.m.channels, 1000000, &hit);
            uint64_t same_bank = (uint64_t)(x.row_bytes * x.m.channels * x.m.banks * x.m.ranks);
            uint64_t l_conflict = latency(&x, same_bank, 2000000, &conflict);
            cr_assert(miss.row_misses == 1 && miss.row_hits == 0, "type %d config %d", t, k);
            cr_assert(hit.row_hits == 1 && hit.row_misses == 0, "type %d config %d: the next burst of the row", t, k);
            cr_assert(conflict.row_misses == 1, "type %d config %d: another row of the bank", t, k);
            cr_assert(lt(u64, l_hit, l_miss), "type %d config %d", t, k);
            if (t == 1)
                cr_assert(eq(u64, l_conflict, l_miss), "RRAM has no precharge");
            else
                cr_assert(gt(u64, l_conflict, l_miss), "type %d config %d: precharge", t, k);
            cr_assert(gt(dbl, miss.energy_pj, hit.energy_pj), "an activation costs energy");
            x.vt->reset(x.self);
            cb_mem_cost again;
            cr_assert(eq(u64, latency(&x, 0, 0, &again), l_miss), "reset closes the rows");
            close_mem(&x);
        }
}

/* 8 MB streamed from each technology's first configuration. */
Test(sim_mem, technology_changes_bandwidth_latency_and_energy)
{
    double ns[4], gbps[4], pj[4];
    for (int t = 1; t <= CB_MEM_TYPES; t++) {
        mem x = open_mem(t, 1);
        x.vt->reset(x.self);
        cb_mem_cost c;
        uint64_t bytes = 8u << 20;
        x.vt->access(x.self, 0, bytes, CB_READ, 0, &c);
        double s = (double)c.done_ps * 1e-12;
        gbps[t] = (double)bytes / s / 1e9;
        ns[t] = x.m.latency_ns;
        pj[t] = c.energy_pj / (bytes * 8.0);
        /* (the clock period is a whole number of ps: DDR4-2400's 833.3 ps runs as 833) */
        cr_assert(le(dbl, gbps[t], x.m.peak_gbps * 1.001), "type %d: never above the peak", t);
        cr_assert(ge(dbl, gbps[t], x.m.peak_gbps * 0.8), "type %d: a stream runs near the peak (%g of %g GB/s)", t,
                  gbps[t], x.m.peak_gbps);
        cr_assert(ge(u32, c.row_hits, c.row_misses), "type %d: a stream reads whole rows", t);
        close_mem(&x);
    }
    for (int a = 1; a <= CB_MEM_TYPES; a++)
        for (int b = a + 1; b <= CB_MEM_TYPES; b++) {
            cr_assert(ne(dbl, gbps[a], gbps[b]), "types %d and %d: bandwidth", a, b);
            cr_assert(ne(dbl, ns[a], ns[b]), "types %d and %d: latency", a, b);
            cr_assert(ne(dbl, pj[a], pj[b]), "types %d and %d: energy per bit", a, b);
        }
}

Test(sim_mem, more_channels_more_bandwidth)
{
    mem narrow = open_mem(1, 5), wide = open_mem(1, 6); /* RRAM [32,2,1] and [1,2,32] */
    cr_assert(eq(dbl, wide.m.peak_gbps, 32 * narrow.m.peak_gbps));
    cr_assert(gt(u64, wide.m.capacity_bytes, 0));
    close_mem(&narrow);
    close_mem(&wide);
}

/* ---- the segment-level model against burst-by-burst stepping ---------------------------- */

typedef struct ref {
    cb_memtiming_cfg c;
    int64_t open[4096];
    uint64_t bank_free[4096], bus_free[64], tck;
    int burst;
} ref;

static void ref_init(ref *r, const cb_memtiming_cfg *c)
{
    memset(r, 0, sizeof *r);
    r->c = *c;
    for (int i = 0; i < 4096; i++)
        r->open[i] = -1;
    r->tck = (uint64_t)(1e6 / c->clock_mhz + 0.5);
    r->burst = c->bus_bits / 8 * c->t_burst * c->transfers_per_clock;
}

/* The model of memtiming.h, one burst at a time. */
static void ref_access(ref *r, uint64_t addr, uint64_t bytes, cb_access k, uint64_t now, cb_mem_cost *cost)
{
    const cb_memtiming_cfg *c = &r->c;
    memset(cost, 0, sizeof *cost);
    uint64_t done = now, cols = (uint64_t)(c->row_bytes / r->burst);
    for (uint64_t blk = addr / (uint64_t)r->burst; blk <= (addr + bytes - 1) / (uint64_t)r->burst; blk++) {
        uint64_t ch = blk % (uint64_t)c->channels, slot = blk / (uint64_t)c->channels / cols;
        uint64_t bank = slot % (uint64_t)c->banks, rank = slot / (uint64_t)c->banks % (uint64_t)c->ranks;
        int64_t row = (int64_t)(slot / (uint64_t)(c->banks * c->ranks));
        size_t b = (size_t)((ch * (uint64_t)c->ranks + rank) * (uint64_t)c->banks + bank);
        uint64_t cmd = now > r->bank_free[b] ? now : r->bank_free[b];
        if (r->open[b] == row) {
            cost->row_hits++;
        } else {
            cmd += (uint64_t)((r->open[b] >= 0 && c->precharge ? c->t_rp : 0) + c->t_rcd) * r->tck;
            r->open[b] = row;
            cost->row_misses++;
            cost->energy_pj += c->e_act_pj;
        }
        bool wr = k == CB_WRITE;
        uint64_t ready = cmd + (uint64_t)(wr ? c->t_wr : c->t_cas) * r->tck;
        r->bank_free[b] = cmd + (uint64_t)(wr ? c->t_wr : c->t_burst) * r->tck;
        uint64_t start = ready > r->bus_free[ch] ? ready : r->bus_free[ch], end = start + (uint64_t)c->t_burst * r->tck;
        r->bus_free[ch] = end;
        cost->energy_pj += r->burst * 8.0 * (wr ? c->e_wr_pj_per_bit : c->e_rd_pj_per_bit);
        done = end > done ? end : done;
    }
    cost->done_ps = done;
}

static void compare(const cb_memtiming_cfg *c, uint64_t max_bytes, int requests, uint64_t seed)
{
    cb_memtiming m;
    static ref r;
    cr_assert(eq(int, cb_memtiming_init(&m, c), CB_OK));
    ref_init(&r, c);
    cb_rng rng;
    cb_rng_seed(&rng, seed);
    uint64_t now = 0;
    for (int i = 0; i < requests; i++) {
        uint64_t addr = cb_rng_below(&rng, 1u << 26), bytes = 1 + cb_rng_below(&rng, max_bytes);
        cb_access k = cb_rng_below(&rng, 4) == 0 ? CB_WRITE : CB_READ;
        now += cb_rng_below(&rng, 200000);
        cb_mem_cost a, b;
        cb_memtiming_access(&m, addr, bytes, k, now, &a);
        ref_access(&r, addr, bytes, k, now, &b);
        cr_assert(eq(u64, a.done_ps, b.done_ps), "request %d (%llu bytes)", i, (unsigned long long)bytes);
        cr_assert(eq(u32, a.row_hits, b.row_hits), "request %d", i);
        cr_assert(eq(u32, a.row_misses, b.row_misses), "request %d", i);
        cr_assert(le(dbl, fabs(a.energy_pj - b.energy_pj), 1e-9 * b.energy_pj), "request %d", i);
    }
    cb_memtiming_free(&m);
}

/* DDR4-like (precharge, 8 KB rows) and RRAM-like (no precharge, slow writes) timings. */
static const cb_memtiming_cfg DDR = {16, 2, 2, 64, 1200, 2, 16, 16, 16, 18, 4, 1, 8192, 2000, 15, 15, 0, 0, 0};
static const cb_memtiming_cfg NVM = {4, 2, 8, 1024, 2000, 1, 17, 6, 0, 20, 4, 0, 4096, 81.2, 0.02, 0.4, 0, 0, 0};

Test(sim_mem, segments_equal_burst_by_burst_stepping)
{
    compare(&DDR, 20000, 3000, 1);
    compare(&NVM, 20000, 3000, 2);
}

Test(sim_mem, whole_rotations_added_in_one_step_equal_stepping)
{
    compare(&DDR, 8u << 20, 40, 3); /* long streams: the steady-state shortcut runs */
    compare(&NVM, 8u << 20, 40, 4);
}
