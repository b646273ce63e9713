/* The `liteset` command line: subcommands mirroring `superset`. Each
 * subcommand is a function taking the arguments after its name. */
#ifndef LITESET_CLI_H
#define LITESET_CLI_H

#include <libpq-fe.h>

#include "config/config.h"

/* Loads the configuration the way every subcommand needs it; prints the error
 * and returns NULL on failure. Owned by the caller (config_free). */
config_t *cli_load_config(void);

/* Opens a blocking connection to the configured metadata database; prints why
 * not (prefixed with `who`) and returns NULL on failure. Caller PQfinishes. */
PGconn *cli_connect_metadata_db(const config_t *cfg, const char *who);

/* A name-valued setting such as AUTH_ROLE_ADMIN: its string, or NULL when it
 * is None, empty or not a string. Belongs to cfg. */
const char *cli_config_name(const config_t *cfg, const char *key);

int cli_db(int argc, char **argv);      /* db upgrade | db current */
int cli_version(int argc, char **argv);
int cli_init(int argc, char **argv);    /* init: permissions, views and stock roles */
int cli_fab(int argc, char **argv);     /* fab create-admin | create-user | reset-password */
int cli_load_examples(int argc, char **argv); /* load-examples [DIR]: example data and dashboards */

#endif
