/* /api/v1/report: the ALERT_REPORTS gate (404 before authentication while
 * off), then as Admin: POST (schema errors 400, command errors 422, one
 * report per dashboard and user 409), list with crontab_humanized and
 * extra, item with recipients and owners, PUT (recipients replaced,
 * 404 for unknown ids), the execution logs of one schedule, related
 * charts, slack_channels without a token, DELETE and bulk delete; Gamma has
 * no ReportSchedule permission (403). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/integration/rest_client.h"
#include "tests/integration/harness.h"

static void restore_config(void) { rest_config(NULL); }

static json_t *call(rest_session_t *s, const char *method, const char *path, const char *body, int want) {
    int st;
    json_t *j = rest_call(s, method, path, body, &st);
    char *d = json_dumps(j, JSON_SORT_KEYS);
    cr_assert_eq(st, want, "%s %s: %d %s", method, path, st, d);
    free(d);
    return j;
}

static const char *msg_of(json_t *j, const char *field) {
    return json_string_value(json_array_get(json_object_get(json_object_get(j, "message"), field), 0));
}

static void cleanup(void) {
    rest_sql("DELETE FROM report_execution_log WHERE report_schedule_id IN (SELECT id FROM report_schedule WHERE name LIKE 'rp\\_%')");
    rest_sql("DELETE FROM report_recipient WHERE report_schedule_id IN (SELECT id FROM report_schedule WHERE name LIKE 'rp\\_%')");
    rest_sql("DELETE FROM report_schedule_user WHERE report_schedule_id IN (SELECT id FROM report_schedule WHERE name LIKE 'rp\\_%')");
    rest_sql("DELETE FROM report_schedule WHERE name LIKE 'rp\\_%'");
}

Test(report, gate_crud_and_logs, .fini = restore_config) {
    cleanup();
    rest_config(NULL);
    http_response_t *r = http_get("/api/v1/report/");
    cr_assert_eq(r->status, 404, "ALERT_REPORTS off: 404 before authentication");
    cr_assert(strstr(r->body, "\"message\":\"Not found\""), "%s", r->body);
    http_free(r);
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    json_decref(call(&admin, "GET", "/api/v1/report/_info", NULL, 404));
    json_decref(call(&admin, "POST", "/api/v1/report/", "{}", 404));
    json_decref(call(&admin, "GET", "/api/v1/report/1/log/", NULL, 404));
    json_decref(call(&admin, "GET", "/api/v1/report/slack_channels/", NULL, 404));

    rest_config("FEATURE_FLAGS = {'ALERT_REPORTS': True}");
    rest_open(&admin, "admin", "admin");
    rest_sql("DELETE FROM dashboards WHERE slug = 'rp-dash'");
    char dash[32], body[1024], path[128], sql[512];
    snprintf(dash, sizeof dash, "%s", rest_sql("INSERT INTO dashboards (dashboard_title, slug, created_on, changed_on, uuid,"
                                               " published, position_json) VALUES ('RP Dash', 'rp-dash', now(), now(),"
                                               " gen_random_uuid(), true, '{\"TAB-1\": {}}') RETURNING id"));
    /* schema errors */
    json_t *j = call(&admin, "POST", "/api/v1/report/",
                     "{\"type\": \"Weekly\", \"name\": \"\", \"crontab\": \"61 * * * *\", \"log_retention\": 0,"
                     " \"active\": \"maybe\", \"bogus\": 1, \"owners\": [\"x\"]}", 400);
    cr_assert_str_eq(msg_of(j, "type"), "Must be one of: Alert, Report.");
    cr_assert_str_eq(msg_of(j, "name"), "Length must be between 1 and 150.");
    cr_assert_str_eq(msg_of(j, "crontab"), "Cron expression is not valid");
    cr_assert_str_eq(msg_of(j, "log_retention"), "Value must be greater than 0");
    cr_assert_str_eq(msg_of(j, "active"), "Not a valid boolean.");
    cr_assert_str_eq(msg_of(j, "bogus"), "Unknown field.");
    json_decref(j);
    j = call(&admin, "POST", "/api/v1/report/", "{\"name\": \"rp_x\"}", 400);
    cr_assert_str_eq(msg_of(j, "type"), "Missing data for required field.");
    cr_assert_str_eq(msg_of(j, "crontab"), "Missing data for required field.");
    json_decref(j);
    /* command errors */
    j = call(&admin, "POST", "/api/v1/report/",
             "{\"type\": \"Alert\", \"name\": \"rp_alert\", \"crontab\": \"0 9 * * *\", \"creation_method\": \"alerts_reports\"}", 422);
    cr_assert_str_eq(msg_of(j, "database"), "Database is required for alerts");
    cr_assert_str_eq(msg_of(j, "chart"), "Must choose either a chart or a dashboard");
    json_decref(j);

    /* tab ids of extra.dashboard must exist in the dashboard's layout */
    snprintf(body, sizeof body,
             "{\"type\": \"Report\", \"name\": \"rp_tabs\", \"crontab\": \"0 9 * * *\", \"dashboard\": %s,"
             " \"creation_method\": \"alerts_reports\", \"extra\": {\"dashboard\": {\"activeTabs\": [\"TAB-1\", \"TAB-9\"]}}}", dash);
    j = call(&admin, "POST", "/api/v1/report/", body, 422);
    cr_assert_str_eq(msg_of(j, "extra"), "Invalid tab ids: {'tab_ids': \"{'TAB-9'}\"}(tab_ids)");
    json_decref(j);
    snprintf(body, sizeof body,
             "{\"type\": \"Report\", \"name\": \"rp_daily\", \"crontab\": \"0 9 * * 1-5\", \"dashboard\": %s,"
             " \"creation_method\": \"dashboards\", \"recipients\": [{\"type\": \"Email\","
             " \"recipient_config_json\": {\"target\": \"a@example.com\"}}], \"extra\": {\"dashboard\": {}}}", dash);
    j = call(&admin, "POST", "/api/v1/report/", body, 201);
    long long id = json_integer_value(json_object_get(j, "id"));
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "result"), "name")), "rp_daily");
    json_decref(j);
    /* a second report on the dashboard conflicts before the name is reported */
    json_decref(call(&admin, "POST", "/api/v1/report/", body, 409));
    snprintf(body, sizeof body, "{\"type\": \"Report\", \"name\": \"rp_daily\", \"crontab\": \"0 9 * * *\", \"dashboard\": %s,"
                                " \"creation_method\": \"alerts_reports\"}", dash);
    j = call(&admin, "POST", "/api/v1/report/", body, 422);
    cr_assert_str_eq(msg_of(j, "name"), "A report named \"rp_daily\" already exists");
    json_decref(j);
    snprintf(body, sizeof body, "{\"type\": \"Report\", \"name\": \"rp_second\", \"crontab\": \"0 9 * * *\", \"dashboard\": %s}", dash);
    j = call(&admin, "POST", "/api/v1/report/", body, 409);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(j, "errors"), 0), "error_type")),
                     "GENERIC_COMMAND_ERROR");
    json_decref(j);

    /* list and item */
    j = call(&admin, "GET", "/api/v1/report/?q=(filters:!((col:name,opr:report_all_text,value:rp_daily)))", NULL, 200);
    cr_assert_eq(json_integer_value(json_object_get(j, "count")), 1);
    json_t *row = json_array_get(json_object_get(j, "result"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(row, "crontab_humanized")), "At 09:00 AM, Monday through Friday");
    cr_assert_str_eq(json_string_value(json_object_get(row, "creation_method")), "dashboards");
    cr_assert_str_eq(json_string_value(json_object_get(row, "last_state")), "Not triggered");
    cr_assert(json_is_object(json_object_get(json_object_get(row, "extra"), "dashboard")));
    cr_assert_str_eq(json_string_value(json_object_get(j, "list_title")), "List Report Schedule");
    json_decref(j);
    snprintf(path, sizeof path, "/api/v1/report/%lld", id);
    j = call(&admin, "GET", path, NULL, 200);
    json_t *res = json_object_get(j, "result");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(res, "dashboard"), "dashboard_title")), "RP Dash");
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(res, "recipients"), 0),
                                                       "recipient_config_json")),
                     "{\"target\": \"a@example.com\"}");
    cr_assert_eq(json_integer_value(json_object_get(json_array_get(json_object_get(res, "owners"), 0), "id")), 1);
    cr_assert_eq(json_integer_value(json_object_get(res, "working_timeout")), 3600);
    json_decref(j);

    /* PUT */
    j = call(&admin, "PUT", path, "{\"name\": \"rp_renamed\", \"active\": false, \"recipients\": [{\"type\": \"Slack\","
                                  " \"recipient_config_json\": {\"target\": \"#general\"}}]}", 200);
    cr_assert_eq(json_integer_value(json_object_get(j, "id")), id);
    json_decref(j);
    snprintf(sql, sizeof sql, "SELECT s.name || '|' || s.active || '|' || string_agg(r.type, ',') FROM report_schedule s"
                              " JOIN report_recipient r ON r.report_schedule_id = s.id WHERE s.id = %lld GROUP BY s.id", id);
    cr_assert_str_eq(rest_sql(sql), "rp_renamed|false|Slack");
    json_decref(call(&admin, "PUT", "/api/v1/report/99999999", "{\"name\": \"rp_none\"}", 404));
    json_decref(call(&admin, "PUT", path, "{\"crontab\": \"x\"}", 400));
    /* where the PUT schema differs from the POST one */
    j = call(&admin, "PUT", path, "{\"log_retention\": -1, \"selected_tabs\": [1], \"working_timeout\": 0}", 400);
    cr_assert_str_eq(msg_of(j, "log_retention"), "Value must be 0 or greater");
    cr_assert_str_eq(msg_of(j, "selected_tabs"), "Unknown field.");
    cr_assert_str_eq(msg_of(j, "working_timeout"), "Value must be greater than 0");
    cr_assert_null(json_object_get(j, "type"), "nothing is required on PUT");
    json_decref(j);

    /* execution logs */
    snprintf(sql, sizeof sql, "INSERT INTO report_execution_log (scheduled_dttm, start_dttm, end_dttm, state, report_schedule_id,"
                              " uuid) VALUES ('2024-01-02 03:04:05', '2024-01-02 03:04:06', '2024-01-02 03:04:07', 'Success',"
                              " %lld, gen_random_uuid()) RETURNING id", id);
    long long log_id = atoll(rest_sql(sql));
    snprintf(path, sizeof path, "/api/v1/report/%lld/log/", id);
    j = call(&admin, "GET", path, NULL, 200);
    cr_assert_eq(json_integer_value(json_object_get(j, "count")), 1);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(j, "result"), 0), "state")), "Success");
    json_decref(j);
    snprintf(path, sizeof path, "/api/v1/report/%lld/log/%lld", id, log_id);
    j = call(&admin, "GET", path, NULL, 200);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "result"), "scheduled_dttm")), "2024-01-02T03:04:05");
    json_decref(j);
    snprintf(path, sizeof path, "/api/v1/report/%lld/log/%lld", id + 1000000, log_id);
    json_decref(call(&admin, "GET", path, NULL, 200)); /* the schedule id is not checked, as in the reference */
    snprintf(path, sizeof path, "/api/v1/report/%lld/log/%lld", id, log_id + 1000000);
    json_decref(call(&admin, "GET", path, NULL, 404));
    snprintf(path, sizeof path, "/api/v1/report/%lld/log/", id + 1000000);
    j = call(&admin, "GET", path, NULL, 200);
    cr_assert_eq(json_integer_value(json_object_get(j, "count")), 0, "the list is scoped to the schedule");
    json_decref(j);

    /* slack channels without a token */
    j = call(&admin, "GET", "/api/v1/report/slack_channels/", NULL, 422);
    cr_assert(strstr(json_string_value(json_object_get(j, "message")), "not_authed"));
    json_decref(j);
    json_decref(call(&admin, "GET", "/api/v1/report/slack_channels/?q=(types:!(dm))", NULL, 400));

    /* Gamma holds no ReportSchedule permission */
    rest_create_user("Gamma", "rp_gamma");
    rest_session_t gamma;
    rest_open(&gamma, "rp_gamma", "rp_gamma");
    json_decref(call(&gamma, "GET", "/api/v1/report/", NULL, 403));
    snprintf(path, sizeof path, "/api/v1/report/%lld", id);
    json_decref(call(&gamma, "DELETE", path, NULL, 403));

    /* deletes */
    snprintf(path, sizeof path, "/api/v1/report/?q=!(%lld,99999999)", id);
    json_decref(call(&admin, "DELETE", path, NULL, 404));
    snprintf(path, sizeof path, "/api/v1/report/?q=!(%lld)", id);
    j = call(&admin, "DELETE", path, NULL, 200);
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")), "Deleted 1 report schedule");
    json_decref(j);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM report_execution_log WHERE report_schedule_id = %lld", id);
    cr_assert_str_eq(rest_sql(sql), "0");
    snprintf(path, sizeof path, "/api/v1/report/%lld", id);
    json_decref(call(&admin, "DELETE", path, NULL, 404));
    cleanup();
}

Test(report, minimum_interval, .fini = restore_config) {
    rest_config("FEATURE_FLAGS = {'ALERT_REPORTS': True}\nREPORT_MINIMUM_INTERVAL = 3600");
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    json_t *j = call(&admin, "POST", "/api/v1/report/",
                     "{\"type\": \"Report\", \"name\": \"rp_often\", \"crontab\": \"*/5 * * * *\","
                     " \"creation_method\": \"alerts_reports\", \"dashboard\": 99999999}", 422);
    cr_assert_str_eq(msg_of(j, "crontab"), "Report schedule frequency exceeding limit. Please configure a schedule with a"
                                           " minimum interval of 60 minutes per execution.");
    cr_assert_str_eq(msg_of(j, "dashboard"), "Dashboard does not exist");
    json_decref(j);
    j = call(&admin, "POST", "/api/v1/report/",
             "{\"type\": \"Report\", \"name\": \"rp_often\", \"crontab\": \"0 * * * *\","
             " \"creation_method\": \"alerts_reports\", \"dashboard\": 99999999}", 422);
    cr_assert_null(json_object_get(json_object_get(j, "message"), "crontab"), "hourly respects a 60 minute minimum");
    json_decref(j);
}
