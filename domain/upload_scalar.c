/* Scalar parsing and rendering for uploads, with pandas' rules: integer
 * and decimal literals (any decimal mark, surrounding spaces), the C
 * parser's boolean words, date/time texts in one shape per column, and
 * the text forms COPY receives. See upload_scalar.h. */
#include "domain/upload_scalar.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/pyfloat.h"

void upload_trim(const char **b, const char **e) {
    while (*b < *e && isspace((unsigned char)**b)) (*b)++;
    while (*e > *b && isspace((unsigned char)(*e)[-1])) (*e)--;
}

/* An integer literal (sign, digits, surrounding spaces) that fits int64. */
bool upload_parse_int(const char *s, long long *v) {
    const char *b = s, *e = s + strlen(s);
    upload_trim(&b, &e);
    const char *d = b + (b < e && (*b == '+' || *b == '-'));
    if (d == e) return false;
    for (const char *p = d; p < e; p++)
        if (!isdigit((unsigned char)*p)) return false;
    char buf[32];
    if ((size_t)(e - b) >= sizeof buf) return false;
    memcpy(buf, b, (size_t)(e - b));
    buf[e - b] = '\0';
    errno = 0;
    *v = strtoll(buf, NULL, 10);
    return errno == 0;
}

static bool parse_inf(const char *b, const char *e, double *v) {
    static const char *const words[] = {"inf", "infinity"};
    int sign = 1;
    if (b < e && (*b == '+' || *b == '-')) sign = *b++ == '-' ? -1 : 1;
    for (size_t i = 0; i < 2; i++)
        if ((size_t)(e - b) == strlen(words[i]) && !strncasecmp(b, words[i], (size_t)(e - b))) {
            *v = sign * INFINITY;
            return true;
        }
    return false;
}

/* A decimal number with `decimal` as the decimal mark (xstrtod's grammar). */
bool upload_parse_float(const char *s, char decimal, double *v) {
    const char *b = s, *e = s + strlen(s);
    upload_trim(&b, &e);
    if (b == e) return false;
    if (parse_inf(b, e, v)) return true;
    char buf[128];
    size_t n = 0, digits = 0;
    const char *p = b;
    if (*p == '+' || *p == '-') buf[n++] = *p++;
    for (; p < e && isdigit((unsigned char)*p) && n < sizeof buf - 8; p++, digits++) buf[n++] = *p;
    if (p < e && *p == decimal) {
        buf[n++] = '.';
        for (p++; p < e && isdigit((unsigned char)*p) && n < sizeof buf - 8; p++, digits++) buf[n++] = *p;
    }
    if (!digits) return false;
    if (p < e && (*p == 'e' || *p == 'E')) {
        buf[n++] = *p++;
        if (p < e && (*p == '+' || *p == '-')) buf[n++] = *p++;
        size_t exp_digits = 0;
        for (; p < e && isdigit((unsigned char)*p) && n < sizeof buf - 1; p++, exp_digits++) buf[n++] = *p;
        if (!exp_digits) return false;
    }
    if (p != e) return false;
    buf[n] = '\0';
    *v = strtod(buf, NULL);
    return true;
}

int upload_bool_literal(const char *s) {
    static const char *const t[] = {"True", "TRUE", "true"}, *const f[] = {"False", "FALSE", "false"};
    for (size_t i = 0; i < 3; i++) {
        if (!strcmp(s, t[i])) return 1;
        if (!strcmp(s, f[i])) return 0;
    }
    return -1;
}

/* ---- dates ---- */


static int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d) {
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static int days_in_month(int y, int m) {
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : dm[m - 1];
}

static bool valid_ymd(int y, int m, int d) { return m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m); }

/* Reads up to max digits; their count in *n. */
static int read_num(const char **p, const char *e, int max, int *n) {
    int v = 0;
    *n = 0;
    while (*p < e && isdigit((unsigned char)**p) && *n < max) v = v * 10 + (*(*p)++ - '0'), (*n)++;
    return v;
}

/* Parses one date/time text; the first value fixes the shape (as pandas
 * guesses one format from the first value and applies it to the column),
 * later values must have the same shape. */
