/* URL router with Werkzeug's rule semantics: converters <int:x>, <x> /
 * <string:x> (one segment), <path:x> (one or more segments); static segments
 * beat converters; a rule ending in '/' requested without it redirects (308);
 * a path that matches with another method gives 405 with the allowed set.
 *
 * Every route declares a guard (the permission it needs); router_add refuses
 * a route without one, so an unguarded route can never be served.
 * Ownership: the router copies nothing; route definitions are static tables. */
#ifndef LITESET_FCGI_ROUTER_H
#define LITESET_FCGI_ROUTER_H

#include <stdbool.h>

#include "fcgi/request.h"

typedef void (*route_handler_fn)(request_t *req);

/* permission "can_read" on view_menu "Chart"; or the PUBLIC marker. */
typedef struct route_guard {
    const char *permission;
    const char *view_menu;
} route_guard_t;

#define GUARD_PUBLIC_NAME "public"
#define GUARD_PUBLIC {GUARD_PUBLIC_NAME, NULL}
#define GUARD(perm, view) {perm, view}

enum {
    ROUTE_CSRF_EXEMPT = 1 << 0, /* FAB blueprints with csrf_exempt (security API, menu, openapi) */
    ROUTE_LOG_POSITIONAL = 1 << 1, /* the logged view gets the path parameters positionally: not in the payload */
};

typedef struct route_def {
    const char *methods; /* comma-separated: "GET", "GET,POST" */
    const char *pattern; /* "/api/v1/chart/<int:pk>" */
    route_handler_fn handler;
    route_guard_t guard; /* checked with FAB protect() semantics before the handler */
    unsigned flags;
    const char *endpoint; /* Superset view function ("superset.views.core.log") for WTF_CSRF_EXEMPT_LIST */
    /* "ChartRestApi.get_list": a logs row is written after the view, as
     * event_logger.log_this_with_context does (fcgi/event_logger.h); NULL: none. */
    const char *log_action;
    const char *log_ref; /* the row's object_ref (the view's qualified name); NULL: log_action */
} route_def_t;

enum {
    M_GET = 1 << 0, M_HEAD = 1 << 1, M_POST = 1 << 2, M_PUT = 1 << 3,
    M_DELETE = 1 << 4, M_PATCH = 1 << 5, M_OPTIONS = 1 << 6,
};

typedef enum {
    ROUTE_FOUND,
    ROUTE_NOT_FOUND,
    ROUTE_METHOD_NOT_ALLOWED, /* *allowed holds the methods the path accepts */
    ROUTE_REDIRECT_SLASH,     /* the same path with a trailing slash matches */
} route_result_t;

typedef struct router router_t;

router_t *router_new(void);
void router_free(router_t *r);
/* Validates and adds a route; false with a message in err (static or
 * heap-owned by the router) on a bad pattern, method or missing guard. */
bool router_add(router_t *r, const route_def_t *def, const char **err);
bool router_add_table(router_t *r, const route_def_t *defs, size_t n, const char **err);
size_t router_count(const router_t *r);
const route_def_t *router_get(const router_t *r, size_t i);

/* Matches method+path. On ROUTE_FOUND sets *out and fills req's path params. */
route_result_t router_match(const router_t *r, request_t *req, const route_def_t **out, unsigned *allowed);

unsigned method_bit(const char *method); /* 0 for unknown methods */
/* "GET, HEAD, OPTIONS" style list of the bits, sorted by name. */
char *methods_format(arena_t *a, unsigned bits);

#endif
