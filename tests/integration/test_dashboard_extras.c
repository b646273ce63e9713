/* The dashboard extra endpoints: GET /<id_or_slug>/charts and /tabs, the
 * embedded configuration (GET/POST/PUT/DELETE /<id_or_slug>/embedded), PUT
 * /<pk>/filters and /<pk>/colors, POST /<id_or_slug>/copy/, and the chart and
 * dashboard screenshot/thumbnail endpoints (404 with the flags off, 501 on).
 * Admin and Gamma: invisible dashboards 404, uuid lookups of hidden ones 403,
 * non-owners 403, bad bodies 400. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/integration/harness.h"
#include "tests/integration/rest_client.h"

static json_t *call(rest_session_t *s, const char *method, const char *path, const char *body, int want) {
    int st;
    json_t *j = rest_call(s, method, path, body, &st);
    char *dump = json_dumps(j, JSON_ENCODE_ANY);
    cr_assert_eq(st, want, "%s %s: got %d %s", method, path, st, dump ? dump : "(null)");
    free(dump);
    return j;
}

static void expect(rest_session_t *s, const char *method, const char *path, const char *body, int want) {
    json_decref(call(s, method, path, body, want));
}

static const char *message(json_t *j) { return json_string_value(json_object_get(j, "message")); }

#define POSITION                                                                                                  \
    "{\"DASHBOARD_VERSION_KEY\":\"v2\",\"ROOT_ID\":{\"children\":[\"TABS-1\"],\"id\":\"ROOT_ID\",\"type\":\"ROOT\"}," \
    "\"TABS-1\":{\"children\":[\"TAB-a\",\"TAB-b\"],\"id\":\"TABS-1\",\"meta\":{},\"parents\":[\"ROOT_ID\"],"         \
    "\"type\":\"TABS\"},\"TAB-a\":{\"children\":[\"ROW-1\"],\"id\":\"TAB-a\",\"meta\":{\"text\":\"Tab A\"},"          \
    "\"parents\":[\"ROOT_ID\",\"TABS-1\"],\"type\":\"TAB\"},\"TAB-b\":{\"children\":[\"TABS-2\"],\"id\":\"TAB-b\","   \
    "\"meta\":{\"text\":\"Tab B\"},\"parents\":[\"ROOT_ID\",\"TABS-1\"],\"type\":\"TAB\"},\"TABS-2\":{\"children\":"  \
    "[\"TAB-c\"],\"id\":\"TABS-2\",\"meta\":{},\"type\":\"TABS\"},\"TAB-c\":{\"children\":[],\"id\":\"TAB-c\","      \
    "\"meta\":{\"text\":\"Tab C\"},\"type\":\"TAB\"},\"ROW-1\":{\"children\":[\"CHART-1\"],\"id\":\"ROW-1\","         \
    "\"meta\":{},\"type\":\"ROW\"},\"CHART-1\":{\"children\":[],\"id\":\"CHART-1\",\"meta\":{\"chartId\":%s},"        \
    "\"type\":\"CHART\"}}"

/* Fixture: database, dataset and chart lt_x_chart; published dashboard
 * lt-x-main with that chart and tabs, owned by admin only; Gamma user
 * x_gamma with database_access on the database when grant is true. */
