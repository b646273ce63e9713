/* Superset's "Is tagged" list filters (BaseTagNameFilter / BaseTagIdFilter)
 * for the resources tags attach to: the rows carrying a tag whose name
 * contains the value (ILIKE, the value used as given), or the tag with that
 * id. object_type is the tagged_object type ("chart", "dashboard",
 * "query"). */
#ifndef LITESET_FCGI_API_TAG_FILTERS_H
#define LITESET_FCGI_API_TAG_FILTERS_H

#include "fcgi/model_rest.h"

mq_filter_result_t tag_filter_by_name(request_t *req, model_query_t *q, const json_t *value, const char *object_type);
mq_filter_result_t tag_filter_by_id(request_t *req, model_query_t *q, const json_t *value, const char *object_type);

/* The custom_filter_t callbacks per object type. */
mq_filter_result_t tag_filter_chart_name(request_t *req, model_query_t *q, const json_t *value);
mq_filter_result_t tag_filter_chart_id(request_t *req, model_query_t *q, const json_t *value);
mq_filter_result_t tag_filter_dashboard_name(request_t *req, model_query_t *q, const json_t *value);
mq_filter_result_t tag_filter_dashboard_id(request_t *req, model_query_t *q, const json_t *value);
mq_filter_result_t tag_filter_query_name(request_t *req, model_query_t *q, const json_t *value);
mq_filter_result_t tag_filter_query_id(request_t *req, model_query_t *q, const json_t *value);

#endif
