/* The remaining /api/v1/database/<pk>/ endpoints with the stack's own
 * PostgreSQL registered as a target: function_names, table_metadata/extra,
 * the deprecated table_extra/ and table/ paths, schemas_access_for_file_upload,
 * DELETE ssh_tunnel/ (SSH_TUNNELING off and on), validate_sql and
 * sync_permissions; Admin,
 * Gamma, unknown ids and bad input. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/integration/harness.h"
#include "tests/integration/rest_client.h"

static long long setup(rest_session_t *admin) {
    rest_sql("DROP SCHEMA IF EXISTS liteset_x CASCADE");
    rest_sql("CREATE SCHEMA liteset_x");
    rest_sql("CREATE TABLE liteset_x.item (id integer PRIMARY KEY, label text)");
    return rest_add_target_db(admin, "liteset_x_db",
                              "\"extra\":\"{\\\"schemas_allowed_for_file_upload\\\": [\\\"liteset_x\\\", \\\"public\\\","
                              " \\\"liteset_x\\\"]}\"");
}

static void teardown_db(void) {
    rest_sql("DELETE FROM ssh_tunnels WHERE database_id IN (SELECT id FROM dbs WHERE database_name = 'liteset_x_db')");
    rest_sql("DELETE FROM dbs WHERE database_name = 'liteset_x_db'");
    rest_sql("DROP SCHEMA IF EXISTS liteset_x CASCADE");
    rest_sql("DELETE FROM ab_permission_view_role WHERE permission_view_id IN (SELECT pv.id FROM ab_permission_view pv"
             " JOIN ab_view_menu v ON v.id = pv.view_menu_id WHERE v.name LIKE '[liteset\\_x\\_db].%')");
    rest_sql("DELETE FROM ab_permission_view WHERE view_menu_id IN (SELECT id FROM ab_view_menu WHERE name LIKE"
             " '[liteset\\_x\\_db].%')");
    rest_sql("DELETE FROM ab_view_menu WHERE name LIKE '[liteset\\_x\\_db].%'");
}

static json_t *call(rest_session_t *s, const char *method, const char *fmt, long long id, const char *body, int want) {
    char path[512];
    snprintf(path, sizeof path, fmt, id);
    return rest_expect(s, method, path, body, want);
}

static void expect_message(json_t *j, const char *message) {
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")), message, "%s", json_dumps(j, 0));
    json_decref(j);
}

/* Compact JSON text in a static buffer. */
static const char *compact(const json_t *j, size_t flags) {
    static char buf[4096];
    cr_assert(json_dumpb(j, buf, sizeof buf - 1, JSON_COMPACT | flags) < sizeof buf - 1);
    buf[json_dumpb(j, buf, sizeof buf - 1, JSON_COMPACT | flags)] = 0;
    return buf;
}

static const char *first_error(json_t *j, const char *key) {
    return json_string_value(json_object_get(json_array_get(json_object_get(j, "errors"), 0), key));
}

