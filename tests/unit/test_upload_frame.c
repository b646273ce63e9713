/* Unit tests for the pure upload code: CSV records (quoting, CRLF, blank
 * lines, BOM, UTF-8 errors), the header / skip / row-limit rules and name
 * mangling, pandas-style column typing (ints, floats with NaN, bools,
 * dates with dayfirst, NA values, decimal comma), column_data_types casts
 * and their messages, the index column, COPY rendering and index names. */
#include <criterion/criterion.h>
#include <string.h>

#include "domain/upload_readers.h"
#include "domain/upload_table.h"
#include "lib/arena.h"

static arena_t *M;
static char err[UPLOAD_ERR_LEN];
static void setup(void) {
    M = arena_new(256 * 1024);
    err[0] = '\0';
}
static void teardown(void) { arena_free(M); }

TestSuite(upload_frame, .init = setup, .fini = teardown);

static upload_options_t opts(void) { return (upload_options_t){.delimiter = ",", .decimal = "."}; }

static int frame_of(const char *csv, const upload_options_t *o, upload_frame_t *f) {
    return upload_csv_reader.frame(M, csv, strlen(csv), o, f, err, sizeof err);
}

static const upload_column_t *col(const upload_frame_t *f, const char *name) {
    for (size_t j = 0; j < f->ncols; j++)
        if (!strcmp(f->cols[j].name, name)) return &f->cols[j];
    cr_assert_fail("no column %s", name);
    return NULL;
}

static void expect_values(const upload_column_t *c, const char *const *want, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (!want[i]) cr_assert_null(c->values[i], "%s[%zu] = %s", c->name, i, c->values[i]);
        else cr_assert_str_eq(c->values[i] ? c->values[i] : "(null)", want[i], "%s[%zu]", c->name, i);
    }
}

Test(upload_frame, records_quoting_crlf_blank_bom) {
    upload_options_t o = opts();
    raw_record_t *r;
    size_t n;
    const char *csv = "\xef\xbb\xbf" "a,\"b,c\"\r\n\r\n\"x \"\"q\"\"\",\r\n last ,y";
    cr_assert_eq(upload_csv_records(M, csv, strlen(csv), &o, &r, &n, err, sizeof err), 0, "%s", err);
    cr_assert_eq(n, 4);
    cr_assert_eq(r[0].ncells, 2);
    cr_assert_str_eq(r[0].cells[0].text, "a");
    cr_assert_str_eq(r[0].cells[1].text, "b,c");
    cr_assert_eq(r[1].ncells, 0); /* the blank line */
    cr_assert_str_eq(r[2].cells[0].text, "x \"q\"");
    cr_assert_str_eq(r[2].cells[1].text, "");
    cr_assert_str_eq(r[3].cells[0].text, " last "); /* spaces are kept */
    cr_assert_eq(r[3].line, 4);
}

Test(upload_frame, bad_input_messages) {
    upload_options_t o = opts();
    raw_record_t *r;
    size_t n;
    cr_assert_eq(upload_csv_records(M, "a\n\xe9t\xe9", 5, &o, &r, &n, err, sizeof err), -1);
    cr_assert_str_eq(err, "Parsing error: 'utf-8' codec can't decode byte 0xe9 in position 2: invalid continuation byte");
    o.delimiter = "\n";
    cr_assert_eq(upload_csv_records(M, "a", 1, &o, &r, &n, err, sizeof err), -1);
    cr_assert(strstr(err, "Specified \\n as separator or delimiter."), "%s", err);
    upload_frame_t f;
    o = opts();
    cr_assert_eq(frame_of("", &o, &f), -1);
    cr_assert_str_eq(err, "Parsing error: No columns to parse from file");
    cr_assert_eq(frame_of("a,b\n1,2\n1,2,3\n", &o, &f), -1);
    cr_assert_str_eq(err, "Parsing error: Error tokenizing data. C error: Expected 2 fields in line 3, saw 3\n");
    o.header_row = 5;
    cr_assert_eq(frame_of("a\n1\n", &o, &f), -1);
    cr_assert_str_eq(err, "Parsing error: Passed header=5 but only 2 lines in file");
    o = opts();
    const char *cols[] = {"a", "zz"};
    o.columns_read = cols, o.n_columns_read = 2;
    cr_assert_eq(frame_of("a,b\n1,2\n", &o, &f), -1);
    cr_assert_str_eq(err, "Parsing error: Usecols do not match columns, columns expected but not found: ['zz']");
    o = opts();
    const char *dates[] = {"q", "p"};
    o.column_dates = dates, o.n_column_dates = 2;
    cr_assert_eq(frame_of("a,b\n1,2\n", &o, &f), -1);
    cr_assert_str_eq(err, "Parsing error: Missing column provided to 'parse_dates': 'p, q'");
    o = opts();
    o.index_column = "nope";
    cr_assert_eq(frame_of("a,b\n1,2\n", &o, &f), -1);
    cr_assert_str_eq(err, "Parsing error: Index nope invalid");
}

