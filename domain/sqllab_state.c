/* SQL Lab editor state; see sqllab_state.h. */
#include "domain/sqllab_state.h"

#include <stdio.h>
#include <string.h>

#include "lib/json.h"
#include "lib/log.h"
#include "lib/strbuf.h"
#include "persistence/pg_json.h"

/* ---- helpers ---- */

static sqllab_result_t result(sqllab_status_t st, const char *message) {
    sqllab_result_t r = {st, message, 0};
    return r;
}

/* Constraint and cast failures are the client's (400 in the reference,
 * which reports the driver's message); the rest are server errors. */
static sqllab_result_t db_failed(arena_t *a, const char *what, const pg_error_t *err) {
    const char *msg = err->message ? err->message : "database error";
    bool data_or_constraint = err->sqlstate[0] == '2' && (err->sqlstate[1] == '2' || err->sqlstate[1] == '3');
    if (err->status == PG_ERR_QUERY && data_or_constraint)
        return result(SQLLAB_INVALID, arena_strdup(a, msg));
    log_error("sqllab %s: %s", what, msg);
    return result(SQLLAB_ERROR, arena_strdup(a, msg));
}

static const char *id_text(arena_t *a, int64_t id) { return arena_sprintf(a, "%lld", (long long)id); }

/* A JSON value as the text of a bound parameter, as psycopg2 adapts Python
 * values: NULL for None, Python's spelling for numbers and booleans. Objects
 * and arrays cannot be adapted (*bad names the type). */
static const char *param_of(arena_t *a, const json_t *v, const char **bad) {
    *bad = NULL;
    if (!v || json_is_null(v)) return NULL;
    if (json_is_string(v)) return json_string_value(v);
    if (json_is_true(v)) return "true";
    if (json_is_false(v)) return "false";
    if (json_is_integer(v)) return id_text(a, (int64_t)json_integer_value(v));
    if (json_is_real(v)) return json_dump_arena(a, v, JSON_ENCODE_ANY | JSON_PY_DEFAULT, NULL);
    *bad = json_is_object(v) ? "dict" : "list";
    return NULL;
}

static sqllab_result_t cannot_adapt(arena_t *a, const char *type) {
    return result(SQLLAB_INVALID, arena_sprintf(a, "can't adapt type '%s'", type));
}

/* Runs the statements of fn in one transaction. */
typedef sqllab_result_t (*tx_fn)(pg_conn_t *c, arena_t *a, void *ud);

static sqllab_result_t in_transaction(pg_pool_t *pg, arena_t *a, tx_fn fn, void *ud) {
    pg_error_t err;
    pg_conn_t *c = pg_acquire(pg, a, &err);
    if (!c) return db_failed(a, "connect", &err);
    sqllab_result_t r = pg_begin(c, a, &err) ? fn(c, a, ud) : db_failed(a, "begin", &err);
    if (r.status == SQLLAB_OK && !pg_commit(c, a, &err)) r = db_failed(a, "commit", &err);
    if (r.status != SQLLAB_OK) pg_rollback(c, a, &err);
    pg_release(c);
    return r;
}

/* Python's datetime.isoformat() of a timestamp column. */
#define ISO(col)                                                                                                   \
    "CASE WHEN extract(microseconds FROM " col ")::bigint % 1000000 = 0 THEN to_char(" col                        \
    ", 'YYYY-MM-DD\"T\"HH24:MI:SS') ELSE to_char(" col ", 'YYYY-MM-DD\"T\"HH24:MI:SS.US') END"

/* ExtraJSONMixin.extra: the parsed text, or {} when empty, falsy or unreadable. */
static json_t *extra_of(const char *text) {
    json_t *v = text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
    bool falsy = !v || json_is_null(v) || json_is_false(v) || (json_is_string(v) && !*json_string_value(v)) ||
                 (json_is_object(v) && !json_object_size(v)) || (json_is_array(v) && !json_array_size(v)) ||
                 (json_is_integer(v) && !json_integer_value(v)) || (json_is_real(v) && json_real_value(v) == 0);
    if (falsy) {
        json_decref(v);
        return json_object();
    }
    return v;
}

/* ---- payloads ---- */

