/* Web login and logout (Flask-AppBuilder's AuthDBView as Superset routes it):
 *   POST /login/            form login (CSRF-checked), redirects
 *   GET /logout/, /login/logout/   clears the login, redirects
 * GET /login/ is the SPA page (served with the other pages). */
#include <ctype.h>
#include <fnmatch.h>
#include <string.h>
#include <strings.h>

#include "domain/user.h"
#include "fcgi/api/api.h"
#include "fcgi/app.h"
#include "fcgi/auth.h"
#include "fcgi/errors.h"
#include "fcgi/formdata.h"
#include "fcgi/session.h"

#define INVALID_LOGIN "Invalid login. Please try again."

static void no_cache(request_t *req) {
    resp_add_header(req, "Cache-Control", "no-store, no-cache, must-revalidate, max-age=0");
    resp_add_header(req, "Pragma", "no-cache");
    resp_add_header(req, "Expires", "0");
}

static bool blank(const char *s) {
    if (!s) return true;
    while (*s && isspace((unsigned char)*s)) s++;
    return *s == '\0';
}

/* FAB's is_safe_redirect_url: relative URLs, or http(s) URLs to an allowed
 * host (FAB_SAFE_REDIRECT_HOSTS patterns, else the request's own host). */
static bool is_safe_redirect(request_t *req, const char *url) {
    if (!url || !*url || !strncmp(url, "///", 3)) return false;
    if ((unsigned char)url[0] < 0x20 || url[0] == 0x7f) return false;
    const char *colon = strchr(url, ':');
    const char *slash = strchr(url, '/');
    const char *scheme_end = colon && (!slash || colon < slash) ? colon : NULL;
    const char *rest = scheme_end ? scheme_end + 1 : url;
    if (scheme_end) {
        size_t sl = (size_t)(scheme_end - url);
        if (!((sl == 4 && !strncasecmp(url, "http", 4)) || (sl == 5 && !strncasecmp(url, "https", 5)))) return false;
        if (strncmp(rest, "//", 2)) return false; /* scheme without host */
    }
    if (strncmp(rest, "//", 2)) return true; /* no host: relative */
    const char *host = rest + 2;
    size_t hlen = strcspn(host, "/?#");
    char *h = arena_strndup(req->arena, host, hlen);
    char *at = strrchr(h, '@');
    if (at) h = at + 1;
    if (!*h) return !scheme_end;
    const json_t *allowed = config_get(req->cfg, "FAB_SAFE_REDIRECT_HOSTS");
    if (json_is_array(allowed) && json_array_size(allowed)) {
        size_t i;
        const json_t *pat;
        json_array_foreach(allowed, i, pat) {
            if (json_is_string(pat) && fnmatch(json_string_value(pat), h, 0) == 0) return true;
        }
        return false;
    }
    return req->host && !strcasecmp(h, req->host);
}

/* werkzeug url building for the next= value: !$'()*,/:;?@ stay, space is '+'. */
static char *quote_next(request_t *req, const char *s) {
    strbuf_t sb;
    strbuf_init_arena(&sb, req->arena, 64);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (isalnum(*p) || strchr("-._~!$'()*,/:;?@", *p)) strbuf_putc(&sb, (char)*p);
        else if (*p == ' ') strbuf_putc(&sb, '+');
        else strbuf_printf(&sb, "%%%02X", *p);
    }
    return sb.data;
}

static void flash(request_t *req, const char *category, const char *message) {
    json_t *flashes = session_get(req, "_flashes");
    json_t *list = json_is_array(flashes) ? json_deep_copy(flashes) : json_array();
    json_array_append_new(list, json_pack("{s:[s,s]}", " t", category, message));
    session_set(req, "_flashes", list);
}

static void login_post(request_t *req) {
    int auth_type = (int)config_int(req->cfg, "AUTH_TYPE", 1);
    if (auth_type != 1) {
        /* OAuth / remote user have no form POST; LDAP is not available here. */
        error_http(req, auth_type == 2 ? 500 : 405);
        return;
    }
    const char *index = *req->script_root ? req->script_root : "/";
    no_cache(req);
    if (auth_current_user(req)) {
        resp_redirect(req, 302, index);
        return;
    }
    const char *next = req_query_arg(req, "next");
    const char *safe_next = is_safe_redirect(req, next) ? next : index;
    const char *username = form_value(req, "username");
    const char *password = form_value(req, "password");
    sec_user_t *u = NULL;
    login_result_t r = LOGIN_FAILED;
    if (!blank(username) && !blank(password))
        r = user_auth_db(app_pg(req->app), req->arena, username, password, &u);
    if (r == LOGIN_ERROR) {
        error_http(req, 500);
        return;
    }
    if (r != LOGIN_OK) {
        flash(req, "warning", INVALID_LOGIN);
        resp_redirect(req, 302,
                      arena_sprintf(req->arena, "%s/login/?next=%s", req->script_root, quote_next(req, safe_next)));
        return;
    }
    auth_login_user(req, u);
    resp_redirect(req, 302, safe_next);
}

static void logout(request_t *req) {
    auth_current_user(req);
    auth_logout_user(req);
    const char *rc_name = config_str(req->cfg, "REMEMBER_COOKIE_NAME", "remember_token");
    const char *target = config_str(req->cfg, "LOGOUT_REDIRECT_URL", NULL);
    if (!target || !*target) target = *req->script_root ? req->script_root : "/";
    resp_redirect(req, 302, target);
    if (req_cookie(req, rc_name))
        resp_add_header(req, "Set-Cookie",
                        arena_sprintf(req->arena, "%s=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/",
                                      rc_name));
}

static const route_def_t routes[] = {
    {"POST", "/login/", login_post, GUARD_PUBLIC, 0, NULL},
    {"GET", "/logout/", logout, GUARD_PUBLIC, 0, NULL},
    {"GET", "/login/logout/", logout, GUARD_PUBLIC, 0, NULL},
};

const route_table_t auth_view_routes = {routes, sizeof routes / sizeof routes[0], NULL};
