/* Superset's legacy Datasource views (/datasource/...): a dataset's payload
 * (get), its source table's columns (external_metadata, by id or by
 * database/schema/table name) and the samples endpoint. Each is a
 * @has_access_api view on "Datasource" whose failures are
 * json_error_response bodies ({"error": ...}). Unlike the reference, the
 * caller must be able to read the datasource (see docs/compatibility.md).
 * Virtual datasets and samples need query execution, which Liteset does
 * not have yet: both answer an error saying so. The save view is in
 * legacy_datasource_save.c. */
#include "fcgi/api/legacy_datasource.h"

#include <errno.h>
#include <ev.h>
#include <stdlib.h>
#include <string.h>

#include "domain/access.h"
#include "domain/dataset_payload.h"
#include "domain/security.h"
#include "domain/target_db.h"
#include "fcgi/api/api.h"
#include "fcgi/api/database_target.h"
#include "fcgi/api/explore_access.h"
#include "fcgi/api/legacy_datasource_rules.h"
#include "fcgi/app.h"
#include "fcgi/errors.h"
#include "fcgi/event_logger.h"
#include "fcgi/formdata.h"
#include "fcgi/has_access.h"
#include "lib/json.h"
#include "lib/log.h"
#include "lib/rison.h"
#include "persistence/pg_introspect.h"

#define VIRTUAL_UNSUPPORTED "Liteset cannot read the columns of virtual (SQL) datasets yet: it does not run queries"
#define SAMPLES_UNSUPPORTED "Samples for dataset could not be retrieved: Liteset cannot run sample queries yet"

void legacy_ds_error(request_t *req, int status, const char *message) {
    resp_json(req, status, json_pack("{s:s}", "error", message ? message : ""), JSON_PY_DEFAULT);
}

void legacy_ds_json(request_t *req, json_t *v) {
    const char *text = json_dump_arena(req->arena, v, JSON_PY_DEFAULT, NULL);
    json_decref(v);
    resp_body(req, 200, "application/json", text ? text : "null", text ? strlen(text) : 4);
}

void legacy_ds_denied(request_t *req, int64_t id, const char *name) {
    const char *link = config_str(app_config(req->app), "PERMISSION_INSTRUCTIONS_LINK", "");
    const char *msg = arena_sprintf(req->arena,
                                    "This endpoint requires the datasource %lld, database or"
                                    " `all_datasource_access` permission",
                                    (long long)id);
    json_t *error = json_pack("{s:s,s:s,s:s,s:{s:s,s:I,s:s}}", "message", msg, "error_type",
                              "DATASOURCE_SECURITY_ACCESS_ERROR", "level", "warning", "extra", "link",
                              link ? link : "", "datasource", (json_int_t)id, "datasource_name", name ? name : "");
    resp_json(req, 403, json_pack("{s:[o]}", "errors", error), JSON_PY_DEFAULT);
}

/* ---- DatasourceDAO.get_datasource ---- */

typedef enum { DS_TABLE, DS_QUERY, DS_SAVED_QUERY, DS_OTHER } ds_kind_t;

static const struct {
    const char *name;
    ds_kind_t kind;
} ds_types[] = {
    {"table", DS_TABLE}, {"query", DS_QUERY}, {"saved_query", DS_SAVED_QUERY}, {"dataset", DS_OTHER}, {"view", DS_OTHER},
};

/* The type and id of the path, as DatasourceType(...) and the lookup by id
 * fail: false when answered. */
static bool parse_type_and_id(request_t *req, const char *type, const char *ids, ds_kind_t *kind, int64_t *id) {
    size_t n = sizeof ds_types / sizeof ds_types[0], i = 0;
    while (i < n && strcmp(ds_types[i].name, type ? type : "")) i++;
    if (i == n) {
        legacy_ds_error(req, 500, arena_sprintf(req->arena, "'%s' is not a valid DatasourceType", type ? type : ""));
        return false;
    }
    *kind = ds_types[i].kind;
    if (*kind == DS_OTHER) {
        legacy_ds_error(req, 422, "DAO datasource query source type is not supported");
        return false;
    }
    char *end;
    errno = 0;
    long long v = ids && *ids ? strtoll(ids, &end, 10) : 0;
    if (!ids || !*ids || *end || errno) {
        legacy_ds_error(req, 422, arena_sprintf(req->arena, "invalid input syntax for type integer: \"%s\"",
                                                ids ? ids : ""));
        return false;
    }
    if (v < -2147483648LL || v > 2147483647LL) {
        legacy_ds_error(req, 422, arena_sprintf(req->arena, "value \"%s\" is out of range for type integer", ids));
        return false;
    }
    *id = v;
    return true;
}

