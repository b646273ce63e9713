/* Result cells as JSON values (new references), SQL NULL as null: the
 * shapes Python gives a None-able column when a payload is built by hand. */
#ifndef LITESET_PERSISTENCE_PG_JSON_H
#define LITESET_PERSISTENCE_PG_JSON_H

#include <jansson.h>

#include "persistence/pg.h"

json_t *pg_json_text(const pg_result_t *r, int row, int col);
json_t *pg_json_int(const pg_result_t *r, int row, int col);
json_t *pg_json_bool(const pg_result_t *r, int row, int col);
json_t *pg_json_real(const pg_result_t *r, int row, int col);

#endif
