/* Export payloads and their related objects; see bundle_export.h. Rows are
 * read as JSON (row_to_json) and rebuilt with the reference's key order. */
#include "domain/bundle_export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/encrypted_type.h"
#include "lib/json.h"
#include "lib/offload.h"
#include "lib/strbuf.h"
#include "lib/uuid.h"
#include "lib/yaml_json.h"

#define PASSWORD_MASK "XXXXXXXXXX"
#define EXPORT_VERSION "1.0.0"

typedef struct ex {
    pg_pool_t *pg;
    arena_t *a;
    const char *secret;
    json_t *files;
    bool failed;
} ex_t;

/* ---- file names ---- */

/* Latin-1 Supplement and Latin Extended-A letters folded to ASCII (what
 * NFKD followed by dropping non-ASCII leaves); other characters vanish. */
static void fold_latin(strbuf_t *sb, unsigned cp) {
    static const char *const latin1[64] = {
        "A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I", "I", "", "N", "O", "O", "O", "O",
        "O", "", "", "U", "U", "U", "U", "Y", "", "", "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i",
        "i", "i", "i", "", "n", "o", "o", "o", "o", "o", "", "", "u", "u", "u", "u", "y", "", "y"};
    static const char ext_a[] = "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiJjJjKkkLlLlLlLlLlNnNnNnnNnOoOoOo"
                                "OoRrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";
    if (cp >= 0xC0 && cp < 0x100) strbuf_puts(sb, latin1[cp - 0xC0]);
    else if (cp >= 0x100 && cp < 0x100 + sizeof ext_a - 1) strbuf_putc(sb, ext_a[cp - 0x100]);
}

char *bundle_secure_filename(arena_t *a, const char *name) {
    strbuf_t ascii;
    strbuf_init_arena(&ascii, a, strlen(name) + 1);
    for (const unsigned char *p = (const unsigned char *)name; *p;) {
        if (*p < 0x80) {
            strbuf_putc(&ascii, *p == '/' ? ' ' : (char)*p);
            p++;
            continue;
        }
        unsigned cp = 0, n = *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : 2;
        cp = *p & (0xFF >> (n + 1));
        for (unsigned i = 1; i < n && p[i]; i++) cp = (cp << 6) | (p[i] & 0x3F);
        fold_latin(&ascii, cp);
        for (unsigned i = 0; i < n && *p; i++) p++;
    }
    /* "_".join(split()), then drop what is not [A-Za-z0-9_.-], then strip "._" */
    strbuf_t out;
    strbuf_init_arena(&out, a, ascii.len + 1);
    bool pending_sep = false;
    for (const char *p = ascii.data; *p; p++) {
        if (strchr(" \t\n\r\v\f", *p)) {
            pending_sep = out.len > 0;
            continue;
        }
        if (pending_sep) strbuf_putc(&out, '_');
        pending_sep = false;
        char c = *p;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
            c == '-')
            strbuf_putc(&out, c);
    }
    char *s = out.data;
    while (*s == '.' || *s == '_') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == '.' || s[n - 1] == '_')) n--;
    s[n] = 0;
    return s;
}

/* get_filename: "<slug>_<id>", "<slug>" with skip_id, the id when the slug is empty. */
static const char *get_filename(ex_t *x, const char *name, long long id, bool skip_id) {
    const char *slug = bundle_secure_filename(x->a, name ? name : "");
    if (!*slug) return arena_sprintf(x->a, "%lld", id);
    return skip_id ? slug : arena_sprintf(x->a, "%s_%lld", slug, id);
}

/* ---- rows ---- */

/* Rows of sql as JSON objects (row_to_json), or NULL on error. */
static json_t *rows(ex_t *x, const char *sql, int n, const char *const *p) {
    pg_error_t err;
    pg_result_t *r = pg_query(x->pg, x->a, &err, arena_sprintf(x->a, "SELECT row_to_json(q)::text FROM (%s) q", sql), n, p);
    if (!r) {
        x->failed = true;
        return NULL;
    }
    json_t *out = json_arena_own(x->a, json_array());
    for (int i = 0; i < pg_nrows(r); i++) {
        json_t *row = json_loads(pg_get(r, i, 0), 0, NULL);
        if (row) json_array_append_new(out, row);
    }
    return out;
}

static json_t *row_by_id(ex_t *x, const char *sql, long long id) {
    const char *p = arena_sprintf(x->a, "%lld", id);
    json_t *r = rows(x, sql, 1, &p);
    return r ? json_array_get(r, 0) : NULL;
}

