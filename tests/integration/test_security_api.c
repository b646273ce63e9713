/* Flask-AppBuilder's security model APIs through nginx on the generic
 * engine: list with rison q (filters, ordering, paging, keys), item, _info,
 * create / edit / delete of users and roles, error bodies, and RBAC (Gamma is
 * refused). */
#include <criterion/criterion.h>
#include <jansson.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/integration/harness.h"

static char g_admin[2048];

static const char *bearer(const char *user, const char *password, char *buf, size_t n) {
    char body[256];
    snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"%s\",\"provider\":\"db\"}", user, password);
    const char *const ct[] = {"Content-Type: application/json", NULL};
    http_response_t *r = http_request("POST", "/api/v1/security/login", ct, body, strlen(body));
    if (!r || r->status != 200) {
        http_free(r);
        return NULL;
    }
    json_t *j = json_loads(r->body, 0, NULL);
    snprintf(buf, n, "Authorization: Bearer %s", json_string_value(json_object_get(j, "access_token")));
    json_decref(j);
    http_free(r);
    return buf;
}

/* Sends a request as admin; returns the parsed body (caller decrefs) and status. */
static json_t *call(const char *method, const char *path, const char *body, int *status) {
    if (!g_admin[0]) cr_assert(bearer("admin", "admin", g_admin, sizeof g_admin));
    const char *const h[] = {g_admin, "Content-Type: application/json", NULL};
    http_response_t *r = http_request(method, path, h, body, body ? strlen(body) : 0);
    cr_assert(r, "%s %s: no response", method, path);
    *status = r->status;
    json_t *j = json_loads(r->body, JSON_DECODE_ANY, NULL);
    cr_assert(j, "%s %s: not JSON: %s", method, path, r->body);
    http_free(r);
    return j;
}

/* json_equal with an expected value built for the comparison (stolen). */
static bool equals_new(const json_t *got, json_t *expected) {
    bool eq = json_equal(got, expected);
    json_decref(expected);
    return eq;
}

static const char *msg_of(json_t *j) { return json_string_value(json_object_get(j, "message")); }

Test(security_api, roles_list_shape_and_filters) {
    int st;
    json_t *j = call("GET", "/api/v1/security/roles/", NULL, &st);
    cr_assert_eq(st, 200);
    cr_assert_geq(json_integer_value(json_object_get(j, "count")), 5);
    cr_assert_str_eq(json_string_value(json_object_get(j, "list_title")), "List Role");
    cr_assert(equals_new(json_object_get(j, "list_columns"), json_pack("[s,s]", "id", "name")));
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "label_columns"), "name")), "Name");
    cr_assert_eq(json_array_size(json_object_get(j, "ids")), json_array_size(json_object_get(j, "result")));
    json_decref(j);

    j = call("GET", "/api/v1/security/roles/?q=(filters:!((col:name,opr:eq,value:Gamma)))", NULL, &st);
    cr_assert_eq(st, 200);
    cr_assert_eq(json_integer_value(json_object_get(j, "count")), 1);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(j, "result"), 0), "name")), "Gamma");
    json_decref(j);

    j = call("GET", "/api/v1/security/roles/?q=(order_column:name,order_direction:asc,page_size:2,keys:!(none))", NULL, &st);
    cr_assert_eq(st, 200);
    cr_assert_eq(json_array_size(json_object_get(j, "result")), 2);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(j, "result"), 0), "name")), "Admin");
    cr_assert_null(json_object_get(j, "list_columns"), "keys:!(none) drops the metadata");
    json_decref(j);

    j = call("GET", "/api/v1/security/roles/?q=(filters:!((col:name,opr:sw,value:'a')),order_column:id,order_direction:asc)",
             NULL, &st);
    cr_assert_eq(st, 200);
    cr_assert_geq(json_integer_value(json_object_get(j, "count")), 2, "Admin and Alpha start with a (ILIKE)");
    json_decref(j);
}

