/* /api/v1/database: list / item keys and titles, derived columns, the
 * DatabaseFilter (a Gamma user sees nothing until granted database_access),
 * the password kept out of every response and stored as EncryptedType under
 * the stack's SECRET_KEY, duplicate names, delete. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/encrypted_type.h"
#include "tests/integration/harness.h"
#include "tests/integration/rest_client.h"

#define STACK_SECRET "reference-secret-key-change-me"

static void assert_no_secret(json_t *j, const char *where) {
    char *text = json_dumps(j, 0);
    cr_assert_null(strstr(text, "s3cr%t-pw"), "%s leaks the password: %s", where, text);
    cr_assert_null(strstr(text, "s3cr%25t-pw"), "%s leaks the quoted password: %s", where, text);
    free(text);
}

Test(database, crud_password_and_access_filter) {
    rest_sql("DELETE FROM dbs WHERE database_name LIKE 'liteset_db%'");
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    int st;
    json_t *j = rest_call(&admin, "POST", "/api/v1/database/",
                          "{\"database_name\":\"liteset_db1\","
                          "\"sqlalchemy_uri\":\"postgresql://scott:s3cr%25t-pw@db.example:5432/shop\","
                          "\"extra\":\"{\\\"allows_virtual_table_explore\\\": false, \\\"cost_estimate_enabled\\\": true}\","
                          "\"encrypted_extra\":\"{}\",\"expose_in_sqllab\":true}",
                          &st);
    cr_assert_eq(st, 201, "%d %s", st, json_dumps(j, 0));
    long long id = json_integer_value(json_object_get(j, "id"));
    assert_no_secret(j, "POST");
    json_decref(j);

    /* stored: masked URI, EncryptedType password of the unquoted value */
    char sql[1024];
    snprintf(sql, sizeof sql, "SELECT sqlalchemy_uri FROM dbs WHERE id = %lld", id);
    cr_assert_str_eq(rest_sql(sql), "postgresql://scott:XXXXXXXXXX@db.example:5432/shop");
    snprintf(sql, sizeof sql, "SELECT convert_from(password, 'UTF8') FROM dbs WHERE id = %lld", id);
    arena_t *a = arena_new(0);
    char *stored = arena_strdup(a, rest_sql(sql));
    cr_assert_str_eq(encrypted_type_decrypt(a, STACK_SECRET, stored), "s3cr%t-pw");
    cr_assert_str_eq(stored, encrypted_type_encrypt(a, STACK_SECRET, "s3cr%t-pw", 9));
    snprintf(sql, sizeof sql, "SELECT convert_from(encrypted_extra, 'UTF8') FROM dbs WHERE id = %lld", id);
    cr_assert_str_eq(encrypted_type_decrypt(a, STACK_SECRET, rest_sql(sql)), "{}");
    /* its database_access permission exists */
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM ab_permission_view pv JOIN ab_permission p ON p.id = pv.permission_id"
             " JOIN ab_view_menu v ON v.id = pv.view_menu_id WHERE p.name = 'database_access'"
             " AND v.name = '[liteset_db1].(id:%lld)'", id);
    cr_assert_str_eq(rest_sql(sql), "1");

    /* a PUT keeping the mask keeps the password */
    char path[96];
    snprintf(path, sizeof path, "/api/v1/database/%lld", id);
    j = rest_call(&admin, "PUT", path,
                  "{\"sqlalchemy_uri\":\"postgresql://scott:XXXXXXXXXX@db.example:5432/shop2\"}", &st);
    cr_assert_eq(st, 200, "%d %s", st, json_dumps(j, 0));
    json_decref(j);
    snprintf(sql, sizeof sql, "SELECT convert_from(password, 'UTF8') FROM dbs WHERE id = %lld", id);
    cr_assert_str_eq(rest_sql(sql), stored, "masked password keeps the stored one");

    j = rest_call(&admin, "GET", path, NULL, &st);
    cr_assert_eq(st, 200);
    assert_no_secret(j, "GET item");
    json_t *r = json_object_get(j, "result");
    cr_assert_str_eq(json_string_value(json_object_get(r, "backend")), "postgresql");
    cr_assert_str_eq(json_string_value(json_object_get(r, "driver")), "psycopg2");
    cr_assert_null(json_object_get(r, "password"));
    cr_assert_null(json_object_get(r, "sqlalchemy_uri"));
    cr_assert_eq(json_array_size(json_object_get(j, "show_columns")), 17);
    json_decref(j);

    j = rest_call(&admin, "GET", "/api/v1/database/?q=(filters:!((col:database_name,opr:eq,value:liteset_db1)))",
                  NULL, &st);
    cr_assert_eq(st, 200);
    assert_no_secret(j, "GET list");
    cr_assert_str_eq(json_string_value(json_object_get(j, "list_title")), "List Database");
    cr_assert_eq(json_array_size(json_object_get(j, "list_columns")), 26);
    cr_assert_eq(json_integer_value(json_object_get(j, "count")), 1);
    r = json_array_get(json_object_get(j, "result"), 0);
    /* 26 list columns, the four user ones nested under changed_by / created_by */
    cr_assert_eq(json_object_size(r), 24, "exactly the list columns: %s", json_dumps(r, 0));
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(r, "created_by"), "first_name")), "Admin");
    cr_assert(json_is_false(json_object_get(r, "allows_virtual_table_explore")));
    cr_assert(json_is_true(json_object_get(r, "allows_cost_estimate")));
    cr_assert_eq(json_integer_value(json_object_get(r, "explore_database_id")), id);
    cr_assert(json_is_false(json_object_get(r, "disable_data_preview")));
    cr_assert(json_is_true(json_object_get(json_object_get(r, "engine_information"), "supports_dynamic_catalog")));
    json_decref(j);

    /* duplicate name */
    j = rest_call(&admin, "POST", "/api/v1/database/",
                  "{\"database_name\":\"liteset_db1\",\"sqlalchemy_uri\":\"sqlite://\"}", &st);
    cr_assert_eq(st, 400, "%d", st);
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(json_object_get(j, "message"), "database_name"), 0)),
                     "A database with the same name already exists.");
    json_decref(j);

    /* DatabaseFilter: a Gamma user sees nothing; a role granted database_access sees it */
    rest_create_user("Gamma", "db_gamma");
    rest_session_t gamma;
    rest_open(&gamma, "db_gamma", "db_gamma");
    j = rest_call(&gamma, "GET", "/api/v1/database/?q=(filters:!((col:database_name,opr:sw,value:liteset_db)))",
                  NULL, &st);
    cr_assert_eq(st, 200);
    cr_assert_eq(json_integer_value(json_object_get(j, "count")), 0);
    json_decref(j);
    j = rest_call(&gamma, "GET", path, NULL, &st);
    cr_assert_eq(st, 404);
    json_decref(j);
    rest_sql("INSERT INTO ab_role (id, name) SELECT nextval('ab_role_id_seq'), 'liteset_db_reader'"
             " WHERE NOT EXISTS (SELECT 1 FROM ab_role WHERE name = 'liteset_db_reader')");
    snprintf(sql, sizeof sql,
             "INSERT INTO ab_permission_view_role (id, permission_view_id, role_id)"
             " SELECT nextval('ab_permission_view_role_id_seq'), pv.id, r.id FROM ab_permission_view pv"
             " JOIN ab_view_menu v ON v.id = pv.view_menu_id, ab_role r"
             " WHERE v.name = '[liteset_db1].(id:%lld)' AND r.name = 'liteset_db_reader'", id);
    rest_sql(sql);
    rest_create_user("Gamma", "db_granted");
    rest_sql("INSERT INTO ab_user_role (id, user_id, role_id) SELECT nextval('ab_user_role_id_seq'), u.id, r.id"
             " FROM ab_user u, ab_role r WHERE u.username = 'db_granted' AND r.name = 'liteset_db_reader'"
             " AND NOT EXISTS (SELECT 1 FROM ab_user_role x WHERE x.user_id = u.id AND x.role_id = r.id)");
    rest_session_t granted;
    rest_open(&granted, "db_granted", "db_granted");
    j = rest_call(&granted, "GET", "/api/v1/database/?q=(filters:!((col:database_name,opr:sw,value:liteset_db)))",
                  NULL, &st);
    cr_assert_eq(st, 200);
    cr_assert_eq(json_integer_value(json_object_get(j, "count")), 1, "%s", json_dumps(j, 0));
    json_decref(j);

    j = rest_call(&admin, "GET", "/api/v1/database/_info?q=(keys:!(permissions,add_title))", NULL, &st);
    cr_assert_eq(st, 200);
    cr_assert_str_eq(json_string_value(json_object_get(j, "add_title")), "Add Database");
    json_decref(j);

    j = rest_call(&admin, "DELETE", path, NULL, &st);
    cr_assert_eq(st, 200, "%d %s", st, json_dumps(j, 0));
    json_decref(j);
    j = rest_call(&admin, "GET", path, NULL, &st);
    cr_assert_eq(st, 404);
    json_decref(j);
    arena_free(a);
}
