/* Event log rows; see event_log.h. The rows travel as one JSON parameter
 * and are expanded by json_to_recordset, so any number of events costs one
 * round trip and every value stays a bound parameter. */
#include "domain/event_log.h"

#include <jansson.h>

#include "lib/json.h"
#include "lib/log.h"

static json_t *opt_int(bool has, int64_t v) { return has ? json_integer((json_int_t)v) : json_null(); }
static json_t *opt_str(const char *s) {
    json_t *j = s ? json_string(s) : NULL; /* NULL too when s is not UTF-8 */
    return j ? j : json_null();
}

bool event_log_write(pg_pool_t *pg, arena_t *a, const event_log_row_t *rows, size_t n) {
    if (!n) return true;
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        const event_log_row_t *r = &rows[i];
        json_array_append_new(list, json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "action", opt_str(r->action),
                                              "user_id", opt_int(r->has_user, r->user_id), "json", opt_str(r->json),
                                              "dashboard_id", opt_int(r->has_dashboard, r->dashboard_id), "slice_id",
                                              opt_int(r->has_slice, r->slice_id), "duration_ms",
                                              opt_int(r->has_duration, r->duration_ms), "referrer",
                                              opt_str(r->referrer)));
    }
    const char *param = json_dump_arena(a, list, JSON_COMPACT, NULL);
    json_decref(list);
    if (!param) return false;
    pg_error_t err;
    pg_result_t *res = pg_query_prepared(
        pg, a, &err, "event_log_write",
        "INSERT INTO logs (action, user_id, json, dttm, dashboard_id, slice_id, duration_ms, referrer)"
        " SELECT x.action, x.user_id, x.json, timezone('utc', now()), x.dashboard_id, x.slice_id, x.duration_ms,"
        " x.referrer FROM json_to_recordset($1::json) AS x(action text, user_id int, json text, dashboard_id int,"
        " slice_id int, duration_ms int, referrer text)",
        1, &param);
    if (!res) {
        log_error("event log insert failed: %s", err.message ? err.message : "database error");
        return false;
    }
    return true;
}
