/* Unit tests for the bundle pieces that need no database: YAML parsing with
 * PyYAML's scalar rules and alias limits, the PyYAML-style YAML writer,
 * ZIP writing and reading with the safety limits, the import schemas'
 * marshmallow messages and their Python str() form, werkzeug's
 * secure_filename, and the dashboard id rewiring of imports. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "domain/bundle_export.h"
#include "domain/bundle_import.h"
#include "domain/bundle_schema.h"
#include "lib/arena.h"
#include "lib/yaml_json.h"
#include "lib/zipfile.h"

static char *dump(const json_t *j) { return json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY); }

static void expect_yaml(const char *yaml, const char *json) {
    json_t *j = yaml_to_json(yaml, strlen(yaml));
    cr_assert_not_null(j, "%s", yaml);
    char *s = dump(j);
    cr_assert_str_eq(s, json, "%s", yaml);
    free(s);
    json_decref(j);
}

Test(bundle_yaml, pyyaml_scalars) {
    expect_yaml("a: yes\nb: Off\nc: ~\nd:\ne: 0x1F\nf: 010\ng: 1_000\nh: 1.5\ni: '1.5'\nj: 1.0.0\nk: .inf\n",
                "{\"a\":true,\"b\":false,\"c\":null,\"d\":null,\"e\":31,\"f\":8,\"g\":1000,\"h\":1.5,\"i\":\"1.5\","
                "\"j\":\"1.0.0\",\"k\":\".inf\"}");
    expect_yaml("t: '2020-12-11T22:52:56.534241+00:00'\nlist:\n- 1\n- x\nnested: {a: [1, 2]}\n",
                "{\"t\":\"2020-12-11T22:52:56.534241+00:00\",\"list\":[1,\"x\"],\"nested\":{\"a\":[1,2]}}");
    expect_yaml("", "null");
    expect_yaml("x: &a [1]\ny: *a\n", "{\"x\":[1],\"y\":[1]}");
    cr_assert_null(yaml_to_json("a: [1, 2\n", 9));
    cr_assert_null(yaml_to_json("a: b: c\n", 8));
}

Test(bundle_yaml, alias_bomb_is_refused) {
    const char *bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
                       "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                       "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                       "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                       "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
                       "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
                       "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n";
    cr_assert_null(yaml_to_json(bomb, strlen(bomb)));
}

Test(bundle_yaml, safe_dump_style) {
    json_t *j = json_loads("{\"version\":\"1.0.0\",\"timestamp\":\"2020-12-11T22:52:56.534241+00:00\",\"n\":null,"
                           "\"t\":true,\"s\":\"yes\",\"num\":\"12\",\"f\":0.5,\"big\":1e20,\"e\":\"\",\"list\":[1,{\"a\":[]}],"
                           "\"obj\":{},\"colon\":\"a: b\",\"u\":\"caf\\u00e9\"}", 0, NULL);
    size_t len;
    char *y = json_to_yaml(j, &len);
    cr_assert_str_eq(y, "version: 1.0.0\ntimestamp: '2020-12-11T22:52:56.534241+00:00'\nn: null\nt: true\ns: 'yes'\n"
                        "num: '12'\nf: 0.5\nbig: 1.0e+20\ne: ''\nlist:\n- 1\n- a: []\nobj: {}\ncolon: 'a: b'\n"
                        "u: \"caf\\xE9\"\n");
    /* and it reads back as the same value */
    json_t *back = yaml_to_json(y, len);
    json_t *expect = json_deep_copy(j);
    json_object_set_new(expect, "big", json_real(1e20));
    cr_assert(json_equal(back, expect));
    json_decref(back);
    json_decref(expect);
    free(y);
    json_decref(j);
    cr_assert(yaml_plain_is_string("hello"));
    cr_assert(!yaml_plain_is_string("2021-01-01"));
    cr_assert(!yaml_plain_is_string("NULL"));
    cr_assert(!yaml_plain_is_string("-1_0"));
}

static void collect(void *ud, const char *name, const char *data, size_t len) {
    json_object_set_new(ud, name, json_stringn(data, len));
}

Test(bundle_zip, write_read_and_limits) {
    zipf_writer_t *w = zipf_writer_new();
    char big[4096];
    memset(big, 'a', sizeof big);
    cr_assert(zipf_writer_add(w, "b/metadata.yaml", "version: 1.0.0\n", 15));
    cr_assert(zipf_writer_add(w, "b/big.txt", big, sizeof big));
    char *zip;
    size_t len;
    cr_assert(zipf_writer_finish(w, &zip, &len));
    json_t *m = json_object();
    cr_assert_eq(zipf_read(zip, len, 1 << 20, 200, NULL, collect, m), ZIPF_OK);
    cr_assert_str_eq(json_string_value(json_object_get(m, "b/metadata.yaml")), "version: 1.0.0\n");
    cr_assert_eq(json_string_length(json_object_get(m, "b/big.txt")), sizeof big);
    cr_assert_eq(zipf_read(zip, len, 100, 200, NULL, collect, m), ZIPF_TOO_LARGE);
    cr_assert_eq(zipf_read("PK\x03\x04 nope", 11, 1 << 20, 200, NULL, collect, m), ZIPF_NOT_ZIP);
    cr_assert_eq(zipf_read("", 0, 1 << 20, 200, NULL, collect, m), ZIPF_NOT_ZIP);
    free(zip);
    json_decref(m);
}

