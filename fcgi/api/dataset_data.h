/* SqlaTable.data: the dataset payload Superset sends the frontend (POST
 * /api/v1/dataset/ answers it as "data"): simple fields, the database's
 * data, columns and metrics with certification and generic types, verbose
 * map, order-by choices, time grains of the PostgreSQL spec, owners. */
#ifndef LITESET_FCGI_API_DATASET_DATA_H
#define LITESET_FCGI_API_DATASET_DATA_H

#include <jansson.h>
#include <stdint.h>

#include "fcgi/request.h"
#include "persistence/pg.h"

/* The payload of dataset id read through c (a transaction, or NULL for the
 * pool); NULL on a database error or when missing. Caller owns. */
json_t *dataset_data(request_t *req, pg_conn_t *c, int64_t id);

#endif
