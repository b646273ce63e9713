/* Data-access rules of Superset's security manager: the exact view-menu
 * names of per-object permissions (database_access, catalog_access,
 * schema_access, datasource_access), the "can access" helpers built on
 * them, and row-level-security filter selection for a user and a dataset
 * (used by the query engine). Results live on the caller's arena. */
#ifndef LITESET_DOMAIN_ACCESS_H
#define LITESET_DOMAIN_ACCESS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "config/config.h"
#include "domain/security.h"
#include "domain/user.h"
#include "persistence/pg.h"

/* "[<database_name>].(id:<id>)" */
char *perm_database(arena_t *a, const char *database_name, int64_t id);
/* "[<database>].[<catalog>]" */
char *perm_catalog(arena_t *a, const char *database_name, const char *catalog);
/* "[<database>].[<schema>]", or "[<database>].[<catalog>].[<schema>]" when the catalog is known */
char *perm_schema(arena_t *a, const char *database_name, const char *catalog, const char *schema);
/* "[<database display name>].[<table_name>](id:<dataset id>)" */
char *perm_datasource(arena_t *a, const char *database_display_name, const char *table_name, int64_t id);

bool access_all_datasources(security_t *s, const config_t *cfg, const sec_user_t *u);
bool access_database(security_t *s, const config_t *cfg, const sec_user_t *u, const char *database_perm);
bool access_catalog(security_t *s, const config_t *cfg, const sec_user_t *u, const char *database_perm,
                    const char *catalog_perm);
bool access_schema(security_t *s, const config_t *cfg, const sec_user_t *u, const char *database_perm,
                   const char *catalog_perm, const char *schema_perm);

/* Row-level-security filters applying to dataset table_id for the user's
 * roles (anonymous: the public role; guest: its guest role), as a JSON
 * array of {"id", "group_key", "clause"} ordered by id: Regular filters
 * linked to one of the roles, Base filters linked to none of them. NULL on a
 * database error. Caller owns the array. */
json_t *rls_filters_for(pg_pool_t *pg, arena_t *a, security_t *s, const config_t *cfg, const sec_user_t *u,
                        int64_t table_id, pg_error_t *err);

#endif
