/* Shared pieces of the chart API (Superset's ChartRestApi): the ChartFilter
 * access rule, the ChartPostSchema / ChartPutSchema checks and the
 * ownership rule, used by the engine resource (chart.c) and the custom
 * routes (chart_routes.c). */
#ifndef LITESET_FCGI_API_CHART_H
#define LITESET_FCGI_API_CHART_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "fcgi/model_rest.h"

extern const resource_t chart_resource;

/* ChartFilter (rest-api.md §1.13). Always binds the caller's username as the
 * query's first parameter (models_chart.c's thumbnail_url refers to $1), so
 * it must be the first condition added to the query. */
void chart_access_filter(request_t *req, model_query_t *q);

/* ChartPostSchema (is_post) / ChartPutSchema: NULL when valid, else the
 * {"field": ["message"]} object (caller owns). */
json_t *chart_validate(request_t *req, const resource_t *res, json_t *body, bool is_post);

/* raise_for_ownership: admins pass; otherwise the user must be in owners. */
bool chart_owned(request_t *req, pg_conn_t *c, int64_t chart_id, bool *db_error);

/* After an insert or update inside the write transaction: dataset-derived
 * columns (perm, schema_perm, catalog_perm, datasource_name), last saved
 * at/by, and the owner list rules. false with *error set to roll back. */
bool chart_after_write(request_t *req, const resource_t *res, pg_conn_t *c, int64_t id, json_t *body,
                       const char **error);

#endif
