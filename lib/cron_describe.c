/* English descriptions of cron expressions with cron_descriptor 1.4.5's
 * rules and default options; see cron.h. The expression is split into
 * seven parts (seconds .. year), normalised (names to numbers, "0/x" and
 * step-1 forms, self-ranges), then described part by part and joined. */
#include "lib/cron.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"

typedef struct describer {
    arena_t *a;
    char *part[7]; /* seconds, minutes, hours, day of month, month, day of week, year */
    bool failed;
} describer_t;

static bool has_any(const char *s, const char *chars) { return strpbrk(s, chars) != NULL; }

static char *dup(describer_t *d, const char *s) { return arena_strdup(d->a, s); }

/* Replaces every occurrence of from by to. */
static char *replace_all(describer_t *d, const char *s, const char *from, const char *to) {
    strbuf_t sb;
    strbuf_init_arena(&sb, d->a, strlen(s) + 16);
    size_t fl = strlen(from);
    for (const char *p = s; *p;) {
        if (!strncmp(p, from, fl)) {
            strbuf_puts(&sb, to);
            p += fl;
        } else {
            strbuf_putc(&sb, *p++);
        }
    }
    strbuf_putc(&sb, '\0');
    return sb.data;
}

/* str.format with {0} and {1}. */
static char *fmt2(describer_t *d, const char *f, const char *a0, const char *a1) {
    return replace_all(d, replace_all(d, f, "{0}", a0 ? a0 : ""), "{1}", a1 ? a1 : "");
}

/* Python int() of a cron token, or failure. */
static int to_int(describer_t *d, const char *s) {
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end) d->failed = true;
    return (int)v;
}

static char *format_time(describer_t *d, const char *hour_s, const char *minute_s, const char *second_s) {
    int hour = to_int(d, hour_s);
    const char *period = hour >= 12 ? " PM" : " AM";
    if (hour > 12) hour -= 12;
    if (hour == 0) hour = 12;
    int minute = to_int(d, minute_s);
    char sec[24] = "";
    if (second_s && *second_s) snprintf(sec, sizeof sec, ":%02d", to_int(d, second_s));
    return arena_sprintf(d->a, "%02d:%02d%s%s", hour, minute, sec, period);
}

typedef struct segment segment_t;
struct segment {
    const char *all;
    char *(*single)(describer_t *d, const char *s);
    const char *interval;                              /* {0} = the step */
    const char *between;                               /* {0}, {1} */
    const char *(*format)(describer_t *d, const char *s); /* {0} = the item(s) */
    const char *range;                                 /* list members that are ranges */
};

static char *identity(describer_t *d, const char *s) { return dup(d, s); }
static char *hour_item(describer_t *d, const char *s) { return format_time(d, s, "0", NULL); }

