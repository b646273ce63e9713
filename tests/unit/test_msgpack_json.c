/* Unit tests for lib/msgpack_json: byte-exact encodings worked out by hand
 * from the msgpack spec (the forms msgspec picks: smallest int, str8 for
 * 32..255 bytes, float 64), Flask's tags, decoding back to the tagged form,
 * and hostile input. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "lib/crypto.h"
#include "lib/msgpack_json.h"

static arena_t *A;
static void setup(void) { A = arena_new(0); }
static void teardown(void) { arena_free(A); }

TestSuite(msgpack_json, .init = setup, .fini = teardown);

/* Encodes v (reference stolen) and returns the bytes as lower-case hex. */
static const char *enc_hex(json_t *v) {
    const char *out, *err = NULL;
    size_t n;
    bool ok = msgpack_json_encode(A, v, &out, &n, &err);
    json_decref(v);
    cr_assert(ok, "encode failed: %s", err ? err : "?");
    return crypto_hex_arena(A, out, n);
}

static json_t *dec_hex(const char *hex, const char **err) {
    size_t n = strlen(hex) / 2;
    unsigned char *buf = arena_alloc(A, n + 1);
    cr_assert_eq(crypto_hex_decode(hex, strlen(hex), buf, n + 1), (long)n);
    return msgpack_json_decode(buf, n, err);
}

