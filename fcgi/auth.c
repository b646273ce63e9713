/* Request authentication, CSRF and protect(); see auth.h. */
#include "fcgi/auth.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "domain/security.h"
#include "fcgi/app.h"
#include "fcgi/errors.h"
#include "fcgi/formdata.h"
#include "fcgi/session.h"
#include "fcgi/urls.h"
#include "lib/jwt.h"
#include "lib/session_codec.h"
#include "lib/strbuf.h"

#define BEARER_HELP "Expected 'Authorization: Bearer <JWT>'"

static int64_t now_s(void) { return (int64_t)time(NULL); }

static const char *secret(const request_t *req) { return config_str(req->cfg, "SECRET_KEY", ""); }

/* ---- current user ---- */

static sec_user_t *load_active(request_t *req, int64_t id) {
    pg_pool_t *pg = app_pg(req->app);
    if (!pg || id <= 0) return NULL;
    pg_error_t err;
    sec_user_t *u = user_load(pg, req->arena, id, &err);
    return u && u->active ? u : NULL;
}

static int64_t parse_id(const char *s) {
    if (!s || !*s) return 0;
    char *end;
    long long v = strtoll(s, &end, 10);
    return *end || v <= 0 ? 0 : (int64_t)v;
}

/* Flask-Login "basic" session protection: a non-empty session whose _id is
 * not this client's identifier gets _fresh = false; nobody is logged out. */
static void session_protection(request_t *req) {
    json_t *s = session_dict(req);
    if (json_object_size(s) == 0) return;
    const char *id = login_identifier(req->arena, req->remote_addr, req_header(req, "X-Forwarded-For"),
                                      req_header(req, "User-Agent"));
    const char *sid = session_get_str(req, "_id");
    if (sid && !strcmp(sid, id)) return;
    if (!json_is_false(json_object_get(s, "_fresh"))) session_set(req, "_fresh", json_false());
}

static sec_user_t *guest_user(request_t *req) {
    if (!config_feature(req->cfg, "EMBEDDED_SUPERSET")) return NULL;
    const char *hdr = config_str(req->cfg, "GUEST_TOKEN_HEADER_NAME", "X-GuestToken");
    const char *token = req_header(req, hdr);
    if (!token || !*token) token = form_value(req, "guest_token"); /* the embedded frontend's form posts */
    if (!token || !*token) return NULL;
    const char *gsecret = config_str(req->cfg, "GUEST_TOKEN_JWT_SECRET", "");
    const char *aud = config_str(req->cfg, "GUEST_TOKEN_JWT_AUDIENCE", NULL);
    if (!aud) aud = config_str(req->cfg, "WEBDRIVER_BASEURL", "http://0.0.0.0:8080/");
    jwt_verify_opts_t o = {
        .alg = config_str(req->cfg, "GUEST_TOKEN_JWT_ALGO", "HS256"),
        .key = gsecret,
        .key_len = strlen(gsecret),
        .now = now_s(),
        .audience = aud,
    };
    json_t *claims = NULL;
    const char *msg;
    if (jwt_decode(req->arena, token, &o, &claims, &msg) != JWT_OK) return NULL;
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, claims);
    const json_t *user = json_object_get(claims, "user");
    const json_t *type = json_object_get(claims, "type");
    if (!json_is_object(user) || json_is_null(json_object_get(claims, "resources")) ||
        !json_object_get(claims, "resources") || !json_object_get(claims, "rls_rules") ||
        json_is_null(json_object_get(claims, "rls_rules")) || !json_is_string(type) ||
        strcmp(json_string_value(type), "guest"))
        return NULL;
    security_t *sec = app_security(req->app);
    const char *role = config_str(req->cfg, "GUEST_ROLE_NAME", "Public");
    sec_user_t *g = arena_calloc(req->arena, 1, sizeof *g);
    const char *un = json_string_value(json_object_get(user, "username"));
    const char *fn = json_string_value(json_object_get(user, "first_name"));
    const char *ln = json_string_value(json_object_get(user, "last_name"));
    g->username = arena_strdup(req->arena, un ? un : "guest_user");
    g->first_name = arena_strdup(req->arena, fn ? fn : "Guest");
    g->last_name = arena_strdup(req->arena, ln ? ln : "User");
    g->active = true;
    g->is_guest = true;
    g->guest_claims = claims;
    g->roles = arena_calloc(req->arena, 1, sizeof *g->roles);
    g->roles[0].id = security_role_id(sec, role);
    g->roles[0].name = arena_strdup(req->arena, role);
    g->nroles = g->roles[0].id ? 1 : 0;
    return g;
}

