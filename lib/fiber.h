/* Fibers: coroutines with their own mmap'd, guard-paged stacks, scheduled by
 * the libev loop of the process. Handlers run as sequential code on a fiber;
 * every wait (socket readiness, timer, another fiber's signal) yields to the
 * loop, which resumes the fiber when the wait ends.
 *
 * Switch mechanism: ucontext (makecontext/swapcontext). It costs a
 * sigprocmask syscall per switch (~0.2 us), negligible next to the network
 * I/O each switch waits for, and in exchange it is portable across every
 * architecture Debian ships, understood by gdb and valgrind, and supported by
 * AddressSanitizer through its fiber-switch annotations (used below), which
 * hand-written assembly switches would have to reimplement.
 *
 * Threading: one loop thread per process; fibers never migrate.
 * Ownership: the fiber module owns fiber structs and stacks; a fiber is freed
 * by the module after its function returns and its exit callback ran. */
#ifndef LITESET_FIBER_H
#define LITESET_FIBER_H

#include <ev.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct fiber fiber_t;
typedef void (*fiber_fn)(void *arg);

typedef enum {
    FIBER_OK = 0,        /* the awaited event happened */
    FIBER_TIMEOUT = 1,   /* the timeout expired first */
    FIBER_CANCELLED = 2, /* fiber_cancel() was called (e.g. the client went away) */
} fiber_wake_t;

/* Must be called once per process before any fiber is spawned.
 * stack_size 0 = default (256 KiB; pages are only committed when touched). */
void fiber_init(struct ev_loop *loop, size_t stack_size);
struct ev_loop *fiber_loop(void);

/* Creates a fiber that will start running fn(arg) on the next loop iteration.
 * on_exit (may be NULL) runs on the loop context after fn returned. */
fiber_t *fiber_spawn(fiber_fn fn, void *arg, void (*on_exit)(void *ud), void *ud);

/* The running fiber, or NULL on the loop context. */
fiber_t *fiber_current(void);

/* Waits (from a fiber) until fd is ready for events (EV_READ/EV_WRITE).
 * timeout < 0: no timeout. Returns FIBER_OK, FIBER_TIMEOUT or FIBER_CANCELLED;
 * *revents (may be NULL) gets the ready events. */
fiber_wake_t fiber_wait_fd(int fd, int events, double timeout, int *revents);
fiber_wake_t fiber_sleep(double seconds);

/* Generic wait for primitives built on top (pools, callbacks): the fiber
 * parks until fiber_unpark(), its timeout or cancellation. */
fiber_wake_t fiber_park(double timeout);
/* Parks until fiber_unpark() only: cancellation is recorded but does not end
 * this wait (for waits on memory another thread still uses). */
void fiber_park_uncancellable(void);
/* Wakes a parked fiber with FIBER_OK. Safe from a fiber or the loop; the wake
 * happens on the next scheduler pass. No effect if f is not parked. */
void fiber_unpark(fiber_t *f);

/* Marks f cancelled: a current wait ends with FIBER_CANCELLED and every later
 * wait returns FIBER_CANCELLED at once, so the handler unwinds. */
void fiber_cancel(fiber_t *f);
bool fiber_is_cancelled(const fiber_t *f);

/* Number of live fibers (spawned, not yet exited). */
size_t fiber_count(void);

/* Opaque per-fiber user pointer (e.g. the request being served). */
void fiber_set_data(fiber_t *f, void *data);
void *fiber_get_data(const fiber_t *f);

#endif
