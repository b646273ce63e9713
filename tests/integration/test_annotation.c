/* /api/v1/annotation_layer and its annotations: layer CRUD, the all_text
 * filters, schema errors (400), command checks (422), 404 for a missing
 * layer or annotation, bulk delete nouns, Gamma has no access. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/integration/harness.h"
#include "tests/integration/rest_client.h"

static long long post_id(rest_session_t *s, const char *path, const char *body) {
    int st;
    json_t *j = rest_call(s, "POST", path, body, &st);
    cr_assert_eq(st, 201, "POST %s: %d %s", path, st, json_dumps(j, 0));
    long long id = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
    return id;
}

static int status_of(rest_session_t *s, const char *method, const char *path, const char *body) {
    int st;
    json_decref(rest_call(s, method, path, body, &st));
    return st;
}

Test(annotation, layer_crud_filters_and_bulk_delete) {
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    rest_sql("DELETE FROM annotation WHERE layer_id IN (SELECT id FROM annotation_layer WHERE name LIKE 'lt layer%')");
    rest_sql("DELETE FROM annotation_layer WHERE name LIKE 'lt layer%'");
    long long a = post_id(&admin, "/api/v1/annotation_layer/", "{\"name\":\"lt layer a\",\"descr\":\"haystack\"}");
    long long b = post_id(&admin, "/api/v1/annotation_layer/", "{\"name\":\"lt layer b\",\"descr\":\"needle here\"}");
    int st;
    json_t *j = rest_call(&admin, "POST", "/api/v1/annotation_layer/", "{\"descr\":\"x\",\"bogus\":1}", &st);
    cr_assert_eq(st, 400, "%s", json_dumps(j, 0));
    json_t *msg = json_object_get(j, "message");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(msg, "name"), 0)), "Missing data for required field.");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(msg, "bogus"), 0)), "Unknown field.");
    json_decref(j);
    j = rest_call(&admin, "POST", "/api/v1/annotation_layer/", "{\"name\":\"lt layer a\"}", &st);
    cr_assert_eq(st, 422, "%s", json_dumps(j, 0));
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(json_object_get(j, "message"), "name"), 0)),
                     "Name must be unique");
    json_decref(j);

    j = rest_call(&admin, "GET",
                  "/api/v1/annotation_layer/?q=(filters:!((col:name,opr:annotation_layer_all_text,value:needle)))",
                  NULL, &st);
    cr_assert_eq(st, 200, "%s", json_dumps(j, 0));
    cr_assert_eq(json_integer_value(json_object_get(j, "count")), 1, "all_text matches descr");
    json_t *row = json_array_get(json_object_get(j, "result"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(row, "name")), "lt layer b");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(row, "created_by"), "first_name")), "Admin");
    cr_assert(json_is_string(json_object_get(row, "changed_on_delta_humanized")));
    cr_assert_str_eq(json_string_value(json_object_get(j, "list_title")), "List Annotation Layer");
    json_decref(j);

    char path[160];
    snprintf(path, sizeof path, "/api/v1/annotation_layer/%lld", a);
    j = rest_call(&admin, "PUT", path, "{\"descr\":\"changed\"}", &st);
    cr_assert_eq(st, 200, "%s", json_dumps(j, 0));
    cr_assert_eq(json_integer_value(json_object_get(j, "id")), a);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "result"), "descr")), "changed");
    json_decref(j);
    char lsql[128];
    snprintf(lsql, sizeof lsql, "SELECT name FROM annotation_layer WHERE id = %lld", a);
    cr_assert_str_eq(rest_sql(lsql), "lt layer a", "PUT keeps the name it was not given");
    j = rest_call(&admin, "PUT", path, "{\"name\":\"lt layer b\"}", &st);
    cr_assert_eq(st, 422, "renaming onto another layer's name");
    json_decref(j);
    cr_assert_eq(status_of(&admin, "PUT", "/api/v1/annotation_layer/999999", "{\"descr\":\"x\"}"), 404);
    cr_assert_eq(status_of(&admin, "DELETE", "/api/v1/annotation_layer/999999", NULL), 404);
    j = rest_call(&admin, "GET", path, NULL, &st);
    cr_assert_eq(st, 200);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "result"), "descr")), "changed");
    cr_assert_null(json_object_get(json_object_get(j, "result"), "created_by"), "show columns are id, name, descr");
    json_decref(j);
    cr_assert_eq(status_of(&admin, "GET", "/api/v1/annotation_layer/related/created_by", NULL), 200);
    /* the annotation API answers _info (registered first in the reference) */
    j = rest_call(&admin, "GET", "/api/v1/annotation_layer/_info", NULL, &st);
    cr_assert_eq(st, 200, "%s", json_dumps(j, 0));
    cr_assert_str_eq(json_string_value(json_object_get(j, "add_title")), "Add Annotation");
    json_t *add0 = json_array_get(json_object_get(j, "add_columns"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(add0, "name")), "short_descr");
    cr_assert(json_is_true(json_object_get(add0, "required")));
    cr_assert(json_is_false(json_object_get(json_array_get(json_object_get(j, "edit_columns"), 0), "required")));
    json_t *sd = json_object_get(json_object_get(j, "filters"), "short_descr");
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(sd, json_array_size(sd) - 1), "operator")),
                     "annotation_all_text");
    cr_assert_eq(json_array_size(json_object_get(j, "permissions")), 2, "can_read and can_write");
    json_decref(j);

    char q[160];
    snprintf(q, sizeof q, "/api/v1/annotation_layer/?q=!(%lld,%lld)", a, b);
    j = rest_call(&admin, "DELETE", q, NULL, &st);
    cr_assert_eq(st, 200, "%s", json_dumps(j, 0));
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")), "Deleted 2 annotation layers");
    json_decref(j);
    cr_assert_eq(status_of(&admin, "GET", path, NULL), 404);
}

