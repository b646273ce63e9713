/* Server-rendered pages through nginx: every SPA route's status and
 * redirect for anonymous clients (Flask-AppBuilder's @has_access redirect
 * with an absolute next=, Superset's redirect_to_login with a relative one),
 * the HTML shell built from a fixture Superset static directory (element
 * ids, bundles, CSP nonce on every script, no-cache on /login/), bootstrap
 * payloads compared with the reference's recorded login and welcome pages,
 * flash messages consumed by the next page, hostile values escaped, the
 * menu API, locale switching, language packs, POST /superset/log/ rows, and
 * the help page shown when no Superset frontend is configured.
 *
 * The fixture directory is made by each test and the stack's
 * superset_config.py is extended with LITESET_STATIC_DIR, the workers are
 * sent SIGHUP, and the original file is restored (and HUP'ed) afterwards. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <libpq-fe.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include "tests/integration/harness.h"
#include "tests/integration/rest_client.h"

/* ---- stack configuration ---- */

static bool configured;
static char fixture[256];

/* The stack's config with extra lines (NULL: as it was), workers reloaded. */
static void write_config(const char *extra) {
    configured = extra != NULL;
    rest_config(extra);
}

static void write_file(const char *rel, const char *text) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", fixture, rel);
    for (char *p = path + strlen(fixture) + 1; (p = strchr(p, '/')); p++) {
        *p = '\0';
        mkdir(path, 0755);
        *p = '/';
    }
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

static const char *MANIFEST =
    "{\"app\": \"superset\", \"entrypoints\": {"
    "\"preamble\": {\"css\": [], \"js\": [\"/static/assets/preamble.11.entry.js\"]},"
    "\"theme\": {\"css\": [], \"js\": [\"/static/assets/7000.22.chunk.js\", \"/static/assets/theme.33.entry.js\"]},"
    "\"menu\": {\"css\": [], \"js\": [\"/static/assets/menu.44.entry.js\"]},"
    "\"spa\": {\"css\": [\"/static/assets/spa.55.entry.css\"], \"js\": [\"/static/assets/7000.22.chunk.js\","
    " \"/static/assets/8000.66.chunk.js\", \"/static/assets/spa.55.entry.js\"]},"
    "\"embedded\": {\"css\": [], \"js\": [\"/static/assets/7000.22.chunk.js\","
    " \"/static/assets/embedded.77.entry.js\"]}}}";

static const char *FR_PACK = "{\"domain\": \"superset\", \"locale_data\": {\"superset\": {\"\": {\"domain\": \"superset\","
                             " \"plural_forms\": \"nplurals=2; plural=(n > 1);\", \"lang\": \"fr\"},"
                             " \"Dashboards\": [\"Tableaux de bord\"], \"Access is Denied\": [\"Acc\\u00e8s refus\\u00e9\"]}}}";

static void make_fixture(bool with_manifest) {
    const char *tmp = getenv("TMPDIR");
    snprintf(fixture, sizeof fixture, "%s/liteset_pages_XXXXXX", tmp && *tmp ? tmp : "/tmp");
    cr_assert_not_null(mkdtemp(fixture));
    chmod(fixture, 0755);
    write_file("superset/static/version_info.json", "{\"version\": \"6.0.0\", \"GIT_SHA\": \"6a1c30e5e7c3e28d05\"}");
    write_file("superset/translations/fr/LC_MESSAGES/messages.json", FR_PACK);
    if (with_manifest) write_file("superset/static/assets/manifest.json", MANIFEST);
}

static void use_fixture(const char *more) {
    size_t n = strlen(more ? more : "") + 512;
    char *extra = malloc(n);
    snprintf(extra, n, "LITESET_STATIC_DIR = '%s/superset/static'\n%s", fixture, more ? more : "");
    write_config(extra);
    free(extra);
}

static void setup_frontend(void) {
    make_fixture(true);
    use_fixture(NULL);
}

static void setup_nobundle(void) {
    make_fixture(false);
    use_fixture(NULL);
}

static void restore(void) {
    if (configured) write_config(NULL);
    if (fixture[0]) {
        char cmd[400];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", fixture);
        if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", fixture);
    }
}

/* ---- HTTP helpers ---- */

/* GET/POST with an optional session cookie; updates *cookie from Set-Cookie. */
static http_response_t *call(const char *method, const char *path, char **cookie, const char *const *more,
                             const char *body) {
    const char *hdrs[12];
    int n = 0;
    char cookie_hdr[8192];
    if (cookie && *cookie) {
        snprintf(cookie_hdr, sizeof cookie_hdr, "Cookie: session=%s", *cookie);
        hdrs[n++] = cookie_hdr;
    }
    for (const char *const *m = more; m && *m && n < 10; m++) hdrs[n++] = *m;
    hdrs[n] = NULL;
    http_response_t *r = http_request(method, path, hdrs, body, body ? strlen(body) : 0);
    cr_assert_not_null(r, "%s %s: no response", method, path);
    for (int i = 0; cookie && i < r->nheaders; i++) {
        if (strcasecmp(r->headers[i].name, "Set-Cookie") || strncmp(r->headers[i].value, "session=", 8)) continue;
        free(*cookie);
        *cookie = strndup(r->headers[i].value + 8, strcspn(r->headers[i].value + 8, ";"));
    }
    return r;
}

static http_response_t *get(const char *path, char **cookie) { return call("GET", path, cookie, NULL, NULL); }

/* call() answered with status want. */
static http_response_t *call_expect(const char *method, const char *path, char **cookie, const char *const *more,
                                    const char *body, int want) {
    http_response_t *r = call(method, path, cookie, more, body);
    cr_assert_eq(r->status, want, "%s %s: %d, expected %d: %.200s", method, path, r->status, want, r->body);
    return r;
}

static http_response_t *get_expect(const char *path, char **cookie, int want) {
    return call_expect("GET", path, cookie, NULL, NULL, want);
}

/* Reverses the shell's attribute escaping and parses the JSON. */
static json_t *parse_bootstrap(const char *html) {
    const char *start = strstr(html, "data-bootstrap=\"");
    cr_assert_not_null(start, "no data-bootstrap in page");
    start += 16;
    const char *end = strchr(start, '"');
    cr_assert_not_null(end);
    char *text = malloc((size_t)(end - start) + 1);
    size_t k = 0;
    for (const char *p = start; p < end;) {
        static const struct {
            const char *e;
            char c;
        } m[] = {{"&#34;", '"'}, {"&#39;", '\''}, {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}};
        bool hit = false;
        for (size_t i = 0; i < 5 && !hit; i++) {
            size_t l = strlen(m[i].e);
            if (!strncmp(p, m[i].e, l)) {
                text[k++] = m[i].c;
                p += l;
                hit = true;
            }
        }
        if (!hit) text[k++] = *p++;
    }
    text[k] = '\0';
    json_error_t err;
    json_t *j = json_loads(text, 0, &err);
    cr_assert_not_null(j, "bootstrap is not JSON: %s", err.text);
    free(text);
    return j;
}

