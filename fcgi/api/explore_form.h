/* The form-data steps GET /api/v1/explore/ and the legacy explore view
 * share (views.utils.get_form_data with use_slice_data, and
 * get_datasource_info). Both answer the request themselves on failure. */
#ifndef LITESET_FCGI_API_EXPLORE_FORM_H
#define LITESET_FCGI_API_EXPLORE_FORM_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/chart_payload.h"
#include "fcgi/request.h"

/* Merges the form_data of the request body (form_body) and of the query
 * string into *fd, drops the JavaScript controls, and lays the result over
 * the params of the chart it names (*chart filled, *has_chart true); may
 * replace *fd. False when answered (400 for undecodable form data). */
bool explore_resolve_form_data(request_t *req, json_t **fd, int64_t slice_arg, bool has_slice_arg, bool form_body,
                               chart_payload_t *chart, bool *has_chart);

/* The datasource id (*has_id false for None) and type from fd's
 * "<id>__<type>", else from the parameters. False when answered (the
 * ValueErrors the API turns into 400). */
bool explore_datasource_info(request_t *req, const json_t *fd, bool has_param_id, int64_t param_id,
                             const char *param_type, bool *has_id, int64_t *id, const char **type);

#endif
