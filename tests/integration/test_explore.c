/* GET /api/v1/explore/ (dataset payload, chart payload and metadata, form
 * data from a bare datasource, a cached form_data_key, a chart and an
 * explore permalink, merged filters and URL parameters, error answers),
 * GET /api/v1/dashboard/<id_or_slug>/datasets (trimmed payloads, schema
 * fields, 404) and the legacy GET /superset/explore/ redirect that caches
 * its form_data. Admin and Gamma. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/arena.h"
#include "lib/session_codec.h"
#include "tests/integration/harness.h"
#include "tests/integration/rest_client.h"

static long long fixture(void) {
    rest_sql("INSERT INTO dbs (database_name, sqlalchemy_uri) SELECT 'ex_db', 'postgresql://u@h/db'"
             " WHERE NOT EXISTS (SELECT 1 FROM dbs WHERE database_name = 'ex_db')");
    rest_sql("INSERT INTO tables (table_name, schema, database_id, uuid, main_dttm_col, filter_select_enabled)"
             " SELECT 'Ex Orders', 'public', d.id, gen_random_uuid(), 'ds', true FROM dbs d"
             " WHERE d.database_name = 'ex_db' AND NOT EXISTS (SELECT 1 FROM tables WHERE table_name = 'Ex Orders')");
    rest_sql("UPDATE tables SET perm = '[ex_db].[Ex Orders](id:' || id || ')', schema_perm = '[ex_db].[public]'"
             " WHERE table_name = 'Ex Orders'");
    long long ds = atoll(rest_sql("SELECT id FROM tables WHERE table_name = 'Ex Orders'"));
    char sql[1400];
    snprintf(sql, sizeof sql,
             "INSERT INTO table_columns (table_id, column_name, type, is_dttm, groupby, filterable, uuid, verbose_name,"
             " extra) SELECT %lld, c.n, c.t, c.d, true, true, gen_random_uuid(), c.v, c.e FROM (VALUES"
             " ('ds', 'TIMESTAMP WITHOUT TIME ZONE', true, NULL, NULL),"
             " ('region', 'VARCHAR(255)', false, 'Region', '{\"certification\": {\"certified_by\": \"QA\","
             " \"details\": \"checked\"}, \"warning_markdown\": \"careful\"}'),"
             " ('amount', 'NUMERIC(10, 2)', false, NULL, NULL), ('flag', 'BOOLEAN', false, NULL, NULL),"
             " ('blob', 'BYTEA', false, NULL, NULL)) AS c(n, t, d, v, e)"
             " WHERE NOT EXISTS (SELECT 1 FROM table_columns WHERE table_id = %lld)",
             ds, ds);
    rest_sql(sql);
    snprintf(sql, sizeof sql,
             "INSERT INTO sql_metrics (table_id, metric_name, expression, d3format, verbose_name, uuid, currency)"
             " SELECT %lld, m.n, m.e, m.f, m.v, gen_random_uuid(), m.c::jsonb FROM (VALUES ('count', 'COUNT(*)', ',d',"
             " 'Count', NULL), ('revenue', 'SUM(amount)', NULL, NULL, '{\"symbol\": \"USD\"}')) AS m(n, e, f, v, c)"
             " WHERE NOT EXISTS (SELECT 1 FROM sql_metrics WHERE table_id = %lld)",
             ds, ds);
    rest_sql(sql);
    snprintf(sql, sizeof sql,
             "INSERT INTO sqlatable_user (user_id, table_id) SELECT 1, %lld WHERE NOT EXISTS"
             " (SELECT 1 FROM sqlatable_user WHERE table_id = %lld)",
             ds, ds);
    rest_sql(sql);
    return ds;
}

static long long chart_fixture(long long ds, const char *name, const char *params, const char *query_context) {
    char sql[1400];
    snprintf(sql, sizeof sql,
             "INSERT INTO slices (slice_name, datasource_id, datasource_type, datasource_name, viz_type, params,"
             " query_context, description, created_on, changed_on, uuid, created_by_fk) SELECT '%s', %lld, 'table',"
             " 'public.Ex Orders', 'table', '%s', %s, 'Sales <by> region', LOCALTIMESTAMP - interval '3 days',"
             " LOCALTIMESTAMP - interval '2 hours', gen_random_uuid(), 1"
             " WHERE NOT EXISTS (SELECT 1 FROM slices WHERE slice_name = '%s')",
             name, ds, params, query_context ? query_context : "NULL", name);
    rest_sql(sql);
    snprintf(sql, sizeof sql, "SELECT id FROM slices WHERE slice_name = '%s'", name);
    return atoll(rest_sql(sql));
}

static json_t *get(rest_session_t *s, const char *path, int want) {
    int st;
    json_t *j = rest_call(s, "GET", path, NULL, &st);
    cr_assert_eq(st, want, "GET %s: %d %s", path, st, j ? json_dumps(j, 0) : "");
    return j;
}

static json_t *at(json_t *j, const char *path) {
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *tok = strtok(buf, "."); tok && j; tok = strtok(NULL, "."))
        j = json_is_array(j) ? json_array_get(j, (size_t)atoi(tok)) : json_object_get(j, tok);
    return j;
}

static const char *str(json_t *j, const char *path) { return json_string_value(at(j, path)); }

/* Compact sorted JSON text; the last few results stay valid (ring of buffers). */
static char *dump(json_t *j) {
    static char *ring[16];
    static size_t next;
    free(ring[next % 16]);
    char *text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    ring[next++ % 16] = text;
    return text;
}

