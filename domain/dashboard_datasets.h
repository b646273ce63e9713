/* The datasets of a dashboard as DashboardRestApi.get_datasets sends them:
 * one dataset payload per dataset its charts use (in order of first use),
 * trimmed to the metrics and columns those charts reference
 * (data_for_slices) and reduced to DashboardDatasetSchema's fields. */
#ifndef LITESET_DOMAIN_DASHBOARD_DATASETS_H
#define LITESET_DOMAIN_DASHBOARD_DATASETS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "config/config.h"
#include "lib/arena.h"
#include "persistence/pg.h"

/* A new array (caller owns), NULL on a database error. guest drops the
 * owners and database fields as the schema does for embedded guests. */
json_t *dashboard_datasets(pg_pool_t *pg, arena_t *a, const config_t *cfg, int64_t dashboard_id, bool guest,
                           pg_error_t *err);

#endif
