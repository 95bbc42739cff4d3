/* bench/search_nb201.c: the search strategies on the NAS-Bench-201 CIFAR-10 table.
 *
 * Runs repeated searches of `queries` evaluations each (a table lookup of the test accuracy)
 * with random, bananas, boshnas, its two ablations (first-order GOBI; no heteroscedastic NPN)
 * and reinforce, and prints the mean regret curve (best accuracy in the table minus the best
 * found so far, percentage points); then the time of one active-learning step (fit + proposal)
 * at corpus sizes 50, 200 and 1000 for boshnas and bananas.
 *
 * The space: 15,625 cells, each 6 edges choosing one of 5 ops. Decisions: the 6 edge ops.
 * Features (for BANANAS): the path encoding, one bit per op sequence of an input-to-output path
 * without a "none" edge (4 + 16 + 64 = 84 bits). The embedding (what BOSHNAS's surrogate reads
 * and GOBI moves in) is chosen with --embed:
 *   onehot   the one-hot code of the 6 edge ops (30-d);
 *   path     the path encoding (84-d; the default: the best of the three for BOSHNAS here);
 *   cnn2vec  a 16-d CNN2vec table (core/graph/cnn2vec.h) fitted to the edit distance between
 *            the pruned cells: an edge that lies on no input-to-output path of live edges is
 *            "none" (it computes nothing), and the distance counts the edges whose op differs
 *            (substitution, insertion and deletion of an edge each cost 1), so cells that
 *            compute the same function sit at distance 0.
 *
 *   bench_search_nb201 [--trials N] [--queries N] [--jobs N] [--data FILE] [--only NAME,...]
 *                      [--embed onehot|path|cnn2vec] [--csv FILE] [--no-timing]
 *
 * --only runs the listed methods (labels as printed); --csv appends one line per method (label,
 * trials, then the mean regret after each query) for bench/search_plot.sh, which draws them. A
 * BOSHNAS row's label names its embedding when it is not the one-hot code (boshnas/path).
 *
 * Trials run in --jobs processes (default 2, the machine's cores); each trial's seed is its
 * number, so the figures do not depend on the split. Timings run alone, after the curves.
 * The plugins are loaded from $CODEBENCH_BUILD/plugins/search (default: the folder above the
 * executable). The data file defaults to $CODEBENCH_NB201, else
 * /work/shared/data/nas/nb201-cifar10.json. */
#include "graph/cnn2vec.h"
#include "host/host.h"

#include <codebench/codebench.h>
#include <dlfcn.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define N_EDGES 6
#define N_OPS 5
#define N_FEAT 84

static double now(void);

static const char *op_names[N_OPS] = {"none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"};

typedef struct table {
    int64_t n;
    int32_t *dec, *pruned; /* the 6 edge ops; the same with dead edges "none" */
    float *embed, *feat, *c2v; /* one-hot (30), path (84), CNN2vec (16, when fitted) */
    double *acc; /* percent */
    double best;
} table;

/* ---- the table ---------------------------------------------------------------------------- */

/* "|op~0|+|op~0|op~1|+|op~0|op~1|op~2|" -> the 6 edge ops in string order
 * (e01, e02, e12, e03, e13, e23). */
static int parse_arch(const char *s, int32_t *dec)
{
    int k = 0;
    for (const char *p = s; *p && k < N_EDGES; p++) {
        if (*p != '|' || p[1] == '+' || p[1] == '\0')
            continue;
        int found = -1;
        for (int o = 0; o < N_OPS; o++) {
            size_t len = strlen(op_names[o]);
            if (!strncmp(p + 1, op_names[o], len) && p[1 + len] == '~')
                found = o;
        }
        if (found < 0)
            return -1;
        dec[k++] = found;
    }
    return k == N_EDGES ? 0 : -1;
}

/* Path encoding: paths 0-3, 0-1-3, 0-2-3, 0-1-2-3 as edge lists; a path without "none" sets
 * the bit of its op sequence (ops 1..4 as digits 0..3) in the block of its length. */
