/* The remaining /api/v1/database/<pk>/ endpoints of Superset's
 * DatabaseRestApi: function_names, table_metadata/extra and the deprecated
 * table_extra/<table>/<schema>/ and table/<table>/<schema>/,
 * schemas_access_for_file_upload, DELETE ssh_tunnel/, validate_sql and the
 * route of sync_permissions (database_sync_permissions.c).
 * The PostgreSQL engine spec lists no functions and has no extra table
 * metadata, so those answers are empty for every database Liteset serves. */
#include <string.h>

#include "config/pyliteral.h"
#include "domain/access.h"
#include "domain/security.h"
#include "domain/target_db.h"
#include "fcgi/api/api.h"
#include "fcgi/api/data_access_filter.h"
#include "fcgi/api/database_target.h"
#include "fcgi/api/dataset_write.h"
#include "fcgi/app.h"
#include "lib/json.h"
#include "persistence/pg_introspect.h"

/* DatabaseDAO.find_by_id under DatabaseFilter; false once answered 404/500. */
static bool visible_or_404(request_t *req, int64_t pk) {
    int v = database_visible(req, pk);
    if (v < 0) return error_fab(req, 500, "Fatal error"), false;
    if (!v) return error_fab(req, 404, "Not found"), false;
    return true;
}

static void function_names(request_t *req) {
    if (!visible_or_404(req, req_path_int(req, "pk"))) return;
    resp_json(req, 200, json_pack("{s:[]}", "function_names"), JSON_FLASK);
}

/* parse_js_uri_path_item with eval_undefined: "null" and "undefined" are no schema. */
static const char *path_schema(request_t *req) {
    const char *s = req_path_param(req, "schema_name");
    return s && (!strcmp(s, "null") || !strcmp(s, "undefined")) ? NULL : s;
}

/* @check_table_access: 422 without a table name, 404 for an unknown
 * database (no base filter) or a table the caller may not access. */
static bool check_table_access(request_t *req, target_db_t *db, const char **table, const char **schema) {
    *table = req_path_param(req, "table_name");
    *schema = path_schema(req);
    if (!*table || !**table) return error_fab(req, 422, "Table name undefined"), false;
    const char *msg = NULL;
    target_status_t st = target_db_open(app_pg(req->app), req->arena, req->cfg, req_path_int(req, "pk"), NULL, db, &msg);
    if (st == TARGET_NOT_FOUND) return error_fab(req, 404, "Not found"), false;
    if (st == TARGET_META_ERROR) return error_fab(req, 500, "Fatal error"), false;
    if (st != TARGET_OK) return error_fab(req, 422, msg), false;
    if (!database_table_granted(req, db, *schema, *table)) return error_fab(req, 404, "Not found"), false;
    return true;
}

static void table_extra_deprecated(request_t *req) {
    target_db_t db;
    const char *table, *schema;
    if (!check_table_access(req, &db, &table, &schema)) return;
    resp_json(req, 200, json_object(), JSON_FLASK);
}

static void table_deprecated(request_t *req) {
    target_db_t db;
    const char *table, *schema;
    if (!check_table_access(req, &db, &table, &schema)) return;
    pg_error_t err;
    bool exists = false;
    json_t *cols = pg_introspect_columns(db.pool, req->arena, schema, table, &exists, &err);
    if (!cols) return error_fab(req, 422, err.message ? err.message : "Fatal error");
    json_decref(cols);
    /* the inspector's NoSuchTableError is an SQLAlchemy error: 422 with its text, the table name */
    if (!exists) return error_fab(req, 422, table);
    database_table_metadata_answer(req, &db, schema, table);
}

/* QualifiedTableSchema on the query string: name required; any argument
 * other than name, schema and catalog is unknown. NULL when valid. */
