/* POST /api/v1/database/<pk>/sync_permissions/: Superset's
 * SyncPermissionsCommand run synchronously. The target database is pinged,
 * then for its default catalog (every catalog when allow_multi_catalog is
 * set) the catalog_access permission "[db].[catalog]" and a schema_access
 * permission "[db].[catalog].[schema]" for each schema it holds are created
 * when missing, in one metadata transaction. A catalog that cannot be read
 * is skipped, as the reference does. */
#include <string.h>

#include "domain/access.h"
#include "domain/security.h"
#include "domain/security_pvm.h"
#include "domain/target_db.h"
#include "fcgi/api/database_target.h"
#include "fcgi/api/dataset_write.h"
#include "fcgi/app.h"
#include "lib/json.h"
#include "lib/log.h"
#include "persistence/pg_introspect.h"

/* The CommandException handler's SIP-40 body. */
static void command_error(request_t *req, int status, const char *message) {
    dataset_sip40(req, status, "GENERIC_COMMAND_ERROR", message, json_object(), 1010,
                  "Superset encountered an error while running a command.");
}

/* The catalogs to sync (JSON array of names, arena-owned); NULL on a connection error. */
static json_t *catalogs_of(request_t *req, const target_db_t *db) {
    json_t *out = json_arena_own(req->arena, json_array());
    pg_error_t err;
    bool multi = json_is_true(json_object_get(db->extra, "allow_multi_catalog"));
    pg_result_t *r = pg_query(db->pool, req->arena, &err,
                              multi ? "SELECT datname FROM pg_database WHERE datistemplate = false ORDER BY datname"
                                    : "SELECT current_database()", 0, NULL);
    if (!r) return NULL;
    const char *def = dataset_default_catalog(req->arena, db->sqlalchemy_uri);
    if (!multi && def) return json_array_append_new(out, json_string(def)), out;
    for (int i = 0; i < pg_nrows(r); i++) json_array_append_new(out, json_string(pg_get(r, i, 0)));
    return out;
}

/* Permissions of one catalog; false on a metadata error (a catalog that
 * cannot be read is skipped). */
static bool sync_catalog(request_t *req, pg_conn_t *c, int64_t pk, const char *name, const char *catalog,
                         pg_error_t *err) {
    target_db_t cdb;
    const char *msg = NULL;
    if (target_db_open(app_pg(req->app), req->arena, req->cfg, pk, catalog, &cdb, &msg) != TARGET_OK) {
        log_warn("sync_permissions: catalog %s skipped: %s", catalog, msg ? msg : "");
        return true;
    }
    pg_error_t terr;
    json_t *schemas = pg_introspect_schemas(cdb.pool, req->arena, &terr);
    if (!schemas) {
        log_warn("sync_permissions: catalog %s skipped: %s", catalog, terr.message ? terr.message : "");
        return true;
    }
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, schemas);
    if (!security_pvm_ensure(c, req->arena, "catalog_access", perm_catalog(req->arena, name, catalog), err))
        return false;
    size_t i;
    json_t *s;
    json_array_foreach(schemas, i, s) {
        const char *schema_perm = perm_schema(req->arena, name, catalog, json_string_value(s));
        if (!security_pvm_ensure(c, req->arena, "schema_access", schema_perm, err)) return false;
    }
    return true;
}

void database_sync_permissions(request_t *req) {
    int64_t pk = req_path_int(req, "pk");
    int v = database_visible(req, pk);
    if (v < 0) return error_fab(req, 500, "Fatal error");
    if (!v) return command_error(req, 404, "Database not found.");
    target_db_t db;
    const char *msg = NULL;
    target_status_t st = target_db_open(app_pg(req->app), req->arena, req->cfg, pk, NULL, &db, &msg);
    if (st == TARGET_NOT_FOUND) return command_error(req, 404, "Database not found.");
    if (st == TARGET_META_ERROR) return error_fab(req, 500, "Fatal error");
    if (st != TARGET_OK) return error_fab(req, 422, msg);
    json_t *catalogs = catalogs_of(req, &db); /* also the ping */
    if (!catalogs) return command_error(req, 500, "Connection failed, please check your connection settings");

    pg_error_t err = {0};
    pg_conn_t *c = pg_acquire(app_pg(req->app), req->arena, &err);
    if (!c) return command_error(req, 500, "Unable to sync permissions for this database connection.");
    bool ok = pg_begin(c, req->arena, &err);
    size_t i;
    json_t *cat;
    json_array_foreach(catalogs, i, cat) {
        if (!ok) break;
        ok = sync_catalog(req, c, pk, db.database_name, json_string_value(cat), &err);
    }
    if (ok) ok = pg_commit(c, req->arena, &err);
    else pg_rollback(c, req->arena, &err);
    pg_release(c);
    if (!ok) return command_error(req, 500, "Unable to sync permissions for this database connection.");
    security_invalidate(app_security(req->app));
    /* the async mode queues the same work; here it is already done */
    if (config_bool(req->cfg, "SYNC_DB_PERMISSIONS_IN_ASYNC_MODE", false))
        return resp_json(req, 202, json_pack("{s:s}", "message", "Async task created to sync permissions"),
                         JSON_FLASK);
    resp_json(req, 200, json_pack("{s:s}", "message", "Permissions successfully synced"), JSON_FLASK);
}