static json_t *Y(const char *yaml) { return yaml_to_json(yaml, strlen(yaml)); }

Test(bundle_schema, marshmallow_messages_and_repr) {
    json_t *c = Y("slice_name: 7\nviz_type: table\nuuid: nope\nversion: 1.0.0\nextra_key: 1\nparams: []\n");
    json_t *e = bundle_validate(BUNDLE_CHARTS, c, false);
    char *r = bundle_py_repr(e);
    cr_assert_str_eq(r, "{'slice_name': ['Not a valid string.'], 'params': ['Not a valid mapping type.'], 'uuid': "
                        "['Not a valid UUID.'], 'dataset_uuid': ['Missing data for required field.'], 'extra_key': "
                        "['Unknown field.']}");
    free(r);
    json_decref(e);
    json_decref(c);

    c = Y("table_name: t\nuuid: 6b2de44e-7db1-4264-bfc1-ac3c00d42fad\nversion: 1.0.0\n"
          "database_uuid: 6b2de44e7db14264bfc1ac3c00d42fad\ncolumns:\n- column_name: a\n- verbose_name: x\n"
          "metrics:\n- metric_name: m\n  expression: COUNT(*)\n  extra: '{\"warning_markdown\": null}'\n");
    e = bundle_validate(BUNDLE_DATASETS, c, false);
    r = bundle_py_repr(e);
    cr_assert_str_eq(r, "{'columns': {1: {'column_name': ['Missing data for required field.']}}}");
    free(r);
    json_decref(e);
    cr_assert(json_is_object(json_object_get(json_array_get(json_object_get(c, "metrics"), 0), "extra")),
              "metric extra text is decoded like the schema's pre_load");
    json_decref(c);

    c = Y("database_name: x\nsqlalchemy_uri: postgresql://u:XXXXXXXXXX@h/db\nuuid: 6b2de44e-7db1-4264-bfc1-ac3c00d42fad\n"
          "version: 1.0.0\n");
    e = bundle_validate(BUNDLE_DATABASES, c, false);
    r = bundle_py_repr(e);
    cr_assert_str_eq(r, "{'_schema': ['Must provide a password for the database']}");
    free(r);
    json_decref(e);
    cr_assert_null(bundle_validate(BUNDLE_DATABASES, c, true), "an existing database keeps its password");
    json_object_set_new(c, "password", json_string("pw"));
    cr_assert_null(bundle_validate(BUNDLE_DATABASES, c, false));
    json_decref(c);

    bool bad;
    c = Y("version: 1.0.0\ntype: Slice\ntimestamp: nope\n");
    e = bundle_validate_metadata(c, &bad);
    cr_assert(!bad);
    r = bundle_py_repr(e);
    cr_assert_str_eq(r, "{'timestamp': ['Not a valid datetime.']}");
    free(r);
    json_decref(e);
    json_decref(c);
    c = Y("version: 2.0.0\n");
    json_decref(bundle_validate_metadata(c, &bad));
    cr_assert(bad);
    json_decref(c);

    json_t *s = json_string("it's");
    r = bundle_py_repr(s);
    cr_assert_str_eq(r, "it's");
    free(r);
    json_t *l = json_pack("[o]", s);
    r = bundle_py_repr(l);
    cr_assert_str_eq(r, "[\"it's\"]");
    free(r);
    json_decref(l);
    cr_assert_eq(bundle_kind_of("charts/x.yaml"), BUNDLE_CHARTS);
    cr_assert_eq(bundle_kind_of("themes/x.yaml"), BUNDLE_THEMES);
    cr_assert_eq(bundle_kind_of("tags/x.yaml"), -1);
    cr_assert_eq(bundle_kind_of("metadata.yaml"), -1);
}

Test(bundle_export, secure_filename) {
    arena_t *a = arena_new(0);
    cr_assert_str_eq(bundle_secure_filename(a, "My Chart: Sales/Q1"), "My_Chart_Sales_Q1");
    cr_assert_str_eq(bundle_secure_filename(a, "\xc3\x89lan vital"), "Elan_vital");
    cr_assert_str_eq(bundle_secure_filename(a, "../../etc/passwd"), "etc_passwd");
    cr_assert_str_eq(bundle_secure_filename(a, "  __.hidden.  "), "hidden");
    cr_assert_str_eq(bundle_secure_filename(a, "\xe2\x98\x83"), "");
    arena_free(a);
}

