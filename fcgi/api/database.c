/* /api/v1/database: Superset's DatabaseRestApi reads and writes on the
 * generic engine: list / item / _info / related under DatabaseFilter, and
 * POST / PUT / DELETE. The password in sqlalchemy_uri is stored apart,
 * encrypted like sqlalchemy_utils' EncryptedType, and the URI keeps the
 * mask XXXXXXXXXX in its place; the password never appears in a response.
 * A new database gets its database_access permission "[name].(id:N)".
 * The extras and the endpoints that reach the database itself (PostgreSQL
 * targets) are in database_info.c, database_target.c and database_extras.c; upload is not
 * served yet. */
#include <string.h>

#include "domain/access.h"
#include "domain/security_pvm.h"
#include "fcgi/api/api.h"
#include "fcgi/api/data_access_filter.h"
#include "fcgi/api/related_users.h"
#include "fcgi/app.h"
#include "fcgi/model_rest.h"
#include "lib/encrypted_type.h"
#include "lib/sqla_url.h"
#include "persistence/models.h"

#define PASSWORD_MASK "XXXXXXXXXX"
/* Body key carrying the plaintext password from validate to after_write
 * (not a model column: the engine neither writes nor echoes it). */
#define PASSWORD_KEY "password"

static const char *const list_columns[] = {
    "allow_file_upload", "allow_ctas", "allow_cvas", "allow_dml", "allow_run_async", "allows_cost_estimate",
    "allows_subquery", "allows_virtual_table_explore", "backend", "changed_on", "changed_on_delta_humanized",
    "changed_by.first_name", "changed_by.last_name", "created_by.first_name", "created_by.last_name",
    "database_name", "explore_database_id", "expose_in_sqllab", "extra", "force_ctas_schema", "id", "uuid",
    "disable_data_preview", "disable_drill_to_detail", "allow_multi_catalog", "engine_information", NULL};
static const char *const show_columns[] = {
    "id", "uuid", "database_name", "cache_timeout", "expose_in_sqllab", "allow_run_async", "allow_file_upload",
    "configuration_method", "allow_ctas", "allow_cvas", "allow_dml", "backend", "driver", "force_ctas_schema",
    "impersonate_user", "is_managed_externally", "engine_information", NULL};
static const char *const write_columns[] = {
    "database_name", "sqlalchemy_uri", "cache_timeout", "expose_in_sqllab", "allow_run_async", "allow_file_upload",
    "allow_ctas", "allow_cvas", "allow_dml", "configuration_method", "force_ctas_schema", "impersonate_user",
    "extra", "encrypted_extra", "server_cert", NULL};
static const char *const search_columns[] = {"allow_file_upload", "allow_dml", "allow_run_async", "created_by",
                                             "changed_by", "database_name", "expose_in_sqllab", "uuid", NULL};
static const char *const order_columns[] = {"allow_file_upload", "allow_dml", "allow_run_async", "changed_on",
                                            "changed_on_delta_humanized", "created_by.first_name", "database_name",
                                            "expose_in_sqllab", NULL};
/* Encrypted columns written by after_write, never selected. */
static const char *const encrypted_columns[] = {"encrypted_extra", "server_cert", NULL};

static bool in_list(const char *const *l, const char *s) {
    for (; *l; l++)
        if (!strcmp(*l, s)) return true;
    return false;
}

static void add_msg(json_t *errors, const char *field, const char *msg) {
    json_t *l = json_object_get(errors, field);
    if (!l) json_object_set_new(errors, field, l = json_array());
    json_array_append_new(l, json_string(msg));
}

