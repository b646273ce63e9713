/* /api/v1/log: list keys and titles (newest first), a filter, item 404,
 * no _info, and only id accepted on create. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/integration/harness.h"
#include "tests/integration/rest_client.h"

Test(log, list_item_filter) {
    rest_session_t s;
    rest_open(&s, "admin", "admin");
    int st;
    rest_sql("DELETE FROM logs WHERE action IN ('liteset_old', 'liteset_new')");
    rest_sql("INSERT INTO logs (action, user_id, json, dttm) VALUES ('liteset_old', 1, '{}', localtimestamp - interval '1 day'),"
             " ('liteset_new', 1, '{}', localtimestamp + interval '1 day')");
    json_t *j = rest_call(&s, "GET", "/api/v1/log/?q=(filters:!((col:action,opr:sw,value:liteset_)))", NULL, &st);
    cr_assert_eq(st, 200, "%s", json_dumps(j, 0));
    cr_assert_eq(json_integer_value(json_object_get(j, "count")), 2);
    cr_assert_str_eq(json_string_value(json_object_get(j, "list_title")), "Logs");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "label_columns"), "json")), "JSON");
    cr_assert_eq(json_array_size(json_object_get(j, "list_columns")), 11);
    json_t *first = json_array_get(json_object_get(j, "result"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(first, "action")), "liteset_new", "base order dttm desc");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(first, "user"), "username")), "admin");
    long long id = json_integer_value(json_array_get(json_object_get(j, "ids"), 0));
    json_decref(j);

    char path[128];
    snprintf(path, sizeof path, "/api/v1/log/%lld", id);
    j = rest_call(&s, "GET", path, NULL, &st);
    cr_assert_eq(st, 200);
    cr_assert_str_eq(json_string_value(json_object_get(j, "show_title")), "Show Log");
    json_decref(j);
    j = rest_call(&s, "GET", "/api/v1/log/99999999", NULL, &st);
    cr_assert_eq(st, 404);
    json_decref(j);
    j = rest_call(&s, "POST", "/api/v1/log/", "{\"action\":\"x\"}", &st);
    cr_assert_eq(st, 422, "only id is an add column");
    json_decref(j);
    http_response_t *r = http_request("GET", "/api/v1/log/_info", (const char *const[]){s.bearer, NULL}, NULL, 0);
    cr_assert(r && r->status != 200, "LogRestApi has no _info");
    http_free(r);
}
