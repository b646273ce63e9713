/* Table-driven marshmallow-style validation; see dashboard_schema.h. */
#include "fcgi/api/dashboard_schema.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/json.h"

static const schema_field_t metadata_fields[] = {
    {"native_filter_configuration", FS_LIST_DICT, true, false, 0},
    {"chart_configuration", FS_DICT, false, false, 0},
    {"global_chart_configuration", FS_DICT, false, false, 0},
    {"timed_refresh_immune_slices", FS_LIST_INT, false, false, 0},
    {"filter_scopes", FS_DICT, false, false, 0},
    {"expanded_slices", FS_DICT, false, false, 0},
    {"refresh_frequency", FS_INT, false, false, 0},
    {"default_filters", FS_STR, false, false, 0},
    {"stagger_refresh", FS_BOOL, false, false, 0},
    {"stagger_time", FS_INT, false, false, 0},
    {"color_scheme", FS_STR, true, false, 0},
    {"color_namespace", FS_STR, true, false, 0},
    {"positions", FS_DICT, true, false, 0},
    {"label_colors", FS_DICT, false, false, 0},
    {"shared_label_colors", FS_SHARED_LABELS, false, false, 0},
    {"map_label_colors", FS_DICT, false, false, 0},
    {"color_scheme_domain", FS_LIST_STR, false, false, 0},
    {"cross_filters_enabled", FS_BOOL, false, false, 0},
    {"import_time", FS_INT, false, false, 0},
    {"remote_id", FS_INT, false, false, 0},
    {"filter_bar_orientation", FS_STR, true, false, 0},
    {"native_filter_migration", FS_DICT, false, false, 0},
    {NULL, 0, false, false, 0},
};

static bool is_int(const json_t *v) {
    if (json_is_integer(v)) return true;
    if (json_is_real(v)) return isfinite(json_real_value(v)) && json_real_value(v) == floor(json_real_value(v));
    if (!json_is_string(v)) return false;
    const char *s = json_string_value(v);
    while (isspace((unsigned char)*s)) s++;
    if (*s == '+' || *s == '-') s++;
    if (!isdigit((unsigned char)*s)) return false;
    while (isdigit((unsigned char)*s) || *s == '_') s++;
    while (isspace((unsigned char)*s)) s++;
    return !*s;
}

static const char *const truthy_words[] = {"t", "T", "true", "True", "TRUE", "on", "On", "ON", "y", "Y", "yes", "Yes",
                                           "YES", "1", NULL};
static const char *const falsy_words[] = {"f", "F", "false", "False", "FALSE", "off", "Off", "OFF", "n", "N", "no", "No",
                                          "NO", "0", NULL};

static bool in_words(const char *const *words, const char *s) {
    for (size_t i = 0; words[i]; i++)
        if (!strcmp(words[i], s)) return true;
    return false;
}

static bool is_bool(const json_t *v) {
    if (json_is_boolean(v)) return true;
    if (json_is_number(v)) return json_number_value(v) == 0 || json_number_value(v) == 1;
    return json_is_string(v) && (in_words(truthy_words, json_string_value(v)) || in_words(falsy_words, json_string_value(v)));
}

bool schema_bool_value(const json_t *v) {
    if (json_is_number(v)) return json_number_value(v) == 1;
    if (json_is_string(v)) return in_words(truthy_words, json_string_value(v));
    return json_is_true(v);
}

static json_t *one(const char *msg) { return json_pack("[s]", msg); }

/* The messages of one list's items ({"<index>": [...]}), or NULL. */
static json_t *item_errors(arena_t *a, json_t *list, field_kind_t item) {
    json_t *errors = json_object();
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
        const char *msg = NULL;
        if (json_is_null(v)) msg = "Field may not be null.";
        else if (item == FS_STR && !json_is_string(v)) msg = "Not a valid string.";
        else if (item == FS_INT && !is_int(v)) msg = "Not a valid integer.";
        else if (item == FS_DICT && !json_is_object(v)) msg = "Not a valid mapping type.";
        if (msg) json_object_set_new(errors, arena_sprintf(a, "%zu", i), one(msg));
    }
    if (json_object_size(errors)) return errors;
    json_decref(errors);
    return NULL;
}

/* The errors of one present value, or NULL. */
static json_t *field_errors(arena_t *a, const schema_field_t *f, json_t *v) {
    if (json_is_null(v)) return f->allow_none ? NULL : one("Field may not be null.");
    switch (f->kind) {
    case FS_STR:
        if (!json_is_string(v)) return one("Not a valid string.");
        if (f->max_len && json_string_length(v) > (size_t)f->max_len)
            return json_pack("[s]", arena_sprintf(a, "Length must be between 0 and %d.", f->max_len));
        return NULL;
    case FS_INT: return is_int(v) ? NULL : one("Not a valid integer.");
    case FS_BOOL: return is_bool(v) ? NULL : one("Not a valid boolean.");
    case FS_DICT: return json_is_object(v) ? NULL : one("Not a valid mapping type.");
    case FS_RAW: return NULL;
    case FS_LIST_STR:
    case FS_LIST_INT:
    case FS_LIST_DICT:
    case FS_LIST_RAW: {
        if (!json_is_array(v)) return one("Not a valid list.");
        static const field_kind_t items[] = {[FS_LIST_STR] = FS_STR, [FS_LIST_INT] = FS_INT,
                                             [FS_LIST_DICT] = FS_DICT, [FS_LIST_RAW] = FS_RAW};
        return item_errors(a, v, items[f->kind]);
    }
    case FS_SHARED_LABELS: {
        if (json_is_object(v)) return NULL;
        bool ok = json_is_array(v);
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) ok = ok && json_is_string(x);
        return ok ? NULL : one("Not a valid list");
    }
    case FS_METADATA: {
        if (!json_is_string(v)) return one("Not a valid string.");
        if (!json_string_length(v)) return NULL;
        json_t *md = json_loads(json_string_value(v), JSON_DECODE_ANY, NULL);
        if (!md) return one("JSON not valid");
        json_t *errors = dashboard_metadata_errors(a, md);
        json_decref(md);
        return errors ? json_pack("[o]", errors) : NULL; /* a dict message is kept whole in the list */
    }
    }
    return NULL;
}

json_t *schema_errors(arena_t *a, const schema_field_t *fields, json_t *body) {
    json_t *errors = json_object();
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v) {
        const schema_field_t *f = fields;
        while (f->name && strcmp(f->name, key)) f++;
        json_t *e = f->name ? field_errors(a, f, v) : one("Unknown field.");
        if (e) json_object_set_new(errors, key, e);
    }
    for (const schema_field_t *f = fields; f->name; f++)
        if (f->required && !json_object_get(body, f->name))
            json_object_set_new(errors, f->name, one("Missing data for required field."));
    if (json_object_size(errors)) return errors;
    json_decref(errors);
    return NULL;
}

json_t *dashboard_metadata_errors(arena_t *a, json_t *metadata) {
    if (!json_is_object(metadata)) return json_pack("{s:[s]}", "_schema", "Invalid input type.");
    json_t *copy = json_copy(metadata); /* pre_load drops show_native_filters */
    json_object_del(copy, "show_native_filters");
    json_t *errors = schema_errors(a, metadata_fields, copy);
    json_decref(copy);
    return errors;
}
