/* Flask-AppBuilder's security model APIs under /api/v1/security, on the
 * generic engine: users, roles, permissions, resources (view menus),
 * permissions-resources and groups. They are CSRF-exempt (FAB blueprints)
 * and use FAB's plain permission names (can_get, can_post, ...). Column sets
 * follow rest-resources.json. Users get FAB's UserApi rules: password
 * hashing, role/group existence, at least one role or group. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi/app.h"
#include "fcgi/model_rest.h"
#include "persistence/models.h"
#include "domain/user.h"

/* ---- users: FAB UserApi rules ---- */

static void msg(json_t *errors, const char *field, const char *text) {
    json_t *l = json_object_get(errors, field);
    if (!l) json_object_set_new(errors, field, l = json_array());
    json_array_append_new(l, json_string(text));
}

static bool int_list(json_t *errors, json_t *body, const char *key) {
    json_t *v = json_object_get(body, key);
    if (!v) return true;
    if (!json_is_array(v)) {
        msg(errors, key, "Not a valid list.");
        return false;
    }
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x) if (!json_is_integer(x)) {
        msg(errors, key, "Not a valid integer.");
        return false;
    }
    return true;
}

static json_t *user_validate(request_t *req, const resource_t *res, json_t *body, bool is_post) {
    (void)req;
    (void)res;
    static const char *const strings[] = {"email", "first_name", "last_name", "password", "username", NULL};
    static const char *const known[] = {"active", "email", "first_name", "last_name", "password", "roles", "groups",
                                        "username", NULL};
    json_t *errors = json_object();
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v) {
        bool ok = false;
        for (const char *const *k = known; *k; k++) ok = ok || !strcmp(*k, key);
        if (!ok) msg(errors, key, "Unknown field.");
    }
    for (const char *const *k = strings; *k; k++) {
        v = json_object_get(body, *k);
        if (!v) {
            if (is_post) msg(errors, *k, "Missing data for required field.");
        } else if (json_is_null(v)) {
            msg(errors, *k, "Field may not be null.");
        } else if (!json_is_string(v)) {
            msg(errors, *k, "Not a valid string.");
        }
    }
    v = json_object_get(body, "username");
    if (json_is_string(v) && (json_string_length(v) < 1 || json_string_length(v) > 250))
        msg(errors, "username", "Length must be between 1 and 250.");
    v = json_object_get(body, "active");
    if (v && !json_is_boolean(v)) msg(errors, "active", "Not a valid boolean.");
    bool lists_ok = int_list(errors, body, "roles") & int_list(errors, body, "groups");
    if (is_post && lists_ok && !json_array_size(json_object_get(body, "roles")) &&
        !json_array_size(json_object_get(body, "groups")))
        msg(errors, "_schema", "At least one of 'roles' or 'groups' must be provided and non-empty.");
    if (json_object_size(errors)) return errors;
    json_decref(errors);
    return NULL;
}

/* Sorted ids of `key` that do not exist in `table`, as FAB's message text. */
static const char *missing_ids(request_t *req, pg_conn_t *c, json_t *ids, const char *table) {
    const char *list = json_dumps(ids, JSON_COMPACT);
    const char *p[] = {list};
    pg_error_t err;
    const char *sql = arena_sprintf(req->arena,
                                    "SELECT string_agg(x::text, ', ' ORDER BY x) FROM jsonb_array_elements_text($1::jsonb) e(x)"
                                    " WHERE NOT EXISTS (SELECT 1 FROM %s t WHERE t.id = x::bigint)", table);
    pg_result_t *r = pg_conn_query(c, req->arena, &err, sql, 1, p);
    free((char *)list);
    return r ? pg_get(r, 0, 0) : NULL;
}

static bool user_after_write(request_t *req, const resource_t *res, pg_conn_t *c, int64_t id, json_t *body,
                             const char **error) {
    (void)res;
    static const struct { const char *key, *table, *what; } lists[] = {
        {"roles", "ab_role", "Role(s)"}, {"groups", "ab_group", "Group(s)"}};
    for (size_t i = 0; i < 2; i++) {
        json_t *ids = json_object_get(body, lists[i].key);
        if (!json_array_size(ids)) continue;
        const char *missing = missing_ids(req, c, ids, lists[i].table);
        if (missing) {
            *error = arena_sprintf(req->arena, "%s with ID(s) [%s] not found.", lists[i].what, missing);
            return false;
        }
    }
    const char *ids = arena_sprintf(req->arena, "%lld", (long long)id);
    const char *uid = req->user ? arena_sprintf(req->arena, "%lld", (long long)req->user->id) : NULL;
    const char *audit[] = {ids, uid};
    pg_error_t err;
    if (!pg_conn_query(c, req->arena, &err,
                       "UPDATE ab_user SET changed_on = localtimestamp, changed_by_fk = $2::int,"
                       " created_on = coalesce(created_on, localtimestamp), created_by_fk = coalesce(created_by_fk, $2::int),"
                       " active = coalesce(active, true) WHERE id = $1::int",
                       2, audit))
        return false;
    const json_t *pw = json_object_get(body, "password");
    if (json_is_string(pw)) {
        char *hash = user_password_hash(json_string_value(pw));
        const char *p[] = {hash, ids};
        bool ok = hash && pg_conn_query(c, req->arena, &err, "UPDATE ab_user SET password = $1 WHERE id = $2::int", 2, p);
        free(hash);
        if (!ok) return false;
    }
    return true;
}

