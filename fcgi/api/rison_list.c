/* Rison list arguments of bulk endpoints, validated like jsonschema does
 * (first error only, Python repr of the offending value). */
#include "fcgi/api/rison_list.h"

#include <string.h>

#include "fcgi/errors.h"
#include "lib/py_repr.h"
#include "lib/rison.h"
#include "lib/strbuf.h"

const char *py_repr(request_t *req, const json_t *v) {
    strbuf_t sb;
    strbuf_init_arena(&sb, req->arena, 64);
    py_format_json(&sb, v, true);
    strbuf_putc(&sb, '\0');
    return sb.data;
}

static json_t *parse_q(request_t *req, const char *qs) {
    rison_error_t rerr;
    json_t *v = rison_parse(qs, strlen(qs), &rerr);
    if (!v) { /* FAB_API_ALLOW_JSON_QS: the value once more percent-decoded, as JSON */
        int status;
        const char *msg;
        rison_error_response(&rerr, &status, &msg);
        if (status != 400) {
            error_fab(req, status, msg);
            return NULL;
        }
        const char *dec = url_decode(req->arena, qs, strlen(qs), true);
        v = json_loads(dec, JSON_DECODE_ANY, NULL);
        if (!v) {
            error_fab(req, 400, msg);
            return NULL;
        }
    }
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, v);
    return v;
}

json_t *rison_arg(request_t *req) {
    const char *qs = req_query_arg(req, "q");
    if (qs && *qs) return parse_q(req, qs);
    json_t *v = json_object();
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, v);
    return v;
}

json_t *rison_list_arg(request_t *req, json_type item_type) {
    json_t *v = rison_arg(req);
    if (!v) return NULL;
    const char *bad = NULL, *type = NULL;
    if (!json_is_array(v)) {
        bad = py_repr(req, v);
        type = "array";
    } else {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) {
            if (bad || json_typeof(x) == item_type) continue;
            bad = py_repr(req, x);
            type = item_type == JSON_INTEGER ? "integer" : "string";
        }
    }
    if (bad) {
        error_fab(req, 400, arena_sprintf(req->arena, "Not a valid rison schema %s is not of type '%s'", bad, type));
        return NULL;
    }
    return v;
}

json_t *rison_object_arg(request_t *req) {
    json_t *v = rison_arg(req);
    if (v && !json_is_object(v)) {
        error_fab(req, 400,
                  arena_sprintf(req->arena, "Not a valid rison schema %s is not of type 'object'", py_repr(req, v)));
        return NULL;
    }
    return v;
}

bool rison_check_type(request_t *req, const json_t *obj, const char *key, json_type type) {
    static const struct {
        json_type type;
        const char *name;
    } names[] = {{JSON_REAL, "number"}, {JSON_TRUE, "boolean"}, {JSON_STRING, "string"},
                 {JSON_ARRAY, "array"}, {JSON_INTEGER, "integer"}, {JSON_OBJECT, "object"}};
    const json_t *v = json_object_get(obj, key);
    if (!v) return true;
    bool ok = type == JSON_REAL ? json_is_number(v) : type == JSON_TRUE ? json_is_boolean(v) : json_typeof(v) == type;
    if (ok) return true;
    const char *name = "?";
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].type == type) name = names[i].name;
    error_fab(req, 400, arena_sprintf(req->arena, "Not a valid rison schema %s is not of type '%s'", py_repr(req, v), name));
    return false;
}
