/* core/runner/run.c: the coordinator's loop (see run.h).
 *
 * Resume rule: the store saves the search state after every tell, in the same transaction as
 * the finished evaluation. A pending pair asked before the latest snapshot is known to the
 * restored search as pending, so it is evaluated again; one asked after it is forgotten (the
 * restored search will ask it again). With one worker and a deterministic search, a resumed
 * run therefore ends exactly as an uninterrupted one. The growths of a module space's CNN
 * hierarchy (boshcode) are recorded as they happen, tagged with the latest snapshot; a resume
 * replays those its snapshot knows of before it loads the state, and each job carries the
 * growth log so that every worker's pool matches the coordinator's. */
#include "runner/run.h"
#include "runner/candidates.h"
#include "runner/candidates_modules.h"
#include "host/host.h"
#include "runner/workers.h"
#include "util/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct blob {
    char *buf;
    size_t len, cap;
} blob;

static int blob_write(void *ctx, const void *buf, size_t len)
{
    blob *b = ctx;
    cb_grow(&b->buf, 1, b->len + len, &b->cap);
    memcpy(b->buf + b->len, buf, len);
    b->len += len;
    return CB_OK;
}

typedef struct loop {
    cb_study *st;
    const cb_run_opts *o;
    cb_store *store;
    cb_workers *workers;
    const cb_search_vt *search;
    int64_t state_id;
    int64_t budget, asked, done;
    int64_t *requeue;       /* row ids to evaluate again (resume) */
    size_t n_requeue, next_requeue; /* taken in ask order */
    cb_eval_row *rows;      /* rows known at start (resume) */
    size_t n_rows;
    double best;
    int64_t best_id;
    double started;
    int64_t done_at_start;
    int exhausted;
    bool tty;
    struct flight { int64_t id; cb_pair pair; } *flight; /* pairs in the workers' hands */
    size_t n_flight, cap_flight;
    size_t growth_saved;    /* growths of the CNN hierarchy already in the store */
} loop;

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int save_state(loop *l, blob *b, char *err, size_t len)
{
    cb_error e;
    memset(&e, 0, sizeof e);
    b->len = 0;
    if (l->search->save(l->st->search.self, blob_write, b, &e) != CB_OK) {
        snprintf(err, len, "search plugin '%s' cannot save its state: %s",
                 l->st->search.plugin->name, e.msg);
        return CB_EFAIL;
    }
    return CB_OK;
}

static void note_best(loop *l, int64_t id, const cb_metrics *m)
{
    if (m->status == CB_EVAL_OK && (l->best_id == 0 || m->performance > l->best)) {
        l->best = m->performance;
        l->best_id = id;
    }
}

/* Restores the search and the counters from an existing run folder. */
static int restore(loop *l, char *err, size_t len)
{
    int64_t id;
    void *state;
    size_t n;
    cb_store_latest_state(l->store, &id, &state, &n);
    cb_error e;
    memset(&e, 0, sizeof e);
    if (id > 0 && l->search->load(l->st->search.self, state, n, &e) != CB_OK) {
        snprintf(err, len, "search plugin '%s' cannot load its saved state: %s",
                 l->st->search.plugin->name, e.msg);
        free(state);
        return CB_EFAIL;
    }
    free(state);
    l->state_id = id;
    int dropped = cb_store_drop_pending_after(l->store, id);
    cb_store_rows(l->store, &l->rows, &l->n_rows);
    l->requeue = cb_xcalloc(l->n_rows + 1, sizeof *l->requeue);
    for (size_t i = 0; i < l->n_rows; i++) {
        if (l->rows[i].status == CB_ROW_PENDING)
            l->requeue[l->n_requeue++] = l->rows[i].id;
        else
            l->done++;
        note_best(l, l->rows[i].id, &l->rows[i].m);
    }
    l->asked = (int64_t)l->n_rows;
    l->done_at_start = l->done;
    if (!l->o->quiet && (l->n_rows > 0 || dropped > 0)) /* --resume on a new folder: nothing to say */
        fprintf(stderr, "codebench: resuming: %lld evaluations kept, %zu to finish, %d forgotten (asked after the last saved state)\n",
                (long long)l->done, l->n_requeue, dropped);
    return CB_OK;
}

static const cb_eval_row *row_by_id(const loop *l, int64_t id)
{
    for (size_t i = 0; i < l->n_rows; i++)
        if (l->rows[i].id == id)
            return &l->rows[i];
    return NULL;
}

