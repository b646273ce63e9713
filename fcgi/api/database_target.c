/* Target-database endpoints of /api/v1/database; see database_target.h.
 * Schema and table lists are filtered by the caller's data access as
 * Superset's security manager filters them: database access sees
 * everything, otherwise the schemas granted (schema_access) or holding a
 * granted dataset, and the tables of granted schemas or granted datasets. */
#include <ctype.h>
#include <string.h>

#include "domain/access.h"
#include "domain/security.h"
#include "domain/target_db.h"
#include "fcgi/api/data_access_filter.h"
#include "fcgi/api/database_target.h"
#include "fcgi/api/dataset_write.h"
#include "fcgi/app.h"
#include "lib/json.h"
#include "lib/log.h"
#include "lib/rison.h"
#include "lib/sqla_url.h"
#include "persistence/pg_introspect.h"
#include "persistence/target_pool.h"

typedef struct q_prop {
    const char *name;
    json_type type; /* JSON_STRING or JSON_TRUE (boolean) */
} q_prop_t;

static const char *py_repr(arena_t *a, const json_t *v) {
    if (json_is_string(v)) return arena_sprintf(a, "'%s'", json_string_value(v));
    if (json_is_true(v)) return "True";
    if (json_is_false(v)) return "False";
    if (json_is_null(v)) return "None";
    if (json_is_integer(v)) return arena_sprintf(a, "%lld", (long long)json_integer_value(v));
    return json_dump_arena(a, v, JSON_PY_DEFAULT, NULL);
}

/* The rison `q` argument checked against a flat schema; NULL once answered. */
static json_t *rison_q(request_t *req, const q_prop_t *props, const char *required) {
    const char *q = req_query_arg(req, "q");
    json_t *v;
    if (!q || !*q) v = json_object();
    else {
        rison_error_t err;
        v = rison_parse(q, strlen(q), &err);
        if (!v && err.fatal) return error_fab(req, 500, "Fatal error"), NULL;
        if (!v) v = json_loads(url_decode(req->arena, q, strlen(q), true), JSON_DECODE_ANY, NULL);
        if (!v) return error_fab(req, 400, "Not a valid rison/json argument"), NULL;
    }
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, v);
    const char *bad = NULL;
    if (!json_is_object(v)) bad = arena_sprintf(req->arena, "%s is not of type 'object'", py_repr(req->arena, v));
    for (const q_prop_t *p = props; !bad && p->name; p++) {
        json_t *x = json_object_get(v, p->name);
        if (!x) continue;
        if (p->type == JSON_STRING && !json_is_string(x))
            bad = arena_sprintf(req->arena, "%s is not of type 'string'", py_repr(req->arena, x));
        if (p->type == JSON_TRUE && !json_is_boolean(x))
            bad = arena_sprintf(req->arena, "%s is not of type 'boolean'", py_repr(req->arena, x));
    }
    if (!bad && required && !json_object_get(v, required))
        bad = arena_sprintf(req->arena, "'%s' is a required property", required);
    if (bad) return error_fab(req, 400, arena_sprintf(req->arena, "Not a valid rison schema %s", bad)), NULL;
    return v;
}

/* Visible database opened for queries; false once answered. */
static bool open_target(request_t *req, int64_t pk, const char *catalog, target_db_t *db) {
    int v = database_visible(req, pk);
    if (v < 0) return error_fab(req, 500, "Fatal error"), false;
    if (!v) return error_fab(req, 404, "Not found"), false;
    const char *msg = NULL;
    target_status_t st = target_db_open(app_pg(req->app), req->arena, req->cfg, pk, catalog, db, &msg);
    if (st == TARGET_OK) return true;
    if (st == TARGET_NOT_FOUND) error_fab(req, 404, "Not found");
    else if (st == TARGET_META_ERROR) error_fab(req, 500, "Fatal error");
    else error_fab(req, 422, msg);
    return false;
}

static void connect_failed(request_t *req, const pg_error_t *err) {
    log_warn("target database query failed: %s", err->message ? err->message : "");
    if (err->status == PG_ERR_QUERY) error_fab(req, 422, err->message);
    else error_fab(req, 500, "There was an error connecting to the database");
}

