/* Unit tests for lib/json and lib/pyfloat: Python json.dumps byte
 * compatibility (separators, ensure_ascii, sort_keys, float repr), parsing
 * errors, getters, and the reference cookie/JWT JSON texts. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/json.h"
#include "lib/pyfloat.h"

static arena_t *A;
static void setup(void) { A = arena_new(0); }
static void teardown(void) { arena_free(A); }

TestSuite(json, .init = setup, .fini = teardown);

/* Parses text (must be valid) with its lifetime tied to the test arena. */
static json_t *P(const char *text) {
    const char *err = NULL;
    json_t *j = json_parse_arena(A, text, strlen(text), JSON_DECODE_ANY, &err);
    cr_assert_not_null(j, "parse failed: %s", err);
    return j;
}

static const char *D(json_t *j, size_t flags) {
    const char *s = json_dump_arena(A, j, flags, NULL);
    cr_assert_not_null(s);
    return s;
}

Test(json, separators_default_vs_compact) {
    json_t *j = P("{\"a\": [1, 2, {}], \"b\": {\"c\": null, \"d\": []}, \"e\": true}");
    /* json.dumps(obj) */
    cr_assert_str_eq(D(j, JSON_PY_DEFAULT), "{\"a\": [1, 2, {}], \"b\": {\"c\": null, \"d\": []}, \"e\": true}");
    /* json.dumps(obj, separators=(",", ":")) */
    cr_assert_str_eq(D(j, JSON_PY_COMPACT), "{\"a\":[1,2,{}],\"b\":{\"c\":null,\"d\":[]},\"e\":true}");
    /* JSON_INDENT(0) is the same as no indent in jansson 2.14. */
    cr_assert_str_eq(D(j, JSON_INDENT(0)), D(j, 0));
    /* json.dumps(obj, indent=2) */
    cr_assert_str_eq(D(P("{\"a\":[1,{}],\"b\":2}"), JSON_INDENT(2)),
                     "{\n  \"a\": [\n    1,\n    {}\n  ],\n  \"b\": 2\n}");
}

Test(json, insertion_order_and_sort_keys) {
    json_t *o = json_arena_own(A, json_object());
    const char *keys[] = {"zeta", "alpha", "\xc3\xa9", "Beta", "_", "a"};
    for (int i = 0; i < 6; i++) json_object_set_new(o, keys[i], json_integer(i));
    cr_assert_str_eq(D(o, JSON_COMPACT),
                     "{\"zeta\":0,\"alpha\":1,\"\xc3\xa9\":2,\"Beta\":3,\"_\":4,\"a\":5}");
    /* sorted(keys) in Python: code-point order. */
    cr_assert_str_eq(D(o, JSON_PY_SESSION),
                     "{\"Beta\":3,\"_\":4,\"a\":5,\"alpha\":1,\"zeta\":0,\"\\u00e9\":2}");
}

Test(json, ensure_ascii_like_python) {
    /* json.dumps("é\x7f\x01😀/\x1f\\\"\n") */
    json_t *s = json_arena_own(A, json_string("\xc3\xa9\x7f\x01\xf0\x9f\x98\x80/\x1f\\\"\n"));
    cr_assert_str_eq(D(s, JSON_PY_DEFAULT),
                     "\"\\u00e9\\u007f\\u0001\\ud83d\\ude00/\\u001f\\\\\\\"\\n\"");
    /* ensure_ascii=False keeps UTF-8 and DEL raw; control chars stay escaped. */
    cr_assert_str_eq(D(s, 0), "\"\xc3\xa9\x7f\\u0001\xf0\x9f\x98\x80/\\u001f\\\\\\\"\\n\"");
    /* A literal backslash followed by 'u' is not an escape to rewrite. */
    json_t *tricky = json_arena_own(A, json_string("\\uABCD"));
    cr_assert_str_eq(D(tricky, JSON_PY_DEFAULT), "\"\\\\uABCD\"");
    /* Numbers and keywords inside strings are left alone. */
    json_t *nums = P("{\"0.10000000000000001\": \"1e16 -0.5 true\"}");
    cr_assert_str_eq(D(nums, JSON_PY_COMPACT), "{\"0.10000000000000001\":\"1e16 -0.5 true\"}");
}

Test(json, floats_like_python_repr) {
    json_t *j = P("{\"a\":[1,2.5,0.1,1e16,1e-5,1e15,0.0001,-0.0,1e100,5e-324,123456789.125,-7]}");
    /* python3: json.dumps({"a": [1, 2.5, 0.1, 1e16, 1e-5, 1e15, 0.0001, -0.0, 1e100, 5e-324,
     * 123456789.125, -7]}) */
    cr_assert_str_eq(D(j, JSON_PY_DEFAULT),
                     "{\"a\": [1, 2.5, 0.1, 1e+16, 1e-05, 1000000000000000.0, 0.0001, -0.0, "
                     "1e+100, 5e-324, 123456789.125, -7]}");
}