static int submit(loop *l, int64_t id, const cb_pair *p)
{
    cb_grow(&l->flight, sizeof *l->flight, l->n_flight + 1, &l->cap_flight);
    l->flight[l->n_flight++] = (struct flight){id, *p};
    cb_job job;
    memset(&job, 0, sizeof job);
    job.pair = *p;
    int hit = 0;
    const char *hash = cb_study_cnn_hash(l->st, p->cnn);
    if (hash)
        cb_store_acc_get(l->store, hash, &job.accuracy, &job.acc_std, &hit);
    job.has_accuracy = hit;
    size_t len;
    void *payload = cb_job_pack(l->st, &job, &len); /* with the growth log: the worker grows as we did */
    int rc = cb_workers_submit(l->workers, id, payload, len);
    free(payload);
    return rc;
}

/* Records the growths the search made since the last call, tagged with the latest snapshot: a
 * resume from that snapshot drops them (the restored search grows again), one from a later
 * snapshot replays them. */
static int save_growth(loop *l, char *err, size_t len)
{
    for (size_t n = cb_candidates_growth_count(l->st->cands); l->growth_saved < n; l->growth_saved++) {
        const cb_growth *g = cb_candidates_growth_event(l->st->cands, l->growth_saved);
        if (cb_store_add_growth(l->store, g->level, g->parents, g->n, l->state_id) < 0) {
            char why[600];
            snprintf(err, len, "cannot record a growth of the CNN hierarchy: %s",
                     cb_store_last_error(l->store, why, sizeof why));
            return CB_EFAIL;
        }
    }
    return CB_OK;
}

/* Resume: the growths the saved search state knows of, replayed in order before the state is
 * loaded, so indices, hashes and embeddings are those of the stopped run; the search is then
 * started again on the grown space. */
static int replay_growth(loop *l, char *err, size_t len)
{
    int64_t sid;
    void *state;
    size_t n_state;
    cb_store_latest_state(l->store, &sid, &state, &n_state);
    free(state);
    if (cb_store_drop_growth_after(l->store, sid) < 0) {
        snprintf(err, len, "cannot drop the growths made after the last saved search state");
        return CB_EFAIL;
    }
    cb_growth_row *rows;
    size_t n;
    if (cb_store_growths(l->store, &rows, &n)) {
        snprintf(err, len, "cannot read the growths of the CNN hierarchy");
        return CB_EFAIL;
    }
    int rc = CB_OK;
    for (size_t i = 0; i < n && rc == CB_OK; i++) {
        char why[512];
        if (cb_candidates_grow(l->st, rows[i].level, rows[i].parents, rows[i].n, why, sizeof why) < 0) {
            snprintf(err, len, "cannot replay growth %zu of the CNN hierarchy (level %d): %s", i + 1,
                     rows[i].level, why);
            rc = CB_EFAIL;
        }
    }
    cb_store_growth_free(rows, n);
    l->growth_saved = n;
    if (rc == CB_OK && n > 0) {
        cb_diag d;
        if (cb_study_restart_search(l->st, &d)) {
            snprintf(err, len, "%s", d.msg);
            rc = CB_EFAIL;
        }
    }
    return rc;
}

static int ask_more(loop *l, char *err, size_t len)
{
    int64_t cap = l->st->m.search.batch;
    while (!l->exhausted && cb_workers_idle(l->workers) > 0 && l->asked < l->budget &&
           cb_workers_busy(l->workers) < cap && !cb_host_is_cancelled()) {
        int want = cb_workers_idle(l->workers);
        if (want > l->budget - l->asked)
            want = (int)(l->budget - l->asked);
        cb_pair pairs[64];
        if (want > 64)
            want = 64;
        int got = 0;
        cb_error e;
        memset(&e, 0, sizeof e);
        int arc = l->search->ask(l->st->search.self, want, pairs, &got, &e);
        if (save_growth(l, err, len))
            return CB_EFAIL;
        if (arc != CB_OK) {
            snprintf(err, len, "search plugin '%s': %s", l->st->search.plugin->name, e.msg);
            return CB_EFAIL;
        }
        if (got == 0) {
            l->exhausted = 1; /* converged, or the space is used up */
            break;
        }
        for (int i = 0; i < got; i++) {
            const char *hash = cb_study_cnn_hash(l->st, pairs[i].cnn);
            int64_t id = cb_store_add_pending(l->store, &pairs[i], hash ? hash : "", l->state_id);
            if (id < 0) {
                char why[600];
                snprintf(err, len, "cannot record an asked pair: %s", cb_store_last_error(l->store, why, sizeof why));
                return CB_EFAIL;
            }
            l->asked++;
            submit(l, id, &pairs[i]);
        }
    }
    return CB_OK;
}