Test(bundle_refs, dashboard_ids_follow_uuids) {
    json_t *cfg = Y("position:\n  CHART-1:\n    type: CHART\n    meta: {chartId: 10, uuid: u1}\n"
                    "  CHART-2:\n    type: CHART\n    meta: {chartId: 11, uuid: u2}\n"
                    "metadata:\n  timed_refresh_immune_slices: [10]\n  expanded_slices: {'10': true}\n"
                    "  filter_scopes: {'10': {col: {immune: [11, 99]}}}\n  default_filters: '{\"11\": {\"a\": 1}}'\n"
                    "  chart_configuration: {'11': {id: 11, crossFilters: {scope: {excluded: [10]}}}}\n"
                    "  native_filter_configuration:\n  - targets: [{datasetUuid: d1, column: {name: x}}]\n"
                    "    scope: {excluded: [11]}\n");
    json_t *charts = json_pack("{s:i,s:i}", "u1", 100, "u2", 200);
    json_t *datasets = json_pack("{s:i}", "d1", 7);
    bundle_update_dashboard_refs(cfg, charts, datasets);
    char *s = dump(json_object_get(cfg, "metadata"));
    cr_assert_str_eq(s, "{\"timed_refresh_immune_slices\":[100],\"expanded_slices\":{\"100\":true},"
                        "\"filter_scopes\":{\"100\":{\"col\":{\"immune\":[200]}}},\"default_filters\":"
                        "\"{\\\"200\\\": {\\\"a\\\": 1}}\",\"chart_configuration\":{\"200\":{\"id\":200,\"crossFilters\":"
                        "{\"scope\":{\"excluded\":[100]}}}},\"native_filter_configuration\":[{\"targets\":[{\"column\":"
                        "{\"name\":\"x\"},\"datasetId\":7}],\"scope\":{\"excluded\":[200]}}]}");
    free(s);
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(json_object_get(json_object_get(cfg, "position"),
                                                                                    "CHART-2"), "meta"), "chartId")),
                 200);
    json_t *uuids = bundle_position_chart_uuids(json_object_get(cfg, "position"));
    s = dump(uuids);
    cr_assert_str_eq(s, "[\"u1\",\"u2\"]");
    free(s);
    json_decref(uuids);
    json_decref(charts);
    json_decref(datasets);
    json_decref(cfg);
}

/* Outputs recorded from PyYAML 6.0 yaml.safe_dump(doc, sort_keys=False):
 * line folding in each scalar style, complex keys, base-60 look-alikes. */
Test(bundle_yaml, pyyaml_folding_and_complex_keys) {
    json_t *doc = json_loads(
        "{\"e\": \"emoji \\ud83d\\ude97 text emoji \\ud83d\\ude97 text emoji \\ud83d\\ude97 text emoji \\ud83d\\ude97 "
        "text emoji \\ud83d\\ude97 text emoji \\ud83d\\ude97 text \", \"w\": \"word word word word word word word word "
        "word word word word word word word word word word word word word word word word word word word word word word\", "
        "\"s\": \"long 'quoted' text long 'quoted' text long 'quoted' text long 'quoted' text long 'quoted' text long "
        "'quoted' text \"}",
        0, NULL);
    cr_assert_not_null(doc);
    char key[131];
    memset(key, 'k', 130);
    key[130] = 0;
    json_object_set_new(doc, key, json_integer(1));
    json_object_set_new(doc, "multi\nline", json_integer(2));
    json_object_set_new(doc, "t", json_string("19:00:00"));
    json_object_set_new(doc, "n", json_string("08:00:00"));
    char *y = json_to_yaml(doc, NULL);
    char expect[2048];
    snprintf(expect, sizeof expect,
             "e: \"emoji \\U0001F697 text emoji \\U0001F697 text emoji \\U0001F697 text emoji \\U0001F697\\\n  \\ text emoji "
             "\\U0001F697 text emoji \\U0001F697 text \"\nw: word word word word word word word word word word word word word "
             "word word word\n  word word word word word word word word word word word word word word\ns: 'long ''quoted'' "
             "text long ''quoted'' text long ''quoted'' text long ''quoted''\n  text long ''quoted'' text long ''quoted'' "
             "text '\n? %s\n: 1\n? 'multi\n\n  line'\n: 2\nt: '19:00:00'\nn: 08:00:00\n", key);
    cr_assert_str_eq(y, expect);
    free(y);
    json_decref(doc);
    expect_yaml("a: 19:00:00\nb: 1:30.5\nc: 1:60\n", "{\"a\":68400,\"b\":90.5,\"c\":\"1:60\"}");
}
