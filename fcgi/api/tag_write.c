/* Tag writes of Superset's TagRestApi: POST / and POST /bulk_create (custom
 * tag found or created by name, objects the caller does not own skipped),
 * PUT /<pk> (rename, describe, replace the tagged objects), and tagging one
 * object with names (POST /<type>/<id>/) or untagging it (DELETE
 * /<type>/<id>/<tag>/). Errors follow the reference's commands: schema
 * errors 400, invalid commands 422, uncaught command errors 500. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "domain/security.h"
#include "domain/tagging.h"
#include "fcgi/api/tag.h"
#include "fcgi/api/tag_schema.h"
#include "fcgi/app.h"
#include "fcgi/errors.h"
#include "fcgi/event_logger.h"
#include "lib/json.h"

static int64_t uid(const request_t *req) { return req->user ? req->user->id : 0; }

/* Python str.strip() over ASCII whitespace. */
static const char *strip(request_t *req, const char *s) {
    while (isspace((unsigned char)*s)) s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1])) n--;
    return arena_strndup(req->arena, s, n);
}

/* An exception caught by @safe, outside the event logger: no logs row. */
static void fatal(request_t *req) {
    event_log_skip(req);
    error_fab(req, 500, "Fatal error");
}

/* True when every pair of the loaded objects_to_tag names an object type. */
static bool types_valid(const json_t *pairs) {
    size_t i;
    json_t *p;
    json_array_foreach(pairs, i, p) if (!tag_object_type_by_name(json_string_value(json_array_get(p, 0)))) return false;
    return true;
}

/* CreateCustomTagWithRelationshipsCommand.validate: splits the distinct
 * pairs into those to tag and those skipped because a non-admin caller
 * neither owns nor created the chart, dashboard or saved query. */
static bool split_owned(request_t *req, const json_t *pairs, const char **keep, const char **skipped) {
    const char *p[] = {json_dump_arena(req->arena, pairs, JSON_COMPACT, NULL),
                       security_is_admin(req->cfg, req->user) ? "true" : "false",
                       arena_sprintf(req->arena, "%lld", (long long)uid(req))};
    pg_error_t err;
    pg_result_t *r = pg_query(
        app_pg(req->app), req->arena, &err,
        "SELECT coalesce(jsonb_agg(DISTINCT e) FILTER (WHERE NOT skip), '[]')::text,"
        " coalesce(jsonb_agg(DISTINCT e) FILTER (WHERE skip), '[]')::text FROM"
        " (SELECT e, NOT $2::bool AND coalesce(CASE e->>0"
        "   WHEN 'chart' THEN (SELECT NOT (EXISTS (SELECT 1 FROM slice_user u WHERE u.slice_id = s.id"
        "     AND u.user_id = $3::int) OR coalesce(s.created_by_fk = $3::int, false)) FROM slices s"
        "     WHERE s.id = (e->>1)::int)"
        "   WHEN 'dashboard' THEN (SELECT NOT (EXISTS (SELECT 1 FROM dashboard_user u WHERE u.dashboard_id = d.id"
        "     AND u.user_id = $3::int) OR coalesce(d.created_by_fk = $3::int, false)) FROM dashboards d"
        "     WHERE d.id = (e->>1)::int)"
        "   WHEN 'query' THEN (SELECT NOT coalesce(q.created_by_fk = $3::int, false) FROM saved_query q"
        "     WHERE q.id = (e->>1)::int)"
        "  END, false) AS skip FROM jsonb_array_elements($1::jsonb) e) x",
        3, p);
    if (!r) return false;
    *keep = pg_get(r, 0, 0);
    *skipped = pg_get(r, 0, 1);
    return true;
}

/* Creates or finds the custom tag, attaches keep (detaching the others
 * unless bulk) and sets its description, in one transaction. */
static bool save_custom_tag(request_t *req, const char *name, const char *keep, bool bulk, const json_t *description) {
    pg_error_t err;
    pg_conn_t *c = pg_acquire(app_pg(req->app), req->arena, &err);
    bool ok = c && pg_begin(c, req->arena, &err);
    int64_t id = ok ? tag_custom_get_or_create(c, req->arena, name, uid(req), &err) : -1;
    ok = id > 0 && tag_set_objects(c, req->arena, id, keep, bulk, uid(req), &err);
    ok = ok && tag_set_description(c, req->arena, id, description ? json_string_value(description) : "", uid(req), &err);
    ok = ok && pg_commit(c, req->arena, &err);
    if (c) pg_release(c);
    return ok;
}