Test(explore, dataset_payload) {
    long long ds = fixture();
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    char path[256], want[256];
    snprintf(path, sizeof path, "/api/v1/explore/?datasource_id=%lld&datasource_type=table", ds);
    json_t *j = get(&admin, path, 200);
    json_t *d = at(j, "result.dataset");
    static const char *const keys[] = {
        "always_filter_main_dttm", "cache_timeout", "catalog", "column_formats", "columns", "database",
        "datasource_name", "default_endpoint", "description", "edit_url", "extra", "fetch_values_predicate",
        "filter_select", "filter_select_enabled", "folders", "granularity_sqla", "health_check_message", "id",
        "is_sqllab_view", "main_dttm_col", "metrics", "name", "normalize_columns", "offset", "order_by_choices",
        "owners", "params", "perm", "schema", "select_star", "sql", "table_name", "template_params",
        "time_grain_sqla", "type", "uid", "verbose_map"};
    cr_assert_eq(json_object_size(d), sizeof keys / sizeof keys[0], "%s", dump(d));
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) cr_assert_not_null(json_object_get(d, keys[i]), "%s", keys[i]);
    snprintf(want, sizeof want, "%lld__table", ds);
    cr_assert_str_eq(str(d, "uid"), want);
    cr_assert_str_eq(str(d, "name"), "public.Ex Orders");
    cr_assert_str_eq(str(d, "select_star"), "SELECT\n  *\nFROM public.\"Ex Orders\"\nLIMIT 100");
    snprintf(want, sizeof want, "/tablemodelview/edit/%lld", ds);
    cr_assert_str_eq(str(d, "edit_url"), want);
    cr_assert_str_eq(dump(at(d, "column_formats")), "{\"count\":\",d\"}");
    cr_assert_str_eq(dump(at(d, "verbose_map")),
                     "{\"__timestamp\":\"Time\",\"amount\":\"amount\",\"blob\":\"blob\",\"count\":\"Count\","
                     "\"ds\":\"ds\",\"flag\":\"flag\",\"region\":\"Region\",\"revenue\":\"revenue\"}");
    cr_assert_str_eq(dump(at(d, "granularity_sqla")), "[[\"ds\",\"ds\"]]");
    cr_assert_str_eq(str(d, "order_by_choices.0.0"), "[\"amount\", true]");
    cr_assert_str_eq(str(d, "order_by_choices.1.1"), "amount [desc]");
    cr_assert_eq(json_array_size(at(d, "order_by_choices")), 10);
    /* PostgreSQL grains, in display order */
    cr_assert_eq(json_array_size(at(d, "time_grain_sqla")), 14);
    cr_assert_str_eq(dump(at(d, "time_grain_sqla.0")), "[\"PT1S\",\"Second\"]");
    cr_assert_str_eq(dump(at(d, "time_grain_sqla.13")), "[\"P1Y\",\"Year\"]");
    cr_assert_str_eq(dump(at(d, "owners")), "[{\"first_name\":\"Admin\",\"id\":1,\"last_name\":\"User\",\"username\":\"admin\"}]");
    /* columns: generic types and certification from extra */
    json_t *cols = at(d, "columns");
    cr_assert_eq(json_array_size(cols), 5);
    cr_assert_eq(json_object_size(json_array_get(cols, 0)), 17, "%s", dump(json_array_get(cols, 0)));
    static const long long generic[] = {2, 1, 0, 3, -1};
    for (size_t i = 0; i < 5; i++) {
        json_t *g = json_object_get(json_array_get(cols, i), "type_generic");
        if (generic[i] < 0) cr_assert(json_is_null(g));
        else cr_assert_eq(json_integer_value(g), generic[i], "column %zu", i);
    }
    cr_assert_str_eq(str(cols, "1.certified_by"), "QA");
    cr_assert_str_eq(str(cols, "1.certification_details"), "checked");
    cr_assert_str_eq(str(cols, "1.warning_markdown"), "careful");
    cr_assert(json_is_true(at(cols, "1.is_certified")));
    json_t *metrics = at(d, "metrics");
    cr_assert_eq(json_object_size(json_array_get(metrics, 0)), 13);
    cr_assert_str_eq(dump(at(metrics, "1.currency")), "{\"symbol\":\"USD\"}");
    /* the database summary, parameters blanked */
    json_t *db = at(d, "database");
    cr_assert_str_eq(str(db, "backend"), "postgresql");
    cr_assert_str_eq(dump(at(db, "parameters")), "{}");
    cr_assert_str_eq(str(db, "parameters_schema.properties.database.description"), "Database name");
    cr_assert_eq(json_object_size(db), 15, "%s", dump(db));
    /* form data and the rest */
    snprintf(want, sizeof want,
             "{\"adhoc_filters\":[],\"applied_time_extras\":{},\"datasource\":\"%lld__table\",\"url_params\":"
             "{\"datasource_id\":\"%lld\",\"datasource_type\":\"table\"}}",
             ds, ds);
    cr_assert_str_eq(dump(at(j, "result.form_data")), want);
    cr_assert(json_is_null(at(j, "result.slice")) && json_is_null(at(j, "result.message")) &&
              json_is_null(at(j, "result.metadata")));
    json_decref(j);

    /* a missing dataset gives the placeholder payload */
    j = get(&admin, "/api/v1/explore/?datasource_id=987654&datasource_type=table", 200);
    cr_assert_str_eq(dump(at(j, "result.dataset")),
                     "{\"columns\":[],\"database\":{\"backend\":\"\",\"id\":0,\"parameters\":{}},\"metrics\":[],"
                     "\"name\":\"[Missing Dataset]\",\"type\":\"table\"}");
    json_decref(j);
    j = get(&admin, "/api/v1/explore/", 200);
    cr_assert_str_eq(str(j, "result.form_data.datasource"), "None__table");
    json_decref(j);

    /* Gamma without dataset access: the security error */
    rest_create_user("Gamma", "ex_gamma");
    rest_session_t gamma;
    rest_open(&gamma, "ex_gamma", "ex_gamma");
    j = get(&gamma, path, 403);
    snprintf(want, sizeof want,
             "{\"error_type\":\"DATASOURCE_SECURITY_ACCESS_ERROR\",\"extra\":{\"datasource\":%lld,"
             "\"datasource_name\":\"public.Ex Orders\",\"link\":\"\"},\"message\":\"This endpoint requires the"
             " datasource %lld, database or `all_datasource_access` permission\"}",
             ds, ds);
    cr_assert_str_eq(dump(j), want);
    json_decref(j);
}

