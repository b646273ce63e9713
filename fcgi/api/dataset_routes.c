/* /api/v1/dataset custom endpoints: PUT /<pk> (dataset_put.c), PUT
 * /<pk>/refresh (dataset_refresh.c), GET /<pk>/related_objects, DELETE
 * /<pk>/column/<id> and /<pk>/metric/<id> (DatasetColumnsRestApi /
 * DatasetMetricRestApi: columns and metrics have no owners, so only admins
 * pass the ownership check), and POST /duplicate (DuplicateDatasetCommand:
 * a virtual dataset copied with its columns and metrics, owned by the
 * caller). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "domain/security.h"
#include "fcgi/api/api.h"
#include "fcgi/api/data_access_filter.h"
#include "fcgi/api/dataset_refresh.h"
#include "fcgi/api/dataset_schema.h"
#include "fcgi/api/dataset_write.h"
#include "fcgi/app.h"
#include "fcgi/model_rest.h"
#include "lib/json.h"
#include "lib/log.h"
#include "persistence/models.h"


void dataset_post(request_t *req);
void dataset_get_or_create(request_t *req);
void dataset_drill_info(request_t *req);

static const char *num(arena_t *a, int64_t v) { return arena_sprintf(a, "%lld", (long long)v); }

static void related_objects(request_t *req) {
    int64_t pk = 0;
    int found = dataset_parse_pk(req_path_param(req, "pk"), &pk) ? dataset_lookup(req, pk) : 0;
    if (found < 0) return dataset_fatal(req);
    if (found == 0) return error_fab(req, 404, "Not found");
    const char *p[] = {num(req->arena, pk)};
    pg_error_t err;
    pg_result_t *r = pg_query(
        app_pg(req->app), req->arena, &err,
        "SELECT (SELECT coalesce(json_agg(json_build_object('id', s.id, 'slice_name', s.slice_name, 'viz_type',"
        " s.viz_type) ORDER BY s.id), '[]'::json) FROM slices s WHERE s.datasource_id = $1::int AND"
        " s.datasource_type = 'table'),"
        " (SELECT coalesce(json_agg(json_build_object('id', d.id, 'json_metadata', d.json_metadata, 'slug', d.slug,"
        " 'title', d.dashboard_title) ORDER BY d.id), '[]'::json) FROM dashboards d WHERE d.id IN (SELECT"
        " ds.dashboard_id FROM dashboard_slices ds JOIN slices s ON s.id = ds.slice_id WHERE s.datasource_id ="
        " $1::int AND s.datasource_type = 'table'))", 1, p);
    if (!r) return dataset_fatal(req);
    json_t *charts = json_loads(pg_get(r, 0, 0), 0, NULL), *dashboards = json_loads(pg_get(r, 0, 1), 0, NULL);
    resp_json(req, 200,
              json_pack("{s:{s:I,s:o},s:{s:I,s:o}}", "charts", "count", (json_int_t)json_array_size(charts), "result",
                        charts, "dashboards", "count", (json_int_t)json_array_size(dashboards), "result", dashboards),
              JSON_FLASK);
}

/* DELETE a column or metric row of a visible dataset (admins only). */
static void delete_child(request_t *req, const char *table, const char *id_param) {
    int64_t pk = 0, child = 0;
    int found = dataset_parse_pk(req_path_param(req, "pk"), &pk) ? dataset_lookup(req, pk) : 0;
    if (found < 0) return dataset_fatal(req);
    const char *p[] = {num(req->arena, pk), num(req->arena, dataset_parse_pk(req_path_param(req, id_param), &child) ? child : 0)};
    pg_error_t err;
    pg_result_t *r = found ? pg_query(app_pg(req->app), req->arena, &err,
                                      arena_sprintf(req->arena, "SELECT 1 FROM %s WHERE table_id = $1::int AND id = $2::int",
                                                    table), 2, p)
                           : NULL;
    if (found && !r) return dataset_fatal(req);
    if (!found || !pg_nrows(r)) return error_fab(req, 404, "Not found");
    if (!security_is_admin(req->cfg, req->user)) return error_fab(req, 403, "Forbidden");
    r = pg_query(app_pg(req->app), req->arena, &err,
                 arena_sprintf(req->arena, "DELETE FROM %s WHERE table_id = $1::int AND id = $2::int", table), 2, p);
    if (!r) return error_fab(req, 422, !strcmp(table, "table_columns") ? "Dataset column delete failed."
                                                                        : "Dataset metric delete failed.");
    error_fab(req, 200, "OK");
}

