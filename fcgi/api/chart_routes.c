/* Custom routes of /api/v1/chart (Superset's ChartRestApi overrides):
 * GET /<id_or_uuid> with ChartGetResponseSchema's keys, PUT /<int:pk>
 * (update command: 404 under ChartFilter, 403 for non-owners, 422 for
 * unknown dataset/owners/dashboards), DELETE /<pk> and bulk DELETE /
 * (ownership, reports block), favorite_status and add/remove favorite
 * (favstar rows with class_name 'slice'; the fave commands also demand
 * ownership). Every lookup goes through ChartFilter. */
#include <stdlib.h>
#include <string.h>

#include "domain/security.h"
#include "domain/favorites.h"
#include "fcgi/api/api.h"
#include "fcgi/api/chart.h"
#include "fcgi/app.h"
#include "fcgi/errors.h"
#include "fcgi/event_logger.h"
#include "lib/json.h"
#include "lib/rison.h"
#include "persistence/models.h"

/* An exception caught by @safe, outside the event logger: no logs row. */
static void fatal(request_t *req) {
    event_log_skip(req);
    error_fab(req, 500, "Fatal error");
}

/* "<digits>" as an id; false otherwise. */
static bool parse_id(const char *s, int64_t *out) {
    if (!s || !*s || strlen(s) > 18) return false;
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9') return false;
    *out = strtoll(s, NULL, 10);
    return true;
}

/* Ids (JSON array text) of charts visible under ChartFilter among ids_json; count in *n. */
static json_t *visible_ids(request_t *req, const char *ids_json, bool *db_error) {
    model_query_t mq;
    mq_init(&mq, req->arena, &model_chart);
    chart_access_filter(req, &mq);
    mq_where(&mq, arena_sprintf(req->arena,
                                "t.id IN (SELECT x::bigint FROM jsonb_array_elements_text(%s::jsonb) e(x))",
                                mq_param(&mq, ids_json)));
    static const char *const cols[] = {"id"};
    json_t *ids = NULL;
    pg_error_t err;
    json_t *rows = mq_fetch(&mq, app_pg(req->app), cols, 1, &ids, &err);
    *db_error = rows == NULL;
    json_decref(rows);
    return ids;
}

static bool visible_one(request_t *req, int64_t id, bool *db_error) {
    json_t *ids = visible_ids(req, arena_sprintf(req->arena, "[%lld]", (long long)id), db_error);
    bool found = ids && json_array_size(ids) == 1;
    json_decref(ids);
    return found;
}

/* ---- GET /<id_or_uuid> ---- */

static const char *const item_columns[] = {
    "id", "url", "cache_timeout", "certified_by", "certification_details", "changed_on_delta_humanized",
    "description", "params", "slice_name", "thumbnail_url", "viz_type", "query_context", "is_managed_externally",
    "owners.id", "owners.first_name", "owners.last_name", "dashboards.id", "dashboards.dashboard_title",
    "dashboards.json_metadata", "uuid", "datasource_id", "datasource_name_text", "datasource_type",
    "datasource_url", "table.uuid"};

static json_t *chart_tags(request_t *req, int64_t id, bool *db_error) {
    const char *p[] = {arena_sprintf(req->arena, "%lld", (long long)id)};
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              "SELECT coalesce(json_agg(json_build_object('id', g.id, 'name', g.name, 'type',"
                              " CASE g.type WHEN 'custom' THEN 1 WHEN 'type' THEN 2 WHEN 'owner' THEN 3"
                              " WHEN 'favorited_by' THEN 4 END) ORDER BY g.id), '[]'::json)::text"
                              " FROM tagged_object o JOIN tag g ON g.id = o.tag_id"
                              " WHERE o.object_type = 'chart' AND o.object_id = $1::int",
                              1, p);
    *db_error = r == NULL;
    json_t *tags = r ? json_loads(pg_get(r, 0, 0), 0, NULL) : NULL;
    return tags ? tags : json_array();
}

