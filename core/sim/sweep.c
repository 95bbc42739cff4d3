/* core/sim/sweep.c: the sweep's driver (cb_sweep_run): checks, the per-batch plan, worker
 * threads taking jobs of consecutive positions (or of sampled positions) in sweep order,
 * CSV rows written in sweep order as jobs complete, per-worker streaming Pareto fronts merged
 * at the end, and progress reports from the calling thread.
 *
 * Memory stays bounded: a job holds at most JOB_POINTS positions and its rows; what grows is
 * only the fronts. A worker that finishes a job before the jobs ahead of it have written their
 * rows waits for its turn, so rows come out in sweep order whatever the thread count. */
#include "sim/sweep_internal.h"
#include "util/util.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define JOB_POINTS 4096
#define MAX_THREADS 256
#define HINTS 8 /* recent dominators a worker tries first: most points fall to one of them */
#define ROW_MAX 512

typedef struct sweep_run {
    const cb_sim_net *net;
    const cb_accel_space *s;
    const cb_sweep_opts *o;
    const sweep_plan *plan;
    uint64_t total, job_points;
    bool sampling;
    sweep_sampler sampler;
    pthread_mutex_t mu;
    pthread_cond_t turn, idle;
    uint64_t next_order, next_seq, next_write;
    uint64_t done, layer_sims;
    int running, rc;
    char why[512];
    double t0;
} sweep_run;

typedef struct worker {
    sweep_run *run;
    cb_sweep_parts parts;
    bool have_parts;
    sweep_eval eval;
    cb_front front;
    size_t front_n; /* front.n as last reported (under run->mu) */
    double hint[HINTS][CB_SWEEP_DIMS];
    int n_hint, next_hint;
    uint64_t *pos;
    char *rows;
    size_t len, cap;
    pthread_t th;
} worker;

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void fail(sweep_run *run, int rc, const char *why)
{
    pthread_mutex_lock(&run->mu);
    if (run->rc == CB_OK) {
        run->rc = rc;
        snprintf(run->why, sizeof run->why, "%s", why);
    }
    pthread_cond_broadcast(&run->turn);
    pthread_mutex_unlock(&run->mu);
}

/* The streaming front, after a cheap test against recent dominators (a point one of them
 * dominates cannot be on the final front, so the front stays exact). */
static void offer(worker *w, const double *pt, int64_t id)
{
    for (int h = 0; h < w->n_hint; h++)
        if (cb_dominates(w->hint[h], pt, CB_SWEEP_DIMS))
            return;
    const cb_front *f = &w->front;
    for (size_t j = 0; j < f->n; j++) {
        const double *q = f->pts + j * CB_SWEEP_DIMS;
        if (cb_dominates(q, pt, CB_SWEEP_DIMS)) {
            memcpy(w->hint[w->next_hint], q, sizeof w->hint[0]);
            w->next_hint = (w->next_hint + 1) % HINTS;
            if (w->n_hint < HINTS)
                w->n_hint++;
            return;
        }
    }
    cb_front_add(&w->front, pt, id);
}

/* The next job: a range of positions, or sampled positions in w->pos. 0 when none is left. */
static size_t take_job(worker *w, uint64_t *from, uint64_t *seq)
{
    sweep_run *run = w->run;
    size_t n = 0;
    pthread_mutex_lock(&run->mu);
    if (run->rc == CB_OK && run->sampling) {
        while (n < JOB_POINTS && cb_sweep_sampler_next(&run->sampler, &w->pos[n]))
            n++;
    } else if (run->rc == CB_OK && run->next_order < run->total) {
        *from = run->next_order;
        uint64_t left = run->total - run->next_order;
        n = (size_t)(left < run->job_points ? left : run->job_points);
        run->next_order += n;
    }
    if (n > 0)
        *seq = run->next_seq++;
    pthread_mutex_unlock(&run->mu);
    return n;
}

