/* core/sim/accel_vec.c: the 13-element accelerator vector (see accel_vec.h). */
#include "sim/accel_vec.h"

#include <codebench/plugin.h>
#include <math.h>
#include <stdio.h>

static const char *const NAMES[CB_ACCEL_DIM] = {
    "p_ib", "p_if", "p_ix", "p_iy", "p_of", "p_kx", "p_ky", "batch",
    "act_buffer_mb", "weight_buffer_mb", "mask_buffer_mb", "memory_type", "memory_config"};

/* Table 2 (and codebench-reference section 2.1): [banks, ranks, channels] per configuration. */
static const int GEOMETRY[CB_MEM_TYPES][6][3] = {
    {{16, 2, 2}, {8, 2, 4}, {4, 2, 8}, {2, 2, 16}, {32, 2, 1}, {1, 2, 32}}, /* monolithic 3D RRAM */
    {{16, 2, 2}, {8, 2, 4}, {32, 2, 1}, {16, 4, 1}},                        /* off-chip DRAM */
    {{32, 1, 4}},                                                           /* HBM */
};
static const int N_CONFIGS[CB_MEM_TYPES] = {6, 4, 1};

const char *cb_accel_vec_name(int i)
{
    return i >= 0 && i < CB_ACCEL_DIM ? NAMES[i] : "?";
}

int cb_mem_configs(int type)
{
    return type >= 1 && type <= CB_MEM_TYPES ? N_CONFIGS[type - 1] : 0;
}

bool cb_mem_geometry(int type, int config, int *banks, int *ranks, int *channels)
{
    if (config < 1 || config > cb_mem_configs(type))
        return false;
    const int *g = GEOMETRY[type - 1][config - 1];
    *banks = g[0];
    *ranks = g[1];
    *channels = g[2];
    return true;
}

void cb_accel_vec_to_array(const cb_accel_vec *v, double out[CB_ACCEL_DIM])
{
    const double a[CB_ACCEL_DIM] = {v->p_ib, v->p_if, v->p_ix, v->p_iy, v->p_of, v->p_kx, v->p_ky,
                                    v->batch, v->act_mb, v->wgt_mb, v->mask_mb, v->mem_type,
                                    v->mem_config};
    for (int i = 0; i < CB_ACCEL_DIM; i++)
        out[i] = a[i];
}

/* Entries 0..7, 11 and 12 count things: they must be whole numbers. */
static bool is_count(int i) { return i <= 7 || i >= 11; }

int cb_accel_vec_from_array(const double *a, int n, cb_accel_vec *out, char *why, size_t why_len)
{
    if (n != CB_ACCEL_DIM) {
        snprintf(why, why_len, "an accelerator vector has %d entries, not %d", CB_ACCEL_DIM, n);
        return CB_EINVAL;
    }
    for (int i = 0; i < CB_ACCEL_DIM; i++) {
        bool bad = !isfinite(a[i]) || (is_count(i) && (a[i] != floor(a[i]) || fabs(a[i]) > 1e6));
        if (bad) {
            snprintf(why, why_len, "accelerator %s = %g is not %s", NAMES[i], a[i],
                     is_count(i) ? "a whole number" : "a finite number");
            return CB_EINVAL;
        }
    }
    *out = (cb_accel_vec){(int)a[0], (int)a[1], (int)a[2], (int)a[3], (int)a[4], (int)a[5],
                          (int)a[6], (int)a[7], a[8], a[9], a[10], (int)a[11], (int)a[12]};
    return cb_accel_vec_check(out, why, why_len);
}

static int range(const char *name, int v, int lo, int hi, char *why, size_t n)
{
    if (v >= lo && v <= hi)
        return CB_OK;
    snprintf(why, n, "accelerator %s = %d is out of range %d..%d", name, v, lo, hi);
    return CB_EINVAL;
}

static int buffer(const char *name, double mb, char *why, size_t n)
{
    if (mb > 0 && mb <= 1024)
        return CB_OK;
    snprintf(why, n, "accelerator %s = %g MB is out of range (0, 1024]", name, mb);
    return CB_EINVAL;
}

int cb_accel_vec_check(const cb_accel_vec *v, char *why, size_t n)
{
    const int p[7] = {v->p_ib, v->p_if, v->p_ix, v->p_iy, v->p_of, v->p_kx, v->p_ky};
    for (int i = 0; i < 7; i++)
        if (range(NAMES[i], p[i], 1, 64, why, n))
            return CB_EINVAL;
    if (v->p_kx != v->p_ky) {
        snprintf(why, n, "accelerator p_kx = %d differs from p_ky = %d: the MAC lanes of a PE "
                         "unroll a square kernel window (Table 2 sets P_kx = P_ky)", v->p_kx, v->p_ky);
        return CB_EINVAL;
    }
    if (range("batch", v->batch, 1, 4096, why, n) || buffer(NAMES[8], v->act_mb, why, n) ||
        buffer(NAMES[9], v->wgt_mb, why, n) || buffer(NAMES[10], v->mask_mb, why, n) ||
        (v->mem_type != 0 && range("memory_type", v->mem_type, 1, CB_MEM_TYPES, why, n)))
        return CB_EINVAL;
    /* memory type 0: the memory plugin instance alone defines the memory (a study's configured
     * memories need not be among Table 2's) */
    return v->mem_type == 0 ? CB_OK : range("memory_config", v->mem_config, 1, cb_mem_configs(v->mem_type), why, n);
}
