/* Settings the SPA bootstrap reads, with Superset 6.0.0's defaults for the
 * ones config/defaults.c does not define (the frontend keys, navbar texts,
 * the environment tag). A value from superset_config.py always wins.
 *
 * Ownership: returned values are new references (deep copies). */
#ifndef LITESET_FCGI_SPA_CONF_H
#define LITESET_FCGI_SPA_CONF_H

#include <jansson.h>

#include "config/config.h"

/* Superset's FRONTEND_CONF_KEYS, in the reference's order. */
extern const char *const spa_frontend_conf_keys[];
extern const size_t spa_frontend_conf_nkeys;

/* cfg's value of key, else Superset's default, else null. Never NULL. */
json_t *spa_conf_value(const config_t *cfg, const char *key);
/* Python truthiness of spa_conf_value(cfg, key). */
bool spa_conf_truthy(const config_t *cfg, const char *key);
/* The string value (owned by cfg or static), or def. */
const char *spa_conf_str(const config_t *cfg, const char *key, const char *def);

/* common.conf: the frontend keys plus the computed ones (section 6.4). */
json_t *spa_frontend_conf(const config_t *cfg);
/* DEFAULT_FEATURE_FLAGS updated with FEATURE_FLAGS (raw values). */
json_t *spa_feature_flags(const config_t *cfg);

#endif
