/* Unit tests for fcgi/router: Werkzeug rule semantics (static beats
 * converters, int/string/path converters, path converters in the middle of a
 * rule, trailing-slash redirect, 405 with the allowed method set incl. HEAD
 * and OPTIONS), methods_format, router_add validation (guards, patterns,
 * converters, methods), and that every route of the real app tables is
 * guarded. Expected results were cross-checked against Werkzeug 3.1 / Flask 3.1. */
#include <criterion/criterion.h>
#include <string.h>

#include "fcgi/api/api.h"
#include "fcgi/router.h"

static arena_t *A;
static router_t *R;
static void setup(void) {
    A = arena_new(0);
    R = router_new();
}
static void teardown(void) {
    router_free(R);
    arena_free(A);
}

TestSuite(router, .init = setup, .fini = teardown);

/* Distinct handlers so a match can be identified by its def. */
static void h_a(request_t *req) { (void)req; }
static void h_b(request_t *req) { (void)req; }

static request_t *mkreq(const char *method, const char *path) {
    request_t *req = arena_calloc(A, 1, sizeof *req);
    req->arena = A;
    req->method = method;
    req->path = path;
    req->query = "";
    strbuf_init_arena(&req->resp_body, A, 0);
    return req;
}

static void add(const char *methods, const char *pattern, route_handler_fn h) {
    route_def_t *d = arena_calloc(A, 1, sizeof *d);
    d->methods = methods;
    d->pattern = pattern;
    d->handler = h;
    d->guard.permission = "can_read";
    d->guard.view_menu = "Chart";
    const char *err = NULL;
    cr_assert(router_add(R, d, &err), "router_add(%s %s) failed: %s", methods, pattern, err ? err : "?");
}

/* Matches and returns the pattern matched (NULL unless found). */
static route_result_t match(const char *method, const char *path, const char **pattern, request_t **reqp,
                            unsigned *allowed) {
    request_t *req = mkreq(method, path);
    const route_def_t *def = NULL;
    unsigned al = 0xdead;
    route_result_t r = router_match(R, req, &def, &al);
    if (pattern) *pattern = def ? def->pattern : NULL;
    if (reqp) *reqp = req;
    if (allowed) *allowed = al;
    if (r == ROUTE_FOUND) cr_assert_not_null(def);
    else cr_assert_null(def);
    return r;
}

static void add_chart_routes(void) {
    add("GET", "/api/v1/chart/<int:pk>", h_a);
    add("GET", "/api/v1/chart/_info", h_a);
    add("GET", "/api/v1/chart/<id_or_uuid>", h_a);
    add("GET", "/api/v1/chart/", h_a);
    add("GET", "/api/v1/chart/export/", h_a);
}

Test(router, static_beats_int_beats_string) {
    add_chart_routes();
    const char *pat;
    request_t *req;
    cr_assert_eq(match("GET", "/api/v1/chart/_info", &pat, &req, NULL), ROUTE_FOUND);
    cr_assert_str_eq(pat, "/api/v1/chart/_info");
    cr_assert_eq(req->n_path_params, 0);

    cr_assert_eq(match("GET", "/api/v1/chart/5", &pat, &req, NULL), ROUTE_FOUND);
    cr_assert_str_eq(pat, "/api/v1/chart/<int:pk>");
    cr_assert_eq(req->n_path_params, 1);
    cr_assert_str_eq(req_path_param(req, "pk"), "5");
    cr_assert_eq(req_path_int(req, "pk"), 5);

    cr_assert_eq(match("GET", "/api/v1/chart/abc", &pat, &req, NULL), ROUTE_FOUND);
    cr_assert_str_eq(pat, "/api/v1/chart/<id_or_uuid>");
    cr_assert_str_eq(req_path_param(req, "id_or_uuid"), "abc");
    cr_assert_null(req_path_param(req, "pk"));

    /* Negative numbers are not ints for Werkzeug's default int converter. */
    cr_assert_eq(match("GET", "/api/v1/chart/-1", &pat, &req, NULL), ROUTE_FOUND);
    cr_assert_str_eq(pat, "/api/v1/chart/<id_or_uuid>");

    cr_assert_eq(match("GET", "/api/v1/chart/export/", &pat, NULL, NULL), ROUTE_FOUND);
    cr_assert_str_eq(pat, "/api/v1/chart/export/");
    cr_assert_eq(match("GET", "/api/v1/chart/", &pat, NULL, NULL), ROUTE_FOUND);
    cr_assert_str_eq(pat, "/api/v1/chart/");
}

