/* /api/v1/database endpoints that reach the target database, with the
 * stack's own PostgreSQL registered as one: available engines, the
 * connection payload, related objects, schemas / catalogs / tables,
 * table_metadata, select_star and test_connection; access through the
 * DatabaseFilter and bad input. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/encrypted_type.h"
#include "tests/integration/harness.h"
#include "tests/integration/rest_client.h"

static long long setup(rest_session_t *admin) {
    rest_sql("DROP SCHEMA IF EXISTS liteset_t CASCADE");
    rest_sql("CREATE SCHEMA liteset_t");
    rest_sql("CREATE TABLE liteset_t.parent (id integer PRIMARY KEY, name text)");
    rest_sql("CREATE TABLE liteset_t.child (id bigint PRIMARY KEY, parent_id integer REFERENCES liteset_t.parent(id),"
             " at timestamp with time zone)");
    rest_sql("CREATE INDEX child_at ON liteset_t.child (at)");
    rest_sql("CREATE VIEW liteset_t.v AS SELECT 1 AS one");
    rest_sql("COMMENT ON TABLE liteset_t.child IS 'kids'");
    rest_sql("DELETE FROM tables WHERE schema = 'liteset_t'");
    return rest_add_target_db(admin, "liteset_t_db", "\"encrypted_extra\":\"{\\\"key\\\": \\\"secret\\\"}\"");
}

static json_t *get(rest_session_t *s, const char *fmt, long long id, int want) {
    char path[512];
    snprintf(path, sizeof path, fmt, id);
    return rest_expect(s, "GET", path, NULL, want);
}

static bool has_string(json_t *list, const char *s) {
    size_t i;
    json_t *x;
    json_array_foreach(list, i, x) if (json_is_string(x) && !strcmp(json_string_value(x), s)) return true;
    return false;
}

Test(database_target, introspection_and_connection) {
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    long long db = setup(&admin);

    json_t *j = get(&admin, "/api/v1/database/available/", 0, 200);
    json_t *dbs = json_object_get(j, "databases");
    cr_assert_eq(json_array_size(dbs), 1);
    json_t *pg = json_array_get(dbs, 0);
    cr_assert_str_eq(json_string_value(json_object_get(pg, "name")), "PostgreSQL");
    cr_assert_str_eq(json_string_value(json_object_get(pg, "default_driver")), "psycopg2");
    cr_assert(json_is_true(json_object_get(pg, "preferred")));
    cr_assert_eq(json_array_size(json_object_get(json_object_get(pg, "parameters"), "required")), 4);
    json_decref(j);

    j = get(&admin, "/api/v1/database/%lld/connection", db, 200);
    json_t *r = json_object_get(j, "result");
    cr_assert_str_eq(json_string_value(json_object_get(r, "backend")), "postgresql");
    cr_assert_str_eq(json_string_value(json_object_get(r, "driver")), "psycopg2");
    cr_assert_str_eq(json_string_value(json_object_get(r, "masked_encrypted_extra")), "{\"key\": \"XXXXXXXXXX\"}");
    json_t *params = json_object_get(r, "parameters");
    cr_assert_str_eq(json_string_value(json_object_get(params, "database")), harness_env("LITESET_TEST_DB"));
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(params, "query"), "port")),
                     harness_env("LITESET_TEST_PGPORT"));
    cr_assert(json_is_false(json_object_get(params, "encryption")));
    cr_assert(json_object_get(json_object_get(r, "parameters_schema"), "properties"));
    json_decref(j);

    j = get(&admin, "/api/v1/database/%lld/schemas/", db, 200);
    cr_assert(has_string(json_object_get(j, "result"), "liteset_t"), "%s", json_dumps(j, 0));
    cr_assert(has_string(json_object_get(j, "result"), "information_schema"));
    json_decref(j);
    /* another catalog is another database of the server */
    j = get(&admin, "/api/v1/database/%lld/schemas/?q=(catalog:postgres)", db, 200);
    cr_assert_not(has_string(json_object_get(j, "result"), "liteset_t"), "%s", json_dumps(j, 0));
    cr_assert(has_string(json_object_get(j, "result"), "public"));
    json_decref(j);
    j = get(&admin, "/api/v1/database/%lld/schemas/?q=(force:maybe)", db, 400);
    json_decref(j);
    j = get(&admin, "/api/v1/database/%lld/catalogs/", db, 200);
    cr_assert(has_string(json_object_get(j, "result"), harness_env("LITESET_TEST_DB")));
    json_decref(j);

    j = get(&admin, "/api/v1/database/%lld/tables/?q=(schema_name:liteset_t)", db, 200);
    cr_assert_eq(json_integer_value(json_object_get(j, "count")), 3, "%s", json_dumps(j, 0));
    json_t *res = json_object_get(j, "result");
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(res, 0), "value")), "child");
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(res, 2), "type")), "view");
    cr_assert_null(json_object_get(json_array_get(res, 2), "extra"));
    cr_assert(json_is_null(json_object_get(json_array_get(res, 0), "extra")));
    json_decref(j);
    j = get(&admin, "/api/v1/database/%lld/tables/", db, 400);
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")),
                     "Not a valid rison schema 'schema_name' is a required property");
    json_decref(j);

    j = get(&admin, "/api/v1/database/%lld/table_metadata/?name=child&schema=liteset_t", db, 200);
    cr_assert_str_eq(json_string_value(json_object_get(j, "name")), "child");
    cr_assert_str_eq(json_string_value(json_object_get(j, "comment")), "kids");
    cr_assert_str_eq(json_string_value(json_object_get(j, "selectStar")), "SELECT\n  *\nFROM liteset_t.child\nLIMIT 100");
    json_t *cols = json_object_get(j, "columns");
    cr_assert_eq(json_array_size(cols), 3);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(cols, 0), "type")), "BIGINT");
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(cols, 2), "type")), "TIMESTAMP WITH TIME ZONE");
    json_t *fk = json_array_get(json_object_get(j, "foreignKeys"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(fk, "referred_table")), "parent");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(json_object_get(j, "primaryKey"),
                                                                      "constrained_columns"), 0)), "id");
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(j, "indexes"), 0), "name")),
                     "child_at");
    json_decref(j);
    j = get(&admin, "/api/v1/database/%lld/table_metadata/?name=nope&schema=liteset_t", db, 500);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(j, "errors"), 0), "error_type")),
                     "GENERIC_BACKEND_ERROR");
    json_decref(j);
    j = get(&admin, "/api/v1/database/%lld/table_metadata/", db, 422);
    json_decref(j);

    j = get(&admin, "/api/v1/database/%lld/select_star/parent/liteset_t/", db, 200);
    char want[256];
    snprintf(want, sizeof want, "SELECT\n  *\nFROM %s.liteset_t.parent\nLIMIT 100", harness_env("LITESET_TEST_DB"));
    cr_assert_str_eq(json_string_value(json_object_get(j, "result")), want, "the default catalog is named");
    json_decref(j);
    j = get(&admin, "/api/v1/database/%lld/select_star/missing/liteset_t/", db, 404);
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")), "Table not found on the database");
    json_decref(j);

    j = get(&admin, "/api/v1/database/%lld/related_objects/", db, 200);
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(j, "sqllab_tab_states"), "count")), 0);
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(j, "charts"), "count")), 0);
    json_decref(j);

    /* unknown database */
    j = get(&admin, "/api/v1/database/%lld/schemas/", 99999999, 404);
    json_decref(j);
    j = get(&admin, "/api/v1/database/%lld/related_objects/", 99999999, 404);
    json_decref(j);

    /* another engine is refused with its name */
    rest_sql("DELETE FROM dbs WHERE database_name = 'liteset_t_mysql'");
    long long my = atoll(rest_sql("INSERT INTO dbs (database_name, sqlalchemy_uri, uuid, allow_file_upload,"
                                  " is_managed_externally) VALUES ('liteset_t_mysql', 'mysql://u@h/d', gen_random_uuid(),"
                                  " false, false) RETURNING id"));
    j = get(&admin, "/api/v1/database/%lld/schemas/", my, 422);
    cr_assert(strstr(json_string_value(json_object_get(j, "message")), "mysql"), "%s", json_dumps(j, 0));
    json_decref(j);

    /* a Gamma user granted one dataset sees its schema and that table only */
    rest_create_user("Gamma", "db_t_reader");
    char sql[1024];
    snprintf(sql, sizeof sql,
             "WITH n AS (SELECT nextval('tables_id_seq') AS id) INSERT INTO tables (id, table_name, schema, database_id,"
             " perm, uuid, is_managed_externally) SELECT n.id, 'parent', 'liteset_t', %lld, '[liteset_t_db].[parent](id:'"
             " || n.id || ')', gen_random_uuid(), false FROM n RETURNING perm", db);
    char perm[256];
    snprintf(perm, sizeof perm, "%s", rest_sql(sql));
    rest_grant("liteset_t_reader", "datasource_access", perm);
    rest_add_user_role("db_t_reader", "liteset_t_reader");
    rest_session_t reader;
    rest_open(&reader, "db_t_reader", "db_t_reader");
    j = get(&reader, "/api/v1/database/%lld/schemas/", db, 200);
    cr_assert_eq(json_array_size(json_object_get(j, "result")), 1, "%s", json_dumps(j, 0));
    cr_assert(has_string(json_object_get(j, "result"), "liteset_t"));
    json_decref(j);
    j = get(&reader, "/api/v1/database/%lld/tables/?q=(schema_name:liteset_t)", db, 200);
    cr_assert_eq(json_integer_value(json_object_get(j, "count")), 1, "%s", json_dumps(j, 0));
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(j, "result"), 0), "value")),
                     "parent");
    json_decref(j);
    j = get(&reader, "/api/v1/database/%lld/table_metadata/?name=parent&schema=liteset_t", db, 200);
    json_decref(j);
    j = get(&reader, "/api/v1/database/%lld/table_metadata/?name=child&schema=liteset_t", db, 404);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(j, "errors"), 0), "error_type")),
                     "TABLE_NOT_FOUND_ERROR");
    json_decref(j);
    j = get(&reader, "/api/v1/database/%lld/select_star/child/liteset_t/", db, 404);
    json_decref(j);

    /* a database behind an SSH tunnel: shown masked, not connected to directly */
    rest_sql("DELETE FROM ssh_tunnels WHERE database_id IN (SELECT id FROM dbs WHERE database_name = 'liteset_t_ssh')");
    rest_sql("DELETE FROM dbs WHERE database_name = 'liteset_t_ssh'");
    long long ssh = atoll(rest_sql("INSERT INTO dbs (database_name, sqlalchemy_uri, uuid, allow_file_upload,"
                                   " is_managed_externally) VALUES ('liteset_t_ssh', 'postgresql://u@10.0.0.1/d',"
                                   " gen_random_uuid(), false, false) RETURNING id"));
    arena_t *a = arena_new(0);
    snprintf(sql, sizeof sql,
             "INSERT INTO ssh_tunnels (id, database_id, server_address, server_port, username, password, uuid) VALUES"
             " ((SELECT coalesce(max(id), 0) + 1 FROM ssh_tunnels), %lld, 'bastion', 22, convert_to('%s', 'UTF8'),"
             " convert_to('%s', 'UTF8'), gen_random_uuid())", ssh,
             encrypted_type_encrypt(a, "reference-secret-key-change-me", "tunneler", 8),
             encrypted_type_encrypt(a, "reference-secret-key-change-me", "pw", 2));
    rest_sql(sql);
    arena_free(a);
    j = get(&admin, "/api/v1/database/%lld/connection", ssh, 200);
    json_t *tun = json_object_get(json_object_get(j, "result"), "ssh_tunnel");
    cr_assert_str_eq(json_string_value(json_object_get(tun, "username")), "tunneler", "%s", json_dumps(j, 0));
    cr_assert_str_eq(json_string_value(json_object_get(tun, "password")), "XXXXXXXXXX");
    cr_assert_null(json_object_get(tun, "private_key"));
    json_decref(j);
    j = get(&admin, "/api/v1/database/%lld/schemas/", ssh, 422);
    cr_assert(strstr(json_string_value(json_object_get(j, "message")), "SSH tunnel"));
    json_decref(j);

    /* Gamma does not see the database */
    rest_create_user("Gamma", "db_t_gamma");
    rest_session_t gamma;
    rest_open(&gamma, "db_t_gamma", "db_t_gamma");
    j = get(&gamma, "/api/v1/database/%lld/schemas/", db, 404);
    json_decref(j);
    j = get(&gamma, "/api/v1/database/%lld/connection", db, 403);
    json_decref(j);
}

