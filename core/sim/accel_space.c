/* core/sim/accel_space.c: Table 2's axes, narrowing, counting, indexing, sampling and
 * enumeration (see accel_space.h; the nearest-point search is in accel_nearest.c). */
#include "sim/accel_space.h"

#include <codebench/plugin.h>
#include <stdio.h>
#include <string.h>

static const char *const AXES[CB_SPACE_AXES] = {"p_ib", "p_if", "p_ix", "p_iy", "p_of", "p_k",
                                                "batch", "act_buffer_mb", "weight_buffer_mb",
                                                "mask_buffer_mb", "memory"};

const char *cb_accel_space_axis(int axis)
{
    return axis >= 0 && axis < CB_SPACE_AXES ? AXES[axis] : "?";
}

static void set_axis(cb_accel_space *s, int axis, const double *vals, int n)
{
    s->n[axis] = n;
    memcpy(s->v[axis], vals, (size_t)n * sizeof *vals);
}

void cb_accel_space_table2(cb_accel_space *s)
{
    static const double IB[] = {1, 2, 4}, IF[] = {1, 16}, XY[] = {1, 2, 3, 4, 5, 6, 7, 8},
                        OF[] = {1, 2, 4, 8}, K[] = {1, 3, 5, 7}, BATCH[] = {1, 64, 128, 256, 512},
                        MB[] = {1, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24}, MASK[] = {1, 2, 3, 4};
    memset(s, 0, sizeof *s);
    set_axis(s, CB_AX_IB, IB, 3);
    set_axis(s, CB_AX_IF, IF, 2);
    set_axis(s, CB_AX_IX, XY, 8);
    set_axis(s, CB_AX_IY, XY, 8);
    set_axis(s, CB_AX_OF, OF, 4);
    set_axis(s, CB_AX_K, K, 4);
    set_axis(s, CB_AX_BATCH, BATCH, 5);
    set_axis(s, CB_AX_ACT, MB, 13);
    set_axis(s, CB_AX_WGT, MB, 13);
    set_axis(s, CB_AX_MASK, MASK, 4);
    int n = 0;
    for (int t = 1; t <= CB_MEM_TYPES; t++)
        for (int c = 1; c <= cb_mem_configs(t); c++)
            s->v[CB_AX_MEM][n++] = CB_MEM_CODE(t, c);
    s->n[CB_AX_MEM] = n;
}

static int find(const cb_accel_space *s, int axis, double value)
{
    for (int i = 0; i < s->n[axis]; i++)
        if (s->v[axis][i] == value)
            return i;
    return -1;
}

/* "1, 2, 4" (at most the first 16 values) into buf. */
static const char *values_str(const cb_accel_space *s, int axis, char *buf, size_t len)
{
    size_t at = 0;
    buf[0] = '\0';
    for (int i = 0; i < s->n[axis] && at < len; i++)
        at += (size_t)snprintf(buf + at, len - at, "%s%g", i ? ", " : "", s->v[axis][i]);
    return buf;
}

int cb_accel_space_narrow(cb_accel_space *s, int axis, const double *vals, int n, char *why,
                          size_t why_len)
{
    char list[160];
    if (axis < 0 || axis >= CB_SPACE_AXES || n < 1) {
        snprintf(why, why_len, "axis %s needs at least one value", cb_accel_space_axis(axis));
        return CB_EINVAL;
    }
    double keep[CB_SPACE_MAX_VALUES];
    int k = 0;
    for (int i = 0; i < s->n[axis]; i++) /* the axis order, so the result stays ascending */
        for (int j = 0; j < n; j++)
            if (vals[j] == s->v[axis][i]) {
                keep[k++] = s->v[axis][i];
                break;
            }
    for (int j = 0; j < n; j++)
        if (find(s, axis, vals[j]) < 0) {
            snprintf(why, why_len, "%s = %g is not in the space (values: %s)", AXES[axis], vals[j],
                     values_str(s, axis, list, sizeof list));
            return CB_EINVAL;
        }
    set_axis(s, axis, keep, k);
    return CB_OK;
}

