/* Asynchronous PostgreSQL pool on libpq and fibers; see pg.h. */
#include "persistence/pg.h"

#include <libpq-fe.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fiber.h"
#include "lib/log.h"

typedef struct stmt {
    char *name; /* heap, owned by the connection */
    struct stmt *next;
} stmt_t;

struct pg_conn {
    pg_pool_t *pool;
    PGconn *pg;
    bool broken;        /* discard instead of reusing */
    ev_io idle_w;       /* watches the socket while idle */
    stmt_t *prepared;
    pg_conn_t *next_idle;
};

typedef struct waiter {
    fiber_t *fiber;
    pg_conn_t *handed;  /* set by pg_release when it hands a connection over */
    struct waiter *next;
} waiter_t;

struct pg_pool {
    struct ev_loop *loop;
    char *conninfo;
    pg_pool_opts_t opts;
    pg_conn_t *idle;    /* LIFO: the most recently used connection is warmest */
    int open, busy;
    waiter_t *wait_head, *wait_tail;
    int waiting;
    uint64_t reconnects, retries, timeouts;
};

struct pg_result {
    PGresult *res;
};

/* ---- errors ---- */

static void set_err(pg_error_t *err, pg_status_t st, const char *msg, arena_t *a) {
    if (!err) return;
    err->status = st;
    err->sqlstate[0] = '\0';
    if (!msg) msg = "";
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' ')) n--; /* libpq ends messages with \n */
    err->message = a ? arena_strndup(a, msg, n) : "database error";
}

static void notice_sink(void *arg, const char *message) {
    (void)arg;
    log_debug("postgres notice: %s", message);
}

/* ---- connection lifecycle ---- */

static void conn_discard(pg_conn_t *c) {
    pg_pool_t *pool = c->pool;
    if (ev_is_active(&c->idle_w)) ev_io_stop(pool->loop, &c->idle_w);
    if (c->pg) PQfinish(c->pg);
    while (c->prepared) {
        stmt_t *s = c->prepared;
        c->prepared = s->next;
        free(s->name);
        free(s);
    }
    pool->open--;
    free(c);
}

/* Frees the libpq cancel object on a helper thread: PQcancel opens a new
 * connection and blocks, which the loop thread must never do. */
static void *cancel_thread(void *arg) {
    PGcancel *cn = arg;
    char buf[256];
    PQcancel(cn, buf, sizeof buf);
    PQfreeCancel(cn);
    return NULL;
}

static void cancel_server_query(pg_conn_t *c) {
    PGcancel *cn = PQgetCancel(c->pg);
    if (!cn) return;
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&t, &attr, cancel_thread, cn) != 0) PQfreeCancel(cn);
    pthread_attr_destroy(&attr);
}

static void idle_cb(struct ev_loop *loop, ev_io *w, int revents) {
    (void)revents;
    pg_conn_t *c = w->data;
    /* An idle connection has nothing to read unless the server is closing it
     * (shutdown, restart, idle timeout) or sent a notification. */
    if (!PQconsumeInput(c->pg) || PQstatus(c->pg) == CONNECTION_BAD) {
        ev_io_stop(loop, w);
        c->broken = true;
        log_info("postgres closed an idle connection; it will be reopened on demand");
    }
    PGnotify *n;
    while ((n = PQnotifies(c->pg))) PQfreemem(n);
}

static pg_status_t wait_socket(pg_conn_t *c, int events, double deadline, int *revents) {
    double left = -1;
    if (deadline > 0) {
        left = deadline - ev_time();
        if (left <= 0) return PG_ERR_TIMEOUT;
    }
    fiber_wake_t w = fiber_wait_fd(PQsocket(c->pg), events, left, revents);
    if (w == FIBER_TIMEOUT) return PG_ERR_TIMEOUT;
    if (w == FIBER_CANCELLED) return PG_ERR_CANCELLED;
    return PG_OK;
}

