/* core/pareto/enum.c: the exhaustive enumeration (see enum.h). */
#include "pareto/enum.h"
#include "host/host.h"
#include "host/pool.h"
#include "util/util.h"

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define L CB_ACCEL_BLOCK
#define DEFAULT_CHUNK 8192
#define FALLBACK_CHUNK 64

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

uint64_t cb_offer_config(cb_front *f, const double *acc, const int64_t *order, const double *lat,
                         size_t stride, int64_t n, int64_t first, double area, int64_t config,
                         int64_t n_configs)
{
    double best = INFINITY, pt[3];
    uint64_t offered = 0;
    for (int64_t k = 0; k < n; k++) {
        int64_t j = order[k];
        double l = lat[(size_t)j * stride];
        if (isnan(l) || l > best)
            continue; /* a more accurate pair of this configuration is faster */
        best = l;
        int d = 0;
        if (acc)
            pt[d++] = -acc[j];
        pt[d++] = l;
        pt[d++] = area;
        cb_front_add(f, pt, (first + j) * n_configs + config);
        offered++;
    }
    return offered;
}

double *cb_configs_all(const cb_axis *axes, int n_axes, int64_t *n)
{
    int64_t total = 1;
    for (int a = 0; a < n_axes; a++)
        total *= axes[a].n_values;
    double *v = cb_xmalloc((size_t)(total > 0 ? total : 1) * (size_t)n_axes * sizeof *v);
    for (int64_t c = 0; c < total; c++) {
        int64_t rest = c;
        for (int a = 0; a < n_axes; a++) { /* the first axis varies fastest */
            v[c * n_axes + a] = axes[a].values[rest % axes[a].n_values];
            rest /= axes[a].n_values;
        }
    }
    *n = total;
    return v;
}

/* ---- per-thread state and the work of one chunk ------------------------------------------- */

typedef struct tstate {
    void *table;
    double *lat;              /* chunk x L */
    cb_front front;
    double min[CB_N_OBJ], max[CB_N_OBJ];
    uint64_t pairs, invalid, offered;
    int rc;
    char why[sizeof(((cb_error *)0)->msg) + 64];
} tstate;

typedef struct job {
    const cb_config_set *cs;
    int64_t first, n;         /* the chunk's CNNs */
    const double *acc;        /* chunk-local, or NULL */
    const int64_t *order;     /* chunk-local, by falling accuracy */
    const int64_t *handle;    /* chunk-local prepared handles */
    atomic_llong next;        /* the next block of configurations */
    atomic_int stop;
    tstate *ts;
} job;

static void note_range(tstate *t, int obj, double x)
{
    t->min[obj] = x < t->min[obj] ? x : t->min[obj];
    t->max[obj] = x > t->max[obj] ? x : t->max[obj];
}

/* Ranges, counts and offers for the lanes of one block whose latencies are in t->lat. */
static void reduce_block(job *j, tstate *t, int64_t c0, int lanes, const double *area)
{
    for (int lane = 0; lane < lanes; lane++) {
        uint64_t valid = 0;
        for (int64_t k = 0; k < j->n; k++) {
            double l = t->lat[(size_t)k * L + (size_t)lane];
            if (isnan(l))
                continue;
            valid++;
            note_range(t, CB_OBJ_LAT, l);
        }
        t->pairs += (uint64_t)j->n;
        t->invalid += (uint64_t)j->n - valid;
        if (valid)
            note_range(t, CB_OBJ_AREA, area[lane]);
        t->offered += cb_offer_config(&t->front, j->acc, j->order, t->lat + lane, L, j->n,
                                      j->first, area[lane], c0 + lane, j->cs->n);
    }
}

static int run_block(job *j, tstate *t, int64_t block)
{
    const cb_config_set *cs = j->cs;
    int64_t c0 = block * L;
    int lanes = (int)(cs->n - c0 < L ? cs->n - c0 : L);
    double area[L];
    cb_error e;
    memset(&e, 0, sizeof e);
    if (cs->vt->table(cs->self, cs->values + c0 * cs->n_axes, cs->n_axes, lanes, t->table, area,
                      &e) != CB_OK) {
        snprintf(t->why, sizeof t->why, "configuration %lld: %s", (long long)c0, e.msg);
        return e.code ? e.code : CB_EFAIL;
    }
    for (int64_t k = 0; k < j->n; k++)
        cs->vt->latency(cs->self, j->handle[k], t->table, t->lat + (size_t)k * L);
    reduce_block(j, t, c0, lanes, area);
    return CB_OK;
}

static void task(void *ctx, size_t begin, size_t end)
{
    job *j = ctx;
    int64_t blocks = (j->cs->n + L - 1) / L;
    for (size_t i = begin; i < end; i++) {
        tstate *t = &j->ts[i];
        for (;;) {
            int64_t b = atomic_fetch_add(&j->next, 1);
            if (b >= blocks || atomic_load(&j->stop))
                break;
            if (cb_host_is_cancelled())
                t->rc = CB_ECANCEL;
            else
                t->rc = run_block(j, t, b);
            if (t->rc != CB_OK) {
                atomic_store(&j->stop, 1);
                break;
            }
        }
    }
}

