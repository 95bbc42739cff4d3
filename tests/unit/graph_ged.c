/* tests/unit/graph_ged.c: graph edit distance (a metric on a sample of NAS-Bench-101 cells,
 * and equal to the exact minimum over all vertex mappings, up to the edge costs, on small
 * cells), CNN2vec (its distances follow GED) and the neighbour rankings. */
#include "graph/cnn2vec.h"
#include "graph/ged.h"
#include "graph/nbdata.h"
#include "graph/neighbors.h"
#include "test_util.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static cb_vocab voc;
static cb_nb101_table cells;
static cb_flat *flat;

/* Weights as the seeds' GED gives NAS-Bench-101's ops on 128 channels: 3x3 and 1x1 convolution
 * 128*128*k^2 parameters, max-pool 1, in millions; input 1, output 5. */
static void setup(void)
{
    char *p = cb_test_src("../shared/data/nas/nb101-1k.json"), why[512];
    if (access(p, R_OK) != 0) {
        free(p);
        p = strdup("/work/shared/data/nas/nb101-1k.json");
    }
    cb_vocab_init(&voc);
    cr_assert(eq(int, cb_nb101_load(p, &voc, &cells, why, sizeof why), CB_OK), "%s", why);
    free(p);
    static const char *const names[] = {"-1", "-2", "0", "1", "2"};
    static const double w[] = {1e-6, 5e-6, 0.147456, 0.016384, 1e-6};
    for (int i = 0; i < 5; i++)
        voc.v[cb_vocab_find(&voc, names[i])].weight = w[i];
    flat = calloc(cells.n, sizeof *flat);
    for (size_t i = 0; i < cells.n; i++) {
        cb_cnngraph g = {1, &cells.cells[i].m, ""};
        memcpy(g.hash, cells.cells[i].key, 33);
        cb_flat_from_cnngraph(&g, &flat[i]);
    }
}

static void teardown(void)
{
    for (size_t i = 0; i < cells.n; i++)
        cb_flat_free(&flat[i]);
    free(flat);
    cb_nb101_table_free(&cells);
    cb_vocab_free(&voc);
}

TestSuite(graph_ged, .init = setup, .fini = teardown);

Test(graph_ged, metric_on_a_sample)
{
    enum { N = 60 };
    static double d[N][N];
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            d[i][j] = cb_ged(&voc, &flat[i * 16], &flat[j * 16]);
    for (int i = 0; i < N; i++) {
        cr_assert(eq(dbl, d[i][i], 0.0));
        for (int j = 0; j < N; j++) {
            cr_assert(eq(dbl, d[i][j], d[j][i]), "d(%d,%d) != d(%d,%d)", i, j, j, i);
            cr_assert(i == j || d[i][j] > 0, "distinct cells %d and %d at distance 0", i, j);
            for (int k = 0; k < N; k++) {
                /* exact for the vertex part; the edge part may be 1e-9 per edge above optimal */
                double tol = 1e-9 * (flat[i * 16].n_edges + flat[j * 16].n_edges + flat[k * 16].n_edges) * 2;
                cr_assert(d[i][k] <= d[i][j] + d[j][k] + tol, "triangle %d %d %d: %.12g > %.12g + %.12g", i, j,
                          k, d[i][k], d[i][j], d[j][k]);
            }
        }
    }
}

/* The exact distance by trying every partial injection of a's vertices into b's. */
typedef struct exact {
    const cb_flat *a, *b;
    int map[8];
    int used;
    double best;
} exact;

static double mapping_cost(const exact *x)
{
    const cb_flat *a = x->a, *b = x->b;
    double c = 0;
    int kept = 0;
    for (int v = 0; v < a->n; v++)
        c += cb_ged_vertex_cost(&voc, a->label[v], x->map[v] < 0 ? -1 : b->label[x->map[v]]);
    for (int w = 0; w < b->n; w++)
        if (!(x->used >> w & 1))
            c += cb_ged_vertex_cost(&voc, -1, b->label[w]);
    for (int u = 0; u < a->n; u++)
        for (int e = a->out_start[u]; e < a->out_start[u + 1]; e++) {
            int v = a->out[e], mu = x->map[u], mv = x->map[v];
            if (mu < 0 || mv < 0)
                continue;
            for (int f = b->out_start[mu]; f < b->out_start[mu + 1]; f++)
                kept += b->out[f] == mv;
        }
    return c + 1e-9 * (a->n_edges + b->n_edges - 2 * kept);
}

static void search(exact *x, int v)
{
    if (v == x->a->n) {
        double c = mapping_cost(x);
        if (c < x->best)
            x->best = c;
        return;
    }
    x->map[v] = -1;
    search(x, v + 1);
    for (int w = 0; w < x->b->n; w++)
        if (!(x->used >> w & 1)) {
            x->map[v] = w;
            x->used |= 1 << w;
            search(x, v + 1);
            x->used &= ~(1 << w);
        }
}

