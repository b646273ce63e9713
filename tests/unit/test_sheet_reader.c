/* Unit tests for lib/sheet_reader: .xlsx workbooks built here part by part
 * (shared and inline strings, rich text, numbers, booleans, errors, dates in
 * both date systems with built-in and custom formats, sparse cells, sheet
 * order), the cell typing rules on their own, malformed and hostile inputs
 * that must end in clean errors, .xls detection and error paths, a BIFF8
 * workbook built record by record and read through freexl, and a
 * fixed-seed fuzz run over mutated workbooks. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lib/sheet_reader.h"
#include "lib/strbuf.h"
#include "lib/zipfile.h"

#define COUNT(a) (sizeof(a) / sizeof *(a))
#define MAIN_NS "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define REL_NS "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define WS_TYPE REL_NS "/worksheet"

#define CT_HEAD                                                                                           \
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"                                       \
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"                        \
    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>" \
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"                                          \
    "<Override PartName=\"/xl/workbook.xml\" "                                                            \
    "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
static const char CONTENT_TYPES[] = CT_HEAD "</Types>";
static const char CONTENT_TYPES_SST[] = CT_HEAD "<Override PartName=\"/xl/sharedStrings.xml\" "
                                        "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml"
                                        ".sharedStrings+xml\"/></Types>";

typedef struct {
    const char *name;
    const char *data; /* NULL: leave the part out */
} part;

static char *zip_parts(const part *parts, size_t n, size_t *len) {
    zipf_writer_t *w = zipf_writer_new();
    for (size_t k = 0; k < n; k++)
        if (parts[k].data) cr_assert(zipf_writer_add(w, parts[k].name, parts[k].data, strlen(parts[k].data)));
    char *out;
    cr_assert(zipf_writer_finish(w, &out, len));
    return out;
}

/* A workbook description: sheets (name + sheetData rows), optional shared
 * strings, styles and date system. */
typedef struct {
    const char *name;
    const char *rows;
} sheet_def;

typedef struct {
    const sheet_def *sheets;
    size_t nsheets;
    const char *sst;    /* <si> elements, or NULL */
    const char *styles; /* whole styles.xml body, or NULL */
    bool date1904;
} book_def;

static char *sheet_xml(const char *rows) {
    return xasprintf("<?xml version=\"1.0\"?><worksheet xmlns=\"" MAIN_NS "\"><dimension ref=\"A1\"/>"
                     "<sheetData>%s</sheetData></worksheet>",
                     rows);
}

