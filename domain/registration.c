/* Registration activation; see registration.h. */
#include "domain/registration.h"

#include <string.h>

#include "lib/log.h"

/* Unique violations (username or e-mail taken) make FAB's add_user return
 * False, which the view reports as "not possible to register you". */
static activation_t step_failed(const char *what, const pg_error_t *err) {
    if (err->status == PG_ERR_QUERY && !strcmp(err->sqlstate, "23505")) return ACTIVATION_REFUSED;
    log_error("registration activation (%s): %s", what, err->message ? err->message : "database error");
    return ACTIVATION_ERROR;
}

static activation_t activate_in_tx(pg_conn_t *c, arena_t *a, const char *hash, const char *role, int64_t actor_id,
                                   registered_user_t *out) {
    pg_error_t err;
    pg_result_t *reg = pg_conn_query(c, a, &err,
                                     "SELECT id, username, first_name, last_name, email, password" /* columns 0..5 */
                                     " FROM ab_register_user WHERE registration_hash = $1 ORDER BY id LIMIT 1"
                                     " FOR UPDATE",
                                     1, &hash);
    if (!reg) return step_failed("lookup", &err);
    if (pg_nrows(reg) == 0) return ACTIVATION_NOT_FOUND;

    pg_result_t *r = pg_conn_query(c, a, &err, "SELECT id FROM ab_role WHERE name = $1", 1, &role);
    if (!r) return step_failed("role", &err);
    if (pg_nrows(r) == 0) {
        log_error("registration activation: role %s does not exist", role);
        return ACTIVATION_REFUSED;
    }
    const char *role_id = arena_strdup(a, pg_get(r, 0, 0));

    const char *actor = actor_id ? arena_sprintf(a, "%lld", (long long)actor_id) : NULL;
    const char *user_params[] = {pg_get(reg, 0, 2), pg_get(reg, 0, 3), pg_get(reg, 0, 1),
                                 pg_get(reg, 0, 5), pg_get(reg, 0, 4), actor};
    r = pg_conn_query(c, a, &err,
                      "INSERT INTO ab_user (id, first_name, last_name, username, password, active, email,"
                      " created_on, changed_on, created_by_fk, changed_by_fk)"
                      " VALUES (nextval('ab_user_id_seq'), $1, $2, $3, $4, true, $5,"
                      " localtimestamp, localtimestamp, $6::int, $6::int) RETURNING id",
                      6, user_params);
    if (!r) return step_failed("user", &err);
    const char *link_params[] = {arena_strdup(a, pg_get(r, 0, 0)), role_id};
    if (!pg_conn_query(c, a, &err,
                       "INSERT INTO ab_user_role (id, user_id, role_id)"
                       " VALUES (nextval('ab_user_role_id_seq'), $1::int, $2::int)",
                       2, link_params))
        return step_failed("role link", &err);
    const char *reg_id = pg_get(reg, 0, 0);
    if (!pg_conn_query(c, a, &err, "DELETE FROM ab_register_user WHERE id = $1::int", 1, &reg_id))
        return step_failed("delete", &err);
    if (!pg_commit(c, a, &err)) return step_failed("commit", &err);

    out->username = pg_get(reg, 0, 1);
    out->first_name = pg_get(reg, 0, 2);
    out->last_name = pg_get(reg, 0, 3);
    return ACTIVATION_OK;
}

activation_t registration_activate(pg_pool_t *pg, arena_t *a, const char *hash, const char *role, int64_t actor_id,
                                   registered_user_t *out) {
    pg_error_t err;
    pg_conn_t *c = pg_acquire(pg, a, &err);
    if (!c) return step_failed("connect", &err);
    activation_t res = pg_begin(c, a, &err) ? activate_in_tx(c, a, hash, role, actor_id, out)
                                            : step_failed("begin", &err);
    if (res != ACTIVATION_OK) pg_rollback(c, a, &err);
    pg_release(c);
    return res;
}
