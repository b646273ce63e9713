/* Partial json_metadata updates: PUT /api/v1/dashboard/<pk>/filters
 * (DashboardNativeFiltersConfigUpdateSchema; modified filters replace or
 * join native_filter_configuration, deleted ones go, reordered sets the
 * order; answers the new configuration) and PUT /<pk>/colors
 * (DashboardColorsConfigUpdateSchema; ?mark_updated=false keeps changed_on).
 * Both need ownership (403) of a visible dashboard (404). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fcgi/api/dashboard_extra.h"
#include "fcgi/api/dashboard.h"
#include "fcgi/api/dashboard_schema.h"
#include "fcgi/app.h"
#include "fcgi/errors.h"
#include "lib/json.h"
#include "persistence/pg.h"

static const schema_field_t filters_schema[] = {
    {"deleted", FS_LIST_STR, false, false, 0},
    {"modified", FS_LIST_RAW, false, false, 0},
    {"reordered", FS_LIST_STR, false, false, 0},
    {NULL, 0, false, false, 0},
};

static const schema_field_t colors_schema[] = {
    {"color_namespace", FS_STR, true, false, 0},
    {"color_scheme", FS_STR, true, false, 0},
    {"map_label_colors", FS_DICT, false, false, 0},
    {"shared_label_colors", FS_SHARED_LABELS, false, false, 0},
    {"label_colors", FS_DICT, false, false, 0},
    {"color_scheme_domain", FS_LIST_STR, false, false, 0},
    {NULL, 0, false, false, 0},
};

/* The keys of the colors body copied into json_metadata (color_namespace is accepted, not stored). */
static const char *const color_keys[] = {"color_scheme_domain", "color_scheme", "shared_label_colors",
                                         "map_label_colors", "label_colors", NULL};

/* dict.get(key) as Python compares it: a missing key reads as None. */
static json_t *py_get(json_t *obj, const char *key) {
    json_t *v = json_object_get(obj, key);
    return v ? v : json_null();
}

static bool py_truthy(json_t *v) {
    return !(json_is_null(v) || json_is_false(v) || (json_is_string(v) && !json_string_length(v)) ||
             (json_is_integer(v) && !json_integer_value(v)) || (json_is_real(v) && json_real_value(v) == 0) ||
             (json_is_array(v) && !json_array_size(v)) || (json_is_object(v) && !json_object_size(v)));
}

static bool list_has(json_t *list, json_t *v) {
    size_t i;
    json_t *x;
    json_array_foreach(list, i, x) if (json_equal(x, v)) return true;
    return false;
}

/* DashboardDAO.update_native_filters_config; NULL where Python would raise
 * (a filter that is not an object, a reordered filter without an id). */
static json_t *apply_filters(json_t *metadata, json_t *attrs) {
    json_t *current = json_object_get(metadata, "native_filter_configuration");
    if (current && !json_is_array(current)) return NULL;
    json_t *deleted = json_object_get(attrs, "deleted"), *modified = json_object_get(attrs, "modified");
    json_t *reordered = json_copy(json_is_array(json_object_get(attrs, "reordered")) ? json_object_get(attrs, "reordered") : NULL);
    if (!reordered) reordered = json_array();
    json_t *updated = json_array();
    size_t i, k;
    json_t *conf, *f;
    bool ok = true;
    json_array_foreach(current, i, conf) {
        if (!json_is_object(conf)) ok = false;
        if (!ok) break;
        json_t *id = py_get(conf, "id");
        bool gone = false;
        json_array_foreach(deleted, k, f) if (!gone && json_equal(f, id)) gone = py_truthy(f);
        if (gone) continue;
        json_t *replacement = NULL;
        json_array_foreach(modified, k, f) {
            if (!json_is_object(f)) ok = false;
            else if (!replacement && json_equal(py_get(f, "id"), id)) replacement = f;
        }
        json_array_append(updated, replacement ? replacement : conf);
    }
    json_array_foreach(modified, i, f) {
        if (!ok || !json_is_object(f)) {
            ok = false;
            break;
        }
        json_t *id = py_get(f, "id");
        bool known = false;
        json_array_foreach(updated, k, conf) known = known || json_equal(py_get(conf, "id"), id);
        if (known) continue;
        json_array_append(updated, f);
        if (json_array_size(reordered) && !list_has(reordered, id)) json_array_append(reordered, id);
    }
    if (ok && json_array_size(reordered)) {
        json_array_foreach(updated, k, conf) ok = ok && json_object_get(conf, "id") && !json_is_array(json_object_get(conf, "id")) &&
                                                !json_is_object(json_object_get(conf, "id"));
        json_t *ordered = json_array();
        json_array_foreach(reordered, i, f) {
            json_t *last = NULL; /* a dict keeps the last filter of an id */
            json_array_foreach(updated, k, conf) if (json_equal(json_object_get(conf, "id"), f)) last = conf;
            if (last) json_array_append(ordered, last);
        }
        json_decref(updated);
        updated = ordered;
    }
    json_decref(reordered);
    if (!ok) {
        json_decref(updated);
        return NULL;
    }
    return updated;
}

