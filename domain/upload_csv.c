/* The CSV upload reader (CSVReader): libcsv tokenizes (RFC 4180 quoting,
 * doubled quotes), then the records are shaped as pandas.read_csv's C
 * parser does: UTF-8 with an optional BOM, blank lines kept as empty rows
 * unless skip_blank_lines, a row wider than the header is an error,
 * optional skipping of spaces after the delimiter (a quoted field may then
 * follow the spaces). */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/upload_readers.h"

#define METADATA_ROWS 2 /* ROWS_TO_READ_METADATA */

/* ---- UTF-8 check, with Python's decoder wording ---- */

static size_t utf8_seq_len(unsigned char c) {
    return c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
}

static bool utf8_check(const unsigned char *s, size_t len, char *err, size_t errlen) {
    for (size_t i = 0; i < len;) {
        size_t n = utf8_seq_len(s[i]);
        const char *why = NULL;
        if (!n) why = "invalid start byte";
        else if (i + n > len) {
            for (size_t k = 1; i + k < len; k++)
                if ((s[i + k] & 0xC0) != 0x80) why = "invalid continuation byte";
            if (!why) why = "unexpected end of data";
        } else {
            for (size_t k = 1; k < n && !why; k++)
                if ((s[i + k] & 0xC0) != 0x80) why = "invalid continuation byte";
            if (!why && n == 3 && ((s[i] == 0xE0 && s[i + 1] < 0xA0) || (s[i] == 0xED && s[i + 1] > 0x9F)))
                why = "invalid continuation byte";
            if (!why && n == 4 && ((s[i] == 0xF0 && s[i + 1] < 0x90) || (s[i] == 0xF4 && s[i + 1] > 0x8F)))
                why = "invalid continuation byte";
        }
        if (why) {
            snprintf(err, errlen, "Parsing error: 'utf-8' codec can't decode byte 0x%02x in position %zu: %s", s[i], i,
                     why);
            return false;
        }
        i += n;
    }
    return true;
}

/* ---- tokenizing ---- */

typedef struct tok {
    arena_t *m;
    const upload_options_t *o;
    raw_record_t *recs;
    size_t nrecs, cap;
    raw_cell_t *row;
    size_t nrow, rowcap;
    int last_term; /* terminator of the previous record */
    size_t line;
} tok_t;

static void on_field(void *data, size_t len, void *ud) {
    tok_t *t = ud;
    const char *s = data ? data : "";
    if (t->o->skip_initial_space)
        while (len && *s == ' ') s++, len--;
    if (t->nrow == t->rowcap) {
        t->rowcap = t->rowcap ? 2 * t->rowcap : 16;
        t->row = realloc(t->row, t->rowcap * sizeof *t->row);
        if (!t->row) abort();
    }
    t->row[t->nrow++] = (raw_cell_t){.kind = RAW_TEXT, .text = arena_strndup(t->m, s, len)};
}

static void on_row(int c, void *ud) {
    tok_t *t = ud;
    bool crlf_tail = c == '\n' && t->last_term == '\r' && !t->nrow;
    t->last_term = c;
    if (crlf_tail) return; /* the LF of a CRLF pair */
    t->line++;
    if (c == -1 && !t->nrow) return;
    if (t->nrecs == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 256;
        t->recs = realloc(t->recs, t->cap * sizeof *t->recs);
        if (!t->recs) abort();
    }
    raw_record_t *r = &t->recs[t->nrecs++];
    r->ncells = t->nrow;
    r->line = t->line;
    r->cells = arena_calloc(t->m, 1, (t->nrow + 1) * sizeof *r->cells);
    memcpy(r->cells, t->row, t->nrow * sizeof *r->cells);
    t->nrow = 0;
}

static int no_space(unsigned char c) {
    (void)c;
    return 0;
}

/* skip_initial_space: blanks before a field (and so before its opening
 * quote) are not part of it. libcsv also drops blanks after an unquoted
 * field in this mode. */
static int blank_space(unsigned char c) { return c == ' '; }

static int is_term(unsigned char c) { return c == '\r' || c == '\n'; }

