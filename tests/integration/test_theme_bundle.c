/* Theme export and import through nginx: GET /api/v1/theme/export/ (ZIP of
 * metadata.yaml and themes/<name>.yaml, 404 on unknown ids, 400 on a bad
 * rison argument) and POST /api/v1/theme/import/ (create, the "already
 * exists" 422 without overwrite, update with overwrite, the catch-all 500
 * for a non-ZIP upload or one without YAML files, 400 without a file),
 * for Admin and Gamma. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "lib/zipfile.h"
#include "tests/integration/harness.h"
#include "tests/integration/rest_client.h"

#define TB_UUID "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d"

static void clean(void) { rest_sql("DELETE FROM themes WHERE uuid = '" TB_UUID "' OR theme_name LIKE 'tb\\_%'"); }

/* A ZIP of (name, text) pairs under bundle/. */
static char *zip_of(const char *const *files, size_t *len) {
    zipf_writer_t *w = zipf_writer_new();
    char path[512];
    for (const char *const *f = files; *f; f += 2) {
        snprintf(path, sizeof path, "bundle/%s", f[0]);
        cr_assert(zipf_writer_add(w, path, f[1], strlen(f[1])));
    }
    char *data;
    cr_assert(zipf_writer_finish(w, &data, len));
    return data;
}

static http_response_t *post_file(rest_session_t *s, const char *data, size_t len, const char *overwrite) {
    const char *const fields[] = {"overwrite", overwrite, NULL};
    const rest_file_t file = {"formData", "t.zip", "application/zip", data, len};
    return rest_post_multipart(s, "/api/v1/theme/import/", overwrite ? fields : NULL, data ? &file : NULL);
}

static json_t *body_of(const http_response_t *r) {
    json_t *j = json_loads(r->body, JSON_DECODE_ANY, NULL);
    cr_assert(j, "not JSON: %s", r->body);
    return j;
}

/* First SIP-40 error: status, message and error_type. */
static void expect_error(http_response_t *r, int status, const char *type, const char *message) {
    cr_assert_eq(r->status, status, "%s", r->body);
    json_t *j = body_of(r);
    json_t *e = json_array_get(json_object_get(j, "errors"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(e, "error_type")), type, "%s", r->body);
    cr_assert_str_eq(json_string_value(json_object_get(e, "message")), message, "%s", r->body);
    json_decref(j);
    http_free(r);
}

static const char *theme_yaml(const char *name) {
    static char y[512];
    snprintf(y, sizeof y, "theme_name: %s\njson_data:\n  token:\n    colorPrimary: '#1677ff'\nuuid: " TB_UUID
             "\nversion: 1.0.0\n", name);
    return y;
}

static void import_as(const char *user) {
    clean();
    rest_session_t s;
    rest_open(&s, user, user);
    const char *const files[] = {"metadata.yaml", "version: 1.0.0\ntype: Theme\ntimestamp: '2025-01-01T00:00:00'\n",
                                 "themes/tb_ocean.yaml", theme_yaml("tb_ocean"), NULL};
    size_t len;
    char *zip = zip_of(files, &len);
    http_response_t *r = post_file(&s, zip, len, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(r->body, "{\"message\":\"Theme imported successfully\"}\n");
    http_free(r);
    free(zip);
    cr_assert_str_eq(rest_sql("SELECT theme_name || '|' || json_data || '|' || is_system FROM themes WHERE uuid = '"
                              TB_UUID "'"),
                     "tb_ocean|{\"token\": {\"colorPrimary\": \"#1677ff\"}}|false");
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM themes t JOIN ab_user u ON u.id = t.created_by_fk"
                              " WHERE t.uuid = '" TB_UUID "' AND u.username = '%s'", user);
    cr_assert_str_eq(rest_sql(sql), "1");

    /* again without overwrite: the command refuses */
    const char *const again[] = {"metadata.yaml", "version: 1.0.0\ntype: Theme\ntimestamp: '2025-01-01T00:00:00'\n",
                                 "themes/tb_ocean.yaml", theme_yaml("tb_renamed"), NULL};
    zip = zip_of(again, &len);
    r = post_file(&s, zip, len, NULL);
    cr_assert_eq(r->status, 422, "%s", r->body);
    json_t *j = body_of(r);
    json_t *e = json_array_get(json_object_get(j, "errors"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(e, "message")),
                     "Error importing theme: themes/tb_ocean.yaml: Theme already exists and `overwrite=true` was not"
                     " passed");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(e, "extra"), "themes/tb_ocean.yaml")),
                     "Theme already exists and `overwrite=true` was not passed");
    json_decref(j);
    http_free(r);
    /* with overwrite: updated in place */
    r = post_file(&s, zip, len, "true");
    cr_assert_eq(r->status, 200, "%s", r->body);
    http_free(r);
    free(zip);
    cr_assert_str_eq(rest_sql("SELECT count(*) || theme_name FROM themes WHERE uuid = '" TB_UUID "' GROUP BY"
                              " theme_name"), "1tb_renamed");
    clean();
}

Test(theme_bundle, import_admin) { import_as("admin"); }

Test(theme_bundle, import_gamma) {
    rest_create_user("Gamma", "tb_gamma");
    import_as("tb_gamma");
}

