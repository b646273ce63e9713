/* Health endpoints: /health, /healthcheck, /ping answer 200 "OK" as
 * Superset's do (text/html), through the full FastCGI path. */
#include "fcgi/api/api.h"

static void health(request_t *req) { resp_body(req, 200, "text/html; charset=utf-8", "OK", 2); }

static const route_def_t routes[] = {
    {"GET", "/health", health, GUARD_PUBLIC, 0, NULL},
    {"GET", "/healthcheck", health, GUARD_PUBLIC, 0, NULL},
    {"GET", "/ping", health, GUARD_PUBLIC, 0, NULL},
};

const route_table_t health_routes = {routes, sizeof routes / sizeof routes[0], NULL};