static json_t *golden_bootstrap(const char *file) {
    char path[512];
    snprintf(path, sizeof path, "%s/reference/golden-http/%s", harness_env("LITESET_SHARED"), file);
    char *text = harness_read_file(path, NULL);
    json_t *j = parse_bootstrap(text);
    free(text);
    return j;
}

/* Same keys, same order (recursively into the objects named in deep). */
static void assert_same_keys(const json_t *ours, const json_t *ref, const char *where) {
    cr_assert(json_is_object(ours) && json_is_object(ref), "%s: not objects", where);
    const char *k;
    const json_t *v;
    size_t i = 0;
    void *it = json_object_iter((json_t *)ours);
    json_object_foreach((json_t *)ref, k, v) {
        cr_assert_not_null(it, "%s: missing key %s", where, k);
        cr_assert_str_eq(json_object_iter_key(it), k, "%s: key %zu", where, i);
        it = json_object_iter_next((json_t *)ours, it);
        i++;
    }
    cr_assert_null(it, "%s: extra key %s", where, it ? json_object_iter_key(it) : "");
}

static const char *location(const http_response_t *r) {
    const char *l = http_header(r, "Location");
    return l ? l : "(none)";
}

/* The CSP header's nonce. */
static char *csp_nonce(const http_response_t *r) {
    const char *csp = http_header(r, "Content-Security-Policy");
    cr_assert_not_null(csp);
    const char *n = strstr(csp, "'nonce-");
    cr_assert_not_null(n);
    n += 7;
    return strndup(n, strcspn(n, "'"));
}

static size_t count(const char *hay, const char *needle) {
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle)) n++;
    return n;
}