static long long fixture(bool grant) {
    rest_create_user("Gamma", "x_gamma");
    rest_sql("DELETE FROM embedded_dashboards WHERE dashboard_id IN (SELECT id FROM dashboards WHERE"
             " dashboard_title LIKE 'lt x%')");
    rest_sql("DELETE FROM dashboard_slices WHERE dashboard_id IN (SELECT id FROM dashboards WHERE dashboard_title LIKE 'lt x%')");
    rest_sql("DELETE FROM dashboard_user WHERE dashboard_id IN (SELECT id FROM dashboards WHERE dashboard_title LIKE 'lt x%')");
    rest_sql("DELETE FROM dashboards WHERE dashboard_title LIKE 'lt x%'");
    rest_sql("DELETE FROM slice_user WHERE slice_id IN (SELECT id FROM slices WHERE slice_name = 'lt_x_chart')");
    rest_sql("DELETE FROM dashboard_slices WHERE slice_id IN (SELECT id FROM slices WHERE slice_name = 'lt_x_chart')");
    rest_sql("DELETE FROM slices WHERE slice_name = 'lt_x_chart'");
    rest_sql("DELETE FROM tables WHERE table_name = 'lt_x_tbl'");
    rest_sql("DELETE FROM ab_permission_view_role WHERE permission_view_id IN (SELECT pv.id FROM ab_permission_view pv"
             " JOIN ab_view_menu v ON v.id = pv.view_menu_id WHERE v.name LIKE '[lt_x_db]%')");
    rest_sql("DELETE FROM ab_permission_view WHERE view_menu_id IN (SELECT id FROM ab_view_menu WHERE name LIKE '[lt_x_db]%')");
    rest_sql("DELETE FROM ab_view_menu WHERE name LIKE '[lt_x_db]%'");
    rest_sql("DELETE FROM dbs WHERE database_name = 'lt_x_db'");
    rest_sql("INSERT INTO dbs (database_name, sqlalchemy_uri) VALUES ('lt_x_db', 'sqlite://')");
    rest_sql("INSERT INTO tables (table_name, database_id, perm) SELECT 'lt_x_tbl', id, '[lt_x_db].[lt_x_tbl](id:1)'"
             " FROM dbs WHERE database_name = 'lt_x_db'");
    rest_sql("INSERT INTO slices (slice_name, datasource_type, datasource_id, viz_type, params, cache_timeout,"
             " description, changed_on, uuid) SELECT 'lt_x_chart', 'table', id, 'table', '{\"since\": \"2020\","
             " \"until\": \"2021\", \"granularity_sqla\": \"ds\", \"adhoc_filters\": [{\"subject\": \"ds\","
             " \"comparator\": \"No filter\"}]}', 30, 'a < b\n\nsecond', '2024-01-02 03:04:05.5', gen_random_uuid()"
             " FROM tables WHERE table_name = 'lt_x_tbl'");
    long long chart = atoll(rest_sql("SELECT id FROM slices WHERE slice_name = 'lt_x_chart'"));
    char pos[2048], sql[4096];
    snprintf(pos, sizeof pos, POSITION, rest_sql("SELECT id FROM slices WHERE slice_name = 'lt_x_chart'"));
    snprintf(sql, sizeof sql,
             "INSERT INTO dashboards (dashboard_title, slug, published, position_json, json_metadata, created_on,"
             " changed_on, uuid, is_managed_externally) VALUES ('lt x main', 'lt-x-main', true, '%s',"
             " '{\"native_filter_configuration\": [{\"id\": \"F1\", \"name\": \"one\"}, {\"id\": \"F2\", \"name\": \"two\"}],"
             " \"color_scheme\": \"old\", \"default_filters\": \"{}\"}', now(), '2024-03-04 05:06:07', gen_random_uuid(), false)"
             " RETURNING id",
             pos);
    long long id = atoll(rest_sql(sql));
    snprintf(sql, sizeof sql, "INSERT INTO dashboard_slices (dashboard_id, slice_id) VALUES (%lld, %lld)", id, chart);
    rest_sql(sql);
    snprintf(sql, sizeof sql, "INSERT INTO dashboard_user (dashboard_id, user_id) VALUES (%lld, 1)", id);
    rest_sql(sql);
    if (grant) {
        rest_sql("INSERT INTO ab_view_menu (id, name) SELECT nextval('ab_view_menu_id_seq'), '[lt_x_db].(id:' || id || ')'"
                 " FROM dbs WHERE database_name = 'lt_x_db'");
        rest_sql("INSERT INTO ab_permission (id, name) SELECT nextval('ab_permission_id_seq'), 'database_access'"
                 " WHERE NOT EXISTS (SELECT 1 FROM ab_permission WHERE name = 'database_access')");
        rest_sql("INSERT INTO ab_permission_view (id, permission_id, view_menu_id) SELECT nextval('ab_permission_view_id_seq'),"
                 " p.id, v.id FROM ab_permission p, ab_view_menu v WHERE p.name = 'database_access'"
                 " AND v.name LIKE '[lt_x_db]%'");
        rest_sql("INSERT INTO ab_role (id, name) SELECT nextval('ab_role_id_seq'), 'lt_x_access'"
                 " WHERE NOT EXISTS (SELECT 1 FROM ab_role WHERE name = 'lt_x_access')");
        rest_sql("INSERT INTO ab_permission_view_role (id, permission_view_id, role_id) SELECT"
                 " nextval('ab_permission_view_role_id_seq'), pv.id, r.id FROM ab_permission_view pv"
                 " JOIN ab_view_menu v ON v.id = pv.view_menu_id, ab_role r WHERE v.name LIKE '[lt_x_db]%'"
                 " AND r.name = 'lt_x_access'");
        rest_sql("INSERT INTO ab_user_role (id, user_id, role_id) SELECT nextval('ab_user_role_id_seq'), u.id, r.id"
                 " FROM ab_user u, ab_role r WHERE u.username = 'x_gamma' AND r.name = 'lt_x_access'"
                 " AND NOT EXISTS (SELECT 1 FROM ab_user_role x WHERE x.user_id = u.id AND x.role_id = r.id)");
    } else {
        rest_sql("DELETE FROM ab_user_role WHERE user_id = (SELECT id FROM ab_user WHERE username = 'x_gamma')"
                 " AND role_id IN (SELECT id FROM ab_role WHERE name = 'lt_x_access')");
    }
    return id;
}

