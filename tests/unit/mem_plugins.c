/* tests/unit/mem_plugins.c: what the memory plugins' access() returns (not their describe()):
 * a large transfer finishes sooner on more channels, and the same one-burst access costs a
 * different time on rram, dram and hbm, matching each one's stated row-miss latency. The
 * plugins come from <build>/plugins/memory through sim_util.h's dlopen helpers. */
#include "sim_util.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>

static uint64_t transfer_ps(const char *name, int banks, int ranks, int channels, uint64_t bytes)
{
    const cb_plugin *p = sim_plugin(CB_KIND_MEMORY, name);
    const cb_memory_vt *vt = p->vtable;
    void *self = sim_memory(name, banks, ranks, channels);
    vt->reset(self);
    cb_mem_cost c;
    vt->access(self, 0, bytes, CB_READ, 0, &c);
    p->destroy(self);
    return c.done_ps;
}

/* 16 MB over RRAM [32,2,1] .. [1,2,32] and DRAM [32,2,1] vs [16,2,2]: more channels, less time. */
Test(mem_plugins, more_channels_finish_a_large_transfer_sooner)
{
    uint64_t bytes = 16u << 20;
    uint64_t r1 = transfer_ps("rram", 32, 2, 1, bytes), r2 = transfer_ps("rram", 16, 2, 2, bytes);
    uint64_t r8 = transfer_ps("rram", 4, 2, 8, bytes), r32 = transfer_ps("rram", 1, 2, 32, bytes);
    cr_assert(lt(u64, r2, r1));
    cr_assert(lt(u64, r8, r2));
    cr_assert(lt(u64, r32, r8));
    cr_assert(gt(dbl, (double)r1 / (double)r32, 16.0), "32 channels: near 32x (%g)", (double)r1 / (double)r32);
    cr_assert(lt(u64, transfer_ps("dram", 16, 2, 2, bytes), transfer_ps("dram", 32, 2, 1, bytes)));
}

/* One burst at address 0 from idle: the time is the row-miss latency describe() reports, and
 * it differs between the technologies. */
Test(mem_plugins, technologies_differ_in_access_latency)
{
    const char *names[3] = {"rram", "dram", "hbm"};
    uint64_t ps[3];
    for (int t = 0; t < 3; t++) {
        const cb_plugin *p = sim_plugin(CB_KIND_MEMORY, names[t]);
        const cb_memory_vt *vt = p->vtable;
        void *self = sim_memory(names[t], 16, 2, 2);
        cb_mem_model m = {.size = sizeof m};
        cb_error e;
        cr_assert(eq(int, vt->describe(self, &m, &e), CB_OK));
        vt->reset(self);
        cb_mem_cost c;
        vt->access(self, 0, 64, CB_READ, 0, &c);
        ps[t] = c.done_ps;
        cr_assert(eq(u32, c.row_misses, 1), "%s", names[t]);
        /* from idle no row is open, so no precharge: t_rcd + t_cas + t_burst (clock rounded to ps) */
        cr_assert(le(dbl, (double)ps[t], m.latency_ns * 1e3 * 1.01), "%s: %llu ps vs %g ns", names[t],
                  (unsigned long long)ps[t], m.latency_ns);
        p->destroy(self);
    }
    cr_assert(ne(u64, ps[0], ps[1]));
    cr_assert(ne(u64, ps[0], ps[2]));
    cr_assert(ne(u64, ps[1], ps[2]));
}
