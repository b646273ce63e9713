/* A small thread pool for work that cannot be made non-blocking or is
 * CPU-heavy (password hashing, a driver without an async API). A fiber
 * submits a job and parks; a worker thread runs it; completion is signalled
 * back to the loop with ev_async and the fiber resumes. The loop never waits.
 *
 * Ownership: the job struct belongs to the caller's stack for the duration of
 * offload_run; if the fiber is cancelled meanwhile, offload_run still waits
 * for the job to finish (its memory is in use by the thread), so jobs must be
 * short-lived. */
#ifndef LITESET_OFFLOAD_H
#define LITESET_OFFLOAD_H

#include <ev.h>
#include <stdbool.h>

/* Starts `threads` workers (0 = 2). Idempotent per process. */
void offload_init(struct ev_loop *loop, int threads);
/* Runs fn(arg) on a worker thread; from a fiber. Without a fiber (CLI, tests
 * on the loop context) it runs fn inline. */
void offload_run(void (*fn)(void *arg), void *arg);

#endif
