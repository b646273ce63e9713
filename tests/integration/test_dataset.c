/* /api/v1/dataset: list / item keys and computed columns, nested columns
 * and metrics, the DatasourceFilter (a Gamma user sees nothing until granted
 * datasource_access on the dataset's perm), distinct, bulk delete with its
 * children. Fixtures are inserted with SQL. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/integration/harness.h"
#include "tests/integration/rest_client.h"

static long long fixture(const char *name, const char *sql_text) {
    char sql[1024];
    snprintf(sql, sizeof sql,
             "WITH n AS (SELECT nextval('tables_id_seq') AS id)"
             " INSERT INTO tables (id, table_name, database_id, schema, sql, perm, uuid, created_on, changed_on,"
             " changed_by_fk) SELECT n.id, '%s', d.id, 'public', %s, '[liteset_ds_db].[%s](id:' || n.id"
             " || ')', gen_random_uuid(), localtimestamp, localtimestamp, 1 FROM dbs d, n"
             " WHERE d.database_name = 'liteset_ds_db' RETURNING id",
             name, sql_text, name);
    return atoll(rest_sql(sql));
}

Test(dataset, list_item_filter_bulk_delete) {
    rest_sql("DELETE FROM tables WHERE table_name LIKE 'liteset_ds%'");
    rest_sql("DELETE FROM dbs WHERE database_name = 'liteset_ds_db'");
    rest_sql("INSERT INTO dbs (database_name, sqlalchemy_uri, uuid) VALUES ('liteset_ds_db', 'postgresql://x@h/d',"
             " gen_random_uuid())");
    long long t1 = fixture("liteset_ds_one", "NULL");
    long long t2 = fixture("liteset_ds_two", "'select 1'");
    cr_assert(t1 > 0 && t2 > 0);
    char sql[1024];
    snprintf(sql, sizeof sql,
             "INSERT INTO table_columns (table_id, column_name, is_dttm, type) VALUES (%lld, 'ts', true, 'TIMESTAMP'),"
             " (%lld, 'n', false, 'INTEGER')", t1, t1);
    rest_sql(sql);
    snprintf(sql, sizeof sql,
             "INSERT INTO sql_metrics (table_id, metric_name, expression, d3format) VALUES (%lld, 'cnt', 'COUNT(*)', ',d')",
             t1);
    rest_sql(sql);
    snprintf(sql, sizeof sql, "INSERT INTO sqlatable_user (table_id, user_id) VALUES (%lld, 1)", t1);
    rest_sql(sql);

    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    json_t *j = rest_expect(&admin, "GET",
                            "/api/v1/dataset/?q=(filters:!((col:table_name,opr:sw,value:liteset_ds)),"
                            "order_column:table_name,order_direction:asc)", NULL, 200);
    cr_assert_str_eq(json_string_value(json_object_get(j, "list_title")), "List Sqla Table");
    cr_assert_eq(json_integer_value(json_object_get(j, "count")), 2);
    json_t *r = json_array_get(json_object_get(j, "result"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(r, "table_name")), "liteset_ds_one");
    cr_assert_str_eq(json_string_value(json_object_get(r, "kind")), "physical");
    cr_assert_str_eq(json_string_value(json_object_get(r, "datasource_type")), "table");
    cr_assert_str_eq(json_string_value(json_object_get(r, "changed_by_name")), "Admin User");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(r, "database"), "database_name")), "liteset_ds_db");
    cr_assert_eq(json_array_size(json_object_get(r, "owners")), 1);
    char want[128];
    snprintf(want, sizeof want, "/explore/?datasource_type=table&datasource_id=%lld", t1);
    cr_assert_str_eq(json_string_value(json_object_get(r, "explore_url")), want);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(j, "result"), 1), "kind")),
                     "virtual");
    json_decref(j);

    char path[96];
    snprintf(path, sizeof path, "/api/v1/dataset/%lld", t1);
    j = rest_expect(&admin, "GET", path, NULL, 200);
    r = json_object_get(j, "result");
    cr_assert_eq(json_array_size(json_object_get(r, "columns")), 2, "%s", json_dumps(r, 0));
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(r, "columns"), 0), "column_name")), "ts");
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(r, "metrics"), 0), "metric_name")), "cnt");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(r, "column_formats"), "cnt")), ",d");
    snprintf(want, sizeof want, "%lld__table", t1);
    cr_assert_str_eq(json_string_value(json_object_get(r, "uid")), want);
    cr_assert_str_eq(json_string_value(json_object_get(r, "name")), "public.liteset_ds_one");
    json_decref(j);

    j = rest_expect(&admin, "GET", "/api/v1/dataset/?q=(filters:!((col:sql,opr:dataset_is_null_or_empty,value:!t),"
                                   "(col:table_name,opr:sw,value:liteset_ds)))", NULL, 200);
    cr_assert_eq(json_integer_value(json_object_get(j, "count")), 1);
    json_decref(j);
    j = rest_expect(&admin, "GET", "/api/v1/dataset/distinct/schema", NULL, 200);
    cr_assert_geq(json_integer_value(json_object_get(j, "count")), 1);
    json_decref(j);

    /* DatasourceFilter */
    rest_create_user("Gamma", "ds_gamma");
    rest_session_t gamma;
    rest_open(&gamma, "ds_gamma", "ds_gamma");
    j = rest_expect(&gamma, "GET", "/api/v1/dataset/?q=(filters:!((col:table_name,opr:sw,value:liteset_ds)))", NULL, 200);
    cr_assert_eq(json_integer_value(json_object_get(j, "count")), 0);
    json_decref(j);
    snprintf(sql, sizeof sql, "SELECT perm FROM tables WHERE id = %lld", t2);
    char perm[256];
    snprintf(perm, sizeof perm, "%s", rest_sql(sql));
    rest_grant("liteset_ds_reader", "datasource_access", perm);
    rest_add_user_role("ds_gamma", "liteset_ds_reader");
    rest_open(&gamma, "ds_gamma", "ds_gamma"); /* a fresh login loads the new role */
    j = rest_expect(&gamma, "GET", "/api/v1/dataset/?q=(filters:!((col:table_name,opr:sw,value:liteset_ds)))", NULL, 200);
    cr_assert_eq(json_integer_value(json_object_get(j, "count")), 1, "%s", json_dumps(j, 0));
    cr_assert_eq(json_integer_value(json_array_get(json_object_get(j, "ids"), 0)), t2);
    json_decref(j);
    /* the granted user sees the database through DatabaseFilter too */
    j = rest_expect(&gamma, "GET", "/api/v1/database/?q=(filters:!((col:database_name,opr:eq,value:liteset_ds_db)))",
                    NULL, 200);
    cr_assert_eq(json_integer_value(json_object_get(j, "count")), 1, "%s", json_dumps(j, 0));
    json_decref(j);

    /* bulk delete takes the children and owner links along */
    snprintf(path, sizeof path, "/api/v1/dataset/?q=!(%lld,%lld)", t1, t2);
    j = rest_expect(&admin, "DELETE", path, NULL, 200);
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")), "Deleted 2 datasets");
    json_decref(j);
    snprintf(sql, sizeof sql, "SELECT (SELECT count(*) FROM table_columns WHERE table_id = %lld) +"
                              " (SELECT count(*) FROM sql_metrics WHERE table_id = %lld)", t1, t1);
    cr_assert_str_eq(rest_sql(sql), "0");
    rest_sql("DELETE FROM dbs WHERE database_name = 'liteset_ds_db'");
}
