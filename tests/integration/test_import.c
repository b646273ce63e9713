/* Bundle import through nginx: the shared example bundle (read from
 * $LITESET_SHARED/superset-examples, zipped here) posted to
 * /api/v1/assets/import/, then listed, shown and edited through the REST
 * API (titles, slugs, owners, layouts pointing at the right chart ids);
 * the reference's errors for bad bundles (not a ZIP, no metadata.yaml,
 * wrong type, schema errors, existing objects without overwrite, masked
 * passwords), permissions, and overwrite re-imports. Imported rows are
 * removed at the end so other suites see the database they expect. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/file.h"
#include "lib/strbuf.h"
#include "lib/yaml_json.h"
#include "lib/zipfile.h"
#include "tests/integration/harness.h"
#include "tests/integration/rest_client.h"

#define EXAMPLES_DB_UUID "a2dc77af-e654-49bb-b321-40f6b559a1ee"

/* ---- building bundles ---- */

typedef struct bundle {
    zipf_writer_t *zip;
    json_t *dashboards; /* uuid -> dashboard config */
    json_t *charts;     /* uuid -> chart config */
    int datasets;
} bundle_t;

static void add_text(bundle_t *b, const char *name, const char *text) {
    char path[4096];
    snprintf(path, sizeof path, "bundle/%s", name);
    cr_assert(zipf_writer_add(b->zip, path, text, strlen(text)));
}

static void add_tree(bundle_t *b, const char *root, const char *rel) {
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/%s", root, rel);
    DIR *d = opendir(dir);
    cr_assert(d, "%s", dir);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char sub[4096], full[8192];
        snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
        snprintf(full, sizeof full, "%s/%s", root, sub);
        struct stat st;
        cr_assert_eq(stat(full, &st), 0);
        if (S_ISDIR(st.st_mode)) {
            add_tree(b, root, sub);
            continue;
        }
        if (!strcmp(sub, "metadata.yaml")) continue; /* written by the caller */
        size_t len;
        char *text = file_read_all(full, 1 << 24, &len);
        cr_assert(text);
        add_text(b, sub, text);
        json_t *cfg = yaml_to_json(text, len);
        const char *uuid = json_string_value(json_object_get(cfg, "uuid"));
        if (!strncmp(sub, "dashboards/", 11)) json_object_set(b->dashboards, uuid, cfg);
        if (!strncmp(sub, "charts/", 7)) json_object_set(b->charts, uuid, cfg);
        if (!strncmp(sub, "datasets/", 9)) b->datasets++;
        json_decref(cfg);
        free(text);
    }
    closedir(d);
}

static const char *database_yaml(void) {
    static char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "database_name: examples\nsqlalchemy_uri: postgresql://postgres@/examples?host=%s&port=%s\n"
             "cache_timeout: null\nexpose_in_sqllab: true\nallow_run_async: false\nallow_ctas: false\n"
             "allow_cvas: false\nallow_dml: false\nallow_csv_upload: false\nextra: {}\nuuid: " EXAMPLES_DB_UUID
             "\nversion: 1.0.0\n",
             harness_env("LITESET_TEST_PGHOST"), harness_env("LITESET_TEST_PGPORT"));
    return yaml;
}

static char *finish(bundle_t *b, size_t *len) {
    char *data;
    cr_assert(zipf_writer_finish(b->zip, &data, len));
    b->zip = NULL;
    return data;
}

/* The shared example bundle as an assets export (plus its database file). */
static char *examples_zip(bundle_t *b, size_t *len) {
    char root[4096];
    snprintf(root, sizeof root, "%s/superset-examples/configs", harness_env("LITESET_SHARED"));
    b->zip = zipf_writer_new();
    b->dashboards = json_object();
    b->charts = json_object();
    b->datasets = 0;
    add_text(b, "metadata.yaml", "version: 1.0.0\ntype: assets\ntimestamp: '2020-12-11T22:52:56.534241+00:00'\n");
    add_text(b, "databases/examples.yaml", database_yaml());
    add_tree(b, root, "");
    return finish(b, len);
}

/* A small bundle from (name, text) pairs. */
static char *small_zip(const char *const *files, size_t *len) {
    bundle_t b = {zipf_writer_new(), NULL, NULL, 0};
    for (const char *const *f = files; *f; f += 2) add_text(&b, f[0], f[1]);
    return finish(&b, len);
}

/* ---- posting ---- */

/* POST multipart: the file under file_field plus (name, value) fields. */
static http_response_t *post_bundle(rest_session_t *s, const char *path, const char *file_field, const char *data,
                                    size_t len, const char *const *fields) {
    const rest_file_t file = {file_field, "bundle.zip", "application/zip", data, len};
    return rest_post_multipart(s, path, fields, data ? &file : NULL);
}

/* post_bundle answered with status want (and a body containing contains,
 * unless NULL); the response is freed. */
static void expect_import(rest_session_t *s, const char *path, const char *file_field, const char *data, size_t len,
                          const char *const *fields, int want, const char *contains) {
    http_response_t *r = post_bundle(s, path, file_field, data, len, fields);
    cr_assert_eq(r->status, want, "POST %s: %d, expected %d: %s", path, r->status, want, r->body);
    if (contains) cr_assert(strstr(r->body, contains), "%s", r->body);
    http_free(r);
}

static json_t *body_json(const http_response_t *r) {
    json_t *j = json_loads(r->body, JSON_DECODE_ANY, NULL);
    cr_assert(j, "not JSON: %s", r->body);
    return j;
}

static void cleanup_examples(const json_t *dashboards) {
    strbuf_t sql;
    strbuf_init(&sql, 4096);
    strbuf_puts(&sql, "CREATE TEMP TABLE dd AS SELECT id FROM dashboards WHERE uuid::text IN (''");
    const char *uuid;
    json_t *v;
    json_object_foreach((json_t *)dashboards, uuid, v) strbuf_printf(&sql, ", '%s'", uuid);
    strbuf_puts(&sql, ");"
                      "CREATE TEMP TABLE tt AS SELECT t.id FROM tables t JOIN dbs d ON d.id = t.database_id"
                      " WHERE d.uuid = '" EXAMPLES_DB_UUID "';"
                      "CREATE TEMP TABLE ss AS SELECT id FROM slices WHERE datasource_type = 'table'"
                      " AND datasource_id IN (SELECT id FROM tt);"
                      "DELETE FROM dashboard_slices WHERE dashboard_id IN (SELECT id FROM dd) OR slice_id IN (SELECT id FROM ss);"
                      "DELETE FROM dashboard_user WHERE dashboard_id IN (SELECT id FROM dd);"
                      "DELETE FROM dashboards WHERE id IN (SELECT id FROM dd);"
                      "DELETE FROM slice_user WHERE slice_id IN (SELECT id FROM ss);"
                      "DELETE FROM slices WHERE id IN (SELECT id FROM ss);"
                      "DELETE FROM sqlatable_user WHERE table_id IN (SELECT id FROM tt);"
                      "DELETE FROM table_columns WHERE table_id IN (SELECT id FROM tt);"
                      "DELETE FROM sql_metrics WHERE table_id IN (SELECT id FROM tt);"
                      "DELETE FROM tables WHERE id IN (SELECT id FROM tt);"
                      "DELETE FROM dbs WHERE uuid = '" EXAMPLES_DB_UUID "'");
    rest_sql(sql.data);
    strbuf_free(&sql);
}

