/* Schema migration on a blocking libpq connection; see migrate.h.
 *
 * The check and the creation run in one transaction that first takes a
 * transaction-level advisory lock: a second concurrent `db upgrade` waits for
 * the first to commit, then sees the stamp and reports "already at head". */
#include "persistence/migrate.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/strbuf.h"

/* Lock id shared by every Liteset process: the bytes of "LSdbupgr". */
#define MIGRATE_LOCK_KEY "5499849943989380978"

/* Tables of the head schema besides alembic_version. Finding any of them in an
 * unstamped database means it is not empty: Liteset must not touch it. */
static const char *const superset_tables[] = {
    "ab_group", "ab_group_role", "ab_permission", "ab_permission_view",
    "ab_permission_view_role", "ab_register_user", "ab_role", "ab_user",
    "ab_user_group", "ab_user_role", "ab_view_menu", "annotation",
    "annotation_layer", "cache_keys", "css_templates", "dashboard_roles",
    "dashboard_slices", "dashboard_user", "dashboards", "database_user_oauth2_tokens",
    "dbs", "dynamic_plugin", "embedded_dashboards", "favstar", "key_value", "keyvalue",
    "logs", "query", "report_execution_log", "report_recipient", "report_schedule",
    "report_schedule_user", "rls_filter_roles", "rls_filter_tables",
    "row_level_security_filters", "saved_query", "slice_user", "slices", "sql_metrics",
    "sqlatable_user", "ssh_tunnels", "tab_state", "table_columns", "table_schema",
    "tables", "tag", "tagged_object", "themes", "user_attribute", "user_favorite_tag",
};

#define ADVICE                                                                       \
    "Liteset supports exactly Superset 6.0.0's head " MIGRATE_HEAD_REVISION         \
    ": upgrade it with Superset 6.0.0's `superset db upgrade` first (a database "   \
    "from a newer Superset cannot be used)"

/* What the database holds before any change. */
typedef struct db_state {
    bool has_version_table;
    int n_revisions;
    char *revisions;       /* heap; joined with ", " */
    int n_superset_tables;
    char *some_tables;     /* heap; first few names, joined with ", " */
} db_state_t;


/* Server error text without libpq's trailing newline, as a heap string. */
static char *pg_error(const char *what, PGconn *conn, const PGresult *res) {
    const char *e = res ? PQresultErrorMessage(res) : PQerrorMessage(conn);
    if (!e || !*e) e = PQerrorMessage(conn);
    size_t n = strlen(e);
    while (n && (e[n - 1] == '\n' || e[n - 1] == ' ')) n--;
    return xasprintf("%s: %.*s", what, (int)n, e);
}

/* Runs a command expected to succeed; on failure sets *msg. */
static bool exec_ok(PGconn *conn, const char *sql, const char *what, char **msg) {
    PGresult *res = PQexec(conn, sql);
    ExecStatusType st = PQresultStatus(res);
    bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
    if (!ok) *msg = pg_error(what, conn, res);
    PQclear(res);
    return ok;
}

/* Heap string "a, b, c" from column 0 of the first `max` rows (all if max < 0). */
static char *join_column(const PGresult *res, int max) {
    strbuf_t sb;
    strbuf_init(&sb, 64);
    int n = PQntuples(res);
    if (max >= 0 && n > max) n = max;
    for (int i = 0; i < n; i++) {
        if (i) strbuf_puts(&sb, ", ");
        strbuf_puts(&sb, PQgetvalue(res, i, 0));
    }
    return sb.data;
}

/* Postgres array literal {a,b,...} of the known table names (plain identifiers). */
static char *table_array_literal(void) {
    strbuf_t sb;
    strbuf_init(&sb, 1024);
    strbuf_putc(&sb, '{');
    for (size_t i = 0; i < sizeof superset_tables / sizeof superset_tables[0]; i++) {
        if (i) strbuf_putc(&sb, ',');
        strbuf_puts(&sb, superset_tables[i]);
    }
    strbuf_putc(&sb, '}');
    return sb.data;
}

static void state_free(db_state_t *s) {
    free(s->revisions);
    free(s->some_tables);
}

static bool read_version_table(PGconn *conn, db_state_t *s, char **msg) {
    PGresult *res = PQexec(conn, "SELECT to_regclass('public.alembic_version') IS NOT NULL");
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        *msg = pg_error("cannot inspect the database", conn, res);
        PQclear(res);
        return false;
    }
    s->has_version_table = !strcmp(PQgetvalue(res, 0, 0), "t");
    PQclear(res);
    if (!s->has_version_table) return true;

    res = PQexec(conn, "SELECT version_num FROM public.alembic_version ORDER BY version_num");
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        *msg = pg_error("cannot read alembic_version", conn, res);
        PQclear(res);
        return false;
    }
    s->n_revisions = PQntuples(res);
    s->revisions = join_column(res, -1);
    PQclear(res);
    return true;
}