Test(router, precedence_does_not_depend_on_registration_order) {
    add("GET", "/api/v1/dashboard/<id_or_slug>", h_a);
    add("GET", "/api/v1/dashboard/<int:pk>", h_a);
    add("GET", "/api/v1/dashboard/_info", h_a);
    const char *pat;
    cr_assert_eq(match("GET", "/api/v1/dashboard/_info", &pat, NULL, NULL), ROUTE_FOUND);
    cr_assert_str_eq(pat, "/api/v1/dashboard/_info");
    cr_assert_eq(match("GET", "/api/v1/dashboard/12", &pat, NULL, NULL), ROUTE_FOUND);
    cr_assert_str_eq(pat, "/api/v1/dashboard/<int:pk>");
    cr_assert_eq(match("GET", "/api/v1/dashboard/world_health", &pat, NULL, NULL), ROUTE_FOUND);
    cr_assert_str_eq(pat, "/api/v1/dashboard/<id_or_slug>");
}

Test(router, int_converter_rejects_non_digits) {
    add("GET", "/api/v1/chart/<int:pk>", h_a);
    const char *bad[] = {"/api/v1/chart/abc", "/api/v1/chart/-1", "/api/v1/chart/1.5", "/api/v1/chart/1a",
                         "/api/v1/chart/+1", "/api/v1/chart/ 1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_eq(match("GET", bad[i], NULL, NULL, NULL), ROUTE_NOT_FOUND, "%s", bad[i]);
    request_t *req;
    cr_assert_eq(match("GET", "/api/v1/chart/0042", NULL, &req, NULL), ROUTE_FOUND);
    cr_assert_eq(req_path_int(req, "pk"), 42);
    cr_assert_eq(match("GET", "/api/v1/chart/123456789012", NULL, &req, NULL), ROUTE_FOUND);
    cr_assert_eq(req->path_params[0].int_value, 123456789012LL);
    cr_assert_str_eq(req->path_params[0].name, "pk");
}

Test(router, string_converter_takes_one_segment) {
    add("GET", "/api/v1/dataset/<name>/info", h_a);
    add("GET", "/api/v1/explicit/<string:name>", h_b);
    const char *pat;
    request_t *req;
    cr_assert_eq(match("GET", "/api/v1/dataset/abc/info", &pat, &req, NULL), ROUTE_FOUND);
    cr_assert_str_eq(req_path_param(req, "name"), "abc");
    cr_assert_eq(match("GET", "/api/v1/dataset/a/b/info", NULL, NULL, NULL), ROUTE_NOT_FOUND);
    cr_assert_eq(match("GET", "/api/v1/explicit/x y%z", &pat, &req, NULL), ROUTE_FOUND);
    cr_assert_str_eq(pat, "/api/v1/explicit/<string:name>");
    cr_assert_str_eq(req_path_param(req, "name"), "x y%z");
    cr_assert_eq(match("GET", "/api/v1/explicit/a/b", NULL, NULL, NULL), ROUTE_NOT_FOUND);
}

Test(router, path_converter_across_slashes) {
    add("GET", "/api/v1/database/<int:pk>/select_star/<path:table_name>/<schema_name>/", h_a);
    add("GET", "/files/<path:p>", h_a);
    const char *pat;
    request_t *req;

    cr_assert_eq(match("GET", "/api/v1/database/1/select_star/a/b/c/", &pat, &req, NULL), ROUTE_FOUND);
    cr_assert_str_eq(pat, "/api/v1/database/<int:pk>/select_star/<path:table_name>/<schema_name>/");
    cr_assert_eq(req_path_int(req, "pk"), 1);
    cr_assert_str_eq(req_path_param(req, "table_name"), "a/b");
    cr_assert_str_eq(req_path_param(req, "schema_name"), "c");
    cr_assert_eq(req->n_path_params, 3);

    cr_assert_eq(match("GET", "/api/v1/database/7/select_star/t/s/", &pat, &req, NULL), ROUTE_FOUND);
    cr_assert_str_eq(req_path_param(req, "table_name"), "t");
    cr_assert_str_eq(req_path_param(req, "schema_name"), "s");
    /* The schema segment is required, the int must be digits. */
    cr_assert_eq(match("GET", "/api/v1/database/7/select_star/t/", NULL, NULL, NULL), ROUTE_NOT_FOUND);
    cr_assert_eq(match("GET", "/api/v1/database/x/select_star/t/s/", NULL, NULL, NULL), ROUTE_NOT_FOUND);
    cr_assert_eq(match("GET", "/api/v1/database/7/select_star/t/s", NULL, NULL, NULL), ROUTE_REDIRECT_SLASH);

    cr_assert_eq(match("GET", "/files/a/b/c", &pat, &req, NULL), ROUTE_FOUND);
    cr_assert_str_eq(req_path_param(req, "p"), "a/b/c");
    cr_assert_eq(match("GET", "/files/a", &pat, &req, NULL), ROUTE_FOUND);
    cr_assert_str_eq(req_path_param(req, "p"), "a");
    /* A path converter needs at least one segment. */
    cr_assert_eq(match("GET", "/files/", NULL, NULL, NULL), ROUTE_NOT_FOUND);
}

/* Regression test (was a bug): fcgi/router.c router_match / better(): when two rules match, ranks
 * are padded with 0 for "no segment", so the rule with FEWER segments wins.
 * Werkzeug 3.1.8 (either registration order) prefers the longer rule.
 * Superset's DatabaseRestApi declares both
 *   /api/v1/database/<int:pk>/select_star/<path:table_name>/
 *   /api/v1/database/<int:pk>/select_star/<path:table_name>/<schema_name>/
 * (also table/ and table_extra/). GET .../select_star/t/s/ must give
 * table_name "t", schema_name "s" (Werkzeug); Liteset picks the first rule
 * with table_name "t/s". Same for "/y/<path:a>" vs "/y/<path:a>/end" on
 * /y/a/b/end (Werkzeug: the second, a = "a/b"). Disabled until fixed. */
Test(router, longer_rule_wins_over_path_converter) {
    add("GET", "/api/v1/database/<int:pk>/select_star/<path:table_name>/", h_b);
    add("GET", "/api/v1/database/<int:pk>/select_star/<path:table_name>/<schema_name>/", h_a);
    add("GET", "/y/<path:a>", h_b);
    add("GET", "/y/<path:a>/end", h_a);
    const char *pat;
    request_t *req;
    cr_assert_eq(match("GET", "/api/v1/database/7/select_star/t/s/", &pat, &req, NULL), ROUTE_FOUND);
    cr_assert_str_eq(pat, "/api/v1/database/<int:pk>/select_star/<path:table_name>/<schema_name>/");
    cr_assert_str_eq(req_path_param(req, "table_name"), "t");
    cr_assert_str_eq(req_path_param(req, "schema_name"), "s");
    cr_assert_eq(match("GET", "/api/v1/database/7/select_star/a/b/c/", &pat, &req, NULL), ROUTE_FOUND);
    cr_assert_str_eq(req_path_param(req, "table_name"), "a/b");
    cr_assert_str_eq(req_path_param(req, "schema_name"), "c");
    /* One segment left: only the short rule matches. */
    cr_assert_eq(match("GET", "/api/v1/database/7/select_star/t/", &pat, &req, NULL), ROUTE_FOUND);
    cr_assert_str_eq(pat, "/api/v1/database/<int:pk>/select_star/<path:table_name>/");
    cr_assert_str_eq(req_path_param(req, "table_name"), "t");
    cr_assert_eq(match("GET", "/y/a/b/end", &pat, &req, NULL), ROUTE_FOUND);
    cr_assert_str_eq(pat, "/y/<path:a>/end");
    cr_assert_str_eq(req_path_param(req, "a"), "a/b");
    cr_assert_eq(match("GET", "/y/a/end/x", &pat, &req, NULL), ROUTE_FOUND);
    cr_assert_str_eq(pat, "/y/<path:a>");
    cr_assert_str_eq(req_path_param(req, "a"), "a/end/x");
}

/* Regression test (was a bug; no Superset route has two path converters): fcgi/router.c
 * match_from takes path converters greedily; Werkzeug's "[^/].*?" is lazy.
 * Rule "/x/<path:a>/<path:b>" on /x/1/2/3 gives a = "1", b = "2/3" in
 * Werkzeug 3.1.8; Liteset gives a = "1/2", b = "3". Disabled until fixed. */
Test(router, path_converter_is_lazy) {
    add("GET", "/x/<path:a>/<path:b>", h_a);
    request_t *req;
    cr_assert_eq(match("GET", "/x/1/2/3", NULL, &req, NULL), ROUTE_FOUND);
    cr_assert_str_eq(req_path_param(req, "a"), "1");
    cr_assert_str_eq(req_path_param(req, "b"), "2/3");
}

/* Regression test (was a bug): fcgi/router.c router_match: a rule ending in <path:p> without a
 * trailing slash does not match a path that ends in '/'. Werkzeug's path
 * converter regex "[^/].*?" takes the slash: Rule("/files/<path:p>") matches
 * "/files/a/b/" with p = "a/b/" (checked with Werkzeug 3.1.8); Liteset
 * answers ROUTE_NOT_FOUND. Disabled until fixed. */
Test(router, path_converter_keeps_trailing_slash) {
    add("GET", "/files/<path:p>", h_a);
    request_t *req;
    cr_assert_eq(match("GET", "/files/a/b/", NULL, &req, NULL), ROUTE_FOUND);
    cr_assert_str_eq(req_path_param(req, "p"), "a/b/");
}

Test(router, trailing_slash_redirect) {
    add_chart_routes();
    cr_assert_eq(match("GET", "/api/v1/chart", NULL, NULL, NULL), ROUTE_REDIRECT_SLASH);
    add("GET", "/api/v1/log/", h_a);
    cr_assert_eq(match("GET", "/api/v1/log", NULL, NULL, NULL), ROUTE_REDIRECT_SLASH);
    add("GET", "/g/<int:pk>/", h_a);
    cr_assert_eq(match("GET", "/g/5", NULL, NULL, NULL), ROUTE_REDIRECT_SLASH);
    cr_assert_eq(match("GET", "/g/x", NULL, NULL, NULL), ROUTE_NOT_FOUND);
}

Test(router, export_without_slash_redirects_when_int_cannot_match) {
    /* Superset's chart API: <int:pk> cannot take "export", so the slash rule redirects. */
    add("GET", "/api/v1/chart/<int:pk>", h_a);
    add("GET", "/api/v1/chart/export/", h_a);
    cr_assert_eq(match("GET", "/api/v1/chart/export", NULL, NULL, NULL), ROUTE_REDIRECT_SLASH);
}

/* Regression test (was a bug): fcgi/router.c router_match: a static rule with a trailing slash must
 * win over a converter rule without one. With Flask 3.1 / Werkzeug 3.1.8 and
 * rules "/d/<id_or_slug>" (GET) + "/d/export/" (GET), GET /d/export is a 308
 * redirect to /d/export/; Liteset matches <id_or_slug> = "export" instead
 * (ROUTE_FOUND). Superset has exactly this pair: /api/v1/dashboard/<id_or_slug>
 * and /api/v1/dashboard/export/. Likewise with "/e/<id_or_slug>" POST-only +
 * "/e/export/" GET, GET /e/export is a 308 in Werkzeug but 405 in Liteset.
 * Disabled until fixed. */
Test(router, static_slash_rule_beats_converter_without_slash) {
    add("GET", "/d/<id_or_slug>", h_a);
    add("GET", "/d/export/", h_a);
    add("POST", "/e/<id_or_slug>", h_a);
    add("GET", "/e/export/", h_a);
    cr_assert_eq(match("GET", "/d/export", NULL, NULL, NULL), ROUTE_REDIRECT_SLASH);
    cr_assert_eq(match("GET", "/e/export", NULL, NULL, NULL), ROUTE_REDIRECT_SLASH);
    /* Still found when no slash rule applies. */
    request_t *req;
    cr_assert_eq(match("GET", "/d/exports", NULL, &req, NULL), ROUTE_FOUND);
    cr_assert_str_eq(req_path_param(req, "id_or_slug"), "exports");
    cr_assert_eq(match("POST", "/e/export", NULL, &req, NULL), ROUTE_FOUND);
    cr_assert_str_eq(req_path_param(req, "id_or_slug"), "export");
}

/* Regression test (was a bug): fcgi/router.c router_match sets slash_redirect without checking the
 * method: with only "GET /g/<int:pk>/" registered, POST /g/5 is a 404 in
 * Werkzeug 3.1.8 (no rule accepts POST, so no redirect) but
 * ROUTE_REDIRECT_SLASH in Liteset. Disabled until fixed. */
Test(router, slash_redirect_requires_method_match) {
    add("GET", "/g/<int:pk>/", h_a);
    add("GET", "/api/v1/log/", h_a);
    cr_assert_eq(match("POST", "/g/5", NULL, NULL, NULL), ROUTE_NOT_FOUND);
    cr_assert_eq(match("POST", "/api/v1/log", NULL, NULL, NULL), ROUTE_NOT_FOUND);
}

Test(router, slash_requested_but_rule_without_is_not_found) {
    add("GET", "/api/v1/chart/_info", h_a);
    add("GET", "/health", h_a);
    cr_assert_eq(match("GET", "/api/v1/chart/_info/", NULL, NULL, NULL), ROUTE_NOT_FOUND);
    cr_assert_eq(match("GET", "/health/", NULL, NULL, NULL), ROUTE_NOT_FOUND);
    cr_assert_eq(match("GET", "/health", NULL, NULL, NULL), ROUTE_FOUND);
}

Test(router, root_route) {
    add("GET", "/", h_a);
    const char *pat;
    cr_assert_eq(match("GET", "/", &pat, NULL, NULL), ROUTE_FOUND);
    cr_assert_str_eq(pat, "/");
    cr_assert_eq(match("GET", "/x", NULL, NULL, NULL), ROUTE_NOT_FOUND);
}

Test(router, wrong_method_gives_allowed_set) {
    add("GET", "/api/v1/chart/<int:pk>", h_a);
    add("PUT,DELETE", "/api/v1/chart/<int:pk>", h_b);
    unsigned allowed;
    const char *pat;
    cr_assert_eq(match("POST", "/api/v1/chart/5", NULL, NULL, &allowed), ROUTE_METHOD_NOT_ALLOWED);
    cr_assert_eq(allowed, M_GET | M_HEAD | M_OPTIONS | M_PUT | M_DELETE);
    cr_assert_str_eq(methods_format(A, allowed), "DELETE, GET, HEAD, OPTIONS, PUT");

    route_result_t r = match("PUT", "/api/v1/chart/5", &pat, NULL, NULL);
    cr_assert_eq(r, ROUTE_FOUND);
    request_t *req = mkreq("DELETE", "/api/v1/chart/5");
    const route_def_t *def;
    cr_assert_eq(router_match(R, req, &def, &allowed), ROUTE_FOUND);
    cr_assert_eq(def->handler, h_b);
    req = mkreq("GET", "/api/v1/chart/5");
    cr_assert_eq(router_match(R, req, &def, &allowed), ROUTE_FOUND);
    cr_assert_eq(def->handler, h_a);
    /* HEAD is served by GET rules, OPTIONS by every rule. */
    cr_assert_eq(match("HEAD", "/api/v1/chart/5", NULL, NULL, NULL), ROUTE_FOUND);
    cr_assert_eq(match("OPTIONS", "/api/v1/chart/5", NULL, NULL, NULL), ROUTE_FOUND);
    /* Unknown methods get 405 too. */
    cr_assert_eq(match("BREW", "/api/v1/chart/5", NULL, NULL, &allowed), ROUTE_METHOD_NOT_ALLOWED);
    cr_assert_eq(allowed, M_GET | M_HEAD | M_OPTIONS | M_PUT | M_DELETE);
}

Test(router, post_only_rule_has_no_head) {
    add("POST", "/api/v1/chart/data", h_a);
    unsigned allowed;
    cr_assert_eq(match("GET", "/api/v1/chart/data", NULL, NULL, &allowed), ROUTE_METHOD_NOT_ALLOWED);
    cr_assert_eq(allowed, M_POST | M_OPTIONS);
    cr_assert_str_eq(methods_format(A, allowed), "OPTIONS, POST");
    cr_assert_eq(match("HEAD", "/api/v1/chart/data", NULL, NULL, NULL), ROUTE_METHOD_NOT_ALLOWED);
}

Test(router, method_mismatch_falls_through_to_next_candidate) {
    /* Werkzeug: POST /a/5 skips the GET-only int rule and takes the string rule. */
    add("GET", "/a/<int:id>", h_a);
    add("POST", "/a/<name>", h_b);
    const char *pat;
    request_t *req;
    cr_assert_eq(match("POST", "/a/5", &pat, &req, NULL), ROUTE_FOUND);
    cr_assert_str_eq(pat, "/a/<name>");
    cr_assert_str_eq(req_path_param(req, "name"), "5");
    cr_assert_eq(match("GET", "/a/5", &pat, NULL, NULL), ROUTE_FOUND);
    cr_assert_str_eq(pat, "/a/<int:id>");
    unsigned allowed;
    cr_assert_eq(match("GET", "/a/xyz", NULL, NULL, &allowed), ROUTE_METHOD_NOT_ALLOWED);
    cr_assert_eq(allowed, M_POST | M_OPTIONS);
}

Test(router, methods_format_output) {
    cr_assert_str_eq(methods_format(A, M_GET | M_HEAD | M_OPTIONS), "GET, HEAD, OPTIONS");
    cr_assert_str_eq(methods_format(A, 0), "");
    cr_assert_str_eq(methods_format(A, M_PATCH), "PATCH");
    cr_assert_str_eq(methods_format(A, M_GET | M_HEAD | M_POST | M_PUT | M_DELETE | M_PATCH | M_OPTIONS),
                     "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT");
}

Test(router, method_bit_values) {
    cr_assert_eq(method_bit("GET"), M_GET);
    cr_assert_eq(method_bit("HEAD"), M_HEAD);
    cr_assert_eq(method_bit("POST"), M_POST);
    cr_assert_eq(method_bit("PUT"), M_PUT);
    cr_assert_eq(method_bit("DELETE"), M_DELETE);
    cr_assert_eq(method_bit("PATCH"), M_PATCH);
    cr_assert_eq(method_bit("OPTIONS"), M_OPTIONS);
    cr_assert_eq(method_bit("get"), 0, "HTTP methods are case-sensitive");
    cr_assert_eq(method_bit(""), 0);
    cr_assert_eq(method_bit("TRACE"), 0);
}

static bool try_add(const char *methods, const char *pattern, route_handler_fn h, const char *perm,
                    const char *view, const char **err) {
    route_def_t *d = arena_calloc(A, 1, sizeof *d);
    d->methods = methods;
    d->pattern = pattern;
    d->handler = h;
    d->guard.permission = perm;
    d->guard.view_menu = view;
    *err = NULL;
    return router_add(R, d, err);
}

Test(router, add_validation) {
    const char *err;
    cr_assert(try_add("GET", "/ok", h_a, GUARD_PUBLIC_NAME, NULL, &err));
    cr_assert(try_add("GET", "/ok2", h_a, "can_read", "Chart", &err));
    cr_assert_eq(router_count(R), 2);

    struct {
        const char *methods, *pattern, *perm, *view;
        route_handler_fn h;
        const char *why;
    } bad[] = {
        {"GET", "/x", NULL, NULL, h_a, "no guard"},
        {"GET", "/x", "", NULL, h_a, "empty permission"},
        {"GET", "/x", "can_read", NULL, h_a, "permission without view menu"},
        {"GET", "/x", GUARD_PUBLIC_NAME, NULL, NULL, "no handler"},
        {"FETCH", "/x", GUARD_PUBLIC_NAME, NULL, h_a, "unknown method"},
        {"get", "/x", GUARD_PUBLIC_NAME, NULL, h_a, "lower-case method"},
        {"GET,,POST", "/x", GUARD_PUBLIC_NAME, NULL, h_a, "empty method in list"},
        {"GET", "/x/<int:>", GUARD_PUBLIC_NAME, NULL, h_a, "converter without name"},
        {"GET", "/x/<>", GUARD_PUBLIC_NAME, NULL, h_a, "empty placeholder"},
        {"GET", "/x/<uuid:id>", GUARD_PUBLIC_NAME, NULL, h_a, "unknown converter"},
        {"GET", "/x/<foo:id>", GUARD_PUBLIC_NAME, NULL, h_a, "unknown converter"},
        {"GET", "/x/a<id>", GUARD_PUBLIC_NAME, NULL, h_a, "placeholder inside static text"},
        {"GET", "/x/<id", GUARD_PUBLIC_NAME, NULL, h_a, "unclosed placeholder"},
        {"GET", "x", GUARD_PUBLIC_NAME, NULL, h_a, "no leading slash"},
        {"GET", "", GUARD_PUBLIC_NAME, NULL, h_a, "empty pattern"},
        {"GET", "/a//b", GUARD_PUBLIC_NAME, NULL, h_a, "empty segment"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_not(try_add(bad[i].methods, bad[i].pattern, bad[i].h, bad[i].perm, bad[i].view, &err),
                      "accepted: %s (%s %s)", bad[i].why, bad[i].methods, bad[i].pattern);
        cr_assert_not_null(err, "no error message for: %s", bad[i].why);
        cr_assert_gt(strlen(err), 0);
    }
    cr_assert_eq(router_count(R), 2, "failed adds must not register anything");
    cr_assert_str_eq(router_get(R, 0)->pattern, "/ok");
    cr_assert_str_eq(router_get(R, 1)->pattern, "/ok2");
    cr_assert_null(router_get(R, 2));
}

/* Regression test (was a bug): fcgi/router.c parse_methods ends with `return *out != 0`
 * after OR-ing M_OPTIONS in, so the check can never fail: a route with an
 * empty method list "" (answering only OPTIONS) or a trailing comma "GET,"
 * is accepted although router.h promises failure on a bad method list.
 * Disabled until fixed. */
Test(router, add_rejects_empty_method_list) {
    const char *err;
    cr_assert_not(try_add("", "/x", h_a, GUARD_PUBLIC_NAME, NULL, &err));
    cr_assert_not(try_add("GET,", "/y", h_a, GUARD_PUBLIC_NAME, NULL, &err));
    cr_assert_eq(router_count(R), 0);
}

Test(router, double_slashes_not_found) {
    add_chart_routes();
    cr_assert_eq(match("GET", "/api/v1//chart/5", NULL, NULL, NULL), ROUTE_NOT_FOUND);
    cr_assert_eq(match("GET", "//api/v1/chart/5", NULL, NULL, NULL), ROUTE_NOT_FOUND);
    cr_assert_eq(match("GET", "/api/v1/chart//", NULL, NULL, NULL), ROUTE_NOT_FOUND);
}

Test(router, unknown_paths_not_found) {
    add_chart_routes();
    unsigned allowed;
    cr_assert_eq(match("GET", "/api/v1/dashboard/1", NULL, NULL, &allowed), ROUTE_NOT_FOUND);
    cr_assert_eq(allowed, 0);
    cr_assert_eq(match("GET", "/api/v1/chart/1/extra", NULL, NULL, NULL), ROUTE_NOT_FOUND);
    cr_assert_eq(match("GET", "/api/v1", NULL, NULL, NULL), ROUTE_NOT_FOUND);
    cr_assert_eq(match("GET", "/API/v1/chart/1", NULL, NULL, NULL), ROUTE_NOT_FOUND, "paths are case-sensitive");
}

Test(router, first_registered_wins_for_identical_rules) {
    add("GET", "/dup/<int:pk>", h_a);
    add("GET", "/dup/<int:pk>", h_b);
    request_t *req = mkreq("GET", "/dup/3");
    const route_def_t *def;
    unsigned allowed;
    cr_assert_eq(router_match(R, req, &def, &allowed), ROUTE_FOUND);
    cr_assert_eq(def->handler, h_a);
    cr_assert_eq(def, router_get(R, 0));
}

Test(router, many_params_and_deep_paths) {
    add("GET", "/a/<int:p1>/<p2>/<int:p3>/<p4>/<int:p5>/<p6>", h_a);
    request_t *req;
    cr_assert_eq(match("GET", "/a/1/two/3/four/5/six", NULL, &req, NULL), ROUTE_FOUND);
    cr_assert_eq(req->n_path_params, 6);
    cr_assert_eq(req_path_int(req, "p1"), 1);
    cr_assert_str_eq(req_path_param(req, "p2"), "two");
    cr_assert_eq(req_path_int(req, "p3"), 3);
    cr_assert_str_eq(req_path_param(req, "p4"), "four");
    cr_assert_eq(req_path_int(req, "p5"), 5);
    cr_assert_str_eq(req_path_param(req, "p6"), "six");
    /* A very long path with many segments is simply not found. */
    char longp[400];
    size_t n = 0;
    for (int i = 0; i < 60; i++) n += (size_t)snprintf(longp + n, sizeof longp - n, "/s");
    cr_assert_eq(match("GET", longp, NULL, NULL, NULL), ROUTE_NOT_FOUND);
}

static void add_table_checked(const route_table_t *t) {
    const char *err = NULL;
    size_t before = router_count(R);
    cr_assert(router_add_table(R, t->routes, t->count, &err), "table rejected: %s", err ? err : "?");
    cr_assert_eq(router_count(R), before + t->count);
    for (size_t i = 0; i < t->count; i++) {
        const route_def_t *d = &t->routes[i];
        cr_assert_not_null(d->guard.permission, "%s has no guard", d->pattern);
        /* Every static route answers its own path with its first method. */
        if (!strchr(d->pattern, '<')) {
            char method[16];
            size_t ml = strcspn(d->methods, ",");
            cr_assert_lt(ml, sizeof method);
            memcpy(method, d->methods, ml);
            method[ml] = '\0';
            request_t *req = mkreq(arena_strdup(A, method), d->pattern);
            const route_def_t *found;
            unsigned allowed;
            cr_assert_eq(router_match(R, req, &found, &allowed), ROUTE_FOUND, "%s %s", method, d->pattern);
            cr_assert_eq(found, d);
        }
    }
}

Test(router, app_tables_are_all_guarded) {
    const route_table_t *tables[] = {&health_routes, &dev_routes, &security_routes, &me_routes, &auth_view_routes};
    size_t total = 0;
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        cr_assert_gt(tables[i]->count, 0);
        add_table_checked(tables[i]);
        total += tables[i]->count;
    }
    cr_assert_eq(router_count(R), total);
    cr_assert_null(health_routes.enabled_by);
    cr_assert_str_eq(dev_routes.enabled_by, "LITESET_DEV_ROUTES");
}

Test(router, add_table_stops_at_first_bad_route) {
    static const route_def_t defs[] = {
        {.methods = "GET", .pattern = "/one", .handler = h_a, .guard = GUARD_PUBLIC},
        {.methods = "GET", .pattern = "/two", .handler = h_a, .guard = {NULL, NULL}},
        {.methods = "GET", .pattern = "/three", .handler = h_a, .guard = GUARD_PUBLIC},
    };
    const char *err = NULL;
    cr_assert_not(router_add_table(R, defs, 3, &err));
    cr_assert_not_null(err);
    cr_assert_eq(router_count(R), 1);
}

Test(router, free_null_and_empty_router) {
    router_free(NULL);
    unsigned allowed;
    cr_assert_eq(match("GET", "/", NULL, NULL, &allowed), ROUTE_NOT_FOUND);
    cr_assert_eq(router_count(R), 0);
}
