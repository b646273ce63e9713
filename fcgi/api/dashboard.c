/* /api/v1/dashboard on the generic engine: Superset's DashboardRestApi list,
 * _info and related endpoints, with DashboardAccessFilter and the dashboard
 * custom filters (title_or_slug, favorites, certification, created by me).
 * Item, write, delete and favorite endpoints are custom routes
 * (dashboard_item.c, dashboard_write.c). */
#include "fcgi/api/dashboard.h"

#include "domain/access.h"
#include "domain/security.h"
#include "fcgi/api/api.h"
#include "fcgi/api/common_filters.h"
#include "fcgi/api/related_users.h"
#include "fcgi/api/tag_filters.h"
#include "fcgi/app.h"
#include "lib/json.h"
#include "persistence/models.h"

const char *dashboard_owned_sql(request_t *req, model_query_t *q) {
    return arena_sprintf(q->arena, "EXISTS (SELECT 1 FROM dashboard_user du WHERE du.dashboard_id = t.id"
                                   " AND du.user_id = %s::int)", filter_user_param(req, q));
}

/* View menu names the caller holds permission <perm> on (roles in %1$s). */
#define USER_VIEW_MENUS(perm)                                                                              \
    "SELECT vm.name FROM ab_permission_view pv JOIN ab_permission p ON p.id = pv.permission_id"           \
    " JOIN ab_view_menu vm ON vm.id = pv.view_menu_id JOIN ab_permission_view_role pvr"                   \
    " ON pvr.permission_view_id = pv.id WHERE p.name = '" perm "' AND pvr.role_id IN"                    \
    " (SELECT x::int FROM jsonb_array_elements_text(%1$s::jsonb) e(x))"

/* get_dataset_access_filters on slices s joined to tables d and dbs b (a
 * database's perm is "[<database_name>].(id:<id>)"). */
static const char *dataset_access_sql(request_t *req, model_query_t *q) {
    if (access_all_datasources(app_security(req->app), req->cfg, req->user)) return "true";
    const char *roles = filter_roles_param(req, q);
    return arena_sprintf(q->arena,
                         "(('[' || b.database_name || '].(id:' || b.id || ')') IN (" USER_VIEW_MENUS("database_access") ") OR s.perm IN ("
                         USER_VIEW_MENUS("datasource_access") ") OR s.catalog_perm IN ("
                         USER_VIEW_MENUS("catalog_access") ") OR s.schema_perm IN ("
                         USER_VIEW_MENUS("schema_access") "))",
                         roles);
}

void dashboard_access_filter(request_t *req, model_query_t *q) {
    if (req->user && security_is_admin(req->cfg, req->user)) return;
    bool rbac = config_feature(req->cfg, "DASHBOARD_RBAC");
    const char *no_roles = rbac ? " AND NOT EXISTS (SELECT 1 FROM dashboard_roles r WHERE r.dashboard_id = t.id)" : "";
    const char *datasets = arena_sprintf(
        q->arena,
        "EXISTS (SELECT 1 FROM dashboard_slices ds JOIN slices s ON s.id = ds.slice_id"
        " JOIN tables d ON d.id = s.datasource_id JOIN dbs b ON b.id = d.database_id"
        " WHERE ds.dashboard_id = t.id AND t.published IS TRUE%s AND %s)",
        no_roles, dataset_access_sql(req, q));
    const char *by_role = rbac ? arena_sprintf(q->arena,
                                               " OR (t.published IS TRUE AND EXISTS (SELECT 1 FROM dashboard_roles r"
                                               " WHERE r.dashboard_id = t.id AND r.role_id IN (SELECT x::int FROM"
                                               " jsonb_array_elements_text(%s::jsonb) e(x))))",
                                               filter_roles_param(req, q))
                               : "";
    mq_where(q, arena_sprintf(q->arena, "(%s OR %s%s)", dashboard_owned_sql(req, q), datasets, by_role));
}

const char *dashboard_raise_for_access_sql(request_t *req, model_query_t *q) {
    if (req->user && security_is_admin(req->cfg, req->user)) return "true";
    const char *datasets = arena_sprintf(
        q->arena,
        "(NOT EXISTS (SELECT 1 FROM dashboard_slices ds JOIN slices s ON s.id = ds.slice_id JOIN tables d"
        " ON d.id = s.datasource_id WHERE ds.dashboard_id = t.id) OR EXISTS (SELECT 1 FROM dashboard_slices ds"
        " JOIN slices s ON s.id = ds.slice_id JOIN tables d ON d.id = s.datasource_id JOIN dbs b ON b.id = d.database_id"
        " WHERE ds.dashboard_id = t.id AND %s))",
        dataset_access_sql(req, q));
    if (!config_feature(req->cfg, "DASHBOARD_RBAC"))
        return arena_sprintf(q->arena, "(%s OR %s)", dashboard_owned_sql(req, q), datasets);
    return arena_sprintf(q->arena,
                         "(%s OR CASE WHEN EXISTS (SELECT 1 FROM dashboard_roles r WHERE r.dashboard_id = t.id) THEN"
                         " t.published IS TRUE AND EXISTS (SELECT 1 FROM dashboard_roles r WHERE r.dashboard_id = t.id"
                         " AND r.role_id IN (SELECT x::int FROM jsonb_array_elements_text(%s::jsonb) e(x))) ELSE %s END)",
                         dashboard_owned_sql(req, q), filter_roles_param(req, q), datasets);
}