/* Query.to_dict's columns; rows are turned into dicts by query_row. */
#define QUERY_SELECT                                                                                          \
    "SELECT " ISO("q.changed_on") ", q.database_id, d.database_name, q.end_time::float8, q.error_message,"     \
    " q.executed_sql, q.client_id, q.id, q.\"limit\", q.limiting_factor, q.progress, q.rows, q.catalog,"        \
    " q.schema, q.select_as_cta, q.sql, q.sql_editor_id, q.start_time::float8, lower(q.status), q.tab_name,"   \
    " q.tmp_schema_name, q.tmp_table_name, q.user_id,"                                                        \
    " CASE WHEN u.id IS NULL THEN NULL WHEN coalesce(u.first_name, '') <> '' AND coalesce(u.last_name, '')"   \
    " <> '' THEN u.first_name || ' ' || u.last_name ELSE u.username END, q.results_key, q.tracking_url,"      \
    " q.extra_json FROM query q LEFT JOIN dbs d ON d.id = q.database_id LEFT JOIN ab_user u ON u.id = q.user_id"

static json_t *query_row(const pg_result_t *r, int row) {
    json_t *q = json_object();
    json_object_set_new(q, "changed_on", pg_json_text(r, row, 0));
    json_object_set_new(q, "dbId", pg_json_int(r, row, 1));
    json_object_set_new(q, "db", pg_json_text(r, row, 2));
    json_object_set_new(q, "endDttm", pg_json_real(r, row, 3));
    json_object_set_new(q, "errorMessage", pg_json_text(r, row, 4));
    json_object_set_new(q, "executedSql", pg_json_text(r, row, 5));
    json_object_set_new(q, "id", pg_json_text(r, row, 6));
    json_object_set_new(q, "queryId", pg_json_int(r, row, 7));
    json_object_set_new(q, "limit", pg_json_int(r, row, 8));
    json_object_set_new(q, "limitingFactor", pg_json_text(r, row, 9));
    json_object_set_new(q, "progress", pg_json_int(r, row, 10));
    json_object_set_new(q, "rows", pg_json_int(r, row, 11));
    json_object_set_new(q, "catalog", pg_json_text(r, row, 12));
    json_object_set_new(q, "schema", pg_json_text(r, row, 13));
    json_object_set_new(q, "ctas", pg_json_bool(r, row, 14));
    json_object_set_new(q, "serverId", pg_json_int(r, row, 7));
    json_object_set_new(q, "sql", pg_json_text(r, row, 15));
    json_object_set_new(q, "sqlEditorId", pg_json_text(r, row, 16));
    json_object_set_new(q, "startDttm", pg_json_real(r, row, 17));
    json_object_set_new(q, "state", pg_json_text(r, row, 18));
    json_object_set_new(q, "tab", pg_json_text(r, row, 19));
    json_object_set_new(q, "tempSchema", pg_json_text(r, row, 20));
    json_object_set_new(q, "tempTable", pg_json_text(r, row, 21));
    json_object_set_new(q, "userId", pg_json_int(r, row, 22));
    json_object_set_new(q, "user", pg_json_text(r, row, 23));
    json_object_set_new(q, "resultsKey", pg_json_text(r, row, 24));
    json_object_set_new(q, "trackingUrl", pg_json_text(r, row, 25));
    json_object_set_new(q, "extra", extra_of(pg_get(r, row, 26)));
    return q;
}

static json_t *query_dict(pg_pool_t *pg, arena_t *a, const char *client_id) {
    pg_error_t err;
    pg_result_t *r = pg_query(pg, a, &err, QUERY_SELECT " WHERE q.client_id = $1 LIMIT 1", 1, &client_id);
    if (!r) {
        log_error("sqllab latest query: %s", err.message ? err.message : "database error");
        return NULL;
    }
    return pg_nrows(r) ? query_row(r, 0) : json_null();
}

