/* tests/unit/sim_model.c: AccelBench's cycle, area and energy model (core/sim) with the real
 * mac and memory plugins: a dense convolution on a fully used array computes in exactly
 * MACs / (#PEs x lanes x multipliers) cycles and its total is that plus the stalls and fill
 * the model reports; area and energy grow with every size parameter; main memory's type
 * changes a memory-bound layer's latency; sparsity scales compute; the per-layer cache gives
 * the same answers; bad parts are refused with the value named. */
#include "sim_util.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static cb_simulator *sim;

static void setup(void) { sim = cb_simulator_new(); }
static void teardown(void) { cb_simulator_free(sim); }

TestSuite(sim_model, .init = setup, .fini = teardown);

/* 4 images x 64 x 64 outputs x 64 -> 64 channels, 3x3: every dimension is a whole number of
 * tiles (4, 64, 64, 64, 64) and of unrolling steps. */
static cb_workload full_tile_conv(void)
{
    cb_workload w = sim_conv(64, 64, 64, 64, 3, 1);
    w.activation = CB_ACT_RELU;
    return w;
}

static const cb_accel_vec FULL = {4, 16, 8, 8, 8, 3, 3, 4, 24, 24, 4, 1, 1};

Test(sim_model, dense_conv_computes_ideal_cycles)
{
    cb_workload w = full_tile_conv();
    cb_sim_net net = sim_chain(&w, 1);
    cb_sim_report r = sim_run(sim, &net, &FULL, 1.0);
    double macs = 4.0 * 64 * 64 * 64 * 64 * 9;
    double ideal = macs / (cb_accel_pes(&FULL) * cb_accel_lanes(&FULL) * FULL.p_if);
    cr_assert(eq(dbl, ideal, 2048.0)); /* the case is what it says */
    cr_assert(eq(dbl, r.compute_cycles, ideal));
    cr_assert(eq(dbl, r.cycles, r.compute_cycles + r.stall_cycles + r.fill_cycles + r.pass_cycles));
    cr_assert(gt(dbl, r.stall_cycles, 0.0), "the first tile's load cannot hide");
    cr_assert(eq(dbl, r.fill_cycles, 5.0), "mac16's five pipeline stages fill once");
    cr_assert(eq(dbl, r.latency_s, r.cycles / 700e6));
    cb_sim_report_free(&r);
    free(net.layers);
}

Test(sim_model, density_scales_compute)
{
    cb_workload w = full_tile_conv();
    cb_sim_net net = sim_chain(&w, 1);
    cb_sim_report dense = sim_run(sim, &net, &FULL, 1.0), sparse = sim_run(sim, &net, &FULL, 0.5);
    cr_assert(eq(dbl, sparse.compute_cycles, dense.compute_cycles * 0.25));
    cr_assert(lt(dbl, sparse.mem_bytes, dense.mem_bytes), "zero-free data moves fewer bytes");
    cb_sim_report_free(&dense);
    cb_sim_report_free(&sparse);
    free(net.layers);
}

/* Every size axis, one step up from a small vector. */
static const cb_accel_vec BASE = {1, 1, 2, 2, 1, 1, 1, 1, 2, 2, 1, 1, 1};

static cb_accel_vec bigger(int axis)
{
    cb_accel_vec v = BASE;
    int *p[] = {&v.p_ib, &v.p_if, &v.p_ix, &v.p_iy, &v.p_of, &v.p_kx};
    const int to[] = {2, 16, 3, 3, 2, 3};
    if (axis < 6)
        *p[axis] = to[axis];
    if (axis == 5)
        v.p_ky = 3;
    if (axis == 6)
        v.act_mb = 4;
    if (axis == 7)
        v.wgt_mb = 4;
    if (axis == 8)
        v.mask_mb = 2;
    return v;
}

static double leak_mw(const cb_sim_report *r) { return r->leak_energy_j / r->latency_s * 1e3; }
static double busy_mw(const cb_sim_report *r) { return r->dyn_compute_j / (r->compute_cycles / 700e6) * 1e3; }