/* Form login with the CSRF token the login page carries. */
static char *login(const char *user, const char *password) {
    char *cookie = NULL;
    http_response_t *r = get_expect("/login/", &cookie, 200);
    const char *v = strstr(r->body, "id=\"csrf_token\" value=\"");
    cr_assert_not_null(v, "login page without a CSRF token");
    v += strlen("id=\"csrf_token\" value=\"");
    char *token = strndup(v, strcspn(v, "\""));
    http_free(r);
    char body[1024];
    snprintf(body, sizeof body, "username=%s&password=%s&csrf_token=%s", user, password, token);
    const char *const ct[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
    r = call_expect("POST", "/login/", &cookie, ct, body, 302);
    cr_assert_str_eq(location(r), "/");
    http_free(r);
    free(token);
    return cookie;
}

static PGconn *db(void) {
    char conninfo[512];
    snprintf(conninfo, sizeof conninfo, "host=%s port=%s user=%s dbname=%s", harness_env("LITESET_TEST_PGHOST"),
             harness_env("LITESET_TEST_PGPORT"), harness_env("LITESET_TEST_PGUSER"), harness_env("LITESET_TEST_DB"));
    PGconn *pg = PQconnectdb(conninfo);
    cr_assert_eq(PQstatus(pg), CONNECTION_OK, "%s", PQerrorMessage(pg));
    return pg;
}

/* Runs SQL returning one value (or none); the text is malloc'd. */
static char *sql_value(const char *sql, int nparams, const char *const *params) {
    PGconn *pg = db();
    PGresult *r = PQexecParams(pg, sql, nparams, NULL, params, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(r);
    cr_assert(st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK, "%s: %s", sql, PQerrorMessage(pg));
    char *out = st == PGRES_TUPLES_OK && PQntuples(r) > 0 ? strdup(PQgetvalue(r, 0, 0)) : NULL;
    PQclear(r);
    PQfinish(pg);
    return out;
}

/* ======================================================================
 * Anonymous clients: statuses and redirects (whatever the frontend state)
 * ====================================================================== */

TestSuite(pages);

Test(pages, anonymous_routes) {
    static const struct {
        const char *method, *path;
        int status;
        const char *location;
    } cases[] = {
        {"GET", "/", 302, "/superset/welcome/"},
        {"GET", "/superset/welcome/", 302, "/login/?next=%2Fsuperset%2Fwelcome%2F"},
        {"GET", "/superset/welcome/?x=1&y=a%20b", 302, "/login/?next=%2Fsuperset%2Fwelcome%2F%3Fx%3D1%26y%3Da%2520b"},
        {"GET", "/superset/welcome", 308, "/superset/welcome/"},
        {"GET", "/dashboard/list/", 302, "/login/?next=http://127.0.0.1/dashboard/list/"},
        {"GET", "/chart/list/?a=1&b=x%20y", 302, "/login/?next=http://127.0.0.1/chart/list/?a%3D1%26b%3Dx+y"},
        {"GET", "/chart/add", 302, "/login/?next=http://127.0.0.1/chart/add"},
        {"GET", "/chart/add/", 404, NULL},
        {"GET", "/tablemodelview/list/", 302, "/login/?next=http://127.0.0.1/tablemodelview/list/"},
        {"GET", "/dataset/add/", 302, "/login/?next=http://127.0.0.1/dataset/add/"},
        {"GET", "/dataset/3", 302, "/login/?next=http://127.0.0.1/dataset/3"},
        {"GET", "/databaseview/list/", 302, "/login/?next=http://127.0.0.1/databaseview/list/"},
        {"GET", "/savedqueryview/list/", 302, "/login/?next=http://127.0.0.1/savedqueryview/list/"},
        {"GET", "/csstemplatemodelview/list/", 302, "/login/?next=http://127.0.0.1/csstemplatemodelview/list/"},
        {"GET", "/theme/list/", 302, "/login/?next=http://127.0.0.1/theme/list/"},
        {"GET", "/annotationlayer/list/", 302, "/login/?next=http://127.0.0.1/annotationlayer/list/"},
        {"GET", "/annotationlayer/4/annotation", 302, "/login/?next=http://127.0.0.1/annotationlayer/4/annotation"},
        {"GET", "/annotationlayer/4/annotation/", 404, NULL},
        {"GET", "/rowlevelsecurity/list", 308, "/rowlevelsecurity/list/"},
        {"GET", "/rowlevelsecurity/list/", 302, "/login/?next=http://127.0.0.1/rowlevelsecurity/list/"},
        {"GET", "/alert/list/", 302, "/login/?next=http://127.0.0.1/alert/list/"},
        {"GET", "/report/7/log/", 302, "/login/?next=http://127.0.0.1/report/7/log/"},
        {"GET", "/superset/tags/", 302, "/login/?next=http://127.0.0.1/superset/tags/"},
        {"GET", "/superset/all_entities/", 302, "/login/?next=http://127.0.0.1/superset/all_entities/"},
        {"GET", "/roles/", 302, "/login/?next=http://127.0.0.1/roles/"},
        {"GET", "/users/", 302, "/login/?next=http://127.0.0.1/users/"},
        {"GET", "/list_groups/", 302, "/login/?next=http://127.0.0.1/list_groups/"},
        {"GET", "/registrations/", 302, "/login/?next=http://127.0.0.1/registrations/"},
        {"GET", "/actionlog/list", 302, "/login/?next=http://127.0.0.1/actionlog/list"},
        {"GET", "/actionlog/list/", 404, NULL},
        {"GET", "/user_info/", 302, "/login/?next=http://127.0.0.1/user_info/"},
        {"GET", "/explore/", 302, "/login/?next=http://127.0.0.1/explore/"},
        {"GET", "/explore", 308, "/explore/"},
        {"GET", "/superset/explore/p/abc/", 302, "/login/?next=http://127.0.0.1/superset/explore/p/abc/"},
        {"GET", "/superset/explore/", 302, "/login/?next=http://127.0.0.1/superset/explore/"},
        {"GET", "/sqllab/", 302, "/login/?next=http://127.0.0.1/sqllab/"},
        {"GET", "/sqllab/p/xyz/", 302, "/login/?next=http://127.0.0.1/sqllab/p/xyz/"},
        {"GET", "/sqllab/history/", 302, "/login/?next=http://127.0.0.1/sqllab/history/"},
        {"GET", "/superset/sqllab/history/", 302, "/login/?next=http://127.0.0.1/superset/sqllab/history/"},
        {"GET", "/superset/dashboard/1/", 302, "/login/?next=http://127.0.0.1/superset/dashboard/1/"},
        {"GET", "/superset/slice/1/", 302, "/login/?next=http://127.0.0.1/superset/slice/1/"},
        {"GET", "/dashboard/new/", 302, "/login/?next=http://127.0.0.1/dashboard/new/"},
        {"GET", "/dashboard/1/embedded", 404, NULL},
        {"GET", "/embedded/0b7f7b1e-9a5c-4f35-a6f9-0e4b8f1c2d3e", 404, NULL},
        {"GET", "/superset/language_pack/en/", 302, "/login/?next=http://127.0.0.1/superset/language_pack/en/"},
        {"GET", "/lang/en", 302, "/"},
        {"GET", "/lang/zz", 404, NULL},
        {"GET", "/register/activation/nosuchhash", 302, "/"},
        {"GET", "/login/", 200, NULL},
        {"GET", "/register/", 200, NULL},
        {"POST", "/superset/log/", 302, "/login/?next=http://127.0.0.1/superset/log/"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        http_response_t *r = http_request(cases[i].method, cases[i].path, NULL, "", 0);
        cr_assert_not_null(r);
        cr_expect_eq(r->status, cases[i].status, "%s %s: %d, expected %d", cases[i].method, cases[i].path, r->status,
                     cases[i].status);
        if (cases[i].location)
            cr_expect_str_eq(location(r), cases[i].location, "%s %s", cases[i].method, cases[i].path);
        http_free(r);
    }
}

Test(pages, access_denied_flash_is_shown_then_consumed) {
    char *cookie = NULL;
    http_response_t *r = get_expect("/chart/list/", &cookie, 302);
    cr_assert_not_null(cookie, "the flash lives in the session cookie");
    http_free(r);
    /* /login/ shows it (shell or help page: the flash is consumed either way) */
    r = get_expect("/login/", &cookie, 200);
    cr_assert_str_eq(http_header(r, "Cache-Control"), "no-store, no-cache, must-revalidate, max-age=0");
    cr_assert_str_eq(http_header(r, "Pragma"), "no-cache");
    cr_assert_str_eq(http_header(r, "Expires"), "0");
    if (strstr(r->body, "data-bootstrap=")) {
        json_t *b = parse_bootstrap(r->body);
        json_t *flashes = json_object_get(json_object_get(b, "common"), "flash_messages");
        cr_assert_eq(json_array_size(flashes), 1);
        cr_assert_str_eq(json_string_value(json_array_get(json_array_get(flashes, 0), 0)), "danger");
        cr_assert_str_eq(json_string_value(json_array_get(json_array_get(flashes, 0), 1)), "Access is Denied");
        json_decref(b);
    }
    http_free(r);
    /* the session no longer holds it: the JSON payload of the cookie lost _flashes */
    cr_assert_null(strstr(cookie, "X2ZsYXNoZX"), "cookie still carries _flashes");
    free(cookie);
}

Test(pages, menu_api_needs_login) {
    http_response_t *r = get_expect("/api/v1/menu/", NULL, 401);
    http_free(r);
}

/* ======================================================================
 * With a Superset frontend (fixture static directory)
 * ====================================================================== */

TestSuite(pages_frontend, .init = setup_frontend, .fini = restore, .timeout = 120);

Test(pages_frontend, login_page_shell_matches_reference) {
    http_response_t *r = get_expect("/login/", NULL, 200);
    cr_assert_str_eq(http_header(r, "Content-Type"), "text/html; charset=utf-8");
    cr_assert_str_eq(http_header(r, "Cache-Control"), "no-store, no-cache, must-revalidate, max-age=0");
    const char *html = r->body;
    cr_assert(!strncmp(html, "<!DOCTYPE html>", 15));
    cr_assert(strstr(html, "<div id=\"app\" data-bootstrap=\""));
    cr_assert(strstr(html, "<input type=\"hidden\" name=\"csrf_token\" id=\"csrf_token\" value=\"I"));
    cr_assert(strstr(html, "src=\"/static/assets/images/loading.gif\""));
    cr_assert(strstr(html, "<link rel=\"icon\" type=\"image/png\" href=\"/static/assets/images/favicon.png\"/>"));
    /* the nonce of every script is the header's */
    char *nonce = csp_nonce(r);
    char attr[128];
    snprintf(attr, sizeof attr, "nonce=\"%s\"", nonce);
    cr_assert_eq(count(html, "<script"), 5);
    cr_assert_eq(count(html, attr), 5, "every script carries the CSP nonce");
    /* theme bundle in head, the shared chunk once, spa entry last */
    const char *a = strstr(html, "/static/assets/7000.22.chunk.js"), *b = strstr(html, "/static/assets/theme.33.entry.js");
    const char *c = strstr(html, "/static/assets/8000.66.chunk.js"), *d = strstr(html, "/static/assets/spa.55.entry.js");
    const char *head_end = strstr(html, "</head>");
    cr_assert(a && b && c && d && a < b && b < head_end && head_end < c && c < d);
    cr_assert_eq(count(html, "7000.22.chunk.js"), 1);
    cr_assert_null(strstr(html, "preamble.11"));

    json_t *ours = parse_bootstrap(html);
    json_t *ref = golden_bootstrap("19-login-form-get.txt");
    assert_same_keys(ours, ref, "payload");
    assert_same_keys(json_object_get(ours, "user"), json_object_get(ref, "user"), "user");
    json_t *oc = json_object_get(ours, "common"), *rc = json_object_get(ref, "common");
    assert_same_keys(oc, rc, "common");
    assert_same_keys(json_object_get(oc, "conf"), json_object_get(rc, "conf"), "common.conf");
    assert_same_keys(json_object_get(oc, "feature_flags"), json_object_get(rc, "feature_flags"), "feature_flags");
    json_t *om = json_object_get(oc, "menu_data"), *rm = json_object_get(rc, "menu_data");
    assert_same_keys(om, rm, "menu_data");
    assert_same_keys(json_object_get(om, "navbar_right"), json_object_get(rm, "navbar_right"), "navbar_right");
    assert_same_keys(json_object_get(om, "brand"), json_object_get(rm, "brand"), "brand");
    assert_same_keys(json_object_get(oc, "theme"), json_object_get(rc, "theme"), "theme");
    /* values that are not per-request or per-installation are the reference's */
    static const char *const same[] = {"conf", "feature_flags", "theme", "locale", "currencies", "d3_format",
                                       "application_root", "static_assets_prefix", "deckgl_tiles"};
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
        cr_assert(json_equal(json_object_get(oc, same[i]), json_object_get(rc, same[i])), "common.%s differs", same[i]);
    cr_assert(json_equal(json_object_get(ours, "user"), json_object_get(ref, "user")), "anonymous user payload");
    cr_assert(json_equal(json_object_get(om, "brand"), json_object_get(rm, "brand")));
    cr_assert(json_equal(json_object_get(om, "menu"), json_object_get(rm, "menu")));
    /* installation facts come from the fixture's version_info.json */
    json_t *nr = json_object_get(om, "navbar_right");
    cr_assert_str_eq(json_string_value(json_object_get(nr, "version_string")), "6.0.0");
    cr_assert_str_eq(json_string_value(json_object_get(nr, "version_sha")), "6a1c30e5");
    json_decref(ours);
    json_decref(ref);
    free(nonce);
    http_free(r);
}

Test(pages_frontend, admin_welcome_matches_reference) {
    char *cookie = login("admin", "admin");
    http_response_t *r = get_expect("/login/", &cookie, 302);
    cr_assert_str_eq(location(r), "/");
    cr_assert_str_eq(http_header(r, "Cache-Control"), "no-store, no-cache, must-revalidate, max-age=0");
    http_free(r);
    r = get_expect("/superset/welcome/", &cookie, 200);
    cr_assert_null(http_header(r, "Cache-Control"));
    json_t *ours = parse_bootstrap(r->body);
    json_t *ref = golden_bootstrap("26-welcome-session.txt");
    json_t *ou = json_object_get(ours, "user"), *ru = json_object_get(ref, "user");
    assert_same_keys(ou, ru, "user");
    cr_assert_str_eq(json_string_value(json_object_get(ou, "username")), "admin");
    cr_assert(json_is_integer(json_object_get(ou, "userId")));
    cr_assert(json_is_true(json_object_get(ou, "isActive")));
    cr_assert(json_is_false(json_object_get(ou, "isAnonymous")));
    /* the Admin role's grants: the same set as the reference after `superset init` */
    json_t *ours_admin = json_object_get(json_object_get(ou, "roles"), "Admin");
    json_t *ref_admin = json_object_get(json_object_get(ru, "roles"), "Admin");
    cr_assert_eq(json_array_size(ours_admin), json_array_size(ref_admin));
    size_t i, k;
    json_t *pair, *other;
    json_array_foreach(ref_admin, i, pair) {
        bool found = false;
        json_array_foreach(ours_admin, k, other) if (json_equal(pair, other)) found = true;
        cr_assert(found, "Admin lacks [%s, %s]", json_string_value(json_array_get(pair, 0)),
                  json_string_value(json_array_get(pair, 1)));
    }
    json_t *oc = json_object_get(ours, "common"), *rc = json_object_get(ref, "common");
    assert_same_keys(oc, rc, "common");
    json_t *om = json_object_get(oc, "menu_data"), *rm = json_object_get(rc, "menu_data");
    cr_assert(json_equal(json_object_get(om, "menu"), json_object_get(rm, "menu")), "admin menu differs");
    cr_assert(json_is_false(json_object_get(json_object_get(om, "navbar_right"), "user_is_anonymous")));
    cr_assert(json_is_array(json_object_get(oc, "flash_messages")));

    /* the menu API serves the same items */
    http_free(r);
    r = get_expect("/api/v1/menu/", &cookie, 200);
    json_t *api = json_loads(r->body, 0, NULL);
    cr_assert(json_equal(json_object_get(api, "result"), json_object_get(rm, "menu")));
    cr_assert(!strncmp(r->body, "{\"result\":[{\"childs\":[\"-\",", 26), "jsonify: sorted, compact: %.40s", r->body);
    json_decref(api);
    json_decref(ours);
    json_decref(ref);
    http_free(r);
    free(cookie);
}

Test(pages_frontend, admin_page_routes) {
    char *cookie = login("admin", "admin");
    static const char *const shells[] = {
        "/dashboard/list/", "/chart/list/", "/chart/add", "/tablemodelview/list/", "/dataset/add/",
        "/dataset/9?testing", "/databaseview/list/", "/savedqueryview/list/", "/csstemplatemodelview/list/",
        "/theme/list/", "/annotationlayer/list/", "/annotationlayer/2/annotation", "/rowlevelsecurity/list/",
        "/roles/", "/users/", "/list_groups/", "/registrations/", "/actionlog/list", "/user_info/", "/explore/",
        "/superset/explore/p/k3y/", "/sqllab/", "/sqllab/p/abc/", "/sqllab/history/", "/register/",
    };
    for (size_t i = 0; i < sizeof shells / sizeof shells[0]; i++) {
        http_response_t *r = get(shells[i], &cookie);
        cr_expect_eq(r->status, 200, "%s: %d", shells[i], r->status);
        cr_expect(strstr(r->body, "<div id=\"app\" data-bootstrap=") != NULL, "%s: not the shell", shells[i]);
        http_free(r);
    }
    static const struct {
        const char *path;
        int status;
        const char *location;
    } others[] = {
        {"/dataset/9", 302, "/"},
        {"/alert/list/", 404, NULL},
        {"/report/1/log/", 404, NULL},
        {"/superset/tags/", 404, NULL},
        {"/superset/all_entities/", 404, NULL},
        {"/superset/sqllab/history/", 302, "/sqllab/history/"},
        {"/superset/explore/?slice_id=3&x=%2F", 302, "/explore/?slice_id=3&x=%2F"},
        {"/superset/explore/table/12/", 302, "/explore/table/12/"},
        {"/superset/dashboard/2147483647/", 404, NULL},
        {"/superset/dashboard/no-such-slug/", 404, NULL},
        {"/superset/slice/2147483000/", 404, NULL},
    };
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        http_response_t *r = get(others[i].path, &cookie);
        cr_expect_eq(r->status, others[i].status, "%s: %d", others[i].path, r->status);
        if (others[i].location) cr_expect_str_eq(location(r), others[i].location, "%s", others[i].path);
        http_free(r);
    }
    /* SQL Lab's POSTed query reaches the bootstrap (CSRF token from the page) */
    http_response_t *r = get("/sqllab/", &cookie);
    const char *v = strstr(r->body, "id=\"csrf_token\" value=\"") + strlen("id=\"csrf_token\" value=\"");
    char *token = strndup(v, strcspn(v, "\""));
    http_free(r);
    char body[1024];
    snprintf(body, sizeof body, "csrf_token=%s&form_data=%%7B%%22sql%%22%%3A%%22SELECT+1%%22%%7D", token);
    const char *const ct[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
    r = call_expect("POST", "/sqllab/", &cookie, ct, body, 200);
    json_t *b = parse_bootstrap(r->body);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(b, "requested_query"), "sql")), "SELECT 1");
    json_decref(b);
    http_free(r);
    free(token);
    free(cookie);
}

