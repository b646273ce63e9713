/* Cache key invalidation; see cache_invalidate.h. */
#include "domain/cache_invalidate.h"

#include <stdlib.h>
#include <string.h>

#include "domain/metastore_cache.h"
#include "lib/fiber.h"
#include "lib/json.h"
#include "lib/log.h"

#define REDIS_TIMEOUT 30.0
#define DEFAULT_PREFIX "flask_cache_"

/* Every table row with that name in that database whose catalog matches
 * exactly (NULL matches NULL); the schema is compared by the caller. */
#define SQL_DATASETS                                                                                                  \
    "SELECT t.id, t.schema FROM tables t JOIN dbs d ON d.id = t.database_id "                                        \
    "WHERE t.table_name = $1 AND d.database_name = $2 AND t.catalog IS NOT DISTINCT FROM $3 ORDER BY t.id"
#define SQL_KEYS                                                                                                      \
    "SELECT cache_key FROM cache_keys WHERE datasource_uid IN (SELECT jsonb_array_elements_text($1::jsonb)) "       \
    "ORDER BY id"
#define SQL_DELETE "DELETE FROM cache_keys WHERE cache_key IN (SELECT jsonb_array_elements_text($1::jsonb))"

static const char *str_or_null(const json_t *obj, const char *key) {
    return json_string_value(json_object_get(obj, key));
}

/* "" and None are the same schema. */
static bool same_schema(const char *a, const char *b) {
    if (a && !*a) a = NULL;
    if (b && !*b) b = NULL;
    return a == b || (a && b && !strcmp(a, b));
}

/* Adds "<id>__table" of the dataset a datasources entry names, if any. */
static bool add_named(const cache_invalidate_ctx_t *ctx, const json_t *ds, json_t *uids) {
    const char *params[] = {str_or_null(ds, "datasource_name"), str_or_null(ds, "database_name"),
                            str_or_null(ds, "catalog")};
    pg_error_t err;
    pg_result_t *r = pg_query(ctx->pg, ctx->arena, &err, SQL_DATASETS, 3, params);
    if (!r) return false;
    const char *schema = str_or_null(ds, "schema");
    for (int i = 0; i < pg_nrows(r); i++) {
        if (!same_schema(schema, pg_get(r, i, 1))) continue;
        json_array_append_new(uids, json_sprintf("%s__table", pg_get(r, i, 0)));
        break;
    }
    return true;
}

/* The configured Redis server of a dict, when it is not CACHE_CONFIG's
 * (whose server the process client already talks to). Made once per
 * process; a reload that changes the server needs a restart, as for the
 * process client. */
static redis_client_t *data_cache_client(const json_t *dict) {
    static redis_client_t *client;
    if (client) return client;
    config_redis_t r;
    char *err = NULL;
    if (!config_redis_from_cache_dict(dict, "DATA_CACHE_CONFIG", &r, &err)) {
        log_error("%s", err ? err : "DATA_CACHE_CONFIG: invalid Redis settings");
        free(err);
        return NULL;
    }
    client = redis_client_new(fiber_loop(), &r, REDIS_TIMEOUT);
    config_redis_clear(&r);
    return client;
}

static const char *key_prefix(const cache_invalidate_ctx_t *ctx, const json_t *dict) {
    const json_t *p = json_object_get(dict, "CACHE_KEY_PREFIX");
    if (json_is_string(p)) return json_string_value(p);
    return config_str(ctx->cfg, "CACHE_KEY_PREFIX", DEFAULT_PREFIX);
}

