/* Pure rules of the legacy /datasource/ views; see legacy_datasource_rules.h. */
#include "fcgi/api/legacy_datasource_rules.h"

#include <string.h>

#include "lib/json.h"
#include "lib/strbuf.h"
#include "persistence/pg_introspect.h"

json_t *legacy_ds_external_columns(const json_t *inspected) {
    json_t *out = json_array();
    size_t i;
    json_t *c;
    json_array_foreach(inspected, i, c) {
        const char *name = json_get_str(c, "column_name", "");
        const char *type = json_get_str(c, "type", "");
        json_t *dflt = json_object_get(c, "default"), *comment = json_object_get(c, "comment");
        const char *ds = json_string_value(dflt);
        int generic = pg_introspect_generic_type(type);
        /* SQLAlchemy: an integer column whose default draws from a sequence */
        bool serial = strstr(type, "INT") != NULL && ds && strstr(ds, "nextval(") != NULL;
        json_array_append_new(out, json_pack("{s:s,s:s,s:s,s:O,s:O,s:b,s:O,s:o,s:o}", "column_name", name, "name",
                                             name, "type", type, "nullable", json_object_get(c, "nullable"),
                                             "default", dflt ? dflt : json_null(), "autoincrement", serial,
                                             "comment", comment ? comment : json_null(), "type_generic",
                                             generic < 0 ? json_null() : json_integer(generic), "is_dttm",
                                             generic < 0 ? json_null() : json_boolean(generic == 2)));
    }
    return out;
}

typedef struct param_field {
    const char *name;
    bool required, boolean, allow_none;
} param_field_t;

static const param_field_t param_fields[] = {
    {"datasource_type", true, false, false}, {"database_name", true, false, false},
    {"catalog_name", false, false, true},    {"schema_name", false, false, true},
    {"table_name", true, false, false},      {"normalize_columns", false, true, true},
    {"always_filter_main_dttm", false, true, true},
};
#define N_PARAM_FIELDS (sizeof param_fields / sizeof param_fields[0])

static void repr_add(strbuf_t *sb, const char *field, const char *msg) {
    strbuf_printf(sb, "%s'%s': ['%s']", sb->len > 1 ? ", " : "", field, msg);
}

/* The message of one declared field, NULL when it loads. */
static const char *field_error(const param_field_t *f, const json_t *v) {
    if (!v) return f->required ? "Missing data for required field." : NULL;
    if (json_is_null(v)) return f->allow_none ? NULL : "Field may not be null.";
    if (f->boolean) return json_is_boolean(v) ? NULL : "Not a valid boolean.";
    return json_is_string(v) ? NULL : "Not a valid string.";
}

const char *legacy_ds_params_error(arena_t *a, const json_t *q) {
    strbuf_t sb;
    strbuf_init_arena(&sb, a, 128);
    strbuf_puts(&sb, "{");
    if (!json_is_object(q)) repr_add(&sb, "_schema", "Invalid input type.");
    for (size_t i = 0; json_is_object(q) && i < N_PARAM_FIELDS; i++) {
        const char *msg = field_error(&param_fields[i], json_object_get(q, param_fields[i].name));
        if (msg) repr_add(&sb, param_fields[i].name, msg);
    }
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)(json_is_object(q) ? q : NULL), key, v) {
        size_t i = 0;
        while (i < N_PARAM_FIELDS && strcmp(param_fields[i].name, key)) i++;
        if (i == N_PARAM_FIELDS) repr_add(&sb, key, "Unknown field.");
    }
    if (sb.len == 1) return NULL;
    strbuf_puts(&sb, "}");
    return sb.data;
}

static bool same_name(const json_t *x, const json_t *y) {
    return json_equal(json_object_get(x, "column_name"), json_object_get(y, "column_name"));
}

const char *legacy_ds_duplicate_columns(arena_t *a, const json_t *cols, bool *unnamed) {
    strbuf_t sb;
    strbuf_init_arena(&sb, a, 64);
    size_t n = json_array_size(cols);
    *unnamed = false;
    for (size_t i = 0; i < n; i++) {
        const json_t *c = json_array_get(cols, i);
        if (!json_object_get(c, "column_name")) {
            *unnamed = true;
            return NULL;
        }
        bool earlier = false, later = false;
        for (size_t j = 0; j < i && !earlier; j++) earlier = same_name(json_array_get(cols, j), c);
        for (size_t j = i + 1; j < n && !later; j++) later = same_name(json_array_get(cols, j), c);
        const char *name = json_get_str(c, "column_name", NULL);
        if (!earlier && later) strbuf_printf(&sb, "%s%s", sb.len ? "," : "", name ? name : "None");
    }
    return sb.len ? sb.data : NULL;
}

const char *legacy_ds_db_message(arena_t *a, const char *raw) {
    if (!raw) return "Fatal error";
    if (!strncmp(raw, "ERROR:", 6)) raw += 6;
    while (*raw == ' ') raw++;
    return arena_strndup(a, raw, strcspn(raw, "\n"));
}
