/* /api/v1/theme: ThemePostSchema / ThemePutSchema errors (400), create and
 * update answers {id, result}, the theme_all_text filter, system themes
 * (403 on is_system, 422 when set as system default), bulk delete nouns,
 * missing ids (404) and the rison list schema (400). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/integration/harness.h"
#include "tests/integration/rest_client.h"

static const char *msg_of(json_t *j, const char *field) {
    return json_string_value(json_array_get(json_object_get(json_object_get(j, "message"), field), 0));
}

static long long post_theme(rest_session_t *s, const char *name) {
    char body[256];
    snprintf(body, sizeof body, "{\"theme_name\":\"%s\",\"json_data\":\"{\\\"algorithm\\\":\\\"dark\\\",\\\"token\\\":{}}\"}",
             name);
    int st;
    json_t *j = rest_call(s, "POST", "/api/v1/theme/", body, &st);
    cr_assert_eq(st, 201, "%d %s", st, json_dumps(j, 0));
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "result"), "theme_name")), name);
    long long id = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
    return id;
}

Test(theme, validation) {
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    int st;
    json_t *j = rest_call(&admin, "POST", "/api/v1/theme/", "{\"theme_name\":\"  \",\"json_data\":\"{bad\",\"x\":1}", &st);
    cr_assert_eq(st, 400, "%s", json_dumps(j, 0));
    cr_assert_str_eq(msg_of(j, "theme_name"), "Theme name cannot be empty.");
    cr_assert_str_eq(msg_of(j, "json_data"), "Invalid JSON configuration");
    cr_assert_str_eq(msg_of(j, "x"), "Unknown field.");
    json_decref(j);
    j = rest_call(&admin, "POST", "/api/v1/theme/", "{\"theme_name\":\"v\",\"json_data\":\"{\\\"algorithm\\\":[\\\"nope\\\"]}\"}",
                  &st);
    cr_assert_eq(st, 400);
    cr_assert_str_eq(msg_of(j, "json_data"), "Invalid theme configuration structure");
    json_decref(j);
    j = rest_call(&admin, "POST", "/api/v1/theme/", "{\"theme_name\":null}", &st);
    cr_assert_eq(st, 400);
    cr_assert_str_eq(msg_of(j, "theme_name"), "Field may not be null.");
    cr_assert_str_eq(msg_of(j, "json_data"), "Missing data for required field.");
    json_decref(j);
    j = rest_call(&admin, "POST", "/api/v1/theme/", "{}", &st);
    cr_assert_eq(st, 400);
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")), "Request body is required");
    json_decref(j);
    j = rest_call(&admin, "POST", "/api/v1/theme/", "[1]", &st);
    cr_assert_eq(st, 400);
    cr_assert_str_eq(msg_of(j, "_schema"), "Invalid input type.");
    json_decref(j);
}

Test(theme, crud_filter_system_rules) {
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    long long id = post_theme(&admin, "liteset theme one");
    long long id2 = post_theme(&admin, "liteset theme two");
    int st;
    char path[160];

    json_t *j = rest_call(&admin, "GET",
                          "/api/v1/theme/?q=(filters:!((col:theme_name,opr:theme_all_text,value:'theme%20one')))", NULL, &st);
    cr_assert_eq(st, 200, "%s", json_dumps(j, 0));
    cr_assert_eq(json_integer_value(json_object_get(j, "count")), 1);
    cr_assert_str_eq(json_string_value(json_object_get(j, "list_title")), "List Theme");
    json_t *row = json_array_get(json_object_get(j, "result"), 0);
    cr_assert_eq(json_integer_value(json_object_get(row, "id")), id);
    cr_assert(json_is_false(json_object_get(row, "is_system")));
    cr_assert_str_eq(json_string_value(json_object_get(row, "changed_by_name")), "Admin User");
    cr_assert_eq(strlen(json_string_value(json_object_get(row, "uuid"))), 36);
    json_decref(j);

    /* PUT keeps only theme_name / json_data and answers {id, result} */
    snprintf(path, sizeof path, "/api/v1/theme/%lld", id);
    j = rest_call(&admin, "PUT", path, "{\"theme_name\":\"liteset renamed\",\"json_data\":\"{}\",\"is_system\":true}", &st);
    cr_assert_eq(st, 200, "%s", json_dumps(j, 0));
    cr_assert_eq(json_integer_value(json_object_get(j, "id")), id);
    cr_assert_null(json_object_get(json_object_get(j, "result"), "is_system"));
    json_decref(j);
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT theme_name || ':' || is_system FROM themes WHERE id = %lld", id);
    cr_assert_str_eq(rest_sql(sql), "liteset renamed:false");
    j = rest_call(&admin, "PUT", "/api/v1/theme/999999", "{\"theme_name\":\"x\",\"json_data\":\"{}\"}", &st);
    cr_assert_eq(st, 404);
    json_decref(j);

    /* system themes: read-only (403); set as system default: not deletable (422) */
    snprintf(sql, sizeof sql, "UPDATE themes SET is_system = true WHERE id = %lld", id2);
    rest_sql(sql);
    snprintf(path, sizeof path, "/api/v1/theme/%lld", id2);
    j = rest_call(&admin, "PUT", path, "{\"theme_name\":\"x\",\"json_data\":\"{}\"}", &st);
    cr_assert_eq(st, 403, "%s", json_dumps(j, 0));
    json_decref(j);
    j = rest_call(&admin, "DELETE", path, NULL, &st);
    cr_assert_eq(st, 403);
    json_decref(j);
    snprintf(sql, sizeof sql, "UPDATE themes SET is_system = false, is_system_default = true WHERE id = %lld", id2);
    rest_sql(sql);
    j = rest_call(&admin, "DELETE", path, NULL, &st);
    cr_assert_eq(st, 422);
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")),
                     "Cannot delete theme that is set as system default or dark theme.");
    json_decref(j);
    snprintf(sql, sizeof sql, "UPDATE themes SET is_system_default = false WHERE id = %lld", id2);
    rest_sql(sql);

    /* bulk delete: schema, missing ids, nouns */
    j = rest_call(&admin, "DELETE", "/api/v1/theme/?q=!('a')", NULL, &st);
    cr_assert_eq(st, 400);
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")), "Not a valid rison schema 'a' is not of type 'integer'");
    json_decref(j);
    j = rest_call(&admin, "DELETE", "/api/v1/theme/", NULL, &st);
    cr_assert_eq(st, 400);
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")), "Not a valid rison schema {} is not of type 'array'");
    json_decref(j);
    snprintf(path, sizeof path, "/api/v1/theme/?q=!(%lld,999999)", id);
    j = rest_call(&admin, "DELETE", path, NULL, &st);
    cr_assert_eq(st, 404);
    json_decref(j);
    snprintf(path, sizeof path, "/api/v1/theme/?q=!(%lld,%lld)", id, id2);
    j = rest_call(&admin, "DELETE", path, NULL, &st);
    cr_assert_eq(st, 200, "%s", json_dumps(j, 0));
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")), "Deleted 2 themes");
    json_decref(j);
    long long id3 = post_theme(&admin, "liteset theme three");
    snprintf(path, sizeof path, "/api/v1/theme/%lld", id3);
    j = rest_call(&admin, "DELETE", path, NULL, &st);
    cr_assert_eq(st, 200);
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")), "Deleted 1 theme");
    json_decref(j);
    j = rest_call(&admin, "DELETE", path, NULL, &st);
    cr_assert_eq(st, 404);
    json_decref(j);
}

