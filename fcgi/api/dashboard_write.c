/* /api/v1/dashboard writes: POST / and PUT /<pk> (DashboardPostSchema /
 * DashboardPutSchema → 400; slug uniqueness, owners and roles → 422;
 * ownership → 403), DELETE /<pk> and DELETE /?q=!(ids) (404 when any id is
 * not visible, 403 when any is not owned). Owners default to the creator;
 * non-admins always stay owners of what they save. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/security.h"
#include "fcgi/api/api.h"
#include "fcgi/api/dashboard.h"
#include "fcgi/api/dashboard_schema.h"
#include "fcgi/app.h"
#include "fcgi/errors.h"
#include "lib/json.h"
#include "lib/rison.h"
#include "persistence/models.h"

typedef enum { F_STR, F_INT, F_BOOL, F_IDS, F_JSON, F_META, F_UUID } ftype_t;

typedef struct field {
    const char *name;
    ftype_t type;
    bool null_post, null_put; /* allow_none */
    bool post_only;
    int min_post, max_len;    /* Length validator, max 0 = none */
} field_t;

static const field_t fields[] = {
    {"dashboard_title", F_STR, true, true, false, 0, 500},
    {"slug", F_STR, true, true, false, 1, 255},
    {"owners", F_IDS, false, false, false, 0, 0},
    {"roles", F_IDS, false, false, false, 0, 0},
    {"position_json", F_JSON, false, true, false, 0, 0},
    {"css", F_STR, false, true, false, 0, 0},
    {"theme_id", F_INT, true, true, false, 0, 0},
    {"json_metadata", F_META, false, true, false, 0, 0},
    {"published", F_BOOL, false, true, false, 0, 0},
    {"certified_by", F_STR, true, true, false, 0, 0},
    {"certification_details", F_STR, true, true, false, 0, 0},
    {"is_managed_externally", F_BOOL, true, true, true, 0, 0},
    {"external_url", F_STR, true, true, true, 0, 0},
    {"uuid", F_UUID, true, true, true, 0, 0},
    {NULL, 0, false, false, false, 0, 0},
};

static void add_msg(json_t *errors, const char *field, const char *msg) {
    json_t *l = json_object_get(errors, field);
    if (!l) json_object_set_new(errors, field, l = json_array());
    json_array_append_new(l, json_string(msg));
}

static bool valid_json_text(const char *s) {
    json_error_t e;
    json_t *j = json_loads(s, JSON_DECODE_ANY, &e);
    json_decref(j);
    return j != NULL;
}

static const char *field_error(request_t *req, const field_t *f, json_t *v, bool is_post) {
    if (json_is_null(v)) return (is_post ? f->null_post : f->null_put) ? NULL : "Field may not be null.";
    switch (f->type) {
    case F_STR:
    case F_JSON:
    case F_META:
    case F_UUID:
        if (!json_is_string(v)) return f->type == F_UUID ? "Not a valid UUID." : "Not a valid string.";
        break;
    case F_INT:
        return json_is_integer(v) ? NULL : "Not a valid integer.";
    case F_BOOL:
        return json_is_boolean(v) ? NULL : "Not a valid boolean.";
    case F_IDS: {
        if (!json_is_array(v)) return "Not a valid list.";
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) if (!json_is_integer(x)) return "Not a valid integer.";
        return NULL;
    }
    }
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    int min = is_post ? f->min_post : 0;
    if (f->max_len && ((int)len < min || (int)len > f->max_len))
        return arena_sprintf(req->arena, "Length must be between %d and %d.", min, f->max_len);
    if (f->type == F_JSON && !valid_json_text(s)) return "JSON not valid";
    if (f->type == F_META && *s && !valid_json_text(s)) return "JSON not valid";
    if (f->type == F_UUID) {
        for (size_t i = 0; s[i]; i++)
            if (!isxdigit((unsigned char)s[i]) && s[i] != '-') return "Not a valid UUID.";
        if (len != 36 && len != 32) return "Not a valid UUID.";
    }
    return NULL;
}

