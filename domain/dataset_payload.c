/* SqlaTable.data; see dataset_payload.h. Engine-dependent parts use the
 * base engine spec's rules: generic column types from its default type
 * mappings, select-star quoting like SQLAlchemy's identifier preparer. */
#include "domain/dataset_payload.h"

#include <ctype.h>
#include <pthread.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "domain/time_grains.h"
#include "lib/json.h"
#include "lib/strbuf.h"
#include "persistence/models.h"

#define N(a) (sizeof a / sizeof a[0])

enum { GT_NUMERIC = 0, GT_STRING = 1, GT_TEMPORAL = 2, GT_BOOLEAN = 3 };

/* BaseEngineSpec._default_column_type_mappings, first match wins. */
static const struct {
    const char *pattern;
    int generic;
} TYPE_MAPPINGS[] = {
    {"^string", GT_STRING},        {"^n((var)?char|text)", GT_STRING}, {"^(var)?char", GT_STRING},
    {"^(tiny|medium|long)?text", GT_STRING}, {"^smallint", GT_NUMERIC}, {"^int(eger)?", GT_NUMERIC},
    {"^bigint", GT_NUMERIC},       {"^long", GT_NUMERIC},            {"^decimal", GT_NUMERIC},
    {"^numeric", GT_NUMERIC},      {"^float", GT_NUMERIC},           {"^double", GT_NUMERIC},
    {"^real", GT_NUMERIC},         {"^smallserial", GT_NUMERIC},     {"^serial", GT_NUMERIC},
    {"^bigserial", GT_NUMERIC},    {"^money", GT_NUMERIC},           {"^timestamp", GT_TEMPORAL},
    {"^datetime", GT_TEMPORAL},    {"^date", GT_TEMPORAL},           {"^time", GT_TEMPORAL},
    {"^interval", GT_TEMPORAL},    {"^bool(ean)?", GT_BOOLEAN},
};

/* The mappings compiled once per process (compiled patterns are only read
 * afterwards; they live until exit). */
static regex_t COMPILED[N(TYPE_MAPPINGS)];
static bool COMPILED_OK[N(TYPE_MAPPINGS)];
static pthread_once_t COMPILE_ONCE = PTHREAD_ONCE_INIT;

static void compile_mappings(void) {
    for (size_t i = 0; i < N(TYPE_MAPPINGS); i++)
        COMPILED_OK[i] = !regcomp(&COMPILED[i], TYPE_MAPPINGS[i].pattern, REG_EXTENDED | REG_ICASE | REG_NOSUB);
}

int dataset_generic_type(const char *native_type) {
    if (!native_type || !*native_type) return -1;
    pthread_once(&COMPILE_ONCE, compile_mappings);
    for (size_t i = 0; i < N(TYPE_MAPPINGS); i++)
        if (COMPILED_OK[i] && !regexec(&COMPILED[i], native_type, 0, NULL, 0)) return TYPE_MAPPINGS[i].generic;
    return -1;
}

/* Words the SQL dialects reserve (quoted when used as a name). */
static const char *const RESERVED[] = {
    "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization", "binary", "both",
    "case", "cast", "check", "collate", "collation", "column", "concurrently", "constraint", "create", "cross",
    "current_catalog", "current_date", "current_role", "current_schema", "current_time", "current_timestamp",
    "current_user", "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "false", "fetch",
    "for", "foreign", "freeze", "from", "full", "grant", "group", "having", "ilike", "in", "initially", "inner",
    "intersect", "into", "is", "isnull", "join", "lateral", "leading", "left", "like", "limit", "localtime",
    "localtimestamp", "natural", "not", "notnull", "null", "offset", "on", "only", "or", "order", "outer",
    "overlaps", "placing", "primary", "references", "returning", "right", "select", "session_user", "similar",
    "some", "symmetric", "table", "tablesample", "then", "to", "trailing", "true", "union", "unique", "user",
    "using", "variadic", "verbose", "when", "where", "window", "with",
};

static bool needs_quotes(const char *name) {
    if (!*name || isdigit((unsigned char)*name) || *name == '$') return true;
    for (const char *p = name; *p; p++)
        if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_' || *p == '$')) return true;
    for (size_t i = 0; i < N(RESERVED); i++)
        if (!strcmp(name, RESERVED[i])) return true;
    return false;
}