static long long sql_count(const char *fmt, const char *arg) {
    char sql[2048];
    snprintf(sql, sizeof sql, fmt, arg);
    return atoll(rest_sql(sql));
}

/* ---- the example bundle ---- */

/* The example bundle as a ZIP (*len bytes), imported by admin through
 * /api/v1/assets/import/ once what an earlier run left is removed. */
static char *import_examples(rest_session_t *admin, bundle_t *b, size_t *len) {
    char *zip = examples_zip(b, len);
    cleanup_examples(b->dashboards);
    expect_import(admin, "/api/v1/assets/import/", "bundle", zip, *len, NULL, 200, "{\"message\":\"OK\"}");
    return zip;
}

Test(import, example_bundle_through_the_api) {
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    bundle_t b;
    size_t len;
    char *zip = import_examples(&admin, &b, &len);

    /* every dashboard, by title, with the caller as owner; slugs as in the files */
    const char *uuid;
    json_t *cfg;
    int st;
    json_object_foreach(b.dashboards, uuid, cfg) {
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT id FROM dashboards WHERE uuid = '%s'", uuid);
        long long id = atoll(rest_sql(sql));
        cr_assert_gt(id, 0, "dashboard %s imported", uuid);
        char path[128];
        snprintf(path, sizeof path, "/api/v1/dashboard/%lld", id);
        json_t *j = rest_call(&admin, "GET", path, NULL, &st);
        cr_assert_eq(st, 200, "%s", json_dumps(j, 0));
        json_t *res = json_object_get(j, "result");
        cr_assert_str_eq(json_string_value(json_object_get(res, "dashboard_title")),
                         json_string_value(json_object_get(cfg, "dashboard_title")));
        json_t *slug = json_object_get(cfg, "slug");
        if (json_is_string(slug))
            cr_assert_str_eq(json_string_value(json_object_get(res, "slug")), json_string_value(slug));
        json_t *owners = json_object_get(res, "owners");
        cr_assert_eq(json_array_size(owners), 1);
        cr_assert_eq(json_integer_value(json_object_get(json_array_get(owners, 0), "id")),
                     atoll(rest_sql("SELECT id FROM ab_user WHERE username = 'admin'")), "the importer owns it");
        /* the layout's chart ids name the charts with the layout's uuids */
        json_t *pos = json_loads(json_string_value(json_object_get(res, "position_json")), 0, NULL);
        cr_assert(json_is_object(pos));
        const char *k;
        json_t *node;
        int charts = 0;
        json_object_foreach(pos, k, node) {
            const char *type = json_string_value(json_object_get(node, "type"));
            if (!type || strcmp(type, "CHART")) continue;
            json_t *meta = json_object_get(node, "meta");
            snprintf(sql, sizeof sql, "SELECT uuid FROM slices WHERE id = %lld",
                     (long long)json_integer_value(json_object_get(meta, "chartId")));
            cr_assert_str_eq(rest_sql(sql), json_string_value(json_object_get(meta, "uuid")), "chart node %s", k);
            snprintf(sql, sizeof sql, "SELECT count(*) FROM dashboard_slices WHERE dashboard_id = %lld AND slice_id = %lld",
                     id, (long long)json_integer_value(json_object_get(meta, "chartId")));
            cr_assert_str_eq(rest_sql(sql), "1", "dashboard_slices link for %s", k);
            charts++;
        }
        json_decref(pos);
        json_decref(j);
    }

    /* charts and datasets: counts and the datasource rewiring */
    cr_assert_eq(sql_count("SELECT count(*) FROM slices s JOIN tables t ON t.id = s.datasource_id JOIN dbs d"
                           " ON d.id = t.database_id WHERE d.uuid = '%s'", EXAMPLES_DB_UUID),
                 (long long)json_object_size(b.charts));
    cr_assert_eq(sql_count("SELECT count(*) FROM tables t JOIN dbs d ON d.id = t.database_id WHERE d.uuid = '%s'",
                           EXAMPLES_DB_UUID), b.datasets);
    cr_assert_eq(sql_count("SELECT count(*) FROM slices s JOIN tables t ON t.id = s.datasource_id WHERE"
                           " s.params::jsonb->>'datasource' <> s.datasource_id || '__table' AND t.database_id ="
                           " (SELECT id FROM dbs WHERE uuid = '%s')", EXAMPLES_DB_UUID), 0,
                 "params.datasource names the imported dataset");

    /* the list endpoints see them; the rows can be edited */
    json_t *j = rest_call(&admin, "GET",
                          "/api/v1/dataset/?q=(filters:!((col:table_name,opr:eq,value:cleaned_sales_data)))", NULL, &st);
    cr_assert_eq(st, 200);
    cr_assert_eq(json_integer_value(json_object_get(j, "count")), 1);
    long long ds_id = json_integer_value(json_object_get(json_array_get(json_object_get(j, "result"), 0), "id"));
    json_decref(j);
    char path[128];
    snprintf(path, sizeof path, "/api/v1/dataset/%lld", ds_id);
    j = rest_call(&admin, "GET", path, NULL, &st);
    cr_assert_eq(st, 200);
    json_t *res = json_object_get(j, "result");
    cr_assert_gt(json_array_size(json_object_get(res, "columns")), 5);
    cr_assert_geq(json_array_size(json_object_get(res, "metrics")), 1);
    json_decref(j);

    /* a chart of the bundle, edited through the API */
    void *first = json_object_iter(b.charts);
    uuid = json_object_iter_key(first);
    cfg = json_object_iter_value(first);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT id FROM slices WHERE uuid = '%s'", uuid);
    snprintf(path, sizeof path, "/api/v1/chart/%s", rest_sql(sql));
    j = rest_call(&admin, "GET", path, NULL, &st);
    cr_assert_eq(st, 200, "%s", json_dumps(j, 0));
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "result"), "slice_name")),
                     json_string_value(json_object_get(cfg, "slice_name")));
    json_decref(j);
    j = rest_call(&admin, "PUT", path, "{\"description\":\"edited after import\"}", &st);
    cr_assert_eq(st, 200, "%s", json_dumps(j, 0));
    json_decref(j);

    j = rest_call(&admin, "GET", "/api/v1/dashboard/?q=(filters:!((col:slug,opr:eq,value:unicode-test)))", NULL, &st);
    cr_assert_eq(st, 200);
    cr_assert_eq(json_integer_value(json_object_get(j, "count")), 1);
    long long dash_id = json_integer_value(json_object_get(json_array_get(json_object_get(j, "result"), 0), "id"));
    json_decref(j);
    snprintf(path, sizeof path, "/api/v1/dashboard/%lld", dash_id);
    j = rest_call(&admin, "PUT", path, "{\"dashboard_title\":\"Unicode Test (edited)\"}", &st);
    cr_assert_eq(st, 200, "%s", json_dumps(j, 0));
    json_decref(j);

    /* the same bundle again: assets imports overwrite, nothing is duplicated */
    expect_import(&admin, "/api/v1/assets/import/", "bundle", zip, len, NULL, 200, NULL);
    cr_assert_eq(sql_count("SELECT count(*) FROM tables t JOIN dbs d ON d.id = t.database_id WHERE d.uuid = '%s'",
                           EXAMPLES_DB_UUID), b.datasets);
    snprintf(path, sizeof path, "SELECT dashboard_title FROM dashboards WHERE id = %lld", dash_id);
    cr_assert_str_eq(rest_sql(path), "Unicode Test", "overwritten by the re-import");

    /* a dashboard import of an existing dashboard without overwrite: the reference's 422 */
    const char *dash_file = NULL;
    char dashboard_yaml[4096];
    snprintf(path, sizeof path, "%s/superset-examples/configs/dashboards/Unicode_Test.test.yaml",
             harness_env("LITESET_SHARED"));
    size_t ylen;
    char *ytext = file_read_all(path, 1 << 20, &ylen);
    cr_assert(ytext);
    snprintf(dashboard_yaml, sizeof dashboard_yaml, "%s", ytext);
    free(ytext);
    dash_file = "dashboards/Unicode_Test.yaml";
    const char *const files[] = {"metadata.yaml", "version: 1.0.0\ntype: Dashboard\ntimestamp: '2021-01-01T00:00:00+00:00'\n",
                                 dash_file, dashboard_yaml, NULL};
    size_t slen;
    char *small = small_zip(files, &slen);
    http_response_t *r = post_bundle(&admin, "/api/v1/dashboard/import/", "formData", small, slen, NULL);
    cr_assert_eq(r->status, 422, "%s", r->body);
    cr_assert_str_eq(r->body,
                     "{\"errors\": [{\"message\": \"Error importing dashboard: dashboards/Unicode_Test.yaml: Dashboard "
                     "already exists and `overwrite=true` was not passed\", \"error_type\": \"GENERIC_COMMAND_ERROR\", "
                     "\"level\": \"warning\", \"extra\": {\"dashboards/Unicode_Test.yaml\": \"Dashboard already exists "
                     "and `overwrite=true` was not passed\", \"issue_codes\": [{\"code\": 1010, \"message\": \"Issue 1010 "
                     "- Superset encountered an error while running a command.\"}]}}]}");
    http_free(r);
    const char *const overwrite[] = {"overwrite", "true", NULL};
    expect_import(&admin, "/api/v1/dashboard/import/", "formData", small, slen, overwrite, 200, NULL);
    free(small);

    cleanup_examples(b.dashboards);
    json_decref(b.dashboards);
    json_decref(b.charts);
    free(zip);
}