/* Schema load: errors (caller owns) or NULL; the slug is normalised as post_load does. */
static json_t *load_body(request_t *req, json_t *body, bool is_post) {
    json_t *errors = json_object();
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v) {
        const field_t *f = fields;
        while (f->name && (strcmp(f->name, key) || (!is_post && f->post_only))) f++;
        const char *msg = f->name ? field_error(req, f, v, is_post) : "Unknown field.";
        if (msg) add_msg(errors, key, msg);
        else if (f->type == F_META && json_string_length(v)) { /* validate_json_metadata: the schema's messages */
            json_t *md = json_loads(json_string_value(v), JSON_DECODE_ANY, NULL);
            json_t *md_errors = dashboard_metadata_errors(req->arena, md);
            json_decref(md);
            if (md_errors) json_object_set_new(errors, key, json_pack("[o]", md_errors));
        }
    }
    if (json_object_size(errors)) return errors;
    json_decref(errors);
    json_t *slug = json_object_get(body, "slug");
    if (json_is_string(slug) && *json_string_value(slug)) {
        const char *s = json_string_value(slug);
        while (isspace((unsigned char)*s)) s++;
        size_t n = strlen(s);
        while (n && isspace((unsigned char)s[n - 1])) n--;
        char *out = arena_alloc(req->arena, n + 1), *o = out;
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)s[i];
            if (c == ' ') *o++ = '-';
            else if (isalnum(c) || c == '_' || c == '-' || c >= 0x80) *o++ = (char)c;
        }
        *o = 0;
        json_object_set_new(body, "slug", json_string(out));
    }
    return NULL;
}

static const char *num(request_t *req, int64_t v) { return arena_sprintf(req->arena, "%lld", (long long)v); }

/* Number of rows of q (one int column) on the connection; -1 on error. */
static int64_t count_sql(request_t *req, pg_conn_t *c, const char *sql, int n, const char **p, pg_error_t *err) {
    pg_result_t *r = pg_conn_query(c, req->arena, err, sql, n, p);
    return r ? pg_get_int(r, 0, 0, -1) : -1;
}

static const char *ids_json(request_t *req, json_t *ids) { return json_dump_arena(req->arena, ids, JSON_COMPACT, NULL); }

/* The command's validation: 422 messages, or NULL. *owners gets the final owner list (new ref) or NULL. */
static json_t *command_validate(request_t *req, pg_conn_t *c, int64_t pk, json_t *body, json_t **owners, bool *db_err) {
    json_t *errors = json_object();
    pg_error_t err;
    *owners = NULL;
    json_t *slug = json_object_get(body, "slug");
    if (json_is_string(slug) && (pk || *json_string_value(slug))) {
        const char *p[] = {json_string_value(slug), num(req, pk)};
        int64_t n = count_sql(req, c, "SELECT count(*) FROM dashboards WHERE slug = $1 AND id != $2::int", 2, p, &err);
        if (n < 0) *db_err = true;
        if (n > 0) add_msg(errors, "slug", "Must be unique");
    }
    json_t *given = json_object_get(body, "owners");
    bool admin = req->user && security_is_admin(req->cfg, req->user);
    int64_t me = req->user ? req->user->id : 0;
    if (!pk || given) {
        json_t *list = json_array();
        bool mine = false;
        size_t i;
        json_t *x;
        json_array_foreach(given, i, x) mine = mine || json_integer_value(x) == me;
        if ((!given || !json_array_size(given)) && !pk) json_array_append_new(list, json_integer(me));
        else if (!admin && !mine) json_array_append_new(list, json_integer(me));
        json_array_foreach(given, i, x) json_array_append(list, x);
        const char *p[] = {given ? ids_json(req, given) : "[]"};
        int64_t n = given ? count_sql(req, c, "SELECT count(DISTINCT x) FROM jsonb_array_elements_text($1::jsonb) e(x)"
                                              " WHERE NOT EXISTS (SELECT 1 FROM ab_user u WHERE u.id = x::int)", 1, p, &err)
                          : 0;
        if (n < 0) *db_err = true;
        if (n > 0) add_msg(errors, "owners", "Owners are invalid");
        *owners = list;
    }
    json_t *roles = json_object_get(body, "roles");
    if (json_array_size(roles)) {
        const char *p[] = {ids_json(req, roles)};
        int64_t n = count_sql(req, c, "SELECT count(*) FROM ab_role WHERE id IN (SELECT x::int FROM"
                                      " jsonb_array_elements_text($1::jsonb) e(x))", 1, p, &err);
        if (n < 0) *db_err = true;
        if (n >= 0 && n != (int64_t)json_array_size(roles)) add_msg(errors, "roles", "Some roles do not exist");
    }
    if (json_object_size(errors)) return errors;
    json_decref(errors);
    return NULL;
}