/* A new object with the keys of row in `keys` order (export_to_dict with include_defaults). */
static json_t *pick(const json_t *row, const char *const *keys) {
    json_t *o = json_object();
    for (const char *const *k = keys; *k; k++) {
        json_t *v = json_object_get(row, *k);
        json_object_set(o, *k, v ? v : json_null());
    }
    return o;
}

/* json.loads of a text member when it is a non-empty string (on failure the text stays, or `fallback`). */
static void parse_member(json_t *o, const char *key, json_t *fallback) {
    json_t *v = json_object_get(o, key);
    if (!json_is_string(v) || !json_string_length(v)) {
        json_decref(fallback);
        return;
    }
    json_t *p = json_loads(json_string_value(v), JSON_DECODE_ANY, NULL);
    if (p) json_object_set_new(o, key, p), json_decref(fallback);
    else if (fallback) json_object_set_new(o, key, fallback);
}

/* Keeps the payload; the YAML text is written at the end, off the loop. */
static void add_file(ex_t *x, const char *name, json_t *payload) {
    if (!x->failed && !json_object_get(x->files, name)) json_object_set(x->files, name, payload);
    json_decref(payload);
}

/* Every payload to its YAML text; an offload job (pure CPU). */
static void to_yaml_job(void *arg) {
    ex_t *x = arg;
    const char *name;
    json_t *payload;
    json_object_foreach(x->files, name, payload) {
        char *yaml = json_to_yaml(payload, NULL);
        if (!yaml) {
            x->failed = true;
            return;
        }
        json_object_set_new(x->files, name, json_string(yaml)); /* same key: iteration stays valid */
        free(yaml);
    }
}

static bool seen(ex_t *x, const char *name) { return json_object_get(x->files, name) != NULL; }

/* ---- databases ---- */

static const char *const database_keys[] = {"database_name", "sqlalchemy_uri", "cache_timeout", "expose_in_sqllab",
                                            "allow_run_async", "allow_ctas", "allow_cvas", "allow_dml",
                                            "allow_file_upload", "extra", "impersonate_user", "uuid", NULL};
#define DATABASE_SQL "SELECT d.*, d.uuid::text AS uuid FROM dbs d WHERE d.id = $1::int"

static json_t *ssh_payload(ex_t *x, long long db_id) {
    json_t *t = row_by_id(x, "SELECT server_address, server_port, encode(username, 'escape') AS username,"
                             " password IS NOT NULL AS has_password, private_key IS NOT NULL AS has_key,"
                             " private_key_password IS NOT NULL AS has_key_password"
                             " FROM ssh_tunnels WHERE database_id = $1::int", db_id);
    if (!t) return NULL;
    json_t *o = json_object();
    json_object_set(o, "server_address", json_object_get(t, "server_address"));
    json_object_set(o, "server_port", json_object_get(t, "server_port"));
    const char *user = json_string_value(json_object_get(t, "username"));
    char *plain = user ? encrypted_type_decrypt(x->a, x->secret, user) : NULL;
    json_object_set_new(o, "username", plain ? json_string(plain) : json_null());
    static const char *const secrets[][2] = {{"has_password", "password"}, {"has_key", "private_key"},
                                             {"has_key_password", "private_key_password"}};
    for (size_t i = 0; i < 3; i++)
        if (json_is_true(json_object_get(t, secrets[i][0]))) json_object_set_new(o, secrets[i][1], json_string(PASSWORD_MASK));
    return o;
}

typedef enum { DB_OWN, DB_RELATED, DB_FOR_QUERY } db_flavor_t;