json_t *sqllab_queries_changed_since(pg_pool_t *pg, arena_t *a, int64_t user_id, double since_ms) {
    pg_error_t err;
    const char *p[2] = {id_text(a, user_id), arena_sprintf(a, "%.17g", since_ms / 1000)};
    pg_result_t *r = pg_query(pg, a, &err,
                              QUERY_SELECT " WHERE q.user_id = $1::int"
                                           " AND q.changed_on >= to_timestamp($2::float8) AT TIME ZONE 'UTC'"
                                           " ORDER BY q.id",
                              2, p);
    if (!r) {
        log_error("sqllab queries changed since: %s", err.message ? err.message : "database error");
        return NULL;
    }
    json_t *list = json_array();
    for (int i = 0; i < pg_nrows(r); i++) json_array_append_new(list, query_row(r, i));
    return list;
}

static json_t *table_schemas(pg_pool_t *pg, arena_t *a, const char *tab_id) {
    pg_error_t err;
    pg_result_t *r = pg_query(pg, a, &err,
                              "SELECT id, tab_state_id, database_id, catalog, schema, \"table\", description, expanded"
                              " FROM table_schema WHERE tab_state_id = $1::int ORDER BY id",
                              1, &tab_id);
    if (!r) {
        log_error("sqllab table schemas: %s", err.message ? err.message : "database error");
        return NULL;
    }
    json_t *list = json_array();
    for (int i = 0; i < pg_nrows(r); i++) {
        const char *desc = pg_get(r, i, 6);
        json_t *d = desc ? json_loads(desc, JSON_DECODE_ANY, NULL) : NULL;
        json_array_append_new(list, json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id", pg_json_int(r, i, 0),
                                              "tab_state_id", pg_json_int(r, i, 1), "database_id", pg_json_int(r, i, 2),
                                              "catalog", pg_json_text(r, i, 3), "schema", pg_json_text(r, i, 4),
                                              "table", pg_json_text(r, i, 5), "description", d ? d : json_null(),
                                              "expanded", pg_json_bool(r, i, 7)));
    }
    return list;
}

json_t *sqllab_tab_dict(pg_pool_t *pg, arena_t *a, int64_t tab_id) {
    pg_error_t err;
    const char *id = id_text(a, tab_id);
    pg_result_t *r = pg_query(pg, a, &err,
                              "SELECT id, user_id, label, active, database_id, catalog, schema, sql, query_limit,"
                              " latest_query_id, autorun, template_params, hide_left_bar, saved_query_id, extra_json"
                              " FROM tab_state WHERE id = $1::int",
                              1, &id);
    if (!r) {
        log_error("sqllab tab: %s", err.message ? err.message : "database error");
        return NULL;
    }
    if (pg_nrows(r) == 0) return NULL;
    json_t *schemas = table_schemas(pg, a, id);
    const char *latest_id = pg_get(r, 0, 9);
    json_t *latest = latest_id ? query_dict(pg, a, latest_id) : json_null();
    if (!schemas || !latest) {
        json_decref(schemas);
        json_decref(latest);
        return NULL;
    }
    json_t *t = json_object();
    json_object_set_new(t, "id", pg_json_int(r, 0, 0));
    json_object_set_new(t, "user_id", pg_json_int(r, 0, 1));
    json_object_set_new(t, "label", pg_json_text(r, 0, 2));
    json_object_set_new(t, "active", pg_json_bool(r, 0, 3));
    json_object_set_new(t, "database_id", pg_json_int(r, 0, 4));
    json_object_set_new(t, "catalog", pg_json_text(r, 0, 5));
    json_object_set_new(t, "schema", pg_json_text(r, 0, 6));
    json_object_set_new(t, "table_schemas", schemas);
    json_object_set_new(t, "sql", pg_json_text(r, 0, 7));
    json_object_set_new(t, "query_limit", pg_json_int(r, 0, 8));
    json_object_set_new(t, "latest_query", latest);
    json_object_set_new(t, "autorun", pg_json_bool(r, 0, 10));
    json_object_set_new(t, "template_params", pg_json_text(r, 0, 11));
    json_object_set_new(t, "hide_left_bar", pg_json_bool(r, 0, 12));
    json_object_set_new(t, "saved_query",
                        pg_isnull(r, 0, 13) ? json_null() : json_pack("{s:o}", "id", pg_json_int(r, 0, 13)));
    json_object_set_new(t, "extra_json", extra_of(pg_get(r, 0, 14)));
    return t;
}

