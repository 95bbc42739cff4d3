/* core/runner/study.c: opening a study: manifest, plugin instances, the space (see study.h).
 *
 * The accelerator side of the space has one axis per entry of the manifest's
 * accelerator.axes (p_ib, p_if, p_ix, p_iy, p_of, p_k, batch, act_buffer_mb, weight_buffer_mb,
 * mask_buffer_mb, in that order) plus `memory`, the 1-based index of a configured memory
 * plugin in accelerator.memory. AccelBench's 13-element vector follows from it: P_kx = P_ky =
 * p_k, and the memory entry names the technology and its configuration. */
#include "runner/study.h"
#include "host/host.h"
#include "plugin/param.h"
#include "runner/candidates.h"
#include "sim/sim.h"
#include "util/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const axis_names[] = {"p_ib", "p_if", "p_ix", "p_iy", "p_of", "p_k", "batch",
                                         "act_buffer_mb", "weight_buffer_mb", "mask_buffer_mb"};
#define N_LIST_AXES 10

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = cb_xmalloc(cap);
    for (size_t got; (got = fread(buf + n, 1, cap - n - 1, f)) > 0;) {
        n += got;
        if (cap - n - 1 == 0)
            buf = cb_xrealloc(buf, cap *= 2);
    }
    fclose(f);
    buf[n] = '\0';
    return buf;
}

/* A create() that refused a value is bad input at that value's place in the manifest. */
static int create_failed(cb_study *st, const cb_plugin_ref *r, const cb_error *e, cb_diag *d)
{
    cb_mark at = r->at;
    const cb_param *params = cb_ref_params(r);
    int i = e->param[0] ? cb_param_index(params, e->param) : -1;
    if (i >= 0 && r->marks[i].line > 0)
        at = r->marks[i];
    const char *kind = cb_kind_name(r->entry->plugin->kind);
    cb_manifest_fail(&st->m, d, at, "%s plugin '%s': %s%s%s%s", kind, r->entry->plugin->name,
                     e->param[0] ? "parameter '" : "", e->param, e->param[0] ? "': " : "", e->msg);
    d->code = e->code == CB_EINVAL ? CB_EINVAL : CB_EFAIL;
    return d->code;
}

static int instantiate(cb_study *st, const cb_plugin_ref *r, cb_instance *inst, cb_diag *d)
{
    cb_error e;
    memset(&e, 0, sizeof e);
    cb_host *h = cb_host_new(r->entry->plugin->name);
    if (cb_plugin_create(r->entry->plugin, h, r->values, inst, &e) != CB_OK) {
        cb_host_free(h);
        inst->plugin = NULL; /* nothing left to destroy: cb_study_close must not free h again */
        inst->host = NULL;
        return create_failed(st, r, &e, d);
    }
    return CB_OK;
}

static int instantiate_list(cb_study *st, const cb_ref_list *refs, cb_instance **out, size_t *n,
                            cb_diag *d)
{
    *out = cb_xcalloc(refs->n + 1, sizeof **out);
    *n = 0;
    for (size_t i = 0; i < refs->n; i++) {
        if (instantiate(st, &refs->v[i], &(*out)[i], d))
            return d->code;
        (*n)++;
    }
    return CB_OK;
}

