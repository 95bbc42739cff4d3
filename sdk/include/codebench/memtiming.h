/* codebench/memtiming.h: a bank/channel-level main-memory timing and energy model (in
 * libcbsdk), shared by the memory plugins: each plugin supplies its technology's parameters.
 *
 * Model (NVMain/DRAMSim style, open-page policy): an address maps to a channel (low bits, so
 * streams spread over channels), a column, a bank, a rank and a row. Each bank keeps its open
 * row and when it can take the next column command; each channel's data bus carries one burst
 * at a time. A burst that hits the open row issues its column command when the bank is free and
 * gets data t_cas later; a miss first precharges the open row (t_rp; not for technologies that
 * read in place, such as RRAM) and activates the new one (t_rcd). Column commands to one bank
 * issue every t_burst (writes: every t_wr), so a stream of hits runs at the bus rate after the
 * first latency. Energy: per bit read or written, plus an activation energy per row miss. */
#ifndef CODEBENCH_MEMTIMING_H
#define CODEBENCH_MEMTIMING_H

#include "memory.h"

typedef struct cb_memtiming_cfg {
    int banks, ranks, channels;
    int bus_bits;            /* data bus width of one channel */
    double clock_mhz;        /* command clock */
    int transfers_per_clock; /* 2: double data rate */
    int t_rcd, t_cas, t_rp, t_wr, t_burst; /* in clock cycles */
    int precharge;           /* 0: rows read in place, no precharge on a miss (RRAM) */
    int row_bytes;           /* row (page) size of one bank */
    double e_act_pj, e_rd_pj_per_bit, e_wr_pj_per_bit;
    double leak_mw, area_mm2;
    uint64_t capacity_bytes;
} cb_memtiming_cfg;

typedef struct cb_memtiming {
    cb_memtiming_cfg c;
    int64_t *open_row;       /* per bank (channel x rank x bank); -1: closed */
    uint64_t *bank_free_ps;  /* next column command */
    uint64_t *bus_free_ps;   /* per channel */
    uint64_t tck_ps;
    int burst_bytes;
} cb_memtiming;

/* Allocates the bank state; returns CB_OK or CB_EFAIL (out of memory). */
int cb_memtiming_init(cb_memtiming *m, const cb_memtiming_cfg *c);
void cb_memtiming_free(cb_memtiming *m);
void cb_memtiming_reset(cb_memtiming *m);
void cb_memtiming_access(cb_memtiming *m, uint64_t addr, uint64_t bytes, cb_access kind,
                         uint64_t now_ps, cb_mem_cost *cost);
void cb_memtiming_describe(const cb_memtiming *m, cb_mem_model *out);

#endif