/* Area, leakage power and the array's busy power grow with every size parameter. Dynamic
 * energy grows with the PE count and the buffers (an idle PE or a bigger buffer costs, the work
 * does not shrink) but falls with more lanes or multipliers per PE: the seeds' per-PE modules
 * (DataFlow) are shared by a PE's lanes and Im2Col is per lane whatever its multipliers, so
 * wider PEs finish the same work sooner for less. */
Test(sim_model, area_and_energy_grow_with_every_size_parameter)
{
    enum { IB, IF, IX, IY, OF, K, ACT, WGT, MASK };
    cb_workload w[2] = {sim_conv(16, 32, 16, 16, 3, 1), sim_conv(32, 32, 16, 16, 3, 1)};
    cb_sim_net net = sim_chain(w, 2);
    cb_sim_report base = sim_run(sim, &net, &BASE, 0.5);
    for (int axis = IB; axis <= MASK; axis++) {
        cb_accel_vec v = bigger(axis);
        cb_sim_report r = sim_run(sim, &net, &v, 0.5);
        cr_assert(gt(dbl, r.area_mm2, base.area_mm2), "axis %d: area", axis);
        cr_assert(gt(dbl, leak_mw(&r), leak_mw(&base)), "axis %d: leakage power", axis);
        if (axis <= K)
            cr_assert(gt(dbl, busy_mw(&r), busy_mw(&base)), "axis %d: busy power", axis);
        if (axis == IF || axis == OF || axis == K)
            cr_assert(lt(dbl, r.dyn_energy_j, base.dyn_energy_j), "axis %d: wider PEs save energy", axis);
        else if (axis >= ACT)
            cr_assert(gt(dbl, r.dyn_energy_j, base.dyn_energy_j), "axis %d: bigger buffers cost", axis);
        else
            cr_assert(ge(dbl, r.dyn_energy_j, base.dyn_energy_j * (1 - 1e-12)), "axis %d: more PEs", axis);
        cb_sim_report_free(&r);
    }
    cb_sim_report_free(&base);
    free(net.layers);
}

/* A 4096 x 4096 dense layer for one image: 16.8 M weights to fetch for 16.8 M MACs. */
Test(sim_model, memory_type_changes_latency_of_a_memory_bound_layer)
{
    cb_workload w = sim_dense(4096, 4096);
    cb_sim_net net = sim_chain(&w, 1);
    double lat[CB_MEM_TYPES + 1], e[CB_MEM_TYPES + 1];
    for (int t = 1; t <= CB_MEM_TYPES; t++) {
        cb_accel_vec v = {4, 16, 8, 8, 8, 3, 3, 1, 24, 24, 4, t, 1};
        cb_sim_report r = sim_run(sim, &net, &v, 0.5);
        cr_assert(gt(dbl, r.stall_cycles, 10 * r.compute_cycles), "type %d: memory bound", t);
        lat[t] = r.latency_s;
        e[t] = r.dyn_memory_j;
        cb_sim_report_free(&r);
    }
    /* RRAM (2 wide channels) beats HBM (4 x 128 bits) beats DDR4 (2 x 64 bits) */
    cr_assert(lt(dbl, lat[1], lat[3]));
    cr_assert(lt(dbl, lat[3], lat[2]));
    cr_assert(ne(dbl, e[1], e[2]));
    cr_assert(ne(dbl, e[2], e[3]));
    free(net.layers);
}

