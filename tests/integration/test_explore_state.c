/* Explore form_data and dashboard filter_state endpoints (temporary caches
 * kept in key_value as superset_metastore_cache rows): round trips, stored
 * bytes and expiry, tab reuse of keys, refresh on retrieval, expired and
 * missing keys, owner checks, access checks (Admin and Gamma) and bad
 * bodies. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/integration/harness.h"
#include "tests/integration/rest_client.h"

static long long dataset_fixture(void) {
    rest_sql("INSERT INTO dbs (database_name, sqlalchemy_uri) SELECT 'es_test_db', 'sqlite://'"
             " WHERE NOT EXISTS (SELECT 1 FROM dbs WHERE database_name = 'es_test_db')");
    rest_sql("INSERT INTO tables (table_name, schema, database_id, uuid) SELECT 'es_tbl', 'public', d.id,"
             " gen_random_uuid() FROM dbs d WHERE d.database_name = 'es_test_db' AND NOT EXISTS"
             " (SELECT 1 FROM tables WHERE table_name = 'es_tbl')");
    rest_sql("UPDATE tables SET perm = '[es_test_db].[es_tbl](id:' || id || ')',"
             " schema_perm = '[es_test_db].[public]' WHERE table_name = 'es_tbl'");
    return atoll(rest_sql("SELECT id FROM tables WHERE table_name = 'es_tbl'"));
}

static long long dashboard_fixture(const char *slug, bool published) {
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO dashboards (dashboard_title, slug, published) SELECT '%s', '%s', %s"
             " WHERE NOT EXISTS (SELECT 1 FROM dashboards WHERE slug = '%s')",
             slug, slug, published ? "true" : "false", slug);
    rest_sql(sql);
    snprintf(sql, sizeof sql, "SELECT id FROM dashboards WHERE slug = '%s'", slug);
    return atoll(rest_sql(sql));
}

static const char *str_at(json_t *j, const char *k) { return json_string_value(json_object_get(j, k)); }

/* Calls and checks the status; returns the body (caller decrefs). */
static json_t *call(rest_session_t *s, const char *method, const char *path, const char *body, int want) {
    int st;
    json_t *j = rest_call(s, method, path, body, &st);
    cr_assert_eq(st, want, "%s %s: %d %s", method, path, st, j ? json_dumps(j, 0) : "");
    return j;
}

static void expect_message(rest_session_t *s, const char *method, const char *path, const char *body, int want,
                           const char *message) {
    json_t *j = call(s, method, path, body, want);
    cr_assert_str_eq(str_at(j, "message"), message, "%s %s", method, path);
    json_decref(j);
}

static void expect_messages(rest_session_t *s, const char *method, const char *path, const char *body,
                            const char *messages) {
    json_t *j = call(s, method, path, body, 400);
    char *m = json_dumps(json_object_get(j, "message"), JSON_COMPACT | JSON_SORT_KEYS);
    cr_assert_str_eq(m, messages, "%s %s", method, path);
    free(m);
    json_decref(j);
}

static void post_key(rest_session_t *s, const char *path, const char *body, char *key, size_t n) {
    json_t *j = call(s, "POST", path, body, 201);
    snprintf(key, n, "%s", str_at(j, "key"));
    json_decref(j);
    cr_assert_eq(strlen(key), 11, "token_urlsafe(8): %s", key);
}

static const char *row_value_for(const char *needle) {
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT convert_from(value, 'UTF8') FROM key_value WHERE resource = 'superset_metastore_cache'"
             " AND convert_from(value, 'UTF8') LIKE '%%%s%%' ORDER BY id DESC LIMIT 1",
             needle);
    return rest_sql(sql);
}

