/* Fiber scheduler on ucontext + libev; see fiber.h for the design. */
#include "lib/fiber.h"

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "lib/arena.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#define ASAN_START(fake, bottom, size) __sanitizer_start_switch_fiber((fake), (bottom), (size))
#define ASAN_FINISH(fake, bottom, size) __sanitizer_finish_switch_fiber((fake), (bottom), (size))
#else
#define ASAN_START(fake, bottom, size) ((void)(fake), (void)(bottom), (void)(size))
#define ASAN_FINISH(fake, bottom, size) ((void)(fake), (void)(bottom), (void)(size))
#endif

#define DEFAULT_STACK (256 * 1024)
#define STACK_CACHE_MAX 32

typedef enum { F_NEW, F_READY, F_RUNNING, F_PARKED, F_DONE } fstate_t;

struct fiber {
    ucontext_t ctx;
    void *stack;         /* mmap base, guard page included */
    size_t map_size;
    fstate_t state;
    bool cancelled;
    fiber_wake_t wake;   /* why the current wait ended */
    fiber_fn fn;
    void *arg;
    void (*on_exit)(void *);
    void *exit_ud;
    void *data;
    ev_io io;
    ev_timer timer;
    fiber_t *next_ready; /* run-queue link */
    void *asan_fake;
    int revents;         /* events seen by the last fd wait */
    bool uncancellable;  /* current park ignores fiber_cancel */
};

static struct ev_loop *g_loop;
static size_t g_stack_size = DEFAULT_STACK;
static size_t g_page;
static ucontext_t g_main_ctx;
static fiber_t *g_current;
static fiber_t *g_ready_head, *g_ready_tail;
static ev_check g_check;
static ev_idle g_idle;
static size_t g_live;
static void *g_stack_cache[STACK_CACHE_MAX];
static size_t g_stack_cached;
static const void *g_main_stack_bottom;
static size_t g_main_stack_size;

static void *stack_get(void) {
    if (g_stack_cached) return g_stack_cache[--g_stack_cached];
    size_t sz = g_stack_size + g_page;
    void *p = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (p == MAP_FAILED) {
        perror("liteset: fiber stack mmap");
        abort();
    }
    /* Guard page at the low end: a stack overflow faults instead of
     * silently corrupting the neighbouring mapping. */
    if (mprotect(p, g_page, PROT_NONE) != 0) {
        perror("liteset: fiber guard page");
        abort();
    }
    return p;
}

static void stack_put(void *p) {
    if (g_stack_cached < STACK_CACHE_MAX) {
        g_stack_cache[g_stack_cached++] = p;
        return;
    }
    munmap(p, g_stack_size + g_page);
}

static void ready_push(fiber_t *f) {
    f->state = F_READY;
    f->next_ready = NULL;
    if (g_ready_tail)
        g_ready_tail->next_ready = f;
    else
        g_ready_head = f;
    g_ready_tail = f;
    if (!ev_is_active(&g_idle)) ev_idle_start(g_loop, &g_idle); /* keep poll from blocking */
}

/* Loop context -> fiber. Returns when the fiber parks or finishes. */
static void resume(fiber_t *f) {
    g_current = f;
    f->state = F_RUNNING;
    void *fake = NULL;
    ASAN_START(&fake, (char *)f->stack + g_page, g_stack_size);
    swapcontext(&g_main_ctx, &f->ctx);
    ASAN_FINISH(fake, NULL, NULL);
    g_current = NULL;
    if (f->state == F_DONE) {
        if (f->on_exit) f->on_exit(f->exit_ud);
        stack_put(f->stack);
        free(f);
        g_live--;
    }
}

/* Fiber -> loop context. */
static void yield_to_loop(fiber_t *f, bool finished) {
    ASAN_START(finished ? NULL : &f->asan_fake, g_main_stack_bottom, g_main_stack_size);
    swapcontext(&f->ctx, &g_main_ctx);
    ASAN_FINISH(f->asan_fake, &g_main_stack_bottom, &g_main_stack_size);
}

static void trampoline(void) {
    fiber_t *f = g_current;
    ASAN_FINISH(NULL, &g_main_stack_bottom, &g_main_stack_size);
    f->fn(f->arg);
    f->state = F_DONE;
    yield_to_loop(f, true);
    abort(); /* never resumed */
}

