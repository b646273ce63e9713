/* YAML to JSON conversion on libyaml's document loader; see yaml_json.h.
 * libyaml (Debian libyaml-dev) is the standard C YAML 1.1 parser, the same
 * parser PyYAML wraps, so bundles parse as they do for the reference. */
#include "lib/yaml_json.h"

#include "lib/pyfloat.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define MAX_DEPTH 200
#define MAX_NODES 2000000

typedef struct conv {
    yaml_document_t *doc;
    size_t budget;
} conv_t;

static bool is_one_of(const char *s, const char *const *list) {
    for (; *list; list++)
        if (!strcmp(s, *list)) return true;
    return false;
}

static const char *const null_words[] = {"", "~", "null", "Null", "NULL", NULL};
static const char *const true_words[] = {"yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", NULL};
static const char *const false_words[] = {"no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", NULL};

/* s without '_' separators (YAML 1.1 allows them inside numbers). */
static char *strip_underscores(const char *s) {
    char *out = malloc(strlen(s) + 1), *o = out;
    for (; *s; s++)
        if (*s != '_') *o++ = *s;
    *o = 0;
    return out;
}

static bool all_chars(const char *s, const char *set) {
    if (!*s) return false;
    for (; *s; s++)
        if (!strchr(set, *s)) return false;
    return true;
}

/* YAML 1.1 int: [-+]?(0b[01_]+ | 0[0-7_]+ | 0|[1-9][0-9_]* | 0x[0-9a-fA-F_]+) */
static json_t *plain_int(const char *s) {
    const char *p = s;
    int sign = 1;
    if (*p == '-' || *p == '+') sign = *p++ == '-' ? -1 : 1;
    int base = 10;
    const char *digits = p;
    if (p[0] == '0' && p[1] == 'b') base = 2, digits = p + 2;
    else if (p[0] == '0' && p[1] == 'x') base = 16, digits = p + 2;
    else if (p[0] == '0' && p[1]) base = 8, digits = p + 1;
    static const char *const sets[] = {[2] = "01_", [8] = "01234567_", [10] = "0123456789_", [16] = "0123456789abcdefABCDEF_"};
    if (!all_chars(digits, sets[base])) return NULL;
    if (base == 10 && digits[0] == '_') return NULL;
    char *clean = strip_underscores(digits);
    errno = 0;
    char *end;
    long long v = strtoll(clean, &end, base);
    bool ok = *clean && !*end && errno == 0;
    free(clean);
    return ok ? json_integer(sign * v) : NULL;
}

/* YAML 1.1 float: [-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+][0-9]+)? and .inf/.nan */
static json_t *plain_float(const char *s) {
    const char *p = s;
    if (*p == '-' || *p == '+') p++;
    if (!strcmp(p, ".inf") || !strcmp(p, ".Inf") || !strcmp(p, ".INF") || !strcmp(s, ".nan") ||
        !strcmp(s, ".NaN") || !strcmp(s, ".NAN"))
        return json_string(s); /* JSON has no infinities or NaN: kept as text */
    const char *q = p;
    while (isdigit((unsigned char)*q) || (*q == '_' && q != p)) q++;
    if (*q != '.') return NULL;
    q++;
    while (isdigit((unsigned char)*q) || *q == '_') q++;
    if (*q == 'e' || *q == 'E') {
        q++;
        if (*q != '-' && *q != '+') return NULL;
        q++;
        if (!isdigit((unsigned char)*q)) return NULL;
        while (isdigit((unsigned char)*q)) q++;
    }
    if (*q || q == p + 1) return NULL; /* a lone "." is a string */
    char *clean = strip_underscores(s);
    double v = strtod(clean, NULL);
    free(clean);
    return isfinite(v) ? json_real(v) : json_string(s);
}

static json_t *scalar(const yaml_node_t *n) {
    const char *s = (const char *)n->data.scalar.value;
    size_t len = n->data.scalar.length;
    const char *tag = (const char *)n->tag;
    /* the loader gives untagged plain scalars the default (str) tag, so an
     * explicit "!!str" on a plain scalar cannot be told apart (rare) */
    bool plain = n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && (!tag || !strcmp(tag, YAML_DEFAULT_SCALAR_TAG));
    if (plain && strlen(s) == len) {
        if (is_one_of(s, null_words)) return json_null();
        if (is_one_of(s, true_words)) return json_true();
        if (is_one_of(s, false_words)) return json_false();
        json_t *num = plain_int(s);
        if (!num) num = plain_float(s);
        if (num) return num;
    }
    if (tag && !strcmp(tag, YAML_NULL_TAG)) return json_null();
    return json_stringn(s, len);
}

