/* The workbook object: recognises the container from its first bytes, hands
 * the work to the .xlsx or .xls backend, and caches each parsed sheet. */
#include <stdlib.h>
#include <string.h>

#include "lib/sheet_internal.h"

typedef struct {
    const char *format;
    const unsigned char *magic;
    size_t magic_len;
    int (*open)(sheet_book *b, const void *data, size_t len, char *err, size_t errlen);
} sheet_format;

static const sheet_format FORMATS[] = {
    {"xlsx", (const unsigned char *)"PK\x03\x04", 4, sheet_xlsx_open},
    {"xlsx", (const unsigned char *)"PK\x05\x06", 4, sheet_xlsx_open}, /* an empty archive */
    {"xls", (const unsigned char *)"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8, sheet_xls_open},
    /* bare BIFF2, BIFF3 and BIFF4 worksheets (the signatures pandas knows) */
    {"xls", (const unsigned char *)"\x09\x00\x04\x00\x07\x00\x10\x00", 8, sheet_xls_open},
    {"xls", (const unsigned char *)"\x09\x02\x06\x00\x00\x00\x10\x00", 8, sheet_xls_open},
    {"xls", (const unsigned char *)"\x09\x04\x06\x00\x00\x00\x10\x00", 8, sheet_xls_open},
};

static const sheet_format *detect(const void *data, size_t len) {
    for (size_t k = 0; k < sizeof FORMATS / sizeof *FORMATS; k++)
        if (data && len >= FORMATS[k].magic_len && !memcmp(data, FORMATS[k].magic, FORMATS[k].magic_len))
            return &FORMATS[k];
    return NULL;
}

const char *sheet_detect_format(const void *data, size_t len) {
    const sheet_format *f = detect(data, len);
    return f ? f->format : NULL;
}

int sheet_book_open(const void *data, size_t len, sheet_book **out, char *err, size_t errlen) {
    *out = NULL;
    const sheet_format *f = detect(data, len);
    if (!f)
        return sheet_fail(err, errlen, "File is not a recognised Excel workbook (neither .xlsx nor .xls)");
    sheet_book *b = xcalloc(1, sizeof *b);
    b->arena = arena_new(0);
    if (f->open(b, data, len, err, errlen) != 0) {
        sheet_book_free(b);
        return -1;
    }
    b->grids = arena_calloc(b->arena, b->count ? b->count : 1, sizeof *b->grids);
    b->parsed = arena_calloc(b->arena, b->count ? b->count : 1, sizeof *b->parsed);
    *out = b;
    return 0;
}

size_t sheet_book_count(const sheet_book *b) { return b ? b->count : 0; }

const char *sheet_book_name(const sheet_book *b, size_t i) { return b && i < b->count ? b->names[i] : NULL; }

const char *sheet_book_format(const sheet_book *b) { return b && b->backend ? b->backend->format : NULL; }

int sheet_book_grid(sheet_book *b, size_t i, const sheet_grid **out, char *err, size_t errlen) {
    *out = NULL;
    if (!b || i >= b->count) return sheet_fail(err, errlen, "Worksheet index %zu does not exist", i);
    if (!b->parsed[i]) {
        if (b->backend->grid(b, i, &b->grids[i], err, errlen) != 0) return -1;
        b->parsed[i] = true;
    }
    *out = &b->grids[i];
    return 0;
}

void sheet_book_free(sheet_book *b) {
    if (!b) return;
    if (b->backend && b->backend->close) b->backend->close(b->impl);
    arena_free(b->arena);
    free(b);
}
