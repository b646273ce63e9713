/* POST /superset/log/ (Superset.log): the frontend's event logger sends
 * batches of events here, with navigator.sendBeacon (multipart form) or a
 * form POST: `?explode=events` and a form field `events` holding a JSON list;
 * each event becomes one row of the `logs` table with action "log".
 * @has_access can_log on Superset (failure: flash + redirect to login);
 * CSRF-exempt through WTF_CSRF_EXEMPT_LIST (endpoint superset.views.core.log).
 * The answer is an empty 200. */
#include <ev.h>

#include "domain/security.h"
#include "fcgi/api/api.h"
#include "fcgi/app.h"
#include "fcgi/auth.h"
#include "fcgi/errors.h"
#include "fcgi/event_logger.h"
#include "fcgi/spa/bootstrap.h"
#include "fcgi/urls.h"

static void post_log(request_t *req) {
    double started = ev_time();
    security_t *sec = app_security(req->app);
    if (!sec || !security_can(sec, req->cfg, auth_current_user(req), "can_log", "Superset")) {
        spa_flash(req, "danger", "Access is Denied");
        strbuf_t sb;
        strbuf_init_arena(&sb, req->arena, 128);
        strbuf_printf(&sb, "%s/login/?next=", req->script_root);
        url_quote_arg(&sb, url_request(req));
        resp_redirect(req, 302, sb.data);
        return;
    }
    event_log_call_t call = {"log", "Superset.log", "/superset/log/", NULL, started};
    event_log_request(req, &call);
    resp_body(req, 200, "text/html; charset=utf-8", "", 0);
}

static const route_def_t routes[] = {
    {"POST", "/superset/log/", post_log, GUARD_PUBLIC, 0, "superset.views.core.log"},
};

const route_table_t legacy_log_routes = {routes, sizeof routes / sizeof routes[0], NULL};