Test(database_target, test_connection) {
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    setup(&admin);
    char body[1024];
    int st;
    snprintf(body, sizeof body, "{\"sqlalchemy_uri\":\"%s\",\"database_name\":\"anything\"}", rest_target_uri());
    json_t *j = rest_expect(&admin, "POST", "/api/v1/database/test_connection/", body, 200);
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")), "OK");
    json_decref(j);

    snprintf(body, sizeof body, "{\"sqlalchemy_uri\":\"postgresql://liteset_nobody@/%s?host=%s&port=%s\"}",
             harness_env("LITESET_TEST_DB"), harness_env("LITESET_TEST_PGHOST"), harness_env("LITESET_TEST_PGPORT"));
    j = rest_expect(&admin, "POST", "/api/v1/database/test_connection/", body, 400);
    json_t *e = json_array_get(json_object_get(j, "errors"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(e, "error_type")), "CONNECTION_INVALID_USERNAME_ERROR");
    cr_assert_str_eq(json_string_value(json_object_get(e, "message")), "The username \"liteset_nobody\" does not exist.");
    json_decref(j);

    j = rest_call(&admin, "POST", "/api/v1/database/test_connection/", "{\"sqlalchemy_uri\":\"postgresql://u@127.0.0.1:1/d\"}",
                  &st);
    cr_assert_eq(st, 400);
    e = json_array_get(json_object_get(j, "errors"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(e, "error_type")), "GENERIC_DB_ENGINE_ERROR");
    json_decref(j);

    /* host names are resolved off the loop: a name that resolves connects, one that does not is classified */
    snprintf(body, sizeof body, "{\"sqlalchemy_uri\":\"postgresql://%s@localhost:%s/%s\"}", harness_env("LITESET_TEST_PGUSER"),
             harness_env("LITESET_TEST_PGPORT"), harness_env("LITESET_TEST_DB"));
    json_decref(rest_expect(&admin, "POST", "/api/v1/database/test_connection/", body, 200));
    j = rest_expect(&admin, "POST", "/api/v1/database/test_connection/",
                    "{\"sqlalchemy_uri\":\"postgresql://u@liteset-no-such-host.invalid/d\"}", 400);
    e = json_array_get(json_object_get(j, "errors"), 0);
    cr_assert(strstr(json_string_value(json_object_get(e, "message")), "could not translate host name"), "%s",
              json_dumps(j, 0));
    json_decref(j);

    json_decref(
        rest_expect(&admin, "POST", "/api/v1/database/test_connection/", "{\"sqlalchemy_uri\":\"mysql://u@h/d\"}", 422));
    j = rest_expect(&admin, "POST", "/api/v1/database/test_connection/", "{\"bogus\":1}", 400);
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(json_object_get(j, "message"), "bogus"), 0)),
                     "Unknown field.");
    json_decref(j);
    j = rest_expect(&admin, "POST", "/api/v1/database/test_connection/", "{}", 400);
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(json_object_get(j, "message"), "sqlalchemy_uri"), 0)),
                     "Missing data for required field.");
    json_decref(j);

    rest_create_user("Gamma", "db_t_gamma2");
    rest_session_t gamma;
    rest_open(&gamma, "db_t_gamma2", "db_t_gamma2");
    snprintf(body, sizeof body, "{\"sqlalchemy_uri\":\"%s\"}", rest_target_uri());
    json_decref(rest_expect(&gamma, "POST", "/api/v1/database/test_connection/", body, 403));
}

