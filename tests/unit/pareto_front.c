/* tests/unit/pareto_front.c: the exact Pareto front of an enumeration against a brute-force
 * O(n^2) check: the per-configuration offering rule on random spaces full of ties, and the
 * whole enumeration (chunks of CNNs, blocks of configurations, two threads, merged fronts;
 * the plugin's fast path and evaluate() alike) through a small accelerator family written
 * here. */
#include "host/host.h"
#include "pareto/enum.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- brute force ------------------------------------------------------------------------- */

typedef struct pt {
    double v[3];
    int64_t id;
} pt;

static int dominates(const double *a, const double *b, int dims)
{
    int better = 0;
    for (int d = 0; d < dims; d++) {
        if (a[d] > b[d])
            return 0;
        better |= a[d] < b[d];
    }
    return better;
}

static int by_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* ids of the non-dominated points, sorted; returns how many */
static size_t brute_front(const pt *p, size_t n, int dims, int64_t *ids)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        int dominated = 0;
        for (size_t j = 0; j < n && !dominated; j++)
            dominated = dominates(p[j].v, p[i].v, dims);
        if (!dominated)
            ids[k++] = p[i].id;
    }
    qsort(ids, k, sizeof *ids, by_id);
    return k;
}

static void expect_front(const cb_front *f, const int64_t *want, size_t n_want)
{
    int64_t *got = malloc((f->n + 1) * sizeof *got);
    memcpy(got, f->ids, f->n * sizeof *got);
    qsort(got, f->n, sizeof *got, by_id);
    cr_expect(eq(sz, f->n, n_want), "front sizes");
    for (size_t i = 0; i < f->n && i < n_want; i++)
        cr_expect(eq(i64, got[i], want[i]), "front member %zu", i);
    free(got);
}

/* ---- a random space: metrics on small integer grids, so ties are everywhere --------------- */

enum { N_CNN = 40, N_CFG = 24 };

typedef struct space {
    double acc[N_CNN], area[N_CFG], lat[N_CFG][N_CNN];
} space;

static double grid(int levels)
{
    return (double)(rand() % levels + 1);
}

static void random_space(space *s, unsigned seed)
{
    srand(seed);
    for (int i = 0; i < N_CNN; i++)
        s->acc[i] = grid(6) / 10;
    for (int c = 0; c < N_CFG; c++) {
        s->area[c] = grid(5);
        for (int i = 0; i < N_CNN; i++)
            s->lat[c][i] = rand() % 17 == 0 ? NAN : grid(8);
    }
}

static size_t all_points(const space *s, int with_acc, pt *p)
{
    size_t n = 0;
    for (int c = 0; c < N_CFG; c++)
        for (int i = 0; i < N_CNN; i++) {
            if (isnan(s->lat[c][i]))
                continue;
            int d = 0;
            if (with_acc)
                p[n].v[d++] = -s->acc[i];
            p[n].v[d++] = s->lat[c][i];
            p[n].v[d++] = s->area[c];
            p[n++].id = (int64_t)i * N_CFG + c;
        }
    return n;
}

static const double *sort_key;

static int by_acc(const void *a, const void *b)
{
    double x = sort_key[*(const int64_t *)a], y = sort_key[*(const int64_t *)b];
    return x > y ? -1 : x < y;
}

Test(pareto_front, offering_rule_equals_brute_force)
{
    static space s;
    static pt p[N_CNN * N_CFG];
    static int64_t want[N_CNN * N_CFG];
    for (unsigned seed = 1; seed <= 60; seed++)
        for (int with_acc = 0; with_acc < 2; with_acc++) {
            random_space(&s, seed);
            int64_t order[N_CNN];
            for (int i = 0; i < N_CNN; i++)
                order[i] = i;
            sort_key = s.acc;
            if (with_acc)
                qsort(order, N_CNN, sizeof *order, by_acc);
            cb_front f;
            cb_front_init(&f, with_acc ? 3 : 2);
            for (int c = 0; c < N_CFG; c++)
                cb_offer_config(&f, with_acc ? s.acc : NULL, order, s.lat[c], 1, N_CNN, 0, s.area[c],
                                c, N_CFG);
            size_t n = brute_front(p, all_points(&s, with_acc, p), with_acc ? 3 : 2, want);
            expect_front(&f, want, n);
            cb_front_free(&f);
        }
}

/* ---- a small accelerator family with the fast path, over the same random space ------------ */

static space fam;

static const double ax_a[] = {1, 2, 3, 4, 6, 8}, ax_b[] = {10, 20, 30, 40}; /* 24 configurations */

