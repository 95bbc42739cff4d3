/* tests/unit/report_refs.c: the report's reference pairs (output.references). A study of
 * LeNet-5 over a small accelerator space is scored pair by pair as a worker scores it and
 * stored with its manifest; the report must then find that manifest, simulate each reference
 * to exactly what AccelBench gives for its two cards, score a reference with an accuracy under
 * the run's normalizers (checked by re-scoring the best pair), say "not trained" for one
 * without, show a reference of another input shape without scoring it, mark the scored ones
 * on the Pareto plots, and write report.json's "references". A bad reference path is a
 * file:line:col error of the manifest; a manifest moved away is a note, not a failure. */
#include "cnn/net.h"
#include "host/host.h"
#include "report/report.h"
#include "report_fixture.h"
#include "runner/study.h"
#include "sim/accel_card.h"
#include "test_util.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/cb-refs-XXXXXX";
static char *plugins, *manifest;
static double norms[4]; /* the normalizers the scoring study fixed */

static char *absolute(char *p)
{
    char *r = realpath(p, NULL);
    cr_assert(ne(ptr, r, NULL), "%s does not exist", p);
    free(p);
    return r;
}

/* The reference cards are named relative to the manifest's folder (through a link to the
 * source tree's examples), as a manifest in the tree names them. */
static const char *refs_yaml =
    "  references:\n"
    "    - {model: ex/models/lenet5.yaml, accelerator: ex/accelerators/spring.yaml, accuracy: 0.91,\n"
    "       label: LeNet-5 on SPRING}\n"
    "    - {model: ex/models/lenet5.yaml, accelerator: ex/accelerators/eyeriss.yaml}\n"
    "    - {model: ex/models/mobilenet_v2.yaml, accelerator: ex/accelerators/spring.yaml, accuracy: 0.9}\n";

static char *write_manifest(const char *name, const char *references)
{
    char *lenet = absolute(cb_test_src("examples/models/lenet5.yaml")), *path = NULL;
    cr_assert(asprintf(&path, "%s/%s", dir, name) > 0);
    FILE *f = fopen(path, "w");
    cr_assert(ne(ptr, f, NULL));
    /* the folder in a comment makes the text unique: the report looks for the file by its
     * text, and another test's copy must not stand in for a moved one */
    fprintf(f, "# %s\n", dir);
    fprintf(f,
            "codebench: 1\nseed: 3\nplugin_path: [%s]\n"
            "cnn:\n  input: {channels: 1, height: 28, width: 28}\n  classes: 10\n  space: cards\n"
            "  cards: [%s]\n"
            "accelerator:\n  mac: [mac1, mac16]\n"
            "  memory: [{plugin: rram, params: {banks: 16, ranks: 2, channels: 2}}]\n"
            "  axes: {p_ib: [1, 2], p_ix: [2, 4], p_iy: [2], p_of: [1, 4], p_k: [1, 3], batch: [1],\n"
            "         act_buffer_mb: [1, 4], weight_buffer_mb: [1, 4], mask_buffer_mb: [1]}\n"
            "objective: {constraints: {max_area_mm2: 100000}}\n"
            "search: {plugin: random, budget: 4}\ntrainer: native\noutput:\n  dir: run\n%s",
            plugins, lenet, references);
    fclose(f);
    free(lenet);
    return path;
}

/* Scores pairs as a worker does (cb_study_evaluate, the accuracy given as the coordinator's
 * cache gives it) and stores them with the manifest's text, as `codebench run` does. */