static void get_chart(request_t *req) {
    const char *key = req_path_param(req, "id_or_uuid");
    model_query_t mq;
    mq_init(&mq, req->arena, &model_chart);
    chart_access_filter(req, &mq);
    int64_t id;
    if (parse_id(key, &id))
        mq_where(&mq, arena_sprintf(req->arena, "t.id = %s::bigint", mq_param(&mq, key)));
    else /* Slice.uuid == text: a malformed uuid matches nothing */
        mq_where(&mq, arena_sprintf(req->arena, "t.uuid::text = lower(%s)", mq_param(&mq, key)));
    json_t *ids = NULL;
    pg_error_t err;
    json_t *rows = mq_fetch(&mq, app_pg(req->app), item_columns, sizeof item_columns / sizeof item_columns[0], &ids, &err);
    if (!rows) {
        fatal(req);
        return;
    }
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, rows);
    json_decref(ids);
    json_t *row = json_array_get(rows, 0);
    if (!row) {
        error_fab(req, 404, "Not found");
        return;
    }
    json_t *ct = json_object_get(row, "cache_timeout"); /* fields.String: str(int) */
    if (json_is_integer(ct))
        json_object_set_new(row, "cache_timeout", json_string(arena_sprintf(req->arena, "%lld", (long long)json_integer_value(ct))));
    json_t *table = json_object_get(row, "table");
    json_object_set(row, "datasource_uuid", table ? json_object_get(table, "uuid") : json_null());
    if (!json_object_get(row, "datasource_uuid")) json_object_set_new(row, "datasource_uuid", json_null());
    json_object_del(row, "table");
    bool db_error;
    json_t *tags = chart_tags(req, json_integer_value(json_object_get(row, "id")), &db_error);
    if (db_error) {
        json_decref(tags);
        fatal(req);
        return;
    }
    json_object_set_new(row, "tags", tags);
    resp_json(req, 200, json_pack("{s:O}", "result", row), JSON_FLASK);
}

/* ---- PUT /<int:pk> ---- */

static bool exist_all(request_t *req, pg_conn_t *c, const char *table, json_t *ids, bool *db_error) {
    if (!json_is_array(ids) || !json_array_size(ids)) return true;
    char *text = json_dumps(ids, JSON_COMPACT);
    const char *p[] = {arena_strdup(req->arena, text)};
    free(text);
    pg_error_t err;
    pg_result_t *r = pg_conn_query(c, req->arena, &err,
                                   arena_sprintf(req->arena,
                                                 "SELECT count(DISTINCT x) = count(DISTINCT o.id) FROM"
                                                 " jsonb_array_elements_text($1::jsonb) e(x) LEFT JOIN %s o ON o.id = x::bigint",
                                                 table),
                                   1, p);
    if (!r) *db_error = true;
    return r && !strcmp(pg_get(r, 0, 0), "t");
}

static const char *value_text(arena_t *a, const json_t *v) {
    if (json_is_null(v)) return NULL;
    if (json_is_string(v)) return json_string_value(v);
    if (json_is_integer(v)) return arena_sprintf(a, "%lld", (long long)json_integer_value(v));
    if (json_is_real(v)) return arena_sprintf(a, "%lld", (long long)json_real_value(v));
    if (json_is_boolean(v)) return json_is_true(v) ? "true" : "false";
    return NULL;
}

/* Writable columns of slices a PUT body may carry, with their SQL casts. */
static const struct {
    const char *name, *cast;
} put_columns[] = {
    {"slice_name", "text"},     {"description", "text"},   {"viz_type", "text"},      {"params", "text"},
    {"query_context", "text"},  {"cache_timeout", "int"},  {"datasource_id", "int"},  {"datasource_type", "text"},
    {"certified_by", "text"},   {"certification_details", "text"}, {"is_managed_externally", "boolean"},
    {"external_url", "text"},   {"uuid", "uuid"},
};

