/* The upload form schemas (UploadPostSchema, UploadFileMetadataPostSchema)
 * loaded as marshmallow does: fields in declaration order, required and
 * null checks, unknown fields refused, the file's extension checked against
 * ALLOWED_EXTENSIONS, then column_data_types decoded as JSON. The values
 * land in an upload_form_t; see database_upload.h. */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fcgi/api/database_upload.h"
#include "fcgi/formdata.h"
#include "lib/json.h"

typedef enum { F_TYPE, F_EXISTS, F_STR, F_NAME, F_TABLE, F_LIST, F_BOOL, F_INT, F_ROWS, F_FILE } field_kind_t;

typedef struct field {
    const char *name;
    field_kind_t kind; /* F_NAME: a string where "" means none */
    bool required;
    bool in_metadata;  /* also a field of UploadFileMetadataPostSchema */
    size_t at;         /* where the value goes in upload_form_t */
    size_t count_at;   /* F_LIST: where its length goes */
} field_t;

#define AT(member) offsetof(upload_form_t, member)
#define OPT(member) offsetof(upload_form_t, options.member)

/* UploadPostSchema's fields in declaration order. */
static const field_t fields[] = {
    {"type", F_TYPE, true, true, AT(type), 0},
    {"already_exists", F_EXISTS, false, false, AT(already_exists), 0},
    {"index_label", F_STR, false, false, OPT(index_label), 0},
    {"columns_read", F_LIST, false, false, OPT(columns_read), OPT(n_columns_read)},
    {"dataframe_index", F_BOOL, false, false, OPT(dataframe_index), 0},
    {"schema", F_STR, false, false, AT(schema), 0},
    {"table_name", F_TABLE, true, false, AT(table_name), 0},
    {"file", F_FILE, true, true, 0, 0},
    {"delimiter", F_STR, false, true, OPT(delimiter), 0},
    {"column_data_types", F_STR, false, false, AT(column_data_types), 0},
    {"day_first", F_BOOL, false, false, OPT(day_first), 0},
    {"skip_blank_lines", F_BOOL, false, false, OPT(skip_blank_lines), 0},
    {"skip_initial_space", F_BOOL, false, false, OPT(skip_initial_space), 0},
    {"column_dates", F_LIST, false, false, OPT(column_dates), OPT(n_column_dates)},
    {"decimal_character", F_STR, false, false, OPT(decimal), 0},
    {"header_row", F_INT, false, true, OPT(header_row), 0},
    {"index_column", F_NAME, false, false, OPT(index_column), 0},
    {"null_values", F_LIST, false, false, OPT(null_values), OPT(n_null_values)},
    {"rows_to_read", F_ROWS, false, false, OPT(rows_to_read), 0},
    {"skip_rows", F_INT, false, false, OPT(skip_rows), 0},
    {"sheet_name", F_NAME, false, false, OPT(sheet_name), 0},
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

static bool one_of(const char *v, const char *const *choices) {
    for (; *choices; choices++)
        if (!strcmp(v, *choices)) return true;
    return false;
}

/* One field's value into f; its error message or NULL. */
static const char *load_field(request_t *req, const field_t *fd, const char *v, upload_form_t *f) {
    static const char *const types[] = {"csv", "excel", "columnar", NULL};
    static const char *const strategies[] = {"fail", "replace", "append", NULL};
    char *at = (char *)f + fd->at;
    long iv;
    int bv;
    size_t len;
    switch (fd->kind) {
    case F_TYPE:
        if (!one_of(v, types)) return "Must be one of: csv, excel, columnar.";
        break;
    case F_EXISTS:
        if (!one_of(v, strategies)) return "Must be one of: fail, replace, append.";
        break;
    case F_TABLE:
        len = utf8_chars(v);
        if (len < 1 || len > 10000) return "Length must be between 1 and 10000.";
        break;
    case F_BOOL:
        if ((bv = py_bool(v)) < 0) return "Not a valid boolean.";
        *(bool *)at = bv;
        return NULL;
    case F_INT:
    case F_ROWS:
        if (!py_int(v, &iv)) return "Not a valid integer.";
        if (fd->kind == F_ROWS && iv < 1) return "Must be greater than or equal to 1.";
        *(long *)at = iv;
        return NULL;
    case F_LIST:
        *(const char ***)at = split_list(req->arena, v, &len);
        *(size_t *)((char *)f + fd->count_at) = len;
        return NULL;
    case F_NAME:
        if (!*v) return NULL;
        break;
    case F_STR:
    case F_FILE: break;
    }
    if (fd->kind != F_FILE) *(const char **)at = v;
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
    if (!metadata_schema && !load_dtypes(req, f->column_data_types, f)) {
        add_error(errors, "_schema", "Invalid JSON format for column_data_types");
        return errors;
    }
    json_decref(errors);
    return NULL;
}
