/* GET /api/v1/time_range/ (Superset's Api.time_range): the since/until a
 * time range string stands for, computed by sql/time_range. The frontend
 * calls it for every time filter it displays.
 *
 * `q` is rison (or JSON): a string, or a list of {"timeRange", "shift"}.
 * Answers {"result": [{"since", "until", "timeRange", "shift"}, ...]}, or
 * 400 {"message": "Unexpected time range: ..."} for ranges that cannot be
 * read. @has_access_api can_time_range on Api.
 *
 * The view is a plain Superset view wrapped in @api and
 * @handle_api_exception, not a FAB API: the rison decorator's own refusals
 * call a response_400 method this class does not have, so a malformed or
 * schema-violating `q` ends as a 500 {"error": "'Api' object has no attribute
 * 'response_400'"}; Liteset answers the same. */
#include <ctype.h>
#include <string.h>

#include "fcgi/api/api.h"
#include "fcgi/has_access.h"
#include "lib/json.h"
#include "lib/rison.h"
#include "sql/time_range.h"

#define NO_RESPONSE_400 "'Api' object has no attribute 'response_400'"

/* superset.views.error_handling.json_error_response(message): {"error": ...}. */
static void error_500(request_t *req, const char *message) {
    resp_json(req, 500, json_pack("{s:s}", "error", message), JSON_PY_DEFAULT);
}

/* str(exception) of what prison raised: its text without the class name. */
static const char *exception_text(const char *message) {
    const char *colon = strstr(message, ": ");
    if (!colon) return message;
    for (const char *p = message; p < colon; p++)
        if (!isalnum((unsigned char)*p) && *p != '_' && *p != '.') return message;
    return colon + 2;
}

/* FAB's @rison(schema) for this view. NULL after answering. */
static json_t *parse_q(request_t *req) {
    const char *q = req_query_arg(req, "q");
    if (!q || !*q) {
        error_500(req, NO_RESPONSE_400); /* {} does not match the schema */
        return NULL;
    }
    rison_error_t err;
    json_t *v = rison_parse(q, strlen(q), &err);
    if (!v && err.fatal) {
        error_500(req, exception_text(err.message));
        return NULL;
    }
    if (!v) {
        char *again = url_decode(req->arena, q, strlen(q), true);
        v = json_loads(again, JSON_DECODE_ANY, NULL);
    }
    if (!v) {
        error_500(req, NO_RESPONSE_400);
        return NULL;
    }
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, v);
    return v;
}

/* The schema: a string, or an array of objects whose timeRange and shift,
 * when present, are strings. */
static bool schema_ok(const json_t *v) {
    if (json_is_string(v)) return true;
    if (!json_is_array(v)) return false;
    size_t i;
    const json_t *item;
    json_array_foreach(v, i, item) {
        if (!json_is_object(item)) return false;
        const json_t *tr = json_object_get(item, "timeRange"), *shift = json_object_get(item, "shift");
        if ((tr && !json_is_string(tr)) || (shift && !json_is_string(shift))) return false;
    }
    return true;
}

static json_t *bound(bool has, const tr_datetime_t *d) {
    char buf[40] = "";
    if (has) time_range_isoformat(d, buf);
    return json_string(buf);
}

static void get_time_range(request_t *req) {
    if (!has_access_api(req, "can_time_range", "Api")) return;
    json_t *q = parse_q(req);
    if (!q) return;
    if (!schema_ok(q)) {
        error_500(req, NO_RESPONSE_400);
        return;
    }
    tr_datetime_t now = time_range_now();
    json_t *items = json_is_string(q) ? json_pack("[{s:O}]", "timeRange", q) : json_incref(q);
    json_t *result = json_array();
    size_t i;
    json_t *item;
    json_array_foreach(items, i, item) {
        const json_t *tr = json_object_get(item, "timeRange"), *shift = json_object_get(item, "shift");
        if (!tr) { /* time_range["timeRange"]: a KeyError */
            error_500(req, "'timeRange'");
            goto done;
        }
        tr_range_t r;
        char err[512];
        tr_status_t st = time_range_since_until(json_string_value(tr), shift ? json_string_value(shift) : NULL, &now,
                                                &r, err, sizeof err);
        if (st == TR_INVALID) {
            resp_json(req, 400, json_pack("{s:s+}", "message", "Unexpected time range: ", err), JSON_PY_DEFAULT);
            goto done;
        }
        if (st != TR_OK) {
            error_500(req, err);
            goto done;
        }
        json_array_append_new(result, json_pack("{s:o,s:o,s:O,s:O}", "since", bound(r.has_since, &r.since), "until",
                                                bound(r.has_until, &r.until), "timeRange", tr, "shift",
                                                shift ? shift : json_null()));
    }
    resp_json(req, 200, json_pack("{s:O}", "result", result), JSON_PY_DEFAULT);
done:
    json_decref(result);
    json_decref(items);
}

static const route_def_t routes[] = {
    {"GET", "/api/v1/time_range/", get_time_range, GUARD_PUBLIC, 0, NULL},
};

const route_table_t time_range_routes = {routes, sizeof routes / sizeof routes[0], NULL};