bool upload_dt_parse(const char *s, bool dayfirst, upload_dt_shape_t *shape, int64_t *us, int *tzmin) {
    const char *p = s, *e = s + strlen(s);
    upload_trim(&p, &e);
    upload_dt_shape_t sh = {.set = true};
    int na, nb, nc, a, b, c, y, m, d;
    a = read_num(&p, e, 8, &na);
    if (na == 8) {
        sh.order = 3;
        y = a / 10000, m = a / 100 % 100, d = a % 100;
    } else {
        if (!na || p >= e || !strchr("-/.", *p)) return false;
        sh.sep = *p++;
        b = read_num(&p, e, 2, &nb);
        if (!nb || p >= e || *p != sh.sep) return false;
        p++;
        c = read_num(&p, e, 4, &nc);
        if (na == 4 && nc >= 1 && nc <= 2) {
            sh.order = 0, y = a, m = b, d = c;
        } else if (na <= 2 && nc == 4) {
            int want = shape->set ? shape->order : dayfirst ? 2 : 1;
            if (!shape->set && !valid_ymd(c, want == 2 ? b : a, want == 2 ? a : b)) want = want == 2 ? 1 : 2;
            sh.order = want, y = c;
            m = want == 2 ? b : a;
            d = want == 2 ? a : b;
        } else return false;
    }
    if (!valid_ymd(y, m, d)) return false;
    int hh = 0, mi = 0, ss = 0, n;
    long frac_us = 0;
    if (p < e && (*p == 'T' || *p == ' ')) {
        sh.tsep = *p++;
        hh = read_num(&p, e, 2, &n);
        if (!n || p >= e || *p != ':') return false;
        p++;
        mi = read_num(&p, e, 2, &n);
        if (n != 2) return false;
        sh.time_parts = 2;
        if (p < e && *p == ':') {
            p++;
            ss = read_num(&p, e, 2, &n);
            if (n != 2) return false;
            sh.time_parts = 3;
            if (p < e && *p == '.') {
                p++;
                int digits = 0;
                long scale = 100000;
                while (p < e && isdigit((unsigned char)*p)) {
                    if (digits < 6) frac_us += (*p - '0') * scale, scale /= 10;
                    p++, digits++;
                }
                if (!digits) return false;
                sh.frac = true;
            }
        }
        if (hh > 23 || mi > 59 || ss > 59) return false;
        *tzmin = 0;
        if (p < e && *p == 'Z') p++, sh.tz = 1;
        else if (p < e && (*p == '+' || *p == '-')) {
            int sign = *p++ == '-' ? -1 : 1;
            int oh = read_num(&p, e, 2, &n), om = 0;
            if (n != 2) return false;
            if (p < e && *p == ':') p++;
            om = read_num(&p, e, 2, &n);
            if (n != 2 && n != 0) return false;
            sh.tz = 2;
            *tzmin = sign * (oh * 60 + om);
        }
    }
    if (p != e) return false;
    if (shape->set && (shape->order != sh.order || shape->sep != sh.sep || shape->tsep != sh.tsep ||
                       shape->time_parts != sh.time_parts || shape->frac != sh.frac || (shape->tz != 0) != (sh.tz != 0)))
        return false;
    if (!shape->set) *shape = sh;
    *us = (days_from_civil(y, (unsigned)m, (unsigned)d) * 86400 + hh * 3600 + mi * 60 + ss) * 1000000LL + frac_us;
    return true;
}

const char *upload_render_ts(arena_t *m, int64_t us, bool tz, int tzmin) {
    int64_t secs = us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000);
    int64_t micro = us - secs * 1000000;
    int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    int64_t sod = secs - days * 86400;
    int y, mo, d;
    civil_from_days(days, &y, &mo, &d);
    char off[16] = "";
    if (tz) snprintf(off, sizeof off, "%c%02d:%02d", tzmin < 0 ? '-' : '+', abs(tzmin) / 60, abs(tzmin) % 60);
    return arena_sprintf(m, "%04d-%02d-%02d %02d:%02d:%02d.%06lld%s", y, mo, d, (int)(sod / 3600), (int)(sod / 60 % 60),
                          (int)(sod % 60), (long long)micro, off);
}


const char *upload_render_double(arena_t *m, double d) {
    if (isnan(d)) return NULL;
    char buf[PYFLOAT_BUF];
    size_t n = pyfloat_repr(d, buf);
    return arena_strndup(m, buf, n);
}
