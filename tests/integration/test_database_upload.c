/* File uploads into a database (POST /api/v1/database/upload_metadata/ and
 * /api/v1/database/<pk>/upload/) with the stack's own PostgreSQL registered
 * as the target: the created table's types and rows, the dataset and its
 * columns, fail / replace / append, CSV options (null values, dates,
 * decimal comma, skipped rows, row limit, columns read, index), the form
 * validation and command errors, and permissions. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "lib/zipfile.h"
#include "tests/integration/harness.h"
#include "tests/integration/rest_client.h"

#define SCHEMA "liteset_up"

static char sqlbuf[2048];

static const char *sqlf(const char *fmt, const char *a) {
    snprintf(sqlbuf, sizeof sqlbuf, fmt, a);
    return rest_sql(sqlbuf);
}

/* A target database on the stack's PostgreSQL; extra may be NULL. */
static long long add_db(rest_session_t *admin, const char *name, bool allow_upload, const char *extra) {
    snprintf(sqlbuf, sizeof sqlbuf, "DELETE FROM dbs WHERE database_name = '%s'", name);
    rest_sql(sqlbuf);
    char body[2048];
    snprintf(body, sizeof body,
             "{\"database_name\":\"%s\",\"sqlalchemy_uri\":\"postgresql://%s@/%s?host=%s&port=%s\","
             "\"allow_file_upload\":%s%s%s}",
             name, harness_env("LITESET_TEST_PGUSER"), harness_env("LITESET_TEST_DB"),
             harness_env("LITESET_TEST_PGHOST"), harness_env("LITESET_TEST_PGPORT"), allow_upload ? "true" : "false",
             extra ? ",\"extra\":" : "", extra ? extra : "");
    int st;
    json_t *j = rest_call(admin, "POST", "/api/v1/database/", body, &st);
    cr_assert_eq(st, 201, "%d %s", st, json_dumps(j, 0));
    long long id = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
    return id;
}

static void reset(void) {
    rest_sql("DROP SCHEMA IF EXISTS " SCHEMA " CASCADE");
    rest_sql("CREATE SCHEMA " SCHEMA);
    rest_sql("DELETE FROM table_columns WHERE table_id IN (SELECT id FROM tables WHERE schema = '" SCHEMA "')");
    rest_sql("DELETE FROM sqlatable_user WHERE table_id IN (SELECT id FROM tables WHERE schema = '" SCHEMA "')");
    rest_sql("DELETE FROM tables WHERE schema = '" SCHEMA "'");
}

/* Leaves no tables, datasets or databases of these tests behind. */
static void cleanup(void) {
    reset();
    rest_sql("DROP SCHEMA IF EXISTS " SCHEMA " CASCADE");
    rest_sql("DELETE FROM dbs WHERE database_name LIKE 'liteset\\_up%'");
}

TestSuite(database_upload, .fini = cleanup);

/* POST multipart: (name, value) fields, then the file (when data). */
static http_response_t *post_file(rest_session_t *s, const char *path, const char *filename, const char *data,
                                  size_t len, const char *const *fields) {
    const rest_file_t file = {"file", filename, "application/octet-stream", data, len};
    return rest_post_multipart(s, path, fields, data ? &file : NULL);
}

static http_response_t *post_form(rest_session_t *s, const char *path, const char *filename, const char *data,
                                  const char *const *fields) {
    return post_file(s, path, filename, data, data ? strlen(data) : 0, fields);
}

static http_response_t *upload(rest_session_t *s, long long db, const char *data, const char *const *fields) {
    char path[128];
    snprintf(path, sizeof path, "/api/v1/database/%lld/upload/", db);
    return post_form(s, path, "data.csv", data, fields);
}

static void expect_ok(http_response_t *r) {
    cr_assert_eq(r->status, 201, "%d %s", r->status, r->body);
    cr_assert_str_eq(r->body, "{\"message\":\"OK\"}\n");
    http_free(r);
}