Test(security_api, list_errors) {
    static const struct {
        const char *q;
        int status;
        const char *message;
    } cases[] = {
        {"(order_column:nope)", 400, "Invalid order by column: nope"},
        {"(filters:!((col:nope,opr:eq,value:1)))", 400, "Filter column: nope not allowed to filter"},
        {"(filters:!((col:name,opr:gt,value:1)))", 400, "Filter operation: gt not allowed on column: name"},
        {"(filters:!((col:name,opr:eq)))", 400, "Not a valid rison schema 'value' is a required property"},
        {"(page:abc)", 400, "Not a valid rison schema 'abc' is not of type 'integer'"},
        {"(order_direction:up)", 400, "Not a valid rison schema 'up' is not one of ['asc', 'desc']"},
        {"(columns:!(id),select_columns:!(id))", 400, "Cannot use both select and sel columns"},
        {"(a)", 400, "Not a valid rison/json argument"},
        {"(filters:!((col:name,opr:eq,value:'x!';%20DROP%20TABLE%20ab_user;%20--')))", 200, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "/api/v1/security/roles/?q=%s", cases[i].q);
        int st;
        json_t *j = call("GET", path, NULL, &st);
        cr_expect_eq(st, cases[i].status, "q=%s: %d", cases[i].q, st);
        if (cases[i].message) cr_expect_str_eq(msg_of(j) ? msg_of(j) : "", cases[i].message, "q=%s", cases[i].q);
        json_decref(j);
    }
    /* unknown operator on a searchable column is ignored */
    int st;
    json_t *j = call("GET", "/api/v1/security/roles/?q=(filters:!((col:name,opr:zz,value:x)))", NULL, &st);
    cr_assert_eq(st, 200);
    json_decref(j);
}

Test(security_api, user_item_and_info) {
    int st;
    json_t *j = call("GET", "/api/v1/security/users/1", NULL, &st);
    cr_assert_eq(st, 200);
    cr_assert_eq(json_integer_value(json_object_get(j, "id")), 1);
    json_t *res = json_object_get(j, "result");
    cr_assert_str_eq(json_string_value(json_object_get(res, "username")), "admin");
    json_t *role = json_array_get(json_object_get(res, "roles"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(role, "name")), "Admin");
    cr_assert(json_is_array(json_object_get(res, "groups")));
    cr_assert_null(json_object_get(res, "password"), "never serialised");
    cr_assert_str_eq(json_string_value(json_object_get(j, "show_title")), "Show User");
    json_decref(j);

    j = call("GET", "/api/v1/security/users/987654", NULL, &st);
    cr_assert_eq(st, 404);
    cr_assert_str_eq(msg_of(j), "Not found");
    json_decref(j);

    j = call("GET", "/api/v1/security/users/_info?q=(keys:!(permissions))", NULL, &st);
    cr_assert_eq(st, 200);
    json_t *perms = json_object_get(j, "permissions");
    cr_assert_eq(json_array_size(perms), 5, "%zu", json_array_size(perms));
    json_decref(j);
}

Test(security_api, user_create_login_edit_delete) {
    int st;
    json_t *j = call("GET", "/api/v1/security/roles/?q=(filters:!((col:name,opr:eq,value:Gamma)))", NULL, &st);
    long long gamma = json_integer_value(json_array_get(json_object_get(j, "ids"), 0));
    json_decref(j);
    cr_assert_gt(gamma, 0);

    char body[512];
    snprintf(body, sizeof body,
             "{\"username\":\"api_user\",\"first_name\":\"Api\",\"last_name\":\"User\",\"email\":\"api@x.test\","
             "\"password\":\"s3cret\",\"active\":true,\"roles\":[%lld]}", gamma);
    j = call("POST", "/api/v1/security/users/", body, &st);
    cr_assert_eq(st, 201, "%s", json_dumps(j, 0));
    long long id = json_integer_value(json_object_get(j, "id"));
    cr_assert_eq(json_object_size(j), 1, "FAB answers {\"id\": N}");
    json_decref(j);

    char tok[2048];
    cr_assert(bearer("api_user", "s3cret", tok, sizeof tok), "the created user logs in");
    const char *const h[] = {tok, NULL};
    http_response_t *r = http_request("GET", "/api/v1/security/users/", h, NULL, 0);
    cr_assert_eq(r->status, 403, "Gamma may not list users");
    cr_assert_str_eq(r->body, "{\"message\":\"Forbidden\"}\n");
    http_free(r);

    char path[128];
    snprintf(path, sizeof path, "/api/v1/security/users/%lld", id);
    j = call("PUT", path, "{\"first_name\":\"Renamed\"}", &st);
    cr_assert_eq(st, 200);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "result"), "first_name")), "Renamed");
    json_decref(j);

    j = call("POST", "/api/v1/security/users/", "{\"username\":\"x\"}", &st);
    cr_assert_eq(st, 422);
    cr_assert(json_object_get(json_object_get(j, "message"), "email"));
    json_decref(j);

    j = call("DELETE", path, NULL, &st);
    cr_assert_eq(st, 200);
    cr_assert_str_eq(msg_of(j), "OK");
    json_decref(j);
    j = call("DELETE", path, NULL, &st);
    cr_assert_eq(st, 404);
    json_decref(j);
}

