/* Users as the security layer sees them: identity columns of ab_user plus
 * the effective roles (direct roles and roles of the user's groups), and the
 * database login of Flask-AppBuilder's AUTH_DB (auth_user_db).
 * All objects live on the caller's arena. Functions run on fibers. */
#ifndef LITESET_DOMAIN_USER_H
#define LITESET_DOMAIN_USER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "lib/arena.h"
#include "persistence/pg.h"

typedef struct sec_role {
    int64_t id;
    const char *name;
} sec_role_t;

typedef struct sec_user {
    int64_t id;              /* 0 for a guest (embedded) user */
    const char *username;
    const char *first_name;
    const char *last_name;
    const char *email;
    bool active;
    int64_t login_count;     /* -1 when NULL */
    const char *created_on;  /* ISO text from the database, or NULL */
    const char *last_login;
    sec_role_t *roles;
    int nroles;
    bool is_guest;
    json_t *guest_claims;    /* guest token claims (arena-owned reference), else NULL */
} sec_user_t;

/* Loads a user and roles by id. NULL when absent (err->status PG_OK) or on a
 * database error (err says which). Inactive users are returned with active false. */
sec_user_t *user_load(pg_pool_t *pg, arena_t *a, int64_t id, pg_error_t *err);

typedef enum {
    LOGIN_OK = 0,
    LOGIN_FAILED,      /* unknown user, inactive, wrong password */
    LOGIN_ERROR,       /* database error or a stored hash werkzeug cannot read */
} login_result_t;

/* AUTH_DB login with FAB's lookup (case-insensitive username, then e-mail),
 * timing balance for unknown users, and login statistics. On LOGIN_OK *out is
 * the logged-in user. Password hashing runs on the offload pool. */
login_result_t user_auth_db(pg_pool_t *pg, arena_t *a, const char *username, const char *password,
                            sec_user_t **out);

/* Looks up an active user by exact username for AUTH_REMOTE_USER. */
sec_user_t *user_find_by_username(pg_pool_t *pg, arena_t *a, const char *username, pg_error_t *err);

bool user_has_role(const sec_user_t *u, const char *role_name);

/* A new werkzeug hash (FAB's default method) computed on the offload pool so
 * the loop never runs scrypt. Heap string, caller frees; NULL on failure. */
char *user_password_hash(const char *password);

#endif