Test(explore, chart_form_data_and_errors) {
    long long ds = fixture();
    long long chart = chart_fixture(ds, "ex chart",
                                    "{\"viz_type\": \"table\", \"metrics\": [\"count\"], \"since\": \"2020-01-01\","
                                    " \"where\": \"amount > 1\", \"js_tooltip\": \"x\", \"extra_filters\":"
                                    " [{\"col\": \"region\", \"op\": \"in\", \"val\": [\"EU\"]}]}",
                                    NULL);
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    char path[256], want[1024];
    snprintf(path, sizeof path, "/api/v1/explore/?slice_id=%lld&extra=1", chart);
    json_t *j = get(&admin, path, 200);
    json_t *fd = at(j, "result.form_data");
    snprintf(want, sizeof want,
             "{\"adhoc_filters\":[{\"clause\":\"WHERE\",\"expressionType\":\"SQL\",\"filterOptionName\":"
             "\"8f0a945eb11f883a8eeeea127086e1d9\",\"sqlExpression\":\"amount > 1\"},{\"clause\":\"WHERE\","
             "\"comparator\":[\"EU\"],\"expressionType\":\"SIMPLE\",\"filterOptionName\":"
             "\"eb7c02be7065c39082cf4f5fba19f16e\",\"isExtra\":true,\"operator\":\"in\",\"subject\":\"region\"}],"
             "\"applied_time_extras\":{},\"datasource\":\"%lld__table\",\"js_tooltip\":\"x\",\"metrics\":[\"count\"],\"slice_id\":%lld,"
             "\"time_range\":\"2020-01-01 : \",\"url_params\":{\"extra\":\"1\",\"slice_id\":\"%lld\"},"
             "\"viz_type\":\"table\"}",
             ds, chart, chart);
    /* the request's form data loses the JavaScript controls, the chart's own params keep them */
    char *got = dump(fd);
    /* filterOptionName: md5 of json.dumps(filter, sort_keys=True), values computed with Python */
    cr_assert_str_eq(got, want);
    json_t *slice = at(j, "result.slice");
    cr_assert_str_eq(str(slice, "slice_name"), "ex chart");
    cr_assert_str_eq(str(slice, "description_markeddown"), "<p>Sales &lt;by&gt; region</p>");
    cr_assert_str_eq(str(slice, "modified"), "<span class=\"no-wrap\">2 hours ago</span>");
    cr_assert_str_eq(str(slice, "changed_on_humanized"), "2 hours ago");
    snprintf(want, sizeof want, "/explore/?slice_id=%lld&form_data=%%7B%%22slice_id%%22%%3A%%20%lld%%7D", chart, chart);
    cr_assert_str_eq(str(slice, "slice_url"), want);
    cr_assert_eq(json_object_size(slice), 17, "%s", dump(slice));
    cr_assert_null(at(slice, "form_data.url_params"), "the chart's own form data is unmerged");
    cr_assert_str_eq(str(slice, "form_data.time_range"), "2020-01-01 : ");
    json_t *meta = at(j, "result.metadata");
    cr_assert_str_eq(str(meta, "created_on_humanized"), "3 days ago");
    cr_assert_str_eq(str(meta, "created_by"), "Admin User");
    cr_assert_str_eq(dump(at(meta, "dashboards")), "[]");
    json_decref(j);

    /* the md5 of a WHERE clause filter, as Python computes it */
    j = get(&admin, "/api/v1/explore/?form_data=%7B%22where%22%3A%221%3D1%22%7D", 200);
    cr_assert_str_eq(str(j, "result.form_data.adhoc_filters.0.filterOptionName"), "346e354edfd9e390df09d258a3d5e04a");
    json_decref(j);

    /* a form_data_key that is gone falls back to the chart with a message */
    snprintf(path, sizeof path, "/api/v1/explore/?slice_id=%lld&form_data_key=gone", chart);
    j = get(&admin, path, 200);
    cr_assert_str_eq(str(j, "result.message"), "Form data not found in cache, reverting to chart metadata.");
    json_decref(j);
    snprintf(path, sizeof path, "/api/v1/explore/?datasource_id=%lld&datasource_type=table&form_data_key=gone", ds);
    j = get(&admin, path, 200);
    cr_assert_str_eq(str(j, "result.message"), "Form data not found in cache, reverting to dataset metadata.");
    json_decref(j);

    /* a cached form_data_key */
    char body[512];
    snprintf(body, sizeof body,
             "{\"datasource_id\":%lld,\"datasource_type\":\"table\",\"form_data\":\"{\\\"datasource\\\":"
             "\\\"%lld__table\\\",\\\"viz_type\\\":\\\"pie\\\",\\\"extra_form_data\\\":{\\\"time_range\\\":"
             "\\\"Last week\\\"}}\"}",
             ds, ds);
    int st;
    json_t *k = rest_call(&admin, "POST", "/api/v1/explore/form_data", body, &st);
    cr_assert_eq(st, 201);
    snprintf(path, sizeof path, "/api/v1/explore/?form_data_key=%s", str(k, "key"));
    json_decref(k);
    j = get(&admin, path, 200);
    cr_assert_str_eq(str(j, "result.form_data.viz_type"), "pie");
    cr_assert_str_eq(str(j, "result.form_data.time_range"), "Last week");
    cr_assert_null(at(j, "result.form_data.extra_form_data"));
    cr_assert(json_is_null(at(j, "result.message")));
    json_decref(j);
    rest_create_user("Gamma", "ex_gamma2");
    rest_session_t gamma;
    rest_open(&gamma, "ex_gamma2", "ex_gamma2");
    j = get(&gamma, path, 403);
    cr_assert_str_eq(str(j, "message"), "You don't have permission to modify the value.");
    json_decref(j);

    /* errors */
    j = get(&admin, "/api/v1/explore/?permalink_key=nope", 404);
    cr_assert_str_eq(str(j, "message"), "Invalid permalink key");
    json_decref(j);
    j = get(&admin, "/api/v1/explore/?form_data=%7B%22datasource%22%3A%22a__b__c%22%7D", 400);
    cr_assert_str_eq(str(j, "message"), "too many values to unpack (expected 2)");
    json_decref(j);
    j = get(&admin, "/api/v1/explore/?form_data=%7B%22datasource%22%3A%22x1__table%22%7D", 400);
    cr_assert_str_eq(str(j, "message"), "invalid literal for int() with base 10: 'x1'");
    json_decref(j);
    /* a dataset with a default endpoint and no viz type redirects */
    snprintf(body, sizeof body, "UPDATE tables SET default_endpoint = '/custom/' WHERE id = %lld", ds);
    rest_sql(body);
    snprintf(path, sizeof path, "/api/v1/explore/?datasource_id=%lld&datasource_type=table", ds);
    j = get(&admin, path, 302);
    cr_assert_str_eq(str(j, "redirect"), "/custom/");
    json_decref(j);
    snprintf(body, sizeof body, "UPDATE tables SET default_endpoint = NULL WHERE id = %lld", ds);
    rest_sql(body);
}

