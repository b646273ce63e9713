/* Client helpers shared by the Superset resource tests: a logged-in API
 * session (bearer + CSRF token + session cookie), JSON calls, users made
 * through the CLI, and direct SQL for fixtures. */
#ifndef LITESET_TESTS_INTEGRATION_REST_CLIENT_H
#define LITESET_TESTS_INTEGRATION_REST_CLIENT_H

#include <jansson.h>

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
/* `liteset fab create-user` with password = username; ok if it exists. */
void rest_create_user(const char *role, const char *name);
/* Runs SQL; returns the first value of the first row (static buffer) or "". */
const char *rest_sql(const char *sql);

/* Appends extra lines to the stack's superset_config.py as it was when first
 * called and reloads the workers (SIGHUP); NULL restores the original. */
void rest_config(const char *extra);

#endif
