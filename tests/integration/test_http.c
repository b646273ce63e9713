/* HTTP behaviour through nginx -> FastCGI pool, as a client sees it:
 * health endpoints (compared with the reference's recorded exchange),
 * routing errors in the reference's shapes, HEAD/OPTIONS, large request and
 * response bodies, the body limit, and the access log. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/integration/harness.h"

static const char *const JSON_ACCEPT[] = {"Accept: application/json", NULL};

/* Header names of a recorded reference response, minus those the front
 * server owns (Server, Date, Connection). */
static int golden_header_names(const char *file, char names[][64], int max) {
    char path[1024];
    snprintf(path, sizeof path, "%s/reference/golden-http/%s", harness_env("LITESET_SHARED"), file);
    FILE *f = fopen(path, "r");
    cr_assert(f, "cannot open %s", path);
    char line[4096];
    int n = 0;
    bool in_head = false;
    while (fgets(line, sizeof line, f)) {
        if (!strncmp(line, "HTTP/1.1 ", 9)) {
            in_head = true;
            continue;
        }
        if (!in_head) continue;
        if (line[0] == '\r' || line[0] == '\n') break;
        char *colon = strchr(line, ':');
        if (!colon || n == max) continue;
        *colon = '\0';
        if (!strcmp(line, "Server") || !strcmp(line, "Date") || !strcmp(line, "Connection")) continue;
        snprintf(names[n++], 64, "%.63s", line);
    }
    fclose(f);
    return n;
}

static void assert_same_header_order(const http_response_t *r, const char *golden) {
    char names[64][64];
    int n = golden_header_names(golden, names, 64);
    cr_assert_gt(n, 5);
    int j = 0;
    for (int i = 0; i < r->nheaders; i++) {
        const char *h = r->headers[i].name;
        if (!strcmp(h, "Server") || !strcmp(h, "Date") || !strcmp(h, "Connection")) continue;
        cr_assert_lt(j, n, "unexpected extra header %s", h);
        cr_assert_str_eq(h, names[j], "header %d: got %s, reference has %s", j, h, names[j]);
        j++;
    }
    cr_assert_eq(j, n, "missing headers: got %d, reference has %d", j, n);
}

