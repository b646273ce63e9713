/* Reads of Superset's TagRestApi beyond the engine: GET /get_objects/ (the
 * dashboards, charts and saved queries carrying some tags, each under its
 * own access rule, dumped by TaggedObjectEntityResponseSchema), and the
 * caller's favorite tags (GET /favorite_status/, POST and DELETE
 * /<pk>/favorites/ on user_favorite_tag). */
#include <stdlib.h>
#include <string.h>

#include "fcgi/api/dashboard.h"
#include "fcgi/api/chart.h"
#include "fcgi/api/rison_list.h"
#include "fcgi/api/tag.h"
#include "fcgi/app.h"
#include "fcgi/errors.h"
#include "fcgi/event_logger.h"
#include "lib/json.h"
#include "persistence/models.h"

#define ISO(x)                                                                                              \
    "CASE WHEN " x " IS NULL THEN NULL WHEN extract(microseconds FROM " x ")::bigint % 1000000 = 0"          \
    " THEN to_char(" x ", 'YYYY-MM-DD\"T\"HH24:MI:SS') ELSE to_char(" x ", 'YYYY-MM-DD\"T\"HH24:MI:SS.US') END"
/* markupsafe.escape of str(user) ("first last"), "" without a creator. */
#define CREATOR(fk)                                                                                          \
    "coalesce((SELECT replace(replace(replace(replace(replace(u.first_name || ' ' || u.last_name, '&', '&amp;'),"  \
    " '<', '&lt;'), '>', '&gt;'), '\"', '&#34;'), '''', '&#39;') FROM ab_user u WHERE u.id = " fk "), '')"
/* Tag.type through fields.String: str() of the Python enum member. */
#define TAGS(kind)                                                                                           \
    "(SELECT coalesce(json_agg(json_build_object('id', g.id, 'name', g.name, 'type',"                        \
    " CASE WHEN g.type IS NULL THEN NULL ELSE 'TagType.' || g.type END) ORDER BY o.id), '[]'::json)"          \
    " FROM tagged_object o JOIN tag g ON g.id = o.tag_id WHERE o.object_type = '" kind "' AND o.object_id = t.id)"
#define OWNERS(link, fk)                                                                                     \
    "(SELECT coalesce(json_agg(json_build_object('id', u.id, 'username', u.username, 'first_name',"          \
    " u.first_name, 'last_name', u.last_name) ORDER BY l.id), '[]'::json) FROM " link " l"                    \
    " JOIN ab_user u ON u.id = l.user_id WHERE l." fk " = t.id)"
#define ENTITY(kind, name, url, owners)                                                                      \
    "json_build_object('id', t.id, 'type', '" kind "', 'name', " name ", 'url', " url ", 'changed_on', "      \
    ISO("t.changed_on") ", 'created_by', CASE WHEN t.created_by_fk IS NULL THEN NULL ELSE '{}'::json END,"    \
    " 'creator', " CREATOR("t.created_by_fk") ", 'tags', " TAGS(kind) ", 'owners', " owners ")::text"

/* An exception caught by @safe, outside the event logger: no logs row. */
static void fatal(request_t *req) {
    event_log_skip(req);
    error_fab(req, 500, "Fatal error");
}

typedef void (*access_fn)(request_t *req, model_query_t *q);

static void own_saved_queries(request_t *req, model_query_t *q) {
    mq_where(q, arena_sprintf(q->arena, "t.created_by_fk = %s::int",
                              mq_param(q, arena_sprintf(q->arena, "%lld", (long long)(req->user ? req->user->id : 0)))));
}

/* Per object type, in the order the reference lists them. */
static const struct entity_kind {
    const char *type;
    const model_t *model;
    access_fn access;
    const char *row_sql;
} kinds[] = {
    {"dashboard", &model_dashboard, dashboard_access_filter,
     ENTITY("dashboard", "t.dashboard_title", "'/superset/dashboard/' || coalesce(nullif(t.slug, ''), t.id::text) || '/'",
            OWNERS("dashboard_user", "dashboard_id"))},
    {"chart", &model_chart, chart_access_filter,
     ENTITY("chart", "t.slice_name", "'/explore/?slice_id=' || t.id", OWNERS("slice_user", "slice_id"))},
    {"query", &model_saved_query, own_saved_queries,
     ENTITY("query", "t.label", "'/sqllab?savedQueryId=' || t.id", "'[{}]'::json")},
};

/* Comma-separated argument as a JSON array of its non-empty items. */
static json_t *csv_arg(request_t *req, const char *name) {
    json_t *a = json_array();
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, a);
    const char *s = req_query_arg(req, name);
    while (s && *s) {
        const char *comma = strchr(s, ',');
        size_t n = comma ? (size_t)(comma - s) : strlen(s);
        if (n) json_array_append_new(a, json_stringn(s, n));
        s = comma ? comma + 1 : NULL;
    }
    return a;
}

static bool in_array(const json_t *a, const char *s) {
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v) if (!strcmp(json_string_value(v), s)) return true;
    return false;
}

