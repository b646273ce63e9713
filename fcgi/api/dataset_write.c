/* Helpers shared by the dataset write handlers (see dataset_write.h):
 * permission bookkeeping (what Superset's SqlaTable after_insert /
 * before_update listeners do), the visibility and ownership lookup, path
 * ids, SIP-40 error bodies and the default catalog. */
#include <stdlib.h>
#include <string.h>

#include "domain/access.h"
#include "domain/security.h"
#include "domain/security_pvm.h"
#include "fcgi/api/data_access_filter.h"
#include "fcgi/api/dataset_write.h"
#include "fcgi/app.h"
#include "fcgi/errors.h"
#include "fcgi/event_logger.h"
#include "persistence/models.h"

static const char *nonempty(const pg_result_t *r, int col) {
    const char *v = pg_get(r, 0, col);
    return v && *v ? v : NULL;
}

#define ROW_SQL                                                                                                   \
    "SELECT t.table_name, t.schema, t.catalog, t.perm, d.database_name,"                                          \
    " coalesce(nullif(d.verbose_name, ''), d.database_name), t.database_id FROM tables t JOIN dbs d"              \
    " ON d.id = t.database_id WHERE t.id = $1::int"

bool dataset_perm_after_insert(arena_t *a, pg_conn_t *c, int64_t id, pg_error_t *err) {
    const char *ids = arena_sprintf(a, "%lld", (long long)id);
    pg_result_t *r = pg_conn_query(c, a, err, ROW_SQL, 1, &ids);
    if (!r || !pg_nrows(r)) return false;
    const char *perm = perm_datasource(a, pg_get(r, 0, 5), pg_get(r, 0, 0), id);
    const char *schema = nonempty(r, 1), *catalog = nonempty(r, 2), *dbname = pg_get(r, 0, 4);
    const char *schema_perm = schema ? perm_schema(a, dbname, catalog, schema) : NULL;
    const char *catalog_perm = catalog ? perm_catalog(a, dbname, catalog) : NULL;
    if (!security_pvm_ensure(c, a, "datasource_access", perm, err) ||
        !security_pvm_ensure(c, a, "schema_access", schema_perm, err) ||
        !security_pvm_ensure(c, a, "catalog_access", catalog_perm, err))
        return false;
    const char *p[] = {ids, perm, schema_perm, catalog_perm};
    return pg_conn_query(c, a, err,
                         "UPDATE tables SET perm = $2, schema_perm = CASE WHEN $3::text IS NULL THEN schema_perm"
                         " ELSE $3 END, catalog_perm = CASE WHEN $4::text IS NULL THEN catalog_perm ELSE $4 END"
                         " WHERE id = $1::int", 4, p) != NULL;
}

/* _update_dataset_perm: the view menu old becomes new, unless new exists. */
static bool rename_perm(arena_t *a, pg_conn_t *c, const char *ids, const char *old, const char *new_name,
                        pg_error_t *err) {
    const char *p[] = {new_name, old, ids};
    pg_result_t *r = pg_conn_query(c, a, err, "SELECT (SELECT count(*) FROM ab_view_menu WHERE name = $1::text),"
                                              " (SELECT count(*) FROM ab_view_menu WHERE name = $2::text)", 2, p);
    if (!r) return false;
    if (pg_get_int(r, 0, 0, 0) > 0) return true;
    if (!old || pg_get_int(r, 0, 1, 0) == 0) return security_pvm_ensure(c, a, "datasource_access", new_name, err);
    const char *q[] = {new_name, ids};
    return pg_conn_query(c, a, err, "UPDATE ab_view_menu SET name = $1 WHERE name = $2", 2, p) &&
           pg_conn_query(c, a, err, "UPDATE tables SET perm = $1 WHERE id = $2::int", 2, q) &&
           pg_conn_query(c, a, err, "UPDATE slices SET perm = $1 WHERE datasource_type = 'table'"
                                    " AND datasource_id = $2::int", 2, q);
}

/* _update_dataset_catalog_schema_perm */
static bool move_schema_perm(arena_t *a, pg_conn_t *c, const char *ids, const char *dbname, const char *catalog,
                             const char *schema, pg_error_t *err) {
    const char *catalog_perm = catalog ? perm_catalog(a, dbname, catalog) : NULL;
    const char *schema_perm = schema ? perm_schema(a, dbname, catalog, schema) : NULL;
    const char *p[] = {ids, catalog_perm, schema_perm};
    return security_pvm_ensure(c, a, "catalog_access", catalog_perm, err) &&
           security_pvm_ensure(c, a, "schema_access", schema_perm, err) &&
           pg_conn_query(c, a, err, "UPDATE tables SET catalog_perm = $2, schema_perm = $3 WHERE id = $1::int", 3, p) &&
           pg_conn_query(c, a, err, "UPDATE slices SET catalog_perm = $2, schema_perm = $3 WHERE datasource_id = $1::int"
                                    " AND datasource_type = 'table'", 3, p);
}

