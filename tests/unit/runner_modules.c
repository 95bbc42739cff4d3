/* tests/unit/runner_modules.c: a study over a module space (cnn.space: modules with a space
 * file): the candidate pool is the size asked, its CNNs are distinct and built, it is the same
 * in the coordinator and in a worker (which skips the embedding), it spans the hierarchy's
 * levels, its CNN2vec embedding follows graph edit distance, and a module space without a space
 * file is refused at its manifest position. Under boshcode only the coarsest level is built and
 * the finer ones grow (cb_space.grow): children are crossovers of the parents given, new, at the
 * new level; the old embedding does not move; bad parents are refused with a clear message; and
 * replaying the growth log (resume, a worker's job) gives the same pool. */
#include "runner/candidates.h"
#include "runner/candidates_modules.h"
#include "runner/study.h"
#include "graph/ged.h"
#include "store/store.h"
#include "test_util.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[] = "/tmp/cb_runner_modules_XXXXXX";

/* The manifest sits in a temporary folder, so its paths must be absolute. */
static char *absolute(char *p)
{
    char *r = realpath(p, NULL);
    cr_assert(ne(ptr, r, NULL), "%s does not exist", p);
    free(p);
    return r;
}

static char *write_manifest_with(const char *name, const char *cnn_extra, int candidates, const char *search)
{
    char *plugins = absolute(cb_test_path("plugins"));
    char *space = absolute(cb_test_src("examples/spaces/fmnist-small.yaml"));
    char *path = NULL;
    cr_assert(asprintf(&path, "%s/%s.yaml", dir, name) > 0);
    FILE *f = fopen(path, "w");
    cr_assert(ne(ptr, f, NULL));
    fprintf(f,
            "codebench: 1\nseed: 5\nplugin_path: [%s]\n"
            "cnn:\n  input: {channels: 1, height: 28, width: 28}\n  classes: 10\n  space: modules\n%s",
            plugins, cnn_extra);
    if (candidates)
        fprintf(f, "  space_file: %s\n  candidates: %d\n", space, candidates);
    fprintf(f, "accelerator:\n  mac: [mac1]\n  memory: [{plugin: rram, params: {banks: 16, ranks: 2, channels: 2}}]\n"
               "search: {plugin: %s, budget: 4}\ntrainer: native\noutput: {dir: %s/out}\n", search, dir);
    fclose(f);
    free(plugins);
    free(space);
    return path;
}

static char *write_manifest(const char *name, const char *cnn_extra, int candidates)
{
    return write_manifest_with(name, cnn_extra, candidates, "random");
}

static void setup(void)
{
    cr_assert(ne(ptr, mkdtemp(dir), NULL));
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert(eq(int, system(cmd), 0));
}

TestSuite(runner_modules, .init = setup, .fini = teardown);

static void open_study(const char *path, int role, cb_study *st)
{
    cb_diag d;
    int rc = cb_study_open(path, role, st, &d);
    cr_assert(eq(int, rc, CB_OK), "%s:%d:%d: %s", d.file, d.at.line, d.at.col, d.msg);
}

Test(runner_modules, pool_is_distinct_deterministic_and_embedded)
{
    char *path = write_manifest("pool", "", 30);
    cb_study a, b;
    open_study(path, CB_ROLE_COORDINATOR, &a);
    open_study(path, CB_ROLE_WORKER, &b);
    cr_assert(eq(i64, a.space.n_cnn, 30));
    cr_assert(eq(i64, b.space.n_cnn, 30));
    cr_assert(eq(int, a.space.dim_cnn, 16));
    cr_assert(ne(ptr, (void *)a.space.cnn_embed, NULL));
    cr_assert(eq(int, b.space.dim_cnn, 0), "a worker fits no embedding");
    for (int64_t i = 0; i < 30; i++) {
        const char *h = cb_study_cnn_hash(&a, i);
        cr_assert(eq(str, (char *)h, (char *)cb_study_cnn_hash(&b, i)), "candidate %lld differs in the worker",
                  (long long)i);
        for (int64_t j = 0; j < i; j++)
            cr_assert(ne(str, (char *)h, (char *)cb_study_cnn_hash(&a, j)), "candidates %lld and %lld repeat",
                      (long long)i, (long long)j);
        char why[256];
        const cb_graph *g = cb_candidates_graph(a.cands, i, why, sizeof why);
        cr_assert(ne(ptr, (void *)g, NULL), "%s", why);
        cr_assert(gt(int, g->n_nodes, 2));
    }
    /* the embedding is not degenerate: distinct CNNs sit apart */
    double min = 1e30;
    for (int64_t i = 0; i < 30; i++)
        for (int64_t j = 0; j < i; j++) {
            double s = 0;
            for (int k = 0; k < 16; k++) {
                double e = a.space.cnn_embed[i * 16 + k] - a.space.cnn_embed[j * 16 + k];
                s += e * e;
            }
            min = s < min ? s : min;
        }
    cr_assert(gt(dbl, min, 0.0));
    cb_study_close(&a);
    cb_study_close(&b);
    free(path);
}