void tag_get_objects(request_t *req) {
    json_t *ids = csv_arg(req, "tagIds"), *names = csv_arg(req, "tags"), *types = csv_arg(req, "types");
    size_t i;
    json_t *v;
    json_array_foreach(ids, i, v) { /* the ids reach an integer column: anything else fails there */
        char *end;
        const char *s = json_string_value(v);
        (void)strtoll(s, &end, 10);
        if (*end) return fatal(req);
    }
    static const char *const type_names[] = {"query", "chart", "dashboard", "dataset"};
    json_array_foreach(types, i, v) { /* ObjectType[name] */
        bool known = false;
        for (size_t k = 0; k < 4; k++) known = known || !strcmp(type_names[k], json_string_value(v));
        if (!known) return fatal(req);
    }
    json_t *result = json_array();
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, result);
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        if (json_array_size(types) && !in_array(types, kinds[k].type)) continue;
        model_query_t mq;
        mq_init(&mq, req->arena, kinds[k].model);
        kinds[k].access(req, &mq);
        const char *type = mq_param(&mq, kinds[k].type);
        const char *tag_set;
        if (json_array_size(ids))
            tag_set = arena_sprintf(req->arena, "SELECT x::int FROM jsonb_array_elements_text(%s::jsonb) e(x)",
                                    mq_param(&mq, json_dump_arena(req->arena, ids, JSON_COMPACT, NULL)));
        else if (json_array_size(names))
            tag_set = arena_sprintf(req->arena, "SELECT id FROM tag WHERE name IN (SELECT jsonb_array_elements_text(%s::jsonb))",
                                    mq_param(&mq, json_dump_arena(req->arena, names, JSON_COMPACT, NULL)));
        else
            tag_set = "SELECT id FROM tag";
        mq_where(&mq, arena_sprintf(req->arena, "t.id IN (SELECT o.object_id FROM tagged_object o WHERE o.object_type = %s"
                                                " AND o.tag_id IN (%s))", type, tag_set));
        pg_error_t err;
        pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                                  arena_sprintf(req->arena, "SELECT %s FROM \"%s\" t WHERE %s ORDER BY t.id",
                                                kinds[k].row_sql, kinds[k].model->table, mq.where.data),
                                  mq.nparams, mq.params);
        if (!r) return fatal(req);
        for (int row = 0; row < pg_nrows(r); row++) {
            json_t *o = json_loads(pg_get(r, row, 0), 0, NULL);
            if (o) json_array_append_new(result, o);
        }
    }
    resp_json(req, 200, json_pack("{s:O}", "result", result), JSON_FLASK);
}

void tag_favorite_status(request_t *req) {
    json_t *ids = rison_list_arg(req, JSON_INTEGER);
    if (!ids) return event_log_skip(req); /* answered by @rison, outside the event logger */
    event_log_kwarg(req, "rison", ids);
    const char *p[] = {json_dump_arena(req->arena, ids, JSON_COMPACT, NULL),
                       arena_sprintf(req->arena, "%lld", (long long)(req->user ? req->user->id : 0))};
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              "SELECT coalesce(json_agg(json_build_object('id', x.v, 'value', EXISTS (SELECT 1 FROM"
                              " user_favorite_tag f JOIN tag g ON g.id = f.tag_id WHERE f.tag_id = x.v::int"
                              " AND f.user_id = $2::int)) ORDER BY x.n), '[]'::json)::text"
                              " FROM jsonb_array_elements_text($1::jsonb) WITH ORDINALITY x(v, n)",
                              2, p);
    json_t *res = r ? json_loads(pg_get(r, 0, 0), 0, NULL) : NULL;
    if (!res) return fatal(req);
    /* ids come back as text from jsonb_array_elements_text: restore the integers */
    size_t i;
    json_t *o;
    json_array_foreach(res, i, o) json_object_set(o, "id", json_array_get(ids, i));
    resp_json(req, 200, json_pack("{s:o}", "result", res), JSON_FLASK);
}

/* 0 when the tag exists, else the answered status. */
static int tag_exists(request_t *req, const char **id) {
    const char *s = req_path_param(req, "pk");
    char *end;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end) return fatal(req), 500;
    *id = arena_sprintf(req->arena, "%lld", v);
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err, "SELECT 1 FROM tag WHERE id = $1::int", 1, id);
    if (!r) return fatal(req), 500;
    if (!pg_nrows(r)) return error_fab(req, 404, "Not found"), 404;
    return 0;
}

void tag_add_favorite(request_t *req) {
    const char *id;
    if (tag_exists(req, &id)) return;
    const char *p[] = {id, arena_sprintf(req->arena, "%lld", (long long)(req->user ? req->user->id : 0))};
    pg_error_t err;
    if (!pg_query(app_pg(req->app), req->arena, &err,
                  "INSERT INTO user_favorite_tag (user_id, tag_id) SELECT $2::int, $1::int WHERE NOT EXISTS"
                  " (SELECT 1 FROM user_favorite_tag WHERE user_id = $2::int AND tag_id = $1::int)",
                  2, p))
        return fatal(req);
    resp_json(req, 200, json_pack("{s:s}", "result", "OK"), JSON_FLASK);
}

void tag_remove_favorite(request_t *req) {
    const char *id;
    if (tag_exists(req, &id)) return;
    const char *p[] = {id, arena_sprintf(req->arena, "%lld", (long long)(req->user ? req->user->id : 0))};
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              "DELETE FROM user_favorite_tag WHERE user_id = $2::int AND tag_id = $1::int", 2, p);
    /* list.remove of a user who had not favorited the tag raises: @safe answers 500 */
    if (!r || pg_affected(r) == 0) return fatal(req);
    resp_json(req, 200, json_pack("{s:s}", "result", "OK"), JSON_FLASK);
}
