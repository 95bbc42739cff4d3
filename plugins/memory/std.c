/* plugins/memory/std.c: the seeds' three main-memory technologies as memory plugins: rram
 * (monolithic 3D RRAM, SPRING), dram (off-chip DDR4) and hbm (HBM2), each with its
 * [banks, ranks, channels] configuration and timing and energy parameters, on the bank/channel
 * model of codebench/memtiming.h.
 *
 * Sources of the defaults (docs/accelbench.md has the details):
 *  - rram: NVMain's RRAM_SPRING.config from the CODEBench repository (1024-bit bus, tRCD 17,
 *    tCAS 6, tBURST 4, write pulse tWP 20 at 2 GHz; Erd 0.0812 nJ and Ewr 1.684811 nJ per burst
 *    of 4 x 1024 bits), no precharge (cells read in place), leakage 0 as in the seeds (non-volatile
 *    cells; peripheral power not modelled), area 0 (stacked over the logic, no footprint);
 *  - dram: DDR4-2400 (JEDEC speed bin 16-16-16, BL8 on a 64-bit channel, 8 KiB rows), about
 *    15 pJ/bit read/write at the interface and 2 nJ per activation (Micron DDR4 power model
 *    figures), background 200 mW per channel (two ranks), 2 mm^2 of PHY and controller per channel (estimate);
 *  - hbm: HBM2 (128-bit channels at 2 Gb/s per pin, BL4, 2 KiB rows, 14-14-14), about 3.9 pJ/bit
 *    (O'Connor et al., MICRO 2017) and 0.9 nJ per activation, 50 mW per channel, 1.5 mm^2 of PHY
 *    per channel (estimate). */
#include <codebench/codebench.h>
#include <codebench/memtiming.h>
#include <stdlib.h>

#define MEM_PARAMS(P, BANKS, RANKS, CHANNELS, BUS, CLK, RCD, CAS, RP, WR, BURST, ROW, EACT, ERD, EWR, LEAK, AREA) \
    P(INT, banks, BANKS, 1, 64, NULL, "", "banks per rank")                                  \
    P(INT, ranks, RANKS, 1, 8, NULL, "", "ranks per channel")                                \
    P(INT, channels, CHANNELS, 1, 64, NULL, "", "independent channels")                      \
    P(INT, bus_bits, BUS, 8, 4096, NULL, "bit", "data bus width of one channel")             \
    P(REAL, clock_mhz, CLK, 100, 10000, NULL, "MHz", "command clock")                        \
    P(INT, t_rcd, RCD, 0, 1000, NULL, "cycles", "activate to read (row to column delay)")    \
    P(INT, t_cas, CAS, 1, 1000, NULL, "cycles", "read command to data")                      \
    P(INT, t_rp, RP, 0, 1000, NULL, "cycles", "precharge (closing an open row)")             \
    P(INT, t_wr, WR, 1, 10000, NULL, "cycles", "write command to data written")              \
    P(INT, t_burst, BURST, 1, 64, NULL, "cycles", "clocks one burst occupies the bus")       \
    P(INT, row_bytes, ROW, 64, 1048576, NULL, "B", "row (page) size of one bank")            \
    P(REAL, e_act_pj, EACT, 0, 1e6, NULL, "pJ", "energy of one row activation")              \
    P(REAL, e_rd_pj_per_bit, ERD, 0, 1000, NULL, "pJ", "read energy per bit")                \
    P(REAL, e_wr_pj_per_bit, EWR, 0, 1000, NULL, "pJ", "write energy per bit")               \
    P(REAL, leak_mw_per_channel, LEAK, 0, 1e6, NULL, "mW", "background and leakage power per channel") \
    P(REAL, area_mm2_per_channel, AREA, 0, 1e4, NULL, "mm^2", "die area per channel (PHY, controller)")

#define RRAM_PARAMS(P) MEM_PARAMS(P, "16", "2", "2", "1024", "2000", "17", "6", "0", "20", "4", "1024", \
                                  "0", "0.0198", "0.4113", "0", "0")
#define DRAM_PARAMS(P) MEM_PARAMS(P, "16", "2", "2", "64", "1200", "16", "16", "16", "18", "4", "8192", \
                                  "2000", "15", "15", "200", "2")
