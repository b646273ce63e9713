/* /api/v1/report: alerts and reports. List, item, _info and related run on
 * the generic engine (ReportScheduleFilter: callers without
 * all_datasource_access see the schedules they own; related chart,
 * dashboard and database under their access filters); DELETE /<pk> and
 * bulk delete (owners or admins only), the execution logs
 * (/<pk>/log/, /<pk>/log/<log_id>) and slack_channels are custom routes.
 * Every route answers 404 {"message": "Not found"} while ALERT_REPORTS is
 * off, before authentication. POST and PUT live in report_write.c. */
#include <string.h>

#include "domain/access.h"
#include "domain/security.h"
#include "fcgi/api/api.h"
#include "fcgi/api/chart.h"
#include "fcgi/api/common_filters.h"
#include "fcgi/api/dashboard.h"
#include "fcgi/api/data_access_filter.h"
#include "fcgi/api/related_users.h"
#include "fcgi/api/report.h"
#include "fcgi/api/rison_list.h"
#include "fcgi/app.h"
#include "fcgi/errors.h"
#include "fcgi/model_rest.h"
#include "lib/json.h"
#include "persistence/models.h"

static bool alert_reports_enabled(const config_t *cfg) { return config_feature(cfg, "ALERT_REPORTS"); }

static void owned_schedules(request_t *req, model_query_t *q) {
    if (access_all_datasources(app_security(req->app), req->cfg, req->user)) return;
    mq_where(q, arena_sprintf(q->arena, "t.id IN (SELECT o.report_schedule_id FROM report_schedule_user o"
                                        " WHERE o.user_id = %s::int)", filter_user_param(req, q)));
}

static mq_filter_result_t all_text(request_t *req, model_query_t *q, const json_t *value) {
    if (!filter_truthy(value)) return MQ_FILTER_SKIPPED;
    const char *s = json_is_string(value) ? json_string_value(value) : py_repr(req, value);
    const char *p = mq_param(q, arena_sprintf(q->arena, "%%%s%%", s));
    mq_where(q, arena_sprintf(q->arena, "t.name ILIKE %1$s OR t.description ILIKE %1$s OR t.sql ILIKE %1$s", p));
    return MQ_FILTER_OK;
}

static void related_scope(request_t *req, const char *column, model_query_t *q) {
    if (!strcmp(column, "chart")) chart_access_filter(req, q);
    else if (!strcmp(column, "dashboard")) dashboard_access_filter(req, q);
    else if (!strcmp(column, "database")) data_access_database_filter(req, q);
}

static const char *related_text(const char *column) {
    static const struct {
        const char *column, *sql;
    } texts[] = {{"chart", "t.slice_name"}, {"dashboard", "t.dashboard_title"}, {"database", "t.database_name"}};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if (!strcmp(texts[i].column, column)) return texts[i].sql;
    return NULL;
}

static const char *const show_columns[] = {
    "id", "active", "chart.id", "chart.slice_name", "chart.viz_type", "context_markdown", "creation_method", "crontab",
    "custom_width", "dashboard.dashboard_title", "dashboard.id", "database.database_name", "database.id",
    "description", "extra", "force_screenshot", "grace_period", "last_eval_dttm", "last_state", "last_value",
    "last_value_row_json", "log_retention", "name", "owners.first_name", "owners.id", "owners.last_name",
    "recipients.id", "recipients.recipient_config_json", "recipients.type", "report_format", "sql", "timezone",
    "type", "validator_config_json", "validator_type", "working_timeout", "email_subject", NULL};
static const char *const list_columns[] = {
    "active", "changed_by.first_name", "changed_by.last_name", "changed_on", "changed_on_delta_humanized",
    "chart_id", "created_by.first_name", "created_by.last_name", "created_on", "creation_method", "crontab",
    "crontab_humanized", "dashboard_id", "description", "extra", "id", "last_eval_dttm", "last_state", "name",
    "owners.first_name", "owners.id", "owners.last_name", "recipients.id", "recipients.type", "timezone", "type",
    NULL};
static const char *const add_columns[] = {
    "active", "chart", "context_markdown", "creation_method", "crontab", "custom_width", "dashboard", "database",
    "description", "extra", "force_screenshot", "grace_period", "log_retention", "name", "owners", "recipients",
    "report_format", "sql", "timezone", "type", "validator_config_json", "validator_type", "working_timeout", NULL};
static const char *const order_columns[] = {
    "active", "description", "created_by.first_name", "changed_by.first_name", "changed_on",
    "changed_on_delta_humanized", "created_on", "crontab", "last_eval_dttm", "name", "type", "crontab_humanized", NULL};
static const char *const search_columns[] = {"name", "active", "changed_by", "created_by", "owners", "type",
                                             "last_state", "creation_method", "dashboard_id", "chart_id", NULL};
static const char *const info_permissions[] = {"can_read", "can_write", NULL};

