/* sdk/lib/memtiming.c: the bank/channel timing model of codebench/memtiming.h. */
#include <codebench/memtiming.h>

#include <stdlib.h>
#include <string.h>

static size_t n_banks(const cb_memtiming_cfg *c)
{
    return (size_t)c->banks * (size_t)c->ranks * (size_t)c->channels;
}

int cb_memtiming_init(cb_memtiming *m, const cb_memtiming_cfg *c)
{
    memset(m, 0, sizeof *m);
    m->c = *c;
    m->open_row = malloc(n_banks(c) * sizeof *m->open_row);
    m->bank_free_ps = malloc(n_banks(c) * sizeof *m->bank_free_ps);
    m->bus_free_ps = malloc((size_t)c->channels * sizeof *m->bus_free_ps);
    if (!m->open_row || !m->bank_free_ps || !m->bus_free_ps) {
        cb_memtiming_free(m);
        return CB_EFAIL;
    }
    m->tck_ps = (uint64_t)(1e6 / c->clock_mhz + 0.5);
    /* one burst moves the bus width for t_burst clocks at the data rate */
    m->burst_bytes = c->bus_bits / 8 * c->t_burst * c->transfers_per_clock;
    cb_memtiming_reset(m);
    return CB_OK;
}

void cb_memtiming_free(cb_memtiming *m)
{
    free(m->open_row);
    free(m->bank_free_ps);
    free(m->bus_free_ps);
    memset(m, 0, sizeof *m);
}

void cb_memtiming_reset(cb_memtiming *m)
{
    for (size_t i = 0; i < n_banks(&m->c); i++) {
        m->open_row[i] = -1;
        m->bank_free_ps[i] = 0;
    }
    memset(m->bus_free_ps, 0, (size_t)m->c.channels * sizeof *m->bus_free_ps);
}

static uint64_t max_u64(uint64_t a, uint64_t b) { return a > b ? a : b; }

/* One burst at block number `block`; returns when its data has crossed the bus. */
static uint64_t burst(cb_memtiming *m, uint64_t block, cb_access kind, uint64_t now, cb_mem_cost *cost)
{
    const cb_memtiming_cfg *c = &m->c;
    uint64_t ch = block % (uint64_t)c->channels, rest = block / (uint64_t)c->channels;
    uint64_t cols = (uint64_t)(c->row_bytes / m->burst_bytes > 0 ? c->row_bytes / m->burst_bytes : 1);
    rest /= cols; /* consecutive blocks of a channel share a row */
    uint64_t bank = rest % (uint64_t)c->banks, rank = (rest / (uint64_t)c->banks) % (uint64_t)c->ranks;
    int64_t row = (int64_t)(rest / ((uint64_t)c->banks * (uint64_t)c->ranks));
    size_t b = (size_t)((ch * (uint64_t)c->ranks + rank) * (uint64_t)c->banks + bank);
    uint64_t cmd = max_u64(now, m->bank_free_ps[b]);
    if (m->open_row[b] == row) {
        cost->row_hits++;
    } else {
        if (m->open_row[b] >= 0 && c->precharge)
            cmd += (uint64_t)c->t_rp * m->tck_ps;
        cmd += (uint64_t)c->t_rcd * m->tck_ps;
        m->open_row[b] = row;
        cost->row_misses++;
        cost->energy_pj += c->e_act_pj;
    }
    int t_access = kind == CB_WRITE ? c->t_wr : c->t_cas;
    uint64_t ready = cmd + (uint64_t)t_access * m->tck_ps;
    m->bank_free_ps[b] = cmd + (uint64_t)(kind == CB_WRITE ? c->t_wr : c->t_burst) * m->tck_ps;
    uint64_t start = max_u64(ready, m->bus_free_ps[ch]);
    uint64_t end = start + (uint64_t)c->t_burst * m->tck_ps;
    m->bus_free_ps[ch] = end;
    cost->energy_pj += (double)m->burst_bytes * 8.0 * (kind == CB_WRITE ? c->e_wr_pj_per_bit : c->e_rd_pj_per_bit);
    return end;
}

void cb_memtiming_access(cb_memtiming *m, uint64_t addr, uint64_t bytes, cb_access kind,
                         uint64_t now_ps, cb_mem_cost *cost)
{
    memset(cost, 0, sizeof *cost);
    uint64_t done = now_ps;
    uint64_t first = addr / (uint64_t)m->burst_bytes, last = (addr + (bytes ? bytes : 1) - 1) / (uint64_t)m->burst_bytes;
    for (uint64_t blk = first; blk <= last; blk++)
        done = max_u64(done, burst(m, blk, kind, now_ps, cost));
    cost->done_ps = done;
}

void cb_memtiming_describe(const cb_memtiming *m, cb_mem_model *out)
{
    const cb_memtiming_cfg *c = &m->c;
    memset(out, 0, sizeof *out);
    out->size = sizeof *out;
    out->peak_gbps = (double)c->channels * c->bus_bits / 8.0 * c->clock_mhz * 1e6 * c->transfers_per_clock / 1e9;
    out->latency_ns = (double)((c->precharge ? c->t_rp : 0) + c->t_rcd + c->t_cas + c->t_burst) * 1e3 / c->clock_mhz;
    out->rd_pj_per_bit = c->e_rd_pj_per_bit + c->e_act_pj / (c->row_bytes * 8.0);
    out->wr_pj_per_bit = c->e_wr_pj_per_bit + c->e_act_pj / (c->row_bytes * 8.0);
    out->leak_mw = c->leak_mw;
    out->area_mm2 = c->area_mm2;
    out->capacity_bytes = c->capacity_bytes;
    out->banks = c->banks;
    out->ranks = c->ranks;
    out->channels = c->channels;
    out->burst_bytes = m->burst_bytes;
}