Test(security_api, role_create_duplicate_delete) {
    int st;
    json_t *j = call("POST", "/api/v1/security/roles/", "{\"name\":\"ApiTestRole\"}", &st);
    cr_assert_eq(st, 201);
    long long id = json_integer_value(json_object_get(j, "id"));
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "result"), "name")), "ApiTestRole");
    json_decref(j);
    j = call("POST", "/api/v1/security/roles/", "{\"name\":\"ApiTestRole\"}", &st);
    cr_assert_eq(st, 422, "duplicate role name");
    json_decref(j);
    j = call("POST", "/api/v1/security/roles/", "{\"name\":5}", &st);
    cr_assert_eq(st, 422);
    cr_assert(equals_new(json_object_get(j, "message"), json_pack("{s:[s]}", "name", "Not a valid string.")));
    json_decref(j);
    char path[128];
    snprintf(path, sizeof path, "/api/v1/security/roles/%lld", id);
    j = call("DELETE", path, NULL, &st);
    cr_assert_eq(st, 200);
    json_decref(j);
}

Test(security_api, permissions_resources_nested) {
    int st;
    json_t *j = call("GET", "/api/v1/security/permissions-resources/?q=(page_size:1,order_column:id,order_direction:asc)",
                     NULL, &st);
    cr_assert_eq(st, 200);
    char conninfo[512];
    snprintf(conninfo, sizeof conninfo, "host=%s port=%s user=%s dbname=%s", harness_env("LITESET_TEST_PGHOST"),
             harness_env("LITESET_TEST_PGPORT"), harness_env("LITESET_TEST_PGUSER"), harness_env("LITESET_TEST_DB"));
    PGconn *pg = PQconnectdb(conninfo);
    PGresult *r = PQexec(pg, "SELECT count(*) FROM ab_permission_view");
    long long expected = atoll(PQgetvalue(r, 0, 0));
    PQclear(r);
    PQfinish(pg);
    cr_assert_geq(expected, 215, "at least the reference's 215 permission-view pairs after init");
    cr_assert_eq(json_integer_value(json_object_get(j, "count")), expected);
    json_t *row = json_array_get(json_object_get(j, "result"), 0);
    cr_assert(json_is_string(json_object_get(json_object_get(row, "permission"), "name")));
    cr_assert(json_is_string(json_object_get(json_object_get(row, "view_menu"), "name")));
    cr_assert_str_eq(json_string_value(json_object_get(j, "list_title")), "List Permission View");
    json_decref(j);
}

