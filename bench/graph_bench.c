/* bench/graph_bench.c: CNNBench figures (bench/graph.sh runs it).
 *
 *  1. The NAS-Bench-101 cell space enumerated, reduced to isomorphism classes and hashed with
 *     MD5: unique graphs (423,624 expected, the NAS-Bench-101 paper's figure) and seconds, on
 *     1 and 2 threads.
 *  2. Graph edit distance: all 499,500 pairs of the 1,000 NAS-Bench-101 cells of
 *     shared/data/nas/nb101-1k.json, pairs per second.
 *  3. CNN2vec on those 1,000 cells (every pair fitted): Spearman's rho between embedding
 *     distance and GED on 20,000 random pairs, and the fit's RMSE against the mean distance.
 *
 *  4. The same over CNNs sampled from the seeds' module space (examples/spaces/cnnbench.yaml, s =
 *     10 modules per stack): 500 CNNs, CNN2vec fitted on 32 random partners per CNN (16,000 of
 *     the 124,750 pairs), Spearman's rho on 5,000 other random pairs.
 *
 * Vertex weights for the cells are the seeds' GED weights of NAS-Bench-101's ops on 128
 * channels (3x3 and 1x1 convolutions 128*128*k^2 parameters, max-pool 1; input 1, output 5;
 * in millions), as their graph_util computes them.
 * Usage: graph_bench nb101-1k.json BUILD SRC. */
#include "graph/cnn2vec.h"
#include "graph/spacefile.h"
#include "graph/ged.h"
#include "graph/nb101.h"
#include "graph/nbdata.h"
#include "host/pool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void enumerate(int threads)
{
    cb_pool_resize(threads);
    double t0 = now();
    cb_space_count c;
    cb_nb101_enumerate(CB_NB101_VERTICES, CB_NB101_EDGES, &c, NULL);
    double dt = now() - t0;
    printf("nb101 space, %d thread%s: %llu unique graphs (%llu classes; %zu shapes; %llu labelled full DAGs) "
           "in %.2f s\n",
           threads, threads > 1 ? "s" : "", (unsigned long long)c.unique, (unsigned long long)c.classes, c.forms,
           (unsigned long long)c.labelled, dt);
}

static cb_vocab voc;
static cb_flat *flat;

static double cell_dist(void *ctx, size_t i, size_t j)
{
    (void)ctx;
    return cb_ged(&voc, &flat[i], &flat[j]);
}

static void weigh(void)
{
    static const char *const names[] = {"-1", "-2", "0", "1", "2"};
    static const double w[] = {1e-6, 5e-6, 0.147456, 0.016384, 1e-6};
    for (int i = 0; i < 5; i++)
        voc.v[cb_vocab_find(&voc, names[i])].weight = w[i];
}

typedef struct all_pairs {
    size_t n;
    double *row_sum; /* per row, so the work cannot be optimized away */
} all_pairs;

static void ged_rows(void *ctx, size_t b, size_t e)
{
    all_pairs *a = ctx;
    for (size_t i = b; i < e; i++)
        for (size_t j = i + 1; j < a->n; j++)
            a->row_sum[i] += cb_ged(&voc, &flat[i], &flat[j]);
}

static cb_flat *space_flats;

static double space_dist(void *ctx, size_t i, size_t j)
{
    return cb_ged(ctx, &space_flats[i], &space_flats[j]);
}