Test(http, health_endpoints_match_reference) {
    static const struct { const char *path, *golden; } cases[] = {
        {"/health", "01-health.txt"}, {"/healthcheck", "02-healthcheck.txt"}, {"/ping", "03-ping.txt"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        http_response_t *r = http_get(cases[i].path);
        cr_assert(r, "no response for %s", cases[i].path);
        cr_assert_eq(r->status, 200);
        cr_assert_str_eq(r->reason, "OK");
        cr_assert_str_eq(r->body, "OK");
        cr_assert_str_eq(http_header(r, "Content-Type"), "text/html; charset=utf-8");
        cr_assert_str_eq(http_header(r, "X-Frame-Options"), "SAMEORIGIN");
        cr_assert_str_eq(http_header(r, "Access-Control-Allow-Origin"), "https://tile.openstreetmap.org");
        assert_same_header_order(r, cases[i].golden);
        http_free(r);
    }
}

Test(http, csp_nonce_is_fresh_per_request) {
    http_response_t *a = http_get("/health"), *b = http_get("/health");
    cr_assert(a && b);
    const char *ca = strstr(http_header(a, "Content-Security-Policy"), "'nonce-");
    const char *cb = strstr(http_header(b, "Content-Security-Policy"), "'nonce-");
    cr_assert(ca && cb);
    cr_assert_eq(strlen(ca), strlen("'nonce-'") + 32, "nonce must be 32 characters: %s", ca);
    cr_assert_str_neq(ca, cb);
    http_free(a);
    http_free(b);
}

Test(http, unknown_route_is_sip40_404) {
    http_response_t *r = http_request("GET", "/no/such/route", JSON_ACCEPT, NULL, 0);
    cr_assert(r);
    cr_assert_eq(r->status, 404);
    cr_assert_str_eq(r->reason, "NOT FOUND");
    cr_assert_str_eq(http_header(r, "Content-Type"), "application/json; charset=utf-8");
    cr_assert_str_eq(r->body,
                     "{\"errors\": [{\"message\": \"404 Not Found: The requested URL was not found on the server. "
                     "If you entered the URL manually please check your spelling and try again.\", \"error_type\": "
                     "\"GENERIC_BACKEND_ERROR\", \"level\": \"error\", \"extra\": {\"issue_codes\": [{\"code\": "
                     "1011, \"message\": \"Issue 1011 - Superset encountered an unexpected error.\"}]}}]}");
    /* Error-handler responses put CORS before the security headers. */
    cr_assert_lt(http_header_index(r, "Access-Control-Allow-Origin"), http_header_index(r, "Permissions-Policy"));
    cr_assert_str_eq(http_header(r, "Vary"), "Origin, Accept-Encoding");
    http_free(r);
}

Test(http, wrong_method_is_405_with_allow) {
    http_response_t *r = http_request("POST", "/health", JSON_ACCEPT, "", 0);
    cr_assert(r);
    cr_assert_eq(r->status, 405);
    cr_assert_str_eq(http_header(r, "Allow"), "GET, HEAD, OPTIONS");
    cr_assert(strstr(r->body, "\"405 Method Not Allowed: The method is not allowed for the requested URL.\""));
    cr_assert(strstr(r->body, "\"error_type\": \"GENERIC_BACKEND_ERROR\""));
    http_free(r);
}

Test(http, head_and_options) {
    http_response_t *r = http_request("HEAD", "/health", NULL, NULL, 0);
    cr_assert(r);
    cr_assert_eq(r->status, 200);
    cr_assert_str_eq(http_header(r, "Content-Length"), "2");
    cr_assert_eq(r->body_len, 0);
    http_free(r);
    r = http_request("OPTIONS", "/health", NULL, NULL, 0);
    cr_assert(r);
    cr_assert_eq(r->status, 200);
    cr_assert_str_eq(http_header(r, "Allow"), "GET, HEAD, OPTIONS");
    http_free(r);
}

Test(http, cors_echoes_listed_origin_only) {
    const char *const listed[] = {"Origin: https://TILE.osm.ch", NULL};
    http_response_t *r = http_request("GET", "/health", listed, NULL, 0);
    cr_assert(r);
    cr_assert_str_eq(http_header(r, "Access-Control-Allow-Origin"), "https://TILE.osm.ch");
    http_free(r);
    const char *const other[] = {"Origin: https://evil.example", NULL};
    r = http_request("GET", "/health", other, NULL, 0);
    cr_assert(r);
    cr_assert_null(http_header(r, "Access-Control-Allow-Origin"));
    http_free(r);
}

Test(http, large_body_roundtrip_and_limit) {
    /* The test stack sets LITESET_MAX_REQUEST_BODY = 2 MiB. */
    size_t n = 1536 * 1024;
    char *body = malloc(n);
    for (size_t i = 0; i < n; i++) body[i] = (char)('a' + (i * 7) % 26);
    const char *const ct[] = {"Content-Type: application/octet-stream", NULL};
    http_response_t *r = http_request("POST", "/api/v1/_liteset/echo", ct, body, n);
    cr_assert(r);
    cr_assert_eq(r->status, 200);
    cr_assert_eq(r->body_len, n, "echoed %zu bytes of %zu", r->body_len, n);
    cr_assert(!memcmp(r->body, body, n), "echoed body differs");
    http_free(r);
    free(body);

    n = 3 * 1024 * 1024;
    body = calloc(1, n);
    r = http_request("POST", "/api/v1/_liteset/echo", JSON_ACCEPT, body, n);
    cr_assert(r);
    cr_assert_eq(r->status, 413);
    cr_assert(strstr(r->body, "413 Request Entity Too Large: The data value transmitted exceeds the capacity limit."));
    http_free(r);
    free(body);
}

Test(http, trailing_slash_rule_404s_extra_slash) {
    http_response_t *r = http_request("GET", "/health/", JSON_ACCEPT, NULL, 0);
    cr_assert(r);
    cr_assert_eq(r->status, 404);
    http_free(r);
}

Test(http, access_log_line_per_request) {
    char path[128];
    snprintf(path, sizeof path, "/log-probe-%d-%ld", (int)getpid(), (long)harness_now());
    http_response_t *r = http_request("GET", path, JSON_ACCEPT, NULL, 0);
    cr_assert(r);
    http_free(r);
    char logpath[1024];
    snprintf(logpath, sizeof logpath, "%s/log/fcgi.log", harness_env("LITESET_TEST_DIR"));
    bool found = false;
    for (int tries = 0; tries < 20 && !found; tries++) {
        FILE *f = fopen(logpath, "r");
        cr_assert(f, "cannot open %s", logpath);
        char line[8192];
        while (fgets(line, sizeof line, f))
            if (strstr(line, path) && strstr(line, "\"event\":\"request\"") && strstr(line, "\"status\":404") &&
                strstr(line, "\"method\":\"GET\"") && strstr(line, "\"request_id\":\"") &&
                strstr(line, "\"duration_ms\":"))
                found = true;
        fclose(f);
        if (!found) usleep(50000);
    }
    cr_assert(found, "no access-log line for %s in %s", path, logpath);
}

Test(http, oversized_header_refused_cleanly) {
    size_t n = 64 * 1024;
    char *hdr = malloc(n + 16);
    strcpy(hdr, "X-Big: ");
    memset(hdr + 7, 'b', n);
    hdr[7 + n] = '\0';
    const char *const h[] = {hdr, NULL};
    http_response_t *r = http_request("GET", "/health", h, NULL, 0);
    cr_assert(r);
    cr_assert_geq(r->status, 400, "an oversized header must be refused, got %d", r->status);
    cr_assert_lt(r->status, 500);
    http_free(r);
    free(hdr);
    r = http_get("/health");
    cr_assert(r && r->status == 200, "the server is still healthy");
    http_free(r);
}
