/* Explore form_data commands over the metastore cache; see
 * explore_form_data.h. Stored states are json.dumps of {"owner",
 * "datasource_id", "datasource_type", "chart_id", "form_data"}. */
#include <stdlib.h>
#include <string.h>

#include "domain/metastore_cache.h"
#include "fcgi/api/explore_form_data.h"
#include "fcgi/app.h"
#include "fcgi/session.h"
#include "fcgi/urls.h"
#include "lib/crypto.h"
#include "lib/json.h"
#include "lib/strbuf.h"

#define CONFIG_KEY "EXPLORE_FORM_DATA_CACHE_CONFIG"

static int64_t user_id(request_t *req) { return req->user ? req->user->id : 0; }

static mcache_t cache_of(request_t *req) {
    return (mcache_t){app_pg(req->app), req->arena, app_config(req->app), CONFIG_KEY, user_id(req)};
}

static const char *int_text(request_t *req, int64_t v) { return arena_sprintf(req->arena, "%lld", (long long)v); }

/* cache_key(session["_id"], tab_id, datasource_id, chart_id, datasource_type) */
static const char *contextual_key(request_t *req, const char *tab_id, const char *ds_id, const char *chart,
                                  const char *ds_type) {
    const char *parts[] = {session_get_str(req, "_id"), tab_id, ds_id, chart, ds_type};
    return mcache_key(req->arena, 5, parts);
}

static const char *datasource_text(request_t *req, const fd_params_t *p) {
    return p->datasource_id_text ? p->datasource_id_text : int_text(req, p->datasource_id);
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
    json_object_set_new(s, "datasource_id", p->datasource_id_text ? json_string(p->datasource_id_text)
                                                                  : json_integer(p->datasource_id));
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
    const char *ctx = contextual_key(req, p->tab_id, datasource_text(req, p), chart_text(req, p), p->datasource_type);
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
    const char *ctx = contextual_key(req, p->tab_id, datasource_text(req, p), chart_text(req, p), p->datasource_type);
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

/* A datasource id stored as a number or, by the legacy redirect, as text. */
static bool id_value(const json_t *v, int64_t *out) {
    if (json_is_integer(v)) {
        *out = json_integer_value(v);
        return true;
    }
    if (!json_is_string(v)) return false;
    char *end;
    *out = strtoll(json_string_value(v), &end, 10);
    return end != json_string_value(v) && !*end;
}

/* The stored state's datasource and chart, checked for access. */
static fd_status_t check_state(request_t *req, const json_t *state, explore_access_t *access) {
    const json_t *ds = json_object_get(state, "datasource_id"), *chart = json_object_get(state, "chart_id");
    const char *type = json_get_str(state, "datasource_type", NULL);
    int64_t ds_id;
    if (!id_value(ds, &ds_id) || !type || (chart && !json_is_null(chart) && !json_is_integer(chart))) return FD_ERROR;
    *access = explore_check_access(req, ds_id, type, json_is_integer(chart) ? json_integer_value(chart) : 0);
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
    const json_t *ds = json_object_get(state, "datasource_id");
    const char *ctx = contextual_key(req, tab_id, json_is_string(ds) ? json_string_value(ds) : int_text(req, json_integer_value(ds)),
                                     json_is_integer(chart) ? int_text(req, json_integer_value(chart)) : NULL,
                                     json_get_str(state, "datasource_type", NULL));
    if (mcache_delete(&c, ctx) < 0) return FD_ERROR;
    int d = mcache_delete(&c, key);
    return d < 0 ? FD_ERROR : d ? FD_OK : FD_MISSING;
}

/* ---- legacy /superset/explore/ redirect ---- */

typedef struct qs_entry {
    const char *key;
    const char **values;
    size_t count;
} qs_entry_t;

/* urllib.parse.parse_qs (blank values dropped) then urlencode(doseq=True)
 * without form_data and with form_data_key appended. */
static const char *rebuilt_query(request_t *req, const char *key) {
    qs_entry_t entries[64];
    size_t n = 0;
    const char *q = req->query;
    while (q && *q && n < 64) {
        const char *amp = strchr(q, '&');
        size_t len = amp ? (size_t)(amp - q) : strlen(q);
        const char *eq = memchr(q, '=', len);
        if (eq && eq + 1 < q + len) {
            char *k = url_decode(req->arena, q, (size_t)(eq - q), true);
            char *v = url_decode(req->arena, eq + 1, len - (size_t)(eq - q) - 1, true);
            size_t i = 0;
            while (i < n && strcmp(entries[i].key, k)) i++;
            if (i == n) entries[n++] = (qs_entry_t){k, arena_alloc(req->arena, 64 * sizeof(char *)), 0};
            if (entries[i].count < 64) entries[i].values[entries[i].count++] = v;
        }
        q = amp ? amp + 1 : NULL;
    }
    strbuf_t sb;
    strbuf_init_arena(&sb, req->arena, 128);
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(entries[i].key, "form_data")) continue;
        for (size_t k = 0; k < entries[i].count; k++) {
            if (sb.len) strbuf_putc(&sb, '&');
            url_quote_plus(&sb, entries[i].key);
            strbuf_putc(&sb, '=');
            url_quote_plus(&sb, entries[i].values[k]);
        }
    }
    if (sb.len) strbuf_putc(&sb, '&');
    strbuf_puts(&sb, "form_data_key=");
    url_quote_plus(&sb, key);
    return sb.data;
}

