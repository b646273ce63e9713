/* @has_access for views; see has_access.h. */
#include "fcgi/has_access.h"

#include "domain/security.h"
#include "fcgi/app.h"
#include "fcgi/auth.h"
#include "fcgi/errors.h"
#include "fcgi/spa/bootstrap.h"
#include "fcgi/urls.h"

bool has_access(request_t *req, const char *permission, const char *view_menu) {
    security_t *sec = req->app ? app_security(req->app) : NULL;
    if (sec && security_can(sec, req->cfg, auth_current_user(req), permission, view_menu)) return true;
    spa_flash(req, "danger", "Access is Denied");
    strbuf_t sb;
    strbuf_init_arena(&sb, req->arena, 128);
    strbuf_printf(&sb, "%s/login/?next=", req->script_root);
    url_quote_arg(&sb, url_request(req));
    resp_redirect(req, 302, sb.data);
    return false;
}

void redirect_to_login(request_t *req) {
    const char *next = *req->query ? arena_sprintf(req->arena, "%s?%s", req->path, req->query) : req->path;
    resp_redirect(req, 302, auth_login_url(req, next));
}

bool has_access_api(request_t *req, const char *permission, const char *view_menu) {
    security_t *sec = req->app ? app_security(req->app) : NULL;
    const sec_user_t *user = auth_current_user(req);
    if (sec && security_can(sec, req->cfg, user, permission, view_menu)) return true;
    resp_json(req, user ? 403 : 401, json_pack("{s:s,s:s}", "message", "Access is Denied", "severity", "danger"),
              JSON_FLASK);
    return false;
}
