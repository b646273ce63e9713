/* The time grains a database engine offers for display (Database.grains():
 * the built-in grains its engine spec has expressions for). */
#ifndef LITESET_DOMAIN_TIME_GRAINS_H
#define LITESET_DOMAIN_TIME_GRAINS_H

#include <stddef.h>

#define TIME_GRAIN_COUNT 19

typedef struct time_grain {
    const char *duration; /* ISO 8601 key, "P1D" */
    const char *name;     /* "Day" */
} time_grain_t;

typedef struct time_grain_engine {
    const char *engine;
    unsigned char grains[TIME_GRAIN_COUNT]; /* indexes into time_grain_builtin */
    size_t count;
} time_grain_engine_t;

extern const time_grain_t time_grain_builtin[TIME_GRAIN_COUNT];

/* The engine's grains, NULL for a backend without a known spec (no grains). */
const time_grain_engine_t *time_grains_for(const char *backend);

#endif
