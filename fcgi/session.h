/* The Flask session of a request: loaded lazily from the `session` cookie,
 * written back as a Set-Cookie only when modified (Flask's rules), with the
 * cookie attributes Superset uses. Reading marks the session "accessed",
 * which adds Cookie to Vary. */
#ifndef LITESET_FCGI_SESSION_H
#define LITESET_FCGI_SESSION_H

#include <jansson.h>

#include "fcgi/request.h"

/* The session dict (never NULL; empty for a missing or invalid cookie). */
json_t *session_dict(request_t *req);
/* Value of a key (marks accessed), NULL when absent. */
json_t *session_get(request_t *req, const char *key);
const char *session_get_str(request_t *req, const char *key);
/* Membership test without marking accessed (Python's `in`). */
bool session_has(request_t *req, const char *key);
void session_set(request_t *req, const char *key, json_t *value); /* steals value */
void session_del(request_t *req, const char *key);

/* Appends Set-Cookie when the session was modified. Runs last. */
void session_save(request_t *req);

/* The value of request cookie `name` (arena), NULL when absent. */
const char *req_cookie(request_t *req, const char *name);

#endif
