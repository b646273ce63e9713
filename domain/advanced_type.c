/* The internet_address and port advanced data types; see advanced_type.h. */
#include "domain/advanced_type.h"

#include <string.h>

#include "lib/py_unicode.h"
#include "lib/strbuf.h"

#define PORT_MIN 1
#define PORT_MAX 65535
#define MAX_DECIMAL_DIGITS 39 /* 2**128 - 1 has 39 digits */
#define INT_MAX_STR_DIGITS 4300 /* Python 3.11's default limit for int(str) */

const char *const adt_filter_operators[] = {
    "EQUALS", "GREATER_THAN_OR_EQUAL", "GREATER_THAN", "IN", "LESS_THAN", "LESS_THAN_OR_EQUAL", NULL,
};

/* Named ports of the reference's port plugin (keys are case-sensitive). */
static const struct {
    const char *name;
    int ports[2];
    int n;
} named_ports[] = {
    {"http", {80}, 1},          {"ssh", {22}, 1},            {"https", {443}, 1},
    {"ftp", {20, 21}, 2},       {"ftps", {989, 990}, 2},     {"telnet", {23}, 1},
    {"telnets", {992}, 1},      {"smtp", {25}, 1},           {"submissions", {465}, 1},
    {"kerberos", {88}, 1},      {"kerberos-adm", {749}, 1},  {"poperator3", {110}, 1},
    {"poperator3s", {995}, 1},  {"nntp", {119}, 1},          {"nntps", {563}, 1},
    {"ntp", {123}, 1},          {"snmp", {161}, 1},          {"ldap", {389}, 1},
    {"ldaps", {636}, 1},        {"imap2", {143}, 1},         {"imaps", {993}, 1},
    {"MySQL", {3306}, 1},       {"Remote Desktop", {3389}, 1}, {"dns", {53}, 1},
    {"ctf", {84}, 1},           {"pdap", {344}, 1},
};

/* int(text) of a str.isnumeric() text. */
typedef enum {
    DEC_OK,        /* fits 128 bits: *v */
    DEC_TOO_BIG,   /* a valid integer of 2**128 or more: its digits in *digits */
    DEC_INVALID,   /* a numeric character that is not a decimal digit ("½", "²") */
    DEC_LIMIT,     /* more than INT_MAX_STR_DIGITS digits */
} dec_status_t;

static dec_status_t decimal_value(arena_t *a, const char *s, size_t n, adt_u128 *v, const char **digits,
                                  size_t *count) {
    strbuf_t sb;
    strbuf_init_arena(&sb, a, n + 1);
    for (size_t i = 0; i < n;) {
        int d = py_char_decimal(py_utf8_next(s, n, &i));
        if (d < 0) return DEC_INVALID;
        if (sb.len == 0 && d == 0 && i < n) continue; /* leading zeros */
        strbuf_putc(&sb, (char)('0' + d));
    }
    *count = py_utf8_length(s, n);
    if (*count > INT_MAX_STR_DIGITS) return DEC_LIMIT;
    *digits = sb.data;
    if (sb.len > MAX_DECIMAL_DIGITS) return DEC_TOO_BIG;
    adt_u128 x = 0;
    for (size_t i = 0; i < sb.len; i++) {
        adt_u128 next = x * 10 + (adt_u128)(sb.data[i] - '0');
        if (next / 10 != x) return DEC_TOO_BIG;
        x = next;
    }
    *v = x;
    return DEC_OK;
}

static const char *limit_message(arena_t *a, size_t count) {
    return arena_sprintf(a,
                         "Exceeds the limit (%d digits) for integer string conversion: value has %zu digits; use "
                         "sys.set_int_max_str_digits() to increase the limit",
                         INT_MAX_STR_DIGITS, count);
}

static const char *repr_of(arena_t *a, const char *s, size_t n) {
    strbuf_t sb;
    strbuf_init_arena(&sb, a, n + 3);
    py_repr_str(&sb, s, n);
    return sb.data;
}

static void display_append(strbuf_t *sb, const adt_value_t *v) {
    char x[41], y[41];
    if (sb->len) strbuf_puts(sb, ", ");
    if (v->kind == ADT_INT) {
        adt_u128_format(v->a, x);
        strbuf_puts(sb, x);
    } else if (v->kind == ADT_RANGE) {
        adt_u128_format(v->a, x);
        adt_u128_format(v->b, y);
        strbuf_printf(sb, "%s - %s", x, y);
    } else if (v->kind == ADT_PORTS) {
        strbuf_printf(sb, v->n_ports == 2 ? "[%d, %d]" : "[%d]", v->ports[0], v->ports[1]);
    }
}

static void response_init(arena_t *a, const adt_input_t *in, adt_response_t *out) {
    out->values = arena_calloc(a, in->n + 1, sizeof *out->values);
    out->n_values = 0;
    out->error_message = "";
    out->error_len = 0;
    out->display_value = "";
}

