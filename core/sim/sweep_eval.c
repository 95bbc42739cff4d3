/* core/sim/sweep_eval.c: one worker's evaluation of sweep points.
 *
 * Points come in sweep order, so a worker meets a group's points (same unrolling, batch and
 * memory; every buffer size) one after the other. Within a group each layer is simulated once
 * per variant of its class (sweep_plan.c) and kept in a memo stamped with the group; a point
 * then only re-derives the chip for its buffer sizes (area, leakage, energy per buffer access),
 * prices each layer's buffer traffic at them (cb_sim_layer_buf_j) and adds the layers up with
 * cb_simulate's own code (cb_sim_add_up), so its figures are cb_simulate's bit for bit. */
#include "sim/sweep_internal.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cb_sweep_mac_for(const cb_sweep_parts *parts, int multipliers)
{
    for (int i = 0; i < parts->n_mac; i++) {
        cb_mac_model m;
        cb_error e;
        memset(&m, 0, sizeof m);
        memset(&e, 0, sizeof e);
        m.size = sizeof m;
        if (parts->mac[i]->describe(parts->mac_self[i], 0, &m, &e) == CB_OK && m.multipliers == multipliers)
            return i;
    }
    return -1;
}

void cb_sweep_eval_init(sweep_eval *e, const cb_sim_net *net, const cb_accel_space *s,
                        const sweep_plan *plan, const cb_sweep_parts *parts, const cb_sweep_opts *o)
{
    memset(e, 0, sizeof *e);
    e->net = net;
    e->s = s;
    e->plan = plan;
    e->parts = parts;
    e->opts = o->sim;
    e->direct = o->direct;
    if (e->direct)
        e->sim = cb_simulator_new();
    e->memo = cb_xcalloc((size_t)plan->n_slots + 1, sizeof *e->memo);
    e->res = cb_xcalloc((size_t)net->n + 1, sizeof *e->res);
    e->layers = cb_xcalloc((size_t)net->n + 1, sizeof *e->layers);
}

void cb_sweep_eval_free(sweep_eval *e)
{
    cb_simulator_free(e->sim);
    free(e->memo);
    free(e->res);
    free(e->layers);
    memset(e, 0, sizeof *e);
}

/* A new group: its parts; the memo's entries of the last group become stale. */
static int enter_group(sweep_eval *e, uint64_t group, const cb_accel_vec *v, int mem, char *why, size_t n)
{
    const cb_sweep_parts *p = e->parts;
    int mac = cb_sweep_mac_for(p, v->p_if);
    if (mac < 0) {
        snprintf(why, n, "p_if = %d: no MAC plugin has %d multipliers per lane", v->p_if, v->p_if);
        return CB_EINVAL;
    }
    if (mem < 0 || mem >= p->n_mem) {
        snprintf(why, n, "memory %d: there are %d memory instances", mem + 1, p->n_mem);
        return CB_EINVAL;
    }
    e->sp = (cb_sim_parts){p->mac[mac], p->mac_self[mac], p->mem[mem], p->mem_self[mem]};
    e->group = group;
    e->stamp++;
    e->ctx_ok = false;
    return CB_OK;
}

static void point_of(const sweep_eval *e, uint64_t order, uint64_t index, int mem, cb_sim_report *r,
                     cb_sweep_point *out)
{
    out->order = order;
    out->index = index;
    out->v = e->v;
    out->mem = mem;
    out->r = *r;
    out->r.layers = NULL;
    out->r.n_layers = 0;
}

int cb_sweep_eval_point(sweep_eval *e, uint64_t order, cb_sweep_point *out, char *why, size_t n)
{
    cb_accel_vec v;
    int mem, d[CB_SPACE_AXES];
    uint64_t index;
    cb_sweep_decode(e->s, order, d, &v, &mem, &index);
    uint64_t group = order / cb_sweep_group_size(e->s);
    if (e->stamp == 0 || group != e->group) {
        int rc = enter_group(e, group, &v, mem, why, n);
        if (rc)
            return rc;
    }
    e->v = v;
    cb_sim_report r;
    if (e->direct) {
        int rc = cb_simulate(e->sim, e->net, &e->v, &e->sp, &e->opts, &r, why, n);
        if (rc == CB_OK) {
            e->layer_sims += r.cache_misses;
            point_of(e, order, index, mem, &r, out);
        }
        cb_sim_report_free(&r);
        return rc;
    }
    if (!e->ctx_ok) { /* once per group: check the vector, describe the plugins */
        int rc = cb_sim_setup(&e->ctx, e->net, &e->v, &e->sp, &e->opts, why, n);
        if (rc)
            return rc;
        e->ctx_ok = true;
    } else {
        cb_sim_chip(&e->ctx); /* this point's buffers; e->ctx.v is &e->v */
    }
    const sweep_plan *p = e->plan;
    int b = d[CB_AX_BATCH], a = d[CB_AX_ACT], w = d[CB_AX_WGT], L = p->n_layers;
    const uint8_t *place = p->place + ((size_t)b * (size_t)p->na + (size_t)a) * (size_t)L;
    const uint16_t *var = p->var + (((size_t)b * (size_t)p->na + (size_t)a) * (size_t)p->nw + (size_t)w) * (size_t)L;
    for (int i = 0; i < L; i++) {
        sweep_memo *m = &e->memo[p->slot0[p->cls[i]] + var[i]];
        if (m->stamp != e->stamp) {
            cb_workload bw = cb_sim_batched(&e->net->layers[i].w, v.batch);
            sim_place pl = {place[i] & 1, (place[i] >> 1) & 1};
            cb_sim_one_layer(&e->ctx, &bw, pl, &m->res);
            m->stamp = e->stamp;
            e->layer_sims++;
        }
        m->res.buf_j = cb_sim_layer_buf_j(&e->ctx.chip, &m->res);
        e->res[i] = &m->res;
    }
    memset(&r, 0, sizeof r);
    r.layers = e->layers;
    r.n_layers = L;
    cb_sim_add_up(&e->ctx, e->res, L, &r);
    point_of(e, order, index, mem, &r, out);
    return CB_OK;
}