/* A CommandException body: SIP-40 GENERIC_COMMAND_ERROR. */
static void expect_command_error(http_response_t *r, int status, const char *message) {
    cr_assert_eq(r->status, status, "%d %s", r->status, r->body);
    json_t *j = json_loads(r->body, 0, NULL);
    cr_assert(j, "%s", r->body);
    json_t *e = json_array_get(json_object_get(j, "errors"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(e, "message")), message);
    cr_assert_str_eq(json_string_value(json_object_get(e, "error_type")), "GENERIC_COMMAND_ERROR");
    cr_assert_str_eq(json_string_value(json_object_get(e, "level")), status < 500 ? "warning" : "error");
    json_t *code = json_array_get(json_object_get(json_object_get(e, "extra"), "issue_codes"), 0);
    cr_assert_eq(json_integer_value(json_object_get(code, "code")), 1010);
    json_decref(j);
    http_free(r);
}

static void expect_400(http_response_t *r, const char *body) {
    cr_assert_eq(r->status, 400, "%d %s", r->status, r->body);
    cr_assert_str_eq(r->body, body);
    http_free(r);
}

/* "name:type,..." of a table in column order. */
static const char *columns_of(const char *table) {
    return sqlf("SELECT string_agg(column_name || ':' || data_type, ',' ORDER BY ordinal_position) FROM"
                " information_schema.columns WHERE table_schema = '" SCHEMA "' AND table_name = '%s'", table);
}

Test(database_upload, csv_table_dataset_and_strategies) {
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    reset();
    long long db = add_db(&admin, "liteset_up_db", true, NULL);
    const char *csv = "id,price,name,flag,day\n1,2.5,apple,true,2020-01-02\n2,,pear,false,2020-02-03\n";
    const char *f1[] = {"type", "csv", "table_name", "fruit", "schema", SCHEMA, "column_dates", "day", NULL};
    expect_ok(upload(&admin, db, csv, f1));
    cr_assert_str_eq(columns_of("fruit"), "id:bigint,price:double precision,name:text,flag:boolean,"
                                          "day:timestamp without time zone");
    cr_assert_str_eq(rest_sql("SELECT string_agg(concat_ws('|', id, price, name, flag, day), ';' ORDER BY id) FROM "
                              SCHEMA ".fruit"),
                     "1|2.5|apple|t|2020-01-02 00:00:00;2|pear|f|2020-02-03 00:00:00");
    /* the dataset: owned by the uploader, columns fetched from the table */
    const char *ds = rest_sql("SELECT id FROM tables WHERE table_name = 'fruit' AND schema = '" SCHEMA "'");
    cr_assert(*ds);
    char ds_id[32];
    snprintf(ds_id, sizeof ds_id, "%s", ds);
    cr_assert_str_eq(sqlf("SELECT u.username FROM sqlatable_user o JOIN ab_user u ON u.id = o.user_id WHERE"
                          " o.table_id = %s", ds_id), "admin");
    cr_assert_str_eq(sqlf("SELECT perm FROM tables WHERE id = %s", ds_id),
                     sqlf("SELECT '[liteset_up_db].[fruit](id:' || %s || ')'", ds_id));
    cr_assert_str_eq(sqlf("SELECT string_agg(column_name || ':' || type || ':' || is_dttm, ',' ORDER BY column_name)"
                          " FROM table_columns WHERE table_id = %s", ds_id),
                     "day:TIMESTAMP WITHOUT TIME ZONE:true,flag:BOOLEAN:false,id:BIGINT:false,"
                     "name:TEXT:false,price:DOUBLE PRECISION:false");

    /* fail (the default) */
    expect_command_error(upload(&admin, db, csv, f1), 422,
                         "Table already exists. You can change your 'if table already exists' strategy to append or"
                         " replace or provide a different Table Name to use.");
    /* append: same dataset, twice the rows */
    const char *f2[] = {"type", "csv", "table_name", "fruit", "schema", SCHEMA, "column_dates", "day",
                        "already_exists", "append", NULL};
    expect_ok(upload(&admin, db, csv, f2));
    cr_assert_str_eq(rest_sql("SELECT count(*) FROM " SCHEMA ".fruit"), "4");
    cr_assert_str_eq(rest_sql("SELECT count(*) FROM tables WHERE table_name = 'fruit'"), "1");
    /* replace: new columns, the dataset's columns follow */
    const char *f3[] = {"type", "csv", "table_name", "fruit", "schema", SCHEMA, "already_exists", "replace", NULL};
    expect_ok(upload(&admin, db, "kind,qty\nfig,3\n", f3));
    cr_assert_str_eq(columns_of("fruit"), "kind:text,qty:bigint");
    cr_assert_str_eq(rest_sql("SELECT count(*) FROM " SCHEMA ".fruit"), "1");
    cr_assert_str_eq(sqlf("SELECT string_agg(column_name, ',' ORDER BY column_name) FROM table_columns WHERE"
                          " table_id = %s", ds_id), "kind,qty");
    /* append with a column the table lacks: the database's error, nothing written */
    const char *f4[] = {"type", "csv", "table_name", "fruit", "schema", SCHEMA, "already_exists", "append", NULL};
    expect_command_error(upload(&admin, db, "kind,colour\nkiwi,green\n", f4),
                         422, "column \"colour\" of relation \"fruit\" does not exist");
    cr_assert_str_eq(rest_sql("SELECT count(*) FROM " SCHEMA ".fruit"), "1");

    /* upload_metadata: the header's names */
    const char *m[] = {"type", "csv", NULL};
    http_response_t *r = post_form(&admin, "/api/v1/database/upload_metadata/", "x.CSV", "a,b,a\n1,2,3\n4,5,6\n7,8\n", m);
    cr_assert_eq(r->status, 200, "%d %s", r->status, r->body);
    cr_assert_str_eq(r->body, "{\"result\":{\"items\":[{\"column_names\":[\"a\",\"b\",\"a.1\"],\"sheet_name\":null}]}}\n");
    http_free(r);
    const char *mt[] = {"type", "csv", "delimiter", ";", "header_row", "1", NULL};
    r = post_form(&admin, "/api/v1/database/upload_metadata/", "x.txt", "junk\nc;d\n1;2\n", mt);
    cr_assert_str_eq(r->body, "{\"result\":{\"items\":[{\"column_names\":[\"c\",\"d\"],\"sheet_name\":null}]}}\n");
    http_free(r);
    const char *mc[] = {"type", "columnar", NULL};
    expect_command_error(post_form(&admin, "/api/v1/database/upload_metadata/", "x.parquet", "PAR1", mc), 422,
                         "Liteset cannot read columnar (Parquet) files; upload the data as CSV or Excel");
}