static bool replace_links(request_t *req, pg_conn_t *c, const char *table, const char *other, const char *id,
                          json_t *ids, pg_error_t *err) {
    const char *p[] = {id, NULL};
    if (!pg_conn_query(c, req->arena, err, arena_sprintf(req->arena, "DELETE FROM %s WHERE slice_id = $1::int", table), 1, p))
        return false;
    char *text = json_dumps(ids, JSON_COMPACT);
    p[1] = arena_strdup(req->arena, text);
    free(text);
    return pg_conn_query(c, req->arena, err,
                         arena_sprintf(req->arena,
                                       "INSERT INTO %s (slice_id, %s) SELECT DISTINCT $1::int, x::int FROM"
                                       " jsonb_array_elements_text($2::jsonb) e(x)",
                                       table, other),
                         2, p) != NULL;
}

typedef enum { PUT_OK, PUT_NOT_FOUND, PUT_FORBIDDEN, PUT_INVALID, PUT_FAILED } put_status_t;

static put_status_t update_chart(request_t *req, pg_conn_t *c, int64_t pk, json_t *body, json_t *errors,
                                 const char **failure) {
    pg_error_t err;
    bool db_error = false;
    const char *ids = arena_sprintf(req->arena, "%lld", (long long)pk);
    bool qc_only = json_object_size(body) == 2 && json_object_get(body, "query_context") &&
                   json_is_true(json_object_get(body, "query_context_generation"));
    json_t *ds = json_object_get(body, "datasource_id");
    if (ds && !json_is_null(ds) && !json_string_length(json_object_get(body, "datasource_type")))
        json_object_set_new(errors, "datasource_type", json_pack("[s]", "Datasource type is required when datasource_id is given"));
    if (!qc_only && !chart_owned(req, c, pk, &db_error)) return db_error ? PUT_FAILED : PUT_FORBIDDEN;
    if (!exist_all(req, c, "ab_user", json_object_get(body, "owners"), &db_error))
        json_object_set_new(errors, "owners", json_pack("[s]", "Owners are invalid"));
    if (ds && !json_is_null(ds)) {
        json_t *one = json_pack("[O]", ds);
        if (!exist_all(req, c, "tables", one, &db_error))
            json_object_set_new(errors, "datasource_id", json_pack("[s]", "Datasource does not exist"));
        json_decref(one);
    }
    if (!exist_all(req, c, "dashboards", json_object_get(body, "dashboards"), &db_error))
        json_object_set_new(errors, "dashboards", json_pack("[s]", "Dashboards do not exist"));
    if (json_is_array(json_object_get(body, "tags")) && json_array_size(json_object_get(body, "tags")))
        json_object_set_new(errors, "tags", json_pack("[s]", "Tags are not supported"));
    if (db_error) return PUT_FAILED;
    if (json_object_size(errors)) return PUT_INVALID;

    strbuf_t set;
    strbuf_init_arena(&set, req->arena, 256);
    const char *params[32];
    int np = 0;
    params[np++] = ids;
    for (size_t i = 0; i < sizeof put_columns / sizeof put_columns[0]; i++) {
        json_t *v = json_object_get(body, put_columns[i].name);
        if (!v) continue;
        params[np++] = value_text(req->arena, v);
        strbuf_printf(&set, "%s\"%s\" = $%d::%s", set.len ? ", " : "", put_columns[i].name, np, put_columns[i].cast);
    }
    params[np++] = req->user ? arena_sprintf(req->arena, "%lld", (long long)req->user->id) : NULL;
    strbuf_printf(&set, "%schanged_on = localtimestamp, changed_by_fk = $%d::int", set.len ? ", " : "", np);
    bool ok = pg_conn_query(c, req->arena, &err,
                            arena_sprintf(req->arena, "UPDATE slices SET %s WHERE id = $1::int", set.data), np, params) != NULL;
    json_t *owners = json_object_get(body, "owners");
    if (ok && json_is_array(owners)) ok = replace_links(req, c, "slice_user", "user_id", ids, owners, &err);
    json_t *dashboards = json_object_get(body, "dashboards");
    if (ok && json_is_array(dashboards)) ok = replace_links(req, c, "dashboard_slices", "dashboard_id", ids, dashboards, &err);
    if (ok && !chart_after_write(req, &chart_resource, c, pk, body, failure)) return PUT_FAILED;
    if (!ok) {
        *failure = err.message;
        return PUT_FAILED;
    }
    return PUT_OK;
}

