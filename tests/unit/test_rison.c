/* Unit tests for lib/rison: prison 0.2.1 parsing (values, key handling,
 * every parse error and every crash prison has), prison.dumps output,
 * round trips, hostile input (depth, size, NUL, invalid UTF-8) and a
 * fixed-seed fuzz run. Expected values and messages were taken from
 * prison 0.2.1 itself. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/rison.h"
#include "lib/strbuf.h"

static arena_t *A;
static void setup(void) { A = arena_new(0); }
static void teardown(void) { arena_free(A); }

TestSuite(rison, .init = setup, .fini = teardown);

/* Compact, key-order-preserving JSON text of j (types distinguished:
 * 1 vs 1.0), for order-sensitive comparisons. */
static const char *J(const json_t *j) {
    char *s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
    cr_assert_not_null(s);
    char *copy = arena_strdup(A, s);
    free(s);
    return copy;
}

static json_t *expect_json(const char *text) {
    json_error_t e;
    json_t *j = json_loads(text, JSON_DECODE_ANY, &e);
    cr_assert_not_null(j, "bad expected JSON %s: %s", text, e.text);
    return j;
}

/* ---- valid input ------------------------------------------------------ */

typedef struct valid_case {
    const char *rison;
    const char *json; /* expected value, keys in Python's order */
} valid_case_t;

static const valid_case_t VALID[] = {
    /* what the Superset frontend sends */
    {"(filters:!((col:slice_name,opr:ct,value:'my chart')),order_column:changed_on_delta_humanized,"
     "order_direction:desc,page:0,page_size:25)",
     "{\"filters\":[{\"col\":\"slice_name\",\"opr\":\"ct\",\"value\":\"my chart\"}],"
     "\"order_column\":\"changed_on_delta_humanized\",\"order_direction\":\"desc\",\"page\":0,"
     "\"page_size\":25}"},
    {"!(1,2,3)", "[1,2,3]"},
    {"(columns:!(id,slice_name),keys:!(none))",
     "{\"columns\":[\"id\",\"slice_name\"],\"keys\":[\"none\"]}"},
    {"(keys:!(permissions))", "{\"keys\":[\"permissions\"]}"},
    {"(filters:!((col:changed_on,opr:gt,value:'2024-01-01T00:00:00')),page:1)",
     "{\"filters\":[{\"col\":\"changed_on\",\"opr\":\"gt\",\"value\":\"2024-01-01T00:00:00\"}],"
     "\"page\":1}"},
    {"(filters:!((col:id,opr:chart_is_favorite,value:!t)),select_columns:!(id))",
     "{\"filters\":[{\"col\":\"id\",\"opr\":\"chart_is_favorite\",\"value\":true}],"
     "\"select_columns\":[\"id\"]}"},
    {"(filter:'',page:0,page_size:100)", "{\"filter\":\"\",\"page\":0,\"page_size\":100}"},
    {"(time_range:'Last week')", "{\"time_range\":\"Last week\"}"},
    /* empty containers and literals */
    {"()", "{}"},
    {"!()", "[]"},
    {"!t", "true"},
    {"!f", "false"},
    {"!n", "null"},
    /* numbers */
    {"0", "0"},
    {"-3", "-3"},
    {"1.5", "1.5"},
    {"1e30", "1e+30"},
    {"1e-30", "1e-30"},
    {"-0.5e-3", "-0.0005"},
    {"1.", "1.0"},
    {"-.5", "-0.5"},
    {"1.5E3", "1500.0"},
    {"007", "7"},
    {"-0", "0"},
    {"9223372036854775807", "9223372036854775807"},
    {"-9223372036854775808", "-9223372036854775808"},
    {"1e-400", "0.0"},
    /* quoted strings and escapes */
    {"''", "\"\""},
    {"'abc def'", "\"abc def\""},
    {"'can!'t'", "\"can't\""},
    {"'wow!!'", "\"wow!\""},
    {"'!!!''", "\"!'\""},
    {"'2024-01'", "\"2024-01\""},
    {"'(a:1,b:2)'", "\"(a:1,b:2)\""},
    /* ids */
    {"a-z", "\"a-z\""},
    {"G.", "\"G.\""},
    {"domain.com", "\"domain.com\""},
    {"/common/document", "\"/common/document\""},
    {"%20+x", "\"%20+x\""},
    {"a\\b", "\"a\\\\b\""},
    {"~", "\"~\""},
    {"a\x7f" "b", "\"a\x7f" "b\""},
    {"h\xc3\xa9llo", "\"h\xc3\xa9llo\""},
    {"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", "\"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\""},
    {"(\xe5\x90\x8d\xe5\x89\x8d:\xe5\x80\xa4)", "{\"\xe5\x90\x8d\xe5\x89\x8d\":\"\xe5\x80\xa4\"}"},
    {"!('\xc3\xa9',\xc3\xbc)", "[\"\xc3\xa9\",\"\xc3\xbc\"]"},
    /* nesting */
    {"(a:!n,b:!t,c:!f)", "{\"a\":null,\"b\":true,\"c\":false}"},
    {"!(!t,!f,!n,'')", "[true,false,null,\"\"]"},
    {"(a:(b:(c:!(1,'x',!()))))", "{\"a\":{\"b\":{\"c\":[1,\"x\",[]]}}}"},
    /* keys: Python dict equality, then json.dumps text, then json.loads */
    {"(1:a,!t:b)", "{\"1\":\"b\"}"},
    {"(!n:1,null:2)", "{\"null\":2}"},
    {"(1.0:a,1:b,x:c,!t:d)", "{\"1.0\":\"d\",\"x\":\"c\"}"},
    {"(a:1,b:2,a:3)", "{\"a\":3,\"b\":2}"},
    {"(99999999999999999999:x)", "{\"99999999999999999999\":\"x\"}"},
    {"(1e999:x,-1e999:y)", "{\"Infinity\":\"x\",\"-Infinity\":\"y\"}"},
    {"(-0:x,007:y,1e16:z)", "{\"0\":\"x\",\"7\":\"y\",\"1e+16\":\"z\"}"},
    {"('1':a,1:b)", "{\"1\":\"b\"}"},
    {"(1:0,'1':!f,1e999:null,!t:1.0)", "{\"1\":false,\"Infinity\":\"null\"}"},
    /* an out-of-range value replaced by a repeated key never shows */
    {"(a:1e999,a:2)", "{\"a\":2}"},
};

