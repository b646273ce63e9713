/* Permalink endpoints (ExplorePermalinkRestApi, SqlLabPermalinkRestApi,
 * DashboardPermalinkRestApi): the state is stored as a key_value entry and
 * the key handed out is the entry id encoded with hashids (minimum length
 * 11) under the resource's shared salt. Undecodable keys and the errors the
 * reference lets escape to @safe answer 500 "Fatal error". */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi/api/api.h"
#include "fcgi/api/dashboard.h"
#include "fcgi/api/explore_access.h"
#include "fcgi/api/permalink_state.h"
#include "fcgi/app.h"
#include "fcgi/errors.h"
#include "fcgi/has_access.h"
#include "fcgi/urls.h"
#include "fcgi/spa/bootstrap.h"
#include "lib/hashids.h"
#include "lib/uuid3.h"
#include "persistence/key_value.h"
#include "persistence/models.h"

#define PERMALINK_MIN_LENGTH 11

typedef struct kind {
    const char *resource;   /* key_value.resource */
    const char *salt_key;   /* shared "app" entry holding the salt */
    const char *url_prefix; /* view path before the key; "/" after it */
} kind_t;

static const kind_t EXPLORE = {"explore_permalink", "explore_permalink_salt", "/superset/explore/p/"};
static const kind_t SQLLAB = {"sqllab_permalink", "sqllab_permalink_salt", "/sqllab/p/"};
static const kind_t DASHBOARD = {"dashboard_permalink", "dashboard_permalink_salt", "/superset/dashboard/p/"};

static void fatal(request_t *req) { error_fab(req, 500, "Fatal error"); }

static int64_t user_id(request_t *req) { return req->user ? req->user->id : 0; }

/* The request's JSON body, owned by the arena; NULL (answered) when not JSON. */
static json_t *json_body(request_t *req) {
    json_t *body = req_is_json(req) ? json_loadb(req->body.data, req->body.len, JSON_DECODE_ANY, NULL) : NULL;
    if (!body) {
        fatal(req); /* @requires_json under @safe */
        return NULL;
    }
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, body);
    return body;
}

static bool salt_hashids(request_t *req, const kind_t *k, hashids_t *h) {
    pg_error_t err;
    const char *salt = kv_permalink_salt(app_pg(req->app), req->arena, k->salt_key, &err);
    return salt && hashids_init(h, salt, PERMALINK_MIN_LENGTH, NULL);
}

/* Stores value (a new reference, consumed) and answers 201 {key, url}. */
static void store_and_answer(request_t *req, const kind_t *k, json_t *value, const char *uuid) {
    char *text = json_dump_arena(req->arena, value, JSON_PY_DEFAULT, NULL);
    json_decref(value);
    hashids_t h;
    if (!text || !salt_hashids(req, k, &h)) {
        fatal(req);
        return;
    }
    pg_error_t err;
    int64_t id = uuid ? kv_upsert_uuid(app_pg(req->app), req->arena, k->resource, text, uuid, user_id(req), &err)
                      : kv_create(app_pg(req->app), req->arena, k->resource, text, NULL, user_id(req), &err);
    if (id <= 0) {
        fatal(req);
        return;
    }
    uint64_t v = (uint64_t)id;
    char *key = hashids_encode(&h, req->arena, &v, 1);
    char *url = arena_sprintf(req->arena, "%s://%s%s%s%s/", req->scheme ? req->scheme : "http",
                              req->host ? req->host : "", req->script_root ? req->script_root : "", k->url_prefix,
                              key);
    resp_json(req, 201, json_pack("{s:s,s:s}", "key", key, "url", url), JSON_FLASK);
}

/* The stored value of key as a JSON object; NULL when answered (404/500). */
static json_t *load_value(request_t *req, const kind_t *k, const char *key) {
    hashids_t h;
    if (!salt_hashids(req, k, &h)) {
        fatal(req);
        return NULL;
    }
    uint64_t id[2];
    if (hashids_decode(&h, req->arena, key, id, 2) != 1 || id[0] > INT32_MAX) {
        fatal(req); /* KeyValueParseKeyError re-raised as a GetFailedError */
        return NULL;
    }
    pg_error_t err;
    bool found;
    const char *text = kv_get_by_id(app_pg(req->app), req->arena, k->resource, (int64_t)id[0], &found, &err);
    if (!found) {
        error_fab(req, 404, "Not found");
        return NULL;
    }
    json_t *v = text ? json_parse_arena(req->arena, text, strlen(text), 0, NULL) : NULL;
    if (!v || !json_is_object(v)) {
        fatal(req);
        return NULL;
    }
    return v;
}

