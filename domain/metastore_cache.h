/* Superset's SupersetMetastoreCache with the JSON codec, the default
 * backend of FILTER_STATE_CACHE_CONFIG and EXPLORE_FORM_DATA_CACHE_CONFIG:
 * each cache key is stored as a key_value row of resource
 * "superset_metastore_cache" whose uuid is uuid3(uuid(md5(prefix)), key),
 * where prefix is the config dict's CACHE_KEY_PREFIX (default: the config
 * key's own name). Entries expire after the dict's CACHE_DEFAULT_TIMEOUT
 * (default: the global CACHE_DEFAULT_TIMEOUT). */
#ifndef LITESET_DOMAIN_METASTORE_CACHE_H
#define LITESET_DOMAIN_METASTORE_CACHE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "config/config.h"
#include "lib/arena.h"
#include "persistence/pg.h"

typedef struct mcache {
    pg_pool_t *pg;
    arena_t *arena;
    const config_t *cfg;
    const char *config_key; /* "EXPLORE_FORM_DATA_CACHE_CONFIG", ... */
    int64_t user_id;        /* created_by_fk / changed_by_fk; 0 = anonymous */
} mcache_t;

typedef enum { MCACHE_OK, MCACHE_MISSING, MCACHE_ERROR } mcache_status_t;

/* The decoded value under key (arena-owned) when MCACHE_OK. */
mcache_status_t mcache_get(const mcache_t *c, const char *key, json_t **value);
/* Stores value (json.dumps of it) under key with a fresh expiry. */
bool mcache_set(const mcache_t *c, const char *key, const json_t *value);
/* 1 deleted, 0 nothing there, -1 database error. */
int mcache_delete(const mcache_t *c, const char *key);
/* The dict's REFRESH_TIMEOUT_ON_RETRIEVAL. */
bool mcache_refresh_on_retrieval(const mcache_t *c);

/* Superset's temporary_cache.utils.cache_key: the parts joined with ";"
 * (NULL parts written as Python's None). */
char *mcache_key(arena_t *a, int n, const char *const parts[]);

#endif