static void put_ident(strbuf_t *sb, const char *name, char q) {
    if (!needs_quotes(name)) {
        strbuf_puts(sb, name);
        return;
    }
    strbuf_putc(sb, q);
    for (const char *p = name; *p; p++) {
        if (*p == q) strbuf_putc(sb, q);
        strbuf_putc(sb, *p);
    }
    strbuf_putc(sb, q);
}

char *dataset_select_star(arena_t *a, const char *backend, const char *catalog, const char *schema,
                          const char *table) {
    char q = backend && (!strcmp(backend, "mysql") || !strcmp(backend, "mariadb")) ? '`' : '"';
    strbuf_t sb;
    strbuf_init_arena(&sb, a, 96);
    strbuf_puts(&sb, "SELECT\n  *\nFROM ");
    if (catalog && *catalog) {
        put_ident(&sb, catalog, q);
        strbuf_putc(&sb, '.');
    }
    if (schema && *schema) {
        put_ident(&sb, schema, q);
        strbuf_putc(&sb, '.');
    }
    put_ident(&sb, table ? table : "", q);
    strbuf_puts(&sb, "\nLIMIT 100");
    return sb.data;
}

/* ---- rows ---- */

static json_t *text_or_null(const pg_result_t *r, int row, int col) {
    const char *v = pg_get(r, row, col);
    return v ? json_string(v) : json_null();
}

static json_t *int_or_null(const pg_result_t *r, int row, int col) {
    return pg_isnull(r, row, col) ? json_null() : json_integer(pg_get_int(r, row, col, 0));
}

static json_t *bool_or_null(const pg_result_t *r, int row, int col) {
    return pg_isnull(r, row, col) ? json_null() : json_boolean(pg_get_bool(r, row, col, false));
}

/* A JSON column's value (null when NULL or unreadable). */
static json_t *json_or_null(const pg_result_t *r, int row, int col) {
    const char *v = pg_get(r, row, col);
    json_t *j = v ? json_loads(v, JSON_DECODE_ANY, NULL) : NULL;
    return j ? j : json_null();
}

/* CertificationMixin over the extra column: certification fields and the
 * warning markdown, from the parsed extra ({} when unreadable). */
static void put_certification(json_t *o, const char *extra) {
    json_t *e = extra ? json_loads(extra, JSON_DECODE_ANY, NULL) : NULL;
    json_t *cert = json_is_object(e) ? json_object_get(e, "certification") : NULL;
    json_t *by = json_is_object(cert) ? json_object_get(cert, "certified_by") : NULL;
    json_t *details = json_is_object(cert) ? json_object_get(cert, "details") : NULL;
    json_t *warning = json_is_object(e) ? json_object_get(e, "warning_markdown") : NULL;
    bool certified = cert && !json_is_null(cert) && !json_is_false(cert) &&
                     !(json_is_object(cert) && !json_object_size(cert)) &&
                     !(json_is_string(cert) && !*json_string_value(cert)) &&
                     !(json_is_integer(cert) && !json_integer_value(cert)) &&
                     !(json_is_array(cert) && !json_array_size(cert));
    json_object_set_new(o, "certified_by", by ? json_incref(by) : json_null());
    json_object_set_new(o, "certification_details", details ? json_incref(details) : json_null());
    json_object_set_new(o, "is_certified", json_boolean(certified));
    json_object_set_new(o, "warning_markdown", warning ? json_incref(warning) : json_null());
    json_decref(e);
}

static const char *id_text(arena_t *a, int64_t id) { return arena_sprintf(a, "%lld", (long long)id); }

enum { C_ID, C_NAME, C_TYPE, C_ADT, C_DESC, C_EXPR, C_FILTERABLE, C_GROUPBY, C_UUID, C_IS_DTTM, C_PDF, C_VERBOSE, C_EXTRA };