static void put_chart(request_t *req) {
    int64_t pk = req_path_int(req, "pk");
    json_t *body = req_is_json(req) ? json_loadb(req->body.data, req->body.len, 0, NULL) : NULL;
    if (!body) { /* @requires_json under @safe */
        fatal(req);
        return;
    }
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, body);
    if (!json_is_object(body)) {
        resp_json(req, 400, json_pack("{s:{s:[s]}}", "message", "_schema", "Invalid input type."), JSON_FLASK);
        return;
    }
    json_t *errors = chart_validate(req, &chart_resource, body, false);
    if (errors) {
        resp_json(req, 400, json_pack("{s:o}", "message", errors), JSON_FLASK);
        return;
    }
    bool db_error;
    if (!visible_one(req, pk, &db_error)) {
        if (db_error) fatal(req);
        else error_fab(req, 404, "Not found");
        return;
    }
    pg_error_t err;
    pg_conn_t *c = pg_acquire(app_pg(req->app), req->arena, &err);
    if (!c) {
        fatal(req);
        return;
    }
    errors = json_object();
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, errors);
    const char *failure = NULL;
    put_status_t st = PUT_FAILED;
    if (pg_begin(c, req->arena, &err)) {
        st = update_chart(req, c, pk, body, errors, &failure);
        if (st == PUT_OK && !pg_commit(c, req->arena, &err)) {
            st = PUT_FAILED;
            failure = err.message;
        }
    }
    pg_release(c);
    switch (st) {
    case PUT_OK:
        resp_json(req, 200, json_pack("{s:I,s:O}", "id", (json_int_t)pk, "result", body), JSON_FLASK);
        return;
    case PUT_NOT_FOUND: error_fab(req, 404, "Not found"); return;
    case PUT_FORBIDDEN: error_fab(req, 403, "Forbidden"); return;
    case PUT_INVALID: resp_json(req, 422, json_pack("{s:O}", "message", errors), JSON_FLASK); return;
    case PUT_FAILED: error_fab(req, 422, failure ? failure : "Chart could not be updated."); return;
    }
}

/* ---- DELETE /<pk> and DELETE /?q=!(ids) ---- */

/* DeleteChartCommand: every id visible, no reports on them, all owned. */
static void delete_charts(request_t *req, json_t *ids, bool bulk) {
    char *text = json_dumps(ids, JSON_COMPACT);
    const char *list = arena_strdup(req->arena, text);
    free(text);
    json_t *uniq = json_object();
    size_t i;
    json_t *id;
    json_array_foreach(ids, i, id) json_object_set_new(uniq, arena_sprintf(req->arena, "%lld", (long long)json_integer_value(id)), json_true());
    size_t wanted = json_object_size(uniq);
    json_decref(uniq);
    bool db_error;
    json_t *found = visible_ids(req, list, &db_error);
    size_t nfound = found ? json_array_size(found) : 0;
    json_decref(found);
    if (db_error) {
        fatal(req);
        return;
    }
    if (!nfound || nfound != wanted) {
        error_fab(req, 404, "Not found");
        return;
    }
    pg_error_t err;
    const char *p[] = {list};
    pg_result_t *rep = pg_query(app_pg(req->app), req->arena, &err,
                                "SELECT string_agg(name, ',' ORDER BY id) FROM report_schedule WHERE chart_id IN"
                                " (SELECT x::int FROM jsonb_array_elements_text($1::jsonb) e(x))",
                                1, p);
    if (!rep) {
        fatal(req);
        return;
    }
    if (pg_get(rep, 0, 0)) {
        error_fab(req, 422, arena_sprintf(req->arena, "There are associated alerts or reports: %s", pg_get(rep, 0, 0)));
        return;
    }
    json_array_foreach(ids, i, id) {
        if (!chart_owned(req, NULL, json_integer_value(id), &db_error)) {
            if (db_error) fatal(req);
            else error_fab(req, 403, "Forbidden");
            return;
        }
    }
    static const char *const statements[] = {
        "DELETE FROM slice_user WHERE slice_id IN (SELECT x::int FROM jsonb_array_elements_text($1::jsonb) e(x))",
        "DELETE FROM dashboard_slices WHERE slice_id IN (SELECT x::int FROM jsonb_array_elements_text($1::jsonb) e(x))",
        "DELETE FROM tagged_object WHERE object_type = 'chart' AND object_id IN"
        " (SELECT x::int FROM jsonb_array_elements_text($1::jsonb) e(x))",
        "DELETE FROM slices WHERE id IN (SELECT x::int FROM jsonb_array_elements_text($1::jsonb) e(x))",
    };
    pg_conn_t *c = pg_acquire(app_pg(req->app), req->arena, &err);
    bool ok = c && pg_begin(c, req->arena, &err);
    for (size_t s = 0; ok && s < sizeof statements / sizeof statements[0]; s++)
        ok = pg_conn_query(c, req->arena, &err, statements[s], 1, p) != NULL;
    ok = ok && pg_commit(c, req->arena, &err);
    if (c) pg_release(c);
    if (!ok) {
        if (err.status == PG_ERR_QUERY) error_fab(req, 422, err.message);
        else fatal(req);
        return;
    }
    if (!bulk) error_fab(req, 200, "OK");
    else error_fab(req, 200, arena_sprintf(req->arena, "Deleted %zu chart%s", wanted, wanted == 1 ? "" : "s"));
}

