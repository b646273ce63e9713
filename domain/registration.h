/* Self-registration activation (/register/activation/<hash>): turns a row of
 * ab_register_user into an active ab_user with AUTH_USER_REGISTRATION_ROLE,
 * as Flask-AppBuilder's add_user then del_register_user do, in one
 * transaction. Runs on a fiber; strings live on the caller's arena. */
#ifndef LITESET_DOMAIN_REGISTRATION_H
#define LITESET_DOMAIN_REGISTRATION_H

#include <stdint.h>

#include "lib/arena.h"
#include "persistence/pg.h"

typedef enum {
    ACTIVATION_OK,
    ACTIVATION_NOT_FOUND, /* no registration with that hash */
    ACTIVATION_REFUSED,   /* role missing or username/e-mail taken: nothing changed */
    ACTIVATION_ERROR,     /* database error (logged) */
} activation_t;

typedef struct registered_user {
    const char *username;
    const char *first_name;
    const char *last_name;
} registered_user_t;

/* role: the AUTH_USER_REGISTRATION_ROLE name. actor_id: the logged-in user
 * (FAB's audit default), 0 when anonymous. On ACTIVATION_OK *out is filled. */
activation_t registration_activate(pg_pool_t *pg, arena_t *a, const char *hash, const char *role, int64_t actor_id,
                                   registered_user_t *out);

#endif