static sec_user_t *remote_user(request_t *req) {
    if (config_int(req->cfg, "AUTH_TYPE", 1) != 3) return NULL;
    const char *var = config_str(req->cfg, "AUTH_REMOTE_USER_ENV_VAR", "REMOTE_USER");
    const char *name = req_param(req, var);
    if (!name || !*name || !app_pg(req->app)) return NULL;
    pg_error_t err;
    sec_user_t *u = user_find_by_username(app_pg(req->app), req->arena, name, &err);
    if (u) auth_login_user(req, u);
    return u;
}

sec_user_t *auth_current_user(request_t *req) {
    if (req->user_resolved) return req->user;
    req->user_resolved = true;
    session_protection(req);
    sec_user_t *u = NULL;
    const json_t *uid = session_get(req, "_user_id");
    if (json_is_string(uid)) u = load_active(req, parse_id(json_string_value(uid)));
    if (!u) {
        const char *rc = req_cookie(req, config_str(req->cfg, "REMEMBER_COOKIE_NAME", "remember_token"));
        const char *id = rc ? remember_cookie_verify(req->arena, secret(req), rc) : NULL;
        if (id && (u = load_active(req, parse_id(id)))) {
            session_set(req, "_user_id", json_string(id));
            session_set(req, "_fresh", json_false());
        }
    }
    if (!u) u = remote_user(req);
    if (!u) u = guest_user(req);
    req->user = u;
    if (u) req->user_name = u->username;
    return u;
}

void auth_login_user(request_t *req, const sec_user_t *u) {
    const char *id = login_identifier(req->arena, req->remote_addr, req_header(req, "X-Forwarded-For"),
                                      req_header(req, "User-Agent"));
    session_set(req, "_user_id", json_string(arena_sprintf(req->arena, "%lld", (long long)u->id)));
    session_set(req, "_fresh", json_true());
    session_set(req, "_id", json_string(id));
    req->user = (sec_user_t *)u;
    req->user_resolved = true;
    req->user_name = u->username;
}

void auth_logout_user(request_t *req) {
    session_del(req, "_user_id");
    session_del(req, "_fresh");
    session_del(req, "_id");
    req->user = NULL;
    req->user_resolved = true;
}

/* ---- CSRF ---- */

const char *auth_csrf_token(request_t *req) {
    const char *raw = session_get_str(req, "csrf_token");
    if (!raw) {
        raw = csrf_new_raw_token(req->arena);
        session_set(req, "csrf_token", json_string(raw));
    }
    return csrf_sign(req->arena, secret(req), raw, now_s());
}

/* First form field named csrf_token, else the first one whose name ends
 * with it (Flask-WTF's lookup order). */
typedef struct csrf_field {
    const char *exact;
    const char *suffixed;
} csrf_field_t;

static void find_csrf_field(void *ud, const char *name, const char *value, size_t value_len) {
    (void)value_len;
    csrf_field_t *f = ud;
    size_t n = strlen(name);
    if (n < 10 || strcmp(name + n - 10, "csrf_token")) return;
    if (n == 10 && !f->exact) f->exact = value;
    else if (n > 10 && !f->suffixed) f->suffixed = value;
}

static const char *form_csrf_token(request_t *req) {
    csrf_field_t f = {0};
    form_foreach(req, find_csrf_field, &f);
    return f.exact ? f.exact : f.suffixed;
}

