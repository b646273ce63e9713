/* Cron validation and fire-time iteration (croniter semantics); see cron.h.
 * The English descriptions are in cron_describe.c. */
#include "lib/cron.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* ---- validation ---- */

typedef struct field_rule {
    int lo, hi;
    const char *const *names; /* three-letter names for lo.., or NULL */
    bool last_ok;             /* day-of-month "L" */
    bool dow;                 /* day-of-week "5L", "1#2" */
} field_rule_t;

static const char *const month_names[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul",
                                          "aug", "sep", "oct", "nov", "dec", NULL};
static const char *const day_names[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat", NULL};

static const field_rule_t rules[] = {
    {0, 59, NULL, false, false},        /* minute */
    {0, 23, NULL, false, false},        /* hour */
    {1, 31, NULL, true, false},         /* day of month */
    {1, 12, month_names, false, false}, /* month */
    {0, 7, day_names, false, true},     /* day of week */
    {0, 59, NULL, false, false},        /* second (croniter's 6th field) */
    {1970, 2099, NULL, false, false},   /* year (7th field) */
};

/* A value of the field: a number in range or a name. */
static bool parse_value(const char *s, size_t n, const field_rule_t *r, int *out) {
    if (!n) return false;
    if (isdigit((unsigned char)s[0])) {
        int v = 0;
        for (size_t i = 0; i < n; i++) {
            if (!isdigit((unsigned char)s[i]) || v > 100000) return false;
            v = v * 10 + (s[i] - '0');
        }
        *out = v;
        return v >= r->lo && v <= r->hi;
    }
    for (int i = 0; r->names && r->names[i]; i++)
        if (n == 3 && !strncasecmp(s, r->names[i], 3)) {
            *out = r->lo + i;
            return true;
        }
    return false;
}

static bool valid_item(const char *s, size_t n, const field_rule_t *r) {
    const char *slash = memchr(s, '/', n);
    size_t base = slash ? (size_t)(slash - s) : n;
    if (slash) {
        int step = 0;
        size_t sn = n - base - 1;
        if (!sn || sn > 6) return false;
        for (size_t i = base + 1; i < n; i++) {
            if (!isdigit((unsigned char)s[i])) return false;
            step = step * 10 + (s[i] - '0');
        }
        if (step < 1) return false;
    }
    if ((base == 1 && (s[0] == '*' || s[0] == '?'))) return true;
    if (!slash && r->last_ok && base == 1 && s[0] == 'L') return true;
    if (!slash && r->dow && base >= 2 && (s[base - 1] == 'L' || s[base - 1] == 'l')) {
        int v;
        return parse_value(s, base - 1, r, &v);
    }
    if (!slash && r->dow) {
        const char *hash = memchr(s, '#', base);
        if (hash) {
            int v, nth;
            field_rule_t nth_rule = {1, 5, NULL, false, false};
            return parse_value(s, (size_t)(hash - s), r, &v) &&
                   parse_value(hash + 1, base - (size_t)(hash - s) - 1, &nth_rule, &nth);
        }
    }
    const char *dash = memchr(s, '-', base);
    int a, b;
    if (!dash) return parse_value(s, base, r, &a);
    return parse_value(s, (size_t)(dash - s), r, &a) && parse_value(dash + 1, base - (size_t)(dash - s) - 1, r, &b) &&
           a <= b;
}

static bool valid_field(const char *s, size_t n, const field_rule_t *r) {
    while (n) {
        const char *comma = memchr(s, ',', n);
        size_t len = comma ? (size_t)(comma - s) : n;
        if (!valid_item(s, len, r)) return false;
        if (!comma) break;
        n -= len + 1;
        s = comma + 1;
        if (!n) return false;
    }
    return true;
}

bool cron_valid(const char *expr) {
    static const char *const aliases[] = {"@yearly", "@annually", "@monthly", "@weekly",
                                          "@daily", "@midnight", "@hourly", NULL};
    while (isspace((unsigned char)*expr)) expr++;
    for (int i = 0; aliases[i]; i++) {
        size_t n = strlen(aliases[i]);
        if (!strncasecmp(expr, aliases[i], n)) {
            const char *rest = expr + n;
            while (isspace((unsigned char)*rest)) rest++;
            return !*rest;
        }
    }
    int field = 0;
    for (const char *p = expr; *p && field < 8;) {
        size_t n = strcspn(p, " \t\r\n\f\v");
        if (field >= 7 || !valid_field(p, n, &rules[field])) return false;
        field++;
        p += n;
        while (isspace((unsigned char)*p)) p++;
    }
    return field >= 5 && field <= 7;
}

/* ---- iteration ---- */

typedef struct cron_sets {
    bool second[60], minute[60], hour[24], dom[32], month[13], dow[8];
    bool dom_last, dom_any, dow_any, has_seconds;
    int dow_last[7]; /* "5L": 1 when the last such weekday of the month fires */
    int dow_nth[7];  /* "1#2": bit k set when the k-th such weekday fires */
    int year_lo, year_hi;
} cron_sets_t;

/* Marks one comma-separated field of a validated expression. */
static void expand(const char *s, size_t n, const field_rule_t *r, bool *set, cron_sets_t *cs, bool is_dom, bool is_dow) {
    while (n) {
        const char *comma = memchr(s, ',', n);
        size_t len = comma ? (size_t)(comma - s) : n;
        const char *slash = memchr(s, '/', len);
        size_t base = slash ? (size_t)(slash - s) : len;
        int step = slash ? atoi(slash + 1) : 1, lo = r->lo, hi = r->hi, v;
        if (is_dow) hi = 6;
        if (base == 1 && (s[0] == '*' || s[0] == '?')) {
            /* all values */
        } else if (is_dom && base == 1 && s[0] == 'L') {
            cs->dom_last = true;
            lo = 1, hi = 0;
        } else if (is_dow && base >= 2 && (s[base - 1] == 'L' || s[base - 1] == 'l') && parse_value(s, base - 1, r, &v)) {
            cs->dow_last[v % 7] = 1;
            lo = 1, hi = 0;
        } else if (is_dow && memchr(s, '#', base)) {
            const char *hash = memchr(s, '#', base);
            field_rule_t nth_rule = {1, 5, NULL, false, false};
            int k = 0;
            if (parse_value(s, (size_t)(hash - s), r, &v) && parse_value(hash + 1, base - (size_t)(hash - s) - 1, &nth_rule, &k))
                cs->dow_nth[v % 7] |= 1 << k;
            lo = 1, hi = 0;
        } else {
            const char *dash = memchr(s, '-', base);
            if (dash) {
                parse_value(s, (size_t)(dash - s), r, &lo);
                parse_value(dash + 1, base - (size_t)(dash - s) - 1, r, &hi);
            } else {
                parse_value(s, base, r, &lo);
                hi = slash ? (is_dow ? 6 : r->hi) : lo;
            }
        }
        for (int x = lo; x <= hi; x += step) set[is_dow ? x % 7 : x] = true;
        if (!comma) break;
        n -= len + 1;
        s = comma + 1;
    }
}

static bool build_sets(const char *expr, cron_sets_t *cs) {
    static const struct {
        const char *alias, *expr;
    } aliases[] = {{"@yearly", "0 0 1 1 *"}, {"@annually", "0 0 1 1 *"}, {"@monthly", "0 0 1 * *"},
                   {"@weekly", "0 0 * * 0"}, {"@daily", "0 0 * * *"},   {"@midnight", "0 0 * * *"},
                   {"@hourly", "0 * * * *"}};
    if (!cron_valid(expr)) return false;
    while (isspace((unsigned char)*expr)) expr++;
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (!strncasecmp(expr, aliases[i].alias, strlen(aliases[i].alias))) expr = aliases[i].expr;
    memset(cs, 0, sizeof *cs);
    cs->year_lo = 1970, cs->year_hi = 2099;
    bool *sets[] = {cs->minute, cs->hour, cs->dom, cs->month, cs->dow, cs->second, NULL};
    int field = 0;
    for (const char *p = expr; *p && field < 7;) {
        size_t n = strcspn(p, " \t\r\n\f\v");
        if (field == 2) cs->dom_any = n == 1 && (*p == '*' || *p == '?');
        if (field == 4) cs->dow_any = n == 1 && (*p == '*' || *p == '?');
        if (field == 5) cs->has_seconds = true;
        if (field == 6) {
            int lo, hi;
            const char *dash = memchr(p, '-', n);
            if (n == 1 && *p == '*') lo = 1970, hi = 2099;
            else if (dash && parse_value(p, (size_t)(dash - p), &rules[6], &lo) && parse_value(dash + 1, n - (size_t)(dash - p) - 1, &rules[6], &hi)) {
            } else if (parse_value(p, n, &rules[6], &lo)) hi = lo;
            else lo = 1970, hi = 2099; /* lists and steps of years: not narrowed */
            cs->year_lo = lo, cs->year_hi = hi;
        } else {
            expand(p, n, &rules[field], sets[field], cs, field == 2, field == 4);
        }
        field++;
        p += n;
        while (isspace((unsigned char)*p)) p++;
    }
    if (!cs->has_seconds) cs->second[0] = true;
    return true;
}

static int days_in_month(int year, int month0) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return days[month0] + (month0 == 1 && leap);
}

