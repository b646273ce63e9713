/* ReportSchedulePostSchema / ReportSchedulePutSchema loads (marshmallow):
 * the error dictionary the reference answers 400 with, or the loaded item
 * with coerced values (integers, booleans, floats). Timezones are checked
 * against the database server's zone names. */
#ifndef LITESET_FCGI_API_REPORT_SCHEMA_H
#define LITESET_FCGI_API_REPORT_SCHEMA_H

#include <jansson.h>
#include <stdbool.h>

#include "fcgi/request.h"

/* NULL when valid (*loaded arena-owned), else the errors (caller owns).
 * *db_error is set when the timezone lookup failed. */
json_t *report_schema_load(request_t *req, const json_t *body, bool is_post, json_t **loaded, bool *db_error);

#endif
