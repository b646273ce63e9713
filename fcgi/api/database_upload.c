/* File uploads into a database (Superset's DatabaseRestApi.upload_metadata
 * and .upload with UploadCommand):
 * - POST /api/v1/database/upload_metadata/: the file's column names (and
 *   sheet names) as the format's reader finds them;
 * - POST /api/v1/database/<pk>/upload/: checks the database (visible,
 *   allow_file_upload, schema allowed for uploads), reads and types the file
 *   on an offload thread, writes the table on the target database with
 *   COPY, then creates or refreshes the dataset in one metadata transaction.
 * Both need can_upload on Database and a multipart/form-data body. */
#include <string.h>
#include <strings.h>

#include "config/pyliteral.h"
#include "domain/access.h"
#include "domain/security.h"
#include "domain/target_db.h"
#include "domain/upload_readers.h"
#include "domain/upload_table.h"
#include "fcgi/api/api.h"
#include "fcgi/api/database_target.h"
#include "fcgi/api/database_upload.h"
#include "fcgi/api/dataset_refresh.h"
#include "fcgi/api/dataset_write.h"
#include "fcgi/app.h"
#include "fcgi/errors.h"
#include "lib/json.h"
#include "lib/log.h"
#include "lib/offload.h"

#define SCHEMA_NOT_ALLOWED "Database schema is not allowed for csv uploads."
#define SAVE_METADATA_FAILED "Database upload file failed, while saving metadata"

/* ---- answers ---- */

static void sip40(request_t *req, int status, const char *message, const char *error_type, const char *level,
                  int issue_code, const char *issue_text) {
    json_t *extra = json_pack("{s:[{s:i,s:s}]}", "issue_codes", "code", issue_code, "message",
                              arena_sprintf(req->arena, "Issue %d - %s", issue_code, issue_text));
    json_t *err = json_pack("{s:s,s:s,s:s,s:o}", "message", message, "error_type", error_type, "level", level,
                            "extra", extra);
    resp_json(req, status, json_pack("{s:[o]}", "errors", err), JSON_ENSURE_ASCII);
    req->from_error_handler = true;
}

/* The app's CommandException handler: the static 500 page for HTML
 * clients, else GENERIC_COMMAND_ERROR with the command's status. */
static void command_error(request_t *req, int status, const char *message) {
    const error_pages_t *pages = app_error_pages(req->app);
    if (pages && pages->html_500 && !config_bool(req->cfg, "DEBUG", false) && req_accepts(req, "text/html")) {
        resp_body(req, 500, "text/html; charset=utf-8", pages->html_500, pages->len_500);
        resp_set_header(req, "Cache-Control", "no-cache");
        req->from_error_handler = true;
        return;
    }
    sip40(req, status, message, "GENERIC_COMMAND_ERROR", status < 500 ? "warning" : "error", 1010,
          "Superset encountered an error while running a command.");
}

/* @requires_form_data */
static bool multipart_or_400(request_t *req) {
    const char *ct = req_header(req, "Content-Type");
    size_t n = ct ? strcspn(ct, ";") : 0;
    while (n && (ct[n - 1] == ' ' || ct[n - 1] == '\t')) n--;
    if (n == 19 && !strncasecmp(ct, "multipart/form-data", 19)) return true;
    sip40(req, 400, "Request MIME type is not 'multipart/form-data'", "INVALID_PAYLOAD_FORMAT_ERROR", "error", 1019,
          "The submitted payload has the incorrect format.");
    return false;
}

/* Loads the form or answers its 400; NULL-free *f on success. */
static bool form_or_400(request_t *req, bool metadata, upload_form_t *f) {
    json_t *errors = upload_form_load(req, metadata, f);
    if (!errors) return true;
    resp_json(req, 400, json_pack("{s:o}", "message", errors), JSON_FLASK);
    return false;
}

/* ---- reading the file, off the loop ---- */

typedef struct read_job {
    const upload_reader_t *reader;
    const upload_form_t *form;
    bool metadata;
    arena_t *mem;
    json_t *items;
    upload_frame_t frame;
    char *copy;
    size_t copy_len;
    int rc;
    char err[UPLOAD_ERR_LEN];
} read_job_t;

