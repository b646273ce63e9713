/* The Excel upload reader (ExcelReader) on lib/sheet_reader: a sheet's grid
 * becomes records as pandas.read_excel's openpyxl reader hands them to its
 * Python parser (empty cells and trailing blanks trimmed, rows padded with
 * empty strings, error cells missing), then the shared header / typing
 * rules apply. Metadata lists every sheet with its column names. */
#include <stdio.h>
#include <string.h>

#include "domain/upload_readers.h"
#include "lib/pyfloat.h"
#include "lib/sheet_reader.h"

#define METADATA_ROWS 2 /* ROWS_TO_READ_METADATA */

static void book_close(sheet_book **b) { sheet_book_free(*b); }

/* One grid cell as the DataFrame sees it. */
static raw_cell_t cell_of(arena_t *m, const sheet_cell *c) {
    char buf[PYFLOAT_BUF];
    switch (c->type) {
    case SHEET_STRING: return (raw_cell_t){.kind = RAW_TEXT, .text = arena_strndup(m, c->text, strlen(c->text))};
    case SHEET_INT: return (raw_cell_t){.kind = RAW_NUMBER, .text = arena_sprintf(m, "%lld", c->i)};
    case SHEET_FLOAT:
        return (raw_cell_t){.kind = RAW_NUMBER, .text = arena_strndup(m, buf, pyfloat_repr(c->f, buf))};
    case SHEET_BOOL: return (raw_cell_t){.kind = RAW_BOOL, .b = c->i != 0};
    case SHEET_DATETIME: return (raw_cell_t){.kind = RAW_DATETIME, .us = c->epoch_us};
    case SHEET_ERROR: return (raw_cell_t){.kind = RAW_MISSING};
    default: return (raw_cell_t){.kind = RAW_TEXT, .text = ""}; /* openpyxl's None -> "" */
    }
}

static bool is_empty_text(const raw_cell_t *c) { return c->kind == RAW_TEXT && !*c->text; }

/* The grid's rows as records: trailing empty cells and rows dropped, rows
 * padded to the widest with "" (a one-column blank row is skipped). */
static raw_record_t *grid_records(arena_t *m, const sheet_grid *g, size_t *nrecs) {
    raw_record_t *recs = arena_calloc(m, 1, (g->nrows + 1) * sizeof *recs);
    size_t width = 0, last = 0;
    for (size_t r = 0; r < g->nrows; r++) {
        raw_record_t *rec = &recs[r];
        rec->line = r + 1;
        rec->cells = arena_calloc(m, 1, (g->ncols + 1) * sizeof *rec->cells);
        for (size_t j = 0; j < g->ncols; j++) rec->cells[j] = cell_of(m, &g->cells[r * g->ncols + j]);
        size_t n = g->ncols;
        while (n && is_empty_text(&rec->cells[n - 1])) n--;
        rec->ncells = n;
        if (n) last = r + 1;
        if (n > width) width = n;
    }
    for (size_t r = 0; r < last; r++) {
        for (size_t j = recs[r].ncells; j < width; j++) recs[r].cells[j] = (raw_cell_t){.kind = RAW_TEXT, .text = ""};
        recs[r].ncells = width == 1 && is_empty_text(&recs[r].cells[0]) ? 0 : width;
    }
    *nrecs = last;
    return recs;
}

static const raw_rules_t excel_rules = {.blank_as_row = false, .check_wide_rows = false, .header_none_names = true};

static int sheet_index(const sheet_book *b, const char *name, size_t *out, char *err, size_t errlen) {
    if (!name) {
        if (!sheet_book_count(b)) {
            snprintf(err, errlen, "Parsing error: Worksheet index 0 is invalid, 0 worksheets found");
            return -1;
        }
        return *out = 0, 0;
    }
    for (size_t i = 0; i < sheet_book_count(b); i++)
        if (!strcmp(sheet_book_name(b, i), name)) return *out = i, 0;
    snprintf(err, errlen, "Parsing error: Worksheet named '%s' not found", name);
    return -1;
}

/* The records of sheet i; -1 with err ("Error reading Excel file"). */
static int sheet_records(arena_t *m, sheet_book *b, size_t i, raw_record_t **recs, size_t *n, char *err,
                         size_t errlen) {
    const sheet_grid *g;
    char why[256];
    if (sheet_book_grid(b, i, &g, why, sizeof why)) {
        snprintf(err, errlen, "Error reading Excel file");
        return -1;
    }
    *recs = grid_records(m, g, n);
    return 0;
}

static int excel_frame(arena_t *m, const char *data, size_t len, const upload_options_t *o, upload_frame_t *out,
                       char *err, size_t errlen) {
    sheet_book *b __attribute__((cleanup(book_close))) = NULL;
    char why[256];
    if (sheet_book_open(data, len, &b, why, sizeof why)) {
        snprintf(err, errlen, "Parsing error: Excel file format cannot be determined, you must specify an engine"
                              " manually.");
        return -1;
    }
    size_t i, n;
    raw_record_t *recs;
    if (sheet_index(b, o->sheet_name, &i, err, errlen) || sheet_records(m, b, i, &recs, &n, err, errlen)) return -1;
    upload_options_t eo = *o; /* read_excel takes no dtype, delimiter or blank-line options */
    eo.n_dtypes = 0;
    eo.skip_blank_lines = true;
    raw_table_t raw;
    if (!n) { /* an empty sheet: an empty DataFrame */
        memset(out, 0, sizeof *out);
        out->cols = arena_calloc(m, 1, sizeof *out->cols);
        return 0;
    }
    if (raw_table_build(m, recs, n, &eo, &excel_rules, &raw, err, errlen)) return -1;
    return upload_frame_build(m, &raw, &eo, out, err, errlen);
}

static int excel_metadata(arena_t *m, const char *data, size_t len, const upload_options_t *o, json_t **items,
                          char *err, size_t errlen) {
    (void)o;
    *items = NULL;
    sheet_book *b __attribute__((cleanup(book_close))) = NULL;
    char why[256];
    if (sheet_book_open(data, len, &b, why, sizeof why)) {
        snprintf(err, errlen, "Excel file format cannot be determined");
        return -1;
    }
    upload_options_t mo = {.decimal = ".", .rows_to_read = METADATA_ROWS, .skip_blank_lines = true};
    json_t *list = json_array();
    for (size_t i = 0; i < sheet_book_count(b); i++) {
        raw_record_t *recs;
        size_t n;
        raw_table_t raw = {0};
        if (sheet_records(m, b, i, &recs, &n, err, errlen) ||
            (n && raw_table_build(m, recs, n, &mo, &excel_rules, &raw, err, errlen))) {
            json_decref(list);
            return -1;
        }
        json_t *names = json_array();
        for (size_t j = 0; j < raw.ncols; j++) json_array_append_new(names, json_string(raw.names[j]));
        json_array_append_new(list, json_pack("{s:o,s:s}", "column_names", names, "sheet_name", sheet_book_name(b, i)));
    }
    *items = list;
    return 0;
}

const upload_reader_t upload_excel_reader = {"excel", excel_metadata, excel_frame};