#define COUNT(t) (sizeof(t) / sizeof((t)[0]))

Test(rison, valid_table) {
    cr_assert_geq(COUNT(VALID), 40);
    for (size_t i = 0; i < COUNT(VALID); i++) {
        rison_error_t err;
        json_t *got = rison_parse(VALID[i].rison, strlen(VALID[i].rison), &err);
        cr_assert_not_null(got, "%s: %s", VALID[i].rison, err.message);
        cr_assert_eq(err.kind, RISON_ERR_NONE);
        cr_assert_not(err.fatal);
        json_t *want = expect_json(VALID[i].json);
        cr_assert(json_equal(got, want), "%s: got %s", VALID[i].rison, J(got));
        cr_assert_str_eq(J(got), J(want), "%s (key order)", VALID[i].rison);
        json_decref(want);
        json_decref(got);
    }
}

Test(rison, integers_and_floats_keep_their_type) {
    json_t *v = rison_parse("!(1,1.0,1e0,-0.0)", 17, NULL);
    cr_assert_not_null(v);
    cr_assert(json_is_integer(json_array_get(v, 0)));
    cr_assert(json_is_real(json_array_get(v, 1)));
    cr_assert(json_is_real(json_array_get(v, 2)));
    cr_assert(json_is_real(json_array_get(v, 3)));
    json_decref(v);
}

Test(rison, length_is_respected_without_terminator) {
    const char buf[] = {'!', '(', '1', ',', '2', ')', 'x', 'y'};
    json_t *v = rison_parse(buf, 6, NULL);
    cr_assert_not_null(v);
    cr_assert_str_eq(J(v), "[1,2]");
    json_decref(v);
}

/* ---- invalid input ---------------------------------------------------- */

typedef struct invalid_case {
    const char *rison;
    size_t len; /* 0: strlen */
    rison_error_kind_t kind;
    const char *message; /* exact text */
} invalid_case_t;

#define TYPE_ERROR_NONE "TypeError: 'in <string>' requires string as left operand, not NoneType"
#define INDEX_ERROR "IndexError: string index out of range"
#define RECURSION "RecursionError: maximum recursion depth exceeded"