Test(annotation, annotations_of_a_layer) {
    rest_session_t admin, gamma;
    rest_open(&admin, "admin", "admin");
    rest_create_user("Gamma", "ann_gamma");
    rest_open(&gamma, "ann_gamma", "ann_gamma");
    rest_sql("DELETE FROM annotation WHERE layer_id IN (SELECT id FROM annotation_layer WHERE name = 'lt layer ann')");
    rest_sql("DELETE FROM annotation_layer WHERE name = 'lt layer ann'");
    long long layer = post_id(&admin, "/api/v1/annotation_layer/", "{\"name\":\"lt layer ann\"}");
    char base[96], path[256];
    snprintf(base, sizeof base, "/api/v1/annotation_layer/%lld/annotation/", layer);

    int st;
    json_t *j = rest_call(&admin, "POST", base, "{\"short_descr\":\"\",\"start_dttm\":\"nope\",\"json_metadata\":\"{\"}", &st);
    cr_assert_eq(st, 400, "%s", json_dumps(j, 0));
    json_t *msg = json_object_get(j, "message");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(msg, "short_descr"), 0)),
                     "Length must be between 1 and 500.");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(msg, "start_dttm"), 0)), "Not a valid datetime.");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(msg, "end_dttm"), 0)),
                     "Missing data for required field.");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(msg, "json_metadata"), 0)), "JSON not valid");
    json_decref(j);

    j = rest_call(&admin, "POST", base,
                  "{\"short_descr\":\"launch\",\"long_descr\":\"needle\",\"start_dttm\":\"2024-01-01T00:00:00\","
                  "\"end_dttm\":\"2024-01-02T00:00:00\",\"json_metadata\":\"{}\"}", &st);
    cr_assert_eq(st, 201, "%s", json_dumps(j, 0));
    long long id = json_integer_value(json_object_get(j, "id"));
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(j, "result"), "layer")), layer);
    json_decref(j);
    long long id2 = post_id(&admin, base, "{\"short_descr\":\"other\",\"start_dttm\":\"2024-02-01 10:00\",\"end_dttm\":\"2024-02-01T10:00:00.5\"}");

    j = rest_call(&admin, "POST", base, "{\"short_descr\":\"launch\",\"start_dttm\":\"2024-01-05T00:00:00\","
                  "\"end_dttm\":\"2024-01-01T00:00:00\"}", &st);
    cr_assert_eq(st, 422, "%s", json_dumps(j, 0));
    msg = json_object_get(j, "message");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(msg, "short_descr"), 0)),
                     "Short description must be unique for this layer");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(msg, "start_dttm"), 0)),
                     "End date must be after start date");
    json_decref(j);
    j = rest_call(&admin, "POST", "/api/v1/annotation_layer/999999/annotation/",
                  "{\"short_descr\":\"x\",\"start_dttm\":\"2024-01-01T00:00\",\"end_dttm\":\"2024-01-01T00:00\"}", &st);
    cr_assert_eq(st, 400, "missing layer on POST");
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")), "Annotation layer not found.");
    json_decref(j);

    snprintf(path, sizeof path, "%s?q=(filters:!((col:short_descr,opr:annotation_all_text,value:needle)))", base);
    j = rest_call(&admin, "GET", path, NULL, &st);
    cr_assert_eq(st, 200, "%s", json_dumps(j, 0));
    cr_assert_eq(json_integer_value(json_object_get(j, "count")), 1, "all_text matches long_descr");
    json_t *row = json_array_get(json_object_get(j, "result"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(row, "short_descr")), "launch");
    cr_assert_str_eq(json_string_value(json_object_get(row, "start_dttm")), "2024-01-01T00:00:00");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(row, "created_by"), "first_name")), "Admin");
    json_decref(j);
    snprintf(path, sizeof path, "%s?q=(keys:!(none))", base);
    j = rest_call(&admin, "GET", path, NULL, &st);
    cr_assert_eq(st, 200);
    cr_assert_null(json_object_get(j, "list_columns"), "keys:!(none) drops the meta keys");
    cr_assert_eq(json_integer_value(json_object_get(j, "count")), 2);
    json_decref(j);
    j = rest_call(&admin, "GET", "/api/v1/annotation_layer/999999/annotation/", NULL, &st);
    cr_assert_eq(st, 200);
    cr_assert_eq(json_integer_value(json_object_get(j, "count")), 0, "another layer has none of them");
    json_decref(j);

    snprintf(path, sizeof path, "%s%lld", base, id);
    j = rest_call(&admin, "GET", path, NULL, &st);
    cr_assert_eq(st, 200, "%s", json_dumps(j, 0));
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(json_object_get(j, "result"), "layer"), "name")),
                     "lt layer ann");
    cr_assert_str_eq(json_string_value(json_object_get(j, "show_title")), "Show Annotation");
    json_decref(j);
    cr_assert_eq(status_of(&gamma, "GET", path, NULL), 403, "Gamma has no Annotation permissions");

    j = rest_call(&admin, "PUT", path, "{\"long_descr\":null,\"short_descr\":\"launched\"}", &st);
    cr_assert_eq(st, 200, "%s", json_dumps(j, 0));
    cr_assert_eq(json_integer_value(json_object_get(j, "id")), id);
    json_decref(j);
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT short_descr || coalesce(long_descr, '-') FROM annotation WHERE id = %lld", id);
    cr_assert_str_eq(rest_sql(sql), "launched-");
    cr_assert_eq(status_of(&admin, "PUT", path, "{\"end_dttm\":7}"), 400);
    cr_assert_eq(status_of(&admin, "PUT", path, "{\"end_dttm\":\"2024-01-03\"}"), 400, "a date is not a datetime");
    cr_assert_eq(status_of(&admin, "PUT", path, "{\"short_descr\":null}"), 400);
    snprintf(path, sizeof path, "%s999999", base);
    cr_assert_eq(status_of(&admin, "PUT", path, "{\"short_descr\":\"x\"}"), 404);
    cr_assert_eq(status_of(&admin, "GET", path, NULL), 404);
    cr_assert_eq(status_of(&admin, "DELETE", path, NULL), 404);

    snprintf(path, sizeof path, "/api/v1/annotation_layer/%lld", layer);
    j = rest_call(&admin, "DELETE", path, NULL, &st);
    cr_assert_eq(st, 422, "a layer with annotations cannot be deleted");
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")), "Annotation layer has associated annotations.");
    json_decref(j);

    snprintf(path, sizeof path, "%s%lld", base, id);
    j = rest_call(&admin, "DELETE", path, NULL, &st);
    cr_assert_eq(st, 200);
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")), "OK");
    json_decref(j);
    snprintf(path, sizeof path, "%s?q=!(%lld,999999)", base, id2);
    cr_assert_eq(status_of(&admin, "DELETE", path, NULL), 404, "bulk delete with a missing id");
    snprintf(path, sizeof path, "%s?q=!(%lld)", base, id2);
    j = rest_call(&admin, "DELETE", path, NULL, &st);
    cr_assert_eq(st, 200, "%s", json_dumps(j, 0));
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")), "Deleted 1 annotation");
    json_decref(j);
    snprintf(path, sizeof path, "/api/v1/annotation_layer/%lld", layer);
    cr_assert_eq(status_of(&admin, "DELETE", path, NULL), 200);
}
