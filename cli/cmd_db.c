/* `liteset db upgrade` and `liteset db current`: create or check the Superset
 * 6.0.0 metadata schema in the configured database (SQLALCHEMY_DATABASE_URI). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "cli/cli.h"
#include "persistence/migrate.h"

/* The schema script, embedded by cli/schema_blob.S (NUL-terminated). */
extern const char liteset_schema_sql[];

typedef struct db_subcommand {
    const char *name;
    int (*fn)(PGconn *conn);
    const char *help;
} db_subcommand_t;

static int db_upgrade(PGconn *conn);
static int db_current(PGconn *conn);

static const db_subcommand_t db_subcommands[] = {
    {"upgrade", db_upgrade,
     "create the Superset 6.0.0 schema in an empty database, or check it is at head"},
    {"current", db_current, "print the database's alembic revision"},
};

static void db_usage(void) {
    fputs("usage: liteset db <subcommand>\n\nsubcommands:\n", stderr);
    for (size_t i = 0; i < sizeof db_subcommands / sizeof db_subcommands[0]; i++)
        fprintf(stderr, "  %-8s %s\n", db_subcommands[i].name, db_subcommands[i].help);
}

static int db_upgrade(PGconn *conn) {
    char *msg = NULL;
    migrate_status_t st = migrate_upgrade(conn, liteset_schema_sql, &msg);
    int ok = st == MIGRATE_CREATED || st == MIGRATE_AT_HEAD;
    fprintf(ok ? stdout : stderr, "liteset db upgrade: %s\n", msg);
    free(msg);
    return ok ? 0 : 1;
}

static int db_current(PGconn *conn) {
    char *rev = NULL, *msg = NULL;
    if (migrate_current(conn, &rev, &msg) != 0) {
        fprintf(stderr, "liteset db current: %s\n", msg);
        free(msg);
        return 1;
    }
    if (!rev)
        puts("none");
    else
        printf("%s%s\n", rev, strcmp(rev, MIGRATE_HEAD_REVISION) ? "" : " (head)");
    free(rev);
    return 0;
}

/* Opens the configured metadata database; prints why not and returns NULL. */
static PGconn *connect_metadata_db(void) {
    config_t *cfg = cli_load_config();
    if (!cfg) return NULL;
    if (!cfg->pg_conninfo) {
        fputs("liteset db: no PostgreSQL metadata database configured: set "
              "SQLALCHEMY_DATABASE_URI = 'postgresql://...' in superset_config.py "
              "(found via SUPERSET_CONFIG_PATH)\n",
              stderr);
        config_free(cfg);
        return NULL;
    }
    PGconn *conn = PQconnectdb(cfg->pg_conninfo);
    config_free(cfg);
    if (PQstatus(conn) != CONNECTION_OK) {
        /* PQerrorMessage ends with a newline; the conninfo (it may hold a
         * password) is deliberately not printed. */
        fprintf(stderr, "liteset db: cannot connect to the metadata database: %s",
                PQerrorMessage(conn));
        PQfinish(conn);
        return NULL;
    }
    return conn;
}

int cli_db(int argc, char **argv) {
    const db_subcommand_t *sub = NULL;
    for (size_t i = 0; argc >= 1 && i < sizeof db_subcommands / sizeof db_subcommands[0]; i++)
        if (!strcmp(argv[0], db_subcommands[i].name)) sub = &db_subcommands[i];
    if (!sub || argc > 1) {
        if (argc >= 1 && !sub) fprintf(stderr, "liteset db: unknown subcommand '%s'\n", argv[0]);
        db_usage();
        return 2;
    }
    PGconn *conn = connect_metadata_db();
    if (!conn) return 1;
    int rc = sub->fn(conn);
    PQfinish(conn);
    return rc;
}
