/* POST /api/v1/dataset/ and POST /api/v1/dataset/get_or_create/:
 * Superset's CreateDatasetCommand. Checks (422 {"message": {field: [..]}}):
 * the database exists, the table is unique per database / catalog /
 * schema, a physical table exists on the target database, SQL access,
 * owners. Then the row, its owners and permissions, and fetch_metadata for
 * its columns; a failure there rolls everything back ("Dataset could not
 * be created."). POST answers 201 {id, result, data}. */
#include <stdlib.h>
#include <string.h>

#include "domain/access.h"
#include "domain/security.h"
#include "domain/target_db.h"
#include "fcgi/api/dataset_data.h"
#include "fcgi/api/dataset_refresh.h"
#include "fcgi/api/dataset_schema.h"
#include "fcgi/api/dataset_write.h"
#include "fcgi/app.h"
#include "fcgi/event_logger.h"
#include "lib/json.h"
#include "lib/log.h"
#include "persistence/pg_introspect.h"

void dataset_post(request_t *req);
void dataset_get_or_create(request_t *req);

static const char *num(arena_t *a, int64_t v) { return arena_sprintf(a, "%lld", (long long)v); }
static const char *jstr(const json_t *v) { return json_is_string(v) ? json_string_value(v) : NULL; }

/* Table.__str__ parts joined by '.', each percent-quoted. */
static const char *table_str(arena_t *a, const char *catalog, const char *schema, const char *table) {
    strbuf_t sb;
    strbuf_init_arena(&sb, a, 64);
    const char *parts[] = {catalog, schema, table};
    for (int i = 0; i < 3; i++) {
        if (!parts[i] || !*parts[i]) continue;
        if (sb.len) strbuf_putc(&sb, '.');
        for (const char *s = parts[i]; *s; s++) {
            unsigned char ch = (unsigned char)*s;
            if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || strchr("_-~", ch))
                strbuf_putc(&sb, (char)ch);
            else strbuf_printf(&sb, "%%%02X", ch);
        }
    }
    return sb.data ? sb.data : "";
}

static void set_msg(json_t *errors, const char *field, const char *msg) {
    json_object_set_new(errors, field, json_pack("[s]", msg));
}

/* Whether table exists on the target database (SQLAlchemy errors count as no). */
static bool table_exists(request_t *req, int64_t db_id, const char *catalog, const char *schema, const char *table) {
    target_db_t db;
    const char *msg = NULL;
    if (target_db_open(app_pg(req->app), req->arena, req->cfg, db_id, catalog, &db, &msg) != TARGET_OK) return false;
    pg_error_t err;
    bool exists = false;
    json_t *cols = pg_introspect_columns(db.pool, req->arena, schema, table, &exists, &err);
    json_decref(cols);
    return cols && exists;
}