static char *repeat(char c, size_t n) {
    char *s = arena_alloc(A, n + 1);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

static const char *hex_of(const char *s) { return crypto_hex_arena(A, s, strlen(s)); }

Test(msgpack_json, fresh_flag) {
    /* fixmap(1), fixstr(6) "_fresh", true */
    cr_assert_str_eq(enc_hex(json_pack("{s:b}", "_fresh", 1)), "81a65f6672657368c3");
}

Test(msgpack_json, permanent_session_with_csrf_token) {
    const char *tok = "0123456789abcdef0123456789abcdef01234567"; /* 40 chars: str8 */
    const char *hex = enc_hex(json_pack("{s:b,s:s}", "_permanent", 1, "csrf_token", tok));
    const char *want = arena_sprintf(A, "82aa%sc3aa%sd928%s", hex_of("_permanent"), hex_of("csrf_token"), hex_of(tok));
    cr_assert_str_eq(hex, want);
}

Test(msgpack_json, key_order_is_insertion_order) {
    json_t *o = json_object();
    json_object_set_new(o, "b", json_integer(1));
    json_object_set_new(o, "a", json_integer(2));
    cr_assert_str_eq(enc_hex(o), "82a16201a16102");
}

Test(msgpack_json, integers_take_the_smallest_form) {
    static const struct {
        json_int_t v;
        const char *hex;
    } cases[] = {
        {0, "00"},
        {127, "7f"},
        {128, "cc80"},
        {255, "ccff"},
        {256, "cd0100"},
        {65535, "cdffff"},
        {65536, "ce00010000"},
        {4294967295LL, "ceffffffff"},
        {4294967296LL, "cf0000000100000000"},
        {INT64_MAX, "cf7fffffffffffffff"},
        {-1, "ff"},
        {-32, "e0"},
        {-33, "d0df"},
        {-128, "d080"},
        {-129, "d1ff7f"},
        {-32768, "d18000"},
        {-32769, "d2ffff7fff"},
        {-2147483648LL, "d280000000"},
        {-2147483649LL, "d3ffffffff7fffffff"},
        {INT64_MIN, "d38000000000000000"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cr_assert_str_eq(enc_hex(json_integer(cases[i].v)), cases[i].hex, "value %lld", (long long)cases[i].v);
        const char *err = NULL;
        json_t *back = dec_hex(cases[i].hex, &err);
        cr_assert(json_is_integer(back), "%s: %s", cases[i].hex, err ? err : "");
        cr_assert_eq(json_integer_value(back), cases[i].v);
        json_decref(back);
    }
}

Test(msgpack_json, floats_are_float64) {
    cr_assert_str_eq(enc_hex(json_real(1.5)), "cb3ff8000000000000");
    cr_assert_str_eq(enc_hex(json_real(0.1)), "cb3fb999999999999a");
    cr_assert_str_eq(enc_hex(json_real(-2.0)), "cbc000000000000000");
}

Test(msgpack_json, strings_fixstr_str8_str16) {
    cr_assert_str_eq(enc_hex(json_string("")), "a0");
    cr_assert_str_eq(enc_hex(json_string("\xc3\xa9")), "a2c3a9"); /* length in bytes */
    char *s31 = repeat('a', 31), *s32 = repeat('a', 32), *s255 = repeat('a', 255), *s256 = repeat('a', 256);
    cr_assert_str_eq(enc_hex(json_string(s31)), arena_sprintf(A, "bf%s", hex_of(s31)));
    cr_assert_str_eq(enc_hex(json_string(s32)), arena_sprintf(A, "d920%s", hex_of(s32)));
    cr_assert_str_eq(enc_hex(json_string(s255)), arena_sprintf(A, "d9ff%s", hex_of(s255)));
    cr_assert_str_eq(enc_hex(json_string(s256)), arena_sprintf(A, "da0100%s", hex_of(s256)));
}

Test(msgpack_json, nil_booleans_and_containers) {
    cr_assert_str_eq(enc_hex(json_pack("[n,b,b]", 0, 1)), "93c0c2c3");
    cr_assert_str_eq(enc_hex(json_array()), "90");
    cr_assert_str_eq(enc_hex(json_object()), "80");
    json_t *arr = json_array();
    for (int i = 0; i < 16; i++) json_array_append_new(arr, json_integer(i));
    cr_assert_str_eq(enc_hex(arr), "dc0010000102030405060708090a0b0c0d0e0f");
    json_t *obj = json_object();
    for (int i = 0; i < 16; i++) json_object_set_new(obj, arena_sprintf(A, "%c", 'a' + i), json_null());
    const char *hex = enc_hex(obj);
    cr_assert_eq(strncmp(hex, "de0010a161c0a162c0", 18), 0, "%s", hex);
    cr_assert_eq(strlen(hex), 6 + 16 * 6);
}

Test(msgpack_json, tuple_becomes_array) {
    /* {"_flashes": [("warning", "Invalid login. Please try again.")]}: the message is 32 bytes (str8) */
    json_t *s = json_pack("{s:[{s:[s,s]}]}", "_flashes", " t", "warning", "Invalid login. Please try again.");
    const char *want = arena_sprintf(A, "81a8%s9192a7%sd920%s", hex_of("_flashes"), hex_of("warning"),
                                     hex_of("Invalid login. Please try again."));
    cr_assert_str_eq(enc_hex(s), want);
}

Test(msgpack_json, other_tags) {
    cr_assert_str_eq(enc_hex(json_pack("{s:s}", " b", "aGk=")), "c4026869");
    cr_assert_str_eq(enc_hex(json_pack("{s:s}", " b", "")), "c400");
    cr_assert_str_eq(enc_hex(json_pack("{s:{s:i}}", " di", " t__", 1)), "81a2207401");
    cr_assert_str_eq(enc_hex(json_pack("{s:s}", " m", "<b>x</b>")), arena_sprintf(A, "a8%s", hex_of("<b>x</b>")));
    cr_assert_str_eq(enc_hex(json_pack("{s:s}", " u", "0123456789ABCDEF0123456789abcdef")),
                     arena_sprintf(A, "d924%s", hex_of("01234567-89ab-cdef-0123-456789abcdef")));
    /* a two-key object is not a tag */
    cr_assert_str_eq(enc_hex(json_pack("{s:i,s:i}", " t", 1, "x", 2)), "82a2207401a17802");
}

Test(msgpack_json, unsupported_values_are_refused) {
    static const char *const bad[] = {
        "{\" d\": \"Tue, 14 Nov 2023 22:13:20 GMT\"}",
        "{\" b\": \"not base64!\"}",
        "{\" u\": \"0123\"}",
        "{\" t\": 1}",
        "{\" di\": {\"nosuffix\": 1}}",
        "{\"k\": [{\" d\": \"x\"}]}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *v = json_loads(bad[i], 0, NULL);
        cr_assert(v);
        const char *out, *err = NULL;
        size_t n;
        cr_assert_not(msgpack_json_encode(A, v, &out, &n, &err), "%s was encoded", bad[i]);
        cr_assert(err && *err);
        json_decref(v);
    }
}

static void assert_decodes_to(const char *hex, const char *json) {
    const char *err = NULL;
    json_t *got = dec_hex(hex, &err);
    cr_assert(got, "%s: %s", hex, err ? err : "");
    json_t *want = json_loads(json, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    cr_assert(want, "bad expectation %s", json);
    char *text = json_dumps(got, JSON_COMPACT | JSON_PRESERVE_ORDER);
    cr_assert(json_equal(got, want), "%s decoded to %s, want %s", hex, text, json);
    free(text);
    json_decref(got);
    json_decref(want);
}

Test(msgpack_json, decodes_to_tagged_form) {
    assert_decodes_to("81a65f6672657368c3", "{\"_fresh\": true}");
    assert_decodes_to("93c0c2c3", "[null, false, true]");
    assert_decodes_to("9192a17801", "[[\"x\", 1]]");                    /* arrays stay arrays */
    assert_decodes_to("c4026869", "{\" b\": \"aGk=\"}");                 /* bin: Flask's bytes tag */
    assert_decodes_to("81a2207401", "{\" di\": {\" t__\": 1}}");         /* a tag-like dict is wrapped */
    assert_decodes_to("82a2207401a17802", "{\" t\": 1, \"x\": 2}");      /* two keys: left alone */
    assert_decodes_to("ca3fc00000", "1.5");                              /* float 32 accepted */
    assert_decodes_to("d90568656c6c6f", "\"hello\"");                    /* str8 with a short string */
    assert_decodes_to("dc0001c0", "[null]");                             /* array16 with one item */
    assert_decodes_to("a3610062", "\"a\\u0000b\"");                      /* NUL inside a string value */
}

Test(msgpack_json, decode_keeps_key_order) {
    const char *err = NULL;
    json_t *o = dec_hex("82a16201a16102", &err);
    cr_assert(o);
    void *it = json_object_iter(o);
    cr_assert_str_eq(json_object_iter_key(it), "b");
    cr_assert_str_eq(json_object_iter_key(json_object_iter_next(o, it)), "a");
    json_decref(o);
}

Test(msgpack_json, round_trip_of_a_session) {
    const char *text = "{\"_permanent\": true, \"_user_id\": \"1\", \"_fresh\": false, \"_id\": \"ab\","
                       " \"csrf_token\": \"c\", \"locale\": \"en\", \"page_history\": [\"http://x/a\"],"
                       " \"_flashes\": [{\" t\": [\"warning\", \"m\"]}], \"async_user_id\": 1,"
                       " \"n\": null, \"r\": 2.25, \"nested\": {\"k\": {\" b\": \"AAE=\"}}}";
    json_t *s = json_loads(text, 0, NULL);
    cr_assert(s);
    const char *out, *err = NULL;
    size_t n;
    cr_assert(msgpack_json_encode(A, s, &out, &n, &err), "%s", err);
    json_t *back = msgpack_json_decode(out, n, &err);
    cr_assert(back, "%s", err);
    /* the tuple comes back as a plain array; everything else is identical */
    json_object_set_new(s, "_flashes", json_pack("[[s,s]]", "warning", "m"));
    cr_assert(json_equal(s, back));
    json_decref(s);
    json_decref(back);
}

static json_t *nested_arrays(int depth) {
    json_t *v = json_array();
    for (int i = 1; i < depth; i++) v = json_pack("[o]", v);
    return v;
}

Test(msgpack_json, depth_limit_is_the_same_both_ways) {
    const char *out, *err = NULL;
    size_t n;
    json_t *ok = nested_arrays(MSGPACK_JSON_MAX_DEPTH);
    cr_assert(msgpack_json_encode(A, ok, &out, &n, &err), "%s", err);
    json_t *back = msgpack_json_decode(out, n, &err);
    cr_assert(back, "%s", err);
    cr_assert(json_equal(ok, back));
    json_decref(back);
    json_decref(ok);
    json_t *deep = nested_arrays(MSGPACK_JSON_MAX_DEPTH + 1);
    cr_assert_not(msgpack_json_encode(A, deep, &out, &n, &err));
    json_decref(deep);
    /* 33 nested fixarrays written by hand */
    char *hex = arena_alloc(A, 2 * (MSGPACK_JSON_MAX_DEPTH + 1) + 1);
    for (int i = 0; i < MSGPACK_JSON_MAX_DEPTH; i++) memcpy(hex + 2 * i, "91", 2);
    strcpy(hex + 2 * MSGPACK_JSON_MAX_DEPTH, "90");
    cr_assert_null(dec_hex(hex, &err));
}

Test(msgpack_json, hostile_input_is_refused) {
    static const char *const bad[] = {
        "",                     /* empty */
        "8101c3",               /* integer key */
        "81a100c3",             /* NUL in a key */
        "81a1ffc3",             /* key not UTF-8 */
        "a1ff",                 /* string not UTF-8 */
        "c3c3",                 /* trailing bytes */
        "a561",                 /* truncated string */
        "92c3",                 /* truncated array */
        "ddffffffff",           /* array32 announcing 4 billion items */
        "dfffffffff",           /* map32 likewise */
        "dc0002c3",             /* array16 of 2 with one item */
        "dbffffffff",           /* str32 longer than the input */
        "c1",                   /* never-used marker */
        "d40100",               /* fixext1 */
        "d6ff00000000",         /* timestamp extension */
        "cf8000000000000000",   /* 2^63: beyond int64 */
        "cb7ff8000000000000",   /* NaN */
        "cb7ff0000000000000",   /* infinity */
        "cd01",                 /* truncated uint16 */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *err = NULL;
        json_t *v = dec_hex(bad[i], &err);
        cr_assert_null(v, "%s was accepted", bad[i]);
        cr_assert(err && *err, "%s: no reason", bad[i]);
    }
}
