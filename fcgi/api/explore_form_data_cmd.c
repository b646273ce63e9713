/* Explore form_data commands over the metastore cache; see
 * explore_form_data.h. Stored states are json.dumps of {"owner",
 * "datasource_id", "datasource_type", "chart_id", "form_data"}. */
#include <string.h>

#include "domain/metastore_cache.h"
#include "fcgi/api/explore_form_data.h"
#include "fcgi/app.h"
#include "fcgi/session.h"
#include "lib/crypto.h"
#include "lib/json.h"

#define CONFIG_KEY "EXPLORE_FORM_DATA_CACHE_CONFIG"

static int64_t user_id(request_t *req) { return req->user ? req->user->id : 0; }

static mcache_t cache_of(request_t *req) {
    return (mcache_t){app_pg(req->app), req->arena, app_config(req->app), CONFIG_KEY, user_id(req)};
}

static const char *int_text(request_t *req, int64_t v) { return arena_sprintf(req->arena, "%lld", (long long)v); }

/* cache_key(session["_id"], tab_id, datasource_id, chart_id, datasource_type) */
static const char *contextual_key(request_t *req, const char *tab_id, int64_t ds_id, const char *chart,
                                  const char *ds_type) {
    const char *parts[] = {session_get_str(req, "_id"), tab_id, int_text(req, ds_id), chart, ds_type};
    return mcache_key(req->arena, 5, parts);
}

static const char *chart_text(request_t *req, const fd_params_t *p) {
    return p->has_chart ? int_text(req, p->chart_id) : NULL;
}

static bool valid_json(const char *text) {
    if (!text || !*text) return true;
    json_t *j = json_loads(text, JSON_DECODE_ANY, NULL);
    json_decref(j);
    return j != NULL;
}

static json_t *new_state(request_t *req, const fd_params_t *p) {
    json_t *s = json_object();
    json_object_set_new(s, "owner", user_id(req) ? json_integer(user_id(req)) : json_null());
    json_object_set_new(s, "datasource_id", json_integer(p->datasource_id));
    json_object_set_new(s, "datasource_type", json_string(p->datasource_type));
    json_object_set_new(s, "chart_id", p->has_chart ? json_integer(p->chart_id) : json_null());
    json_object_set_new(s, "form_data", json_string(p->form_data));
    return s;
}

static bool set_new(const mcache_t *c, const char *key, json_t *value) {
    bool ok = mcache_set(c, key, value);
    json_decref(value);
    return ok;
}

/* The key a tab used last, NULL when none (or on error: *err). */
static const char *tab_key(const mcache_t *c, const char *contextual, bool *err) {
    json_t *v;
    mcache_status_t st = mcache_get(c, contextual, &v);
    *err = st == MCACHE_ERROR;
    return st == MCACHE_OK && json_is_string(v) && *json_string_value(v) ? json_string_value(v) : NULL;
}

static bool owner_matches(request_t *req, const json_t *state) {
    const json_t *o = json_object_get(state, "owner");
    if (!o || json_is_null(o)) return user_id(req) == 0;
    return json_is_integer(o) && json_integer_value(o) == user_id(req) && user_id(req) != 0;
}

fd_status_t fd_create(request_t *req, const fd_params_t *p, const char **key, explore_access_t *access) {
    if (!valid_json(p->form_data)) return FD_INVALID_JSON;
    *access = explore_check_access(req, p->datasource_id, p->datasource_type, p->has_chart ? p->chart_id : 0);
    if (*access != EXPLORE_OK) return FD_ACCESS;
    mcache_t c = cache_of(req);
    const char *ctx = contextual_key(req, p->tab_id, p->datasource_id, chart_text(req, p), p->datasource_type);
    bool err;
    *key = tab_key(&c, ctx, &err);
    if (err) return FD_ERROR;
    if (!*key || !p->tab_id || !*p->tab_id) *key = crypto_token_urlsafe(req->arena, 8);
    if (!p->form_data || !*p->form_data) return FD_OK;
    if (!set_new(&c, *key, new_state(req, p))) return FD_ERROR;
    return set_new(&c, ctx, json_string(*key)) ? FD_OK : FD_ERROR;
}