static void path_features(const int32_t *d, float *f)
{
    static const int paths[4][3] = {{3, -1, -1}, {0, 4, -1}, {1, 5, -1}, {0, 2, 5}};
    static const int block[4] = {0, 4, 20, 84};
    memset(f, 0, N_FEAT * sizeof *f);
    for (int p = 0; p < 4; p++) {
        int code = 0, len = 0, ok = 1;
        for (int j = 0; j < 3 && paths[p][j] >= 0; j++, len++) {
            int op = d[paths[p][j]];
            ok &= op != 0;
            code = code * 4 + (op - 1);
        }
        if (ok)
            f[block[len - 1] + code] = 1;
    }
}

/* The ops with every dead edge set to "none": an edge is live when its source is reachable
 * from the input and the output from its destination, over edges that are not "none". */
static void prune(const int32_t *d, int32_t *out)
{
    static const int src[N_EDGES] = {0, 0, 1, 0, 1, 2}, dst[N_EDGES] = {1, 2, 2, 3, 3, 3};
    int from[4] = {1, 0, 0, 0}, to[4] = {0, 0, 0, 1};
    for (int e = 0; e < N_EDGES; e++) /* edges in order of their destination */
        from[dst[e]] |= from[src[e]] && d[e];
    for (int e = N_EDGES - 1; e >= 0; e--) /* and in reverse, of their source */
        to[src[e]] |= to[dst[e]] && d[e];
    for (int e = 0; e < N_EDGES; e++)
        out[e] = d[e] && from[src[e]] && to[dst[e]] ? d[e] : 0;
}

static double pruned_dist(void *ctx, size_t i, size_t j)
{
    const table *t = ctx;
    int n = 0;
    for (int e = 0; e < N_EDGES; e++)
        n += t->pruned[i * N_EDGES + e] != t->pruned[j * N_EDGES + e];
    return n;
}

/* Fits the CNN2vec table to the pruned edit distance (the core's defaults: 16-d, 64 partners
 * per cell, 30 epochs) and prints the fit's figures. */
static void fit_cnn2vec(table *t)
{
    cb_cnn2vec_opts o;
    cb_cnn2vec_defaults(&o);
    cb_cnn2vec_report rep;
    t->c2v = calloc((size_t)t->n * (size_t)o.dim, sizeof *t->c2v);
    double t0 = now();
    if (cb_cnn2vec_fit((size_t)t->n, pruned_dist, t, &o, t->c2v, &rep)) {
        fprintf(stderr, "bench_search_nb201: the CNN2vec fit failed\n");
        exit(1);
    }
    double rho = cb_cnn2vec_spearman((size_t)t->n, pruned_dist, t, t->c2v, o.dim, 20000, 7);
    size_t distinct = 0;
    for (int64_t i = 0; i < t->n; i++) { /* cells that are their own pruned form */
        int same = 1;
        for (int e = 0; e < N_EDGES; e++)
            same &= t->pruned[i * N_EDGES + e] == t->dec[i * N_EDGES + e];
        distinct += (size_t)same;
    }
    printf("CNN2vec: %d-d, %zu pairs, mean pruned edit distance %.3f, rmse %.3f, Spearman rho %.3f, "
           "%.1f CPU s; %zu of %lld cells have no dead edge\n",
           o.dim, rep.pairs, rep.mean_dist, rep.rmse, rho, now() - t0, distinct, (long long)t->n);
}