static int fam_config(const double *v)
{
    int a = 0, b = 0;
    while (ax_a[a] != v[0])
        a++;
    while (ax_b[b] != v[1])
        b++;
    return a + 6 * b; /* the first axis varies fastest, as cb_configs_all lists them */
}

static int fam_axes(void *self, cb_axis *out, int max)
{
    out[0] = (cb_axis){"a", 6, ax_a};
    out[1] = (cb_axis){"b", 4, ax_b};
    return 2;
}

typedef struct famtab {
    int lanes, config[CB_ACCEL_BLOCK];
} famtab;

static int64_t prepared[N_CNN], n_prepared;

static int64_t fam_prepare(void *self, const cb_graph *g, cb_error *e)
{
    prepared[n_prepared] = g->classes; /* the source puts the CNN's index there */
    return n_prepared++;
}

static void fam_forget(void *self)
{
    n_prepared = 0;
}

static size_t fam_table_bytes(void *self)
{
    return sizeof(famtab);
}

static int fam_table(void *self, const double *configs, int n_config, int n, void *table,
                     double *area, cb_error *e)
{
    famtab *t = table;
    t->lanes = n;
    for (int l = 0; l < n; l++) {
        t->config[l] = fam_config(configs + l * n_config);
        area[l] = fam.area[t->config[l]];
    }
    return CB_OK;
}

static void fam_latency(void *self, int64_t h, const void *table, double *lat)
{
    const famtab *t = table;
    for (int l = 0; l < t->lanes; l++)
        lat[l] = fam.lat[t->config[l]][prepared[h]];
}

static int fam_evaluate(void *self, const cb_graph *g, const double *config, int n, cb_accel_result *r,
                        cb_error *e)
{
    int c = fam_config(config);
    memset(r, 0, sizeof *r);
    r->latency_s = fam.lat[c][g->classes];
    r->valid = !isnan(r->latency_s);
    r->area_mm2 = fam.area[c];
    return CB_OK;
}

static const cb_accel_vt fam_fast = {sizeof(cb_accel_vt), fam_axes, fam_evaluate, fam_prepare,
                                     fam_forget, fam_table_bytes, fam_table, fam_latency};
/* the same family as a plugin built before the fast path existed */
static const cb_accel_vt fam_slow = {offsetof(cb_accel_vt, prepare), fam_axes, fam_evaluate,
                                     NULL, NULL, NULL, NULL, NULL};

static cb_graph one_graph;

static const cb_graph *fam_graph(void *ctx, int64_t i, char *why, size_t len)
{
    one_graph.classes = (int32_t)i;
    return &one_graph;
}

static void enumerate_and_check(const cb_accel_vt *vt, int with_acc, int threads, int64_t chunk)
{
    static pt p[N_CNN * N_CFG];
    static int64_t want[N_CNN * N_CFG];
    cb_axis axes[2];
    fam_axes(NULL, axes, 2);
    int64_t n_cfg;
    double *configs = cb_configs_all(axes, 2, &n_cfg);
    cr_assert(eq(i64, n_cfg, N_CFG));
    cb_cnn_source src = {N_CNN, with_acc ? fam.acc : NULL, fam_graph, NULL};
    cb_config_set cs = {vt, NULL, 2, n_cfg, configs};
    cb_enum_opts o = {threads, chunk, 0, 0};
    cb_enum_result r;
    char why[256];
    cr_assert(eq(int, cb_enumerate(&src, &cs, &o, &r, why, sizeof why), CB_OK), "%s", why);
    cr_expect(eq(int, r.fast, vt == &fam_fast));
    size_t n_pts = all_points(&fam, with_acc, p), n = brute_front(p, n_pts, with_acc ? 3 : 2, want);
    expect_front(&r.front, want, n);
    cr_expect(eq(u64, r.pairs, (uint64_t)N_CNN * N_CFG));
    cr_expect(eq(u64, r.invalid, (uint64_t)(N_CNN * N_CFG) - n_pts));
    cb_enum_result_free(&r);
    free(configs);
}

Test(pareto_front, enumeration_equals_brute_force)
{
    cb_host_configure(0, 2, CB_LOG_WARN);
    for (unsigned seed = 1; seed <= 12; seed++) {
        random_space(&fam, 100 + seed);
        for (int with_acc = 0; with_acc < 2; with_acc++) {
            enumerate_and_check(&fam_fast, with_acc, 2, 7); /* 6 chunks, 3 blocks of 8 */
            enumerate_and_check(&fam_fast, with_acc, 1, 0);
            enumerate_and_check(&fam_slow, with_acc, 1, 0);
        }
    }
}