static bool day_matches(const cron_sets_t *cs, const struct tm *tm) {
    int mdays = days_in_month(tm->tm_year + 1900, tm->tm_mon);
    bool dom = cs->dom[tm->tm_mday] || (cs->dom_last && tm->tm_mday == mdays);
    int wd = tm->tm_wday;
    bool dow = cs->dow[wd] || (cs->dow_last[wd] && tm->tm_mday + 7 > mdays) ||
               (cs->dow_nth[wd] & (1 << ((tm->tm_mday - 1) / 7 + 1)));
    if (cs->dom_any && cs->dow_any) return true;
    if (cs->dom_any) return dow;
    if (cs->dow_any) return dom;
    return dom || dow;
}

bool cron_next_times(const char *expr, int64_t start, int64_t *out, int n) {
    cron_sets_t cs;
    if (!build_sets(expr, &cs)) return false;
    time_t t = (time_t)start + 1;
    for (int found = 0; found < n;) {
        struct tm tm;
        for (long guard = 0;; guard++) {
            if (guard > 4000000) return false;
            gmtime_r(&t, &tm);
            int year = tm.tm_year + 1900;
            if (year > cs.year_hi || year > 2099) return false;
            if (year < cs.year_lo || !cs.month[tm.tm_mon + 1]) { /* first second of the next month */
                tm.tm_mon += 1, tm.tm_mday = 1, tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
            } else if (!day_matches(&cs, &tm)) {
                tm.tm_mday += 1, tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
            } else if (!cs.hour[tm.tm_hour]) {
                tm.tm_hour += 1, tm.tm_min = tm.tm_sec = 0;
            } else if (!cs.minute[tm.tm_min]) {
                tm.tm_min += 1, tm.tm_sec = 0;
            } else if (!cs.second[tm.tm_sec]) {
                tm.tm_sec += 1;
            } else {
                break;
            }
            t = timegm(&tm);
        }
        out[found++] = (int64_t)t;
        t += 1;
    }
    return true;
}
