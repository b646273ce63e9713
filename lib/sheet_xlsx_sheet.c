/* One .xlsx worksheet's <sheetData> read into cells the way pandas sees
 * them through openpyxl's read-only rows: rows are placed by their row
 * number (a row going back to an earlier number is dropped), cells by their
 * column (a row ends at its last cell element), cached formula values
 * rather than formulas, numbers with a date style turned into timestamps. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/sheet_xlsx.h"

typedef struct {
    sheet_book *b;
    xlsx_book *xb;
    const char *sheet;
    sheet_entries cells;
    long long row;      /* openpyxl's row counter (1-based) */
    long long next_row; /* rows numbered below this are dropped */
    bool keep_row;
    size_t row_start;   /* first entry of the current row */
    long col;           /* column of the current (or last) cell element, 1-based */
    char type[16];      /* the cell's t attribute */
    long style;
    bool has_is;
    strbuf_t v, is;
} sheet_state;

/* "AB" for column 28. */
static void col_name(long col, char out[8]) {
    char tmp[8];
    int n = 0;
    for (; col > 0 && n < 7; col = (col - 1) / 26) tmp[n++] = (char)('A' + (col - 1) % 26);
    for (int k = 0; k < n; k++) out[k] = tmp[n - 1 - k];
    out[n] = 0;
}

static void cell_fail(xlsx_xml *x, const char *what, const char *value) {
    sheet_state *s = x->ud;
    char col[8], clip[SHEET_CLIP_SIZE];
    col_name(s->col, col);
    xlsx_xml_fail(x, "Worksheet '%s' cell %s%lld: %s '%s'", s->sheet, col, s->row, what, sheet_clip(value, clip));
}

/* Whole number text (openpyxl also takes "3.0" for row numbers); values
 * beyond +-2^62 saturate there, which every bound check refuses. */
static bool whole_number(const char *v, long long *out) {
    double d;
    bool is_int;
    if (sheet_parse_number(v, &d, out, &is_int) != 0) return false;
    if (is_int) return true;
    if (!isfinite(d) || d != floor(d)) return false;
    *out = d > 0x1p62 ? (1LL << 62) : d < -0x1p62 ? -(1LL << 62) : (long long)d;
    return true;
}

