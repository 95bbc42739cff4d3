/* core/runner/workers_mpi.c: see workers_mpi.h. */
#include "runner/workers_mpi.h"
#include "util/util.h"

#include <mpi.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { TAG_JOB = 1, TAG_RESULT = 2, TAG_STOP = 3 };
#define WHY_LEN 256
#define RESULT_HEAD (8 + 4 + WHY_LEN)

struct cb_mpi_pool {
    int ranks;       /* world size; workers are 1..ranks-1 */
    bool *busy;      /* per rank */
};

int cb_mpi_launched(void)
{
    return getenv("OMPI_COMM_WORLD_SIZE") != NULL || getenv("PMIX_RANK") != NULL;
}

int cb_mpi_init(int *rank, int *size)
{
    /* Workers fork local processes: tell OpenMPI that is intended (no transport here relies
     * on memory registered before the fork). */
    setenv("OMPI_MCA_mpi_warn_on_fork", "0", 0);
    if (MPI_Init(NULL, NULL) != MPI_SUCCESS)
        return -1;
    MPI_Comm_rank(MPI_COMM_WORLD, rank);
    MPI_Comm_size(MPI_COMM_WORLD, size);
    return 0;
}

void cb_mpi_finalize(void)
{
    MPI_Finalize();
}

void cb_mpi_abort(int code)
{
    MPI_Abort(MPI_COMM_WORLD, code);
}

struct cb_mpi_pool *cb_mpi_pool_start(int ranks)
{
    struct cb_mpi_pool *p = cb_xcalloc(1, sizeof *p);
    p->ranks = ranks;
    p->busy = cb_xcalloc((size_t)ranks, sizeof *p->busy);
    p->busy[0] = true; /* rank 0 coordinates */
    return p;
}

int cb_mpi_pool_idle(const struct cb_mpi_pool *p)
{
    int k = 0;
    for (int r = 1; r < p->ranks; r++)
        k += !p->busy[r];
    return k;
}

int cb_mpi_pool_busy(const struct cb_mpi_pool *p)
{
    return p->ranks - 1 - cb_mpi_pool_idle(p);
}

static void *with_job(int64_t job, const void *payload, size_t len, size_t *total)
{
    *total = 8 + len;
    char *buf = cb_xmalloc(*total);
    memcpy(buf, &job, 8);
    if (len)
        memcpy(buf + 8, payload, len);
    return buf;
}

int cb_mpi_pool_submit(struct cb_mpi_pool *p, int64_t job, const void *payload, size_t len)
{
    for (int r = 1; r < p->ranks; r++) {
        if (p->busy[r])
            continue;
        size_t total;
        void *buf = with_job(job, payload, len, &total);
        int rc = MPI_Send(buf, (int)total, MPI_BYTE, r, TAG_JOB, MPI_COMM_WORLD);
        free(buf);
        if (rc != MPI_SUCCESS)
            return -1;
        p->busy[r] = true;
        return 0;
    }
    return -1;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int cb_mpi_pool_wait(struct cb_mpi_pool *p, cb_job_result *out, double max_wait_s)
{
    double until = now_s() + max_wait_s;
    do {
        int flag = 0;
        MPI_Status st;
        MPI_Iprobe(MPI_ANY_SOURCE, TAG_RESULT, MPI_COMM_WORLD, &flag, &st);
        if (flag) {
            int count = 0;
            MPI_Get_count(&st, MPI_BYTE, &count);
            char *buf = cb_xmalloc((size_t)count + 1);
            MPI_Recv(buf, count, MPI_BYTE, st.MPI_SOURCE, TAG_RESULT, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            p->busy[st.MPI_SOURCE] = false;
            if ((size_t)count < RESULT_HEAD) {
                free(buf);
                return -1;
            }
            int32_t status;
            memcpy(&out->job, buf, 8);
            memcpy(&status, buf + 8, 4);
            out->status = status;
            memcpy(out->why, buf + 12, WHY_LEN);
            out->why[WHY_LEN - 1] = '\0';
            out->len = (size_t)count - RESULT_HEAD;
            out->payload = cb_xmalloc(out->len + 1);
            memcpy(out->payload, buf + RESULT_HEAD, out->len);
            free(buf);
            return 1;
        }
        usleep(1000);
    } while (now_s() < until);
    return 0;
}

void cb_mpi_pool_stop(struct cb_mpi_pool *p)
{
    for (int r = 1; r < p->ranks; r++)
        MPI_Send(NULL, 0, MPI_BYTE, r, TAG_STOP, MPI_COMM_WORLD);
    free(p->busy);
    free(p);
}

static int relay_result(const cb_job_result *r)
{
    size_t total = RESULT_HEAD + r->len;
    char *buf = cb_xcalloc(1, total);
    int32_t status = r->status;
    memcpy(buf, &r->job, 8);
    memcpy(buf + 8, &status, 4);
    memcpy(buf + 12, r->why, WHY_LEN);
    if (r->len)
        memcpy(buf + RESULT_HEAD, r->payload, r->len);
    int rc = MPI_Send(buf, (int)total, MPI_BYTE, 0, TAG_RESULT, MPI_COMM_WORLD);
    free(buf);
    return rc == MPI_SUCCESS ? 0 : -1;
}

int cb_mpi_serve(const char *exe, char *const *args, double timeout_s)
{
    char err[256];
    cb_workers *local = cb_workers_start(1, exe, args, timeout_s, err, sizeof err);
    if (!local) {
        fprintf(stderr, "codebench: %s\n", err);
        return -1;
    }
    for (;;) {
        MPI_Status st;
        MPI_Probe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
        int count = 0;
        MPI_Get_count(&st, MPI_BYTE, &count);
        char *buf = cb_xmalloc((size_t)count + 1);
        MPI_Recv(buf, count, MPI_BYTE, 0, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (st.MPI_TAG == TAG_STOP || count < 8) {
            free(buf);
            break;
        }
        int64_t job;
        memcpy(&job, buf, 8);
        cb_workers_submit(local, job, buf + 8, (size_t)count - 8);
        free(buf);
        cb_job_result r;
        while (cb_workers_wait(local, &r, 1.0) != 1)
            ;
        relay_result(&r);
        free(r.payload);
    }
    cb_workers_stop(local);
    return 0;
}
