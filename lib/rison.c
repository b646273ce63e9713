/* Rison parser with prison 0.2.1's behaviour (errors and crashes included)
 * and serializer with prison.dumps' output; see rison.h.
 *
 * The parser is recursive descent over bytes. The input is checked to be
 * NUL-free UTF-8 first, so every non-ASCII byte can be treated as an id byte
 * (prison allows every non-ASCII character in ids) and a sequence is never
 * split. Recursion is bounded by RISON_MAX_DEPTH containers. */
#include "lib/rison.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/pyfloat.h"
#include "lib/strbuf.h"

/* Python's int() refuses decimal strings with more digits than this
 * (sys.int_info.default_max_str_digits): a crash inside prison. */
#define PY_INT_MAX_DIGITS 4300

#define TRUNCATION_MARK "..."

/* ---- character classes ---------------------------------------------- */

enum { ID_START = 1, ID_CHAR = 2 };
#define IDC (ID_START | ID_CHAR)

/* Bytes allowed in ids. prison forbids every ASCII byte below 127 that is
 * not alphanumeric and not one of `_-./~%+`, except the backslash, which its
 * regular expression lets through; DEL and all non-ASCII are allowed. A
 * digit or `-` cannot start an id (it starts a number). */
static const unsigned char CHAR_CLASS[256] = {
    ['A' ... 'Z'] = IDC, ['a' ... 'z'] = IDC, ['0' ... '9'] = ID_CHAR,
    ['-'] = ID_CHAR,     ['_'] = IDC,         ['.'] = IDC,
    ['/'] = IDC,         ['~'] = IDC,         ['%'] = IDC,
    ['+'] = IDC,         ['\\'] = IDC,        [0x7f] = IDC,
    [0x80 ... 0xff] = IDC,
};

/* UTF-8 lead bytes: sequence length and the allowed range of the second
 * byte (which excludes overlong forms, surrogates and values past
 * U+10FFFF). len 0: not a valid lead byte (NUL is refused too). */
static const struct utf8_lead {
    unsigned char len, lo, hi;
} UTF8_LEAD[256] = {
    [0x01 ... 0x7f] = {1, 0, 0},       [0xc2 ... 0xdf] = {2, 0x80, 0xbf},
    [0xe0] = {3, 0xa0, 0xbf},          [0xe1 ... 0xec] = {3, 0x80, 0xbf},
    [0xed] = {3, 0x80, 0x9f},          [0xee ... 0xef] = {3, 0x80, 0xbf},
    [0xf0] = {4, 0x90, 0xbf},          [0xf1 ... 0xf3] = {4, 0x80, 0xbf},
    [0xf4] = {4, 0x80, 0x8f},
};

/* ---- parser state and errors ----------------------------------------- */

typedef struct parser {
    const unsigned char *s;
    size_t len;
    size_t pos;
    int depth; /* containers currently open */
    rison_error_t *err;
    /* Numbers jansson cannot hold: Python accepts them and goes on, so each
     * becomes a reference to range_mark (a private stand-in) and the error
     * is reported at the end if one is still in the result (a repeated key
     * may have replaced it). range_at/range_message: the first one. */
    json_t *range_mark;
    size_t range_at;
    const char *range_message;
} parser_t;

typedef json_t *(*value_fn)(parser_t *p);

static json_t *need(json_t *j) {
    if (j == NULL) {
        fputs("liteset: out of memory (jansson)\n", stderr);
        abort();
    }
    return j;
}

static bool at_end(const parser_t *p) { return p->pos >= p->len; }

/* Cuts msg (a full buffer) so that it ends in "..." without splitting a
 * UTF-8 sequence. */
static void mark_truncated(char *msg) {
    size_t cut = RISON_ERROR_MAX - sizeof TRUNCATION_MARK;
    while (cut > 0 && ((unsigned char)msg[cut] & 0xc0) == 0x80) cut--;
    memcpy(msg + cut, TRUNCATION_MARK, sizeof TRUNCATION_MARK);
}