static json_t *qualified_table_errors(request_t *req) {
    json_t *messages = json_object();
    if (!req_query_arg(req, "name"))
        json_object_set_new(messages, "name", json_pack("[s]", "Missing data for required field."));
    const char *q = req->query ? req->query : "";
    while (*q) {
        size_t n = strcspn(q, "&");
        size_t k = strcspn(q, "=");
        if (k > n) k = n;
        const char *key = url_decode(req->arena, q, k, true);
        if (n && strcmp(key, "name") && strcmp(key, "schema") && strcmp(key, "catalog"))
            json_object_set_new(messages, key, json_pack("[s]", "Unknown field."));
        q += n;
        if (*q == '&') q++;
    }
    if (json_object_size(messages)) return messages;
    json_decref(messages);
    return NULL;
}

static void table_metadata_extra(request_t *req) {
    int64_t pk = req_path_int(req, "pk");
    int v = database_visible(req, pk);
    if (v < 0) return error_fab(req, 500, "Fatal error");
    if (!v)
        return dataset_sip40(req, 404, "DATABASE_NOT_FOUND_ERROR", "No such database",
                             json_pack("{s:[{s:i,s:s},{s:i,s:s}]}", "issue_codes", "code", 1011, "message",
                                       "Issue 1011 - Superset encountered an unexpected error.", "code", 1036,
                                       "message", "Issue 1036 - The database was deleted."), 0, NULL);
    json_t *messages = qualified_table_errors(req);
    if (messages)
        return dataset_sip40(req, 422, "INVALID_PAYLOAD_SCHEMA_ERROR", "An error happened when validating the request",
                             json_pack("{s:o}", "messages", messages), 1020,
                             "The submitted payload has the incorrect schema.");
    const char *name = req_query_arg(req, "name");
    target_db_t db;
    const char *msg = NULL;
    if (target_db_open(app_pg(req->app), req->arena, req->cfg, pk, req_query_arg(req, "catalog"), &db, &msg) !=
        TARGET_OK)
        return error_fab(req, 422, msg ? msg : "Database not found");
    if (!database_table_granted(req, &db, req_query_arg(req, "schema"), name))
        return dataset_sip40(req, 404, "TABLE_NOT_FOUND_ERROR", "No such table", NULL, 0, NULL);
    resp_json(req, 200, json_object(), JSON_FLASK);
}

/* Schemas of the database holding a dataset the caller has datasource_access on. */
static json_t *dataset_schemas(request_t *req, int64_t pk) {
    const char *p[] = {arena_sprintf(req->arena, "%lld", (long long)pk), data_access_role_ids(req)};
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              arena_sprintf(req->arena,
                                            "SELECT DISTINCT coalesce(t.schema, 'public') FROM tables t WHERE"
                                            " t.database_id = $1::int AND t.perm IN %s",
                                            data_access_grants_sql(req->arena, "datasource_access", "$2")),
                              2, p);
    json_t *set = json_object();
    for (int i = 0; r && i < pg_nrows(r); i++) json_object_set_new(set, pg_get(r, i, 0), json_true());
    return set;
}

/* The extra's schemas_allowed_for_file_upload the caller may reach. */
static void schemas_access_for_file_upload(request_t *req) {
    int64_t pk = req_path_int(req, "pk");
    if (!visible_or_404(req, pk)) return;
    const char *ids = arena_sprintf(req->arena, "%lld", (long long)pk);
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              "SELECT database_name, sqlalchemy_uri, extra FROM dbs WHERE id = $1::int", 1, &ids);
    if (!r || !pg_nrows(r)) return error_fab(req, 500, "Fatal error");
    const char *name = pg_get(r, 0, 0), *uri = pg_get(r, 0, 1), *extra_text = pg_get(r, 0, 2);
    json_t *extra = extra_text && *extra_text ? json_loads(extra_text, 0, NULL) : NULL;
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, extra);
    json_t *allowed = json_object_get(extra, "schemas_allowed_for_file_upload");
    if (json_is_string(allowed)) { /* a Python literal in the reference's older extras */
        allowed = pyliteral_parse_value(json_string_value(allowed), json_string_length(allowed));
        arena_on_free(req->arena, (arena_cleanup_fn)json_decref, allowed);
    }
    const char *catalog = dataset_default_catalog(req->arena, uri);
    security_t *sec = app_security(req->app);
    bool all = access_database(sec, req->cfg, req->user, perm_database(req->arena, name, pk)) ||
               (catalog && access_catalog(sec, req->cfg, req->user, perm_database(req->arena, name, pk),
                                          perm_catalog(req->arena, name, catalog)));
    json_t *datasets = all ? NULL : dataset_schemas(req, pk);
    json_t *seen = json_object(), *out = json_array();
    size_t i;
    json_t *s;
    json_array_foreach(allowed, i, s) {
        const char *schema = json_string_value(s);
        if (!schema || json_object_get(seen, schema)) continue; /* a set in the reference */
        json_object_set_new(seen, schema, json_true());
        bool ok = all || json_object_get(datasets, schema) ||
                  access_schema(sec, req->cfg, req->user, NULL, NULL, perm_schema(req->arena, name, NULL, schema)) ||
                  (catalog && access_schema(sec, req->cfg, req->user, NULL, NULL,
                                            perm_schema(req->arena, name, catalog, schema)));
        if (ok) json_array_append(out, s);
    }
    json_decref(seen);
    json_decref(datasets);
    resp_json(req, 200, json_pack("{s:o}", "schemas", out), JSON_FLASK);
}

