/* Application wiring and per-request dispatch; see app.h. */
#include "fcgi/app.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi/api/api.h"
#include "fcgi/auth.h"
#include "fcgi/event_logger.h"
#include "fcgi/model_rest.h"
#include "fcgi/session.h"
#include "fcgi/middleware.h"
#include "lib/crypto.h"
#include "lib/file.h"
#include "lib/log.h"

static const route_table_t *const route_tables[] = {
    &health_routes,
    &dev_routes,
    &security_routes,
    &me_routes,
    &auth_view_routes,
    &security_role_routes,
    &page_routes,
    &menu_routes,
    &lang_routes,
    &legacy_log_routes,
    &dashboard_routes,
    &chart_routes,
    &permalink_routes,
    &annotation_routes,
    &theme_routes,
    &theme_admin_routes,
    &tag_routes,
    &embedded_routes,
    &time_range_routes,
    &sqllab_state_routes,
    &query_routes,
    &tagview_routes,
    &openapi_routes,
    &dashboard_extra_routes,
    &log_routes,
    &report_routes,
    &explore_form_data_routes,
    &filter_state_routes,
    &explore_routes,
    &dashboard_dataset_routes,
    &dataset_routes,
    &database_routes,
    &database_extra_routes,
    &database_upload_routes,
    &import_bundle_routes,
    &export_bundle_routes,
    &legacy_datasource_routes,
    &advanced_data_type_routes,
    &cachekey_routes,
    &database_oauth2_routes,
    &swagger_routes,
};

typedef struct retired {
    config_t *cfg;
    struct retired *next;
} retired_t;

struct app {
    struct ev_loop *loop;
    config_t *cfg;
    retired_t *retired;   /* old configs still referenced by running requests */
    size_t active;        /* requests between app_begin and app_end */
    router_t *router;
    error_pages_t pages;
    pg_pool_t *pg;
    redis_client_t *redis;
    security_t *security;
    route_def_t **model_routes;  /* generated per resource, owned here */
    size_t *model_route_counts;
    size_t n_model_tables;
};

static void pages_load(error_pages_t *p, const config_t *cfg) {
    free(p->html_404);
    free(p->html_500);
    memset(p, 0, sizeof *p);
    const char *dir = config_str(cfg, "LITESET_STATIC_DIR", NULL);
    if (!dir || !*dir) return;
    char path[4096];
    snprintf(path, sizeof path, "%s/assets/404.html", dir);
    p->html_404 = file_read_all(path, 1u << 20, &p->len_404);
    snprintf(path, sizeof path, "%s/assets/500.html", dir);
    p->html_500 = file_read_all(path, 1u << 20, &p->len_500);
}

static void model_routes_build(app_t *app) {
    size_t n = 0;
    while (model_resources[n]) n++;
    app->n_model_tables = n;
    app->model_routes = xcalloc(n ? n : 1, sizeof *app->model_routes);
    app->model_route_counts = xcalloc(n ? n : 1, sizeof *app->model_route_counts);
    for (size_t i = 0; i < n; i++) app->model_routes[i] = model_rest_routes(model_resources[i], &app->model_route_counts[i]);
}

static void model_routes_free(app_t *app) {
    for (size_t i = 0; i < app->n_model_tables; i++)
        model_rest_free_routes(app->model_routes[i], app->model_route_counts[i]);
    free(app->model_routes);
    free(app->model_route_counts);
}

/* Every key of the space-separated list enabled_by holds a true setting. */
static bool table_enabled(const config_t *cfg, const char *enabled_by) {
    for (const char *k = enabled_by; k && *k;) {
        size_t n = strcspn(k, " ");
        char key[128];
        snprintf(key, sizeof key, "%.*s", (int)n, k);
        if (!config_bool(cfg, key, false)) return false;
        k += n + strspn(k + n, " ");
    }
    return true;
}

static router_t *build_router(const app_t *app, const config_t *cfg, const char **err) {
    router_t *r = router_new();
    for (size_t i = 0; i < app->n_model_tables; i++) {
        if (!router_add_table(r, app->model_routes[i], app->model_route_counts[i], err)) {
            router_free(r);
            return NULL;
        }
    }
    for (size_t i = 0; i < sizeof route_tables / sizeof route_tables[0]; i++) {
        const route_table_t *t = route_tables[i];
        if (!table_enabled(cfg, t->enabled_by)) continue;
        if (!router_add_table(r, t->routes, t->count, err)) {
            router_free(r);
            return NULL;
        }
    }
    return r;
}

app_t *app_new(struct ev_loop *loop, config_t *cfg, const char **err) {
    app_t *app = xcalloc(1, sizeof *app);
    app->loop = loop;
    app->cfg = cfg;
    model_routes_build(app);
    app->router = build_router(app, cfg, err);
    if (!app->router) {
        model_routes_free(app);
        config_free(cfg);
        free(app);
        return NULL;
    }
    pages_load(&app->pages, cfg);
    if (cfg->pg_conninfo) {
        pg_pool_opts_t po = {
            .conninfo = cfg->pg_conninfo,
            .size = (int)config_int(cfg, "LITESET_PG_POOL_SIZE", 8),
            .query_timeout = config_real(cfg, "LITESET_PG_QUERY_TIMEOUT", 60),
        };
        app->pg = pg_pool_new(loop, &po);
        app->security = security_new(app->pg, config_real(cfg, "LITESET_SECURITY_CACHE_TTL", 10));
    } else {
        log_warn("no PostgreSQL metadata database configured: database routes will fail");
    }
    app->redis = redis_client_new(loop, &cfg->redis, 30);
    return app;
}