/* Column of a reference such as "$AB$12"; 0 when malformed. */
static long ref_column(const char *ref) {
    const char *p = ref + (*ref == '$');
    long col = 0;
    int letters = 0;
    for (; ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z') && letters < 4; p++, letters++)
        col = col * 26 + ((*p | 0x20) - 'a' + 1);
    if (!letters || letters > 3) return 0;
    p += *p == '$';
    bool digits = false, nonzero = false;
    for (; *p >= '0' && *p <= '9'; p++) digits = true, nonzero |= *p != '0';
    return *p || !digits || !nonzero ? 0 : col; /* row 0 does not exist */
}

static void row_start(xlsx_xml *x, const char **attrs) {
    sheet_state *s = x->ud;
    const char *r = xlsx_attr(attrs, "r", false);
    long long n = s->row + 1;
    if (r && !whole_number(r, &n)) {
        char clip[SHEET_CLIP_SIZE];
        xlsx_xml_fail(x, "Worksheet '%s': invalid row number '%s'", s->sheet, sheet_clip(r, clip));
        return;
    }
    if (n > (long long)SHEET_MAX_ROWS) {
        xlsx_xml_fail(x, "Worksheet '%s': row %lld is beyond the %u rows a sheet can have", s->sheet, n,
                      SHEET_MAX_ROWS);
        return;
    }
    s->row = n;
    s->keep_row = n >= s->next_row && n >= 1;
    if (s->keep_row) s->next_row = n + 1;
    s->row_start = s->cells.len;
    s->col = 0;
}

/* A row's cells stop at its last cell element (openpyxl sizes the row by it). */
static void row_end(sheet_state *s) {
    if (!s->keep_row) return;
    size_t w = s->row_start;
    for (size_t k = s->row_start; k < s->cells.len; k++)
        if (s->cells.v[k].col < (uint32_t)s->col) s->cells.v[w++] = s->cells.v[k];
    s->cells.len = w;
}

static void cell_start(xlsx_xml *x, const char **attrs) {
    sheet_state *s = x->ud;
    const char *ref = xlsx_attr(attrs, "r", false), *t = xlsx_attr(attrs, "t", false);
    const char *style = xlsx_attr(attrs, "s", false);
    long col = ref ? ref_column(ref) : s->col + 1;
    if (ref && !col) {
        char clip[SHEET_CLIP_SIZE];
        xlsx_xml_fail(x, "Worksheet '%s': invalid cell reference '%s'", s->sheet, sheet_clip(ref, clip));
        return;
    }
    if (col > (long)SHEET_MAX_COLS) {
        xlsx_xml_fail(x, "Worksheet '%s': column %ld is beyond the %u columns a sheet can have", s->sheet, col,
                      SHEET_MAX_COLS);
        return;
    }
    s->col = col;
    long long sid = 0;
    if (style && *style && (!whole_number(style, &sid) || sid < 0 || sid > 0x7fffffff)) {
        cell_fail(x, "invalid style index", style);
        return;
    }
    s->style = (long)sid;
    size_t tlen = t ? strnlen(t, sizeof s->type - 1) : 1;
    memcpy(s->type, t ? t : "n", tlen); /* longer values are no known type either way */
    s->type[tlen] = 0;
    s->has_is = false;
    strbuf_clear(&s->v);
    strbuf_clear(&s->is);
}

static unsigned char style_kind(const sheet_state *s) {
    return s->style >= 0 && (size_t)s->style < s->xb->nxf ? s->xb->date_xf[s->style] : 0;
}

static int number_cell(xlsx_xml *x, const char *v, sheet_cell *c) {
    sheet_state *s = x->ud;
    double d;
    long long ll;
    bool is_int;
    if (sheet_parse_number(v, &d, &ll, &is_int) != 0) return cell_fail(x, "invalid number", v), -1;
    unsigned char kind = style_kind(s);
    if (kind) {
        int rc = kind == XF_ELAPSED ? sheet_duration_to_epoch_us(d, &c->epoch_us)
                                    : sheet_serial_to_epoch_us(d, s->xb->date1904, &c->epoch_us);
        if (rc == 0) c->type = SHEET_DATETIME;
        else *c = (sheet_cell){.type = SHEET_ERROR, .text = "#VALUE!"}; /* as the reference: a date out of range */
        return 0;
    }
    if (is_int) *c = (sheet_cell){.type = SHEET_INT, .i = ll};
    else sheet_cell_number(c, d);
    return 0;
}

/* The cell from its type and <v> text; -1 after failing the parse. */
static int value_cell(xlsx_xml *x, const char *v, sheet_cell *c) {
    sheet_state *s = x->ud;
    const char *t = s->type;
    double d;
    long long ll;
    bool is_int;
    if (!strcmp(t, "n")) return number_cell(x, v, c);
    if (!strcmp(t, "s")) {
        if (sheet_parse_number(v, &d, &ll, &is_int) != 0 || !is_int || ll < 0 || (unsigned long long)ll >= s->xb->nsst)
            return cell_fail(x, "invalid shared string index", v), -1;
        *c = (sheet_cell){.type = SHEET_STRING, .text = s->xb->sst[ll]};
        return 0;
    }
    if (!strcmp(t, "b")) {
        if (sheet_parse_number(v, &d, &ll, &is_int) != 0 || !is_int) return cell_fail(x, "invalid boolean", v), -1;
        *c = (sheet_cell){.type = SHEET_BOOL, .i = ll != 0};
        return 0;
    }
    if (!strcmp(t, "d")) {
        if (sheet_iso8601_to_epoch_us(v, &c->epoch_us) != 0) return cell_fail(x, "invalid date", v), -1;
        c->type = SHEET_DATETIME;
        return 0;
    }
    const char *text = arena_strndup(s->b->arena, v, s->v.len);
    *c = (sheet_cell){.type = strcmp(t, "e") ? SHEET_STRING : SHEET_ERROR, .text = text}; /* str and others */
    return 0;
}

static void cell_end(xlsx_xml *x) {
    sheet_state *s = x->ud;
    sheet_cell c = {0};
    if (!strcmp(s->type, "inlineStr")) { /* its <v>, if any, is not read */
        if (s->has_is)
            c = (sheet_cell){.type = SHEET_STRING, .text = arena_strndup(s->b->arena, s->is.data, s->is.len)};
    } else if (s->v.len) {
        if (value_cell(x, s->v.data, &c) != 0) return;
    }
    if (c.type == SHEET_EMPTY || !s->keep_row) return;
    char err[160];
    if (sheet_entries_add(&s->cells, (uint32_t)(s->row - 1), (uint32_t)(s->col - 1), &c, err, sizeof err) != 0)
        xlsx_xml_fail(x, "Worksheet '%s': %s", s->sheet, err);
}

static void sheet_start(xlsx_xml *x, xlsx_tag tag, const char **attrs) {
    sheet_state *s = x->ud;
    xlsx_tag up1 = xlsx_up(x, 1), up2 = xlsx_up(x, 2), up3 = xlsx_up(x, 3);
    if (tag == X_ROW && up1 == X_SHEETDATA) row_start(x, attrs);
    else if (tag == X_C && up1 == X_ROW && up2 == X_SHEETDATA) cell_start(x, attrs);
    else if (tag == X_V && up1 == X_C) x->capture = &s->v;
    else if (tag == X_IS && up1 == X_C) s->has_is = true;
    else if (tag == X_T && ((up1 == X_IS && up2 == X_C) || (up1 == X_R && up2 == X_IS && up3 == X_C)))
        x->capture = &s->is;
}

static void sheet_end(xlsx_xml *x, xlsx_tag tag) {
    sheet_state *s = x->ud;
    if (tag == X_V || tag == X_T) x->capture = NULL;
    else if (tag == X_C && xlsx_up(x, 1) == X_ROW && xlsx_up(x, 2) == X_SHEETDATA) cell_end(x);
    else if (tag == X_ROW && xlsx_up(x, 1) == X_SHEETDATA) row_end(s);
}

int xlsx_read_sheet(sheet_book *b, xlsx_book *xb, size_t i, sheet_grid *out, char *err, size_t errlen) {
    if (xb->chartsheet[i])
        return sheet_fail(err, errlen, "Sheet '%s' is a chart sheet, which holds no cells", b->names[i]);
    sheet_state s = {.b = b, .xb = xb, .sheet = b->names[i], .next_row = 1};
    strbuf_init(&s.v, 64);
    strbuf_init(&s.is, 64);
    xlsx_xml x = {.ud = &s, .start = sheet_start, .end = sheet_end};
    int rc = xlsx_parse_part(xb, xb->paths[i], &x, err, errlen);
    if (rc == 0) rc = sheet_grid_build(b->arena, &s.cells, out, err, errlen);
    sheet_entries_free(&s.cells);
    strbuf_free(&s.v);
    strbuf_free(&s.is);
    return rc;
}