/* Records the error and returns NULL, for `return fail(...)`. */
__attribute__((format(printf, 4, 5))) static json_t *fail(parser_t *p, rison_error_kind_t kind,
                                                          size_t at, const char *fmt, ...) {
    rison_error_t *e = p->err;
    e->kind = kind;
    e->fatal = kind == RISON_ERR_CRASH || kind == RISON_ERR_DEPTH;
    e->offset = at;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof e->message) mark_truncated(e->message);
    return NULL;
}

/* Python's escapes for ASCII inside repr() of a str. */
static const char *const REPR_ESCAPE[128] = {
    ['\\'] = "\\\\", ['\t'] = "\\t", ['\n'] = "\\n", ['\r'] = "\\r",
};

/* Appends Python's repr() of the str s[0..n) to sb: single quotes unless the
 * text holds a ' and no ", escapes as Python writes them for ASCII.
 * Non-ASCII characters are copied (Python would escape the non-printable
 * ones; this text only reaches logs). */
static void append_repr(strbuf_t *sb, const unsigned char *s, size_t n) {
    bool squote = memchr(s, '\'', n) != NULL;
    char q = squote && memchr(s, '"', n) == NULL ? '"' : '\'';
    strbuf_putc(sb, q);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = s[i];
        const char *esc = c < 128 ? REPR_ESCAPE[c] : NULL;
        if (esc != NULL) strbuf_puts(sb, esc);
        else if (c == (unsigned char)q) strbuf_printf(sb, "\\%c", q);
        else if (c < 0x20 || c == 0x7f) strbuf_printf(sb, "\\x%02x", c);
        else strbuf_putc(sb, (char)c);
    }
    strbuf_putc(sb, q);
}

/* fail() whose message is prefix + repr(s[start..start+n)). Only the first
 * RISON_ERROR_MAX bytes can show, so no more than that is formatted. */
static json_t *fail_repr(parser_t *p, rison_error_kind_t kind, size_t at, const char *prefix,
                         size_t start, size_t n) {
    strbuf_t sb;
    strbuf_init(&sb, 64);
    size_t shown = n > RISON_ERROR_MAX ? RISON_ERROR_MAX : n;
    while (shown < n && shown > 0 && (p->s[start + shown] & 0xc0) == 0x80) shown--;
    append_repr(&sb, p->s + start, shown);
    fail(p, kind, at, "%s%s%s", prefix, sb.data, shown < n ? TRUNCATION_MARK : "");
    strbuf_free(&sb);
    return NULL;
}

/* Byte length of the (valid) UTF-8 character at p->s[i]. */
static int char_len(const parser_t *p, size_t i) {
    size_t n = UTF8_LEAD[p->s[i]].len;
    if (n == 0 || i + n > p->len) n = 1;
    return (int)n;
}

/* Refuses NUL bytes and invalid UTF-8 anywhere in the input. */
static bool check_encoding(parser_t *p) {
    size_t i = 0;
    while (i < p->len) {
        const struct utf8_lead *lead = &UTF8_LEAD[p->s[i]];
        bool ok = lead->len > 0 && i + lead->len <= p->len;
        if (ok && lead->len > 1) ok = p->s[i + 1] >= lead->lo && p->s[i + 1] <= lead->hi;
        for (size_t k = 2; ok && k < lead->len; k++) ok = (p->s[i + k] & 0xc0) == 0x80;
        if (!ok) {
            fail(p, RISON_ERR_ENCODING, i, p->s[i] == 0 ? "NUL byte in input" : "invalid UTF-8");
            return false;
        }
        i += lead->len;
    }
    return true;
}

/* Opens a container; false (fatal, like Python's RecursionError) past
 * RISON_MAX_DEPTH. The caller closes it with p->depth-- on every path. */
static bool enter(parser_t *p) {
    p->depth++;
    if (p->depth <= RISON_MAX_DEPTH) return true;
    fail(p, RISON_ERR_DEPTH, p->pos, "RecursionError: maximum recursion depth exceeded");
    return false;
}

/* The member separator shared by arrays and objects: after the first member
 * a ',' is required (and consumed); before it a ',' is an error. */
