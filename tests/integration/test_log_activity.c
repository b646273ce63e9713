/* GET /api/v1/log/recent_activity/ (distinct per dashboard/chart or every
 * view, event-name match, titles, URLs, paging, rison schema errors, Gamma
 * allowed) and the SUPERSET_LOG_VIEW gate of the log list and item (404)
 * that leaves recent_activity served. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/integration/rest_client.h"
#include "tests/integration/harness.h"

static void restore_config(void) { rest_config(NULL); }

static json_t *get(rest_session_t *s, const char *path, int want) {
    int st;
    json_t *j = rest_call(s, "GET", path, NULL, &st);
    char *d = json_dumps(j, 0);
    cr_assert_eq(st, want, "%s: %d %s", path, st, d);
    free(d);
    return j;
}

Test(log_activity, recent_activity) {
    rest_create_user("Gamma", "la_gamma");
    const char *uid = rest_sql("SELECT id FROM ab_user WHERE username = 'la_gamma'");
    char u[32], sql[1024];
    snprintf(u, sizeof u, "%s", uid);
    rest_sql("DELETE FROM logs WHERE user_id = (SELECT id FROM ab_user WHERE username = 'la_gamma')");
    rest_sql("DELETE FROM slices WHERE slice_name = 'la_chart'");
    rest_sql("DELETE FROM dashboards WHERE slug = 'la-dash'");
    char dash[32], chart[32];
    snprintf(dash, sizeof dash, "%s", rest_sql("INSERT INTO dashboards (dashboard_title, slug, created_on, changed_on, uuid, published)"
                                               " VALUES ('LA Dash', 'la-dash', now(), now(), gen_random_uuid(), true) RETURNING id"));
    snprintf(chart, sizeof chart, "%s", rest_sql("INSERT INTO slices (slice_name, viz_type, created_on, changed_on, uuid)"
                                                 " VALUES ('la_chart', 'table', now(), now(), gen_random_uuid()) RETURNING id"));
    snprintf(sql, sizeof sql,
             "INSERT INTO logs (action, user_id, json, dttm, dashboard_id, slice_id) VALUES"
             " ('log', %1$s, '{\"event_name\": \"mount_dashboard\"}', timezone('utc', now()) - interval '10 minutes', %2$s, NULL),"
             " ('log', %1$s, '{\"event_name\": \"mount_dashboard\"}', timezone('utc', now()) - interval '3 minutes', %2$s, NULL),"
             " ('log', %1$s, '{\"event_name\": \"mount_explorer\"}', '2000-01-01 00:00:00.25', NULL, %3$s),"
             " ('log', %1$s, '{\"event_name\": \"mount_explorer\"}', timezone('utc', now()) - interval '2 hours', NULL, %3$s),"
             " ('log', %1$s, '{\"event_name\": \"spa_navigation\"}', timezone('utc', now()), %2$s, NULL),"
             " ('other', %1$s, '{\"event_name\": \"mount_dashboard\"}', timezone('utc', now()), %2$s, NULL)",
             u, dash, chart);
    rest_sql(sql);
    rest_session_t gamma;
    rest_open(&gamma, "la_gamma", "la_gamma");
    json_t *j = get(&gamma, "/api/v1/log/recent_activity/", 200);
    json_t *res = json_object_get(j, "result");
    cr_assert_eq(json_array_size(res), 2, "one row per dashboard and chart within a year");
    json_t *a = json_array_get(res, 0), *b = json_array_get(res, 1);
    cr_assert_str_eq(json_string_value(json_object_get(a, "item_type")), "dashboard");
    cr_assert_str_eq(json_string_value(json_object_get(a, "item_title")), "LA Dash");
    cr_assert_str_eq(json_string_value(json_object_get(a, "item_url")), "/superset/dashboard/la-dash/");
    cr_assert_str_eq(json_string_value(json_object_get(a, "time_delta_humanized")), "3 minutes ago");
    cr_assert_str_eq(json_string_value(json_object_get(a, "action")), "log");
    cr_assert_str_eq(json_string_value(json_object_get(b, "item_type")), "slice");
    char want[256];
    snprintf(want, sizeof want, "/explore/?slice_id=%s&form_data=%%7B%%22slice_id%%22%%3A%%20%s%%7D", chart, chart);
    cr_assert_str_eq(json_string_value(json_object_get(b, "item_url")), want);
    cr_assert_str_eq(json_string_value(json_object_get(b, "time_delta_humanized")), "2 hours ago");
    cr_assert(json_is_real(json_object_get(b, "time")));
    json_decref(j);

    /* every view, paged; the 2000 row is older than a year but not filtered here */
    j = get(&gamma, "/api/v1/log/recent_activity/?q=(distinct:!f,page:1,page_size:3)", 200);
    res = json_object_get(j, "result");
    cr_assert_eq(json_array_size(res), 1);
    cr_assert_eq(json_real_value(json_object_get(json_array_get(res, 0), "time")), 946684800250.0);
    json_decref(j);
    j = get(&gamma, "/api/v1/log/recent_activity/?q=(actions:!(spa_navigation))", 200);
    cr_assert_eq(json_array_size(json_object_get(j, "result")), 1);
    const char *ago = json_string_value(json_object_get(json_array_get(json_object_get(j, "result"), 0), "time_delta_humanized"));
    cr_assert(!strcmp(ago, "now") || !strcmp(ago, "a second ago") || strstr(ago, "seconds ago"), "%s", ago);
    json_decref(j);
    j = get(&gamma, "/api/v1/log/recent_activity/?q=(page_size:'2')", 400);
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")), "Not a valid rison schema '2' is not of type 'number'");
    json_decref(j);
    json_decref(get(&gamma, "/api/v1/log/recent_activity/?q=(actions:!(1))", 400));
    json_decref(get(&gamma, "/api/v1/log/recent_activity/?q=(distinct:1)", 400));
}

Test(log_activity, log_view_gate, .fini = restore_config) {
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    const char *id = rest_sql("SELECT max(id) FROM logs");
    char path[64];
    snprintf(path, sizeof path, "/api/v1/log/%s", *id ? id : "1");
    rest_config("SUPERSET_LOG_VIEW = False");
    json_t *j = get(&admin, "/api/v1/log/", 404);
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")), "Not found");
    json_decref(j);
    json_decref(get(&admin, path, 404));
    http_response_t *r = http_get("/api/v1/log/");
    cr_assert_eq(r->status, 404, "the gate answers before authentication");
    http_free(r);
    json_decref(get(&admin, "/api/v1/log/recent_activity/", 200));
    rest_config(NULL);
    json_decref(get(&admin, "/api/v1/log/", 200));
}