static void delete_column(request_t *req) { delete_child(req, "table_columns", "column_id"); }
static void delete_metric(request_t *req) { delete_child(req, "sql_metrics", "metric_id"); }

/* sql.strip().strip(";") */
static char *strip_sql(arena_t *a, const char *s) {
    while (isspace((unsigned char)*s)) s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1])) n--;
    while (n && *s == ';') s++, n--;
    while (n && s[n - 1] == ';') n--;
    return arena_strndup(a, s, n);
}

/* 0 = valid, 1 = invalid (DatasetInvalidError), 2 = lookup ambiguity (create failed), -1 db error. */
static int duplicate_validate(request_t *req, int64_t base, const char *name) {
    int found = dataset_lookup(req, base);
    if (found < 0) return -1;
    model_query_t q;
    mq_init(&q, req->arena, &model_dataset);
    data_access_datasource_filter(req, &q);
    mq_where(&q, arena_sprintf(req->arena, "t.table_name = %s", mq_param(&q, name)));
    pg_error_t err;
    int64_t same_name = mq_count(&q, app_pg(req->app), &err);
    if (same_name < 0) return -1;
    if (!found) return same_name > 1 ? 2 : 1;
    const char *p[] = {num(req->arena, base)};
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              "SELECT coalesce(sql, '') <> '' FROM tables WHERE id = $1::int", 1, p);
    if (!r) return -1;
    if (same_name > 1) return 2;
    return strcmp(pg_get(r, 0, 0), "t") || same_name ? 1 : 0;
}

