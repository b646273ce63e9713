/* /api/v1/chart: create (defaults and schema errors), item by id and uuid,
 * list filters, related, _info, favorites, ChartFilter (a user without
 * access to the dataset does not see the chart), ownership (a non-owner
 * cannot edit, delete or favourite it), bulk delete. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/integration/harness.h"
#include "tests/integration/rest_client.h"

/* A database and a dataset with its permission names; returns the dataset id. */
static long long dataset_fixture(void) {
    rest_sql("INSERT INTO dbs (database_name, sqlalchemy_uri) SELECT 'chart_test_db', 'sqlite://'"
             " WHERE NOT EXISTS (SELECT 1 FROM dbs WHERE database_name = 'chart_test_db')");
    rest_sql("INSERT INTO tables (table_name, schema, database_id, uuid) SELECT 'chart_tbl', 'public', d.id,"
             " gen_random_uuid() FROM dbs d WHERE d.database_name = 'chart_test_db' AND NOT EXISTS"
             " (SELECT 1 FROM tables WHERE table_name = 'chart_tbl')");
    rest_sql("UPDATE tables SET perm = '[chart_test_db].[chart_tbl](id:' || id || ')',"
             " schema_perm = '[chart_test_db].[public]' WHERE table_name = 'chart_tbl'");
    /* leftovers of an earlier failed run */
    rest_sql("DELETE FROM slice_user WHERE slice_id IN (SELECT s.id FROM slices s JOIN tables t ON t.id = s.datasource_id"
             " WHERE t.table_name = 'chart_tbl')");
    rest_sql("DELETE FROM slices WHERE datasource_id IN (SELECT id FROM tables WHERE table_name = 'chart_tbl')");
    return atoll(rest_sql("SELECT id FROM tables WHERE table_name = 'chart_tbl'"));
}

/* A role holding datasource_access on the dataset, given to user. */
static void grant_dataset(const char *user) {
    rest_sql("INSERT INTO ab_permission (id, name) SELECT nextval('ab_permission_id_seq'), 'datasource_access'"
             " WHERE NOT EXISTS (SELECT 1 FROM ab_permission WHERE name = 'datasource_access')");
    rest_sql("INSERT INTO ab_view_menu (id, name) SELECT nextval('ab_view_menu_id_seq'), perm FROM tables"
             " WHERE table_name = 'chart_tbl' AND NOT EXISTS (SELECT 1 FROM ab_view_menu v WHERE v.name = tables.perm)");
    rest_sql("INSERT INTO ab_permission_view (id, permission_id, view_menu_id) SELECT nextval('ab_permission_view_id_seq'),"
             " p.id, v.id FROM ab_permission p, ab_view_menu v, tables t WHERE p.name = 'datasource_access'"
             " AND t.table_name = 'chart_tbl' AND v.name = t.perm AND NOT EXISTS (SELECT 1 FROM ab_permission_view x"
             " WHERE x.permission_id = p.id AND x.view_menu_id = v.id)");
    rest_sql("INSERT INTO ab_role (id, name) SELECT nextval('ab_role_id_seq'), 'chart_ds_role'"
             " WHERE NOT EXISTS (SELECT 1 FROM ab_role WHERE name = 'chart_ds_role')");
    rest_sql("INSERT INTO ab_permission_view_role (id, permission_view_id, role_id)"
             " SELECT nextval('ab_permission_view_role_id_seq'), pv.id, r.id FROM ab_permission_view pv"
             " JOIN ab_permission p ON p.id = pv.permission_id JOIN ab_view_menu v ON v.id = pv.view_menu_id"
             " JOIN tables t ON t.perm = v.name, ab_role r WHERE p.name = 'datasource_access'"
             " AND t.table_name = 'chart_tbl' AND r.name = 'chart_ds_role' AND NOT EXISTS"
             " (SELECT 1 FROM ab_permission_view_role x WHERE x.permission_view_id = pv.id AND x.role_id = r.id)");
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO ab_user_role (id, user_id, role_id) SELECT nextval('ab_user_role_id_seq'), u.id, r.id"
             " FROM ab_user u, ab_role r WHERE u.username = '%s' AND r.name = 'chart_ds_role'"
             " AND NOT EXISTS (SELECT 1 FROM ab_user_role x WHERE x.user_id = u.id AND x.role_id = r.id)",
             user);
    rest_sql(sql);
}

