/* tests/unit/pareto_nb101.c: NAS-Bench-101 networks as codebench graphs: every cell of the
 * table built on the skeleton has exactly the benchmark's parameter count; NAS-Bench-101's
 * vertex widths; skeleton mistakes reported at file:line:col; the whole space's 423,624 cells;
 * a cell simulated on AccelBench; and the exact front of a small NAS-Bench-101 x FPGA space
 * against a brute-force check through evaluate(). */
#include "fpga_util.h"

#include "graph/nbdata.h"
#include "host/host.h"
#include "sim_util.h"
#include "test_util.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

Test(pareto_nb101, every_table_cell_has_the_benchmarks_parameters)
{
    cb_cellset *cs = fu_cells();
    cb_vocab voc;
    cb_vocab_init(&voc);
    cb_nb101_table t;
    char why[512], *p = cb_test_src("../shared/data/nas/nb101-1k.json");
    if (access(p, R_OK) != 0) {
        free(p);
        p = strdup("/work/shared/data/nas/nb101-1k.json");
    }
    cr_assert(eq(int, cb_nb101_load(p, &voc, &t, why, sizeof why), CB_OK), "%s", why);
    cr_assert(eq(i64, cs->n, 1000));
    for (int64_t i = 0; i < cs->n; i++) {
        const cb_graph *g = fu_cell_graph(i);
        cr_expect(eq(dbl, (double)cs->net.params, t.cells[i].params), "cell %lld (%s)", (long long)i,
                  cs->key[i]);
        cr_expect(eq(int, g->classes, 10));
    }
    cb_nb101_table_free(&t);
    cb_vocab_free(&voc);
    free(p);
}

static cb_module cell(int n, const char *edges)
{
    cb_module m;
    memset(&m, 0, sizeof m);
    m.n = n;
    for (const char *e = edges; e[0] && e[1]; e += 2)
        m.adj[e[0] - '0'] |= (uint16_t)(1u << (e[1] - '0'));
    return m;
}

Test(pareto_nb101, vertex_widths_as_the_benchmark_computes_them)
{
    int64_t w[8];
    cb_module five = cell(7, "01020304051626364656"); /* five interior vertices feed out */
    cb_cell_widths(&five, 128, 128, w); /* 128 = 5 x 25 + 3: the first three get 26 */
    int64_t want[] = {128, 26, 26, 26, 25, 25, 128};
    for (int v = 0; v < 7; v++)
        cr_expect(eq(i64, w[v], want[v]), "vertex %d", v);
    cb_module chain = cell(4, "011223"); /* 1 feeds only 2, which feeds out */
    cb_cell_widths(&chain, 128, 256, w);
    cr_expect(eq(i64, w[2], 256));
    cr_expect(eq(i64, w[1], 256), "the widest of its successors");
    /* 1 and 3 feed out (65 = 33 + 32), 2 feeds 3: vertex 1 (33) is truncated into 2 (32) */
    cb_module trunc = cell(5, "0112142334");
    cb_cell_widths(&trunc, 64, 65, w);
    int64_t want_t[] = {64, 33, 32, 32, 65};
    for (int v = 0; v < 5; v++)
        cr_expect(eq(i64, w[v], want_t[v]), "vertex %d", v);
}

static void bad_skeleton(const char *text, const char *want)
{
    char path[] = "/tmp/cb_skeleton_XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    cr_assert(eq(sz, (size_t)write(fd, text, strlen(text)), strlen(text)));
    close(fd);
    cb_skeleton sk;
    cb_diag d;
    cr_expect(eq(int, cb_skeleton_load(path, fu_registry(), &sk, &d), CB_EINVAL));
    char line[1024];
    cb_diag_line(&d, line, sizeof line);
    cr_expect(ne(ptr, strstr(line, want), NULL), "got: %s", line);
    unlink(path);
}

#define ROLES "stem_channels: 128\nstacks: 3\ncells_per_stack: 3\nwidth: out_channels\n" \
              "cell_ops: [{op: conv2d}]\nprojection: {op: conv2d, attrs: {kernel: 1}}\n"  \
              "truncate: {op: slice}\nsum: {op: add}\nconcatenate: {op: concat}\n"             \
              "downsample: {op: maxpool, attrs: {stride: 2, padding: 1}}\nhead: [{op: global_avgpool}]\n"

Test(pareto_nb101, skeleton_mistakes_point_at_their_place)
{
    bad_skeleton("stem: {op: conv2e}\n" ROLES, ":1:12: unknown op plugin 'conv2e'");
    bad_skeleton("stem: {op: conv2d, attrs: {kernel: 4}}\n" ROLES, ":1:36: attribute 'kernel': ");
    bad_skeleton("stem: {op: conv2d, attrs: {kernal: 3}}\n" ROLES, ":1:28: op 'conv2d' has no attribute 'kernal'");
    bad_skeleton("stem: {op: conv2d}\nstacks: 3\n", ":1:1: missing required key 'width'");
    bad_skeleton("stem: {op: conv2d}\n" ROLES "stacs: 2\n", "unknown key 'stacs' (did you mean 'stacks'?)");
}