static const invalid_case_t INVALID[] = {
    /* prison's ParserException texts */
    {"(", 0, RISON_ERR_SYNTAX, "unmatched '('"},
    {"!(", 0, RISON_ERR_SYNTAX, "unmatched '!('"},
    {"(,a:1)", 0, RISON_ERR_SYNTAX, "extra ','"},
    {"!(,1)", 0, RISON_ERR_SYNTAX, "extra ','"},
    {"(a)", 0, RISON_ERR_SYNTAX, "missing ':'"},
    {"(a:1 b:2)", 0, RISON_ERR_SYNTAX, "missing ','"},
    {"!(1 2)", 0, RISON_ERR_SYNTAX, "missing ','"},
    {"(a:1", 0, RISON_ERR_SYNTAX, "missing ','"},
    {"!x", 0, RISON_ERR_SYNTAX, "unknown literal: \"!x\""},
    {"!\xc3\xa9", 0, RISON_ERR_SYNTAX, "unknown literal: \"!\xc3\xa9\""},
    {"'a!b'", 0, RISON_ERR_SYNTAX, "invalid string escape: \"!b\""},
    {"'abc", 0, RISON_ERR_SYNTAX, "unmatched \"'\""},
    {"-", 0, RISON_ERR_SYNTAX, "invalid number"},
    {"(a:-)", 0, RISON_ERR_SYNTAX, "invalid number"},
    {"a b", 0, RISON_ERR_SYNTAX, "unable to parse rison string 'a b'"},
    {"(a:1))", 0, RISON_ERR_SYNTAX, "unable to parse rison string '(a:1))'"},
    {"(a:1) ", 0, RISON_ERR_SYNTAX, "unable to parse rison string '(a:1) '"},
    {"'it''s'", 0, RISON_ERR_SYNTAX, "unable to parse rison string \"'it''s'\""},
    {"!(1)x", 0, RISON_ERR_SYNTAX, "unable to parse rison string '!(1)x'"},
    {"(a: 1)", 0, RISON_ERR_SYNTAX, "invalid character: ' '"},
    {" (a:1)", 0, RISON_ERR_SYNTAX, "invalid character: ' '"},
    {"!(1,)", 0, RISON_ERR_SYNTAX, "invalid character: ')'"},
    {"(a:1,)", 0, RISON_ERR_SYNTAX, "invalid character: ')'"},
    {"*", 0, RISON_ERR_SYNTAX, "invalid character: '*'"},
    {"\"a\"", 0, RISON_ERR_SYNTAX, "invalid character: '\"'"},
    /* a later syntax error wins over an earlier out-of-range number */
    {"!(1e999,!x)", 0, RISON_ERR_SYNTAX, "unknown literal: \"!x\""},
    {"(a:1e999,a:2)x", 0, RISON_ERR_SYNTAX, "unable to parse rison string '(a:1e999,a:2)x'"},
    /* inputs on which prison dies with an unhandled exception */
    {"2024-01", 0, RISON_ERR_CRASH, "ValueError: invalid literal for int() with base 10: '2024-01'"},
    {"1E5", 0, RISON_ERR_CRASH, "ValueError: invalid literal for int() with base 10: '1E5'"},
    {"1-", 0, RISON_ERR_CRASH, "ValueError: invalid literal for int() with base 10: '1-'"},
    {"--1", 0, RISON_ERR_CRASH, "ValueError: invalid literal for int() with base 10: '--1'"},
    {"1e", 0, RISON_ERR_CRASH, "ValueError: could not convert string to float: '1e'"},
    {"!", 0, RISON_ERR_CRASH, INDEX_ERROR},
    {"'abc!", 0, RISON_ERR_CRASH, INDEX_ERROR},
    {"(a:", 0, RISON_ERR_CRASH, TYPE_ERROR_NONE},
    {"!(1,", 0, RISON_ERR_CRASH, TYPE_ERROR_NONE},
    {"", 0, RISON_ERR_CRASH, TYPE_ERROR_NONE},
    {"(a:(", 0, RISON_ERR_CRASH, RECURSION},
    {"((", 0, RISON_ERR_CRASH, RECURSION},
    {"((a:1):2)", 0, RISON_ERR_CRASH, "TypeError: unhashable type: 'dict'"},
    {"(!(1):2)", 0, RISON_ERR_CRASH, "TypeError: unhashable type: 'list'"},
    /* numbers jansson cannot hold */
    {"1e999", 0, RISON_ERR_RANGE, "float out of range"},
    {"99999999999999999999", 0, RISON_ERR_RANGE, "integer out of range"},
    {"9223372036854775808", 0, RISON_ERR_RANGE, "integer out of range"},
    {"(page:-9223372036854775809)", 0, RISON_ERR_RANGE, "integer out of range"},
    /* bytes prison never sees */
    {"a\0b", 3, RISON_ERR_ENCODING, "NUL byte in input"},
    {"'a\0'", 4, RISON_ERR_ENCODING, "NUL byte in input"},
    {"\xff", 0, RISON_ERR_ENCODING, "invalid UTF-8"},
    {"'\xed\xa0\x80'", 0, RISON_ERR_ENCODING, "invalid UTF-8"},  /* surrogate */
    {"\xc0\xaf", 0, RISON_ERR_ENCODING, "invalid UTF-8"},        /* overlong */
    {"'\xe6\x97'", 0, RISON_ERR_ENCODING, "invalid UTF-8"},      /* truncated */
    {"\xf4\x90\x80\x80", 0, RISON_ERR_ENCODING, "invalid UTF-8"}, /* > U+10FFFF */
};