static json_t *convert(conv_t *c, yaml_node_t *n, int depth);

/* The text form of a mapping key: a scalar's value, else its JSON. */
static char *key_text(conv_t *c, yaml_node_t *k, int depth) {
    if (k->type == YAML_SCALAR_NODE) return strndup((const char *)k->data.scalar.value, k->data.scalar.length);
    json_t *j = convert(c, k, depth + 1);
    char *s = j ? json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    json_decref(j);
    return s;
}

static json_t *convert(conv_t *c, yaml_node_t *n, int depth) {
    if (!n || depth > MAX_DEPTH || c->budget == 0) return NULL;
    c->budget--;
    switch (n->type) {
    case YAML_SCALAR_NODE:
        return scalar(n);
    case YAML_SEQUENCE_NODE: {
        json_t *arr = json_array();
        for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
            json_t *v = convert(c, yaml_document_get_node(c->doc, *it), depth + 1);
            if (!v) return json_decref(arr), NULL;
            json_array_append_new(arr, v);
        }
        return arr;
    }
    case YAML_MAPPING_NODE: {
        json_t *obj = json_object();
        for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
            yaml_node_t *k = yaml_document_get_node(c->doc, pr->key);
            char *key = k ? key_text(c, k, depth) : NULL;
            json_t *v = key ? convert(c, yaml_document_get_node(c->doc, pr->value), depth + 1) : NULL;
            if (!v) {
                free(key);
                return json_decref(obj), NULL;
            }
            json_object_set_new(obj, key, v);
            free(key);
        }
        return obj;
    }
    default:
        return NULL;
    }
}

json_t *yaml_to_json(const char *text, size_t n) {
    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser)) return NULL;
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, n);
    json_t *out = NULL;
    if (yaml_parser_load(&parser, &doc)) {
        yaml_node_t *root = yaml_document_get_root_node(&doc);
        conv_t c = {&doc, MAX_NODES};
        out = root ? convert(&c, root, 0) : json_null();
        yaml_document_delete(&doc);
    }
    yaml_parser_delete(&parser);
    return out;
}

/* ---- the other direction: PyYAML safe_dump ---- */

static bool timestamp_like(const char *s) {
    /* YYYY-MM-DD, or YYYY-M-D[Tt ]H:MM:SS[.frac][ ][Z|+-H[:MM]] (PyYAML's timestamp resolver) */
    int i = 0;
    for (; i < 4; i++)
        if (!isdigit((unsigned char)s[i])) return false;
    if (s[4] != '-') return false;
    const char *p = s + 5;
    int n = 0;
    while (isdigit((unsigned char)p[n])) n++;
    if (n < 1 || n > 2 || p[n] != '-') return false;
    p += n + 1;
    n = 0;
    while (isdigit((unsigned char)p[n])) n++;
    if (n < 1 || n > 2) return false;
    p += n;
    if (!*p) return (p - s) == 10; /* the date form needs two-digit month and day */
    if (*p == 'T' || *p == 't') p++;
    else if (*p == ' ' || *p == '\t') while (*p == ' ' || *p == '\t') p++;
    else return false;
    n = 0;
    while (isdigit((unsigned char)p[n])) n++;
    if (n < 1 || n > 2 || p[n] != ':') return false;
    p += n + 1;
    if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]) || p[2] != ':') return false;
    p += 3;
    if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1])) return false;
    p += 2;
    if (*p == '.') {
        p++;
        while (isdigit((unsigned char)*p)) p++;
    }
    while (*p == ' ' || *p == '\t') p++;
    if (!*p) return true;
    if (*p == 'Z') return !p[1];
    if (*p != '+' && *p != '-') return false;
    p++;
    n = 0;
    while (isdigit((unsigned char)p[n])) n++;
    if (n < 1 || n > 2) return false;
    p += n;
    if (!*p) return true;
    return p[0] == ':' && isdigit((unsigned char)p[1]) && isdigit((unsigned char)p[2]) && !p[3];
}

bool yaml_plain_is_string(const char *s) {
    if (is_one_of(s, null_words) || is_one_of(s, true_words) || is_one_of(s, false_words)) return false;
    if (!strcmp(s, "<<") || !strcmp(s, "=")) return false;
    json_t *num = plain_int(s);
    if (!num) num = plain_float(s);
    if (num) {
        json_decref(num);
        return false;
    }
    return !timestamp_like(s);
}