Test(pages_frontend, dashboards_charts_and_hostile_values) {
    char *title_id = sql_value("INSERT INTO dashboards (dashboard_title, slug, published, uuid)"
                               " VALUES ('</title><script>alert(1)</script> & \"q\" ''s', 'spa-hostile-' ||"
                               " floor(random() * 1000000)::text, true, gen_random_uuid()) RETURNING id",
                               0, NULL);
    const char *p[] = {title_id};
    char *slug = sql_value("SELECT slug FROM dashboards WHERE id = $1::int", 1, p);
    char *cookie = login("admin", "admin");
    char path[256];
    snprintf(path, sizeof path, "/superset/dashboard/%s/?standalone=1", title_id);
    http_response_t *r = get_expect(path, &cookie, 200);
    cr_assert(strstr(r->body, "<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;q&#34; &#39;s"
                              "</title>"),
              "title not escaped");
    cr_assert(strstr(r->body, "<body class=\"standalone\">"));
    cr_assert_eq(count(r->body, "<script"), 5);
    http_free(r);
    snprintf(path, sizeof path, "/superset/dashboard/%s/", slug);
    r = get_expect(path, &cookie, 200);
    cr_assert(strstr(r->body, "<body>"));
    http_free(r);

    /* a hostile first name round-trips through data-bootstrap */
    const char *hostile = "</script><img src=x onerror=alert(1)>\"'&amp; caf\xc3\xa9 \xf0\x9f\x98\x80";
    char *old = sql_value("SELECT first_name FROM ab_user WHERE username = 'admin'", 0, NULL);
    const char *hp[] = {hostile};
    sql_value("UPDATE ab_user SET first_name = $1 WHERE username = 'admin'", 1, hp);
    r = get("/superset/welcome/", &cookie);
    const char *op[] = {old};
    sql_value("UPDATE ab_user SET first_name = $1 WHERE username = 'admin'", 1, op);
    cr_assert_eq(r->status, 200);
    cr_assert_null(strstr(r->body, "<img src=x"), "raw markup from data");
    cr_assert_eq(count(r->body, "<img"), 1, "only the spinner");
    cr_assert_eq(count(r->body, "</script>"), 5);
    json_t *b = parse_bootstrap(r->body);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(b, "user"), "firstName")), hostile);
    json_decref(b);
    http_free(r);

    /* a chart: /superset/slice/<id>/ sends to Explore with form_data encoded twice */
    char *chart = sql_value("INSERT INTO slices (slice_name, datasource_type, viz_type, uuid)"
                            " VALUES ('spa chart', 'table', 'table', gen_random_uuid()) RETURNING id",
                            0, NULL);
    snprintf(path, sizeof path, "/superset/slice/%s/?standalone=true", chart);
    r = get_expect(path, &cookie, 302);
    char expect[256];
    snprintf(expect, sizeof expect, "/explore/?form_data=%%257B%%2522slice_id%%2522%%253A%%2520%s%%257D&standalone=true",
             chart);
    cr_assert_str_eq(location(r), expect);
    http_free(r);

    /* /dashboard/new/ creates a blank dashboard owned by the user */
    r = get_expect("/dashboard/new/", &cookie, 302);
    const char *loc = location(r);
    cr_assert(!strncmp(loc, "/superset/dashboard/", 20) && strstr(loc, "/?edit=true"), "%s", loc);
    char *new_id = strndup(loc + 20, strcspn(loc + 20, "/"));
    const char *np[] = {new_id};
    char *owner = sql_value("SELECT u.username || ':' || d.dashboard_title || ':' || d.published FROM dashboards d"
                            " JOIN dashboard_user du ON du.dashboard_id = d.id JOIN ab_user u ON u.id = du.user_id"
                            " WHERE d.id = $1::int",
                            1, np);
    cr_assert_str_eq(owner, "admin:[ untitled dashboard ]:false");
    http_free(r);
    free(owner);
    free(new_id);
    free(chart);
    free(old);
    free(slug);
    free(title_id);
    free(cookie);
}

