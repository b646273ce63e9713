/* POST /api/v1/cachekey/invalidate: Superset's CacheRestApi.invalidate
 * (can_invalidate on CacheRestApi, CSRF like every Superset write). The body
 * is loaded with CacheInvalidationRequestSchema; a failure answers 400 with
 * str(ValidationError), i.e. the Python repr of marshmallow's error dict
 * ({'datasources': {0: {'datasource_type': ['Missing data for required
 * field.']}}}). Success is 201 {}. The work is domain/cache_invalidate.
 *
 * Inside @safe: a body that is not JSON by its Content-Type is werkzeug's
 * 415, which @safe turns into 500 "Fatal error"; unparsable JSON is the
 * 400 BadRequest text. */
#include <ev.h>
#include <string.h>

#include "domain/cache_invalidate.h"
#include "fcgi/api/api.h"
#include "fcgi/app.h"
#include "fcgi/errors.h"
#include "fcgi/event_logger.h"
#include "lib/py_unicode.h"

#define MSG_NULL "['Field may not be null.']"
#define MSG_STRING "['Not a valid string.']"
#define MSG_LIST "['Not a valid list.']"
#define MSG_TYPE "{'_schema': ['Invalid input type.']}"
#define MSG_UNKNOWN "['Unknown field.']"
#define MSG_REQUIRED "['Missing data for required field.']"
#define MSG_CHOICE "['Must be one of: table, dataset, query, saved_query, view.']"

/* A Python dict being written as repr text: "{k: v, ...}". */
typedef struct err_dict {
    strbuf_t sb;
    size_t n;
} err_dict_t;

static void dict_init(request_t *req, err_dict_t *d) {
    strbuf_init_arena(&d->sb, req->arena, 64);
    d->n = 0;
}

static void dict_key_str(err_dict_t *d, const char *key) {
    strbuf_puts(&d->sb, d->n++ ? ", " : "{");
    py_repr_str(&d->sb, key, strlen(key));
    strbuf_puts(&d->sb, ": ");
}

static void dict_key_int(err_dict_t *d, size_t index) {
    strbuf_puts(&d->sb, d->n++ ? ", " : "{");
    strbuf_printf(&d->sb, "%zu: ", index);
}

/* The repr, or NULL when nothing was added. */
static const char *dict_end(err_dict_t *d) {
    if (!d->n) return NULL;
    strbuf_putc(&d->sb, '}');
    return d->sb.data;
}

static bool in_list(const char *const *names, const char *s) {
    for (; *names; names++)
        if (!strcmp(*names, s)) return true;
    return false;
}

/* fields.String(): the error of one value, NULL when valid. */
static const char *string_error(const json_t *v, bool allow_none) {
    if (json_is_null(v)) return allow_none ? NULL : MSG_NULL;
    return json_is_string(v) ? NULL : MSG_STRING;
}

typedef const char *(*item_error_fn)(request_t *req, const json_t *item);

/* fields.List(<field>): the items' errors keyed by index. */
static const char *list_error(request_t *req, const json_t *v, item_error_fn item_error) {
    if (json_is_null(v)) return MSG_NULL;
    if (!json_is_array(v)) return MSG_LIST;
    err_dict_t d;
    dict_init(req, &d);
    size_t i;
    const json_t *x;
    json_array_foreach(v, i, x) {
        const char *e = item_error(req, x);
        if (!e) continue;
        dict_key_int(&d, i);
        strbuf_puts(&d.sb, e);
    }
    return dict_end(&d);
}

/* fields.String() as a list item. */
static const char *uid_error(request_t *req, const json_t *item) {
    (void)req;
    return string_error(item, false);
}

