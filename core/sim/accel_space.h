/* core/sim/accel_space.h: the accelerator design space of Table 2 and subsets of it.
 *
 * Owns: the space's eleven axes (the 13-element vector with P_kx = P_ky on one axis `p_k` and
 * the memory's (type, configuration) pair on one axis `memory`), their value lists (Table 2 by
 * default, 228,433,920 points; narrowable per axis), the point count, the mixed-radix index of
 * a point (axis 0 most significant, values in ascending order) and back, uniform sampling,
 * enumeration, and the valid point nearest to a target under a caller's constraint (the
 * inverse-design snap of paper section 3.3.3, e.g. an area bound).
 */
#ifndef CB_CORE_ACCEL_SPACE_H
#define CB_CORE_ACCEL_SPACE_H

#include "sim/accel_vec.h"

#include <codebench/rng.h>
#include <stdint.h>

enum {
    CB_AX_IB, CB_AX_IF, CB_AX_IX, CB_AX_IY, CB_AX_OF, CB_AX_K, CB_AX_BATCH, CB_AX_ACT,
    CB_AX_WGT, CB_AX_MASK, CB_AX_MEM, CB_SPACE_AXES
};
#define CB_SPACE_MAX_VALUES 16

/* The memory axis holds type * 100 + configuration (101..106, 201..204, 301). */
#define CB_MEM_CODE(type, config) ((type) * 100 + (config))

typedef struct cb_accel_space {
    int n[CB_SPACE_AXES];                          /* values per axis, >= 1 */
    double v[CB_SPACE_AXES][CB_SPACE_MAX_VALUES];  /* ascending */
} cb_accel_space;

/* Table 2: P_ib {1,2,4}, P_if {1,16}, P_ix and P_iy 1..8, P_of {1,2,4,8}, P_k {1,3,5,7},
 * batch {1,64,128,256,512}, activation and weight buffers {1,2,4,...,24} MB, mask {1,2,3,4} MB,
 * and the 11 memory (type, configuration) pairs. */
void cb_accel_space_table2(cb_accel_space *s);

const char *cb_accel_space_axis(int axis); /* "p_ib", ..., "p_k", ..., "memory" */

/* Keeps only `vals` (each must already be on the axis) on one axis. CB_EINVAL with why for an
 * unknown value or an empty list. */
int cb_accel_space_narrow(cb_accel_space *s, int axis, const double *vals, int n, char *why,
                          size_t why_len);

uint64_t cb_accel_space_count(const cb_accel_space *s);

/* Point `index` (< count) as a vector. */
void cb_accel_space_at(const cb_accel_space *s, uint64_t index, cb_accel_vec *out);

/* The index of v; CB_EINVAL with why naming the first value that is not in the space. */
int cb_accel_space_index(const cb_accel_space *s, const cb_accel_vec *v, uint64_t *index,
                         char *why, size_t why_len);

/* A uniformly drawn point. */
void cb_accel_space_sample(const cb_accel_space *s, cb_rng *r, cb_accel_vec *out);

/* Calls fn for the points with index in [from, to), in index order, until fn returns non-zero
 * (which is then returned); 0 when all were visited. */
typedef int (*cb_space_visit)(void *ctx, uint64_t index, const cb_accel_vec *v);
int cb_accel_space_each(const cb_accel_space *s, uint64_t from, uint64_t to, cb_space_visit fn,
                        void *ctx);

/* The point nearest to `target` (13 numbers, maybe fractional, e.g. from GOBI) for which
 * ok(ctx, v) is non-zero (ok NULL: every point). Distance: the sum over axes of
 * |value - target| / (axis max - axis min), and for the memory axis 1 for another type or
 * 0.5 for another configuration of the same type. Points are tried in increasing distance;
 * after max_tries refusals CB_EFAIL with why. */
typedef int (*cb_space_ok)(void *ctx, const cb_accel_vec *v);
int cb_accel_space_nearest(const cb_accel_space *s, const double target[CB_ACCEL_DIM],
                           cb_space_ok ok, void *ctx, long max_tries, cb_accel_vec *out,
                           char *why, size_t why_len);

#endif