static json_t *load_columns(pg_pool_t *pg, arena_t *a, int64_t id, pg_error_t *err) {
    const char *p[] = {id_text(a, id)};
    pg_result_t *r = pg_query(pg, a, err,
                              "SELECT id, column_name, type, advanced_data_type, description, expression, filterable,"
                              " groupby, uuid::text, is_dttm, python_date_format, verbose_name, extra"
                              " FROM table_columns WHERE table_id = $1::int ORDER BY id",
                              1, p);
    if (!r) return NULL;
    json_t *cols = json_array();
    for (int i = 0; i < pg_nrows(r); i++) {
        json_t *c = json_object();
        json_object_set_new(c, "id", json_integer(pg_get_int(r, i, C_ID, 0)));
        json_object_set_new(c, "column_name", text_or_null(r, i, C_NAME));
        json_object_set_new(c, "type", text_or_null(r, i, C_TYPE));
        json_object_set_new(c, "advanced_data_type", text_or_null(r, i, C_ADT));
        json_object_set_new(c, "description", text_or_null(r, i, C_DESC));
        json_object_set_new(c, "expression", text_or_null(r, i, C_EXPR));
        json_object_set_new(c, "filterable", bool_or_null(r, i, C_FILTERABLE));
        json_object_set_new(c, "groupby", bool_or_null(r, i, C_GROUPBY));
        json_object_set_new(c, "uuid", text_or_null(r, i, C_UUID));
        json_object_set_new(c, "is_dttm", bool_or_null(r, i, C_IS_DTTM));
        json_object_set_new(c, "python_date_format", text_or_null(r, i, C_PDF));
        json_object_set_new(c, "verbose_name", text_or_null(r, i, C_VERBOSE));
        int generic = pg_get_bool(r, i, C_IS_DTTM, false) ? GT_TEMPORAL : dataset_generic_type(pg_get(r, i, C_TYPE));
        json_object_set_new(c, "type_generic", generic < 0 ? json_null() : json_integer(generic));
        put_certification(c, pg_get(r, i, C_EXTRA));
        json_array_append_new(cols, c);
    }
    return cols;
}

enum { M_ID, M_NAME, M_VERBOSE, M_EXPR, M_DESC, M_D3, M_CURRENCY, M_WARNING, M_UUID, M_EXTRA };

static json_t *load_metrics(pg_pool_t *pg, arena_t *a, int64_t id, pg_error_t *err) {
    const char *p[] = {id_text(a, id)};
    pg_result_t *r = pg_query(pg, a, err,
                              "SELECT id, metric_name, verbose_name, expression, description, d3format, currency,"
                              " warning_text, uuid::text, extra FROM sql_metrics WHERE table_id = $1::int ORDER BY id",
                              1, p);
    if (!r) return NULL;
    json_t *metrics = json_array();
    for (int i = 0; i < pg_nrows(r); i++) {
        json_t *m = json_object();
        json_object_set_new(m, "id", json_integer(pg_get_int(r, i, M_ID, 0)));
        json_object_set_new(m, "metric_name", text_or_null(r, i, M_NAME));
        json_object_set_new(m, "verbose_name", text_or_null(r, i, M_VERBOSE));
        json_object_set_new(m, "expression", text_or_null(r, i, M_EXPR));
        json_object_set_new(m, "description", text_or_null(r, i, M_DESC));
        json_object_set_new(m, "d3format", text_or_null(r, i, M_D3));
        json_object_set_new(m, "currency", json_or_null(r, i, M_CURRENCY));
        json_object_set_new(m, "warning_text", text_or_null(r, i, M_WARNING));
        json_object_set_new(m, "uuid", text_or_null(r, i, M_UUID));
        put_certification(m, pg_get(r, i, M_EXTRA));
        json_array_append_new(metrics, m);
    }
    return metrics;
}

static json_t *load_owners(pg_pool_t *pg, arena_t *a, int64_t id, pg_error_t *err) {
    const char *p[] = {id_text(a, id)};
    pg_result_t *r = pg_query(pg, a, err,
                              "SELECT u.first_name, u.last_name, u.username, u.id FROM sqlatable_user o"
                              " JOIN ab_user u ON u.id = o.user_id WHERE o.table_id = $1::int ORDER BY o.id",
                              1, p);
    if (!r) return NULL;
    json_t *owners = json_array();
    for (int i = 0; i < pg_nrows(r); i++)
        json_array_append_new(owners, json_pack("{s:o,s:o,s:o,s:I}", "first_name", text_or_null(r, i, 0),
                                                "last_name", text_or_null(r, i, 1), "username",
                                                text_or_null(r, i, 2), "id", (json_int_t)pg_get_int(r, i, 3, 0)));
    return owners;
}

