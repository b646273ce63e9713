/* Flask-AppBuilder RoleApi extras under /api/v1/security/roles/<id>:
 * list a role's permissions, replace them, replace the role's users or
 * groups. CSRF-exempt like every FAB security API. */
#include <stdlib.h>
#include <string.h>

#include "domain/security.h"
#include "fcgi/api/api.h"
#include "fcgi/app.h"
#include "fcgi/errors.h"
#include "lib/rison.h"

static bool role_exists(request_t *req, const char *id, bool *db_error) {
    pg_error_t err;
    pg_result_t *r = pg_query_prepared(app_pg(req->app), req->arena, &err, "role_exists",
                                       "SELECT 1 FROM ab_role WHERE id = $1::int", 1, &id);
    *db_error = !r;
    return r && pg_nrows(r) == 1;
}

static void list_permissions(request_t *req) {
    const char *id = req_path_param(req, "role_id");
    bool dberr;
    if (!role_exists(req, id, &dberr)) {
        error_fab(req, dberr ? 500 : 404, dberr ? "Fatal error" : "Not found");
        return;
    }
    pg_error_t err;
    pg_result_t *r = pg_query_prepared(app_pg(req->app), req->arena, &err, "role_permissions",
                                       "SELECT pv.id, p.name, v.name FROM ab_permission_view_role pvr"
                                       " JOIN ab_permission_view pv ON pv.id = pvr.permission_view_id"
                                       " JOIN ab_permission p ON p.id = pv.permission_id"
                                       " JOIN ab_view_menu v ON v.id = pv.view_menu_id"
                                       " WHERE pvr.role_id = $1::int ORDER BY pvr.id",
                                       1, &id);
    if (!r) {
        error_fab(req, 500, "Fatal error");
        return;
    }
    json_t *list = json_array();
    for (int i = 0; i < pg_nrows(r); i++)
        json_array_append_new(list, json_pack("{s:I,s:s,s:s}", "id", (json_int_t)pg_get_int(r, i, 0, 0),
                                              "permission_name", pg_get(r, i, 1), "view_menu_name", pg_get(r, i, 2)));
    resp_json(req, 200, json_pack("{s:o}", "result", list), JSON_FLASK);
}

/* Parses {key: [int, ...]} with marshmallow's messages; NULL after answering. */
static json_t *id_list_body(request_t *req, const char *key) {
    json_t *body = json_loadb(req->body.data, req->body.len, 0, NULL);
    if (!body) {
        error_fab(req, 400, "Request is not JSON");
        return NULL;
    }
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, body);
    json_t *errors = json_object();
    json_t *ids = json_is_object(body) ? json_object_get(body, key) : NULL;
    if (!json_is_object(body)) json_object_set_new(errors, "_schema", json_pack("[s]", "Invalid input type."));
    else if (!ids) json_object_set_new(errors, key, json_pack("[s]", "Missing data for required field."));
    else if (!json_is_array(ids)) json_object_set_new(errors, key, json_pack("[s]", "Not a valid list."));
    size_t i;
    json_t *x;
    json_array_foreach(json_is_array(ids) ? ids : NULL, i, x) {
        if (!json_is_integer(x)) {
            json_object_set_new(errors, key, json_pack("{s:[s]}", "0", "Not a valid integer."));
            break;
        }
    }
    const char *k;
    json_t *v;
    json_object_foreach(json_is_object(body) ? body : NULL, k, v)
        if (strcmp(k, key)) json_object_set_new(errors, k, json_pack("[s]", "Unknown field."));
    if (json_object_size(errors)) {
        resp_json(req, 400, json_pack("{s:o}", "message", errors), JSON_FLASK);
        return NULL;
    }
    json_decref(errors);
    return ids;
}

typedef struct link_spec {
    const char *key;        /* body key */
    const char *table;      /* link table */
    const char *other_col;  /* link column of the other side */
    const char *seq;        /* link id sequence */
    const char *target;     /* table the ids must exist in */
    bool ignore_missing;    /* FAB silently drops unknown permission ids */
} link_spec_t;

