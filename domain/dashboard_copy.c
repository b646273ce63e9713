/* Layout and json_metadata rewriting for dashboard copies; see dashboard_copy.h. */
#include "domain/dashboard_copy.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Python int(v) for the values JSON can hold; false where int() raises. */
static bool py_int(const json_t *v, long long *out) {
    if (json_is_integer(v)) return *out = json_integer_value(v), true;
    if (json_is_boolean(v)) return *out = json_is_true(v), true;
    if (json_is_real(v)) {
        double d = json_real_value(v);
        if (!isfinite(d) || fabs(d) > 9e18) return false;
        return *out = (long long)d, true;
    }
    if (!json_is_string(v)) return false;
    const char *s = json_string_value(v);
    char *end;
    errno = 0;
    while (isspace((unsigned char)*s)) s++;
    if (!*s || (!isdigit((unsigned char)*s) && *s != '-' && *s != '+')) return false;
    long long n = strtoll(s, &end, 10);
    while (isspace((unsigned char)*end)) end++;
    if (errno || *end || end == s) return false;
    return *out = n, true;
}

static bool truthy(const json_t *v) {
    return v && !(json_is_null(v) || json_is_false(v) || (json_is_integer(v) && !json_integer_value(v)) ||
                  (json_is_real(v) && json_real_value(v) == 0) || (json_is_string(v) && !json_string_length(v)) ||
                  (json_is_array(v) && !json_array_size(v)) || (json_is_object(v) && !json_object_size(v)));
}

/* Python equality of two numbers (1 == 1.0); other values never equal here. */
static bool num_eq(const json_t *a, const json_t *b) {
    if (!json_is_number(a) || !json_is_number(b)) return false;
    return json_number_value(a) == json_number_value(b);
}

static bool num_in(const json_t *list, long long v) {
    size_t i;
    json_t *x;
    json_t *want = json_integer(v);
    bool found = false;
    json_array_foreach(list, i, x) found = found || num_eq(x, want);
    json_decref(want);
    return found;
}

/* dict lookup by an int key in an object keyed by decimal text. */
static json_t *int_get(const json_t *map, long long key) {
    char k[32];
    snprintf(k, sizeof k, "%lld", key);
    return json_object_get(map, k);
}

/* value.get("meta", {}): the meta object, NULL when absent, *ok false when
 * meta is present but not an object (Python cannot call .get on it). */
static json_t *node_meta(const json_t *node, bool *ok) {
    json_t *meta = json_object_get(node, "meta");
    if (meta && !json_is_object(meta)) *ok = false;
    return json_is_object(meta) ? meta : NULL;
}

bool dash_copy_remap_charts(json_t *positions, const json_t *old_to_new) {
    if (!json_is_object(positions)) return false;
    const char *key;
    json_t *node;
    bool ok = true;
    json_object_foreach(positions, key, node) {
        if (!json_is_object(node)) continue;
        json_t *meta = node_meta(node, &ok);
        if (!ok) return false;
        json_t *old = json_object_get(meta, "chartId");
        if (!truthy(old)) continue;
        json_t *mapped = json_is_integer(old) ? int_get(old_to_new, json_integer_value(old)) : NULL;
        json_object_set(meta, "chartId", mapped ? mapped : json_null());
    }
    return true;
}

json_t *dash_copy_chart_ids(const json_t *positions) {
    if (!json_is_object(positions)) return NULL;
    json_t *ids = json_array();
    const char *key;
    json_t *node;
    bool ok = true;
    json_object_foreach((json_t *)positions, key, node) {
        if (!json_is_object(node)) continue;
        json_t *meta = node_meta(node, &ok);
        if (!ok) return json_decref(ids), NULL;
        json_t *id = json_object_get(meta, "chartId");
        json_array_append(ids, id ? id : json_null());
    }
    return ids;
}

json_t *dash_copy_query_ids(const json_t *chart_ids) {
    json_t *ids = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(chart_ids, i, v) {
        long long n;
        if (json_is_null(v)) continue;
        if (json_is_boolean(v) || !py_int(v, &n) || (json_is_real(v) && json_real_value(v) != (double)n))
            return json_decref(ids), NULL;
        json_array_append_new(ids, json_integer(n));
    }
    return ids;
}

bool dash_copy_set_uuids(json_t *positions, const json_t *uuids) {
    const char *key;
    json_t *node;
    json_object_foreach(positions, key, node) {
        if (!json_is_object(node)) continue;
        json_t *type = json_object_get(node, "type");
        if (!type) return false;
        if (!json_is_string(type) || strcmp(json_string_value(type), "CHART")) continue;
        json_t *meta = json_object_get(node, "meta");
        if (!json_is_object(meta) || !json_object_get(meta, "chartId")) return false;
        json_t *id = json_object_get(meta, "chartId");
        if (!truthy(id)) continue;
        json_t *uuid = json_is_integer(id) ? int_get(uuids, json_integer_value(id)) : NULL;
        json_object_set(meta, "uuid", uuid ? uuid : json_null());
    }
    return true;
}

