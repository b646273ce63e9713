/* /api/v1/database endpoints that read only the metadata database:
 * GET /<pk>/related_objects/ (charts, dashboards and SQL Lab tabs using the
 * database), GET /<pk>/connection (DatabaseConnectionSchema: the masked URI
 * and encrypted_extra, the URI read back as parameters, the decrypted server
 * certificate; can_write) and GET /available/ (the engines Liteset can
 * connect to, in Superset's shape: PostgreSQL). */
#include <stdlib.h>
#include <string.h>

#include "fcgi/api/api.h"
#include "fcgi/api/data_access_filter.h"
#include "fcgi/api/database_target.h"
#include "fcgi/api/engine_spec.h"
#include "fcgi/app.h"
#include "lib/encrypted_type.h"
#include "lib/json.h"
#include "lib/sqla_url.h"
#include "persistence/models.h"

int database_visible(request_t *req, int64_t pk) {
    model_query_t q;
    mq_init(&q, req->arena, &model_database);
    data_access_database_filter(req, &q);
    mq_where(&q, arena_sprintf(req->arena, "t.id = %s::int",
                               mq_param(&q, arena_sprintf(req->arena, "%lld", (long long)pk))));
    pg_error_t err;
    int64_t n = mq_count(&q, app_pg(req->app), &err);
    return n < 0 ? -1 : n > 0;
}

static void related_objects(request_t *req) {
    int64_t pk = req_path_int(req, "pk");
    int v = database_visible(req, pk);
    if (v < 0) return error_fab(req, 500, "Fatal error");
    if (!v) return error_fab(req, 404, "Not found");
    const char *p[] = {arena_sprintf(req->arena, "%lld", (long long)pk)};
    pg_error_t err;
    pg_result_t *r = pg_query(
        app_pg(req->app), req->arena, &err,
        "WITH c AS (SELECT s.* FROM slices s WHERE s.datasource_type = 'table' AND s.datasource_id IN (SELECT id FROM"
        " tables WHERE database_id = $1::int))"
        " SELECT (SELECT coalesce(json_agg(json_build_object('id', c.id, 'slice_name', c.slice_name, 'viz_type',"
        " c.viz_type) ORDER BY c.id), '[]'::json) FROM c),"
        " (SELECT coalesce(json_agg(json_build_object('id', d.id, 'json_metadata', d.json_metadata, 'slug', d.slug,"
        " 'title', d.dashboard_title) ORDER BY d.id), '[]'::json) FROM dashboards d WHERE d.id IN (SELECT"
        " ds.dashboard_id FROM dashboard_slices ds JOIN c ON c.id = ds.slice_id)),"
        " (SELECT coalesce(json_agg(json_build_object('id', t.id, 'label', t.label, 'active', t.active) ORDER BY"
        " t.id), '[]'::json) FROM tab_state t WHERE t.database_id = $1::int)", 1, p);
    if (!r) return error_fab(req, 500, "Fatal error");
    json_t *out = json_object();
    static const char *const keys[] = {"charts", "dashboards", "sqllab_tab_states"};
    for (int i = 0; i < 3; i++) {
        json_t *l = json_loads(pg_get(r, 0, i), 0, NULL);
        json_object_set_new(out, keys[i], json_pack("{s:I,s:o}", "count", (json_int_t)json_array_size(l), "result", l));
    }
    resp_json(req, 200, out, JSON_FLASK);
}

static json_t *bool_or_null(const pg_result_t *r, int col) {
    return pg_isnull(r, 0, col) ? json_null() : json_boolean(pg_get_bool(r, 0, col, false));
}

static json_t *str_or_null(const pg_result_t *r, int col) {
    return pg_isnull(r, 0, col) ? json_null() : json_string(pg_get(r, 0, col));
}

/* SSHTunnel.data of the database's tunnel (secrets masked), or NULL. */
static json_t *ssh_tunnel_data(request_t *req, int64_t pk) {
    const char *p[] = {arena_sprintf(req->arena, "%lld", (long long)pk)};
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              "SELECT id, server_address, server_port, convert_from(username, 'UTF8'), password IS NOT NULL,"
                              " private_key IS NOT NULL, private_key_password IS NOT NULL FROM ssh_tunnels"
                              " WHERE database_id = $1::int ORDER BY id LIMIT 1", 1, p);
    if (!r || !pg_nrows(r)) return NULL;
    const char *user = pg_isnull(r, 0, 3) ? NULL
                       : encrypted_type_decrypt(req->arena, config_str(req->cfg, "SECRET_KEY", ""), pg_get(r, 0, 3));
    json_t *out = json_pack("{s:I,s:o,s:o,s:s?}", "id", (json_int_t)pg_get_int(r, 0, 0, 0), "server_address",
                            str_or_null(r, 1), "server_port",
                            pg_isnull(r, 0, 2) ? json_null() : json_integer(pg_get_int(r, 0, 2, 0)), "username", user);
    static const char *const secrets[] = {"password", "private_key", "private_key_password"};
    for (int i = 0; i < 3; i++)
        if (pg_get_bool(r, 0, 4 + i, false)) json_object_set_new(out, secrets[i], json_string("XXXXXXXXXX"));
    return out;
}

