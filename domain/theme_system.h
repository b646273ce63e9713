/* The system themes the SPA bootstrap carries (ThemeDAO.find_system_default
 * / find_system_dark): the single theme flagged is_system_default (or
 * is_system_dark); when there is none or more than one, the is_system theme
 * named THEME_DEFAULT (THEME_DARK). Runs on a fiber. */
#ifndef LITESET_DOMAIN_THEME_SYSTEM_H
#define LITESET_DOMAIN_THEME_SYSTEM_H

#include <stdbool.h>

#include "lib/arena.h"
#include "persistence/pg.h"

typedef struct theme_system {
    bool default_found;
    const char *default_json; /* json_data text (arena), NULL when the column is NULL */
    bool dark_found;
    const char *dark_json;
} theme_system_t;

/* false on a database error (out then says nothing was found). */
bool theme_system_load(pg_pool_t *pg, arena_t *a, theme_system_t *out);

#endif