/* ---- errors ---- */

static void expect_command_error(http_response_t *r, int status, const char *message) {
    cr_assert_eq(r->status, status, "%s", r->body);
    json_t *j = body_json(r);
    json_t *e = json_array_get(json_object_get(j, "errors"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(e, "message")), message);
    cr_assert_str_eq(json_string_value(json_object_get(e, "error_type")), "GENERIC_COMMAND_ERROR");
    cr_assert_str_eq(json_string_value(json_object_get(e, "level")), status < 500 ? "warning" : "error");
    json_t *codes = json_object_get(json_object_get(e, "extra"), "issue_codes");
    cr_assert_eq(json_integer_value(json_object_get(json_array_get(codes, 0), "code")), 1010);
    json_decref(j);
    http_free(r);
}

Test(import, bad_bundles) {
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    const char *text = "not a zip";
    expect_command_error(post_bundle(&admin, "/api/v1/chart/import/", "formData", text, strlen(text), NULL), 422,
                         "Not a ZIP file");
    expect_command_error(post_bundle(&admin, "/api/v1/assets/import/", "bundle", text, strlen(text), NULL), 422,
                         "Not a ZIP file");

    http_response_t *r = post_bundle(&admin, "/api/v1/chart/import/", "formData", NULL, 0, NULL);
    cr_assert_eq(r->status, 400);
    cr_assert_str_eq(r->body, "{\"message\":\"Arguments are not correct\"}\n");
    http_free(r);

    const char *const ct[] = {admin.bearer, admin.cookie, admin.csrf, "Content-Type: application/json", NULL};
    r = http_request("POST", "/api/v1/assets/import/", ct, "{}", 2);
    cr_assert_eq(r->status, 400);
    cr_assert(strstr(r->body, "\"Request MIME type is not 'multipart/form-data'\""), "%s", r->body);
    cr_assert(strstr(r->body, "INVALID_PAYLOAD_FORMAT_ERROR"));
    http_free(r);

    size_t len;
    const char *const no_yaml[] = {"readme.txt", "hello", "_hidden.yaml", "x: 1", NULL};
    char *zip = small_zip(no_yaml, &len);
    expect_command_error(post_bundle(&admin, "/api/v1/chart/import/", "formData", zip, len, NULL), 400,
                         "No valid import files were found");
    free(zip);

    const char *const no_metadata[] = {"charts/c.yaml", "slice_name: x\n", NULL};
    zip = small_zip(no_metadata, &len);
    expect_command_error(post_bundle(&admin, "/api/v1/chart/import/", "formData", zip, len, NULL), 422,
                         "Could not find a valid command to import file");
    expect_command_error(post_bundle(&admin, "/api/v1/assets/import/", "bundle", zip, len, NULL), 500,
                         "Import failed for an unknown reason");
    free(zip);

    const char *const wrong_type[] = {
        "metadata.yaml", "version: 1.0.0\ntype: Dashboard\ntimestamp: '2021-01-01T00:00:00+00:00'\n",
        "charts/c.yaml", "slice_name: 7\nviz_type: table\nuuid: not-a-uuid\nversion: 1.0.0\ncolour: red\n",
        "datasets/d.yaml", "table_name: t\n", NULL};
    zip = small_zip(wrong_type, &len);
    r = post_bundle(&admin, "/api/v1/chart/import/", "formData", zip, len, NULL);
    cr_assert_eq(r->status, 422, "%s", r->body);
    json_t *j = body_json(r);
    json_t *e = json_array_get(json_object_get(j, "errors"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(e, "message")),
                     "Error importing chart: metadata.yaml: {'type': ['Must be equal to Slice.']}; charts/c.yaml: "
                     "{'slice_name': ['Not a valid string.'], 'uuid': ['Not a valid UUID.'], 'dataset_uuid': "
                     "['Missing data for required field.'], 'colour': ['Unknown field.']}; datasets/d.yaml: "
                     "{'uuid': ['Missing data for required field.'], 'version': ['Missing data for required field.'], "
                     "'database_uuid': ['Missing data for required field.']}");
    json_t *extra = json_object_get(e, "extra");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(json_object_get(extra, "metadata.yaml"), "type"), 0)),
                     "Must be equal to Slice.");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(json_object_get(extra, "charts/c.yaml"), "colour"), 0)),
                     "Unknown field.");
    json_decref(j);
    http_free(r);
    free(zip);

    /* a new database with an SSH tunnel while SSH_TUNNELING is off */
    const char *const ssh[] = {
        "metadata.yaml", "version: 1.0.0\ntype: Database\n",
        "databases/s.yaml", "database_name: ssh_db\nsqlalchemy_uri: postgresql://u@h/db\n"
                            "uuid: 0f4b5b55-1b0e-4a53-9d43-6c1b1e6e3a11\nversion: 1.0.0\n"
                            "ssh_tunnel:\n  server_address: bastion\n  server_port: 22\n  username: u\n"
                            "  password: XXXXXXXXXX\n", NULL};
    zip = small_zip(ssh, &len);
    expect_command_error(post_bundle(&admin, "/api/v1/database/import/", "formData", zip, len, NULL), 400,
                         "SSH Tunneling is not enabled");
    free(zip);

    const char *const bad_yaml[] = {"metadata.yaml", "version: 1.0.0\n", "charts/c.yaml", "slice_name: [unclosed\n", NULL};
    zip = small_zip(bad_yaml, &len);
    expect_import(&admin, "/api/v1/chart/import/", "formData", zip, len, NULL,
                  422, "\"charts/c.yaml\": \"Not a valid YAML file\"");
    free(zip);
}