/* Loads body with s; NULL when answered (400 with the messages, as a JSON
 * object or, when repr_messages, as their Python str()). */
static json_t *load_state(request_t *req, const pf_schema_t *s, bool repr_messages) {
    json_t *body = json_body(req);
    if (!body) return NULL;
    json_t *errors = NULL, *state = pf_load(s, body, &errors);
    if (state) return state;
    if (repr_messages) {
        error_fab(req, 400, pf_messages_repr(req->arena, errors));
        json_decref(errors);
    } else {
        resp_json(req, 400, json_pack("{s:o}", "message", errors), JSON_FLASK);
    }
    return NULL;
}

/* ---- explore ---- */

static const char *const DATASOURCE_TYPES[] = {"table", "dataset", "query", "saved_query", "view"};

/* "<id>__<type>" as Python's split("__") + int() + DatasourceType() take it. */
static bool parse_datasource(const char *ds, int64_t *id, const char **type) {
    const char *sep = strstr(ds, "__");
    if (!sep || strstr(sep + 2, "__")) return false;
    char *end;
    const char *s = ds;
    while (isspace((unsigned char)*s)) s++;
    if (s == sep) return false;
    long long n = strtoll(s, &end, 10);
    while (end < sep && isspace((unsigned char)*end)) end++;
    if (end != sep) return false;
    *id = n;
    *type = sep + 2;
    for (size_t i = 0; i < sizeof DATASOURCE_TYPES / sizeof DATASOURCE_TYPES[0]; i++)
        if (!strcmp(*type, DATASOURCE_TYPES[i])) return true;
    return false;
}

static bool optional_int(const json_t *v, int64_t *out) {
    *out = 0;
    if (!v || json_is_null(v)) return true;
    if (json_is_integer(v)) {
        *out = json_integer_value(v);
        return true;
    }
    return false;
}

static void explore_post(request_t *req) {
    json_t *state = load_state(req, &explore_state_schema, false);
    if (!state) return;
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, state);
    json_t *form = json_object_get(state, "formData");
    json_t *ds = json_object_get(form, "datasource");
    json_t *slice = json_object_get(form, "slice_id");
    int64_t ds_id, chart_id;
    const char *ds_type;
    if (!json_is_string(ds) || !parse_datasource(json_string_value(ds), &ds_id, &ds_type) ||
        !optional_int(slice, &chart_id)) {
        fatal(req);
        return;
    }
    explore_access_t r = explore_check_access(req, ds_id, ds_type, chart_id);
    if (r != EXPLORE_OK) {
        explore_access_error(req, r);
        return;
    }
    json_t *value = json_object();
    json_object_set_new(value, "chartId", chart_id ? json_integer(chart_id) : json_null());
    json_object_set_new(value, "datasourceType", json_string(ds_type));
    json_object_set_new(value, "datasourceId", json_integer(ds_id));
    json_object_set(value, "datasource", ds);
    json_object_set(value, "state", state);
    store_and_answer(req, &EXPLORE, value, NULL);
}

static void explore_get(request_t *req) {
    json_t *v = load_value(req, &EXPLORE, req_path_param(req, "key"));
    if (!v) return;
    int64_t chart_id, ds_id;
    json_t *dsid = json_object_get(v, "datasourceId");
    if (!dsid || json_is_null(dsid) || (json_is_integer(dsid) && !json_integer_value(dsid)))
        dsid = json_object_get(v, "datasetId");
    const char *type = json_get_str(v, "datasourceType", "table");
    if (!optional_int(json_object_get(v, "chartId"), &chart_id) || !optional_int(dsid, &ds_id)) {
        fatal(req);
        return;
    }
    explore_access_t r = explore_check_access(req, ds_id, type, chart_id);
    if (r == EXPLORE_DATASET_NOT_FOUND) r = EXPLORE_INVALID; /* caught by the get command */
    if (r != EXPLORE_OK) {
        explore_access_error(req, r);
        return;
    }
    resp_json(req, 200, json_incref(v), JSON_FLASK);
}

