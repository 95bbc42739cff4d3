/* tests/unit/sim.c: AccelBench's cycle model on a single dense convolution: compute cycles equal
 * the ideal MACs / (PEs x lanes x multipliers) plus the lane pipeline fill, memory stalls add on
 * top, area and energy grow with every size parameter, a slower memory slows a memory-bound
 * layer, and bad vectors are refused with the value named. Uses the fixture MAC (2 multipliers)
 * and memory plugins, so the figures are checkable by hand. */
#include "../plugins/fixture.h"
#include "accel/sim.h"
#include "cnn/net.h"
#include "host/host.h"
#include "plugin/bind.h"
#include "plugin/param.h"
#include "test_util.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdlib.h>
#include <string.h>

static cb_registry reg;
static cb_net net;
static cb_instance mac, mem;

static void create(const char *name, cb_kind kind, cb_instance *inst, const char *param, const char *value)
{
    cb_error e;
    const cb_entry *en = cb_registry_find(&reg, kind, name, &e);
    cr_assert(ne(ptr, (void *)en, NULL), "%s", e.msg);
    cb_value vals[16];
    char why[256];
    cr_assert(eq(int, cb_param_defaults(en->plugin->params, vals, why, sizeof why), CB_OK));
    if (param) {
        int i = cb_param_index(en->plugin->params, param);
        cr_assert(eq(int, cb_param_parse(&en->plugin->params[i], value, false, &vals[i], why, sizeof why), CB_OK));
    }
    cr_assert(eq(int, cb_plugin_create(en->plugin, cb_host_new(name), vals, inst, &e), CB_OK), "%s", e.msg);
}

static void setup(void)
{
    cb_registry_init(&reg);
    cb_error e;
    char *ops = cb_test_path("plugins/ops/std.so"), *fx = cb_test_path("tests/plugins/good/fixture_pack.so");
    cr_assert(eq(int, cb_registry_load_file(&reg, ops, &e), CB_OK), "%s", e.msg);
    cr_assert(eq(int, cb_registry_load_file(&reg, fx, &e), CB_OK), "%s", e.msg);
    free(ops);
    free(fx);
    char *card = cb_test_src("tests/cards/one_conv.yaml");
    cb_diag d;
    cr_assert(eq(int, cb_net_load_card(card, &reg, &net, &d), CB_OK), "%s", d.msg);
    free(card);
    create("fx_mac", CB_KIND_MAC, &mac, NULL, NULL);
    create("fx_mem", CB_KIND_MEMORY, &mem, NULL, NULL);
}

static void drop(cb_instance *inst)
{
    cb_instance_destroy(inst);
    cb_host_free(inst->host);
}

static void teardown(void)
{
    drop(&mem);
    drop(&mac);
    cb_net_free(&net);
    cb_registry_free(&reg);
}

TestSuite(sim, .init = setup, .fini = teardown);

static cb_sim_hw hw_dense(void)
{
    return (cb_sim_hw){mac.plugin->vtable, mac.self, mem.plugin->vtable, mem.self, 1.0, 1.0};
}

static cb_accel_cfg full_array(void)
{
    /* PEs 4 x 16 x 16 cover a whole 4 x 16 x 16 output tile; lanes 32 x 3 x 3 cover every output
     * channel and the kernel window; the fixture MAC has 2 multipliers per lane (P_if = 2). */
    return (cb_accel_cfg){4, 2, 16, 16, 32, 3, 3, 4, 8, 8, 4};
}

Test(sim, dense_conv_ideal_cycles_plus_stalls)
{
    cb_accel_cfg c = full_array();
    cb_sim_hw hw = hw_dense();
    cb_sim_result r;
    char why[256];
    cr_assert(eq(int, cb_sim_run(&net.g, &c, &hw, &r, why, sizeof why), CB_OK), "%s", why);
    double macs = 4.0 * 16 * 16 * 32 * 16 * 9;
    double ideal = macs / (4.0 * 16 * 16 * (32.0 * 3 * 3) * 2);
    cr_assert(eq(dbl, ideal, 8.0));
    cr_assert(eq(int, r.n_layers, 1));
    cr_assert(eq(dbl, r.layers[0].compute_cycles, ideal + 1 /* fx_mac: one pipeline stage */));
    cr_assert(eq(dbl, r.layers[0].cycles, r.layers[0].compute_cycles + r.layers[0].stall_cycles));
    cr_assert(gt(dbl, r.layers[0].stall_cycles, 0.0)); /* the first tile's input and weights load */
    cr_assert(gt(dbl, r.cycles, r.layers[0].cycles));  /* plus the network input */
    cr_assert(gt(dbl, r.area_mm2, 0.0));
    cr_assert(gt(dbl, r.dyn_energy_j, 0.0));
    cr_assert(gt(dbl, r.leak_energy_j, 0.0));
    cb_sim_result_free(&r);

    /* half the output channels per pass: compute doubles */
    c.p_of = 16;
    cr_assert(eq(int, cb_sim_run(&net.g, &c, &hw, &r, why, sizeof why), CB_OK), "%s", why);
    cr_assert(eq(dbl, r.layers[0].compute_cycles, 2 * ideal + 1));
    cb_sim_result_free(&r);
}

