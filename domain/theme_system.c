/* System theme lookup; see theme_system.h. One query answers both. */
#include "domain/theme_system.h"

#include <string.h>

#include "lib/log.h"

static const char *const SQL_SYSTEM_THEMES =
    "SELECT k.kind,"
    " (SELECT CASE WHEN count(*) = 1 THEN 1 END FROM themes t"
    "   WHERE CASE WHEN k.kind = 'default' THEN t.is_system_default ELSE t.is_system_dark END),"
    " (SELECT min(t.json_data) FROM themes t"
    "   WHERE CASE WHEN k.kind = 'default' THEN t.is_system_default ELSE t.is_system_dark END),"
    " (SELECT t.id FROM themes t WHERE t.is_system AND t.theme_name = k.name ORDER BY t.id LIMIT 1),"
    " (SELECT t.json_data FROM themes t WHERE t.is_system AND t.theme_name = k.name ORDER BY t.id LIMIT 1)"
    " FROM (VALUES ('default', 'THEME_DEFAULT'), ('dark', 'THEME_DARK')) AS k(kind, name)";

bool theme_system_load(pg_pool_t *pg, arena_t *a, theme_system_t *out) {
    memset(out, 0, sizeof *out);
    pg_error_t err;
    pg_result_t *r = pg_query_prepared(pg, a, &err, "theme_system", SQL_SYSTEM_THEMES, 0, NULL);
    if (!r) {
        log_error("system themes: %s", err.message ? err.message : "database error");
        return false;
    }
    for (int i = 0; i < pg_nrows(r); i++) {
        bool dark = !strcmp(pg_get(r, i, 0), "dark");
        bool found = false;
        const char *json = NULL;
        if (!pg_isnull(r, i, 1)) { /* exactly one flagged theme */
            found = true;
            json = pg_isnull(r, i, 2) ? NULL : arena_strdup(a, pg_get(r, i, 2));
        } else if (!pg_isnull(r, i, 3)) { /* the seeded system theme */
            found = true;
            json = pg_isnull(r, i, 4) ? NULL : arena_strdup(a, pg_get(r, i, 4));
        }
        if (dark) {
            out->dark_found = found;
            out->dark_json = json;
        } else {
            out->default_found = found;
            out->default_json = json;
        }
    }
    return true;
}
