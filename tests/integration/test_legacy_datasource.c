/* Superset's legacy Datasource views through nginx: /datasource/get/,
 * /datasource/external_metadata/ (by id and by name) against a table of
 * the stack's own PostgreSQL used as a target database, /datasource/save/
 * (columns and metrics by name, owners, duplicate columns, ownership) and
 * /datasource/samples; unknown ids and types, bad input, Gamma without
 * access and anonymous callers. */
#include <criterion/criterion.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/integration/harness.h"
#include "tests/integration/rest_client.h"

TestSuite(legacy_datasource, .timeout = 180);

static long long add_dataset(long long db, const char *table, const char *sql_text) {
    char sql[1024];
    snprintf(sql, sizeof sql,
             "INSERT INTO tables (table_name, schema, database_id, sql, uuid, created_on, changed_on,"
             " is_managed_externally) VALUES ('%s', 'liteset_lds', %lld, %s, gen_random_uuid(), localtimestamp,"
             " localtimestamp, false) RETURNING id",
             table, db, sql_text);
    return atoll(rest_sql(sql));
}

static void setup_target(void) {
    rest_sql("DROP SCHEMA IF EXISTS liteset_lds CASCADE");
    rest_sql("CREATE SCHEMA liteset_lds");
    rest_sql("CREATE TABLE liteset_lds.items (id serial PRIMARY KEY, label varchar(20), created timestamp,"
             " price numeric(8,2))");
    rest_sql("COMMENT ON COLUMN liteset_lds.items.label IS 'the label'");
    rest_sql("CREATE TABLE liteset_lds.loose (flag boolean NOT NULL DEFAULT false)");
    rest_sql("DELETE FROM tables WHERE schema = 'liteset_lds'");
}

static json_t *get(rest_session_t *s, const char *path, int want) { return rest_expect(s, "GET", path, NULL, want); }

static const char *err_of(json_t *j) { return json_string_value(json_object_get(j, "error")); }

/* Asserts the answer's "error" text, then frees it. */
static void assert_error(json_t *j, const char *error) {
    cr_assert_str_eq(err_of(j), error);
    json_decref(j);
}

/* POST of form fields name=value (values URL-encoded here), status want. */
static json_t *post_form(rest_session_t *s, const char *path, const char *name, const char *value, int want) {
    size_t cap = 3 * (value ? strlen(value) : 0) + 64, n = 0;
    char *body = malloc(cap);
    body[0] = '\0';
    if (name) {
        n += (size_t)snprintf(body, cap, "%s=", name);
        for (const unsigned char *p = (const unsigned char *)value; *p; p++)
            n += (size_t)(isalnum(*p) ? snprintf(body + n, cap - n, "%c", *p) : snprintf(body + n, cap - n, "%%%02X", *p));
    }
    const char *const h[] = {s->bearer, s->cookie, s->csrf, "Content-Type: application/x-www-form-urlencoded", NULL};
    http_response_t *r = http_request("POST", path, h, body, n);
    free(body);
    cr_assert(r);
    cr_assert_eq(r->status, want, "POST %s: %d, expected %d: %s", path, r->status, want, r->body);
    json_t *j = r->body_len ? json_loads(r->body, JSON_DECODE_ANY, NULL) : json_null();
    cr_assert(j, "POST %s: %s", path, r->body);
    http_free(r);
    return j;
}

static json_t *find_by(json_t *list, const char *key, const char *value) {
    size_t i;
    json_t *x;
    json_array_foreach(list, i, x) {
        const char *v = json_string_value(json_object_get(x, key));
        if (v && !strcmp(v, value)) return x;
    }
    return NULL;
}