/* The database file as each exporter writes it. */
static void export_database(ex_t *x, long long id, db_flavor_t flavor) {
    json_t *row = row_by_id(x, DATABASE_SQL, id);
    if (!row) return;
    const char *name = json_string_value(json_object_get(row, "database_name"));
    const char *file = flavor == DB_FOR_QUERY ? arena_sprintf(x->a, "databases/%s.yaml", bundle_secure_filename(x->a, name))
                                              : arena_sprintf(x->a, "databases/%s.yaml", get_filename(x, name, id, true));
    if (seen(x, file)) return;
    json_t *p = pick(row, database_keys);
    if (flavor == DB_OWN) {
        json_t *renamed = json_object();
        const char *k;
        json_t *v;
        json_object_foreach(p, k, v) json_object_set(renamed, strcmp(k, "allow_file_upload") ? k : "allow_csv_upload", v);
        json_decref(p);
        p = renamed;
        parse_member(p, "extra", json_object());
        json_t *extra = json_object_get(p, "extra");
        json_t *old = json_object_get(extra, "schemas_allowed_for_file_upload");
        if (json_is_object(extra) && old) {
            json_object_set(extra, "schemas_allowed_for_csv_upload", old);
            json_object_del(extra, "schemas_allowed_for_file_upload");
        }
    } else parse_member(p, "extra", NULL);
    if (flavor != DB_FOR_QUERY) {
        json_t *ssh = ssh_payload(x, id);
        if (ssh) json_object_set_new(p, "ssh_tunnel", ssh);
    }
    json_object_set_new(p, "version", json_string(EXPORT_VERSION));
    add_file(x, file, p);
}

/* ---- datasets ---- */

static const char *const dataset_keys[] = {"table_name", "main_dttm_col", "description", "default_endpoint", "offset",
                                           "cache_timeout", "catalog", "schema", "sql", "params", "template_params",
                                           "filter_select_enabled", "fetch_values_predicate", "extra",
                                           "normalize_columns", "always_filter_main_dttm", "folders", "uuid", NULL};
static const char *const column_keys[] = {"column_name", "verbose_name", "is_dttm", "is_active", "type",
                                          "advanced_data_type", "groupby", "filterable", "expression", "description",
                                          "python_date_format", "extra", NULL};
static const char *const metric_keys[] = {"metric_name", "verbose_name", "metric_type", "expression", "description",
                                          "d3format", "currency", "extra", "warning_text", NULL};

/* Python repr of a row value (str/None/bool/int/float/dict/list). */
static void py_repr(strbuf_t *sb, const json_t *v) {
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        char q = strchr(s, '\'') && !strchr(s, '"') ? '"' : '\'';
        strbuf_putc(sb, q);
        for (; *s; s++) {
            unsigned char c = (unsigned char)*s;
            if (c == '\\' || c == (unsigned char)q) strbuf_putc(sb, '\\'), strbuf_putc(sb, (char)c);
            else if (c == '\n') strbuf_puts(sb, "\\n");
            else if (c == '\r') strbuf_puts(sb, "\\r");
            else if (c == '\t') strbuf_puts(sb, "\\t");
            else if (c < 0x20 || c == 0x7f) strbuf_printf(sb, "\\x%02x", c);
            else strbuf_putc(sb, (char)c);
        }
        strbuf_putc(sb, q);
    } else if (json_is_object(v)) {
        strbuf_putc(sb, '{');
        const char *k;
        json_t *x;
        bool first = true;
        json_object_foreach((json_t *)v, k, x) {
            json_t *key = json_string(k);
            strbuf_puts(sb, first ? "" : ", ");
            py_repr(sb, key);
            strbuf_puts(sb, ": ");
            py_repr(sb, x);
            json_decref(key);
            first = false;
        }
        strbuf_putc(sb, '}');
    } else if (json_is_array(v)) {
        strbuf_putc(sb, '[');
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) {
            strbuf_puts(sb, i ? ", " : "");
            py_repr(sb, x);
        }
        strbuf_putc(sb, ']');
    } else if (json_is_true(v)) strbuf_puts(sb, "True");
    else if (json_is_false(v)) strbuf_puts(sb, "False");
    else if (json_is_integer(v)) strbuf_printf(sb, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v)) strbuf_printf(sb, "%.17g", json_real_value(v));
    else strbuf_puts(sb, "None");
}

typedef struct keyed {
    char *key; /* sorted characters of str(d.items()) */
    json_t *item;
} keyed_t;

static int cmp_char(const void *a, const void *b) { return *(const unsigned char *)a - *(const unsigned char *)b; }
static int cmp_keyed(const void *a, const void *b) { return strcmp(((const keyed_t *)a)->key, ((const keyed_t *)b)->key); }

