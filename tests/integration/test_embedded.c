/* GET /api/v1/embedded_dashboard/<uuid> (404 for everyone while
 * EMBEDDED_SUPERSET is off; the stored configuration once on) and GET
 * /api/v1/available_domains/ (SUPERSET_WEBSERVER_DOMAINS or null). */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/integration/harness.h"
#include "tests/integration/rest_client.h"

static void teardown(void) { rest_config(NULL); }

#define EMB_UUID "6f1c2b1e-8d3a-4c55-9a0e-1b2c3d4e5f60"

Test(embedded, gate_and_configuration, .fini = teardown) {
    rest_sql("DELETE FROM embedded_dashboards WHERE uuid = '" EMB_UUID "'");
    rest_sql("INSERT INTO dashboards (dashboard_title, slug, published, created_on, changed_on, uuid)"
             " SELECT 'liteset embedded', 'liteset-embedded', false, now(), now(), gen_random_uuid()"
             " WHERE NOT EXISTS (SELECT 1 FROM dashboards WHERE slug = 'liteset-embedded')");
    rest_sql("INSERT INTO embedded_dashboards (uuid, allow_domain_list, dashboard_id, created_on, changed_on,"
             " changed_by_fk) SELECT '" EMB_UUID "', 'a.example,b.example', id, now(), '2024-05-06 07:08:09', 1"
             " FROM dashboards WHERE slug = 'liteset-embedded'");
    const char *dash_id = rest_sql("SELECT id FROM dashboards WHERE slug = 'liteset-embedded'");
    char want_id[32];
    snprintf(want_id, sizeof want_id, "%s", dash_id);

    rest_config(NULL);
    http_response_t *r = http_get("/api/v1/embedded_dashboard/" EMB_UUID);
    cr_assert_eq(r->status, 404, "feature off: 404 before authentication");
    http_free(r);

    rest_config("FEATURE_FLAGS = {'EMBEDDED_SUPERSET': True}\n"
                 "SUPERSET_WEBSERVER_DOMAINS = ['d1.example', 'd2.example']\n");
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    int st;
    json_t *j = rest_call(&admin, "GET", "/api/v1/embedded_dashboard/" EMB_UUID, NULL, &st);
    cr_assert_eq(st, 200, "%s", json_dumps(j, 0));
    json_t *res = json_object_get(j, "result");
    cr_assert_str_eq(json_string_value(json_object_get(res, "uuid")), EMB_UUID);
    cr_assert_str_eq(json_string_value(json_object_get(res, "dashboard_id")), want_id);
    cr_assert_str_eq(json_string_value(json_object_get(res, "changed_on")), "2024-05-06T07:08:09");
    cr_assert_eq(json_array_size(json_object_get(res, "allowed_domains")), 2);
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(res, "allowed_domains"), 1)), "b.example");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(res, "changed_by"), "username")), "admin");
    json_decref(j);
    j = rest_call(&admin, "GET", "/api/v1/embedded_dashboard/not-a-uuid", NULL, &st);
    cr_assert_eq(st, 404);
    json_decref(j);
    j = rest_call(&admin, "GET", "/api/v1/embedded_dashboard/00000000-0000-0000-0000-000000000000", NULL, &st);
    cr_assert_eq(st, 404);
    json_decref(j);
    r = http_get("/api/v1/embedded_dashboard/" EMB_UUID);
    cr_assert_eq(r->status, 401, "feature on: protected");
    http_free(r);

    j = rest_call(&admin, "GET", "/api/v1/available_domains/", NULL, &st);
    cr_assert_eq(st, 200);
    json_t *domains = json_object_get(json_object_get(j, "result"), "domains");
    cr_assert_eq(json_array_size(domains), 2, "%s", json_dumps(j, 0));
    cr_assert_str_eq(json_string_value(json_array_get(domains, 0)), "d1.example");
    json_decref(j);
    rest_sql("DELETE FROM embedded_dashboards WHERE uuid = '" EMB_UUID "'");
    rest_sql("DELETE FROM dashboards WHERE slug = 'liteset-embedded'");
}

Test(embedded, available_domains_unset) {
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    int st;
    json_t *j = rest_call(&admin, "GET", "/api/v1/available_domains/", NULL, &st);
    cr_assert_eq(st, 200);
    cr_assert(json_is_null(json_object_get(json_object_get(j, "result"), "domains")), "%s", json_dumps(j, 0));
    json_decref(j);
}