Test(explore, permalink_source) {
    long long ds = fixture();
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    char body[512], path[256];
    snprintf(body, sizeof body, "{\"formData\":{\"datasource\":\"%lld__table\",\"viz_type\":\"bar\"},"
             "\"urlParams\":[[\"native_filters\",\"x\"]]}", ds);
    int st;
    json_t *k = rest_call(&admin, "POST", "/api/v1/explore/permalink", body, &st);
    cr_assert_eq(st, 201);
    snprintf(path, sizeof path, "/api/v1/explore/?permalink_key=%s", str(k, "key"));
    json_decref(k);
    json_t *j = get(&admin, path, 200);
    cr_assert_str_eq(str(j, "result.form_data.viz_type"), "bar");
    cr_assert_str_eq(str(j, "result.form_data.url_params.native_filters"), "x");
    cr_assert_str_eq(str(j, "result.dataset.table_name"), "Ex Orders");
    json_decref(j);
}

Test(explore, dashboard_datasets) {
    long long ds = fixture();
    long long c1 = chart_fixture(ds, "ex dash chart 1", "{\"metrics\": [\"count\"], \"groupby\": [\"region\"]}", NULL);
    long long c2 = chart_fixture(ds, "ex dash chart 2", "{\"metric\": \"Count\"}",
                                 "'{\"queries\": [{\"columns\": [{\"label\": \"amt\", \"sqlExpression\": \"amount\"},"
                                 " \"ds\"]}]}'");
    rest_sql("INSERT INTO dashboards (dashboard_title, slug, published) SELECT 'ex dash', 'ex-dash', true"
             " WHERE NOT EXISTS (SELECT 1 FROM dashboards WHERE slug = 'ex-dash')");
    long long dash = atoll(rest_sql("SELECT id FROM dashboards WHERE slug = 'ex-dash'"));
    char sql[256];
    snprintf(sql, sizeof sql, "INSERT INTO dashboard_slices (dashboard_id, slice_id) SELECT %lld, s FROM (VALUES (%lld),"
             " (%lld)) v(s) WHERE NOT EXISTS (SELECT 1 FROM dashboard_slices WHERE dashboard_id = %lld)", dash, c1, c2, dash);
    rest_sql(sql);
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    json_t *j = get(&admin, "/api/v1/dashboard/ex-dash/datasets", 200);
    cr_assert_eq(json_array_size(at(j, "result")), 1);
    json_t *d = at(j, "result.0");
    cr_assert_eq(json_object_size(d), 35, "%s", dump(d));
    cr_assert_null(json_object_get(d, "description"));
    cr_assert_null(json_object_get(d, "folders"));
    cr_assert_eq(json_object_size(at(d, "database")), 10, "%s", dump(at(d, "database")));
    /* count by name and by verbose name; region from groupby; ds from the query context */
    cr_assert_eq(json_array_size(at(d, "metrics")), 1);
    cr_assert_str_eq(str(d, "metrics.0.metric_name"), "count");
    cr_assert_eq(json_array_size(at(d, "columns")), 2, "%s", dump(at(d, "columns")));
    cr_assert_str_eq(str(d, "columns.0.column_name"), "ds");
    cr_assert_str_eq(str(d, "columns.1.column_name"), "region");
    cr_assert_str_eq(dump(at(d, "verbose_map")), "{\"__timestamp\":\"Time\",\"count\":\"Count\",\"ds\":\"ds\",\"region\":\"Region\"}");
    cr_assert_str_eq(dump(at(d, "column_types")), "[0,1,2,3]");
    cr_assert_str_eq(dump(at(d, "column_names")), "[\"Region\",\"amount\",\"blob\",\"ds\",\"flag\",\"region\"]");
    json_decref(j);
    j = get(&admin, "/api/v1/dashboard/no-such-dash/datasets", 404);
    cr_assert_str_eq(str(j, "error"), "Dashboard not found.");
    json_decref(j);
    /* a Gamma user does not see an unpublished dashboard */
    rest_sql("UPDATE dashboards SET published = false WHERE slug = 'ex-dash'");
    rest_create_user("Gamma", "ex_gamma3");
    rest_session_t gamma;
    rest_open(&gamma, "ex_gamma3", "ex_gamma3");
    json_decref(get(&gamma, "/api/v1/dashboard/ex-dash/datasets", 404));
    rest_sql("UPDATE dashboards SET published = true WHERE slug = 'ex-dash'");
}