sqllab_status_t sqllab_tab_owner(pg_pool_t *pg, arena_t *a, int64_t tab_id, int64_t user_id) {
    pg_error_t err;
    const char *id = id_text(a, tab_id);
    pg_result_t *r = pg_query(pg, a, &err, "SELECT user_id FROM tab_state WHERE id = $1::int", 1, &id);
    if (!r) {
        log_error("sqllab tab owner: %s", err.message ? err.message : "database error");
        return SQLLAB_ERROR;
    }
    /* the reference's `owner_id is None` also covers a tab without a user */
    if (pg_nrows(r) == 0 || pg_isnull(r, 0, 0)) return SQLLAB_NOT_FOUND;
    return pg_get_int(r, 0, 0, 0) == user_id ? SQLLAB_OK : SQLLAB_FORBIDDEN;
}

bool sqllab_bootstrap_tabs(pg_pool_t *pg, arena_t *a, int64_t user_id, json_t **tab_ids, json_t **active_tab) {
    pg_error_t err;
    const char *uid = id_text(a, user_id);
    pg_result_t *r = pg_query(pg, a, &err, "SELECT id, label FROM tab_state WHERE user_id = $1::int ORDER BY id", 1,
                              &uid);
    pg_result_t *act = r ? pg_query(pg, a, &err,
                                    "SELECT id FROM tab_state WHERE user_id = $1::int ORDER BY active DESC, id LIMIT 1",
                                    1, &uid)
                         : NULL;
    if (!r || !act) {
        log_error("sqllab bootstrap: %s", err.message ? err.message : "database error");
        return false;
    }
    *tab_ids = json_array();
    for (int i = 0; i < pg_nrows(r); i++)
        json_array_append_new(*tab_ids, json_pack("[o,o]", pg_json_int(r, i, 0), pg_json_text(r, i, 1)));
    *active_tab = pg_nrows(act) ? sqllab_tab_dict(pg, a, pg_get_int(act, 0, 0, 0)) : json_null();
    if (!*active_tab) {
        json_decref(*tab_ids);
        return false;
    }
    return true;
}

/* ---- tab writes ---- */

typedef struct create_args {
    int64_t user_id;
    const json_t *qe;
} create_args_t;

/* query_editor.get(name) or query_editor.get(title, default) */
static const json_t *truthy(const json_t *v) {
    if (!v || json_is_null(v) || json_is_false(v)) return NULL;
    if (json_is_string(v) && !*json_string_value(v)) return NULL;
    if ((json_is_integer(v) && !json_integer_value(v)) || (json_is_real(v) && json_real_value(v) == 0)) return NULL;
    if ((json_is_object(v) && !json_object_size(v)) || (json_is_array(v) && !json_array_size(v))) return NULL;
    return v;
}

static sqllab_result_t create_tx(pg_conn_t *c, arena_t *a, void *ud) {
    const create_args_t *args = ud;
    const json_t *qe = args->qe;
    /* query_editor.get("name") or query_editor.get("title", "Untitled Query") */
    const json_t *label = truthy(json_object_get(qe, "name"));
    if (!label) label = json_object_get(qe, "title");
    const json_t *values[] = {
        label,
        json_object_get(qe, "dbId"),
        json_object_get(qe, "catalog"),
        json_object_get(qe, "schema"),
        json_object_get(qe, "sql"),
        json_object_get(qe, "queryLimit"),
        json_object_get(qe, "hideLeftBar"),
        json_object_get(qe, "remoteId"),
        json_object_get(qe, "templateParams"),
    };
    const char *p[10];
    const char *bad = NULL;
    for (size_t i = 0; i < sizeof values / sizeof values[0] && !bad; i++) p[i] = param_of(a, values[i], &bad);
    if (bad) return cannot_adapt(a, bad);
    if (!label) p[0] = "Untitled Query";
    if (!values[4]) p[4] = "SELECT ...";
    p[9] = id_text(a, args->user_id);
    pg_error_t err;
    if (!pg_conn_query(c, a, &err, "UPDATE tab_state SET active = false WHERE user_id = $1::int", 1, &p[9]))
        return db_failed(a, "deactivate tabs", &err);
    pg_result_t *r = pg_conn_query(
        c, a, &err,
        "INSERT INTO tab_state (created_on, changed_on, extra_json, user_id, label, active, database_id, catalog,"
        " schema, sql, query_limit, autorun, hide_left_bar, saved_query_id, template_params, created_by_fk,"
        " changed_by_fk) VALUES (localtimestamp, localtimestamp, '{}', $10::int, $1, true, $2::int, $3, $4, $5,"
        " $6::int, false, $7::boolean, $8::int, $9, $10::int, $10::int) RETURNING id",
        10, p);
    if (!r) return db_failed(a, "create tab", &err);
    sqllab_result_t ok = result(SQLLAB_OK, NULL);
    ok.id = pg_get_int(r, 0, 0, 0);
    return ok;
}

