/* Datasets (tables) as Superset's SqlaTable model for the generic engine,
 * with their columns (table_columns), metrics (sql_metrics) and owners
 * (sqlatable_user). The one-to-many children are declared as link-table
 * relations whose link table is the child table itself (link_other = its
 * id), which lets the engine nest and cascade-delete them. */
#include "persistence/models.h"

static const model_col_t column_cols[] = {
    {"id", COL_INT, 0, false, true},
    {"table_id", COL_INT, 0, true, false},
    {"column_name", COL_STRING, 255, false, false},
    {"is_dttm", COL_BOOL, 0, true, false},
    {"is_active", COL_BOOL, 0, true, false},
    {"type", COL_TEXT, 0, true, false},
    {"advanced_data_type", COL_STRING, 255, true, false},
    {"groupby", COL_BOOL, 0, true, false},
    {"filterable", COL_BOOL, 0, true, false},
    {"description", COL_TEXT, 0, true, false},
    {"expression", COL_TEXT, 0, true, false},
    {"verbose_name", COL_STRING, 1024, true, false},
    {"python_date_format", COL_STRING, 255, true, false},
    {"extra", COL_TEXT, 0, true, false},
    {"uuid", COL_UUID, 0, true, true},
    MODEL_AUDIT_COLUMNS,
    {NULL, 0, 0, false, false},
};
const model_t model_table_column = {
    .table = "table_columns", .pk = "id", .name = "TableColumn", .cols = column_cols,
    .str_sql = "coalesce(t.column_name, '')", .audit = true,
};

static const model_col_t metric_cols[] = {
    {"id", COL_INT, 0, false, true},
    {"table_id", COL_INT, 0, true, false},
    {"metric_name", COL_STRING, 255, false, false},
    {"verbose_name", COL_STRING, 1024, true, false},
    {"metric_type", COL_STRING, 32, true, false},
    {"expression", COL_TEXT, 0, false, false},
    {"description", COL_TEXT, 0, true, false},
    {"d3format", COL_STRING, 128, true, false},
    {"currency", COL_TEXT, 0, true, false},
    {"warning_text", COL_TEXT, 0, true, false},
    {"extra", COL_TEXT, 0, true, false},
    {"uuid", COL_UUID, 0, true, true},
    MODEL_AUDIT_COLUMNS,
    {NULL, 0, 0, false, false},
};
const model_t model_sql_metric = {
    .table = "sql_metrics", .pk = "id", .name = "SqlMetric", .cols = metric_cols,
    .str_sql = "coalesce(t.metric_name, '')", .audit = true,
};

static const model_col_t dataset_cols[] = {
    {"id", COL_INT, 0, false, true},
    {"table_name", COL_STRING, 250, false, false},
    {"main_dttm_col", COL_STRING, 250, true, false},
    {"default_endpoint", COL_TEXT, 0, true, false},
    {"database_id", COL_INT, 0, false, false},
    {"offset", COL_INT, 0, true, false},
    {"description", COL_TEXT, 0, true, false},
    {"is_featured", COL_BOOL, 0, true, false},
    {"cache_timeout", COL_INT, 0, true, false},
    {"catalog", COL_STRING, 256, true, false},
    {"schema", COL_STRING, 255, true, false},
    {"sql", COL_TEXT, 0, true, false},
    {"params", COL_TEXT, 0, true, false},
    {"perm", COL_STRING, 1000, true, false},
    {"schema_perm", COL_STRING, 1000, true, false},
    {"catalog_perm", COL_STRING, 1000, true, false},
    {"filter_select_enabled", COL_BOOL, 0, true, false},
    {"fetch_values_predicate", COL_TEXT, 0, true, false},
    {"is_sqllab_view", COL_BOOL, 0, true, false},
    {"template_params", COL_TEXT, 0, true, false},
    {"extra", COL_TEXT, 0, true, false},
    {"uuid", COL_UUID, 0, true, true},
    {"is_managed_externally", COL_BOOL, 0, false, false},
    {"external_url", COL_TEXT, 0, true, false},
    {"normalize_columns", COL_BOOL, 0, true, false},
    {"always_filter_main_dttm", COL_BOOL, 0, true, false},
    MODEL_AUDIT_COLUMNS,
    {NULL, 0, 0, false, false},
};
static const model_rel_t dataset_rels[] = {
    {"database", REL_MANY_TO_ONE, &model_database, "database_id", NULL, NULL, NULL, NULL},
    {"owners", REL_MANY_TO_MANY, &model_ab_user, NULL, "sqlatable_user", "table_id", "user_id", NULL},
    {"columns", REL_MANY_TO_MANY, &model_table_column, NULL, "table_columns", "table_id", "id", NULL},
    {"metrics", REL_MANY_TO_MANY, &model_sql_metric, NULL, "sql_metrics", "table_id", "id", NULL},
    MODEL_AUDIT_RELATIONS(model_ab_user),
    {NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL},
};