/* ---- resources ---- */

#define FAB_PERMS                                                                                  \
    .perm_list = "can_get", .perm_get = "can_get", .perm_info = "can_info", .perm_post = "can_post", \
    .perm_put = "can_put", .perm_delete = "can_delete"

static const char *const user_list[] = {"id", "roles.id", "roles.name", "first_name", "last_name", "username",
                                        "active", "email", "last_login", "login_count", "fail_login_count",
                                        "created_on", "changed_on", "created_by.id", "changed_by.id", "groups", NULL};
static const char *const user_write[] = {"roles", "first_name", "last_name", "username", "active", "email",
                                         "password", "groups", NULL};
static const char *const user_search[] = {"id", "roles", "groups", "first_name", "last_name", "username", "active",
                                          "email", "last_login", "login_count", "fail_login_count", "created_on",
                                          "changed_on", NULL};
static const char *const user_order[] = {"id", "roles.id", "roles.name", "first_name", "last_name", "username",
                                         "active", "email", "last_login", "login_count", "fail_login_count",
                                         "created_on", "changed_on", "created_by.id", "changed_by.id", NULL};

const resource_t security_users_resource = {
    .base = "/api/v1/security/users", .model = &model_ab_user, .view_menu = "User", FAB_PERMS,
    .list_columns = user_list, .show_columns = user_list, .add_columns = user_write, .edit_columns = user_write,
    .search_columns = user_search, .order_columns = user_order, .route_flags = ROUTE_CSRF_EXEMPT,
    .validate = user_validate, .after_write = user_after_write, .post_returns_id_only = true,
};

static const char *const id_name[] = {"id", "name", NULL};
static const char *const name_only[] = {"name", NULL};

const resource_t security_roles_resource = {
    .base = "/api/v1/security/roles", .model = &model_ab_role, .view_menu = "Role", FAB_PERMS,
    .list_columns = id_name, .show_columns = id_name, .add_columns = name_only, .edit_columns = name_only,
    .search_columns = id_name, .order_columns = id_name, .route_flags = ROUTE_CSRF_EXEMPT,
};

const resource_t security_permissions_resource = {
    .base = "/api/v1/security/permissions", .model = &model_ab_permission, .view_menu = "Permission",
    .perm_list = "can_get", .perm_get = "can_get", .perm_info = "can_info",
    .list_columns = id_name, .show_columns = id_name, .add_columns = name_only, .edit_columns = name_only,
    .search_columns = id_name, .order_columns = id_name, .route_flags = ROUTE_CSRF_EXEMPT,
};

const resource_t security_view_menus_resource = {
    .base = "/api/v1/security/resources", .model = &model_ab_view_menu, .view_menu = "ViewMenu", FAB_PERMS,
    .list_columns = id_name, .show_columns = id_name, .add_columns = name_only, .edit_columns = name_only,
    .search_columns = id_name, .order_columns = id_name, .route_flags = ROUTE_CSRF_EXEMPT,
};

static const char *const pvm_list[] = {"id", "permission.name", "view_menu.name", NULL};
static const char *const pvm_write[] = {"permission_id", "view_menu_id", NULL};
static const char *const pvm_search[] = {"permission", "view_menu", "role", NULL};

const resource_t security_pvms_resource = {
    .base = "/api/v1/security/permissions-resources", .model = &model_ab_permission_view, .view_menu = "PermissionViewMenu", FAB_PERMS,
    .list_columns = pvm_list, .show_columns = pvm_list, .add_columns = pvm_write, .edit_columns = pvm_write,
    .search_columns = pvm_search, .order_columns = pvm_list, .route_flags = ROUTE_CSRF_EXEMPT,
};

static const char *const group_list[] = {"id", "name", "label", "description", "roles.name", "roles.id",
                                         "users.id", "users.username", NULL};
static const char *const group_write[] = {"name", "label", "description", "users", "roles", NULL};

const resource_t security_groups_resource = {
    .base = "/api/v1/security/groups", .model = &model_ab_group, .view_menu = "Group", FAB_PERMS,
    .list_columns = group_list, .show_columns = group_list, .add_columns = group_write, .edit_columns = group_write,
    .search_columns = group_list, .order_columns = group_list, .route_flags = ROUTE_CSRF_EXEMPT,
};

/* Superset's UserRegistrationsRestAPI: pending self-registrations (Admin). */
static const char *const registration_list[] = {"id", "username", "email", "first_name", "last_name",
                                                "registration_date", "registration_hash", NULL};
static const char *const registration_search[] = {"first_name", "last_name", "username", "password", "email",
                                                  "registration_date", "registration_hash", NULL};
static const char *const id_only[] = {"id", NULL};

const resource_t security_registrations_resource = {
    .base = "/api/v1/security/user_registrations", .model = &model_ab_register_user, .view_menu = "UserRegistrationsRestAPI",
    .perm_list = "can_list", .perm_get = "can_show", .perm_info = "can_list", .perm_post = "can_add",
    .perm_put = "can_edit", .perm_delete = "can_delete",
    .list_columns = registration_list, .show_columns = registration_list, .add_columns = id_only,
    .edit_columns = id_only, .search_columns = registration_search, .order_columns = registration_list,
    .distinct_columns = registration_list, .related = (const related_field_t[]){{NULL, NULL, NULL, NULL, NULL}},
};
