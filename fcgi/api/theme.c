/* /api/v1/theme: Superset's ThemeRestApi. Reads (list, item, _info,
 * related) run on the generic engine; POST, PUT /<pk>, DELETE /<pk> and
 * DELETE /?q=!(ids) are custom routes with the ThemePost/PutSchema rules
 * (400), the system-theme protections (403 on is_system, 422 on a theme set
 * as system default or dark) and dashboards dissociated before deletion. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi/api/api.h"
#include "fcgi/api/related_users.h"
#include "fcgi/api/rison_list.h"
#include "fcgi/app.h"
#include "fcgi/errors.h"
#include "fcgi/event_logger.h"
#include "fcgi/model_rest.h"
#include "lib/json.h"
#include "persistence/models.h"

/* ---- reads on the engine ---- */

static mq_filter_result_t all_text(request_t *req, model_query_t *q, const json_t *value) {
    (void)req;
    if (!json_is_string(value) || !*json_string_value(value)) return MQ_FILTER_SKIPPED;
    const char *p = mq_param(q, arena_sprintf(q->arena, "%%%s%%", json_string_value(value)));
    mq_where(q, arena_sprintf(q->arena, "t.theme_name ILIKE %s OR t.json_data ILIKE %s", p, p));
    return MQ_FILTER_OK;
}

static const char *const list_columns[] = {
    "changed_on_delta_humanized", "changed_by.first_name", "changed_by.id", "changed_by.last_name", "changed_by_name",
    "created_on", "created_by.first_name", "created_by.id", "created_by.last_name", "json_data", "id", "is_system",
    "is_system_default", "is_system_dark", "theme_name", "uuid", NULL};
static const char *const show_columns[] = {
    "changed_on_delta_humanized", "changed_by.first_name", "changed_by.id", "changed_by.last_name",
    "created_by.first_name", "created_by.id", "created_by.last_name", "json_data", "id", "is_system",
    "is_system_default", "is_system_dark", "theme_name", "uuid", NULL};
static const char *const write_columns[] = {"json_data", "theme_name", NULL};
static const char *const search_columns[] = {"theme_name", "json_data", "is_system", "is_system_default",
                                             "is_system_dark", "uuid", "created_on", "changed_on",
                                             "created_by", "changed_by", NULL};
static const char *const order_columns[] = {"theme_name", NULL};
static const char *const info_permissions[] = {"can_export", "can_read", "can_write", NULL};

static const custom_filter_t filters[] = {
    {"theme_all_text", "All Text", "theme_name", all_text},
    {NULL, NULL, NULL, NULL},
};

static const related_field_t related[] = {
    RELATED_USERS("changed_by", NULL),
    {"created_by", NULL, NULL, NULL, NULL}, /* no related_field_filters entry: the text filter is ignored */
    {NULL, NULL, NULL, NULL, NULL},
};

const resource_t theme_resource = {
    .base = "/api/v1/theme", .model = &model_theme, .view_menu = "Theme",
    .log_class = "ThemeRestApi", .log_own = LOG_EP_POST | LOG_EP_PUT | LOG_EP_DELETE | LOG_EP_BULK_DELETE,
    .perm_list = "can_read", .perm_get = "can_read", .perm_info = "can_read",
    .list_columns = list_columns, .show_columns = show_columns, .add_columns = write_columns,
    .edit_columns = write_columns, .search_columns = search_columns, .order_columns = order_columns,
    .related = related, .custom_filters = filters, .superset_errors = true, .validation_status = 400,
    .put_returns_id = true, .info_permissions = info_permissions,
};

/* ---- ThemeBaseSchema ---- */

static void add_msg(json_t *errors, const char *field, const char *msg) {
    json_t *l = json_object_get(errors, field);
    if (!l) json_object_set_new(errors, field, l = json_array());
    json_array_append_new(l, json_string(msg));
}

/* themes/utils.py is_valid_theme: an object whose known keys have their types. */
static bool valid_algorithm_name(const json_t *v) {
    static const char *const modes[] = {"default", "dark", "system", "compact", NULL};
    if (!json_is_string(v)) return false;
    for (const char *const *m = modes; *m; m++)
        if (!strcmp(*m, json_string_value(v))) return true;
    return false;
}

static bool valid_theme(const json_t *t) {
    if (!json_is_object(t)) return false;
    static const struct { const char *key; json_type type; } typed[] = {
        {"token", JSON_OBJECT}, {"components", JSON_OBJECT}, {"hashed", JSON_TRUE}, {"inherit", JSON_TRUE},
    };
    for (size_t i = 0; i < sizeof typed / sizeof typed[0]; i++) {
        json_t *v = json_object_get(t, typed[i].key);
        if (!v) continue;
        if (typed[i].type == JSON_TRUE ? !json_is_boolean(v) : json_typeof(v) != typed[i].type) return false;
    }
    json_t *alg = json_object_get(t, "algorithm");
    if (!alg || json_is_string(alg)) return !alg || valid_algorithm_name(alg);
    if (!json_is_array(alg)) return false;
    size_t i;
    json_t *v;
    json_array_foreach(alg, i, v) if (!valid_algorithm_name(v)) return false;
    return true;
}