/* sorted(children, key=lambda k: sorted(str(k.items()))) */
static json_t *sort_children(ex_t *x, json_t *list) {
    size_t n = json_array_size(list);
    keyed_t *k = arena_calloc(x->a, n ? n : 1, sizeof *k);
    for (size_t i = 0; i < n; i++) {
        json_t *item = json_array_get(list, i);
        strbuf_t sb;
        strbuf_init_arena(&sb, x->a, 256);
        strbuf_puts(&sb, "dict_items([");
        const char *key;
        json_t *v;
        bool first = true;
        json_object_foreach(item, key, v) {
            json_t *ks = json_string(key);
            strbuf_puts(&sb, first ? "(" : ", (");
            py_repr(&sb, ks);
            strbuf_puts(&sb, ", ");
            py_repr(&sb, v);
            strbuf_putc(&sb, ')');
            json_decref(ks);
            first = false;
        }
        strbuf_puts(&sb, "])");
        qsort(sb.data, sb.len, 1, cmp_char);
        k[i].key = sb.data;
        k[i].item = item;
    }
    qsort(k, n, sizeof *k, cmp_keyed);
    json_t *out = json_array();
    for (size_t i = 0; i < n; i++) json_array_append(out, k[i].item);
    return out;
}

static json_t *children(ex_t *x, const char *sql, long long table_id, const char *const *keys, bool parse_extra) {
    const char *p = arena_sprintf(x->a, "%lld", table_id);
    json_t *list = rows(x, sql, 1, &p);
    json_t *picked = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(list, i, row) json_array_append_new(picked, pick(row, keys));
    json_t *sorted = sort_children(x, picked);
    json_decref(picked);
    json_array_foreach(sorted, i, row) if (parse_extra) parse_member(row, "extra", NULL);
    return sorted;
}

/* Dataset payload; parse_json: the dataset exporter decodes params/template_params/extra. */
static json_t *dataset_payload(ex_t *x, const json_t *row, long long id, bool parse_json) {
    json_t *p = pick(row, dataset_keys);
    if (parse_json) {
        parse_member(p, "params", NULL);
        parse_member(p, "template_params", NULL);
        parse_member(p, "extra", NULL);
    }
    json_object_set_new(p, "metrics", children(x, "SELECT * FROM sql_metrics WHERE table_id = $1::int ORDER BY id", id,
                                               metric_keys, parse_json));
    json_object_set_new(p, "columns", children(x, "SELECT * FROM table_columns WHERE table_id = $1::int ORDER BY id", id,
                                               column_keys, parse_json));
    json_object_set_new(p, "version", json_string(EXPORT_VERSION));
    json_object_set(p, "database_uuid", json_object_get(row, "database_uuid"));
    return p;
}

#define DATASET_SQL                                                                                                  \
    "SELECT t.*, t.uuid::text AS uuid, d.uuid::text AS database_uuid, d.database_name FROM tables t"                  \
    " JOIN dbs d ON d.id = t.database_id WHERE t.id = $1::int"

static void export_dataset(ex_t *x, long long id, bool related) {
    json_t *row = row_by_id(x, DATASET_SQL, id);
    if (!row) return;
    long long db_id = json_integer_value(json_object_get(row, "database_id"));
    const char *file = arena_sprintf(
        x->a, "datasets/%s/%s.yaml", get_filename(x, json_string_value(json_object_get(row, "database_name")), db_id, true),
        get_filename(x, json_string_value(json_object_get(row, "table_name")), id, false));
    if (!seen(x, file)) add_file(x, file, dataset_payload(x, row, id, true));
    if (related) export_database(x, db_id, DB_RELATED);
}

/* ---- charts ---- */

static const char *const chart_keys[] = {"slice_name", "description", "certified_by", "certification_details", "viz_type",
                                         "params", "query_context", "cache_timeout", "uuid", NULL};

static void export_chart(ex_t *x, long long id, bool related) {
    json_t *row = row_by_id(x, "SELECT s.*, s.uuid::text AS uuid, t.id AS table_id_ref, t.uuid::text AS dataset_uuid"
                               " FROM slices s LEFT JOIN tables t ON s.datasource_type = 'table' AND t.id = s.datasource_id"
                               " WHERE s.id = $1::int", id);
    if (!row) return;
    const char *file = arena_sprintf(x->a, "charts/%s.yaml",
                                     get_filename(x, json_string_value(json_object_get(row, "slice_name")), id, false));
    if (!seen(x, file)) {
        json_t *p = pick(row, chart_keys);
        parse_member(p, "params", NULL);
        json_object_set_new(p, "version", json_string(EXPORT_VERSION));
        json_t *ds = json_object_get(row, "dataset_uuid");
        if (json_is_string(ds)) json_object_set(p, "dataset_uuid", ds);
        add_file(x, file, p);
    }
    json_t *table = json_object_get(row, "table_id_ref");
    if (related && json_is_integer(table)) export_dataset(x, json_integer_value(table), true);
}