Test(theme_bundle, import_bad_input) {
    clean();
    rest_session_t admin;
    rest_open(&admin, "admin", "admin");
    const char *text = "not a zip";
    expect_error(post_file(&admin, text, strlen(text), NULL), 500, "GENERIC_BACKEND_ERROR", "File is not a zip file");
    const char *const none[] = {"README.txt", "nothing here", NULL};
    size_t len;
    char *zip = zip_of(none, &len);
    expect_error(post_file(&admin, zip, len, NULL), 500, "GENERIC_BACKEND_ERROR",
                 "No valid theme files found in the uploaded zip");
    free(zip);
    http_response_t *r = post_file(&admin, NULL, 0, "true");
    cr_assert_eq(r->status, 400, "%s", r->body);
    cr_assert_str_eq(r->body, "{\"message\":\"Arguments are not correct\"}\n");
    http_free(r);
    /* wrong metadata type and a schema error, reported per file */
    const char *const wrong[] = {"metadata.yaml", "version: 1.0.0\ntype: Dashboard\n",
                                 "themes/tb_x.yaml", "theme_name: tb_x\nuuid: " TB_UUID "\nversion: 1.0.0\n", NULL};
    zip = zip_of(wrong, &len);
    r = post_file(&admin, zip, len, NULL);
    cr_assert_eq(r->status, 422, "%s", r->body);
    json_t *j = body_of(r);
    json_t *extra = json_object_get(json_array_get(json_object_get(j, "errors"), 0), "extra");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(json_object_get(extra, "metadata.yaml"), "type"),
                                                      0)), "Must be equal to Theme.", "%s", r->body);
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(json_object_get(extra, "themes/tb_x.yaml"),
                                                                      "json_data"), 0)),
                     "Missing data for required field.", "%s", r->body);
    json_decref(j);
    http_free(r);
    free(zip);
    cr_assert_str_eq(rest_sql("SELECT count(*) FROM themes WHERE uuid = '" TB_UUID "'"), "0");
}

static http_response_t *get_as(rest_session_t *s, const char *path) {
    const char *const h[] = {s->bearer, s->cookie, s->csrf, NULL};
    http_response_t *r = http_request("GET", path, h, NULL, 0);
    cr_assert(r);
    return r;
}

static void on_member(void *ud, const char *name, const char *data, size_t len) {
    json_object_set_new(ud, name, json_stringn(data, len));
}

static bool any_name(const char *name) {
    (void)name;
    return true;
}

static void export_as(const char *user) {
    clean();
    rest_sql("INSERT INTO themes (uuid, created_on, changed_on, theme_name, json_data, is_system, is_system_default,"
             " is_system_dark) VALUES ('" TB_UUID "', now(), now(), 'tb Sea/Blue', '{\"token\": {\"colorPrimary\":"
             " \"#0050b3\"}}', false, false, false)");
    const char *id = rest_sql("SELECT id FROM themes WHERE uuid = '" TB_UUID "'");
    char path[256];
    snprintf(path, sizeof path, "/api/v1/theme/export/?q=!(%s)&token=tbtok", id);
    rest_session_t s;
    rest_open(&s, user, user);
    http_response_t *r = get_as(&s, path);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(http_header(r, "Content-Type"), "application/zip");
    const char *cd = http_header(r, "Content-Disposition");
    cr_assert(cd && !strncmp(cd, "attachment; filename=theme_export_", 34), "%s", cd ? cd : "");
    char root[64];
    snprintf(root, sizeof root, "%.*s", (int)(strlen(cd + 21) - 4), cd + 21);
    cr_assert_eq(strlen(root), strlen("theme_export_") + 15, "%s", root);
    const char *cookie = http_header(r, "Set-Cookie");
    cr_assert(cookie && !strncmp(cookie, "tbtok=done;", 11), "%s", cookie ? cookie : "");
    json_t *m = json_object();
    cr_assert_eq(zipf_read(r->body, r->body_len, 1 << 24, 1000, any_name, on_member, m), ZIPF_OK);
    http_free(r);
    cr_assert_eq(json_object_size(m), 2);
    char name[128];
    snprintf(name, sizeof name, "%s/metadata.yaml", root);
    const char *meta = json_string_value(json_object_get(m, name));
    cr_assert(meta && !strncmp(meta, "version: 1.0.0\ntype: Theme\ntimestamp: '", 39), "%s", meta ? meta : "");
    snprintf(name, sizeof name, "%s/themes/tb_Sea_Blue.yaml", root);
    cr_assert_str_eq(json_string_value(json_object_get(m, name)),
                     "theme_name: tb Sea/Blue\njson_data:\n  token:\n    colorPrimary: '#0050b3'\nuuid: " TB_UUID
                     "\nversion: 1.0.0\n");
    json_decref(m);

    /* an unknown id among known ones, and a bad argument */
    snprintf(path, sizeof path, "/api/v1/theme/export/?q=!(%s,999999)", id);
    r = get_as(&s, path);
    cr_assert_eq(r->status, 404, "%s", r->body);
    cr_assert_str_eq(r->body, "{\"message\":\"Not found\"}\n");
    http_free(r);
    r = get_as(&s, "/api/v1/theme/export/?q=!(a");
    cr_assert_eq(r->status, 400, "%s", r->body);
    http_free(r);
    clean();
}

Test(theme_bundle, export_admin) { export_as("admin"); }

Test(theme_bundle, export_gamma) {
    rest_create_user("Gamma", "tb_gamma");
    export_as("tb_gamma");
}

Test(theme_bundle, anonymous) {
    http_response_t *r = http_request("GET", "/api/v1/theme/export/?q=!(1)", NULL, NULL, 0);
    cr_assert(r);
    cr_assert_eq(r->status, 401, "%s", r->body);
    http_free(r);
}