static bool take_separator(parser_t *p, bool after_first) {
    bool comma = !at_end(p) && p->s[p->pos] == ',';
    if (after_first && !comma) {
        fail(p, RISON_ERR_SYNTAX, p->pos, "missing ','");
        return false;
    }
    if (!after_first && comma) {
        fail(p, RISON_ERR_SYNTAX, p->pos, "extra ','");
        return false;
    }
    if (comma) p->pos++;
    return true;
}

/* Notes a number beyond jansson's range and returns the stand-in, so that
 * parsing goes on as it does in Python. */
static json_t *out_of_range(parser_t *p, size_t at, const char *message) {
    if (p->range_mark == NULL) {
        p->range_mark = need(json_object());
        p->range_at = at;
        p->range_message = message;
    }
    return json_incref(p->range_mark);
}

/* Whether mark occurs anywhere in v. */
static bool contains(const json_t *v, const json_t *mark) {
    if (v == mark) return true;
    for (size_t i = 0; i < json_array_size(v); i++)
        if (contains(json_array_get(v, i), mark)) return true;
    for (void *it = json_object_iter((json_t *)v); it != NULL;
         it = json_object_iter_next((json_t *)v, it))
        if (contains(json_object_iter_value(it), mark)) return true;
    return false;
}

static json_t *read_value(parser_t *p);

/* ---- scalars ---------------------------------------------------------- */

static json_t *lit_true(parser_t *p) {
    (void)p;
    return json_true();
}

static json_t *lit_false(parser_t *p) {
    (void)p;
    return json_false();
}

static json_t *lit_null(parser_t *p) {
    (void)p;
    return json_null();
}

/* An unquoted string: the longest run of id bytes. */
static json_t *parse_id(parser_t *p) {
    size_t start = p->pos;
    unsigned char c = p->s[start];
    if (!(CHAR_CLASS[c] & ID_START))
        return fail(p, RISON_ERR_SYNTAX, start, "invalid character: '%c'", c);
    size_t end = start + 1;
    while (end < p->len && (CHAR_CLASS[p->s[end]] & ID_CHAR)) end++;
    p->pos = end;
    return need(json_stringn((const char *)p->s + start, end - start));
}

/* After a '!' inside a quoted string: `!!` and `!'` are the only escapes. */
static bool take_escape(parser_t *p, strbuf_t *sb) {
    if (at_end(p)) {
        fail(p, RISON_ERR_CRASH, p->pos, "IndexError: string index out of range");
        return false;
    }
    unsigned char c = p->s[p->pos];
    if (c != '!' && c != '\'') {
        fail(p, RISON_ERR_SYNTAX, p->pos, "invalid string escape: \"!%.*s\"", char_len(p, p->pos),
             (const char *)p->s + p->pos);
        return false;
    }
    strbuf_putc(sb, (char)c);
    p->pos++;
    return true;
}

/* A quoted string; p->pos is just past the opening quote. */
static json_t *parse_quoted(parser_t *p) {
    strbuf_t sb;
    strbuf_init(&sb, 32);
    json_t *result = NULL;
    for (;;) {
        if (at_end(p)) {
            fail(p, RISON_ERR_SYNTAX, p->pos, "unmatched \"'\"");
            break;
        }
        unsigned char c = p->s[p->pos++];
        if (c == '\'') {
            result = need(json_stringn(sb.data, sb.len));
            break;
        }
        if (c != '!') {
            strbuf_putc(&sb, (char)c);
            continue;
        }
        if (!take_escape(p, &sb)) break;
    }
    strbuf_free(&sb);
    return result;
}

/* ---- numbers ---------------------------------------------------------- */

enum num_state { NUM_INT, NUM_FRAC, NUM_EXP, NUM_STOP };

/* prison's state transitions on a lower-cased byte: int+'.' -> frac,
 * int+'e' -> exp, frac+'e' -> exp; anything else ends the token. */
static enum num_state num_next(enum num_state st, unsigned char c) {
    static const enum num_state NEXT[3][2] = {
        [NUM_INT] = {NUM_FRAC, NUM_EXP},
        [NUM_FRAC] = {NUM_STOP, NUM_EXP},
        [NUM_EXP] = {NUM_STOP, NUM_STOP},
    };
    if (c == '.') return NEXT[st][0];
    if (c == 'e' || c == 'E') return NEXT[st][1];
    return NUM_STOP;
}

