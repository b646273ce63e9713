/* Pools of connections to users' analytical PostgreSQL databases (the
 * targets registered as dbs rows), on the same asynchronous libpq pool as
 * the metadata database: non-blocking connect and queries, connect and
 * statement timeouts, cancellation. One small pool per distinct connection
 * string, created on first use and kept for the life of the process. */
#ifndef LITESET_PERSISTENCE_TARGET_POOL_H
#define LITESET_PERSISTENCE_TARGET_POOL_H

#include "persistence/pg.h"

#define TARGET_POOL_SIZE 4
#define TARGET_CONNECT_TIMEOUT 10.0

/* The shared pool for conninfo (a libpq URI); query_timeout in seconds. */
pg_pool_t *target_pool_get(const char *conninfo, double query_timeout);
/* A private pool for one check (test_connection); the caller frees it with
 * pg_pool_free once its queries returned. */
pg_pool_t *target_pool_temporary(const char *conninfo, double query_timeout);

#endif