static void make_run(const char *path)
{
    cb_study st;
    cb_diag d;
    cr_assert(eq(int, cb_study_open(path, CB_ROLE_WORKER, &st, &d), CB_OK), "%s:%d:%d: %s", d.file,
              d.at.line, d.at.col, d.msg);
    char run[128], err[512] = "";
    snprintf(run, sizeof run, "%s/run", dir);
    cr_assert(eq(int, mkdir(run, 0755), 0));
    cb_store *s = cb_store_open(run, err, sizeof err);
    cr_assert(ne(ptr, s, NULL), "%s", err);
    cr_assert(eq(int, cb_store_manifest(s, st.manifest_text, err, sizeof err), 0), "%s", err);
    cb_eval_result *res = calloc(1, sizeof *res);
    for (int i = 0; i < 6; i++) {
        cb_job job = {.pair = {.cnn = 0, .n_accel = st.space.n_axes}, .has_accuracy = 1,
                      .accuracy = 0.80 + 0.02 * i, .acc_std = 0};
        for (int k = 0; k < st.space.n_axes; k++)
            job.pair.accel[k] = st.axes[k].values[(i + k) % st.axes[k].n_values];
        cb_study_evaluate(&st, &job, res);
        cr_assert(eq(int, res->m.status, CB_EVAL_OK), "%s", res->error);
        int64_t id = cb_store_add_pending(s, &job.pair, cb_study_cnn_hash(&st, 0), 0);
        cr_assert(gt(i64, cb_store_finish(s, id, &res->m, 0, res->sim_s, NULL, res->layers,
                                          res->n_layers, "S", 1), 0));
    }
    norms[0] = st.obj.norm_latency_s;
    norms[1] = st.obj.norm_area_mm2;
    norms[2] = st.obj.norm_dyn_j;
    norms[3] = st.obj.norm_leak_j;
    cr_assert(gt(dbl, norms[0], 0));
    cr_assert(ne(dbl, norms[0], 1)); /* fixed from the space, not the defaults */
    free(res);
    cb_store_close(s);
    cb_study_close(&st);
}

static void setup(void)
{
    cr_assert(ne(ptr, mkdtemp(dir), NULL));
    plugins = absolute(cb_test_path("plugins"));
    char *ex = absolute(cb_test_src("examples")), link[128];
    snprintf(link, sizeof link, "%s/ex", dir);
    cr_assert(eq(int, symlink(ex, link), 0));
    free(ex);
    manifest = write_manifest("study.yaml", refs_yaml);
    make_run(manifest);
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert(eq(int, system(cmd), 0));
    free(plugins);
    free(manifest);
}

TestSuite(report_refs, .init = setup, .fini = teardown, .timeout = 120);

/* What `codebench simulate --model M --accel A` computes, with a registry of its own. */
static cb_sim_report simulate(const char *model, const char *accel)
{
    cb_registry reg;
    cb_registry_init(&reg);
    cb_error e = {0};
    const char *path[] = {plugins};
    cr_assert(eq(int, cb_registry_load_default(&reg, path, 1, &e), CB_OK), "%s", e.msg);
    cb_net net;
    cb_accel_card card;
    cb_diag d;
    memset(&net, 0, sizeof net);
    memset(&card, 0, sizeof card);
    char *m = cb_test_src("examples/models/%s", model), *a = cb_test_src("examples/accelerators/%s", accel);
    cr_assert(eq(int, cb_net_load_card(m, &reg, &net, &d), CB_OK), "%s", d.msg);
    cr_assert(eq(int, cb_accel_card_load(a, &reg, &card, &d), CB_OK), "%s", d.msg);
    cb_instance mac, mem;
    cr_assert(eq(int, cb_accel_card_create(&card, &mac, &mem, &d), CB_OK), "%s", d.msg);
    cb_sim_net sn;
    char why[256];
    cr_assert(eq(int, cb_sim_net_from_graph(&net.g, &sn, why, sizeof why), CB_OK), "%s", why);
    cb_simulator *s = cb_simulator_new();
    cb_sim_parts parts = {mac.plugin->vtable, mac.self, mem.plugin->vtable, mem.self};
    cb_sim_report r;
    cr_assert(eq(int, cb_simulate(s, &sn, &card.vec, &parts, &card.opts, &r, why, sizeof why), CB_OK), "%s", why);
    cb_simulator_free(s);
    cb_sim_net_free(&sn);
    cb_host *hosts[2] = {mac.host, mem.host};
    cb_instance_destroy(&mac);
    cb_instance_destroy(&mem);
    cb_host_free(hosts[0]);
    cb_host_free(hosts[1]);
    cb_accel_card_free(&card);
    cb_net_free(&net);
    cb_registry_free(&reg);
    free(m);
    free(a);
    return r;
}