static bool set_links(request_t *req, pg_conn_t *c, int64_t id, const char *table, const char *col, json_t *ids,
                      pg_error_t *err) {
    const char *p[] = {num(req, id), ids_json(req, ids)};
    if (!pg_conn_query(c, req->arena, err, arena_sprintf(req->arena, "DELETE FROM %s WHERE dashboard_id = $1::int", table), 1, p))
        return false;
    return pg_conn_query(c, req->arena, err,
                         arena_sprintf(req->arena, "INSERT INTO %s (dashboard_id, %s) SELECT DISTINCT $1::int, x::int"
                                                   " FROM jsonb_array_elements_text($2::jsonb) e(x)", table, col),
                         2, p) != NULL;
}

/* INSERT / UPDATE of the scalar columns in body; returns the id, -1 on error. */
static int64_t write_row(request_t *req, pg_conn_t *c, int64_t pk, json_t *body, pg_error_t *err) {
    strbuf_t cols, vals;
    strbuf_init_arena(&cols, req->arena, 256);
    strbuf_init_arena(&vals, req->arena, 256);
    const char *p[32];
    int n = 0;
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v) {
        if (!strcmp(key, "owners") || !strcmp(key, "roles")) continue;
        const model_col_t *mc = model_col(&model_dashboard, key); /* names come from the static declaration */
        if (!mc || n >= 28) continue;
        p[n++] = json_is_null(v) ? NULL : json_is_string(v) ? json_string_value(v)
                 : json_is_boolean(v) ? (json_is_true(v) ? "true" : "false") : num(req, json_integer_value(v));
        const char *cast = mc->type == COL_BOOL ? "::boolean" : mc->type == COL_INT ? "::int" : mc->type == COL_UUID ? "::uuid" : "";
        if (pk) strbuf_printf(&cols, "%s\"%s\" = $%d%s", cols.len ? ", " : "", mc->name, n, cast);
        else {
            strbuf_printf(&cols, "%s\"%s\"", cols.len ? ", " : "", mc->name);
            strbuf_printf(&vals, "%s$%d%s", vals.len ? ", " : "", n, cast);
        }
    }
    p[n++] = num(req, req->user ? req->user->id : 0);
    pg_result_t *r;
    if (pk) {
        p[n++] = num(req, pk);
        r = pg_conn_query(c, req->arena, err,
                          arena_sprintf(req->arena, "UPDATE dashboards SET %s%schanged_on = localtimestamp,"
                                                    " changed_by_fk = $%d::int WHERE id = $%d::int RETURNING id",
                                        cols.data, cols.len ? ", " : "", n - 1, n),
                          n, p);
    } else {
        if (!json_object_get(body, "uuid")) {
            strbuf_printf(&cols, "%suuid", cols.len ? ", " : "");
            strbuf_printf(&vals, "%sgen_random_uuid()", vals.len ? ", " : "");
        }
        r = pg_conn_query(c, req->arena, err,
                          arena_sprintf(req->arena, "INSERT INTO dashboards (%s%screated_on, changed_on, created_by_fk,"
                                                    " changed_by_fk) VALUES (%s%slocaltimestamp, localtimestamp, $%d::int,"
                                                    " $%d::int) RETURNING id",
                                        cols.data, cols.len ? ", " : "", vals.data, vals.len ? ", " : "", n, n),
                          n, p);
    }
    return r && pg_nrows(r) ? pg_get_int(r, 0, 0, -1) : -1;
}