static bool kind_is_fatal(rison_error_kind_t kind) {
    return kind == RISON_ERR_CRASH || kind == RISON_ERR_DEPTH;
}

Test(rison, invalid_table) {
    cr_assert_geq(COUNT(INVALID), 25);
    for (size_t i = 0; i < COUNT(INVALID); i++) {
        const invalid_case_t *c = &INVALID[i];
        size_t len = c->len ? c->len : strlen(c->rison);
        rison_error_t err;
        json_t *got = rison_parse(c->rison, len, &err);
        cr_assert_null(got, "case %zu parsed: %s", i, got ? J(got) : "");
        cr_assert_eq(err.kind, c->kind, "case %zu (%s): kind %d, want %d (%s)", i, c->rison,
                     err.kind, c->kind, err.message);
        cr_assert_eq(err.fatal, kind_is_fatal(c->kind), "case %zu: fatal flag", i);
        cr_assert_str_eq(err.message, c->message, "case %zu (%s)", i, c->rison);
        cr_assert_leq(err.offset, len);
    }
}

Test(rison, error_offsets) {
    rison_error_t err;
    cr_assert_null(rison_parse("(a:1,b)", 7, &err));
    cr_assert_eq(err.offset, 6); /* the ')' where ':' was expected */
    cr_assert_null(rison_parse("!(1,2,!z)", 9, &err));
    cr_assert_eq(err.offset, 7);
    cr_assert_null(rison_parse("(x:2024-01)", 11, &err));
    cr_assert_eq(err.offset, 3);
    cr_assert_null(rison_parse("ab\xff", 3, &err));
    cr_assert_eq(err.offset, 2);
}

Test(rison, null_error_pointer_is_accepted) {
    cr_assert_null(rison_parse("!(", 2, NULL));
    cr_assert_null(rison_parse(NULL, 0, NULL));
    json_t *v = rison_parse("!t", 2, NULL);
    cr_assert(json_is_true(v));
    json_decref(v);
}

Test(rison, long_message_is_cut_cleanly) {
    strbuf_t sb;
    strbuf_init(&sb, 1024);
    strbuf_puts(&sb, "(a:1)");
    for (int i = 0; i < 400; i++) strbuf_puts(&sb, "\xc3\xa9");
    rison_error_t err;
    cr_assert_null(rison_parse(sb.data, sb.len, &err));
    cr_assert_eq(err.kind, RISON_ERR_SYNTAX);
    size_t n = strlen(err.message);
    cr_assert_lt(n, RISON_ERROR_MAX);
    cr_assert_str_eq(err.message + n - 3, "...");
    cr_assert_eq(strncmp(err.message, "unable to parse rison string '(a:1)", 35), 0);
    json_t *valid_utf8 = json_string(err.message);
    cr_assert_not_null(valid_utf8, "message cut inside a UTF-8 sequence");
    json_decref(valid_utf8);
    strbuf_free(&sb);
}

