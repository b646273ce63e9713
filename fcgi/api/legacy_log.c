/* POST /superset/log/ (Superset.log): the frontend's event logger sends
 * batches of events here, with navigator.sendBeacon (multipart form) or a
 * form POST: `?explode=events` and a form field `events` holding a JSON list;
 * each event becomes one row of the `logs` table with action "log".
 * @has_access can_log on Superset (failure: flash + redirect to login);
 * CSRF-exempt through WTF_CSRF_EXEMPT_LIST (endpoint superset.views.core.log).
 * The answer is an empty 200. */
#include <ev.h>

#include "fcgi/api/api.h"
#include "fcgi/event_logger.h"
#include "fcgi/has_access.h"

static void post_log(request_t *req) {
    double started = ev_time();
    if (!has_access(req, "can_log", "Superset")) return;
    event_log_call_t call = {"log", "Superset.log", "/superset/log/", NULL, started};
    event_log_request(req, &call);
    resp_body(req, 200, "text/html; charset=utf-8", "", 0);
}

static const route_def_t routes[] = {
    {"POST", "/superset/log/", post_log, GUARD_PUBLIC, 0, "superset.views.core.log"},
};

const route_table_t legacy_log_routes = {routes, sizeof routes / sizeof routes[0], NULL};
