/* Identity through nginx, compared with the reference's recorded exchanges:
 * API login / refresh, bearer errors, /api/v1/me/, csrf_token, form login
 * with and without a valid CSRF token, logout, and a session cookie minted by
 * the reference server itself (the test stack uses its SECRET_KEY). */
#include <criterion/criterion.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "lib/arena.h"
#include "lib/b64.h"
#include "lib/jwt.h"
#include "tests/integration/harness.h"

#define REF_SECRET "reference-secret-key-change-me"
static const char *const JSON_CT[] = {"Content-Type: application/json", NULL};

static http_response_t *post_json(const char *path, const char *body) {
    return http_request("POST", path, JSON_CT, body, strlen(body));
}

/* Returns the access (or refresh) token of an admin/admin API login. */
static char *api_login(const char *field, bool refresh) {
    const char *body = refresh ? "{\"username\":\"admin\",\"password\":\"admin\",\"provider\":\"db\",\"refresh\":true}"
                               : "{\"username\":\"admin\",\"password\":\"admin\",\"provider\":\"db\"}";
    http_response_t *r = post_json("/api/v1/security/login", body);
    cr_assert(r && r->status == 200, "login failed: %d %s", r ? r->status : -1, r ? r->body : "");
    json_t *j = json_loads(r->body, 0, NULL);
    cr_assert(j);
    char *tok = strdup(json_string_value(json_object_get(j, field)));
    json_decref(j);
    http_free(r);
    return tok;
}

/* The session cookie's value from a Set-Cookie header (malloc'd), or NULL. */
static char *session_cookie(const http_response_t *r) {
    for (int i = 0; i < r->nheaders; i++) {
        if (strcasecmp(r->headers[i].name, "Set-Cookie") || strncmp(r->headers[i].value, "session=", 8)) continue;
        const char *v = r->headers[i].value + 8;
        return strndup(v, strcspn(v, ";"));
    }
    return NULL;
}

static char *payload_of(const char *jwt) {
    const char *a = strchr(jwt, '.'), *b = a ? strchr(a + 1, '.') : NULL;
    cr_assert(a && b);
    arena_t *ar = arena_new(0);
    size_t n;
    unsigned char *p = b64_decode_arena(ar, B64_URL_NOPAD, a + 1, (size_t)(b - a - 1), &n);
    char *out = strndup((char *)p, n);
    arena_free(ar);
    return out;
}

Test(auth, api_login_matches_reference) {
    char *tok = api_login("access_token", false);
    cr_assert(!strncmp(tok, "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.", 37), "header: %s", tok);
    char *p = payload_of(tok);
    cr_assert(!strncmp(p, "{\"fresh\":true,\"iat\":", 20), "claims order: %s", p);
    cr_assert(strstr(p, "\"type\":\"access\",\"sub\":\"1\",\"nbf\":"), "%s", p);
    cr_assert(strstr(p, "\"csrf\":\""), "%s", p);
    free(p);
    free(tok);
}

Test(auth, api_login_errors) {
    http_response_t *r = post_json("/api/v1/security/login", "{\"username\":\"admin\",\"password\":\"wrong\",\"provider\":\"db\"}");
    cr_assert_eq(r->status, 401);
    cr_assert_str_eq(r->body, "{\"message\":\"Not authorized\"}\n");
    http_free(r);
    r = post_json("/api/v1/security/login", "{\"username\":\"admin\"}");
    cr_assert_eq(r->status, 400);
    cr_assert_str_eq(r->body, "{\"message\":{\"password\":[\"Missing data for required field.\"]}}\n");
    http_free(r);
    r = http_request("POST", "/api/v1/security/login", NULL, "username=admin", 14);
    cr_assert_eq(r->status, 400);
    cr_assert_str_eq(r->body, "{\"message\":\"Request payload is not JSON\"}\n");
    http_free(r);
    r = post_json("/api/v1/security/login", "{\"username\":\"admin' OR 1=1 --\",\"password\":\"x\",\"provider\":\"db\"}");
    cr_assert_eq(r->status, 401);
    http_free(r);
}

