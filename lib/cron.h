/* Cron expressions as alerts and reports use them:
 *  - cron_valid: what croniter.is_valid accepts (5 fields minute hour
 *    day-of-month month day-of-week, an optional 6th seconds field and 7th
 *    year field, the @yearly/@monthly/@weekly/@daily/@midnight/@hourly
 *    aliases; *, ?, lists, ranges, steps, month and day names, L and #);
 *  - cron_describe: the English sentence cron_descriptor 1.4.5's
 *    get_description gives with its default options (12-hour times,
 *    sentence case, terse), as Superset shows crontab_humanized.
 * Both are pure; cron_describe allocates on the arena. */
#ifndef LITESET_LIB_CRON_H
#define LITESET_LIB_CRON_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/arena.h"

bool cron_valid(const char *expr);
/* "" when the expression cannot be described. */
char *cron_describe(arena_t *a, const char *expr);

/* The next n fire times strictly after start (Unix seconds, UTC), as
 * croniter iterates a valid expression (day of month and day of week ORed
 * when both are restricted). false when the expression is not valid or no
 * time matches within the coming years. */
bool cron_next_times(const char *expr, int64_t start, int64_t *out, int n);

#endif
