/* Unit tests for domain/advanced_type and advanced_type_ip: the
 * internet_address and port translations. Expected values are what
 * Superset's plugins answer on Python 3.11 (ipaddress.ip_network with
 * strict=False, str.isnumeric, int()). */
#include <criterion/criterion.h>
#include <string.h>

#include "domain/advanced_type.h"
#include "lib/py_unicode.h"
#include "lib/strbuf.h"

static arena_t *A;
static void setup(void) { A = arena_new(0); }
static void teardown(void) { arena_free(A); }

TestSuite(advanced_type, .init = setup, .fini = teardown);

/* "values | display_value | error_message", values as ints, a-b ranges,
 * [p,q] port lists and '' for the empty marker. */
static const char *run(const char *type, const char *const *texts, size_t n) {
    size_t lens[16];
    for (size_t i = 0; i < n; i++) lens[i] = strlen(texts[i]);
    adt_input_t in = {texts, lens, n, n == 1 && texts[0][0] == '\0'};
    adt_response_t out;
    const adt_type_t *t = adt_type_find(type);
    cr_assert(t);
    t->translate(A, &in, &out);
    strbuf_t sb;
    strbuf_init_arena(&sb, A, 128);
    for (size_t i = 0; i < out.n_values; i++) {
        const adt_value_t *v = &out.values[i];
        char a[41], b[41];
        adt_u128_format(v->a, a);
        adt_u128_format(v->b, b);
        if (i) strbuf_putc(&sb, ' ');
        if (v->kind == ADT_EMPTY) strbuf_puts(&sb, "''");
        else if (v->kind == ADT_INT) strbuf_puts(&sb, a);
        else if (v->kind == ADT_RANGE) strbuf_printf(&sb, "%s-%s", a, b);
        else if (v->n_ports == 2) strbuf_printf(&sb, "[%d,%d]", v->ports[0], v->ports[1]);
        else strbuf_printf(&sb, "[%d]", v->ports[0]);
    }
    strbuf_printf(&sb, " | %s | %s", out.display_value, out.error_message);
    return sb.data;
}

static const char *one(const char *type, const char *text) { return run(type, &text, 1); }

Test(advanced_type, ipv4_addresses_and_networks) {
    cr_assert_str_eq(one("internet_address", "10.0.0.1"), "167772161 | 167772161 | ");
    cr_assert_str_eq(one("internet_address", "10.0.0.0/8"), "167772160-184549375 | 167772160 - 184549375 | ");
    /* host bits are cleared (strict=False) */
    cr_assert_str_eq(one("internet_address", "10.1.2.3/8"), "167772160-184549375 | 167772160 - 184549375 | ");
    cr_assert_str_eq(one("internet_address", "0.0.0.0/0"), "0-4294967295 | 0 - 4294967295 | ");
    cr_assert_str_eq(one("internet_address", "1.2.3.4/32"), "16909060 | 16909060 | ");
    /* dotted netmask and hostmask, prefix with leading zeros */
    cr_assert_str_eq(one("internet_address", "1.2.3.4/255.255.0.0"), "16908288-16973823 | 16908288 - 16973823 | ");
    cr_assert_str_eq(one("internet_address", "1.2.3.4/0.0.255.255"), "16908288-16973823 | 16908288 - 16973823 | ");
    cr_assert_str_eq(one("internet_address", "1.2.3.4/024"), "16909056-16909311 | 16909056 - 16909311 | ");
}

Test(advanced_type, ipv4_refusals) {
    static const char *const bad[] = {"01.2.3.4", "00.0.0.0", "0.0.0.00", "1.2.3", "1.2.3.256", "1.2.3.4/33",
                                      "1.2.3.4/", "/24", " 1.2.3.4", "1.2.3.4/ 24", "1.2.3.4/+24",
                                      "1.2.3.4/255.0.255.0", "0x1.2.3.4", "1.2.3.4%x", "1.2.3.4/8/8",
                                      "\xef\xbc\x91.2.3.4" /* fullwidth digit one */};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        adt_u128 a, b;
        cr_assert_not(adt_ip_network(bad[i], strlen(bad[i]), &a, &b), "%s", bad[i]);
    }
    cr_assert_str_eq(one("internet_address", "01.2.3.4"),
                     " |  | '01.2.3.4' does not appear to be an IPv4 or IPv6 network");
}

