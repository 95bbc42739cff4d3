/* core/runner/workers_mpi.h: workers on many machines, through MPI (OpenMPI).
 *
 * Owns: the MPI side of the worker pool. `mpirun -np N codebench run MANIFEST` starts N copies:
 * rank 0 coordinates (search, store, the only writer of the database) and ranks 1..N-1 evaluate.
 * Each evaluating rank relays its jobs to a local worker process (the same fork/exec pool as
 * the local backend), so a plugin that crashes or hangs costs one job, not the MPI job.
 *
 * Messages: tag JOB (rank 0 -> rank): [i64 job][payload]; tag RESULT (rank -> 0):
 * [i64 job][i32 status][char why[256]][payload]; tag STOP (rank 0 -> rank): no body.
 */
#ifndef CB_CORE_WORKERS_MPI_H
#define CB_CORE_WORKERS_MPI_H

#include "runner/workers.h"

struct cb_mpi_pool;

/* True when this process was started by mpirun (OpenMPI's environment is set). */
int cb_mpi_launched(void);
/* MPI_Init / MPI_Finalize wrappers; rank and size of the world. */
int cb_mpi_init(int *rank, int *size);
void cb_mpi_finalize(void);
/* A rank that cannot go on (bad manifest on one machine) stops every rank. */
void cb_mpi_abort(int code);

struct cb_mpi_pool *cb_mpi_pool_start(int ranks);
int cb_mpi_pool_idle(const struct cb_mpi_pool *p);
int cb_mpi_pool_busy(const struct cb_mpi_pool *p);
int cb_mpi_pool_submit(struct cb_mpi_pool *p, int64_t job, const void *payload, size_t len);
int cb_mpi_pool_wait(struct cb_mpi_pool *p, cb_job_result *out, double max_wait_s);
void cb_mpi_pool_stop(struct cb_mpi_pool *p);

/* An evaluating rank: receives jobs from rank 0 and relays each to a local worker process
 * started as `exe args...` (see cb_workers_start), until STOP. */
int cb_mpi_serve(const char *exe, char *const *args, double timeout_s);

#endif