#define SECRET "reference-secret-key-change-me"
#define RAW_CSRF "0123456789abcdef0123456789abcdef01234567"

/* A signed session cookie logging the user in, as Flask-Login writes it,
 * with a CSRF token; *csrf_header gets the matching X-CSRFToken header. */
static char *user_cookie(const char *user_id, char **csrf_header) {
    arena_t *a = arena_new(4096);
    json_t *s = json_pack("{s:s,s:b,s:s}", "_user_id", user_id, "_fresh", 1, "csrf_token", RAW_CSRF);
    char *c = session_cookie_encode(a, SECRET, s, (int64_t)time(NULL));
    json_decref(s);
    char *header = NULL;
    if (asprintf(&header, "Cookie: session=%s", c) < 0) header = NULL;
    if (csrf_header && asprintf(csrf_header, "X-CSRFToken: %s", csrf_sign(a, SECRET, RAW_CSRF, (int64_t)time(NULL))) < 0)
        *csrf_header = NULL;
    arena_free(a);
    return header;
}

static char *admin_cookie(void) { return user_cookie("1", NULL); }

Test(explore, legacy_redirect_caches_form_data) {
    long long ds = fixture();
    char *cookie = admin_cookie();
    const char *const headers[] = {cookie, NULL};
    char path[512];
    snprintf(path, sizeof path,
             "/superset/explore/?form_data=%%7B%%22datasource%%22%%3A%%22%lld__table%%22%%2C%%22viz_type%%22%%3A"
             "%%22line%%22%%7D&standalone=1&empty=",
             ds);
    http_response_t *r = http_request("GET", path, headers, NULL, 0);
    cr_assert_eq(r->status, 302, "%d %s", r->status, r->body);
    const char *loc = http_header(r, "Location");
    cr_assert_not_null(loc);
    const char *k = strstr(loc, "form_data_key=");
    cr_assert(strstr(loc, "/explore/?standalone=1&form_data_key=") != NULL, "%s", loc);
    char key[64];
    snprintf(key, sizeof key, "%s", k + strlen("form_data_key="));
    http_free(r);
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    char api[128];
    snprintf(api, sizeof api, "/api/v1/explore/form_data/%s", key);
    json_t *j = get(&admin, api, 200);
    char want[256], sql[512];
    snprintf(want, sizeof want, "{\"datasource\":\"%lld__table\",\"viz_type\":\"line\"}", ds);
    cr_assert_str_eq(str(j, "form_data"), want);
    json_decref(j);
    /* the id is kept as the text it arrived as; chart_id defaults to 0 */
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM key_value WHERE resource = 'superset_metastore_cache' AND convert_from(value,"
             " 'UTF8') LIKE '{\"owner\": 1, \"datasource_id\": \"%lld\", \"datasource_type\": \"table\","
             " \"chart_id\": 0, %%'",
             ds);
    cr_assert_str_eq(rest_sql(sql), "1");
    /* without a datasource nothing is cached and the query is kept */
    r = http_request("GET", "/superset/explore/?form_data=%7B%22viz_type%22%3A%22x%22%7D", headers, NULL, 0);
    cr_assert_eq(r->status, 302);
    cr_assert(strstr(http_header(r, "Location"), "/explore/?form_data=%7B%22viz_type%22%3A%22x%22%7D"));
    http_free(r);
    /* a datasource the command cannot store fails the view */
    r = http_request("GET", "/superset/explore/?form_data=%7B%22datasource%22%3A%22987654__table%22%7D", headers, NULL,
                     0);
    cr_assert_eq(r->status, 500);
    http_free(r);
    free(cookie);
}