static bool all_access(request_t *req, const target_db_t *db) {
    return access_database(app_security(req->app), req->cfg, req->user,
                           perm_database(req->arena, db->database_name, db->id));
}

/* Database access, or schema_access on the schema (with or without the
 * default catalog in its name). */
static bool schema_granted(request_t *req, const target_db_t *db, const char *schema) {
    if (all_access(req, db)) return true;
    if (!schema) return false;
    const char *catalog = dataset_default_catalog(req->arena, db->sqlalchemy_uri);
    return access_schema(app_security(req->app), req->cfg, req->user, NULL,
                         catalog ? perm_catalog(req->arena, db->database_name, catalog) : NULL,
                         perm_schema(req->arena, db->database_name, catalog, schema)) ||
           access_schema(app_security(req->app), req->cfg, req->user, NULL, NULL,
                         perm_schema(req->arena, db->database_name, NULL, schema));
}

/* Names of the datasets of the database in schema the caller holds
 * datasource_access on, as object keys (caller owns). The grants are read
 * from the role tables, as user_view_menu_names does. */
static json_t *granted_datasets(request_t *req, const target_db_t *db, const char *schema) {
    const char *p[] = {arena_sprintf(req->arena, "%lld", (long long)db->id), schema, data_access_role_ids(req)};
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              arena_sprintf(req->arena,
                                            "SELECT t.table_name FROM tables t WHERE t.database_id = $1::int AND"
                                            " t.schema IS NOT DISTINCT FROM $2 AND t.perm IN %s",
                                            data_access_grants_sql(req->arena, "datasource_access", "$3")),
                              3, p);
    json_t *names = json_object();
    for (int i = 0; r && i < pg_nrows(r); i++) json_object_set_new(names, pg_get(r, i, 0), json_true());
    return names;
}

/* Schema listing: schema access, or a granted dataset in it; with a table
 * name (can_access_table): schema access, or that dataset granted. */
bool database_table_granted(request_t *req, const target_db_t *db, const char *schema, const char *table) {
    if (schema_granted(req, db, schema)) return true;
    json_t *names = granted_datasets(req, db, schema);
    bool ok = table ? json_object_get(names, table) != NULL : json_object_size(names) > 0;
    json_decref(names);
    return ok;
}

void database_schemas(request_t *req) {
    static const q_prop_t props[] = {{"force", JSON_TRUE}, {"upload_allowed", JSON_TRUE}, {"catalog", JSON_STRING},
                                     {NULL, 0}};
    target_db_t db;
    json_t *q = rison_q(req, props, NULL);
    if (!q || !open_target(req, req_path_int(req, "pk"), json_string_value(json_object_get(q, "catalog")), &db)) return;
    pg_error_t err;
    json_t *all = pg_introspect_schemas(db.pool, req->arena, &err);
    if (!all) return connect_failed(req, &err);
    json_t *out = json_array();
    size_t i;
    json_t *s;
    json_array_foreach(all, i, s) if (database_table_granted(req, &db, json_string_value(s), NULL)) json_array_append(out, s);
    json_decref(all);
    if (json_is_true(json_object_get(q, "upload_allowed"))) {
        const char *ids = arena_sprintf(req->arena, "%lld", (long long)db.id);
        pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                                  "SELECT allow_file_upload FROM dbs WHERE id = $1::int", 1, &ids);
        if (!r || !pg_get_bool(r, 0, 0, false)) json_array_clear(out);
        json_t *allowed = json_object_get(db.extra, "schemas_allowed_for_file_upload");
        if (json_array_size(allowed)) {
            json_t *keep = json_array();
            json_array_foreach(out, i, s) {
                size_t k;
                json_t *a;
                json_array_foreach(allowed, k, a) if (json_is_string(a) &&
                                                      !strcasecmp(json_string_value(a), json_string_value(s))) {
                    json_array_append(keep, s);
                    break;
                }
            }
            json_decref(out);
            out = keep;
        }
    }
    resp_json(req, 200, json_pack("{s:o}", "result", out), JSON_FLASK);
}