#define HBM_PARAMS(P) MEM_PARAMS(P, "32", "1", "4", "128", "1000", "14", "14", "14", "16", "2", "2048", \
                                 "900", "3.9", "3.9", "50", "1.5")
CB_PARAM_TABLE(rram_params, RRAM_PARAMS);
CB_PARAM_TABLE(dram_params, DRAM_PARAMS);
CB_PARAM_TABLE(hbm_params, HBM_PARAMS);

/* One configured memory: the timing state and the capacity per bank the technology has. */
static int create(const cb_host *h, cb_error *e, void **self, const cb_memtiming_cfg *c)
{
    cb_memtiming *m = calloc(1, sizeof *m);
    if (!m || cb_memtiming_init(m, c) != CB_OK) {
        free(m);
        return h->fail(h, e, CB_EFAIL, NULL, "out of memory");
    }
    *self = m;
    return CB_OK;
}

#define CREATE(NAME, PRECHARGE, DDR, BANK_MIB)                                                        \
    static int NAME(const cb_host *h, cb_error *e, void **self, int64_t banks, int64_t ranks,         \
                    int64_t channels, int64_t bus_bits, double clock_mhz, int64_t t_rcd, int64_t t_cas, \
                    int64_t t_rp, int64_t t_wr, int64_t t_burst, int64_t row_bytes, double e_act_pj,  \
                    double e_rd, double e_wr, double leak_mw, double area_mm2)                          \
    {                                                                                                 \
        cb_memtiming_cfg c = {(int)banks, (int)ranks, (int)channels, (int)bus_bits, clock_mhz, DDR,  \
                              (int)t_rcd, (int)t_cas, (int)t_rp, (int)t_wr, (int)t_burst, PRECHARGE,  \
                              (int)row_bytes, e_act_pj, e_rd, e_wr, leak_mw * (double)channels, area_mm2 * (double)channels,                \
                              (uint64_t)(banks * ranks * channels) * ((uint64_t)BANK_MIB << 20)};   \
        if ((bus_bits / 8) * t_burst * DDR > row_bytes)                                               \
            return h->fail(h, e, CB_EINVAL, "row_bytes", "a row of %lld bytes is smaller than one burst", \
                           (long long)row_bytes);                                                     \
        return create(h, e, self, &c);                                                                \
    }

/* RRAM reads in place (no precharge), single data rate on a wide bus; 64 MiB per bank. */
CREATE(rram_create, 0, 1, 64)
CREATE(dram_create, 1, 2, 512)
CREATE(hbm_create, 1, 2, 64)
CB_CHECK_CREATE(rram_create, RRAM_PARAMS);
CB_CHECK_CREATE(dram_create, DRAM_PARAMS);
CB_CHECK_CREATE(hbm_create, HBM_PARAMS);

static void destroy(void *self)
{
    if (self)
        cb_memtiming_free(self);
    free(self);
}

static int describe(void *self, cb_mem_model *m, cb_error *e)
{
    cb_memtiming_describe(self, m);
    return CB_OK;
}

static void access_(void *self, uint64_t addr, uint64_t bytes, cb_access k, uint64_t now_ps, cb_mem_cost *c)
{
    cb_memtiming_access(self, addr, bytes, k, now_ps, c);
}

static void reset(void *self)
{
    cb_memtiming_reset(self);
}

static const cb_memory_vt vt = {sizeof(cb_memory_vt), describe, access_, reset};

static const cb_plugin rram = {sizeof(cb_plugin), CB_KIND_MEMORY, "rram", "1.0.0",
                               "monolithic 3D RRAM (SPRING's NVMain configuration): wide bus, no precharge, slow writes",
                               rram_params, (cb_fn)rram_create, destroy, &vt};
static const cb_plugin dram = {sizeof(cb_plugin), CB_KIND_MEMORY, "dram", "1.0.0",
                               "off-chip DDR4-2400 DRAM: 64-bit channels, open-page banks",
                               dram_params, (cb_fn)dram_create, destroy, &vt};
static const cb_plugin hbm = {sizeof(cb_plugin), CB_KIND_MEMORY, "hbm", "1.0.0",
                              "HBM2 stack: 128-bit channels at 2 Gb/s per pin", hbm_params,
                              (cb_fn)hbm_create, destroy, &vt};

CB_PACK("std-memory", "1.0.0", "BSD-3-Clause", "codebench", &rram, &dram, &hbm)
