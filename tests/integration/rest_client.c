/* Client helpers shared by the Superset resource tests (see rest_client.h). */
#include "tests/integration/rest_client.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/strbuf.h"
#include "tests/integration/harness.h"

void rest_open(rest_session_t *s, const char *user, const char *password) {
    char body[256];
    snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"%s\",\"provider\":\"db\"}", user, password);
    const char *const ct[] = {"Content-Type: application/json", NULL};
    http_response_t *r = http_request("POST", "/api/v1/security/login", ct, body, strlen(body));
    cr_assert(r && r->status == 200, "login %s", user);
    json_t *j = json_loads(r->body, 0, NULL);
    snprintf(s->bearer, sizeof s->bearer, "Authorization: Bearer %s",
             json_string_value(json_object_get(j, "access_token")));
    json_decref(j);
    http_free(r);
    const char *const h[] = {s->bearer, NULL};
    r = http_request("GET", "/api/v1/security/csrf_token/", h, NULL, 0);
    cr_assert(r);
    snprintf(s->csrf, sizeof s->csrf, "X-No-CSRF: 1"); /* a role without can_read on SecurityRestApi */
    if (r->status == 200) {
        j = json_loads(r->body, 0, NULL);
        snprintf(s->csrf, sizeof s->csrf, "X-CSRFToken: %s", json_string_value(json_object_get(j, "result")));
        json_decref(j);
    }
    snprintf(s->cookie, sizeof s->cookie, "X-No-Cookie: 1");
    for (int i = 0; i < r->nheaders; i++)
        if (!strcasecmp(r->headers[i].name, "Set-Cookie"))
            snprintf(s->cookie, sizeof s->cookie, "Cookie: %.*s", (int)strcspn(r->headers[i].value, ";"),
                     r->headers[i].value);
    http_free(r);
}

/* The session cookie a response sets, as a Cookie header, into s->cookie. */
static void keep_session_cookie(rest_session_t *s, const http_response_t *r) {
    for (int i = 0; i < r->nheaders; i++)
        if (!strcasecmp(r->headers[i].name, "Set-Cookie") && !strncmp(r->headers[i].value, "session=", 8))
            snprintf(s->cookie, sizeof s->cookie, "Cookie: %.*s", (int)strcspn(r->headers[i].value, ";"),
                     r->headers[i].value);
}

void rest_open_browser(rest_session_t *s, const char *user, const char *password) {
    /* The CSRF token belongs to the session, not to a user: an admin API
     * login mints a session holding one (the login page only carries it when
     * a Superset frontend is configured), then the form login fills it in. */
    rest_session_t minted;
    rest_open(&minted, "admin", "admin");
    snprintf(s->bearer, sizeof s->bearer, "X-No-Bearer: 1");
    snprintf(s->cookie, sizeof s->cookie, "%s", minted.cookie);
    snprintf(s->csrf, sizeof s->csrf, "%s", minted.csrf);
    const char *token = strchr(minted.csrf, ' ') + 1;
    char body[1024];
    snprintf(body, sizeof body, "username=%s&password=%s&csrf_token=%s", user, password, token);
    const char *const h[] = {s->cookie, "Content-Type: application/x-www-form-urlencoded", NULL};
    http_response_t *r = http_request("POST", "/login/", h, body, strlen(body));
    cr_assert(r && r->status == 302, "form login %s", user);
    keep_session_cookie(s, r);
    http_free(r);
}

json_t *rest_call(rest_session_t *s, const char *method, const char *path, const char *body, int *status) {
    const char *const h[] = {s->bearer, s->cookie, s->csrf, "Content-Type: application/json", NULL};
    http_response_t *r = http_request(method, path, h, body, body ? strlen(body) : 0);
    cr_assert(r);
    *status = r->status;
    json_t *j = json_loads(r->body, JSON_DECODE_ANY, NULL);
    cr_assert(j, "%s %s: %s", method, path, r->body);
    http_free(r);
    return j;
}

