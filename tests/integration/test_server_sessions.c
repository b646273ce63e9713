/* Server-side sessions (SESSION_SERVER_SIDE = True, SESSION_TYPE = 'redis'):
 * a liteset-fcgi of its own (--listen unix:..., one worker) with the stack's
 * settings plus those lines, driven over raw FastCGI, with the stack's Redis
 * inspected through a small RESP client: the cookie carries a 43-character
 * id, Redis holds the msgpack session under session:<id> with a 31-day TTL,
 * the session is found again from the cookie, refreshed by every request,
 * and deleted (key and cookie) once the request empties it. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "lib/msgpack_json.h"
#include "lib/strbuf.h"
#include "tests/integration/harness.h"

#define LIFETIME 2678400
#define ID_LEN 43

static char g_dir[64], g_sock[128], g_cfg[128];
static pid_t g_pid;

static const char *const SERVER_SIDE = "SESSION_SERVER_SIDE = True\nSESSION_TYPE = 'redis'";

/* Copies the stack's settings, appends extra lines, starts the process
 * (stopped by the suite's fini). */
static void start(const char *extra) {
    snprintf(g_dir, sizeof g_dir, "/tmp/liteset-sess-XXXXXX");
    cr_assert(mkdtemp(g_dir));
    snprintf(g_sock, sizeof g_sock, "%s/fcgi.sock", g_dir);
    snprintf(g_cfg, sizeof g_cfg, "%s/superset_config.py", g_dir);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", harness_env("LITESET_TEST_CONFIG"), g_cfg);
    cr_assert_eq(system(cmd), 0);
    FILE *f = fopen(g_cfg, "a");
    fprintf(f, "\n%s\n", extra);
    fclose(f);
    char bin[1024];
    snprintf(bin, sizeof bin, "%s/liteset-fcgi", harness_env("LITESET_TEST_BIN"));
    char listen[160];
    snprintf(listen, sizeof listen, "unix:%s", g_sock);
    g_pid = fork();
    if (g_pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGTERM); /* a test that dies (timeout) takes its server along */
        setenv("SUPERSET_CONFIG_PATH", g_cfg, 1);
        execl(bin, bin, "--listen", listen, "--workers", "1", (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 100 && access(g_sock, F_OK) != 0; i++) usleep(50000);
    usleep(300000); /* the worker forks after the bind */
}

static void stop(void) {
    if (g_pid > 0) {
        kill(g_pid, SIGTERM);
        int i = 0;
        while (waitpid(g_pid, NULL, WNOHANG) == 0 && i++ < 100) usleep(50000);
        if (i > 100) {
            kill(g_pid, SIGKILL);
            waitpid(g_pid, NULL, 0);
        }
        g_pid = 0;
    }
    if (!g_dir[0]) return;
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    if (system(cmd) != 0) fprintf(stderr, "cleanup of %s failed\n", g_dir);
    g_dir[0] = '\0';
}

/* stop() also runs when an assertion fails half-way. */
TestSuite(server_sessions, .fini = stop);

/* ---- FastCGI exchange ---- */

typedef struct reply {
    char *raw;         /* headers and body as the worker wrote them */
    int status;
    char *set_cookie;  /* value of the first Set-Cookie header, or NULL */
    int n_set_cookie;
    const char *body;
} reply_t;

static void reply_free(reply_t *r) {
    free(r->raw);
    free(r->set_cookie);
}

/* One request on a fresh connection. headers: NULL-terminated name/value list
 * of extra FastCGI params (HTTP_COOKIE, HTTP_AUTHORIZATION, ...). */
static reply_t exchange(const char *method, const char *path, const char *content_type, const char *body,
                        const char *const *headers) {
    char len[32];
    snprintf(len, sizeof len, "%zu", body ? strlen(body) : 0);
    const char *nv[32] = {"REQUEST_METHOD", method, "PATH_INFO", path, "QUERY_STRING", "", "CONTENT_LENGTH", len,
                          "HTTP_ACCEPT", "application/json", "REMOTE_ADDR", "127.0.0.1"};
    int n = 12;
    if (content_type) {
        nv[n++] = "CONTENT_TYPE";
        nv[n++] = content_type;
    }
    for (const char *const *h = headers; h && h[0] && n < 30; h += 2) {
        nv[n++] = h[0];
        nv[n++] = h[1];
    }
    nv[n] = NULL;
    int fd = fcgi_connect_unix(g_sock);
    cr_assert_geq(fd, 0, "liteset-fcgi did not start");
    strbuf_t b;
    strbuf_init(&b, 1024);
    fcgi_build_request(&b, 1, false, nv);
    fcgi_build_stdin(&b, 1, body, body ? strlen(body) : 0);
    fcgi_send_all(fd, b.data, b.len);
    strbuf_free(&b);
    uint16_t ids[] = {1};
    fcgi_reply_t rep[1];
    bool eof;
    cr_assert_eq(fcgi_read_replies(fd, ids, rep, 1, 10, &eof), 1, "%s %s: no reply", method, path);
    close(fd);
    reply_t r = {.raw = strndup(rep[0].stdout_data, rep[0].stdout_len)};
    fcgi_reply_free(&rep[0]);
    cr_assert_eq(sscanf(r.raw, "Status: %d", &r.status), 1, "%s", r.raw);
    char *end = strstr(r.raw, "\r\n\r\n");
    cr_assert(end, "%s", r.raw);
    r.body = end + 4;
    const char *line = r.raw;
    while (line < end) {
        if (!strncmp(line, "Set-Cookie: ", 12) && !r.n_set_cookie++)
            r.set_cookie = strndup(line + 12, strcspn(line + 12, "\r"));
        line = strstr(line, "\r\n") + 2;
    }
    return r;
}

static char *admin_bearer(void) {
    const char *body = "{\"username\":\"admin\",\"password\":\"admin\",\"provider\":\"db\"}";
    reply_t r = exchange("POST", "/api/v1/security/login", "application/json", body, NULL);
    cr_assert_eq(r.status, 200, "%s", r.raw);
    json_t *j = json_loads(r.body, 0, NULL);
    const char *tok = json_string_value(json_object_get(j, "access_token"));
    cr_assert(tok, "%s", r.body);
    char *h = NULL;
    cr_assert_gt(asprintf(&h, "Bearer %s", tok), 0);
    json_decref(j);
    reply_free(&r);
    return h;
}

/* The session id of a `session=<id>; ...` cookie (malloc'd). */
static char *cookie_id(const reply_t *r) {
    cr_assert(r->set_cookie, "no Set-Cookie in:\n%s", r->raw);
    cr_assert_eq(strncmp(r->set_cookie, "session=", 8), 0, "%s", r->set_cookie);
    return strndup(r->set_cookie + 8, strcspn(r->set_cookie + 8, ";"));
}

/* Checks `session=<43 b64u>; Expires=<now + 31 days>; HttpOnly; Path=/; SameSite=Lax`. */
static void assert_permanent_cookie(const reply_t *r) {
    char *id = cookie_id(r);
    cr_assert_eq(strlen(id), ID_LEN, "%s", r->set_cookie);
    cr_assert_eq(strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), ID_LEN);
    const char *rest = r->set_cookie + 8 + ID_LEN;
    struct tm tm = {0};
    const char *after = strptime(rest, "; Expires=%a, %d %b %Y %H:%M:%S GMT", &tm);
    cr_assert(after, "%s", r->set_cookie);
    cr_assert_str_eq(after, "; HttpOnly; Path=/; SameSite=Lax");
    double ahead = difftime(timegm(&tm), time(NULL));
    cr_assert(ahead > LIFETIME - 60 && ahead <= LIFETIME + 1, "Expires is %.0f s ahead", ahead);
    free(id);
}

