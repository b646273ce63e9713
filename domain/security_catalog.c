/* The Superset 6.0.0 security catalog and role rules; see security_catalog.h.
 *
 * The tables below were derived from the reference listing of a fresh
 * Superset 6.0.0 install (superset-6.0.0-security-init.sql): every pair whose
 * permission is not menu_access and that is not a custom pair is a base
 * permission of its view; view-menu rows without any pair are views without
 * base permissions. Views are listed in the reference's creation order. */
#include "domain/security_catalog.h"

#include <string.h>

/* ---- step (1): registered views and their base permissions ------------------ */

static const seccat_view_t views[] = {
    {"SavedQuery", {"can_export", "can_list", "can_read", "can_write"}},
    {"CssTemplate", {"can_read", "can_write"}},
    {"ReportSchedule", {"can_read", "can_write"}},
    {"Chart", {"can_export", "can_read", "can_warm_up_cache", "can_write"}},
    {"Annotation", {"can_read", "can_write"}},
    {"Dataset",
     {"can_duplicate", "can_export", "can_get_drill_info", "can_get_or_create_dataset",
      "can_read", "can_warm_up_cache", "can_write"}},
    {"Log", {"can_read", "can_recent_activity", "can_write"}},
    {"Dashboard",
     {"can_cache_dashboard_screenshot", "can_delete_embedded", "can_export", "can_get_embedded",
      "can_read", "can_set_embedded", "can_write"}},
    {"Database", {"can_export", "can_read", "can_upload", "can_write"}},
    {"Query", {"can_read"}},
    {"SupersetIndexView", {NULL}},
    {"UtilView", {NULL}},
    {"LocaleView", {NULL}},
    {"SupersetAuthView", {NULL}},
    {"SupersetRegisterUserView", {NULL}},
    {"SecurityApi", {NULL}},
    {"UserInfoEditView", {"can_this_form_get", "can_this_form_post"}},
    {"ResetPasswordView", {"can_this_form_get", "can_this_form_post"}},
    {"ResetMyPasswordView", {"can_this_form_get", "can_this_form_post"}},
    {"AuthDBView", {NULL}},
    {"UserDBModelView",
     {"can_add", "can_delete", "can_download", "can_edit", "can_list", "can_show",
      "can_userinfo", "resetmypassword", "resetpasswords", "userinfoedit"}},
    {"RoleModelView",
     {"can_add", "can_delete", "can_download", "can_edit", "can_list", "can_show", "copyrole"}},
    {"UserGroupModelView",
     {"can_add", "can_delete", "can_download", "can_edit", "can_list", "can_show"}},
    {"Permission", {"can_get", "can_info"}},
    {"Role",
     {"can_add_role_permissions", "can_delete", "can_get", "can_info",
      "can_list_role_permissions", "can_post", "can_put", "can_update_role_groups",
      "can_update_role_users"}},
    {"User", {"can_delete", "can_get", "can_info", "can_post", "can_put"}},
    {"ViewMenu", {"can_delete", "can_get", "can_info", "can_post", "can_put"}},
    {"PermissionViewMenu", {"can_delete", "can_get", "can_info", "can_post", "can_put"}},
    {"Group", {"can_delete", "can_get", "can_info", "can_post", "can_put"}},
    {"OpenApi", {"can_get"}},
    {"SwaggerView", {"can_show"}},
    {"MenuApi", {"can_get"}},
    {"AsyncEventsRestApi", {"can_list"}},
    {"AdvancedDataType", {"can_read"}},
    {"AvailableDomains", {"can_read"}},
    {"CacheRestApi", {"can_invalidate"}},
    {"Theme", {"can_export", "can_read", "can_write"}},
    {"CurrentUserRestApi", {NULL}},
    {"UserRestApi", {NULL}},
    {"DashboardFilterStateRestApi", {"can_read", "can_write"}},
    {"DashboardPermalinkRestApi", {"can_read", "can_write"}},
    {"Datasource",
     {"can_external_metadata", "can_external_metadata_by_name", "can_get",
      "can_get_column_values", "can_samples", "can_save"}},
    {"EmbeddedDashboard", {"can_read"}},
    {"Explore", {"can_read"}},
    {"ExploreFormDataRestApi", {"can_read", "can_write"}},
    {"ExplorePermalinkRestApi", {"can_read", "can_write"}},
    {"ImportExportRestApi", {"can_export", "can_import_"}},
    {"Row Level Security", {"can_read", "can_write"}},
    {"Tag", {"can_bulk_create", "can_read", "can_write"}},
    {"SQLLab",
     {"can_estimate_query_cost", "can_execute_sql_query", "can_export_csv", "can_format_sql",
      "can_get_results", "can_read"}},
    {"SqlLabPermalinkRestApi", {"can_read", "can_write"}},
    {"security", {"can_read"}},
    {"DynamicPlugin", {"can_add", "can_download", "can_edit", "can_list", "can_show", "can_write"}},
    {"Api", {"can_query", "can_query_form_data", "can_time_range"}},
    {"EmbeddedView", {NULL}},
    {"Superset",
     {"can_dashboard", "can_dashboard_permalink", "can_explore", "can_explore_json",
      "can_fetch_datasource_metadata", "can_language_pack", "can_log", "can_slice",
      "can_sqllab_history", "can_warm_up_cache"}},
    {"TableSchemaView", {"can_delete", "can_expanded", "can_post"}},
    {"TabStateView",
     {"can_activate", "can_delete", "can_delete_query", "can_get", "can_migrate_query",
      "can_post", "can_put"}},
    {"Tags", {"can_list"}},
    {"TagView", {"can_tags"}},
    {"RoleRestAPI", {"can_list_roles"}},
    {"user", {"can_read"}},
    {"UserRegistrationsRestAPI", {"can_add", "can_delete", "can_edit", "can_list", "can_show"}},
    {"SecurityRestApi", {"can_grant_guest_token", "can_read"}},
    {"RowLevelSecurity", {"can_read"}},
};