sqllab_result_t sqllab_tab_create(pg_pool_t *pg, arena_t *a, int64_t user_id, const json_t *query_editor) {
    if (!json_is_object(query_editor)) return result(SQLLAB_INVALID, "'queryEditor' is not an object");
    if (!json_object_get(query_editor, "dbId")) return result(SQLLAB_INVALID, "'dbId'");
    create_args_t args = {user_id, query_editor};
    return in_transaction(pg, a, create_tx, &args);
}

typedef struct tab_column {
    const char *name;
    const char *cast; /* SQL cast of the bound text */
} tab_column_t;

/* The columns the editor writes. id, user_id and the audit columns are not
 * settable: the reference lets a PUT rewrite them (docs/compatibility.md). */
static const tab_column_t tab_columns[] = {
    {"label", ""},          {"active", "::boolean"},     {"database_id", "::int"},   {"schema", ""},
    {"catalog", ""},        {"sql", ""},                 {"query_limit", "::int"},   {"latest_query_id", ""},
    {"autorun", "::boolean"}, {"template_params", ""},   {"hide_left_bar", "::boolean"}, {"saved_query_id", "::int"},
    {"extra_json", ""},
};

static const char *const protected_columns[] = {"id", "user_id", "created_on", "changed_on", "created_by_fk",
                                                "changed_by_fk"};

typedef struct update_args {
    int64_t tab_id, user_id;
    const json_t *fields;
} update_args_t;

static sqllab_result_t update_tx(pg_conn_t *c, arena_t *a, void *ud) {
    const update_args_t *args = ud;
    strbuf_t sql;
    strbuf_init_arena(&sql, a, 256);
    const char *p[24];
    int n = 0;
    p[n++] = id_text(a, args->tab_id);
    p[n++] = id_text(a, args->user_id);
    strbuf_puts(&sql, "UPDATE tab_state SET changed_on = localtimestamp, changed_by_fk = $2::int");
    const char *key;
    const json_t *value;
    json_object_foreach((json_t *)args->fields, key, value) {
        const tab_column_t *col = NULL;
        for (size_t i = 0; i < sizeof tab_columns / sizeof tab_columns[0] && !col; i++)
            if (!strcmp(key, tab_columns[i].name)) col = &tab_columns[i];
        if (!col) {
            for (size_t i = 0; i < sizeof protected_columns / sizeof protected_columns[0]; i++)
                if (!strcmp(key, protected_columns[i]))
                    return result(SQLLAB_INVALID, arena_sprintf(a, "Tab state field %s cannot be changed", key));
            return result(SQLLAB_INVALID,
                          arena_sprintf(a, "Entity namespace for \"tab_state\" has no property \"%s\"", key));
        }
        const char *bad;
        p[n] = param_of(a, value, &bad);
        if (bad) return cannot_adapt(a, bad);
        n++;
        strbuf_printf(&sql, ", %s = $%d%s", col->name, n, col->cast);
    }
    strbuf_puts(&sql, " WHERE id = $1::int AND user_id = $2::int");
    pg_error_t err;
    if (!pg_conn_query(c, a, &err, sql.data, n, p)) return db_failed(a, "update tab", &err);
    return result(SQLLAB_OK, NULL);
}

