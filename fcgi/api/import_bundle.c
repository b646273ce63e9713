/* Bundle import endpoints: POST /api/v1/{dashboard,chart,dataset,database,
 * saved_query,theme}/import/ (file field formData, overwrite) and POST
 * /api/v1/assets/import/ (file field bundle, sparse; multipart required).
 * The ZIP is read with the reference's member filter (YAML files only,
 * hidden and "_" files skipped, root folder removed) and safety limits,
 * then handed to the domain import command; its outcome is rendered as the
 * reference's FAB or SIP-40 bodies. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "domain/bundle_import.h"
#include "domain/security.h"
#include "fcgi/api/api.h"
#include "fcgi/app.h"
#include "fcgi/errors.h"
#include "fcgi/formdata.h"
#include "lib/json.h"
#include "lib/offload.h"
#include "lib/zipfile.h"

#define ZIPPED_FILE_MAX_SIZE (100u * 1024u * 1024u)
#define ZIP_FILE_MAX_COMPRESS_RATIO 200.0

typedef struct import_route {
    const char *path;
    import_command_t command;
    const char *file_field;
    bool zip_only;        /* non-ZIP upload: 422 "Not a ZIP file" (else: no legacy importer matches) */
    bool needs_multipart; /* @requires_form_data */
    /* the theme import reads the upload without the checks of the others:
     * a non-ZIP upload or one without YAML files reaches the catch-all
     * handler, and success has its own message */
    bool unchecked;
    const char *ok_message;
} import_route_t;

static const import_route_t import_routes[] = {
    {"/api/v1/dashboard/import/", IMPORT_DASHBOARDS, "formData", false, false, false, "OK"},
    {"/api/v1/chart/import/", IMPORT_CHARTS, "formData", true, false, false, "OK"},
    {"/api/v1/dataset/import/", IMPORT_DATASETS, "formData", false, false, false, "OK"},
    {"/api/v1/database/import/", IMPORT_DATABASES, "formData", true, false, false, "OK"},
    {"/api/v1/saved_query/import/", IMPORT_SAVED_QUERIES, "formData", true, false, false, "OK"},
    {"/api/v1/assets/import/", IMPORT_ASSETS, "bundle", true, true, false, "OK"},
    {"/api/v1/theme/import/", IMPORT_THEMES, "formData", true, false, true, "Theme imported successfully"},
};

/* View menus of the kinds, for can_write. */
static const char *const kind_views[BUNDLE_KIND_COUNT] = {
    [BUNDLE_DATABASES] = "Database", [BUNDLE_DATASETS] = "Dataset", [BUNDLE_CHARTS] = "Chart",
    [BUNDLE_DASHBOARDS] = "Dashboard", [BUNDLE_QUERIES] = "SavedQuery", [BUNDLE_THEMES] = "Theme",
};

/* SupersetError list body (json.dumps spacing). */
static void sip40(request_t *req, int status, const char *message, const char *error_type, const char *level,
                  json_t *extra, int issue_code, const char *issue_text) {
    if (!extra) extra = json_object();
    json_object_set_new(extra, "issue_codes",
                        json_pack("[{s:i,s:s}]", "code", issue_code, "message",
                                  arena_sprintf(req->arena, "Issue %d - %s", issue_code, issue_text)));
    json_t *err = json_pack("{s:s,s:s,s:s,s:o}", "message", message, "error_type", error_type, "level", level,
                            "extra", extra);
    resp_json(req, status, json_pack("{s:[o]}", "errors", err), JSON_ENSURE_ASCII);
    req->from_error_handler = true;
}

/* The CommandException handler: the static 500 page for HTML clients, else
 * GENERIC_COMMAND_ERROR with the command's status. */
static void command_error(request_t *req, int status, const char *message, json_t *extra) {
    const error_pages_t *pages = app_error_pages(req->app);
    if (pages && pages->html_500 && !config_bool(req->cfg, "DEBUG", false) && req_accepts(req, "text/html")) {
        json_decref(extra);
        resp_body(req, 500, "text/html; charset=utf-8", pages->html_500, pages->len_500);
        resp_set_header(req, "Cache-Control", "no-cache");
        req->from_error_handler = true;
        return;
    }
    sip40(req, status, message, "GENERIC_COMMAND_ERROR", status < 500 ? "warning" : "error", extra, 1010,
          "Superset encountered an error while running a command.");
}

static void unexpected_error(request_t *req, const char *message) {
    sip40(req, 500, message, "GENERIC_BACKEND_ERROR", "error", NULL, 1011, "Superset encountered an unexpected error.");
}

/* is_valid_config: YAML files that are not hidden or private. */
static bool wanted_member(const char *name) {
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    if (*base == '.' || *base == '_') return false;
    const char *dot = strrchr(base, '.');
    return dot && (!strcasecmp(dot, ".yaml") || !strcasecmp(dot, ".yml"));
}

typedef struct collect {
    const char *data;
    size_t len;
    json_t *contents;
    bool bad_text;
    zipf_status_t status;
} collect_t;

/* remove_root: the path without its first component ("." when nothing is left). */
static void collect_member(void *ud, const char *name, const char *data, size_t len) {
    collect_t *c = ud;
    const char *slash = strchr(name, '/');
    const char *rel = slash && slash[1] ? slash + 1 : ".";
    json_t *text = json_stringn(data, len);
    if (!text) {
        c->bad_text = true; /* not UTF-8 */
        return;
    }
    json_object_set_new(c->contents, rel, text);
}

/* Reads the upload's members; runs on an offload thread (no arena use). */
static void read_zip_job(void *arg) {
    collect_t *c = arg;
    c->status = zipf_read(c->data, c->len, ZIPPED_FILE_MAX_SIZE, ZIP_FILE_MAX_COMPRESS_RATIO, wanted_member,
                          collect_member, c);
}

