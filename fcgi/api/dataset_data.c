/* Dataset payload (SqlaTable.data); see dataset_data.h. */
#include "fcgi/api/dataset_data.h"

#include <string.h>

#include "fcgi/api/database_target.h"
#include "fcgi/api/engine_spec.h"
#include "fcgi/app.h"
#include "lib/json.h"
#include "lib/sqla_url.h"
#include "persistence/pg_introspect.h"

/* The PostgreSQL spec's time grains, in order (duration, name). */
static const char *const grains[][2] = {
    {"PT1S", "Second"}, {"PT5S", "5 second"}, {"PT30S", "30 second"}, {"PT1M", "Minute"},
    {"PT5M", "5 minute"}, {"PT10M", "10 minute"}, {"PT15M", "15 minute"}, {"PT30M", "30 minute"},
    {"PT1H", "Hour"}, {"P1D", "Day"}, {"P1W", "Week"}, {"P1M", "Month"}, {"P3M", "Quarter"}, {"P1Y", "Year"},
};

static pg_result_t *run(request_t *req, pg_conn_t *c, const char *sql, const char *id) {
    pg_error_t err;
    const char *p[] = {id};
    return c ? pg_conn_query(c, req->arena, &err, sql, 1, p) : pg_query(app_pg(req->app), req->arena, &err, sql, 1, p);
}

static json_t *obj_of(const char *text) {
    json_t *j = text && *text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
    if (json_is_object(j)) return j;
    json_decref(j);
    return json_object();
}

static json_t *str(const pg_result_t *r, int row, int col) {
    return pg_isnull(r, row, col) ? json_null() : json_string(pg_get(r, row, col));
}

static json_t *boolean(const pg_result_t *r, int row, int col) {
    return pg_isnull(r, row, col) ? json_null() : json_boolean(pg_get_bool(r, row, col, false));
}

static json_t *integer(const pg_result_t *r, int row, int col) {
    return pg_isnull(r, row, col) ? json_null() : json_integer(pg_get_int(r, row, col, 0));
}

/* CertificationMixin: certified_by, certification_details, is_certified, warning_markdown. */
static void certification(json_t *out, const char *extra) {
    json_t *e = obj_of(extra);
    json_t *cert = json_object_get(e, "certification");
    json_object_set(out, "certified_by", json_is_object(cert) && json_object_get(cert, "certified_by")
                                             ? json_object_get(cert, "certified_by") : json_null());
    json_object_set(out, "certification_details", json_is_object(cert) && json_object_get(cert, "details")
                                                      ? json_object_get(cert, "details") : json_null());
    bool certified = cert && !json_is_null(cert) && !json_is_false(cert) &&
                     !(json_is_string(cert) && !json_string_length(cert)) && !(json_is_object(cert) && !json_object_size(cert));
    json_object_set_new(out, "is_certified", json_boolean(certified));
    json_t *wm = json_object_get(e, "warning_markdown");
    json_object_set(out, "warning_markdown", wm ? wm : json_null());
    json_decref(e);
}

static json_t *database_data(request_t *req, const pg_result_t *r) {
    int64_t id = pg_get_int(r, 0, 20, 0);
    const char *uri = pg_get(r, 0, 22);
    json_t *extra = obj_of(pg_get(r, 0, 24));
    sqla_url_t u;
    bool parsed = sqla_url_parse(req->arena, uri, &u);
    bool pg = parsed && !strcmp(u.backend, "postgresql");
    json_t *cost = json_object_get(extra, "cost_estimate_enabled");
    json_t *avte = json_object_get(extra, "allows_virtual_table_explore");
    bool avte_v = !avte || !(json_is_false(avte) || json_is_null(avte) || (json_is_integer(avte) && !json_integer_value(avte)) ||
                             (json_is_string(avte) && !json_string_length(avte)));
    json_t *expl = json_object_get(extra, "explore_database_id");
    json_t *so = json_object_get(extra, "schema_options");
    json_t *amc = json_object_get(extra, "allow_multi_catalog");
    json_t *out = json_pack(
        "{s:I,s:s,s:s?,s:o,s:b,s:o,s:b,s:o,s:o,s:o,s:b,s:b,s:o,s:o,s:o}", "id", (json_int_t)id, "name",
        pg_get(r, 0, 21), "backend", parsed ? u.backend : NULL, "configuration_method", str(r, 0, 23),
        "allows_subquery", 1, "allows_cost_estimate", pg ? (cost ? json_incref(cost) : json_null()) : json_false(),
        "allows_virtual_table_explore", avte_v, "explore_database_id",
        expl ? json_incref(expl) : json_integer(id), "schema_options", so ? json_incref(so) : json_object(),
        "parameters", engine_parameters_from_uri(req->arena, uri), "disable_data_preview",
        json_is_true(json_object_get(extra, "disable_data_preview")), "disable_drill_to_detail",
        json_is_true(json_object_get(extra, "disable_drill_to_detail")), "allow_multi_catalog",
        amc ? json_incref(amc) : json_false(), "parameters_schema", pg ? engine_pg_parameters_schema() : json_object(),
        "engine_information", pg ? engine_pg_public_information()
                                 : json_pack("{s:b,s:b,s:b,s:b}", "disable_ssh_tunneling", 0, "supports_dynamic_catalog",
                                             0, "supports_file_upload", 1, "supports_oauth2", 0));
    json_decref(extra);
    return out;
}