Test(dashboard_extras, charts_and_tabs) {
    long long id = fixture(false);
    rest_session_t admin, gamma;
    rest_open(&admin, "admin", "admin");
    rest_open(&gamma, "x_gamma", "x_gamma");
    char path[256], sql[256];
    const char *chart = rest_sql("SELECT id FROM slices WHERE slice_name = 'lt_x_chart'");
    long long chart_id = atoll(chart);

    json_t *j = call(&admin, "GET", "/api/v1/dashboard/lt-x-main/charts", NULL, 200);
    json_t *c = json_array_get(json_object_get(j, "result"), 0);
    cr_assert_eq(json_array_size(json_object_get(j, "result")), 1);
    cr_assert_eq(json_integer_value(json_object_get(c, "id")), chart_id);
    cr_assert_str_eq(json_string_value(json_object_get(c, "slice_name")), "lt_x_chart");
    cr_assert_eq(json_integer_value(json_object_get(c, "cache_timeout")), 30);
    cr_assert_str_eq(json_string_value(json_object_get(c, "changed_on")), "2024-01-02T03:04:05.500000");
    cr_assert_str_eq(json_string_value(json_object_get(c, "description_markeddown")), "<p>a &lt; b</p>\n<p>second</p>");
    cr_assert(json_is_null(json_object_get(c, "certified_by")));
    char want[256];
    snprintf(want, sizeof want, "/explore/?slice_id=%lld&form_data=%%7B%%22slice_id%%22%%3A%%20%lld%%7D", chart_id, chart_id);
    cr_assert_str_eq(json_string_value(json_object_get(c, "slice_url")), want);
    json_t *fd = json_object_get(c, "form_data");
    cr_assert_str_eq(json_string_value(json_object_get(fd, "time_range")), "2020 : 2021", "since/until become time_range");
    cr_assert_null(json_object_get(fd, "since"));
    cr_assert_eq(json_integer_value(json_object_get(fd, "slice_id")), chart_id);
    cr_assert_eq(json_integer_value(json_object_get(fd, "cache_timeout")), 30);
    cr_assert_str_eq(json_string_value(json_object_get(fd, "viz_type")), "table");
    snprintf(want, sizeof want, "%s__table", rest_sql("SELECT id FROM tables WHERE table_name = 'lt_x_tbl'"));
    cr_assert_str_eq(json_string_value(json_object_get(fd, "datasource")), want);
    json_decref(j);

    snprintf(path, sizeof path, "/api/v1/dashboard/%lld/tabs", id);
    j = call(&admin, "GET", path, NULL, 200);
    json_t *r = json_object_get(j, "result");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(r, "all_tabs"), "TAB-c")), "Tab C");
    cr_assert_eq(json_object_size(json_object_get(r, "all_tabs")), 3);
    json_t *tree = json_object_get(r, "tab_tree");
    cr_assert_eq(json_array_size(tree), 2);
    json_t *b = json_array_get(tree, 1);
    cr_assert_str_eq(json_string_value(json_object_get(b, "value")), "TAB-b");
    cr_assert_str_eq(json_string_value(json_object_get(b, "title")), "Tab B");
    cr_assert_eq(json_array_size(json_object_get(b, "parents")), 2);
    json_t *tab_c = json_array_get(json_object_get(b, "children"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(tab_c, "value")), "TAB-c");
    cr_assert_null(json_object_get(tab_c, "parents"), "only the keys the node has");
    cr_assert_eq(json_array_size(json_object_get(json_array_get(tree, 0), "children")), 0, "rows are not tabs");
    json_decref(j);

    /* a layout without ROOT_ID, an invalid one, an empty one */
    snprintf(sql, sizeof sql, "UPDATE dashboards SET position_json = '{\"a\": 1}' WHERE id = %lld", id);
    rest_sql(sql);
    expect(&admin, "GET", path, NULL, 500);
    snprintf(sql, sizeof sql, "UPDATE dashboards SET position_json = '{bad' WHERE id = %lld", id);
    rest_sql(sql);
    j = call(&admin, "GET", path, NULL, 400);
    cr_assert(!strncmp(message(j), "Tab schema is invalid, caused by: ", 34), "%s", message(j));
    json_decref(j);
    snprintf(sql, sizeof sql, "UPDATE dashboards SET position_json = NULL WHERE id = %lld", id);
    rest_sql(sql);
    j = call(&admin, "GET", path, NULL, 200);
    cr_assert_eq(json_object_size(json_object_get(j, "result")), 0);
    json_decref(j);
    snprintf(sql, sizeof sql, "UPDATE dashboards SET position_json = '{\"ROOT_ID\": {\"type\": \"ROOT\", \"children\":"
                              " [\"T\"]}, \"T\": {\"type\": \"TABS\", \"children\": [\"T\"]}}' WHERE id = %lld", id);
    rest_sql(sql);
    j = call(&admin, "GET", path, NULL, 400);
    cr_assert_str_eq(message(j), "Tab schema is invalid, caused by: position is too deep or cyclic");
    json_decref(j);

    /* Gamma without dataset access: not visible by slug or id (404); by uuid: 403 */
    expect(&gamma, "GET", "/api/v1/dashboard/lt-x-main/charts", NULL, 404);
    expect(&gamma, "GET", path, NULL, 404);
    snprintf(sql, sizeof sql, "SELECT uuid FROM dashboards WHERE id = %lld", id);
    snprintf(path, sizeof path, "/api/v1/dashboard/%s/charts", rest_sql(sql));
    j = call(&gamma, "GET", path, NULL, 403);
    cr_assert_str_eq(message(j), "Forbidden");
    json_decref(j);
    expect(&admin, "GET", path, NULL, 200);
    expect(&admin, "GET", "/api/v1/dashboard/lt-x-nope/tabs", NULL, 404);
    /* once Gamma can read the dataset, the published dashboard is visible */
    fixture(true);
    rest_open(&gamma, "x_gamma", "x_gamma");
    j = call(&gamma, "GET", "/api/v1/dashboard/lt-x-main/charts", NULL, 200);
    cr_assert_eq(json_array_size(json_object_get(j, "result")), 1);
    json_decref(j);
    expect(&gamma, "GET", "/api/v1/dashboard/lt-x-main/tabs", NULL, 200);
    /* unpublished: hidden by slug, but a uuid lookup only asks for dataset access */
    rest_sql("UPDATE dashboards SET published = false WHERE slug = 'lt-x-main'");
    expect(&gamma, "GET", "/api/v1/dashboard/lt-x-main/charts", NULL, 404);
    snprintf(path, sizeof path, "/api/v1/dashboard/%s/charts", rest_sql("SELECT uuid FROM dashboards WHERE slug = 'lt-x-main'"));
    expect(&gamma, "GET", path, NULL, 200);
}