Test(upload_frame, names_header_skip_limit) {
    upload_options_t o = opts();
    o.skip_rows = 1;
    o.header_row = 1;
    o.rows_to_read = 2;
    upload_frame_t f;
    cr_assert_eq(frame_of("junk\nmore junk\na,,a,a.1,a\n1,2,3,4,5\n6,7,8,9,10\n11,12,13,14,15\n", &o, &f), 0, "%s", err);
    const char *names[] = {"a", "Unnamed: 1", "a.1", "a.1.1", "a.2"};
    cr_assert_eq(f.ncols, 5);
    for (size_t j = 0; j < 5; j++) cr_assert_str_eq(f.cols[j].name, names[j]);
    cr_assert_eq(f.nrows, 2);
    const char *a[] = {"1", "6"};
    expect_values(&f.cols[0], a, 2);
}

Test(upload_frame, type_inference) {
    upload_options_t o = opts();
    upload_frame_t f;
    const char *csv = "i,f,n,b,bn,s,e,mixed\n"
                      "1,1.5,1,True,true,x,,1\n"
                      "-2,2,,FALSE,,y,,a\n"
                      " 3 ,1e3,3,false,false,NA,,true\n";
    cr_assert_eq(frame_of(csv, &o, &f), 0, "%s", err);
    cr_assert_eq(col(&f, "i")->type, SQLT_BIGINT);
    cr_assert_eq(col(&f, "f")->type, SQLT_DOUBLE);
    cr_assert_eq(col(&f, "n")->type, SQLT_DOUBLE); /* ints with NaN become float64 */
    cr_assert_eq(col(&f, "b")->type, SQLT_BOOLEAN);
    cr_assert_eq(col(&f, "bn")->type, SQLT_BOOLEAN); /* object bools: still BOOLEAN for to_sql */
    cr_assert_eq(col(&f, "s")->type, SQLT_TEXT);
    cr_assert_eq(col(&f, "e")->type, SQLT_DOUBLE); /* all NaN */
    cr_assert_eq(col(&f, "mixed")->type, SQLT_TEXT);
    const char *i[] = {"1", "-2", "3"}, *fl[] = {"1.5", "2.0", "1000.0"}, *n[] = {"1.0", NULL, "3.0"};
    const char *b[] = {"true", "false", "false"}, *s[] = {"x", "y", NULL};
    expect_values(col(&f, "i"), i, 3);
    expect_values(col(&f, "f"), fl, 3);
    expect_values(col(&f, "n"), n, 3);
    expect_values(col(&f, "b"), b, 3);
    expect_values(col(&f, "s"), s, 3);
}

Test(upload_frame, header_only_is_text) {
    upload_options_t o = opts();
    upload_frame_t f;
    cr_assert_eq(frame_of("a,b\n", &o, &f), 0, "%s", err);
    cr_assert_eq(f.nrows, 0);
    cr_assert_eq(f.cols[0].type, SQLT_TEXT);
}

Test(upload_frame, null_values_and_decimal) {
    upload_options_t o = opts();
    const char *nulls[] = {"-", "missing"};
    o.null_values = nulls, o.n_null_values = 2;
    o.decimal = ",";
    o.delimiter = ";";
    upload_frame_t f;
    cr_assert_eq(frame_of("x;y;z\n1,5;-;NA\n2,25;missing;\n", &o, &f), 0, "%s", err);
    cr_assert_eq(col(&f, "x")->type, SQLT_DOUBLE);
    cr_assert_eq(col(&f, "y")->type, SQLT_DOUBLE);
    cr_assert_eq(col(&f, "z")->type, SQLT_TEXT); /* "NA" and "" are values once null_values is given */
    const char *x[] = {"1.5", "2.25"}, *z[] = {"NA", ""};
    expect_values(col(&f, "x"), x, 2);
    expect_values(col(&f, "z"), z, 2);
}

