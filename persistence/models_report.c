/* Alerts and reports for the generic model engine: report_schedule with its
 * owners, recipients (a child table used as its own link table), chart,
 * dashboard and database; report_recipient; report_execution_log. */
#include "persistence/models.h"

static const model_col_t recipient_cols[] = {
    {"id", COL_INT, 0, false, true},
    {"type", COL_STRING, 50, false, false},
    {"recipient_config_json", COL_TEXT, 0, true, false},
    {"report_schedule_id", COL_INT, 0, false, false},
    MODEL_AUDIT_COLUMNS,
    {NULL, 0, 0, false, false},
};
const model_t model_report_recipient = {
    .table = "report_recipient", .pk = "id", .name = "ReportRecipients", .cols = recipient_cols,
    .str_sql = "'<ReportRecipients ' || t.id || '>'", .audit = true,
};

static const model_col_t schedule_cols[] = {
    {"id", COL_INT, 0, false, true},
    {"type", COL_STRING, 50, false, false},
    {"name", COL_STRING, 150, false, false},
    {"description", COL_TEXT, 0, true, false},
    {"context_markdown", COL_TEXT, 0, true, false},
    {"active", COL_BOOL, 0, true, false},
    {"crontab", COL_STRING, 1000, false, false},
    {"creation_method", COL_STRING, 255, true, false},
    {"timezone", COL_STRING, 100, false, false},
    {"report_format", COL_STRING, 50, true, false},
    {"sql", COL_TEXT, 0, true, false},
    {"chart_id", COL_INT, 0, true, false},
    {"dashboard_id", COL_INT, 0, true, false},
    {"database_id", COL_INT, 0, true, false},
    {"last_eval_dttm", COL_DATETIME, 0, true, false},
    {"last_state", COL_STRING, 50, true, false},
    {"last_value", COL_FLOAT, 0, true, false},
    {"last_value_row_json", COL_TEXT, 0, true, false},
    {"validator_type", COL_STRING, 100, true, false},
    {"validator_config_json", COL_TEXT, 0, true, false},
    {"log_retention", COL_INT, 0, true, false},
    {"grace_period", COL_INT, 0, true, false},
    {"working_timeout", COL_INT, 0, true, false},
    {"force_screenshot", COL_BOOL, 0, true, false},
    {"custom_width", COL_INT, 0, true, false},
    {"custom_height", COL_INT, 0, true, false},
    {"email_subject", COL_STRING, 255, true, false},
    {"extra_json", COL_TEXT, 0, false, false},
    MODEL_AUDIT_COLUMNS,
    {NULL, 0, 0, false, false},
};
static const model_rel_t schedule_rels[] = {
    MODEL_AUDIT_RELATIONS(model_ab_user),
    {"owners", REL_MANY_TO_MANY, &model_ab_user, NULL, "report_schedule_user", "report_schedule_id", "user_id", NULL},
    {"recipients", REL_MANY_TO_MANY, &model_report_recipient, NULL, "report_recipient", "report_schedule_id", "id",
     NULL},
    {"chart", REL_MANY_TO_ONE, &model_chart, "chart_id", NULL, NULL, NULL, NULL},
    {"dashboard", REL_MANY_TO_ONE, &model_dashboard, "dashboard_id", NULL, NULL, NULL, NULL},
    {"database", REL_MANY_TO_ONE, &model_database, "database_id", NULL, NULL, NULL, NULL},
    {NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL},
};
static const model_computed_t schedule_computed[] = {
    {"changed_on_delta_humanized", "extract(epoch FROM (localtimestamp - t.changed_on))", "changed_on",
     COMPUTED_HUMANIZE_AGO},
    {"crontab_humanized", "t.crontab", "crontab", COMPUTED_CRON_HUMANIZED},
    {"extra", "t.extra_json", NULL, COMPUTED_JSON_OBJECT},
    {NULL, NULL, NULL, COMPUTED_RAW},
};
const model_t model_report_schedule = {
    .table = "report_schedule", .pk = "id", .name = "ReportSchedule", .cols = schedule_cols, .rels = schedule_rels,
    .str_sql = "t.name", .computed = schedule_computed, .audit = true,
};

static const model_col_t log_cols[] = {
    {"id", COL_INT, 0, false, true},
    {"uuid", COL_UUID, 0, true, false},
    {"scheduled_dttm", COL_DATETIME, 0, false, false},
    {"start_dttm", COL_DATETIME, 0, true, false},
    {"end_dttm", COL_DATETIME, 0, true, false},
    {"value", COL_FLOAT, 0, true, false},
    {"value_row_json", COL_TEXT, 0, true, false},
    {"state", COL_STRING, 50, false, false},
    {"error_message", COL_TEXT, 0, true, false},
    {"report_schedule_id", COL_INT, 0, false, false},
    {NULL, 0, 0, false, false},
};
static const model_rel_t log_rels[] = {
    {"report_schedule", REL_MANY_TO_ONE, &model_report_schedule, "report_schedule_id", NULL, NULL, NULL, NULL},
    {NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL},
};
const model_t model_report_execution_log = {
    .table = "report_execution_log", .pk = "id", .name = "ReportExecutionLog", .cols = log_cols, .rels = log_rels,
    .str_sql = "'<ReportExecutionLog ' || t.id || '>'",
};