/* A JSON object form field (passwords and the ssh maps); false when it is not JSON. */
static bool json_field(request_t *req, const char *name, json_t **out) {
    *out = NULL;
    const char *v = form_value(req, name);
    if (!v) return true;
    json_t *j = json_loads(v, JSON_DECODE_ANY, NULL);
    if (!j) return false;
    *out = json_arena_own(req->arena, j);
    return true;
}

static const import_route_t *route_of(request_t *req) {
    for (size_t i = 0; i < sizeof import_routes / sizeof import_routes[0]; i++)
        if (!strcmp(req->path, import_routes[i].path)) return &import_routes[i];
    return NULL;
}

static bool is_multipart(request_t *req) {
    const char *ct = req_header(req, "Content-Type");
    if (!ct) return false;
    size_t n = strcspn(ct, ";");
    while (n && (ct[n - 1] == ' ' || ct[n - 1] == '\t')) n--;
    return n == 19 && !strncasecmp(ct, "multipart/form-data", 19);
}

static void import_bundle(request_t *req) {
    const import_route_t *rt = route_of(req);
    if (!rt) return error_http(req, 404);
    if (rt->needs_multipart && !is_multipart(req))
        return sip40(req, 400, "Request MIME type is not 'multipart/form-data'", "INVALID_PAYLOAD_FORMAT_ERROR", "error",
                     NULL, 1019, "The submitted payload has the incorrect format.");
    size_t len;
    const char *upload = form_file(req, rt->file_field, &len);
    if (!upload) return error_fab(req, 400, "Arguments are not correct");
    collect_t c = {upload, len, json_object(), false, ZIPF_OK};
    offload_run(read_zip_job, &c); /* decompression is CPU work: off the loop */
    json_arena_own(req->arena, c.contents);
    zipf_status_t zs = c.status;
    if (zs == ZIPF_NOT_ZIP && rt->unchecked) return unexpected_error(req, "File is not a zip file");
    if (zs == ZIPF_NOT_ZIP) {
        if (rt->zip_only) return command_error(req, 422, "Not a ZIP file", NULL);
        /* a single legacy (v0) file: no v0 importer here, as if none matched */
        return command_error(req, 422, "Could not find a valid command to import file", NULL);
    }
    if (zs == ZIPF_TOO_LARGE) return unexpected_error(req, "Found file with size above allowed threshold");
    if (zs == ZIPF_RATIO) return unexpected_error(req, "Zip compress ratio above allowed threshold");
    if (zs != ZIPF_OK) return unexpected_error(req, "Bad ZIP file");
    if (c.bad_text) return unexpected_error(req, "A file of the bundle is not UTF-8 text");
    if (!json_object_size(c.contents) && rt->unchecked)
        return unexpected_error(req, "No valid theme files found in the uploaded zip");
    if (!json_object_size(c.contents)) return command_error(req, 400, "No valid import files were found", NULL);

    import_opts_t o = {.command = rt->command};
    if (!json_field(req, "passwords", (json_t **)&o.passwords) ||
        !json_field(req, "ssh_tunnel_passwords", (json_t **)&o.ssh_passwords) ||
        !json_field(req, "ssh_tunnel_private_keys", (json_t **)&o.ssh_private_keys) ||
        !json_field(req, "ssh_tunnel_private_key_passwords", (json_t **)&o.ssh_private_key_passwords))
        return unexpected_error(req, "Expecting value: line 1 column 1 (char 0)");
    const char *overwrite = form_value(req, "overwrite"), *sparse = form_value(req, "sparse");
    o.overwrite = rt->command != IMPORT_ASSETS && overwrite && !strcmp(overwrite, "true");
    o.sparse = rt->command == IMPORT_ASSETS && sparse && !strcmp(sparse, "true");
    o.user_id = req->user ? req->user->id : 0;
    o.is_admin = security_is_admin(req->cfg, req->user);
    for (int k = 0; k < BUNDLE_KIND_COUNT; k++)
        o.can_write[k] = security_can(app_security(req->app), req->cfg, req->user, "can_write", kind_views[k]);
    o.secret_key = config_str(req->cfg, "SECRET_KEY", "");
    o.ssh_tunneling = config_feature(req->cfg, "SSH_TUNNELING");

    import_result_t r;
    bundle_import(app_pg(req->app), req->arena, c.contents, &o, &r);
    if (r.status == 200) return resp_json(req, 200, json_pack("{s:s}", "message", rt->ok_message), JSON_FLASK);
    command_error(req, r.status, r.message, r.extra);
}

static const route_def_t routes[] = {
    {"POST", "/api/v1/dashboard/import/", import_bundle, GUARD("can_write", "Dashboard"), 0, NULL},
    {"POST", "/api/v1/chart/import/", import_bundle, GUARD("can_write", "Chart"), 0, NULL},
    {"POST", "/api/v1/dataset/import/", import_bundle, GUARD("can_write", "Dataset"), 0, NULL},
    {"POST", "/api/v1/database/import/", import_bundle, GUARD("can_write", "Database"), 0, NULL},
    {"POST", "/api/v1/saved_query/import/", import_bundle, GUARD("can_write", "SavedQuery"), 0, NULL},
    {"POST", "/api/v1/assets/import/", import_bundle, GUARD("can_import_", "ImportExportRestApi"), 0, NULL},
    {"POST", "/api/v1/theme/import/", import_bundle, GUARD("can_write", "Theme"), 0, NULL},
};

const route_table_t import_bundle_routes = {routes, sizeof routes / sizeof routes[0], NULL};
