/* A user's analytical database (a dbs row) opened for queries: its
 * sqlalchemy_uri with the stored password decrypted (EncryptedType under
 * SECRET_KEY) turned into a libpq connection string, and the shared pool
 * for it. PostgreSQL is the one engine Liteset connects to; other engines
 * are refused with a message naming the engine. */
#ifndef LITESET_DOMAIN_TARGET_DB_H
#define LITESET_DOMAIN_TARGET_DB_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "config/config.h"
#include "persistence/pg.h"

typedef struct target_db {
    int64_t id;
    const char *database_name;
    const char *sqlalchemy_uri; /* as stored (password masked) */
    const char *backend;        /* "postgresql", "mysql", ... */
    const char *password;       /* decrypted, NULL when none */
    json_t *extra;              /* parsed extra (arena-owned), {} when empty */
    pg_pool_t *pool;            /* NULL unless TARGET_OK */
} target_db_t;

typedef enum {
    TARGET_OK,
    TARGET_NOT_FOUND,
    TARGET_UNSUPPORTED, /* engine Liteset cannot connect to (*msg names it) */
    TARGET_BAD_URI,
    TARGET_META_ERROR,  /* the metadata database failed */
} target_status_t;

/* Loads database id and the pool for catalog (another database of the
 * same server; NULL: the URI's own). *msg (arena) explains failures. */
target_status_t target_db_open(pg_pool_t *meta, arena_t *a, const config_t *cfg, int64_t id, const char *catalog,
                               target_db_t *out, const char **msg);
/* The backend of an SQLAlchemy URI ("postgresql+psycopg2://" -> "postgresql"). */
const char *target_backend(arena_t *a, const char *uri);
/* libpq connection string for uri with password (NULL keeps the URI's
 * own), its host name resolved off the loop (hostaddr); NULL with *msg when
 * the URI is not a PostgreSQL one or the host does not resolve (then *msg
 * starts with "could not translate host name"). */
char *target_conninfo(arena_t *a, const char *uri, const char *password, const char **msg);
/* The message of the engine refusal. */
const char *target_unsupported_message(arena_t *a, const char *backend);
/* LITESET_TARGET_QUERY_TIMEOUT (default 60 s). */
double target_query_timeout(const config_t *cfg);

#endif
