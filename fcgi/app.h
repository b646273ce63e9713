/* The application: current configuration, router, metadata database pool,
 * Redis client and static error pages of one liteset-fcgi process, plus the
 * dispatch that runs the middleware chain and the matched route.
 *
 * Ownership: the app owns all of the above. On reload, the previous config is
 * retired and freed once no request started under it is still running. */
#ifndef LITESET_FCGI_APP_H
#define LITESET_FCGI_APP_H

#include <ev.h>

#include "config/config.h"
#include "domain/security.h"
#include "fcgi/errors.h"
#include "fcgi/request.h"
#include "fcgi/router.h"
#include "persistence/pg.h"
#include "persistence/redis.h"

typedef struct app app_t;

/* Takes ownership of cfg. NULL + *err (static) on failure. */
app_t *app_new(struct ev_loop *loop, config_t *cfg, const char **err);
void app_free(app_t *app);
/* SIGHUP: swap in a new config (owned by the app from now on). */
void app_reload(app_t *app, config_t *cfg);

/* Server hooks (ud = app). */
void app_begin(request_t *req, void *ud);
void app_handle(request_t *req, void *ud);
void app_end(request_t *req, void *ud);

const config_t *app_config(const app_t *app);
const router_t *app_router(const app_t *app);
const error_pages_t *app_error_pages(const app_t *app);
pg_pool_t *app_pg(app_t *app);           /* NULL when no database is configured */
redis_client_t *app_redis(app_t *app);
security_t *app_security(app_t *app);      /* NULL when no database is configured */

#endif
