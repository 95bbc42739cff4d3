/* core/runner/workers.h: a pool of worker processes that evaluate jobs in isolation.
 *
 * Owns: spawning workers (fork + exec of the codebench executable with the caller's
 * arguments, e.g. `codebench worker MANIFEST`), the framed pipe protocol between the
 * coordinator and its workers, time limits, and crash detection. A plugin that segfaults,
 * aborts, exits or hangs costs one job: the coordinator gets a failure naming the signal or
 * the time limit, and a fresh worker takes the dead one's place.
 *
 * Protocol: each message is a frame [u32 length][i64 job][payload], little-endian, on two
 * dedicated descriptors (not stdin/stdout: a plugin that prints to stdout must not corrupt it;
 * the worker's stdout goes to the coordinator's stderr).
 */
#ifndef CB_CORE_WORKERS_H
#define CB_CORE_WORKERS_H

#include <stddef.h>
#include <stdint.h>

typedef struct cb_workers cb_workers;

enum { CB_JOB_DONE = 0, CB_JOB_CRASHED = 1, CB_JOB_TIMEOUT = 2 };

typedef struct cb_job_result {
    int64_t job;
    int status;          /* CB_JOB_* */
    char why[256];       /* for CRASHED/TIMEOUT: "worker killed by signal 11 (SIGSEGV)" */
    void *payload;       /* CB_JOB_DONE: malloc'd result bytes (free it) */
    size_t len;
} cb_job_result;

/* Starts n workers running `exe args... --job-fd R --result-fd W`. args is NULL-terminated. */
cb_workers *cb_workers_start(int n, const char *exe, char *const *args, double timeout_s, char *err,
                             size_t err_len);

/* The coordinator's side of an MPI job (rank 0): ranks 1..ranks-1 are the workers, each relaying
 * jobs to a local worker process of its own (see workers_mpi.h). MPI must be initialized. */
cb_workers *cb_workers_start_mpi(int ranks);

int cb_workers_idle(const cb_workers *w);   /* workers without a job */
int cb_workers_busy(const cb_workers *w);   /* jobs in flight */

/* Hands a job to an idle worker. Returns 0, or -1 when none is idle or the write failed. */
int cb_workers_submit(cb_workers *w, int64_t job, const void *payload, size_t len);

/* Waits up to max_wait_s for a job to finish, crash or time out. Returns 1 with *out filled,
 * 0 when nothing happened in time, -1 when interrupted (EINTR: check for cancellation). */
int cb_workers_wait(cb_workers *w, cb_job_result *out, double max_wait_s);

/* Stops every worker (SIGTERM, then SIGKILL after a grace period) and frees the pool. */
void cb_workers_stop(cb_workers *w);

/* Worker side: reads jobs from in_fd and answers each with handle()'s bytes on out_fd until
 * the coordinator closes the pipe. handle returns 0 and a malloc'd result. */
typedef int (*cb_job_handler)(void *ctx, int64_t job, const void *payload, size_t len,
                              void **result, size_t *result_len);
int cb_worker_serve(int in_fd, int out_fd, cb_job_handler handle, void *ctx);

/* Frame I/O, shared with the MPI backend's tests. */
int cb_frame_write(int fd, int64_t job, const void *payload, size_t len);
int cb_frame_read(int fd, int64_t *job, void **payload, size_t *len); /* 1 frame, 0 EOF, -1 error */

#endif
