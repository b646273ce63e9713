/* The legacy form-data adjustments explore applies before answering
 * (superset.legacy.update_time_range and superset.utils.core's
 * convert_legacy_filters_into_adhoc, merge_extra_filters with
 * merge_extra_form_data, merge_request_params). They edit a form-data
 * object in place and return false when the input has a shape the
 * reference would fail on (missing keys, wrong types). */
#ifndef LITESET_DOMAIN_FORM_DATA_MERGE_H
#define LITESET_DOMAIN_FORM_DATA_MERGE_H

#include <jansson.h>
#include <stdbool.h>

/* since/until into time_range; "No filter" time range for an unfiltered
 * granularity column. */
void fd_update_time_range(json_t *fd);

bool fd_convert_legacy_filters(json_t *fd);
bool fd_merge_extra_filters(json_t *fd);

/* url_params[name] = value for every request argument but form_data and r. */
void fd_merge_request_param(json_t *fd, const char *name, const char *value);

/* simple_filter_to_adhoc: a {col, op, val[, isExtra]} filter as an adhoc
 * filter with its md5 filterOptionName; NULL when col or op is missing. */
json_t *fd_simple_filter_to_adhoc(const json_t *filter, const char *clause);

#endif
