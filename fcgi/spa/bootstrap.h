/* The SPA bootstrap payload (the JSON in data-bootstrap):
 *   user   bootstrap_user_data(include_perms=True): identity, roles with
 *          their (permission, view menu) pairs, data-access permissions;
 *   common common_bootstrap_payload(): frontend settings, feature flags,
 *          locale, menu, theme, and the session's flash messages (consumed).
 *
 * The common part without the flash messages is memoized like the
 * reference's cached_common_bootstrap_data: for 60 seconds per (user,
 * locale), in a per-process cache, and only when CACHE_CONFIG names a real
 * cache (Superset's default NullCache memoizes nothing). A configuration
 * reload empties it.
 *
 * Ownership: results are new jansson references. */
#ifndef LITESET_FCGI_SPA_BOOTSTRAP_H
#define LITESET_FCGI_SPA_BOOTSTRAP_H

#include <jansson.h>

#include "domain/user.h"
#include "fcgi/request.h"

json_t *spa_bootstrap_user(request_t *req, const sec_user_t *user);
json_t *spa_bootstrap_common(request_t *req, const sec_user_t *user);
/* {"user": ..., "common": ..., <extra keys>}; extra (may be NULL) is stolen. */
json_t *spa_bootstrap(request_t *req, const sec_user_t *user, json_t *extra);

/* Flask's flash(): appends (category, message) to the session's queue. */
void spa_flash(request_t *req, const char *category, const char *message);
/* get_flashed_messages(with_categories=True): [[category, message], ...],
 * removing the queue from the session. */
json_t *spa_flash_consume(request_t *req);

/* Superset's is_valid_theme. */
bool spa_theme_valid(const json_t *theme);

#endif