Test(explore_state, form_data_round_trip) {
    long long ds = dataset_fixture();
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    char body[512], path[128], key[32], key2[32], sql[512], expect[512];
    snprintf(body, sizeof body,
             "{\"datasource_id\":%lld,\"datasource_type\":\"table\",\"form_data\":\"{\\\"viz_type\\\":\\\"rt\\\"}\"}", ds);
    post_key(&admin, "/api/v1/explore/form_data", body, key, sizeof key);

    /* stored as json.dumps of the state, expiring after 7 days */
    snprintf(expect, sizeof expect,
             "{\"owner\": 1, \"datasource_id\": %lld, \"datasource_type\": \"table\", \"chart_id\": null,"
             " \"form_data\": \"{\\\"viz_type\\\":\\\"rt\\\"}\"}", ds);
    cr_assert_str_eq(row_value_for("\"viz_type\\\\\":\\\\\"rt"), expect);
    snprintf(sql, sizeof sql, "SELECT expires_on - COALESCE(changed_on, created_on) = interval '7 days', created_by_fk FROM key_value"
             " WHERE convert_from(value, 'UTF8') = '\"%s\"'", key);
    cr_assert_str_eq(rest_sql(sql), "t", "the contextual entry holds the key");

    snprintf(path, sizeof path, "/api/v1/explore/form_data/%s", key);
    json_t *j = call(&admin, "GET", path, NULL, 200);
    cr_assert_str_eq(str_at(j, "form_data"), "{\"viz_type\":\"rt\"}");
    json_decref(j);

    /* refresh on retrieval pushes the expiry back to 7 days */
    rest_sql("UPDATE key_value SET expires_on = LOCALTIMESTAMP + interval '1 hour'"
             " WHERE resource = 'superset_metastore_cache'");
    json_decref(call(&admin, "GET", path, NULL, 200));
    snprintf(sql, sizeof sql, "SELECT expires_on > LOCALTIMESTAMP + interval '6 days' FROM key_value"
             " WHERE convert_from(value, 'UTF8') LIKE '%%\"viz_type\\\\\":\\\\\"rt%%'");
    cr_assert_str_eq(rest_sql(sql), "t");

    /* without tab_id every write gets a new key; the old one stays */
    snprintf(body, sizeof body,
             "{\"datasource_id\":%lld,\"datasource_type\":\"table\",\"form_data\":\"{\\\"v\\\":2}\"}", ds);
    j = call(&admin, "PUT", path, body, 200);
    snprintf(key2, sizeof key2, "%s", str_at(j, "key"));
    json_decref(j);
    cr_assert_str_neq(key2, key);
    char path2[128];
    snprintf(path2, sizeof path2, "/api/v1/explore/form_data/%s", key2);
    j = call(&admin, "GET", path2, NULL, 200);
    cr_assert_str_eq(str_at(j, "form_data"), "{\"v\":2}");
    json_decref(j);

    /* a missing key: PUT answers the same key, GET and DELETE 404 */
    j = call(&admin, "PUT", "/api/v1/explore/form_data/no-such-key", body, 200);
    cr_assert_str_eq(str_at(j, "key"), "no-such-key");
    json_decref(j);
    expect_message(&admin, "GET", "/api/v1/explore/form_data/no-such-key", NULL, 404, "Not found");
    expect_message(&admin, "DELETE", "/api/v1/explore/form_data/no-such-key", NULL, 404, "Not found");

    expect_message(&admin, "DELETE", path, NULL, 200, "Deleted successfully");
    expect_message(&admin, "GET", path, NULL, 404, "Not found");
    expect_message(&admin, "DELETE", path, NULL, 404, "Not found");

    /* expired entries are gone */
    rest_sql("UPDATE key_value SET expires_on = LOCALTIMESTAMP - interval '1 minute'"
             " WHERE resource = 'superset_metastore_cache'");
    expect_message(&admin, "GET", path2, NULL, 404, "Not found");
}

Test(explore_state, form_data_tab_reuse) {
    long long ds = dataset_fixture();
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    char body[512], a[32], b[32], c[32];
    snprintf(body, sizeof body,
             "{\"datasource_id\":%lld,\"datasource_type\":\"table\",\"form_data\":\"{\\\"t\\\":1}\"}", ds);
    post_key(&admin, "/api/v1/explore/form_data?tab_id=41", body, a, sizeof a);
    post_key(&admin, "/api/v1/explore/form_data?tab_id=41", body, b, sizeof b);
    cr_assert_str_eq(a, b, "the same tab keeps its key");
    post_key(&admin, "/api/v1/explore/form_data", body, c, sizeof c);
    cr_assert_str_neq(a, c);
    /* an empty form_data stores nothing but still answers a key */
    snprintf(body, sizeof body, "{\"datasource_id\":%lld,\"datasource_type\":\"table\",\"form_data\":\"\"}", ds);
    post_key(&admin, "/api/v1/explore/form_data", body, c, sizeof c);
    char path[128];
    snprintf(path, sizeof path, "/api/v1/explore/form_data/%s", c);
    expect_message(&admin, "GET", path, NULL, 404, "Not found");
}

