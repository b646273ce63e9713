/* Server-rendered pages: every path of Superset 6.0.0 that answers with the
 * SPA shell (fcgi/spa/shell.h), or redirects on its way there.
 *
 * Permission checks follow Flask-AppBuilder's @has_access, not protect():
 * on failure the session gets the flash ("danger", "Access is Denied") and
 * the answer is 302 to /login/?next=<the absolute URL>. That is why these
 * routes are declared GUARD_PUBLIC and check their permission themselves,
 * from the rule attached to each handler. Views Superset wraps in
 * event_logger.log_this write their `logs` row after the view ran; a view
 * that raises an HTTP error (abort) writes none.
 *
 * Not served here: the legacy POST /superset/explore/ page (its webpack
 * entry does not exist in 6.0.0: 404 here). */
#include <string.h>
#include <strings.h>

#include "domain/page_lookup.h"
#include "domain/registration.h"
#include "domain/security.h"
#include "fcgi/api/explore_form_data.h"
#include "fcgi/api/explore_legacy.h"
#include "fcgi/api/api.h"
#include "fcgi/app.h"
#include "fcgi/auth.h"
#include "fcgi/errors.h"
#include "fcgi/event_logger.h"
#include "fcgi/formdata.h"
#include "fcgi/has_access.h"
#include "fcgi/session.h"
#include "fcgi/spa/bootstrap.h"
#include "fcgi/spa/conf.h"
#include "fcgi/spa/shell.h"
#include "fcgi/urls.h"
#include "lib/session_codec.h"

/* A view's run: what it wants logged, and whether it aborted. */
typedef struct page_ctx {
    json_t *log_extra; /* add_extra_log_payload() values (owned) */
    bool aborted;      /* abort(status): no log row */
    double started_at;
} page_ctx_t;

typedef void (*page_view_fn)(request_t *req, page_ctx_t *ctx);

typedef struct page_rule {
    const char *perm, *view; /* @has_access permission; NULL: none */
    const char *flag;        /* feature flag the view requires, else abort(404) */
    page_view_fn fn;         /* NULL: the plain shell */
    const char *action;      /* event_logger action; NULL: not logged */
    const char *object_ref;
    const char *url_rule;    /* the route pattern, for the log payload */
    bool no_cache;           /* FAB's @no_cache */
} page_rule_t;

/* ---- helpers ---- */

static void no_cache(request_t *req) {
    resp_add_header(req, "Cache-Control", "no-store, no-cache, must-revalidate, max-age=0");
    resp_add_header(req, "Pragma", "no-cache");
    resp_add_header(req, "Expires", "0");
}

static const char *index_url(request_t *req) { return *req->script_root ? req->script_root : "/"; }

static void abort_status(request_t *req, page_ctx_t *ctx, int status) {
    ctx->aborted = true;
    error_http(req, status);
}

/* The view's keyword arguments: path parameters, <int:...> ones as numbers. */
static json_t *view_kwargs(request_t *req, const char *url_rule) {
    json_t *kw = json_object();
    for (int i = 0; i < req->n_path_params; i++) {
        const path_param_t *p = &req->path_params[i];
        char *intform = arena_sprintf(req->arena, "<int:%s>", p->name);
        json_t *v = url_rule && strstr(url_rule, intform) ? json_integer((json_int_t)p->int_value) : json_string(p->value);
        json_object_set_new(kw, p->name, v ? v : json_null());
    }
    return kw;
}

static void log_view(request_t *req, const page_ctx_t *ctx, const char *action, const char *object_ref,
                     const char *url_rule) {
    json_t *over = view_kwargs(req, url_rule);
    if (ctx->log_extra) json_object_update(over, ctx->log_extra);
    event_log_call_t call = {action, object_ref, url_rule, over, ctx->started_at};
    event_log_request(req, &call);
    json_decref(over);
}