static bool read_superset_tables(PGconn *conn, db_state_t *s, char **msg) {
    static const char sql[] =
        "SELECT c.relname FROM pg_catalog.pg_class c"
        " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'public' AND c.relname = ANY($1::text[])"
        " ORDER BY c.relname";
    char *names = table_array_literal();
    const char *params[1] = {names};
    PGresult *res = PQexecParams(conn, sql, 1, NULL, params, NULL, NULL, 0);
    free(names);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        *msg = pg_error("cannot inspect the database", conn, res);
        PQclear(res);
        return false;
    }
    s->n_superset_tables = PQntuples(res);
    s->some_tables = join_column(res, 5);
    PQclear(res);
    return true;
}

/* Decides the outcome from the state alone. Returns MIGRATE_CREATED when the
 * database is empty (the caller then creates the schema). */
static migrate_status_t judge(const db_state_t *s, char **msg) {
    if (s->has_version_table && s->n_revisions == 1 &&
        !strcmp(s->revisions, MIGRATE_HEAD_REVISION)) {
        *msg = xasprintf("database is already at head " MIGRATE_HEAD_REVISION
                    " (Superset 6.0.0); nothing to do");
        return MIGRATE_AT_HEAD;
    }
    if (s->has_version_table && s->n_revisions == 1) {
        *msg = xasprintf("database is at revision %s; " ADVICE, s->revisions);
        return MIGRATE_REFUSED;
    }
    if (s->has_version_table && s->n_revisions > 1) {
        *msg = xasprintf("database has several alembic revisions (%s); " ADVICE, s->revisions);
        return MIGRATE_REFUSED;
    }
    if (s->has_version_table) {
        *msg = xasprintf("database has an empty alembic_version table (no revision); " ADVICE);
        return MIGRATE_REFUSED;
    }
    if (s->n_superset_tables > 0) {
        *msg = xasprintf("database has %d Superset table(s) (%s%s) but no alembic_version; "
                    "refusing to touch it. " ADVICE,
                    s->n_superset_tables, s->some_tables, s->n_superset_tables > 5 ? ", ..." : "");
        return MIGRATE_REFUSED;
    }
    return MIGRATE_CREATED;
}

migrate_status_t migrate_upgrade(PGconn *conn, const char *schema_sql, char **msg) {
    *msg = NULL;
    if (PQstatus(conn) != CONNECTION_OK) {
        *msg = pg_error("not connected", conn, NULL);
        return MIGRATE_ERROR;
    }
    if (!exec_ok(conn, "BEGIN", "cannot start a transaction", msg)) return MIGRATE_ERROR;

    db_state_t s = {0};
    migrate_status_t st = MIGRATE_ERROR;
    if (!exec_ok(conn, "SELECT pg_advisory_xact_lock(" MIGRATE_LOCK_KEY ")",
                 "cannot take the migration lock", msg))
        goto rollback;
    if (!read_version_table(conn, &s, msg) || !read_superset_tables(conn, &s, msg))
        goto rollback;

    st = judge(&s, msg);
    if (st != MIGRATE_CREATED) goto rollback; /* nothing to change */

    if (!exec_ok(conn, schema_sql, "creating the schema failed", msg) ||
        !exec_ok(conn, "COMMIT", "commit failed", msg)) {
        st = MIGRATE_ERROR;
        goto rollback;
    }
    state_free(&s);
    *msg = xasprintf("created the Superset 6.0.0 schema and stamped revision " MIGRATE_HEAD_REVISION);
    return MIGRATE_CREATED;

rollback:
    PQclear(PQexec(conn, "ROLLBACK")); /* also releases the advisory lock */
    state_free(&s);
    return st;
}

int migrate_current(PGconn *conn, char **revision, char **msg) {
    *revision = NULL;
    *msg = NULL;
    if (PQstatus(conn) != CONNECTION_OK) {
        *msg = pg_error("not connected", conn, NULL);
        return -1;
    }
    db_state_t s = {0};
    if (!read_version_table(conn, &s, msg)) {
        state_free(&s);
        return -1;
    }
    if (s.n_revisions > 0) {
        *revision = s.revisions;
        s.revisions = NULL;
    }
    state_free(&s);
    return 0;
}