Test(database_upload, csv_options) {
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    reset();
    long long db = add_db(&admin, "liteset_up_db2", true, NULL);
    /* decimal comma, semicolons, custom null values */
    const char *f1[] = {"type", "csv", "table_name", "eu", "schema", SCHEMA, "delimiter", ";", "decimal_character", ",",
                        "null_values", "-,n/a", NULL};
    expect_ok(upload(&admin, db, "amount;note\n1,5;n/a\n2,25;-\n-;NA\n", f1));
    cr_assert_str_eq(columns_of("eu"), "amount:double precision,note:text");
    cr_assert_str_eq(rest_sql("SELECT string_agg(coalesce(amount::text, 'null') || '/' || coalesce(note, 'null'),"
                              " ';' ORDER BY amount NULLS LAST) FROM " SCHEMA ".eu"),
                     "1.5/null;2.25/null;null/NA");
    /* skipped rows, a row limit, day-first dates, the columns to read, the index written with a label */
    const char *f2[] = {"type", "csv", "table_name", "dates", "schema", SCHEMA, "skip_rows", "1", "rows_to_read", "2",
                        "column_dates", "when", "day_first", "true", "columns_read", "when,n", "dataframe_index",
                        "true", "index_label", "row", NULL};
    expect_ok(upload(&admin, db, "a title line\nn,when,extra\n5,13/01/2021,x\n6,14/02/2021,y\n7,15/03/2021,z\n", f2));
    cr_assert_str_eq(columns_of("dates"), "row:bigint,n:bigint,when:timestamp without time zone");
    cr_assert_str_eq(rest_sql("SELECT string_agg(concat_ws('|', row, n, \"when\"), ';' ORDER BY row) FROM " SCHEMA
                              ".dates"),
                     "0|5|2021-01-13 00:00:00;1|6|2021-02-14 00:00:00");
    cr_assert_str_eq(rest_sql("SELECT indexname FROM pg_indexes WHERE schemaname = '" SCHEMA "' AND tablename = 'dates'"),
                     "ix_" SCHEMA "_dates_row");
    /* an index column: written first, named after the column */
    const char *f3[] = {"type", "csv", "table_name", "keyed", "schema", SCHEMA, "index_column", "code",
                        "dataframe_index", "true", "column_data_types", "{\"v\": \"float32\"}", NULL};
    expect_ok(upload(&admin, db, "v,code\n1,a\n2,b\n", f3));
    cr_assert_str_eq(columns_of("keyed"), "code:text,v:real");
    /* a cast that fails */
    const char *f4[] = {"type", "csv", "table_name", "bad", "schema", SCHEMA, "column_data_types", "{\"v\": \"int64\"}",
                        NULL};
    expect_command_error(upload(&admin, db, "v\n1\nx\n", f4), 422,
                         "Cannot convert column 'v' to int64. Found 1 error(s):\n  \xe2\x80\xa2 Line 3: 'x' cannot be"
                         " converted to int64");
    cr_assert_str_eq(rest_sql("SELECT count(*) FROM tables WHERE table_name = 'bad'"), "0");
}