Test(import, database_passwords_and_permissions) {
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    rest_sql("DELETE FROM dbs WHERE uuid = 'b1d3f8a2-0c5e-4f61-9d7a-2e4c6a8b0f13'");
    const char *db_yaml = "database_name: imported_pw_db\n"
                          "sqlalchemy_uri: postgresql://scott:XXXXXXXXXX@db.example.com:5432/sales\n"
                          "cache_timeout: null\nexpose_in_sqllab: true\nallow_run_async: false\nallow_ctas: false\n"
                          "allow_cvas: false\nallow_csv_upload: true\n"
                          "extra:\n  schemas_allowed_for_csv_upload: []\n  metadata_params: {}\n"
                          "uuid: b1d3f8a2-0c5e-4f61-9d7a-2e4c6a8b0f13\nversion: 1.0.0\n";
    const char *const files[] = {"metadata.yaml", "version: 1.0.0\ntype: Database\ntimestamp: '2021-01-01T00:00:00+00:00'\n",
                                 "databases/imported_pw_db.yaml", db_yaml, NULL};
    size_t len;
    char *zip = small_zip(files, &len);
    expect_import(&admin, "/api/v1/database/import/", "formData", zip, len, NULL,
                  422, "\"extra\": {\"databases/imported_pw_db.yaml\": {\"_schema\": [\"Must provide a password "
                       "for the database\"]}");

    /* Gamma has no can_write on Database */
    rest_create_user("Gamma", "import_gamma");
    rest_session_t gamma;
    rest_open(&gamma, "import_gamma", "import_gamma");
    const char *const pw[] = {"passwords", "{\"databases/imported_pw_db.yaml\": \"tiger\"}", NULL};
    expect_import(&gamma, "/api/v1/database/import/", "formData", zip, len, pw, 403, NULL);
    expect_import(&gamma, "/api/v1/assets/import/", "bundle", zip, len, pw, 403, NULL);

    expect_import(&admin, "/api/v1/database/import/", "formData", zip, len, pw, 200, NULL);
    cr_assert_str_eq(rest_sql("SELECT sqlalchemy_uri FROM dbs WHERE database_name = 'imported_pw_db'"),
                     "postgresql://scott:XXXXXXXXXX@db.example.com:5432/sales");
    cr_assert_str_neq(rest_sql("SELECT coalesce(convert_from(password, 'UTF8'), '') FROM dbs WHERE database_name = "
                               "'imported_pw_db'"), "", "the password is stored (encrypted)");
    cr_assert_str_eq(rest_sql("SELECT allow_file_upload::text || extra FROM dbs WHERE database_name = 'imported_pw_db'"),
                     "true{\"metadata_params\": {}, \"schemas_allowed_for_file_upload\": []}");
    cr_assert_str_eq(rest_sql("SELECT count(*) FROM ab_permission_view pv JOIN ab_view_menu v ON v.id = pv.view_menu_id"
                              " JOIN ab_permission p ON p.id = pv.permission_id WHERE p.name = 'database_access' AND"
                              " v.name = '[imported_pw_db].(id:' || (SELECT id FROM dbs WHERE database_name ="
                              " 'imported_pw_db') || ')'"), "1", "database_access permission");

    /* an existing database needs no password; without overwrite it is an error */
    expect_import(&admin, "/api/v1/database/import/", "formData", zip, len, NULL,
                  422, "Database already exists and `overwrite=true` was not passed");
    const char *const ow[] = {"overwrite", "true", NULL};
    expect_import(&admin, "/api/v1/database/import/", "formData", zip, len, ow, 200, NULL);
    free(zip);
    rest_sql("DELETE FROM dbs WHERE uuid = 'b1d3f8a2-0c5e-4f61-9d7a-2e4c6a8b0f13'");
}

/* ---- export ---- */

typedef struct members {
    json_t *names; /* name -> text */
} members_t;

static void on_member(void *ud, const char *name, const char *data, size_t len) {
    members_t *m = ud;
    json_object_set_new(m->names, name, json_stringn(data, len));
}

static bool any_name(const char *name) {
    (void)name;
    return true;
}

/* The members of an export answer; the root folder must be <prefix>_<YYYYMMDDTHHMMSS>/. */
static json_t *export_members(http_response_t *r, const char *prefix, char *root, size_t rootlen) {
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(http_header(r, "Content-Type"), "application/zip");
    const char *cd = http_header(r, "Content-Disposition");
    cr_assert(cd && !strncmp(cd, "attachment; filename=", 21), "%s", cd ? cd : "(none)");
    snprintf(root, rootlen, "%.*s", (int)(strlen(cd + 21) - 4), cd + 21);
    cr_assert(!strncmp(root, prefix, strlen(prefix)) && strlen(root) == strlen(prefix) + 15, "root %s", root);
    members_t m = {json_object()};
    cr_assert_eq(zipf_read(r->body, r->body_len, 1 << 30, 1000, any_name, on_member, &m), ZIPF_OK);
    return m.names;
}

static http_response_t *get_with(rest_session_t *s, const char *path) {
    const char *const h[] = {s->bearer, s->cookie, s->csrf, NULL};
    http_response_t *r = http_request("GET", path, h, NULL, 0);
    cr_assert(r);
    return r;
}