typedef struct emit_buf {
    char *data;
    size_t len, cap;
} emit_buf_t;

static int emit_write(void *ud, unsigned char *buf, size_t n) {
    emit_buf_t *b = ud;
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->data = realloc(b->data, b->cap);
    }
    memcpy(b->data + b->len, buf, n);
    b->len += n;
    b->data[b->len] = 0;
    return 1;
}

static bool emit_scalar(yaml_emitter_t *e, const char *text, bool is_string) {
    yaml_event_t ev;
    int plain_implicit = is_string ? yaml_plain_is_string(text) : 1;
    yaml_scalar_event_initialize(&ev, NULL, (yaml_char_t *)YAML_STR_TAG, (yaml_char_t *)text, (int)strlen(text),
                                 plain_implicit, is_string, YAML_ANY_SCALAR_STYLE);
    return yaml_emitter_emit(e, &ev);
}

/* PyYAML's represent_float: repr(), lower case, ".0" added before an exponent. */
static void float_text(double d, char *out, size_t n) {
    if (isnan(d)) snprintf(out, n, ".nan");
    else if (isinf(d)) snprintf(out, n, d > 0 ? ".inf" : "-.inf");
    else {
        char buf[PYFLOAT_BUF];
        pyfloat_repr(d, buf);
        char *e = strchr(buf, 'e');
        if (e && !strchr(buf, '.')) snprintf(out, n, "%.*s.0%s", (int)(e - buf), buf, e);
        else snprintf(out, n, "%s", buf);
    }
}

static bool emit_value(yaml_emitter_t *e, const json_t *v, int depth) {
    yaml_event_t ev;
    char num[64];
    if (depth > MAX_DEPTH) return false;
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        yaml_mapping_start_event_initialize(&ev, NULL, (yaml_char_t *)YAML_MAP_TAG, 1, YAML_ANY_MAPPING_STYLE);
        if (!yaml_emitter_emit(e, &ev)) return false;
        const char *k;
        json_t *x;
        json_object_foreach((json_t *)v, k, x) if (!emit_scalar(e, k, true) || !emit_value(e, x, depth + 1)) return false;
        yaml_mapping_end_event_initialize(&ev);
        return yaml_emitter_emit(e, &ev);
    }
    case JSON_ARRAY: {
        yaml_sequence_start_event_initialize(&ev, NULL, (yaml_char_t *)YAML_SEQ_TAG, 1, YAML_ANY_SEQUENCE_STYLE);
        if (!yaml_emitter_emit(e, &ev)) return false;
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) if (!emit_value(e, x, depth + 1)) return false;
        yaml_sequence_end_event_initialize(&ev);
        return yaml_emitter_emit(e, &ev);
    }
    case JSON_STRING: return emit_scalar(e, json_string_value(v), true);
    case JSON_INTEGER:
        snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
        return emit_scalar(e, num, false);
    case JSON_REAL:
        float_text(json_real_value(v), num, sizeof num);
        return emit_scalar(e, num, false);
    case JSON_TRUE: return emit_scalar(e, "true", false);
    case JSON_FALSE: return emit_scalar(e, "false", false);
    default: return emit_scalar(e, "null", false);
    }
}

char *json_to_yaml(const json_t *v, size_t *len) {
    yaml_emitter_t e;
    yaml_event_t ev;
    emit_buf_t b = {NULL, 0, 0};
    if (!yaml_emitter_initialize(&e)) return NULL;
    yaml_emitter_set_output(&e, emit_write, &b);
    yaml_emitter_set_unicode(&e, 0);
    yaml_emitter_set_width(&e, 80);
    yaml_emitter_set_indent(&e, 2);
    bool ok = yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING) && yaml_emitter_emit(&e, &ev) &&
              yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1) && yaml_emitter_emit(&e, &ev) &&
              emit_value(&e, v, 0) && yaml_document_end_event_initialize(&ev, 1) && yaml_emitter_emit(&e, &ev) &&
              yaml_stream_end_event_initialize(&ev) && yaml_emitter_emit(&e, &ev) && yaml_emitter_flush(&e);
    yaml_emitter_delete(&e);
    if (!ok) {
        free(b.data);
        return NULL;
    }
    if (len) *len = b.len;
    return b.data;
}
