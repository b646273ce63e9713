/* GET /api/v1/dataset/<pk>/drill_info/: DatasetRestApi.get_drill_info.
 * A visible dataset answers its id, name, owners, audit names and the
 * groupby columns (embedded guests get id and columns only). A dataset the
 * caller cannot see is still answered when ?q=(dashboard_id:N) names a
 * dashboard that lets the caller drill it: an embedded guest whose token
 * holds the dashboard (EMBEDDED_SUPERSET), or a user sharing a role with a
 * published dashboard (DASHBOARD_RBAC), the dataset feeding one of its
 * charts. */
#include <string.h>

#include "fcgi/api/data_access_filter.h"
#include "fcgi/api/dataset_write.h"
#include "fcgi/app.h"
#include "fcgi/event_logger.h"
#include "lib/json.h"
#include "lib/rison.h"
#include "persistence/models.h"

void dataset_drill_info(request_t *req);

static const char *const drill_columns[] = {
    "id", "table_name", "owners.first_name", "owners.last_name", "created_by.first_name", "created_by.last_name",
    "created_on_humanized", "changed_by.first_name", "changed_by.last_name", "changed_on_humanized",
    "columns.column_name", "columns.verbose_name", "columns.groupby"};

/* The dataset's drill payload (filtered or not); NULL when missing, *err on failure. */
static json_t *fetch(request_t *req, int64_t pk, bool filtered, bool *err) {
    model_query_t q;
    mq_init(&q, req->arena, &model_dataset);
    if (filtered) data_access_datasource_filter(req, &q);
    mq_where(&q, arena_sprintf(req->arena, "t.id = %s::int", mq_param(&q, arena_sprintf(req->arena, "%lld", (long long)pk))));
    pg_error_t e;
    json_t *ids = NULL;
    json_t *rows = mq_fetch(&q, app_pg(req->app), drill_columns, sizeof drill_columns / sizeof drill_columns[0], &ids, &e);
    json_decref(ids);
    if (!rows) {
        *err = true;
        return NULL;
    }
    json_t *row = json_incref(json_array_get(rows, 0));
    json_decref(rows);
    if (!row) return NULL;
    /* post_dump: only groupby columns, dumped as {column_name, verbose_name} */
    json_t *cols = json_array();
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(row, "columns"), i, c) if (json_is_true(json_object_get(c, "groupby")))
        json_array_append_new(cols, json_pack("{s:O,s:O}", "column_name", json_object_get(c, "column_name"),
                                              "verbose_name", json_object_get(c, "verbose_name")));
    json_object_set_new(row, "columns", cols);
    if (req->user && req->user->is_guest) {
        json_t *small = json_pack("{s:O,s:O}", "id", json_object_get(row, "id"), "columns", cols);
        json_decref(row);
        return small;
    }
    return row;
}

static bool guest_holds(request_t *req, int64_t dashboard) {
    if (!config_feature(req->cfg, "EMBEDDED_SUPERSET") || !req->user || !req->user->is_guest) return false;
    const char *p[] = {arena_sprintf(req->arena, "%lld", (long long)dashboard)};
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              "SELECT uuid::text FROM embedded_dashboards WHERE dashboard_id = $1::int ORDER BY uuid LIMIT 1",
                              1, p);
    const char *embedded = r && pg_nrows(r) ? pg_get(r, 0, 0) : NULL;
    size_t i;
    json_t *res;
    json_array_foreach(json_object_get(req->user->guest_claims, "resources"), i, res) {
        if (!json_is_string(json_object_get(res, "type")) || strcmp(json_string_value(json_object_get(res, "type")), "dashboard"))
            continue;
        json_t *id = json_object_get(res, "id");
        const char *text = json_is_string(id) ? json_string_value(id)
                           : json_is_integer(id) ? arena_sprintf(req->arena, "%lld", (long long)json_integer_value(id)) : "";
        if (!strcmp(text, p[0]) || (embedded && !strcmp(text, embedded))) return true;
    }
    return false;
}

