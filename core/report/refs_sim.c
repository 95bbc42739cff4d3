/* core/report/refs_sim.c: the reference pairs' numbers. The manifest's study is opened as a
 * worker opens it (the same registry, objective and candidates), and the best pair is scored
 * again: that fixes the normalizers exactly as the run fixed them (core/runner/evaluate.c
 * computes them on first use) and checks them, since the new score must equal the stored one.
 * Each reference's cards are then loaded with that registry and simulated as `codebench
 * simulate` does, and a reference with an accuracy is scored with the run's objective. */
#include "cnn/net.h"
#include "host/host.h"
#include "report/refs.h"
#include "report/report.h"
#include "runner/candidates.h"
#include "runner/study.h"
#include "sim/accel_card.h"
#include "util/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void shape_text(char *buf, size_t len, long long c, long long h, long long w)
{
    snprintf(buf, len, "%lldx%lldx%lld", c, h, w);
}

/* One batch of net on the card's accelerator, its plugins created from the card. */
static int run_sim(cb_net *net, cb_accel_card *c, cb_sim_report *out, char *why, size_t n)
{
    cb_instance mac, mem;
    cb_diag d;
    if (cb_accel_card_create(c, &mac, &mem, &d)) {
        cb_diag_line(&d, why, n);
        return CB_EINVAL;
    }
    cb_sim_net sn;
    int rc = cb_sim_net_from_graph(&net->g, &sn, why, n);
    if (rc == CB_OK) {
        cb_simulator *s = cb_simulator_new();
        cb_sim_parts parts = {mac.plugin->vtable, mac.self, mem.plugin->vtable, mem.self};
        rc = cb_simulate(s, &sn, &c->vec, &parts, &c->opts, out, why, n);
        cb_simulator_free(s);
        cb_sim_net_free(&sn);
    }
    cb_host *hosts[2] = {mac.host, mem.host};
    cb_instance_destroy(&mac);
    cb_instance_destroy(&mem);
    cb_host_free(hosts[0]);
    cb_host_free(hosts[1]);
    return rc;
}

static void metrics_of(const cb_sim_report *s, double accuracy, cb_metrics *m)
{
    memset(m, 0, sizeof *m);
    m->size = sizeof *m;
    m->status = CB_EVAL_OK;
    m->accuracy = accuracy;
    m->acc_std = NAN;
    m->latency_s = s->latency_s;
    m->area_mm2 = s->area_mm2;
    m->dyn_energy_j = s->dyn_energy_j;
    m->leak_energy_j = s->leak_energy_j;
    m->throughput_fps = s->throughput_fps;
    m->edp = s->edp;
    m->performance = NAN;
}

/* Scores a simulated reference: only with an accuracy, and only on the study's input (the
 * normalizers and the accuracy are about the study's task). */
static void score(cb_report_ref *ref, const cb_study *st)
{
    if (!isfinite(ref->m.accuracy) || !ref->input_matches)
        return;
    ref->m.performance = cb_objective_performance(&st->obj, &ref->m);
    char why[256];
    ref->feasible = cb_objective_feasible(&st->obj, &ref->m, why, sizeof why);
    if (!ref->feasible)
        snprintf(ref->note, sizeof ref->note, "breaks a constraint of the study: %s", why);
}

static void names(cb_report_ref *ref, const cb_manifest_reference *mr, const cb_net *net,
                  const cb_accel_card *card)
{
    snprintf(ref->model, sizeof ref->model, "%s", net && net->name ? net->name : mr->model);
    snprintf(ref->accel, sizeof ref->accel, "%s", card && card->name[0] ? card->name : mr->accelerator);
    if (mr->label)
        snprintf(ref->label, sizeof ref->label, "%s", mr->label);
    else
        snprintf(ref->label, sizeof ref->label, "%s on %s", ref->model, ref->accel);
}

