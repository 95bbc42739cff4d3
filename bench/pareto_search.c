/* bench/pareto_search.c: Codesign-NAS's search strategies against the exact Pareto front.
 *
 * For each of the paper's three experiments (the manifests examples/codesign-nas/
 * {unconstrained,latency-100ms,accuracy-area}.yaml: their weights, constraints, table,
 * skeleton, accelerator plugin and search plugin), runs the reinforce plugin's combined,
 * phase and separate strategies --trials times each (10 by default, trial t seeded t + 1),
 * --steps proposals each (see below), on the NAS-Bench-101 table's cells x
 * every configuration of the accelerator family. A proposal is told the pair's accuracy (the
 * table), latency and area (the plugin's model, looked up in a matrix computed once with its
 * fast path) and the experiment's reward (Eq. 3 and 4, normalized over the whole enumerated
 * space, exactly as `codebench pareto` ranks); a pair outside the constraints is reported
 * infeasible, which the plugin punishes. The exact front comes from core/pareto/enum.c.
 *
 * Printed per experiment and strategy, as means over the trials:
 *   - the reward curve: the best feasible reward found after n steps (0 before any);
 *   - gap: R* (the best reward of the whole space) minus the final best, and its spread;
 *   - dist: the distance of the best pair found to the exact front, in the space of the
 *     three normalized metrics (each mapped onto [0, 1] over the whole space); 0 on the front;
 *   - front: trials whose best pair lies on the front; opt: trials that found R*;
 *   - hits: distinct front pairs among the proposals.
 *
 *   bench_pareto_search [--trials N] [--steps N] [--jobs N] [--only combined,phase,separate]
 *                       [--only-experiments unconstrained,latency-100ms,accuracy-area]
 *                       [--experiments DIR] [--csv FILE]
 *
 * --steps defaults to 1,000, a tenth of the manifests' search.budget (the paper's 10,000;
 * --steps 0 runs that): the plugin's proposals grow costly as its policy concentrates on
 * pairs it has already proposed (it samples again, up to max_resample times), so 10 x 3 x 3
 * searches of 10,000 steps cost far more than ten times 1,000 (docs/codesign-nas.md). A count other than the budget
 * scales the plugin's phase and separate step counts with it (phase: 1000 CNN then 200
 * accelerator steps per 10,000; separate: 8,333 then 1,667), so that every strategy keeps its
 * shape.
 * --csv appends one line per experiment and strategy: the experiment, strategy, trials, then
 * the mean best reward after each step. Trials run in --jobs processes (default 2). The
 * plugins are loaded from $CODEBENCH_BUILD/plugins (default: the folder above the
 * executable's); the manifests are read from --experiments (default examples/codesign-nas,
 * run from the source tree), so their table and skeleton resolve against that folder. */
#include "host/host.h"
#include "manifest/manifest.h"
#include "pareto/cells.h"
#include "pareto/rank.h"
#include "plugin/bind.h"
#include "plugin/param.h"

#include <codebench/codebench.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define N_EXP 3
#define N_STRAT 3
#define MAX_JOBS 64

static const char *exp_files[N_EXP] = {"unconstrained.yaml", "latency-100ms.yaml", "accuracy-area.yaml"};
static const char *strategies[N_STRAT] = {"combined", "phase", "separate"};
static const int marks[] = {10, 100, 250, 500, 1000, 2000, 5000, 10000};
#define N_MARKS (int)(sizeof marks / sizeof *marks)

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void die(const char *fmt, const char *what)
{
    fprintf(stderr, "bench_pareto_search: ");
    fprintf(stderr, fmt, what);
    fprintf(stderr, "\n");
    exit(1);
}

/* ---- the world: cells, configurations, every pair's metrics and the exact front ---------- */

typedef struct world {
    cb_registry reg;
    cb_manifest m[N_EXP];
    cb_skeleton sk;
    cb_cellset cells;
    cb_instance inst;
    cb_host *host;
    cb_axis axes[CB_ACCEL_MAX];
    int n_axes;
    int64_t stride[CB_ACCEL_MAX]; /* configuration index = sum of value index x stride */
    double *configs;
    int64_t n_configs;
    double *lat, *area;           /* n_cells x n_configs seconds (NaN: cannot run); n_configs */
    float *embed;
    cb_enum_result r;             /* the exact front and the ranges that normalize the reward */
    int64_t *front_ids;           /* sorted, for membership */
} world;

