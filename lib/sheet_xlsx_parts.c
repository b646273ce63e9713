/* The workbook-level parts of an .xlsx, found the way openpyxl finds them:
 * [Content_Types].xml names the workbook part and the shared strings, the
 * workbook's .rels maps sheet ids to parts, xl/styles.xml gives each cell
 * style's number format, and the workbook lists the sheets in order with
 * the date system. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/sheet_xlsx.h"

#define MAX_ENTRIES 65536u /* content types, relationships, cell styles */
#define MAX_NUMFMTS 4096u  /* custom number formats (Excel allows a few hundred) */
#define MAX_TEXT 1048576u  /* one name, path or format code */

static const char *const WORKBOOK_TYPES[] = {
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
};
#define SHARED_STRINGS_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"

/* A growable array of string triples (book arena strings, heap arrays). */
typedef struct {
    const char **a, **b, **c;
    size_t len, cap;
} triples;

static int triples_add(xlsx_xml *x, arena_t *ar, triples *t, const char *a, const char *b, const char *c) {
    if (t->len >= MAX_ENTRIES) {
        xlsx_xml_fail(x, "more than %u entries", MAX_ENTRIES);
        return -1;
    }
    if (t->len == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 16;
        t->a = xrealloc(t->a, t->cap * sizeof *t->a);
        t->b = xrealloc(t->b, t->cap * sizeof *t->b);
        t->c = xrealloc(t->c, t->cap * sizeof *t->c);
    }
    t->a[t->len] = a ? arena_strdup(ar, a) : NULL;
    t->b[t->len] = b ? arena_strdup(ar, b) : NULL;
    t->c[t->len] = c ? arena_strdup(ar, c) : NULL;
    t->len++;
    return 0;
}

static void triples_free(triples *t) {
    free(t->a), free(t->b), free(t->c);
    *t = (triples){0};
}

typedef struct {
    arena_t *ar;
    triples defaults;  /* Extension, ContentType */
    triples overrides; /* PartName, ContentType */
} ctypes_state;

static void ctypes_start(xlsx_xml *x, xlsx_tag tag, const char **attrs) {
    ctypes_state *s = x->ud;
    if (xlsx_up(x, 1) != X_TYPES) return;
    const char *ct = xlsx_attr(attrs, "ContentType", false);
    if (tag == X_DEFAULT) triples_add(x, s->ar, &s->defaults, xlsx_attr(attrs, "Extension", false), ct, NULL);
    if (tag == X_OVERRIDE) triples_add(x, s->ar, &s->overrides, xlsx_attr(attrs, "PartName", false), ct, NULL);
}

static const char *override_for(const ctypes_state *s, const char *type) {
    for (size_t k = 0; k < s->overrides.len; k++)
        if (s->overrides.b[k] && s->overrides.a[k] && !strcmp(s->overrides.b[k], type)) return s->overrides.a[k];
    return NULL;
}

static bool default_for(const ctypes_state *s, const char *type) {
    for (size_t k = 0; k < s->defaults.len; k++)
        if (s->defaults.b[k] && !strcmp(s->defaults.b[k], type)) return true;
    return false;
}

/* Archive member name of an OPC part name ("/xl/x.xml" -> "xl/x.xml"). */
static const char *member_of(const char *part) { return part[0] == '/' ? part + 1 : part; }

/* posixpath.normpath of dir + "/" + rel (both relative), in the arena. */
static const char *join_path(arena_t *ar, const char *dir, const char *rel) {
    size_t n = strlen(dir) + strlen(rel) + 2;
    char *joined = arena_alloc(ar, n), *out = arena_alloc(ar, n);
    snprintf(joined, n, "%s%s%s", dir, *dir ? "/" : "", rel);
    const char **segs = arena_calloc(ar, n, sizeof *segs);
    size_t depth = 0;
    for (char *seg = joined; seg;) {
        char *slash = strchr(seg, '/');
        if (slash) *slash = 0;
        if (!strcmp(seg, "..") && depth && strcmp(segs[depth - 1], "..")) depth--;
        else if (*seg && strcmp(seg, ".")) segs[depth++] = seg;
        seg = slash ? slash + 1 : NULL;
    }
    size_t len = 0;
    out[0] = 0;
    for (size_t k = 0; k < depth; k++) len += (size_t)snprintf(out + len, n - len, "%s%s", k ? "/" : "", segs[k]);
    return out;
}