json_t *rest_expect(rest_session_t *s, const char *method, const char *path, const char *body, int want) {
    int st;
    json_t *j = rest_call(s, method, path, body, &st);
    char *text = json_dumps(j, JSON_ENCODE_ANY);
    cr_assert_eq(st, want, "%s %s: %d, expected %d: %s", method, path, st, want, text);
    free(text);
    return j;
}

int rest_cli(const char *const *args) {
    char bin[1024];
    snprintf(bin, sizeof bin, "%s/liteset", harness_env("LITESET_TEST_BIN"));
    const char *argv[18] = {bin};
    for (int i = 0; args[i] && i < 16; i++) argv[i + 1] = args[i];
    pid_t pid = fork();
    if (pid == 0) {
        setenv("SUPERSET_CONFIG_PATH", harness_env("LITESET_TEST_CONFIG"), 1);
        int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0) {
            dup2(devnull, 1);
            dup2(devnull, 2);
        }
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

void rest_create_user(const char *role, const char *name) {
    char email[128];
    snprintf(email, sizeof email, "%s@rest.test", name);
    const char *const args[] = {"fab", "create-user", "--role", role, "--username", name, "--firstname", name,
                                "--lastname", "Test", "--email", email, "--password", name, NULL};
    cr_assert_eq(rest_cli(args), 0, "create-user %s", name);
}

const char *rest_sql(const char *sql) {
    static char out[256];
    char conninfo[512];
    snprintf(conninfo, sizeof conninfo, "host=%s port=%s user=%s dbname=%s", harness_env("LITESET_TEST_PGHOST"),
             harness_env("LITESET_TEST_PGPORT"), harness_env("LITESET_TEST_PGUSER"), harness_env("LITESET_TEST_DB"));
    PGconn *pg = PQconnectdb(conninfo);
    cr_assert_eq(PQstatus(pg), CONNECTION_OK, "%s", PQerrorMessage(pg));
    PGresult *r = PQexec(pg, sql);
    cr_assert(PQresultStatus(r) == PGRES_TUPLES_OK || PQresultStatus(r) == PGRES_COMMAND_OK, "%s: %s", sql,
              PQerrorMessage(pg));
    snprintf(out, sizeof out, "%s", PQntuples(r) ? PQgetvalue(r, 0, 0) : "");
    PQclear(r);
    PQfinish(pg);
    return out;
}

void rest_config(const char *extra) {
    static char *orig;
    static size_t orig_len;
    if (!orig) orig = harness_read_file(harness_env("LITESET_TEST_CONFIG"), &orig_len);
    FILE *f = fopen(harness_env("LITESET_TEST_CONFIG"), "wb");
    cr_assert_not_null(f);
    fwrite(orig, 1, orig_len, f);
    if (extra) fprintf(f, "\n%s\n", extra);
    fclose(f);
    char pidfile[512];
    snprintf(pidfile, sizeof pidfile, "%s/run/fcgi.pid", harness_env("LITESET_TEST_DIR"));
    char *pids = harness_read_file(pidfile, NULL);
    for (char *p = pids; *p;) {
        while (*p && (*p < '0' || *p > '9')) p++;
        if (!*p) break;
        long pid = strtol(p, &p, 10);
        if (pid > 0) kill((pid_t)pid, SIGHUP);
    }
    free(pids);
    usleep(600 * 1000);
}

const char *rest_target_uri(void) {
    static char uri[512];
    snprintf(uri, sizeof uri, "postgresql://%s@/%s?host=%s&port=%s", harness_env("LITESET_TEST_PGUSER"),
             harness_env("LITESET_TEST_DB"), harness_env("LITESET_TEST_PGHOST"), harness_env("LITESET_TEST_PGPORT"));
    return uri;
}

long long rest_add_target_db(rest_session_t *admin, const char *name, const char *extra_members) {
    char sql[256], body[2048];
    snprintf(sql, sizeof sql, "DELETE FROM dbs WHERE database_name = '%s'", name);
    rest_sql(sql);
    snprintf(body, sizeof body, "{\"database_name\":\"%s\",\"sqlalchemy_uri\":\"%s\"%s%s}", name, rest_target_uri(),
             extra_members ? "," : "", extra_members ? extra_members : "");
    json_t *j = rest_expect(admin, "POST", "/api/v1/database/", body, 201);
    long long id = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
    return id;
}

void rest_grant(const char *role, const char *permission, const char *view_menu) {
    char sql[1024];
    static const char *const steps[] = {
        "INSERT INTO ab_role (id, name) SELECT nextval('ab_role_id_seq'), '%1$s'"
        " WHERE NOT EXISTS (SELECT 1 FROM ab_role WHERE name = '%1$s')",
        "INSERT INTO ab_permission (id, name) SELECT nextval('ab_permission_id_seq'), '%2$s'"
        " WHERE NOT EXISTS (SELECT 1 FROM ab_permission WHERE name = '%2$s')",
        "INSERT INTO ab_view_menu (id, name) SELECT nextval('ab_view_menu_id_seq'), '%3$s'"
        " WHERE NOT EXISTS (SELECT 1 FROM ab_view_menu WHERE name = '%3$s')",
        "INSERT INTO ab_permission_view (id, permission_id, view_menu_id) SELECT nextval('ab_permission_view_id_seq'),"
        " p.id, v.id FROM ab_permission p, ab_view_menu v WHERE p.name = '%2$s' AND v.name = '%3$s'"
        " AND NOT EXISTS (SELECT 1 FROM ab_permission_view x WHERE x.permission_id = p.id AND x.view_menu_id = v.id)",
        "INSERT INTO ab_permission_view_role (id, permission_view_id, role_id) SELECT"
        " nextval('ab_permission_view_role_id_seq'), pv.id, r.id FROM ab_permission_view pv"
        " JOIN ab_permission p ON p.id = pv.permission_id JOIN ab_view_menu v ON v.id = pv.view_menu_id, ab_role r"
        " WHERE p.name = '%2$s' AND v.name = '%3$s' AND r.name = '%1$s' AND NOT EXISTS"
        " (SELECT 1 FROM ab_permission_view_role x WHERE x.permission_view_id = pv.id AND x.role_id = r.id)",
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        snprintf(sql, sizeof sql, steps[i], role, permission, view_menu);
        rest_sql(sql);
    }
}

void rest_add_user_role(const char *user, const char *role) {
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO ab_user_role (id, user_id, role_id) SELECT nextval('ab_user_role_id_seq'), u.id, r.id"
             " FROM ab_user u, ab_role r WHERE u.username = '%s' AND r.name = '%s' AND NOT EXISTS"
             " (SELECT 1 FROM ab_user_role x WHERE x.user_id = u.id AND x.role_id = r.id)",
             user, role);
    rest_sql(sql);
}

#define MULTIPART_BOUNDARY "LitesetTestBoundary7MA4YWxkTrZu0gW"

http_response_t *rest_post_multipart(rest_session_t *s, const char *path, const char *const *fields,
                                     const rest_file_t *file) {
    strbuf_t body;
    strbuf_init(&body, (file ? file->len : 0) + 1024);
    for (const char *const *f = fields; f && *f; f += 2)
        strbuf_printf(&body, "--" MULTIPART_BOUNDARY "\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n",
                      f[0], f[1]);
    if (file) {
        strbuf_printf(&body,
                      "--" MULTIPART_BOUNDARY "\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                      "Content-Type: %s\r\n\r\n",
                      file->field, file->filename, file->content_type);
        strbuf_append(&body, file->data, file->len);
        strbuf_puts(&body, "\r\n");
    }
    strbuf_puts(&body, "--" MULTIPART_BOUNDARY "--\r\n");
    const char *const h[] = {s->bearer, s->cookie, s->csrf,
                             "Content-Type: multipart/form-data; boundary=" MULTIPART_BOUNDARY, NULL};
    http_response_t *r = http_request("POST", path, h, body.data, body.len);
    strbuf_free(&body);
    cr_assert(r);
    return r;
}
