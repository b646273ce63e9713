/* RBAC matrix: for each stock role (created by `liteset init`) and for
 * anonymous clients, the allowed / denied outcome of protected routes is the
 * one Superset 6.0.0 gives (auth-and-security.md §6.3 grants):
 *   GET /api/v1/security/csrf_token/    can_read on SecurityRestApi
 *   POST /api/v1/security/guest_token/  can_grant_guest_token on SecurityRestApi
 * Users are made with `liteset fab create-user`, logged in through the API,
 * and the CSRF token travels with its session cookie as the reference needs. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include "tests/integration/harness.h"

static int cli(const char *const *args) {
    char bin[1024];
    snprintf(bin, sizeof bin, "%s/liteset", harness_env("LITESET_TEST_BIN"));
    const char *cfg = harness_env("LITESET_TEST_CONFIG");
    pid_t pid = fork();
    if (pid == 0) {
        setenv("SUPERSET_CONFIG_PATH", cfg, 1);
        int devnull = open("/dev/null", 1);
        if (devnull >= 0) {
            dup2(devnull, 1);
            dup2(devnull, 2);
        }
        const char *argv[16] = {bin};
        int n = 1;
        for (const char *const *a = args; *a && n < 15; a++) argv[n++] = *a;
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void ensure_user(const char *role, const char *name) {
    char email[128];
    snprintf(email, sizeof email, "%s@rbac.test", name);
    const char *const args[] = {"fab", "create-user", "--role", role, "--username", name, "--firstname", name,
                                "--lastname", "Test", "--email", email, "--password", name, NULL};
    cr_assert_eq(cli(args), 0, "create-user %s (%s) failed", name, role);
}

typedef struct {
    char *bearer; /* "Authorization: Bearer ..." or NULL for anonymous */
} client_t;

static client_t login(const char *user) {
    client_t c = {0};
    if (!user) return c;
    char body[256];
    snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"%s\",\"provider\":\"db\"}", user, user);
    const char *const ct[] = {"Content-Type: application/json", NULL};
    http_response_t *r = http_request("POST", "/api/v1/security/login", ct, body, strlen(body));
    cr_assert(r && r->status == 200, "login %s: %d", user, r ? r->status : -1);
    json_t *j = json_loads(r->body, 0, NULL);
    c.bearer = malloc(2048);
    snprintf(c.bearer, 2048, "Authorization: Bearer %s", json_string_value(json_object_get(j, "access_token")));
    json_decref(j);
    http_free(r);
    return c;
}

static int dashboard_id(void) {
    char conninfo[512];
    snprintf(conninfo, sizeof conninfo, "host=%s port=%s user=%s dbname=%s", harness_env("LITESET_TEST_PGHOST"),
             harness_env("LITESET_TEST_PGPORT"), harness_env("LITESET_TEST_PGUSER"), harness_env("LITESET_TEST_DB"));
    PGconn *pg = PQconnectdb(conninfo);
    cr_assert_eq(PQstatus(pg), CONNECTION_OK, "%s", PQerrorMessage(pg));
    PGresult *r = PQexec(pg, "INSERT INTO dashboards (dashboard_title, slug, published, uuid)"
                             " VALUES ('RBAC', NULL, true, gen_random_uuid()) RETURNING id");
    cr_assert_eq(PQresultStatus(r), PGRES_TUPLES_OK, "%s", PQerrorMessage(pg));
    int id = atoi(PQgetvalue(r, 0, 0));
    PQclear(r);
    PQfinish(pg);
    return id;
}

/* Status of GET csrf_token, and of POST guest_token carrying that token. */
static void probe(const client_t *c, int *csrf_status, int *guest_status, int dash) {
    const char *const h1[] = {c->bearer, NULL};
    http_response_t *r = http_request("GET", "/api/v1/security/csrf_token/", c->bearer ? h1 : NULL, NULL, 0);
    cr_assert(r);
    *csrf_status = r->status;
    char token_hdr[512] = "X-CSRFToken: none", cookie_hdr[2048] = "X-No-Cookie: 1";
    if (r->status == 200) {
        json_t *j = json_loads(r->body, 0, NULL);
        snprintf(token_hdr, sizeof token_hdr, "X-CSRFToken: %s", json_string_value(json_object_get(j, "result")));
        json_decref(j);
        for (int i = 0; i < r->nheaders; i++)
            if (!strcasecmp(r->headers[i].name, "Set-Cookie"))
                snprintf(cookie_hdr, sizeof cookie_hdr, "Cookie: %.*s", (int)strcspn(r->headers[i].value, ";"),
                         r->headers[i].value);
    }
    http_free(r);
    char body[256];
    snprintf(body, sizeof body,
             "{\"user\":{\"username\":\"g\"},\"resources\":[{\"type\":\"dashboard\",\"id\":\"%d\"}],\"rls\":[]}", dash);
    const char *const h2[] = {"Content-Type: application/json", token_hdr, cookie_hdr, c->bearer, NULL};
    r = http_request("POST", "/api/v1/security/guest_token/", h2, body, strlen(body));
    cr_assert(r);
    *guest_status = r->status;
    http_free(r);
}

Test(rbac, stock_roles_matrix, .timeout = 120) {
    static const struct {
        const char *role, *user;
        int csrf, guest;
    } matrix[] = {
        {"Admin", "admin", 200, 200},
        {"Alpha", "rbac_alpha", 200, 403},
        {"Gamma", "rbac_gamma", 200, 403},
        {"sql_lab", "rbac_sqllab", 403, 400}, /* no csrf_token grant: CSRF (400) fails before permissions */
        {NULL, NULL, 401, 400}, /* anonymous: no session, so the CSRF check (400) runs first */
    };
    int dash = dashboard_id();
    for (size_t i = 0; i < sizeof matrix / sizeof matrix[0]; i++) {
        if (matrix[i].user && strcmp(matrix[i].user, "admin")) ensure_user(matrix[i].role, matrix[i].user);
        client_t c = login(matrix[i].user);
        int cs, gs;
        probe(&c, &cs, &gs, dash);
        const char *who = matrix[i].role ? matrix[i].role : "anonymous";
        cr_expect_eq(cs, matrix[i].csrf, "%s: csrf_token gave %d, reference %d", who, cs, matrix[i].csrf);
        cr_expect_eq(gs, matrix[i].guest, "%s: guest_token gave %d, reference %d", who, gs, matrix[i].guest);
        free(c.bearer);
    }
}

Test(rbac, guest_token_validation) {
    client_t c = login("admin");
    int cs, gs;
    probe(&c, &cs, &gs, 999999); /* no such dashboard */
    cr_assert_eq(cs, 200);
    cr_assert_eq(gs, 400);
    free(c.bearer);
}