Test(database_extras, reads) {
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    long long db = setup(&admin);

    json_t *j = call(&admin, "GET", "/api/v1/database/%lld/function_names/", db, NULL, 200);
    cr_assert_str_eq(compact(j, 0), "{\"function_names\":[]}");
    json_decref(j);
    expect_message(call(&admin, "GET", "/api/v1/database/%lld/function_names/", 99999999, NULL, 404), "Not found");

    /* extra metadata: the PostgreSQL spec has none */
    j = call(&admin, "GET", "/api/v1/database/%lld/table_metadata/extra/?name=item&schema=liteset_x", db, NULL, 200);
    cr_assert_eq(json_object_size(j), 0);
    json_decref(j);
    j = call(&admin, "GET", "/api/v1/database/%lld/table_metadata/extra/?schema=liteset_x", db, NULL, 422);
    cr_assert_str_eq(first_error(j, "error_type"), "INVALID_PAYLOAD_SCHEMA_ERROR");
    json_decref(j);
    j = call(&admin, "GET", "/api/v1/database/%lld/table_metadata/extra/?name=item", 99999999, NULL, 404);
    cr_assert_str_eq(first_error(j, "error_type"), "DATABASE_NOT_FOUND_ERROR");
    json_decref(j);
    j = call(&admin, "GET", "/api/v1/database/%lld/table_extra/item/liteset_x/", db, NULL, 200);
    cr_assert_eq(json_object_size(j), 0);
    json_decref(j);
    /* the schema "null" is no schema; any table name is looked up as given */
    j = call(&admin, "GET", "/api/v1/database/%lld/table_extra/undefined/null/", db, NULL, 200);
    json_decref(j);
    j = call(&admin, "GET", "/api/v1/database/%lld/table_metadata/extra/?name=item&bogus=1", db, NULL, 422);
    cr_assert_str_eq(compact(json_object_get(json_array_get(json_object_get(j, "errors"), 0), "extra"), JSON_SORT_KEYS),
                     "{\"issue_codes\":[{\"code\":1020,\"message\":\"Issue 1020 - The submitted payload has the"
                     " incorrect schema.\"}],\"messages\":{\"bogus\":[\"Unknown field.\"]}}");
    json_decref(j);
    expect_message(call(&admin, "GET", "/api/v1/database/%lld/table_extra/item/liteset_x/", 99999999, NULL, 404),
                   "Not found");

    /* the deprecated table metadata path */
    j = call(&admin, "GET", "/api/v1/database/%lld/table/item/liteset_x/", db, NULL, 200);
    cr_assert_str_eq(json_string_value(json_object_get(j, "name")), "item");
    json_t *cols = json_object_get(j, "columns");
    cr_assert_eq(json_array_size(cols), 2, "%s", json_dumps(j, 0));
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(cols, 0), "name")), "id");
    cr_assert_str_eq(json_string_value(json_object_get(j, "selectStar")), "SELECT\n  *\nFROM liteset_x.item\nLIMIT 100");
    json_decref(j);
    expect_message(call(&admin, "GET", "/api/v1/database/%lld/table/nope/liteset_x/", db, NULL, 422), "nope");
    expect_message(call(&admin, "GET", "/api/v1/database/%lld/table/item/liteset_x/", 99999999, NULL, 404),
                   "Not found");

    /* schemas for file upload: the extra's list, once each */
    j = call(&admin, "GET", "/api/v1/database/%lld/schemas_access_for_file_upload/", db, NULL, 200);
    cr_assert_str_eq(compact(j, 0), "{\"schemas\":[\"liteset_x\",\"public\"]}");
    json_decref(j);
    expect_message(call(&admin, "GET", "/api/v1/database/%lld/schemas_access_for_file_upload/", 99999999, NULL, 404),
                   "Not found");
    /* an older extra holding the list as a Python literal */
    rest_sql("UPDATE dbs SET extra = '{\"schemas_allowed_for_file_upload\": \"[''public'', ''liteset_x'']\"}'"
             " WHERE database_name = 'liteset_x_db'");
    j = call(&admin, "GET", "/api/v1/database/%lld/schemas_access_for_file_upload/", db, NULL, 200);
    cr_assert_str_eq(compact(j, 0), "{\"schemas\":[\"public\",\"liteset_x\"]}");
    json_decref(j);
    rest_sql("UPDATE dbs SET extra = '{\"schemas_allowed_for_file_upload\": [\"liteset_x\", \"public\"]}'"
             " WHERE database_name = 'liteset_x_db'");

    /* Gamma does not see the database, and may not reach its tables */
    rest_create_user("Gamma", "db_x_gamma");
    rest_session_t gamma;
    rest_open(&gamma, "db_x_gamma", "db_x_gamma");
    json_decref(call(&gamma, "GET", "/api/v1/database/%lld/function_names/", db, NULL, 404));
    json_decref(call(&gamma, "GET", "/api/v1/database/%lld/schemas_access_for_file_upload/", db, NULL, 404));
    json_decref(call(&gamma, "GET", "/api/v1/database/%lld/table_extra/item/liteset_x/", db, NULL, 404));
    json_decref(call(&gamma, "GET", "/api/v1/database/%lld/table/item/liteset_x/", db, NULL, 404));
    j = call(&gamma, "GET", "/api/v1/database/%lld/table_metadata/extra/?name=item", db, NULL, 404);
    cr_assert_str_eq(first_error(j, "error_type"), "DATABASE_NOT_FOUND_ERROR");
    json_decref(j);

    /* a Gamma user with schema access on liteset_x sees that schema only */
    rest_create_user("Gamma", "db_x_schema");
    rest_grant("liteset_x_schema", "schema_access", "[liteset_x_db].[liteset_x]");
    rest_add_user_role("db_x_schema", "liteset_x_schema");
    sleep(11); /* the workers' permission cache (LITESET_SECURITY_CACHE_TTL) */
    rest_session_t reader;
    rest_open(&reader, "db_x_schema", "db_x_schema");
    j = call(&reader, "GET", "/api/v1/database/%lld/schemas_access_for_file_upload/", db, NULL, 200);
    cr_assert_str_eq(compact(j, 0), "{\"schemas\":[\"liteset_x\"]}");
    json_decref(j);
    j = call(&reader, "GET", "/api/v1/database/%lld/table_extra/item/liteset_x/", db, NULL, 200);
    json_decref(j);
    json_decref(call(&reader, "GET", "/api/v1/database/%lld/table_extra/pg_class/pg_catalog/", db, NULL, 404));
    teardown_db();
}

