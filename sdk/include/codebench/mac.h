/* codebench/mac.h: the mac plugin kind, one MAC-unit design (a lane of a processing element).
 *
 * Owns: the MAC-unit model the simulator reads. A MAC lane holds `multipliers` multipliers
 * (1, or 16 with an adder tree), a pipeline of `stages`, the activation units it was built
 * with, and its area, energy and leakage at the accelerator clock.
 */
#ifndef CODEBENCH_MAC_H
#define CODEBENCH_MAC_H

#include "op.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cb_mac_model {
    uint32_t size;        /* sizeof(cb_mac_model) when built */
    int multipliers;      /* products per cycle per lane */
    int stages;           /* pipeline depth in cycles (fill latency) */
    double area_um2;      /* one lane */
    double dyn_mw;        /* one lane, busy, at clock_mhz */
    double pj_per_mac;    /* dynamic energy of one multiply-accumulate */
    double leak_mw;       /* one lane */
    double clock_mhz;     /* the clock these figures hold at */
} cb_mac_model;

typedef struct cb_mac_vt {
    uint32_t size;
    /* configuration: the model of a lane that must support the activations in act_mask
     * (bits 1 << CB_ACT_RELU, 1 << CB_ACT_SILU) */
    int (*describe)(void *self, unsigned act_mask, cb_mac_model *m, cb_error *e);
} cb_mac_vt;

#ifdef __cplusplus
}
#endif
#endif /* CODEBENCH_MAC_H */
