/* Import schema tables and the validator that walks them; see bundle_schema.h. */
#include "domain/bundle_schema.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/sqla_url.h"
#include "lib/strbuf.h"

#define PASSWORD_MASK "XXXXXXXXXX"

typedef enum {
    T_STR, T_INT, T_BOOL, T_UUID, T_DICT, T_STRLIST, T_JSONSTR, T_URL, T_DATETIME,
    T_COLUMNS, T_METRICS, T_DB_EXTRA, T_SSH, T_CURRENCY, T_FOLDERS, T_INTDICT, T_THEME_JSON,
} ftype_t;

typedef struct field {
    const char *name;
    ftype_t type;
    bool required, allow_none;
    int max_len; /* Length(0, max) when > 0 */
} field_t;

#define END {NULL, 0, false, false, 0}

static const field_t chart_fields[] = {
    {"slice_name", T_STR, true, false, 0}, {"description", T_STR, false, true, 0},
    {"certified_by", T_STR, false, true, 0}, {"certification_details", T_STR, false, true, 0},
    {"viz_type", T_STR, true, false, 0}, {"params", T_DICT, false, false, 0},
    {"query_context", T_JSONSTR, false, true, 0}, {"cache_timeout", T_INT, false, true, 0},
    {"uuid", T_UUID, true, false, 0}, {"version", T_STR, true, false, 0},
    {"dataset_uuid", T_UUID, true, false, 0}, {"is_managed_externally", T_BOOL, false, true, 0},
    {"external_url", T_STR, false, true, 0}, {"tags", T_STRLIST, false, true, 0}, END,
};

static const field_t dashboard_fields[] = {
    {"dashboard_title", T_STR, true, false, 0}, {"description", T_STR, false, true, 0},
    {"css", T_STR, false, true, 0}, {"slug", T_STR, false, true, 0}, {"uuid", T_UUID, true, false, 0},
    {"position", T_DICT, false, false, 0}, {"metadata", T_DICT, false, false, 0},
    {"version", T_STR, true, false, 0}, {"is_managed_externally", T_BOOL, false, true, 0},
    {"external_url", T_STR, false, true, 0}, {"certified_by", T_STR, false, true, 0},
    {"certification_details", T_STR, false, true, 0}, {"published", T_BOOL, false, true, 0},
    {"tags", T_STRLIST, false, true, 0}, {"theme_uuid", T_UUID, false, true, 0},
    {"theme_id", T_INT, false, true, 0}, END,
};

static const field_t column_fields[] = {
    {"column_name", T_STR, true, false, 0}, {"extra", T_DICT, false, true, 0},
    {"verbose_name", T_STR, false, true, 0}, {"is_dttm", T_BOOL, false, true, 0},
    {"is_active", T_BOOL, false, true, 0}, {"type", T_STR, false, true, 0},
    {"advanced_data_type", T_STR, false, true, 0}, {"groupby", T_BOOL, false, false, 0},
    {"filterable", T_BOOL, false, false, 0}, {"expression", T_STR, false, true, 0},
    {"description", T_STR, false, true, 0}, {"python_date_format", T_STR, false, true, 0}, END,
};

static const field_t metric_fields[] = {
    {"metric_name", T_STR, true, false, 0}, {"verbose_name", T_STR, false, true, 0},
    {"metric_type", T_STR, false, true, 0}, {"expression", T_STR, true, false, 0},
    {"description", T_STR, false, true, 0}, {"d3format", T_STR, false, true, 0},
    {"currency", T_CURRENCY, false, true, 0}, {"extra", T_DICT, false, true, 0},
    {"warning_text", T_STR, false, true, 0}, END,
};

static const field_t currency_fields[] = {
    {"symbol", T_STR, false, false, 128}, {"symbolPosition", T_STR, false, false, 128}, END,
};