/* ---- dashboards ---- */

static const char *const dashboard_keys[] = {"dashboard_title", "description", "css", "slug", "certified_by",
                                             "certification_details", "published", "uuid", NULL};

static json_t *default_position(const char *title) {
    return json_pack("{s:s,s:{s:[s],s:s,s:s},s:{s:[],s:s,s:[s],s:s},s:{s:s,s:{s:s},s:s}}", "DASHBOARD_VERSION_KEY", "v2",
                     "ROOT_ID", "children", "GRID_ID", "id", "ROOT_ID", "type", "ROOT", "GRID_ID", "children", "id",
                     "GRID_ID", "parents", "ROOT_ID", "type", "GRID", "HEADER_ID", "id", "HEADER_ID", "meta", "text",
                     title ? title : "", "type", "HEADER");
}

static const char *random_suffix(ex_t *x) {
    const char *u = uuid4_text(x->a);
    return arena_sprintf(x->a, "%.8s", u);
}

/* append_charts: a new row holding the charts linked to the dashboard but absent from its layout. */
static void append_orphans(ex_t *x, json_t *position, const json_t *orphans) {
    if (!json_array_size(orphans)) return;
    json_t *root_children = json_object_get(json_object_get(position, "ROOT_ID"), "children");
    bool has_grid = false;
    size_t i;
    json_t *c;
    json_array_foreach(root_children, i, c) has_grid = has_grid || (json_is_string(c) && !strcmp(json_string_value(c), "GRID_ID"));
    json_t *hashes = json_array();
    json_array_foreach(orphans, i, c) json_array_append_new(hashes, json_string(arena_sprintf(x->a, "CHART-%s", random_suffix(x))));
    const char *row_hash = NULL;
    if (has_grid) {
        row_hash = arena_sprintf(x->a, "ROW-N-%s", random_suffix(x));
        json_t *grid_children = json_object_get(json_object_get(position, "GRID_ID"), "children");
        if (json_is_array(grid_children)) json_array_append_new(grid_children, json_string(row_hash));
        json_object_set_new(position, row_hash,
                            json_pack("{s:O,s:s,s:{s:s,s:s},s:s,s:[s,s]}", "children", hashes, "id", row_hash, "meta", "0",
                                      "ROOT_ID", "background", "BACKGROUND_TRANSPARENT", "type", "ROW", "parents",
                                      "ROOT_ID", "GRID_ID"));
    }
    json_array_foreach(orphans, i, c) {
        const char *h = json_string_value(json_array_get(hashes, i));
        json_t *node = json_pack("{s:[],s:s,s:{s:O,s:i,s:O,s:O,s:i},s:s}", "children", "id", h, "meta", "chartId",
                                 json_object_get(c, "id"), "height", 50, "sliceName", json_object_get(c, "slice_name"),
                                 "uuid", json_object_get(c, "uuid"), "width", 4, "type", "CHART");
        if (row_hash) json_object_set_new(node, "parents", json_pack("[s,s,s]", "ROOT_ID", "GRID_ID", row_hash));
        json_object_set_new(position, h, node);
    }
    json_decref(hashes);
}

static bool chart_in_layout(const json_t *position, const char *uuid) {
    const char *k;
    json_t *node;
    json_object_foreach((json_t *)position, k, node) {
        const char *type = json_string_value(json_object_get(node, "type"));
        const char *u = json_string_value(json_object_get(json_object_get(node, "meta"), "uuid"));
        if (type && !strcmp(type, "CHART") && u && !strcmp(u, uuid)) return true;
    }
    return false;
}

/* themes/<name>.yaml: theme_name, json_data (decoded when it is JSON), uuid, version. */
static void export_theme(ex_t *x, long long id) {
    json_t *row = row_by_id(x, "SELECT theme_name, json_data, uuid::text AS uuid FROM themes WHERE id = $1::int", id);
    if (!row) return;
    const char *file = arena_sprintf(x->a, "themes/%s.yaml",
                                     get_filename(x, json_string_value(json_object_get(row, "theme_name")), id, true));
    if (seen(x, file)) return;
    static const char *const keys[] = {"theme_name", "json_data", "uuid", NULL};
    json_t *p = pick(row, keys);
    parse_member(p, "json_data", NULL);
    json_object_set_new(p, "version", json_string(EXPORT_VERSION));
    add_file(x, file, p);
}

