/* Authentication and authorization of a request, in the order the reference
 * applies them: CSRF (Flask-WTF, before anything else), then the route's
 * guard with Flask-AppBuilder's protect() semantics: public role, session
 * (or embedded guest) user, and only then a bearer JWT.
 *
 * Current-user resolution follows Flask-Login: session protection "basic"
 * (marks _fresh false when the client fingerprint changed), the session's
 * _user_id, a remember_token cookie, then (EMBEDDED_SUPERSET) a guest token;
 * AUTH_REMOTE_USER takes the web server's REMOTE_USER param. */
#ifndef LITESET_FCGI_AUTH_H
#define LITESET_FCGI_AUTH_H

#include <stdbool.h>

#include "domain/user.h"
#include "fcgi/request.h"
#include "fcgi/router.h"

/* The logged-in user (session, remember cookie, guest token), or NULL. */
sec_user_t *auth_current_user(request_t *req);

/* Flask-WTF check for unsafe methods. Returns false after writing the
 * reference's error response (SIP-40 400 for JSON bodies, else 302 to login). */
bool auth_check_csrf(request_t *req, const route_def_t *route);

/* protect(): returns false after writing 401/403/422 as the reference does. */
bool auth_check_guard(request_t *req, const route_def_t *route);

/* Validates the Authorization header's bearer token (access or, when
 * want_refresh, refresh). On success returns the user; else writes the
 * flask-jwt-extended error and returns NULL. */
sec_user_t *auth_bearer_user(request_t *req, bool want_refresh, int64_t *sub_out);

/* Flask-Login login_user / logout_user on the session. */
void auth_login_user(request_t *req, const sec_user_t *u);
void auth_logout_user(request_t *req);

/* Signed CSRF token for this request, creating the raw token in the session
 * when needed (Flask-WTF generate_csrf). */
const char *auth_csrf_token(request_t *req);

/* "/login/?next=<quoted>" as Superset's redirect_to_login builds it. */
char *auth_login_url(request_t *req, const char *next);

#endif