static const field_t dataset_fields[] = {
    {"table_name", T_STR, true, false, 0}, {"main_dttm_col", T_STR, false, true, 0},
    {"description", T_STR, false, true, 0}, {"default_endpoint", T_STR, false, true, 0},
    {"offset", T_INT, false, false, 0}, {"cache_timeout", T_INT, false, true, 0},
    {"schema", T_STR, false, true, 0}, {"catalog", T_STR, false, true, 0}, {"sql", T_STR, false, true, 0},
    {"params", T_DICT, false, true, 0}, {"template_params", T_DICT, false, true, 0},
    {"filter_select_enabled", T_BOOL, false, false, 0}, {"fetch_values_predicate", T_STR, false, true, 0},
    {"extra", T_DICT, false, true, 0}, {"uuid", T_UUID, true, false, 0},
    {"columns", T_COLUMNS, false, false, 0}, {"metrics", T_METRICS, false, false, 0},
    {"version", T_STR, true, false, 0}, {"database_uuid", T_UUID, true, false, 0},
    {"data", T_URL, false, false, 0}, {"is_managed_externally", T_BOOL, false, true, 0},
    {"external_url", T_STR, false, true, 0}, {"normalize_columns", T_BOOL, false, false, 0},
    {"always_filter_main_dttm", T_BOOL, false, false, 0}, {"folders", T_FOLDERS, false, true, 0}, END,
};

static const field_t db_extra_fields[] = {
    {"metadata_params", T_DICT, false, false, 0}, {"engine_params", T_DICT, false, false, 0},
    {"metadata_cache_timeout", T_INTDICT, false, false, 0}, {"schemas_allowed_for_csv_upload", T_STRLIST, false, false, 0},
    {"cost_estimate_enabled", T_BOOL, false, false, 0}, {"allows_virtual_table_explore", T_BOOL, false, false, 0},
    {"cancel_query_on_windows_unload", T_BOOL, false, false, 0}, {"disable_data_preview", T_BOOL, false, false, 0},
    {"disable_drill_to_detail", T_BOOL, false, false, 0}, {"allow_multi_catalog", T_BOOL, false, false, 0},
    {"version", T_STR, false, true, 0}, {"schema_options", T_DICT, false, false, 0}, END,
};

static const field_t ssh_fields[] = {
    {"id", T_INT, false, true, 0}, {"database_id", T_INT, false, true, 0},
    {"server_address", T_STR, false, false, 0}, {"server_port", T_INT, false, false, 0},
    {"username", T_STR, false, false, 0}, {"password", T_STR, false, true, 0},
    {"private_key", T_STR, false, true, 0}, {"private_key_password", T_STR, false, true, 0}, END,
};

static const field_t database_fields[] = {
    {"database_name", T_STR, true, false, 0}, {"sqlalchemy_uri", T_STR, true, false, 0},
    {"password", T_STR, false, true, 0}, {"encrypted_extra", T_JSONSTR, false, true, 0},
    {"cache_timeout", T_INT, false, true, 0}, {"expose_in_sqllab", T_BOOL, false, false, 0},
    {"allow_run_async", T_BOOL, false, false, 0}, {"allow_ctas", T_BOOL, false, false, 0},
    {"allow_cvas", T_BOOL, false, false, 0}, {"allow_dml", T_BOOL, false, false, 0},
    {"allow_csv_upload", T_BOOL, false, false, 0}, {"impersonate_user", T_BOOL, false, false, 0},
    {"extra", T_DB_EXTRA, false, false, 0}, {"uuid", T_UUID, true, false, 0},
    {"version", T_STR, true, false, 0}, {"is_managed_externally", T_BOOL, false, true, 0},
    {"external_url", T_STR, false, true, 0}, {"ssh_tunnel", T_SSH, false, true, 0}, END,
};

static const field_t query_fields[] = {
    {"catalog", T_STR, false, true, 128}, {"schema", T_STR, false, true, 128},
    {"label", T_STR, false, true, 256}, {"description", T_STR, false, true, 0},
    {"sql", T_STR, true, false, 0}, {"uuid", T_UUID, true, false, 0},
    {"version", T_STR, true, false, 0}, {"database_uuid", T_UUID, true, false, 0}, END,
};

static const field_t theme_fields[] = {
    {"theme_name", T_STR, true, false, 0}, {"json_data", T_THEME_JSON, true, true, 0},
    {"uuid", T_UUID, true, false, 0}, {"version", T_STR, true, false, 0}, END,
};