static pg_conn_t *conn_open(pg_pool_t *pool, arena_t *a, pg_error_t *err) {
    pg_conn_t *c = xcalloc(1, sizeof *c);
    c->pool = pool;
    pool->open++;
    c->pg = PQconnectStart(pool->conninfo);
    if (!c->pg || PQstatus(c->pg) == CONNECTION_BAD) {
        set_err(err, PG_ERR_CONNECT, c->pg ? PQerrorMessage(c->pg) : "out of memory", a);
        conn_discard(c);
        return NULL;
    }
    double deadline = ev_time() + pool->opts.connect_timeout;
    PostgresPollingStatusType ps = PGRES_POLLING_WRITING;
    while (ps != PGRES_POLLING_OK) {
        if (ps == PGRES_POLLING_FAILED) {
            set_err(err, PG_ERR_CONNECT, PQerrorMessage(c->pg), a);
            conn_discard(c);
            return NULL;
        }
        pg_status_t st = wait_socket(c, ps == PGRES_POLLING_READING ? EV_READ : EV_WRITE, deadline, NULL);
        if (st != PG_OK) {
            set_err(err, st == PG_ERR_TIMEOUT ? PG_ERR_TIMEOUT : st,
                    st == PG_ERR_TIMEOUT ? "timeout while connecting to the metadata database"
                                         : "request cancelled while connecting",
                    a);
            conn_discard(c);
            return NULL;
        }
        ps = PQconnectPoll(c->pg);
    }
    PQsetnonblocking(c->pg, 1);
    PQsetNoticeProcessor(c->pg, notice_sink, NULL);
    ev_io_init(&c->idle_w, idle_cb, PQsocket(c->pg), EV_READ);
    c->idle_w.data = c;
    pool->reconnects++;
    return c;
}

/* A connection taken from the idle list may have died since its watcher last
 * ran (same loop iteration): probe it without blocking. */
static bool conn_alive(pg_conn_t *c) {
    if (c->broken || PQstatus(c->pg) != CONNECTION_OK) return false;
    struct pollfd p = {.fd = PQsocket(c->pg), .events = POLLIN};
    if (poll(&p, 1, 0) > 0) {
        if (!PQconsumeInput(c->pg) || PQstatus(c->pg) != CONNECTION_OK) return false;
    }
    return true;
}

/* ---- pool ---- */

pg_pool_t *pg_pool_new(struct ev_loop *loop, const pg_pool_opts_t *opts) {
    pg_pool_t *p = xcalloc(1, sizeof *p);
    p->loop = loop;
    p->opts = *opts;
    p->conninfo = xstrdup(opts->conninfo ? opts->conninfo : "");
    p->opts.conninfo = p->conninfo;
    if (p->opts.size <= 0) p->opts.size = 8;
    if (p->opts.connect_timeout <= 0) p->opts.connect_timeout = 10;
    if (p->opts.acquire_timeout <= 0) p->opts.acquire_timeout = 30;
    /* Reconnect counter counts re-openings, not the first ones. */
    p->reconnects = 0;
    return p;
}

void pg_pool_free(pg_pool_t *pool) {
    if (!pool) return;
    while (pool->idle) {
        pg_conn_t *c = pool->idle;
        pool->idle = c->next_idle;
        conn_discard(c);
    }
    free(pool->conninfo);
    free(pool);
}

void pg_pool_configure(pg_pool_t *pool, int size, double query_timeout) {
    if (size > 0) pool->opts.size = size;
    pool->opts.query_timeout = query_timeout;
    while (pool->idle && pool->open > pool->opts.size) {
        pg_conn_t *c = pool->idle;
        pool->idle = c->next_idle;
        conn_discard(c);
    }
    /* A larger pool may serve waiters at once: wake them to retry; those that
     * still find no slot queue again. */
    for (waiter_t *w = pool->wait_head; w; w = w->next) fiber_unpark(w->fiber);
}

static void waiter_remove(pg_pool_t *pool, waiter_t *w) {
    waiter_t *prev = NULL;
    for (waiter_t *x = pool->wait_head; x; prev = x, x = x->next) {
        if (x != w) continue;
        if (prev) prev->next = x->next;
        else pool->wait_head = x->next;
        if (pool->wait_tail == x) pool->wait_tail = prev;
        pool->waiting--;
        return;
    }
}

