/* SQL Lab's persisted editor state through nginx: GET /api/v1/sqllab/ (tabs,
 * active tab, databases under DatabaseFilter), /tabstateview/ create, read,
 * update (only the editor's columns), activate, latest query and query
 * removal, delete, and /tableschemaview/ entries; the query poll
 * /api/v1/query/updated_since; other users' tabs answer
 * 403, missing ones 404, and roles without the permissions get
 * @has_access_api's refusal. */
#include <criterion/criterion.h>
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/integration/harness.h"
#include "tests/integration/rest_client.h"

TestSuite(sqllab_state, .timeout = 120);

/* Form-encoded request whose fields are name=value pairs (values URL-encoded here). */
static json_t *form(rest_session_t *s, const char *method, const char *path, const char *const *fields, int *status) {
    char body[8192] = "";
    size_t n = 0;
    for (int i = 0; fields && fields[i]; i += 2) {
        n += (size_t)snprintf(body + n, sizeof body - n, "%s%s=", i ? "&" : "", fields[i]);
        for (const unsigned char *p = (const unsigned char *)fields[i + 1]; *p && n + 4 < sizeof body; p++)
            n += (size_t)(isalnum(*p) ? snprintf(body + n, sizeof body - n, "%c", *p)
                                      : snprintf(body + n, sizeof body - n, "%%%02X", *p));
    }
    const char *const h[] = {s->bearer, s->cookie, s->csrf, "Content-Type: application/x-www-form-urlencoded", NULL};
    http_response_t *r = http_request(method, path, h, body, n);
    cr_assert(r);
    *status = r->status;
    json_t *j = r->body_len ? json_loads(r->body, JSON_DECODE_ANY, NULL) : json_null();
    cr_assert(j, "%s %s: %s", method, path, r->body);
    http_free(r);
    return j;
}

static void sql_lab_user(const char *name) {
    rest_create_user("Gamma", name);
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO ab_user_role (id, user_id, role_id) SELECT nextval('ab_user_role_id_seq'), u.id, r.id"
             " FROM ab_user u, ab_role r WHERE u.username = '%s' AND r.name = 'sql_lab' AND NOT EXISTS"
             " (SELECT 1 FROM ab_user_role x WHERE x.user_id = u.id AND x.role_id = r.id)",
             name);
    rest_sql(sql);
}

static long long id_of(json_t *j) { return (long long)json_integer_value(json_object_get(j, "id")); }

