/* POST /api/v1/cachekey/invalidate: cache_keys rows and the keys in the
 * stack's Redis cache (CACHE_CONFIG is a RedisCache there, prefix
 * "flask_cache_") go away for datasets named by uid or by
 * (datasource_name, database_name, schema, catalog); others stay. Bad
 * bodies answer marshmallow's error dict; can_invalidate on CacheRestApi. */
#include <criterion/criterion.h>
#include <hiredis/hiredis.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/integration/harness.h"
#include "tests/integration/rest_client.h"

static redisContext *redis_open(void) {
    redisContext *c = redisConnect("127.0.0.1", atoi(harness_env("LITESET_TEST_REDIS_PORT")));
    cr_assert(c && !c->err, "redis connect");
    return c;
}

static void redis_set(redisContext *c, const char *key) {
    redisReply *r = redisCommand(c, "SET %s %s", key, "cached");
    cr_assert(r);
    freeReplyObject(r);
}

static long long redis_exists(redisContext *c, const char *key) {
    redisReply *r = redisCommand(c, "EXISTS %s", key);
    cr_assert(r && r->type == REDIS_REPLY_INTEGER);
    long long n = r->integer;
    freeReplyObject(r);
    return n;
}

static int rows_for(const char *key) {
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM cache_keys WHERE cache_key = '%s'", key);
    return atoi(rest_sql(sql));
}

static void add_key(redisContext *c, const char *key, const char *uid) {
    char sql[256], full[128];
    snprintf(sql, sizeof sql,
             "INSERT INTO cache_keys (cache_key, cache_timeout, datasource_uid, created_on) VALUES ('%s', 60, '%s', now())",
             key, uid);
    rest_sql(sql);
    snprintf(full, sizeof full, "flask_cache_%s", key);
    redis_set(c, full);
}

static bool gone(redisContext *c, const char *key) {
    char full[128];
    snprintf(full, sizeof full, "flask_cache_%s", key);
    return rows_for(key) == 0 && redis_exists(c, full) == 0;
}

static void post(rest_session_t *s, const char *body, int status, const char *expected) {
    const char *const h[] = {s->bearer, s->cookie, s->csrf, "Content-Type: application/json", NULL};
    http_response_t *r = http_request("POST", "/api/v1/cachekey/invalidate", h, body, strlen(body));
    cr_assert(r);
    cr_assert_eq(r->status, status, "%s: %d %s", body, r->status, r->body);
    cr_assert_str_eq(r->body, expected, "%s", body);
    http_free(r);
}

Test(cachekey, invalidate_by_uid_and_by_name) {
    rest_session_t s;
    rest_open(&s, "admin", "admin");
    redisContext *c = redis_open();
    char db[32], sql[512], uid1[64], uid2[64], uid3[64];
    snprintf(db, sizeof db, "%s",
             rest_sql("INSERT INTO dbs (database_name, sqlalchemy_uri) VALUES ('ck_db', "
                      "'postgresql://u@localhost/ck') RETURNING id"));
    snprintf(sql, sizeof sql, "INSERT INTO tables (table_name, database_id, schema) VALUES ('ck_t1', %s, 'public') "
             "RETURNING id", db);
    snprintf(uid1, sizeof uid1, "%s__table", rest_sql(sql));
    snprintf(sql, sizeof sql, "INSERT INTO tables (table_name, database_id, schema) VALUES ('ck_t2', %s, '') "
             "RETURNING id", db);
    snprintf(uid2, sizeof uid2, "%s__table", rest_sql(sql));
    snprintf(sql, sizeof sql, "INSERT INTO tables (table_name, database_id, schema, catalog) VALUES ('ck_t3', %s, "
             "'public', 'cat') RETURNING id", db);
    snprintf(uid3, sizeof uid3, "%s__table", rest_sql(sql));
    add_key(c, "ck_a1", uid1);
    add_key(c, "ck_a2", uid1);
    add_key(c, "ck_b", uid2);
    add_key(c, "ck_c", uid3);
    add_key(c, "ck_other", "987654__table");

    char body[512];
    snprintf(body, sizeof body, "{\"datasource_uids\": [\"%s\", \"nothing__table\"]}", uid1);
    post(&s, body, 201, "{}\n");
    cr_assert(gone(c, "ck_a1") && gone(c, "ck_a2"));
    cr_assert_not(gone(c, "ck_b"));
    cr_assert_not(gone(c, "ck_other"));

    /* by name: an empty schema matches a NULL/'' one; the catalog must match exactly */
    post(&s, "{\"datasources\": [{\"datasource_name\": \"ck_t2\", \"database_name\": \"ck_db\", \"datasource_type\": "
             "\"table\"}, {\"datasource_name\": \"ck_t3\", \"database_name\": \"ck_db\", \"schema\": \"public\", "
             "\"datasource_type\": \"table\"}]}",
         201, "{}\n");
    cr_assert(gone(c, "ck_b"));
    cr_assert_not(gone(c, "ck_c"));
    post(&s, "{\"datasources\": [{\"datasource_name\": \"ck_t3\", \"database_name\": \"ck_db\", \"schema\": \"public\", "
             "\"catalog\": \"cat\", \"datasource_type\": \"table\"}]}",
         201, "{}\n");
    cr_assert(gone(c, "ck_c"));
    cr_assert_not(gone(c, "ck_other"));
    /* nothing to do is still 201 */
    post(&s, "{}", 201, "{}\n");
    post(&s, "{\"datasource_uids\": []}", 201, "{}\n");
    rest_sql("DELETE FROM cache_keys WHERE cache_key = 'ck_other'");
    cr_assert_neq(atoi(rest_sql("SELECT count(*) FROM logs WHERE action = 'invalidate'")), 0);
    snprintf(sql, sizeof sql, "DELETE FROM tables WHERE database_id = %s", db);
    rest_sql(sql);
    rest_sql("DELETE FROM dbs WHERE database_name = 'ck_db'");
    redisFree(c);
}