/* Parameters JSON schema of the engine specs built on BasicParametersMixin. */
#define BASIC_PARAMETERS_SCHEMA                                                                                    \
    "{\"properties\": {\"database\": {\"description\": \"Database name\", \"type\": \"string\"},"                 \
    " \"encryption\": {\"description\": \"Use an encrypted connection to the database\", \"type\": \"boolean\"},"  \
    " \"host\": {\"description\": \"Hostname or IP address\", \"type\": \"string\"},"                              \
    " \"password\": {\"description\": \"Password\", \"nullable\": true, \"type\": \"string\"},"                    \
    " \"port\": {\"description\": \"Database port\", \"maximum\": 65536, \"minimum\": 0, \"type\": \"integer\"},"  \
    " \"query\": {\"additionalProperties\": {}, \"description\": \"Additional parameters\", \"type\": \"object\"}," \
    " \"ssh\": {\"description\": \"Use an ssh tunnel connection to the database\", \"type\": \"boolean\"},"        \
    " \"username\": {\"description\": \"Username\", \"nullable\": true, \"type\": \"string\"}},"                   \
    " \"required\": [\"database\", \"host\", \"port\", \"username\"], \"type\": \"object\"}"

static const char *const BASIC_PARAMETER_ENGINES[] = {"postgresql", "postgres", "mysql"};

static json_t *parameters_schema(const char *backend) {
    for (size_t i = 0; backend && i < N(BASIC_PARAMETER_ENGINES); i++)
        if (!strcmp(backend, BASIC_PARAMETER_ENGINES[i])) return json_loads(BASIC_PARAMETERS_SCHEMA, 0, NULL);
    return json_object();
}

/* Database.data from the model's computed properties (alias t = dbs). */
static json_t *load_database(pg_pool_t *pg, arena_t *a, int64_t db_id, pg_error_t *err) {
    static const char *const computed[] = {"backend", "allows_subquery", "allows_cost_estimate",
                                           "allows_virtual_table_explore", "explore_database_id",
                                           "disable_data_preview", "disable_drill_to_detail",
                                           "allow_multi_catalog", "engine_information"};
    strbuf_t sql;
    strbuf_init_arena(&sql, a, 2048);
    strbuf_puts(&sql, "SELECT json_build_object('id', t.id, 'name', t.database_name, 'configuration_method',"
                      " t.configuration_method, 'schema_options', coalesce((CASE WHEN coalesce(t.extra, '') = ''"
                      " THEN '{}' ELSE t.extra END)::jsonb -> 'schema_options', '{}'::jsonb)");
    for (size_t i = 0; i < N(computed); i++) {
        const model_computed_t *c = model_computed(&model_database, computed[i]);
        if (c) strbuf_printf(&sql, ", '%s', %s", computed[i], c->sql);
    }
    strbuf_puts(&sql, ")::text FROM dbs t WHERE t.id = $1::int");
    const char *p[] = {id_text(a, db_id)};
    pg_result_t *r = pg_query(pg, a, err, sql.data, 1, p);
    if (!r) return NULL;
    json_t *db = pg_nrows(r) ? json_loads(pg_get(r, 0, 0), 0, NULL) : NULL;
    if (!db) return json_null(); /* a dataset without its database */
    json_object_set_new(db, "parameters", json_object());
    json_object_set_new(db, "parameters_schema", parameters_schema(json_string_value(json_object_get(db, "backend"))));
    return db;
}

/* ---- derived maps ---- */

static int cmp_str(const void *x, const void *y) { return strcmp(*(const char *const *)x, *(const char *const *)y); }

/* order_by_choices: [json.dumps([name, asc]), "name [asc]"] for the sorted names. */
static json_t *order_by_choices(arena_t *a, const json_t *columns) {
    size_t n = json_array_size(columns);
    const char **names = arena_alloc(a, (n ? n : 1) * sizeof *names);
    for (size_t i = 0; i < n; i++) {
        const char *name = json_string_value(json_object_get(json_array_get(columns, i), "column_name"));
        names[i] = name ? name : "";
    }
    qsort(names, n, sizeof *names, cmp_str);
    json_t *choices = json_array();
    for (size_t i = 0; i < n; i++) {
        for (int asc = 1; asc >= 0; asc--) {
            json_t *pair = json_pack("[sb]", names[i], asc);
            char *key = json_dump_arena(a, pair, JSON_PY_DEFAULT, NULL);
            json_decref(pair);
            json_array_append_new(choices, json_pack("[ss]", key ? key : "",
                                                     arena_sprintf(a, "%s %s", names[i], asc ? "[asc]" : "[desc]")));
        }
    }
    return choices;
}

