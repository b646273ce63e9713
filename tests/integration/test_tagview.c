/* GET /tagview/tags/ through nginx: 404 while TAGGING_SYSTEM is off, then
 * every tag with its type name and epoch-millisecond changed_on for a
 * session user, and @has_access_api's 401 for anonymous clients. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <string.h>

#include "tests/integration/harness.h"
#include "tests/integration/rest_client.h"

static void restore(void) { rest_config(NULL); }

TestSuite(tagview, .fini = restore, .timeout = 60);

Test(tagview, gated_then_listed) {
    rest_session_t s;
    rest_open_browser(&s, "admin", "admin");
    http_response_t *r = http_get("/tagview/tags/");
    cr_expect_eq(r->status, 404, "TAGGING_SYSTEM is off");
    http_free(r);

    rest_config("FEATURE_FLAGS = {'TAGGING_SYSTEM': True}");
    rest_sql("INSERT INTO tag (name, type, changed_on, created_on) VALUES ('tagview:x', 'custom',"
             " '2024-01-02 03:04:05.5', '2024-01-02 03:04:05.5')");
    int st;
    json_t *j = rest_call(&s, "GET", "/tagview/tags/", NULL, &st);
    cr_assert_eq(st, 200);
    json_t *found = NULL;
    size_t i;
    json_t *t;
    json_array_foreach(j, i, t) if (!strcmp(json_string_value(json_object_get(t, "name")), "tagview:x")) found = t;
    cr_assert_not_null(found);
    cr_expect_str_eq(json_string_value(json_object_get(found, "type")), "custom");
    cr_expect(json_real_value(json_object_get(found, "changed_on")) == 1704164645500.0);
    cr_expect(json_is_null(json_object_get(found, "changed_by")));
    json_decref(j);

    r = http_get("/tagview/tags/");
    cr_expect_eq(r->status, 401);
    http_free(r);
}