Test(legacy_datasource, get_and_external_metadata) {
    setup_target();
    rest_create_user("Gamma", "lds_gamma");
    rest_session_t api, admin, gamma;
    rest_open(&api, "admin", "admin");
    rest_open_browser(&admin, "admin", "admin");
    rest_open_browser(&gamma, "lds_gamma", "lds_gamma");
    long long db = rest_add_target_db(&api, "liteset_lds_db", NULL);
    long long ds = add_dataset(db, "items", "NULL");
    long long virt = add_dataset(db, "lds_virtual", "'SELECT 1 AS x'");
    char path[512];

    /* get: the payload with the database parameters blanked */
    snprintf(path, sizeof path, "/datasource/get/table/%lld/", ds);
    json_t *j = get(&admin, path, 200);
    cr_assert_eq(json_integer_value(json_object_get(j, "id")), ds);
    cr_assert_str_eq(json_string_value(json_object_get(j, "table_name")), "items");
    cr_assert_str_eq(json_string_value(json_object_get(j, "type")), "table");
    json_t *database = json_object_get(j, "database");
    cr_assert_eq(json_integer_value(json_object_get(database, "id")), db);
    cr_assert(json_is_object(json_object_get(database, "parameters")));
    cr_assert_eq(json_object_size(json_object_get(database, "parameters")), 0);
    json_decref(j);
    const char *const hdr[] = {admin.bearer, admin.cookie, NULL};
    http_response_t *raw = http_request("GET", path, hdr, NULL, 0);
    cr_assert_str_eq(http_header(raw, "Content-Type"), "application/json");
    http_free(raw);
    raw = http_request("GET", "/datasource/get/table/99999999/", hdr, NULL, 0);
    cr_assert_str_eq(http_header(raw, "Content-Type"), "application/json; charset=utf-8");
    http_free(raw);

    /* the older /superset/fetch_datasource_metadata gives the same payload */
    snprintf(path, sizeof path, "/superset/fetch_datasource_metadata?datasourceKey=%lld__table", ds);
    j = get(&admin, path, 200);
    cr_assert_str_eq(json_string_value(json_object_get(j, "table_name")), "items");
    cr_assert_eq(json_object_size(json_object_get(json_object_get(j, "database"), "parameters")), 0);
    json_decref(j);
    j = get(&admin, "/superset/fetch_datasource_metadata?datasourceKey=nokey", 500);
    json_decref(j);
    j = get(&gamma, path, 403);
    json_decref(j);
    raw = http_request("GET", path, NULL, NULL, 0);
    cr_assert_eq(raw->status, 302, "anonymous: @has_access redirects to the login page");
    http_free(raw);

    /* unknown ids and types, bad ids */
    assert_error(get(&admin, "/datasource/get/table/99999999/", 404), "Datasource does not exist");
    assert_error(get(&admin, "/datasource/get/bogus/1/", 500), "'bogus' is not a valid DatasourceType");
    assert_error(get(&admin, "/datasource/get/dataset/1/", 422),
                 "DAO datasource query source type is not supported");
    j = get(&admin, "/datasource/get/table/abc/", 422);
    cr_assert(err_of(j));
    json_decref(j);
    j = get(&admin, "/datasource/get/query/99999999/", 404);
    json_decref(j);

    /* Gamma: the Datasource view permissions, but no access to the dataset */
    snprintf(path, sizeof path, "/datasource/get/table/%lld/", ds);
    j = get(&gamma, path, 403);
    json_t *e = json_array_get(json_object_get(j, "errors"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(e, "error_type")), "DATASOURCE_SECURITY_ACCESS_ERROR");
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(e, "extra"), "datasource")), ds);
    json_decref(j);
    snprintf(path, sizeof path, "/datasource/external_metadata/table/%lld/", ds);
    j = get(&gamma, path, 403);
    json_decref(j);

    /* anonymous: @has_access_api's 401 */
    http_response_t *r = http_get("/datasource/get/table/1/");
    cr_assert_eq(r->status, 401);
    http_free(r);

    /* external_metadata: the source table's columns */
    snprintf(path, sizeof path, "/datasource/external_metadata/table/%lld/", ds);
    j = get(&admin, path, 200);
    cr_assert_eq(json_array_size(j), 4);
    json_t *id = json_array_get(j, 0);
    cr_assert_str_eq(json_string_value(json_object_get(id, "column_name")), "id");
    cr_assert_str_eq(json_string_value(json_object_get(id, "name")), "id");
    cr_assert_str_eq(json_string_value(json_object_get(id, "type")), "INTEGER");
    cr_assert(json_is_false(json_object_get(id, "nullable")));
    cr_assert(json_is_true(json_object_get(id, "autoincrement")));
    cr_assert_eq(json_integer_value(json_object_get(id, "type_generic")), 0);
    cr_assert(json_is_false(json_object_get(id, "is_dttm")));
    const char *first_key = json_object_iter_key(json_object_iter(id));
    cr_assert_str_eq(first_key, "column_name");
    json_t *label = find_by(j, "column_name", "label");
    cr_assert_str_eq(json_string_value(json_object_get(label, "type")), "VARCHAR(20)");
    cr_assert_str_eq(json_string_value(json_object_get(label, "comment")), "the label");
    cr_assert_eq(json_integer_value(json_object_get(label, "type_generic")), 1);
    json_t *created = find_by(j, "column_name", "created");
    cr_assert_str_eq(json_string_value(json_object_get(created, "type")), "TIMESTAMP WITHOUT TIME ZONE");
    cr_assert(json_is_true(json_object_get(created, "is_dttm")));
    cr_assert_eq(json_integer_value(json_object_get(created, "type_generic")), 2);
    json_decref(j);

    /* a virtual dataset needs query execution: a clear 400 */
    snprintf(path, sizeof path, "/datasource/external_metadata/table/%lld/", virt);
    j = get(&admin, path, 400);
    cr_assert(strstr(err_of(j), "virtual"));
    json_decref(j);
    j = get(&admin, "/datasource/external_metadata/table/99999999/", 404);
    json_decref(j);

    /* by name: a dataset's table, a table without dataset, errors */
    j = get(&admin,
            "/datasource/external_metadata_by_name/?q=(datasource_type:table,database_name:liteset_lds_db,"
            "schema_name:liteset_lds,table_name:items,normalize_columns:!f,always_filter_main_dttm:!f)", 200);
    cr_assert_eq(json_array_size(j), 4);
    json_decref(j);
    j = get(&admin,
            "/datasource/external_metadata_by_name/?q=(datasource_type:table,database_name:liteset_lds_db,"
            "schema_name:liteset_lds,table_name:loose,normalize_columns:!f,always_filter_main_dttm:!f)", 200);
    cr_assert_eq(json_array_size(j), 1);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(j, 0), "type")), "BOOLEAN");
    cr_assert_eq(json_integer_value(json_object_get(json_array_get(j, 0), "type_generic")), 3);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(j, 0), "default")), "false");
    json_decref(j);
    static const struct {
        bool as_gamma;
        const char *q;
        int status;
        const char *error; /* NULL: not checked */
    } by_name[] = {
        {false, "(datasource_type:table,database_name:liteset_lds_db,schema_name:liteset_lds,table_name:nothing,"
                "normalize_columns:!f,always_filter_main_dttm:!f)", 404, "Dataset does not exist"},
        {false, "(datasource_type:table,database_name:no_such_db,schema_name:liteset_lds,table_name:items,"
                "normalize_columns:!f,always_filter_main_dttm:!f)", 404, NULL},
        {false, "(datasource_type:table,database_name:liteset_lds_db)", 400,
         "{'table_name': ['Missing data for required field.']}"},
        {false, "(datasource_type:table,database_name:liteset_lds_db,table_name:items)", 500, "'normalize_columns'"},
        {true, "(datasource_type:table,database_name:liteset_lds_db,schema_name:liteset_lds,table_name:loose,"
               "normalize_columns:!f,always_filter_main_dttm:!f)", 403, NULL},
    };
    for (size_t i = 0; i < sizeof by_name / sizeof by_name[0]; i++) {
        snprintf(path, sizeof path, "/datasource/external_metadata_by_name/?q=%s", by_name[i].q);
        j = get(by_name[i].as_gamma ? &gamma : &admin, path, by_name[i].status);
        if (by_name[i].error) cr_assert_str_eq(err_of(j), by_name[i].error, "%s", path);
        json_decref(j);
    }

    /* samples: validation, then the clear refusal */
    j = post_form(&admin, "/datasource/samples", NULL, NULL, 400);
    cr_assert_eq(json_object_size(j), 0);
    json_decref(j);
    snprintf(path, sizeof path, "/datasource/samples?datasource_type=table&datasource_id=%lld", ds);
    j = post_form(&admin, path, NULL, NULL, 422);
    cr_assert(strstr(err_of(j), "sample queries"));
    json_decref(j);
    j = post_form(&admin, "/datasource/samples?datasource_type=table&datasource_id=99999999", NULL, NULL, 404);
    json_decref(j);
    snprintf(path, sizeof path, "/datasource/samples?datasource_type=table&datasource_id=%lld", ds);
    j = post_form(&gamma, path, NULL, NULL, 403);
    json_decref(j);
}