Test(auth, refresh_flow) {
    char *refresh = api_login("refresh_token", true);
    char hdr[2048];
    snprintf(hdr, sizeof hdr, "Authorization: Bearer %s", refresh);
    const char *const h[] = {hdr, NULL};
    http_response_t *r = http_request("POST", "/api/v1/security/refresh", h, "", 0);
    cr_assert_eq(r->status, 200, "%s", r->body);
    json_t *j = json_loads(r->body, 0, NULL);
    char *p = payload_of(json_string_value(json_object_get(j, "access_token")));
    cr_assert(!strncmp(p, "{\"fresh\":false,", 15), "%s", p);
    free(p);
    json_decref(j);
    http_free(r);
    /* a refresh token is not an access token */
    r = http_request("GET", "/api/v1/security/csrf_token/", h, NULL, 0);
    cr_assert_eq(r->status, 422);
    cr_assert_str_eq(r->body, "{\"msg\":\"Only non-refresh tokens are allowed\"}\n");
    http_free(r);
    free(refresh);
}

Test(auth, me_ignores_bearer_and_anonymous) {
    char *tok = api_login("access_token", false);
    char hdr[2048];
    snprintf(hdr, sizeof hdr, "Authorization: Bearer %s", tok);
    const char *const h[] = {hdr, NULL};
    http_response_t *r = http_request("GET", "/api/v1/me/", h, NULL, 0);
    cr_assert_eq(r->status, 401);
    cr_assert_str_eq(r->body, "{\"message\":\"Not authorized\"}\n");
    cr_assert_str_eq(http_header(r, "Vary"), "Accept-Encoding, Cookie");
    http_free(r);
    r = http_get("/api/v1/me/");
    cr_assert_eq(r->status, 401);
    http_free(r);
    free(tok);
}

