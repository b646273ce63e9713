/* Client helpers shared by the Superset resource tests: a logged-in API
 * session (bearer + CSRF token + session cookie), JSON calls, users made
 * through the CLI, and direct SQL for fixtures. */
#ifndef LITESET_TESTS_INTEGRATION_REST_CLIENT_H
#define LITESET_TESTS_INTEGRATION_REST_CLIENT_H

#include <jansson.h>

#include "tests/integration/harness.h"

typedef struct {
    char bearer[2048];
    char cookie[2048];
    char csrf[512];
} rest_session_t;

void rest_open(rest_session_t *s, const char *user, const char *password);
/* A browser's session instead: form login on /login/ (session cookie, the
 * page's CSRF token, no bearer), as Superset's non-API views require. */
void rest_open_browser(rest_session_t *s, const char *user, const char *password);
/* Sends body (may be NULL); returns the decoded JSON answer (caller owns). */
json_t *rest_call(rest_session_t *s, const char *method, const char *path, const char *body, int *status);
/* rest_call asserting the status is want. */
json_t *rest_expect(rest_session_t *s, const char *method, const char *path, const char *body, int want);
/* The file part of a multipart/form-data body. */
typedef struct {
    const char *field, *filename, *content_type;
    const char *data;
    size_t len;
} rest_file_t;
/* POSTs multipart/form-data as the session: the (name, value) pairs of
 * fields (NULL-terminated list, may be NULL), then file when not NULL.
 * Returns the response (caller frees with http_free). */
http_response_t *rest_post_multipart(rest_session_t *s, const char *path, const char *const *fields,
                                     const rest_file_t *file);
/* Runs `liteset args...` (NULL-terminated, at most 16) with the stack's
 * settings, its output discarded; its exit status, -1 if it did not exit. */
int rest_cli(const char *const *args);
/* `liteset fab create-user` with password = username; ok if it exists. */
void rest_create_user(const char *role, const char *name);
/* Runs SQL; returns the first value of the first row (static buffer) or "". */
const char *rest_sql(const char *sql);

/* The stack's own PostgreSQL database as a target database's
 * sqlalchemy_uri (static buffer). */
const char *rest_target_uri(void);
/* Replaces the database named name by a new one (POST /api/v1/database/,
 * 201 asserted) on rest_target_uri(); extra_members (NULL: none) are more
 * JSON members of the body, e.g. "\"extra\":\"{}\"". Returns its id. */
long long rest_add_target_db(rest_session_t *admin, const char *name, const char *extra_members);
/* Gives role permission on view_menu, creating whatever is missing (role,
 * permission, view menu, their pair); idempotent. Names must not hold quotes. */
void rest_grant(const char *role, const char *permission, const char *view_menu);
/* Adds role to user's roles; idempotent. */
void rest_add_user_role(const char *user, const char *role);

/* Appends extra lines to the stack's superset_config.py as it was when first
 * called and reloads the workers (SIGHUP); NULL restores the original. */
void rest_config(const char *extra);

#endif