static void progress(loop *l)
{
    if (l->o->quiet)
        return;
    double el = now_s() - l->started;
    int64_t fresh = l->done - l->done_at_start;
    double eta = fresh > 0 ? el / (double)fresh * (double)(l->budget - l->done) : NAN;
    char best[32] = "-";
    if (l->best_id)
        snprintf(best, sizeof best, "%.4f", l->best);
    char eta_s[32] = "?";
    if (isfinite(eta))
        snprintf(eta_s, sizeof eta_s, "%dm%02ds", (int)eta / 60, (int)eta % 60);
    if (l->tty)
        fprintf(stderr, "\r\033[K[%lld/%lld queries] best %s  pending %d  ETA %s", (long long)l->done,
                (long long)l->budget, best, cb_workers_busy(l->workers), eta_s);
}

static void log_result(loop *l, int64_t id, const cb_pair *p, const cb_eval_result *r)
{
    if (l->o->quiet)
        return;
    if (l->tty)
        fprintf(stderr, "\r\033[K");
    if (r->m.status == CB_EVAL_FAILED)
        fprintf(stderr, "codebench: [%lld/%lld] pair %lld (cnn %lld) failed: %s\n", (long long)l->done,
                (long long)l->budget, (long long)id, (long long)p->cnn, r->error);
    else if (!l->tty)
        fprintf(stderr, "codebench: [%lld/%lld] pair %lld: cnn %lld accuracy %.4f latency %.4g ms area %.4g mm^2 performance %.4f%s\n",
                (long long)l->done, (long long)l->budget, (long long)id, (long long)p->cnn,
                r->m.accuracy, r->m.latency_s * 1e3, r->m.area_mm2, r->m.performance,
                r->m.status == CB_EVAL_INFEASIBLE ? " (breaks a constraint)" : "");
}

static void failed_result(cb_eval_result *r, const char *why)
{
    memset(r, 0, sizeof *r);
    r->m.size = sizeof r->m;
    r->m.status = CB_EVAL_FAILED;
    snprintf(r->error, sizeof r->error, "%s", why);
}

static int take_result(loop *l, const cb_job_result *jr, char *err, size_t len)
{
    static cb_eval_result r; /* large; one at a time */
    if (jr->status != CB_JOB_DONE)
        failed_result(&r, jr->why);
    else if (jr->len != sizeof r)
        failed_result(&r, "worker answered with a malformed result");
    else
        memcpy(&r, jr->payload, sizeof r);
    /* the pair, as it was asked */
    cb_pair pair;
    memset(&pair, 0, sizeof pair);
    for (size_t i = 0; i < l->n_flight; i++)
        if (l->flight[i].id == jr->job) {
            pair = l->flight[i].pair;
            l->flight[i] = l->flight[--l->n_flight];
            break;
        }
    cb_error e;
    memset(&e, 0, sizeof e);
    if (l->search->tell(l->st->search.self, &pair, &r.m, &e) != CB_OK) {
        snprintf(err, len, "search plugin '%s': %s", l->st->search.plugin->name, e.msg);
        return CB_EFAIL;
    }
    blob b = {0};
    if (save_state(l, &b, err, len))
        return CB_EFAIL;
    const char *hash = cb_study_cnn_hash(l->st, pair.cnn);
    if (r.trained && hash && r.m.status != CB_EVAL_FAILED) {
        cb_store_acc_put(l->store, hash, r.m.accuracy, r.m.acc_std, r.train_s, NULL);
        for (int ep = 0; ep < r.n_epochs; ep++)
            cb_store_curve_add(l->store, hash, ep + 1, r.curve[ep].loss, r.curve[ep].accuracy,
                               r.curve[ep].val_accuracy);
    }
    int64_t sid = cb_store_finish(l->store, jr->job, &r.m, r.train_s, r.sim_s, r.error, r.layers,
                                  r.n_layers, b.buf, b.len);
    free(b.buf);
    if (sid < 0) {
        char why[600];
        snprintf(err, len, "cannot save an evaluation: %s", cb_store_last_error(l->store, why, sizeof why));
        return CB_EFAIL;
    }
    l->state_id = sid;
    l->done++;
    note_best(l, jr->job, &r.m);
    log_result(l, jr->job, &pair, &r);
    return CB_OK;
}

