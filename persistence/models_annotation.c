/* Annotation layers and their annotations (Superset's AnnotationLayer and
 * Annotation, both AuditMixinNullable; annotations point at their layer). */
#include "persistence/models.h"

static const model_col_t layer_cols[] = {
    {"id", COL_INT, 0, false, true},
    {"name", COL_STRING, 250, true, false},
    {"descr", COL_TEXT, 0, true, false},
    MODEL_AUDIT_COLUMNS,
    {NULL, 0, 0, false, false},
};
static const model_rel_t layer_rels[] = {
    MODEL_AUDIT_RELATIONS(model_ab_user),
    {NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL},
};
const model_t model_annotation_layer = {
    .table = "annotation_layer", .pk = "id", .name = "AnnotationLayer", .cols = layer_cols, .rels = layer_rels,
    .str_sql = "coalesce(t.name, '')", .computed = model_audit_computed, .audit = true,
};

static const model_col_t annotation_cols[] = {
    {"id", COL_INT, 0, false, true},
    {"start_dttm", COL_DATETIME, 0, true, false},
    {"end_dttm", COL_DATETIME, 0, true, false},
    {"layer_id", COL_INT, 0, true, false},
    {"short_descr", COL_STRING, 500, true, false},
    {"long_descr", COL_TEXT, 0, true, false},
    {"json_metadata", COL_TEXT, 0, true, false},
    MODEL_AUDIT_COLUMNS,
    {NULL, 0, 0, false, false},
};
static const model_rel_t annotation_rels[] = {
    {"layer", REL_MANY_TO_ONE, &model_annotation_layer, "layer_id", NULL, NULL, NULL, NULL},
    MODEL_AUDIT_RELATIONS(model_ab_user),
    {NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL},
};
const model_t model_annotation = {
    .table = "annotation", .pk = "id", .name = "Annotation", .cols = annotation_cols, .rels = annotation_rels,
    .str_sql = "coalesce(t.short_descr, '')", .computed = model_audit_computed, .audit = true,
};
