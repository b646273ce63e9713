/* /api/v1/dataset writes: PUT with nested columns and metrics (schema
 * errors as SIP-40, command errors, ownership), refresh and
 * ?override_columns=true against a table of the stack's own PostgreSQL
 * used as a target database, related_objects, column / metric delete and
 * duplicate. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/integration/harness.h"
#include "tests/integration/rest_client.h"

static long long add_dataset(long long db, const char *table, const char *schema, const char *sql_text) {
    char sql[1024];
    snprintf(sql, sizeof sql,
             "INSERT INTO tables (table_name, schema, database_id, sql, uuid, created_on, changed_on,"
             " is_managed_externally) VALUES ('%s', '%s', %lld, %s, gen_random_uuid(), localtimestamp, localtimestamp,"
             " false) RETURNING id", table, schema, db, sql_text);
    return atoll(rest_sql(sql));
}

static json_t *get_ds(rest_session_t *s, long long id) {
    char path[256];
    snprintf(path, sizeof path, "/api/v1/dataset/%lld", id);
    return rest_expect(s, "GET", path, NULL, 200);
}

static json_t *find_by(json_t *list, const char *key, const char *value) {
    size_t i;
    json_t *x;
    json_array_foreach(list, i, x) if (!strcmp(json_string_value(json_object_get(x, key)), value)) return x;
    return NULL;
}

/* The liteset_w schema made afresh, admin's session, and a target database
 * named db_name on it; returns the database's id. */
static long long setup_target(rest_session_t *admin, const char *db_name) {
    rest_sql("DROP SCHEMA IF EXISTS liteset_w CASCADE");
    rest_sql("CREATE SCHEMA liteset_w");
    rest_sql("CREATE TABLE liteset_w.items (id integer PRIMARY KEY, label varchar(20), created timestamp,"
             " price numeric(8,2), tags text[])");
    rest_sql("COMMENT ON COLUMN liteset_w.items.label IS 'the label'");
    rest_sql("DELETE FROM tables WHERE table_name LIKE 'liteset_w%' OR table_name = 'items'");
    rest_open(admin, "admin", "admin");
    return rest_add_target_db(admin, db_name, NULL);
}

