/* Pieces shared by Superset's legacy /datasource/ views
 * (legacy_datasource.c, legacy_datasource_save.c): the {"error": ...}
 * answer of json_error_response and the datasource access refusal. */
#ifndef LITESET_FCGI_API_LEGACY_DATASOURCE_H
#define LITESET_FCGI_API_LEGACY_DATASOURCE_H

#include <jansson.h>
#include <stdint.h>

#include "fcgi/request.h"

/* json_error_response(message, status): {"error": message}. */
void legacy_ds_error(request_t *req, int status, const char *message);

/* json_response(obj): the JSON of v (stolen), Content-Type application/json. */
void legacy_ds_json(request_t *req, json_t *v);

/* raise_for_access(datasource=...) refused: 403 with the SIP-40
 * DATASOURCE_SECURITY_ACCESS_ERROR object. */
void legacy_ds_denied(request_t *req, int64_t id, const char *name);

/* The dataset payload (SqlaTable.data, database parameters blanked) as a
 * new reference when the dataset exists and the caller may read it;
 * otherwise NULL, answered (404, 403 or 500). */
json_t *legacy_ds_table_data(request_t *req, int64_t id);

/* Handler: POST /datasource/save/ (legacy_datasource_save.c). */
void legacy_datasource_save(request_t *req);

#endif