Test(security_api, role_permissions_users_groups) {
    int st;
    json_t *j = call("GET", "/api/v1/security/roles/?q=(filters:!((col:name,opr:eq,value:Gamma)))", NULL, &st);
    long long gamma = json_integer_value(json_array_get(json_object_get(j, "ids"), 0));
    json_decref(j);
    char path[160];
    snprintf(path, sizeof path, "/api/v1/security/roles/%lld/permissions/", gamma);
    j = call("GET", path, NULL, &st);
    cr_assert_eq(st, 200);
    json_t *list = json_object_get(j, "result");
    cr_assert_eq(json_array_size(list), 88, "Gamma holds the reference's 88 grants, got %zu", json_array_size(list));
    json_t *first = json_array_get(list, 0);
    cr_assert(json_is_integer(json_object_get(first, "id")) && json_is_string(json_object_get(first, "permission_name")) &&
              json_is_string(json_object_get(first, "view_menu_name")));
    long long pv1 = json_integer_value(json_object_get(first, "id"));
    json_decref(j);

    j = call("POST", "/api/v1/security/roles/", "{\"name\":\"ApiExtrasRole\"}", &st);
    cr_assert_eq(st, 201);
    long long role = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
    char body[128];
    snprintf(body, sizeof body, "{\"permission_view_menu_ids\":[%lld, 99999999]}", pv1);
    snprintf(path, sizeof path, "/api/v1/security/roles/%lld/permissions", role);
    j = call("POST", path, body, &st);
    cr_assert_eq(st, 200, "%s", json_dumps(j, 0));
    json_decref(j);
    snprintf(path, sizeof path, "/api/v1/security/roles/%lld/permissions/", role);
    j = call("GET", path, NULL, &st);
    cr_assert_eq(json_array_size(json_object_get(j, "result")), 1, "unknown permission ids are dropped");
    json_decref(j);

    snprintf(path, sizeof path, "/api/v1/security/roles/%lld/users", role);
    j = call("PUT", path, "{\"user_ids\":[1, 99999999]}", &st);
    cr_assert_eq(st, 404, "unknown users make the whole update 404");
    json_decref(j);
    j = call("PUT", path, "{\"user_ids\":\"x\"}", &st);
    cr_assert_eq(st, 400);
    json_decref(j);
    j = call("PUT", path, "{\"user_ids\":[1]}", &st);
    cr_assert_eq(st, 200);
    json_decref(j);
    j = call("PUT", path, "{\"user_ids\":[]}", &st);
    cr_assert_eq(st, 200);
    json_decref(j);

    snprintf(path, sizeof path, "/api/v1/security/roles/%lld", role);
    j = call("DELETE", path, NULL, &st);
    cr_assert_eq(st, 200, "a role with grants can be deleted (grants go first)");
    json_decref(j);
}

Test(security_api, roles_search_and_registrations) {
    int st;
    json_t *j = call("GET", "/api/v1/security/roles/search/?q=(filters:!((col:name,opr:ct,value:amm)),order_column:name)",
                     NULL, &st);
    cr_assert_eq(st, 200, "%s", json_dumps(j, 0));
    cr_assert_eq(json_integer_value(json_object_get(j, "count")), 1);
    json_t *row = json_array_get(json_object_get(j, "result"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(row, "name")), "Gamma");
    cr_assert_eq(json_array_size(json_object_get(row, "permission_ids")), 88);
    cr_assert(json_is_array(json_object_get(row, "user_ids")) && json_is_array(json_object_get(row, "group_ids")));
    json_decref(j);
    j = call("GET", "/api/v1/security/roles/search/?q=(order_column:nope)", NULL, &st);
    cr_assert_eq(st, 400);
    cr_assert_str_eq(msg_of(j), "Invalid order column: nope");
    json_decref(j);

    j = call("GET", "/api/v1/security/user_registrations/", NULL, &st);
    cr_assert_eq(st, 200);
    cr_assert_str_eq(json_string_value(json_object_get(j, "list_title")), "List Register User");
    json_decref(j);
    j = call("GET", "/api/v1/security/user_registrations/distinct/username", NULL, &st);
    cr_assert_eq(st, 200);
    cr_assert(json_is_integer(json_object_get(j, "count")) && json_is_array(json_object_get(j, "result")));
    json_decref(j);
    j = call("GET", "/api/v1/security/user_registrations/distinct/nope", NULL, &st);
    cr_assert_eq(st, 404);
    json_decref(j);
    j = call("GET", "/api/v1/security/user_registrations/related/anything", NULL, &st);
    cr_assert_eq(st, 404);
    json_decref(j);
}