static const field_t metadata_fields[] = {
    {"version", T_STR, true, false, 0}, {"type", T_STR, false, false, 0},
    {"timestamp", T_DATETIME, false, false, 0}, END,
};

static const struct {
    const char *prefix;
    const field_t *fields;
} kinds[BUNDLE_KIND_COUNT] = {
    [BUNDLE_DATABASES] = {"databases/", database_fields}, [BUNDLE_DATASETS] = {"datasets/", dataset_fields},
    [BUNDLE_CHARTS] = {"charts/", chart_fields},          [BUNDLE_DASHBOARDS] = {"dashboards/", dashboard_fields},
    [BUNDLE_QUERIES] = {"queries/", query_fields},        [BUNDLE_THEMES] = {"themes/", theme_fields},
};

const char *bundle_prefix(bundle_kind_t k) { return kinds[k].prefix; }

int bundle_kind_of(const char *file_name) {
    const char *slash = strchr(file_name, '/');
    if (!slash) return -1;
    size_t n = (size_t)(slash - file_name) + 1;
    for (int k = 0; k < BUNDLE_KIND_COUNT; k++)
        if (strlen(kinds[k].prefix) == n && !strncmp(kinds[k].prefix, file_name, n)) return k;
    return -1;
}

/* ---- scalar checks ---- */

bool bundle_is_uuid(const char *s) {
    if (!strncasecmp(s, "urn:", 4)) s += 4;
    if (!strncasecmp(s, "uuid:", 5)) s += 5;
    size_t n = strlen(s), hex = 0;
    while (n && (*s == '{')) s++, n--;
    while (n && s[n - 1] == '}') n--;
    for (size_t i = 0; i < n; i++) {
        if (isxdigit((unsigned char)s[i])) hex++;
        else if (s[i] != '-') return false;
    }
    return hex == 32;
}

static const char *const truthy[] = {"t", "T", "true", "True", "TRUE", "on", "On", "ON", "y", "Y", "yes", "Yes", "YES", "1", NULL};
static const char *const falsy[] = {"f", "F", "false", "False", "FALSE", "off", "Off", "OFF", "n", "N", "no", "No", "NO", "0", NULL};

static bool in_words(const char *s, const char *const *w) {
    for (; *w; w++)
        if (!strcmp(s, *w)) return true;
    return false;
}

static bool valid_bool(const json_t *v) {
    if (json_is_boolean(v)) return true;
    if (json_is_integer(v)) return json_integer_value(v) == 0 || json_integer_value(v) == 1;
    if (json_is_string(v)) return in_words(json_string_value(v), truthy) || in_words(json_string_value(v), falsy);
    return false;
}

static bool valid_int(const json_t *v) {
    if (json_is_integer(v)) return true;
    if (json_is_real(v)) {
        double d = json_real_value(v);
        return d == (double)(long long)d;
    }
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        char *end;
        while (isspace((unsigned char)*s)) s++;
        if (!*s) return false;
        strtoll(s, &end, 10);
        while (isspace((unsigned char)*end)) end++;
        return !*end;
    }
    return false;
}

static bool valid_url(const char *s) {
    if (!strncmp(s, "examples://", 11)) return s[11] != 0; /* rewritten to EXAMPLES base before validation */
    static const char *const schemes[] = {"http://", "https://", "ftp://", "ftps://", NULL};
    for (const char *const *sc = schemes; *sc; sc++) {
        size_t n = strlen(*sc);
        if (strncasecmp(s, *sc, n)) continue;
        const char *host = s + n;
        size_t hl = strcspn(host, "/?#");
        if (!hl || memchr(host, ' ', hl)) return false;
        return memchr(host, '.', hl) || !strncasecmp(host, "localhost", 9);
    }
    return false;
}

static bool valid_datetime(const char *s) {
    int y, mo, d;
    return sscanf(s, "%4d-%2d-%2d", &y, &mo, &d) == 3 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31;
}

static bool valid_json_text(const char *s) {
    json_error_t e;
    json_t *j = json_loads(s, JSON_DECODE_ANY, &e);
    json_decref(j);
    return j != NULL;
}

/* ---- error accumulation ---- */

