/* Internals of the .xlsx reader: the open archive and what the workbook
 * level parts say (sheet parts, shared strings, date styles, date system),
 * and the streaming XML driver the part parsers run on (libexpat, element
 * names reduced to known tags, a bounded element stack, no recursion). */
#ifndef LITESET_SHEET_XLSX_H
#define LITESET_SHEET_XLSX_H

#include <expat.h>
#include <stdbool.h>
#include <stddef.h>
#include <zip.h>

#include "lib/sheet_internal.h"
#include "lib/strbuf.h"

enum { XF_DATE = 1, XF_ELAPSED = 2 }; /* what a cell style's number format shows */

typedef struct {
    unsigned char *data; /* our copy of the archive bytes */
    zip_t *zip;
    bool date1904;
    const char **sst;    /* shared strings (book arena) */
    size_t nsst;
    unsigned char *date_xf; /* per cellXfs index: XF_DATE, XF_ELAPSED or 0 */
    size_t nxf;
    const char **paths;  /* per sheet: archive member of its part */
    bool *chartsheet;    /* per sheet: a chart sheet, which has no cells */
} xlsx_book;

/* Element local names the parsers care about; anything else is X_OTHER. */
typedef enum {
    X_OTHER,
    X_C, X_V, X_ROW, X_IS, X_SHEETDATA,       /* worksheet (the most frequent first: names are tried in order) */
    X_SI, X_T, X_R,                           /* strings (shared and inline) */
    X_TYPES, X_DEFAULT, X_OVERRIDE,           /* [Content_Types].xml */
    X_RELATIONSHIP,                           /* *.rels */
    X_WORKBOOKPR, X_SHEETS, X_SHEET,          /* workbook */
    X_NUMFMTS, X_NUMFMT, X_CELLXFS, X_XF,     /* styles */
} xlsx_tag;

typedef struct xlsx_xml xlsx_xml;
struct xlsx_xml {
    XML_Parser parser;
    void *ud;
    void (*start)(xlsx_xml *x, xlsx_tag tag, const char **attrs);
    void (*end)(xlsx_xml *x, xlsx_tag tag);
    strbuf_t *capture;                             /* character data goes here while set */
    size_t capture_max;                            /* refuse text longer than this */
    unsigned depth;                                /* the current element is tags[depth] (root: 1) */
    unsigned char tags[SHEET_MAX_XML_DEPTH + 2];
    bool failed;
    char *err;
    size_t errlen;
};

/* Tag of the element n levels above the current one (0: itself). */
xlsx_tag xlsx_up(const xlsx_xml *x, unsigned n);
/* Stops the parse with a message; the handlers return normally after it. */
void xlsx_xml_fail(xlsx_xml *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* An attribute's value: an unprefixed one named local, or (ns true) one in
 * any namespace whose local name is local. NULL when absent. */
const char *xlsx_attr(const char **attrs, const char *local, bool ns);

/* True when the archive holds a member with exactly this name. */
bool xlsx_has_part(const xlsx_book *xb, const char *name);
/* Streams the archive member through expat into x's handlers. 0 on success,
 * -1 with err set (missing member, oversize, bad XML, handler failure). */
int xlsx_parse_part(xlsx_book *xb, const char *name, xlsx_xml *x, char *err, size_t errlen);

/* Workbook-level parts (sheet_xlsx_parts.c): fills xb and the book's sheet
 * names. */
int xlsx_read_workbook(sheet_book *b, xlsx_book *xb, char *err, size_t errlen);

/* One worksheet's cells (sheet_xlsx_sheet.c). */
int xlsx_read_sheet(sheet_book *b, xlsx_book *xb, size_t i, sheet_grid *out, char *err, size_t errlen);

#endif
