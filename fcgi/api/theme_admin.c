/* ThemeRestApi's system theme switches: PUT /api/v1/theme/<pk>/set_system_
 * default|dark and DELETE /api/v1/theme/unset_system_default|dark. Admins
 * only (403 "Only administrators can set system themes"), and only while
 * ENABLE_UI_THEME_ADMINISTRATION is on. At most one theme carries each flag;
 * every row whose flag changes gets the audit columns touched (onupdate). */
#include <stdlib.h>
#include <string.h>

#include "domain/security.h"
#include "fcgi/api/api.h"
#include "fcgi/app.h"
#include "fcgi/errors.h"
#include "fcgi/event_logger.h"
#include "fcgi/spa/conf.h"
#include "persistence/pg.h"

static bool allowed(request_t *req) {
    if (!security_is_admin(req->cfg, req->user)) {
        error_fab(req, 403, "Only administrators can set system themes");
        return false;
    }
    if (!spa_conf_truthy(req->cfg, "ENABLE_UI_THEME_ADMINISTRATION")) {
        error_fab(req, 403, "UI theme administration is not enabled");
        return false;
    }
    return true;
}

/* Clears the flag everywhere, then (set) sets it on pk. flag is a column
 * name from this file's static strings. Answers. */
static void switch_flag(request_t *req, const char *flag, long long pk, bool set) {
    const char *uid = arena_sprintf(req->arena, "%lld", (long long)(req->user ? req->user->id : 0));
    const char *id = arena_sprintf(req->arena, "%lld", pk);
    pg_error_t err;
    if (set) {
        const char *p[] = {id};
        pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err, "SELECT 1 FROM themes WHERE id = $1::int", 1, p);
        if (!r) return event_log_skip(req), error_fab(req, 500, "Fatal error"); /* @safe */
        if (!pg_nrows(r)) return error_fab(req, 404, "Not found");
    }
    const char *p[] = {uid, id};
    pg_conn_t *c = pg_acquire(app_pg(req->app), req->arena, &err);
    bool ok = c && pg_begin(c, req->arena, &err);
    ok = ok && pg_conn_query(c, req->arena, &err,
                             arena_sprintf(req->arena,
                                           "UPDATE themes SET %s = false, changed_on = localtimestamp,"
                                           " changed_by_fk = nullif($1::int, 0) WHERE %s",
                                           flag, flag),
                             1, p);
    if (set)
        ok = ok && pg_conn_query(c, req->arena, &err,
                                 arena_sprintf(req->arena,
                                               "UPDATE themes SET %s = true, changed_on = localtimestamp,"
                                               " changed_by_fk = nullif($1::int, 0) WHERE id = $2::int",
                                               flag),
                                 2, p);
    ok = ok && pg_commit(c, req->arena, &err);
    if (c) pg_release(c);
    if (!ok && err.status != PG_ERR_QUERY) event_log_skip(req); /* raised: caught by @safe */
    if (!ok) return error_fab(req, err.status == PG_ERR_QUERY ? 422 : 500,
                              err.status == PG_ERR_QUERY ? err.message : "Fatal error");
    if (set) resp_json(req, 200, json_pack("{s:I,s:s}", "id", (json_int_t)pk, "result", "success"), JSON_FLASK);
    else resp_json(req, 200, json_pack("{s:s}", "result", "success"), JSON_FLASK);
}

static long long path_pk(request_t *req) {
    const char *s = req_path_param(req, "pk");
    char *end;
    long long v = s && *s ? strtoll(s, &end, 10) : -1;
    return v >= 0 && !*end ? v : -1;
}

static void set_flag(request_t *req, const char *flag) {
    long long pk = path_pk(req);
    if (pk < 0) return error_fab(req, 404, "Not found");
    if (allowed(req)) switch_flag(req, flag, pk, true);
}

static void set_default(request_t *req) { set_flag(req, "is_system_default"); }
static void set_dark(request_t *req) { set_flag(req, "is_system_dark"); }
static void unset_default(request_t *req) {
    if (allowed(req)) switch_flag(req, "is_system_default", 0, false);
}
static void unset_dark(request_t *req) {
    if (allowed(req)) switch_flag(req, "is_system_dark", 0, false);
}

static const route_def_t routes[] = {
    {"PUT", "/api/v1/theme/<int:pk>/set_system_default", set_default, GUARD("can_write", "Theme"), 0, NULL,
     "ThemeRestApi.set_system_default"},
    {"PUT", "/api/v1/theme/<int:pk>/set_system_dark", set_dark, GUARD("can_write", "Theme"), 0, NULL,
     "ThemeRestApi.set_system_dark"},
    {"DELETE", "/api/v1/theme/unset_system_default", unset_default, GUARD("can_write", "Theme"), 0, NULL,
     "ThemeRestApi.unset_system_default"},
    {"DELETE", "/api/v1/theme/unset_system_dark", unset_dark, GUARD("can_write", "Theme"), 0, NULL,
     "ThemeRestApi.unset_system_dark"},
};
const route_table_t theme_admin_routes = {routes, sizeof routes / sizeof routes[0], NULL};
