/* A dashboard's embedding configuration: GET /api/v1/dashboard/<id_or_slug>/embedded
 * (can_read; 404 with {} when there is none), POST/PUT (can_set_embedded;
 * EmbeddedDashboardConfigSchema, upsert that keeps the embedded uuid) and
 * DELETE (can_set_embedded). As in the reference these routes are not gated
 * by EMBEDDED_SUPERSET; only the guest-facing embedded_dashboard API is. */
#include <string.h>

#include "fcgi/api/dashboard_extra.h"
#include "fcgi/api/dashboard.h"
#include "fcgi/app.h"
#include "fcgi/errors.h"
#include "lib/json.h"
#include "persistence/pg.h"

/* EmbeddedDashboardResponseSchema of the dashboard's first configuration. */
#define EMBEDDED_JSON_SQL                                                                                          \
    "SELECT json_build_object('uuid', e.uuid::text,"                                                               \
    " 'allowed_domains', coalesce(to_json(string_to_array(nullif(e.allow_domain_list, ''), ',')), '[]'::json),"   \
    " 'dashboard_id', e.dashboard_id::text,"                                                                       \
    " 'changed_on', to_char(e.changed_on, 'YYYY-MM-DD\"T\"HH24:MI:SS') ||"                                          \
    "   CASE WHEN extract(microseconds FROM e.changed_on)::int % 1000000 <> 0"                                     \
    "   THEN to_char(e.changed_on, '.US') ELSE '' END,"                                                            \
    " 'changed_by', CASE WHEN u.id IS NULL THEN NULL ELSE json_build_object('first_name', u.first_name,"           \
    "   'id', u.id, 'last_name', u.last_name, 'username', u.username) END)::text"                                  \
    " FROM embedded_dashboards e LEFT JOIN ab_user u ON u.id = e.changed_by_fk WHERE e.dashboard_id = $1::int"     \
    " ORDER BY e.created_on NULLS FIRST, e.uuid LIMIT 1"

static const char *num(request_t *req, int64_t v) { return arena_sprintf(req->arena, "%lld", (long long)v); }

/* Answers 200 {"result": ...} from the current row, or 404 {} without one. */
static void answer_current(request_t *req, pg_conn_t *c, int64_t id) {
    const char *p[] = {num(req, id)};
    pg_error_t err;
    pg_result_t *r = c ? pg_conn_query(c, req->arena, &err, EMBEDDED_JSON_SQL, 1, p)
                       : pg_query(app_pg(req->app), req->arena, &err, EMBEDDED_JSON_SQL, 1, p);
    if (!r) return dashboard_fatal(req);
    if (!pg_nrows(r)) return resp_json(req, 404, json_object(), JSON_FLASK);
    json_t *result = json_loads(pg_get(r, 0, 0), 0, NULL);
    if (!result) return dashboard_fatal(req);
    resp_json(req, 200, json_pack("{s:o}", "result", result), JSON_FLASK);
}

void dashboard_get_embedded(request_t *req) {
    int64_t id = dashboard_find(req, req_path_param(req, "id_or_slug"));
    if (id > 0) answer_current(req, NULL, id);
}

/* EmbeddedDashboardConfigSchema: the domains joined with ',', or NULL with
 * the marshmallow messages in *errors (new reference). */
static const char *load_domains(request_t *req, json_t *body, json_t **errors) {
    *errors = json_object();
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v) if (strcmp(key, "allowed_domains"))
        json_object_set_new(*errors, key, json_pack("[s]", "Unknown field."));
    json_t *domains = json_object_get(body, "allowed_domains");
    strbuf_t sb;
    strbuf_init_arena(&sb, req->arena, 64);
    if (!domains) json_object_set_new(*errors, "allowed_domains", json_pack("[s]", "Missing data for required field."));
    else if (json_is_null(domains)) json_object_set_new(*errors, "allowed_domains", json_pack("[s]", "Field may not be null."));
    else if (!json_is_array(domains)) json_object_set_new(*errors, "allowed_domains", json_pack("[s]", "Not a valid list."));
    else {
        json_t *items = json_object();
        size_t i;
        json_array_foreach(domains, i, v) {
            if (!json_is_string(v)) {
                json_object_set_new(items, num(req, (int64_t)i),
                                    json_pack("[s]", json_is_null(v) ? "Field may not be null." : "Not a valid string."));
                continue;
            }
            if (i) strbuf_putc(&sb, ',');
            strbuf_puts(&sb, json_string_value(v));
        }
        if (json_object_size(items)) json_object_set(*errors, "allowed_domains", items);
        json_decref(items);
    }
    if (json_object_size(*errors)) return NULL;
    json_decref(*errors);
    *errors = NULL;
    return sb.len ? sb.data : "";
}

void dashboard_set_embedded(request_t *req) {
    int64_t id = dashboard_find(req, req_path_param(req, "id_or_slug"));
    if (id <= 0) return;
    json_t *body = dashboard_json_body(req);
    if (!body) return;
    json_t *errors;
    const char *domains = load_domains(req, body, &errors);
    if (!domains) return resp_json(req, 400, json_pack("{s:o}", "message", errors), JSON_FLASK);
    pg_error_t err;
    pg_conn_t *c = pg_acquire(app_pg(req->app), req->arena, &err);
    if (!c) return dashboard_fatal(req);
    const char *p[] = {num(req, id), domains, num(req, req->user ? req->user->id : 0)};
    bool ok = pg_begin(c, req->arena, &err);
    /* keep the first configuration, drop any other (delete-orphan), insert when none */
    pg_result_t *keep = ok ? pg_conn_query(c, req->arena, &err,
                                           "SELECT uuid::text FROM embedded_dashboards WHERE dashboard_id = $1::int"
                                           " ORDER BY created_on NULLS FIRST, uuid LIMIT 1 FOR UPDATE", 1, p)
                           : NULL;
    ok = keep != NULL;
    if (ok && pg_nrows(keep)) {
        const char *q[] = {num(req, id), domains, p[2], pg_get(keep, 0, 0)};
        const char *others[] = {q[0], q[3]};
        ok = pg_conn_query(c, req->arena, &err, "DELETE FROM embedded_dashboards WHERE dashboard_id = $1::int AND uuid <> $2::uuid",
                           2, others) &&
             pg_conn_query(c, req->arena, &err,
                           "UPDATE embedded_dashboards SET allow_domain_list = $2, changed_on = localtimestamp,"
                           " changed_by_fk = nullif($3::int, 0) WHERE uuid = $4::uuid AND dashboard_id = $1::int",
                           4, q);
    } else if (ok) {
        ok = pg_conn_query(c, req->arena, &err,
                           "INSERT INTO embedded_dashboards (uuid, allow_domain_list, dashboard_id, created_on,"
                           " changed_on, created_by_fk, changed_by_fk) VALUES (gen_random_uuid(), $2, $1::int,"
                           " localtimestamp, localtimestamp, nullif($3::int, 0), nullif($3::int, 0))",
                           3, p) != NULL;
    }
    ok = ok && pg_commit(c, req->arena, &err);
    if (ok) answer_current(req, c, id);
    else dashboard_fatal(req);
    pg_release(c);
}

void dashboard_delete_embedded(request_t *req) {
    int64_t id = dashboard_find(req, req_path_param(req, "id_or_slug"));
    if (id <= 0) return;
    const char *p[] = {num(req, id)};
    pg_error_t err;
    if (!pg_query(app_pg(req->app), req->arena, &err, "DELETE FROM embedded_dashboards WHERE dashboard_id = $1::int", 1, p))
        return dashboard_fatal(req);
    error_fab(req, 200, "OK");
}
