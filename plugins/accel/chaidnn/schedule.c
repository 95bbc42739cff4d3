/* plugins/accel/chaidnn/schedule.c: the greedy scheduler. Operations go in topological order;
 * each starts as soon as the operations it waits on have finished and its engine (the general
 * or 3x3 convolution engine, the 1x1 engine, the pooling engine or the host CPU) is free, and
 * holds that engine for its latency from the table. A CNN's latency is the sum over its
 * segments (compile.c) of each segment's makespan, times the segment's count.
 *
 * This loop runs billions of times in an exhaustive enumeration, so it schedules all lanes of
 * a group (configurations with the same engine for every type) at once: each lane's
 * arithmetic is exactly the scalar one, in loops over the lanes that compilers turn into
 * vector instructions; and an op names exactly CH_PREDS predecessor slots (slot 0 is a finish
 * time of 0), so the loop has no data-dependent branch but the rare join. */
#include "chaidnn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define STACK_OPS 128
#define L CH_LANES
#define UNROLL _Pragma("GCC unroll 8")

typedef double lanes[L];

/* Each engine's last op: its finish is when the engine is free again, and the segment's end
 * is the latest of these (slot 0, time 0, for an engine not used yet). */
static void segment(const ch_op *op, uint32_t n, const double *restrict lat, const uint8_t *eng,
                    lanes *restrict fin, double *restrict out)
{
    uint32_t last[CH_N_ENGINES] = {0};
    for (int l = 0; l < L; l++)
        fin[0][l] = 0;
    for (uint32_t i = 1; i <= n; i++, op++) {
        const double *p0 = fin[op->pred[0]], *p1 = fin[op->pred[1]];
        const double *p2 = fin[op->pred[2]], *p3 = fin[op->pred[3]];
        double *f = fin[i];
        UNROLL
        for (int l = 0; l < L; l++) {
            double a = p0[l] > p1[l] ? p0[l] : p1[l], b = p2[l] > p3[l] ? p2[l] : p3[l];
            f[l] = a > b ? a : b;
        }
        if (op->type == CH_JOIN)
            continue;
        int e = eng[op->type];
        const double *busy = fin[last[e]], *d = lat + (size_t)op->type * L;
        UNROLL
        for (int l = 0; l < L; l++)
            f[l] = (f[l] > busy[l] ? f[l] : busy[l]) + d[l];
        last[e] = i;
    }
    const double *e0 = fin[last[0]], *e1 = fin[last[1]], *e2 = fin[last[2]], *e3 = fin[last[3]];
    UNROLL
    for (int l = 0; l < L; l++) {
        double a = e0[l] > e1[l] ? e0[l] : e1[l], b = e2[l] > e3[l] ? e2[l] : e3[l];
        out[l] = a > b ? a : b;
    }
}

/* The CNN's latency on every lane into total, with the engines of one group's lanes;
 * 0 when out of memory. */
static int group_latency(const ch_store *s, const ch_prog *p, const double *lat,
                         const uint8_t *eng, double *total)
{
    const ch_use *u = s->uses + p->use0;
    lanes stack[STACK_OPS + 1], end;
    for (int l = 0; l < L; l++)
        total[l] = 0;
    for (uint32_t i = 0; i < p->n_uses; i++) {
        uint32_t n = s->seg_n[u[i].seg];
        lanes *fin = n <= STACK_OPS ? stack : malloc((n + 1) * sizeof *fin);
        if (!fin)
            return 0;
        segment(s->ops + s->seg_op0[u[i].seg], n, lat, eng, fin, end);
        UNROLL
        for (int l = 0; l < L; l++)
            total[l] += (double)u[i].count * end[l];
        if (fin != stack)
            free(fin);
    }
    return 1;
}

void ch_schedule(const ch_store *s, int64_t h, const void *table, double *out)
{
    const ch_table *t = table;
    const double *lat = (const double *)(t + 1);
    const uint8_t *eng = (const uint8_t *)(lat + (size_t)t->n_types * CH_LANES);
    int bad = h < 0 || (size_t)h >= s->n_prog || (uint32_t)t->n_types < s->prog[h].n_types;
    for (int g = 0; g < t->n_groups && !bad; g++) {
        lanes r;
        int ok = group_latency(s, &s->prog[h], lat, eng + (size_t)t->first[g] * t->n_types, r);
        for (int lane = 0; lane < t->lanes; lane++)
            if (t->group_of[lane] == g)
                out[lane] = t->fits[lane] && ok ? r[lane] : NAN;
    }
    for (int lane = 0; lane < t->lanes && bad; lane++)
        out[lane] = NAN; /* a CNN prepared after the table was filled */
}