Test(pages_frontend, feature_flagged_pages_and_embedded) {
    use_fixture("FEATURE_FLAGS = {'ALERT_REPORTS': True, 'TAGGING_SYSTEM': True, 'EMBEDDED_SUPERSET': True}\n"
                "APP_NAME = \"</script><i>x</i> & 'q' \\\"d\\\" \\u00e9\"\n");
    char *cookie = login("admin", "admin");
    static const char *const now_shells[] = {"/alert/list/", "/report/list/", "/alert/3/log/", "/superset/tags/",
                                             "/superset/all_entities/"};
    for (size_t i = 0; i < sizeof now_shells / sizeof now_shells[0]; i++) {
        http_response_t *r = get(now_shells[i], &cookie);
        cr_expect_eq(r->status, 200, "%s: %d", now_shells[i], r->status);
        http_free(r);
    }
    http_response_t *r = get_expect("/api/v1/menu/", &cookie, 200);
    cr_assert(strstr(r->body, "\"name\":\"Tags\"") && strstr(r->body, "\"name\":\"Alerts & Report\""), "%s", r->body);
    http_free(r);
    /* the embedded page: entry `embedded`, {common, embedded}, no user */
    r = get_expect("/dashboard/my-slug/embedded", NULL, 200);
    cr_assert(strstr(r->body, "/static/assets/embedded.77.entry.js"));
    cr_assert_null(strstr(r->body, "spa.55.entry.js"));
    json_t *b = parse_bootstrap(r->body);
    cr_assert_null(json_object_get(b, "user"));
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(b, "embedded"), "dashboard_id")), "my-slug");
    cr_assert_not_null(json_object_get(b, "common"));
    /* a hostile setting reaches the client intact, as data only */
    json_t *brand = json_object_get(json_object_get(json_object_get(b, "common"), "menu_data"), "brand");
    cr_assert_str_eq(json_string_value(json_object_get(brand, "alt")), "</script><i>x</i> & 'q' \"d\" \xc3\xa9");
    cr_assert_null(strstr(r->body, "<i>x"));
    cr_assert(strstr(r->body, "\\u00e9"), "non-ASCII is escaped in the attribute");
    json_decref(b);
    http_free(r);

    /* /embedded/<uuid>: the configured dashboard, Referer checked against allowed domains */
    char *dash = sql_value("INSERT INTO dashboards (dashboard_title, published, uuid)"
                           " VALUES ('embedded board', true, gen_random_uuid()) RETURNING id",
                           0, NULL);
    const char *dp[] = {dash};
    char *uuid = sql_value("INSERT INTO embedded_dashboards (uuid, dashboard_id, allow_domain_list)"
                           " VALUES (gen_random_uuid(), $1::int, 'https://allowed.example,http://other.example:8080')"
                           " RETURNING uuid",
                           1, dp);
    char path[128];
    snprintf(path, sizeof path, "/embedded/%s", uuid);
    const char *const good[] = {"Referer: http://other.example:8080/page", NULL};
    const char *const bad[] = {"Referer: https://evil.example/", NULL};
    http_response_t *ok = call("GET", path, NULL, good, NULL);
    http_response_t *denied = call("GET", path, NULL, bad, NULL);
    http_response_t *missing = call("GET", path, NULL, NULL, NULL);
    const char *up[] = {uuid};
    sql_value("DELETE FROM embedded_dashboards WHERE uuid = $1::uuid", 1, up);
    cr_assert_eq(ok->status, 200);
    cr_assert_eq(denied->status, 403);
    cr_assert_eq(missing->status, 403, "no Referer is not an allowed origin");
    b = parse_bootstrap(ok->body);
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(b, "embedded"), "dashboard_id")), atoi(dash));
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(b, "config"), "GUEST_TOKEN_HEADER_NAME")),
                     "X-GuestToken");
    cr_assert_null(json_object_get(b, "user"));
    json_decref(b);
    http_free(ok);
    http_free(denied);
    http_free(missing);
    free(uuid);
    free(dash);
    free(cookie);
}