pg_conn_t *pg_acquire(pg_pool_t *pool, arena_t *a, pg_error_t *err) {
    for (;;) {
        while (pool->idle) {
            pg_conn_t *c = pool->idle;
            pool->idle = c->next_idle;
            ev_io_stop(pool->loop, &c->idle_w);
            if (!conn_alive(c)) {
                conn_discard(c);
                continue;
            }
            pool->busy++;
            return c;
        }
        if (pool->open < pool->opts.size) {
            pg_conn_t *c = conn_open(pool, a, err);
            if (c) pool->busy++;
            return c;
        }
        waiter_t w = {.fiber = fiber_current()};
        if (pool->wait_tail) pool->wait_tail->next = &w;
        else pool->wait_head = &w;
        pool->wait_tail = &w;
        pool->waiting++;
        fiber_wake_t r = fiber_park(pool->opts.acquire_timeout);
        if (w.handed) return w.handed; /* handed over even if a timeout raced it */
        waiter_remove(pool, &w);
        if (r == FIBER_CANCELLED) {
            set_err(err, PG_ERR_CANCELLED, "request cancelled", NULL);
            return NULL;
        }
        if (r == FIBER_TIMEOUT) {
            set_err(err, PG_ERR_BUSY, "timed out waiting for a metadata database connection", NULL);
            return NULL;
        }
        /* woken because a slot freed up (a connection was discarded): retry */
    }
}

/* Gives a connection slot to the first waiter, or parks the connection. */
static void pool_put(pg_pool_t *pool, pg_conn_t *c) {
    pool->busy--;
    if (c && (c->broken || PQstatus(c->pg) != CONNECTION_OK || pool->open > pool->opts.size)) {
        conn_discard(c);
        c = NULL;
    }
    waiter_t *w = pool->wait_head;
    if (w) {
        pool->wait_head = w->next;
        if (!pool->wait_head) pool->wait_tail = NULL;
        pool->waiting--;
        if (c) {
            w->handed = c;
            pool->busy++;
        }
        fiber_unpark(w->fiber); /* without a conn it retries and may open one */
        return;
    }
    if (!c) return;
    c->next_idle = pool->idle;
    pool->idle = c;
    ev_io_start(pool->loop, &c->idle_w);
}

/* ---- query execution ---- */

typedef enum { RUN_OK, RUN_SEND_FAILED, RUN_FAILED } run_t;

static void result_free(void *p) { PQclear(p); }

/* Drives one command already sent on c until its last result. */
static run_t collect(pg_conn_t *c, arena_t *a, pg_error_t *err, pg_result_t **out) {
    pg_pool_t *pool = c->pool;
    double deadline = pool->opts.query_timeout > 0 ? ev_time() + pool->opts.query_timeout : 0;
    int f;
    while ((f = PQflush(c->pg)) == 1) {
        int rev = 0;
        pg_status_t st = wait_socket(c, EV_READ | EV_WRITE, deadline, &rev);
        if (st != PG_OK) goto interrupted_with_status;
        if ((rev & EV_READ) && !PQconsumeInput(c->pg)) break;
        continue;
    interrupted_with_status:
        if (st == PG_ERR_TIMEOUT) pool->timeouts++;
        set_err(err, st, st == PG_ERR_TIMEOUT ? "query timed out" : "request cancelled", a);
        cancel_server_query(c);
        c->broken = true;
        return RUN_FAILED;
    }
    PGresult *last = NULL;
    for (;;) {
        if (PQstatus(c->pg) == CONNECTION_BAD) break;
        while (!PQisBusy(c->pg)) {
            PGresult *r = PQgetResult(c->pg);
            if (!r) goto done;
            /* Keep the first error, else the last result. */
            if (last && PQresultStatus(last) == PGRES_FATAL_ERROR) {
                PQclear(r);
                continue;
            }
            if (last) PQclear(last);
            last = r;
        }
        pg_status_t st = wait_socket(c, EV_READ, deadline, NULL);
        if (st != PG_OK) {
            if (last) PQclear(last);
            if (st == PG_ERR_TIMEOUT) pool->timeouts++;
            set_err(err, st, st == PG_ERR_TIMEOUT ? "query timed out" : "request cancelled", a);
            cancel_server_query(c);
            c->broken = true;
            return RUN_FAILED;
        }
        if (!PQconsumeInput(c->pg)) break;
    }
    /* The connection failed mid-command. */
    c->broken = true;
    if (last) {
        const char *state = PQresultErrorField(last, PG_DIAG_SQLSTATE);
        set_err(err, PG_ERR_QUERY, PQresultErrorMessage(last), a);
        if (err && state) snprintf(err->sqlstate, sizeof err->sqlstate, "%s", state);
        PQclear(last);
    } else {
        set_err(err, PG_ERR_CONNECT, PQerrorMessage(c->pg), a);
    }
    return RUN_FAILED;
done:
    if (PQstatus(c->pg) == CONNECTION_BAD) c->broken = true;
    if (!last) {
        set_err(err, PG_ERR_QUERY, "no result", a);
        return RUN_FAILED;
    }
    ExecStatusType es = PQresultStatus(last);
    if (es != PGRES_COMMAND_OK && es != PGRES_TUPLES_OK && es != PGRES_EMPTY_QUERY) {
        const char *state = PQresultErrorField(last, PG_DIAG_SQLSTATE);
        set_err(err, PG_ERR_QUERY, PQresultErrorMessage(last), a);
        if (err && state) snprintf(err->sqlstate, sizeof err->sqlstate, "%s", state);
        PQclear(last);
        return RUN_FAILED;
    }
    pg_result_t *res = arena_alloc(a, sizeof *res);
    res->res = last;
    arena_on_free(a, result_free, last);
    *out = res;
    return RUN_OK;
}

