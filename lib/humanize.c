/* humanize 4.12.3's naturaldelta/naturaltime phrases; see humanize.h for the
 * thresholds. A duration falls in one of four tiers (under a day, under a
 * year, the second year, two years and more); the first three are ladders of
 * rungs tried in order, the last is "N years". */
#include "lib/humanize.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>

#define SECS_PER_DAY 86400
#define DAYS_PER_YEAR 365
/* timedelta(days=1e9) overflows in Python; anything at or past it is clamped
 * to the last whole second below. */
#define TD_LIMIT_SECS ((int64_t)1000000000 * SECS_PER_DAY)
#define PHRASE_CAP 64

/* A rung applies while the tier's value is below `below`. With per == 0 it
 * is the fixed phrase `text`; otherwise text + value*mul/per + suffix. */
typedef struct {
    int64_t below;
    const char *text;
    const char *suffix;
    int64_t mul, per;
} rung_t;

/* Value: seconds (the duration is under a day). */
static const rung_t UNDER_DAY[] = {
    {1, "a moment", "", 0, 0},
    {2, "a second", "", 0, 0},
    {60, "", " seconds", 1, 1},
    {120, "a minute", "", 0, 0},
    {3600, "", " minutes", 1, 60},
    {7200, "an hour", "", 0, 0},
    {SECS_PER_DAY, "", " hours", 1, 3600},
};

/* Value: whole days, 1..364. Months are floor(days / 30.5) = 2*days / 61. */
static const rung_t UNDER_YEAR[] = {
    {2, "a day", "", 0, 0},
    {31, "", " days", 1, 1},
    {61, "a month", "", 0, 0},
    {DAYS_PER_YEAR, "", " months", 2, 61},
};

/* Value: whole days past the first 365, 0..364. */
static const rung_t ONE_YEAR[] = {
    {1, "a year", "", 0, 0},
    {2, "1 year, 1 day", "", 0, 0},
    {31, "1 year, ", " days", 1, 1},
    {61, "1 year, 1 month", "", 0, 0},
    {DAYS_PER_YEAR, "1 year, ", " months", 2, 61},
};

#define LADDER(r) (r), sizeof(r) / sizeof((r)[0])

/* Whole seconds of |timedelta(seconds=x)| for a non-NaN x. Python keeps the
 * integral seconds exactly and rounds the fraction half-to-even to the
 * microsecond, so 0.9999996 becomes a full second. */
static int64_t whole_seconds(double x) {
    double m = x < 0 ? -x : x;
    if (!(m < (double)TD_LIMIT_SECS)) return TD_LIMIT_SECS - 1;
    int64_t secs = (int64_t)m;
    double us = (m - (double)secs) * 1e6;
    int64_t whole = (int64_t)us;
    double rest = us - (double)whole;
    int up = rest > 0.5 || (rest == 0.5 && (whole & 1));
    if (whole + up == 1000000) secs++;
    return secs < TD_LIMIT_SECS ? secs : TD_LIMIT_SECS - 1;
}

static void climb(char *buf, const rung_t *r, size_t n, int64_t v) {
    size_t i = 0;
    while (i + 1 < n && v >= r[i].below) i++;
    if (r[i].per == 0) {
        snprintf(buf, PHRASE_CAP, "%s", r[i].text);
        return;
    }
    snprintf(buf, PHRASE_CAP, "%s%lld%s", r[i].text, (long long)(v * r[i].mul / r[i].per),
             r[i].suffix);
}

/* "N years" with thousands grouped by commas, as humanize's intcomma does. */
static void years_phrase(char *buf, int64_t years) {
    char digits[24];
    int n = snprintf(digits, sizeof digits, "%lld", (long long)years);
    size_t o = 0;
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0) buf[o++] = ',';
        buf[o++] = digits[i];
    }
    snprintf(buf + o, PHRASE_CAP - o, " years");
}

/* The untensed phrase for a whole number of seconds (>= 0). */
static void phrase(char *buf, int64_t secs) {
    int64_t days = secs / SECS_PER_DAY, years = days / DAYS_PER_YEAR;
    if (years >= 2) {
        years_phrase(buf, years);
        return;
    }
    if (days == 0) {
        climb(buf, LADDER(UNDER_DAY), secs);
        return;
    }
    if (years == 0) {
        climb(buf, LADDER(UNDER_YEAR), days);
        return;
    }
    climb(buf, LADDER(ONE_YEAR), days - DAYS_PER_YEAR);
}

char *humanize_naturaldelta(arena_t *a, double seconds) {
    if (isnan(seconds)) return arena_strdup(a, "nan");
    char buf[PHRASE_CAP];
    phrase(buf, whole_seconds(seconds));
    return arena_strdup(a, buf);
}

char *humanize_naturaltime(arena_t *a, double seconds_ago) {
    if (isnan(seconds_ago)) return arena_strdup(a, "nan");
    int64_t secs = whole_seconds(seconds_ago);
    /* Sub-second durations ("a moment") read "now" in either tense. */
    if (secs == 0) return arena_strdup(a, "now");
    char buf[PHRASE_CAP];
    phrase(buf, secs);
    return arena_sprintf(a, "%s%s", buf, seconds_ago < 0 ? " from now" : " ago");
}