uint64_t cb_accel_space_count(const cb_accel_space *s)
{
    uint64_t n = 1;
    for (int a = 0; a < CB_SPACE_AXES; a++)
        n *= (uint64_t)s->n[a];
    return n;
}

/* The vector of the points whose per-axis positions are digit[]. */
static void vec_of(const cb_accel_space *s, const int digit[CB_SPACE_AXES], cb_accel_vec *v)
{
    double x[CB_SPACE_AXES];
    for (int a = 0; a < CB_SPACE_AXES; a++)
        x[a] = s->v[a][digit[a]];
    int mem = (int)x[CB_AX_MEM];
    *v = (cb_accel_vec){(int)x[CB_AX_IB], (int)x[CB_AX_IF], (int)x[CB_AX_IX], (int)x[CB_AX_IY],
                        (int)x[CB_AX_OF], (int)x[CB_AX_K], (int)x[CB_AX_K], (int)x[CB_AX_BATCH],
                        x[CB_AX_ACT], x[CB_AX_WGT], x[CB_AX_MASK], mem / 100, mem % 100};
}

static void digits_of(const cb_accel_space *s, uint64_t index, int digit[CB_SPACE_AXES])
{
    for (int a = CB_SPACE_AXES - 1; a >= 0; a--) {
        digit[a] = (int)(index % (uint64_t)s->n[a]);
        index /= (uint64_t)s->n[a];
    }
}

void cb_accel_space_at(const cb_accel_space *s, uint64_t index, cb_accel_vec *out)
{
    int digit[CB_SPACE_AXES];
    digits_of(s, index, digit);
    vec_of(s, digit, out);
}

int cb_accel_space_index(const cb_accel_space *s, const cb_accel_vec *v, uint64_t *index,
                         char *why, size_t why_len)
{
    if (v->p_kx != v->p_ky) {
        snprintf(why, why_len, "p_kx = %d differs from p_ky = %d: the space has P_kx = P_ky",
                 v->p_kx, v->p_ky);
        return CB_EINVAL;
    }
    const double x[CB_SPACE_AXES] = {v->p_ib, v->p_if, v->p_ix, v->p_iy, v->p_of, v->p_kx,
                                     v->batch, v->act_mb, v->wgt_mb, v->mask_mb,
                                     CB_MEM_CODE(v->mem_type, v->mem_config)};
    uint64_t idx = 0;
    char list[160];
    for (int a = 0; a < CB_SPACE_AXES; a++) {
        int d = find(s, a, x[a]);
        if (d < 0) {
            if (a == CB_AX_MEM)
                snprintf(why, why_len, "memory type %d configuration %d is not in the space "
                                       "(type*100+configuration: %s)",
                         v->mem_type, v->mem_config, values_str(s, a, list, sizeof list));
            else
                snprintf(why, why_len, "%s = %g is not in the space (values: %s)", AXES[a], x[a],
                         values_str(s, a, list, sizeof list));
            return CB_EINVAL;
        }
        idx = idx * (uint64_t)s->n[a] + (uint64_t)d;
    }
    *index = idx;
    return CB_OK;
}

void cb_accel_space_sample(const cb_accel_space *s, cb_rng *r, cb_accel_vec *out)
{
    cb_accel_space_at(s, cb_rng_below(r, cb_accel_space_count(s)), out);
}

/* Advances an odometer of axis positions by one (the last axis fastest). */
static void tick(const cb_accel_space *s, int digit[CB_SPACE_AXES])
{
    for (int a = CB_SPACE_AXES - 1; a >= 0; a--) {
        if (++digit[a] < s->n[a])
            return;
        digit[a] = 0;
    }
}

int cb_accel_space_each(const cb_accel_space *s, uint64_t from, uint64_t to, cb_space_visit fn,
                        void *ctx)
{
    uint64_t count = cb_accel_space_count(s);
    if (to > count)
        to = count;
    int digit[CB_SPACE_AXES];
    digits_of(s, from, digit);
    for (uint64_t i = from; i < to; i++, tick(s, digit)) {
        cb_accel_vec v;
        vec_of(s, digit, &v);
        int rc = fn(ctx, i, &v);
        if (rc)
            return rc;
    }
    return 0;
}
