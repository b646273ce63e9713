/* Syncing a dataset's columns from its source table (SqlaTable
 * fetch_metadata) for PUT /api/v1/dataset/<pk>/refresh, PUT with
 * ?override_columns=true and dataset creation. Physical datasets on
 * PostgreSQL databases only: virtual ones would need their SQL run and
 * typed, which Liteset does not do yet (they fail as the reference fails). */
#ifndef LITESET_FCGI_API_DATASET_REFRESH_H
#define LITESET_FCGI_API_DATASET_REFRESH_H

#include <stdbool.h>
#include <stdint.h>

#include "fcgi/request.h"
#include "persistence/pg.h"

/* Runs fetch_metadata for dataset pk inside the caller's metadata
 * transaction c. false with *why (arena) on failure. */
bool dataset_fetch_metadata(request_t *req, pg_conn_t *c, int64_t pk, const char **why);
/* PUT ?override_columns=true: refresh in its own transaction; on failure
 * answers the reference's unhandled-command error (500) and returns false. */
bool dataset_refresh_run(request_t *req, int64_t pk);
bool parse_boolean_string(const char *s);
/* Handler: PUT /api/v1/dataset/<pk>/refresh */
void dataset_refresh(request_t *req);

#endif
