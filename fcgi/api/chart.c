/* /api/v1/chart on the generic engine: Superset's ChartRestApi list, _info,
 * related (owners, created_by, changed_by) and POST (ChartPostSchema checks
 * plus the create command's rules in chart_after_write), with the chart
 * custom filters of rest-api.md §1.12 and the ChartFilter access rule of
 * §1.13. GET/PUT/DELETE of one chart, bulk delete and favorites are custom
 * routes (chart_routes.c). */
#include "fcgi/api/chart.h"

#include <string.h>

#include "domain/access.h"
#include "domain/security.h"
#include "fcgi/api/api.h"
#include "fcgi/api/common_filters.h"
#include "fcgi/api/related_users.h"
#include "fcgi/api/tag_filters.h"
#include "fcgi/app.h"
#include "persistence/models.h"

/* View-menu names the role ids ($ placeholder) hold with one permission. */
#define VIEW_MENUS_WITH(perm, roles)                                                                  \
    "SELECT vm.name FROM ab_permission_view_role pvr"                                                 \
    " JOIN ab_permission_view pv ON pv.id = pvr.permission_view_id"                                   \
    " JOIN ab_permission p ON p.id = pv.permission_id JOIN ab_view_menu vm ON vm.id = pv.view_menu_id" \
    " WHERE p.name = '" perm "' AND pvr.role_id IN (SELECT x::int FROM jsonb_array_elements_text(" roles "::jsonb) e(x))"

void chart_access_filter(request_t *req, model_query_t *q) {
    const char *user = mq_param(q, req->user ? req->user->username : NULL);
    if (access_all_datasources(app_security(req->app), req->cfg, req->user)) {
        mq_where(q, arena_sprintf(q->arena, "%s::text IS NULL OR true", user));
        return;
    }
    const char *r = filter_roles_param(req, q);
    mq_where(q, arena_sprintf(q->arena, "%s::text IS NULL OR true", user));
    mq_where(q, arena_sprintf(
                    q->arena,
                    "EXISTS (SELECT 1 FROM tables d JOIN dbs db ON db.id = d.database_id WHERE d.id = t.datasource_id"
                    " AND (db.id IN (SELECT substring(name FROM '^\\[.+\\]\\.\\(id:(\\d+)\\)$')::int FROM (" VIEW_MENUS_WITH("database_access", "%1$s") ") dbp)"
                    " OR t.perm IN (" VIEW_MENUS_WITH("datasource_access", "%1$s") ")"
                    " OR t.catalog_perm IN (" VIEW_MENUS_WITH("catalog_access", "%1$s") ")"
                    " OR t.schema_perm IN (" VIEW_MENUS_WITH("schema_access", "%1$s") ")))",
                    r));
}

/* ---- custom filters (rest-api.md §1.12) ---- */

#define FAVORITES_OF(uid) "SELECT f.obj_id FROM favstar f WHERE f.class_name = 'slice' AND f.user_id = " uid "::int"

static mq_filter_result_t all_text(request_t *req, model_query_t *q, const json_t *value) {
    (void)req;
    if (!json_is_string(value) || !*json_string_value(value)) return MQ_FILTER_SKIPPED;
    const char *p = mq_param(q, arena_sprintf(q->arena, "%%%s%%", json_string_value(value)));
    mq_where(q, arena_sprintf(q->arena,
                              "t.slice_name ILIKE %1$s OR t.description ILIKE %1$s OR t.viz_type ILIKE %1$s OR"
                              " EXISTS (SELECT 1 FROM tables d WHERE d.id = t.datasource_id AND d.table_name ILIKE %1$s)",
                              p));
    return MQ_FILTER_OK;
}

static mq_filter_result_t is_favorite(request_t *req, model_query_t *q, const json_t *value) {
    return filter_favorite(req, q, value, "slice");
}

static mq_filter_result_t is_certified(request_t *req, model_query_t *q, const json_t *value) {
    (void)req;
    if (json_is_true(value)) mq_where(q, "t.certified_by IS NOT NULL");
    else if (json_is_false(value)) mq_where(q, "t.certified_by IS NULL");
    else return MQ_FILTER_SKIPPED;
    return MQ_FILTER_OK;
}