static void add_msg(json_t *errors, const char *field, const char *msg) {
    json_t *l = json_object_get(errors, field);
    if (!l) json_object_set_new(errors, field, l = json_array());
    json_array_append_new(l, json_string(msg));
}

static json_t *validate_fields(const field_t *fields, json_t *obj);

/* Nested schema for a single object: its errors, or {"_schema": [...]}. */
static json_t *nested_errors(const field_t *fields, json_t *v) {
    if (!json_is_object(v)) return json_pack("{s:[s]}", "_schema", "Invalid input type.");
    return validate_fields(fields, v);
}

/* pre_load fixes of the nested schemas: JSON text in extra/currency. */
static void parse_text_member(json_t *obj, const char *key) {
    json_t *v = json_object_get(obj, key);
    if (!json_is_string(v)) return;
    json_t *parsed = json_loads(json_string_value(v), JSON_DECODE_ANY, NULL);
    if (parsed) json_object_set_new(obj, key, parsed);
}

static json_t *list_of_nested(const field_t *fields, json_t *v, const char *const *text_keys) {
    json_t *errs = json_object();
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item) {
        for (const char *const *k = text_keys; k && *k; k++)
            if (json_is_object(item)) parse_text_member(item, *k);
        json_t *e = nested_errors(fields, item);
        if (e) {
            char idx[24];
            snprintf(idx, sizeof idx, "%zu", i);
            json_object_set_new(errs, idx, e);
        }
    }
    if (json_object_size(errs)) return errs;
    json_decref(errs);
    return NULL;
}

static const char *const column_text_keys[] = {"extra", NULL};
static const char *const metric_text_keys[] = {"extra", "currency", NULL};

/* Errors of one present value (a message string, a nested error object) or NULL. */
static json_t *value_error(const field_t *f, json_t *v) {
    if (json_is_null(v)) return f->allow_none ? NULL : json_string("Field may not be null.");
    switch (f->type) {
    case T_STR:
        if (!json_is_string(v)) return json_string("Not a valid string.");
        int min_len = f->max_len && !strncmp(f->name, "symbol", 6) ? 1 : 0; /* currency: Length(1, 128) */
        if (f->max_len && (json_string_length(v) > (size_t)f->max_len || json_string_length(v) < (size_t)min_len)) {
            char m[64];
            snprintf(m, sizeof m, "Length must be between %d and %d.", min_len, f->max_len);
            return json_string(m);
        }
        return NULL;
    case T_JSONSTR:
        if (!json_is_string(v)) return json_string("Not a valid string.");
        return valid_json_text(json_string_value(v)) ? NULL : json_string("JSON not valid");
    case T_INT: return valid_int(v) ? NULL : json_string("Not a valid integer.");
    case T_BOOL: return valid_bool(v) ? NULL : json_string("Not a valid boolean.");
    case T_UUID: return json_is_string(v) && bundle_is_uuid(json_string_value(v)) ? NULL : json_string("Not a valid UUID.");
    case T_DICT: return json_is_object(v) ? NULL : json_string("Not a valid mapping type.");
    case T_INTDICT: {
        if (!json_is_object(v)) return json_string("Not a valid mapping type.");
        json_t *errs = json_object();
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x) if (!valid_int(x))
            json_object_set_new(errs, k, json_pack("{s:[s]}", "value", "Not a valid integer."));
        if (json_object_size(errs)) return errs;
        json_decref(errs);
        return NULL;
    }
    case T_URL: return json_is_string(v) && valid_url(json_string_value(v)) ? NULL : json_string("Not a valid URL.");
    case T_DATETIME:
        return json_is_string(v) && valid_datetime(json_string_value(v)) ? NULL : json_string("Not a valid datetime.");
    case T_STRLIST: {
        if (!json_is_array(v)) return json_string("Not a valid list.");
        json_t *errs = json_object();
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) if (!json_is_string(x)) {
            char idx[24];
            snprintf(idx, sizeof idx, "%zu", i);
            json_object_set_new(errs, idx, json_pack("[s]", "Not a valid string."));
        }
        if (json_object_size(errs)) return errs;
        json_decref(errs);
        return NULL;
    }
    case T_FOLDERS: return json_is_array(v) ? NULL : json_string("Not a valid list.");
    case T_THEME_JSON: /* a JSON object, or JSON object text */
        if (json_is_object(v)) return NULL;
        if (json_is_string(v)) {
            json_t *p = json_loads(json_string_value(v), 0, NULL);
            bool ok = json_is_object(p);
            json_decref(p);
            if (ok) return NULL;
        }
        return json_string("Invalid JSON configuration");
    case T_COLUMNS:
        return json_is_array(v) ? list_of_nested(column_fields, v, column_text_keys) : json_string("Not a valid list.");
    case T_METRICS:
        return json_is_array(v) ? list_of_nested(metric_fields, v, metric_text_keys) : json_string("Not a valid list.");
    case T_CURRENCY: return nested_errors(currency_fields, v);
    case T_SSH: return nested_errors(ssh_fields, v);
    case T_DB_EXTRA: {
        if (json_is_object(v)) {
            json_t *old = json_object_get(v, "schemas_allowed_for_file_upload");
            if (old) {
                json_object_set(v, "schemas_allowed_for_csv_upload", old);
                json_object_del(v, "schemas_allowed_for_file_upload");
            }
            parse_text_member(v, "schemas_allowed_for_csv_upload");
        }
        return nested_errors(db_extra_fields, v);
    }
    }
    return NULL;
}

