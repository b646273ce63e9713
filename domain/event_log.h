/* Rows of Superset's `logs` table, as its DBEventLogger writes them: one
 * row per event record, dttm in UTC, NULLs where a value is absent.
 * A failed insert is logged and otherwise ignored, as in the reference
 * (event logging never breaks a request). Runs on a fiber. */
#ifndef LITESET_DOMAIN_EVENT_LOG_H
#define LITESET_DOMAIN_EVENT_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/arena.h"
#include "persistence/pg.h"

typedef struct event_log_row {
    const char *action;
    bool has_user;
    int64_t user_id;
    const char *json;       /* NULL: SQL NULL */
    bool has_dashboard;
    int64_t dashboard_id;
    bool has_slice;
    int64_t slice_id;
    bool has_duration;
    int64_t duration_ms;
    const char *referrer;   /* NULL: SQL NULL */
} event_log_row_t;

/* Inserts n rows in one statement. false when the database refused. */
bool event_log_write(pg_pool_t *pg, arena_t *a, const event_log_row_t *rows, size_t n);

#endif