Test(database_upload, validation_and_access) {
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    reset();
    long long db = add_db(&admin, "liteset_up_db3", true, NULL);
    char path[128];
    const char *ok[] = {"type", "csv", "table_name", "t", "schema", SCHEMA, NULL};

    /* the form schema: field by field, unknown fields refused */
    const char *bad[] = {"type", "xml", "rows_to_read", "0", "header_row", "x", "day_first", "maybe",
                         "already_exists", "merge", "bogus", "1", NULL};
    expect_400(upload(&admin, db, "a\n1\n", bad),
               "{\"message\":{\"already_exists\":[\"Must be one of: fail, replace, append.\"],\"bogus\":[\"Unknown"
               " field.\"],\"day_first\":[\"Not a valid boolean.\"],\"header_row\":[\"Not a valid integer.\"],"
               "\"rows_to_read\":[\"Must be greater than or equal to 1.\"],\"table_name\":[\"Missing data for"
               " required field.\"],\"type\":[\"Must be one of: csv, excel, columnar.\"]}}\n");
    expect_400(upload(&admin, db, NULL, ok), "{\"message\":{\"file\":[\"Field may not be null.\"]}}\n");
    snprintf(path, sizeof path, "/api/v1/database/%lld/upload/", db);
    expect_400(post_form(&admin, path, "data.exe", "a\n1\n", ok),
               "{\"message\":{\"file\":[\"File extension is not allowed.\"]}}\n");
    const char *badjson[] = {"type", "csv", "table_name", "t", "column_data_types", "{", NULL};
    expect_400(upload(&admin, db, "a\n1\n", badjson),
               "{\"message\":{\"_schema\":[\"Invalid JSON format for column_data_types\"]}}\n");
    const char *empty_table[] = {"type", "csv", "table_name", "", NULL};
    expect_400(upload(&admin, db, "a\n1\n", empty_table),
               "{\"message\":{\"table_name\":[\"Length must be between 1 and 10000.\"]}}\n");

    /* not multipart */
    const char *const h[] = {admin.bearer, admin.cookie, admin.csrf, "Content-Type: application/json", NULL};
    http_response_t *r = http_request("POST", path, h, "{}", 2);
    cr_assert_eq(r->status, 400);
    cr_assert(strstr(r->body, "\"Request MIME type is not 'multipart/form-data'\""), "%s", r->body);
    cr_assert(strstr(r->body, "INVALID_PAYLOAD_FORMAT_ERROR"), "%s", r->body);
    http_free(r);

    const char *listjson[] = {"type", "csv", "table_name", "t", "schema", SCHEMA, "column_data_types", "[1]", NULL};
    expect_command_error(upload(&admin, db, "a\n1\n", listjson), 422, "Error reading CSV file");

    /* reading errors */
    const char *nl[] = {"type", "csv", "table_name", "t", "schema", SCHEMA, "delimiter", "\n", NULL};
    expect_command_error(upload(&admin, db, "a\n1\n", nl), 422,
                         "Parsing error: Specified \\n as separator or delimiter. This forces the python engine which"
                         " does not accept a line terminator. Hence it is not allowed to use the line terminator as"
                         " separator.");
    expect_command_error(upload(&admin, db, "a,b\n1,2\n3,4,5\n", ok), 422,
                         "Parsing error: Error tokenizing data. C error: Expected 2 fields in line 3, saw 3\n");
    const char *excel[] = {"type", "columnar", "table_name", "t", "schema", SCHEMA, NULL};
    expect_command_error(upload(&admin, db, "PAR1", excel), 422,
                         "Liteset cannot read columnar (Parquet) files; upload the data as CSV or Excel");

    /* the database */
    expect_command_error(upload(&admin, 999999, "a\n1\n", ok), 404, "Database not found.");
    long long closed = add_db(&admin, "liteset_up_closed", false, NULL);
    expect_command_error(upload(&admin, closed, "a\n1\n", ok), 403, "Database schema is not allowed for csv uploads.");
    long long other = add_db(&admin, "liteset_up_other", true,
                             "\"{\\\"schemas_allowed_for_file_upload\\\": [\\\"elsewhere\\\"]}\"");
    expect_command_error(upload(&admin, other, "a\n1\n", ok), 403, "Database schema is not allowed for csv uploads.");
    const char *noschema[] = {"type", "csv", "table_name", "t", NULL};
    expect_command_error(upload(&admin, other, "a\n1\n", noschema), 403,
                         "Database schema is not allowed for csv uploads.");
    cr_assert_str_eq(rest_sql("SELECT count(*) FROM information_schema.tables WHERE table_schema = '" SCHEMA "'"), "0");

    /* Gamma has no can_upload on Database */
    rest_create_user("Gamma", "up_gamma");
    rest_session_t gamma;
    rest_open(&gamma, "up_gamma", "up_gamma");
    r = upload(&gamma, db, "a\n1\n", ok);
    cr_assert_eq(r->status, 403, "%d %s", r->status, r->body);
    cr_assert_str_eq(r->body, "{\"message\":\"Forbidden\"}\n");
    http_free(r);
    const char *m[] = {"type", "csv", NULL};
    r = post_form(&gamma, "/api/v1/database/upload_metadata/", "x.csv", "a\n1\n", m);
    cr_assert_eq(r->status, 403, "%d %s", r->status, r->body);
    http_free(r);
}