/* The chart data cache (DATA_CACHE_CONFIG) is cleared as well: here a
 * RedisCache on another database of the same server, with its own prefix. */
Test(cachekey, data_cache_too) {
    rest_session_t s;
    rest_open(&s, "admin", "admin");
    char conf[256];
    snprintf(conf, sizeof conf,
             "DATA_CACHE_CONFIG = {'CACHE_TYPE': 'RedisCache', 'CACHE_REDIS_URL': 'redis://127.0.0.1:%s/3', "
             "'CACHE_KEY_PREFIX': 'chart_data_'}\n",
             harness_env("LITESET_TEST_REDIS_PORT"));
    rest_config(conf);
    redisContext *c = redis_open();
    add_key(c, "ck_data", "876543__table");
    redisReply *r = redisCommand(c, "SELECT 3");
    freeReplyObject(r);
    redis_set(c, "chart_data_ck_data");
    redis_set(c, "chart_data_ck_keep");
    post(&s, "{\"datasource_uids\": [\"876543__table\"]}", 201, "{}\n");
    cr_assert_eq(redis_exists(c, "chart_data_ck_data"), 0);
    cr_assert_eq(redis_exists(c, "chart_data_ck_keep"), 1);
    cr_assert_eq(rows_for("ck_data"), 0);
    r = redisCommand(c, "DEL chart_data_ck_keep");
    freeReplyObject(r);
    redisFree(c);
    rest_config(NULL);
}

Test(cachekey, bad_bodies) {
    rest_session_t s;
    rest_open(&s, "admin", "admin");
    post(&s, "[]", 400, "{\"message\":\"{'_schema': ['Invalid input type.']}\"}\n");
    post(&s, "{\"datasource_uids\": \"1__table\"}", 400,
         "{\"message\":\"{'datasource_uids': ['Not a valid list.']}\"}\n");
    post(&s, "{\"datasource_uids\": [\"a\", 1, null]}", 400,
         "{\"message\":\"{'datasource_uids': {1: ['Not a valid string.'], 2: ['Field may not be null.']}}\"}\n");
    post(&s,
         "{\"datasources\": [{\"datasource_name\": \"x\"}, 5, {\"datasource_type\": \"chart\", \"schema\": null, "
         "\"catalog\": null, \"extra\": 1}], \"other\": true}",
         400,
         "{\"message\":\"{'datasources': {0: {'datasource_type': ['Missing data for required field.']}, 1: "
         "{'_schema': ['Invalid input type.']}, 2: {'schema': ['Field may not be null.'], 'datasource_type': ['Must "
         "be one of: table, dataset, query, saved_query, view.'], 'extra': ['Unknown field.']}}, 'other': ['Unknown "
         "field.']}\"}\n");
    post(&s, "{not json", 400,
         "{\"message\":\"400 Bad Request: The browser (or proxy) sent a request that this server could not "
         "understand.\"}\n");
    /* not JSON by its Content-Type: werkzeug's 415 inside @safe */
    const char *const form[] = {s.bearer, s.cookie, s.csrf, "Content-Type: text/plain", NULL};
    http_response_t *r = http_request("POST", "/api/v1/cachekey/invalidate", form, "{}", 2);
    cr_assert_eq(r->status, 500);
    cr_assert_str_eq(r->body, "{\"message\":\"Fatal error\"}\n");
    http_free(r);
    /* CSRF applies to bearer clients too */
    const char *const nocsrf[] = {s.bearer, "Content-Type: application/json", NULL};
    r = http_request("POST", "/api/v1/cachekey/invalidate", nocsrf, "{}", 2);
    cr_assert_eq(r->status, 400);
    cr_assert(strstr(r->body, "The CSRF token is missing."), "%s", r->body);
    http_free(r);
}

Test(cachekey, permissions) {
    rest_create_user("Gamma", "ck_gamma");
    rest_create_user("sql_lab", "ck_sqllab");
    rest_session_t g, l;
    rest_open(&g, "ck_gamma", "ck_gamma");
    post(&g, "{\"datasource_uids\": [\"1__table\"]}", 201, "{}\n");
    /* a browser session carries a CSRF token this role cannot obtain through the API */
    rest_open_browser(&l, "ck_sqllab", "ck_sqllab");
    post(&l, "{}", 403, "{\"message\":\"Forbidden\"}\n");
}