static bool same_module(const cb_module *x, const cb_module *y)
{
    return x->n == y->n && memcmp(x->adj, y->adj, sizeof x->adj) == 0 &&
           memcmp(x->label, y->label, (size_t)x->n * sizeof x->label[0]) == 0;
}

/* levels [2, 1]: the first half of the pool stacks identical modules in pairs (s = 2); the
 * second half comes from crossover at s = 1, where neighbouring modules may differ. */
Test(runner_modules, pool_spans_the_hierarchy)
{
    char *path = write_manifest("levels", "", 40);
    cb_study st;
    open_study(path, CB_ROLE_WORKER, &st);
    cb_candidates_modules cm;
    cb_diag d;
    cr_assert(eq(int, cb_candidates_modules_build(&st.m, &st.reg, false, &cm, &d), CB_OK), "%s", d.msg);
    cr_assert(eq(sz, cm.n, 40));
    int mixed = 0;
    for (size_t i = 0; i < cm.n; i++) {
        const cb_cnngraph *g = &cm.graphs[i];
        int body = g->n - 1, pairs_equal = body % 2 == 0;
        for (int k = 0; pairs_equal && k + 1 < body; k += 2)
            pairs_equal = same_module(&g->mods[k], &g->mods[k + 1]);
        cr_assert(eq(i32, cm.level[i], i < 20 ? 1 : 0), "candidate %zu: level %d", i, cm.level[i]);
        if (i < 20)
            cr_assert(pairs_equal, "coarse candidate %zu does not stack modules in pairs", i);
        else
            mixed += !pairs_equal;
    }
    cr_assert(gt(int, mixed, 0), "no fine-level candidate differs from the coarse stacking");
    cb_candidates_modules_free(&cm);
    cb_study_close(&st);
    free(path);
}

/* The embedding follows graph edit distance (rank correlation over sampled pairs). */
Test(runner_modules, cnn2vec_follows_ged)
{
    char *path = write_manifest("rho", "", 40);
    cb_study st;
    open_study(path, CB_ROLE_WORKER, &st);
    cb_candidates_modules cm;
    cb_diag d;
    cr_assert(eq(int, cb_candidates_modules_build(&st.m, &st.reg, true, &cm, &d), CB_OK), "%s", d.msg);
    cr_assert(eq(int, cm.dim, 16));
    cr_assert(gt(dbl, cm.rho, 0.8), "Spearman rho %.3f", cm.rho);
    cb_candidates_modules_free(&cm);
    cb_study_close(&st);
    free(path);
}

