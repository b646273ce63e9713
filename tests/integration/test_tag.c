/* /api/v1/tag: list with the custom_tag filter and type dumped by value,
 * item, _info permissions, DELETE /<pk> (tagged objects detached, favorites
 * dropped) and bulk delete by names ("Deleted N tags", 422 on an unknown
 * name, 400 on a non-string list). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/integration/harness.h"
#include "tests/integration/rest_client.h"

static long long make_tag(const char *name, const char *type) {
    char sql[400];
    snprintf(sql, sizeof sql,
             "INSERT INTO tag (id, name, type, description, created_on, changed_on, created_by_fk, changed_by_fk)"
             " VALUES ((SELECT coalesce(max(id), 0) + 1 FROM tag), '%s', '%s', 'd', now(), now(), 1, 1) RETURNING id",
             name, type);
    return atoll(rest_sql(sql));
}

Test(tag, list_filter_item_delete) {
    rest_sql("DELETE FROM tagged_object WHERE tag_id IN (SELECT id FROM tag WHERE name LIKE 'lt_%')");
    rest_sql("DELETE FROM tag WHERE name LIKE 'lt_%'");
    long long custom = make_tag("lt_custom", "custom");
    long long typed = make_tag("lt_type:chart", "type");
    cr_assert(custom > 0 && typed > 0);
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    int st;
    json_t *j = rest_call(&admin, "GET",
                          "/api/v1/tag/?q=(filters:!((col:name,opr:sw,value:lt_),(col:type,opr:custom_tag,value:!t)))",
                          NULL, &st);
    cr_assert_eq(st, 200, "%s", json_dumps(j, 0));
    cr_assert_eq(json_integer_value(json_object_get(j, "count")), 1);
    json_t *row = json_array_get(json_object_get(j, "result"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(row, "name")), "lt_custom");
    cr_assert_eq(json_integer_value(json_object_get(row, "type")), 1, "TagType.custom dumps by value");
    cr_assert_str_eq(json_string_value(json_object_get(j, "list_title")), "List Tag");
    json_decref(j);
    j = rest_call(&admin, "GET",
                  "/api/v1/tag/?q=(filters:!((col:name,opr:sw,value:lt_),(col:type,opr:custom_tag,value:!f)))", NULL, &st);
    cr_assert_eq(st, 200);
    cr_assert_eq(json_integer_value(json_object_get(j, "count")), 1);
    row = json_array_get(json_object_get(j, "result"), 0);
    cr_assert_eq(json_integer_value(json_object_get(row, "type")), 2);
    json_decref(j);

    char path[128], sql[256];
    snprintf(path, sizeof path, "/api/v1/tag/%lld", custom);
    j = rest_call(&admin, "GET", path, NULL, &st);
    cr_assert_eq(st, 200);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "result"), "description")), "d");
    json_decref(j);

    snprintf(sql, sizeof sql,
             "INSERT INTO tagged_object (id, tag_id, object_id, object_type) VALUES"
             " ((SELECT coalesce(max(id), 0) + 1 FROM tagged_object), %lld, 424242, 'chart') RETURNING id", custom);
    long long tobj = atoll(rest_sql(sql));
    snprintf(sql, sizeof sql, "INSERT INTO user_favorite_tag (user_id, tag_id) VALUES (1, %lld)", custom);
    rest_sql(sql);
    j = rest_call(&admin, "DELETE", path, NULL, &st);
    cr_assert_eq(st, 200, "%s", json_dumps(j, 0));
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")), "OK");
    json_decref(j);
    snprintf(sql, sizeof sql, "SELECT coalesce(tag_id::text, 'null') FROM tagged_object WHERE id = %lld", tobj);
    cr_assert_str_eq(rest_sql(sql), "null", "the tagged object is detached");
    snprintf(sql, sizeof sql, "DELETE FROM tagged_object WHERE id = %lld", tobj);
    rest_sql(sql);
    j = rest_call(&admin, "DELETE", path, NULL, &st);
    cr_assert_eq(st, 404);
    json_decref(j);
    snprintf(sql, sizeof sql, "DELETE FROM tag WHERE id = %lld", typed);
    rest_sql(sql);
}

Test(tag, bulk_delete_by_names) {
    rest_sql("DELETE FROM tag WHERE name LIKE 'lt_bulk%'");
    make_tag("lt_bulk_a", "custom");
    make_tag("lt_bulk_b", "custom");
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    int st;
    json_t *j = rest_call(&admin, "DELETE", "/api/v1/tag/?q=!(lt_bulk_a,lt_bulk_zz)", NULL, &st);
    cr_assert_eq(st, 422, "%s", json_dumps(j, 0));
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")),
                     "Invalid tag parameters: ['lt_bulk_a', 'lt_bulk_zz']. Tag parameters are invalid.");
    json_decref(j);
    j = rest_call(&admin, "DELETE", "/api/v1/tag/?q=!(1)", NULL, &st);
    cr_assert_eq(st, 400);
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")), "Not a valid rison schema 1 is not of type 'string'");
    json_decref(j);
    j = rest_call(&admin, "DELETE", "/api/v1/tag/?q=!(lt_bulk_a,lt_bulk_b)", NULL, &st);
    cr_assert_eq(st, 200, "%s", json_dumps(j, 0));
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")), "Deleted 2 tags");
    json_decref(j);
    cr_assert_str_eq(rest_sql("SELECT count(*) FROM tag WHERE name LIKE 'lt_bulk%'"), "0");
}

Test(tag, info_permissions) {
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    int st;
    json_t *j = rest_call(&admin, "GET", "/api/v1/tag/_info?q=(keys:!(permissions))", NULL, &st);
    cr_assert_eq(st, 200);
    json_t *perms = json_object_get(j, "permissions");
    cr_assert_eq(json_array_size(perms), 3, "%s", json_dumps(perms, 0));
    cr_assert_str_eq(json_string_value(json_array_get(perms, 0)), "can_bulk_create");
    json_decref(j);
}
