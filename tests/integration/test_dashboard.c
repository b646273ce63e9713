/* /api/v1/dashboard: POST as admin (owners default to the creator, slug
 * normalised), 400 schema errors and 422 command errors, GET by id and slug,
 * the custom filters, related owners, _info, favorites, ownership (a Gamma
 * user gets 403 on PUT/DELETE of a dashboard it does not own and does not
 * see unpublished ones), PUT's id/last_modified_time, bulk delete. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static const char *msg_of(json_t *j, const char *field) {
    return json_string_value(json_array_get(json_object_get(json_object_get(j, "message"), field), 0));
}

Test(dashboard, crud_filters_favorites_ownership) {
    rest_create_user("Gamma", "dash_gamma");
    rest_sql("DELETE FROM dashboards WHERE slug IN ('lt-dash-a', 'lt-dash-b')");
    rest_session_t admin, gamma;
    rest_open(&admin, "admin", "admin");
    rest_open(&gamma, "dash_gamma", "dash_gamma");

    json_t *j = call(&admin, "POST", "/api/v1/dashboard/",
                     "{\"dashboard_title\":\"LT Dash A\",\"slug\":\" lt dash!-a\",\"json_metadata\":\"{}\","
                     "\"position_json\":\"{}\",\"published\":true}", 201);
    long long id = json_integer_value(json_object_get(j, "id"));
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "result"), "slug")), "lt-dash-a",
                     "slug normalised as post_load does");
    json_decref(j);
    char sql[256], path[256];
    snprintf(sql, sizeof sql, "SELECT string_agg(user_id::text, ',') FROM dashboard_user WHERE dashboard_id = %lld", id);
    cr_assert_str_eq(rest_sql(sql), "1", "owners default to the creator");

    j = call(&admin, "POST", "/api/v1/dashboard/", "{\"dashboard_title\":\"dup\",\"slug\":\"lt-dash-a\"}", 422);
    cr_assert_str_eq(msg_of(j, "slug"), "Must be unique");
    json_decref(j);
    j = call(&admin, "POST", "/api/v1/dashboard/", "{\"dashboard_title\":5,\"position_json\":\"{bad\",\"nope\":1}", 400);
    cr_assert_str_eq(msg_of(j, "dashboard_title"), "Not a valid string.");
    cr_assert_str_eq(msg_of(j, "position_json"), "JSON not valid");
    cr_assert_str_eq(msg_of(j, "nope"), "Unknown field.");
    json_decref(j);
    j = call(&admin, "POST", "/api/v1/dashboard/", "{\"owners\":[987654]}", 422);
    cr_assert_str_eq(msg_of(j, "owners"), "Owners are invalid");
    json_decref(j);

    /* item by id and by slug */
    snprintf(path, sizeof path, "/api/v1/dashboard/%lld", id);
    j = call(&admin, "GET", path, NULL, 200);
    json_t *r = json_object_get(j, "result");
    cr_assert_str_eq(json_string_value(json_object_get(r, "url")), "/superset/dashboard/lt-dash-a/");
    cr_assert_str_eq(json_string_value(json_object_get(r, "dashboard_title")), "LT Dash A");
    cr_assert_eq(json_array_size(json_object_get(r, "charts")), 0);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(r, "owners"), 0), "first_name")),
                     "Admin");
    cr_assert(json_is_null(json_object_get(r, "theme")));
    cr_assert(json_is_string(json_object_get(r, "changed_on_delta_humanized")));
    static const char *const keys[] = {"id", "slug", "url", "dashboard_title", "thumbnail_url", "published", "css",
                                       "theme", "json_metadata", "position_json", "certified_by",
                                       "certification_details", "changed_by_name", "changed_by", "changed_on",
                                       "created_by", "charts", "owners", "roles", "tags", "changed_on_delta_humanized",
                                       "created_on_delta_humanized", "is_managed_externally", "uuid", NULL};
    for (int i = 0; keys[i]; i++) cr_assert(json_object_get(r, keys[i]), "key %s", keys[i]);
    cr_assert_eq(json_object_size(r), 24);
    json_decref(j);
    j = call(&admin, "GET", "/api/v1/dashboard/lt-dash-a", NULL, 200);
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(j, "result"), "id")), id);
    json_decref(j);
    json_decref(call(&admin, "GET", "/api/v1/dashboard/no-such-slug-lt", NULL, 404));

    /* list, filters, related, _info */
    j = call(&admin, "GET", "/api/v1/dashboard/?q=(filters:!((col:dashboard_title,opr:title_or_slug,value:'dash-a')))",
             NULL, 200);
    cr_assert_eq(json_integer_value(json_object_get(j, "count")), 1);
    r = json_array_get(json_object_get(j, "result"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(r, "status")), "published");
    cr_assert_str_eq(json_string_value(json_object_get(r, "changed_by_name")), "Admin User");
    json_decref(j);
    j = call(&admin, "GET", "/api/v1/dashboard/?q=(filters:!((col:id,opr:dashboard_is_certified,value:!t)))", NULL, 200);
    cr_assert_eq(json_integer_value(json_object_get(j, "count")), 0, "nothing certified");
    json_decref(j);
    j = call(&admin, "GET", "/api/v1/dashboard/?q=(filters:!((col:created_by,opr:dashboard_created_by_me,value:!t)))",
             NULL, 200);
    cr_assert_geq(json_integer_value(json_object_get(j, "count")), 1);
    json_decref(j);
    j = call(&admin, "GET", "/api/v1/dashboard/related/owners?q=(filter:admin)", NULL, 200);
    cr_assert_geq(json_integer_value(json_object_get(j, "count")), 1);
    cr_assert(json_object_get(json_object_get(json_array_get(json_object_get(j, "result"), 0), "extra"), "email"));
    json_decref(j);
    j = call(&admin, "GET", "/api/v1/dashboard/_info?q=(keys:!(permissions))", NULL, 200);
    /* Admin holds every base permission of DashboardRestApi */
    json_t *perms = json_object_get(j, "permissions");
    cr_assert_eq(json_array_size(perms), 7, "%s", json_dumps(perms, 0));
    bool has_write = false;
    size_t pi;
    json_t *pv;
    json_array_foreach(perms, pi, pv) has_write = has_write || !strcmp(json_string_value(pv), "can_write");
    cr_assert(has_write);
    json_decref(j);

    /* favorites */
    snprintf(path, sizeof path, "/api/v1/dashboard/%lld/favorites/", id);
    j = call(&admin, "POST", path, NULL, 200);
    cr_assert_str_eq(json_string_value(json_object_get(j, "result")), "OK");
    json_decref(j);
    snprintf(path, sizeof path, "/api/v1/dashboard/favorite_status/?q=!(%lld,987654)", id);
    j = call(&admin, "GET", path, NULL, 200);
    cr_assert(json_is_true(json_object_get(json_array_get(json_object_get(j, "result"), 0), "value")));
    cr_assert(json_is_false(json_object_get(json_array_get(json_object_get(j, "result"), 1), "value")));
    json_decref(j);
    j = call(&admin, "GET", "/api/v1/dashboard/?q=(filters:!((col:id,opr:dashboard_is_favorite,value:!t)))", NULL, 200);
    cr_assert_eq(json_integer_value(json_object_get(j, "count")), 1);
    json_decref(j);
    json_decref(call(&admin, "GET", "/api/v1/dashboard/favorite_status/?q=!(987654)", NULL, 404));
    snprintf(path, sizeof path, "/api/v1/dashboard/%lld/favorites/", id);
    json_decref(call(&admin, "DELETE", path, NULL, 200));

    /* a Gamma user: a published dashboard without charts is not visible (no accessible dataset) */
    snprintf(path, sizeof path, "/api/v1/dashboard/%lld", id);
    json_decref(call(&gamma, "GET", path, NULL, 404));
    json_decref(call(&gamma, "PUT", path, "{\"dashboard_title\":\"hijack\"}", 404));
    snprintf(sql, sizeof sql, "SELECT count(*) FROM dashboards WHERE id = %lld AND dashboard_title = 'LT Dash A'", id);
    cr_assert_str_eq(rest_sql(sql), "1");
    /* Gamma creates its own dashboard: owner, can read and edit it; admin edits it too */
    j = call(&gamma, "POST", "/api/v1/dashboard/", "{\"dashboard_title\":\"LT Dash B\",\"slug\":\"lt-dash-b\",\"owners\":[1]}", 201);
    long long gid = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
    snprintf(sql, sizeof sql, "SELECT string_agg(user_id::text, ',' ORDER BY user_id) FROM dashboard_user"
                              " WHERE dashboard_id = %lld AND user_id = 1", gid);
    cr_assert_str_eq(rest_sql(sql), "1");
    snprintf(sql, sizeof sql, "SELECT count(*) FROM dashboard_user WHERE dashboard_id = %lld", gid);
    cr_assert_str_eq(rest_sql(sql), "2", "a non-admin stays an owner");
    snprintf(path, sizeof path, "/api/v1/dashboard/%lld", gid);
    json_decref(call(&gamma, "GET", path, NULL, 200));
    j = call(&gamma, "PUT", path, "{\"dashboard_title\":\"LT Dash B2\"}", 200);
    cr_assert_eq(json_integer_value(json_object_get(j, "id")), gid);
    cr_assert(json_is_real(json_object_get(j, "last_modified_time")));
    json_decref(j);
    /* Gamma's own dashboard: admin takes Gamma off the owners and unpublishes it: invisible now */
    json_decref(call(&admin, "PUT", path, "{\"owners\":[1],\"published\":false}", 200));
    json_decref(call(&gamma, "PUT", path, "{\"dashboard_title\":\"x\"}", 404));
    json_decref(call(&admin, "DELETE", path, NULL, 200));

    /* dashboard A gets a chart on a dataset of a database Gamma has database_access on: visible, not owned */
    rest_sql("DELETE FROM dashboard_slices WHERE slice_id IN (SELECT id FROM slices WHERE slice_name = 'lt_dash_chart')");
    rest_sql("DELETE FROM slices WHERE slice_name = 'lt_dash_chart'");
    rest_sql("DELETE FROM tables WHERE table_name = 'lt_dash_tbl'");
    rest_sql("DELETE FROM dbs WHERE database_name = 'lt_dash_db'");
    rest_sql("INSERT INTO dbs (database_name, sqlalchemy_uri) VALUES ('lt_dash_db', 'sqlite://')");
    rest_sql("INSERT INTO tables (table_name, database_id) SELECT 'lt_dash_tbl', id FROM dbs WHERE database_name = 'lt_dash_db'");
    rest_sql("INSERT INTO slices (slice_name, datasource_type, datasource_id, viz_type) SELECT 'lt_dash_chart', 'table',"
             " id, 'table' FROM tables WHERE table_name = 'lt_dash_tbl'");
    snprintf(sql, sizeof sql, "INSERT INTO dashboard_slices (dashboard_id, slice_id) SELECT %lld, id FROM slices"
                              " WHERE slice_name = 'lt_dash_chart'", id);
    rest_sql(sql);
    rest_sql("DELETE FROM ab_permission_view_role WHERE permission_view_id IN (SELECT pv.id FROM ab_permission_view pv"
             " JOIN ab_view_menu v ON v.id = pv.view_menu_id WHERE v.name LIKE '[lt_dash_db]%')");
    rest_sql("DELETE FROM ab_permission_view WHERE view_menu_id IN (SELECT id FROM ab_view_menu"
             " WHERE name LIKE '[lt_dash_db]%')");
    rest_sql("DELETE FROM ab_view_menu WHERE name LIKE '[lt_dash_db]%'");
    rest_sql("INSERT INTO ab_view_menu (id, name) SELECT nextval('ab_view_menu_id_seq'), '[lt_dash_db].(id:' || id || ')'"
             " FROM dbs WHERE database_name = 'lt_dash_db'");
    rest_sql("INSERT INTO ab_permission (id, name) SELECT nextval('ab_permission_id_seq'), 'database_access'"
             " WHERE NOT EXISTS (SELECT 1 FROM ab_permission WHERE name = 'database_access')");
    rest_sql("INSERT INTO ab_permission_view (id, permission_id, view_menu_id) SELECT nextval('ab_permission_view_id_seq'),"
             " p.id, v.id FROM ab_permission p, ab_view_menu v WHERE p.name = 'database_access' AND v.name LIKE '[lt_dash_db]%'"
             " AND NOT EXISTS (SELECT 1 FROM ab_permission_view x WHERE x.permission_id = p.id AND x.view_menu_id = v.id)");
    rest_sql("INSERT INTO ab_role (id, name) SELECT nextval('ab_role_id_seq'), 'lt_dash_access'"
             " WHERE NOT EXISTS (SELECT 1 FROM ab_role WHERE name = 'lt_dash_access')");
    rest_sql("INSERT INTO ab_permission_view_role (id, permission_view_id, role_id) SELECT"
             " nextval('ab_permission_view_role_id_seq'), pv.id, r.id FROM ab_permission_view pv"
             " JOIN ab_view_menu v ON v.id = pv.view_menu_id, ab_role r WHERE v.name LIKE '[lt_dash_db]%'"
             " AND r.name = 'lt_dash_access' AND NOT EXISTS (SELECT 1 FROM ab_permission_view_role x"
             " WHERE x.permission_view_id = pv.id AND x.role_id = r.id)");
    rest_sql("INSERT INTO ab_user_role (id, user_id, role_id) SELECT nextval('ab_user_role_id_seq'), u.id, r.id"
             " FROM ab_user u, ab_role r WHERE u.username = 'dash_gamma' AND r.name = 'lt_dash_access'"
             " AND NOT EXISTS (SELECT 1 FROM ab_user_role x WHERE x.user_id = u.id AND x.role_id = r.id)");
    snprintf(path, sizeof path, "/api/v1/dashboard/%lld", id);
    j = call(&gamma, "GET", path, NULL, 200);
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(json_object_get(j, "result"), "charts"), 0)),
                     "lt_dash_chart");
    json_decref(j);
    j = call(&gamma, "PUT", path, "{\"dashboard_title\":\"hijack\"}", 403);
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")), "Forbidden");
    json_decref(j);
    json_decref(call(&gamma, "DELETE", path, NULL, 403));
    snprintf(path, sizeof path, "/api/v1/dashboard/?q=!(%lld)", id);
    json_decref(call(&gamma, "DELETE", path, NULL, 403));
    /* DASHBOARD_RBAC is off: a role on the dashboard changes nothing for Gamma */
    snprintf(sql, sizeof sql, "INSERT INTO dashboard_roles (role_id, dashboard_id) SELECT id, %lld FROM ab_role"
                              " WHERE name = 'Admin'", id);
    rest_sql(sql);
    snprintf(path, sizeof path, "/api/v1/dashboard/%lld", id);
    json_decref(call(&gamma, "GET", path, NULL, 200));
    /* unpublished: invisible again */
    json_decref(call(&admin, "PUT", path, "{\"published\":false}", 200));
    json_decref(call(&gamma, "GET", path, NULL, 404));

    /* bulk delete (the chart fixture stays for the next run's cleanup) */
    snprintf(path, sizeof path, "/api/v1/dashboard/?q=!(%lld,987654)", id);
    json_decref(call(&admin, "DELETE", path, NULL, 404));
    snprintf(path, sizeof path, "/api/v1/dashboard/?q=!(%lld)", id);
    j = call(&admin, "DELETE", path, NULL, 200);
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")), "Deleted 1 dashboard");
    json_decref(j);
    json_decref(call(&admin, "DELETE", path, NULL, 404));
}