Test(runner_modules, seed_changes_the_pool)
{
    char *p1 = write_manifest("s5", "", 12);
    cb_study a;
    open_study(p1, CB_ROLE_WORKER, &a);
    char first[80];
    snprintf(first, sizeof first, "%s", cb_study_cnn_hash(&a, 0));
    cb_study_close(&a);
    /* the same manifest with another seed */
    char *text = NULL, *p2 = NULL;
    FILE *f = fopen(p1, "r");
    cr_assert(ne(ptr, f, NULL));
    size_t cap = 0;
    ssize_t n = getdelim(&text, &cap, '\0', f);
    fclose(f);
    cr_assert(gt(sz, (size_t)n, 0));
    char *s = strstr(text, "seed: 5");
    cr_assert(ne(ptr, s, NULL));
    s[6] = '6';
    cr_assert(asprintf(&p2, "%s/s6.yaml", dir) > 0);
    f = fopen(p2, "w");
    fputs(text, f);
    fclose(f);
    open_study(p2, CB_ROLE_WORKER, &a);
    cr_assert(ne(str, first, (char *)cb_study_cnn_hash(&a, 0)));
    cb_study_close(&a);
    free(text);
    free(p1);
    free(p2);
}

Test(runner_modules, module_space_without_space_file_is_refused_at_space)
{
    char *plugins = absolute(cb_test_path("plugins")), *extra = NULL;
    cr_assert(asprintf(&extra, "  ops: [conv2d, maxpool]\n") > 0);
    char *path = write_manifest("nofile", extra, 0);
    cb_study st;
    cb_diag d;
    int rc = cb_study_open(path, CB_ROLE_COORDINATOR, &st, &d);
    cr_assert(eq(int, rc, CB_EINVAL));
    cr_assert(eq(int, d.at.line, 7), "at %d:%d: %s", d.at.line, d.at.col, d.msg);
    cr_assert(eq(int, d.at.col, 10));
    cr_assert(ne(ptr, strstr(d.msg, "needs cnn.space_file"), NULL), "%s", d.msg);
    cb_study_close(&st);
    free(extra);
    free(plugins);
    free(path);
}

/* A plugin parameter flagged CB_P_PATH (the tabular trainer's table, the native trainer's
 * data_path) is taken from the manifest's folder when relative, like the core's own paths; a
 * plain string parameter is left as written. */
Test(runner_modules, path_parameters_are_relative_to_the_manifest)
{
    char *plugins = absolute(cb_test_path("plugins")), *path = NULL;
    cr_assert(asprintf(&path, "%s/paths.yaml", dir) > 0);
    FILE *f = fopen(path, "w");
    cr_assert(ne(ptr, f, NULL));
    fprintf(f, "codebench: 1\nplugin_path: [%s]\n"
               "cnn: {input: {channels: 1, height: 28, width: 28}, classes: 10, space: cards, cards: [%s]}\n"
               "accelerator: {mac: [mac1], memory: [dram]}\nsearch: random\n"
               "trainer: {plugin: native, params: {data_path: data/fmnist, checkpoint_dir: /abs/ckpt}}\n",
            plugins, path);
    fclose(f);
    cb_registry reg;
    cb_registry_init(&reg);
    cb_manifest m;
    cb_diag d;
    /* the card path is this manifest itself: only the trainer's values matter here */
    int rc = cb_manifest_load(path, &reg, &m, &d);
    cr_assert(eq(int, rc, CB_OK), "%d:%d: %s", d.at.line, d.at.col, d.msg);
    const cb_plugin_ref *r = &m.trainer.ref;
    const cb_param *ps = r->entry->plugin->params;
    int seen = 0;
    for (size_t i = 0; i < r->n_values; i++) {
        char *want = NULL;
        if (strcmp(ps[i].name, "data_path") == 0)
            cr_assert(asprintf(&want, "%s/data/fmnist", dir) > 0);
        else if (strcmp(ps[i].name, "checkpoint_dir") == 0)
            want = strdup("/abs/ckpt");
        else
            continue;
        cr_assert(eq(str, (char *)r->values[i].s, want));
        free(want);
        seen++;
    }
    cr_assert(eq(int, seen, 2));
    cb_manifest_free(&m);
    cb_registry_free(&reg);
    free(plugins);
    free(path);
}

/* ---- growing the hierarchy (boshcode) ---------------------------------------------------- */

static bool has_label(const cb_cnngraph *g, int32_t label)
{
    for (int m = 0; m < g->n; m++)
        for (int v = 0; v < g->mods[m].n; v++)
            if (g->mods[m].label[v] == label)
                return true;
    return false;
}