static bool rbac_shares_role(request_t *req, int64_t dashboard) {
    if (!config_feature(req->cfg, "DASHBOARD_RBAC") || !req->user || req->user->is_guest) return false;
    json_t *roles = json_array();
    for (int i = 0; i < req->user->nroles; i++) json_array_append_new(roles, json_integer(req->user->roles[i].id));
    const char *p[] = {arena_sprintf(req->arena, "%lld", (long long)dashboard), json_dump_arena(req->arena, roles, JSON_COMPACT, NULL)};
    json_decref(roles);
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              "SELECT 1 FROM dashboards d WHERE d.id = $1::int AND d.published AND EXISTS (SELECT 1 FROM"
                              " dashboard_roles dr WHERE dr.dashboard_id = d.id AND dr.role_id IN (SELECT x::int FROM"
                              " jsonb_array_elements_text($2::jsonb) e(x)))", 2, p);
    return r && pg_nrows(r);
}

void dataset_drill_info(request_t *req) {
    int64_t pk = req_path_int(req, "pk");
    const char *qs = req_query_arg(req, "q");
    json_t *q = NULL;
    if (qs && *qs) {
        rison_error_t rerr;
        q = rison_parse(qs, strlen(qs), &rerr);
        if (!q) q = json_loads(url_decode(req->arena, qs, strlen(qs), true), JSON_DECODE_ANY, NULL);
        if (!q) return event_log_skip(req), error_fab(req, 400, "Not a valid rison/json argument");
        arena_on_free(req->arena, (arena_cleanup_fn)json_decref, q);
        json_t *d = json_object_get(q, "dashboard_id");
        if (!json_is_object(q) || (d && !json_is_integer(d))) {
            json_t *bad = json_is_object(q) ? d : q;
            const char *repr = json_is_string(bad) ? arena_sprintf(req->arena, "'%s'", json_string_value(bad))
                               : json_is_true(bad) ? "True" : json_is_false(bad) ? "False" : json_is_null(bad) ? "None"
                               : json_dump_arena(req->arena, bad, JSON_ENCODE_ANY | JSON_PY_DEFAULT, NULL);
            event_log_skip(req); /* @rison is outside the event logger */
            return error_fab(req, 400, arena_sprintf(req->arena, "Not a valid rison schema %s is not of type '%s'", repr,
                                                     json_is_object(q) ? "integer" : "object"));
        }
    }
    json_t *rison = q ? json_incref(q) : json_object();
    event_log_kwarg(req, "rison", rison);
    json_decref(rison);
    int64_t dashboard = json_integer_value(json_object_get(q, "dashboard_id"));
    bool err = false;
    json_t *row = fetch(req, pk, true, &err);
    if (err) return dataset_fatal(req);
    if (row) return resp_json(req, 200, json_pack("{s:o}", "result", row), JSON_FLASK);
    if (!dashboard && req->user && req->user->is_guest) return error_fab(req, 403, "Forbidden");
    if (!dashboard) return error_fab(req, 404, "Not found");
    const char *p[] = {arena_sprintf(req->arena, "%lld", (long long)dashboard), arena_sprintf(req->arena, "%lld", (long long)pk)};
    pg_error_t e;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &e,
                              "SELECT EXISTS (SELECT 1 FROM dashboards WHERE id = $1::int), EXISTS (SELECT 1 FROM tables"
                              " WHERE id = $2::int), EXISTS (SELECT 1 FROM dashboard_slices ds JOIN slices s ON s.id ="
                              " ds.slice_id WHERE ds.dashboard_id = $1::int AND s.datasource_type = 'table' AND"
                              " s.datasource_id = $2::int)", 2, p);
    if (!r) return dataset_fatal(req);
    if (!pg_get_bool(r, 0, 0, false) || !pg_get_bool(r, 0, 1, false)) return error_fab(req, 404, "Not found");
    if (!pg_get_bool(r, 0, 2, false) || !(guest_holds(req, dashboard) || rbac_shares_role(req, dashboard)))
        return error_fab(req, 403, "Forbidden");
    row = fetch(req, pk, false, &err);
    if (!row) return dataset_fatal(req);
    resp_json(req, 200, json_pack("{s:o}", "result", row), JSON_FLASK);
}