sqllab_result_t sqllab_tab_update(pg_pool_t *pg, arena_t *a, int64_t tab_id, int64_t user_id, const json_t *fields) {
    /* every column at most once: more fields than columns cannot be valid */
    if (json_object_size(fields) > sizeof tab_columns / sizeof tab_columns[0])
        return result(SQLLAB_INVALID, "too many fields");
    update_args_t args = {tab_id, user_id, fields};
    return in_transaction(pg, a, update_tx, &args);
}

/* A fixed list of statements sharing their parameters. */
typedef struct statements {
    const char *const *sql;
    const char *const *params;
    int nparams;
} statements_t;

static sqllab_result_t statements_tx(pg_conn_t *c, arena_t *a, void *ud) {
    const statements_t *s = ud;
    pg_error_t err;
    for (const char *const *q = s->sql; *q; q++)
        if (!pg_conn_query(c, a, &err, *q, s->nparams, s->params)) return db_failed(a, "tab state", &err);
    return result(SQLLAB_OK, NULL);
}

/* $1 = id, then $2 = user id and $3 = text as nparams asks. */
static sqllab_result_t run_statements(pg_pool_t *pg, arena_t *a, const char *const *sql, int nparams, int64_t id,
                                      int64_t user_id, const char *text) {
    const char *params[3] = {id_text(a, id), id_text(a, user_id), text};
    statements_t s = {sql, params, nparams};
    return in_transaction(pg, a, statements_tx, &s);
}

sqllab_result_t sqllab_tab_delete(pg_pool_t *pg, arena_t *a, int64_t tab_id) {
    static const char *const sql[] = {
        "DELETE FROM table_schema WHERE tab_state_id = $1::int",
        "DELETE FROM tab_state WHERE id = $1::int",
        NULL,
    };
    return run_statements(pg, a, sql, 1, tab_id, 0, NULL);
}

sqllab_result_t sqllab_tab_activate(pg_pool_t *pg, arena_t *a, int64_t tab_id, int64_t user_id) {
    static const char *const sql[] = {
        "UPDATE tab_state SET active = (id = $1::int) WHERE user_id = $2::int",
        NULL,
    };
    return run_statements(pg, a, sql, 2, tab_id, user_id, NULL);
}

sqllab_result_t sqllab_tab_migrate_query(pg_pool_t *pg, arena_t *a, int64_t tab_id, int64_t user_id,
                                         const char *client_id) {
    static const char *const sql[] = {
        "UPDATE query SET sql_editor_id = $1::int::text WHERE client_id = $3 AND user_id = $2::int",
        NULL,
    };
    return run_statements(pg, a, sql, 3, tab_id, user_id, client_id);
}

sqllab_result_t sqllab_tab_delete_query(pg_pool_t *pg, arena_t *a, int64_t tab_id, int64_t user_id,
                                        const char *client_id) {
    static const char *const sql[] = {
        "UPDATE tab_state SET latest_query_id = (SELECT q.client_id FROM query q WHERE q.client_id <> $3"
        " AND q.user_id = $2::int AND q.sql_editor_id = $1::int::text ORDER BY q.id DESC LIMIT 1)"
        " WHERE id = $1::int AND latest_query_id = $3",
        "DELETE FROM query WHERE client_id = $3 AND user_id = $2::int AND sql_editor_id = $1::int::text",
        NULL,
    };
    return run_statements(pg, a, sql, 3, tab_id, user_id, client_id);
}

/* ---- table schemas ---- */

typedef struct schema_args {
    const char *p[7];
} schema_args_t;

static sqllab_result_t schema_create_tx(pg_conn_t *c, arena_t *a, void *ud) {
    schema_args_t *s = ud;
    pg_error_t err;
    if (!pg_conn_query(c, a, &err,
                       "DELETE FROM table_schema WHERE tab_state_id = $1::int AND database_id = $2::int"
                       " AND catalog IS NOT DISTINCT FROM $3 AND schema IS NOT DISTINCT FROM $4"
                       " AND \"table\" IS NOT DISTINCT FROM $5",
                       5, s->p))
        return db_failed(a, "replace table schema", &err);
    pg_result_t *r = pg_conn_query(c, a, &err,
                                   "INSERT INTO table_schema (created_on, changed_on, extra_json, tab_state_id,"
                                   " database_id, catalog, schema, \"table\", description, expanded, created_by_fk,"
                                   " changed_by_fk) VALUES (localtimestamp, localtimestamp, '{}', $1::int, $2::int,"
                                   " $3, $4, $5, $6, true, $7::int, $7::int) RETURNING id",
                                   7, s->p);
    if (!r) return db_failed(a, "create table schema", &err);
    sqllab_result_t ok = result(SQLLAB_OK, NULL);
    ok.id = pg_get_int(r, 0, 0, 0);
    return ok;
}