Test(legacy_datasource, save) {
    setup_target();
    rest_create_user("Alpha", "lds_alpha");
    rest_create_user("Gamma", "lds_gamma2");
    rest_session_t api, admin, alpha, gamma;
    rest_open(&api, "admin", "admin");
    rest_open_browser(&admin, "admin", "admin");
    rest_open_browser(&alpha, "lds_alpha", "lds_alpha");
    rest_open_browser(&gamma, "lds_gamma2", "lds_gamma2");
    long long db = rest_add_target_db(&api, "liteset_lds_db2", NULL);
    long long ds = add_dataset(db, "items", "NULL");
    char sql[1024], data[4096];
    snprintf(sql, sizeof sql,
             "INSERT INTO table_columns (table_id, column_name, type, uuid, created_on, changed_on) VALUES"
             " (%lld, 'id', 'INTEGER', gen_random_uuid(), localtimestamp, localtimestamp),"
             " (%lld, 'label', 'VARCHAR(20)', gen_random_uuid(), localtimestamp, localtimestamp)"
             " RETURNING id",
             ds, ds);
    long long col_id = atoll(rest_sql(sql));
    snprintf(sql, sizeof sql,
             "INSERT INTO sql_metrics (table_id, metric_name, expression, uuid, created_on, changed_on) VALUES"
             " (%lld, 'count', 'COUNT(*)', gen_random_uuid(), localtimestamp, localtimestamp)",
             ds);
    rest_sql(sql);

    /* admin: columns and metrics matched by name */
    snprintf(data, sizeof data,
             "{\"id\":%lld,\"type\":\"table\",\"database\":{\"id\":%lld},\"table_name\":\"items\","
             "\"schema\":\"liteset_lds\",\"description\":\"edited\",\"owners\":[],"
             "\"columns\":[{\"id\":%lld,\"column_name\":\"label\",\"verbose_name\":\"Label\",\"type\":\"VARCHAR(20)\"},"
             "{\"column_name\":\"calc\",\"expression\":\"price * 2\"}],"
             "\"metrics\":[{\"metric_name\":\"count\",\"expression\":\"COUNT(*)\"},"
             "{\"metric_name\":\"sum_price\",\"expression\":\"SUM(price)\"}]}",
             ds, db, col_id + 1);
    json_t *j = post_form(&admin, "/datasource/save/", "data", data, 200);
    cr_assert_str_eq(json_string_value(json_object_get(j, "description")), "edited");
    cr_assert_eq(json_object_size(json_object_get(json_object_get(j, "database"), "parameters")), 0);
    json_t *cols = json_object_get(j, "columns");
    cr_assert_eq(json_array_size(cols), 2, "%s", json_dumps(cols, 0));
    cr_assert_str_eq(json_string_value(json_object_get(find_by(cols, "column_name", "label"), "verbose_name")), "Label");
    cr_assert_str_eq(json_string_value(json_object_get(find_by(cols, "column_name", "calc"), "expression")), "price * 2");
    cr_assert_eq(json_array_size(json_object_get(j, "metrics")), 2);
    json_decref(j);
    snprintf(sql, sizeof sql, "SELECT id FROM table_columns WHERE table_id = %lld AND column_name = 'label'", ds);
    cr_assert_eq(atoll(rest_sql(sql)), col_id + 1, "the matched column keeps its row");
    cr_assert_neq(atoll(rest_sql("SELECT count(*) FROM logs WHERE action = 'Datasource.save'")), 0, "event logged");

    /* duplicate column names: 409 */
    snprintf(data, sizeof data,
             "{\"id\":%lld,\"type\":\"table\",\"database\":{\"id\":%lld},\"table_name\":\"items\",\"owners\":[],"
             "\"columns\":[{\"column_name\":\"label\"},{\"column_name\":\"x\"},{\"column_name\":\"label\"}]}",
             ds, db);
    assert_error(post_form(&admin, "/datasource/save/", "data", data, 409), "Duplicate column name(s): label");

    /* a write the database refuses: 422 with its message, nothing changed */
    snprintf(data, sizeof data,
             "{\"id\":%lld,\"type\":\"table\",\"database\":{\"id\":%lld},\"table_name\":\"items\","
             "\"schema\":\"liteset_lds\",\"owners\":[],\"columns\":[{\"column_name\":\"label\"}],"
             "\"metrics\":[{\"metric_name\":\"m\",\"expression\":\"1\"},{\"metric_name\":\"m\",\"expression\":\"2\"}]}",
             ds, db);
    j = post_form(&admin, "/datasource/save/", "data", data, 422);
    cr_assert(strstr(err_of(j), "duplicate key value") == err_of(j), "%s", err_of(j));
    json_decref(j);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM table_columns WHERE table_id = %lld", ds);
    cr_assert_eq(atoll(rest_sql(sql)), 2, "rolled back");

    /* unknown owner, unknown dataset, missing fields */
    snprintf(data, sizeof data,
             "{\"id\":%lld,\"type\":\"table\",\"database\":{\"id\":%lld},\"table_name\":\"items\","
             "\"owners\":[99999999],\"columns\":[]}",
             ds, db);
    assert_error(post_form(&admin, "/datasource/save/", "data", data, 500),
                 "{'owners': ['Owners are invalid']}");
    snprintf(data, sizeof data,
             "{\"id\":99999999,\"type\":\"table\",\"database\":{\"id\":%lld},\"owners\":[],\"columns\":[]}", db);
    assert_error(post_form(&admin, "/datasource/save/", "data", data, 404), "Datasource does not exist");
    assert_error(post_form(&admin, "/datasource/save/", NULL, NULL, 500), "Request missing data field.");
    snprintf(data, sizeof data, "{\"id\":%lld,\"type\":\"table\",\"owners\":[],\"columns\":[]}", ds);
    assert_error(post_form(&admin, "/datasource/save/", "data", data, 500), "'database'");

    /* Alpha may save, but only datasets it owns */
    snprintf(data, sizeof data,
             "{\"id\":%lld,\"type\":\"table\",\"database\":{\"id\":%lld},\"table_name\":\"items\","
             "\"schema\":\"liteset_lds\",\"owners\":[],\"columns\":[{\"column_name\":\"label\"}],"
             "\"metrics\":[{\"metric_name\":\"count\",\"expression\":\"COUNT(*)\"}]}",
             ds, db);
    assert_error(post_form(&alpha, "/datasource/save/", "data", data, 403),
                 "Changing this dataset is forbidden");
    snprintf(sql, sizeof sql,
             "INSERT INTO sqlatable_user (user_id, table_id) SELECT id, %lld FROM ab_user WHERE username = 'lds_alpha'",
             ds);
    rest_sql(sql);
    j = post_form(&alpha, "/datasource/save/", "data", data, 200);
    cr_assert_eq(json_array_size(json_object_get(j, "owners")), 1, "the saver stays an owner");
    cr_assert_eq(json_array_size(json_object_get(j, "columns")), 1);
    json_decref(j);

    /* Gamma has no can_save on Datasource */
    j = post_form(&gamma, "/datasource/save/", "data", data, 403);
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")), "Access is Denied");
    json_decref(j);

    /* an owner with can_save but no database access keeps the database and SQL */
    rest_create_user("Gamma", "lds_saver");
    rest_grant("lds_saver_role", "can_save", "Datasource");
    rest_add_user_role("lds_saver", "lds_saver_role");
    snprintf(sql, sizeof sql,
             "INSERT INTO sqlatable_user (user_id, table_id) SELECT id, %lld FROM ab_user WHERE username = 'lds_saver'",
             ds);
    rest_sql(sql);
    sleep(11); /* the workers' permission cache */
    rest_session_t saver;
    rest_open_browser(&saver, "lds_saver", "lds_saver");
    snprintf(data, sizeof data,
             "{\"id\":%lld,\"type\":\"table\",\"database\":{\"id\":%lld},\"table_name\":\"items\","
             "\"schema\":\"liteset_lds\",\"sql\":\"SELECT 1\",\"owners\":[],\"columns\":[]}",
             ds, db);
    j = post_form(&saver, "/datasource/save/", "data", data, 403);
    json_decref(j);
    snprintf(data, sizeof data,
             "{\"id\":%lld,\"type\":\"table\",\"database\":{\"id\":%lld},\"table_name\":\"items\","
             "\"schema\":\"liteset_lds\",\"description\":\"by saver\",\"owners\":[],\"columns\":[]}",
             ds, db);
    j = post_form(&saver, "/datasource/save/", "data", data, 200);
    cr_assert_str_eq(json_string_value(json_object_get(j, "description")), "by saver");
    json_decref(j);
}