/* render_app_template(): the shell with {"user", "common", ...extra}. */
static void render_app(request_t *req, json_t *extra, const char *title, bool standalone) {
    const sec_user_t *u = auth_current_user(req);
    json_t *boot = spa_bootstrap(req, u, extra);
    spa_page_t page = {"spa", title, standalone, boot};
    spa_render(req, &page);
    json_decref(boot);
}

static bool standalone_mode(request_t *req) {
    const char *s = req_query_arg(req, "standalone");
    return s && *s && strcmp(s, "false") && strcmp(s, "0");
}

/* Runs one rule: permission, feature flag, view, event log. */
static void serve(request_t *req, const page_rule_t *rule) {
    page_ctx_t ctx = {.started_at = ev_time()};
    if (rule->perm && !has_access(req, rule->perm, rule->view)) return;
    if (rule->flag && !config_feature(req->cfg, rule->flag)) {
        abort_status(req, &ctx, 404);
    } else if (rule->fn) {
        rule->fn(req, &ctx);
    } else {
        render_app(req, NULL, NULL, false);
    }
    if (rule->no_cache) no_cache(req);
    if (rule->action && !ctx.aborted) log_view(req, &ctx, rule->action, rule->object_ref, rule->url_rule);
    json_decref(ctx.log_extra);
}

/* ---- views ---- */

static void view_index(request_t *req, page_ctx_t *ctx) {
    (void)ctx;
    resp_redirect(req, 302, arena_sprintf(req->arena, "%s/superset/welcome/", req->script_root));
}

/* Superset.dashboard for id_or_slug (also reached from the welcome page). */
static void dashboard_view(request_t *req, page_ctx_t *ctx, const char *id_or_slug) {
    pg_pool_t *pg = app_pg(req->app);
    sec_user_t *u = auth_current_user(req);
    page_dashboard_t d;
    lookup_t found = page_dashboard_find(pg, req->arena, id_or_slug, &d);
    if (found == LOOKUP_ERROR) { abort_status(req, ctx, 500); return; }
    if (found == LOOKUP_MISSING) {
        if (u) abort_status(req, ctx, 404);
        else redirect_to_login(req);
        return;
    }
    if (!u && !d.published) { redirect_to_login(req); return; }
    lookup_t access = page_dashboard_access(pg, app_security(req->app), req->cfg, req->arena, u, &d);
    if (access == LOOKUP_ERROR) { abort_status(req, ctx, 500); return; }
    if (access == LOOKUP_MISSING) {
        if (u) abort_status(req, ctx, 404);
        else redirect_to_login(req);
        return;
    }
    bool owner = page_dashboard_is_owner(pg, req->cfg, req->arena, u, d.id) == LOOKUP_FOUND;
    bool can_write = security_can(app_security(req->app), req->cfg, u, "can_write", "Dashboard");
    const char *edit = req_query_arg(req, "edit");
    ctx->log_extra = json_pack("{s:I,s:s,s:b,s:b}", "dashboard_id", (json_int_t)d.id, "dashboard_version", "v2",
                               "dash_edit_perm", owner && can_write, "edit_mode", edit && !strcmp(edit, "true"));
    render_app(req, NULL, d.title, standalone_mode(req));
}

static void view_dashboard(request_t *req, page_ctx_t *ctx) {
    dashboard_view(req, ctx, req_path_param(req, "dashboard_id_or_slug"));
}

