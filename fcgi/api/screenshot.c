/* Screenshot and thumbnail endpoints of charts and dashboards:
 * /api/v1/chart/<pk>/cache_screenshot/, /screenshot/<digest>/,
 * /thumbnail/<digest>/ (THUMBNAILS) and /api/v1/dashboard/<pk>/
 * cache_dashboard_screenshot/, /screenshot/<digest>/ (THUMBNAILS and
 * ENABLE_DASHBOARD_SCREENSHOT_ENDPOINTS), /thumbnail/<digest>/ (THUMBNAILS).
 * With the flags off they answer 404 before any authentication, as the
 * reference does. With them on, permission and visibility are checked, then
 * 501: Liteset has no browser to render screenshots with
 * (docs/compatibility.md). */
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "fcgi/api/dashboard_extra.h"
#include "fcgi/api/chart.h"
#include "fcgi/api/dashboard.h"
#include "fcgi/app.h"
#include "fcgi/auth.h"
#include "fcgi/errors.h"
#include "lib/rison.h"
#include "persistence/models.h"

#define NOT_RENDERED "Screenshots and thumbnails cannot be rendered by this server"

typedef enum { TARGET_CHART, TARGET_DASHBOARD } target_t;

typedef struct shot_route {
    const char *const *flags; /* all must be on */
    route_def_t guard;        /* the permission checked once the flags pass */
    target_t target;
    bool rison; /* takes a rison `q` argument */
} shot_route_t;

static const char *const thumbnails[] = {"THUMBNAILS", NULL};
static const char *const dashboard_shots[] = {"THUMBNAILS", "ENABLE_DASHBOARD_SCREENSHOT_ENDPOINTS", NULL};

static bool parse_pk(const char *s, int64_t *pk) {
    char *end;
    long long v = s && *s ? strtoll(s, &end, 10) : 0;
    if (!s || !*s || *end || v <= 0 || v > 2147483647) return false;
    *pk = v;
    return true;
}

/* 1 when the chart is visible under ChartFilter, 0 when not, -1 on error. */
static int chart_visible(request_t *req, int64_t pk) {
    model_query_t q;
    mq_init(&q, req->arena, &model_chart);
    chart_access_filter(req, &q);
    mq_where(&q, arena_sprintf(req->arena, "t.id = %s::int", mq_param(&q, arena_sprintf(req->arena, "%lld", (long long)pk))));
    pg_error_t err;
    int64_t n = mq_count(&q, app_pg(req->app), &err);
    return n < 0 ? -1 : n > 0;
}

static void serve(request_t *req, const shot_route_t *route) {
    for (size_t i = 0; route->flags[i]; i++)
        if (!config_feature(req->cfg, route->flags[i])) return error_fab(req, 404, "Not found");
    if (!auth_check_guard(req, &route->guard)) return;
    const char *qs = route->rison ? req_query_arg(req, "q") : NULL;
    if (qs) {
        rison_error_t rerr;
        json_t *parsed = rison_parse(qs, strlen(qs), &rerr);
        if (!parsed) return error_fab(req, 400, "Not a valid rison argument");
        json_decref(parsed);
    }
    int64_t pk;
    if (!parse_pk(req_path_param(req, "pk"), &pk)) return error_fab(req, 404, "Not found");
    if (route->target == TARGET_DASHBOARD) {
        if (dashboard_check_target(req, pk, false)) return;
    } else {
        int visible = chart_visible(req, pk);
        if (visible < 0) return error_fab(req, 500, "Fatal error");
        if (!visible) return error_fab(req, 404, "Not found");
    }
    error_fab(req, 501, NOT_RENDERED);
}

static const shot_route_t chart_cache = {thumbnails, {"GET", NULL, NULL, GUARD("can_read", "Chart"), 0, NULL}, TARGET_CHART, true};
static const shot_route_t chart_shot = {thumbnails, {"GET", NULL, NULL, GUARD("can_read", "Chart"), 0, NULL}, TARGET_CHART, false};
static const shot_route_t chart_thumb = {thumbnails, {"GET", NULL, NULL, GUARD("can_read", "Chart"), 0, NULL}, TARGET_CHART, true};
static const shot_route_t dash_cache = {dashboard_shots,
                                        {"POST", NULL, NULL, GUARD("can_cache_dashboard_screenshot", "Dashboard"), 0, NULL},
                                        TARGET_DASHBOARD, true};
static const shot_route_t dash_shot = {dashboard_shots, {"GET", NULL, NULL, GUARD("can_read", "Dashboard"), 0, NULL},
                                       TARGET_DASHBOARD, false};
static const shot_route_t dash_thumb = {thumbnails, {"GET", NULL, NULL, GUARD("can_read", "Dashboard"), 0, NULL},
                                        TARGET_DASHBOARD, true};

void screenshot_chart_cache(request_t *req) { serve(req, &chart_cache); }
void screenshot_chart(request_t *req) { serve(req, &chart_shot); }
void screenshot_chart_thumbnail(request_t *req) { serve(req, &chart_thumb); }
void screenshot_dashboard_cache(request_t *req) { serve(req, &dash_cache); }
void screenshot_dashboard(request_t *req) { serve(req, &dash_shot); }
void screenshot_dashboard_thumbnail(request_t *req) { serve(req, &dash_thumb); }