/* ---- Excel ---- */

#define MAIN_NS "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define REL_NS "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

/* A two-sheet .xlsx: "fruit" (strings, numbers, a date column, booleans,
 * a blank row) and "other". */
static char *workbook(size_t *len) {
    const char *parts[][2] = {
        {"[Content_Types].xml",
         "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
         "content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package."
         "relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/"
         "workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
         "</Types>"},
        {"xl/workbook.xml", "<workbook xmlns=\"" MAIN_NS "\" xmlns:r=\"" REL_NS "\"><sheets><sheet name=\"fruit\""
                            " sheetId=\"1\" r:id=\"rId1\"/><sheet name=\"other\" sheetId=\"2\" r:id=\"rId2\"/>"
                            "</sheets></workbook>"},
        {"xl/_rels/workbook.xml.rels",
         "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\""
         " Type=\"" REL_NS "/worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"" REL_NS
         "/worksheet\" Target=\"worksheets/sheet2.xml\"/></Relationships>"},
        {"xl/styles.xml", "<styleSheet xmlns=\"" MAIN_NS "\"><cellXfs count=\"2\"><xf numFmtId=\"0\"/>"
                          "<xf numFmtId=\"14\" applyNumberFormat=\"1\"/></cellXfs></styleSheet>"},
        {"xl/worksheets/sheet1.xml",
         "<worksheet xmlns=\"" MAIN_NS "\"><sheetData>"
         "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>name</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>qty</t>"
         "</is></c><c r=\"C1\" t=\"inlineStr\"><is><t>day</t></is></c><c r=\"D1\" t=\"inlineStr\"><is><t>ok</t></is>"
         "</c></row>"
         "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>apple</t></is></c><c r=\"B2\"><v>3</v></c>"
         "<c r=\"C2\" s=\"1\"><v>44927</v></c><c r=\"D2\" t=\"b\"><v>1</v></c></row>"
         "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>pear</t></is></c><c r=\"B3\"><v>2.5</v></c>"
         "<c r=\"C3\" s=\"1\"><v>44928</v></c><c r=\"D3\" t=\"b\"><v>0</v></c></row>"
         "<row r=\"4\"><c r=\"A4\" t=\"inlineStr\"><is><t>fig</t></is></c><c r=\"B4\" t=\"e\"><v>#DIV/0!</v></c>"
         "<c r=\"C4\" s=\"1\"><v>44929</v></c><c r=\"D4\" t=\"b\"><v>1</v></c></row>"
         "</sheetData></worksheet>"},
        {"xl/worksheets/sheet2.xml", "<worksheet xmlns=\"" MAIN_NS "\"><sheetData><row r=\"1\"><c r=\"A1\""
                                     " t=\"inlineStr\"><is><t>x</t></is></c></row><row r=\"2\"><c r=\"A2\"><v>1</v></c>"
                                     "</row></sheetData></worksheet>"},
    };
    zipf_writer_t *w = zipf_writer_new();
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        cr_assert(zipf_writer_add(w, parts[i][0], parts[i][1], strlen(parts[i][1])));
    char *out;
    cr_assert(zipf_writer_finish(w, &out, len));
    return out;
}