sqllab_result_t sqllab_table_schema_create(pg_pool_t *pg, arena_t *a, int64_t user_id, const json_t *table,
                                           const char *table_json) {
    static const char *const required[] = {"queryEditorId", "dbId", "schema", "name"};
    if (!json_is_object(table)) return result(SQLLAB_INVALID, "'table' is not an object");
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (!json_object_get(table, required[i])) return result(SQLLAB_INVALID, arena_sprintf(a, "'%s'", required[i]));
    schema_args_t s;
    const json_t *values[] = {json_object_get(table, "queryEditorId"), json_object_get(table, "dbId"),
                              json_object_get(table, "catalog"), json_object_get(table, "schema"),
                              json_object_get(table, "name")};
    for (size_t i = 0; i < 5; i++) {
        const char *bad;
        s.p[i] = param_of(a, values[i], &bad);
        if (bad) return cannot_adapt(a, bad);
    }
    s.p[5] = table_json;
    s.p[6] = id_text(a, user_id);
    /* the tab must be the user's (the reference does not check) */
    int64_t tab_id = 0;
    if (!s.p[0] || sscanf(s.p[0], "%lld", (long long *)&tab_id) != 1) return result(SQLLAB_NOT_FOUND, NULL);
    sqllab_status_t owner = sqllab_tab_owner(pg, a, tab_id, user_id);
    if (owner != SQLLAB_OK) return result(owner, NULL);
    return in_transaction(pg, a, schema_create_tx, &s);
}

/* SQLLAB_OK when the schema row is absent (the reference answers as if done)
 * or belongs to one of the user's tabs; FORBIDDEN otherwise. */
static sqllab_status_t schema_owner(pg_pool_t *pg, arena_t *a, int64_t schema_id, int64_t user_id) {
    pg_error_t err;
    const char *p[2] = {id_text(a, schema_id), id_text(a, user_id)};
    pg_result_t *r = pg_query(pg, a, &err,
                              "SELECT ts.user_id = $2::int FROM table_schema s LEFT JOIN tab_state ts"
                              " ON ts.id = s.tab_state_id WHERE s.id = $1::int",
                              2, p);
    if (!r) {
        log_error("sqllab table schema owner: %s", err.message ? err.message : "database error");
        return SQLLAB_ERROR;
    }
    if (pg_nrows(r) == 0) return SQLLAB_OK;
    return pg_get_bool(r, 0, 0, false) ? SQLLAB_OK : SQLLAB_FORBIDDEN;
}

sqllab_result_t sqllab_table_schema_delete(pg_pool_t *pg, arena_t *a, int64_t schema_id, int64_t user_id) {
    static const char *const sql[] = {"DELETE FROM table_schema WHERE id = $1::int", NULL};
    sqllab_status_t owner = schema_owner(pg, a, schema_id, user_id);
    if (owner != SQLLAB_OK) return result(owner, NULL);
    return run_statements(pg, a, sql, 1, schema_id, user_id, NULL);
}

sqllab_result_t sqllab_table_schema_expand(pg_pool_t *pg, arena_t *a, int64_t schema_id, int64_t user_id,
                                           bool expanded) {
    static const char *const sql[] = {"UPDATE table_schema SET expanded = $3::boolean, changed_on = localtimestamp,"
                                      " changed_by_fk = $2::int WHERE id = $1::int",
                                      NULL};
    sqllab_status_t owner = schema_owner(pg, a, schema_id, user_id);
    if (owner != SQLLAB_OK) return result(owner, NULL);
    return run_statements(pg, a, sql, 3, schema_id, user_id, expanded ? "true" : "false");
}