static void verbose_from(json_t *map, const json_t *items, const char *name_key) {
    size_t i;
    const json_t *o;
    json_array_foreach(items, i, o) {
        const char *name = json_string_value(json_object_get(o, name_key));
        const char *verbose = json_string_value(json_object_get(o, "verbose_name"));
        if (!name || json_object_get(map, name)) continue;
        json_object_set_new(map, name, json_string(verbose && *verbose ? verbose : name));
    }
}

static json_t *verbose_map(const json_t *metrics, const json_t *columns) {
    json_t *map = json_pack("{s:s}", "__timestamp", "Time");
    verbose_from(map, metrics, "metric_name");
    verbose_from(map, columns, "column_name");
    return map;
}

static json_t *column_formats(const json_t *metrics) {
    json_t *f = json_object();
    size_t i;
    const json_t *m;
    json_array_foreach(metrics, i, m) {
        const char *name = json_string_value(json_object_get(m, "metric_name"));
        const char *d3 = json_string_value(json_object_get(m, "d3format"));
        if (name && d3 && *d3) json_object_set_new(f, name, json_string(d3));
    }
    return f;
}

/* choicify(dttm_cols): temporal columns, then main_dttm_col if missing. */
static json_t *granularity(const json_t *columns, const char *main_dttm) {
    json_t *g = json_array();
    bool has_main = false;
    size_t i;
    const json_t *c;
    json_array_foreach(columns, i, c) {
        const char *name = json_string_value(json_object_get(c, "column_name"));
        if (!json_is_true(json_object_get(c, "is_dttm")) || !name) continue;
        json_array_append_new(g, json_pack("[ss]", name, name));
        has_main = has_main || (main_dttm && !strcmp(main_dttm, name));
    }
    if (main_dttm && *main_dttm && !has_main) json_array_append_new(g, json_pack("[ss]", main_dttm, main_dttm));
    return g;
}

static bool denied_grain(const config_t *cfg, const char *duration) {
    const json_t *deny = config_get(cfg, "TIME_GRAIN_DENYLIST");
    size_t i;
    const json_t *v;
    json_array_foreach(deny, i, v) if (json_is_string(v) && !strcmp(json_string_value(v), duration)) return true;
    return false;
}

static json_t *time_grains(const config_t *cfg, const char *backend) {
    json_t *out = json_array();
    const time_grain_engine_t *e = time_grains_for(backend);
    for (size_t i = 0; e && i < e->count; i++) {
        const time_grain_t *g = &time_grain_builtin[e->grains[i]];
        if (!denied_grain(cfg, g->duration)) json_array_append_new(out, json_pack("[ss]", g->duration, g->name));
    }
    return out;
}

/* ---- the payload ---- */

enum {
    T_ID, T_TABLE, T_DESC, T_ENDPOINT, T_FILTER_SELECT, T_CATALOG, T_SCHEMA, T_OFFSET, T_CACHE_TIMEOUT, T_PARAMS,
    T_PERM, T_SQL, T_FOLDERS, T_MAIN_DTTM, T_FETCH_PRED, T_TEMPLATE_PARAMS, T_SQLLAB_VIEW, T_EXTRA, T_ALWAYS_FILTER,
    T_NORMALIZE, T_DB_ID,
};

