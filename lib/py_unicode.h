/* The few Python str semantics that leak into Superset's answers:
 * str.isnumeric(), the decimal digits int() accepts, and repr() of a string
 * (quote choice and escapes, which depend on str.isprintable()). The
 * code-point tables are generated from Python's unicodedata
 * (scripts/gen-py-unicode.py → lib/py_unicode_tables.c). Input is UTF-8;
 * an invalid byte counts as one code point of its own value. */
#ifndef LITESET_PY_UNICODE_H
#define LITESET_PY_UNICODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/strbuf.h"

typedef struct py_range {
    uint32_t lo, hi;
} py_range_t;

extern const py_range_t py_numeric_ranges[];
extern const size_t py_numeric_ranges_count;
extern const py_range_t py_decimal_ranges[];
extern const size_t py_decimal_ranges_count;
extern const py_range_t py_printable_ranges[]; /* code points >= 0x80 only */
extern const size_t py_printable_ranges_count;

/* Decodes the code point at s[*i] and advances *i. */
uint32_t py_utf8_next(const char *s, size_t n, size_t *i);
/* Number of code points. */
size_t py_utf8_length(const char *s, size_t n);

bool py_char_isnumeric(uint32_t cp);
/* The digit value of a decimal character (Unicode Nd), else -1. */
int py_char_decimal(uint32_t cp);
bool py_char_isprintable(uint32_t cp);

/* str.isnumeric(): non-empty and every character numeric. */
bool py_str_isnumeric(const char *s, size_t n);

/* Appends repr(s) as Python 3 writes it. */
void py_repr_str(strbuf_t *sb, const char *s, size_t n);

#endif
