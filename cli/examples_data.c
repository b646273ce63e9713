/* CSV to table loading for the example datasets; see examples_data.h. */
#include "cli/examples_data.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "lib/strbuf.h"

#define MAX_DATA_BYTES (512u * 1024u * 1024u)

/* Declared dataset column types -> PostgreSQL types (Superset's type_map). */
static const struct {
    const char *declared;
    const char *pg;
} type_map[] = {
    {"BOOLEAN", "boolean"},          {"VARCHAR", "varchar(255)"},    {"STRING", "varchar(255)"},
    {"TEXT", "text"},                {"BIGINT", "bigint"},           {"INTEGER", "integer"},
    {"FLOAT", "double precision"},   {"FLOAT64", "double precision"}, {"DOUBLE PRECISION", "double precision"},
    {"DATE", "date"},                {"DATETIME", "timestamp"},      {"TIMESTAMP WITHOUT TIME ZONE", "timestamp"},
    {"TIMESTAMP WITH TIME ZONE", "timestamptz"},
};

/* The PostgreSQL type for a declared type; NULL when unknown. VARCHAR(n) keeps its size. */
static char *pg_type(const char *declared) {
    for (size_t i = 0; i < sizeof type_map / sizeof type_map[0]; i++)
        if (!strcasecmp(declared, type_map[i].declared)) return strdup(type_map[i].pg);
    unsigned n;
    char close;
    if (sscanf(declared, "VARCHAR(%u%c", &n, &close) == 2 && close == ')' && n > 0 && n < 65536) {
        char buf[32];
        snprintf(buf, sizeof buf, "varchar(%u)", n);
        return strdup(buf);
    }
    return NULL;
}

/* Whole file, gunzipped when it ends in .gz. Heap buffer or NULL. */
static char *read_data(const char *path, size_t *len) {
    gzFile f = gzopen(path, "rb"); /* reads plain files as they are */
    if (!f) return NULL;
    strbuf_t sb;
    strbuf_init(&sb, 1 << 16);
    char buf[1 << 16];
    int n;
    while ((n = gzread(f, buf, sizeof buf)) > 0 && sb.len < MAX_DATA_BYTES) strbuf_append(&sb, buf, (size_t)n);
    bool ok = n >= 0 && sb.len < MAX_DATA_BYTES;
    gzclose(f);
    if (!ok) {
        strbuf_free(&sb);
        return NULL;
    }
    *len = sb.len;
    return sb.data;
}

/* One CSV field starting at *p (RFC 4180 quoting); advances *p past the
 * delimiter. *end_of_row is set at a line end or the end of data. */
static char *csv_field(const char **p, const char *end, bool *end_of_row) {
    strbuf_t sb;
    strbuf_init(&sb, 32);
    const char *s = *p;
    if (s < end && *s == '"') {
        s++;
        while (s < end) {
            if (*s == '"' && s + 1 < end && s[1] == '"') strbuf_putc(&sb, '"'), s += 2;
            else if (*s == '"') {
                s++;
                break;
            } else strbuf_putc(&sb, *s++);
        }
    }
    while (s < end && *s != ',' && *s != '\n' && *s != '\r') strbuf_putc(&sb, *s++);
    *end_of_row = s >= end || *s != ',';
    if (s < end && *s == ',') s++;
    else {
        if (s < end && *s == '\r') s++;
        if (s < end && *s == '\n') s++;
    }
    *p = s;
    return sb.data;
}

typedef struct col_guess {
    bool all_int, all_num, any;
} col_guess_t;

static bool is_int(const char *s) {
    if (*s == '-' || *s == '+') s++;
    if (!*s) return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s)) return false;
    return true;
}

static bool is_num(const char *s) {
    char *end;
    strtod(s, &end);
    return end != s && !*end;
}

/* pandas.read_csv's default missing-value markers. */
static bool is_na(const char *v) {
    static const char *const na[] = {"", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND",
                                     "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null", NULL};
    for (const char *const *n = na; *n; n++)
        if (!strcmp(v, *n)) return true;
    return false;
}

/* "2.0" in an integer column, as pandas' float column converts on insert. */
static void strip_integral_fraction(char *v) {
    char *dot = strchr(v, '.');
    if (!dot || dot == v) return;
    for (const char *z = dot + 1; *z; z++)
        if (*z != '0') return;
    *dot = 0;
    if (!is_int(v)) *dot = '.';
}

static void guess(col_guess_t *g, const char *v) {
    if (is_na(v)) return;
    g->any = true;
    if (!is_int(v)) g->all_int = false;
    if (!is_num(v)) g->all_num = false;
}

/* pandas' inference for undeclared columns: int64 -> BIGINT, float -> FLOAT, else TEXT. */
static const char *guessed_type(const col_guess_t *g) {
    if (g->any && g->all_int) return "bigint";
    if (g->any && g->all_num) return "double precision";
    return "text";
}

static const char *declared_type(const json_t *dataset, const char *column) {
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(dataset, "columns"), i, c) {
        const char *name = json_string_value(json_object_get(c, "column_name"));
        if (name && !strcmp(name, column)) return json_string_value(json_object_get(c, "type"));
    }
    return NULL;
}

static bool exec_ok(PGconn *conn, const char *sql, int n, const char *const *params) {
    PGresult *r = PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    if (!ok) fprintf(stderr, "liteset load-examples: %s", PQerrorMessage(conn));
    PQclear(r);
    return ok;
}

static bool table_exists(PGconn *conn, const char *schema, const char *table, bool *exists) {
    const char *p[] = {schema, table};
    PGresult *r = PQexecParams(conn, "SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2",
                               2, NULL, p, NULL, NULL, 0);
    bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;
    *exists = ok && PQntuples(r) > 0;
    if (!ok) fprintf(stderr, "liteset load-examples: %s", PQerrorMessage(conn));
    PQclear(r);
    return ok;
}