/* parse_boolean_string(request.args.get("mark_updated", "true")). */
static bool mark_updated(request_t *req) {
    static const char *const yes[] = {"y", "yes", "true", "t", "on", "1", NULL};
    const char *arg = req_query_arg(req, "mark_updated");
    if (!arg) return true;
    for (size_t i = 0; yes[i]; i++)
        if (!strcasecmp(arg, yes[i])) return true;
    return false;
}

typedef enum { CONFIG_FILTERS, CONFIG_COLORS } config_kind_t;

static bool parse_pk(const char *s, int64_t *pk) {
    char *end;
    long long v = s && *s ? strtoll(s, &end, 10) : 0;
    if (!s || !*s || *end || v > 2147483647 || v < -2147483647) return false;
    *pk = v;
    return true;
}

static void put_config(request_t *req, config_kind_t kind) {
    static const char *const failed[] = {"Dashboard native filters could not be patched.",
                                         "Dashboard color configuration could not be updated."};
    json_t *body = dashboard_json_body(req);
    if (!body) return;
    json_t *errors = schema_errors(req->arena, kind == CONFIG_FILTERS ? filters_schema : colors_schema, body);
    if (errors) return resp_json(req, 400, json_pack("{s:o}", "message", errors), JSON_FLASK);
    int64_t pk;
    if (!parse_pk(req_path_param(req, "pk"), &pk)) return error_fab(req, 422, failed[kind]);
    if (dashboard_check_target(req, pk, true)) return;
    /* an empty update leaves the reference's result unbound: it answers 500 */
    if (kind == CONFIG_FILTERS && !json_object_size(body)) return dashboard_fatal(req);
    const char *id = arena_sprintf(req->arena, "%lld", (long long)pk);
    const char *p1[] = {id};
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err, "SELECT json_metadata FROM dashboards WHERE id = $1::int", 1, p1);
    if (!r || !pg_nrows(r)) return dashboard_fatal(req);
    const char *text = pg_get(r, 0, 0);
    json_t *metadata = json_parse_arena(req->arena, text && *text ? text : "{}", strlen(text && *text ? text : "{}"), JSON_DECODE_ANY, NULL);
    if (!json_is_object(metadata)) return dashboard_fatal(req);
    json_t *result = NULL;
    if (kind == CONFIG_FILTERS) {
        result = apply_filters(metadata, body);
        if (!result) return dashboard_fatal(req);
        json_arena_own(req->arena, result);
        json_object_set(metadata, "native_filter_configuration", result);
    } else {
        for (size_t i = 0; color_keys[i]; i++) {
            json_t *v = json_object_get(body, color_keys[i]);
            bool dict_labels = !strcmp(color_keys[i], "shared_label_colors") && json_is_object(v); /* loads as [] */
            if (v) json_object_set_new(metadata, color_keys[i], dict_labels ? json_array() : json_incref(v));
        }
    }
    bool touch = kind == CONFIG_FILTERS || mark_updated(req);
    const char *p[] = {json_dump_arena(req->arena, metadata, JSON_PY_DEFAULT, NULL), id,
                       arena_sprintf(req->arena, "%lld", (long long)(req->user ? req->user->id : 0)),
                       touch ? "true" : "false"};
    if (!p[0]) return dashboard_fatal(req);
    if (!pg_query(app_pg(req->app), req->arena, &err,
                  "UPDATE dashboards SET json_metadata = $1, changed_by_fk = nullif($3::int, 0), changed_on ="
                  " CASE WHEN $4::boolean THEN localtimestamp ELSE changed_on END WHERE id = $2::int",
                  4, p))
        return error_fab(req, 422, failed[kind]);
    if (kind == CONFIG_FILTERS) resp_json(req, 200, json_pack("{s:O}", "result", result), JSON_FLASK);
    else resp_json(req, 200, json_object(), JSON_FLASK);
}

void dashboard_put_filters(request_t *req) { put_config(req, CONFIG_FILTERS); }
void dashboard_put_colors(request_t *req) { put_config(req, CONFIG_COLORS); }
