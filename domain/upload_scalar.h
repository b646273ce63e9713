/* Scalar parsing and rendering shared by the upload typing
 * (upload_infer.c) and the column_data_types casts (upload_cast.c). Pure;
 * memory from an arena_t. */
#ifndef LITESET_DOMAIN_UPLOAD_SCALAR_H
#define LITESET_DOMAIN_UPLOAD_SCALAR_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/upload_frame.h"

/* Narrows [*b, *e) past surrounding whitespace. */
void upload_trim(const char **b, const char **e);
/* An integer literal (sign, digits, surrounding spaces) that fits int64. */
bool upload_parse_int(const char *s, long long *v);
/* A decimal number with `decimal` as its mark, or inf / infinity. */
bool upload_parse_float(const char *s, char decimal, double *v);
/* True/TRUE/true -> 1, False/FALSE/false -> 0, else -1. */
int upload_bool_literal(const char *s);

/* The layout of a column's date texts, fixed by its first value. */
typedef struct upload_dt_shape {
    bool set;
    int order;      /* 0 Y-M-D, 1 M/D/Y, 2 D/M/Y, 3 YYYYMMDD */
    char sep, tsep; /* date separator; 'T' or ' ' before the time, 0 without time */
    int time_parts; /* 0, 2 (H:M) or 3 (H:M:S) */
    bool frac;
    int tz;         /* 0 none, 1 'Z', 2 numeric offset */
} upload_dt_shape_t;

/* Parses a date/time text into microseconds since the epoch (and its UTC
 * offset in minutes); false when it does not read or has another shape
 * than *shape (set from the first value). */
bool upload_dt_parse(const char *s, bool dayfirst, upload_dt_shape_t *shape, int64_t *us, int *tzmin);
/* "YYYY-MM-DD HH:MM:SS.ffffff" with "+HH:MM" when tz. */
const char *upload_render_ts(arena_t *m, int64_t us, bool tz, int tzmin);
/* repr() of d; NULL for NaN. */
const char *upload_render_double(arena_t *m, double d);

/* column_data_types: casts a typed column in place (upload_cast.c).
 * 0, or -1 with CSVReader's message in err. */
bool upload_is_text_dtype(const char *dtype);
int upload_cast_column(arena_t *m, upload_column_t *col, size_t nrows, const char *dtype,
                       const upload_options_t *o, char *err, size_t errlen);

#endif