static void set_simple_fields(json_t *d, const pg_result_t *r) {
    int64_t id = pg_get_int(r, 0, T_ID, 0);
    const char *table = pg_get(r, 0, T_TABLE), *schema = pg_get(r, 0, T_SCHEMA);
    bool has_schema = schema && *schema;
    json_object_set_new(d, "id", json_integer(id));
    json_object_set_new(d, "uid", json_sprintf("%lld__table", (long long)id));
    json_object_set_new(d, "description", text_or_null(r, 0, T_DESC));
    json_object_set_new(d, "default_endpoint", text_or_null(r, 0, T_ENDPOINT));
    json_object_set_new(d, "filter_select", bool_or_null(r, 0, T_FILTER_SELECT));
    json_object_set_new(d, "filter_select_enabled", bool_or_null(r, 0, T_FILTER_SELECT));
    json_object_set_new(d, "name", has_schema ? json_sprintf("%s.%s", schema, table) : json_string(table));
    json_object_set_new(d, "datasource_name", json_string(table));
    json_object_set_new(d, "table_name", json_string(table));
    json_object_set_new(d, "type", json_string("table"));
    json_object_set_new(d, "catalog", text_or_null(r, 0, T_CATALOG));
    json_object_set_new(d, "schema", has_schema ? json_string(schema) : json_null());
    json_object_set_new(d, "offset", int_or_null(r, 0, T_OFFSET));
    json_object_set_new(d, "cache_timeout", int_or_null(r, 0, T_CACHE_TIMEOUT));
    json_object_set_new(d, "params", text_or_null(r, 0, T_PARAMS));
    json_object_set_new(d, "perm", text_or_null(r, 0, T_PERM));
    json_object_set_new(d, "edit_url", json_sprintf("/tablemodelview/edit/%lld", (long long)id));
    json_object_set_new(d, "sql", text_or_null(r, 0, T_SQL));
    json_object_set_new(d, "folders", json_or_null(r, 0, T_FOLDERS));
    json_object_set_new(d, "main_dttm_col", text_or_null(r, 0, T_MAIN_DTTM));
    json_object_set_new(d, "fetch_values_predicate", text_or_null(r, 0, T_FETCH_PRED));
    json_object_set_new(d, "template_params", text_or_null(r, 0, T_TEMPLATE_PARAMS));
    json_object_set_new(d, "is_sqllab_view", bool_or_null(r, 0, T_SQLLAB_VIEW));
    json_object_set_new(d, "health_check_message", json_null()); /* DATASET_HEALTH_CHECK is code, not data */
    json_object_set_new(d, "extra", text_or_null(r, 0, T_EXTRA));
    json_object_set_new(d, "always_filter_main_dttm", bool_or_null(r, 0, T_ALWAYS_FILTER));
    json_object_set_new(d, "normalize_columns", bool_or_null(r, 0, T_NORMALIZE));
}

json_t *dataset_payload(pg_pool_t *pg, arena_t *a, const config_t *cfg, int64_t id, bool *found, pg_error_t *err) {
    *found = true;
    const char *p[] = {id_text(a, id)};
    pg_result_t *r = pg_query(pg, a, err,
                              "SELECT id, table_name, description, default_endpoint, filter_select_enabled, catalog,"
                              " schema, \"offset\", cache_timeout, params, perm, sql, folders::text, main_dttm_col,"
                              " fetch_values_predicate, template_params, is_sqllab_view, extra,"
                              " always_filter_main_dttm, normalize_columns, database_id FROM tables WHERE id = $1::int",
                              1, p);
    if (!r) return NULL;
    if (!pg_nrows(r)) {
        *found = false;
        return NULL;
    }
    json_t *columns = load_columns(pg, a, id, err);
    json_t *metrics = columns ? load_metrics(pg, a, id, err) : NULL;
    json_t *owners = metrics ? load_owners(pg, a, id, err) : NULL;
    json_t *database = owners ? load_database(pg, a, pg_get_int(r, 0, T_DB_ID, 0), err) : NULL;
    if (!database) {
        json_decref(columns);
        json_decref(metrics);
        json_decref(owners);
        return NULL;
    }
    json_t *d = json_object();
    set_simple_fields(d, r);
    const char *backend = json_string_value(json_object_get(database, "backend"));
    json_object_set_new(d, "column_formats", column_formats(metrics));
    json_object_set_new(d, "order_by_choices", order_by_choices(a, columns));
    json_object_set_new(d, "verbose_map", verbose_map(metrics, columns));
    json_object_set_new(d, "select_star",
                        json_string(dataset_select_star(a, backend, pg_get(r, 0, T_CATALOG), pg_get(r, 0, T_SCHEMA),
                                                            pg_get(r, 0, T_TABLE))));
    json_object_set_new(d, "granularity_sqla", granularity(columns, pg_get(r, 0, T_MAIN_DTTM)));
    json_object_set_new(d, "time_grain_sqla", time_grains(cfg, backend));
    json_object_set_new(d, "database", database);
    json_object_set_new(d, "columns", columns);
    json_object_set_new(d, "metrics", metrics);
    json_object_set_new(d, "owners", owners);
    return d;
}

/* ---- SQL Lab query datasources ---- */

