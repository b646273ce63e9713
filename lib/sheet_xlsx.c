/* The .xlsx backend: opens the archive (libzip, on our own copy of the
 * bytes) and streams its XML parts through libexpat for the part parsers,
 * with bounded sizes and depth and no DTDs. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/sheet_xlsx.h"

#define CHUNK 65536

static const char *const TAG_NAMES[] = {
    [X_TYPES] = "Types",       [X_DEFAULT] = "Default",     [X_OVERRIDE] = "Override",
    [X_RELATIONSHIP] = "Relationship",
    [X_WORKBOOKPR] = "workbookPr", [X_SHEETS] = "sheets",   [X_SHEET] = "sheet",
    [X_NUMFMTS] = "numFmts",   [X_NUMFMT] = "numFmt",       [X_CELLXFS] = "cellXfs", [X_XF] = "xf",
    [X_SI] = "si",             [X_T] = "t",                 [X_R] = "r",
    [X_SHEETDATA] = "sheetData", [X_ROW] = "row",           [X_C] = "c", [X_V] = "v", [X_IS] = "is",
};

static const char *local_name(const char *name) {
    const char *bar = strrchr(name, '|');
    return bar ? bar + 1 : name;
}

static xlsx_tag tag_of(const char *name) {
    const char *local = local_name(name);
    for (size_t k = 1; k < sizeof TAG_NAMES / sizeof *TAG_NAMES; k++)
        if (TAG_NAMES[k] && !strcmp(TAG_NAMES[k], local)) return (xlsx_tag)k;
    return X_OTHER;
}

xlsx_tag xlsx_up(const xlsx_xml *x, unsigned n) {
    return n < x->depth ? (xlsx_tag)x->tags[x->depth - n] : X_OTHER;
}

void xlsx_xml_fail(xlsx_xml *x, const char *fmt, ...) {
    if (x->failed) return;
    x->failed = true;
    if (x->err && x->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(x->err, x->errlen, fmt, ap);
        va_end(ap);
        sheet_utf8_trim(x->err);
    }
    XML_StopParser(x->parser, XML_FALSE);
}

const char *xlsx_attr(const char **attrs, const char *local, bool ns) {
    for (size_t k = 0; attrs && attrs[k]; k += 2) {
        const char *bar = strrchr(attrs[k], '|');
        if (ns ? bar && !strcmp(bar + 1, local) : !bar && !strcmp(attrs[k], local)) return attrs[k + 1];
    }
    return NULL;
}

static void on_start(void *ud, const XML_Char *name, const XML_Char **attrs) {
    xlsx_xml *x = ud;
    if (x->failed) return;
    if (x->depth >= SHEET_MAX_XML_DEPTH) {
        xlsx_xml_fail(x, "XML elements nested deeper than %u levels", SHEET_MAX_XML_DEPTH);
        return;
    }
    x->tags[++x->depth] = (unsigned char)tag_of(name);
    if (x->start) x->start(x, (xlsx_tag)x->tags[x->depth], attrs);
}

static void on_end(void *ud, const XML_Char *name) {
    (void)name;
    xlsx_xml *x = ud;
    if (x->failed || !x->depth) return;
    if (x->end) x->end(x, (xlsx_tag)x->tags[x->depth]);
    x->depth--;
}

static void on_text(void *ud, const XML_Char *s, int len) {
    xlsx_xml *x = ud;
    if (x->failed || !x->capture) return;
    if (x->capture->len + (size_t)len > x->capture_max) {
        xlsx_xml_fail(x, "text longer than %zu bytes", x->capture_max);
        return;
    }
    strbuf_append(x->capture, s, (size_t)len);
}

static void on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid,
                       int has_internal_subset) {
    (void)name, (void)sysid, (void)pubid, (void)has_internal_subset;
    xlsx_xml_fail(ud, "document type declarations are not allowed");
}

bool xlsx_has_part(const xlsx_book *xb, const char *name) { return zip_name_locate(xb->zip, name, 0) >= 0; }

/* Feeds the member to the parser chunk by chunk; 0 or -1 with err set. */
static int feed(zip_file_t *f, const char *name, xlsx_xml *x, char *err, size_t errlen) {
    size_t total = 0;
    for (;;) {
        void *buf = XML_GetBuffer(x->parser, CHUNK);
        if (!buf) return sheet_fail(err, errlen, "out of memory parsing %s", name);
        zip_int64_t got = zip_fread(f, buf, CHUNK);
        if (got < 0) return sheet_fail(err, errlen, "Excel file is corrupt: cannot read %s", name);
        total += (size_t)got;
        if (total > SHEET_MAX_PART_BYTES)
            return sheet_fail(err, errlen, "%s is larger than %u bytes uncompressed", name, SHEET_MAX_PART_BYTES);
        if (XML_ParseBuffer(x->parser, (int)got, got == 0) != XML_STATUS_OK) {
            if (x->failed) return -1;
            return sheet_fail(err, errlen, "%s is not valid XML: %s at line %lu", name,
                              XML_ErrorString(XML_GetErrorCode(x->parser)),
                              (unsigned long)XML_GetCurrentLineNumber(x->parser));
        }
        if (got == 0) return 0;
    }
}