static void check_field(json_t *errors, json_t *body, const char *name) {
    json_t *v = json_object_get(body, name);
    if (!v) return add_msg(errors, name, "Missing data for required field.");
    if (json_is_null(v)) return add_msg(errors, name, "Field may not be null.");
    if (!json_is_string(v)) return add_msg(errors, name, "Not a valid string.");
    const char *s = json_string_value(v);
    if (!strcmp(name, "theme_name")) {
        if (strspn(s, " \t\r\n\f\v") == strlen(s)) add_msg(errors, name, "Theme name cannot be empty.");
        return;
    }
    json_t *parsed = json_loads(s, JSON_DECODE_ANY, NULL);
    if (!parsed) add_msg(errors, name, "Invalid JSON configuration");
    else if (!valid_theme(parsed)) add_msg(errors, name, "Invalid theme configuration structure");
    json_decref(parsed);
}

/* An exception caught by @safe, outside the event logger: no logs row. */
static void fatal(request_t *req) {
    event_log_skip(req);
    error_fab(req, 500, "Fatal error");
}

/* The pg error of a command: a query error is the view's 422 (logged), any
 * other an exception caught by @safe (no row). */
static void command_error(request_t *req, const pg_error_t *err) {
    if (err->status == PG_ERR_QUERY) return error_fab(req, 422, err->message);
    fatal(req);
}

/* The loaded item ({theme_name, json_data}), or NULL after answering. */
static json_t *load_body(request_t *req, bool is_post) {
    if (!req_is_json(req)) { /* request.json raises through the event logger */
        event_log_skip(req);
        error_fab(req, 500, "415 Unsupported Media Type: Did not attempt to load JSON data because the request"
                            " Content-Type was not 'application/json'.");
        return NULL;
    }
    json_t *body = json_loadb(req->body.data, req->body.len, JSON_DECODE_ANY, NULL);
    if (body) arena_on_free(req->arena, (arena_cleanup_fn)json_decref, body);
    if (!body) {
        event_log_skip(req);
        error_fab(req, 400, "The browser (or proxy) sent a request that this server could not understand.");
        return NULL;
    }
    bool empty = json_is_null(body) || json_is_false(body) || (json_is_object(body) && !json_object_size(body)) ||
                 (json_is_array(body) && !json_array_size(body)) || (json_is_string(body) && !json_string_length(body)) ||
                 (json_is_integer(body) && !json_integer_value(body));
    if (empty) {
        error_fab(req, 400, "Request body is required");
        return NULL;
    }
    json_t *errors = json_object();
    if (!json_is_object(body)) {
        if (!is_post) {
            json_decref(errors);
            fatal(req); /* .items() of a non-object */
            return NULL;
        }
        add_msg(errors, "_schema", "Invalid input type.");
    } else {
        const char *key;
        json_t *v;
        if (is_post) json_object_foreach(body, key, v) if (strcmp(key, "theme_name") && strcmp(key, "json_data"))
            add_msg(errors, key, "Unknown field.");
        check_field(errors, body, "json_data");
        check_field(errors, body, "theme_name");
    }
    if (json_object_size(errors)) {
        resp_json(req, 400, json_pack("{s:o}", "message", errors), JSON_FLASK);
        return NULL;
    }
    json_decref(errors);
    json_t *item = json_pack("{s:O,s:O}", "json_data", json_object_get(body, "json_data"), "theme_name",
                             json_object_get(body, "theme_name"));
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, item);
    return item;
}

static const char *num(request_t *req, int64_t v) { return arena_sprintf(req->arena, "%lld", (long long)v); }

static bool parse_pk(const char *s, int64_t *pk) {
    char *end;
    long long v = s && *s ? strtoll(s, &end, 10) : -1;
    if (v < 0 || *end) return false;
    *pk = v;
    return true;
}

static void theme_post(request_t *req) {
    json_t *item = load_body(req, true);
    if (!item) return;
    const char *p[] = {json_string_value(json_object_get(item, "theme_name")),
                       json_string_value(json_object_get(item, "json_data")), num(req, req->user ? req->user->id : 0)};
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              "INSERT INTO themes (uuid, created_on, changed_on, theme_name, json_data, is_system,"
                              " is_system_default, is_system_dark, created_by_fk, changed_by_fk) VALUES"
                              " (gen_random_uuid(), localtimestamp, localtimestamp, $1, $2, false, false, false,"
                              " nullif($3::int, 0), nullif($3::int, 0)) RETURNING id", 3, p);
    if (!r) return command_error(req, &err);
    resp_json(req, 201, json_pack("{s:I,s:O}", "id", (json_int_t)pg_get_int(r, 0, 0, 0), "result", item), JSON_FLASK);
}

