/* The checks of Superset's Create/UpdateReportScheduleCommand shared by
 * POST and PUT /api/v1/report (report_write.c). Errors go into a
 * {"field": ["message"]} object; when one field fails twice the last
 * message wins, as the reference's dict.update does. Functions returning
 * bool or int report database failures as false / -1. */
#ifndef LITESET_FCGI_API_REPORT_CHECKS_H
#define LITESET_FCGI_API_REPORT_CHECKS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "fcgi/model_rest.h"

typedef struct report_state {
    json_t *props;        /* the loaded item, copied: the command's _properties */
    const char *type;     /* effective type */
    const char *name;     /* effective name */
    json_t *owners;       /* final owner ids */
} report_state_t;

void report_set_msg(json_t *errors, const char *field, const char *msg);
/* Rows of m with this id under the access filter; -1 on error. */
int64_t report_visible(request_t *req, const model_t *m, void (*access)(request_t *, model_query_t *), long long id);
/* populate_owner_list into st->owners ("Owners are invalid" for unknown ids). */
bool report_owners_of(request_t *req, json_t *ids, bool default_to_user, report_state_t *st, json_t *errors);
/* validate_chart_dashboard over the item's chart / dashboard / creation_method. */
bool report_check_chart_dashboard(request_t *req, json_t *props, bool update, json_t *errors);
/* validate_report_frequency against ALERT_/REPORT_MINIMUM_INTERVAL. */
void report_check_frequency(request_t *req, const char *crontab, const char *type, json_t *errors);
/* _validate_report_extra: 0 valid, 1 invalid (error set), -1 uncaught failure. */
int report_check_extra_tabs(request_t *req, json_t *props, json_t *errors);
/* Another schedule with this name and type (other than except_id): 1, 0, or -1 on error. */
int report_name_taken(request_t *req, const char *name, const char *type, long long except_id);
void report_name_error(request_t *req, json_t *errors, const char *name, const char *type);

#endif
