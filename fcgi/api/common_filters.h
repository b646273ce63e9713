/* Filter pieces shared by Superset resources on the generic engine: the
 * caller's id and role ids as bound parameters, Python truthiness of a rison
 * value, and the custom filters several resources declare identically
 * (favorites, created by me, has created by). */
#ifndef LITESET_FCGI_API_COMMON_FILTERS_H
#define LITESET_FCGI_API_COMMON_FILTERS_H

#include <jansson.h>
#include <stdbool.h>

#include "fcgi/model_rest.h"

/* "$n" bound to the caller's user id (0 when anonymous or guest). */
const char *filter_user_param(request_t *req, model_query_t *q);
/* "$n" bound to a JSON array of the caller's role ids (anonymous: the public role). */
const char *filter_roles_param(request_t *req, model_query_t *q);
/* Python's bool() of a JSON value. */
bool filter_truthy(const json_t *v);

/* BaseFavoriteFilter: truthy = the caller's favorites of class_name, falsy =
 * the others; anonymous callers are not filtered. */
mq_filter_result_t filter_favorite(request_t *req, model_query_t *q, const json_t *value, const char *class_name);
/* created or changed by the caller (value ignored). */
mq_filter_result_t filter_created_by_me(request_t *req, model_query_t *q, const json_t *value);
/* true: created_by set; false: not set; anything else: no filter. */
mq_filter_result_t filter_has_created_by(request_t *req, model_query_t *q, const json_t *value);

#endif