/* ---- Redis (RESP over TCP) ---- */

typedef struct resp {
    char type;   /* '$' bulk, ':' integer, '+' status, '-' error, '_' nil */
    long long integer;
    char *data;  /* bulk or status text */
    size_t len;
} resp_t;

static bool read_exact(int fd, char *buf, size_t n) {
    size_t got = 0;
    while (got < n) {
        ssize_t k = read(fd, buf + got, n - got);
        if (k <= 0) return false;
        got += (size_t)k;
    }
    return true;
}

static char *read_line(int fd) {
    strbuf_t sb;
    strbuf_init(&sb, 64);
    char c;
    while (read_exact(fd, &c, 1) && c != '\n') strbuf_putc(&sb, c);
    if (sb.len && sb.data[sb.len - 1] == '\r') sb.data[--sb.len] = '\0';
    return sb.data;
}

/* One command against Redis db `db` of the stack (argv NULL-terminated). */
static resp_t redis(int db, const char *const *argv) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(harness_env("LITESET_TEST_REDIS_PORT")))};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    cr_assert_eq(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0, "redis is not reachable");
    char sel[64];
    snprintf(sel, sizeof sel, "*2\r\n$6\r\nSELECT\r\n$%d\r\n%d\r\n", db > 9 ? 2 : 1, db);
    fcgi_send_all(fd, sel, strlen(sel));
    free(read_line(fd)); /* +OK */
    strbuf_t cmd;
    strbuf_init(&cmd, 256);
    int argc = 0;
    while (argv[argc]) argc++;
    strbuf_printf(&cmd, "*%d\r\n", argc);
    for (int i = 0; i < argc; i++) strbuf_printf(&cmd, "$%zu\r\n%s\r\n", strlen(argv[i]), argv[i]);
    fcgi_send_all(fd, cmd.data, cmd.len);
    strbuf_free(&cmd);
    resp_t r = {0};
    char *line = read_line(fd);
    r.type = line[0];
    if (r.type == ':') r.integer = atoll(line + 1);
    if (r.type == '+' || r.type == '-') {
        r.data = strdup(line + 1);
        r.len = strlen(r.data);
    }
    if (r.type == '$' && atoll(line + 1) < 0) r.type = '_';
    if (r.type == '$') {
        r.len = (size_t)atoll(line + 1);
        r.data = malloc(r.len + 2);
        cr_assert(read_exact(fd, r.data, r.len + 2));
    }
    free(line);
    close(fd);
    return r;
}

