/* /api/v1/saved_query: CRUD, list keys and titles, the all_text filter,
 * SavedQueryFilter (a second user does not see the first one's saved
 * queries), item 404, bulk delete nouns. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/integration/harness.h"
#include "tests/integration/rest_client.h"

Test(saved_query, crud_all_text_owner_filter) {
    rest_create_user("sql_lab", "sq_user");
    /* SQL Lab users are Gamma + sql_lab in Superset: Gamma brings the CSRF token endpoint */
    rest_sql("INSERT INTO ab_user_role (id, user_id, role_id) SELECT nextval('ab_user_role_id_seq'), u.id, r.id"
             " FROM ab_user u, ab_role r WHERE u.username = 'sq_user' AND r.name = 'Gamma'"
             " AND NOT EXISTS (SELECT 1 FROM ab_user_role x WHERE x.user_id = u.id AND x.role_id = r.id)");
    rest_session_t admin, user;
    rest_open(&admin, "admin", "admin");
    rest_open(&user, "sq_user", "sq_user");
    int st;
    json_t *j = rest_call(&admin, "POST", "/api/v1/saved_query/",
                          "{\"label\":\"liteset sq\",\"sql\":\"select needle\",\"schema\":\"public\"}", &st);
    cr_assert_eq(st, 201, "%s", json_dumps(j, 0));
    long long id = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT user_id FROM saved_query WHERE id = %lld", id);
    cr_assert_str_eq(rest_sql(sql), "1", "the creator owns it");

    j = rest_call(&admin, "GET", "/api/v1/saved_query/?q=(filters:!((col:label,opr:all_text,value:needle)))", NULL, &st);
    cr_assert_eq(st, 200, "%s", json_dumps(j, 0));
    cr_assert_geq(json_integer_value(json_object_get(j, "count")), 1, "all_text searches sql");
    cr_assert_str_eq(json_string_value(json_object_get(j, "list_title")), "List Saved Query");
    json_t *row = json_array_get(json_object_get(j, "result"), 0);
    cr_assert(json_is_object(json_object_get(row, "extra")));
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(row, "created_by"), "first_name")), "Admin");
    json_decref(j);

    char path[128];
    snprintf(path, sizeof path, "/api/v1/saved_query/%lld", id);
    j = rest_call(&user, "GET", path, NULL, &st);
    cr_assert_eq(st, 404, "another user's saved query");
    json_decref(j);
    j = rest_call(&user, "GET", "/api/v1/saved_query/?q=(filters:!((col:label,opr:all_text,value:needle)))", NULL, &st);
    cr_assert_eq(st, 200);
    cr_assert_eq(json_integer_value(json_object_get(j, "count")), 0);
    json_decref(j);
    /* writes on rows the user cannot see answer 404 and change nothing */
    j = rest_call(&user, "PUT", path, "{\"description\":\"hijacked\"}", &st);
    cr_assert_eq(st, 404, "another user's saved query cannot be edited (got %d: %s)", st, json_dumps(j, 0));
    json_decref(j);
    j = rest_call(&user, "DELETE", path, NULL, &st);
    cr_assert_eq(st, 404, "another user's saved query cannot be deleted");
    json_decref(j);

    j = rest_call(&admin, "PUT", path, "{\"description\":\"d\",\"rows\":3}", &st);
    cr_assert_eq(st, 422, "rows is not an edit column");
    json_decref(j);
    j = rest_call(&admin, "GET", "/api/v1/saved_query/distinct/schema", NULL, &st);
    cr_assert_eq(st, 200);
    cr_assert_geq(json_integer_value(json_object_get(j, "count")), 1);
    json_decref(j);

    snprintf(path, sizeof path, "/api/v1/saved_query/?q=!(%lld)", id);
    j = rest_call(&admin, "DELETE", path, NULL, &st);
    cr_assert_eq(st, 200);
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")), "Deleted 1 saved query");
    json_decref(j);
    j = rest_call(&admin, "DELETE", path, NULL, &st);
    cr_assert_eq(st, 404);
    json_decref(j);
}