static json_t *call(rest_session_t *s, const char *method, const char *path, const char *body, int want) {
    int st;
    json_t *j = rest_call(s, method, path, body, &st);
    char *dump = json_dumps(j, 0);
    cr_assert_eq(st, want, "%s %s: got %d, want %d: %s", method, path, st, want, dump ? dump : "");
    free(dump);
    return j;
}

static long long list_count(rest_session_t *s, const char *q) {
    char path[512];
    snprintf(path, sizeof path, "/api/v1/chart/?q=%s", q);
    json_t *j = call(s, "GET", path, NULL, 200);
    long long n = json_integer_value(json_object_get(j, "count"));
    json_decref(j);
    return n;
}

Test(chart, crud_filters_favorites_access) {
    long long ds = dataset_fixture();
    cr_assert_gt(ds, 0);
    rest_create_user("Gamma", "chart_gamma");
    rest_create_user("Gamma", "chart_blind");
    grant_dataset("chart_gamma");
    rest_session_t admin, gamma, blind;
    rest_open(&admin, "admin", "admin");
    rest_open(&gamma, "chart_gamma", "chart_gamma");
    rest_open(&blind, "chart_blind", "chart_blind");
    char body[512], path[256], sql[256];

    /* schema errors answer 400 */
    json_t *j = call(&admin, "POST", "/api/v1/chart/", "{\"viz_type\":\"table\"}", 400);
    json_t *msg = json_object_get(j, "message");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(msg, "slice_name"), 0)),
                     "Missing data for required field.");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(msg, "datasource_id"), 0)),
                     "Missing data for required field.");
    json_decref(j);
    snprintf(body, sizeof body,
             "{\"slice_name\":\"c\",\"datasource_id\":%lld,\"datasource_type\":\"table\",\"params\":\"{oops\",\"bogus\":1}",
             ds);
    j = call(&admin, "POST", "/api/v1/chart/", body, 400);
    msg = json_object_get(j, "message");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(msg, "params"), 0)), "JSON not valid");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(msg, "bogus"), 0)), "Unknown field.");
    json_decref(j);

    /* create: the creator owns it; perm names come from the dataset */
    snprintf(body, sizeof body,
             "{\"slice_name\":\"liteset chart\",\"viz_type\":\"table\",\"datasource_id\":%lld,"
             "\"datasource_type\":\"table\",\"params\":\"{\\\"metric\\\": \\\"count\\\"}\",\"cache_timeout\":60}",
             ds);
    j = call(&admin, "POST", "/api/v1/chart/", body, 201);
    long long id = json_integer_value(json_object_get(j, "id"));
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "result"), "slice_name")), "liteset chart");
    json_decref(j);
    snprintf(sql, sizeof sql, "SELECT string_agg(user_id::text, ',') FROM slice_user WHERE slice_id = %lld", id);
    cr_assert_str_eq(rest_sql(sql), "1", "owners default to the creator");
    snprintf(sql, sizeof sql,
             "SELECT s.perm = t.perm AND s.last_saved_by_fk = 1 AND s.datasource_name = 'public.chart_tbl'"
             " FROM slices s JOIN tables t ON t.id = s.datasource_id WHERE s.id = %lld", id);
    cr_assert_str_eq(rest_sql(sql), "t");

    /* item by id and by uuid */
    snprintf(path, sizeof path, "/api/v1/chart/%lld", id);
    j = call(&admin, "GET", path, NULL, 200);
    json_t *r = json_object_get(j, "result");
    cr_assert_str_eq(json_string_value(json_object_get(r, "cache_timeout")), "60", "cache_timeout is a String field");
    cr_assert_str_eq(json_string_value(json_object_get(r, "datasource_name_text")), "public.chart_tbl");
    cr_assert_eq(json_integer_value(json_object_get(json_array_get(json_object_get(r, "owners"), 0), "id")), 1);
    cr_assert(json_is_array(json_object_get(r, "tags")) && json_is_array(json_object_get(r, "dashboards")));
    cr_assert(json_is_string(json_object_get(r, "datasource_uuid")));
    char expect[128];
    snprintf(expect, sizeof expect, "/explore/?slice_id=%lld", id);
    cr_assert_str_eq(json_string_value(json_object_get(r, "url")), expect);
    snprintf(expect, sizeof expect, "/api/v1/chart/%lld/thumbnail/", id);
    cr_assert(!strncmp(json_string_value(json_object_get(r, "thumbnail_url")), expect, strlen(expect)));
    snprintf(sql, sizeof sql,
             "SELECT md5('{\"metric\": \"count\"}.admin' || E'\\n' || 'admin') FROM slices WHERE id = %lld", id);
    cr_assert(strstr(json_string_value(json_object_get(r, "thumbnail_url")), rest_sql(sql)), "Superset's digest");
    char uuid_path[128];
    snprintf(uuid_path, sizeof uuid_path, "/api/v1/chart/%s", json_string_value(json_object_get(r, "uuid")));
    json_decref(j);
    j = call(&admin, "GET", uuid_path, NULL, 200);
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(j, "result"), "id")), id);
    json_decref(j);
    json_decref(call(&admin, "GET", "/api/v1/chart/99999999", NULL, 404));

    /* list: custom filters, computed columns, ordering by an @renders alias */
    cr_assert_eq(list_count(&admin, "(filters:!((col:slice_name,opr:chart_all_text,value:chart_tbl)))"), 1,
                 "all_text searches the dataset name");
    j = call(&admin, "GET",
             "/api/v1/chart/?q=(filters:!((col:slice_name,opr:chart_all_text,value:'liteset%20chart')),"
             "order_column:changed_on_delta_humanized,order_direction:asc)",
             NULL, 200);
    cr_assert_str_eq(json_string_value(json_object_get(j, "list_title")), "List Slice");
    r = json_array_get(json_object_get(j, "result"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(r, "changed_by_name")), "Admin User");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(r, "table"), "table_name")), "chart_tbl");
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(r, "form_data"), "slice_id")), id);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(r, "form_data"), "metric")), "count");
    json_decref(j);
    cr_assert_eq(list_count(&admin, "(filters:!((col:id,opr:chart_is_certified,value:!t),"
                                    "(col:slice_name,opr:chart_all_text,value:chart_tbl)))"), 0);
    cr_assert_eq(list_count(&admin, "(filters:!((col:created_by,opr:chart_created_by_me,value:!t),"
                                    "(col:slice_name,opr:chart_all_text,value:chart_tbl)))"), 1);

    /* favorites */
    snprintf(path, sizeof path, "/api/v1/chart/%lld/favorites/", id);
    j = call(&admin, "POST", path, NULL, 200);
    cr_assert_str_eq(json_string_value(json_object_get(j, "result")), "OK");
    json_decref(j);
    snprintf(path, sizeof path, "/api/v1/chart/favorite_status/?q=!(%lld,99999999)", id);
    j = call(&admin, "GET", path, NULL, 200);
    cr_assert(json_is_true(json_object_get(json_array_get(json_object_get(j, "result"), 0), "value")));
    cr_assert(json_is_false(json_object_get(json_array_get(json_object_get(j, "result"), 1), "value")));
    json_decref(j);
    cr_assert_eq(list_count(&admin, "(filters:!((col:id,opr:chart_is_favorite,value:!t)))"), 1);
    cr_assert_eq(list_count(&admin, "(filters:!((col:id,opr:chart_owned_created_favored_by_me,value:!t),"
                                    "(col:slice_name,opr:chart_all_text,value:chart_tbl)))"), 1);
    snprintf(path, sizeof path, "/api/v1/chart/%lld/favorites/", id);
    json_decref(call(&admin, "DELETE", path, NULL, 200));
    cr_assert_eq(list_count(&admin, "(filters:!((col:id,opr:chart_is_favorite,value:!t)))"), 0);
    json_decref(call(&admin, "GET", "/api/v1/chart/favorite_status/?q=!(99999999)", NULL, 404));

    /* related owners carry email and active; _info offers the custom filters */
    j = call(&admin, "GET", "/api/v1/chart/related/owners?q=(filter:admin)", NULL, 200);
    json_t *extra = json_object_get(json_array_get(json_object_get(j, "result"), 0), "extra");
    cr_assert(json_is_string(json_object_get(extra, "email")) && json_is_boolean(json_object_get(extra, "active")));
    json_decref(j);
    j = call(&admin, "GET", "/api/v1/chart/_info?q=(keys:!(filters,permissions))", NULL, 200);
    json_t *ops = json_object_get(json_object_get(j, "filters"), "slice_name");
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(ops, json_array_size(ops) - 1), "operator")),
                     "chart_all_text");
    cr_assert_eq(json_array_size(json_object_get(j, "permissions")), 4, "base_permissions of ChartRestApi");
    json_decref(j);

    /* ChartFilter: no dataset access, no chart */
    cr_assert_eq(list_count(&blind, "(filters:!((col:slice_name,opr:chart_all_text,value:chart_tbl)))"), 0);
    snprintf(path, sizeof path, "/api/v1/chart/%lld", id);
    json_decref(call(&blind, "GET", path, NULL, 404));
    cr_assert_eq(list_count(&gamma, "(filters:!((col:slice_name,opr:chart_all_text,value:chart_tbl)))"), 1,
                 "datasource_access on the dataset shows it");

    /* ownership: a non-owner cannot edit, delete or favourite */
    j = call(&gamma, "PUT", path, "{\"slice_name\":\"hijacked\"}", 403);
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")), "Forbidden");
    json_decref(j);
    json_decref(call(&gamma, "DELETE", path, NULL, 403));
    snprintf(path, sizeof path, "/api/v1/chart/%lld/favorites/", id);
    json_decref(call(&gamma, "POST", path, NULL, 403));
    json_decref(call(&gamma, "DELETE", path, NULL, 200));
    snprintf(path, sizeof path, "/api/v1/chart/%lld", id);
    json_decref(call(&admin, "PUT", path, "{\"params\":\"nope\"}", 400));
    json_decref(call(&admin, "PUT", path, "{\"owners\":[99999999]}", 422));

    /* the admin shares it; the new owner may edit */
    const char *gid = rest_sql("SELECT id FROM ab_user WHERE username = 'chart_gamma'");
    snprintf(body, sizeof body, "{\"slice_name\":\"renamed\",\"owners\":[1,%s]}", gid);
    j = call(&admin, "PUT", path, body, 200);
    cr_assert_eq(json_integer_value(json_object_get(j, "id")), id);
    json_decref(j);
    j = call(&gamma, "PUT", path, "{\"description\":\"by gamma\"}", 200);
    json_decref(j);
    snprintf(sql, sizeof sql, "SELECT slice_name || '/' || description FROM slices WHERE id = %lld", id);
    cr_assert_str_eq(rest_sql(sql), "renamed/by gamma");

    /* bulk delete */
    snprintf(path, sizeof path, "/api/v1/chart/?q=!(%lld)", id);
    json_decref(call(&blind, "DELETE", path, NULL, 404));
    j = call(&admin, "DELETE", path, NULL, 200);
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")), "Deleted 1 chart");
    json_decref(j);
    json_decref(call(&admin, "DELETE", path, NULL, 404));
    snprintf(sql, sizeof sql, "SELECT count(*) FROM slice_user WHERE slice_id = %lld", id);
    cr_assert_str_eq(rest_sql(sql), "0");
}