Test(sim_model, weights_that_do_not_fit_are_reloaded)
{
    /* 512 -> 512 3x3 at 64 x 64 for 4 images: 2.4 M weights, 4 output tiles of 64 x 64 */
    cb_workload w = sim_conv(512, 512, 64, 64, 3, 1);
    cb_sim_net net = sim_chain(&w, 1);
    cb_accel_vec fits = {4, 16, 8, 8, 8, 3, 3, 4, 24, 24, 4, 2, 1}, small = fits;
    small.wgt_mb = 1;
    cb_sim_report a = sim_run(sim, &net, &fits, 0.5), b = sim_run(sim, &net, &small, 0.5);
    cr_assert(eq(dbl, a.reload_cycles, 0.0));
    cr_assert(gt(dbl, b.mem_bytes, a.mem_bytes));
    cr_assert(eq(dbl, a.compute_cycles, b.compute_cycles));
    cb_sim_report_free(&a);
    cb_sim_report_free(&b);
    free(net.layers);
}

Test(sim_model, cached_layers_give_the_same_answer)
{
    cb_workload w[3] = {sim_conv(3, 32, 32, 32, 3, 1), sim_conv(32, 64, 32, 32, 3, 2), sim_dense(64 * 16 * 16, 10)};
    cb_sim_net net = sim_chain(w, 3);
    cb_accel_vec v = {2, 16, 8, 4, 8, 3, 3, 1, 12, 24, 4, 1, 1};
    cb_sim_report a = sim_run(sim, &net, &v, 0.5), b = sim_run(sim, &net, &v, 0.5);
    cr_assert(eq(u64, a.cache_misses, 3));
    cr_assert(eq(u64, b.cache_hits, 3));
    cr_assert(eq(dbl, a.cycles, b.cycles));
    cr_assert(eq(dbl, a.dyn_energy_j, b.dyn_energy_j));
    cb_simulator_clear(sim);
    cb_sim_report c = sim_run(sim, &net, &v, 0.5);
    cr_assert(eq(u64, c.cache_misses, 3));
    cr_assert(eq(dbl, a.cycles, c.cycles), "a fresh simulation agrees with the cached one");
    v.batch = 64; /* the batch changes every layer */
    cb_sim_report d = sim_run(sim, &net, &v, 0.5);
    cr_assert(eq(u64, d.cache_misses, 3));
    cr_assert(gt(dbl, d.cycles, a.cycles));
    cb_sim_report_free(&a);
    cb_sim_report_free(&b);
    cb_sim_report_free(&c);
    cb_sim_report_free(&d);
    free(net.layers);
}

static void refused(const cb_accel_vec *v, const cb_sim_parts *p, const char *expect)
{
    cb_workload w = sim_conv(8, 8, 8, 8, 3, 1);
    cb_sim_net net = sim_chain(&w, 1);
    cb_sim_report r;
    char why[512];
    cr_assert(eq(int, cb_simulate(sim, &net, v, p, NULL, &r, why, sizeof why), CB_EINVAL));
    cr_assert(ne(ptr, strstr(why, expect), NULL), "'%s' lacks '%s'", why, expect);
    free(net.layers);
}

Test(sim_model, bad_vectors_and_parts_are_refused)
{
    cb_accel_vec v = {2, 16, 8, 4, 8, 3, 3, 1, 12, 24, 4, 1, 1};
    cb_sim_parts p = sim_parts(&v);
    cb_accel_vec k = v;
    k.p_ky = 5;
    refused(&k, &p, "p_kx = 3 differs from p_ky = 5");
    cb_accel_vec one = v;
    one.p_if = 1; /* mac16's lanes have 16 multipliers */
    refused(&one, &p, "p_if = 1 but the MAC plugin's lane has 16 multipliers");
    cb_accel_vec mem = v;
    mem.mem_config = 2; /* the instance is RRAM config 1, [16, 2, 2] */
    refused(&mem, &p, "memory type 1 configuration 2 is [8 banks, 2 ranks, 4 channels]");
    cb_accel_vec big = v;
    big.p_ix = 65;
    refused(&big, &p, "p_ix = 65 is out of range 1..64");
    cb_accel_vec buf = v;
    buf.act_mb = 0;
    refused(&buf, &p, "act_buffer_mb = 0 MB is out of range (0, 1024]");
}