/* Every label of child is a label of a or of b (a crossover takes its modules and head from
 * the local spaces of its two parents' labels). */
static bool labels_from(const cb_cnngraph *child, const cb_cnngraph *a, const cb_cnngraph *b)
{
    for (int m = 0; m < child->n; m++)
        for (int v = 0; v < child->mods[m].n; v++)
            if (!has_label(a, child->mods[m].label[v]) && !has_label(b, child->mods[m].label[v]))
                return false;
    return true;
}

/* The nearest other graph of [0, n) to i by GED (ties: the lower index), as the pool picks it. */
static size_t ged_nearest(const cb_candidates_modules *cm, size_t n, size_t i)
{
    size_t best = i;
    double bd = 1e300;
    for (size_t j = 0; j < n; j++) {
        if (j == i)
            continue;
        double d = cb_ged(&cm->sp->voc, &cm->flats[i], &cm->flats[j]);
        if (d < bd)
            bd = d, best = j;
    }
    return best;
}

static const char *boshcode = "boshcode, params: {grow_parents: 4}";

Test(runner_modules, boshcode_builds_the_coarsest_level_only_others_every_level)
{
    char *pb = write_manifest_with("lazy", "", 40, boshcode), *pr = write_manifest("eager", "", 40);
    cb_study b, r;
    open_study(pb, CB_ROLE_COORDINATOR, &b);
    open_study(pr, CB_ROLE_COORDINATOR, &r);
    cr_assert(eq(i64, b.space.n_cnn, 20), "levels [2, 1], 40 candidates: the coarse level's share");
    cr_assert(ne(ptr, (void *)b.space.grow, NULL));
    for (int64_t i = 0; i < b.space.n_cnn; i++)
        cr_assert(eq(i32, b.space.cnn_level[i], 1));
    cr_assert(eq(i64, r.space.n_cnn, 40), "random search: every level up front");
    cr_assert(eq(ptr, (void *)r.space.grow, NULL));
    cb_study_close(&b);
    cb_study_close(&r);
    free(pb);
    free(pr);
}

Test(runner_modules, grown_children_are_new_crossovers_of_the_parents_and_old_vectors_stay)
{
    char *path = write_manifest_with("grow", "", 40, boshcode);
    cb_study st;
    open_study(path, CB_ROLE_COORDINATOR, &st);
    cb_candidates_modules cm;
    cb_diag d;
    cr_assert(eq(int, cb_candidates_modules_build(&st.m, &st.reg, true, &cm, &d), CB_OK), "%s", d.msg);
    size_t n0 = cm.n;
    cr_assert(eq(sz, n0, 20));
    float *old = malloc(n0 * 16 * sizeof *old);
    memcpy(old, cm.embed, n0 * 16 * sizeof *old);
    const int64_t parents[] = {3, 11, 7, 0};
    size_t nb[4];
    for (int k = 0; k < 4; k++)
        nb[k] = ged_nearest(&cm, n0, (size_t)parents[k]);
    char why[512];
    int added = cb_candidates_modules_grow(&cm, 0, parents, 4, why, sizeof why);
    cr_assert(gt(int, added, 0), "%s", why);
    cr_assert(le(int, added, 20), "at most level 0's share");
    cr_assert(eq(sz, cm.n, n0 + (size_t)added));
    cr_assert(eq(int, memcmp(old, cm.embed, n0 * 16 * sizeof *old), 0), "an old embedding moved");
    double err = 0, ged = 0;
    size_t pairs = 0;
    for (size_t i = n0; i < cm.n; i++) {
        cr_assert(eq(i32, cm.level[i], 0), "child %zu at level %d", i, cm.level[i]);
        for (size_t j = 0; j < i; j++) {
            cr_assert(ne(str, cm.nets[i].g.hash, cm.nets[j].g.hash), "child %zu repeats CNN %zu", i, j);
            double g = cb_ged(&cm.sp->voc, &cm.flats[i], &cm.flats[j]), e = 0;
            for (int k = 0; k < 16; k++) {
                double x = cm.embed[i * 16 + k] - cm.embed[j * 16 + k];
                e += x * x;
            }
            err += fabs(sqrt(e) - g);
            ged += g;
            pairs++;
        }
        bool from_parents = false;
        for (int k = 0; k < 4 && !from_parents; k++)
            from_parents = labels_from(&cm.graphs[i], &cm.graphs[parents[k]], &cm.graphs[nb[k]]);
        cr_assert(from_parents, "child %zu uses a label none of the parents and their neighbours has", i);
    }
    /* the new rows follow GED to the old ones and to each other */
    cr_assert(lt(dbl, err / (double)pairs, 0.2 * ged / (double)pairs), "mean |embedding distance - GED| %.3g, "
              "mean GED %.3g", err / (double)pairs, ged / (double)pairs);
    /* through the study's space: the same children, the space's arrays re-read */
    cb_error e;
    memset(&e, 0, sizeof e);
    cr_assert(eq(int, st.space.grow(st.space.grow_ctx, 0, parents, 4, &e), added), "%s", e.msg);
    cr_assert(eq(i64, st.space.n_cnn, (int64_t)cm.n));
    for (size_t i = 0; i < cm.n; i++) {
        cr_assert(eq(str, (char *)st.space.cnn_hash[i], cm.nets[i].g.hash));
        cr_assert(eq(i32, st.space.cnn_level[i], cm.level[i]));
    }
    cr_assert(eq(int, memcmp(st.space.cnn_embed, cm.embed, cm.n * 16 * sizeof *old), 0));
    free(old);
    cb_candidates_modules_free(&cm);
    cb_study_close(&st);
    free(path);
}

