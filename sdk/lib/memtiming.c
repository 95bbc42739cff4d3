/* sdk/lib/memtiming.c: the bank/channel timing model of codebench/memtiming.h.
 *
 * A request's bursts are handled per channel (channels are independent: each has its own data
 * bus and banks) and, within a channel, per row segment: the run of consecutive bursts that
 * fall in one row of one bank. Burst i of a segment issues its column command at cmd + i * iv
 * (iv: t_burst for reads, t_wr for writes), is ready t_access later and crosses the bus after
 * the previous burst, so the segment ends at
 *     max(max(bus_free, ready_0) + n * t_burst, ready_0 + (n - 1) * iv + t_burst),
 * the same as stepping burst by burst. A long stream visits the banks in rotation (row : rank
 * : bank : column : channel mapping); once two whole rotations have run, every further whole
 * rotation repeats the same period with every bank one row further, so those are added in one
 * step. A 100 MB request costs a few hundred segment steps, not millions of bursts. */
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

/* n bursts of one row of bank b on channel ch, requested at now; returns when the last one has
 * crossed the bus. */
static uint64_t segment(cb_memtiming *m, uint64_t ch, size_t b, int64_t row, uint64_t n, cb_access kind,
                        uint64_t now, cb_mem_cost *cost)
{
    const cb_memtiming_cfg *c = &m->c;
    uint64_t tck = m->tck_ps, cmd = max_u64(now, m->bank_free_ps[b]);
    if (m->open_row[b] == row) {
        cost->row_hits += (uint32_t)n;
    } else {
        if (m->open_row[b] >= 0 && c->precharge)
            cmd += (uint64_t)c->t_rp * tck;
        cmd += (uint64_t)c->t_rcd * tck;
        m->open_row[b] = row;
        cost->row_misses++;
        cost->row_hits += (uint32_t)(n - 1);
        cost->energy_pj += c->e_act_pj;
    }
    bool wr = kind == CB_WRITE;
    uint64_t iv = (uint64_t)(wr ? c->t_wr : c->t_burst) * tck, tb = (uint64_t)c->t_burst * tck;
    uint64_t ready = cmd + (uint64_t)(wr ? c->t_wr : c->t_cas) * tck;
    uint64_t end = max_u64(max_u64(m->bus_free_ps[ch], ready) + n * tb, ready + (n - 1) * iv + tb);
    m->bus_free_ps[ch] = end;
    m->bank_free_ps[b] = cmd + n * iv;
    cost->energy_pj += (double)n * m->burst_bytes * 8.0 * (wr ? c->e_wr_pj_per_bit : c->e_rd_pj_per_bit);
    return end;
}

/* What a whole rotation over the banks cost, measured between two rotation boundaries. */
typedef struct mark {
    uint64_t bus;
    double pj;
    uint32_t hits, misses;
} mark;

/* Adds k more rotations of `period` ps to channel ch, each like the one between a and b. */
static void skip(cb_memtiming *m, uint64_t ch, uint64_t k, const mark *a, const mark *b, cb_mem_cost *cost)
{
    const cb_memtiming_cfg *c = &m->c;
    uint64_t period = b->bus - a->bus;
    size_t first = (size_t)ch * (size_t)(c->ranks * c->banks), n = (size_t)(c->ranks * c->banks);
    for (size_t i = first; i < first + n; i++) {
        m->bank_free_ps[i] += k * period;
        m->open_row[i] += (int64_t)k;
    }
    m->bus_free_ps[ch] += k * period;
    cost->energy_pj += (double)k * (b->pj - a->pj);
    cost->row_hits += (uint32_t)(k * (b->hits - a->hits));
    cost->row_misses += (uint32_t)(k * (b->misses - a->misses));
}

/* The bursts q_lo..q_hi of channel ch (q counts that channel's bursts); returns the end. */
static uint64_t channel_run(cb_memtiming *m, uint64_t ch, uint64_t q_lo, uint64_t q_hi, cb_access kind,
                            uint64_t now, cb_mem_cost *cost)
{
    const cb_memtiming_cfg *c = &m->c;
    uint64_t cols = (uint64_t)(c->row_bytes / m->burst_bytes > 0 ? c->row_bytes / m->burst_bytes : 1);
    uint64_t rot = (uint64_t)c->banks * (uint64_t)c->ranks, end = now;
    mark prev = {0, 0, 0, 0}, last_mark = {0, 0, 0, 0};
    int seen = 0; /* rotation boundaries passed; the first whole rotation may still be filling */
    for (uint64_t q = q_lo; q <= q_hi;) {
        uint64_t slot = q / cols; /* which row of which bank: row : rank : bank */
        if (slot % rot == 0 && q % cols == 0) {
            prev = last_mark;
            last_mark = (mark){m->bus_free_ps[ch], cost->energy_pj, cost->row_hits, cost->row_misses};
            uint64_t whole = (q_hi + 1 - q) / (cols * rot);
            if (++seen >= 3 && whole > 0 && last_mark.bus > prev.bus) {
                skip(m, ch, whole, &prev, &last_mark, cost);
                end = m->bus_free_ps[ch];
                q += whole * cols * rot;
                seen = 0;
                continue;
            }
        }
        uint64_t last = (slot + 1) * cols - 1 < q_hi ? (slot + 1) * cols - 1 : q_hi;
        uint64_t bank = slot % (uint64_t)c->banks, rank = (slot / (uint64_t)c->banks) % (uint64_t)c->ranks;
        size_t b = (size_t)((ch * (uint64_t)c->ranks + rank) * (uint64_t)c->banks + bank);
        end = max_u64(end, segment(m, ch, b, (int64_t)(slot / rot), last - q + 1, kind, now, cost));
        q = last + 1;
    }
    return end;
}

void cb_memtiming_access(cb_memtiming *m, uint64_t addr, uint64_t bytes, cb_access kind,
                         uint64_t now_ps, cb_mem_cost *cost)
{
    memset(cost, 0, sizeof *cost);
    uint64_t done = now_ps, C = (uint64_t)m->c.channels, B = (uint64_t)m->burst_bytes;
    uint64_t first = addr / B, last = (addr + (bytes ? bytes : 1) - 1) / B;
    for (uint64_t ch = 0; ch < C; ch++) {
        /* the channel's bursts are the blocks q * C + ch inside [first, last] */
        if (last < ch)
            continue;
        uint64_t q_lo = first <= ch ? 0 : (first - ch + C - 1) / C, q_hi = (last - ch) / C;
        if (q_lo <= q_hi)
            done = max_u64(done, channel_run(m, ch, q_lo, q_hi, kind, now_ps, cost));
    }
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
