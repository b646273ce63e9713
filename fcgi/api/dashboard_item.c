/* /api/v1/dashboard custom read endpoints: GET /<id_or_slug> (Superset's
 * DashboardGetResponseSchema), GET /favorite_status/ and POST/DELETE
 * /<pk>/favorites/. Lookups go through DashboardAccessFilter: invisible
 * dashboards answer 404 as DashboardDAO.get_by_id_or_slug does. */
#include <ctype.h>
#include <string.h>

#include "domain/favorites.h"
#include "fcgi/api/api.h"
#include "fcgi/api/dashboard.h"
#include "fcgi/app.h"
#include "fcgi/errors.h"
#include "fcgi/event_logger.h"
#include "lib/json.h"
#include "lib/rison.h"
#include "persistence/models.h"

void dashboard_fatal(request_t *req) {
    event_log_skip(req);
    error_fab(req, 500, "Fatal error");
}

static bool all_digits(const char *s) {
    if (!*s) return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s)) return false;
    return true;
}

static bool is_uuid(const char *s) {
    static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
    if (strlen(s) != sizeof shape - 1) return false;
    for (size_t i = 0; shape[i]; i++)
        if (shape[i] == '-' ? s[i] != '-' : !isxdigit((unsigned char)s[i])) return false;
    return true;
}

void dashboard_where_id_or_slug(request_t *req, model_query_t *q, const char *key) {
    dashboard_access_filter(req, q);
    if (is_uuid(key)) mq_where(q, arena_sprintf(q->arena, "t.uuid = %s::uuid", mq_param(q, key)));
    else if (all_digits(key) && strlen(key) < 10) mq_where(q, arena_sprintf(q->arena, "t.id = %s::int", mq_param(q, key)));
    else mq_where(q, arena_sprintf(q->arena, "t.slug = %s", mq_param(q, key)));
}

/* DashboardDAO.get_by_id_or_slug: ids and slugs are looked up under the
 * access filter (404 when hidden); a uuid is looked up directly and then
 * checked as raise_for_access does (403 when the caller may not see it). */
int64_t dashboard_find(request_t *req, const char *key) {
    model_query_t q;
    mq_init(&q, req->arena, &model_dashboard);
    const char *sql;
    if (is_uuid(key)) {
        const char *uuid = mq_param(&q, key);
        sql = arena_sprintf(req->arena, "SELECT t.id, %s FROM dashboards t WHERE t.uuid = %s::uuid",
                            dashboard_raise_for_access_sql(req, &q), uuid);
    } else {
        dashboard_where_id_or_slug(req, &q, key);
        sql = arena_sprintf(req->arena, "SELECT t.id, true FROM dashboards t WHERE %s LIMIT 1", q.where.data);
    }
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err, sql, q.nparams, q.params);
    if (!r) {
        dashboard_fatal(req);
        return -1;
    }
    if (!pg_nrows(r)) {
        error_fab(req, 404, "Not found");
        return 0;
    }
    if (!pg_get_bool(r, 0, 1, false)) {
        error_fab(req, 403, "Forbidden");
        return -1;
    }
    return pg_get_int(r, 0, 0, 0);
}

static const char *const item_columns[] = {
    "id", "slug", "url", "dashboard_title", "thumbnail_url", "published", "css", "json_metadata", "position_json",
    "certified_by", "certification_details", "changed_by_name", "changed_by.id", "changed_by.first_name",
    "changed_by.last_name", "changed_on", "created_by.id", "created_by.first_name", "created_by.last_name",
    "owners.id", "owners.first_name", "owners.last_name", "roles.id", "roles.name", "tags.id", "tags.name", "tags.type",
    "changed_on_delta_humanized", "created_on_delta_humanized", "is_managed_externally", "uuid", NULL};