void app_free(app_t *app) {
    if (!app) return;
    while (app->retired) {
        retired_t *r = app->retired;
        app->retired = r->next;
        config_free(r->cfg);
        free(r);
    }
    security_free(app->security);
    pg_pool_free(app->pg);
    redis_client_free(app->redis);
    router_free(app->router);
    model_routes_free(app);
    free(app->pages.html_404);
    free(app->pages.html_500);
    config_free(app->cfg);
    free(app);
}

void app_reload(app_t *app, config_t *cfg) {
    const char *err = NULL;
    router_t *r = build_router(app, cfg, &err);
    if (!r) {
        log_error("reload refused: %s", err);
        config_free(cfg);
        return;
    }
    const char *old_db = app->cfg->pg_conninfo ? app->cfg->pg_conninfo : "";
    if (strcmp(old_db, cfg->pg_conninfo ? cfg->pg_conninfo : ""))
        log_warn("SQLALCHEMY_DATABASE_URI changed: restart the pool to use the new database");
    router_free(app->router);
    app->router = r;
    if (app->pg)
        pg_pool_configure(app->pg, (int)config_int(cfg, "LITESET_PG_POOL_SIZE", 8),
                          config_real(cfg, "LITESET_PG_QUERY_TIMEOUT", 60));
    pages_load(&app->pages, cfg);
    retired_t *old = xcalloc(1, sizeof *old);
    old->cfg = app->cfg;
    old->next = app->retired;
    app->retired = old;
    app->cfg = cfg;
    log_info("configuration reloaded");
}

const config_t *app_config(const app_t *app) { return app->cfg; }
const router_t *app_router(const app_t *app) { return app->router; }
const error_pages_t *app_error_pages(const app_t *app) { return &app->pages; }
pg_pool_t *app_pg(app_t *app) { return app->pg; }
redis_client_t *app_redis(app_t *app) { return app->redis; }
security_t *app_security(app_t *app) { return app->security; }

void app_begin(request_t *req, void *ud) {
    app_t *app = ud;
    req->app = app;
    req->cfg = app->cfg;
    app->active++;
}

void app_end(request_t *req, void *ud) {
    app_t *app = ud;
    /* the response is already out: the logs row adds no latency */
    if (!req->timed_out) event_log_route(req);
    double ms = (ev_time() - req->started_at) * 1000.0;
    log_request(req->method, req->path, req->aborted ? 499 : (req->status ? req->status : 200), ms,
                req->user_name, req->request_id);
    if (--app->active == 0) {
        while (app->retired) {
            retired_t *r = app->retired;
            app->retired = r->next;
            config_free(r->cfg);
            free(r);
        }
    }
}

/* Werkzeug's trailing-slash redirect keeps the query string. */
static void redirect_slash(request_t *req) {
    const char *loc = *req->query ? arena_sprintf(req->arena, "%s%s/?%s", req->script_root, req->path, req->query)
                                  : arena_sprintf(req->arena, "%s%s/", req->script_root, req->path);
    resp_redirect(req, 308, loc);
}

static void dispatch(request_t *req) {
    if (req->params_too_large) {
        error_http(req, 431);
        return;
    }
    if (req->body_too_large) {
        error_http(req, 413);
        return;
    }
    const route_def_t *route;
    unsigned allowed;
    switch (router_match(app_router(req->app), req, &route, &allowed)) {
    case ROUTE_NOT_FOUND:
        error_http(req, 404);
        return;
    case ROUTE_REDIRECT_SLASH:
        redirect_slash(req);
        return;
    case ROUTE_METHOD_NOT_ALLOWED:
        error_http(req, 405);
        resp_add_header(req, "Allow", methods_format(req->arena, allowed));
        return;
    case ROUTE_FOUND:
        break;
    }
    if (!strcmp(req->method, "OPTIONS")) { /* Flask's automatic OPTIONS answer */
        if (!model_rest_gate(req, route)) return;
        resp_body(req, 200, "text/html; charset=utf-8", "", 0);
        resp_set_header(req, "Allow", methods_format(req->arena, allowed));
        return;
    }
    if (!auth_check_csrf(req, route)) return;
    if (!model_rest_gate(req, route)) return; /* FAB @before_request hooks */
    if (strcmp(route->guard.permission, GUARD_PUBLIC_NAME) && !app_security(req->app)) {
        error_fab(req, 500, "Fatal error"); /* protected route without a metadata database */
        return;
    }
    if (!auth_check_guard(req, route)) return; /* @protect() is outside the event logger: no row */
    if (route->log_action) {
        req->log_route = route;
        req->log_started = ev_time();
    }
    route->handler(req);
    if (route->log_action) req->log_ended = ev_time();
}

void app_handle(request_t *req, void *ud) {
    (void)ud;
    req->csp_nonce = crypto_token_urlsafe(req->arena, 24); /* 32 characters, as Talisman's */
    mw_request_id(req);
    mw_proxy_fix(req);
    if (session_open(req)) dispatch(req);
    else error_http(req, 500); /* server-side session store unusable (logged) */
    if (req->aborted) return;
    if (req->timed_out) { /* whatever the cancelled handler left, the answer is 504 */
        req->resp_headers = req->resp_headers_tail = NULL;
        error_http(req, 504);
    }
    mw_response_headers(req);
    session_save(req); /* Set-Cookie comes last, as in the reference */
}
