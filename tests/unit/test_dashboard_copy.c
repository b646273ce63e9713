/* Unit tests for the dashboard copy rewriting (domain/dashboard_copy.c) and
 * the dashboard request schemas (fcgi/api/dashboard_schema.c): chart id
 * remapping, filter scopes and default filters as set_dash_metadata
 * rewrites them, and marshmallow's messages. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "domain/dashboard_copy.h"
#include "fcgi/api/dashboard_schema.h"
#include "lib/arena.h"

static arena_t *A;
static void setup(void) { A = arena_new(0); }
static void teardown(void) { arena_free(A); }

TestSuite(dashboard_copy, .init = setup, .fini = teardown);

static json_t *parse(const char *s) {
    json_error_t e;
    json_t *j = json_loads(s, JSON_DECODE_ANY, &e);
    cr_assert_not_null(j, "%s: %s", s, e.text);
    return j;
}

static void assert_json(json_t *got, const char *want) {
    json_t *w = parse(want);
    char *g = json_dumps(got, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    cr_assert(json_equal(got, w), "got %s, want %s", g, want);
    free(g);
    json_decref(w);
}

Test(dashboard_copy, remap_and_chart_ids) {
    json_t *pos = parse("{\"V\": \"v2\", \"C1\": {\"type\": \"CHART\", \"meta\": {\"chartId\": 5}},"
                        " \"C2\": {\"type\": \"CHART\", \"meta\": {\"chartId\": 6}}, \"R\": {\"type\": \"ROW\"}}");
    json_t *map = parse("{\"5\": 50}");
    cr_assert(dash_copy_remap_charts(pos, map));
    assert_json(json_object_get(json_object_get(pos, "C1"), "meta"), "{\"chartId\": 50}");
    assert_json(json_object_get(json_object_get(pos, "C2"), "meta"), "{\"chartId\": null}");
    json_t *ids = dash_copy_chart_ids(pos);
    assert_json(ids, "[50, null, null]");
    json_t *q = dash_copy_query_ids(ids);
    assert_json(q, "[50]");
    json_t *uuids = parse("{\"50\": \"u-50\"}");
    cr_assert(dash_copy_set_uuids(pos, uuids));
    assert_json(json_object_get(json_object_get(pos, "C1"), "meta"), "{\"chartId\": 50, \"uuid\": \"u-50\"}");
    json_decref(uuids);
    json_decref(q);
    json_decref(ids);
    json_decref(map);
    json_decref(pos);
}

Test(dashboard_copy, raises_like_the_reference) {
    json_t *bad_meta = parse("{\"C\": {\"type\": \"CHART\", \"meta\": \"x\"}}");
    cr_assert_not(dash_copy_remap_charts(bad_meta, NULL));
    cr_assert_null(dash_copy_chart_ids(bad_meta));
    json_t *no_type = parse("{\"C\": {\"meta\": {\"chartId\": 1}}}");
    cr_assert_not(dash_copy_set_uuids(no_type, NULL), "obj[\"type\"] raises KeyError");
    json_t *word = parse("[\"abc\"]");
    cr_assert_null(dash_copy_query_ids(word), "the id list does not cast");
    json_t *md = parse("{}");
    json_t *data = parse("{\"default_filters\": \"{\\\"x\\\": 1}\"}");
    json_t *ids = parse("[1]");
    cr_assert_not(dash_copy_metadata(md, data, ids, NULL), "int('x') raises");
    json_decref(ids);
    json_decref(data);
    json_decref(md);
    json_decref(word);
    json_decref(no_type);
    json_decref(bad_meta);
}

Test(dashboard_copy, metadata_rewrite) {
    json_t *md = parse("{\"native_filter_configuration\": [], \"color_namespace\": \"old\", \"positions\": {},"
                       " \"filter_scopes\": {\"9\": {}}, \"refresh_frequency\": 30}");
    json_t *data = parse("{\"color_scheme\": \"s\", \"default_filters\": \"{\\\"5\\\": {\\\"a\\\": 1}, \\\"7\\\": {}}\","
                         " \"filter_scopes\": {\"5\": {\"col\": {\"scope\": [\"ROOT_ID\"], \"immune\": [5, 7]}}}}");
    json_t *ids = parse("[50, null]");
    json_t *map = parse("{\"5\": 50, \"6\": 60}");
    cr_assert(dash_copy_metadata(md, data, ids, map));
    assert_json(md, "{\"native_filter_configuration\": [], \"filter_scopes\": {\"50\": {\"col\": {\"scope\": [\"ROOT_ID\"],"
                    " \"immune\": [50]}}}, \"refresh_frequency\": 0, \"default_filters\": \"{}\","
                    " \"timed_refresh_immune_slices\": [], \"expanded_slices\": {}, \"color_scheme\": \"s\","
                    " \"label_colors\": {}, \"shared_label_colors\": [], \"map_label_colors\": {},"
                    " \"color_scheme_domain\": [], \"cross_filters_enabled\": true}");
    json_decref(map);
    json_decref(ids);
    json_decref(data);
    json_decref(md);

    /* without positions: scopes dropped, defaults filled, the namespace kept from the request */
    md = parse("{\"filter_scopes\": {\"1\": {}}, \"timed_refresh_immune_slices\": [3]}");
    data = parse("{\"color_namespace\": \"ns\", \"expanded_slices\": null}");
    cr_assert(dash_copy_metadata(md, data, NULL, NULL));
    assert_json(md, "{\"timed_refresh_immune_slices\": [3], \"color_namespace\": \"ns\", \"expanded_slices\": null,"
                    " \"refresh_frequency\": 0, \"color_scheme\": \"\", \"label_colors\": {}, \"shared_label_colors\": [],"
                    " \"map_label_colors\": {}, \"color_scheme_domain\": [], \"cross_filters_enabled\": true}");
    json_decref(data);
    json_decref(md);
}

Test(dashboard_copy, schema_messages) {
    static const schema_field_t fields[] = {
        {"title", FS_STR, true, false, 5},  {"flag", FS_BOOL, false, false, 0},
        {"names", FS_LIST_STR, false, false, 0}, {"meta", FS_METADATA, false, true, 0},
        {NULL, 0, false, false, 0},
    };
    json_t *body = parse("{\"title\": \"toolong\", \"flag\": \"maybe\", \"names\": [\"a\", 2, null], \"x\": 1}");
    json_t *e = schema_errors(A, fields, body);
    assert_json(e, "{\"title\": [\"Length must be between 0 and 5.\"], \"flag\": [\"Not a valid boolean.\"],"
                   " \"names\": {\"1\": [\"Not a valid string.\"], \"2\": [\"Field may not be null.\"]},"
                   " \"x\": [\"Unknown field.\"], \"meta\": [\"Missing data for required field.\"]}");
    json_decref(e);
    json_decref(body);
    body = parse("{\"title\": null, \"flag\": \"yes\", \"meta\": \"{\\\"refresh_frequency\\\": \\\"5\\\","
                 " \\\"stagger_time\\\": 1.5, \\\"show_native_filters\\\": true, \\\"shared_label_colors\\\": {}}\"}");
    e = schema_errors(A, fields, body);
    assert_json(e, "{\"meta\": [{\"stagger_time\": [\"Not a valid integer.\"]}]}");
    cr_assert(schema_bool_value(json_object_get(body, "flag")));
    json_decref(e);
    json_decref(body);
    body = parse("{\"meta\": \"\"}");
    cr_assert_null(schema_errors(A, fields, body), "an empty json_metadata is valid");
    json_decref(body);
}