static void duplicate(request_t *req) {
    json_t *body = req_is_json(req) ? json_loadb(req->body.data, req->body.len, JSON_DECODE_ANY, NULL) : NULL;
    if (!body) return dataset_fatal(req);
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, body);
    json_t *errors = json_is_object(body) ? dataset_schema_load(req->arena, DS_SCHEMA_DUPLICATE, body)
                                          : json_pack("{s:[s]}", "_schema", "Invalid input type.");
    if (errors) return resp_json(req, 400, json_pack("{s:o}", "message", errors), JSON_FLASK);
    int64_t base = json_integer_value(json_object_get(body, "base_model_id"));
    const char *name = json_string_value(json_object_get(body, "table_name"));
    int v = duplicate_validate(req, base, name);
    if (v < 0) return dataset_fatal(req);
    if (v == 1) return error_fab(req, 422, "Dataset parameters are invalid.");
    if (v == 2) return error_fab(req, 422, "Dataset could not be duplicated.");
    arena_t *a = req->arena;
    pg_error_t err = {0};
    pg_conn_t *c = pg_acquire(app_pg(req->app), a, &err);
    if (!c) return dataset_fatal(req);
    const char *me = num(a, req->user ? req->user->id : 0);
    const char *p[] = {num(a, base), name, me, NULL};
    int64_t id = -1;
    pg_result_t *src = pg_begin(c, a, &err) ? pg_conn_query(c, a, &err, "SELECT sql FROM tables WHERE id = $1::int", 1, p)
                                            : NULL;
    if (src && pg_nrows(src)) {
        p[3] = strip_sql(a, pg_get(src, 0, 0) ? pg_get(src, 0, 0) : "");
        pg_result_t *r = pg_conn_query(
            c, a, &err,
            "INSERT INTO tables (table_name, database_id, schema, template_params, normalize_columns,"
            " always_filter_main_dttm, is_sqllab_view, sql, filter_select_enabled, \"offset\", is_featured,"
            " is_managed_externally, uuid, created_on, changed_on, created_by_fk, changed_by_fk)"
            " SELECT $2, database_id, schema, template_params, normalize_columns, always_filter_main_dttm, true, $4,"
            " true, 0, false, false, gen_random_uuid(), localtimestamp, localtimestamp, $3::int, $3::int"
            " FROM tables WHERE id = $1::int RETURNING id", 4, p);
        int64_t nid = r && pg_nrows(r) ? pg_get_int(r, 0, 0, -1) : -1;
        const char *q[] = {num(a, base), num(a, nid), me};
        bool ok = nid > 0 &&
                  pg_conn_query(c, a, &err, "INSERT INTO sqlatable_user (user_id, table_id) VALUES ($2::int, $1::int)",
                                2, q + 1) &&
                  pg_conn_query(c, a, &err,
                                "INSERT INTO table_columns (table_id, column_name, verbose_name, expression, filterable,"
                                " groupby, is_dttm, type, description, is_active, uuid, created_on, changed_on,"
                                " created_by_fk, changed_by_fk) SELECT $2::int, column_name, verbose_name, expression,"
                                " true, true, is_dttm, type, description, true, gen_random_uuid(), localtimestamp,"
                                " localtimestamp, $3::int, $3::int FROM table_columns WHERE table_id = $1::int ORDER BY id",
                                3, q) &&
                  pg_conn_query(c, a, &err,
                                "INSERT INTO sql_metrics (table_id, metric_name, verbose_name, expression, metric_type,"
                                " description, uuid, created_on, changed_on, created_by_fk, changed_by_fk) SELECT"
                                " $2::int, metric_name, verbose_name, expression, metric_type, description,"
                                " gen_random_uuid(), localtimestamp, localtimestamp, $3::int, $3::int FROM sql_metrics"
                                " WHERE table_id = $1::int ORDER BY id", 3, q) &&
                  dataset_perm_after_insert(a, c, nid, &err) && pg_commit(c, a, &err);
        if (ok) id = nid;
    }
    pg_release(c);
    if (id < 0) {
        log_warn("dataset duplicate failed: %s", err.message ? err.message : "");
        if (err.status == PG_ERR_QUERY) return error_fab(req, 422, "Dataset could not be duplicated.");
        return dataset_fatal(req);
    }
    security_invalidate(app_security(req->app));
    resp_json(req, 201, json_pack("{s:I,s:O}", "id", (json_int_t)id, "result", body), JSON_FLASK);
}

static const route_def_t routes[] = {
    {"PUT", "/api/v1/dataset/<pk>", dataset_put, GUARD("can_write", "Dataset"), 0, NULL, "DatasetRestApi.put"},
    {"PUT", "/api/v1/dataset/<pk>/refresh", dataset_refresh, GUARD("can_write", "Dataset"), 0, NULL,
     "DatasetRestApi.refresh"},
    {"GET", "/api/v1/dataset/<pk>/related_objects", related_objects, GUARD("can_read", "Dataset"), 0, NULL,
     "DatasetRestApi.related_objects"},
    {"DELETE", "/api/v1/dataset/<int:pk>/column/<int:column_id>", delete_column, GUARD("can_write", "Dataset"), 0,
     NULL},
    {"DELETE", "/api/v1/dataset/<int:pk>/metric/<int:metric_id>", delete_metric, GUARD("can_write", "Dataset"), 0,
     NULL},
    {"POST", "/api/v1/dataset/duplicate", duplicate, GUARD("can_duplicate", "Dataset"), 0, NULL,
     "DatasetRestApi.duplicate"},
    {"POST", "/api/v1/dataset/", dataset_post, GUARD("can_write", "Dataset"), 0, NULL, "DatasetRestApi.post"},
    {"GET", "/api/v1/dataset/<int:pk>/drill_info/", dataset_drill_info, GUARD("can_get_drill_info", "Dataset"), 0,
     NULL, "DatasetRestApi.get_drill_info"},
    {"POST", "/api/v1/dataset/get_or_create/", dataset_get_or_create, GUARD("can_get_or_create_dataset", "Dataset"), 0,
     NULL, "DatasetRestApi.get_or_create_dataset"},
};

const route_table_t dataset_routes = {routes, sizeof routes / sizeof routes[0], NULL};
