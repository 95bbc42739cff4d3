/* tests/unit/sim_sweep.c: AccelBench's sweep (core/sim/sweep.h) with the real mac and memory
 * plugins on a small network that exercises every kind of reuse decision (weights that fit one
 * weight buffer and not another, activations kept on chip or not, a fused depth-wise separable
 * stage, identical layers, a branch):
 *   - every point of a narrowed space, through the per-group reuse on two threads, equals
 *     cb_simulate's figures bit for bit, with far fewer layer simulations;
 *   - the streamed front of a sampled space equals the brute-force O(n^2) front of the same
 *     points, whatever the thread count; CSV rows come out in sweep order on two threads;
 *   - the sampler draws distinct positions in order, uniformly;
 *   - bad options and bad spaces are refused; `codebench sweep` exits 2 on bad input with the
 *     reason (file:line:col for the manifest) and 0 on a small sweep. */
#include "sim/sweep_internal.h"
#include "sim_util.h"
#include "test_util.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- the network ---- */

static cb_workload dw_separable(int64_t c, int64_t out, int64_t hw)
{
    cb_workload w = sim_conv(1, 1, hw, hw, 3, 1);
    w.groups = c;
    w.in_elems = c * hw * hw;
    w.out_elems = out * hw * hw;
    w.weight_elems = c * 9 + c * out;
    w.pw_of = out;
    w.batchnorm = 1;
    return w;
}

static cb_workload pass(int kind, int64_t c, int64_t hw_in, int64_t hw_out, int window)
{
    cb_workload w = {.size = sizeof w, .kind = kind, .n_ib = 1, .n_if = c, .n_ix = hw_out, .n_iy = hw_out,
                     .n_of = c, .n_kx = 1, .n_ky = 1, .groups = 1, .n_kz = 1, .out_d = 1, .stride = 1,
                     .in_elems = c * hw_in * hw_in * (kind == CB_WL_ELEMWISE ? window : 1),
                     .out_elems = c * hw_out * hw_out, .elements = c * hw_out * hw_out, .window = window};
    return w;
}

/* conv, depth-wise separable, conv /2, two identical convs, add (branch), pool, two dense. */
static cb_sim_net test_net(void)
{
    cb_workload w[9] = {sim_conv(3, 64, 32, 32, 3, 1), dw_separable(64, 128, 32), sim_conv(128, 128, 32, 32, 3, 2),
                        sim_conv(128, 128, 16, 16, 3, 1), sim_conv(128, 128, 16, 16, 3, 1),
                        pass(CB_WL_ELEMWISE, 128, 16, 16, 2), pass(CB_WL_POOL, 128, 16, 8, 4),
                        sim_dense(128 * 8 * 8, 1024), sim_dense(1024, 10)};
    cb_sim_net net = sim_chain(w, 9);
    net.layers[5].n_in = 2; /* the add reads the strided conv and the second identical conv */
    net.layers[5].in[0] = 2;
    net.layers[5].in[1] = 4;
    return net;
}

/* ---- plugin instances per worker ---- */

static const int GEOMETRY[2][3] = {{16, 2, 2}, {16, 2, 2}};
static const char *const MEMS[2] = {"rram", "dram"};

static int make_parts(void *ctx, cb_sweep_parts *p, char *why, size_t n)
{
    memset(p, 0, sizeof *p);
    p->n_mac = 2;
    p->mac[0] = sim_plugin(CB_KIND_MAC, "mac1")->vtable;
    p->mac_self[0] = sim_mac("mac1", 700);
    p->mac[1] = sim_plugin(CB_KIND_MAC, "mac16")->vtable;
    p->mac_self[1] = sim_mac("mac16", 700);
    p->n_mem = 2;
    for (int i = 0; i < 2; i++) {
        p->mem[i] = sim_plugin(CB_KIND_MEMORY, MEMS[i])->vtable;
        p->mem_self[i] = sim_memory(MEMS[i], GEOMETRY[i][0], GEOMETRY[i][1], GEOMETRY[i][2]);
    }
    return CB_OK;
}

static void free_parts(void *ctx, cb_sweep_parts *p)
{
    sim_plugin(CB_KIND_MAC, "mac1")->destroy(p->mac_self[0]);
    sim_plugin(CB_KIND_MAC, "mac16")->destroy(p->mac_self[1]);
    for (int i = 0; i < 2; i++)
        sim_plugin(CB_KIND_MEMORY, MEMS[i])->destroy(p->mem_self[i]);
}

