/* marshmallow-compatible loading of the dataset request bodies
 * (DatasetPutSchema with its nested column, metric, currency and folder
 * schemas; DatasetPostSchema, DatasetDuplicateSchema, GetOrCreateDatasetSchema): the reference's messages, nested
 * {"index": {...}} error keys, and values normalised as marshmallow loads
 * them (integers, booleans, canonical UUIDs, load defaults). */
#ifndef LITESET_FCGI_API_DATASET_SCHEMA_H
#define LITESET_FCGI_API_DATASET_SCHEMA_H

#include <jansson.h>
#include <stdbool.h>

#include "lib/arena.h"

typedef enum { DS_SCHEMA_PUT, DS_SCHEMA_DUPLICATE, DS_SCHEMA_POST, DS_SCHEMA_GET_OR_CREATE } ds_schema_t;

/* Validates body (an object) in place. NULL when valid, else the error
 * messages object (caller owns). */
json_t *dataset_schema_load(arena_t *a, ds_schema_t which, json_t *body);

/* Superset's validate_python_date_format: epoch_s / epoch_ms, or a format
 * whose rendering of the current time parses as ISO 8601. */
bool dataset_python_date_format_ok(const char *fmt);

#endif
