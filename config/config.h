/* Settings: Superset's defaults for the keys Liteset uses, then
 * superset_config.py (found via SUPERSET_CONFIG_PATH) read as Python literals,
 * then SUPERSET_* environment overrides. Values live in one JSON object
 * (Python literal -> JSON: str->string, int->integer, float->real,
 * bool->true/false, None->null, list/tuple->array, dict->object,
 * timedelta(...)->real seconds).
 *
 * Ownership: a config_t is heap-owned by whoever loaded it (one per process,
 * replaced on SIGHUP); free it with config_free. Strings returned by the
 * accessors belong to the config. */
#ifndef LITESET_CONFIG_H
#define LITESET_CONFIG_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct config_redis {
    char *host;      /* NULL when unix socket is used */
    int port;
    char *unix_path; /* NULL unless a unix:// URL was given */
    int db;
    char *username;  /* may be NULL */
    char *password;  /* may be NULL */
    bool ssl;
} config_redis_t;

typedef struct config {
    json_t *values;          /* every key, owned */
    char *source_path;       /* superset_config.py actually read, or NULL */
    /* Derived once at load time: */
    char *pg_conninfo;       /* libpq URI derived from SQLALCHEMY_DATABASE_URI, or NULL */
    char *pg_error;          /* why pg_conninfo is NULL (e.g. the sqlite default); callers
                              * that need the metadata database print it */
    config_redis_t redis;    /* from CACHE_CONFIG (RedisCache) else GLOBAL_ASYNC_QUERIES_REDIS_CONFIG */
} config_t;

typedef struct config_load_opts {
    const char *path;        /* explicit file; NULL = $SUPERSET_CONFIG_PATH (absent: no file) */
    bool allow_default_secret; /* tests only: accept Superset's well-known default SECRET_KEY */
} config_load_opts_t;

/* Loads settings. On error returns NULL and sets *err (heap string, caller frees):
 * unreadable or unparsable file, malformed Redis URL, or the well-known default
 * (or an empty) SECRET_KEY without allow_default_secret, DEBUG, TESTING or
 * SUPERSET_TESTENV (Superset's own rule). An unsupported database URI is not an
 * error here: pg_conninfo is NULL and pg_error says why.
 * Non-literal assignments are skipped with a log warning naming the key. */
config_t *config_load(const config_load_opts_t *opts, char **err);
void config_free(config_t *cfg);

/* Typed accessors; return def when the key is missing or of another type. */
const json_t *config_get(const config_t *cfg, const char *key);
const char *config_str(const config_t *cfg, const char *key, const char *def);
int64_t config_int(const config_t *cfg, const char *key, int64_t def);
double config_real(const config_t *cfg, const char *key, double def); /* ints accepted */
bool config_bool(const config_t *cfg, const char *key, bool def);
/* FEATURE_FLAGS merged over Superset's DEFAULT_FEATURE_FLAGS. */
bool config_feature(const config_t *cfg, const char *flag);

/* Converts SQLALCHEMY_DATABASE_URI (postgresql://, postgresql+psycopg2://, with
 * query args such as sslmode) to a libpq conninfo URI. NULL + *err on other schemes. */
char *config_pg_conninfo_from_uri(const char *uri, char **err);

/* Parses redis://[user][:password]@host[:port][/db], rediss://... (ssl) and
 * unix://[[user]:password@]/path?db=N into out (fields heap-owned; release with
 * config_redis_clear). false + *err (heap string) when malformed. */
bool config_redis_from_url(const char *url, config_redis_t *out, char **err);
void config_redis_clear(config_redis_t *r);
/* True when the Flask-Caching dict's CACHE_TYPE names RedisCache. */
bool config_cache_is_redis(const json_t *dict);
/* The Redis server of a Flask-Caching RedisCache dict (CACHE_REDIS_URL, else
 * CACHE_REDIS_HOST/PORT/DB/USER/PASSWORD/SSL) into out (release with
 * config_redis_clear). false + *err (heap string, prefixed with what). */
bool config_redis_from_cache_dict(const json_t *dict, const char *what, config_redis_t *out, char **err);

/* Superset's documented default key that must never run in production. */
#define SUPERSET_DEFAULT_SECRET_KEY "CHANGE_ME_TO_A_COMPLEX_RANDOM_SECRET"

#endif
