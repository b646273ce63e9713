/* jansson helpers: Python-identical serialization, parsing, getters; see json.h. */
#include "lib/json.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/pyfloat.h"

static int collect(const char *buf, size_t size, void *data) {
    strbuf_append(data, buf, size);
    return 0;
}

static bool is_number_char(char c) {
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

/* Copies the string literal starting at s[i] (the opening quote) to out with
 * lower-case \u escapes (and DEL escaped if ascii). Returns the index after
 * the closing quote. jansson's output is well-formed, so no bounds surprises. */
static size_t rewrite_string(strbuf_t *out, const char *s, size_t n, size_t i, bool ascii) {
    size_t run = i++;
    while (i < n && s[i] != '"') {
        if (s[i] == '\\' && s[i + 1] == 'u') {
            strbuf_append(out, s + run, i + 2 - run);
            for (size_t k = i + 2; k < i + 6; k++) strbuf_putc(out, (char)tolower((unsigned char)s[k]));
            i += 6;
            run = i;
        } else if (s[i] == '\\') {
            i += 2;
        } else if (s[i] == 0x7f && ascii) {
            strbuf_append(out, s + run, i - run);
            strbuf_puts(out, "\\u007f");
            run = ++i;
        } else {
            i++;
        }
    }
    if (i < n) i++; /* closing quote */
    strbuf_append(out, s + run, i - run);
    return i;
}

/* Copies the number token at s[i]; reals are re-rendered as Python's repr.
 * Returns the index after the token. */
static size_t rewrite_number(strbuf_t *out, const char *s, size_t n, size_t i) {
    size_t end = i;
    bool real = false;
    while (end < n && is_number_char(s[end])) {
        if (s[end] == '.' || s[end] == 'e' || s[end] == 'E') real = true;
        end++;
    }
    char tok[64];
    if (!real || end - i >= sizeof tok) {
        strbuf_append(out, s + i, end - i);
        return end;
    }
    memcpy(tok, s + i, end - i);
    tok[end - i] = '\0';
    char repr[PYFLOAT_BUF];
    strbuf_append(out, repr, pyfloat_repr(strtod(tok, NULL), repr));
    return end;
}

/* Appends jansson's output s to out, rewritten to Python's bytes. Outside
 * string literals the text is only punctuation, whitespace, numbers and the
 * words true/false/null, so a token scan is enough. */
static void append_python_style(strbuf_t *out, const char *s, size_t n, bool ascii) {
    size_t i = 0, run = 0;
    while (i < n) {
        if (s[i] == '"' || s[i] == '-' || (s[i] >= '0' && s[i] <= '9')) {
            strbuf_append(out, s + run, i - run);
            i = s[i] == '"' ? rewrite_string(out, s, n, i, ascii) : rewrite_number(out, s, n, i);
            run = i;
        } else {
            i++;
        }
    }
    strbuf_append(out, s + run, n - run);
}

int json_dump_sb(strbuf_t *sb, const json_t *j, size_t flags) {
    strbuf_t raw;
    strbuf_init(&raw, 256);
    int rc = json_dump_callback(j, collect, &raw, flags | JSON_ENCODE_ANY);
    if (rc == 0) {
        strbuf_reserve(sb, raw.len); /* the rewrite is about as long: one allocation, not one per doubling */
        append_python_style(sb, raw.data, raw.len, (flags & JSON_ENSURE_ASCII) != 0);
    }
    strbuf_free(&raw);
    return rc == 0 ? 0 : -1;
}

char *json_dump_arena(arena_t *a, const json_t *j, size_t flags, size_t *len) {
    strbuf_t sb;
    strbuf_init_arena(&sb, a, 256);
    if (json_dump_sb(&sb, j, flags) != 0) return NULL;
    if (len) *len = sb.len;
    return sb.data;
}

json_t *json_parse(const char *s, size_t n, size_t flags, char *err, size_t errlen) {
    json_error_t e;
    json_t *j = json_loadb(s, n, flags, &e);
    if (!j && err && errlen > 0) snprintf(err, errlen, "line %d column %d: %s", e.line, e.column, e.text);
    return j;
}

static void decref_cleanup(void *p) { json_decref(p); }

json_t *json_arena_own(arena_t *a, json_t *j) {
    if (j) arena_on_free(a, decref_cleanup, j);
    return j;
}

json_t *json_parse_arena(arena_t *a, const char *s, size_t n, size_t flags, const char **err) {
    char msg[JSON_ERROR_TEXT_LENGTH + 64];
    json_t *j = json_parse(s, n, flags, msg, sizeof msg);
    if (!j && err) *err = arena_strdup(a, msg);
    return json_arena_own(a, j);
}

const char *json_get_str(const json_t *obj, const char *key, const char *def) {
    const json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
    return json_is_string(v) ? json_string_value(v) : def;
}

json_int_t json_get_int(const json_t *obj, const char *key, json_int_t def) {
    const json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
    return json_is_integer(v) ? json_integer_value(v) : def;
}

bool json_get_bool(const json_t *obj, const char *key, bool def) {
    const json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
    return json_is_boolean(v) ? json_is_true(v) : def;
}