static void export_dashboard(ex_t *x, long long id, bool related) {
    json_t *row = row_by_id(x, "SELECT d.*, d.uuid::text AS uuid, th.uuid::text AS theme_uuid FROM dashboards d"
                               " LEFT JOIN themes th ON th.id = d.theme_id WHERE d.id = $1::int", id);
    if (!row) return;
    const char *title = json_string_value(json_object_get(row, "dashboard_title"));
    const char *file = arena_sprintf(x->a, "dashboards/%s.yaml", get_filename(x, title, id, false));
    const char *p1 = arena_sprintf(x->a, "%lld", id);
    json_t *charts = rows(x, "SELECT s.id, s.slice_name, s.uuid::text AS uuid FROM dashboard_slices ds JOIN slices s"
                             " ON s.id = ds.slice_id WHERE ds.dashboard_id = $1::int ORDER BY ds.id", 1, &p1);
    if (!charts) return;
    json_t *native_datasets = json_array();
    if (!seen(x, file)) {
        json_t *p = pick(row, dashboard_keys);
        static const char *const json_keys[][2] = {{"position_json", "position"}, {"json_metadata", "metadata"}};
        for (size_t i = 0; i < 2; i++) {
            const char *text = json_string_value(json_object_get(row, json_keys[i][0]));
            if (!text || !*text) continue;
            json_t *v = json_loads(text, JSON_DECODE_ANY, NULL);
            json_object_set_new(p, json_keys[i][1], v ? v : json_object());
        }
        size_t i;
        json_t *nf;
        json_array_foreach(json_object_get(json_object_get(p, "metadata"), "native_filter_configuration"), i, nf) {
            size_t j;
            json_t *target;
            json_array_foreach(json_object_get(nf, "targets"), j, target) {
                json_t *dsid = json_object_get(target, "datasetId");
                if (!dsid) continue;
                long long ds = json_integer_value(dsid);
                json_object_del(target, "datasetId");
                json_t *d = row_by_id(x, "SELECT uuid::text AS uuid FROM tables WHERE id = $1::int", ds);
                if (d) {
                    json_object_set(target, "datasetUuid", json_object_get(d, "uuid"));
                    json_array_append_new(native_datasets, json_integer(ds));
                }
            }
        }
        json_t *position = json_object_get(p, "position");
        if (!json_is_object(position) || !json_object_size(position))
            json_object_set_new(p, "position", position = default_position(title));
        json_t *orphans = json_array();
        json_t *c;
        json_array_foreach(charts, i, c) if (!chart_in_layout(position, json_string_value(json_object_get(c, "uuid"))))
            json_array_append(orphans, c);
        append_orphans(x, position, orphans);
        json_decref(orphans);
        json_object_set(p, "theme_uuid", json_object_get(row, "theme_uuid"));
        json_object_set_new(p, "version", json_string(EXPORT_VERSION));
        add_file(x, file, p);
    }
    if (related) {
        size_t i;
        json_t *c;
        json_array_foreach(charts, i, c) export_chart(x, json_integer_value(json_object_get(c, "id")), true);
        json_t *theme_id = json_object_get(row, "theme_id");
        if (json_is_integer(theme_id)) export_theme(x, json_integer_value(theme_id));
        json_array_foreach(native_datasets, i, c) export_dataset(x, json_integer_value(c), true);
    }
    json_decref(native_datasets);
}

/* ---- saved queries ---- */

static const char *const query_keys[] = {"catalog", "schema", "label", "description", "sql", "uuid", NULL};

static void export_query(ex_t *x, long long id, bool related) {
    json_t *row = row_by_id(x, "SELECT q.*, q.uuid::text AS uuid, d.uuid::text AS database_uuid, d.database_name"
                               " FROM saved_query q JOIN dbs d ON d.id = q.db_id WHERE q.id = $1::int", id);
    if (!row) return;
    const char *db_slug = bundle_secure_filename(x->a, json_string_value(json_object_get(row, "database_name")));
    const char *label = json_string_value(json_object_get(row, "label"));
    const char *slug = bundle_secure_filename(x->a, label ? label : "");
    if (!*slug) slug = json_string_value(json_object_get(row, "uuid"));
    const char *schema = json_string_value(json_object_get(row, "schema"));
    const char *file = schema ? arena_sprintf(x->a, "queries/%s/%s/%s.yaml", db_slug, bundle_secure_filename(x->a, schema), slug)
                              : arena_sprintf(x->a, "queries/%s/%s.yaml", db_slug, slug);
    if (!seen(x, file)) {
        json_t *p = pick(row, query_keys);
        json_object_set_new(p, "version", json_string(EXPORT_VERSION));
        json_object_set(p, "database_uuid", json_object_get(row, "database_uuid"));
        add_file(x, file, p);
    }
    if (related) export_database(x, json_integer_value(json_object_get(row, "db_id")), DB_FOR_QUERY);
}