/* ---- the CNN side of a chunk ----------------------------------------------------------------- */

static const double *sort_acc;

static int by_accuracy(const void *a, const void *b)
{
    double x = sort_acc[*(const int64_t *)a], y = sort_acc[*(const int64_t *)b];
    if (x != y)
        return x > y ? -1 : 1;
    return *(const int64_t *)a < *(const int64_t *)b ? -1 : 1;
}

/* Builds and prepares CNNs [first, first + n); fills the chunk's handles and order. */
static int prepare_chunk(const cb_cnn_source *src, const cb_config_set *cs, int64_t first,
                         int64_t n, int64_t *handle, int64_t *order, char *why, size_t len)
{
    cs->vt->forget(cs->self);
    for (int64_t k = 0; k < n; k++) {
        const cb_graph *g = src->graph(src->ctx, first + k, why, len);
        if (!g)
            return CB_EINVAL;
        cb_error e;
        memset(&e, 0, sizeof e);
        handle[k] = cs->vt->prepare(cs->self, g, &e);
        if (handle[k] < 0) {
            snprintf(why, len, "CNN %lld: %s", (long long)(first + k), e.msg);
            return e.code ? e.code : CB_EFAIL;
        }
        order[k] = k;
    }
    if (src->accuracy) {
        sort_acc = src->accuracy + first;
        qsort(order, (size_t)n, sizeof *order, by_accuracy);
    }
    return CB_OK;
}

static void init_ranges(double *min, double *max)
{
    for (int o = 0; o < CB_N_OBJ; o++) {
        min[o] = INFINITY;
        max[o] = -INFINITY;
    }
}

/* Folds the threads' states into r. */
static void gather(cb_enum_result *r, tstate *ts, int n)
{
    for (int i = 0; i < n; i++) {
        cb_front_merge(&r->front, &ts[i].front);
        for (int o = CB_OBJ_LAT; o < CB_N_OBJ; o++) {
            r->min[o] = ts[i].min[o] < r->min[o] ? ts[i].min[o] : r->min[o];
            r->max[o] = ts[i].max[o] > r->max[o] ? ts[i].max[o] : r->max[o];
        }
        r->pairs += ts[i].pairs;
        r->invalid += ts[i].invalid;
        r->offered += ts[i].offered;
    }
}

static int fast_path(const cb_cnn_source *src, const cb_config_set *cs, const cb_enum_opts *o,
                     cb_enum_result *r, double t_start, char *why, size_t len)
{
    int64_t chunk = o->chunk > 0 ? o->chunk : DEFAULT_CHUNK;
    int nt = o->threads > 0 ? o->threads : 1;
    int64_t *handle = cb_xmalloc((size_t)chunk * sizeof *handle);
    int64_t *order = cb_xmalloc((size_t)chunk * sizeof *order);
    tstate *ts = cb_xcalloc((size_t)nt, sizeof *ts);
    for (int i = 0; i < nt; i++) {
        cb_front_init(&ts[i].front, r->dims);
        init_ranges(ts[i].min, ts[i].max);
        ts[i].lat = cb_xmalloc((size_t)chunk * L * sizeof *ts[i].lat);
    }
    int rc = CB_OK;
    for (int64_t first = 0; first < src->n && rc == CB_OK; first += chunk) {
        int64_t n = src->n - first < chunk ? src->n - first : chunk;
        double t0 = now();
        rc = prepare_chunk(src, cs, first, n, handle, order, why, len);
        r->prepare_seconds += now() - t0;
        if (rc != CB_OK)
            break;
        size_t tb = cs->vt->table_bytes(cs->self);
        for (int i = 0; i < nt; i++)
            ts[i].table = cb_xrealloc(ts[i].table, tb);
        job j = {cs, first, n, src->accuracy ? src->accuracy + first : NULL, order, handle, 0, 0, ts};
        cb_pool_run((size_t)nt, task, &j);
        for (int i = 0; i < nt && rc == CB_OK; i++)
            if (ts[i].rc != CB_OK) {
                rc = ts[i].rc;
                snprintf(why, len, "%s", rc == CB_ECANCEL ? "stopped by the user" : ts[i].why);
            }
        if (o->progress)
            fprintf(stderr, "pareto: %lld of %lld CNNs, %.1f s, front %zu\n",
                    (long long)(first + n), (long long)src->n, now() - t_start,
                    ts[0].front.n);
    }
    gather(r, ts, nt);
    for (int i = 0; i < nt; i++) {
        free(ts[i].table);
        free(ts[i].lat);
        cb_front_free(&ts[i].front);
    }
    free(ts);
    free(handle);
    free(order);
    return rc;
}

