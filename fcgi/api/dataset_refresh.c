/* Dataset refresh (fetch_metadata); see dataset_refresh.h. New source
 * columns are added with the engine spec's temporal flag, known ones get
 * the source type (their expression cleared), stored columns gone from the
 * source are dropped unless they carry an expression, an empty
 * main_dttm_col takes the first temporal column, and the spec's default
 * "count" metric is added when missing. */
#include <stdlib.h>
#include <string.h>

#include "domain/target_db.h"
#include "fcgi/api/dataset_refresh.h"
#include "fcgi/api/dataset_write.h"
#include "fcgi/app.h"
#include "lib/json.h"
#include "lib/log.h"
#include "persistence/pg_introspect.h"

static const char *num(arena_t *a, int64_t v) { return arena_sprintf(a, "%lld", (long long)v); }

/* First column that is temporal: a stored column keeps its is_dttm when
 * set, a new one is judged by its type. */
static const char *first_temporal(pg_result_t *old, json_t *cols) {
    size_t i;
    json_t *c;
    json_array_foreach(cols, i, c) {
        const char *name = json_string_value(json_object_get(c, "column_name"));
        int found = -1;
        for (int r = 0; old && r < pg_nrows(old); r++)
            if (!strcmp(pg_get(old, r, 0), name)) found = r;
        bool temporal = found >= 0 && !pg_isnull(old, found, 1) ? pg_get_bool(old, found, 1, false)
                                                               : json_is_true(json_object_get(c, "is_dttm"));
        if (temporal) return name;
    }
    return NULL;
}

bool dataset_fetch_metadata(request_t *req, pg_conn_t *c, int64_t pk, const char **why) {
    arena_t *a = req->arena;
    pg_error_t err;
    const char *ids = num(a, pk);
    pg_result_t *ds = pg_conn_query(c, a, &err, "SELECT table_name, schema, sql, database_id, catalog FROM tables"
                                                " WHERE id = $1::int", 1, &ids);
    if (!ds || !pg_nrows(ds)) {
        *why = ds ? "dataset not found" : err.message;
        return false;
    }
    const char *sql = pg_get(ds, 0, 2);
    if (sql && *sql) {
        *why = "Liteset cannot read the columns of virtual (SQL) datasets yet";
        return false;
    }
    target_db_t db;
    if (target_db_open(app_pg(req->app), a, req->cfg, pg_get_int(ds, 0, 3, 0), pg_get(ds, 0, 4), &db, why) != TARGET_OK)
        return false;
    const char *schema = pg_get(ds, 0, 1);
    bool exists = false;
    json_t *cols = pg_introspect_columns(db.pool, a, schema && *schema ? schema : NULL, pg_get(ds, 0, 0), &exists, &err);
    if (!cols || !exists) {
        *why = cols ? "table not found" : err.message;
        json_decref(cols);
        return false;
    }
    arena_on_free(a, (arena_cleanup_fn)json_decref, cols);
    const char *me = num(a, req->user ? req->user->id : 0);
    const char *p[] = {ids, json_dump_arena(a, cols, JSON_COMPACT, NULL), me};
    pg_result_t *old = pg_conn_query(c, a, &err, "SELECT column_name, is_dttm FROM table_columns WHERE table_id = $1::int"
                                                 " ORDER BY id", 1, p);
    bool ok = old &&
              pg_conn_query(c, a, &err,
                            "DELETE FROM table_columns WHERE table_id = $1::int AND coalesce(expression, '') = ''"
                            " AND column_name NOT IN (SELECT x->>'column_name' FROM jsonb_array_elements($2::jsonb) x)",
                            2, p) &&
              pg_conn_query(c, a, &err,
                            "UPDATE table_columns c SET type = x->>'type', expression = '', description ="
                            " coalesce(nullif(x->>'comment', ''), c.description), groupby = true, filterable = true,"
                            " changed_on = localtimestamp, changed_by_fk = $3::int FROM jsonb_array_elements($2::jsonb) x"
                            " WHERE c.table_id = $1::int AND c.column_name = x->>'column_name' AND (c.type IS DISTINCT"
                            " FROM x->>'type' OR c.expression IS DISTINCT FROM '' OR c.groupby IS NOT TRUE OR"
                            " c.filterable IS NOT TRUE OR (coalesce(x->>'comment', '') <> '' AND c.description IS"
                            " DISTINCT FROM x->>'comment'))", 3, p) &&
              pg_conn_query(c, a, &err,
                            "INSERT INTO table_columns (table_id, column_name, type, is_dttm, description, groupby,"
                            " filterable, is_active, uuid, created_on, changed_on, created_by_fk, changed_by_fk)"
                            " SELECT $1::int, x->>'column_name', x->>'type', (x->>'is_dttm')::boolean,"
                            " nullif(x->>'comment', ''), true, true, true, gen_random_uuid(), localtimestamp,"
                            " localtimestamp, $3::int, $3::int FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY e(x, o)"
                            " WHERE NOT EXISTS (SELECT 1 FROM table_columns c WHERE c.table_id = $1::int AND"
                            " c.column_name = x->>'column_name') ORDER BY o", 3, p);
    const char *any_date = ok ? first_temporal(old, cols) : NULL;
    const char *p2[] = {ids, any_date, me};
    ok = ok &&
         pg_conn_query(c, a, &err,
                       "UPDATE tables SET main_dttm_col = $2, changed_on = localtimestamp, changed_by_fk = $3::int"
                       " WHERE id = $1::int AND $2::text IS NOT NULL AND coalesce(main_dttm_col, '') = ''", 3, p2) &&
         pg_conn_query(c, a, &err,
                       "INSERT INTO sql_metrics (table_id, metric_name, verbose_name, metric_type, expression, uuid,"
                       " created_on, changed_on, created_by_fk, changed_by_fk) SELECT $1::int, 'count', 'COUNT(*)',"
                       " 'count', 'COUNT(*)', gen_random_uuid(), localtimestamp, localtimestamp, $2::int, $2::int"
                       " WHERE NOT EXISTS (SELECT 1 FROM sql_metrics WHERE table_id = $1::int AND metric_name = 'count')",
                       2, (const char *[]){ids, me});
    if (!ok) *why = err.message;
    return ok;
}