Test(sqllab_state, tabs_schemas_and_bootstrap) {
    sql_lab_user("sl_one");
    sql_lab_user("sl_two");
    rest_create_user("Gamma", "sl_gamma");
    char db[32];
    snprintf(db, sizeof db, "%s",
             rest_sql("INSERT INTO dbs (database_name, sqlalchemy_uri) VALUES ('sqllab_state_db',"
                      " 'postgresql+psycopg2://u@h/db') RETURNING id"));
    rest_session_t one, two, gamma, admin;
    rest_open_browser(&one, "sl_one", "sl_one");
    rest_open_browser(&two, "sl_two", "sl_two");
    rest_open_browser(&gamma, "sl_gamma", "sl_gamma");
    rest_open_browser(&admin, "admin", "admin");
    int st;
    char path[256], qe[512];

    /* Gamma alone: no TabStateView permission */
    snprintf(qe, sizeof qe, "{\"name\":\"x\",\"dbId\":%s,\"hideLeftBar\":false}", db);
    const char *const gamma_fields[] = {"queryEditor", qe, NULL};
    json_t *j = form(&gamma, "POST", "/tabstateview/", gamma_fields, &st);
    cr_expect_eq(st, 403);
    cr_expect_str_eq(json_string_value(json_object_get(j, "message")), "Access is Denied");
    json_decref(j);

    /* empty bootstrap; the Gamma-based user sees no database, the admin sees it */
    j = rest_call(&one, "GET", "/api/v1/sqllab/", NULL, &st);
    cr_assert_eq(st, 200);
    json_t *res = json_object_get(j, "result");
    cr_expect_eq(json_array_size(json_object_get(res, "tab_state_ids")), 0);
    cr_expect(json_is_null(json_object_get(res, "active_tab")));
    cr_expect_eq(json_object_size(json_object_get(res, "databases")), 0);
    json_decref(j);
    j = rest_call(&admin, "GET", "/api/v1/sqllab/", NULL, &st);
    cr_assert_eq(st, 200);
    json_t *entry = json_object_get(json_object_get(json_object_get(j, "result"), "databases"), db);
    cr_assert_not_null(entry);
    const char *keys[] = {"id", "database_name", "expose_in_sqllab", "allow_run_async", "allow_file_upload",
                          "allow_ctas", "allow_cvas", "allow_dml", "force_ctas_schema", "backend"};
    size_t k = 0;
    const char *key;
    json_t *v;
    json_object_foreach(entry, key, v) cr_expect_str_eq(key, keys[k++]);
    cr_expect_eq(k, 10);
    cr_expect_str_eq(json_string_value(json_object_get(entry, "backend")), "postgresql");
    json_decref(j);

    /* two tabs: the second becomes the active one */
    snprintf(qe, sizeof qe,
             "{\"name\":\"Tab A\",\"dbId\":%s,\"schema\":\"public\",\"sql\":\"SELECT 1\",\"queryLimit\":100,"
             "\"hideLeftBar\":false}",
             db);
    const char *const a_fields[] = {"queryEditor", qe, NULL};
    j = form(&one, "POST", "/tabstateview/", a_fields, &st);
    cr_assert_eq(st, 200);
    long long tab_a = id_of(j);
    json_decref(j);
    snprintf(qe, sizeof qe, "{\"name\":\"\",\"dbId\":%s,\"hideLeftBar\":false}", db);
    j = form(&one, "POST", "/tabstateview/", a_fields, &st);
    cr_assert_eq(st, 200);
    long long tab_b = id_of(j);
    json_decref(j);

    snprintf(path, sizeof path, "/tabstateview/%lld", tab_a);
    j = rest_call(&one, "GET", path, NULL, &st);
    cr_assert_eq(st, 200);
    const char *tab_keys[] = {"id", "user_id", "label", "active", "database_id", "catalog", "schema", "table_schemas",
                              "sql", "query_limit", "latest_query", "autorun", "template_params", "hide_left_bar",
                              "saved_query", "extra_json"};
    k = 0;
    json_object_foreach(j, key, v) cr_expect_str_eq(key, tab_keys[k++]);
    cr_expect_eq(k, 16);
    cr_expect_str_eq(json_string_value(json_object_get(j, "label")), "Tab A");
    cr_expect(json_is_false(json_object_get(j, "active")));
    cr_expect_str_eq(json_string_value(json_object_get(j, "sql")), "SELECT 1");
    cr_expect_eq(json_integer_value(json_object_get(j, "query_limit")), 100);
    cr_expect(json_is_false(json_object_get(j, "autorun")));
    cr_expect_eq(json_object_size(json_object_get(j, "extra_json")), 0);
    json_decref(j);
    snprintf(path, sizeof path, "/tabstateview/%lld", tab_b);
    j = rest_call(&one, "GET", path, NULL, &st);
    cr_expect_str_eq(json_string_value(json_object_get(j, "label")), "Untitled Query");
    cr_expect(json_is_true(json_object_get(j, "active")));
    json_decref(j);

    /* PUT: editor columns only */
    snprintf(path, sizeof path, "/tabstateview/%lld", tab_a);
    const char *const put_fields[] = {"label", "\"Renamed\"", "sql", "\"SELECT 2\"", "extra_json",
                                      "\"{\\\"updatedAt\\\": 1}\"", NULL};
    j = form(&one, "PUT", path, put_fields, &st);
    cr_expect_eq(st, 200);
    cr_expect_eq(json_integer_value(j), tab_a);
    json_decref(j);
    const char *const bad_owner[] = {"user_id", "1", NULL};
    j = form(&one, "PUT", path, bad_owner, &st);
    cr_expect_eq(st, 400);
    cr_expect_str_eq(json_string_value(json_object_get(j, "error")), "Tab state field user_id cannot be changed");
    json_decref(j);
    const char *const unknown[] = {"nope", "1", NULL};
    j = form(&one, "PUT", path, unknown, &st);
    cr_expect_eq(st, 400);
    cr_expect_str_eq(json_string_value(json_object_get(j, "error")),
                     "Entity namespace for \"tab_state\" has no property \"nope\"");
    json_decref(j);

    /* activate A; the bootstrap follows */
    snprintf(path, sizeof path, "/tabstateview/%lld/activate", tab_a);
    j = form(&one, "POST", path, NULL, &st);
    cr_expect_eq(st, 200);
    json_decref(j);
    j = rest_call(&one, "GET", "/api/v1/sqllab/", NULL, &st);
    res = json_object_get(j, "result");
    char expect[128];
    snprintf(expect, sizeof expect, "[[%lld, \"Renamed\"], [%lld, \"Untitled Query\"]]", tab_a, tab_b);
    char *ids = json_dumps(json_object_get(res, "tab_state_ids"), 0);
    cr_expect_str_eq(ids, expect);
    free(ids);
    json_t *active = json_object_get(res, "active_tab");
    cr_expect_eq(id_of(active), tab_a);
    cr_expect_str_eq(json_string_value(json_object_get(active, "sql")), "SELECT 2");
    cr_expect_eq(json_integer_value(json_object_get(json_object_get(active, "extra_json"), "updatedAt")), 1);
    json_decref(j);

    /* table schemas: posting the same table again replaces the entry */
    char table[512];
    snprintf(table, sizeof table,
             "{\"queryEditorId\":%lld,\"dbId\":%s,\"schema\":\"public\",\"name\":\"t1\",\"columns\":[]}", tab_a, db);
    const char *const t_fields[] = {"table", table, NULL};
    j = form(&one, "POST", "/tableschemaview/", t_fields, &st);
    cr_assert_eq(st, 200);
    json_decref(j);
    j = form(&one, "POST", "/tableschemaview/", t_fields, &st);
    cr_assert_eq(st, 200);
    long long schema_id = id_of(j);
    json_decref(j);
    snprintf(path, sizeof path, "/tableschemaview/%lld/expanded", schema_id);
    const char *const e_fields[] = {"expanded", "false", NULL};
    j = form(&one, "POST", path, e_fields, &st);
    cr_expect_eq(st, 200);
    cr_expect(json_is_false(json_object_get(j, "expanded")));
    json_decref(j);
    snprintf(path, sizeof path, "/tabstateview/%lld", tab_a);
    j = rest_call(&one, "GET", path, NULL, &st);
    json_t *schemas = json_object_get(j, "table_schemas");
    cr_expect_eq(json_array_size(schemas), 1);
    json_t *ts = json_array_get(schemas, 0);
    cr_expect_eq(id_of(ts), schema_id);
    cr_expect_str_eq(json_string_value(json_object_get(json_object_get(ts, "description"), "name")), "t1");
    cr_expect(json_is_false(json_object_get(ts, "expanded")));
    json_decref(j);

    /* another user: 403 on the tab and its table schema; a missing tab is 404 */
    j = form(&two, "GET", path, NULL, &st);
    cr_expect_eq(st, 403);
    json_decref(j);
    j = form(&two, "PUT", path, put_fields, &st);
    cr_expect_eq(st, 403);
    json_decref(j);
    snprintf(path, sizeof path, "/tableschemaview/%lld", schema_id);
    j = form(&two, "DELETE", path, NULL, &st);
    cr_expect_eq(st, 403);
    json_decref(j);
    j = form(&two, "GET", "/tabstateview/999999", NULL, &st);
    cr_expect_eq(st, 404);
    json_decref(j);

    /* the latest query, then its removal */
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO query (client_id, database_id, user_id, status, sql, sql_editor_id, changed_on, start_time)"
             " SELECT 'slq1', %s, id, 'success', 'SELECT 2', '%lld', '2024-01-02 03:04:05', 1700000000123.5"
             " FROM ab_user WHERE username = 'sl_one'",
             db, tab_a);
    rest_sql(sql);
    snprintf(path, sizeof path, "/tabstateview/%lld", tab_a);
    const char *const latest[] = {"latest_query_id", "\"slq1\"", NULL};
    j = form(&one, "PUT", path, latest, &st);
    cr_expect_eq(st, 200);
    json_decref(j);
    j = rest_call(&one, "GET", path, NULL, &st);
    json_t *lq = json_object_get(j, "latest_query");
    cr_expect_str_eq(json_string_value(json_object_get(lq, "id")), "slq1");
    cr_expect_str_eq(json_string_value(json_object_get(lq, "state")), "success");
    cr_expect_str_eq(json_string_value(json_object_get(lq, "user")), "sl_one Test");
    cr_expect_str_eq(json_string_value(json_object_get(lq, "changed_on")), "2024-01-02T03:04:05");
    cr_expect_str_eq(json_string_value(json_object_get(lq, "db")), "sqllab_state_db");
    cr_expect(json_real_value(json_object_get(lq, "startDttm")) == 1700000000123.5);
    json_decref(j);
    /* SQL Lab's poll: the user's queries changed since a UTC millisecond time */
    j = rest_call(&one, "GET", "/api/v1/query/updated_since?q=(last_updated_ms:1704164645000)", NULL, &st);
    cr_expect_eq(st, 200);
    cr_expect_eq(json_array_size(json_object_get(j, "result")), 1);
    cr_expect_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(j, "result"), 0), "id")), "slq1");
    json_decref(j);
    j = rest_call(&one, "GET", "/api/v1/query/updated_since?q=(last_updated_ms:1704164646000)", NULL, &st);
    cr_expect_eq(json_array_size(json_object_get(j, "result")), 0);
    json_decref(j);
    j = rest_call(&two, "GET", "/api/v1/query/updated_since?q=(last_updated_ms:0)", NULL, &st);
    cr_expect_eq(json_array_size(json_object_get(j, "result")), 0, "another user's queries");
    json_decref(j);
    j = rest_call(&one, "GET", "/api/v1/query/updated_since?q=(last_updated_ms:abc)", NULL, &st);
    cr_expect_eq(st, 400);
    cr_expect_str_eq(json_string_value(json_object_get(j, "message")),
                     "Not a valid rison schema 'abc' is not of type 'number'");
    json_decref(j);

    snprintf(path, sizeof path, "/tabstateview/%lld/query/slq1", tab_a);
    j = form(&one, "DELETE", path, NULL, &st);
    cr_expect_eq(st, 200);
    cr_expect_str_eq(json_string_value(j), "OK");
    json_decref(j);
    cr_expect_str_eq(rest_sql("SELECT count(*) FROM query WHERE client_id = 'slq1'"), "0");
    snprintf(path, sizeof path, "/tabstateview/%lld", tab_a);
    j = rest_call(&one, "GET", path, NULL, &st);
    cr_expect(json_is_null(json_object_get(j, "latest_query")));
    json_decref(j);

    /* delete the tab with its table schemas */
    j = form(&one, "DELETE", path, NULL, &st);
    cr_expect_eq(st, 200);
    json_decref(j);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM table_schema WHERE tab_state_id = %lld", tab_a);
    cr_expect_str_eq(rest_sql(sql), "0");
    j = form(&one, "GET", path, NULL, &st);
    cr_expect_eq(st, 404);
    json_decref(j);
}