static void delete_chart(request_t *req) {
    int64_t pk;
    if (!parse_id(req_path_param(req, "pk"), &pk)) {
        error_fab(req, 404, "Not found");
        return;
    }
    json_t *ids = json_pack("[I]", (json_int_t)pk);
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, ids);
    delete_charts(req, ids, false);
}

/* Python repr of a scalar, for jsonschema messages. */
static const char *py_repr(arena_t *a, const json_t *v) {
    if (json_is_string(v)) return arena_sprintf(a, "'%s'", json_string_value(v));
    if (json_is_true(v)) return "True";
    if (json_is_false(v)) return "False";
    if (json_is_null(v)) return "None";
    if (json_is_integer(v)) return arena_sprintf(a, "%lld", (long long)json_integer_value(v));
    if (json_is_real(v)) return arena_sprintf(a, "%g", json_real_value(v));
    char *s = json_dump_arena(a, v, JSON_PY_DEFAULT, NULL);
    return s ? s : "?";
}

/* A rison list of integers in ?q= (get_delete_ids_schema / get_fav_star_ids_schema); NULL after answering. */
static json_t *rison_ids(request_t *req) {
    const char *qs = req_query_arg(req, "q");
    rison_error_t rerr;
    json_t *ids = qs && *qs ? rison_parse(qs, strlen(qs), &rerr) : NULL;
    if (ids) arena_on_free(req->arena, (arena_cleanup_fn)json_decref, ids);
    if (!ids && qs && *qs && rerr.fatal) {
        fatal(req);
        return NULL;
    }
    if (!ids) {
        event_log_skip(req); /* @rison is outside the event logger */
        error_fab(req, 400, "Not a valid rison/json argument");
        return NULL;
    }
    const json_t *bad = json_is_array(ids) ? NULL : ids;
    const char *type = "array";
    size_t i;
    json_t *id;
    json_array_foreach(ids, i, id) if (!bad && !json_is_integer(id)) bad = id, type = "integer";
    if (bad) {
        event_log_skip(req);
        error_fab(req, 400, arena_sprintf(req->arena, "Not a valid rison schema %s is not of type '%s'",
                                          py_repr(req->arena, bad), type));
        return NULL;
    }
    event_log_kwarg(req, "rison", ids);
    return ids;
}

static void bulk_delete(request_t *req) {
    json_t *ids = rison_ids(req);
    if (ids) delete_charts(req, ids, true);
}

/* ---- favorites ---- */