Test(auth, bearer_header_errors) {
    static const struct {
        const char *header;
        int status;
        const char *body;
    } cases[] = {
        {NULL, 401, "{\"msg\":\"Missing Authorization Header\"}\n"},
        {"Authorization: Basic YWRtaW46YWRtaW4=", 401,
         "{\"msg\":\"Missing 'Bearer' type in 'Authorization' header. Expected 'Authorization: Bearer <JWT>'\"}\n"},
        {"Authorization: Bearer a b", 422,
         "{\"msg\":\"Bad Authorization header. Expected 'Authorization: Bearer <JWT>'\"}\n"},
        {"Authorization: Bearer abc", 422, "{\"msg\":\"Not enough segments\"}\n"},
        {"Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0.AAAA", 422,
         "{\"msg\":\"Signature verification failed\"}\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *const h[] = {cases[i].header, NULL};
        http_response_t *r = http_request("GET", "/api/v1/security/csrf_token/", cases[i].header ? h : NULL, NULL, 0);
        cr_assert(r);
        cr_assert_eq(r->status, cases[i].status, "case %zu: %d %s", i, r->status, r->body);
        cr_assert_str_eq(r->body, cases[i].body, "case %zu", i);
        cr_assert_str_eq(http_header(r, "Content-Type"), "application/json");
        http_free(r);
    }
}

Test(auth, expired_token) {
    arena_t *a = arena_new(0);
    long long now = (long long)time(NULL);
    char *payload = arena_sprintf(a,
                                  "{\"fresh\":true,\"iat\":%lld,\"jti\":\"x\",\"type\":\"access\",\"sub\":\"1\","
                                  "\"nbf\":%lld,\"csrf\":\"y\",\"exp\":%lld}",
                                  now - 1000, now - 1000, now - 100);
    char *tok = jwt_encode(a, "HS256", REF_SECRET, strlen(REF_SECRET), payload);
    char *hdr = arena_sprintf(a, "Authorization: Bearer %s", tok);
    const char *const h[] = {hdr, NULL};
    http_response_t *r = http_request("GET", "/api/v1/security/csrf_token/", h, NULL, 0);
    cr_assert_eq(r->status, 401);
    cr_assert_str_eq(r->body, "{\"msg\":\"Token has expired\"}\n");
    http_free(r);
    arena_free(a);
}

/* csrf_token with a bearer token: a session cookie holding the raw token. */
static void bearer_csrf(char **cookie, char **token) {
    char *tok = api_login("access_token", false);
    char hdr[2048];
    snprintf(hdr, sizeof hdr, "Authorization: Bearer %s", tok);
    const char *const h[] = {hdr, NULL};
    http_response_t *r = http_request("GET", "/api/v1/security/csrf_token/", h, NULL, 0);
    cr_assert_eq(r->status, 200, "%s", r->body);
    json_t *j = json_loads(r->body, 0, NULL);
    *token = strdup(json_string_value(json_object_get(j, "result")));
    /* b64u of a JSON string: starts with "I" (the quote), then payload.ts.sig */
    cr_assert((*token)[0] == 'I' && strchr(*token, '.') && strchr(strchr(*token, '.') + 1, '.'), "%s", *token);
    *cookie = session_cookie(r);
    cr_assert(*cookie, "csrf_token must set the session cookie");
    json_decref(j);
    http_free(r);
    free(tok);
}

Test(auth, form_login_me_logout) {
    char *cookie, *token;
    bearer_csrf(&cookie, &token);
    char cookie_hdr[4096], body[1024];
    snprintf(cookie_hdr, sizeof cookie_hdr, "Cookie: session=%s", cookie);
    const char *const h[] = {cookie_hdr, "Content-Type: application/x-www-form-urlencoded", NULL};

    /* wrong password: flash + redirect to the login page */
    snprintf(body, sizeof body, "username=admin&password=wrong&csrf_token=%s", token);
    http_response_t *r = http_request("POST", "/login/", h, body, strlen(body));
    cr_assert_eq(r->status, 302);
    cr_assert_str_eq(http_header(r, "Location"), "/login/?next=/");
    cr_assert_str_eq(http_header(r, "Cache-Control"), "no-store, no-cache, must-revalidate, max-age=0");
    http_free(r);

    snprintf(body, sizeof body, "username=admin&password=admin&csrf_token=%s", token);
    r = http_request("POST", "/login/", h, body, strlen(body));
    cr_assert_eq(r->status, 302, "%s", r->body);
    cr_assert_str_eq(http_header(r, "Location"), "/");
    char *logged = session_cookie(r);
    cr_assert(logged && logged[0] == '.', "a logged-in session is compressed: %s", logged ? logged : "");
    http_free(r);

    snprintf(cookie_hdr, sizeof cookie_hdr, "Cookie: session=%s", logged);
    const char *const h2[] = {cookie_hdr, NULL};
    r = http_request("GET", "/api/v1/me/", h2, NULL, 0);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert(strstr(r->body, "\"username\":\"admin\""), "%s", r->body);
    cr_assert(!strncmp(r->body, "{\"result\":{\"email\":", 19), "sorted keys: %s", r->body);
    http_free(r);

    r = http_request("GET", "/api/v1/me/roles/", h2, NULL, 0);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert(strstr(r->body, "\"Admin\":[["), "%s", r->body);
    http_free(r);

    /* PUT /api/v1/me/ needs the CSRF token of this session */
    char csrf_hdr[512];
    snprintf(csrf_hdr, sizeof csrf_hdr, "X-CSRFToken: %s", token);
    const char *const h3[] = {cookie_hdr, "Content-Type: application/json", csrf_hdr, NULL};
    const char *const h3_nocsrf[] = {cookie_hdr, "Content-Type: application/json", NULL};
    r = http_request("PUT", "/api/v1/me/", h3_nocsrf, "{\"first_name\":\"Ad\"}", 19);
    cr_assert_eq(r->status, 400, "no CSRF token: %s", r->body);
    http_free(r);
    r = http_request("PUT", "/api/v1/me/", h3, "{\"first_name\":\"Ad\"}", 19);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert(strstr(r->body, "\"first_name\":\"Ad\""), "%s", r->body);
    http_free(r);
    r = http_request("PUT", "/api/v1/me/", h3, "{\"first_name\":\"Admin\"}", 22);
    cr_assert_eq(r->status, 200);
    http_free(r);
    r = http_request("PUT", "/api/v1/me/", h3, "{}", 2);
    cr_assert_eq(r->status, 400);
    cr_assert_str_eq(r->body, "{\"message\":\"At least one field must be provided.\"}\n");
    http_free(r);

    r = http_request("GET", "/logout/", h2, NULL, 0);
    cr_assert_eq(r->status, 302);
    cr_assert_str_eq(http_header(r, "Location"), "/");
    char *out = session_cookie(r);
    cr_assert(out);
    http_free(r);
    snprintf(cookie_hdr, sizeof cookie_hdr, "Cookie: session=%s", out);
    r = http_request("GET", "/api/v1/me/", h2, NULL, 0);
    cr_assert_eq(r->status, 401);
    http_free(r);
    free(out);
    free(logged);
    free(cookie);
    free(token);
}

Test(auth, form_login_bad_csrf_redirects) {
    const char *const h[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
    const char *body = "username=admin&password=admin&csrf_token=bogus";
    http_response_t *r = http_request("POST", "/login/", h, body, strlen(body));
    cr_assert_eq(r->status, 302);
    cr_assert_str_eq(http_header(r, "Location"), "/login/?next=%2Flogin%2F");
    cr_assert_null(session_cookie(r), "no login without CSRF");
    http_free(r);
    /* JSON bodies get the SIP-40 400 instead */
    r = http_request("POST", "/login/", JSON_CT, "{}", 2);
    cr_assert_eq(r->status, 400);
    cr_assert(strstr(r->body, "\"message\": \"400 Bad Request: The CSRF token is missing.\""), "%s", r->body);
    http_free(r);
}

/* The Set-Cookie of golden-http/22 was minted by Superset 6.0.0 itself with
 * the SECRET_KEY this stack uses: it must log user 1 in while its signature
 * is younger than PERMANENT_SESSION_LIFETIME (31 days). */
Test(auth, reference_session_cookie_is_accepted) {
    char path[1024];
    snprintf(path, sizeof path, "%s/reference/golden-http/22-login-form-post.txt", harness_env("LITESET_SHARED"));
    FILE *f = fopen(path, "r");
    cr_assert(f);
    char line[4096], *cookie = NULL;
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "Set-Cookie: session=", 20)) cookie = strndup(line + 20, strcspn(line + 20, ";"));
    fclose(f);
    cr_assert(cookie);
    /* timestamp part: between the last two dots */
    char *last = strrchr(cookie, '.');
    char *prev = last - 1;
    while (prev > cookie && *prev != '.') prev--;
    arena_t *a = arena_new(0);
    size_t n;
    unsigned char *ts = b64_decode_arena(a, B64_URL_NOPAD, prev + 1, (size_t)(last - prev - 1), &n);
    long long t = 0;
    for (size_t i = 0; i < n; i++) t = t * 256 + ts[i];
    arena_free(a);
    if (time(NULL) - t > 2678400) cr_skip_test("the recorded cookie is older than 31 days: expired by design");
    char hdr[4096];
    snprintf(hdr, sizeof hdr, "Cookie: session=%s", cookie);
    const char *const h[] = {hdr, "User-Agent: curl/7.88.1", NULL};
    http_response_t *r = http_request("GET", "/api/v1/me/", h, NULL, 0);
    cr_assert_eq(r->status, 200, "%d %s", r->status, r->body);
    cr_assert(strstr(r->body, "\"id\":1,"), "%s", r->body);
    http_free(r);
    free(cookie);
}