static size_t count_digits(const unsigned char *s, size_t n, size_t i) {
    size_t k = i;
    while (k < n && s[k] >= '0' && s[k] <= '9') k++;
    return k - i;
}

/* Whether the token is a Python float() literal over prison's number bytes:
 * -?(digits[.digits*]|.digits)([eE]-?digits)? */
static bool float_syntax_ok(const unsigned char *t, size_t n) {
    size_t i = t[0] == '-' ? 1 : 0;
    size_t mant = count_digits(t, n, i);
    i += mant;
    if (i < n && t[i] == '.') {
        i++;
        size_t frac = count_digits(t, n, i);
        i += frac;
        mant += frac;
    }
    if (mant == 0) return false;
    if (i < n && (t[i] == 'e' || t[i] == 'E')) {
        i++;
        if (i < n && t[i] == '-') i++;
        size_t exp = count_digits(t, n, i);
        if (exp == 0) return false;
        i += exp;
    }
    return i == n;
}

/* A number token, already known to be accepted by Python's int()/float(). */
typedef struct number_token {
    const unsigned char *s;
    size_t n;
    bool is_float; /* prison calls float() when it holds '.' or a lower-case 'e' */
} number_token_t;

/* Scans a number the way prison does (p->pos is just past its first byte, a
 * digit or '-'): digits, the state transitions, and one '-' wherever a sign
 * is permitted (once before the exponent, once after). Then checks it as
 * Python's int() or float() would, crashing where they raise. */
static bool read_number_token(parser_t *p, number_token_t *t) {
    size_t start = p->pos - 1;
    enum num_state st = NUM_INT;
    bool sign_ok = true;
    while (!at_end(p)) {
        unsigned char c = p->s[p->pos];
        if (c >= '0' && c <= '9') {
            p->pos++;
            continue;
        }
        if (c == '-' && sign_ok) {
            sign_ok = false;
            p->pos++;
            continue;
        }
        st = num_next(st, c);
        if (st == NUM_STOP) break;
        p->pos++;
        if (st == NUM_EXP) sign_ok = true;
    }
    t->s = p->s + start;
    t->n = p->pos - start;
    t->is_float = memchr(t->s, '.', t->n) != NULL || memchr(t->s, 'e', t->n) != NULL;
    if (t->n == 1 && t->s[0] == '-') {
        fail(p, RISON_ERR_SYNTAX, start, "invalid number");
        return false;
    }
    if (t->is_float) {
        if (float_syntax_ok(t->s, t->n)) return true;
        fail_repr(p, RISON_ERR_CRASH, start, "ValueError: could not convert string to float: ",
                  start, t->n);
        return false;
    }
    size_t sign = t->s[0] == '-' ? 1 : 0;
    size_t digits = count_digits(t->s, t->n, sign);
    if (sign + digits != t->n) {
        fail_repr(p, RISON_ERR_CRASH, start, "ValueError: invalid literal for int() with base 10: ",
                  start, t->n);
        return false;
    }
    if (digits > PY_INT_MAX_DIGITS) {
        fail(p, RISON_ERR_CRASH, start,
             "ValueError: Exceeds the limit (%d digits) for integer string conversion",
             PY_INT_MAX_DIGITS);
        return false;
    }
    return true;
}

/* float(token); infinity when it overflows, 0 or a subnormal on underflow. */
static double token_double(const number_token_t *t) {
    char *text = xmalloc(t->n + 1);
    memcpy(text, t->s, t->n);
    text[t->n] = '\0';
    double d = strtod(text, NULL);
    free(text);
    return d;
}

/* int(token) into *out; false when it does not fit int64. */
static bool token_int64(const number_token_t *t, json_int_t *out) {
    bool neg = t->s[0] == '-';
    uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    uint64_t mag = 0;
    for (size_t i = neg ? 1 : 0; i < t->n; i++) {
        uint64_t d = (uint64_t)(t->s[i] - '0');
        if (mag > (limit - d) / 10) return false;
        mag = mag * 10 + d;
    }
    *out = neg ? (json_int_t)(0 - mag) : (json_int_t)mag;
    return true;
}

