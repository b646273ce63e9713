/* /api/v1/tag writes and tagged objects: POST / (custom tag created or
 * reused, objects a Gamma user neither owns nor created skipped), schema
 * errors (400), invalid object types (422), PUT /<pk> replacing the tagged
 * objects, POST /bulk_create, tagging and untagging one object by type
 * number, GET /get_objects/ and the favorite endpoints. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/integration/harness.h"
#include "tests/integration/rest_client.h"

static long long chart_id(const char *name, const char *creator) {
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO slices (slice_name, viz_type, created_on, changed_on, created_by_fk, uuid)"
             " VALUES ('%s', 'table', now(), now(), (SELECT id FROM ab_user WHERE username = '%s'), gen_random_uuid())"
             " RETURNING id",
             name, creator);
    return atoll(rest_sql(sql));
}

static void cleanup(void) {
    rest_sql("DELETE FROM tagged_object WHERE tag_id IN (SELECT id FROM tag WHERE name LIKE 'tw\\_%')"
             " OR object_id IN (SELECT id FROM slices WHERE slice_name LIKE 'tw\\_%') AND object_type = 'chart'");
    rest_sql("DELETE FROM user_favorite_tag WHERE tag_id IN (SELECT id FROM tag WHERE name LIKE 'tw\\_%')");
    rest_sql("DELETE FROM tag WHERE name LIKE 'tw\\_%'");
    rest_sql("DELETE FROM slices WHERE slice_name LIKE 'tw\\_%'");
}

static json_t *call(rest_session_t *s, const char *method, const char *path, const char *body, int want) {
    int st;
    json_t *j = rest_call(s, method, path, body, &st);
    char *dump = json_dumps(j, JSON_SORT_KEYS);
    cr_assert_eq(st, want, "%s %s: %d %s", method, path, st, dump);
    free(dump);
    return j;
}

static char *dumps(json_t *j) { return json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT); }

Test(tag_write, post_put_and_objects) {
    cleanup();
    long long c1 = chart_id("tw_c1", "admin"), c2 = chart_id("tw_c2", "admin");
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    char body[512], path[256], sql[256];
    snprintf(body, sizeof body, "{\"name\": \" tw_one \", \"description\": \"first\", \"objects_to_tag\": [[\"chart\", %lld]]}", c1);
    json_t *j = call(&admin, "POST", "/api/v1/tag/", body, 201);
    char *d = dumps(j);
    cr_assert_str_eq(d, "{}");
    free(d);
    json_decref(j);
    cr_assert_str_eq(rest_sql("SELECT type || '|' || description FROM tag WHERE name = 'tw_one'"), "custom|first",
                     "the name is stripped, the tag is custom");
    long long id = atoll(rest_sql("SELECT id FROM tag WHERE name = 'tw_one'"));
    snprintf(sql, sizeof sql, "SELECT string_agg(object_type || ':' || object_id, ',') FROM tagged_object WHERE tag_id = %lld", id);
    char want[128];
    snprintf(want, sizeof want, "chart:%lld", c1);
    cr_assert_str_eq(rest_sql(sql), want);

    /* the same name again reuses the tag and replaces its objects; description defaults to "" */
    snprintf(body, sizeof body, "{\"name\": \"tw_one\", \"objects_to_tag\": [[\"chart\", %lld]]}", c2);
    json_decref(call(&admin, "POST", "/api/v1/tag/", body, 201));
    snprintf(want, sizeof want, "chart:%lld", c2);
    cr_assert_str_eq(rest_sql(sql), want);
    cr_assert_str_eq(rest_sql("SELECT count(*) || '|' || min(description) FROM tag WHERE name = 'tw_one'"), "1|");

    /* schema errors */
    j = call(&admin, "POST", "/api/v1/tag/",
             "{\"name\": \"\", \"bogus\": 1, \"objects_to_tag\": [[\"chart\", \"x\"], [\"chart\"], 5, [\"chart\", 0]]}", 400);
    d = dumps(j);
    cr_assert_str_eq(d, "{\"message\":{\"bogus\":[\"Unknown field.\"],\"name\":[\"Shorter than minimum length 1.\"],"
                        "\"objects_to_tag\":{\"0\":{\"1\":[\"Not a valid integer.\"]},\"1\":[\"Length must be 2.\"],"
                        "\"2\":[\"Not a valid tuple.\"],\"3\":{\"1\":[\"Must be greater than or equal to 1.\"]}}}}");
    free(d);
    json_decref(j);
    j = call(&admin, "POST", "/api/v1/tag/", "[1]", 400);
    d = dumps(j);
    cr_assert_str_eq(d, "{\"message\":{\"_schema\":[\"Invalid input type.\"]}}");
    free(d);
    json_decref(j);
    json_decref(call(&admin, "POST", "/api/v1/tag/", "{\"name\": ", 400));
    /* an unknown object type is a command error without messages */
    j = call(&admin, "POST", "/api/v1/tag/", "{\"name\": \"tw_bad\", \"objects_to_tag\": [[\"widget\", 1]]}", 422);
    d = dumps(j);
    cr_assert_str_eq(d, "{\"message\":{}}");
    free(d);
    json_decref(j);
    cr_assert_str_eq(rest_sql("SELECT count(*) FROM tag WHERE name = 'tw_bad'"), "0");

    /* PUT renames, describes and replaces the objects; the answer echoes the body */
    snprintf(path, sizeof path, "/api/v1/tag/%lld", id);
    snprintf(body, sizeof body, "{\"name\": \"tw_renamed\", \"description\": \"x\", \"objects_to_tag\": [[\"chart\", %lld], [\"dashboard\", 7]]}", c1);
    j = call(&admin, "PUT", path, body, 200);
    cr_assert_eq(json_integer_value(json_object_get(j, "id")), id);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "result"), "name")), "tw_renamed");
    json_decref(j);
    snprintf(sql, sizeof sql, "SELECT string_agg(object_type || ':' || object_id, ',' ORDER BY object_type) FROM tagged_object WHERE tag_id = %lld", id);
    snprintf(want, sizeof want, "chart:%lld,dashboard:7", c1);
    cr_assert_str_eq(rest_sql(sql), want);
    json_decref(call(&admin, "PUT", "/api/v1/tag/99999999", "{\"name\": \"tw_x\"}", 500)); /* TagNotFoundError is not caught */
    json_decref(call(&admin, "PUT", path, "{\"name\": 5}", 400));

    /* get_objects by id and by name, filtered by type */
    snprintf(path, sizeof path, "/api/v1/tag/get_objects/?tagIds=%lld&types=chart", id);
    j = call(&admin, "GET", path, NULL, 200);
    json_t *res = json_object_get(j, "result");
    cr_assert_eq(json_array_size(res), 1);
    json_t *o = json_array_get(res, 0);
    cr_assert_str_eq(json_string_value(json_object_get(o, "name")), "tw_c1");
    cr_assert_str_eq(json_string_value(json_object_get(o, "type")), "chart");
    cr_assert_str_eq(json_string_value(json_object_get(o, "creator")), "Admin User");
    snprintf(want, sizeof want, "/explore/?slice_id=%lld", c1);
    cr_assert_str_eq(json_string_value(json_object_get(o, "url")), want);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(o, "tags"), 0), "type")), "TagType.custom");
    json_decref(j);
    j = call(&admin, "GET", "/api/v1/tag/get_objects/?tags=tw_renamed,tw_none", NULL, 200);
    cr_assert_eq(json_array_size(json_object_get(j, "result")), 1, "the dashboard id 7 does not exist: only the chart");
    json_decref(j);
    json_decref(call(&admin, "GET", "/api/v1/tag/get_objects/?tagIds=1&types=widget", NULL, 500));

    /* one object tagged by names, then untagged */
    snprintf(path, sizeof path, "/api/v1/tag/2/%lld/", c2);
    json_decref(call(&admin, "POST", path, "{\"properties\": {\"tags\": [\"tw_a\", \" tw_b\", \"tw_a\"]}}", 201));
    snprintf(sql, sizeof sql, "SELECT string_agg(g.name, ',' ORDER BY g.name) FROM tagged_object o JOIN tag g ON g.id = o.tag_id"
                              " WHERE o.object_type = 'chart' AND o.object_id = %lld AND g.name IN ('tw_a', 'tw_b')", c2);
    cr_assert_str_eq(rest_sql(sql), "tw_a,tw_b");
    j = call(&admin, "POST", path, "{\"properties\": {}}", 400);
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")), "Missing required field 'tags' in 'properties'");
    json_decref(j);
    j = call(&admin, "POST", "/api/v1/tag/9/1/", "{\"properties\": {\"tags\": [\"tw_a\"]}}", 422);
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")), "Invalid tag");
    json_decref(j);
    snprintf(path, sizeof path, "/api/v1/tag/2/%lld/tw_a/", c2);
    j = call(&admin, "DELETE", path, NULL, 200);
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")), "OK");
    json_decref(j);
    j = call(&admin, "DELETE", path, NULL, 422);
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")), "Could not process entity");
    json_decref(j);
    cr_assert_str_eq(rest_sql(sql), "tw_b");
    cleanup();
}