static bool is_prepared(const pg_conn_t *c, const char *name) {
    for (const stmt_t *s = c->prepared; s; s = s->next)
        if (!strcmp(s->name, name)) return true;
    return false;
}

static run_t run(pg_conn_t *c, arena_t *a, pg_error_t *err, const char *name, const char *sql, int nparams,
                 const char *const *params, pg_result_t **out) {
    *out = NULL;
    if (fiber_current() && fiber_is_cancelled(fiber_current())) {
        set_err(err, PG_ERR_CANCELLED, "request cancelled", NULL);
        return RUN_FAILED;
    }
    if (name && !is_prepared(c, name)) {
        if (!PQsendPrepare(c->pg, name, sql, nparams, NULL)) {
            set_err(err, PG_ERR_CONNECT, PQerrorMessage(c->pg), a);
            return RUN_SEND_FAILED;
        }
        pg_result_t *ignored;
        run_t r = collect(c, a, err, &ignored);
        if (r != RUN_OK) return r;
        stmt_t *s = xcalloc(1, sizeof *s);
        s->name = xstrdup(name);
        s->next = c->prepared;
        c->prepared = s;
    }
    int ok = name ? PQsendQueryPrepared(c->pg, name, nparams, params, NULL, NULL, 0)
                  : PQsendQueryParams(c->pg, sql, nparams, NULL, params, NULL, NULL, 0);
    if (!ok) {
        set_err(err, PG_ERR_CONNECT, PQerrorMessage(c->pg), a);
        c->broken = true;
        return RUN_SEND_FAILED;
    }
    return collect(c, a, err, out);
}

/* Whether a failure proves the server never ran the command, so running it
 * again on a new connection cannot apply it twice. */
static bool safe_to_retry(run_t r, const pg_error_t *err) {
    if (r == RUN_SEND_FAILED) return true;
    /* admin_shutdown, crash_shutdown, cannot_connect_now: the backend was
     * terminated and its transaction rolled back. */
    return r == RUN_FAILED && err && err->status == PG_ERR_QUERY &&
           (!strcmp(err->sqlstate, "57P01") || !strcmp(err->sqlstate, "57P02") ||
            !strcmp(err->sqlstate, "57P03"));
}

static pg_result_t *pool_run(pg_pool_t *pool, arena_t *a, pg_error_t *err, const char *name, const char *sql,
                             int nparams, const char *const *params) {
    pg_error_t local;
    if (!err) err = &local;
    for (int attempt = 0; attempt < 2; attempt++) {
        pg_conn_t *c = pg_acquire(pool, a, err);
        if (!c) return NULL;
        pg_result_t *res;
        run_t r = run(c, a, err, name, sql, nparams, params, &res);
        bool retry = r != RUN_OK && c->broken && safe_to_retry(r, err);
        pool_put(pool, c);
        if (r == RUN_OK) {
            err->status = PG_OK;
            return res;
        }
        if (!retry) return NULL;
        pool->retries++;
        log_info("retrying a query on a new connection after: %s", err->message ? err->message : "");
    }
    return NULL;
}

