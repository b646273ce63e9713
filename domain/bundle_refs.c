/* Id rewiring of imported dashboards and charts (the reference's
 * update_id_refs, update_cross_filter_scoping, update_chart_config_dataset):
 * exported files carry the source system's ids next to uuids; after import
 * every id must name the row created here. Pure JSON code. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/bundle_import.h"

json_t *bundle_position_chart_uuids(const json_t *position) {
    json_t *out = json_array();
    const char *k;
    json_t *child;
    json_object_foreach((json_t *)position, k, child) {
        if (!json_is_object(child)) continue;
        const char *type = json_string_value(json_object_get(child, "type"));
        json_t *uuid = json_object_get(json_object_get(child, "meta"), "uuid");
        if (!type || strcmp(type, "CHART") || !json_is_string(uuid)) continue;
        bool seen = false;
        size_t i;
        json_t *x;
        json_array_foreach(out, i, x) seen = seen || json_equal(x, uuid);
        if (!seen) json_array_append(out, uuid);
    }
    return out;
}

/* old chart id -> new chart id, as an object keyed by the old id's text. */
static json_t *build_id_map(const json_t *position, const json_t *chart_ids) {
    json_t *map = json_object();
    const char *k;
    json_t *child;
    json_object_foreach((json_t *)position, k, child) {
        if (!json_is_object(child)) continue;
        const char *type = json_string_value(json_object_get(child, "type"));
        json_t *meta = json_object_get(child, "meta");
        const char *uuid = json_string_value(json_object_get(meta, "uuid"));
        json_t *old = json_object_get(meta, "chartId");
        json_t *new_id = uuid ? json_object_get(chart_ids, uuid) : NULL;
        if (!type || strcmp(type, "CHART") || !new_id || !json_is_integer(old)) continue;
        char key[32];
        snprintf(key, sizeof key, "%lld", (long long)json_integer_value(old));
        json_object_set(map, key, new_id);
    }
    return map;
}

/* The new id of an old id given as a JSON integer or integer text; NULL if unmapped. */
static json_t *mapped(const json_t *id_map, const json_t *old) {
    char key[32];
    if (json_is_integer(old)) snprintf(key, sizeof key, "%lld", (long long)json_integer_value(old));
    else if (json_is_string(old)) snprintf(key, sizeof key, "%lld", strtoll(json_string_value(old), NULL, 10));
    else return NULL;
    return json_object_get(id_map, key);
}

/* [id_map[x] for x in list if x in id_map] */
static json_t *remap_list(const json_t *list, const json_t *id_map) {
    json_t *out = json_array();
    size_t i;
    json_t *x;
    json_array_foreach(list, i, x) {
        json_t *n = mapped(id_map, x);
        if (n) json_array_append(out, n);
    }
    return out;
}

/* {str(id_map[k]): v for k, v in obj.items() if k in id_map} */
static json_t *remap_keys(const json_t *obj, const json_t *id_map) {
    json_t *out = json_object();
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)obj, k, v) {
        json_t *key = json_string(k);
        json_t *n = mapped(id_map, key);
        json_decref(key);
        if (!n) continue;
        char nk[32];
        snprintf(nk, sizeof nk, "%lld", (long long)json_integer_value(n));
        json_object_set(out, nk, v);
    }
    return out;
}

static void remap_excluded(json_t *holder, const json_t *id_map) {
    json_t *scope = json_object_get(holder, "scope");
    json_t *excluded = json_object_get(scope, "excluded");
    if (json_is_array(excluded) && json_array_size(excluded))
        json_object_set_new(scope, "excluded", remap_list(excluded, id_map));
}

static void fix_metadata(json_t *metadata, const json_t *id_map, const json_t *dataset_ids) {
    json_t *v;
    if (json_is_array(v = json_object_get(metadata, "timed_refresh_immune_slices")))
        json_object_set_new(metadata, "timed_refresh_immune_slices", remap_list(v, id_map));
    if (json_is_object(v = json_object_get(metadata, "filter_scopes"))) {
        json_t *scopes = remap_keys(v, id_map);
        const char *k;
        json_t *columns;
        json_object_foreach(scopes, k, columns) {
            const char *ck;
            json_t *attrs;
            json_object_foreach(columns, ck, attrs) {
                json_t *immune = json_object_get(attrs, "immune");
                if (json_is_array(immune)) json_object_set_new(attrs, "immune", remap_list(immune, id_map));
            }
        }
        json_object_set_new(metadata, "filter_scopes", scopes);
    }
    if (json_is_object(v = json_object_get(metadata, "expanded_slices")))
        json_object_set_new(metadata, "expanded_slices", remap_keys(v, id_map));
    if (json_is_string(v = json_object_get(metadata, "default_filters"))) {
        json_t *df = json_loads(json_string_value(v), 0, NULL);
        if (json_is_object(df)) {
            json_t *fixed = remap_keys(df, id_map);
            char *text = json_dumps(fixed, JSON_ENSURE_ASCII);
            json_object_set_new(metadata, "default_filters", json_string(text));
            free(text);
            json_decref(fixed);
        }
        json_decref(df);
    }
    json_t *filters = json_object_get(metadata, "native_filter_configuration");
    size_t i;
    json_t *nf;
    json_array_foreach(filters, i, nf) {
        size_t j;
        json_t *target;
        json_array_foreach(json_object_get(nf, "targets"), j, target) {
            json_t *uuid = json_object_get(target, "datasetUuid");
            if (!uuid) continue;
            json_incref(uuid);
            json_object_del(target, "datasetUuid");
            json_t *id = json_is_string(uuid) ? json_object_get(dataset_ids, json_string_value(uuid)) : NULL;
            if (id) json_object_set(target, "datasetId", id);
            json_decref(uuid);
        }
        remap_excluded(nf, id_map);
    }
    remap_excluded(json_object_get(metadata, "global_chart_configuration"), id_map);
    json_t *cc = json_object_get(metadata, "chart_configuration");
    if (json_is_object(cc)) {
        json_t *out = json_object();
        const char *k;
        json_t *conf;
        json_object_foreach(cc, k, conf) {
            json_t *key = json_string(k);
            json_t *n = mapped(id_map, key);
            json_decref(key);
            if (!n) continue;
            if (json_is_object(conf)) {
                json_object_set(conf, "id", n);
                json_t *cf = json_object_get(conf, "crossFilters");
                if (json_is_object(json_object_get(cf, "scope"))) remap_excluded(cf, id_map);
            }
            char nk[32];
            snprintf(nk, sizeof nk, "%lld", (long long)json_integer_value(n));
            json_object_set(out, nk, conf);
        }
        json_object_set_new(metadata, "chart_configuration", out);
    }
}

void bundle_update_dashboard_refs(json_t *config, const json_t *chart_ids, const json_t *dataset_ids) {
    json_t *position = json_object_get(config, "position");
    if (!json_is_object(position)) return;
    json_t *id_map = build_id_map(position, chart_ids);
    json_t *metadata = json_object_get(config, "metadata");
    if (json_is_object(metadata)) fix_metadata(metadata, id_map, dataset_ids);
    const char *k;
    json_t *child;
    json_object_foreach(position, k, child) {
        if (!json_is_object(child)) continue;
        const char *type = json_string_value(json_object_get(child, "type"));
        json_t *meta = json_object_get(child, "meta");
        const char *uuid = json_string_value(json_object_get(meta, "uuid"));
        json_t *id = uuid ? json_object_get(chart_ids, uuid) : NULL;
        if (type && !strcmp(type, "CHART") && id) json_object_set(meta, "chartId", id);
    }
    json_decref(id_map);
}
