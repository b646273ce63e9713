/* Permalink endpoints: explore, SQL Lab and dashboard round trips, the
 * stored key_value rows (resource, creator, json.dumps bytes), hashid keys
 * of at least 11 characters, 404 for deleted entries, 500 for keys that do
 * not decode, schema errors, and access checks (dataset, chart, dashboard). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/integration/harness.h"
#include "tests/integration/rest_client.h"

static long long dataset_fixture(void) {
    rest_sql("INSERT INTO dbs (database_name, sqlalchemy_uri) SELECT 'pl_test_db', 'sqlite://'"
             " WHERE NOT EXISTS (SELECT 1 FROM dbs WHERE database_name = 'pl_test_db')");
    rest_sql("INSERT INTO tables (table_name, schema, database_id, uuid) SELECT 'pl_tbl', 'public', d.id,"
             " gen_random_uuid() FROM dbs d WHERE d.database_name = 'pl_test_db' AND NOT EXISTS"
             " (SELECT 1 FROM tables WHERE table_name = 'pl_tbl')");
    rest_sql("UPDATE tables SET perm = '[pl_test_db].[pl_tbl](id:' || id || ')',"
             " schema_perm = '[pl_test_db].[public]' WHERE table_name = 'pl_tbl'");
    return atoll(rest_sql("SELECT id FROM tables WHERE table_name = 'pl_tbl'"));
}

static const char *str_at(json_t *j, const char *k) { return json_string_value(json_object_get(j, k)); }

Test(permalink, explore_round_trip_and_errors) {
    long long ds = dataset_fixture();
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    int st;
    char body[512], path[256], sql[512];
    snprintf(body, sizeof body, "{\"formData\":{\"datasource\":\"%lld__table\",\"viz_type\":\"table\"},"
             "\"urlParams\":[[\"a\",\"b\"]]}", ds);
    json_t *j = rest_call(&admin, "POST", "/api/v1/explore/permalink", body, &st);
    cr_assert_eq(st, 201, "%d %s", st, json_dumps(j, 0));
    char key[64];
    snprintf(key, sizeof key, "%s", str_at(j, "key"));
    cr_assert_geq(strlen(key), 11, "hashids minimum length: %s", key);
    char tail[96];
    snprintf(tail, sizeof tail, "/superset/explore/p/%s/", key);
    const char *url = str_at(j, "url");
    cr_assert(url && strlen(url) > strlen(tail) && !strcmp(url + strlen(url) - strlen(tail), tail), "%s", url);
    json_decref(j);

    /* the stored row: Superset's JSON codec bytes, creator, resource */
    long long id = atoll(rest_sql("SELECT max(id) FROM key_value WHERE resource = 'explore_permalink'"));
    snprintf(sql, sizeof sql, "SELECT convert_from(value, 'UTF8') FROM key_value WHERE id = %lld", id);
    char expect[512];
    snprintf(expect, sizeof expect,
             "{\"chartId\": null, \"datasourceType\": \"table\", \"datasourceId\": %lld, \"datasource\": \"%lld__table\","
             " \"state\": {\"formData\": {\"datasource\": \"%lld__table\", \"viz_type\": \"table\"}, \"urlParams\":"
             " [[\"a\", \"b\"]]}}", ds, ds, ds);
    cr_assert_str_eq(rest_sql(sql), expect);
    snprintf(sql, sizeof sql, "SELECT u.username FROM key_value k JOIN ab_user u ON u.id = k.created_by_fk WHERE k.id = %lld", id);
    cr_assert_str_eq(rest_sql(sql), "admin");
    cr_assert_str_neq(rest_sql("SELECT count(*) FROM key_value WHERE resource = 'app'"), "0", "salt stored");

    snprintf(path, sizeof path, "/api/v1/explore/permalink/%s", key);
    j = rest_call(&admin, "GET", path, NULL, &st);
    cr_assert_eq(st, 200, "%d %s", st, json_dumps(j, 0));
    cr_assert(json_is_null(json_object_get(j, "chartId")));
    cr_assert_eq(json_integer_value(json_object_get(j, "datasourceId")), ds);
    cr_assert_str_eq(str_at(j, "datasourceType"), "table");
    json_t *state = json_object_get(j, "state");
    cr_assert_str_eq(str_at(json_object_get(state, "formData"), "viz_type"), "table");
    cr_assert_str_eq(json_string_value(json_array_get(json_array_get(json_object_get(state, "urlParams"), 0), 1)), "b");
    json_decref(j);

    /* a second permalink gets another key; a deleted entry answers 404 */
    j = rest_call(&admin, "POST", "/api/v1/explore/permalink", body, &st);
    cr_assert_eq(st, 201);
    cr_assert_str_neq(str_at(j, "key"), key);
    json_decref(j);
    snprintf(sql, sizeof sql, "DELETE FROM key_value WHERE id = %lld", id);
    rest_sql(sql);
    j = rest_call(&admin, "GET", path, NULL, &st);
    cr_assert_eq(st, 404, "%d %s", st, json_dumps(j, 0));
    json_decref(j);
    j = rest_call(&admin, "GET", "/api/v1/explore/permalink/notakey", NULL, &st);
    cr_assert_eq(st, 500, "undecodable key");
    json_decref(j);

    j = rest_call(&admin, "POST", "/api/v1/explore/permalink", "{\"urlParams\":null,\"bogus\":1}", &st);
    cr_assert_eq(st, 400);
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(json_object_get(j, "message"), "formData"), 0)),
                     "Missing data for required field.");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(json_object_get(j, "message"), "bogus"), 0)),
                     "Unknown field.");
    json_decref(j);
    j = rest_call(&admin, "POST", "/api/v1/explore/permalink", "{\"formData\":{\"datasource\":\"999999__table\"}}", &st);
    cr_assert_eq(st, 404);
    cr_assert_str_eq(str_at(j, "message"), "Dataset does not exist");
    json_decref(j);
    snprintf(body, sizeof body, "{\"formData\":{\"datasource\":\"%lld__table\",\"slice_id\":999999}}", ds);
    j = rest_call(&admin, "POST", "/api/v1/explore/permalink", body, &st);
    cr_assert_eq(st, 404);
    cr_assert_str_eq(str_at(j, "message"), "Chart not found.");
    json_decref(j);

    /* a Gamma user without access to the dataset */
    rest_create_user("Gamma", "pl_gamma");
    rest_session_t gamma;
    rest_open(&gamma, "pl_gamma", "pl_gamma");
    snprintf(body, sizeof body, "{\"formData\":{\"datasource\":\"%lld__table\"}}", ds);
    j = rest_call(&gamma, "POST", "/api/v1/explore/permalink", body, &st);
    cr_assert_eq(st, 403, "%d %s", st, json_dumps(j, 0));
    cr_assert_str_eq(str_at(j, "message"), "You don't have access to this dataset.");
    json_decref(j);
}

