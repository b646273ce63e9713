/* POST /api/v1/dashboard/<id_or_slug>/copy/ (CopyDashboardCommand): a new
 * dashboard owned by the caller with the given title, css and the original's
 * json_metadata rewritten by the request's metadata; charts are shared, or
 * cloned (owned by the caller) with duplicate_slices, the layout's chart
 * ids remapped. Answers {"result": {"id", "last_modified_time"}}. */
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "domain/dashboard_copy.h"
#include "domain/security.h"
#include "fcgi/api/dashboard_extra.h"
#include "fcgi/api/dashboard.h"
#include "fcgi/api/dashboard_schema.h"
#include "fcgi/app.h"
#include "fcgi/errors.h"
#include "lib/json.h"
#include "persistence/pg.h"

static const schema_field_t copy_schema[] = {
    {"dashboard_title", FS_STR, true, false, 500},
    {"css", FS_STR, false, false, 0},
    {"json_metadata", FS_METADATA, false, true, 0},
    {"duplicate_slices", FS_BOOL, false, false, 0},
    {NULL, 0, false, false, 0},
};

typedef enum { COPY_OK, COPY_RAISED, COPY_DB_ERROR } copy_status_t;

typedef struct copy_job {
    request_t *req;
    pg_conn_t *c;
    pg_error_t err;
    const char *orig, *me, *id; /* decimal ids */
} copy_job_t;

static const char *num(request_t *req, long long v) { return arena_sprintf(req->arena, "%lld", v); }

static pg_result_t *run(copy_job_t *j, const char *sql, int n, const char **p) {
    return pg_conn_query(j->c, j->req->arena, &j->err, sql, n, p);
}

/* Clones the original's charts; fills old_to_new ({"<old>": new}). */
static bool clone_charts(copy_job_t *j, json_t *old_to_new) {
    const char *p[] = {j->orig};
    pg_result_t *r = run(j, "SELECT s.id FROM dashboard_slices ds JOIN slices s ON s.id = ds.slice_id"
                            " WHERE ds.dashboard_id = $1::int ORDER BY ds.id", 1, p);
    if (!r) return false;
    for (int i = 0; i < pg_nrows(r); i++) {
        const char *q[] = {pg_get(r, i, 0), j->me};
        pg_result_t *n = run(j,
                             "INSERT INTO slices (slice_name, datasource_id, datasource_type, datasource_name, viz_type,"
                             " params, description, cache_timeout, perm, schema_perm, catalog_perm, uuid, created_on,"
                             " changed_on, created_by_fk, changed_by_fk) SELECT s.slice_name, s.datasource_id,"
                             " s.datasource_type, s.datasource_name, s.viz_type, s.params, s.description, s.cache_timeout,"
                             " t.perm, t.schema_perm, t.catalog_perm, gen_random_uuid(), localtimestamp, localtimestamp,"
                             " nullif($2::int, 0), nullif($2::int, 0) FROM slices s LEFT JOIN tables t ON"
                             " t.id = s.datasource_id AND s.datasource_type = 'table' WHERE s.id = $1::int RETURNING id",
                             2, q);
        if (!n || !pg_nrows(n)) return false;
        const char *link[] = {pg_get(n, 0, 0), j->me};
        if (!run(j, "INSERT INTO slice_user (user_id, slice_id) SELECT $2::int, $1::int WHERE $2::int <> 0", 2, link) ||
            !run(j, "INSERT INTO dashboard_slices (dashboard_id, slice_id) VALUES ($2::int, $1::int)", 2,
                 (const char *[]){link[0], j->id}))
            return false;
        json_object_set_new(old_to_new, pg_get(r, i, 0), json_integer(pg_get_int(n, 0, 0, 0)));
    }
    return true;
}

/* set_dash_metadata's positions step: the copy's charts become the ones the
 * layout names; chart uuids go into the layout; position_json is written. */
static copy_status_t apply_positions(copy_job_t *j, json_t *positions, json_t **chart_ids) {
    *chart_ids = dash_copy_chart_ids(positions);
    if (!*chart_ids) return COPY_RAISED;
    json_arena_own(j->req->arena, *chart_ids);
    json_t *ids = dash_copy_query_ids(*chart_ids);
    if (!ids) return COPY_DB_ERROR; /* the id list does not cast: a database error */
    json_arena_own(j->req->arena, ids);
    const char *p[] = {j->id, json_dump_arena(j->req->arena, ids, JSON_COMPACT, NULL)};
    pg_result_t *r = run(j, "SELECT json_object_agg(id, uuid::text)::text FROM slices WHERE id IN"
                            " (SELECT x::int FROM jsonb_array_elements_text($1::jsonb) e(x))", 1, p + 1);
    if (!r || !run(j, "DELETE FROM dashboard_slices WHERE dashboard_id = $1::int", 1, p) ||
        !run(j, "INSERT INTO dashboard_slices (dashboard_id, slice_id) SELECT $1::int, id FROM slices WHERE id IN"
                " (SELECT x::int FROM jsonb_array_elements_text($2::jsonb) e(x))", 2, p))
        return COPY_DB_ERROR;
    json_t *uuids = pg_isnull(r, 0, 0) ? json_object() : json_loads(pg_get(r, 0, 0), 0, NULL);
    if (!uuids) return COPY_DB_ERROR;
    json_arena_own(j->req->arena, uuids);
    if (!dash_copy_set_uuids(positions, uuids)) return COPY_RAISED;
    const char *q[] = {j->id, json_dump_arena(j->req->arena, positions, JSON_PY_COMPACT | JSON_SORT_KEYS, NULL)};
    if (!q[1]) return COPY_RAISED;
    return run(j, "UPDATE dashboards SET position_json = $2 WHERE id = $1::int", 2, q) ? COPY_OK : COPY_DB_ERROR;
}

