/* Request session handling on top of lib/session_codec; see session.h. */
#include "fcgi/session.h"

#include <string.h>
#include <time.h>

#include "lib/session_codec.h"

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

static json_t *load(request_t *req) {
    if (req->session_loaded) return req->session;
    req->session_loaded = true;
    json_t *s = NULL;
    const char *cookie = req_cookie(req, cookie_name(req));
    const char *secret = config_str(req->cfg, "SECRET_KEY", "");
    if (cookie && *cookie) {
        int64_t max_age = (int64_t)config_real(req->cfg, "PERMANENT_SESSION_LIFETIME", 2678400);
        s = session_cookie_decode(req->arena, secret, cookie, (int64_t)time(NULL), max_age);
    }
    if (!s) s = json_object();
    arena_on_free(req->arena, decref, s);
    req->session = s;
    return s;
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

/* Cookie attributes in werkzeug's order: Domain, Expires, Max-Age, Secure,
 * HttpOnly, Path, SameSite. Talisman replaces SameSite by its own setting. */
static void cookie_attrs(request_t *req, strbuf_t *sb, bool deleting) {
    const char *domain = config_str(req->cfg, "SESSION_COOKIE_DOMAIN", NULL);
    if (domain && *domain) {
        while (*domain == '.') domain++;
        const char *colon = strchr(domain, ':');
        strbuf_printf(sb, "; Domain=%.*s", colon ? (int)(colon - domain) : (int)strlen(domain), domain);
    }
    if (deleting) strbuf_puts(sb, "; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0");
    const json_t *tc = config_get(req->cfg, "TALISMAN_CONFIG");
    bool talisman = config_bool(req->cfg, "TALISMAN_ENABLED", true);
    bool secure = config_bool(req->cfg, "SESSION_COOKIE_SECURE", false);
    if (talisman && tc && json_is_boolean(json_object_get(tc, "session_cookie_secure")))
        secure = json_is_true(json_object_get(tc, "session_cookie_secure"));
    if (secure) strbuf_puts(sb, "; Secure");
    if (talisman || config_bool(req->cfg, "SESSION_COOKIE_HTTPONLY", true)) strbuf_puts(sb, "; HttpOnly");
    const char *path = config_str(req->cfg, "SESSION_COOKIE_PATH", NULL);
    if (!path || !*path) path = config_str(req->cfg, "APPLICATION_ROOT", "/");
    strbuf_printf(sb, "; Path=%s", path && *path ? path : "/");
    const char *samesite = config_str(req->cfg, "SESSION_COOKIE_SAMESITE", "Lax");
    if (talisman) {
        const json_t *v = tc ? json_object_get(tc, "session_cookie_samesite") : NULL;
        samesite = json_is_string(v) ? json_string_value(v) : "Lax";
    }
    if (samesite && *samesite) strbuf_printf(sb, "; SameSite=%s", samesite);
}

void session_save(request_t *req) {
    if (!req->session_modified) return;
    strbuf_t sb;
    strbuf_init_arena(&sb, req->arena, 512);
    strbuf_printf(&sb, "%s=", cookie_name(req));
    bool empty = json_object_size(req->session) == 0;
    if (!empty) {
        const char *secret = config_str(req->cfg, "SECRET_KEY", "");
        strbuf_puts(&sb, session_cookie_encode(req->arena, secret, req->session, (int64_t)time(NULL)));
    }
    cookie_attrs(req, &sb, empty);
    resp_add_header(req, "Set-Cookie", sb.data);
}