Test(dataset_write, refresh_put_nested_and_validation) {
    rest_session_t admin;
    long long db = setup_target(&admin, "liteset_w_db");
    long long ds = add_dataset(db, "items", "liteset_w", "NULL");
    char path[256], body[2048];

    /* refresh reads the source table */
    snprintf(path, sizeof path, "/api/v1/dataset/%lld/refresh", ds);
    json_t *j = rest_expect(&admin, "PUT", path, NULL, 200);
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")), "OK");
    json_decref(j);
    j = get_ds(&admin, ds);
    json_t *r = json_object_get(j, "result");
    json_t *cols = json_object_get(r, "columns");
    cr_assert_eq(json_array_size(cols), 5, "%s", json_dumps(cols, 0));
    cr_assert_str_eq(json_string_value(json_object_get(find_by(cols, "column_name", "label"), "type")), "VARCHAR(20)");
    cr_assert_str_eq(json_string_value(json_object_get(find_by(cols, "column_name", "price"), "type")), "NUMERIC(8, 2)");
    cr_assert_str_eq(json_string_value(json_object_get(find_by(cols, "column_name", "tags"), "type")), "TEXT[]");
    cr_assert_str_eq(json_string_value(json_object_get(find_by(cols, "column_name", "label"), "description")),
                     "the label");
    json_t *created = find_by(cols, "column_name", "created");
    cr_assert_str_eq(json_string_value(json_object_get(created, "type")), "TIMESTAMP WITHOUT TIME ZONE");
    cr_assert(json_is_true(json_object_get(created, "is_dttm")));
    cr_assert(json_is_false(json_object_get(find_by(cols, "column_name", "id"), "is_dttm")));
    cr_assert_str_eq(json_string_value(json_object_get(r, "main_dttm_col")), "created");
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(r, "metrics"), 0), "metric_name")),
                     "count");
    long long label_id = json_integer_value(json_object_get(find_by(cols, "column_name", "label"), "id"));
    long long count_id = json_integer_value(json_object_get(json_array_get(json_object_get(r, "metrics"), 0), "id"));
    json_decref(j);

    /* nested update: one column by id, one new; the metric list replaced */
    snprintf(path, sizeof path, "/api/v1/dataset/%lld", ds);
    snprintf(body, sizeof body,
             "{\"description\":\"desc\",\"owners\":[1],\"columns\":[{\"id\":%lld,\"column_name\":\"label\","
             "\"verbose_name\":\"Label\"},{\"column_name\":\"twice\",\"expression\":\"id*2\",\"is_dttm\":\"false\"}],"
             "\"metrics\":[{\"id\":%lld,\"metric_name\":\"count\",\"expression\":\"COUNT(*)\"},{\"metric_name\":"
             "\"revenue\",\"expression\":\"SUM(price)\",\"currency\":{\"symbol\":\"EUR\",\"symbolPosition\":\"suffix\"}}]}",
             label_id, count_id);
    j = rest_expect(&admin, "PUT", path, body, 200);
    cr_assert_eq(json_integer_value(json_object_get(j, "id")), ds);
    r = json_object_get(j, "result");
    cr_assert(json_is_false(json_object_get(r, "always_filter_main_dttm")), "load default: %s", json_dumps(r, 0));
    cr_assert(json_is_false(json_object_get(json_array_get(json_object_get(r, "columns"), 1), "is_dttm")));
    json_decref(j);
    j = get_ds(&admin, ds);
    r = json_object_get(j, "result");
    cols = json_object_get(r, "columns");
    cr_assert_eq(json_array_size(cols), 2, "columns not in the list are deleted: %s", json_dumps(cols, 0));
    cr_assert_str_eq(json_string_value(json_object_get(find_by(cols, "column_name", "label"), "verbose_name")), "Label");
    cr_assert_str_eq(json_string_value(json_object_get(find_by(cols, "column_name", "label"), "type")), "VARCHAR(20)",
                     "keys not given are kept");
    cr_assert_str_eq(json_string_value(json_object_get(find_by(cols, "column_name", "twice"), "expression")), "id*2");
    cr_assert_str_eq(json_string_value(json_object_get(r, "description")), "desc");
    json_t *rev = find_by(json_object_get(r, "metrics"), "metric_name", "revenue");
    cr_assert(rev);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(rev, "currency"), "symbol")), "EUR");
    cr_assert_str_eq(json_string_value(json_object_get(r, "catalog")), harness_env("LITESET_TEST_DB"),
                     "a PostgreSQL dataset takes the default catalog");
    json_decref(j);
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT schema_perm || ' ' || catalog_perm FROM tables WHERE id = %lld", ds);
    char want[256];
    snprintf(want, sizeof want, "[liteset_w_db].[%s].[liteset_w] [liteset_w_db].[%s]", harness_env("LITESET_TEST_DB"),
             harness_env("LITESET_TEST_DB"));
    cr_assert_str_eq(rest_sql(sql), want);

    /* renaming moves the datasource permission */
    snprintf(sql, sizeof sql, "UPDATE tables SET perm = '[liteset_w_db].[items](id:%lld)' WHERE id = %lld", ds, ds);
    rest_sql(sql);
    snprintf(sql, sizeof sql, "INSERT INTO ab_view_menu (id, name) VALUES (nextval('ab_view_menu_id_seq'),"
                              " '[liteset_w_db].[items](id:%lld)')", ds);
    rest_sql(sql);
    json_decref(rest_expect(&admin, "PUT", path, "{\"table_name\":\"liteset_w_items\"}", 200));
    snprintf(sql, sizeof sql, "SELECT count(*) FROM ab_view_menu WHERE name = '[liteset_w_db].[liteset_w_items](id:%lld)'",
             ds);
    cr_assert_str_eq(rest_sql(sql), "1");
    snprintf(sql, sizeof sql, "SELECT perm FROM tables WHERE id = %lld", ds);
    snprintf(want, sizeof want, "[liteset_w_db].[liteset_w_items](id:%lld)", ds);
    cr_assert_str_eq(rest_sql(sql), want);
    json_decref(rest_expect(&admin, "PUT", path, "{\"table_name\":\"items\"}", 200));

    /* schema errors: SIP-40 MARSHMALLOW_ERROR with the messages and the payload */
    j = rest_expect(&admin, "PUT", path,
                    "{\"table_name\":\"\",\"owners\":[\"x\"],\"columns\":[{\"column_name\":3}],\"bogus\":1,"
                    "\"metrics\":[{\"metric_name\":\"m\"}],\"columns_x\":null}", 422);
    json_t *e = json_array_get(json_object_get(j, "errors"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(e, "error_type")), "MARSHMALLOW_ERROR");
    json_t *msgs = json_object_get(json_object_get(e, "extra"), "messages");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(msgs, "table_name"), 0)),
                     "Length must be between 1 and 250.");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(json_object_get(msgs, "owners"), "0"), 0)),
                     "Not a valid integer.");
    cr_assert_str_eq(json_string_value(json_array_get(
                         json_object_get(json_object_get(json_object_get(msgs, "columns"), "0"), "column_name"), 0)),
                     "Not a valid string.");
    cr_assert_str_eq(json_string_value(json_array_get(
                         json_object_get(json_object_get(json_object_get(msgs, "metrics"), "0"), "expression"), 0)),
                     "Missing data for required field.");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(msgs, "bogus"), 0)), "Unknown field.");
    cr_assert(json_object_get(json_object_get(json_object_get(e, "extra"), "payload"), "bogus"));
    json_decref(j);
    j = rest_expect(&admin, "PUT", path, "{\"columns\":[{\"column_name\":\"a\",\"python_date_format\":\"%d/%m/%Y\"}]}", 422);
    e = json_array_get(json_object_get(j, "errors"), 0);
    msgs = json_object_get(json_object_get(e, "extra"), "messages");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(json_object_get(json_object_get(msgs, "columns"),
                                                                                      "0"), "python_date_format"), 0)),
                     "Invalid date/timestamp format");
    json_decref(j);

    /* command errors (422 {"message": {field: [msg]}}) */
    snprintf(body, sizeof body,
             "{\"columns\":[{\"column_name\":\"a\"},{\"column_name\":\"a\"}],\"metrics\":[{\"id\":999999,"
             "\"metric_name\":\"x\",\"expression\":\"1\"}],\"owners\":[999999],\"database_id\":999999,"
             "\"catalog\":\"elsewhere\"}");
    j = rest_expect(&admin, "PUT", path, body, 422);
    json_t *m = json_object_get(j, "message");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(m, "columns"), 0)), "One or more columns are duplicated");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(m, "metrics"), 0)), "One or more metrics do not exist");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(m, "owners"), 0)), "Owners are invalid");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(m, "database"), 0)), "Database does not exist");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(m, "catalog"), 0)),
                     "Only the default catalog is supported for this connection");
    json_decref(j);
    j = rest_expect(&admin, "PUT", path, "{\"columns\":[{\"column_name\":\"label\"}]}", 422);
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(json_object_get(j, "message"), "columns"), 0)),
                     "One or more columns already exist");
    json_decref(j);
    long long other = add_dataset(db, "liteset_w_other", "liteset_w", "'select 1'");
    /* the command compares catalogs too, so a dataset without one passes it;
     * the table's unique key (database, schema, name) then fails the write */
    j = rest_expect(&admin, "PUT", path, "{\"table_name\":\"liteset_w_other\"}", 422);
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")), "Dataset could not be updated.");
    json_decref(j);
    json_decref(rest_expect(&admin, "PUT", path, "{\"table_name\":\"items\",\"schema\":\"liteset_w\"}", 200));
    snprintf(sql, sizeof sql, "UPDATE tables SET catalog = '%s' WHERE id = %lld", harness_env("LITESET_TEST_DB"), other);
    rest_sql(sql);
    j = rest_expect(&admin, "PUT", path, "{\"table_name\":\"liteset_w_other\"}", 422);
    snprintf(want, sizeof want, "Dataset %s.liteset_w.liteset_w_other already exists", harness_env("LITESET_TEST_DB"));
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(json_object_get(j, "message"), "table"), 0)), want);
    json_decref(j);

    /* unknown ids, not JSON */
    j = rest_expect(&admin, "PUT", "/api/v1/dataset/99999999", "{}", 404);
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")), "Not found");
    json_decref(j);
    const char *const h[] = {admin.bearer, admin.cookie, admin.csrf, "Content-Type: text/plain", NULL};
    http_response_t *resp = http_request("PUT", path, h, "x", 1);
    cr_assert_eq(resp->status, 400, "%d %s", resp->status, resp->body);
    cr_assert(strstr(resp->body, "\"INVALID_PAYLOAD_FORMAT_ERROR\""), "%s", resp->body);
    cr_assert(strstr(resp->body, "Request is not JSON"), "%s", resp->body);
    http_free(resp);

    /* override_columns: the list replaces the columns, then the source is read again */
    snprintf(path, sizeof path, "/api/v1/dataset/%lld?override_columns=true", ds);
    json_decref(rest_expect(&admin, "PUT", path,
                            "{\"columns\":[{\"column_name\":\"scratch\"},{\"column_name\":\"calc\","
                            "\"expression\":\"price*2\"}]}",
                            200));
    j = get_ds(&admin, ds);
    cols = json_object_get(json_object_get(j, "result"), "columns");
    cr_assert_eq(json_array_size(cols), 6, "%s", json_dumps(cols, 0));
    cr_assert_null(find_by(cols, "column_name", "scratch"));
    cr_assert(find_by(cols, "column_name", "calc"));
    json_decref(j);

    /* refresh of a missing source table */
    rest_sql("ALTER TABLE liteset_w.items RENAME TO items_gone");
    snprintf(path, sizeof path, "/api/v1/dataset/%lld/refresh", ds);
    j = rest_expect(&admin, "PUT", path, NULL, 422);
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")), "Dataset could not be updated.");
    json_decref(j);
    rest_sql("ALTER TABLE liteset_w.items_gone RENAME TO items");
    json_decref(rest_expect(&admin, "PUT", "/api/v1/dataset/99999999/refresh", NULL, 404));
}