int xlsx_parse_part(xlsx_book *xb, const char *name, xlsx_xml *x, char *err, size_t errlen) {
    zip_int64_t idx = zip_name_locate(xb->zip, name, 0);
    if (idx < 0) return sheet_fail(err, errlen, "Excel file has no part named %s", name);
    zip_file_t *f = zip_fopen_index(xb->zip, (zip_uint64_t)idx, 0);
    if (!f) return sheet_fail(err, errlen, "Excel file is corrupt or encrypted: cannot open %s", name);
    XML_Parser p = XML_ParserCreateNS(NULL, '|');
    if (!p) {
        zip_fclose(f);
        return sheet_fail(err, errlen, "out of memory parsing %s", name);
    }
    x->parser = p;
    x->depth = 0;
    x->failed = false;
    x->err = err;
    x->errlen = errlen;
    if (!x->capture_max) x->capture_max = SHEET_MAX_PART_BYTES;
    XML_SetUserData(p, x);
    XML_SetElementHandler(p, on_start, on_end);
    XML_SetCharacterDataHandler(p, on_text);
    XML_SetStartDoctypeDeclHandler(p, on_doctype);
    XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
    int rc = feed(f, name, x, err, errlen);
    XML_ParserFree(p);
    x->parser = NULL;
    zip_fclose(f);
    return rc;
}

static void xlsx_close(void *impl) {
    xlsx_book *xb = impl;
    if (!xb) return;
    if (xb->zip) zip_discard(xb->zip);
    free(xb->data);
    free(xb);
}

static int xlsx_grid(sheet_book *b, size_t i, sheet_grid *out, char *err, size_t errlen) {
    return xlsx_read_sheet(b, b->impl, i, out, err, errlen);
}

static const struct sheet_backend XLSX_BACKEND = {.format = "xlsx", .grid = xlsx_grid, .close = xlsx_close};

int sheet_xlsx_open(sheet_book *b, const void *data, size_t len, char *err, size_t errlen) {
    xlsx_book *xb = xcalloc(1, sizeof *xb);
    b->backend = &XLSX_BACKEND;
    b->impl = xb;
    xb->data = xmalloc(len ? len : 1);
    memcpy(xb->data, data, len);
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(xb->data, len, 0, &ze);
    if (src) {
        xb->zip = zip_open_from_source(src, ZIP_RDONLY, &ze);
        if (!xb->zip) zip_source_free(src);
    }
    zip_error_fini(&ze);
    if (!xb->zip) return sheet_fail(err, errlen, "File is not a zip file");
    return xlsx_read_workbook(b, xb, err, errlen);
}
