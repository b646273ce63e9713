/* Unit tests for the pure rules of the legacy /datasource/ views: the
 * external metadata column list, the ExternalMetadataSchema messages and
 * the save view's duplicate column names. */
#include <criterion/criterion.h>
#include <string.h>

#include "fcgi/api/legacy_datasource_rules.h"

static arena_t *A;
static void setup(void) { A = arena_new(0); }
static void teardown(void) { arena_free(A); }

TestSuite(legacy_datasource_rules, .init = setup, .fini = teardown);

Test(legacy_datasource_rules, external_columns) {
    json_t *in = json_loads("[{\"column_name\":\"id\",\"type\":\"INTEGER\",\"is_dttm\":false,\"nullable\":false,"
                            "\"default\":\"nextval('t_id_seq'::regclass)\"},"
                            "{\"column_name\":\"at\",\"type\":\"TIMESTAMP WITHOUT TIME ZONE\",\"is_dttm\":true,"
                            "\"comment\":\"when\",\"nullable\":true},"
                            "{\"column_name\":\"tags\",\"type\":\"BYTEA\",\"is_dttm\":false,\"nullable\":true},"
                            "{\"column_name\":\"code\",\"type\":\"VARCHAR(5)\",\"is_dttm\":false,\"nullable\":true,"
                            "\"default\":\"nextval('s'::regclass)\"}]",
                            0, NULL);
    cr_assert(in);
    json_t *out = legacy_ds_external_columns(in);
    char *s = json_dumps(json_array_get(out, 0), JSON_COMPACT);
    cr_assert_str_eq(s, "{\"column_name\":\"id\",\"name\":\"id\",\"type\":\"INTEGER\",\"nullable\":false,"
                        "\"default\":\"nextval('t_id_seq'::regclass)\",\"autoincrement\":true,\"comment\":null,"
                        "\"type_generic\":0,\"is_dttm\":false}");
    free(s);
    json_t *at = json_array_get(out, 1);
    cr_assert_str_eq(json_string_value(json_object_get(at, "comment")), "when");
    cr_assert_eq(json_integer_value(json_object_get(at, "type_generic")), 2);
    cr_assert(json_is_true(json_object_get(at, "is_dttm")));
    cr_assert(json_is_null(json_object_get(at, "default")));
    cr_assert(json_is_false(json_object_get(at, "autoincrement")));
    json_t *tags = json_array_get(out, 2); /* no type spec: both null */
    cr_assert(json_is_null(json_object_get(tags, "type_generic")));
    cr_assert(json_is_null(json_object_get(tags, "is_dttm")));
    cr_assert(json_is_false(json_object_get(json_array_get(out, 3), "autoincrement")), "only integer columns");
    json_decref(in);
    json_decref(out);
}

static const char *params_error(const char *text) {
    json_t *q = json_loads(text, JSON_DECODE_ANY, NULL);
    cr_assert(q, "%s", text);
    const char *e = legacy_ds_params_error(A, q);
    json_decref(q);
    return e;
}

Test(legacy_datasource_rules, params) {
    cr_assert_null(params_error("{\"datasource_type\":\"table\",\"database_name\":\"d\",\"table_name\":\"t\","
                                "\"schema_name\":null,\"catalog_name\":null,\"normalize_columns\":false,"
                                "\"always_filter_main_dttm\":null}"));
    cr_assert_str_eq(params_error("{}"), "{'datasource_type': ['Missing data for required field.'], 'database_name':"
                                         " ['Missing data for required field.'], 'table_name': ['Missing data for"
                                         " required field.']}");
    cr_assert_str_eq(params_error("{\"datasource_type\":1,\"database_name\":null,\"table_name\":\"t\","
                                  "\"normalize_columns\":\"x\",\"extra\":1}"),
                     "{'datasource_type': ['Not a valid string.'], 'database_name': ['Field may not be null.'],"
                     " 'normalize_columns': ['Not a valid boolean.'], 'extra': ['Unknown field.']}");
    cr_assert_str_eq(params_error("[1]"), "{'_schema': ['Invalid input type.']}");
}

static const char *dups(const char *text, bool *unnamed) {
    json_t *cols = json_loads(text, 0, NULL);
    cr_assert(cols, "%s", text);
    const char *d = legacy_ds_duplicate_columns(A, cols, unnamed);
    json_decref(cols);
    return d;
}

Test(legacy_datasource_rules, duplicate_columns) {
    bool unnamed;
    cr_assert_null(dups("[{\"column_name\":\"a\"},{\"column_name\":\"b\"}]", &unnamed));
    cr_assert_not(unnamed);
    cr_assert_str_eq(dups("[{\"column_name\":\"b\"},{\"column_name\":\"a\"},{\"column_name\":\"b\"},"
                          "{\"column_name\":\"a\"},{\"column_name\":\"b\"},{\"column_name\":\"c\"}]",
                          &unnamed),
                     "b,a");
    cr_assert_null(dups("[{\"column_name\":\"a\"},{\"verbose_name\":\"x\"}]", &unnamed));
    cr_assert(unnamed);
}

Test(legacy_datasource_rules, db_message) {
    cr_assert_str_eq(legacy_ds_db_message(A, "ERROR:  duplicate key value\nDETAIL:  Key (x)=(1)"), "duplicate key value");
    cr_assert_str_eq(legacy_ds_db_message(A, "no prefix"), "no prefix");
    cr_assert_str_eq(legacy_ds_db_message(A, NULL), "Fatal error");
}