Test(upload_frame, dates) {
    upload_options_t o = opts();
    const char *dates[] = {"d", "iso", "bad", "tz"};
    o.column_dates = dates, o.n_column_dates = 4;
    upload_frame_t f;
    const char *csv = "d,iso,bad,tz\n"
                      "01/02/2020,2020-01-02T03:04:05.5,2020-01-01,2020-01-01T00:00:00+02:00\n"
                      "13/02/2020,2020-12-31T23:59:59.25,2020-01-01 10:00,2020-06-01T12:00:00+02:00\n"
                      ",,,\n";
    o.day_first = true;
    cr_assert_eq(frame_of(csv, &o, &f), 0, "%s", err);
    cr_assert_eq(col(&f, "d")->type, SQLT_TIMESTAMP);
    cr_assert_eq(col(&f, "iso")->type, SQLT_TIMESTAMP);
    cr_assert_eq(col(&f, "bad")->type, SQLT_TEXT); /* two shapes: left as text */
    cr_assert_eq(col(&f, "tz")->type, SQLT_TIMESTAMPTZ);
    const char *d[] = {"2020-02-01 00:00:00.000000", "2020-02-13 00:00:00.000000", NULL};
    const char *iso[] = {"2020-01-02 03:04:05.500000", "2020-12-31 23:59:59.250000", NULL};
    const char *tz[] = {"2020-01-01 00:00:00.000000+02:00", "2020-06-01 12:00:00.000000+02:00", NULL};
    expect_values(col(&f, "d"), d, 3);
    expect_values(col(&f, "iso"), iso, 3);
    expect_values(col(&f, "tz"), tz, 3);
    /* month first unless the first value cannot be read that way */
    o.day_first = false;
    cr_assert_eq(frame_of(csv, &o, &f), 0, "%s", err);
    cr_assert_eq(col(&f, "d")->type, SQLT_TEXT); /* 01/02 read as M/D, then 13/02 does not fit */
}

Test(upload_frame, dtype_casts) {
    upload_options_t o = opts();
    upload_dtype_t dt[] = {{"a", "float32"}, {"b", "str"}, {"c", "int32"}};
    o.dtypes = dt, o.n_dtypes = 3;
    upload_frame_t f;
    cr_assert_eq(frame_of("a,b,c\n1,2,3.7\n2,x,4\n", &o, &f), 0, "%s", err);
    cr_assert_eq(col(&f, "a")->type, SQLT_REAL);
    cr_assert_eq(col(&f, "b")->type, SQLT_TEXT);
    cr_assert_eq(col(&f, "c")->type, SQLT_INTEGER);
    const char *c[] = {"3", "4"}, *b[] = {"2", "x"};
    expect_values(col(&f, "c"), c, 2);
    expect_values(col(&f, "b"), b, 2);

    upload_dtype_t bad[] = {{"a", "int64"}};
    o.dtypes = bad, o.n_dtypes = 1;
    cr_assert_eq(frame_of("a\n1\nx\n2\ny\nz\nw\nv\nu\n", &o, &f), -1);
    cr_assert_str_eq(err, "Cannot convert column 'a' to int64. Found 6 error(s):\n"
                          "  \xe2\x80\xa2 Line 3: 'x' cannot be converted to int64\n"
                          "  \xe2\x80\xa2 Line 5: 'y' cannot be converted to int64\n"
                          "  \xe2\x80\xa2 Line 6: 'z' cannot be converted to int64\n"
                          "  \xe2\x80\xa2 Line 7: 'w' cannot be converted to int64\n"
                          "  \xe2\x80\xa2 Line 8: 'v' cannot be converted to int64\n"
                          "  ... and 1 more error(s)");
    cr_assert_eq(frame_of("a\n1\n\n", &o, &f), -1);
    cr_assert_str_eq(err, "Cannot convert column 'a' to int64. Cannot convert non-finite values (NA or inf) to integer");
    upload_dtype_t unknown[] = {{"a", "foo"}};
    o.dtypes = unknown;
    cr_assert_eq(frame_of("a\nq\n", &o, &f), -1);
    cr_assert_str_eq(err, "Cannot convert column 'a' to foo. Found 1 error(s):\n"
                          "  \xe2\x80\xa2 Line 2: 'q' cannot be converted to foo");
}

