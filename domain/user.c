/* User loading and database login; see user.h. */
#include "domain/user.h"

#include <stdlib.h>
#include <string.h>

#include "lib/offload.h"
#include "lib/password.h"

/* Checked against when the user is unknown or inactive, so that every path
 * costs one scrypt (FAB's AUTH_DB_FAKE_PASSWORD_HASH_CHECK idea). A valid
 * hash with the default parameters, of a password nobody types. */
#define FAKE_HASH                                                                                  \
    "scrypt:32768:8:1$wiDa0ruWlIPhp9LM$3aa53fc12d73ba0f1268f8e9e9be03a8e8bc085f0d9cbbf739b2736a9a1f27fdc" \
    "a4bac694dabfbd58db27b79782cab537747852f2e17e75cf205ecedc8de30c3"

#define USER_COLUMNS                                                                               \
    "u.id, u.username, u.first_name, u.last_name, u.email, coalesce(u.active, false), "           \
    "u.login_count, to_char(u.created_on, 'YYYY-MM-DD\"T\"HH24:MI:SS.US'), "                    \
    "to_char(u.last_login, 'YYYY-MM-DD\"T\"HH24:MI:SS.US')"

static const char *const SQL_ROLES =
    "SELECT r.id, r.name FROM ab_role r WHERE r.id IN ("
    " SELECT ur.role_id FROM ab_user_role ur WHERE ur.user_id = $1"
    " UNION SELECT gr.role_id FROM ab_user_group ug JOIN ab_group_role gr ON gr.group_id = ug.group_id"
    " WHERE ug.user_id = $1) ORDER BY r.id";

static const char *col_dup(arena_t *a, const pg_result_t *r, int row, int col) {
    const char *v = pg_get(r, row, col);
    return v ? arena_strdup(a, v) : NULL;
}

static sec_user_t *user_from_row(pg_pool_t *pg, arena_t *a, const pg_result_t *r, int row, pg_error_t *err) {
    sec_user_t *u = arena_calloc(a, 1, sizeof *u);
    u->id = pg_get_int(r, row, 0, 0);
    u->username = col_dup(a, r, row, 1);
    u->first_name = col_dup(a, r, row, 2);
    u->last_name = col_dup(a, r, row, 3);
    u->email = col_dup(a, r, row, 4);
    u->active = pg_get_bool(r, row, 5, false);
    u->login_count = pg_get_int(r, row, 6, -1);
    u->created_on = col_dup(a, r, row, 7);
    u->last_login = col_dup(a, r, row, 8);
    const char *id = arena_sprintf(a, "%lld", (long long)u->id);
    pg_result_t *roles = pg_query_prepared(pg, a, err, "user_roles", SQL_ROLES, 1, &id);
    if (!roles) return NULL;
    u->nroles = pg_nrows(roles);
    u->roles = arena_calloc(a, (size_t)(u->nroles ? u->nroles : 1), sizeof *u->roles);
    for (int i = 0; i < u->nroles; i++) {
        u->roles[i].id = pg_get_int(roles, i, 0, 0);
        u->roles[i].name = col_dup(a, roles, i, 1);
    }
    return u;
}

sec_user_t *user_load(pg_pool_t *pg, arena_t *a, int64_t id, pg_error_t *err) {
    const char *p = arena_sprintf(a, "%lld", (long long)id);
    pg_result_t *r = pg_query_prepared(pg, a, err, "user_by_id", "SELECT " USER_COLUMNS " FROM ab_user u WHERE u.id = $1",
                                       1, &p);
    if (!r || pg_nrows(r) != 1) return NULL;
    return user_from_row(pg, a, r, 0, err);
}

sec_user_t *user_find_by_username(pg_pool_t *pg, arena_t *a, const char *username, pg_error_t *err) {
    pg_result_t *r = pg_query_prepared(pg, a, err, "user_by_username",
                                       "SELECT " USER_COLUMNS " FROM ab_user u WHERE u.username = $1", 1, &username);
    if (!r || pg_nrows(r) != 1) return NULL;
    sec_user_t *u = user_from_row(pg, a, r, 0, err);
    return u && u->active ? u : NULL;
}

bool user_has_role(const sec_user_t *u, const char *role_name) {
    if (!u || !role_name) return false;
    for (int i = 0; i < u->nroles; i++)
        if (!strcmp(u->roles[i].name, role_name)) return true;
    return false;
}

typedef struct check_job {
    const char *stored;
    const char *password;
    pw_result_t result;
} check_job_t;

static void run_check(void *arg) {
    check_job_t *j = arg;
    j->result = password_check(j->stored, j->password);
}

typedef struct hash_job {
    const char *password;
    char *hash;
} hash_job_t;

static void run_hash(void *arg) {
    hash_job_t *j = arg;
    j->hash = password_hash(j->password);
}

char *user_password_hash(const char *password) {
    hash_job_t j = {.password = password};
    offload_run(run_hash, &j);
    return j.hash;
}

static pw_result_t check_offloaded(const char *stored, const char *password) {
    check_job_t j = {.stored = stored, .password = password};
    offload_run(run_check, &j);
    return j.result;
}

login_result_t user_auth_db(pg_pool_t *pg, arena_t *a, const char *username, const char *password,
                            sec_user_t **out) {
    *out = NULL;
    if (!username || !*username) return LOGIN_FAILED;
    pg_error_t err;
    /* Case-insensitive username first (several matches count as none), then e-mail. */
    pg_result_t *r = pg_query_prepared(pg, a, &err, "login_by_username",
                                       "SELECT " USER_COLUMNS ", u.password FROM ab_user u"
                                       " WHERE lower(u.username) = lower($1)",
                                       1, &username);
    if (!r) return LOGIN_ERROR;
    if (pg_nrows(r) != 1) {
        r = pg_query_prepared(pg, a, &err, "login_by_email",
                              "SELECT " USER_COLUMNS ", u.password FROM ab_user u WHERE u.email = $1", 1, &username);
        if (!r) return LOGIN_ERROR;
    }
    if (pg_nrows(r) != 1 || !pg_get_bool(r, 0, 5, false)) {
        check_offloaded(FAKE_HASH, password ? password : ""); /* timing balance */
        return LOGIN_FAILED;
    }
    const char *id = pg_get(r, 0, 0);
    pw_result_t pw = check_offloaded(pg_get(r, 0, 9), password ? password : "");
    if (pw == PW_UNSUPPORTED) return LOGIN_ERROR;
    if (pw == PW_MISMATCH) {
        pg_query_prepared(pg, a, &err, "login_failed",
                          "UPDATE ab_user SET fail_login_count = coalesce(fail_login_count, 0) + 1 WHERE id = $1", 1,
                          &id);
        return LOGIN_FAILED;
    }
    if (!pg_query_prepared(pg, a, &err, "login_ok",
                           "UPDATE ab_user SET login_count = coalesce(login_count, 0) + 1,"
                           " last_login = localtimestamp, fail_login_count = 0 WHERE id = $1",
                           1, &id))
        return LOGIN_ERROR;
    *out = user_load(pg, a, pg_get_int(r, 0, 0, 0), &err);
    return *out ? LOGIN_OK : LOGIN_ERROR;
}
