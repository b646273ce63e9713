/* DashboardFilterStateRestApi: POST /api/v1/dashboard/<pk>/filter_state and
 * GET, PUT, DELETE /api/v1/dashboard/<pk>/filter_state/<key>. A native
 * filter state is kept in FILTER_STATE_CACHE_CONFIG as {"owner", "value"}
 * under "<pk>;<key>", and the key a browser tab last used under
 * "<session id>;<tab id>;<pk>". The dashboard must be visible to the
 * caller (404 "Resource was not found." otherwise). Bodies follow
 * TemporaryCachePostSchema / TemporaryCachePutSchema. */
#include <string.h>

#include "domain/metastore_cache.h"
#include "fcgi/api/api.h"
#include "fcgi/api/dashboard.h"
#include "fcgi/api/permalink_state.h"
#include "fcgi/app.h"
#include "fcgi/errors.h"
#include "fcgi/session.h"
#include "lib/crypto.h"
#include "persistence/models.h"

#define N(a) (sizeof a / sizeof a[0])
#define CONFIG_KEY "FILTER_STATE_CACHE_CONFIG"

static const pf_field_t fields[] = {{"value", PF_STR, true, false}};
static const pf_schema_t schema = {fields, N(fields)};

static void fatal(request_t *req) { error_fab(req, 500, "Fatal error"); }

/* request.json on a body that does not decode: Flask's plain BadRequest,
 * answered by @safe as 400 with str(exception). */
static void bad_json(request_t *req) {
    error_fab(req, 400, arena_sprintf(req->arena, "400 Bad Request: %s", http_description(400)));
}

static int64_t user_id(request_t *req) { return req->user ? req->user->id : 0; }

static mcache_t cache_of(request_t *req) {
    return (mcache_t){app_pg(req->app), req->arena, app_config(req->app), CONFIG_KEY, user_id(req)};
}

static const char *pk_text(request_t *req) { return arena_sprintf(req->arena, "%lld", (long long)req_path_int(req, "pk")); }

static const char *entry_key(request_t *req, const char *key) {
    const char *parts[] = {pk_text(req), key};
    return mcache_key(req->arena, 2, parts);
}

static const char *contextual_key(request_t *req, const char *tab_id) {
    const char *parts[] = {session_get_str(req, "_id"), tab_id, pk_text(req)};
    return mcache_key(req->arena, 3, parts);
}

/* check_access: DashboardDAO.get_by_id_or_slug under the access filter.
 * False when answered (404 or 500). */
static bool dashboard_visible(request_t *req) {
    model_query_t q;
    mq_init(&q, req->arena, &model_dashboard);
    dashboard_where_id_or_slug(req, &q, pk_text(req));
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              arena_sprintf(req->arena, "SELECT 1 FROM dashboards t WHERE %s LIMIT 1", q.where.data),
                              q.nparams, q.params);
    if (!r) fatal(req);
    else if (!pg_nrows(r)) error_fab(req, 404, "Resource was not found.");
    return r && pg_nrows(r);
}

/* The body's value; NULL when answered. */
static const char *load_value(request_t *req) {
    if (!req_is_json(req)) {
        fatal(req); /* @requires_json raises inside @safe */
        return NULL;
    }
    json_t *body = json_loadb(req->body.data, req->body.len, JSON_DECODE_ANY, NULL);
    if (!body) {
        bad_json(req);
        return NULL;
    }
    json_arena_own(req->arena, body);
    json_t *errors = NULL, *item = pf_load(&schema, body, &errors);
    const char *value = item ? json_string_value(json_object_get(item, "value")) : NULL;
    if (value && *value) { /* validate_json skips empty strings */
        json_t *parsed = json_loads(value, JSON_DECODE_ANY, NULL);
        if (!parsed) errors = json_pack("{s:[s]}", "value", "JSON not valid");
        json_decref(parsed);
    }
    if (errors) {
        json_decref(item);
        resp_json(req, 400, json_pack("{s:o}", "message", errors), JSON_FLASK);
        return NULL;
    }
    json_arena_own(req->arena, item);
    return value;
}

static json_t *new_entry(request_t *req, const char *value) {
    return json_pack("{s:o,s:s}", "owner", user_id(req) ? json_integer(user_id(req)) : json_null(), "value", value);
}

static bool set_new(const mcache_t *c, const char *key, json_t *value) {
    bool ok = mcache_set(c, key, value);
    json_decref(value);
    return ok;
}

static bool is_owner(request_t *req, const json_t *entry) {
    const json_t *o = json_object_get(entry, "owner");
    if (!o || json_is_null(o)) return user_id(req) == 0;
    return json_is_integer(o) && user_id(req) && json_integer_value(o) == user_id(req);
}

/* The key the tab used last; NULL when none, *err on a database error. */
static const char *tab_key(const mcache_t *c, const char *contextual, bool *err) {
    json_t *v;
    mcache_status_t st = mcache_get(c, contextual, &v);
    *err = st == MCACHE_ERROR;
    return st == MCACHE_OK && json_is_string(v) && *json_string_value(v) ? json_string_value(v) : NULL;
}