Test(pages_frontend, locale_switch_and_language_packs) {
    char *cookie = login("admin", "admin");
    const char *const ref_ok[] = {"Referer: http://127.0.0.1/chart/list/", NULL};
    http_response_t *r = call_expect("GET", "/lang/en", &cookie, ref_ok, NULL, 302);
    cr_assert_str_eq(location(r), "http://127.0.0.1/chart/list/");
    http_free(r);
    const char *const ref_evil[] = {"Referer: https://evil.example/x", NULL};
    r = call_expect("GET", "/lang/en", &cookie, ref_evil, NULL, 302);
    cr_assert_str_eq(location(r), "/");
    http_free(r);
    r = get_expect("/lang/fr", &cookie, 404);
    http_free(r);

    r = get_expect("/superset/language_pack/fr/", &cookie, 200);
    cr_assert_str_eq(http_header(r, "Content-Type"), "application/json");
    cr_assert_str_eq(r->body, FR_PACK);
    cr_assert(!strncmp(http_header(r, "Cache-Control"), "public, max-age=", 16));
    const char *etag = http_header(r, "ETag");
    cr_assert(etag && etag[0] == '"');
    char inm[256];
    snprintf(inm, sizeof inm, "If-None-Match: %s", etag);
    const char *const cond[] = {inm, NULL};
    http_response_t *r304 = call("GET", "/superset/language_pack/fr/", &cookie, cond, NULL);
    cr_assert_eq(r304->status, 304);
    http_free(r304);
    http_free(r);
    r = get_expect("/superset/language_pack/en/", &cookie, 200);
    json_t *en = json_loads(r->body, 0, NULL);
    cr_assert_str_eq(json_string_value(json_object_get(
                         json_object_get(json_object_get(json_object_get(en, "locale_data"), "superset"), ""), "lang")),
                     "en");
    json_decref(en);
    http_free(r);
    r = get_expect("/superset/language_pack/de/", &cookie, 404);
    cr_assert_str_eq(r->body, "{\"error\": \"Language pack doesn't exist on the server\"}");
    http_free(r);
    r = get_expect("/superset/language_pack/de_de/", &cookie, 400);
    cr_assert(strstr(r->body, "Invalid language code"));
    http_free(r);
    free(cookie);
}

Test(pages_frontend, event_log_rows) {
    char *cookie = login("admin", "admin");
    char marker[64];
    snprintf(marker, sizeof marker, "spa_test_%d", (int)getpid());
    char body[2048];
    snprintf(body, sizeof body,
             "--XyZ\r\nContent-Disposition: form-data; name=\"events\"\r\n\r\n"
             "[{\"event_name\": \"%s\", \"source\": \"dashboard\", \"dashboard_id\": 42, \"ts\": 1},"
             " {\"event_name\": \"%s\", \"slice_id\": \"17\"}]\r\n--XyZ--\r\n",
             marker, marker);
    const char *const ct[] = {"Content-Type: multipart/form-data; boundary=XyZ", "Referer: http://127.0.0.1/x/", NULL};
    http_response_t *r = call_expect("POST", "/superset/log/?explode=events&dashboard_id=5", &cookie, ct, body, 200);
    cr_assert_eq(r->body_len, 0);
    http_free(r);
    char like[128];
    snprintf(like, sizeof like, "%%\"event_name\": \"%s\"%%", marker);
    const char *p[] = {like};
    char *rows = sql_value("SELECT string_agg(l.action || '|' || u.username || '|' || coalesce(l.dashboard_id::text, '-')"
                           " || '|' || coalesce(l.slice_id::text, '-') || '|' || l.referrer, ',' ORDER BY l.id)"
                           " FROM logs l JOIN ab_user u ON u.id = l.user_id WHERE l.json LIKE $1",
                           1, p);
    cr_assert_not_null(rows);
    cr_assert_str_eq(rows, "log|admin|5|-|http://127.0.0.1/x/,log|admin|5|17|http://127.0.0.1/x/");
    free(rows);
    /* page views are logged too */
    r = get("/sqllab/history/", &cookie);
    http_free(r);
    char *n = sql_value("SELECT count(*) FROM logs WHERE action = 'history' AND json LIKE"
                        " '{\"path\": \"/sqllab/history/\"%'",
                        0, NULL);
    cr_assert(n && atoi(n) >= 1);
    free(n);
    free(cookie);
}