static void same_hardware(const cb_report_ref *p, const char *model, const char *accel)
{
    cb_sim_report want = simulate(model, accel);
    cr_assert(eq(int, p->simulated, 1), "%s", p->note);
    cr_expect(eq(dbl, p->m.latency_s, want.latency_s));
    cr_expect(eq(dbl, p->m.area_mm2, want.area_mm2));
    cr_expect(eq(dbl, p->m.dyn_energy_j, want.dyn_energy_j));
    cr_expect(eq(dbl, p->m.leak_energy_j, want.leak_energy_j));
    cr_expect(eq(dbl, p->m.throughput_fps, want.throughput_fps));
    cr_expect(eq(dbl, p->m.edp, want.edp));
    cb_sim_report_free(&want);
}

/* Eq. 4 written out with the paper's weights (the manifest's defaults). */
static double eq4(const cb_metrics *m)
{
    double c[4] = {m->latency_s, m->area_mm2, m->dyn_energy_j, m->leak_energy_j}, w[4] = {0.2, 0.1, 0.2, 0.2};
    double p = 0.3 * m->accuracy;
    for (int i = 0; i < 4; i++)
        p += w[i] * fmin(1, fmax(0, 1 - c[i] / norms[i]));
    return p;
}

static void open_report(cb_report *r)
{
    char run[128], err[512] = "";
    snprintf(run, sizeof run, "%s/run", dir);
    cr_assert(eq(int, cb_report_open(run, r, err, sizeof err), 0), "%s", err);
    cr_assert(ge(int, (int)r->best, 0));
}

Test(report_refs, references_are_simulated_and_scored_as_the_run_scores)
{
    cb_report r;
    open_report(&r);
    cr_assert(eq(int, r.refs.declared, 1));
    cr_assert(eq(str, r.refs.note, ""));
    cr_assert(eq(str, r.refs.manifest, manifest));
    cr_assert(eq(sz, r.refs.n, 3));
    cr_assert(eq(int, r.refs.norm_checked, 1));
    cr_expect(eq(dbl, r.refs.norm_latency_s, norms[0]));
    cr_expect(eq(dbl, r.refs.norm_area_mm2, norms[1]));
    cr_expect(eq(dbl, r.refs.norm_dyn_j, norms[2]));
    cr_expect(eq(dbl, r.refs.norm_leak_j, norms[3]));

    cb_report_ref *spring = &r.refs.v[0], *eyeriss = &r.refs.v[1], *mobile = &r.refs.v[2];
    cr_expect(eq(str, spring->label, "LeNet-5 on SPRING"));
    cr_expect(eq(str, eyeriss->label, "lenet5 on eyeriss"));
    same_hardware(spring, "lenet5.yaml", "spring.yaml");
    same_hardware(eyeriss, "lenet5.yaml", "eyeriss.yaml");
    same_hardware(mobile, "mobilenet_v2.yaml", "spring.yaml");
    cr_expect(ne(dbl, spring->m.latency_s, eyeriss->m.latency_s));

    cr_expect(eq(dbl, spring->m.accuracy, 0.91));
    cr_expect(ieee_ulp_eq(dbl, spring->m.performance, eq4(&spring->m), 4));
    cr_expect(eq(int, spring->feasible, 1));
    cr_expect(eq(int, isnan(eyeriss->m.accuracy), 1));
    cr_expect(eq(int, isnan(eyeriss->m.performance), 1));
    cr_expect(eq(int, mobile->input_matches, 0));
    cr_expect(eq(int, isnan(mobile->m.performance), 1));
    cr_expect(ne(ptr, strstr(mobile->note, "input 3x32x32, but the study's CNNs take 1x28x28"), NULL), "%s",
              mobile->note);
    cb_report_free(&r);
}