Test(tag_write, bulk_create_and_gamma_skips) {
    cleanup();
    rest_create_user("Gamma", "tw_gamma");
    long long mine = chart_id("tw_mine", "tw_gamma"), other = chart_id("tw_other", "admin");
    rest_session_t gamma;
    rest_open(&gamma, "tw_gamma", "tw_gamma");
    char body[512];
    snprintf(body, sizeof body,
             "{\"tags\": [{\"name\": \"tw_bulk1\", \"objects_to_tag\": [[\"chart\", %lld], [\"chart\", %lld]]},"
             " {\"name\": \"tw_bulk2\", \"description\": null, \"objects_to_tag\": [[\"dataset\", 3]]}]}",
             mine, other);
    json_t *j = call(&gamma, "POST", "/api/v1/tag/bulk_create", body, 200);
    json_t *r = json_object_get(j, "result");
    char *tagged = dumps(json_object_get(r, "objects_tagged")), *skipped = dumps(json_object_get(r, "objects_skipped"));
    char want[128];
    snprintf(want, sizeof want, "[[\"chart\",%lld]]", other);
    cr_assert_str_eq(skipped, want, "a chart Gamma neither owns nor created is skipped");
    cr_assert(strstr(tagged, "[\"dataset\",3]") && !strstr(tagged, want), "%s", tagged);
    free(tagged);
    free(skipped);
    json_decref(j);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM tagged_object o JOIN tag g ON g.id = o.tag_id WHERE g.name = 'tw_bulk1'"
                              " AND o.object_id = %lld", other);
    cr_assert_str_eq(rest_sql(sql), "0");
    j = call(&gamma, "POST", "/api/v1/tag/bulk_create", "{\"tags\": [{\"name\": \"tw_x\", \"objects_to_tag\": [[\"widget\", 1]]}]}", 422);
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")), "Tag parameters are invalid.");
    json_decref(j);
    j = call(&gamma, "POST", "/api/v1/tag/bulk_create", "{\"tags\": [{\"nam\": 1}]}", 400);
    char *d = dumps(j);
    cr_assert_str_eq(d, "{\"message\":{\"tags\":{\"0\":{\"nam\":[\"Unknown field.\"]}}}}");
    free(d);
    json_decref(j);
    json_decref(call(&gamma, "POST", "/api/v1/tag/bulk_create", "{\"tags\": [{\"name\": \"tw_y\"}]}", 500));

    /* POST as Gamma: the other chart is skipped, the own one tagged */
    snprintf(body, sizeof body, "{\"name\": \"tw_g\", \"objects_to_tag\": [[\"chart\", %lld], [\"chart\", %lld]]}", mine, other);
    json_decref(call(&gamma, "POST", "/api/v1/tag/", body, 201));
    snprintf(sql, sizeof sql, "SELECT string_agg(o.object_id::text, ',') FROM tagged_object o JOIN tag g ON g.id = o.tag_id"
                              " WHERE g.name = 'tw_g'");
    snprintf(want, sizeof want, "%lld", mine);
    cr_assert_str_eq(rest_sql(sql), want);

    /* favorites */
    long long id = atoll(rest_sql("SELECT id FROM tag WHERE name = 'tw_g'"));
    char path[128];
    snprintf(path, sizeof path, "/api/v1/tag/%lld/favorites/", id);
    j = call(&gamma, "POST", path, NULL, 200);
    cr_assert_str_eq(json_string_value(json_object_get(j, "result")), "OK");
    json_decref(j);
    json_decref(call(&gamma, "POST", path, NULL, 200));
    snprintf(sql, sizeof sql, "SELECT count(*) FROM user_favorite_tag WHERE tag_id = %lld", id);
    cr_assert_str_eq(rest_sql(sql), "1");
    char q[128];
    snprintf(q, sizeof q, "/api/v1/tag/favorite_status/?q=!(%lld,99999999)", id);
    j = call(&gamma, "GET", q, NULL, 200);
    d = dumps(j);
    char wantj[160];
    snprintf(wantj, sizeof wantj, "{\"result\":[{\"id\":%lld,\"value\":true},{\"id\":99999999,\"value\":false}]}", id);
    cr_assert_str_eq(d, wantj);
    free(d);
    json_decref(j);
    json_decref(call(&gamma, "GET", "/api/v1/tag/favorite_status/?q=!(a)", NULL, 400));
    json_decref(call(&gamma, "DELETE", path, NULL, 200));
    json_decref(call(&gamma, "DELETE", path, NULL, 500)); /* removing an absent favorite raises in the reference */
    json_decref(call(&gamma, "POST", "/api/v1/tag/99999999/favorites/", NULL, 404));
    cleanup();
}

