/* Request session handling: signed cookies (lib/session_codec) or, with
 * SESSION_SERVER_SIDE, Flask-Session's Redis store (fcgi/session_store);
 * see session.h. */
#include "fcgi/session.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fcgi/session_store.h"
#include "lib/crypto.h"
#include "lib/session_codec.h"

#define COOKIE_DELETED "; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0"

/* Server-side state of the request's session. */
typedef struct session_server {
    const char *id;  /* id whose stored session was loaded; NULL for a new session
                      * (its id is made when it is first saved) */
    bool permanent;  /* the `_permanent` flag, kept out of the dict handlers see */
    bool failed;     /* the store cannot be used: nothing is written back */
} session_server_t;

const char *req_cookie(request_t *req, const char *name) {
    const char *h = req_header(req, "Cookie");
    size_t nlen = strlen(name);
    while (h && *h) {
        while (*h == ' ' || *h == ';') h++;
        const char *end = strchr(h, ';');
        size_t len = end ? (size_t)(end - h) : strlen(h);
        const char *eq = memchr(h, '=', len);
        if (eq && (size_t)(eq - h) == nlen && !memcmp(h, name, nlen)) {
            const char *v = eq + 1;
            size_t vlen = len - nlen - 1;
            if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') v++, vlen -= 2;
            return arena_strndup(req->arena, v, vlen);
        }
        h = end;
    }
    return NULL;
}

static void decref(void *p) { json_decref(p); }

static const char *cookie_name(const request_t *req) {
    return config_str(req->cfg, "SESSION_COOKIE_NAME", "session");
}

static bool server_side(const request_t *req) { return config_bool(req->cfg, "SESSION_SERVER_SIDE", false); }

static double lifetime(const request_t *req) { return config_real(req->cfg, "PERMANENT_SESSION_LIFETIME", 2678400); }

static json_t *load_cookie(request_t *req) {
    const char *cookie = req_cookie(req, cookie_name(req));
    if (!cookie || !*cookie) return NULL;
    const char *secret = config_str(req->cfg, "SECRET_KEY", "");
    return session_cookie_decode(req->arena, secret, cookie, (int64_t)time(NULL), (int64_t)lifetime(req));
}

/* Flask-Session's open_session: the cookie holds the id; an id that is absent
 * or unknown to the store gives a new session, permanent when
 * SESSION_PERMANENT (default True). `_permanent` moves from the dict to the
 * state, so that an empty dict means what Python's bool(session) means. */
static json_t *load_server(request_t *req) {
    session_server_t *st = arena_calloc(req->arena, 1, sizeof *st);
    req->session_server = st;
    st->permanent = config_bool(req->cfg, "SESSION_PERMANENT", true);
    if (session_store_config_error(req->cfg)) {
        st->failed = true;
        return NULL;
    }
    const char *id = req_cookie(req, cookie_name(req));
    if (!id || !*id) return NULL;
    json_t *s = NULL;
    session_store_status_t r = session_store_load(req, id, &s);
    if (r == SESSION_STORE_ERROR) st->failed = true;
    if (r != SESSION_STORE_FOUND) return NULL;
    st->id = id;
    st->permanent = json_is_true(json_object_get(s, "_permanent"));
    json_object_del(s, "_permanent");
    /* This response re-sends the cookie (sliding expiry), which adds Cookie to Vary. */
    if (st->permanent && json_object_size(s) && config_bool(req->cfg, "SESSION_REFRESH_EACH_REQUEST", true))
        req->session_accessed = true;
    return s;
}

static json_t *load(request_t *req) {
    if (req->session_loaded) return req->session;
    req->session_loaded = true;
    json_t *s = server_side(req) ? load_server(req) : load_cookie(req);
    if (!s) s = json_object();
    arena_on_free(req->arena, decref, s);
    req->session = s;
    return s;
}

bool session_open(request_t *req) {
    if (!server_side(req)) return true;
    load(req);
    return !req->session_server->failed;
}

json_t *session_dict(request_t *req) {
    req->session_accessed = true;
    return load(req);
}

json_t *session_get(request_t *req, const char *key) { return json_object_get(session_dict(req), key); }