void database_catalogs(request_t *req) {
    static const q_prop_t props[] = {{"force", JSON_TRUE}, {NULL, 0}};
    target_db_t db;
    if (!rison_q(req, props, NULL) || !open_target(req, req_path_int(req, "pk"), NULL, &db)) return;
    pg_error_t err;
    pg_result_t *r = pg_query(db.pool, req->arena, &err,
                              "SELECT datname FROM pg_database WHERE datistemplate = false ORDER BY datname", 0, NULL);
    if (!r) return connect_failed(req, &err);
    json_t *out = json_array();
    bool all = all_access(req, &db);
    for (int i = 0; i < pg_nrows(r); i++)
        if (all || security_can(app_security(req->app), req->cfg, req->user, "catalog_access",
                                perm_catalog(req->arena, db.database_name, pg_get(r, i, 0))))
            json_array_append_new(out, json_string(pg_get(r, i, 0)));
    resp_json(req, 200, json_pack("{s:o}", "result", out), JSON_FLASK);
}

void database_tables(request_t *req) {
    static const q_prop_t props[] = {{"force", JSON_TRUE}, {"schema_name", JSON_STRING}, {"catalog_name", JSON_STRING},
                                     {NULL, 0}};
    json_t *q = rison_q(req, props, "schema_name");
    if (!q) return;
    int64_t pk = req_path_int(req, "pk");
    int v = database_visible(req, pk);
    if (v < 0) return error_fab(req, 500, "Fatal error");
    if (!v) return resp_json(req, 404, json_pack("{s:s}", "error", "Database not found."), JSON_PY_DEFAULT);
    target_db_t db;
    const char *msg = NULL;
    if (target_db_open(app_pg(req->app), req->arena, req->cfg, pk,
                       json_string_value(json_object_get(q, "catalog_name")), &db, &msg) != TARGET_OK)
        return resp_json(req, 422, json_pack("{s:s}", "error", msg ? msg : "Database not found."), JSON_PY_DEFAULT);
    const char *schema = json_string_value(json_object_get(q, "schema_name"));
    pg_error_t err;
    json_t *rels = pg_introspect_relations(db.pool, req->arena, schema, &err);
    if (!rels) {
        log_warn("tables of database %lld: %s", (long long)pk, err.message ? err.message : "");
        return resp_json(req, 422, json_pack("{s:s}", "error", "Unexpected error occurred, please check your logs for"
                                                               " details"), JSON_PY_DEFAULT);
    }
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, rels);
    /* datasets of this database and schema lend their extra to the table entries */
    const char *catalog = json_string_value(json_object_get(q, "catalog_name"));
    if (!catalog) catalog = dataset_default_catalog(req->arena, db.sqlalchemy_uri);
    const char *p[] = {arena_sprintf(req->arena, "%lld", (long long)pk), catalog, schema};
    pg_result_t *ds = pg_query(app_pg(req->app), req->arena, &err,
                               "SELECT table_name, extra FROM tables WHERE database_id = $1::int AND catalog IS NOT"
                               " DISTINCT FROM $2 AND schema IS NOT DISTINCT FROM $3", 3, p);
    if (!ds) return error_fab(req, 500, "Fatal error");
    json_t *names = schema_granted(req, &db, schema) ? NULL : granted_datasets(req, &db, schema);
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, names);
    json_t *out = json_array();
    size_t i;
    json_t *rel;
    json_array_foreach(rels, i, rel) {
        const char *name = json_string_value(json_object_get(rel, "name"));
        if (names && !json_object_get(names, name)) continue;
        bool view = !strcmp(json_string_value(json_object_get(rel, "kind")), "view");
        json_t *item = json_pack("{s:s,s:s}", "value", name, "type", view ? "view" : "table");
        if (!view) {
            json_t *extra = json_null();
            for (int r = 0; r < pg_nrows(ds); r++) {
                if (strcmp(pg_get(ds, r, 0), name)) continue;
                const char *e = pg_get(ds, r, 1);
                json_decref(extra);
                extra = e && *e ? json_loads(e, 0, NULL) : NULL;
                if (!json_is_object(extra)) {
                    json_decref(extra);
                    extra = json_object();
                }
            }
            json_object_set_new(item, "extra", extra);
        }
        json_array_append_new(out, item);
    }
    resp_json(req, 200, json_pack("{s:I,s:o}", "count", (json_int_t)json_array_size(out), "result", out), JSON_FLASK);
}