static const custom_filter_t filters[] = {
    {"report_all_text", "All Text", "name", all_text},
    {NULL, NULL, NULL, NULL},
};

#define STARTS_WITH(col) "t." col " ILIKE %1$s || '%%'"
static const related_field_t related[] = {
    RELATED_USERS("owners", NULL),
    {"chart", STARTS_WITH("slice_name"), NULL, NULL, NULL},
    {"dashboard", STARTS_WITH("dashboard_title"), NULL, NULL, NULL},
    {"database", STARTS_WITH("database_name"), NULL, NULL, NULL},
    RELATED_USERS("created_by", NULL),
    RELATED_USERS("changed_by", NULL),
    {NULL, NULL, NULL, NULL, NULL},
};

const resource_t report_resource = {
    .base = "/api/v1/report", .model = &model_report_schedule, .view_menu = "ReportSchedule",
    .log_class = "ReportScheduleRestApi", .log_own = LOG_EP_DELETE | LOG_EP_BULK_DELETE, .log_none = LOG_EP_POST | LOG_EP_PUT,
    .perm_list = "can_read", .perm_get = "can_read", .perm_info = "can_read",
    .list_columns = list_columns, .show_columns = show_columns, .add_columns = add_columns,
    .edit_columns = add_columns, .search_columns = search_columns, .order_columns = order_columns,
    .related = related, .custom_filters = filters, .base_filter = owned_schedules, .superset_errors = true,
    .validation_status = 400, .put_returns_id = true, .info_permissions = info_permissions,
    .enabled = alert_reports_enabled, .gate_custom_routes = true,
    .related_scope = related_scope, .related_text = related_text,
};

/* ---- execution logs: the engine's list and item scoped to one schedule ---- */

static void scope_to_schedule(request_t *req, model_query_t *q) {
    mq_where(q, arena_sprintf(q->arena, "t.report_schedule_id = %s::int",
                              mq_param(q, arena_sprintf(q->arena, "%lld", (long long)req_path_int(req, "pk")))));
}

static const char *const log_columns[] = {"id", "scheduled_dttm", "end_dttm", "start_dttm", "value",
                                          "value_row_json", "state", "error_message", "uuid", NULL};
static const char *const log_order[] = {"state", "value", "error_message", "end_dttm", "start_dttm",
                                        "scheduled_dttm", NULL};
static const char *const log_search[] = {"scheduled_dttm", "start_dttm", "end_dttm", "value", "value_row_json",
                                         "state", "error_message", "uuid", "report_schedule", NULL};

static const resource_t report_log_resource = {
    .base = "/api/v1/report", .model = &model_report_execution_log, .view_menu = "ReportSchedule",
    .list_columns = log_columns, .show_columns = log_columns, .search_columns = log_search,
    .order_columns = log_order, .base_filter = scope_to_schedule,
};

/* The item route looks the log up by log_id alone: the reference adds the
 * schedule filter to the rison arguments, which its item lookup ignores. */
static const resource_t report_log_item_resource = {
    .base = "/api/v1/report", .model = &model_report_execution_log, .view_menu = "ReportSchedule",
    .list_columns = log_columns, .show_columns = log_columns, .search_columns = log_search, .order_columns = log_order,
};

static void log_list(request_t *req) { model_rest_serve_list(req, &report_log_resource); }
static void log_item(request_t *req) {
    model_rest_serve_item(req, &report_log_item_resource, req_path_int(req, "log_id"));
}

/* ---- deletes ---- */

bool report_owned(request_t *req, int64_t id, bool *db_error) {
    *db_error = false;
    if (req->user && security_is_admin(req->cfg, req->user)) return true;
    const char *p[] = {arena_sprintf(req->arena, "%lld", (long long)id),
                       arena_sprintf(req->arena, "%lld", (long long)(req->user ? req->user->id : 0))};
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              "SELECT 1 FROM report_schedule_user WHERE report_schedule_id = $1::int AND user_id = $2::int",
                              2, p);
    *db_error = r == NULL;
    return r && pg_nrows(r) > 0;
}

