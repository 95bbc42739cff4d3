/* core/host/pool.h: the core's thread pool behind host->parallel.
 *
 * Owns: a fixed set of worker threads that split [0, n) into one contiguous chunk per thread.
 * The calling thread takes the first chunk. A call made from inside a task, or while another
 * thread is using the pool, runs inline: parallelism is one level deep, never nested. */
#ifndef CB_CORE_POOL_H
#define CB_CORE_POOL_H

#include <codebench/plugin.h>
#include <stddef.h>

void cb_pool_resize(int threads); /* 0 or 1: no workers (everything inline) */
void cb_pool_run(size_t n, cb_task task, void *ctx);

#endif
