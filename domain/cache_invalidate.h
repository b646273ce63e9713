/* Superset's CacheRestApi.invalidate after its body was validated: the
 * datasets named by (datasource_name, database_name, schema, catalog) join
 * the given datasource uids, the `cache_keys` rows of those uids are read,
 * their keys deleted from the caches (CACHE_CONFIG, the one the reference
 * uses, and DATA_CACHE_CONFIG, where chart data actually lives), then the
 * rows deleted.
 *
 * Caches: NullCache has nothing to delete; RedisCache keys are
 * CACHE_KEY_PREFIX (the dict's, else the global one, else "flask_cache_")
 * plus the key, on the server the dict names; SupersetMetastoreCache
 * entries are key_value rows (domain/metastore_cache). Process-local or
 * other backends (SimpleCache, FileSystemCache, Memcached) cannot be
 * reached from here and are skipped with a warning. */
#ifndef LITESET_DOMAIN_CACHE_INVALIDATE_H
#define LITESET_DOMAIN_CACHE_INVALIDATE_H

#include <jansson.h>

#include "config/config.h"
#include "lib/arena.h"
#include "persistence/pg.h"
#include "persistence/redis.h"

typedef struct cache_invalidate_ctx {
    pg_pool_t *pg;
    arena_t *arena;
    const config_t *cfg;
    redis_client_t *redis; /* the process's client for CACHE_CONFIG's server */
} cache_invalidate_ctx_t;

typedef enum {
    CACHE_INVALIDATE_OK,
    CACHE_INVALIDATE_LOOKUP_FAILED, /* reading datasets or cache_keys failed */
    CACHE_INVALIDATE_CACHE_FAILED,  /* a cache backend failed */
    CACHE_INVALIDATE_DELETE_FAILED, /* deleting the rows failed: *message holds the database's text */
} cache_invalidate_status_t;

/* uids: array of strings; datasources: array of objects with optional
 * string members datasource_name, database_name, schema, catalog (catalog
 * may be null). *deleted gets the number of keys invalidated. */
cache_invalidate_status_t cache_invalidate(const cache_invalidate_ctx_t *ctx, const json_t *uids,
                                           const json_t *datasources, int64_t *deleted, const char **message);

#endif