Test(upload_frame, index_and_copy_text) {
    upload_options_t o = opts();
    o.index_column = "k";
    o.dataframe_index = true;
    upload_frame_t f;
    cr_assert_eq(frame_of("v,k\n\"a\tb\\c\",7\n,8\n", &o, &f), 0, "%s", err);
    cr_assert(f.has_index);
    cr_assert_str_eq(f.cols[0].name, "k");
    cr_assert_eq(f.cols[0].type, SQLT_BIGINT);
    cr_assert_eq(f.ncols, 2);
    size_t len;
    const char *copy = upload_frame_copy_text(M, &f, &len);
    cr_assert_str_eq(copy, "7\ta\\tb\\\\c\n8\t\\N\n");
    cr_assert_eq(len, strlen(copy));
    /* no index column: a RangeIndex named "index", or the index label */
    o.index_column = NULL;
    o.index_label = "row";
    cr_assert_eq(frame_of("v\nx\ny\n", &o, &f), 0, "%s", err);
    cr_assert_str_eq(f.cols[0].name, "row");
    const char *ix[] = {"0", "1"};
    expect_values(&f.cols[0], ix, 2);
    /* index_column without dataframe_index: the column is dropped */
    o = opts();
    o.index_column = "k";
    cr_assert_eq(frame_of("v,k\n1,2\n", &o, &f), 0, "%s", err);
    cr_assert_eq(f.ncols, 1);
    cr_assert_str_eq(f.cols[0].name, "v");
}

Test(upload_frame, metadata_and_index_names) {
    upload_options_t o = opts();
    json_t *items = NULL;
    const char *csv = "x,y,x\n1,2,3\n";
    cr_assert_eq(upload_csv_reader.metadata(M, csv, strlen(csv), &o, &items, err, sizeof err), 0, "%s", err);
    char *s = json_dumps(items, JSON_COMPACT);
    cr_assert_str_eq(s, "[{\"column_names\":[\"x\",\"y\",\"x.1\"],\"sheet_name\":null}]");
    free(s);
    json_decref(items);
    arena_t *a = arena_new(0);
    cr_assert_str_eq(upload_index_name(a, "public", "t", "index"), "ix_public_t_index");
    cr_assert_str_eq(upload_index_name(a, NULL, "t", "k"), "ix_t_k");
    const char *longname = upload_index_name(a, "s", "a_very_long_table_name_that_goes_on_and_on_and_on", "and_a_long_label");
    cr_assert_eq(strlen(longname), 60);
    cr_assert_eq(strncmp(longname, "ix_s_a_very_long_table_name_that_goes_on_and_on_and_on_", 55), 0);
    arena_free(a);
    upload_if_exists_t m;
    cr_assert(upload_if_exists_parse("append", &m) && m == UPLOAD_IF_APPEND);
    cr_assert(!upload_if_exists_parse("merge", &m));
    cr_assert_not_null(upload_reader_find("columnar"));
    cr_assert_null(upload_reader_find("xml"));
}

Test(upload_frame, padding_is_bounded) {
    /* a header of 20,000 columns over 200,000 blank lines */
    size_t w = 20000, rows = 200000;
    char *csv = malloc(2 * w + rows + 2), *p = csv;
    for (size_t i = 0; i < w; i++) *p++ = 'a', *p++ = ',';
    p[-1] = '\n';
    memset(p, '\n', rows);
    p[rows] = '\0';
    upload_options_t o = opts();
    upload_frame_t f;
    cr_assert_eq(frame_of(csv, &o, &f), -1);
    cr_assert(strstr(err, "more cells than Liteset reads"), "%s", err);
    free(csv);
}

