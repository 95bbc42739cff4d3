/* core/sim/sim_timeline.c: units of tiled work on a double-buffered timeline, their loads
 * and stores through the memory plugin's access() (cb_sim_flow).
 *
 * Two load slots per operand: unit i's data loads while unit i-1 computes, so its load is
 * issued when unit i-1 starts (the slot unit i-2 used is then free) and unit i starts when both
 * its data has arrived and unit i-1 is done: start_i = max(end_{i-1}, loaded_i). When memory
 * is slower than compute the array stalls; otherwise loads hide behind compute. A unit's
 * outputs are written back when it ends (if they leave the chip), sharing the memory with
 * later loads. Requests reach the plugin in time order, as memory.h asks.
 *
 * A layer can have many thousands of identical units. The first PROBES of each class go
 * through the memory model one by one; the rest repeat the steady-state period measured on
 * them, and are charged the energy and row hits/misses per unit measured on them. */
#include "sim/sim_internal.h"

#include <math.h>
#include <string.h>

#define PROBES 4
#define REGION (1ull << 30) /* each tensor of a layer lives in its own 1 GiB address region */

typedef struct pending {
    double at, elems;
} pending;

typedef struct flow {
    const sim_ctx *ctx;
    sim_flow *f;
    double prev_start, prev_end, write_done, last_now;
    int started;
    uint64_t off[3]; /* next address offset in the input, weight and output regions */
    pending wq[2];   /* output writes not yet handed to the memory (in time order) */
    int n_wq;
} flow;

enum { R_IN, R_W, R_OUT };

/* One request to the memory plugin at cycle `now` (>= every earlier request); returns the
 * cycle its data has arrived or been written. */
static double mem_op(flow *st, int region, double elems, double density, cb_access k, double now)
{
    double bytes = ceil(cb_sim_bytes(elems, density));
    if (bytes < 1)
        return now;
    if (now < st->last_now)
        now = st->last_now;
    st->last_now = now;
    const sim_ctx *ctx = st->ctx;
    double ps = ctx->chip.ps_per_cycle;
    cb_mem_cost c;
    memset(&c, 0, sizeof c);
    uint64_t base = (uint64_t)region * REGION, n = (uint64_t)bytes;
    ctx->parts->mem->access(ctx->parts->mem_self, base + st->off[region], n, k,
                            (uint64_t)llround(now * ps), &c);
    st->off[region] = (st->off[region] + n) % REGION;
    double done = fmax(now, ceil((double)c.done_ps / ps - 1e-9));
    st->f->mem_pj += c.energy_pj;
    st->f->mem_bytes += bytes;
    st->f->mem_busy += done - now;
    st->f->hits += c.row_hits;
    st->f->misses += c.row_misses;
    return done;
}

/* Hands the queued writes due by `until` (all of them when until < 0) to the memory. */
static void flush_writes(flow *st, double until)
{
    int kept = 0;
    for (int i = 0; i < st->n_wq; i++) {
        if (until >= 0 && st->wq[i].at > until) {
            st->wq[kept++] = st->wq[i];
            continue;
        }
        double d = mem_op(st, R_OUT, st->wq[i].elems, st->ctx->opts.act_density, CB_WRITE, st->wq[i].at);
        st->write_done = fmax(st->write_done, d);
    }
    st->n_wq = kept;
}

/* One unit through the timeline; returns the cycle it started computing. */
static double step(flow *st, const sim_unit *u)
{
    double issue = st->started ? st->prev_start : 0;
    flush_writes(st, issue);
    const cb_sim_opts *o = &st->ctx->opts;
    double in = mem_op(st, R_IN, u->in_load + u->in_reload, o->act_density, CB_READ, issue);
    double w = mem_op(st, R_W, u->w_load + u->w_reload, o->wgt_density, CB_READ, issue);
    double start = fmax(st->prev_end, fmax(in, w));
    if (!st->started)
        st->f->first_start = start;
    st->started = 1;
    st->prev_start = start;
    st->prev_end = start + u->compute;
    if (u->out_store > 0) {
        if (st->n_wq == 2)
            flush_writes(st, -1);
        st->wq[st->n_wq++] = (pending){st->prev_end, u->out_store};
    }
    return start;
}

/* Charges m more units of class u, repeating `period` cycles and the per-unit costs measured
 * on the probes (the difference of *f against the snapshot before them). */
static void extrapolate(flow *st, const sim_unit *u, double m, double period, const sim_flow *before,
                        double probes)
{
    flush_writes(st, -1);
    sim_flow *f = st->f;
    double k = m / probes;
    f->mem_pj += (f->mem_pj - before->mem_pj) * k;
    f->mem_bytes += (f->mem_bytes - before->mem_bytes) * k;
    f->mem_busy += (f->mem_busy - before->mem_busy) * k;
    f->hits += (uint64_t)llround((double)(f->hits - before->hits) * k);
    f->misses += (uint64_t)llround((double)(f->misses - before->misses) * k);
    st->prev_start += m * period;
    st->prev_end = st->prev_start + u->compute;
    if (u->out_store > 0)
        st->write_done = fmax(st->write_done + m * period, st->prev_end);
}

static void run_class(flow *st, const sim_unit *u)
{
    sim_flow before = *st->f;
    double starts[PROBES];
    int probes = u->count < PROBES ? (int)u->count : PROBES;
    for (int i = 0; i < probes; i++)
        starts[i] = step(st, u);
    double m = u->count - probes;
    if (m > 0) {
        /* the steady period: later probes, once the pipeline has filled */
        double period = probes >= 3 ? (starts[probes - 1] - starts[1]) / (probes - 2)
                        : probes == 2 ? starts[1] - starts[0] : u->compute;
        extrapolate(st, u, m, fmax(period, u->compute), &before, probes);
    }
    sim_flow *f = st->f;
    const cb_sim_opts *o = &st->ctx->opts;
    f->compute += u->count * u->compute;
    f->reload_bytes += u->count * (cb_sim_bytes(u->in_reload, o->act_density) +
                                   cb_sim_bytes(u->w_reload, o->wgt_density));
    f->in_read += u->count * u->in_read;
    f->w_read += u->count * u->w_read;
    f->in_load += u->count * (u->in_load + u->in_reload);
    f->w_load += u->count * (u->w_load + u->w_reload);
    f->out_store += u->count * u->out_store;
    f->last_compute = u->compute;
}

void cb_sim_flow(const sim_ctx *ctx, const sim_unit *u, int n_classes, double prologue, sim_flow *f)
{
    memset(f, 0, sizeof *f);
    flow st;
    memset(&st, 0, sizeof st);
    st.ctx = ctx;
    st.f = f;
    if (prologue > 0) { /* weights that fit their buffer arrive once, before the first unit */
        st.prev_end = mem_op(&st, R_W, prologue, ctx->opts.wgt_density, CB_READ, 0);
        f->w_load += prologue;
    }
    for (int k = 0; k < n_classes; k++)
        if (u[k].count > 0)
            run_class(&st, &u[k]);
    flush_writes(&st, -1);
    f->end = fmax(st.prev_end, st.write_done);
    if (!st.started)
        f->first_start = f->end;
}