Test(advanced_type, ipv6) {
    cr_assert_str_eq(one("internet_address", "::1"), "1 | 1 | ");
    cr_assert_str_eq(one("internet_address", "::/0"),
                     "0-340282366920938463463374607431768211455 | 0 - 340282366920938463463374607431768211455 | ");
    cr_assert_str_eq(one("internet_address", "2001:db8::1/64"),
                     "42540766411282592856903984951653826560-42540766411282592875350729025363378175 | "
                     "42540766411282592856903984951653826560 - 42540766411282592875350729025363378175 | ");
    cr_assert_str_eq(one("internet_address", "::ffff:1.2.3.4"), "281470698652420 | 281470698652420 | ");
    cr_assert_str_eq(one("internet_address", "1:2:3:4:5:6:1.2.3.4"),
                     "5192455318486707404433266449711876 | 5192455318486707404433266449711876 | ");
    cr_assert_str_eq(one("internet_address", "ABCD::1"),
                     "228362408135220253930399759055429042177 | 228362408135220253930399759055429042177 | ");
    /* a scope id is accepted and dropped */
    cr_assert_str_eq(one("internet_address", "fe80::1%eth0/64"),
                     "338288524927261089654018896841347694592-338288524927261089672465640915057246207 | "
                     "338288524927261089654018896841347694592 - 338288524927261089672465640915057246207 | ");
    static const char *const bad[] = {"1::2::3", "1:2:3:4:5:6:7:8:9", "::/129", "1:2:3:4:5:6:7", ":1:2:3:4:5:6:7",
                                      "1:2:3:4:5:6:7:", "12345::", "::g", "::1/128%", "::1%", "::1%a%b",
                                      "1:2:3:4:5:6:7::8", "::1.2.3", ":::"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        adt_u128 a, b;
        cr_assert_not(adt_ip_network(bad[i], strlen(bad[i]), &a, &b), "%s", bad[i]);
    }
}

Test(advanced_type, numeric_values) {
    cr_assert_str_eq(one("internet_address", "4294967296"), "4294967296 | 4294967296 | ");
    cr_assert_str_eq(one("internet_address", "00010"), "10 | 10 | ");
    cr_assert_str_eq(one("internet_address", "340282366920938463463374607431768211455"),
                     "340282366920938463463374607431768211455 | 340282366920938463463374607431768211455 | ");
    cr_assert_str_eq(one("internet_address", "0340282366920938463463374607431768211456"),
                     " |  | 340282366920938463463374607431768211456 does not appear to be an IPv4 or IPv6 network");
    /* numeric but not decimal: int() refuses it */
    cr_assert_str_eq(one("internet_address", "\xc2\xbd"), " |  | invalid literal for int() with base 10: '\xc2\xbd'");
    /* the repr in int()'s message stops at 200 characters */
    char *halves = arena_calloc(A, 2 * 300 + 1, 1);
    for (int i = 0; i < 300; i++) memcpy(halves + 2 * i, "\xc2\xbd", 2);
    const char *msg = one("internet_address", halves);
    cr_assert(strstr(msg, "base 10: '\xc2\xbd"));
    cr_assert_eq(strlen(msg), strlen(" |  | invalid literal for int() with base 10: '") + 199 * 2);
    /* an Arabic-Indic three is a decimal digit */
    cr_assert_str_eq(one("internet_address", "\xd9\xa3"), "3 | 3 | ");
}

Test(advanced_type, int_digit_limit) {
    char *big = arena_calloc(A, 4302, 1);
    memset(big, '7', 4301);
    cr_assert_str_eq(one("internet_address", big),
                     " |  | Exceeds the limit (4300 digits) for integer string conversion: value has 4301 digits; use "
                     "sys.set_int_max_str_digits() to increase the limit");
    /* ipaddress reads a prefix length itself: a long one is just invalid */
    char *prefix = arena_calloc(A, 4400, 1);
    strcpy(prefix, "1.2.3.4/");
    memset(prefix + 8, '0', 4301);
    cr_assert(strstr(one("internet_address", prefix), "does not appear to be an IPv4 or IPv6 network"));
}

