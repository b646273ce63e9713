/* Dataset request schemas; see dataset_schema.h. Field tables list the
 * fields in declaration order, which is the order marshmallow reports
 * errors in. */
#include "fcgi/api/dataset_schema.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

typedef enum { K_STR, K_INT, K_BOOL, K_UUID, K_INTS, K_NESTED, K_NESTED_LIST } kind_t;

typedef struct field field_t;
typedef struct schema {
    const field_t *fields;
    bool folder_rule; /* FolderSchema's validates_schema */
} schema_t;

struct field {
    const char *name;
    kind_t kind;
    bool nullable, required;
    int min_len, max_len; /* Length(min, max); max 0 = none */
    const schema_t *nested;
    const char *const *one_of;
    bool date_format;     /* validate_python_date_format */
    int bool_default;     /* load_default: -1 none, 0 false */
};

#define F(name, kind, nullable, required, min, max) {name, kind, nullable, required, min, max, NULL, NULL, false, -1}

static const field_t column_fields[] = {
    F("id", K_INT, false, false, 0, 0),
    F("column_name", K_STR, false, true, 1, 255),
    F("type", K_STR, true, false, 0, 0),
    F("advanced_data_type", K_STR, true, false, 1, 255),
    F("verbose_name", K_STR, true, false, 0, 0),
    F("description", K_STR, true, false, 0, 0),
    F("expression", K_STR, true, false, 0, 0),
    F("extra", K_STR, true, false, 0, 0),
    F("filterable", K_BOOL, false, false, 0, 0),
    F("groupby", K_BOOL, false, false, 0, 0),
    F("is_active", K_BOOL, true, false, 0, 0),
    F("is_dttm", K_BOOL, true, false, 0, 0),
    {"python_date_format", K_STR, true, false, 1, 255, NULL, NULL, true, -1},
    F("uuid", K_UUID, true, false, 0, 0),
    {NULL, 0, false, false, 0, 0, NULL, NULL, false, -1},
};
static const schema_t column_schema = {column_fields, false};

static const field_t currency_fields[] = {
    F("symbol", K_STR, false, false, 1, 128),
    F("symbolPosition", K_STR, false, false, 1, 128),
    {NULL, 0, false, false, 0, 0, NULL, NULL, false, -1},
};
static const schema_t currency_schema = {currency_fields, false};

static const field_t metric_fields[] = {
    F("id", K_INT, false, false, 0, 0),
    F("expression", K_STR, false, true, 0, 0),
    F("description", K_STR, true, false, 0, 0),
    F("extra", K_STR, true, false, 0, 0),
    F("metric_name", K_STR, false, true, 1, 255),
    F("metric_type", K_STR, true, false, 1, 32),
    F("d3format", K_STR, true, false, 1, 128),
    {"currency", K_NESTED, true, false, 0, 0, &currency_schema, NULL, false, -1},
    F("verbose_name", K_STR, true, false, 0, 0),
    F("warning_text", K_STR, true, false, 0, 0),
    F("uuid", K_UUID, true, false, 0, 0),
    {NULL, 0, false, false, 0, 0, NULL, NULL, false, -1},
};
static const schema_t metric_schema = {metric_fields, false};

static const char *const folder_types[] = {"metric", "column", "folder", NULL};
static const schema_t folder_schema;
static const field_t folder_fields[] = {
    F("uuid", K_UUID, false, true, 0, 0),
    {"type", K_STR, false, false, 0, 0, NULL, folder_types, false, -1},
    F("name", K_STR, false, false, 1, 250),
    F("description", K_STR, true, false, 0, 1000),
    {"children", K_NESTED_LIST, true, false, 0, 0, &folder_schema, NULL, false, -1},
    {NULL, 0, false, false, 0, 0, NULL, NULL, false, -1},
};
static const schema_t folder_schema = {folder_fields, true};