Test(explore_state, form_data_errors_and_access) {
    long long ds = dataset_fixture();
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    char body[512], path[128], key[32];
    expect_messages(&admin, "POST", "/api/v1/explore/form_data",
                    "{\"datasource_id\":\"x\",\"datasource_type\":\"bad\",\"form_data\":3,\"extra\":1}",
                    "{\"datasource_id\":[\"Not a valid integer.\"],\"datasource_type\":[\"Must be one of: table,"
                    " dataset, query, saved_query, view.\"],\"extra\":[\"Unknown field.\"],\"form_data\":"
                    "[\"Not a valid string.\"]}");
    expect_messages(&admin, "POST", "/api/v1/explore/form_data", "{}",
                    "{\"datasource_id\":[\"Missing data for required field.\"],\"datasource_type\":[\"Missing data"
                    " for required field.\"],\"form_data\":[\"Missing data for required field.\"]}");
    snprintf(body, sizeof body, "{\"datasource_id\":%lld,\"datasource_type\":\"table\",\"chart_id\":null,"
             "\"form_data\":\"{}\"}", ds);
    expect_messages(&admin, "POST", "/api/v1/explore/form_data", body, "{\"chart_id\":[\"Field may not be null.\"]}");
    snprintf(body, sizeof body, "{\"datasource_id\":%lld,\"datasource_type\":\"table\",\"form_data\":\"{x\"}", ds);
    expect_messages(&admin, "POST", "/api/v1/explore/form_data", body, "[\"JSON not valid\"]");
    snprintf(body, sizeof body, "{\"datasource_id\":%lld,\"datasource_type\":\"view\",\"form_data\":\"{}\"}", ds);
    expect_messages(&admin, "POST", "/api/v1/explore/form_data", body, "[\"Datasource type is invalid\"]");
    expect_messages(&admin, "POST", "/api/v1/explore/form_data",
                    "{\"datasource_id\":0,\"datasource_type\":\"table\",\"form_data\":\"{}\"}",
                    "[\"Datasource does not exist\"]");
    expect_messages(&admin, "POST", "/api/v1/explore/form_data",
                    "{\"datasource_id\":987654,\"datasource_type\":\"query\",\"form_data\":\"{}\"}",
                    "[\"Query does not exist\"]");
    expect_message(&admin, "POST", "/api/v1/explore/form_data",
                   "{\"datasource_id\":987654,\"datasource_type\":\"table\",\"form_data\":\"{}\"}", 404,
                   "Resource was not found.");
    snprintf(body, sizeof body, "{\"datasource_id\":%lld,\"datasource_type\":\"table\",\"chart_id\":987654,"
             "\"form_data\":\"{}\"}", ds);
    expect_message(&admin, "POST", "/api/v1/explore/form_data", body, 404, "Resource was not found.");
    expect_message(&admin, "POST", "/api/v1/explore/form_data", "{not json", 400,
                   "400 Bad Request: The browser (or proxy) sent a request that this server could not understand.");

    /* another owner's state */
    snprintf(body, sizeof body,
             "{\"datasource_id\":%lld,\"datasource_type\":\"table\",\"form_data\":\"{\\\"own\\\":1}\"}", ds);
    post_key(&admin, "/api/v1/explore/form_data", body, key, sizeof key);
    rest_sql("UPDATE key_value SET value = convert_to(replace(convert_from(value, 'UTF8'), '\"owner\": 1,',"
             " '\"owner\": 424242,'), 'UTF8') WHERE resource = 'superset_metastore_cache'"
             " AND convert_from(value, 'UTF8') LIKE '%\\\\\"own\\\\\"%'");
    snprintf(path, sizeof path, "/api/v1/explore/form_data/%s", key);
    json_t *j = call(&admin, "GET", path, NULL, 200); /* reading is not owner-checked */
    json_decref(j);
    expect_message(&admin, "PUT", path, body, 403, "You don't have permission to modify the value.");
    expect_message(&admin, "DELETE", path, NULL, 403, "You don't have permission to modify the value.");

    /* Gamma without access to the dataset */
    rest_create_user("Gamma", "es_gamma");
    rest_session_t gamma;
    rest_open(&gamma, "es_gamma", "es_gamma");
    expect_message(&gamma, "GET", path, NULL, 403, "You don't have permission to modify the value.");
    expect_message(&gamma, "POST", "/api/v1/explore/form_data", body, 403,
                   "You don't have permission to modify the value.");
    expect_message(&gamma, "DELETE", path, NULL, 403, "You don't have permission to modify the value.");
}