pg_result_t *pg_query(pg_pool_t *pool, arena_t *a, pg_error_t *err, const char *sql, int nparams,
                      const char *const *params) {
    return pool_run(pool, a, err, NULL, sql, nparams, params);
}

pg_result_t *pg_query_prepared(pg_pool_t *pool, arena_t *a, pg_error_t *err, const char *name,
                               const char *sql, int nparams, const char *const *params) {
    return pool_run(pool, a, err, name, sql, nparams, params);
}

pg_result_t *pg_conn_query(pg_conn_t *c, arena_t *a, pg_error_t *err, const char *sql, int nparams,
                           const char *const *params) {
    pg_result_t *res;
    return run(c, a, err, NULL, sql, nparams, params, &res) == RUN_OK ? res : NULL;
}

pg_result_t *pg_conn_query_prepared(pg_conn_t *c, arena_t *a, pg_error_t *err, const char *name,
                                    const char *sql, int nparams, const char *const *params) {
    pg_result_t *res;
    return run(c, a, err, name, sql, nparams, params, &res) == RUN_OK ? res : NULL;
}

/* Waits for the COPY IN state of a command already sent on c. */
static bool copy_started(pg_conn_t *c, arena_t *a, pg_error_t *err, double deadline) {
    for (;;) {
        while (!PQisBusy(c->pg)) {
            PGresult *r = PQgetResult(c->pg);
            if (!r) {
                set_err(err, PG_ERR_QUERY, "COPY did not start", a);
                return false;
            }
            ExecStatusType es = PQresultStatus(r);
            if (es == PGRES_COPY_IN) {
                PQclear(r);
                return true;
            }
            const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
            set_err(err, PG_ERR_QUERY, PQresultErrorMessage(r), a);
            if (err && state) snprintf(err->sqlstate, sizeof err->sqlstate, "%s", state);
            PQclear(r);
            pg_result_t *rest;
            (void)collect(c, a, NULL, &rest); /* drain to the end of the command */
            return false;
        }
        pg_status_t st = wait_socket(c, EV_READ, deadline, NULL);
        if (st != PG_OK || !PQconsumeInput(c->pg)) {
            set_err(err, st == PG_OK ? PG_ERR_CONNECT : st, st == PG_ERR_TIMEOUT ? "query timed out" : "connection lost", a);
            if (st != PG_OK) cancel_server_query(c);
            c->broken = true;
            return false;
        }
    }
}

/* libpq refused the COPY data: the connection is unusable. */
static bool copy_broken(pg_conn_t *c, arena_t *a, pg_error_t *err) {
    set_err(err, PG_ERR_CONNECT, PQerrorMessage(c->pg), a);
    c->broken = true;
    return false;
}

/* Waits until the socket takes more data; on timeout or cancellation the
 * server's command is cancelled and the connection dropped. */
static bool copy_wait_writable(pg_conn_t *c, arena_t *a, pg_error_t *err, double deadline) {
    pg_status_t st = wait_socket(c, EV_WRITE, deadline, NULL);
    if (st == PG_OK) return true;
    set_err(err, st, st == PG_ERR_TIMEOUT ? "query timed out" : "request cancelled", a);
    cancel_server_query(c);
    c->broken = true;
    return false;
}

/* Queues data for the server, waiting for the socket whenever libpq's
 * buffer is full (the connection is non-blocking), then ends the COPY. */
static bool copy_put(pg_conn_t *c, arena_t *a, pg_error_t *err, const char *data, size_t len, double deadline) {
    const size_t chunk = 64 * 1024;
    for (size_t off = 0; off < len;) {
        size_t n = len - off < chunk ? len - off : chunk;
        int rc = PQputCopyData(c->pg, data + off, (int)n);
        if (rc == 1) {
            off += n;
            continue;
        }
        if (rc < 0) return copy_broken(c, a, err);
        if (!copy_wait_writable(c, a, err, deadline)) return false;
        if (PQflush(c->pg) < 0) return copy_broken(c, a, err);
    }
    for (;;) {
        int rc = PQputCopyEnd(c->pg, NULL);
        if (rc == 1) return true;
        if (rc < 0) return copy_broken(c, a, err);
        if (!copy_wait_writable(c, a, err, deadline)) return false;
    }
}