static mq_filter_result_t title_or_slug(request_t *req, model_query_t *q, const json_t *value) {
    (void)req;
    if (!value || json_is_null(value) || json_is_false(value) || (json_is_string(value) && !*json_string_value(value)))
        return MQ_FILTER_SKIPPED;
    const char *text = json_is_string(value) ? json_string_value(value) : json_dump_arena(q->arena, value, JSON_ENCODE_ANY, NULL);
    const char *p = mq_param(q, arena_sprintf(q->arena, "%%%s%%", text));
    mq_where(q, arena_sprintf(q->arena, "(t.dashboard_title ILIKE %1$s OR t.slug ILIKE %1$s)", p));
    return MQ_FILTER_OK;
}

/* BaseFavoriteFilter on class Dashboard. */
static mq_filter_result_t is_favorite(request_t *req, model_query_t *q, const json_t *value) {
    return filter_favorite(req, q, value, "Dashboard");
}

static mq_filter_result_t is_certified(request_t *req, model_query_t *q, const json_t *value) {
    (void)req;
    if (json_is_true(value)) mq_where(q, "(t.certified_by IS NOT NULL AND t.certified_by != '')");
    else if (json_is_false(value)) mq_where(q, "(t.certified_by IS NULL OR t.certified_by = '')");
    else return MQ_FILTER_SKIPPED;
    return MQ_FILTER_OK;
}

static const char *const list_columns[] = {
    "id", "uuid", "published", "status", "slug", "url", "thumbnail_url", "certified_by", "certification_details",
    "changed_by.first_name", "changed_by.last_name", "changed_by.id", "changed_by_name", "changed_on_utc",
    "changed_on_delta_humanized", "created_on_delta_humanized", "created_by.first_name", "created_by.id",
    "created_by.last_name", "dashboard_title", "owners.id", "owners.first_name", "owners.last_name", "roles.id",
    "roles.name", "is_managed_externally", "tags.id", "tags.name", "tags.type", NULL};
static const char *const write_columns[] = {"certified_by", "certification_details", "dashboard_title", "slug",
                                            "owners", "roles", "position_json", "css", "theme_id", "json_metadata",
                                            "published", NULL};
static const char *const search_columns[] = {"created_by", "changed_by", "dashboard_title", "id", "uuid", "owners",
                                             "published", "roles", "slug", "tags", NULL};
static const char *const order_columns[] = {"changed_by.first_name", "changed_on_delta_humanized",
                                            "created_by.first_name", "dashboard_title", "published", "changed_on",
                                            NULL};

static const custom_filter_t filters[] = {
    {"title_or_slug", "Title or Slug", "dashboard_title", title_or_slug},
    {"dashboard_is_favorite", "Is favorite", "id", is_favorite},
    {"dashboard_is_certified", "Is certified", "id", is_certified},
    {"dashboard_created_by_me", "Created by me", "created_by", filter_created_by_me},
    {"dashboard_has_created_by", "Has created by", "created_by", filter_has_created_by},
    {"dashboard_tag_id", "Is tagged", "tags", tag_filter_dashboard_id},
    {"dashboard_tags", "Is tagged", "tags", tag_filter_dashboard_name},
    {NULL, NULL, NULL, NULL},
};

static const related_field_t related[] = {
    RELATED_USERS("changed_by", NULL),
    RELATED_USERS("created_by", NULL),
    {"owners",
     "(t.first_name || ' ' || t.last_name ILIKE '%%' || %1$s || '%%' OR t.username ILIKE '%%' || %1$s || '%%')",
     "t.first_name ASC", "json_build_object('email', t.email, 'active', t.active)", NULL},
    {"roles", "t.name ILIKE '%%' || %1$s || '%%'", "t.name ASC", NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static const char *const info_permissions[] = {"can_cache_dashboard_screenshot", "can_delete_embedded", "can_export",
                                               "can_get_embedded", "can_read", "can_set_embedded", "can_write",
                                               NULL};

const resource_t dashboard_resource = {
    .base = "/api/v1/dashboard", .model = &model_dashboard, .view_menu = "Dashboard",
    .log_class = "DashboardRestApi", .log_own = LOG_EP_POST | LOG_EP_PUT | LOG_EP_DELETE | LOG_EP_BULK_DELETE,
    .perm_list = "can_read", .perm_info = "can_read",
    .list_columns = list_columns, .show_columns = list_columns, .add_columns = write_columns,
    .edit_columns = write_columns, .search_columns = search_columns, .order_columns = order_columns,
    .base_order = "changed_on", .base_order_desc = true,
    .related = related, .custom_filters = filters, .base_filter = dashboard_access_filter,
    .superset_errors = true, .validation_status = 400, .put_returns_id = true,
    .info_permissions = info_permissions,
};