/* The YAML value of a top-level key ("\nkey: value"), copied into out. */
static bool yaml_top_value(const char *text, const char *key, char *out, size_t n) {
    char pat[64];
    snprintf(pat, sizeof pat, "\n%s: ", key);
    const char *p = strstr(text, pat);
    if (!p) return false;
    p += strlen(pat);
    snprintf(out, n, "%.*s", (int)strcspn(p, "\n"), p);
    return true;
}

/* metadata.yaml, the examples database, its datasets and the charts on them. */
static json_t *examples_part(json_t *files, const char *root) {
    json_t *out = json_object(), *dataset_uuids = json_object();
    char prefix[256], uuid[64];
    const char *k;
    json_t *v;
    snprintf(prefix, sizeof prefix, "%s/datasets/examples/", root);
    json_object_foreach(files, k, v) {
        if (strncmp(k, prefix, strlen(prefix))) continue;
        json_object_set(out, k, v);
        if (yaml_top_value(json_string_value(v), "uuid", uuid, sizeof uuid)) json_object_set_new(dataset_uuids, uuid, json_true());
    }
    snprintf(prefix, sizeof prefix, "%s/charts/", root);
    json_object_foreach(files, k, v) {
        bool chart = !strncmp(k, prefix, strlen(prefix));
        if (chart && yaml_top_value(json_string_value(v), "dataset_uuid", uuid, sizeof uuid) &&
            json_object_get(dataset_uuids, uuid))
            json_object_set(out, k, v);
    }
    static const char *const fixed[] = {"metadata.yaml", "databases/examples.yaml"};
    for (size_t i = 0; i < 2; i++) {
        snprintf(prefix, sizeof prefix, "%s/%s", root, fixed[i]);
        if (json_object_get(files, prefix)) json_object_set(out, prefix, json_object_get(files, prefix));
    }
    json_decref(dataset_uuids);
    return out;
}

Test(import, export_round_trip) {
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    bundle_t b;
    size_t len;
    free(import_examples(&admin, &b, &len));

    long long dash_id = atoll(rest_sql("SELECT id FROM dashboards WHERE slug = 'unicode-test'"));
    char path[256], root[128];
    snprintf(path, sizeof path, "/api/v1/dashboard/export/?q=!(%lld)&token=tok123", dash_id);
    http_response_t *r = get_with(&admin, path);
    json_t *files = export_members(r, "dashboard_export_", root, sizeof root);
    bool token_cookie = false;
    for (int i = 0; i < r->nheaders; i++)
        if (!strcasecmp(r->headers[i].name, "Set-Cookie") && !strncmp(r->headers[i].value, "tok123=done;", 12))
            token_cookie = strstr(r->headers[i].value, "Max-Age=600") != NULL;
    cr_assert(token_cookie, "token cookie");
    http_free(r);
    char name[512];
    snprintf(name, sizeof name, "%s/metadata.yaml", root);
    const char *meta = json_string_value(json_object_get(files, name));
    cr_assert(meta && !strncmp(meta, "version: 1.0.0\ntype: Dashboard\ntimestamp: '", 43), "%s", meta ? meta : "(none)");
    snprintf(name, sizeof name, "%s/dashboards/Unicode_Test_%lld.yaml", root, dash_id);
    const char *dash = json_string_value(json_object_get(files, name));
    cr_assert(dash, "dashboard file %s", name);
    cr_assert(!strncmp(dash, "dashboard_title: Unicode Test\ndescription: null\ncss: null\nslug: unicode-test\n", 77), "%s", dash);
    snprintf(name, sizeof name, "%s/databases/examples.yaml", root);
    cr_assert(json_object_get(files, name), "database file");
    int charts = 0, datasets = 0;
    const char *k;
    json_t *v;
    json_object_foreach(files, k, v) {
        charts += strstr(k, "/charts/") != NULL;
        datasets += strstr(k, "/datasets/examples/") != NULL;
    }
    cr_assert_eq(charts, 1);
    cr_assert_eq(datasets, 1);

    /* the exported bundle imports again: a deleted dashboard comes back with its uuid */
    char uuid[64];
    snprintf(path, sizeof path, "SELECT uuid FROM dashboards WHERE id = %lld", dash_id);
    snprintf(uuid, sizeof uuid, "%s", rest_sql(path));
    snprintf(path, sizeof path, "/api/v1/dashboard/%lld", dash_id);
    int st;
    json_t *j = rest_call(&admin, "DELETE", path, NULL, &st);
    cr_assert_eq(st, 200, "%s", json_dumps(j, 0));
    json_decref(j);
    bundle_t out = {zipf_writer_new(), NULL, NULL, 0};
    json_object_foreach(files, k, v) cr_assert(zipf_writer_add(out.zip, k, json_string_value(v), json_string_length(v)));
    size_t elen;
    char *exported = finish(&out, &elen);
    expect_import(&admin, "/api/v1/dashboard/import/", "formData", exported, elen, NULL, 200, NULL);
    snprintf(path, sizeof path, "SELECT count(*) FROM dashboards d JOIN dashboard_slices ds ON ds.dashboard_id = d.id"
                                " WHERE d.uuid = '%s'", uuid);
    cr_assert_str_eq(rest_sql(path), "1", "dashboard and its chart link are back");
    expect_import(&admin, "/api/v1/dashboard/import/", "formData", exported, elen, NULL, 422, NULL);
    const char *const ow[] = {"overwrite", "true", NULL};
    expect_import(&admin, "/api/v1/dashboard/import/", "formData", exported, elen, ow, 200, NULL);
    free(exported);
    json_decref(files);

    /* every resource's export; unknown ids and bad arguments */
    static const struct {
        const char *path, *prefix;
    } kinds[] = {{"/api/v1/chart/export/?q=!(%s)", "chart_export_"},
                 {"/api/v1/dataset/export/?q=!(%s)", "dataset_export_"},
                 {"/api/v1/database/export/?q=!(%s)", "database_export_"}};
    /* a chart of the examples just imported: other suites' charts may lack their dataset */
    char chart_id[32], table_id[32], db_id[32];
    snprintf(chart_id, sizeof chart_id, "%s",
             rest_sql("SELECT min(s.id) FROM slices s JOIN tables t ON t.id = s.datasource_id"
                      " JOIN dbs d ON d.id = t.database_id"
                      " WHERE s.datasource_type = 'table' AND d.uuid = '" EXAMPLES_DB_UUID "'"));
    snprintf(table_id, sizeof table_id, "%s", rest_sql("SELECT min(t.id) FROM tables t JOIN dbs d ON d.id = t.database_id"
                                                       " WHERE d.uuid = '" EXAMPLES_DB_UUID "'"));
    snprintf(db_id, sizeof db_id, "%s", rest_sql("SELECT id FROM dbs WHERE uuid = '" EXAMPLES_DB_UUID "'"));
    const char *kind_ids[] = {chart_id, table_id, db_id};
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, kinds[i].path, kind_ids[i]);
        r = get_with(&admin, path);
        files = export_members(r, kinds[i].prefix, root, sizeof root);
        cr_assert_geq(json_object_size(files), 3, "%s", path);
        json_decref(files);
        http_free(r);
    }
    r = get_with(&admin, "/api/v1/chart/export/?q=!(987654321)");
    cr_assert_eq(r->status, 404);
    cr_assert_str_eq(r->body, "{\"message\":\"Not found\"}\n");
    http_free(r);
    r = get_with(&admin, "/api/v1/dashboard/export/?q=!(abc)");
    cr_assert_eq(r->status, 400, "%s", r->body);
    http_free(r);

    /* assets: the export holds every kind; its re-import is checked with the
     * example bundle's part of it (the database, its datasets and the charts on
     * them): other suites' fixtures in this shared database insert rows without
     * the models' defaults, which no importer accepts. */
    r = get_with(&admin, "/api/v1/assets/export/");
    files = export_members(r, "assets_export_", root, sizeof root);
    http_free(r);
    snprintf(name, sizeof name, "%s/metadata.yaml", root);
    cr_assert(strstr(json_string_value(json_object_get(files, name)), "type: assets\n"));
    json_t *examples = examples_part(files, root);
    cr_assert_geq(json_object_size(examples), 4, "metadata, database, datasets and charts of the examples");
    bundle_t all = {zipf_writer_new(), NULL, NULL, 0};
    json_object_foreach(examples, k, v)
        cr_assert(zipf_writer_add(all.zip, k, json_string_value(v), json_string_length(v)));
    json_decref(examples);
    char *assets = finish(&all, &elen);
    expect_import(&admin, "/api/v1/assets/import/", "bundle", assets, elen, NULL, 200, NULL);
    free(assets);
    json_decref(files);

    cleanup_examples(b.dashboards);
    json_decref(b.dashboards);
    json_decref(b.charts);
}