static void add_row(worker *w, const cb_sweep_point *p)
{
    if (w->len + ROW_MAX > w->cap) {
        w->cap = w->cap ? w->cap * 2 : (size_t)JOB_POINTS * 200;
        w->rows = cb_xrealloc(w->rows, w->cap);
    }
    w->len += (size_t)cb_sweep_csv_row(p, w->rows + w->len, ROW_MAX);
}

/* Writes the job's rows when every earlier job has written its own. */
static void write_rows(worker *w, uint64_t seq)
{
    sweep_run *run = w->run;
    pthread_mutex_lock(&run->mu);
    while (run->next_write != seq && run->rc == CB_OK)
        pthread_cond_wait(&run->turn, &run->mu);
    if (run->rc == CB_OK && fwrite(w->rows, 1, w->len, run->o->csv) != w->len) {
        run->rc = CB_EFAIL;
        snprintf(run->why, sizeof run->why, "cannot write the CSV rows: %s", strerror(errno));
    }
    run->next_write++;
    pthread_cond_broadcast(&run->turn);
    pthread_mutex_unlock(&run->mu);
    w->len = 0;
}

static int run_job(worker *w, uint64_t from, size_t n, uint64_t seq)
{
    sweep_run *run = w->run;
    const cb_sweep_opts *o = run->o;
    char why[512];
    uint64_t sims = w->eval.layer_sims;
    for (size_t k = 0; k < n; k++) {
        cb_sweep_point p;
        uint64_t order = run->sampling ? w->pos[k] : from + k;
        int rc = cb_sweep_eval_point(&w->eval, order, &p, why, sizeof why);
        if (rc != CB_OK) {
            fail(run, rc, why);
            return rc;
        }
        const double pt[CB_SWEEP_DIMS] = {p.r.latency_s, p.r.area_mm2, p.r.dyn_energy_j, p.r.leak_energy_j};
        offer(w, pt, (int64_t)order);
        if (o->csv)
            add_row(w, &p);
        if (o->each)
            o->each(o->each_ctx, &p);
    }
    if (o->csv)
        write_rows(w, seq);
    pthread_mutex_lock(&run->mu);
    run->done += n;
    run->layer_sims += w->eval.layer_sims - sims;
    w->front_n = w->front.n;
    pthread_mutex_unlock(&run->mu);
    return CB_OK;
}

static void *work(void *arg)
{
    worker *w = arg;
    sweep_run *run = w->run;
    uint64_t from = 0, seq = 0;
    for (size_t n; (n = take_job(w, &from, &seq)) > 0;)
        if (run_job(w, from, n, seq) != CB_OK)
            break;
    pthread_mutex_lock(&run->mu);
    run->running--;
    pthread_cond_signal(&run->idle);
    pthread_mutex_unlock(&run->mu);
    return NULL;
}

static int check_space(const cb_accel_space *s, const cb_sweep_opts *o, const cb_sweep_parts *p,
                       char *why, size_t n)
{
    if (o->threads < 1 || o->threads > MAX_THREADS) {
        snprintf(why, n, "threads = %d: expected 1 to %d", o->threads, MAX_THREADS);
        return CB_EINVAL;
    }
    for (int a = 0; a < CB_SPACE_AXES; a++)
        if (s->n[a] < 1 || s->n[a] > CB_SPACE_MAX_VALUES) {
            snprintf(why, n, "axis %s has %d values (expected 1 to %d)", cb_accel_space_axis(a), s->n[a],
                     CB_SPACE_MAX_VALUES);
            return CB_EINVAL;
        }
    for (int k = 0; k < s->n[CB_AX_IF]; k++)
        if (cb_sweep_mac_for(p, (int)s->v[CB_AX_IF][k]) < 0) {
            snprintf(why, n, "p_if = %g: no MAC plugin has %g multipliers per lane", s->v[CB_AX_IF][k],
                     s->v[CB_AX_IF][k]);
            return CB_EINVAL;
        }
    for (int k = 0; k < s->n[CB_AX_MEM]; k++) {
        double m = s->v[CB_AX_MEM][k];
        if (m != (double)(int)m || m < 1 || m > p->n_mem) {
            snprintf(why, n, "memory %g: expected the index of one of the %d memory instances", m, p->n_mem);
            return CB_EINVAL;
        }
    }
    return CB_OK;
}