Test(dashboard_extras, embedded_configuration) {
    fixture(true);
    rest_session_t admin, gamma;
    rest_open(&admin, "admin", "admin");
    rest_open(&gamma, "x_gamma", "x_gamma");
    const char *path = "/api/v1/dashboard/lt-x-main/embedded";
    json_t *j = call(&admin, "GET", path, NULL, 404);
    cr_assert_eq(json_object_size(j), 0, "404 with an empty object");
    json_decref(j);
    j = call(&admin, "POST", path, "{\"allowed_domains\": [\"a.example\", \"b.example\"]}", 200);
    json_t *r = json_object_get(j, "result");
    char uuid[64];
    snprintf(uuid, sizeof uuid, "%s", json_string_value(json_object_get(r, "uuid")));
    cr_assert_eq(strlen(uuid), 36);
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(r, "allowed_domains"), 1)), "b.example");
    cr_assert_str_eq(json_string_value(json_object_get(r, "dashboard_id")), rest_sql("SELECT id FROM dashboards WHERE slug = 'lt-x-main'"));
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(r, "changed_by"), "username")), "admin");
    json_decref(j);
    j = call(&admin, "PUT", path, "{\"allowed_domains\": []}", 200);
    r = json_object_get(j, "result");
    cr_assert_str_eq(json_string_value(json_object_get(r, "uuid")), uuid, "the uuid survives updates");
    cr_assert_eq(json_array_size(json_object_get(r, "allowed_domains")), 0);
    json_decref(j);
    j = call(&gamma, "GET", path, NULL, 200);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "result"), "uuid")), uuid);
    json_decref(j);
    expect(&gamma, "PUT", path, "{\"allowed_domains\": []}", 403);
    expect(&gamma, "DELETE", path, NULL, 403);

    j = call(&admin, "PUT", path, "{\"allowed_domains\": [1, \"x\"], \"other\": 2}", 400);
    json_t *m = json_object_get(j, "message");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(json_object_get(m, "allowed_domains"), "0"), 0)),
                     "Not a valid string.");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(m, "other"), 0)), "Unknown field.");
    json_decref(j);
    j = call(&admin, "POST", path, "{}", 400);
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(json_object_get(j, "message"), "allowed_domains"), 0)),
                     "Missing data for required field.");
    json_decref(j);
    expect(&admin, "POST", path, "[1]", 400);
    expect(&admin, "POST", "/api/v1/dashboard/lt-x-nope/embedded", "{\"allowed_domains\": []}", 404);

    j = call(&admin, "DELETE", path, NULL, 200);
    cr_assert_str_eq(message(j), "OK");
    json_decref(j);
    expect(&admin, "GET", path, NULL, 404);
    cr_assert_str_eq(rest_sql("SELECT count(*) FROM embedded_dashboards WHERE dashboard_id = (SELECT id FROM dashboards"
                              " WHERE slug = 'lt-x-main')"), "0");
}