static bool parse_datasource(request_t *req, ds_kind_t *kind, int64_t *id) {
    return parse_type_and_id(req, req_path_param(req, "datasource_type"), req_path_param(req, "datasource_id"), kind,
                             id);
}

static bool exists(request_t *req, const char *sql, int64_t id, bool *found) {
    pg_error_t err;
    const char *p[] = {arena_sprintf(req->arena, "%lld", (long long)id)};
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err, sql, 1, p);
    if (!r) return false;
    *found = pg_nrows(r) > 0;
    return true;
}

json_t *legacy_ds_table_data(request_t *req, int64_t id) {
    bool found = false;
    pg_error_t err;
    json_t *d = dataset_payload(app_pg(req->app), req->arena, app_config(req->app), id, &found, &err);
    if (!d) {
        if (found) legacy_ds_error(req, 500, "Fatal error");
        else legacy_ds_error(req, 404, "Datasource does not exist");
        return NULL;
    }
    explore_access_t r = explore_check_access(req, id, "table", 0);
    if (r == EXPLORE_OK) return d;
    if (r == EXPLORE_DATASET_DENIED) legacy_ds_denied(req, id, json_get_str(d, "name", ""));
    else if (r == EXPLORE_DATASET_NOT_FOUND) legacy_ds_error(req, 404, "Datasource does not exist");
    else legacy_ds_error(req, 500, "Fatal error");
    json_decref(d);
    return NULL;
}

static json_t *query_data(request_t *req, int64_t id) {
    bool found = false;
    pg_error_t err;
    json_t *d = query_datasource_payload(app_pg(req->app), req->arena, app_config(req->app), id, &found, &err);
    if (!d) {
        if (found) legacy_ds_error(req, 500, "Fatal error");
        else legacy_ds_error(req, 404, "Datasource does not exist");
        return NULL;
    }
    explore_access_t r = explore_check_access(req, id, "query", 0);
    if (r == EXPLORE_OK) return d;
    if (r == EXPLORE_QUERY_DENIED) legacy_ds_denied(req, id, json_get_str(d, "name", ""));
    else if (r == EXPLORE_QUERY_NOT_FOUND) legacy_ds_error(req, 404, "Datasource does not exist");
    else legacy_ds_error(req, 500, "Fatal error");
    json_decref(d);
    return NULL;
}

/* A saved query exists but is no datasource the views can use: the
 * reference fails on the missing attribute. */
static void saved_query_answer(request_t *req, int64_t id, const char *attribute) {
    bool found = false;
    if (!exists(req, "SELECT 1 FROM saved_query WHERE id = $1::int", id, &found))
        return legacy_ds_error(req, 500, "Fatal error");
    if (!found) return legacy_ds_error(req, 404, "Datasource does not exist");
    legacy_ds_error(req, 500, arena_sprintf(req->arena, "'SavedQuery' object has no attribute '%s'", attribute));
}

/* ---- GET /datasource/get/<type>/<id>/ ---- */

/* sanitize_datasource_data(datasource.data) for the datasource, or the answer. */
static void answer_data(request_t *req, ds_kind_t kind, int64_t id) {
    if (kind == DS_SAVED_QUERY) return saved_query_answer(req, id, "data");
    json_t *d = kind == DS_TABLE ? legacy_ds_table_data(req, id) : query_data(req, id);
    if (!d) return;
    json_t *database = json_object_get(d, "database"); /* sanitize_datasource_data */
    if (json_is_object(database) && json_object_size(database)) json_object_set_new(database, "parameters", json_object());
    legacy_ds_json(req, d);
}