/* 0 = visible and owned (or admin), else the status already answered. */
int dashboard_check_target(request_t *req, int64_t pk, bool need_owner) {
    model_query_t q;
    mq_init(&q, req->arena, &model_dashboard);
    dashboard_access_filter(req, &q);
    const char *id = mq_param(&q, num(req, pk));
    const char *owned = dashboard_owned_sql(req, &q);
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              arena_sprintf(req->arena, "SELECT %s FROM dashboards t WHERE t.id = %s::int%s%s", owned, id,
                                            q.where.len ? " AND " : "", q.where.data),
                              q.nparams, q.params);
    if (!r) return dashboard_fatal(req), 500;
    if (!pg_nrows(r)) return error_fab(req, 404, "Not found"), 404;
    bool admin = req->user && security_is_admin(req->cfg, req->user);
    if (need_owner && !admin && strcmp(pg_get(r, 0, 0), "t")) return error_fab(req, 403, "Forbidden"), 403;
    return 0;
}

static bool parse_pk(const char *s, int64_t *pk) {
    char *end;
    long long v = s && *s ? strtoll(s, &end, 10) : 0;
    if (!s || !*s || *end || v <= 0 || v > 2147483647) return false;
    *pk = v;
    return true;
}

static void write_dashboard(request_t *req, bool is_post) {
    int64_t pk = 0;
    if (!is_post && !parse_pk(req_path_param(req, "pk"), &pk)) {
        error_fab(req, 404, "Not found");
        return;
    }
    json_t *body = req_is_json(req) ? json_loadb(req->body.data, req->body.len, 0, NULL) : NULL;
    if (!body) {
        dashboard_fatal(req); /* @requires_json under @safe */
        return;
    }
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, body);
    if (!json_is_object(body)) {
        resp_json(req, 400, json_pack("{s:{s:[s]}}", "message", "_schema", "Invalid input type."), JSON_FLASK);
        return;
    }
    json_t *errors = load_body(req, body, is_post);
    if (errors) {
        resp_json(req, 400, json_pack("{s:o}", "message", errors), JSON_FLASK);
        return;
    }
    if (!is_post && dashboard_check_target(req, pk, true)) return;
    pg_error_t err;
    pg_conn_t *c = pg_acquire(app_pg(req->app), req->arena, &err);
    if (!c) {
        dashboard_fatal(req);
        return;
    }
    bool db_err = false;
    json_t *owners = NULL;
    int64_t id = -1;
    double modified = 0;
    if (pg_begin(c, req->arena, &err)) {
        errors = command_validate(req, c, pk, body, &owners, &db_err);
        if (!errors && !db_err) {
            id = write_row(req, c, pk, body, &err);
            if (id > 0 && owners && !set_links(req, c, id, "dashboard_user", "user_id", owners, &err)) id = -1;
            json_t *roles = json_object_get(body, "roles");
            if (id > 0 && roles && !set_links(req, c, id, "dashboard_roles", "role_id", roles, &err)) id = -1;
            const char *p[] = {num(req, id)};
            pg_result_t *r = id > 0 ? pg_conn_query(c, req->arena, &err,
                                                    "SELECT extract(epoch FROM date_trunc('second', changed_on))::float8"
                                                    " FROM dashboards WHERE id = $1::int", 1, p)
                                    : NULL;
            if (!r) id = -1;
            else modified = strtod(pg_get(r, 0, 0), NULL);
            if (id > 0 && !pg_commit(c, req->arena, &err)) id = -1;
        }
    }
    pg_release(c);
    json_decref(owners);
    if (errors) {
        resp_json(req, 422, json_pack("{s:o}", "message", errors), JSON_FLASK);
        return;
    }
    if (id <= 0) {
        if (err.status == PG_ERR_QUERY && !db_err)
            error_fab(req, 422, is_post ? "Dashboard could not be created." : "Dashboard could not be updated.");
        else dashboard_fatal(req);
        return;
    }
    json_t *result = json_deep_copy(body);
    if (is_post) resp_json(req, 201, json_pack("{s:I,s:o}", "id", (json_int_t)id, "result", result), JSON_FLASK);
    else resp_json(req, 200, json_pack("{s:I,s:o,s:f}", "id", (json_int_t)id, "result", result, "last_modified_time", modified),
                   JSON_FLASK);
}