void tag_post(request_t *req) {
    json_t *body = tag_json_body(req), *item;
    if (!body) return;
    json_t *errors = tag_object_load(req, body, &item);
    if (errors) return resp_json(req, 400, json_pack("{s:o}", "message", errors), JSON_FLASK);
    json_t *pairs = json_object_get(item, "objects_to_tag");
    if (pairs && !types_valid(pairs)) return resp_json(req, 422, json_pack("{s:{}}", "message"), JSON_FLASK);
    const char *keep = "[]", *skipped = "[]";
    if (pairs && !split_owned(req, pairs, &keep, &skipped)) return fatal(req);
    const char *name = json_string_value(json_object_get(item, "name"));
    if (!name) return fatal(req); /* the command reads properties["name"] */
    if (!save_custom_tag(req, strip(req, name), keep, false, json_object_get(item, "description"))) return fatal(req);
    resp_json(req, 201, json_object(), JSON_FLASK);
}

void tag_bulk_create(request_t *req) {
    json_t *body = tag_json_body(req);
    if (!body) return;
    json_t *errors = tag_bulk_load(req, body);
    if (errors) return resp_json(req, 400, json_pack("{s:o}", "message", errors), JSON_FLASK);
    json_t *tags = json_object_get(body, "tags");
    if (!tags) return fatal(req);
    json_t *tagged = json_object(), *skipped_all = json_object(); /* "<json pair>" -> pair, as sets */
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, tagged);
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, skipped_all);
    size_t i;
    json_t *t;
    json_array_foreach(tags, i, t) { /* each tag is its own command and transaction */
        json_t *one = json_pack("{s:O?,s:O?,s:O?}", "name", json_object_get(t, "name"), "description",
                                json_object_get(t, "description"), "objects_to_tag", json_object_get(t, "objects_to_tag"));
        arena_on_free(req->arena, (arena_cleanup_fn)json_decref, one);
        json_t *item;
        json_t *e = tag_object_load(req, one, &item);
        json_t *pairs = item ? json_object_get(item, "objects_to_tag") : NULL;
        const char *name = item ? json_string_value(json_object_get(item, "name")) : NULL;
        json_decref(e);
        if (!pairs || !name) return fatal(req); /* ValidationError outside the command: @safe */
        if (!types_valid(pairs))
            return resp_json(req, 422, json_pack("{s:s}", "message", "Tag parameters are invalid."), JSON_FLASK);
        const char *keep, *skipped;
        if (!split_owned(req, pairs, &keep, &skipped)) return fatal(req);
        if (!save_custom_tag(req, strip(req, name), keep, true, json_object_get(item, "description"))) return fatal(req);
        json_t *k = json_loads(keep, 0, NULL), *s = json_loads(skipped, 0, NULL), *p;
        size_t j;
        json_array_foreach(k, j, p) json_object_set(tagged, json_dump_arena(req->arena, p, JSON_COMPACT, NULL), p);
        json_array_foreach(s, j, p) json_object_set(skipped_all, json_dump_arena(req->arena, p, JSON_COMPACT, NULL), p);
        json_decref(k);
        json_decref(s);
    }
    json_t *out_tagged = json_array(), *out_skipped = json_array(), *p;
    const char *key;
    json_object_foreach(tagged, key, p) if (!json_object_get(skipped_all, key)) json_array_append(out_tagged, p);
    json_object_foreach(skipped_all, key, p) json_array_append(out_skipped, p);
    resp_json(req, 200,
              json_pack("{s:{s:o,s:o}}", "result", "objects_tagged", out_tagged, "objects_skipped", out_skipped),
              JSON_FLASK);
}

void tag_put(request_t *req) {
    json_t *body = tag_json_body(req), *item;
    if (!body) return;
    json_t *errors = tag_object_load(req, body, &item);
    if (errors) return resp_json(req, 400, json_pack("{s:o}", "message", errors), JSON_FLASK);
    const char *pk = req_path_param(req, "pk");
    char *end;
    long long id = strtoll(pk, &end, 10);
    if (!*pk || *end) return fatal(req); /* the lookup by a non-integer id fails in the database */
    json_t *pairs = json_object_get(item, "objects_to_tag");
    const char *name = json_string_value(json_object_get(item, "name"));
    /* TagNotFoundError, TagInvalidError and a missing name are not caught by the endpoint */
    if ((pairs && !types_valid(pairs)) || !name) return fatal(req);
    const char *desc = json_string_value(json_object_get(item, "description"));
    const char *p[] = {arena_sprintf(req->arena, "%lld", id), name, desc,
                       arena_sprintf(req->arena, "%lld", (long long)uid(req))};
    pg_error_t err;
    pg_conn_t *c = pg_acquire(app_pg(req->app), req->arena, &err);
    bool ok = c && pg_begin(c, req->arena, &err);
    pg_result_t *r = ok ? pg_conn_query(c, req->arena, &err, "SELECT 1 FROM tag WHERE id = $1::int FOR UPDATE", 1, p)
                        : NULL;
    ok = r && pg_nrows(r) == 1;
    ok = ok && pg_conn_query(c, req->arena, &err,
                             "UPDATE tag SET name = $2, description = $3, changed_on = localtimestamp,"
                             " changed_by_fk = nullif($4::int, 0) WHERE id = $1::int"
                             " AND (name IS DISTINCT FROM $2 OR description IS DISTINCT FROM $3)",
                             4, p);
    ok = ok && tag_set_objects(c, req->arena, id, pairs ? json_dump_arena(req->arena, pairs, JSON_COMPACT, NULL) : "[]",
                               false, uid(req), &err);
    ok = ok && pg_commit(c, req->arena, &err);
    if (c) pg_release(c);
    if (!ok) return fatal(req);
    resp_json(req, 200, json_pack("{s:I,s:O}", "id", (json_int_t)id, "result", body), JSON_FLASK);
}

