/* Example data for `liteset load-examples`: the CSV files a dataset YAML
 * points at (data: examples://...) loaded into a table of the examples
 * database with COPY, column types taken from the dataset's declared column
 * types (the reference's type map), the others inferred from the values. */
#ifndef LITESET_CLI_EXAMPLES_DATA_H
#define LITESET_CLI_EXAMPLES_DATA_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stdbool.h>

/* Loads the data of one dataset config (parsed YAML) from data_root (the
 * folder holding datasets/...) into schema.table_name, unless that table
 * already exists. Prints what it does; false on failure (message printed). */
bool examples_load_dataset(PGconn *conn, const char *data_root, const json_t *dataset, const char *schema);

#endif