void dashboard_post(request_t *req) { write_dashboard(req, true); }
void dashboard_put(request_t *req) { write_dashboard(req, false); }

/* Deletes the dashboards of ids (JSON array text) with their link rows. */
static void delete_ids(request_t *req, const char *ids, size_t n) {
    static const char *const links[] = {"dashboard_user", "dashboard_roles", "dashboard_slices", NULL};
    pg_error_t err;
    pg_conn_t *c = pg_acquire(app_pg(req->app), req->arena, &err);
    bool ok = c && pg_begin(c, req->arena, &err);
    const char *p[] = {ids};
    int64_t reports = ok ? count_sql(req, c, "SELECT count(*) FROM report_schedule WHERE dashboard_id IN (SELECT x::int"
                                             " FROM jsonb_array_elements_text($1::jsonb) e(x))", 1, p, &err) : -1;
    ok = ok && reports == 0;
    for (size_t i = 0; ok && links[i]; i++)
        ok = pg_conn_query(c, req->arena, &err,
                           arena_sprintf(req->arena, "DELETE FROM %s WHERE dashboard_id IN (SELECT x::int FROM"
                                                     " jsonb_array_elements_text($1::jsonb) e(x))", links[i]), 1, p) != NULL;
    ok = ok && pg_conn_query(c, req->arena, &err, "DELETE FROM favstar WHERE class_name = 'Dashboard' AND obj_id IN"
                                                  " (SELECT x::int FROM jsonb_array_elements_text($1::jsonb) e(x))", 1, p);
    ok = ok && pg_conn_query(c, req->arena, &err, "DELETE FROM dashboards WHERE id IN (SELECT x::int FROM"
                                                  " jsonb_array_elements_text($1::jsonb) e(x))", 1, p);
    ok = ok && pg_commit(c, req->arena, &err);
    if (c) pg_release(c);
    if (reports > 0) error_fab(req, 422, "There are associated alerts or reports");
    else if (!ok && err.status == PG_ERR_QUERY) error_fab(req, 422, "Dashboard could not be deleted.");
    else if (!ok) dashboard_fatal(req);
    else if (n == SIZE_MAX) error_fab(req, 200, "OK");
    else error_fab(req, 200, arena_sprintf(req->arena, "Deleted %zu dashboard%s", n, n == 1 ? "" : "s"));
}

void dashboard_delete(request_t *req) {
    int64_t pk;
    if (!parse_pk(req_path_param(req, "pk"), &pk)) {
        error_fab(req, 404, "Not found");
        return;
    }
    if (dashboard_check_target(req, pk, true)) return;
    delete_ids(req, arena_sprintf(req->arena, "[%lld]", (long long)pk), SIZE_MAX);
}

void dashboard_bulk_delete(request_t *req) {
    json_t *ids = dashboard_ids_arg(req);
    if (!ids) return;
    size_t i;
    json_t *v;
    /* every id visible (404), then every id owned (403), as the command validates */
    json_array_foreach(ids, i, v) {
        int64_t pk = json_integer_value(v);
        model_query_t q;
        mq_init(&q, req->arena, &model_dashboard);
        dashboard_access_filter(req, &q);
        mq_where(&q, arena_sprintf(req->arena, "t.id = %s::int", mq_param(&q, num(req, pk))));
        pg_error_t err;
        int64_t n = mq_count(&q, app_pg(req->app), &err);
        if (n < 0) return dashboard_fatal(req);
        if (n == 0) return error_fab(req, 404, "Not found");
    }
    json_array_foreach(ids, i, v) if (dashboard_check_target(req, json_integer_value(v), true)) return;
    json_t *uniq = json_object();
    json_array_foreach(ids, i, v) json_object_set_new(uniq, num(req, json_integer_value(v)), json_true());
    size_t n = json_object_size(uniq);
    json_decref(uniq);
    delete_ids(req, ids_json(req, ids), n);
}
