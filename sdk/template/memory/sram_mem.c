/* sram_mem.c: an out-of-tree main-memory plugin for codebench, in one file.
 *
 * "sram_mem" models a large banked SRAM used as main memory (a scratchpad technology a user
 * might want to compare with DRAM and RRAM): every access goes to the bank its address maps
 * to, costs a fixed access time plus the transfer at the bank's width, and banks work in
 * parallel. Its parameters (banks, width, access time, energy per bit, leakage) come from the
 * manifest through codebench's typed create(): no YAML in sight.
 * Build: make (uses only `pkg-config codebench`); list it: codebench plugins --plugin-path . */
#include <codebench/codebench.h>
#include <stdlib.h>
#include <string.h>

#define SRAM_PARAMS(P)                                                                         \
    P(INT, banks, "16", 1, 1024, NULL, "", "independent banks")                                \
    P(INT, width_bits, "256", 8, 4096, NULL, "bit", "bank data width per cycle")               \
    P(REAL, clock_mhz, "1000", 100, 5000, NULL, "MHz", "bank clock")                           \
    P(REAL, access_ns, "2.0", 0.1, 100, NULL, "ns", "fixed access time per request")           \
    P(REAL, pj_per_bit, "0.1", 0.001, 100, NULL, "pJ", "dynamic energy per bit moved")         \
    P(REAL, leak_mw_per_bank, "5", 0, 1000, NULL, "mW", "leakage of one bank")                 \
    P(INT, bank_kib, "4096", 1, 1048576, NULL, "KiB", "capacity of one bank")
CB_PARAM_TABLE(sram_params, SRAM_PARAMS);

#define SRAM_MAX_BANKS 1024
#define INTERLEAVE 256 /* bytes: consecutive 256 B blocks go to consecutive banks */

typedef struct sram {
    int64_t banks, width_bits, bank_kib;
    double clock_mhz, access_ns, pj_per_bit, leak_mw_per_bank;
    uint64_t busy_until_ps[SRAM_MAX_BANKS];
} sram;

static int sram_create(const cb_host *h, cb_error *e, void **self, int64_t banks,
                       int64_t width_bits, double clock_mhz, double access_ns, double pj_per_bit,
                       double leak_mw_per_bank, int64_t bank_kib)
{
    sram *s = calloc(1, sizeof *s);
    if (!s)
        return h->fail(h, e, CB_EFAIL, NULL, "out of memory");
    s->banks = banks;
    s->width_bits = width_bits;
    s->clock_mhz = clock_mhz;
    s->access_ns = access_ns;
    s->pj_per_bit = pj_per_bit;
    s->leak_mw_per_bank = leak_mw_per_bank;
    s->bank_kib = bank_kib;
    *self = s;
    return CB_OK;
}
CB_CHECK_CREATE(sram_create, SRAM_PARAMS);

static double bank_gbps(const sram *s)
{
    return (double)s->width_bits / 8.0 * s->clock_mhz * 1e6 / 1e9;
}

static int sram_describe(void *self, cb_mem_model *m, cb_error *e)
{
    (void)e;
    const sram *s = self;
    memset(m, 0, sizeof *m);
    m->size = sizeof *m;
    m->peak_gbps = bank_gbps(s) * (double)s->banks;
    m->latency_ns = s->access_ns + INTERLEAVE / bank_gbps(s);
    m->rd_pj_per_bit = m->wr_pj_per_bit = s->pj_per_bit;
    m->leak_mw = s->leak_mw_per_bank * (double)s->banks;
    m->capacity_bytes = (uint64_t)s->banks * (uint64_t)s->bank_kib * 1024u;
    m->banks = (int32_t)s->banks;
    m->ranks = m->channels = 1;
    m->burst_bytes = INTERLEAVE;
    return CB_OK;
}

/* Splits the request into 256 B blocks; each waits for its bank, then takes the access time
 * plus its transfer. The request is done when its last block is. */
static void sram_access(void *self, uint64_t addr, uint64_t bytes, cb_access k, uint64_t now_ps,
                        cb_mem_cost *c)
{
    (void)k;
    sram *s = self;
    double ps_per_byte = 1000.0 / bank_gbps(s);
    uint64_t done = now_ps;
    for (uint64_t off = 0; off < bytes; off += INTERLEAVE) {
        uint64_t chunk = bytes - off < INTERLEAVE ? bytes - off : INTERLEAVE;
        uint64_t bank = ((addr + off) / INTERLEAVE) % (uint64_t)s->banks;
        uint64_t start = s->busy_until_ps[bank] > now_ps ? s->busy_until_ps[bank] : now_ps;
        uint64_t end = start + (uint64_t)(s->access_ns * 1000.0 + (double)chunk * ps_per_byte);
        s->busy_until_ps[bank] = end;
        if (end > done)
            done = end;
    }
    c->done_ps = done;
    c->energy_pj = (double)bytes * 8.0 * s->pj_per_bit;
    c->row_hits = 0;
    c->row_misses = 0;
}

static void sram_reset(void *self)
{
    sram *s = self;
    memset(s->busy_until_ps, 0, sizeof s->busy_until_ps);
}

static const cb_memory_vt sram_vt = {sizeof(cb_memory_vt), sram_describe, sram_access, sram_reset};

static const cb_plugin sram_plugin = {
    .size = sizeof(cb_plugin),
    .kind = CB_KIND_MEMORY,
    .name = "sram_mem",
    .version = "1.0.0",
    .summary = "banked SRAM as main memory: fixed access time, parallel banks",
    .params = sram_params,
    .create = (cb_fn)sram_create,
    .destroy = free,
    .vtable = &sram_vt,
};

CB_PACK("sram-mem", "1.0.0", "MIT", "codebench sdk/template", &sram_plugin)