/* The command's validation; *owners gets the owner ids. NULL when valid. */
static json_t *create_validate(request_t *req, json_t *props, int64_t db_id, json_t **owners, bool *db_err) {
    arena_t *a = req->arena;
    json_t *errors = json_object();
    pg_error_t err;
    const char *p1[] = {num(a, db_id)};
    pg_result_t *r = pg_query(app_pg(req->app), a, &err, "SELECT database_name, sqlalchemy_uri FROM dbs WHERE id = $1::int",
                              1, p1);
    if (!r) *db_err = true;
    bool found = r && pg_nrows(r);
    const char *table = jstr(json_object_get(props, "table_name")), *schema = jstr(json_object_get(props, "schema"));
    const char *sql = jstr(json_object_get(props, "sql"));
    if (!found) set_msg(errors, "database", "Database does not exist");
    else {
        const char *catalog = jstr(json_object_get(props, "catalog"));
        const char *dflt = dataset_default_catalog(a, pg_get(r, 0, 1));
        if (!catalog || !*catalog) {
            catalog = dflt;
            json_object_set_new(props, "catalog", catalog ? json_string(catalog) : json_null());
        }
        const char *p[] = {table, schema, catalog && *catalog ? catalog : dflt, num(a, db_id)};
        pg_result_t *u = pg_query(app_pg(req->app), a, &err,
                                  "SELECT count(*) FROM tables WHERE table_name = $1 AND schema IS NOT DISTINCT FROM $2"
                                  " AND catalog IS NOT DISTINCT FROM $3 AND database_id = $4::int", 4, p);
        if (!u) *db_err = true;
        const char *name = table_str(a, catalog, schema, table);
        if (u && pg_get_int(u, 0, 0, 0) > 0) set_msg(errors, "table", arena_sprintf(a, "Dataset %s already exists", name));
        if (!(sql && *sql) && !table_exists(req, db_id, catalog, schema, table))
            set_msg(errors, "table", arena_sprintf(a, "Table [%s] could not be found, please double check your database"
                                                      " connection, schema, and table name", name));
        if (sql && *sql && !security_is_admin(req->cfg, req->user) &&
            !access_database(app_security(req->app), req->cfg, req->user, perm_database(a, pg_get(r, 0, 0), db_id)))
            set_msg(errors, "sql", "You need access to the dataset's database, `all_database_access` or"
                                   " `all_datasource_access` permission to use SQL in a dataset");
    }
    /* populate_owner_list(owners, default_to_user=True) */
    json_t *given = json_object_get(props, "owners");
    int64_t me = req->user ? req->user->id : 0;
    json_t *list = json_array();
    if (!json_array_size(given)) json_array_append_new(list, json_integer(me));
    else {
        bool mine = false;
        size_t i;
        json_t *x;
        json_array_foreach(given, i, x) mine = mine || json_integer_value(x) == me;
        if (!mine && !security_is_admin(req->cfg, req->user)) json_array_append_new(list, json_integer(me));
        json_array_foreach(given, i, x) json_array_append(list, x);
        const char *p[] = {json_dump_arena(a, given, JSON_COMPACT, NULL)};
        pg_result_t *o = pg_query(app_pg(req->app), a, &err,
                                  "SELECT count(*) FROM jsonb_array_elements_text($1::jsonb) e(x) WHERE NOT EXISTS"
                                  " (SELECT 1 FROM ab_user u WHERE u.id = x::int)", 1, p);
        if (!o) *db_err = true;
        if (o && pg_get_int(o, 0, 0, 0) > 0) set_msg(errors, "owners", "Owners are invalid");
    }
    *owners = list;
    if (json_object_size(errors)) return errors;
    json_decref(errors);
    return NULL;
}

/* Inserts the dataset; its id, or -1 (*why set). */
static int64_t create_row(request_t *req, pg_conn_t *c, json_t *props, int64_t db_id, json_t *owners, const char **why) {
    arena_t *a = req->arena;
    pg_error_t err = {0};
    json_t *uuid = json_object_get(props, "uuid");
    json_t *ime = json_object_get(props, "is_managed_externally");
    const char *p[] = {jstr(json_object_get(props, "table_name")), num(a, db_id), jstr(json_object_get(props, "catalog")),
                       jstr(json_object_get(props, "schema")), jstr(json_object_get(props, "sql")),
                       jstr(json_object_get(props, "external_url")), jstr(json_object_get(props, "template_params")),
                       json_is_true(json_object_get(props, "normalize_columns")) ? "true" : "false",
                       json_is_true(json_object_get(props, "always_filter_main_dttm")) ? "true" : "false",
                       !ime ? "false" : json_is_null(ime) ? NULL : json_is_true(ime) ? "true" : "false",
                       uuid && !json_is_null(uuid) ? jstr(uuid) : NULL, uuid ? "given" : NULL,
                       num(a, req->user ? req->user->id : 0)};
    pg_result_t *r = pg_conn_query(
        c, a, &err,
        "INSERT INTO tables (table_name, database_id, catalog, schema, sql, external_url, template_params,"
        " normalize_columns, always_filter_main_dttm, is_managed_externally, uuid, filter_select_enabled, \"offset\","
        " is_featured, is_sqllab_view, created_on, changed_on, created_by_fk, changed_by_fk) VALUES ($1, $2::int, $3,"
        " $4, $5, $6, $7, $8::boolean, $9::boolean, $10::boolean, CASE WHEN $12::text IS NULL THEN gen_random_uuid()"
        " ELSE $11::uuid END, true, 0, false, false, localtimestamp, localtimestamp, $13::int, $13::int) RETURNING id",
        13, p);
    int64_t id = r && pg_nrows(r) ? pg_get_int(r, 0, 0, -1) : -1;
    const char *q[] = {num(a, id), json_dump_arena(a, owners, JSON_COMPACT, NULL)};
    bool ok = id > 0 &&
              pg_conn_query(c, a, &err, "INSERT INTO sqlatable_user (user_id, table_id) SELECT DISTINCT x::int, $1::int"
                                        " FROM jsonb_array_elements_text($2::jsonb) e(x)", 2, q) &&
              dataset_perm_after_insert(a, c, id, &err) && dataset_fetch_metadata(req, c, id, why);
    if (!ok && !*why) *why = err.message;
    return ok ? id : -1;
}

