/* Cell values shared by the workbook readers: the sparse cell list and the
 * grid built from it, number typing, Excel serial dates and ISO 8601 text
 * turned into naive timestamps. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/sheet_internal.h"

#define US_PER_DAY 86400000000LL
#define DAYS_1899_12_30 (-25569LL) /* days from 1970-01-01 */
#define DAYS_1904_01_01 (-24107LL)
#define DAYS_0001_01_01 (-719162LL)
#define DAYS_10000_01_01 2932897LL

void sheet_utf8_trim(char *s) {
    size_t n = strlen(s), lead = n;
    while (lead > 0 && ((unsigned char)s[lead - 1] & 0xC0) == 0x80) lead--; /* continuation bytes */
    if (lead == 0 || (unsigned char)s[lead - 1] < 0xC0) return;             /* ends on ASCII */
    unsigned char c = (unsigned char)s[lead - 1];
    size_t want = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    if (n - (lead - 1) < want) s[lead - 1] = 0;
}

const char *sheet_clip(const char *s, char out[SHEET_CLIP_SIZE]) {
    snprintf(out, 41, "%s", s ? s : "");
    sheet_utf8_trim(out);
    return out;
}

int sheet_fail(char *err, size_t errlen, const char *fmt, ...) {
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
        sheet_utf8_trim(err);
    }
    return -1;
}

int sheet_entries_add(sheet_entries *e, uint32_t row, uint32_t col, const sheet_cell *c, char *err, size_t errlen) {
    if (e->len >= SHEET_MAX_CELLS)
        return sheet_fail(err, errlen, "sheet has more than %u cells", SHEET_MAX_CELLS);
    if (e->len == e->cap) {
        e->cap = e->cap ? e->cap * 2 : 256;
        e->v = xrealloc(e->v, e->cap * sizeof *e->v);
    }
    e->v[e->len++] = (sheet_entry){.row = row, .col = col, .cell = *c};
    return 0;
}

void sheet_entries_free(sheet_entries *e) {
    free(e->v);
    *e = (sheet_entries){0};
}

static bool has_value(const sheet_cell *c) {
    if (c->type == SHEET_EMPTY) return false;
    return !(c->type == SHEET_STRING && c->text && !c->text[0]);
}

int sheet_grid_build(arena_t *a, const sheet_entries *e, sheet_grid *out, char *err, size_t errlen) {
    size_t nrows = 0, ncols = 0;
    for (size_t k = 0; k < e->len; k++) {
        if (!has_value(&e->v[k].cell)) continue;
        if (e->v[k].row + (size_t)1 > nrows) nrows = e->v[k].row + (size_t)1;
        if (e->v[k].col + (size_t)1 > ncols) ncols = e->v[k].col + (size_t)1;
    }
    *out = (sheet_grid){0};
    if (!nrows) return 0;
    if (nrows > SHEET_MAX_CELLS / ncols)
        return sheet_fail(err, errlen, "sheet spans %zu rows by %zu columns, more than %u cells", nrows, ncols,
                          SHEET_MAX_CELLS);
    sheet_cell *cells = arena_calloc(a, nrows * ncols, sizeof *cells);
    for (size_t k = 0; k < e->len; k++) {
        const sheet_entry *x = &e->v[k];
        if (x->row < nrows && x->col < ncols) cells[x->row * ncols + x->col] = x->cell;
    }
    *out = (sheet_grid){.nrows = nrows, .ncols = ncols, .cells = cells};
    return 0;
}

void sheet_cell_number(sheet_cell *c, double v) {
    *c = (sheet_cell){0};
    /* 2^63 bounds what long long holds; pandas keeps larger integral values
     * as Python ints, which no fixed-width column holds either */
    if (isfinite(v) && v == trunc(v) && v >= -9223372036854775808.0 && v < 9223372036854775808.0) {
        c->type = SHEET_INT;
        c->i = (long long)v;
    } else {
        c->type = SHEET_FLOAT;
        c->f = v;
    }
}

static const char *skip_blanks(const char *p) {
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
    return p;
}

static const char *skip_digits(const char *p, size_t *n) {
    const char *start = p;
    while (*p >= '0' && *p <= '9') p++;
    *n = (size_t)(p - start);
    return p;
}

int sheet_parse_number(const char *s, double *d, long long *ll, bool *is_int) {
    const char *p = skip_blanks(s), *start = p;
    size_t int_digits, frac_digits = 0, exp_digits = 0;
    bool plain = true;
    if (*p == '+' || *p == '-') p++;
    p = skip_digits(p, &int_digits);
    if (*p == '.') {
        plain = false;
        p = skip_digits(p + 1, &frac_digits);
    }
    if (!int_digits && !frac_digits) return -1;
    if (*p == 'e' || *p == 'E') {
        plain = false;
        p++;
        if (*p == '+' || *p == '-') p++;
        p = skip_digits(p, &exp_digits);
        if (!exp_digits) return -1;
    }
    const char *end = p;
    if (*skip_blanks(p)) return -1;
    char buf[64];
    size_t n = (size_t)(end - start);
    char *tmp = n < sizeof buf ? buf : xmalloc(n + 1);
    memcpy(tmp, start, n);
    tmp[n] = 0;
    *is_int = false;
    if (plain) {
        errno = 0;
        long long v = strtoll(tmp, NULL, 10);
        if (errno == 0) {
            *is_int = true;
            *ll = v;
        }
    }
    *d = strtod(tmp, NULL);
    if (tmp != buf) free(tmp);
    return 0;
}

