/* Page-route lookups; see page_lookup.h. */
#include "domain/page_lookup.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "domain/access.h"
#include "lib/log.h"

static lookup_t failed(const char *what, const pg_error_t *err) {
    log_error("%s: %s", what, err->message ? err->message : "database error");
    return LOOKUP_ERROR;
}

/* Python int(text): optional surrounding whitespace and sign, digits. */
static bool parse_python_int(const char *s, int64_t *out) {
    while (isspace((unsigned char)*s)) s++;
    const char *p = s;
    if (*p == '+' || *p == '-') p++;
    if (!isdigit((unsigned char)*p)) return false;
    while (isdigit((unsigned char)*p)) p++;
    while (isspace((unsigned char)*p)) p++;
    if (*p) return false;
    errno = 0;
    long long v = strtoll(s, NULL, 10);
    if (errno) return false;
    *out = (int64_t)v;
    return true;
}

const char *page_parse_uuid(arena_t *a, const char *text) {
    const char *s = text;
    size_t n = strlen(s);
    if (n >= 9 && !strncasecmp(s, "urn:uuid:", 9)) s += 9, n -= 9;
    if (n >= 2 && s[0] == '{' && s[n - 1] == '}') s++, n -= 2;
    char hex[33];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '-') continue;
        if (!isxdigit((unsigned char)s[i]) || k == 32) return NULL;
        hex[k++] = (char)tolower((unsigned char)s[i]);
    }
    if (k != 32) return NULL;
    hex[32] = '\0';
    return arena_sprintf(a, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
}

lookup_t page_dashboard_find(pg_pool_t *pg, arena_t *a, const char *id_or_slug, page_dashboard_t *out) {
    static const char *const cols = "SELECT id, dashboard_title, coalesce(published, false) FROM dashboards WHERE ";
    pg_error_t err;
    pg_result_t *r;
    int64_t id;
    const char *uuid;
    if (parse_python_int(id_or_slug, &id)) {
        const char *p = arena_sprintf(a, "%lld", (long long)id);
        r = pg_query(pg, a, &err, arena_sprintf(a, "%sid = $1::int", cols), 1, &p);
    } else if ((uuid = page_parse_uuid(a, id_or_slug))) {
        r = pg_query(pg, a, &err, arena_sprintf(a, "%suuid = $1::uuid", cols), 1, &uuid);
    } else {
        r = pg_query(pg, a, &err, arena_sprintf(a, "%sslug = $1", cols), 1, &id_or_slug);
    }
    if (!r) {
        /* an id beyond the int range matches nothing, as in the reference */
        if (err.status == PG_ERR_QUERY && !strcmp(err.sqlstate, "22003")) return LOOKUP_MISSING;
        return failed("dashboard lookup", &err);
    }
    if (pg_nrows(r) != 1) return LOOKUP_MISSING;
    out->id = pg_get_int(r, 0, 0, 0);
    out->title = pg_isnull(r, 0, 1) ? NULL : arena_strdup(a, pg_get(r, 0, 1));
    out->published = pg_get_bool(r, 0, 2, false);
    return LOOKUP_FOUND;
}

/* can_access_schema(datasource), datasource_access, or dataset ownership,
 * for one row of the dataset query below. */
static bool dataset_allowed(security_t *sec, const config_t *cfg, const sec_user_t *u, const pg_result_t *r,
                            int row, arena_t *a) {
    const char *perm = pg_get(r, row, 0), *schema_perm = pg_get(r, row, 1), *catalog = pg_get(r, row, 2);
    const char *catalog_perm = pg_get(r, row, 3), *db_name = pg_get(r, row, 4);
    int64_t db_id = pg_get_int(r, row, 5, 0);
    const char *db_perm = db_name ? perm_database(a, db_name, db_id) : NULL;
    if (access_schema(sec, cfg, u, db_perm, catalog && *catalog ? catalog_perm : NULL, schema_perm ? schema_perm : ""))
        return true;
    if (security_can(sec, cfg, u, "datasource_access", perm ? perm : "")) return true;
    return pg_get_bool(r, row, 6, false); /* owner */
}

lookup_t page_dashboard_access(pg_pool_t *pg, security_t *sec, const config_t *cfg, arena_t *a,
                               const sec_user_t *user, const page_dashboard_t *d) {
    if (user && user->is_guest) return LOOKUP_MISSING; /* guests only see embedded dashboards */
    if (user && security_is_admin(cfg, user)) return LOOKUP_FOUND;
    pg_error_t err;
    const char *params[2] = {arena_sprintf(a, "%lld", (long long)d->id),
                             arena_sprintf(a, "%lld", (long long)(user ? user->id : 0))};
    if (user) {
        pg_result_t *o = pg_query(pg, a, &err,
                                  "SELECT 1 FROM dashboard_user WHERE dashboard_id = $1::int AND user_id = $2::int",
                                  2, params);
        if (!o) return failed("dashboard owners", &err);
        if (pg_nrows(o) > 0) return LOOKUP_FOUND;
    }
    if (config_feature(cfg, "DASHBOARD_RBAC")) {
        pg_result_t *roles =
            pg_query(pg, a, &err, "SELECT role_id FROM dashboard_roles WHERE dashboard_id = $1::int", 1, params);
        if (!roles) return failed("dashboard roles", &err);
        if (pg_nrows(roles) > 0) {
            if (!d->published) return LOOKUP_MISSING;
            int64_t public_id = 0;
            if (!user) {
                const char *pr = config_str(cfg, "AUTH_ROLE_PUBLIC", "Public");
                public_id = pr && *pr ? security_role_id(sec, pr) : 0;
            }
            for (int i = 0; i < pg_nrows(roles); i++) {
                int64_t rid = pg_get_int(roles, i, 0, 0);
                if (!user && rid && rid == public_id) return LOOKUP_FOUND;
                for (int k = 0; user && k < user->nroles; k++)
                    if (user->roles[k].id == rid) return LOOKUP_FOUND;
            }
            return LOOKUP_MISSING;
        }
    }
    pg_result_t *ds = pg_query(pg, a, &err,
                               "SELECT t.perm, t.schema_perm, t.catalog, t.catalog_perm, db.database_name, db.id,"
                               " EXISTS (SELECT 1 FROM sqlatable_user su WHERE su.table_id = t.id"
                               "         AND su.user_id = $2::int)"
                               " FROM tables t JOIN dbs db ON db.id = t.database_id"
                               " WHERE t.id IN (SELECT s.datasource_id FROM dashboard_slices ds"
                               "                JOIN slices s ON s.id = ds.slice_id"
                               "                WHERE ds.dashboard_id = $1::int AND s.datasource_type = 'table')",
                               2, params);
    if (!ds) return failed("dashboard datasets", &err);
    if (pg_nrows(ds) == 0) return LOOKUP_FOUND;
    for (int i = 0; i < pg_nrows(ds); i++)
        if (dataset_allowed(sec, cfg, user, ds, i, a)) return LOOKUP_FOUND;
    return LOOKUP_MISSING;
}