static const field_t put_fields[] = {
    F("table_name", K_STR, true, false, 1, 250),
    F("database_id", K_INT, false, false, 0, 0),
    F("sql", K_STR, true, false, 0, 0),
    F("filter_select_enabled", K_BOOL, true, false, 0, 0),
    F("fetch_values_predicate", K_STR, true, false, 0, 1000),
    F("catalog", K_STR, true, false, 0, 250),
    F("schema", K_STR, true, false, 0, 255),
    F("description", K_STR, true, false, 0, 0),
    F("main_dttm_col", K_STR, true, false, 0, 0),
    F("normalize_columns", K_BOOL, true, false, 0, 0),
    {"always_filter_main_dttm", K_BOOL, false, false, 0, 0, NULL, NULL, false, 0},
    F("offset", K_INT, true, false, 0, 0),
    F("default_endpoint", K_STR, true, false, 0, 0),
    F("cache_timeout", K_INT, true, false, 0, 0),
    F("is_sqllab_view", K_BOOL, true, false, 0, 0),
    F("template_params", K_STR, true, false, 0, 0),
    F("owners", K_INTS, false, false, 0, 0),
    {"columns", K_NESTED_LIST, false, false, 0, 0, &column_schema, NULL, false, -1},
    {"metrics", K_NESTED_LIST, false, false, 0, 0, &metric_schema, NULL, false, -1},
    {"folders", K_NESTED_LIST, false, false, 0, 0, &folder_schema, NULL, false, -1},
    F("extra", K_STR, true, false, 0, 0),
    F("is_managed_externally", K_BOOL, true, false, 0, 0),
    F("external_url", K_STR, true, false, 0, 0),
    F("uuid", K_UUID, true, false, 0, 0),
    {NULL, 0, false, false, 0, 0, NULL, NULL, false, -1},
};
static const schema_t put_schema = {put_fields, false};

static const field_t duplicate_fields[] = {
    F("base_model_id", K_INT, false, true, 0, 0),
    F("table_name", K_STR, false, true, 1, 250),
    {NULL, 0, false, false, 0, 0, NULL, NULL, false, -1},
};
static const schema_t duplicate_schema = {duplicate_fields, false};

static const field_t post_fields[] = {
    F("database", K_INT, false, true, 0, 0),
    F("catalog", K_STR, true, false, 0, 250),
    F("schema", K_STR, true, false, 0, 250),
    F("table_name", K_STR, false, true, 1, 250),
    F("sql", K_STR, true, false, 0, 0),
    F("owners", K_INTS, false, false, 0, 0),
    F("is_managed_externally", K_BOOL, true, false, 0, 0),
    F("external_url", K_STR, true, false, 0, 0),
    {"normalize_columns", K_BOOL, false, false, 0, 0, NULL, NULL, false, 0},
    {"always_filter_main_dttm", K_BOOL, false, false, 0, 0, NULL, NULL, false, 0},
    F("template_params", K_STR, true, false, 0, 0),
    F("uuid", K_UUID, true, false, 0, 0),
    {NULL, 0, false, false, 0, 0, NULL, NULL, false, -1},
};
static const schema_t post_schema = {post_fields, false};

static const field_t get_or_create_fields[] = {
    F("table_name", K_STR, false, true, 0, 0),
    F("database_id", K_INT, false, true, 0, 0),
    F("catalog", K_STR, true, false, 0, 250),
    F("schema", K_STR, true, false, 0, 250),
    F("template_params", K_STR, false, false, 0, 0),
    {"normalize_columns", K_BOOL, false, false, 0, 0, NULL, NULL, false, 0},
    {"always_filter_main_dttm", K_BOOL, false, false, 0, 0, NULL, NULL, false, 0},
    {NULL, 0, false, false, 0, 0, NULL, NULL, false, -1},
};
static const schema_t get_or_create_schema = {get_or_create_fields, false};

static void add_msg(json_t *errors, const char *key, const char *msg) {
    json_t *l = json_object_get(errors, key);
    if (!json_is_array(l)) json_object_set_new(errors, key, l = json_array());
    json_array_append_new(l, json_string(msg));
}