/* The old → new chart id map filter scopes are rewritten with. */
static json_t *scope_id_map(const json_t *chart_ids, const json_t *old_to_new) {
    json_t *map = json_object();
    const char *key;
    json_t *v;
    size_t i;
    if (json_object_size(old_to_new)) {
        json_object_foreach((json_t *)old_to_new, key, v) {
            size_t k;
            json_t *x;
            bool in = false;
            json_array_foreach(chart_ids, k, x) in = in || num_eq(x, v);
            if (in) json_object_set(map, key, v);
        }
        return map;
    }
    json_array_foreach(chart_ids, i, v) if (json_is_integer(v)) {
        char k[32];
        snprintf(k, sizeof k, "%lld", (long long)json_integer_value(v));
        json_object_set(map, k, v);
    }
    return map;
}

/* copy_filter_scopes into out; false where Python raises. */
static bool copy_filter_scopes(const json_t *map, json_t *old_scopes, json_t *out) {
    if (!json_is_object(old_scopes)) return false;
    const char *filter_id;
    json_t *scopes;
    json_object_foreach(old_scopes, filter_id, scopes) {
        long long fid;
        json_t *key = json_string(filter_id);
        bool ok = py_int(key, &fid);
        json_decref(key);
        if (!ok) return false;
        json_t *new_key = int_get(map, fid);
        if (!truthy(new_key)) continue;
        if (!json_is_object(scopes)) return false;
        char k[32];
        snprintf(k, sizeof k, "%lld", (long long)json_integer_value(new_key));
        json_object_set(out, k, scopes);
        const char *name;
        json_t *scope;
        json_object_foreach(scopes, name, scope) {
            if (!json_is_object(scope)) return false;
            json_t *immune = json_object_get(scope, "immune");
            if (immune && !json_is_array(immune)) return false;
            json_t *kept = json_array();
            size_t i;
            json_t *sid;
            json_array_foreach(immune, i, sid) {
                long long n;
                if (!py_int(sid, &n)) return json_decref(kept), false;
                json_t *to = int_get(map, n);
                if (to) json_array_append(kept, to);
            }
            json_object_set_new(scope, "immune", kept);
        }
    }
    return true;
}

/* The positions part of set_dash_metadata: filter scopes and default filters. */
static bool positions_part(json_t *md, const json_t *data, const json_t *chart_ids, const json_t *old_to_new, json_t *scopes) {
    json_t *fs = json_object_get(data, "filter_scopes");
    if (fs) {
        json_t *parsed = json_is_string(fs) ? json_loads(json_string_length(fs) ? json_string_value(fs) : "{}", JSON_DECODE_ANY, NULL)
                                            : json_incref(fs);
        json_t *map = scope_id_map(chart_ids, old_to_new);
        bool ok = parsed && copy_filter_scopes(map, parsed, scopes);
        json_decref(map);
        json_decref(parsed);
        if (!ok) return false;
    }
    json_t *df = json_object_get(data, "default_filters");
    if (df && !json_is_string(df)) return false;
    json_t *filters = json_loads(df ? json_string_value(df) : "{}", JSON_DECODE_ANY, NULL);
    if (!json_is_object(filters)) return json_decref(filters), false;
    json_t *applicable = json_object();
    const char *key;
    json_t *v;
    bool ok = true;
    json_object_foreach(filters, key, v) {
        long long n;
        json_t *k = json_string(key);
        ok = ok && py_int(k, &n);
        json_decref(k);
        if (ok && num_in(chart_ids, n)) json_object_set(applicable, key, v);
    }
    char *text = ok ? json_dumps(applicable, JSON_ENSURE_ASCII | JSON_ENCODE_ANY) : NULL;
    json_decref(applicable);
    json_decref(filters);
    if (!text) return false;
    json_object_set_new(md, "default_filters", json_string(text));
    free(text);
    json_object_del(md, "positions");
    return true;
}

bool dash_copy_metadata(json_t *md, const json_t *data, const json_t *chart_ids, const json_t *old_to_new) {
    if (!json_is_object(md) || !json_is_object(data)) return false;
    json_t *scopes = json_object();
    if (chart_ids && !positions_part(md, data, chart_ids, old_to_new, scopes)) return json_decref(scopes), false;
    if (json_object_size(scopes)) json_object_set(md, "filter_scopes", scopes);
    else json_object_del(md, "filter_scopes");
    json_decref(scopes);
    if (!json_object_get(md, "timed_refresh_immune_slices")) json_object_set_new(md, "timed_refresh_immune_slices", json_array());
    json_t *ns = json_object_get(data, "color_namespace");
    if (!ns || json_is_null(ns)) json_object_del(md, "color_namespace");
    else json_object_set(md, "color_namespace", ns);
    static const struct {
        const char *key, *fallback;
    } copied[] = {
        {"expanded_slices", "{}"}, {"refresh_frequency", "0"}, {"color_scheme", "\"\""}, {"label_colors", "{}"},
        {"shared_label_colors", "[]"}, {"map_label_colors", "{}"}, {"color_scheme_domain", "[]"},
        {"cross_filters_enabled", "true"},
    };
    for (size_t i = 0; i < sizeof copied / sizeof copied[0]; i++) {
        json_t *v = json_object_get(data, copied[i].key);
        json_object_set_new(md, copied[i].key, v ? json_incref(v) : json_loads(copied[i].fallback, JSON_DECODE_ANY, NULL));
    }
    return true;
}
