/* Charts (Superset's Slice, table slices) for the generic model engine, with
 * the minimal views of the datasets (tables) and dashboards they point at.
 *
 * Relations: owners through slice_user, dashboards through
 * dashboard_slices, the dataset as many-to-one "table" on datasource_id
 * (the reference also joins on datasource_type = 'table'; every chart row
 * has that type by the schema's CHECK constraint, so the FK alone selects
 * the same row). Tags are not modelled: tagged_object is polymorphic
 * (object_type) and the engine's many-to-many needs a plain link table.
 *
 * thumbnail_url follows Superset's default digest (md5 of "<params>.<user>"
 * plus "\n<user>" for the current-user executor); the user name is the
 * first bound parameter, which the chart access filter always binds
 * (fcgi/api/chart.c). Row-level-security clauses are not mixed in. */
#include "persistence/models.h"

static const model_col_t chart_dataset_cols[] = {
    {"id", COL_INT, 0, false, true},
    {"table_name", COL_STRING, 250, false, false},
    {"schema", COL_STRING, 255, true, false},
    {"default_endpoint", COL_TEXT, 0, true, false},
    {"database_id", COL_INT, 0, false, false},
    {"uuid", COL_UUID, 0, true, true},
    {NULL, 0, 0, false, false},
};
const model_t model_chart_dataset = {
    .table = "tables", .pk = "id", .name = "SqlaTable", .cols = chart_dataset_cols,
    .str_sql = "CASE WHEN coalesce(t.schema, '') <> '' THEN t.schema || '.' || t.table_name ELSE t.table_name END",
};

static const model_col_t chart_dashboard_cols[] = {
    {"id", COL_INT, 0, false, true},
    {"dashboard_title", COL_STRING, 500, true, false},
    {"json_metadata", COL_TEXT, 0, true, false},
    {NULL, 0, 0, false, false},
};
const model_t model_chart_dashboard = {
    .table = "dashboards", .pk = "id", .name = "Dashboard", .cols = chart_dashboard_cols,
    .str_sql = "'Dashboard' || t.id",
};

static const model_col_t chart_cols[] = {
    {"id", COL_INT, 0, false, true},
    {"slice_name", COL_STRING, 250, true, false},
    {"datasource_id", COL_INT, 0, true, false},
    {"datasource_type", COL_STRING, 200, true, false},
    {"datasource_name", COL_STRING, 2000, true, false},
    {"viz_type", COL_STRING, 250, true, false},
    {"params", COL_TEXT, 0, true, false},
    {"query_context", COL_TEXT, 0, true, false},
    {"description", COL_TEXT, 0, true, false},
    {"cache_timeout", COL_INT, 0, true, false},
    {"perm", COL_STRING, 2000, true, false},
    {"schema_perm", COL_STRING, 1000, true, false},
    {"catalog_perm", COL_STRING, 1000, true, false},
    {"uuid", COL_UUID, 0, true, true},
    {"last_saved_at", COL_DATETIME, 0, true, false},
    {"certified_by", COL_TEXT, 0, true, false},
    {"certification_details", COL_TEXT, 0, true, false},
    {"is_managed_externally", COL_BOOL, 0, false, false},
    {"external_url", COL_TEXT, 0, true, false},
    MODEL_AUDIT_COLUMNS,
    {NULL, 0, 0, false, false},
};
static const model_rel_t chart_rels[] = {
    {"owners", REL_MANY_TO_MANY, &model_ab_user, NULL, "slice_user", "slice_id", "user_id", NULL},
    {"dashboards", REL_MANY_TO_MANY, &model_chart_dashboard, NULL, "dashboard_slices", "slice_id", "dashboard_id",
     NULL},
    {"table", REL_MANY_TO_ONE, &model_chart_dataset, "datasource_id", NULL, NULL, NULL, NULL},
    {"last_saved_by", REL_MANY_TO_ONE, &model_ab_user, "last_saved_by_fk", NULL, NULL, NULL, NULL},
    {"tags", REL_MANY_TO_MANY, &model_tag, NULL, "tagged_object", "object_id", "tag_id", NULL},
    MODEL_AUDIT_RELATIONS(model_ab_user),
    {NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL},
};

