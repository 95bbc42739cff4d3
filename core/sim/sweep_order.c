/* core/sim/sweep_order.c: positions in sweep order: decoding a position into the space's axis
 * digits, its vector and its space index, and drawing a uniform sample of positions in
 * increasing order so that a sample can stream through the workers like the whole space.
 *
 * Sweep order puts the three buffer axes last (least significant) and the memory just before
 * them, so consecutive positions share the unrolling, the batch and the memory: a group, whose
 * layer simulations the buffer sizes share (sweep_eval.c). */
#include "sim/sweep_internal.h"

#include <math.h>

static const int ORDER[CB_SPACE_AXES] = {CB_AX_IB, CB_AX_IF, CB_AX_IX, CB_AX_IY, CB_AX_OF,
                                         CB_AX_K, CB_AX_BATCH, CB_AX_MEM, CB_AX_ACT, CB_AX_WGT,
                                         CB_AX_MASK};

uint64_t cb_sweep_count(const cb_accel_space *s)
{
    uint64_t n = 1;
    for (int a = 0; a < CB_SPACE_AXES; a++)
        n *= (uint64_t)s->n[a];
    return n;
}

uint64_t cb_sweep_group_size(const cb_accel_space *s)
{
    return (uint64_t)s->n[CB_AX_ACT] * (uint64_t)s->n[CB_AX_WGT] * (uint64_t)s->n[CB_AX_MASK];
}

void cb_sweep_digits(const cb_accel_space *s, uint64_t order, int d[CB_SPACE_AXES])
{
    for (int k = CB_SPACE_AXES - 1; k >= 0; k--) {
        int a = ORDER[k];
        d[a] = (int)(order % (uint64_t)s->n[a]);
        order /= (uint64_t)s->n[a];
    }
}

void cb_sweep_at(const cb_accel_space *s, uint64_t order, cb_accel_vec *v, int *mem, uint64_t *index)
{
    int d[CB_SPACE_AXES];
    cb_sweep_decode(s, order, d, v, mem, index);
}

void cb_sweep_decode(const cb_accel_space *s, uint64_t order, int d[CB_SPACE_AXES], cb_accel_vec *v,
                     int *mem, uint64_t *index)
{
    cb_sweep_digits(s, order, d);
    uint64_t idx = 0;
    for (int a = 0; a < CB_SPACE_AXES; a++)
        idx = idx * (uint64_t)s->n[a] + (uint64_t)d[a];
    const double (*x)[CB_SPACE_MAX_VALUES] = s->v;
    *v = (cb_accel_vec){(int)x[CB_AX_IB][d[CB_AX_IB]], (int)x[CB_AX_IF][d[CB_AX_IF]],
                        (int)x[CB_AX_IX][d[CB_AX_IX]], (int)x[CB_AX_IY][d[CB_AX_IY]],
                        (int)x[CB_AX_OF][d[CB_AX_OF]], (int)x[CB_AX_K][d[CB_AX_K]],
                        (int)x[CB_AX_K][d[CB_AX_K]], (int)x[CB_AX_BATCH][d[CB_AX_BATCH]],
                        x[CB_AX_ACT][d[CB_AX_ACT]], x[CB_AX_WGT][d[CB_AX_WGT]],
                        x[CB_AX_MASK][d[CB_AX_MASK]], 0, 0};
    *mem = (int)x[CB_AX_MEM][d[CB_AX_MEM]] - 1;
    *index = idx;
}

void cb_sweep_sampler_init(sweep_sampler *s, uint64_t n, uint64_t total, uint64_t seed)
{
    cb_rng_seed(&s->rng, seed);
    s->n = (double)(n < total ? n : total);
    s->nreal = (double)total;
    s->top = s->nreal - s->n;
    s->next = 0;
}

/* log P(skip >= s) = log prod_{i<s} (top - i) / (nreal - i), through log-gamma. */
static double log_tail(const sweep_sampler *s, double k)
{
    return lgamma(s->top + 1) - lgamma(s->top - k + 1) - lgamma(s->nreal + 1) + lgamma(s->nreal - k + 1);
}

/* Method A (J. S. Vitter, "An efficient algorithm for sequential random sampling", ACM TOMS
 * 13(1), 1987): the number of positions to skip before the next selected one is the smallest
 * S with P(skip >= S + 1) <= V for a uniform V, where P(skip >= S) = prod_{i<S} (top - i) /
 * (nreal - i). Method A walks S up one step at a time, O(N) in all, which takes seconds over
 * Table 2's space for a sample of 100; after DIRECT_STEPS steps this bisects on the same
 * product in log-gamma form instead (O(log N) per draw, relative error ~1e-15 x log N). */
#define DIRECT_STEPS 32
bool cb_sweep_sampler_next(sweep_sampler *s, uint64_t *pos)
{
    if (s->n < 1)
        return false;
    double skip = 0;
    if (s->n >= 2) {
        double v = cb_rng_unit(&s->rng), top = s->top, nreal = s->nreal, quot = top / nreal;
        while (quot > v && skip < DIRECT_STEPS) {
            skip++;
            quot = quot * (top - skip) / (nreal - skip);
        }
        if (quot > v) { /* the smallest k in (skip, top] with P(skip >= k + 1) <= v */
            double lv = log(v), lo = skip, hi = top; /* P(>= lo + 1) > v, P(>= hi + 1) = 0 */
            while (hi - lo > 1) {
                double mid = floor((lo + hi) / 2);
                if (log_tail(s, mid + 1) > lv)
                    lo = mid;
                else
                    hi = mid;
            }
            skip = hi;
        }
        s->top -= skip;
        s->nreal -= skip;
    } else {
        skip = floor(s->nreal * cb_rng_unit(&s->rng));
        if (skip > s->nreal - 1)
            skip = s->nreal - 1;
    }
    *pos = s->next + (uint64_t)skip;
    s->next = *pos + 1;
    s->nreal--;
    s->n--;
    return true;
}