static size_t code_points(const char *s) {
    size_t n = 0;
    for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* marshmallow Integer (not strict): ints, floats (truncated), numeric strings. */
static json_t *load_int(const json_t *v) {
    if (json_is_integer(v)) return json_integer(json_integer_value(v));
    if (json_is_real(v)) {
        double d = json_real_value(v);
        if (d != d || d > 9.2e18 || d < -9.2e18) return NULL;
        return json_integer((json_int_t)d);
    }
    if (!json_is_string(v)) return NULL;
    const char *s = json_string_value(v);
    while (isspace((unsigned char)*s)) s++;
    char *end;
    long long n = strtoll(s, &end, 10);
    if (end == s || (!isdigit((unsigned char)end[-1]))) return NULL;
    while (isspace((unsigned char)*end)) end++;
    return *end ? NULL : json_integer(n);
}

/* marshmallow Boolean's truthy / falsy sets. */
static json_t *load_bool(const json_t *v) {
    static const char *const truthy[] = {"t", "T", "true", "True", "TRUE", "1", "on", "On", "ON",
                                         "y", "Y", "yes", "Yes", "YES", NULL};
    static const char *const falsy[] = {"f", "F", "false", "False", "FALSE", "0", "off", "Off", "OFF",
                                        "n", "N", "no", "No", "NO", NULL};
    if (json_is_boolean(v)) return json_boolean(json_is_true(v));
    if (json_is_number(v)) {
        double d = json_number_value(v);
        return d == 1 ? json_true() : d == 0 ? json_false() : NULL;
    }
    if (!json_is_string(v)) return NULL;
    for (size_t i = 0; truthy[i]; i++) {
        if (!strcmp(truthy[i], json_string_value(v))) return json_true();
        if (!strcmp(falsy[i], json_string_value(v))) return json_false();
    }
    return NULL;
}

/* uuid.UUID(text) in its canonical form, or NULL. */
static json_t *load_uuid(const json_t *v) {
    if (!json_is_string(v)) return NULL;
    const char *s = json_string_value(v);
    if (!strncmp(s, "urn:", 4)) s += 4;
    if (!strncmp(s, "uuid:", 5)) s += 5;
    size_t b = 0, e = strlen(s);
    while (b < e && s[b] == '{') b++;
    while (e > b && s[e - 1] == '}') e--;
    char hex[33];
    size_t n = 0;
    for (size_t i = b; i < e; i++) {
        if (s[i] == '-') continue;
        if (!isxdigit((unsigned char)s[i]) || n == 32) return NULL;
        hex[n++] = (char)tolower((unsigned char)s[i]);
    }
    if (n != 32) return NULL;
    hex[32] = 0;
    char out[37];
    snprintf(out, sizeof out, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
    return json_string(out);
}

static json_t *load_object(arena_t *a, const schema_t *schema, json_t *obj);

/* One field: NULL when valid (value replaced by its loaded form), else
 * the field's error value (list of messages or nested object). */
static json_t *load_field(arena_t *a, const field_t *f, json_t *obj) {
    json_t *v = json_object_get(obj, f->name);
    json_t *errs = json_array();
    if (json_is_null(v)) {
        if (!f->nullable) json_array_append_new(errs, json_string("Field may not be null."));
        goto done;
    }
    json_t *loaded = NULL;
    switch (f->kind) {
    case K_STR:
        if (!json_is_string(v)) {
            json_array_append_new(errs, json_string("Not a valid string."));
            goto done;
        }
        loaded = json_incref(v);
        break;
    case K_INT:
        if (!(loaded = load_int(v))) json_array_append_new(errs, json_string("Not a valid integer."));
        break;
    case K_BOOL:
        if (!(loaded = load_bool(v))) json_array_append_new(errs, json_string("Not a valid boolean."));
        break;
    case K_UUID:
        if (!(loaded = load_uuid(v))) json_array_append_new(errs, json_string("Not a valid UUID."));
        break;
    case K_INTS: {
        if (!json_is_array(v)) {
            json_array_append_new(errs, json_string("Not a valid list."));
            break;
        }
        json_t *items = json_object(), *out = json_array();
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) {
            json_t *n = load_int(x);
            if (n) json_array_append_new(out, n);
            else json_object_set_new(items, arena_sprintf(a, "%zu", i), json_pack("[s]", "Not a valid integer."));
        }
        if (json_object_size(items)) {
            json_decref(out);
            json_decref(errs);
            return items;
        }
        json_decref(items);
        loaded = out;
        break;
    }
    case K_NESTED: {
        json_t *e = load_object(a, f->nested, v);
        if (e) {
            json_decref(errs);
            return e;
        }
        loaded = json_incref(v);
        break;
    }
    case K_NESTED_LIST: {
        if (!json_is_array(v)) {
            json_array_append_new(errs, json_string("Not a valid list."));
            break;
        }
        json_t *items = json_object();
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) {
            json_t *e = load_object(a, f->nested, x);
            if (e) json_object_set_new(items, arena_sprintf(a, "%zu", i), e);
        }
        if (json_object_size(items)) {
            json_decref(errs);
            return items;
        }
        json_decref(items);
        loaded = json_incref(v);
        break;
    }
    }
    if (!loaded) goto done;
    json_object_set_new(obj, f->name, loaded);
    if (f->kind != K_STR) goto done;
    const char *s = json_string_value(loaded);
    int len = (int)code_points(s);
    if (f->max_len && (len < f->min_len || len > f->max_len))
        json_array_append_new(errs, json_string(arena_sprintf(a, "Length must be between %d and %d.", f->min_len,
                                                              f->max_len)));
    if (f->one_of) {
        bool ok = false;
        for (const char *const *o = f->one_of; *o; o++) ok = ok || !strcmp(*o, s);
        if (!ok) json_array_append_new(errs, json_string("Must be one of: metric, column, folder."));
    }
    if (f->date_format && !dataset_python_date_format_ok(s))
        json_array_append_new(errs, json_string("Invalid date/timestamp format"));
done:
    if (json_array_size(errs)) return errs;
    json_decref(errs);
    return NULL;
}