Test(rison, error_response_table) {
    int status = 0;
    const char *msg = NULL;
    rison_error_t err;
    cr_assert_null(rison_parse("2024-01", 7, &err));
    rison_error_response(&err, &status, &msg);
    cr_assert_eq(status, 500);
    cr_assert_str_eq(msg, "Fatal error");
    cr_assert_null(rison_parse("(a", 2, &err));
    rison_error_response(&err, &status, &msg);
    cr_assert_eq(status, 400);
    cr_assert_str_eq(msg, "Not a valid rison/json argument");
    cr_assert_null(rison_parse("1e999", 5, &err));
    rison_error_response(&err, &status, &msg);
    cr_assert_eq(status, 400);
}

/* ---- hostile input ---------------------------------------------------- */

/* "!(" x depth + ")" x depth, or "(a:" x depth + "1" + ")" x depth. */
static const char *nested(int depth, bool objects, size_t *len) {
    strbuf_t sb;
    strbuf_init_arena(&sb, A, 16);
    for (int i = 0; i < depth; i++) strbuf_puts(&sb, objects ? "(a:" : "!(");
    if (objects) strbuf_putc(&sb, '1');
    for (int i = 0; i < depth; i++) strbuf_putc(&sb, ')');
    *len = sb.len;
    return sb.data;
}

Test(rison, depth_limit) {
    for (int objects = 0; objects < 2; objects++) {
        size_t len;
        const char *ok = nested(RISON_MAX_DEPTH, objects, &len);
        json_t *v = rison_parse(ok, len, NULL);
        cr_assert_not_null(v, "depth %d must parse", RISON_MAX_DEPTH);
        char *dumped = rison_dump(A, v);
        cr_assert_str_eq(dumped, ok);
        json_decref(v);

        rison_error_t err;
        const char *deep = nested(RISON_MAX_DEPTH + 1, objects, &len);
        cr_assert_null(rison_parse(deep, len, &err));
        cr_assert_eq(err.kind, RISON_ERR_DEPTH);
        cr_assert(err.fatal);
        cr_assert_str_eq(err.message, RECURSION);

        const char *very_deep = nested(200000, objects, &len);
        cr_assert_null(rison_parse(very_deep, len, &err));
        cr_assert_eq(err.kind, RISON_ERR_DEPTH);
    }
}

Test(rison, dump_refuses_too_deep_values) {
    json_t *v = json_array();
    for (int i = 0; i < RISON_MAX_DEPTH; i++) {
        json_t *outer = json_array();
        json_array_append_new(outer, v);
        v = outer;
    }
    cr_assert_null(rison_dump(A, v)); /* RISON_MAX_DEPTH + 1 arrays */
    json_t *inner = json_array_get(v, 0);
    cr_assert_not_null(rison_dump(A, inner));
    json_decref(v);
}

Test(rison, huge_inputs) {
    size_t n = 1 << 20;
    strbuf_t sb;
    strbuf_init_arena(&sb, A, n + 16);

    strbuf_putc(&sb, '\'');
    for (size_t i = 0; i < n; i++) strbuf_puts(&sb, i % 100 == 0 ? "!!" : "x");
    strbuf_putc(&sb, '\'');
    rison_error_t err;
    json_t *v = rison_parse(sb.data, sb.len, &err);
    cr_assert_not_null(v, "%s", err.message);
    cr_assert_eq(json_string_length(v), n);
    cr_assert_eq(json_string_value(v)[100], '!');
    json_decref(v);

    strbuf_clear(&sb);
    for (size_t i = 0; i < n; i++) strbuf_putc(&sb, 'a');
    v = rison_parse(sb.data, sb.len, &err);
    cr_assert_not_null(v);
    cr_assert_eq(json_string_length(v), n);
    json_decref(v);

    strbuf_clear(&sb);
    strbuf_puts(&sb, "!(");
    for (size_t i = 0; i < n / 2; i++) strbuf_puts(&sb, i ? ",7" : "7");
    strbuf_putc(&sb, ')');
    v = rison_parse(sb.data, sb.len, &err);
    cr_assert_not_null(v);
    cr_assert_eq(json_array_size(v), n / 2);
    json_decref(v);

    strbuf_clear(&sb);
    for (size_t i = 0; i < 4301; i++) strbuf_putc(&sb, '1');
    cr_assert_null(rison_parse(sb.data, sb.len, &err));
    cr_assert_eq(err.kind, RISON_ERR_CRASH); /* Python's int() digit limit */
    cr_assert_null(rison_parse(sb.data, 4300, &err));
    cr_assert_eq(err.kind, RISON_ERR_RANGE);
}