static void read_job(void *arg) {
    read_job_t *j = arg;
    const upload_form_t *f = j->form;
    if (j->metadata) {
        j->rc = j->reader->metadata(j->mem, f->file, f->file_len, &f->options, &j->items, j->err, sizeof j->err);
        return;
    }
    j->rc = j->reader->frame(j->mem, f->file, f->file_len, &f->options, &j->frame, j->err, sizeof j->err);
    if (!j->rc) j->copy = upload_frame_copy_text(j->mem, &j->frame, &j->copy_len);
}

/* Runs the reader; false once the 422 was answered. */
static bool read_file(request_t *req, const upload_form_t *f, bool metadata, read_job_t *j) {
    memset(j, 0, sizeof *j);
    j->reader = upload_reader_find(f->type);
    j->form = f;
    j->metadata = metadata;
    j->mem = arena_new(256 * 1024);
    arena_on_free(req->arena, (arena_cleanup_fn)arena_free, j->mem);
    if (!metadata && f->dtypes_not_mapping && !strcmp(f->type, "csv")) {
        command_error(req, 422, "Error reading CSV file");
        return false;
    }
    offload_run(read_job, j); /* tokenizing and typing are CPU work */
    if (j->items) json_arena_own(req->arena, j->items);
    if (j->rc) command_error(req, 422, j->err);
    return !j->rc;
}

static void upload_metadata(request_t *req) {
    upload_form_t f;
    if (!multipart_or_400(req) || !form_or_400(req, true, &f)) return;
    read_job_t j;
    if (!read_file(req, &f, true, &j)) return;
    resp_json(req, 200, json_pack("{s:{s:O}}", "result", "items", j.items), JSON_FLASK);
}

/* ---- UploadCommand ---- */

/* schema_allows_file_upload: 1 allowed, 0 not, -1 database error. */
static int schema_allowed(request_t *req, int64_t pk, const char *schema) {
    const char *ids = arena_sprintf(req->arena, "%lld", (long long)pk);
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              "SELECT database_name, allow_file_upload, extra FROM dbs WHERE id = $1::int", 1, &ids);
    if (!r || !pg_nrows(r)) return -1;
    if (!pg_get_bool(r, 0, 1, false)) return 0;
    const char *extra_text = pg_get(r, 0, 2);
    json_t *extra = json_arena_own(req->arena, extra_text && *extra_text ? json_loads(extra_text, 0, NULL) : NULL);
    json_t *allowed = json_object_get(extra, "schemas_allowed_for_file_upload");
    if (json_is_string(allowed)) /* a Python literal in older extras */
        allowed = json_arena_own(req->arena, pyliteral_parse_value(json_string_value(allowed),
                                                                   json_string_length(allowed)));
    if (json_array_size(allowed)) {
        size_t i;
        json_t *s;
        json_array_foreach(allowed, i, s) if (schema && json_is_string(s) && !strcmp(json_string_value(s), schema)) return 1;
        return 0;
    }
    return access_database(app_security(req->app), req->cfg, req->user,
                           perm_database(req->arena, pg_get(r, 0, 0), pk));
}

static const char *num(arena_t *a, int64_t v) { return arena_sprintf(a, "%lld", (long long)v); }

/* The dataset of the new table: found by table, schema and database, or
 * created with the caller as owner; then its columns fetched. */
