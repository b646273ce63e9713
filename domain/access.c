/* Data-access permission names, access helpers and RLS selection; see access.h. */
#include "domain/access.h"

#include <stdlib.h>
#include <string.h>

char *perm_database(arena_t *a, const char *database_name, int64_t id) {
    return arena_sprintf(a, "[%s].(id:%lld)", database_name, (long long)id);
}

char *perm_catalog(arena_t *a, const char *database_name, const char *catalog) {
    return arena_sprintf(a, "[%s].[%s]", database_name, catalog);
}

char *perm_schema(arena_t *a, const char *database_name, const char *catalog, const char *schema) {
    if (catalog && *catalog) return arena_sprintf(a, "[%s].[%s].[%s]", database_name, catalog, schema);
    return arena_sprintf(a, "[%s].[%s]", database_name, schema);
}

char *perm_datasource(arena_t *a, const char *database_display_name, const char *table_name, int64_t id) {
    return arena_sprintf(a, "[%s].[%s](id:%lld)", database_display_name, table_name, (long long)id);
}

bool access_all_datasources(security_t *s, const config_t *cfg, const sec_user_t *u) {
    return security_can(s, cfg, u, "all_database_access", "all_database_access") ||
           security_can(s, cfg, u, "all_datasource_access", "all_datasource_access");
}

bool access_database(security_t *s, const config_t *cfg, const sec_user_t *u, const char *database_perm) {
    return access_all_datasources(s, cfg, u) || (database_perm && security_can(s, cfg, u, "database_access", database_perm));
}

bool access_catalog(security_t *s, const config_t *cfg, const sec_user_t *u, const char *database_perm,
                    const char *catalog_perm) {
    return access_database(s, cfg, u, database_perm) ||
           (catalog_perm && security_can(s, cfg, u, "catalog_access", catalog_perm));
}

bool access_schema(security_t *s, const config_t *cfg, const sec_user_t *u, const char *database_perm,
                   const char *catalog_perm, const char *schema_perm) {
    return access_catalog(s, cfg, u, database_perm, catalog_perm) ||
           (schema_perm && security_can(s, cfg, u, "schema_access", schema_perm));
}

/* The user's role ids as a JSON array text: direct + group roles for users,
 * the guest role for guests, the public role for anonymous clients. */
static char *role_ids(arena_t *a, security_t *s, const config_t *cfg, const sec_user_t *u) {
    json_t *ids = json_array();
    if (u) {
        for (int i = 0; i < u->nroles; i++) json_array_append_new(ids, json_integer(u->roles[i].id));
    } else {
        int64_t pub = security_role_id(s, config_str(cfg, "AUTH_ROLE_PUBLIC", "Public"));
        if (pub) json_array_append_new(ids, json_integer(pub));
    }
    char *text = json_dumps(ids, JSON_COMPACT);
    char *out = arena_strdup(a, text);
    free(text);
    json_decref(ids);
    return out;
}

json_t *rls_filters_for(pg_pool_t *pg, arena_t *a, security_t *s, const config_t *cfg, const sec_user_t *u,
                        int64_t table_id, pg_error_t *err) {
    const char *p[] = {arena_sprintf(a, "%lld", (long long)table_id), role_ids(a, s, cfg, u)};
    pg_result_t *r = pg_query_prepared(
        pg, a, err, "rls_filters_for",
        "WITH roles AS (SELECT x::int AS id FROM jsonb_array_elements_text($2::jsonb) e(x))"
        " SELECT f.id, f.group_key, f.clause FROM row_level_security_filters f"
        " WHERE EXISTS (SELECT 1 FROM rls_filter_tables t WHERE t.rls_filter_id = f.id AND t.table_id = $1::int)"
        "   AND ((f.filter_type = 'Regular' AND EXISTS (SELECT 1 FROM rls_filter_roles fr"
        "          WHERE fr.rls_filter_id = f.id AND fr.role_id IN (SELECT id FROM roles)))"
        "     OR (f.filter_type = 'Base' AND NOT EXISTS (SELECT 1 FROM rls_filter_roles fr"
        "          WHERE fr.rls_filter_id = f.id AND fr.role_id IN (SELECT id FROM roles))))"
        " ORDER BY f.id",
        2, p);
    if (!r) return NULL;
    json_t *out = json_array();
    for (int i = 0; i < pg_nrows(r); i++) {
        const char *gk = pg_get(r, i, 1);
        json_array_append_new(out, json_pack("{s:I,s:o,s:s}", "id", (json_int_t)pg_get_int(r, i, 0, 0), "group_key",
                                             gk ? json_string(gk) : json_null(), "clause", pg_get(r, i, 2)));
    }
    return out;
}
