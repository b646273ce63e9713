/* The dataset payload the explore and dashboard views send to the
 * frontend: Superset's SqlaTable.data (simple fields, database summary,
 * columns, metrics, owners, verbose map, order-by choices, time grains,
 * select-star statement). database.parameters is always {} here: every
 * client-facing use of the payload (explore) blanks it, and the dashboard
 * datasets schema does not carry it. */
#ifndef LITESET_DOMAIN_DATASET_PAYLOAD_H
#define LITESET_DOMAIN_DATASET_PAYLOAD_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "config/config.h"
#include "lib/arena.h"
#include "persistence/pg.h"

/* The payload of dataset id as a new object (caller owns), or NULL: with
 * *found false when there is no such dataset, else a database error. */
json_t *dataset_payload(pg_pool_t *pg, arena_t *a, const config_t *cfg, int64_t id, bool *found, pg_error_t *err);

/* The payload of SQL Lab query id as a datasource (Query.data): its result
 * columns from extra_json, tab name, SQL, catalog, schema and database
 * {id, backend}. Same ownership and NULL rules as dataset_payload. */
json_t *query_datasource_payload(pg_pool_t *pg, arena_t *a, const config_t *cfg, int64_t id, bool *found,
                                 pg_error_t *err);

/* TableColumn.type_generic for a native type with the base engine spec's
 * mappings: 0 numeric, 1 string, 2 temporal, 3 boolean, -1 unknown. */
int dataset_generic_type(const char *native_type);

/* "SELECT\n  *\nFROM <quoted [catalog.][schema.]table>\nLIMIT 100" for the backend. */
char *dataset_select_star(arena_t *a, const char *backend, const char *catalog, const char *schema,
                          const char *table);

#endif