/* ip_network(int(text)) for a numeric text; NULL or the error message. */
static const char *ip_from_number(arena_t *a, const char *s, size_t n, adt_value_t *v) {
    const char *digits = NULL;
    size_t count = 0;
    switch (decimal_value(a, s, n, &v->a, &digits, &count)) {
    case DEC_OK: v->kind = ADT_INT; return NULL; /* one address: start == end */
    case DEC_TOO_BIG: return arena_sprintf(a, "%s does not appear to be an IPv4 or IPv6 network", digits);
    case DEC_LIMIT: return limit_message(a, count);
    case DEC_INVALID: break;
    }
    /* CPython formats it with "%.200R": the repr cut to 200 characters */
    const char *repr = repr_of(a, s, n);
    size_t len = strlen(repr), cut = 0;
    for (size_t chars = 0; cut < len && chars < 200; chars++) py_utf8_next(repr, len, &cut);
    return arena_sprintf(a, "invalid literal for int() with base 10: %.*s", (int)cut, repr);
}

static const char *ip_from_text(arena_t *a, const char *s, size_t n, adt_value_t *v) {
    if (!adt_ip_network(s, n, &v->a, &v->b))
        return arena_sprintf(a, "%s does not appear to be an IPv4 or IPv6 network", repr_of(a, s, n));
    v->kind = v->a == v->b ? ADT_INT : ADT_RANGE;
    return NULL;
}

/* One internet_address value: NULL when valid, else the error (length in *len). */
static const char *ip_value(arena_t *a, const char *s, size_t n, adt_value_t *v, size_t *len) {
    const char *err = py_str_isnumeric(s, n) ? ip_from_number(a, s, n, v) : ip_from_text(a, s, n, v);
    if (err) *len = strlen(err);
    return err;
}

static bool port_known(arena_t *a, const char *s, size_t n, adt_value_t *v) {
    v->kind = ADT_PORTS;
    if (py_str_isnumeric(s, n)) {
        adt_u128 x = 0;
        const char *digits;
        size_t count;
        if (decimal_value(a, s, n, &x, &digits, &count) != DEC_OK || x < PORT_MIN || x > PORT_MAX) return false;
        v->ports[0] = (int)x;
        v->n_ports = 1;
        return true;
    }
    for (size_t k = 0; k < sizeof named_ports / sizeof named_ports[0]; k++) {
        if (strlen(named_ports[k].name) != n || memcmp(named_ports[k].name, s, n)) continue;
        memcpy(v->ports, named_ports[k].ports, sizeof v->ports);
        v->n_ports = named_ports[k].n;
        return true;
    }
    return false;
}

/* One port value: NULL when valid, else the error (length in *len; the text may hold NULs). */
static const char *port_value(arena_t *a, const char *s, size_t n, adt_value_t *v, size_t *len) {
    if (port_known(a, s, n, v)) return NULL;
    strbuf_t msg;
    strbuf_init_arena(&msg, a, n + 64);
    strbuf_putc(&msg, '\'');
    strbuf_append(&msg, s, n);
    strbuf_puts(&msg, "' does not appear to be a port name or number");
    *len = msg.len;
    return msg.data;
}

typedef const char *(*value_parse_fn)(arena_t *a, const char *s, size_t n, adt_value_t *v, size_t *len);

/* The plugins' translate_type: values parsed in order, the first error ends it. */
static void translate(arena_t *a, const adt_input_t *in, adt_response_t *out, value_parse_fn parse) {
    response_init(a, in, out);
    if (in->single_empty) {
        out->values[out->n_values++].kind = ADT_EMPTY;
        return;
    }
    strbuf_t display;
    strbuf_init_arena(&display, a, 64);
    for (size_t i = 0; i < in->n; i++) {
        adt_value_t *v = &out->values[out->n_values];
        size_t len = 0;
        const char *err = parse(a, in->texts[i], in->lens[i], v, &len);
        if (err) {
            out->error_message = err;
            out->error_len = len;
            break;
        }
        out->n_values++;
        display_append(&display, v);
        out->display_value = arena_strndup(a, display.data, display.len);
    }
}

static void translate_ip(arena_t *a, const adt_input_t *in, adt_response_t *out) {
    translate(a, in, out, ip_value);
}

static void translate_port(arena_t *a, const adt_input_t *in, adt_response_t *out) {
    translate(a, in, out, port_value);
}

const adt_type_t adt_types[] = {
    {"internet_address", translate_ip},
    {"port", translate_port},
    {NULL, NULL},
};

const adt_type_t *adt_type_find(const char *name) {
    for (const adt_type_t *t = adt_types; t->name; t++)
        if (!strcmp(t->name, name)) return t;
    return NULL;
}