static void run_ready(void) {
    while (g_ready_head) {
        fiber_t *f = g_ready_head;
        g_ready_head = f->next_ready;
        if (!g_ready_head) g_ready_tail = NULL;
        resume(f);
    }
    if (ev_is_active(&g_idle)) ev_idle_stop(g_loop, &g_idle);
}

static void check_cb(struct ev_loop *loop, ev_check *w, int revents) {
    (void)loop;
    (void)w;
    (void)revents;
    run_ready();
}

static void idle_cb(struct ev_loop *loop, ev_idle *w, int revents) {
    (void)loop;
    (void)w;
    (void)revents;
    run_ready();
}

void fiber_init(struct ev_loop *loop, size_t stack_size) {
    g_loop = loop;
    g_page = (size_t)sysconf(_SC_PAGESIZE);
    if (stack_size) g_stack_size = (stack_size + g_page - 1) & ~(g_page - 1);
    ev_check_init(&g_check, check_cb);
    ev_check_start(loop, &g_check);
    ev_unref(loop); /* the scheduler alone must not keep ev_run alive */
    ev_idle_init(&g_idle, idle_cb);
}

struct ev_loop *fiber_loop(void) { return g_loop; }

fiber_t *fiber_spawn(fiber_fn fn, void *arg, void (*on_exit)(void *), void *ud) {
    fiber_t *f = xcalloc(1, sizeof(*f));
    f->fn = fn;
    f->arg = arg;
    f->on_exit = on_exit;
    f->exit_ud = ud;
    f->stack = stack_get();
    getcontext(&f->ctx);
    f->ctx.uc_stack.ss_sp = (char *)f->stack + g_page;
    f->ctx.uc_stack.ss_size = g_stack_size;
    f->ctx.uc_link = NULL;
    makecontext(&f->ctx, trampoline, 0);
    g_live++;
    ready_push(f);
    return f;
}

fiber_t *fiber_current(void) { return g_current; }

static void wake(fiber_t *f, fiber_wake_t why) {
    if (f->state != F_PARKED) return; /* first wake wins */
    f->wake = why;
    ev_io_stop(g_loop, &f->io);
    ev_timer_stop(g_loop, &f->timer);
    ready_push(f);
}

static void io_cb(struct ev_loop *loop, ev_io *w, int revents) {
    (void)loop;
    fiber_t *f = w->data;
    f->revents = revents;
    wake(f, FIBER_OK);
}

static void timer_cb(struct ev_loop *loop, ev_timer *w, int revents) {
    (void)loop;
    (void)revents;
    wake(w->data, FIBER_TIMEOUT);
}

static fiber_wake_t park(fiber_t *f, double timeout) {
    if (f->cancelled) return FIBER_CANCELLED;
    if (timeout >= 0) {
        ev_timer_init(&f->timer, timer_cb, timeout, 0.);
        f->timer.data = f;
        ev_timer_start(g_loop, &f->timer);
    }
    f->state = F_PARKED;
    yield_to_loop(f, false);
    return f->wake;
}

fiber_wake_t fiber_park(double timeout) {
    fiber_t *f = g_current;
    if (!f) abort(); /* waiting on the loop context would deadlock the process */
    return park(f, timeout);
}

fiber_wake_t fiber_wait_fd(int fd, int events, double timeout, int *revents) {
    fiber_t *f = g_current;
    if (!f) abort();
    if (revents) *revents = 0;
    if (f->cancelled) return FIBER_CANCELLED;
    ev_io_init(&f->io, io_cb, fd, events);
    f->io.data = f;
    ev_io_start(g_loop, &f->io);
    fiber_wake_t r = park(f, timeout);
    if (revents) *revents = r == FIBER_OK ? f->revents : 0;
    return r;
}

fiber_wake_t fiber_sleep(double seconds) { return fiber_park(seconds); }

void fiber_park_uncancellable(void) {
    fiber_t *f = g_current;
    if (!f) abort();
    f->uncancellable = true;
    f->state = F_PARKED;
    yield_to_loop(f, false);
    f->uncancellable = false;
}

void fiber_unpark(fiber_t *f) { wake(f, FIBER_OK); }

void fiber_cancel(fiber_t *f) {
    f->cancelled = true;
    if (!f->uncancellable) wake(f, FIBER_CANCELLED);
}

bool fiber_is_cancelled(const fiber_t *f) { return f->cancelled; }
size_t fiber_count(void) { return g_live; }
void fiber_set_data(fiber_t *f, void *data) { f->data = data; }
void *fiber_get_data(const fiber_t *f) { return f->data; }