/* ---- sqllab ---- */

static void sqllab_post(request_t *req) {
    json_t *state = load_state(req, &sqllab_state_schema, false);
    if (state) store_and_answer(req, &SQLLAB, state, NULL);
}

/* "kv:<id>": the legacy keyvalue table's JSON text. */
static void sqllab_get_legacy(request_t *req, const char *id) {
    char *end;
    long long n = strtoll(id, &end, 10);
    if (!*id || *end) {
        fatal(req);
        return;
    }
    pg_error_t err;
    const char *p[] = {arena_sprintf(req->arena, "%lld", n)};
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err, "SELECT value FROM keyvalue WHERE id = $1::int", 1, p);
    if (!r) {
        fatal(req);
        return;
    }
    if (!pg_nrows(r)) {
        error_fab(req, 404, "Not found");
        return;
    }
    json_t *v = json_loads(pg_get(r, 0, 0), 0, NULL);
    if (!json_is_object(v)) {
        json_decref(v);
        fatal(req);
        return;
    }
    resp_json(req, 200, v, JSON_FLASK);
}

static void sqllab_get(request_t *req) {
    const char *key = req_path_param(req, "key");
    if (!strncmp(key, "kv:", 3)) {
        sqllab_get_legacy(req, key + 3);
        return;
    }
    json_t *v = load_value(req, &SQLLAB, key);
    if (v) resp_json(req, 200, json_incref(v), JSON_FLASK);
}

/* ---- dashboard ---- */

/* DashboardDAO.get_by_id_or_slug: the visible dashboard's uuid; NULL with
 * *db_err false when not found. */
static const char *dashboard_uuid(request_t *req, const char *key, bool *db_err) {
    model_query_t q;
    mq_init(&q, req->arena, &model_dashboard);
    dashboard_where_id_or_slug(req, &q, key);
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              arena_sprintf(req->arena, "SELECT t.uuid FROM dashboards t WHERE %s LIMIT 1", q.where.data),
                              q.nparams, q.params);
    *db_err = !r;
    return r && pg_nrows(r) ? pg_get(r, 0, 0) : NULL;
}

static void dashboard_permalink_post(request_t *req) {
    bool db_err;
    const char *uuid = dashboard_uuid(req, req_path_param(req, "pk"), &db_err);
    json_t *state = load_state(req, &dashboard_state_schema, true);
    if (!state) return;
    if (!uuid) {
        json_decref(state);
        if (db_err) fatal(req);
        else error_fab(req, 404, "Dashboard not found.");
        return;
    }
    json_t *value = json_pack("{s:s,s:o}", "dashboardId", uuid, "state", state);
    /* get_deterministic_uuid(salt, (user_id, value)) */
    pg_error_t err;
    const char *salt = kv_permalink_salt(app_pg(req->app), req->arena, DASHBOARD.salt_key, &err);
    json_t *payload = json_pack("[OO]", user_id(req) ? json_integer(user_id(req)) : json_null(), value);
    char *text = json_dump_arena(req->arena, payload, JSON_PY_DEFAULT | JSON_SORT_KEYS, NULL);
    json_decref(json_array_get(payload, 0));
    json_decref(payload);
    if (!salt || !text) {
        json_decref(value);
        fatal(req);
        return;
    }
    unsigned char ns[16], u[16];
    uuid3_namespace_from_seed(salt, ns);
    uuid3_bytes(ns, text, strlen(text), u);
    store_and_answer(req, &DASHBOARD, value, uuid3_text(req->arena, u));
}

static void dashboard_permalink_get(request_t *req) {
    json_t *v = load_value(req, &DASHBOARD, req_path_param(req, "key"));
    if (!v) return;
    bool db_err;
    const char *id = json_get_str(v, "dashboardId", NULL);
    if (!id || !dashboard_uuid(req, id, &db_err)) {
        fatal(req); /* DashboardNotFoundError caught by the get command */
        return;
    }
    resp_json(req, 200, json_incref(v), JSON_FLASK);
}

