/* Typing an upload's raw table the way pandas builds the DataFrame (read_csv's
 * C parser, read_excel's Python parser) and the way CSVReader casts
 * column_data_types afterwards; each column gets the PostgreSQL type
 * DataFrame.to_sql creates for its dtype:
 *   int64 -> BIGINT, int32 -> INTEGER, float64 -> DOUBLE PRECISION,
 *   float32 -> REAL, bool (with or without NaN) -> BOOLEAN,
 *   datetime64 -> TIMESTAMP [WITH TIME ZONE], anything else -> TEXT.
 * See upload_frame.h. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "domain/upload_frame.h"
#include "lib/pyfloat.h"

/* pandas' default NA strings (keep_default_na). */
static const char *const default_na[] = {
    "",     "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A",  "NA",       "NULL", "NaN",    "None",     "n/a",  "nan",  "null",
};

static bool is_na(const raw_cell_t *c, const upload_options_t *o) {
    if (c->kind == RAW_MISSING) return true;
    if (c->kind != RAW_TEXT) return false;
    const char *const *list = o->n_null_values ? o->null_values : default_na;
    size_t n = o->n_null_values ? o->n_null_values : sizeof default_na / sizeof default_na[0];
    for (size_t i = 0; i < n; i++)
        if (!strcmp(c->text, list[i])) return true;
    return false;
}

/* ---- scalar parsers ---- */

static void trim(const char **b, const char **e) {
    while (*b < *e && isspace((unsigned char)**b)) (*b)++;
    while (*e > *b && isspace((unsigned char)(*e)[-1])) (*e)--;
}