lookup_t page_dashboard_is_owner(pg_pool_t *pg, const config_t *cfg, arena_t *a, const sec_user_t *user,
                                 int64_t dashboard_id) {
    if (!user || user->is_guest) return LOOKUP_MISSING;
    if (security_is_admin(cfg, user)) return LOOKUP_FOUND;
    pg_error_t err;
    const char *p[2] = {arena_sprintf(a, "%lld", (long long)dashboard_id), arena_sprintf(a, "%lld", (long long)user->id)};
    pg_result_t *r =
        pg_query(pg, a, &err, "SELECT 1 FROM dashboard_user WHERE dashboard_id = $1::int AND user_id = $2::int", 2, p);
    if (!r) return failed("dashboard owners", &err);
    return pg_nrows(r) ? LOOKUP_FOUND : LOOKUP_MISSING;
}

lookup_t page_welcome_dashboard(pg_pool_t *pg, arena_t *a, int64_t user_id, int64_t *dashboard_id) {
    pg_error_t err;
    const char *p = arena_sprintf(a, "%lld", (long long)user_id);
    pg_result_t *r = pg_query(pg, a, &err,
                              "SELECT welcome_dashboard_id FROM user_attribute WHERE user_id = $1::int"
                              " AND welcome_dashboard_id IS NOT NULL ORDER BY id LIMIT 1",
                              1, &p);
    if (!r) return failed("welcome dashboard", &err);
    if (pg_nrows(r) == 0) return LOOKUP_MISSING;
    *dashboard_id = pg_get_int(r, 0, 0, 0);
    return *dashboard_id ? LOOKUP_FOUND : LOOKUP_MISSING;
}

lookup_t page_chart_exists(pg_pool_t *pg, arena_t *a, int64_t chart_id) {
    pg_error_t err;
    const char *p = arena_sprintf(a, "%lld", (long long)chart_id);
    pg_result_t *r = pg_query(pg, a, &err, "SELECT 1 FROM slices WHERE id = $1::bigint", 1, &p);
    if (!r) return failed("chart lookup", &err);
    return pg_nrows(r) ? LOOKUP_FOUND : LOOKUP_MISSING;
}

lookup_t page_embedded_find(pg_pool_t *pg, arena_t *a, const char *uuid, int64_t *dashboard_id,
                            const char **allow_domain_list) {
    const char *canon = page_parse_uuid(a, uuid);
    if (!canon) return LOOKUP_MISSING;
    pg_error_t err;
    pg_result_t *r = pg_query(pg, a, &err,
                              "SELECT dashboard_id, allow_domain_list FROM embedded_dashboards WHERE uuid = $1::uuid",
                              1, &canon);
    if (!r) return failed("embedded dashboard lookup", &err);
    if (pg_nrows(r) != 1) return LOOKUP_MISSING;
    *dashboard_id = pg_get_int(r, 0, 0, 0);
    *allow_domain_list = pg_isnull(r, 0, 1) ? NULL : arena_strdup(a, pg_get(r, 0, 1));
    return LOOKUP_FOUND;
}

int64_t page_dashboard_create_blank(pg_pool_t *pg, arena_t *a, const sec_user_t *user) {
    pg_error_t err;
    pg_conn_t *c = pg_acquire(pg, a, &err);
    if (!c) {
        failed("new dashboard", &err);
        return 0;
    }
    const char *uid = arena_sprintf(a, "%lld", (long long)user->id);
    int64_t id = 0;
    if (pg_begin(c, a, &err)) {
        pg_result_t *r = pg_conn_query(c, a, &err,
                                       "INSERT INTO dashboards (created_on, changed_on, dashboard_title, published,"
                                       " uuid, is_managed_externally, created_by_fk, changed_by_fk)"
                                       " VALUES (localtimestamp, localtimestamp, '[ untitled dashboard ]', false,"
                                       " gen_random_uuid(), false, $1::int, $1::int) RETURNING id",
                                       1, &uid);
        if (r && pg_nrows(r) == 1) {
            const char *p[2] = {uid, arena_strdup(a, pg_get(r, 0, 0))};
            if (pg_conn_query(c, a, &err, "INSERT INTO dashboard_user (user_id, dashboard_id) VALUES ($1::int, $2::int)",
                              2, p) &&
                pg_commit(c, a, &err))
                id = pg_get_int(r, 0, 0, 0);
        }
    }
    if (!id) failed("new dashboard", &err);
    pg_release(c);
    return id;
}
