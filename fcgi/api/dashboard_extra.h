/* Handlers of the dashboard extra endpoints and of the chart/dashboard
 * screenshot endpoints, one file each (dashboard_tree.c, dashboard_embedded.c,
 * dashboard_config.c, dashboard_copy.c, screenshot.c), routed together by
 * dashboard_extra_routes.c. */
#ifndef LITESET_FCGI_API_DASHBOARD_EXTRA_H
#define LITESET_FCGI_API_DASHBOARD_EXTRA_H

#include "fcgi/api/api.h"

void dashboard_get_charts(request_t *req);      /* GET /<id_or_slug>/charts */
void dashboard_get_tabs(request_t *req);        /* GET /<id_or_slug>/tabs */
void dashboard_get_embedded(request_t *req);    /* GET /<id_or_slug>/embedded */
void dashboard_set_embedded(request_t *req);    /* POST, PUT /<id_or_slug>/embedded */
void dashboard_delete_embedded(request_t *req); /* DELETE /<id_or_slug>/embedded */
void dashboard_put_filters(request_t *req);     /* PUT /<pk>/filters */
void dashboard_put_colors(request_t *req);      /* PUT /<pk>/colors */
void dashboard_copy(request_t *req);            /* POST /<id_or_slug>/copy/ */

void screenshot_chart_cache(request_t *req);
void screenshot_chart(request_t *req);
void screenshot_chart_thumbnail(request_t *req);
void screenshot_dashboard_cache(request_t *req);
void screenshot_dashboard(request_t *req);
void screenshot_dashboard_thumbnail(request_t *req);

#endif