/* A number value; p->pos is just past its first byte. */
static json_t *parse_number(parser_t *p) {
    size_t start = p->pos - 1;
    number_token_t t;
    if (!read_number_token(p, &t)) return NULL;
    if (t.is_float) {
        json_t *v = json_real(token_double(&t)); /* NULL only for infinity */
        return v != NULL ? v : out_of_range(p, start, "float out of range");
    }
    json_int_t i;
    if (!token_int64(&t, &i)) return out_of_range(p, start, "integer out of range");
    return need(json_integer(i));
}

/* ---- containers ------------------------------------------------------- */

/* An array; p->pos is just past "!(". */
static json_t *parse_array(parser_t *p) {
    if (!enter(p)) return NULL;
    json_t *arr = need(json_array());
    json_t *result = NULL;
    for (;;) {
        if (at_end(p)) {
            fail(p, RISON_ERR_SYNTAX, p->pos, "unmatched '!('");
            break;
        }
        if (p->s[p->pos] == ')') {
            p->pos++;
            result = arr;
            break;
        }
        if (!take_separator(p, json_array_size(arr) > 0)) break;
        json_t *v = read_value(p);
        if (v == NULL) break;
        json_array_append_new(arr, v);
    }
    p->depth--;
    if (result == NULL) json_decref(arr);
    return result;
}

/* ---- objects ----------------------------------------------------------
 * Python builds a dict whose keys compare by Python equality (1, 1.0 and
 * True are one key; the string '1' is another), then json.dumps writes each
 * key as text and json.loads reads the text back, where keys that print
 * alike collapse into one (first place, last value). Both steps are
 * modelled: `dict` maps each key's Python identity to [text, value]. */

/* A key: text is what json.dumps writes for it; ident names it under
 * Python equality ("s<text>" for strings, "n<number>" for bools and
 * numbers, "z" for None). */
typedef struct dict_key {
    json_t *text;
    json_t *ident;
} dict_key_t;

static void dict_key_clear(dict_key_t *k) {
    json_decref(k->text);
    json_decref(k->ident);
    k->text = k->ident = NULL;
}

/* The identity of a float key: the exact integer text for an integral
 * value (as an int key of that value has), "r<digits>" otherwise. */
static json_t *float_ident(double d) {
    if (d == 0) return json_string("n0"); /* -0.0 too */
    bool integral = isfinite(d) && (fabs(d) >= 4503599627370496.0 /* 2^52 */ ||
                                     (double)(long long)d == d);
    return integral ? json_sprintf("n%.0f", d) : json_sprintf("nr%.17g", d);
}

/* A number read as a key: str(int) (no sign on zero, no leading zeros) or
 * repr(float) ("1.5", "1e+16", "Infinity"). p->pos is just past its first
 * byte. */
static bool number_key(parser_t *p, dict_key_t *k) {
    number_token_t t;
    if (!read_number_token(p, &t)) return false;
    if (t.is_float) {
        double d = token_double(&t);
        char buf[PYFLOAT_BUF];
        pyfloat_repr(d, buf);
        k->text = need(json_string(buf));
        k->ident = need(float_ident(d));
        return true;
    }
    size_t i = t.s[0] == '-' ? 1 : 0;
    while (i + 1 < t.n && t.s[i] == '0') i++;
    bool neg = t.s[0] == '-' && t.s[i] != '0';
    k->text = need(json_sprintf("%s%.*s", neg ? "-" : "", (int)(t.n - i), (const char *)t.s + i));
    k->ident = need(json_sprintf("n%s", json_string_value(k->text)));
    return true;
}

/* Tables indexed by json_type (JSON_OBJECT .. JSON_NULL). */
#define JSON_TYPE_COUNT (JSON_NULL + 1)

static const char *const KEY_LITERAL[JSON_TYPE_COUNT] = {
    [JSON_TRUE] = "true", [JSON_FALSE] = "false", [JSON_NULL] = "null"};
