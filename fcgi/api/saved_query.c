/* /api/v1/saved_query: Superset's SavedQueryRestApi on the generic engine:
 * CRUD on "SavedQuery" restricted to the caller's own saved queries
 * (SavedQueryFilter), the "All Text" filter on label, related users and
 * databases, distinct catalog/schema, bulk delete. A new saved query
 * belongs to its creator (user_id set after the insert). */
#include "domain/user.h"
#include "fcgi/api/api.h"
#include "fcgi/api/related_users.h"
#include "fcgi/api/tag_filters.h"
#include "fcgi/model_rest.h"
#include "persistence/models.h"

static void own_saved_queries(request_t *req, model_query_t *q) {
    if (!req->user) {
        mq_where(q, "false");
        return;
    }
    mq_where(q, arena_sprintf(q->arena, "t.created_by_fk = %s",
                              mq_param(q, arena_sprintf(q->arena, "%lld", (long long)req->user->id))));
}

static mq_filter_result_t all_text(request_t *req, model_query_t *q, const json_t *value) {
    (void)req;
    if (!json_is_string(value) || !*json_string_value(value)) return MQ_FILTER_SKIPPED;
    const char *p = mq_param(q, arena_sprintf(q->arena, "%%%s%%", json_string_value(value)));
    mq_where(q, arena_sprintf(q->arena, "t.schema ILIKE %1$s OR t.label ILIKE %1$s OR t.description ILIKE %1$s"
                                        " OR t.sql ILIKE %1$s", p));
    return MQ_FILTER_OK;
}

/* pre_add: the saved query's user is the caller. */
static bool set_owner(request_t *req, const resource_t *res, pg_conn_t *c, int64_t id, json_t *body,
                      const char **error) {
    (void)res;
    (void)body;
    if (!req->user) return true;
    pg_error_t err;
    const char *p[] = {arena_sprintf(req->arena, "%lld", (long long)req->user->id),
                       arena_sprintf(req->arena, "%lld", (long long)id)};
    if (pg_conn_query(c, req->arena, &err,
                      "UPDATE saved_query SET user_id = $1::int WHERE id = $2::int AND user_id IS NULL", 2, p))
        return true;
    *error = err.message;
    return false;
}

static const char *const list_columns[] = {"changed_on", "changed_on_delta_humanized", "changed_by.first_name",
                                           "changed_by.id", "changed_by.last_name", "created_on",
                                           "created_by.first_name", "created_by.id", "created_by.last_name",
                                           "database.database_name", "database.id", "db_id", "description", "extra",
                                           "id", "label", "last_run_delta_humanized", "rows", "catalog", "schema",
                                           "sql", "tags.id", "tags.name", "tags.type", NULL};
static const char *const show_columns[] = {"changed_on", "changed_on_delta_humanized", "changed_by.first_name",
                                           "changed_by.id", "changed_by.last_name", "created_by.first_name",
                                           "created_by.id", "created_by.last_name", "database.database_name",
                                           "database.id", "description", "id", "label", "catalog", "schema", "sql",
                                           "template_parameters", NULL};
static const char *const write_columns[] = {"db_id", "description", "label", "catalog", "schema", "sql",
                                            "template_parameters", "extra_json", NULL};
static const char *const search_columns[] = {"id", "database", "label", "catalog", "schema", "created_by",
                                             "changed_by", "tags", NULL};
static const char *const order_columns[] = {"catalog", "schema", "label", "description", "sql", "rows",
                                            "created_by.first_name", "database.database_name", "created_on",
                                            "changed_on_delta_humanized", "last_run_delta_humanized", NULL};
static const char *const distinct_columns[] = {"catalog", "schema", NULL};

static const custom_filter_t filters[] = {
    {"all_text", "All Text", "label", all_text},
    {"saved_query_tags", "Is tagged", "tags", tag_filter_query_name},
    {"saved_query_tag_id", "Is tagged", "tags", tag_filter_query_id},
    {NULL, NULL, NULL, NULL},
};

static const related_field_t related[] = {
    RELATED_USERS("changed_by", NULL),
    {"created_by", NULL, NULL, NULL, NULL},
    {"database", "t.database_name ILIKE %1$s || '%%'", NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

const resource_t saved_query_resource = {
    .base = "/api/v1/saved_query", .model = &model_saved_query, .view_menu = "SavedQuery",
    .log_class = "SavedQueryRestApi",
    .perm_list = "can_read", .perm_get = "can_read", .perm_info = "can_read", .perm_post = "can_write",
    .perm_put = "can_write", .perm_delete = "can_write",
    .list_columns = list_columns, .show_columns = show_columns, .add_columns = write_columns,
    .edit_columns = write_columns, .search_columns = search_columns, .order_columns = order_columns,
    .after_write = set_owner, .related = related, .distinct_columns = distinct_columns, .custom_filters = filters,
    .base_filter = own_saved_queries, .noun_singular = "saved query", .noun_plural = "saved queries",
    .superset_errors = true,
};