static bool differs(const char *a, const char *b) {
    if (!a || !b) return a != b;
    return strcmp(a, b) != 0;
}

bool dataset_perm_after_update(arena_t *a, pg_conn_t *c, int64_t id, const dataset_key_t *old, pg_error_t *err) {
    const char *ids = arena_sprintf(a, "%lld", (long long)id);
    pg_result_t *r = pg_conn_query(c, a, err, ROW_SQL, 1, &ids);
    if (!r || !pg_nrows(r)) return false;
    const char *table = pg_get(r, 0, 0), *schema = pg_get(r, 0, 1), *catalog = pg_get(r, 0, 2);
    const char *dbname = pg_get(r, 0, 4);
    int64_t db_id = pg_get_int(r, 0, 6, 0);
    const char *new_vm = perm_datasource(a, dbname, table, id);
    if (db_id != old->database_id &&
        (!rename_perm(a, c, ids, old->perm, new_vm, err) || !move_schema_perm(a, c, ids, dbname, catalog, schema, err)))
        return false;
    if (differs(table, old->table_name) &&
        !rename_perm(a, c, ids, perm_datasource(a, dbname, old->table_name ? old->table_name : "None", id), new_vm, err))
        return false;
    if ((differs(catalog, old->catalog) || differs(schema, old->schema)) &&
        !move_schema_perm(a, c, ids, dbname, catalog, schema, err))
        return false;
    return true;
}

void dataset_fatal(request_t *req) {
    event_log_skip(req);
    error_fab(req, 500, "Fatal error");
}

int dataset_lookup(request_t *req, int64_t pk) {
    model_query_t q;
    mq_init(&q, req->arena, &model_dataset);
    data_access_datasource_filter(req, &q);
    const char *id = mq_param(&q, arena_sprintf(req->arena, "%lld", (long long)pk));
    const char *me = mq_param(&q, arena_sprintf(req->arena, "%lld", (long long)(req->user ? req->user->id : 0)));
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              arena_sprintf(req->arena,
                                            "SELECT EXISTS (SELECT 1 FROM sqlatable_user o WHERE o.table_id = t.id"
                                            " AND o.user_id = %s::int) FROM tables t WHERE t.id = %s::int%s%s",
                                            me, id, q.where.len ? " AND " : "", q.where.data),
                              q.nparams, q.params);
    if (!r) return -1;
    if (!pg_nrows(r)) return 0;
    bool admin = req->user && security_is_admin(req->cfg, req->user);
    bool owner = req->user && !req->user->is_guest && !strcmp(pg_get(r, 0, 0), "t");
    return admin || owner ? 1 : 2;
}

void dataset_sip40(request_t *req, int status, const char *error_type, const char *message, json_t *extra,
                   int issue_code, const char *issue_text) {
    if (!issue_code) {
        json_t *err = json_pack("{s:s,s:s,s:s,s:o}", "message", message, "error_type", error_type, "level", "error",
                                "extra", extra ? extra : json_null());
        resp_json(req, status, json_pack("{s:[o]}", "errors", err), JSON_ENSURE_ASCII);
        return;
    }
    if (!extra) extra = json_object();
    json_object_set_new(extra, "issue_codes",
                        json_pack("[{s:i,s:s}]", "code", issue_code, "message",
                                  arena_sprintf(req->arena, "Issue %d - %s", issue_code, issue_text)));
    json_t *err = json_pack("{s:s,s:s,s:s,s:o}", "message", message, "error_type", error_type, "level", "error",
                            "extra", extra);
    resp_json(req, status, json_pack("{s:[o]}", "errors", err), JSON_ENSURE_ASCII);
}

const char *dataset_default_catalog(arena_t *a, const char *uri) {
    if (!uri) return NULL;
    const char *sep = strstr(uri, "://");
    if (!sep) return NULL;
    size_t blen = strcspn(uri, "+:");
    if (blen != strlen("postgresql") || strncmp(uri, "postgresql", blen)) return NULL;
    const char *rest = sep + 3;
    size_t qlen = strcspn(rest, "?#");
    const char *host = rest;
    for (size_t i = 0; i < qlen; i++)
        if (rest[i] == '@') host = rest + i + 1;
    const char *slash = strchr(host, '/');
    if (!slash) return NULL;
    size_t n = strcspn(slash + 1, "?#");
    if (!n) return NULL;
    return arena_strndup(a, slash + 1, n);
}

bool dataset_parse_pk(const char *s, int64_t *pk) {
    char *end;
    long long v = s && *s ? strtoll(s, &end, 10) : 0;
    if (!s || !*s || *end || v <= 0 || v > 2147483647) return false;
    *pk = v;
    return true;
}
