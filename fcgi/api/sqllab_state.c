/* SQL Lab's persisted editor state over HTTP: the bootstrap the SQL Lab page
 * loads first (GET /api/v1/sqllab/: the user's tabs, the active tab and the
 * databases offered in the editor), and Superset's TabStateView and
 * TableSchemaView (/tabstateview/..., /tableschemaview/...) the editor calls as
 * the user opens, edits, renames and closes tabs and tables.
 *
 * The views are @has_access_api Superset views: form-encoded bodies whose
 * fields hold JSON, JSON text answers (application/json), {"error": ...}
 * with 400 when a write fails, and bare 403/404 for other users' or missing
 * tabs. Query execution is not part of this file. */
#include <stdio.h>
#include <string.h>

#include "domain/sqllab_state.h"
#include "fcgi/api/api.h"
#include "fcgi/api/data_access_filter.h"
#include "fcgi/app.h"
#include "fcgi/auth.h"
#include "fcgi/errors.h"
#include "fcgi/formdata.h"
#include "fcgi/has_access.h"
#include "lib/json.h"
#include "persistence/model_query.h"
#include "persistence/models.h"

/* ---- answers ---- */

/* json_success(text): the JSON text as is. */
static void json_text(request_t *req, const char *text) {
    resp_body(req, 200, "application/json", text, strlen(text));
}

static void json_value(request_t *req, json_t *v) { /* steals v */
    const char *text = json_dump_arena(req->arena, v, JSON_ENCODE_ANY | JSON_PY_DEFAULT, NULL);
    json_decref(v);
    json_text(req, text ? text : "null");
}

/* Response(status=...): an empty body. */
static void bare(request_t *req, int status) { resp_body(req, status, "text/html; charset=utf-8", "", 0); }

static void error_400(request_t *req, const char *message) {
    resp_json(req, 400, json_pack("{s:s}", "error", message ? message : ""), JSON_PY_DEFAULT);
}

/* The outcome of a write: the given JSON on success, else the reference's status. */
static void answer(request_t *req, const sqllab_result_t *r, json_t *ok) {
    if (r->status == SQLLAB_OK) {
        json_value(req, ok);
        return;
    }
    json_decref(ok);
    if (r->status == SQLLAB_NOT_FOUND) bare(req, 404);
    else if (r->status == SQLLAB_FORBIDDEN) bare(req, 403);
    else error_400(req, r->message);
}

static int64_t user_id(request_t *req) {
    const sec_user_t *u = auth_current_user(req);
    return u && !u->is_guest ? u->id : 0;
}

static int64_t path_id(request_t *req, const char *name) {
    long long v = 0;
    sscanf(req_path_param(req, name), "%lld", &v);
    return (int64_t)v;
}

/* json.loads(request.form[name]): NULL after answering 400. */
static json_t *form_json(request_t *req, const char *name) {
    const char *text = form_value(req, name);
    if (!text) {
        error_400(req, "400 Bad Request: The browser (or proxy) sent a request that this server could not understand.");
        return NULL;
    }
    json_error_t e;
    json_t *v = json_loads(text, JSON_DECODE_ANY, &e);
    if (!v) {
        error_400(req, e.text);
        return NULL;
    }
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, v);
    return v;
}

/* The owner check every tab route starts with; false after answering. */
static bool own_tab(request_t *req, int64_t tab_id) {
    sqllab_status_t st = sqllab_tab_owner(app_pg(req->app), req->arena, tab_id, user_id(req));
    if (st == SQLLAB_OK) return true;
    if (st == SQLLAB_ERROR) error_400(req, "database error");
    else bare(req, st == SQLLAB_NOT_FOUND ? 404 : 403);
    return false;
}

/* ---- GET /api/v1/sqllab/ ---- */

/* bootstrap_sqllab_data's databases: DatabaseFilter, the DATABASE_KEYS that
 * are columns, and the backend. */