/* ---- step (1): menu labels --------------------------------------------------- */

static const char *const menus[] = {
    "Security", "List Roles", "User Registrations", "List Users", "List Groups",
    "Action Log", "Row Level Security",
    "Home",
    "Data", "Databases",
    "Dashboards", "Charts", "Datasets",
    "Manage", "Plugins", "CSS Templates", "Themes", "Tags", "Alerts & Report",
    "Annotation Layers",
    "SQL Lab", "SQL Editor", "Saved Queries", "Query Search",
};

/* ---- step (2): custom pairs (create_custom_permissions) ---------------------- */

static const seccat_pair_t custom_pairs[] = {
    {"all_datasource_access", "all_datasource_access"},
    {"all_database_access", "all_database_access"},
    {"all_query_access", "all_query_access"},
    {"can_csv", "Superset"},
    {"can_share_dashboard", "Superset"},
    {"can_share_chart", "Superset"},
    {"can_sqllab", "Superset"},
    {"can_view_query", "Dashboard"},
    {"can_view_chart_as_table", "Dashboard"},
    {"can_drill", "Dashboard"},
    {"can_tag", "Chart"},
    {"can_tag", "Dashboard"},
};

/* ---- rule sets (class attributes of SupersetSecurityManager) ------------------ */

static const char *const object_spec_permissions[] = {
    "database_access", "catalog_access", "schema_access", "datasource_access", NULL,
};

static const char *const read_only_model_views[] = {"Database", "DynamicPlugin", NULL};

static const char *const gamma_read_only_model_views[] = {
    "Dataset", "Datasource", "Database", "DynamicPlugin", NULL,
};