static void replace_links(request_t *req, const link_spec_t *spec) {
    const char *role = req_path_param(req, "role_id");
    json_t *ids = id_list_body(req, spec->key);
    if (!ids) return;
    bool dberr;
    if (!role_exists(req, role, &dberr)) {
        error_fab(req, dberr ? 500 : 404, dberr ? "Fatal error" : "Not found");
        return;
    }
    char *list = json_dumps(ids, JSON_COMPACT);
    const char *p[] = {role, list};
    pg_error_t err;
    pg_conn_t *c = pg_acquire(app_pg(req->app), req->arena, &err);
    bool ok = c && pg_begin(c, req->arena, &err);
    if (ok && !spec->ignore_missing) { /* every id must exist, else 404 */
        pg_result_t *r = pg_conn_query(c, req->arena, &err,
                                       arena_sprintf(req->arena,
                                                     "SELECT count(DISTINCT x) = (SELECT count(*) FROM %s t WHERE t.id IN"
                                                     " (SELECT x::int FROM jsonb_array_elements_text($1::jsonb) e(x)))"
                                                     " FROM jsonb_array_elements_text($1::jsonb) e(x)",
                                                     spec->target),
                                       1, &p[1]);
        if (r && !pg_get_bool(r, 0, 0, false)) {
            pg_release(c);
            free(list);
            error_fab(req, 404, "Not found");
            return;
        }
        ok = r != NULL;
    }
    ok = ok && pg_conn_query(c, req->arena, &err,
                             arena_sprintf(req->arena, "DELETE FROM %s WHERE role_id = $1::int", spec->table), 1, p);
    ok = ok && pg_conn_query(c, req->arena, &err,
                             arena_sprintf(req->arena,
                                           "INSERT INTO %s (id, role_id, %s) SELECT nextval('%s'), $1::int, t.id FROM %s t"
                                           " WHERE t.id IN (SELECT DISTINCT x::int FROM jsonb_array_elements_text($2::jsonb) e(x))",
                                           spec->table, spec->other_col, spec->seq, spec->target),
                             2, p);
    ok = ok && pg_commit(c, req->arena, &err);
    if (c) pg_release(c);
    free(list);
    if (!ok) {
        if (err.status == PG_ERR_QUERY) error_fab(req, 422, err.message);
        else error_fab(req, 500, "Fatal error");
        return;
    }
    security_invalidate(app_security(req->app));
    resp_json(req, 200, json_pack("{s:{s:O}}", "result", spec->key, ids), JSON_FLASK);
}

/* Superset's RoleRestAPI.get_list (GET /api/v1/security/roles/search/):
 * roles with their user, permission and group ids; filters on user_ids,
 * permission_ids, group_ids (one id each) and name (contains). */
static const struct {
    const char *col;
    const char *cond; /* %s = placeholder */
} role_search_filters[] = {
    {"user_ids", "EXISTS (SELECT 1 FROM ab_user_role x WHERE x.role_id = r.id AND x.user_id = %s::int)"},
    {"permission_ids", "EXISTS (SELECT 1 FROM ab_permission_view_role x WHERE x.role_id = r.id AND x.permission_view_id = %s::int)"},
    {"group_ids", "EXISTS (SELECT 1 FROM ab_group_role x WHERE x.role_id = r.id AND x.group_id = %s::int)"},
    {"name", "r.name ILIKE '%%' || %s || '%%'"},
};