static void favorite_status(request_t *req) {
    json_t *ids = rison_ids(req);
    if (!ids) return;
    char *text = json_dumps(ids, JSON_COMPACT);
    const char *list = arena_strdup(req->arena, text);
    free(text);
    bool db_error;
    json_t *found = visible_ids(req, list, &db_error);
    if (found) arena_on_free(req->arena, (arena_cleanup_fn)json_decref, found);
    if (db_error) {
        fatal(req);
        return;
    }
    if (!json_array_size(found)) {
        error_fab(req, 404, "Not found");
        return;
    }
    const char *p[] = {list, req->user ? arena_sprintf(req->arena, "%lld", (long long)req->user->id) : NULL};
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              "SELECT obj_id FROM favstar WHERE class_name = 'slice' AND user_id = $2::int AND obj_id IN"
                              " (SELECT x::int FROM jsonb_array_elements_text($1::jsonb) e(x))",
                              2, p);
    if (!r) {
        fatal(req);
        return;
    }
    json_t *result = json_array();
    size_t i;
    json_t *id;
    json_array_foreach(ids, i, id) {
        bool fav = false;
        for (int k = 0; k < pg_nrows(r) && !fav; k++) {
            bool in_found = false;
            size_t j;
            json_t *f;
            json_array_foreach(found, j, f) in_found = in_found || json_integer_value(f) == json_integer_value(id);
            fav = in_found && pg_get_int(r, k, 0, 0) == json_integer_value(id);
        }
        json_array_append_new(result, json_pack("{s:I,s:b}", "id", json_integer_value(id), "value", fav));
    }
    resp_json(req, 200, json_pack("{s:o}", "result", result), JSON_FLASK);
}

/* Add/DelFavoriteChartCommand: the chart (under ChartFilter) and ownership. */
static void favorite(request_t *req, bool add) {
    int64_t pk;
    bool db_error = false;
    bool found = parse_id(req_path_param(req, "pk"), &pk) && visible_one(req, pk, &db_error);
    bool owned = found && chart_owned(req, NULL, pk, &db_error);
    if (db_error) {
        fatal(req);
        return;
    }
    if (!owned) { /* remove_favorite answers OK even then (its error responses are discarded) */
        if (!add) resp_json(req, 200, json_pack("{s:s}", "result", "OK"), JSON_FLASK);
        else if (!found) error_fab(req, 404, "Not found");
        else error_fab(req, 403, "Forbidden");
        return;
    }
    pg_error_t err;
    if (!favorite_set(app_pg(req->app), req->arena, "slice", pk, req->user ? req->user->id : 0, add, &err)) {
        fatal(req);
        return;
    }
    resp_json(req, 200, json_pack("{s:s}", "result", "OK"), JSON_FLASK);
}

static void add_favorite(request_t *req) { favorite(req, true); }
static void remove_favorite(request_t *req) { favorite(req, false); }

static const route_def_t routes[] = {
    {"GET", "/api/v1/chart/<id_or_uuid>", get_chart, GUARD("can_read", "Chart"), 0, NULL,
     "ChartRestApi.get"},
    {"PUT", "/api/v1/chart/<int:pk>", put_chart, GUARD("can_write", "Chart"), 0, NULL,
     "ChartRestApi.put"},
    {"DELETE", "/api/v1/chart/<pk>", delete_chart, GUARD("can_write", "Chart"), 0, NULL,
     "ChartRestApi.delete"},
    {"DELETE", "/api/v1/chart/", bulk_delete, GUARD("can_write", "Chart"), 0, NULL,
     "ChartRestApi.bulk_delete"},
    {"GET", "/api/v1/chart/favorite_status/", favorite_status, GUARD("can_read", "Chart"), 0, NULL,
     "ChartRestApi.favorite_status"},
    {"POST", "/api/v1/chart/<pk>/favorites/", add_favorite, GUARD("can_read", "Chart"), 0, NULL,
     "ChartRestApi.add_favorite"},
    {"DELETE", "/api/v1/chart/<pk>/favorites/", remove_favorite, GUARD("can_read", "Chart"), 0, NULL,
     "ChartRestApi.remove_favorite"},
};

const route_table_t chart_routes = {routes, sizeof routes / sizeof routes[0], NULL};