int sheet_serial_to_epoch_us(double serial, int date1904, int64_t *out) {
    /* well outside years 1-9999 in either system: refuse before converting */
    if (!isfinite(serial) || serial < -800000.0 || serial > 3000000.0) return -1;
    double day = floor(serial);
    double ms = nearbyint((serial - day) * 86400000.0); /* round half to even, like Python's round */
    long long days = (long long)day;
    long long epoch = date1904 ? DAYS_1904_01_01 : DAYS_1899_12_30;
    if (serial >= 0 && serial < 1 && ms < 86400000.0) {
        epoch = DAYS_1899_12_30; /* a time of day */
    } else if (!date1904 && serial > 0 && serial < 60) {
        days += 1;
    }
    long long total_days = epoch + days;
    int64_t us = (int64_t)total_days * US_PER_DAY + (int64_t)ms * 1000;
    if (us < DAYS_0001_01_01 * US_PER_DAY || us >= DAYS_10000_01_01 * US_PER_DAY) return -1;
    *out = us;
    return 0;
}

int sheet_duration_to_epoch_us(double days, int64_t *out) {
    if (!isfinite(days) || days < -800000.0 || days > 3000000.0) return -1;
    double ms = nearbyint(days * 86400000.0);
    int64_t us = (int64_t)DAYS_1899_12_30 * US_PER_DAY + (int64_t)ms * 1000;
    if (us < DAYS_0001_01_01 * US_PER_DAY || us >= DAYS_10000_01_01 * US_PER_DAY) return -1;
    *out = us;
    return 0;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static long long days_from_civil(long long y, unsigned m, unsigned d) {
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long long)doe - 719468;
}

static bool is_leap(long y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* Reads exactly n digits. */
static const char *fixed_digits(const char *p, int n, long *v) {
    *v = 0;
    for (int k = 0; k < n; k++, p++) {
        if (!isdigit((unsigned char)*p)) return NULL;
        *v = *v * 10 + (*p - '0');
    }
    return p;
}

static const char *parse_date(const char *p, long long *days) {
    static const unsigned char mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    long y, m, d;
    if (!(p = fixed_digits(p, 4, &y)) || *p++ != '-') return NULL;
    if (!(p = fixed_digits(p, 2, &m)) || *p++ != '-') return NULL;
    if (!(p = fixed_digits(p, 2, &d))) return NULL;
    if (y < 1 || m < 1 || m > 12 || d < 1) return NULL;
    if (d > mdays[m - 1] + (m == 2 && is_leap(y))) return NULL;
    *days = days_from_civil(y, (unsigned)m, (unsigned)d);
    return p;
}

static const char *parse_time(const char *p, int64_t *us) {
    long h, mi, s = 0, frac = 0;
    if (!(p = fixed_digits(p, 2, &h)) || *p++ != ':') return NULL;
    if (!(p = fixed_digits(p, 2, &mi))) return NULL;
    if (*p == ':') {
        if (!(p = fixed_digits(p + 1, 2, &s))) return NULL;
        if (*p == '.') {
            int n = 0;
            for (p++; isdigit((unsigned char)*p); p++, n++)
                if (n < 6) frac = frac * 10 + (*p - '0');
            if (!n) return NULL;
            for (; n < 6; n++) frac *= 10;
        }
    }
    if (h > 23 || mi > 59 || s > 59) return NULL;
    *us = ((int64_t)h * 3600 + mi * 60 + s) * 1000000 + frac;
    return p;
}

int sheet_iso8601_to_epoch_us(const char *s, int64_t *out) {
    const char *p = s;
    long long days = DAYS_1899_12_30;
    int64_t us = 0;
    bool have_date = false, have_time = false;
    if (strlen(p) >= 10 && p[4] == '-') {
        if (!(p = parse_date(p, &days))) return -1;
        have_date = true;
    }
    if (have_date && (*p == 'T' || *p == ' ')) p++;
    else if (!have_date && *p == 'T') p++;
    if (isdigit((unsigned char)*p)) {
        if (!(p = parse_time(p, &us))) return -1;
        have_time = true;
    }
    if (*p == 'Z') p++;
    if (*p || (!have_date && !have_time)) return -1;
    *out = (int64_t)days * US_PER_DAY + us;
    return 0;
}
