/* GET /api/v1/database/oauth2/, the OAuth2 provider's redirect target (no
 * login needed): the provider's error, a missing, malformed, forged or
 * expired state, state claims the schema refuses, an unknown database, a
 * PostgreSQL database without OAuth2 configuration, and one with a
 * DATABASE_OAUTH2_CLIENTS entry (Liteset cannot complete the exchange). */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/jwt.h"
#include "lib/strbuf.h"
#include "tests/integration/harness.h"
#include "tests/integration/rest_client.h"

#define STACK_SECRET "reference-secret-key-change-me"
#define ISSUE_1011 "{\"issue_codes\": [{\"code\": 1011, \"message\": \"Issue 1011 - Superset encountered an unexpected error.\"}]}"
#define ISSUE_1010                                                                                                    \
    "{\"issue_codes\": [{\"code\": 1010, \"message\": \"Issue 1010 - Superset encountered an error while running a "  \
    "command.\"}]}"

static arena_t *A;
static void setup(void) { A = arena_new(0); }
static void teardown(void) { arena_free(A); }

TestSuite(database_oauth2, .init = setup, .fini = teardown);

/* The state as Superset encodes it: an HS256 JWT with its periods escaped. */
static const char *state(const char *key, const char *payload) {
    const char *t = jwt_encode(A, "HS256", key, strlen(key), payload);
    strbuf_t sb;
    strbuf_init_arena(&sb, A, 256);
    for (; *t; t++) {
        if (*t == '.') strbuf_puts(&sb, "%252E"); /* "%2E" once the query string is decoded */
        else strbuf_putc(&sb, *t);
    }
    return sb.data;
}

static void expect(const char *query, int status, const char *body) {
    char path[2048];
    snprintf(path, sizeof path, "/api/v1/database/oauth2/%s", query);
    const char *const h[] = {"Accept: application/json", NULL};
    http_response_t *r = http_request("GET", path, h, NULL, 0);
    cr_assert(r);
    cr_assert_eq(r->status, status, "%s: %d %s", query, r->status, r->body);
    cr_assert_str_eq(r->body, body, "%s", query);
    http_free(r);
}

static const char *backend_error(const char *message) {
    return arena_sprintf(A,
                         "{\"errors\": [{\"message\": \"%s\", \"error_type\": \"GENERIC_BACKEND_ERROR\", \"level\": "
                         "\"error\", \"extra\": " ISSUE_1011 "}]}",
                         message);
}

static const char *oauth2_error(const char *error) {
    return arena_sprintf(A,
                         "{\"errors\": [{\"message\": \"Something went wrong while doing OAuth2\", \"error_type\": "
                         "\"OAUTH2_REDIRECT_ERROR\", \"level\": \"error\", \"extra\": {\"error\": \"%s\"}}]}",
                         error);
}

static const char *claims(const char *db_id, long long exp) {
    return arena_sprintf(A,
                         "{\"exp\": %lld, \"database_id\": %s, \"user_id\": 1, \"default_redirect_uri\": "
                         "\"http://localhost/api/v1/database/oauth2/\", \"tab_id\": \"a1b2\"}",
                         exp, db_id);
}

Test(database_oauth2, errors_before_the_database) {
    expect("?error=access_denied&state=x", 500, oauth2_error("access_denied"));
    expect("", 500, backend_error("'state'"));
    expect("?code=abc", 500, backend_error("'state'"));
    expect("?state=", 500, backend_error("Not enough segments"));
    expect("?state=abc", 500, backend_error("Not enough segments"));
    expect(arena_sprintf(A, "?state=%s", state("another-key", claims("1", 4102444800LL))), 500,
           backend_error("Signature verification failed"));
    expect(arena_sprintf(A, "?state=%s", state(STACK_SECRET, claims("1", 1000))), 500,
           backend_error("Signature has expired"));
    expect(arena_sprintf(A, "?state=%s",
                         state(STACK_SECRET, "{\"exp\": 4102444800, \"database_id\": \"one\", \"user_id\": null, "
                                             "\"tab_id\": 7}")),
           500,
           backend_error("{'database_id': ['Not a valid integer.'], 'user_id': ['Field may not be null.'], "
                         "'default_redirect_uri': ['Missing data for required field.'], 'tab_id': ['Not a valid "
                         "string.']}"));
    /* an empty error is no error: the state decides */
    expect(arena_sprintf(A, "?error=&state=%s", state(STACK_SECRET, claims("987654", 4102444800LL))), 404,
           "{\"errors\": [{\"message\": \"Database not found\", \"error_type\": \"GENERIC_COMMAND_ERROR\", \"level\": "
           "\"warning\", \"extra\": " ISSUE_1010 "}]}");
}

Test(database_oauth2, postgresql_database) {
    char id[32];
    snprintf(id, sizeof id, "%s",
             rest_sql("INSERT INTO dbs (database_name, sqlalchemy_uri) VALUES ('oauth2_pg', "
                      "'postgresql://u@localhost/o2') RETURNING id"));
    const char *q = arena_sprintf(A, "?code=xyz&scope=read&state=%s", state(STACK_SECRET, claims(id, 4102444800LL)));
    expect(q, 500, oauth2_error("No configuration found for OAuth2"));
    /* an integer given as a string is read as int() would */
    expect(arena_sprintf(A, "?state=%s", state(STACK_SECRET, claims(arena_sprintf(A, "\" %s \"", id), 4102444800LL))),
           500, oauth2_error("No configuration found for OAuth2"));
    /* a client configured for the PostgreSQL engine: the token exchange is not available */
    rest_config("DATABASE_OAUTH2_CLIENTS = {'PostgreSQL': {'id': 'cid', 'secret': 's', 'scope': 'read', "
                "'authorization_request_uri': 'https://idp.example/auth', 'token_request_uri': "
                "'https://idp.example/token'}}\n");
    expect(q, 500,
           oauth2_error("Liteset cannot complete OAuth2 for database connections: it makes no token requests to "
                        "OAuth2 providers"));
    rest_config("DATABASE_OAUTH2_CLIENTS = {'Google Sheets': {'id': 'cid', 'secret': 's'}}\n");
    expect(q, 500, oauth2_error("No configuration found for OAuth2"));
    rest_config(NULL);
    rest_sql("DELETE FROM dbs WHERE database_name = 'oauth2_pg'");
}
