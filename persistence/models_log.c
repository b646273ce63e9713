/* The action log (logs table) for the generic model engine; its user
 * relation points at ab_user. */
#include "persistence/models.h"

static const model_col_t log_cols[] = {
    {"id", COL_INT, 0, false, true},
    {"action", COL_STRING, 512, true, false},
    {"user_id", COL_INT, 0, true, false},
    {"json", COL_TEXT, 0, true, false},
    {"dttm", COL_DATETIME, 0, true, false},
    {"dashboard_id", COL_INT, 0, true, false},
    {"slice_id", COL_INT, 0, true, false},
    {"duration_ms", COL_INT, 0, true, false},
    {"referrer", COL_STRING, 1024, true, false},
    {NULL, 0, 0, false, false},
};
static const model_rel_t log_rels[] = {
    {"user", REL_MANY_TO_ONE, &model_ab_user, "user_id", NULL, NULL, NULL, NULL},
    {NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL},
};
const model_t model_log = {
    .table = "logs", .pk = "id", .name = "Log", .cols = log_cols, .rels = log_rels,
    .str_sql = "coalesce(t.action, '')",
};