static json_t *validate_fields(const field_t *fields, json_t *obj) {
    json_t *errors = json_object();
    for (const field_t *f = fields; f->name; f++) {
        json_t *v = json_object_get(obj, f->name);
        if (!v) {
            if (f->required) add_msg(errors, f->name, "Missing data for required field.");
            continue;
        }
        json_t *e = value_error(f, v);
        if (json_is_string(e)) {
            add_msg(errors, f->name, json_string_value(e));
            json_decref(e);
        } else if (e) json_object_set_new(errors, f->name, e);
    }
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        bool known = false;
        for (const field_t *f = fields; f->name && !known; f++) known = !strcmp(f->name, key);
        if (!known) add_msg(errors, key, "Unknown field.");
    }
    if (json_object_size(errors)) return errors;
    json_decref(errors);
    return NULL;
}

static void database_secret_errors(json_t *config, json_t *errors) {
    const char *uri = json_string_value(json_object_get(config, "sqlalchemy_uri"));
    /* make_url_safe(uri).password: %-unquoted */
    arena_t *a = arena_new(0);
    const char *masked;
    char *pw = uri ? sqla_url_split_password(a, uri, "", &masked) : NULL;
    json_t *given = json_object_get(config, "password");
    if (pw && !strcmp(pw, PASSWORD_MASK) && (!given || json_is_null(given)))
        add_msg(errors, "_schema", "Must provide a password for the database");
    arena_free(a);
    json_t *ssh = json_object_get(config, "ssh_tunnel");
    if (!json_is_object(ssh)) return;
    json_t *spw = json_object_get(ssh, "password"), *key = json_object_get(ssh, "private_key"),
           *kpw = json_object_get(ssh, "private_key_password");
    if (spw && json_is_null(spw)) spw = NULL;
    if (key && json_is_null(key)) key = NULL;
    if (kpw && json_is_null(kpw)) kpw = NULL;
    if (spw) {
        if (key || kpw) add_msg(errors, "_schema", "Cannot have multiple credentials for the SSH Tunnel");
        else if (json_is_string(spw) && !strcmp(json_string_value(spw), PASSWORD_MASK))
            add_msg(errors, "_schema", "Must provide a password for the ssh tunnel");
        return;
    }
    if (!key && !kpw) {
        add_msg(errors, "_schema", "Must provide credentials for the SSH Tunnel");
        return;
    }
    if (!key || (json_is_string(key) && !strcmp(json_string_value(key), PASSWORD_MASK)))
        add_msg(errors, "_schema", "Must provide a private key for the ssh tunnel");
    if (!kpw || (json_is_string(kpw) && !strcmp(json_string_value(kpw), PASSWORD_MASK)))
        add_msg(errors, "_schema", "Must provide a private key password for the ssh tunnel");
}