Test(pages_frontend, welcome_dashboard_and_system_theme) {
    char *cookie = login("admin", "admin");
    char *dash = sql_value("INSERT INTO dashboards (dashboard_title, published, uuid)"
                           " VALUES ('Welcome board', true, gen_random_uuid()) RETURNING id",
                           0, NULL);
    const char *dp[] = {dash};
    char *attr = sql_value("INSERT INTO user_attribute (user_id, welcome_dashboard_id)"
                           " SELECT id, $1::int FROM ab_user WHERE username = 'admin' RETURNING id",
                           1, dp);
    char *theme = sql_value("INSERT INTO themes (uuid, theme_name, json_data, is_system, is_system_default,"
                            " is_system_dark) VALUES (gen_random_uuid(), 'spa test', '{\"token\": {\"colorPrimary\":"
                            " \"#123456\"}}', false, true, false) RETURNING id",
                            0, NULL);
    http_response_t *r = get("/superset/welcome/", &cookie);
    /* clean up before asserting: other tests share the database */
    const char *ap[] = {attr}, *tp[] = {theme};
    sql_value("DELETE FROM user_attribute WHERE id = $1::int", 1, ap);
    sql_value("DELETE FROM themes WHERE id = $1::int", 1, tp);
    cr_assert_eq(r->status, 200);
    cr_assert(strstr(r->body, "<title>Welcome board</title>"), "the welcome dashboard is rendered");
    json_t *b = parse_bootstrap(r->body);
    json_t *t = json_object_get(json_object_get(b, "common"), "theme");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(json_object_get(t, "default"), "token"),
                                                       "colorPrimary")),
                     "#123456");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(t, "dark"), "algorithm")), "dark",
                     "no dark system theme: the setting");
    json_decref(b);
    http_free(r);
    char *logged = sql_value("SELECT count(*) FROM logs WHERE action = 'dashboard' AND dashboard_id = $1::int", 1, dp);
    cr_assert_str_eq(logged, "1");
    free(logged);
    free(theme);
    free(attr);
    free(dash);
    free(cookie);
}

/* ======================================================================
 * Without a Superset frontend: the help page
 * ====================================================================== */

TestSuite(pages_nobundle, .init = setup_nobundle, .fini = restore, .timeout = 60);

Test(pages_nobundle, help_page_everywhere) {
    http_response_t *r = get_expect("/login/", NULL, 200);
    cr_assert_str_eq(http_header(r, "Content-Type"), "text/html; charset=utf-8");
    cr_assert_not_null(http_header(r, "Content-Security-Policy"));
    cr_assert(strstr(r->body, "id=\"liteset-no-frontend\""));
    cr_assert(strstr(r->body, "LITESET_STATIC_DIR"));
    cr_assert(strstr(r->body, "assets/manifest.json could not be read"), "%s", r->body);
    cr_assert_null(strstr(r->body, "data-bootstrap"));
    http_free(r);
    /* a logged-in page too; permission checks still come first */
    r = get_expect("/chart/list/", NULL, 302);
    http_free(r);
    char *cookie = NULL;
    r = get_expect("/register/", &cookie, 200);
    cr_assert(strstr(r->body, "id=\"liteset-no-frontend\""));
    http_free(r);
    free(cookie);
}

/* Gamma: the shell and its bootstrap for a non-admin user. The security
 * list pages need can_read on "security", which `superset init` grants to
 * Gamma, so the reference serves them the shell (the SPA itself hides them);
 * the menu holds no Security entry. */
Test(pages_frontend, gamma_pages_and_menu) {
    rest_create_user("Gamma", "pages_gamma");

    char *cookie = login("pages_gamma", "pages_gamma");
    http_response_t *r = get_expect("/superset/welcome/", &cookie, 200);
    json_t *b = parse_bootstrap(r->body);
    json_t *roles = json_object_get(json_object_get(b, "user"), "roles");
    cr_assert_eq(json_object_size(roles), 1);
    cr_assert_eq(json_array_size(json_object_get(roles, "Gamma")), 88, "Gamma's grants after init");
    json_t *menu = json_object_get(json_object_get(json_object_get(b, "common"), "menu_data"), "menu");
    size_t i;
    json_t *item;
    bool dashboards = false;
    json_array_foreach(menu, i, item) {
        const char *name = json_string_value(json_object_get(item, "name"));
        if (name && !strcmp(name, "Dashboards")) dashboards = true;
        cr_assert(!name || strcmp(name, "Security"), "Gamma must not see the Security menu");
    }
    cr_assert(dashboards, "Gamma sees Dashboards");
    json_decref(b);
    http_free(r);

    static const char *const security_pages[] = {"/users/", "/roles/", "/actionlog/list"};
    for (size_t k = 0; k < sizeof security_pages / sizeof security_pages[0]; k++) {
        r = get(security_pages[k], &cookie);
        cr_expect_eq(r->status, 200, "%s: %d", security_pages[k], r->status);
        cr_expect(strstr(r->body, "<div id=\"app\" data-bootstrap=") != NULL, "%s: not the shell", security_pages[k]);
        http_free(r);
    }
    /* a dashboard the user cannot access: the reference's 404-or-redirect rules */
    r = get("/superset/dashboard/2147483646/", &cookie);
    cr_expect_eq(r->status, 404);
    http_free(r);
    free(cookie);
}

/* /superset/dashboard/p/<key>/: a permalink made through the API redirects
 * to its dashboard with the key, stored url params, the request's own query
 * and the anchor; an undecodable key flashes and goes to the list. */
Test(pages_frontend, dashboard_permalink_page) {
    char *dash = sql_value("INSERT INTO dashboards (dashboard_title, published, uuid) VALUES ('permalink page', true,"
                           " gen_random_uuid()) RETURNING id", 0, NULL);
    char *cookie = login("admin", "admin");
    http_response_t *r = get("/sqllab/", &cookie);
    const char *v = strstr(r->body, "id=\"csrf_token\" value=\"");
    cr_assert_not_null(v);
    v += strlen("id=\"csrf_token\" value=\"");
    char csrf[512];
    snprintf(csrf, sizeof csrf, "X-CSRFToken: %.*s", (int)strcspn(v, "\""), v);
    http_free(r);
    char path[256];
    snprintf(path, sizeof path, "/api/v1/dashboard/%s/permalink", dash);
    const char *const h[] = {"Content-Type: application/json", csrf, NULL};
    r = call_expect("POST", path, &cookie, h, "{\"urlParams\":[[\"native_filters\",\"x y\"]],\"anchor\":\"TAB-1\"}",
                    201);
    json_t *j = json_loads(r->body, 0, NULL);
    char *key = strdup(json_string_value(json_object_get(j, "key")));
    json_decref(j);
    http_free(r);

    snprintf(path, sizeof path, "/superset/dashboard/p/%s/?standalone=1", key);
    r = get_expect(path, &cookie, 302);
    /* the state stores the dashboard's uuid, and the redirect names it */
    const char *const id_param[] = {dash};
    char *uuid = sql_value("SELECT uuid::text FROM dashboards WHERE id = $1::int", 1, id_param);
    char expected[512];
    snprintf(expected, sizeof expected, "/superset/dashboard/%s/?permalink_key=%s&native_filters=x+y&standalone=1#TAB-1",
             uuid, key);
    free(uuid);
    cr_assert_str_eq(location(r), expected);
    http_free(r);

    r = get_expect("/superset/dashboard/p/not-a-key/", &cookie, 302);
    cr_assert_str_eq(location(r), "/dashboard/list/");
    http_free(r);
    free(key);
    free(dash);
    free(cookie);
}