static char *key_of(const char *id) {
    char *k = NULL;
    cr_assert_gt(asprintf(&k, "session:%s", id), 0);
    return k;
}

static long long redis_int(int db, const char *cmd, const char *key) {
    const char *argv[] = {cmd, key, NULL};
    resp_t r = redis(db, argv);
    cr_assert_eq(r.type, ':', "%s %s: %c", cmd, key, r.type);
    return r.integer;
}

/* The stored session, decoded. NULL when the key does not exist. */
static json_t *stored(int db, const char *id) {
    char *key = key_of(id);
    const char *argv[] = {"GET", key, NULL};
    resp_t r = redis(db, argv);
    free(key);
    if (r.type == '_') return NULL;
    cr_assert_eq(r.type, '$');
    const char *err = NULL;
    json_t *s = msgpack_json_decode(r.data, r.len, &err);
    cr_assert(s, "stored session is not msgpack: %s", err);
    free(r.data);
    return s;
}

static long long session_key_count(int db) {
    const char *argv[] = {"EVAL", "return #redis.call('KEYS', 'session:*')", "0", NULL};
    resp_t r = redis(db, argv);
    cr_assert_eq(r.type, ':');
    return r.integer;
}

/* The raw CSRF token inside a signed one: b64u(json("<hex>")) before the first '.'. */
static char *csrf_payload(const reply_t *r) {
    json_t *j = json_loads(r->body, 0, NULL);
    const char *signed_token = json_string_value(json_object_get(j, "result"));
    cr_assert(signed_token, "%s", r->body);
    char *p = strndup(signed_token, strcspn(signed_token, "."));
    json_decref(j);
    return p;
}

/* ---- tests ---- */

