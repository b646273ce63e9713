/* /api/v1/tag: Superset's TagRestApi. Reads (list, item, _info, related)
 * run on the generic engine with the custom_tag filter; DELETE /<pk> and
 * DELETE /?q=!('name',...) are custom routes that, like the ORM, detach the
 * tag's tagged objects (tag_id set NULL) and drop its favorites first. The
 * route table also carries the writes (tag_write.c) and the tagged-object
 * and favorite endpoints (tag_objects.c). The API is not gated by
 * TAGGING_SYSTEM, as in the reference. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi/api/api.h"
#include "fcgi/api/related_users.h"
#include "fcgi/api/rison_list.h"
#include "fcgi/api/tag.h"
#include "fcgi/app.h"
#include "fcgi/errors.h"
#include "fcgi/event_logger.h"
#include "fcgi/model_rest.h"
#include "lib/json.h"
#include "persistence/models.h"

/* UserCreatedTagTypeFilter: truthy → custom tags, false → the others. */
static mq_filter_result_t custom_tag(request_t *req, model_query_t *q, const json_t *value) {
    (void)req;
    if (json_is_false(value)) mq_where(q, "t.type IS DISTINCT FROM 'custom'");
    else if (json_is_true(value) || (json_is_string(value) && json_string_length(value)) ||
             (json_is_number(value) && json_number_value(value) != 0))
        mq_where(q, "t.type = 'custom'");
    else return MQ_FILTER_SKIPPED;
    return MQ_FILTER_OK;
}

static const char *const columns[] = {
    "id", "name", "type", "description", "changed_by.first_name", "changed_by.last_name",
    "changed_on_delta_humanized", "created_on_delta_humanized", "created_by.first_name", "created_by.last_name", NULL};
static const char *const write_columns[] = {"id", NULL};
static const char *const search_columns[] = {"name", "type", "description", "created_on", "changed_on",
                                             "created_by", "changed_by", NULL};
static const char *const info_permissions[] = {"can_bulk_create", "can_read", "can_write", NULL};

static const custom_filter_t filters[] = {
    {"custom_tag", "Is custom tag", "type", custom_tag},
    {NULL, NULL, NULL, NULL},
};

static const related_field_t related[] = {
    {"changed_by", NULL, NULL, NULL, NULL}, /* no related_field_filters entry: the text filter is ignored */
    RELATED_USERS("created_by", NULL),
    {NULL, NULL, NULL, NULL, NULL},
};

const resource_t tag_resource = {
    .base = "/api/v1/tag", .model = &model_tag, .view_menu = "Tag",
    .log_class = "TagRestApi", .log_own = LOG_EP_POST | LOG_EP_PUT | LOG_EP_BULK_DELETE,
    .perm_list = "can_read", .perm_get = "can_read", .perm_info = "can_read",
    .list_columns = columns, .show_columns = columns, .add_columns = write_columns,
    .edit_columns = write_columns, .search_columns = search_columns, .order_columns = columns,
    .related = related, .custom_filters = filters, .superset_errors = true, .validation_status = 400,
    .put_returns_id = true, .info_permissions = info_permissions,
};

/* Deletes the tags whose ids are in the JSON array text ids; false on error. */
static bool delete_tag_ids(request_t *req, const char *ids, pg_error_t *err) {
    static const char *const steps[] = {
        "UPDATE tagged_object SET tag_id = NULL WHERE tag_id IN (SELECT x::int FROM jsonb_array_elements_text($1::jsonb) e(x))",
        "DELETE FROM user_favorite_tag WHERE tag_id IN (SELECT x::int FROM jsonb_array_elements_text($1::jsonb) e(x))",
        "DELETE FROM tag WHERE id IN (SELECT x::int FROM jsonb_array_elements_text($1::jsonb) e(x))",
        NULL,
    };
    const char *p[] = {ids};
    pg_conn_t *c = pg_acquire(app_pg(req->app), req->arena, err);
    bool ok = c && pg_begin(c, req->arena, err);
    for (size_t i = 0; ok && steps[i]; i++) ok = pg_conn_query(c, req->arena, err, steps[i], 1, p) != NULL;
    ok = ok && pg_commit(c, req->arena, err);
    if (c) pg_release(c);
    return ok;
}

