/* SQL Lab's persisted editor state (SQLLAB_BACKEND_PERSISTENCE): the
 * tab_state rows of a user's editor tabs, the table_schema rows of the tables
 * opened in each tab's schema browser, and the payloads the frontend reads
 * back (TabState.to_dict, TableSchema.to_dict, Query.to_dict for a tab's
 * latest query, and the SQL Lab bootstrap's tab list).
 *
 * Every function runs on a fiber; JSON results are new references owned by
 * the caller; strings live on the caller's arena. Writes touch only rows of
 * the given user's tabs: ownership is checked by the callers through
 * sqllab_tab_owner and enforced again in the SQL. */
#ifndef LITESET_DOMAIN_SQLLAB_STATE_H
#define LITESET_DOMAIN_SQLLAB_STATE_H

#include <jansson.h>
#include <stdint.h>

#include "lib/arena.h"
#include "persistence/pg.h"

typedef enum {
    SQLLAB_OK,
    SQLLAB_NOT_FOUND,
    SQLLAB_FORBIDDEN, /* another user's row */
    SQLLAB_INVALID,   /* bad input or a database constraint: message set */
    SQLLAB_ERROR,     /* database failure (logged): message set */
} sqllab_status_t;

typedef struct sqllab_result {
    sqllab_status_t status;
    const char *message; /* arena */
    int64_t id;          /* created row */
} sqllab_result_t;

/* Owner of a tab: SQLLAB_OK (owned by user_id), NOT_FOUND or FORBIDDEN. */
sqllab_status_t sqllab_tab_owner(pg_pool_t *pg, arena_t *a, int64_t tab_id, int64_t user_id);

/* TabState.to_dict of a tab, NULL when it is gone or on error. */
json_t *sqllab_tab_dict(pg_pool_t *pg, arena_t *a, int64_t tab_id);

/* POST /tabstateview/: a new active tab from the frontend's queryEditor
 * object (the user's other tabs become inactive). */
sqllab_result_t sqllab_tab_create(pg_pool_t *pg, arena_t *a, int64_t user_id, const json_t *query_editor);

/* PUT /tabstateview/<id>: each field (already JSON-decoded) sets the column
 * of that name; only the editor's own columns may be set. */
sqllab_result_t sqllab_tab_update(pg_pool_t *pg, arena_t *a, int64_t tab_id, int64_t user_id, const json_t *fields);

/* The tab with its table schemas. */
sqllab_result_t sqllab_tab_delete(pg_pool_t *pg, arena_t *a, int64_t tab_id);

/* Makes tab_id the user's only active tab. */
sqllab_result_t sqllab_tab_activate(pg_pool_t *pg, arena_t *a, int64_t tab_id, int64_t user_id);

/* Moves the user's query with this client id into the tab. */
sqllab_result_t sqllab_tab_migrate_query(pg_pool_t *pg, arena_t *a, int64_t tab_id, int64_t user_id,
                                         const char *client_id);

/* Deletes the user's query from the tab; the tab's latest query falls back
 * to the newest remaining one. */
sqllab_result_t sqllab_tab_delete_query(pg_pool_t *pg, arena_t *a, int64_t tab_id, int64_t user_id,
                                        const char *client_id);

/* POST /tableschemaview/: replaces the tab's entry for that table. */
sqllab_result_t sqllab_table_schema_create(pg_pool_t *pg, arena_t *a, int64_t user_id, const json_t *table,
                                           const char *table_json);
/* Owner check, then delete or set `expanded`. */
sqllab_result_t sqllab_table_schema_delete(pg_pool_t *pg, arena_t *a, int64_t schema_id, int64_t user_id);
sqllab_result_t sqllab_table_schema_expand(pg_pool_t *pg, arena_t *a, int64_t schema_id, int64_t user_id,
                                           bool expanded);

/* QueryDAO.get_queries_changed_after: the user's queries (Query.to_dict)
 * changed at or after since_ms (milliseconds since the epoch, UTC as the
 * query table stores it). NULL on error. */
json_t *sqllab_queries_changed_since(pg_pool_t *pg, arena_t *a, int64_t user_id, double since_ms);

/* bootstrap_sqllab_data's tabs: [[id, label], ...] and the active tab's
 * dict (or null). */
bool sqllab_bootstrap_tabs(pg_pool_t *pg, arena_t *a, int64_t user_id, json_t **tab_ids, json_t **active_tab);

#endif