/* Plan from the first point's parts (only the buffer capacities matter to it). */
static int build_plan(sweep_plan *plan, const cb_sim_net *net, const cb_accel_space *s,
                      const cb_sweep_opts *o, const cb_sweep_parts *p, char *why, size_t n)
{
    int mac = cb_sweep_mac_for(p, (int)s->v[CB_AX_IF][0]), mem = (int)s->v[CB_AX_MEM][0] - 1;
    cb_sim_parts sp = {p->mac[mac], p->mac_self[mac], p->mem[mem], p->mem_self[mem]};
    return cb_sweep_plan_build(plan, net, s, &sp, &o->sim, why, n);
}

static void report_progress(sweep_run *run, worker *ws, int n_workers)
{
    cb_sweep_progress pr = {run->done, run->sampling ? (uint64_t)run->o->sample : run->total,
                            run->layer_sims, 0, now_s() - run->t0};
    if (pr.total > run->total)
        pr.total = run->total;
    for (int i = 0; i < n_workers; i++)
        pr.front += ws[i].front_n;
    pthread_mutex_unlock(&run->mu); /* the callback may take its time */
    run->o->progress(run->o->progress_ctx, &pr);
    pthread_mutex_lock(&run->mu);
}

/* Starts the workers and waits for them, reporting progress meanwhile. */
static void run_workers(sweep_run *run, worker *ws, int n)
{
    int started = 0;
    pthread_mutex_lock(&run->mu);
    run->running = n;
    pthread_mutex_unlock(&run->mu);
    for (; started < n; started++)
        if (pthread_create(&ws[started].th, NULL, work, &ws[started]) != 0)
            break;
    pthread_mutex_lock(&run->mu);
    run->running -= n - started;
    if (started < n && run->rc == CB_OK && started == 0) {
        run->rc = CB_EFAIL;
        snprintf(run->why, sizeof run->why, "cannot start a worker thread");
    }
    double every = run->o->progress_s > 0 ? run->o->progress_s : 1;
    while (run->running > 0) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        double t = (double)until.tv_sec + (double)until.tv_nsec * 1e-9 + every;
        until.tv_sec = (time_t)t;
        until.tv_nsec = (long)((t - (double)until.tv_sec) * 1e9);
        int rc = pthread_cond_timedwait(&run->idle, &run->mu, &until);
        if (rc == ETIMEDOUT && run->running > 0 && run->o->progress)
            report_progress(run, ws, n);
    }
    pthread_mutex_unlock(&run->mu);
    for (int i = 0; i < started; i++)
        pthread_join(ws[i].th, NULL);
}

