/* Typing an upload's raw table the way pandas builds the DataFrame (read_csv's
 * C parser, read_excel's Python parser), then CSVReader's column_data_types
 * casts (upload_cast.c); each column gets the PostgreSQL type
 * DataFrame.to_sql creates for its dtype:
 *   int64 -> BIGINT, int32 -> INTEGER, float64 -> DOUBLE PRECISION,
 *   float32 -> REAL, bool (with or without NaN) -> BOOLEAN,
 *   datetime64 -> TIMESTAMP [WITH TIME ZONE], anything else -> TEXT.
 * See upload_frame.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/upload_frame.h"
#include "domain/upload_scalar.h"

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


/* A raw value in a text (object) column, as PostgreSQL stores what the
 * driver sends for it: text as is, numbers in repr form, booleans as the
 * SQL literals true/false, timestamps without a zero fraction. */
static const char *render_text(arena_t *m, const raw_cell_t *c) {
    switch (c->kind) {
    case RAW_TEXT:
    case RAW_NUMBER: return c->text;
    case RAW_BOOL: return c->b ? "true" : "false";
    case RAW_DATETIME: {
        const char *t = upload_render_ts(m, c->us, false, 0);
        size_t n = strlen(t);
        return c->us % 1000000 ? t : arena_strndup(m, t, n - 7); /* no ".000000" */
    }
    default: return NULL;
    }
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
    case RAW_NUMBER: return upload_parse_int(c->text, &i) ? CL_INT : CL_FLOAT;
    default: break;
    }
    if (upload_parse_int(c->text, &i)) return CL_INT;
    if (upload_parse_float(c->text, o->decimal[0], &f)) return CL_FLOAT;
    if (upload_bool_literal(c->text) >= 0) return CL_BOOL;
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
    if (upload_parse_int(c->text, &i)) return (double)i;
    if (!upload_parse_float(c->text, c->kind == RAW_NUMBER ? '.' : decimal, &f)) return NAN;
    return f;
}

/* A column of parse_dates: all non-NA values in one shape, else false. */
static bool type_dates(arena_t *m, const colview_t *v, const upload_options_t *o, upload_column_t *col) {
    size_t n = v->raw->nrows;
    int64_t *us = arena_calloc(m, 1, (n + 1) * sizeof *us);
    int *tz = arena_calloc(m, 1, (n + 1) * sizeof *tz);
    bool *na = arena_calloc(m, 1, n + 1);
    upload_dt_shape_t shape = {0};
    for (size_t r = 0; r < n; r++) {
        const raw_cell_t *c = cell_at(v, r);
        if ((na[r] = is_na(c, o))) continue;
        if (c->kind == RAW_DATETIME) {
            us[r] = c->us;
            continue;
        }
        if (c->kind != RAW_TEXT || !upload_dt_parse(c->text, o->day_first, &shape, &us[r], &tz[r])) return false;
    }
    bool with_tz = shape.set && shape.tz;
    col->type = with_tz ? SQLT_TIMESTAMPTZ : SQLT_TIMESTAMP;
    for (size_t r = 0; r < n; r++) col->values[r] = na[r] ? NULL : upload_render_ts(m, us[r], with_tz, tz[r]);
    return true;
}

static void type_column(arena_t *m, const colview_t *v, const upload_options_t *o, bool as_text, bool as_date,
                        upload_column_t *col) {
    size_t n = v->raw->nrows;
    col->values = arena_calloc(m, 1, (n + 1) * sizeof *col->values);
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
        case SQLT_BIGINT: upload_parse_int(c->text, &i), col->values[r] = arena_sprintf(m, "%lld", i); break;
        case SQLT_DOUBLE: col->values[r] = upload_render_double(m, cell_double(c, o->decimal[0])); break;
        case SQLT_BOOLEAN:
            col->values[r] = (c->kind == RAW_BOOL ? c->b : upload_bool_literal(c->text) == 1) ? "true" : "false";
            break;
        case SQLT_TIMESTAMP: col->values[r] = upload_render_ts(m, c->us, false, 0); break;
        default: col->values[r] = render_text(m, c); break;
        }
    }
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
static const char *py_list(arena_t *m, const char *const *items, size_t n) {
    size_t len = 3;
    for (size_t i = 0; i < n; i++) len += strlen(items[i]) + 4;
    char *s = arena_calloc(m, 1, len), *p = s;
    *p++ = '[';
    for (size_t i = 0; i < n; i++) p += sprintf(p, "%s'%s'", i ? ", " : "", items[i]);
    *p++ = ']';
    return s;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

/* usecols, index_col and parse_dates must name columns of the file. */
static int check_columns(arena_t *m, const raw_table_t *raw, const upload_options_t *o, const char **sel,
                         size_t nsel, char *err, size_t errlen) {
    const char **missing = arena_calloc(m, 1, (o->n_columns_read + o->n_column_dates + 1) * sizeof *missing);
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
        char *joined = arena_calloc(m, 1, len);
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

int upload_frame_build(arena_t *m, const raw_table_t *raw, const upload_options_t *o, upload_frame_t *out,
                       char *err, size_t errlen) {
    memset(out, 0, sizeof *out);
    /* usecols keeps the file's column order */
    size_t *sel_idx = arena_calloc(m, 1, (raw->ncols + 1) * sizeof *sel_idx), nsel = 0;
    const char **sel = arena_calloc(m, 1, (raw->ncols + 1) * sizeof *sel);
    for (size_t j = 0; j < raw->ncols; j++)
        if (!o->n_columns_read || listed(o->columns_read, o->n_columns_read, raw->names[j]))
            sel[nsel] = raw->names[j], sel_idx[nsel++] = j;
    if (check_columns(m, raw, o, sel, nsel, err, errlen)) return -1;

    size_t nrows = raw->nrows;
    upload_column_t *cols = arena_calloc(m, 1, (nsel + 1) * sizeof *cols);
    for (size_t k = 0; k < nsel; k++) {
        colview_t v = {raw, sel_idx[k]};
        const char *dtype = dtype_of(o, sel[k]);
        cols[k].name = sel[k];
        type_column(m, &v, o, dtype && upload_is_text_dtype(dtype), listed(o->column_dates, o->n_column_dates, sel[k]),
                    &cols[k]);
    }
    long index_pos = o->index_column ? name_index(sel, nsel, o->index_column) : -1;
    for (size_t k = 0; k < nsel; k++) {
        const char *dtype = dtype_of(o, sel[k]);
        if ((long)k == index_pos || !dtype || upload_is_text_dtype(dtype)) continue;
        if (upload_cast_column(m, &cols[k], nrows, dtype, o, err, errlen)) return -1;
    }

    out->nrows = nrows;
    out->has_index = o->dataframe_index;
    out->cols = arena_calloc(m, 1, (nsel + 2) * sizeof *out->cols);
    if (o->dataframe_index) {
        upload_column_t *ix = &out->cols[out->ncols++];
        if (index_pos >= 0) *ix = cols[index_pos];
        else {
            ix->type = SQLT_BIGINT;
            ix->values = arena_calloc(m, 1, (nrows + 1) * sizeof *ix->values);
            for (size_t r = 0; r < nrows; r++) ix->values[r] = arena_sprintf(m, "%zu", r);
        }
        ix->name = o->index_label && *o->index_label ? o->index_label : index_pos >= 0 ? sel[index_pos] : "index";
    }
    for (size_t k = 0; k < nsel; k++)
        if ((long)k != index_pos) out->cols[out->ncols++] = cols[k];
    return 0;
}