/* DashboardDAO.copy_dashboard inside the open transaction. */
static copy_status_t copy(copy_job_t *j, json_t *body, json_t *data) {
    json_t *title = json_object_get(body, "dashboard_title"), *css = json_object_get(body, "css");
    const char *p[] = {j->orig, j->me, json_string_value(title), json_is_string(css) ? json_string_value(css) : NULL};
    pg_result_t *r = run(j,
                         "INSERT INTO dashboards (dashboard_title, css, json_metadata, published, is_managed_externally,"
                         " uuid, created_on, changed_on, created_by_fk, changed_by_fk) SELECT $3, $4, d.json_metadata,"
                         " false, false, gen_random_uuid(), localtimestamp, localtimestamp, nullif($2::int, 0),"
                         " nullif($2::int, 0) FROM dashboards d WHERE d.id = $1::int RETURNING id, json_metadata",
                         4, p);
    if (!r || !pg_nrows(r)) return COPY_DB_ERROR;
    j->id = pg_get(r, 0, 0);
    const char *md_text = pg_get(r, 0, 1);
    json_t *md = md_text && *md_text ? json_loads(md_text, JSON_DECODE_ANY, NULL) : json_object();
    if (!md) return COPY_RAISED;
    json_arena_own(j->req->arena, md);
    const char *link[] = {j->id, j->me};
    if (!run(j, "INSERT INTO dashboard_user (dashboard_id, user_id) SELECT $1::int, $2::int WHERE $2::int <> 0", 2, link))
        return COPY_DB_ERROR;
    json_t *old_to_new = json_arena_own(j->req->arena, json_object());
    json_t *positions = json_object_get(data, "positions");
    if (schema_bool_value(json_object_get(body, "duplicate_slices"))) {
        if (!clone_charts(j, old_to_new)) return COPY_DB_ERROR;
        if (!positions || !dash_copy_remap_charts(positions, old_to_new)) return COPY_RAISED;
    } else if (!run(j, "INSERT INTO dashboard_slices (dashboard_id, slice_id) SELECT $1::int, slice_id FROM"
                       " dashboard_slices WHERE dashboard_id = $2::int ORDER BY id", 2, (const char *[]){j->id, j->orig})) {
        return COPY_DB_ERROR;
    }
    json_t *chart_ids = NULL;
    if (positions && !json_is_null(positions)) {
        copy_status_t s = apply_positions(j, positions, &chart_ids);
        if (s != COPY_OK) return s;
    }
    if (!dash_copy_metadata(md, data, chart_ids, old_to_new)) return COPY_RAISED;
    const char *q[] = {j->id, json_dump_arena(j->req->arena, md, JSON_PY_DEFAULT, NULL)};
    if (!q[1]) return COPY_RAISED;
    return run(j, "UPDATE dashboards SET json_metadata = $2 WHERE id = $1::int", 2, q) ? COPY_OK : COPY_DB_ERROR;
}

static bool is_owner(request_t *req, int64_t id) {
    const char *p[] = {num(req, id), num(req, req->user ? req->user->id : 0)};
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              "SELECT 1 FROM dashboard_user WHERE dashboard_id = $1::int AND user_id = $2::int", 2, p);
    return r && pg_nrows(r);
}

void dashboard_copy(request_t *req) {
    int64_t orig = dashboard_find(req, req_path_param(req, "id_or_slug"));
    if (orig <= 0) return;
    json_t *body = dashboard_json_body(req);
    if (!body) return;
    json_t *errors = schema_errors(req->arena, copy_schema, body);
    if (errors) return resp_json(req, 400, json_pack("{s:o}", "message", errors), JSON_FLASK);
    json_t *title = json_object_get(body, "dashboard_title"), *meta = json_object_get(body, "json_metadata");
    /* DashboardInvalidError is not handled by the endpoint: it answers 500 */
    if (!json_string_length(title) || !json_string_length(meta)) return dashboard_fatal(req);
    bool admin = req->user && security_is_admin(req->cfg, req->user);
    if (config_feature(req->cfg, "DASHBOARD_RBAC") && !admin && !is_owner(req, orig)) return error_fab(req, 403, "Forbidden");
    json_t *data = json_parse_arena(req->arena, json_string_value(meta), json_string_length(meta), JSON_DECODE_ANY, NULL);
    if (!json_is_object(data)) return dashboard_fatal(req);
    copy_job_t j = {.req = req, .orig = num(req, orig), .me = num(req, req->user ? req->user->id : 0)};
    j.c = pg_acquire(app_pg(req->app), req->arena, &j.err);
    if (!j.c) return dashboard_fatal(req);
    copy_status_t s = pg_begin(j.c, req->arena, &j.err) ? copy(&j, body, data) : COPY_DB_ERROR;
    pg_result_t *r = NULL;
    if (s == COPY_OK) {
        const char *p[] = {j.id};
        r = run(&j, "SELECT extract(epoch FROM date_trunc('second', changed_on))::float8 FROM dashboards WHERE id = $1::int", 1, p);
        if (!r || !pg_commit(j.c, req->arena, &j.err)) s = COPY_DB_ERROR;
    }
    if (s != COPY_OK) pg_rollback(j.c, req->arena, &j.err);
    pg_release(j.c);
    if (s == COPY_RAISED) return dashboard_fatal(req);
    if (s == COPY_DB_ERROR) return error_fab(req, 400, "Arguments are not correct");
    resp_json(req, 200,
              json_pack("{s:{s:I,s:f}}", "result", "id", (json_int_t)strtoll(j.id, NULL, 10), "last_modified_time",
                        strtod(pg_get(r, 0, 0), NULL)),
              JSON_FLASK);
}