/* ---- the per-resource importers and exporters ---- */

#define RT_DB_UUID "3c0f9a8e-52d4-4b8e-a1f3-0d9e6b7c5a21"
#define RT_DS_UUID "7e1d2c3b-4a59-4f68-8e7d-6c5b4a3f2e10"
#define RT_CHART_UUID "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
#define RT_QUERY_UUID "1b2c3d4e-5f60-4718-a9b0-c1d2e3f40516"

static void cleanup_round_trip(void) {
    rest_sql("DELETE FROM slice_user WHERE slice_id IN (SELECT id FROM slices WHERE uuid = '" RT_CHART_UUID "');"
             "DELETE FROM slices WHERE uuid = '" RT_CHART_UUID "';"
             "DELETE FROM saved_query WHERE uuid = '" RT_QUERY_UUID "';"
             "DELETE FROM sqlatable_user WHERE table_id IN (SELECT id FROM tables WHERE uuid = '" RT_DS_UUID "');"
             "DELETE FROM table_columns WHERE table_id IN (SELECT id FROM tables WHERE uuid = '" RT_DS_UUID "');"
             "DELETE FROM sql_metrics WHERE table_id IN (SELECT id FROM tables WHERE uuid = '" RT_DS_UUID "');"
             "DELETE FROM tables WHERE uuid = '" RT_DS_UUID "';"
             "DELETE FROM dbs WHERE uuid = '" RT_DB_UUID "'");
}

static const char *const rt_database = "database_name: rt_db\nsqlalchemy_uri: postgresql://rt@db.example.com/rt\n"
                                       "expose_in_sqllab: true\nallow_csv_upload: false\nextra: {}\n"
                                       "uuid: " RT_DB_UUID "\nversion: 1.0.0\n";
static const char *const rt_dataset = "table_name: rt_table\nschema: public\nsql: null\nuuid: " RT_DS_UUID "\n"
                                      "columns:\n- column_name: ds\n  is_dttm: true\n  type: TIMESTAMP\n"
                                      "- column_name: n\n  type: BIGINT\nmetrics:\n- metric_name: cnt\n"
                                      "  expression: COUNT(*)\nversion: 1.0.0\ndatabase_uuid: " RT_DB_UUID "\n";

