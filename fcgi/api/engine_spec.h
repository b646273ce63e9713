/* What Superset's PostgreSQL engine spec tells clients: its public
 * description for /database/available/, the JSON schema of its connection
 * parameters, and the parameters read back from a (masked) URI. Liteset
 * connects to PostgreSQL only, so it is the one spec described. */
#ifndef LITESET_FCGI_API_ENGINE_SPEC_H
#define LITESET_FCGI_API_ENGINE_SPEC_H

#include <jansson.h>
#include <stdbool.h>

#include "config/config.h"
#include "lib/arena.h"

/* BasicParametersMixin.parameters_json_schema() (new reference). */
json_t *engine_pg_parameters_schema(void);
/* get_public_information() (new reference). */
json_t *engine_pg_public_information(void);
/* The /database/available/ entry for PostgreSQL (new reference). */
json_t *engine_pg_available_entry(const config_t *cfg);
/* get_parameters_from_uri(uri) for a postgresql URI; {} for others or a
 * URI that does not parse (new reference). */
json_t *engine_parameters_from_uri(arena_t *a, const char *uri);
/* mask_encrypted_extra: every top-level value of the JSON object replaced
 * by the password mask; NULL stays NULL (arena text). */
const char *engine_mask_encrypted_extra(arena_t *a, const char *encrypted_extra);

#endif
