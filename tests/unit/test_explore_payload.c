/* Unit tests for the pure parts of the explore payloads: generic column
 * types (base engine spec mappings, first match wins), select-star quoting,
 * time grains per engine, the metastore cache key join, plain-text
 * markdown, and the legacy form-data adjustments (time range, legacy
 * filters to adhoc with Python's md5 option names, extra filters and extra
 * form data, URL parameters). */
#include <criterion/criterion.h>
#include <string.h>

#include "domain/chart_payload.h"
#include "domain/dataset_payload.h"
#include "domain/form_data_merge.h"
#include "domain/metastore_cache.h"
#include "domain/time_grains.h"

static arena_t *A;
static void setup(void) { A = arena_new(0); }
static void teardown(void) { arena_free(A); }

TestSuite(explore_payload, .init = setup, .fini = teardown);

static char *dump(json_t *j) {
    char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    char *copy = arena_strdup(A, s);
    free(s);
    return copy;
}

static json_t *parse(const char *s) {
    json_t *j = json_loads(s, 0, NULL);
    cr_assert_not_null(j, "%s", s);
    return j;
}

Test(explore_payload, generic_types) {
    static const struct {
        const char *type;
        int generic;
    } cases[] = {
        {"VARCHAR(255)", 1}, {"nvarchar", 1},  {"TEXT", 1},      {"LONGTEXT", 1},    {"STRING", 1},
        {"SMALLINT", 0},     {"INTEGER", 0},   {"BIGINT", 0},    {"NUMERIC(10, 2)", 0}, {"DOUBLE PRECISION", 0},
        {"REAL", 0},         {"MONEY", 0},     {"TIMESTAMP WITHOUT TIME ZONE", 2}, {"DATE", 2},
        {"TIME", 2},         {"BOOLEAN", 3},   {"bool", 3},      {"BYTEA", -1},      {"JSONB", -1},
        {"INTERVAL", 0}, /* "^int(eger)?" comes before "^interval" */
        {"", -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        cr_assert_eq(dataset_generic_type(cases[i].type), cases[i].generic, "%s", cases[i].type);
    cr_assert_eq(dataset_generic_type(NULL), -1);
}

Test(explore_payload, select_star) {
    cr_assert_str_eq(dataset_select_star(A, "postgresql", NULL, "public", "orders"),
                     "SELECT\n  *\nFROM public.orders\nLIMIT 100");
    cr_assert_str_eq(dataset_select_star(A, "postgresql", NULL, "", "Orders"), "SELECT\n  *\nFROM \"Orders\"\nLIMIT 100");
    cr_assert_str_eq(dataset_select_star(A, "postgresql", "examples", "public", "user"),
                     "SELECT\n  *\nFROM examples.public.\"user\"\nLIMIT 100");
    cr_assert_str_eq(dataset_select_star(A, "mysql", NULL, "db", "my table"), "SELECT\n  *\nFROM db.`my table`\nLIMIT 100");
    cr_assert_str_eq(dataset_select_star(A, "sqlite", NULL, NULL, "a\"b"), "SELECT\n  *\nFROM \"a\"\"b\"\nLIMIT 100");
    cr_assert_str_eq(dataset_select_star(A, "sqlite", NULL, NULL, "2020_sales"),
                     "SELECT\n  *\nFROM \"2020_sales\"\nLIMIT 100");
}

Test(explore_payload, time_grains) {
    const time_grain_engine_t *pg = time_grains_for("postgresql");
    cr_assert_not_null(pg);
    cr_assert_eq(pg->count, 14);
    cr_assert_str_eq(time_grain_builtin[pg->grains[0]].duration, "PT1S");
    cr_assert_str_eq(time_grain_builtin[pg->grains[13]].name, "Year");
    cr_assert_eq(time_grains_for("postgres"), pg);
    const time_grain_engine_t *lite = time_grains_for("sqlite");
    cr_assert_eq(lite->count, 19);
    cr_assert_str_eq(time_grain_builtin[lite->grains[15]].name, "Week ending Saturday");
    cr_assert_null(time_grains_for("nosuchengine"));
    cr_assert_null(time_grains_for(NULL));
}

Test(explore_payload, cache_key_and_markdown) {
    const char *parts[] = {"abc", NULL, "5", NULL, "table"};
    cr_assert_str_eq(mcache_key(A, 5, parts), "abc;None;5;None;table");
    cr_assert_str_eq(chart_markdown_text(A, NULL), "");
    cr_assert_str_eq(chart_markdown_text(A, "  "), "");
    cr_assert_str_eq(chart_markdown_text(A, "a < b & c\n\nsecond"), "<p>a &lt; b &amp; c</p>\n<p>second</p>");
}

Test(explore_payload, time_range) {
    json_t *fd = parse("{\"since\": \"2020\", \"until\": null}");
    fd_update_time_range(fd);
    cr_assert_str_eq(dump(fd), "{\"time_range\":\"2020 : \"}");
    json_decref(fd);
    fd = parse("{\"granularity_sqla\": \"ds\", \"adhoc_filters\": [{\"subject\": \"ds\", \"comparator\": \"No filter\"}]}");
    fd_update_time_range(fd);
    cr_assert_str_eq(json_string_value(json_object_get(fd, "time_range")), "No filter");
    json_decref(fd);
}

Test(explore_payload, legacy_filters) {
    json_t *fd = parse("{\"where\": \"1=1\", \"having\": \"\", \"filters\": [{\"col\": \"a\", \"op\": \"==\", \"val\": 1},"
                       " null]}");
    cr_assert(fd_convert_legacy_filters(fd));
    cr_assert_str_eq(dump(fd),
                     "{\"adhoc_filters\":[{\"clause\":\"WHERE\",\"expressionType\":\"SQL\",\"filterOptionName\":"
                     "\"346e354edfd9e390df09d258a3d5e04a\",\"sqlExpression\":\"1=1\"},{\"clause\":\"WHERE\","
                     "\"comparator\":1,\"expressionType\":\"SIMPLE\",\"filterOptionName\":"
                     "\"3ddff23a014c09d4cfa9ead525b9ec7f\",\"operator\":\"==\",\"subject\":\"a\"}]}");
    json_decref(fd);
    /* existing adhoc filters win; the legacy keys still go */
    fd = parse("{\"adhoc_filters\": [{\"x\": 1}], \"where\": \"w\", \"filters\": []}");
    cr_assert(fd_convert_legacy_filters(fd));
    cr_assert_str_eq(dump(fd), "{\"adhoc_filters\":[{\"x\":1}]}");
    json_decref(fd);
    fd = parse("{\"filters\": [{\"col\": \"a\"}]}");
    cr_assert_not(fd_convert_legacy_filters(fd), "a filter without op");
    json_decref(fd);
}

Test(explore_payload, extra_filters) {
    json_t *fd = parse(
        "{\"adhoc_filters\": [{\"expressionType\": \"SIMPLE\", \"subject\": \"a\", \"operator\": \"in\","
        " \"comparator\": [\"x\", \"y\"], \"clause\": \"WHERE\"}],"
        " \"extra_filters\": [{\"col\": \"a\", \"op\": \"in\", \"val\": [\"y\", \"x\"]},"
        " {\"col\": \"b\", \"op\": \"==\", \"val\": \"z\"}, {\"col\": \"c\", \"op\": \"==\", \"val\": []},"
        " {\"col\": \"__time_range\", \"op\": \"==\", \"val\": \"Last day\"},"
        " {\"col\": \"__time_grain\", \"op\": \"==\", \"val\": \"No filter\"}],"
        " \"extra_form_data\": {\"time_grain_sqla\": \"P1D\", \"relative_start\": \"now\","
        " \"adhoc_filters\": [{\"expressionType\": \"SIMPLE\", \"subject\": \"d\", \"operator\": \"TEMPORAL_RANGE\","
        " \"comparator\": \"x\"}]}}");
    cr_assert(fd_merge_extra_filters(fd));
    json_t *adhoc = json_object_get(fd, "adhoc_filters");
    cr_assert_eq(json_array_size(adhoc), 3, "%s", dump(fd));
    /* extra form data is merged before the extra filters set the time range */
    cr_assert_str_eq(dump(json_array_get(adhoc, 1)),
                     "{\"comparator\":\"x\",\"expressionType\":\"SIMPLE\",\"isExtra\":true,\"operator\":\"TEMPORAL_RANGE\",\"subject\":\"d\"}");
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(adhoc, 2), "subject")), "b");
    cr_assert_str_eq(json_string_value(json_object_get(fd, "time_grain_sqla")), "P1D");
    cr_assert_str_eq(dump(json_object_get(fd, "extras")), "{\"relative_start\":\"now\"}");
    cr_assert_str_eq(dump(json_object_get(fd, "applied_time_extras")), "{\"__time_range\":\"Last day\"}");
    cr_assert_null(json_object_get(fd, "extra_filters"));
    cr_assert_null(json_object_get(fd, "extra_form_data"));
    json_decref(fd);
    /* an existing adhoc filter without expressionType fails (KeyError in the reference) */
    fd = parse("{\"adhoc_filters\": [{\"subject\": \"a\"}], \"extra_filters\": []}");
    cr_assert_not(fd_merge_extra_filters(fd));
    json_decref(fd);
}

Test(explore_payload, request_params) {
    json_t *fd = parse("{\"url_params\": {\"keep\": \"1\"}}");
    fd_merge_request_param(fd, "form_data", "x");
    fd_merge_request_param(fd, "r", "x");
    fd_merge_request_param(fd, "slice_id", "5");
    cr_assert_str_eq(dump(fd), "{\"url_params\":{\"keep\":\"1\",\"slice_id\":\"5\"}}");
    json_decref(fd);
}
