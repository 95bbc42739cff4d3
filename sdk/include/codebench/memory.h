/* codebench/memory.h: the memory plugin kind, one main-memory technology.
 *
 * Owns: the static model of a main-memory configuration (peak bandwidth, latency, energy per
 * bit, leakage, area, capacity) and the cycle-level access interface the simulator calls for
 * every transfer. A plugin instance is one configuration (its create() parameters: banks,
 * ranks, channels, timings) and keeps its bank state (open rows, busy-until times) in self.
 */
#ifndef CODEBENCH_MEMORY_H
#define CODEBENCH_MEMORY_H

#include "plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum cb_access { CB_READ = 0, CB_WRITE = 1 } cb_access;

typedef struct cb_mem_model {
    uint32_t size;           /* sizeof(cb_mem_model) when built */
    double peak_gbps;        /* aggregate peak bandwidth, GB/s */
    double latency_ns;       /* idle read latency of one burst (row miss) */
    double rd_pj_per_bit, wr_pj_per_bit; /* average dynamic energy per bit moved */
    double leak_mw;          /* background / leakage power */
    double area_mm2;         /* die area charged to the accelerator (controller, or 3D layers) */
    uint64_t capacity_bytes;
    int32_t banks, ranks, channels;
    int32_t burst_bytes;     /* bytes per burst on one channel */
} cb_mem_model;

typedef struct cb_mem_cost {
    uint64_t done_ps;        /* when the last byte has arrived / been written */
    double energy_pj;        /* dynamic energy of this access */
    uint32_t row_hits, row_misses;
} cb_mem_cost;

typedef struct cb_memory_vt {
    uint32_t size;
    /* configuration */
    int (*describe)(void *self, cb_mem_model *m, cb_error *e);
    /* evaluation, hot path: cannot fail or allocate. A request for `bytes` at `addr` issued
     * at time now_ps; fills c. Requests are issued in non-decreasing now_ps. */
    void (*access)(void *self, uint64_t addr, uint64_t bytes, cb_access k, uint64_t now_ps,
                   cb_mem_cost *c);
    /* evaluation: forget bank state (before a new simulation) */
    void (*reset)(void *self);
} cb_memory_vt;

#ifdef __cplusplus
}
#endif
#endif /* CODEBENCH_MEMORY_H */