static void set_axis(cb_accel_space *s, int axis, const double *v, int n)
{
    s->n[axis] = n;
    memcpy(s->v[axis], v, (size_t)n * sizeof *v);
}

/* 2 x 2 x 2 x 1 x 2 x 2 x 2 x 3 x 3 x 2 x 2 = 2304 points; the buffer values straddle the
 * network's capacity thresholds (a 64-image batch's activations are ~5.5 MB, the first dense
 * layer's weights ~11 MB). */
static cb_accel_space small_space(void)
{
    cb_accel_space s;
    memset(&s, 0, sizeof s);
    set_axis(&s, CB_AX_IB, (double[]){1, 4}, 2);
    set_axis(&s, CB_AX_IF, (double[]){1, 16}, 2);
    set_axis(&s, CB_AX_IX, (double[]){2, 7}, 2);
    set_axis(&s, CB_AX_IY, (double[]){3}, 1);
    set_axis(&s, CB_AX_OF, (double[]){1, 8}, 2);
    set_axis(&s, CB_AX_K, (double[]){1, 3}, 2);
    set_axis(&s, CB_AX_BATCH, (double[]){1, 64}, 2);
    set_axis(&s, CB_AX_ACT, (double[]){1, 4, 24}, 3);
    set_axis(&s, CB_AX_WGT, (double[]){1, 8, 24}, 3);
    set_axis(&s, CB_AX_MASK, (double[]){1, 4}, 2);
    set_axis(&s, CB_AX_MEM, (double[]){1, 2}, 2);
    return s;
}

/* A wider space to sample from (1,703,936 points). */
static cb_accel_space wide_space(void)
{
    cb_accel_space s = small_space();
    set_axis(&s, CB_AX_IX, (double[]){1, 2, 3, 4, 5, 6, 7, 8}, 8);
    set_axis(&s, CB_AX_IY, (double[]){1, 2, 4, 8}, 4);
    set_axis(&s, CB_AX_ACT, (double[]){1, 2, 4, 6, 8, 12, 16, 24}, 8);
    set_axis(&s, CB_AX_WGT, (double[]){1, 2, 8, 12, 16, 24}, 6);
    return s;
}

/* ---- collecting points ---- */

typedef struct points {
    pthread_mutex_t mu;
    cb_sweep_point *p;
    size_t n, cap;
} points;

static void collect(void *ctx, const cb_sweep_point *p)
{
    points *ps = ctx;
    pthread_mutex_lock(&ps->mu);
    if (ps->n == ps->cap) {
        ps->cap = ps->cap ? ps->cap * 2 : 1024;
        ps->p = realloc(ps->p, ps->cap * sizeof *ps->p);
    }
    ps->p[ps->n++] = *p;
    pthread_mutex_unlock(&ps->mu);
}

static int by_order(const void *a, const void *b)
{
    uint64_t x = ((const cb_sweep_point *)a)->order, y = ((const cb_sweep_point *)b)->order;
    return x < y ? -1 : x > y;
}

static cb_sweep_opts options(int threads, points *ps)
{
    return (cb_sweep_opts){.threads = threads, .sim = CB_SIM_OPTS_DEFAULT, .make_parts = make_parts,
                           .free_parts = free_parts, .each = ps ? collect : NULL, .each_ctx = ps};
}

static void sweep_ok(const cb_sim_net *net, const cb_accel_space *s, const cb_sweep_opts *o, cb_sweep_result *r)
{
    char why[512] = "";
    cr_assert(eq(int, cb_sweep_run(net, s, o, r, why, sizeof why), CB_OK), "%s", why);
}

static bool same_bits(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }

/* Every figure of the report, bit for bit. */
static void expect_same(const cb_sim_report *a, const cb_sim_report *b, uint64_t order)
{
    const double x[] = {a->cycles, a->compute_cycles, a->stall_cycles, a->reload_cycles, a->fill_cycles,
                        a->pass_cycles, a->clock_mhz, a->latency_s, a->area_mm2, a->dyn_energy_j,
                        a->leak_energy_j, a->dyn_compute_j, a->dyn_memory_j, a->dyn_buffer_j, a->dyn_dma_j,
                        a->throughput_fps, a->edp, a->mem_bytes};
    const double y[] = {b->cycles, b->compute_cycles, b->stall_cycles, b->reload_cycles, b->fill_cycles,
                        b->pass_cycles, b->clock_mhz, b->latency_s, b->area_mm2, b->dyn_energy_j,
                        b->leak_energy_j, b->dyn_compute_j, b->dyn_memory_j, b->dyn_buffer_j, b->dyn_dma_j,
                        b->throughput_fps, b->edp, b->mem_bytes};
    for (size_t i = 0; i < sizeof x / sizeof x[0]; i++)
        cr_assert(same_bits(x[i], y[i]), "point %llu, figure %zu: %.17g != %.17g", (unsigned long long)order,
                  i, x[i], y[i]);
    for (int i = 0; i < CB_AREA_PARTS; i++)
        cr_assert(same_bits(a->area_by[i], b->area_by[i]));
    cr_assert(eq(u64, a->row_hits, b->row_hits));
    cr_assert(eq(u64, a->row_misses, b->row_misses));
}

TestSuite(sim_sweep);

Test(sim_sweep, reuse_equals_cb_simulate_bit_for_bit)
{
    cb_sim_net net = test_net();
    cb_accel_space s = small_space();
    points ps = {.mu = PTHREAD_MUTEX_INITIALIZER};
    cb_sweep_opts o = options(2, &ps);
    cb_sweep_result r;
    sweep_ok(&net, &s, &o, &r);
    uint64_t n = cb_sweep_count(&s);
    cr_assert(eq(u64, n, 2304));
    cr_assert(eq(u64, r.points, n));
    cr_assert(eq(sz, ps.n, (size_t)n));
    /* the per-group reuse did its job: far fewer layer simulations than point-layers */
    cr_expect(lt(u64, r.layer_sims * 8, n * (uint64_t)net.n), "%llu layer simulations",
              (unsigned long long)r.layer_sims);
    qsort(ps.p, ps.n, sizeof *ps.p, by_order);
    cb_simulator *shared = cb_simulator_new();
    cb_sweep_parts parts;
    char why[512];
    make_parts(NULL, &parts, why, sizeof why);
    for (size_t i = 0; i < ps.n; i++) {
        const cb_sweep_point *p = &ps.p[i];
        cr_assert(eq(u64, p->order, i), "every point once");
        cb_accel_vec v;
        int mem;
        uint64_t index;
        cb_sweep_at(&s, p->order, &v, &mem, &index);
        cr_assert(eq(u64, p->index, index));
        cb_sim_parts sp = {parts.mac[v.p_if == 16], parts.mac_self[v.p_if == 16], parts.mem[mem], parts.mem_self[mem]};
        /* cb_simulate with its full-key cache, and every 16th point with no cache at all */
        cb_simulator *fresh = i % 16 == 0 ? cb_simulator_new() : NULL;
        cb_sim_report ref;
        cr_assert(eq(int, cb_simulate(fresh ? fresh : shared, &net, &v, &sp, NULL, &ref, why, sizeof why), CB_OK),
                  "%s", why);
        expect_same(&p->r, &ref, p->order);
        cb_sim_report_free(&ref);
        cb_simulator_free(fresh);
    }
    free_parts(NULL, &parts);
    cb_simulator_free(shared);
    cb_sweep_result_free(&r);
    free(ps.p);
    cb_sim_net_free(&net);
}

Test(sim_sweep, buffer_sizes_change_decisions_in_the_test_space)
{
    /* the bit-for-bit check above means something only if buffer sizes flip decisions */
    cb_sim_net net = test_net();
    cb_accel_space s = small_space();
    cb_sweep_parts parts;
    char why[512];
    make_parts(NULL, &parts, why, sizeof why);
    cb_sim_parts sp = {parts.mac[0], parts.mac_self[0], parts.mem[0], parts.mem_self[0]};
    sweep_plan plan;
    cb_sim_opts o = CB_SIM_OPTS_DEFAULT;
    cr_assert(eq(int, cb_sweep_plan_build(&plan, &net, &s, &sp, &o, why, sizeof why), CB_OK), "%s", why);
    int classes = 0;
    for (int i = 0; i < net.n; i++)
        classes += plan.cls[i] == i;
    cr_expect(eq(int, classes, net.n - 1), "the two identical convolutions share a class");
    cr_expect(gt(int, plan.n_slots, classes + 3), "several layers have several variants");
    cb_sweep_plan_free(&plan);
    free_parts(NULL, &parts);
    cb_sim_net_free(&net);
}