/* /register/activation/<hash>: the registration becomes an active user with
 * AUTH_USER_REGISTRATION_ROLE (Public), the row is gone, the page carries the
 * names; a second visit and a taken username flash and redirect instead. */
Test(pages_frontend, registration_activation) {
    /* werkzeug hash of "activated-pw" as the registration form stores it */
    const char *hash_pw = "pbkdf2:sha256:600000$Ejf6n8kZ$95ba4d6a5edf6e0ab7f3b5f2e3a9d7c6b1e4f8a2c5d9e0b3a6c7f1d2e4b5a8c9";
    const char *const reg[] = {hash_pw};
    free(sql_value("DELETE FROM ab_user WHERE username IN ('activated1', 'taken1')", 0, NULL));
    free(sql_value("INSERT INTO ab_register_user (id, first_name, last_name, username, password, email,"
                   " registration_date, registration_hash) VALUES (nextval('ab_register_user_id_seq'), 'Ac<b>',"
                   " 'Tivated', 'activated1', $1, 'activated1@example.org', localtimestamp, 'hash-activate-1')",
                   1, reg));
    char *cookie = NULL;
    http_response_t *r = get_expect("/register/activation/hash-activate-1", &cookie, 200);
    json_t *b = parse_bootstrap(r->body);
    cr_assert_str_eq(json_string_value(json_object_get(b, "username")), "activated1");
    cr_assert_str_eq(json_string_value(json_object_get(b, "first_name")), "Ac<b>");
    cr_assert_str_eq(json_string_value(json_object_get(b, "last_name")), "Tivated");
    json_decref(b);
    cr_assert_null(strstr(r->body, "Ac<b>"), "the name must be escaped in the shell");
    http_free(r);

    char *row = sql_value("SELECT u.active::text || ' ' || u.email || ' ' || r.name || ' ' || (u.password = $1)::text"
                          " FROM ab_user u JOIN ab_user_role ur ON ur.user_id = u.id JOIN ab_role r ON r.id = ur.role_id"
                          " WHERE u.username = 'activated1'",
                          1, reg);
    cr_assert_not_null(row, "the user was not created");
    cr_assert_str_eq(row, "true activated1@example.org Public true");
    free(row);
    char *left = sql_value("SELECT count(*) FROM ab_register_user WHERE registration_hash = 'hash-activate-1'", 0, NULL);
    cr_assert_str_eq(left, "0");
    free(left);

    /* the hash is spent */
    r = get_expect("/register/activation/hash-activate-1", &cookie, 302);
    cr_assert_str_eq(location(r), "/");
    http_free(r);

    /* a registration whose username exists: refused, nothing changes */
    free(sql_value("INSERT INTO ab_register_user (id, first_name, last_name, username, password, email,"
                   " registration_hash) VALUES (nextval('ab_register_user_id_seq'), 'A', 'B', 'activated1', $1,"
                   " 'other@example.org', 'hash-activate-2')",
                   1, reg));
    r = get_expect("/register/activation/hash-activate-2", &cookie, 302);
    http_free(r);
    r = get("/login/", &cookie);
    b = parse_bootstrap(r->body);
    json_t *flashes = json_object_get(json_object_get(b, "common"), "flash_messages");
    cr_assert_eq(json_array_size(flashes), 2, "one flash per refused visit");
    cr_assert_str_eq(json_string_value(json_array_get(json_array_get(flashes, 0), 1)), "Registration not found");
    cr_assert_str_eq(json_string_value(json_array_get(json_array_get(flashes, 1), 1)),
                     "Not possible to register you at the moment, try again later");
    json_decref(b);
    http_free(r);
    left = sql_value("SELECT count(*) FROM ab_register_user WHERE registration_hash = 'hash-activate-2'", 0, NULL);
    cr_assert_str_eq(left, "1");
    free(left);
    free(cookie);
}

/* With French offered in LANGUAGES and chosen with /lang/fr, menu labels and
 * flash messages come from the installation's French catalogue; entries the
 * catalogue lacks stay in English. */
Test(pages_frontend, menu_and_flashes_are_translated) {
    use_fixture("LANGUAGES = {'en': {'flag': 'us', 'name': 'English'}, 'fr': {'flag': 'fr', 'name': 'French'}}\n");
    char *cookie = login("admin", "admin");
    http_response_t *r = get_expect("/lang/fr", &cookie, 302);
    http_free(r);
    r = get_expect("/api/v1/menu/", &cookie, 200);
    json_t *j = json_loads(r->body, 0, NULL);
    bool dashboards = false, charts = false;
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(j, "result"), i, item) {
        const char *name = json_string_value(json_object_get(item, "name"));
        const char *label = json_string_value(json_object_get(item, "label"));
        if (!strcmp(name, "Dashboards")) dashboards = !strcmp(label, "Tableaux de bord");
        if (!strcmp(name, "Charts")) charts = !strcmp(label, "Charts");
    }
    cr_expect(dashboards, "Dashboards label not translated: %s", r->body);
    cr_expect(charts, "a label without a translation stays as it is");
    json_decref(j);
    http_free(r);
    free(cookie);

    /* an anonymous French session: the access-denied flash is French */
    char *anon = NULL;
    r = get("/lang/fr", &anon);
    http_free(r);
    r = get_expect("/chart/list/", &anon, 302);
    http_free(r);
    r = get("/login/", &anon);
    json_t *b = parse_bootstrap(r->body);
    json_t *flashes = json_object_get(json_object_get(b, "common"), "flash_messages");
    cr_assert_eq(json_array_size(flashes), 1);
    cr_expect_str_eq(json_string_value(json_array_get(json_array_get(flashes, 0), 1)), "Acc\u00e8s refus\u00e9");
    json_decref(b);
    http_free(r);
    free(anon);
    use_fixture(NULL);
}