static void datasource_get(request_t *req) {
    if (!has_access_api(req, "can_get", "Datasource")) return;
    log_warn("GET /datasource/get/ is deprecated: /api/v1/dataset/<pk> replaces it");
    ds_kind_t kind;
    int64_t id;
    if (parse_datasource(req, &kind, &id)) answer_data(req, kind, id);
}

/* ---- GET /superset/fetch_datasource_metadata?datasourceKey=<id>__<type> ---- */

/* Superset.fetch_datasource_metadata: @has_access (a login redirect when
 * refused), then the same payload as /datasource/get/. */
static void fetch_datasource_metadata(request_t *req) {
    if (!has_access(req, "can_fetch_datasource_metadata", "Superset")) return;
    log_warn("GET /superset/fetch_datasource_metadata is deprecated: /api/v1/database/<pk>/table/... replaces it");
    const char *key = req_query_arg(req, "datasourceKey");
    const char *sep = key ? strstr(key, "__") : NULL;
    if (!key) return legacy_ds_error(req, 400, "400 Bad Request: The browser (or proxy) sent a request that this"
                                               " server could not understand.");
    if (!sep || strstr(sep + 2, "__"))
        return legacy_ds_error(req, 500, sep ? "too many values to unpack (expected 2)"
                                             : "not enough values to unpack (expected 2, got 1)");
    ds_kind_t kind;
    int64_t id;
    if (!parse_type_and_id(req, sep + 2, arena_sprintf(req->arena, "%.*s", (int)(sep - key), key), &kind, &id)) return;
    double started = ev_time();
    answer_data(req, kind, id);
    event_log_call_t call = {"fetch_datasource_metadata", "Superset.fetch_datasource_metadata",
                             "/superset/fetch_datasource_metadata", NULL, started};
    event_log_request(req, &call);
}

/* ---- external metadata ---- */

/* Table.__str__: the non-empty parts joined by dots. */
static const char *table_text(arena_t *a, const char *catalog, const char *schema, const char *table) {
    return arena_sprintf(a, "%s%s%s%s%s", catalog && *catalog ? catalog : "", catalog && *catalog ? "." : "",
                         schema && *schema ? schema : "", schema && *schema ? "." : "", table);
}

/* The columns of a source table on database db_id; NULL when answered.
 * missing_status: what a missing table answers (0: DatasetNotFoundError). */
static json_t *source_columns(request_t *req, int64_t db_id, const char *catalog, const char *schema,
                              const char *table, int missing_status) {
    target_db_t db;
    const char *msg = NULL;
    target_status_t st = target_db_open(app_pg(req->app), req->arena, req->cfg, db_id, catalog, &db, &msg);
    if (st == TARGET_META_ERROR) return legacy_ds_error(req, 500, "Fatal error"), NULL;
    if (st == TARGET_NOT_FOUND) return legacy_ds_error(req, 404, "Dataset does not exist"), NULL;
    if (st != TARGET_OK) return legacy_ds_error(req, 400, msg), NULL;
    pg_error_t err;
    bool found = false;
    json_t *cols = pg_introspect_columns(db.pool, req->arena, schema && *schema ? schema : NULL, table, &found, &err);
    if (!cols) {
        log_warn("external metadata of %s failed: %s", table, err.message ? err.message : "");
        legacy_ds_error(req, 422, legacy_ds_db_message(req->arena, err.message));
        return NULL;
    }
    json_arena_own(req->arena, cols);
    if (!found) {
        if (missing_status) legacy_ds_error(req, missing_status, table_text(req->arena, catalog, schema, table));
        else legacy_ds_error(req, 404, "Dataset does not exist");
        return NULL;
    }
    return legacy_ds_external_columns(cols);
}