/* The refresh in its own transaction; NULL when done, else why not. */
static const char *refresh_once(request_t *req, int64_t pk, bool *meta_error) {
    pg_error_t err;
    pg_conn_t *c = pg_acquire(app_pg(req->app), req->arena, &err);
    if (!c) {
        *meta_error = true;
        return err.message;
    }
    const char *why = NULL;
    bool ok = pg_begin(c, req->arena, &err) && dataset_fetch_metadata(req, c, pk, &why) && pg_commit(c, req->arena, &err);
    pg_release(c);
    if (ok) return NULL;
    return why ? why : err.message;
}

bool dataset_refresh_run(request_t *req, int64_t pk) {
    bool meta = false;
    const char *why = refresh_once(req, pk, &meta);
    if (!why) return true;
    log_warn("dataset %lld refresh failed: %s", (long long)pk, why);
    dataset_sip40(req, 500, "GENERIC_COMMAND_ERROR", "Dataset could not be updated.", NULL, 1010,
                  "Superset encountered an error while running a command.");
    return false;
}

void dataset_refresh(request_t *req) {
    int64_t pk = 0;
    int found = dataset_parse_pk(req_path_param(req, "pk"), &pk) ? dataset_lookup(req, pk) : 0;
    if (found < 0) return dataset_fatal(req);
    if (found == 0) return error_fab(req, 404, "Not found");
    if (found == 2) return error_fab(req, 403, "Forbidden");
    bool meta = false;
    const char *why = refresh_once(req, pk, &meta);
    if (!why) return error_fab(req, 200, "OK");
    log_warn("dataset %lld refresh failed: %s", (long long)pk, why);
    error_fab(req, 422, "Dataset could not be updated.");
}