/* The dashboard permalink page (Superset.dashboard_permalink): redirects to
 * the dashboard with permalink_key, the stored url params, the request's own
 * query and the anchor. Failures flash and go to the dashboard list. */
static void page_error(request_t *req, const char *message) {
    spa_flash(req, "danger", arena_sprintf(req->arena, "Error: %s", message));
    resp_redirect(req, 302, arena_sprintf(req->arena, "%s/dashboard/list/", req->script_root));
}

static void dashboard_permalink_page(request_t *req) {
    if (!has_access(req, "can_dashboard_permalink", "Superset")) return;
    const char *key = req_path_param(req, "key");
    hashids_t h;
    uint64_t id[2];
    if (!salt_hashids(req, &DASHBOARD, &h) || hashids_decode(&h, req->arena, key, id, 2) != 1 || id[0] > INT32_MAX) {
        page_error(req, "An error occurred while parsing the key.");
        return;
    }
    pg_error_t err;
    bool found;
    const char *text = kv_get_by_id(app_pg(req->app), req->arena, DASHBOARD.resource, (int64_t)id[0], &found, &err);
    json_t *v = found && text ? json_parse_arena(req->arena, text, strlen(text), 0, NULL) : NULL;
    if (!found || !json_is_object(v)) {
        resp_json(req, 404, json_pack("{s:s}", "error", "permalink state not found"), JSON_PY_DEFAULT);
        return;
    }
    bool db_err;
    const char *dash = json_get_str(v, "dashboardId", NULL);
    if (!dash || !dashboard_uuid(req, dash, &db_err)) {
        page_error(req, db_err ? "An error occurred while accessing the value." : "Dashboard not found.");
        return;
    }
    strbuf_t url;
    strbuf_init_arena(&url, req->arena, 128);
    strbuf_printf(&url, "%s/superset/dashboard/%s/?permalink_key=%s", req->script_root, dash, key);
    const json_t *state = json_object_get(v, "state");
    const json_t *params = json_object_get(state, "urlParams");
    size_t i;
    const json_t *pair;
    json_array_foreach(params, i, pair) { /* urlencode([[k, v], ...]) */
        const char *k = json_string_value(json_array_get(pair, 0));
        const char *val = json_string_value(json_array_get(pair, 1));
        if (!k || !val) continue;
        strbuf_putc(&url, '&');
        url_quote_plus(&url, k);
        strbuf_putc(&url, '=');
        url_quote_plus(&url, val);
    }
    if (*req->query) strbuf_printf(&url, "&%s", req->query);
    const char *anchor = json_get_str(state, "anchor", NULL);
    if (!anchor) anchor = json_get_str(state, "hash", NULL);
    if (anchor && *anchor) strbuf_printf(&url, "#%s", anchor);
    resp_redirect(req, 302, url.data);
}

static const route_def_t routes[] = {
    {"GET", "/superset/dashboard/p/<key>/", dashboard_permalink_page, GUARD_PUBLIC, 0, NULL},
    {"POST", "/api/v1/explore/permalink", explore_post, GUARD("can_write", "ExplorePermalinkRestApi"), 0, NULL},
    {"GET", "/api/v1/explore/permalink/<key>", explore_get, GUARD("can_read", "ExplorePermalinkRestApi"), 0, NULL},
    {"POST", "/api/v1/sqllab/permalink", sqllab_post, GUARD("can_write", "SqlLabPermalinkRestApi"), 0, NULL},
    {"GET", "/api/v1/sqllab/permalink/<key>", sqllab_get, GUARD("can_read", "SqlLabPermalinkRestApi"), 0, NULL},
    {"POST", "/api/v1/dashboard/<pk>/permalink", dashboard_permalink_post, GUARD("can_write", "DashboardPermalinkRestApi"), 0,
     NULL},
    {"GET", "/api/v1/dashboard/permalink/<key>", dashboard_permalink_get, GUARD("can_read", "DashboardPermalinkRestApi"), 0,
     NULL},
};

const route_table_t permalink_routes = {routes, sizeof routes / sizeof routes[0], NULL};