/* Includes USER_MODEL_VIEWS. */
static const char *const admin_only_view_menus[] = {
    "Access Requests", "Action Logs", "Log", "List Users", "UsersListView", "List Roles",
    "List Groups", "ResetPasswordView", "RoleModelView", "UserGroupModelView",
    "Row Level Security", "Row Level Security Filters", "Security", "SQL Lab",
    "User Registrations", "User's Statistics", "RoleRestAPI", "Group", "Role", "Permission",
    "PermissionViewMenu", "ViewMenu", "User",
    /* USER_MODEL_VIEWS */
    "RegisterUserModelView", "UserDBModelView", "UserLDAPModelView", "UserInfoEditView",
    "UserOAuthModelView", "UserOIDModelView", "UserRemoteUserModelView",
    NULL,
};

static const char *const admin_only_permissions[] = {
    "update_roles_users", "list_roles", "can_update_role", "all_query_access",
    "can_grant_guest_token", "can_set_embedded", "can_warm_up_cache", NULL,
};

static const char *const read_only_permission[] = {
    "can_show", "can_list", "can_get", "can_external_metadata",
    "can_external_metadata_by_name", "can_read", "can_get_drill_info", NULL,
};

static const char *const alpha_only_view_menus[] = {
    "Alerts & Report", "Annotation Layers", "Annotation", "CSS Templates",
    "ColumnarToDatabaseView", "CssTemplate", "ExcelToDatabaseView", "Import dashboards",
    "ImportExportRestApi", "Manage", "Queries", "ReportSchedule", NULL,
};

static const char *const alpha_only_permissions[] = {
    "muldelete", "all_database_access", "all_datasource_access", NULL,
};

static const seccat_pair_t alpha_only_pvms[] = {
    {"can_upload", "Database"},
    {NULL, NULL},
};

static const char *const accessible_perms[] = {
    "can_userinfo", "resetmypassword", "can_recent_activity", NULL,
};

static const seccat_pair_t sqllab_only_permissions[] = {
    {"can_read", "SavedQuery"},
    {"can_write", "SavedQuery"},
    {"can_export", "SavedQuery"},
    {"can_read", "Query"},
    {"can_export_csv", "Query"},
    {"can_get_results", "SQLLab"},
    {"can_execute_sql_query", "SQLLab"},
    {"can_estimate_query_cost", "SQL Lab"},
    {"can_export_csv", "SQLLab"},
    {"can_read", "SQLLab"},
    {"can_sqllab_history", "Superset"},
    {"can_sqllab", "Superset"},
    {"can_test_conn", "Superset"},
    {"can_activate", "TabStateView"},
    {"can_get", "TabStateView"},
    {"can_delete_query", "TabStateView"},
    {"can_post", "TabStateView"},
    {"can_delete", "TabStateView"},
    {"can_put", "TabStateView"},
    {"can_migrate_query", "TabStateView"},
    {"menu_access", "SQL Lab"},
    {"menu_access", "SQL Editor"},
    {"menu_access", "Saved Queries"},
    {"menu_access", "Query Search"},
    {"can_read", "SqlLabPermalinkRestApi"},
    {"can_write", "SqlLabPermalinkRestApi"},
    {"can_post", "TableSchemaView"},
    {"can_expanded", "TableSchemaView"},
    {"can_delete", "TableSchemaView"},
    {NULL, NULL},
};

static const seccat_pair_t sqllab_extra_permission_views[] = {
    {"can_csv", "Superset"},
    {"can_read", "Superset"},
    {"can_read", "Database"},
    {NULL, NULL},
};

/* copy_role(merge=True) keeps these on the target role. */
static const char *const data_access_permissions[] = {
    "database_access", "schema_access", "datasource_access", "all_datasource_access",
    "all_database_access", "all_query_access", NULL,
};

/* ---- lookups ----------------------------------------------------------------- */

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static bool in_names(const char *name, const char *const *list) {
    for (; *list; list++)
        if (!strcmp(name, *list)) return true;
    return false;
}

