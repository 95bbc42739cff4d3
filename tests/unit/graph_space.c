/* tests/unit/graph_space.c: the seeds' module space (examples/spaces/cnnbench.yaml) through the
 * op plugins: sampled CNNs keep their stacks and build into networks, crossover between two
 * neighbours stays within their labels at every depth, and CNN2vec over sampled CNNs follows
 * their graph edit distance. */
#include "graph/build.h"
#include "graph/cnn2vec.h"
#include "graph/ged.h"
#include "graph/spacefile.h"
#include "host/pool.h"
#include "test_util.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdlib.h>
#include <string.h>

static cb_registry reg;
static cb_modspace sp;

static void setup(void)
{
    cb_registry_init(&reg);
    cb_error e;
    char *path = cb_test_path("plugins/ops/std.so"), *file = cb_test_src("examples/spaces/cnnbench.yaml");
    cr_assert(eq(int, cb_registry_load_file(&reg, path, &e), CB_OK), "%s", e.msg);
    cb_diag d;
    cr_assert(eq(int, cb_spacefile_load(file, &reg, &sp, &d), CB_OK), "%s: %s", file, d.msg);
    free(path);
    free(file);
}

static void teardown(void)
{
    cb_modspace_free(&sp);
    cb_registry_free(&reg);
}

TestSuite(graph_space, .init = setup, .fini = teardown);

Test(graph_space, limits_and_counts)
{
    cr_assert(eq(int, sp.max_vertices, 5));
    cr_assert(eq(int, sp.max_edges, 8));
    cr_assert(eq(int, sp.max_modules, 90));
    cr_assert(eq(int, sp.n_levels, 3));
    cr_assert(cb_modspace_has_networks(&sp));
    /* 3-, 4- and 5-vertex forms with k labels: k + (k^2 + k^2) + ... by Burnside; at least k^3 */
    unsigned __int128 k = sp.ops.total, m = cb_modspace_modules(&sp);
    cr_assert(m > k * k * k);
    cr_assert(gt(dbl, cb_modspace_log10_graphs(&sp, 1), cb_modspace_log10_graphs(&sp, 10)));
}

static bool stacks_hold(const cb_cnngraph *g, int s)
{
    if ((g->n - 1) % s)
        return false;
    for (int k = 0; k + 1 < g->n; k++)
        if (!cb_module_equal(&g->mods[k], &g->mods[k - k % s]))
            return false;
    return true;
}

Test(graph_space, sampled_cnns_keep_stacks_and_build)
{
    cb_rng rng;
    cb_rng_seed(&rng, 11);
    int built = 0;
    for (int i = 0; i < 12; i++) {
        cb_cnngraph g;
        cb_modspace_sample(&sp, 10, &rng, &g);
        cr_assert(stacks_hold(&g, 10));
        cr_assert(eq(sz, strlen(g.hash), 64));
        cb_net net;
        char why[1024];
        if (cb_build_net(&sp, &g, &net, why, sizeof why) == CB_OK) {
            built++;
            cr_assert(eq(int, net.nodes[net.g.n_nodes - 1].out.c, 10));
            cr_assert(eq(int, net.nodes[net.g.n_nodes - 1].module, -1));
            cr_assert(eq(int, net.nodes[0].module, 0));
            cb_net_free(&net);
        } else {
            cr_assert(strstr(why, "module ") != NULL || strstr(why, "head") != NULL, "%s", why);
        }
        cb_cnngraph_free(&g);
    }
    cr_assert(ge(int, built, 6));
}

static bool labels_within(const cb_module *m, const cb_module *a, const cb_module *b)
{
    for (int v = 1; v < m->n - 1; v++) {
        bool found = false;
        for (int w = 1; w < a->n - 1; w++)
            found |= a->label[w] == m->label[v];
        for (int w = 1; w < b->n - 1; w++)
            found |= b->label[w] == m->label[v];
        if (!found)
            return false;
    }
    return true;
}

Test(graph_space, crossover_makes_the_next_level)
{
    cb_rng rng;
    cb_rng_seed(&rng, 5);
    cb_cnngraph a, b;
    cb_modspace_sample(&sp, 10, &rng, &a);
    do
        cb_modspace_sample(&sp, 10, &rng, &b);
    while (b.n == a.n && (cb_cnngraph_free(&b), 1));
    cb_cnnlib lib;
    cb_cnnlib_init(&lib, CB_HASH_SHA256, &sp.voc);
    size_t made = cb_modspace_crossover(&sp, &a, &b, 10, 5, 20, &rng, &lib);
    cr_assert(gt(sz, made, 10));
    int shorter = (a.n < b.n ? a.n : b.n) - 1;
    for (size_t i = 0; i < lib.n; i++) {
        const cb_cnngraph *g = &lib.g[i];
        cr_assert(stacks_hold(g, 5));
        cr_assert(ne(str, (char *)g->hash, a.hash));
        for (int k = 0; k < shorter; k++)
            cr_assert(labels_within(&g->mods[k], &a.mods[k - k % 10], &b.mods[k - k % 10]), "graph %zu module %d",
                      i, k);
    }
    cr_assert(eq(sz, cb_modspace_crossover(&sp, &a, &b, 10, 3, 5, &rng, &lib), 0)); /* 3 does not divide 10 */
    cb_cnnlib_free(&lib);
    cb_cnngraph_free(&a);
    cb_cnngraph_free(&b);
}

static cb_flat *flats;

static double flat_dist(void *ctx, size_t i, size_t j)
{
    return cb_ged(ctx, &flats[i], &flats[j]);
}

Test(graph_space, cnn2vec_over_sampled_cnns)
{
    enum { N = 40 };
    cb_rng rng;
    cb_rng_seed(&rng, 2);
    cb_cnngraph g[N];
    flats = calloc(N, sizeof *flats);
    for (int i = 0; i < N; i++) {
        cb_modspace_sample(&sp, 10, &rng, &g[i]);
        cb_flat_from_cnngraph(&g[i], &flats[i]);
    }
    char why[256];
    cr_assert(eq(int, cb_vocab_weigh(&sp.voc, sp.in_id, sp.out_id, why, sizeof why), CB_OK), "%s", why);
    cb_cnn2vec_opts o;
    cb_cnn2vec_defaults(&o);
    float *e = calloc((size_t)N * CB_CNN2VEC_DIM, sizeof *e);
    cb_cnn2vec_report rep;
    cr_assert(eq(int, cb_cnn2vec_fit(N, flat_dist, &sp.voc, &o, e, &rep), CB_OK));
    double rho = cb_cnn2vec_spearman(N, flat_dist, &sp.voc, e, CB_CNN2VEC_DIM, 1000, 4);
    cr_assert(gt(dbl, rho, 0.85), "Spearman rho %.3f", rho);
    for (int i = 0; i < N; i++) {
        cb_flat_free(&flats[i]);
        cb_cnngraph_free(&g[i]);
    }
    free(flats);
    free(e);
}