static bool method_listed(const request_t *req) {
    const json_t *methods = config_get(req->cfg, "WTF_CSRF_METHODS");
    size_t i;
    const json_t *m;
    json_array_foreach(methods, i, m) {
        if (json_is_string(m) && !strcmp(json_string_value(m), req->method)) return true;
    }
    return false;
}

static bool endpoint_exempt(const request_t *req, const route_def_t *route) {
    if (route->flags & ROUTE_CSRF_EXEMPT) return true;
    if (!route->endpoint) return false;
    const json_t *list = config_get(req->cfg, "WTF_CSRF_EXEMPT_LIST");
    size_t i;
    const json_t *e;
    json_array_foreach(list, i, e) {
        if (json_is_string(e) && !strcmp(json_string_value(e), route->endpoint)) return true;
    }
    return false;
}

static const char *referrer_problem(request_t *req) {
    const char *ref = req_header(req, "Referer");
    if (!ref || !*ref) return "The referrer header is missing.";
    const char *host = req->host ? req->host : "";
    char *good = arena_sprintf(req->arena, "https://%s/", host);
    size_t glen = strlen(good) - 1; /* compare scheme://host[:port] */
    if (strncasecmp(ref, good, glen) || (ref[glen] && ref[glen] != '/' && ref[glen] != '?' && ref[glen] != '#'))
        return "The referrer does not match the host.";
    return NULL;
}

bool auth_check_csrf(request_t *req, const route_def_t *route) {
    if (!config_bool(req->cfg, "WTF_CSRF_ENABLED", true) || !config_bool(req->cfg, "WTF_CSRF_CHECK_DEFAULT", true))
        return true;
    if (!method_listed(req) || endpoint_exempt(req, route)) return true;
    const char *token = form_csrf_token(req);
    if (!token || !*token) token = req_header(req, "X-CSRFToken");
    if (!token || !*token) token = req_header(req, "X-CSRF-Token");
    const char *reason = NULL;
    if (!token || !*token) {
        reason = "The CSRF token is missing.";
    } else if (!session_has(req, "csrf_token")) {
        reason = "The CSRF session token is missing.";
    } else {
        const char *raw = json_string_value(json_object_get(req->session, "csrf_token"));
        int64_t limit = config_int(req->cfg, "WTF_CSRF_TIME_LIMIT", 3600);
        reason = csrf_validate(req->arena, secret(req), token, raw ? raw : "", now_s(), limit);
        if (!reason || !strcmp(reason, "The CSRF tokens do not match.")) req->session_accessed = true;
    }
    if (!reason && !strcmp(req->scheme, "https") && config_bool(req->cfg, "WTF_CSRF_SSL_STRICT", true))
        reason = referrer_problem(req);
    if (!reason) return true;
    if (req_is_json(req)) {
        error_http_desc(req, 400, reason);
        return false;
    }
    const char *next = *req->query ? arena_sprintf(req->arena, "%s?%s", req->path, req->query) : req->path;
    resp_redirect(req, 302, auth_login_url(req, next));
    req->from_error_handler = true;
    return false;
}

char *auth_login_url(request_t *req, const char *next) {
    strbuf_t sb;
    strbuf_init_arena(&sb, req->arena, 64);
    strbuf_printf(&sb, "%s/login/", req->script_root);
    if (!next || !*next) return sb.data;
    strbuf_puts(&sb, "?next=");
    url_quote_plus(&sb, next);
    return sb.data;
}

/* ---- bearer tokens ---- */

static const char *jwt_key(const request_t *req, size_t *len) {
    const char *k = config_str(req->cfg, "JWT_SECRET_KEY", NULL);
    if (!k || !*k) k = secret(req);
    *len = strlen(k);
    return k;
}

/* flask-jwt-extended's header parsing: returns the token or NULL after
 * writing the error. */