/* The directory part of a member name ("xl/workbook.xml" -> "xl"). */
static const char *dir_of(arena_t *ar, const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? arena_strndup(ar, path, (size_t)(slash - path)) : "";
}

typedef struct {
    arena_t *ar;
    triples *rels; /* Id, Target, Type */
} rels_state;

static void rels_start(xlsx_xml *x, xlsx_tag tag, const char **attrs) {
    rels_state *s = x->ud;
    if (tag != X_RELATIONSHIP || x->depth != 2) return;
    const char *mode = xlsx_attr(attrs, "TargetMode", false);
    if (mode && !strcmp(mode, "External")) return;
    triples_add(x, s->ar, s->rels, xlsx_attr(attrs, "Id", false), xlsx_attr(attrs, "Target", false),
                xlsx_attr(attrs, "Type", false));
}

typedef struct {
    arena_t *ar;
    bool date1904;
    triples sheets; /* name, r:id */
} workbook_state;

/* openpyxl's boolean attributes: any text but "", "false", "f" and "0". */
static bool truthy(const char *v) { return v && *v && strcmp(v, "false") && strcmp(v, "f") && strcmp(v, "0"); }

static void workbook_start(xlsx_xml *x, xlsx_tag tag, const char **attrs) {
    workbook_state *s = x->ud;
    if (tag == X_WORKBOOKPR && x->depth == 2) s->date1904 = truthy(xlsx_attr(attrs, "date1904", false));
    if (tag != X_SHEET || xlsx_up(x, 1) != X_SHEETS) return;
    if (s->sheets.len >= SHEET_MAX_SHEETS) {
        xlsx_xml_fail(x, "workbook has more than %u sheets", SHEET_MAX_SHEETS);
        return;
    }
    const char *name = xlsx_attr(attrs, "name", false);
    if (!name) {
        xlsx_xml_fail(x, "a sheet of the workbook has no name");
        return;
    }
    triples_add(x, s->ar, &s->sheets, name, xlsx_attr(attrs, "id", true), NULL);
}

typedef struct {
    arena_t *ar;
    triples fmts; /* numFmtId, formatCode */
    long *xf_fmt;
    size_t nxf, cap;
} styles_state;

static bool parse_long(const char *s, long *out) {
    double d;
    long long ll;
    bool is_int;
    if (!s || sheet_parse_number(s, &d, &ll, &is_int) != 0 || !is_int || ll < 0 || ll > 0x7fffffff) return false;
    *out = (long)ll;
    return true;
}

static void styles_start(xlsx_xml *x, xlsx_tag tag, const char **attrs) {
    styles_state *s = x->ud;
    if (tag == X_NUMFMT && xlsx_up(x, 1) == X_NUMFMTS) {
        if (s->fmts.len >= MAX_NUMFMTS) {
            xlsx_xml_fail(x, "more than %u number formats", MAX_NUMFMTS);
            return;
        }
        triples_add(x, s->ar, &s->fmts, xlsx_attr(attrs, "numFmtId", false), xlsx_attr(attrs, "formatCode", false),
                    NULL);
    }
    if (tag != X_XF || xlsx_up(x, 1) != X_CELLXFS) return;
    if (s->nxf >= MAX_ENTRIES) {
        xlsx_xml_fail(x, "more than %u cell styles", MAX_ENTRIES);
        return;
    }
    if (s->nxf == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->xf_fmt = xrealloc(s->xf_fmt, s->cap * sizeof *s->xf_fmt);
    }
    long id = 0;
    const char *v = xlsx_attr(attrs, "numFmtId", false);
    if (v && !parse_long(v, &id)) {
        char clip[SHEET_CLIP_SIZE];
        xlsx_xml_fail(x, "invalid numFmtId '%s'", sheet_clip(v, clip));
        return;
    }
    s->xf_fmt[s->nxf++] = id;
}

/* XF_DATE, XF_ELAPSED or 0 for a format code. */
static unsigned char code_kind(const char *code) {
    if (!sheet_numfmt_is_date(code)) return 0;
    return sheet_numfmt_is_elapsed(code) ? XF_ELAPSED : XF_DATE;
}

/* The custom formats' ids (-1: none) and kinds, worked out once. */
typedef struct {
    long *id;
    unsigned char *kind;
    size_t n;
} custom_formats;