Test(permalink, sqllab_round_trip) {
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    int st;
    json_t *j = rest_call(&admin, "POST", "/api/v1/sqllab/permalink",
                          "{\"dbId\":\"1\",\"name\":\"Untitled\",\"sql\":\"SELECT 1\",\"schema\":null,\"autorun\":false}",
                          &st);
    cr_assert_eq(st, 201, "%d %s", st, json_dumps(j, 0));
    char path[128];
    snprintf(path, sizeof path, "/api/v1/sqllab/permalink/%s", str_at(j, "key"));
    cr_assert(strstr(str_at(j, "url"), "/sqllab/p/"));
    json_decref(j);
    cr_assert_str_eq(rest_sql("SELECT convert_from(value, 'UTF8') FROM key_value WHERE resource = 'sqllab_permalink'"
                              " ORDER BY id DESC LIMIT 1"),
                     "{\"autorun\": false, \"dbId\": 1, \"name\": \"Untitled\", \"schema\": null, \"sql\": \"SELECT 1\"}");
    j = rest_call(&admin, "GET", path, NULL, &st);
    cr_assert_eq(st, 200);
    cr_assert_eq(json_integer_value(json_object_get(j, "dbId")), 1);
    cr_assert_str_eq(str_at(j, "sql"), "SELECT 1");
    json_decref(j);
    j = rest_call(&admin, "POST", "/api/v1/sqllab/permalink", "{\"dbId\":1,\"name\":\"x\"}", &st);
    cr_assert_eq(st, 400);
    cr_assert(json_object_get(json_object_get(j, "message"), "sql"));
    json_decref(j);
    /* keys of another resource do not resolve here */
    j = rest_call(&admin, "POST", "/api/v1/sqllab/permalink", "{\"dbId\":1,\"name\":\"x\",\"sql\":\"s\"}", &st);
    char other[128];
    snprintf(other, sizeof other, "/api/v1/explore/permalink/%s", str_at(j, "key"));
    json_decref(j);
    j = rest_call(&admin, "GET", other, NULL, &st);
    cr_assert(st == 404 || st == 500, "got %d", st);
    json_decref(j);
}

