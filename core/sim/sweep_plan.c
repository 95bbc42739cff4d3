/* core/sim/sweep_plan.c: which buffer sizes make each layer of the network behave alike, per
 * batch (the table sweep_eval.c shares layer simulations by).
 *
 * For every batch, activation buffer and weight buffer of the space: the tensors' placement
 * (cb_sim_plan: it depends on the batch and the activation buffer only) and, per layer, the
 * code of its capacity decisions (cb_sim_layer_fits: it depends on neither the unrolling nor
 * the memory). Layers with identical workloads form a class; a class's distinct codes for a
 * batch are its variants. Within a group (unrolling, batch and memory fixed) a layer's result
 * is then a function of its class and variant, whatever the three buffer sizes. */
#include "sim/sweep_internal.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CODES 1024 /* cb_sim_layer_fits codes have 10 bits */

static bool same_workload(const cb_workload *a, const cb_workload *b)
{
    int64_t pa = a->size > offsetof(cb_workload, pw_of) ? a->pw_of : 0;
    int64_t pb = b->size > offsetof(cb_workload, pw_of) ? b->pw_of : 0;
    return a->kind == b->kind && a->n_ib == b->n_ib && a->n_if == b->n_if && a->n_ix == b->n_ix &&
           a->n_iy == b->n_iy && a->n_of == b->n_of && a->n_kx == b->n_kx && a->n_ky == b->n_ky &&
           a->groups == b->groups && a->n_kz == b->n_kz && a->out_d == b->out_d &&
           a->stride == b->stride && a->pad == b->pad && a->activation == b->activation &&
           a->batchnorm == b->batchnorm && a->in_elems == b->in_elems &&
           a->out_elems == b->out_elems && a->weight_elems == b->weight_elems &&
           a->elements == b->elements && a->window == b->window && pa == pb;
}

static size_t at3(const sweep_plan *p, int b, int a, int i)
{
    return ((size_t)b * (size_t)p->na + (size_t)a) * (size_t)p->n_layers + (size_t)i;
}

static size_t at4(const sweep_plan *p, int b, int a, int w, int i)
{
    return (((size_t)b * (size_t)p->na + (size_t)a) * (size_t)p->nw + (size_t)w) * (size_t)p->n_layers +
           (size_t)i;
}

/* The variant of `code` among class c's codes for this batch (appending a new one). */
static int variant(unsigned *codes, int *n_codes, int c, unsigned code)
{
    unsigned *list = codes + (size_t)c * MAX_CODES;
    for (int k = 0; k < n_codes[c]; k++)
        if (list[k] == code)
            return k;
    list[n_codes[c]] = code;
    return n_codes[c]++;
}

static int one_batch(sweep_plan *p, const cb_sim_net *net, const cb_accel_space *s, int b,
                     const cb_sim_parts *parts, const cb_sim_opts *o, int *most, char *why, size_t n)
{
    int L = p->n_layers;
    unsigned *codes = cb_xcalloc((size_t)L * MAX_CODES + 1, sizeof *codes);
    int *n_codes = cb_xcalloc((size_t)L + 1, sizeof *n_codes);
    sim_place *pl = cb_xcalloc((size_t)L + 1, sizeof *pl);
    cb_accel_vec v = {(int)s->v[CB_AX_IB][0], (int)s->v[CB_AX_IF][0], (int)s->v[CB_AX_IX][0],
                      (int)s->v[CB_AX_IY][0], (int)s->v[CB_AX_OF][0], (int)s->v[CB_AX_K][0],
                      (int)s->v[CB_AX_K][0], (int)s->v[CB_AX_BATCH][b], 0, 0,
                      s->v[CB_AX_MASK][0], 0, 0};
    int rc = CB_OK;
    for (int a = 0; a < p->na && rc == CB_OK; a++) {
        v.act_mb = s->v[CB_AX_ACT][a];
        for (int w = 0; w < p->nw && rc == CB_OK; w++) {
            v.wgt_mb = s->v[CB_AX_WGT][w];
            sim_ctx ctx;
            rc = cb_sim_setup(&ctx, net, &v, parts, o, why, n);
            if (rc != CB_OK)
                break;
            if (w == 0) {
                cb_sim_plan(&ctx, net, pl);
                for (int i = 0; i < L; i++)
                    p->place[at3(p, b, a, i)] = (uint8_t)(pl[i].in_resident | pl[i].out_resident << 1);
            }
            for (int i = 0; i < L; i++) {
                cb_workload bw = cb_sim_batched(&net->layers[i].w, v.batch);
                unsigned code = cb_sim_layer_fits(&ctx, &bw, pl[i]);
                p->var[at4(p, b, a, w, i)] = (uint16_t)variant(codes, n_codes, p->cls[i], code);
            }
        }
    }
    for (int i = 0; i < L; i++)
        if (n_codes[i] > most[i])
            most[i] = n_codes[i];
    free(codes);
    free(n_codes);
    free(pl);
    return rc;
}

int cb_sweep_plan_build(sweep_plan *p, const cb_sim_net *net, const cb_accel_space *s,
                        const cb_sim_parts *parts, const cb_sim_opts *o, char *why, size_t why_len)
{
    memset(p, 0, sizeof *p);
    int L = p->n_layers = net->n;
    p->nb = s->n[CB_AX_BATCH];
    p->na = s->n[CB_AX_ACT];
    p->nw = s->n[CB_AX_WGT];
    p->cls = cb_xcalloc((size_t)L + 1, sizeof *p->cls);
    p->slot0 = cb_xcalloc((size_t)L + 1, sizeof *p->slot0);
    p->place = cb_xcalloc((size_t)p->nb * (size_t)p->na * (size_t)L + 1, 1);
    p->var = cb_xcalloc((size_t)p->nb * (size_t)p->na * (size_t)p->nw * (size_t)L + 1, sizeof *p->var);
    for (int i = 0; i < L; i++) {
        p->cls[i] = i;
        for (int j = 0; j < i; j++)
            if (p->cls[j] == j && same_workload(&net->layers[j].w, &net->layers[i].w)) {
                p->cls[i] = j;
                break;
            }
    }
    int *most = cb_xcalloc((size_t)L + 1, sizeof *most);
    int rc = CB_OK;
    for (int b = 0; b < p->nb && rc == CB_OK; b++)
        rc = one_batch(p, net, s, b, parts, o, most, why, why_len);
    for (int i = 0; i < L; i++)
        if (p->cls[i] == i) {
            p->slot0[i] = p->n_slots;
            p->n_slots += most[i];
        }
    free(most);
    return rc;
}

void cb_sweep_plan_free(sweep_plan *p)
{
    free(p->cls);
    free(p->slot0);
    free(p->place);
    free(p->var);
    memset(p, 0, sizeof *p);
}
