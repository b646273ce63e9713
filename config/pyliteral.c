/* Reads superset_config.py as data (see pyliteral.h).
 *
 * Two passes over the same bytes, both bounded:
 *  1. The statement scanner splits the file into simple statements: a
 *     statement ends at a newline outside brackets and strings, or at a ';'
 *     at bracket depth 0. Compound statements (if/def/class/...) are skipped
 *     up to the end of their logical line, and every indented line is skipped,
 *     which drops their bodies without tracking indentation.
 *  2. For an assignment, a recursive-descent parser reads the literal value
 *     within the statement's span. Depth is capped, so hostile input cannot
 *     exhaust the stack.
 * Nothing here allocates outside jansson objects and one strbuf per string. */
#include "config/pyliteral.h"

#include <errno.h>
#include <math.h> /* isinf, isnan (macros: no libm needed) */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/strbuf.h"

#define PL_MAX_SIZE (4u * 1024 * 1024) /* bytes of source accepted */
#define PL_MAX_DEPTH 64                /* nested brackets/unary operators */
#define PL_MAX_TARGETS 8               /* A = B = ... = value */
#define PL_MAX_SUBSCRIPTS 8            /* X["a"]["b"]... = value */
#define PL_MAX_NAME 128

typedef struct pl {
    const char *s;
    size_t pos;
    size_t end;      /* parse limit: end of the current statement */
    int depth;
    bool too_deep;   /* fatal for the whole file */
    const char *why; /* static reason of the last failure */
} pl_t;

/* ---- character classes ------------------------------------------------ */