static void connection(request_t *req) {
    int64_t pk = req_path_int(req, "pk");
    int v = database_visible(req, pk);
    if (v < 0) return error_fab(req, 500, "Fatal error");
    if (!v) {
        /* the reference dumps the missing row as an empty object */
        resp_json(req, 200, json_pack("{s:I,s:{s:b}}", "id", (json_int_t)pk, "result", "is_managed_externally", 0),
                  JSON_FLASK);
        return;
    }
    const char *p[] = {arena_sprintf(req->arena, "%lld", (long long)pk)};
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              "SELECT allow_ctas, allow_cvas, allow_dml, allow_file_upload, allow_run_async,"
                              " cache_timeout, configuration_method, database_name, expose_in_sqllab, extra,"
                              " force_ctas_schema, id, impersonate_user, is_managed_externally,"
                              " convert_from(server_cert, 'UTF8'), uuid::text, convert_from(encrypted_extra, 'UTF8'),"
                              " sqlalchemy_uri FROM dbs WHERE id = $1::int", 1, p);
    if (!r || !pg_nrows(r)) return error_fab(req, 500, "Fatal error");
    const char *secret = config_str(req->cfg, "SECRET_KEY", "");
    const char *cert = pg_isnull(r, 0, 14) ? NULL : encrypted_type_decrypt(req->arena, secret, pg_get(r, 0, 14));
    const char *enc = pg_isnull(r, 0, 16) ? NULL : encrypted_type_decrypt(req->arena, secret, pg_get(r, 0, 16));
    const char *uri = pg_get(r, 0, 17);
    sqla_url_t u;
    bool parsed = sqla_url_parse(req->arena, uri, &u);
    bool pg = parsed && !strcmp(u.backend, "postgresql");
    const char *driver = parsed && u.driver ? u.driver : pg ? "psycopg2" : NULL;
    json_t *info = pg ? engine_pg_public_information()
                      : json_pack("{s:b,s:b,s:b,s:b}", "disable_ssh_tunneling", 0, "supports_dynamic_catalog", 0,
                                  "supports_file_upload", 1, "supports_oauth2", 0);
    json_t *res = json_pack("{s:o,s:o,s:o,s:o,s:o,s:s?,s:o,s:o,s:s?,s:s?,s:o,s:o,s:o,s:o,s:I,s:o,s:o,s:s?,s:s?,s:s?,"
                            "s:o,s:o,s:s}",
                            "allow_ctas", bool_or_null(r, 0), "allow_cvas", bool_or_null(r, 1), "allow_dml",
                            bool_or_null(r, 2), "allow_file_upload", bool_or_null(r, 3), "allow_run_async",
                            bool_or_null(r, 4), "backend", parsed ? u.backend : NULL, "cache_timeout",
                            pg_isnull(r, 0, 5) ? json_null() : json_integer(pg_get_int(r, 0, 5, 0)),
                            "configuration_method", str_or_null(r, 6), "database_name", pg_get(r, 0, 7), "driver",
                            driver, "engine_information", info, "expose_in_sqllab", bool_or_null(r, 8), "extra",
                            str_or_null(r, 9), "force_ctas_schema", str_or_null(r, 10), "id",
                            (json_int_t)pg_get_int(r, 0, 11, 0), "impersonate_user", bool_or_null(r, 12),
                            "is_managed_externally", bool_or_null(r, 13), "server_cert", cert, "uuid",
                            pg_get(r, 0, 15), "masked_encrypted_extra", engine_mask_encrypted_extra(req->arena, enc),
                            "parameters", engine_parameters_from_uri(req->arena, uri), "parameters_schema",
                            pg ? engine_pg_parameters_schema() : json_object(), "sqlalchemy_uri", uri);
    json_t *tunnel = ssh_tunnel_data(req, pk);
    if (tunnel) json_object_set_new(res, "ssh_tunnel", tunnel);
    resp_json(req, 200, json_pack("{s:I,s:o}", "id", (json_int_t)pk, "result", res), JSON_FLASK);
}

static void available(request_t *req) {
    resp_json(req, 200, json_pack("{s:[o]}", "databases", engine_pg_available_entry(req->cfg)), JSON_FLASK);
}

static const route_def_t routes[] = {
    {"GET", "/api/v1/database/<int:pk>/related_objects/", related_objects, GUARD("can_read", "Database"), 0, NULL},
    {"GET", "/api/v1/database/<int:pk>/connection", connection, GUARD("can_write", "Database"), 0, NULL},
    {"GET", "/api/v1/database/available/", available, GUARD("can_read", "Database"), 0, NULL},
    {"GET", "/api/v1/database/<int:pk>/schemas/", database_schemas, GUARD("can_read", "Database"), 0, NULL},
    {"GET", "/api/v1/database/<int:pk>/catalogs/", database_catalogs, GUARD("can_read", "Database"), 0, NULL},
    {"GET", "/api/v1/database/<int:pk>/tables/", database_tables, GUARD("can_read", "Database"), 0, NULL},
    {"GET", "/api/v1/database/<int:pk>/table_metadata/", database_table_metadata, GUARD("can_read", "Database"), 0,
     NULL},
    {"GET", "/api/v1/database/<int:pk>/select_star/<path:table_name>/", database_select_star,
     GUARD("can_read", "Database"), 0, NULL},
    {"GET", "/api/v1/database/<int:pk>/select_star/<path:table_name>/<schema_name>/", database_select_star,
     GUARD("can_read", "Database"), 0, NULL},
    {"POST", "/api/v1/database/test_connection/", database_test_connection, GUARD("can_write", "Database"), 0, NULL},
    {"POST", "/api/v1/database/validate_parameters/", database_validate_parameters, GUARD("can_write", "Database"), 0,
     NULL},
};

const route_table_t database_routes = {routes, sizeof routes / sizeof routes[0], NULL};