/* SqlaTable.external_metadata of dataset id (access already checked). */
static json_t *dataset_columns(request_t *req, int64_t id, int missing_status) {
    pg_error_t err;
    const char *p[] = {arena_sprintf(req->arena, "%lld", (long long)id)};
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              "SELECT table_name, schema, sql, database_id, catalog FROM tables WHERE id = $1::int", 1,
                              p);
    if (!r) return legacy_ds_error(req, 500, "Fatal error"), NULL;
    if (!pg_nrows(r)) return legacy_ds_error(req, 404, "Datasource does not exist"), NULL;
    const char *sql = pg_get(r, 0, 2);
    if (sql && *sql) return legacy_ds_error(req, 400, VIRTUAL_UNSUPPORTED), NULL;
    return source_columns(req, pg_get_int(r, 0, 3, 0), pg_get(r, 0, 4), pg_get(r, 0, 1), pg_get(r, 0, 0),
                          missing_status);
}

static void external_metadata(request_t *req) {
    if (!has_access_api(req, "can_external_metadata", "Datasource")) return;
    ds_kind_t kind;
    int64_t id;
    if (!parse_datasource(req, &kind, &id)) return;
    if (kind == DS_SAVED_QUERY) return saved_query_answer(req, id, "external_metadata");
    if (kind == DS_QUERY) {
        json_t *q = query_data(req, id);
        if (!q) return;
        json_decref(q);
        return legacy_ds_error(req, 500, "'Query' object has no attribute 'external_metadata'");
    }
    json_t *d = legacy_ds_table_data(req, id);
    if (!d) return;
    json_decref(d);
    json_t *cols = dataset_columns(req, id, 500);
    if (cols) legacy_ds_json(req, cols);
}

/* ---- GET /datasource/external_metadata_by_name/?q=(...) ---- */

/* ExternalMetadataSchema().load: NULL with the answer written on failure. */
static json_t *load_by_name(request_t *req, json_t *q) {
    const char *error = legacy_ds_params_error(req->arena, q);
    if (error) {
        legacy_ds_error(req, 400, error);
        return NULL;
    }
    /* the schema's post_load reads both flags unconditionally */
    const char *flags[] = {"normalize_columns", "always_filter_main_dttm"};
    for (size_t i = 0; i < 2; i++)
        if (!json_object_get(q, flags[i])) {
            legacy_ds_error(req, 500, arena_sprintf(req->arena, "'%s'", flags[i]));
            return NULL;
        }
    return q;
}

/* The table's denial for a caller without database or schema access. */
static void table_denied(request_t *req, const char *schema, const char *table) {
    const char *t = table_text(req->arena, NULL, schema, table);
    const char *link = config_str(app_config(req->app), "PERMISSION_INSTRUCTIONS_LINK", "");
    json_t *error = json_pack(
        "{s:s,s:s,s:s,s:{s:o,s:[s]}}", "message",
        arena_sprintf(req->arena,
                      "You need access to the following tables: `%s`,\n            `all_database_access` or"
                      " `all_datasource_access` permission",
                      t),
        "error_type", "TABLE_SECURITY_ACCESS_ERROR", "level", "warning", "extra", "link",
        link && *link ? json_string(link) : json_null(), "tables", t);
    resp_json(req, 403, json_pack("{s:[o]}", "errors", error), JSON_PY_DEFAULT);
}

static bool table_granted(request_t *req, const char *database_name, int64_t db_id, const char *schema) {
    security_t *s = app_security(req->app);
    char *db_perm = perm_database(req->arena, database_name, db_id);
    if (access_all_datasources(s, req->cfg, req->user) || access_database(s, req->cfg, req->user, db_perm)) return true;
    return schema && *schema &&
           access_schema(s, req->cfg, req->user, NULL, NULL, perm_schema(req->arena, database_name, NULL, schema));
}