static void load_experiments(world *w, const char *dir)
{
    char path[4096];
    for (int x = 0; x < N_EXP; x++) {
        snprintf(path, sizeof path, "%s/%s", dir, exp_files[x]);
        cb_diag d;
        if (cb_manifest_load(path, &w->reg, &w->m[x], &d) != CB_OK) {
            cb_diag_print(&d, stderr);
            exit(2);
        }
        const cb_manifest *m = &w->m[x];
        if (!m->cnn.table || !m->cnn.skeleton || !m->accel.plugin.entry || !m->search.ref.entry ||
            strcmp(m->search.ref.entry->plugin->name, "reinforce"))
            die("%s: needs cnn.table, cnn.skeleton, accelerator.plugin and search.plugin reinforce", path);
        if (x && (strcmp(m->cnn.table, w->m[0].cnn.table) || strcmp(m->cnn.skeleton, w->m[0].cnn.skeleton) ||
                  m->accel.plugin.entry != w->m[0].accel.plugin.entry))
            die("%s: the experiments must share the table, skeleton and accelerator plugin", path);
    }
}

static void load_sides(world *w)
{
    const cb_manifest *m = &w->m[0];
    char why[1024], *p = cb_manifest_resolve(m, m->cnn.skeleton);
    cb_diag d;
    if (cb_skeleton_load(p, &w->reg, &w->sk, &d) != CB_OK) {
        cb_diag_print(&d, stderr);
        exit(2);
    }
    free(p);
    p = cb_manifest_resolve(m, m->cnn.table);
    if (cb_cellset_table(&w->cells, p, 108, why, sizeof why) != CB_OK)
        die("%s", why);
    free(p);
    const cb_plugin_ref *r = &m->accel.plugin;
    cb_error e = {0};
    w->host = cb_host_new(r->entry->plugin->name);
    if (cb_plugin_create(r->entry->plugin, w->host, r->values, &w->inst, &e) != CB_OK)
        die("accelerator plugin: %s", e.msg);
    const cb_accel_vt *vt = r->entry->plugin->vtable;
    w->n_axes = vt->axes(w->inst.self, w->axes, CB_ACCEL_MAX);
    if (w->n_axes < 1 || w->n_axes > CB_ACCEL_MAX || !vt->prepare)
        die("%s: needs 1..16 axes and the fast path (prepare/table/latency)", r->entry->plugin->name);
    w->configs = cb_configs_all(w->axes, w->n_axes, &w->n_configs);
    for (int a = 0, s = 1; a < w->n_axes; s *= w->axes[a].n_values, a++) /* first axis fastest */
        w->stride[a] = s;
    /* reinforce reads no embedding, the search kit wants one: the cell's place in the table */
    w->embed = malloc((size_t)w->cells.n * sizeof *w->embed);
    for (int64_t i = 0; i < w->cells.n; i++)
        w->embed[i] = (float)i / (float)w->cells.n;
}

static cb_shape input_shape(const world *w)
{
    const cb_manifest *m = &w->m[0];
    return (cb_shape){1, (int32_t)m->cnn.input.channels, 1, (int32_t)m->cnn.input.height,
                      (int32_t)m->cnn.input.width};
}

/* Every pair's latency through the plugin's fast path: all cells prepared, then a table per
 * block of configurations. */
