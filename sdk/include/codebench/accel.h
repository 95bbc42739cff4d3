/* codebench/accel.h: the accel plugin kind, a whole accelerator family modelled by a plugin
 * (beside AccelBench's ASIC simulator in the core), e.g. a CHaiDNN-like FPGA accelerator.
 *
 * An instance is one family with its fixed settings (device, clock); a configuration of the
 * family is a vector of values on the axes the plugin declares. evaluate() maps a CNN onto one
 * configuration and returns its latency, area and energies. */
#ifndef CODEBENCH_ACCEL_H
#define CODEBENCH_ACCEL_H

#include "graph.h"
#include "space.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cb_accel_result {
    uint32_t size;            /* sizeof(cb_accel_result) when built */
    double latency_s;         /* one image (or one batch, see batch) */
    double area_mm2;
    double dyn_energy_j, leak_energy_j;
    double throughput_fps;
    int32_t valid;            /* 0: the configuration cannot run this CNN (resources exceeded) */
} cb_accel_result;

#define CB_ACCEL_BLOCK 8 /* configurations per fast-path table (see cb_accel_vt.table) */

typedef struct cb_accel_vt {
    uint32_t size;
    /* configuration: the family's axes; returns how many (<= max), values ascending */
    int (*axes)(void *self, cb_axis *out, int max);
    /* evaluation */
    int (*evaluate)(void *self, const cb_graph *g, const double *config, int n_config,
                    cb_accel_result *r, cb_error *e);

    /* ---- appended within 1.0: the fast path of an exhaustive enumeration (CNNs x every
     * configuration). Read a member only where `size` covers it; NULL: not offered, and the
     * caller uses evaluate() per pair. The work splits as in the Codesign-NAS model: a table of
     * per-operation-type latencies for a block of up to CB_ACCEL_BLOCK configurations, and per
     * CNN a compact schedule that turns such a table into the CNN's latency on each of them, so
     * a pair costs a few table look-ups (and a block lets them run side by side).
     *
     * configuration (single-threaded): maps g's nodes onto the family's operation types (new
     * types join the instance's table) and keeps a compact schedule of g; returns a handle
     * >= 0, or -1 with e filled. Handles stay valid until forget() or destroy(). */
    int64_t (*prepare)(void *self, const cb_graph *g, cb_error *e);
    /* configuration: drops every prepared CNN (the operation types stay known), so that a
     * streaming enumeration prepares CNNs in chunks with bounded memory */
    void (*forget)(void *self);
    /* pure: bytes of one table; grows only when prepare() adds operation types */
    size_t (*table_bytes)(void *self);
    /* pure, any thread, one table per thread: fills `table` for the n (1..CB_ACCEL_BLOCK)
     * configurations in `configs` (n rows of n_config values) and writes their n areas; CB_OK,
     * or CB_EINVAL when a row is not a point of the family's axes */
    int (*table)(void *self, const double *configs, int n_config, int n, void *table,
                 double *area_mm2, cb_error *e);
    /* pure, any thread, after the last prepare(): the latency in seconds of prepared CNN h on
     * each of the table's n configurations, into latency_s[0..n): equal to evaluate()'s
     * latency_s for that pair, or NAN where evaluate() would say valid = 0 */
    void (*latency)(void *self, int64_t h, const void *table, double *latency_s);
} cb_accel_vt;

#ifdef __cplusplus
}
#endif
#endif /* CODEBENCH_ACCEL_H */
