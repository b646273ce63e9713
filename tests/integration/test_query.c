/* /api/v1/query: list keys and titles, QueryFilter (a user without
 * all_query_access sees only their own queries; admin sees all), a
 * filter, distinct status, item 404 for a filtered-out row. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/integration/harness.h"
#include "tests/integration/rest_client.h"

Test(query, own_queries_unless_all_query_access) {
    rest_create_user("sql_lab", "qry_user");
    rest_session_t admin, user;
    rest_open(&admin, "admin", "admin");
    rest_open(&user, "qry_user", "qry_user");
    int st;
    const char *db = rest_sql("INSERT INTO dbs (database_name, sqlalchemy_uri, uuid) VALUES"
                              " ('qry db ' || gen_random_uuid(), 'sqlite://', gen_random_uuid()) RETURNING id");
    char sql[512];
    snprintf(sql, sizeof sql, "INSERT INTO query (client_id, database_id, user_id, status, sql, changed_on, tab_name)"
             " VALUES (substr(md5(random()::text), 1, 11), %s, 1, 'success', 'select 1', localtimestamp, 'qt'),"
             " (substr(md5(random()::text), 1, 11), %s, (SELECT id FROM ab_user WHERE username = 'qry_user'),"
             " 'failed', 'select 2', localtimestamp, 'qt')", db, db);
    rest_sql(sql);
    long long admin_q = atoll(rest_sql("SELECT max(id) FROM query WHERE user_id = 1"));

    json_t *j = rest_call(&admin, "GET", "/api/v1/query/?q=(filters:!((col:sql,opr:sw,value:'select%20')))", NULL, &st);
    cr_assert_eq(st, 200, "%s", json_dumps(j, 0));
    cr_assert_geq(json_integer_value(json_object_get(j, "count")), 2, "admin holds all_query_access");
    cr_assert_str_eq(json_string_value(json_object_get(j, "list_title")), "List Query");
    cr_assert_eq(json_array_size(json_object_get(j, "list_columns")), 26);
    json_decref(j);

    j = rest_call(&user, "GET", "/api/v1/query/", NULL, &st);
    cr_assert_eq(st, 200, "%s", json_dumps(j, 0));
    size_t i;
    json_t *row;
    cr_assert_geq(json_array_size(json_object_get(j, "result")), 1);
    json_array_foreach(json_object_get(j, "result"), i, row)
        cr_assert_str_eq(json_string_value(json_object_get(json_object_get(row, "user"), "first_name")), "qry_user");
    json_decref(j);

    char path[128];
    snprintf(path, sizeof path, "/api/v1/query/%lld", admin_q);
    j = rest_call(&user, "GET", path, NULL, &st);
    cr_assert_eq(st, 404, "another user's query is filtered out");
    json_decref(j);
    j = rest_call(&admin, "GET", path, NULL, &st);
    cr_assert_eq(st, 200);
    cr_assert_str_eq(json_string_value(json_object_get(j, "show_title")), "Show Query");
    json_decref(j);

    j = rest_call(&user, "GET", "/api/v1/query/distinct/status", NULL, &st);
    cr_assert_eq(st, 200, "%s", json_dumps(j, 0));
    /* only the statuses of the user's own queries: "failed", never admin's "success" */
    size_t k;
    json_t *item;
    json_array_foreach(json_object_get(j, "result"), k, item)
        cr_assert_str_neq(json_string_value(json_object_get(item, "value")), "success", "distinct leaked another user's rows");
    json_decref(j);
}