Test(upload_frame, skip_initial_space) {
    upload_options_t o = opts();
    o.skip_initial_space = true;
    upload_frame_t f;
    cr_assert_eq(frame_of("a, b\n1,  \"x, y\"\n", &o, &f), 0, "%s", err);
    cr_assert_str_eq(f.cols[1].name, "b");
    const char *b[] = {"x, y"};
    expect_values(&f.cols[1], b, 1);
    o.skip_initial_space = false;
    cr_assert_eq(frame_of("a, b\n1, x\n", &o, &f), 0, "%s", err);
    cr_assert_str_eq(f.cols[1].name, " b");
    const char *b2[] = {" x"};
    expect_values(&f.cols[1], b2, 1);
}

/* ---- Excel ---- */

#include "lib/zipfile.h"

#define XL_NS "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define XL_REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

/* A one-sheet .xlsx with the given <sheetData> rows (inline strings). */
static char *xlsx_of(const char *rows, size_t *len) {
    char *sheet = arena_sprintf(M, "<worksheet xmlns=\"" XL_NS "\"><sheetData>%s</sheetData></worksheet>", rows);
    const char *parts[][2] = {
        {"[Content_Types].xml",
         "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\""
         " ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\""
         " ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/"
         "vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/></Types>"},
        {"xl/workbook.xml", "<workbook xmlns=\"" XL_NS "\" xmlns:r=\"" XL_REL "\"><sheets><sheet name=\"S\" sheetId=\"1\""
                            " r:id=\"rId1\"/></sheets></workbook>"},
        {"xl/_rels/workbook.xml.rels",
         "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship"
         " Id=\"rId1\" Type=\"" XL_REL "/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>"},
        {"xl/worksheets/sheet1.xml", sheet},
    };
    zipf_writer_t *w = zipf_writer_new();
    for (size_t i = 0; i < 4; i++) cr_assert(zipf_writer_add(w, parts[i][0], parts[i][1], strlen(parts[i][1])));
    char *out;
    cr_assert(zipf_writer_finish(w, &out, len));
    return out;
}

#define IS(ref, text) "<c r=\"" ref "\" t=\"inlineStr\"><is><t>" text "</t></is></c>"
#define NUM(ref, v) "<c r=\"" ref "\"><v>" v "</v></c>"

Test(upload_frame, excel_rows) {
    size_t len;
    /* a ragged sheet: C2 beyond the header, an error cell, a blank row, text numbers */
    char *x = xlsx_of("<row r=\"1\">" IS("A1", "k") IS("B1", "v") "</row>"
                      "<row r=\"2\">" NUM("A2", "1") "<c r=\"B2\" t=\"e\"><v>#N/A</v></c>" NUM("C2", "9") "</row>"
                      "<row r=\"4\">" IS("A4", "3") NUM("B4", "2.5") "</row>",
                      &len);
    upload_options_t o = opts();
    upload_frame_t f;
    cr_assert_eq(upload_excel_reader.frame(M, x, len, &o, &f, err, sizeof err), 0, "%s", err);
    cr_assert_eq(f.ncols, 3);
    cr_assert_str_eq(f.cols[2].name, "Unnamed: 2");
    cr_assert_eq(f.nrows, 3); /* the blank row 3 is a row of NaN */
    cr_assert_eq(f.cols[0].type, SQLT_DOUBLE);
    const char *k[] = {"1.0", NULL, "3.0"}, *v[] = {NULL, NULL, "2.5"};
    expect_values(&f.cols[0], k, 3);
    expect_values(&f.cols[1], v, 3);
    json_t *items;
    cr_assert_eq(upload_excel_reader.metadata(M, x, len, &o, &items, err, sizeof err), 0, "%s", err);
    char *s = json_dumps(items, JSON_COMPACT);
    cr_assert_str_eq(s, "[{\"column_names\":[\"k\",\"v\",\"Unnamed: 2\"],\"sheet_name\":\"S\"}]");
    free(s);
    json_decref(items);
    o.sheet_name = "T";
    cr_assert_eq(upload_excel_reader.frame(M, x, len, &o, &f, err, sizeof err), -1);
    cr_assert_str_eq(err, "Parsing error: Worksheet named 'T' not found");
    free(x);
    cr_assert_eq(upload_excel_reader.frame(M, "a,b\n", 4, &o, &f, err, sizeof err), -1);
    cr_assert_str_eq(err, "Parsing error: Excel file format cannot be determined, you must specify an engine manually.");
}