static int load_table(const char *path, table *t)
{
    json_error_t err;
    json_t *root = json_load_file(path, 0, &err);
    if (!root) {
        fprintf(stderr, "bench_search_nb201: %s:%d: %s\n", path, err.line, err.text);
        return -1;
    }
    json_t *archs = json_object_get(root, "archs"), *accs = json_object_get(root, "accuracies");
    if (!json_is_array(archs) || !json_is_array(accs) || json_array_size(archs) != json_array_size(accs)) {
        fprintf(stderr, "bench_search_nb201: %s: no \"archs\" and \"accuracies\" arrays of one length\n", path);
        json_decref(root);
        return -1;
    }
    t->n = (int64_t)json_array_size(archs);
    t->dec = calloc((size_t)t->n * N_EDGES, sizeof *t->dec);
    t->pruned = calloc((size_t)t->n * N_EDGES, sizeof *t->pruned);
    t->c2v = NULL; /* fitted on demand */
    t->embed = calloc((size_t)t->n * N_EDGES * N_OPS, sizeof *t->embed);
    t->feat = calloc((size_t)t->n * N_FEAT, sizeof *t->feat);
    t->acc = calloc((size_t)t->n, sizeof *t->acc);
    t->best = 0;
    for (int64_t i = 0; i < t->n; i++) {
        const char *s = json_string_value(json_array_get(archs, (size_t)i));
        if (!s || parse_arch(s, t->dec + i * N_EDGES)) {
            fprintf(stderr, "bench_search_nb201: %s: arch %lld is not a cell string\n", path, (long long)i);
            json_decref(root);
            return -1;
        }
        for (int e = 0; e < N_EDGES; e++)
            t->embed[i * N_EDGES * N_OPS + e * N_OPS + t->dec[i * N_EDGES + e]] = 1;
        path_features(t->dec + i * N_EDGES, t->feat + i * N_FEAT);
        prune(t->dec + i * N_EDGES, t->pruned + i * N_EDGES);
        t->acc[i] = json_number_value(json_array_get(accs, (size_t)i));
        t->best = fmax(t->best, t->acc[i]);
    }
    json_decref(root);
    return 0;
}

enum { EMBED_ONEHOT, EMBED_PATH, EMBED_CNN2VEC };

static void make_space(const table *t, int embed, cb_space *sp)
{
    static int32_t card[N_EDGES] = {N_OPS, N_OPS, N_OPS, N_OPS, N_OPS, N_OPS};
    memset(sp, 0, sizeof *sp);
    sp->size = sizeof *sp;
    sp->n_cnn = t->n;
    sp->dim_cnn = embed == EMBED_PATH ? N_FEAT : embed == EMBED_CNN2VEC ? CB_CNN2VEC_DIM : N_EDGES * N_OPS;
    sp->cnn_embed = embed == EMBED_PATH ? t->feat : embed == EMBED_CNN2VEC ? t->c2v : t->embed;
    sp->w_accuracy = 1;
    sp->n_dec = N_EDGES;
    sp->dec_card = card;
    sp->cnn_dec = t->dec;
    sp->dim_feat = N_FEAT;
    sp->cnn_feat = t->feat;
}

/* ---- the methods -------------------------------------------------------------------------- */

typedef struct method {
    const char *label, *file, *name;
    int first_order, no_hetero;
} method;

static const method methods[] = {
    {"random", "random", "random", 0, 0},
    {"bananas", "bananas", "bananas", 0, 0},
    {"boshnas", "bosh", "boshnas", 0, 0},
    {"boshnas-first-order", "bosh", "boshnas", 1, 0},
    {"boshnas-no-hetero", "bosh", "boshnas", 0, 1},
    {"reinforce", "reinforce", "reinforce", 0, 0},
};
#define N_METHODS (int)(sizeof methods / sizeof *methods)

static char plugin_dir[4096];

static const cb_plugin *find_plugin(const char *file, const char *name)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s.so", plugin_dir, file);
    void *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!dl) {
        fprintf(stderr, "bench_search_nb201: %s\n", dlerror());
        exit(1);
    }
    const cb_pack *pack = ((cb_entry_fn)(uintptr_t)dlsym(dl, CB_ENTRY))();
    for (const cb_plugin *const *p = pack->plugins; *p; p++)
        if ((*p)->kind == CB_KIND_SEARCH && !strcmp((*p)->name, name))
            return *p;
    fprintf(stderr, "bench_search_nb201: no search plugin %s in %s\n", name, path);
    exit(1);
}

typedef int (*random_fn)(const cb_host *, cb_error *, void **, int64_t);
typedef int (*bananas_fn)(const cb_host *, cb_error *, void **, int64_t, int64_t, int64_t, int64_t, int64_t,
                          int64_t, double, int64_t, int64_t, int);
typedef int (*boshnas_fn)(const cb_host *, cb_error *, void **, int64_t, double, double, double, double,
                          int64_t, int64_t, double, double, int64_t, int64_t, int64_t, int64_t, int, int);
typedef int (*reinforce_fn)(const cb_host *, cb_error *, void **, int, int64_t, double, double, double,
                            int64_t, int64_t, int64_t, int64_t, int64_t);

