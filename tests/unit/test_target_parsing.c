/* Unit tests for the pure parts of the dataset and target-database code:
 * SQLAlchemy URL parsing, PostgreSQL type names as SQLAlchemy compiles
 * them and their temporal flag, python_date_format validation, and the
 * marshmallow-compatible dataset schema loader. */
#include <criterion/criterion.h>
#include <string.h>

#include "fcgi/api/dataset_schema.h"
#include "lib/sqla_url.h"
#include "persistence/pg_introspect.h"

static arena_t *A;
static void setup(void) { A = arena_new(0); }
static void teardown(void) { arena_free(A); }

TestSuite(target_parsing, .init = setup, .fini = teardown);

Test(target_parsing, sqla_url) {
    sqla_url_t u;
    cr_assert(sqla_url_parse(A, "postgresql+psycopg2://sc%40tt:p%2Fw@db.example:5433/shop?sslmode=require&a=1&a=2", &u));
    cr_assert_str_eq(u.backend, "postgresql");
    cr_assert_str_eq(u.driver, "psycopg2");
    cr_assert_str_eq(u.username, "sc@tt");
    cr_assert_str_eq(u.password, "p/w");
    cr_assert_str_eq(u.host, "db.example");
    cr_assert_eq(u.port, 5433);
    cr_assert_str_eq(u.database, "shop");
    cr_assert_str_eq(json_string_value(json_object_get(u.query, "sslmode")), "require");
    cr_assert_eq(json_array_size(json_object_get(u.query, "a")), 2);
    cr_assert(sqla_url_parse(A, "postgresql://u@[::1]:5432/d", &u));
    cr_assert_str_eq(u.host, "::1");
    cr_assert_null(u.password);
    cr_assert(sqla_url_parse(A, "sqlite://", &u));
    cr_assert_null(u.host);
    cr_assert_null(u.database);
    cr_assert_eq(u.port, -1);
    cr_assert_not(sqla_url_parse(A, "not a url", &u));
    cr_assert_not(sqla_url_parse(A, "postgresql://h:port/d", &u));
}

Test(target_parsing, type_names) {
    static const struct { const char *pg, *sqla; bool temporal; } cases[] = {
        {"integer", "INTEGER", false},
        {"character varying(255)", "VARCHAR(255)", false},
        {"character varying", "VARCHAR", false},
        {"character(1)", "CHAR(1)", false},
        {"numeric(10,2)", "NUMERIC(10, 2)", false},
        {"double precision", "DOUBLE PRECISION", false},
        {"timestamp without time zone", "TIMESTAMP WITHOUT TIME ZONE", true},
        {"timestamp(3) with time zone", "TIMESTAMP(3) WITH TIME ZONE", true},
        {"date", "DATE", true},
        {"time without time zone", "TIME WITHOUT TIME ZONE", true},
        {"interval", "INTERVAL", false},
        {"text[]", "TEXT[]", false},
        {"character varying(20)[]", "VARCHAR(20)[]", false},
        {"jsonb", "JSONB", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *t = pg_introspect_type_name(A, cases[i].pg, false);
        cr_assert_str_eq(t, cases[i].sqla, "%s", cases[i].pg);
        cr_assert_eq(pg_introspect_is_temporal(t), cases[i].temporal, "%s", cases[i].pg);
    }
    cr_assert_str_eq(pg_introspect_type_name(A, "character", true), "CHARACTER", "enum names are kept");
}

Test(target_parsing, python_date_format) {
    cr_assert(dataset_python_date_format_ok("epoch_s"));
    cr_assert(dataset_python_date_format_ok("epoch_ms"));
    cr_assert(dataset_python_date_format_ok("%Y-%m-%d"));
    cr_assert(dataset_python_date_format_ok("%Y-%m-%d %H:%M:%S"));
    cr_assert(dataset_python_date_format_ok("%Y-%m-%dT%H:%M:%S.%f"));
    cr_assert(dataset_python_date_format_ok("%Y%m%d"));
    cr_assert(dataset_python_date_format_ok("%Y"));
    cr_assert_not(dataset_python_date_format_ok("%d/%m/%Y"));
    cr_assert_not(dataset_python_date_format_ok("%m-%d-%Y"));
    cr_assert_not(dataset_python_date_format_ok("nonsense"));
}

static json_t *load(const char *text, json_t **body) {
    *body = json_loads(text, 0, NULL);
    cr_assert(*body);
    return dataset_schema_load(A, DS_SCHEMA_PUT, *body);
}

Test(target_parsing, put_schema) {
    json_t *body, *e;
    e = load("{\"owners\": [\"3\", 4.0], \"filter_select_enabled\": \"yes\", \"uuid\": \"{ABCDEF01-2345-6789-ABCD-EF0123456789}\","
             " \"columns\": [{\"column_name\": \"a\", \"is_dttm\": 1}]}", &body);
    cr_assert_null(e, "%s", json_dumps(e, 0));
    cr_assert_eq(json_integer_value(json_array_get(json_object_get(body, "owners"), 0)), 3);
    cr_assert_eq(json_integer_value(json_array_get(json_object_get(body, "owners"), 1)), 4);
    cr_assert(json_is_true(json_object_get(body, "filter_select_enabled")));
    cr_assert(json_is_false(json_object_get(body, "always_filter_main_dttm")), "load_default");
    cr_assert_str_eq(json_string_value(json_object_get(body, "uuid")), "abcdef01-2345-6789-abcd-ef0123456789");
    cr_assert(json_is_true(json_object_get(json_array_get(json_object_get(body, "columns"), 0), "is_dttm")));
    json_decref(body);

    e = load("{\"database_id\": null, \"offset\": true, \"columns\": [7], \"folders\": [{\"uuid\": \"x\", \"type\": \"table\","
             " \"name\": \"f\"}], \"metrics\": [{\"metric_name\": \"\", \"expression\": \"1\", \"currency\": 3}]}", &body);
    cr_assert(e);
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(e, "database_id"), 0)), "Field may not be null.");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(e, "offset"), 0)), "Not a valid integer.");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(json_object_get(json_object_get(e, "columns"), "0"),
                                                                      "_schema"), 0)), "Invalid input type.");
    json_t *f0 = json_object_get(json_object_get(e, "folders"), "0");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(f0, "uuid"), 0)), "Not a valid UUID.");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(f0, "type"), 0)),
                     "Must be one of: metric, column, folder.");
    json_t *m0 = json_object_get(json_object_get(e, "metrics"), "0");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(m0, "metric_name"), 0)),
                     "Length must be between 1 and 255.");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(json_object_get(m0, "currency"), "_schema"), 0)),
                     "Invalid input type.");
    json_decref(e);
    json_decref(body);

    e = load("{\"folders\": [{\"uuid\": \"abcdef01-2345-6789-abcd-ef0123456789\", \"name\": \"f\"}]}", &body);
    cr_assert(e);
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(json_object_get(json_object_get(e, "folders"), "0"),
                                                                      "_schema"), 0)),
                     "If 'name' is present, 'children' must be present.");
    json_decref(e);
    json_decref(body);
}