Test(database_extras, delete_ssh_tunnel) {
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    long long db = setup(&admin);
    expect_message(call(&admin, "DELETE", "/api/v1/database/%lld/ssh_tunnel/", db, NULL, 404), "Not found");
    expect_message(call(&admin, "DELETE", "/api/v1/database/%lld/ssh_tunnel/", 99999999, NULL, 404), "Not found");
    char sql[512];
    snprintf(sql, sizeof sql, "INSERT INTO ssh_tunnels (id, database_id, server_address, server_port, uuid) VALUES"
                              " ((SELECT coalesce(max(id), 0) + 1 FROM ssh_tunnels), %lld, 'bastion', 22,"
                              " gen_random_uuid())", db);
    rest_sql(sql);
    expect_message(call(&admin, "DELETE", "/api/v1/database/%lld/ssh_tunnel/", db, NULL, 400),
                   "SSH Tunneling is not enabled");
    rest_create_user("Gamma", "db_x_gamma");
    rest_session_t gamma;
    rest_open(&gamma, "db_x_gamma", "db_x_gamma");
    json_decref(call(&gamma, "DELETE", "/api/v1/database/%lld/ssh_tunnel/", db, NULL, 403));
    rest_config("FEATURE_FLAGS = {'SSH_TUNNELING': True}\n");
    rest_open(&admin, "admin", "admin");
    expect_message(call(&admin, "DELETE", "/api/v1/database/%lld/ssh_tunnel/", db, NULL, 200), "OK");
    snprintf(sql, sizeof sql, "SELECT count(*) FROM ssh_tunnels WHERE database_id = %lld", db);
    cr_assert_str_eq(rest_sql(sql), "0");
    expect_message(call(&admin, "DELETE", "/api/v1/database/%lld/ssh_tunnel/", db, NULL, 404), "Not found");
    rest_config(NULL);
    teardown_db();
}

Test(database_extras, validate_sql) {
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    long long db = setup(&admin);
    json_t *j = call(&admin, "POST", "/api/v1/database/%lld/validate_sql/", db, "{\"schema\": 3}", 400);
    cr_assert_str_eq(compact(json_object_get(j, "message"), JSON_SORT_KEYS),
                     "{\"schema\":[\"Not a valid string.\"],\"sql\":[\"Missing data for required field.\"]}");
    json_decref(j);
    json_decref(call(&admin, "POST", "/api/v1/database/%lld/validate_sql/", 99999999, "{\"sql\": \"SELECT 1\"}", 404));
    /* PostgreSQL's validator (pgsanity) is not available: a clear engine error */
    j = call(&admin, "POST", "/api/v1/database/%lld/validate_sql/", db, "{\"sql\": \"SELECT 1\"}", 422);
    cr_assert_str_eq(first_error(j, "error_type"), "GENERIC_DB_ENGINE_ERROR");
    cr_assert(!strncmp(first_error(j, "message"), "PostgreSQLValidator was unable to check your query.", 51));
    json_decref(j);
    /* an engine without a validator */
    rest_sql("DELETE FROM dbs WHERE database_name = 'liteset_x_mysql'");
    long long my = atoll(rest_sql("INSERT INTO dbs (database_name, sqlalchemy_uri, uuid, allow_file_upload,"
                                  " is_managed_externally) VALUES ('liteset_x_mysql', 'mysql://u@h/d', gen_random_uuid(),"
                                  " false, false) RETURNING id"));
    j = call(&admin, "POST", "/api/v1/database/%lld/validate_sql/", my, "{\"sql\": \"SELECT 1\"}", 422);
    cr_assert_str_eq(first_error(j, "message"), "no SQL validator is configured for mysql");
    cr_assert_str_eq(first_error(j, "error_type"), "GENERIC_DB_ENGINE_ERROR");
    json_decref(j);
    rest_sql("DELETE FROM dbs WHERE database_name = 'liteset_x_mysql'");
    /* no validators configured at all */
    rest_config("SQL_VALIDATORS_BY_ENGINE = {}\n");
    rest_open(&admin, "admin", "admin");
    j = call(&admin, "POST", "/api/v1/database/%lld/validate_sql/", db, "{\"sql\": \"SELECT 1\"}", 422);
    cr_assert_str_eq(first_error(j, "message"), "no SQL validator is configured for postgresql");
    json_decref(j);
    rest_config(NULL);
    /* Gamma cannot see the database */
    rest_create_user("Gamma", "db_x_gamma");
    rest_session_t gamma;
    rest_open(&gamma, "db_x_gamma", "db_x_gamma");
    json_decref(call(&gamma, "POST", "/api/v1/database/%lld/validate_sql/", db, "{\"sql\": \"SELECT 1\"}", 404));
    teardown_db();
}