Test(permalink, dashboard_round_trip) {
    char dash[32];
    snprintf(dash, sizeof dash, "%s",
             rest_sql("INSERT INTO dashboards (dashboard_title, slug, published, uuid) VALUES ('pl board', 'pl-board-' ||"
                      " floor(random() * 1000000)::text, true, gen_random_uuid()) RETURNING id"));
    char sql[256], uuid[64];
    snprintf(sql, sizeof sql, "SELECT uuid FROM dashboards WHERE id = %s", dash);
    snprintf(uuid, sizeof uuid, "%s", rest_sql(sql));
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    int st;
    char path[128];
    snprintf(path, sizeof path, "/api/v1/dashboard/%s/permalink", dash);
    const char *body = "{\"anchor\":\"TAB-1\",\"urlParams\":[[\"k\",\"v\"]],\"dataMask\":{}}";
    json_t *j = rest_call(&admin, "POST", path, body, &st);
    cr_assert_eq(st, 201, "%d %s", st, json_dumps(j, 0));
    char key[64];
    snprintf(key, sizeof key, "%s", str_at(j, "key"));
    cr_assert(strstr(str_at(j, "url"), "/superset/dashboard/p/"));
    json_decref(j);
    /* same user, dashboard and state: the same entry and key */
    j = rest_call(&admin, "POST", path, body, &st);
    cr_assert_eq(st, 201);
    cr_assert_str_eq(str_at(j, "key"), key);
    json_decref(j);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM key_value WHERE resource = 'dashboard_permalink'"
             " AND convert_from(value, 'UTF8') LIKE '%%%s%%'", uuid);
    cr_assert_str_eq(rest_sql(sql), "1");

    char get[128];
    snprintf(get, sizeof get, "/api/v1/dashboard/permalink/%s", key);
    j = rest_call(&admin, "GET", get, NULL, &st);
    cr_assert_eq(st, 200, "%d %s", st, json_dumps(j, 0));
    cr_assert_str_eq(str_at(j, "dashboardId"), uuid);
    cr_assert_str_eq(str_at(json_object_get(j, "state"), "anchor"), "TAB-1");
    json_decref(j);

    j = rest_call(&admin, "POST", "/api/v1/dashboard/999999/permalink", "{}", &st);
    cr_assert_eq(st, 404);
    cr_assert_str_eq(str_at(j, "message"), "Dashboard not found.");
    json_decref(j);
    j = rest_call(&admin, "POST", path, "{\"bogus\":1}", &st);
    cr_assert_eq(st, 400);
    cr_assert_str_eq(str_at(j, "message"), "{'bogus': ['Unknown field.']}");
    json_decref(j);
}
