/* Upload table writes on the target database; see upload_table.h. */
#include "domain/upload_table.h"

#include <string.h>

#include "lib/crypto.h"
#include "lib/strbuf.h"

#define PG_MAX_IDENTIFIER 63
#define TABLE_EXISTS_MESSAGE                                                                                     \
    "Table already exists. You can change your 'if table already exists' strategy to append or replace or provide" \
    " a different Table Name to use."

bool upload_if_exists_parse(const char *s, upload_if_exists_t *out) {
    static const char *const names[] = {[UPLOAD_IF_FAIL] = "fail", [UPLOAD_IF_REPLACE] = "replace",
                                        [UPLOAD_IF_APPEND] = "append"};
    for (int i = 0; i < 3; i++)
        if (s && !strcmp(s, names[i])) return *out = (upload_if_exists_t)i, true;
    return false;
}

static void put_ident(strbuf_t *sb, const char *name) {
    strbuf_putc(sb, '"');
    for (const char *p = name; *p; p++) {
        if (*p == '"') strbuf_putc(sb, '"');
        strbuf_putc(sb, *p);
    }
    strbuf_putc(sb, '"');
}

static void put_table(strbuf_t *sb, const char *schema, const char *table) {
    if (schema) {
        put_ident(sb, schema);
        strbuf_putc(sb, '.');
    }
    put_ident(sb, table);
}

const char *upload_index_name(arena_t *a, const char *schema, const char *table, const char *label) {
    strbuf_t sb;
    strbuf_init_arena(&sb, a, 64);
    strbuf_puts(&sb, "ix_");
    for (const char *p = schema; p && *p; p++) strbuf_putc(&sb, *p == '.' ? '_' : *p);
    if (schema) strbuf_putc(&sb, '_');
    strbuf_printf(&sb, "%s_%s", table, label);
    if (sb.len <= PG_MAX_IDENTIFIER) return sb.data;
    unsigned char md[CRYPTO_MAX_DIGEST];
    crypto_digest(CRYPTO_MD5, sb.data, sb.len, md);
    static const char hex[] = "0123456789abcdef";
    char tail[5] = {hex[md[14] >> 4], hex[md[14] & 15], hex[md[15] >> 4], hex[md[15] & 15], 0};
    return arena_sprintf(a, "%.*s_%s", PG_MAX_IDENTIFIER - 8, sb.data, tail);
}

/* SQLAlchemy's has_table: a table, view, materialized or foreign table. */
static int table_exists(pg_conn_t *c, arena_t *a, const char *schema, const char *table, pg_error_t *err) {
    const char *p[] = {schema, table};
    pg_result_t *r = pg_conn_query(
        c, a, err,
        "SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE"
        " c.relname = $2 AND c.relkind IN ('r', 'p', 'f', 'v', 'm') AND CASE WHEN $1::text IS NULL THEN"
        " pg_catalog.pg_table_is_visible(c.oid) AND n.nspname <> 'pg_catalog' ELSE n.nspname = $1 END",
        2, p);
    return r ? pg_nrows(r) > 0 : -1;
}

static const char *create_sql(arena_t *a, const char *schema, const char *table, const upload_frame_t *f) {
    strbuf_t sb;
    strbuf_init_arena(&sb, a, 256);
    strbuf_puts(&sb, "CREATE TABLE ");
    put_table(&sb, schema, table);
    strbuf_puts(&sb, " (");
    for (size_t j = 0; j < f->ncols; j++) {
        if (j) strbuf_puts(&sb, ", ");
        put_ident(&sb, f->cols[j].name);
        strbuf_printf(&sb, " %s", upload_sqltype_name(f->cols[j].type));
    }
    strbuf_putc(&sb, ')');
    return sb.data;
}

static const char *index_sql(arena_t *a, const char *schema, const char *table, const char *label) {
    strbuf_t sb;
    strbuf_init_arena(&sb, a, 128);
    strbuf_puts(&sb, "CREATE INDEX ");
    put_ident(&sb, upload_index_name(a, schema, table, label));
    strbuf_puts(&sb, " ON ");
    put_table(&sb, schema, table);
    strbuf_puts(&sb, " (");
    put_ident(&sb, label);
    strbuf_putc(&sb, ')');
    return sb.data;
}

static const char *drop_sql(arena_t *a, const char *schema, const char *table) {
    strbuf_t sb;
    strbuf_init_arena(&sb, a, 64);
    strbuf_puts(&sb, "DROP TABLE ");
    put_table(&sb, schema, table);
    return sb.data;
}

static const char *copy_sql(arena_t *a, const char *schema, const char *table, const upload_frame_t *f) {
    strbuf_t sb;
    strbuf_init_arena(&sb, a, 128);
    strbuf_puts(&sb, "COPY ");
    put_table(&sb, schema, table);
    strbuf_puts(&sb, " (");
    for (size_t j = 0; j < f->ncols; j++) {
        if (j) strbuf_puts(&sb, ", ");
        put_ident(&sb, f->cols[j].name);
    }
    strbuf_puts(&sb, ") FROM STDIN");
    return sb.data;
}

/* The server's message without libpq's severity prefix and detail lines. */
static const char *server_message(arena_t *a, const char *m) {
    if (!m) return NULL;
    if (!strncmp(m, "ERROR:  ", 8)) m += 8;
    return arena_strndup(a, m, strcspn(m, "\n"));
}

/* The steps inside the transaction; false with *msg. */
static bool write_steps(pg_conn_t *c, arena_t *a, const char *schema, const char *table, const upload_frame_t *f,
                        const char *copy, size_t copy_len, upload_if_exists_t mode, const char **msg) {
    pg_error_t err = {0};
    int exists = table_exists(c, a, schema, table, &err);
    if (exists < 0) return *msg = server_message(a, err.message), false;
    if (exists && mode == UPLOAD_IF_FAIL) return *msg = TABLE_EXISTS_MESSAGE, false;
    bool create = !exists || mode == UPLOAD_IF_REPLACE;
    bool ok = (!exists || mode != UPLOAD_IF_REPLACE || pg_conn_query(c, a, &err, drop_sql(a, schema, table), 0, NULL)) &&
              (!create || pg_conn_query(c, a, &err, create_sql(a, schema, table, f), 0, NULL)) &&
              (!create || !f->has_index ||
               pg_conn_query(c, a, &err, index_sql(a, schema, table, f->cols[0].name), 0, NULL)) &&
              (!f->nrows || pg_conn_copy_in(c, a, &err, copy_sql(a, schema, table, f), copy, copy_len));
    if (!ok) *msg = server_message(a, err.message);
    return ok;
}

int upload_table_write(pg_pool_t *pool, arena_t *a, const char *schema, const char *table, const upload_frame_t *f,
                       const char *copy, size_t copy_len, upload_if_exists_t mode, const char **msg) {
    pg_error_t err = {0};
    pg_conn_t *c = pg_acquire(pool, a, &err);
    if (!c) return *msg = server_message(a, err.message), -1;
    bool ok = pg_begin(c, a, &err);
    if (!ok) *msg = server_message(a, err.message);
    ok = ok && write_steps(c, a, schema, table, f, copy, copy_len, mode, msg);
    if (ok && !pg_commit(c, a, &err)) ok = false, *msg = server_message(a, err.message);
    pg_release(c); /* rolls back an unfinished transaction */
    return ok ? 0 : -1;
}
