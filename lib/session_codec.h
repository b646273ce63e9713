/* Flask session cookie codec and Flask-Login helpers.
 *
 * A session is a jansson object kept in Flask's *tagged* form: tuples stay
 * as {" t": [...]} objects, exactly as they appear on the wire, so encoding
 * (sorted keys, compact, ASCII-escaped) reproduces Flask's bytes and values
 * we do not interpret pass through untouched. */
#ifndef LITESET_SESSION_CODEC_H
#define LITESET_SESSION_CODEC_H

#include <jansson.h>
#include <stdint.h>

#include "lib/arena.h"
#include "lib/signer.h"

/* Decodes a `session` cookie value. NULL when invalid, expired (max_age
 * seconds), from the future or not a JSON object: the caller then starts an
 * empty session, as Flask does. The object is owned by the caller. */
json_t *session_cookie_decode(arena_t *a, const char *secret, const char *cookie, int64_t now, int64_t max_age);
/* Encodes session as the cookie value (arena). */
char *session_cookie_encode(arena_t *a, const char *secret, const json_t *session, int64_t now);

/* Flask-Login `_id`: hex SHA-512 of "<repr(addr)>|<repr(ua)>" where addr is the
 * first X-Forwarded-For element if the header is present, else remote_addr;
 * NULL inputs render as None. 128 hex chars on the arena. */
char *login_identifier(arena_t *a, const char *remote_addr, const char *x_forwarded_for, const char *user_agent);
/* The hashed text itself, e.g. "b'127.0.0.1'|b'curl/7.88.1'" (arena): header
 * bytes >= 0x80 are read as Latin-1 and re-encoded as UTF-8 before Python's
 * bytes repr, as WSGI and Flask-Login do. */
char *login_identifier_preimage(arena_t *a, const char *remote_addr, const char *x_forwarded_for,
                                const char *user_agent);

/* Flask-Login remember cookie "<id>|<hex HMAC-SHA512(secret, id)>": returns
 * the user id string when valid (arena), else NULL. The key is SECRET_KEY
 * encoded as Latin-1 (NULL when it holds a character above U+00FF, where
 * Flask-Login raises); the id is split off at the last '|'. */
char *remember_cookie_verify(arena_t *a, const char *secret, const char *value);
char *remember_cookie_encode(arena_t *a, const char *secret, const char *user_id);

/* Flask-WTF CSRF: signed token for a raw token (40 hex), and validation with
 * Flask-WTF's exact failure reasons ("The CSRF token is missing." ...).
 * Returns NULL when valid, else the reason (static string). A NULL or empty
 * session_raw_token counts as "session token missing"; time_limit < 0 means
 * no limit (WTF_CSRF_TIME_LIMIT = None); a signed payload that is not a JSON
 * string is "invalid" (Flask-WTF would raise a TypeError). */
char *csrf_sign(arena_t *a, const char *secret, const char *raw_token, int64_t now);
const char *csrf_validate(arena_t *a, const char *secret, const char *signed_token, const char *session_raw_token,
                          int64_t now, int64_t time_limit);
/* New raw token: hex SHA-1 of 64 random bytes (arena). */
char *csrf_new_raw_token(arena_t *a);

#endif