static custom_formats custom_of(const styles_state *s) {
    custom_formats c = {xcalloc(s->fmts.len + 1, sizeof *c.id), xcalloc(s->fmts.len + 1, 1), s->fmts.len};
    for (size_t k = 0; k < c.n; k++) {
        if (!s->fmts.a[k] || !parse_long(s->fmts.a[k], &c.id[k])) c.id[k] = -1;
        c.kind[k] = code_kind(s->fmts.b[k]);
    }
    return c;
}

/* A custom format with the id (the last one listed) wins over the built-in one. */
static unsigned char format_kind(const custom_formats *c, long id) {
    for (size_t k = c->n; k-- > 0;)
        if (c->id[k] == id) return c->kind[k];
    if (!sheet_numfmt_builtin_is_date(id)) return 0;
    return id == 46 ? XF_ELAPSED : XF_DATE; /* 46 is "[h]:mm:ss" */
}

typedef struct {
    arena_t *ar;
    strbuf_t text;
    const char **v;
    size_t len, cap;
} sst_state;

static void sst_start(xlsx_xml *x, xlsx_tag tag, const char **attrs) {
    (void)attrs;
    sst_state *s = x->ud;
    if (tag == X_SI && x->depth == 2) strbuf_clear(&s->text);
    bool run_text = xlsx_up(x, 1) == X_R && xlsx_up(x, 2) == X_SI && x->depth == 4;
    if (tag == X_T && ((xlsx_up(x, 1) == X_SI && x->depth == 3) || run_text)) x->capture = &s->text;
}

/* Drops every "x005F_" (openpyxl's handling of escaped underscores). */
static const char *unescape_underscores(arena_t *ar, const char *s, size_t n) {
    char *out = arena_alloc(ar, n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        if (n - i >= 6 && !memcmp(s + i, "x005F_", 6)) {
            i += 6;
            continue;
        }
        out[o++] = s[i++];
    }
    out[o] = 0;
    return out;
}

static void sst_end(xlsx_xml *x, xlsx_tag tag) {
    sst_state *s = x->ud;
    if (tag == X_T) x->capture = NULL;
    if (tag != X_SI || x->depth != 2) return;
    if (s->len >= SHEET_MAX_CELLS) {
        xlsx_xml_fail(x, "more than %u shared strings", SHEET_MAX_CELLS);
        return;
    }
    if (s->len == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->v = xrealloc(s->v, s->cap * sizeof *s->v);
    }
    s->v[s->len++] = unescape_underscores(s->ar, s->text.data, s->text.len);
}

static int read_content_types(xlsx_book *xb, ctypes_state *ct, char *err, size_t errlen) {
    if (!xlsx_has_part(xb, "[Content_Types].xml"))
        return sheet_fail(err, errlen, "File is not a valid Excel workbook: [Content_Types].xml is missing");
    xlsx_xml x = {.ud = ct, .start = ctypes_start};
    return xlsx_parse_part(xb, "[Content_Types].xml", &x, err, errlen);
}

static const char *workbook_part(const ctypes_state *ct) {
    for (size_t k = 0; k < sizeof WORKBOOK_TYPES / sizeof *WORKBOOK_TYPES; k++) {
        const char *p = override_for(ct, WORKBOOK_TYPES[k]);
        if (p) return member_of(p);
    }
    for (size_t k = 0; k < sizeof WORKBOOK_TYPES / sizeof *WORKBOOK_TYPES; k++)
        if (default_for(ct, WORKBOOK_TYPES[k])) return "xl/workbook.xml";
    return NULL;
}

/* The relationships of part, targets resolved to member names. */
static int read_rels(sheet_book *b, xlsx_book *xb, const char *part, triples *rels, char *err, size_t errlen) {
    const char *dir = dir_of(b->arena, part), *base = strrchr(part, '/');
    const char *path = arena_sprintf(b->arena, "%s%s_rels/%s.rels", dir, *dir ? "/" : "", base ? base + 1 : part);
    rels_state s = {.ar = b->arena, .rels = rels};
    xlsx_xml x = {.ud = &s, .start = rels_start};
    if (xlsx_parse_part(xb, path, &x, err, errlen) != 0) return -1;
    for (size_t k = 0; k < rels->len; k++)
        if (rels->b[k])
            rels->b[k] = rels->b[k][0] == '/' ? rels->b[k] + 1 : join_path(b->arena, dir, rels->b[k]);
    return 0;
}