Test(explore, query_datasource) {
    fixture();
    long long db = atoll(rest_sql("SELECT id FROM dbs WHERE database_name = 'ex_db'"));
    char sql[768];
    snprintf(sql, sizeof sql,
             "INSERT INTO query (client_id, database_id, tab_name, sql, schema, extra_json, changed_on)"
             " SELECT 'exq1', %lld, 'My Tab', 'SELECT 1', 'public', '{\"columns\": [{\"column_name\": \"n\","
             " \"type\": \"INT\", \"is_dttm\": false}, {\"column_name\": \"t\", \"type\": \"TIMESTAMP\","
             " \"is_dttm\": true}]}', LOCALTIMESTAMP WHERE NOT EXISTS (SELECT 1 FROM query WHERE client_id = 'exq1')",
             db);
    rest_sql(sql);
    long long q = atoll(rest_sql("SELECT id FROM query WHERE client_id = 'exq1'"));
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    char path[128], want[512];
    snprintf(path, sizeof path, "/api/v1/explore/?datasource_id=%lld&datasource_type=query", q);
    json_t *j = get(&admin, path, 200);
    json_t *d = at(j, "result.dataset");
    snprintf(want, sizeof want, "{\"backend\":\"postgresql\",\"id\":%lld,\"parameters\":{}}", db);
    cr_assert_str_eq(dump(at(d, "database")), want);
    cr_assert_str_eq(str(d, "name"), "My Tab");
    cr_assert_str_eq(str(d, "type"), "query");
    cr_assert_eq(json_array_size(at(d, "columns")), 2);
    cr_assert_eq(json_integer_value(at(d, "columns.0.type_generic")), 0);
    cr_assert_eq(json_integer_value(at(d, "columns.1.type_generic")), 2);
    cr_assert_str_eq(dump(at(d, "order_by_choices.0")), "[\"[\\\"n\\\", true]\",\"n [asc]\"]");
    cr_assert_eq(json_object_size(d), 14, "%s", dump(d));
    snprintf(want, sizeof want, "%lld__query", q);
    cr_assert_str_eq(str(j, "result.form_data.datasource"), want);
    json_decref(j);
    /* other datasource kinds fail as in the reference */
    json_decref(get(&admin, "/api/v1/explore/?datasource_id=1&datasource_type=saved_query", 500));
    j = get(&admin, "/api/v1/explore/?datasource_id=1&datasource_type=dataset", 200);
    cr_assert_str_eq(str(j, "result.dataset.name"), "[Missing Dataset]");
    json_decref(j);
    /* Gamma has no access to the query's database */
    rest_create_user("Gamma", "ex_gamma4");
    rest_session_t gamma;
    rest_open(&gamma, "ex_gamma4", "ex_gamma4");
    j = get(&gamma, path, 403);
    cr_assert_str_eq(str(j, "error_type"), "DATASOURCE_SECURITY_ACCESS_ERROR");
    cr_assert(strncmp(str(j, "extra.datasource_name"), "sqllab_my_tab_", 14) == 0, "%s", str(j, "extra.datasource_name"));
    json_decref(j);
}

