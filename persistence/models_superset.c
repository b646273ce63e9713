/* Declarations of Superset's own metadata tables for the generic model
 * engine. Audit relations point at ab_user. */
#include "persistence/models.h"

static const model_col_t css_template_cols[] = {
    {"id", COL_INT, 0, false, true},
    {"template_name", COL_STRING, 250, true, false},
    {"css", COL_TEXT, 0, true, false},
    {"uuid", COL_UUID, 0, true, true},
    MODEL_AUDIT_COLUMNS,
    {NULL, 0, 0, false, false},
};
static const model_rel_t css_template_rels[] = {
    MODEL_AUDIT_RELATIONS(model_ab_user),
    {NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL},
};
const model_t model_css_template = {
    .table = "css_templates", .pk = "id", .name = "CssTemplate", .cols = css_template_cols,
    .rels = css_template_rels, .str_sql = "coalesce(t.template_name, '')", .computed = model_audit_computed,
    .audit = true,
};
