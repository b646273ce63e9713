/* Upserts of the import transaction; see bundle_write.h. Column names come
 * from the static maps below; every value is a bound parameter. */
#include "domain/bundle_write.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/access.h"
#include "domain/security_pvm.h"
#include "lib/encrypted_type.h"
#include "lib/json.h"
#include "lib/sqla_url.h"

#define PASSWORD_MASK "XXXXXXXXXX"
#define MAX_COLS 40

typedef enum { C_TEXT, C_INT, C_BOOL, C_UUID, C_JSONTEXT, C_JSON, C_JSONB, C_ENC } ctype_t;

typedef struct colmap {
    const char *key;    /* YAML key */
    const char *column; /* table column */
    ctype_t type;
} colmap_t;

static const colmap_t database_cols[] = {
    {"database_name", "database_name", C_TEXT}, {"cache_timeout", "cache_timeout", C_INT},
    {"expose_in_sqllab", "expose_in_sqllab", C_BOOL}, {"allow_run_async", "allow_run_async", C_BOOL},
    {"allow_ctas", "allow_ctas", C_BOOL}, {"allow_cvas", "allow_cvas", C_BOOL}, {"allow_dml", "allow_dml", C_BOOL},
    {"allow_csv_upload", "allow_file_upload", C_BOOL}, {"extra", "extra", C_JSONTEXT},
    {"impersonate_user", "impersonate_user", C_BOOL}, {"uuid", "uuid", C_UUID},
    {"is_managed_externally", "is_managed_externally", C_BOOL}, {"external_url", "external_url", C_TEXT},
    {"encrypted_extra", "encrypted_extra", C_ENC}, {NULL, NULL, 0},
};

static const colmap_t dataset_cols[] = {
    {"table_name", "table_name", C_TEXT}, {"main_dttm_col", "main_dttm_col", C_TEXT},
    {"description", "description", C_TEXT}, {"default_endpoint", "default_endpoint", C_TEXT},
    {"offset", "\"offset\"", C_INT}, {"cache_timeout", "cache_timeout", C_INT}, {"catalog", "catalog", C_TEXT},
    {"schema", "schema", C_TEXT}, {"sql", "sql", C_TEXT}, {"params", "params", C_JSONTEXT},
    {"template_params", "template_params", C_JSONTEXT}, {"filter_select_enabled", "filter_select_enabled", C_BOOL},
    {"fetch_values_predicate", "fetch_values_predicate", C_TEXT}, {"extra", "extra", C_JSONTEXT},
    {"uuid", "uuid", C_UUID}, {"is_managed_externally", "is_managed_externally", C_BOOL},
    {"external_url", "external_url", C_TEXT}, {"normalize_columns", "normalize_columns", C_BOOL},
    {"always_filter_main_dttm", "always_filter_main_dttm", C_BOOL}, {"folders", "folders", C_JSON},
    {NULL, NULL, 0},
};

static const colmap_t column_cols[] = {
    {"column_name", "column_name", C_TEXT}, {"verbose_name", "verbose_name", C_TEXT}, {"is_dttm", "is_dttm", C_BOOL},
    {"is_active", "is_active", C_BOOL}, {"type", "type", C_TEXT}, {"advanced_data_type", "advanced_data_type", C_TEXT},
    {"groupby", "groupby", C_BOOL}, {"filterable", "filterable", C_BOOL}, {"expression", "expression", C_TEXT},
    {"description", "description", C_TEXT}, {"python_date_format", "python_date_format", C_TEXT},
    {"extra", "extra", C_JSONTEXT}, {NULL, NULL, 0},
};

static const colmap_t metric_cols[] = {
    {"metric_name", "metric_name", C_TEXT}, {"verbose_name", "verbose_name", C_TEXT},
    {"metric_type", "metric_type", C_TEXT}, {"expression", "expression", C_TEXT},
    {"description", "description", C_TEXT}, {"d3format", "d3format", C_TEXT}, {"currency", "currency", C_JSONB},
    {"extra", "extra", C_JSONTEXT}, {"warning_text", "warning_text", C_TEXT}, {NULL, NULL, 0},
};

static const colmap_t chart_cols[] = {
    {"slice_name", "slice_name", C_TEXT}, {"description", "description", C_TEXT},
    {"certified_by", "certified_by", C_TEXT}, {"certification_details", "certification_details", C_TEXT},
    {"viz_type", "viz_type", C_TEXT}, {"params", "params", C_JSONTEXT}, {"query_context", "query_context", C_TEXT},
    {"cache_timeout", "cache_timeout", C_INT}, {"uuid", "uuid", C_UUID},
    {"is_managed_externally", "is_managed_externally", C_BOOL}, {"external_url", "external_url", C_TEXT},
    {NULL, NULL, 0},
};

static const colmap_t dashboard_cols[] = {
    {"dashboard_title", "dashboard_title", C_TEXT}, {"description", "description", C_TEXT}, {"css", "css", C_TEXT},
    {"slug", "slug", C_TEXT}, {"certified_by", "certified_by", C_TEXT},
    {"certification_details", "certification_details", C_TEXT}, {"published", "published", C_BOOL},
    {"uuid", "uuid", C_UUID}, {"is_managed_externally", "is_managed_externally", C_BOOL},
    {"external_url", "external_url", C_TEXT}, {"position", "position_json", C_JSONTEXT},
    {"metadata", "json_metadata", C_JSONTEXT}, {"theme_id", "theme_id", C_INT}, {NULL, NULL, 0},
};

static const colmap_t query_cols[] = {
    {"catalog", "catalog", C_TEXT}, {"schema", "schema", C_TEXT}, {"label", "label", C_TEXT},
    {"description", "description", C_TEXT}, {"sql", "sql", C_TEXT}, {"uuid", "uuid", C_UUID}, {NULL, NULL, 0},
};

/* ---- small helpers ---- */