static bool is_ident_start(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
static bool is_ident_char(char c) { return is_ident_start(c) || (c >= '0' && c <= '9'); }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_newline(char c) { return c == '\n' || c == '\r'; }
static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\f'; }

static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Valid UTF-8 without NUL bytes (Python refuses NUL in source too). */
static bool text_ok(const char *s, size_t len) {
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned c = p[i];
        if (c == 0) return false;
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        unsigned cp;
        if (c >= 0xC2 && c <= 0xDF) { n = 1; cp = c & 0x1F; }
        else if (c >= 0xE0 && c <= 0xEF) { n = 2; cp = c & 0x0F; }
        else if (c >= 0xF0 && c <= 0xF4) { n = 3; cp = c & 0x07; }
        else return false;
        if (len - i <= n) return false;
        for (size_t k = 1; k <= n; k++) {
            if ((p[i + k] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        /* reject overlong forms, surrogates and values above U+10FFFF */
        if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += n + 1;
    }
    return true;
}

/* ---- statement scanner ------------------------------------------------- */

/* i is at a quote (any prefix letters were passed over as identifier chars).
 * Returns the index after the closing quote. An unterminated one-line string
 * stops at the end of its line, an unterminated triple-quoted one at len. */
static size_t skip_quoted(const char *s, size_t len, size_t i) {
    char q = s[i];
    bool triple = i + 2 < len && s[i + 1] == q && s[i + 2] == q;
    i += triple ? 3 : 1;
    while (i < len) {
        char c = s[i];
        if (c == '\\') {
            i += 2;
            continue;
        }
        if (!triple && is_newline(c)) return i;
        if (c == q) {
            if (!triple) return i + 1;
            if (i + 2 < len && s[i + 1] == q && s[i + 2] == q) return i + 3;
        }
        i++;
    }
    return len;
}

static size_t skip_newline(const char *s, size_t len, size_t i) {
    if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n') return i + 2;
    return i + 1;
}

/* Returns the end (exclusive) of the statement starting at i: the first
 * newline outside brackets and strings, or, when split_semicolon, a ';' at
 * bracket depth 0. *next receives where the following statement begins. */
static size_t scan_stmt(const char *s, size_t len, size_t i, bool split_semicolon,
                        size_t *next) {
    size_t depth = 0;
    while (i < len) {
        char c = s[i];
        if (c == '#') {
            while (i < len && !is_newline(s[i])) i++;
            continue;
        }
        if (c == '\\' && i + 1 < len && is_newline(s[i + 1])) {
            i = skip_newline(s, len, i + 1);
            continue;
        }
        if (c == '\'' || c == '"') {
            i = skip_quoted(s, len, i);
            continue;
        }
        if (c == '(' || c == '[' || c == '{') {
            depth++;
        } else if (c == ')' || c == ']' || c == '}') {
            if (depth) depth--;
        } else if (is_newline(c) && depth == 0) {
            *next = skip_newline(s, len, i);
            return i;
        } else if (c == ';' && depth == 0 && split_semicolon) {
            *next = i + 1;
            return i;
        }
        i++;
    }
    *next = len;
    return len;
}

typedef enum { ASSIGN_NONE, ASSIGN_PLAIN, ASSIGN_AUGMENTED } assign_kind_t;

static const char *const augmented_ops[] = {"+=", "-=", "*=", "/=", "//=", "%=", "**=", "@=",
                                            "&=", "|=", "^=", "<<=", ">>=", NULL};

static bool is_op_char(char c) { return c != '\0' && strchr("+-*/%@&|^<>!=:", c) != NULL; }

/* Finds the first '=' at bracket depth 0 in [i, end) that is an assignment
 * (not part of ==, <=, >=, !=, :=). *eq receives its index. */
static assign_kind_t find_assign(const char *s, size_t i, size_t end, size_t *eq) {
    size_t depth = 0;
    while (i < end) {
        char c = s[i];
        if (c == '#') {
            while (i < end && !is_newline(s[i])) i++;
            continue;
        }
        if (c == '\'' || c == '"') {
            i = skip_quoted(s, end, i);
            continue;
        }
        if (c == '(' || c == '[' || c == '{') depth++;
        else if ((c == ')' || c == ']' || c == '}') && depth) depth--;
        if (c != '=' || depth) {
            i++;
            continue;
        }
        if (i + 1 < end && s[i + 1] == '=') { /* == */
            i += 2;
            continue;
        }
        size_t k = i;
        while (k > 0 && i - k < 3 && is_op_char(s[k - 1]) && s[k - 1] != '=') k--;
        size_t oplen = i - k + 1;
        if (oplen == 1) {
            *eq = i;
            return ASSIGN_PLAIN;
        }
        for (int a = 0; augmented_ops[a]; a++) {
            if (strlen(augmented_ops[a]) == oplen && memcmp(augmented_ops[a], s + k, oplen) == 0) {
                *eq = i;
                return ASSIGN_AUGMENTED;
            }
        }
        i++; /* comparison such as <= */
    }
    return ASSIGN_NONE;
}

/* ---- literal parser ----------------------------------------------------- */

static json_t *parse_value(pl_t *p);

static json_t *fail(pl_t *p, const char *why) {
    if (!p->why) p->why = why;
    return NULL;
}

static void skip_ws(pl_t *p) {
    const char *s = p->s;
    while (p->pos < p->end) {
        char c = s[p->pos];
        if (is_blank(c) || is_newline(c)) {
            p->pos++;
        } else if (c == '#') {
            while (p->pos < p->end && !is_newline(s[p->pos])) p->pos++;
        } else if (c == '\\' && p->pos + 1 < p->end && is_newline(s[p->pos + 1])) {
            p->pos += 2;
        } else {
            break;
        }
    }
}

static char peek(const pl_t *p) { return p->pos < p->end ? p->s[p->pos] : '\0'; }
static char peek_at(const pl_t *p, size_t off) {
    return p->pos + off < p->end ? p->s[p->pos + off] : '\0';
}

/* Reads an ASCII identifier into buf (truncated names fail). Returns length or 0. */
static size_t read_ident(pl_t *p, char *buf, size_t cap) {
    size_t start = p->pos;
    if (!is_ident_start(peek(p))) return 0;
    while (p->pos < p->end && is_ident_char(p->s[p->pos])) p->pos++;
    size_t n = p->pos - start;
    if (n >= cap) {
        p->pos = start;
        return 0;
    }
    memcpy(buf, p->s + start, n);
    buf[n] = '\0';
    return n;
}

/* -- numbers -- */

/* Copies the digits of [from, to) without underscores, checking that each
 * underscore sits between two digits of the given base. */
static bool collect_digits(const char *s, size_t from, size_t to, int base, strbuf_t *out) {
    bool prev_digit = false;
    for (size_t i = from; i < to; i++) {
        char c = s[i];
        if (c == '_') {
            if (!prev_digit || i + 1 >= to || hex_value(s[i + 1]) < 0 ||
                hex_value(s[i + 1]) >= base)
                return false;
            prev_digit = false;
            continue;
        }
        int v = hex_value(c);
        if (v < 0 || v >= base) return false;
        strbuf_putc(out, c);
        prev_digit = true;
    }
    return true;
}

static json_t *make_int(pl_t *p, uint64_t mag, bool neg) {
    if (!neg && mag > (uint64_t)INT64_MAX) return fail(p, "integer too large");
    if (neg && mag > (uint64_t)INT64_MAX + 1) return fail(p, "integer too large");
    if (neg) return json_integer(mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag);
    return json_integer((json_int_t)mag);
}

static json_t *parse_prefixed_int(pl_t *p, bool neg) {
    static const struct { char letter; int base; } bases[] = {
        {'x', 16}, {'X', 16}, {'o', 8}, {'O', 8}, {'b', 2}, {'B', 2}};
    int base = 0;
    for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++)
        if (peek_at(p, 1) == bases[i].letter) base = bases[i].base;
    p->pos += 2;
    size_t from = p->pos;
    if (peek(p) == '_') from = ++p->pos; /* 0x_ff is valid */
    while (p->pos < p->end && (is_ident_char(p->s[p->pos]))) p->pos++;
    strbuf_t digits;
    strbuf_init(&digits, 32);
    bool ok = p->pos > from && collect_digits(p->s, from, p->pos, base, &digits);
    uint64_t mag = 0;
    bool big = false;
    for (size_t i = 0; ok && i < digits.len; i++) {
        uint64_t d = (uint64_t)hex_value(digits.data[i]);
        if (mag > (UINT64_MAX - d) / (uint64_t)base) big = true;
        mag = mag * (uint64_t)base + d;
    }
    strbuf_free(&digits);
    if (!ok) return fail(p, "invalid number");
    if (big) return fail(p, "integer too large");
    return make_int(p, mag, neg);
}

static json_t *parse_number(pl_t *p, bool neg) {
    const char *s = p->s;
    if (peek(p) == '0' && strchr("xXoObB", peek_at(p, 1)) && peek_at(p, 1) != '\0')
        return parse_prefixed_int(p, neg);
    size_t start = p->pos;
    bool is_float = false;
    while (p->pos < p->end && (is_digit(s[p->pos]) || s[p->pos] == '_')) p->pos++;
    size_t int_end = p->pos;
    if (peek(p) == '.') {
        is_float = true;
        p->pos++;
        while (p->pos < p->end && (is_digit(s[p->pos]) || s[p->pos] == '_')) p->pos++;
    }
    if (peek(p) == 'e' || peek(p) == 'E') {
        size_t save = p->pos++;
        if (peek(p) == '+' || peek(p) == '-') p->pos++;
        if (is_digit(peek(p))) {
            is_float = true;
            while (p->pos < p->end && (is_digit(s[p->pos]) || s[p->pos] == '_')) p->pos++;
        } else {
            p->pos = save;
        }
    }
    if (peek(p) == 'j' || peek(p) == 'J') return fail(p, "complex numbers are not supported");
    if (is_ident_char(peek(p)) || peek(p) == '.') return fail(p, "invalid number");

    strbuf_t digits;
    strbuf_init(&digits, 32);
    json_t *result = NULL;
    if (!is_float) {
        bool ok = collect_digits(s, start, int_end, 10, &digits);
        uint64_t mag = 0;
        bool big = false, nonzero = false;
        for (size_t i = 0; ok && i < digits.len; i++) {
            uint64_t d = (uint64_t)(digits.data[i] - '0');
            if (d) nonzero = true;
            if (mag > (UINT64_MAX - d) / 10) big = true;
            mag = mag * 10 + d;
        }
        /* Python forbids leading zeros on non-zero decimals (012). */
        if (ok && digits.len > 1 && digits.data[0] == '0' && nonzero) ok = false;
        if (!ok) result = fail(p, "invalid number");
        else if (big) result = fail(p, "integer too large");
        else result = make_int(p, mag, neg);
    } else {
        /* Underscores may appear only between digits; check each digit run. */
        bool ok = true;
        size_t i = start;
        while (ok && i < p->pos) {
            if (is_digit(s[i])) {
                size_t j = i;
                while (j < p->pos && (is_digit(s[j]) || s[j] == '_')) j++;
                ok = collect_digits(s, i, j, 10, &digits);
                i = j;
            } else if (s[i] == '_') {
                ok = false;
            } else {
                strbuf_putc(&digits, s[i++]);
            }
        }
        if (!ok) {
            result = fail(p, "invalid number");
        } else {
            errno = 0;
            double d = strtod(digits.data, NULL);
            if (isinf(d) || isnan(d)) result = fail(p, "float out of range");
            else result = json_real(neg ? -d : d);
        }
    }
    strbuf_free(&digits);
    return result;
}

/* -- strings -- */

static void put_utf8(strbuf_t *sb, uint32_t cp) {
    char b[4];
    size_t n;
    if (cp < 0x80) { b[0] = (char)cp; n = 1; }
    else if (cp < 0x800) { b[0] = (char)(0xC0 | (cp >> 6)); b[1] = (char)(0x80 | (cp & 0x3F)); n = 2; }
    else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        b[0] = (char)(0xF0 | (cp >> 18));
        b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    strbuf_append(sb, b, n);
}

/* One-character escapes: \n, \t, ... */
static const struct { char esc; char value; } simple_escapes[] = {
    {'\\', '\\'}, {'\'', '\''}, {'"', '"'}, {'a', '\a'}, {'b', '\b'},
    {'f', '\f'},  {'n', '\n'},  {'r', '\r'}, {'t', '\t'}, {'v', '\v'},
};

/* Reads exactly n hex digits; -1 on failure. */
static long read_hex(pl_t *p, int n) {
    long v = 0;
    for (int i = 0; i < n; i++) {
        int h = hex_value(peek(p));
        if (h < 0) return -1;
        v = v * 16 + h;
        p->pos++;
    }
    return v;
}

/* p->pos is just after a backslash in a non-raw string. */
static bool decode_escape(pl_t *p, strbuf_t *out) {
    char c = peek(p);
    if (is_newline(c)) { /* backslash-newline: line continuation inside the string */
        p->pos = skip_newline(p->s, p->end, p->pos);
        return true;
    }
    for (size_t i = 0; i < sizeof simple_escapes / sizeof simple_escapes[0]; i++) {
        if (simple_escapes[i].esc == c) {
            strbuf_putc(out, simple_escapes[i].value);
            p->pos++;
            return true;
        }
    }
    long cp;
    if (c >= '0' && c <= '7') {
        cp = 0;
        for (int i = 0; i < 3 && peek(p) >= '0' && peek(p) <= '7'; i++) cp = cp * 8 + (p->s[p->pos++] - '0');
    } else if (c == 'x' || c == 'u' || c == 'U') {
        p->pos++;
        cp = read_hex(p, c == 'x' ? 2 : c == 'u' ? 4 : 8);
        if (cp < 0) return fail(p, "invalid escape sequence in string"), false;
    } else if (c == 'N') {
        return fail(p, "\\N{...} escapes are not supported"), false;
    } else {
        strbuf_putc(out, '\\'); /* unknown escapes keep the backslash, as Python does */
        return true;
    }
    if (cp == 0) return fail(p, "NUL character in string"), false;
    if (cp > 0x10FFFF) return fail(p, "invalid escape sequence in string"), false;
    if (cp >= 0xD800 && cp <= 0xDFFF) return fail(p, "lone surrogate in string"), false;
    put_utf8(out, (uint32_t)cp);
    return true;
}

/* Length of a string prefix (r, u, b, f, t and their pairs) at p->pos that
 * is followed by a quote; -1 if no string starts here. Sets the flags. */
static int string_prefix(const pl_t *p, bool *raw, bool *bytes, bool *fstr) {
    static const char *const prefixes[] = {"", "r", "u", "b", "f", "t", "br", "rb",
                                           "fr", "rf", "tr", "rt", NULL};
    *raw = *bytes = *fstr = false;
    for (int i = 0; prefixes[i]; i++) {
        size_t n = strlen(prefixes[i]);
        bool match = true;
        for (size_t k = 0; k < n && match; k++) {
            char c = peek_at(p, k);
            match = c == prefixes[i][k] || c == prefixes[i][k] - 'a' + 'A';
        }
        char q = peek_at(p, n);
        if (!match || (q != '\'' && q != '"')) continue;
        for (size_t k = 0; k < n; k++) {
            char c = (char)(peek_at(p, k) | 0x20);
            if (c == 'r') *raw = true;
            if (c == 'b') *bytes = true;
            if (c == 'f' || c == 't') *fstr = true;
        }
        return (int)n;
    }
    return -1;
}

/* Decodes one quoted piece into out. p->pos is at its quote. */
static bool parse_string_piece(pl_t *p, bool raw, strbuf_t *out) {
    char q = peek(p);
    bool triple = peek_at(p, 1) == q && peek_at(p, 2) == q;
    p->pos += triple ? 3 : 1;
    for (;;) {
        if (p->pos >= p->end) return fail(p, "unterminated string"), false;
        char c = p->s[p->pos];
        if (c == q && (!triple || (peek_at(p, 1) == q && peek_at(p, 2) == q))) {
            p->pos += triple ? 3 : 1;
            return true;
        }
        if (is_newline(c)) {
            if (!triple) return fail(p, "unterminated string"), false;
            strbuf_putc(out, '\n'); /* Python reads \r\n and \r as \n */
            p->pos = skip_newline(p->s, p->end, p->pos);
            continue;
        }
        if (c != '\\') {
            strbuf_putc(out, c);
            p->pos++;
            continue;
        }
        p->pos++;
        if (p->pos >= p->end) return fail(p, "unterminated string"), false;
        if (raw) { /* the backslash stays, and protects the next character */
            strbuf_putc(out, '\\');
            char n = p->s[p->pos];
            if (is_newline(n)) {
                strbuf_putc(out, '\n');
                p->pos = skip_newline(p->s, p->end, p->pos);
            } else {
                strbuf_putc(out, n);
                p->pos++;
            }
            continue;
        }
        if (!decode_escape(p, out)) return false;
    }
}

/* A string literal, with implicit concatenation of adjacent pieces. */
static json_t *parse_string(pl_t *p) {
    strbuf_t sb;
    strbuf_init(&sb, 64);
    json_t *result = NULL;
    bool raw, bytes, fstr;
    int plen;
    while ((plen = string_prefix(p, &raw, &bytes, &fstr)) >= 0) {
        if (bytes) {
            fail(p, "bytes literals are not supported");
            goto out;
        }
        if (fstr) {
            fail(p, "f-strings are not literals");
            goto out;
        }
        p->pos += (size_t)plen;
        if (!parse_string_piece(p, raw, &sb)) goto out;
        skip_ws(p);
    }
    result = json_stringn(sb.data, sb.len);
    if (!result) fail(p, "invalid string");
out:
    strbuf_free(&sb);
    return result;
}

/* -- containers -- */

/* List or tuple items up to `close`. *n_items and *comma describe the form
 * so that "(x)" can be told apart from "(x,)". */
static json_t *parse_items(pl_t *p, char close, size_t *n_items, bool *comma) {
    json_t *arr = json_array();
    *n_items = 0;
    *comma = false;
    p->pos++; /* opener */
    skip_ws(p);
    while (peek(p) != close) {
        json_t *v = parse_value(p);
        if (!v) goto err;
        json_array_append_new(arr, v);
        (*n_items)++;
        skip_ws(p);
        if (peek(p) == ',') {
            *comma = true;
            p->pos++;
            skip_ws(p);
        } else if (peek(p) != close) {
            fail(p, "not a literal");
            goto err;
        }
    }
    p->pos++;
    return arr;
err:
    json_decref(arr);
    return NULL;
}

static json_t *parse_list(pl_t *p) {
    size_t n;
    bool comma;
    return parse_items(p, ']', &n, &comma);
}

static json_t *parse_tuple(pl_t *p) {
    size_t n;
    bool comma;
    json_t *arr = parse_items(p, ')', &n, &comma);
    if (!arr || n != 1 || comma) return arr;
    json_t *only = json_incref(json_array_get(arr, 0)); /* "(x)" is just x */
    json_decref(arr);
    return only;
}

/* Dict keys become JSON object keys: str as is, int in decimal. */
static bool key_text(const json_t *k, char *buf, size_t cap, const char **out) {
    if (json_is_string(k)) {
        *out = json_string_value(k);
        return true;
    }
    if (json_is_integer(k)) {
        snprintf(buf, cap, "%" JSON_INTEGER_FORMAT, json_integer_value(k));
        *out = buf;
        return true;
    }
    return false;
}

static json_t *parse_dict(pl_t *p) {
    json_t *obj = json_object();
    json_t *key = NULL;
    p->pos++;
    skip_ws(p);
    bool first = true;
    while (peek(p) != '}') {
        if (peek(p) == '*') {
            fail(p, "dict unpacking is not a literal");
            goto err;
        }
        key = parse_value(p);
        if (!key) goto err;
        skip_ws(p);
        if (peek(p) != ':') {
            fail(p, first && (peek(p) == ',' || peek(p) == '}') ? "set literals are not supported"
                                                               : "not a literal");
            goto err;
        }
        first = false;
        char num[32];
        const char *k;
        if (!key_text(key, num, sizeof num, &k)) {
            fail(p, "dict keys must be strings or integers");
            goto err;
        }
        p->pos++;
        json_t *v = parse_value(p);
        if (!v) goto err;
        json_object_set_new(obj, k, v);
        json_decref(key);
        key = NULL;
        skip_ws(p);
        if (peek(p) == ',') {
            p->pos++;
            skip_ws(p);
        } else if (peek(p) != '}') {
            fail(p, "not a literal");
            goto err;
        }
    }
    p->pos++;
    return obj;
err:
    json_decref(key);
    json_decref(obj);
    return NULL;
}

/* -- timedelta(...) -- */

static double dabs(double x) { return x < 0 ? -x : x; }

/* Python's positional order, with each unit's length in seconds. */
static const struct { const char *name; double seconds; } td_units[] = {
    {"days", 86400.0},      {"seconds", 1.0}, {"microseconds", 1e-6}, {"milliseconds", 1e-3},
    {"minutes", 60.0},      {"hours", 3600.0}, {"weeks", 604800.0},
};
#define TD_NUNITS (sizeof td_units / sizeof td_units[0])

static int td_unit(const char *name) {
    for (size_t i = 0; i < TD_NUNITS; i++)
        if (strcmp(td_units[i].name, name) == 0) return (int)i;
    return -1;
}

/* p->pos is at '(' after timedelta. */
static json_t *parse_timedelta(pl_t *p) {
    bool seen[TD_NUNITS] = {false};
    double total = 0;
    size_t npos = 0;
    bool keywords = false;
    p->pos++;
    skip_ws(p);
    while (peek(p) != ')') {
        int unit;
        size_t save = p->pos;
        char name[PL_MAX_NAME];
        bool is_kw = false;
        if (read_ident(p, name, sizeof name)) {
            skip_ws(p);
            is_kw = peek(p) == '=' && peek_at(p, 1) != '=';
        }
        if (is_kw) {
            unit = td_unit(name);
            if (unit < 0) return fail(p, "unknown timedelta argument");
            p->pos++;
            keywords = true;
        } else {
            p->pos = save;
            if (keywords) return fail(p, "positional argument follows keyword argument");
            if (npos >= TD_NUNITS) return fail(p, "too many timedelta arguments");
            unit = (int)npos++;
        }
        if (seen[unit]) return fail(p, "duplicate timedelta argument");
        seen[unit] = true;
        json_t *v = parse_value(p);
        if (!v) return NULL;
        bool number = json_is_integer(v) || json_is_real(v);
        double d = json_number_value(v);
        json_decref(v);
        if (!number) return fail(p, "timedelta arguments must be numbers");
        total += d * td_units[unit].seconds;
        skip_ws(p);
        if (peek(p) == ',') {
            p->pos++;
            skip_ws(p);
        } else if (peek(p) != ')') {
            return fail(p, "not a literal");
        }
    }
    p->pos++;
    if (!(dabs(total) < 999999999.0 * 86400.0)) return fail(p, "timedelta out of range");
    /* timedelta keeps whole microseconds */
    if (dabs(total) < 9e12) {
        double us = total * 1e6;
        total = (double)(int64_t)(us + (us >= 0 ? 0.5 : -0.5)) / 1e6;
    }
    return json_real(total);
}

/* -- names: True, False, None, timedelta(...), datetime.timedelta(...) -- */

static json_t *parse_name(pl_t *p) {
    char name[PL_MAX_NAME];
    if (!read_ident(p, name, sizeof name)) return fail(p, "not a literal");
    if (strcmp(name, "True") == 0) return json_true();
    if (strcmp(name, "False") == 0) return json_false();
    if (strcmp(name, "None") == 0) return json_null();
    if (strcmp(name, "datetime") == 0) {
        skip_ws(p);
        if (peek(p) != '.') return fail(p, "not a literal");
        p->pos++;
        skip_ws(p);
        if (!read_ident(p, name, sizeof name) || strcmp(name, "timedelta") != 0)
            return fail(p, "not a literal");
    }
    if (strcmp(name, "timedelta") == 0) {
        skip_ws(p);
        if (peek(p) == '(') return parse_timedelta(p);
    }
    return fail(p, "not a literal (name or function call)");
}

/* -- dispatch -- */

static json_t *parse_unary(pl_t *p) {
    bool neg = peek(p) == '-';
    p->pos++;
    skip_ws(p);
    if (is_digit(peek(p)) || (peek(p) == '.' && is_digit(peek_at(p, 1))))
        return parse_number(p, neg); /* so that -9223372036854775808 fits */
    json_t *v = parse_value(p);
    if (!v) return NULL;
    if (json_is_real(v)) {
        double d = json_real_value(v);
        json_decref(v);
        return json_real(neg ? -d : d);
    }
    if (json_is_integer(v)) {
        json_int_t i = json_integer_value(v);
        json_decref(v);
        if (neg && i == INT64_MIN) return fail(p, "integer too large");
        return json_integer(neg ? -i : i);
    }
    json_decref(v);
    return fail(p, "unary operator on a non-number");
}

static json_t *parse_value(pl_t *p) {
    if (++p->depth > PL_MAX_DEPTH) {
        p->too_deep = true;
        p->depth--;
        return fail(p, "nesting too deep");
    }
    skip_ws(p);
    json_t *v;
    bool raw, bytes, fstr;
    char c = peek(p);
    if (c == '-' || c == '+') v = parse_unary(p);
    else if (is_digit(c) || (c == '.' && is_digit(peek_at(p, 1)))) v = parse_number(p, false);
    else if (string_prefix(p, &raw, &bytes, &fstr) >= 0) v = parse_string(p);
    else if (c == '[') v = parse_list(p);
    else if (c == '(') v = parse_tuple(p);
    else if (c == '{') v = parse_dict(p);
    else if (is_ident_start(c)) v = parse_name(p);
    else v = fail(p, c == '\0' ? "missing value" : "not a literal");
    p->depth--;
    return v;
}

/* Parses a whole expression in [p->pos, p->end); trailing text is an error. */
static json_t *parse_expression(pl_t *p) {
    json_t *v = parse_value(p);
    if (!v) return NULL;
    skip_ws(p);
    if (p->pos != p->end) {
        json_decref(v);
        return fail(p, "not a literal (expression)");
    }
    return v;
}

json_t *pyliteral_parse_value(const char *s, size_t len) {
    if (!s || len > PL_MAX_SIZE || !text_ok(s, len)) return NULL;
    pl_t p = {.s = s, .pos = 0, .end = len};
    return parse_expression(&p);
}

/* ---- statements ---------------------------------------------------------- */

typedef struct target {
    char name[PL_MAX_NAME];
    json_t *subs[PL_MAX_SUBSCRIPTS]; /* owned literal keys of X[k1][k2]... */
    size_t nsubs;
} target_t;

static void target_clear(target_t *t) {
    for (size_t i = 0; i < t->nsubs; i++) json_decref(t->subs[i]);
    t->nsubs = 0;
}

/* Parses a target in [p->pos, p->end) (end is the '=' sign). NULL on success,
 * else the reason. An annotation (": type") after a plain name is skipped. */
static const char *parse_target(pl_t *p, target_t *t) {
    t->nsubs = 0;
    t->name[0] = '\0';
    skip_ws(p);
    if (!read_ident(p, t->name, sizeof t->name)) return "unsupported assignment target";
    skip_ws(p);
    while (peek(p) == '[') {
        if (t->nsubs == PL_MAX_SUBSCRIPTS) return "subscript chain too long";
        p->pos++;
        json_t *k = parse_value(p);
        if (!k) return "subscript is not a literal";
        t->subs[t->nsubs++] = k;
        skip_ws(p);
        if (peek(p) != ']') return "subscript is not a literal";
        p->pos++;
        skip_ws(p);
    }
    if (p->pos == p->end) return NULL;
    if (peek(p) == ':' && t->nsubs == 0) return NULL; /* annotation */
    if (peek(p) == '.') return "attribute assignment is not supported";
    if (peek(p) == ',') return "tuple assignment is not supported";
    return "unsupported assignment target";
}

/* Applies X[k1]...[kn] = v onto an existing dict (or list) in obj. */
static const char *assign_subscript(json_t *obj, const target_t *t, json_t *v) {
    json_t *cur = json_object_get(obj, t->name);
    if (!cur) return "subscript assignment to an undefined name";
    for (size_t i = 0; i < t->nsubs; i++) {
        const json_t *k = t->subs[i];
        bool last = i + 1 == t->nsubs;
        if (json_is_object(cur)) {
            char num[32];
            const char *ks;
            if (!key_text(k, num, sizeof num, &ks)) return "dict keys must be strings or integers";
            if (last) {
                json_object_set(cur, ks, v);
                return NULL;
            }
            cur = json_object_get(cur, ks);
            if (!cur) return "subscript of a missing key";
        } else if (json_is_array(cur) && json_is_integer(k)) {
            json_int_t idx = json_integer_value(k);
            json_int_t n = (json_int_t)json_array_size(cur);
            if (idx < 0) idx += n;
            if (idx < 0 || idx >= n) return "list index out of range";
            if (last) {
                json_array_set(cur, (size_t)idx, v);
                return NULL;
            }
            cur = json_array_get(cur, (size_t)idx);
        } else {
            return "subscript assignment to a value that is not a dict";
        }
    }
    return NULL;
}

/* Executes one assignment statement in [start, end) onto obj. */
static void exec_assignment(const char *s, size_t start, size_t end, size_t eq, json_t *obj,
                            pyliteral_warn_fn warn, void *ud, bool *too_deep) {
    target_t targets[PL_MAX_TARGETS];
    size_t ntargets = 0;
    const char *why = NULL;
    pl_t p = {.s = s, .pos = start, .end = eq};
    json_t *v = NULL;

    for (;;) {
        target_t *t = &targets[ntargets++];
        const char *terr = parse_target(&p, t);
        if (terr) {
            if (ntargets == 1) {
                why = terr;
                break;
            }
            /* "A = <expr with = inside>": the value is not a literal */
            target_clear(t);
            ntargets--;
            why = "not a literal";
            break;
        }
        size_t next_eq;
        if (ntargets < PL_MAX_TARGETS &&
            find_assign(s, eq + 1, end, &next_eq) == ASSIGN_PLAIN) {
            p = (pl_t){.s = s, .pos = eq + 1, .end = next_eq};
            eq = next_eq;
            continue;
        }
        break;
    }
    if (!why) {
        p = (pl_t){.s = s, .pos = eq + 1, .end = end};
        v = parse_expression(&p);
        if (!v) why = p.why ? p.why : "not a literal";
        if (p.too_deep) *too_deep = true;
    }
    for (size_t i = 0; i < ntargets; i++) {
        target_t *t = &targets[i];
        const char *err = why;
        if (!err && t->nsubs == 0) json_object_set(obj, t->name, v);
        else if (!err) err = assign_subscript(obj, t, v);
        if (err && warn && t->name[0]) warn(ud, t->name, err);
        target_clear(t);
    }
    json_decref(v);
}

/* Statement kinds decided by the first word. */
typedef enum { KW_NONE, KW_COMPOUND, KW_SIMPLE } kw_kind_t;

static const struct { const char *word; kw_kind_t kind; } keywords[] = {
    {"if", KW_COMPOUND},      {"elif", KW_COMPOUND},   {"else", KW_COMPOUND},
    {"for", KW_COMPOUND},     {"while", KW_COMPOUND},  {"with", KW_COMPOUND},
    {"try", KW_COMPOUND},     {"except", KW_COMPOUND}, {"finally", KW_COMPOUND},
    {"def", KW_COMPOUND},     {"class", KW_COMPOUND},  {"async", KW_COMPOUND},
    {"match", KW_COMPOUND},   {"case", KW_COMPOUND},   {"import", KW_SIMPLE},
    {"from", KW_SIMPLE},      {"del", KW_SIMPLE},      {"pass", KW_SIMPLE},
    {"return", KW_SIMPLE},    {"raise", KW_SIMPLE},    {"global", KW_SIMPLE},
    {"nonlocal", KW_SIMPLE},  {"assert", KW_SIMPLE},   {"break", KW_SIMPLE},
    {"continue", KW_SIMPLE},  {"yield", KW_SIMPLE},    {"lambda", KW_SIMPLE},
    {"await", KW_SIMPLE},     {"type", KW_SIMPLE},
};

static kw_kind_t keyword_kind(const char *s, size_t len, size_t i) {
    size_t n = 0;
    while (i + n < len && is_ident_char(s[i + n])) n++;
    for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++)
        if (strlen(keywords[k].word) == n && memcmp(keywords[k].word, s + i, n) == 0)
            return keywords[k].kind;
    return KW_NONE;
}

json_t *pyliteral_parse_file(const char *src, size_t len, pyliteral_warn_fn warn, void *ud,
                             const char **err) {
    const char *ignored;
    if (!err) err = &ignored;
    *err = NULL;
    if (len > PL_MAX_SIZE) {
        *err = "file too large (limit 4 MiB)";
        return NULL;
    }
    if (len && !src) {
        *err = "no input";
        return NULL;
    }
    if (!text_ok(src, len)) {
        *err = "not valid UTF-8 text (or contains NUL bytes)";
        return NULL;
    }
    json_t *obj = json_object();
    size_t pos = 0;
    if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0) pos = 3; /* BOM */
    bool bol = true;
    while (pos < len) {
        size_t i = pos;
        while (i < len && is_blank(src[i])) i++;
        if (i < len && src[i] == '#')
            while (i < len && !is_newline(src[i])) i++;
        if (i >= len) break;
        if (is_newline(src[i])) {
            pos = skip_newline(src, len, i);
            bol = true;
            continue;
        }
        /* Indented lines are bodies of skipped compound statements. */
        bool indented = bol && i > pos;
        kw_kind_t kind = is_ident_start(src[i]) ? keyword_kind(src, len, i) : KW_NONE;
        if (src[i] == '@') kind = KW_COMPOUND; /* decorator */
        size_t next;
        size_t end = scan_stmt(src, len, i, !indented && kind != KW_COMPOUND, &next);
        if (!indented && kind == KW_NONE && is_ident_start(src[i])) {
            size_t eq;
            assign_kind_t ak = find_assign(src, i, end, &eq);
            if (ak == ASSIGN_PLAIN) {
                bool too_deep = false;
                exec_assignment(src, i, end, eq, obj, warn, ud, &too_deep);
                if (too_deep) {
                    json_decref(obj);
                    *err = "nesting too deep";
                    return NULL;
                }
            } else if (ak == ASSIGN_AUGMENTED && warn) {
                char name[PL_MAX_NAME];
                pl_t p = {.s = src, .pos = i, .end = eq};
                if (read_ident(&p, name, sizeof name))
                    warn(ud, name, "augmented assignment is not supported");
            }
        }
        bol = next > 0 && next <= len && is_newline(src[next - 1]);
        pos = next;
    }
    return obj;
}
