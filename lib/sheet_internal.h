/* Internals shared by the workbook readers (sheet_reader.c, sheet_xlsx*.c,
 * sheet_xls.c): the book object, the per-format backend, the sparse cell
 * list a sheet parser fills, and the grid built from it. Not for callers
 * outside lib/sheet_*. */
#ifndef LITESET_SHEET_INTERNAL_H
#define LITESET_SHEET_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/arena.h"
#include "lib/sheet_reader.h"

struct sheet_backend {
    const char *format;
    /* Parses sheet i into out (memory from b->arena). 0 or -1 with err set. */
    int (*grid)(sheet_book *b, size_t i, sheet_grid *out, char *err, size_t errlen);
    void (*close)(void *impl);
};

struct sheet_book {
    arena_t *arena;                       /* names, strings and grids */
    const struct sheet_backend *backend;
    void *impl;                           /* the backend's state, released by backend->close */
    size_t count;
    const char **names;
    sheet_grid *grids;
    bool *parsed;
};

/* Backends: fill b->impl, b->backend, b->count and b->names. */
int sheet_xlsx_open(sheet_book *b, const void *data, size_t len, char *err, size_t errlen);
int sheet_xls_open(sheet_book *b, const void *data, size_t len, char *err, size_t errlen);

/* snprintf into err (errlen may be 0), cut at a UTF-8 character boundary
 * when it does not fit. Always returns -1. */
int sheet_fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Drops a UTF-8 sequence cut short at the end of s. */
void sheet_utf8_trim(char *s);
/* At most 40 bytes of s for a message, ending on a character boundary. */
#define SHEET_CLIP_SIZE 44
const char *sheet_clip(const char *s, char out[SHEET_CLIP_SIZE]);

/* The cells a sheet parser found, in document order (0-based row/col). */
typedef struct {
    uint32_t row, col;
    sheet_cell cell;
} sheet_entry;

typedef struct {
    sheet_entry *v;
    size_t len, cap;
} sheet_entries;

/* Appends a cell; -1 with err set beyond SHEET_MAX_CELLS. */
int sheet_entries_add(sheet_entries *e, uint32_t row, uint32_t col, const sheet_cell *c, char *err, size_t errlen);
void sheet_entries_free(sheet_entries *e);

/* Lays the cells out from A1 to the last row and column holding a value
 * (an empty string is no value, as pandas trims it); a later cell at the
 * same place wins. -1 with err set when the grid is over SHEET_MAX_CELLS. */
int sheet_grid_build(arena_t *a, const sheet_entries *e, sheet_grid *out, char *err, size_t errlen);

/* A number as pandas hands it over: INT when integral (and within long
 * long), else FLOAT. */
void sheet_cell_number(sheet_cell *c, double v);

/* Strict decimal number text ([+-]digits[.digits][(e|E)[+-]digits], blanks
 * around allowed). Sets *is_int when it is a plain integer fitting long
 * long (value in *ll). 0 or -1. */
int sheet_parse_number(const char *s, double *d, long long *ll, bool *is_int);

#endif