/* The Datasource schema of one datasources item. */
static const char *datasource_error(request_t *req, const json_t *item) {
    static const struct {
        const char *name;
        bool allow_none, required, choice;
    } fields[] = {{"database_name", false, false, false},
                  {"datasource_name", false, false, false},
                  {"catalog", true, false, false},
                  {"schema", false, false, false},
                  {"datasource_type", false, true, true}};
    static const char *const names[] = {"database_name", "datasource_name", "catalog", "schema", "datasource_type",
                                        NULL};
    static const char *const choices[] = {"table", "dataset", "query", "saved_query", "view", NULL};
    if (json_is_null(item)) return MSG_NULL;
    if (!json_is_object(item)) return MSG_TYPE;
    err_dict_t d;
    dict_init(req, &d);
    for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
        const json_t *v = json_object_get(item, fields[f].name);
        const char *e = !v ? (fields[f].required ? MSG_REQUIRED : NULL) : string_error(v, fields[f].allow_none);
        if (!e && v && fields[f].choice && json_is_string(v) && !in_list(choices, json_string_value(v))) e = MSG_CHOICE;
        if (!e) continue;
        dict_key_str(&d, fields[f].name);
        strbuf_puts(&d.sb, e);
    }
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)item, key, v) {
        if (in_list(names, key)) continue;
        dict_key_str(&d, key);
        strbuf_puts(&d.sb, MSG_UNKNOWN);
    }
    return dict_end(&d);
}

/* CacheInvalidationRequestSchema().load(body): NULL, or the error repr. */
static const char *body_error(request_t *req, const json_t *body) {
    if (!json_is_object(body)) return MSG_TYPE;
    static const char *const names[] = {"datasource_uids", "datasources", NULL};
    err_dict_t d;
    dict_init(req, &d);
    const json_t *uids = json_object_get(body, "datasource_uids"), *sources = json_object_get(body, "datasources");
    const char *e;
    if (uids && (e = list_error(req, uids, uid_error))) {
        dict_key_str(&d, "datasource_uids");
        strbuf_puts(&d.sb, e);
    }
    if (sources && (e = list_error(req, sources, datasource_error))) {
        dict_key_str(&d, "datasources");
        strbuf_puts(&d.sb, e);
    }
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)body, key, v) {
        if (in_list(names, key)) continue;
        dict_key_str(&d, key);
        strbuf_puts(&d.sb, MSG_UNKNOWN);
    }
    return dict_end(&d);
}

/* The route logs as log_this_with_context under @safe: what the view
 * returns (201, 400, the 500 of a failed delete) is logged; a body that is
 * not JSON and exceptions caught by @safe write no row. */
static void invalidate(request_t *req) {
    if (!req_is_json(req)) {
        event_log_skip(req);
        return error_fab(req, 500, "Fatal error");
    }
    json_t *body = json_loadb(req->body.data, req->body.len, JSON_DECODE_ANY, NULL);
    if (!body) {
        event_log_skip(req);
        return error_fab(req, 400,
                         "400 Bad Request: The browser (or proxy) sent a request that this server could not understand.");
    }
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, body);
    const char *bad = body_error(req, body);
    if (bad) return error_fab(req, 400, bad);
    cache_invalidate_ctx_t ctx = {app_pg(req->app), req->arena, req->cfg, app_redis(req->app)};
    int64_t deleted;
    const char *message;
    switch (cache_invalidate(&ctx, json_object_get(body, "datasource_uids"), json_object_get(body, "datasources"),
                             &deleted, &message)) {
    case CACHE_INVALIDATE_OK: return resp_json(req, 201, json_object(), JSON_FLASK);
    case CACHE_INVALIDATE_DELETE_FAILED: return error_fab(req, 500, message);
    case CACHE_INVALIDATE_LOOKUP_FAILED:
    case CACHE_INVALIDATE_CACHE_FAILED: break;
    }
    event_log_skip(req);
    error_fab(req, 500, "Fatal error");
}

static const route_def_t routes[] = {
    {"POST", "/api/v1/cachekey/invalidate", invalidate, GUARD("can_invalidate", "CacheRestApi"), 0, NULL, "invalidate",
     "CacheRestApi.invalidate"},
};

const route_table_t cachekey_routes = {routes, sizeof routes / sizeof routes[0], NULL};
