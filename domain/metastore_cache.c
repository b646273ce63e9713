/* The metastore cache; see metastore_cache.h. */
#include "domain/metastore_cache.h"

#include <string.h>

#include "lib/json.h"
#include "lib/strbuf.h"
#include "lib/uuid3.h"
#include "persistence/key_value.h"

#define RESOURCE "superset_metastore_cache"

static const json_t *settings(const mcache_t *c) {
    const json_t *d = config_get(c->cfg, c->config_key);
    return json_is_object(d) ? d : NULL;
}

static const char *entry_uuid(const mcache_t *c, const char *key) {
    const json_t *prefix = json_object_get(settings(c), "CACHE_KEY_PREFIX");
    const char *seed = json_is_string(prefix) ? json_string_value(prefix) : c->config_key;
    unsigned char ns[16], u[16];
    uuid3_namespace_from_seed(seed, ns);
    uuid3_bytes(ns, key, strlen(key), u);
    return uuid3_text(c->arena, u);
}

static int64_t timeout(const mcache_t *c) {
    const json_t *t = json_object_get(settings(c), "CACHE_DEFAULT_TIMEOUT");
    if (json_is_integer(t)) return json_integer_value(t);
    if (json_is_real(t)) return (int64_t)json_real_value(t);
    return config_int(c->cfg, "CACHE_DEFAULT_TIMEOUT", 300);
}

mcache_status_t mcache_get(const mcache_t *c, const char *key, json_t **value) {
    *value = NULL;
    pg_error_t err;
    bool found;
    const char *text = kv_get_by_uuid(c->pg, c->arena, RESOURCE, entry_uuid(c, key), &found, &err);
    if (!found) return MCACHE_MISSING;
    if (!text) return MCACHE_ERROR;
    *value = json_parse_arena(c->arena, text, strlen(text), JSON_DECODE_ANY, NULL);
    return *value ? MCACHE_OK : MCACHE_ERROR;
}

bool mcache_set(const mcache_t *c, const char *key, const json_t *value) {
    char *text = json_dump_arena(c->arena, value, JSON_PY_DEFAULT | JSON_ENCODE_ANY, NULL);
    if (!text) return false;
    pg_error_t err;
    return kv_upsert_uuid_expiring(c->pg, c->arena, RESOURCE, text, entry_uuid(c, key), c->user_id, timeout(c),
                                   &err);
}

int mcache_delete(const mcache_t *c, const char *key) {
    pg_error_t err;
    return kv_delete_uuid(c->pg, c->arena, RESOURCE, entry_uuid(c, key), &err);
}

bool mcache_refresh_on_retrieval(const mcache_t *c) {
    const json_t *v = json_object_get(settings(c), "REFRESH_TIMEOUT_ON_RETRIEVAL");
    if (json_is_boolean(v)) return json_is_true(v);
    if (json_is_integer(v)) return json_integer_value(v) != 0;
    return v && !json_is_null(v) && !(json_is_string(v) && !*json_string_value(v));
}

char *mcache_key(arena_t *a, int n, const char *const parts[]) {
    strbuf_t sb;
    strbuf_init_arena(&sb, a, 64);
    for (int i = 0; i < n; i++) {
        if (i) strbuf_putc(&sb, ';');
        strbuf_puts(&sb, parts[i] ? parts[i] : "None");
    }
    return sb.data;
}
