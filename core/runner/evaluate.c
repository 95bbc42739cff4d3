/* core/runner/evaluate.c: one evaluation of a CNN-accelerator pair, in a worker process.
 *
 *   accuracy  <- the coordinator's cache, or the trainer plugin (then cached by graph hash)
 *   hardware  <- AccelBench (core/sim) on the pair's accelerator vector, with the MAC plugin
 *                whose lanes have P_if multipliers and the pair's configured memory plugin
 *   score     <- the objective (Eq. 4) with normalizers fixed per study (see below)
 */
#include "sim/sim.h"
#include "runner/candidates.h"
#include "runner/study.h"
#include "util/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Axis order of the accelerator vector (study.c). */
enum { AX_IB, AX_IF, AX_IX, AX_IY, AX_OF, AX_K, AX_BATCH, AX_ACT, AX_WGT, AX_MASK, AX_MEM, AX_N };

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void fail(cb_eval_result *r, const char *fmt, const char *a, const char *b)
{
    r->m.status = CB_EVAL_FAILED;
    snprintf(r->error, sizeof r->error, fmt, a, b);
}

typedef struct curve_ctx {
    cb_eval_result *r;
} curve_ctx;

static void on_progress(void *ctx, const cb_train_progress *p)
{
    cb_eval_result *r = ((curve_ctx *)ctx)->r;
    if (p->val_accuracy < 0 || p->epoch < 1 || p->epoch > CB_EVAL_MAX_EPOCHS)
        return;
    int i = p->epoch - 1;
    r->curve[i].loss = p->loss;
    r->curve[i].accuracy = p->accuracy;
    r->curve[i].val_accuracy = p->val_accuracy;
    if (p->epoch > r->n_epochs)
        r->n_epochs = p->epoch;
}

static int train(cb_study *st, const cb_graph *g, cb_eval_result *r)
{
    const cb_trainer_vt *vt = st->trainer.plugin->vtable;
    cb_train_job job;
    memset(&job, 0, sizeof job);
    job.size = sizeof job;
    job.graph = g;
    curve_ctx cc = {r};
    job.progress = on_progress;
    job.progress_ctx = &cc;
    cb_train_result tr;
    memset(&tr, 0, sizeof tr);
    cb_error e;
    memset(&e, 0, sizeof e);
    double t0 = now_s();
    int rc = vt->train(st->trainer.self, &job, &tr, &e);
    r->train_s = now_s() - t0;
    if (rc != CB_OK) {
        fail(r, "trainer '%s': %.400s", st->trainer.plugin->name, e.msg);
        return -1;
    }
    if (!isfinite(tr.accuracy) || tr.accuracy < 0 || tr.accuracy > 1) {
        char v[32];
        snprintf(v, sizeof v, "%g", tr.accuracy);
        fail(r, "trainer returned accuracy %s, outside [0, 1]%s", v, "");
        return -1;
    }
    r->m.accuracy = tr.accuracy;
    r->m.acc_std = tr.acc_std;
    r->trained = 1;
    return 0;
}

static cb_instance *mac_for(cb_study *st, int multipliers, unsigned act_mask)
{
    for (size_t i = 0; i < st->n_macs; i++) {
        const cb_mac_vt *vt = st->macs[i].plugin->vtable;
        cb_mac_model m;
        cb_error e;
        memset(&m, 0, sizeof m);
        if (vt->describe(st->macs[i].self, act_mask, &m, &e) == CB_OK && m.multipliers == multipliers)
            return &st->macs[i];
    }
    return NULL;
}

static int config_of(const cb_study *st, const cb_pair *p, cb_accel_vec *v, int *mem, char *why, size_t n)
{
    if (p->n_accel != AX_N || st->space.n_axes != AX_N) {
        snprintf(why, n, "the pair has %d accelerator values, the space %d", p->n_accel, st->space.n_axes);
        return -1;
    }
    const double *a = p->accel;
    *v = (cb_accel_vec){(int)a[AX_IB], (int)a[AX_IF], (int)a[AX_IX], (int)a[AX_IY], (int)a[AX_OF],
                        (int)a[AX_K], (int)a[AX_K], (int)a[AX_BATCH], a[AX_ACT], a[AX_WGT], a[AX_MASK],
                        0, 0 /* the configured memory plugin instance defines the memory */};
    *mem = (int)a[AX_MEM] - 1;
    if (*mem < 0 || (size_t)*mem >= st->n_memories) {
        snprintf(why, n, "memory choice %g is not among the %zu configured memories", a[AX_MEM], st->n_memories);
        return -1;
    }
    return 0;
}

/* Simulates candidate p->cnn on the pair's accelerator. The layer lists and the simulator (with
 * its per-layer cache) live as long as the study, so a worker reuses layer results across the
 * accelerators it is sent. */