/* Builds the parts of d; the caller may replace some before zipping. */
static size_t book_parts(const book_def *d, part *parts, char **owned) {
    strbuf_t wb, rels;
    strbuf_init(&wb, 256);
    strbuf_init(&rels, 256);
    strbuf_printf(&wb, "<workbook xmlns=\"" MAIN_NS "\" xmlns:r=\"" REL_NS "\"><workbookPr%s/><sheets>",
                  d->date1904 ? " date1904=\"true\"" : " date1904=\"0\"");
    strbuf_puts(&rels, "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">");
    size_t n = 0;
    parts[n++] = (part){"[Content_Types].xml", d->sst ? CONTENT_TYPES_SST : CONTENT_TYPES};
    for (size_t k = 0; k < d->nsheets; k++) {
        strbuf_printf(&wb, "<sheet name=\"%s\" sheetId=\"%zu\" r:id=\"rId%zu\"/>", d->sheets[k].name, k + 1, k + 1);
        strbuf_printf(&rels, "<Relationship Id=\"rId%zu\" Type=\"" WS_TYPE "\" Target=\"worksheets/sheet%zu.xml\"/>",
                      k + 1, k + 1);
        owned[n] = sheet_xml(d->sheets[k].rows);
        parts[n] = (part){xasprintf("xl/worksheets/sheet%zu.xml", k + 1), owned[n]};
        n++;
    }
    strbuf_puts(&wb, "</sheets></workbook>");
    strbuf_puts(&rels, "</Relationships>");
    owned[n] = wb.data;
    parts[n++] = (part){"xl/workbook.xml", wb.data};
    owned[n] = rels.data;
    parts[n++] = (part){"xl/_rels/workbook.xml.rels", rels.data};
    if (d->sst) {
        owned[n] = xasprintf("<sst xmlns=\"" MAIN_NS "\">%s</sst>", d->sst);
        parts[n] = (part){"xl/sharedStrings.xml", owned[n]};
        n++;
    }
    if (d->styles) {
        owned[n] = xasprintf("<styleSheet xmlns=\"" MAIN_NS "\">%s</styleSheet>", d->styles);
        parts[n] = (part){"xl/styles.xml", owned[n]};
        n++;
    }
    return n;
}

static void free_parts(part *parts, char **owned, size_t n) {
    for (size_t k = 0; k < n; k++) {
        if (!strncmp(parts[k].name, "xl/worksheets/", 14)) free((char *)parts[k].name);
        free(owned[k]);
    }
}

static char *build_book(const book_def *d, size_t *len) {
    part parts[32];
    char *owned[32] = {0};
    size_t n = book_parts(d, parts, owned);
    char *zip = zip_parts(parts, n, len);
    free_parts(parts, owned, n);
    return zip;
}

static sheet_book *open_ok(const char *zip, size_t len) {
    sheet_book *b = NULL;
    char err[256] = "";
    int rc = sheet_book_open(zip, len, &b, err, sizeof err);
    cr_assert_eq(rc, 0, "open failed: %s", err);
    cr_assert_not_null(b);
    return b;
}

static const sheet_grid *grid_ok(sheet_book *b, size_t i) {
    const sheet_grid *g = NULL;
    char err[256] = "";
    cr_assert_eq(sheet_book_grid(b, i, &g, err, sizeof err), 0, "grid failed: %s", err);
    cr_assert_not_null(g);
    return g;
}

/* Opens a one-sheet book of these rows and returns its grid (book in *out). */
static const sheet_grid *one_sheet(const char *rows, const char *sst, const char *styles, bool date1904,
                                   sheet_book **out) {
    sheet_def s = {"Sheet1", rows};
    book_def d = {&s, 1, sst, styles, date1904};
    size_t len;
    char *zip = build_book(&d, &len);
    *out = open_ok(zip, len);
    free(zip);
    return grid_ok(*out, 0);
}

/* Messages reach JSON bodies: they must be valid UTF-8. */
static void expect_utf8(const char *msg) {
    json_t *j = json_string(msg);
    cr_assert_not_null(j, "message is not UTF-8: %s", msg);
    json_decref(j);
}

/* The error sheet_book_grid gives for a one-sheet book of these rows. */
static void expect_grid_error(const char *rows, const char *sst, const char *needle) {
    sheet_def s = {"Sheet1", rows};
    book_def d = {&s, 1, sst, NULL, false};
    size_t len;
    char *zip = build_book(&d, &len);
    sheet_book *b = open_ok(zip, len);
    free(zip);
    const sheet_grid *g = (const sheet_grid *)1;
    char err[256] = "";
    cr_assert_eq(sheet_book_grid(b, 0, &g, err, sizeof err), -1, "no error for %s", rows);
    cr_assert_null(g);
    cr_assert(strstr(err, needle), "error '%s' lacks '%s'", err, needle);
    expect_utf8(err);
    sheet_book_free(b);
}

static void expect_open_error(const void *data, size_t len, const char *needle) {
    sheet_book *b = (sheet_book *)1;
    char err[256] = "";
    cr_assert_eq(sheet_book_open(data, len, &b, err, sizeof err), -1);
    cr_assert_null(b);
    cr_assert(strstr(err, needle), "error '%s' lacks '%s'", err, needle);
}

static const sheet_cell *at(const sheet_grid *g, size_t r, size_t c) {
    cr_assert_lt(r, g->nrows);
    cr_assert_lt(c, g->ncols);
    return &g->cells[r * g->ncols + c];
}

static void expect_str(const sheet_grid *g, size_t r, size_t c, const char *s) {
    const sheet_cell *x = at(g, r, c);
    cr_assert_eq(x->type, SHEET_STRING, "cell %zu,%zu type %d", r, c, x->type);
    cr_assert_str_eq(x->text, s);
}

static void expect_int(const sheet_grid *g, size_t r, size_t c, long long v) {
    const sheet_cell *x = at(g, r, c);
    cr_assert_eq(x->type, SHEET_INT, "cell %zu,%zu type %d", r, c, x->type);
    cr_assert_eq(x->i, v, "cell %zu,%zu: %lld", r, c, x->i);
}

static void expect_float(const sheet_grid *g, size_t r, size_t c, double v) {
    const sheet_cell *x = at(g, r, c);
    cr_assert_eq(x->type, SHEET_FLOAT, "cell %zu,%zu type %d", r, c, x->type);
    cr_assert_eq(x->f, v);
}

static void expect_time(const sheet_grid *g, size_t r, size_t c, int64_t us) {
    const sheet_cell *x = at(g, r, c);
    cr_assert_eq(x->type, SHEET_DATETIME, "cell %zu,%zu type %d", r, c, x->type);
    cr_assert_eq(x->epoch_us, us, "cell %zu,%zu: %lld != %lld", r, c, (long long)x->epoch_us, (long long)us);
}

static void expect_empty(const sheet_grid *g, size_t r, size_t c) {
    const sheet_cell *x = at(g, r, c);
    cr_assert_eq(x->type, SHEET_EMPTY, "cell %zu,%zu type %d", r, c, x->type);
    cr_assert_null(x->text);
}

#define DAY_US 86400000000LL
#define HOUR_US 3600000000LL
#define D2023_01_01 (19358LL * DAY_US)

/* ---- values and types ------------------------------------------------- */

Test(sheet_xlsx, strings_numbers_booleans_errors) {
    const char *sst = "<si><t>hello</t></si>"
                      "<si><r><rPr><b/></rPr><t xml:space=\"preserve\">rich </t></r><r><t>text</t></r>"
                      "<rPh sb=\"0\" eb=\"1\"><t>PHONETIC</t></rPh></si>"
                      "<si><t>a&amp;b &lt;&#233;&gt; x005F_x000D_</t></si>"
                      "<si><t/></si>";
    const char *rows =
        "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"inlineStr\"><is><t>inline</t></is></c>"
        "<c r=\"C1\" t=\"s\"><v>1</v></c><c r=\"D1\" t=\"s\"><v>2</v></c>"
        "<c r=\"E1\" t=\"inlineStr\"><is><r><t>in</t></r><r><t>rich</t></r></is></c>"
        "<c r=\"F1\" t=\"inlineStr\"><v>ignored</v></c><c r=\"G1\" t=\"inlineStr\"><v>1</v><is><t>is</t></is></c></row>"
        "<row r=\"2\"><c r=\"A2\"><v>42</v></c><c r=\"B2\" t=\"n\"><v>1.5</v></c><c r=\"C2\"><v>3.0</v></c>"
        "<c r=\"D2\"><v>1E3</v></c><c r=\"E2\"><v>-7</v></c><c r=\"F2\"><v>12345678901234567890</v></c></row>"
        "<row r=\"3\"><c r=\"A3\" t=\"b\"><v>1</v></c><c r=\"B3\" t=\"b\"><v>0</v></c>"
        "<c r=\"C3\" t=\"e\"><v>#DIV/0!</v></c><c r=\"D3\" t=\"str\"><f>A1&amp;\"x\"</f><v>formula text</v></c>"
        "<c r=\"E3\"><f>1+1</f><v>2</v></c><c r=\"F3\" t=\"s\"><v>3</v></c></row>";
    sheet_book *b;
    const sheet_grid *g = one_sheet(rows, sst, NULL, false, &b);
    cr_assert_eq(g->nrows, 3);
    cr_assert_eq(g->ncols, 7);
    expect_str(g, 0, 0, "hello");
    expect_str(g, 0, 1, "inline");
    expect_str(g, 0, 2, "rich text");
    expect_str(g, 0, 3, "a&b <\xc3\xa9> x000D_");
    expect_str(g, 0, 4, "inrich");
    expect_empty(g, 0, 5); /* an inline string cell reads <is> only */
    expect_str(g, 0, 6, "is");
    expect_int(g, 1, 0, 42);
    expect_float(g, 1, 1, 1.5);
    expect_int(g, 1, 2, 3);
    expect_int(g, 1, 3, 1000);
    expect_int(g, 1, 4, -7);
    expect_float(g, 1, 5, 12345678901234567890.0);
    cr_assert_eq(at(g, 2, 0)->type, SHEET_BOOL);
    cr_assert_eq(at(g, 2, 0)->i, 1);
    cr_assert_eq(at(g, 2, 1)->type, SHEET_BOOL);
    cr_assert_eq(at(g, 2, 1)->i, 0);
    cr_assert_eq(at(g, 2, 2)->type, SHEET_ERROR);
    cr_assert_str_eq(at(g, 2, 2)->text, "#DIV/0!");
    expect_str(g, 2, 3, "formula text");
    expect_int(g, 2, 4, 2);
    expect_str(g, 2, 5, ""); /* an empty string is kept inside the grid */
    /* cached: the same grid comes back */
    const sheet_grid *again = grid_ok(b, 0);
    cr_assert_eq(again, g);
    cr_assert_str_eq(sheet_book_format(b), "xlsx");
    sheet_book_free(b);
}

static const char STYLES[] =
    "<numFmts count=\"4\"><numFmt numFmtId=\"164\" formatCode=\"yyyy\\-mm\\-dd hh:mm\"/>"
    "<numFmt numFmtId=\"165\" formatCode=\"0.00 &quot;days&quot;\"/>"
    "<numFmt numFmtId=\"166\" formatCode=\"[Red]#,##0;[Blue]d\"/>"
    "<numFmt numFmtId=\"14\" formatCode=\"0.000\"/><numFmt numFmtId=\"167\" formatCode=\"[MM]:ss\"/></numFmts>"
    "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
    "<cellXfs count=\"9\"><xf numFmtId=\"0\"/><xf numFmtId=\"15\" applyNumberFormat=\"1\"/><xf numFmtId=\"164\"/>"
    "<xf numFmtId=\"165\"/><xf numFmtId=\"166\"/><xf numFmtId=\"22\"/><xf numFmtId=\"14\"/><xf numFmtId=\"46\"/>"
    "<xf numFmtId=\"167\"/></cellXfs>";

Test(sheet_xlsx, dates_1900_system) {
    const char *rows = "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>44927</v></c><c r=\"B1\" s=\"2\"><v>44927.5</v></c>"
                       "<c r=\"C1\" s=\"5\"><v>1</v></c><c r=\"D1\" s=\"5\"><v>59</v></c>"
                       "<c r=\"E1\" s=\"5\"><v>61</v></c>"
                       "<c r=\"F1\" s=\"5\"><v>0.25</v></c></row>"
                       "<row r=\"2\"><c r=\"A2\" s=\"3\"><v>2.5</v></c><c r=\"B2\" s=\"4\"><v>7</v></c>"
                       "<c r=\"C2\" s=\"6\"><v>44927</v></c><c r=\"D2\" s=\"0\"><v>44927</v></c>"
                       "<c r=\"E2\" s=\"99\"><v>5</v></c><c r=\"F2\" s=\"1\"><v>9999999</v></c></row>"
                       "<row r=\"3\"><c r=\"A3\" t=\"d\"><v>2021-03-04T05:06:07Z</v></c>"
                       "<c r=\"B3\" t=\"d\"><v>2021-03-04</v></c><c r=\"C3\" s=\"1\"><v>44927.0000115741</v></c>"
                       "<c r=\"D3\" s=\"7\"><v>1.5</v></c><c r=\"E3\" s=\"8\"><v>70</v></c></row>";
    sheet_book *b;
    const sheet_grid *g = one_sheet(rows, NULL, STYLES, false, &b);
    cr_assert_eq(g->nrows, 3);
    cr_assert_eq(g->ncols, 6);
    expect_time(g, 0, 0, D2023_01_01);
    expect_time(g, 0, 1, D2023_01_01 + 12 * HOUR_US);
    expect_time(g, 0, 2, -25567LL * DAY_US); /* 1900-01-01 */
    expect_time(g, 0, 3, -25509LL * DAY_US); /* 1900-02-28 */
    expect_time(g, 0, 4, -25508LL * DAY_US); /* 1900-03-01 */
    expect_time(g, 0, 5, -25569LL * DAY_US + 6 * HOUR_US);
    expect_float(g, 1, 0, 2.5);     /* quoted "days" is no date */
    expect_int(g, 1, 1, 7);         /* [Red] is no date, the second section is not read */
    expect_int(g, 1, 2, 44927);     /* custom 14 overrides the built-in date */
    expect_int(g, 1, 3, 44927);
    expect_int(g, 1, 4, 5);         /* style index beyond cellXfs */
    cr_assert_eq(at(g, 1, 5)->type, SHEET_ERROR); /* beyond year 9999 */
    cr_assert_str_eq(at(g, 1, 5)->text, "#VALUE!");
    expect_time(g, 2, 0, 18690LL * DAY_US + (5 * 3600 + 6 * 60 + 7) * 1000000LL);
    expect_time(g, 2, 1, 18690LL * DAY_US);
    expect_time(g, 2, 2, D2023_01_01 + 1000000LL); /* rounded to the millisecond */
    /* elapsed-time formats: a duration from 1899-12-30, no 1900 leap-day shift */
    expect_time(g, 2, 3, -25569LL * DAY_US + 36 * HOUR_US);
    expect_time(g, 2, 4, (-25569LL + 70) * DAY_US);
    sheet_book_free(b);
}

Test(sheet_xlsx, dates_1904_system) {
    const char *rows = "<row><c s=\"1\"><v>43465</v></c><c s=\"1\"><v>1</v></c><c s=\"1\"><v>59</v></c>"
                       "<c s=\"2\"><v>0.5</v></c><c><v>43465</v></c></row>";
    sheet_book *b;
    const sheet_grid *g = one_sheet(rows, NULL, STYLES, true, &b);
    cr_assert_eq(g->nrows, 1);
    cr_assert_eq(g->ncols, 5);
    expect_time(g, 0, 0, D2023_01_01);
    expect_time(g, 0, 1, -24106LL * DAY_US);      /* 1904-01-02 */
    expect_time(g, 0, 2, (-24107LL + 59) * DAY_US); /* no 1900 leap-year shift */
    expect_time(g, 0, 3, -25569LL * DAY_US + 12 * HOUR_US);
    expect_int(g, 0, 4, 43465);
    sheet_book_free(b);
}

Test(sheet_xlsx, sparse_cells_and_trimming) {
    const char *rows = "<row r=\"2\"><c r=\"B2\"><v>1</v></c><c r=\"H2\" t=\"inlineStr\"><is><t></t></is></c></row>"
                       "<row r=\"5\"><c r=\"D5\" t=\"inlineStr\"><is><t>x</t></is></c><c r=\"F5\" s=\"1\"/>"
                       "<c r=\"G5\" t=\"str\"><v></v></c></row>"
                       "<row r=\"9\"><c r=\"A9\" s=\"1\"/></row><row r=\"12\"/>";
    sheet_book *b;
    const sheet_grid *g = one_sheet(rows, NULL, STYLES, false, &b);
    cr_assert_eq(g->nrows, 5);
    cr_assert_eq(g->ncols, 4);
    expect_empty(g, 0, 0);
    expect_empty(g, 1, 0);
    expect_int(g, 1, 1, 1);
    expect_empty(g, 2, 3);
    expect_str(g, 4, 3, "x");
    sheet_book_free(b);
}

Test(sheet_xlsx, missing_references_count_on) {
    const char *rows = "<row><c><v>1</v></c><c><v>2</v></c><c r=\"$e$01\"><v>5</v></c><c><v>6</v></c></row>"
                       "<row><c r=\"B7\"><v>7</v></c></row>"; /* the cell's own row number is not used */
    sheet_book *b;
    const sheet_grid *g = one_sheet(rows, NULL, NULL, false, &b);
    cr_assert_eq(g->nrows, 2);
    cr_assert_eq(g->ncols, 6);
    expect_int(g, 0, 0, 1);
    expect_int(g, 0, 1, 2);
    expect_empty(g, 0, 2);
    expect_int(g, 0, 4, 5);
    expect_int(g, 0, 5, 6);
    expect_int(g, 1, 1, 7);
    sheet_book_free(b);
}

Test(sheet_xlsx, rows_going_back_and_cells_out_of_order) {
    const char *rows = "<row r=\"3\"><c r=\"C3\"><v>1</v></c><c r=\"A3\"><v>2</v></c></row>"
                       "<row r=\"2\"><c r=\"A2\"><v>3</v></c></row>"
                       "<row r=\"4\"><c r=\"B4\"><v>4</v></c><c r=\"B4\"><v>5</v></c></row>";
    sheet_book *b;
    const sheet_grid *g = one_sheet(rows, NULL, NULL, false, &b);
    cr_assert_eq(g->nrows, 4);
    cr_assert_eq(g->ncols, 2);
    expect_empty(g, 1, 0); /* row 2 came after row 3: dropped */
    expect_int(g, 2, 0, 2);
    expect_empty(g, 2, 1); /* C3: beyond the row's last cell element A3 */
    expect_int(g, 3, 1, 5);
    sheet_book_free(b);
}

Test(sheet_xlsx, empty_sheet) {
    sheet_book *b;
    const sheet_grid *g = one_sheet("", NULL, NULL, false, &b);
    cr_assert_eq(g->nrows, 0);
    cr_assert_eq(g->ncols, 0);
    sheet_book_free(b);
    g = one_sheet("<row r=\"1\"><c r=\"A1\"/></row>", NULL, NULL, false, &b);
    cr_assert_eq(g->nrows, 0);
    sheet_book_free(b);
}

Test(sheet_xlsx, sheets_in_workbook_order) {
    sheet_def s[] = {{"Zeta", "<row><c t=\"inlineStr\"><is><t>z</t></is></c></row>"},
                     {"Alpha &amp; \xc3\xa9", "<row><c><v>1</v></c><c><v>2</v></c></row>"},
                     {"Hidden", ""}};
    book_def d = {s, 3, NULL, NULL, false};
    size_t len;
    char *zip = build_book(&d, &len);
    sheet_book *b = open_ok(zip, len);
    free(zip);
    cr_assert_eq(sheet_book_count(b), 3);
    cr_assert_str_eq(sheet_book_name(b, 0), "Zeta");
    cr_assert_str_eq(sheet_book_name(b, 1), "Alpha & \xc3\xa9");
    cr_assert_str_eq(sheet_book_name(b, 2), "Hidden");
    cr_assert_null(sheet_book_name(b, 3));
    const sheet_grid *g1 = grid_ok(b, 1), *g0 = grid_ok(b, 0);
    expect_str(g0, 0, 0, "z");
    cr_assert_eq(g1->ncols, 2);
    expect_int(g1, 0, 1, 2);
    const sheet_grid *g = (const sheet_grid *)1;
    char err[128];
    cr_assert_eq(sheet_book_grid(b, 3, &g, err, sizeof err), -1);
    cr_assert_null(g);
    sheet_book_free(b);
}

/* Parts at other places, prefixed namespaces, absolute and ../ targets. */
Test(sheet_xlsx, relationship_targets_and_prefixes) {
    part parts[] = {
        {"[Content_Types].xml",
         "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
         "<Override PartName=\"/book/main.xml\" "
         "ContentType=\"application/vnd.ms-excel.sheet.macroEnabled.main+xml\"/></Types>"},
        {"book/main.xml",
         "<x:workbook xmlns:x=\"" MAIN_NS "\" xmlns:rel=\"" REL_NS "\"><x:sheets>"
         "<x:sheet name=\"One\" rel:id=\"a\"/><x:sheet name=\"NoId\"/><x:sheet name=\"Gone\" rel:id=\"c\"/>"
         "<x:sheet name=\"Two\" rel:id=\"b\"/></x:sheets></x:workbook>"},
        {"book/_rels/main.xml.rels",
         "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
         "<Relationship Id=\"a\" Type=\"" WS_TYPE "\" Target=\"/sheets/one.xml\"/>"
         "<Relationship Id=\"b\" Type=\"" WS_TYPE "\" Target=\"./../sheets/./two.xml\"/>"
         "<Relationship Id=\"c\" Type=\"" WS_TYPE "\" Target=\"missing.xml\"/></Relationships>"},
        {"sheets/one.xml", "<x:worksheet xmlns:x=\"" MAIN_NS "\"><x:sheetData><x:row><x:c><x:v>1</x:v></x:c>"
                           "</x:row></x:sheetData></x:worksheet>"},
        {"sheets/two.xml", "<worksheet xmlns=\"" MAIN_NS "\"><sheetData><row><c><v>2</v></c></row></sheetData>"
                           "</worksheet>"},
    };
    size_t len;
    char *zip = zip_parts(parts, COUNT(parts), &len);
    sheet_book *b = open_ok(zip, len);
    free(zip);
    cr_assert_eq(sheet_book_count(b), 2);
    cr_assert_str_eq(sheet_book_name(b, 0), "One");
    cr_assert_str_eq(sheet_book_name(b, 1), "Two");
    expect_int(grid_ok(b, 0), 0, 0, 1);
    expect_int(grid_ok(b, 1), 0, 0, 2);
    sheet_book_free(b);
}

/* ---- cell typing rules ------------------------------------------------ */

Test(sheet_rules, date_formats) {
    static const struct {
        const char *fmt;
        int date;
    } CASES[] = {
        {"yyyy-mm-dd", 1}, {"d/m/yy", 1},        {"h:mm AM/PM", 1},    {"[h]:mm:ss", 1},  {"[mm]:ss", 1},
        {"mmm-yy", 1},     {"[$-409]d-mmm", 1},  {"YYYY", 1},          {"0.00", 0},       {"General", 0},
        {"@", 0},          {"\"day\"0", 0},      {"[Red]0.00", 0},     {"#,##0_);[Red](#,##0)", 0},
        {"0_m", 0},        {"\\d0", 0},          {"0;dd", 0},          {"[$-F800]0", 0},  {"\"unclosed d", 1},
        {"[unclosed d", 1}, {"0.00E+00", 0},     {"", 0},
    };
    for (size_t k = 0; k < COUNT(CASES); k++)
        cr_assert_eq(sheet_numfmt_is_date(CASES[k].fmt), CASES[k].date, "%s", CASES[k].fmt);
    cr_assert_not(sheet_numfmt_is_date(NULL));
    static const struct {
        const char *fmt;
        int elapsed;
    } ELAPSED[] = {{"[h]:mm:ss", 1}, {"[HH]:mm", 1}, {"[ss].00", 1}, {"mm:ss", 0}, {"h:mm", 0}, {"0;[h]", 0},
                   {"[hhh]", 0}};
    for (size_t k = 0; k < COUNT(ELAPSED); k++)
        cr_assert_eq(sheet_numfmt_is_elapsed(ELAPSED[k].fmt), ELAPSED[k].elapsed, "%s", ELAPSED[k].fmt);
    cr_assert_not(sheet_numfmt_is_elapsed(NULL));
    for (long id = 0; id < 200; id++)
        cr_assert_eq(sheet_numfmt_builtin_is_date(id), (id >= 14 && id <= 22) || (id >= 45 && id <= 47), "%ld", id);
}

Test(sheet_rules, serial_dates) {
    int64_t us;
    cr_assert_eq(sheet_serial_to_epoch_us(25569, 0, &us), 0);
    cr_assert_eq(us, 0);
    cr_assert_eq(sheet_serial_to_epoch_us(24107, 1, &us), 0);
    cr_assert_eq(us, 0);
    cr_assert_eq(sheet_serial_to_epoch_us(25569.5, 0, &us), 0);
    cr_assert_eq(us, 12 * HOUR_US);
    cr_assert_eq(sheet_serial_to_epoch_us(0, 0, &us), 0);
    cr_assert_eq(us, -25569LL * DAY_US);
    cr_assert_eq(sheet_serial_to_epoch_us(0.99999999999, 0, &us), 0); /* rounds up to midnight, then shifted */
    cr_assert_eq(us, -25567LL * DAY_US);
    cr_assert_eq(sheet_serial_to_epoch_us(-1.5, 0, &us), 0); /* as Python's divmod: day -2, half a day */
    cr_assert_eq(us, (-25569LL - 2) * DAY_US + 12 * HOUR_US);
    cr_assert_eq(sheet_serial_to_epoch_us(2958465, 0, &us), 0); /* 9999-12-31 */
    cr_assert_eq(sheet_serial_to_epoch_us(2958466, 0, &us), -1);
    cr_assert_eq(sheet_serial_to_epoch_us(-693594, 0, &us), -1);
    cr_assert_eq(sheet_serial_to_epoch_us(1e300, 0, &us), -1);
    cr_assert_eq(sheet_serial_to_epoch_us(0.0 / 0.0, 0, &us), -1);
}

Test(sheet_rules, iso8601) {
    int64_t us;
    cr_assert_eq(sheet_iso8601_to_epoch_us("1970-01-01", &us), 0);
    cr_assert_eq(us, 0);
    cr_assert_eq(sheet_iso8601_to_epoch_us("2023-01-01T12:00:00.250Z", &us), 0);
    cr_assert_eq(us, D2023_01_01 + 12 * HOUR_US + 250000);
    cr_assert_eq(sheet_iso8601_to_epoch_us("2023-01-01 00:01", &us), 0);
    cr_assert_eq(us, D2023_01_01 + 60000000LL);
    cr_assert_eq(sheet_iso8601_to_epoch_us("06:00:00", &us), 0);
    cr_assert_eq(us, -25569LL * DAY_US + 6 * HOUR_US);
    cr_assert_eq(sheet_iso8601_to_epoch_us("2024-02-29", &us), 0);
    static const char *const BAD[] = {"", "2023-02-29", "2023-13-01", "2023-1-01", "25:00", "2023-01-01T1",
                                      "12:60", "x", "2023-01-01Zx", "T", "0000-01-01"};
    for (size_t k = 0; k < COUNT(BAD); k++) cr_assert_eq(sheet_iso8601_to_epoch_us(BAD[k], &us), -1, "%s", BAD[k]);
}

/* ---- malformed and hostile input --------------------------------------- */

Test(sheet_errors, not_a_workbook) {
    expect_open_error("hello, world", 12, "not a recognised Excel workbook");
    expect_open_error("", 0, "not a recognised Excel workbook");
    expect_open_error(NULL, 0, "not a recognised Excel workbook");
    expect_open_error("PK\x03\x04garbage-garbage-garbage", 27, "not a zip file");
    cr_assert_null(sheet_detect_format("PK", 2));
    cr_assert_str_eq(sheet_detect_format("PK\x03\x04", 4), "xlsx");
}

static void expect_book_error(const book_def *d, const char *drop, const char *replace, const char *with,
                              const char *needle) {
    part parts[32];
    char *owned[32] = {0};
    size_t n = book_parts(d, parts, owned);
    for (size_t k = 0; k < n; k++) {
        if (drop && !strcmp(parts[k].name, drop)) parts[k].data = NULL;
        if (replace && !strcmp(parts[k].name, replace)) parts[k].data = with;
    }
    size_t len;
    char *zip = zip_parts(parts, n, &len);
    free_parts(parts, owned, n);
    expect_open_error(zip, len, needle);
    free(zip);
}

Test(sheet_errors, missing_and_broken_parts) {
    sheet_def s = {"S", "<row><c><v>1</v></c></row>"};
    book_def d = {&s, 1, "<si><t>a</t></si>", "<cellXfs><xf numFmtId=\"14\"/></cellXfs>", false};
    expect_book_error(&d, "[Content_Types].xml", NULL, NULL, "[Content_Types].xml is missing");
    expect_book_error(&d, "xl/workbook.xml", NULL, NULL, "xl/workbook.xml");
    expect_book_error(&d, "xl/_rels/workbook.xml.rels", NULL, NULL, "xl/_rels/workbook.xml.rels");
    expect_book_error(&d, "xl/sharedStrings.xml", NULL, NULL, "xl/sharedStrings.xml");
    expect_book_error(&d, NULL, "[Content_Types].xml", "<Types/>", "no valid workbook part");
    expect_book_error(&d, NULL, "xl/workbook.xml", "<workbook><sheets><sheet name=\"x\"></workbook>", "not valid XML");
    expect_book_error(&d, NULL, "xl/sharedStrings.xml", "<sst><si><t>a</t></si>", "not valid XML");
    expect_book_error(&d, NULL, "xl/styles.xml", "<styleSheet>&undefined;</styleSheet>", "not valid XML");
    expect_book_error(&d, NULL, "xl/styles.xml", "<styleSheet><cellXfs><xf numFmtId=\"x\"/></cellXfs></styleSheet>",
                      "invalid numFmtId");
    expect_book_error(&d, NULL, "xl/workbook.xml", " ", "not valid XML");
    expect_book_error(&d, NULL, "xl/workbook.xml",
                      "<workbook xmlns:r=\"" REL_NS "\"><sheets><sheet name=\"x\" r:id=\"rId9\"/></sheets></workbook>",
                      "unknown relationship");
    expect_book_error(&d, NULL, "xl/workbook.xml", "<workbook><sheets><sheet/></sheets></workbook>", "no name");
    expect_book_error(&d, NULL, "xl/workbook.xml",
                      "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]>"
                      "<workbook><sheets><sheet name=\"&lol2;\"/></sheets></workbook>",
                      "document type declarations are not allowed");
}

Test(sheet_errors, too_many_number_formats) {
    strbuf_t sb;
    strbuf_init(&sb, 1 << 16);
    strbuf_puts(&sb, "<styleSheet><numFmts>");
    for (int k = 0; k < 4097; k++) strbuf_printf(&sb, "<numFmt numFmtId=\"%d\" formatCode=\"0\"/>", 164 + k);
    strbuf_puts(&sb, "</numFmts></styleSheet>");
    sheet_def s = {"S", ""};
    book_def d = {&s, 1, NULL, "<cellXfs/>", false};
    expect_book_error(&d, NULL, "xl/styles.xml", sb.data, "more than 4096 number formats");
    strbuf_free(&sb);
}

Test(sheet_errors, deep_nesting_is_refused) {
    strbuf_t sb;
    strbuf_init(&sb, 8192);
    strbuf_puts(&sb, "<styleSheet>");
    for (int k = 0; k < 5000; k++) strbuf_puts(&sb, "<a>");
    sheet_def s = {"S", ""};
    book_def d = {&s, 1, NULL, NULL, false};
    expect_book_error(&d, NULL, "xl/workbook.xml", sb.data, "nested deeper");
    strbuf_free(&sb);
}

Test(sheet_errors, bad_cells) {
    expect_grid_error("<row><c><v>abc</v></c></row>", NULL, "cell A1: invalid number 'abc'");
    expect_grid_error("<row><c><v>0x10</v></c></row>", NULL, "invalid number");
    expect_grid_error("<row><c><v>nan</v></c></row>", NULL, "invalid number");
    expect_grid_error("<row r=\"4\"><c r=\"C4\" t=\"s\"><v>1</v></c></row>", "<si><t>a</t></si>",
                      "cell C4: invalid shared string index '1'");
    expect_grid_error("<row><c t=\"s\"><v>-1</v></c></row>", "<si><t>a</t></si>", "invalid shared string index");
    expect_grid_error("<row><c t=\"s\"><v>0</v></c></row>", NULL, "invalid shared string index");
    expect_grid_error("<row><c t=\"b\"><v>TRUE</v></c></row>", NULL, "invalid boolean");
    expect_grid_error("<row><c t=\"d\"><v>yesterday</v></c></row>", NULL, "invalid date");
    expect_grid_error("<row><c s=\"x\"><v>1</v></c></row>", NULL, "invalid style index");
    expect_grid_error("<row><c r=\"1A\"><v>1</v></c></row>", NULL, "invalid cell reference");
    expect_grid_error("<row><c r=\"A0\"><v>1</v></c></row>", NULL, "invalid cell reference");
    expect_grid_error("<row><c r=\"A00\"><v>1</v></c></row>", NULL, "invalid cell reference");
    expect_grid_error("<row><c r=\"A\"><v>1</v></c></row>", NULL, "invalid cell reference");
    expect_grid_error("<row><c r=\"ABCD1\"><v>1</v></c></row>", NULL, "invalid cell reference");
    expect_grid_error("<row r=\"x\"/>", NULL, "invalid row number");
    /* values quoted in messages are cut to 40 bytes on a character boundary */
    expect_grid_error("<row><c><v>1\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                      "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                      "</v></c></row>",
                      NULL, "invalid number '1\xc3\xa9");
    expect_grid_error("<row><c><v>1</v></row>", NULL, "not valid XML");
    expect_grid_error("<row><c><v>1</v></c></row><bad attr=></bad>", NULL, "not valid XML");
}

Test(sheet_errors, huge_dimensions) {
    /* the dimension element is ignored (pandas resets it); the cells decide */
    sheet_book *b;
    const sheet_grid *g = one_sheet("<row><c><v>1</v></c></row>", NULL, NULL, false, &b);
    cr_assert_eq(g->nrows, 1);
    sheet_book_free(b);
    expect_grid_error("<row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row>", NULL,
                      "column 16385 is beyond the 16384 columns");
    expect_grid_error("<row r=\"1\"><c r=\"XFD1\"><v>1</v></c><c><v>2</v></c></row>", NULL, "column 16385 is beyond");
    expect_grid_error("<row r=\"1048577\"><c><v>1</v></c></row>", NULL, "beyond the 1048576 rows");
    expect_grid_error("<row r=\"99999999999999999999\"/>", NULL, "beyond the 1048576 rows");
    expect_grid_error("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"
                      "<row r=\"1048576\"><c r=\"XFD1048576\"><v>1</v></c></row>",
                      NULL, "more than 4000000 cells");
    /* at the sheet's far corner on its own: a 1 x 1 value but a huge grid */
    expect_grid_error("<row r=\"1048576\"><c r=\"XFD1048576\"><v>1</v></c></row>", NULL, "more than 4000000 cells");
}

Test(sheet_errors, chart_sheets_have_no_cells) {
    part parts[] = {
        {"[Content_Types].xml", CONTENT_TYPES},
        {"xl/workbook.xml", "<workbook xmlns:r=\"" REL_NS "\"><sheets><sheet name=\"Chart1\" r:id=\"c\"/>"
                            "</sheets></workbook>"},
        {"xl/_rels/workbook.xml.rels",
         "<Relationships><Relationship Id=\"c\" Type=\"" REL_NS "/chartsheet\" Target=\"chartsheets/sheet1.xml\"/>"
         "</Relationships>"},
        {"xl/chartsheets/sheet1.xml", "<chartsheet/>"},
    };
    size_t len;
    char *zip = zip_parts(parts, COUNT(parts), &len);
    sheet_book *b = open_ok(zip, len);
    free(zip);
    cr_assert_eq(sheet_book_count(b), 1);
    const sheet_grid *g;
    char err[200];
    cr_assert_eq(sheet_book_grid(b, 0, &g, err, sizeof err), -1);
    cr_assert(strstr(err, "chart sheet"), "%s", err);
    sheet_book_free(b);
}

Test(sheet_errors, truncated_archive) {
    sheet_def s = {"S", "<row><c><v>1</v></c></row>"};
    book_def d = {&s, 1, NULL, NULL, false};
    size_t len;
    char *zip = build_book(&d, &len);
    for (size_t cut = 4; cut < len; cut += 7) {
        sheet_book *b = NULL;
        char err[256] = "";
        if (sheet_book_open(zip, cut, &b, err, sizeof err) == 0) {
            const sheet_grid *g;
            sheet_book_grid(b, 0, &g, err, sizeof err);
            sheet_book_free(b);
        } else {
            cr_assert_neq(err[0], 0);
        }
    }
    free(zip);
}

/* ---- .xls ---------------------------------------------------------------- */

Test(sheet_xls, detection_and_errors) {
    static const char OLE[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    cr_assert_str_eq(sheet_detect_format(OLE, 8), "xls");
    cr_assert_null(sheet_detect_format(OLE, 7));
    cr_assert_str_eq(sheet_detect_format("\x09\x04\x06\x00\x00\x00\x10\x00", 8), "xls"); /* bare BIFF4 */
    cr_assert_null(sheet_detect_format("\x09\x04\x06\x00\x00\x00\x20\x00", 8));
    expect_open_error("\x09\x00\x04\x00\x07\x00\x10\x00", 8, "Excel 97-2003 workbook could not be read");
    expect_open_error(OLE, 8, "Excel 97-2003 workbook could not be read");
    /* a 512-byte OLE2 header with nothing behind it, and random sectors */
    unsigned char buf[4096];
    uint64_t st = 12345;
    for (size_t k = 0; k < sizeof buf; k++) {
        st = st * 6364136223846793005ULL + 1442695040888963407ULL;
        buf[k] = (unsigned char)(st >> 56);
    }
    memcpy(buf, OLE, 8);
    expect_open_error(buf, 512, "Excel 97-2003 workbook could not be read");
    expect_open_error(buf, sizeof buf, "Excel 97-2003 workbook could not be read");
}

/* A message cut by a small buffer still ends on a character boundary. */
Test(sheet_errors, short_buffers_keep_utf8) {
    sheet_def s = {"\xc3\xa9\xc3\xa9\xc3\xa9", "<row><c><v>x</v></c></row>"};
    book_def d = {&s, 1, NULL, NULL, false};
    size_t len;
    char *zip = build_book(&d, &len);
    sheet_book *b = open_ok(zip, len);
    free(zip);
    const sheet_grid *g;
    char small[15];
    cr_assert_eq(sheet_book_grid(b, 0, &g, small, sizeof small), -1);
    cr_assert_str_eq(small, "Worksheet '\xc3\xa9"); /* the second é is cut after its first byte: dropped */
    expect_utf8(small);
    sheet_book_free(b);
}

/* A BIFF8 workbook in an OLE2 container, written record by record: two
 * worksheets, shared strings, built-in and custom date formats. */
static void put16(strbuf_t *s, unsigned v) { strbuf_append(s, (unsigned char[]){v & 0xff, (v >> 8) & 0xff}, 2); }
static void put32(strbuf_t *s, uint32_t v) { put16(s, v & 0xffff), put16(s, v >> 16); }
static void put_double(strbuf_t *s, double d) {
    uint64_t u;
    memcpy(&u, &d, 8);
    put32(s, (uint32_t)u), put32(s, (uint32_t)(u >> 32));
}

static void record(strbuf_t *s, unsigned type, const strbuf_t *body) {
    put16(s, type), put16(s, (unsigned)body->len);
    strbuf_append(s, body->data, body->len);
}

/* Cell records start with row, column and XF index. */
static void cell_head(strbuf_t *b, unsigned row, unsigned col, unsigned xf) {
    strbuf_clear(b);
    put16(b, row), put16(b, col), put16(b, xf);
}

static void biff_bof(strbuf_t *s, unsigned kind) {
    strbuf_t b;
    strbuf_init(&b, 16);
    put16(&b, 0x0600), put16(&b, kind), put16(&b, 0x0DBB), put16(&b, 0x07CC), put32(&b, 0), put32(&b, 6);
    record(s, 0x0809, &b);
    strbuf_free(&b);
}

static void biff_dimension(strbuf_t *s, unsigned rows, unsigned cols) {
    strbuf_t b;
    strbuf_init(&b, 16);
    put32(&b, 0), put32(&b, rows), put16(&b, 0), put16(&b, cols), put16(&b, 0);
    record(s, 0x0200, &b);
    strbuf_free(&b);
}

static char *build_xls(size_t *len) {
    static const char *const SST[] = {"alpha", "\xc3\xa9t\xc3\xa9"};
    static const unsigned XF_FORMATS[] = {0, 14, 22, 164, 20};
    strbuf_t s, b;
    strbuf_init(&s, 2048);
    strbuf_init(&b, 256);
    size_t sheet_pos[2];
    biff_bof(&s, 0x0005);
    strbuf_clear(&b), put16(&b, 1200), record(&s, 0x0042, &b); /* CODEPAGE: UTF-16 */
    strbuf_clear(&b), put16(&b, 0), record(&s, 0x0022, &b);    /* DATEMODE: 1900 */
    strbuf_clear(&b), put16(&b, 164), put16(&b, 10), strbuf_putc(&b, 0), strbuf_puts(&b, "yyyy-mm-dd");
    record(&s, 0x041E, &b); /* FORMAT */
    for (size_t k = 0; k < COUNT(XF_FORMATS); k++) {
        strbuf_clear(&b), put16(&b, 0), put16(&b, XF_FORMATS[k]);
        for (int z = 0; z < 16; z++) strbuf_putc(&b, 0);
        record(&s, 0x00E0, &b);
    }
    for (int k = 0; k < 2; k++) {
        const char *name = k ? "Second" : "First";
        strbuf_clear(&b), put32(&b, 0), strbuf_putc(&b, 0), strbuf_putc(&b, 0);
        strbuf_putc(&b, (char)strlen(name)), strbuf_putc(&b, 0), strbuf_puts(&b, name);
        sheet_pos[k] = s.len + 4; /* where the sheet's stream offset goes */
        record(&s, 0x0085, &b);   /* BOUNDSHEET */
    }
    strbuf_clear(&b), put32(&b, 2), put32(&b, 2);
    for (size_t k = 0; k < COUNT(SST); k++) { /* UTF-16 strings */
        size_t n = k ? 3 : 5;
        put16(&b, (unsigned)n), strbuf_putc(&b, 1);
        if (k) put16(&b, 0xe9), put16(&b, 't'), put16(&b, 0xe9);
        else for (size_t c = 0; c < n; c++) put16(&b, (unsigned char)SST[k][c]);
    }
    record(&s, 0x00FC, &b); /* SST */
    strbuf_clear(&b), record(&s, 0x000A, &b);
    /* first sheet: 3 rows x 4 columns */
    uint32_t off = (uint32_t)s.len;
    memcpy(s.data + sheet_pos[0], (unsigned char[]){off & 0xff, (off >> 8) & 0xff, (off >> 16) & 0xff, off >> 24}, 4);
    biff_bof(&s, 0x0010);
    biff_dimension(&s, 3, 4);
    cell_head(&b, 0, 0, 0), put32(&b, 0), record(&s, 0x00FD, &b);           /* LABELSST "alpha" */
    cell_head(&b, 0, 1, 0), put32(&b, 1), record(&s, 0x00FD, &b);           /* LABELSST "été" */
    cell_head(&b, 0, 2, 0), put_double(&b, 42.0), record(&s, 0x0203, &b);   /* NUMBER, integral */
    cell_head(&b, 0, 3, 0), put_double(&b, 2.5), record(&s, 0x0203, &b);    /* NUMBER */
    cell_head(&b, 1, 0, 1), put_double(&b, 44927), record(&s, 0x0203, &b);  /* date */
    cell_head(&b, 1, 1, 2), put_double(&b, 44927.5), record(&s, 0x0203, &b); /* datetime */
    cell_head(&b, 1, 2, 3), put_double(&b, 44928), record(&s, 0x0203, &b);  /* custom date */
    cell_head(&b, 1, 3, 4), put_double(&b, 0.75), record(&s, 0x0203, &b);   /* time */
    cell_head(&b, 2, 0, 0), put32(&b, (7u << 2) | 2u), record(&s, 0x027E, &b); /* RK integer 7 */
    cell_head(&b, 2, 1, 0), strbuf_putc(&b, 1), strbuf_putc(&b, 0), record(&s, 0x0205, &b); /* BOOLERR true */
    strbuf_clear(&b), record(&s, 0x000A, &b);
    /* second sheet: one value at B2 */
    off = (uint32_t)s.len;
    memcpy(s.data + sheet_pos[1], (unsigned char[]){off & 0xff, (off >> 8) & 0xff, (off >> 16) & 0xff, off >> 24}, 4);
    biff_bof(&s, 0x0010);
    biff_dimension(&s, 2, 2);
    cell_head(&b, 1, 1, 0), put_double(&b, -1.25), record(&s, 0x0203, &b);
    strbuf_clear(&b), record(&s, 0x000A, &b);
    strbuf_free(&b);

    /* OLE2: header, FAT (sector 0), directory (sector 1), stream (sectors 2..) */
    size_t nsect = (s.len + 511) / 512;
    strbuf_t f;
    strbuf_init(&f, 512 * (nsect + 3));
    strbuf_append(&f, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
    for (int z = 0; z < 16; z++) strbuf_putc(&f, 0);
    put16(&f, 0x3E), put16(&f, 3), put16(&f, 0xFFFE), put16(&f, 9), put16(&f, 6), put16(&f, 0), put32(&f, 0);
    put32(&f, 0), put32(&f, 1), put32(&f, 1), put32(&f, 0), put32(&f, 4096);
    put32(&f, 0xFFFFFFFE), put32(&f, 0), put32(&f, 0xFFFFFFFE), put32(&f, 0);
    put32(&f, 0);
    for (int k = 1; k < 109; k++) put32(&f, 0xFFFFFFFF);
    put32(&f, 0xFFFFFFFD), put32(&f, 0xFFFFFFFE);
    for (size_t k = 0; k < nsect; k++) put32(&f, k + 1 < nsect ? (uint32_t)(k + 3) : 0xFFFFFFFE);
    for (size_t k = 2 + nsect; k < 128; k++) put32(&f, 0xFFFFFFFF);
    static const char *const ENTRIES[] = {"Root Entry", "Workbook"};
    for (int e = 0; e < 4; e++) {
        size_t start = f.len;
        const char *name = e < 2 ? ENTRIES[e] : "";
        for (size_t c = 0; c < 32; c++) put16(&f, c < strlen(name) ? (unsigned char)name[c] : 0);
        put16(&f, *name ? (unsigned)(strlen(name) + 1) * 2 : 0);
        strbuf_putc(&f, e == 0 ? 5 : e == 1 ? 2 : 0), strbuf_putc(&f, 1);
        put32(&f, 0xFFFFFFFF), put32(&f, 0xFFFFFFFF), put32(&f, e == 0 ? 1 : 0xFFFFFFFF);
        while (f.len < start + 116) strbuf_putc(&f, 0);
        put32(&f, e == 1 ? 2 : 0xFFFFFFFE), put32(&f, e == 1 ? (uint32_t)s.len : 0), put32(&f, 0);
    }
    strbuf_append(&f, s.data, s.len);
    while (f.len % 512) strbuf_putc(&f, 0);
    strbuf_free(&s);
    *len = f.len;
    return f.data;
}

Test(sheet_xls, biff8_workbook) {
    size_t len;
    char *xls = build_xls(&len);
    cr_assert_str_eq(sheet_detect_format(xls, len), "xls");
    sheet_book *b = open_ok(xls, len);
    cr_assert_str_eq(sheet_book_format(b), "xls");
    cr_assert_eq(sheet_book_count(b), 2);
    cr_assert_str_eq(sheet_book_name(b, 0), "First");
    cr_assert_str_eq(sheet_book_name(b, 1), "Second");
    const sheet_grid *g = grid_ok(b, 0);
    cr_assert_eq(g->nrows, 3);
    cr_assert_eq(g->ncols, 4);
    expect_str(g, 0, 0, "alpha");
    expect_str(g, 0, 1, "\xc3\xa9t\xc3\xa9");
    expect_int(g, 0, 2, 42);
    expect_float(g, 0, 3, 2.5);
    expect_time(g, 1, 0, D2023_01_01);
    expect_time(g, 1, 1, D2023_01_01 + 12 * HOUR_US);
    expect_time(g, 1, 2, D2023_01_01 + DAY_US);
    expect_time(g, 1, 3, -25569LL * DAY_US + 18 * HOUR_US); /* freexl gives the time alone */
    expect_int(g, 2, 0, 7);
    expect_int(g, 2, 1, 1); /* freexl: a boolean is an integer */
    expect_empty(g, 2, 2);
    g = grid_ok(b, 1);
    cr_assert_eq(g->nrows, 2);
    cr_assert_eq(g->ncols, 2);
    expect_empty(g, 0, 0);
    expect_float(g, 1, 1, -1.25);
    sheet_book_free(b);
    /* a directory entry whose name claims 65520 bytes: freexl reads far past
     * its 64-byte buffer (a crash, or garbage), in the reading process only */
    char *bad = malloc(len);
    memcpy(bad, xls, len);
    bad[512 * 2 + 128 + 64] = (char)0xF0, bad[512 * 2 + 128 + 65] = (char)0xFF;
    expect_open_error(bad, len, "Excel 97-2003 workbook could not be read");
    free(bad);
    /* cut short: a clean error, never a crash */
    for (size_t cut = 8; cut < len; cut += 127) {
        sheet_book *t = NULL;
        char err[256] = "";
        if (sheet_book_open(xls, cut, &t, err, sizeof err) != 0) cr_assert_neq(err[0], 0);
        for (size_t i = 0; t && i < sheet_book_count(t); i++) {
            const sheet_grid *tg;
            sheet_book_grid(t, i, &tg, err, sizeof err);
        }
        sheet_book_free(t);
    }
    free(xls);
}

/* Several threads reading at once (as the offload pool does): every reader
 * process must end and report on its own pipe. */
typedef struct {
    const char *data;
    size_t len;
    int ok;
} xls_job;

static void *read_xls_job(void *arg) {
    xls_job *j = arg;
    for (int k = 0; k < 4; k++) {
        sheet_book *b = NULL;
        char err[256];
        const sheet_grid *g;
        bool ok = sheet_book_open(j->data, j->len, &b, err, sizeof err) == 0 &&
                  sheet_book_grid(b, 1, &g, err, sizeof err) == 0 && g->nrows == 2 && g->cells[3].type == SHEET_FLOAT;
        j->ok += ok;
        sheet_book_free(b);
    }
    return NULL;
}

Test(sheet_xls, concurrent_readers, .timeout = 60) {
    size_t len;
    char *xls = build_xls(&len);
    pthread_t t[4];
    xls_job jobs[4];
    for (int k = 0; k < 4; k++) {
        jobs[k] = (xls_job){xls, len, 0};
        cr_assert_eq(pthread_create(&t[k], NULL, read_xls_job, &jobs[k]), 0);
    }
    for (int k = 0; k < 4; k++) {
        pthread_join(t[k], NULL);
        cr_assert_eq(jobs[k].ok, 4, "thread %d: %d of 4", k, jobs[k].ok);
    }
    free(xls);
}

/* ---- fuzz ------------------------------------------------------------------ */

static uint64_t rng_state;

static uint64_t rng(void) { /* xorshift64* */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ULL;
}

static size_t rnd(size_t n) { return (size_t)(rng() % n); }

static const char *const PIECES[] = {
    "<", ">", "/", "\"", "=", "&", ";", "<c>", "</c>", "<v>", "</v>", "<row>", "</row>", "r=\"ZZ9\"", " t=\"s\"",
    " t=\"b\"", " t=\"d\"", " t=\"e\"", " s=\"1\"", "<is><t>", "</t></is>", "99999999", "-1", ".5", "E9", "\xff",
    "\xc3\xa9", "<![CDATA[x]]>", "&amp;", "&#0;", "<?x?>", "<!--", "-->", "<si>", "</si>", "XFD1048576", "\0",
};

static void mutate(strbuf_t *sb, const char *seed, size_t seed_len) {
    strbuf_clear(sb);
    strbuf_append(sb, seed, seed_len);
    size_t edits = 1 + rnd(4);
    for (size_t e = 0; e < edits; e++) {
        size_t pos = sb->len ? rnd(sb->len) : 0, op = rnd(4);
        if (op == 0 && sb->len > 0) {
            size_t n = 1 + rnd(8);
            if (n > sb->len - pos) n = sb->len - pos;
            memmove(sb->data + pos, sb->data + pos + n, sb->len - pos - n + 1);
            sb->len -= n;
        } else if (op == 1) {
            const char *p = PIECES[rnd(COUNT(PIECES))];
            size_t n = strlen(p) ? strlen(p) : 1;
            strbuf_reserve(sb, n);
            memmove(sb->data + pos + n, sb->data + pos, sb->len - pos + 1);
            memcpy(sb->data + pos, p, n);
            sb->len += n;
        } else if (sb->len > 0) {
            sb->data[pos] = op == 2 ? (char)rnd(256) : "<>/\"=&0s1"[rnd(9)];
        }
    }
}

/* Anything goes, except crashing (ASan/UBSan watch), leaking, or an error
 * without a message. Returns 1 when the input parsed all the way. */
static int try_book(const char *data, size_t len) {
    sheet_book *b = NULL;
    char err[256] = "";
    if (sheet_book_open(data, len, &b, err, sizeof err) != 0) {
        cr_assert_neq(err[0], 0);
        expect_utf8(err);
        return 0;
    }
    int ok = 1;
    for (size_t i = 0; i < sheet_book_count(b); i++) {
        const sheet_grid *g = NULL;
        err[0] = 0;
        if (sheet_book_grid(b, i, &g, err, sizeof err) != 0) {
            cr_assert_neq(err[0], 0);
            expect_utf8(err);
            ok = 0;
            continue;
        }
        cr_assert_leq(g->nrows * g->ncols, SHEET_MAX_CELLS);
        for (size_t k = 0; k < g->nrows * g->ncols; k++) {
            const sheet_cell *c = &g->cells[k];
            if (c->type == SHEET_STRING || c->type == SHEET_ERROR) cr_assert_not_null(c->text);
        }
    }
    sheet_book_free(b);
    return ok;
}

Test(sheet_fuzz, mutated_workbooks, .timeout = 120) {
    rng_state = 0x9e3779b97f4a7c15ULL;
    sheet_def s[] = {{"A", "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" s=\"1\"><v>44927.5</v></c>"
                           "<c r=\"C1\" t=\"inlineStr\"><is><r><t>x</t></r></is></c></row>"
                           "<row r=\"3\"><c r=\"B3\" t=\"b\"><v>1</v></c><c r=\"D3\" t=\"e\"><v>#N/A</v></c></row>"},
                     {"B", "<row><c t=\"d\"><v>2020-01-01</v></c><c><v>1.25</v></c></row>"}};
    book_def d = {s, 2, "<si><t>hello</t></si><si><r><t>a</t></r><rPh><t>b</t></rPh></si>",
                  "<numFmts><numFmt numFmtId=\"164\" formatCode=\"yyyy-mm-dd\"/></numFmts>"
                  "<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/></cellXfs>",
                  false};
    part parts[32];
    char *owned[32] = {0};
    size_t n = book_parts(&d, parts, owned);
    size_t zip_len;
    char *zip = zip_parts(parts, n, &zip_len);
    cr_assert_eq(try_book(zip, zip_len), 1);
    strbuf_t sb;
    strbuf_init(&sb, 4096);
    int parsed = 0, refused = 0;
    for (int i = 0; i < 3000; i++) {
        if (i % 3 == 0) { /* the archive's bytes */
            mutate(&sb, zip, zip_len);
            int ok = try_book(sb.data, sb.len);
            parsed += ok, refused += !ok;
            continue;
        }
        /* one XML part's text, in a well-formed archive */
        size_t which = rnd(n);
        part copy[32];
        memcpy(copy, parts, n * sizeof *parts);
        mutate(&sb, parts[which].data, strlen(parts[which].data));
        if (!sb.len) continue; /* zip_parts stores no empty members */
        char *text = malloc(sb.len + 1);
        memcpy(text, sb.data, sb.len + 1);
        for (size_t k = 0; k < sb.len; k++)
            if (!text[k]) text[k] = ' '; /* zip_parts takes C strings */
        copy[which].data = text;
        size_t len;
        char *mz = zip_parts(copy, n, &len);
        int ok = try_book(mz, len);
        parsed += ok, refused += !ok;
        free(mz);
        free(text);
    }
    strbuf_free(&sb);
    free(zip);
    free_parts(parts, owned, n);
    /* The generator must reach both outcomes, or it tests little. */
    cr_assert_gt(parsed, 150, "parsed %d", parsed);
    cr_assert_gt(refused, 1000, "refused %d", refused);
}

Test(sheet_fuzz, mutated_xls, .timeout = 120) {
    rng_state = 0x2545f4914f6cdd1dULL;
    size_t len;
    char *xls = build_xls(&len);
    cr_assert_eq(try_book(xls, len), 1);
    strbuf_t sb;
    strbuf_init(&sb, len + 64);
    int parsed = 0, refused = 0;
    for (int i = 0; i < 150; i++) { /* each open starts a reader process: keep the count modest */
        strbuf_clear(&sb);
        strbuf_append(&sb, xls, len);
        size_t edits = 1 + rnd(4);
        for (size_t e = 0; e < edits; e++) { /* overwrite bytes, keeping the length and the signature */
            size_t pos = 8 + rnd(len - 8);
            sb.data[pos] = rnd(2) ? (char)rnd(256) : (char)(sb.data[pos] ^ (1 << rnd(8)));
        }
        int ok = try_book(sb.data, sb.len);
        parsed += ok, refused += !ok;
    }
    strbuf_free(&sb);
    free(xls);
    cr_assert_gt(parsed, 15, "parsed %d", parsed);
    cr_assert_gt(refused, 15, "refused %d", refused);
}
