/* Dataset columns and metrics writes; see dataset_children.h. */
#include "fcgi/api/dataset_children.h"

#include "lib/json.h"
#include "lib/strbuf.h"

typedef struct child_col {
    const char *name;
    const char *cast;      /* SQL type of the value read from the item */
    const char *dflt;      /* value when the key is absent */
    bool raw_json;         /* the JSON value itself (jsonb column) */
} child_col_t;

static const child_col_t column_cols[] = {
    {"column_name", "text", "NULL", false},
    {"type", "text", "NULL", false},
    {"advanced_data_type", "text", "NULL", false},
    {"verbose_name", "text", "NULL", false},
    {"description", "text", "NULL", false},
    {"expression", "text", "NULL", false},
    {"extra", "text", "NULL", false},
    {"filterable", "boolean", "true", false},
    {"groupby", "boolean", "true", false},
    {"is_active", "boolean", "true", false},
    {"is_dttm", "boolean", "false", false},
    {"python_date_format", "text", "NULL", false},
    {"uuid", "uuid", "gen_random_uuid()", false},
    {NULL, NULL, NULL, false},
};

static const child_col_t metric_cols[] = {
    {"metric_name", "text", "NULL", false},
    {"expression", "text", "NULL", false},
    {"description", "text", "NULL", false},
    {"extra", "text", "NULL", false},
    {"metric_type", "text", "NULL", false},
    {"d3format", "text", "NULL", false},
    {"currency", "jsonb", "NULL", true},
    {"verbose_name", "text", "NULL", false},
    {"warning_text", "text", "NULL", false},
    {"uuid", "uuid", "gen_random_uuid()", false},
    {NULL, NULL, NULL, false},
};

typedef struct child_table {
    const char *table, *seq;
    const child_col_t *cols;
} child_table_t;

static const child_table_t tables[] = {
    [DS_COLUMNS] = {"table_columns", "table_columns_id_seq", column_cols},
    [DS_METRICS] = {"sql_metrics", "sql_metrics_id_seq", metric_cols},
};

/* The item's value of col as SQL (x is the jsonb item). */
static void value_sql(strbuf_t *sb, const child_col_t *col, const char *otherwise) {
    if (col->raw_json) strbuf_printf(sb, "CASE WHEN x ? '%s' THEN x->'%s' ELSE %s END", col->name, col->name, otherwise);
    else strbuf_printf(sb, "CASE WHEN x ? '%s' THEN (x->>'%s')::%s ELSE %s END", col->name, col->name, col->cast,
                       otherwise);
}

bool dataset_children_write(arena_t *a, pg_conn_t *c, ds_child_t which, int64_t table_id, int64_t user_id,
                            const json_t *items, bool override, pg_error_t *err) {
    const child_table_t *t = &tables[which];
    const char *p[] = {arena_sprintf(a, "%lld", (long long)table_id), json_dump_arena(a, items, JSON_COMPACT, NULL),
                       arena_sprintf(a, "%lld", (long long)user_id)};
    /* 1. delete: everything when overriding, else the stored rows the list does not name */
    const char *del = override ? arena_sprintf(a, "DELETE FROM %s WHERE table_id = $1::int", t->table)
                               : arena_sprintf(a, "DELETE FROM %s WHERE table_id = $1::int AND id NOT IN (SELECT"
                                                  " (x->>'id')::int FROM jsonb_array_elements($2::jsonb) x"
                                                  " WHERE x ? 'id')", t->table);
    if (!pg_conn_query(c, a, err, del, override ? 1 : 2, p)) return false;
    /* 2. update the rows named by id, only the keys given */
    if (!override) {
        strbuf_t sb;
        strbuf_init_arena(&sb, a, 1024);
        strbuf_printf(&sb, "UPDATE %s c SET ", t->table);
        for (const child_col_t *col = t->cols; col->name; col++) {
            strbuf_printf(&sb, "%s%s = ", col == t->cols ? "" : ", ", col->name);
            value_sql(&sb, col, arena_sprintf(a, "c.%s", col->name));
        }
        strbuf_puts(&sb, " FROM jsonb_array_elements($2::jsonb) x WHERE x ? 'id' AND c.id = (x->>'id')::int"
                         " AND c.table_id = $1::int");
        if (!pg_conn_query(c, a, err, sb.data, 2, p)) return false;
    }
    /* 3. insert the rows without an id (all of them when overriding, keeping given ids) */
    strbuf_t cols, vals;
    strbuf_init_arena(&cols, a, 512);
    strbuf_init_arena(&vals, a, 1024);
    strbuf_puts(&cols, "id, table_id, created_on, changed_on, created_by_fk, changed_by_fk");
    strbuf_printf(&vals, "CASE WHEN x ? 'id' THEN (x->>'id')::int ELSE nextval('%s') END, $1::int, localtimestamp,"
                         " localtimestamp, $3::int, $3::int", t->seq);
    for (const child_col_t *col = t->cols; col->name; col++) {
        strbuf_printf(&cols, ", %s", col->name);
        strbuf_puts(&vals, ", ");
        value_sql(&vals, col, col->dflt);
    }
    const char *ins = arena_sprintf(a, "INSERT INTO %s (%s) SELECT %s FROM jsonb_array_elements($2::jsonb) x%s",
                                    t->table, cols.data, vals.data, override ? "" : " WHERE NOT x ? 'id'");
    return pg_conn_query(c, a, err, ins, 3, p) != NULL;
}
