/* core/sim/accel_vec.h: AccelBench's 13-element accelerator vector.
 *
 * Owns: the vector as a struct (cb_accel_vec), its conversion from and to the 13 numbers the
 * seeds pass around ([P_ib, P_if, P_ix, P_iy, P_of, P_kx, P_ky, batch, act MB, weight MB,
 * mask MB, memory type, memory configuration], codebench-reference section 2.1), the checks
 * every simulated vector must pass (with one-line messages naming the value), and the main-
 * memory configurations of Table 2 as numbers: memory type t and configuration c give
 * [banks, ranks, channels]. Which memory plugin implements a type is the caller's business:
 * the core never names one.
 */
#ifndef CB_CORE_ACCEL_VEC_H
#define CB_CORE_ACCEL_VEC_H

#include <stdbool.h>
#include <stddef.h>

#define CB_ACCEL_DIM 13   /* length of the seeds' vector */
#define CB_MEM_TYPES 3    /* Table 2: 1 monolithic 3D RRAM, 2 off-chip DRAM, 3 HBM */
#define CB_MEM_CONFIGS 11 /* (type, configuration) pairs in Table 2 */

typedef struct cb_accel_vec {
    int p_ib, p_if, p_ix, p_iy, p_of, p_kx, p_ky; /* unrolling of the seven loop dimensions */
    int batch;                                   /* images per inference batch */
    double act_mb, wgt_mb, mask_mb;              /* on-chip buffers, MB (2^20 bytes) */
    int mem_type, mem_config;                    /* 1-based, Table 2; type 0: the memory plugin
                                                  * instance defines it (studies) */
} cb_accel_vec;

/* Name of entry i of the 13-element vector ("p_ib", ..., "memory_config"). */
const char *cb_accel_vec_name(int i);

void cb_accel_vec_to_array(const cb_accel_vec *v, double out[CB_ACCEL_DIM]);

/* Reads 13 numbers; refuses another count, a fraction where an integer belongs, and whatever
 * cb_accel_vec_check refuses. */
int cb_accel_vec_from_array(const double *a, int n, cb_accel_vec *out, char *why, size_t why_len);

/* The checks any simulated vector passes (wider than Table 2, which cb_accel_space checks):
 * every P in 1..64 with P_kx == P_ky, batch 1..4096, buffers in (0, 1024] MB, and a memory
 * (type, configuration) of Table 2. Returns CB_OK or CB_EINVAL with why naming the value. */
int cb_accel_vec_check(const cb_accel_vec *v, char *why, size_t why_len);

/* Table 2's [banks, ranks, channels] for memory type t (1..3) and configuration c (1-based);
 * false when the pair does not exist. */
bool cb_mem_geometry(int type, int config, int *banks, int *ranks, int *channels);
int cb_mem_configs(int type); /* configurations of a type (6, 4, 1), 0 for a bad type */

/* #PEs, MAC lanes per PE and multipliers per lane. */
static inline int cb_accel_pes(const cb_accel_vec *v) { return v->p_ib * v->p_ix * v->p_iy; }
static inline int cb_accel_lanes(const cb_accel_vec *v) { return v->p_of * v->p_kx * v->p_ky; }

#endif
