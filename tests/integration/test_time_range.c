/* GET /api/v1/time_range/ through nginx: the since/until of the frontend's
 * time range phrases for Admin and Gamma, shifts, several ranges at once,
 * the 400 for unreadable ranges, the reference's 500 for malformed `q`, and
 * @has_access_api's 401 for anonymous clients. The values that depend on the
 * clock are checked against the database server's (same machine) clock. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <string.h>

#include "tests/integration/harness.h"
#include "tests/integration/rest_client.h"

TestSuite(time_range, .timeout = 60);

static json_t *get(rest_session_t *s, const char *q, int *status) {
    char path[1024];
    snprintf(path, sizeof path, "/api/v1/time_range/?q=%s", q);
    return rest_call(s, "GET", path, NULL, status);
}

Test(time_range, ranges_for_admin_and_gamma) {
    rest_create_user("Gamma", "tr_gamma");
    const char *users[] = {"admin", "tr_gamma"};
    for (int u = 0; u < 2; u++) {
        rest_session_t s;
        rest_open_browser(&s, users[u], u ? "tr_gamma" : "admin");
        int st;
        json_t *j = get(&s, "'Last%20week'", &st);
        cr_assert_eq(st, 200, "%s", users[u]);
        json_t *item = json_array_get(json_object_get(j, "result"), 0);
        /* today at midnight and seven days before, in the server's local time */
        char expect_until[40], expect_since[40];
        snprintf(expect_until, sizeof expect_until, "%s",
                 rest_sql("SELECT to_char(current_date, 'YYYY-MM-DD\"T\"00:00:00')"));
        snprintf(expect_since, sizeof expect_since, "%s",
                 rest_sql("SELECT to_char(current_date - 7, 'YYYY-MM-DD\"T\"00:00:00')"));
        cr_expect_str_eq(json_string_value(json_object_get(item, "since")), expect_since);
        cr_expect_str_eq(json_string_value(json_object_get(item, "until")), expect_until);
        cr_expect_str_eq(json_string_value(json_object_get(item, "timeRange")), "Last week");
        cr_expect(json_is_null(json_object_get(item, "shift")));
        json_decref(j);
    }
}

Test(time_range, lists_shifts_and_fixed_dates) {
    rest_session_t s;
    rest_open_browser(&s, "admin", "admin");
    int st;
    json_t *j = get(&s,
                    "!((timeRange:'2020-01-01T00:00:00%20:%202020-03-01T00:00:00',shift:'1%20year%20ago'),"
                    "(timeRange:'No%20filter'),"
                    "(timeRange:'DATEADD(DATETIME(\"2020-01-31\"),%201,%20month)%20:%20'))",
                    &st);
    cr_assert_eq(st, 200);
    json_t *res = json_object_get(j, "result");
    cr_assert_eq(json_array_size(res), 3);
    char *text = json_dumps(res, JSON_COMPACT);
    cr_expect_str_eq(text,
                     "[{\"since\":\"2019-01-01T00:00:00\",\"until\":\"2019-03-01T00:00:00\","
                     "\"timeRange\":\"2020-01-01T00:00:00 : 2020-03-01T00:00:00\",\"shift\":\"1 year ago\"},"
                     "{\"since\":\"\",\"until\":\"\",\"timeRange\":\"No filter\",\"shift\":null},"
                     "{\"since\":\"2020-02-29T00:00:00\",\"until\":\"\","
                     "\"timeRange\":\"DATEADD(DATETIME(\\\"2020-01-31\\\"), 1, month) : \",\"shift\":null}]");
    free(text);
    json_decref(j);
    /* JSON instead of rison, as FAB_API_ALLOW_JSON_QS allows */
    j = get(&s, "%5B%7B%22timeRange%22%3A%222021-06-01%20%3A%202021-07-01%22%7D%5D", &st);
    cr_assert_eq(st, 200);
    cr_expect_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(j, "result"), 0), "until")),
                     "2021-07-01T00:00:00");
    json_decref(j);
}

Test(time_range, errors_like_the_reference) {
    rest_session_t s;
    rest_open_browser(&s, "admin", "admin");
    struct {
        const char *q;
        int status;
        const char *key;
        const char *text;
    } cases[] = {
        {"'tomorrow%20:%20yesterday'", 400, "message", "Unexpected time range: From date cannot be larger than to date"},
        {"'5%20days%20:%20now'", 400, "message",
         "Unexpected time range: Time string is ambiguous. Please specify [5 days ago] or [5 days later]."},
        {"'xyz%20:%20now'", 400, "message", "Unexpected time range: Cannot parse time string [xyz]"},
        {"!((shift:'1%20day'))", 500, "error", "'timeRange'"},
        {"(timeRange:'Last%20week')", 500, "error", "'Api' object has no attribute 'response_400'"},
        {"!(1)", 500, "error", "'Api' object has no attribute 'response_400'"},
        {"(a:'", 500, "error", "'Api' object has no attribute 'response_400'"},
        /* prison itself dies on this one; @handle_api_exception reports the exception */
        {"(((", 500, "error", "maximum recursion depth exceeded"},
        {"", 500, "error", "'Api' object has no attribute 'response_400'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int st;
        json_t *j = get(&s, cases[i].q, &st);
        cr_expect_eq(st, cases[i].status, "q=%s: %d", cases[i].q, st);
        cr_expect_str_eq(json_string_value(json_object_get(j, cases[i].key)), cases[i].text, "q=%s", cases[i].q);
        json_decref(j);
    }
}

Test(time_range, anonymous_is_refused_with_401) {
    http_response_t *r = http_get("/api/v1/time_range/?q='Last%20week'");
    cr_assert_eq(r->status, 401);
    json_t *j = json_loads(r->body, 0, NULL);
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")), "Access is Denied");
    cr_assert_str_eq(json_string_value(json_object_get(j, "severity")), "danger");
    json_decref(j);
    http_free(r);
}
