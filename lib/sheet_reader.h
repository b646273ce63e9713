/* Excel workbooks (.xlsx: OOXML zip; .xls: BIFF8 in an OLE2 container) read
 * into typed grids, with the cell typing pandas.read_excel hands to a
 * DataFrame (openpyxl engine): integral numbers are INT, other numbers FLOAT,
 * numbers with a date/time number format DATETIME, and so on.
 *
 * Parsing is CPU work, and .xls goes through a temporary file and a helper
 * process (the running executable started again, see sheet_xls.c) that the
 * caller waits for: call these functions from the offload pool, never on the
 * event loop. A .xls workbook is read whole at
 * open; an .xlsx sheet when its grid is first asked for.
 *
 * Ownership: a sheet_book owns every string and grid it hands out;
 * sheet_book_free releases all. */
#ifndef LITESET_SHEET_READER_H
#define LITESET_SHEET_READER_H

#include <stddef.h>
#include <stdint.h>

typedef enum { SHEET_EMPTY, SHEET_STRING, SHEET_INT, SHEET_FLOAT, SHEET_BOOL, SHEET_DATETIME, SHEET_ERROR } sheet_cell_type;

typedef struct {
    sheet_cell_type type;
    const char *text;   /* STRING: the text (UTF-8); ERROR: the error code such as "#DIV/0!"; else NULL */
    long long i;        /* INT: the value; BOOL: 0 or 1 */
    double f;           /* FLOAT: the value */
    int64_t epoch_us;   /* DATETIME: naive timestamp, microseconds since 1970-01-01T00:00:00 */
} sheet_cell;

typedef struct {
    size_t nrows, ncols;
    const sheet_cell *cells; /* row-major, nrows*ncols */
} sheet_grid;

typedef struct sheet_book sheet_book;

/* Safety limits (inputs beyond them are refused with a message). */
#define SHEET_MAX_ROWS 1048576u          /* Excel's sheet size */
#define SHEET_MAX_COLS 16384u            /* column XFD */
#define SHEET_MAX_CELLS 4000000u         /* cells stored per sheet, and rows*cols of a grid */
#define SHEET_MAX_SHEETS 4096u           /* sheets per workbook */
#define SHEET_MAX_PART_BYTES (512u << 20) /* decompressed size of one XML part */
#define SHEET_MAX_XML_DEPTH 256u         /* element nesting */

/* Detects .xlsx (zip) or .xls (OLE2/BIFF, or bare BIFF2-4) from the bytes.
 * 0 on success; -1 with a message in err. */
int sheet_book_open(const void *data, size_t len, sheet_book **out, char *err, size_t errlen);
size_t sheet_book_count(const sheet_book *b);              /* number of sheets, in workbook order */
const char *sheet_book_name(const sheet_book *b, size_t i);
/* Parses sheet i on first call (cached). 0 on success; -1 with a message in err. */
int sheet_book_grid(sheet_book *b, size_t i, const sheet_grid **out, char *err, size_t errlen);
void sheet_book_free(sheet_book *b);

/* "xlsx" or "xls": the container sheet_book_open recognised. */
const char *sheet_book_format(const sheet_book *b);

/* What sheet_book_open would try for these bytes: "xlsx", "xls" or NULL. */
const char *sheet_detect_format(const void *data, size_t len);

/* Cell typing rules, exposed for tests and for callers that build cells. */

/* True when an Excel number format (the format code) shows a date or time,
 * the way openpyxl decides it: first section only, quoted text and
 * bracketed parts other than [h] [hh] [m] [mm] [s] [ss] ignored, then any of
 * d m h y s (either case) not preceded by '_' or '\'. */
int sheet_numfmt_is_date(const char *format_code);
/* True for the built-in number format ids that are dates or times (14-22, 45-47). */
int sheet_numfmt_builtin_is_date(long id);
/* True when a date format shows elapsed time: its first section holds [h],
 * [hh], [m], [mm], [s] or [ss] (either case), as openpyxl's timedelta test;
 * built-in 46 ("[h]:mm:ss") is one. The reference reads such cells as
 * durations. */
int sheet_numfmt_is_elapsed(const char *format_code);

/* Converts an Excel serial date (days since the epoch of the 1900 or 1904
 * date system) to microseconds since 1970-01-01, rounded to the millisecond
 * as openpyxl does (1900 system: serials below 60 are shifted one day for
 * Excel's phantom 1900-02-29). Serials in [0, 1) are a time of day (the
 * reference hands a time object): in both systems they come out on
 * 1899-12-30, the day of serial 0. 0 on success, -1 when the result is
 * outside years 1-9999 (the reference turns such a cell into "#VALUE!"). */
int sheet_serial_to_epoch_us(double serial, int date1904, int64_t *out);

/* An elapsed time in days (a cell with an elapsed-time format) as the
 * timestamp 1899-12-30 plus that duration, rounded to the millisecond: the
 * grid has no duration type. -1 outside years 1-9999. */
int sheet_duration_to_epoch_us(double days, int64_t *out);

/* Parses an ISO 8601 date and/or time ("2020-01-31", "2020-01-31T10:20:30.5Z",
 * "2020-01-31 10:20:30", "10:20"). A time alone counts from 1899-12-30, the
 * day of serial 0. 0 on success, -1 on malformed text. */
int sheet_iso8601_to_epoch_us(const char *s, int64_t *out);

#endif