Test(server_sessions, csrf_token_creates_a_stored_session, .timeout = 60) {
    start(SERVER_SIDE);
    char *bearer = admin_bearer();
    long long before = session_key_count(0);
    const char *auth[] = {"HTTP_AUTHORIZATION", bearer, NULL};
    reply_t r1 = exchange("GET", "/api/v1/security/csrf_token/", NULL, NULL, auth);
    cr_assert_eq(r1.status, 200, "%s", r1.raw);
    cr_assert_eq(r1.n_set_cookie, 1, "%s", r1.raw);
    assert_permanent_cookie(&r1);
    char *id = cookie_id(&r1);
    cr_assert_eq(session_key_count(0), before + 1);

    /* Redis: {"_permanent": true, "csrf_token": "<40 hex>"} in that order, 31-day TTL */
    char *key = key_of(id);
    long long ttl = redis_int(0, "TTL", key);
    cr_assert(ttl > LIFETIME - 60 && ttl <= LIFETIME, "TTL %lld", ttl);
    json_t *s = stored(0, id);
    cr_assert(s, "no key %s", key);
    cr_assert_eq(json_object_size(s), 2, "stored keys: %zu", json_object_size(s));
    void *it = json_object_iter(s);
    cr_assert_str_eq(json_object_iter_key(it), "_permanent");
    cr_assert(json_is_true(json_object_iter_value(it)));
    const char *raw = json_string_value(json_object_get(s, "csrf_token"));
    cr_assert(raw && strlen(raw) == 40 && strspn(raw, "0123456789abcdef") == 40, "csrf_token %s", raw);
    json_decref(s);

    /* the cookie finds the session again: same raw token, same id, no new key */
    char *cookie = NULL;
    cr_assert_gt(asprintf(&cookie, "session=%s", id), 0);
    const char *auth_cookie[] = {"HTTP_AUTHORIZATION", bearer, "HTTP_COOKIE", cookie, NULL};
    reply_t r2 = exchange("GET", "/api/v1/security/csrf_token/", NULL, NULL, auth_cookie);
    cr_assert_eq(r2.status, 200, "%s", r2.raw);
    char *p1 = csrf_payload(&r1), *p2 = csrf_payload(&r2);
    cr_assert_str_eq(p1, p2, "the CSRF token changed");
    assert_permanent_cookie(&r2); /* sliding expiry: re-sent */
    char *id2 = cookie_id(&r2);
    cr_assert_str_eq(id2, id);
    cr_assert_eq(session_key_count(0), before + 1);

    free(p1), free(p2), free(id2), free(cookie), free(key), free(id), free(bearer);
    reply_free(&r1);
    reply_free(&r2);
}

Test(server_sessions, any_request_refreshes_ttl_and_cookie, .timeout = 60) {
    start(SERVER_SIDE);
    char *bearer = admin_bearer();
    const char *auth[] = {"HTTP_AUTHORIZATION", bearer, NULL};
    reply_t r1 = exchange("GET", "/api/v1/security/csrf_token/", NULL, NULL, auth);
    char *id = cookie_id(&r1);
    char *key = key_of(id);
    const char *expire[] = {"EXPIRE", key, "100", NULL};
    cr_assert_eq(redis(0, expire).integer, 1);
    cr_assert_leq(redis_int(0, "TTL", key), 100);

    char *cookie = NULL;
    cr_assert_gt(asprintf(&cookie, "session=%s", id), 0);
    const char *with_cookie[] = {"HTTP_COOKIE", cookie, NULL};
    reply_t r2 = exchange("GET", "/health", NULL, NULL, with_cookie); /* does not touch the session */
    cr_assert_eq(r2.status, 200, "%s", r2.raw);
    cr_assert(strstr(r2.raw, "\r\nVary: Accept-Encoding, Cookie\r\n"), "%s", r2.raw);
    assert_permanent_cookie(&r2);
    char *id2 = cookie_id(&r2);
    cr_assert_str_eq(id2, id);
    long long ttl = redis_int(0, "TTL", key);
    cr_assert(ttl > LIFETIME - 60, "TTL not refreshed: %lld", ttl);

    /* no cookie, untouched session: nothing stored, no cookie */
    long long before = session_key_count(0);
    reply_t r3 = exchange("GET", "/health", NULL, NULL, NULL);
    cr_assert_eq(r3.n_set_cookie, 0, "%s", r3.raw);
    cr_assert_eq(session_key_count(0), before);

    free(id2), free(cookie), free(key), free(id), free(bearer);
    reply_free(&r1);
    reply_free(&r2);
    reply_free(&r3);
}