/* ---- without the fast path: evaluate() per pair, one thread --------------------------------- */

static int slow_chunk(const cb_cnn_source *src, const cb_config_set *cs, int64_t first, int64_t n,
                      double *lat, double *area, char *why, size_t len)
{
    for (int64_t k = 0; k < n; k++) {
        const cb_graph *g = src->graph(src->ctx, first + k, why, len);
        if (!g)
            return CB_EINVAL;
        for (int64_t c = 0; c < cs->n; c++) {
            cb_accel_result res;
            cb_error e;
            memset(&e, 0, sizeof e);
            if (cb_host_is_cancelled())
                return snprintf(why, len, "stopped by the user"), CB_ECANCEL;
            if (cs->vt->evaluate(cs->self, g, cs->values + c * cs->n_axes, cs->n_axes, &res, &e)) {
                snprintf(why, len, "CNN %lld, configuration %lld: %s", (long long)(first + k),
                         (long long)c, e.msg);
                return e.code ? e.code : CB_EFAIL;
            }
            lat[(size_t)c * (size_t)n + (size_t)k] = res.valid ? res.latency_s : NAN;
            area[c] = res.area_mm2;
        }
    }
    return CB_OK;
}

static int slow_path(const cb_cnn_source *src, const cb_config_set *cs, cb_enum_result *r,
                     char *why, size_t len)
{
    int64_t chunk = FALLBACK_CHUNK;
    double *lat = cb_xmalloc((size_t)chunk * (size_t)cs->n * sizeof *lat);
    double *area = cb_xmalloc((size_t)cs->n * sizeof *area);
    int64_t order[FALLBACK_CHUNK];
    tstate t;
    memset(&t, 0, sizeof t);
    cb_front_init(&t.front, r->dims);
    init_ranges(t.min, t.max);
    int rc = CB_OK;
    for (int64_t first = 0; first < src->n && rc == CB_OK; first += chunk) {
        int64_t n = src->n - first < chunk ? src->n - first : chunk;
        rc = slow_chunk(src, cs, first, n, lat, area, why, len);
        for (int64_t k = 0; k < n; k++)
            order[k] = k;
        if (src->accuracy) {
            sort_acc = src->accuracy + first;
            qsort(order, (size_t)n, sizeof *order, by_accuracy);
        }
        job j = {cs, first, n, src->accuracy ? src->accuracy + first : NULL, order, NULL, 0, 0, &t};
        for (int64_t c = 0; c < cs->n && rc == CB_OK; c++) {
            t.lat = lat + (size_t)c * (size_t)n; /* one lane: stride 1 through reduce_lane */
            for (int64_t k = 0; k < n; k++)
                if (!isnan(t.lat[k]))
                    note_range(&t, CB_OBJ_LAT, t.lat[k]);
            uint64_t off = cb_offer_config(&t.front, j.acc, order, t.lat, 1, n, first, area[c], c, cs->n);
            t.offered += off;
            t.pairs += (uint64_t)n;
            uint64_t valid = 0;
            for (int64_t k = 0; k < n; k++)
                valid += !isnan(t.lat[k]);
            t.invalid += (uint64_t)n - valid;
            if (valid)
                note_range(&t, CB_OBJ_AREA, area[c]);
        }
    }
    t.lat = NULL;
    gather(r, &t, 1);
    cb_front_free(&t.front);
    free(lat);
    free(area);
    return rc;
}

static int has_fast_path(const cb_accel_vt *vt)
{
    return vt->size >= offsetof(cb_accel_vt, latency) + sizeof vt->latency && vt->prepare &&
           vt->forget && vt->table_bytes && vt->table && vt->latency;
}

int cb_enumerate(const cb_cnn_source *src, const cb_config_set *cs, const cb_enum_opts *o,
                 cb_enum_result *r, char *why, size_t why_len)
{
    memset(r, 0, sizeof *r);
    r->dims = src->accuracy ? 3 : 2;
    cb_front_init(&r->front, r->dims);
    init_ranges(r->min, r->max);
    for (int64_t i = 0; src->accuracy && i < src->n; i++) {
        r->min[CB_OBJ_ACC] = src->accuracy[i] < r->min[CB_OBJ_ACC] ? src->accuracy[i] : r->min[CB_OBJ_ACC];
        r->max[CB_OBJ_ACC] = src->accuracy[i] > r->max[CB_OBJ_ACC] ? src->accuracy[i] : r->max[CB_OBJ_ACC];
    }
    double t0 = now();
    r->fast = !o->evaluate && has_fast_path(cs->vt);
    int rc = r->fast ? fast_path(src, cs, o, r, t0, why, why_len) : slow_path(src, cs, r, why, why_len);
    r->seconds = now() - t0;
    return rc;
}

void cb_enum_result_free(cb_enum_result *r)
{
    cb_front_free(&r->front);
    memset(r, 0, sizeof *r);
}