static const char *pvm_count(const char *perm, const char *view) {
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM ab_permission_view pv JOIN ab_permission p ON p.id ="
                              " pv.permission_id JOIN ab_view_menu v ON v.id = pv.view_menu_id WHERE p.name = '%s'"
                              " AND v.name = '%s'", perm, view);
    return rest_sql(sql);
}

Test(database_extras, sync_permissions) {
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    long long db = setup(&admin);
    teardown_db(); /* no permissions left from earlier runs */
    db = setup(&admin);
    char catalog[256], schema[512];
    snprintf(catalog, sizeof catalog, "[liteset_x_db].[%s]", harness_env("LITESET_TEST_DB"));
    snprintf(schema, sizeof schema, "[liteset_x_db].[%s].[liteset_x]", harness_env("LITESET_TEST_DB"));
    cr_assert_str_eq(pvm_count("schema_access", schema), "0");
    expect_message(call(&admin, "POST", "/api/v1/database/%lld/sync_permissions/", db, "{}", 200),
                   "Permissions successfully synced");
    cr_assert_str_eq(pvm_count("catalog_access", catalog), "1");
    cr_assert_str_eq(pvm_count("schema_access", schema), "1");
    snprintf(schema, sizeof schema, "[liteset_x_db].[%s].[public]", harness_env("LITESET_TEST_DB"));
    cr_assert_str_eq(pvm_count("schema_access", schema), "1");
    /* a new schema appears on the next sync, nothing is duplicated */
    rest_sql("CREATE SCHEMA liteset_x2");
    expect_message(call(&admin, "POST", "/api/v1/database/%lld/sync_permissions/", db, NULL, 200),
                   "Permissions successfully synced");
    rest_sql("DROP SCHEMA liteset_x2");
    snprintf(schema, sizeof schema, "[liteset_x_db].[%s].[liteset_x2]", harness_env("LITESET_TEST_DB"));
    cr_assert_str_eq(pvm_count("schema_access", schema), "1");
    cr_assert_str_eq(pvm_count("catalog_access", catalog), "1");

    json_t *j = call(&admin, "POST", "/api/v1/database/%lld/sync_permissions/", 99999999, NULL, 404);
    cr_assert_str_eq(first_error(j, "message"), "Database not found.");
    cr_assert_str_eq(first_error(j, "error_type"), "GENERIC_COMMAND_ERROR");
    json_decref(j);

    /* an unreachable database */
    rest_sql("DELETE FROM dbs WHERE database_name = 'liteset_x_down'");
    long long down = atoll(rest_sql("INSERT INTO dbs (database_name, sqlalchemy_uri, uuid, allow_file_upload,"
                                    " is_managed_externally) VALUES ('liteset_x_down', 'postgresql://u@127.0.0.1:1/d',"
                                    " gen_random_uuid(), false, false) RETURNING id"));
    j = call(&admin, "POST", "/api/v1/database/%lld/sync_permissions/", down, NULL, 500);
    cr_assert_str_eq(first_error(j, "message"), "Connection failed, please check your connection settings");
    json_decref(j);
    rest_sql("DELETE FROM dbs WHERE database_name = 'liteset_x_down'");

    /* Gamma may not write databases */
    rest_create_user("Gamma", "db_x_gamma");
    rest_session_t gamma;
    rest_open(&gamma, "db_x_gamma", "db_x_gamma");
    json_decref(call(&gamma, "POST", "/api/v1/database/%lld/sync_permissions/", db, NULL, 403));

    /* the async mode's answer */
    rest_config("SYNC_DB_PERMISSIONS_IN_ASYNC_MODE = True\n");
    rest_open(&admin, "admin", "admin");
    expect_message(call(&admin, "POST", "/api/v1/database/%lld/sync_permissions/", db, NULL, 202),
                   "Async task created to sync permissions");
    rest_config(NULL);
    teardown_db();
}