static bool delete_redis(const cache_invalidate_ctx_t *ctx, const char *config_key, const json_t *dict,
                         const json_t *keys) {
    redis_client_t *client = !strcmp(config_key, "CACHE_CONFIG") ? ctx->redis : data_cache_client(dict);
    if (!client) return false;
    size_t n = json_array_size(keys);
    const char **argv = arena_calloc(ctx->arena, n + 1, sizeof *argv);
    argv[0] = "DEL";
    const char *prefix = key_prefix(ctx, dict);
    for (size_t i = 0; i < n; i++)
        argv[i + 1] = arena_sprintf(ctx->arena, "%s%s", prefix, json_string_value(json_array_get(keys, i)));
    redis_error_t err = {0};
    redis_reply_t *reply = redis_command(client, ctx->arena, &err, (int)n + 1, argv);
    if (!reply || reply->type == REDIS_R_ERROR) {
        log_error("%s: deleting cache keys failed: %s", config_key,
                  reply ? reply->str : err.message ? err.message : "redis unavailable");
        return false;
    }
    return true;
}

static bool delete_metastore(const cache_invalidate_ctx_t *ctx, const char *config_key, const json_t *keys) {
    mcache_t c = {ctx->pg, ctx->arena, ctx->cfg, config_key, 0};
    size_t i;
    const json_t *k;
    json_array_foreach(keys, i, k)
        if (mcache_delete(&c, json_string_value(k)) < 0) return false;
    return true;
}

static bool delete_from(const cache_invalidate_ctx_t *ctx, const char *config_key, const json_t *keys) {
    const json_t *dict = config_get(ctx->cfg, config_key);
    const char *type = json_string_value(json_object_get(dict, "CACHE_TYPE"));
    if (!type || !strcmp(type, "NullCache") || !strcmp(type, "null")) return true;
    if (config_cache_is_redis(dict)) return delete_redis(ctx, config_key, dict, keys);
    if (!strcmp(type, "SupersetMetastoreCache") || strstr(type, "SupersetMetastoreCache"))
        return delete_metastore(ctx, config_key, keys);
    log_warn("%s: CACHE_TYPE %s cannot be reached by this server: its keys are left to expire", config_key, type);
    return true;
}

cache_invalidate_status_t cache_invalidate(const cache_invalidate_ctx_t *ctx, const json_t *uids,
                                           const json_t *datasources, int64_t *deleted, const char **message) {
    *deleted = 0;
    *message = NULL;
    json_t *all = json_arena_own(ctx->arena, uids ? json_deep_copy(uids) : json_array());
    if (!all) all = json_arena_own(ctx->arena, json_array());
    size_t i;
    const json_t *ds;
    json_array_foreach(datasources, i, ds)
        if (!add_named(ctx, ds, all)) return CACHE_INVALIDATE_LOOKUP_FAILED;
    const char *uid_param = json_dump_arena(ctx->arena, all, JSON_COMPACT, NULL);
    pg_error_t err;
    pg_result_t *r = pg_query(ctx->pg, ctx->arena, &err, SQL_KEYS, 1, &uid_param);
    if (!r) return CACHE_INVALIDATE_LOOKUP_FAILED;
    if (pg_nrows(r) == 0) return CACHE_INVALIDATE_OK;
    json_t *keys = json_arena_own(ctx->arena, json_array());
    for (int row = 0; row < pg_nrows(r); row++) json_array_append_new(keys, json_string(pg_get(r, row, 0)));
    static const char *const caches[] = {"CACHE_CONFIG", "DATA_CACHE_CONFIG"};
    for (size_t c = 0; c < sizeof caches / sizeof caches[0]; c++)
        if (!delete_from(ctx, caches[c], keys)) return CACHE_INVALIDATE_CACHE_FAILED;
    const char *key_param = json_dump_arena(ctx->arena, keys, JSON_COMPACT, NULL);
    pg_result_t *d = pg_query(ctx->pg, ctx->arena, &err, SQL_DELETE, 1, &key_param);
    if (!d) {
        *message = err.message ? err.message : "database error";
        return CACHE_INVALIDATE_DELETE_FAILED;
    }
    *deleted = (int64_t)json_array_size(keys);
    log_info("invalidated %lld cache records for %zu datasources", (long long)*deleted, json_array_size(all));
    return CACHE_INVALIDATE_OK;
}