Test(dataset_write, ownership_children_related_duplicate) {
    rest_session_t admin;
    long long db = setup_target(&admin, "liteset_w_db2");
    long long ds = add_dataset(db, "liteset_w_virtual", "liteset_w", "'SELECT 1 AS x ;'");
    char sql[1024], path[256];
    snprintf(sql, sizeof sql,
             "INSERT INTO table_columns (table_id, column_name, type, is_dttm, groupby, filterable) VALUES"
             " (%lld, 'x', 'INTEGER', false, true, true), (%lld, 'y', 'TEXT', false, true, true)", ds, ds);
    rest_sql(sql);
    snprintf(sql, sizeof sql, "INSERT INTO sql_metrics (table_id, metric_name, expression) VALUES (%lld, 'cnt', 'COUNT(*)')",
             ds);
    rest_sql(sql);

    /* an Alpha user may write datasets but only those it owns */
    rest_create_user("Alpha", "ds_alpha");
    rest_session_t alpha;
    rest_open(&alpha, "ds_alpha", "ds_alpha");
    snprintf(path, sizeof path, "/api/v1/dataset/%lld", ds);
    json_t *j = rest_expect(&alpha, "PUT", path, "{\"description\":\"mine\"}", 403);
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")), "Forbidden");
    json_decref(j);
    snprintf(sql, sizeof sql, "INSERT INTO sqlatable_user (table_id, user_id) SELECT %lld, id FROM ab_user"
                              " WHERE username = 'ds_alpha'", ds);
    rest_sql(sql);
    json_decref(rest_expect(&alpha, "PUT", path, "{\"description\":\"mine\",\"owners\":[1]}", 200));
    snprintf(sql, sizeof sql, "SELECT count(*) FROM sqlatable_user WHERE table_id = %lld", ds);
    cr_assert_str_eq(rest_sql(sql), "2", "a non-admin stays an owner");

    /* column / metric delete: owners are not enough, only admins */
    snprintf(sql, sizeof sql, "SELECT id FROM table_columns WHERE table_id = %lld AND column_name = 'y'", ds);
    long long col = atoll(rest_sql(sql));
    snprintf(path, sizeof path, "/api/v1/dataset/%lld/column/%lld", ds, col);
    json_decref(rest_expect(&alpha, "DELETE", path, NULL, 403));
    j = rest_expect(&admin, "DELETE", path, NULL, 200);
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")), "OK");
    json_decref(j);
    json_decref(rest_expect(&admin, "DELETE", path, NULL, 404));
    snprintf(sql, sizeof sql, "SELECT id FROM sql_metrics WHERE table_id = %lld", ds);
    long long met = atoll(rest_sql(sql));
    snprintf(path, sizeof path, "/api/v1/dataset/99999999/metric/%lld", met);
    json_decref(rest_expect(&admin, "DELETE", path, NULL, 404));

    /* related objects */
    snprintf(sql, sizeof sql, "INSERT INTO slices (slice_name, viz_type, datasource_id, datasource_type, uuid) VALUES"
                              " ('liteset_w chart', 'table', %lld, 'table', gen_random_uuid()) RETURNING id", ds);
    long long chart = atoll(rest_sql(sql));
    rest_sql("DELETE FROM dashboards WHERE slug = 'liteset-w'");
    long long dash = atoll(rest_sql("INSERT INTO dashboards (dashboard_title, slug, json_metadata, uuid) VALUES"
                                    " ('W', 'liteset-w', '{}', gen_random_uuid()) RETURNING id"));
    snprintf(sql, sizeof sql, "INSERT INTO dashboard_slices (dashboard_id, slice_id) VALUES (%lld, %lld)", dash, chart);
    rest_sql(sql);
    snprintf(path, sizeof path, "/api/v1/dataset/%lld/related_objects", ds);
    j = rest_expect(&admin, "GET", path, NULL, 200);
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(j, "charts"), "count")), 1);
    json_t *d0 = json_array_get(json_object_get(json_object_get(j, "dashboards"), "result"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(d0, "title")), "W");
    cr_assert_str_eq(json_string_value(json_object_get(d0, "slug")), "liteset-w");
    json_decref(j);
    json_decref(rest_expect(&admin, "GET", "/api/v1/dataset/99999999/related_objects", NULL, 404));

    /* duplicate a virtual dataset */
    char body[256];
    snprintf(body, sizeof body, "{\"base_model_id\":%lld,\"table_name\":\"liteset_w_copy\"}", ds);
    j = rest_expect(&alpha, "POST", "/api/v1/dataset/duplicate", body, 201);
    long long copy = json_integer_value(json_object_get(j, "id"));
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "result"), "table_name")), "liteset_w_copy");
    json_decref(j);
    snprintf(sql, sizeof sql,
             "SELECT t.sql || '|' || t.is_sqllab_view || '|' || t.perm || '|' || (SELECT count(*) FROM table_columns"
             " WHERE table_id = t.id) || '|' || (SELECT count(*) FROM sql_metrics WHERE table_id = t.id) || '|' ||"
             " (SELECT string_agg(u.username, ',') FROM sqlatable_user o JOIN ab_user u ON u.id = o.user_id WHERE"
             " o.table_id = t.id) FROM tables t WHERE t.id = %lld", copy);
    char want[256];
    snprintf(want, sizeof want, "SELECT 1 AS x |true|[liteset_w_db2].[liteset_w_copy](id:%lld)|1|1|ds_alpha", copy);
    cr_assert_str_eq(rest_sql(sql), want);
    j = rest_expect(&alpha, "POST", "/api/v1/dataset/duplicate", body, 422);
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")), "Dataset parameters are invalid.");
    json_decref(j);
    j = rest_expect(&alpha, "POST", "/api/v1/dataset/duplicate", "{\"base_model_id\":\"a\"}", 400);
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(json_object_get(j, "message"), "table_name"), 0)),
                     "Missing data for required field.");
    json_decref(j);
    long long phys = add_dataset(db, "items", "liteset_w", "NULL");
    snprintf(body, sizeof body, "{\"base_model_id\":%lld,\"table_name\":\"liteset_w_copy2\"}", phys);
    json_decref(rest_expect(&admin, "POST", "/api/v1/dataset/duplicate", body, 422));

    /* drill info: visible dataset, groupby columns only */
    snprintf(sql, sizeof sql, "UPDATE table_columns SET groupby = false WHERE table_id = %lld AND column_name = 'x'", ds);
    rest_sql(sql);
    snprintf(sql, sizeof sql, "INSERT INTO table_columns (table_id, column_name, verbose_name, groupby) VALUES"
                              " (%lld, 'z', 'Zed', true)", ds);
    rest_sql(sql);
    snprintf(path, sizeof path, "/api/v1/dataset/%lld/drill_info/", ds);
    j = rest_expect(&alpha, "GET", path, NULL, 200);
    json_t *res = json_object_get(j, "result");
    cr_assert_eq(json_array_size(json_object_get(res, "columns")), 1, "%s", json_dumps(res, 0));
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(res, "columns"), 0), "verbose_name")),
                     "Zed");
    cr_assert_str_eq(json_string_value(json_object_get(res, "table_name")), "liteset_w_virtual");
    cr_assert(json_object_get(res, "changed_on_humanized"));
    cr_assert_eq(json_array_size(json_object_get(res, "owners")), 2);
    json_decref(j);
    json_decref(rest_expect(&alpha, "GET", "/api/v1/dataset/99999999/drill_info/", NULL, 404));
    snprintf(path, sizeof path, "/api/v1/dataset/%lld/drill_info/?q=(dashboard_id:x)", ds);
    j = rest_expect(&alpha, "GET", path, NULL, 400);
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")),
                     "Not a valid rison schema 'x' is not of type 'integer'");
    json_decref(j);

    /* Gamma has no write permission at all */
    rest_create_user("Gamma", "ds_w_gamma");
    rest_session_t gamma;
    rest_open(&gamma, "ds_w_gamma", "ds_w_gamma");
    snprintf(path, sizeof path, "/api/v1/dataset/%lld", ds);
    json_decref(rest_expect(&gamma, "PUT", path, "{}", 403));
    json_decref(rest_expect(&gamma, "POST", "/api/v1/dataset/duplicate", body, 403));
    /* Gamma may ask for drill info, but does not see the dataset; through a
     * dashboard it cannot drill (no DASHBOARD_RBAC) it is refused */
    snprintf(path, sizeof path, "/api/v1/dataset/%lld/drill_info/", ds);
    json_decref(rest_expect(&gamma, "GET", path, NULL, 404));
    snprintf(path, sizeof path, "/api/v1/dataset/%lld/drill_info/?q=(dashboard_id:%lld)", ds, dash);
    json_decref(rest_expect(&gamma, "GET", path, NULL, 403));
}