Test(theme, info_permissions) {
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    int st;
    json_t *j = rest_call(&admin, "GET", "/api/v1/theme/_info", NULL, &st);
    cr_assert_eq(st, 200);
    json_t *perms = json_object_get(j, "permissions");
    cr_assert_eq(json_array_size(perms), 3, "%s", json_dumps(perms, 0));
    cr_assert_str_eq(json_string_value(json_array_get(perms, 0)), "can_export");
    json_t *add = json_array_get(json_object_get(j, "add_columns"), 1);
    cr_assert_str_eq(json_string_value(json_object_get(add, "name")), "theme_name");
    cr_assert(json_is_true(json_object_get(add, "required")));
    cr_assert_null(json_object_get(add, "validate"));
    json_decref(j);
    /* only changed_by has a related text filter; created_by ignores it */
    j = rest_call(&admin, "GET", "/api/v1/theme/related/changed_by?q=(filter:zzzz_nobody)", NULL, &st);
    cr_assert_eq(st, 200, "%s", json_dumps(j, 0));
    cr_assert_eq(json_integer_value(json_object_get(j, "count")), 0);
    json_decref(j);
    j = rest_call(&admin, "GET", "/api/v1/theme/related/created_by?q=(filter:zzzz_nobody)", NULL, &st);
    cr_assert_eq(st, 200, "%s", json_dumps(j, 0));
    cr_assert_geq(json_integer_value(json_object_get(j, "count")), 1);
    json_decref(j);
}

Test(theme, system_switches) {
    rest_create_user("Alpha", "theme_alpha");
    rest_session_t admin, alpha;
    rest_open(&admin, "admin", "admin");
    rest_open(&alpha, "theme_alpha", "theme_alpha");
    long long a = post_theme(&admin, "liteset sys a");
    long long b = post_theme(&admin, "liteset sys b");
    int st;
    char path[160], sql[200];
    snprintf(path, sizeof path, "/api/v1/theme/%lld/set_system_default", a);
    json_t *j = rest_call(&alpha, "PUT", path, NULL, &st);
    cr_assert_eq(st, 403, "admins only");
    json_decref(j);
    j = rest_call(&admin, "PUT", path, NULL, &st);
    cr_assert_eq(st, 200, "%s", json_dumps(j, 0));
    cr_assert_eq(json_integer_value(json_object_get(j, "id")), a);
    cr_assert_str_eq(json_string_value(json_object_get(j, "result")), "success");
    json_decref(j);
    snprintf(path, sizeof path, "/api/v1/theme/%lld/set_system_default", b);
    j = rest_call(&admin, "PUT", path, NULL, &st);
    cr_assert_eq(st, 200);
    json_decref(j);
    snprintf(sql, sizeof sql, "SELECT string_agg(id::text, ',') FROM themes WHERE is_system_default");
    char want[32];
    snprintf(want, sizeof want, "%lld", b);
    cr_assert_str_eq(rest_sql(sql), want, "one system default at a time");
    j = rest_call(&admin, "PUT", "/api/v1/theme/999999/set_system_dark", NULL, &st);
    cr_assert_eq(st, 404);
    json_decref(j);
    j = rest_call(&admin, "DELETE", "/api/v1/theme/unset_system_default", NULL, &st);
    cr_assert_eq(st, 200, "%s", json_dumps(j, 0));
    cr_assert_str_eq(json_string_value(json_object_get(j, "result")), "success");
    json_decref(j);
    cr_assert_str_eq(rest_sql("SELECT count(*) FROM themes WHERE is_system_default"), "0");
    snprintf(path, sizeof path, "/api/v1/theme/?q=!(%lld,%lld)", a, b);
    j = rest_call(&admin, "DELETE", path, NULL, &st);
    cr_assert_eq(st, 200);
    json_decref(j);
}