static void one(cb_report_ref *ref, const cb_manifest_reference *mr, cb_study *st,
                const char *study_input)
{
    cb_net net;
    cb_accel_card card;
    cb_diag d;
    memset(&net, 0, sizeof net);
    memset(&card, 0, sizeof card);
    ref->m.accuracy = mr->accuracy;
    ref->m.performance = NAN;
    char why[512];
    if (cb_net_load_card(mr->model_path, &st->reg, &net, &d)) {
        names(ref, mr, NULL, NULL);
        snprintf(ref->note, sizeof ref->note, "model card: %.480s", cb_diag_line(&d, why, sizeof why));
    } else if (cb_accel_card_load(mr->accel_path, &st->reg, &card, &d)) {
        names(ref, mr, &net, NULL);
        snprintf(ref->note, sizeof ref->note, "accelerator card: %.480s", cb_diag_line(&d, why, sizeof why));
    } else {
        names(ref, mr, &net, &card);
        const cb_shape *in = &net.g.input;
        shape_text(ref->input, sizeof ref->input, in->c, in->h, in->w);
        ref->input_matches = strcmp(ref->input, study_input) == 0;
        cb_sim_report s;
        if (run_sim(&net, &card, &s, why, sizeof why) != CB_OK) {
            snprintf(ref->note, sizeof ref->note, "simulation: %.480s", why);
        } else {
            ref->simulated = 1;
            metrics_of(&s, mr->accuracy, &ref->m);
            cb_sim_report_free(&s);
            score(ref, st);
            if (!ref->input_matches)
                snprintf(ref->note, sizeof ref->note, "input %s, but the study's CNNs take %s%s",
                         ref->input, study_input, isfinite(mr->accuracy) ? ": not scored" : "");
        }
    }
    cb_accel_card_free(&card);
    cb_net_free(&net);
}

/* Scores the best pair again in st; its objective then holds the run's normalizers. */
static void normalizers(cb_report *r, cb_study *st)
{
    const cb_eval_row *b = &r->rows[r->best];
    cb_job job = {.pair = b->pair, .has_accuracy = 1, .accuracy = b->m.accuracy, .acc_std = b->m.acc_std};
    cb_eval_result *res = cb_xcalloc(1, sizeof *res);
    cb_study_evaluate(st, &job, res);
    double want = b->m.performance, got = res->m.performance;
    r->refs.norm_checked = res->m.status == CB_EVAL_OK && fabs(got - want) <= 1e-9 * fmax(1, fabs(want));
    if (!r->refs.norm_checked)
        snprintf(r->refs.note, sizeof r->refs.note,
                 "scoring the best pair (id %lld) again gave %.6g, the run stored %.6g%s%s: the "
                 "performance of the references may not use the run's normalizers (the manifest's "
                 "plugins or codebench changed since the run)",
                 (long long)b->id, got, want, res->error[0] ? "; " : "", res->error);
    r->refs.norm_latency_s = st->obj.norm_latency_s;
    r->refs.norm_area_mm2 = st->obj.norm_area_mm2;
    r->refs.norm_dyn_j = st->obj.norm_dyn_j;
    r->refs.norm_leak_j = st->obj.norm_leak_j;
    free(res);
}

/* The growths of the run's CNN hierarchy (boshcode), replayed into st's pool. */
static void replay_growth(cb_study *st, const char *run_dir, char *note, size_t len)
{
    char err[512];
    cb_store *s = cb_store_open(run_dir, err, sizeof err);
    if (!s)
        return;
    cb_growth_row *rows;
    size_t n;
    if (cb_store_growths(s, &rows, &n) == 0) {
        for (size_t i = 0; i < n; i++)
            if (cb_candidates_grow(st, rows[i].level, rows[i].parents, rows[i].n, err, sizeof err) < 0) {
                snprintf(note, len, "replaying growth %zu of the CNN hierarchy: %.400s", i + 1, err);
                break;
            }
        cb_store_growth_free(rows, n);
    }
    cb_store_close(s);
}

void cb_report_references(cb_report *r, const char *manifest_path, const char *run_dir)
{
    cb_report_refs *refs = &r->refs;
    cb_study st;
    cb_diag d;
    if (cb_study_open(manifest_path, CB_ROLE_WORKER, &st, &d) != CB_OK) {
        char line[1024];
        refs->declared = 1;
        snprintf(refs->note, sizeof refs->note, "the study's manifest cannot be opened: %s",
                 cb_diag_line(&d, line, sizeof line));
        cb_study_close(&st);
        return;
    }
    const cb_manifest_references *mr = &st.m.output.references;
    if (mr->n) {
        refs->declared = 1;
        snprintf(refs->manifest, sizeof refs->manifest, "%s", manifest_path);
        const cb_cnn_input *in = &st.m.cnn.input;
        shape_text(refs->study_input, sizeof refs->study_input, (long long)in->channels,
                   (long long)in->height, (long long)in->width);
        replay_growth(&st, run_dir, refs->note, sizeof refs->note);
        if (r->best >= 0)
            normalizers(r, &st);
        refs->v = cb_xcalloc(mr->n, sizeof *refs->v);
        refs->n = mr->n;
        for (size_t i = 0; i < mr->n; i++)
            one(&refs->v[i], &mr->v[i], &st, refs->study_input);
    }
    cb_study_close(&st);
}

void cb_report_refs_free(cb_report_refs *refs)
{
    free(refs->v);
    memset(refs, 0, sizeof *refs);
}
