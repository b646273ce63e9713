/* PostgreSQL target introspection; see pg_introspect.h. */
#include "persistence/pg_introspect.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "lib/strbuf.h"

/* format_type() spellings SQLAlchemy compiles differently. */
static const struct {
    const char *pg, *sqla;
} renames[] = {
    {"character varying", "VARCHAR"},
    {"character", "CHAR"},
    {"bit varying", "BIT VARYING"},
    {NULL, NULL},
};

char *pg_introspect_type_name(arena_t *a, const char *ft, bool is_enum) {
    strbuf_t sb;
    strbuf_init_arena(&sb, a, strlen(ft) + 8);
    size_t n = strlen(ft);
    size_t arr = 0;
    while (n >= 2 && !strncmp(ft + n - 2, "[]", 2)) n -= 2, arr++;
    const char *rest = ft;
    size_t rest_len = n;
    if (!is_enum) {
        for (size_t i = 0; renames[i].pg; i++) {
            size_t l = strlen(renames[i].pg);
            if (!strncmp(ft, renames[i].pg, l) && (l == n || ft[l] == '(')) {
                strbuf_puts(&sb, renames[i].sqla);
                rest = ft + l;
                rest_len = n - l;
                break;
            }
        }
    }
    for (size_t i = 0; i < rest_len; i++) {
        char c = rest[i];
        strbuf_putc(&sb, (char)toupper((unsigned char)c));
        /* NUMERIC(10,2) -> NUMERIC(10, 2) */
        if (c == ',' && i + 1 < rest_len && rest[i + 1] != ' ') strbuf_putc(&sb, ' ');
    }
    for (size_t i = 0; i < arr; i++) strbuf_puts(&sb, "[]");
    return sb.data;
}

/* Type-name prefixes in the order the engine spec tries its patterns
 * (PostgreSQL's own first, then the base spec's). */
static const struct {
    const char *prefix;
    int generic;
} type_patterns[] = {
    {"double precision", 0}, {"array", 1}, {"json", 1}, {"enum", 1}, {"string", 1}, {"nchar", 1},
    {"nvarchar", 1}, {"ntext", 1}, {"char", 1}, {"varchar", 1}, {"tinytext", 1}, {"mediumtext", 1},
    {"longtext", 1}, {"text", 1}, {"smallint", 0}, {"int", 0}, {"bigint", 0}, {"long", 0}, {"decimal", 0},
    {"numeric", 0}, {"float", 0}, {"double", 0}, {"real", 0}, {"smallserial", 0}, {"serial", 0},
    {"bigserial", 0}, {"money", 0}, {"timestamp", 2}, {"datetime", 2}, {"date", 2}, {"time", 2},
    {"interval", 2}, {"bool", 3}, {NULL, 0},
};

int pg_introspect_generic_type(const char *t) {
    for (size_t i = 0; t && type_patterns[i].prefix; i++)
        if (!strncasecmp(t, type_patterns[i].prefix, strlen(type_patterns[i].prefix))) return type_patterns[i].generic;
    return -1;
}

bool pg_introspect_is_temporal(const char *t) { return pg_introspect_generic_type(t) == 2; }

json_t *pg_introspect_schemas(pg_pool_t *p, arena_t *a, pg_error_t *err) {
    pg_result_t *r = pg_query(p, a, err, "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg_%'"
                                         " ORDER BY nspname", 0, NULL);
    if (!r) return NULL;
    json_t *out = json_array();
    for (int i = 0; i < pg_nrows(r); i++) json_array_append_new(out, json_string(pg_get(r, i, 0)));
    return out;
}

json_t *pg_introspect_relations(pg_pool_t *p, arena_t *a, const char *schema, pg_error_t *err) {
    const char *params[] = {schema};
    pg_result_t *r = pg_query(p, a, err,
                              "SELECT c.relname, CASE WHEN c.relkind IN ('v', 'm') THEN 'view' ELSE 'table' END"
                              " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                              " WHERE n.nspname = coalesce($1::text, current_schema())"
                              " AND c.relkind IN ('r', 'p', 'f', 'v', 'm') ORDER BY c.relname", 1, params);
    if (!r) return NULL;
    json_t *out = json_array();
    for (int i = 0; i < pg_nrows(r); i++)
        json_array_append_new(out, json_pack("{s:s,s:s}", "name", pg_get(r, i, 0), "kind", pg_get(r, i, 1)));
    return out;
}

#define REL_SQL                                                                                                   \
    " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = coalesce($1::text,"        \
    " current_schema()) AND c.relname = $2 AND c.relkind IN ('r', 'p', 'f', 'v', 'm')"

