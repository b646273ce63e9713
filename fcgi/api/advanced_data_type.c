/* /api/v1/advanced_data_type: Superset's AdvancedDataTypeRestApi, registered
 * whatever ENABLE_ADVANCED_DATA_TYPES says (the flag only gates the filter
 * translation in queries). `types` lists ADVANCED_DATA_TYPES; `convert`
 * runs a type's translate_type on `q=(type:..., values:!(...))` after the
 * rison decorator's JSON-schema check (jsonschema best_match: a missing
 * required key first, then the `values` error, then the `type` error).
 * can_read on AdvancedDataType.
 *
 * Addresses are 128-bit integers, past what jansson holds, so the answer is
 * written as text in jsonify's form (sorted keys, compact, ASCII). */
#include <ev.h>
#include <string.h>

#include "domain/advanced_type.h"
#include "fcgi/api/api.h"
#include "fcgi/api/rison_list.h"
#include "lib/rison.h"
#include "fcgi/errors.h"
#include "fcgi/event_logger.h"
#include "lib/json.h"
#include "lib/pyfloat.h"
#include "lib/py_repr.h"
#include "lib/py_unicode.h"

#define VIEW_MENU "AdvancedDataType"

/* jsonschema's best match for advanced_data_type_convert_schema, or NULL. */
static const char *schema_error(request_t *req, const json_t *q) {
    static const char *const required[] = {"type", "values"};
    if (!json_is_object(q)) return arena_sprintf(req->arena, "%s is not of type 'object'", py_repr(req, q));
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (!json_object_get(q, required[i])) return arena_sprintf(req->arena, "'%s' is a required property", required[i]);
    const json_t *values = json_object_get(q, "values"), *type = json_object_get(q, "type");
    if (!json_is_array(values)) return arena_sprintf(req->arena, "%s is not of type 'array'", py_repr(req, values));
    if (json_array_size(values) == 0) return "[] should be non-empty";
    if (!json_is_string(type)) return arena_sprintf(req->arena, "%s is not of type 'string'", py_repr(req, type));
    return NULL;
}

static void put_string(strbuf_t *sb, const char *s, size_t n) {
    json_t *j = json_stringn(s, n);
    json_dump_sb(sb, j, JSON_FLASK);
    json_decref(j);
}

static void put_value(strbuf_t *sb, const adt_value_t *v, bool port_type) {
    char a[41], b[41];
    switch (v->kind) {
    case ADT_EMPTY: strbuf_puts(sb, port_type ? "[\"\"]" : "\"\""); break;
    case ADT_INT:
        adt_u128_format(v->a, a);
        strbuf_puts(sb, a);
        break;
    case ADT_RANGE:
        adt_u128_format(v->a, a);
        adt_u128_format(v->b, b);
        strbuf_printf(sb, "{\"end\":%s,\"start\":%s}", b, a);
        break;
    case ADT_PORTS:
        strbuf_printf(sb, v->n_ports == 2 ? "[%d,%d]" : "[%d]", v->ports[0], v->ports[1]);
        break;
    }
}

static void answer(request_t *req, const adt_response_t *r, bool port_type) {
    strbuf_t sb;
    strbuf_init_arena(&sb, req->arena, 256);
    strbuf_puts(&sb, "{\"result\":{\"display_value\":");
    put_string(&sb, r->display_value, strlen(r->display_value));
    strbuf_puts(&sb, ",\"error_message\":");
    put_string(&sb, r->error_message, r->error_len);
    strbuf_puts(&sb, ",\"valid_filter_operators\":[");
    for (const char *const *op = adt_filter_operators; *op; op++)
        strbuf_printf(&sb, "%s\"%s\"", op == adt_filter_operators ? "" : ",", *op);
    strbuf_puts(&sb, "],\"values\":[");
    for (size_t i = 0; i < r->n_values; i++) {
        if (i) strbuf_putc(&sb, ',');
        put_value(&sb, &r->values[i], port_type);
    }
    strbuf_puts(&sb, "]}}\n");
    resp_body(req, 200, "application/json; charset=utf-8", sb.data, sb.len);
}

/* event_logger.log_this_with_context under @safe: answers the view returns
 * are logged (the route's log_action), errors escaping to @safe (500) are not. */
static void skip_log_on_crash(request_t *req) {
    if (req->status >= 500) event_log_skip(req);
}

static void convert_answer(request_t *req) {
    json_t *q = rison_arg(req);
    if (!q) return;
    const char *bad = schema_error(req, q);
    if (bad) return error_fab(req, 400, arena_sprintf(req->arena, "Not a valid rison schema %s", bad));
    const char *name = json_string_value(json_object_get(q, "type"));
    const adt_type_t *type = adt_type_find(name);
    if (!type) return error_fab(req, 400, arena_sprintf(req->arena, "Invalid advanced data type: %s", name));
    const json_t *values = json_object_get(q, "values");
    size_t n = json_array_size(values);
    const char **texts = arena_calloc(req->arena, n, sizeof *texts);
    size_t *lens = arena_calloc(req->arena, n, sizeof *lens);
    for (size_t i = 0; i < n; i++) {
        strbuf_t sb;
        strbuf_init_arena(&sb, req->arena, 32);
        py_format_json(&sb, json_array_get(values, i), false);
        texts[i] = sb.data;
        lens[i] = sb.len;
    }
    const json_t *first = json_array_get(values, 0);
    adt_input_t in = {texts, lens, n, n == 1 && json_is_string(first) && json_string_length(first) == 0};
    adt_response_t out;
    type->translate(req->arena, &in, &out);
    answer(req, &out, !strcmp(type->name, "port"));
}

static void convert(request_t *req) {
    convert_answer(req);
    skip_log_on_crash(req);
}

static void types(request_t *req) {
    json_t *names = json_array();
    for (const adt_type_t *t = adt_types; t->name; t++) json_array_append_new(names, json_string(t->name));
    resp_json(req, 200, json_pack("{s:o}", "result", names), JSON_FLASK);
}

static const route_def_t routes[] = {
    {"GET", "/api/v1/advanced_data_type/convert", convert, GUARD("can_read", VIEW_MENU), 0, NULL,
     "AdvancedDataTypeRestApi.get", NULL},
    {"GET", "/api/v1/advanced_data_type/types", types, GUARD("can_read", VIEW_MENU), 0, NULL,
     "AdvancedDataTypeRestApi.get", "AdvancedDataTypeRestApi.get_types"},
};

const route_table_t advanced_data_type_routes = {routes, sizeof routes / sizeof routes[0], NULL};