Test(database_upload, excel) {
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    reset();
    long long db = add_db(&admin, "liteset_up_xl", true, NULL);
    size_t len;
    char *xlsx = workbook(&len);
    const char *m[] = {"type", "excel", NULL};
    http_response_t *r = post_file(&admin, "/api/v1/database/upload_metadata/", "book.xlsx", xlsx, len, m);
    cr_assert_eq(r->status, 200, "%d %s", r->status, r->body);
    cr_assert_str_eq(r->body, "{\"result\":{\"items\":[{\"column_names\":[\"name\",\"qty\",\"day\",\"ok\"],"
                              "\"sheet_name\":\"fruit\"},{\"column_names\":[\"x\"],\"sheet_name\":\"other\"}]}}\n");
    http_free(r);

    char path[128];
    snprintf(path, sizeof path, "/api/v1/database/%lld/upload/", db);
    const char *f1[] = {"type", "excel", "table_name", "sheet", "schema", SCHEMA, NULL};
    expect_ok(post_file(&admin, path, "book.xlsx", xlsx, len, f1));
    cr_assert_str_eq(columns_of("sheet"), "name:text,qty:double precision,day:timestamp without time zone,ok:boolean");
    cr_assert_str_eq(rest_sql("SELECT string_agg(concat_ws('|', name, qty, day, ok), ';' ORDER BY day) FROM " SCHEMA
                              ".sheet"),
                     "apple|3|2023-01-01 00:00:00|t;pear|2.5|2023-01-02 00:00:00|f;fig|2023-01-03 00:00:00|t");
    const char *f2[] = {"type", "excel", "table_name", "other", "schema", SCHEMA, "sheet_name", "other", NULL};
    expect_ok(post_file(&admin, path, "book.XLSX", xlsx, len, f2));
    cr_assert_str_eq(columns_of("other"), "x:bigint");
    const char *f3[] = {"type", "excel", "table_name", "t", "schema", SCHEMA, "sheet_name", "missing", NULL};
    expect_command_error(post_file(&admin, path, "book.xlsx", xlsx, len, f3), 422,
                         "Parsing error: Worksheet named 'missing' not found");
    const char *f4[] = {"type", "excel", "table_name", "t2", "schema", SCHEMA, "rows_to_read", "1", "columns_read",
                        "name,ok", NULL};
    expect_ok(post_file(&admin, path, "book.xlsx", xlsx, len, f4));
    cr_assert_str_eq(columns_of("t2"), "name:text,ok:boolean");
    cr_assert_str_eq(rest_sql("SELECT count(*) FROM " SCHEMA ".t2"), "1");
    free(xlsx);
    expect_command_error(post_form(&admin, "/api/v1/database/upload_metadata/", "book.xlsx", "not a workbook", m), 422,
                         "Excel file format cannot be determined");
}