static json_t *validate(request_t *req, const resource_t *res, json_t *body, bool is_post) {
    (void)res;
    json_t *errors = json_object();
    const char *key;
    json_t *v;
    void *tmp;
    json_object_foreach_safe(body, tmp, key, v) {
        if (!in_list(write_columns, key)) {
            add_msg(errors, key, "Unknown field.");
            continue;
        }
        const model_col_t *c = model_col(&model_database, key);
        if (json_is_null(v)) {
            if (!strcmp(key, "database_name") || !strcmp(key, "sqlalchemy_uri"))
                add_msg(errors, key, "Field may not be null.");
            continue;
        }
        col_type_t type = c ? c->type : COL_TEXT;
        if (type == COL_BOOL && !json_is_boolean(v)) add_msg(errors, key, "Not a valid boolean.");
        else if (type == COL_INT && !json_is_integer(v)) add_msg(errors, key, "Not a valid integer.");
        else if (type != COL_BOOL && type != COL_INT && !json_is_string(v)) add_msg(errors, key, "Not a valid string.");
        else if (type == COL_STRING && c->max_len && (int)json_string_length(v) > c->max_len)
            add_msg(errors, key, arena_sprintf(req->arena, "Length must be between %d and %d.",
                                               !strcmp(key, "database_name") || !strcmp(key, "sqlalchemy_uri") ? 1 : 0,
                                               c->max_len));
    }
    if (is_post) {
        if (!json_object_get(body, "database_name")) add_msg(errors, "database_name", "Missing data for required field.");
        if (!json_object_get(body, "sqlalchemy_uri")) add_msg(errors, "sqlalchemy_uri", "Missing data for required field.");
    }
    json_t *name = json_object_get(body, "database_name");
    if (!json_object_size(errors) && json_is_string(name)) {
        int64_t pk = 0;
        const char *tail = strrchr(req->path, '/');
        if (!is_post && tail) pk = strtoll(tail + 1, NULL, 10);
        const char *p[] = {json_string_value(name), arena_sprintf(req->arena, "%lld", (long long)pk)};
        pg_error_t err;
        pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                                  "SELECT 1 FROM dbs WHERE database_name = $1 AND id <> $2::int", 2, p);
        if (r && pg_nrows(r)) add_msg(errors, "database_name", "A database with the same name already exists.");
    }
    if (json_object_size(errors)) return errors;
    json_decref(errors);
    json_t *uri = json_object_get(body, "sqlalchemy_uri");
    if (json_is_string(uri)) {
        const char *masked;
        char *password = sqla_url_split_password(req->arena, json_string_value(uri), PASSWORD_MASK, &masked);
        json_object_set_new(body, "sqlalchemy_uri", json_string(masked));
        /* a masked password keeps the stored one; no password clears it */
        if (!password || strcmp(password, PASSWORD_MASK))
            json_object_set_new(body, PASSWORD_KEY, password ? json_string(password) : json_null());
    }
    return NULL;
}

/* Stores the encrypted values and, for a new database, its permission. */
static bool after_write(request_t *req, const resource_t *res, pg_conn_t *c, int64_t id, json_t *body,
                        const char **error) {
    (void)res;
    const char *secret = config_str(app_config(req->app), "SECRET_KEY", "");
    const char *ids = arena_sprintf(req->arena, "%lld", (long long)id);
    pg_error_t err;
    json_t *pw = json_object_get(body, PASSWORD_KEY);
    if (pw) {
        const char *enc = json_is_string(pw) ? encrypted_type_encrypt(req->arena, secret, json_string_value(pw),
                                                                      json_string_length(pw))
                                             : NULL;
        const char *p[] = {enc, ids};
        if (!pg_conn_query(c, req->arena, &err, "UPDATE dbs SET password = convert_to($1::text, 'UTF8')"
                                                " WHERE id = $2::int", 2, p)) goto fail;
        json_object_del(body, PASSWORD_KEY);
    }
    for (const char *const *col = encrypted_columns; *col; col++) {
        json_t *v = json_object_get(body, *col);
        if (!v) continue;
        const char *enc = json_is_string(v) ? encrypted_type_encrypt(req->arena, secret, json_string_value(v),
                                                                     json_string_length(v))
                                            : NULL;
        const char *p[] = {enc, ids};
        /* *col is one of the static encrypted_columns */
        if (!pg_conn_query(c, req->arena, &err,
                           arena_sprintf(req->arena, "UPDATE dbs SET %s = convert_to($1::text, 'UTF8') WHERE id = $2::int",
                                         *col), 2, p)) goto fail;
    }
    pg_result_t *r = pg_conn_query(c, req->arena, &err, "SELECT database_name FROM dbs WHERE id = $1::int", 1, &ids);
    if (!r || !pg_nrows(r)) goto fail;
    if (!security_pvm_ensure(c, req->arena, "database_access", perm_database(req->arena, pg_get(r, 0, 0), id), &err)) goto fail;
    return true;
fail:
    *error = err.message;
    return false;
}

static const related_field_t related[] = {
    RELATED_USERS("changed_by", NULL),
    {"created_by", NULL, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

const resource_t database_resource = {
    .base = "/api/v1/database", .model = &model_database, .view_menu = "Database",
    .log_class = "DatabaseRestApi", .log_own = LOG_EP_POST | LOG_EP_PUT | LOG_EP_DELETE,
    .perm_list = "can_read", .perm_get = "can_read", .perm_info = "can_read", .perm_post = "can_write",
    .perm_put = "can_write", .perm_delete = "can_write",
    .list_columns = list_columns, .show_columns = show_columns, .add_columns = write_columns,
    .edit_columns = write_columns, .search_columns = search_columns, .order_columns = order_columns,
    .max_page_size = -1, .validate = validate, .after_write = after_write, .related = related,
    .base_filter = data_access_database_filter, .superset_errors = true, .validation_status = 400,
    .put_returns_id = true,
};