static void fill_matrix(world *w)
{
    const cb_accel_vt *vt = w->inst.plugin->vtable;
    cb_cnn_source src;
    cb_cellset_source(&w->cells, &w->sk, input_shape(w), &src);
    char why[1024];
    cb_error e = {0};
    int64_t n = w->cells.n, nc = w->n_configs;
    vt->forget(w->inst.self);
    int64_t *h = malloc((size_t)n * sizeof *h);
    for (int64_t i = 0; i < n; i++) {
        const cb_graph *g = src.graph(src.ctx, i, why, sizeof why);
        if (!g || (h[i] = vt->prepare(w->inst.self, g, &e)) < 0)
            die("a cell: %s", g ? e.msg : why);
    }
    void *table = malloc(vt->table_bytes(w->inst.self));
    w->lat = malloc((size_t)n * (size_t)nc * sizeof *w->lat);
    w->area = malloc((size_t)nc * sizeof *w->area);
    for (int64_t c0 = 0; c0 < nc; c0 += CB_ACCEL_BLOCK) {
        int lanes = (int)(nc - c0 < CB_ACCEL_BLOCK ? nc - c0 : CB_ACCEL_BLOCK);
        double lat[CB_ACCEL_BLOCK];
        if (vt->table(w->inst.self, w->configs + c0 * w->n_axes, w->n_axes, lanes, table, w->area + c0, &e))
            die("table: %s", e.msg);
        for (int64_t i = 0; i < n; i++) {
            vt->latency(w->inst.self, h[i], table, lat);
            memcpy(w->lat + i * nc + c0, lat, (size_t)lanes * sizeof *lat);
        }
    }
    free(table);
    free(h);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* The exact front by the same enumeration `codebench pareto` runs; checks that its points are
 * the matrix's pairs. */
static void exact_front(world *w, int threads)
{
    cb_cnn_source src;
    cb_cellset_source(&w->cells, &w->sk, input_shape(w), &src);
    cb_config_set cs = {w->inst.plugin->vtable, w->inst.self, w->n_axes, w->n_configs, w->configs};
    cb_enum_opts eo = {threads, 0, 0, 0};
    char why[1024];
    if (cb_enumerate(&src, &cs, &eo, &w->r, why, sizeof why) != CB_OK || w->r.dims != 3)
        die("enumeration: %s", why);
    w->front_ids = malloc(w->r.front.n * sizeof *w->front_ids);
    for (size_t i = 0; i < w->r.front.n; i++) {
        cb_pair_metrics pm = cb_front_point(&w->r, i, w->n_configs);
        if (pm.latency_s != w->lat[pm.cnn * w->n_configs + pm.config] || pm.area_mm2 != w->area[pm.config])
            die("%s", "the enumeration's front disagrees with the latency matrix");
        w->front_ids[i] = w->r.front.ids[i];
    }
    qsort(w->front_ids, w->r.front.n, sizeof *w->front_ids, cmp_i64);
}

static cb_reward reward_of(const cb_manifest *m)
{
    const cb_objective_weights *wt = &m->objective.weights;
    const cb_objective_constraints *c = &m->objective.constraints;
    return (cb_reward){wt->area, wt->latency, wt->accuracy,
                       isfinite(c->max_latency_ms) ? c->max_latency_ms * 1e-3 : INFINITY,
                       isfinite(c->max_area_mm2) ? c->max_area_mm2 : INFINITY, c->min_accuracy};
}

static cb_pair_metrics pair_metrics(const world *w, int64_t cnn, int64_t config)
{
    return (cb_pair_metrics){cnn, config, w->cells.accuracy[cnn], w->lat[cnn * w->n_configs + config],
                             w->area[config]};
}

/* A metric vector normalized onto [0, 1], 1 best, as the reward normalizes it. */
static void normalized(const world *w, const cb_pair_metrics *m, double *v)
{
    const double *lo = w->r.min, *hi = w->r.max;
    v[0] = (m->accuracy - lo[CB_OBJ_ACC]) / (hi[CB_OBJ_ACC] - lo[CB_OBJ_ACC]);
    v[1] = (hi[CB_OBJ_LAT] - m->latency_s) / (hi[CB_OBJ_LAT] - lo[CB_OBJ_LAT]);
    v[2] = (hi[CB_OBJ_AREA] - m->area_mm2) / (hi[CB_OBJ_AREA] - lo[CB_OBJ_AREA]);
}

static double front_distance(const world *w, const cb_pair_metrics *m)
{
    double a[3], best = INFINITY;
    normalized(w, m, a);
    for (size_t i = 0; i < w->r.front.n; i++) {
        cb_pair_metrics f = cb_front_point(&w->r, i, w->n_configs);
        double b[3], d = 0;
        normalized(w, &f, b);
        for (int k = 0; k < 3; k++)
            d += (a[k] - b[k]) * (a[k] - b[k]);
        best = d < best ? d : best;
    }
    return sqrt(best);
}

static int on_front(const world *w, int64_t id)
{
    return bsearch(&id, w->front_ids, w->r.front.n, sizeof id, cmp_i64) != NULL;
}

/* ---- one search ------------------------------------------------------------------------- */

/* The configuration index of a vector of axis values, or -1 when a value is off its axis. */
static int64_t config_of(const world *w, const double *v, int n)
{
    if (n != w->n_axes)
        return -1;
    int64_t c = 0;
    for (int a = 0; a < n; a++) {
        int k = 0;
        while (k < w->axes[a].n_values && w->axes[a].values[k] != v[a])
            k++;
        if (k == w->axes[a].n_values)
            return -1;
        c += k * w->stride[a];
    }
    return c;
}

static int valid_pair(void *ctx, const cb_pair *p)
{
    const world *w = ctx;
    int64_t c = config_of(w, p->accel, p->n_accel);
    return c >= 0 && p->cnn >= 0 && p->cnn < w->cells.n && !isnan(w->lat[p->cnn * w->n_configs + c]);
}

enum { R_BEST, R_DIST, R_ON_FRONT, R_OPT, R_HITS, R_SECONDS, R_CURVE }; /* a trial's record */

typedef struct experiment {
    int x;
    cb_reward rw;
    double optimum;   /* R*: the best feasible reward of the whole space */
    cb_space sp;
} experiment;

static void make_space(world *w, experiment *ex)
{
    cb_space *sp = &ex->sp;
    memset(sp, 0, sizeof *sp);
    sp->size = sizeof *sp;
    sp->n_cnn = w->cells.n;
    sp->dim_cnn = 1;
    sp->cnn_embed = w->embed;
    sp->n_axes = w->n_axes;
    sp->axes = w->axes;
    sp->ctx = w;
    sp->valid = valid_pair;
    sp->w_latency = ex->rw.w_lat;
    sp->w_area = ex->rw.w_area;
    sp->w_accuracy = ex->rw.w_acc;
}

static size_t param_index(const cb_plugin *pl, const char *name)
{
    int k = cb_param_index(pl->params, name);
    if (k < 0)
        die("reinforce has no parameter '%s'", name);
    return (size_t)k;
}

/* The experiment's search plugin with the manifest's values and this strategy. A run shorter
 * (or longer) than the manifest's budget scales the strategies' step counts with it, so that
 * phase still alternates and separate still hands over to the accelerator part. */
static void open_search(const world *w, const experiment *ex, int strategy, int steps, cb_instance *inst)
{
    const cb_manifest *m = &w->m[ex->x];
    const cb_plugin_ref *r = &m->search.ref;
    const cb_plugin *pl = r->entry->plugin;
    cb_value *vals = malloc((r->n_values + 1) * sizeof *vals);
    memcpy(vals, r->values, r->n_values * sizeof *vals);
    char why[256];
    size_t k = param_index(pl, "strategy");
    if (cb_param_parse(&pl->params[k], strategies[strategy], false, &vals[k], why, sizeof why))
        die("reinforce: no strategy '%s'", strategies[strategy]);
    static const char *const counts[] = {"phase_cnn_steps", "phase_hw_steps", "sep_cnn_steps", "sep_hw_steps"};
    for (int i = 0; i < 4 && steps != m->search.budget; i++) {
        k = param_index(pl, counts[i]);
        int64_t v = llround((double)vals[k].i * steps / (double)m->search.budget);
        vals[k].i = v > 0 ? v : 1;
    }
    cb_error e = {0};
    if (cb_plugin_create(pl, cb_host_new(pl->name), vals, inst, &e) != CB_OK)
        die("reinforce: %s", e.msg);
    free(vals);
    const cb_search_vt *vt = pl->vtable;
    if (vt->start(inst->self, &ex->sp, &e) != CB_OK)
        die("reinforce: %s", e.msg);
}

/* One trial: fills rec (R_CURVE + steps values). */
static void trial(world *w, const experiment *ex, int strategy, int seed, int steps, double *rec)
{
    cb_host_configure((uint64_t)seed, 1, CB_LOG_WARN);
    double t0 = now();
    cb_instance inst;
    open_search(w, ex, strategy, steps, &inst);
    const cb_search_vt *vt = inst.plugin->vtable;
    double best = -INFINITY;
    int64_t best_id = -1, hits = 0;
    int q = 0;
    for (; q < steps; q++) {
        cb_pair p;
        cb_error e = {0};
        int n = 0;
        if (vt->ask(inst.self, 1, &p, &n, &e) != CB_OK)
            die("reinforce: %s", e.msg);
        if (n == 0) /* separate has run its course */
            break;
        int64_t c = config_of(w, p.accel, p.n_accel);
        if (c < 0 || p.cnn < 0 || p.cnn >= w->cells.n)
            die("%s", "reinforce proposed a pair outside the space");
        cb_pair_metrics pm = pair_metrics(w, p.cnn, c);
        cb_metrics m;
        memset(&m, 0, sizeof m);
        m.size = sizeof m;
        m.accuracy = pm.accuracy;
        m.latency_s = pm.latency_s;
        m.area_mm2 = pm.area_mm2;
        m.throughput_fps = 1 / pm.latency_s;
        m.performance = cb_pair_reward(&w->r, &ex->rw, &pm);
        int feasible = cb_pair_feasible(&ex->rw, &pm);
        m.status = feasible ? CB_EVAL_OK : CB_EVAL_INFEASIBLE;
        if (vt->tell(inst.self, &p, &m, &e) != CB_OK)
            die("reinforce: %s", e.msg);
        int64_t id = p.cnn * w->n_configs + c;
        hits += on_front(w, id);
        if (feasible && m.performance > best)
            best = m.performance, best_id = id;
        rec[R_CURVE + q] = best_id >= 0 ? best : 0;
    }
    for (; q < steps; q++) /* a search that stopped keeps its best */
        rec[R_CURVE + q] = best_id >= 0 ? best : 0;
    rec[R_HITS] = (double)hits;
    if (best_id >= 0) {
        cb_pair_metrics pm = pair_metrics(w, best_id / w->n_configs, best_id % w->n_configs);
        rec[R_BEST] = best;
        rec[R_DIST] = front_distance(w, &pm);
        rec[R_ON_FRONT] = on_front(w, best_id);
        rec[R_OPT] = best >= ex->optimum;
    } else {
        rec[R_BEST] = 0, rec[R_DIST] = NAN, rec[R_ON_FRONT] = rec[R_OPT] = 0;
    }
    cb_host *h = inst.host;
    cb_instance_destroy(&inst);
    cb_host_free(h);
    rec[R_SECONDS] = now() - t0;
}

/* Every trial of one strategy over jobs processes; recs gets trials x (R_CURVE + steps). */
static void run_trials(world *w, const experiment *ex, int strategy, int trials, int steps, int jobs, double *recs)
{
    size_t len = (size_t)(R_CURVE + steps) * sizeof(double);
    int fds[MAX_JOBS][2];
    fflush(NULL); /* the children must not inherit unwritten output */
    for (int j = 0; j < jobs; j++) {
        if (pipe(fds[j]))
            die("%s", "pipe failed");
        if (fork() != 0) { /* the parent (a failed fork shows as a worker that sent nothing) */
            close(fds[j][1]);
            continue;
        }
        close(fds[j][0]);
        double *rec = malloc(len);
        for (int t = j; t < trials; t += jobs) {
            trial(w, ex, strategy, t + 1, steps, rec);
            for (size_t got = 0; got < len;) {
                ssize_t k = write(fds[j][1], (char *)rec + got, len - got);
                if (k <= 0)
                    _exit(1);
                got += (size_t)k;
            }
        }
        _exit(0);
    }
    for (int j = 0; j < jobs; j++) {
        for (int t = j; t < trials; t += jobs) {
            size_t got = 0;
            for (ssize_t k; got < len && (k = read(fds[j][0], (char *)(recs + (size_t)t * (len / sizeof(double))) + got,
                                                   len - got)) > 0;)
                got += (size_t)k;
            if (got != len)
                die("%s: a worker process failed", strategies[strategy]);
        }
        close(fds[j][0]);
    }
    while (wait(NULL) > 0)
        ;
}

/* ---- report ------------------------------------------------------------------------------ */

static void describe(const world *w, experiment *ex)
{
    const cb_reward *rw = &ex->rw;
    cb_ranked *rk = malloc((w->r.front.n + 1) * sizeof *rk);
    size_t n = cb_rank_front(&w->r, rw, w->n_configs, rk);
    ex->optimum = n ? rk[0].reward : NAN;
    printf("\n== %s: w(area, lat, acc) = (%g, %g, %g)", exp_files[ex->x], rw->w_area, rw->w_lat, rw->w_acc);
    if (isfinite(rw->max_lat_s))
        printf(", latency <= %g ms", rw->max_lat_s * 1e3);
    if (rw->min_acc > 0)
        printf(", accuracy >= %g", rw->min_acc);
    if (isfinite(rw->max_area_mm2))
        printf(", area <= %g mm^2", rw->max_area_mm2);
    printf("\n");
    if (n) {
        cb_pair_metrics m = cb_front_point(&w->r, rk[0].index, w->n_configs);
        printf("optimum R* = %.5f: cell %lld (accuracy %.4f), configuration %lld, %.3f ms, %.1f mm^2; "
               "%zu feasible front pairs\n", ex->optimum, (long long)m.cnn, m.accuracy, (long long)m.config,
               m.latency_s * 1e3, m.area_mm2, n);
    } else
        printf("no feasible pair\n");
    free(rk);
}

static void mean_sd(const double *recs, size_t stride, int trials, int k, double *mean, double *sd)
{
    double s = 0, s2 = 0;
    int n = 0;
    for (int t = 0; t < trials; t++) {
        double v = recs[(size_t)t * stride + (size_t)k];
        if (isnan(v))
            continue;
        s += v, s2 += v * v, n++;
    }
    *mean = n ? s / n : NAN;
    *sd = n > 1 ? sqrt(fmax(0, (s2 - s * s / n) / (n - 1))) : 0;
}

static void report_row(const experiment *ex, int strategy, const double *recs, int trials, int steps, FILE *csv)
{
    size_t stride = (size_t)(R_CURVE + steps);
    printf("%-9s", strategies[strategy]);
    for (int k = 0; k < N_MARKS && marks[k] <= steps; k++) {
        double m, sd;
        mean_sd(recs, stride, trials, R_CURVE + marks[k] - 1, &m, &sd);
        printf(" %7.4f", m);
    }
    double gap, gsd, dist, dsd, secs, ssd, hits, hsd, onf = 0, opt = 0;
    mean_sd(recs, stride, trials, R_BEST, &gap, &gsd);
    mean_sd(recs, stride, trials, R_DIST, &dist, &dsd);
    mean_sd(recs, stride, trials, R_HITS, &hits, &hsd);
    mean_sd(recs, stride, trials, R_SECONDS, &secs, &ssd);
    for (int t = 0; t < trials; t++)
        onf += recs[(size_t)t * stride + R_ON_FRONT], opt += recs[(size_t)t * stride + R_OPT];
    printf("  %.4f+-%.4f %7.4f %3.0f/%-2d %3.0f/%-2d %7.1f %7.1f\n", ex->optimum - gap, gsd, dist, onf, trials,
           opt, trials, hits, secs);
    if (csv) {
        fprintf(csv, "%s,%s,%d", exp_files[ex->x], strategies[strategy], trials);
        for (int q = 0; q < steps; q++) {
            double m, sd;
            mean_sd(recs, stride, trials, R_CURVE + q, &m, &sd);
            fprintf(csv, ",%.6f", m);
        }
        fprintf(csv, "\n");
    }
}

static void header(int steps)
{
    printf("best feasible reward after n steps (mean of the trials; 0 before any feasible pair), then the final\n"
           "gap to R* (mean+-sd), the best pair's distance to the front (normalized metrics), trials whose best\n"
           "pair is on the front / is optimal, distinct front pairs proposed, seconds per trial\n");
    printf("%-9s", "strategy");
    for (int k = 0; k < N_MARKS && marks[k] <= steps; k++)
        printf(" %7d", marks[k]);
    printf("  %-13s %7s %6s %6s %7s %7s\n", "gap", "dist", "front", "opt", "hits", "s/trial");
}

static void world_free(world *w)
{
    cb_enum_result_free(&w->r);
    free(w->front_ids);
    free(w->lat);
    free(w->area);
    free(w->embed);
    free(w->configs);
    if (w->inst.plugin)
        cb_instance_destroy(&w->inst);
    if (w->host)
        cb_host_free(w->host);
    cb_cellset_free(&w->cells);
    cb_skeleton_free(&w->sk);
    for (int x = 0; x < N_EXP; x++)
        cb_manifest_free(&w->m[x]);
    cb_registry_free(&w->reg);
    free(w);
}

/* ---- main ------------------------------------------------------------------------------- */

static void plugin_folder(char *out, size_t len)
{
    const char *build = getenv("CODEBENCH_BUILD");
    if (build) {
        snprintf(out, len, "%s/plugins", build);
        return;
    }
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        die("%s", "cannot find the executable (set CODEBENCH_BUILD)");
    exe[n] = '\0';
    *strrchr(exe, '/') = '\0'; /* BUILD/bench */
    *strrchr(exe, '/') = '\0'; /* BUILD */
    snprintf(out, len, "%s/plugins", exe);
}

static int selected(const char *only, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = only; p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
        if (!strncmp(p, name, n) && (p[n] == ',' || p[n] == '\0'))
            return 1;
    return only == NULL;
}

int main(int argc, char **argv)
{
    int trials = 10, steps = 1000, jobs = 2; /* steps 0: the manifests' search.budget */
    const char *only = NULL, *only_exp = NULL, *dir = "examples/codesign-nas", *csv_path = NULL;
    for (int i = 1; i < argc; i++) {
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(argv[i], "--trials") && next)
            trials = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--steps") && next)
            steps = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--jobs") && next)
            jobs = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--only") && next)
            only = argv[++i];
        else if (!strcmp(argv[i], "--only-experiments") && next)
            only_exp = argv[++i];
        else if (!strcmp(argv[i], "--experiments") && next)
            dir = argv[++i];
        else if (!strcmp(argv[i], "--csv") && next)
            csv_path = argv[++i];
        else {
            fprintf(stderr, "usage: %s [--trials N] [--steps N] [--jobs N] [--only combined,phase,separate]\n"
                            "       [--only-experiments unconstrained,latency-100ms,accuracy-area]\n"
                            "       [--experiments DIR] [--csv FILE]\n", argv[0]);
            return 2;
        }
    }
    if (trials < 1 || steps < 0 || jobs < 1 || jobs > MAX_JOBS) {
        fprintf(stderr, "bench_pareto_search: --trials, --steps and --jobs (at most %d) take positive numbers\n",
                MAX_JOBS);
        return 2;
    }
    world *w = calloc(1, sizeof *w);
    char plugins[4200];
    plugin_folder(plugins, sizeof plugins);
    cb_registry_init(&w->reg);
    cb_error e = {0};
    if (cb_registry_load_dir(&w->reg, plugins, &e) != CB_OK)
        die("%s", e.msg);
    cb_host_configure(1, jobs, CB_LOG_WARN);
    double t0 = now();
    load_experiments(w, dir);
    load_sides(w);
    fill_matrix(w);
    exact_front(w, jobs);
    int64_t budget = w->m[0].search.budget;
    for (int x = 1; x < N_EXP; x++)
        if (w->m[x].search.budget != budget)
            die("%s: the experiments must share search.budget", exp_files[x]);
    if (steps == 0)
        steps = (int)budget;
    printf("Codesign-NAS searches: %lld cells of the table x %lld configurations of %s = %lld pairs; exact front "
           "%zu pairs (%.1f s to build the matrix and the front)\n", (long long)w->cells.n, (long long)w->n_configs,
           w->inst.plugin->name, (long long)(w->cells.n * w->n_configs), w->r.front.n, now() - t0);
    printf("reinforce, %d trials x %d steps per strategy (seeds 1..%d), %d processes", trials, steps, trials, jobs);
    if (steps != budget)
        printf("; the manifests' budget is %lld: the phase and separate step counts are scaled by %g",
               (long long)budget, (double)steps / (double)budget);
    printf("\n");
    FILE *csv = csv_path ? fopen(csv_path, "a") : NULL;
    if (csv_path && !csv)
        die("cannot append to %s", csv_path);
    double *recs = malloc((size_t)trials * (size_t)(R_CURVE + steps) * sizeof *recs);
    for (int x = 0; x < N_EXP; x++) {
        char stem[64];
        snprintf(stem, sizeof stem, "%.*s", (int)(strlen(exp_files[x]) - 5), exp_files[x]);
        if (!selected(only_exp, stem))
            continue;
        experiment ex = {x, reward_of(&w->m[x]), 0, {0}};
        make_space(w, &ex);
        describe(w, &ex);
        if (isnan(ex.optimum))
            continue;
        header(steps);
        for (int s = 0; s < N_STRAT; s++) {
            if (!selected(only, strategies[s]))
                continue;
            run_trials(w, &ex, s, trials, steps, jobs, recs);
            report_row(&ex, s, recs, trials, steps, csv);
            fflush(stdout);
        }
    }
    if (csv)
        fclose(csv);
    free(recs);
    world_free(w);
    return 0;
}