/* identifier_preparer.quote: bare when lower-case and plain. */
static void quote_ident(strbuf_t *sb, const char *s) {
    static const char *const reserved[] = {"all", "and", "any", "as", "asc", "both", "case", "check", "column",
                                           "constraint", "create", "default", "desc", "distinct", "do", "else", "end",
                                           "from", "grant", "group", "having", "in", "into", "is", "join", "limit",
                                           "not", "null", "offset", "on", "or", "order", "select", "table", "then",
                                           "to", "union", "unique", "user", "using", "when", "where", "with", NULL};
    bool plain = *s && (islower((unsigned char)*s) || *s == '_');
    for (const char *c = s; plain && *c; c++)
        plain = islower((unsigned char)*c) || isdigit((unsigned char)*c) || *c == '_' || *c == '$';
    for (size_t i = 0; plain && reserved[i]; i++) plain = strcmp(reserved[i], s) != 0;
    if (plain) return strbuf_puts(sb, s);
    strbuf_putc(sb, '"');
    for (const char *c = s; *c; c++) {
        if (*c == '"') strbuf_putc(sb, '"');
        strbuf_putc(sb, *c);
    }
    strbuf_putc(sb, '"');
}

const char *database_select_star_sql(arena_t *a, const char *catalog, const char *schema, const char *table) {
    strbuf_t sb;
    strbuf_init_arena(&sb, a, 128);
    strbuf_puts(&sb, "SELECT\n  *\nFROM ");
    if (catalog && *catalog) {
        quote_ident(&sb, catalog);
        strbuf_putc(&sb, '.');
    }
    if (schema && *schema) {
        quote_ident(&sb, schema);
        strbuf_putc(&sb, '.');
    }
    quote_ident(&sb, table);
    strbuf_puts(&sb, "\nLIMIT 100");
    return sb.data;
}

void database_table_metadata_answer(request_t *req, const target_db_t *db, const char *schema, const char *table) {
    pg_error_t err;
    bool exists = false;
    json_t *cols = pg_introspect_columns(db->pool, req->arena, schema, table, &exists, &err);
    if (!cols) return connect_failed(req, &err);
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, cols);
    if (!exists) /* the inspector's NoSuchTableError reaches the app's catch-all handler */
        return dataset_sip40(req, 500, "GENERIC_BACKEND_ERROR", table, NULL, 1011,
                             "Superset encountered an unexpected error.");
    json_t *keys = pg_introspect_keys(db->pool, req->arena, schema, table, &err);
    if (!keys) return connect_failed(req, &err);
    json_t *pkcols = json_object_get(json_object_get(keys, "primaryKey"), "constrained_columns");
    json_t *out_cols = json_array();
    size_t i, k;
    json_t *c, *x;
    json_array_foreach(cols, i, c) {
        const char *name = json_string_value(json_object_get(c, "column_name"));
        json_t *ckeys = json_array();
        json_array_foreach(pkcols, k, x) if (!strcmp(json_string_value(x), name)) json_array_append(
            ckeys, json_object_get(keys, "primaryKey"));
        json_array_foreach(json_object_get(keys, "foreignKeys"), k, x) {
            size_t m;
            json_t *y;
            json_array_foreach(json_object_get(x, "constrained_columns"), m, y) if (!strcmp(json_string_value(y), name))
                json_array_append(ckeys, x);
        }
        json_array_foreach(json_object_get(keys, "indexes"), k, x) {
            size_t m;
            json_t *y;
            json_array_foreach(json_object_get(x, "column_names"), m, y) if (json_is_string(y) &&
                                                                            !strcmp(json_string_value(y), name))
                json_array_append(ckeys, x);
        }
        json_t *item = json_pack("{s:s,s:O,s:O,s:o,s:O}", "name", name, "type", json_object_get(c, "type"), "longType",
                                 json_object_get(c, "type"), "keys", ckeys, "comment", json_object_get(c, "comment"));
        json_array_append_new(out_cols, item);
    }
    json_t *out = json_pack("{s:s,s:o,s:s,s:O,s:O,s:O,s:O}", "name", table, "columns", out_cols, "selectStar",
                            database_select_star_sql(req->arena, NULL, schema, table), "primaryKey",
                            json_object_get(keys, "primaryKey"),
                            "foreignKeys", json_object_get(keys, "foreignKeys"), "indexes",
                            json_object_get(keys, "indexes"), "comment", json_object_get(keys, "comment"));
    json_decref(keys);
    resp_json(req, 200, out, JSON_FLASK);
}