/* DeleteSSHTunnelCommand: the SSH_TUNNELING flag is checked only when the
 * database has a tunnel. */
static void delete_ssh_tunnel(request_t *req) {
    int64_t pk = req_path_int(req, "pk");
    if (!visible_or_404(req, pk)) return;
    const char *ids = arena_sprintf(req->arena, "%lld", (long long)pk);
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              "SELECT id FROM ssh_tunnels WHERE database_id = $1::int ORDER BY id LIMIT 1", 1, &ids);
    if (!r) return error_fab(req, 500, "Fatal error");
    if (!pg_nrows(r)) return error_fab(req, 404, "Not found");
    if (!config_feature(req->cfg, "SSH_TUNNELING")) return error_fab(req, 400, "SSH Tunneling is not enabled");
    const char *tid = pg_get(r, 0, 0);
    if (!pg_query(app_pg(req->app), req->arena, &err, "DELETE FROM ssh_tunnels WHERE id = $1::int", 1, &tid))
        return error_fab(req, 422, "SSH Tunnel could not be deleted.");
    resp_json(req, 200, json_pack("{s:s}", "message", "OK"), JSON_FLASK);
}

/* ValidateSQLRequest: sql (required string), catalog/schema (string or
 * null), template_params (object or null). */
static json_t *validate_sql_errors(const json_t *body) {
    json_t *errors = json_object();
    if (!json_is_object(body)) {
        json_object_set_new(errors, "_schema", json_pack("[s]", "Invalid input type."));
        return errors;
    }
    json_t *sql = json_object_get(body, "sql");
    if (!sql || json_is_null(sql))
        json_object_set_new(errors, "sql", json_pack("[s]", sql ? "Field may not be null." : "Missing data for required field."));
    else if (!json_is_string(sql)) json_object_set_new(errors, "sql", json_pack("[s]", "Not a valid string."));
    static const char *const strs[] = {"catalog", "schema"};
    for (int i = 0; i < 2; i++) {
        json_t *v = json_object_get(body, strs[i]);
        if (v && !json_is_null(v) && !json_is_string(v))
            json_object_set_new(errors, strs[i], json_pack("[s]", "Not a valid string."));
    }
    json_t *tp = json_object_get(body, "template_params");
    if (tp && !json_is_null(tp) && !json_is_object(tp))
        json_object_set_new(errors, "template_params", json_pack("[s]", "Not a valid mapping type."));
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)body, key, v) {
        if (strcmp(key, "sql") && strcmp(key, "catalog") && strcmp(key, "schema") && strcmp(key, "template_params"))
            json_object_set_new(errors, key, json_pack("[s]", "Unknown field."));
    }
    if (json_object_size(errors)) return errors;
    json_decref(errors);
    return NULL;
}

/* The validator configured for an engine (SQL_VALIDATORS_BY_ENGINE). */
static const char *validator_for(request_t *req, const char *engine) {
    const json_t *map = config_get(req->cfg, "SQL_VALIDATORS_BY_ENGINE");
    if (!map) { /* the reference's default */
        if (!strcmp(engine, "presto")) return "PrestoDBSQLValidator";
        if (!strcmp(engine, "postgresql")) return "PostgreSQLValidator";
        return NULL;
    }
    return json_string_value(json_object_get(map, engine));
}

