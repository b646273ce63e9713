/* /api/v1/log: Superset's LogRestApi on the generic engine: list and item
 * of the action log (newest first) on "Log", and the generic create whose
 * only accepted column is id, all three answering 404 unless
 * FAB_ADD_SECURITY_VIEWS and SUPERSET_LOG_VIEW. No _info, update or delete
 * endpoints. recent_activity lives in log_activity.c. */
#include "fcgi/api/api.h"
#include "fcgi/model_rest.h"
#include "persistence/models.h"

static const char *const list_columns[] = {"user.first_name", "user.last_name", "user.username", "user_id",
                                           "action", "dttm", "json", "slice_id", "dashboard_id", "duration_ms",
                                           "referrer", NULL};
static const char *const add_columns[] = {"id", NULL};
static const char *const edit_columns[] = {"user", "action", "dttm", "json", NULL};
static const char *const search_columns[] = {"user", "user_id", "action", "dttm", "json", "slice_id",
                                             "dashboard_id", "duration_ms", "referrer", NULL};

static bool log_view_enabled(const config_t *cfg) {
    return config_bool(cfg, "FAB_ADD_SECURITY_VIEWS", true) && config_bool(cfg, "SUPERSET_LOG_VIEW", true);
}

static const column_label_t labels[] = {
    {"user", "User"}, {"action", "Action"}, {"dttm", "dttm"}, {"json", "JSON"}, {NULL, NULL},
};

const resource_t log_resource = {
    .base = "/api/v1/log", .model = &model_log, .view_menu = "Log",
    .log_class = "LogRestApi",
    .perm_list = "can_read", .perm_get = "can_read", .perm_post = "can_write",
    .list_columns = list_columns, .show_columns = list_columns, .add_columns = add_columns,
    .edit_columns = edit_columns, .search_columns = search_columns, .order_columns = list_columns,
    .base_order = "dttm", .base_order_desc = true, .labels = labels, .list_title = "Logs",
    .enabled = log_view_enabled,
};