static void external_metadata_by_name(request_t *req) {
    if (!has_access_api(req, "can_external_metadata_by_name", "Datasource")) return;
    const char *qs = req_query_arg(req, "q");
    json_t *q = json_object();
    if (qs && *qs) {
        rison_error_t rerr;
        json_decref(q);
        q = rison_parse(qs, strlen(qs), &rerr);
        if (!q) q = json_loads(qs, JSON_DECODE_ANY, NULL);
        if (!q) return legacy_ds_error(req, 400, "Not a valid rison/json argument");
    }
    json_arena_own(req->arena, q);
    if (!load_by_name(req, q)) return;
    const char *database_name = json_get_str(q, "database_name", "");
    const char *catalog = json_get_str(q, "catalog_name", NULL);
    const char *schema = json_get_str(q, "schema_name", NULL);
    const char *table = json_get_str(q, "table_name", "");
    pg_error_t err;
    const char *p[] = {table, database_name, catalog, schema && *schema ? schema : NULL};
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              "SELECT d.id, t.id FROM dbs d LEFT JOIN tables t ON t.database_id = d.id AND"
                              " t.table_name = $1 AND t.catalog IS NOT DISTINCT FROM $3 AND nullif(t.schema, '') IS NOT"
                              " DISTINCT FROM $4 WHERE d.database_name = $2 ORDER BY t.id LIMIT 1",
                              4, p);
    if (!r) return legacy_ds_error(req, 500, "Fatal error");
    if (!pg_nrows(r)) return legacy_ds_error(req, 404, "Dataset does not exist");
    int64_t db_id = pg_get_int(r, 0, 0, 0);
    json_t *cols;
    if (!pg_isnull(r, 0, 1)) {
        json_t *d = legacy_ds_table_data(req, pg_get_int(r, 0, 1, 0));
        if (!d) return;
        json_decref(d);
        cols = dataset_columns(req, pg_get_int(r, 0, 1, 0), 0);
    } else {
        if (!table_granted(req, database_name, db_id, schema)) return table_denied(req, schema, table);
        cols = source_columns(req, db_id, NULL, schema, table, 0);
    }
    if (cols) legacy_ds_json(req, cols);
}

/* ---- POST /datasource/samples ---- */

/* SamplesRequestSchema over request.args; a failure answers 400 with the
 * messages dict, which json_error_response drops: "{}". */
static bool samples_args_valid(request_t *req, int64_t *id) {
    const char *type = req_query_arg(req, "datasource_type");
    const char *ids = req_query_arg(req, "datasource_id");
    size_t n = sizeof ds_types / sizeof ds_types[0], i = 0;
    while (type && i < n && strcmp(ds_types[i].name, type)) i++;
    char *end = NULL;
    errno = 0;
    long long v = ids ? strtoll(ids, &end, 10) : 0;
    if (!type || i == n || !ids || !*ids || *end || errno) return false;
    *id = v;
    return true;
}

static void samples(request_t *req) {
    if (!has_access_api(req, "can_samples", "Datasource")) return;
    int64_t id = 0;
    if (!samples_args_valid(req, &id)) return resp_json(req, 400, json_object(), JSON_PY_DEFAULT);
    if (!strcmp(req_query_arg(req, "datasource_type"), "table")) { /* a missing or unreadable dataset first */
        json_t *d = legacy_ds_table_data(req, id);
        if (!d) return;
        json_decref(d);
    }
    legacy_ds_error(req, 422, SAMPLES_UNSUPPORTED);
}

static const route_def_t routes[] = {
    {"GET", "/datasource/get/<datasource_type>/<datasource_id>/", datasource_get, GUARD_PUBLIC, 0,
     "superset.views.datasource.views.get"},
    {"GET", "/datasource/external_metadata/<datasource_type>/<datasource_id>/", external_metadata, GUARD_PUBLIC, 0,
     "superset.views.datasource.views.external_metadata"},
    {"GET", "/datasource/external_metadata_by_name/", external_metadata_by_name, GUARD_PUBLIC, 0,
     "superset.views.datasource.views.external_metadata_by_name"},
    {"POST", "/datasource/save/", legacy_datasource_save, GUARD_PUBLIC, 0, "superset.views.datasource.views.save"},
    {"POST", "/datasource/samples", samples, GUARD_PUBLIC, 0, "superset.views.datasource.views.samples"},
    {"GET", "/superset/fetch_datasource_metadata", fetch_datasource_metadata, GUARD_PUBLIC, 0,
     "superset.views.core.fetch_datasource_metadata"},
};

const route_table_t legacy_datasource_routes = {routes, sizeof routes / sizeof routes[0], NULL};
