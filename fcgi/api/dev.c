/* Development-only routes, registered only when LITESET_DEV_ROUTES = True
 * (off by default; the test stack turns it on):
 *   GET /api/v1/_liteset/sleep?seconds=S   waits S seconds (0..60) inside
 *       PostgreSQL with pg_sleep, answering {"slept": S}. It exists to prove
 *       that one worker keeps serving while many slow queries are in flight.
 *   GET /api/v1/_liteset/pool   metadata pool statistics.
 *   POST /api/v1/_liteset/echo  answers the request body as is (large
 *       bodies and responses through the FastCGI path). */
#include <stdlib.h>

#include "fcgi/api/api.h"
#include "fcgi/app.h"
#include "fcgi/errors.h"

static void sleep_route(request_t *req) {
    const char *arg = req_query_arg(req, "seconds");
    char *end = NULL;
    double secs = arg ? strtod(arg, &end) : 1.0;
    if (arg && (end == arg || *end || secs < 0 || secs > 60)) {
        error_fab(req, 400, "seconds must be a number between 0 and 60");
        return;
    }
    pg_pool_t *pool = app_pg(req->app);
    if (!pool) {
        error_fab(req, 500, "no metadata database configured");
        return;
    }
    const char *params[] = {arena_sprintf(req->arena, "%.3f", secs)};
    pg_error_t err;
    pg_result_t *r = pg_query(pool, req->arena, &err, "SELECT pg_sleep($1::float8)", 1, params);
    if (!r) {
        error_fab(req, err.status == PG_ERR_TIMEOUT ? 504 : 500, err.message ? err.message : "database error");
        return;
    }
    resp_json(req, 200, json_pack("{s:f}", "slept", secs), JSON_COMPACT);
}

static void pool_route(request_t *req) {
    pg_pool_t *pool = app_pg(req->app);
    if (!pool) {
        error_fab(req, 500, "no metadata database configured");
        return;
    }
    pg_pool_stats_t st;
    pg_pool_stats(pool, &st);
    resp_json(req, 200,
              json_pack("{s:i,s:i,s:i,s:i,s:I,s:I,s:I}", "open", st.open, "idle", st.idle, "busy", st.busy,
                        "waiting", st.waiting, "reconnects", (json_int_t)st.reconnects, "retries",
                        (json_int_t)st.retries, "timeouts", (json_int_t)st.timeouts),
              JSON_COMPACT);
}

static void echo_route(request_t *req) {
    const char *ct = req_header(req, "Content-Type");
    resp_body(req, 200, ct && *ct ? ct : "application/octet-stream", req->body.data, req->body.len);
}

static const route_def_t routes[] = {
    {"POST", "/api/v1/_liteset/echo", echo_route, GUARD_PUBLIC, ROUTE_CSRF_EXEMPT, NULL},
    {"GET", "/api/v1/_liteset/sleep", sleep_route, GUARD_PUBLIC, 0, NULL},
    {"GET", "/api/v1/_liteset/pool", pool_route, GUARD_PUBLIC, 0, NULL},
};

const route_table_t dev_routes = {routes, sizeof routes / sizeof routes[0], "LITESET_DEV_ROUTES"};