static const char *const KEY_IDENT[JSON_TYPE_COUNT] = {
    [JSON_TRUE] = "n1", [JSON_FALSE] = "n0", [JSON_NULL] = "z"};
static const char *const UNHASHABLE[JSON_TYPE_COUNT] = {
    [JSON_OBJECT] = "dict", [JSON_ARRAY] = "list"};

/* The key for a parsed non-number value v, or a fatal error when Python
 * could not hash it (an object or array). */
static bool value_key(parser_t *p, const json_t *v, size_t at, dict_key_t *k) {
    json_type type = json_typeof(v);
    if (UNHASHABLE[type] != NULL) {
        fail(p, RISON_ERR_CRASH, at, "TypeError: unhashable type: '%s'", UNHASHABLE[type]);
        return false;
    }
    if (type == JSON_STRING) {
        k->text = json_incref((json_t *)v);
        k->ident = need(json_sprintf("s%s", json_string_value(v)));
        return true;
    }
    k->text = need(json_string(KEY_LITERAL[type]));
    k->ident = need(json_string(KEY_IDENT[type]));
    return true;
}

/* dict[k] = value (takes value): an existing key keeps its place and first
 * spelling, and takes the new value. */
static void dict_store(json_t *dict, const dict_key_t *k, json_t *value) {
    const char *ident = json_string_value(k->ident);
    json_t *entry = json_object_get(dict, ident);
    if (entry != NULL) {
        json_array_set_new(entry, 1, value);
        return;
    }
    entry = need(json_array());
    json_array_append(entry, k->text);
    json_array_append_new(entry, value);
    json_object_set_new(dict, ident, entry);
}

/* json.loads(json.dumps(dict)). */
static json_t *dict_to_json(json_t *dict) {
    json_t *obj = need(json_object());
    for (void *it = json_object_iter(dict); it != NULL; it = json_object_iter_next(dict, it)) {
        json_t *entry = json_object_iter_value(it);
        json_object_set(obj, json_string_value(json_array_get(entry, 0)),
                        json_array_get(entry, 1));
    }
    return obj;
}

/* One `key:value` pair. Python hashes the key only after the value is
 * read, so an unhashable key is reported after the value's own errors. */
static bool parse_member(parser_t *p, json_t *dict) {
    size_t at = p->pos;
    dict_key_t key = {NULL, NULL};
    json_t *raw = NULL; /* a non-number key, converted after the value */
    bool numeric = !at_end(p) && (p->s[at] == '-' || (p->s[at] >= '0' && p->s[at] <= '9'));
    if (numeric) {
        p->pos++;
        if (!number_key(p, &key)) return false;
    } else {
        raw = read_value(p);
        if (raw == NULL) return false;
    }
    bool ok = !at_end(p) && p->s[p->pos] == ':';
    if (!ok) fail(p, RISON_ERR_SYNTAX, p->pos, "missing ':'");
    json_t *val = NULL;
    if (ok) {
        p->pos++;
        val = read_value(p);
        ok = val != NULL;
    }
    if (ok && raw != NULL) ok = value_key(p, raw, at, &key);
    if (ok) dict_store(dict, &key, val);
    else json_decref(val);
    json_decref(raw);
    dict_key_clear(&key);
    return ok;
}

/* An object; p->pos is just past "(". A '(' that ends the input sends
 * prison into endless recursion (it steps back onto the '(' and reads it
 * again), hence the fatal error there. */
static json_t *parse_object(parser_t *p) {
    if (!enter(p)) return NULL;
    json_t *dict = need(json_object());
    json_t *result = NULL;
    size_t count = 0; /* pairs read, repeated keys included */
    for (;;) {
        if (at_end(p) && count == 0) {
            fail(p, RISON_ERR_CRASH, p->pos, "RecursionError: maximum recursion depth exceeded");
            break;
        }
        if (!at_end(p) && p->s[p->pos] == ')') {
            p->pos++;
            result = dict_to_json(dict);
            break;
        }
        if (!take_separator(p, count > 0)) break;
        if (!parse_member(p, dict)) break;
        count++;
    }
    p->depth--;
    json_decref(dict);
    return result;
}

