/* The in-memory table an uploaded file becomes before it is written to a
 * database (POST /api/v1/database/<pk>/upload/), in two stages:
 * - raw: the file's cells as read (CSV text, or typed spreadsheet cells),
 *   with the header row chosen and the column names made unique;
 * - frame: typed columns, as the DataFrame pandas would build from the
 *   same file and options, each with the PostgreSQL type pandas' to_sql
 *   would create and its values rendered for COPY (NULL for missing).
 *
 * Everything here is pure and runs on offload threads: memory comes from an
 * arena of the job's own (not the request arena: lib/arena.h), freed at once.
 * Errors are written to a caller buffer in the reference's wording. */
#ifndef LITESET_DOMAIN_UPLOAD_FRAME_H
#define LITESET_DOMAIN_UPLOAD_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/arena.h"

#define UPLOAD_ERR_LEN 1024

/* ---- reader options (the UploadPostSchema fields a reader uses) ---- */
typedef struct upload_dtype {
    const char *column, *dtype; /* column_data_types entry */
} upload_dtype_t;

typedef struct upload_options {
    const char *delimiter;  /* CSV; default "," */
    long header_row;        /* default 0 */
    const char *index_column;
    bool day_first;
    const char *decimal;    /* default "." */
    const char **null_values;
    size_t n_null_values;
    long rows_to_read;      /* 0: all */
    long skip_rows;
    const char **column_dates;
    size_t n_column_dates;
    const char **columns_read;
    size_t n_columns_read;
    upload_dtype_t *dtypes;
    size_t n_dtypes;
    bool skip_blank_lines;
    bool skip_initial_space;
    const char *sheet_name; /* Excel; NULL: the first sheet */
    bool dataframe_index;
    const char *index_label;
} upload_options_t;

/* ---- raw cells ---- */
typedef enum { RAW_MISSING, RAW_TEXT, RAW_NUMBER, RAW_BOOL, RAW_DATETIME } raw_kind_t;

typedef struct raw_cell {
    raw_kind_t kind;
    const char *text; /* TEXT: the text; NUMBER: its decimal form (repr) */
    bool b;           /* BOOL */
    int64_t us;       /* DATETIME: naive microseconds since 1970-01-01 */
} raw_cell_t;

/* One record of the file: a CSV line or a sheet row. */
typedef struct raw_record {
    size_t ncells;
    raw_cell_t *cells;
    size_t line; /* 1-based line of the file */
} raw_record_t;

typedef struct raw_table {
    size_t ncols, nrows;
    const char **names;
    raw_cell_t *cells; /* row-major nrows x ncols */
} raw_table_t;

/* How a reader forms its table from records (pandas' C parser for CSV,
 * the Python parser for spreadsheets). */
typedef struct raw_rules {
    bool blank_as_row;      /* blank records are rows of missing values */
    bool check_wide_rows;   /* a record wider than the header is an error */
    bool header_none_names; /* missing header cells are "Unnamed: i" (always true today) */
    size_t max_cells;       /* rows x columns allowed (0: no limit): short rows are padded */
} raw_rules_t;

/* Applies skip_rows, header_row, rows_to_read to records; names the
 * columns (empty -> "Unnamed: i", duplicates -> "a.1"). 0, or -1 with err. */
int raw_table_build(arena_t *m, const raw_record_t *recs, size_t nrecs, const upload_options_t *o,
                    const raw_rules_t *rules, raw_table_t *out, char *err, size_t errlen);

/* ---- typed frame ---- */
typedef enum {
    SQLT_BIGINT,
    SQLT_INTEGER,
    SQLT_DOUBLE,
    SQLT_REAL,
    SQLT_BOOLEAN,
    SQLT_TIMESTAMP,
    SQLT_TIMESTAMPTZ,
    SQLT_TEXT,
} upload_sqltype_t;

const char *upload_sqltype_name(upload_sqltype_t t); /* "BIGINT", "DOUBLE PRECISION", ... */

typedef struct upload_column {
    const char *name;
    upload_sqltype_t type;
    const char **values; /* nrows, COPY-ready text; NULL = SQL NULL */
} upload_column_t;

typedef struct upload_frame {
    size_t ncols, nrows;
    upload_column_t *cols; /* the index column first when has_index */
    bool has_index;
} upload_frame_t;

/* read_csv / read_excel typing of a raw table with the options (NA values,
 * decimal character, dates, dtype casts, usecols, index). 0, or -1 with
 * err (the reference's message: "Parsing error: ..." or a cast error). */
int upload_frame_build(arena_t *m, const raw_table_t *raw, const upload_options_t *o, upload_frame_t *out,
                       char *err, size_t errlen);

/* The frame's rows in COPY text format (tab-separated, \N for NULL). */
char *upload_frame_copy_text(arena_t *m, const upload_frame_t *f, size_t *len);

#endif