static bool in_pairs(const char *perm, const char *view, const seccat_pair_t *list) {
    for (; list->perm; list++)
        if (!strcmp(perm, list->perm) && !strcmp(view, list->view)) return true;
    return false;
}

const seccat_view_t *seccat_views(size_t *n) {
    *n = COUNT(views);
    return views;
}

const char *const *seccat_menus(size_t *n) {
    *n = COUNT(menus);
    return menus;
}

const seccat_pair_t *seccat_custom_pairs(size_t *n) {
    *n = COUNT(custom_pairs);
    return custom_pairs;
}

const seccat_view_t *seccat_find_view(const char *name) {
    for (size_t i = 0; i < COUNT(views); i++)
        if (!strcmp(views[i].name, name)) return &views[i];
    return NULL;
}

bool seccat_is_catalog_pair(const char *perm, const char *view) {
    const seccat_view_t *v = seccat_find_view(view);
    if (v && in_names(perm, v->perms)) return true;
    if (!strcmp(perm, SECCAT_MENU_ACCESS))
        for (size_t i = 0; i < COUNT(menus); i++)
            if (!strcmp(menus[i], view)) return true;
    for (size_t i = 0; i < COUNT(custom_pairs); i++)
        if (!strcmp(custom_pairs[i].perm, perm) && !strcmp(custom_pairs[i].view, view))
            return true;
    return false;
}

/* ---- predicates -------------------------------------------------------------- */

bool seccat_is_user_defined(const char *perm, const char *view) {
    (void)view;
    return in_names(perm, object_spec_permissions);
}

bool seccat_is_admin_only(const char *perm, const char *view) {
    if (in_pairs(perm, view, alpha_only_pvms)) return false;
    if (in_names(view, read_only_model_views) && !in_names(perm, read_only_permission))
        return true;
    return in_names(view, admin_only_view_menus) || in_names(perm, admin_only_permissions);
}

bool seccat_is_alpha_only(const char *perm, const char *view) {
    if (in_names(view, gamma_read_only_model_views) && !in_names(perm, read_only_permission))
        return true;
    if (in_pairs(perm, view, alpha_only_pvms)) return true;
    return in_names(view, alpha_only_view_menus) || in_names(perm, alpha_only_permissions);
}

bool seccat_is_sql_lab_only(const char *perm, const char *view) {
    return in_pairs(perm, view, sqllab_only_permissions);
}

bool seccat_is_accessible(const char *perm, const char *view) {
    (void)view;
    return in_names(perm, accessible_perms);
}

bool seccat_is_data_access_perm(const char *perm) {
    return in_names(perm, data_access_permissions);
}

/* ---- role rules -------------------------------------------------------------- */

bool seccat_admin_gets(const char *perm, const char *view) {
    return !seccat_is_user_defined(perm, view);
}

bool seccat_alpha_gets(const char *perm, const char *view) {
    return !(seccat_is_user_defined(perm, view) || seccat_is_admin_only(perm, view) ||
             seccat_is_sql_lab_only(perm, view)) ||
           seccat_is_accessible(perm, view);
}

bool seccat_gamma_gets(const char *perm, const char *view) {
    return !(seccat_is_user_defined(perm, view) || seccat_is_admin_only(perm, view) ||
             seccat_is_alpha_only(perm, view) || seccat_is_sql_lab_only(perm, view)) ||
           seccat_is_accessible(perm, view);
}

bool seccat_sql_lab_gets(const char *perm, const char *view) {
    return seccat_is_sql_lab_only(perm, view) ||
           in_pairs(perm, view, sqllab_extra_permission_views);
}

static const seccat_stock_role_t stock_roles[] = {
    {"Admin", seccat_admin_gets},
    {"Alpha", seccat_alpha_gets},
    {"Gamma", seccat_gamma_gets},
    {"sql_lab", seccat_sql_lab_gets},
};

const seccat_stock_role_t *seccat_stock_roles(size_t *n) {
    *n = COUNT(stock_roles);
    return stock_roles;
}
