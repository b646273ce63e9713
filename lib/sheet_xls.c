/* The .xls backend (Excel 97-2003, BIFF in an OLE2 container) on libfreexl.
 * freexl only opens files by path, so the bytes go to a private temporary
 * file that is unlinked as soon as freexl has read it. Cell typing follows
 * pandas' xlrd path: integral numbers INT, others FLOAT, dates and times
 * DATETIME (freexl gives them to the second, a date format's value without
 * its time of day and a time format's without its date). freexl reports
 * booleans and error cells alike as the integers 0/1, so they come out as
 * INT. */
#include <freexl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/sheet_internal.h"

typedef struct {
    const void *handle;
} xls_book;

typedef struct {
    int code;
    const char *text;
} freexl_message;

static const freexl_message MESSAGES[] = {
    {FREEXL_INSUFFICIENT_MEMORY, "out of memory"},
    {FREEXL_INVALID_CFBF_HEADER, "invalid OLE2 header"},
    {FREEXL_CFBF_READ_ERROR, "truncated file"},
    {FREEXL_CFBF_SEEK_ERROR, "truncated file"},
    {FREEXL_CFBF_INVALID_SIGNATURE, "invalid OLE2 signature"},
    {FREEXL_CFBF_INVALID_SECTOR_SIZE, "invalid OLE2 sector size"},
    {FREEXL_CFBF_EMPTY_FAT_CHAIN, "empty OLE2 allocation table"},
    {FREEXL_CFBF_ILLEGAL_FAT_ENTRY, "invalid OLE2 allocation table entry"},
    {FREEXL_BIFF_INVALID_BOF, "invalid BIFF record"},
    {FREEXL_BIFF_INVALID_SST, "invalid shared string table"},
    {FREEXL_BIFF_ILLEGAL_SST_INDEX, "invalid shared string index"},
    {FREEXL_BIFF_WORKBOOK_NOT_FOUND, "no Workbook stream (not an Excel file, or an encrypted one)"},
    {FREEXL_BIFF_ILLEGAL_SHEET_INDEX, "invalid sheet index"},
    {FREEXL_INVALID_CHARACTER, "invalid character"},
    {FREEXL_UNSUPPORTED_CHARSET, "unsupported character set"},
    {FREEXL_ILLEGAL_CELL_ROW_COL, "cell outside the sheet"},
    {FREEXL_ILLEGAL_RK_VALUE, "invalid number record"},
    {FREEXL_INVALID_MINI_STREAM, "invalid OLE2 mini stream"},
    {FREEXL_CFBF_ILLEGAL_MINI_FAT_ENTRY, "invalid OLE2 mini allocation table entry"},
    {FREEXL_CRAFTED_FILE, "corrupted or crafted file"},
};

static const char *message_of(int code) {
    for (size_t k = 0; k < sizeof MESSAGES / sizeof *MESSAGES; k++)
        if (MESSAGES[k].code == code) return MESSAGES[k].text;
    return "unreadable file";
}

static int xls_failure(char *err, size_t errlen, int code) {
    return sheet_fail(err, errlen, "Excel 97-2003 workbook could not be read: %s", message_of(code));
}

static void xls_close(void *impl) {
    xls_book *xb = impl;
    if (!xb) return;
    if (xb->handle) freexl_close(xb->handle);
    free(xb);
}

/* freexl's date, datetime and time text to a timestamp. */
static int date_text(const char *text, sheet_cell *c) {
    if (!text || sheet_iso8601_to_epoch_us(text, &c->epoch_us) != 0) return -1;
    c->type = SHEET_DATETIME;
    return 0;
}

static int convert(arena_t *a, const FreeXL_CellValue *v, sheet_cell *c) {
    *c = (sheet_cell){0};
    switch (v->type) {
    case FREEXL_CELL_INT: *c = (sheet_cell){.type = SHEET_INT, .i = v->value.int_value}; return 0;
    case FREEXL_CELL_DOUBLE: sheet_cell_number(c, v->value.double_value); return 0;
    case FREEXL_CELL_TEXT:
    case FREEXL_CELL_SST_TEXT:
        *c = (sheet_cell){.type = SHEET_STRING, .text = arena_strdup(a, v->value.text_value ? v->value.text_value : "")};
        return 0;
    case FREEXL_CELL_DATE:
    case FREEXL_CELL_DATETIME:
    case FREEXL_CELL_TIME: return date_text(v->value.text_value, c);
    default: return 0; /* FREEXL_CELL_NULL */
    }
}