Test(dashboard_extras, filters_and_colors) {
    long long id = fixture(true);
    rest_session_t admin, gamma;
    rest_open(&admin, "admin", "admin");
    rest_open(&gamma, "x_gamma", "x_gamma");
    char path[256], sql[256];
    snprintf(path, sizeof path, "/api/v1/dashboard/%lld/filters", id);
    json_t *j = call(&admin, "PUT", path,
                     "{\"deleted\": [\"F1\"], \"modified\": [{\"id\": \"F3\", \"name\": \"three\"}, {\"id\": \"F2\","
                     " \"name\": \"TWO\"}], \"reordered\": [\"F2\"]}",
                     200);
    json_t *res = json_object_get(j, "result");
    cr_assert_eq(json_array_size(res), 2, "F1 deleted, F3 appended");
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(res, 0), "name")), "TWO");
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(res, 1), "id")), "F3", "new ids join the order");
    json_decref(j);
    j = call(&admin, "PUT", path, "{\"reordered\": [\"F3\", \"F2\", \"gone\"]}", 200);
    res = json_object_get(j, "result");
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(res, 0), "id")), "F3");
    cr_assert_eq(json_array_size(res), 2);
    json_decref(j);
    snprintf(sql, sizeof sql, "SELECT json_metadata::json->'native_filter_configuration'->0->>'id' FROM dashboards WHERE id = %lld", id);
    cr_assert_str_eq(rest_sql(sql), "F3", "stored");
    j = call(&admin, "PUT", path, "{\"deleted\": [1], \"modified\": null, \"x\": 1}", 400);
    json_t *m = json_object_get(j, "message");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(m, "modified"), 0)), "Field may not be null.");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(m, "x"), 0)), "Unknown field.");
    json_decref(j);
    expect(&admin, "PUT", path, "{}", 500); /* the reference fails on an empty update */
    expect(&admin, "PUT", "/api/v1/dashboard/99999999/filters", "{\"deleted\": []}", 404);
    j = call(&gamma, "PUT", path, "{\"deleted\": []}", 403);
    cr_assert_str_eq(message(j), "Forbidden");
    json_decref(j);

    snprintf(path, sizeof path, "/api/v1/dashboard/%lld/colors?mark_updated=false", id);
    snprintf(sql, sizeof sql, "SELECT changed_on FROM dashboards WHERE id = %lld", id);
    char before[64];
    snprintf(before, sizeof before, "%s", rest_sql(sql));
    j = call(&admin, "PUT", path,
             "{\"color_scheme\": \"new\", \"label_colors\": {\"a\": \"#fff\"}, \"shared_label_colors\": {\"x\": 1},"
             " \"color_namespace\": \"ns\"}",
             200);
    cr_assert_eq(json_object_size(j), 0, "an empty object");
    json_decref(j);
    cr_assert_str_eq(rest_sql(sql), before, "mark_updated=false keeps changed_on");
    snprintf(sql, sizeof sql, "SELECT (json_metadata::json->>'color_scheme') || (json_metadata::json->>'shared_label_colors')"
                              " || coalesce(json_metadata::json->>'color_namespace', '-') FROM dashboards WHERE id = %lld", id);
    cr_assert_str_eq(rest_sql(sql), "new[]-", "a dict of shared labels loads as []; the namespace is not stored");
    snprintf(path, sizeof path, "/api/v1/dashboard/%lld/colors", id);
    expect(&admin, "PUT", path, "{\"color_scheme\": \"newer\"}", 200);
    snprintf(sql, sizeof sql, "SELECT changed_on FROM dashboards WHERE id = %lld", id);
    cr_assert(strcmp(rest_sql(sql), before), "changed_on moves by default");
    j = call(&admin, "PUT", path, "{\"map_label_colors\": [], \"shared_label_colors\": [1]}", 400);
    m = json_object_get(j, "message");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(m, "map_label_colors"), 0)), "Not a valid mapping type.");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(m, "shared_label_colors"), 0)), "Not a valid list");
    json_decref(j);
    expect(&gamma, "PUT", path, "{\"color_scheme\": \"x\"}", 403);
    /* the dashboard PUT validates json_metadata with the same schema */
    snprintf(path, sizeof path, "/api/v1/dashboard/%lld", id);
    j = call(&admin, "PUT", path, "{\"json_metadata\": \"{\\\"refresh_frequency\\\": \\\"x\\\"}\"}", 400);
    json_t *md_err = json_array_get(json_object_get(json_object_get(j, "message"), "json_metadata"), 0);
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(md_err, "refresh_frequency"), 0)), "Not a valid integer.");
    json_decref(j);
    snprintf(path, sizeof path, "/api/v1/dashboard/%lld/colors", id);
    /* Gamma owns it now */
    snprintf(sql, sizeof sql, "INSERT INTO dashboard_user (dashboard_id, user_id) SELECT %lld, id FROM ab_user WHERE username = 'x_gamma'", id);
    rest_sql(sql);
    expect(&gamma, "PUT", path, "{\"color_scheme\": \"x\"}", 200);
}