Test(import, resource_importers_and_exporters) {
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    cleanup_round_trip();
    size_t len;
    /* a database import brings the datasets of that database */
    const char *const db_files[] = {"metadata.yaml", "version: 1.0.0\ntype: Database\n", "databases/rt_db.yaml",
                                    rt_database, "datasets/rt_db/rt_table.yaml", rt_dataset, NULL};
    char *zip = small_zip(db_files, &len);
    expect_import(&admin, "/api/v1/database/import/", "formData", zip, len, NULL, 200, NULL);
    free(zip);
    cr_assert_str_eq(rest_sql("SELECT count(*) FROM table_columns c JOIN tables t ON t.id = c.table_id WHERE t.uuid = '"
                              RT_DS_UUID "'"), "2");
    cr_assert_str_eq(rest_sql("SELECT perm FROM tables WHERE uuid = '" RT_DS_UUID "'"),
                     rest_sql("SELECT '[rt_db].[rt_table](id:' || id || ')' FROM tables WHERE uuid = '" RT_DS_UUID "'"));

    /* a chart import: the dataset and database already exist and are kept */
    const char *const chart_files[] = {
        "metadata.yaml", "version: 1.0.0\ntype: Slice\n", "databases/rt_db.yaml", rt_database,
        "datasets/rt_db/rt_table.yaml", rt_dataset, "charts/rt_chart.yaml",
        "slice_name: rt chart\nviz_type: table\nparams:\n  datasource: 999__table\n  annotation_layers:\n"
        "  - annotationType: FORMULA\n    name: f\n  - annotationType: EVENT\n    name: e\n"
        "query_context: '{\"datasource\": {\"id\": 999, \"type\": \"table\"}, \"queries\": [{\"datasource\": 1}]}'\n"
        "cache_timeout: null\nuuid: " RT_CHART_UUID "\nversion: 1.0.0\ndataset_uuid: " RT_DS_UUID "\n",
        NULL};
    zip = small_zip(chart_files, &len);
    expect_import(&admin, "/api/v1/chart/import/", "formData", zip, len, NULL, 200, NULL);
    free(zip);
    char ds_id[32];
    snprintf(ds_id, sizeof ds_id, "%s", rest_sql("SELECT id FROM tables WHERE uuid = '" RT_DS_UUID "'"));
    char expect[256];
    snprintf(expect, sizeof expect, "%s|table|rt_table|%s__table|[{\"name\": \"f\", \"annotationType\": \"FORMULA\"}]|%s",
             ds_id, ds_id, ds_id);
    cr_assert_str_eq(rest_sql("SELECT datasource_id || '|' || datasource_type || '|' || datasource_name || '|' ||"
                              " (params::jsonb->>'datasource') || '|' || (params::jsonb->'annotation_layers')::text || '|' ||"
                              " (query_context::jsonb->'queries'->0->'datasource'->>'id')"
                              " FROM slices WHERE uuid = '" RT_CHART_UUID "'"),
                     expect, "datasource rewired, only FORMULA annotations kept");

    /* a saved query */
    const char *const query_files[] = {
        "metadata.yaml", "version: 1.0.0\ntype: SavedQuery\n", "databases/rt_db.yaml", rt_database,
        "queries/rt_db/public/rt_query.yaml",
        "catalog: null\nschema: public\nlabel: rt query\ndescription: d\nsql: SELECT 1\nuuid: " RT_QUERY_UUID
        "\nversion: 1.0.0\ndatabase_uuid: " RT_DB_UUID "\n",
        NULL};
    zip = small_zip(query_files, &len);
    expect_import(&admin, "/api/v1/saved_query/import/", "formData", zip, len, NULL, 200, NULL);
    expect_import(&admin, "/api/v1/saved_query/import/", "formData", zip, len, NULL,
                  422, "Saved_Queries already exists and `overwrite=true` was not passed");
    free(zip);

    /* exports of each, with the reference's file names, importable again */
    char path[256], root[128], name[512];
    snprintf(path, sizeof path, "/api/v1/saved_query/export/?q=!(%s)",
             rest_sql("SELECT id FROM saved_query WHERE uuid = '" RT_QUERY_UUID "'"));
    http_response_t *r = get_with(&admin, path);
    json_t *files = export_members(r, "saved_query_export_", root, sizeof root);
    http_free(r);
    snprintf(name, sizeof name, "%s/queries/rt_db/public/rt_query.yaml", root);
    cr_assert_str_eq(json_string_value(json_object_get(files, name)),
                     "catalog: null\nschema: public\nlabel: rt query\ndescription: d\nsql: SELECT 1\nuuid: " RT_QUERY_UUID
                     "\nversion: 1.0.0\ndatabase_uuid: " RT_DB_UUID "\n");
    snprintf(name, sizeof name, "%s/databases/rt_db.yaml", root);
    cr_assert_str_eq(json_string_value(json_object_get(files, name)),
                     "database_name: rt_db\nsqlalchemy_uri: postgresql://rt@db.example.com/rt\ncache_timeout: null\n"
                     "expose_in_sqllab: true\nallow_run_async: false\nallow_ctas: false\nallow_cvas: false\n"
                     "allow_dml: false\nallow_file_upload: false\nextra: {}\nimpersonate_user: false\nuuid: " RT_DB_UUID
                     "\nversion: 1.0.0\n");
    json_decref(files);

    snprintf(path, sizeof path, "/api/v1/database/export/?q=!(%s)",
             rest_sql("SELECT id FROM dbs WHERE uuid = '" RT_DB_UUID "'"));
    r = get_with(&admin, path);
    files = export_members(r, "database_export_", root, sizeof root);
    http_free(r);
    snprintf(name, sizeof name, "%s/databases/rt_db.yaml", root);
    const char *db_yaml = json_string_value(json_object_get(files, name));
    cr_assert(db_yaml && strstr(db_yaml, "\nallow_csv_upload: false\n"), "%s", db_yaml ? db_yaml : "(none)");
    snprintf(name, sizeof name, "%s/datasets/rt_db/rt_table.yaml", root);
    const char *ds_yaml = json_string_value(json_object_get(files, name));
    cr_assert(ds_yaml, "the database's dataset, without an id suffix");
    cr_assert(strstr(ds_yaml, "\nmetrics:\n- metric_name: cnt\n  verbose_name: null\n  metric_type: null\n"
                              "  expression: COUNT(*)\n"), "%s", ds_yaml);
    json_decref(files);

    snprintf(path, sizeof path, "/api/v1/chart/export/?q=!(%s)",
             rest_sql("SELECT id FROM slices WHERE uuid = '" RT_CHART_UUID "'"));
    r = get_with(&admin, path);
    files = export_members(r, "chart_export_", root, sizeof root);
    http_free(r);
    bundle_t out = {zipf_writer_new(), NULL, NULL, 0};
    const char *k;
    json_t *v;
    json_object_foreach(files, k, v) cr_assert(zipf_writer_add(out.zip, k, json_string_value(v), json_string_length(v)));
    zip = finish(&out, &len);
    const char *const ow[] = {"overwrite", "true", NULL};
    expect_import(&admin, "/api/v1/chart/import/", "formData", zip, len, ow, 200, NULL);
    expect_import(&admin, "/api/v1/dataset/import/", "formData", zip, len, NULL, 422, "Must be equal to SqlaTable.");
    free(zip);
    json_decref(files);

    /* assets with sparse=true: a chart whose dataset is not in the bundle but exists */
    const char *const sparse_files[] = {
        "metadata.yaml", "version: 1.0.0\ntype: assets\n", "charts/rt_chart.yaml",
        "slice_name: rt chart sparse\nviz_type: table\nparams: {}\nuuid: " RT_CHART_UUID
        "\nversion: 1.0.0\ndataset_uuid: " RT_DS_UUID "\n",
        NULL};
    zip = small_zip(sparse_files, &len);
    expect_command_error(post_bundle(&admin, "/api/v1/assets/import/", "bundle", zip, len, NULL), 500,
                         "Import failed for an unknown reason");
    const char *const sparse[] = {"sparse", "true", NULL};
    expect_import(&admin, "/api/v1/assets/import/", "bundle", zip, len, sparse, 200, NULL);
    cr_assert_str_eq(rest_sql("SELECT slice_name FROM slices WHERE uuid = '" RT_CHART_UUID "'"), "rt chart sparse");

    /* an Alpha user may import, but not overwrite what it does not own */
    rest_create_user("Alpha", "import_alpha");
    rest_session_t alpha;
    rest_open(&alpha, "import_alpha", "import_alpha");
    const char *const chart_only[] = {
        "metadata.yaml", "version: 1.0.0\ntype: Slice\n", "databases/rt_db.yaml", rt_database,
        "datasets/rt_db/rt_table.yaml", rt_dataset, "charts/rt_chart.yaml",
        "slice_name: by alpha\nviz_type: table\nparams: {}\nuuid: " RT_CHART_UUID "\nversion: 1.0.0\ndataset_uuid: "
        RT_DS_UUID "\n",
        NULL};
    free(zip);
    zip = small_zip(chart_only, &len);
    expect_command_error(post_bundle(&alpha, "/api/v1/chart/import/", "formData", zip, len, ow), 500,
                         "A chart already exists and user doesn't have permissions to overwrite it");
    cr_assert_str_eq(rest_sql("SELECT slice_name FROM slices WHERE uuid = '" RT_CHART_UUID "'"), "rt chart sparse",
                     "rolled back");
    free(zip);
    cleanup_round_trip();
}

/* ---- liteset load-examples ---- */