fd_status_t fd_update(request_t *req, const fd_params_t *p, const char *key, const char **key_out,
                      explore_access_t *access) {
    *key_out = key;
    if (!valid_json(p->form_data)) return FD_INVALID_JSON;
    *access = explore_check_access(req, p->datasource_id, p->datasource_type, p->has_chart ? p->chart_id : 0);
    if (*access != EXPLORE_OK) return FD_ACCESS;
    mcache_t c = cache_of(req);
    json_t *state;
    mcache_status_t st = mcache_get(&c, key, &state);
    if (st == MCACHE_ERROR) return FD_ERROR;
    if (st == MCACHE_MISSING || !p->form_data || !*p->form_data) return FD_OK;
    if (!json_is_object(state)) return FD_ERROR;
    if (!owner_matches(req, state)) return FD_NOT_OWNER;
    const char *ctx = contextual_key(req, p->tab_id, p->datasource_id, chart_text(req, p), p->datasource_type);
    bool err;
    const char *k = tab_key(&c, ctx, &err);
    if (err) return FD_ERROR;
    if (!k || !p->tab_id || !*p->tab_id) {
        k = crypto_token_urlsafe(req->arena, 8);
        if (!set_new(&c, ctx, json_string(k))) return FD_ERROR;
    }
    *key_out = k;
    return set_new(&c, k, new_state(req, p)) ? FD_OK : FD_ERROR;
}

/* The stored state's datasource and chart, checked for access. */
static fd_status_t check_state(request_t *req, const json_t *state, explore_access_t *access) {
    const json_t *ds = json_object_get(state, "datasource_id"), *chart = json_object_get(state, "chart_id");
    const char *type = json_get_str(state, "datasource_type", NULL);
    if (!json_is_integer(ds) || !type || (chart && !json_is_null(chart) && !json_is_integer(chart)))
        return FD_ERROR;
    *access = explore_check_access(req, json_integer_value(ds), type, json_is_integer(chart) ? json_integer_value(chart) : 0);
    return *access == EXPLORE_OK ? FD_OK : FD_ACCESS;
}

fd_status_t fd_get(request_t *req, const char *key, const char **form_data, explore_access_t *access) {
    *form_data = NULL;
    mcache_t c = cache_of(req);
    json_t *state;
    mcache_status_t st = mcache_get(&c, key, &state);
    if (st != MCACHE_OK) return st == MCACHE_MISSING ? FD_MISSING : FD_ERROR;
    if (!json_is_object(state)) return FD_ERROR;
    fd_status_t r = check_state(req, state, access);
    if (r != FD_OK) return r;
    if (mcache_refresh_on_retrieval(&c) && !mcache_set(&c, key, state)) return FD_ERROR;
    const json_t *fd = json_object_get(state, "form_data");
    if (fd && !json_is_string(fd) && !json_is_null(fd)) return FD_ERROR;
    *form_data = json_string_value(fd);
    return *form_data && **form_data ? FD_OK : FD_MISSING;
}

fd_status_t fd_delete(request_t *req, const char *key, const char *tab_id, explore_access_t *access) {
    mcache_t c = cache_of(req);
    json_t *state;
    mcache_status_t st = mcache_get(&c, key, &state);
    if (st != MCACHE_OK) return st == MCACHE_MISSING ? FD_MISSING : FD_ERROR;
    if (!json_is_object(state)) return FD_ERROR;
    fd_status_t r = check_state(req, state, access);
    if (r != FD_OK) return r;
    if (!owner_matches(req, state)) return FD_NOT_OWNER;
    const json_t *chart = json_object_get(state, "chart_id");
    const char *ctx = contextual_key(req, tab_id, json_integer_value(json_object_get(state, "datasource_id")),
                                     json_is_integer(chart) ? int_text(req, json_integer_value(chart)) : NULL,
                                     json_get_str(state, "datasource_type", NULL));
    if (mcache_delete(&c, ctx) < 0) return FD_ERROR;
    int d = mcache_delete(&c, key);
    return d < 0 ? FD_ERROR : d ? FD_OK : FD_MISSING;
}