Test(pareto_nb101, the_space_has_423624_cells)
{
    cb_cellset cs;
    char why[256];
    cr_assert(eq(int, cb_cellset_space(&cs, why, sizeof why), CB_OK), "%s", why);
    cr_expect(eq(i64, cs.n, 423624));
    cr_expect(eq(ptr, cs.accuracy, NULL));
    cb_cnn_source src;
    cb_cellset_source(&cs, fu_skeleton(), (cb_shape){1, 3, 1, 32, 32}, &src);
    for (int64_t i = 0; i < cs.n; i += 4999)
        cr_expect(ne(ptr, (void *)src.graph(src.ctx, i, why, sizeof why), NULL), "cell %lld: %s",
                  (long long)i, why);
    cb_cellset_free(&cs);
}

/* The same cell runs on AccelBench: its graph becomes the simulator's layer list and
 * simulates on the seeds' SPRING accelerator. */
Test(pareto_nb101, a_cell_simulates_on_accelbench)
{
    const cb_graph *g = fu_cell_graph(3);
    cb_sim_net net;
    char why[512];
    cr_assert(eq(int, cb_sim_net_from_graph(g, &net, why, sizeof why), CB_OK), "%s", why);
    cr_expect(eq(int, net.n, g->n_nodes));
    cb_accel_vec spring = {2, 16, 8, 4, 8, 3, 3, 1, 12, 24, 4, 1, 1};
    cb_simulator *s = cb_simulator_new();
    cb_sim_report r = sim_run(s, &net, &spring, 0.5);
    cr_expect(gt(dbl, r.latency_s, 0));
    cr_expect(gt(dbl, r.area_mm2, 0));
    cb_sim_report_free(&r);
    cb_simulator_free(s);
    cb_sim_net_free(&net);
}

/* ---- 12 cells x every 90th configuration: the enumeration's front against all pairs ------- */

typedef struct pt {
    double v[3];
    int64_t id;
} pt;

static int dominated(const pt *p, size_t n, const pt *q)
{
    for (size_t j = 0; j < n; j++) {
        int better = 0, worse = 0;
        for (int d = 0; d < 3; d++) {
            worse |= p[j].v[d] > q->v[d];
            better |= p[j].v[d] < q->v[d];
        }
        if (!worse && better)
            return 1;
    }
    return 0;
}

static int by_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

Test(pareto_nb101, front_of_a_small_space_equals_brute_force)
{
    enum { CELLS = 12, STEP = 90 };
    cb_host_configure(0, 2, CB_LOG_WARN);
    int n_axes;
    int64_t n_all;
    const double *all = fu_configs(&n_all, &n_axes, NULL);
    int64_t n_cfg = (n_all + STEP - 1) / STEP;
    double *configs = malloc((size_t)(n_cfg * n_axes) * sizeof *configs);
    for (int64_t c = 0; c < n_cfg; c++)
        memcpy(configs + c * n_axes, all + c * STEP * n_axes, (size_t)n_axes * sizeof *configs);
    cb_cellset *cells = fu_cells();
    cb_cnn_source src;
    cb_cellset_source(cells, fu_skeleton(), (cb_shape){1, 3, 1, 32, 32}, &src);
    src.n = CELLS;
    fu_accel a = fu_accel_new(NULL);
    cb_config_set cs = {a.vt, a.self, n_axes, n_cfg, configs};
    cb_enum_opts o = {2, 5, 0, 0};
    cb_enum_result r;
    char why[512];
    cr_assert(eq(int, cb_enumerate(&src, &cs, &o, &r, why, sizeof why), CB_OK), "%s", why);
    pt *p = malloc(CELLS * (size_t)n_cfg * sizeof *p);
    size_t n = 0;
    for (int64_t i = 0; i < CELLS; i++) {
        const cb_graph *g = fu_cell_graph(i);
        for (int64_t c = 0; c < n_cfg; c++) {
            double area, lat = fu_latency(&a, g, configs + c * n_axes, &area);
            p[n++] = (pt){{-cells->accuracy[i], lat, area}, i * n_cfg + c};
        }
    }
    int64_t *want = malloc(n * sizeof *want), *got = malloc((r.front.n + 1) * sizeof *got);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!dominated(p, n, &p[i]))
            want[k++] = p[i].id;
    qsort(want, k, sizeof *want, by_id);
    memcpy(got, r.front.ids, r.front.n * sizeof *got);
    qsort(got, r.front.n, sizeof *got, by_id);
    cr_expect(eq(sz, r.front.n, k));
    for (size_t i = 0; i < k && i < r.front.n; i++)
        cr_expect(eq(i64, got[i], want[i]));
    cr_expect(eq(u64, r.pairs, (uint64_t)n));
    free(p);
    free(want);
    free(got);
    free(configs);
    cb_enum_result_free(&r);
    fu_accel_free(&a);
}
