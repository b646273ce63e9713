/* Entry point of the `liteset` CLI: dispatches to subcommands by name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "lib/log.h"

typedef struct {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *help;
} subcommand_t;

static const subcommand_t subcommands[] = {
    {"db", cli_db, "db upgrade: create or verify the Superset 6.0.0 metadata schema"},
    {"init", cli_init, "create permissions, view menus and the stock roles (Admin, Alpha, ...)"},
    {"fab", cli_fab, "fab create-admin | create-user | reset-password: manage users"},
    {"load-examples", cli_load_examples, "load-examples [DIR]: the example data, datasets, charts and dashboards"},
    {"version", cli_version, "print the version"},
};

static void usage(void) {
    fputs("usage: liteset <command> [args]\n\ncommands:\n", stderr);
    for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
        fprintf(stderr, "  %-10s %s\n", subcommands[i].name, subcommands[i].help);
}

config_t *cli_load_config(void) {
    char *err = NULL;
    config_load_opts_t opts = {0};
    config_t *cfg = config_load(&opts, &err);
    if (!cfg) {
        fprintf(stderr, "liteset: configuration error: %s\n", err ? err : "unknown");
        free(err);
    }
    return cfg;
}

PGconn *cli_connect_metadata_db(const config_t *cfg, const char *who) {
    if (!cfg->pg_conninfo) {
        fprintf(stderr,
                "%s: no PostgreSQL metadata database configured: set "
                "SQLALCHEMY_DATABASE_URI = 'postgresql://...' in superset_config.py "
                "(found via SUPERSET_CONFIG_PATH)%s%s\n",
                who, cfg->pg_error ? ": " : "", cfg->pg_error ? cfg->pg_error : "");
        return NULL;
    }
    PGconn *conn = PQconnectdb(cfg->pg_conninfo);
    if (PQstatus(conn) != CONNECTION_OK) {
        /* PQerrorMessage ends with a newline; the conninfo (it may hold a
         * password) is deliberately not printed. */
        fprintf(stderr, "%s: cannot connect to the metadata database: %s", who,
                PQerrorMessage(conn));
        PQfinish(conn);
        return NULL;
    }
    return conn;
}

const char *cli_config_name(const config_t *cfg, const char *key) {
    const char *v = config_str(cfg, key, NULL);
    return v && *v ? v : NULL;
}

int cli_version(int argc, char **argv) {
    (void)argc;
    (void)argv;
    printf("Liteset (Superset 6.0.0 compatible)\n");
    return 0;
}

int main(int argc, char **argv) {
    log_set_component("cli");
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage();
        return argc < 2 ? 2 : 0;
    }
    for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
        if (!strcmp(argv[1], subcommands[i].name)) return subcommands[i].fn(argc - 2, argv + 2);
    fprintf(stderr, "liteset: unknown command '%s'\n", argv[1]);
    usage();
    return 2;
}