static void view_welcome(request_t *req, page_ctx_t *ctx) {
    sec_user_t *u = auth_current_user(req);
    if (!u || u->is_guest) { redirect_to_login(req); return; }
    int64_t wid = 0;
    lookup_t w = page_welcome_dashboard(app_pg(req->app), req->arena, u->id, &wid);
    if (w == LOOKUP_ERROR) { abort_status(req, ctx, 500); return; }
    if (w == LOOKUP_FOUND) { /* self.dashboard(...): its own permission check and log row */
        page_ctx_t inner = {.started_at = ev_time()};
        if (!has_access(req, "can_dashboard", "Superset")) return;
        const char *id = arena_sprintf(req->arena, "%lld", (long long)wid);
        dashboard_view(req, &inner, id);
        if (inner.aborted) {
            ctx->aborted = true;
        } else {
            json_t *kw = json_pack("{s:s}", "dashboard_id_or_slug", id);
            json_object_update(kw, inner.log_extra);
            event_log_call_t call = {"dashboard", "Superset.dashboard", "/superset/welcome/", kw, inner.started_at};
            event_log_request(req, &call);
            json_decref(kw);
        }
        json_decref(inner.log_extra);
        return;
    }
    render_app(req, NULL, NULL, false);
}

static void view_slice(request_t *req, page_ctx_t *ctx) {
    int64_t id = req_path_int(req, "slice_id");
    lookup_t found = page_chart_exists(app_pg(req->app), req->arena, id);
    if (found != LOOKUP_FOUND) { abort_status(req, ctx, found == LOOKUP_ERROR ? 500 : 404); return; }
    /* form_data = quote(json.dumps({"slice_id": id})), encoded again by url_for */
    char *once = arena_sprintf(req->arena, "%%7B%%22slice_id%%22%%3A%%20%lld%%7D", (long long)id);
    strbuf_t sb;
    strbuf_init_arena(&sb, req->arena, 96);
    strbuf_printf(&sb, "%s/explore/?form_data=", req->script_root);
    url_quote_arg(&sb, once);
    if (standalone_mode(req)) strbuf_puts(&sb, "&standalone=true");
    resp_redirect(req, 302, sb.data);
}

/* Legacy explore: GET moves to /explore/ keeping the query (a form_data
 * naming a datasource is cached and replaced by form_data_key); a POST
 * with ?action=saveas|overwrite saves the chart (explore_legacy_save.c);
 * the POST page of 6.0.0 loads no JavaScript, so it is a 404 here. */
static void view_explore_legacy(request_t *req, page_ctx_t *ctx) {
    if (strcmp(req->method, "GET")) {
        if (!explore_legacy_post(req)) abort_status(req, ctx, 404);
        return;
    }
    const char *loc = fd_legacy_redirect_url(req);
    if (!loc) { abort_status(req, ctx, 500); return; }
    resp_redirect(req, 302, loc);
}

static void view_sqllab_root(request_t *req, page_ctx_t *ctx) {
    (void)ctx;
    json_t *extra = json_object();
    const char *fd = form_value(req, "form_data");
    if (fd && *fd) {
        json_t *q = json_loads(fd, JSON_DECODE_ANY, NULL);
        if (q) json_object_set_new(extra, "requested_query", q);
    }
    render_app(req, extra, NULL, false);
}

/* permalink_view calls self.root(), which checks and logs again. */
static void view_sqllab_permalink(request_t *req, page_ctx_t *ctx) {
    (void)ctx;
    if (!has_access(req, "can_read", "SQLLab")) return;
    page_ctx_t inner = {.started_at = ev_time()};
    view_sqllab_root(req, &inner);
    log_view(req, &inner, "root", "SqllabView.root", "/sqllab/p/<string:permalink>/");
}

static void view_sqllab_history_legacy(request_t *req, page_ctx_t *ctx) {
    (void)ctx;
    resp_redirect(req, 302, arena_sprintf(req->arena, "%s/sqllab/history/", req->script_root));
}

static void view_dashboard_new(request_t *req, page_ctx_t *ctx) {
    sec_user_t *u = auth_current_user(req);
    if (!u || u->is_guest) { redirect_to_login(req); return; }
    int64_t id = page_dashboard_create_blank(app_pg(req->app), req->arena, u);
    if (!id) { abort_status(req, ctx, 500); return; }
    resp_redirect(req, 302, arena_sprintf(req->arena, "%s/superset/dashboard/%lld/?edit=true", req->script_root,
                                          (long long)id));
}