bool pg_conn_copy_in(pg_conn_t *c, arena_t *a, pg_error_t *err, const char *sql, const char *data, size_t len) {
    if (fiber_current() && fiber_is_cancelled(fiber_current())) {
        set_err(err, PG_ERR_CANCELLED, "request cancelled", NULL);
        return false;
    }
    double deadline = c->pool->opts.query_timeout > 0 ? ev_time() + c->pool->opts.query_timeout : 0;
    if (!PQsendQueryParams(c->pg, sql, 0, NULL, NULL, NULL, NULL, 0)) {
        set_err(err, PG_ERR_CONNECT, PQerrorMessage(c->pg), a);
        c->broken = true;
        return false;
    }
    if (!copy_started(c, a, err, deadline)) return false;
    if (!copy_put(c, a, err, data, len, deadline)) return false;
    pg_result_t *res;
    return collect(c, a, err, &res) == RUN_OK;
}

bool pg_begin(pg_conn_t *c, arena_t *a, pg_error_t *err) { return pg_conn_query(c, a, err, "BEGIN", 0, NULL); }
bool pg_commit(pg_conn_t *c, arena_t *a, pg_error_t *err) { return pg_conn_query(c, a, err, "COMMIT", 0, NULL); }
bool pg_rollback(pg_conn_t *c, arena_t *a, pg_error_t *err) {
    return pg_conn_query(c, a, err, "ROLLBACK", 0, NULL);
}

void pg_release(pg_conn_t *c) {
    if (!c) return;
    if (!c->broken && PQtransactionStatus(c->pg) != PQTRANS_IDLE) {
        /* A handler returned inside a transaction (error path): roll back,
         * or drop the connection when that is impossible right now. */
        arena_t *a = arena_new(1024);
        if (!fiber_current() || !pg_rollback(c, a, NULL)) c->broken = true;
        arena_free(a);
    }
    pool_put(c->pool, c);
}

/* ---- results ---- */

int pg_nrows(const pg_result_t *r) { return PQntuples(r->res); }
int pg_ncols(const pg_result_t *r) { return PQnfields(r->res); }
unsigned pg_ftype(const pg_result_t *r, int col) { return (unsigned)PQftype(r->res, col); }
int pg_col(const pg_result_t *r, const char *name) { return PQfnumber(r->res, name); }
const char *pg_colname(const pg_result_t *r, int col) { return PQfname(r->res, col); }

static bool in_range(const pg_result_t *r, int row, int col) {
    return row >= 0 && col >= 0 && row < PQntuples(r->res) && col < PQnfields(r->res);
}

bool pg_isnull(const pg_result_t *r, int row, int col) {
    return !in_range(r, row, col) || PQgetisnull(r->res, row, col);
}

const char *pg_get(const pg_result_t *r, int row, int col) {
    return pg_isnull(r, row, col) ? NULL : PQgetvalue(r->res, row, col);
}

int64_t pg_get_int(const pg_result_t *r, int row, int col, int64_t def) {
    const char *v = pg_get(r, row, col);
    if (!v) return def;
    char *end;
    long long x = strtoll(v, &end, 10);
    return *end ? def : (int64_t)x;
}

double pg_get_double(const pg_result_t *r, int row, int col, double def) {
    const char *v = pg_get(r, row, col);
    if (!v) return def;
    char *end;
    double x = strtod(v, &end);
    return *end ? def : x;
}

bool pg_get_bool(const pg_result_t *r, int row, int col, bool def) {
    const char *v = pg_get(r, row, col);
    if (!v) return def;
    return v[0] == 't';
}

int64_t pg_affected(const pg_result_t *r) {
    const char *s = PQcmdTuples(r->res);
    return s && *s ? strtoll(s, NULL, 10) : 0;
}

void pg_pool_stats(const pg_pool_t *pool, pg_pool_stats_t *out) {
    int idle = 0;
    for (const pg_conn_t *c = pool->idle; c; c = c->next_idle) idle++;
    out->open = pool->open;
    out->idle = idle;
    out->busy = pool->busy;
    out->waiting = pool->waiting;
    out->reconnects = pool->reconnects;
    out->retries = pool->retries;
    out->timeouts = pool->timeouts;
}
