/* add_permission_view_menu; see security_pvm.h. */
#include "domain/security_pvm.h"

bool security_pvm_ensure(pg_conn_t *c, arena_t *a, const char *perm, const char *view, pg_error_t *err) {
    if (!view) return true;
    const char *p[] = {perm, view};
    return pg_conn_query(c, a, err,
                         "INSERT INTO ab_view_menu (id, name) SELECT nextval('ab_view_menu_id_seq'), $1::text"
                         " WHERE NOT EXISTS (SELECT 1 FROM ab_view_menu WHERE name = $1::text)", 1, &view) &&
           pg_conn_query(c, a, err,
                         "INSERT INTO ab_permission (id, name) SELECT nextval('ab_permission_id_seq'), $1::text"
                         " WHERE NOT EXISTS (SELECT 1 FROM ab_permission WHERE name = $1::text)", 1, &perm) &&
           pg_conn_query(c, a, err,
                         "INSERT INTO ab_permission_view (id, permission_id, view_menu_id)"
                         " SELECT nextval('ab_permission_view_id_seq'), p.id, v.id FROM ab_permission p, ab_view_menu v"
                         " WHERE p.name = $1::text AND v.name = $2::text AND NOT EXISTS (SELECT 1 FROM"
                         " ab_permission_view pv WHERE pv.permission_id = p.id AND pv.view_menu_id = v.id)", 2, p);
}