/* login_user(AnonymousUserMixin(), force=True): the request (and the
 * session) continue as anonymous. */
static void login_anonymous(request_t *req) {
    session_set(req, "_user_id", json_null());
    session_set(req, "_fresh", json_true());
    session_set(req, "_id", json_string(login_identifier(req->arena, req->remote_addr,
                                                         req_header(req, "X-Forwarded-For"),
                                                         req_header(req, "User-Agent"))));
    req->user = NULL;
    req->user_resolved = true;
}

static void render_embedded(request_t *req, json_t *payload) {
    spa_page_t page = {"embedded", NULL, false, payload};
    spa_render(req, &page);
    json_decref(payload);
}

static void view_dashboard_embedded(request_t *req, page_ctx_t *ctx) {
    const char *id = req_path_param(req, "dashboard_id_or_slug");
    if (!config_feature(req->cfg, "EMBEDDED_SUPERSET")) { /* Response(status=404): empty, still logged */
        resp_body(req, 404, "text/html; charset=utf-8", "", 0);
        return;
    }
    login_anonymous(req);
    ctx->log_extra = json_pack("{s:s,s:s}", "dashboard_id", id, "dashboard_version", "v2");
    render_embedded(req, json_pack("{s:o,s:{s:s}}", "common", spa_bootstrap_common(req, NULL), "embedded",
                                   "dashboard_id", id));
}

/* flask_wtf's same_origin: scheme, host name and port agree. */
static bool same_origin(request_t *req, const char *a, const char *b) {
    if (!a || !b) return false;
    const char *sa = strstr(a, "://"), *sb = strstr(b, "://");
    if (!sa || !sb || sa - a != sb - b || strncasecmp(a, b, (size_t)(sa - a))) return false;
    sa += 3;
    sb += 3;
    size_t la = strcspn(sa, "/?#"), lb = strcspn(sb, "/?#");
    const char *ha = arena_strndup(req->arena, sa, la), *hb = arena_strndup(req->arena, sb, lb);
    const char *at;
    if ((at = strrchr(ha, '@'))) ha = at + 1;
    if ((at = strrchr(hb, '@'))) hb = at + 1;
    return !strcasecmp(ha, hb);
}

static void view_embedded_uuid(request_t *req, page_ctx_t *ctx) {
    const char *uuid = req_path_param(req, "uuid");
    if (!config_feature(req->cfg, "EMBEDDED_SUPERSET")) { abort_status(req, ctx, 404); return; }
    int64_t dashboard_id = 0;
    const char *domains = NULL;
    lookup_t found = page_embedded_find(app_pg(req->app), req->arena, uuid, &dashboard_id, &domains);
    if (found != LOOKUP_FOUND) { abort_status(req, ctx, found == LOOKUP_ERROR ? 500 : 404); return; }
    if (domains && *domains) {
        bool ok = false;
        char *list = arena_strdup(req->arena, domains), *save = NULL;
        for (char *d = strtok_r(list, ",", &save); d && !ok; d = strtok_r(NULL, ",", &save))
            ok = same_origin(req, req_header(req, "Referer"), d);
        if (!ok) { abort_status(req, ctx, 403); return; }
    }
    login_anonymous(req);
    ctx->log_extra = json_pack("{s:s,s:s}", "embedded_dashboard_id", uuid, "dashboard_version", "v2");
    const char *header = spa_conf_str(req->cfg, "GUEST_TOKEN_HEADER_NAME", "X-GuestToken");
    render_embedded(req, json_pack("{s:{s:s},s:o,s:{s:I}}", "config", "GUEST_TOKEN_HEADER_NAME", header, "common",
                                   spa_bootstrap_common(req, NULL), "embedded", "dashboard_id",
                                   (json_int_t)dashboard_id));
}

static void view_dataset_show(request_t *req, page_ctx_t *ctx) {
    (void)ctx;
    if (req_query_arg(req, "testing")) { render_app(req, NULL, NULL, false); return; }
    resp_redirect(req, 302, "/");
}

