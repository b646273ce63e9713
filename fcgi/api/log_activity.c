/* GET /api/v1/log/recent_activity/ (welcome page): the caller's latest
 * dashboard and chart views from the action log, as Superset's
 * LogDAO.get_recent_activity reads them: "log" rows whose json names one of
 * the requested event names, joined to the dashboard or chart for a title,
 * newest first; distinct (the default) keeps one row per dashboard/chart
 * pair within the last year. Not gated by SUPERSET_LOG_VIEW. */
#include <string.h>

#include "fcgi/api/api.h"
#include "fcgi/api/rison_list.h"
#include "fcgi/app.h"
#include "fcgi/errors.h"
#include "lib/humanize.h"
#include "lib/json.h"

#define ACTION_MATCH                                                                                   \
    " AND l.action = 'log' AND l.user_id = $1::int AND (jsonb_array_length($4::jsonb) = 0 OR EXISTS"  \
    " (SELECT 1 FROM jsonb_array_elements_text($4::jsonb) a(v)"                                       \
    "  WHERE l.json LIKE '%' || '\"event_name\": \"' || a.v || '\"' || '%'))"
#define SUBJECT " LEFT JOIN dashboards d ON d.id = x.dashboard_id LEFT JOIN slices s ON s.id = x.slice_id" \
                " WHERE (d.dashboard_title != '' OR s.slice_name != '')"
#define COLUMNS "SELECT x.action, x.dashboard_id, x.slice_id, d.slug, d.dashboard_title, s.slice_name," \
                " (extract(epoch FROM x.dttm) * 1000000)::bigint,"                                     \
                " extract(epoch FROM ((now() AT TIME ZONE 'UTC') - x.dttm))"

static const char *const distinct_sql =
    COLUMNS " FROM (SELECT l.dashboard_id, l.slice_id, l.action, max(l.dttm) AS dttm FROM logs l WHERE true"
    ACTION_MATCH " AND l.dttm > localtimestamp - interval '365 days'"
    " AND (l.dashboard_id IS NOT NULL OR l.slice_id IS NOT NULL) GROUP BY l.dashboard_id, l.slice_id, l.action) x"
    SUBJECT " ORDER BY x.dttm DESC LIMIT $2::bigint OFFSET $3::bigint";
static const char *const all_sql =
    COLUMNS " FROM (SELECT l.* FROM logs l WHERE true" ACTION_MATCH ") x"
    SUBJECT " ORDER BY x.dttm DESC LIMIT $2::bigint OFFSET $3::bigint";

/* One payload item from a result row. */
static json_t *activity_item(request_t *req, pg_result_t *r, int i) {
    json_t *o = json_object();
    json_object_set_new(o, "action", pg_isnull(r, i, 0) ? json_null() : json_string(pg_get(r, i, 0)));
    const char *dash = pg_get(r, i, 1), *slice = pg_get(r, i, 2);
    if (dash && strcmp(dash, "0")) {
        const char *slug = pg_get(r, i, 3);
        json_object_set_new(o, "item_type", json_string("dashboard"));
        json_object_set_new(o, "item_url", json_string(arena_sprintf(req->arena, "/superset/dashboard/%s/",
                                                                      slug && *slug ? slug : dash)));
        json_object_set_new(o, "item_title", pg_isnull(r, i, 4) ? json_null() : json_string(pg_get(r, i, 4)));
    } else if (slice && strcmp(slice, "0")) {
        json_object_set_new(o, "item_type", json_string("slice"));
        json_object_set_new(o, "item_url", json_string(arena_sprintf(req->arena, /* form_data: quote(json.dumps({"slice_id": id})) */
                                                                      "/explore/?slice_id=%s&form_data=%%7B%%22slice_id%%22%%3A%%20%s%%7D",
                                                                      slice, slice)));
        const char *name = pg_get(r, i, 5);
        json_object_set_new(o, "item_title", json_string(name && *name ? name : "<empty>"));
    } else {
        json_object_set_new(o, "item_type", json_null());
        json_object_set_new(o, "item_url", json_null());
        json_object_set_new(o, "item_title", json_null());
    }
    /* datetime_to_epoch: timedelta.total_seconds() * 1000 on the exact microseconds */
    json_object_set_new(o, "time", json_real((double)pg_get_int(r, i, 6, 0) / 1e6 * 1000.0));
    json_object_set_new(o, "time_delta_humanized",
                        json_string(humanize_naturaltime(req->arena, pg_get_double(r, i, 7, 0))));
    return o;
}

static void recent_activity(request_t *req) {
    json_t *q = rison_object_arg(req);
    if (!q || !rison_check_type(req, q, "page", JSON_REAL) || !rison_check_type(req, q, "page_size", JSON_REAL) ||
        !rison_check_type(req, q, "actions", JSON_ARRAY) || !rison_check_type(req, q, "distinct", JSON_TRUE))
        return;
    json_t *actions = json_object_get(q, "actions");
    size_t i;
    json_t *a;
    json_array_foreach(actions, i, a) if (!json_is_string(a))
        return error_fab(req, 400, arena_sprintf(req->arena, "Not a valid rison schema %s is not of type 'string'",
                                                 py_repr(req, a)));
    /* _handle_page_args / _sanitize_page_args with page_size 20 and FAB_API_MAX_PAGE_SIZE */
    json_t *pv = json_object_get(q, "page"), *sv = json_object_get(q, "page_size");
    long long page = pv ? (long long)json_number_value(pv) : 0;
    long long size = sv ? (long long)json_number_value(sv) : 20;
    if (!size) size = 20;
    long long max = config_int(req->cfg, "FAB_API_MAX_PAGE_SIZE", 100);
    if (max != -1 && (size > max || size < 1)) size = max;
    bool distinct = !json_is_false(json_object_get(q, "distinct"));
    const char *p[] = {
        arena_sprintf(req->arena, "%lld", (long long)(req->user ? req->user->id : 0)),
        size == -1 ? NULL : arena_sprintf(req->arena, "%lld", size),
        size == -1 ? "0" : arena_sprintf(req->arena, "%lld", page * size),
        actions ? json_dump_arena(req->arena, actions, JSON_COMPACT, NULL) : "[\"mount_explorer\",\"mount_dashboard\"]",
    };
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err, distinct ? distinct_sql : all_sql, 4, p);
    if (!r) return error_fab(req, 500, "Fatal error");
    json_t *result = json_array();
    for (int row = 0; row < pg_nrows(r); row++) json_array_append_new(result, activity_item(req, r, row));
    resp_json(req, 200, json_pack("{s:o}", "result", result), JSON_FLASK);
}

static const route_def_t routes[] = {
    {"GET", "/api/v1/log/recent_activity/", recent_activity, GUARD("can_recent_activity", "Log"), 0, NULL},
};
const route_table_t log_routes = {routes, sizeof routes / sizeof routes[0], NULL};