Test(graph_ged, equals_exhaustive_search_on_small_cells)
{
    int small[40], k = 0;
    for (size_t i = 0; i < cells.n && k < 40; i++)
        if (flat[i].n <= 6)
            small[k++] = (int)i;
    cr_assert(ge(int, k, 10));
    for (int s = 0; s < k; s++)
        for (int t = s + 1; t < k && t < s + 4; t++) {
            exact x = {&flat[small[s]], &flat[small[t]], {0}, 0, INFINITY};
            search(&x, 0);
            double d = cb_ged(&voc, x.a, x.b), slack = 1e-9 * (x.a->n_edges + x.b->n_edges);
            cr_assert(d >= x.best - 1e-15 && d <= x.best + slack + 1e-15, "cells %d, %d: %.12g, exact %.12g",
                      small[s], small[t], d, x.best);
        }
}

Test(graph_ged, vertex_costs_follow_the_weights)
{
    int32_t c3 = cb_vocab_find(&voc, "0"), c1 = cb_vocab_find(&voc, "1"), mp = cb_vocab_find(&voc, "2");
    /* substitution chains through neighbouring labels: 1.1 |dw|, or deletion plus insertion */
    cr_assert(ieee_ulp_eq(dbl, cb_ged_vertex_cost(&voc, c3, c1), fmin(1.1 * (0.147456 - 0.016384), 0.147456 + 0.016384) + 1e-9, 4));
    cr_assert(ieee_ulp_eq(dbl, cb_ged_vertex_cost(&voc, c3, -1), 0.147456 + 1e-9, 4));
    cr_assert(eq(dbl, cb_ged_vertex_cost(&voc, mp, mp), 0.0));
    cr_assert(gt(dbl, cb_ged_vertex_cost(&voc, c1, mp), 0.0));
}

static double cell_dist(void *ctx, size_t i, size_t j)
{
    (void)ctx;
    return cb_ged(&voc, &flat[i], &flat[j]);
}

Test(graph_ged, cnn2vec_follows_ged)
{
    cb_cnn2vec_opts o;
    cb_cnn2vec_defaults(&o);
    o.seed = 3;
    size_t n = 200;
    float *e = calloc(n * CB_CNN2VEC_DIM, sizeof *e);
    cb_cnn2vec_report rep;
    cr_assert(eq(int, cb_cnn2vec_fit(n, cell_dist, NULL, &o, e, &rep), CB_OK));
    cr_assert(eq(sz, rep.pairs, n * (n - 1) / 2));
    double rho = cb_cnn2vec_spearman(n, cell_dist, NULL, e, CB_CNN2VEC_DIM, 5000, 9);
    cr_assert(gt(dbl, rho, 0.9), "Spearman rho %.3f", rho);
    cr_assert(lt(dbl, rep.rmse, 0.25 * rep.mean_dist), "rmse %.4g, mean distance %.4g", rep.rmse, rep.mean_dist);
    /* an untrained table (the initialisation alone) does not follow GED */
    float *r = calloc(n * CB_CNN2VEC_DIM, sizeof *r);
    for (size_t k = 0; k < n * CB_CNN2VEC_DIM; k++)
        r[k] = (float)((double)rand() / RAND_MAX);
    cr_assert(lt(dbl, fabs(cb_cnn2vec_spearman(n, cell_dist, NULL, r, CB_CNN2VEC_DIM, 5000, 9)), 0.2));
    free(r);
    free(e);
}

Test(graph_ged, neighbours_plain_and_biased)
{
    /* five graphs on a line in embedding space; graph 4 shares its first two modules with 0 */
    float e[5][2] = {{0, 0}, {1, 0}, {2, 0}, {3, 0}, {10, 0}};
    cb_module a, b, c;
    cb_module_chain(&a, 3);
    cb_module_chain(&b, 4);
    cb_module_chain(&c, 5);
    a.label[0] = b.label[0] = c.label[0] = 0;
    for (int v = 1; v < 5; v++)
        a.label[v] = b.label[v] = c.label[v] = 1;
    cb_module g0[3] = {a, b, c}, g1[3] = {a, c, c}, g2[3] = {c, b, a}, g3[3] = {a, c, b}, g4[3] = {a, b, a};
    cb_cnngraph g[5] = {{3, g0, ""}, {3, g1, ""}, {3, g2, ""}, {3, g3, ""}, {3, g4, ""}};
    int32_t out[5 * 3];
    cb_neighbors(&e[0][0], 5, 2, NULL, 3, out);
    cr_assert(eq(i32, out[0], 1));
    cr_assert(eq(i32, out[1], 2));
    cr_assert(eq(i32, out[2], 3));
    cb_neighbors(&e[0][0], 5, 2, g, 3, out);
    cr_assert(eq(i32, out[0], 4)); /* overlap 2 beats distance */
    cr_assert(eq(i32, out[1], 1)); /* overlap 1, nearer than 3 */
    cr_assert(eq(i32, out[2], 3));
    unsigned char trained[5] = {0, 1, 1, 1, 1};
    cr_assert(eq(i64, cb_transfer_source(g, 0, out, 3, trained, 0.6), 4)); /* 2/3 >= 0.6 */
    cr_assert(eq(i64, cb_transfer_source(g, 0, out, 3, trained, CB_TRANSFER_THRESHOLD), -1));
    trained[4] = 0;
    cr_assert(eq(i64, cb_transfer_source(g, 0, out, 3, trained, 0.3), 1));
}
