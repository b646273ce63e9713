/* json_to_yaml (declared in yaml_json.h): a block-style YAML writer that
 * makes the same choices as PyYAML's yaml.safe_dump(v, sort_keys=False) with
 * its defaults (indent 2, width 80, no unicode, indentless sequences under
 * mapping keys), so exported files match the reference byte for byte:
 * scalar style from the same analysis (plain, then single-quoted, then
 * double-quoted), and the same folding of long lines in each style. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/pyfloat.h"
#include "lib/strbuf.h"
#include "lib/yaml_json.h"

#define BEST_WIDTH 80
#define BEST_INDENT 2
#define MAX_DEPTH 200

typedef struct em {
    strbuf_t out;
    int column, indent; /* indent -1: none yet */
    bool whitespace, indention;
} em_t;

/* ---- output primitives ---- */

static void put(em_t *e, const char *s, size_t n, int cols) {
    strbuf_append(&e->out, s, n);
    e->column += cols;
}

static void line_break(em_t *e) {
    strbuf_putc(&e->out, '\n');
    e->column = 0;
    e->whitespace = e->indention = true;
}

static void write_indent(em_t *e) {
    int indent = e->indent < 0 ? 0 : e->indent;
    if (!e->indention || e->column > indent || (e->column == indent && !e->whitespace)) line_break(e);
    if (e->column < indent) {
        e->whitespace = true;
        while (e->column < indent) put(e, " ", 1, 1);
    }
}

static void write_indicator(em_t *e, const char *ind, bool need_ws, bool ws, bool indention) {
    if (!e->whitespace && need_ws) put(e, " ", 1, 1);
    put(e, ind, strlen(ind), (int)strlen(ind));
    e->whitespace = ws;
    e->indention = e->indention && indention;
}

/* ---- scalars as code points ---- */

typedef struct text {
    uint32_t *cp;
    size_t n;
} text_t;

static text_t decode(const char *s, size_t len) {
    text_t t = {malloc((len + 1) * sizeof(uint32_t)), 0};
    const unsigned char *end = (const unsigned char *)s + len;
    for (const unsigned char *p = (const unsigned char *)s; p < end;) {
        unsigned n = *p < 0x80 ? 1 : *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : 2;
        uint32_t c = n == 1 ? *p : (uint32_t)(*p & (0xFF >> (n + 1)));
        unsigned i = 1;
        for (; i < n && p + i < end; i++) c = (c << 6) | (p[i] & 0x3F);
        t.cp[t.n++] = c;
        p += i;
    }
    return t;
}

static void put_cp(em_t *e, uint32_t c) {
    char buf[4];
    size_t n;
    if (c < 0x80) buf[0] = (char)c, n = 1;
    else if (c < 0x800) buf[0] = (char)(0xC0 | (c >> 6)), buf[1] = (char)(0x80 | (c & 0x3F)), n = 2;
    else if (c < 0x10000)
        buf[0] = (char)(0xE0 | (c >> 12)), buf[1] = (char)(0x80 | ((c >> 6) & 0x3F)), buf[2] = (char)(0x80 | (c & 0x3F)), n = 3;
    else
        buf[0] = (char)(0xF0 | (c >> 18)), buf[1] = (char)(0x80 | ((c >> 12) & 0x3F)),
        buf[2] = (char)(0x80 | ((c >> 6) & 0x3F)), buf[3] = (char)(0x80 | (c & 0x3F)), n = 4;
    put(e, buf, n, 1);
}

static void put_range(em_t *e, const text_t *t, size_t from, size_t to) {
    for (size_t i = from; i < to; i++) put_cp(e, t->cp[i]);
}

static bool is_break(uint32_t c) { return c == '\n' || c == 0x85 || c == 0x2028 || c == 0x2029; }
static bool is_ws_or_end(const text_t *t, size_t i) {
    if (i >= t->n) return true;
    uint32_t c = t->cp[i];
    return c == 0 || c == ' ' || c == '\t' || c == '\r' || is_break(c);
}

typedef struct analysis {
    bool empty, multiline, flow_plain, block_plain, single_quoted;
} analysis_t;