/* Each plugin with its defaults (boshnas never stops early here: patience 0), except n_init
 * and, for timing, per_round 1 and no random or uncertainty draws. */
static int create(const method *m, const cb_plugin *pl, cb_host *h, void **self, int64_t n_init, int timing)
{
    cb_error e;
    memset(&e, 0, sizeof e);
    int rc;
    if (!strcmp(m->name, "random"))
        rc = ((random_fn)pl->create)(h, &e, self, 1000);
    else if (!strcmp(m->name, "bananas"))
        rc = ((bananas_fn)pl->create)(h, &e, self, n_init, timing ? 1 : 10, 5, 10, 20, 150, 0.01, 100, 5, 0);
    else if (!strcmp(m->name, "boshnas"))
        rc = ((boshnas_fn)pl->create)(h, &e, self, n_init, 0.5, 0.5, timing ? 0 : 0.1, timing ? 0 : 0.1, 4, 100,
                                      0.1, 1e-4, 0, 60, 10, 20000, m->first_order, m->no_hetero);
    else
        rc = ((reinforce_fn)pl->create)(h, &e, self, 0, 32, 0.01, 0.9, 1, 1000, 200, 8333, 1667, 200);
    if (rc)
        fprintf(stderr, "bench_search_nb201: %s: %s\n", m->label, e.msg);
    return rc;
}

typedef struct inst {
    const cb_plugin *pl;
    const cb_search_vt *vt;
    cb_host *h;
    void *self;
} inst;

static int open_inst(const method *m, const cb_space *sp, int64_t n_init, int timing, inst *in)
{
    cb_error e;
    memset(&e, 0, sizeof e);
    in->pl = find_plugin(m->file, m->name);
    in->vt = in->pl->vtable;
    in->h = cb_host_new(m->name);
    if (create(m, in->pl, in->h, &in->self, n_init, timing))
        return -1;
    if (in->vt->start(in->self, sp, &e)) {
        fprintf(stderr, "bench_search_nb201: %s: %s\n", m->label, e.msg);
        return -1;
    }
    return 0;
}

static void close_inst(inst *in)
{
    in->pl->destroy(in->self);
    cb_host_free(in->h);
}

/* One proposal told back; returns its accuracy (percent), or -1 when the search stopped. */
static double step(inst *in, const table *t)
{
    cb_pair p;
    cb_error e;
    int n = 0;
    if (in->vt->ask(in->self, 1, &p, &n, &e) || n != 1)
        return -1;
    cb_metrics m;
    memset(&m, 0, sizeof m);
    m.size = sizeof m;
    m.status = CB_EVAL_OK;
    m.accuracy = m.performance = t->acc[p.cnn] / 100;
    in->vt->tell(in->self, &p, &m, &e);
    return t->acc[p.cnn];
}

/* CPU seconds of this process (all its threads): on a machine shared with other jobs, wall
 * time measures the neighbours as much as the search. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ---- regret curves ------------------------------------------------------------------------ */

static const int marks[] = {10, 25, 50, 75, 100, 125, 150, 200, 300};

/* Trials first, first + stride, ... of method m; adds each query's regret / trials into
 * regret, the squares of the final regrets into *sq, and returns the seconds they took. */
static double trials_of(const method *m, const table *t, const cb_space *sp, int first, int stride,
                        int trials, int queries, double *regret, double *sq)
{
    double t0 = now();
    for (int trial = first; trial < trials; trial += stride) {
        cb_host_configure((uint64_t)trial + 1, 1, CB_LOG_WARN); /* the trial's seed */
        inst in;
        if (open_inst(m, sp, 10, 0, &in))
            exit(1);
        double best = 0;
        for (int q = 0; q < queries; q++) {
            best = fmax(best, step(&in, t));
            regret[q] += (t->best - best) / trials;
        }
        *sq += (t->best - best) * (t->best - best);
        close_inst(&in);
    }
    return now() - t0;
}

/* The trials split over jobs processes (the machine's cores); returns the seconds per trial
 * (each trial timed in its own process) and *se, the standard error of the final regret. */
