/* Row level security filters for the generic model engine, with the
 * minimal view of the datasets table (SqlaTable) their `tables` relation
 * points at. Audit relations point at ab_user. */
#include "persistence/models.h"

static const model_col_t dataset_ref_cols[] = {
    {"id", COL_INT, 0, false, true},
    {"table_name", COL_STRING, 250, false, false},
    {"schema", COL_STRING, 255, true, false},
    {NULL, 0, 0, false, false},
};
/* str(dataset) is its full name: "schema.table" or the bare table name. */
const model_t model_dataset_ref = {
    .table = "tables", .pk = "id", .name = "SqlaTable", .cols = dataset_ref_cols,
    .str_sql = "CASE WHEN coalesce(t.schema, '') <> '' THEN t.schema || '.' || t.table_name ELSE t.table_name END",
};

static const model_col_t rls_cols[] = {
    {"id", COL_INT, 0, false, true},
    {"name", COL_STRING, 255, false, true},
    {"description", COL_TEXT, 0, true, false},
    {"filter_type", COL_STRING, 255, true, false},
    {"group_key", COL_STRING, 255, true, false},
    {"clause", COL_TEXT, 0, false, false},
    MODEL_AUDIT_COLUMNS,
    {NULL, 0, 0, false, false},
};
static const model_rel_t rls_rels[] = {
    {"tables", REL_MANY_TO_MANY, &model_dataset_ref, NULL, "rls_filter_tables", "rls_filter_id", "table_id", NULL},
    {"roles", REL_MANY_TO_MANY, &model_ab_role, NULL, "rls_filter_roles", "rls_filter_id", "role_id", NULL},
    MODEL_AUDIT_RELATIONS(model_ab_user),
    {NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL},
};
const model_t model_rls_filter = {
    .table = "row_level_security_filters", .pk = "id", .name = "RowLevelSecurityFilter", .cols = rls_cols,
    .rels = rls_rels, .str_sql = "coalesce(t.name, '')", .computed = model_audit_computed, .audit = true,
};
