/* Superset's time ranges: the `since` and `until` a filter such as
 * "Last week", "previous calendar month", "2024-01-01 : now" or
 * "DATEADD(DATETIME('today'), -7, day) : today" stands for, as
 * superset.utils.date_parser.get_since_until computes them (6.0.0),
 * including the DATETIME / DATEADD / DATETRUNC / LASTDAY / DATEDIFF
 * expression language and the optional time shift ("1 year ago").
 *
 * Free-form date strings are read like dateutil then parsedatetime would
 * for the forms Superset's frontend produces and people type: ISO 8601
 * dates and times (with or without a UTC offset), YYYY, YYYY-MM, YYYYMMDD,
 * M/D/YYYY, month names ("Jan 5, 2020", "5 January 2020", "March 2020"),
 * now / today / yesterday / tomorrow, and "N units ago" / "N units from
 * now" / "in N units" / "N units later". Other strings get the reference's
 * "Cannot parse time string [...]" error rather than a guess. HOLIDAY()
 * needs holiday calendars Liteset does not have: it is a clear error.
 *
 * Pure code: no allocation beyond the caller's buffers, no I/O. "now" is an
 * argument so results are reproducible. */
#ifndef LITESET_SQL_TIME_RANGE_H
#define LITESET_SQL_TIME_RANGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A Python datetime: wall-clock fields on the proleptic Gregorian calendar,
 * naive unless has_tz (then tz_min is the UTC offset in minutes). */
typedef struct tr_datetime {
    int64_t secs; /* seconds since 1970-01-01T00:00:00 of the wall clock */
    int32_t usec;
    int32_t tz_min;
    bool has_tz;
} tr_datetime_t;

typedef enum {
    TR_OK,
    TR_INVALID, /* ValueError and the parse errors: the API's 400 "Unexpected time range: ..." */
    TR_FAILURE, /* what Python raises past those (type errors, overflow): the API's 500 */
} tr_status_t;

typedef struct tr_range {
    bool has_since, has_until; /* false: no bound ("") */
    tr_datetime_t since, until;
} tr_range_t;

/* Longer time ranges or shifts are refused (TR_INVALID) so working buffers
 * stay small on fiber stacks; real ones are a few dozen characters. */
#define TIME_RANGE_MAX_INPUT 4096

/* get_since_until(time_range=..., time_shift=...) with the default relative
 * start and end ("today"). time_shift may be NULL or "". On error err holds
 * the message (without the API's prefix). */
tr_status_t time_range_since_until(const char *time_range, const char *time_shift, const tr_datetime_t *now,
                                   tr_range_t *out, char *err, size_t errlen);

/* parse_human_datetime and datetime_eval, exposed for tests and the query
 * engine. An expression that evaluates to a number (a bare DATEDIFF) is
 * TR_FAILURE, as using it as a bound fails in Python. */
tr_status_t time_range_parse_human(const char *text, const tr_datetime_t *now, tr_datetime_t *out, char *err,
                                   size_t errlen);
tr_status_t time_range_eval(const char *expr, const tr_datetime_t *now, tr_datetime_t *out, char *err,
                            size_t errlen);

/* datetime.isoformat(): YYYY-MM-DDTHH:MM:SS[.ffffff][+HH:MM]. */
void time_range_isoformat(const tr_datetime_t *d, char buf[40]);

/* Builds a naive datetime from fields (no validation beyond arithmetic). */
tr_datetime_t time_range_make(int year, int month, int day, int hour, int minute, int second);

/* The process's local wall clock, like datetime.now() (microseconds kept). */
tr_datetime_t time_range_now(void);

#endif
