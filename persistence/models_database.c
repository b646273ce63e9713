/* The databases table (dbs) as Superset's Database model for the generic
 * engine. The encrypted columns (password, encrypted_extra, server_cert)
 * are deliberately not model columns, so no request can select them.
 * Derived properties that Superset reads from the engine spec are computed
 * in SQL from sqlalchemy_uri and the extra JSON (see db_computed). */
#include "persistence/models.h"

static const model_col_t db_cols[] = {
    {"id", COL_INT, 0, false, true},
    {"database_name", COL_STRING, 250, false, true},
    {"verbose_name", COL_STRING, 250, true, true},
    {"sqlalchemy_uri", COL_STRING, 1024, false, false},
    {"cache_timeout", COL_INT, 0, true, false},
    {"extra", COL_TEXT, 0, true, false},
    {"select_as_create_table_as", COL_BOOL, 0, true, false},
    {"allow_ctas", COL_BOOL, 0, true, false},
    {"allow_cvas", COL_BOOL, 0, true, false},
    {"allow_dml", COL_BOOL, 0, true, false},
    {"expose_in_sqllab", COL_BOOL, 0, true, false},
    {"force_ctas_schema", COL_STRING, 250, true, false},
    {"allow_run_async", COL_BOOL, 0, true, false},
    {"impersonate_user", COL_BOOL, 0, true, false},
    {"allow_file_upload", COL_BOOL, 0, false, false},
    {"configuration_method", COL_STRING, 255, true, false},
    {"is_managed_externally", COL_BOOL, 0, false, false},
    {"external_url", COL_TEXT, 0, true, false},
    {"uuid", COL_UUID, 0, true, true},
    MODEL_AUDIT_COLUMNS,
    {NULL, 0, 0, false, false},
};
static const model_rel_t db_rels[] = {
    MODEL_AUDIT_RELATIONS(model_ab_user),
    {NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL},
};

/* get_extra(): the extra column parsed, {} when empty. */
#define DB_EXTRA "(CASE WHEN coalesce(t.extra, '') = '' THEN '{}' ELSE t.extra END)::jsonb"
/* URL.get_backend_name(): the drivername before '+'. */
#define DB_BACKEND "split_part(split_part(t.sqlalchemy_uri, '://', 1), '+', 1)"
/* Python truthiness of a JSON value (bool(extra.get(k, default))). */
#define DB_TRUTHY(v, dflt) \
    "CASE WHEN " v " IS NULL THEN " dflt " ELSE " v "::text NOT IN ('false', '0', '0.0', 'null', '\"\"', '[]', '{}') END"

static const model_computed_t db_computed[] = {
    {"changed_on_delta_humanized", "extract(epoch FROM (localtimestamp - t.changed_on))", "changed_on",
     COMPUTED_HUMANIZE_AGO},
    {"created_on_delta_humanized", "extract(epoch FROM (localtimestamp - t.created_on))", "created_on",
     COMPUTED_HUMANIZE_AGO},
    {"backend", DB_BACKEND, NULL, COMPUTED_RAW},
    /* URL.get_driver_name(): after '+', else the dialect's default driver */
    {"driver",
     "CASE WHEN split_part(t.sqlalchemy_uri, '://', 1) LIKE '%+%'"
     " THEN split_part(split_part(t.sqlalchemy_uri, '://', 1), '+', 2)"
     " ELSE CASE " DB_BACKEND " WHEN 'postgresql' THEN 'psycopg2' WHEN 'mysql' THEN 'mysqldb'"
     " WHEN 'sqlite' THEN 'pysqlite' WHEN 'mssql' THEN 'pyodbc' WHEN 'oracle' THEN 'cx_oracle' END END",
     NULL, COMPUTED_RAW},
    /* every bundled engine spec but a few exotic ones allows subqueries */
    {"allows_subquery", "true", NULL, COMPUTED_RAW},
    /* spec.get_allow_cost_estimate(extra) and extra.get("cost_estimate_enabled") */
    {"allows_cost_estimate",
     "CASE WHEN " DB_BACKEND " IN ('postgresql', 'presto', 'trino', 'bigquery')"
     " THEN (" DB_EXTRA ")->'cost_estimate_enabled' ELSE 'false'::jsonb END",
     NULL, COMPUTED_RAW},
    {"allows_virtual_table_explore", DB_TRUTHY("(" DB_EXTRA ")->'allows_virtual_table_explore'", "true"), NULL,
     COMPUTED_RAW},
    {"explore_database_id", "coalesce((" DB_EXTRA ")->'explore_database_id', to_jsonb(t.id))", NULL, COMPUTED_RAW},
    {"disable_data_preview", "coalesce((" DB_EXTRA ")->'disable_data_preview' = 'true'::jsonb, false)", NULL,
     COMPUTED_RAW},
    {"disable_drill_to_detail", "coalesce((" DB_EXTRA ")->'disable_drill_to_detail' = 'true'::jsonb, false)", NULL,
     COMPUTED_RAW},
    {"allow_multi_catalog", "coalesce((" DB_EXTRA ")->'allow_multi_catalog', 'false'::jsonb)", NULL, COMPUTED_RAW},
    /* db_engine_spec.get_public_information() of the base / PostgreSQL specs */
    {"engine_information",
     "json_build_object('supports_file_upload', true, 'disable_ssh_tunneling', false,"
     " 'supports_dynamic_catalog', " DB_BACKEND " = 'postgresql', 'supports_oauth2', false)",
     NULL, COMPUTED_RAW},
    {NULL, NULL, NULL, COMPUTED_RAW},
};

const model_t model_database = {
    .table = "dbs", .pk = "id", .name = "Database", .cols = db_cols, .rels = db_rels,
    .str_sql = "coalesce(t.database_name, '')", .computed = db_computed, .audit = true,
};
