/* Worker threads for blocking or CPU-heavy jobs; see offload.h. */
#include "lib/offload.h"

#include <pthread.h>
#include <stdlib.h>

#include "lib/arena.h"
#include "lib/fiber.h"

typedef struct job {
    void (*fn)(void *);
    void *arg;
    fiber_t *fiber;
    struct job *next;
} job_t;

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_cond = PTHREAD_COND_INITIALIZER;
static job_t *g_queue_head, *g_queue_tail; /* waiting for a worker */
static job_t *g_done;                      /* finished, to resume on the loop */
static ev_async g_wake;
static struct ev_loop *g_loop;
static bool g_started;

static void *worker(void *unused) {
    (void)unused;
    for (;;) {
        pthread_mutex_lock(&g_lock);
        while (!g_queue_head) pthread_cond_wait(&g_cond, &g_lock);
        job_t *j = g_queue_head;
        g_queue_head = j->next;
        if (!g_queue_head) g_queue_tail = NULL;
        pthread_mutex_unlock(&g_lock);

        j->fn(j->arg);

        pthread_mutex_lock(&g_lock);
        j->next = g_done;
        g_done = j;
        pthread_mutex_unlock(&g_lock);
        ev_async_send(g_loop, &g_wake);
    }
    return NULL;
}

static void wake_cb(struct ev_loop *loop, ev_async *w, int revents) {
    (void)loop;
    (void)w;
    (void)revents;
    pthread_mutex_lock(&g_lock);
    job_t *j = g_done;
    g_done = NULL;
    pthread_mutex_unlock(&g_lock);
    while (j) {
        job_t *next = j->next;
        fiber_unpark(j->fiber);
        j = next;
    }
}

void offload_init(struct ev_loop *loop, int threads) {
    if (g_started) return;
    g_started = true;
    g_loop = loop;
    ev_async_init(&g_wake, wake_cb);
    ev_async_start(loop, &g_wake);
    ev_unref(loop); /* an idle pool must not keep the loop alive */
    if (threads <= 0) threads = 2;
    for (int i = 0; i < threads; i++) {
        pthread_t t;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        if (pthread_create(&t, &attr, worker, NULL) != 0) abort();
        pthread_attr_destroy(&attr);
    }
}

void offload_run(void (*fn)(void *), void *arg) {
    fiber_t *self = fiber_current();
    if (!self || !g_started) {
        fn(arg);
        return;
    }
    job_t j = {.fn = fn, .arg = arg, .fiber = self};
    pthread_mutex_lock(&g_lock);
    if (g_queue_tail) g_queue_tail->next = &j;
    else g_queue_head = &j;
    g_queue_tail = &j;
    pthread_cond_signal(&g_cond);
    pthread_mutex_unlock(&g_lock);
    /* The job lives on this stack: wait for it even if cancelled. The only
     * wake-up is wake_cb, after the worker marked the job done. */
    fiber_park_uncancellable();
}