static void module_space(const char *build, const char *src)
{
    char ops[4096], file[4096];
    snprintf(ops, sizeof ops, "%s/plugins/ops/std.so", build);
    snprintf(file, sizeof file, "%s/examples/spaces/cnnbench.yaml", src);
    cb_registry reg;
    cb_registry_init(&reg);
    cb_error e;
    cb_modspace sp;
    cb_diag d;
    char why[256];
    if (cb_registry_load_file(&reg, ops, &e) || cb_spacefile_load(file, &reg, &sp, &d)) {
        fprintf(stderr, "graph_bench: %s%s\n", e.msg, d.msg);
        return;
    }
    enum { N = 500 };
    cb_rng rng;
    cb_rng_seed(&rng, 1);
    cb_cnngraph *g = calloc(N, sizeof *g);
    space_flats = calloc(N, sizeof *space_flats);
    long vertices = 0;
    for (int i = 0; i < N; i++) {
        cb_modspace_sample(&sp, 10, &rng, &g[i]);
        cb_flat_from_cnngraph(&g[i], &space_flats[i]);
        vertices += space_flats[i].n;
    }
    cb_vocab_weigh(&sp.voc, sp.in_id, sp.out_id, why, sizeof why);
    cb_cnn2vec_opts o;
    cb_cnn2vec_defaults(&o);
    o.max_pairs = 0;
    o.partners = 32;
    float *emb = calloc((size_t)N * (size_t)o.dim, sizeof *emb);
    cb_cnn2vec_report rep;
    double t0 = now();
    cb_cnn2vec_fit(N, space_dist, &sp.voc, &o, emb, &rep);
    double dt = now() - t0;
    double rho = cb_cnn2vec_spearman(N, space_dist, &sp.voc, emb, o.dim, 5000, 1);
    printf("cnn2vec, module space: %d CNNs (s = 10, %.0f vertices on average), %zu sampled pairs (%d partners "
           "each) in %.2f s with their GEDs; rmse %.4g vs mean GED %.4g; Spearman rho = %.4f on 5000 random pairs\n",
           N, (double)vertices / N, rep.pairs, o.partners, dt, rep.rmse, rep.mean_dist, rho);
    for (int i = 0; i < N; i++) {
        cb_flat_free(&space_flats[i]);
        cb_cnngraph_free(&g[i]);
    }
    free(g);
    free(space_flats);
    free(emb);
    cb_modspace_free(&sp);
    cb_registry_free(&reg);
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "/work/shared/data/nas/nb101-1k.json";
    enumerate(1);
    enumerate(2);

    cb_nb101_table t;
    char why[512];
    cb_vocab_init(&voc);
    if (cb_nb101_load(path, &voc, &t, why, sizeof why)) {
        fprintf(stderr, "graph_bench: %s\n", why);
        return 1;
    }
    weigh();
    flat = calloc(t.n, sizeof *flat);
    for (size_t i = 0; i < t.n; i++) {
        cb_cnngraph g = {1, &t.cells[i].m, ""};
        memcpy(g.hash, t.cells[i].key, 33);
        cb_flat_from_cnngraph(&g, &flat[i]);
    }
    all_pairs ap = {t.n, calloc(t.n, sizeof(double))};
    double t0 = now();
    cb_pool_run(t.n, ged_rows, &ap);
    double dt = now() - t0;
    double mean = 0;
    for (size_t i = 0; i < t.n; i++)
        mean += ap.row_sum[i] / (double)(t.n * (t.n - 1) / 2);
    free(ap.row_sum);
    printf("ged: %zu pairs of NAS-Bench-101 cells in %.2f s (%.0f pairs/s, 2 threads), mean %.4g\n",
           t.n * (t.n - 1) / 2, dt, (double)(t.n * (t.n - 1) / 2) / dt, mean);

    cb_cnn2vec_opts o;
    cb_cnn2vec_defaults(&o);
    float *e = calloc(t.n * (size_t)o.dim, sizeof *e);
    cb_cnn2vec_report rep;
    t0 = now();
    cb_cnn2vec_fit(t.n, cell_dist, NULL, &o, e, &rep);
    dt = now() - t0;
    double rho = cb_cnn2vec_spearman(t.n, cell_dist, NULL, e, o.dim, 20000, 1);
    printf("cnn2vec: d=%d, %zu pairs (%s), %d epochs in %.2f s; rmse %.4g vs mean GED %.4g; "
           "Spearman rho(embedding distance, GED) = %.4f on 20000 random pairs\n",
           o.dim, rep.pairs, rep.all_pairs ? "all" : "sampled", o.epochs, dt, rep.rmse, rep.mean_dist, rho);
    for (size_t i = 0; i < t.n; i++)
        cb_flat_free(&flat[i]);
    free(flat);
    free(e);
    cb_nb101_table_free(&t);
    cb_vocab_free(&voc);
    if (argc > 3)
        module_space(argv[2], argv[3]);
    cb_pool_resize(0);
    return 0;
}