/* html-escaped "first last" of a user (markupsafe.escape of str(user)) */
#define CHART_USER_NAME(fk)                                                                                   \
    "coalesce((SELECT replace(replace(replace(replace(replace(u.first_name || ' ' || u.last_name, '&', '&amp;'),"  \
    " '<', '&lt;'), '>', '&gt;'), '\"', '&#34;'), '''', '&#39;') FROM ab_user u WHERE u.id = t." fk "), '')"

static const model_computed_t chart_computed[] = {
    {"changed_on_delta_humanized", "extract(epoch FROM (localtimestamp - t.changed_on))", "changed_on",
     COMPUTED_HUMANIZE_AGO},
    {"created_on_delta_humanized", "extract(epoch FROM (localtimestamp - t.created_on))", "created_on",
     COMPUTED_HUMANIZE_AGO},
    {"changed_on_dttm", "extract(epoch FROM t.changed_on)::float8 * 1000", "changed_on", COMPUTED_RAW},
    {"changed_on_utc", "to_char(t.changed_on, 'YYYY-MM-DD\"T\"HH24:MI:SS.US') || '+0000'", "changed_on",
     COMPUTED_RAW},
    {"changed_by_name", CHART_USER_NAME("changed_by_fk"), NULL, COMPUTED_RAW},
    {"created_by_name", CHART_USER_NAME("created_by_fk"), NULL, COMPUTED_RAW},
    {"datasource_name_text",
     "(SELECT CASE WHEN coalesce(d.schema, '') <> '' THEN d.schema || '.' || d.table_name ELSE d.table_name END"
     " FROM tables d WHERE d.id = t.datasource_id)",
     NULL, COMPUTED_RAW},
    {"datasource_url",
     "(SELECT coalesce(nullif(d.default_endpoint, ''), '/explore/?datasource_type=table&datasource_id=' || d.id)"
     " FROM tables d WHERE d.id = t.datasource_id)",
     NULL, COMPUTED_RAW},
    {"description_markeddown",
     "CASE WHEN coalesce(t.description, '') = '' THEN '' ELSE '<p>' || replace(replace(replace(t.description,"
     " '&', '&amp;'), '<', '&lt;'), '>', '&gt;') || '</p>' END",
     NULL, COMPUTED_RAW},
    {"edit_url", "'/chart/edit/' || t.id", NULL, COMPUTED_RAW},
    {"url", "'/explore/?slice_id=' || t.id", NULL, COMPUTED_RAW},
    {"slice_url", "'/explore/?slice_id=' || t.id || '&form_data=%7B%22slice_id%22%3A%20' || t.id || '%7D'", NULL,
     COMPUTED_RAW},
    {"form_data",
     "(CASE WHEN t.params IS NOT NULL AND t.params::text ~ '^\\s*\\{' THEN t.params::jsonb ELSE '{}'::jsonb END"
     " || jsonb_build_object('slice_id', t.id, 'viz_type', t.viz_type, 'datasource',"
     " coalesce(t.datasource_id::text, 'None') || '__' || coalesce(t.datasource_type, 'None'))"
     " || CASE WHEN coalesce(t.cache_timeout, 0) <> 0 THEN jsonb_build_object('cache_timeout', t.cache_timeout)"
     " ELSE '{}'::jsonb END)::json",
     NULL, COMPUTED_RAW},
    {"thumbnail_url",
     "CASE WHEN $1::text IS NULL THEN NULL ELSE '/api/v1/chart/' || t.id || '/thumbnail/' ||"
     " md5(coalesce(t.params, '') || '.' || $1::text || E'\\n' || $1::text) || '/' END",
     NULL, COMPUTED_RAW},
    {NULL, NULL, NULL, COMPUTED_RAW},
};

static const model_link_filter_t chart_link_filters[] = {
    {"tags", " AND l.object_type = 'chart'"},
    {NULL, NULL},
};
const model_t model_chart = {
    .table = "slices", .pk = "id", .name = "Slice", .cols = chart_cols, .rels = chart_rels,
    .str_sql = "coalesce(t.slice_name, t.id::text)", .computed = chart_computed, .audit = true,
    .link_filters = chart_link_filters,
};
