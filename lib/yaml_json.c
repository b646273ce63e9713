/* YAML to JSON conversion on libyaml's document loader; see yaml_json.h.
 * libyaml (Debian libyaml-dev) is the standard C YAML 1.1 parser, the same
 * parser PyYAML wraps, so bundles parse as they do for the reference. */
#include "lib/yaml_json.h"

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

/* YAML 1.1 base-60 numbers: [-+]?[1-9][0-9_]*(:[0-5]?[0-9])+ (int) and
 * [-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]* (float), e.g. 19:00:00 = 68400. */
static json_t *plain_sexagesimal(const char *s) {
    const char *p = s;
    int sign = 1;
    if (*p == '-' || *p == '+') sign = *p++ == '-' ? -1 : 1;
    if (!isdigit((unsigned char)*p)) return NULL;
    bool leading_zero = *p == '0';
    double value = 0;
    const char *q = p;
    while (isdigit((unsigned char)*q) || *q == '_') {
        if (*q != '_') value = value * 10 + (*q - '0');
        q++;
    }
    int parts = 0;
    while (*q == ':') {
        q++;
        int digits = 0, part = 0;
        while (isdigit((unsigned char)*q) && digits < 2) part = part * 10 + (*q++ - '0'), digits++;
        if (!digits || (digits == 2 && q[-2] > '5')) return NULL;
        value = value * 60 + part;
        parts++;
    }
    if (!parts) return NULL;
    if (!*q) return leading_zero ? NULL : json_integer((json_int_t)(sign * value));
    if (*q != '.') return NULL;
    char *frac_end;
    double frac = strtod(q, &frac_end);
    for (const char *f = q + 1; *f; f++)
        if (!isdigit((unsigned char)*f) && *f != '_') return NULL;
    (void)frac_end;
    return json_real(sign * (value + (strchr(q, '_') ? 0 : frac)));
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
        if (!num) num = plain_sexagesimal(s);
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
    if (!num) num = plain_sexagesimal(s);
    if (num) {
        json_decref(num);
        return false;
    }
    return !timestamp_like(s);
}
