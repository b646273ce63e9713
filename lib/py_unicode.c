/* Python str predicates and repr(); see py_unicode.h. */
#include "lib/py_unicode.h"

#include <string.h>

static bool in_ranges(const py_range_t *r, size_t n, uint32_t cp) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp < r[mid].lo) hi = mid;
        else if (cp > r[mid].hi) lo = mid + 1;
        else return true;
    }
    return false;
}

static const py_range_t *find_range(const py_range_t *r, size_t n, uint32_t cp) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp < r[mid].lo) hi = mid;
        else if (cp > r[mid].hi) lo = mid + 1;
        else return &r[mid];
    }
    return NULL;
}

/* Expected continuation bytes and the smallest code point for a lead byte. */
static int utf8_lead(unsigned char c, uint32_t *cp, uint32_t *min) {
    if (c >= 0xF0 && c <= 0xF4) return *cp = c & 0x07u, *min = 0x10000, 3;
    if (c >= 0xE0 && c <= 0xEF) return *cp = c & 0x0Fu, *min = 0x800, 2;
    if (c >= 0xC2 && c <= 0xDF) return *cp = c & 0x1Fu, *min = 0x80, 1;
    return -1;
}

uint32_t py_utf8_next(const char *s, size_t n, size_t *i) {
    unsigned char c = (unsigned char)s[*i];
    uint32_t cp, min;
    int more = c < 0x80 ? 0 : utf8_lead(c, &cp, &min);
    if (more <= 0 || *i + (size_t)more >= n) {
        (*i)++;
        return c;
    }
    for (int k = 1; k <= more; k++) {
        unsigned char d = (unsigned char)s[*i + (size_t)k];
        if ((d & 0xC0) != 0x80) {
            (*i)++;
            return c;
        }
        cp = (cp << 6) | (d & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF) {
        (*i)++;
        return c;
    }
    *i += (size_t)more + 1;
    return cp;
}

size_t py_utf8_length(const char *s, size_t n) {
    size_t count = 0;
    for (size_t i = 0; i < n; count++) py_utf8_next(s, n, &i);
    return count;
}

bool py_char_isnumeric(uint32_t cp) { return in_ranges(py_numeric_ranges, py_numeric_ranges_count, cp); }

int py_char_decimal(uint32_t cp) {
    const py_range_t *r = find_range(py_decimal_ranges, py_decimal_ranges_count, cp);
    return r ? (int)((cp - r->lo) % 10) : -1;
}

bool py_char_isprintable(uint32_t cp) {
    if (cp < 0x80) return cp >= 0x20 && cp < 0x7F;
    return in_ranges(py_printable_ranges, py_printable_ranges_count, cp);
}

bool py_str_isnumeric(const char *s, size_t n) {
    if (n == 0) return false;
    for (size_t i = 0; i < n;)
        if (!py_char_isnumeric(py_utf8_next(s, n, &i))) return false;
    return true;
}

static void escape_into(strbuf_t *sb, uint32_t cp) {
    static const struct {
        uint32_t cp;
        const char *text;
    } named[] = {{'\\', "\\\\"}, {'\t', "\\t"}, {'\n', "\\n"}, {'\r', "\\r"}};
    for (size_t k = 0; k < sizeof named / sizeof named[0]; k++)
        if (named[k].cp == cp) return strbuf_puts(sb, named[k].text);
    if (cp <= 0xFF) strbuf_printf(sb, "\\x%02x", cp);
    else if (cp <= 0xFFFF) strbuf_printf(sb, "\\u%04x", cp);
    else strbuf_printf(sb, "\\U%08x", cp);
}

void py_repr_str(strbuf_t *sb, const char *s, size_t n) {
    char quote = memchr(s, '\'', n) && !memchr(s, '"', n) ? '"' : '\'';
    strbuf_putc(sb, quote);
    for (size_t i = 0; i < n;) {
        size_t start = i;
        uint32_t cp = py_utf8_next(s, n, &i);
        bool plain = cp != '\\' && cp != (uint32_t)quote && py_char_isprintable(cp);
        if (plain && i - start == 1 && (unsigned char)s[start] >= 0x80) plain = false; /* a stray byte */
        if (cp == (uint32_t)quote) {
            strbuf_putc(sb, '\\');
            strbuf_putc(sb, quote);
        } else if (plain) {
            strbuf_append(sb, s + start, i - start);
        } else {
            escape_into(sb, cp);
        }
    }
    strbuf_putc(sb, quote);
}