/* 0 when the theme exists and is not a system theme, else the answered status. */
static int check_editable(request_t *req, int64_t pk) {
    const char *p[] = {num(req, pk)};
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err, "SELECT is_system FROM themes WHERE id = $1::int",
                              1, p);
    if (!r) return fatal(req), 500;
    if (!pg_nrows(r)) return error_fab(req, 404, "Not found"), 404;
    if (pg_get_bool(r, 0, 0, false)) return error_fab(req, 403, "Forbidden"), 403;
    return 0;
}

static void theme_put(request_t *req) {
    int64_t pk;
    if (!parse_pk(req_path_param(req, "pk"), &pk)) return error_fab(req, 404, "Not found");
    json_t *item = load_body(req, false);
    if (!item || check_editable(req, pk)) return;
    const char *p[] = {json_string_value(json_object_get(item, "theme_name")),
                       json_string_value(json_object_get(item, "json_data")), num(req, req->user ? req->user->id : 0),
                       num(req, pk)};
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              "UPDATE themes SET theme_name = $1, json_data = $2, changed_on = localtimestamp,"
                              " changed_by_fk = nullif($3::int, 0) WHERE id = $4::int", 4, p);
    if (!r) return command_error(req, &err);
    resp_json(req, 200, json_pack("{s:I,s:O}", "id", (json_int_t)pk, "result", item), JSON_FLASK);
}

/* DeleteThemeCommand over ids (JSON int array text, n entries as given). */
static void delete_ids(request_t *req, const char *ids, size_t n) {
    const char *p[] = {ids};
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              "SELECT count(*), coalesce(bool_or(is_system), false),"
                              " coalesce(bool_or(is_system_default OR is_system_dark), false) FROM themes"
                              " WHERE id IN (SELECT x::int FROM jsonb_array_elements_text($1::jsonb) e(x))", 1, p);
    if (!r) return fatal(req);
    int64_t found = pg_get_int(r, 0, 0, 0);
    if (!found || (size_t)found != n) return error_fab(req, 404, "Not found");
    if (pg_get_bool(r, 0, 1, false)) return error_fab(req, 403, "Forbidden");
    if (pg_get_bool(r, 0, 2, false))
        return error_fab(req, 422, "Cannot delete theme that is set as system default or dark theme.");
    pg_conn_t *c = pg_acquire(app_pg(req->app), req->arena, &err);
    bool ok = c && pg_begin(c, req->arena, &err);
    ok = ok && pg_conn_query(c, req->arena, &err, "UPDATE dashboards SET theme_id = NULL WHERE theme_id IN"
                                                  " (SELECT x::int FROM jsonb_array_elements_text($1::jsonb) e(x))", 1, p);
    ok = ok && pg_conn_query(c, req->arena, &err, "DELETE FROM themes WHERE id IN (SELECT x::int FROM"
                                                  " jsonb_array_elements_text($1::jsonb) e(x))", 1, p);
    ok = ok && pg_commit(c, req->arena, &err);
    if (c) pg_release(c);
    if (!ok && err.status == PG_ERR_QUERY) return error_fab(req, 422, "Theme could not be deleted.");
    if (!ok) return fatal(req);
    error_fab(req, 200, arena_sprintf(req->arena, "Deleted %zu theme%s", n, n == 1 ? "" : "s"));
}

static void theme_delete(request_t *req) {
    int64_t pk;
    if (!parse_pk(req_path_param(req, "pk"), &pk)) return error_fab(req, 404, "Not found");
    delete_ids(req, arena_sprintf(req->arena, "[%lld]", (long long)pk), 1);
}

static void theme_bulk_delete(request_t *req) {
    json_t *ids = rison_list_arg(req, JSON_INTEGER);
    if (ids) delete_ids(req, json_dump_arena(req->arena, ids, JSON_COMPACT, NULL), json_array_size(ids));
}

static const route_def_t routes[] = {
    {"POST", "/api/v1/theme/", theme_post, GUARD("can_write", "Theme"), 0, NULL, "ThemeRestApi.post"},
    {"PUT", "/api/v1/theme/<int:pk>", theme_put, GUARD("can_write", "Theme"), 0, NULL, "ThemeRestApi.put"},
    {"DELETE", "/api/v1/theme/<int:pk>", theme_delete, GUARD("can_write", "Theme"), 0, NULL, "ThemeRestApi.delete"},
    /* the logger is outside @rison here: a rison rejection is logged, without the ids */
    {"DELETE", "/api/v1/theme/", theme_bulk_delete, GUARD("can_write", "Theme"), 0, NULL, "ThemeRestApi.bulk_delete"},
};
const route_table_t theme_routes = {routes, sizeof routes / sizeof routes[0], NULL};