/* Stores the form_data argument when it names a datasource; *key NULL when
 * there was nothing to store. False when the reference's command fails. */
static bool store_legacy_form_data(request_t *req, const char *text, const char **key) {
    *key = NULL;
    json_t *parsed = json_loads(text, JSON_DECODE_ANY, NULL);
    if (!json_is_object(parsed)) {
        json_decref(parsed);
        return false; /* loads_request_json raises (or .get on a non-dict) */
    }
    json_arena_own(req->arena, parsed);
    const json_t *slice = json_object_get(parsed, "slice_id");
    int64_t chart_id = 0;
    if (!slice) {
        const char *arg = req_query_arg(req, "slice_id");
        char *end = NULL;
        chart_id = arg ? strtoll(arg, &end, 10) : 0;
        if (arg && (end == arg || *end)) return false;
    } else if (json_is_integer(slice)) {
        chart_id = json_integer_value(slice);
    } else if (!json_is_null(slice)) {
        return false;
    }
    const json_t *ds = json_object_get(parsed, "datasource");
    if (!ds || json_is_null(ds) || json_is_false(ds) || (json_is_string(ds) && !*json_string_value(ds))) return true;
    const char *text_ds = json_string_value(ds);
    const char *sep = text_ds ? strstr(text_ds, "__") : NULL;
    if (!sep || strstr(sep + 2, "__")) return false;
    fd_params_t p = {
        .datasource_id_text = arena_strndup(req->arena, text_ds, (size_t)(sep - text_ds)),
        .datasource_type = sep + 2,
        .chart_id = chart_id,
        .has_chart = slice == NULL || !json_is_null(slice),
        .form_data = text,
    };
    char *end;
    p.datasource_id = strtoll(p.datasource_id_text, &end, 10);
    if (!*p.datasource_id_text || *end) return false;
    explore_access_t access;
    return fd_create(req, &p, key, &access) == FD_OK;
}

const char *fd_legacy_redirect_url(request_t *req) {
    const char *path = arena_sprintf(req->arena, "%s%s", req->script_root, req->path + strlen("/superset"));
    const char *form_data = req_query_arg(req, "form_data");
    const char *key = NULL;
    if (form_data && *form_data && !store_legacy_form_data(req, form_data, &key)) return NULL;
    if (key) return arena_sprintf(req->arena, "%s?%s", path, rebuilt_query(req, key));
    return *req->query ? arena_sprintf(req->arena, "%s?%s", path, req->query) : path;
}