static void role_search(request_t *req) {
    const char *qs = req_query_arg(req, "q");
    json_t *q = NULL;
    if (qs && *qs) {
        rison_error_t rerr;
        q = rison_parse(qs, strlen(qs), &rerr);
        if (!q) {
            error_fab(req, rerr.fatal ? 500 : 400, rerr.fatal ? "Fatal error" : "Not a valid rison/json argument");
            return;
        }
    } else {
        q = json_object();
    }
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, q);
    const char *order = json_string_value(json_object_get(q, "order_column"));
    const char *dir = json_string_value(json_object_get(q, "order_direction"));
    if (!order) order = "id";
    if (strcmp(order, "id") && strcmp(order, "name")) {
        error_fab(req, 400, arena_sprintf(req->arena, "Invalid order column: %s", order));
        return;
    }
    json_t *jp = json_object_get(q, "page"), *jps = json_object_get(q, "page_size");
    if ((jp && !json_is_integer(jp)) || (jps && !json_is_integer(jps))) {
        error_fab(req, 400, "Not a valid rison schema");
        return;
    }
    long long page = jp ? json_integer_value(jp) : 0, page_size = jps ? json_integer_value(jps) : 10;
    if (page < 0 || page_size < 0) {
        error_fab(req, 500, "OFFSET and LIMIT must not be negative");
        return;
    }
    strbuf_t where;
    strbuf_init_arena(&where, req->arena, 256);
    const char *params[8];
    int np = 0;
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(q, "filters"), i, f) {
        const char *col = json_string_value(json_object_get(f, "col"));
        json_t *v = json_object_get(f, "value");
        for (size_t k = 0; col && np < 4 && k < sizeof role_search_filters / sizeof role_search_filters[0]; k++) {
            if (strcmp(col, role_search_filters[k].col)) continue;
            const char *text = json_is_string(v) ? json_string_value(v)
                             : json_is_integer(v) ? arena_sprintf(req->arena, "%lld", (long long)json_integer_value(v))
                                                  : NULL;
            if (!text) {
                error_fab(req, 500, "Invalid filter value");
                return;
            }
            params[np++] = text;
            strbuf_puts(&where, where.len ? " AND " : " WHERE ");
            strbuf_printf(&where, role_search_filters[k].cond, arena_sprintf(req->arena, "$%d", np));
        }
    }
    const char *direction = dir && !strcmp(dir, "desc") ? "DESC" : "ASC";
    char *sql = arena_sprintf(req->arena,
                              "SELECT r.id, json_build_object('id', r.id, 'name', r.name,"
                              " 'user_ids', (SELECT coalesce(json_agg(x.user_id ORDER BY x.id), '[]') FROM ab_user_role x WHERE x.role_id = r.id),"
                              " 'permission_ids', (SELECT coalesce(json_agg(x.permission_view_id ORDER BY x.id), '[]') FROM ab_permission_view_role x WHERE x.role_id = r.id),"
                              " 'group_ids', (SELECT coalesce(json_agg(x.group_id ORDER BY x.id), '[]') FROM ab_group_role x WHERE x.role_id = r.id))::text,"
                              " count(*) OVER ()"
                              " FROM ab_role r%s ORDER BY r.%s %s LIMIT %lld OFFSET %lld",
                              where.data, order, direction, page_size, page * page_size);
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err, sql, np, params);
    if (!r) {
        error_fab(req, 500, err.message ? err.message : "Fatal error");
        return;
    }
    json_t *ids = json_array(), *result = json_array();
    int64_t count = 0;
    for (int row = 0; row < pg_nrows(r); row++) {
        json_array_append_new(ids, json_integer(pg_get_int(r, row, 0, 0)));
        json_t *obj = json_loads(pg_get(r, row, 1), 0, NULL);
        json_array_append_new(result, obj ? obj : json_object());
        count = pg_get_int(r, row, 2, 0);
    }
    if (pg_nrows(r) == 0 && page > 0) { /* count(*) OVER () has no row past the end: count separately */
        char *csql = arena_sprintf(req->arena, "SELECT count(*) FROM ab_role r%s", where.data);
        pg_result_t *c = pg_query(app_pg(req->app), req->arena, &err, csql, np, params);
        count = c ? pg_get_int(c, 0, 0, 0) : 0;
    }
    resp_json(req, 200, json_pack("{s:I,s:o,s:o}", "count", (json_int_t)count, "ids", ids, "result", result),
              JSON_FLASK);
}

static const link_spec_t PERMS = {"permission_view_menu_ids", "ab_permission_view_role", "permission_view_id",
                                  "ab_permission_view_role_id_seq", "ab_permission_view", true};
static const link_spec_t USERS = {"user_ids", "ab_user_role", "user_id", "ab_user_role_id_seq", "ab_user", false};
static const link_spec_t GROUPS = {"group_ids", "ab_group_role", "group_id", "ab_group_role_id_seq", "ab_group", false};

static void add_permissions(request_t *req) { replace_links(req, &PERMS); }
static void update_users(request_t *req) { replace_links(req, &USERS); }
static void update_groups(request_t *req) { replace_links(req, &GROUPS); }

static const route_def_t routes[] = {
    {"GET", "/api/v1/security/roles/search/", role_search, GUARD("can_list_roles", "RoleRestAPI"), 0, NULL},
    {"GET", "/api/v1/security/roles/<int:role_id>/permissions/", list_permissions,
     GUARD("can_list_role_permissions", "Role"), ROUTE_CSRF_EXEMPT, NULL},
    {"POST", "/api/v1/security/roles/<int:role_id>/permissions", add_permissions,
     GUARD("can_add_role_permissions", "Role"), ROUTE_CSRF_EXEMPT, NULL},
    {"PUT", "/api/v1/security/roles/<int:role_id>/users", update_users, GUARD("can_update_role_users", "Role"),
     ROUTE_CSRF_EXEMPT, NULL},
    {"PUT", "/api/v1/security/roles/<int:role_id>/groups", update_groups, GUARD("can_update_role_groups", "Role"),
     ROUTE_CSRF_EXEMPT, NULL},
};

const route_table_t security_role_routes = {routes, sizeof routes / sizeof routes[0], NULL};