json_t *pg_introspect_columns(pg_pool_t *p, arena_t *a, const char *schema, const char *table, bool *exists,
                              pg_error_t *err) {
    const char *params[] = {schema, table};
    pg_result_t *r = pg_query(p, a, err, "SELECT count(*)" REL_SQL, 2, params);
    if (!r) return NULL;
    *exists = pg_get_int(r, 0, 0, 0) > 0;
    json_t *out = json_array();
    if (!*exists) return out;
    r = pg_query(p, a, err,
                 "SELECT a.attname, format_type(a.atttypid, a.atttypmod), col_description(c.oid, a.attnum),"
                 " t.typtype = 'e', NOT a.attnotnull, pg_get_expr(d.adbin, d.adrelid)"
                 " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
                 " JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid"
                 " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
                 " WHERE n.nspname = coalesce($1::text, current_schema()) AND c.relname = $2"
                 " AND c.relkind IN ('r', 'p', 'f', 'v', 'm') AND a.attnum > 0 AND NOT a.attisdropped"
                 " ORDER BY a.attnum", 2, params);
    if (!r) {
        json_decref(out);
        return NULL;
    }
    for (int i = 0; i < pg_nrows(r); i++) {
        const char *type = pg_introspect_type_name(a, pg_get(r, i, 1), pg_get_bool(r, i, 3, false));
        const char *comment = pg_get(r, i, 2), *dflt = pg_get(r, i, 5);
        json_array_append_new(out, json_pack("{s:s,s:s,s:b,s:s?,s:b,s:s?}", "column_name", pg_get(r, i, 0), "type",
                                             type, "is_dttm", pg_introspect_is_temporal(type), "comment", comment,
                                             "nullable", pg_get_bool(r, i, 4, true), "default", dflt));
    }
    return out;
}

json_t *pg_introspect_keys(pg_pool_t *p, arena_t *a, const char *schema, const char *table, pg_error_t *err) {
    const char *params[] = {schema, table};
    pg_result_t *r = pg_query(
        p, a, err,
        "SELECT (SELECT json_build_object('constrained_columns', coalesce((SELECT json_agg(att.attname ORDER BY"
        " k.ord) FROM unnest(con.conkey) WITH ORDINALITY k(num, ord) JOIN pg_attribute att ON att.attrelid = c.oid"
        " AND att.attnum = k.num), '[]'::json), 'name', con.conname) FROM pg_constraint con WHERE con.conrelid = c.oid"
        " AND con.contype = 'p'),"
        " coalesce((SELECT json_agg(json_build_object('name', con.conname, 'constrained_columns', (SELECT"
        " json_agg(att.attname ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY k(num, ord) JOIN pg_attribute"
        " att ON att.attrelid = c.oid AND att.attnum = k.num), 'referred_schema', CASE WHEN rn.nspname ="
        " current_schema() THEN NULL ELSE rn.nspname END, 'referred_table', rc.relname, 'referred_columns', (SELECT"
        " json_agg(att.attname ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY k(num, ord) JOIN"
        " pg_attribute att ON att.attrelid = con.confrelid AND att.attnum = k.num), 'options', '{}'::json,"
        " 'comment', NULL, 'type', 'fk') ORDER BY con.conname) FROM pg_constraint con JOIN pg_class rc ON rc.oid ="
        " con.confrelid JOIN pg_namespace rn ON rn.oid = rc.relnamespace WHERE con.conrelid = c.oid AND"
        " con.contype = 'f'), '[]'::json),"
        " coalesce((SELECT json_agg(json_build_object('name', ic.relname, 'unique', i.indisunique, 'column_names',"
        " (SELECT json_agg(att.attname ORDER BY k.ord) FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(num, ord)"
        " JOIN pg_attribute att ON att.attrelid = c.oid AND att.attnum = k.num), 'type', 'index')"
        " ORDER BY ic.relname) FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid WHERE i.indrelid = c.oid"
        " AND NOT i.indisprimary), '[]'::json),"
        " obj_description(c.oid, 'pg_class')" REL_SQL,
        2, params);
    if (!r) return NULL;
    json_t *out = json_object();
    if (!pg_nrows(r)) return out;
    const char *pk = pg_get(r, 0, 0);
    json_t *pkj = pk ? json_loads(pk, 0, NULL) : NULL;
    if (pkj) json_object_set_new(pkj, "type", json_string("pk"));
    json_object_set_new(out, "primaryKey", pkj ? pkj : json_pack("{s:[],s:n,s:s}", "constrained_columns", "name",
                                                                  "type", "pk"));
    json_t *fk = json_loads(pg_get(r, 0, 1), 0, NULL);
    json_object_set_new(out, "foreignKeys", fk ? fk : json_array());
    json_t *ix = json_loads(pg_get(r, 0, 2), 0, NULL);
    json_object_set_new(out, "indexes", ix ? ix : json_array());
    const char *comment = pg_get(r, 0, 3);
    json_object_set_new(out, "comment", comment ? json_string(comment) : json_null());
    return out;
}

const char *pg_introspect_default_schema(pg_pool_t *p, arena_t *a, pg_error_t *err) {
    pg_result_t *r = pg_query(p, a, err, "SELECT current_schema()", 0, NULL);
    return r ? pg_get(r, 0, 0) : NULL;
}