void tag_add_objects(request_t *req) {
    json_t *body = tag_json_body(req);
    if (!body) return;
    if (!json_is_object(body) && !json_is_array(body)) return fatal(req);
    json_t *props = json_is_object(body) ? json_object_get(body, "properties") : NULL;
    json_t *tags = json_is_object(props) ? json_object_get(props, "tags") : NULL;
    if (json_is_array(body) || (props && !json_is_object(props))) return fatal(req); /* TypeError */
    if (!tags) return resp_json(req, 400, json_pack("{s:s}", "message", "Missing required field 'tags' in 'properties'"),
                                JSON_FLASK);
    int64_t type = req_path_int(req, "object_type"), object_id = req_path_int(req, "object_id");
    const char *type_name = tag_object_type_name((int)type);
    if (object_id == 0 || !type_name) return resp_json(req, 422, json_pack("{s:s}", "message", "Invalid tag"), JSON_FLASK);
    /* the names, stripped and distinct; a string iterates its characters as in Python */
    json_t *names = json_object();
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, names);
    if (json_is_string(tags)) {
        for (const char *s = json_string_value(tags); *s; s++)
            json_object_set_new(names, strip(req, arena_strndup(req->arena, s, 1)), json_true());
    } else if (json_is_array(tags)) {
        size_t i;
        json_t *t;
        json_array_foreach(tags, i, t) {
            if (!json_is_string(t)) return fatal(req);
            json_object_set_new(names, strip(req, json_string_value(t)), json_true());
        }
    } else {
        return fatal(req);
    }
    const char *pair = arena_sprintf(req->arena, "[[\"%s\",%lld]]", type_name, (long long)object_id);
    pg_error_t err;
    pg_conn_t *c = pg_acquire(app_pg(req->app), req->arena, &err);
    bool ok = c && pg_begin(c, req->arena, &err);
    const char *name;
    json_t *v;
    json_object_foreach(names, name, v) {
        int64_t id = ok ? tag_custom_get_or_create(c, req->arena, name, uid(req), &err) : -1;
        ok = id > 0 && tag_set_objects(c, req->arena, id, pair, true, uid(req), &err);
    }
    ok = ok && pg_commit(c, req->arena, &err);
    if (c) pg_release(c);
    if (!ok) return fatal(req);
    resp_json(req, 201, json_object(), JSON_FLASK);
}

void tag_delete_object(request_t *req) {
    int64_t type = req_path_int(req, "object_type"), object_id = req_path_int(req, "object_id");
    const char *type_name = tag_object_type_name((int)type);
    const char *tag = req_path_param(req, "tag");
    if (!type || !object_id || !type_name) return error_fab(req, 422, "Could not process entity");
    const char *p[] = {tag, type_name, arena_sprintf(req->arena, "%lld", (long long)object_id),
                       strip(req, tag)};
    pg_error_t err;
    /* the command checks the name as given; the deletion looks the tag up by its stripped name */
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              "SELECT (SELECT count(*) FROM tagged_object o WHERE o.object_type = $2"
                              "  AND o.object_id = $3::int AND o.tag_id = (SELECT id FROM tag WHERE name = $1 LIMIT 1)),"
                              " (SELECT id FROM tag WHERE name = $4 LIMIT 1)",
                              4, p);
    if (!r) return fatal(req);
    if (pg_get_int(r, 0, 0, 0) == 0) return error_fab(req, 422, "Could not process entity");
    const char *q[] = {pg_get(r, 0, 1), type_name, p[2]};
    r = q[0] ? pg_query(app_pg(req->app), req->arena, &err,
                        "DELETE FROM tagged_object WHERE tag_id = $1::int AND object_type = $2 AND object_id = $3::int",
                        3, q)
             : NULL;
    if (!r || pg_affected(r) != 1) return error_fab(req, 422, "Tagged Object could not be deleted.");
    error_fab(req, 200, "OK");
}
