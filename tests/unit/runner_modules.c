/* tests/unit/runner_modules.c: a study over a module space (cnn.space: modules with a space
 * file): the candidate pool is the size asked, its CNNs are distinct and built, it is the same
 * in the coordinator and in a worker (which skips the embedding), it spans the hierarchy's
 * levels, its CNN2vec embedding follows graph edit distance, and a module space without a space
 * file is refused at its manifest position. */
#include "runner/candidates.h"
#include "runner/candidates_modules.h"
#include "runner/study.h"
#include "test_util.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
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

static char *write_manifest(const char *name, const char *cnn_extra, int candidates)
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
               "search: {plugin: random, budget: 4}\ntrainer: native\noutput: {dir: %s/out}\n", dir);
    fclose(f);
    free(plugins);
    free(space);
    return path;
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
