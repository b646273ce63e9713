/* English relative-time phrases as Superset 6.0.0 renders them with the
 * Python package humanize 4.12.3 (its pinned version): naturaldelta() and
 * naturaltime() with their default arguments (months=True,
 * minimum_unit="seconds"). Superset's *_delta_humanized fields are
 * naturaltime(datetime.now() - changed_on), i.e. naturaltime of a timedelta,
 * which is what humanize_naturaltime reproduces.
 *
 * The seconds are first turned into a timedelta the way Python's
 * timedelta(seconds=x) does (rounded half-to-even to the microsecond); only
 * whole seconds of the absolute value count after that:
 *
 *   0 s                "a moment"         (naturaltime: "now", either tense)
 *   1 s                "a second"
 *   2..59 s            "N seconds"
 *   60..119 s          "a minute"
 *   2..59 min          "N minutes"        (floored)
 *   3600..7199 s       "an hour"
 *   2..23 h            "N hours"          (floored)
 *   1 day              "a day"            (days are floored, 24 h each)
 *   2..30 days         "N days"
 *   31..60 days        "a month"          (months = floor(days / 30.5))
 *   61..364 days       "N months"
 *   365 days           "a year"           (years are 365 days flat)
 *   1 year + 1 day     "1 year, 1 day"
 *   1 year + 2..30 d   "1 year, N days"
 *   1 year + 31..60 d  "1 year, 1 month"
 *   1 year + 61.. d    "1 year, N months"
 *   2+ years           "N years"          (thousands grouped: "1,141 years")
 *
 * naturaltime appends " ago" for positive input and " from now" for negative.
 *
 * Where Python would not produce a phrase we pick: NaN gives "nan" (what
 * humanize returns for a float NaN), and magnitudes past timedelta's range
 * (999,999,999 days, including +-infinity, where Python raises
 * OverflowError) are clamped to that range ("2,739,726 years"). Python's
 * naturaltime also raises once now - delta leaves datetime's years 1..9999
 * (about 2,000 years ago); we go on wording those like naturaldelta. */
#ifndef LITESET_HUMANIZE_H
#define LITESET_HUMANIZE_H

#include "lib/arena.h"

/* humanize.naturaldelta(timedelta(seconds=seconds)): no tense, sign ignored. */
char *humanize_naturaldelta(arena_t *a, double seconds);

/* humanize.naturaltime(timedelta(seconds=seconds_ago)): positive is the past
 * ("5 minutes ago"), negative the future ("5 minutes from now"). */
char *humanize_naturaltime(arena_t *a, double seconds_ago);

#endif
