/* Rison list arguments of bulk endpoints, validated like jsonschema does
 * (first error only, Python repr of the offending value). */
#include "fcgi/api/rison_list.h"

#include <string.h>

#include "fcgi/errors.h"
#include "lib/rison.h"
#include "lib/strbuf.h"

static void repr_into(strbuf_t *sb, const json_t *v) {
    size_t i;
    const char *key;
    json_t *x;
    switch (json_typeof(v)) {
    case JSON_STRING: {
        const char *s = json_string_value(v);
        char quote = strchr(s, '\'') && !strchr(s, '"') ? '"' : '\'';
        strbuf_putc(sb, quote);
        for (; *s; s++) {
            if (*s == '\\' || *s == quote) strbuf_putc(sb, '\\');
            if (*s == '\n') strbuf_puts(sb, "\\n");
            else if (*s == '\t') strbuf_puts(sb, "\\t");
            else strbuf_putc(sb, *s);
        }
        strbuf_putc(sb, quote);
        break;
    }
    case JSON_INTEGER: strbuf_printf(sb, "%lld", (long long)json_integer_value(v)); break;
    case JSON_REAL: strbuf_printf(sb, "%.17g", json_real_value(v)); break;
    case JSON_TRUE: strbuf_puts(sb, "True"); break;
    case JSON_FALSE: strbuf_puts(sb, "False"); break;
    case JSON_NULL: strbuf_puts(sb, "None"); break;
    case JSON_ARRAY:
        strbuf_putc(sb, '[');
        json_array_foreach(v, i, x) {
            if (i) strbuf_puts(sb, ", ");
            repr_into(sb, x);
        }
        strbuf_putc(sb, ']');
        break;
    case JSON_OBJECT: {
        bool first = true;
        strbuf_putc(sb, '{');
        json_object_foreach((json_t *)v, key, x) {
            json_t *k = json_string(key);
            if (!first) strbuf_puts(sb, ", ");
            first = false;
            repr_into(sb, k);
            json_decref(k);
            strbuf_puts(sb, ": ");
            repr_into(sb, x);
        }
        strbuf_putc(sb, '}');
        break;
    }
    }
}

const char *py_repr(request_t *req, const json_t *v) {
    strbuf_t sb;
    strbuf_init_arena(&sb, req->arena, 64);
    repr_into(&sb, v);
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