/* charts: slice names; theme: {id, theme_name, json_data} or null. */
static bool add_extras(request_t *req, json_t *row, const char *id) {
    pg_error_t err;
    const char *p[] = {id};
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              "SELECT coalesce(json_agg(s.slice_name ORDER BY ds.id), '[]'::json)::text,"
                              " (SELECT json_build_object('id', h.id, 'theme_name', h.theme_name, 'json_data',"
                              " h.json_data)::text FROM dashboards d JOIN themes h ON h.id = d.theme_id"
                              " WHERE d.id = $1::int) FROM dashboard_slices ds JOIN slices s ON s.id = ds.slice_id"
                              " WHERE ds.dashboard_id = $1::int",
                              1, p);
    if (!r) return false;
    json_t *charts = json_loads(pg_get(r, 0, 0), 0, NULL);
    json_object_set_new(row, "charts", charts ? charts : json_array());
    json_t *theme = pg_isnull(r, 0, 1) ? NULL : json_loads(pg_get(r, 0, 1), 0, NULL);
    json_object_set_new(row, "theme", theme ? theme : json_null());
    return true;
}

/* with_dashboard is outside log_this_with_extra_payload: a 403/404 writes no
 * row; the view gets the dashboard positionally and adds its id. */
static void get_dashboard(request_t *req) {
    int64_t id = dashboard_find(req, req_path_param(req, "id_or_slug"));
    if (id <= 0) {
        event_log_skip(req);
        return;
    }
    json_t *dashboard_id = json_integer(id);
    event_log_kwarg(req, "dashboard_id", dashboard_id);
    json_decref(dashboard_id);
    model_query_t q;
    mq_init(&q, req->arena, &model_dashboard);
    mq_where(&q, arena_sprintf(req->arena, "t.id = %s::int", mq_param(&q, arena_sprintf(req->arena, "%lld", (long long)id))));
    size_t n = 0;
    while (item_columns[n]) n++;
    pg_error_t err;
    json_t *ids = NULL;
    json_t *rows = mq_fetch(&q, app_pg(req->app), item_columns, n, &ids, &err);
    json_decref(ids);
    json_t *row = rows && json_array_size(rows) ? json_incref(json_array_get(rows, 0)) : NULL;
    json_decref(rows);
    if (!row || !add_extras(req, row, arena_sprintf(req->arena, "%lld", (long long)id))) {
        json_decref(row);
        dashboard_fatal(req);
        return;
    }
    if (req->user && req->user->is_guest) { /* post_dump hides these from embedded guests */
        json_object_del(row, "owners");
        json_object_del(row, "changed_by_name");
        json_object_del(row, "changed_by");
    }
    resp_json(req, 200, json_pack("{s:o}", "result", row), JSON_FLASK);
}

json_t *dashboard_json_body(request_t *req) {
    if (!req_is_json(req)) {
        dashboard_fatal(req);
        return NULL;
    }
    json_t *body = json_loadb(req->body.data, req->body.len, JSON_DECODE_ANY, NULL);
    if (!body) {
        event_log_skip(req); /* request.json raises through the event logger */
        error_fab(req, 400, "400 Bad Request: The browser (or proxy) sent a request that this server could not understand.");
        return NULL;
    }
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, body);
    if (!json_is_object(body)) {
        resp_json(req, 400, json_pack("{s:{s:[s]}}", "message", "_schema", "Invalid input type."), JSON_FLASK);
        return NULL;
    }
    return body;
}

json_t *dashboard_ids_arg(request_t *req) {
    const char *qs = req_query_arg(req, "q");
    rison_error_t rerr;
    json_t *ids = qs && *qs ? rison_parse(qs, strlen(qs), &rerr) : NULL;
    if (ids) arena_on_free(req->arena, (arena_cleanup_fn)json_decref, ids);
    size_t i;
    json_t *v;
    bool ok = json_is_array(ids);
    json_array_foreach(ids, i, v) ok = ok && json_is_integer(v);
    if (!ok) {
        event_log_skip(req);
        error_fab(req, 400, "Not a valid rison/json argument");
        return NULL;
    }
    event_log_kwarg(req, "rison", ids);
    return ids;
}

