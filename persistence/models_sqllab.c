/* SQL Lab tables for the generic model engine: query history, saved
 * queries and the minimal view of the databases table (dbs) both point at.
 * Audit relations point at ab_user. */
#include "persistence/models.h"

static const model_col_t database_ref_cols[] = {
    {"id", COL_INT, 0, false, true},
    {"database_name", COL_STRING, 250, false, true},
    {NULL, 0, 0, false, false},
};
const model_t model_database_ref = {
    .table = "dbs", .pk = "id", .name = "Database", .cols = database_ref_cols,
    .str_sql = "coalesce(t.database_name, '')",
};

static const model_col_t query_cols[] = {
    {"id", COL_INT, 0, false, true},
    {"client_id", COL_STRING, 11, false, true},
    {"database_id", COL_INT, 0, false, false},
    {"tmp_table_name", COL_STRING, 256, true, false},
    {"tmp_schema_name", COL_STRING, 256, true, false},
    {"tab_name", COL_STRING, 256, true, false},
    {"sql_editor_id", COL_STRING, 256, true, false},
    {"user_id", COL_INT, 0, true, false},
    {"status", COL_STRING, 16, true, false},
    {"catalog", COL_STRING, 256, true, false},
    {"schema", COL_STRING, 256, true, false},
    {"sql", COL_TEXT, 0, true, false},
    {"select_sql", COL_TEXT, 0, true, false},
    {"executed_sql", COL_TEXT, 0, true, false},
    {"limit", COL_INT, 0, true, false},
    {"limiting_factor", COL_STRING, 255, true, false},
    {"select_as_cta", COL_BOOL, 0, true, false},
    {"select_as_cta_used", COL_BOOL, 0, true, false},
    {"progress", COL_INT, 0, true, false},
    {"rows", COL_INT, 0, true, false},
    {"error_message", COL_TEXT, 0, true, false},
    {"results_key", COL_STRING, 64, true, false},
    {"start_time", COL_FLOAT, 0, true, false},
    {"start_running_time", COL_FLOAT, 0, true, false},
    {"end_time", COL_FLOAT, 0, true, false},
    {"end_result_backend_time", COL_FLOAT, 0, true, false},
    {"tracking_url", COL_TEXT, 0, true, false},
    {"changed_on", COL_DATETIME, 0, true, false},
    {NULL, 0, 0, false, false},
};
static const model_rel_t query_rels[] = {
    {"database", REL_MANY_TO_ONE, &model_database_ref, "database_id", NULL, NULL, NULL, NULL},
    {"user", REL_MANY_TO_ONE, &model_ab_user, "user_id", NULL, NULL, NULL, NULL},
    {NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL},
};
const model_t model_query = {
    .table = "query", .pk = "id", .name = "Query", .cols = query_cols, .rels = query_rels,
    .str_sql = "coalesce(t.client_id, '')",
};

static const model_col_t saved_query_cols[] = {
    {"id", COL_INT, 0, false, true},
    {"db_id", COL_INT, 0, true, false},
    {"label", COL_STRING, 256, true, false},
    {"catalog", COL_STRING, 256, true, false},
    {"schema", COL_STRING, 128, true, false},
    {"sql", COL_TEXT, 0, true, false},
    {"description", COL_TEXT, 0, true, false},
    {"template_parameters", COL_TEXT, 0, true, false},
    {"extra_json", COL_TEXT, 0, true, false},
    {"rows", COL_INT, 0, true, false},
    {"last_run", COL_DATETIME, 0, true, false},
    {"uuid", COL_UUID, 0, true, true},
    MODEL_AUDIT_COLUMNS,
    {NULL, 0, 0, false, false},
};
static const model_rel_t saved_query_rels[] = {
    {"database", REL_MANY_TO_ONE, &model_database_ref, "db_id", NULL, NULL, NULL, NULL},
    {"user", REL_MANY_TO_ONE, &model_ab_user, "user_id", NULL, NULL, NULL, NULL},
    MODEL_AUDIT_RELATIONS(model_ab_user),
    {"tags", REL_MANY_TO_MANY, &model_tag, NULL, "tagged_object", "object_id", "tag_id", NULL},
    {NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL},
};
static const model_link_filter_t saved_query_link_filters[] = {
    {"tags", " AND l.object_type = 'query'"},
    {NULL, NULL},
};
/* The audit deltas plus the last-run delta and the parsed extra_json. */
static const model_computed_t saved_query_computed[] = {
    {"changed_on_delta_humanized", "extract(epoch FROM (localtimestamp - t.changed_on))", "changed_on",
     COMPUTED_HUMANIZE_AGO},
    {"created_on_delta_humanized", "extract(epoch FROM (localtimestamp - t.created_on))", "created_on",
     COMPUTED_HUMANIZE_AGO},
    {"last_run_delta_humanized", "extract(epoch FROM (localtimestamp - t.last_run))", "last_run",
     COMPUTED_HUMANIZE_AGO},
    {"extra", "CASE WHEN coalesce(t.extra_json, '') = '' THEN '{}'::json ELSE t.extra_json::json END", NULL,
     COMPUTED_RAW},
    {NULL, NULL, NULL, COMPUTED_RAW},
};
const model_t model_saved_query = {
    .table = "saved_query", .pk = "id", .name = "SavedQuery", .cols = saved_query_cols, .rels = saved_query_rels,
    .str_sql = "coalesce(t.label, '')", .computed = saved_query_computed, .audit = true,
    .link_filters = saved_query_link_filters,
};