/* After a '!': a literal or an array. */
static const value_fn BANG[256] = {
    ['t'] = lit_true, ['f'] = lit_false, ['n'] = lit_null, ['('] = parse_array,
};

static json_t *parse_bang(parser_t *p) {
    if (at_end(p)) return fail(p, RISON_ERR_CRASH, p->pos, "IndexError: string index out of range");
    value_fn fn = BANG[p->s[p->pos]];
    if (fn == NULL)
        return fail(p, RISON_ERR_SYNTAX, p->pos, "unknown literal: \"!%.*s\"",
                    char_len(p, p->pos), (const char *)p->s + p->pos);
    p->pos++;
    return fn(p);
}

/* Value parsers by first byte (consumed before the call); other bytes
 * start an id. */
static const value_fn LEAD[256] = {
    ['!'] = parse_bang,    ['('] = parse_object,          ['\''] = parse_quoted,
    ['-'] = parse_number,  ['0' ... '9'] = parse_number,
};

static json_t *read_value(parser_t *p) {
    /* prison evaluates `None in '-0123456789'` at the end of input. */
    if (at_end(p))
        return fail(p, RISON_ERR_CRASH, p->pos,
                    "TypeError: 'in <string>' requires string as left operand, not NoneType");
    value_fn fn = LEAD[p->s[p->pos]];
    if (fn == NULL) return parse_id(p);
    p->pos++;
    return fn(p);
}

json_t *rison_parse(const char *s, size_t len, rison_error_t *err) {
    rison_error_t local;
    parser_t p = {
        .s = (const unsigned char *)(s != NULL ? s : ""),
        .len = s != NULL ? len : 0,
        .err = err != NULL ? err : &local,
    };
    memset(p.err, 0, sizeof *p.err);
    if (!check_encoding(&p)) return NULL;
    /* prison 0.2.1 special-cases exactly this input. */
    if (p.len == 1 && p.s[0] == '(') return fail(&p, RISON_ERR_SYNTAX, 1, "unmatched '('");
    json_t *v = read_value(&p);
    if (v != NULL && !at_end(&p)) {
        json_decref(v);
        v = fail_repr(&p, RISON_ERR_SYNTAX, p.pos, "unable to parse rison string ", 0, p.len);
    }
    if (v != NULL && p.range_mark != NULL && contains(v, p.range_mark)) {
        json_decref(v);
        v = fail(&p, RISON_ERR_RANGE, p.range_at, "%s", p.range_message);
    }
    json_decref(p.range_mark);
    return v;
}

void rison_error_response(const rison_error_t *e, int *status, const char **message) {
    bool fatal = e != NULL && e->fatal;
    *status = fatal ? 500 : 400;
    *message = fatal ? "Fatal error" : "Not a valid rison/json argument";
}

/* ---- serializer ------------------------------------------------------- */

static bool dump_value(strbuf_t *sb, const json_t *v, int depth);

static bool is_id(const unsigned char *s, size_t n) {
    if (n == 0 || !(CHAR_CLASS[s[0]] & ID_START)) return false;
    for (size_t i = 1; i < n; i++)
        if (!(CHAR_CLASS[s[i]] & ID_CHAR)) return false;
    return true;
}

/* A string as an id when it is one, else quoted with `!` and `'` escaped. */
static bool dump_text(strbuf_t *sb, const char *s, size_t n) {
    const unsigned char *u = (const unsigned char *)s;
    if (memchr(s, '\0', n) != NULL) return false;
    if (is_id(u, n)) {
        strbuf_append(sb, s, n);
        return true;
    }
    strbuf_putc(sb, '\'');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '!' || s[i] == '\'') strbuf_putc(sb, '!');
        strbuf_putc(sb, s[i]);
    }
    strbuf_putc(sb, '\'');
    return true;
}

static bool dump_string(strbuf_t *sb, const json_t *v, int depth) {
    (void)depth;
    return dump_text(sb, json_string_value(v), json_string_length(v));
}