/* ---- serializer and round trips --------------------------------------- */

typedef struct dump_case {
    const char *json;
    const char *rison; /* prison.dumps' output */
} dump_case_t;

static const dump_case_t DUMPS[] = {
    {"{\"b\":1,\"a\":\"x y\"}", "(a:'x y',b:1)"},
    {"[]", "!()"},
    {"{}", "()"},
    {"\"\"", "''"},
    {"\"abc\"", "abc"},
    {"\"1abc\"", "'1abc'"},
    {"\"-x\"", "'-x'"},
    {"\"a b\"", "'a b'"},
    {"\"it's\"", "'it!'s'"},
    {"\"wow!\"", "'wow!!'"},
    {"[\"!\",\"'\",\"!!'\"]", "!('!!','!'','!!!!!'')"},
    {"\"\xe6\x97\xa5\xe6\x9c\xac\"", "\xe6\x97\xa5\xe6\x9c\xac"},
    {"\"a\\\\b\"", "a\\b"},
    {"\"1e5\"", "'1e5'"},
    {"\"(a:1)\"", "'(a:1)'"},
    {"\"%20\"", "%20"},
    {"\"~/x\"", "~/x"},
    {"\"+1\"", "+1"},
    {"\"a\\n\"", "'a\n'"}, /* prison.dumps leaves this bare, which does not parse back */
    {"1e16", "1e16"},
    {"0.1", "0.1"},
    {"-0.0", "-0.0"},
    {"2.0", "2.0"},
    {"1e-05", "1e-05"},
    {"1.5e-300", "1.5e-300"},
    {"123", "123"},
    {"-9223372036854775808", "-9223372036854775808"},
    {"true", "!t"},
    {"false", "!f"},
    {"null", "!n"},
    {"{\"\xc3\xa9\":1,\"z\":2,\"a\":3}", "(a:3,z:2,\xc3\xa9:1)"},
    {"{\"\":1}", "('':1)"},
    {"{\"a b\":[1,{\"c\":null}]}", "('a b':!(1,(c:!n)))"},
};

Test(rison, dump_table) {
    for (size_t i = 0; i < COUNT(DUMPS); i++) {
        json_t *v = expect_json(DUMPS[i].json);
        char *r = rison_dump(A, v);
        cr_assert_not_null(r, "%s", DUMPS[i].json);
        cr_assert_str_eq(r, DUMPS[i].rison, "%s", DUMPS[i].json);
        json_t *back = rison_parse(r, strlen(r), NULL);
        cr_assert_not_null(back, "%s does not parse back", r);
        cr_assert(json_equal(back, v), "%s", r); /* keys come back sorted */
        json_decref(back);
        json_decref(v);
    }
}

Test(rison, dump_refuses_nul) {
    json_t *v = json_stringn("a\0b", 3);
    cr_assert_null(rison_dump(A, v));
    json_decref(v);
    json_t *o = json_object();
    json_object_setn_new(o, "k\0", 2, json_true());
    cr_assert_null(rison_dump(A, o));
    json_decref(o);
    cr_assert_null(rison_dump(A, NULL));
}

/* Parse, dump, parse: the same value, and the dump is stable. */
static void check_round_trip(const char *s, size_t len) {
    json_t *v = rison_parse(s, len, NULL);
    if (v == NULL) return;
    char *r = rison_dump(A, v);
    cr_assert_not_null(r, "dump failed for %.*s", (int)len, s);
    rison_error_t err;
    json_t *back = rison_parse(r, strlen(r), &err);
    cr_assert_not_null(back, "%s: %s", r, err.message);
    cr_assert(json_equal(v, back), "round trip of %.*s via %s", (int)len, s, r);
    cr_assert_str_eq(rison_dump(A, back), r);
    json_decref(back);
    json_decref(v);
}

