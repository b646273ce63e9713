/* Favourites (the favstar table) for charts ("slice") and dashboards
 * ("Dashboard"): add is idempotent, remove deletes the caller's row.
 * Runs on a fiber. */
#ifndef LITESET_DOMAIN_FAVORITES_H
#define LITESET_DOMAIN_FAVORITES_H

#include <stdbool.h>
#include <stdint.h>

#include "persistence/pg.h"

bool favorite_set(pg_pool_t *pg, arena_t *a, const char *class_name, int64_t obj_id, int64_t user_id, bool add,
                  pg_error_t *err);

#endif
