/* Superset's event_logger.log_this / log_this_with_extra_payload for a
 * request: the payload is the request's path, form fields and query
 * arguments (a JSON body merged in), the URL rule when it differs from the
 * path, the object reference and the view's keyword arguments; with an
 * `explode` argument the named field holds a JSON list of records, one row
 * each. Rows go to the `logs` table (domain/event_log). */
#ifndef LITESET_FCGI_EVENT_LOGGER_H
#define LITESET_FCGI_EVENT_LOGGER_H

#include <jansson.h>

#include "fcgi/request.h"

typedef struct event_log_call {
    const char *action;      /* the view function's name, e.g. "welcome" */
    const char *object_ref;  /* its qualified name, e.g. "Superset.welcome"; NULL: none */
    const char *url_rule;    /* the route pattern, e.g. "/superset/slice/<int:slice_id>/" */
    json_t *overrides;       /* view kwargs and extra payload, merged last (borrowed; may be NULL) */
    double started_at;       /* ev_time() when the view started */
    double ended_at;         /* ev_time() when the view ended; 0: now */
} event_log_call_t;

/* Writes the rows; failures are logged, never reported to the client. */
void event_log_request(request_t *req, const event_log_call_t *call);

/* The row of the route whose log_action is set (router.h): called by the
 * dispatcher after the response went out, unless the view set log_skip. The
 * payload's kwargs are the path parameters (ints for <int:> converters;
 * none with ROUTE_LOG_POSITIONAL) followed by req->log_kwargs. */
void event_log_route(request_t *req);
/* The view was rejected by a decorator outside the logger (rison/schema
 * errors, exceptions caught by @safe): no row. */
void event_log_skip(request_t *req);
/* Records a view keyword argument for the row ("rison"); v is borrowed. */
void event_log_kwarg(request_t *req, const char *name, json_t *v);

#endif