static const cb_list *axis_list(const cb_manifest_accel *a, int i)
{
    const cb_list *lists[N_LIST_AXES] = {&a->axes.p_ib, &a->axes.p_if, &a->axes.p_ix,
                                         &a->axes.p_iy, &a->axes.p_of, &a->axes.p_k,
                                         &a->axes.batch, &a->axes.act_buffer_mb,
                                         &a->axes.weight_buffer_mb, &a->axes.mask_buffer_mb};
    return lists[i];
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The accelerator axes: values ascending, as cb_axis promises. */
static void build_axes(cb_study *st)
{
    const cb_manifest_accel *a = &st->m.accel;
    size_t total = a->memory.n;
    for (int i = 0; i < N_LIST_AXES; i++)
        total += axis_list(a, i)->n;
    st->axis_values = cb_xcalloc(total + 1, sizeof *st->axis_values);
    double *v = st->axis_values;
    int n = 0;
    for (int i = 0; i < N_LIST_AXES; i++) {
        const cb_list *l = axis_list(a, i);
        for (size_t k = 0; k < l->n; k++)
            v[k] = (double)l->v[k].i;
        qsort(v, l->n, sizeof *v, cmp_double);
        st->axes[n++] = (cb_axis){axis_names[i], (int32_t)l->n, v};
        v += l->n;
    }
    for (size_t k = 0; k < a->memory.n; k++)
        v[k] = (double)(k + 1);
    st->axes[n++] = (cb_axis){"memory", (int32_t)a->memory.n, v};
    st->space.n_axes = a->memory.n ? n : 0;
    st->space.axes = st->axes;
}

static int in_axis(const cb_axis *ax, double v)
{
    for (int k = 0; k < ax->n_values; k++)
        if (ax->values[k] == v)
            return 1;
    return 0;
}

/* Static validity: every value on its axis, the CNN index in range. Constraints on measured
 * metrics (area, latency) are the objective's, applied to results. */
static int pair_valid(void *ctx, const cb_pair *p)
{
    const cb_study *st = ctx;
    if (st->space.n_cnn > 0 && (p->cnn < 0 || p->cnn >= st->space.n_cnn))
        return 0;
    if (p->n_accel != st->space.n_axes)
        return 0;
    for (int i = 0; i < p->n_accel; i++)
        if (!in_axis(&st->axes[i], p->accel[i]))
            return 0;
    return 1;
}

static void build_objective(cb_study *st)
{
    const cb_manifest_objective *o = &st->m.objective;
    cb_objective_default(&st->obj);
    st->obj.w_latency = o->weights.latency;
    st->obj.w_area = o->weights.area;
    st->obj.w_dyn = o->weights.dynamic_energy;
    st->obj.w_leak = o->weights.leakage_energy;
    st->obj.w_acc = o->weights.accuracy;
    const cb_objective_constraints *c = &o->constraints;
    st->obj.max_latency_s = isfinite(c->max_latency_ms) ? c->max_latency_ms * 1e-3 : 0;
    st->obj.max_area_mm2 = isfinite(c->max_area_mm2) ? c->max_area_mm2 : 0;
    st->obj.max_dyn_j = isfinite(c->max_dynamic_energy_mj) ? c->max_dynamic_energy_mj * 1e-3 : 0;
    st->obj.max_leak_j = isfinite(c->max_leakage_energy_mj) ? c->max_leakage_energy_mj * 1e-3 : 0;
    st->obj.min_accuracy = c->min_accuracy;
    st->space.w_latency = st->obj.w_latency;
    st->space.w_area = st->obj.w_area;
    st->space.w_dyn_energy = st->obj.w_dyn;
    st->space.w_leak_energy = st->obj.w_leak;
    st->space.w_accuracy = st->obj.w_acc;
}

static int start_search(cb_study *st, cb_diag *d)
{
    const cb_search_vt *vt = st->search.plugin->vtable;
    cb_error e;
    memset(&e, 0, sizeof e);
    if (vt->start(st->search.self, &st->space, &e) != CB_OK)
        return create_failed(st, &st->m.search.ref, &e, d);
    return CB_OK;
}

/* What `run` needs beyond a valid manifest: a trainer, and accelerators it can simulate (the
 * FPGA family is enumerated by `codebench pareto`, not evaluated pair by pair). Checked before
 * any work starts, so such a manifest fails at once with its position. */
static int runnable(cb_study *st, cb_diag *d)
{
    const cb_manifest *m = &st->m;
    if (m->accel.family == CB_FAMILY_FPGA)
        return cb_manifest_fail(m, d, m->accel.plugin.at, "accelerator.family 'fpga': `codebench run` "
                                "simulates ASIC accelerators (AccelBench); FPGA families are enumerated "
                                "exactly by `codebench pareto` (docs/codesign-nas.md)");
    if (!m->trainer.ref.entry)
        return cb_manifest_fail(m, d, m->cnn.space_at, "missing section 'trainer': `codebench run` needs a "
                                "trainer to get each CNN's accuracy (e.g. trainer: native, or the tabular "
                                "trainer for a benchmark table)");
    return CB_OK;
}

int cb_study_open(const char *path, int role, cb_study *st, cb_diag *d)
{
    memset(st, 0, sizeof *st);
    cb_diag_clear(d);
    st->role = role;
    st->manifest_path = cb_xstrdup(path);
    cb_registry_init(&st->reg);
    if (cb_manifest_load(path, &st->reg, &st->m, d))
        return CB_EINVAL;
    st->manifest_text = read_text(path);
    if (!st->manifest_text)
        return cb_diag_set(d, path, (cb_mark){0, 0}, NULL, "cannot read the manifest");
    cb_host_configure((uint64_t)st->m.seed, 1, CB_LOG_WARN);
    st->space.size = sizeof st->space;
    st->space.ctx = st;
    st->space.valid = pair_valid;
    build_axes(st);
    build_objective(st);
    if (role != 0 && runnable(st, d))
        return CB_EINVAL;
    if (cb_candidates_build(st, d))
        return d->code ? d->code : CB_EINVAL;
    if ((role & CB_ROLE_WORKER) &&
        (instantiate(st, &st->m.trainer.ref, &st->trainer, d) ||
         instantiate_list(st, &st->m.accel.mac, &st->macs, &st->n_macs, d) ||
         instantiate_list(st, &st->m.accel.memory, &st->memories, &st->n_memories, d)))
        return d->code;
    if ((role & CB_ROLE_COORDINATOR) &&
        (instantiate(st, &st->m.search.ref, &st->search, d) || start_search(st, d)))
        return d->code;
    return CB_OK;
}

static void destroy(cb_instance *inst)
{
    if (!inst->plugin)
        return;
    cb_instance_destroy(inst);
    cb_host_free(inst->host);
}

int cb_study_restart_search(cb_study *st, cb_diag *d)
{
    cb_diag_clear(d);
    destroy(&st->search);
    memset(&st->search, 0, sizeof st->search);
    if (instantiate(st, &st->m.search.ref, &st->search, d) || start_search(st, d))
        return d->code ? d->code : CB_EFAIL;
    return CB_OK;
}

void cb_study_close(cb_study *st)
{
    destroy(&st->search);
    destroy(&st->trainer);
    for (size_t i = 0; i < st->n_macs; i++)
        destroy(&st->macs[i]);
    for (size_t i = 0; i < st->n_memories; i++)
        destroy(&st->memories[i]);
    free(st->macs);
    free(st->memories);
    cb_simulator_free(st->simulator);
    cb_candidates_free(st->cands);
    cb_manifest_free(&st->m);
    cb_registry_free(&st->reg);
    free(st->axis_values);
    free(st->manifest_text);
    free(st->manifest_path);
    memset(st, 0, sizeof *st);
}
