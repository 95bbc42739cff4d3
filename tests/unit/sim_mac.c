/* tests/unit/sim_mac.c: the MAC plugins mac1 and mac16 (the .so files in <build>/plugins/mac),
 * created through their C create(): the seeds' 14 nm figures per activation set
 * (codebench-reference 2.3), dynamic power proportional to the clock, leakage and energy per MAC
 * independent of it. */
#include "sim_util.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>

static cb_mac_model describe(const char *name, double clock, unsigned act)
{
    const cb_mac_vt *vt = sim_plugin(CB_KIND_MAC, name)->vtable;
    void *self = sim_mac(name, clock);
    cb_mac_model m = {.size = sizeof m};
    cb_error e;
    cr_assert(eq(int, vt->describe(self, act, &m, &e), CB_OK), "%s", e.msg);
    sim_plugin(CB_KIND_MAC, name)->destroy(self);
    return m;
}

#define RELU (1u << CB_ACT_RELU)
#define SILU (1u << CB_ACT_SILU)

static void expect(const char *name, unsigned act, double area, double dyn, double leak)
{
    cb_mac_model m = describe(name, 700, act);
    cr_assert(eq(dbl, m.area_um2, area), "%s act %u: area", name, act);
    cr_assert(eq(dbl, m.dyn_mw, dyn), "%s act %u: dynamic power", name, act);
    cr_assert(eq(dbl, m.leak_mw, leak), "%s act %u: leakage", name, act);
    cr_assert(eq(dbl, m.clock_mhz, 700.0));
}

Test(sim_mac, lanes_carry_the_seeds_synthesis_figures)
{
    expect("mac16", RELU, 8819.484999, 4.8926, 0.3003308);
    expect("mac16", SILU, 9418.667591, 5.1955, 0.3189685);
    expect("mac16", RELU | SILU, 9435.567886, 5.3176, 0.3241016);
    expect("mac1", RELU, 597.964253, 0.2756146, 0.0223711);
    expect("mac1", SILU, 1209.955838, 0.6705926, 0.0419121);
    expect("mac1", RELU | SILU, 1199.509430, 0.6896749, 0.0415079);
}

Test(sim_mac, multipliers_and_pipeline)
{
    cb_mac_model one = describe("mac1", 700, RELU), sixteen = describe("mac16", 700, RELU);
    cr_assert(eq(int, one.multipliers, 1));
    cr_assert(eq(int, sixteen.multipliers, 16));
    cr_assert(gt(int, sixteen.stages, one.stages), "the adder tree adds pipeline stages");
    cr_assert(gt(dbl, sixteen.area_um2, 10 * one.area_um2));
}

Test(sim_mac, dynamic_power_follows_the_clock)
{
    for (int k = 0; k < 2; k++) {
        const char *name = k ? "mac16" : "mac1";
        cb_mac_model fast = describe(name, 700, RELU), slow = describe(name, 350, RELU);
        cr_assert(eq(dbl, slow.dyn_mw * 2, fast.dyn_mw));
        cr_assert(eq(dbl, slow.leak_mw, fast.leak_mw));
        cr_assert(eq(dbl, slow.clock_mhz, 350.0));
        cr_assert(le(dbl, fabs(slow.pj_per_mac - fast.pj_per_mac), 1e-12 * fast.pj_per_mac),
                  "energy per MAC does not depend on the clock");
        /* pJ per MAC: mW / MHz is nJ per cycle, shared by the multipliers */
        cr_assert(le(dbl, fabs(fast.pj_per_mac - fast.dyn_mw / 700 * 1e3 / fast.multipliers), 1e-12));
    }
}