static double run_method(const method *m, const table *t, const cb_space *sp, int trials, int queries,
                         int jobs, double *regret, double *se)
{
    size_t len = ((size_t)queries + 2) * sizeof(double);
    double *part = malloc(len), secs = 0, sq = 0;
    int fds[64][2];
    memset(regret, 0, (size_t)queries * sizeof *regret);
    for (int j = 0; j < jobs; j++) {
        if (pipe(fds[j])) {
            perror("bench_search_nb201: pipe");
            exit(1);
        }
        if (fork() != 0) { /* the parent (a failed fork shows as a worker that sent nothing) */
            close(fds[j][1]);
            continue;
        }
        close(fds[j][0]);
        memset(part, 0, len);
        part[queries] = trials_of(m, t, sp, j, jobs, trials, queries, part, &part[queries + 1]);
        ssize_t w = write(fds[j][1], part, len);
        _exit(w == (ssize_t)len ? 0 : 1);
    }
    for (int j = 0; j < jobs; j++) {
        size_t got = 0;
        for (ssize_t r; got < len && (r = read(fds[j][0], (char *)part + got, len - got)) > 0;)
            got += (size_t)r;
        close(fds[j][0]);
        if (got != len) {
            fprintf(stderr, "bench_search_nb201: %s: a worker process failed\n", m->label);
            exit(1);
        }
        for (int q = 0; q < queries; q++)
            regret[q] += part[q];
        secs += part[queries];
        sq += part[queries + 1];
    }
    while (wait(NULL) > 0)
        ;
    free(part);
    double mean = regret[queries - 1], var = trials > 1 ? (sq / trials - mean * mean) * trials / (trials - 1) : 0;
    *se = sqrt(var > 0 ? var / trials : 0);
    return secs / trials;
}