static const char *bearer_token(request_t *req) {
    const char *h = req_header(req, "Authorization");
    char *v = arena_strdup(req->arena, h ? h : "");
    /* strip whitespace, then commas */
    char *s = v;
    while (*s && isspace((unsigned char)*s)) s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1])) n--;
    s[n] = '\0';
    while (*s == ',') s++;
    n = strlen(s);
    while (n && s[n - 1] == ',') n--;
    s[n] = '\0';
    if (!*s) {
        error_jwt(req, 401, "Missing Authorization Header");
        return NULL;
    }
    const char *match = NULL;
    int count = 0;
    char *save = NULL;
    for (char *part = strtok_r(s, ",", &save); part; part = strtok_r(NULL, ",", &save)) {
        while (*part == ' ') part++;
        if (!strncmp(part, "Bearer", 6) && (part[6] == '\0' || isspace((unsigned char)part[6]))) {
            match = part;
            count++;
        }
    }
    if (count != 1) {
        error_jwt(req, 401, "Missing 'Bearer' type in 'Authorization' header. " BEARER_HELP);
        return NULL;
    }
    /* exactly two whitespace-separated words */
    const char *p = match + 6;
    while (*p && isspace((unsigned char)*p)) p++;
    const char *tok = p;
    while (*p && !isspace((unsigned char)*p)) p++;
    const char *tok_end = p;
    while (*p && isspace((unsigned char)*p)) p++;
    if (tok == tok_end || *p) {
        error_jwt(req, 422, "Bad Authorization header. " BEARER_HELP);
        return NULL;
    }
    return arena_strndup(req->arena, tok, (size_t)(tok_end - tok));
}

sec_user_t *auth_bearer_user(request_t *req, bool want_refresh, int64_t *sub_out) {
    const char *token = bearer_token(req);
    if (!token) return NULL;
    size_t klen;
    const char *key = jwt_key(req, &klen);
    jwt_verify_opts_t o = {
        .alg = config_str(req->cfg, "JWT_ALGORITHM", "HS256"),
        .key = key,
        .key_len = klen,
        .now = now_s(),
        .audience = config_str(req->cfg, "JWT_DECODE_AUDIENCE", NULL),
        .flask_jwt_extended = true, /* aud is only checked when an audience is configured */
    };
    json_t *claims = NULL;
    const char *msg = NULL;
    jwt_status_t st = jwt_decode(req->arena, token, &o, &claims, &msg);
    if (st == JWT_EXPIRED) {
        error_jwt(req, 401, "Token has expired");
        return NULL;
    }
    if (st != JWT_OK) {
        error_jwt(req, 422, msg ? msg : "Invalid token");
        return NULL;
    }
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, claims);
    const json_t *sub = json_object_get(claims, "sub");
    if (!sub) {
        error_jwt(req, 422, "Missing claim: sub");
        return NULL;
    }
    const char *type = json_string_value(json_object_get(claims, "type"));
    bool is_refresh = type && !strcmp(type, "refresh");
    if (want_refresh && !is_refresh) {
        error_jwt(req, 422, "Only refresh tokens are allowed");
        return NULL;
    }
    if (!want_refresh && is_refresh) {
        error_jwt(req, 422, "Only non-refresh tokens are allowed");
        return NULL;
    }
    const char *subs = json_string_value(sub);
    int64_t id = parse_id(subs);
    sec_user_t *u = load_active(req, id);
    if (!u) {
        error_jwt(req, 401, arena_sprintf(req->arena, "Error loading the user %s", subs ? subs : ""));
        return NULL;
    }
    if (sub_out) *sub_out = id;
    return u;
}

/* ---- protect() ---- */

bool auth_check_guard(request_t *req, const route_def_t *route) {
    const route_guard_t *g = &route->guard;
    if (!strcmp(g->permission, GUARD_PUBLIC_NAME)) return true;
    security_t *sec = app_security(req->app);
    if (security_public_can(sec, req->cfg, g->permission, g->view_menu)) return true;
    sec_user_t *u = auth_current_user(req);
    if (!u) {
        u = auth_bearer_user(req, false, NULL);
        if (!u) return false;
        req->user = u;
        req->user_name = u->username;
    }
    if (security_can(sec, req->cfg, u, g->permission, g->view_menu)) return true;
    error_fab(req, 403, "Forbidden");
    return false;
}