static analysis_t analyze(const text_t *t) {
    analysis_t a = {t->n == 0, false, true, true, true};
    if (a.empty) {
        a.flow_plain = a.block_plain = false;
        return a;
    }
    bool block_ind = false, flow_ind = false, line_breaks = false, special = false;
    bool lead_space = false, lead_break = false, trail_space = false, trail_break = false;
    bool break_space = false, space_break = false, prev_space = false, prev_break = false;
    if (t->n >= 3 && ((t->cp[0] == '-' && t->cp[1] == '-' && t->cp[2] == '-') ||
                      (t->cp[0] == '.' && t->cp[1] == '.' && t->cp[2] == '.')))
        block_ind = flow_ind = true;
    bool preceded_ws = true;
    for (size_t i = 0; i < t->n; i++) {
        uint32_t c = t->cp[i];
        bool followed_ws = is_ws_or_end(t, i + 1);
        if (i == 0) {
            if (c < 0x80 && strchr("#,[]{}&*!|>'\"%@`", (int)c) && c) flow_ind = block_ind = true;
            if (c == '?' || c == ':') {
                flow_ind = true;
                if (followed_ws) block_ind = true;
            }
            if (c == '-' && followed_ws) flow_ind = block_ind = true;
        } else {
            if (c < 0x80 && c && strchr(",?[]{}", (int)c)) flow_ind = true;
            if (c == ':') {
                flow_ind = true;
                if (followed_ws) block_ind = true;
            }
            if (c == '#' && preceded_ws) flow_ind = block_ind = true;
        }
        if (is_break(c)) line_breaks = true;
        if (!(c == '\n' || (c >= 0x20 && c <= 0x7E))) special = true; /* allow_unicode is off */
        if (c == ' ') {
            if (i == 0) lead_space = true;
            if (i == t->n - 1) trail_space = true;
            if (prev_break) break_space = true;
            prev_space = true, prev_break = false;
        } else if (is_break(c)) {
            if (i == 0) lead_break = true;
            if (i == t->n - 1) trail_break = true;
            if (prev_space) space_break = true;
            prev_space = false, prev_break = true;
        } else prev_space = prev_break = false;
        preceded_ws = c == 0 || c == ' ' || c == '\t' || c == '\r' || is_break(c);
    }
    a.multiline = line_breaks;
    if (lead_space || lead_break || trail_space || trail_break) a.flow_plain = a.block_plain = false;
    if (break_space) a.flow_plain = a.block_plain = a.single_quoted = false;
    if (space_break || special) a.flow_plain = a.block_plain = a.single_quoted = false;
    if (line_breaks) a.flow_plain = a.block_plain = false;
    if (flow_ind) a.flow_plain = false;
    if (block_ind) a.block_plain = false;
    return a;
}

static void write_plain(em_t *e, const text_t *t) {
    if (!t->n) return;
    if (!e->whitespace) put(e, " ", 1, 1);
    e->whitespace = e->indention = false;
    bool spaces = false;
    size_t start = 0;
    for (size_t end = 0; end <= t->n; end++) {
        uint32_t c = end < t->n ? t->cp[end] : 0;
        bool at_end = end == t->n;
        if (spaces) {
            if (at_end || c != ' ') {
                if (start + 1 == end && e->column > BEST_WIDTH) {
                    write_indent(e);
                    e->whitespace = e->indention = false;
                } else put_range(e, t, start, end);
                start = end;
            }
        } else if (at_end || c == ' ') {
            put_range(e, t, start, end);
            start = end;
        }
        if (!at_end) spaces = c == ' ';
    }
}

/* Line breaks inside quoted scalars: the reference writes one extra break
 * before a run that starts with '\n', then each break, then the indent. */
static void write_breaks(em_t *e, const text_t *t, size_t start, size_t end) {
    if (t->cp[start] == '\n') line_break(e);
    for (size_t i = start; i < end; i++) {
        if (t->cp[i] == '\n') line_break(e);
        else {
            put_cp(e, t->cp[i]);
            e->column = 0;
            e->whitespace = e->indention = true;
        }
    }
    write_indent(e);
}