Test(server_sessions, unknown_id_gets_a_new_id, .timeout = 60) {
    start(SERVER_SIDE);
    char *bearer = admin_bearer();
    const char *bogus = "session=not-a-stored-session-id";
    const char *h[] = {"HTTP_AUTHORIZATION", bearer, "HTTP_COOKIE", bogus, NULL};
    reply_t r = exchange("GET", "/api/v1/security/csrf_token/", NULL, NULL, h);
    cr_assert_eq(r.status, 200, "%s", r.raw);
    assert_permanent_cookie(&r);
    char *id = cookie_id(&r);
    json_t *s = stored(0, id);
    cr_assert(s, "the new id was not stored");
    json_decref(s);
    cr_assert_null(stored(0, "not-a-stored-session-id"));
    free(id), free(bearer);
    reply_free(&r);
}

Test(server_sessions, emptied_session_is_deleted, .timeout = 60) {
    /* Form login without CSRF gives a session holding only the login keys,
     * which logout removes: the session becomes empty. */
    char extra[256];
    snprintf(extra, sizeof extra, "%s\nWTF_CSRF_ENABLED = False", SERVER_SIDE);
    start(extra);
    reply_t r1 = exchange("POST", "/login/", "application/x-www-form-urlencoded", "username=admin&password=admin",
                          NULL);
    cr_assert_eq(r1.status, 302, "%s", r1.raw);
    assert_permanent_cookie(&r1);
    char *id = cookie_id(&r1);
    json_t *s = stored(0, id);
    cr_assert(s, "login session not stored");
    cr_assert(json_is_string(json_object_get(s, "_user_id")), "no _user_id in the stored session");
    cr_assert(json_is_true(json_object_get(s, "_permanent")));
    json_decref(s);

    char *cookie = NULL;
    cr_assert_gt(asprintf(&cookie, "session=%s", id), 0);
    const char *with_cookie[] = {"HTTP_COOKIE", cookie, NULL};
    reply_t r2 = exchange("GET", "/logout/", NULL, NULL, with_cookie);
    cr_assert_eq(r2.status, 302, "%s", r2.raw);
    cr_assert_eq(r2.n_set_cookie, 1, "%s", r2.raw);
    cr_assert_str_eq(r2.set_cookie, "session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/");
    char *key = key_of(id);
    cr_assert_eq(redis_int(0, "EXISTS", key), 0, "%s survived the logout", key);

    free(key), free(cookie), free(id);
    reply_free(&r1);
    reply_free(&r2);
}

Test(server_sessions, liteset_session_redis_url_selects_the_server, .timeout = 60) {
    char extra[256];
    snprintf(extra, sizeof extra, "%s\nLITESET_SESSION_REDIS_URL = 'redis://127.0.0.1:%s/3'", SERVER_SIDE,
             harness_env("LITESET_TEST_REDIS_PORT"));
    start(extra);
    char *bearer = admin_bearer();
    const char *auth[] = {"HTTP_AUTHORIZATION", bearer, NULL};
    reply_t r = exchange("GET", "/api/v1/security/csrf_token/", NULL, NULL, auth);
    cr_assert_eq(r.status, 200, "%s", r.raw);
    char *id = cookie_id(&r);
    json_t *s = stored(3, id);
    cr_assert(s, "not stored in db 3");
    json_decref(s);
    cr_assert_null(stored(0, id), "stored in the cache's db 0 too");
    free(id), free(bearer);
    reply_free(&r);
}

Test(server_sessions, unsupported_session_type_stores_nothing, .timeout = 60) {
    /* A failed form login writes a flash message into the session. */
    start("SESSION_SERVER_SIDE = True\nSESSION_TYPE = 'filesystem'\nWTF_CSRF_ENABLED = False");
    long long before = session_key_count(0);
    reply_t r = exchange("POST", "/login/", "application/x-www-form-urlencoded", "username=admin&password=wrong",
                         NULL);
    cr_assert_eq(r.status, 500, "%s", r.raw);
    /* no silent fall back to cookie sessions: no session cookie at all */
    cr_assert_eq(r.n_set_cookie, 0, "%s", r.raw);
    cr_assert_eq(session_key_count(0), before);
    reply_free(&r);
}
