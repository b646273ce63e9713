/* Shared pieces of /api/v1/report (Superset's ReportScheduleRestApi and
 * ReportExecutionLogRestApi, both gated by ALERT_REPORTS): the ownership
 * rule, and the write handlers (report_write.c) routed by report.c. */
#ifndef LITESET_FCGI_API_REPORT_H
#define LITESET_FCGI_API_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "fcgi/request.h"
#include "persistence/pg.h"

/* raise_for_ownership: admins pass, others must be among the owners. */
bool report_owned(request_t *req, int64_t id, bool *db_error);

void report_post(request_t *req); /* POST / */
void report_put(request_t *req);  /* PUT /<int:pk> */

#endif