Test(dataset_write, create_and_get_or_create) {
    rest_session_t admin;
    long long db = setup_target(&admin, "liteset_w_db3");
    char body[512];

    snprintf(body, sizeof body, "{\"database\":%lld,\"schema\":\"liteset_w\",\"table_name\":\"items\"}", db);
    json_t *j = rest_expect(&admin, "POST", "/api/v1/dataset/", body, 201);
    long long id = json_integer_value(json_object_get(j, "id"));
    json_t *res = json_object_get(j, "result");
    cr_assert(json_is_false(json_object_get(res, "normalize_columns")), "load defaults are echoed");
    json_t *data = json_object_get(j, "data");
    cr_assert_eq(json_integer_value(json_object_get(data, "id")), id);
    cr_assert_eq(json_array_size(json_object_get(data, "columns")), 5);
    cr_assert_str_eq(json_string_value(json_object_get(data, "main_dttm_col")), "created");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(data, "database"), "backend")), "postgresql");
    cr_assert_eq(json_array_size(json_object_get(data, "time_grain_sqla")), 14);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(data, "owners"), 0), "username")),
                     "admin");
    char want[256];
    snprintf(want, sizeof want, "SELECT\n  *\nFROM %s.liteset_w.items\nLIMIT 100", harness_env("LITESET_TEST_DB"));
    cr_assert_str_eq(json_string_value(json_object_get(data, "select_star")), want);
    json_t *price = NULL;
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(data, "columns"), i, c) if (!strcmp(json_string_value(json_object_get(c, "column_name")),
                                                                        "price")) price = c;
    cr_assert_eq(json_integer_value(json_object_get(price, "type_generic")), 0);
    json_decref(j);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT perm || ' ' || catalog FROM tables WHERE id = %lld", id);
    snprintf(want, sizeof want, "[liteset_w_db3].[items](id:%lld) %s", id, harness_env("LITESET_TEST_DB"));
    cr_assert_str_eq(rest_sql(sql), want);

    /* the same table again, a missing table, a missing database, bad bodies */
    j = rest_expect(&admin, "POST", "/api/v1/dataset/", body, 422);
    snprintf(want, sizeof want, "Dataset %s.liteset_w.items already exists", harness_env("LITESET_TEST_DB"));
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(json_object_get(j, "message"), "table"), 0)), want);
    json_decref(j);
    snprintf(body, sizeof body, "{\"database\":%lld,\"schema\":\"liteset_w\",\"table_name\":\"nothing\",\"owners\":[999999]}",
             db);
    j = rest_expect(&admin, "POST", "/api/v1/dataset/", body, 422);
    snprintf(want, sizeof want, "Table [%s.liteset_w.nothing] could not be found, please double check your database"
                                " connection, schema, and table name", harness_env("LITESET_TEST_DB"));
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(json_object_get(j, "message"), "table"), 0)), want);
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(json_object_get(j, "message"), "owners"), 0)),
                     "Owners are invalid");
    json_decref(j);
    j = rest_expect(&admin, "POST", "/api/v1/dataset/", "{\"database\":99999999,\"table_name\":\"x\"}", 422);
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(json_object_get(j, "message"), "database"), 0)),
                     "Database does not exist");
    json_decref(j);
    j = rest_expect(&admin, "POST", "/api/v1/dataset/", "{\"table_name\":\"\",\"x\":1}", 400);
    json_t *m = json_object_get(j, "message");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(m, "database"), 0)), "Missing data for required field.");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(m, "table_name"), 0)), "Length must be between 1 and 250.");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(m, "x"), 0)), "Unknown field.");
    json_decref(j);
    /* virtual datasets need their SQL run to read columns: refused as a failed create */
    snprintf(body, sizeof body, "{\"database\":%lld,\"table_name\":\"liteset_w_sql\",\"sql\":\"SELECT 1\"}", db);
    j = rest_expect(&admin, "POST", "/api/v1/dataset/", body, 422);
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")), "Dataset could not be created.");
    json_decref(j);
    cr_assert_str_eq(rest_sql("SELECT count(*) FROM tables WHERE table_name = 'liteset_w_sql'"), "0", "rolled back");

    /* get_or_create finds the existing one, then creates */
    snprintf(body, sizeof body, "{\"database_id\":%lld,\"table_name\":\"items\",\"schema\":\"liteset_w\"}", db);
    j = rest_expect(&admin, "POST", "/api/v1/dataset/get_or_create/", body, 200);
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(j, "result"), "table_id")), id);
    json_decref(j);
    snprintf(sql, sizeof sql, "DELETE FROM tables WHERE id = %lld", id);
    rest_sql("DELETE FROM table_columns WHERE table_id IN (SELECT id FROM tables WHERE table_name = 'items')");
    rest_sql("DELETE FROM sql_metrics WHERE table_id IN (SELECT id FROM tables WHERE table_name = 'items')");
    rest_sql("DELETE FROM sqlatable_user WHERE table_id IN (SELECT id FROM tables WHERE table_name = 'items')");
    rest_sql(sql);
    j = rest_expect(&admin, "POST", "/api/v1/dataset/get_or_create/", body, 200);
    cr_assert_neq(json_integer_value(json_object_get(json_object_get(j, "result"), "table_id")), id);
    json_decref(j);
    json_decref(rest_expect(&admin, "POST", "/api/v1/dataset/get_or_create/", "{\"table_name\":\"x\"}", 400));

    rest_create_user("Gamma", "ds_w_gamma3");
    rest_session_t gamma;
    rest_open(&gamma, "ds_w_gamma3", "ds_w_gamma3");
    snprintf(body, sizeof body, "{\"database\":%lld,\"schema\":\"liteset_w\",\"table_name\":\"items\"}", db);
    json_decref(rest_expect(&gamma, "POST", "/api/v1/dataset/", body, 403));
}