static void refused(cb_study *st, int32_t level, const int64_t *parents, int n, const char *want)
{
    cb_error e;
    memset(&e, 0, sizeof e);
    int64_t before = st->space.n_cnn;
    int rc = st->space.grow(st->space.grow_ctx, level, parents, n, &e);
    cr_assert(eq(int, rc, -CB_EINVAL), "grow(level %d) gave %d", level, rc);
    cr_assert(eq(int, e.code, CB_EINVAL));
    cr_assert(ne(ptr, strstr(e.msg, want), NULL), "'%s' does not say '%s'", e.msg, want);
    cr_assert(eq(i64, st->space.n_cnn, before), "a refused growth changed the pool");
}

Test(runner_modules, grow_refuses_bad_parents_clearly)
{
    char *path = write_manifest_with("badgrow", "", 40, boshcode);
    cb_study st;
    open_study(path, CB_ROLE_COORDINATOR, &st);
    const int64_t ok[] = {1, 2}, out[] = {1, 99}, twice[] = {4, 4};
    refused(&st, 1, ok, 2, "level 1 cannot be grown: the space's levels are 0 (finest) to 1 (coarsest)");
    refused(&st, -1, ok, 2, "level -1 cannot be grown");
    refused(&st, 0, out, 2, "parent 1 is CNN 99, not among the 20 candidates");
    refused(&st, 0, twice, 2, "parent 1 repeats CNN 4");
    refused(&st, 0, ok, 0, "needs at least one parent");
    cb_error e;
    memset(&e, 0, sizeof e);
    cr_assert(gt(int, st.space.grow(st.space.grow_ctx, 0, ok, 2, &e), 0), "%s", e.msg);
    const int64_t fine[] = {20};
    refused(&st, 0, fine, 1, "parent 0, CNN 20, is at level 0; the parents of level 0 must all be at one coarser level");
    cb_study_close(&st);
    free(path);
}

/* Replaying the growth log (what a resume does before it loads the search's state, and what a
 * worker does with each job) gives the same indices, hashes and embedding. */
