/* `superset init` for Liteset: brings the ab_* security tables to what
 * Superset 6.0.0's `appbuilder.add_permissions(update_perms=True)` followed by
 * `security_manager.sync_role_definitions()` leaves behind, in ONE transaction
 * (serialised against concurrent runs by a transaction-level advisory lock):
 *
 *  1. the admin and public roles exist (FAB create_db);
 *  2. every catalog view, menu and custom pair (security_catalog.h) has its
 *     ab_view_menu / ab_permission / ab_permission_view rows; a pair on a
 *     catalog view that is no longer in the catalog is deleted when no role
 *     holds it (FAB add_permissions_view; it leaves granted pairs alone), and
 *     its permission row too when nothing else uses it; the AUTH_ROLE_ADMIN
 *     role receives every view and menu pair it lacks;
 *  3. the grants of Admin, Alpha, Gamma and sql_lab are replaced by the rule
 *     set applied to every permission-view pair in the database;
 *  4. PUBLIC_ROLE_LIKE: the public role receives that role's grants, keeping
 *     its own data-access grants (copy_role(merge=True));
 *  5. data-access pairs of existing datasets and databases are created
 *     (datasource_access, schema_access, catalog_access, database_access);
 *  6. pairs with a NULL permission or view menu are deleted.
 * Running it twice changes nothing.
 *
 * Blocking libpq: for the `liteset` CLI only, never on an event-loop thread. */
#ifndef LITESET_DOMAIN_SECURITY_INIT_H
#define LITESET_DOMAIN_SECURITY_INIT_H

#include <libpq-fe.h>
#include <stdbool.h>

typedef struct security_init_opts {
    const char *admin_role;        /* AUTH_ROLE_ADMIN, e.g. "Admin" */
    const char *public_role;       /* AUTH_ROLE_PUBLIC, e.g. "Public"; NULL or "" = none */
    const char *public_role_like;  /* PUBLIC_ROLE_LIKE; NULL or "" = none */
} security_init_opts_t;

#define SECURITY_INIT_MAX_ROLES 6

/* What a run changed, and the grant count of each role it manages. */
typedef struct security_init_report {
    long roles_created;
    long permissions_created;
    long view_menus_created;
    long pvms_created;          /* catalog pairs (steps 2) */
    long pvms_deleted;          /* stale catalog pairs and faulty pairs */
    long data_access_created;   /* step 5 */
    long grants_added;
    long grants_removed;
    int nroles;
    struct {
        char name[65];          /* ab_role.name is varchar(64) */
        long grants;
    } roles[SECURITY_INIT_MAX_ROLES]; /* stock roles, then the public role */
} security_init_report_t;

/* Runs the whole of init on `conn` (which must not be inside a transaction).
 * On success commits and fills *rep. On failure rolls back, changes nothing,
 * and sets *err (heap string, caller frees). */
bool security_init_run(PGconn *conn, const security_init_opts_t *opts,
                       security_init_report_t *rep, char **err);

/* FAB create_db at application start: creates the admin role and the public
 * role (when named) if missing. Runs inside the caller's transaction state
 * (no BEGIN/COMMIT of its own). *created (may be NULL) receives how many rows
 * were inserted. false + *err (heap string) on a database error. */
bool security_ensure_base_roles(PGconn *conn, const char *admin_role, const char *public_role,
                                long *created, char **err);

#endif