static void write_single_quoted(em_t *e, const text_t *t) {
    write_indicator(e, "'", true, false, false);
    bool spaces = false, breaks = false;
    size_t start = 0;
    for (size_t end = 0; end <= t->n; end++) {
        bool at_end = end == t->n;
        uint32_t c = at_end ? 0 : t->cp[end];
        if (spaces) {
            if (at_end || c != ' ') {
                if (start + 1 == end && e->column > BEST_WIDTH && start != 0 && end != t->n) write_indent(e);
                else put_range(e, t, start, end);
                start = end;
            }
        } else if (breaks) {
            if (at_end || !is_break(c)) {
                write_breaks(e, t, start, end);
                start = end;
            }
        } else if ((at_end || c == ' ' || is_break(c) || c == '\'') && start < end) {
            put_range(e, t, start, end);
            start = end;
        }
        if (c == '\'') {
            put(e, "''", 2, 2);
            start = end + 1;
        }
        if (!at_end) spaces = c == ' ', breaks = is_break(c);
    }
    write_indicator(e, "'", false, false, false);
}

static const char *escape_of(uint32_t c) {
    switch (c) {
    case 0: return "0";
    case 0x07: return "a";
    case 0x08: return "b";
    case 0x09: return "t";
    case 0x0A: return "n";
    case 0x0B: return "v";
    case 0x0C: return "f";
    case 0x0D: return "r";
    case 0x1B: return "e";
    case '"': return "\"";
    case '\\': return "\\";
    case 0x85: return "N";
    case 0xA0: return "_";
    case 0x2028: return "L";
    case 0x2029: return "P";
    default: return NULL;
    }
}

static void write_double_quoted(em_t *e, const text_t *t) {
    write_indicator(e, "\"", true, false, false);
    size_t start = 0;
    for (size_t end = 0; end <= t->n; end++) {
        bool at_end = end == t->n;
        uint32_t c = at_end ? 0 : t->cp[end];
        if (at_end || c == '"' || c == '\\' || c == 0x85 || c == 0x2028 || c == 0x2029 || c == 0xFEFF ||
            !(c >= 0x20 && c <= 0x7E)) {
            if (start < end) {
                put_range(e, t, start, end);
                start = end;
            }
            if (!at_end) {
                char buf[16];
                const char *esc = escape_of(c);
                if (esc) snprintf(buf, sizeof buf, "\\%s", esc);
                else if (c <= 0xFF) snprintf(buf, sizeof buf, "\\x%02X", c);
                else if (c <= 0xFFFF) snprintf(buf, sizeof buf, "\\u%04X", c);
                else snprintf(buf, sizeof buf, "\\U%08X", c);
                put(e, buf, strlen(buf), (int)strlen(buf));
                start = end + 1;
            }
        }
        if (end > 0 && end + 1 < t->n && (c == ' ' || start >= end) &&
            e->column + (int)(end - start) > BEST_WIDTH) {
            put_range(e, t, start, end);
            put(e, "\\", 1, 1);
            if (start < end) start = end;
            write_indent(e);
            e->whitespace = e->indention = false;
            if (t->cp[start] == ' ') put(e, "\\", 1, 1);
        }
    }
    write_indicator(e, "\"", false, false, false);
}

/* A scalar in the reference's style; is_string: the value is text (else a
 * number, boolean or null, always plain). */
static void emit_scalar(em_t *e, const char *s, size_t len, bool is_string, bool simple_key) {
    int saved = e->indent;
    e->indent = e->indent < 0 ? BEST_INDENT : e->indent + BEST_INDENT;
    text_t t = decode(s, len);
    analysis_t a = analyze(&t);
    bool implicit = !is_string || yaml_plain_is_string(s);
    if (implicit && !(simple_key && (a.empty || a.multiline)) && a.block_plain) write_plain(e, &t);
    else if (a.single_quoted && !(simple_key && a.multiline)) write_single_quoted(e, &t);
    else write_double_quoted(e, &t);
    free(t.cp);
    e->indent = saved;
}