/* Runs the command; 0 with *id on success, else the answer was sent. */
static int create(request_t *req, json_t *props, int64_t db_id, int64_t *id, bool get_or_create) {
    bool db_err = false;
    json_t *owners = NULL;
    json_t *errors = create_validate(req, props, db_id, &owners, &db_err);
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, owners);
    if (db_err) {
        json_decref(errors);
        return dataset_fatal(req), -1;
    }
    if (errors) return resp_json(req, 422, json_pack("{s:o}", "message", errors), JSON_FLASK), -1;
    pg_error_t err;
    pg_conn_t *c = pg_acquire(app_pg(req->app), req->arena, &err);
    if (!c) return dataset_fatal(req), -1;
    const char *why = NULL;
    *id = pg_begin(c, req->arena, &err) ? create_row(req, c, props, db_id, owners, &why) : -1;
    if (*id > 0 && !pg_commit(c, req->arena, &err)) *id = -1;
    pg_release(c);
    if (*id > 0) {
        security_invalidate(app_security(req->app));
        return 0;
    }
    log_warn("dataset create failed: %s", why ? why : err.message ? err.message : "");
    (void)get_or_create;
    error_fab(req, 422, "Dataset could not be created.");
    return -1;
}

/* The JSON body or NULL once answered (the @safe wrapper's answers). */
static json_t *body_of(request_t *req) {
    if (!req_is_json(req)) return dataset_fatal(req), NULL;
    json_t *body = json_loadb(req->body.data, req->body.len, JSON_DECODE_ANY, NULL);
    if (!body) /* request.json raises through the event logger: no row */
        return event_log_skip(req), error_fab(req, 400, "400 Bad Request: The browser (or proxy) sent a request that this server could not"
                                   " understand."), NULL;
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, body);
    return body;
}

void dataset_post(request_t *req) {
    json_t *body = body_of(req);
    if (!body) return;
    json_t *errors = json_is_object(body) ? dataset_schema_load(req->arena, DS_SCHEMA_POST, body)
                                          : json_pack("{s:[s]}", "_schema", "Invalid input type.");
    if (errors) return resp_json(req, 400, json_pack("{s:o}", "message", errors), JSON_FLASK);
    json_t *props = json_deep_copy(body);
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, props);
    int64_t id;
    if (create(req, props, json_integer_value(json_object_get(body, "database")), &id, false)) return;
    json_t *data = dataset_data(req, NULL, id);
    if (!data) return dataset_fatal(req);
    resp_json(req, 201, json_pack("{s:I,s:O,s:o}", "id", (json_int_t)id, "result", body, "data", data), JSON_FLASK);
}

void dataset_get_or_create(request_t *req) {
    json_t *body = body_of(req);
    if (!body) return;
    json_t *errors = json_is_object(body) ? dataset_schema_load(req->arena, DS_SCHEMA_GET_OR_CREATE, body)
                                          : json_pack("{s:[s]}", "_schema", "Invalid input type.");
    if (errors) return resp_json(req, 400, json_pack("{s:o}", "message", errors), JSON_FLASK);
    int64_t db_id = json_integer_value(json_object_get(body, "database_id"));
    const char *p[] = {num(req->arena, db_id), jstr(json_object_get(body, "table_name"))};
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              "SELECT id FROM tables WHERE database_id = $1::int AND table_name = $2 LIMIT 2", 2, p);
    if (!r || pg_nrows(r) > 1) return dataset_fatal(req);
    if (pg_nrows(r) == 1)
        return resp_json(req, 200, json_pack("{s:{s:I}}", "result", "table_id", (json_int_t)pg_get_int(r, 0, 0, 0)),
                         JSON_FLASK);
    int64_t id;
    if (create(req, body, db_id, &id, true)) return;
    resp_json(req, 200, json_pack("{s:{s:I}}", "result", "table_id", (json_int_t)id), JSON_FLASK);
}
