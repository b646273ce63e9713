/* The upload form schemas (UploadPostSchema, UploadFileMetadataPostSchema)
 * loaded as marshmallow does: fields in declaration order, required and
 * null checks, unknown fields refused, the file's extension checked against
 * ALLOWED_EXTENSIONS, then column_data_types decoded as JSON. The values
 * land in an upload_form_t; see database_upload.h. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fcgi/api/database_upload.h"
#include "fcgi/formdata.h"
#include "lib/json.h"

typedef enum { F_TYPE, F_EXISTS, F_STR, F_TABLE, F_LIST, F_BOOL, F_INT, F_ROWS, F_FILE } field_kind_t;

typedef struct field {
    const char *name;
    field_kind_t kind;
    bool required;
    bool in_metadata; /* also a field of UploadFileMetadataPostSchema */
} field_t;

/* UploadPostSchema's fields in declaration order. */
static const field_t fields[] = {
    {"type", F_TYPE, true, true},           {"already_exists", F_EXISTS, false, false},
    {"index_label", F_STR, false, false},   {"columns_read", F_LIST, false, false},
    {"dataframe_index", F_BOOL, false, false}, {"schema", F_STR, false, false},
    {"table_name", F_TABLE, true, false},   {"file", F_FILE, true, true},
    {"delimiter", F_STR, false, true},      {"column_data_types", F_STR, false, false},
    {"day_first", F_BOOL, false, false},    {"skip_blank_lines", F_BOOL, false, false},
    {"skip_initial_space", F_BOOL, false, false}, {"column_dates", F_LIST, false, false},
    {"decimal_character", F_STR, false, false}, {"header_row", F_INT, false, true},
    {"index_column", F_STR, false, false},  {"null_values", F_LIST, false, false},
    {"rows_to_read", F_ROWS, false, false}, {"skip_rows", F_INT, false, false},
    {"sheet_name", F_STR, false, false},
};

static const char *const default_extensions[] = {"xlsx", "xls", "csv", "tsv", "txt", "parquet", "zip"};

/* ---- value parsers ---- */

/* Python int(): surrounding whitespace, a sign, digits with single
 * underscores between them. */
static bool py_int(const char *s, long *out) {
    const char *b = s, *e = s + strlen(s);
    while (b < e && isspace((unsigned char)*b)) b++;
    while (e > b && isspace((unsigned char)e[-1])) e--;
    char buf[40];
    size_t n = 0;
    const char *p = b;
    if (p < e && (*p == '+' || *p == '-')) buf[n++] = *p++;
    if (p == e || !isdigit((unsigned char)*p)) return false;
    for (; p < e; p++) {
        if (*p == '_' && p + 1 < e && isdigit((unsigned char)p[1]) && isdigit((unsigned char)p[-1])) continue;
        if (!isdigit((unsigned char)*p) || n >= sizeof buf - 1) return false;
        buf[n++] = *p;
    }
    buf[n] = '\0';
    errno = 0;
    long v = strtol(buf, NULL, 10);
    if (errno) return false;
    *out = v;
    return true;
}

/* marshmallow's Boolean truthy / falsy strings. */
static int py_bool(const char *s) {
    static const char *const t[] = {"t", "T", "true", "True", "TRUE", "on", "On", "ON", "y", "Y", "yes", "Yes", "YES",
                                    "1"};
    static const char *const f[] = {"f", "F", "false", "False", "FALSE", "off", "Off", "OFF", "n", "N", "no", "No",
                                    "NO", "0"};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (!strcmp(s, t[i])) return 1;
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (!strcmp(s, f[i])) return 0;
    return -1;
}