static int by_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static void sampled_front(int threads, int64_t **ids, size_t *n, points *ps)
{
    cb_sim_net net = test_net();
    cb_accel_space s = wide_space();
    cb_sweep_opts o = options(threads, ps);
    o.sample = 1500;
    o.seed = 7;
    cb_sweep_result r;
    sweep_ok(&net, &s, &o, &r);
    cr_assert(eq(u64, r.points, 1500));
    *n = r.front.n;
    *ids = malloc((*n + 1) * sizeof **ids);
    memcpy(*ids, r.front.ids, *n * sizeof **ids);
    qsort(*ids, *n, sizeof **ids, by_id);
    cb_sweep_result_free(&r);
    cb_sim_net_free(&net);
}

Test(sim_sweep, streamed_front_equals_brute_force)
{
    points ps = {.mu = PTHREAD_MUTEX_INITIALIZER};
    int64_t *ids, *ids1;
    size_t n, n1;
    sampled_front(2, &ids, &n, &ps);
    cr_assert(eq(sz, ps.n, 1500));
    qsort(ps.p, ps.n, sizeof *ps.p, by_order);
    for (size_t i = 1; i < ps.n; i++)
        cr_assert(lt(u64, ps.p[i - 1].order, ps.p[i].order), "distinct points");
    /* O(n^2): a point is on the front when no other point dominates it */
    int64_t *brute = malloc(ps.n * sizeof *brute);
    size_t nb = 0;
    for (size_t i = 0; i < ps.n; i++) {
        const cb_sim_report *a = &ps.p[i].r;
        bool dominated = false;
        for (size_t j = 0; j < ps.n && !dominated; j++) {
            const cb_sim_report *b = &ps.p[j].r;
            bool no_worse = b->latency_s <= a->latency_s && b->area_mm2 <= a->area_mm2 &&
                            b->dyn_energy_j <= a->dyn_energy_j && b->leak_energy_j <= a->leak_energy_j;
            bool better = b->latency_s < a->latency_s || b->area_mm2 < a->area_mm2 ||
                          b->dyn_energy_j < a->dyn_energy_j || b->leak_energy_j < a->leak_energy_j;
            dominated = no_worse && better;
        }
        if (!dominated)
            brute[nb++] = (int64_t)ps.p[i].order;
    }
    cr_assert(gt(sz, nb, 2), "a front worth comparing");
    cr_assert(lt(sz, nb, ps.n / 4), "most points are dominated");
    cr_assert(eq(sz, n, nb), "streamed front %zu points, brute force %zu", n, nb);
    for (size_t i = 0; i < n; i++)
        cr_assert(eq(i64, ids[i], brute[i]));
    /* the sample and the front do not depend on the thread count */
    sampled_front(1, &ids1, &n1, NULL);
    cr_assert(eq(sz, n1, n));
    for (size_t i = 0; i < n; i++)
        cr_assert(eq(i64, ids1[i], ids[i]));
    free(brute);
    free(ids);
    free(ids1);
    free(ps.p);
}

static char *csv_of(int threads)
{
    cb_sim_net net = test_net();
    cb_accel_space s = small_space();
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cb_sweep_opts o = options(threads, NULL);
    o.csv = f;
    cb_sweep_result r;
    sweep_ok(&net, &s, &o, &r);
    fclose(f);
    cb_sweep_result_free(&r);
    cb_sim_net_free(&net);
    return buf;
}

Test(sim_sweep, csv_rows_in_sweep_order)
{
    char *one = csv_of(1), *two = csv_of(2);
    size_t lines = 0;
    for (const char *c = two; *c; c++)
        lines += *c == '\n';
    cr_assert(eq(sz, lines, 2304 + 1), "a header and a row per point");
    cr_assert(eq(int, strncmp(two, "index,p_ib,", 11), 0));
    cr_assert(eq(str, one, two), "two threads write the rows one thread writes, in the same order");
    free(one);
    free(two);
}