static char *day_item(describer_t *d, const char *s) {
    static const char *const names[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
    char *exp = dup(d, s);
    char *hash = strchr(exp, '#');
    if (hash) *hash = '\0';
    else exp = replace_all(d, exp, "L", "");
    int n = to_int(d, exp);
    if (n < 0 || n > 6) {
        d->failed = true;
        return dup(d, "");
    }
    return dup(d, names[n]);
}

static char *month_item(describer_t *d, const char *s) {
    static const char *const names[] = {"January", "February", "March",     "April",   "May",      "June",
                                        "July",    "August",   "September", "October", "November", "December"};
    int n = to_int(d, s);
    if (n < 1 || n > 12) {
        d->failed = true;
        return dup(d, "");
    }
    return dup(d, names[n - 1]);
}

static char *year_item(describer_t *d, const char *s) {
    for (const char *p = s; *p; p++)
        if (!isdigit((unsigned char)*p)) return dup(d, s);
    if (!*s) return dup(d, s);
    return arena_sprintf(d->a, "%d", atoi(s)); /* int() drops leading zeros */
}

static const char *seconds_format(describer_t *d, const char *s) {
    (void)d;
    return !strcmp(s, "0") ? "" : "at {0} seconds past the minute";
}
static const char *minutes_format(describer_t *d, const char *s) {
    return !strcmp(s, "0") && !*d->part[0] ? "" : "at {0} minutes past the hour";
}
static const char *hours_format(describer_t *d, const char *s) { (void)d, (void)s; return "at {0}"; }
static const char *dom_format(describer_t *d, const char *s) { (void)d, (void)s; return ", on day {0} of the month"; }
static const char *only_in(describer_t *d, const char *s) { (void)d, (void)s; return ", only in {0}"; }
static const char *dow_format(describer_t *d, const char *s) {
    static const char *const nth[] = {"", "first", "second", "third", "fourth", "fifth"};
    const char *hash = strchr(s, '#');
    if (hash) {
        char *end;
        long n = strtol(hash + 1, &end, 10);
        const char *word = !*end && hash[1] && n >= 1 && n <= 5 ? nth[n] : "";
        return arena_sprintf(d->a, ", on the %s {0} of the month", word);
    }
    if (strchr(s, 'L')) return ", on the last {0} of the month";
    return ", only on {0}";
}

static const segment_t seconds_seg = {"every second", identity, "every {0} seconds",
                                      "seconds {0} through {1} past the minute", seconds_format, ", {0} through {1}"};
static const segment_t minutes_seg = {"every minute", identity, "every {0} minutes",
                                      "minutes {0} through {1} past the hour", minutes_format, ", {0} through {1}"};
static const segment_t hours_seg = {"every hour", hour_item, "every {0} hours", "between {0} and {1}", hours_format,
                                    ", {0} through {1}"};
static const segment_t dow_seg = {", every day", day_item, ", every {0} days of the week", ", {0} through {1}",
                                  dow_format, ", {0} through {1}"};
static const segment_t month_seg = {"", month_item, ", every {0} months", ", {0} through {1}", only_in,
                                    ", {0} through {1}"};
static const segment_t dom_seg = {", every day", identity, ", every {0} days", ", between day {0} and {1} of the month",
                                  dom_format, ", {0} through {1}"};
static const segment_t year_seg = {"", year_item, ", every {0} years", ", {0} through {1}", only_in,
                                   ", {0} through {1}"};

static char *between(describer_t *d, const char *expr, const char *f, const segment_t *seg) {
    char *copy = dup(d, expr);
    char *dash = strchr(copy, '-');
    if (!dash) {
        d->failed = true;
        return dup(d, "");
    }
    *dash = '\0';
    char *second = dash + 1;
    char *more = strchr(second, '-');
    if (more) *more = '\0';
    return fmt2(d, f, seg->single(d, copy), replace_all(d, seg->single(d, second), ":00", ":59"));
}

static char *segment(describer_t *d, const char *expr, const segment_t *seg) {
    if (!*expr) return dup(d, "");
    if (!strcmp(expr, "*")) return dup(d, seg->all);
    if (!has_any(expr, "/-,")) return fmt2(d, seg->format(d, expr), seg->single(d, expr), NULL);
    if (strchr(expr, '/')) {
        char *copy = dup(d, expr);
        char *slash = strchr(copy, '/');
        *slash = '\0';
        char *step = slash + 1;
        char *rest = strchr(step, '/');
        if (rest) *rest = '\0';
        const char *interval = seg == &dom_seg && !strcmp(step, "1") ? ", every day" : seg->interval;
        strbuf_t sb;
        strbuf_init_arena(&sb, d->a, 64);
        strbuf_puts(&sb, fmt2(d, interval, seg == &dom_seg ? seg->single(d, step) : step, NULL));
        if (strchr(copy, '-')) {
            char *b = between(d, copy, seg->between, seg);
            if (strncmp(b, ", ", 2)) strbuf_puts(&sb, ", ");
            strbuf_puts(&sb, b);
        } else if (!has_any(copy, "*,")) {
            char *item = replace_all(d, fmt2(d, seg->format(d, copy), seg->single(d, copy), NULL), ", ", "");
            strbuf_puts(&sb, fmt2(d, ", starting {0}", item, NULL));
        }
        strbuf_putc(&sb, '\0');
        return sb.data;
    }
    if (strchr(expr, ',')) {
        char *copy = dup(d, expr);
        size_t n = 1;
        for (const char *p = copy; *p; p++) n += *p == ',';
        strbuf_t sb;
        strbuf_init_arena(&sb, d->a, 64);
        char *save = copy;
        for (size_t i = 0; i < n; i++) {
            char *item = save;
            char *comma = strchr(item, ',');
            if (comma) *comma = '\0';
            save = comma ? comma + 1 : item + strlen(item);
            if (i > 0 && n > 2) {
                strbuf_putc(&sb, ',');
                if (i < n - 1) strbuf_putc(&sb, ' ');
            }
            if (i > 0 && n > 1 && (i == n - 1 || n == 2)) strbuf_puts(&sb, " and ");
            if (strchr(item, '-')) strbuf_puts(&sb, replace_all(d, between(d, item, seg->range, seg), ", ", ""));
            else strbuf_puts(&sb, seg->single(d, item));
        }
        strbuf_putc(&sb, '\0');
        return fmt2(d, seg->format(d, expr), sb.data, NULL);
    }
    return between(d, expr, seg->between, seg);
}

static char *time_of_day(describer_t *d) {
    const char *sec = d->part[0], *min = d->part[1], *hour = d->part[2];
    const char *special = "/-,*";
    strbuf_t sb;
    strbuf_init_arena(&sb, d->a, 64);
    if (!has_any(min, special) && !has_any(hour, special) && !has_any(sec, special)) {
        strbuf_puts(&sb, "At ");
        strbuf_puts(&sb, format_time(d, hour, min, sec));
    } else if (!*sec && strchr(min, '-') && !strchr(min, ',') && !has_any(hour, special)) {
        char *copy = dup(d, min);
        char *dash = strchr(copy, '-');
        *dash = '\0';
        char *to = dash + 1;
        char *more = strchr(to, '-');
        if (more) *more = '\0';
        strbuf_puts(&sb, fmt2(d, "Every minute between {0} and {1}", format_time(d, hour, copy, NULL),
                              format_time(d, hour, to, NULL)));
    } else if (!*sec && strchr(hour, ',') && !strchr(hour, '-') && !has_any(min, special)) {
        char *copy = dup(d, hour);
        size_t n = 1;
        for (const char *p = copy; *p; p++) n += *p == ',';
        strbuf_puts(&sb, "At");
        char *item = copy;
        for (size_t i = 0; i < n; i++) {
            char *comma = strchr(item, ',');
            if (comma) *comma = '\0';
            strbuf_putc(&sb, ' ');
            strbuf_puts(&sb, format_time(d, item, min, NULL));
            if (n >= 2 && i < n - 2) strbuf_putc(&sb, ',');
            if (n >= 2 && i == n - 2) strbuf_puts(&sb, " and");
            item = comma ? comma + 1 : item + strlen(item);
        }
    } else {
        char *s = segment(d, sec, &seconds_seg), *m = segment(d, min, &minutes_seg), *h = segment(d, hour, &hours_seg);
        strbuf_puts(&sb, s);
        if (sb.len && *m) strbuf_puts(&sb, ", ");
        strbuf_puts(&sb, m);
        if (sb.len && *h) strbuf_puts(&sb, ", ");
        strbuf_puts(&sb, h);
    }
    strbuf_putc(&sb, '\0');
    return sb.data;
}

static char *day_of_month(describer_t *d) {
    const char *e = d->part[3];
    if (!strcmp(e, "L")) return dup(d, ", on the last day of the month");
    if (!strcmp(e, "LW") || !strcmp(e, "WL")) return dup(d, ", on the last weekday of the month");
    /* (\d{1,2}W)|(W\d{1,2}) at the start */
    size_t digits = strspn(e, "0123456789");
    if ((digits >= 1 && digits <= 2 && e[digits] == 'W') ||
        (e[0] == 'W' && strspn(e + 1, "0123456789") >= 1)) {
        int day = atoi(e[0] == 'W' ? e + 1 : e);
        if (e[0] == 'W' && strspn(e + 1, "0123456789") > 2) day = atoi(arena_strndup(d->a, e + 1, 2));
        const char *what = day == 1 ? "first weekday" : arena_sprintf(d->a, "weekday nearest day %d", day);
        return fmt2(d, ", on the {0} of the month", what, NULL);
    }
    if (e[0] == 'L' && e[1] == '-' && isdigit((unsigned char)e[2])) {
        size_t n = strspn(e + 2, "0123456789");
        return fmt2(d, ", {0} days before the last day of the month", arena_strndup(d->a, e + 2, n > 2 ? 2 : n), NULL);
    }
    return segment(d, e, &dom_seg);
}

/* ExpressionParser.normalize_expression */
static void normalize(describer_t *d) {
    char **p = d->part;
    p[3] = replace_all(d, p[3], "?", "*");
    p[5] = replace_all(d, p[5], "?", "*");
    static const char *const zero_slash[] = {"0/", "0/", "0/", "1/", "1/", "1/", "1/"};
    for (int i = 0; i < 7; i++)
        if (!strncmp(p[i], zero_slash[i], 2)) p[i] = replace_all(d, p[i], zero_slash[i], "*/");
    /* day of week 7 is Sunday: digits at the start or after anything but #, / and space */
    char *dow = dup(d, p[5]);
    for (size_t i = 0; dow[i]; i++) {
        if (dow[i] != '7') continue;
        bool at_start = i == 0;
        bool after_ok = i > 0 && !strchr("#/ \t", dow[i - 1]);
        if (at_start || after_ok) dow[i] = '0';
    }
    p[5] = dow;
    static const char *const days[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};
    static const char *const months[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                         "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
    for (char *c = p[5]; *c; c++) *c = (char)toupper((unsigned char)*c);
    for (int i = 0; i < 7; i++) p[5] = replace_all(d, p[5], days[i], arena_sprintf(d->a, "%d", i));
    for (char *c = p[4]; *c; c++) *c = (char)toupper((unsigned char)*c);
    for (int i = 0; i < 12; i++) p[4] = replace_all(d, p[4], months[i], arena_sprintf(d->a, "%d", i + 1));
    if (!strcmp(p[0], "0")) p[0] = dup(d, "");
    if (!has_any(p[2], "*-,/") && (has_any(p[0], "*/") || has_any(p[1], "*/")))
        p[2] = arena_sprintf(d->a, "%s-%s", p[2], p[2]);
    static const char *const step_through[] = {NULL, NULL, NULL, NULL, "12", "6", "9999"};
    for (int i = 0; i < 7; i++) {
        if (!strcmp(p[i], "*/1")) p[i] = dup(d, "*");
        if (strchr(p[i], '/') && !has_any(p[i], "*-,") && step_through[i]) {
            char *copy = dup(d, p[i]);
            char *slash = strchr(copy, '/');
            *slash = '\0';
            char *step = slash + 1;
            char *rest = strchr(step, '/');
            if (rest) *rest = '\0';
            p[i] = arena_sprintf(d->a, "%s-%s/%s", copy, step_through[i], step);
        }
    }
}

static bool split_parts(describer_t *d, const char *expr) {
    char *fields[8];
    int n = 0;
    for (const char *p = expr; *p;) {
        while (isspace((unsigned char)*p)) p++;
        if (!*p) break;
        size_t len = strcspn(p, " \t\r\n\f\v");
        if (n == 8) return false;
        fields[n++] = arena_strndup(d->a, p, len);
        p += len;
    }
    for (int i = 0; i < 7; i++) d->part[i] = dup(d, "");
    if (n < 5 || n > 7) return false;
    int shift = 0;
    if (n == 5) shift = 1;
    if (n == 6) { /* a literal year last, or ? in day of month / day of week: no seconds */
        size_t len = strlen(fields[5]);
        bool year = len >= 4 && strspn(fields[5] + len - 4, "0123456789") == 4;
        shift = year || !strcmp(fields[4], "?") || !strcmp(fields[2], "?") ? 1 : 0;
    }
    for (int i = 0; i < n; i++) d->part[i + shift] = fields[i];
    return true;
}

char *cron_describe(arena_t *a, const char *expr) {
    describer_t d = {.a = a};
    if (!expr || !split_parts(&d, expr)) return arena_strdup(a, "");
    normalize(&d);
    char *time = time_of_day(&d), *dom = day_of_month(&d);
    char *dow = !strcmp(d.part[5], "*") ? dup(&d, "") : segment(&d, d.part[5], &dow_seg);
    char *month = segment(&d, d.part[4], &month_seg), *year = segment(&d, d.part[6], &year_seg);
    if (d.failed) return arena_strdup(a, "");
    char *s = arena_sprintf(a, "%s%s%s%s%s", time, dom, dow, month, year);
    s = replace_all(&d, s, ", every minute", "");
    s = replace_all(&d, s, ", every hour", "");
    s = replace_all(&d, s, ", every day", "");
    size_t n = strlen(s);
    if (n && s[n - 1] == ',') s[--n] = '\0';
    else if (n >= 2 && s[n - 1] == ' ' && s[n - 2] == ',') s[n -= 2] = '\0';
    if (*s) s[0] = (char)toupper((unsigned char)s[0]);
    return s;
}
