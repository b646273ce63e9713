/* A dataset's columns (table_columns) and metrics (sql_metrics) written
 * from request JSON the way Superset's DatasetDAO does: rows with an id
 * are updated key by key, rows without one inserted with the model
 * defaults, stored rows missing from the list deleted; or, when
 * overriding, every stored row replaced. One statement per step, the list
 * passed as one jsonb parameter. */
#ifndef LITESET_FCGI_API_DATASET_CHILDREN_H
#define LITESET_FCGI_API_DATASET_CHILDREN_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "persistence/pg.h"

typedef enum { DS_COLUMNS, DS_METRICS } ds_child_t;

bool dataset_children_write(arena_t *a, pg_conn_t *c, ds_child_t which, int64_t table_id, int64_t user_id,
                            const json_t *items, bool override, pg_error_t *err);

#endif