/* ---- databases with their datasets ---- */

static void export_database_with_datasets(ex_t *x, long long id, bool related) {
    export_database(x, id, DB_OWN);
    if (!related) return;
    json_t *db = row_by_id(x, DATABASE_SQL, id);
    const char *p = arena_sprintf(x->a, "%lld", id);
    json_t *tables = rows(x, "SELECT t.*, t.uuid::text AS uuid, d.uuid::text AS database_uuid FROM tables t"
                             " JOIN dbs d ON d.id = t.database_id WHERE t.database_id = $1::int ORDER BY t.id", 1, &p);
    if (!db || !tables) return;
    const char *db_file = get_filename(x, json_string_value(json_object_get(db, "database_name")), id, true);
    size_t i;
    json_t *t;
    json_array_foreach(tables, i, t) {
        long long tid = json_integer_value(json_object_get(t, "id"));
        const char *file = arena_sprintf(x->a, "datasets/%s/%s.yaml", db_file,
                                         get_filename(x, json_string_value(json_object_get(t, "table_name")), tid, true));
        if (!seen(x, file)) add_file(x, file, dataset_payload(x, t, tid, false));
    }
}

/* ---- the commands ---- */

static void export_theme_item(ex_t *x, long long id, bool related) {
    (void)related;
    export_theme(x, id);
}

typedef void (*export_one_fn)(ex_t *x, long long id, bool related);

static const struct {
    const char *type;
    const char *all_sql; /* every id, for assets */
    export_one_fn fn;
} kinds[] = {
    [EXPORT_DASHBOARDS] = {"Dashboard", "SELECT id FROM dashboards ORDER BY id", export_dashboard},
    [EXPORT_CHARTS] = {"Slice", "SELECT id FROM slices ORDER BY id", export_chart},
    [EXPORT_DATASETS] = {"SqlaTable", "SELECT id FROM tables ORDER BY id", export_dataset},
    [EXPORT_DATABASES] = {"Database", "SELECT id FROM dbs ORDER BY id", export_database_with_datasets},
    [EXPORT_SAVED_QUERIES] = {"SavedQuery", "SELECT id FROM saved_query ORDER BY id", export_query},
    [EXPORT_THEMES] = {"Theme", "SELECT id FROM themes ORDER BY id", export_theme_item},
};

/* ExportAssetsCommand's order. */
static const export_command_t asset_order[] = {EXPORT_DATABASES, EXPORT_DATASETS, EXPORT_CHARTS, EXPORT_DASHBOARDS,
                                               EXPORT_SAVED_QUERIES};

bool bundle_export(pg_pool_t *pg, arena_t *a, export_command_t cmd, const json_t *ids, const char *timestamp,
                   const char *secret_key, json_t *files) {
    ex_t x = {pg, a, secret_key ? secret_key : "", files, false};
    json_t *meta = json_pack("{s:s,s:s,s:s}", "version", EXPORT_VERSION, "type",
                             cmd == EXPORT_ASSETS ? "assets" : kinds[cmd].type, "timestamp", timestamp);
    add_file(&x, "metadata.yaml", meta);
    if (cmd != EXPORT_ASSETS) {
        size_t i;
        json_t *id;
        json_array_foreach(ids, i, id) kinds[cmd].fn(&x, json_integer_value(id), true);
    }
    for (size_t k = 0; cmd == EXPORT_ASSETS && k < sizeof asset_order / sizeof asset_order[0] && !x.failed; k++) {
        json_t *all = rows(&x, kinds[asset_order[k]].all_sql, 0, NULL);
        size_t i;
        json_t *r;
        json_array_foreach(all, i, r) kinds[asset_order[k]].fn(&x, json_integer_value(json_object_get(r, "id")), false);
    }
    if (!x.failed) offload_run(to_yaml_job, &x);
    return !x.failed;
}