static int check_delimiter(const char *d, char *err, size_t errlen) {
    if (!strcmp(d, "\n")) {
        snprintf(err, errlen, "Parsing error: Specified \\n as separator or delimiter. This forces the python engine"
                              " which does not accept a line terminator. Hence it is not allowed to use the line"
                              " terminator as separator.");
        return -1;
    }
    if (strlen(d) != 1) {
        snprintf(err, errlen, "Parsing error: Liteset reads CSV files with a one-character delimiter only, not '%s'",
                 d);
        return -1;
    }
    return 0;
}

int upload_csv_records(arena_t *m, const char *data, size_t len, const upload_options_t *o, raw_record_t **recs,
                       size_t *nrecs, char *err, size_t errlen) {
    *recs = NULL;
    *nrecs = 0;
    const char *delim = o->delimiter ? o->delimiter : ",";
    if (check_delimiter(delim, err, errlen)) return -1;
    if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3)) data += 3, len -= 3;
    if (!utf8_check((const unsigned char *)data, len, err, errlen)) return -1;
    struct csv_parser p;
    if (csv_init(&p, CSV_REPALL_NL) != 0) abort();
    csv_set_delim(&p, (unsigned char)delim[0]);
    csv_set_space_func(&p, o->skip_initial_space ? blank_space : no_space);
    csv_set_term_func(&p, is_term);
    tok_t t = {.m = m, .o = o};
    size_t done = csv_parse(&p, data, len, on_field, on_row, &t);
    int rc = done == len ? 0 : -1;
    if (!rc) csv_fini(&p, on_field, on_row, &t);
    else snprintf(err, errlen, "Parsing error: %s", csv_strerror(csv_error(&p)));
    csv_free(&p);
    free(t.row);
    if (rc) {
        free(t.recs);
        return -1;
    }
    raw_record_t *out = arena_calloc(m, 1, (t.nrecs + 1) * sizeof *out);
    if (t.nrecs) memcpy(out, t.recs, t.nrecs * sizeof *out);
    free(t.recs);
    *recs = out;
    *nrecs = t.nrecs;
    return 0;
}

/* Short rows are padded to the header's width: a wide header over many
 * short lines would cost far more memory than the file's size, so the
 * cells are bounded by a multiple of the bytes read. */
static raw_rules_t csv_rules(const upload_options_t *o, size_t len) {
    return (raw_rules_t){.blank_as_row = !o->skip_blank_lines, .check_wide_rows = true, .header_none_names = true,
                         .max_cells = 16 * len + (1u << 20)};
}

static int csv_raw(arena_t *m, const char *data, size_t len, const upload_options_t *o, raw_table_t *raw,
                   char *err, size_t errlen) {
    raw_record_t *recs;
    size_t n;
    if (upload_csv_records(m, data, len, o, &recs, &n, err, errlen)) return -1;
    raw_rules_t rules = csv_rules(o, len);
    return raw_table_build(m, recs, n, o, &rules, raw, err, errlen);
}

/* file_metadata: header, delimiter and two rows read with default options. */
static int csv_metadata(arena_t *m, const char *data, size_t len, const upload_options_t *o, json_t **items,
                        char *err, size_t errlen) {
    upload_options_t mo = {.delimiter = o->delimiter, .header_row = o->header_row, .decimal = ".",
                           .rows_to_read = METADATA_ROWS, .skip_blank_lines = true};
    raw_table_t raw;
    if (csv_raw(m, data, len, &mo, &raw, err, errlen)) return -1;
    json_t *names = json_array();
    for (size_t j = 0; j < raw.ncols; j++) json_array_append_new(names, json_string(raw.names[j]));
    *items = json_pack("[{s:o,s:n}]", "column_names", names, "sheet_name");
    return 0;
}

static int csv_frame(arena_t *m, const char *data, size_t len, const upload_options_t *o, upload_frame_t *out,
                     char *err, size_t errlen) {
    raw_table_t raw;
    if (csv_raw(m, data, len, o, &raw, err, errlen)) return -1;
    return upload_frame_build(m, &raw, o, out, err, errlen);
}

const upload_reader_t upload_csv_reader = {"csv", csv_metadata, csv_frame};
