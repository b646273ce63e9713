/* The Flask session of a request: loaded lazily, written back by
 * session_save with the cookie attributes Superset uses. Reading marks the
 * session "accessed", which adds Cookie to Vary.
 *
 * Two modes, chosen by SESSION_SERVER_SIDE:
 * - False (default): Flask's signed cookie (lib/session_codec.h), re-issued
 *   only when the session was modified.
 * - True: Flask-Session 0.8.0 with Redis (fcgi/session_store.h). The cookie
 *   holds only the session id (secrets.token_urlsafe(SESSION_ID_LENGTH)).
 *   Loading may run Redis commands, so it happens on the request's fiber. A
 *   new session is permanent when SESSION_PERMANENT (default True); its id
 *   is made, and something stored, only once it holds a key. A non-empty
 *   session is stored again on every request (SESSION_REFRESH_EACH_REQUEST,
 *   default True) with EX PERMANENT_SESSION_LIFETIME, and a permanent one
 *   re-sends its cookie with Expires = now + that lifetime. A session
 *   emptied by the request is deleted from Redis and its cookie deleted
 *   (Domain and Path only). `_permanent` is not in the dict handlers see:
 *   it is kept aside and written as the first key of the stored map, so an
 *   empty dict means what Python's bool(session) means in both modes. */
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

/* Call at the start of the request, on its fiber, before anything reads the
 * session. Server-side mode: opens the session now (Flask-Session does it
 * for every request) and returns false when the store cannot be used
 * (unusable settings, Redis unreachable): answer 500. Cookie mode: nothing
 * to do, true. Without this call the session still opens on first use (at
 * the latest in session_save), but a store failure then only shows as an
 * empty session that is not saved, and an untouched request whose cookie is
 * re-sent lacks Cookie in Vary (decided before session_save runs). */
bool session_open(request_t *req);

/* Writes the session back (Set-Cookie, and the store in server-side mode)
 * following the rules above. Runs last, on the request's fiber. */
void session_save(request_t *req);

/* The value of request cookie `name` (arena), NULL when absent. */
const char *req_cookie(request_t *req, const char *name);

#endif
