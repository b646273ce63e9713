/* Flask-AppBuilder's add_permission_view_menu(permission, view) inside the
 * caller's transaction: the view menu, the permission and their pair are
 * created when missing. A NULL view is a no-op (the data-access names a
 * dataset or database does not have). */
#ifndef LITESET_DOMAIN_SECURITY_PVM_H
#define LITESET_DOMAIN_SECURITY_PVM_H

#include <stdbool.h>

#include "lib/arena.h"
#include "persistence/pg.h"

bool security_pvm_ensure(pg_conn_t *c, arena_t *a, const char *perm, const char *view, pg_error_t *err);

#endif
