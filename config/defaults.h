/* Superset 6.0.0's default settings (for the keys Liteset uses) and
 * Liteset's own keys; internal to config/. */
#ifndef LITESET_CONFIG_DEFAULTS_H
#define LITESET_CONFIG_DEFAULTS_H

#include <jansson.h>
#include <stdbool.h>

/* Python-literal source of the static defaults (parsed with pyliteral). */
extern const char config_defaults_source[];

/* Fills values (an empty object) with the defaults, including those Superset
 * computes from the environment at import time (SUPERSET_SECRET_KEY,
 * SUPERSET_HOME, FLASK_DEBUG, TALISMAN_ENABLED, SUPERSET_FEATURE_*, ...).
 * Returns false only if the built-in source failed to parse (a bug). */
bool config_defaults_apply(json_t *values);

/* Superset's parse_boolean_string: y, yes, t, true, on, 1 (any case). */
bool config_parse_bool_string(const char *s);

#endif