static json_t *load_object(arena_t *a, const schema_t *schema, json_t *obj) {
    json_t *errors = json_object();
    if (!json_is_object(obj)) {
        add_msg(errors, "_schema", "Invalid input type.");
        return errors;
    }
    for (const field_t *f = schema->fields; f->name; f++) {
        if (!json_object_get(obj, f->name)) {
            if (f->required) add_msg(errors, f->name, "Missing data for required field.");
            else if (f->bool_default >= 0) json_object_set_new(obj, f->name, json_boolean(f->bool_default));
            continue;
        }
        json_t *e = load_field(a, f, obj);
        if (e) json_object_set_new(errors, f->name, e);
    }
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        const field_t *f = schema->fields;
        while (f->name && strcmp(f->name, key)) f++;
        if (!f->name) add_msg(errors, key, "Unknown field.");
    }
    if (!json_object_size(errors) && schema->folder_rule && !(json_object_size(obj) == 1 && json_object_get(obj, "uuid")) &&
        json_object_get(obj, "name") && !json_object_get(obj, "children"))
        add_msg(errors, "_schema", "If 'name' is present, 'children' must be present.");
    if (json_object_size(errors)) return errors;
    json_decref(errors);
    return NULL;
}

json_t *dataset_schema_load(arena_t *a, ds_schema_t which, json_t *body) {
    static const schema_t *const schemas[] = {[DS_SCHEMA_PUT] = &put_schema, [DS_SCHEMA_DUPLICATE] = &duplicate_schema,
                                              [DS_SCHEMA_POST] = &post_schema,
                                              [DS_SCHEMA_GET_OR_CREATE] = &get_or_create_schema};
    return load_object(a, schemas[which], body);
}

/* ---- python_date_format ---- */

static bool digits(const char **p, int n, int *out) {
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i])) return false;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    if (out) *out = v;
    return true;
}

static int days_in(int y, int m) {
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100) || y % 400 == 0;
    return m == 2 && leap ? 29 : d[m - 1];
}

/* dateutil's isoparse over the common forms: YYYY, YYYY-MM, YYYY-MM-DD,
 * YYYYMMDD, then any one separator and HH[:MM[:SS[.f]]] (colons optional)
 * with an optional Z / ±HH[:MM] offset. */
static bool iso_ok(const char *s) {
    int y, m = 1, d = 1;
    if (!digits(&s, 4, &y)) return false;
    if (*s == '-') {
        s++;
        if (!digits(&s, 2, &m)) return false;
        if (*s == '-') {
            s++;
            if (!digits(&s, 2, &d)) return false;
        }
    } else if (isdigit((unsigned char)*s)) {
        if (!digits(&s, 2, &m) || !digits(&s, 2, &d)) return false;
    }
    if (m < 1 || m > 12 || d < 1 || d > days_in(y, m)) return false;
    if (!*s) return true;
    s++; /* separator */
    int hh, mm = 0, ss = 0;
    if (!digits(&s, 2, &hh)) return false;
    bool colon = *s == ':';
    if (colon) s++;
    if (isdigit((unsigned char)*s)) {
        if (!digits(&s, 2, &mm)) return false;
        if (*s == ':' && colon) s++;
        if (isdigit((unsigned char)*s)) {
            if (!digits(&s, 2, &ss)) return false;
            if (*s == '.' || *s == ',') {
                s++;
                if (!isdigit((unsigned char)*s)) return false;
                while (isdigit((unsigned char)*s)) s++;
            }
        }
    } else if (colon) return false;
    if (hh > 24 || mm > 59 || ss > 59 || (hh == 24 && (mm || ss))) return false;
    if (*s == 'Z' || *s == 'z') s++;
    else if (*s == '+' || *s == '-') {
        s++;
        if (!digits(&s, 2, NULL)) return false;
        if (*s == ':') s++;
        if (*s && !digits(&s, 2, NULL)) return false;
    }
    return *s == 0;
}

bool dataset_python_date_format_ok(const char *fmt) {
    if (!strcmp(fmt, "epoch_s") || !strcmp(fmt, "epoch_ms")) return true;
    /* Python renders %f (microseconds) itself; %z and %Z are empty for a naive datetime */
    char cfmt[1024];
    size_t o = 0;
    for (const char *p = fmt; *p && o + 8 < sizeof cfmt; p++) {
        if (p[0] == '%' && (p[1] == 'f' || p[1] == 'z' || p[1] == 'Z')) {
            if (p[1] == 'f') memcpy(cfmt + o, "000000", 6), o += 6;
            p++;
        } else if (p[0] == '%' && p[1] == '%') {
            cfmt[o++] = '%';
            cfmt[o++] = '%';
            p++;
        } else cfmt[o++] = *p;
    }
    cfmt[o] = 0;
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    char out[1024];
    size_t n = strftime(out, sizeof out, cfmt, &tm);
    if (!n && *cfmt) return false;
    out[n] = 0;
    return iso_ok(out);
}