Test(dashboard_extras, copy) {
    long long id = fixture(true);
    rest_session_t admin, gamma;
    rest_open(&admin, "admin", "admin");
    rest_open(&gamma, "x_gamma", "x_gamma");
    const char *chart = rest_sql("SELECT id FROM slices WHERE slice_name = 'lt_x_chart'");
    char chart_id[32], pos[2048], body[8192], path[256], sql[512];
    snprintf(chart_id, sizeof chart_id, "%s", chart);
    snprintf(pos, sizeof pos, POSITION, chart_id);
    json_t *positions = json_loads(pos, 0, NULL);
    json_t *md = json_pack("{s:o,s:s,s:s,s:{s:{s:{s:[s],s:[s,i]}}}}", "positions", positions, "color_scheme", "copied",
                           "default_filters", "{\"1\": {}}", "filter_scopes", chart_id, "col", "scope", "ROOT_ID",
                           "immune", chart_id, 424242);
    char *md_text = json_dumps(md, JSON_COMPACT);
    json_t *req = json_pack("{s:s,s:s,s:s}", "dashboard_title", "lt x copy", "json_metadata", md_text, "css", ".a{}");
    char *req_text = json_dumps(req, JSON_COMPACT);
    snprintf(path, sizeof path, "/api/v1/dashboard/%lld/copy/", id);
    json_t *j = call(&admin, "POST", path, req_text, 200);
    json_t *res = json_object_get(j, "result");
    long long copy_id = json_integer_value(json_object_get(res, "id"));
    cr_assert(copy_id > id);
    cr_assert(json_is_real(json_object_get(res, "last_modified_time")));
    json_decref(j);
    snprintf(sql, sizeof sql, "SELECT dashboard_title || '|' || css || '|' || published || '|' || (SELECT string_agg(slice_id::text, ',')"
                              " FROM dashboard_slices WHERE dashboard_id = d.id) || '|' || (SELECT string_agg(user_id::text, ',')"
                              " FROM dashboard_user WHERE dashboard_id = d.id) FROM dashboards d WHERE id = %lld", copy_id);
    snprintf(body, sizeof body, "lt x copy|.a{}|false|%s|1", chart_id);
    cr_assert_str_eq(rest_sql(sql), body, "charts shared, owned by the caller");
    snprintf(sql, sizeof sql, "SELECT (json_metadata::json->'native_filter_configuration'->0->>'id') || '|' ||"
                              " (json_metadata::json->>'color_scheme') || '|' || (json_metadata::json->>'default_filters')"
                              " || '|' || (json_metadata::json->'filter_scopes')::text || '|' || (json_metadata::json->>'positions' IS NULL)"
                              " FROM dashboards WHERE id = %lld", copy_id);
    snprintf(body, sizeof body, "F1|copied|{}|{\"%s\": {\"col\": {\"scope\": [\"ROOT_ID\"], \"immune\": [%s]}}}|true",
             chart_id, chart_id);
    cr_assert_str_eq(rest_sql(sql), body, "the original's metadata with the request's colors and scopes");
    snprintf(sql, sizeof sql, "SELECT position_json::json->'CHART-1'->'meta'->>'uuid' = (SELECT uuid::text FROM slices"
                              " WHERE id = %s) FROM dashboards WHERE id = %lld", chart_id, copy_id);
    cr_assert_str_eq(rest_sql(sql), "t", "chart uuids written into the layout");

    /* duplicate_slices: a new chart owned by the caller, remapped everywhere */
    free(req_text);
    json_object_set_new(req, "duplicate_slices", json_true());
    json_object_set_new(req, "dashboard_title", json_string("lt x dup"));
    req_text = json_dumps(req, JSON_COMPACT);
    j = call(&gamma, "POST", path, req_text, 200);
    copy_id = json_integer_value(json_object_get(json_object_get(j, "result"), "id"));
    json_decref(j);
    snprintf(sql, sizeof sql, "SELECT s.id FROM dashboard_slices ds JOIN slices s ON s.id = ds.slice_id WHERE ds.dashboard_id = %lld", copy_id);
    char new_chart[32];
    snprintf(new_chart, sizeof new_chart, "%s", rest_sql(sql));
    cr_assert(strcmp(new_chart, chart_id) && *new_chart, "a cloned chart");
    snprintf(sql, sizeof sql, "SELECT s.slice_name || '|' || (s.params::json->>'since') || '|' || u.username FROM slices s JOIN slice_user su"
                              " ON su.slice_id = s.id JOIN ab_user u ON u.id = su.user_id WHERE s.id = %s", new_chart);
    cr_assert_str_eq(rest_sql(sql), "lt_x_chart|2020|x_gamma");
    snprintf(sql, sizeof sql, "SELECT (position_json::json->'CHART-1'->'meta'->>'chartId') || '|' ||"
                              " (json_metadata::json->'filter_scopes')::text FROM dashboards WHERE id = %lld", copy_id);
    snprintf(body, sizeof body, "%s|{\"%s\": {\"col\": {\"scope\": [\"ROOT_ID\"], \"immune\": [%s]}}}", new_chart, new_chart, new_chart);
    cr_assert_str_eq(rest_sql(sql), body);
    snprintf(sql, sizeof sql, "SELECT string_agg(u.username, ',') FROM dashboard_user du JOIN ab_user u ON u.id = du.user_id"
                              " WHERE du.dashboard_id = %lld", copy_id);
    cr_assert_str_eq(rest_sql(sql), "x_gamma");

    /* bad bodies */
    j = call(&admin, "POST", path, "{\"dashboard_title\": \"x\"}", 400);
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(json_object_get(j, "message"), "json_metadata"), 0)),
                     "Missing data for required field.");
    json_decref(j);
    j = call(&admin, "POST", path, "{\"dashboard_title\": \"x\", \"json_metadata\": \"{\\\"positions\\\": 3, \\\"zz\\\": 1}\"}", 400);
    json_t *inner = json_array_get(json_object_get(json_object_get(j, "message"), "json_metadata"), 0);
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(inner, "positions"), 0)), "Not a valid mapping type.");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(inner, "zz"), 0)), "Unknown field.");
    json_decref(j);
    j = call(&admin, "POST", path, "{\"dashboard_title\": \"x\", \"json_metadata\": \"{bad\", \"duplicate_slices\": \"maybe\"}", 400);
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(json_object_get(j, "message"), "json_metadata"), 0)),
                     "JSON not valid");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(json_object_get(j, "message"), "duplicate_slices"), 0)),
                     "Not a valid boolean.");
    json_decref(j);
    expect(&admin, "POST", path, "{\"dashboard_title\": \"\", \"json_metadata\": \"{}\"}", 500);
    expect(&admin, "POST", path, "{\"dashboard_title\": \"lt x nopos\", \"json_metadata\": \"{}\", \"duplicate_slices\": true}", 500);
    cr_assert_str_eq(rest_sql("SELECT count(*) FROM dashboards WHERE dashboard_title = 'lt x nopos'"), "0", "rolled back");
    expect(&admin, "POST", "/api/v1/dashboard/lt-x-nope/copy/", "{\"dashboard_title\": \"x\", \"json_metadata\": \"{}\"}", 404);
    /* Gamma without dataset access does not see the original */
    fixture(false);
    rest_open(&gamma, "x_gamma", "x_gamma");
    expect(&gamma, "POST", "/api/v1/dashboard/lt-x-main/copy/", "{\"dashboard_title\": \"x\", \"json_metadata\": \"{}\"}", 404);
    free(req_text);
    free(md_text);
    json_decref(req);
    json_decref(md);
}

