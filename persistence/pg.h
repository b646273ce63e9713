/* Per-process asynchronous PostgreSQL pool on libpq, for code running on
 * fibers. Every query sends with PQsendQueryParams/PQsendQueryPrepared on a
 * non-blocking connection and yields while libev watches the socket, so a
 * slow query never holds the process.
 *
 * - Connections open lazily (PQconnectStart/PQconnectPoll, non-blocking) up
 *   to the pool size; fibers queue FIFO when all are busy.
 * - Idle connections are watched: when the server closes one (restart,
 *   idle timeout) it is discarded at once and reopened on next use. A query
 *   whose connection turns out dead before the server could run it is
 *   retried once on a fresh connection.
 * - Per-query timeout and request cancellation: the server-side query is
 *   cancelled (PQcancel on a short-lived thread, since libpq 15 has no
 *   non-blocking cancel) and the connection is discarded.
 * - Values are always bound parameters (text format); prepared statements
 *   are cached per connection by name.
 *
 * Ownership: the pool owns its connections. Results are allocated on the
 * caller's arena (PQclear runs when the arena is freed). */
#ifndef LITESET_PG_H
#define LITESET_PG_H

#include <ev.h>
#include <stdbool.h>
#include <stdint.h>

#include "lib/arena.h"

typedef struct pg_pool pg_pool_t;
typedef struct pg_conn pg_conn_t;
typedef struct pg_result pg_result_t;

typedef enum {
    PG_OK = 0,
    PG_ERR_CONNECT,   /* could not (re)connect */
    PG_ERR_QUERY,     /* the server reported an error (sqlstate set) */
    PG_ERR_TIMEOUT,   /* query or connect timeout */
    PG_ERR_CANCELLED, /* the calling fiber was cancelled */
    PG_ERR_BUSY,      /* pool wait timed out */
} pg_status_t;

typedef struct pg_error {
    pg_status_t status;
    char sqlstate[6];
    const char *message; /* on the caller's arena (or static) */
} pg_error_t;

typedef struct pg_pool_opts {
    const char *conninfo;
    int size;                /* max connections (default 8) */
    double query_timeout;    /* seconds, <= 0: none */
    double connect_timeout;  /* seconds (default 10) */
    double acquire_timeout;  /* seconds waiting for a free connection (default 30) */
} pg_pool_opts_t;

pg_pool_t *pg_pool_new(struct ev_loop *loop, const pg_pool_opts_t *opts);
void pg_pool_free(pg_pool_t *pool); /* closes every idle connection; none may be checked out */
/* Changes limits at runtime (config reload); surplus connections close as
 * they become idle. */
void pg_pool_configure(pg_pool_t *pool, int size, double query_timeout);

/* One-shot query on any pooled connection. NULL on error (err filled). */
pg_result_t *pg_query(pg_pool_t *pool, arena_t *a, pg_error_t *err, const char *sql, int nparams,
                      const char *const *params);
/* Same, through a per-connection prepared statement named `name`. */
pg_result_t *pg_query_prepared(pg_pool_t *pool, arena_t *a, pg_error_t *err, const char *name,
                               const char *sql, int nparams, const char *const *params);

/* Checked-out connection, for transactions. */
pg_conn_t *pg_acquire(pg_pool_t *pool, arena_t *a, pg_error_t *err);
/* Returns the connection; an open transaction is rolled back first. */
void pg_release(pg_conn_t *c);
pg_result_t *pg_conn_query(pg_conn_t *c, arena_t *a, pg_error_t *err, const char *sql, int nparams,
                           const char *const *params);
pg_result_t *pg_conn_query_prepared(pg_conn_t *c, arena_t *a, pg_error_t *err, const char *name,
                                    const char *sql, int nparams, const char *const *params);
/* COPY ... FROM STDIN on c: sends the `len` bytes of data (COPY text
 * format) without blocking, then waits for the command's result. false
 * with err on failure (the server's error, timeout, cancellation). */
bool pg_conn_copy_in(pg_conn_t *c, arena_t *a, pg_error_t *err, const char *sql, const char *data, size_t len);
bool pg_begin(pg_conn_t *c, arena_t *a, pg_error_t *err);
bool pg_commit(pg_conn_t *c, arena_t *a, pg_error_t *err);
bool pg_rollback(pg_conn_t *c, arena_t *a, pg_error_t *err);

/* Typed row access. Columns by index or name (-1 when unknown). */
int pg_nrows(const pg_result_t *r);
int pg_ncols(const pg_result_t *r);
unsigned pg_ftype(const pg_result_t *r, int col); /* the column's type oid, 0 when out of range */
int pg_col(const pg_result_t *r, const char *name);
const char *pg_colname(const pg_result_t *r, int col);
bool pg_isnull(const pg_result_t *r, int row, int col);
const char *pg_get(const pg_result_t *r, int row, int col); /* NULL for SQL NULL */
int64_t pg_get_int(const pg_result_t *r, int row, int col, int64_t def);
double pg_get_double(const pg_result_t *r, int row, int col, double def);
bool pg_get_bool(const pg_result_t *r, int row, int col, bool def);
/* Rows affected by INSERT/UPDATE/DELETE. */
int64_t pg_affected(const pg_result_t *r);

/* Pool statistics (tests, metrics). */
typedef struct pg_pool_stats {
    int open, idle, busy, waiting;
    uint64_t reconnects, retries, timeouts;
} pg_pool_stats_t;
void pg_pool_stats(const pg_pool_t *pool, pg_pool_stats_t *out);

#endif
