/* Declarations of the themes and tag tables for the generic model engine.
 * Tag.type is a Python enum stored by name and dumped by value (custom = 1,
 * type = 2, owner = 3, favorited_by = 4), so it is a computed column. */
#include "persistence/models.h"

static const model_col_t theme_cols[] = {
    {"id", COL_INT, 0, false, true},
    /* required, unbounded strings as ThemeBaseSchema declares them (_info) */
    {"theme_name", COL_STRING, 0, false, false},
    {"json_data", COL_STRING, 0, false, false},
    {"is_system", COL_BOOL, 0, false, false},
    {"is_system_default", COL_BOOL, 0, false, false},
    {"is_system_dark", COL_BOOL, 0, false, false},
    {"uuid", COL_UUID, 0, true, true},
    MODEL_AUDIT_COLUMNS,
    {NULL, 0, 0, false, false},
};
static const model_rel_t theme_rels[] = {
    MODEL_AUDIT_RELATIONS(model_ab_user),
    {NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL},
};
static const model_computed_t theme_computed[] = {
    {"changed_on_delta_humanized", "extract(epoch FROM (localtimestamp - t.changed_on))", "changed_on",
     COMPUTED_HUMANIZE_AGO},
    {"changed_by_name",
     "coalesce((SELECT u.first_name || ' ' || u.last_name FROM ab_user u WHERE u.id = t.changed_by_fk), '')", NULL,
     COMPUTED_RAW},
    {NULL, NULL, NULL, COMPUTED_RAW},
};
const model_t model_theme = {
    .table = "themes", .pk = "id", .name = "Theme", .cols = theme_cols, .rels = theme_rels,
    .str_sql = "coalesce(t.theme_name, '')", .computed = theme_computed, .audit = true,
};

static const model_col_t tag_cols[] = {
    {"id", COL_INT, 0, false, true},
    {"name", COL_STRING, 250, true, true},
    {"description", COL_TEXT, 0, true, false},
    MODEL_AUDIT_COLUMNS,
    {NULL, 0, 0, false, false},
};
static const model_rel_t tag_rels[] = {
    MODEL_AUDIT_RELATIONS(model_ab_user),
    {NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL},
};
static const model_computed_t tag_computed[] = {
    {"type",
     "CASE t.type WHEN 'custom' THEN 1 WHEN 'type' THEN 2 WHEN 'owner' THEN 3 WHEN 'favorited_by' THEN 4 END", NULL,
     COMPUTED_RAW},
    {"changed_on_delta_humanized", "extract(epoch FROM (localtimestamp - t.changed_on))", "changed_on",
     COMPUTED_HUMANIZE_AGO},
    {"created_on_delta_humanized", "extract(epoch FROM (localtimestamp - t.created_on))", "created_on",
     COMPUTED_HUMANIZE_AGO},
    {NULL, NULL, NULL, COMPUTED_RAW},
};
const model_t model_tag = {
    .table = "tag", .pk = "id", .name = "Tag", .cols = tag_cols, .rels = tag_rels,
    .str_sql = "coalesce(t.name, '')", .computed = tag_computed, .audit = true,
};
