/* Upload tables: building the raw table from records (skip rows,
 * header, row limit, column names) and the COPY rendering; see
 * upload_frame.h. The typing lives in upload_infer.c. */
#include "domain/upload_frame.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* ---- raw table ---- */

static const char *header_name(arena_t *m, const raw_record_t *h, size_t j) {
    const raw_cell_t *c = j < h->ncells ? &h->cells[j] : NULL;
    if (c && (c->kind == RAW_TEXT || c->kind == RAW_NUMBER) && c->text && *c->text) return c->text;
    if (c && c->kind == RAW_BOOL) return c->b ? "True" : "False";
    return arena_sprintf(m, "Unnamed: %zu", j);
}

/* Name -> count table for the mangling (open addressing, FNV-1a). */
typedef struct name_counts {
    const char **keys;
    size_t *counts;
    size_t mask;
} name_counts_t;

static size_t name_hash(const char *s) {
    size_t h = 1469598103934665603ULL;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static size_t *name_slot(name_counts_t *t, const char *name) {
    size_t i = name_hash(name) & t->mask;
    while (t->keys[i] && strcmp(t->keys[i], name)) i = (i + 1) & t->mask;
    if (!t->keys[i]) t->keys[i] = name;
    return &t->counts[i];
}

/* pandas' duplicate-name mangling: a, a.1, a.2 (skipping taken names). */
static void dedup_names(arena_t *m, const char **names, size_t n) {
    name_counts_t t;
    size_t cap = 16;
    while (cap < 4 * n) cap *= 2; /* every name and every mangled name fits at under half load */
    t.keys = arena_calloc(m, 1, cap * sizeof *t.keys);
    t.counts = arena_calloc(m, 1, cap * sizeof *t.counts);
    t.mask = cap - 1;
    for (size_t i = 0; i < n; i++) {
        const char *col = names[i];
        size_t cur = *name_slot(&t, col);
        while (cur > 0) {
            *name_slot(&t, col) = cur + 1;
            col = arena_sprintf(m, "%s.%zu", col, cur);
            cur = *name_slot(&t, col);
        }
        names[i] = col;
        *name_slot(&t, col) = cur + 1;
    }
}

int raw_table_build(arena_t *m, const raw_record_t *recs, size_t nrecs, const upload_options_t *o,
                    const raw_rules_t *rules, raw_table_t *out, char *err, size_t errlen) {
    memset(out, 0, sizeof *out);
    if (o->header_row < 0) {
        snprintf(err, errlen, "Parsing error: Passing negative integer to header is invalid. For no header, use"
                              " header=None instead");
        return -1;
    }
    size_t first = o->skip_rows > 0 ? (size_t)o->skip_rows : 0;
    if (first > nrecs) first = nrecs;
    /* the usable records, blank ones dropped unless they are rows */
    const raw_record_t **use = arena_calloc(m, 1, (nrecs - first + 1) * sizeof *use);
    size_t nuse = 0;
    for (size_t i = first; i < nrecs; i++)
        if (recs[i].ncells || rules->blank_as_row) use[nuse++] = &recs[i];
    size_t h = (size_t)o->header_row;
    if (nuse == 0 || (h == 0 && use[0]->ncells == 0)) {
        snprintf(err, errlen, "Parsing error: No columns to parse from file");
        return -1;
    }
    if (h >= nuse) {
        snprintf(err, errlen, "Parsing error: Passed header=%ld but only %zu lines in file", o->header_row, nrecs);
        return -1;
    }
    const raw_record_t *hdr = use[h];
    size_t ncols = hdr->ncells;
    if (!ncols) {
        snprintf(err, errlen, "Parsing error: No columns to parse from file");
        return -1;
    }
    out->ncols = ncols;
    out->names = arena_calloc(m, 1, ncols * sizeof *out->names);
    for (size_t j = 0; j < ncols; j++) out->names[j] = header_name(m, hdr, j);
    dedup_names(m, out->names, ncols);

    size_t avail = nuse - h - 1;
    size_t nrows = o->rows_to_read > 0 && (size_t)o->rows_to_read < avail ? (size_t)o->rows_to_read : avail;
    if (rules->max_cells && ncols && nrows > rules->max_cells / ncols) {
        snprintf(err, errlen, "Parsing error: %zu rows of %zu columns are more cells than Liteset reads from a file"
                              " of this size", nrows, ncols);
        return -1;
    }
    out->cells = arena_calloc(m, 1, (nrows * ncols + 1) * sizeof *out->cells);
    for (size_t r = 0; r < nrows; r++) {
        const raw_record_t *rec = use[h + 1 + r];
        if (rules->check_wide_rows && rec->ncells > ncols) {
            snprintf(err, errlen, "Parsing error: Error tokenizing data. C error: Expected %zu fields in line %zu,"
                                  " saw %zu\n", ncols, rec->line, rec->ncells);
            return -1;
        }
        for (size_t j = 0; j < ncols && j < rec->ncells; j++) out->cells[r * ncols + j] = rec->cells[j];
    }
    out->nrows = nrows;
    return 0;
}

/* ---- frame output ---- */

const char *upload_sqltype_name(upload_sqltype_t t) {
    static const char *const names[] = {
        [SQLT_BIGINT] = "BIGINT",       [SQLT_INTEGER] = "INTEGER",
        [SQLT_DOUBLE] = "DOUBLE PRECISION", [SQLT_REAL] = "REAL",
        [SQLT_BOOLEAN] = "BOOLEAN",     [SQLT_TIMESTAMP] = "TIMESTAMP WITHOUT TIME ZONE",
        [SQLT_TIMESTAMPTZ] = "TIMESTAMP WITH TIME ZONE", [SQLT_TEXT] = "TEXT",
    };
    return names[t];
}

/* COPY text format: backslash, tab, newline and carriage return escaped;
 * writes to out when given, returns the length either way. */
static size_t copy_value(char *out, const char *v) {
    if (!v) {
        if (out) memcpy(out, "\\N", 2);
        return 2;
    }
    size_t n = 0;
    for (const char *p = v; *p; p++) {
        char esc = *p == '\\' ? '\\' : *p == '\t' ? 't' : *p == '\n' ? 'n' : *p == '\r' ? 'r' : 0;
        if (esc) {
            if (out) out[n] = '\\', out[n + 1] = esc;
            n += 2;
        } else {
            if (out) out[n] = *p;
            n++;
        }
    }
    return n;
}

static size_t copy_rows(char *out, const upload_frame_t *f) {
    size_t n = 0;
    for (size_t r = 0; r < f->nrows; r++) {
        for (size_t j = 0; j < f->ncols; j++) {
            if (j) {
                if (out) out[n] = '\t';
                n++;
            }
            n += copy_value(out ? out + n : NULL, f->cols[j].values[r]);
        }
        if (out) out[n] = '\n';
        n++;
    }
    return n;
}

char *upload_frame_copy_text(arena_t *m, const upload_frame_t *f, size_t *len) {
    *len = copy_rows(NULL, f);
    char *out = arena_calloc(m, 1, *len + 1);
    copy_rows(out, f);
    return out;
}