const char *bw_normalize_uuid(arena_t *a, const char *u) {
    char hex[33];
    size_t n = 0;
    for (const char *p = u; *p && n < 33; p++) {
        if (!strncasecmp(p, "urn:uuid:", 9)) {
            p += 8;
            continue;
        }
        if (isxdigit((unsigned char)*p)) hex[n++] = (char)tolower((unsigned char)*p);
    }
    if (n != 32) return arena_strdup(a, u);
    hex[32] = 0;
    return arena_sprintf(a, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
}

static bool fail(bw_ctx_t *w, const char *message) {
    w->failure = message;
    return false;
}

static const char *id_text(bw_ctx_t *w, int64_t id) { return arena_sprintf(w->a, "%lld", (long long)id); }

static const char *user_text(bw_ctx_t *w) { return w->o->user_id ? id_text(w, w->o->user_id) : NULL; }

static pg_result_t *q(bw_ctx_t *w, const char *sql, int n, const char *const *p) {
    return pg_conn_query(w->c, w->a, &w->err, sql, n, p);
}

/* id of the first row, 0 when none, -1 on error. */
static int64_t q_id(bw_ctx_t *w, const char *sql, int n, const char *const *p) {
    pg_result_t *r = q(w, sql, n, p);
    if (!r) return -1;
    return pg_nrows(r) ? pg_get_int(r, 0, 0, 0) : 0;
}

/* The text bound for a YAML value in a column of type t; NULL for SQL NULL. */
static const char *value_text(bw_ctx_t *w, const json_t *v, ctype_t t) {
    if (!v || json_is_null(v)) return NULL;
    if (t == C_ENC) {
        if (!json_is_string(v)) return NULL;
        return encrypted_type_encrypt(w->a, w->o->secret_key ? w->o->secret_key : "", json_string_value(v),
                                      json_string_length(v));
    }
    if (json_is_string(v)) return json_string_value(v);
    if (json_is_true(v)) return "true";
    if (json_is_false(v)) return "false";
    if (json_is_integer(v)) return arena_sprintf(w->a, "%lld", (long long)json_integer_value(v));
    return json_dump_arena(w->a, v, JSON_PY_DEFAULT, NULL);
}

typedef struct row {
    const char *cols[MAX_COLS];
    ctype_t types[MAX_COLS];
    const char *vals[MAX_COLS];
    int n;
} row_t;

static void row_set(row_t *r, const char *col, ctype_t t, const char *val) {
    for (int i = 0; i < r->n; i++)
        if (!strcmp(r->cols[i], col)) {
            r->types[i] = t, r->vals[i] = val;
            return;
        }
    if (r->n == MAX_COLS) return;
    r->cols[r->n] = col, r->types[r->n] = t, r->vals[r->n] = val;
    r->n++;
}

/* The keys of config present in the map (import_from_dict sets only those). */
static void row_from_config(bw_ctx_t *w, row_t *r, const colmap_t *map, const json_t *config) {
    for (const colmap_t *m = map; m->key; m++) {
        json_t *v = json_object_get(config, m->key);
        if (v) row_set(r, m->column, m->type, value_text(w, v, m->type));
    }
}

static const char *placeholder(arena_t *a, ctype_t t, int i) {
    static const char *const casts[] = {[C_TEXT] = "text", [C_INT] = "int", [C_BOOL] = "boolean", [C_UUID] = "uuid",
                                        [C_JSONTEXT] = "text", [C_JSON] = "json", [C_JSONB] = "jsonb", [C_ENC] = "text"};
    if (t == C_ENC) return arena_sprintf(a, "convert_to($%d::text, 'UTF8')", i);
    return arena_sprintf(a, "$%d::%s", i, casts[t]);
}

/* Python-side column defaults of the reference's models, applied when a new
 * row leaves the column out (the database defaults differ or are absent). */
static const struct {
    const char *table, *column, *value;
    ctype_t type;
} insert_defaults[] = {
    {"dashboards", "published", "false", C_BOOL},
    {"tables", "filter_select_enabled", "true", C_BOOL},
    {"tables", "\"offset\"", "0", C_INT},
    {"tables", "is_featured", "false", C_BOOL},
    {"tables", "is_sqllab_view", "false", C_BOOL},
    {"table_columns", "is_dttm", "false", C_BOOL},
    {"table_columns", "is_active", "true", C_BOOL},
    {"table_columns", "groupby", "true", C_BOOL},
    {"table_columns", "filterable", "true", C_BOOL},
    {"dbs", "expose_in_sqllab", "true", C_BOOL},
    {"dbs", "allow_run_async", "false", C_BOOL},
    {"dbs", "allow_ctas", "false", C_BOOL},
    {"dbs", "allow_cvas", "false", C_BOOL},
    {"dbs", "allow_dml", "false", C_BOOL},
    {"dbs", "allow_file_upload", "false", C_BOOL},
    {"dbs", "impersonate_user", "false", C_BOOL},
    {"dbs", "select_as_create_table_as", "false", C_BOOL},
    {"themes", "is_system", "false", C_BOOL},
    {"themes", "is_system_default", "false", C_BOOL},
    {"themes", "is_system_dark", "false", C_BOOL},
};

static bool row_has(const row_t *r, const char *col) {
    for (int i = 0; i < r->n; i++)
        if (!strcmp(r->cols[i], col)) return true;
    return false;
}

/* INSERT (id 0) or UPDATE of one row, with the audit columns; the row id or -1. */
static int64_t write_row(bw_ctx_t *w, const char *table, int64_t id, const row_t *given) {
    row_t full = *given, *r = &full;
    for (size_t i = 0; !id && i < sizeof insert_defaults / sizeof insert_defaults[0]; i++)
        if (!strcmp(insert_defaults[i].table, table) && !row_has(r, insert_defaults[i].column))
            row_set(r, insert_defaults[i].column, insert_defaults[i].type, insert_defaults[i].value);
    strbuf_t sql;
    strbuf_init_arena(&sql, w->a, 512);
    const char *params[MAX_COLS + 2];
    int np = 0;
    for (int i = 0; i < r->n; i++) params[np++] = r->vals[i];
    params[np++] = user_text(w);
    int user_param = np;
    if (!id) {
        strbuf_printf(&sql, "INSERT INTO %s (", table);
        for (int i = 0; i < r->n; i++) strbuf_printf(&sql, "%s, ", r->cols[i]);
        strbuf_puts(&sql, "created_on, changed_on, created_by_fk, changed_by_fk) VALUES (");
        for (int i = 0; i < r->n; i++) strbuf_printf(&sql, "%s, ", placeholder(w->a, r->types[i], i + 1));
        strbuf_printf(&sql, "localtimestamp, localtimestamp, $%d::int, $%d::int) RETURNING id", user_param, user_param);
        return q_id(w, sql.data, np, params);
    }
    params[np++] = id_text(w, id);
    strbuf_printf(&sql, "UPDATE %s SET ", table);
    for (int i = 0; i < r->n; i++) strbuf_printf(&sql, "%s = %s, ", r->cols[i], placeholder(w->a, r->types[i], i + 1));
    strbuf_printf(&sql, "changed_on = localtimestamp, changed_by_fk = $%d::int WHERE id = $%d::int RETURNING id",
                  user_param, np);
    return q_id(w, sql.data, np, params);
}

static bool ensure_pvm(bw_ctx_t *w, const char *perm, const char *view) {
    return security_pvm_ensure(w->c, w->a, perm, view, &w->err);
}

/* Owner links: table is one of dashboard_user, slice_user, sqlatable_user. */
static bool add_owner(bw_ctx_t *w, const char *table, const char *fk, int64_t obj_id) {
    if (!w->o->user_id) return true;
    const char *p[] = {user_text(w), id_text(w, obj_id)};
    return q(w, arena_sprintf(w->a, "INSERT INTO %s (user_id, %s) SELECT $1::int, $2::int WHERE NOT EXISTS"
                                    " (SELECT 1 FROM %s WHERE user_id = $1::int AND %s = $2::int)", table, fk, table, fk),
             2, p) != NULL;
}

static int is_owner(bw_ctx_t *w, const char *table, const char *fk, int64_t obj_id) {
    const char *p[] = {user_text(w), id_text(w, obj_id)};
    int64_t r = q_id(w, arena_sprintf(w->a, "SELECT 1 FROM %s WHERE user_id = $1::int AND %s = $2::int", table, fk), 2, p);
    return r < 0 ? -1 : r > 0;
}

/* The reference's rule for an existing object: returns 1 to overwrite it,
 * 0 to keep it as it is, -1 on failure. */
static int existing_rule(bw_ctx_t *w, int kind, bool overwrite, const char *owner_table, const char *fk, int64_t id,
                         const char *denied) {
    bool can_write = w->o->command == IMPORT_EXAMPLES || w->o->can_write[kind];
    if (overwrite && can_write && w->o->user_id && owner_table && !w->o->is_admin) {
        int own = is_owner(w, owner_table, fk, id);
        if (own < 0) return -1;
        if (!own) return fail(w, denied), -1;
    }
    return overwrite && can_write ? 1 : 0;
}

static bool may_create(bw_ctx_t *w, int kind, const char *denied) {
    if (w->o->command == IMPORT_EXAMPLES || w->o->can_write[kind]) return true;
    return fail(w, denied);
}

/* ---- databases ---- */

/* PREVENT_UNSAFE_DB_CONNECTIONS: the drivers the reference refuses. */
static const char *blocked_dialect(const char *uri) {
    size_t n = strcspn(uri, ":");
    if (n >= 6 && !strncmp(uri, "sqlite", 6) && (n == 6 || uri[6] == '+')) return "SQLiteDialect_pysqlite";
    if ((n == 10 && !strncmp(uri, "shillelagh", 10)) || (n == 15 && !strncmp(uri, "shillelagh+apsw", 15)))
        return "APSWShillelaghDialect";
    if (n == 8 && !strncmp(uri, "superset", 8)) return "SupersetAPSWDialect";
    return NULL;
}

static bool write_ssh_tunnel(bw_ctx_t *w, int64_t db_id, const json_t *ssh) {
    const char *dbid = id_text(w, db_id);
    if (!q(w, "DELETE FROM ssh_tunnels WHERE database_id = $1::int", 1, &dbid)) return false;
    if (!json_is_object(ssh)) return true;
    static const colmap_t ssh_cols[] = {
        {"server_address", "server_address", C_TEXT}, {"server_port", "server_port", C_INT},
        {"username", "username", C_ENC}, {"password", "password", C_ENC}, {"private_key", "private_key", C_ENC},
        {"private_key_password", "private_key_password", C_ENC}, {NULL, NULL, 0},
    };
    row_t r = {0};
    row_from_config(w, &r, ssh_cols, ssh);
    row_set(&r, "database_id", C_INT, dbid);
    /* a fresh uuid for the tunnel row */
    pg_result_t *u = q(w, "SELECT gen_random_uuid()::text", 0, NULL);
    if (!u) return false;
    row_set(&r, "uuid", C_UUID, pg_get(u, 0, 0));
    return write_row(w, "ssh_tunnels", 0, &r) > 0;
}

static int64_t import_database(bw_ctx_t *w, json_t *config, bool overwrite) {
    const char *uuid = bw_normalize_uuid(w->a, json_string_value(json_object_get(config, "uuid")));
    const char *name = json_string_value(json_object_get(config, "database_name"));
    const char *p[] = {uuid, name};
    int64_t id = q_id(w, "SELECT id FROM dbs WHERE uuid = $1::uuid OR database_name = $2::text"
                         " ORDER BY (uuid = $1::uuid) DESC LIMIT 1", 2, p);
    if (id < 0) return -1;
    if (id) {
        int rule = existing_rule(w, BUNDLE_DATABASES, overwrite, NULL, NULL, id, NULL);
        if (rule <= 0) return rule < 0 ? -1 : id;
    } else if (!may_create(w, BUNDLE_DATABASES,
                           "Database doesn't exist and user doesn't have permission to create databases"))
        return -1;
    const char *uri = json_string_value(json_object_get(config, "sqlalchemy_uri"));
    const char *dialect = uri ? blocked_dialect(uri) : NULL;
    if (dialect) return fail(w, arena_sprintf(w->a, "%s cannot be used as a data source for security reasons.", dialect)), -1;
    /* schemas_allowed_for_csv_upload is stored under its newer name */
    json_t *extra = json_object_get(config, "extra");
    json_t *csv = json_object_get(extra, "schemas_allowed_for_csv_upload");
    if (csv) {
        json_object_set(extra, "schemas_allowed_for_file_upload", csv);
        json_object_del(extra, "schemas_allowed_for_csv_upload");
    }
    row_t r = {0};
    row_from_config(w, &r, database_cols, config);
    if (uri) {
        const char *masked;
        char *pw = sqla_url_split_password(w->a, uri, PASSWORD_MASK, &masked);
        row_set(&r, "sqlalchemy_uri", C_TEXT, masked);
        json_t *given = json_object_get(config, "password");
        if (pw && strcmp(pw, PASSWORD_MASK)) row_set(&r, "password", C_ENC, value_text(w, json_string(pw), C_ENC));
        else if (pw && json_is_string(given)) row_set(&r, "password", C_ENC, value_text(w, given, C_ENC));
        else if (!pw) row_set(&r, "password", C_ENC, NULL);
    }
    id = write_row(w, "dbs", id, &r);
    if (id <= 0) return -1;
    json_t *ssh = json_object_get(config, "ssh_tunnel");
    if (ssh && !write_ssh_tunnel(w, id, ssh)) return -1;
    const char *ids = id_text(w, id);
    pg_result_t *res = q(w, "SELECT database_name FROM dbs WHERE id = $1::int", 1, &ids);
    if (!res || !pg_nrows(res)) return -1;
    if (!ensure_pvm(w, "database_access", perm_database(w->a, pg_get(res, 0, 0), id))) return -1;
    w->counts->databases++;
    return id;
}

/* ---- datasets ---- */

/* Columns or metrics of a dataset: upsert by name; with sync, the ones not
 * in the bundle are deleted (import_from_dict's sync). */
static bool write_children(bw_ctx_t *w, int64_t table_id, const json_t *items, const char *table,
                           const char *name_col, const colmap_t *map, bool sync) {
    const char *tid = id_text(w, table_id);
    json_t *names = json_array();
    size_t i;
    json_t *item;
    bool ok = true;
    json_array_foreach(items, i, item) {
        if (!ok) break;
        json_t *name = json_object_get(item, name_col);
        json_array_append(names, name);
        const char *p[] = {tid, json_string_value(name)};
        int64_t id = q_id(w, arena_sprintf(w->a, "SELECT id FROM %s WHERE table_id = $1::int AND %s = $2::text", table,
                                           name_col), 2, p);
        if (id < 0) {
            ok = false;
            break;
        }
        row_t r = {0};
        row_from_config(w, &r, map, item);
        row_set(&r, "table_id", C_INT, tid);
        if (!id) {
            pg_result_t *u = q(w, "SELECT gen_random_uuid()::text", 0, NULL);
            if (!u) {
                ok = false;
                break;
            }
            row_set(&r, "uuid", C_UUID, pg_get(u, 0, 0));
        }
        ok = write_row(w, table, id, &r) > 0;
    }
    if (ok && sync) {
        const char *p[] = {tid, json_dump_arena(w->a, names, JSON_COMPACT, NULL)};
        ok = q(w, arena_sprintf(w->a, "DELETE FROM %s WHERE table_id = $1::int AND %s NOT IN"
                                      " (SELECT jsonb_array_elements_text($2::jsonb))", table, name_col), 2, p) != NULL;
    }
    json_decref(names);
    return ok;
}

/* perm / schema_perm / catalog_perm of a dataset and their permissions. */
static bool dataset_perms(bw_ctx_t *w, int64_t id) {
    const char *ids = id_text(w, id);
    pg_result_t *r = q(w, "SELECT COALESCE(d.verbose_name, d.database_name), d.database_name, t.table_name, t.schema,"
                          " t.catalog FROM tables t JOIN dbs d ON d.id = t.database_id WHERE t.id = $1::int", 1, &ids);
    if (!r || !pg_nrows(r)) return false;
    const char *display = pg_get(r, 0, 0), *dbname = pg_get(r, 0, 1), *table = pg_get(r, 0, 2),
               *schema = pg_get(r, 0, 3), *catalog = pg_get(r, 0, 4);
    const char *perm = perm_datasource(w->a, display, table, id);
    const char *schema_perm = schema && *schema ? perm_schema(w->a, dbname, catalog, schema) : NULL;
    const char *catalog_perm = catalog && *catalog ? perm_catalog(w->a, dbname, catalog) : NULL;
    const char *p[] = {perm, schema_perm, catalog_perm, ids};
    if (!q(w, "UPDATE tables SET perm = $1::text, schema_perm = $2::text, catalog_perm = $3::text WHERE id = $4::int",
           4, p))
        return false;
    if (!ensure_pvm(w, "datasource_access", perm)) return false;
    if (schema_perm && !ensure_pvm(w, "schema_access", schema_perm)) return false;
    return !catalog_perm || ensure_pvm(w, "catalog_access", catalog_perm);
}

static int64_t import_dataset(bw_ctx_t *w, json_t *config, bool overwrite, int64_t database_id) {
    const char *uuid = bw_normalize_uuid(w->a, json_string_value(json_object_get(config, "uuid")));
    const char *p[] = {uuid, id_text(w, database_id), json_string_value(json_object_get(config, "schema")),
                       json_string_value(json_object_get(config, "table_name"))};
    int64_t id = q_id(w, "SELECT id FROM tables WHERE uuid = $1::uuid OR (database_id = $2::int AND"
                         " schema IS NOT DISTINCT FROM $3::text AND table_name = $4::text)"
                         " ORDER BY (uuid = $1::uuid) DESC NULLS LAST LIMIT 1", 4, p);
    if (id < 0) return -1;
    if (id) {
        int rule = existing_rule(w, BUNDLE_DATASETS, overwrite, "sqlatable_user", "table_id", id,
                                 "A dataset already exists and user doesn't have permissions to overwrite it");
        if (rule <= 0) return rule < 0 ? -1 : id;
    } else if (!may_create(w, BUNDLE_DATASETS,
                           "Dataset doesn't exist and user doesn't have permission to create datasets"))
        return -1;
    row_t r = {0};
    row_from_config(w, &r, dataset_cols, config);
    row_set(&r, "database_id", C_INT, id_text(w, database_id));
    id = write_row(w, "tables", id, &r);
    if (id <= 0) return -1;
    json_t *cols = json_object_get(config, "columns"), *metrics = json_object_get(config, "metrics");
    if (json_is_array(cols) && !write_children(w, id, cols, "table_columns", "column_name", column_cols, overwrite))
        return -1;
    if (json_is_array(metrics) && !write_children(w, id, metrics, "sql_metrics", "metric_name", metric_cols, overwrite))
        return -1;
    if (!dataset_perms(w, id) || !add_owner(w, "sqlatable_user", "table_id", id)) return -1;
    w->counts->datasets++;
    return id;
}

/* ---- charts ---- */

/* update_chart_config_dataset: the chart's datasource becomes the imported dataset. */
static void point_chart_at(bw_ctx_t *w, json_t *config, int64_t dataset_id, const char *table_name) {
    json_object_set_new(config, "datasource_id", json_integer(dataset_id));
    json_object_set_new(config, "datasource_type", json_string("table"));
    json_object_set_new(config, "datasource_name", json_string(table_name));
    const char *uid = arena_sprintf(w->a, "%lld__table", (long long)dataset_id);
    json_t *params = json_object_get(config, "params");
    if (!json_is_object(params)) json_object_set_new(config, "params", params = json_object());
    json_object_set_new(params, "datasource", json_string(uid));
    json_t *qc_text = json_object_get(config, "query_context");
    if (!json_is_string(qc_text)) return;
    json_t *qc = json_loads(json_string_value(qc_text), JSON_DECODE_ANY, NULL);
    if (!json_is_object(qc)) {
        json_decref(qc);
        json_object_set_new(config, "query_context", json_null());
        return;
    }
    json_t *ds = json_pack("{s:I,s:s}", "id", (json_int_t)dataset_id, "type", "table");
    json_object_set(qc, "datasource", ds);
    json_t *fd = json_object_get(qc, "form_data");
    if (json_is_object(fd)) json_object_set_new(fd, "datasource", json_string(uid));
    size_t i;
    json_t *query;
    json_array_foreach(json_object_get(qc, "queries"), i, query) if (json_is_object(query) &&
                                                                     json_object_get(query, "datasource"))
        json_object_set(query, "datasource", ds);
    json_decref(ds);
    json_object_set_new(config, "query_context", json_string(json_dump_arena(w->a, qc, JSON_PY_DEFAULT, NULL)));
    json_decref(qc);
}

/* Only FORMULA annotation layers survive an import. */
static void filter_annotations(json_t *config) {
    json_t *params = json_object_get(config, "params");
    if (!json_is_object(params)) return;
    json_t *kept = json_array();
    size_t i;
    json_t *al;
    json_array_foreach(json_object_get(params, "annotation_layers"), i, al) {
        const char *t = json_string_value(json_object_get(al, "annotationType"));
        if (t && !strcmp(t, "FORMULA")) json_array_append(kept, al);
    }
    json_object_set_new(params, "annotation_layers", kept);
}

static int64_t import_chart(bw_ctx_t *w, json_t *config, bool overwrite, int64_t dataset_id, const char *table_name) {
    point_chart_at(w, config, dataset_id, table_name);
    const char *uuid = bw_normalize_uuid(w->a, json_string_value(json_object_get(config, "uuid")));
    int64_t id = q_id(w, "SELECT id FROM slices WHERE uuid = $1::uuid", 1, &uuid);
    if (id < 0) return -1;
    if (id) {
        int rule = existing_rule(w, BUNDLE_CHARTS, overwrite, "slice_user", "slice_id", id,
                                 "A chart already exists and user doesn't have permissions to overwrite it");
        if (rule <= 0) return rule < 0 ? -1 : id;
    } else if (!may_create(w, BUNDLE_CHARTS, "Chart doesn't exist and user doesn't have permission to create charts"))
        return -1;
    filter_annotations(config);
    const char *dsid = id_text(w, dataset_id);
    pg_result_t *t = q(w, "SELECT perm, schema_perm, catalog_perm FROM tables WHERE id = $1::int", 1, &dsid);
    if (!t || !pg_nrows(t)) return -1;
    row_t r = {0};
    row_from_config(w, &r, chart_cols, config);
    row_set(&r, "datasource_id", C_INT, dsid);
    row_set(&r, "datasource_type", C_TEXT, "table");
    row_set(&r, "datasource_name", C_TEXT, table_name);
    row_set(&r, "perm", C_TEXT, pg_get(t, 0, 0));
    row_set(&r, "schema_perm", C_TEXT, pg_get(t, 0, 1));
    row_set(&r, "catalog_perm", C_TEXT, pg_get(t, 0, 2));
    id = write_row(w, "slices", id, &r);
    if (id <= 0 || !add_owner(w, "slice_user", "slice_id", id)) return -1;
    w->counts->charts++;
    return id;
}

/* ---- dashboards ---- */

static int64_t import_dashboard(bw_ctx_t *w, json_t *config, bool overwrite) {
    const char *uuid = bw_normalize_uuid(w->a, json_string_value(json_object_get(config, "uuid")));
    const char *slug = json_string_value(json_object_get(config, "slug"));
    const char *p[] = {uuid, slug && *slug ? slug : NULL};
    int64_t id = q_id(w, "SELECT id FROM dashboards WHERE uuid = $1::uuid OR slug = $2::text"
                         " ORDER BY (uuid = $1::uuid) DESC NULLS LAST LIMIT 1", 2, p);
    if (id < 0) return -1;
    if (id) {
        int rule = existing_rule(w, BUNDLE_DASHBOARDS, overwrite, "dashboard_user", "dashboard_id", id,
                                 "A dashboard already exists and user doesn't have permissions to overwrite it");
        if (rule <= 0) return rule < 0 ? -1 : id;
    } else if (!may_create(w, BUNDLE_DASHBOARDS,
                           "Dashboard doesn't exist and user doesn't have permission to create dashboards"))
        return -1;
    json_t *metadata = json_object_get(config, "metadata");
    if (json_is_object(metadata)) json_object_del(metadata, "show_native_filters");
    row_t r = {0};
    row_from_config(w, &r, dashboard_cols, config);
    id = write_row(w, "dashboards", id, &r);
    if (id <= 0 || !add_owner(w, "dashboard_user", "dashboard_id", id)) return -1;
    w->counts->dashboards++;
    return id;
}

/* dashboard_slices rows for the charts of a dashboard's layout. */
static bool link_charts(bw_ctx_t *w, int64_t dashboard_id, const json_t *config, const json_t *chart_ids, bool replace) {
    const char *did = id_text(w, dashboard_id);
    if (replace && !q(w, "DELETE FROM dashboard_slices WHERE dashboard_id = $1::int", 1, &did)) return false;
    json_t *uuids = bundle_position_chart_uuids(json_object_get(config, "position"));
    bool ok = true;
    size_t i;
    json_t *u;
    json_array_foreach(uuids, i, u) {
        json_t *cid = json_object_get(chart_ids, json_string_value(u));
        if (!cid || !ok) continue;
        const char *p[] = {did, id_text(w, json_integer_value(cid))};
        ok = q(w, "INSERT INTO dashboard_slices (dashboard_id, slice_id) SELECT $1::int, $2::int WHERE NOT EXISTS"
                  " (SELECT 1 FROM dashboard_slices WHERE dashboard_id = $1::int AND slice_id = $2::int)", 2, p) != NULL;
    }
    json_decref(uuids);
    return ok;
}

/* ---- saved queries ---- */

static int64_t import_query(bw_ctx_t *w, json_t *config, bool overwrite, int64_t db_id) {
    const char *uuid = bw_normalize_uuid(w->a, json_string_value(json_object_get(config, "uuid")));
    int64_t id = q_id(w, "SELECT id FROM saved_query WHERE uuid = $1::uuid", 1, &uuid);
    if (id < 0) return -1;
    if (id && !overwrite) return id;
    row_t r = {0};
    row_from_config(w, &r, query_cols, config);
    row_set(&r, "db_id", C_INT, id_text(w, db_id));
    id = write_row(w, "saved_query", id, &r);
    if (id > 0) w->counts->queries++;
    return id;
}

/* ---- themes ---- */

/* Dashboards import themes without overwriting them; the theme import
 * overwrites an existing one when asked and allowed to write themes. */
static int64_t import_theme(bw_ctx_t *w, json_t *config, bool overwrite) {
    const char *uuid = bw_normalize_uuid(w->a, json_string_value(json_object_get(config, "uuid")));
    int64_t id = q_id(w, "SELECT id FROM themes WHERE uuid = $1::uuid", 1, &uuid);
    if (id && !(overwrite && w->o->can_write[BUNDLE_THEMES])) return id;
    if (!id && !may_create(w, BUNDLE_THEMES, "Theme doesn't exist and user doesn't have permission to create themes"))
        return -1;
    row_t r = {0};
    static const colmap_t theme_cols[] = {
        {"theme_name", "theme_name", C_TEXT}, {"json_data", "json_data", C_JSONTEXT}, {"uuid", "uuid", C_UUID},
        {NULL, NULL, 0},
    };
    row_from_config(w, &r, theme_cols, config);
    return write_row(w, "themes", id, &r);
}

/* ---- the command ---- */

typedef struct run {
    bw_ctx_t *w;
    json_t *configs;
    import_command_t cmd;
    bool all;           /* assets / examples: every file is imported */
    bool overwrite_all; /* assets: always; examples: the overwrite flag */
    int main_kind;
    json_t *database_ids, *dataset_ids, *dataset_names, *chart_ids; /* uuid -> id / name */
    json_t *want_dbs, *want_datasets, *want_charts, *want_themes;    /* sets of uuids */
    json_t *theme_ids;                                               /* uuid -> id */
} run_t;

static bool overwrite_for(const run_t *r, int kind) {
    return r->all ? r->overwrite_all : (r->main_kind == kind && r->w->o->overwrite);
}

static const char *cfg_uuid(run_t *r, const json_t *config, const char *key) {
    const char *u = json_string_value(json_object_get(config, key));
    return u ? bw_normalize_uuid(r->w->a, u) : "";
}

/* Existing row of a uuid (assets with sparse): id, and the table name for datasets. */
static int64_t sparse_lookup(run_t *r, const char *table, const char *uuid, const char **name) {
    bw_ctx_t *w = r->w;
    pg_result_t *res = q(w, arena_sprintf(w->a, "SELECT id%s FROM %s WHERE uuid = $1::uuid",
                                          name ? ", table_name" : "", table), 1, &uuid);
    if (!res || !pg_nrows(res)) return 0;
    if (name) *name = arena_strdup(w->a, pg_get(res, 0, 1));
    return pg_get_int(res, 0, 0, 0);
}

static void discover(run_t *r) {
    const char *file;
    json_t *config;
    if (r->cmd == IMPORT_DASHBOARDS)
        json_object_foreach(r->configs, file, config) {
            if (bundle_kind_of(file) != BUNDLE_DASHBOARDS) continue;
            const char *theme = json_string_value(json_object_get(config, "theme_uuid"));
            if (theme) json_object_set_new(r->want_themes, bw_normalize_uuid(r->w->a, theme), json_true());
            json_t *uuids = bundle_position_chart_uuids(json_object_get(config, "position"));
            size_t i;
            json_t *u;
            json_array_foreach(uuids, i, u) json_object_set_new(r->want_charts, bw_normalize_uuid(r->w->a, json_string_value(u)), json_true());
            json_decref(uuids);
            json_t *nf;
            json_array_foreach(json_object_get(json_object_get(config, "metadata"), "native_filter_configuration"), i, nf) {
                size_t j;
                json_t *t;
                json_array_foreach(json_object_get(nf, "targets"), j, t) {
                    const char *du = json_string_value(json_object_get(t, "datasetUuid"));
                    if (du) json_object_set_new(r->want_datasets, bw_normalize_uuid(r->w->a, du), json_true());
                }
            }
        }
    json_object_foreach(r->configs, file, config) {
        int kind = bundle_kind_of(file);
        bool chart_wanted = r->cmd == IMPORT_CHARTS ||
                            (r->cmd == IMPORT_DASHBOARDS && json_object_get(r->want_charts, cfg_uuid(r, config, "uuid")));
        if (kind == BUNDLE_CHARTS && chart_wanted)
            json_object_set_new(r->want_datasets, cfg_uuid(r, config, "dataset_uuid"), json_true());
        if (kind == BUNDLE_QUERIES && r->cmd == IMPORT_SAVED_QUERIES)
            json_object_set_new(r->want_dbs, cfg_uuid(r, config, "database_uuid"), json_true());
        if (kind == BUNDLE_DATASETS && r->cmd == IMPORT_DATASETS)
            json_object_set_new(r->want_dbs, cfg_uuid(r, config, "database_uuid"), json_true());
    }
    if (r->cmd == IMPORT_DASHBOARDS || r->cmd == IMPORT_CHARTS)
        json_object_foreach(r->configs, file, config) {
            if (bundle_kind_of(file) == BUNDLE_DATASETS && json_object_get(r->want_datasets, cfg_uuid(r, config, "uuid")))
                json_object_set_new(r->want_dbs, cfg_uuid(r, config, "database_uuid"), json_true());
        }
}

/* Database id of a dataset or saved query; 0 to skip it, -1 to fail. */
static int64_t resolve_database(run_t *r, const json_t *config) {
    const char *u = cfg_uuid(r, config, "database_uuid");
    json_t *id = json_object_get(r->database_ids, u);
    if (id) return json_integer_value(id);
    if (r->cmd == IMPORT_EXAMPLES) return r->w->o->examples_db_id ? r->w->o->examples_db_id : (fail(r->w, "Cannot find examples database"), -1);
    if (r->cmd != IMPORT_ASSETS) return 0;
    int64_t found = r->w->o->sparse ? sparse_lookup(r, "dbs", u, NULL) : 0;
    return found ? found : -1; /* the reference fails on an unknown database */
}

static bool run_themes(run_t *r) {
    if (r->cmd != IMPORT_DASHBOARDS && r->cmd != IMPORT_THEMES) return true;
    const char *file;
    json_t *config;
    json_object_foreach(r->configs, file, config) {
        if (bundle_kind_of(file) != BUNDLE_THEMES) continue;
        const char *u = cfg_uuid(r, config, "uuid");
        if (r->cmd == IMPORT_DASHBOARDS && !json_object_get(r->want_themes, u)) continue;
        int64_t id = import_theme(r->w, config, r->cmd == IMPORT_THEMES && r->w->o->overwrite);
        if (id <= 0) return false;
        json_object_set_new(r->theme_ids, u, json_integer(id));
    }
    return true;
}

static bool run_databases(run_t *r) {
    const char *file;
    json_t *config;
    json_object_foreach(r->configs, file, config) {
        if (bundle_kind_of(file) != BUNDLE_DATABASES) continue;
        const char *u = cfg_uuid(r, config, "uuid");
        if (!r->all && r->cmd != IMPORT_DATABASES && !json_object_get(r->want_dbs, u)) continue;
        int64_t id = import_database(r->w, config, overwrite_for(r, BUNDLE_DATABASES));
        if (id <= 0) return false;
        json_object_set_new(r->database_ids, u, json_integer(id));
    }
    return true;
}

static bool run_queries(run_t *r) {
    if (r->cmd != IMPORT_ASSETS && r->cmd != IMPORT_SAVED_QUERIES) return true;
    const char *file;
    json_t *config;
    json_object_foreach(r->configs, file, config) {
        if (bundle_kind_of(file) != BUNDLE_QUERIES) continue;
        int64_t db = resolve_database(r, config);
        if (db < 0) return false;
        if (db && import_query(r->w, config, overwrite_for(r, BUNDLE_QUERIES), db) <= 0) return false;
    }
    return true;
}

static bool run_datasets(run_t *r) {
    if (r->cmd == IMPORT_SAVED_QUERIES) return true;
    const char *file;
    json_t *config;
    json_object_foreach(r->configs, file, config) {
        if (bundle_kind_of(file) != BUNDLE_DATASETS) continue;
        int64_t db = resolve_database(r, config);
        if (db < 0) return false;
        if (!db) continue;
        if (r->cmd == IMPORT_EXAMPLES && json_is_null(json_object_get(config, "schema")) && r->w->o->examples_schema)
            json_object_set_new(config, "schema", json_string(r->w->o->examples_schema));
        int64_t id = import_dataset(r->w, config, overwrite_for(r, BUNDLE_DATASETS), db);
        if (id <= 0) return false;
        const char *u = cfg_uuid(r, config, "uuid");
        json_object_set_new(r->dataset_ids, u, json_integer(id));
        json_object_set(r->dataset_names, u, json_object_get(config, "table_name"));
    }
    return true;
}

static bool run_charts(run_t *r, json_t *filter_boxes) {
    if (!r->all && r->cmd != IMPORT_CHARTS && r->cmd != IMPORT_DASHBOARDS) return true;
    const char *file;
    json_t *config;
    json_object_foreach(r->configs, file, config) {
        if (bundle_kind_of(file) != BUNDLE_CHARTS) continue;
        const char *du = cfg_uuid(r, config, "dataset_uuid");
        json_t *ds = json_object_get(r->dataset_ids, du);
        int64_t dataset_id = ds ? json_integer_value(ds) : 0;
        const char *name = json_string_value(json_object_get(r->dataset_names, du));
        if (!ds && r->cmd == IMPORT_ASSETS) {
            dataset_id = r->w->o->sparse ? sparse_lookup(r, "tables", du, &name) : 0;
            if (!dataset_id) return false;
        }
        if (!dataset_id) continue;
        const char *viz = json_string_value(json_object_get(config, "viz_type"));
        bool filter_box = viz && !strcmp(viz, "filter_box");
        if (filter_box && r->cmd == IMPORT_CHARTS) continue;
        int64_t id = import_chart(r->w, config, overwrite_for(r, BUNDLE_CHARTS), dataset_id, name ? name : "");
        if (id <= 0) return false;
        json_object_set_new(r->chart_ids, cfg_uuid(r, config, "uuid"), json_integer(id));
        if (filter_box) json_array_append_new(filter_boxes, json_integer(id));
    }
    return true;
}

/* chart_ids with the bundle's own uuid spelling too, for position lookups. */
static bool run_dashboards(run_t *r) {
    if (!r->all && r->cmd != IMPORT_DASHBOARDS) return true;
    const char *file;
    json_t *config;
    json_object_foreach(r->configs, file, config) {
        if (bundle_kind_of(file) != BUNDLE_DASHBOARDS) continue;
        json_t *position = json_object_get(config, "position");
        /* position uuids may be spelled differently from the normalized keys */
        json_t *ids = json_deep_copy(r->chart_ids);
        json_t *uuids = bundle_position_chart_uuids(position);
        size_t i;
        json_t *u;
        json_array_foreach(uuids, i, u) {
            json_t *id = json_object_get(r->chart_ids, bw_normalize_uuid(r->w->a, json_string_value(u)));
            if (id) json_object_set(ids, json_string_value(u), id);
        }
        json_decref(uuids);
        bundle_update_dashboard_refs(config, ids, r->dataset_ids);
        /* theme_uuid -> theme_id; a theme not imported leaves the dashboard without one */
        const char *theme = json_string_value(json_object_get(config, "theme_uuid"));
        json_t *theme_id = theme ? json_object_get(r->theme_ids, bw_normalize_uuid(r->w->a, theme)) : NULL;
        if (json_object_get(config, "theme_uuid") && r->cmd == IMPORT_DASHBOARDS) {
            json_object_set_new(config, "theme_id", theme_id ? json_incref(theme_id) : json_null());
            json_object_del(config, "theme_uuid");
        }
        json_object_del(config, "theme_uuid"); /* not a column: other commands leave the theme as it is */
        int64_t id = import_dashboard(r->w, config, overwrite_for(r, BUNDLE_DASHBOARDS));
        bool ok = id > 0 && link_charts(r->w, id, config, ids, r->cmd == IMPORT_ASSETS);
        json_decref(ids);
        if (!ok) return false;
    }
    return true;
}

/* Legacy filter-box charts are dropped once their dashboards are imported. */
static bool drop_filter_boxes(run_t *r, const json_t *ids) {
    size_t i;
    json_t *id;
    json_array_foreach(ids, i, id) {
        const char *p = id_text(r->w, json_integer_value(id));
        if (!q(r->w, "DELETE FROM dashboard_slices WHERE slice_id = $1::int", 1, &p) ||
            !q(r->w, "DELETE FROM slice_user WHERE slice_id = $1::int", 1, &p) ||
            !q(r->w, "DELETE FROM slices WHERE id = $1::int", 1, &p))
            return false;
        r->w->counts->charts--;
    }
    return true;
}

bool bw_run(bw_ctx_t *w, json_t *configs, int main_kind) {
    run_t r = {
        .w = w, .configs = configs, .cmd = w->o->command, .main_kind = main_kind,
        .all = w->o->command == IMPORT_ASSETS || w->o->command == IMPORT_EXAMPLES,
        .overwrite_all = w->o->command == IMPORT_ASSETS || w->o->overwrite,
        .database_ids = json_object(), .dataset_ids = json_object(), .dataset_names = json_object(),
        .chart_ids = json_object(), .want_dbs = json_object(), .want_datasets = json_object(),
        .want_charts = json_object(), .want_themes = json_object(), .theme_ids = json_object(),
    };
    json_t *filter_boxes = json_array();
    discover(&r);
    bool ok = run_themes(&r) && run_databases(&r) && run_queries(&r) && run_datasets(&r) && run_charts(&r, filter_boxes) &&
              run_dashboards(&r) &&
              (r.cmd == IMPORT_CHARTS || r.cmd == IMPORT_EXAMPLES || drop_filter_boxes(&r, filter_boxes));
    json_decref(filter_boxes);
    json_decref(r.database_ids);
    json_decref(r.dataset_ids);
    json_decref(r.dataset_names);
    json_decref(r.chart_ids);
    json_decref(r.want_dbs);
    json_decref(r.want_datasets);
    json_decref(r.want_charts);
    json_decref(r.want_themes);
    json_decref(r.theme_ids);
    return ok;
}