Test(explore_state, filter_state_round_trip) {
    long long dash = dashboard_fixture("es-dash", true);
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    char path[200], base[128], key[32], key2[32], sql[256];
    snprintf(base, sizeof base, "/api/v1/dashboard/%lld/filter_state", dash);
    post_key(&admin, base, "{\"value\":\"{\\\"fs\\\":1}\"}", key, sizeof key);
    cr_assert_str_eq(row_value_for("fs\\\\\":1"), "{\"owner\": 1, \"value\": \"{\\\"fs\\\":1}\"}");
    snprintf(sql, sizeof sql, "SELECT expires_on - COALESCE(changed_on, created_on) = interval '90 days' FROM key_value"
             " WHERE convert_from(value, 'UTF8') = '\"%s\"'", key);
    cr_assert_str_eq(rest_sql(sql), "t");

    snprintf(path, sizeof path, "%s/%s", base, key);
    json_t *j = call(&admin, "GET", path, NULL, 200);
    cr_assert_str_eq(str_at(j, "value"), "{\"fs\":1}");
    json_decref(j);

    /* the same tab keeps its key on POST and PUT */
    char tab[200];
    snprintf(tab, sizeof tab, "%s?tab_id=9", base);
    post_key(&admin, tab, "{\"value\":\"1\"}", key2, sizeof key2);
    char again[32];
    post_key(&admin, tab, "{\"value\":\"2\"}", again, sizeof again);
    cr_assert_str_eq(key2, again);
    snprintf(tab, sizeof tab, "%s/%s?tab_id=9", base, key2);
    j = call(&admin, "PUT", tab, "{\"value\":\"3\"}", 200);
    cr_assert_str_eq(str_at(j, "key"), key2);
    json_decref(j);
    /* without a tab a PUT moves the value to a new key */
    j = call(&admin, "PUT", path, "{\"value\":\"4\"}", 200);
    cr_assert_str_neq(str_at(j, "key"), key);
    json_decref(j);
    /* a key that was never stored: the reference answers 200 with that key */
    char absent[256];
    snprintf(absent, sizeof absent, "%s/absent-key", base);
    j = call(&admin, "PUT", absent, "{\"value\":\"4\"}", 200);
    cr_assert_str_eq(str_at(j, "key"), "absent-key");
    json_decref(j);

    /* the key belongs to its dashboard */
    long long other = dashboard_fixture("es-dash-2", true);
    char wrong[200];
    snprintf(wrong, sizeof wrong, "/api/v1/dashboard/%lld/filter_state/%s", other, key);
    expect_message(&admin, "GET", wrong, NULL, 404, "Not found");
    expect_message(&admin, "GET", "/api/v1/dashboard/987654/filter_state/x", NULL, 404, "Resource was not found.");
    expect_message(&admin, "POST", "/api/v1/dashboard/987654/filter_state", "{\"value\":\"1\"}", 404,
                   "Resource was not found.");

    expect_message(&admin, "DELETE", path, NULL, 200, "Deleted successfully");
    expect_message(&admin, "GET", path, NULL, 404, "Not found");
    expect_message(&admin, "DELETE", path, NULL, 404, "Not found");

    rest_sql("UPDATE key_value SET expires_on = LOCALTIMESTAMP - interval '1 minute'"
             " WHERE resource = 'superset_metastore_cache'");
    snprintf(path, sizeof path, "%s/%s", base, key2);
    expect_message(&admin, "GET", path, NULL, 404, "Not found");
}

Test(explore_state, filter_state_errors_and_access) {
    long long dash = dashboard_fixture("es-dash-3", true);
    long long draft = dashboard_fixture("es-draft", false);
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    char base[128], path[200], key[32];
    snprintf(base, sizeof base, "/api/v1/dashboard/%lld/filter_state", dash);
    expect_messages(&admin, "POST", base, "{\"value\":\"{x\"}", "{\"value\":[\"JSON not valid\"]}");
    expect_messages(&admin, "POST", base, "{\"value\":1,\"x\":2}",
                    "{\"value\":[\"Not a valid string.\"],\"x\":[\"Unknown field.\"]}");
    expect_messages(&admin, "POST", base, "[]", "{\"_schema\":[\"Invalid input type.\"]}");
    expect_message(&admin, "POST", base, "", 400,
                   "400 Bad Request: The browser (or proxy) sent a request that this server could not understand.");

    post_key(&admin, base, "{\"value\":\"{\\\"mine\\\":1}\"}", key, sizeof key);
    rest_sql("UPDATE key_value SET value = convert_to(replace(convert_from(value, 'UTF8'), '\"owner\": 1,',"
             " '\"owner\": 424242,'), 'UTF8') WHERE resource = 'superset_metastore_cache'"
             " AND convert_from(value, 'UTF8') LIKE '%\\\\\"mine\\\\\"%'");
    snprintf(path, sizeof path, "%s/%s", base, key);
    json_decref(call(&admin, "GET", path, NULL, 200));
    expect_message(&admin, "PUT", path, "{\"value\":\"1\"}", 403, "You don't have permission to modify the value.");
    expect_message(&admin, "DELETE", path, NULL, 403, "You don't have permission to modify the value.");

    /* Gamma cannot see a draft dashboard it does not own */
    rest_create_user("Gamma", "es_gamma2");
    rest_session_t gamma;
    rest_open(&gamma, "es_gamma2", "es_gamma2");
    char dpath[128];
    snprintf(dpath, sizeof dpath, "/api/v1/dashboard/%lld/filter_state", draft);
    expect_message(&gamma, "POST", dpath, "{\"value\":\"1\"}", 404, "Resource was not found.");
    snprintf(dpath, sizeof dpath, "/api/v1/dashboard/%lld/filter_state/%s", draft, key);
    expect_message(&gamma, "GET", dpath, NULL, 404, "Resource was not found.");
}