static json_t *bootstrap_databases(request_t *req) {
    static const char *const cols[] = {"id",        "database_name", "expose_in_sqllab",  "allow_run_async",
                                       "allow_file_upload", "allow_ctas", "allow_cvas", "allow_dml",
                                       "force_ctas_schema", "backend"};
    model_query_t q;
    mq_init(&q, req->arena, &model_database);
    data_access_database_filter(req, &q);
    mq_order_by(&q, "id", false);
    json_t *ids = NULL;
    pg_error_t err;
    json_t *rows = mq_fetch(&q, app_pg(req->app), cols, sizeof cols / sizeof cols[0], &ids, &err);
    json_decref(ids);
    if (!rows) return NULL;
    json_t *dbs = json_object();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        char key[32];
        snprintf(key, sizeof key, "%lld", (long long)json_integer_value(json_object_get(row, "id")));
        json_object_set(dbs, key, row);
    }
    json_decref(rows);
    return dbs;
}

static void get_bootstrap(request_t *req) {
    json_t *tab_ids = json_array(), *active = json_null();
    if (config_feature(req->cfg, "SQLLAB_BACKEND_PERSISTENCE")) {
        json_decref(tab_ids);
        json_decref(active);
        if (!sqllab_bootstrap_tabs(app_pg(req->app), req->arena, user_id(req), &tab_ids, &active)) {
            error_fab(req, 500, "Fatal error");
            return;
        }
    }
    json_t *dbs = bootstrap_databases(req);
    if (!dbs) {
        json_decref(tab_ids);
        json_decref(active);
        error_fab(req, 500, "Fatal error");
        return;
    }
    json_value(req, json_pack("{s:{s:o,s:o,s:o}}", "result", "tab_state_ids", tab_ids, "active_tab", active,
                              "databases", dbs));
}

/* ---- /tabstateview/ ---- */

static void tab_post(request_t *req) {
    if (!has_access_api(req, "can_post", "TabStateView")) return;
    json_t *qe = form_json(req, "queryEditor");
    if (!qe) return;
    sqllab_result_t r = sqllab_tab_create(app_pg(req->app), req->arena, user_id(req), qe);
    answer(req, &r, json_pack("{s:I}", "id", (json_int_t)r.id));
}

static void tab_get(request_t *req) {
    if (!has_access_api(req, "can_get", "TabStateView")) return;
    int64_t id = path_id(req, "tab_state_id");
    if (!own_tab(req, id)) return;
    json_t *t = sqllab_tab_dict(app_pg(req->app), req->arena, id);
    if (!t) {
        bare(req, 404);
        return;
    }
    json_value(req, t);
}

static void tab_delete(request_t *req) {
    if (!has_access_api(req, "can_delete", "TabStateView")) return;
    int64_t id = path_id(req, "tab_state_id");
    if (!own_tab(req, id)) return;
    sqllab_result_t r = sqllab_tab_delete(app_pg(req->app), req->arena, id);
    answer(req, &r, json_string("OK"));
}

static void tab_activate(request_t *req) {
    if (!has_access_api(req, "can_activate", "TabStateView")) return;
    int64_t id = path_id(req, "tab_state_id");
    if (!own_tab(req, id)) return;
    sqllab_result_t r = sqllab_tab_activate(app_pg(req->app), req->arena, id, user_id(req));
    answer(req, &r, json_integer((json_int_t)id));
}

static void tab_put(request_t *req) {
    if (!has_access_api(req, "can_put", "TabStateView")) return;
    int64_t id = path_id(req, "tab_state_id");
    if (!own_tab(req, id)) return;
    /* {k: json.loads(v) for k, v in request.form.to_dict().items()} */
    json_t *form = form_dict(req);
    json_t *fields = json_object();
    const char *key;
    json_t *value;
    json_object_foreach(form, key, value) {
        json_error_t e;
        json_t *v = json_loads(json_string_value(value), JSON_DECODE_ANY, &e);
        if (!v) {
            json_decref(form);
            json_decref(fields);
            error_400(req, e.text);
            return;
        }
        json_object_set_new(fields, key, v);
    }
    json_decref(form);
    sqllab_result_t r = sqllab_tab_update(app_pg(req->app), req->arena, id, user_id(req), fields);
    json_decref(fields);
    answer(req, &r, json_integer((json_int_t)id));
}