json_t *bundle_validate(bundle_kind_t k, const json_t *config_c, bool existing_db) {
    json_t *config = (json_t *)config_c; /* pre_load fixes rewrite JSON text members in place */
    if (!json_is_object(config)) return json_pack("{s:[s]}", "_schema", "Invalid input type.");
    if (k == BUNDLE_DATASETS) {
        json_t *extra = json_object_get(config, "extra");
        if (json_is_string(extra)) {
            json_t *p = json_loads(json_string_value(extra), JSON_DECODE_ANY, NULL);
            json_object_set_new(config, "extra", p ? p : json_null());
        }
        json_t *tp = json_object_get(config, "template_params");
        if (json_is_string(tp) && !json_string_length(tp)) json_object_set_new(config, "template_params", json_null());
    }
    if (k == BUNDLE_DATABASES && json_object_get(config, "allow_file_upload")) {
        json_object_set(config, "allow_csv_upload", json_object_get(config, "allow_file_upload"));
        json_object_del(config, "allow_file_upload");
    }
    json_t *errors = validate_fields(kinds[k].fields, config);
    if (!errors && k == BUNDLE_DATABASES && !existing_db) {
        errors = json_object();
        database_secret_errors(config, errors);
        if (!json_object_size(errors)) json_decref(errors), errors = NULL;
    }
    return errors;
}

json_t *bundle_validate_metadata(const json_t *metadata, bool *bad_version) {
    *bad_version = false;
    if (!json_is_object(metadata)) return json_pack("{s:[s]}", "_schema", "Invalid input type.");
    json_t *errors = validate_fields(metadata_fields, (json_t *)metadata);
    json_t *v = json_object_get(metadata, "version");
    if (!v || !json_is_string(v) || strcmp(json_string_value(v), "1.0.0")) *bad_version = true;
    return errors;
}

/* ---- Python str() of messages ---- */

static void repr_str(strbuf_t *sb, const char *s) {
    char q = strchr(s, '\'') && !strchr(s, '"') ? '"' : '\'';
    strbuf_putc(sb, q);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\\') strbuf_puts(sb, "\\\\");
        else if (c == (unsigned char)q) strbuf_putc(sb, '\\'), strbuf_putc(sb, q);
        else if (c == '\n') strbuf_puts(sb, "\\n");
        else if (c == '\r') strbuf_puts(sb, "\\r");
        else if (c == '\t') strbuf_puts(sb, "\\t");
        else if (c < 0x20 || c == 0x7f) strbuf_printf(sb, "\\x%02x", c);
        else strbuf_putc(sb, (char)c);
    }
    strbuf_putc(sb, q);
}

static bool all_digits(const char *s) {
    if (!*s) return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s)) return false;
    return true;
}

static void repr(strbuf_t *sb, const json_t *v) {
    if (json_is_string(v)) repr_str(sb, json_string_value(v));
    else if (json_is_array(v)) {
        strbuf_putc(sb, '[');
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) {
            if (i) strbuf_puts(sb, ", ");
            repr(sb, x);
        }
        strbuf_putc(sb, ']');
    } else if (json_is_object(v)) {
        strbuf_putc(sb, '{');
        const char *k;
        json_t *x;
        bool first = true;
        json_object_foreach((json_t *)v, k, x) {
            if (!first) strbuf_puts(sb, ", ");
            first = false;
            if (all_digits(k)) strbuf_puts(sb, k);
            else repr_str(sb, k);
            strbuf_puts(sb, ": ");
            repr(sb, x);
        }
        strbuf_putc(sb, '}');
    } else if (json_is_integer(v)) strbuf_printf(sb, "%lld", (long long)json_integer_value(v));
    else if (json_is_true(v)) strbuf_puts(sb, "True");
    else if (json_is_false(v)) strbuf_puts(sb, "False");
    else if (json_is_null(v)) strbuf_puts(sb, "None");
    else strbuf_printf(sb, "%g", json_number_value(v));
}

char *bundle_py_repr(const json_t *v) {
    strbuf_t sb;
    strbuf_init(&sb, 64);
    if (json_is_string(v)) strbuf_puts(&sb, json_string_value(v)); /* str() of a string is itself */
    else repr(&sb, v);
    return sb.data;
}