static bool is_integer_type(const char *t) { return !strcmp(t, "bigint") || !strcmp(t, "integer"); }

/* The rows again as CSV for COPY: missing values unquoted (NULL), every
 * other value quoted, integral floats in integer columns made integers. */
static void normalize_rows(const char *p, const char *end, int ncols, char **types, strbuf_t *out) {
    while (p < end) {
        bool row_end = false;
        for (int i = 0; !row_end && p < end; i++) {
            char *v = csv_field(&p, end, &row_end);
            if (i < ncols) {
                if (i) strbuf_putc(out, ',');
                if (!is_na(v)) {
                    if (is_integer_type(types[i])) strip_integral_fraction(v);
                    strbuf_putc(out, '"');
                    for (const char *c = v; *c; c++) {
                        if (*c == '"') strbuf_putc(out, '"');
                        strbuf_putc(out, *c);
                    }
                    strbuf_putc(out, '"');
                }
            }
            free(v);
        }
        strbuf_putc(out, '\n');
    }
}

/* CREATE TABLE from the header and types, then COPY the rows. */
static bool create_and_copy(PGconn *conn, const char *qualified, const json_t *dataset, const char *data, size_t len) {
    const char *p = data, *end = data + len;
    char *cols[1024];
    int ncols = 0;
    bool eor = false;
    while (p < end && !eor && ncols < 1024) cols[ncols++] = csv_field(&p, end, &eor);
    if (!ncols) return false;
    col_guess_t guesses[1024];
    for (int i = 0; i < ncols; i++) guesses[i] = (col_guess_t){true, true, false};
    for (const char *s = p; s < end;) {
        bool row_end = false;
        for (int i = 0; !row_end && s < end; i++) {
            char *v = csv_field(&s, end, &row_end);
            if (i < ncols) guess(&guesses[i], v);
            free(v);
        }
    }
    char *types[1024];
    strbuf_t sql, collist;
    strbuf_init(&sql, 1024);
    strbuf_init(&collist, 512);
    strbuf_printf(&sql, "CREATE TABLE %s (", qualified);
    for (int i = 0; i < ncols; i++) {
        char *ident = PQescapeIdentifier(conn, cols[i], strlen(cols[i]));
        const char *decl = declared_type(dataset, cols[i]);
        types[i] = decl ? pg_type(decl) : NULL;
        if (!types[i]) types[i] = strdup(guessed_type(&guesses[i]));
        strbuf_printf(&sql, "%s%s %s", i ? ", " : "", ident, types[i]);
        strbuf_printf(&collist, "%s%s", i ? ", " : "", ident);
        PQfreemem(ident);
        free(cols[i]);
    }
    strbuf_puts(&sql, ")");
    bool ok = exec_ok(conn, sql.data, 0, NULL);
    strbuf_clear(&sql);
    if (ok) {
        strbuf_t rows;
        strbuf_init(&rows, len + len / 4 + 16);
        normalize_rows(p, end, ncols, types, &rows);
        strbuf_printf(&sql, "COPY %s (%s) FROM STDIN WITH (FORMAT csv)", qualified, collist.data);
        PGresult *r = PQexec(conn, sql.data);
        ok = PQresultStatus(r) == PGRES_COPY_IN;
        PQclear(r);
        if (ok) ok = PQputCopyData(conn, rows.data, (int)rows.len) == 1;
        if (PQputCopyEnd(conn, ok ? NULL : "aborted") != 1) ok = false;
        r = PQgetResult(conn);
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            fprintf(stderr, "liteset load-examples: %s", PQerrorMessage(conn));
            ok = false;
        }
        PQclear(r);
        while ((r = PQgetResult(conn))) PQclear(r);
        strbuf_free(&rows);
    }
    for (int i = 0; i < ncols; i++) free(types[i]);
    strbuf_free(&sql);
    strbuf_free(&collist);
    return ok;
}

bool examples_load_dataset(PGconn *conn, const char *data_root, const json_t *dataset, const char *schema) {
    const char *uri = json_string_value(json_object_get(dataset, "data"));
    const char *table = json_string_value(json_object_get(dataset, "table_name"));
    if (!uri || !table) return true;
    if (strncmp(uri, "examples://", 11) || strstr(uri, "..")) {
        fprintf(stderr, "liteset load-examples: %s: only examples:// data is loaded, skipped\n", table);
        return true;
    }
    bool exists;
    if (!table_exists(conn, schema, table, &exists)) return false;
    if (exists) return true;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", data_root, uri + 11);
    size_t len = 0;
    char *data = read_data(path, &len);
    if (!data) {
        fprintf(stderr, "liteset load-examples: cannot read %s\n", path);
        return false;
    }
    char *qs = PQescapeIdentifier(conn, schema, strlen(schema)), *qt = PQescapeIdentifier(conn, table, strlen(table));
    strbuf_t qualified;
    strbuf_init(&qualified, 128);
    strbuf_printf(&qualified, "%s.%s", qs, qt);
    PQfreemem(qs);
    PQfreemem(qt);
    bool ok = exec_ok(conn, "BEGIN", 0, NULL);
    ok = ok && create_and_copy(conn, qualified.data, dataset, data, len);
    ok = exec_ok(conn, ok ? "COMMIT" : "ROLLBACK", 0, NULL) && ok;
    if (ok) printf("loaded %s into %s\n", uri + 11, qualified.data);
    strbuf_free(&qualified);
    free(data);
    return ok;
}