static cb_sim_result run(cb_accel_cfg c)
{
    cb_sim_hw hw = {mac.plugin->vtable, mac.self, mem.plugin->vtable, mem.self, 0.5, 0.5};
    cb_sim_result r;
    char why[256];
    cr_assert(eq(int, cb_sim_run(&net.g, &c, &hw, &r, why, sizeof why), CB_OK), "%s", why);
    return r;
}

Test(sim, area_and_energy_grow_with_each_size_parameter)
{
    cb_accel_cfg base = {1, 2, 2, 2, 2, 1, 1, 4, 2, 2, 1}; /* batch 4: P_ib has work to split */
    cb_sim_result r0 = run(base);
    int *fields[] = {&base.p_ib, &base.p_ix, &base.p_iy, &base.p_of};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        cb_accel_cfg c = base;
        *(int *)((char *)&c + ((char *)fields[i] - (char *)&base)) *= 2;
        cb_sim_result r = run(c);
        cr_assert(gt(dbl, r.area_mm2, r0.area_mm2), "parameter %zu", i);
        cr_assert(lt(dbl, r.compute_cycles, r0.compute_cycles), "parameter %zu", i);
        cb_sim_result_free(&r);
    }
    cb_accel_cfg k = base;
    k.p_kx = k.p_ky = 3;
    cb_sim_result rk = run(k);
    cr_assert(gt(dbl, rk.area_mm2, r0.area_mm2));
    cb_sim_result_free(&rk);
    double *bufs[] = {&base.act_mb, &base.wgt_mb, &base.mask_mb};
    for (size_t i = 0; i < 3; i++) {
        cb_accel_cfg c = base;
        *(double *)((char *)&c + ((char *)bufs[i] - (char *)&base)) *= 4;
        cb_sim_result r = run(c);
        cr_assert(gt(dbl, r.area_mm2, r0.area_mm2), "buffer %zu", i);
        cr_assert(gt(dbl, r.leak_energy_j / r.latency_s, r0.leak_energy_j / r0.latency_s), "buffer %zu", i);
        cb_sim_result_free(&r);
    }
    cb_sim_result_free(&r0);
}

Test(sim, slower_memory_slows_a_memory_bound_layer)
{
    cb_accel_cfg c = full_array(); /* compute is tiny: the layer is memory bound */
    cb_sim_result fast = run(c);
    drop(&mem);
    create("fx_mem", CB_KIND_MEMORY, &mem, "clock_ghz", "0.1");
    cb_sim_result slow = run(c);
    cr_assert(gt(dbl, slow.stall_cycles, 5 * fast.stall_cycles));
    cr_assert(gt(dbl, slow.latency_s, fast.latency_s));
    cr_assert(eq(dbl, slow.compute_cycles, fast.compute_cycles));
    cb_sim_result_free(&fast);
    cb_sim_result_free(&slow);
}

Test(sim, bad_vectors_are_refused)
{
    cb_accel_cfg c = full_array();
    char why[256];
    c.p_ky = 5;
    cr_assert(eq(int, cb_accel_cfg_check(&c, why, sizeof why), CB_EINVAL));
    cr_assert(eq(str, why, "accelerator P_kx = 3 differs from P_ky = 5 (the MAC lanes unroll a square kernel window)"));
    c = full_array();
    c.p_ix = 0;
    cr_assert(eq(int, cb_accel_cfg_check(&c, why, sizeof why), CB_EINVAL));
    cr_assert(eq(str, why, "accelerator p_ix = 0 is out of range 1..64"));
    c = full_array();
    c.p_if = 16; /* the fixture MAC has 2 multipliers */
    cb_sim_hw hw = hw_dense();
    cb_sim_result r;
    cr_assert(eq(int, cb_sim_run(&net.g, &c, &hw, &r, why, sizeof why), CB_EINVAL));
    cr_assert(eq(str, why, "P_if = 16 but the MAC unit has 2 multipliers per lane"));
}
