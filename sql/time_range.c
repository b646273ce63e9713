/* Time ranges; see time_range.h. In order: calendar arithmetic, the
 * free-form date reader (a dateutil subset, then a parsedatetime subset),
 * the expression language (parsed into a small tree first and evaluated
 * after, as pyparsing's parse actions are, so syntax errors win over
 * evaluation errors), and get_since_until's rewriting rules. */
#include "sql/time_range.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>

#define SEPARATOR " : "
#define MAX_NODES 256
#define MAX_DEPTH 48
#define MAX_TEXT 512

__attribute__((format(printf, 4, 5))) static tr_status_t fail(char *err, size_t n, tr_status_t st,
                                                               const char *fmt, ...);
static tr_status_t fail(char *err, size_t n, tr_status_t st, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    if (n) vsnprintf(err, n, fmt, ap);
    va_end(ap);
    return st;
}

/* ---- calendar ---- */

typedef struct fields {
    int64_t year;
    int month, day, hour, minute, second;
} fields_t;

static int64_t floor_div(int64_t a, int64_t b) {
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int64_t days_from_civil(int64_t y, int m, int d) {
    y -= m <= 2;
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static void civil_from_days(int64_t z, fields_t *f) {
    z += 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    f->day = (int)(doy - (153 * mp + 2) / 5 + 1);
    f->month = (int)(mp < 10 ? mp + 3 : mp - 9);
    f->year = yoe + era * 400 + (f->month <= 2);
}

static bool is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int64_t y, int m) {
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

static fields_t split(const tr_datetime_t *d) {
    fields_t f;
    int64_t days = floor_div(d->secs, 86400), rem = d->secs - days * 86400;
    civil_from_days(days, &f);
    f.hour = (int)(rem / 3600);
    f.minute = (int)(rem / 60 % 60);
    f.second = (int)(rem % 60);
    return f;
}

/* Fields into a datetime with base's zone and the given microseconds. */
static tr_datetime_t join(const tr_datetime_t *base, const fields_t *f, int32_t usec) {
    tr_datetime_t d = *base;
    d.secs = days_from_civil(f->year, f->month, f->day) * 86400 + f->hour * 3600 + f->minute * 60 + f->second;
    d.usec = usec;
    return d;
}

static int weekday(const tr_datetime_t *d) { /* Monday = 0 */
    int64_t w = (floor_div(d->secs, 86400) + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

static bool year_in_range(const tr_datetime_t *d) {
    int64_t y = split(d).year;
    return y >= 1 && y <= 9999;
}

tr_datetime_t time_range_make(int year, int month, int day, int hour, int minute, int second) {
    tr_datetime_t zero = {0, 0, 0, false};
    fields_t f = {year, month, day, hour, minute, second};
    return join(&zero, &f, 0);
}

tr_datetime_t time_range_now(void) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    localtime_r(&tv.tv_sec, &tm);
    tr_datetime_t d = time_range_make(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    d.usec = (int32_t)tv.tv_usec;
    return d;
}

void time_range_isoformat(const tr_datetime_t *d, char buf[40]) {
    fields_t f = split(d);
    int n = snprintf(buf, 40, "%04lld-%02d-%02dT%02d:%02d:%02d", (long long)f.year, f.month, f.day, f.hour, f.minute,
                     f.second);
    if (d->usec) n += snprintf(buf + n, 40 - (size_t)n, ".%06d", (int)d->usec);
    if (d->has_tz) {
        int off = d->tz_min < 0 ? -d->tz_min : d->tz_min;
        snprintf(buf + n, 40 - (size_t)n, "%c%02d:%02d", d->tz_min < 0 ? '-' : '+', off / 60, off % 60);
    }
}

static tr_datetime_t midnight(const tr_datetime_t *d) {
    tr_datetime_t m = *d;
    m.secs = floor_div(d->secs, 86400) * 86400;
    m.usec = 0;
    return m;
}

typedef enum { U_YEAR, U_QUARTER, U_MONTH, U_WEEK, U_DAY, U_HOUR, U_MINUTE, U_SECOND, U_COUNT } unit_t;

static const char *const unit_names[U_COUNT] = {"year", "quarter", "month", "week", "day", "hour", "minute", "second"};
static const int64_t unit_seconds[U_COUNT] = {0, 0, 0, 7 * 86400, 86400, 3600, 60, 1};

/* parsedatetime's calendar step: months and years move the date and clamp
 * the day to the month's length; the rest are fixed durations. */
static tr_status_t add_units(tr_datetime_t *d, int64_t n, unit_t u, char *err, size_t errlen) {
    if (u == U_QUARTER) {
        n *= 3;
        u = U_MONTH;
    }
    if (n > 120000 || n < -120000) return fail(err, errlen, TR_FAILURE, "date value out of range");
    if (u == U_YEAR || u == U_MONTH) {
        fields_t f = split(d);
        int64_t months = f.year * 12 + (f.month - 1) + (u == U_YEAR ? n * 12 : n);
        int64_t year = floor_div(months, 12);
        if (year < 1 || year > 9999) return fail(err, errlen, TR_INVALID, "year %lld is out of range", (long long)year);
        f.year = year;
        f.month = (int)(months - year * 12) + 1;
        if (f.day > days_in_month(f.year, f.month)) f.day = days_in_month(f.year, f.month);
        *d = join(d, &f, d->usec);
        return TR_OK;
    }
    d->secs += n * unit_seconds[u];
    if (!year_in_range(d)) return fail(err, errlen, TR_FAILURE, "date value out of range");
    return TR_OK;
}

/* ---- free-form dates: the dateutil subset ---- */

static const char *const month_names[12] = {"january", "february", "march",     "april",   "may",      "june",
                                            "july",    "august",   "september", "october", "november", "december"};

/* A month name, its three-letter abbreviation, or "sept". 0 if none. */
static int month_by_name(const char *s, size_t n) {
    for (int i = 0; i < 12; i++) {
        size_t full = strlen(month_names[i]);
        if ((n == full || n == 3) && !strncasecmp(s, month_names[i], n)) return i + 1;
    }
    if (n == 4 && !strncasecmp(s, "sept", 4)) return 9;
    return 0;
}

static size_t digits(const char *s) {
    size_t n = 0;
    while (isdigit((unsigned char)s[n])) n++;
    return n;
}

static int num(const char *s, size_t n) {
    int v = 0;
    for (size_t i = 0; i < n; i++) v = v * 10 + (s[i] - '0');
    return v;
}

static const char *skip_ws(const char *s) {
    while (isspace((unsigned char)*s)) s++;
    return s;
}

typedef struct reading {
    int64_t year;
    int month, day, hour, minute, second, usec;
    bool has_tz;
    int tz_min;
} reading_t;

/* Date part: YYYYMMDD, YYYY[-MM[-DD]] (also / and .), M/D/YYYY, D[ ]Mon[,] YYYY,
 * Mon[ D][,] YYYY, or a lone day number. Returns the rest, or NULL. */
static const char *read_date(const char *s, reading_t *r) {
    size_t n = digits(s);
    if (n == 8) {
        r->year = num(s, 4), r->month = num(s + 4, 2), r->day = num(s + 6, 2);
        return s + 8;
    }
    if (n == 4) {
        r->year = num(s, 4);
        s += 4;
        char sep = *s;
        if ((sep == '-' || sep == '/' || sep == '.') && digits(s + 1) >= 1 && digits(s + 1) <= 2) {
            r->month = num(s + 1, digits(s + 1));
            s += 1 + digits(s + 1);
            if (*s == sep && digits(s + 1) >= 1 && digits(s + 1) <= 2) {
                r->day = num(s + 1, digits(s + 1));
                s += 1 + digits(s + 1);
            }
        }
        return s;
    }
    if (n == 1 || n == 2) {
        int first = num(s, n);
        const char *p = s + n;
        char sep = *p;
        if ((sep == '/' || sep == '-' || sep == '.') && digits(p + 1) >= 1 && digits(p + 1) <= 2 &&
            p[1 + digits(p + 1)] == sep && digits(p + 2 + digits(p + 1)) == 4) {
            int second = num(p + 1, digits(p + 1));
            const char *y = p + 2 + digits(p + 1);
            /* month first unless it cannot be a month (dateutil's swap) */
            r->month = first > 12 && second <= 12 ? second : first;
            r->day = first > 12 && second <= 12 ? first : second;
            r->year = num(y, 4);
            return y + 4;
        }
        const char *q = skip_ws(p);
        size_t alpha = 0;
        while (isalpha((unsigned char)q[alpha])) alpha++;
        int month = alpha ? month_by_name(q, alpha) : 0;
        if (month) { /* D Mon[,] YYYY */
            q = skip_ws(q + alpha);
            if (*q == ',') q = skip_ws(q + 1);
            if (digits(q) != 4) return NULL;
            r->day = first, r->month = month, r->year = num(q, 4);
            return q + 4;
        }
        r->day = first;
        return p;
    }
    size_t alpha = 0;
    while (isalpha((unsigned char)s[alpha])) alpha++;
    int month = alpha ? month_by_name(s, alpha) : 0;
    if (!month) return NULL;
    r->month = month;
    const char *p = skip_ws(s + alpha);
    size_t dn = digits(p);
    if (dn == 1 || dn == 2) { /* Mon D[,] YYYY */
        r->day = num(p, dn);
        p = skip_ws(p + dn);
        if (*p == ',') p = skip_ws(p + 1);
        dn = digits(p);
    }
    if (dn != 4) return NULL;
    r->year = num(p, 4);
    return p + 4;
}

/* [T| ]HH:MM[:SS[.ffffff]] then an optional Z / UTC / GMT / +HH[:MM] / +HHMM. */
static const char *read_time(const char *s, reading_t *r) {
    const char *p = *s == 'T' || *s == 't' ? s + 1 : skip_ws(s);
    if (digits(p) != 2 || p[2] != ':' || digits(p + 3) != 2) return s;
    r->hour = num(p, 2), r->minute = num(p + 3, 2);
    p += 5;
    if (*p == ':' && digits(p + 1) == 2) {
        r->second = num(p + 1, 2);
        p += 3;
        if (*p == '.' && digits(p + 1) > 0) {
            size_t fn = digits(p + 1);
            int usec = 0;
            for (size_t i = 0; i < 6; i++) usec = usec * 10 + (i < fn ? p[1 + i] - '0' : 0);
            r->usec = usec;
            p += 1 + fn;
        }
    }
    const char *z = skip_ws(p);
    if (*z == 'Z' || *z == 'z') return r->has_tz = true, r->tz_min = 0, z + 1;
    if (!strncasecmp(z, "UTC", 3) || !strncasecmp(z, "GMT", 3)) return r->has_tz = true, r->tz_min = 0, z + 3;
    if ((*z == '+' || *z == '-') && digits(z + 1) >= 2) {
        int sign = *z == '-' ? -1 : 1;
        const char *q = z + 1;
        int hh = num(q, 2), mm = 0;
        if (digits(q) == 4) mm = num(q + 2, 2), q += 4;
        else if (digits(q) == 2 && q[2] == ':' && digits(q + 3) == 2) mm = num(q + 3, 2), q += 5;
        else if (digits(q) == 2) q += 2;
        else return p;
        r->has_tz = true;
        r->tz_min = sign * (hh * 60 + mm);
        return q;
    }
    return p;
}

static bool read_dateutil(const char *text, const tr_datetime_t *now, tr_datetime_t *out) {
    fields_t nf = split(now);
    reading_t r = {nf.year, 1, 1, 0, 0, 0, 0, false, 0}; /* default: January 1st of this year */
    const char *s = read_date(skip_ws(text), &r);
    if (!s) return false;
    s = skip_ws(read_time(s, &r));
    if (*s) return false;
    if (r.year < 1 || r.year > 9999 || r.month < 1 || r.month > 12 || r.day < 1 ||
        r.day > days_in_month(r.year, r.month) || r.hour > 23 || r.minute > 59 || r.second > 59 ||
        r.tz_min <= -24 * 60 || r.tz_min >= 24 * 60)
        return false;
    tr_datetime_t base = {0, 0, r.tz_min, r.has_tz};
    fields_t f = {r.year, r.month, r.day, r.hour, r.minute, r.second};
    *out = join(&base, &f, r.usec);
    return true;
}

/* ---- free-form dates: the parsedatetime subset ---- */

typedef struct unit_word {
    const char *word;
    unit_t unit;
} unit_word_t;

/* parsedatetime's English unit spellings (no quarter: it has none). */
static const unit_word_t unit_words[] = {
    {"second", U_SECOND}, {"seconds", U_SECOND}, {"sec", U_SECOND},   {"secs", U_SECOND}, {"s", U_SECOND},
    {"minute", U_MINUTE}, {"minutes", U_MINUTE}, {"min", U_MINUTE},   {"mins", U_MINUTE}, {"m", U_MINUTE},
    {"hour", U_HOUR},     {"hours", U_HOUR},     {"hr", U_HOUR},      {"hrs", U_HOUR},    {"h", U_HOUR},
    {"day", U_DAY},       {"days", U_DAY},       {"dy", U_DAY},       {"d", U_DAY},       {"week", U_WEEK},
    {"weeks", U_WEEK},    {"wk", U_WEEK},        {"w", U_WEEK},       {"month", U_MONTH}, {"months", U_MONTH},
    {"mth", U_MONTH},     {"year", U_YEAR},      {"years", U_YEAR},   {"yr", U_YEAR},     {"yrs", U_YEAR},
    {"y", U_YEAR},
};

static bool unit_by_word(const char *s, size_t n, unit_t *u) {
    for (size_t i = 0; i < sizeof unit_words / sizeof unit_words[0]; i++)
        if (strlen(unit_words[i].word) == n && !strncasecmp(s, unit_words[i].word, n)) {
            *u = unit_words[i].unit;
            return true;
        }
    return false;
}

static bool word_is(const char **s, const char *w) {
    size_t n = strlen(w);
    if (strncasecmp(*s, w, n) || isalnum((unsigned char)(*s)[n])) return false;
    *s = skip_ws(*s + n);
    return true;
}

static const char *const number_words[] = {"zero", "one", "two",   "three",  "four",   "five", "six",
                                          "seven", "eight", "nine", "ten", "eleven", "twelve"};

/* A count: digits or an English number word up to twelve. */
static bool read_count(const char **s, int64_t *qty) {
    size_t n = digits(*s);
    if (n > 9) return false;
    if (n) {
        *qty = num(*s, n);
        *s = skip_ws(*s + n);
        return true;
    }
    for (size_t i = 0; i < sizeof number_words / sizeof number_words[0]; i++)
        if (word_is(s, number_words[i])) return *qty = (int64_t)i, true;
    return false;
}

/* "[+|-]N unit [ago|before|after|later|from now]" or "in N unit": the
 * signed count and unit. */
static bool read_offset(const char *text, int64_t *count, unit_t *unit) {
    const char *s = skip_ws(text);
    bool back = false, forward = word_is(&s, "in");
    if (*s == '+' || *s == '-') back = *s++ == '-';
    int64_t qty;
    if (!read_count(&s, &qty)) return false;
    size_t w = 0;
    while (isalpha((unsigned char)s[w])) w++;
    if (!w || !unit_by_word(s, w, unit)) return false;
    s = skip_ws(s + w);
    if (!forward) {
        if (word_is(&s, "ago") || word_is(&s, "before")) back = true;
        else if (word_is(&s, "from")) {
            if (!word_is(&s, "now")) return false;
        } else if (!word_is(&s, "later"))
            word_is(&s, "after");
    }
    if (*s) return false;
    *count = back ? -qty : qty;
    return true;
}

static bool read_natural(const char *text, const tr_datetime_t *now, tr_datetime_t *out) {
    static const struct {
        const char *word;
        int days;
    } day_words[] = {{"today", 0}, {"yesterday", -1}, {"tomorrow", 1}};
    tr_datetime_t base = *now;
    base.usec = 0; /* a time tuple has whole seconds */
    const char *s = skip_ws(text);
    if (word_is(&s, "now") && !*s) return *out = base, true;
    for (size_t i = 0; i < sizeof day_words / sizeof day_words[0]; i++) {
        s = skip_ws(text);
        if (word_is(&s, day_words[i].word) && !*s) {
            base.secs += day_words[i].days * 86400;
            return *out = midnight(&base), true;
        }
    }
    int64_t count;
    unit_t unit;
    if (!read_offset(text, &count, &unit)) return false;
    if (add_units(&base, count, unit, NULL, 0) != TR_OK) return false;
    /* only a time unit sets the time: otherwise the result is reset to midnight */
    *out = unit <= U_DAY ? midnight(&base) : base;
    return true;
}

/* ^\s*[0-9]+\s+(second|...|year)s?\s*$, case-insensitive. */
static bool is_bare_period(const char *text) {
    const char *s = skip_ws(text);
    size_t n = digits(s);
    if (!n || !isspace((unsigned char)s[n])) return false;
    s = skip_ws(s + n);
    size_t w = 0;
    while (isalpha((unsigned char)s[w])) w++;
    for (int u = 0; u < U_COUNT; u++) {
        size_t un = strlen(unit_names[u]);
        if ((w == un || (w == un + 1 && tolower((unsigned char)s[un]) == 's')) && !strncasecmp(s, unit_names[u], un))
            return !*skip_ws(s + w);
    }
    return false;
}

tr_status_t time_range_parse_human(const char *text, const tr_datetime_t *now, tr_datetime_t *out, char *err,
                                   size_t errlen) {
    if (is_bare_period(text))
        return fail(err, errlen, TR_INVALID, "Time string is ambiguous. Please specify [%s ago] or [%s later].", text,
                    text);
    if (read_dateutil(text, now, out) || read_natural(text, now, out)) return TR_OK;
    return fail(err, errlen, TR_INVALID, "Cannot parse time string [%s]", text);
}

/* ---- the expression language: parse ---- */

typedef enum { N_DATETIME, N_DATEADD, N_DATETRUNC, N_LASTDAY, N_HOLIDAY, N_DATEDIFF, N_INT } node_kind_t;

typedef struct node {
    node_kind_t kind;
    int a, b;       /* children (node indexes), -1 when absent */
    int unit;       /* unit_t, -1 when absent */
    const char *text; /* DATETIME / HOLIDAY text operand (not terminated) */
    size_t text_len;
    int64_t ival;   /* N_INT */
    bool big;       /* N_INT beyond int64 range */
} node_t;

typedef struct parser {
    const char *s;
    size_t pos;
    node_t nodes[MAX_NODES];
    int n, depth;
    char *err;
    size_t errlen;
    bool failed;
} parser_t;

static void ws(parser_t *p) {
    while (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' || p->s[p->pos] == '\n' || p->s[p->pos] == '\r') p->pos++;
}

/* pyparsing's message shape: Expected X, found 'c'  (at char N), (line:1, col:N+1) */
static int expected(parser_t *p, const char *what) {
    if (p->failed) return -1;
    p->failed = true;
    ws(p);
    char found[16];
    if (p->s[p->pos]) snprintf(found, sizeof found, "'%c'", p->s[p->pos]);
    else snprintf(found, sizeof found, "end of text");
    snprintf(p->err, p->errlen, "Expected %s, found %s  (at char %zu), (line:1, col:%zu)", what, found, p->pos,
             p->pos + 1);
    return -1;
}

static bool ident_char(char c) { return isalnum((unsigned char)c) || c == '_' || c == '$'; }

/* CaselessKeyword: the word, case-insensitive, not followed by an identifier character. */
static bool keyword(parser_t *p, const char *w) {
    ws(p);
    size_t n = strlen(w);
    if (strncasecmp(p->s + p->pos, w, n) || ident_char(p->s[p->pos + n])) return false;
    p->pos += n;
    return true;
}

static bool punct(parser_t *p, char c) {
    ws(p);
    if (p->s[p->pos] != c) return false;
    p->pos++;
    return true;
}

static int new_node(parser_t *p, node_kind_t kind) {
    if (p->n >= MAX_NODES) return expected(p, "a shorter expression");
    node_t *nd = &p->nodes[p->n];
    memset(nd, 0, sizeof *nd);
    nd->kind = kind, nd->a = nd->b = nd->unit = -1;
    return p->n++;
}

/* One of the units in mask (bit per unit_t). */
static int unit_kw(parser_t *p, unsigned mask) {
    for (int u = 0; u < U_COUNT; u++)
        if ((mask & (1u << u)) && keyword(p, unit_names[u])) return u;
    return -1;
}

/* pyparsing's quotedString: '...' or "..." with doubled quotes and backslash
 * escapes kept verbatim; the operand is the text between the quotes. */
static bool quoted(parser_t *p, const char **text, size_t *len) {
    ws(p);
    char q = p->s[p->pos];
    if (q != '\'' && q != '"') return false;
    size_t i = p->pos + 1;
    for (;;) {
        char c = p->s[i];
        if (c == q && p->s[i + 1] == q) i += 2;
        else if (c == '\\' && p->s[i + 1] == 'x' && isxdigit((unsigned char)p->s[i + 2])) {
            i += 2;
            while (isxdigit((unsigned char)p->s[i])) i++;
        } else if (c == '\\' && p->s[i + 1] && p->s[i + 1] != 'x') i += 2;
        else if (c && c != q && c != '\n' && c != '\r' && c != '\\') i++;
        else break;
    }
    if (p->s[i] != q) return false;
    *text = p->s + p->pos + 1;
    *len = i - p->pos - 1;
    p->pos = i + 1;
    return true;
}

static bool close_call(parser_t *p, bool trailing_comma) {
    if (trailing_comma) punct(p, ',');
    if (punct(p, ')')) return true;
    expected(p, "')'");
    return false;
}

#define ALL_UNITS ((1u << U_COUNT) - 1)
#define LASTDAY_UNITS ((1u << U_YEAR) | (1u << U_MONTH) | (1u << U_WEEK))
#define DIFF_UNITS ((1u << U_YEAR) | (1u << U_DAY))

static int date_expr(parser_t *p);
static int datediff(parser_t *p);
static bool starts_date_function(parser_t *p);

static int int_operand(parser_t *p) {
    ws(p);
    size_t i = p->pos;
    if (p->s[i] == '+' || p->s[i] == '-') i++;
    if (isdigit((unsigned char)p->s[i])) {
        int idx = new_node(p, N_INT);
        if (idx < 0) return -1;
        bool neg = p->s[p->pos] == '-';
        uint64_t v = 0;
        for (; isdigit((unsigned char)p->s[i]); i++) {
            if (v > (UINT64_C(1) << 62) / 10) p->nodes[idx].big = true;
            else v = v * 10 + (uint64_t)(p->s[i] - '0');
        }
        p->nodes[idx].ival = neg ? -(int64_t)v : (int64_t)v;
        p->pos = i;
        return idx;
    }
    int d = datediff(p);
    return d >= 0 || p->failed ? d : expected(p, "int_operand");
}

/* The body of a call after its keyword: '(' then the rule's operands. */
static int call(parser_t *p, node_kind_t kind) {
    if (!punct(p, '(')) return expected(p, "'('");
    int idx = new_node(p, kind);
    if (idx < 0) return -1;
    node_t nd = p->nodes[idx];
    switch (kind) {
    case N_DATETIME:
        if (!quoted(p, &nd.text, &nd.text_len)) return expected(p, "text_operand");
        break;
    case N_DATEADD:
        if ((nd.a = date_expr(p)) < 0) return -1;
        if (!punct(p, ',')) return expected(p, "','");
        if ((nd.b = int_operand(p)) < 0) return -1;
        if (!punct(p, ',')) return expected(p, "','");
        if ((nd.unit = unit_kw(p, ALL_UNITS)) < 0) return expected(p, "a time unit");
        break;
    case N_DATETRUNC:
    case N_LASTDAY:
        if ((nd.a = date_expr(p)) < 0) return -1;
        if (!punct(p, ',')) return expected(p, "','");
        if ((nd.unit = unit_kw(p, kind == N_LASTDAY ? LASTDAY_UNITS : ALL_UNITS)) < 0)
            return expected(p, "a time unit");
        break;
    case N_HOLIDAY:
        if (!quoted(p, &nd.text, &nd.text_len)) return expected(p, "text_operand");
        punct(p, ',');
        if (starts_date_function(p) && (nd.a = date_expr(p)) < 0) return -1;
        punct(p, ',');
        const char *country;
        size_t clen;
        if (quoted(p, &country, &clen)) nd.b = 1;
        break;
    case N_DATEDIFF:
        if ((nd.a = date_expr(p)) < 0) return -1;
        if (!punct(p, ',')) return expected(p, "','");
        if ((nd.b = date_expr(p)) < 0) return -1;
        size_t before_comma = p->pos;
        if (punct(p, ',') && (nd.unit = unit_kw(p, DIFF_UNITS)) < 0) p->pos = before_comma;
        break;
    case N_INT:
        break;
    }
    p->nodes[idx] = nd;
    /* DATETIME takes no trailing comma; DATEDIFF only after its unit */
    bool trailing = kind != N_DATETIME && (kind != N_DATEDIFF || nd.unit >= 0);
    return close_call(p, trailing) ? idx : -1;
}

static const struct {
    const char *word;
    node_kind_t kind;
} date_functions[] = {
    {"datetime", N_DATETIME}, {"dateadd", N_DATEADD}, {"datetrunc", N_DATETRUNC},
    {"lastday", N_LASTDAY},   {"holiday", N_HOLIDAY},
};

/* Whether a date function keyword comes next (consumes nothing). */
static bool starts_date_function(parser_t *p) {
    size_t at = p->pos;
    bool found = false;
    for (size_t i = 0; i < sizeof date_functions / sizeof date_functions[0] && !found; i++)
        found = keyword(p, date_functions[i].word);
    p->pos = at;
    return found;
}

static int date_expr(parser_t *p) {
    if (++p->depth > MAX_DEPTH) return expected(p, "a less deeply nested expression");
    int idx = -1;
    bool matched = false;
    for (size_t i = 0; i < sizeof date_functions / sizeof date_functions[0] && !matched; i++)
        if (keyword(p, date_functions[i].word)) {
            matched = true;
            idx = call(p, date_functions[i].kind);
        }
    p->depth--;
    return matched ? idx : expected(p, "{datetime | dateadd | datetrunc | lastday | holiday}");
}

static int datediff(parser_t *p) {
    if (!keyword(p, "datediff")) return -1;
    if (++p->depth > MAX_DEPTH) return expected(p, "a less deeply nested expression");
    int idx = call(p, N_DATEDIFF);
    p->depth--;
    return idx;
}

/* ---- the expression language: evaluate ---- */

typedef struct value {
    bool is_int;
    int64_t i;
    tr_datetime_t dt;
} value_t;

typedef struct evaluator {
    const parser_t *p;
    const tr_datetime_t *now;
    char *err;
    size_t errlen;
} evaluator_t;

static tr_status_t eval(const evaluator_t *e, int idx, value_t *out);

static tr_status_t eval_date(const evaluator_t *e, int idx, tr_datetime_t *out) {
    value_t v;
    tr_status_t st = eval(e, idx, &v);
    if (st == TR_OK) *out = v.dt;
    return st;
}

static int64_t utc_secs(const tr_datetime_t *d) { return d->secs - (d->has_tz ? d->tz_min * 60 : 0); }

static tr_status_t eval_datediff(const evaluator_t *e, const node_t *nd, value_t *out) {
    tr_datetime_t to, from;
    tr_status_t st = eval_date(e, nd->b, &to); /* Python evaluates the right-hand date first */
    if (st == TR_OK) st = eval_date(e, nd->a, &from);
    if (st != TR_OK) return st;
    out->is_int = true;
    if (nd->unit == U_YEAR) {
        out->i = split(&to).year - split(&from).year;
        return TR_OK;
    }
    if (to.has_tz != from.has_tz)
        return fail(e->err, e->errlen, TR_FAILURE, "can't subtract offset-naive and offset-aware datetimes");
    int64_t us = (utc_secs(&to) - utc_secs(&from)) * 1000000 + (to.usec - from.usec);
    out->i = floor_div(us, INT64_C(86400000000));
    return TR_OK;
}

static tr_status_t eval(const evaluator_t *e, int idx, value_t *out) {
    const node_t *nd = &e->p->nodes[idx];
    tr_status_t st;
    memset(out, 0, sizeof *out);
    switch (nd->kind) {
    case N_INT:
        if (nd->big) return fail(e->err, e->errlen, TR_FAILURE, "date value out of range");
        out->is_int = true;
        out->i = nd->ival;
        return TR_OK;
    case N_DATETIME: {
        char text[MAX_TEXT];
        if (nd->text_len >= sizeof text)
            return fail(e->err, e->errlen, TR_INVALID, "Cannot parse time string [%.*s]", (int)nd->text_len,
                        nd->text);
        memcpy(text, nd->text, nd->text_len);
        text[nd->text_len] = '\0';
        return time_range_parse_human(text, e->now, &out->dt, e->err, e->errlen);
    }
    case N_DATEADD: {
        value_t delta;
        if ((st = eval_date(e, nd->a, &out->dt)) != TR_OK || (st = eval(e, nd->b, &delta)) != TR_OK) return st;
        return add_units(&out->dt, delta.i, (unit_t)nd->unit, e->err, e->errlen);
    }
    case N_DATETRUNC: {
        if ((st = eval_date(e, nd->a, &out->dt)) != TR_OK) return st;
        fields_t f = split(&out->dt);
        switch ((unit_t)nd->unit) {
        case U_YEAR: f.month = 1; /* fall through */
        case U_MONTH: f.day = 1; f.hour = f.minute = f.second = 0; break;
        case U_QUARTER: f.month = (f.month - 1) / 3 * 3 + 1; f.day = 1; f.hour = f.minute = f.second = 0; break;
        case U_WEEK: out->dt.secs -= weekday(&out->dt) * 86400; f = split(&out->dt); /* fall through */
        case U_DAY: f.hour = 0; /* fall through */
        case U_HOUR: f.minute = 0; /* fall through */
        case U_MINUTE: f.second = 0; break;
        default: break; /* second: only the microseconds go */
        }
        out->dt = join(&out->dt, &f, 0);
        return year_in_range(&out->dt) ? TR_OK : fail(e->err, e->errlen, TR_FAILURE, "date value out of range");
    }
    case N_LASTDAY: {
        if ((st = eval_date(e, nd->a, &out->dt)) != TR_OK) return st;
        fields_t f = split(&out->dt);
        if (nd->unit == U_WEEK) {
            out->dt = midnight(&out->dt);
            out->dt.secs += (6 - weekday(&out->dt)) * 86400;
            return year_in_range(&out->dt) ? TR_OK : fail(e->err, e->errlen, TR_FAILURE, "date value out of range");
        }
        if (nd->unit == U_YEAR) f.month = 12;
        f.day = days_in_month(f.year, f.month);
        f.hour = f.minute = f.second = 0;
        out->dt = join(&out->dt, &f, 0);
        return TR_OK;
    }
    case N_HOLIDAY:
        return fail(e->err, e->errlen, TR_INVALID,
                    "Unable to find such a holiday: [%.*s]"
                    " (Liteset has no holiday calendars: HOLIDAY() is not supported)",
                    (int)nd->text_len, nd->text);
    case N_DATEDIFF:
        return eval_datediff(e, nd, out);
    }
    return fail(e->err, e->errlen, TR_FAILURE, "unknown expression");
}

static tr_status_t eval_value(const char *expr, const tr_datetime_t *now, value_t *out, char *err, size_t errlen) {
    static __thread parser_t p; /* 12 KiB: kept off fiber stacks; evaluation never yields */
    memset(&p, 0, sizeof p);
    p.s = expr, p.err = err, p.errlen = errlen;
    int root = starts_date_function(&p) ? date_expr(&p) : datediff(&p);
    if (root < 0) {
        if (!p.failed) expected(&p, "{datetime | dateadd | datetrunc | lastday | holiday | datediff}");
        return TR_INVALID;
    }
    /* like parseString without parseAll, text after the expression is ignored */
    evaluator_t e = {&p, now, err, errlen};
    return eval(&e, root, out);
}

tr_status_t time_range_eval(const char *expr, const tr_datetime_t *now, tr_datetime_t *out, char *err,
                            size_t errlen) {
    value_t v;
    tr_status_t st = eval_value(expr, now, &v, err, errlen);
    if (st == TR_OK && v.is_int) return fail(err, errlen, TR_FAILURE, "'int' object has no attribute 'isoformat'");
    if (st == TR_OK) *out = v.dt;
    return st;
}

/* ---- get_since_until ---- */

typedef struct fixed_range {
    const char *prefix;
    const char *expr;
} fixed_range_t;

static const fixed_range_t fixed_ranges[] = {
    {"previous calendar week",
     "DATETRUNC(DATEADD(DATETIME('today'), -1, WEEK), WEEK) : DATETRUNC(DATETIME('today'), WEEK)"},
    {"previous calendar month",
     "DATETRUNC(DATEADD(DATETIME('today'), -1, MONTH), MONTH) : DATETRUNC(DATETIME('today'), MONTH)"},
    {"previous calendar quarter",
     "DATETRUNC(DATEADD(DATETIME('today'), -1, QUARTER), QUARTER) : DATETRUNC(DATETIME('today'), QUARTER)"},
    {"previous calendar year",
     "DATETRUNC(DATEADD(DATETIME('today'), -1, YEAR), YEAR) : DATETRUNC(DATETIME('today'), YEAR)"},
    {"Current day",
     "DATETRUNC(DATEADD(DATETIME('today'), 0, DAY), DAY) : DATETRUNC(DATEADD(DATETIME('today'), 1, DAY), DAY)"},
    {"Current week",
     "DATETRUNC(DATEADD(DATETIME('today'), 0, WEEK), WEEK) : DATETRUNC(DATEADD(DATETIME('today'), 1, WEEK), WEEK)"},
    {"Current month", "DATETRUNC(DATEADD(DATETIME('today'), 0, MONTH), MONTH) :"
                      " DATETRUNC(DATEADD(DATETIME('today'), 1, MONTH), MONTH)"},
    {"Current quarter", "DATETRUNC(DATEADD(DATETIME('today'), 0, QUARTER), QUARTER) :"
                        " DATETRUNC(DATEADD(DATETIME('today'), 1, QUARTER), QUARTER)"},
    {"Current year",
     "DATETRUNC(DATEADD(DATETIME('today'), 0, YEAR), YEAR) : DATETRUNC(DATEADD(DATETIME('today'), 1, YEAR), YEAR)"},
};

static bool starts_with(const char *s, const char *prefix) { return !strncmp(s, prefix, strlen(prefix)); }

/* A word from a list, case-insensitive, followed by whitespace; advances past both. */
static int leading_word(const char **s, const char *const *words, size_t n) {
    for (size_t i = 0; i < n; i++) {
        size_t w = strlen(words[i]);
        if (!strncasecmp(*s, words[i], w) && isspace((unsigned char)(*s)[w])) {
            const char *q = *s + w;
            while (isspace((unsigned char)*q)) q++;
            *s = q;
            return (int)i;
        }
    }
    return -1;
}

/* "[N ]unit[s]" up to the end, the unit among mask; delta "" when absent. */
static bool tail_unit(const char *s, unsigned mask, char *delta, size_t dlen, const char **unit, size_t *ulen) {
    size_t n = digits(s);
    if (n >= dlen) return false;
    memcpy(delta, s, n);
    delta[n] = '\0';
    s += n;
    while (isspace((unsigned char)*s)) s++;
    for (int u = 0; u < U_COUNT; u++) {
        size_t un = strlen(unit_names[u]);
        if (!(mask & (1u << u)) || strncasecmp(s, unit_names[u], un)) continue;
        const char *end = s + un;
        if (tolower((unsigned char)*end) == 's') end++;
        if (*end) continue;
        *unit = s, *ulen = un;
        return true;
    }
    return false;
}

#define LOOKUP_UNITS_1 ((1u << U_DAY) | (1u << U_WEEK) | (1u << U_MONTH) | (1u << U_QUARTER) | (1u << U_YEAR))
#define LOOKUP_UNITS_2 (LOOKUP_UNITS_1 | (1u << U_SECOND) | (1u << U_MINUTE))

/* handle_scope_and_unit: this / last|prior / next N unit from now or today. */
static void scope_expr(char *out, size_t n, int scope, const char *delta, const char *unit, size_t ulen) {
    const char *base = (tolower((unsigned char)unit[0]) == 's' || (tolower((unsigned char)unit[0]) == 'm' &&
                                                                    tolower((unsigned char)unit[1]) == 'i'))
                           ? "now"
                           : "today";
    const char *d = *delta ? delta : "1";
    while (d[0] == '0' && d[1]) d++; /* int(delta) */
    if (scope == 0) snprintf(out, n, "DATETIME('%s')", base);
    else snprintf(out, n, "DATEADD(DATETIME('%s'), %s%s, %.*s)", base, scope == 3 ? "" : "-", d, (int)ulen, unit);
}

/* One side of "since : until" rewritten into the expression language. */
static void side_expr(const char *part, char *out, size_t n) {
    static const char *const modifiers[] = {"start of", "beginning of", "end of"};
    static const char *const scopes[] = {"this", "last", "prior", "next"};
    static const char *const functions[] = {"DATETIME", "DATEADD", "DATETRUNC", "LASTDAY", "HOLIDAY"};
    char delta[24], inner[600];
    const char *unit;
    size_t ulen;
    const char *s = part;
    int modifier = leading_word(&s, modifiers, 3);
    if (modifier >= 0) {
        int scope = leading_word(&s, scopes, 4);
        if (scope >= 0 && tail_unit(s, LOOKUP_UNITS_1, delta, sizeof delta, &unit, &ulen)) {
            scope_expr(inner, sizeof inner, scope, delta, unit, ulen);
            char lower[16];
            snprintf(lower, sizeof lower, "%.*s", (int)ulen, unit);
            for (char *c = lower; *c; c++) *c = (char)tolower((unsigned char)*c);
            snprintf(out, n, "%s(%s, %s)", modifier == 2 ? "LASTDAY" : "DATETRUNC", inner, lower);
            return;
        }
    }
    s = part;
    int scope = leading_word(&s, scopes, 4);
    if (scope >= 0 && tail_unit(s, LOOKUP_UNITS_2, delta, sizeof delta, &unit, &ulen)) {
        scope_expr(out, n, scope, delta, unit, ulen);
        return;
    }
    for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++)
        if (!strncasecmp(part, functions[i], strlen(functions[i])) && !strchr(part, '\n')) {
            snprintf(out, n, "%s", part);
            return;
        }
    snprintf(out, n, "DATETIME('%s')", part);
}

/* Python's str.strip() of ASCII whitespace, into buf. */
static const char *strip(const char *s, size_t len, char *buf, size_t n) {
    while (len && isspace((unsigned char)*s)) s++, len--;
    while (len && isspace((unsigned char)s[len - 1])) len--;
    if (len >= n) len = n - 1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return buf;
}

static tr_status_t eval_side(const char *part, const tr_datetime_t *now, bool *has, tr_datetime_t *out, char *err,
                             size_t errlen) {
    *has = false;
    if (!*part) return TR_OK;
    size_t n = strlen(part) + 600;
    char expr[n];
    side_expr(part, expr, n);
    tr_status_t st = time_range_eval(expr, now, out, err, errlen);
    *has = st == TR_OK;
    return st;
}

/* parse_past_timedelta then subtraction: the bound moves to where
 * parsedatetime puts "-<shift>" relative to it; unreadable shifts move nothing. */
static void shift_back(tr_datetime_t *d, const char *shift) {
    int64_t count;
    unit_t unit;
    const char *s = shift;
    if (*s == '-') s++;
    if (!read_offset(s, &count, &unit)) return;
    tr_datetime_t moved = *d;
    if (add_units(&moved, count < 0 ? count : -count, unit, NULL, 0) == TR_OK) *d = moved;
}

static tr_status_t apply_shift(const char *shift, const tr_datetime_t *now, tr_range_t *r, char *err, size_t errlen) {
    const char *sep = strstr(shift, SEPARATOR);
    if (!sep) {
        if (r->has_since) shift_back(&r->since, shift);
        if (r->has_until) shift_back(&r->until, shift);
        return TR_OK;
    }
    size_t n = strlen(shift) + 1;
    char since[n], until[n];
    strip(shift, (size_t)(sep - shift), since, n);
    strip(sep + strlen(SEPARATOR), strlen(sep + strlen(SEPARATOR)), until, n);
    tr_status_t st = time_range_parse_human(since, now, &r->since, err, errlen);
    if (st == TR_OK) st = time_range_parse_human(until, now, &r->until, err, errlen);
    r->has_since = r->has_until = st == TR_OK;
    return st;
}

tr_status_t time_range_since_until(const char *time_range, const char *time_shift, const tr_datetime_t *now,
                                   tr_range_t *out, char *err, size_t errlen) {
    memset(out, 0, sizeof *out);
    const char *tr = time_range ? time_range : "";
    if (!strcmp(tr, "No filter")) return TR_OK;
    if (strlen(tr) > TIME_RANGE_MAX_INPUT || (time_shift && strlen(time_shift) > TIME_RANGE_MAX_INPUT))
        return fail(err, errlen, TR_INVALID, "time range longer than %d characters", TIME_RANGE_MAX_INPUT);
    size_t len = strlen(tr) + 16;
    char buf[len > 256 ? len : 256];
    bool has_sep = strstr(tr, SEPARATOR) != NULL;
    if (starts_with(tr, "Last") && !has_sep) snprintf(buf, sizeof buf, "%s" SEPARATOR "today", tr), tr = buf;
    else if (starts_with(tr, "Next") && !has_sep) snprintf(buf, sizeof buf, "today" SEPARATOR "%s", tr), tr = buf;
    for (size_t i = 0; i < sizeof fixed_ranges / sizeof fixed_ranges[0] && !has_sep; i++)
        if (starts_with(tr, fixed_ranges[i].prefix)) tr = fixed_ranges[i].expr;

    tr_status_t st;
    const char *sep = strstr(tr, SEPARATOR);
    if (sep) {
        size_t n = strlen(tr) + 1;
        char since[n], until[n];
        strip(tr, (size_t)(sep - tr), since, n);
        strip(sep + strlen(SEPARATOR), strlen(sep + strlen(SEPARATOR)), until, n);
        st = eval_side(since, now, &out->has_since, &out->since, err, errlen);
        if (st == TR_OK) st = eval_side(until, now, &out->has_until, &out->until, err, errlen);
    } else {
        st = time_range_parse_human("today", now, &out->until, err, errlen);
        out->has_until = st == TR_OK;
    }
    if (st == TR_OK && time_shift && *time_shift) st = apply_shift(time_shift, now, out, err, errlen);
    if (st != TR_OK) return st;

    if (out->has_since && out->has_until) {
        if (out->since.has_tz != out->until.has_tz)
            return fail(err, errlen, TR_FAILURE, "can't compare offset-naive and offset-aware datetimes");
        int64_t a = utc_secs(&out->since), b = utc_secs(&out->until);
        if (a > b || (a == b && out->since.usec > out->until.usec))
            return fail(err, errlen, TR_INVALID, "From date cannot be larger than to date");
    }
    return TR_OK;
}