Test(auth, forged_cookies_are_anonymous) {
    static const char *const forged[] = {
        "Cookie: session=eyJfdXNlcl9pZCI6IjEifQ.awTNxg.AAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "Cookie: session=eyJfdXNlcl9pZCI6IjEifQ",
        "Cookie: session=...",
        "Cookie: session=.eJwLTQ.awTNxg.Rg-ZUgZYlcilYMq3Z46geIrnIU8",
        "Cookie: remember_token=1|deadbeef",
    };
    for (size_t i = 0; i < sizeof forged / sizeof forged[0]; i++) {
        const char *const h[] = {forged[i], NULL};
        http_response_t *r = http_request("GET", "/api/v1/me/", h, NULL, 0);
        cr_assert(r);
        cr_assert_eq(r->status, 401, "forged cookie %zu logged in", i);
        http_free(r);
    }
}

Test(auth, avatar) {
    http_response_t *r = http_get("/api/v1/user/1/avatar.png");
    cr_assert_eq(r->status, 204);
    http_free(r);
    r = http_get("/api/v1/user/987654/avatar.png");
    cr_assert_eq(r->status, 404);
    http_free(r);
}

/* Users whose password hashes werkzeug wrote (every stored format of the
 * vectors: scrypt, pbkdf2 at 600000/260000/150000 iterations) log in through
 * nginx, as they would after switching from Superset. */