/* 1 when label is in the comma-separated list only (every label when only is NULL). */
static int selected(const char *only, const char *label)
{
    size_t n = strlen(label);
    for (const char *p = only; p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
        if (!strncmp(p, label, n) && (p[n] == ',' || p[n] == '\0'))
            return 1;
    return only == NULL;
}

static const char *embed_tag[] = {"", "/path", "/cnn2vec"};

static void curves(const table *t, const cb_space *sp, int embed, int trials, int queries, int jobs,
                   const char *only, const char *csv)
{
    printf("NAS-Bench-201 CIFAR-10: %lld cells, best test accuracy %.2f%%; %d trials of %d queries\n",
           (long long)t->n, t->best, trials, queries);
    printf("mean regret (percentage points of test accuracy) after n queries, the standard error of\n"
           "the last, and CPU seconds per trial\n");
    printf("%-22s", "method");
    for (size_t k = 0; k < sizeof marks / sizeof *marks && marks[k] <= queries; k++)
        printf(" %7d", marks[k]);
    printf(" %7s %9s\n", "+-", "cpu-s/tr");
    double *regret = malloc((size_t)queries * sizeof *regret);
    for (int mi = 0; mi < N_METHODS; mi++) {
        const method *m = &methods[mi];
        if (!selected(only, m->label))
            continue;
        double se, secs = run_method(m, t, sp, trials, queries, jobs, regret, &se);
        char label[64];
        snprintf(label, sizeof label, "%s%s", m->label, !strcmp(m->file, "bosh") ? embed_tag[embed] : "");
        printf("%-22s", label);
        for (size_t k = 0; k < sizeof marks / sizeof *marks && marks[k] <= queries; k++)
            printf(" %7.3f", regret[marks[k] - 1]);
        printf(" %7.3f %9.1f\n", se, secs);
        fflush(stdout);
        FILE *f = csv ? fopen(csv, "a") : NULL;
        if (csv && !f)
            fprintf(stderr, "bench_search_nb201: cannot append to %s\n", csv);
        if (f) {
            fprintf(f, "%s,%d", label, trials);
            for (int q = 0; q < queries; q++)
                fprintf(f, ",%.4f", regret[q]);
            fprintf(f, "\n");
            fclose(f);
        }
    }
    free(regret);
}

/* ---- time per active-learning step -------------------------------------------------------- */

static void timing(const table *t, const cb_space *sp, int embed, const char *only)
{
    static const int sizes[] = {50, 200, 1000};
    printf("\nCPU seconds per active-learning step (surrogate fit + proposal), mean of 3 steps\n");
    printf("%-22s %9s %9s %9s\n", "method", "50", "200", "1000");
    for (int mi = 1; mi < 3; mi++) { /* bananas (one round per step), boshnas (a GOBI step) */
        const method *m = &methods[mi];
        if (!selected(only, m->label))
            continue;
        char label[64];
        snprintf(label, sizeof label, "%s%s", m->label, !strcmp(m->file, "bosh") ? embed_tag[embed] : "");
        printf("%-22s", label);
        for (int s = 0; s < 3; s++) {
            cb_host_configure(1, 1, CB_LOG_WARN);
            inst in;
            if (open_inst(m, sp, sizes[s], 1, &in))
                exit(1);
            for (int q = 0; q < sizes[s]; q++) /* the random corpus */
                step(&in, t);
            double t0 = now();
            for (int q = 0; q < 3; q++)
                step(&in, t);
            printf(" %9.3f", (now() - t0) / 3);
            fflush(stdout);
            close_inst(&in);
        }
        printf("\n");
    }
}

int main(int argc, char **argv)
{
    int trials = 10, queries = 150, do_timing = 1, jobs = 2;
    const char *data = getenv("CODEBENCH_NB201"), *only = NULL, *csv = NULL;
    int embed = EMBED_PATH;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--trials") && i + 1 < argc)
            trials = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--queries") && i + 1 < argc)
            queries = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--data") && i + 1 < argc)
            data = argv[++i];
        else if (!strcmp(argv[i], "--only") && i + 1 < argc)
            only = argv[++i];
        else if (!strcmp(argv[i], "--jobs") && i + 1 < argc)
            jobs = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--embed") && i + 1 < argc && !strcmp(argv[i + 1], "onehot"))
            embed = EMBED_ONEHOT, i++;
        else if (!strcmp(argv[i], "--embed") && i + 1 < argc && !strcmp(argv[i + 1], "path"))
            embed = EMBED_PATH, i++;
        else if (!strcmp(argv[i], "--embed") && i + 1 < argc && !strcmp(argv[i + 1], "cnn2vec"))
            embed = EMBED_CNN2VEC, i++;
        else if (!strcmp(argv[i], "--csv") && i + 1 < argc)
            csv = argv[++i];
        else if (!strcmp(argv[i], "--no-timing"))
            do_timing = 0;
        else {
            fprintf(stderr, "usage: %s [--trials N] [--queries N] [--jobs N] [--data FILE] [--only NAME,...]\n"
                            "       [--embed onehot|path|cnn2vec] [--csv FILE] [--no-timing]\n",
                    argv[0]);
            return 2;
        }
    }
    if (trials < 1 || queries < 1 || jobs < 1 || jobs > 64) {
        fprintf(stderr, "bench_search_nb201: --trials, --queries and --jobs (at most 64) take positive numbers\n");
        return 2;
    }
    const char *build = getenv("CODEBENCH_BUILD");
    if (build && *build)
        snprintf(plugin_dir, sizeof plugin_dir, "%s/plugins/search", build);
    else
        snprintf(plugin_dir, sizeof plugin_dir, "%.*s/../plugins/search",
                 (int)(strrchr(argv[0], '/') ? strrchr(argv[0], '/') - argv[0] : 1), strrchr(argv[0], '/') ? argv[0] : ".");
    table t;
    if (load_table(data ? data : "/work/shared/data/nas/nb201-cifar10.json", &t))
        return 1;
    static const char *embed_names[] = {"one-hot edge ops (30-d)", "path encoding (84-d)",
                                        "CNN2vec of the pruned edit distance (16-d)"};
    printf("embedding of a cell: %s\n", embed_names[embed]);
    if (embed == EMBED_CNN2VEC) {
        cb_host_configure(1, 2, CB_LOG_WARN); /* the fit's seed and threads */
        fit_cnn2vec(&t);
        cb_host_configure(1, 1, CB_LOG_WARN); /* no pool threads across the fork of the trials */
    }
    cb_space sp;
    make_space(&t, embed, &sp);
    fflush(stdout); /* before the workers fork */
    curves(&t, &sp, embed, trials, queries, jobs, only, csv);
    if (do_timing)
        timing(&t, &sp, embed, only);
    free(t.dec), free(t.pruned), free(t.embed), free(t.feat), free(t.c2v), free(t.acc);
    return 0;
}
