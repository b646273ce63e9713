/* Shared pieces of /api/v1/dashboard: the DashboardAccessFilter base
 * filter (also applied by the custom item, favorite and write endpoints)
 * and the route table of the endpoints the engine does not serve. */
#ifndef LITESET_FCGI_API_DASHBOARD_H
#define LITESET_FCGI_API_DASHBOARD_H

#include "fcgi/model_rest.h"

/* ANDs Superset's DashboardAccessFilter into q (alias t = dashboards). */
void dashboard_access_filter(request_t *req, model_query_t *q);
/* Restricts q to the dashboard named by id, uuid or slug, under the access
 * filter (DashboardDAO.get_by_id_or_slug). */
void dashboard_where_id_or_slug(request_t *req, model_query_t *q, const char *key);
/* The `q` argument as a list of integer ids (arena-owned), or NULL after
 * answering 400 "Not a valid rison/json argument". */
json_t *dashboard_ids_arg(request_t *req);
/* SQL condition (alias t) "the caller owns the dashboard", params bound on q. */
const char *dashboard_owned_sql(request_t *req, model_query_t *q);

extern const resource_t dashboard_resource;

/* Write handlers (dashboard_write.c), routed by dashboard_item.c. */
void dashboard_post(request_t *req);
void dashboard_put(request_t *req);
void dashboard_delete(request_t *req);
void dashboard_bulk_delete(request_t *req);

#endif