static json_t *validate(rest_session_t *s, const char *body, int want) {
    return rest_expect(s, "POST", "/api/v1/database/validate_parameters/", body, want);
}

static const char *first_error_type(json_t *j, size_t i) {
    return json_string_value(json_object_get(json_array_get(json_object_get(j, "errors"), i), "error_type"));
}

Test(database_target, validate_parameters) {
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    json_t *j = validate(&admin, "{\"engine\":\"postgresql\",\"configuration_method\":\"dynamic_form\","
                                 "\"parameters\":{\"host\":\"127.0.0.1\"}}", 422);
    json_t *e = json_array_get(json_object_get(j, "errors"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(e, "message")),
                     "One or more parameters are missing: database, port, username");
    cr_assert_str_eq(json_string_value(json_object_get(e, "level")), "warning");
    json_decref(j);
    j = validate(&admin, "{\"engine\":\"postgresql\",\"configuration_method\":\"dynamic_form\","
                         "\"parameters\":{\"host\":\"liteset-no-such-host.invalid\",\"port\":5432}}", 422);
    cr_assert_str_eq(first_error_type(j, 1), "CONNECTION_INVALID_HOSTNAME_ERROR");
    json_decref(j);
    j = validate(&admin, "{\"engine\":\"postgresql\",\"configuration_method\":\"dynamic_form\","
                         "\"parameters\":{\"host\":\"127.0.0.1\",\"port\":\"abc\",\"username\":\"u\",\"database\":\"d\"}}",
                 422);
    cr_assert_str_eq(first_error_type(j, 0), "CONNECTION_INVALID_PORT_ERROR");
    json_decref(j);
    char body[512];
    snprintf(body, sizeof body, "{\"engine\":\"postgresql\",\"configuration_method\":\"dynamic_form\",\"parameters\":"
                                "{\"host\":\"127.0.0.1\",\"port\":%s,\"username\":\"%s\",\"database\":\"%s\"}}",
             harness_env("LITESET_TEST_PGPORT"), harness_env("LITESET_TEST_PGUSER"), harness_env("LITESET_TEST_DB"));
    j = validate(&admin, body, 200);
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")), "OK");
    json_decref(j);
    j = validate(&admin, "{\"configuration_method\":\"other\"}", 422);
    cr_assert_str_eq(first_error_type(j, 0), "INVALID_PAYLOAD_SCHEMA_ERROR");
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(j, "errors"), 1), "message")),
                     "Must be one of: sqlalchemy_form, dynamic_form.");
    json_decref(j);
    j = validate(&admin, "{\"engine\":\"mysql\",\"configuration_method\":\"dynamic_form\"}", 422);
    cr_assert(strstr(json_string_value(json_object_get(json_array_get(json_object_get(j, "errors"), 0), "message")),
                     "mysql"));
    json_decref(j);
    rest_create_user("Gamma", "db_t_gamma3");
    rest_session_t gamma;
    rest_open(&gamma, "db_t_gamma3", "db_t_gamma3");
    j = validate(&gamma, body, 403);
    json_decref(j);
}