Test(advanced_type, lists_and_errors) {
    static const char *const mixed[] = {"1.2.3.4", "10.0.0.0/30"};
    cr_assert_str_eq(run("internet_address", mixed, 2),
                     "16909060 167772160-167772163 | 16909060, 167772160 - 167772163 | ");
    /* the first failure stops the list; what came before stays */
    static const char *const stop[] = {"1.2.3.4", "bad", "5.6.7.8"};
    cr_assert_str_eq(run("internet_address", stop, 3),
                     "16909060 | 16909060 | 'bad' does not appear to be an IPv4 or IPv6 network");
    static const char *const empty[] = {""};
    cr_assert_str_eq(run("internet_address", empty, 1), "'' |  | ");
    static const char *const two_empty[] = {"", ""};
    cr_assert_str_eq(run("internet_address", two_empty, 2),
                     " |  | '' does not appear to be an IPv4 or IPv6 network");
    /* repr() quoting in the message */
    cr_assert_str_eq(one("internet_address", "a'b"), " |  | \"a'b\" does not appear to be an IPv4 or IPv6 network");
    cr_assert_str_eq(one("internet_address", "x\ty"), " |  | 'x\\ty' does not appear to be an IPv4 or IPv6 network");
    cr_assert_str_eq(one("internet_address", "\xc2\xa0"), " |  | '\\xa0' does not appear to be an IPv4 or IPv6 network");
    cr_assert_str_eq(one("internet_address", "\xc3\xa9"), " |  | '\xc3\xa9' does not appear to be an IPv4 or IPv6 network");
}

Test(advanced_type, ports) {
    static const char *const names[] = {"http", "ftp", "443", "00022", "Remote Desktop"};
    cr_assert_str_eq(run("port", names, 5), "[80] [20,21] [443] [22] [3389] | [80], [20, 21], [443], [22], [3389] | ");
    cr_assert_str_eq(one("port", "65535"), "[65535] | [65535] | ");
    cr_assert_str_eq(one("port", "65536"), " |  | '65536' does not appear to be a port name or number");
    cr_assert_str_eq(one("port", "0"), " |  | '0' does not appear to be a port name or number");
    cr_assert_str_eq(one("port", "HTTP"), " |  | 'HTTP' does not appear to be a port name or number");
    cr_assert_str_eq(one("port", "-1"), " |  | '-1' does not appear to be a port name or number");
    cr_assert_str_eq(one("port", "\xc2\xb2"), " |  | '\xc2\xb2' does not appear to be a port name or number");
    cr_assert_str_eq(one("port", "\xd9\xa8\xd9\xa0"), "[80] | [80] | "); /* Arabic-Indic 80 */
    static const char *const empty[] = {""};
    cr_assert_str_eq(run("port", empty, 1), "'' |  | ");
    static const char *const stop[] = {"ssh", "a'b", "http"};
    cr_assert_str_eq(run("port", stop, 3), "[22] | [22] | 'a'b' does not appear to be a port name or number");
    cr_assert_null(adt_type_find("mac_address"));
}

Test(advanced_type, python_str_helpers) {
    cr_assert(py_str_isnumeric("123", 3));
    cr_assert(py_str_isnumeric("\xc2\xbd", 2));
    cr_assert_not(py_str_isnumeric("", 0));
    cr_assert_not(py_str_isnumeric("1.5", 3));
    cr_assert_eq(py_char_decimal(0x0663), 3);
    cr_assert_eq(py_char_decimal(0x00B2), -1);
    strbuf_t sb;
    strbuf_init_arena(&sb, A, 16);
    py_repr_str(&sb, "it's \"x\"\n\x7f", 10);
    cr_assert_str_eq(sb.data, "'it\\'s \"x\"\\n\\x7f'");
}