static int xls_grid(sheet_book *b, size_t i, sheet_grid *out, char *err, size_t errlen) {
    xls_book *xb = b->impl;
    unsigned int rows = 0;
    unsigned short cols = 0;
    int rc = freexl_select_active_worksheet(xb->handle, (unsigned short)i);
    if (rc == FREEXL_OK) rc = freexl_worksheet_dimensions(xb->handle, &rows, &cols);
    if (rc != FREEXL_OK) return xls_failure(err, errlen, rc);
    /* freexl itself refuses sheets whose declared size needs over 256 MiB,
     * which bounds this walk; the cells found are bounded as for .xlsx */
    if (rows > SHEET_MAX_ROWS || cols > SHEET_MAX_COLS)
        return sheet_fail(err, errlen, "Worksheet '%s' spans %u rows by %u columns, more than a sheet can have",
                          b->names[i], rows, (unsigned)cols);
    sheet_entries cells = {0};
    rc = 0;
    for (unsigned r = 0; r < rows && rc == 0; r++) {
        for (unsigned short col = 0; col < cols && rc == 0; col++) {
            FreeXL_CellValue v;
            sheet_cell c;
            int st = freexl_get_cell_value(xb->handle, r, col, &v);
            if (st != FREEXL_OK) rc = xls_failure(err, errlen, st);
            else if (convert(b->arena, &v, &c) != 0)
                rc = sheet_fail(err, errlen, "Worksheet '%s': invalid date in row %u column %u", b->names[i], r + 1,
                                col + 1u);
            else if (c.type != SHEET_EMPTY) rc = sheet_entries_add(&cells, r, col, &c, err, errlen);
        }
    }
    if (rc == 0) rc = sheet_grid_build(b->arena, &cells, out, err, errlen);
    sheet_entries_free(&cells);
    return rc;
}

static const struct sheet_backend XLS_BACKEND = {.format = "xls", .grid = xls_grid, .close = xls_close};

/* Writes the bytes to a new private file; its path goes to path. */
static int write_temp(const void *data, size_t len, char *path, size_t pathlen) {
    const char *dir = getenv("TMPDIR");
    snprintf(path, pathlen, "%s/liteset-xls-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) return -1;
    const char *p = data;
    size_t left = len;
    while (left) {
        ssize_t n = write(fd, p, left);
        if (n <= 0) break;
        p += n, left -= (size_t)n;
    }
    close(fd);
    if (left) unlink(path);
    return left ? -1 : 0;
}

int sheet_xls_open(sheet_book *b, const void *data, size_t len, char *err, size_t errlen) {
    xls_book *xb = xcalloc(1, sizeof *xb);
    b->backend = &XLS_BACKEND;
    b->impl = xb;
    char path[4096];
    if (write_temp(data, len, path, sizeof path) != 0)
        return sheet_fail(err, errlen, "Excel 97-2003 workbook could not be read: no temporary file");
    int rc = freexl_open(path, &xb->handle);
    unlink(path);
    if (rc == FREEXL_OK && !xb->handle) rc = FREEXL_CRAFTED_FILE; /* freexl drops a broken stream this way */
    if (rc != FREEXL_OK) return xls_failure(err, errlen, rc);
    unsigned int count = 0;
    rc = freexl_get_info(xb->handle, FREEXL_BIFF_SHEET_COUNT, &count);
    if (rc != FREEXL_OK) return xls_failure(err, errlen, rc);
    if (count > SHEET_MAX_SHEETS)
        return sheet_fail(err, errlen, "workbook has more than %u sheets", SHEET_MAX_SHEETS);
    b->names = arena_calloc(b->arena, count ? count : 1, sizeof *b->names);
    for (unsigned k = 0; k < count; k++) {
        const char *name = NULL;
        rc = freexl_get_worksheet_name(xb->handle, (unsigned short)k, &name);
        if (rc != FREEXL_OK) return xls_failure(err, errlen, rc);
        b->names[k] = arena_strdup(b->arena, name ? name : "");
    }
    b->count = count;
    return 0;
}
