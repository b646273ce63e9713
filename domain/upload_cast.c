/* column_data_types casts after reading (CSVReader._cast_column_types):
 * numeric types through to_numeric then astype, bool, datetime64, with
 * the reader's error texts (the first five bad values and their lines).
 * See upload_scalar.h. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/upload_scalar.h"

#define MAX_DISPLAYED_ERRORS 5

typedef enum { CAST_INT64, CAST_INT32, CAST_FLOAT64, CAST_FLOAT32, CAST_BOOL, CAST_DATETIME } cast_kind_t;

typedef struct cast_def {
    const char *dtype;
    cast_kind_t kind;
} cast_def_t;

/* "int" and "float" (numpy's aliases) convert like the sized names. */
static const cast_def_t casts[] = {
    {"int64", CAST_INT64},     {"int32", CAST_INT32}, {"float64", CAST_FLOAT64},         {"float32", CAST_FLOAT32},
    {"int", CAST_INT64},       {"float", CAST_FLOAT64}, {"bool", CAST_BOOL},             {"datetime64[ns]", CAST_DATETIME},
    {"datetime64", CAST_DATETIME},
};

/* dtypes pandas knows that Liteset does not convert to. */
static const char *const unsupported_dtypes[] = {
    "category", "Int8",    "Int16",   "Int32",   "Int64",     "UInt8",      "UInt16",          "UInt32",
    "UInt64",   "Float32", "Float64", "boolean", "int8",      "int16",      "uint8",           "uint16",
    "uint32",   "uint64",  "float16", "complex", "complex64", "complex128", "timedelta64[ns]", "timedelta64",
};

bool upload_is_text_dtype(const char *dtype) {
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
    if (upload_parse_int(s, i)) {
        *d = (double)*i;
        *is_int = true;
        return true;
    }
    const char *b = s, *e = s + strlen(s);
    upload_trim(&b, &e);
    if (b == e && col->type == SQLT_TEXT) {
        *d = NAN;
        return true;
    }
    return upload_parse_float(s, '.', d);
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

static int cast_numeric(arena_t *m, upload_column_t *col, size_t nrows, const cast_def_t *def, const char *dtype,
                        const upload_options_t *o, char *err, size_t errlen) {
    double *d = arena_calloc(m, 1, (nrows + 1) * sizeof *d);
    long long *iv = arena_calloc(m, 1, (nrows + 1) * sizeof *iv);
    bool *exact = arena_calloc(m, 1, nrows + 1);
    size_t *bad = arena_calloc(m, 1, (nrows + 1) * sizeof *bad), nbad = 0;
    const char **bad_values = arena_calloc(m, 1, (nrows + 1) * sizeof *bad_values);
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
        case CAST_INT64: col->values[r] = arena_sprintf(m, "%lld", i); break;
        case CAST_INT32: col->values[r] = arena_sprintf(m, "%d", (int)(int32_t)(uint32_t)(unsigned long long)i); break;
        case CAST_FLOAT32: col->values[r] = isnan(d[r]) ? NULL : arena_sprintf(m, "%.9g", (double)(float)d[r]); break;
        default: col->values[r] = upload_render_double(m, d[r]); break;
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

static int cast_datetime(arena_t *m, upload_column_t *col, size_t nrows, const char *dtype,
                         const upload_options_t *o, char *err, size_t errlen) {
    if (col->type == SQLT_TIMESTAMP || col->type == SQLT_TIMESTAMPTZ) return 0;
    size_t *bad = arena_calloc(m, 1, (nrows + 1) * sizeof *bad), nbad = 0;
    const char **bad_values = arena_calloc(m, 1, (nrows + 1) * sizeof *bad_values);
    const char **out = arena_calloc(m, 1, (nrows + 1) * sizeof *out);
    for (size_t r = 0; r < nrows; r++) {
        const char *s = col->values[r];
        if (!s) continue;
        long long i;
        int64_t us;
        int tz = 0;
        upload_dt_shape_t any = {0};
        if (col->type != SQLT_TEXT && upload_parse_int(s, &i)) out[r] = upload_render_ts(m, i / 1000, false, 0); /* ns since epoch */
        else if (col->type == SQLT_TEXT && upload_dt_parse(s, false, &any, &us, &tz) && !any.tz)
            out[r] = upload_render_ts(m, us, false, 0);
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

int upload_cast_column(arena_t *m, upload_column_t *col, size_t nrows, const char *dtype,
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
    size_t *bad = arena_calloc(m, 1, (nrows + 1) * sizeof *bad), nbad = 0;
    const char **bad_values = arena_calloc(m, 1, (nrows + 1) * sizeof *bad_values);
    for (size_t r = 0; r < nrows; r++)
        if (col->values[r]) bad_values[nbad] = col->values[r], bad[nbad++] = r;
    char why[256];
    snprintf(why, sizeof why, "data type '%s' not understood", dtype);
    cast_error(err, errlen, col->name, dtype, bad, bad_values, nbad, o->header_row, why);
    return -1;
}
