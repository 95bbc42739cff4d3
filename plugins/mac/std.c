/* plugins/mac/std.c: the seeds' two MAC-lane designs, mac1 (one multiplier) and mac16 (16
 * multipliers and an adder tree), as MAC plugins.
 *
 * Figures: 14 nm Design Compiler synthesis at 700 MHz from the CODEBench repository
 * (codebench-reference section 2.3): one lane's area, dynamic power and leakage, for lanes
 * built with ReLU, SiLU or both activation units. Dynamic power scales with the clock. */
#include <codebench/codebench.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct lane_row { double area_um2, dyn_mw, leak_mw; } lane_row;

/* [relu only, silu only, relu + silu] */
static const lane_row MAC16[3] = {{8819.484999, 4.8926, 0.3003308},
                                  {9418.667591, 5.1955, 0.3189685},
                                  {9435.567886, 5.3176, 0.3241016}};
static const lane_row MAC1[3] = {{597.964253, 0.2756146, 0.0223711},
                                 {1209.955838, 0.6705926, 0.0419121},
                                 {1199.509430, 0.6896749, 0.0415079}};

#define MAC_PARAMS(P) P(REAL, clock_mhz, "700", 100, 2000, NULL, "MHz", "accelerator clock")
CB_PARAM_TABLE(mac_params, MAC_PARAMS);

typedef struct mac { double clock_mhz; } mac;

static int mac_create(const cb_host *h, cb_error *e, void **self, double clock_mhz)
{
    mac *m = calloc(1, sizeof *m);
    if (!m)
        return h->fail(h, e, CB_EFAIL, NULL, "out of memory");
    m->clock_mhz = clock_mhz;
    *self = m;
    return CB_OK;
}
CB_CHECK_CREATE(mac_create, MAC_PARAMS);

static int row_of(unsigned act_mask)
{
    bool relu = act_mask & (1u << CB_ACT_RELU), silu = act_mask & (1u << CB_ACT_SILU);
    return relu && silu ? 2 : silu ? 1 : 0;
}

static void fill(const mac *m, const lane_row *row, int multipliers, int stages, cb_mac_model *out)
{
    memset(out, 0, sizeof *out);
    out->size = sizeof *out;
    out->multipliers = multipliers;
    out->stages = stages;
    out->area_um2 = row->area_um2;
    out->dyn_mw = row->dyn_mw * m->clock_mhz / 700.0;
    out->leak_mw = row->leak_mw;
    out->clock_mhz = m->clock_mhz;
    /* energy of one busy cycle, shared by the lane's multipliers: mW / MHz = nJ -> pJ */
    out->pj_per_mac = out->dyn_mw / m->clock_mhz * 1e3 / multipliers;
}

static int mac1_describe(void *self, unsigned act_mask, cb_mac_model *out, cb_error *e)
{
    fill(self, &MAC1[row_of(act_mask)], 1, 1, out);
    return CB_OK;
}

/* 16 products reduced by a 4-level adder tree, then the accumulator: 5 pipeline stages. */
static int mac16_describe(void *self, unsigned act_mask, cb_mac_model *out, cb_error *e)
{
    fill(self, &MAC16[row_of(act_mask)], 16, 1 + (int)log2(16), out);
    return CB_OK;
}

static const cb_mac_vt mac1_vt = {sizeof(cb_mac_vt), mac1_describe};
static const cb_mac_vt mac16_vt = {sizeof(cb_mac_vt), mac16_describe};
static const cb_plugin mac1 = {sizeof(cb_plugin), CB_KIND_MAC, "mac1", "1.0.0",
                               "MAC lane with one multiplier (14 nm, 700 MHz synthesis)", mac_params,
                               (cb_fn)mac_create, free, &mac1_vt};
static const cb_plugin mac16 = {sizeof(cb_plugin), CB_KIND_MAC, "mac16", "1.0.0",
                                "MAC lane with 16 multipliers and an adder tree (14 nm, 700 MHz synthesis)",
                                mac_params, (cb_fn)mac_create, free, &mac16_vt};

CB_PACK("std-mac", "1.0.0", "BSD-3-Clause", "codebench", &mac1, &mac16)
