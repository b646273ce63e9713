/* The dashboards table for the generic model engine: columns, audit
 * relations, owners (dashboard_user), roles (dashboard_roles) and charts
 * (dashboard_slices, through a minimal view of the slices table), plus the
 * derived columns Superset's Dashboard model exposes (url, status,
 * changed_by_name, changed_on_utc, tags, humanized deltas). */
#include "persistence/models.h"

static const model_col_t dashboard_slice_cols[] = {
    {"id", COL_INT, 0, false, true},
    {"slice_name", COL_STRING, 250, true, false},
    {NULL, 0, 0, false, false},
};
const model_t model_dashboard_slice = {
    .table = "slices", .pk = "id", .name = "Slice", .cols = dashboard_slice_cols,
    .str_sql = "coalesce(t.slice_name, t.id::text)",
};

static const model_col_t dashboard_cols[] = {
    {"id", COL_INT, 0, false, true},
    {"dashboard_title", COL_STRING, 500, true, false},
    {"position_json", COL_TEXT, 0, true, false},
    {"css", COL_TEXT, 0, true, false},
    {"description", COL_TEXT, 0, true, false},
    {"slug", COL_STRING, 255, true, true},
    {"json_metadata", COL_TEXT, 0, true, false},
    {"published", COL_BOOL, 0, true, false},
    {"uuid", COL_UUID, 0, true, true},
    {"certified_by", COL_TEXT, 0, true, false},
    {"certification_details", COL_TEXT, 0, true, false},
    {"is_managed_externally", COL_BOOL, 0, false, false},
    {"external_url", COL_TEXT, 0, true, false},
    {"theme_id", COL_INT, 0, true, false},
    MODEL_AUDIT_COLUMNS,
    {NULL, 0, 0, false, false},
};
static const model_rel_t dashboard_rels[] = {
    {"owners", REL_MANY_TO_MANY, &model_ab_user, NULL, "dashboard_user", "dashboard_id", "user_id", NULL},
    {"roles", REL_MANY_TO_MANY, &model_ab_role, NULL, "dashboard_roles", "dashboard_id", "role_id", NULL},
    {"slices", REL_MANY_TO_MANY, &model_dashboard_slice, NULL, "dashboard_slices", "dashboard_id", "slice_id", NULL},
    MODEL_AUDIT_RELATIONS(model_ab_user),
    {"tags", REL_MANY_TO_MANY, &model_tag, NULL, "tagged_object", "object_id", "tag_id", NULL},
    {NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL},
};
/* Tags through tagged_object rows of object_type 'dashboard'. */
static const model_link_filter_t dashboard_link_filters[] = {
    {"tags", " AND l.object_type = 'dashboard'"},
    {NULL, NULL},
};

static const model_computed_t dashboard_computed[] = {
    {"changed_on_delta_humanized", "extract(epoch FROM (localtimestamp - t.changed_on))", "changed_on",
     COMPUTED_HUMANIZE_AGO},
    {"created_on_delta_humanized", "extract(epoch FROM (localtimestamp - t.created_on))", "created_on",
     COMPUTED_HUMANIZE_AGO},
    {"url", "'/superset/dashboard/' || coalesce(nullif(t.slug, ''), t.id::text) || '/'", NULL, COMPUTED_RAW},
    {"status", "CASE WHEN t.published THEN 'published' ELSE 'draft' END", NULL, COMPUTED_RAW},
    {"changed_by_name",
     "coalesce((SELECT u.first_name || ' ' || u.last_name FROM ab_user u WHERE u.id = t.changed_by_fk), '')", NULL,
     COMPUTED_RAW},
    {"changed_on_utc", "to_char(t.changed_on, 'YYYY-MM-DD\"T\"HH24:MI:SS.US') || '+0000'", "changed_on", COMPUTED_RAW},
    {"thumbnail_url", "NULL::text", NULL, COMPUTED_RAW},
    {NULL, NULL, NULL, COMPUTED_RAW},
};

const model_t model_dashboard = {
    .table = "dashboards", .pk = "id", .name = "Dashboard", .cols = dashboard_cols, .rels = dashboard_rels,
    .str_sql = "'Dashboard' || t.id", .computed = dashboard_computed, .audit = true,
    .link_filters = dashboard_link_filters,
};