/* TableColumn.data of a transient column built from a result column. */
static json_t *query_column(const json_t *col) {
    const char *name = json_string_value(json_object_get(col, "column_name"));
    const json_t *type = json_object_get(col, "type");
    bool dttm = json_is_true(json_object_get(col, "is_dttm"));
    int generic = dttm ? GT_TEMPORAL : dataset_generic_type(json_string_value(type));
    json_t *c = json_object();
    json_object_set_new(c, "advanced_data_type", json_null());
    json_object_set_new(c, "certification_details", json_null());
    json_object_set_new(c, "certified_by", json_null());
    json_object_set_new(c, "column_name", name ? json_string(name) : json_null());
    json_object_set_new(c, "description", json_null());
    json_object_set_new(c, "expression", json_null());
    json_object_set_new(c, "filterable", json_true());
    json_object_set_new(c, "groupby", json_true());
    json_object_set_new(c, "id", json_null());
    json_object_set_new(c, "uuid", json_null());
    json_object_set_new(c, "is_certified", json_false());
    json_object_set_new(c, "is_dttm", json_boolean(dttm));
    json_object_set_new(c, "python_date_format", json_null());
    json_object_set(c, "type", type ? (json_t *)type : json_null());
    json_object_set_new(c, "type_generic", generic < 0 ? json_null() : json_integer(generic));
    json_object_set_new(c, "verbose_name", json_null());
    json_object_set_new(c, "warning_markdown", json_null());
    return c;
}

json_t *query_datasource_payload(pg_pool_t *pg, arena_t *a, const config_t *cfg, int64_t id, bool *found,
                                 pg_error_t *err) {
    *found = true;
    const model_computed_t *backend_sql = model_computed(&model_database, "backend");
    const char *p[] = {id_text(a, id)};
    pg_result_t *r = pg_query(pg, a, err,
                              arena_sprintf(a,
                                            "SELECT q.id, q.tab_name, q.sql, q.catalog, q.schema, q.database_id,"
                                            " q.extra_json, (SELECT %s FROM dbs t WHERE t.id = q.database_id)"
                                            " FROM query q WHERE q.id = $1::int",
                                            backend_sql ? backend_sql->sql : "NULL"),
                              1, p);
    if (!r) return NULL;
    if (!pg_nrows(r)) {
        *found = false;
        return NULL;
    }
    json_t *extra = pg_get(r, 0, 6) ? json_loads(pg_get(r, 0, 6), 0, NULL) : NULL;
    json_t *columns = json_array();
    size_t i;
    json_t *col;
    json_array_foreach(json_object_get(extra, "columns"), i, col) json_array_append_new(columns, query_column(col));
    json_decref(extra);
    const char *backend = pg_get(r, 0, 7);
    json_t *d = json_object();
    json_object_set_new(d, "time_grain_sqla", time_grains(cfg, backend));
    json_object_set_new(d, "filter_select", json_true());
    json_object_set_new(d, "name", text_or_null(r, 0, 1));
    json_object_set_new(d, "order_by_choices", json_array());
    size_t n = json_array_size(columns);
    for (i = 0; i < n; i++) {
        const char *name = json_string_value(json_object_get(json_array_get(columns, i), "column_name"));
        for (int asc = 1; asc >= 0; asc--) {
            json_t *pair = json_pack("[sb]", name ? name : "", asc);
            char *key = json_dump_arena(a, pair, JSON_PY_DEFAULT, NULL);
            json_decref(pair);
            json_array_append_new(json_object_get(d, "order_by_choices"),
                                  json_pack("[ss]", key ? key : "",
                                            arena_sprintf(a, "%s %s", name ? name : "", asc ? "[asc]" : "[desc]")));
        }
    }
    json_object_set_new(d, "columns", columns);
    json_object_set_new(d, "metrics", json_array());
    json_object_set_new(d, "id", json_integer(pg_get_int(r, 0, 0, 0)));
    json_object_set_new(d, "type", json_string("query"));
    json_object_set_new(d, "sql", text_or_null(r, 0, 2));
    json_object_set_new(d, "owners", json_array());
    json_object_set_new(d, "database", json_pack("{s:I,s:o}", "id", (json_int_t)pg_get_int(r, 0, 5, 0), "backend",
                                                 text_or_null(r, 0, 7)));
    json_object_set_new(d, "catalog", text_or_null(r, 0, 3));
    json_object_set_new(d, "schema", text_or_null(r, 0, 4));
    json_object_set_new(d, "verbose_map", json_object());
    return d;
}
