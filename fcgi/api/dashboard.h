/* Shared pieces of /api/v1/dashboard: the DashboardAccessFilter base
 * filter (also applied by the custom item, favorite and write endpoints)
 * and the route table of the endpoints the engine does not serve. */
#ifndef LITESET_FCGI_API_DASHBOARD_H
#define LITESET_FCGI_API_DASHBOARD_H

#include "fcgi/model_rest.h"

/* ANDs Superset's DashboardAccessFilter into q (alias t = dashboards). */
void dashboard_access_filter(request_t *req, model_query_t *q);
/* SQL condition (alias t) of security_manager.raise_for_access on a
 * dashboard: admin, owner, DASHBOARD_RBAC roles, else no datasets or one
 * readable dataset (no published check). Params bound on q. */
const char *dashboard_raise_for_access_sql(request_t *req, model_query_t *q);
/* Restricts q to the dashboard named by id, uuid or slug, under the access
 * filter (DashboardDAO.get_by_id_or_slug). */
void dashboard_where_id_or_slug(request_t *req, model_query_t *q, const char *key);
/* The dashboard named by id, uuid or slug as with_dashboard finds it: its
 * id, or 0 (404 answered) / -1 (403 or 500 answered). */
int64_t dashboard_find(request_t *req, const char *key);
/* The request's JSON object body (arena-owned), or NULL after answering as
 * @safe does: 500 when not JSON, 400 when unparsable, 400 {"_schema":
 * ["Invalid input type."]} when not an object. */
json_t *dashboard_json_body(request_t *req);
/* The `q` argument as a list of integer ids (arena-owned, also the logs
 * row's "rison" kwarg), or NULL after answering 400 "Not a valid rison/json
 * argument" (@rison is outside the event logger: no row). */
json_t *dashboard_ids_arg(request_t *req);
/* 500 "Fatal error" for what the reference raises inside the view: the
 * exception leaves the event logger without a logs row. */
void dashboard_fatal(request_t *req);
/* SQL condition (alias t) "the caller owns the dashboard", params bound on q. */
const char *dashboard_owned_sql(request_t *req, model_query_t *q);

/* 0 when dashboard pk is visible (and owned, or the caller is admin, when
 * need_owner); else 404/403/500 already answered and that status returned. */
int dashboard_check_target(request_t *req, int64_t pk, bool need_owner);

extern const resource_t dashboard_resource;

/* Write handlers (dashboard_write.c), routed by dashboard_item.c. */
void dashboard_post(request_t *req);
void dashboard_put(request_t *req);
void dashboard_delete(request_t *req);
void dashboard_bulk_delete(request_t *req);

#endif