static bool dump_integer(strbuf_t *sb, const json_t *v, int depth) {
    (void)depth;
    strbuf_printf(sb, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    return true;
}

/* Python repr without '+' ("1e16"): it always holds '.' or 'e', so it reads
 * back as a float. */
static bool dump_real(strbuf_t *sb, const json_t *v, int depth) {
    (void)depth;
    char buf[PYFLOAT_BUF];
    size_t n = pyfloat_repr(json_real_value(v), buf);
    for (size_t i = 0; i < n; i++)
        if (buf[i] != '+') strbuf_putc(sb, buf[i]);
    return true;
}

static bool dump_true(strbuf_t *sb, const json_t *v, int depth) {
    (void)v, (void)depth;
    strbuf_puts(sb, "!t");
    return true;
}

static bool dump_false(strbuf_t *sb, const json_t *v, int depth) {
    (void)v, (void)depth;
    strbuf_puts(sb, "!f");
    return true;
}

static bool dump_null(strbuf_t *sb, const json_t *v, int depth) {
    (void)v, (void)depth;
    strbuf_puts(sb, "!n");
    return true;
}

static bool dump_array(strbuf_t *sb, const json_t *v, int depth) {
    if (depth >= RISON_MAX_DEPTH) return false;
    strbuf_puts(sb, "!(");
    for (size_t i = 0; i < json_array_size(v); i++) {
        if (i > 0) strbuf_putc(sb, ',');
        if (!dump_value(sb, json_array_get(v, i), depth + 1)) return false;
    }
    strbuf_putc(sb, ')');
    return true;
}

typedef struct member {
    const char *key;
    size_t key_len;
    const json_t *value;
} member_t;

/* Byte order, which is code point order for UTF-8 (Python's sorted()). */
static int member_cmp(const void *a, const void *b) {
    const member_t *x = a, *y = b;
    size_t n = x->key_len < y->key_len ? x->key_len : y->key_len;
    int c = memcmp(x->key, y->key, n);
    if (c != 0) return c;
    return (x->key_len > y->key_len) - (x->key_len < y->key_len);
}

static bool dump_object(strbuf_t *sb, const json_t *v, int depth) {
    if (depth >= RISON_MAX_DEPTH) return false;
    size_t n = json_object_size(v);
    member_t *m = arena_calloc(sb->arena, n > 0 ? n : 1, sizeof *m);
    size_t k = 0;
    for (void *it = json_object_iter((json_t *)v); it != NULL && k < n;
         it = json_object_iter_next((json_t *)v, it), k++) {
        m[k] = (member_t){json_object_iter_key(it), json_object_iter_key_len(it),
                          json_object_iter_value(it)};
    }
    qsort(m, k, sizeof *m, member_cmp);
    strbuf_putc(sb, '(');
    for (size_t i = 0; i < k; i++) {
        if (i > 0) strbuf_putc(sb, ',');
        if (!dump_text(sb, m[i].key, m[i].key_len)) return false;
        strbuf_putc(sb, ':');
        if (!dump_value(sb, m[i].value, depth + 1)) return false;
    }
    strbuf_putc(sb, ')');
    return true;
}

typedef bool (*dump_fn)(strbuf_t *sb, const json_t *v, int depth);
static const dump_fn DUMP[JSON_TYPE_COUNT] = {
    [JSON_OBJECT] = dump_object,   [JSON_ARRAY] = dump_array, [JSON_STRING] = dump_string,
    [JSON_INTEGER] = dump_integer, [JSON_REAL] = dump_real,   [JSON_TRUE] = dump_true,
    [JSON_FALSE] = dump_false,     [JSON_NULL] = dump_null,
};

/* depth: containers already open around v. */
static bool dump_value(strbuf_t *sb, const json_t *v, int depth) {
    return DUMP[json_typeof(v)](sb, v, depth);
}

char *rison_dump(arena_t *a, const json_t *v) {
    if (v == NULL) return NULL;
    strbuf_t sb;
    strbuf_init_arena(&sb, a, 64);
    if (!dump_value(&sb, v, 0)) return NULL;
    return sb.data;
}