void database_table_metadata(request_t *req) {
    int64_t pk = req_path_int(req, "pk");
    int v = database_visible(req, pk);
    if (v < 0) return error_fab(req, 500, "Fatal error");
    if (!v)
        return dataset_sip40(req, 404, "DATABASE_NOT_FOUND_ERROR", "No such database",
                             json_pack("{s:[{s:i,s:s},{s:i,s:s}]}", "issue_codes", "code", 1011, "message",
                                       "Issue 1011 - Superset encountered an unexpected error.", "code", 1036,
                                       "message", "Issue 1036 - The database was deleted."), 0, NULL);
    const char *name = req_query_arg(req, "name");
    if (!name)
        return dataset_sip40(req, 422, "INVALID_PAYLOAD_SCHEMA_ERROR", "An error happened when validating the request",
                             json_pack("{s:{s:[s]}}", "messages", "name", "Missing data for required field."), 1020,
                             "The submitted payload has the incorrect schema.");
    const char *schema = req_query_arg(req, "schema");
    target_db_t db;
    const char *msg = NULL;
    if (target_db_open(app_pg(req->app), req->arena, req->cfg, pk, req_query_arg(req, "catalog"), &db, &msg) !=
        TARGET_OK)
        return error_fab(req, 422, msg ? msg : "Database not found");
    if (!database_table_granted(req, &db, schema, name))
        return dataset_sip40(req, 404, "TABLE_NOT_FOUND_ERROR", "No such table", NULL, 0, NULL);
    database_table_metadata_answer(req, &db, schema, name);
}

void database_select_star(request_t *req) {
    const char *table = req_path_param(req, "table_name");
    const char *schema = req_path_param(req, "schema_name");
    if (schema && (!strcmp(schema, "null") || !strcmp(schema, "undefined"))) schema = NULL;
    if (!table || !*table) return error_fab(req, 422, "Table name undefined");
    int64_t pk = req_path_int(req, "pk");
    target_db_t db;
    const char *msg = NULL;
    target_status_t st = target_db_open(app_pg(req->app), req->arena, req->cfg, pk, NULL, &db, &msg);
    if (st == TARGET_NOT_FOUND) return error_fab(req, 404, "Not found");
    if (st == TARGET_META_ERROR) return error_fab(req, 500, "Fatal error");
    if (st != TARGET_OK) return error_fab(req, 422, msg);
    if (!database_table_granted(req, &db, schema, table)) return error_fab(req, 404, "Not found");
    pg_error_t err;
    bool exists = false;
    json_t *cols = pg_introspect_columns(db.pool, req->arena, schema, table, &exists, &err);
    if (!cols) return error_fab(req, 500, "Fatal error");
    json_decref(cols);
    if (!exists) return error_fab(req, 404, "Table not found on the database");
    const char *catalog = dataset_default_catalog(req->arena, db.sqlalchemy_uri);
    resp_json(req, 200, json_pack("{s:s}", "result", database_select_star_sql(req->arena, catalog, schema, table)),
              JSON_FLASK);
}
