/* GET /tagview/tags/ (Superset's TagView.tags): every tag with its type name
 * and audit ids, changed_on in epoch milliseconds. The view exists only
 * while TAGGING_SYSTEM is on (404 otherwise, before any permission check);
 * @has_access_api can_tags on TagView. */
#include "fcgi/api/api.h"
#include "fcgi/app.h"
#include "fcgi/errors.h"
#include "fcgi/has_access.h"
#include "lib/json.h"
#include "lib/log.h"
#include "persistence/pg_json.h"

static void get_tags(request_t *req) {
    if (!config_feature(req->cfg, "TAGGING_SYSTEM")) {
        error_http(req, 404);
        return;
    }
    if (!has_access_api(req, "can_tags", "TagView")) return;
    pg_error_t err;
    /* json_int_dttm_ser: (changed_on - epoch).total_seconds() * 1000, a float */
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              "SELECT id, type, name, extract(epoch FROM changed_on)::float8 * 1000,"
                              " changed_by_fk, created_by_fk FROM tag ORDER BY id",
                              0, NULL);
    if (!r) {
        log_error("tagview tags: %s", err.message ? err.message : "database error");
        resp_json(req, 500, json_pack("{s:s}", "error", "database error"), JSON_PY_DEFAULT);
        return;
    }
    json_t *list = json_array();
    for (int i = 0; i < pg_nrows(r); i++) {
        json_array_append_new(
            list, json_pack("{s:o,s:o,s:o,s:o,s:o,s:o}", "id", pg_json_int(r, i, 0), "type",
                            pg_json_text(r, i, 1), "name", pg_json_text(r, i, 2), "changed_on", pg_json_real(r, i, 3),
                            "changed_by", pg_json_int(r, i, 4), "created_by", pg_json_int(r, i, 5)));
    }
    const char *text = json_dump_arena(req->arena, list, JSON_PY_DEFAULT, NULL);
    json_decref(list);
    resp_body(req, 200, "application/json", text, strlen(text));
}

static const route_def_t routes[] = {
    {"GET", "/tagview/tags/", get_tags, GUARD_PUBLIC, 0, NULL},
};

const route_table_t tagview_routes = {routes, sizeof routes / sizeof routes[0], NULL};