Test(sim_sweep, sampler_is_uniform_and_ordered)
{
    /* 100 of 100,000 positions (skips of ~1000: the bisection path), 400 times */
    enum { N = 100000, K = 100, REPS = 400, BINS = 10 };
    long bins[BINS] = {0};
    for (int rep = 0; rep < REPS; rep++) {
        sweep_sampler sm;
        cb_sweep_sampler_init(&sm, K, N, (uint64_t)rep + 1);
        uint64_t pos, prev = 0;
        int got = 0;
        while (cb_sweep_sampler_next(&sm, &pos)) {
            cr_assert(lt(u64, pos, N));
            if (got)
                cr_assert(gt(u64, pos, prev), "increasing, hence distinct");
            prev = pos;
            bins[pos * BINS / N]++;
            got++;
        }
        cr_assert(eq(int, got, K));
    }
    for (int b = 0; b < BINS; b++) /* expected 4000 each, sd ~60 */
        cr_expect(lt(long, labs(bins[b] - (long)K * REPS / BINS), 400), "bin %d: %ld", b, bins[b]);
    /* dense: 15 of 20, every position about equally often */
    long hits[20] = {0};
    for (int rep = 0; rep < 4000; rep++) {
        sweep_sampler sm;
        cb_sweep_sampler_init(&sm, 15, 20, (uint64_t)rep + 99);
        uint64_t pos;
        while (cb_sweep_sampler_next(&sm, &pos))
            hits[pos]++;
    }
    for (int i = 0; i < 20; i++) /* expected 3000, sd ~27 */
        cr_expect(lt(long, labs(hits[i] - 3000), 200), "position %d: %ld", i, hits[i]);
}

Test(sim_sweep, bad_options_and_spaces)
{
    cb_sim_net net = test_net();
    cb_accel_space s = small_space();
    cb_sweep_opts o = options(0, NULL);
    cb_sweep_result r;
    char why[512];
    cr_expect(eq(int, cb_sweep_run(&net, &s, &o, &r, why, sizeof why), CB_EINVAL));
    cr_expect(ne(ptr, strstr(why, "threads"), NULL), "%s", why);
    cb_sweep_result_free(&r);
    o.threads = 1;
    s.v[CB_AX_MEM][1] = 3; /* two memory instances only */
    cr_expect(eq(int, cb_sweep_run(&net, &s, &o, &r, why, sizeof why), CB_EINVAL));
    cr_expect(ne(ptr, strstr(why, "memory 3"), NULL), "%s", why);
    cb_sweep_result_free(&r);
    s = small_space();
    s.v[CB_AX_IF][1] = 4; /* no MAC plugin has 4 multipliers */
    cr_expect(eq(int, cb_sweep_run(&net, &s, &o, &r, why, sizeof why), CB_EINVAL));
    cr_expect(ne(ptr, strstr(why, "p_if = 4"), NULL), "%s", why);
    cb_sweep_result_free(&r);
    s = small_space();
    s.v[CB_AX_K][1] = 65; /* beyond any vector's range */
    cr_expect(eq(int, cb_sweep_run(&net, &s, &o, &r, why, sizeof why), CB_EINVAL));
    cr_expect(ne(ptr, strstr(why, "65"), NULL), "%s", why);
    cb_sweep_result_free(&r);
    cb_sim_net_free(&net);
}

/* ---- the command ---- */

static char dir[] = "/tmp/cb_sweep_cli_XXXXXX";

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert(ne(ptr, f, NULL), "cannot read %s", path);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return strdup(buf);
}

typedef struct result {
    int status;
    char *out, *err;
} result;

static result run_argv(const char *const *args)
{
    cb_test_cli c = cb_test_run_cli(dir, args);
    return (result){c.status, c.out, c.err};
}
#define run(...) run_argv((const char *const[]){__VA_ARGS__, NULL})

static void forget(result *r)
{
    free(r->out);
    free(r->err);
}

/* A manifest naming this build's plugins; `macs` is accelerator.mac. */
static void write_manifest(const char *name, const char *macs)
{
    char *plugins = cb_test_path("plugins"), path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    cr_assert(ne(ptr, f, NULL));
    fprintf(f, "codebench: 1\nplugin_path: [%s]\ncnn:\n  input: {channels: 1, height: 28, width: 28}\n"
               "  classes: 10\n  space: cards\n  cards: [lenet5.yaml]\naccelerator:\n  mac: %s\n"
               "  memory:\n    - {plugin: rram, params: {banks: 16, ranks: 2, channels: 2}}\n"
               "    - {plugin: hbm, params: {banks: 32, ranks: 1, channels: 4}}\n"
               "  axes: {p_ib: [1, 4], p_if: [1, 16], p_ix: [2, 8], p_iy: [8], p_of: [8], p_k: [3], batch: [1],\n"
               "         act_buffer_mb: [1, 24], weight_buffer_mb: [1], mask_buffer_mb: [1, 4]}\n"
               "search: {plugin: random, budget: 10}\ntrainer: {plugin: native}\n",
            plugins, macs);
    fclose(f);
    free(plugins);
}