/* An integer literal (sign, digits, surrounding spaces) that fits int64. */
static bool parse_int(const char *s, long long *v) {
    const char *b = s, *e = s + strlen(s);
    trim(&b, &e);
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
static bool parse_float(const char *s, char decimal, double *v) {
    const char *b = s, *e = s + strlen(s);
    trim(&b, &e);
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

static int bool_literal(const char *s) {
    static const char *const t[] = {"True", "TRUE", "true"}, *const f[] = {"False", "FALSE", "false"};
    for (size_t i = 0; i < 3; i++) {
        if (!strcmp(s, t[i])) return 1;
        if (!strcmp(s, f[i])) return 0;
    }
    return -1;
}

/* ---- dates ---- */

typedef struct dt_shape {
    bool set;
    int order;      /* 0 Y-M-D, 1 M/D/Y, 2 D/M/Y, 3 YYYYMMDD */
    char sep, tsep; /* date separator; 'T' or ' ' before the time, 0 without time */
    int time_parts; /* 0, 2 (H:M) or 3 (H:M:S) */
    bool frac;
    int tz;         /* 0 none, 1 'Z', 2 numeric offset */
} dt_shape_t;

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
static bool dt_parse(const char *s, bool dayfirst, dt_shape_t *shape, int64_t *us, int *tzmin) {
    const char *p = s, *e = s + strlen(s);
    trim(&p, &e);
    dt_shape_t sh = {.set = true};
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

static const char *render_ts(upload_mem_t *m, int64_t us, bool tz, int tzmin) {
    int64_t secs = us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000);
    int64_t micro = us - secs * 1000000;
    int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    int64_t sod = secs - days * 86400;
    int y, mo, d;
    civil_from_days(days, &y, &mo, &d);
    char off[16] = "";
    if (tz) snprintf(off, sizeof off, "%c%02d:%02d", tzmin < 0 ? '-' : '+', abs(tzmin) / 60, abs(tzmin) % 60);
    return upload_sprintf(m, "%04d-%02d-%02d %02d:%02d:%02d.%06lld%s", y, mo, d, (int)(sod / 3600), (int)(sod / 60 % 60),
                          (int)(sod % 60), (long long)micro, off);
}

/* A raw value in a text (object) column, as PostgreSQL stores what the
 * driver sends for it: text as is, numbers in repr form, booleans as the
 * SQL literals true/false, timestamps without a zero fraction. */
static const char *render_text(upload_mem_t *m, const raw_cell_t *c) {
    switch (c->kind) {
    case RAW_TEXT:
    case RAW_NUMBER: return c->text;
    case RAW_BOOL: return c->b ? "true" : "false";
    case RAW_DATETIME: {
        const char *t = render_ts(m, c->us, false, 0);
        size_t n = strlen(t);
        return c->us % 1000000 ? t : upload_strndup(m, t, n - 7); /* no ".000000" */
    }
    default: return NULL;
    }
}

static const char *render_double(upload_mem_t *m, double d) {
    if (isnan(d)) return NULL;
    char buf[PYFLOAT_BUF];
    size_t n = pyfloat_repr(d, buf);
    return upload_strndup(m, buf, n);
}

/* ---- column typing ---- */

typedef enum { CL_NA, CL_INT, CL_FLOAT, CL_BOOL, CL_DT, CL_OTHER } cell_class_t;

static cell_class_t classify(const raw_cell_t *c, const upload_options_t *o) {
    if (is_na(c, o)) return CL_NA;
    long long i;
    double f;
    switch (c->kind) {
    case RAW_BOOL: return CL_BOOL;
    case RAW_DATETIME: return CL_DT;
    case RAW_NUMBER: return parse_int(c->text, &i) ? CL_INT : CL_FLOAT;
    default: break;
    }
    if (parse_int(c->text, &i)) return CL_INT;
    if (parse_float(c->text, o->decimal[0], &f)) return CL_FLOAT;
    if (bool_literal(c->text) >= 0) return CL_BOOL;
    return CL_OTHER;
}

typedef struct colview {
    const raw_table_t *raw;
    size_t j;
} colview_t;

static const raw_cell_t *cell_at(const colview_t *v, size_t r) { return &v->raw->cells[r * v->raw->ncols + v->j]; }

static double cell_double(const raw_cell_t *c, char decimal) {
    double f = NAN;
    long long i;
    if (parse_int(c->text, &i)) return (double)i;
    if (!parse_float(c->text, c->kind == RAW_NUMBER ? '.' : decimal, &f)) return NAN;
    return f;
}

/* A column of parse_dates: all non-NA values in one shape, else false. */
static bool type_dates(upload_mem_t *m, const colview_t *v, const upload_options_t *o, upload_column_t *col) {
    size_t n = v->raw->nrows;
    int64_t *us = upload_alloc(m, (n + 1) * sizeof *us);
    int *tz = upload_alloc(m, (n + 1) * sizeof *tz);
    bool *na = upload_alloc(m, n + 1);
    dt_shape_t shape = {0};
    for (size_t r = 0; r < n; r++) {
        const raw_cell_t *c = cell_at(v, r);
        if ((na[r] = is_na(c, o))) continue;
        if (c->kind == RAW_DATETIME) {
            us[r] = c->us;
            continue;
        }
        if (c->kind != RAW_TEXT || !dt_parse(c->text, o->day_first, &shape, &us[r], &tz[r])) return false;
    }
    bool with_tz = shape.set && shape.tz;
    col->type = with_tz ? SQLT_TIMESTAMPTZ : SQLT_TIMESTAMP;
    for (size_t r = 0; r < n; r++) col->values[r] = na[r] ? NULL : render_ts(m, us[r], with_tz, tz[r]);
    return true;
}

static void type_column(upload_mem_t *m, const colview_t *v, const upload_options_t *o, bool as_text, bool as_date,
                        upload_column_t *col) {
    size_t n = v->raw->nrows;
    col->values = upload_alloc(m, (n + 1) * sizeof *col->values);
    if (as_date && type_dates(m, v, o, col)) return;
    size_t counts[CL_OTHER + 1] = {0};
    for (size_t r = 0; r < n; r++) counts[classify(cell_at(v, r), o)]++;
    size_t non_na = n - counts[CL_NA];
    if (as_text || n == 0) col->type = SQLT_TEXT;
    else if (non_na == 0) col->type = SQLT_DOUBLE;
    else if (counts[CL_INT] == non_na) col->type = counts[CL_NA] ? SQLT_DOUBLE : SQLT_BIGINT;
    else if (counts[CL_INT] + counts[CL_FLOAT] == non_na) col->type = SQLT_DOUBLE;
    else if (counts[CL_BOOL] == non_na) col->type = SQLT_BOOLEAN;
    else if (counts[CL_DT] == non_na) col->type = SQLT_TIMESTAMP;
    else col->type = SQLT_TEXT;
    for (size_t r = 0; r < n; r++) {
        const raw_cell_t *c = cell_at(v, r);
        if (is_na(c, o)) continue;
        long long i;
        switch (col->type) {
        case SQLT_BIGINT: parse_int(c->text, &i), col->values[r] = upload_sprintf(m, "%lld", i); break;
        case SQLT_DOUBLE: col->values[r] = render_double(m, cell_double(c, o->decimal[0])); break;
        case SQLT_BOOLEAN:
            col->values[r] = (c->kind == RAW_BOOL ? c->b : bool_literal(c->text) == 1) ? "true" : "false";
            break;
        case SQLT_TIMESTAMP: col->values[r] = render_ts(m, c->us, false, 0); break;
        default: col->values[r] = render_text(m, c); break;
        }
    }
}

/* ---- column_data_types casts (CSVReader._cast_column_types) ---- */

#define MAX_DISPLAYED_ERRORS 5

typedef enum { CAST_INT64, CAST_INT32, CAST_FLOAT64, CAST_FLOAT32, CAST_BOOL, CAST_DATETIME } cast_kind_t;

typedef struct cast_def {
    const char *dtype;
    cast_kind_t kind;
    bool numeric; /* pd.to_numeric first (the reader's numeric types) */
} cast_def_t;

static const cast_def_t casts[] = {
    {"int64", CAST_INT64, true},       {"int32", CAST_INT32, true},         {"float64", CAST_FLOAT64, true},
    {"float32", CAST_FLOAT32, true},   {"int", CAST_INT64, false},          {"float", CAST_FLOAT64, false},
    {"bool", CAST_BOOL, false},        {"datetime64[ns]", CAST_DATETIME, false}, {"datetime64", CAST_DATETIME, false},
};

/* dtypes pandas knows that Liteset does not convert to. */
static const char *const unsupported_dtypes[] = {
    "category", "Int8",    "Int16",   "Int32",   "Int64",     "UInt8",      "UInt16",          "UInt32",
    "UInt64",   "Float32", "Float64", "boolean", "int8",      "int16",      "uint8",           "uint16",
    "uint32",   "uint64",  "float16", "complex", "complex64", "complex128", "timedelta64[ns]", "timedelta64",
};

static bool is_text_dtype(const char *dtype) {
    return !strcmp(dtype, "str") || !strcmp(dtype, "object") || !strcmp(dtype, "string");
}

/* A value of a typed column as a number (to_numeric); false when it is not one. */
static bool value_number(const upload_column_t *col, size_t r, double *d, long long *i, bool *is_int) {
    const char *s = col->values[r];
    *is_int = false;
    if (!s) {
        *d = NAN;
        return true;
    }
    if (col->type == SQLT_BOOLEAN) {
        *i = !strcmp(s, "true");
        *d = (double)*i;
        *is_int = true;
        return true;
    }
    if (parse_int(s, i)) {
        *d = (double)*i;
        *is_int = true;
        return true;
    }
    const char *b = s, *e = s + strlen(s);
    trim(&b, &e);
    if (b == e && col->type == SQLT_TEXT) {
        *d = NAN;
        return true;
    }
    return parse_float(s, '.', d);
}

static void cast_error(char *err, size_t errlen, const char *column, const char *dtype, const size_t *bad,
                       const char **bad_values, size_t nbad, long header_row, const char *fallback) {
    if (!nbad) {
        snprintf(err, errlen, "Cannot convert column '%s' to %s. %s", column, dtype, fallback);
        return;
    }
    int n = snprintf(err, errlen, "Cannot convert column '%s' to %s. Found %zu error(s):", column, dtype, nbad);
    for (size_t k = 0; k < nbad && k < MAX_DISPLAYED_ERRORS && n >= 0 && (size_t)n < errlen; k++)
        n += snprintf(err + n, errlen - (size_t)n, "\n  \xe2\x80\xa2 Line %ld: '%s' cannot be converted to %s",
                      (long)bad[k] + header_row + 2, bad_values[k], dtype);
    if (nbad > MAX_DISPLAYED_ERRORS && n >= 0 && (size_t)n < errlen)
        snprintf(err + n, errlen - (size_t)n, "\n  ... and %zu more error(s)", nbad - MAX_DISPLAYED_ERRORS);
}

/* A finite double truncated toward zero, saturated to the long long range. */
static long long clamp_ll(double d) {
    if (d >= 9.2233720368547758e18) return LLONG_MAX;
    if (d <= -9.2233720368547758e18) return LLONG_MIN;
    return (long long)d;
}

static int cast_numeric(upload_mem_t *m, upload_column_t *col, size_t nrows, const cast_def_t *def, const char *dtype,
                        const upload_options_t *o, char *err, size_t errlen) {
    double *d = upload_alloc(m, (nrows + 1) * sizeof *d);
    long long *iv = upload_alloc(m, (nrows + 1) * sizeof *iv);
    bool *exact = upload_alloc(m, nrows + 1);
    size_t *bad = upload_alloc(m, (nrows + 1) * sizeof *bad), nbad = 0;
    const char **bad_values = upload_alloc(m, (nrows + 1) * sizeof *bad_values);
    bool nonfinite = false;
    for (size_t r = 0; r < nrows; r++) {
        if (!value_number(col, r, &d[r], &iv[r], &exact[r])) {
            bad_values[nbad] = col->values[r];
            bad[nbad++] = r;
        }
        nonfinite = nonfinite || !isfinite(d[r]);
    }
    if (nbad) {
        cast_error(err, errlen, col->name, dtype, bad, bad_values, nbad, o->header_row, "");
        return -1;
    }
    bool to_int = def->kind == CAST_INT64 || def->kind == CAST_INT32;
    if (to_int && nonfinite) {
        cast_error(err, errlen, col->name, dtype, NULL, NULL, 0, o->header_row,
                   "Cannot convert non-finite values (NA or inf) to integer");
        return -1;
    }
    for (size_t r = 0; r < nrows; r++) {
        long long i = exact[r] ? iv[r] : to_int ? clamp_ll(d[r]) : 0;
        switch (def->kind) {
        case CAST_INT64: col->values[r] = upload_sprintf(m, "%lld", i); break;
        case CAST_INT32: col->values[r] = upload_sprintf(m, "%d", (int)(int32_t)(uint32_t)(unsigned long long)i); break;
        case CAST_FLOAT32: col->values[r] = isnan(d[r]) ? NULL : upload_sprintf(m, "%.9g", (double)(float)d[r]); break;
        default: col->values[r] = render_double(m, d[r]); break;
        }
    }
    col->type = def->kind == CAST_INT64 ? SQLT_BIGINT : def->kind == CAST_INT32 ? SQLT_INTEGER
              : def->kind == CAST_FLOAT32 ? SQLT_REAL : SQLT_DOUBLE;
    return 0;
}

static int cast_bool(upload_column_t *col, size_t nrows) {
    for (size_t r = 0; r < nrows; r++) {
        const char *s = col->values[r];
        bool t;
        if (!s || col->type == SQLT_TEXT) t = !s || *s; /* NaN is truthy; "" is not */
        else if (col->type == SQLT_BOOLEAN) t = !strcmp(s, "true");
        else if (col->type == SQLT_TIMESTAMP || col->type == SQLT_TIMESTAMPTZ) t = true;
        else t = strtod(s, NULL) != 0;
        col->values[r] = t ? "true" : "false";
    }
    col->type = SQLT_BOOLEAN;
    return 0;
}

static int cast_datetime(upload_mem_t *m, upload_column_t *col, size_t nrows, const char *dtype,
                         const upload_options_t *o, char *err, size_t errlen) {
    if (col->type == SQLT_TIMESTAMP || col->type == SQLT_TIMESTAMPTZ) return 0;
    size_t *bad = upload_alloc(m, (nrows + 1) * sizeof *bad), nbad = 0;
    const char **bad_values = upload_alloc(m, (nrows + 1) * sizeof *bad_values);
    const char **out = upload_alloc(m, (nrows + 1) * sizeof *out);
    for (size_t r = 0; r < nrows; r++) {
        const char *s = col->values[r];
        if (!s) continue;
        long long i;
        int64_t us;
        int tz = 0;
        dt_shape_t any = {0};
        if (col->type != SQLT_TEXT && parse_int(s, &i)) out[r] = render_ts(m, i / 1000, false, 0); /* ns since epoch */
        else if (col->type == SQLT_TEXT && dt_parse(s, false, &any, &us, &tz) && !any.tz)
            out[r] = render_ts(m, us, false, 0);
        else bad_values[nbad] = s, bad[nbad++] = r;
    }
    if (nbad) {
        cast_error(err, errlen, col->name, dtype, bad, bad_values, nbad, o->header_row, "");
        return -1;
    }
    col->values = out;
    col->type = SQLT_TIMESTAMP;
    return 0;
}

static int cast_column(upload_mem_t *m, upload_column_t *col, size_t nrows, const char *dtype,
                       const upload_options_t *o, char *err, size_t errlen) {
    for (size_t i = 0; i < sizeof casts / sizeof casts[0]; i++) {
        const cast_def_t *def = &casts[i];
        if (strcmp(def->dtype, dtype)) continue;
        if (def->kind == CAST_BOOL) return cast_bool(col, nrows);
        if (def->kind == CAST_DATETIME) return cast_datetime(m, col, nrows, dtype, o, err, errlen);
        return cast_numeric(m, col, nrows, def, dtype, o, err, errlen);
    }
    for (size_t i = 0; i < sizeof unsupported_dtypes / sizeof unsupported_dtypes[0]; i++)
        if (!strcmp(unsupported_dtypes[i], dtype)) {
            snprintf(err, errlen, "Cannot convert column '%s' to %s. Liteset cannot convert columns to this data type",
                     col->name, dtype);
            return -1;
        }
    /* numpy does not know the name: every value fails to convert */
    size_t *bad = upload_alloc(m, (nrows + 1) * sizeof *bad), nbad = 0;
    const char **bad_values = upload_alloc(m, (nrows + 1) * sizeof *bad_values);
    for (size_t r = 0; r < nrows; r++)
        if (col->values[r]) bad_values[nbad] = col->values[r], bad[nbad++] = r;
    char why[256];
    snprintf(why, sizeof why, "data type '%s' not understood", dtype);
    cast_error(err, errlen, col->name, dtype, bad, bad_values, nbad, o->header_row, why);
    return -1;
}

/* ---- the frame ---- */

static long name_index(const char *const *names, size_t n, const char *name) {
    for (size_t i = 0; i < n; i++)
        if (!strcmp(names[i], name)) return (long)i;
    return -1;
}

static bool listed(const char *const *list, size_t n, const char *name) { return name_index(list, n, name) >= 0; }

static const char *dtype_of(const upload_options_t *o, const char *name) {
    for (size_t i = 0; i < o->n_dtypes; i++)
        if (!strcmp(o->dtypes[i].column, name)) return o->dtypes[i].dtype;
    return NULL;
}

/* Python's repr of a list of strings: ['a', 'b']. */
static const char *py_list(upload_mem_t *m, const char *const *items, size_t n) {
    size_t len = 3;
    for (size_t i = 0; i < n; i++) len += strlen(items[i]) + 4;
    char *s = upload_alloc(m, len), *p = s;
    *p++ = '[';
    for (size_t i = 0; i < n; i++) p += sprintf(p, "%s'%s'", i ? ", " : "", items[i]);
    *p++ = ']';
    return s;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

/* usecols, index_col and parse_dates must name columns of the file. */
static int check_columns(upload_mem_t *m, const raw_table_t *raw, const upload_options_t *o, const char **sel,
                         size_t nsel, char *err, size_t errlen) {
    const char **missing = upload_alloc(m, (o->n_columns_read + o->n_column_dates + 1) * sizeof *missing);
    size_t nmiss = 0;
    for (size_t i = 0; i < o->n_columns_read; i++)
        if (name_index(raw->names, raw->ncols, o->columns_read[i]) < 0) missing[nmiss++] = o->columns_read[i];
    if (nmiss) {
        snprintf(err, errlen, "Parsing error: Usecols do not match columns, columns expected but not found: %s",
                 py_list(m, missing, nmiss));
        return -1;
    }
    for (size_t i = 0; i < o->n_column_dates; i++)
        if (name_index(sel, nsel, o->column_dates[i]) < 0 && !listed(missing, nmiss, o->column_dates[i]))
            missing[nmiss++] = o->column_dates[i];
    if (nmiss) {
        qsort(missing, nmiss, sizeof *missing, cmp_str);
        size_t len = 1;
        for (size_t i = 0; i < nmiss; i++) len += strlen(missing[i]) + 2;
        char *joined = upload_alloc(m, len);
        for (size_t i = 0; i < nmiss; i++) strcat(strcat(joined, i ? ", " : ""), missing[i]);
        snprintf(err, errlen, "Parsing error: Missing column provided to 'parse_dates': '%s'", joined);
        return -1;
    }
    if (o->index_column && name_index(sel, nsel, o->index_column) < 0) {
        snprintf(err, errlen, "Parsing error: Index %s invalid", o->index_column);
        return -1;
    }
    return 0;
}

int upload_frame_build(upload_mem_t *m, const raw_table_t *raw, const upload_options_t *o, upload_frame_t *out,
                       char *err, size_t errlen) {
    memset(out, 0, sizeof *out);
    /* usecols keeps the file's column order */
    size_t *sel_idx = upload_alloc(m, (raw->ncols + 1) * sizeof *sel_idx), nsel = 0;
    const char **sel = upload_alloc(m, (raw->ncols + 1) * sizeof *sel);
    for (size_t j = 0; j < raw->ncols; j++)
        if (!o->n_columns_read || listed(o->columns_read, o->n_columns_read, raw->names[j]))
            sel[nsel] = raw->names[j], sel_idx[nsel++] = j;
    if (check_columns(m, raw, o, sel, nsel, err, errlen)) return -1;

    size_t nrows = raw->nrows;
    upload_column_t *cols = upload_alloc(m, (nsel + 1) * sizeof *cols);
    for (size_t k = 0; k < nsel; k++) {
        colview_t v = {raw, sel_idx[k]};
        const char *dtype = dtype_of(o, sel[k]);
        cols[k].name = sel[k];
        type_column(m, &v, o, dtype && is_text_dtype(dtype), listed(o->column_dates, o->n_column_dates, sel[k]),
                    &cols[k]);
    }
    long index_pos = o->index_column ? name_index(sel, nsel, o->index_column) : -1;
    for (size_t k = 0; k < nsel; k++) {
        const char *dtype = dtype_of(o, sel[k]);
        if ((long)k == index_pos || !dtype || is_text_dtype(dtype)) continue;
        if (cast_column(m, &cols[k], nrows, dtype, o, err, errlen)) return -1;
    }

    out->nrows = nrows;
    out->has_index = o->dataframe_index;
    out->cols = upload_alloc(m, (nsel + 2) * sizeof *out->cols);
    if (o->dataframe_index) {
        upload_column_t *ix = &out->cols[out->ncols++];
        if (index_pos >= 0) *ix = cols[index_pos];
        else {
            ix->type = SQLT_BIGINT;
            ix->values = upload_alloc(m, (nrows + 1) * sizeof *ix->values);
            for (size_t r = 0; r < nrows; r++) ix->values[r] = upload_sprintf(m, "%zu", r);
        }
        ix->name = o->index_label && *o->index_label ? o->index_label : index_pos >= 0 ? sel[index_pos] : "index";
    }
    for (size_t k = 0; k < nsel; k++)
        if ((long)k != index_pos) out->cols[out->ncols++] = cols[k];
    return 0;
}
