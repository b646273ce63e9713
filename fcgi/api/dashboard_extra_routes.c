/* Route table of the dashboard extra endpoints (charts, tabs, embedded
 * configuration, native filters, colors, copy) and of the chart and
 * dashboard screenshot/thumbnail endpoints. The screenshot routes are
 * public here: their handlers check the feature flags first (404 before any
 * authentication, as the reference does) and then the permission. */
#include "fcgi/api/dashboard_extra.h"

static const route_def_t routes[] = {
    {"GET", "/api/v1/dashboard/<id_or_slug>/charts", dashboard_get_charts, GUARD("can_read", "Dashboard"), 0, NULL,
     "DashboardRestApi.get_charts"},
    {"GET", "/api/v1/dashboard/<id_or_slug>/tabs", dashboard_get_tabs, GUARD("can_read", "Dashboard"), 0, NULL,
     "DashboardRestApi.get_tabs"},
    {"GET", "/api/v1/dashboard/<id_or_slug>/embedded", dashboard_get_embedded, GUARD("can_read", "Dashboard"), 0, NULL,
     "DashboardRestApi.get_embedded"},
    {"POST,PUT", "/api/v1/dashboard/<id_or_slug>/embedded", dashboard_set_embedded,
     GUARD("can_set_embedded", "Dashboard"), 0, NULL, "DashboardRestApi.set_embedded"},
    {"DELETE", "/api/v1/dashboard/<id_or_slug>/embedded", dashboard_delete_embedded,
     GUARD("can_set_embedded", "Dashboard"), 0, NULL, "DashboardRestApi.delete_embedded"},
    {"PUT", "/api/v1/dashboard/<pk>/filters", dashboard_put_filters, GUARD("can_write", "Dashboard"), 0, NULL,
     "DashboardRestApi.put_filters"},
    {"PUT", "/api/v1/dashboard/<pk>/colors", dashboard_put_colors, GUARD("can_write", "Dashboard"), 0, NULL,
     "DashboardRestApi.put_colors"},
    {"POST", "/api/v1/dashboard/<id_or_slug>/copy/", dashboard_copy, GUARD("can_write", "Dashboard"), 0, NULL,
     "DashboardRestApi.copy_dash"},
    {"GET", "/api/v1/chart/<pk>/cache_screenshot/", screenshot_chart_cache, GUARD_PUBLIC, 0, NULL},
    {"GET", "/api/v1/chart/<pk>/screenshot/<digest>/", screenshot_chart, GUARD_PUBLIC, 0, NULL},
    {"GET", "/api/v1/chart/<pk>/thumbnail/<digest>/", screenshot_chart_thumbnail, GUARD_PUBLIC, 0, NULL},
    {"POST", "/api/v1/dashboard/<pk>/cache_dashboard_screenshot/", screenshot_dashboard_cache, GUARD_PUBLIC, 0, NULL},
    {"GET", "/api/v1/dashboard/<pk>/screenshot/<digest>/", screenshot_dashboard, GUARD_PUBLIC, 0, NULL},
    {"GET", "/api/v1/dashboard/<pk>/thumbnail/<digest>/", screenshot_dashboard_thumbnail, GUARD_PUBLIC, 0, NULL},
};
const route_table_t dashboard_extra_routes = {routes, sizeof routes / sizeof routes[0], NULL};