Test(rison, valid_table_round_trips) {
    for (size_t i = 0; i < COUNT(VALID); i++) {
        json_t *v = rison_parse(VALID[i].rison, strlen(VALID[i].rison), NULL);
        cr_assert_not_null(v);
        json_decref(v);
        check_round_trip(VALID[i].rison, strlen(VALID[i].rison));
    }
}

/* ---- fuzz ------------------------------------------------------------- */

static uint64_t rng_state;

static uint64_t rng(void) { /* xorshift64* */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ULL;
}

static size_t rnd(size_t n) { return (size_t)(rng() % n); }

static const char *const PIECES[] = {
    "(", ")", "!", ",", ":", "'", "t", "f", "n", "-", "0", "1", "9", ".", "e", "E",
    "a", "b", "_", "/", "~", "%", "+", "\\", " ", "*", "\"", "\x7f", "\xc3\xa9",
    "\xe6\x97\xa5", "!(", "(a:", "1e999", "99999999999999999999", "'x'",
};

/* Checks what must hold for any input: no crash (ASan/UBSan watch), a
 * consistent error, and a faithful round trip on success. */
static void check_any(const char *s, size_t len) {
    rison_error_t err;
    json_t *v = rison_parse(s, len, &err);
    if (v == NULL) {
        cr_assert_neq(err.kind, RISON_ERR_NONE);
        cr_assert_eq(err.fatal, kind_is_fatal(err.kind));
        cr_assert_leq(err.offset, len);
        cr_assert_neq(err.message[0], '\0');
        json_t *m = json_string(err.message);
        cr_assert_not_null(m, "error message is not UTF-8: %s", err.message);
        json_decref(m);
        return;
    }
    cr_assert_eq(err.kind, RISON_ERR_NONE);
    json_decref(v);
    check_round_trip(s, len);
}

static void mutate(strbuf_t *sb, const char *seed) {
    strbuf_clear(sb);
    strbuf_puts(sb, seed);
    size_t edits = 1 + rnd(3);
    for (size_t e = 0; e < edits; e++) {
        size_t pos = sb->len ? rnd(sb->len) : 0;
        size_t op = rnd(3);
        if (op == 0 && sb->len > 0) {
            memmove(sb->data + pos, sb->data + pos + 1, sb->len - pos);
            sb->len--;
        } else if (op == 1) {
            const char *p = PIECES[rnd(COUNT(PIECES))];
            size_t n = strlen(p);
            strbuf_reserve(sb, n);
            memmove(sb->data + pos + n, sb->data + pos, sb->len - pos + 1);
            memcpy(sb->data + pos, p, n);
            sb->len += n;
        } else if (sb->len > 0) {
            sb->data[pos] = "()!,:'-1e."[rnd(10)];
        }
    }
}

Test(rison, fuzz) {
    rng_state = 0x9e3779b97f4a7c15ULL;
    strbuf_t sb;
    strbuf_init(&sb, 256);
    int parsed = 0, fatal = 0, refused = 0;
    for (int i = 0; i < 50000; i++) {
        arena_reset(A);
        int mode = i % 5;
        strbuf_clear(&sb);
        if (mode <= 1) { /* rison alphabet */
            size_t pieces = rnd(20);
            for (size_t k = 0; k < pieces; k++) strbuf_puts(&sb, PIECES[rnd(COUNT(PIECES))]);
        } else if (mode == 2) { /* random bytes, NUL included */
            size_t n = rnd(16);
            for (size_t k = 0; k < n; k++) strbuf_putc(&sb, (char)rnd(256));
        } else { /* mutations of valid inputs */
            mutate(&sb, VALID[rnd(COUNT(VALID))].rison);
        }
        rison_error_t err;
        json_t *v = rison_parse(sb.data, sb.len, &err);
        parsed += v != NULL;
        fatal += v == NULL && err.fatal;
        refused += v == NULL && !err.fatal;
        json_decref(v);
        check_any(sb.data, sb.len);
    }
    strbuf_free(&sb);
    /* The generator must reach all three outcomes, or it tests little. */
    cr_assert_gt(parsed, 5000, "parsed %d", parsed);
    cr_assert_gt(fatal, 1000, "fatal %d", fatal);
    cr_assert_gt(refused, 5000, "refused %d", refused);
}