const char *session_get_str(request_t *req, const char *key) {
    json_t *v = session_get(req, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

bool session_has(request_t *req, const char *key) { return json_object_get(load(req), key) != NULL; }

void session_set(request_t *req, const char *key, json_t *value) {
    json_object_set_new(session_dict(req), key, value);
    req->session_modified = true;
}

void session_del(request_t *req, const char *key) {
    if (json_object_del(session_dict(req), key) == 0) req->session_modified = true;
}

/* ---- Set-Cookie ---- */

/* werkzeug's http_date, independent of the locale. */
static const char *http_date(request_t *req, time_t t) {
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct tm tm;
    gmtime_r(&t, &tm);
    return arena_sprintf(req->arena, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday], tm.tm_mday,
                         months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* name=value and the attributes in werkzeug's order: Domain, Expires (with
 * Max-Age, given as text), Secure, HttpOnly, Path, SameSite. Talisman
 * replaces SameSite by its own setting. `bare` keeps only Domain, Expires
 * and Path: werkzeug's delete_cookie(key, path=, domain=), which is how
 * Flask-Session deletes its cookie. */
static const char *cookie_line(request_t *req, const char *value, const char *expires, bool bare) {
    strbuf_t sb;
    strbuf_init_arena(&sb, req->arena, 256);
    strbuf_printf(&sb, "%s=%s", cookie_name(req), value);
    const char *domain = config_str(req->cfg, "SESSION_COOKIE_DOMAIN", NULL);
    if (domain && *domain) {
        while (*domain == '.') domain++;
        const char *colon = strchr(domain, ':');
        strbuf_printf(&sb, "; Domain=%.*s", colon ? (int)(colon - domain) : (int)strlen(domain), domain);
    }
    if (expires) strbuf_puts(&sb, expires);
    const json_t *tc = config_get(req->cfg, "TALISMAN_CONFIG");
    bool talisman = config_bool(req->cfg, "TALISMAN_ENABLED", true);
    bool secure = config_bool(req->cfg, "SESSION_COOKIE_SECURE", false);
    if (talisman && tc && json_is_boolean(json_object_get(tc, "session_cookie_secure")))
        secure = json_is_true(json_object_get(tc, "session_cookie_secure"));
    if (secure && !bare) strbuf_puts(&sb, "; Secure");
    if ((talisman || config_bool(req->cfg, "SESSION_COOKIE_HTTPONLY", true)) && !bare) strbuf_puts(&sb, "; HttpOnly");
    const char *path = config_str(req->cfg, "SESSION_COOKIE_PATH", NULL);
    if (!path || !*path) path = config_str(req->cfg, "APPLICATION_ROOT", "/");
    strbuf_printf(&sb, "; Path=%s", path && *path ? path : "/");
    const char *samesite = config_str(req->cfg, "SESSION_COOKIE_SAMESITE", "Lax");
    if (talisman) {
        const json_t *v = tc ? json_object_get(tc, "session_cookie_samesite") : NULL;
        samesite = json_is_string(v) ? json_string_value(v) : "Lax";
    }
    if (samesite && *samesite && !bare) strbuf_printf(&sb, "; SameSite=%s", samesite);
    return sb.data;
}

static void save_cookie(request_t *req) {
    if (!req->session_modified) return;
    if (json_object_size(req->session) == 0) {
        resp_add_header(req, "Set-Cookie", cookie_line(req, "", COOKIE_DELETED, false));
        return;
    }
    const char *secret = config_str(req->cfg, "SECRET_KEY", "");
    const char *value = session_cookie_encode(req->arena, secret, req->session, (int64_t)time(NULL));
    resp_add_header(req, "Set-Cookie", cookie_line(req, value, NULL, false));
}

/* "; Expires=" now + PERMANENT_SESSION_LIFETIME (whole seconds, as http_date
 * drops the fraction). */
static const char *permanent_expires(request_t *req) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    double ahead = (double)now.tv_nsec / 1e9 + lifetime(req); /* >= 0: truncation is floor */
    return arena_sprintf(req->arena, "; Expires=%s", http_date(req, now.tv_sec + (time_t)ahead));
}

/* Flask-Session's save_session. It runs for every request, touched or not:
 * a non-empty session is written again (SESSION_REFRESH_EACH_REQUEST,
 * default True) and, when permanent, its cookie re-sent with a new Expires. */
static void save_server(request_t *req) {
    if (req->timed_out) return; /* the fiber is cancelled: Redis commands cannot run */
    load(req);
    session_server_t *st = req->session_server;
    if (st->failed) return;
    if (json_object_size(req->session) == 0) {
        if (!req->session_modified) return;
        if (st->id) session_store_delete(req, st->id);
        resp_add_header(req, "Set-Cookie", cookie_line(req, "", COOKIE_DELETED, true));
        return;
    }
    bool refresh = config_bool(req->cfg, "SESSION_REFRESH_EACH_REQUEST", true);
    if (!req->session_modified && !refresh) return;
    const char *id = st->id;
    if (!id) id = crypto_token_urlsafe(req->arena, (size_t)config_int(req->cfg, "SESSION_ID_LENGTH", 32));
    if (!session_store_save(req, id, req->session, st->permanent)) return; /* no cookie for an unsaved session */
    if (!req->session_modified && !(st->permanent && refresh)) return;
    resp_add_header(req, "Set-Cookie", cookie_line(req, id, st->permanent ? permanent_expires(req) : NULL, false));
}

void session_save(request_t *req) {
    if (server_side(req)) save_server(req);
    else save_cookie(req);
}