static const char *examples_sql(const char *sql) {
    static char out[256];
    char conninfo[512];
    snprintf(conninfo, sizeof conninfo, "host=%s port=%s user=%s dbname=examples", harness_env("LITESET_TEST_PGHOST"),
             harness_env("LITESET_TEST_PGPORT"), harness_env("LITESET_TEST_PGUSER"));
    PGconn *pg = PQconnectdb(conninfo);
    cr_assert_eq(PQstatus(pg), CONNECTION_OK, "%s", PQerrorMessage(pg));
    PGresult *r = PQexec(pg, sql);
    cr_assert_eq(PQresultStatus(r), PGRES_TUPLES_OK, "%s: %s", sql, PQerrorMessage(pg));
    snprintf(out, sizeof out, "%s", PQntuples(r) ? PQgetvalue(r, 0, 0) : "");
    PQclear(r);
    PQfinish(pg);
    return out;
}

Test(import, load_examples_cli, .timeout = 600) {
    bundle_t b;
    size_t len;
    free(examples_zip(&b, &len)); /* for the dashboard uuids */
    cleanup_examples(b.dashboards);
    const char *const missing[] = {"load-examples", "/nonexistent/examples", NULL};
    cr_assert_eq(rest_cli(missing), 1, "no bundle there");

    char dir[1024];
    snprintf(dir, sizeof dir, "%s/superset-examples", harness_env("LITESET_SHARED"));
    const char *const args[] = {"load-examples", dir, NULL};
    cr_assert_eq(rest_cli(args), 0, "load-examples");
    /* the CSV data, typed as the dataset files declare */
    cr_assert_str_eq(examples_sql("SELECT count(*) FROM public.cleaned_sales_data"),
                     "2823");
    cr_assert_str_eq(examples_sql("SELECT data_type FROM information_schema.columns WHERE table_name = 'channels'"
                                  " AND column_name = 'is_archived'"), "boolean");
    cr_assert_str_eq(examples_sql("SELECT data_type FROM information_schema.columns WHERE table_name = 'cleaned_sales_data'"
                                  " AND column_name = 'sales'"), "double precision");
    /* the configs: the examples database, every dataset in schema public, dashboards without owners */
    cr_assert_eq(sql_count("SELECT count(*) FROM tables t JOIN dbs d ON d.id = t.database_id WHERE d.uuid = '%s'"
                           " AND t.schema = 'public'", EXAMPLES_DB_UUID), b.datasets);
    cr_assert_str_eq(rest_sql("SELECT sqlalchemy_uri LIKE 'postgresql://%/examples?%' FROM dbs WHERE uuid = '"
                              EXAMPLES_DB_UUID "'"), "t");
    strbuf_t uuids;
    strbuf_init(&uuids, 512);
    const char *u;
    json_t *cfg;
    json_object_foreach(b.dashboards, u, cfg) strbuf_printf(&uuids, "%s'%s'", uuids.len ? "," : "", u);
    cr_assert_eq(sql_count("SELECT count(*) FROM dashboards WHERE uuid::text IN (%s) AND id NOT IN"
                           " (SELECT dashboard_id FROM dashboard_user)", uuids.data),
                 (long long)json_object_size(b.dashboards));
    strbuf_free(&uuids);
    /* idempotent: a second run keeps the data and updates the configs */
    cr_assert_eq(rest_cli(args), 0, "load-examples again");
    cr_assert_str_eq(examples_sql("SELECT count(*) FROM public.cleaned_sales_data"), "2823");
    cleanup_examples(b.dashboards);
    json_decref(b.dashboards);
    json_decref(b.charts);
}

/* ---- themes travel with dashboards ---- */

#define TH_UUID "5d4c3b2a-1908-4f7e-8d6c-5b4a39281706"
#define TH_DASH_UUID "6e5d4c3b-2a19-4807-9e6d-5c4b3a291807"

Test(import, dashboard_theme) {
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    const char *clean = "DELETE FROM dashboard_user WHERE dashboard_id IN (SELECT id FROM dashboards WHERE uuid = '"
                        TH_DASH_UUID "');DELETE FROM dashboards WHERE uuid = '" TH_DASH_UUID "';"
                        "DELETE FROM themes WHERE uuid = '" TH_UUID "'";
    rest_sql(clean);
    const char *const files[] = {
        "metadata.yaml", "version: 1.0.0\ntype: Dashboard\n",
        "themes/Ocean.yaml", "theme_name: Ocean\njson_data:\n  token:\n    colorPrimary: '#0050b3'\nuuid: " TH_UUID
        "\nversion: 1.0.0\n",
        "dashboards/Themed.yaml", "dashboard_title: Themed\nposition: {}\nuuid: " TH_DASH_UUID "\ntheme_uuid: " TH_UUID
        "\nversion: 1.0.0\n",
        NULL};
    size_t len;
    char *zip = small_zip(files, &len);
    expect_import(&admin, "/api/v1/dashboard/import/", "formData", zip, len, NULL, 200, NULL);
    free(zip);
    cr_assert_str_eq(rest_sql("SELECT d.theme_id = t.id AND t.json_data = '{\"token\": {\"colorPrimary\": \"#0050b3\"}}'"
                              " AND NOT t.is_system FROM dashboards d, themes t WHERE d.uuid = '" TH_DASH_UUID
                              "' AND t.uuid = '" TH_UUID "'"), "t");
    char path[128], root[128], name[256];
    snprintf(path, sizeof path, "/api/v1/dashboard/export/?q=!(%s)",
             rest_sql("SELECT id FROM dashboards WHERE uuid = '" TH_DASH_UUID "'"));
    const char *const h[] = {admin.bearer, admin.cookie, admin.csrf, NULL};
    http_response_t *r = http_request("GET", path, h, NULL, 0);
    json_t *out = export_members(r, "dashboard_export_", root, sizeof root);
    http_free(r);
    snprintf(name, sizeof name, "%s/themes/Ocean.yaml", root);
    cr_assert_str_eq(json_string_value(json_object_get(out, name)),
                     "theme_name: Ocean\njson_data:\n  token:\n    colorPrimary: '#0050b3'\nuuid: " TH_UUID
                     "\nversion: 1.0.0\n");
    const char *k;
    json_t *v;
    bool theme_ref = false;
    json_object_foreach(out, k, v) if (strstr(k, "/dashboards/Themed_")) theme_ref = strstr(json_string_value(v),
                                                                                             "\ntheme_uuid: " TH_UUID "\n");
    cr_assert(theme_ref, "the dashboard file names its theme");
    /* the default layout of a dashboard without one */
    json_object_foreach(out, k, v) if (strstr(k, "/dashboards/Themed_"))
        cr_assert(strstr(json_string_value(v), "position:\n  DASHBOARD_VERSION_KEY: v2\n  ROOT_ID:\n"), "%s",
                  json_string_value(v));
    json_decref(out);
    rest_sql(clean);
}
