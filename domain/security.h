/* Security manager: "can this user do permission P on view menu V", answered
 * from the ab_* tables the way Flask-AppBuilder does (exact, case-sensitive
 * names; user roles plus group roles; anonymous users get the public role).
 *
 * Grants are cached per process: every role's (permission, view menu) pairs
 * in one sorted table, reloaded when older than the TTL
 * (LITESET_SECURITY_CACHE_TTL seconds, default 10) or at once after this
 * process changed roles or permissions (security_invalidate). Other
 * processes see a change within the TTL.
 *
 * Ownership: the security_t is owned by the app; it owns the cache. */
#ifndef LITESET_DOMAIN_SECURITY_H
#define LITESET_DOMAIN_SECURITY_H

#include <stdbool.h>

#include "config/config.h"
#include "domain/user.h"
#include "persistence/pg.h"

typedef struct security security_t;

security_t *security_new(pg_pool_t *pg, double ttl);
void security_free(security_t *s);
void security_invalidate(security_t *s);

/* Role grants. The role id of `name`, or 0 when no such role. */
bool security_role_can(security_t *s, int64_t role_id, const char *perm, const char *view);
int64_t security_role_id(security_t *s, const char *name);

/* u NULL = anonymous: the AUTH_ROLE_PUBLIC role. */
bool security_can(security_t *s, const config_t *cfg, const sec_user_t *u, const char *perm, const char *view);
bool security_public_can(security_t *s, const config_t *cfg, const char *perm, const char *view);
bool security_is_admin(const config_t *cfg, const sec_user_t *u);

/* Calls fn for every (permission, view menu) granted to the role. */
void security_role_foreach(security_t *s, int64_t role_id, void (*fn)(void *ud, const char *perm, const char *view),
                           void *ud);

#endif