int cb_sweep_run(const cb_sim_net *net, const cb_accel_space *s, const cb_sweep_opts *o,
                 cb_sweep_result *r, char *why, size_t why_len)
{
    memset(r, 0, sizeof *r);
    cb_front_init(&r->front, CB_SWEEP_DIMS);
    if (!o->make_parts || net->n < 1) {
        snprintf(why, why_len, "%s", net->n < 1 ? "the network has no layers" : "no plugin instances");
        return CB_EINVAL;
    }
    int n = o->threads >= 1 && o->threads <= MAX_THREADS ? o->threads : 1;
    worker *ws = cb_xcalloc((size_t)n, sizeof *ws);
    sweep_plan plan;
    memset(&plan, 0, sizeof plan);
    int rc = CB_OK;
    for (int i = 0; i < n && rc == CB_OK; i++) {
        rc = o->make_parts(o->parts_ctx, &ws[i].parts, why, why_len);
        ws[i].have_parts = rc == CB_OK;
    }
    if (rc == CB_OK)
        rc = check_space(s, o, &ws[0].parts, why, why_len);
    if (rc == CB_OK)
        rc = build_plan(&plan, net, s, o, &ws[0].parts, why, why_len);
    sweep_run run;
    memset(&run, 0, sizeof run);
    if (rc == CB_OK) {
        run.net = net;
        run.s = s;
        run.o = o;
        run.plan = &plan;
        run.total = cb_sweep_count(s);
        uint64_t g = cb_sweep_group_size(s);
        run.job_points = g >= JOB_POINTS ? g : JOB_POINTS / g * g;
        run.sampling = o->sample > 0 && o->sample < run.total;
        if (run.sampling)
            cb_sweep_sampler_init(&run.sampler, o->sample, run.total, o->seed);
        pthread_mutex_init(&run.mu, NULL);
        pthread_cond_init(&run.turn, NULL);
        pthread_cond_init(&run.idle, NULL);
        run.t0 = now_s();
        for (int i = 0; i < n; i++) {
            ws[i].run = &run;
            cb_sweep_eval_init(&ws[i].eval, net, s, &plan, &ws[i].parts, o);
            cb_front_init(&ws[i].front, CB_SWEEP_DIMS);
            ws[i].pos = cb_xcalloc(JOB_POINTS, sizeof *ws[i].pos);
        }
        if (o->csv)
            cb_sweep_csv_header(o->csv);
        run_workers(&run, ws, n);
        rc = run.rc;
        if (rc != CB_OK)
            snprintf(why, why_len, "%s", run.why);
        else if (o->csv && fflush(o->csv) != 0) {
            snprintf(why, why_len, "cannot write the CSV rows: %s", strerror(errno));
            rc = CB_EFAIL;
        }
        r->points = run.done;
        r->layer_sims = run.layer_sims;
        r->seconds = now_s() - run.t0;
        for (int i = 0; i < n; i++) {
            cb_front_merge(&r->front, &ws[i].front);
            cb_front_free(&ws[i].front);
            cb_sweep_eval_free(&ws[i].eval);
            free(ws[i].pos);
            free(ws[i].rows);
        }
        pthread_mutex_destroy(&run.mu);
        pthread_cond_destroy(&run.turn);
        pthread_cond_destroy(&run.idle);
    }
    for (int i = 0; i < n; i++)
        if (ws[i].have_parts && o->free_parts)
            o->free_parts(o->parts_ctx, &ws[i].parts);
    cb_sweep_plan_free(&plan);
    free(ws);
    return rc;
}

void cb_sweep_result_free(cb_sweep_result *r)
{
    cb_front_free(&r->front);
    memset(r, 0, sizeof *r);
}

void cb_sweep_csv_header(FILE *f)
{
    fputs("index,p_ib,p_if,p_ix,p_iy,p_of,p_k,batch,act_buffer_mb,weight_buffer_mb,mask_buffer_mb,"
          "memory,latency_ms,area_mm2,dynamic_energy_mj,leakage_energy_mj,cycles,throughput_fps,"
          "edp_js\n", f);
}

int cb_sweep_csv_row(const cb_sweep_point *p, char *buf, size_t len)
{
    const cb_accel_vec *v = &p->v;
    const cb_sim_report *r = &p->r;
    int n = snprintf(buf, len, "%llu,%d,%d,%d,%d,%d,%d,%d,%g,%g,%g,%d,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g\n",
                     (unsigned long long)p->index, v->p_ib, v->p_if, v->p_ix, v->p_iy, v->p_of, v->p_kx,
                     v->batch, v->act_mb, v->wgt_mb, v->mask_mb, p->mem + 1, r->latency_s * 1e3,
                     r->area_mm2, r->dyn_energy_j * 1e3, r->leak_energy_j * 1e3, r->cycles,
                     r->throughput_fps, r->edp);
    return n < 0 ? 0 : (size_t)n < len ? n : (int)len - 1;
}