Test(report_refs, page_json_and_plots_show_them)
{
    cb_report r;
    open_report(&r);
    char out[128], err[512] = "", path[160];
    snprintf(out, sizeof out, "%s/rep", dir);
    cr_assert(eq(int, cb_report_write(&r, out, err, sizeof err), 0), "%s", err);
    snprintf(path, sizeof path, "%s/index.html", out);
    char *html = report_slurp(path, NULL);
    cr_assert(ne(ptr, html, NULL));
    char *table = strstr(html, "data-list=\"references\"");
    cr_assert(ne(ptr, table, NULL));
    cr_expect(ne(ptr, strstr(table, "data-ref=\"best\""), NULL));
    cr_expect(ne(ptr, strstr(table, "LeNet-5 on SPRING"), NULL));
    cr_expect(ne(ptr, strstr(table, "<td>not trained</td>"), NULL));
    cr_expect(ne(ptr, strstr(table, "the study&#39;s CNNs take 1x28x28"), NULL));
    cr_expect(eq(ptr, strstr(html, "The manifest lists no reference pairs"), NULL));
    /* one reference has an accuracy on the study's input: one diamond on each front */
    cr_expect(ne(ptr, strstr(html, "Green diamonds: 1 reference pairs"), NULL));
    free(html);
    snprintf(path, sizeof path, "%s/report.json", out);
    char *json = report_slurp(path, NULL);
    cr_assert(ne(ptr, json, NULL));
    cr_expect(ne(ptr, strstr(json, "\"references\":{\"tagged\":true,"), NULL));
    cr_expect(ne(ptr, strstr(json, "\"normalizers_checked\":true"), NULL));
    cr_expect(ne(ptr, strstr(json, "{\"label\":\"LeNet-5 on SPRING\",\"model\":\"lenet5\",\"accelerator\":\"spring\""), NULL));
    cr_expect(ne(ptr, strstr(json, "\"trained\":false,\"accuracy\":null"), NULL));
    free(json);
    cb_report_free(&r);
}

Test(report_refs, a_manifest_moved_away_is_a_note)
{
    char moved[160];
    snprintf(moved, sizeof moved, "%s.moved", manifest); /* not .yaml: no longer found */
    cr_assert(eq(int, rename(manifest, moved), 0));
    cb_report r;
    open_report(&r);
    cr_expect(eq(int, r.refs.declared, 1));
    cr_expect(eq(sz, r.refs.n, 0));
    cr_expect(ne(ptr, strstr(r.refs.note, "no file with its text"), NULL), "%s", r.refs.note);
    cb_report_free(&r);
}

Test(report_refs, a_bad_reference_path_is_a_manifest_error)
{
    char *bad = write_manifest("bad.yaml", "  references:\n"
                                           "    - {model: ex/models/lenet5.yaml, accelerator: ex/accelerators/nope.yaml}\n");
    cb_registry reg;
    cb_registry_init(&reg);
    cb_manifest m;
    cb_diag d;
    cr_assert(eq(int, cb_manifest_load(bad, &reg, &m, &d), CB_EINVAL));
    cr_expect(eq(int, d.at.line, 21));
    cr_expect(eq(int, d.at.col, 51));
    cr_expect(ne(ptr, strstr(d.msg, "output.references[0].accelerator: cannot read "
                                    "'ex/accelerators/nope.yaml' (resolved against the manifest's folder: "), NULL),
              "%s", d.msg);
    cb_manifest_free(&m);
    cb_registry_free(&reg);
    free(bad);
}