static void filter_state_post(request_t *req) {
    const char *value = load_value(req);
    if (!value) return;
    const char *tab_id = req_query_arg(req, "tab_id");
    mcache_t c = cache_of(req);
    const char *ctx = contextual_key(req, tab_id);
    bool err;
    const char *key = tab_key(&c, ctx, &err);
    if (err) {
        fatal(req);
        return;
    }
    if (!key || !tab_id || !*tab_id) key = crypto_token_urlsafe(req->arena, 8);
    if (!dashboard_visible(req)) return;
    if (!set_new(&c, entry_key(req, key), new_entry(req, value)) || !set_new(&c, ctx, json_string(key))) {
        fatal(req);
        return;
    }
    resp_json(req, 201, json_pack("{s:s}", "key", key), JSON_FLASK);
}

static void filter_state_put(request_t *req) {
    const char *value = load_value(req);
    if (!value) return;
    const char *key = req_path_param(req, "key");
    if (!dashboard_visible(req)) return;
    mcache_t c = cache_of(req);
    json_t *entry;
    mcache_status_t st = mcache_get(&c, entry_key(req, key), &entry);
    if (st == MCACHE_ERROR || (st == MCACHE_OK && !json_is_object(entry))) {
        fatal(req);
        return;
    }
    if (st == MCACHE_OK && json_object_size(entry)) {
        if (!is_owner(req, entry)) {
            error_fab(req, 403, "You don't have permission to modify the value.");
            return;
        }
        const char *tab_id = req_query_arg(req, "tab_id");
        const char *ctx = contextual_key(req, tab_id);
        bool err;
        key = tab_key(&c, ctx, &err);
        bool ok = !err;
        if (ok && (!key || !tab_id || !*tab_id)) {
            key = crypto_token_urlsafe(req->arena, 8);
            ok = set_new(&c, ctx, json_string(key));
        }
        if (!ok || !set_new(&c, entry_key(req, key), new_entry(req, value))) {
            fatal(req);
            return;
        }
    }
    resp_json(req, 200, json_pack("{s:s}", "key", key), JSON_FLASK);
}

static void filter_state_get(request_t *req) {
    const char *key = entry_key(req, req_path_param(req, "key"));
    if (!dashboard_visible(req)) return;
    mcache_t c = cache_of(req);
    json_t *entry;
    mcache_status_t st = mcache_get(&c, key, &entry);
    if (st == MCACHE_ERROR || (st == MCACHE_OK && !json_is_object(entry))) {
        fatal(req);
        return;
    }
    if (st == MCACHE_OK && json_object_size(entry) && mcache_refresh_on_retrieval(&c) && !mcache_set(&c, key, entry)) {
        fatal(req);
        return;
    }
    const json_t *value = st == MCACHE_OK ? json_object_get(entry, "value") : NULL;
    if (!json_is_string(value) || !*json_string_value(value)) {
        error_fab(req, 404, "Not found");
        return;
    }
    resp_json(req, 200, json_pack("{s:O}", "value", value), JSON_FLASK);
}

static void filter_state_delete(request_t *req) {
    const char *key = entry_key(req, req_path_param(req, "key"));
    if (!dashboard_visible(req)) return;
    mcache_t c = cache_of(req);
    json_t *entry;
    mcache_status_t st = mcache_get(&c, key, &entry);
    if (st == MCACHE_ERROR || (st == MCACHE_OK && !json_is_object(entry))) {
        fatal(req);
        return;
    }
    if (st != MCACHE_OK || !json_object_size(entry)) {
        error_fab(req, 404, "Not found");
        return;
    }
    if (!is_owner(req, entry)) {
        error_fab(req, 403, "You don't have permission to modify the value.");
        return;
    }
    /* the API passes no tab_id to the delete command */
    int ctx = mcache_delete(&c, contextual_key(req, NULL));
    int d = ctx < 0 ? -1 : mcache_delete(&c, key);
    if (d < 0) fatal(req);
    else if (!d) error_fab(req, 404, "Not found");
    else resp_json(req, 200, json_pack("{s:s}", "message", "Deleted successfully"), JSON_FLASK);
}

static const route_def_t routes[] = {
    {"POST", "/api/v1/dashboard/<int:pk>/filter_state", filter_state_post,
     GUARD("can_write", "DashboardFilterStateRestApi"), 0, NULL},
    {"GET", "/api/v1/dashboard/<int:pk>/filter_state/<key>", filter_state_get,
     GUARD("can_read", "DashboardFilterStateRestApi"), 0, NULL},
    {"PUT", "/api/v1/dashboard/<int:pk>/filter_state/<key>", filter_state_put,
     GUARD("can_write", "DashboardFilterStateRestApi"), 0, NULL},
    {"DELETE", "/api/v1/dashboard/<int:pk>/filter_state/<key>", filter_state_delete,
     GUARD("can_write", "DashboardFilterStateRestApi"), 0, NULL},
};

const route_table_t filter_state_routes = {routes, N(routes), NULL};