/* PyYAML's represent_float: repr(), lower case, ".0" added before an exponent. */
static void float_text(double d, char *out, size_t n) {
    if (d != d) snprintf(out, n, ".nan");
    else if (d > 1.7976931348623157e308) snprintf(out, n, ".inf");
    else if (d < -1.7976931348623157e308) snprintf(out, n, "-.inf");
    else {
        char buf[PYFLOAT_BUF];
        pyfloat_repr(d, buf);
        char *ex = strchr(buf, 'e');
        if (ex && !strchr(buf, '.')) snprintf(out, n, "%.*s.0%s", (int)(ex - buf), buf, ex);
        else snprintf(out, n, "%s", buf);
    }
}

static bool emit_node(em_t *e, const json_t *v, bool mapping_context, int depth);

static void emit_empty(em_t *e, const char *open, const char *close) {
    write_indicator(e, open, true, true, false);
    write_indicator(e, close, false, false, false);
}

/* A key written as "key:" must be short (with its "!!str" tag, under 128
 * characters), non-empty and on one line. */
static bool simple_key(const char *k) {
    text_t t = decode(k, strlen(k));
    bool multiline = false;
    for (size_t i = 0; i < t.n; i++) multiline = multiline || is_break(t.cp[i]);
    bool ok = t.n > 0 && t.n + 5 < 128 && !multiline;
    free(t.cp);
    return ok;
}

static bool emit_mapping(em_t *e, const json_t *v, int depth) {
    if (!json_object_size(v)) return emit_empty(e, "{", "}"), true;
    int saved = e->indent;
    e->indent = e->indent < 0 ? 0 : e->indent + BEST_INDENT;
    const char *k;
    json_t *x;
    json_object_foreach((json_t *)v, k, x) {
        write_indent(e);
        if (simple_key(k)) {
            emit_scalar(e, k, strlen(k), true, true);
            write_indicator(e, ":", false, false, false);
        } else { /* "? key" / ": value" */
            write_indicator(e, "?", true, false, true);
            emit_scalar(e, k, strlen(k), true, false);
            write_indent(e);
            write_indicator(e, ":", true, false, true);
        }
        if (!emit_node(e, x, true, depth + 1)) return false;
    }
    e->indent = saved;
    return true;
}

static bool emit_sequence(em_t *e, const json_t *v, bool mapping_context, int depth) {
    if (!json_array_size(v)) return emit_empty(e, "[", "]"), true;
    int saved = e->indent;
    bool indentless = mapping_context && !e->indention;
    if (e->indent < 0) e->indent = 0;
    else if (!indentless) e->indent += BEST_INDENT;
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x) {
        write_indent(e);
        write_indicator(e, "-", true, false, true);
        if (!emit_node(e, x, false, depth + 1)) return false;
    }
    e->indent = saved;
    return true;
}

static bool emit_node(em_t *e, const json_t *v, bool mapping_context, int depth) {
    char num[64];
    if (depth > MAX_DEPTH) return false;
    switch (json_typeof(v)) {
    case JSON_OBJECT: return emit_mapping(e, v, depth);
    case JSON_ARRAY: return emit_sequence(e, v, mapping_context, depth);
    case JSON_STRING: emit_scalar(e, json_string_value(v), json_string_length(v), true, false); return true;
    case JSON_INTEGER: snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v)); break;
    case JSON_REAL: float_text(json_real_value(v), num, sizeof num); break;
    case JSON_TRUE: snprintf(num, sizeof num, "true"); break;
    case JSON_FALSE: snprintf(num, sizeof num, "false"); break;
    default: snprintf(num, sizeof num, "null"); break;
    }
    emit_scalar(e, num, strlen(num), false, false);
    return true;
}

char *json_to_yaml(const json_t *v, size_t *len) {
    em_t e = {.column = 0, .indent = -1, .whitespace = true, .indention = true};
    strbuf_init(&e.out, 1024);
    if (!emit_node(&e, v, false, 0)) {
        strbuf_free(&e.out);
        return NULL;
    }
    e.indent = -1;
    write_indent(&e); /* document end */
    if (len) *len = e.out.len;
    return e.out.data;
}