Test(auth, werkzeug_hashes_log_in, .timeout = 120) {
    char path[1024];
    snprintf(path, sizeof path, "%s/reference/vectors/auth-vectors.json", harness_env("LITESET_SHARED"));
    json_t *vectors = json_load_file(path, 0, NULL);
    cr_assert(vectors, "cannot read %s", path);
    char conninfo[512];
    snprintf(conninfo, sizeof conninfo, "host=%s port=%s user=%s dbname=%s", harness_env("LITESET_TEST_PGHOST"),
             harness_env("LITESET_TEST_PGPORT"), harness_env("LITESET_TEST_PGUSER"), harness_env("LITESET_TEST_DB"));
    PGconn *pg = PQconnectdb(conninfo);
    cr_assert_eq(PQstatus(pg), CONNECTION_OK);
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(vectors, "password_hashes"), i, v) {
        const char *stored = json_string_value(json_object_get(v, "stored_value"));
        char name[64];
        snprintf(name, sizeof name, "werkzeug_user_%zu", i);
        const char *params[] = {name, stored};
        PGresult *r = PQexecParams(pg,
                                   "WITH u AS (INSERT INTO ab_user (id, first_name, last_name, username, password, active,"
                                   " email, created_on, changed_on) SELECT nextval('ab_user_id_seq'), 'W', 'Z', $1::varchar, $2::varchar,"
                                   " true, $1::varchar || '@x.test', now(), now() WHERE NOT EXISTS (SELECT 1 FROM ab_user WHERE"
                                   " username = $1::varchar) RETURNING id)"
                                   " INSERT INTO ab_user_role (id, user_id, role_id) SELECT nextval('ab_user_role_id_seq'),"
                                   " u.id, r.id FROM u, ab_role r WHERE r.name = 'Gamma'",
                                   2, NULL, params, NULL, NULL, 0);
        cr_assert_eq(PQresultStatus(r), PGRES_COMMAND_OK, "%s", PQerrorMessage(pg));
        PQclear(r);
        char body[256];
        snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"%s\",\"provider\":\"db\"}", name,
                 json_string_value(json_object_get(v, "password")));
        http_response_t *resp = post_json("/api/v1/security/login", body);
        cr_assert_eq(resp->status, 200, "%s (%s): %d", name, json_string_value(json_object_get(v, "method_string")),
                     resp->status);
        http_free(resp);
        snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"nope\",\"provider\":\"db\"}", name);
        resp = post_json("/api/v1/security/login", body);
        cr_assert_eq(resp->status, 401);
        http_free(resp);
    }
    PQfinish(pg);
    json_decref(vectors);
}