static void tag_delete(request_t *req) {
    const char *s = req_path_param(req, "pk");
    char *end;
    long long pk = s && *s ? strtoll(s, &end, 10) : -1;
    if (pk < 0 || *end) return error_fab(req, 404, "Not found");
    const char *p[] = {arena_sprintf(req->arena, "%lld", pk)};
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err, "SELECT 1 FROM tag WHERE id = $1::int", 1, p);
    if (!r) return error_fab(req, 500, "Fatal error");
    if (!pg_nrows(r)) return error_fab(req, 404, "Not found");
    if (!delete_tag_ids(req, arena_sprintf(req->arena, "[%lld]", pk), &err))
        return error_fab(req, err.status == PG_ERR_QUERY ? 422 : 500,
                         err.status == PG_ERR_QUERY ? err.message : "Fatal error");
    error_fab(req, 200, "OK");
}

static void tag_bulk_delete(request_t *req) {
    json_t *names = rison_list_arg(req, JSON_STRING);
    if (!names) return event_log_skip(req); /* answered by @rison, outside the event logger */
    event_log_kwarg(req, "rison", names);
    const char *p[] = {json_dump_arena(req->arena, names, JSON_COMPACT, NULL)};
    pg_error_t err;
    /* every name must exist exactly as given; the delete matches stripped names */
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              "SELECT (SELECT count(*) FROM jsonb_array_elements_text($1::jsonb) e(x)"
                              "        WHERE NOT EXISTS (SELECT 1 FROM tag WHERE name = e.x)),"
                              " (SELECT coalesce(jsonb_agg(id), '[]') FROM tag WHERE name IN"
                              "  (SELECT btrim(x) FROM jsonb_array_elements_text($1::jsonb) e(x)))", 1, p);
    if (!r) return event_log_skip(req), error_fab(req, 500, "Fatal error"); /* @safe */
    if (pg_get_int(r, 0, 0, 0) > 0)
        return resp_json(req, 422,
                         json_pack("{s:s}", "message",
                                   arena_sprintf(req->arena, "Invalid tag parameters: %s. Tag parameters are invalid.",
                                                 py_repr(req, names))),
                         JSON_FLASK);
    if (!delete_tag_ids(req, pg_get(r, 0, 1), &err))
        return (err.status == PG_ERR_QUERY ? (void)0 : event_log_skip(req)),
               error_fab(req, err.status == PG_ERR_QUERY ? 422 : 500,
                         err.status == PG_ERR_QUERY ? "Tag could not be deleted." : "Fatal error");
    error_fab(req, 200, arena_sprintf(req->arena, "Deleted %zu tags", json_array_size(names)));
}

static const route_def_t routes[] = {
    /* the base class's delete_headless gets the pk positionally */
    {"DELETE", "/api/v1/tag/<pk>", tag_delete, GUARD("can_write", "Tag"), ROUTE_LOG_POSITIONAL, NULL, "TagRestApi.delete",
     "BaseSupersetModelRestApi.delete_headless"},
    {"DELETE", "/api/v1/tag/", tag_bulk_delete, GUARD("can_write", "Tag"), 0, NULL, "TagRestApi.bulk_delete"},
    {"POST", "/api/v1/tag/", tag_post, GUARD("can_write", "Tag"), 0, NULL, "TagRestApi.post"},
    {"PUT", "/api/v1/tag/<pk>", tag_put, GUARD("can_write", "Tag"), 0, NULL, "TagRestApi.put"},
    {"POST", "/api/v1/tag/bulk_create", tag_bulk_create, GUARD("can_bulk_create", "Tag"), 0, NULL,
     "TagRestApi.bulk_create"},
    {"POST", "/api/v1/tag/<int:object_type>/<int:object_id>/", tag_add_objects, GUARD("can_write", "Tag"), 0, NULL,
     "TagRestApi.add_objects"},
    {"DELETE", "/api/v1/tag/<int:object_type>/<int:object_id>/<tag>/", tag_delete_object, GUARD("can_write", "Tag"), 0,
     NULL, "TagRestApi.delete_object"},
    {"GET", "/api/v1/tag/get_objects/", tag_get_objects, GUARD("can_read", "Tag"), 0, NULL, "TagRestApi.get_objects"},
    {"GET", "/api/v1/tag/favorite_status/", tag_favorite_status, GUARD("can_read", "Tag"), 0, NULL,
     "TagRestApi.favorite_status"},
    {"POST", "/api/v1/tag/<pk>/favorites/", tag_add_favorite, GUARD("can_read", "Tag"), 0, NULL,
     "TagRestApi.add_favorite"},
    {"DELETE", "/api/v1/tag/<pk>/favorites/", tag_remove_favorite, GUARD("can_read", "Tag"), 0, NULL,
     "TagRestApi.remove_favorite"},
};
const route_table_t tag_routes = {routes, sizeof routes / sizeof routes[0], NULL};