static size_t utf8_chars(const char *s) {
    size_t n = 0;
    for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* DelimitedListField: "a,b" -> ["a", "b"], "" -> []. */
static const char **split_list(arena_t *a, const char *s, size_t *n) {
    *n = 0;
    if (!*s) return NULL;
    size_t cap = 1;
    for (const char *p = s; *p; p++) cap += *p == ',';
    const char **out = arena_alloc(a, cap * sizeof *out);
    for (const char *p = s;;) {
        size_t len = strcspn(p, ",");
        out[(*n)++] = arena_strndup(a, p, len);
        if (!p[len]) break;
        p += len + 1;
    }
    return out;
}

static bool extension_allowed(request_t *req, const char *filename) {
    const char *base = strrchr(filename, '/');
    base = base ? base + 1 : filename;
    const char *dot = strrchr(base, '.');
    /* pathlib's suffix: none for ".csv", "name." or a name without a dot */
    if (!dot || dot == base || !dot[1]) return false;
    const json_t *cfg = config_get(req->cfg, "ALLOWED_EXTENSIONS");
    if (json_is_array(cfg)) {
        size_t i;
        json_t *x;
        json_array_foreach(cfg, i, x) if (json_is_string(x) && !strcasecmp(json_string_value(x), dot + 1)) return true;
        return false;
    }
    for (size_t i = 0; i < sizeof default_extensions / sizeof default_extensions[0]; i++)
        if (!strcasecmp(default_extensions[i], dot + 1)) return true;
    return false;
}

/* ---- loading ---- */

static void add_error(json_t *errors, const char *field, const char *msg) {
    json_object_set_new(errors, field, json_pack("[s]", msg));
}

/* One field's value into f; its error message or NULL. */
static const char *load_field(request_t *req, const field_t *fd, const char *v, upload_form_t *f) {
    upload_options_t *o = &f->options;
    long iv;
    int bv;
    const char **list;
    size_t n;
    switch (fd->kind) {
    case F_TYPE:
        if (strcmp(v, "csv") && strcmp(v, "excel") && strcmp(v, "columnar")) return "Must be one of: csv, excel, columnar.";
        f->type = v;
        return NULL;
    case F_EXISTS:
        if (strcmp(v, "fail") && strcmp(v, "replace") && strcmp(v, "append")) return "Must be one of: fail, replace, append.";
        f->already_exists = v;
        return NULL;
    case F_TABLE: {
        size_t len = utf8_chars(v);
        if (len < 1 || len > 10000) return "Length must be between 1 and 10000.";
        f->table_name = v;
        return NULL;
    }
    case F_BOOL:
        if ((bv = py_bool(v)) < 0) return "Not a valid boolean.";
        if (!strcmp(fd->name, "dataframe_index")) o->dataframe_index = bv;
        else if (!strcmp(fd->name, "day_first")) o->day_first = bv;
        else if (!strcmp(fd->name, "skip_blank_lines")) o->skip_blank_lines = bv;
        else o->skip_initial_space = bv;
        return NULL;
    case F_INT:
    case F_ROWS:
        if (!py_int(v, &iv)) return "Not a valid integer.";
        if (fd->kind == F_ROWS && iv < 1) return "Must be greater than or equal to 1.";
        if (fd->kind == F_ROWS) o->rows_to_read = iv;
        else if (!strcmp(fd->name, "header_row")) o->header_row = iv;
        else o->skip_rows = iv;
        return NULL;
    case F_LIST:
        list = split_list(req->arena, v, &n);
        if (!strcmp(fd->name, "columns_read")) o->columns_read = list, o->n_columns_read = n;
        else if (!strcmp(fd->name, "column_dates")) o->column_dates = list, o->n_column_dates = n;
        else o->null_values = list, o->n_null_values = n;
        return NULL;
    case F_STR:
        if (!strcmp(fd->name, "index_label")) o->index_label = v;
        else if (!strcmp(fd->name, "schema")) f->schema = v;
        else if (!strcmp(fd->name, "delimiter")) o->delimiter = v;
        else if (!strcmp(fd->name, "decimal_character")) o->decimal = v;
        else if (!strcmp(fd->name, "index_column")) o->index_column = *v ? v : NULL;
        else if (!strcmp(fd->name, "sheet_name")) o->sheet_name = *v ? v : NULL;
        return NULL; /* column_data_types is decoded after the fields */
    case F_FILE: return NULL;
    }
    return NULL;
}

/* post_load: column_data_types as JSON; false when it is not JSON. */
static bool load_dtypes(request_t *req, const char *text, upload_form_t *f) {
    if (!text || !*text) return true;
    json_t *j = json_loads(text, JSON_DECODE_ANY, NULL);
    if (!j) return false;
    json_arena_own(req->arena, j);
    upload_options_t *o = &f->options;
    if (!json_is_object(j)) {
        f->dtypes_not_mapping = true;
        return true;
    }
    o->dtypes = arena_alloc(req->arena, (json_object_size(j) + 1) * sizeof *o->dtypes);
    const char *k;
    json_t *v;
    json_object_foreach(j, k, v) {
        /* a value that is no type name fails like an unknown numpy type, under its Python text */
        const char *name = json_is_string(v) ? json_string_value(v) : json_dump_arena(req->arena, v, JSON_ENCODE_ANY, NULL);
        o->dtypes[o->n_dtypes++] = (upload_dtype_t){arena_strdup(req->arena, k), name};
    }
    return true;
}

static const field_t *field_named(const char *name, bool metadata_schema) {
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (!strcmp(fields[i].name, name) && (!metadata_schema || fields[i].in_metadata)) return &fields[i];
    return NULL;
}

json_t *upload_form_load(request_t *req, bool metadata_schema, upload_form_t *f) {
    memset(f, 0, sizeof *f);
    f->already_exists = "fail";
    f->options.delimiter = ",";
    f->options.decimal = ".";
    json_t *form = json_arena_own(req->arena, form_dict(req));
    json_object_del(form, "file"); /* request_form["file"] = request.files.get("file") */
    f->file = form_file_named(req, "file", &f->file_len, &f->filename);
    json_t *errors = json_object();
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const field_t *fd = &fields[i];
        if (metadata_schema && !fd->in_metadata) continue;
        if (fd->kind == F_FILE) {
            if (!f->file) add_error(errors, fd->name, "Field may not be null.");
            continue;
        }
        const char *v = json_string_value(json_object_get(form, fd->name));
        if (!v) {
            if (fd->required) add_error(errors, fd->name, "Missing data for required field.");
            continue;
        }
        const char *msg = load_field(req, fd, v, f);
        if (msg) add_error(errors, fd->name, msg);
    }
    const char *k;
    json_t *v;
    json_object_foreach(form, k, v) if (!field_named(k, metadata_schema)) add_error(errors, k, "Unknown field.");
    if (f->file && !extension_allowed(req, f->filename ? f->filename : ""))
        add_error(errors, "file", "File extension is not allowed.");
    if (json_object_size(errors)) return errors;
    if (!metadata_schema && !load_dtypes(req, json_string_value(json_object_get(form, "column_data_types")), f)) {
        add_error(errors, "_schema", "Invalid JSON format for column_data_types");
        return errors;
    }
    json_decref(errors);
    return NULL;
}