int cb_study_simulate(cb_study *st, const cb_pair *p, cb_sim_report *out, char *why, size_t n)
{
    cb_accel_vec v;
    int mem;
    if (config_of(st, p, &v, &mem, why, n))
        return CB_EINVAL;
    cb_instance *mac = mac_for(st, v.p_if, (1u << CB_ACT_RELU) | (1u << CB_ACT_SILU));
    if (!mac) {
        snprintf(why, n, "no MAC plugin in accelerator.mac has %d multipliers per lane (P_if)", v.p_if);
        return CB_EINVAL;
    }
    const cb_sim_net *net = cb_candidates_sim_net(st->cands, p->cnn, why, n);
    if (!net)
        return CB_EINVAL;
    if (!st->simulator)
        st->simulator = cb_simulator_new();
    cb_sim_parts parts = {mac->plugin->vtable, mac->self, st->memories[mem].plugin->vtable,
                          st->memories[mem].self};
    cb_sim_opts opts = CB_SIM_OPTS_DEFAULT;
    return cb_simulate(st->simulator, net, &v, &parts, &opts, out, why, n);
}

/* Normalizers: each cost's maximum over the space, estimated once per study from the largest
 * candidate built at start (most MACs) on the smallest and the largest accelerator of the space, with the
 * first memory. Every process computes the same numbers, and a resumed run gets them again. */
static void normalizers(cb_study *st)
{
    if (st->obj.norm_latency_s != 1 || st->space.n_axes != AX_N)
        return;
    int64_t best = 0;
    uint64_t most = 0;
    /* the candidates built at start: a pool grown later (boshcode's levels) keeps its normalizers */
    int64_t n = (int64_t)cb_candidates_initial(st->cands);
    for (int64_t i = 0; i < n; i++) {
        uint64_t macs = cb_candidates_macs(st->cands, i);
        if (macs >= most) {
            most = macs;
            best = i;
        }
    }
    char why[256];
    double lat = 0, area = 0, dyn = 0, leak = 0;
    for (int corner = 0; corner < 2; corner++) {
        cb_pair p = {.cnn = best, .n_accel = AX_N};
        for (int k = 0; k < AX_N; k++)
            p.accel[k] = corner ? st->axes[k].values[st->axes[k].n_values - 1] : st->axes[k].values[0];
        p.accel[AX_MEM] = 1;
        cb_sim_report r;
        if (cb_study_simulate(st, &p, &r, why, sizeof why) != CB_OK)
            continue;
        lat = fmax(lat, r.latency_s);
        area = fmax(area, r.area_mm2);
        dyn = fmax(dyn, r.dyn_energy_j);
        leak = fmax(leak, r.leak_energy_j);
        cb_sim_report_free(&r);
    }
    if (lat > 0) {
        st->obj.norm_latency_s = lat;
        st->obj.norm_area_mm2 = area;
        st->obj.norm_dyn_j = dyn;
        st->obj.norm_leak_j = leak;
    }
}

static void score(cb_study *st, cb_eval_result *r)
{
    normalizers(st);
    r->m.performance = cb_objective_performance(&st->obj, &r->m);
    char why[256];
    if (!cb_objective_feasible(&st->obj, &r->m, why, sizeof why)) {
        r->m.status = CB_EVAL_INFEASIBLE;
        snprintf(r->error, sizeof r->error, "breaks a constraint: %s", why);
    }
}

static void copy_layers(const cb_sim_report *s, const cb_sim_net *net, cb_eval_result *r)
{
    r->n_layers = s->n_layers < CB_EVAL_MAX_LAYERS ? s->n_layers : CB_EVAL_MAX_LAYERS;
    for (int i = 0; i < r->n_layers; i++) {
        cb_layer_row *L = &r->layers[i];
        snprintf(L->name, sizeof L->name, "%s", net->layers[i].name);
        snprintf(L->op, sizeof L->op, "%s", net->layers[i].op);
        L->cycles = s->layers[i].cycles;
        L->compute_cycles = s->layers[i].compute_cycles;
        L->stall_cycles = s->layers[i].stall_cycles;
        L->latency_s = s->layers[i].latency_s;
        L->dyn_energy_j = s->layers[i].dyn_energy_j;
        L->leak_energy_j = s->layers[i].leak_energy_j;
    }
}

void cb_study_evaluate(cb_study *st, const cb_job *job, cb_eval_result *r)
{
    memset(r, 0, sizeof *r);
    r->m.size = sizeof r->m;
    r->m.status = CB_EVAL_OK;
    char why[512];
    const cb_graph *g = cb_candidates_graph(st->cands, job->pair.cnn, why, sizeof why);
    if (!g) {
        fail(r, "%.500s%s", why, "");
        return;
    }
    if (job->has_accuracy) {
        r->m.accuracy = job->accuracy;
        r->m.acc_std = job->acc_std;
    } else if (train(st, g, r)) {
        return;
    }
    double t0 = now_s();
    cb_sim_report s;
    int rc = cb_study_simulate(st, &job->pair, &s, why, sizeof why);
    r->sim_s = now_s() - t0;
    if (rc != CB_OK) {
        fail(r, "simulation: %.480s%s", why, "");
        return;
    }
    r->m.latency_s = s.latency_s;
    r->m.area_mm2 = s.area_mm2;
    r->m.dyn_energy_j = s.dyn_energy_j;
    r->m.leak_energy_j = s.leak_energy_j;
    r->m.throughput_fps = s.throughput_fps;
    r->m.edp = s.edp;
    copy_layers(&s, cb_candidates_sim_net(st->cands, job->pair.cnn, why, sizeof why), r);
    cb_sim_report_free(&s);
    score(st, r);
}