static void cli_setup(void)
{
    cr_assert(ne(ptr, mkdtemp(dir), NULL));
    write_manifest("good.yaml", "[mac1, mac16]");
    write_manifest("one_mac.yaml", "[mac1]");
    char *card = cb_test_src("examples/models/lenet5.yaml"), cmd[512];
    snprintf(cmd, sizeof cmd, "cp %s %s/lenet5.yaml", card, dir);
    cr_assert(eq(int, system(cmd), 0));
    free(card);
}

static void cli_teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_expect(eq(int, system(cmd), 0));
}

Test(sim_sweep, command_good_and_bad_input, .init = cli_setup, .fini = cli_teardown)
{
    char good[128], one[128], model[128], csv[128], front[160];
    snprintf(good, sizeof good, "%s/good.yaml", dir);
    snprintf(one, sizeof one, "%s/one_mac.yaml", dir);
    snprintf(model, sizeof model, "%s/lenet5.yaml", dir);
    snprintf(csv, sizeof csv, "%s/points.csv", dir);
    snprintf(front, sizeof front, "%s/front.csv", dir);
    /* 2 x 2 x 2 x 2 x 2 memories = 64 points */
    result r = run("sweep", "--model", model, good, "--threads", "2", "--quiet", "--csv", csv, "--front", front);
    cr_assert(eq(int, r.status, 0), "%s", r.err);
    cr_expect(ne(ptr, strstr(r.out, "on 64 accelerators"), NULL), "%s", r.out);
    cr_expect(ne(ptr, strstr(r.out, "Pareto front (latency, area, dynamic energy, leakage energy): "), NULL));
    char *rows = slurp(csv), *fr = slurp(front);
    size_t n = 0, nf = 0;
    for (const char *c = rows; *c; c++)
        n += *c == '\n';
    for (const char *c = fr; *c; c++)
        nf += *c == '\n';
    cr_expect(eq(sz, n, 65));
    cr_expect(gt(sz, nf, 1));
    cr_expect(le(sz, nf, 65));
    free(rows);
    free(fr);
    forget(&r);

    struct {
        const char *const *args;
        const char *says;
    } bad[] = {
        {(const char *const[]){"sweep", NULL}, "--model CARD is required"},
        {(const char *const[]){"sweep", "--model", model, NULL}, "MANIFEST is required"},
        {(const char *const[]){"sweep", "--model", model, good, "--sample", "0", NULL}, "--sample '0'"},
        {(const char *const[]){"sweep", "--model", model, good, "--threads", "two", NULL}, "--threads 'two'"},
        {(const char *const[]){"sweep", "--model", model, good, "--seed", "-1", NULL}, "--seed '-1'"},
        {(const char *const[]){"sweep", "--model", model, good, "--frobnicate", NULL}, "'--frobnicate'"},
        {(const char *const[]){"sweep", "--model", "/nonexistent/card.yaml", good, NULL}, "card.yaml"},
        {(const char *const[]){"sweep", "--model", model, "/nonexistent/m.yaml", NULL}, "m.yaml"},
        {(const char *const[]){"sweep", "--model", model, one, "--quiet", NULL}, "one_mac.yaml:13:"},
        {(const char *const[]){"sweep", "--model", model, good, "--csv", "/nonexistent/dir/x.csv", NULL},
         "cannot write /nonexistent/dir/x.csv"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        r = run_argv(bad[i].args + 0);
        cr_expect(eq(int, r.status, 2), "case %zu: %s", i, r.err);
        cr_expect(ne(ptr, strstr(r.err, bad[i].says), NULL), "case %zu: '%s' not in: %s", i, bad[i].says, r.err);
        forget(&r);
    }
    r = run("sweep", "--model", model, one, "--quiet");
    cr_expect(ne(ptr, strstr(r.err, "p_if = 16: no MAC plugin in accelerator.mac has 16 multipliers"), NULL),
              "%s", r.err);
    forget(&r);
}
