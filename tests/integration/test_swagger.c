/* GET /swagger/<version> through nginx: the Swagger UI page for Admin and
 * Gamma (both hold can_show on SwaggerView), the OpenAPI URL of any version
 * (escaped), the assets under /static/appbuilder/, the CSP nonce on every
 * script, the @has_access redirect for anonymous clients, bearer-only
 * clients and roles without the permission, and 404 for the page and the
 * OpenAPI document when FAB_API_SWAGGER_UI or FAB_ADD_OPENAPI_VIEWS is off. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "tests/integration/harness.h"
#include "tests/integration/rest_client.h"

static void restore(void) { rest_config(NULL); }

TestSuite(swagger, .fini = restore);

/* GET path with the session's headers; the response is the caller's. */
static http_response_t *get_as(const rest_session_t *s, const char *path) {
    const char *const h[] = {s->bearer, s->cookie, NULL};
    http_response_t *r = http_request("GET", path, h, NULL, 0);
    cr_assert_not_null(r, "GET %s: no response", path);
    return r;
}

static size_t count(const char *hay, const char *needle) {
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle)) n++;
    return n;
}

static void assert_page(const http_response_t *r, const char *openapi_js) {
    cr_assert_eq(r->status, 200, "status %d: %.300s", r->status, r->body);
    cr_assert_str_eq(http_header(r, "Content-Type"), "text/html; charset=utf-8");
    static const char *const parts[] = {
        "<title>Superset</title>",
        "<link href=\"/static/appbuilder/css/swagger/swagger-ui.css\" rel=\"stylesheet\">",
        "<script src=\"/static/appbuilder/js/swagger-ui-bundle.js\" nonce=\"",
        "<link href=\"/static/appbuilder/css/bootstrap.min.css\" rel=\"stylesheet\">",
        "<div id=\"swagger-ui\"></div>",
        "dom_id: '#swagger-ui'",
        "presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset]",
        "layout: \"BaseLayout\"",
    };
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        cr_expect_not_null(strstr(r->body, parts[i]), "missing %s", parts[i]);
    cr_expect_not_null(strstr(r->body, openapi_js), "missing %s", openapi_js);
    /* every script carries the CSP header's nonce */
    const char *csp = http_header(r, "Content-Security-Policy");
    cr_assert_not_null(csp);
    const char *n = strstr(csp, "'nonce-");
    cr_assert_not_null(n);
    char attr[128];
    snprintf(attr, sizeof attr, "nonce=\"%.*s\"", (int)strcspn(n + 7, "'"), n + 7);
    cr_expect_eq(count(r->body, "<script"), count(r->body, attr), "a script without the nonce");
    cr_expect_eq(count(r->body, "<script"), 9);
}

Test(swagger, admin_any_version) {
    rest_session_t s;
    rest_open_browser(&s, "admin", "admin");
    static const struct {
        const char *path, *url;
    } cases[] = {
        {"/swagger/v1", "url: '/api/v1/_openapi',"},
        {"/swagger/v2", "url: '/api/v2/_openapi',"},
        {"/swagger/x'%3Cb%3E%22", "url: '/api/x&#39;&lt;b&gt;&#34;/_openapi',"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        http_response_t *r = get_as(&s, cases[i].path);
        assert_page(r, cases[i].url);
        cr_expect_not_null(strstr(r->body, "<span class=\"fa fa-user\"></span> "), "the user menu");
        cr_expect_not_null(strstr(r->body, "href=\"/logout/\""));
        http_free(r);
    }
    static const struct {
        const char *path;
        int status;
    } others[] = {{"/swagger/v1/", 404}, {"/swagger/", 404}, {"/swagger", 404}};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        http_response_t *r = get_as(&s, others[i].path);
        cr_expect_eq(r->status, others[i].status, "%s: %d", others[i].path, r->status);
        http_free(r);
    }
}

Test(swagger, gamma_allowed) {
    rest_create_user("Gamma", "swagger_gamma");
    rest_session_t s;
    rest_open_browser(&s, "swagger_gamma", "swagger_gamma");
    http_response_t *r = get_as(&s, "/swagger/v1");
    assert_page(r, "url: '/api/v1/_openapi',");
    cr_expect_not_null(strstr(r->body, "swagger_gamma Test"));
    http_free(r);
}

Test(swagger, refused_redirects_to_login) {
    http_response_t *r = http_get("/swagger/v1");
    cr_assert_not_null(r);
    cr_expect_eq(r->status, 302);
    cr_expect_str_eq(http_header(r, "Location"), "/login/?next=http://127.0.0.1/swagger/v1");
    http_free(r);
    /* a bearer token does not count for @has_access */
    rest_session_t api;
    rest_open(&api, "admin", "admin");
    const char *const h[] = {api.bearer, NULL};
    r = http_request("GET", "/swagger/v1", h, NULL, 0);
    cr_assert_not_null(r);
    cr_expect_eq(r->status, 302);
    http_free(r);
    /* a role without can_show on SwaggerView */
    rest_create_user("Public", "swagger_public");
    rest_session_t s;
    rest_open_browser(&s, "swagger_public", "swagger_public");
    r = get_as(&s, "/swagger/v2");
    cr_expect_eq(r->status, 302);
    cr_expect_str_eq(http_header(r, "Location"), "/login/?next=http://127.0.0.1/swagger/v2");
    http_free(r);
}

Test(swagger, settings_off_is_404) {
    static const char *const settings[] = {"FAB_API_SWAGGER_UI = False", "FAB_ADD_OPENAPI_VIEWS = False"};
    rest_session_t s;
    rest_open_browser(&s, "admin", "admin");
    rest_session_t api;
    rest_open(&api, "admin", "admin");
    for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++) {
        rest_config(settings[i]);
        http_response_t *r = get_as(&s, "/swagger/v1");
        cr_expect_eq(r->status, 404, "%s: page %d", settings[i], r->status);
        http_free(r);
        r = http_get("/swagger/v1");
        cr_expect_eq(r->status, 404, "%s: anonymous %d", settings[i], r->status);
        http_free(r);
        int st = 0;
        json_decref(rest_call(&api, "GET", "/api/v1/_openapi", NULL, &st));
        cr_expect_eq(st, 404, "%s: document %d", settings[i], st);
    }
    rest_config(NULL);
    http_response_t *r = get_as(&s, "/swagger/v1");
    cr_expect_eq(r->status, 200);
    http_free(r);
}
