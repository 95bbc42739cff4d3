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

typedef struct cb_accel_vt {
    uint32_t size;
    /* configuration: the family's axes; returns how many (<= max), values ascending */
    int (*axes)(void *self, cb_axis *out, int max);
    /* evaluation */
    int (*evaluate)(void *self, const cb_graph *g, const double *config, int n_config,
                    cb_accel_result *r, cb_error *e);
} cb_accel_vt;

#ifdef __cplusplus
}
#endif
#endif /* CODEBENCH_ACCEL_H */