static bool save_dataset(request_t *req, pg_conn_t *c, int64_t db_id, const char *table, const char *schema,
                         const char **why) {
    arena_t *a = req->arena;
    pg_error_t err = {0};
    const char *p[] = {table, schema, num(a, db_id), num(a, req->user ? req->user->id : 0)};
    pg_result_t *r = pg_conn_query(c, a, &err,
                                   "SELECT id FROM tables WHERE table_name = $1 AND schema IS NOT DISTINCT FROM $2"
                                   " AND database_id = $3::int LIMIT 2", 3, p);
    if (!r || pg_nrows(r) > 1) return *why = r ? "more than one dataset matches" : err.message, false;
    int64_t id = pg_nrows(r) ? pg_get_int(r, 0, 0, 0) : 0;
    if (!id) {
        r = pg_conn_query(
            c, a, &err,
            "INSERT INTO tables (table_name, database_id, schema, uuid, filter_select_enabled, \"offset\", is_featured,"
            " is_sqllab_view, normalize_columns, always_filter_main_dttm, is_managed_externally, created_on,"
            " changed_on, created_by_fk, changed_by_fk) VALUES ($1, $3::int, $2, gen_random_uuid(), true, 0, false,"
            " false, false, false, false, localtimestamp, localtimestamp, $4::int, $4::int) RETURNING id",
            4, p);
        id = r && pg_nrows(r) ? pg_get_int(r, 0, 0, 0) : 0;
        const char *q[] = {num(a, id), p[3]};
        bool ok = id > 0 &&
                  pg_conn_query(c, a, &err, "INSERT INTO sqlatable_user (user_id, table_id) VALUES ($2::int, $1::int)",
                                2, q) &&
                  dataset_perm_after_insert(a, c, id, &err);
        if (!ok) return *why = err.message, false;
    }
    return dataset_fetch_metadata(req, c, id, why);
}

static bool metadata_transaction(request_t *req, int64_t db_id, const char *table, const char *schema) {
    pg_error_t err = {0};
    const char *why = NULL;
    pg_conn_t *c = pg_acquire(app_pg(req->app), req->arena, &err);
    bool ok = c && pg_begin(c, req->arena, &err) && save_dataset(req, c, db_id, table, schema, &why) &&
              pg_commit(c, req->arena, &err);
    pg_release(c);
    if (!ok) log_warn("upload: saving the dataset failed: %s", why ? why : err.message ? err.message : "");
    else security_invalidate(app_security(req->app));
    return ok;
}

static void upload(request_t *req) {
    upload_form_t f;
    if (!multipart_or_400(req) || !form_or_400(req, false, &f)) return;
    int64_t pk = req_path_int(req, "pk");
    int visible = database_visible(req, pk);
    if (visible < 0) return error_fab(req, 500, "Fatal error");
    if (!visible) return command_error(req, 404, "Database not found.");
    int allowed = schema_allowed(req, pk, f.schema);
    if (allowed < 0) return error_fab(req, 500, "Fatal error");
    if (!allowed) return command_error(req, 403, SCHEMA_NOT_ALLOWED);

    read_job_t j;
    if (!read_file(req, &f, false, &j)) return;
    target_db_t db;
    const char *msg = NULL;
    target_status_t ts = target_db_open(app_pg(req->app), req->arena, req->cfg, pk, NULL, &db, &msg);
    if (ts == TARGET_META_ERROR) return error_fab(req, 500, "Fatal error");
    if (ts != TARGET_OK) return command_error(req, 422, msg ? msg : "Database upload file failed");
    upload_if_exists_t mode = UPLOAD_IF_FAIL;
    upload_if_exists_parse(f.already_exists, &mode);
    const char *schema = f.schema && *f.schema ? f.schema : NULL; /* only a non-empty schema qualifies the table */
    if (upload_table_write(db.pool, req->arena, schema, f.table_name, &j.frame, j.copy, j.copy_len, mode, &msg))
        return command_error(req, 422, msg && *msg ? msg : "Database upload file failed");
    if (!metadata_transaction(req, pk, f.table_name, f.schema)) return command_error(req, 500, SAVE_METADATA_FAILED);
    resp_json(req, 201, json_pack("{s:s}", "message", "OK"), JSON_FLASK);
}

static const route_def_t routes[] = {
    {"POST", "/api/v1/database/upload_metadata/", upload_metadata, GUARD("can_upload", "Database"), 0, NULL},
    {"POST", "/api/v1/database/<int:pk>/upload/", upload, GUARD("can_upload", "Database"), 0, NULL},
};

const route_table_t database_upload_routes = {routes, sizeof routes / sizeof routes[0], NULL};