static http_response_t *legacy_post(const char *cookie, const char *csrf, const char *query, const char *body) {
    const char *const headers[] = {cookie, csrf, "Content-Type: application/x-www-form-urlencoded", NULL};
    char path[512];
    snprintf(path, sizeof path, "/superset/explore/?%s", query);
    return http_request("POST", path, headers, body, strlen(body));
}

Test(explore, legacy_post_save_actions) {
    long long ds = fixture();
    char *csrf = NULL;
    char *cookie = user_cookie("1", &csrf);
    char body[512], query[256];
    /* form_data={"datasource":"<ds>__table","viz_type":"table","adhoc_filters":[{"isExtra":true}]} */
    snprintf(body, sizeof body,
             "form_data=%%7B%%22datasource%%22%%3A%%22%lld__table%%22%%2C%%22viz_type%%22%%3A%%22table%%22%%2C"
             "%%22adhoc_filters%%22%%3A%%5B%%7B%%22isExtra%%22%%3Atrue%%7D%%5D%%7D",
             ds);
    http_response_t *r = legacy_post(cookie, csrf, "action=saveas&slice_name=Legacy%20saved&new_dashboard_name=Legacy%20dash",
                                     body);
    cr_assert_eq(r->status, 200, "%d %s", r->status, r->body);
    json_t *j = json_loads(r->body, 0, NULL);
    cr_assert_not_null(j, "%s", r->body);
    /* json.dumps of the response dict, keys in the reference's order */
    static const char prefix[] = "{\"can_add\": true, \"can_download\": true, \"form_data\": {";
    cr_assert(strncmp(r->body, prefix, sizeof prefix - 1) == 0, "%s", r->body);
    long long chart = json_integer_value(at(j, "slice.slice_id"));
    cr_assert_gt(chart, 0);
    cr_assert_str_eq(str(j, "slice.slice_name"), "Legacy saved");
    cr_assert_eq(json_array_size(at(j, "form_data.adhoc_filters")), 0, "extra adhoc filters are dropped");
    char want[128];
    snprintf(want, sizeof want, "%lld__table", ds);
    cr_assert_str_eq(str(j, "form_data.datasource"), want);
    long long dash = json_integer_value(at(j, "dashboard_id"));
    snprintf(want, sizeof want, "/superset/dashboard/%lld/", dash);
    cr_assert_str_eq(str(j, "dashboard_url"), want);
    json_decref(j);
    http_free(r);
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT s.params || '|' || u.user_id || '|' || ds.dashboard_id FROM slices s JOIN slice_user u ON"
             " u.slice_id = s.id JOIN dashboard_slices ds ON ds.slice_id = s.id WHERE s.id = %lld",
             chart);
    char expect[512];
    snprintf(expect, sizeof expect,
             "{\n  \"adhoc_filters\": [],\n  \"datasource\": \"%lld__table\",\n  \"viz_type\": \"table\"\n}|1|%lld",
             ds, dash);
    cr_assert_str_eq(rest_sql(sql), expect);

    /* overwrite the chart it names */
    snprintf(body, sizeof body,
             "form_data=%%7B%%22datasource%%22%%3A%%22%lld__table%%22%%2C%%22viz_type%%22%%3A%%22pie%%22%%2C"
             "%%22slice_id%%22%%3A%lld%%7D",
             ds, chart);
    snprintf(query, sizeof query, "action=overwrite&slice_name=Renamed&goto_dash=true&save_to_dashboard_id=%lld", dash);
    r = legacy_post(cookie, csrf, query, body);
    cr_assert_eq(r->status, 200, "%d %s", r->status, r->body);
    j = json_loads(r->body, 0, NULL);
    cr_assert_str_eq(str(j, "slice.slice_name"), "Renamed");
    cr_assert_str_eq(str(j, "form_data.viz_type"), "pie");
    snprintf(want, sizeof want, "/superset/dashboard/%lld/", dash);
    cr_assert_str_eq(str(j, "dashboard"), want);
    json_decref(j);
    http_free(r);

    /* Gamma may not overwrite a chart it does not own */
    rest_create_user("Gamma", "ex_gamma5");
    long long gid = atoll(rest_sql("SELECT id FROM ab_user WHERE username = 'ex_gamma5'"));
    char gidtext[32];
    snprintf(gidtext, sizeof gidtext, "%lld", gid);
    char *gcsrf = NULL;
    char *gcookie = user_cookie(gidtext, &gcsrf);
    snprintf(query, sizeof query, "action=overwrite&slice_name=x");
    r = legacy_post(gcookie, gcsrf, query, body);
    cr_assert_eq(r->status, 403, "%d %s", r->status, r->body);
    cr_assert_str_eq(r->body, "{\"error\": \"You don't have the rights to alter this chart\"}");
    http_free(r);
    /* without an action the page is not served */
    r = legacy_post(cookie, csrf, "x=1", body);
    cr_assert_eq(r->status, 404);
    http_free(r);
    free(gcookie);
    free(gcsrf);
    free(cookie);
    free(csrf);
}