Test(runner_modules, replayed_growth_gives_the_same_pool_in_a_resume_and_a_worker)
{
    char *path = write_manifest_with("replay", "", 40, boshcode);
    cb_study a, b, w;
    open_study(path, CB_ROLE_COORDINATOR, &a);
    const int64_t parents[] = {5, 2, 9};
    char why[512];
    int added = cb_candidates_grow(&a, 0, parents, 3, why, sizeof why);
    cr_assert(gt(int, added, 0), "%s", why);
    /* the store keeps the event, as the run records it */
    char *db = NULL;
    cr_assert(asprintf(&db, "%s/store", dir) > 0);
    cb_store *s = cb_store_open(db, why, sizeof why);
    cr_assert(ne(ptr, s, NULL), "%s", why);
    const cb_growth *g = cb_candidates_growth_event(a.cands, 0);
    cr_assert(eq(sz, cb_candidates_growth_count(a.cands), 1));
    cr_assert(gt(i64, cb_store_add_growth(s, g->level, g->parents, g->n, 3), 0));
    cr_assert(gt(i64, cb_store_add_growth(s, 0, parents, 1, 7), 0)); /* made after snapshot 7 */
    cr_assert(eq(int, cb_store_drop_growth_after(s, 7), 1));
    cb_growth_row *rows;
    size_t n;
    cr_assert(eq(int, cb_store_growths(s, &rows, &n), 0));
    cr_assert(eq(sz, n, 1));
    cr_assert(eq(int, rows[0].n, 3));
    /* a resumed coordinator replays it */
    open_study(path, CB_ROLE_COORDINATOR, &b);
    cr_assert(eq(int, cb_candidates_grow(&b, rows[0].level, rows[0].parents, rows[0].n, why, sizeof why), added),
              "%s", why);
    cb_store_growth_free(rows, n);
    cb_store_close(s);
    cr_assert(eq(i64, b.space.n_cnn, a.space.n_cnn));
    for (int64_t i = 0; i < a.space.n_cnn; i++) {
        cr_assert(eq(str, (char *)cb_study_cnn_hash(&a, i), (char *)cb_study_cnn_hash(&b, i)), "CNN %lld", (long long)i);
        cr_assert(eq(i32, a.space.cnn_level[i], b.space.cnn_level[i]));
    }
    cr_assert(eq(int, memcmp(a.space.cnn_embed, b.space.cnn_embed, (size_t)a.space.n_cnn * 16 * sizeof(float)), 0),
              "the replayed embedding differs");
    /* a worker grows from the job's log before it looks the CNN up */
    open_study(path, CB_ROLE_WORKER, &w);
    cb_job job = {.pair = {.cnn = a.space.n_cnn - 1}};
    size_t len;
    void *payload = cb_job_pack(&a, &job, &len);
    cb_job got;
    cr_assert(eq(int, cb_job_unpack(&w, payload, len - 1, &got, why, sizeof why), CB_EINVAL), "a cut job is refused");
    cr_assert(eq(i64, w.space.n_cnn, 20), "a refused job grew the pool");
    for (int rep = 0; rep < 2; rep++) { /* the second time there is nothing left to replay */
        cr_assert(eq(int, cb_job_unpack(&w, payload, len, &got, why, sizeof why), CB_OK), "%s", why);
        cr_assert(eq(i64, w.space.n_cnn, a.space.n_cnn));
    }
    /* a job whose log claims a growth it does not carry */
    unsigned char *more = malloc(len);
    memcpy(more, payload, len);
    int64_t claimed;
    memcpy(&claimed, more + sizeof job, sizeof claimed);
    claimed++;
    memcpy(more + sizeof job, &claimed, sizeof claimed);
    cb_job bad;
    cr_assert(eq(int, cb_job_unpack(&w, more, len, &bad, why, sizeof why), CB_EINVAL),
              "a job that claims %lld growths and carries %lld was accepted", (long long)claimed,
              (long long)claimed - 1);
    cr_assert(ne(ptr, strstr(why, "malformed job"), NULL), "%s", why);
    free(more);
    cr_assert(eq(i64, got.pair.cnn, job.pair.cnn));
    cr_assert(eq(str, (char *)cb_study_cnn_hash(&w, got.pair.cnn), (char *)cb_study_cnn_hash(&a, got.pair.cnn)));
    cr_assert(ne(ptr, (void *)cb_candidates_graph(w.cands, got.pair.cnn, why, sizeof why), NULL), "%s", why);
    free(payload);
    free(db);
    cb_study_close(&a);
    cb_study_close(&b);
    cb_study_close(&w);
    free(path);
}
