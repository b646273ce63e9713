/* The `liteset` command line: subcommands mirroring `superset`. Each
 * subcommand is a function taking the arguments after its name. */
#ifndef LITESET_CLI_H
#define LITESET_CLI_H

#include "config/config.h"

/* Loads the configuration the way every subcommand needs it; prints the error
 * and returns NULL on failure. Owned by the caller (config_free). */
config_t *cli_load_config(void);

int cli_db(int argc, char **argv);      /* db upgrade | db current */
int cli_version(int argc, char **argv);

#endif
