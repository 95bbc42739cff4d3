/* core/host/pool.c: see pool.h. A generation counter wakes the workers for each job; the
 * caller waits until every chunk is done. Static chunking keeps results independent of
 * timing: each index always lands in the same chunk for a given thread count. */
#include "host/pool.h"
#include "util/util.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static pthread_cond_t done = PTHREAD_COND_INITIALIZER;
static pthread_mutex_t busy = PTHREAD_MUTEX_INITIALIZER; /* one job at a time */

static pthread_t *workers;
static int n_workers;     /* threads besides the caller */
static unsigned long generation;
static int pending;       /* chunks not finished in the current job */
static bool stopping;
static size_t job_n;
static cb_task job_task;
static void *job_ctx;
static _Thread_local bool in_task;

static void chunk(int index, int parts, size_t *begin, size_t *end)
{
    *begin = job_n * (size_t)index / (size_t)parts;
    *end = job_n * (size_t)(index + 1) / (size_t)parts;
}

typedef struct start {
    int id;
    unsigned long seen; /* the generation at creation: earlier jobs are not this worker's */
} start;

static void *worker_main(void *arg)
{
    start st = *(start *)arg;
    free(arg);
    int id = st.id;
    unsigned long seen = st.seen;
    in_task = true;
    pthread_mutex_lock(&lock);
    for (;;) {
        while (!stopping && generation == seen)
            pthread_cond_wait(&wake, &lock);
        if (stopping)
            break;
        seen = generation;
        size_t b, e;
        chunk(id + 1, n_workers + 1, &b, &e);
        pthread_mutex_unlock(&lock);
        if (b < e)
            job_task(job_ctx, b, e);
        pthread_mutex_lock(&lock);
        if (--pending == 0)
            pthread_cond_signal(&done);
    }
    pthread_mutex_unlock(&lock);
    return NULL;
}

void cb_pool_resize(int threads)
{
    pthread_mutex_lock(&busy);
    if (workers) {
        pthread_mutex_lock(&lock);
        stopping = true;
        pthread_cond_broadcast(&wake);
        pthread_mutex_unlock(&lock);
        for (int i = 0; i < n_workers; i++)
            pthread_join(workers[i], NULL);
        free(workers);
        workers = NULL;
        n_workers = 0;
        stopping = false;
    }
    if (threads > 1) {
        n_workers = threads - 1;
        workers = cb_xcalloc((size_t)n_workers, sizeof *workers);
        for (int i = 0; i < n_workers; i++) {
            start *st = cb_xmalloc(sizeof *st);
            st->id = i;
            pthread_mutex_lock(&lock);
            st->seen = generation;
            pthread_mutex_unlock(&lock);
            pthread_create(&workers[i], NULL, worker_main, st);
        }
    }
    pthread_mutex_unlock(&busy);
}

void cb_pool_run(size_t n, cb_task task, void *ctx)
{
    if (n == 0)
        return;
    if (in_task || n_workers == 0 || n == 1 || pthread_mutex_trylock(&busy) != 0) {
        task(ctx, 0, n);
        return;
    }
    pthread_mutex_lock(&lock);
    job_n = n;
    job_task = task;
    job_ctx = ctx;
    pending = n_workers;
    generation++;
    pthread_cond_broadcast(&wake);
    pthread_mutex_unlock(&lock);

    size_t b, e;
    chunk(0, n_workers + 1, &b, &e);
    in_task = true;
    if (b < e)
        task(ctx, b, e);
    in_task = false;

    pthread_mutex_lock(&lock);
    while (pending > 0)
        pthread_cond_wait(&done, &lock);
    pthread_mutex_unlock(&lock);
    pthread_mutex_unlock(&busy);
}