/* ---- screenshots: the config is rewritten and the workers reloaded ---- */

static void teardown(void) { rest_config(NULL); }

Test(dashboard_extras, screenshots, .fini = teardown) {
    long long id = fixture(false);
    const char *chart = rest_sql("SELECT id FROM slices WHERE slice_name = 'lt_x_chart'");
    char chart_id[32], path[256];
    snprintf(chart_id, sizeof chart_id, "%s", chart);
    rest_config(NULL);
    static const char *const chart_paths[] = {"/cache_screenshot/", "/screenshot/abc/", "/thumbnail/abc/"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "/api/v1/chart/%s%s", chart_id, chart_paths[i]);
        http_response_t *r = http_get(path);
        cr_assert_eq(r->status, 404, "%s: flags off answer 404 before authentication", path);
        http_free(r);
    }
    snprintf(path, sizeof path, "/api/v1/dashboard/%lld/thumbnail/abc/", id);
    http_response_t *r = http_get(path);
    cr_assert_eq(r->status, 404);
    http_free(r);
    rest_session_t admin, gamma;
    rest_open(&admin, "admin", "admin");
    snprintf(path, sizeof path, "/api/v1/dashboard/%lld/cache_dashboard_screenshot/", id);
    json_t *j = call(&admin, "POST", path, "{}", 404);
    cr_assert_str_eq(message(j), "Not found");
    json_decref(j);

    rest_config("FEATURE_FLAGS = {'THUMBNAILS': True}\n");
    rest_open(&admin, "admin", "admin");
    rest_open(&gamma, "x_gamma", "x_gamma");
    expect(&admin, "POST", path, "{}", 404); /* also needs ENABLE_DASHBOARD_SCREENSHOT_ENDPOINTS */
    snprintf(path, sizeof path, "/api/v1/chart/%s/thumbnail/abc/", chart_id);
    r = http_get(path);
    cr_assert_eq(r->status, 401, "flag on: protected");
    http_free(r);
    j = call(&admin, "GET", path, NULL, 501);
    cr_assert_str_eq(message(j), "Screenshots and thumbnails cannot be rendered by this server");
    json_decref(j);
    expect(&gamma, "GET", path, NULL, 404); /* Gamma cannot see the chart's dataset */
    expect(&admin, "GET", "/api/v1/chart/99999999/thumbnail/abc/", NULL, 404);
    snprintf(path, sizeof path, "/api/v1/chart/%s/cache_screenshot/?q=((((", chart_id);
    expect(&admin, "GET", path, NULL, 400);
    snprintf(path, sizeof path, "/api/v1/dashboard/%lld/thumbnail/abc/", id);
    expect(&admin, "GET", path, NULL, 501);
    expect(&gamma, "GET", path, NULL, 404);

    rest_config("FEATURE_FLAGS = {'THUMBNAILS': True, 'ENABLE_DASHBOARD_SCREENSHOT_ENDPOINTS': True}\n");
    rest_open(&admin, "admin", "admin");
    snprintf(path, sizeof path, "/api/v1/dashboard/%lld/cache_dashboard_screenshot/", id);
    expect(&admin, "POST", path, "{}", 501);
    snprintf(path, sizeof path, "/api/v1/dashboard/%lld/screenshot/abc/", id);
    expect(&admin, "GET", path, NULL, 501);
}