static void tab_migrate_query(request_t *req) {
    if (!has_access_api(req, "can_migrate_query", "TabStateView")) return;
    int64_t id = path_id(req, "tab_state_id");
    if (!own_tab(req, id)) return;
    json_t *client_id = form_json(req, "queryId");
    if (!client_id) return;
    const char *text = json_is_string(client_id) ? json_string_value(client_id)
                                                 : json_dump_arena(req->arena, client_id, JSON_ENCODE_ANY, NULL);
    sqllab_result_t r = sqllab_tab_migrate_query(app_pg(req->app), req->arena, id, user_id(req), text);
    answer(req, &r, json_integer((json_int_t)id));
}

static void tab_delete_query(request_t *req) {
    if (!has_access_api(req, "can_delete_query", "TabStateView")) return;
    int64_t id = path_id(req, "tab_state_id");
    if (!own_tab(req, id)) return;
    sqllab_result_t r =
        sqllab_tab_delete_query(app_pg(req->app), req->arena, id, user_id(req), req_path_param(req, "client_id"));
    answer(req, &r, json_string("OK"));
}

/* ---- /tableschemaview/ ---- */

static void schema_post(request_t *req) {
    if (!has_access_api(req, "can_post", "TableSchemaView")) return;
    json_t *table = form_json(req, "table");
    if (!table) return;
    const char *description = json_dump_arena(req->arena, table, JSON_ENCODE_ANY | JSON_PY_DEFAULT, NULL);
    sqllab_result_t r = sqllab_table_schema_create(app_pg(req->app), req->arena, user_id(req), table, description);
    answer(req, &r, json_pack("{s:I}", "id", (json_int_t)r.id));
}

static void schema_delete(request_t *req) {
    if (!has_access_api(req, "can_delete", "TableSchemaView")) return;
    sqllab_result_t r =
        sqllab_table_schema_delete(app_pg(req->app), req->arena, path_id(req, "table_schema_id"), user_id(req));
    answer(req, &r, json_string("OK"));
}

static void schema_expanded(request_t *req) {
    if (!has_access_api(req, "can_expanded", "TableSchemaView")) return;
    json_t *expanded = form_json(req, "expanded");
    if (!expanded) return;
    int64_t id = path_id(req, "table_schema_id");
    sqllab_result_t r = sqllab_table_schema_expand(app_pg(req->app), req->arena, id, user_id(req),
                                                   json_is_true(expanded) || (json_is_integer(expanded) &&
                                                                              json_integer_value(expanded)));
    answer(req, &r, json_pack("{s:I,s:O}", "id", (json_int_t)id, "expanded", expanded));
}

static const route_def_t routes[] = {
    {"GET", "/api/v1/sqllab/", get_bootstrap, GUARD("can_read", "SQLLab"), 0, NULL},
    {"POST", "/tabstateview/", tab_post, GUARD_PUBLIC, 0, NULL},
    {"GET", "/tabstateview/<int:tab_state_id>", tab_get, GUARD_PUBLIC, 0, NULL},
    {"PUT", "/tabstateview/<int:tab_state_id>", tab_put, GUARD_PUBLIC, 0, NULL},
    {"DELETE", "/tabstateview/<int:tab_state_id>", tab_delete, GUARD_PUBLIC, 0, NULL},
    {"POST", "/tabstateview/<int:tab_state_id>/activate", tab_activate, GUARD_PUBLIC, 0, NULL},
    {"POST", "/tabstateview/<int:tab_state_id>/migrate_query", tab_migrate_query, GUARD_PUBLIC, 0, NULL},
    {"DELETE", "/tabstateview/<int:tab_state_id>/query/<client_id>", tab_delete_query, GUARD_PUBLIC, 0, NULL},
    {"POST", "/tableschemaview/", schema_post, GUARD_PUBLIC, 0, NULL},
    {"DELETE", "/tableschemaview/<int:table_schema_id>", schema_delete, GUARD_PUBLIC, 0, NULL},
    {"POST", "/tableschemaview/<int:table_schema_id>/expanded", schema_expanded, GUARD_PUBLIC, 0, NULL},
};

const route_table_t sqllab_state_routes = {routes, sizeof routes / sizeof routes[0], NULL};