static mq_filter_result_t owned_created_favored(request_t *req, model_query_t *q, const json_t *value) {
    (void)value;
    const char *u = filter_user_param(req, q);
    mq_where(q, arena_sprintf(q->arena,
                              "t.id IN (SELECT o.slice_id FROM slice_user o WHERE o.user_id = %1$s::int)"
                              " OR t.created_by_fk = %1$s::int OR t.changed_by_fk = %1$s::int"
                              " OR t.id IN (" FAVORITES_OF("%1$s") ")",
                              u));
    return MQ_FILTER_OK;
}

static const custom_filter_t filters[] = {
    {"chart_is_favorite", "Is favorite", "id", is_favorite},
    {"chart_is_certified", "Is certified", "id", is_certified},
    {"chart_owned_created_favored_by_me", "Owned Created or Favored", "id", owned_created_favored},
    {"chart_all_text", "All Text", "slice_name", all_text},
    {"chart_has_created_by", "Has created by", "created_by", filter_has_created_by},
    {"chart_created_by_me", "Created by me", "created_by", filter_created_by_me},
    {"chart_tags", "Is tagged", "tags", tag_filter_chart_name},
    {"chart_tag_id", "Is tagged", "tags", tag_filter_chart_id},
    {NULL, NULL, NULL, NULL},
};

/* ---- declaration ---- */

static const char *const list_columns[] = {
    "is_managed_externally", "certified_by", "certification_details", "cache_timeout", "changed_by.first_name",
    "changed_by.last_name", "changed_by.id", "changed_by_name", "changed_on_delta_humanized", "changed_on_dttm",
    "changed_on_utc", "created_by.first_name", "created_by.id", "created_by.last_name", "created_by_name",
    "created_on_delta_humanized", "datasource_id", "datasource_name_text", "datasource_type", "datasource_url",
    "description", "description_markeddown", "edit_url", "form_data", "id", "last_saved_at", "last_saved_by.id",
    "last_saved_by.first_name", "last_saved_by.last_name", "owners.first_name", "owners.id", "owners.last_name",
    "dashboards.id", "dashboards.dashboard_title", "params", "slice_name", "slice_url", "table.default_endpoint",
    "table.table_name", "thumbnail_url", "url", "viz_type", "tags.id", "tags.name", "tags.type", "uuid", NULL};
static const char *const write_columns[] = {"slice_name", NULL};
static const char *const search_columns[] = {"created_by", "changed_by", "last_saved_at", "last_saved_by",
                                             "datasource_id", "datasource_name", "datasource_type", "description",
                                             "id", "uuid", "owners", "dashboards", "slice_name", "viz_type", "tags", NULL};
static const char *const order_columns[] = {"changed_by.first_name", "changed_on_delta_humanized", "datasource_id",
                                            "datasource_name", "last_saved_at", "last_saved_by.id",
                                            "last_saved_by.first_name", "last_saved_by.last_name", "slice_name",
                                            "viz_type", NULL};

static const related_field_t related[] = {
    {"owners", "(t.first_name || ' ' || t.last_name ILIKE '%%' || %1$s || '%%' OR t.username ILIKE '%%' || %1$s || '%%')",
     "t.first_name", "json_build_object('email', t.email, 'active', t.active)", NULL},
    RELATED_USERS("created_by", NULL),
    RELATED_USERS("changed_by", NULL),
    {NULL, NULL, NULL, NULL, NULL},
};

static const char *const base_permissions[] = {"can_export", "can_read", "can_warm_up_cache", "can_write", NULL};

const resource_t chart_resource = {
    .base = "/api/v1/chart", .model = &model_chart, .view_menu = "Chart",
    .log_class = "ChartRestApi", .log_own = LOG_EP_POST | LOG_EP_PUT | LOG_EP_DELETE | LOG_EP_BULK_DELETE,
    /* GET/DELETE of one chart, bulk delete: chart_routes.c; PUT /<int:pk> there outranks the engine's /<pk> */
    .perm_list = "can_read", .perm_info = "can_read", .perm_post = "can_write", .perm_put = "can_write",
    .list_columns = list_columns, .add_columns = write_columns, .edit_columns = write_columns,
    .search_columns = search_columns, .order_columns = order_columns, .base_order = "changed_on",
    .base_order_desc = true, .validate = chart_validate, .after_write = chart_after_write, .related = related,
    .custom_filters = filters, .base_filter = chart_access_filter, .superset_errors = true,
    .validation_status = 400, .put_returns_id = true, .info_permissions = base_permissions,
};