/* Tags in the chart, dashboard and saved query lists (id, name, type by
 * value) with the *_tags (name contains) and *_tag_id filters; a dashboard
 * sharing the chart's id does not see the chart's tags. */
Test(tag_write, tags_in_lists) {
    cleanup();
    rest_sql("DELETE FROM dashboards WHERE slug LIKE 'tw-%'");
    rest_sql("DELETE FROM saved_query WHERE label LIKE 'tw\\_%'");
    long long chart = chart_id("tw_listed", "admin");
    char sql[512], path[256], body[256];
    snprintf(sql, sizeof sql, "INSERT INTO dashboards (id, dashboard_title, slug, created_on, changed_on, uuid, published)"
                              " VALUES (%lld, 'tw dash', 'tw-dash', now(), now(), gen_random_uuid(), true)"
                              " ON CONFLICT (id) DO NOTHING RETURNING id", chart);
    long long dash = atoll(rest_sql(sql));
    long long sq = atoll(rest_sql("INSERT INTO saved_query (label, sql, created_by_fk, changed_by_fk, created_on, changed_on)"
                                  " VALUES ('tw_query', 'SELECT 1', 1, 1, now(), now()) RETURNING id"));
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    snprintf(body, sizeof body, "{\"name\": \"tw_listed_tag\", \"objects_to_tag\": [[\"chart\", %lld], [\"query\", %lld]]}",
             chart, sq);
    json_decref(call(&admin, "POST", "/api/v1/tag/", body, 201));
    long long tag = atoll(rest_sql("SELECT id FROM tag WHERE name = 'tw_listed_tag'"));

    json_t *j = call(&admin, "GET", "/api/v1/chart/?q=(filters:!((col:tags,opr:chart_tags,value:listed_t)))", NULL, 200);
    cr_assert_eq(json_integer_value(json_object_get(j, "count")), 1);
    json_t *row = json_array_get(json_object_get(j, "result"), 0);
    cr_assert_eq(json_integer_value(json_object_get(row, "id")), chart);
    json_t *t = json_array_get(json_object_get(row, "tags"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(t, "name")), "tw_listed_tag");
    cr_assert_eq(json_integer_value(json_object_get(t, "type")), 1, "TagType dumps by value");
    cr_assert_eq(json_integer_value(json_object_get(t, "id")), tag);
    json_t *cols = json_object_get(j, "list_columns");
    bool listed = false;
    for (size_t i = 0; i < json_array_size(cols); i++)
        listed = listed || !strcmp(json_string_value(json_array_get(cols, i)), "tags.type");
    cr_assert(listed, "tags.type is a list column");
    json_decref(j);
    snprintf(path, sizeof path, "/api/v1/chart/?q=(filters:!((col:tags,opr:chart_tag_id,value:%lld)))", tag);
    j = call(&admin, "GET", path, NULL, 200);
    cr_assert_eq(json_integer_value(json_object_get(j, "count")), 1);
    json_decref(j);

    snprintf(path, sizeof path, "/api/v1/saved_query/?q=(filters:!((col:tags,opr:saved_query_tag_id,value:%lld)))", tag);
    j = call(&admin, "GET", path, NULL, 200);
    cr_assert_eq(json_integer_value(json_object_get(j, "count")), 1);
    row = json_array_get(json_object_get(j, "result"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(row, "tags"), 0), "name")), "tw_listed_tag");
    json_decref(j);
    j = call(&admin, "GET", "/api/v1/saved_query/?q=(filters:!((col:tags,opr:saved_query_tags,value:nothing_like_it)))", NULL, 200);
    cr_assert_eq(json_integer_value(json_object_get(j, "count")), 0);
    json_decref(j);

    if (dash > 0) { /* the dashboard with the chart's id carries no tag */
        snprintf(path, sizeof path, "/api/v1/dashboard/?q=(filters:!((col:dashboard_title,opr:eq,value:'tw%%20dash')))");
        j = call(&admin, "GET", path, NULL, 200);
        row = json_array_get(json_object_get(j, "result"), 0);
        cr_assert_eq(json_array_size(json_object_get(row, "tags")), 0);
        json_decref(j);
        snprintf(body, sizeof body, "{\"properties\": {\"tags\": [\"tw_dash_tag\"]}}");
        snprintf(path, sizeof path, "/api/v1/tag/3/%lld/", dash);
        json_decref(call(&admin, "POST", path, body, 201));
        j = call(&admin, "GET", "/api/v1/dashboard/?q=(filters:!((col:tags,opr:dashboard_tags,value:tw_dash)))", NULL, 200);
        cr_assert_eq(json_integer_value(json_object_get(j, "count")), 1);
        row = json_array_get(json_object_get(j, "result"), 0);
        t = json_array_get(json_object_get(row, "tags"), 0);
        cr_assert_str_eq(json_string_value(json_object_get(t, "name")), "tw_dash_tag");
        cr_assert_eq(json_integer_value(json_object_get(t, "type")), 1);
        json_decref(j);
        snprintf(path, sizeof path, "/api/v1/dashboard/%lld", dash);
        j = call(&admin, "GET", path, NULL, 200);
        t = json_array_get(json_object_get(json_object_get(j, "result"), "tags"), 0);
        cr_assert_str_eq(json_string_value(json_object_get(t, "name")), "tw_dash_tag");
        json_decref(j);
        rest_sql("DELETE FROM tagged_object WHERE tag_id IN (SELECT id FROM tag WHERE name = 'tw_dash_tag')");
        rest_sql("DELETE FROM dashboards WHERE slug = 'tw-dash'");
    }
    snprintf(sql, sizeof sql, "DELETE FROM tagged_object WHERE object_type = 'query' AND object_id = %lld", sq);
    rest_sql(sql);
    rest_sql("DELETE FROM saved_query WHERE label LIKE 'tw\\_%'");
    cleanup();
}