/* markupsafe.escape(str(user)) of the changed_by user, "" when none. */
#define DS_CHANGED_BY_NAME                                                                                        \
    "coalesce((SELECT replace(replace(replace(replace(replace(u.first_name || ' ' || u.last_name, '&', '&amp;'),"  \
    " '<', '&lt;'), '>', '&gt;'), '\"', '&#34;'), '''', '&#39;') FROM ab_user u WHERE u.id = t.changed_by_fk), '')"

static const model_computed_t dataset_computed[] = {
    {"changed_on_delta_humanized", "extract(epoch FROM (localtimestamp - t.changed_on))", "changed_on",
     COMPUTED_HUMANIZE_AGO},
    {"changed_on_humanized", "extract(epoch FROM (localtimestamp - t.changed_on))", NULL, COMPUTED_HUMANIZE_AGO},
    {"created_on_humanized", "extract(epoch FROM (localtimestamp - t.created_on))", NULL, COMPUTED_HUMANIZE_AGO},
    /* naive changed_on read as UTC (the server runs in UTC) */
    {"changed_on_utc", "to_char(t.changed_on, 'YYYY-MM-DD\"T\"HH24:MI:SS.US') || '+0000'", "changed_on",
     COMPUTED_RAW},
    {"changed_by_name", DS_CHANGED_BY_NAME, NULL, COMPUTED_RAW},
    {"datasource_type", "'table'", NULL, COMPUTED_RAW},
    {"kind", "CASE WHEN coalesce(t.sql, '') <> '' THEN 'virtual' ELSE 'physical' END", NULL, COMPUTED_RAW},
    {"explore_url",
     "CASE WHEN coalesce(t.default_endpoint, '') <> '' THEN t.default_endpoint"
     " ELSE '/explore/?datasource_type=table&datasource_id=' || t.id END",
     NULL, COMPUTED_RAW},
    {"url", "'/tablemodelview/edit/' || t.id", NULL, COMPUTED_RAW},
    {"uid", "t.id || '__table'", NULL, COMPUTED_RAW},
    {"datasource_name", "t.table_name", NULL, COMPUTED_RAW},
    {"name", "CASE WHEN coalesce(t.schema, '') <> '' THEN t.schema || '.' || t.table_name ELSE t.table_name END",
     NULL, COMPUTED_RAW},
    {"folders", "t.folders", NULL, COMPUTED_RAW},
    {"column_formats",
     "(SELECT coalesce(json_object_agg(m.metric_name, m.d3format), '{}'::json) FROM sql_metrics m"
     " WHERE m.table_id = t.id AND coalesce(m.d3format, '') <> '')",
     NULL, COMPUTED_RAW},
    {"verbose_map",
     "(SELECT json_object_agg(k, v) FROM (SELECT '__timestamp' AS k, 'Time' AS v, 0 AS o, 0 AS i UNION ALL"
     " SELECT m.metric_name, coalesce(nullif(m.verbose_name, ''), m.metric_name), 1, m.id FROM sql_metrics m"
     " WHERE m.table_id = t.id UNION ALL SELECT c.column_name, coalesce(nullif(c.verbose_name, ''), c.column_name),"
     " 2, c.id FROM table_columns c WHERE c.table_id = t.id ORDER BY o, i) vm)",
     NULL, COMPUTED_RAW},
    {"granularity_sqla",
     "(SELECT coalesce(json_agg(json_build_array(c.column_name, c.column_name) ORDER BY c.id), '[]'::json)"
     " FROM table_columns c WHERE c.table_id = t.id AND c.is_dttm)",
     NULL, COMPUTED_RAW},
    {NULL, NULL, NULL, COMPUTED_RAW},
};

const model_t model_dataset = {
    .table = "tables", .pk = "id", .name = "SqlaTable", .cols = dataset_cols, .rels = dataset_rels,
    .str_sql = "CASE WHEN coalesce(t.schema, '') <> '' THEN t.schema || '.' || t.table_name ELSE t.table_name END",
    .computed = dataset_computed, .audit = true,
};