static int requeue_more(loop *l)
{
    while (l->next_requeue < l->n_requeue && cb_workers_idle(l->workers) > 0) {
        int64_t id = l->requeue[l->next_requeue++];
        const cb_eval_row *row = row_by_id(l, id);
        if (row)
            submit(l, id, &row->pair);
    }
    return CB_OK;
}

static int open_store(loop *l, const char *dir, char *err, size_t len)
{
    l->store = cb_store_open(dir, err, len);
    if (!l->store)
        return CB_EFAIL;
    if (cb_store_manifest(l->store, l->st->manifest_text, err, len))
        return CB_EINVAL;
    /* Where the manifest lives: its relative paths (e.g. a report's reference cards) need it. */
    char *abs = realpath(l->st->manifest_path, NULL);
    if (abs)
        cb_store_set_meta(l->store, "manifest_path", abs);
    free(abs);
    int64_t ok, failed, pending;
    cb_store_counts(l->store, &ok, &failed, &pending);
    int64_t sid;
    void *state;
    size_t n;
    cb_store_latest_state(l->store, &sid, &state, &n);
    free(state);
    if ((ok + failed + pending > 0 || sid > 0) && !l->o->resume) {
        snprintf(err, len, "%s already holds this study (%lld evaluations): add --resume to continue it, or choose another folder with -o",
                 dir, (long long)(ok + failed));
        return CB_EINVAL;
    }
    return CB_OK;
}

static int main_loop(loop *l, char *err, size_t len)
{
    int rc = CB_OK;
    while (rc == CB_OK) {
        if (cb_host_is_cancelled())
            return CB_ECANCEL;
        requeue_more(l);
        if ((rc = ask_more(l, err, len)))
            break;
        if (cb_workers_busy(l->workers) == 0 && l->next_requeue == l->n_requeue)
            break; /* budget reached or search exhausted, nothing in flight */
        cb_job_result jr;
        int got = cb_workers_wait(l->workers, &jr, 0.25);
        if (got == 1) {
            rc = take_result(l, &jr, err, len);
            free(jr.payload);
        }
        progress(l);
    }
    return rc;
}

int cb_run(cb_study *st, const cb_run_opts *o, cb_run_summary *sum, char *err, size_t err_len)
{
    memset(sum, 0, sizeof *sum);
    loop l;
    memset(&l, 0, sizeof l);
    l.st = st;
    l.o = o;
    l.search = st->search.plugin->vtable;
    l.budget = st->m.search.budget;
    l.tty = isatty(2);
    l.started = now_s();
    const char *dir = o->out_dir ? o->out_dir : st->m.output.path;
    int rc = open_store(&l, dir, err, err_len);
    if (rc == CB_OK && o->resume)
        rc = replay_growth(&l, err, err_len);
    if (rc == CB_OK && o->resume)
        rc = restore(&l, err, err_len);
    if (rc == CB_OK && l.state_id == 0) {
        blob b = {0};
        rc = save_state(&l, &b, err, err_len);
        if (rc == CB_OK)
            l.state_id = cb_store_save_state(l.store, b.buf, b.len);
        free(b.buf);
    }
    if (rc == CB_OK) {
        int n = o->workers > 0 ? o->workers : (int)st->m.workers.count;
        char *args[] = {"worker", st->manifest_path, NULL};
        l.workers = o->mpi_ranks > 1
                        ? cb_workers_start_mpi(o->mpi_ranks)
                        : cb_workers_start(n, o->exe, args, st->m.workers.timeout_s, err, err_len);
        if (!l.workers)
            rc = CB_EFAIL;
    }
    if (rc == CB_OK && !o->quiet)
        cb_candidates_describe(st->cands, stderr);
    if (rc == CB_OK)
        rc = main_loop(&l, err, err_len);
    if (l.tty && !o->quiet)
        fprintf(stderr, "\r\033[K");
    cb_workers_stop(l.workers);
    if (l.store)
        cb_store_counts(l.store, &sum->ok, &sum->failed, &sum->pending);
    sum->best_id = l.best_id;
    sum->best_performance = l.best;
    sum->cancelled = rc == CB_ECANCEL;
    cb_store_close(l.store);
    free(l.requeue);
    free(l.rows);
    free(l.flight);
    return rc;
}