static int read_styles(sheet_book *b, xlsx_book *xb, char *err, size_t errlen) {
    if (!xlsx_has_part(xb, "xl/styles.xml")) return 0;
    styles_state s = {.ar = b->arena};
    xlsx_xml x = {.ud = &s, .start = styles_start, .capture_max = MAX_TEXT};
    int rc = xlsx_parse_part(xb, "xl/styles.xml", &x, err, errlen);
    if (rc == 0) {
        xb->nxf = s.nxf;
        xb->date_xf = arena_calloc(b->arena, s.nxf ? s.nxf : 1, sizeof *xb->date_xf);
        custom_formats c = custom_of(&s);
        for (size_t k = 0; k < s.nxf; k++) xb->date_xf[k] = format_kind(&c, s.xf_fmt[k]);
        free(c.id), free(c.kind);
    }
    triples_free(&s.fmts);
    free(s.xf_fmt);
    return rc;
}

static int read_shared_strings(sheet_book *b, xlsx_book *xb, const ctypes_state *ct, char *err, size_t errlen) {
    const char *part = override_for(ct, SHARED_STRINGS_TYPE);
    if (!part) return 0;
    sst_state s = {.ar = b->arena};
    strbuf_init(&s.text, 256);
    xlsx_xml x = {.ud = &s, .start = sst_start, .end = sst_end};
    int rc = xlsx_parse_part(xb, member_of(part), &x, err, errlen);
    if (rc == 0) {
        xb->nsst = s.len;
        xb->sst = s.len ? arena_memdup(b->arena, s.v, s.len * sizeof *s.v) : NULL;
    }
    strbuf_free(&s.text);
    free(s.v);
    return rc;
}

/* Sheets in workbook order; like openpyxl, a sheet without an id or whose
 * part is absent is left out, and an id the relationships lack is an error. */
static int list_sheets(sheet_book *b, xlsx_book *xb, const triples *sheets, const triples *rels, char *err,
                       size_t errlen) {
    size_t n = sheets->len ? sheets->len : 1;
    b->names = arena_calloc(b->arena, n, sizeof *b->names);
    xb->paths = arena_calloc(b->arena, n, sizeof *xb->paths);
    xb->chartsheet = arena_calloc(b->arena, n, sizeof *xb->chartsheet);
    for (size_t k = 0; k < sheets->len; k++) {
        if (!sheets->b[k]) continue;
        size_t r = 0;
        while (r < rels->len && !(rels->a[r] && !strcmp(rels->a[r], sheets->b[k]))) r++;
        if (r == rels->len)
            return sheet_fail(err, errlen, "Excel file is corrupt: sheet '%s' refers to unknown relationship '%s'",
                              sheets->a[k], sheets->b[k]);
        if (!rels->b[r] || !xlsx_has_part(xb, rels->b[r])) continue;
        b->names[b->count] = sheets->a[k];
        xb->paths[b->count] = rels->b[r];
        xb->chartsheet[b->count] = rels->c[r] && strstr(rels->c[r], "/chartsheet");
        b->count++;
    }
    return 0;
}

int xlsx_read_workbook(sheet_book *b, xlsx_book *xb, char *err, size_t errlen) {
    ctypes_state ct = {.ar = b->arena};
    triples rels = {0};
    workbook_state wb = {.ar = b->arena};
    int rc = read_content_types(xb, &ct, err, errlen);
    const char *part = rc == 0 ? workbook_part(&ct) : NULL;
    if (rc == 0 && !part) rc = sheet_fail(err, errlen, "File contains no valid workbook part");
    if (rc == 0) rc = read_rels(b, xb, part, &rels, err, errlen);
    if (rc == 0) {
        xlsx_xml x = {.ud = &wb, .start = workbook_start, .capture_max = MAX_TEXT};
        rc = xlsx_parse_part(xb, part, &x, err, errlen);
    }
    if (rc == 0) rc = read_styles(b, xb, err, errlen);
    if (rc == 0) rc = read_shared_strings(b, xb, &ct, err, errlen);
    if (rc == 0) rc = list_sheets(b, xb, &wb.sheets, &rels, err, errlen);
    xb->date1904 = wb.date1904;
    triples_free(&ct.defaults);
    triples_free(&ct.overrides);
    triples_free(&rels);
    triples_free(&wb.sheets);
    return rc;
}