json_t *dataset_data(request_t *req, pg_conn_t *c, int64_t id) {
    const char *ids = arena_sprintf(req->arena, "%lld", (long long)id);
    pg_result_t *t = run(req, c,
                         "SELECT t.id, t.description, t.default_endpoint, t.filter_select_enabled, t.table_name, t.catalog,"
                         " t.schema, t.\"offset\", t.cache_timeout, t.params, t.perm, t.sql, t.folders::text,"
                         " t.main_dttm_col, t.fetch_values_predicate, t.template_params, t.is_sqllab_view, t.extra,"
                         " t.always_filter_main_dttm, t.normalize_columns, d.id, d.database_name, d.sqlalchemy_uri,"
                         " d.configuration_method, d.extra FROM tables t JOIN dbs d ON d.id = t.database_id"
                         " WHERE t.id = $1::int", ids);
    pg_result_t *cols = run(req, c,
                            "SELECT advanced_data_type, column_name, description, expression, filterable, groupby, id,"
                            " uuid::text, is_dttm, python_date_format, type, verbose_name, extra FROM table_columns"
                            " WHERE table_id = $1::int ORDER BY id", ids);
    pg_result_t *mets = run(req, c,
                            "SELECT currency::text, d3format, description, expression, id, uuid::text, metric_name,"
                            " warning_text, verbose_name, extra FROM sql_metrics WHERE table_id = $1::int ORDER BY id", ids);
    pg_result_t *own = run(req, c,
                           "SELECT u.first_name, u.last_name, u.username, u.id FROM sqlatable_user o JOIN ab_user u"
                           " ON u.id = o.user_id WHERE o.table_id = $1::int ORDER BY o.id", ids);
    if (!t || !cols || !mets || !own || !pg_nrows(t)) return NULL;
    const char *table = pg_get(t, 0, 4), *schema = pg_get(t, 0, 6);
    bool has_schema = schema && *schema;
    json_t *columns = json_array(), *metrics = json_array(), *verbose = json_pack("{s:s}", "__timestamp", "Time");
    json_t *formats = json_object(), *dttm = json_array(), *names = json_array(), *owners = json_array();
    for (int i = 0; i < pg_nrows(mets); i++) {
        const char *name = pg_get(mets, i, 6);
        json_t *cur = pg_isnull(mets, i, 0) ? json_null() : json_loads(pg_get(mets, i, 0), JSON_DECODE_ANY, NULL);
        json_t *m = json_pack("{s:o,s:o,s:o,s:o,s:I,s:o,s:s,s:o,s:o}", "currency", cur ? cur : json_null(), "d3format",
                              str(mets, i, 1), "description", str(mets, i, 2), "expression", str(mets, i, 3), "id",
                              (json_int_t)pg_get_int(mets, i, 4, 0), "uuid", str(mets, i, 5), "metric_name", name,
                              "warning_text", str(mets, i, 7), "verbose_name", str(mets, i, 8));
        certification(m, pg_get(mets, i, 9));
        json_array_append_new(metrics, m);
        if (!json_object_get(verbose, name))
            json_object_set_new(verbose, name, json_string(pg_get(mets, i, 8) && *pg_get(mets, i, 8) ? pg_get(mets, i, 8)
                                                                                                   : name));
        if (pg_get(mets, i, 1) && *pg_get(mets, i, 1)) json_object_set_new(formats, name, json_string(pg_get(mets, i, 1)));
    }
    for (int i = 0; i < pg_nrows(cols); i++) {
        const char *name = pg_get(cols, i, 1);
        bool is_dttm = pg_get_bool(cols, i, 8, false);
        int generic = is_dttm ? 2 : pg_introspect_generic_type(pg_get(cols, i, 10));
        json_t *col = json_pack("{s:o,s:s,s:o,s:o,s:o,s:o,s:I,s:o,s:o,s:o,s:o,s:o,s:o}", "advanced_data_type",
                                str(cols, i, 0), "column_name", name, "description", str(cols, i, 2), "expression",
                                str(cols, i, 3), "filterable", boolean(cols, i, 4), "groupby", boolean(cols, i, 5), "id",
                                (json_int_t)pg_get_int(cols, i, 6, 0), "uuid", str(cols, i, 7), "is_dttm",
                                boolean(cols, i, 8), "python_date_format", str(cols, i, 9), "type", str(cols, i, 10),
                                "type_generic", generic >= 0 ? json_integer(generic) : json_null(), "verbose_name",
                                str(cols, i, 11));
        certification(col, pg_get(cols, i, 12));
        json_array_append_new(columns, col);
        if (!json_object_get(verbose, name))
            json_object_set_new(verbose, name, json_string(pg_get(cols, i, 11) && *pg_get(cols, i, 11) ? pg_get(cols, i, 11)
                                                                                                     : name));
        if (is_dttm) json_array_append_new(dttm, json_pack("[s,s]", name, name));
        json_array_append_new(names, json_string(name));
    }
    const char *main_dttm = pg_get(t, 0, 13);
    bool listed = false;
    size_t k;
    json_t *x;
    json_array_foreach(dttm, k, x) listed = listed || (main_dttm && !strcmp(json_string_value(json_array_get(x, 0)), main_dttm));
    if (main_dttm && *main_dttm && !listed) json_array_append_new(dttm, json_pack("[s,s]", main_dttm, main_dttm));
    /* order_by_choices over the sorted column names */

    size_t n = json_array_size(names);
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(json_string_value(json_array_get(names, j - 1)),
                                           json_string_value(json_array_get(names, j))) > 0; j--) {
            json_t *a = json_incref(json_array_get(names, j - 1));
            json_array_set(names, j - 1, json_array_get(names, j));
            json_array_set_new(names, j, a);
        }
    json_t *order = json_array();
    json_array_foreach(names, k, x) {
        const char *nm = json_string_value(x);
        for (int asc = 1; asc >= 0; asc--) {
            json_t *key = json_pack("[s,b]", nm, asc);
            json_array_append_new(order, json_pack("[s,s]", json_dump_arena(req->arena, key, JSON_PY_DEFAULT, NULL),
                                                   arena_sprintf(req->arena, "%s [%s]", nm, asc ? "asc" : "desc")));
            json_decref(key);
        }
    }
    json_decref(names);
    for (int i = 0; i < pg_nrows(own); i++)
        json_array_append_new(owners, json_pack("{s:s?,s:s?,s:s?,s:I}", "first_name", pg_get(own, i, 0), "last_name",
                                                pg_get(own, i, 1), "username", pg_get(own, i, 2), "id",
                                                (json_int_t)pg_get_int(own, i, 3, 0)));
    json_t *tg = json_array();
    for (size_t i = 0; i < sizeof grains / sizeof grains[0]; i++)
        json_array_append_new(tg, json_pack("[s,s]", grains[i][0], grains[i][1]));
    json_t *folders = pg_isnull(t, 0, 12) ? json_null() : json_loads(pg_get(t, 0, 12), JSON_DECODE_ANY, NULL);
    json_t *out = json_pack(
        "{s:I,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:s}",
        "id", (json_int_t)id, "uid", arena_sprintf(req->arena, "%lld__table", (long long)id), "column_formats", formats,
        "description", str(t, 0, 1), "database", database_data(req, t), "default_endpoint", str(t, 0, 2),
        "filter_select", boolean(t, 0, 3), "filter_select_enabled", boolean(t, 0, 3), "name",
        has_schema ? arena_sprintf(req->arena, "%s.%s", schema, table) : table, "datasource_name", table, "table_name",
        table, "type", json_string("table"), "catalog", str(t, 0, 5), "schema", has_schema ? json_string(schema) : json_null(),
        "offset", integer(t, 0, 7), "cache_timeout", integer(t, 0, 8), "params", str(t, 0, 9), "edit_url",
        arena_sprintf(req->arena, "/tablemodelview/edit/%lld", (long long)id), "perm", str(t, 0, 10), "sql",
        str(t, 0, 11), "columns", columns, "metrics", metrics, "folders", folders ? folders : json_null(),
        "order_by_choices", order, "verbose_map", verbose, "select_star",
        database_select_star_sql(req->arena, pg_get(t, 0, 5), has_schema ? schema : NULL, table));
    json_object_set_new(out, "granularity_sqla", dttm);
    json_object_set_new(out, "time_grain_sqla", tg);
    json_object_set_new(out, "main_dttm_col", str(t, 0, 13));
    json_object_set_new(out, "fetch_values_predicate", str(t, 0, 14));
    json_object_set_new(out, "template_params", str(t, 0, 15));
    json_object_set_new(out, "is_sqllab_view", boolean(t, 0, 16));
    json_object_set_new(out, "health_check_message", json_null());
    json_object_set_new(out, "extra", str(t, 0, 17));
    json_object_set_new(out, "owners", owners);
    json_object_set_new(out, "always_filter_main_dttm", boolean(t, 0, 18));
    json_object_set_new(out, "normalize_columns", boolean(t, 0, 19));
    return out;
}