static void view_login(request_t *req, page_ctx_t *ctx) {
    (void)ctx;
    if (auth_current_user(req)) { resp_redirect(req, 302, index_url(req)); return; }
    render_app(req, NULL, NULL, false);
}

/* FAB's activation: a known hash becomes an active user with
 * AUTH_USER_REGISTRATION_ROLE and the page renders with the new user's names;
 * otherwise a flash and a redirect to the index. */
static void view_activation(request_t *req, page_ctx_t *ctx) {
    const char *hash = req_path_param(req, "activation_hash");
    const char *role = spa_conf_str(req->cfg, "AUTH_USER_REGISTRATION_ROLE", "Public");
    const sec_user_t *actor = auth_current_user(req);
    registered_user_t reg;
    activation_t res = registration_activate(app_pg(req->app), req->arena, hash, role,
                                             actor && !actor->is_guest ? actor->id : 0, &reg);
    if (res == ACTIVATION_ERROR) { abort_status(req, ctx, 500); return; }
    if (res == ACTIVATION_OK) {
        render_app(req, json_pack("{s:s,s:s,s:s}", "username", reg.username, "first_name", reg.first_name,
                                  "last_name", reg.last_name),
                   NULL, false);
        return;
    }
    spa_flash(req, "danger",
              res == ACTIVATION_NOT_FOUND ? "Registration not found"
                                          : "Not possible to register you at the moment, try again later");
    resp_redirect(req, 302, index_url(req));
}

/* ---- rules and routes ---- */