Test(json, pyfloat_repr_cases) {
    static const struct {
        double x;
        const char *repr;
    } v[] = {
        {0.0, "0.0"},         {1.0, "1.0"},
        {-1.5, "-1.5"},       {0.1 + 0.2, "0.30000000000000004"},
        {1e22, "1e+22"},      {1.5e16, "1.5e+16"},
        {9999999999999998.0, "9999999999999998.0"},
        {0.00012, "0.00012"}, {1.2e-05, "1.2e-05"},
        {1.7976931348623157e308, "1.7976931348623157e+308"},
        {2.2250738585072014e-308, "2.2250738585072014e-308"},
        {1700000000.25, "1700000000.25"},
        {123.456, "123.456"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char buf[PYFLOAT_BUF];
        size_t n = pyfloat_repr(v[i].x, buf);
        cr_assert_str_eq(buf, v[i].repr);
        cr_assert_eq(n, strlen(v[i].repr));
    }
    char buf[PYFLOAT_BUF];
    pyfloat_repr(NAN, buf);
    cr_assert_str_eq(buf, "NaN");
    pyfloat_repr(-INFINITY, buf);
    cr_assert_str_eq(buf, "-Infinity");
}

Test(json, pyfloat_repr_round_trips) {
    /* Deterministic spread over the whole double range. */
    unsigned long long s = 0x9E3779B97F4A7C15ull;
    for (int i = 0; i < 20000; i++) {
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;
        double x;
        memcpy(&x, &s, sizeof x);
        if (!isfinite(x)) continue;
        char buf[PYFLOAT_BUF];
        size_t n = pyfloat_repr(x, buf);
        cr_assert_lt(n, (size_t)PYFLOAT_BUF);
        cr_assert(strtod(buf, NULL) == x, "%s does not read back as %.17g", buf, x);
        cr_assert(strchr(buf, '.') || strchr(buf, 'e'), "%s looks like an int", buf);
    }
}

Test(json, dump_sb_appends_and_reports_failure) {
    strbuf_t sb;
    strbuf_init_arena(&sb, A, 16);
    strbuf_puts(&sb, "x=");
    cr_assert_eq(json_dump_sb(&sb, P("[\"a\"]"), JSON_PY_COMPACT), 0);
    cr_assert_str_eq(sb.data, "x=[\"a\"]");
    cr_assert_eq(json_dump_sb(&sb, NULL, 0), -1);
    cr_assert_str_eq(sb.data, "x=[\"a\"]");
    cr_assert_null(json_dump_arena(A, NULL, 0, NULL));
    size_t len = 0;
    cr_assert_str_eq(json_dump_arena(A, P("42"), 0, &len), "42");
    cr_assert_eq(len, 2);
}

Test(json, parse_errors) {
    char err[200] = "";
    cr_assert_null(json_parse("{\"a\":1,}", 8, 0, err, sizeof err));
    cr_assert_str_eq(err, "line 1 column 8: string or '}' expected near '}'");
    /* Length-bounded: the text after n bytes is not read. */
    json_t *j = json_parse("[1]garbage", 3, 0, err, sizeof err);
    cr_assert_not_null(j);
    json_decref(j);
    const char *msg = NULL;
    cr_assert_null(json_parse_arena(A, "nope", 4, JSON_DECODE_ANY, &msg));
    cr_assert_not_null(msg);
    cr_assert(strstr(msg, "line 1") != NULL, "%s", msg);
    /* Scalars need JSON_DECODE_ANY, like Python's json.loads accepts them. */
    cr_assert_null(json_parse("1", 1, 0, NULL, 0));
}

Test(json, getters) {
    json_t *o = P("{\"s\":\"v\",\"i\":7,\"b\":false,\"f\":1.5,\"n\":null}");
    cr_assert_str_eq(json_get_str(o, "s", "d"), "v");
    cr_assert_str_eq(json_get_str(o, "i", "d"), "d");
    cr_assert_str_eq(json_get_str(o, "missing", "d"), "d");
    cr_assert_null(json_get_str(o, "n", NULL));
    cr_assert_eq(json_get_int(o, "i", -1), 7);
    cr_assert_eq(json_get_int(o, "f", -1), -1);
    cr_assert_eq(json_get_int(o, "s", -1), -1);
    cr_assert_eq(json_get_bool(o, "b", true), false);
    cr_assert_eq(json_get_bool(o, "i", true), true);
    cr_assert_eq(json_get_bool(NULL, "b", true), true);
    cr_assert_str_eq(json_get_str(P("[1]"), "s", "d"), "d");
}

/* Reference texts produced by Flask / PyJWT must re-serialize byte for byte. */
Test(json, reference_vectors_reserialize) {
    const char *root = getenv("LITESET_SHARED");
    char path[4096];
    snprintf(path, sizeof path, "%s/reference/vectors/auth-vectors.json", root ? root : "../shared");
    json_t *v = json_load_file(path, 0, NULL);
    if (!v) cr_skip_test("auth-vectors.json not found (set LITESET_SHARED)");
    json_arena_own(A, v);
    json_t *cases = json_object_get(json_object_get(v, "session_cookie"), "cases");
    const char *name;
    json_t *c;
    json_object_foreach(cases, name, c) {
        const char *text = json_string_value(json_object_get(c, "session_json"));
        cr_assert_str_eq(D(P(text), JSON_PY_SESSION), text, "session case %s", name);
    }
    const char *tokens[] = {"jwt_access_token", "jwt_refresh_token", "guest_token", "async_query_token"};
    size_t checked = 0;
    for (size_t i = 0; i < 4; i++) {
        json_t *t = json_object_get(v, tokens[i]);
        const char *payload = json_string_value(json_object_get(t, "payload_json"));
        const char *header = json_string_value(json_object_get(t, "header_json"));
        if (!payload || !header) continue;
        cr_assert_str_eq(D(P(payload), JSON_PY_COMPACT), payload, "%s payload", tokens[i]);
        cr_assert_str_eq(D(P(header), JSON_COMPACT | JSON_SORT_KEYS), header, "%s header", tokens[i]);
        checked++;
    }
    cr_assert_geq(checked, 2);
}
