/* /api/v1/query: Superset's QueryRestApi (SQL Lab history) on the generic
 * engine: read-only list, item, related and distinct on "Query", newest
 * change first. QueryFilter: a user sees only the queries they ran unless
 * they hold all_query_access. Also /updated_since, which SQL Lab polls for
 * the state of the user's queries. */
#include "domain/security.h"
#include "domain/sqllab_state.h"
#include "fcgi/api/api.h"
#include "fcgi/api/rison_list.h"
#include "fcgi/errors.h"
#include "fcgi/api/related_users.h"
#include "fcgi/app.h"
#include "fcgi/model_rest.h"
#include "persistence/models.h"

static void own_queries(request_t *req, model_query_t *q) {
    if (req->user && security_can(app_security(req->app), app_config(req->app), req->user, "all_query_access",
                                  "all_query_access"))
        return;
    if (!req->user) {
        mq_where(q, "false"); /* user_id = NULL matches nothing */
        return;
    }
    mq_where(q, arena_sprintf(q->arena, "t.user_id = %s",
                              mq_param(q, arena_sprintf(q->arena, "%lld", (long long)req->user->id))));
}

static const char *const list_columns[] = {"id", "changed_on", "client_id", "database.id", "database.database_name",
                                           "executed_sql", "error_message", "limit", "limiting_factor", "progress",
                                           "rows", "schema", "select_as_cta", "sql", "sql_editor_id", "status",
                                           "tab_name", "user.first_name", "user.id", "user.last_name", "start_time",
                                           "start_running_time", "end_time", "tmp_table_name", "tracking_url",
                                           "results_key", NULL};
static const char *const show_columns[] = {"id", "changed_on", "client_id", "database.id", "end_result_backend_time",
                                           "end_time", "error_message", "executed_sql", "limit", "progress",
                                           "results_key", "rows", "schema", "select_as_cta", "select_as_cta_used",
                                           "select_sql", "sql", "sql_editor_id", "start_running_time", "start_time",
                                           "status", "tab_name", "tmp_schema_name", "tmp_table_name", "tracking_url",
                                           NULL};
static const char *const id_only[] = {"id", NULL};
static const char *const search_columns[] = {"changed_on", "database", "sql", "status", "user", "start_time",
                                             "sql_editor_id", NULL};
static const char *const order_columns[] = {"changed_on", "database.database_name", "rows", "schema", "start_time",
                                            "sql", "tab_name", "user.first_name", NULL};
static const char *const distinct_columns[] = {"status", NULL};

static const related_field_t related[] = {
    {"database", NULL, NULL, NULL, NULL}, /* no text filter declared: q.filter is ignored */
    RELATED_USERS("user", NULL),
    {NULL, NULL, NULL, NULL, NULL},
};

const resource_t query_resource = {
    .base = "/api/v1/query", .model = &model_query, .view_menu = "Query",
    .log_class = "QueryRestApi",
    .perm_list = "can_read", .perm_get = "can_read",
    .list_columns = list_columns, .show_columns = show_columns, .add_columns = id_only, .edit_columns = id_only,
    .search_columns = search_columns, .order_columns = order_columns, .base_order = "changed_on",
    .base_order_desc = true, .related = related, .distinct_columns = distinct_columns, .base_filter = own_queries,
    .superset_errors = true,
};

/* GET /api/v1/query/updated_since?q=(last_updated_ms:...) */
static void get_updated_since(request_t *req) {
    json_t *q = rison_object_arg(req);
    if (!q || !rison_check_type(req, q, "last_updated_ms", JSON_REAL)) return;
    const json_t *ms = json_object_get(q, "last_updated_ms");
    double since = ms ? json_number_value(ms) : 0;
    if (since < -62135596800000.0 || since > 253402300799999.0) { /* datetime.utcfromtimestamp's range */
        error_fab(req, 500, "year is out of range");
        return;
    }
    json_t *list = sqllab_queries_changed_since(app_pg(req->app), req->arena, req->user ? req->user->id : 0, since);
    if (!list) {
        error_fab(req, 500, "Fatal error");
        return;
    }
    resp_json(req, 200, json_pack("{s:o}", "result", list), JSON_FLASK);
}

static const route_def_t routes[] = {
    {"GET", "/api/v1/query/updated_since", get_updated_since, GUARD("can_read", "Query"), 0, NULL},
};

const route_table_t query_routes = {routes, sizeof routes / sizeof routes[0], NULL};