/* GET /favorite_status/?q=!(ids): visible ids found, each requested id flagged. */
static void favorite_status(request_t *req) {
    json_t *ids = dashboard_ids_arg(req);
    if (!ids) return;
    size_t i;
    json_t *v;
    model_query_t q;
    mq_init(&q, req->arena, &model_dashboard);
    dashboard_access_filter(req, &q);
    const char *list = mq_param(&q, json_dump_arena(req->arena, ids, JSON_COMPACT, NULL));
    mq_where(&q, arena_sprintf(req->arena, "t.id IN (SELECT x::int FROM jsonb_array_elements_text(%s::jsonb) e(x))", list));
    const char *user = mq_param(&q, arena_sprintf(req->arena, "%lld", (long long)(req->user ? req->user->id : 0)));
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              arena_sprintf(req->arena,
                                            "SELECT t.id, EXISTS (SELECT 1 FROM favstar f WHERE f.class_name ="
                                            " 'Dashboard' AND f.obj_id = t.id AND f.user_id = %s::int)"
                                            " FROM dashboards t WHERE %s",
                                            user, q.where.data),
                              q.nparams, q.params);
    if (!r) {
        dashboard_fatal(req);
        return;
    }
    if (!pg_nrows(r)) {
        error_fab(req, 404, "Not found");
        return;
    }
    json_t *result = json_array();
    json_array_foreach(ids, i, v) {
        bool fav = false;
        for (int k = 0; k < pg_nrows(r); k++)
            if (pg_get_int(r, k, 0, 0) == json_integer_value(v)) fav = fav || !strcmp(pg_get(r, k, 1), "t");
        json_array_append_new(result, json_pack("{s:I,s:b}", "id", json_integer_value(v), "value", fav));
    }
    resp_json(req, 200, json_pack("{s:o}", "result", result), JSON_FLASK);
}

static void favorite(request_t *req, bool add) {
    int64_t id = dashboard_find(req, req_path_param(req, "pk"));
    if (id <= 0) return;
    pg_error_t err;
    if (!favorite_set(app_pg(req->app), req->arena, "Dashboard", id, req->user ? req->user->id : 0, add, &err)) {
        dashboard_fatal(req);
        return;
    }
    resp_json(req, 200, json_pack("{s:s}", "result", "OK"), JSON_FLASK);
}

static void add_favorite(request_t *req) { favorite(req, true); }
static void remove_favorite(request_t *req) { favorite(req, false); }

static const route_def_t routes[] = {
    {"GET", "/api/v1/dashboard/<id_or_slug>", get_dashboard, GUARD("can_read", "Dashboard"), ROUTE_LOG_POSITIONAL, NULL,
     "DashboardRestApi.get"},
    {"GET", "/api/v1/dashboard/favorite_status/", favorite_status, GUARD("can_read", "Dashboard"), 0, NULL,
     "DashboardRestApi.favorite_status"},
    {"POST", "/api/v1/dashboard/<pk>/favorites/", add_favorite, GUARD("can_read", "Dashboard"), 0, NULL,
     "DashboardRestApi.add_favorite"},
    {"DELETE", "/api/v1/dashboard/<pk>/favorites/", remove_favorite, GUARD("can_read", "Dashboard"), 0, NULL,
     "DashboardRestApi.remove_favorite"},
    {"POST", "/api/v1/dashboard/", dashboard_post, GUARD("can_write", "Dashboard"), 0, NULL, "DashboardRestApi.post"},
    {"PUT", "/api/v1/dashboard/<pk>", dashboard_put, GUARD("can_write", "Dashboard"), 0, NULL, "DashboardRestApi.put"},
    {"DELETE", "/api/v1/dashboard/<pk>", dashboard_delete, GUARD("can_write", "Dashboard"), 0, NULL,
     "DashboardRestApi.delete"},
    {"DELETE", "/api/v1/dashboard/", dashboard_bulk_delete, GUARD("can_write", "Dashboard"), 0, NULL,
     "DashboardRestApi.bulk_delete"},
};
const route_table_t dashboard_routes = {routes, sizeof routes / sizeof routes[0], NULL};