/* DeleteReportScheduleCommand over the ids (a JSON int array with n entries). */
static void delete_schedules(request_t *req, json_t *ids, bool bulk) {
    size_t n = json_array_size(ids);
    model_query_t mq;
    mq_init(&mq, req->arena, &model_report_schedule);
    owned_schedules(req, &mq);
    const char *list = mq_param(&mq, json_dump_arena(req->arena, ids, JSON_COMPACT, NULL));
    mq_where(&mq, arena_sprintf(req->arena, "t.id IN (SELECT x::int FROM jsonb_array_elements_text(%s::jsonb) e(x))", list));
    pg_error_t err;
    int64_t found = mq_count(&mq, app_pg(req->app), &err);
    if (found < 0) return error_fab(req, 500, "Fatal error");
    if (!found || (size_t)found != n) return error_fab(req, 404, "Not found");
    size_t i;
    json_t *id;
    json_array_foreach(ids, i, id) {
        bool db_error;
        bool owned = report_owned(req, json_integer_value(id), &db_error);
        if (db_error) return error_fab(req, 500, "Fatal error");
        if (!owned) return error_fab(req, 403, "Forbidden");
    }
    static const char *const steps[] = {
        "DELETE FROM report_execution_log WHERE report_schedule_id IN (SELECT x::int FROM jsonb_array_elements_text($1::jsonb) e(x))",
        "DELETE FROM report_recipient WHERE report_schedule_id IN (SELECT x::int FROM jsonb_array_elements_text($1::jsonb) e(x))",
        "DELETE FROM report_schedule_user WHERE report_schedule_id IN (SELECT x::int FROM jsonb_array_elements_text($1::jsonb) e(x))",
        "DELETE FROM report_schedule WHERE id IN (SELECT x::int FROM jsonb_array_elements_text($1::jsonb) e(x))",
        NULL,
    };
    const char *p[] = {json_dump_arena(req->arena, ids, JSON_COMPACT, NULL)};
    pg_conn_t *c = pg_acquire(app_pg(req->app), req->arena, &err);
    bool ok = c && pg_begin(c, req->arena, &err);
    for (size_t s = 0; ok && steps[s]; s++) ok = pg_conn_query(c, req->arena, &err, steps[s], 1, p) != NULL;
    ok = ok && pg_commit(c, req->arena, &err);
    if (c) pg_release(c);
    if (!ok) return error_fab(req, 422, "Report Schedule delete failed.");
    if (!bulk) return error_fab(req, 200, "OK");
    error_fab(req, 200, arena_sprintf(req->arena, "Deleted %zu report schedule%s", n, n == 1 ? "" : "s"));
}

static void report_delete(request_t *req) {
    json_t *ids = json_pack("[I]", (json_int_t)req_path_int(req, "pk"));
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, ids);
    delete_schedules(req, ids, false);
}

static void report_bulk_delete(request_t *req) {
    json_t *ids = rison_list_arg(req, JSON_INTEGER);
    if (ids) delete_schedules(req, ids, true);
}

/* ---- slack_channels ---- */

/* Liteset has no Slack client: without SLACK_API_TOKEN the answer is the
 * reference's (Slack refuses the unauthenticated call); with a token the
 * channels cannot be listed and a 422 says so. */
static void slack_channels(request_t *req) {
    json_t *q = rison_object_arg(req);
    if (!q || !rison_check_type(req, q, "search_string", JSON_STRING) || !rison_check_type(req, q, "types", JSON_ARRAY) ||
        !rison_check_type(req, q, "exact_match", JSON_TRUE))
        return;
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(q, "types"), i, t) {
        const char *s = json_string_value(t);
        if (!s)
            return error_fab(req, 400, arena_sprintf(req->arena, "Not a valid rison schema %s is not of type 'string'",
                                                     py_repr(req, t)));
        if (strcmp(s, "public_channel") && strcmp(s, "private_channel"))
            return error_fab(req, 400, arena_sprintf(req->arena, "Not a valid rison schema %s is not one of"
                                                                 " ['public_channel', 'private_channel']",
                                                     py_repr(req, t)));
    }
    const json_t *token = config_get(req->cfg, "SLACK_API_TOKEN");
    if (!token || json_is_null(token) || (json_is_string(token) && !json_string_length(token)))
        return error_fab(req, 422, "Failed to list channels: The request to the Slack API failed. (url:"
                                   " https://slack.com/api/conversations.list)\nThe server responded with: {'ok': False,"
                                   " 'error': 'not_authed'}");
    error_fab(req, 422, "Failed to list channels: listing Slack channels is not supported by this server");
}

static const route_def_t routes[] = {
    {"POST", "/api/v1/report/", report_post, GUARD("can_write", "ReportSchedule"), 0, NULL},
    {"PUT", "/api/v1/report/<int:pk>", report_put, GUARD("can_write", "ReportSchedule"), 0, NULL},
    {"DELETE", "/api/v1/report/<int:pk>", report_delete, GUARD("can_write", "ReportSchedule"), 0, NULL},
    {"DELETE", "/api/v1/report/", report_bulk_delete, GUARD("can_write", "ReportSchedule"), 0, NULL},
    {"GET", "/api/v1/report/slack_channels/", slack_channels, GUARD("can_write", "ReportSchedule"), 0, NULL},
    {"GET", "/api/v1/report/<int:pk>/log/", log_list, GUARD("can_read", "ReportSchedule"), 0, NULL},
    {"GET", "/api/v1/report/<int:pk>/log/<int:log_id>", log_item, GUARD("can_read", "ReportSchedule"), 0, NULL},
};
const route_table_t report_routes = {routes, sizeof routes / sizeof routes[0], NULL};