#define PAGE(handler, ...)                                                                                         \
    static const page_rule_t handler##_rule = {__VA_ARGS__};                                                       \
    static void handler(request_t *req) { serve(req, &handler##_rule); }

/* PAGE(handler, permission, view menu, feature flag, view function, log action,
 *      object_ref, url_rule, no_cache) */
PAGE(p_index, NULL, NULL, NULL, view_index, NULL, NULL, NULL, false)
PAGE(p_welcome, NULL, NULL, NULL, view_welcome, "welcome", "Superset.welcome", "/superset/welcome/", false)
PAGE(p_dashboard, "can_dashboard", "Superset", NULL, view_dashboard, "dashboard", "Superset.dashboard",
     "/superset/dashboard/<dashboard_id_or_slug>/", false)
PAGE(p_slice, "can_slice", "Superset", NULL, view_slice, "slice", "Superset.slice", "/superset/slice/<int:slice_id>/",
     false)
PAGE(p_explore_legacy, "can_explore", "Superset", NULL, view_explore_legacy, "explore", "Superset.explore",
     "/superset/explore/", false)
PAGE(p_explore_legacy_ds, "can_explore", "Superset", NULL, view_explore_legacy, "explore", "Superset.explore",
     "/superset/explore/<datasource_type>/<int:datasource_id>/", false)
PAGE(p_explore, "can_read", "Explore", NULL, NULL, "root", "ExploreView.root", "/explore/", false)
PAGE(p_explore_permalink, "can_read", "Explore", NULL, NULL, "permalink", "ExplorePermalinkView.permalink",
     "/superset/explore/p/<key>/", false)
PAGE(p_sqllab, "can_read", "SQLLab", NULL, view_sqllab_root, "root", "SqllabView.root", "/sqllab/", false)
PAGE(p_sqllab_permalink, "can_read", "SQLLab", NULL, view_sqllab_permalink, "permalink_view",
     "SqllabView.permalink_view", "/sqllab/p/<string:permalink>/", false)
PAGE(p_sqllab_history, "can_read", "SQLLab", NULL, NULL, "history", "SqllabView.history", "/sqllab/history/", false)
PAGE(p_sqllab_history_legacy, "can_sqllab_history", "Superset", NULL, view_sqllab_history_legacy, "sqllab_history",
     "Superset.sqllab_history", "/superset/sqllab/history/", false)
PAGE(p_dashboard_list, "can_read", "Dashboard", NULL, NULL, NULL, NULL, NULL, false)
PAGE(p_dashboard_new, "can_write", "Dashboard", NULL, view_dashboard_new, NULL, NULL, NULL, false)
PAGE(p_dashboard_embedded, NULL, NULL, NULL, view_dashboard_embedded, "embedded", "Dashboard.embedded",
     "/dashboard/<dashboard_id_or_slug>/embedded", false)
PAGE(p_embedded, NULL, NULL, NULL, view_embedded_uuid, "embedded", "EmbeddedView.embedded", "/embedded/<uuid>", false)
PAGE(p_chart_list, "can_read", "Chart", NULL, NULL, NULL, NULL, NULL, false)
PAGE(p_chart_add, "can_write", "Chart", NULL, NULL, NULL, NULL, NULL, false)
PAGE(p_dataset_list, "can_read", "Dataset", NULL, NULL, NULL, NULL, NULL, false)
PAGE(p_dataset_add, "can_read", "Dataset", NULL, NULL, NULL, NULL, NULL, false)
PAGE(p_dataset_show, "can_read", "Dataset", NULL, view_dataset_show, NULL, NULL, NULL, false)
PAGE(p_database_list, "can_read", "Database", NULL, NULL, NULL, NULL, NULL, false)
PAGE(p_saved_query_list, "can_list", "SavedQuery", NULL, NULL, NULL, NULL, NULL, false)
PAGE(p_css_template_list, "can_read", "CssTemplate", NULL, NULL, NULL, NULL, NULL, false)
PAGE(p_theme_list, "can_read", "Theme", NULL, NULL, NULL, NULL, NULL, false)
PAGE(p_annotation_layer_list, "can_read", "Annotation", NULL, NULL, NULL, NULL, NULL, false)
PAGE(p_annotation_list, "can_read", "Annotation", NULL, NULL, NULL, NULL, NULL, false)
PAGE(p_rls_list, "can_read", "RowLevelSecurity", NULL, NULL, NULL, NULL, NULL, false)
PAGE(p_report_list, "can_read", "ReportSchedule", "ALERT_REPORTS", NULL, NULL, NULL, NULL, false)
PAGE(p_tags, "can_list", "Tags", "TAGGING_SYSTEM", NULL, NULL, NULL, NULL, false)
PAGE(p_security_list, "can_read", "security", NULL, NULL, NULL, NULL, NULL, false)
PAGE(p_user_info, "can_read", "user", NULL, NULL, NULL, NULL, NULL, false)
PAGE(p_login, NULL, NULL, NULL, view_login, NULL, NULL, NULL, true)
PAGE(p_register, NULL, NULL, NULL, NULL, NULL, NULL, NULL, true)
PAGE(p_activation, NULL, NULL, NULL, view_activation, NULL, NULL, NULL, false)

static const route_def_t routes[] = {
    {"GET", "/", p_index, GUARD_PUBLIC, 0, NULL},
    {"GET", "/superset/welcome/", p_welcome, GUARD_PUBLIC, 0, NULL},
    {"GET", "/superset/dashboard/<dashboard_id_or_slug>/", p_dashboard, GUARD_PUBLIC, 0, NULL},
    {"GET", "/superset/slice/<int:slice_id>/", p_slice, GUARD_PUBLIC, 0, NULL},
    {"GET,POST", "/superset/explore/", p_explore_legacy, GUARD_PUBLIC, 0, NULL},
    {"GET,POST", "/superset/explore/<datasource_type>/<int:datasource_id>/", p_explore_legacy_ds, GUARD_PUBLIC, 0,
     NULL},
    {"GET", "/explore/", p_explore, GUARD_PUBLIC, 0, NULL},
    {"GET", "/superset/explore/p/<key>/", p_explore_permalink, GUARD_PUBLIC, 0, NULL},
    {"GET,POST", "/sqllab/", p_sqllab, GUARD_PUBLIC, 0, NULL},
    {"GET", "/sqllab/p/<string:permalink>/", p_sqllab_permalink, GUARD_PUBLIC, 0, NULL},
    {"GET", "/sqllab/history/", p_sqllab_history, GUARD_PUBLIC, 0, NULL},
    {"GET", "/superset/sqllab/history/", p_sqllab_history_legacy, GUARD_PUBLIC, 0, NULL},
    {"GET", "/dashboard/list/", p_dashboard_list, GUARD_PUBLIC, 0, NULL},
    {"GET", "/dashboard/new/", p_dashboard_new, GUARD_PUBLIC, 0, NULL},
    {"GET", "/dashboard/<dashboard_id_or_slug>/embedded", p_dashboard_embedded, GUARD_PUBLIC, 0, NULL},
    {"GET", "/embedded/<uuid>", p_embedded, GUARD_PUBLIC, 0, NULL},
    {"GET", "/chart/list/", p_chart_list, GUARD_PUBLIC, 0, NULL},
    {"GET", "/chart/add", p_chart_add, GUARD_PUBLIC, 0, NULL},
    {"GET", "/tablemodelview/list/", p_dataset_list, GUARD_PUBLIC, 0, NULL},
    {"GET", "/dataset/add/", p_dataset_add, GUARD_PUBLIC, 0, NULL},
    {"GET", "/dataset/<pk>", p_dataset_show, GUARD_PUBLIC, 0, NULL},
    {"GET", "/databaseview/list/", p_database_list, GUARD_PUBLIC, 0, NULL},
    {"GET", "/savedqueryview/list/", p_saved_query_list, GUARD_PUBLIC, 0, NULL},
    {"GET", "/csstemplatemodelview/list/", p_css_template_list, GUARD_PUBLIC, 0, NULL},
    {"GET", "/theme/list/", p_theme_list, GUARD_PUBLIC, 0, NULL},
    {"GET", "/annotationlayer/list/", p_annotation_layer_list, GUARD_PUBLIC, 0, NULL},
    {"GET", "/annotationlayer/<int:pk>/annotation", p_annotation_list, GUARD_PUBLIC, 0, NULL},
    {"GET", "/rowlevelsecurity/list/", p_rls_list, GUARD_PUBLIC, 0, NULL},
    {"GET", "/alert/list/", p_report_list, GUARD_PUBLIC, 0, NULL},
    {"GET", "/report/list/", p_report_list, GUARD_PUBLIC, 0, NULL},
    {"GET", "/alert/<pk>/log/", p_report_list, GUARD_PUBLIC, 0, NULL},
    {"GET", "/report/<pk>/log/", p_report_list, GUARD_PUBLIC, 0, NULL},
    {"GET", "/superset/tags/", p_tags, GUARD_PUBLIC, 0, NULL},
    {"GET", "/superset/all_entities/", p_tags, GUARD_PUBLIC, 0, NULL},
    {"GET", "/roles/", p_security_list, GUARD_PUBLIC, 0, NULL},
    {"GET", "/users/", p_security_list, GUARD_PUBLIC, 0, NULL},
    {"GET", "/list_groups/", p_security_list, GUARD_PUBLIC, 0, NULL},
    {"GET", "/registrations/", p_security_list, GUARD_PUBLIC, 0, NULL},
    {"GET", "/actionlog/list", p_security_list, GUARD_PUBLIC, 0, NULL},
    {"GET", "/user_info/", p_user_info, GUARD_PUBLIC, 0, NULL},
    {"GET", "/login/", p_login, GUARD_PUBLIC, 0, NULL},
    {"GET", "/register/", p_register, GUARD_PUBLIC, 0, NULL},
    {"GET", "/register/activation/<string:activation_hash>", p_activation, GUARD_PUBLIC, 0, NULL},
};

const route_table_t page_routes = {routes, sizeof routes / sizeof routes[0], NULL};