static void engine_error(request_t *req, const char *message) {
    dataset_sip40(req, 422, "GENERIC_DB_ENGINE_ERROR", message, NULL, 1002, "The database returned an unexpected error.");
}

static void validate_sql(request_t *req) {
    /* request.json outside @safe: werkzeug's errors reach the SIP-40 handler */
    if (!req_is_json(req))
        return dataset_sip40(req, 415, "GENERIC_BACKEND_ERROR",
                             "415 Unsupported Media Type: Did not attempt to load JSON data because the request"
                             " Content-Type was not 'application/json'.", NULL, 1011,
                             "Superset encountered an unexpected error.");
    json_t *body = json_loadb(req->body.data, req->body.len, JSON_DECODE_ANY, NULL);
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, body);
    if (!body)
        return dataset_sip40(req, 400, "GENERIC_BACKEND_ERROR",
                             "400 Bad Request: The browser (or proxy) sent a request that this server could not"
                             " understand.", NULL, 1011, "Superset encountered an unexpected error.");
    json_t *errors = validate_sql_errors(body);
    if (errors) return resp_json(req, 400, json_pack("{s:o}", "message", errors), JSON_FLASK);
    int64_t pk = req_path_int(req, "pk");
    if (!visible_or_404(req, pk)) return;
    const char *ids = arena_sprintf(req->arena, "%lld", (long long)pk);
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err, "SELECT sqlalchemy_uri FROM dbs WHERE id = $1::int",
                              1, &ids);
    if (!r || !pg_nrows(r)) return error_fab(req, 500, "Fatal error");
    const char *engine = target_backend(req->arena, pg_get(r, 0, 0));
    if (!engine) engine = "";
    const char *name = validator_for(req, engine);
    if (!name)
        return engine_error(req, arena_sprintf(req->arena, "no SQL validator is configured for %s", engine));
    if (strcmp(name, "PrestoDBSQLValidator") && strcmp(name, "PostgreSQLValidator"))
        return engine_error(req, arena_sprintf(req->arena, "No validator named %s found (configured for the %s engine)",
                                               name, engine));
    /* the reference's validators run pgsanity (the ecpg preprocessor) or an
     * EXPLAIN on Presto; Liteset ships neither */
    engine_error(req, arena_sprintf(req->arena, "%s was unable to check your query.\nPlease recheck your query.\n"
                                                "Exception: this validator is not available in Liteset", name));
}

static const route_def_t routes[] = {
    {"GET", "/api/v1/database/<int:pk>/function_names/", function_names, GUARD("can_read", "Database"), 0, NULL},
    {"GET", "/api/v1/database/<int:pk>/table_extra/<path:table_name>/<schema_name>/", table_extra_deprecated,
     GUARD("can_read", "Database"), 0, NULL},
    {"GET", "/api/v1/database/<int:pk>/table/<path:table_name>/<schema_name>/", table_deprecated,
     GUARD("can_read", "Database"), 0, NULL},
    {"GET", "/api/v1/database/<int:pk>/table_metadata/extra/", table_metadata_extra, GUARD("can_read", "Database"), 0,
     NULL},
    {"GET", "/api/v1/database/<int:pk>/schemas_access_for_file_upload/", schemas_access_for_file_upload,
     GUARD("can_read", "Database"), 0, NULL},
    {"DELETE", "/api/v1/database/<int:pk>/ssh_tunnel/", delete_ssh_tunnel, GUARD("can_write", "Database"), 0, NULL},
    {"POST", "/api/v1/database/<int:pk>/validate_sql/", validate_sql, GUARD("can_read", "Database"), 0, NULL},
    {"POST", "/api/v1/database/<int:pk>/sync_permissions/", database_sync_permissions, GUARD("can_write", "Database"), 0,
     NULL},
};

const route_table_t database_extra_routes = {routes, sizeof routes / sizeof routes[0], NULL};
