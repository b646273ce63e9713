/* Superset's data-access base filters as SQL over the engine's alias t:
 * DatabaseFilter (dbs rows) and DatasourceFilter (tables rows), rest-api.md
 * §1.13. The all-access checks use the security cache; the per-object grant
 * names (user_view_menu_names) are read from the grant tables on every
 * query, as the reference does. */
#ifndef LITESET_FCGI_API_DATA_ACCESS_FILTER_H
#define LITESET_FCGI_API_DATA_ACCESS_FILTER_H

#include "fcgi/request.h"
#include "lib/arena.h"
#include "persistence/model_query.h"

/* The caller's role ids as a PostgreSQL array literal ("{1,4}"): the direct
 * and group roles of a user, the public role for anonymous clients. Bind it
 * and name its placeholder in data_access_grants_sql. */
const char *data_access_role_ids(request_t *req);
/* user_view_menu_names(permission) as a parenthesised subquery: the
 * view-menu names the roles bound at placeholder roles_param ("$3") hold
 * permission on. permission is a literal of the code, never request data. */
const char *data_access_grants_sql(arena_t *a, const char *permission, const char *roles_param);

/* Unless all_database_access: the database's perm is granted
 * (database_access) or its name heads a catalog/schema/datasource grant. */
void data_access_database_filter(request_t *req, model_query_t *q);
/* Unless all_database_access / all_datasource_access: the dataset's database
 * is granted, or its perm / catalog_perm / schema_perm is. */
void data_access_datasource_filter(request_t *req, model_query_t *q);

#endif
