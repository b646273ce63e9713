/* /api/v1/rowlevelsecurity: list keys and titles, nested tables and roles,
 * RLSPostSchema rules, a filter, item 404, PUT of the links, bulk delete
 * answering "rules". */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/integration/harness.h"
#include "tests/integration/rest_client.h"

Test(rowlevelsecurity, crud_schema_filters_bulk_delete) {
    rest_session_t s;
    rest_open(&s, "admin", "admin");
    int st;
    const char *db = rest_sql("INSERT INTO dbs (database_name, sqlalchemy_uri, uuid) VALUES"
                              " ('rls db ' || gen_random_uuid(), 'sqlite://', gen_random_uuid()) RETURNING id");
    char sql[512];
    snprintf(sql, sizeof sql, "INSERT INTO tables (table_name, schema, database_id, uuid) VALUES"
                              " ('rls_tbl', 'public', %s, gen_random_uuid()) RETURNING id", db);
    long long tbl = atoll(rest_sql(sql));
    long long role = atoll(rest_sql("SELECT id FROM ab_role WHERE name = 'Gamma'"));
    cr_assert(tbl > 0 && role > 0);

    json_t *j = rest_call(&s, "POST", "/api/v1/rowlevelsecurity/", "{\"name\":\"\",\"filter_type\":\"Other\","
                          "\"tables\":[],\"roles\":[\"x\"],\"bogus\":1}", &st);
    cr_assert_eq(st, 400, "Superset schema errors are 400");
    json_t *m = json_object_get(j, "message");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(m, "name"), 0)), "Length must be between 1 and 255.");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(m, "filter_type"), 0)), "Must be one of: Regular, Base.");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(m, "tables"), 0)), "Shorter than minimum length 1.");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(json_object_get(m, "roles"), "0"), 0)),
                     "Not a valid integer.");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(m, "clause"), 0)), "Missing data for required field.");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(m, "bogus"), 0)), "Unknown field.");
    json_decref(j);

    char body[512];
    snprintf(body, sizeof body, "{\"name\":\"liteset rls\",\"filter_type\":\"Regular\",\"tables\":[%lld],"
             "\"roles\":[%lld],\"clause\":\"a = 1\",\"group_key\":\"g1\"}", tbl, role);
    j = rest_call(&s, "POST", "/api/v1/rowlevelsecurity/", body, &st);
    cr_assert_eq(st, 201, "%s", json_dumps(j, 0));
    long long id = json_integer_value(json_object_get(j, "id"));
    json_decref(j);

    j = rest_call(&s, "GET", "/api/v1/rowlevelsecurity/?q=(filters:!((col:name,opr:ct,value:'liteset%20rls')))", NULL, &st);
    cr_assert_eq(st, 200);
    cr_assert_eq(json_integer_value(json_object_get(j, "count")), 1);
    cr_assert_str_eq(json_string_value(json_object_get(j, "list_title")), "List Row Level Security Filter");
    cr_assert_eq(json_array_size(json_object_get(j, "list_columns")), 13);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "label_columns"), "tables.table_name")),
                     "Tables Table Name");
    json_t *row = json_array_get(json_object_get(j, "result"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(row, "tables"), 0), "table_name")), "rls_tbl");
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(row, "roles"), 0), "name")), "Gamma");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(row, "changed_by"), "first_name")), "Admin");
    json_decref(j);

    char path[256];
    snprintf(path, sizeof path, "/api/v1/rowlevelsecurity/%lld", id);
    j = rest_call(&s, "PUT", path, "{\"roles\":[],\"filter_type\":\"Base\"}", &st);
    cr_assert_eq(st, 200, "%s", json_dumps(j, 0));
    cr_assert_eq(json_integer_value(json_object_get(j, "id")), id, "PUT answers the id");
    json_decref(j);
    j = rest_call(&s, "GET", path, NULL, &st);
    cr_assert_eq(st, 200);
    json_t *res = json_object_get(j, "result");
    cr_assert_str_eq(json_string_value(json_object_get(res, "filter_type")), "Base");
    cr_assert_eq(json_array_size(json_object_get(res, "roles")), 0, "PUT replaced the roles");
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(res, "tables"), 0), "schema")), "public");
    cr_assert_str_eq(json_string_value(json_object_get(j, "show_title")), "Show Row Level Security Filter");
    json_decref(j);

    j = rest_call(&s, "GET", "/api/v1/rowlevelsecurity/related/tables?q=(filter:rls_t)", NULL, &st);
    cr_assert_eq(st, 200);
    cr_assert_geq(json_integer_value(json_object_get(j, "count")), 1);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(j, "result"), 0), "text")), "public.rls_tbl");
    json_decref(j);

    snprintf(path, sizeof path, "/api/v1/rowlevelsecurity/?q=!(%lld)", id);
    j = rest_call(&s, "DELETE", path, NULL, &st);
    cr_assert_eq(st, 200);
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")), "Deleted 1 rules");
    json_decref(j);
    snprintf(path, sizeof path, "/api/v1/rowlevelsecurity/%lld", id);
    j = rest_call(&s, "GET", path, NULL, &st);
    cr_assert_eq(st, 404);
    json_decref(j);
}
